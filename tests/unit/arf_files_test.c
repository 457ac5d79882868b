// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/arf/arf_files.c tools/lib/ber.c tools/lib/arf-rules.c tools/lib/seac-rules.c
/*
 * scws-card's ARF view of its ARA-M rules: the files it builds read back
 * through the pump's ARF parser map to the same policy text as the ARA-M
 * rules themselves (a package-name rule, which ARF cannot express, left
 * out and counted), one ACConditions file per SE application, padding,
 * the refresh tag, the TEST TOOLING corruption.
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

#include "arf/arf.h"
#include "arf-rules.h"
#include "hex.h"
#include "seac-rules.h"
#include "arf_test_files.h"

static const uint8_t scws_aid[] = { 0xF0, 0x53, 0x43, 0x57, 0x53, 0x47, 0x57 };
static const uint8_t tag[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };

static char *text_of(const struct seac_rules *rs)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	seac_to_acp_from(f, rs, scws_aid, sizeof(scws_aid), tag, "X");
	fclose(f);
	return text;
}

/* Rules of every expressible shape, and one that is not (CA). */
#define SCWS "4F 07 F0 53 43 57 53 47 57"
#define H1 "C1 14 A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3"
#define H2 "C1 20 000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
#define R1 "E2 26 E1 1F " SCWS " " H1 " E3 03 D0 01 01 "
#define R2 "E2 32 E1 2B " SCWS " " H2 " E3 03 D0 01 00 "
#define R3 "E2 0E E1 04 4F 00 C1 00 E3 06 D0 01 01 D1 01 00 "
#define R4 "E2 12 E1 0B " SCWS " C1 00 E3 03 D1 01 00 "	/* no APDU rule */
#define R5 "E2 26 E1 18 4F 00 " H1 " E3 0A D0 08 80 CA 00 00 FF FF 00 00 "
#define R6 "E2 16 E1 0F " SCWS " C1 00 CA 02 61 62 E3 03 D0 01 00 "
#define R7 "E2 0B E1 04 C0 00 C1 00 E3 03 D0 01 01 "

static void test_round_trip(void **state)
{
	static uint8_t rules[1024], all[1024];
	struct arf_files files;
	struct seac_rules from_arf, from_aram;
	uint8_t got_tag[8];
	char why[300], *t1, *t2;
	size_t n, an;
	bool have;

	(void)state;
	n = unhex(R1 R2 R3 R4 R5 R6 R7, rules);
	assert_int_equal(n, 205);
	assert_int_equal(arf_files_build(rules, n, tag, false, &files), 0);
	assert_int_equal(files.skipped, 1);	/* the package rule */
	/* ODF, DODF, ACMain, ACRules; SCWS, all SE apps, default app */
	assert_int_equal(files.n, 7);
	for (size_t i = 0; i < files.n; i++)
		assert_int_equal(files.ef[i].size % 32, 0);
	assert_int_equal(arf_read_rules(rd, &files, &from_arf, got_tag, &have,
					why, sizeof(why)), 0);
	assert_memory_equal(got_tag, tag, 8);
	/* the ARA-M's own answer, without the package rule */
	an = unhex("FF 40 81 B5 " R1 R2 R3 R4 R5 R7, all);
	assert_int_equal(seac_parse(all, an, &from_aram, why, sizeof(why)), 0);
	assert_int_equal(from_arf.n, 6);
	assert_int_equal(from_aram.n, 6);
	t1 = text_of(&from_arf);
	t2 = text_of(&from_aram);
	assert_string_equal(t1, t2);
	assert_non_null(strstr(t1, "deny signer-sha256 0001"));
	free(t1);
	free(t2);
	seac_rules_free(&from_arf);
	seac_rules_free(&from_aram);
	/* corrupt: ACRules is no longer DER the parser takes */
	arf_files_free(&files);
	assert_int_equal(arf_files_build(rules, n, tag, true, &files), 0);
	assert_int_equal(arf_read_rules(rd, &files, &from_arf, got_tag, &have,
					why, sizeof(why)), -EBADMSG);
	assert_true(have);
	assert_non_null(strstr(why, "EF ACRules 4300"));
	arf_files_free(&files);
}

static void test_no_rules(void **state)
{
	struct arf_files files;
	struct seac_rules rs;
	uint8_t got_tag[8];
	char why[300];

	(void)state;
	assert_int_equal(arf_files_build(NULL, 0, tag, false, &files), 0);
	assert_int_equal(files.n, 4);
	assert_int_equal(arf_read_rules(rd, &files, &rs, got_tag, NULL, why,
					sizeof(why)), 0);
	assert_int_equal(rs.n, 0);
	seac_rules_free(&rs);
	arf_files_free(&files);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_no_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
