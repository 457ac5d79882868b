// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * pump-serve.c - the test pump's serving loop: one thread, one poll set
 * (the netlink socket first, then the claimed connections).
 *
 * CONN_NEW handlers only queue the id: claims run from the loop, because a
 * handler may be called in the middle of another command.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pump.h"

#define DRAIN_MS 2000	/* fixed mode: how long to wait for the client's FIN */
#define IO_CHUNK 4096

struct pending {
	uint64_t id;
	uint16_t port;
	int64_t due_ms;
};

enum client_state {
	CLIENT_ECHO,	/* read, then write it back */
	CLIENT_SEND,	/* writing the fixed reply */
	CLIENT_DRAIN,	/* reply and FIN sent: read until the client's FIN */
	CLIENT_HOLD,	/* nothing until the pump exits */
};

struct client {
	int fd;			/* -1 once ended */
	uint64_t id;
	uint16_t port;
	enum client_state state;
	size_t out_len;		/* bytes to write: buf (echo) or the reply */
	size_t out_off;
	int64_t deadline_ms;	/* CLIENT_DRAIN */
	char buf[IO_CHUNK];
};

struct pump {
	const struct pump_opts *opts;
	struct scws_nl *nl;
	struct pump_port ports[SCWS_NL_PORTS_MAX];
	unsigned int n_ports;
	struct pending *pending;
	size_t n_pending, cap_pending;
	struct client *clients;
	size_t n_clients, cap_clients;
	struct pollfd *pfds;
	size_t cap_pfds;
	unsigned long finished;	/* ended (or, with --no-claim, offered) */
	int64_t free_at_ms;	/* --free-after: when; -1 once done */
	int err;		/* first fatal error */
};

static void fail(struct pump *p, const char *what, int err)
{
	if (p->err)
		return;
	scws_nl_perror(p->nl, what, err);
	p->err = err;
}

/* Room for need elements; the array is unchanged when this fails. */
static void *grow(struct pump *p, void *arr, size_t *cap, size_t need,
		  size_t size)
{
	size_t n = *cap ? *cap : 8;
	void *bigger;

	if (need <= *cap)
		return arr;
	while (n < need)
		n *= 2;
	bigger = realloc(arr, n * size);
	if (!bigger) {
		fail(p, "memory", -ENOMEM);
		return NULL;
	}
	*cap = n;
	return bigger;
}

static struct pump_port *find_port(struct pump *p, uint16_t port)
{
	for (unsigned int i = 0; i < p->n_ports; i++)
		if (p->ports[i].port == port)
			return &p->ports[i];
	return NULL;
}

/* ---- connections offered by the module */

static bool is_pending(const struct pump *p, uint64_t id)
{
	for (size_t i = 0; i < p->n_pending; i++)
		if (p->pending[i].id == id)
			return true;
	return false;
}

static void add_pending(struct pump *p, const struct scws_conn_info *ci)
{
	struct pending *arr = grow(p, p->pending, &p->cap_pending,
				   p->n_pending + 1, sizeof(*arr));

	if (!arr)
		return;
	p->pending = arr;
	arr[p->n_pending++] = (struct pending){
		.id = ci->id,
		.port = ci->port,
		.due_ms = pump_now_ms() + p->opts->claim_delay_ms,
	};
}

static void on_conn_new(void *arg, const struct scws_conn_info *ci)
{
	struct pump *p = arg;

	print_conn("conn", ci, false);
	if (p->opts->no_claim)
		p->finished++;
	else if (!is_pending(p, ci->id))
		add_pending(p, ci);
}

static void on_malformed(void *arg, int cmd, int err)
{
	(void)arg;
	printf("malformed cmd=%d %s\n", cmd, scws_errno_name(err));
}

/* After a socket overrun lost CONN_NEWs: ask the module what is offered. */
static void on_listed(void *arg, const struct scws_conn_info *ci)
{
	struct pump *p = arg;

	if (ci->state == SCWS_CONN_OFFERED && !is_pending(p, ci->id))
		on_conn_new(p, ci);
}

static void read_netlink(struct pump *p)
{
	int err = scws_nl_dispatch(p->nl);

	if (err == -ENOBUFS && !p->opts->no_claim) {
		fputs("scws-test-pump: netlink overrun, listing offers\n", stderr);
		/* Offers seen twice are ignored; a changed list is read again. */
		for (int tries = 0; tries < 8; tries++) {
			err = scws_nl_conn_dump(p->nl, on_listed, p);
			if (err != -EINTR)
				break;
		}
		if (err == -EINTR)
			err = 0;	/* what it listed is still offered or gone */
	}
	if (err && err != -ENOBUFS)
		fail(p, "netlink", err);
}

/* ---- claimed connections */

/* The channel returns to LISTEN: tell the module it is free again. */
static void end_conn(struct pump *p, int fd, uint64_t id, uint16_t port_nr)
{
	struct pump_port *port = find_port(p, port_nr);
	int err;

	close(fd);
	p->finished++;
	printf("ended id=%llu\n", (unsigned long long)id);
	if (!port)
		return;
	if (port->free < port->capacity)
		port->free++;
	err = scws_nl_port_set(p->nl, port->port, port->channels, port->free);
	if (err)
		fail(p, "port-set", err);
}

static void start_client(struct pump *p, int fd, const struct pending *due)
{
	struct client *arr;
	struct client *c;

	if (p->opts->mode == MODE_CLOSE) {
		end_conn(p, fd, due->id, due->port);
		return;
	}
	arr = grow(p, p->clients, &p->cap_clients, p->n_clients + 1,
		   sizeof(*arr));
	if (!arr) {
		close(fd);
		return;
	}
	p->clients = arr;
	c = &arr[p->n_clients++];
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->id = due->id;
	c->port = due->port;
	c->state = p->opts->mode == MODE_FIXED ? CLIENT_SEND :
		   p->opts->mode == MODE_HOLD ? CLIENT_HOLD : CLIENT_ECHO;
	if (c->state == CLIENT_SEND)
		c->out_len = strlen(p->opts->reply);
}

static void claim_one(struct pump *p, const struct pending *due)
{
	struct pump_port *port;
	int fd = scws_nl_claim(p->nl, due->id, NULL);

	if (fd < 0) {
		printf("claim-failed id=%llu %s\n", (unsigned long long)due->id,
		       scws_errno_name(fd));
		return;
	}
	printf("claimed id=%llu fd=%d\n", (unsigned long long)due->id, fd);
	port = find_port(p, due->port);
	if (port && port->free)
		port->free--;	/* the module lowered its count too */
	start_client(p, fd, due);
}

/* Claims in arrival order; claims may queue new offers behind them. */
static void claim_due(struct pump *p)
{
	int64_t now = pump_now_ms();
	size_t i = 0;

	while (i < p->n_pending && !p->err) {
		struct pending due = p->pending[i];

		if (due.due_ms > now) {
			i++;
			continue;
		}
		p->n_pending--;
		memmove(&p->pending[i], &p->pending[i + 1],
			(p->n_pending - i) * sizeof(due));
		claim_one(p, &due);
	}
}

static bool io_would_block(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

/* Each step returns false once the connection is over. */
static bool write_step(struct client *c, const char *out)
{
	ssize_t n = send(c->fd, out + c->out_off, c->out_len - c->out_off,
			 MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0)
		return io_would_block();
	c->out_off += (size_t)n;
	return true;
}

static bool echo_step(struct client *c)
{
	ssize_t n;

	if (c->out_off < c->out_len)
		return write_step(c, c->buf);
	n = recv(c->fd, c->buf, sizeof(c->buf), MSG_DONTWAIT);
	if (n > 0) {
		c->out_len = (size_t)n;
		c->out_off = 0;
		return true;
	}
	return n < 0 && io_would_block();
}

/* After the reply, FIN first and read to EOF, so the client sees no RST. */
static bool send_step(const struct pump *p, struct client *c)
{
	if (!write_step(c, p->opts->reply))
		return false;
	if (c->out_off < c->out_len)
		return true;
	shutdown(c->fd, SHUT_WR);
	c->state = CLIENT_DRAIN;
	c->deadline_ms = pump_now_ms() + DRAIN_MS;
	return true;
}

static bool drain_step(struct client *c)
{
	char sink[IO_CHUNK];
	ssize_t n = recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT);

	return n > 0 || (n < 0 && io_would_block());
}

static bool client_step(const struct pump *p, struct client *c)
{
	switch (c->state) {
	case CLIENT_ECHO:
		return echo_step(c);
	case CLIENT_SEND:
		return send_step(p, c);
	case CLIENT_DRAIN:
		return drain_step(c) && pump_now_ms() < c->deadline_ms;
	default:
		return true;
	}
}

static short client_events(const struct client *c)
{
	if (c->state == CLIENT_ECHO)
		return c->out_off < c->out_len ? POLLOUT : POLLIN;
	return c->state == CLIENT_SEND ? POLLOUT : POLLIN;
}

/* Only the first n clients had a poll slot; later ones wait a round. */
static void service_clients(struct pump *p, size_t n)
{
	for (size_t i = 0; i < n && !p->err; i++) {
		struct client *c = &p->clients[i];
		short revents = p->pfds[i + 1].revents;
		bool expired = c->state == CLIENT_DRAIN &&
			       pump_now_ms() >= c->deadline_ms;

		if ((revents || expired) && !client_step(p, c)) {
			end_conn(p, c->fd, c->id, c->port);
			c->fd = -1;
		}
	}
}

static void reap_clients(struct pump *p)
{
	size_t kept = 0;

	for (size_t i = 0; i < p->n_clients; i++)
		if (p->clients[i].fd >= 0)
			p->clients[kept++] = p->clients[i];
	p->n_clients = kept;
}

/* ---- the loop */

static size_t build_pollfds(struct pump *p)
{
	struct pollfd *arr = grow(p, p->pfds, &p->cap_pfds, p->n_clients + 1,
				  sizeof(*arr));

	if (!arr)
		return 0;
	p->pfds = arr;
	arr[0] = (struct pollfd){ .fd = scws_nl_fd(p->nl), .events = POLLIN };
	for (size_t i = 0; i < p->n_clients; i++) {
		const struct client *c = &p->clients[i];

		/* a held connection is not watched at all, not even for HUP */
		arr[i + 1] = (struct pollfd){
			.fd = c->state == CLIENT_HOLD ? -1 : c->fd,
			.events = client_events(c),
		};
	}
	return p->n_clients + 1;
}

/* --free-after: every channel becomes free at once. */
static void free_due(struct pump *p)
{
	if (p->free_at_ms < 0 || pump_now_ms() < p->free_at_ms)
		return;
	p->free_at_ms = -1;
	for (unsigned int i = 0; i < p->n_ports && !p->err; i++) {
		struct pump_port *port = &p->ports[i];
		int err;

		port->capacity = port->channels;
		port->free = port->channels;
		err = scws_nl_port_set(p->nl, port->port, port->channels,
				       port->free);
		if (err)
			fail(p, "port-set", err);
	}
	puts("freed");
}

static int64_t earlier(int64_t a, int64_t b)
{
	return a < 0 || b < a ? b : a;
}

/* Milliseconds until the next claim or drain deadline; -1: none. */
static int next_timeout(const struct pump *p)
{
	int64_t next = p->free_at_ms;
	int64_t now = pump_now_ms();

	for (size_t i = 0; i < p->n_pending; i++)
		next = earlier(next, p->pending[i].due_ms);
	for (size_t i = 0; i < p->n_clients; i++)
		if (p->clients[i].state == CLIENT_DRAIN)
			next = earlier(next, p->clients[i].deadline_ms);
	if (next < 0)
		return -1;
	return next <= now ? 0 : (int)(next - now);
}

static bool limit_reached(const struct pump *p)
{
	return p->opts->max_conns && p->finished >= p->opts->max_conns;
}

static void serve_loop(struct pump *p)
{
	while (!pump_stop && !p->err && !limit_reached(p)) {
		size_t n = build_pollfds(p);
		int r;

		if (!n)
			break;
		r = pump_wait(p->pfds, n, next_timeout(p));
		if (r < 0)
			fail(p, "poll", r);
		if (r > 0 && p->pfds[0].revents)
			read_netlink(p);
		free_due(p);
		claim_due(p);
		service_clients(p, n - 1);
		reap_clients(p);
	}
}

static void serve_cleanup(struct pump *p)
{
	for (size_t i = 0; i < p->n_clients; i++)
		if (p->clients[i].fd >= 0)
			close(p->clients[i].fd);
	free(p->clients);
	free(p->pending);
	free(p->pfds);
	scws_nl_close(p->nl);
}

/* Unregisters before the connections close, as a real pump would. */
static int serve_registered(struct pump *p)
{
	int err;

	serve_loop(p);
	err = scws_nl_unregister(p->nl);
	if (err)
		fail(p, "unregister", err);
	return p->err ? PUMP_EXIT_ERROR : PUMP_EXIT_OK;
}

int run_serve(const struct pump_opts *opts)
{
	static const struct scws_nl_handlers handlers = {
		.conn_new = on_conn_new,
		.malformed = on_malformed,
	};
	struct pump p = { .opts = opts, .n_ports = opts->n_ports };
	int rc;

	memcpy(p.ports, opts->ports, sizeof(p.ports));
	p.free_at_ms = opts->free_after_ms ?
		       pump_now_ms() + opts->free_after_ms : -1;
	if (pump_open(&p.nl))
		return PUMP_EXIT_ERROR;
	scws_nl_set_handlers(p.nl, &handlers, &p);
	rc = pump_register(p.nl, p.ports, p.n_ports);
	if (rc == PUMP_EXIT_OK)
		rc = serve_registered(&p);
	serve_cleanup(&p);
	return rc;
}
