// SPDX-License-Identifier: GPL-2.0
/*
 * bip-slot.c - the life of a BIP channel as the card keeps it: a slot per
 * channel, its connection (one stream at a time, a generation number so
 * that answers about an old connection never reach a new one), and the
 * ways it ends: back to LISTEN, released, or dead until the next session.
 */
#include "cat-int.h"

#include <string.h>

const char *bip_kind_name(enum slot_kind k)
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

bool bip_is_server(const struct bip_slot *s)
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

int bip_slot_by_id(const struct cat *c, uint8_t id)
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
void bip_release_client(struct cat *c, int i, uint8_t cause)
{
	struct bip_slot *s = &c->slots[i];

	if (s->stream && s->ops->link)
		s->ops->link(s->stream, false, cause);
	stream_free(s);
	bip_drop_stale_cmd(c, i);
	memset(s, 0, sizeof(*s));
}

/* Server slot: end the connection, whatever its state, and listen. */
void bip_conn_reset(struct cat *c, int i)
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

void bip_conn_accept(struct cat *c, int i)
{
	bip_conn_reset(c, i);
	c->slots[i].state = SLOT_ESTABLISHED;
	cat_log(c, 1, "channel %u (%s): connection", c->slots[i].id,
		bip_kind_name(c->slots[i].kind));
}

void bip_slot_dead(struct cat *c, int i, uint8_t cause)
{
	struct bip_slot *s = &c->slots[i];

	if (s->kind == SLOT_CLIENT) {
		bip_release_client(c, i, cause);
		return;
	}
	stream_free(s);
	s->state = SLOT_DEAD;
	s->gen++;
	bip_drop_stale_cmd(c, i);
}

/* Client slot whose link went away: the stream hears the end, then the
 * card closes the channel to release it. */
void bip_client_dropped(struct cat *c, int i)
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
			bip_release_client(c, i, 0);
		stream_free(&c->slots[i]);
		memset(&c->slots[i], 0, sizeof(c->slots[i]));
	}
	c->rr = 0;
}
