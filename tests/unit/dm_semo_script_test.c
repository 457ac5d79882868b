// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-dmc/dm-semo-script.c
/*
 * dm_semo_script_test.c - the ./SEMO APDU script: steps, expected SWs,
 * comments and separators, and each malformed form with its line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/scws-dmc/dm-semo-script.h"

static struct semo_script s;
static char err[200];

static int parse(const char *t)
{
	err[0] = '\0';
	return semo_script_parse(t, strlen(t), &s, err, sizeof(err));
}

static void steps(void **st)
{
	(void)st;
	assert_int_equal(parse("# install\naid A000000151000000\n"
			       "80F28002024F00  # GET STATUS\n"
			       "80e60200 0d 08 a0\n"), -1);
	assert_string_equal(err, "line 4: a C-APDU and an optional SW only");
	assert_int_equal(parse("aid A000000151000000\r\n80F28002024F00 6310\n"
			       "\n  80F24002024F00\n"), 0);
	assert_int_equal(s.n, 3);
	assert_true(s.step[0].is_aid);
	assert_int_equal(s.step[0].len, 8);
	assert_true(s.step[1].has_sw);
	assert_int_equal(s.step[1].sw, 0x6310);
	assert_int_equal(s.step[1].line, 2);
	assert_false(s.step[2].has_sw);
	assert_int_equal(s.step[2].line, 4);
	assert_int_equal(s.step[2].len, 7);
	/* ';' separates steps on one line */
	assert_int_equal(parse("aid F05343575354455354; 8001000002CAFE 9000;"
			       "aid A000000151000000;80F28002024F00"), 0);
	assert_int_equal(s.n, 4);
	assert_true(s.step[2].is_aid);
}

static void sw_expectations(void **st)
{
	struct semo_step a = { 0 };

	(void)st;
	assert_true(semo_sw_ok(&a, 0x9000));
	assert_true(semo_sw_ok(&a, 0x6110));
	assert_false(semo_sw_ok(&a, 0x6A80));
	assert_false(semo_sw_ok(&a, 0x6310));
	a.has_sw = true;
	a.sw = 0x6A88;
	assert_true(semo_sw_ok(&a, 0x6A88));
	assert_false(semo_sw_ok(&a, 0x9000));
}

static void malformed(void **st)
{
	char big[SEMO_STEPS_MAX * 12 + 64];
	size_t n;

	(void)st;
	assert_int_equal(parse(""), -1);
	assert_string_equal(err, "line 1: an empty script");
	assert_int_equal(parse("# nothing\n\n"), -1);
	assert_int_equal(parse("80F28002024F00\n"), -1);
	assert_string_equal(err, "line 1: the script must start with 'aid'");
	assert_int_equal(parse("aid A0000001\n"), -1);	/* 4 bytes */
	assert_int_equal(parse("aid A000000151000000000000000000000000\n"), -1);
	assert_int_equal(parse("aid A000000151000000 00\n"), -1);
	assert_int_equal(parse("aid A000000151000000\n80F2800\n"), -1);
	assert_string_equal(err, "line 2: not a short C-APDU in hex");
	assert_int_equal(parse("aid A000000151000000\n80F280020X4F00\n"), -1);
	/* Lc says 3, 2 bytes follow; Lc 0 */
	assert_int_equal(parse("aid A000000151000000\n80F2800203AABB\n"), -1);
	assert_int_equal(parse("aid A000000151000000\n80F280020000\n"), -1);
	assert_int_equal(parse("aid A000000151000000\n80F28002 900\n"), -1);
	assert_string_equal(err, "line 2: the SW is 4 hex digits");
	assert_int_equal(semo_script_parse("aid A000000151000000\n\0", 22, &s,
					   err, sizeof(err)), -1);
	/* one step too many */
	n = (size_t)snprintf(big, sizeof(big), "aid A000000151000000\n");
	for (int i = 0; i < SEMO_STEPS_MAX; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "80010000\n");
	assert_int_equal(parse(big), -1);
	assert_string_equal(err, "line 65: more than 64 steps");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(steps),
		cmocka_unit_test(sw_expectations),
		cmocka_unit_test(malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
