// SPDX-License-Identifier: GPL-2.0
/*
 * Client side of the vsmartcard vpcd protocol (see vpcd.h).
 *
 * vpcd reads a reply with MSG_WAITALL and no timeout, so an answer must
 * always follow an APDU or an ATR request, and never be empty (vpcd takes
 * a zero-length read as card removal).
 */
#include "vpcd.h"
#include "apdu.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
	CTRL_OFF = 0x00,
	CTRL_ON = 0x01,
	CTRL_RESET = 0x02,
	CTRL_ATR = 0x04,
	FRAME_MAX = 0xFFFF,
	BACKOFF_MIN_MS = 100,
	BACKOFF_MAX_MS = 2000,
	SEND_TIMEOUT_MS = 5000,
	/* vpcd listens with a backlog of 0 and accepts only while it polls
	 * for a card, so a SYN can sit unanswered; the kernel's own SYN
	 * retries back off to 15 s and more, ours stay short. */
	CONNECT_TIMEOUT_MS = 1000,
};

enum link { LINK_IDLE, LINK_CONNECTING, LINK_UP };

struct vpcd {
	char *host, *port;
	struct vpcd_card card;
	enum link link;
	int fd;
	int64_t retry_at;	/* CLOCK_MONOTONIC ms of the next attempt,
				 * or the connect deadline while connecting */
	int backoff_ms;
	bool logged_down;	/* say "waiting for vpcd" once, not per try */
	uint8_t in[2 + FRAME_MAX];
	size_t in_len;
	uint8_t out[2 + APDU_RESP_MAX];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void schedule_retry(struct vpcd *v, int delay_ms)
{
	v->retry_at = now_ms() + delay_ms;
}

static void drop(struct vpcd *v, const char *why)
{
	bool was_up = v->link == LINK_UP;

	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
	v->link = LINK_IDLE;
	v->in_len = 0;
	if (was_up) {
		card_info("vpcd %s:%s: connection lost (%s)", v->host, v->port, why);
		if (v->card.connected)
			v->card.connected(v->card.arg, false);
		/* A session that worked: come back quickly. */
		v->backoff_ms = BACKOFF_MIN_MS;
	} else if (!v->logged_down) {
		card_info("vpcd %s:%s: %s; retrying", v->host, v->port, why);
		v->logged_down = true;
	}
	schedule_retry(v, v->backoff_ms);
	v->backoff_ms = v->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
							  : v->backoff_ms * 2;
}

/* vpcd listens on IPv4 only; prefer an IPv4 address when there is one. */
static int start_connect(struct vpcd *v)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai, *pick;
	int r = getaddrinfo(v->host, v->port, &hints, &res), one = 1;

	if (r != 0) {
		card_err("vpcd %s:%s: %s", v->host, v->port, gai_strerror(r));
		return -1;
	}
	pick = res;
	for (ai = res; ai; ai = ai->ai_next)
		if (ai->ai_family == AF_INET) {
			pick = ai;
			break;
		}
	v->fd = socket(pick->ai_family, pick->ai_socktype | SOCK_NONBLOCK |
			   SOCK_CLOEXEC, pick->ai_protocol);
	if (v->fd < 0) {
		freeaddrinfo(res);
		return -1;
	}
	/* One APDU, one answer: Nagle would only add latency. */
	setsockopt(v->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	r = connect(v->fd, pick->ai_addr, pick->ai_addrlen);
	freeaddrinfo(res);
	if (r == 0 || errno == EINPROGRESS) {
		v->link = LINK_CONNECTING;
		v->retry_at = now_ms() + CONNECT_TIMEOUT_MS;
		return 0;
	}
	return -1;
}

static void connected(struct vpcd *v)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(v->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err) {
		drop(v, strerror(err ? err : errno));
		return;
	}
	v->link = LINK_UP;
	v->logged_down = false;
	card_info("vpcd %s:%s: connected", v->host, v->port);
	if (v->card.connected)
		v->card.connected(v->card.arg, true);
}

static bool send_frame(struct vpcd *v, size_t len)
{
	size_t off = 0, total = len + 2;

	v->out[0] = (uint8_t)(len >> 8);
	v->out[1] = (uint8_t)len;
	while (off < total) {
		ssize_t n = send(v->fd, v->out + off, total - off, MSG_NOSIGNAL);
		struct pollfd p = { v->fd, POLLOUT, 0 };

		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return false;
		/* The answer is small; a full socket buffer for 5 s means
		 * vpcd is gone. */
		if (poll(&p, 1, SEND_TIMEOUT_MS) <= 0)
			return false;
	}
	return true;
}

static bool handle_frame(struct vpcd *v, const uint8_t *msg, size_t len)
{
	const uint8_t *atr;
	size_t n;

	if (len == 1) {
		switch (msg[0]) {
		case CTRL_OFF:
			v->card.power(v->card.arg, VPCD_POWER_OFF);
			return true;
		case CTRL_ON:
			v->card.power(v->card.arg, VPCD_POWER_ON);
			return true;
		case CTRL_RESET:
			v->card.power(v->card.arg, VPCD_RESET);
			return true;
		case CTRL_ATR:
			n = v->card.atr(v->card.arg, &atr);
			memcpy(v->out + 2, atr, n);
			return send_frame(v, n);
		default:
			card_info("vpcd: unknown control byte %02X ignored", msg[0]);
			return true;
		}
	}
	if (len == 0)
		return true;
	n = v->card.transmit(v->card.arg, msg, len, v->out + 2);
	return send_frame(v, n);
}

static void receive(struct vpcd *v)
{
	for (;;) {
		ssize_t n = recv(v->fd, v->in + v->in_len,
				 sizeof(v->in) - v->in_len, 0);
		size_t off = 0;

		if (n == 0) {
			drop(v, "closed by vpcd");
			return;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				drop(v, strerror(errno));
			return;
		}
		v->in_len += (size_t)n;
		/*
		 * vpcd writes the length and the APDU in two send()s: with
		 * delayed ACKs here, Nagle there holds the APDU ~40 ms.  Quick
		 * ACKs are not sticky, so ask again after every read.
		 */
		setsockopt(v->fd, IPPROTO_TCP, TCP_QUICKACK, &(int){ 1 },
			   sizeof(int));
		/* vpcd sends one frame and waits, but do not rely on it. */
		while (v->in_len - off >= 2) {
			size_t flen = (size_t)v->in[off] << 8 | v->in[off + 1];

			if (v->in_len - off - 2 < flen)
				break;
			if (!handle_frame(v, v->in + off + 2, flen)) {
				drop(v, "send failed");
				return;
			}
			if (v->link != LINK_UP)		/* unplugged meanwhile */
				return;
			off += 2 + flen;
		}
		memmove(v->in, v->in + off, v->in_len - off);
		v->in_len -= off;
	}
}

struct vpcd *vpcd_new(const char *host, const char *port,
		      const struct vpcd_card *card)
{
	struct vpcd *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->host = strdup(host);
	v->port = strdup(port);
	if (!v->host || !v->port) {
		vpcd_free(v);
		return NULL;
	}
	v->card = *card;
	v->fd = -1;
	v->backoff_ms = BACKOFF_MIN_MS;
	v->retry_at = now_ms();		/* first attempt at once */
	return v;
}

void vpcd_free(struct vpcd *v)
{
	if (!v)
		return;
	if (v->fd >= 0)
		close(v->fd);
	free(v->host);
	free(v->port);
	free(v);
}

int vpcd_pollfd(const struct vpcd *v, short *events)
{
	if (v->link == LINK_IDLE)
		return -1;
	*events = v->link == LINK_CONNECTING ? POLLOUT : POLLIN;
	return v->fd;
}

int vpcd_timeout_ms(const struct vpcd *v)
{
	int64_t left;

	if (v->link == LINK_UP)
		return -1;
	left = v->retry_at - now_ms();
	return left < 0 ? 0 : (int)left;
}

void vpcd_service(struct vpcd *v, short revents)
{
	switch (v->link) {
	case LINK_IDLE:
		if (now_ms() >= v->retry_at && start_connect(v) != 0)
			drop(v, "cannot connect");
		return;
	case LINK_CONNECTING:
		if (revents & (POLLOUT | POLLERR | POLLHUP))
			connected(v);
		else if (now_ms() >= v->retry_at)
			drop(v, "connect timed out");
		return;
	case LINK_UP:
		if (revents & (POLLIN | POLLERR | POLLHUP))
			receive(v);
		return;
	}
}

void vpcd_unplug(struct vpcd *v, int delay_ms)
{
	if (v->link == LINK_UP)
		drop(v, "unplugged");
	schedule_retry(v, delay_ms);
}

bool vpcd_is_connected(const struct vpcd *v)
{
	return v->link == LINK_UP;
}

static bool copy(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		return false;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return true;
}

bool vpcd_parse_addr(const char *s, char *host, size_t host_len, char *port,
		     size_t port_len)
{
	const char *colon, *hend = NULL, *h = s;
	char *end;
	unsigned long p;

	if (s[0] == '[') {		/* [v6]:port */
		hend = strchr(s, ']');
		if (!hend || (hend[1] != ':' && hend[1] != '\0'))
			return false;
		h = s + 1;
		colon = hend[1] ? hend + 1 : NULL;
	} else {
		colon = strrchr(s, ':');
		hend = colon ? colon : s + strlen(s);
		if (colon && strchr(s, ':') != colon)
			return false;	/* bare IPv6 needs brackets */
	}
	if (hend == h)
		h = VPCD_DEFAULT_HOST, hend = h + strlen(h);
	if (!copy(host, host_len, h, (size_t)(hend - h)))
		return false;
	if (!colon)
		return copy(port, port_len, VPCD_DEFAULT_PORT,
			    strlen(VPCD_DEFAULT_PORT));
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || p == 0 || p > 65535)
		return false;
	return copy(port, port_len, colon + 1, strlen(colon + 1));
}
