// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-bipd/engine.c tools/scws-bipd/sched.c tools/scws-bipd/http_frame.c tools/scws-bipd/tls_frame.c tools/scws-bipd/cat.c tools/scws-bipd/proactive.c tools/scws-bipd/events.c tools/scws-bipd/channel.c tools/scws-bipd/bip_open.c tools/scws-bipd/bip_data.c tools/scws-bipd/drain.c tools/scws-bipd/profile.c tools/scws-bipd/apdu.c tools/scws-bipd/bytebuf.c tools/scws-bipd/loop.c tools/scws-bipd/log.c tools/scws-bipd/stats.c tools/scws-bipd/options.c tools/scws-bipd/atr.c tools/lib/cat-tlv.c tests/bipd/harness.c tools/scws-bipd/download.c
// libs:
/*
 * scws-bipd: SMS-PP downloads (download.c) against a scripted card - the
 * ENVELOPE D1 bytes with Le 00, the response data (PoR) handed back, 93 00
 * retried and given up after 10 s, 91 xx leading to a FETCH, no card and
 * a card that goes away, the queue bound.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../bipd/harness.h"
#include "sms-pp.h"

#define ENV "D1 0B 82 02 83 81 8B 06 04 00 00 7F F6 00"
#define CAPDU "80 C2 00 00 0E " ENV " 00"

struct got {
	int calls;
	struct dl_result r;
	uint8_t data[64];
};

static void done(void *arg, const struct dl_result *r)
{
	struct got *g = arg;

	g->calls++;
	g->r = *r;
	if (r->len <= sizeof(g->data) && r->data)
		memcpy(g->data, r->data, r->len);
}

static void submit(struct got *g)
{
	uint8_t env[64];
	size_t n = hex_parse(ENV, env, sizeof(env));

	memset(g, 0, sizeof(*g));
	dl_submit(&H->b, env, n, done, g);
}

static int setup(void **state)
{
	(void)state;
	h_setup();
	assert_int_equal(dl_init(&H->b), 0);
	h_attach();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dl_fini(&H->b);
	h_teardown();
	return 0;
}

static void test_por_returned(void **state)
{
	struct got g;

	(void)state;
	submit(&g);
	h_expect(CAPDU, "02 71 00 00 0B 0A B0 00 00 00 00 00 00 01 00 90 00");
	h_run();
	h_done();
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.err, 0);
	assert_int_equal(g.r.sw, 0x9000);
	assert_int_equal(g.r.len, 15);
	assert_memory_equal(g.data, "\x02\x71\x00\x00\x0B", 5);
}

/* An error status is the card's answer too: handed back as it is. */
static void test_error_sw(void **state)
{
	struct got g;

	(void)state;
	submit(&g);
	h_expect(CAPDU, "6F 00");
	h_run();
	h_done();
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.err, 0);
	assert_int_equal(g.r.sw, 0x6F00);
	assert_int_equal(g.r.len, 0);
}

/* 62 xx / 63 xx without data (T=0): GET RESPONSE fetches the PoR; the
 * warning stays the answer. */
static void test_warning_get_response(void **state)
{
	struct got g;

	(void)state;
	submit(&g);
	h_expect(CAPDU, "62 F1");
	h_expect("00 C0 00 00 00", "02 71 00 90 00");
	h_run();
	h_done();
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.sw, 0x62F1);
	assert_int_equal(g.r.len, 3);
	assert_memory_equal(g.data, "\x02\x71\x00", 3);

	submit(&g);	/* no data to get: the warning alone */
	h_expect(CAPDU, "63 00");
	h_expect("00 C0 00 00 00", "6F 00");
	h_run();
	h_done();
	assert_int_equal(g.r.sw, 0x6300);
	assert_int_equal(g.r.len, 0);
}

static void test_busy_then_ok(void **state)
{
	struct got g;

	(void)state;
	submit(&g);
	h_expect(CAPDU, "93 00");
	h_run();
	h_done();
	assert_int_equal(g.calls, 0);
	fake_now += 199;
	h_run();
	h_done();			/* not before 200 ms */
	fake_now += 1;
	h_expect(CAPDU, "90 00");
	h_run();
	h_done();
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.sw, 0x9000);
}

static void test_busy_gives_up(void **state)
{
	struct got g;
	int tries = 0;

	(void)state;
	submit(&g);
	while (g.calls == 0 && tries < 100) {
		h_expect(CAPDU, "93 00");
		h_run();
		h_done();
		fake_now += 200;
		tries++;
	}
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.err, -EBUSY);
	assert_true(tries > 10);
}

/* 91 xx after the ENVELOPE: the card has a command, the pump fetches it. */
static void test_then_fetch(void **state)
{
	struct got g;

	(void)state;
	submit(&g);
	h_expect(CAPDU, "91 0B");
	h_expect("80 12 00 00 0B", "D0 09 81 03 01 26 00 82 02 81 82 90 00");
	h_expect("80 14 00 00 0C 81 03 01 26 00 82 02 82 81 83 01 30", "90 00");
	h_run();
	h_done();
	assert_int_equal(g.r.sw, 0x910B);
}

#define FETCH "80 12 00 00 0B", "D0 09 81 03 01 26 00 82 02 81 82 90 00"
#define TR "80 14 00 00 0C 81 03 01 26 00 82 02 82 81 83 01 30", "90 00"

/* A proactive command pending: it goes first while the download is new;
 * a download that waited 50 ms goes ahead of it (TS 102 221 allows an
 * ENVELOPE while a proactive command is pending). */
static void test_fetch_pending(void **state)
{
	struct got g;

	(void)state;
	submit(&g);
	H->b.fetch_len = 11;
	h_expect(FETCH);
	h_expect(TR);
	h_expect(CAPDU, "90 00");
	h_run();
	h_done();
	assert_int_equal(g.calls, 1);

	submit(&g);
	H->b.fetch_len = 11;
	fake_now += 50;
	h_expect(CAPDU, "91 0B");
	h_expect(FETCH);
	h_expect(TR);
	h_run();
	h_done();
	assert_int_equal(g.calls, 1);
}

static void test_no_card(void **state)
{
	struct got g;

	(void)state;
	bipd_card_detach(&H->b);
	submit(&g);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.err, -ENODEV);
}

static void test_card_goes_away(void **state)
{
	struct got g;

	(void)state;
	submit(&g);
	assert_int_equal(g.calls, 0);
	bipd_card_detach(&H->b);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.err, -ENODEV);
}

static void test_queue_full_and_cancel(void **state)
{
	struct got g[17];

	(void)state;
	for (int i = 0; i < 17; i++)
		submit(&g[i]);
	assert_int_equal(g[16].calls, 1);
	assert_int_equal(g[16].r.err, -ENOSPC);
	for (int i = 1; i < 16; i++)
		dl_cancel(&H->b, &g[i]);
	h_expect(CAPDU, "90 00");
	h_run();
	h_done();
	assert_int_equal(g[0].calls, 1);
	for (int i = 1; i < 16; i++)
		assert_int_equal(g[i].calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_por_returned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_sw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warning_get_response, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_busy_then_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_gives_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_then_fetch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fetch_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_card, setup, teardown),
		cmocka_unit_test_setup_teardown(test_card_goes_away, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_full_and_cancel, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
