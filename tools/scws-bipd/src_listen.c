// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * src_listen.c - TEST TOOLING (--no-module PORTMAP): the pump listens on
 * 127.0.0.1 itself, for hosts where the scws module cannot be loaded.
 *
 * A card port P mapped to local port L listens on 127.0.0.1:L while the
 * card has channels on P.  Connections are accepted while the pump has
 * room for them (--max-clients): as with the module, those that find no
 * free channel wait in the pump's own FIFO (sched.c); beyond the room they
 * wait in the kernel's accept backlog, as in the module's queue in the
 * real setup.  There is no access control here: any local process can
 * reach the card.
 */
#include "sources.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BACKLOG 512

struct listener {
	uint16_t card_port;
	uint16_t local_port;
	struct watch watch;	/* fd -1 while closed */
	struct src_listen *owner;
};

struct src_listen {
	struct bipd *b;
	struct loop *loop;
	struct listener l[BIPD_MAX_PORTS];
	unsigned int n;
};

static void accept_ready(struct watch *w, uint32_t events)
{
	struct listener *li = w->arg;
	struct src_listen *s = li->owner;
	struct sockaddr_in peer;
	char desc[96], addr[INET_ADDRSTRLEN];

	(void)events;
	while (bipd_port_room(s->b, li->card_port)) {
		socklen_t len = sizeof(peer);
		int fd = accept4(w->fd, (struct sockaddr *)&peer, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				log_warn("accept on port %u: %s",
					 li->local_port, strerror(errno));
			break;
		}
		inet_ntop(AF_INET, &peer.sin_addr, addr, sizeof(addr));
		snprintf(desc, sizeof(desc), "peer=%s:%u (no module: caller "
			 "not checked)", addr, ntohs(peer.sin_port));
		if (bipd_conn_bind(s->b, li->card_port, fd, desc))
			close(fd);
	}
}

static int listener_open(struct src_listen *s, struct listener *li)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(li->local_port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int one = 1, err;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, BACKLOG) < 0) {
		err = -errno;
		log_err("no-module: cannot listen on 127.0.0.1:%u: %s",
			li->local_port, strerror(-err));
		close(fd);
		return err;
	}
	li->watch.fd = fd;
	li->watch.fn = accept_ready;
	li->watch.arg = li;
	err = loop_add(s->loop, &li->watch, 0);
	if (err) {
		close(fd);
		li->watch.fd = -1;
		return err;
	}
	log_notice("no-module: card port %u listening on 127.0.0.1:%u",
		   li->card_port, li->local_port);
	return 0;
}

static void listener_close(struct listener *li)
{
	if (li->watch.fd < 0)
		return;
	loop_del(&li->watch);
	close(li->watch.fd);	/* the backlog is reset: as the module does */
	li->watch.fd = -1;
	log_notice("no-module: card port %u closed", li->card_port);
}

static struct listener *find(struct src_listen *s, uint16_t card_port)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (s->l[i].card_port == card_port)
			return &s->l[i];
	return NULL;
}

static int listen_port_set(void *arg, uint16_t port, unsigned int channels,
			   unsigned int capacity)
{
	struct src_listen *s = arg;
	struct listener *li = find(s, port);

	(void)capacity;		/* offer() follows the free count itself */
	if (!li)
		return -EADDRNOTAVAIL;
	if (!channels) {
		listener_close(li);
		return 0;
	}
	if (li->watch.fd < 0 && listener_open(s, li))
		return -EADDRNOTAVAIL;
	return 0;
}

/* Accept only while the pump has room for the port. */
static void listen_offer(void *arg)
{
	struct src_listen *s = arg;

	for (unsigned int i = 0; i < s->n; i++) {
		struct listener *li = &s->l[i];

		if (li->watch.fd >= 0)
			loop_mod(&li->watch, bipd_port_room(s->b, li->card_port) ?
				 EPOLLIN : 0);
	}
}

static const struct conn_source_ops listen_ops = {
	.port_set = listen_port_set,
	.offer = listen_offer,
};

int src_listen_open(struct conn_source *src, struct bipd *b, struct loop *l,
		    const struct bipd_opts *o)
{
	struct src_listen *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->b = b;
	s->loop = l;
	for (unsigned int i = 0; i < o->n_map; i++) {
		s->l[i].card_port = o->map[i].card_port;
		s->l[i].local_port = o->map[i].local_port;
		s->l[i].watch.fd = -1;
		s->l[i].owner = s;
	}
	s->n = o->n_map;
	log_warn("TEST TOOLING: --no-module, connections are not checked "
		 "against any access control policy");
	src->ops = &listen_ops;
	src->src = s;
	return 0;
}

void src_listen_close(struct conn_source *src)
{
	struct src_listen *s = src->src;

	if (!s)
		return;
	for (unsigned int i = 0; i < s->n; i++)
		listener_close(&s->l[i]);
	free(s);
	src->src = NULL;
}
