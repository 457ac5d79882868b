// SPDX-License-Identifier: GPL-2.0
/*
 * bip-reply.c - what the terminal tells the card about its BIP channels:
 * the TERMINAL RESPONSEs to OPEN CHANNEL, CLOSE CHANNEL, RECEIVE DATA and
 * SEND DATA, and the Data available and Channel status events.  Each
 * handler checks the whole message before it changes anything, so a
 * malformed one leaves the engine as it was.
 */
#include "cat-int.h"

/* ---- terminal responses ---- */

/* The optional Channel data length: *has says whether it is there. */
static int find_data_len(const struct cat_msg *m, bool *has, uint8_t *v)
{
	const struct cat_tlv *t = cat_msg_find(m, CAT_TAG_CHANNEL_DATA_LEN, 0);

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
		if (bip_is_server(s))
			bip_conn_reset(c, i);
		else
			bip_client_dropped(c, i);
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
		uint8_t cause = cat_result_cause(res, 0);

		cat_log(c, 0, "OPEN CHANNEL (%s, port %u) refused: result %02X"
			" cause %02X", bip_kind_name(s->kind),
			bip_is_server(s) ? s->port : s->client.port,
			res->general, cause);
		bip_slot_dead(c, i, cause);
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
	if (cs.id == 0 || bip_slot_by_id(c, cs.id) >= 0) {
		cat_log(c, 0, "OPEN CHANNEL answered with channel id %u, "
			"which is invalid or taken", cs.id);
		bip_slot_dead(c, i, CAT_BIP_BAD_CHANNEL_ID);
		return 0;
	}
	s->id = cs.id;
	s->bufsize = granted ? granted : c->cfg.buffer_size;
	if (s->kind == SLOT_CLIENT &&
	    s->client.transport == CAT_TP_UDP_CLIENT_LOCAL &&
	    s->bufsize < (s->client.buffer_size ? s->client.buffer_size :
			  c->cfg.buffer_size)) {
		/* A datagram must fit the buffer whole: close again. */
		cat_log(c, 0, "channel %u: UDP buffer cut to %u, closing",
			s->id, s->bufsize);
		s->state = SLOT_ESTABLISHED;
		s->closing = true;
		return 0;
	}
	if (s->kind == SLOT_CLIENT) {
		s->state = SLOT_ESTABLISHED;
		s->tx_free = s->bufsize;
		cat_log(c, 1, "channel %u: client link up (buffer %u)", s->id,
			s->bufsize);
		if (s->ops->link)
			s->ops->link(s->stream, true, 0);
		return 0;
	}
	bip_conn_reset(c, i);
	cat_log(c, 1, "channel %u: %s listening on port %u (buffer %u)",
		s->id, bip_kind_name(s->kind), s->port, s->bufsize);
	if (cs.state == CAT_CS_ESTABLISHED)
		bip_conn_accept(c, i);
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
		bip_release_client(c, i, 0);
		return 0;
	}
	if (res->general == CAT_RES_BIP_ERROR &&
	    cause == CAT_BIP_BAD_CHANNEL_ID) {
		bip_slot_dead(c, i, cause);
		return 0;
	}
	bip_conn_reset(c, i);
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

	err = find_data_len(m, &has_left, &left);
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

	err = find_data_len(m, &has_free, &free_room);
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

	if (cs->info == CAT_CS_INFO_LINK_DROPPED ||
	    cs->state == CAT_CS_LISTEN) {
		if (s->state == SLOT_ESTABLISHED) {
			cat_log(c, 1, "channel %u: connection ended%s", s->id,
				cs->info == CAT_CS_INFO_LINK_DROPPED ?
				" (link dropped)" : "");
			bip_conn_reset(c, i);
		}
		return;
	}
	if (cs->state == CAT_CS_ESTABLISHED) {
		/* A repeated ESTABLISHED is the same connection. */
		if (s->state == SLOT_LISTEN)
			bip_conn_accept(c, i);
		return;
	}
	cat_log(c, 0, "channel %u: closed by the terminal", s->id);
	bip_slot_dead(c, i, 0);
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
		bip_client_dropped(c, i);
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
		err = find_data_len(m, &has_avail, &avail);
		if (err)
			return err;
		if (!has_avail)
			return CAT_TLV_EMISSING;
	}
	i = bip_slot_by_id(c, cs.id);
	if (i < 0) {
		cat_log(c, 1, "event %02X for channel %u, which the card has "
			"not opened", event, cs.id);
		return 0;
	}
	if (event == CAT_EV_CHANNEL_STATUS) {
		if (bip_is_server(&c->slots[i]))
			server_status(c, i, &cs);
		else
			client_status(c, i, &cs);
		return 0;
	}
	/*
	 * A connection starts with the terminal saying ESTABLISHED (TS 102
	 * 223 7.5.11); a Data available whose own Channel status says so
	 * stands for a Channel status event that came late.  One that says
	 * LISTEN (or CLOSED) is no connection: nothing to read for anyone.
	 */
	if (c->slots[i].state == SLOT_LISTEN && bip_is_server(&c->slots[i])) {
		if (cs.state != CAT_CS_ESTABLISHED) {
			cat_log(c, 1, "channel %u: Data available while the "
				"terminal says it is not connected, ignored",
				cs.id);
			return 0;
		}
		bip_conn_accept(c, i);
	}
	if (c->slots[i].state == SLOT_ESTABLISHED)
		c->slots[i].rx_avail = avail;	/* FF: at least that */
	return 0;
}
