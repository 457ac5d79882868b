// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * harness.c - see harness.h.
 */
#include "harness.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#define STEPS_MAX 256
#define APDU_MAX 600

struct step {
	uint8_t c[APDU_MAX], r[APDU_MAX];
	size_t clen, rlen;
	bool fail;
};

static struct step steps[STEPS_MAX];
static size_t n_steps, pos;
static struct harness h_storage;
struct harness *H = &h_storage;
int64_t fake_now;

size_t hex_parse(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (isspace((unsigned char)*hex))
			continue;
		v = isdigit((unsigned char)*hex) ? *hex - '0' :
		    tolower((unsigned char)*hex) - 'a' + 10;
		assert_true(v >= 0 && v < 16);
		if (hi < 0) {
			hi = v;
			continue;
		}
		assert_true(n < cap);
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	assert_int_equal(hi, -1);
	return n;
}

static void hex_str(char *out, size_t cap, const uint8_t *p, size_t n)
{
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && k + 4 < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%02X ", p[i]);
}

void h_expect(const char *capdu, const char *rapdu)
{
	struct step *s;

	assert_true(n_steps < STEPS_MAX);
	s = &steps[n_steps++];
	s->clen = hex_parse(capdu, s->c, sizeof(s->c));
	s->rlen = hex_parse(rapdu, s->r, sizeof(s->r));
	s->fail = false;
}

void h_expect_bytes(const uint8_t *capdu, size_t clen, const char *rapdu)
{
	struct step *s;

	assert_true(n_steps < STEPS_MAX && clen <= APDU_MAX);
	s = &steps[n_steps++];
	memcpy(s->c, capdu, clen);
	s->clen = clen;
	s->rlen = hex_parse(rapdu, s->r, sizeof(s->r));
	s->fail = false;
}

void h_expect_failure(const char *capdu)
{
	h_expect(capdu, "");
	steps[n_steps - 1].fail = true;
}

void h_done(void)
{
	if (pos != n_steps) {
		char want[3 * APDU_MAX];

		hex_str(want, sizeof(want), steps[pos].c, steps[pos].clen);
		fail_msg("%zu expected APDUs not sent; next: %s",
			 n_steps - pos, want);
	}
}

static int script_transmit(void *ctx, const uint8_t *c, size_t clen,
			   uint8_t *r, size_t rcap, size_t *rlen)
{
	char got[3 * APDU_MAX], want[3 * APDU_MAX];
	struct step *s;

	(void)ctx;
	hex_str(got, sizeof(got), c, clen);
	if (pos == n_steps)
		fail_msg("unexpected C-APDU: %s", got);
	s = &steps[pos++];
	hex_str(want, sizeof(want), s->c, s->clen);
	if (clen != s->clen || memcmp(c, s->c, clen))
		fail_msg("C-APDU %zu\n  want: %s\n  got:  %s", pos, want, got);
	if (s->fail)
		return -ENODEV;
	assert_true(s->rlen <= rcap);
	memcpy(r, s->r, s->rlen);
	*rlen = s->rlen;
	return 0;
}

static const struct card_ops script_ops = { .transmit = script_transmit };

static int64_t fake_clock(void)
{
	return fake_now;
}

static int fake_port_set(void *src, uint16_t port, unsigned int channels,
			 unsigned int capacity,
			 const struct scws_pump_stats *st)
{
	struct harness *h = src;

	(void)st;
	if (port == h->refuse_port)
		return -EADDRNOTAVAIL;
	assert_true(h->n_calls < sizeof(h->calls) / sizeof(h->calls[0]));
	h->calls[h->n_calls++] = (struct port_call){ port, channels, capacity };
	return 0;
}

static const struct conn_source_ops fake_source = { .port_set = fake_port_set };

void h_setup(void)
{
	struct conn_source src = { .ops = &fake_source, .src = H };

	memset(H, 0, sizeof(*H));
	n_steps = pos = 0;
	fake_now = 1000000;
	opts_defaults(&H->opts);
	H->opts.linger_ms = 0;
	H->opts.extended = EXT_NO;
	assert_int_equal(loop_new(&H->loop), 0);
	bipd_init(&H->b, &H->opts, H->loop, &src);
	H->b.clock = fake_clock;
	H->link.ops = &script_ops;
}

void h_teardown(void)
{
	bipd_fini(&H->b);
	loop_free(H->loop);
}

void h_run(void)
{
	for (int round = 0; round < 100; round++) {
		int64_t next = bipd_tick(&H->b);
		int n = loop_run_once(H->loop, 1);

		/* Settled: no event, and no deadline that has come. */
		if (n == 0 && (next < 0 || next > fake_now))
			return;
	}
	fail_msg("the engine does not settle (busy loop?)");
}

#define TP "80 10 00 00 11 13 01 00 00 01 0C 00 00 00 00 00 1F E2 00 00 00 07"

void h_attach(void)
{
	h_expect(TP, "91 0F");
	h_expect("80 12 00 00 0F",
		 "D0 0D 81 03 01 05 00 82 02 81 82 99 02 09 0A 90 00");
	h_expect("80 14 00 00 0C 81 03 01 05 00 82 02 82 81 83 01 00",
		 "90 00");
	assert_int_equal(bipd_card_attach(&H->b, &H->link), 0);
	h_run();
	h_done();
	assert_true(H->b.ev_data && H->b.ev_status);
}

void h_open_server(uint8_t number, uint16_t port, uint16_t bufsize,
		   uint8_t id)
{
	char cmd[200], tr[200];

	snprintf(cmd, sizeof(cmd), "D0 12 81 03 %02X 40 00 82 02 81 82 B9 02 "
		 "%02X %02X BC 03 03 %02X %02X 90 00", number, bufsize >> 8,
		 bufsize & 0xFF, port >> 8, port & 0xFF);
	snprintf(tr, sizeof(tr), "80 14 00 00 14 81 03 %02X 40 00 82 02 82 81 "
		 "83 01 00 B8 02 %02X 00 B9 02 %02X %02X", number, 0x40 | id,
		 bufsize >> 8, bufsize & 0xFF);
	/* The command comes as the answer to a STATUS poll. */
	h_expect("80 F2 00 0C", "91 14");
	h_expect("80 12 00 00 14", cmd);
	h_expect(tr, "90 00");
	fake_now += H->opts.poll_ms;
	h_run();
	h_done();
}

int h_connect(uint16_t port)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(bipd_conn_bind(&H->b, port, sv[0], "test"), 0);
	return sv[1];
}

int h_port(uint16_t port, unsigned int *channels, unsigned int *capacity)
{
	for (unsigned int i = H->n_calls; i-- > 0;) {
		if (H->calls[i].port == port) {
			*channels = H->calls[i].channels;
			*capacity = H->calls[i].capacity;
			return 0;
		}
	}
	return -1;
}

size_t h_read(int fd, uint8_t *buf, size_t cap)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0;

	while (n < cap && poll(&p, 1, 100) > 0) {
		ssize_t r = recv(fd, buf + n, cap - n, MSG_DONTWAIT);

		if (r <= 0)
			break;
		n += (size_t)r;
	}
	return n;
}
