// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/dmsc-msg.c
/*
 * The DM_SC Gateway socket's messages (tools/lib/dmsc-msg.h): each kind
 * parsed and formatted, round trips, and every malformed form refused
 * with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dmsc-msg.h"

static struct dmsc_msg m;
static const char *why;

static int parse(const char *s)
{
	why = NULL;
	return dmsc_msg_parse(s, strlen(s), &m, &why);
}

static void test_register(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(parse("REGISTER scws-dmc"), 0);
	assert_int_equal(m.type, DMSC_REGISTER);
	assert_string_equal(m.name, "scws-dmc");
	assert_int_equal(parse("REGISTER a.b_C-9\n"), 0);
	assert_string_equal(m.name, "a.b_C-9");
	assert_int_equal(parse("REGISTER 0123456789abcdef0123456789abcdef"), 0);
	assert_int_equal(dmsc_fmt_register(out, sizeof(out), "scws-dmc"), 17);
	assert_string_equal(out, "REGISTER scws-dmc");
	assert_int_equal(dmsc_fmt_register(out, sizeof(out), "bad name"), 0);
	assert_int_equal(dmsc_fmt_register(out, 10, "scws-dmc"), 0);
}

static void test_register_refused(void **state)
{
	static const char *const bad[] = {
		"REGISTER", "REGISTER ", "REGISTER  x", "REGISTER a b",
		"REGISTER 0123456789abcdef0123456789abcdefX", "REGISTER x/y",
		"REGISTER x\n\n", "register x", "REGISTERx", "REGISTER x\r",
		"", "\n", "HELLO",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i]), -1);
		assert_non_null(why);
	}
	assert_int_equal(dmsc_msg_parse("REGISTER a\0b", 12, &m, &why), -1);
	assert_string_equal(why, "more than one line");
}

static void test_ok_err(void **state)
{
	char out[300];

	(void)state;
	assert_int_equal(parse("OK"), 0);
	assert_int_equal(m.type, DMSC_OK);
	assert_int_equal(parse("OK now"), -1);
	assert_int_equal(parse("ERR busy another DM client is registered"), 0);
	assert_int_equal(m.type, DMSC_ERR);
	assert_string_equal(m.code, "busy");
	assert_string_equal(m.text, "another DM client is registered");
	assert_int_equal(parse("ERR bad-request"), 0);
	assert_string_equal(m.text, "");
	assert_int_equal(parse("ERR"), -1);
	assert_int_equal(parse("ERR Busy x"), -1);
	assert_int_equal(parse("ERR busy "), -1);
	assert_int_equal(parse("ERR busy \x01"), -1);
	assert_true(dmsc_fmt_err(out, sizeof(out), "denied", "uid 1000") > 0);
	assert_string_equal(out, "ERR denied uid 1000");
	assert_int_equal(dmsc_fmt_err(out, sizeof(out), "Denied", NULL), 0);
	assert_int_equal(dmsc_fmt_err(out, sizeof(out), "denied", ""), 0);
	assert_int_equal(dmsc_fmt_ok(out, sizeof(out)), 2);
}

static void test_notify(void **state)
{
	static uint8_t big[DMSC_DATA_MAX + 1];
	static char out[DMSC_MSG_MAX + 8];
	const uint8_t pkg[] = { 0x00, 0xAB, 0xff, 0x10 };
	size_t n;

	(void)state;
	assert_int_equal(parse("NOTIFY 00abFF10"), 0);
	assert_int_equal(m.type, DMSC_NOTIFY);
	assert_int_equal(m.len, 4);
	assert_memory_equal(m.data, pkg, 4);
	n = dmsc_fmt_notify(out, sizeof(out), pkg, sizeof(pkg));
	assert_int_equal(n, 15);
	assert_string_equal(out, "NOTIFY 00ABFF10");
	/* the largest one round-trips */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	n = dmsc_fmt_notify(out, sizeof(out), big, DMSC_DATA_MAX);
	assert_int_equal(n, 7 + 2 * DMSC_DATA_MAX);
	assert_int_equal(dmsc_msg_parse(out, n, &m, &why), 0);
	assert_int_equal(m.len, DMSC_DATA_MAX);
	assert_memory_equal(m.data, big, DMSC_DATA_MAX);
	assert_int_equal(dmsc_fmt_notify(out, sizeof(out), big, sizeof(big)), 0);
	assert_int_equal(dmsc_fmt_notify(out, 15, pkg, sizeof(pkg)), 0);
	assert_int_equal(dmsc_fmt_notify(out, sizeof(out), pkg, 0), 0);
	/* one hex digit too many, odd, not hex, empty */
	out[n] = 'A';
	out[n + 1] = 'B';
	assert_int_equal(dmsc_msg_parse(out, n + 2, &m, &why), -1);
	assert_int_equal(parse("NOTIFY abc"), -1);
	assert_int_equal(parse("NOTIFY zz"), -1);
	assert_int_equal(parse("NOTIFY"), -1);
	assert_int_equal(parse("NOTIFY "), -1);
	assert_int_equal(parse("NOTIFY 00 11"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_register_refused),
		cmocka_unit_test(test_ok_err),
		cmocka_unit_test(test_notify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
