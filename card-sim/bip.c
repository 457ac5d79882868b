// SPDX-License-Identifier: GPL-2.0
/*
 * bip.c - the card's BIP channels: UICC server channels for the SCWS and
 * TCP client channels, the commands that drive them (OPEN CHANNEL, RECEIVE
 * DATA, SEND DATA, CLOSE CHANNEL) and what their responses and the
 * terminal's events do to them.
 *
 * Data path, as a card does it: a Data available event says how many bytes
 * the terminal holds; the card pulls them with RECEIVE DATA in the largest
 * chunks the APDU allows and feeds them to the channel's stream; whatever
 * the stream has to say goes out with SEND DATA, stored in the terminal's
 * Tx buffer ("store" qualifier) and flushed with the last chunk or when the
 * buffer is full ("send immediately").  When the stream is done the card
 * closes the connection: back to LISTEN for a server channel, channel
 * released for a client one.
 */
#include "cat-int.h"

#include <errno.h>
#include <string.h>

#define CLOSE_TO_LISTEN 0x01	/* CLOSE CHANNEL qualifier, server mode */
#define CLOSE_RELEASE 0x00
#define SEND_STORE 0x00		/* SEND DATA qualifier bit 1 */
#define SEND_NOW 0x01
#define OPEN_IMMEDIATE 0x01	/* OPEN CHANNEL qualifier bit 1 */

static const char *kind_name(enum slot_kind k)
{
	switch (k) {
	case SLOT_HTTP:
		return "http";
	case SLOT_HTTPS:
		return "https";
	case SLOT_CLIENT:
		return "client";
	case SLOT_UNUSED:
		break;
	}
	return "unused";
}

static bool is_server(const struct bip_slot *s)
{
	return s->kind == SLOT_HTTP || s->kind == SLOT_HTTPS;
}

/* A slot the terminal knows by its channel id. */
static bool is_live(const struct bip_slot *s)
{
	return s->id && (s->state == SLOT_LISTEN ||
			 s->state == SLOT_ESTABLISHED ||
			 s->state == SLOT_DROPPED);
}

static int slot_by_id(const struct cat *c, uint8_t id)
{
	for (int i = 0; i < CAT_MAX_CHANNELS; i++)
		if (c->slots[i].id == id && is_live(&c->slots[i]))
			return i;
	return -1;
}

void bip_drop_stale_cmd(struct cat *c, int slot)
{
	/* A command not yet fetched must not reach a later connection. */
	if (c->cmd.active && !c->cmd.fetched && c->cmd.slot == slot)
		c->cmd.active = false;
}

static void stream_free(struct bip_slot *s)
{
	if (s->stream)
		s->ops->free(s->stream);
	s->stream = NULL;
}

/* Client slot: tell the stream's owner, free it, forget the slot. */
static void release_client(struct cat *c, int i, uint8_t cause)
{
	struct bip_slot *s = &c->slots[i];

	if (s->stream && s->ops->link)
		s->ops->link(s->stream, false, cause);
	stream_free(s);
	bip_drop_stale_cmd(c, i);
	memset(s, 0, sizeof(*s));
}

/* Server slot: end the connection, whatever its state, and listen. */
static void conn_reset(struct cat *c, int i)
{
	struct bip_slot *s = &c->slots[i];

	stream_free(s);
	s->rx_avail = 0;
	s->tx_free = s->bufsize;
	s->closing = false;
	s->failures = 0;
	s->gen++;
	s->state = SLOT_LISTEN;
	bip_drop_stale_cmd(c, i);
}

static void conn_accept(struct cat *c, int i)
{
	conn_reset(c, i);
	c->slots[i].state = SLOT_ESTABLISHED;
	cat_log(c, 1, "channel %u (%s): connection", c->slots[i].id,
		kind_name(c->slots[i].kind));
}

static void slot_dead(struct cat *c, int i, uint8_t cause)
{
	struct bip_slot *s = &c->slots[i];

	if (s->kind == SLOT_CLIENT) {
		release_client(c, i, cause);
		return;
	}
	stream_free(s);
	s->state = SLOT_DEAD;
	s->gen++;
	bip_drop_stale_cmd(c, i);
}

/* Client slot whose link went away: the stream hears the end, then the
 * card closes the channel to release it. */
static void client_dropped(struct cat *c, int i)
{
	struct bip_slot *s = &c->slots[i];

	if (s->stream)
		s->ops->input_end(s->stream);
	s->rx_avail = 0;
	s->state = SLOT_DROPPED;
	s->gen++;
	bip_drop_stale_cmd(c, i);
}

void bip_reset(struct cat *c)
{
	for (int i = 0; i < CAT_MAX_CHANNELS; i++) {
		if (c->slots[i].kind == SLOT_CLIENT)
			release_client(c, i, 0);
		stream_free(&c->slots[i]);
		memset(&c->slots[i], 0, sizeof(c->slots[i]));
	}
	c->rr = 0;
}

static void plan_slot(struct cat *c, unsigned int i, enum slot_kind kind,
		      uint16_t port)
{
	struct bip_slot *s = &c->slots[i];

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->state = SLOT_IDLE;
	s->port = port;
}

void bip_plan(struct cat *c)
{
	unsigned int http = c->cfg.http_channels;
	unsigned int https = c->cfg.https_channels;
	unsigned int n = c->caps.channels, i = 0;

	if (!cat_bip_usable(c) || !c->caps.server)
		return;
	if (https && !c->cfg.tls) {
		cat_log(c, 0, "no TLS configured, no channels on port %u",
			c->cfg.https_port);
		https = 0;
	}
	if (n > CAT_MAX_CHANNELS)
		n = CAT_MAX_CHANNELS;
	if (http + https > n)
		cat_log(c, 0, "terminal has %u channels, opening %u of %u",
			n, n, http + https);
	/* Alternate so that both ports get one before either gets two. */
	while (i < n && (http || https)) {
		if (http) {
			plan_slot(c, i++, SLOT_HTTP, c->cfg.http_port);
			http--;
		}
		if (i < n && https) {
			plan_slot(c, i++, SLOT_HTTPS, c->cfg.https_port);
			https--;
		}
	}
}

/* ---- building commands ---- */

static bool build_open_server(struct cat *c, int i)
{
	struct bip_slot *s = &c->slots[i];
	struct cat_transport tr = {
		.proto = CAT_TP_TCP_SERVER, .has_port = true, .port = s->port,
	};
	struct cat_writer w;
	size_t mark;

	/* UICC server mode: qualifier RFU, no bearer, no address. */
	mark = cat_cmd_begin(c, &w, CAT_CMD_OPEN_CHANNEL, 0x00,
			     CAT_DEV_TERMINAL, i);
	cat_put_buffer_size(&w, c->cfg.buffer_size);
	cat_put_transport(&w, &tr);
	return cat_cmd_end(c, &w, mark);
}

static bool build_open_client(struct cat *c, int i)
{
	struct bip_slot *s = &c->slots[i];
	const struct cat_client_params *p = &s->client;
	struct cat_transport tr = {
		.proto = CAT_TP_TCP_CLIENT_REMOTE, .has_port = true,
		.port = p->port,
	};
	struct cat_address dest = { .type = p->addr_type };
	struct cat_writer w;
	size_t mark;

	dest.len = p->addr_type == CAT_ADDR_IPV4 ? 4 : 16;
	memcpy(dest.addr, p->addr, dest.len);
	mark = cat_cmd_begin(c, &w, CAT_CMD_OPEN_CHANNEL, OPEN_IMMEDIATE,
			     CAT_DEV_TERMINAL, i);
	cat_put_bearer(&w, CAT_BEARER_DEFAULT, NULL, 0);
	cat_put_buffer_size(&w, p->buffer_size ? p->buffer_size :
			    c->cfg.buffer_size);
	if (p->nan_len)
		cat_put_tlv(&w, CAT_TAG_NAN, p->nan, p->nan_len);
	/* The address after the transport level is the data destination. */
	cat_put_transport(&w, &tr);
	cat_put_other_address(&w, &dest);
	return cat_cmd_end(c, &w, mark);
}

static bool build_close(struct cat *c, int i)
{
	struct bip_slot *s = &c->slots[i];
	uint8_t q = is_server(s) ? CLOSE_TO_LISTEN : CLOSE_RELEASE;
	struct cat_writer w;
	size_t mark;

	mark = cat_cmd_begin(c, &w, CAT_CMD_CLOSE_CHANNEL, q,
			     CAT_DEV_CHANNEL(s->id), i);
	return cat_cmd_end(c, &w, mark);
}

static bool build_receive(struct cat *c, int i)
{
	struct bip_slot *s = &c->slots[i];
	size_t max = c->cfg.extended_apdu ? CAT_RECV_MAX_EXT :
					    CAT_RECV_MAX_SHORT;
	size_t want = s->rx_avail < max ? s->rx_avail : max;
	struct cat_writer w;
	size_t mark;

	mark = cat_cmd_begin(c, &w, CAT_CMD_RECEIVE_DATA, 0x00,
			     CAT_DEV_CHANNEL(s->id), i);
	cat_put_channel_data_len(&w, (uint8_t)want);
	return cat_cmd_end(c, &w, mark);
}

static bool build_send(struct cat *c, int i, const uint8_t *data, size_t n)
{
	struct bip_slot *s = &c->slots[i];
	size_t chunk = n < CAT_SEND_MAX ? n : CAT_SEND_MAX;
	bool now;
	struct cat_writer w;
	size_t mark;

	if (s->tx_free && chunk > s->tx_free)
		chunk = s->tx_free;
	/* Flush with the last chunk we have, or when the buffer is full. */
	now = chunk == n || chunk == s->tx_free;
	mark = cat_cmd_begin(c, &w, CAT_CMD_SEND_DATA,
			     now ? SEND_NOW : SEND_STORE,
			     CAT_DEV_CHANNEL(s->id), i);
	cat_put_channel_data(&w, data, chunk);
	if (!cat_cmd_end(c, &w, mark))
		return false;
	c->cmd.data_len = chunk;
	return true;
}

/* Next command for an established or dropped channel, if it needs one. */
static bool slot_work(struct cat *c, int i)
{
	struct bip_slot *s = &c->slots[i];
	const uint8_t *data;
	size_t n;

	if (s->state == SLOT_DROPPED)
		return build_close(c, i);
	if (s->state != SLOT_ESTABLISHED)
		return false;
	if (!s->stream && !s->closing &&
	    cat_server_stream_new(&c->cfg, s->kind == SLOT_HTTPS, &s->ops,
				  &s->stream)) {
		cat_log(c, 0, "channel %u: no memory for a connection", s->id);
		s->closing = true;
	}
	if (!s->closing && s->ops->done(s->stream))
		s->closing = true;
	if (s->closing)
		return build_close(c, i);
	if (s->rx_avail)
		return build_receive(c, i);
	n = s->ops->pending(s->stream, &data);
	if (n)
		return build_send(c, i, data, n);
	return false;
}

bool bip_build_next(struct cat *c)
{
	int i;

	/* Channels open in slot order, one OPEN CHANNEL at a time. */
	for (i = 0; i < CAT_MAX_CHANNELS; i++) {
		struct bip_slot *s = &c->slots[i];

		if (s->kind == SLOT_UNUSED || s->state != SLOT_IDLE)
			continue;
		if (s->kind == SLOT_CLIENT ? build_open_client(c, i) :
					     build_open_server(c, i)) {
			s->state = SLOT_OPENING;
			return true;
		}
		slot_dead(c, i, 0);
	}
	/* Then the data path, round robin so no channel starves. */
	for (unsigned int k = 1; k <= CAT_MAX_CHANNELS; k++) {
		i = (int)((c->rr + k) % CAT_MAX_CHANNELS);
		if (slot_work(c, i)) {
			c->rr = (unsigned int)i;
			return true;
		}
	}
	return false;
}

/* ---- terminal responses ---- */

static int get_opt_u8(const struct cat_msg *m, uint16_t tag, bool *has,
		      uint8_t *v)
{
	const struct cat_tlv *t = cat_msg_find(m, tag, 0);

	*has = t != NULL;
	return t ? cat_get_channel_data_len(t, v) : 0;
}

static void data_failure(struct cat *c, int i, const struct cat_result *res)
{
	struct bip_slot *s = &c->slots[i];
	uint8_t cause = cat_result_cause(res, 0);

	cat_log(c, 0, "channel %u: %s failed, result %02X cause %02X", s->id,
		c->cmd.det.type == CAT_CMD_SEND_DATA ? "SEND DATA" :
		"RECEIVE DATA", res->general, cause);
	if (res->general == CAT_RES_BIP_ERROR &&
	    cause == CAT_BIP_CHANNEL_CLOSED) {
		if (is_server(s))
			conn_reset(c, i);
		else
			client_dropped(c, i);
		return;
	}
	if (++s->failures >= BIP_MAX_FAILURES)
		s->closing = true;
}

static int on_open(struct cat *c, int i, const struct cat_msg *m,
		   const struct cat_result *res)
{
	struct bip_slot *s = &c->slots[i];
	const struct cat_tlv *t;
	struct cat_channel_status cs;
	uint16_t granted = 0;
	int err;

	if (!CAT_RES_PERFORMED(res->general)) {
		cat_log(c, 0, "OPEN CHANNEL (%s, port %u) refused: result %02X"
			" cause %02X", kind_name(s->kind), is_server(s) ?
			s->port : s->client.port, res->general,
			cat_result_cause(res, 0));
		slot_dead(c, i, cat_result_cause(res, 0));
		return 0;
	}
	t = cat_msg_find(m, CAT_TAG_CHANNEL_STATUS, 0);
	if (!t)
		return CAT_TLV_EMISSING;
	err = cat_get_channel_status(t, &cs);
	if (err)
		return err;
	t = cat_msg_find(m, CAT_TAG_BUFFER_SIZE, 0);
	if (t && (err = cat_get_buffer_size(t, &granted)))
		return err;
	if (cs.id == 0 || slot_by_id(c, cs.id) >= 0) {
		cat_log(c, 0, "OPEN CHANNEL answered with channel id %u, "
			"which is invalid or taken", cs.id);
		slot_dead(c, i, CAT_BIP_BAD_CHANNEL_ID);
		return 0;
	}
	s->id = cs.id;
	s->bufsize = granted ? granted : c->cfg.buffer_size;
	if (s->kind == SLOT_CLIENT) {
		s->state = SLOT_ESTABLISHED;
		s->tx_free = s->bufsize;
		cat_log(c, 1, "channel %u: client link up (buffer %u)", s->id,
			s->bufsize);
		if (s->ops->link)
			s->ops->link(s->stream, true, 0);
		return 0;
	}
	conn_reset(c, i);
	cat_log(c, 1, "channel %u: %s listening on port %u (buffer %u)",
		s->id, kind_name(s->kind), s->port, s->bufsize);
	if (cs.state == CAT_CS_ESTABLISHED)
		conn_accept(c, i);
	return 0;
}

static int on_close(struct cat *c, int i, const struct cat_result *res)
{
	struct bip_slot *s = &c->slots[i];
	uint8_t cause = cat_result_cause(res, 0);

	if (!CAT_RES_PERFORMED(res->general))
		cat_log(c, 1, "channel %u: CLOSE CHANNEL result %02X cause "
			"%02X", s->id, res->general, cause);
	if (s->kind == SLOT_CLIENT) {
		release_client(c, i, 0);
		return 0;
	}
	if (res->general == CAT_RES_BIP_ERROR &&
	    cause == CAT_BIP_BAD_CHANNEL_ID) {
		slot_dead(c, i, cause);
		return 0;
	}
	conn_reset(c, i);
	return 0;
}

static int on_receive(struct cat *c, int i, const struct cat_msg *m,
		      const struct cat_result *res, bool stale)
{
	struct bip_slot *s = &c->slots[i];
	const struct cat_tlv *data_t;
	const uint8_t *data = NULL;
	size_t n = 0;
	bool has_left;
	uint8_t left;
	int err;

	err = get_opt_u8(m, CAT_TAG_CHANNEL_DATA_LEN, &has_left, &left);
	if (err)
		return err;
	data_t = cat_msg_find(m, CAT_TAG_CHANNEL_DATA, 0);
	if (CAT_RES_PERFORMED(res->general) && (!data_t || !has_left))
		return CAT_TLV_EMISSING;
	if (data_t)
		cat_get_channel_data(data_t, &data, &n);
	if (stale || s->state != SLOT_ESTABLISHED)
		return 0;	/* bytes of a connection that is gone */
	if (!CAT_RES_PERFORMED(res->general)) {
		s->rx_avail = 0;	/* the next event restarts it */
		data_failure(c, i, res);
		return 0;
	}
	s->failures = 0;
	if (n && s->ops->input(s->stream, data, n) < 0) {
		cat_log(c, 0, "channel %u: no memory for input", s->id);
		s->closing = true;
	}
	/* Nothing delivered: wait for the next Data available rather than
	 * asking again and again.  "FF" (more than 255) just means ask on. */
	s->rx_avail = n && has_left ? left : 0;
	return 0;
}

static int on_send(struct cat *c, int i, const struct cat_msg *m,
		   const struct cat_result *res, bool stale)
{
	struct bip_slot *s = &c->slots[i];
	bool now = c->cmd.det.qualifier & SEND_NOW;
	size_t sent = c->cmd.data_len, est;
	bool has_free;
	uint8_t free_room;
	int err;

	err = get_opt_u8(m, CAT_TAG_CHANNEL_DATA_LEN, &has_free, &free_room);
	if (err)
		return err;
	if (CAT_RES_PERFORMED(res->general) && !has_free)
		return CAT_TLV_EMISSING;
	if (stale || s->state != SLOT_ESTABLISHED)
		return 0;
	if (!CAT_RES_PERFORMED(res->general)) {
		data_failure(c, i, res);
		return 0;
	}
	s->failures = 0;
	s->ops->consume(s->stream, sent);
	/* Our own estimate, corrected by what the terminal reports. */
	if (now)
		est = s->bufsize;
	else
		est = s->tx_free > sent ? s->tx_free - sent : 0;
	if (free_room != CAT_DATA_LEN_MANY)
		s->tx_free = free_room;
	else
		s->tx_free = est > CAT_DATA_LEN_MANY ? est : CAT_DATA_LEN_MANY;
	return 0;
}

int bip_on_response(struct cat *c, const struct cat_msg *m,
		    const struct cat_result *res)
{
	int i = c->cmd.slot;
	bool stale;

	if (i < 0 || i >= CAT_MAX_CHANNELS)
		return 0;
	stale = c->slots[i].gen != c->cmd.gen;
	switch (c->cmd.det.type) {
	case CAT_CMD_OPEN_CHANNEL:
		return on_open(c, i, m, res);
	case CAT_CMD_CLOSE_CHANNEL:
		return on_close(c, i, res);
	case CAT_CMD_RECEIVE_DATA:
		return on_receive(c, i, m, res, stale);
	case CAT_CMD_SEND_DATA:
		return on_send(c, i, m, res, stale);
	}
	return 0;
}

/* ---- events ---- */

static void server_status(struct cat *c, int i,
			  const struct cat_channel_status *cs)
{
	struct bip_slot *s = &c->slots[i];

	if (cs->info == CAT_CS_INFO_LINK_DROPPED || cs->state == CAT_CS_LISTEN) {
		if (s->state == SLOT_ESTABLISHED) {
			cat_log(c, 1, "channel %u: connection ended%s", s->id,
				cs->info == CAT_CS_INFO_LINK_DROPPED ?
				" (link dropped)" : "");
			conn_reset(c, i);
		}
		return;
	}
	if (cs->state == CAT_CS_ESTABLISHED) {
		/* A repeated ESTABLISHED is the same connection. */
		if (s->state == SLOT_LISTEN)
			conn_accept(c, i);
		return;
	}
	cat_log(c, 0, "channel %u: closed by the terminal", s->id);
	slot_dead(c, i, 0);
}

static void client_status(struct cat *c, int i,
			  const struct cat_channel_status *cs)
{
	struct bip_slot *s = &c->slots[i];

	if (s->state != SLOT_ESTABLISHED)
		return;
	if (cs->info == CAT_CS_INFO_LINK_DROPPED ||
	    cs->state != CAT_CS_ESTABLISHED) {
		cat_log(c, 1, "channel %u: client link dropped", s->id);
		client_dropped(c, i);
	}
}

int bip_on_event(struct cat *c, uint8_t event, const struct cat_msg *m)
{
	const struct cat_tlv *t;
	struct cat_channel_status cs;
	uint8_t avail = 0;
	bool has_avail;
	int err, i;

	t = cat_msg_find(m, CAT_TAG_CHANNEL_STATUS, 0);
	if (!t)
		return CAT_TLV_EMISSING;
	err = cat_get_channel_status(t, &cs);
	if (err)
		return err;
	if (event == CAT_EV_DATA_AVAILABLE) {
		err = get_opt_u8(m, CAT_TAG_CHANNEL_DATA_LEN, &has_avail,
				 &avail);
		if (err)
			return err;
		if (!has_avail)
			return CAT_TLV_EMISSING;
	}
	i = slot_by_id(c, cs.id);
	if (i < 0) {
		cat_log(c, 1, "event %02X for channel %u, which the card has "
			"not opened", event, cs.id);
		return 0;
	}
	if (event == CAT_EV_CHANNEL_STATUS) {
		if (is_server(&c->slots[i]))
			server_status(c, i, &cs);
		else
			client_status(c, i, &cs);
		return 0;
	}
	/* Data on a listening server channel means a client is there. */
	if (c->slots[i].state == SLOT_LISTEN && is_server(&c->slots[i]))
		conn_accept(c, i);
	if (c->slots[i].state == SLOT_ESTABLISHED)
		c->slots[i].rx_avail = avail;	/* FF: at least that */
	return 0;
}

/* ---- API ---- */

int cat_channel_state(const struct cat *c, uint8_t channel_id)
{
	int i = slot_by_id(c, channel_id);

	if (i < 0)
		return -1;
	switch (c->slots[i].state) {
	case SLOT_LISTEN:
		return CAT_CS_LISTEN;
	case SLOT_ESTABLISHED:
		return CAT_CS_ESTABLISHED;
	default:
		return CAT_CS_CLOSED;
	}
}

int cat_open_client(struct cat *c, const struct cat_client_params *p,
		    const struct cat_stream_ops *ops, void *stream)
{
	unsigned int live = 0;
	int free_slot = -1;

	if (!cat_bip_usable(c) || !c->caps.client)
		return -ENOTSUP;
	if (!ops || !ops->input || !ops->input_end || !ops->pending ||
	    !ops->consume || !ops->done || !ops->free || !stream)
		return -EINVAL;
	if ((p->addr_type != CAT_ADDR_IPV4 && p->addr_type != CAT_ADDR_IPV6) ||
	    p->nan_len > sizeof(c->slots[0].nan) || (p->nan_len && !p->nan))
		return -EINVAL;
	for (int i = 0; i < CAT_MAX_CHANNELS; i++) {
		struct bip_slot *s = &c->slots[i];

		if (s->kind != SLOT_UNUSED && s->state != SLOT_DEAD)
			live++;
		else if (free_slot < 0 || c->slots[free_slot].kind != SLOT_UNUSED)
			free_slot = i;	/* unused slots first, then dead ones */
	}
	if (live >= c->caps.channels || free_slot < 0)
		return -EBUSY;
	plan_slot(c, (unsigned int)free_slot, SLOT_CLIENT, 0);
	c->slots[free_slot].client = *p;
	if (p->nan_len) {
		memcpy(c->slots[free_slot].nan, p->nan, p->nan_len);
		c->slots[free_slot].client.nan = c->slots[free_slot].nan;
	}
	c->slots[free_slot].ops = ops;
	c->slots[free_slot].stream = stream;
	cat_schedule(c);
	return 0;
}
