// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * apdus.c - see apdus.h.
 */
#include "apdus.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

void put_hex(struct bytes *x, const char *fmt, ...)
{
	char hex[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hex, sizeof(hex), fmt, ap);
	va_end(ap);
	x->n += hex_parse(hex, x->b + x->n, sizeof(x->b) - x->n);
}

void put_raw(struct bytes *x, const void *p, size_t n)
{
	assert_true(x->n + n <= sizeof(x->b));
	memcpy(x->b + x->n, p, n);
	x->n += n;
}

void put_len(struct bytes *x, size_t n)
{
	if (n > 127)
		put_hex(x, "81");
	put_hex(x, "%02zX", n);
}

/* "91 xx" announcing command c. */
const char *sw91(const struct bytes *c)
{
	static char ring[8][8];
	static unsigned int k;
	char *s = ring[k++ % 8];

	snprintf(s, 8, "91 %02zX", c->n);
	return s;
}

/* FETCH of c, answered with c + 90 00. */
void expect_fetch(const struct bytes *c)
{
	char cmd[32], resp[3 * sizeof(c->b) + 8];
	size_t k = 0;

	snprintf(cmd, sizeof(cmd), "80 12 00 00 %02zX", c->n);
	for (size_t i = 0; i < c->n; i++)
		k += (size_t)snprintf(resp + k, sizeof(resp) - k, "%02X ",
				      c->b[i]);
	snprintf(resp + k, sizeof(resp) - k, "90 00");
	h_expect(cmd, resp);
}

/* A proactive command: D0 | 81 03 nr type q | 82 02 81 dst | tail. */
void cmd_begin(struct bytes *c, uint8_t nr, uint8_t type, uint8_t q,
	       uint8_t dst, const struct bytes *tail)
{
	struct bytes v = { .n = 0 };

	put_hex(&v, "81 03 %02X %02X %02X 82 02 81 %02X", nr, type, q, dst);
	if (tail)
		put_raw(&v, tail->b, tail->n);
	c->n = 0;
	put_hex(c, "D0");
	put_len(c, v.n);
	put_raw(c, v.b, v.n);
}

void cmd_receive(struct bytes *c, uint8_t nr, uint8_t ch, uint8_t want)
{
	struct bytes t = { .n = 0 };

	put_hex(&t, "B7 01 %02X", want);
	cmd_begin(c, nr, 0x42, 0, 0x20 | ch, &t);
}

void cmd_send(struct bytes *c, uint8_t nr, uint8_t ch, uint8_t q,
	      const void *data, size_t n)
{
	struct bytes t = { .n = 0 };

	put_hex(&t, "B6");
	put_len(&t, n);
	put_raw(&t, data, n);
	cmd_begin(c, nr, 0x43, q, 0x20 | ch, &t);
}

/* TERMINAL RESPONSE APDU: 80 14 00 00 Lc | 81 03 nr type q | 82 02 82 81 |
 * tail (from the Result on). */
void expect_tr(uint8_t nr, uint8_t type, uint8_t q,
	       const struct bytes *tail, const char *sw)
{
	struct bytes a = { .n = 0 };
	size_t lc = 9 + tail->n;

	put_hex(&a, "80 14 00 00");
	if (lc > 255)
		put_hex(&a, "00 %02zX %02zX", lc >> 8, lc & 0xFF);
	else
		put_hex(&a, "%02zX", lc);
	put_hex(&a, "81 03 %02X %02X %02X 82 02 82 81", nr, type, q);
	put_raw(&a, tail->b, tail->n);
	h_expect_bytes(a.b, a.n, sw);
}

void expect_receive_tr(uint8_t nr, uint8_t result, const void *data,
		       size_t n, uint8_t left, const char *sw)
{
	struct bytes t = { .n = 0 };

	put_hex(&t, "83 01 %02X B6", result);
	put_len(&t, n);
	put_raw(&t, data, n);
	put_hex(&t, "B7 01 %02X", left);
	expect_tr(nr, 0x42, 0, &t, sw);
}

void expect_send_tr(uint8_t nr, uint8_t q, uint8_t space, const char *sw)
{
	struct bytes t = { .n = 0 };

	put_hex(&t, "83 01 00 B7 01 %02X", space);
	expect_tr(nr, 0x43, q, &t, sw);
}

void expect_simple_tr(uint8_t nr, uint8_t type, uint8_t q,
		      const char *result, const char *sw)
{
	struct bytes t = { .n = 0 };

	put_hex(&t, "83 %s", result);
	expect_tr(nr, type, q, &t, sw);
}

void expect_status_event(uint8_t s1, uint8_t s2, const char *sw)
{
	char env[96];

	snprintf(env, sizeof(env), "80 C2 00 00 0D D6 0B 99 01 0A 82 02 82 81 "
		 "B8 02 %02X %02X", s1, s2);
	h_expect(env, sw);
}

void expect_data_event(uint8_t s1, uint8_t count, const char *sw)
{
	char env[96];

	snprintf(env, sizeof(env), "80 C2 00 00 10 D6 0E 99 01 09 82 02 82 81 "
		 "B8 02 %02X 00 B7 01 %02X", s1, count);
	h_expect(env, sw);
}

void wr(int fd, const void *p, size_t n)
{
	assert_int_equal(write(fd, p, n), (ssize_t)n);
}
