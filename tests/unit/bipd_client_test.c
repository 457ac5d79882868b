// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-bipd/engine.c tools/scws-bipd/sched.c tools/scws-bipd/http_frame.c tools/scws-bipd/tls_frame.c tools/scws-bipd/cat.c tools/scws-bipd/proactive.c tools/scws-bipd/events.c tools/scws-bipd/channel.c tools/scws-bipd/bip_open.c tools/scws-bipd/bip_data.c tools/scws-bipd/drain.c tools/scws-bipd/profile.c tools/scws-bipd/apdu.c tools/scws-bipd/bytebuf.c tools/scws-bipd/loop.c tools/scws-bipd/log.c tools/scws-bipd/stats.c tools/scws-bipd/options.c tools/scws-bipd/atr.c tools/lib/cat-tlv.c tests/bipd/harness.c tests/bipd/apdus.c
// libs:
/*
 * scws-bipd: client channels for the card's administration agent, with
 * real sockets on the loopback - TCP to 127.0.0.1 and to ::1, UDP to both
 * (datagrams each way), the DNS servers a card asks for with OPEN CHANNEL
 * qualifier bit 4 (tag 40, from --resolv-conf), and the TERMINAL PROFILE
 * bits for it.  Every C-APDU is checked byte by byte.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "../bipd/apdus.h"

static int setup(void **state)
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

/* A loopback socket (v6: ::1) of this type, bound to a free port. */
static int sock(bool v6, int type, uint16_t *port)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in s4 = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr *sa = v6 ? (struct sockaddr *)&s6 :
				   (struct sockaddr *)&s4;
	socklen_t len = v6 ? sizeof(s6) : sizeof(s4);
	int fd = socket(v6 ? AF_INET6 : AF_INET, type, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, sa, len), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, sa, &len), 0);
	*port = ntohs(v6 ? s6.sin6_port : s4.sin_port);
	return fd;
}

/* OPEN CHANNEL: default bearer, buffer 1024, transport (01 UDP / 02 TCP)
 * and the loopback address of the family as destination. */
static void cmd_open(struct bytes *c, uint8_t nr, uint8_t q, bool v6,
		     uint8_t proto, uint16_t port)
{
	struct bytes t = { .n = 0 };

	put_hex(&t, "35 01 03 39 02 04 00 3C 03 %02X %02X %02X", proto,
		port >> 8, port & 0xFF);
	if (v6)
		put_hex(&t, "3E 11 57 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
			"00 01");
	else
		put_hex(&t, "3E 05 21 7F 00 00 01");
	cmd_begin(c, nr, 0x40, q, 0x82, &t);
}

/* Open, send "PING" from the card, get "PONG" back, the card closes. */
static void round_trip(bool v6, bool udp)
{
	struct bytes open, rcv, snd, cl, r = { .n = 0 };
	uint16_t port;
	uint8_t got[8];
	int lfd = sock(v6, udp ? SOCK_DGRAM : SOCK_STREAM, &port), sfd;
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);

	cmd_open(&open, 2, 0x01, v6, udp ? 0x01 : 0x02, port);
	put_hex(&r, "83 01 00 B8 02 81 00 B5 01 03 B9 02 04 00");
	h_expect("80 F2 00 0C", sw91(&open));
	expect_fetch(&open);
	cmd_send(&snd, 3, 1, 0x01, "PING", 4);
	expect_tr(2, 0x40, 0x01, &r, sw91(&snd));
	expect_fetch(&snd);
	expect_send_tr(3, 0x01, 0xFF, "90 00");
	fake_now += 500;
	h_run();
	h_done();
	if (udp) {
		sfd = lfd;
		assert_int_equal(recvfrom(sfd, got, sizeof(got), 0,
					  (struct sockaddr *)&peer, &plen), 4);
		assert_int_equal(sendto(sfd, "PONG", 4, 0,
					(struct sockaddr *)&peer, plen), 4);
	} else {
		sfd = accept(lfd, NULL, NULL);
		assert_true(sfd >= 0);
		assert_int_equal(h_read(sfd, got, sizeof(got)), 4);
		wr(sfd, "PONG", 4);
	}
	assert_memory_equal(got, "PING", 4);
	cmd_receive(&rcv, 4, 1, 4);
	cmd_begin(&cl, 5, 0x41, 0x00, 0x21, NULL);
	expect_data_event(0x81, 0x04, sw91(&rcv));
	expect_fetch(&rcv);
	expect_receive_tr(4, 0x00, "PONG", 4, 0x00, sw91(&cl));
	expect_fetch(&cl);
	expect_simple_tr(5, 0x41, 0x00, "01 00", "90 00");
	h_run();
	h_done();
	assert_int_equal(H->b.chan[1].kind, CHAN_UNUSED);
	if (sfd != lfd)
		close(sfd);
	close(lfd);
}

static void test_tcp_ipv4(void **state)
{
	(void)state;
	round_trip(false, false);
}

static void test_tcp_ipv6(void **state)
{
	(void)state;
	round_trip(true, false);
}

static void test_udp_ipv4(void **state)
{
	(void)state;
	round_trip(false, true);
}

static void test_udp_ipv6(void **state)
{
	(void)state;
	round_trip(true, true);
}

/* Qualifier bit 4: the TERMINAL RESPONSE names the DNS servers (tag 40,
 * coded as Other address), in resolv.conf's order; zones and junk are
 * skipped; at most 3. */
static void test_dns_servers(void **state)
{
	char path[] = "/tmp/bipd-resolv.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct bytes open, r = { .n = 0 };
	uint16_t port;
	int ufd = sock(false, SOCK_DGRAM, &port);

	(void)state;
	fputs("# resolv.conf\nsearch example\nnameserver 192.0.2.53\n"
	      "nameserver fe80::1%eth0\nnameserver not-an-address\n"
	      "nameserver 2001:db8::53\nnameserver 127.0.0.53\n"
	      "nameserver 10.0.0.1\n", f);
	fclose(f);
	H->opts.resolv_conf = path;
	cmd_open(&open, 2, 0x09, false, 0x01, port);
	put_hex(&r, "83 01 00 B8 02 81 00 B5 01 03 B9 02 04 00 "
		"C0 05 21 C0 00 02 35 "
		"C0 11 57 20 01 0D B8 00 00 00 00 00 00 00 00 00 00 00 53 "
		"C0 05 21 7F 00 00 35");
	h_expect("80 F2 00 0C", sw91(&open));
	expect_fetch(&open);
	expect_tr(2, 0x40, 0x09, &r, "90 00");
	fake_now += 500;
	h_run();
	h_done();
	unlink(path);
	close(ufd);
}

/* Byte 17: TCP and UDP client remote besides server mode. */
static void test_profile(void **state)
{
	uint8_t tp[32];

	(void)state;
	assert_int_equal(terminal_profile(&H->opts, tp, sizeof(tp)), 17);
	assert_int_equal(tp[0], 0x13);		/* SMS-PP download b2, b5 */
	assert_int_equal(tp[16], 0x07);
	H->opts.tcp_client = false;
	terminal_profile(&H->opts, tp, sizeof(tp));
	assert_int_equal(tp[16], 0x04);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tcp_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dns_servers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_profile, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
