/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * harness.h - scws-bipd's engine under test: a scripted card and a fake
 * connection source, for the cmocka tests in tests/unit/bipd_*_test.c.
 *
 * The card is a list of expected C-APDUs, each with the R-APDU to answer;
 * any other C-APDU fails the test, showing both in hex.  Time is a fake
 * clock the test moves.  Client connections are socketpairs.
 */
#ifndef BIPD_TEST_HARNESS_H
#define BIPD_TEST_HARNESS_H

#include "../../tools/scws-bipd/bipd.h"

struct port_call {
	uint16_t port;
	unsigned int channels, capacity;
};

struct harness {
	struct bipd_opts opts;
	struct loop *loop;
	struct bipd b;
	struct apdu_link link;
	struct port_call calls[64];
	unsigned int n_calls;
	uint16_t refuse_port;	/* port_set answers -EADDRNOTAVAIL */
};

extern struct harness *H;
extern int64_t fake_now;

/* A fresh engine (opts: poll 500 ms, linger 0, short APDUs) with no card. */
void h_setup(void);
void h_teardown(void);
/* Attaches the card: TERMINAL PROFILE, SET UP EVENT LIST 09 0A answered. */
void h_attach(void);
/* Next C-APDU the card must get, and its answer (hex, spaces ignored). */
void h_expect(const char *capdu, const char *rapdu);
/* The same with the C-APDU as bytes. */
void h_expect_bytes(const uint8_t *capdu, size_t clen, const char *rapdu);
/* The next transmit fails as if the card was pulled. */
void h_expect_failure(const char *capdu);
/* All expected APDUs were sent. */
void h_done(void);
/* Runs the loop and the engine until neither has anything to do. */
void h_run(void);
/* The card opens a server channel: OPEN CHANNEL on port with buffer. */
void h_open_server(uint8_t number, uint16_t port, uint16_t bufsize,
		   uint8_t id);
/* A client connection bound to port: returns the test's end. */
int h_connect(uint16_t port);
/* The last port_set for port: 0 if there was one. */
int h_port(uint16_t port, unsigned int *channels, unsigned int *capacity);
/* Reads what the client got, waiting briefly; returns the byte count. */
size_t h_read(int fd, uint8_t *buf, size_t cap);
size_t hex_parse(const char *hex, uint8_t *out, size_t cap);

#endif /* BIPD_TEST_HARNESS_H */
