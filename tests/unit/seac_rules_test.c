// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/seac-rules.c tools/lib/ber.c tools/lib/acp-merge.c tools/lib/acp-policy.c
/*
 * The card's access rules: the ARA-M GET DATA [All] parser (every REF-DO
 * shape, malformed TLVs), the mapping to ACP text with GP's precedence
 * (specific beats generic, deny wins on equal REF-DO), an interop vector
 * laid out like Android's SecureElement / carrier-privilege examples, and
 * the merge with the local policy.
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

#include "acp-merge.h"
#include "acp-policy.h"
#include "ber.h"
#include "seac-rules.h"

static const uint8_t scws_aid[] = { 0xF0, 0x53, 0x43, 0x57, 0x53, 0x47, 0x57 };
static const uint8_t other_aid[] = { 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02 };
static uint8_t sha1_a[20], sha1_b[20], sha256_a[32];

/* ---- a small BER builder */

struct bld {
	uint8_t b[8192];
	size_t n;
};

static size_t put(uint8_t *out, uint32_t tag, const void *v, size_t len)
{
	size_t h = ber_put_header(out, tag, len);

	if (len)
		memcpy(out + h, v, len);
	return h + len;
}

/* One REF-AR-DO: aid NULL and aid_len 0 = 4F 00; aid_len SIZE_MAX = no
 * AID-REF-DO; aid_len 1 = C0 00. */
static void rule(struct bld *b, const uint8_t *aid, size_t aid_len,
		 const uint8_t *hash, size_t hash_len, const char *pkg,
		 const uint8_t *ar, size_t ar_len)
{
	uint8_t ref[256], e1[300], e3[300], e2[700];
	size_t n = 0, e1n, e3n, e2n;

	if (aid_len == 1)
		n += put(ref + n, 0xC0, NULL, 0);
	else if (aid_len != SIZE_MAX)
		n += put(ref + n, 0x4F, aid, aid_len);
	n += put(ref + n, 0xC1, hash, hash_len);
	if (pkg)
		n += put(ref + n, 0xCA, pkg, strlen(pkg));
	e1n = put(e1, 0xE1, ref, n);
	e3n = put(e3, 0xE3, ar, ar_len);
	memcpy(e2 + ber_header_size(0xE2, e1n + e3n), e1, e1n);
	memcpy(e2 + ber_header_size(0xE2, e1n + e3n) + e1n, e3, e3n);
	e2n = ber_put_header(e2, 0xE2, e1n + e3n) + e1n + e3n;
	memcpy(b->b + b->n, e2, e2n);
	b->n += e2n;
}

static const uint8_t always[] = { 0xD0, 0x01, 0x01 };
static const uint8_t never[] = { 0xD0, 0x01, 0x00 };
static const uint8_t filter[] = { 0xD0, 0x08, 0x80, 0xCA, 0x00, 0x00,
				  0xFF, 0xFF, 0x00, 0x00 };
static const uint8_t nfc_only[] = { 0xD1, 0x01, 0x01 };

/* The whole FF40 answer around the rules in b. */
static size_t answer(const struct bld *b, uint8_t *out)
{
	size_t h = ber_put_header(out, 0xFF40, b->n);

	memcpy(out + h, b->b, b->n);
	return h + b->n;
}

/* Parses b as an answer and maps it; returns the text (free it). */
static char *map(const struct bld *b, unsigned int *lines)
{
	static uint8_t buf[9000];
	struct seac_rules rs;
	char why[200], *text = NULL;
	size_t len = answer(b, buf), tlen = 0;
	FILE *f;
	int err = seac_parse(buf, len, &rs, why, sizeof(why));

	if (err)
		fprintf(stderr, "parse: %s\n", why);
	assert_int_equal(err, 0);
	f = open_memstream(&text, &tlen);
	assert_non_null(f);
	*lines = seac_to_acp(f, &rs, scws_aid, sizeof(scws_aid), NULL);
	fclose(f);
	seac_rules_free(&rs);
	return text;
}

/* The rule lines of text (comments dropped), one per line. */
static char *rules_of(const char *text)
{
	char *out = calloc(1, strlen(text) + 1);
	const char *p = text;

	assert_non_null(out);
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) + 1 : strlen(p);

		if (*p != '#')
			strncat(out, p, n);
		p += n;
	}
	return out;
}

static void expect_rules(const struct bld *b, const char *want)
{
	unsigned int lines;
	char *text = map(b, &lines), *got = rules_of(text);

	if (strcmp(got, want))
		fprintf(stderr, "got:\n%s\nwanted:\n%s\nfull text:\n%s\n",
			got, want, text);
	assert_string_equal(got, want);
	free(got);
	free(text);
}

static char *hex(const uint8_t *b, size_t n)
{
	static char s[4][80];
	static int k;
	char *o = s[k++ % 4];

	for (size_t i = 0; i < n; i++)
		sprintf(o + 2 * i, "%02x", b[i]);
	return o;
}

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < 20; i++) {
		sha1_a[i] = (uint8_t)(0xA0 + i);
		sha1_b[i] = (uint8_t)(0x10 + i);
	}
	for (int i = 0; i < 32; i++)
		sha256_a[i] = (uint8_t)(0x40 + i);
	return 0;
}

/* ---- parser */

static void test_empty_answer(void **state)
{
	static const uint8_t empty[] = { 0xFF, 0x40, 0x00 };
	struct seac_rules rs;
	char why[100];
	char *text = NULL;
	size_t tlen;
	FILE *f;

	(void)state;
	assert_int_equal(seac_parse(empty, sizeof(empty), &rs, why,
				    sizeof(why)), 0);
	assert_int_equal(rs.n, 0);
	f = open_memstream(&text, &tlen);
	assert_int_equal(seac_to_acp(f, &rs, scws_aid, sizeof(scws_aid),
				     NULL), 0);
	fclose(f);
	assert_non_null(strstr(text, "local policy decides"));
	free(text);
}

static void test_total(void **state)
{
	static const uint8_t a[] = { 0xFF, 0x40, 0x82, 0x01, 0x00 };
	static const uint8_t b[] = { 0xFF, 0x40, 0x82, 0x01 };
	static const uint8_t c[] = { 0xFF, 0x41, 0x00 };
	static const uint8_t d[] = { 0xFF, 0x40, 0x81, 0x10 };	/* not minimal */
	size_t total = 0;

	(void)state;
	assert_int_equal(seac_all_total(a, sizeof(a), &total), 0);
	assert_int_equal(total, 5 + 256);
	assert_int_equal(seac_all_total(b, sizeof(b), &total), -EAGAIN);
	assert_int_equal(seac_all_total(a, 2, &total), -EAGAIN);
	assert_int_equal(seac_all_total(c, sizeof(c), &total), -EBADMSG);
	assert_int_equal(seac_all_total(d, sizeof(d), &total), -EBADMSG);
}

static void test_shapes_parse(void **state)
{
	struct bld b = { .n = 0 };
	uint8_t buf[9000];
	struct seac_rules rs;
	char why[200];

	(void)state;
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, NULL, always, 3);
	rule(&b, scws_aid, sizeof(scws_aid), sha256_a, 32, "usr.bin.curl",
	     never, 3);
	rule(&b, NULL, 0, NULL, 0, NULL, filter, sizeof(filter));
	rule(&b, NULL, 1, NULL, 0, NULL, nfc_only, 3);
	rule(&b, NULL, SIZE_MAX, sha1_b, 20, "com.example", always, 3);
	assert_int_equal(seac_parse(buf, answer(&b, buf), &rs, why,
				    sizeof(why)), 0);
	assert_int_equal(rs.n, 5);
	assert_int_equal(rs.rule[0].aid_kind, SEAC_AID_SPECIFIC);
	assert_int_equal(rs.rule[0].hash_len, 20);
	assert_int_equal(rs.rule[0].apdu, SEAC_ALWAYS);
	assert_int_equal(rs.rule[1].hash_len, 32);
	assert_string_equal(rs.rule[1].pkg, "usr.bin.curl");
	assert_int_equal(rs.rule[1].apdu, SEAC_NEVER);
	assert_int_equal(rs.rule[2].aid_kind, SEAC_AID_ALL);
	assert_int_equal(rs.rule[2].apdu, SEAC_FILTER);
	assert_int_equal(rs.rule[3].aid_kind, SEAC_AID_DEFAULT);
	assert_int_equal(rs.rule[3].apdu, SEAC_ABSENT);
	assert_int_equal(rs.rule[3].nfc, SEAC_ALWAYS);
	assert_int_equal(rs.rule[4].aid_kind, SEAC_AID_NONE);
	seac_rules_free(&rs);
}

static void expect_malformed(const uint8_t *buf, size_t len)
{
	struct seac_rules rs;
	char why[200];

	assert_int_equal(seac_parse(buf, len, &rs, why, sizeof(why)),
			 -EBADMSG);
	assert_null(rs.rule);
	assert_true(why[0] != '\0');
}

static void test_malformed(void **state)
{
	struct bld b = { .n = 0 };
	uint8_t buf[9000], bad[9000];
	size_t len;

	(void)state;
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, NULL, always, 3);
	len = answer(&b, buf);
	/* every truncation, and every length byte off by one */
	for (size_t n = 0; n < len; n++)
		expect_malformed(buf, n);
	memcpy(bad, buf, len);
	bad[len] = 0x00;
	expect_malformed(bad, len + 1);			/* trailing byte */
	for (size_t i = 2; i < len; i++) {
		memcpy(bad, buf, len);
		bad[i] ^= 0x01;
		{
			struct seac_rules rs;
			char why[200];
			int err = seac_parse(bad, len, &rs, why, sizeof(why));

			/* changing a byte either breaks the TLV or gives a
			 * different, still well-formed rule set */
			assert_true(err == 0 || err == -EBADMSG);
			seac_rules_free(&rs);
		}
	}
	/* shapes refused */
	{
		static const uint8_t hash19[] = {
			0xFF, 0x40, 0x1E, 0xE2, 0x1C, 0xE1, 0x15, 0xC1, 0x13,
			1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
			17, 18, 19, 0xE3, 0x03, 0xD0, 0x01, 0x01 };
		static const uint8_t aid4[] = {
			0xFF, 0x40, 0x0F, 0xE2, 0x0D, 0xE1, 0x08, 0x4F, 0x04,
			1, 2, 3, 4, 0xC1, 0x00, 0xE3, 0x03, 0xD0, 0x01, 0x01 };
		static const uint8_t apdu2[] = {
			0xFF, 0x40, 0x0C, 0xE2, 0x0A, 0xE1, 0x04, 0x4F, 0x00,
			0xC1, 0x00, 0xE3, 0x04, 0xD0, 0x02, 0x01, 0x01 };
		static const uint8_t no_ar[] = {
			0xFF, 0x40, 0x08, 0xE2, 0x06, 0xE1, 0x04, 0x4F, 0x00,
			0xC1, 0x00 };
		static const uint8_t not_e2[] = {
			0xFF, 0x40, 0x0B, 0xE4, 0x09, 0xE1, 0x04, 0x4F, 0x00,
			0xC1, 0x00, 0xE3, 0x03, 0xD0, 0x01, 0x01 };
		static const uint8_t long_nonmin[] = {
			0xFF, 0x40, 0x81, 0x0B, 0xE2, 0x09, 0xE1, 0x04, 0x4F,
			0x00, 0xC1, 0x00, 0xE3, 0x03, 0xD0, 0x01, 0x01 };
		static const uint8_t pkg_ctl[] = {
			0xFF, 0x40, 0x0E, 0xE2, 0x0C, 0xE1, 0x07, 0x4F, 0x00,
			0xC1, 0x00, 0xCA, 0x01, 0x0A, 0xE3, 0x03, 0xD0, 0x01,
			0x01 };

		expect_malformed(hash19, sizeof(hash19));
		expect_malformed(aid4, sizeof(aid4));
		expect_malformed(apdu2, sizeof(apdu2));
		expect_malformed(no_ar, sizeof(no_ar));
		expect_malformed(not_e2, sizeof(not_e2));
		expect_malformed(long_nonmin, sizeof(long_nonmin));
		expect_malformed(pkg_ctl, sizeof(pkg_ctl));
	}
}

/* ---- mapping */

static void test_map_each_shape(void **state)
{
	char want[1024];
	struct bld b = { .n = 0 };

	(void)state;
	/* SCWS AID, 20-byte hash: signer-sha1 */
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, NULL, always, 3);
	snprintf(want, sizeof(want), "allow signer-sha1 %s\ndeny all\n",
		 hex(sha1_a, 20));
	expect_rules(&b, want);
	/* 32-byte hash, never: signer-sha256 deny */
	b.n = 0;
	rule(&b, scws_aid, sizeof(scws_aid), sha256_a, 32, NULL, never, 3);
	snprintf(want, sizeof(want), "deny signer-sha256 %s\ndeny all\n",
		 hex(sha256_a, 32));
	expect_rules(&b, want);
	/* empty hash: all */
	b.n = 0;
	rule(&b, scws_aid, sizeof(scws_aid), NULL, 0, NULL, always, 3);
	expect_rules(&b, "allow all\n");
	/* package only: label, then no match -> deny */
	b.n = 0;
	rule(&b, scws_aid, sizeof(scws_aid), NULL, 0, "snap.demo.client",
	     always, 3);
	expect_rules(&b, "allow label \"snap.demo.client\"\ndeny all\n");
	/* hash and package */
	b.n = 0;
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, "usr.bin.curl",
	     always, 3);
	snprintf(want, sizeof(want),
		 "allow signer-sha1 %s label \"usr.bin.curl\"\ndeny all\n",
		 hex(sha1_a, 20));
	expect_rules(&b, want);
	/* APDU filter, NFC only: not an allow */
	b.n = 0;
	rule(&b, scws_aid, sizeof(scws_aid), NULL, 0, NULL, filter,
	     sizeof(filter));
	expect_rules(&b, "deny all\n");
	b.n = 0;
	rule(&b, NULL, 0, NULL, 0, NULL, nfc_only, 3);
	expect_rules(&b, "deny all\n");
	/* all SE applications applies; the default application, another AID
	 * and a rule without AID (carrier privileges) do not */
	b.n = 0;
	rule(&b, NULL, 1, NULL, 0, NULL, always, 3);
	rule(&b, other_aid, sizeof(other_aid), NULL, 0, NULL, always, 3);
	rule(&b, NULL, SIZE_MAX, sha1_b, 20, "com.example", always, 3);
	expect_rules(&b, "");
	rule(&b, NULL, 0, sha1_b, 20, NULL, always, 3);
	snprintf(want, sizeof(want), "allow signer-sha1 %s\ndeny all\n",
		 hex(sha1_b, 20));
	expect_rules(&b, want);
}

static void test_map_precedence(void **state)
{
	char want[1024];
	struct bld b = { .n = 0 };

	(void)state;
	/* deny wins on an equal REF-DO, whatever the order */
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, NULL, always, 3);
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, NULL, never, 3);
	snprintf(want, sizeof(want), "deny signer-sha1 %s\ndeny all\n",
		 hex(sha1_a, 20));
	expect_rules(&b, want);
	b.n = 0;
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, NULL, never, 3);
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, NULL, always, 3);
	expect_rules(&b, want);
	/* specific beats generic: a hash rule for the SCWS shuts out the
	 * generic rules of the SCWS and of all SE applications */
	b.n = 0;
	rule(&b, NULL, 0, NULL, 0, NULL, always, 3);
	rule(&b, scws_aid, sizeof(scws_aid), NULL, 0, NULL, always, 3);
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, NULL, always, 3);
	rule(&b, NULL, 0, sha1_b, 20, NULL, always, 3);
	snprintf(want, sizeof(want), "allow signer-sha1 %s\ndeny all\n",
		 hex(sha1_a, 20));
	expect_rules(&b, want);
	/* the SCWS's own generic rule beats all-SE-apps hash rules */
	b.n = 0;
	rule(&b, NULL, 0, sha1_b, 20, NULL, always, 3);
	rule(&b, scws_aid, sizeof(scws_aid), NULL, 0, NULL, never, 3);
	expect_rules(&b, "deny all\n");
	/* no SCWS rule: all-SE-apps hash rules, then their generic one is
	 * unreachable (another hash -> never) */
	b.n = 0;
	rule(&b, NULL, 0, NULL, 0, NULL, always, 3);
	rule(&b, NULL, 0, sha1_b, 20, NULL, never, 3);
	snprintf(want, sizeof(want), "deny signer-sha1 %s\ndeny all\n",
		 hex(sha1_b, 20));
	expect_rules(&b, want);
	/* package rules come before the hash-only rule of the same level */
	b.n = 0;
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, NULL, always, 3);
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, "evil", never, 3);
	snprintf(want, sizeof(want), "deny signer-sha1 %s label \"evil\"\n"
		 "allow signer-sha1 %s\ndeny all\n", hex(sha1_a, 20),
		 hex(sha1_a, 20));
	expect_rules(&b, want);
}

/*
 * Interop: an answer laid out like a production ARA-M as Android's
 * SecureElement tests and the carrier-privilege documentation show it
 * (spec digest 5.1, 5.2): FF40 with a long-form length, a carrier-
 * privilege rule (no AID-REF-DO, C1 + CA, DB permissions), a rule for a
 * specific applet with APDU filters and NFC, and an all-SE-applications
 * rule for one certificate, always.  Bytes written out in full.
 */
static const uint8_t interop[] = {
	0xFF, 0x40, 0x81, 0xAD,
	/* E2: carrier privileges for com.google.android.apps.myapp */
	0xE2, 0x43,
	0xE1, 0x35,
	0xC1, 0x14, 0xAB, 0xCD, 0x92, 0xCB, 0xB1, 0x56, 0xB2, 0x80, 0xFA,
	0x4E, 0x14, 0x29, 0xA6, 0xEC, 0xEE, 0xB6, 0xE5, 0xC1, 0xBF, 0xE4,
	0xCA, 0x1D, 'c', 'o', 'm', '.', 'g', 'o', 'o', 'g', 'l', 'e', '.',
	'a', 'n', 'd', 'r', 'o', 'i', 'd', '.', 'a', 'p', 'p', 's', '.',
	'm', 'y', 'a', 'p', 'p',
	0xE3, 0x0A, 0xDB, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00,
	/* E2: applet A000000087100201, one certificate, APDU filter + NFC */
	0xE2, 0x31,
	0xE1, 0x20,
	0x4F, 0x08, 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0x01,
	0xC1, 0x14, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
	0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x11, 0x22, 0x33, 0x44,
	0xE3, 0x0D,
	0xD0, 0x08, 0x00, 0xA4, 0x04, 0x00, 0xFF, 0xFF, 0xFF, 0x00,
	0xD1, 0x01, 0x01,
	/* E2: every SE application, certificate 0102..14, always */
	0xE2, 0x1F,
	0xE1, 0x18, 0x4F, 0x00,
	0xC1, 0x14, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
	0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14,
	0xE3, 0x03, 0xD0, 0x01, 0x01,
	/* E2: the SCWS (our AID), every device application, never */
	0xE2, 0x12,
	0xE1, 0x0B, 0x4F, 0x07, 0xF0, 0x53, 0x43, 0x57, 0x53, 0x47, 0x57,
	0xC1, 0x00,
	0xE3, 0x03, 0xD0, 0x01, 0x00,
};

static void test_interop_vector(void **state)
{
	struct seac_rules rs;
	char why[200], *text = NULL, *got;
	size_t tlen;
	FILE *f;
	int err;

	(void)state;
	err = seac_parse(interop, sizeof(interop), &rs, why, sizeof(why));
	if (err)
		fprintf(stderr, "interop: %s\n", why);
	assert_int_equal(err, 0);
	assert_int_equal(rs.n, 4);
	assert_int_equal(rs.rule[0].aid_kind, SEAC_AID_NONE);
	assert_string_equal(rs.rule[0].pkg, "com.google.android.apps.myapp");
	assert_int_equal(rs.rule[1].apdu, SEAC_FILTER);
	assert_int_equal(rs.rule[1].nfc, SEAC_ALWAYS);
	assert_int_equal(rs.rule[2].aid_kind, SEAC_AID_ALL);
	f = open_memstream(&text, &tlen);
	seac_to_acp(f, &rs, scws_aid, sizeof(scws_aid), NULL);
	fclose(f);
	got = rules_of(text);
	/* the SCWS's own generic never beats the all-SE-apps hash rule */
	assert_string_equal(got, "deny all\n");
	free(got);
	free(text);
	/* with another SCWS AID, the all-SE-apps rule decides */
	f = open_memstream(&text, &tlen);
	seac_to_acp(f, &rs, other_aid, sizeof(other_aid), NULL);
	fclose(f);
	got = rules_of(text);
	assert_string_equal(got, "allow signer-sha1 "
			    "0102030405060708090a0b0c0d0e0f1011121314\n"
			    "deny all\n");
	free(got);
	free(text);
	seac_rules_free(&rs);
}

/* The mapping's text goes through the shared parser. */
static void test_text_parses(void **state)
{
	struct bld b = { .n = 0 };
	struct acp_policy p;
	struct acp_errors errs;
	unsigned int lines;
	char *text;
	int err;

	(void)state;
	rule(&b, scws_aid, sizeof(scws_aid), NULL, 0, "snap.demo.curl",
	     always, 3);
	rule(&b, scws_aid, sizeof(scws_aid), NULL, 0, NULL, never, 3);
	text = map(&b, &lines);
	err = acp_parse(text, strlen(text), &p, &errs);
	if (err)
		acp_errors_print(stderr, "card", &errs);
	assert_int_equal(err, 0);
	assert_int_equal(p.n_rules, lines);
	assert_int_equal(p.rules[0].action, SCWS_ACTION_ALLOW);
	assert_string_equal(p.rules[0].label, "snap.demo.curl");
	assert_int_equal(p.rules[1].action, SCWS_ACTION_DENY);
	assert_true(p.rules[1].selectors & ACP_SEL_ALL);
	acp_policy_free(&p);
	free(text);

	/* a package name holding the format's quote and escape characters */
	b.n = 0;
	rule(&b, scws_aid, sizeof(scws_aid), NULL, 0, "a\\x41\"b", always, 3);
	text = map(&b, &lines);
	err = acp_parse(text, strlen(text), &p, &errs);
	if (err)
		acp_errors_print(stderr, "card", &errs);
	assert_int_equal(err, 0);
	assert_string_equal(p.rules[0].label, "a\\x41\"b");
	acp_policy_free(&p);
	free(text);

	/* signer selectors */
	b.n = 0;
	rule(&b, scws_aid, sizeof(scws_aid), sha1_a, 20, NULL, always, 3);
	rule(&b, scws_aid, sizeof(scws_aid), sha256_a, 32, NULL, never, 3);
	text = map(&b, &lines);
	err = acp_parse(text, strlen(text), &p, &errs);
	if (err)
		acp_errors_print(stderr, "card", &errs);
	assert_int_equal(err, 0);
	assert_int_equal(p.n_rules, lines);
	acp_policy_free(&p);
	free(text);
}

static void parse_text(const char *t, struct acp_policy *p)
{
	struct acp_errors errs;
	int err = acp_parse(t, strlen(t), p, &errs);

	if (err)
		acp_errors_print(stderr, "t", &errs);
	assert_int_equal(err, 0);
}

static void test_merge_order(void **state)
{
	struct acp_policy local, card, out;
	struct acp_merge_info info;
	char *text = NULL;
	size_t tlen;
	FILE *f;

	(void)state;
	parse_text("default allow\nallow uid 0\ndeny uid 1000\n"
		   "allow label x\ndeny gid 5\n", &local);
	parse_text("allow label card\ndeny all\n", &card);
	assert_int_equal(acp_merge(&local, &card, &out, &info), 0);
	assert_int_equal(info.local_deny, 2);
	assert_int_equal(info.card, 2);
	assert_int_equal(info.local_allow, 2);
	assert_int_equal(out.default_action, SCWS_ACTION_ALLOW);
	assert_int_equal(out.n_rules, 6);
	assert_int_equal(out.rules[0].uid_min, 1000);
	assert_int_equal(out.rules[1].gid, 5);
	assert_string_equal(out.rules[2].label, "card");
	assert_true(out.rules[3].selectors & ACP_SEL_ALL);
	/* the kernel keeps where each rule came from, for policy show */
	assert_int_equal(out.rules[1].source, SCWS_SOURCE_LOCAL);
	assert_int_equal(out.rules[2].source, SCWS_SOURCE_CARD);
	assert_int_equal(out.rules[3].source, SCWS_SOURCE_CARD);
	assert_int_equal(out.rules[4].source, SCWS_SOURCE_LOCAL);
	assert_int_equal(out.rules[4].uid_min, 0);
	assert_string_equal(out.rules[5].label, "x");
	f = open_memstream(&text, &tlen);
	acp_merge_print(f, &out, &info);
	fclose(f);
	/* the printed merge parses back to the same policy */
	{
		struct acp_policy again;

		parse_text(text, &again);
		/* text has no sources ("# card" is a comment): mark them */
		for (size_t i = info.local_deny;
		     i < info.local_deny + info.card; i++)
			again.rules[i].source = SCWS_SOURCE_CARD;
		assert_true(acp_policy_equal(&again, &out));
		acp_policy_free(&again);
	}
	assert_non_null(strstr(text, "# card (2)"));
	free(text);
	acp_policy_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_answer),
		cmocka_unit_test(test_total),
		cmocka_unit_test(test_shapes_parse),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_map_each_shape),
		cmocka_unit_test(test_map_precedence),
		cmocka_unit_test(test_interop_vector),
		cmocka_unit_test(test_text_parses),
		cmocka_unit_test(test_merge_order),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
