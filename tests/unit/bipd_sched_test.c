// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-bipd/engine.c tools/scws-bipd/sched.c tools/scws-bipd/http_frame.c tools/scws-bipd/tls_frame.c tools/scws-bipd/cat.c tools/scws-bipd/proactive.c tools/scws-bipd/events.c tools/scws-bipd/channel.c tools/scws-bipd/bip_open.c tools/scws-bipd/bip_data.c tools/scws-bipd/drain.c tools/scws-bipd/profile.c tools/scws-bipd/apdu.c tools/scws-bipd/bytebuf.c tools/scws-bipd/loop.c tools/scws-bipd/log.c tools/scws-bipd/stats.c tools/scws-bipd/options.c tools/scws-bipd/atr.c tools/lib/cat-tlv.c tests/bipd/harness.c tests/bipd/apdus.c
// libs:
/*
 * scws-bipd's channel scheduler (sched.c) against a scripted card with one
 * channel per port: a second connection waits (the card hears nothing of
 * it) and is never dropped; an HTTP connection between requests gives the
 * channel to it (the card sees LISTEN, then ESTABLISHED), and its own next
 * request waits in turn; a connection in the middle of a response keeps
 * its channel; an idle TLS connection is closed cleanly for a waiting one,
 * not while the card owes an answer.  Every C-APDU is checked byte by byte.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "../bipd/apdus.h"

static int setup(void **state)
{
	(void)state;
	h_setup();
	h_attach();
	h_open_server(2, 3516, 1500, 1);
	h_open_server(3, 4116, 1500, 2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	h_teardown();
	return 0;
}

/* A client connection the pump takes while its channel is busy: it joins
 * the line once it has spoken. */
static int h_connect_waiting(uint16_t port, const void *first, size_t n)
{
	int fd = h_connect(port);

	h_run();
	assert_int_equal(port_find(&H->b, port)->waiting, 0);
	wr(fd, first, n);
	h_run();
	return fd;
}

static struct port_state *port(uint16_t p)
{
	return port_find(&H->b, p);
}

static const char get[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
#define GET_LEN (sizeof(get) - 1)
static const char ok2[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
#define OK2_LEN (sizeof(ok2) - 1)

/* A client on port, given channel ch at once (the card sees ESTABLISHED). */
static int connect_established(uint16_t p, uint8_t ch)
{
	int fd = h_connect(p);

	expect_status_event((uint8_t)(0x80 | ch), 0x00, "90 00");
	h_run();
	h_done();
	return fd;
}

/* A client on 3516 (channel 1) with half a request sent: it keeps its
 * channel. */
static int connect_half_request(void)
{
	int fd = h_connect(3516);

	wr(fd, get, 5);
	expect_status_event(0x81, 0x00, "90 00");
	expect_data_event(0x81, 5, "90 00");
	h_run();
	h_done();
	return fd;
}

/* ms later: the status poll, answered "no command". */
static void poll_after(int64_t ms)
{
	h_expect("80 F2 00 0C", "90 00");
	fake_now += ms;
	h_run();
	h_done();
}

/* Client fd (on channel ch, command numbers from nr) asks, the card
 * answers with `ans` (send immediately); the events before come first. */
static void exchange(int fd, uint8_t ch, uint8_t nr, const char *req,
		     size_t req_len, const char *ans, size_t ans_len,
		     bool established)
{
	struct bytes rcv, snd;
	uint8_t got[256];

	wr(fd, req, req_len);
	cmd_receive(&rcv, nr, ch, (uint8_t)req_len);
	cmd_send(&snd, (uint8_t)(nr + 1), ch, 0x01, ans, ans_len);
	if (established)
		expect_status_event((uint8_t)(0x80 | ch), 0x00, "90 00");
	expect_data_event((uint8_t)(0x80 | ch), (uint8_t)req_len, sw91(&rcv));
	expect_fetch(&rcv);
	expect_receive_tr(nr, 0x00, req, req_len, 0x00, sw91(&snd));
	expect_fetch(&snd);
	expect_send_tr((uint8_t)(nr + 1), 0x01, 0xFF, "90 00");
	h_run();
	h_done();
	assert_int_equal(h_read(fd, got, sizeof(got)), ans_len);
	assert_memory_equal(got, ans, ans_len);
}

/* The card answers fd, the client on channel 1, with ok2 (SEND DATA nr at
 * the next poll); the channel then goes to the waiting client (the card
 * sees LISTEN, then ESTABLISHED), whose request the card gets whole
 * (RECEIVE DATA nr + 1). */
static void hand_over(int fd, uint8_t nr)
{
	struct bytes snd, rcv;
	uint8_t got[64];

	cmd_send(&snd, nr, 1, 0x01, ok2, OK2_LEN);
	cmd_receive(&rcv, (uint8_t)(nr + 1), 1, GET_LEN);
	h_expect("80 F2 00 0C", sw91(&snd));
	expect_fetch(&snd);
	expect_send_tr(nr, 0x01, 0xFF, "90 00");
	expect_status_event(0x41, 0x00, "90 00");	/* fd's end */
	expect_status_event(0x81, 0x00, "90 00");	/* the waiting one */
	expect_data_event(0x81, GET_LEN, sw91(&rcv));
	expect_fetch(&rcv);
	expect_receive_tr((uint8_t)(nr + 1), 0x00, get, GET_LEN, 0x00, "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(h_read(fd, got, sizeof(got)), OK2_LEN);
	assert_memory_equal(got, ok2, OK2_LEN);
}

/* A request the card has not answered keeps the channel: the second
 * client waits with nothing told to the card, however long.  Once the
 * first is between requests its channel goes to the second. */
static void test_http_between_requests(void **state)
{
	struct bytes rcv;
	int a, b;

	(void)state;
	a = h_connect(3516);
	wr(a, get, GET_LEN);
	cmd_receive(&rcv, 4, 1, GET_LEN);
	expect_status_event(0x81, 0x00, "90 00");
	expect_data_event(0x81, GET_LEN, sw91(&rcv));
	expect_fetch(&rcv);
	expect_receive_tr(4, 0x00, get, GET_LEN, 0x00, "90 00");
	h_run();
	h_done();
	b = h_connect_waiting(3516, get, GET_LEN);
	assert_int_equal(port(3516)->waiting, 1);
	/* Long waits: nothing reaches the card but STATUS, nothing drops B. */
	for (int i = 0; i < 3; i++)
		poll_after(20000);
	assert_int_equal(port(3516)->waiting, 1);
	/* A is answered: between requests, its channel goes to B, whose
	 * request the card gets whole. */
	hand_over(a, 5);
	assert_int_equal(port(3516)->waiting, 0);
	assert_int_equal(port(3516)->sched.http_reclaims, 1);
	assert_non_null(H->b.chan[1].cl);
	/* A is still connected, without a channel; its next request waits
	 * for B's answer and goes to the card on a fresh connection. */
	wr(a, get, GET_LEN);
	h_run();
	assert_int_equal(port(3516)->waiting, 1);
	hand_over(b, 7);
	assert_int_equal(port(3516)->sched.http_reclaims, 2);
	assert_int_equal(port(3516)->sched.waits, 2);
	close(a);
	close(b);
}

/* In the middle of a response (or with a request unanswered) the channel
 * stays; without a waiting connection it stays too. */
static void test_http_busy_keeps_channel(void **state)
{
	struct bytes rcv, snd;
	static const char part[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhi";
	int a, b;

	(void)state;
	a = connect_established(3516, 1);
	/* alone: between requests, the channel stays */
	exchange(a, 1, 4, get, GET_LEN, ok2, OK2_LEN, false);
	assert_int_equal(port(3516)->sched.http_reclaims, 0);
	/* half an answer, then another client */
	wr(a, get, GET_LEN);
	cmd_receive(&rcv, 6, 1, GET_LEN);
	cmd_send(&snd, 7, 1, 0x01, part, sizeof(part) - 1);
	expect_data_event(0x81, GET_LEN, sw91(&rcv));
	expect_fetch(&rcv);
	expect_receive_tr(6, 0x00, get, GET_LEN, 0x00, sw91(&snd));
	expect_fetch(&snd);
	expect_send_tr(7, 0x01, 0xFF, "90 00");
	h_run();
	h_done();
	b = h_connect_waiting(3516, get, GET_LEN);
	poll_after(5000);
	assert_int_equal(port(3516)->waiting, 1);
	assert_int_equal(port(3516)->sched.http_reclaims, 0);
	close(a);
	close(b);
}

/* TLS: idle with the card having spoken last, a waiting connection: the
 * idle one is closed (FIN) after --idle-ms; with the card owing an answer
 * it is not. */
static void test_tls_idle_close(void **state)
{
	static const uint8_t hello[] = { 0x16, 0x03, 0x01, 0x00, 0x02, 0xAA, 0xBB };
	static const uint8_t shello[] = { 0x16, 0x03, 0x03, 0x00, 0x01, 0xCC };
	static const uint8_t appdata[] = { 0x17, 0x03, 0x03, 0x00, 0x01, 0xDD };
	struct bytes rcv, snd;
	uint8_t got[16];
	int a, b;

	(void)state;
	a = connect_established(4116, 2);
	exchange(a, 2, 4, (const char *)hello, sizeof(hello),
		 (const char *)shello, sizeof(shello), false);
	/* the client's application data: owed an answer, never closed */
	wr(a, appdata, sizeof(appdata));
	cmd_receive(&rcv, 6, 2, sizeof(appdata));
	expect_data_event(0x82, sizeof(appdata), sw91(&rcv));
	expect_fetch(&rcv);
	expect_receive_tr(6, 0x00, appdata, sizeof(appdata), 0x00, "90 00");
	h_run();
	h_done();
	b = h_connect_waiting(4116, hello, sizeof(hello));
	poll_after(5000);
	assert_int_equal(port(4116)->waiting, 1);
	assert_int_equal(port(4116)->sched.idle_closes, 0);
	/* the card answers; --idle-ms later A is closed, B gets the channel */
	cmd_send(&snd, 7, 2, 0x01, appdata, sizeof(appdata));
	h_expect("80 F2 00 0C", sw91(&snd));
	expect_fetch(&snd);
	expect_send_tr(7, 0x01, 0xFF, "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(h_read(a, got, sizeof(got)), sizeof(appdata));
	h_expect("80 F2 00 0C", "90 00");	/* the poll is due too */
	expect_status_event(0x42, 0x00, "90 00");	/* A's end */
	expect_status_event(0x82, 0x00, "90 00");	/* B */
	expect_data_event(0x82, sizeof(hello), "90 00");
	fake_now += H->opts.idle_ms;
	h_run();
	h_done();
	assert_int_equal(port(4116)->sched.idle_closes, 1);
	assert_int_equal(port(4116)->waiting, 0);
	assert_int_equal(read(a, got, sizeof(got)), 0);	/* FIN, no reset */
	close(a);
	close(b);
}

/* A waiting client that resets leaves the line; the room is told. */
static void test_waiting_client_leaves(void **state)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int a, b;

	(void)state;
	a = connect_half_request();	/* A keeps its channel */
	b = h_connect_waiting(3516, get, 3);
	assert_int_equal(port(3516)->held, 2);
	assert_int_equal(port(3516)->waiting, 1);
	setsockopt(b, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(b);
	h_run();
	assert_int_equal(port(3516)->waiting, 0);
	assert_int_equal(port(3516)->held, 1);
	assert_int_equal(port(3516)->sched.dropped_waiting, 1);
	close(a);
}

/* --max-clients reached: a client that has not spoken makes room (the
 * oldest first, with a FIN); with none idle the pump refuses (the module
 * keeps the connection in its queue). */
static void test_max_clients(void **state)
{
	uint8_t got[4];
	int a, b, c, fd[2];

	(void)state;
	H->opts.max_clients = 2;
	a = connect_half_request();	/* A keeps its channel */
	b = h_connect(3516);	/* silent: no channel, idle */
	assert_int_equal(bipd_port_room(&H->b, 3516), 0);
	c = h_connect(3516);	/* B makes room */
	h_run();
	assert_int_equal(port(3516)->sched.evictions, 1);
	assert_int_equal(read(b, got, sizeof(got)), 0);
	wr(c, get, 3);
	h_run();
	assert_int_equal(port(3516)->waiting, 1);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fd), 0);
	assert_int_equal(bipd_conn_bind(&H->b, 3516, fd[0], "fourth"), -EBUSY);
	close(fd[0]);
	close(fd[1]);
	close(a);
	close(b);
	close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_http_between_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_busy_keeps_channel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls_idle_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waiting_client_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_clients, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
