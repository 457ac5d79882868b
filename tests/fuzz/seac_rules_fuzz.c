// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/seac-rules.c tools/lib/ber.c tools/lib/acp-policy.c
/*
 * The card's access rules: any bytes as a GET DATA [All] answer, and as
 * a certificates answer (FF70).  The
 * parser must accept or refuse them without overrun; what it accepts must
 * map to ACP text that the shared policy parser accepts, rule for rule.
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

static size_t cert_bytes;

static void cert(void *arg, const uint8_t *der, size_t len)
{
	(void)arg;
	assert(len >= 2 && der[0] == 0x30);
	cert_bytes += len;
}

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
	/* the same bytes as a certificates answer (FF70) */
	cert_bytes = 0;
	if (seac_parse_certs(data, size, cert, NULL) == 0)
		assert(cert_bytes <= size);
	else
		assert(cert_bytes == 0);
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
	assert(err != -EINVAL);
	if (!err) {
		assert(p.n_rules == lines);
		acp_policy_free(&p);
	}
	free(text);
	seac_rules_free(&rs);
	return 0;
}
