// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * engine.c - the engine's life cycle (a card comes, a card goes), the loop
 * tick, client connections arriving, and the ports: for each port the card
 * serves, how many channels serve it and how many of them are free LISTEN
 * channels, as the connection source (the module, or our listener) must
 * know to hand out connections.
 */
#include "bipd.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define CARD_BUDGET 32		/* APDUs per tick before the loop runs again */

void bipd_init(struct bipd *b, const struct bipd_opts *o, struct loop *l,
	       const struct conn_source *src)
{
	memset(b, 0, sizeof(*b));
	b->opts = o;
	b->loop = l;
	b->source = *src;
	b->clock = now_ms;
	for (int id = 0; id <= BIPD_MAX_CHANNELS; id++) {
		b->chan[id].id = (uint8_t)id;
		b->chan[id].fd = -1;
	}
}

void bipd_fini(struct bipd *b)
{
	bipd_card_detach(b);
	sched_reap(b);
	drain_all_stop(b);
}

int bipd_card_attach(struct bipd *b, struct apdu_link *link)
{
	b->card = link;
	b->card_failed = false;
	link->stats = &b->stats;
	b->evq_len = 0;
	b->next_poll = b->clock() + b->opts->poll_ms;
	return cat_send_profile(b);
}

void bipd_card_detach(struct bipd *b)
{
	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++)
		chan_release(b, &b->chan[id]);
	sched_close_all(b);	/* waiting and idle connections */
	b->evq_len = 0;
	b->deferred = 0;
	b->fetch_len = 0;
	b->poll_soon = false;
	b->ev_data = b->ev_status = false;
	b->ev_local = false;
	b->card = NULL;
	if (b->dl_ops)
		b->dl_ops->card_gone(b);
	ports_sync(b);
}

/* ---- ports ---- */

/* Connections the pump takes now: up to --max-clients held per port,
 * bound to a channel, waiting for one or idle (sched.c). */
static unsigned int port_room(const struct bipd *b, uint16_t port)
{
	for (unsigned int i = 0; i < b->n_ports; i++)
		if (b->ports[i].port == port)
			return b->ports[i].held < b->opts->max_clients ?
			       b->opts->max_clients - b->ports[i].held : 0;
	return b->opts->max_clients;
}

/* The capacity told the source is what the pump takes now, at most one
 * per channel at a time (the module's bound); claims lower it there and
 * we tell it again: see bipd_conn_bind(). */
static void port_counts(const struct bipd *b, uint16_t port,
			unsigned int *channels, unsigned int *capacity)
{
	unsigned int room = port_room(b, port);

	*channels = *capacity = 0;
	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		const struct channel *ch = &b->chan[id];

		if (ch->kind == CHAN_SERVER && ch->port == port)
			(*channels)++;
	}
	if (b->card)
		*capacity = *channels < room ? *channels : room;
}

unsigned int bipd_port_room(const struct bipd *b, uint16_t port)
{
	unsigned int channels, capacity;

	port_counts(b, port, &channels, &capacity);
	return channels ? port_room(b, port) : 0;
}

unsigned int bipd_port_free(const struct bipd *b, uint16_t port)
{
	unsigned int n = 0;

	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		const struct channel *ch = &b->chan[id];

		n += ch->kind == CHAN_SERVER && ch->port == port &&
		     ch->state == CS_LISTEN;
	}
	return n;
}

static struct port_state *port_entry(struct bipd *b, uint16_t port)
{
	for (unsigned int i = 0; i < b->n_ports; i++)
		if (b->ports[i].port == port)
			return &b->ports[i];
	if (b->n_ports == BIPD_MAX_PORTS)
		return NULL;
	b->ports[b->n_ports] = (struct port_state){ .port = port };
	return &b->ports[b->n_ports++];
}

static int port_sync(struct bipd *b, struct port_state *p)
{
	struct scws_pump_stats st = {
		.waiting = p->waiting,
		.waits = p->sched.waits,
		.reclaims = p->sched.http_reclaims + p->sched.idle_closes,
	};
	unsigned int channels, capacity;
	int err;

	port_counts(b, p->port, &channels, &capacity);
	if (p->sent && p->channels == channels && p->capacity == capacity &&
	    scws_pump_stats_equal(&p->told, &st))
		return 0;
	if (p->refused && p->refused_channels == channels &&
	    p->refused_capacity == capacity)
		return p->refused;
	/* The scheduler's figures ride along, for scwsctl status. */
	err = b->source.ops->port_set(b->source.src, p->port, channels,
				      capacity, &st);
	/* A port the source cannot serve stays so; other failures are
	 * tried again at the next tick. */
	p->refused = err == -EADDRNOTAVAIL ? err : 0;
	p->refused_channels = channels;
	p->refused_capacity = capacity;
	if (err) {
		/* -EAGAIN: no source yet (or the module is away) */
		if (err != -EADDRNOTAVAIL && err != -EAGAIN)
			log_warn("port %u: telling the connection source %u "
				 "channels failed: %s", p->port, channels,
				 strerror(-err));
		return err;
	}
	if (!p->sent || p->channels != channels)
		log_info("port %u: %u channels", p->port, channels);
	p->sent = true;
	p->channels = channels;
	p->capacity = capacity;
	p->told = st;
	return 0;
}

int ports_sync_port(struct bipd *b, uint16_t port)
{
	struct port_state *p = port_entry(b, port);

	return p ? port_sync(b, p) : -EADDRNOTAVAIL;
}

/* A new source (the module loaded again) knows nothing: tell it all. */
void ports_forget(struct bipd *b)
{
	for (unsigned int i = 0; i < b->n_ports; i++) {
		b->ports[i].sent = false;
		b->ports[i].refused = 0;
	}
}

void ports_sync(struct bipd *b)
{
	for (unsigned int i = 0; i < b->n_ports; i++)
		port_sync(b, &b->ports[i]);
}

/* ---- connections ---- */

int bipd_conn_bind(struct bipd *b, uint16_t port, int fd, const char *desc)
{
	struct port_state *p = port_find(b, port);
	unsigned int channels, capacity;
	int err;

	port_counts(b, port, &channels, &capacity);
	if (!p || !b->card || !channels)
		return -EBUSY;
	err = sched_take(b, p, fd, desc);
	if (err)
		return err;
	/* The source lowered its count by one: tell it ours again. */
	if (p->capacity)
		p->capacity--;
	ports_sync_port(b, port);
	return 0;
}

/* ---- the tick ---- */

static void min_deadline(int64_t *next, int64_t at)
{
	if (at >= 0 && (*next < 0 || at < *next))
		*next = at;
}

static void connect_timeouts(struct bipd *b)
{
	int64_t now = b->clock();

	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		struct channel *ch = &b->chan[id];

		if (ch->kind == CHAN_CLIENT && ch->state == CS_CONNECTING &&
		    now >= ch->connect_deadline)
			bip_connect_done(b, ch, ETIMEDOUT);
	}
}

int64_t bipd_tick(struct bipd *b)
{
	int64_t next = -1;

	drain_reap(b);
	sched_reap(b);
	if (b->card && !b->card_failed) {
		connect_timeouts(b);
		cat_work(b, CARD_BUDGET);
		/* Peers that left are reported between proactive commands. */
		if (!b->fetch_len && !b->deferred && !b->card_failed) {
			chan_check_gone(b);
			cat_work(b, CARD_BUDGET);
		}
	}
	if (b->card && !b->card_failed)
		sched_run(b);
	ports_sync(b);
	if (b->source.ops->offer)
		b->source.ops->offer(b->source.src);
	if (b->card && !b->card_failed) {
		if (cat_has_work(b))
			return 0;
		/* While a TERMINAL RESPONSE waits for a connection, only that
		 * connection's deadline counts: the rest waits for it. */
		if (!b->deferred) {
			min_deadline(&next, b->next_poll);
			if (ev_pending(b))
				min_deadline(&next, b->envelope_not_before);
			if (b->dl_ops)
				min_deadline(&next, b->dl_ops->deadline(b));
		}
		min_deadline(&next, chan_next_deadline(b));
		min_deadline(&next, sched_next_deadline(b));
	}
	min_deadline(&next, drain_next_deadline(b));
	return next;
}
