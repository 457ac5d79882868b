// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm_gw.c - the DM_SC Gateway's socket (see dm_gw.h, dmsc-msg.h).
 *
 * SOCK_SEQPACKET keeps message boundaries and tells us at once when the
 * client goes: the connection is the registration.  One connection at a
 * time: a second one is refused with "ERR busy" and closed, so the card
 * never has two DM clients to choose from.  The caller's credentials
 * (SO_PEERCRED) are logged and checked before a byte is read: root or
 * --dm-user.  Anything but one well-formed REGISTER gets "ERR bad-request"
 * with the reason, and the connection is closed.
 */
#include "dm_gw.h"
#include "dmsc-msg.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct dm_gw {
	struct bipd *b;
	struct loop *loop;
	const char *path;
	long allowed_uid;		/* besides root; -1: root only */
	struct watch srv;		/* the listening socket */
	struct watch conn;		/* fd -1: no client connected */
	struct ucred peer;		/* the connected client */
	bool registered;
	char name[DMSC_NAME_MAX + 1];
	char out[DMSC_MSG_MAX + 1];
};

static void say(int fd, const char *msg, size_t n)
{
	if (n && send(fd, msg, n, MSG_DONTWAIT | MSG_NOSIGNAL) < (ssize_t)n)
		log_info("DM socket: a reply was not written whole");
}

static void say_err(int fd, const char *code, const char *text)
{
	char buf[DMSC_CODE_MAX + DMSC_TEXT_MAX + 8];

	say(fd, buf, dmsc_fmt_err(buf, sizeof(buf), code, text));
}

/* The client is gone (or thrown out): the card hears of it. */
static void conn_drop(struct dm_gw *g)
{
	if (g->conn.fd < 0)
		return;
	loop_del(&g->conn);
	close(g->conn.fd);
	g->conn.fd = -1;
	if (!g->registered)
		return;
	g->registered = false;
	log_notice("DM client '%s' (pid %d) went away", g->name,
		   (int)g->peer.pid);
	ev_queue_local(g->b, NULL);
	bip_dm_client_gone(g->b);
}

static void refuse(struct dm_gw *g, const char *why)
{
	log_warn("DM socket: pid %d uid %u: %s", (int)g->peer.pid,
		 (unsigned int)g->peer.uid, why);
	say_err(g->conn.fd, "bad-request", why);
	conn_drop(g);
}

static void on_message(struct dm_gw *g, const char *buf, size_t n)
{
	struct dmsc_msg *m = malloc(sizeof(*m));
	const char *why = NULL;

	if (!m) {
		refuse(g, "out of memory");
		return;
	}
	if (dmsc_msg_parse(buf, n, m, &why)) {
		refuse(g, why);
	} else if (m->type != DMSC_REGISTER) {
		refuse(g, "only REGISTER is accepted from a DM client");
	} else if (g->registered) {
		refuse(g, "already registered");
	} else {
		strcpy(g->name, m->name);
		g->registered = true;
		say(g->conn.fd, "OK", 2);
		log_notice("DM client '%s' registered (pid %d, uid %u)%s",
			   g->name, (int)g->peer.pid,
			   (unsigned int)g->peer.uid,
			   g->b->ev_local ? "" : "; the card has not asked "
			   "for Local connection events (yet)");
		ev_queue_local(g->b, g->name);
	}
	free(m);
}

static void conn_io(struct watch *w, uint32_t events)
{
	struct dm_gw *g = w->arg;
	ssize_t n;

	if (g->conn.fd < 0)
		return;
	n = recv(g->conn.fd, g->out, sizeof(g->out) - 1,
		 MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		if (events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR))
			conn_drop(g);
		return;
	}
	if (n <= 0) {
		conn_drop(g);
		return;
	}
	if ((size_t)n >= sizeof(g->out)) {
		refuse(g, "message too long");
		return;
	}
	on_message(g, g->out, (size_t)n);
}

static bool allowed(const struct dm_gw *g, const struct ucred *cr)
{
	return cr->uid == 0 ||
	       (g->allowed_uid >= 0 && cr->uid == (uid_t)g->allowed_uid);
}

static void accept_ready(struct watch *w, uint32_t events)
{
	struct dm_gw *g = w->arg;

	(void)events;
	for (;;) {
		int fd = accept4(w->fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct ucred cr = { .pid = 0 };
		socklen_t len = sizeof(cr);
		char text[DMSC_TEXT_MAX];

		if (fd < 0)
			return;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
			log_warn("DM socket: no peer credentials: %s",
				 strerror(errno));
			close(fd);
			continue;
		}
		log_info("DM socket: connection from pid %d uid %u gid %u",
			 (int)cr.pid, (unsigned int)cr.uid,
			 (unsigned int)cr.gid);
		if (!allowed(g, &cr)) {
			log_warn("DM socket: pid %d uid %u refused: not root "
				 "nor --dm-user", (int)cr.pid,
				 (unsigned int)cr.uid);
			snprintf(text, sizeof(text), "uid %u may not register",
				 (unsigned int)cr.uid);
			say_err(fd, "denied", text);
			close(fd);
			continue;
		}
		if (g->conn.fd >= 0) {
			log_warn("DM socket: pid %d refused: %s (pid %d) is "
				 "connected", (int)cr.pid,
				 g->registered ? g->name : "a client",
				 (int)g->peer.pid);
			snprintf(text, sizeof(text), "a DM client is "
				 "registered already (pid %d)",
				 (int)g->peer.pid);
			say_err(fd, "busy", text);
			close(fd);
			continue;
		}
		g->conn.fd = fd;
		g->peer = cr;
		g->registered = false;
		if (loop_add(g->loop, &g->conn, EPOLLIN | EPOLLRDHUP)) {
			close(fd);
			g->conn.fd = -1;
		}
	}
}

/* ---- the engine's hooks ---- */

static const char *client(void *gw)
{
	struct dm_gw *g = gw;

	return g->registered ? g->name : NULL;
}

static int deliver(void *gw, const uint8_t *data, size_t len)
{
	struct dm_gw *g = gw;
	size_t n;

	if (!g->registered)
		return -ENOTCONN;
	n = dmsc_fmt_notify(g->out, sizeof(g->out), data, len);
	if (!n)
		return -EMSGSIZE;
	if (send(g->conn.fd, g->out, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		int err = -errno;

		if (err != -EAGAIN)
			conn_drop(g);
		return err;
	}
	log_notice("DM notification (%zu bytes) handed to DM client '%s'",
		   len, g->name);
	return 0;
}

static const struct dm_gw_ops ops = { .client = client, .deliver = deliver };

/* ---- the socket ---- */

static int srv_open(struct dm_gw *g)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[sizeof(sa.sun_path)];
	char *slash;
	mode_t old;
	int fd, err;

	if (strlen(g->path) >= sizeof(sa.sun_path)) {
		log_err("%s: socket path too long", g->path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, g->path);
	strcpy(dir, g->path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {	/* /run/scws may not exist yet */
		*slash = '\0';
		mkdir(dir, 0755);
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(g->path);	/* a stale socket of an earlier run */
	old = umask(077);	/* nobody else can connect meanwhile */
	err = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (err < 0 || chmod(g->path, 0600) < 0 || listen(fd, 4) < 0 ||
	    (g->allowed_uid >= 0 &&
	     chown(g->path, (uid_t)g->allowed_uid, (gid_t)-1) < 0)) {
		err = -errno;
		log_err("%s: %s", g->path, strerror(-err));
		close(fd);
		return err;
	}
	g->srv.fd = fd;
	g->srv.fn = accept_ready;
	g->srv.arg = g;
	err = loop_add(g->loop, &g->srv, EPOLLIN);
	if (err) {
		close(fd);
		g->srv.fd = -1;
		return err;
	}
	log_notice("%s: listening (DM_SC Gateway)", g->path);
	return 0;
}

int dm_gw_open(struct dm_gw **gp, struct bipd *b, struct loop *l,
	       const struct bipd_opts *o)
{
	struct dm_gw *g = calloc(1, sizeof(*g));
	int err;

	*gp = NULL;
	if (!g)
		return -ENOMEM;
	g->b = b;
	g->loop = l;
	g->path = o->dm_socket;
	g->allowed_uid = o->dm_uid;
	g->srv.fd = g->conn.fd = -1;
	g->conn.fn = conn_io;
	g->conn.arg = g;
	err = srv_open(g);
	if (err) {
		free(g);
		return err;
	}
	b->dm_ops = &ops;
	b->dm_gw = g;
	*gp = g;
	return 0;
}

void dm_gw_close(struct dm_gw *g)
{
	if (!g)
		return;
	conn_drop(g);
	g->b->dm_ops = NULL;
	g->b->dm_gw = NULL;
	loop_del(&g->srv);
	close(g->srv.fd);
	unlink(g->path);
	free(g);
}
