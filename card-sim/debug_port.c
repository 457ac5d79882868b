// SPDX-License-Identifier: GPL-2.0
/*
 * TEST TOOLING: the SCWS straight on 127.0.0.1:PORT (see debug_port.h).
 * Non-blocking sockets in the card's poll loop; each connection owns one
 * struct scws_http, exactly as a BIP channel would.
 */
#include "debug_port.h"
#include "card.h"
#include "log.h"
#include "site/site.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct client {
	int fd;			/* -1: slot free */
	struct scws_http *http;
	bool eof;		/* the client half-closed */
};

struct debug_port {
	int listen_fd;
	struct scws_site *site;
	struct client c[DEBUG_PORT_CLIENTS];
};

struct debug_port *debug_port_new(int port, struct scws_site *site)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct debug_port *d = calloc(1, sizeof(*d));
	int one = 1;

	if (!d)
		return NULL;
	d->site = site;
	for (int i = 0; i < DEBUG_PORT_CLIENTS; i++)
		d->c[i].fd = -1;
	d->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (d->listen_fd < 0 ||
	    setsockopt(d->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(d->listen_fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(d->listen_fd, 16)) {
		card_err("debug port %d: %s", port, strerror(errno));
		if (d->listen_fd >= 0)
			close(d->listen_fd);
		free(d);
		return NULL;
	}
	/* Its pages are the card's pages: they may change its data. */
	http_origins_add(&site->origins, "http", "127.0.0.1", (unsigned)port);
	http_origins_add(&site->origins, "http", "localhost", (unsigned)port);
	card_info("TEST TOOLING: HTTP on 127.0.0.1:%d without BIP", port);
	return d;
}

static void drop(struct client *c)
{
	close(c->fd);
	scws_http_free(c->http);
	c->fd = -1;
	c->http = NULL;
	c->eof = false;
}

void debug_port_free(struct debug_port *d)
{
	if (!d)
		return;
	for (int i = 0; i < DEBUG_PORT_CLIENTS; i++)
		if (d->c[i].fd >= 0)
			drop(&d->c[i]);
	close(d->listen_fd);
	free(d);
}

int debug_port_pollfds(struct debug_port *d, struct pollfd *pfd, int max)
{
	int n = 0;

	if (max < 1)
		return 0;
	pfd[n++] = (struct pollfd){ d->listen_fd, POLLIN, 0 };
	for (int i = 0; i < DEBUG_PORT_CLIENTS && n < max; i++) {
		const uint8_t *out;
		short ev;

		if (d->c[i].fd < 0)
			continue;
		ev = d->c[i].eof ? 0 : POLLIN;
		if (scws_http_pending(d->c[i].http, &out))
			ev |= POLLOUT;
		pfd[n++] = (struct pollfd){ d->c[i].fd, ev, 0 };
	}
	return n;
}

static void accept_one(struct debug_port *d)
{
	int fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int i;

	if (fd < 0)
		return;
	for (i = 0; i < DEBUG_PORT_CLIENTS && d->c[i].fd >= 0; i++)
		;
	if (i == DEBUG_PORT_CLIENTS) {
		close(fd);	/* full: like a card out of channels */
		return;
	}
	d->c[i].http = scws_http_new(d->site);
	if (!d->c[i].http) {
		close(fd);
		return;
	}
	d->c[i].fd = fd;
}

/* Moves bytes both ways; false when the connection is finished. */
static bool pump(struct client *c, short revents)
{
	uint8_t buf[4096];
	const uint8_t *out;
	size_t len;

	if (revents & (POLLIN | POLLHUP | POLLERR) && !c->eof) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), 0);

		if (n > 0 && scws_http_input(c->http, buf, (size_t)n) < 0)
			return false;
		if (n == 0) {
			c->eof = true;
			scws_http_input_end(c->http);
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
	}
	while ((len = scws_http_pending(c->http, &out)) > 0) {
		ssize_t n = send(c->fd, out, len, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		scws_http_consume(c->http, (size_t)n);
	}
	return !scws_http_done(c->http);
}

void debug_port_service(struct debug_port *d, const struct pollfd *pfd, int n)
{
	if (n < 1)
		return;
	if (pfd[0].revents & POLLIN)
		accept_one(d);
	for (int k = 1; k < n; k++) {
		for (int i = 0; i < DEBUG_PORT_CLIENTS; i++) {
			if (d->c[i].fd != pfd[k].fd)
				continue;
			if (!pump(&d->c[i], pfd[k].revents))
				drop(&d->c[i]);
			break;
		}
	}
}
