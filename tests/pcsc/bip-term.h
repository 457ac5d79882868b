/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal scripted terminal for card tests: sends APDUs through a
 * transport callback, remembers the last answer, and plays the terminal's
 * side of the proactive protocol and of BIP UICC-server channels with a
 * fake TCP client behind each channel.  Its TLV handling is written
 * independently of the card's codec on purpose, so a shared bug cannot
 * hide itself.
 */
#ifndef SCWS_TEST_BIP_TERM_H
#define SCWS_TEST_BIP_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sends c, fills r (cap bytes) with data + SW; 0 or -1. */
typedef int term_xfer(void *arg, const uint8_t *c, size_t clen, uint8_t *r,
		      size_t cap, size_t *rlen);

struct term;

struct term *term_new(term_xfer *xfer, void *arg, bool quiet);
void term_free(struct term *t);

/* One APDU; the answer is kept for term_last(). 0 or -1. */
int term_apdu(struct term *t, const uint8_t *c, size_t len);
const uint8_t *term_last(const struct term *t, size_t *len);
uint16_t term_sw(const struct term *t);

/* FETCH with Le from the last 91xx; -1 if there was none. */
int term_fetch(struct term *t);
/* TERMINAL RESPONSE to the last fetched command: its command details,
 * device identities terminal -> UICC, then tlvs. */
int term_tr(struct term *t, const uint8_t *tlvs, size_t len);
/* ENVELOPE with data; retried while the card answers 9300. */
int term_envelope(struct term *t, const uint8_t *data, size_t len);

/* Answers the last fetched command the way term_proactive() would. */
int term_answer(struct term *t);
/* Answers proactive commands until the card has none pending. */
int term_proactive(struct term *t);
/* A client connects to listening channel id ch (1..7). */
int term_connect(struct term *t, int ch);
/* The client on ch sends data (announced with Data available). */
int term_send(struct term *t, int ch, const uint8_t *data, size_t len);
/* The client on ch hangs up. */
int term_hangup(struct term *t, int ch);
/* What the card sent on ch so far, and whether it closed the link. */
const uint8_t *term_received(const struct term *t, int ch, size_t *len,
			     bool *closed);
void term_clear(struct term *t, int ch);
/* State of channel ch: 0 none, 'L' listening, 'E' established. */
int term_channel_state(const struct term *t, int ch, uint16_t *port);

#endif /* SCWS_TEST_BIP_TERM_H */
