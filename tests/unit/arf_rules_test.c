// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/arf-rules.c tools/lib/seac-rules.c tools/lib/ber.c tools/lib/acp-policy.c
/*
 * The card's access rules from its ARF (PKCS#15 files): every file's
 * shapes, malformed and truncated files, padding, empty ACConditions,
 * the walk through a file set in memory (missing files, a shared
 * ACConditions read once), the precedence once mapped, the same text as
 * the equivalent ARA-M rules, and an interop file set written byte by
 * byte from the layouts of GPD_SPE_013 annex C as the Firefox OS and
 * Android ARF readers document them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acp-policy.h"
#include "arf-rules.h"
#include "ber.h"
#include "hex.h"
#include "seac-rules.h"

static const uint8_t scws_aid[] = { 0xF0, 0x53, 0x43, 0x57, 0x53, 0x47, 0x57 };

/* ---- bytes from hex text ("30 04 04 02 43 00", spaces ignored) */

struct bytes {
	uint8_t b[2048];
	size_t n;
};

static struct bytes hx(const char *s)
{
	struct bytes o = { .n = 0 };

	for (; *s; s++) {
		if (*s == ' ' || *s == '\n')
			continue;
		assert_true(hex_digit(s[0]) >= 0 && hex_digit(s[1]) >= 0);
		o.b[o.n++] = (uint8_t)(hex_digit(s[0]) << 4 | hex_digit(s[1]));
		s++;
	}
	return o;
}

/* ---- a file set in memory, read through the walk's callback */

struct mem_file {
	const char *path;	/* hex FIDs */
	struct bytes data;
	int reads;
};

struct file_set {
	struct mem_file f[16];
	size_t n;
	int fail;		/* nonzero: every read fails with it */
};

static void add(struct file_set *fs, const char *path, const char *hexdata)
{
	fs->f[fs->n].path = path;
	fs->f[fs->n].data = hx(hexdata);
	fs->f[fs->n].reads = 0;
	fs->n++;
}

static int rd(void *arg, const struct arf_path *p, uint8_t **data,
	      size_t *len)
{
	struct file_set *fs = arg;

	if (fs->fail)
		return fs->fail;
	for (size_t i = 0; i < fs->n; i++) {
		struct bytes want = hx(fs->f[i].path);

		if (want.n != p->len || memcmp(want.b, p->b, p->len))
			continue;
		fs->f[i].reads++;
		*len = fs->f[i].data.n;
		*data = malloc(*len ? *len : 1);
		assert_non_null(*data);
		memcpy(*data, fs->f[i].data.b, *len);
		return 0;
	}
	return -ENOENT;
}

static struct mem_file *file(struct file_set *fs, const char *path)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->f[i].path, path))
			return &fs->f[i];
	fail_msg("no file %s", path);
	return NULL;
}

/* The rule lines of the mapped text (comments dropped). */
static char *mapped(const struct seac_rules *rs, const char *store)
{
	char *text = NULL, *out;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	const char *p;

	assert_non_null(f);
	seac_to_acp_from(f, rs, scws_aid, sizeof(scws_aid), NULL, store);
	fclose(f);
	out = calloc(1, tlen + 1);
	assert_non_null(out);
	for (p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) + 1 : strlen(p);

		if (*p != '#')
			strncat(out, p, n);
		p += n;
	}
	free(text);
	return out;
}

static const char h20a[] = "A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3";
static const char h20b[] = "1011121314151617181911111B1C1D1E1F202122";

/* A minimal ARF: ODF -> DODF 5207 -> ACMain 4200 -> ACRules 4300. */
static void base_set(struct file_set *fs, const char *acrules)
{
	memset(fs, 0, sizeof(*fs));
	add(fs, "5031", "A7 06 30 04 04 02 52 07");
	add(fs, "5207", "A1 1C 30 00 30 00 A1 16 30 14"
			" 06 0A 2A 86 48 86 FC 6B 81 48 01 01"
			" 30 06 04 04 3F 00 42 00");	/* absolute path */
	add(fs, "3F004200", "30 10 04 08 01 02 03 04 05 06 07 08"
			    " 30 04 04 02 43 00");
	add(fs, "4300", acrules);
}

/* ---- the files one by one */

static void test_odf(void **state)
{
	struct arf_path p[ARF_DODF_MAX];
	char why[200];
	size_t n;
	struct bytes b;

	(void)state;
	/* AODF, CDF, then the DODF; padded with FF like a real EF */
	b = hx("A8 06 30 04 04 02 44 01  A5 06 30 04 04 02 44 03"
	       "A7 06 30 04 04 02 52 07  FF FF FF FF");
	assert_int_equal(arf_parse_odf(b.b, b.n, p, &n, why, sizeof(why)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].len, 2);
	assert_int_equal(p[0].b[0], 0x52);
	/* two DODFs, one given by its objects (no file), 00 padding */
	b = hx("A7 06 30 04 04 02 52 07  A7 04 A0 02 30 00"
	       "A7 08 30 06 04 04 3F 00 52 08  00 00");
	assert_int_equal(arf_parse_odf(b.b, b.n, p, &n, why, sizeof(why)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(p[1].len, 4);
	/* no DODF at all */
	b = hx("A8 06 30 04 04 02 44 01");
	assert_int_equal(arf_parse_odf(b.b, b.n, p, &n, why, sizeof(why)),
			 -ENOENT);
	b = hx("FF FF FF");
	assert_int_equal(arf_parse_odf(b.b, b.n, p, &n, why, sizeof(why)),
			 -ENOENT);
	/* refused: a tag that is no ODF entry, odd / long paths, index,
	 * data after the padding, a cut TLV */
	static const char *const bad[] = {
		"A9 06 30 04 04 02 52 07",
		"A7 05 30 03 04 01 52",
		"A7 16 30 14 04 12 3F00 5015 5016 5017 5018 5019 501A 501B 501C",
		"A7 09 30 07 04 02 52 07 02 01 00",
		"A7 06 30 04 04 02 52 07  FF A7",
		"A7 06 30 04 04 02 52",
		"A7 06 31 04 04 02 52 07",
		"A7 08 30 04 04 02 52 07 30 00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = hx(bad[i]);
		assert_int_equal(arf_parse_odf(b.b, b.n, p, &n, why,
					       sizeof(why)), -EBADMSG);
		assert_non_null(strstr(why, "offset"));
	}
}

static void test_dodf(void **state)
{
	struct arf_path p;
	char why[200];
	struct bytes b;

	(void)state;
	/* GP's entry (with a label) and another OID's, as annex C shows */
	b = hx("A1 29 30 00 30 0F 0C 0D 47 50 20 53 45 20 41 63 63 20 43 74 6C"
	       "  A1 14 30 12 06 0A 2A 86 48 86 FC 6B 81 48 01 01"
	       "   30 04 04 02 AB CD"
	       "A1 2B 30 00 30 0F 0C 0D 53 41 54 53 41 20 47 54 4F 20 31 2E 31"
	       "  A1 16 30 14 06 0C 2B 06 01 04 01 2A 02 6E 03 01 01 01"
	       "   30 04 04 02 12 34");
	assert_int_equal(arf_parse_dodf(b.b, b.n, &p, why, sizeof(why)), 0);
	assert_int_equal(p.len, 2);
	assert_int_equal(p.b[0], 0xAB);
	assert_int_equal(p.b[1], 0xCD);
	/* subClassAttributes, an opaqueDO before it */
	b = hx("30 03 04 01 00"
	       "A1 1E 30 00 30 00 A0 02 30 00 A1 14 30 12"
	       " 06 0A 2A 86 48 86 FC 6B 81 48 01 01 30 04 04 02 42 01");
	assert_int_equal(arf_parse_dodf(b.b, b.n, &p, why, sizeof(why)), 0);
	assert_int_equal(p.b[1], 0x01);
	/* only another OID: no ARF here */
	b = hx("A1 1A 30 00 30 00 A1 14 30 12 06 0A 2A 86 48 86 FC 6B 81 48 01 02"
	       " 30 04 04 02 42 00");
	assert_int_equal(arf_parse_dodf(b.b, b.n, &p, why, sizeof(why)),
			 -ENOENT);
	/* two ACMain entries: GP 7.1.5 calls the SE compromised */
	b = hx("A1 1A 30 00 30 00 A1 14 30 12 06 0A 2A 86 48 86 FC 6B 81 48 01 01"
	       " 30 04 04 02 42 00"
	       "A1 1A 30 00 30 00 A1 14 30 12 06 0A 2A 86 48 86 FC 6B 81 48 01 01"
	       " 30 04 04 02 42 01");
	assert_int_equal(arf_parse_dodf(b.b, b.n, &p, why, sizeof(why)),
			 -EBADMSG);
	assert_non_null(strstr(why, "second ACMain"));
	static const char *const bad[] = {
		/* GP's OID with a direct value, not a path */
		"A1 1A 30 00 30 00 A1 14 30 12 06 0A 2A 86 48 86 FC 6B 81 48 01 01"
		" A0 04 04 02 42 00",
		/* no common attributes */
		"A1 18 30 00 A1 14 30 12 06 0A 2A 86 48 86 FC 6B 81 48 01 01"
		" 30 04 04 02 42 00",
		/* no OID */
		"A1 0E 30 00 30 00 A1 08 30 06 30 04 04 02 42 00",
		/* something after the type attributes */
		"A1 1C 30 00 30 00 A1 14 30 12 06 0A 2A 86 48 86 FC 6B 81 48 01 01"
		" 30 04 04 02 42 00 05 00",
		/* the value missing */
		"A1 14 30 00 30 00 A1 0E 30 0C 06 0A 2A 86 48 86 FC 6B 81 48 01 01",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = hx(bad[i]);
		assert_int_equal(arf_parse_dodf(b.b, b.n, &p, why,
						sizeof(why)), -EBADMSG);
	}
}

static void test_acmain(void **state)
{
	uint8_t tag[8];
	struct arf_path p;
	char why[200];
	struct bytes b = hx("30 10 04 08 11 22 33 44 55 66 77 88"
			    " 30 04 04 02 43 00 FF FF FF FF FF FF");

	(void)state;
	assert_int_equal(arf_parse_acmain(b.b, b.n, tag, &p, why, sizeof(why)),
			 0);
	assert_int_equal(tag[0], 0x11);
	assert_int_equal(tag[7], 0x88);
	assert_int_equal(p.b[0], 0x43);
	/* every cut of the object is refused */
	for (size_t n = 0; n < 18; n++)
		assert_int_equal(arf_parse_acmain(b.b, n, tag, &p, why,
						  sizeof(why)), -EBADMSG);
	static const char *const bad[] = {
		"30 0F 04 07 11 22 33 44 55 66 77 30 04 04 02 43 00",
		"30 12 04 08 11 22 33 44 55 66 77 88 30 04 04 02 43 00 05 00",
		"30 0A 04 08 11 22 33 44 55 66 77 88",
		"30 10 04 08 11 22 33 44 55 66 77 88 30 04 04 02 43 00"
		" 30 00",
		"",
		"FF FF",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = hx(bad[i]);
		assert_int_equal(arf_parse_acmain(b.b, b.n, tag, &p, why,
						  sizeof(why)), -EBADMSG);
	}
}

static void test_acrules(void **state)
{
	struct arf_acrule *r;
	char why[200];
	size_t n;
	struct bytes b;

	(void)state;
	b = hx("30 11 A0 09 04 07 F0 53 43 57 53 47 57 30 04 04 02 43 10"
	       "30 08 81 00 30 04 04 02 43 11"
	       "30 0A 82 00 30 06 04 04 3F 00 43 12  FF FF");
	assert_int_equal(arf_parse_acrules(b.b, b.n, &r, &n, why, sizeof(why)),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(r[0].aid_kind, SEAC_AID_SPECIFIC);
	assert_int_equal(r[0].aid_len, 7);
	assert_memory_equal(r[0].aid, scws_aid, 7);
	assert_int_equal(r[0].cond.b[1], 0x10);
	assert_int_equal(r[1].aid_kind, SEAC_AID_DEFAULT);
	assert_int_equal(r[2].aid_kind, SEAC_AID_ALL);
	assert_int_equal(r[2].cond.len, 4);
	free(r);
	/* an empty ACRules: no rules */
	b = hx("FF FF FF FF");
	assert_int_equal(arf_parse_acrules(b.b, b.n, &r, &n, why, sizeof(why)),
			 0);
	assert_int_equal(n, 0);
	free(r);
	static const char *const bad[] = {
		"30 0E A0 06 04 04 F0 53 43 57 30 04 04 02 43 10",	/* 4-byte AID */
		"30 08 83 00 30 04 04 02 43 11",			/* [3] */
		"30 09 82 01 00 30 04 04 02 43 11",			/* NULL with content */
		"30 02 82 00",						/* no path */
		"30 0A 82 00 30 04 04 02 43 11 30 00",			/* two paths */
		"30 0F A0 07 04 06 A0 00 00 01 51 30 04 04 02 43 10",	/* A0 {04 ..} cut */
		"31 08 82 00 30 04 04 02 43 11",			/* not a SEQUENCE */
		"30 11 A0 09 04 07 F0 53 43 57 53 47 57 30 04 04 02 43",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = hx(bad[i]);
		assert_int_equal(arf_parse_acrules(b.b, b.n, &r, &n, why,
						   sizeof(why)), -EBADMSG);
		assert_null(r);
	}
}

static struct seac_rules conditions(const char *hexdata, int want_err)
{
	static const struct arf_acrule rule = {
		.aid_kind = SEAC_AID_SPECIFIC,
		.aid = { 0xF0, 0x53, 0x43, 0x57, 0x53, 0x47, 0x57 },
		.aid_len = 7,
	};
	struct seac_rules rs = { 0 };
	struct bytes b = hx(hexdata);
	char why[200];

	assert_int_equal(arf_parse_acconditions(b.b, b.n, &rule, &rs, why,
						sizeof(why)), want_err);
	if (want_err)
		assert_int_equal(rs.n, 0);
	return rs;
}

static void test_acconditions(void **state)
{
	struct seac_rules rs;
	char buf[200];

	(void)state;
	/* empty file (all padding): never, for every device application */
	rs = conditions("FF FF FF FF", 0);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.rule[0].hash_len, 0);
	assert_int_equal(rs.rule[0].apdu, SEAC_NEVER);
	assert_int_equal(rs.rule[0].aid_kind, SEAC_AID_SPECIFIC);
	seac_rules_free(&rs);
	rs = conditions("", 0);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.rule[0].apdu, SEAC_NEVER);
	seac_rules_free(&rs);
	/* 30 00: every device application, always */
	rs = conditions("30 00", 0);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.rule[0].hash_len, 0);
	assert_int_equal(rs.rule[0].apdu, SEAC_ALWAYS);
	seac_rules_free(&rs);
	/* a hash alone: always (GP 7.1.7); SHA-256; 04 00 = every app */
	snprintf(buf, sizeof(buf), "30 16 04 14 %s 30 02 04 00", h20a);
	rs = conditions(buf, 0);
	assert_int_equal(rs.n, 2);
	assert_int_equal(rs.rule[0].hash_len, 20);
	assert_int_equal(rs.rule[0].hash[0], 0xA0);
	assert_int_equal(rs.rule[0].apdu, SEAC_ALWAYS);
	assert_int_equal(rs.rule[0].nfc, SEAC_ABSENT);
	assert_int_equal(rs.rule[1].hash_len, 0);
	seac_rules_free(&rs);
	rs = conditions("30 22 04 20 000102030405060708090A0B0C0D0E0F"
			"101112131415161718191A1B1C1D1E1F", 0);
	assert_int_equal(rs.rule[0].hash_len, 32);
	seac_rules_free(&rs);
	/* access rules: APDU never; filters + NFC always; NFC alone */
	snprintf(buf, sizeof(buf), "30 1D 04 14 %s A0 05 A0 03 80 01 00", h20a);
	rs = conditions(buf, 0);
	assert_int_equal(rs.rule[0].apdu, SEAC_NEVER);
	seac_rules_free(&rs);
	conditions("30 1A A0 18 A0 11 A1 0F 04 08 80 CA 00 00 FF FF 00 00"
			" 04 08 00 B0 00 00 FF FF 00 00 A1 03 80 01 01", -EBADMSG);
	conditions("30 22 A0 20 A0 19 A1 14 04 08 80 CA 00 00 FF FF 00 00"
			" 04 08 00 B0 00 00 FF FF 00 00 A1 03 80 01 01", -EBADMSG);
	conditions("30 21 A0 1F A0 16 A1 14 04 08 80 CA 00 00 FF FF 00 00"
			" 04 08 00 B0 00 00 FF FF 00 00 A1 03 80 01 01"
			" 00 00", -EBADMSG);
	rs = conditions("30 1F A0 1D A0 16 A1 14 04 08 80 CA 00 00 FF FF 00 00"
			" 04 08 00 B0 00 00 FF FF 00 00 A1 03 80 01 01", 0);
	assert_int_equal(rs.rule[0].apdu, SEAC_FILTER);
	assert_int_equal(rs.rule[0].nfc, SEAC_ALWAYS);
	seac_rules_free(&rs);
	rs = conditions("30 07 A0 05 A1 03 80 01 00", 0);
	assert_int_equal(rs.rule[0].apdu, SEAC_ALWAYS);
	assert_int_equal(rs.rule[0].nfc, SEAC_NEVER);
	seac_rules_free(&rs);
	/* refused shapes */
	static const char *const bad[] = {
		"30 12 04 10 000102030405060708090A0B0C0D0E0F",	/* 16-byte hash */
		"30 07 A0 05 A0 03 80 01 02",			/* permission 02 */
		"30 08 A0 06 A0 04 80 02 01 01",		/* 2-byte permission */
		"30 0C A0 0A A0 03 80 01 01 A0 03 80 01 00",	/* two APDU rules */
		"30 0C A0 0A A1 03 80 01 01 A1 03 80 01 00",	/* two NFC rules */
		"30 09 A0 07 A0 05 A1 03 04 01 00",		/* 1-byte filter */
		"30 06 A0 04 A0 02 A1 00",			/* no filter */
		"30 07 A0 05 A2 03 80 01 01",			/* [2] */
		"30 07 A0 05 A1 03 81 01 01",			/* NFC not [0] */
		"30 04 02 02 00 00",				/* INTEGER */
		"30 05 A0 00 05 01 00",				/* after rules */
		"31 00",					/* not a SEQUENCE */
		"30 02 04",					/* cut */
		"30 00 FF 30 00",				/* after padding */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		conditions(bad[i], -EBADMSG);
}

static void test_dir_record(void **state)
{
	struct arf_path p;
	struct bytes b;

	(void)state;
	b = hx("61 14 4F 0C A0 00 00 00 63 50 4B 43 53 2D 31 35"
	       " 51 04 3F 00 50 15 FF FF FF FF");
	assert_int_equal(arf_dir_record(b.b, b.n, &p), 0);
	assert_int_equal(p.len, 4);
	assert_int_equal(p.b[3], 0x15);
	/* label first, path without 3F00 */
	b = hx("61 16 50 02 50 31 4F 0C A0 00 00 00 63 50 4B 43 53 2D 31 35"
	       " 51 02 50 15");
	assert_int_equal(arf_dir_record(b.b, b.n, &p), 0);
	assert_int_equal(p.len, 2);
	/* the USIM's record, an empty one */
	b = hx("61 0F 4F 07 A0 00 00 00 87 10 02 50 04 55 53 49 4D FF FF");
	assert_int_equal(arf_dir_record(b.b, b.n, &p), -ENOENT);
	b = hx("FF FF FF FF");
	assert_int_equal(arf_dir_record(b.b, b.n, &p), -ENOENT);
	/* ours without a path, with an odd one; not a template; cut */
	b = hx("61 0E 4F 0C A0 00 00 00 63 50 4B 43 53 2D 31 35");
	assert_int_equal(arf_dir_record(b.b, b.n, &p), -EBADMSG);
	b = hx("61 11 4F 0C A0 00 00 00 63 50 4B 43 53 2D 31 35 51 01 50");
	assert_int_equal(arf_dir_record(b.b, b.n, &p), -EBADMSG);
	b = hx("70 0E 4F 0C A0 00 00 00 63 50 4B 43 53 2D 31 35");
	assert_int_equal(arf_dir_record(b.b, b.n, &p), -EBADMSG);
	b = hx("61 14 4F 0C A0 00 00 00 63 50 4B 43 53 2D 31 35 51 04 3F");
	assert_int_equal(arf_dir_record(b.b, b.n, &p), -EBADMSG);
}

/* ---- the walk */

static void test_walk(void **state)
{
	bool have = true;
	struct file_set fs;
	struct seac_rules rs;
	uint8_t tag[8];
	char why[300], buf[600], *text;

	(void)state;
	/* the SCWS: certificate A always; all SE apps: empty (never);
	 * both entries for the SCWS name one shared ACConditions file */
	snprintf(buf, sizeof(buf),
		 "30 11 A0 09 04 07 F0 53 43 57 53 47 57 30 04 04 02 43 10"
		 "30 08 82 00 30 04 04 02 43 11"
		 "30 11 A0 09 04 07 F0 53 43 57 53 47 57 30 04 04 02 43 10");
	base_set(&fs, buf);
	snprintf(buf, sizeof(buf), "30 16 04 14 %s", h20a);
	add(&fs, "4310", buf);
	add(&fs, "4311", "FF FF FF FF");
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, NULL, why, sizeof(why)),
			 0);
	assert_int_equal(tag[0], 1);
	assert_int_equal(rs.n, 3);
	assert_int_equal(file(&fs, "4310")->reads, 1);
	text = mapped(&rs, "ARF");
	assert_string_equal(text, "allow signer-sha1 "
			    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3\n"
			    "deny all\n");
	free(text);
	seac_rules_free(&rs);
	/* a poll reads ODF, DODF and ACMain only */
	assert_int_equal(arf_read_refresh(rd, &fs, tag, why, sizeof(why)), 0);
	assert_int_equal(file(&fs, "4300")->reads, 1);
	assert_int_equal(file(&fs, "3F004200")->reads, 2);

	/* a referenced file that is missing: refused, named */
	fs.n--;		/* 4311 */
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, NULL, why, sizeof(why)),
			 -EBADMSG);
	assert_string_equal(why, "EF ACConditions 4311: not on the card");
	assert_int_equal(rs.n, 0);
	assert_null(rs.rule);
	/* malformed ACConditions: the file and the offset are named */
	add(&fs, "4311", "30 03 04 01 00");
	memset(tag, 0, sizeof(tag));
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, &have, why,
					sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "EF ACConditions 4311: offset 2: "));
	assert_true(have);	/* the refused set is known by its tag */
	assert_int_equal(tag[7], 8);
	/* the link failing is passed on as it is */
	fs.fail = -ENODEV;
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, &have, why,
					sizeof(why)), -ENODEV);
	assert_false(have);
	fs.fail = 0;
	/* no ODF, no GP entry in the DODF: no ARF on this card */
	memset(&fs, 0, sizeof(fs));
	add(&fs, "5032", "30 00");
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, NULL, why, sizeof(why)),
			 -ENOENT);
	add(&fs, "5031", "A7 06 30 04 04 02 52 07");
	add(&fs, "5207", "A1 1A 30 00 30 00 A1 14 30 12 06 0A 2A 86 48 86 FC"
			 " 6B 81 48 01 02 30 04 04 02 42 00");
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, NULL, why, sizeof(why)),
			 -ENOENT);
	assert_non_null(strstr(why, "1.2.840.114283.200.1.1"));
	/* ... but a DODF the ODF names must be there */
	fs.n--;
	assert_int_equal(arf_read_refresh(rd, &fs, tag, why, sizeof(why)),
			 -EBADMSG);
	assert_string_equal(why, "EF DODF 5207: not on the card");
}

/* Every file of a good set cut at every length: refused or read, never
 * more. */
static void test_truncations(void **state)
{
	struct file_set fs;
	struct seac_rules rs;
	uint8_t tag[8];
	char why[300], buf[400];

	(void)state;
	base_set(&fs, "30 11 A0 09 04 07 F0 53 43 57 53 47 57 30 04 04 02 43 10"
		      "30 08 82 00 30 04 04 02 43 10");
	snprintf(buf, sizeof(buf), "30 1D 04 14 %s A0 05 A0 03 80 01 01", h20a);
	add(&fs, "4310", buf);
	for (size_t i = 0; i < fs.n; i++) {
		struct bytes whole = fs.f[i].data;

		for (size_t n = 0; n < whole.n; n++) {
			int err;

			fs.f[i].data.n = n;
			err = arf_read_rules(rd, &fs, &rs, tag, NULL, why,
					     sizeof(why));
			assert_true(err == 0 || err == -EBADMSG ||
				    err == -ENOENT);
			if (!err)
				seac_rules_free(&rs);
			/* a cut inside the only object of ACMain, of an
			 * ACRules entry or a Condition is always refused */
			if ((i == 2 || i == 4) && n > 0)
				assert_int_equal(err, -EBADMSG);
		}
		fs.f[i].data = whole;
	}
}

/* The resolution is the ARA-M's: the SCWS's own rules beat the rules for
 * all SE applications, and a hash beats "every application". */
static void test_precedence(void **state)
{
	struct file_set fs;
	struct seac_rules rs;
	uint8_t tag[8];
	char why[300], buf[600], *text;

	(void)state;
	/* SCWS: every app always; all SE apps: hash B never */
	base_set(&fs, "30 08 82 00 30 04 04 02 43 11"
		      "30 11 A0 09 04 07 F0 53 43 57 53 47 57 30 04 04 02 43 10");
	add(&fs, "4310", "30 00");
	snprintf(buf, sizeof(buf), "30 1D 04 14 %s A0 05 A0 03 80 01 00", h20b);
	add(&fs, "4311", buf);
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, NULL, why, sizeof(why)),
			 0);
	text = mapped(&rs, "ARF");
	assert_string_equal(text, "allow all\n");
	free(text);
	seac_rules_free(&rs);
	/* SCWS: empty ACConditions (never) beats all SE apps' allow */
	fs.f[4].data = hx("");
	snprintf(buf, sizeof(buf), "30 16 04 14 %s", h20b);
	fs.f[5].data = hx(buf);
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, NULL, why, sizeof(why)),
			 0);
	text = mapped(&rs, "ARF");
	assert_string_equal(text, "deny all\n");
	free(text);
	seac_rules_free(&rs);
	/* only all SE apps: B allowed, A never, others never */
	fs.f[3].data = hx("30 08 82 00 30 04 04 02 43 11");
	snprintf(buf, sizeof(buf), "30 16 04 14 %s 30 1D 04 14 %s"
		 " A0 05 A0 03 80 01 00", h20b, h20a);
	fs.f[5].data = hx(buf);
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, NULL, why, sizeof(why)),
			 0);
	text = mapped(&rs, "ARF");
	assert_string_equal(text,
			    "allow signer-sha1 "
			    "1011121314151617181911111b1c1d1e1f202122\n"
			    "deny signer-sha1 "
			    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3\n"
			    "deny all\n");
	free(text);
	seac_rules_free(&rs);
}

/* The same rules from an ARA-M (GET DATA [All]) map to the same text. */
static void test_same_as_aram(void **state)
{
	struct file_set fs;
	struct seac_rules rs, ra;
	uint8_t tag[8];
	char why[300], buf[900], *t1, *t2;
	struct bytes all;

	(void)state;
	base_set(&fs, "30 11 A0 09 04 07 F0 53 43 57 53 47 57 30 04 04 02 43 10"
		      "30 08 82 00 30 04 04 02 43 11");
	snprintf(buf, sizeof(buf), "30 16 04 14 %s 30 1D 04 14 %s"
		 " A0 05 A0 03 80 01 00", h20a, h20b);
	add(&fs, "4310", buf);
	add(&fs, "4311", "30 00");
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, NULL, why, sizeof(why)),
			 0);
	/* the same three rules as REF-AR-DOs */
	snprintf(buf, sizeof(buf), "FF40 5D"
		 " E2 26 E1 1F 4F 07 F0534357534757 C1 14 %s E3 03 D0 01 01"
		 " E2 26 E1 1F 4F 07 F0534357534757 C1 14 %s E3 03 D0 01 00"
		 " E2 0B E1 04 4F 00 C1 00 E3 03 D0 01 01", h20a, h20b);
	all = hx(buf);
	assert_int_equal(seac_parse(all.b, all.n, &ra, why, sizeof(why)), 0);
	t1 = mapped(&rs, "X");
	t2 = mapped(&ra, "X");
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
	seac_rules_free(&rs);
	seac_rules_free(&ra);
}

/*
 * Interop: a card's ARF written byte by byte after GPD_SPE_013 annex C
 * and PKCS#15 (as the Firefox OS GP access rules manager documents the
 * files and Android's ARF reader parses them), not produced by scws-card:
 * PKCS#15 AODF and CDF entries before the DODF in the ODF, a DODF with
 * a label and a second (SATSA) OidDO, EFs padded with FF, an applet rule,
 * a default-application rule, an all-applications rule with three
 * conditions (hash only, hash + APDU never, hash + APDU filter + NFC).
 */
static void test_interop_vector(void **state)
{
	struct file_set fs = { .n = 0 };
	struct seac_rules rs;
	uint8_t tag[8];
	char why[300], *text;

	(void)state;
	add(&fs, "5031",
	    "A8 06 30 04 04 02 44 01"		/* AODF 4401 */
	    "A5 06 30 04 04 02 44 03"		/* CDF (trusted) 4403 */
	    "A7 06 30 04 04 02 52 07"		/* DODF 5207 */
	    "FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF");
	add(&fs, "5207",
	    "A1 29"				/* oidDO */
	    "  30 00"				/* CommonObjectAttributes */
	    "  30 0F 0C 0D 47 50 20 53 45 20 41 63 63 20 43 74 6C"
	    "  A1 14 30 12"			/* "GP SE Acc Ctl" */
	    "    06 0A 2A 86 48 86 FC 6B 81 48 01 01" /* 1.2.840.114283.200.1.1 */
	    "    30 04 04 02 42 00"		/* ACMain 4200 */
	    "A1 2B"
	    "  30 00"
	    "  30 0F 0C 0D 53 41 54 53 41 20 47 54 4F 20 31 2E 31"
	    "  A1 16 30 14"			/* "SATSA GTO 1.1" */
	    "    06 0C 2B 06 01 04 01 2A 02 6E 03 01 01 01"
	    "    30 04 04 02 50 01"
	    "FF FF FF FF FF FF FF FF");
	add(&fs, "4200",
	    "30 10 04 08 00 00 00 00 00 00 00 07"	/* refresh tag */
	    "      30 04 04 02 43 00"			/* ACRules 4300 */
	    "FF FF FF FF");
	add(&fs, "4300",
	    "30 10 A0 08 04 06 A0 00 00 01 51 01"	/* one applet */
	    "      30 04 04 02 43 10"
	    "30 08 81 00 30 04 04 02 43 12"		/* default application */
	    "30 08 82 00 30 04 04 02 43 11"		/* all applications */
	    "FF FF FF FF FF FF FF FF FF FF");
	add(&fs, "4310",
	    "30 16 04 14 A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3"
	    "FF FF FF FF FF FF FF FF FF FF");
	add(&fs, "4311",
	    "30 16 04 14 1011121314151617181911111B1C1D1E1F202122"
	    "30 1D 04 14 C0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3"
	    "      A0 05 A0 03 80 01 00"
	    "30 2B 04 14 E0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3"
	    "      A0 13 A0 0C A1 0A 04 08 80 CA 00 00 FF FF 00 00"
	    "            A1 03 80 01 01"
	    "FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF");
	add(&fs, "4312", "FF FF FF FF FF FF FF FF");
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, NULL, why, sizeof(why)),
			 0);
	assert_int_equal(tag[7], 7);
	assert_int_equal(rs.n, 5);
	assert_int_equal(rs.rule[0].aid_kind, SEAC_AID_SPECIFIC);
	assert_int_equal(rs.rule[0].aid_len, 6);
	assert_int_equal(rs.rule[1].aid_kind, SEAC_AID_DEFAULT);
	assert_int_equal(rs.rule[1].apdu, SEAC_NEVER);
	assert_int_equal(rs.rule[4].apdu, SEAC_FILTER);
	assert_int_equal(rs.rule[4].nfc, SEAC_ALWAYS);
	text = mapped(&rs, "ARF");
	assert_string_equal(text,
			    "allow signer-sha1 "
			    "1011121314151617181911111b1c1d1e1f202122\n"
			    "deny signer-sha1 "
			    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3\n"
			    "deny signer-sha1 "
			    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3\n"
			    "deny all\n");
	free(text);
	seac_rules_free(&rs);
}

/* What the mapping writes from ARF rules, the policy parser reads. */
static void test_text_parses(void **state)
{
	struct file_set fs;
	struct seac_rules rs;
	struct acp_policy p;
	struct acp_errors errs;
	uint8_t tag[8];
	char why[300], *text = NULL;
	size_t tlen = 0;
	unsigned int lines;
	FILE *f;

	(void)state;
	base_set(&fs, "30 11 A0 09 04 07 F0 53 43 57 53 47 57 30 04 04 02 43 10");
	add(&fs, "4310", "30 22 04 20 000102030405060708090A0B0C0D0E0F"
			 "101112131415161718191A1B1C1D1E1F 30 00");
	assert_int_equal(arf_read_rules(rd, &fs, &rs, tag, NULL, why, sizeof(why)),
			 0);
	f = open_memstream(&text, &tlen);
	assert_non_null(f);
	lines = seac_to_acp_from(f, &rs, scws_aid, sizeof(scws_aid), tag, "ARF");
	fclose(f);
	assert_non_null(strstr(text, "(GP SE Access Control, ARF), refresh "
			       "tag 0102030405060708"));
	assert_int_equal(acp_parse(text, tlen, &p, &errs), 0);
	assert_int_equal(p.n_rules, lines);
	assert_int_equal(lines, 2);	/* the hash, then deny all */
	acp_policy_free(&p);
	free(text);
	seac_rules_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_odf),
		cmocka_unit_test(test_dodf),
		cmocka_unit_test(test_acmain),
		cmocka_unit_test(test_acrules),
		cmocka_unit_test(test_acconditions),
		cmocka_unit_test(test_dir_record),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_same_as_aram),
		cmocka_unit_test(test_interop_vector),
		cmocka_unit_test(test_text_parses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
