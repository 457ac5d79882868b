// SPDX-License-Identifier: GPL-2.0
/*
 * The terminal side of TS 102 223 proactive sessions and BIP UICC server
 * channels, just enough to drive a card from a test script (bip-term.h).
 * Short APDUs only: a TERMINAL RESPONSE never exceeds 255 bytes, so
 * RECEIVE DATA hands over at most 237 bytes at a time.
 */
#include "bip-term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CH 7
#define RECEIVE_MAX 237		/* 255 - cmd details - ids - result - 36 81 LL - 37 01 xx */
#define ROUNDS_MAX 100000	/* a card that never stops is a failure */

enum cmd_type {
	SET_UP_EVENT_LIST = 0x05,
	OPEN_CHANNEL = 0x40,
	CLOSE_CHANNEL = 0x41,
	RECEIVE_DATA = 0x42,
	SEND_DATA = 0x43,
	GET_CHANNEL_STATUS = 0x44,
};

struct channel {
	int state;		/* 0, 'L', 'E' */
	uint16_t port;
	uint8_t *rx;		/* client -> card, not yet received */
	size_t rx_len;
	uint8_t *tx;		/* card -> client */
	size_t tx_len;
	bool closed;		/* the card closed the client connection */
	bool listen_event;	/* owe the card a LISTEN status event */
};

struct term {
	term_xfer *xfer;
	void *arg;
	bool quiet;
	uint8_t last[65538];
	size_t last_len;
	uint8_t cmd[256];	/* last fetched proactive command */
	size_t cmd_len;
	struct channel ch[MAX_CH + 1];
};

/* A parsed COMPREHENSION-TLV view of a proactive command. */
struct tlv {
	uint8_t tag;		/* CR bit cleared */
	const uint8_t *v;
	size_t len;
};

struct term *term_new(term_xfer *xfer, void *arg, bool quiet)
{
	struct term *t = calloc(1, sizeof(*t));

	if (t) {
		t->xfer = xfer;
		t->arg = arg;
		t->quiet = quiet;
	}
	return t;
}

void term_free(struct term *t)
{
	if (!t)
		return;
	for (int i = 0; i <= MAX_CH; i++) {
		free(t->ch[i].rx);
		free(t->ch[i].tx);
	}
	free(t);
}

static void hexdump(const char *dir, const uint8_t *p, size_t n)
{
	printf("%s", dir);
	for (size_t i = 0; i < n; i++)
		printf(" %02X", p[i]);
	printf("\n");
}

int term_apdu(struct term *t, const uint8_t *c, size_t len)
{
	if (!t->quiet)
		hexdump(">", c, len);
	if (t->xfer(t->arg, c, len, t->last, sizeof(t->last), &t->last_len) ||
	    t->last_len < 2) {
		fprintf(stderr, "transmit failed\n");
		t->last_len = 0;
		return -1;
	}
	if (!t->quiet)
		hexdump("<", t->last, t->last_len);
	return 0;
}

const uint8_t *term_last(const struct term *t, size_t *len)
{
	*len = t->last_len;
	return t->last;
}

uint16_t term_sw(const struct term *t)
{
	if (t->last_len < 2)
		return 0;
	return (uint16_t)(t->last[t->last_len - 2] << 8 | t->last[t->last_len - 1]);
}

int term_fetch(struct term *t)
{
	uint16_t sw = term_sw(t);
	uint8_t fetch[5] = { 0x80, 0x12, 0x00, 0x00, (uint8_t)sw };

	if ((sw >> 8) != 0x91) {
		fprintf(stderr, "FETCH without a pending command (SW %04X)\n", sw);
		return -1;
	}
	if (term_apdu(t, fetch, sizeof(fetch)))
		return -1;
	if (term_sw(t) != 0x9000 || t->last_len < 4 || t->last[0] != 0xD0 ||
	    t->last_len - 2 > sizeof(t->cmd)) {
		fprintf(stderr, "FETCH answered %04X\n", term_sw(t));
		return -1;
	}
	t->cmd_len = t->last_len - 2;
	memcpy(t->cmd, t->last, t->cmd_len);
	return 0;
}

/* Finds the COMPREHENSION-TLV with tag (CR bit ignored) in the last
 * fetched command. */
static bool find(const struct term *t, uint8_t tag, struct tlv *out)
{
	size_t off = 1, end;

	if (t->cmd_len < 2)
		return false;
	if (t->cmd[1] == 0x81) {
		if (t->cmd_len < 3)
			return false;
		end = 3 + (size_t)t->cmd[2];
		off = 3;
	} else {
		end = 2 + (size_t)t->cmd[1];
		off = 2;
	}
	if (end > t->cmd_len)
		return false;
	while (off + 2 <= end) {
		uint8_t tg = t->cmd[off] & 0x7F;
		size_t len = t->cmd[off + 1], hdr = 2;

		if (len == 0x81) {
			if (off + 3 > end)
				return false;
			len = t->cmd[off + 2];
			hdr = 3;
		}
		if (off + hdr + len > end)
			return false;
		if (tg == tag) {
			out->tag = tg;
			out->v = t->cmd + off + hdr;
			out->len = len;
			return true;
		}
		off += hdr + len;
	}
	return false;
}

int term_tr(struct term *t, const uint8_t *tlvs, size_t len)
{
	uint8_t apdu[5 + 255] = { 0x80, 0x14, 0x00, 0x00 };
	struct tlv cd;
	size_t n = 5;

	if (!find(t, 0x01, &cd) || cd.len != 3) {
		fprintf(stderr, "no command details to answer\n");
		return -1;
	}
	if (9 + len > 255)
		return -1;
	memcpy(apdu + n, (const uint8_t[]){ 0x81, 0x03 }, 2);
	memcpy(apdu + n + 2, cd.v, 3);
	memcpy(apdu + n + 5, (const uint8_t[]){ 0x82, 0x02, 0x82, 0x81 }, 4);
	n += 9;
	memcpy(apdu + n, tlvs, len);
	n += len;
	apdu[4] = (uint8_t)(n - 5);
	return term_apdu(t, apdu, n);
}

int term_envelope(struct term *t, const uint8_t *data, size_t len)
{
	uint8_t apdu[5 + 255] = { 0x80, 0xC2, 0x00, 0x00, (uint8_t)len };

	if (len > 255)
		return -1;
	memcpy(apdu + 5, data, len);
	for (int tries = 0; tries < 10; tries++) {
		if (term_apdu(t, apdu, 5 + len))
			return -1;
		if (term_sw(t) != 0x9300)
			return 0;
	}
	fprintf(stderr, "card stays busy\n");
	return -1;
}

static int status_event(struct term *t, int ch, uint8_t state_bits,
			uint8_t info)
{
	uint8_t env[] = { 0xD6, 0x0B, 0x99, 0x01, 0x0A, 0x82, 0x02, 0x82, 0x81,
			  0xB8, 0x02, (uint8_t)(state_bits | ch), info };

	return term_envelope(t, env, sizeof(env));
}

static int channel_of(const struct term *t)
{
	struct tlv dev;

	if (!find(t, 0x02, &dev) || dev.len != 2 || dev.v[1] < 0x21 ||
	    dev.v[1] > 0x20 + MAX_CH)
		return -1;
	return dev.v[1] - 0x20;
}

static int open_channel(struct term *t)
{
	struct tlv tl, bs;
	int id;

	if (!find(t, 0x3C, &tl) || tl.len != 3 || tl.v[0] != 0x03 ||
	    !find(t, 0x39, &bs) || bs.len != 2)
		return term_tr(t, (const uint8_t[]){ 0x83, 0x01, 0x32 }, 3);
	for (id = 1; id <= MAX_CH && t->ch[id].state; id++)
		;
	if (id > MAX_CH)
		return term_tr(t, (const uint8_t[]){ 0x83, 0x02, 0x3A, 0x01 }, 4);
	t->ch[id].state = 'L';
	t->ch[id].port = (uint16_t)(tl.v[1] << 8 | tl.v[2]);
	t->ch[id].closed = false;
	printf("# channel %d listening on port %u\n", id, t->ch[id].port);
	/* LISTEN, and the buffer size granted as asked. */
	return term_tr(t, (const uint8_t[]){ 0x83, 0x01, 0x00,
					     0xB8, 0x02, (uint8_t)(0x40 | id), 0x00,
					     0xB9, 0x02, bs.v[0], bs.v[1] }, 11);
}

static int receive_data(struct term *t, int ch)
{
	struct channel *c = &t->ch[ch];
	struct tlv want;
	uint8_t tr[3 + 3 + RECEIVE_MAX + 3];
	size_t n, give, left, o = 0;

	if (!find(t, 0x37, &want) || want.len != 1)
		return term_tr(t, (const uint8_t[]){ 0x83, 0x01, 0x36 }, 3);
	n = want.v[0];
	give = n < c->rx_len ? n : c->rx_len;
	if (give > RECEIVE_MAX)
		give = RECEIVE_MAX;
	tr[o++] = 0x83;
	tr[o++] = 0x01;
	tr[o++] = give < n ? 0x02 : 0x00;	/* 02: fewer than asked */
	tr[o++] = 0xB6;
	if (give >= 0x80)
		tr[o++] = 0x81;
	tr[o++] = (uint8_t)give;
	memcpy(tr + o, c->rx, give);
	o += give;
	memmove(c->rx, c->rx + give, c->rx_len - give);
	c->rx_len -= give;
	left = c->rx_len;
	tr[o++] = 0xB7;
	tr[o++] = 0x01;
	tr[o++] = (uint8_t)(left > 0xFF ? 0xFF : left);
	return term_tr(t, tr, o);
}

static int send_data(struct term *t, int ch)
{
	struct channel *c = &t->ch[ch];
	struct tlv data;
	uint8_t *p;

	if (!find(t, 0x36, &data))
		return term_tr(t, (const uint8_t[]){ 0x83, 0x01, 0x36 }, 3);
	p = realloc(c->tx, c->tx_len + data.len + 1);
	if (!p)
		return -1;
	memcpy(p + c->tx_len, data.v, data.len);
	c->tx = p;
	c->tx_len += data.len;
	c->tx[c->tx_len] = '\0';
	return term_tr(t, (const uint8_t[]){ 0x83, 0x01, 0x00, 0xB7, 0x01, 0xFF }, 6);
}

static int close_channel(struct term *t, int ch, uint8_t qualifier)
{
	struct channel *c = &t->ch[ch];

	c->closed = true;
	c->rx_len = 0;
	if (qualifier & 0x01) {
		c->state = 'L';
		c->listen_event = true;
	} else {
		c->state = 0;
	}
	return term_tr(t, (const uint8_t[]){ 0x83, 0x01, 0x00 }, 3);
}

static int channel_status(struct term *t)
{
	uint8_t tr[3 + 4 * MAX_CH] = { 0x83, 0x01, 0x00 };
	size_t o = 3;

	for (int i = 1; i <= MAX_CH; i++) {
		if (!t->ch[i].state)
			continue;
		tr[o++] = 0xB8;
		tr[o++] = 0x02;
		tr[o++] = (uint8_t)((t->ch[i].state == 'E' ? 0x80 : 0x40) | i);
		tr[o++] = 0x00;
	}
	return term_tr(t, tr, o);
}

int term_answer(struct term *t)
{
	struct tlv cd;
	int ch;

	if (!find(t, 0x01, &cd) || cd.len != 3)
		return -1;
	switch (cd.v[1]) {
	case OPEN_CHANNEL:
		return open_channel(t);
	case CLOSE_CHANNEL:
	case RECEIVE_DATA:
	case SEND_DATA:
		ch = channel_of(t);
		if (ch < 0 || !t->ch[ch].state)
			return term_tr(t, (const uint8_t[]){ 0x83, 0x02, 0x3A, 0x03 }, 4);
		if (cd.v[1] == CLOSE_CHANNEL)
			return close_channel(t, ch, cd.v[2]);
		return cd.v[1] == RECEIVE_DATA ? receive_data(t, ch)
					       : send_data(t, ch);
	case GET_CHANNEL_STATUS:
		return channel_status(t);
	default:	/* SET UP EVENT LIST and anything else: done */
		return term_tr(t, (const uint8_t[]){ 0x83, 0x01, 0x00 }, 3);
	}
}

int term_proactive(struct term *t)
{
	for (int round = 0; round < ROUNDS_MAX; round++) {
		bool owed = false;

		if ((term_sw(t) >> 8) == 0x91) {
			if (term_fetch(t) || term_answer(t))
				return -1;
			continue;
		}
		/* Session over: listening resumes with a status event. */
		for (int i = 1; i <= MAX_CH && !owed; i++) {
			if (t->ch[i].listen_event) {
				t->ch[i].listen_event = false;
				owed = true;
				if (status_event(t, i, 0x40, 0x00))
					return -1;
			}
		}
		if (!owed)
			return 0;
	}
	fprintf(stderr, "the card never stops sending commands\n");
	return -1;
}

int term_connect(struct term *t, int ch)
{
	if (ch < 1 || ch > MAX_CH || t->ch[ch].state != 'L') {
		fprintf(stderr, "channel %d is not listening\n", ch);
		return -1;
	}
	t->ch[ch].state = 'E';
	t->ch[ch].closed = false;
	if (status_event(t, ch, 0x80, 0x00))
		return -1;
	return term_proactive(t);
}

int term_send(struct term *t, int ch, const uint8_t *data, size_t len)
{
	struct channel *c;
	uint8_t env[16];
	uint8_t *p;
	bool was_empty;

	if (ch < 1 || ch > MAX_CH || t->ch[ch].state != 'E') {
		fprintf(stderr, "channel %d is not connected\n", ch);
		return -1;
	}
	c = &t->ch[ch];
	was_empty = c->rx_len == 0;
	p = realloc(c->rx, c->rx_len + len);
	if (!p)
		return -1;
	memcpy(p + c->rx_len, data, len);
	c->rx = p;
	c->rx_len += len;
	if (was_empty) {	/* Data available: only on empty -> non-empty */
		memcpy(env, (const uint8_t[]){ 0xD6, 0x0E, 0x99, 0x01, 0x09, 0x82,
					       0x02, 0x82, 0x81, 0xB8, 0x02,
					       (uint8_t)(0x80 | ch), 0x00, 0xB7,
					       0x01 }, 15);
		env[15] = (uint8_t)(c->rx_len > 0xFF ? 0xFF : c->rx_len);
		if (term_envelope(t, env, 16))
			return -1;
	}
	return term_proactive(t);
}

int term_hangup(struct term *t, int ch)
{
	if (ch < 1 || ch > MAX_CH || t->ch[ch].state != 'E')
		return -1;
	t->ch[ch].state = 'L';
	t->ch[ch].rx_len = 0;
	if (status_event(t, ch, 0x40, 0x00))
		return -1;
	return term_proactive(t);
}

const uint8_t *term_received(const struct term *t, int ch, size_t *len,
			     bool *closed)
{
	if (ch < 1 || ch > MAX_CH) {
		*len = 0;
		*closed = false;
		return NULL;
	}
	*len = t->ch[ch].tx_len;
	*closed = t->ch[ch].closed;
	return t->ch[ch].tx;
}

void term_clear(struct term *t, int ch)
{
	if (ch < 1 || ch > MAX_CH)
		return;
	t->ch[ch].tx_len = 0;
	t->ch[ch].closed = false;
}

int term_channel_state(const struct term *t, int ch, uint16_t *port)
{
	if (ch < 1 || ch > MAX_CH)
		return 0;
	*port = t->ch[ch].port;
	return t->ch[ch].state;
}
