// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-bipd/engine.c tools/scws-bipd/sched.c tools/scws-bipd/http_frame.c tools/scws-bipd/tls_frame.c tools/scws-bipd/cat.c tools/scws-bipd/proactive.c tools/scws-bipd/events.c tools/scws-bipd/channel.c tools/scws-bipd/bip_open.c tools/scws-bipd/bip_data.c tools/scws-bipd/drain.c tools/scws-bipd/profile.c tools/scws-bipd/apdu.c tools/scws-bipd/bytebuf.c tools/scws-bipd/loop.c tools/scws-bipd/log.c tools/scws-bipd/stats.c tools/scws-bipd/options.c tools/scws-bipd/atr.c tools/lib/cat-tlv.c tests/bipd/harness.c
// libs:
/*
 * scws-bipd: the toolkit session against a scripted card - TERMINAL
 * PROFILE, the proactive loop, STATUS polling, answers to commands the
 * pump does not do, malformed commands, and the APDU layer (61xx, 6Cxx,
 * extended APDUs, ATR).  Every C-APDU is checked byte by byte.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../bipd/harness.h"
#include "../../tools/scws-bipd/atr.h"

static int setup(void **state)
{
	(void)state;
	h_setup();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	h_teardown();
	return 0;
}

/* The profile announces BIP, 7 channels, server and client TCP; the card's
 * SET UP EVENT LIST (09, 0A) is answered with command details copied and
 * device identities 82 -> 81. */
static void test_profile_and_event_list(void **state)
{
	(void)state;
	h_attach();
	assert_int_equal(H->b.stats.card_sessions, 1);
}

static void test_profile_without_client_mode(void **state)
{
	uint8_t tp[32];
	size_t n;

	(void)state;
	H->opts.tcp_client = false;
	H->opts.channels = 2;
	n = terminal_profile(&H->opts, tp, sizeof(tp));
	assert_int_equal(n, 17);
	assert_int_equal(tp[11], 0x1F);
	assert_int_equal(tp[12], 0x40);		/* 2 channels, no bearer */
	assert_int_equal(tp[16], 0x04);		/* server mode only */
}

/* Nothing to do: STATUS only after the poll interval. */
static void test_status_poll(void **state)
{
	(void)state;
	h_attach();
	fake_now += 499;
	h_run();
	h_done();
	h_expect("80 F2 00 0C", "90 00");
	fake_now += 1;
	h_run();
	h_done();
	/* The next poll comes one interval after the last exchange. */
	fake_now += 499;
	h_run();
	h_expect("80 F2 00 0C", "90 00");
	fake_now += 1;
	h_run();
	h_done();
}

/* A command the pump does not do gets result 30, with the Command details
 * copied exactly as they came (here without the CR flag). */
static void test_unsupported_command(void **state)
{
	(void)state;
	h_attach();
	h_expect("80 F2 00 0C", "91 0B");
	h_expect("80 12 00 00 0B", "D0 09 01 03 02 21 80 82 02 81 02 90 00");
	h_expect("80 14 00 00 0C 01 03 02 21 80 82 02 82 81 83 01 30",
		 "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* An event the pump cannot report fails the whole list (30), which stays
 * as it was; an empty list switches all events off. */
static void test_event_list_changes(void **state)
{
	(void)state;
	h_attach();
	h_expect("80 F2 00 0C", "91 10");
	h_expect("80 12 00 00 10", "D0 0E 81 03 02 05 00 82 02 81 82 99 03 09 "
		 "0A 03 90 00");
	h_expect("80 14 00 00 0C 81 03 02 05 00 82 02 82 81 83 01 30",
		 "91 0D");
	h_expect("80 12 00 00 0D", "D0 0B 81 03 03 05 00 82 02 81 82 99 00 "
		 "90 00");
	h_expect("80 14 00 00 0C 81 03 03 05 00 82 02 82 81 83 01 00",
		 "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_false(H->b.ev_data);
	assert_false(H->b.ev_status);
}

/* A command that does not parse is fetched again: the second copy is used. */
static void test_refetch_malformed(void **state)
{
	(void)state;
	h_attach();
	h_expect("80 F2 00 0C", "91 0B");
	h_expect("80 12 00 00 0B", "D0 09 7F 03 02 21 80 82 02 81 02 90 00");
	h_expect("80 12 00 00 0B", "D0 09 81 03 02 21 80 82 02 81 02 90 00");
	h_expect("80 14 00 00 0C 81 03 02 21 80 82 02 82 81 83 01 30",
		 "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* Malformed twice, Command details readable: "data not understood". */
static void test_malformed_answered_32(void **state)
{
	(void)state;
	h_attach();
	h_expect("80 F2 00 0C", "91 0F");
	/* Channel data says 5 bytes, 2 follow. */
	h_expect("80 12 00 00 0F", "D0 0D 81 03 02 43 01 82 02 81 21 B6 05 41 "
		 "42 90 00");
	h_expect("80 12 00 00 0F", "D0 0D 81 03 02 43 01 82 02 81 21 B6 05 41 "
		 "42 90 00");
	h_expect("80 14 00 00 0C 81 03 02 43 01 82 02 82 81 83 01 32",
		 "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* Nothing readable: no answer is possible; the pump carries on. */
static void test_unreadable_command(void **state)
{
	(void)state;
	h_attach();
	h_expect("80 F2 00 0C", "91 07");
	h_expect("80 12 00 00 07", "D6 05 7F 00 00 00 00 90 00");
	h_expect("80 12 00 00 07", "D0 80 00 00 00 00 00 90 00");
	fake_now += 500;
	h_run();
	h_done();
	h_expect("80 F2 00 0C", "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* Bytes past the template (a card answering past Le) are ignored; a BER
 * length longer than the answer is refetched. */
static void test_fetch_lengths(void **state)
{
	(void)state;
	h_attach();
	h_expect("80 F2 00 0C", "91 0D");
	h_expect("80 12 00 00 0D", "D0 09 81 03 02 21 80 82 02 81 02 00 FF 00 "
		 "90 00");
	h_expect("80 14 00 00 0C 81 03 02 21 80 82 02 82 81 83 01 30",
		 "91 0D");
	h_expect("80 12 00 00 0D", "D0 0B 81 03 03 21 80 82 02 81 02 90 00");
	h_expect("80 12 00 00 0D", "D0 09 81 03 03 21 80 82 02 81 02 90 00");
	h_expect("80 14 00 00 0C 81 03 03 21 80 82 02 82 81 83 01 30",
		 "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* A command without Device identities: "required values missing". */
static void test_missing_devices(void **state)
{
	(void)state;
	h_attach();
	h_expect("80 F2 00 0C", "91 07");
	h_expect("80 12 00 00 07", "D0 05 81 03 02 44 00 90 00");
	h_expect("80 14 00 00 0C 81 03 02 44 00 82 02 82 81 83 01 36",
		 "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* GET CHANNEL STATUS with no channel: one status of channel 0. */
static void test_channel_status_none(void **state)
{
	(void)state;
	h_attach();
	h_expect("80 F2 00 0C", "91 0B");
	h_expect("80 12 00 00 0B", "D0 09 81 03 02 44 00 82 02 81 82 90 00");
	h_expect("80 14 00 00 10 81 03 02 44 00 82 02 82 81 83 01 00 B8 02 00 "
		 "00", "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* The card goes away: the failure is noticed, not retried in a loop. */
static void test_card_failure(void **state)
{
	(void)state;
	h_attach();
	h_expect_failure("80 F2 00 0C");
	fake_now += 500;
	h_run();
	h_done();
	assert_true(H->b.card_failed);
	bipd_card_detach(&H->b);
	assert_null(H->b.card);
}

/* A card that is no toolkit card refuses the profile. */
static void test_profile_refused(void **state)
{
	(void)state;
	h_expect("80 10 00 00 11 13 01 00 00 01 0C 00 00 00 00 00 1F E2 00 00 "
		 "00 07", "6D 00");
	assert_int_equal(bipd_card_attach(&H->b, &H->link), -ENOTSUP);
	h_done();
}

/* ---- the APDU layer ---- */

static void test_apdu_get_response(void **state)
{
	static const uint8_t env[] = { 0xD1, 0x00 };
	struct apdu_resp r;

	(void)state;
	h_expect("80 C2 00 00 02 D1 00", "61 02");
	h_expect("00 C0 00 00 02", "AB CD 91 10");
	assert_int_equal(apdu_xfer(&H->link, APDU_ENVELOPE, 0x80, 0xC2, 0, 0,
				   env, sizeof(env), 0, &r), 0);
	assert_int_equal(r.len, 2);
	assert_int_equal(r.data[0], 0xAB);
	assert_int_equal(r.sw, 0x9110);
	h_done();
}

static void test_apdu_wrong_le(void **state)
{
	struct apdu_resp r;

	(void)state;
	h_expect("80 12 00 00 10", "6C 0E");
	h_expect("80 12 00 00 0E", "D0 0C 81 03 01 42 00 82 02 81 21 B7 01 ED "
		 "90 00");
	assert_int_equal(apdu_xfer(&H->link, APDU_FETCH, 0x80, 0x12, 0, 0, NULL,
				   0, 0x10, &r), 0);
	assert_int_equal(r.len, 14);
	assert_int_equal(r.sw, 0x9000);
	assert_int_equal(H->b.stats.apdus[APDU_FETCH], 0);	/* unwired */
	h_done();
}

static void test_apdu_extended(void **state)
{
	uint8_t data[300];
	uint8_t want[4 + 3 + 300];
	char hex[3 * sizeof(want) + 8];
	struct apdu_resp r;
	size_t k = 0;

	(void)state;
	memset(data, 0x5A, sizeof(data));
	assert_int_equal(apdu_xfer(&H->link, APDU_TR, 0x80, 0x14, 0, 0, data,
				   sizeof(data), 0, &r), -EMSGSIZE);
	H->link.extended = true;
	memcpy(want, "\x80\x14\x00\x00\x00\x01\x2C", 7);
	memset(want + 7, 0x5A, 300);
	for (size_t i = 0; i < sizeof(want); i++)
		k += (size_t)snprintf(hex + k, sizeof(hex) - k, "%02X ",
				      want[i]);
	h_expect(hex, "90 00");
	assert_int_equal(apdu_xfer(&H->link, APDU_TR, 0x80, 0x14, 0, 0, data,
				   sizeof(data), 0, &r), 0);
	h_done();
}

static void test_atr(void **state)
{
	uint8_t atr[40];
	size_t n;

	(void)state;
	/* scws-card's: T=0/T=1, card capabilities 73 FA 21 5B (extended). */
	n = hex_parse("3B 9F 96 80 B1 FE 45 1F C7 80 31 E0 73 FA 21 5B 64 53 "
		      "43 57 53 82 90 00 9B", atr, sizeof(atr));
	assert_true(atr_extended_lc(atr, n));
	/* Third capability byte without bit 7. */
	atr[15] = 0x1B;
	assert_false(atr_extended_lc(atr, n));
	/* Cut short inside the historical bytes. */
	assert_false(atr_extended_lc(atr, 12));
	/* Category 00 with status at the end, capabilities present. */
	n = hex_parse("3B 88 80 01 00 73 C8 00 40 00 90 00 00", atr,
		      sizeof(atr));
	assert_true(atr_extended_lc(atr, n - 1));
	/* No historical bytes at all. */
	n = hex_parse("3B 00", atr, sizeof(atr));
	assert_false(atr_extended_lc(atr, n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_profile_and_event_list,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_profile_without_client_mode,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_poll, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unsupported_command,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_list_changes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refetch_malformed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_malformed_answered_32,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_command, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fetch_lengths, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_missing_devices, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_channel_status_none, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_card_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_profile_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_apdu_get_response, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_apdu_wrong_le, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_apdu_extended, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_atr, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
