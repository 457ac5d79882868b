/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * apdus.h - the card's side of the bipd engine tests, in bytes: the
 * proactive commands the scripted card hands out (FETCH) and the
 * TERMINAL RESPONSEs and ENVELOPEs the engine must send back, built with
 * harness.h's h_expect().  Shared by tests/unit/bipd_channel_test.c and
 * bipd_sched_test.c.
 */
#ifndef BIPD_TEST_APDUS_H
#define BIPD_TEST_APDUS_H

#include "harness.h"

struct bytes {
	uint8_t b[700];
	size_t n;
};

/* Appends hex (printf format, spaces ignored), raw bytes, a BER length. */
void put_hex(struct bytes *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void put_raw(struct bytes *x, const void *p, size_t n);
void put_len(struct bytes *x, size_t n);

/* "91 xx" announcing command c (a ring of 8 strings). */
const char *sw91(const struct bytes *c);
/* FETCH of c, answered with c + 90 00. */
void expect_fetch(const struct bytes *c);

/* A proactive command: D0 | 81 03 nr type q | 82 02 81 dst | tail. */
void cmd_begin(struct bytes *c, uint8_t nr, uint8_t type, uint8_t q,
	       uint8_t dst, const struct bytes *tail);
/* RECEIVE DATA of want bytes on channel ch. */
void cmd_receive(struct bytes *c, uint8_t nr, uint8_t ch, uint8_t want);
/* SEND DATA of data on channel ch (q: 00 store, 01 immediately). */
void cmd_send(struct bytes *c, uint8_t nr, uint8_t ch, uint8_t q,
	      const void *data, size_t n);

/* TERMINAL RESPONSE APDU: 80 14 00 00 Lc | 81 03 nr type q | 82 02 82 81 |
 * tail (from the Result on). */
void expect_tr(uint8_t nr, uint8_t type, uint8_t q,
	       const struct bytes *tail, const char *sw);
/* TERMINAL RESPONSE to RECEIVE DATA: result, data, bytes left. */
void expect_receive_tr(uint8_t nr, uint8_t result, const void *data,
		       size_t n, uint8_t left, const char *sw);
/* TERMINAL RESPONSE to SEND DATA: success, space left. */
void expect_send_tr(uint8_t nr, uint8_t q, uint8_t space, const char *sw);
/* TERMINAL RESPONSE with only a Result (hex after the 83 tag). */
void expect_simple_tr(uint8_t nr, uint8_t type, uint8_t q,
		      const char *result, const char *sw);

/* ENVELOPE (EVENT DOWNLOAD): Channel status s1 s2; Data available. */
void expect_status_event(uint8_t s1, uint8_t s2, const char *sw);
void expect_data_event(uint8_t s1, uint8_t count, const char *sw);

/* Writes all n bytes on the client's end fd. */
void wr(int fd, const void *p, size_t n);

#endif /* BIPD_TEST_APDUS_H */
