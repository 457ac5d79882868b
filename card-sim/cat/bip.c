// SPDX-License-Identifier: GPL-2.0
/*
 * bip.c - what the card asks of the terminal for its BIP channels: which
 * channels to open (UICC server channels for the SCWS, TCP client channels
 * on request), and, channel by channel in turn, the next OPEN CHANNEL,
 * RECEIVE DATA, SEND DATA or CLOSE CHANNEL.
 *
 * Data path, as a card does it: a Data available event says how many bytes
 * the terminal holds; the card pulls them with RECEIVE DATA in the largest
 * chunks the APDU allows and feeds them to the channel's stream; whatever
 * the stream has to say goes out with SEND DATA, stored in the terminal's
 * Tx buffer ("store" qualifier) and flushed with the last chunk or when the
 * buffer is full ("send immediately").  When the stream is done the card
 * closes the connection: back to LISTEN for a server channel, channel
 * released for a client one.  bip-reply.c handles what the terminal says.
 */
#include "cat-int.h"

#include <errno.h>
#include <string.h>

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
	bool local = p->transport == CAT_TP_UDP_CLIENT_LOCAL;
	struct cat_transport tr = {
		.proto = local ? CAT_TP_UDP_CLIENT_LOCAL :
				 CAT_TP_TCP_CLIENT_REMOTE,
		.has_port = true, .port = p->port,
	};
	struct cat_address dest = { .type = p->addr_type };
	struct cat_writer w;
	size_t mark;

	dest.len = p->addr_type == CAT_ADDR_IPV4 ? 4 : 16;
	memcpy(dest.addr, p->addr, dest.len);
	mark = cat_cmd_begin(c, &w, CAT_CMD_OPEN_CHANNEL, OPEN_IMMEDIATE,
			     CAT_DEV_TERMINAL, i);
	/* A local connection goes over the UICC/terminal interface itself,
	 * as UICC server mode does: no network bearer to describe. */
	if (!local)
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
	uint8_t q = bip_is_server(s) ? CLOSE_TO_LISTEN : CLOSE_RELEASE;
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

	/*
	 * Never more than the free Tx space the terminal reported (TS 102
	 * 223 6.4.30).  None left: the terminal is still sending to its
	 * peer; at the terminal's next poll ask again with an empty SEND
	 * DATA "send immediately", whose answer tells the space now free.
	 */
	if (!s->tx_free) {
		if (!s->tx_full_logged)
			cat_log(c, 1, "channel %u: Tx buffer full, waiting",
				s->id);
		s->tx_full_logged = true;
		if (!c->polling)
			return false;
		chunk = 0;
	} else if (chunk > s->tx_free) {
		chunk = s->tx_free;
	}
	s->tx_full_logged = s->tx_free == 0;
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
	/* build_send() may decline: Tx buffer full, not polled */
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
		bip_slot_dead(c, i, 0);
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

/* ---- API ---- */

int cat_channel_state(const struct cat *c, uint8_t channel_id)
{
	int i = bip_slot_by_id(c, channel_id);

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

bool cat_client_ready(const struct cat *c)
{
	return cat_bip_usable(c) && c->caps.client;
}

int cat_open_client(struct cat *c, const struct cat_client_params *p,
		    const struct cat_stream_ops *ops, void *stream)
{
	unsigned int live = 0;
	int free_slot = -1;

	bool local = p->transport == CAT_TP_UDP_CLIENT_LOCAL;

	if (p->transport && p->transport != CAT_TP_TCP_CLIENT_REMOTE && !local)
		return -EINVAL;
	if (!cat_bip_usable(c) || !(local ? c->caps.udp_local : c->caps.client))
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
		else if (free_slot < 0 ||
			 c->slots[free_slot].kind != SLOT_UNUSED)
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
