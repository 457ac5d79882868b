// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * channel.c - a BIP channel's connection: its socket, its Rx and Tx
 * buffers, and the report to the card when the peer goes away.
 *
 * Flow control is end to end and nothing is dropped: the socket is read
 * only while the Rx buffer (the size agreed with the card) has room, and
 * what the card sends stays in the Tx buffer until the socket takes it.
 *
 * A peer that leaves is reported with a Channel status event (server
 * channel: back in LISTEN, "00" after a FIN, "05" link dropped after an
 * error; client channel: link dropped), but only once the card has fetched
 * the bytes the peer sent before (a card told of the loss first may abort
 * the exchange or hang), and, after a FIN, once the card has been quiet on
 * the channel for the linger time: a client that half-closes after its
 * request still gets the card's answer, since its side can still receive.
 * When the HTTP framing shows every request answered, there is nothing to
 * linger for: the end is reported at once and the channel serves the next
 * waiting connection.
 */
#include "bipd.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* Bytes the card never fetched are dropped after this, so a card that
 * ignores Data available cannot hold a channel forever. */
#define RX_FETCH_TIMEOUT_MS 10000

static struct channel *chan_of(struct watch *w)
{
	return (struct channel *)((char *)w - offsetof(struct channel, watch));
}

struct channel *chan_by_device(struct bipd *b, uint8_t dev)
{
	struct channel *ch;

	if (!CAT_DEV_IS_CHANNEL(dev))
		return NULL;
	ch = &b->chan[dev & 0x07];
	return ch->kind == CHAN_UNUSED ? NULL : ch;
}

struct channel *chan_alloc(struct bipd *b, enum chan_kind kind,
			   uint16_t port, uint16_t bufsize)
{
	for (uint8_t id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		struct channel *ch = &b->chan[id];

		if (ch->kind != CHAN_UNUSED)
			continue;
		memset(ch, 0, sizeof(*ch));
		ch->id = id;
		ch->fd = -1;
		/* Tx may hold twice the agreed size: a card that overruns
		 * the free space it was told about loses nothing. */
		if (bb_init(&ch->rx, bufsize) || bb_init(&ch->tx, 2u * bufsize)) {
			bb_free(&ch->rx);
			log_err("no memory for a %u-byte channel", bufsize);
			return NULL;
		}
		ch->kind = kind;
		ch->port = port;
		ch->bufsize = bufsize;
		ch->state = kind == CHAN_SERVER ? CS_LISTEN : CS_CONNECTING;
		ch->activity_ms = b->clock();
		return ch;
	}
	return NULL;
}

void chan_status_bytes(const struct channel *ch, uint8_t out[2])
{
	out[1] = 0x00;
	switch (ch->state) {
	case CS_LISTEN:
		out[0] = (uint8_t)(CAT_CS_LISTEN << 6 | ch->id);
		break;
	case CS_OPEN:
		out[0] = (uint8_t)(CAT_CS_ESTABLISHED << 6 | ch->id);
		break;
	case CS_DROPPED:
		out[0] = ch->id;
		out[1] = CAT_CS_INFO_LINK_DROPPED;
		break;
	case CS_CONNECTING:
		out[0] = ch->id;
		break;
	}
}

void chan_update_watch(struct channel *ch)
{
	uint32_t ev = 0;

	if (ch->fd < 0 || !ch->watch.loop)
		return;
	if (!ch->peer_eof && !ch->io_error && bb_space(&ch->rx))
		ev |= EPOLLIN;
	if (ch->tx_flush && !bb_empty(&ch->tx))
		ev |= EPOLLOUT;
	loop_mod(&ch->watch, ev);
}

/* No more I/O on the connection; Rx stays for the card to fetch.  A
 * clean end (the peer closed both ways after its FIN) is reported as
 * such, a failure as link dropped. */
static void conn_over(struct bipd *b, struct channel *ch, int err, bool clean)
{
	if (clean)
		log_info("channel %u: peer closed", ch->id);
	else
		log_info("channel %u: connection failed: %s", ch->id,
			 strerror(err));
	ch->io_error = true;
	if (!ch->peer_eof)
		ch->gone_ms = b->clock();
	ch->gone_info = clean ? 0x00 : CAT_CS_INFO_LINK_DROPPED;
	bb_clear(&ch->tx);
	ch->tx_flush = false;
	loop_del(&ch->watch);
	close(ch->fd);
	ch->fd = -1;
	sched_conn_gone(b, ch);
}

static void chan_read(struct bipd *b, struct channel *ch)
{
	while (bb_space(&ch->rx) && !ch->peer_eof) {
		ssize_t n = bb_read_fd(&ch->rx, ch->fd);

		if (n > 0) {
			if (ch->cl)
				sched_client_bytes(b, ch->cl, bb_peek(&ch->rx) +
						   bb_len(&ch->rx) - (size_t)n,
						   (size_t)n);
			continue;
		}
		if (n == 0 && ch->udp)
			continue;	/* an empty datagram: nothing to tell */
		if (n == 0) {
			log_info("channel %u: peer closed its side", ch->id);
			ch->peer_eof = true;
			ch->gone_ms = b->clock();
			ch->gone_info = 0x00;
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			conn_over(b, ch, errno, false);
		break;
	}
	if (!bb_empty(&ch->rx))
		ev_queue_data(b, ch);
}

void chan_refill(struct bipd *b, struct channel *ch)
{
	if (ch->fd >= 0 && !ch->peer_eof && !ch->io_error)
		chan_read(b, ch);
}

void chan_flush(struct bipd *b, struct channel *ch)
{
	while (ch->fd >= 0 && ch->tx_flush && !bb_empty(&ch->tx)) {
		ssize_t n = bb_write_fd(&ch->tx, ch->fd);

		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;		/* EPOLLOUT brings us back */
		conn_over(b, ch, n < 0 ? errno : EPIPE, false);
		return;
	}
	if (bb_empty(&ch->tx))
		ch->tx_flush = false;
}

static void chan_io(struct watch *w, uint32_t events)
{
	struct channel *ch = chan_of(w);
	struct bipd *b = w->arg;
	int err = 0;
	socklen_t len = sizeof(err);

	if (ch->fd < 0)
		return;
	if (events & EPOLLOUT)
		chan_flush(b, ch);
	if (ch->fd >= 0 && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
	    bb_space(&ch->rx) && !ch->peer_eof)
		chan_read(b, ch);
	/* HUP/ERR would be reported on every round (level-triggered, and
	 * Rx may be too full to read the end): settle them here. */
	if (ch->fd >= 0 && (events & (EPOLLHUP | EPOLLERR))) {
		getsockopt(ch->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err || (events & EPOLLHUP))
			conn_over(b, ch, err ? err : ECONNRESET,
				  !err && ch->peer_eof);
	}
	chan_update_watch(ch);
}

int chan_attach_fd(struct bipd *b, struct channel *ch, int fd)
{
	int flags = fcntl(fd, F_GETFL);
	int err;

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	ch->fd = fd;
	ch->gen++;
	ch->watch.fd = fd;
	ch->watch.fn = chan_io;
	ch->watch.arg = b;
	ch->peer_eof = ch->io_error = false;
	ch->rx_announced = ch->tx_flush = false;
	bb_clear(&ch->rx);
	bb_clear(&ch->tx);
	ch->activity_ms = b->clock();
	ch->bytes_to_card = ch->bytes_to_client = 0;
	err = loop_add(b->loop, &ch->watch, EPOLLIN);
	if (err) {
		ch->fd = -1;
		return err;
	}
	ch->state = CS_OPEN;
	return 0;
}

void chan_end_conn(struct bipd *b, struct channel *ch)
{
	/* A dropped client channel ended its connection when the drop was
	 * told; the card's CLOSE CHANNEL ends nothing more.
	 */
	bool live = ch->fd >= 0;

	if (live) {
		loop_del(&ch->watch);
		drain_start(b, ch->fd, &ch->tx);
		ch->fd = -1;
	}
	sched_conn_gone(b, ch);
	if (live && ch->state == CS_OPEN)
		log_info("channel %u: connection ended (%llu bytes to the "
			 "card, %llu to the peer)", ch->id,
			 (unsigned long long)ch->bytes_to_card,
			 (unsigned long long)ch->bytes_to_client);
	bb_clear(&ch->rx);
	bb_clear(&ch->tx);
	ch->rx_announced = ch->tx_flush = false;
	ch->peer_eof = ch->io_error = false;
	if (ch->kind == CHAN_SERVER)
		ch->state = CS_LISTEN;
}

void chan_release(struct bipd *b, struct channel *ch)
{
	if (ch->kind == CHAN_UNUSED)
		return;
	chan_end_conn(b, ch);
	ev_forget(b, ch->id);
	if (b->deferred == ch->id)
		b->deferred = 0;
	bb_free(&ch->rx);
	bb_free(&ch->tx);
	ch->kind = CHAN_UNUSED;
}

/* The peer is gone and the card has been told what it needs: report. */
static void report_gone(struct bipd *b, struct channel *ch)
{
	uint8_t info = ch->gone_info;

	if (!bb_empty(&ch->rx))
		log_warn("channel %u: the card did not fetch %zu bytes in %d "
			 "ms, dropped", ch->id, bb_len(&ch->rx),
			 RX_FETCH_TIMEOUT_MS);
	if (ch->kind == CHAN_SERVER) {
		/* The card never heard of this connection: it ends silently. */
		bool unseen = ev_unsent_for(b, ch);

		chan_end_conn(b, ch);
		if (unseen)
			ev_forget_conn(b, ch);
		else
			ev_queue_status_info(b, ch, info);
		return;
	}
	chan_end_conn(b, ch);
	ch->state = CS_DROPPED;
	ev_queue_status_info(b, ch, CAT_CS_INFO_LINK_DROPPED);
}

void chan_check_gone(struct bipd *b)
{
	int64_t now = b->clock();

	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		struct channel *ch = &b->chan[id];
		bool fetched, quiet;

		if (ch->kind == CHAN_UNUSED || ch->state != CS_OPEN ||
		    !(ch->peer_eof || ch->io_error))
			continue;
		fetched = bb_empty(&ch->rx) ||
			  now - ch->gone_ms >= RX_FETCH_TIMEOUT_MS;
		quiet = ch->io_error || sched_settled(ch) ||
			now - ch->activity_ms >= b->opts->linger_ms;
		if (fetched && quiet)
			report_gone(b, ch);
	}
}

int64_t chan_next_deadline(const struct bipd *b)
{
	int64_t next = -1;

	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		const struct channel *ch = &b->chan[id];
		int64_t at = -1;

		if (ch->kind == CHAN_UNUSED)
			continue;
		if (ch->state == CS_CONNECTING)
			at = ch->connect_deadline;
		else if (ch->state == CS_OPEN && (ch->peer_eof || ch->io_error) &&
			 !b->deferred)
			at = !bb_empty(&ch->rx) ?
			     ch->gone_ms + RX_FETCH_TIMEOUT_MS :
			     sched_settled(ch) ? 0 :
			     ch->activity_ms + b->opts->linger_ms;
		if (at >= 0 && (next < 0 || at < next))
			next = at;
	}
	return next;
}

int chan_detach(struct bipd *b, struct channel *ch)
{
	int fd = ch->fd;

	loop_del(&ch->watch);
	ch->fd = -1;
	ch->cl = NULL;
	log_info("channel %u: connection handed back (%llu bytes to the "
		 "card, %llu to the peer)", ch->id,
		 (unsigned long long)ch->bytes_to_card,
		 (unsigned long long)ch->bytes_to_client);
	bb_clear(&ch->rx);
	bb_clear(&ch->tx);
	ch->rx_announced = ch->tx_flush = false;
	ch->peer_eof = ch->io_error = false;
	ch->state = CS_LISTEN;
	/* As if the client had closed: the card's stream ends. */
	ev_queue_status_info(b, ch, 0x00);
	return fd;
}

void chan_fault(struct bipd *b, struct channel *ch, const char *why)
{
	log_warn("channel %u: %s: closing its connection", ch->id, why);
	if (ch->state != CS_OPEN)
		return;
	chan_end_conn(b, ch);
	if (ch->kind == CHAN_CLIENT)
		ch->state = CS_DROPPED;
	ev_queue_status_info(b, ch, CAT_CS_INFO_LINK_DROPPED);
}
