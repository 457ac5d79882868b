// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-bipd/aram_reader.c tools/scws-bipd/engine.c tools/scws-bipd/sched.c tools/scws-bipd/http_frame.c tools/scws-bipd/tls_frame.c tools/scws-bipd/cat.c tools/scws-bipd/proactive.c tools/scws-bipd/events.c tools/scws-bipd/channel.c tools/scws-bipd/bip_open.c tools/scws-bipd/bip_data.c tools/scws-bipd/drain.c tools/scws-bipd/profile.c tools/scws-bipd/apdu.c tools/scws-bipd/bytebuf.c tools/scws-bipd/loop.c tools/scws-bipd/log.c tools/scws-bipd/stats.c tools/scws-bipd/options.c tools/scws-bipd/atr.c tools/lib/cat-tlv.c tools/lib/seac-rules.c tools/lib/ber.c tests/bipd/harness.c
// libs:
/*
 * scws-bipd's ARA-M reader against a scripted card: the exact APDUs
 * (logical channel, SELECT, DF20, FF40 then FF60 until the announced
 * length), "no rules" (6A88), no ARA-M, 91xx on the logical channel,
 * answers that lie about their length, a card that goes away.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../tools/scws-bipd/aram_reader.h"
#include "../bipd/harness.h"

#define OPEN "00 70 00 00 01"
#define SELECT "01 A4 04 00 09 A0 00 00 01 51 41 43 4C 00 00"
#define SELECTED "6F 0D 84 09 A0 00 00 01 51 41 43 4C 00 90 00"
#define TAG "81 CA DF 20 00"
#define TAG_ANSWER "DF 20 08 01 02 03 04 05 06 07 08 90 00"
#define ALL "81 CA FF 40 00"
#define NEXT "81 CA FF 60 00"
#define CERTS "81 CA FF 70 00"
#define CLOSE "00 70 80 01"

static uint16_t noted;

static void note(void *arg, uint16_t sw)
{
	(void)arg;
	noted = sw;
}

static int read_rules(bool all, struct aram_answer *a, uint16_t *sw)
{
	struct aram_link l = { .link = &H->link, .note = note };

	return aram_read(&l, all, a, sw);
}

static int setup(void **state)
{
	(void)state;
	h_setup();
	noted = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	h_teardown();
	return 0;
}

static void test_tag_only(void **state)
{
	struct aram_answer a;
	uint16_t sw;

	(void)state;
	h_expect(OPEN, "01 90 00");
	h_expect(SELECT, SELECTED);
	h_expect(TAG, TAG_ANSWER);
	h_expect(CLOSE, "90 00");
	assert_int_equal(read_rules(false, &a, &sw), 0);
	assert_true(a.has_refresh);
	assert_int_equal(a.refresh[7], 8);
	assert_null(a.all);
	h_done();
}

/* 300 bytes of rules: the first answer has 256, [Next] the rest. */
static void test_all_with_next(void **state)
{
	static char first[3 * 260 + 10], rest[3 * 60 + 10];
	uint8_t rules[303];
	struct aram_answer a;
	uint16_t sw;
	size_t n = 0, o;

	(void)state;
	rules[n++] = 0xFF;
	rules[n++] = 0x40;
	rules[n++] = 0x82;
	rules[n++] = 0x01;
	rules[n++] = 0x2B;	/* 299 */
	while (n < sizeof(rules) - 1)
		rules[n++] = 0x5A;
	rules[n++] = 0x01;
	/* 304 bytes announced: 5 + 299 */
	o = 0;
	for (size_t i = 0; i < 256; i++)
		o += (size_t)sprintf(first + o, "%02X ", rules[i]);
	sprintf(first + o, "90 00");
	o = 0;
	for (size_t i = 256; i < sizeof(rules); i++)
		o += (size_t)sprintf(rest + o, "%02X ", rules[i]);
	sprintf(rest + o, "90 00");
	h_expect(OPEN, "01 90 00");
	h_expect(SELECT, SELECTED);
	h_expect(TAG, TAG_ANSWER);
	h_expect(ALL, first);
	h_expect(NEXT, rest);
	/* 303 bytes but 304 announced: the card stops short */
	h_expect(NEXT, "6A 88");
	h_expect(CLOSE, "90 00");
	assert_int_equal(read_rules(true, &a, &sw), -EIO);
	assert_int_equal(sw, 0x6A88);
	assert_null(a.all);
	h_done();
}

static void test_all_next_exact(void **state)
{
	static char first[3 * 260 + 10];
	uint8_t head[256];
	struct aram_answer a;
	uint16_t sw;
	size_t o = 0;

	(void)state;
	/* FF40 82 0100: 260 bytes in all, 256 then 4 */
	head[0] = 0xFF;
	head[1] = 0x40;
	head[2] = 0x82;
	head[3] = 0x01;
	head[4] = 0x00;
	for (size_t i = 5; i < 256; i++)
		head[i] = (uint8_t)i;
	for (size_t i = 0; i < 256; i++)
		o += (size_t)sprintf(first + o, "%02X ", head[i]);
	sprintf(first + o, "90 00");
	h_expect(OPEN, "01 90 00");
	h_expect(SELECT, SELECTED);
	h_expect(TAG, TAG_ANSWER);
	h_expect(ALL, first);
	h_expect(NEXT, "AA BB CC DD EE 91 10");	/* proactive pending */
	h_expect(CERTS, "6D 00");		/* a card without certificates */
	h_expect(CLOSE, "90 00");
	assert_int_equal(read_rules(true, &a, &sw), 0);
	assert_int_equal(a.all_len, 261);
	assert_int_equal(a.all[260], 0xEE);
	assert_int_equal(noted, 0x9110);
	aram_answer_free(&a);
	h_done();
}

static void test_no_rules(void **state)
{
	struct aram_answer a;
	uint16_t sw;

	(void)state;
	h_expect(OPEN, "01 90 00");
	h_expect(SELECT, SELECTED);
	h_expect(TAG, TAG_ANSWER);
	h_expect(ALL, "6A 88");
	h_expect(CERTS, "30 03 02 01 05 90 00");	/* not FF70 */
	h_expect(CLOSE, "90 00");
	assert_int_equal(read_rules(true, &a, &sw), -EBADMSG);
	h_expect(OPEN, "01 90 00");
	h_expect(SELECT, SELECTED);
	h_expect(TAG, TAG_ANSWER);
	h_expect(ALL, "6A 88");
	h_expect(CERTS, "FF 70 05 30 03 02 01 05 90 00");
	h_expect(CLOSE, "90 00");
	assert_int_equal(read_rules(true, &a, &sw), 0);
	assert_int_equal(a.certs_len, 8);
	assert_int_equal(a.all_len, 3);
	assert_memory_equal(a.all, "\xFF\x40\x00", 3);
	aram_answer_free(&a);
	h_done();
}

static void test_no_aram(void **state)
{
	struct aram_answer a;
	uint16_t sw;

	(void)state;
	h_expect(OPEN, "01 90 00");
	h_expect(SELECT, "6A 82");
	h_expect(CLOSE, "90 00");
	assert_int_equal(read_rules(true, &a, &sw), -ENOENT);
	assert_int_equal(sw, 0x6A82);
	h_done();
}

static void test_lies(void **state)
{
	struct aram_answer a;
	uint16_t sw;

	(void)state;
	/* more bytes than the header announces */
	h_expect(OPEN, "02 90 00");
	h_expect("02 A4 04 00 09 A0 00 00 01 51 41 43 4C 00 00", SELECTED);
	h_expect("82 CA DF 20 00", TAG_ANSWER);
	h_expect("82 CA FF 40 00", "FF 40 03 E2 01 00 00 90 00");
	h_expect("00 70 80 02", "90 00");
	assert_int_equal(read_rules(true, &a, &sw), -EBADMSG);
	/* not FF40 at all */
	h_expect(OPEN, "01 90 00");
	h_expect(SELECT, SELECTED);
	h_expect(TAG, "DF 20 07 01 02 03 04 05 06 07 90 00");
	h_expect(CLOSE, "90 00");
	assert_int_equal(read_rules(true, &a, &sw), -EBADMSG);
	/* a fourth logical channel is beyond the pump */
	h_expect(OPEN, "04 90 00");
	h_expect("00 70 80 04", "90 00");
	assert_int_equal(read_rules(true, &a, &sw), -EIO);
	/* no channel free */
	h_expect(OPEN, "68 81");
	assert_int_equal(read_rules(true, &a, &sw), -EIO);
	h_done();
}

static void test_card_gone(void **state)
{
	struct aram_answer a;
	uint16_t sw;

	(void)state;
	h_expect(OPEN, "01 90 00");
	h_expect(SELECT, SELECTED);
	h_expect_failure(TAG);
	assert_true(read_rules(true, &a, &sw) < 0);
	assert_null(a.all);
}

/* A REFRESH proactive command flags the rules for a read (main.c reads
 * them before the next tick); it is still answered "beyond terminal's
 * capabilities" (30). */
static void test_refresh_flags_rules(void **state)
{
	(void)state;
	h_attach();
	assert_false(H->b.card_refresh);
	h_expect("80 F2 00 0C", "91 0B");
	h_expect("80 12 00 00 0B", "D0 09 81 03 01 01 01 82 02 81 82 90 00");
	h_expect("80 14 00 00 0C 81 03 01 01 01 82 02 82 81 83 01 30",
		 "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_true(H->b.card_refresh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tag_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_with_next, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_all_next_exact, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_aram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_card_gone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refresh_flags_rules, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
