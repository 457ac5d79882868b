// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-bipd/engine.c tools/scws-bipd/sched.c tools/scws-bipd/http_frame.c tools/scws-bipd/tls_frame.c tools/scws-bipd/cat.c tools/scws-bipd/proactive.c tools/scws-bipd/events.c tools/scws-bipd/channel.c tools/scws-bipd/bip_open.c tools/scws-bipd/bip_data.c tools/scws-bipd/drain.c tools/scws-bipd/profile.c tools/scws-bipd/apdu.c tools/scws-bipd/bytebuf.c tools/scws-bipd/loop.c tools/scws-bipd/log.c tools/scws-bipd/stats.c tools/scws-bipd/options.c tools/scws-bipd/atr.c tools/lib/cat-tlv.c tests/bipd/harness.c tests/bipd/apdus.c
// libs:
/*
 * scws-bipd: BIP channels against a scripted card, with real sockets for
 * the clients - OPEN CHANNEL in UICC server and TCP client mode, the
 * events, RECEIVE DATA chunking and its counts, SEND DATA store and
 * immediate, CLOSE CHANNEL back to LISTEN or released, a client that
 * hangs up or half-closes, Rx backpressure, malformed commands closing one
 * channel, a busy card, a card that goes away.  Every C-APDU is checked
 * byte by byte.
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

static void pattern(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* ---- fixtures ---- */

/* Card attached, channel 1 listening on 3516 with a 1500-byte buffer. */
static int setup(void **state)
{
	(void)state;
	h_setup();
	h_attach();
	h_open_server(2, 3516, 1500, 1);
	return 0;
}

static int setup_bare(void **state)
{
	(void)state;
	h_setup();
	h_attach();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	h_teardown();
	return 0;
}

static const char request[] = "GET / HTTP/1.0\r\n\r\n";
#define REQ_LEN (sizeof(request) - 1)

/* ---- tests ---- */

static void test_open_listen(void **state)
{
	unsigned int channels, capacity;

	(void)state;
	assert_int_equal(h_port(3516, &channels, &capacity), 0);
	assert_int_equal(channels, 1);
	assert_int_equal(capacity, 1);
	assert_int_equal(bipd_port_free(&H->b, 3516), 1);
}

/* A whole exchange: ESTABLISHED, Data available, RECEIVE DATA, SEND DATA
 * immediate; the client gets the bytes. */
static void test_request_response(void **state)
{
	unsigned int channels, capacity;
	struct bytes rcv, snd;
	uint8_t got[16];
	int fd;

	(void)state;
	fd = h_connect(3516);
	/* The channel is taken, but the pump still takes connections: they
	 * wait in its own FIFO (sched.c). */
	assert_int_equal(bipd_port_free(&H->b, 3516), 0);
	assert_int_equal(h_port(3516, &channels, &capacity), 0);
	assert_int_equal(capacity, 1);
	wr(fd, request, REQ_LEN);
	cmd_receive(&rcv, 3, 1, REQ_LEN);
	cmd_send(&snd, 4, 1, 0x01, "HELLO", 5);
	expect_status_event(0x81, 0x00, "90 00");
	expect_data_event(0x81, REQ_LEN, sw91(&rcv));
	expect_fetch(&rcv);
	expect_receive_tr(3, 0x00, request, REQ_LEN, 0x00, sw91(&snd));
	expect_fetch(&snd);
	expect_send_tr(4, 0x01, 0xFF, "90 00");
	h_run();
	h_done();
	assert_int_equal(h_read(fd, got, sizeof(got)), 5);
	assert_memory_equal(got, "HELLO", 5);
	assert_int_equal(H->b.stats.to_card, REQ_LEN);
	assert_int_equal(H->b.stats.to_client, 5);
	close(fd);
}

/* 600 bytes: 237 + 237 + 126, the counts FF, 7E, 00; the last asks for
 * more than there is: "missing information" (02). */
static void test_receive_chunks(void **state)
{
	uint8_t data[600];
	struct bytes c1, c2, c3;
	int fd;

	(void)state;
	pattern(data, sizeof(data), 1);
	fd = h_connect(3516);
	wr(fd, data, sizeof(data));
	cmd_receive(&c1, 3, 1, 0xED);
	cmd_receive(&c2, 4, 1, 0xED);
	cmd_receive(&c3, 5, 1, 0xED);
	expect_status_event(0x81, 0x00, "90 00");
	expect_data_event(0x81, 0xFF, sw91(&c1));
	expect_fetch(&c1);
	expect_receive_tr(3, 0x00, data, 237, 0xFF, sw91(&c2));
	expect_fetch(&c2);
	expect_receive_tr(4, 0x00, data + 237, 237, 0x7E, sw91(&c3));
	expect_fetch(&c3);
	expect_receive_tr(5, 0x02, data + 474, 126, 0x00, "90 00");
	h_run();
	h_done();
	close(fd);
}

/* Short APDUs cap a RECEIVE DATA of 255 at 237 bytes. */
static void test_receive_capped_by_apdu(void **state)
{
	uint8_t data[300];
	struct bytes c;
	int fd;

	(void)state;
	pattern(data, sizeof(data), 3);
	fd = h_connect(3516);
	wr(fd, data, sizeof(data));
	cmd_receive(&c, 3, 1, 0xFF);
	expect_status_event(0x81, 0x00, "90 00");
	expect_data_event(0x81, 0xFF, sw91(&c));
	expect_fetch(&c);
	expect_receive_tr(3, 0x02, data, 237, 63, "90 00");
	h_run();
	h_done();
	close(fd);
}

/* With extended APDUs the 255 bytes go in one TERMINAL RESPONSE. */
static void test_receive_extended(void **state)
{
	uint8_t data[300];
	struct bytes c;
	int fd;

	(void)state;
	H->link.extended = true;
	pattern(data, sizeof(data), 5);
	fd = h_connect(3516);
	wr(fd, data, sizeof(data));
	cmd_receive(&c, 3, 1, 0xFF);
	expect_status_event(0x81, 0x00, "90 00");
	expect_data_event(0x81, 0xFF, sw91(&c));
	expect_fetch(&c);
	expect_receive_tr(3, 0x00, data, 255, 45, "90 00");
	h_run();
	h_done();
	close(fd);
}

/* Store mode keeps the bytes; immediate writes them all; the answers
 * count the free Tx space. */
static void test_send_store_then_immediate(void **state)
{
	uint8_t a[100], b2[50], got[200];
	struct bytes s1, s2;
	int fd;

	(void)state;
	h_open_server(3, 4116, 200, 2);
	pattern(a, sizeof(a), 9);
	pattern(b2, sizeof(b2), 11);
	fd = h_connect(4116);
	cmd_send(&s1, 4, 2, 0x00, a, sizeof(a));
	cmd_send(&s2, 5, 2, 0x01, b2, sizeof(b2));
	expect_status_event(0x82, 0x00, sw91(&s1));
	expect_fetch(&s1);
	expect_send_tr(4, 0x00, 100, "90 00");
	h_run();
	h_done();
	assert_int_equal(h_read(fd, got, sizeof(got)), 0);
	h_expect("80 F2 00 0C", sw91(&s2));
	expect_fetch(&s2);
	expect_send_tr(5, 0x01, 200, "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(h_read(fd, got, sizeof(got)), 150);
	assert_memory_equal(got, a, 100);
	assert_memory_equal(got + 100, b2, 50);
	close(fd);
}

/* CLOSE CHANNEL "back to LISTEN": the client sees the end, the port gets
 * its channel back, the next client is taken. */
static void test_close_to_listen(void **state)
{
	unsigned int channels, capacity;
	struct bytes cl;
	uint8_t got[8];
	int fd, fd2;

	(void)state;
	fd = h_connect(3516);
	cmd_begin(&cl, 3, 0x41, 0x01, 0x21, NULL);
	expect_status_event(0x81, 0x00, sw91(&cl));
	expect_fetch(&cl);
	expect_simple_tr(3, 0x41, 0x01, "01 00", "90 00");
	h_run();
	h_done();
	assert_int_equal(h_port(3516, &channels, &capacity), 0);
	assert_int_equal(channels, 1);
	assert_int_equal(capacity, 1);
	assert_int_equal(read(fd, got, sizeof(got)), 0);	/* FIN */
	close(fd);
	h_run();
	assert_null(H->b.drains);	/* drained and closed */
	fd2 = h_connect(3516);
	expect_status_event(0x81, 0x00, "90 00");
	h_run();
	h_done();
	close(fd2);
}

/* CLOSE CHANNEL qualifier 0 releases the channel: the port has none. */
static void test_close_release(void **state)
{
	unsigned int channels, capacity;
	struct bytes cl;

	(void)state;
	cmd_begin(&cl, 3, 0x41, 0x00, 0x21, NULL);
	h_expect("80 F2 00 0C", sw91(&cl));
	expect_fetch(&cl);
	expect_simple_tr(3, 0x41, 0x00, "01 00", "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(h_port(3516, &channels, &capacity), 0);
	assert_int_equal(channels, 0);
	assert_int_equal(capacity, 0);
	assert_int_equal(H->b.chan[1].kind, CHAN_UNUSED);
}

/* A client that sends and hangs up: the end is told only after the card
 * fetched the bytes (LISTEN, 00). */
static void test_hangup_after_fetch(void **state)
{
	unsigned int channels, capacity;
	struct bytes rcv;
	int fd;

	(void)state;
	fd = h_connect(3516);
	wr(fd, request, REQ_LEN);
	shutdown(fd, SHUT_WR);
	expect_status_event(0x81, 0x00, "90 00");
	expect_data_event(0x81, REQ_LEN, "90 00");
	h_run();
	h_done();
	/* Not fetched yet: nothing is reported, however long. */
	cmd_receive(&rcv, 3, 1, REQ_LEN);
	h_expect("80 F2 00 0C", sw91(&rcv));
	expect_fetch(&rcv);
	expect_receive_tr(3, 0x00, request, REQ_LEN, 0x00, "90 00");
	expect_status_event(0x41, 0x00, "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(h_port(3516, &channels, &capacity), 0);
	assert_int_equal(capacity, 1);
	close(fd);
}

/* Half-close: the request and FIN together; the card's answer still
 * reaches the client, and the end is told once the card is quiet for the
 * linger time. */
static void test_half_close_keeps_response(void **state)
{
	struct bytes rcv, snd;
	uint8_t got[16];
	int fd;

	(void)state;
	H->opts.linger_ms = 200;
	fd = h_connect(3516);
	wr(fd, request, REQ_LEN);
	shutdown(fd, SHUT_WR);
	cmd_receive(&rcv, 3, 1, REQ_LEN);
	cmd_send(&snd, 4, 1, 0x01, "HELLO", 5);
	expect_status_event(0x81, 0x00, "90 00");
	expect_data_event(0x81, REQ_LEN, sw91(&rcv));
	expect_fetch(&rcv);
	expect_receive_tr(3, 0x00, request, REQ_LEN, 0x00, sw91(&snd));
	expect_fetch(&snd);
	expect_send_tr(4, 0x01, 0xFF, "90 00");
	h_run();
	h_done();
	assert_int_equal(h_read(fd, got, sizeof(got)), 5);
	assert_memory_equal(got, "HELLO", 5);
	fake_now += 199;
	h_run();
	h_done();
	expect_status_event(0x41, 0x00, "90 00");
	fake_now += 1;
	h_run();
	h_done();
	assert_int_equal(read(fd, got, sizeof(got)), 0);
	close(fd);
}

/* A client that connects and leaves before the card heard of it: the
 * card is told nothing at all. */
static void test_unseen_connection(void **state)
{
	int fd;

	(void)state;
	H->b.envelope_not_before = fake_now + 1000;	/* card was busy */
	fd = h_connect(3516);
	close(fd);
	h_run();
	h_done();
	assert_int_equal(bipd_port_free(&H->b, 3516), 1);
	assert_false(ev_pending(&H->b));
}

/* A connection that ends unseen drops only its own events: the end of
 * the connection before it, still queued behind a busy card, goes out. */
static void test_unseen_keeps_previous_end(void **state)
{
	int fd, fd2;

	(void)state;
	fd = h_connect(3516);
	expect_status_event(0x81, 0x00, "90 00");
	h_run();
	h_done();
	close(fd);
	expect_status_event(0x41, 0x00, "93 00");
	h_run();
	h_done();
	fd2 = h_connect(3516);
	close(fd2);
	h_run();
	h_done();
	expect_status_event(0x41, 0x00, "90 00");
	fake_now += ENVELOPE_BUSY_MS;
	h_run();
	h_done();
	assert_false(ev_pending(&H->b));
}

/* Rx full: the socket is not read further; nothing is lost.  As the card
 * reads, the buffer is topped up from the socket before the answer, so the
 * count tells the card to read on without another Data available. */
static void test_rx_backpressure(void **state)
{
	uint8_t data[500];
	struct bytes c1, c2, c3;
	int fd, queued = 0;

	(void)state;
	h_open_server(3, 4116, 200, 2);
	pattern(data, sizeof(data), 13);
	fd = h_connect(4116);
	wr(fd, data, sizeof(data));
	expect_status_event(0x82, 0x00, "90 00");
	expect_data_event(0x82, 0xC8, "90 00");
	h_run();
	h_done();
	assert_int_equal(bb_len(&H->b.chan[2].rx), 200);
	assert_int_equal(ioctl(H->b.chan[2].fd, FIONREAD, &queued), 0);
	assert_int_equal(queued, 300);		/* left in the socket */
	cmd_receive(&c1, 4, 2, 0xC8);
	cmd_receive(&c2, 5, 2, 0xC8);
	cmd_receive(&c3, 6, 2, 0xC8);
	h_expect("80 F2 00 0C", sw91(&c1));
	expect_fetch(&c1);
	expect_receive_tr(4, 0x00, data, 200, 0xC8, sw91(&c2));
	expect_fetch(&c2);
	expect_receive_tr(5, 0x00, data + 200, 200, 0x64, sw91(&c3));
	expect_fetch(&c3);
	expect_receive_tr(6, 0x02, data + 400, 100, 0x00, "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_true(bb_empty(&H->b.chan[2].rx));
	close(fd);
}

/* SEND DATA without Channel data: 36, and that connection is closed
 * (LISTEN, link dropped); the other channel carries on. */
static void test_malformed_send_closes_channel(void **state)
{
	struct bytes bad;
	uint8_t got[8];
	int fd, fd2;

	(void)state;
	h_open_server(3, 3516, 1500, 2);
	fd = h_connect(3516);
	fd2 = h_connect(3516);
	cmd_begin(&bad, 4, 0x43, 0x01, 0x21, NULL);
	expect_status_event(0x81, 0x00, "90 00");
	expect_status_event(0x82, 0x00, sw91(&bad));
	expect_fetch(&bad);
	expect_simple_tr(4, 0x43, 0x01, "01 36", "90 00");
	expect_status_event(0x41, 0x05, "90 00");
	h_run();
	h_done();
	assert_int_equal(read(fd, got, sizeof(got)), 0);
	assert_int_equal(H->b.chan[2].state, CS_OPEN);
	close(fd);
	close(fd2);
}

/* A channel command for a channel that does not exist: 3A 03. */
static void test_unknown_channel(void **state)
{
	struct bytes c;

	(void)state;
	cmd_receive(&c, 3, 5, 0x10);
	h_expect("80 F2 00 0C", sw91(&c));
	expect_fetch(&c);
	expect_simple_tr(3, 0x42, 0x00, "02 3A 03", "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* RECEIVE DATA on a channel without a connection: 3A 02. */
static void test_receive_without_connection(void **state)
{
	struct bytes c;

	(void)state;
	cmd_receive(&c, 3, 1, 0x10);
	h_expect("80 F2 00 0C", sw91(&c));
	expect_fetch(&c);
	expect_simple_tr(3, 0x42, 0x00, "02 3A 02", "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* A port the source cannot serve: 3A 10, no channel left behind. */
static void test_port_not_available(void **state)
{
	struct bytes c, t = { .n = 0 };

	(void)state;
	H->refuse_port = 9999;
	put_hex(&t, "B9 02 05 DC BC 03 03 27 0F");
	cmd_begin(&c, 3, 0x40, 0x00, 0x82, &t);
	h_expect("80 F2 00 0C", sw91(&c));
	expect_fetch(&c);
	expect_simple_tr(3, 0x40, 0x00, "02 3A 10", "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(H->b.chan[2].kind, CHAN_UNUSED);
}

/* Asking more than --max-buffer: granted less, result 07. */
static void test_buffer_cut(void **state)
{
	struct bytes c, t = { .n = 0 }, r = { .n = 0 };

	(void)state;
	H->opts.max_buffer = 1000;
	put_hex(&t, "B9 02 05 DC BC 03 03 10 14");
	cmd_begin(&c, 3, 0x40, 0x00, 0x82, &t);
	put_hex(&r, "83 01 07 B8 02 42 00 B9 02 03 E8");
	h_expect("80 F2 00 0C", sw91(&c));
	expect_fetch(&c);
	expect_tr(3, 0x40, 0x00, &r, "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(H->b.chan[2].bufsize, 1000);
}

/* Seven channels at most: the eighth OPEN CHANNEL gets 3A 01. */
static void test_no_channel_left(void **state)
{
	struct bytes c, t = { .n = 0 };

	(void)state;
	for (uint8_t id = 2; id <= 7; id++)
		h_open_server((uint8_t)(id + 1), 3516, 100, id);
	put_hex(&t, "B9 02 00 64 BC 03 03 0D BC");
	cmd_begin(&c, 9, 0x40, 0x00, 0x82, &t);
	h_expect("80 F2 00 0C", sw91(&c));
	expect_fetch(&c);
	expect_simple_tr(9, 0x40, 0x00, "02 3A 01", "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* GET CHANNEL STATUS: one status per channel. */
static void test_channel_status(void **state)
{
	struct bytes c, r = { .n = 0 };
	int fd;

	(void)state;
	h_open_server(3, 4116, 100, 2);
	fd = h_connect(4116);
	cmd_begin(&c, 4, 0x44, 0x00, 0x82, NULL);
	put_hex(&r, "83 01 00 B8 02 41 00 B8 02 82 00");
	expect_status_event(0x82, 0x00, sw91(&c));
	expect_fetch(&c);
	expect_tr(4, 0x44, 0x00, &r, "90 00");
	h_run();
	h_done();
	close(fd);
}

/* 93 00: the same envelope again after a pause, not at once. */
static void test_busy_card(void **state)
{
	int fd;

	(void)state;
	fd = h_connect(3516);
	expect_status_event(0x81, 0x00, "93 00");
	h_run();
	h_done();
	fake_now += ENVELOPE_BUSY_MS - 1;
	h_run();
	h_done();
	expect_status_event(0x81, 0x00, "90 00");
	fake_now += 1;
	h_run();
	h_done();
	close(fd);
}

/* The card goes away mid-connection: the client gets a clean end and
 * the port 0 channels. */
static void test_card_lost(void **state)
{
	unsigned int channels, capacity;
	uint8_t got[8];
	int fd;

	(void)state;
	fd = h_connect(3516);
	h_expect_failure("80 C2 00 00 0D D6 0B 99 01 0A 82 02 82 81 B8 02 81 "
			 "00");
	h_run();
	h_done();
	assert_true(H->b.card_failed);
	bipd_card_detach(&H->b);
	assert_int_equal(h_port(3516, &channels, &capacity), 0);
	assert_int_equal(channels, 0);
	assert_int_equal(read(fd, got, sizeof(got)), 0);
	close(fd);
}

/* ---- TCP client mode ---- */

static int listener(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void cmd_open_client(struct bytes *c, uint8_t nr, uint16_t port)
{
	struct bytes t = { .n = 0 };

	put_hex(&t, "35 01 03 39 02 04 00 3C 03 02 %02X %02X 3E 05 21 7F 00 "
		"00 01", port >> 8, port & 0xFF);
	cmd_begin(c, nr, 0x40, 0x03, 0x82, &t);
}

/* Connected: TR with ESTABLISHED, the bearer, the buffer; data both ways;
 * the server closes: link dropped once its bytes were fetched; the card
 * closes the channel. */
static void test_client_channel(void **state)
{
	struct bytes open, rcv, snd, cl, r = { .n = 0 };
	uint16_t port;
	uint8_t got[8];
	int lfd = listener(&port), sfd;

	(void)state;
	cmd_open_client(&open, 2, port);
	put_hex(&r, "83 01 00 B8 02 81 00 B5 01 03 B9 02 04 00");
	h_expect("80 F2 00 0C", sw91(&open));
	expect_fetch(&open);
	cmd_send(&snd, 3, 1, 0x01, "POST", 4);
	expect_tr(2, 0x40, 0x03, &r, sw91(&snd));
	expect_fetch(&snd);
	expect_send_tr(3, 0x01, 0xFF, "90 00");
	fake_now += 500;
	h_run();
	h_done();
	sfd = accept(lfd, NULL, NULL);
	assert_true(sfd >= 0);
	assert_int_equal(h_read(sfd, got, sizeof(got)), 4);
	assert_memory_equal(got, "POST", 4);
	wr(sfd, "OK", 2);
	close(sfd);
	cmd_receive(&rcv, 4, 1, 2);
	cmd_begin(&cl, 5, 0x41, 0x00, 0x21, NULL);
	expect_data_event(0x81, 0x02, sw91(&rcv));
	expect_fetch(&rcv);
	expect_receive_tr(4, 0x00, "OK", 2, 0x00, "90 00");
	expect_status_event(0x01, 0x05, sw91(&cl));
	expect_fetch(&cl);
	expect_simple_tr(5, 0x41, 0x00, "01 00", "90 00");
	h_run();
	h_done();
	assert_int_equal(H->b.chan[1].kind, CHAN_UNUSED);
	close(lfd);
}

/* Nobody listens: 3A 07 (remote device not reachable). */
static void test_client_refused(void **state)
{
	struct bytes open;
	uint16_t port;
	int lfd = listener(&port);

	(void)state;
	close(lfd);
	cmd_open_client(&open, 2, port);
	h_expect("80 F2 00 0C", sw91(&open));
	expect_fetch(&open);
	expect_simple_tr(2, 0x40, 0x03, "02 3A 07", "90 00");
	fake_now += 500;
	h_run();
	h_done();
	assert_int_equal(H->b.chan[1].kind, CHAN_UNUSED);
}

/* The destination must follow the transport level; without it: 36. */
static void test_client_without_destination(void **state)
{
	struct bytes c, t = { .n = 0 };

	(void)state;
	put_hex(&t, "35 01 03 39 02 04 00 3E 05 21 7F 00 00 01 3C 03 02 01 BB");
	cmd_begin(&c, 2, 0x40, 0x03, 0x82, &t);
	h_expect("80 F2 00 0C", sw91(&c));
	expect_fetch(&c);
	expect_simple_tr(2, 0x40, 0x03, "01 36", "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

/* --no-tcp-client: client mode is beyond this terminal (30). */
static void test_client_disabled(void **state)
{
	struct bytes open;

	(void)state;
	H->opts.tcp_client = false;
	cmd_open_client(&open, 2, 443);
	h_expect("80 F2 00 0C", sw91(&open));
	expect_fetch(&open);
	expect_simple_tr(2, 0x40, 0x03, "01 30", "90 00");
	fake_now += 500;
	h_run();
	h_done();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TB(f) cmocka_unit_test_setup_teardown(f, setup_bare, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_listen),
		T(test_request_response),
		T(test_receive_chunks),
		T(test_receive_capped_by_apdu),
		T(test_receive_extended),
		T(test_send_store_then_immediate),
		T(test_close_to_listen),
		T(test_close_release),
		T(test_hangup_after_fetch),
		T(test_half_close_keeps_response),
		T(test_unseen_connection),
		T(test_unseen_keeps_previous_end),
		T(test_rx_backpressure),
		T(test_malformed_send_closes_channel),
		T(test_unknown_channel),
		T(test_receive_without_connection),
		T(test_port_not_available),
		T(test_buffer_cut),
		T(test_no_channel_left),
		T(test_channel_status),
		T(test_busy_card),
		T(test_card_lost),
		TB(test_client_channel),
		TB(test_client_refused),
		TB(test_client_without_destination),
		TB(test_client_disabled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
