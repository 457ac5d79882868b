// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * drain.c - closing a client connection cleanly.
 *
 * close() on a socket with unread input sends a reset, and a reset can
 * destroy the answer the peer has not read yet.  So a connection that ends
 * is drained: what is left of the card's data is written, our side is shut
 * (FIN), input is read and dropped until the peer's FIN, then the socket is
 * closed.  A peer that does not finish within DRAIN_MS is cut off.
 */
#include "bipd.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define DRAIN_MS 2000

struct drain {
	struct drain *next;
	struct watch watch;
	uint8_t *out;		/* card bytes still to write */
	size_t out_len, out_off;
	bool shut;		/* our FIN is out */
	bool done;
	int64_t deadline;
};

static void drain_shut(struct drain *d)
{
	if (d->shut)
		return;
	shutdown(d->watch.fd, SHUT_WR);
	d->shut = true;
}

static void drain_io(struct watch *w, uint32_t events)
{
	struct drain *d = w->arg;
	uint8_t sink[4096];
	ssize_t n = 0;

	if (events & EPOLLOUT) {
		while (d->out_off < d->out_len) {
			n = send(w->fd, d->out + d->out_off,
				 d->out_len - d->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n <= 0)
				break;
			d->out_off += (size_t)n;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			d->done = true;
		n = 0;
	}
	if (d->out_off == d->out_len)
		drain_shut(d);
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		do {
			n = recv(w->fd, sink, sizeof(sink), MSG_DONTWAIT);
		} while (n > 0);
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
			       errno != EINTR))
			d->done = true;
	}
	if (d->done)
		loop_del(w);
	else
		loop_mod(w, EPOLLIN | (d->shut ? 0 : EPOLLOUT));
}

void drain_start(struct bipd *b, int fd, struct bytebuf *tx)
{
	struct drain *d = calloc(1, sizeof(*d));
	size_t n = tx ? bb_len(tx) : 0;

	if (!d || (n && !(d->out = malloc(n)))) {
		free(d);
		close(fd);
		return;
	}
	if (n)
		memcpy(d->out, bb_peek(tx), n);
	d->out_len = n;
	d->watch.fd = fd;
	d->watch.fn = drain_io;
	d->watch.arg = d;
	d->deadline = b->clock() + DRAIN_MS;
	if (!n)
		drain_shut(d);
	if (loop_add(b->loop, &d->watch, EPOLLIN | (n ? EPOLLOUT : 0)))
		d->done = true;
	d->next = b->drains;
	b->drains = d;
}

static void drain_free(struct drain *d)
{
	loop_del(&d->watch);
	close(d->watch.fd);
	free(d->out);
	free(d);
}

void drain_reap(struct bipd *b)
{
	struct drain **pp = &b->drains;
	int64_t now = b->clock();

	while (*pp) {
		struct drain *d = *pp;

		if (!d->done && now < d->deadline) {
			pp = &d->next;
			continue;
		}
		if (!d->done)
			log_info("peer did not close within %d ms, cut off",
				 DRAIN_MS);
		*pp = d->next;
		drain_free(d);
	}
}

void drain_all_stop(struct bipd *b)
{
	while (b->drains) {
		struct drain *d = b->drains;

		b->drains = d->next;
		/* A last try for what the card sent, then the FIN. */
		drain_io(&d->watch, EPOLLOUT);
		drain_free(d);
	}
}

int64_t drain_next_deadline(const struct bipd *b)
{
	int64_t next = -1;

	for (const struct drain *d = b->drains; d; d = d->next) {
		int64_t at = d->done ? 0 : d->deadline;

		if (next < 0 || at < next)
			next = at;
	}
	return next;
}
