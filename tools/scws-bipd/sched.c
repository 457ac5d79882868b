// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * sched.c - more client connections than card channels (docs/scheduling.md).
 *
 * The pump takes every connection it is offered, up to --max-clients per
 * port, and keeps those that find no free LISTEN channel in a FIFO per
 * port: they wait with their socket untouched (the request stays in the
 * kernel's receive buffer) and are never reset while the card works.  A
 * waiting connection gets the next channel that returns to LISTEN, in
 * order.  HTTP and TLS clients speak first: one that finds no free
 * channel joins the FIFO only once its first bytes arrive, so connections
 * a browser opens ahead of its requests take no channel.  Channels come back when a client or the card closes, and, while
 * others wait, when a bound connection is idle:
 *
 *   HTTP (--http-port): between requests (every request and response
 *   complete by the framing parser, keep-alive agreed, no byte in any
 *   buffer) the channel is taken back at once (after --http-idle-ms): the
 *   card sees the TCP connection end, the client stays connected with no
 *   channel; its next request waits at the end of the FIFO and goes to the
 *   card on a fresh connection.  No byte is changed or dropped.
 *
 *   TLS (--tls-port) and connections the parser gave up on: after
 *   --idle-ms without a byte, both ways between records, the card having
 *   answered the client's last data, nothing unread or unacknowledged: the
 *   connection is closed cleanly (FIN; the card sees it end).  Browsers
 *   open a new one.
 */
#include "bipd.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

struct port_state *port_find(struct bipd *b, uint16_t port)
{
	for (unsigned int i = 0; i < b->n_ports; i++)
		if (b->ports[i].port == port)
			return &b->ports[i];
	return NULL;
}

static void fifo_push(struct port_state *p, struct client *cl)
{
	cl->wnext = NULL;
	if (p->wait_tail)
		p->wait_tail->wnext = cl;
	else
		p->wait_head = cl;
	p->wait_tail = cl;
	p->waiting++;
}

static void fifo_remove(struct port_state *p, struct client *cl)
{
	struct client **pp = &p->wait_head, *prev = NULL;

	while (*pp && *pp != cl) {
		prev = *pp;
		pp = &(*pp)->wnext;
	}
	if (!*pp)
		return;
	*pp = cl->wnext;
	if (p->wait_tail == cl)
		p->wait_tail = prev;
	cl->wnext = NULL;
	p->waiting--;
}

/* The client leaves the scheduler; its memory goes at the next tick (an
 * event of this loop round may still point at its watch). */
static void client_forget(struct bipd *b, struct client *cl)
{
	struct port_state *p = port_find(b, cl->port);

	if (cl->dead)
		return;
	if (p && cl->state == CL_WAITING)
		fifo_remove(p, cl);
	if (p && p->held)
		p->held--;
	loop_del(&cl->watch);
	cl->dead = true;
}

/* A client without a channel is closed: FIN after what it sent is read. */
static void client_close(struct bipd *b, struct client *cl)
{
	int fd = cl->fd;

	client_forget(b, cl);
	cl->fd = -1;
	if (fd >= 0)
		drain_start(b, fd, NULL);
}

/* A LISTEN channel for a new connection.  Not before the card has heard
 * that the previous one ended: a command it sends meanwhile about the old
 * connection (a late CLOSE CHANNEL) must not reach the new one. */
static struct channel *free_channel(struct bipd *b, uint16_t port)
{
	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		struct channel *ch = &b->chan[id];

		if (ch->kind == CHAN_SERVER && ch->port == port &&
		    ch->state == CS_LISTEN && ch->fd < 0 &&
		    !ev_pending_for_chan(b, ch->id))
			return ch;
	}
	return NULL;
}

static void client_bind(struct bipd *b, struct port_state *p,
			struct client *cl, struct channel *ch)
{
	int64_t now = b->clock();
	int err;

	fifo_remove(p, cl);
	loop_del(&cl->watch);
	cl->state = CL_BOUND;
	err = chan_attach_fd(b, ch, cl->fd);
	if (err) {
		log_warn("channel %u: cannot take %s: %s", ch->id, cl->desc,
			 strerror(-err));
		client_close(b, cl);
		return;
	}
	if (now > cl->wait_since) {
		uint64_t w = (uint64_t)(now - cl->wait_since);

		p->sched.wait_ms_total += w;
		if (w > p->sched.wait_ms_max)
			p->sched.wait_ms_max = w;
	}
	ch->cl = cl;
	cl->ch = ch;
	cl->binds++;
	cl->last_io = now;
	snprintf(ch->desc, sizeof(ch->desc), "%s", cl->desc);
	b->stats.conns++;
	log_info("channel %u: port %u connection %s", ch->id, cl->port,
		 cl->desc);
	ev_queue_status(b, ch);	/* ESTABLISHED */
}

/* Waiting clients get the free channels, in order. */
static void bind_waiters(struct bipd *b, struct port_state *p)
{
	struct channel *ch;

	while (p->wait_head && b->card && (ch = free_channel(b, p->port)))
		client_bind(b, p, p->wait_head, ch);
}

static void client_wait(struct bipd *b, struct port_state *p,
			struct client *cl)
{
	cl->state = CL_WAITING;
	cl->wait_since = b->clock();
	fifo_push(p, cl);
	/* Only errors and hang-ups: the request stays in the socket. */
	loop_mod(&cl->watch, 0);
}

static void client_io(struct watch *w, uint32_t events)
{
	struct client *cl = w->arg;
	struct bipd *b = cl->b;
	struct port_state *p = port_find(b, cl->port);
	uint8_t c;
	ssize_t n;

	if (cl->dead || !p)
		return;
	if (cl->state == CL_WAITING) {
		if (events & (EPOLLERR | EPOLLHUP)) {
			log_info("port %u: %s left while waiting", cl->port,
				 cl->desc);
			p->sched.dropped_waiting++;
			client_close(b, cl);
		}
		return;
	}
	/* CL_IDLE: the (next) request, or the end */
	n = recv(cl->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n > 0) {
		client_wait(b, p, cl);
		bind_waiters(b, p);
		if (cl->state == CL_WAITING) {
			p->sched.waits++;
			log_info("port %u: %s waits for a channel (%u waiting)",
				 p->port, cl->desc, p->waiting);
		}
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		      errno == EINTR))
		return;
	log_info("port %u: %s closed between requests", cl->port, cl->desc);
	client_close(b, cl);
}

/* The oldest idle client of the port is closed to make room. */
static bool evict_idle(struct bipd *b, struct port_state *p)
{
	struct client *old = NULL;

	for (struct client *cl = b->clients; cl; cl = cl->next)
		if (!cl->dead && cl->port == p->port && cl->state == CL_IDLE &&
		    (!old || cl->last_io < old->last_io))
			old = cl;
	if (!old)
		return false;
	log_info("port %u: %s idle, closed to make room", p->port, old->desc);
	p->sched.evictions++;
	client_close(b, old);
	return true;
}

int sched_take(struct bipd *b, struct port_state *p, int fd,
	       const char *desc)
{
	struct client *cl;
	int flags = fcntl(fd, F_GETFL);

	if (p->held >= b->opts->max_clients && !evict_idle(b, p))
		return -EBUSY;
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	cl = calloc(1, sizeof(*cl));
	if (!cl)
		return -ENOMEM;
	cl->b = b;
	cl->fd = fd;
	cl->port = p->port;
	cl->kind = p->port == b->opts->http_port ? CK_HTTP :
		   p->port == b->opts->tls_port ? CK_TLS : CK_OPAQUE;
	hf_init(&cl->http);
	tls_init(&cl->tls);
	snprintf(cl->desc, sizeof(cl->desc), "%s", desc);
	cl->watch.fd = fd;
	cl->watch.fn = client_io;
	cl->watch.arg = cl;
	if (loop_add(b->loop, &cl->watch, 0)) {
		free(cl);
		return -EIO;
	}
	cl->next = b->clients;
	if (b->clients)
		b->clients->prev = cl;
	b->clients = cl;
	p->held++;
	p->sched.clients++;
	if (cl->kind != CK_OPAQUE && (p->wait_head || !free_channel(b, p->port))) {
		/* HTTP and TLS clients speak first: until they do, they need
		 * no channel (browsers connect ahead of their requests). */
		cl->state = CL_IDLE;
		loop_mod(&cl->watch, EPOLLIN | EPOLLRDHUP);
		return 0;
	}
	client_wait(b, p, cl);
	bind_waiters(b, p);
	if (cl->state == CL_WAITING) {
		p->sched.waits++;
		log_info("port %u: %s waits for a channel (%u waiting)",
			 p->port, desc, p->waiting);
	}
	return 0;
}

void sched_client_bytes(struct bipd *b, struct client *cl, const uint8_t *p,
			size_t n)
{
	cl->last_io = b->clock();
	if (cl->kind == CK_HTTP)
		hf_client(&cl->http, p, n);
	else if (cl->kind == CK_TLS)
		tls_client(&cl->tls, p, n);
}

void sched_card_bytes(struct bipd *b, struct client *cl, const uint8_t *p,
		      size_t n)
{
	cl->last_io = b->clock();
	if (cl->kind == CK_HTTP)
		hf_card(&cl->http, p, n);
	else if (cl->kind == CK_TLS)
		tls_card(&cl->tls, p, n);
}

void sched_conn_gone(struct bipd *b, struct channel *ch)
{
	struct client *cl = ch->cl;

	if (!cl)
		return;
	ch->cl = NULL;
	cl->ch = NULL;
	cl->fd = -1;		/* the channel closed or drains it */
	client_forget(b, cl);
}

bool sched_settled(const struct channel *ch)
{
	const struct http_frame *f = ch->cl ? &ch->cl->http : NULL;

	return f && ch->cl->kind == CK_HTTP && !f->opaque && !f->n_pending &&
	       f->req.state == HF_START && !f->req.line_len &&
	       f->resp.state == HF_START && !f->resp.line_len &&
	       f->requests;
}

static int sock_queue(int fd, unsigned long req)
{
	int n = 0;

	return ioctl(fd, req, &n) < 0 ? 1 : n;
}

enum reclaim { RC_NONE, RC_DETACH, RC_CLOSE };

/* When the bound client's channel may be taken back, and how; -1: not in
 * its present state (a byte moving or the card answering re-evaluates). */
static int64_t reclaim_at(struct bipd *b, const struct client *cl,
			  enum reclaim *how)
{
	const struct channel *ch = cl->ch;
	const struct bipd_opts *o = b->opts;
	bool http = cl->kind == CK_HTTP && !cl->http.opaque;
	bool tls = cl->kind == CK_TLS && !cl->tls.opaque;

	*how = RC_NONE;
	/* a proactive command waiting to be fetched may be about it */
	if (b->fetch_len || b->deferred)
		return -1;
	if (!ch || ch->state != CS_OPEN || ch->peer_eof || ch->io_error ||
	    ch->fd < 0 || !bb_empty(&ch->rx) || !bb_empty(&ch->tx) ||
	    ev_unsent_for(b, ch) || sock_queue(ch->fd, FIONREAD))
		return -1;
	if (http && hf_idle(&cl->http)) {
		*how = RC_DETACH;
		return cl->last_io + o->http_idle_ms;
	}
	/* Closing: nothing may wait unacknowledged in our socket. */
	if (sock_queue(ch->fd, SIOCOUTQ))
		return -1;
	if (http) {
		/* a side said close: only once every message is complete */
		if (!cl->http.closing || cl->http.n_pending ||
		    cl->http.req.state != HF_START ||
		    cl->http.resp.state != HF_START)
			return -1;
	} else if (tls && !tls_quiet(&cl->tls)) {
		return -1;
	}
	*how = RC_CLOSE;
	return cl->last_io + o->idle_ms;
}

static void reclaim(struct bipd *b, struct port_state *p, struct client *cl,
		    enum reclaim how)
{
	struct channel *ch = cl->ch;

	if (how == RC_DETACH) {
		log_info("channel %u: %s between requests, channel to the "
			 "next waiting connection", ch->id, cl->desc);
		p->sched.http_reclaims++;
		chan_detach(b, ch);
		ch->cl = NULL;
		cl->ch = NULL;
		cl->state = CL_IDLE;
		if (loop_add(b->loop, &cl->watch, EPOLLIN | EPOLLRDHUP))
			client_close(b, cl);
		return;
	}
	log_info("channel %u: %s idle %lld ms, closed for a waiting "
		 "connection", ch->id, cl->desc,
		 (long long)(b->clock() - cl->last_io));
	p->sched.idle_closes++;
	chan_end_conn(b, ch);	/* drains: FIN after the last byte */
	ev_queue_status_info(b, ch, 0x00);
}

/* The bound client of the port reclaimable soonest. */
static struct client *best_reclaim(struct bipd *b, uint16_t port,
				   int64_t *at, enum reclaim *how)
{
	struct client *best = NULL;

	*at = -1;
	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		struct channel *ch = &b->chan[id];
		enum reclaim h;
		int64_t t;

		if (ch->kind != CHAN_SERVER || ch->port != port || !ch->cl)
			continue;
		t = reclaim_at(b, ch->cl, &h);
		if (t >= 0 && (*at < 0 || t < *at)) {
			*at = t;
			*how = h;
			best = ch->cl;
		}
	}
	return best;
}

/* LISTEN channels whose previous connection's end the card has not heard
 * yet: free for the waiting ones in a moment. */
static unsigned int freeing(const struct bipd *b, uint16_t port)
{
	unsigned int n = 0;

	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		const struct channel *ch = &b->chan[id];

		n += ch->kind == CHAN_SERVER && ch->port == port &&
		     ch->state == CS_LISTEN && ch->fd < 0;
	}
	return n;
}

void sched_run(struct bipd *b)
{
	int64_t now = b->clock();

	if (!b->card)
		return;
	for (unsigned int i = 0; i < b->n_ports; i++) {
		struct port_state *p = &b->ports[i];

		bind_waiters(b, p);
		/* one channel taken back per waiting connection, no more */
		while (p->waiting > freeing(b, p->port) && b->opts->sched) {
			enum reclaim how;
			int64_t at;
			struct client *cl = best_reclaim(b, p->port, &at, &how);

			if (!cl || at > now)
				break;
			reclaim(b, p, cl, how);
			bind_waiters(b, p);
		}
	}
}

int64_t sched_next_deadline(struct bipd *b)
{
	int64_t next = -1;

	if (!b->card || !b->opts->sched)
		return -1;
	for (unsigned int i = 0; i < b->n_ports; i++) {
		enum reclaim how;
		int64_t at;

		if (b->ports[i].waiting <= freeing(b, b->ports[i].port))
			continue;
		best_reclaim(b, b->ports[i].port, &at, &how);
		if (at >= 0 && (next < 0 || at < next))
			next = at;
	}
	return next;
}

void sched_reap(struct bipd *b)
{
	struct client *cl = b->clients;

	while (cl) {
		struct client *next = cl->next;

		if (cl->dead) {
			if (cl->prev)
				cl->prev->next = cl->next;
			else
				b->clients = cl->next;
			if (cl->next)
				cl->next->prev = cl->prev;
			free(cl);
		}
		cl = next;
	}
}

void sched_close_all(struct bipd *b)
{
	for (struct client *cl = b->clients; cl; cl = cl->next) {
		if (cl->dead)
			continue;
		if (cl->state == CL_BOUND && cl->ch)
			chan_end_conn(b, cl->ch);
		else
			client_close(b, cl);
	}
}

void sched_stats_log(struct bipd *b, int level, bool force)
{
	void (*out)(int, const char *, ...) = force ? log_always : log_msg;

	for (unsigned int i = 0; i < b->n_ports; i++) {
		const struct port_state *p = &b->ports[i];
		const struct sched_stats *s = &p->sched;
		unsigned int bound = 0, idle = 0;
		uint64_t waited = s->waits ? s->wait_ms_total / s->waits : 0;

		for (const struct client *cl = b->clients; cl; cl = cl->next) {
			if (cl->dead || cl->port != p->port)
				continue;
			bound += cl->state == CL_BOUND;
			idle += cl->state == CL_IDLE;
		}
		out(level, "sched: port=%u held=%u bound=%u waiting=%u idle=%u "
		    "clients=%llu waits=%llu wait-ms-avg=%llu wait-ms-max=%llu "
		    "http-reclaims=%llu idle-closes=%llu evictions=%llu "
		    "left-waiting=%llu", p->port, p->held, bound, p->waiting,
		    idle, (unsigned long long)s->clients,
		    (unsigned long long)s->waits, (unsigned long long)waited,
		    (unsigned long long)s->wait_ms_max,
		    (unsigned long long)s->http_reclaims,
		    (unsigned long long)s->idle_closes,
		    (unsigned long long)s->evictions,
		    (unsigned long long)s->dropped_waiting);
	}
}
