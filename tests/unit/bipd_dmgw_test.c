// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-bipd/engine.c tools/scws-bipd/sched.c tools/scws-bipd/http_frame.c tools/scws-bipd/tls_frame.c tools/scws-bipd/cat.c tools/scws-bipd/proactive.c tools/scws-bipd/events.c tools/scws-bipd/channel.c tools/scws-bipd/bip_open.c tools/scws-bipd/bip_data.c tools/scws-bipd/drain.c tools/scws-bipd/profile.c tools/scws-bipd/apdu.c tools/scws-bipd/bytebuf.c tools/scws-bipd/loop.c tools/scws-bipd/log.c tools/scws-bipd/stats.c tools/scws-bipd/options.c tools/scws-bipd/atr.c tools/lib/cat-tlv.c tests/bipd/harness.c tests/bipd/apdus.c
// libs:
/*
 * scws-bipd as the DM_SC Gateway, the engine's side (the socket is
 * dm_gw.c, tested end to end by tests/dm/dmsc.sh): the TERMINAL PROFILE
 * bits, event 0D in SET UP EVENT LIST, the Local connection ENVELOPE with
 * its Service record, OPEN CHANNEL UDP local to port 2948 with and without
 * a DM client (3A 12), another port (3A 10), a remote address (32), the
 * datagram handed over on "send immediately" and on CLOSE CHANNEL, and a
 * client that is gone (3A 02, link dropped).  Every C-APDU byte by byte.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../bipd/apdus.h"

static const char *fake_name;
static uint8_t got[4096];
static size_t got_len;
static int deliveries, deliver_err;

static const char *fake_client(void *gw)
{
	(void)gw;
	return fake_name;
}

static int fake_deliver(void *gw, const uint8_t *data, size_t len)
{
	(void)gw;
	if (deliver_err)
		return deliver_err;
	memcpy(got, data, len);
	got_len = len;
	deliveries++;
	return 0;
}

static const struct dm_gw_ops fake_ops = { fake_client, fake_deliver };

/* The TERMINAL PROFILE with --dm-socket: byte 6 4C (+ Local connection),
 * byte 17 17 (+ UDP, UICC client, local). */
#define TP_DM "80 10 00 00 11 13 01 00 00 01 4C 00 00 00 00 00 1F E2 00 00 00 17"
/* Local connection ENVELOPEs: "scws-dmc" registered; none. */
#define EV_PRESENT "80 C2 00 00 15 D6 13 99 01 0D 82 02 82 81 C1 0A 00 00 " \
		   "73 63 77 73 2D 64 6D 63"
#define EV_GONE "80 C2 00 00 0D D6 0B 99 01 0D 82 02 82 81 C1 02 00 00"

/* Attaches with the gateway on; the card asks for 09 0A 0D. */
static int setup(void **state)
{
	(void)state;
	h_setup();
	H->opts.dm_socket = "test";
	H->b.dm_ops = &fake_ops;
	fake_name = "scws-dmc";
	got_len = 0;
	deliveries = deliver_err = 0;
	h_expect(TP_DM, "91 10");
	h_expect("80 12 00 00 10",
		 "D0 0E 81 03 01 05 00 82 02 81 82 99 03 09 0A 0D 90 00");
	h_expect("80 14 00 00 0C 81 03 01 05 00 82 02 82 81 83 01 00",
		 "90 00");
	/* registered before the card asked: it hears of the client now */
	h_expect(EV_PRESENT, "90 00");
	assert_int_equal(bipd_card_attach(&H->b, &H->link), 0);
	h_run();
	h_done();
	assert_true(H->b.ev_local);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	h_teardown();
	return 0;
}

/* OPEN CHANNEL as scws-card sends it: UDP local, port, 127.0.0.1. */
static void cmd_open_local(struct bytes *c, uint8_t nr, uint16_t port,
			   const char *addr)
{
	struct bytes t = { .n = 0 };

	put_hex(&t, "B9 02 04 00 BC 03 04 %02X %02X %s", port >> 8,
		port & 0xFF, addr);
	cmd_begin(c, nr, 0x40, 0x01, 0x82, &t);
}

static void open_refused(uint16_t port, const char *addr, const char *res)
{
	struct bytes open;

	cmd_open_local(&open, 2, port, addr);
	h_expect("80 F2 00 0C", sw91(&open));
	expect_fetch(&open);
	expect_simple_tr(2, 0x40, 0x01, res, "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(H->b.chan[1].kind, CHAN_UNUSED);
}

static void test_no_client_launch_failed(void **state)
{
	(void)state;
	fake_name = NULL;
	open_refused(2948, "BE 05 21 7F 00 00 01", "02 3A 12");
}

static void test_other_port_and_address(void **state)
{
	(void)state;
	open_refused(2949, "BE 05 21 7F 00 00 01", "02 3A 10");
}

static void test_remote_address(void **state)
{
	(void)state;
	open_refused(2948, "BE 05 21 0A 00 00 01", "01 32");
}

/* Opens the DM channel (id 1): TR with channel status 81 00. */
static void open_dm(uint8_t nr, const char *addr, const char *next_sw)
{
	struct bytes open, r = { .n = 0 };

	cmd_open_local(&open, nr, 2948, addr);
	put_hex(&r, "83 01 00 B8 02 81 00 B9 02 04 00");
	h_expect("80 F2 00 0C", sw91(&open));
	expect_fetch(&open);
	expect_tr(nr, 0x40, 0x01, &r, next_sw);
}

static void test_datagram_on_send_immediately(void **state)
{
	struct bytes s1, s2, cl;

	(void)state;
	cmd_send(&s1, 3, 1, 0x00, "\x01\x02", 2);
	cmd_send(&s2, 4, 1, 0x01, "\x03", 1);
	cmd_begin(&cl, 5, 0x41, 0x00, 0x21, NULL);
	open_dm(2, "", sw91(&s1));	/* no Other address: local anyway */
	expect_fetch(&s1);
	expect_send_tr(3, 0x00, 0xFF, sw91(&s2));
	expect_fetch(&s2);
	expect_send_tr(4, 0x01, 0xFF, sw91(&cl));
	expect_fetch(&cl);
	expect_simple_tr(5, 0x41, 0x00, "01 00", "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(deliveries, 1);
	assert_int_equal(got_len, 3);
	assert_memory_equal(got, "\x01\x02\x03", 3);
	assert_int_equal(H->b.chan[1].kind, CHAN_UNUSED);
}

static void test_datagram_on_close(void **state)
{
	struct bytes s1, cl;

	(void)state;
	cmd_send(&s1, 3, 1, 0x00, "pkg0", 4);
	cmd_begin(&cl, 4, 0x41, 0x00, 0x21, NULL);
	open_dm(2, "BE 05 21 7F 00 00 01", sw91(&s1));
	expect_fetch(&s1);
	expect_send_tr(3, 0x00, 0xFF, sw91(&cl));
	expect_fetch(&cl);
	expect_simple_tr(4, 0x41, 0x00, "01 00", "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(deliveries, 1);
	assert_memory_equal(got, "pkg0", 4);
}

/* The client left between OPEN and SEND: 3A 02, link dropped. */
static void test_client_gone(void **state)
{
	struct bytes s1, cl;

	(void)state;
	cmd_send(&s1, 3, 1, 0x01, "pkg0", 4);
	cmd_begin(&cl, 4, 0x41, 0x00, 0x21, NULL);
	open_dm(2, "BE 05 21 7F 00 00 01", "90 00");
	fake_now += 500;
	h_run();
	h_done();
	fake_name = NULL;
	deliver_err = -EPIPE;
	h_expect(EV_GONE, "90 00");
	ev_queue_local(&H->b, NULL);
	bip_dm_client_gone(&H->b);
	expect_status_event(0x01, 0x05, sw91(&s1));
	expect_fetch(&s1);
	expect_simple_tr(3, 0x43, 0x01, "02 3A 02", sw91(&cl));
	expect_fetch(&cl);
	expect_simple_tr(4, 0x41, 0x00, "01 00", "90 00");
	h_run();
	h_done();
	assert_int_equal(deliveries, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_client_launch_failed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_port_and_address,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_remote_address, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_datagram_on_send_immediately,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_datagram_on_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_client_gone, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
