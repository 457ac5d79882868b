// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/arf-rules.c tools/lib/seac-rules.c tools/lib/ber.c tools/lib/acp-policy.c
/*
 * The card's ARF (PKCS#15 access rule files): any bytes as a whole file
 * set, and as each file alone.  The input is records "n, path (n bytes),
 * length (2 bytes, big-endian), content"; the walk reads them through
 * its callback.  Everything must be accepted or refused without overrun
 * or leak; accepted rules must map to ACP text the shared policy parser
 * accepts, rule for rule.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acp-policy.h"
#include "arf-rules.h"

static const uint8_t aid[] = { 0xF0, 0x53, 0x43, 0x57, 0x53, 0x47, 0x57 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *d;
	size_t n;
	unsigned int reads;
};

static int rd(void *arg, const struct arf_path *p, uint8_t **out,
	      size_t *len)
{
	struct input *in = arg;
	size_t off = 0;

	if (++in->reads > 200)
		return -EIO;	/* a link that gives up */
	while (off < in->n) {
		size_t pn = in->d[off], fl;

		if (off + 1 + pn + 2 > in->n)
			break;
		fl = (size_t)in->d[off + 1 + pn] << 8 | in->d[off + 2 + pn];
		if (off + 3 + pn + fl > in->n)
			fl = in->n - off - 3 - pn;
		if (pn == p->len && !memcmp(in->d + off + 1, p->b, pn)) {
			*out = malloc(fl ? fl : 1);
			if (!*out)
				return -ENOMEM;
			memcpy(*out, in->d + off + 3 + pn, fl);
			*len = fl;
			return 0;
		}
		off += 3 + pn + fl;
	}
	return -ENOENT;
}

static void each_file(const uint8_t *data, size_t size)
{
	static const struct arf_acrule rule = { .aid_kind = SEAC_AID_ALL };
	struct arf_path paths[ARF_DODF_MAX], p;
	struct seac_rules rs = { 0 };
	struct arf_acrule *rules;
	uint8_t tag[SEAC_REFRESH_LEN];
	char why[200];
	size_t n;

	if (arf_parse_odf(data, size, paths, &n, why, sizeof(why)) == 0)
		assert(n >= 1 && n <= ARF_DODF_MAX);
	if (arf_dir_record(data, size, &p) == 0)
		assert(p.len >= 2 && p.len <= ARF_PATH_MAX && !(p.len % 2));
	if (arf_parse_dodf(data, size, &p, why, sizeof(why)) == 0)
		assert(p.len >= 2 && p.len <= ARF_PATH_MAX && !(p.len % 2));
	arf_parse_acmain(data, size, tag, &p, why, sizeof(why));
	if (arf_parse_acrules(data, size, &rules, &n, why, sizeof(why)) == 0)
		free(rules);
	if (arf_parse_acconditions(data, size, &rule, &rs, why,
				   sizeof(why)) == 0)
		assert(rs.n >= 1);
	else
		assert(rs.n == 0 && !rs.rule);
	seac_rules_free(&rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size, 0 };
	struct seac_rules rs;
	struct acp_policy p;
	struct acp_errors errs;
	uint8_t tag[SEAC_REFRESH_LEN];
	char why[300], *text = NULL;
	size_t tlen = 0;
	unsigned int lines;
	FILE *f;
	int err;

	each_file(data, size);
	arf_read_refresh(rd, &in, tag, why, sizeof(why));
	in.reads = 0;
	err = arf_read_rules(rd, &in, &rs, tag, NULL, why, sizeof(why));
	if (err) {
		assert(err == -EBADMSG || err == -ENOENT || err == -E2BIG ||
		       err == -ENOMEM || err == -EIO);
		assert(rs.n == 0 && !rs.rule);
		return 0;
	}
	f = open_memstream(&text, &tlen);
	if (!f) {
		seac_rules_free(&rs);
		return 0;
	}
	lines = seac_to_acp_from(f, &rs, aid, sizeof(aid), tag, "ARF");
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
