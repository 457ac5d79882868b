// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/seac-rules.c tools/lib/ber.c tools/lib/acp-policy.c
/*
 * The card's access rules: any bytes as a GET DATA [All] answer.  The
 * parser must accept or refuse them without overrun; what it accepts must
 * map to ACP text that the shared policy parser accepts (once it knows the
 * signer selectors: until then only errors about them are tolerated).
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acp-policy.h"
#include "seac-rules.h"

static const uint8_t aid[] = { 0xF0, 0x53, 0x43, 0x57, 0x53, 0x47, 0x57 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seac_rules rs;
	struct acp_policy p;
	struct acp_errors errs;
	size_t total, tlen = 0;
	char why[160], *text = NULL;
	unsigned int lines;
	FILE *f;
	int err;

	if (seac_all_total(data, size, &total) == 0)
		assert(total >= 3);
	err = seac_parse(data, size, &rs, why, sizeof(why));
	if (err) {
		assert(err == -EBADMSG || err == -E2BIG || err == -ENOMEM);
		assert(rs.n == 0 && !rs.rule);
		return 0;
	}
	f = open_memstream(&text, &tlen);
	if (!f) {
		seac_rules_free(&rs);
		return 0;
	}
	lines = seac_to_acp(f, &rs, aid, sizeof(aid), NULL);
	fclose(f);
	err = acp_parse(text, tlen, &p, &errs);
	if (err == -EINVAL) {
		assert(strstr(errs.list[0].message, "signer-sha"));
	} else if (!err) {
		assert(p.n_rules == lines);
		acp_policy_free(&p);
	}
	free(text);
	seac_rules_free(&rs);
	return 0;
}
