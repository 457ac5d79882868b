// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/seac-resolve.c tools/lib/seac-rules.c tools/lib/ber.c tools/lib/se-local.c
/*
 * GP SEAC resolution for the APDU access service: each step of the
 * precedence (A, A-other, B, C, C-other, D, none), the default
 * application, merging (deny wins, filters add up, ALWAYS beats
 * filters), hashes of both lengths and PKG-REF-DO, filter matching; and
 * the admin's local rules file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "se-local.h"
#include "seac-resolve.h"

static const uint8_t aid1[] = { 0xF0, 0x53, 0x43, 0x57, 0x53, 0x54, 0x45, 0x53, 0x54 };
static const uint8_t aid2[] = { 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02 };

enum { ANY = 0, SHA1 = 20, SHA256 = 32 };
enum { AID1, AID2, ALL, DFLT };

static struct seac_rule rules[16];
static struct seac_rules rs = { 0, rules };
static struct seac_app me, other;

static void add(int aid, int hash, const struct seac_app *who,
		enum seac_access apdu, const char *pkg)
{
	struct seac_rule *r = &rules[rs.n++];

	memset(r, 0, sizeof(*r));
	r->aid_kind = aid == ALL ? SEAC_AID_ALL : aid == DFLT ?
		      SEAC_AID_DEFAULT : SEAC_AID_SPECIFIC;
	if (aid == AID1) {
		memcpy(r->aid, aid1, sizeof(aid1));
		r->aid_len = sizeof(aid1);
	} else if (aid == AID2) {
		memcpy(r->aid, aid2, sizeof(aid2));
		r->aid_len = sizeof(aid2);
	}
	r->hash_len = (size_t)hash;
	if (hash == SHA1)
		memcpy(r->hash, who->sha1, 20);
	else if (hash == SHA256)
		memcpy(r->hash, who->sha256, 32);
	if (pkg)
		strcpy(r->pkg, pkg);
	r->apdu = apdu;
}

static void add_filter(uint8_t ins)
{
	struct seac_rule *r = &rules[rs.n - 1];
	uint8_t f[8] = { 0x80, ins, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00 };

	r->apdu = SEAC_FILTER;
	memcpy(r->filter[r->n_filters++], f, 8);
}

static int setup(void **state)
{
	(void)state;
	rs.n = 0;
	memset(&me, 0, sizeof(me));
	memset(&other, 0, sizeof(other));
	me.signed_app = other.signed_app = true;
	memset(me.sha1, 0x11, 20);
	memset(me.sha256, 0x12, 32);
	memset(other.sha1, 0x21, 20);
	memset(other.sha256, 0x22, 32);
	return 0;
}

static struct seac_decision d;

static void resolve(const uint8_t *aid, size_t len, const struct seac_app *a)
{
	seac_resolve(&rs, aid, len, a, &d);
}

static void no_rule_no_access(void **state)
{
	(void)state;
	resolve(aid1, sizeof(aid1), &me);
	assert_false(d.allowed);
	assert_int_equal(d.step, SEAC_STEP_NONE);
	add(AID2, SHA1, &me, SEAC_ALWAYS, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_false(d.allowed);	/* another AID's rule says nothing */
}

static void step_a_specific_beats_generic(void **state)
{
	(void)state;
	add(AID1, ANY, &me, SEAC_NEVER, NULL);
	add(ALL, ANY, &me, SEAC_NEVER, NULL);
	add(AID1, SHA1, &me, SEAC_ALWAYS, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_true(d.allowed);
	assert_true(d.all_apdus);
	assert_int_equal(d.step, SEAC_STEP_A);
}

static void step_a_sha256(void **state)
{
	(void)state;
	add(AID1, SHA256, &me, SEAC_ALWAYS, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_int_equal(d.step, SEAC_STEP_A);
	assert_true(d.allowed);
}

static void step_a_other_app_never(void **state)
{
	(void)state;
	add(AID1, SHA1, &other, SEAC_ALWAYS, NULL);
	add(AID1, ANY, &me, SEAC_ALWAYS, NULL);	/* B is not reached */
	add(ALL, ANY, &me, SEAC_ALWAYS, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_false(d.allowed);
	assert_int_equal(d.step, SEAC_STEP_A_OTHER);
	resolve(aid1, sizeof(aid1), &other);
	assert_true(d.allowed);
}

static void unsigned_app_meets_specific_rules(void **state)
{
	struct seac_app nobody = { 0 };

	(void)state;
	add(AID1, SHA1, &me, SEAC_ALWAYS, NULL);
	resolve(aid1, sizeof(aid1), &nobody);
	assert_false(d.allowed);
	assert_int_equal(d.step, SEAC_STEP_A_OTHER);
}

static void step_b(void **state)
{
	(void)state;
	add(AID1, ANY, &me, SEAC_ALWAYS, NULL);
	add(ALL, SHA1, &me, SEAC_NEVER, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_true(d.allowed);
	assert_int_equal(d.step, SEAC_STEP_B);
}

static void step_c(void **state)
{
	(void)state;
	add(ALL, SHA1, &me, SEAC_ALWAYS, NULL);
	add(ALL, ANY, &me, SEAC_NEVER, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_true(d.allowed);
	assert_int_equal(d.step, SEAC_STEP_C);
}

static void step_c_other_never(void **state)
{
	(void)state;
	add(ALL, SHA1, &other, SEAC_ALWAYS, NULL);
	add(ALL, ANY, &me, SEAC_ALWAYS, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_false(d.allowed);
	assert_int_equal(d.step, SEAC_STEP_C_OTHER);
}

static void step_d(void **state)
{
	(void)state;
	add(ALL, ANY, &me, SEAC_ALWAYS, NULL);
	resolve(aid2, sizeof(aid2), &me);
	assert_true(d.allowed);
	assert_int_equal(d.step, SEAC_STEP_D);
}

static void default_application(void **state)
{
	static const uint8_t null_aid[5];

	(void)state;
	add(DFLT, ANY, &me, SEAC_ALWAYS, NULL);
	resolve(NULL, 0, &me);
	assert_true(d.allowed);
	assert_int_equal(d.step, SEAC_STEP_B);
	resolve(null_aid, sizeof(null_aid), &me);
	assert_true(d.allowed);
	resolve(aid1, sizeof(aid1), &me);
	assert_false(d.allowed);	/* C0 is not every application */
}

static void merge_never_wins(void **state)
{
	(void)state;
	add(AID1, SHA1, &me, SEAC_ALWAYS, NULL);
	add(AID1, SHA256, &me, SEAC_NEVER, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_false(d.allowed);
	assert_int_equal(d.step, SEAC_STEP_A);
	assert_int_equal(d.n_filters, 0);
}

static void merge_missing_apdu_rule_is_never(void **state)
{
	(void)state;
	add(AID1, ANY, &me, SEAC_ABSENT, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_false(d.allowed);
}

static void merge_filters_add_up(void **state)
{
	uint8_t echo[4] = { 0x80, 0x01, 0x12, 0x34 };
	uint8_t inc[4] = { 0x80, 0x02, 0x00, 0x00 };
	uint8_t get[4] = { 0x80, 0x03, 0x00, 0x00 };

	(void)state;
	add(AID1, SHA1, &me, SEAC_FILTER, NULL);
	add_filter(0x01);
	add(AID1, SHA256, &me, SEAC_FILTER, NULL);
	add_filter(0x02);
	resolve(aid1, sizeof(aid1), &me);
	assert_true(d.allowed);
	assert_false(d.all_apdus);
	assert_int_equal(d.n_filters, 2);
	assert_true(seac_apdu_allowed(&d, echo));	/* P1 P2 masked out */
	assert_true(seac_apdu_allowed(&d, inc));
	assert_false(seac_apdu_allowed(&d, get));
}

static void merge_always_beats_filters(void **state)
{
	uint8_t get[4] = { 0x80, 0x03, 0x00, 0x00 };

	(void)state;
	add(AID1, SHA1, &me, SEAC_FILTER, NULL);
	add_filter(0x01);
	add(AID1, SHA256, &me, SEAC_ALWAYS, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_true(d.all_apdus);
	assert_true(seac_apdu_allowed(&d, get));
}

static void pkg_ref_do(void **state)
{
	(void)state;
	add(AID1, SHA1, &me, SEAC_ALWAYS, "usr.bin.wallet");
	me.label = "usr.bin.wallet";
	resolve(aid1, sizeof(aid1), &me);
	assert_true(d.allowed);
	me.label = "usr.bin.other";
	resolve(aid1, sizeof(aid1), &me);
	assert_false(d.allowed);
	assert_int_equal(d.step, SEAC_STEP_A_OTHER);
	me.label = NULL;
	resolve(aid1, sizeof(aid1), &me);
	assert_false(d.allowed);
}

static void nfc_follows(void **state)
{
	(void)state;
	add(AID1, SHA1, &me, SEAC_ALWAYS, NULL);
	resolve(aid1, sizeof(aid1), &me);
	assert_int_equal(d.nfc, SEAC_ALWAYS);
	rules[0].nfc = SEAC_NEVER;
	resolve(aid1, sizeof(aid1), &me);
	assert_int_equal(d.nfc, SEAC_NEVER);
	assert_true(d.allowed);		/* NFC does not decide APDUs */
}

static void parsed_filters_kept(void **state)
{
	/* FF40 { E2 { E1 { 4F aid1, C1 00 }, E3 { D0 (2 filters) } } } */
	uint8_t buf[] = {
		0xFF, 0x40, 0x25, 0xE2, 0x23,
		0xE1, 0x0D, 0x4F, 0x09, 0xF0, 0x53, 0x43, 0x57, 0x53, 0x54,
		0x45, 0x53, 0x54, 0xC1, 0x00,
		0xE3, 0x12, 0xD0, 0x10,
		0x80, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00,
		0x80, 0x03, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,
	};
	uint8_t get[4] = { 0x80, 0x03, 0x00, 0x00 };
	uint8_t get1[4] = { 0x80, 0x03, 0x00, 0x01 };
	struct seac_rules parsed;
	char why[100];

	(void)state;
	assert_int_equal(seac_parse(buf, sizeof(buf), &parsed, why,
				    sizeof(why)), 0);
	assert_int_equal(parsed.n, 1);
	assert_int_equal(parsed.rule[0].n_filters, 2);
	seac_resolve(&parsed, aid1, sizeof(aid1), &me, &d);
	assert_true(d.allowed);
	assert_true(seac_apdu_allowed(&d, get));
	assert_false(seac_apdu_allowed(&d, get1));
	seac_rules_free(&parsed);
}

/* ---- the admin's rules ---- */

static void local_parse_and_match(void **state)
{
	static const char text[] =
		"# comment\n"
		"deny * uid 65534\n"
		"\n"
		"allow F05343575354455354 exe /usr/bin/app apdu 80010000/FFFF0000  # echo\n"
		"allow default label usr.bin.wallet\n"
		"allow A0000000871002 cert-sha256 "
		"1212121212121212121212121212121212121212121212121212121212121212\n";
	struct se_local l;
	struct se_local_who who = { .uid = 0, .exe = "/usr/bin/app", .app = &me };
	const struct se_local_rule *r;
	char why[200];

	(void)state;
	assert_int_equal(se_local_parse(text, strlen(text), &l, why,
					sizeof(why)), 0);
	assert_int_equal(l.n, 4);
	r = se_local_match(&l, aid1, sizeof(aid1), &who);
	assert_non_null(r);
	assert_true(r->allow);
	assert_int_equal(r->line, 4);
	assert_int_equal(r->n_filters, 1);
	who.uid = 65534;
	r = se_local_match(&l, aid1, sizeof(aid1), &who);
	assert_false(r->allow);
	who.uid = 0;
	who.exe = "/usr/bin/other";
	assert_null(se_local_match(&l, aid1, sizeof(aid1), &who));
	r = se_local_match(&l, aid2, sizeof(aid2), &who);
	assert_non_null(r);
	assert_int_equal(r->line, 6);
	me.signed_app = false;
	assert_null(se_local_match(&l, aid2, sizeof(aid2), &who));
	me.label = "usr.bin.wallet";
	r = se_local_match(&l, NULL, 0, &who);
	assert_non_null(r);
	assert_int_equal(r->line, 5);
	se_local_free(&l);
}

static void local_errors(void **state)
{
	static const char *bad[] = {
		"permit * uid 0\n",
		"allow F0 uid 0\n",
		"allow * uid\n",
		"allow * uid -1\n",
		"allow * exe relative/path\n",
		"deny * apdu 80010000/FFFF0000\n",
		"allow * apdu 8001/FF\n",
		"allow * cert-sha256 1234\n",
		"allow * colour blue\n",
	};
	struct se_local l;
	char why[200];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(se_local_parse(bad[i], strlen(bad[i]), &l,
						why, sizeof(why)), -EINVAL);
		assert_non_null(strstr(why, "line 1:"));
		assert_null(l.rule);
	}
	assert_int_equal(se_local_parse("", 0, &l, why, sizeof(why)), 0);
	assert_int_equal(l.n, 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(no_rule_no_access),
		T(step_a_specific_beats_generic),
		T(step_a_sha256),
		T(step_a_other_app_never),
		T(unsigned_app_meets_specific_rules),
		T(step_b),
		T(step_c),
		T(step_c_other_never),
		T(step_d),
		T(default_application),
		T(merge_never_wins),
		T(merge_missing_apdu_rule_is_never),
		T(merge_filters_add_up),
		T(merge_always_beats_filters),
		T(pkg_ref_do),
		T(nfc_follows),
		T(parsed_filters_kept),
		T(local_parse_and_match),
		T(local_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
