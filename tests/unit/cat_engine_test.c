// SPDX-License-Identifier: GPL-2.0
// sources: tools/lib/cat-tlv.c card-sim/cat/cat.c card-sim/cat/bip.c card-sim/cat/bip-slot.c card-sim/cat/bip-reply.c card-sim/cat/cat-stream.c card-sim/cat/dm_sc.c card-sim/tls/tls.c
// libs: -lmbedtls -lmbedx509 -lmbedcrypto
/*
 * The card's proactive engine against scripted terminals: byte-exact
 * commands for the spec-digest examples, the BIP data path with chunking
 * and Tx buffer accounting, link drops, failure results, malformed
 * responses and envelopes, a TCP client channel, and a real mbed TLS client
 * doing a full handshake through an HTTPS channel.
 *
 * The web server and the card state are stubs defined here (the real ones
 * are other parts of the card): the web server answers any request with a
 * fixed response and closes; the state is a small in-memory table.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "card.h"
#include "cat-tlv.h"
#include "cat/cat.h"
#include "dm/dm_sc.h"
#include "tls/tls.h"

/* ---- stub web server ---- */

struct scws_site {
	size_t body_len;
};

struct scws_http {
	struct scws_site *site;
	uint8_t in[8192];
	size_t in_len;
	uint8_t *out;
	size_t out_len, out_off;
	bool responded, ended;
};

/* Size of the stub's response for a body of n bytes. */
static size_t resp_len(size_t n)
{
	return (size_t)snprintf(NULL, 0, "HTTP/1.1 200 OK\r\nContent-Length: "
				"%zu\r\nConnection: close\r\n\r\n", n) + n;
}

static int http_live;			/* objects not yet freed */
static struct scws_http *http_last;	/* the newest one */

static void http_respond(struct scws_http *h)
{
	char head[128];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			 h->site->body_len);

	h->out = malloc((size_t)n + h->site->body_len);
	assert_non_null(h->out);
	memcpy(h->out, head, (size_t)n);
	for (size_t i = 0; i < h->site->body_len; i++)
		h->out[n + i] = (uint8_t)('a' + i % 26);
	h->out_len = (size_t)n + h->site->body_len;
	h->responded = true;
}

struct scws_http *scws_http_new(struct scws_site *site)
{
	struct scws_http *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	h->site = site;
	http_live++;
	http_last = h;
	return h;
}

void scws_http_free(struct scws_http *h)
{
	if (!h)
		return;
	if (http_last == h)
		http_last = NULL;
	http_live--;
	free(h->out);
	free(h);
}

int scws_http_input(struct scws_http *h, const uint8_t *data, size_t len)
{
	assert_true(len <= sizeof(h->in) - h->in_len);
	memcpy(h->in + h->in_len, data, len);
	h->in_len += len;
	if (!h->responded && memmem(h->in, h->in_len, "\r\n\r\n", 4))
		http_respond(h);
	return 0;
}

void scws_http_input_end(struct scws_http *h)
{
	h->ended = true;
}

size_t scws_http_pending(const struct scws_http *h, const uint8_t **data)
{
	*data = h->out ? h->out + h->out_off : NULL;
	return h->out_len - h->out_off;
}

void scws_http_consume(struct scws_http *h, size_t n)
{
	assert_true(n <= h->out_len - h->out_off);
	h->out_off += n;
}

bool scws_http_done(const struct scws_http *h)
{
	return h->responded && h->out_off == h->out_len;
}

/* ---- stub card state ---- */

struct card_state {
	struct {
		char key[32];
		uint8_t *val;
		size_t len;
	} e[8];
	int n, saves;
};

int card_state_get(const struct card_state *st, const char *key,
		   const uint8_t **val, size_t *len)
{
	for (int i = 0; i < st->n; i++)
		if (!strcmp(st->e[i].key, key)) {
			*val = st->e[i].val;
			*len = st->e[i].len;
			return 0;
		}
	return -2;	/* -ENOENT */
}

int card_state_set(struct card_state *st, const char *key, const void *val,
		   size_t len)
{
	int i;

	for (i = 0; i < st->n && strcmp(st->e[i].key, key); i++)
		;
	if (i == st->n) {
		assert_true(st->n < 8);
		snprintf(st->e[st->n++].key, sizeof(st->e[0].key), "%s", key);
	}
	free(st->e[i].val);
	st->e[i].val = malloc(len);
	memcpy(st->e[i].val, val, len);
	st->e[i].len = len;
	return 0;
}

int card_state_save(struct card_state *st)
{
	st->saves++;
	return 0;
}

static void state_clear(struct card_state *st)
{
	for (int i = 0; i < st->n; i++)
		free(st->e[i].val);
	memset(st, 0, sizeof(*st));
}

/* ---- a scripted terminal ---- */

#define TERM_BUF 65536

struct term_chan {
	bool open, server, established;
	uint16_t port;
	uint8_t rx[TERM_BUF];	/* client -> card, not yet received */
	size_t rx_len;
	uint8_t tx[TERM_BUF];	/* stored by SEND DATA, not flushed */
	size_t tx_len;
	uint8_t out[TERM_BUF];	/* flushed to the client */
	size_t out_len, out_off;
	bool event_due;
	unsigned int closes, stores, flushes;
	size_t biggest_send;
};

struct term {
	struct cat *c;
	uint16_t grant;		/* buffer size it grants */
	uint8_t next_id;
	struct term_chan ch[8];
	uint8_t cmd[256];	/* the last command fetched */
	size_t cmd_len;
	struct cat_cmd_details det;
	uint8_t open_result;	/* answer OPEN CHANNEL with this */
	bool peer_blocked;	/* "send immediately" cannot empty the Tx buffer */
};

/* A profile with everything SCWS needs: events, BIP, 7 channels, TCP
 * server and client. */
static const uint8_t tp_full[] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x0C, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x1F, 0xE0, 0x00, 0x00, 0x00, 0x05, 0x00,
};

static struct scws_site site = { .body_len = 100 };

static struct term *term_new(const struct cat_config *cfg)
{
	struct term *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->c = cat_new(cfg);
	assert_non_null(t->c);
	t->grant = cfg->buffer_size;
	t->next_id = 1;
	return t;
}

static void term_free(struct term *t)
{
	cat_free(t->c);
	free(t);
	assert_int_equal(http_live, 0);
}

static void config(struct cat_config *cfg, unsigned int http,
		   unsigned int https)
{
	cat_config_init(cfg);
	cfg->http_channels = http;
	cfg->https_channels = https;
	cfg->site = &site;
}

/* Fetches the pending command into t->cmd and parses it. */
static void term_fetch(struct term *t, struct cat_msg *m)
{
	size_t n = cat_pending(t->c);

	assert_true(n > 0 && n <= 255);
	t->cmd_len = cat_fetch(t->c, t->cmd, sizeof(t->cmd));
	assert_int_equal(t->cmd_len, n);
	assert_int_equal(cat_pending(t->c), 0);
	assert_int_equal(cat_msg_parse(m, t->cmd, t->cmd_len), 0);
	assert_int_equal(m->ber_tag, CAT_BER_PROACTIVE);
	assert_int_equal(cat_get_cmd_details(&m->tlv[0], &t->det), 0);
}

/* TERMINAL RESPONSE to t->det: details, devices, result, then extra. */
static uint16_t term_respond(struct term *t, uint8_t result,
			     const uint8_t *extra, size_t extra_len)
{
	uint8_t tr[512];
	struct cat_writer w;

	cat_writer_init(&w, tr, sizeof(tr));
	cat_put_cmd_details(&w, &t->det);
	cat_put_devices(&w, CAT_DEV_TERMINAL, CAT_DEV_UICC);
	cat_put_result(&w, result, NULL, 0);
	cat_put_bytes(&w, extra, extra_len);
	assert_false(w.overflow);
	return cat_terminal_response(t->c, tr, w.len);
}

static uint16_t term_event(struct term *t, uint8_t event, uint8_t cs1,
			   uint8_t cs2, int avail)
{
	const struct cat_channel_status cs = { cs1 & 7, cs1 >> 6, cs2 };
	uint8_t env[64];
	struct cat_writer w;
	size_t mark;

	cat_writer_init(&w, env, sizeof(env));
	mark = cat_ber_open(&w, CAT_BER_EVENT);
	cat_put_event_list(&w, &event, 1);
	cat_put_devices(&w, CAT_DEV_TERMINAL, CAT_DEV_UICC);
	cat_put_channel_status(&w, &cs);
	if (avail >= 0)
		cat_put_channel_data_len(&w, (uint8_t)avail);
	cat_ber_close(&w, mark);
	return cat_envelope(t->c, env, w.len);
}

static uint8_t count_byte(size_t n)
{
	return n > 255 ? CAT_DATA_LEN_MANY : (uint8_t)n;
}

static void do_open(struct term *t, const struct cat_msg *m)
{
	const struct cat_tlv *tt = cat_msg_find(m, CAT_TAG_TRANSPORT, 0);
	struct cat_transport tr;
	uint8_t id = t->next_id, extra[8];
	struct term_chan *ch;

	assert_non_null(tt);
	assert_int_equal(cat_get_transport(tt, &tr), 0);
	if (t->open_result) {
		assert_int_equal(term_respond(t, t->open_result,
					      (const uint8_t *)"", 0),
				 CAT_SW_OK);
		return;
	}
	ch = &t->ch[t->next_id++];
	ch->open = true;
	ch->server = tr.proto == CAT_TP_TCP_SERVER;
	ch->established = !ch->server;
	ch->port = tr.port;
	extra[0] = 0xB8;
	extra[1] = 0x02;
	extra[2] = (uint8_t)((ch->server ? 0x40 : 0x80) | id);
	extra[3] = 0x00;
	extra[4] = 0xB9;
	extra[5] = 0x02;
	extra[6] = (uint8_t)(t->grant >> 8);
	extra[7] = (uint8_t)t->grant;
	assert_int_equal(term_respond(t, CAT_RES_OK, extra, sizeof(extra)),
			 CAT_SW_OK);
}

static void do_receive(struct term *t, const struct cat_msg *m, uint8_t id)
{
	struct term_chan *ch = &t->ch[id];
	uint8_t want, extra[8 + 255];
	struct cat_writer w;
	size_t n;

	assert_int_equal(cat_get_channel_data_len(
		cat_msg_find(m, CAT_TAG_CHANNEL_DATA_LEN, 0), &want), 0);
	n = want < ch->rx_len ? want : ch->rx_len;
	cat_writer_init(&w, extra, sizeof(extra));
	cat_put_channel_data(&w, ch->rx, n);
	memmove(ch->rx, ch->rx + n, ch->rx_len - n);
	ch->rx_len -= n;
	cat_put_channel_data_len(&w, count_byte(ch->rx_len));
	assert_int_equal(term_respond(t, n < want ? CAT_RES_MISSING_INFO :
				      CAT_RES_OK, extra, w.len), CAT_SW_OK);
}

static void do_send(struct term *t, const struct cat_msg *m, uint8_t id)
{
	struct term_chan *ch = &t->ch[id];
	const struct cat_tlv *d = cat_msg_find(m, CAT_TAG_CHANNEL_DATA, 0);
	uint8_t extra[3] = { 0xB7, 0x01 };

	assert_non_null(d);
	/* The card never overfills the Tx buffer it was granted. */
	assert_true(ch->tx_len + d->len <= t->grant);
	if (d->len > ch->biggest_send)
		ch->biggest_send = d->len;
	memcpy(ch->tx + ch->tx_len, d->val, d->len);
	ch->tx_len += d->len;
	if (t->det.qualifier & 1 && t->peer_blocked) {
		ch->flushes++;		/* the peer reads nothing: all stays */
	} else if (t->det.qualifier & 1) {
		memcpy(ch->out + ch->out_len, ch->tx, ch->tx_len);
		ch->out_len += ch->tx_len;
		ch->tx_len = 0;
		ch->flushes++;
	} else {
		ch->stores++;
	}
	extra[2] = count_byte(t->grant - ch->tx_len);
	assert_int_equal(term_respond(t, CAT_RES_OK, extra, sizeof(extra)),
			 CAT_SW_OK);
}

static void do_close(struct term *t, uint8_t id)
{
	struct term_chan *ch = &t->ch[id];

	ch->closes++;
	ch->established = false;
	ch->rx_len = 0;
	if (!(t->det.qualifier & 1))
		ch->open = false;
	assert_int_equal(term_respond(t, CAT_RES_OK, NULL, 0), CAT_SW_OK);
}

/* Runs one proactive command; false when none is pending. */
static bool term_step(struct term *t)
{
	struct cat_devices dev;
	struct cat_msg m;

	if (!cat_pending(t->c))
		return false;
	term_fetch(t, &m);
	assert_int_equal(cat_get_devices(&m.tlv[1], &dev), 0);
	assert_int_equal(dev.src, CAT_DEV_UICC);
	switch (t->det.type) {
	case CAT_CMD_SET_UP_EVENT_LIST:
		assert_int_equal(term_respond(t, CAT_RES_OK, NULL, 0),
				 CAT_SW_OK);
		break;
	case CAT_CMD_OPEN_CHANNEL:
		do_open(t, &m);
		break;
	case CAT_CMD_RECEIVE_DATA:
		do_receive(t, &m, dev.dst & 7);
		break;
	case CAT_CMD_SEND_DATA:
		do_send(t, &m, dev.dst & 7);
		break;
	case CAT_CMD_CLOSE_CHANNEL:
		do_close(t, dev.dst & 7);
		break;
	default:
		fail_msg("unexpected command %02X", t->det.type);
	}
	return true;
}

/* Runs commands and due events until the card is idle. */
static void term_run(struct term *t)
{
	bool busy = true;

	for (int guard = 0; busy; guard++) {
		assert_true(guard < 10000);
		busy = term_step(t);
		for (uint8_t id = 1; id <= 7; id++) {
			struct term_chan *ch = &t->ch[id];

			if (!ch->event_due)
				continue;
			ch->event_due = false;
			assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE,
						    0x80 | id, 0,
						    count_byte(ch->rx_len)),
					 CAT_SW_OK);
			busy = true;
		}
	}
}

/* A client connects to channel id and sends bytes. */
static void term_connect(struct term *t, uint8_t id)
{
	t->ch[id].established = true;
	assert_int_equal(term_event(t, CAT_EV_CHANNEL_STATUS, 0x80 | id, 0, -1),
			 CAT_SW_OK);
}

static void term_client_send(struct term *t, uint8_t id, const void *data,
			     size_t n)
{
	struct term_chan *ch = &t->ch[id];

	assert_true(n <= TERM_BUF - ch->rx_len);
	if (!ch->rx_len && n)
		ch->event_due = true;	/* empty -> non-empty, TS 102 223 */
	memcpy(ch->rx + ch->rx_len, data, n);
	ch->rx_len += n;
}

static struct term *term_started(unsigned int http)
{
	struct cat_config cfg;
	struct term *t;

	config(&cfg, http, 0);
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_run(t);
	return t;
}

static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/* ---- tests ---- */

static void test_profile_gates_bip(void **state)
{
	struct cat_config cfg;
	uint8_t tp[sizeof(tp_full)];
	struct cat *c;

	(void)state;
	config(&cfg, 2, 0);
	c = cat_new(&cfg);
	assert_non_null(c);
	assert_int_equal(cat_pending(c), 0);

	static const struct { size_t byte; uint8_t mask; } need[] = {
		{ 5, 0x01 }, { 6, 0x04 }, { 6, 0x08 }, { 12, 0x01 },
		{ 12, 0x10 }, { 13, 0xE0 }, { 17, 0x04 },
	};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		memcpy(tp, tp_full, sizeof(tp));
		tp[need[i].byte - 1] &= (uint8_t)~need[i].mask;
		cat_terminal_profile(c, tp, sizeof(tp));
		assert_int_equal(cat_pending(c), 0);
	}
	cat_terminal_profile(c, tp_full, 16);	/* too short for byte 17 */
	assert_int_equal(cat_pending(c), 0);
	cat_terminal_profile(c, tp_full, sizeof(tp_full));
	assert_int_equal(cat_pending(c), 15);
	cat_free(c);

	cfg.http_channels = 5;
	cfg.https_channels = 3;
	assert_null(cat_new(&cfg));
}

/* SET UP EVENT LIST, then OPEN CHANNEL as in spec digest 2.1. */
static void test_setup_bytes(void **state)
{
	static const uint8_t evl[] = {
		0xD0, 0x0D, 0x81, 0x03, 0x01, 0x05, 0x00, 0x82, 0x02, 0x81,
		0x82, 0x99, 0x02, 0x09, 0x0A,
	};
	/* The digest example with command number 02 (01 went to the event
	 * list). */
	static const uint8_t open[] = {
		0xD0, 0x12, 0x81, 0x03, 0x02, 0x40, 0x00, 0x82, 0x02, 0x81,
		0x82, 0xB9, 0x02, 0x05, 0xDC, 0xBC, 0x03, 0x03, 0x0D, 0xBC,
	};
	static const uint8_t open_tr[] = {
		0x81, 0x03, 0x02, 0x40, 0x00, 0x82, 0x02, 0x82, 0x81, 0x83,
		0x01, 0x00, 0xB8, 0x02, 0x41, 0x00, 0xB9, 0x02, 0x05, 0xDC,
	};
	static const uint8_t evl_tr[] = {
		0x81, 0x03, 0x01, 0x05, 0x00, 0x82, 0x02, 0x82, 0x81, 0x83,
		0x01, 0x00,
	};
	struct cat_config cfg;
	uint8_t buf[256];
	struct cat *c;

	(void)state;
	config(&cfg, 1, 0);
	cfg.buffer_size = 1500;
	c = cat_new(&cfg);
	cat_terminal_profile(c, tp_full, sizeof(tp_full));
	assert_int_equal(cat_pending(c), sizeof(evl));
	assert_int_equal(cat_fetch(c, buf, sizeof(buf)), sizeof(evl));
	assert_memory_equal(buf, evl, sizeof(evl));
	assert_int_equal(cat_terminal_response(c, evl_tr, sizeof(evl_tr)),
			 CAT_SW_OK);
	assert_int_equal(cat_pending(c), sizeof(open));
	assert_int_equal(cat_fetch(c, buf, 10), 0);	/* does not fit */
	assert_int_equal(cat_fetch(c, buf, sizeof(buf)), sizeof(open));
	assert_memory_equal(buf, open, sizeof(open));
	assert_int_equal(cat_terminal_response(c, open_tr, sizeof(open_tr)),
			 CAT_SW_OK);
	assert_int_equal(cat_pending(c), 0);
	assert_int_equal(cat_channel_state(c, 1), CAT_CS_LISTEN);
	assert_int_equal(cat_channel_state(c, 2), -1);
	cat_free(c);
}

/* 2 + 2 channels: 3516 and 4116 alternate, ids from the terminal. */
static void test_opens_both_ports(void **state)
{
	struct cat_config cfg;
	struct card_tls *tls;
	struct term *t;

	(void)state;
	tls = card_tls_new(NULL, 0);
	assert_non_null(tls);
	config(&cfg, 2, 2);
	cfg.tls = tls;
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_run(t);
	assert_int_equal(t->next_id, 5);
	assert_int_equal(t->ch[1].port, 3516);
	assert_int_equal(t->ch[2].port, 4116);
	assert_int_equal(t->ch[3].port, 3516);
	assert_int_equal(t->ch[4].port, 4116);
	for (uint8_t id = 1; id <= 4; id++)
		assert_int_equal(cat_channel_state(t->c, id), CAT_CS_LISTEN);
	term_free(t);

	/* A terminal with 3 channels gets 3; no TLS, no 4116. */
	uint8_t tp[sizeof(tp_full)];

	memcpy(tp, tp_full, sizeof(tp));
	tp[12] = 0x60;
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp, sizeof(tp));
	term_run(t);
	assert_int_equal(t->next_id, 4);
	assert_int_equal(t->ch[3].port, 3516);
	term_free(t);
	cfg.tls = NULL;
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_run(t);
	assert_int_equal(t->next_id, 3);
	assert_int_equal(t->ch[2].port, 3516);
	term_free(t);
	card_tls_free(tls);
}

/* One request, one response in one chunk, close back to LISTEN; the
 * RECEIVE / SEND / CLOSE bytes checked exactly. */
static void test_single_exchange_bytes(void **state)
{
	struct term *t = term_started(1);
	struct cat_msg m;
	uint8_t extra[80];
	struct cat_writer w;
	static const uint8_t close_cmd[] = {
		0xD0, 0x09, 0x81, 0x03, 0x05, 0x41, 0x01, 0x82, 0x02, 0x81,
		0x21,
	};

	(void)state;
	term_connect(t, 1);
	assert_int_equal(cat_channel_state(t->c, 1), CAT_CS_ESTABLISHED);
	assert_int_equal(cat_pending(t->c), 0);	/* nothing to do yet */
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x81, 0,
				    sizeof(request) - 1), CAT_SW_OK);
	term_fetch(t, &m);
	assert_memory_equal(t->cmd, "\xD0\x0C\x81\x03\x03\x42\x00\x82\x02\x81"
			    "\x21\xB7\x01\x23", 14);
	cat_writer_init(&w, extra, sizeof(extra));
	cat_put_channel_data(&w, (const uint8_t *)request,
			     sizeof(request) - 1);
	cat_put_channel_data_len(&w, 0);
	assert_int_equal(term_respond(t, CAT_RES_OK, extra, w.len),
			 CAT_SW_OK);
	assert_non_null(http_last);
	assert_int_equal(http_last->in_len, sizeof(request) - 1);

	/* 59-byte head + 100-byte body = 159: one chunk, sent at once. */
	assert_int_equal(resp_len(100), 159);
	term_fetch(t, &m);
	assert_int_equal(t->cmd_len, 3 + 5 + 4 + 3 + 159);
	assert_memory_equal(t->cmd, "\xD0\x81\xAB\x81\x03\x04\x43\x01\x82\x02"
			    "\x81\x21\xB6\x81\x9F", 15);
	assert_memory_equal(t->cmd + 15, http_last->out, 159);
	assert_int_equal(term_respond(t, CAT_RES_OK,
				      (const uint8_t *)"\xB7\x01\xFF", 3),
			 CAT_SW_OK);
	assert_int_equal(cat_pending(t->c), sizeof(close_cmd));
	term_fetch(t, &m);
	assert_memory_equal(t->cmd, close_cmd, sizeof(close_cmd));
	assert_int_equal(term_respond(t, CAT_RES_OK, NULL, 0), CAT_SW_OK);
	assert_int_equal(cat_pending(t->c), 0);
	assert_int_equal(http_live, 0);
	assert_int_equal(cat_channel_state(t->c, 1), CAT_CS_LISTEN);
	/* The terminal's LISTEN event afterwards changes nothing. */
	assert_int_equal(term_event(t, CAT_EV_CHANNEL_STATUS, 0x41, 0, -1),
			 CAT_SW_OK);
	assert_int_equal(cat_pending(t->c), 0);
	term_free(t);
}

/* Response bytes arrive intact, in chunks of at most 240, stored and then
 * flushed, never overfilling the granted Tx buffer. */
static void run_response(uint16_t grant, size_t body, unsigned int stores,
			 unsigned int flushes)
{
	struct cat_config cfg;
	struct term_chan *ch;
	struct term *t;
	size_t total;

	config(&cfg, 1, 0);
	if (grant)
		cfg.buffer_size = grant;
	site.body_len = body;
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_run(t);
	term_connect(t, 1);
	term_client_send(t, 1, request, sizeof(request) - 1);
	term_run(t);
	ch = &t->ch[1];
	total = resp_len(body);
	assert_int_equal(ch->out_len, total);
	assert_int_equal(ch->tx_len, 0);
	assert_memory_equal(ch->out + total - body, "abcdefghij", 10);
	assert_int_equal(ch->out[total - 1], 'a' + (body - 1) % 26);
	assert_true(ch->biggest_send <= 240);
	assert_int_equal(ch->stores, stores);
	assert_int_equal(ch->flushes, flushes);
	assert_int_equal(ch->closes, 1);
	term_free(t);
	site.body_len = 100;
}

static void test_long_response_chunks(void **state)
{
	(void)state;
	/* 1060 bytes, buffer 1400: 4 x 240 stored, 100 flushed. */
	run_response(1400, 1000, 4, 1);
	/* 1060 bytes, buffer 500: 240 + 240 stored, 20 fill it and flush;
	 * again; then 60 flushed. */
	run_response(500, 1000, 4, 3);
	/* 10061 bytes, buffer 1400: 7 x (5 x 240 stored + 200 flushed),
	 * 240 stored, 21 flushed. */
	run_response(1400, 10000, 36, 8);
	/* The card's own buffer size: every chunk a full 240 but the last
	 * (10061 bytes: 6 x (5 stored + 1 flushed) x 240, 5 x 240 stored,
	 * 221 flushed). */
	run_response(0, 10000, 35, 7);
}

/* Data available on a listening channel whose status says LISTEN is no
 * connection: the card reads nothing and keeps listening.  One that says
 * ESTABLISHED stands for a late Channel status event. */
static void test_data_available_on_listen(void **state)
{
	struct term *t = term_started(1);

	(void)state;
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x41, 0, 20),
			 CAT_SW_OK);
	assert_int_equal(cat_pending(t->c), 0);
	assert_int_equal(cat_channel_state(t->c, 1), CAT_CS_LISTEN);
	assert_int_equal(http_live, 0);
	/* the same with ESTABLISHED: a connection, read at once */
	term_client_send(t, 1, request, sizeof(request) - 1);
	t->ch[1].established = true;
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x81, 0,
				    sizeof(request) - 1), CAT_SW_OK);
	t->ch[1].event_due = false;
	assert_int_equal(cat_channel_state(t->c, 1), CAT_CS_ESTABLISHED);
	term_run(t);
	assert_int_equal(t->ch[1].closes, 1);
	assert_int_equal(t->ch[1].out_len, resp_len(site.body_len));
	term_free(t);
}

/* The terminal reports its Tx buffer full (a peer that does not read):
 * the card sends nothing more until the terminal's next poll, then asks
 * with an empty "send immediately" and goes on once there is room. */
static void test_tx_full_waits(void **state)
{
	struct cat_config cfg;
	struct term_chan *ch;
	struct term *t;
	struct cat_msg m;
	size_t total;

	(void)state;
	config(&cfg, 1, 0);
	cfg.buffer_size = 500;
	site.body_len = 1000;
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_run(t);
	ch = &t->ch[1];
	t->peer_blocked = true;
	term_connect(t, 1);
	term_client_send(t, 1, request, sizeof(request) - 1);
	/* 240 + 240 stored, 20 fill it and "send immediately": 0 free;
	 * do_send() fails the test on any byte beyond that. */
	term_run(t);
	assert_int_equal(ch->tx_len, 500);
	assert_int_equal(cat_pending(t->c), 0);
	/* A poll while the peer still reads nothing: one empty probe. */
	cat_poll(t->c);
	term_fetch(t, &m);
	assert_int_equal(t->det.type, CAT_CMD_SEND_DATA);
	assert_int_equal(t->det.qualifier & 1, 1);
	assert_int_equal(cat_msg_find(&m, CAT_TAG_CHANNEL_DATA, 0)->len, 0);
	do_send(t, &m, 1);
	assert_int_equal(cat_pending(t->c), 0);
	/* The peer reads: the next poll finds room and the rest flows. */
	t->peer_blocked = false;
	memcpy(ch->out, ch->tx, ch->tx_len);
	ch->out_len = ch->tx_len;
	ch->tx_len = 0;
	cat_poll(t->c);
	term_run(t);
	total = resp_len(1000);
	assert_int_equal(ch->out_len, total);
	assert_int_equal(ch->out[total - 1], 'a' + 999 % 26);
	assert_int_equal(ch->closes, 1);
	term_free(t);
	site.body_len = 100;
}

/* A request longer than 255 bytes: FF in the event, 237-byte RECEIVE
 * DATA chunks, then the rest. */
static void test_long_request(void **state)
{
	struct term *t = term_started(1);
	char req[600];
	struct cat_msg m;

	(void)state;
	memset(req, 'x', sizeof(req));
	memcpy(req + sizeof(req) - 4, "\r\n\r\n", 4);
	term_connect(t, 1);
	term_client_send(t, 1, req, sizeof(req));
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x81, 0, 0xFF),
			 CAT_SW_OK);
	t->ch[1].event_due = false;
	term_fetch(t, &m);
	assert_int_equal(t->cmd[13], 0xED);
	do_receive(t, &m, 1);		/* 363 left: FF */
	term_fetch(t, &m);
	assert_int_equal(t->cmd[13], 0xED);
	do_receive(t, &m, 1);		/* 126 left */
	term_fetch(t, &m);
	assert_int_equal(t->cmd[13], 126);
	do_receive(t, &m, 1);
	assert_int_equal(http_last->in_len, sizeof(req));
	assert_memory_equal(http_last->in, req, sizeof(req));
	term_run(t);
	assert_int_equal(t->ch[1].closes, 1);
	term_free(t);
}

static void test_extended_apdu_chunks(void **state)
{
	struct cat_config cfg;
	struct term *t;
	struct cat_msg m;

	(void)state;
	config(&cfg, 1, 0);
	cfg.extended_apdu = true;
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_run(t);
	term_connect(t, 1);
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x81, 0, 0xFF),
			 CAT_SW_OK);
	term_fetch(t, &m);
	assert_int_equal(t->cmd[13], 0xFF);
	term_free(t);
}

/* The client goes away while a RECEIVE DATA is out: its bytes must not
 * reach the next connection. */
static void test_link_dropped(void **state)
{
	struct term *t = term_started(1);
	struct cat_msg m;
	uint8_t extra[64];
	struct cat_writer w;

	(void)state;
	term_connect(t, 1);
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x81, 0, 10),
			 CAT_SW_OK);
	term_fetch(t, &m);
	assert_int_equal(term_event(t, CAT_EV_CHANNEL_STATUS, 0x41,
				    CAT_CS_INFO_LINK_DROPPED, -1), CAT_SW_OK);
	assert_int_equal(cat_channel_state(t->c, 1), CAT_CS_LISTEN);
	assert_int_equal(http_live, 0);
	cat_writer_init(&w, extra, sizeof(extra));
	cat_put_channel_data(&w, (const uint8_t *)"OLD CLIENT", 10);
	cat_put_channel_data_len(&w, 0);
	assert_int_equal(term_respond(t, CAT_RES_OK, extra, w.len),
			 CAT_SW_OK);
	assert_int_equal(cat_pending(t->c), 0);
	assert_int_equal(http_live, 0);

	/* Next client: data without an ESTABLISHED event first. */
	t->ch[1].established = true;
	term_client_send(t, 1, request, sizeof(request) - 1);
	term_run(t);
	assert_int_equal(t->ch[1].closes, 1);
	assert_int_equal(t->ch[1].out_len, resp_len(100));

	/* A drop while a SEND DATA waits unfetched takes it back. */
	term_connect(t, 1);
	term_client_send(t, 1, request, sizeof(request) - 1);
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x81, 0,
				    sizeof(request) - 1), CAT_SW_OK);
	t->ch[1].event_due = false;
	term_fetch(t, &m);
	do_receive(t, &m, 1);
	assert_true(cat_pending(t->c) > 0);	/* the SEND DATA */
	assert_int_equal(term_event(t, CAT_EV_CHANNEL_STATUS, 0x01,
				    CAT_CS_INFO_LINK_DROPPED, -1), CAT_SW_OK);
	assert_int_equal(cat_pending(t->c), 0);
	assert_int_equal(http_live, 0);
	term_free(t);
}

/* Malformed or misdirected TERMINAL RESPONSEs: error, no change, and the
 * right response still finishes the command. */
static void test_malformed_terminal_responses(void **state)
{
	struct term *t = term_started(1);
	uint8_t tr[32], again[256];
	struct cat_msg m;
	size_t n;

	(void)state;
	assert_int_equal(cat_terminal_response(t->c, NULL, 0), CAT_SW_ERROR);
	term_connect(t, 1);
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x81, 0, 5),
			 CAT_SW_OK);
	/* Not fetched yet: nothing outstanding. */
	assert_int_equal(cat_terminal_response(t->c, (const uint8_t *)
		"\x81\x03\x03\x42\x00\x82\x02\x82\x81\x83\x01\x00", 12),
		CAT_SW_ERROR);
	term_fetch(t, &m);
	memcpy(tr, "\x81\x03\x03\x42\x00\x82\x02\x82\x81\x83\x01\x00"
	       "\xB6\x05HELLO\xB7\x01\x00", 22);
	for (n = 0; n < 22; n++)	/* every truncation */
		assert_int_equal(cat_terminal_response(t->c, tr, n),
				 CAT_SW_ERROR);
	tr[2] = 0x07;			/* wrong number */
	assert_int_equal(cat_terminal_response(t->c, tr, 22), CAT_SW_ERROR);
	tr[2] = 0x03;
	tr[3] = 0x43;			/* wrong type */
	assert_int_equal(cat_terminal_response(t->c, tr, 22), CAT_SW_ERROR);
	tr[3] = 0x42;
	tr[7] = 0x81;			/* devices reversed */
	tr[8] = 0x82;
	assert_int_equal(cat_terminal_response(t->c, tr, 22), CAT_SW_ERROR);
	tr[7] = 0x82;
	tr[8] = 0x81;
	tr[21] = 0x55;			/* fine, but ... */
	tr[20] = 0x02;			/* ... 37 with 2 bytes runs past */
	assert_int_equal(cat_terminal_response(t->c, tr, 22), CAT_SW_ERROR);
	/* OK result without the channel data it owes. */
	assert_int_equal(cat_terminal_response(t->c, tr, 12), CAT_SW_ERROR);
	/* Missing result. */
	assert_int_equal(cat_terminal_response(t->c, tr, 9), CAT_SW_ERROR);
	/* 0x81 0x05: non-minimal length. */
	assert_int_equal(cat_terminal_response(t->c, (const uint8_t *)
		"\x81\x81\x03\x03\x42\x00", 6), CAT_SW_ERROR);
	assert_non_null(http_last);
	assert_int_equal(http_last->in_len, 0);	/* nothing was fed */
	/* The command is still there for a repeated FETCH... */
	assert_int_equal(cat_pending(t->c), 0);
	assert_int_equal(cat_fetched_len(t->c), t->cmd_len);
	assert_int_equal(cat_fetch(t->c, again, sizeof(again)), t->cmd_len);
	assert_memory_equal(again, t->cmd, t->cmd_len);
	/* ... and a correct response completes it. */
	tr[20] = 0x01;
	tr[21] = 0x00;
	assert_int_equal(cat_terminal_response(t->c, tr, 22), CAT_SW_OK);
	assert_non_null(http_last);
	assert_memory_equal(http_last->in, "HELLO", 5);
	assert_int_equal(cat_fetched_len(t->c), 0);
	assert_int_equal(cat_terminal_response(t->c, tr, 22), CAT_SW_ERROR);
	term_free(t);
}

static void test_envelope_errors(void **state)
{
	struct term *t = term_started(1);
	static const uint8_t two_events[] = {
		0xD6, 0x0C, 0x99, 0x02, 0x09, 0x0A, 0x82, 0x02, 0x82, 0x81,
		0xB8, 0x02, 0x81, 0x00,
	};
	static const uint8_t no_len[] = {
		0xD6, 0x0B, 0x99, 0x01, 0x09, 0x82, 0x02, 0x82, 0x81, 0xB8,
		0x02, 0x81, 0x00,
	};
	static const uint8_t sms_pp[] = {
		0xD1, 0x07, 0x82, 0x02, 0x83, 0x81, 0x8B, 0x01, 0x00,
	};
	static const uint8_t menu[] = { 0xD3, 0x00 };
	static const uint8_t bad_len[] = { 0xD6, 0x81, 0x05, 0x99, 0x01, 0x0A,
					   0x00, 0x00 };

	(void)state;
	assert_int_equal(cat_envelope(t->c, two_events, sizeof(two_events)),
			 CAT_SW_ERROR);
	assert_int_equal(cat_envelope(t->c, no_len, sizeof(no_len)),
			 CAT_SW_ERROR);
	assert_int_equal(cat_envelope(t->c, sms_pp, sizeof(sms_pp)),
			 CAT_SW_ERROR);
	assert_int_equal(cat_envelope(t->c, menu, sizeof(menu)), CAT_SW_ERROR);
	assert_int_equal(cat_envelope(t->c, bad_len, sizeof(bad_len)),
			 CAT_SW_ERROR);
	assert_int_equal(cat_envelope(t->c, bad_len, 1), CAT_SW_ERROR);
	assert_int_equal(cat_envelope(t->c, NULL, 0), CAT_SW_ERROR);
	/* Well-formed, for a channel the card never opened: ignored. */
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x86, 0, 9),
			 CAT_SW_OK);
	/* An event the card did not register: ignored. */
	assert_int_equal(term_event(t, 0x03, 0x81, 0, -1), CAT_SW_OK);
	assert_int_equal(cat_pending(t->c), 0);
	assert_int_equal(http_live, 0);
	term_free(t);
}

/* Failure results do not wedge the engine. */
static void test_failure_results(void **state)
{
	struct cat_config cfg;
	struct term *t;
	struct cat_msg m;
	int i;

	(void)state;
	/* The terminal refuses the first OPEN CHANNEL: the second goes on. */
	config(&cfg, 2, 0);
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_fetch(t, &m);
	assert_int_equal(term_respond(t, CAT_RES_OK, NULL, 0), CAT_SW_OK);
	term_fetch(t, &m);
	assert_int_equal(t->det.type, CAT_CMD_OPEN_CHANNEL);
	assert_int_equal(term_respond(t, CAT_RES_BIP_ERROR,
				      (const uint8_t *)"", 0), CAT_SW_OK);
	term_run(t);
	assert_int_equal(t->next_id, 2);
	assert_int_equal(cat_channel_state(t->c, 1), CAT_CS_LISTEN);

	/* SEND DATA failing again and again ends in CLOSE CHANNEL. */
	term_connect(t, 1);
	term_client_send(t, 1, request, sizeof(request) - 1);
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x81, 0,
				    sizeof(request) - 1), CAT_SW_OK);
	t->ch[1].event_due = false;
	term_fetch(t, &m);
	do_receive(t, &m, 1);
	for (i = 0; i < 3; i++) {
		term_fetch(t, &m);
		assert_int_equal(t->det.type, CAT_CMD_SEND_DATA);
		assert_int_equal(term_respond(t, CAT_RES_BIP_ERROR,
					      NULL, 0), CAT_SW_OK);
	}
	term_fetch(t, &m);
	assert_int_equal(t->det.type, CAT_CMD_CLOSE_CHANNEL);
	assert_int_equal(t->det.qualifier, 1);
	assert_int_equal(term_respond(t, CAT_RES_BIP_ERROR,
				      (const uint8_t *)"", 0), CAT_SW_OK);
	assert_int_equal(cat_channel_state(t->c, 1), CAT_CS_LISTEN);
	assert_int_equal(http_live, 0);

	/* RECEIVE DATA answered "channel closed": connection over. */
	term_connect(t, 1);
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x81, 0, 3),
			 CAT_SW_OK);
	term_fetch(t, &m);
	assert_int_equal(t->det.type, CAT_CMD_RECEIVE_DATA);
	{
		const uint8_t res[] = { 0x83, 0x02, 0x3A, 0x02 };
		uint8_t tr[32];

		memcpy(tr, "\x81\x03", 2);
		tr[2] = t->det.number;
		memcpy(tr + 3, "\x42\x00\x82\x02\x82\x81", 6);
		memcpy(tr + 9, res, sizeof(res));
		assert_int_equal(cat_terminal_response(t->c, tr, 13),
				 CAT_SW_OK);
	}
	assert_int_equal(cat_channel_state(t->c, 1), CAT_CS_LISTEN);
	assert_int_equal(cat_pending(t->c), 0);
	term_free(t);

	/* SET UP EVENT LIST refused: no channels, events ignored. */
	config(&cfg, 1, 0);
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_fetch(t, &m);
	assert_int_equal(term_respond(t, CAT_RES_BEYOND_CAPABILITY, NULL, 0),
			 CAT_SW_OK);
	assert_int_equal(cat_pending(t->c), 0);
	assert_int_equal(term_event(t, CAT_EV_CHANNEL_STATUS, 0x81, 0, -1),
			 CAT_SW_OK);
	assert_int_equal(cat_pending(t->c), 0);
	/* A new profile starts over. */
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_run(t);
	assert_int_equal(cat_channel_state(t->c, 1), CAT_CS_LISTEN);
	term_free(t);
}

/* Two connections at once: their commands take turns. */
static void test_round_robin(void **state)
{
	struct term *t = term_started(2);
	uint8_t order[8];
	struct cat_devices dev;
	struct cat_msg m;

	(void)state;
	term_connect(t, 1);
	term_connect(t, 2);
	term_client_send(t, 1, request, sizeof(request) - 1);
	term_client_send(t, 2, request, sizeof(request) - 1);
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x81, 0,
				    sizeof(request) - 1), CAT_SW_OK);
	assert_int_equal(term_event(t, CAT_EV_DATA_AVAILABLE, 0x82, 0,
				    sizeof(request) - 1), CAT_SW_OK);
	t->ch[1].event_due = t->ch[2].event_due = false;
	for (int i = 0; i < 6; i++) {
		term_fetch(t, &m);
		assert_int_equal(cat_get_devices(&m.tlv[1], &dev), 0);
		order[i] = (uint8_t)(t->det.type << 4 | (dev.dst & 7));
		if (t->det.type == CAT_CMD_RECEIVE_DATA)
			do_receive(t, &m, dev.dst & 7);
		else if (t->det.type == CAT_CMD_SEND_DATA)
			do_send(t, &m, dev.dst & 7);
		else
			do_close(t, dev.dst & 7);
	}
	/* 42/1 42/2 43/1 43/2 41/1 41/2, as (type << 4 | channel). */
	assert_memory_equal(order, "\x21\x22\x31\x32\x11\x12", 6);
	assert_int_equal(cat_pending(t->c), 0);
	term_free(t);
}

/* ---- TCP client channel ---- */

struct client {
	char in[64];
	size_t in_len;
	const char *out;
	size_t out_off;
	bool up, down, ended, freed;
	uint8_t cause;
};

static int cl_input(void *s, const uint8_t *d, size_t n)
{
	struct client *cl = s;

	assert_true(n <= sizeof(cl->in) - cl->in_len);
	memcpy(cl->in + cl->in_len, d, n);
	cl->in_len += n;
	return 0;
}

static void cl_input_end(void *s)
{
	((struct client *)s)->ended = true;
}

static size_t cl_pending(void *s, const uint8_t **d)
{
	struct client *cl = s;

	*d = (const uint8_t *)cl->out + cl->out_off;
	return cl->up ? strlen(cl->out) - cl->out_off : 0;
}

static void cl_consume(void *s, size_t n)
{
	((struct client *)s)->out_off += n;
}

static bool cl_done(void *s)
{
	struct client *cl = s;

	return memmem(cl->in, cl->in_len, "BYE", 3) != NULL;
}

static void cl_link(void *s, bool up, uint8_t cause)
{
	struct client *cl = s;

	if (up)
		cl->up = true;
	else
		cl->down = true;
	cl->cause = cause;
}

static void cl_free(void *s)
{
	((struct client *)s)->freed = true;
}

static const struct cat_stream_ops client_ops = {
	.input = cl_input, .input_end = cl_input_end, .pending = cl_pending,
	.consume = cl_consume, .done = cl_done, .link = cl_link,
	.free = cl_free,
};

static void test_client_channel(void **state)
{
	static const uint8_t open[] = {
		0xD0, 0x1C, 0x81, 0x03, 0x04, 0x40, 0x01, 0x82, 0x02, 0x81,
		0x82, 0xB5, 0x01, 0x03, 0xB9, 0x02, 0x05, 0xA0, 0xBC, 0x03,
		0x02, 0x01, 0xBB, 0xBE, 0x05, 0x21, 0x0A, 0x00, 0x00, 0x01,
	};
	struct cat_client_params p = {
		.addr_type = CAT_ADDR_IPV4, .addr = { 10, 0, 0, 1 },
		.port = 443,
	};
	struct client cl = { .out = "HELLO" }, cl2 = { .out = "" };
	struct term *t = term_started(2);
	struct cat_msg m;

	(void)state;
	assert_int_equal(cat_open_client(t->c, &p, &client_ops, &cl), 0);
	term_fetch(t, &m);
	assert_int_equal(t->cmd_len, sizeof(open));
	assert_memory_equal(t->cmd, open, sizeof(open));
	do_open(t, &m);
	assert_true(cl.up);
	assert_int_equal(cat_channel_state(t->c, 3), CAT_CS_ESTABLISHED);
	term_run(t);			/* HELLO goes out at once */
	assert_int_equal(t->ch[3].out_len, 5);
	assert_memory_equal(t->ch[3].out, "HELLO", 5);
	assert_int_equal(t->ch[3].flushes, 1);
	term_client_send(t, 3, "OK BYE", 6);
	term_run(t);
	assert_int_equal(cl.in_len, 6);
	assert_int_equal(t->ch[3].closes, 1);
	assert_false(t->ch[3].open);	/* qualifier 00: released */
	assert_true(cl.down);
	assert_true(cl.freed);
	assert_int_equal(cat_channel_state(t->c, 3), -1);

	/* Link dropped: the stream hears the end, the card releases. */
	assert_int_equal(cat_open_client(t->c, &p, &client_ops, &cl2), 0);
	term_run(t);
	assert_true(cl2.up);
	assert_int_equal(term_event(t, CAT_EV_CHANNEL_STATUS, 0x04,
				    CAT_CS_INFO_LINK_DROPPED, -1), CAT_SW_OK);
	assert_true(cl2.ended);
	term_fetch(t, &m);
	assert_int_equal(t->det.type, CAT_CMD_CLOSE_CHANNEL);
	assert_int_equal(t->det.qualifier, 0);
	do_close(t, 4);
	assert_true(cl2.freed);

	/* Refused by the terminal: the owner hears the cause. */
	memset(&cl2, 0, sizeof(cl2));
	cl2.out = "";
	t->open_result = CAT_RES_BIP_ERROR;
	assert_int_equal(cat_open_client(t->c, &p, &client_ops, &cl2), 0);
	term_run(t);
	assert_true(cl2.down && cl2.freed && !cl2.up);
	term_free(t);

	/* No TCP client mode in the profile; no free channel. */
	uint8_t tp[sizeof(tp_full)];
	struct cat_config cfg;

	memcpy(tp, tp_full, sizeof(tp));
	tp[16] = 0x04;
	config(&cfg, 2, 0);
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp, sizeof(tp));
	assert_int_equal(cat_open_client(t->c, &p, &client_ops, &cl),
			 -ENOTSUP);
	tp[16] = 0x05;
	tp[12] = 0x40;			/* 2 channels, both for the SCWS */
	cat_terminal_profile(t->c, tp, sizeof(tp));
	assert_int_equal(cat_open_client(t->c, &p, &client_ops, &cl), -EBUSY);
	p.addr_type = 0x99;
	tp[12] = 0xE0;
	cat_terminal_profile(t->c, tp, sizeof(tp));
	assert_int_equal(cat_open_client(t->c, &p, &client_ops, &cl), -EINVAL);
	term_free(t);
}

/* ---- TLS ---- */

struct tls_client {
	struct term *t;
	uint8_t id;
};

static int cli_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct tls_client *tc = ctx;

	term_client_send(tc->t, tc->id, buf, len);
	return (int)len;
}

static int cli_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct tls_client *tc = ctx;
	struct term_chan *ch = &tc->t->ch[tc->id];
	size_t n = ch->out_len - ch->out_off;

	if (!n)
		return MBEDTLS_ERR_SSL_WANT_READ;
	if (n > len)
		n = len;
	memcpy(buf, ch->out + ch->out_off, n);
	ch->out_off += n;
	return (int)n;
}

struct tls_peer {
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_x509_crt ca;
	mbedtls_ssl_config conf;
	mbedtls_ssl_context ssl;
	struct tls_client bio;
};

static void peer_init(struct tls_peer *p, struct card_tls *tls,
		      struct term *t, uint8_t id, const int *suites)
{
	const uint8_t *der;
	size_t len;

	mbedtls_entropy_init(&p->entropy);
	mbedtls_ctr_drbg_init(&p->drbg);
	mbedtls_x509_crt_init(&p->ca);
	mbedtls_ssl_config_init(&p->conf);
	mbedtls_ssl_init(&p->ssl);
	assert_int_equal(mbedtls_ctr_drbg_seed(&p->drbg, mbedtls_entropy_func,
					       &p->entropy, NULL, 0), 0);
	card_tls_cert(tls, &der, &len);
	assert_int_equal(mbedtls_x509_crt_parse_der(&p->ca, der, len), 0);
	assert_int_equal(mbedtls_ssl_config_defaults(&p->conf,
		MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
		MBEDTLS_SSL_PRESET_DEFAULT), 0);
	mbedtls_ssl_conf_authmode(&p->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
	mbedtls_ssl_conf_ca_chain(&p->conf, &p->ca, NULL);
	mbedtls_ssl_conf_rng(&p->conf, mbedtls_ctr_drbg_random, &p->drbg);
	if (suites)
		mbedtls_ssl_conf_ciphersuites(&p->conf, suites);
	assert_int_equal(mbedtls_ssl_setup(&p->ssl, &p->conf), 0);
	assert_int_equal(mbedtls_ssl_set_hostname(&p->ssl, "localhost"), 0);
	p->bio.t = t;
	p->bio.id = id;
	mbedtls_ssl_set_bio(&p->ssl, &p->bio, cli_send, cli_recv, NULL);
}

static void peer_free(struct tls_peer *p)
{
	mbedtls_ssl_free(&p->ssl);
	mbedtls_ssl_config_free(&p->conf);
	mbedtls_x509_crt_free(&p->ca);
	mbedtls_ctr_drbg_free(&p->drbg);
	mbedtls_entropy_free(&p->entropy);
}

static struct term *tls_term(struct card_tls *tls)
{
	struct cat_config cfg;
	struct term *t;

	config(&cfg, 0, 1);
	cfg.tls = tls;
	t = term_new(&cfg);
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_run(t);
	assert_int_equal(t->ch[1].port, 4116);
	term_connect(t, 1);
	return t;
}

/* A real mbed TLS client: full handshake through channel 1 on 4116, a
 * request, the web server's response, close_notify, CLOSE CHANNEL. */
static void test_tls_through_channel(void **state)
{
	struct card_state st = { 0 };
	struct card_tls *tls;
	struct tls_peer p;
	struct term *t;
	uint8_t resp[4096];
	size_t got = 0;
	bool handshaken = false, sent = false, closed = false;
	int ret;

	(void)state;
	tls = card_tls_new(&st, 0);
	assert_non_null(tls);
	t = tls_term(tls);
	peer_init(&p, tls, t, 1, NULL);
	for (int i = 0; i < 1000 && !closed; i++) {
		if (!handshaken) {
			ret = mbedtls_ssl_handshake(&p.ssl);
			assert_true(ret == 0 ||
				    ret == MBEDTLS_ERR_SSL_WANT_READ);
			handshaken = ret == 0;
		} else if (!sent) {
			ret = mbedtls_ssl_write(&p.ssl,
						(const uint8_t *)request,
						sizeof(request) - 1);
			assert_int_equal(ret, sizeof(request) - 1);
			sent = true;
		} else {
			ret = mbedtls_ssl_read(&p.ssl, resp + got,
					       sizeof(resp) - got);
			if (ret > 0)
				got += (size_t)ret;
			else if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
				closed = true;
			else
				assert_int_equal(ret,
						 MBEDTLS_ERR_SSL_WANT_READ);
		}
		term_run(t);
	}
	assert_true(closed);
	assert_string_equal(mbedtls_ssl_get_version(&p.ssl), "TLSv1.2");
	assert_string_equal(mbedtls_ssl_get_ciphersuite(&p.ssl),
			    "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256");
	assert_int_equal(got, resp_len(100));
	assert_memory_equal(resp, "HTTP/1.1 200 OK\r\n", 17);
	assert_memory_equal(resp + 59, "abcdefghij", 10);
	assert_int_equal(t->ch[1].closes, 1);
	assert_int_equal(cat_channel_state(t->c, 1), CAT_CS_LISTEN);
	/* Every SEND DATA fit a short APDU. */
	assert_true(t->ch[1].biggest_send <= 240);
	peer_free(&p);
	term_free(t);
	card_tls_free(tls);
	state_clear(&st);
}

/* A client offering only CBC suites: the card refuses, sends its alert,
 * and closes the connection. */
static void test_tls_weak_client_refused(void **state)
{
	static const int cbc_only[] = {
		MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, 0,
	};
	struct card_tls *tls = card_tls_new(NULL, 0);
	struct tls_peer p;
	struct term *t;
	int ret = MBEDTLS_ERR_SSL_WANT_READ;

	(void)state;
	t = tls_term(tls);
	peer_init(&p, tls, t, 1, cbc_only);
	for (int i = 0; i < 100 && ret == MBEDTLS_ERR_SSL_WANT_READ; i++) {
		ret = mbedtls_ssl_handshake(&p.ssl);
		term_run(t);
	}
	assert_int_equal(ret, MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
	assert_int_equal(t->ch[1].closes, 1);
	assert_int_equal(http_live, 0);
	peer_free(&p);
	term_free(t);
	card_tls_free(tls);
}

/* The identity is made once, kept in the state, and reused. */
static void test_tls_identity_kept(void **state)
{
	struct card_state st = { 0 };
	const uint8_t *a, *b, *v;
	struct card_tls *t1, *t2, *t3;
	size_t alen, blen, vlen;

	(void)state;
	t1 = card_tls_new(&st, 0);
	assert_non_null(t1);
	assert_int_equal(card_state_get(&st, "tls/key", &v, &vlen), 0);
	assert_true(vlen > 64);
	assert_int_equal(card_state_get(&st, "tls/cert", &v, &vlen), 0);
	assert_int_equal(st.saves, 1);
	t2 = card_tls_new(&st, 0);
	assert_non_null(t2);
	assert_int_equal(st.saves, 1);	/* loaded, not remade */
	card_tls_cert(t1, &a, &alen);
	card_tls_cert(t2, &b, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	/* A damaged certificate is replaced. */
	card_state_set(&st, "tls/cert", "junk", 4);
	t3 = card_tls_new(&st, 0);
	assert_non_null(t3);
	assert_int_equal(st.saves, 2);
	card_tls_cert(t3, &b, &blen);
	assert_false(alen == blen && !memcmp(a, b, alen));
	card_tls_free(t1);
	card_tls_free(t2);
	card_tls_free(t3);
	state_clear(&st);
}

/* ---- the DM Smart Card transport (cat/dm_sc.c) ---- */

static int dm_present = -1, dm_result = -1;

static void dm_changed(void *ctx, bool present)
{
	(void)ctx;
	dm_present = present;
}

static void dm_done(void *ctx, int bip_error)
{
	(void)ctx;
	dm_result = bip_error;
}

static uint16_t local_event(struct term *t, const char *name)
{
	static const uint8_t ev = CAT_EV_LOCAL_CONNECTION;
	uint8_t env[64];
	struct cat_writer w;
	size_t mark;

	cat_writer_init(&w, env, sizeof(env));
	mark = cat_ber_open(&w, CAT_BER_EVENT);
	cat_put_event_list(&w, &ev, 1);
	cat_put_devices(&w, CAT_DEV_TERMINAL, CAT_DEV_UICC);
	cat_put_service_record(&w, CAT_LOCAL_BEARER_ANY, 0,
			       (const uint8_t *)name, strlen(name));
	cat_ber_close(&w, mark);
	return cat_envelope(t->c, env, w.len);
}

/*
 * A terminal offering the Local connection event and UDP local: the event
 * list asks for 0D; the terminal's events set the DM client present and
 * absent; package #0 leaves as OPEN CHANNEL (byte-exact), SEND DATA with
 * one "send immediately" at the end, CLOSE CHANNEL; a refusal's BIP cause
 * reaches notify_done.
 */
static void test_dm_sc_transport(void **state)
{
	static const struct dm_sc_ops ops = { dm_changed, dm_done };
	static const uint8_t open_tail[] = {
		0x40, 0x01, 0x82, 0x02, 0x81, 0x82, 0xB9, 0x02, 0x04, 0x00,
		0xBC, 0x03, 0x04, 0x0B, 0x84, 0xBE, 0x05, 0x21, 0x7F, 0x00,
		0x00, 0x01,
	};
	uint8_t tp[sizeof(tp_full)], pkg[300], tr[32];
	const struct cat_tlv *ev;
	struct cat_config cfg;
	struct cat_writer w;
	struct cat_msg m;
	struct term *t;
	uint8_t id;

	(void)state;
	for (size_t i = 0; i < sizeof(pkg); i++)
		pkg[i] = (uint8_t)i;
	memcpy(tp, tp_full, sizeof(tp));
	tp[5] |= 0x40;		/* event: Local connection */
	tp[16] |= 0x10;		/* UDP, UICC client, local */
	config(&cfg, 1, 0);
	t = term_new(&cfg);
	dm_sc_set_ops(&ops, NULL);
	cat_terminal_profile(t->c, tp, sizeof(tp));
	term_fetch(t, &m);
	assert_int_equal(t->det.type, CAT_CMD_SET_UP_EVENT_LIST);
	ev = cat_msg_find(&m, CAT_TAG_EVENT_LIST, 0);
	assert_int_equal(ev->len, 3);
	assert_memory_equal(ev->val, "\x09\x0A\x0D", 3);
	assert_int_equal(term_respond(t, CAT_RES_OK, NULL, 0), CAT_SW_OK);
	term_run(t);
	assert_false(dm_sc_client_present());
	assert_int_equal(local_event(t, "scws-dmc"), CAT_SW_OK);
	assert_int_equal(dm_present, 1);
	assert_true(dm_sc_client_present());

	/* sent whole */
	assert_int_equal(dm_sc_notify(pkg, 0), -EINVAL);
	assert_int_equal(dm_sc_notify(pkg, 1025), -EINVAL);
	assert_int_equal(dm_sc_notify(pkg, sizeof(pkg)), 0);
	assert_int_equal(dm_sc_notify(pkg, sizeof(pkg)), -EBUSY);
	assert_true(cat_pending(t->c) > 0);
	t->cmd_len = cat_fetch(t->c, t->cmd, sizeof(t->cmd));
	assert_int_equal(t->cmd_len, 2 + 3 + sizeof(open_tail));
	assert_memory_equal(t->cmd, "\xD0\x19\x81\x03", 4);
	assert_memory_equal(t->cmd + 5, open_tail, sizeof(open_tail));
	assert_int_equal(cat_msg_parse(&m, t->cmd, t->cmd_len), 0);
	assert_int_equal(cat_get_cmd_details(&m.tlv[0], &t->det), 0);
	id = t->next_id;
	do_open(t, &m);
	term_run(t);
	assert_int_equal(t->ch[id].out_len, sizeof(pkg));
	assert_memory_equal(t->ch[id].out, pkg, sizeof(pkg));
	assert_int_equal(t->ch[id].flushes, 1);
	assert_int_equal(t->ch[id].closes, 1);
	assert_int_equal(dm_result, 0);

	/* refused: no DM client registered (3A 12) */
	assert_int_equal(dm_sc_notify(pkg, 10), 0);
	term_fetch(t, &m);
	assert_int_equal(t->det.type, CAT_CMD_OPEN_CHANNEL);
	cat_writer_init(&w, tr, sizeof(tr));
	cat_put_cmd_details(&w, &t->det);
	cat_put_devices(&w, CAT_DEV_TERMINAL, CAT_DEV_UICC);
	cat_put_result(&w, CAT_RES_BIP_ERROR,
		       (const uint8_t *)"\x12", 1);
	assert_int_equal(cat_terminal_response(t->c, tr, w.len), CAT_SW_OK);
	assert_int_equal(dm_result, 0x12);
	assert_int_equal(cat_pending(t->c), 0);

	/* gone; a Service record too short to hold its header is refused */
	assert_int_equal(local_event(t, ""), CAT_SW_OK);
	assert_int_equal(dm_present, 0);
	assert_false(dm_sc_client_present());
	assert_int_equal(cat_envelope(t->c, (const uint8_t *)
			 "\xD6\x0A\x99\x01\x0D\x82\x02\x82\x81\xC1\x01\x00",
			 12), CAT_SW_ERROR);
	dm_sc_set_ops(NULL, NULL);
	term_free(t);
}

/* A terminal without the event: the list stays 09 0A, and a package
 * with no UDP local transport fails at once. */
static void test_dm_sc_not_offered(void **state)
{
	static const struct dm_sc_ops ops = { dm_changed, dm_done };
	const struct cat_tlv *ev;
	struct cat_config cfg;
	struct cat_msg m;
	struct term *t;

	(void)state;
	config(&cfg, 1, 0);
	t = term_new(&cfg);
	dm_sc_set_ops(&ops, NULL);
	cat_terminal_profile(t->c, tp_full, sizeof(tp_full));
	term_fetch(t, &m);
	ev = cat_msg_find(&m, CAT_TAG_EVENT_LIST, 0);
	assert_int_equal(ev->len, 2);
	assert_int_equal(term_respond(t, CAT_RES_OK, NULL, 0), CAT_SW_OK);
	term_run(t);
	dm_result = -1;
	assert_int_equal(dm_sc_notify((const uint8_t *)"x", 1), 0);
	assert_int_equal(dm_result, 0x100);
	assert_int_equal(cat_pending(t->c), 0);
	dm_sc_set_ops(NULL, NULL);
	term_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_gates_bip),
		cmocka_unit_test(test_dm_sc_transport),
		cmocka_unit_test(test_dm_sc_not_offered),
		cmocka_unit_test(test_setup_bytes),
		cmocka_unit_test(test_opens_both_ports),
		cmocka_unit_test(test_single_exchange_bytes),
		cmocka_unit_test(test_long_response_chunks),
		cmocka_unit_test(test_long_request),
		cmocka_unit_test(test_tx_full_waits),
		cmocka_unit_test(test_data_available_on_listen),
		cmocka_unit_test(test_extended_apdu_chunks),
		cmocka_unit_test(test_link_dropped),
		cmocka_unit_test(test_malformed_terminal_responses),
		cmocka_unit_test(test_envelope_errors),
		cmocka_unit_test(test_failure_results),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_client_channel),
		cmocka_unit_test(test_tls_through_channel),
		cmocka_unit_test(test_tls_weak_client_refused),
		cmocka_unit_test(test_tls_identity_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
