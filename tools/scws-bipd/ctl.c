// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * ctl.c - the control socket and the push endpoint (see ctl.h).
 *
 * Each connection carries one request and gets one answer, then the pump
 * closes it.  The caller's uid is checked with SO_PEERCRED before a byte
 * is read: the file mode keeps others out already, the check makes sure
 * of it (a socket file can be reached through a directory that later
 * changed hands).  Connections live in a fixed table, so a watch stays
 * valid memory for the rest of an event-loop round (loop.c).
 */
#include "ctl.h"
#include "bipd-ctl.h"
#include "log.h"
#include "push_http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CTL_CONNS 16
#define CTL_IN_MAX PUSH_HTTP_MAX

enum ctl_kind { K_LINE, K_HTTP };

struct ctl;

struct ctl_srv {
	struct watch watch;	/* fd -1: not open */
	enum ctl_kind kind;
	const char *path;
	long allowed_uid;	/* besides root; -1: root only */
	struct ctl *c;
};

struct ctl_conn {
	struct watch watch;	/* fd -1: slot free */
	struct ctl_srv *srv;
	uint8_t in[CTL_IN_MAX];
	size_t len;
	bool waiting;		/* submitted, the card's answer is due */
	unsigned int uid;
};

struct ctl {
	struct bipd *b;
	struct loop *loop;
	struct ctl_srv srv[2];
	struct ctl_conn conns[CTL_CONNS];
};

static void conn_close(struct ctl_conn *cn)
{
	if (cn->watch.fd < 0)
		return;
	if (cn->waiting)
		dl_cancel(cn->srv->c->b, cn);
	loop_del(&cn->watch);
	close(cn->watch.fd);
	cn->watch.fd = -1;
	cn->waiting = false;
}

/* Replies are small and the socket's buffer is empty: one write. */
static void conn_answer(struct ctl_conn *cn, int status, const char *line,
			size_t n)
{
	char buf[CTL_LINE_MAX + 256];
	size_t len = n;
	const char *out = line;

	if (cn->srv->kind == K_HTTP) {
		int k = snprintf(buf, sizeof(buf), "HTTP/1.1 %d %s\r\n"
				 "Content-Type: text/plain\r\n"
				 "Content-Length: %zu\r\n"
				 "Connection: close\r\n\r\n%.*s", status,
				 push_http_reason(status), n, (int)n, line);

		if (k < 0 || (size_t)k >= sizeof(buf))
			k = 0;
		out = buf;
		len = (size_t)k;
	}
	if (len && send(cn->watch.fd, out, len, MSG_DONTWAIT | MSG_NOSIGNAL) <
	    (ssize_t)len)
		log_warn("control: answer to uid %u not written whole",
			 cn->uid);
	conn_close(cn);
}

static void answer_err(struct ctl_conn *cn, int status, const char *code,
		       const char *text)
{
	char line[CTL_LINE_MAX];
	size_t n = ctl_format_err(line, sizeof(line), code, text);

	conn_answer(cn, status, line, n);
}

static void download_done(void *arg, const struct dl_result *r)
{
	struct ctl_conn *cn = arg;
	char line[CTL_LINE_MAX];
	size_t n;

	cn->waiting = false;
	switch (r->err) {
	case 0:
		n = ctl_format_ok(line, sizeof(line), r->sw, r->data,
				  r->len > CTL_POR_MAX ? CTL_POR_MAX : r->len);
		conn_answer(cn, 200, line, n);
		break;
	case -ENODEV:
		answer_err(cn, 503, CTL_E_NO_CARD, "no card connected");
		break;
	case -EBUSY:
		answer_err(cn, 503, CTL_E_BUSY,
			   "the card stayed busy (93 00): try again later");
		break;
	default:
		answer_err(cn, 503, CTL_E_FULL,
			   "too many downloads waiting: try again later");
		break;
	}
}

static void submit(struct ctl_conn *cn, const uint8_t *smsc, size_t smsc_len,
		   const uint8_t *tpdu, size_t tpdu_len)
{
	uint8_t env[SMS_PP_ENVELOPE_MAX];
	size_t n = sms_pp_envelope(smsc, smsc_len, tpdu, tpdu_len, env,
				   sizeof(env));

	if (!n) {
		answer_err(cn, 400, CTL_E_BAD_REQUEST, "ENVELOPE too long");
		return;
	}
	log_notice("SMS-PP download from uid %u (%s): %zu-byte TPDU", cn->uid,
		   cn->srv->kind == K_HTTP ? "push gateway" : "control", tpdu_len);
	cn->waiting = true;
	loop_mod(&cn->watch, EPOLLRDHUP);	/* notice a caller that left */
	dl_submit(cn->srv->c->b, env, n, download_done, cn);
}

static void line_request(struct ctl_conn *cn, size_t n)
{
	struct ctl_request r;
	const char *why;

	if (ctl_parse_request((const char *)cn->in, n, &r, &why)) {
		log_warn("control: uid %u: %s", cn->uid, why);
		answer_err(cn, 400, CTL_E_BAD_REQUEST, why);
		return;
	}
	if (r.cmd == CTL_REQ_PING) {
		struct bipd *b = cn->srv->c->b;

		if (b->card && !b->card_failed)
			conn_answer(cn, 200, "OK\n", 3);
		else
			answer_err(cn, 503, CTL_E_NO_CARD, "no card connected");
		return;
	}
	submit(cn, r.smsc, r.smsc_len, r.tpdu, r.tpdu_len);
}

static void http_request(struct ctl_conn *cn)
{
	struct push_http_req hr;
	struct rp_data rp;
	int st = push_http_parse(cn->in, cn->len, &hr);

	if (st == -EAGAIN)
		return;
	if (st) {
		log_warn("push endpoint: uid %u: request refused (%d %s)",
			 cn->uid, st, push_http_reason(st));
		answer_err(cn, st, CTL_E_BAD_REQUEST, push_http_reason(st));
		return;
	}
	if (rp_data_parse(hr.body, hr.body_len, &rp)) {
		log_warn("push endpoint: uid %u: body is not RP-DATA with an "
			 "SMS-DELIVER", cn->uid);
		answer_err(cn, 400, CTL_E_BAD_REQUEST,
			   "body is not RP-DATA carrying an SMS-DELIVER TPDU");
		return;
	}
	submit(cn, rp.smsc, rp.smsc_len, rp.tpdu, rp.tpdu_len);
}

static void conn_io(struct watch *w, uint32_t events)
{
	struct ctl_conn *cn = (struct ctl_conn *)w;
	ssize_t n;

	if (cn->watch.fd < 0)
		return;
	if (cn->waiting) {
		if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
			log_info("control: uid %u left before the card "
				 "answered", cn->uid);
			conn_close(cn);
		}
		return;
	}
	n = recv(cn->watch.fd, cn->in + cn->len, sizeof(cn->in) - cn->len,
		 MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(cn);
		return;
	}
	cn->len += (size_t)n;
	if (cn->srv->kind == K_HTTP) {
		http_request(cn);
		return;
	}
	{
		uint8_t *nl = memchr(cn->in, '\n', cn->len);

		if (nl) {
			line_request(cn, (size_t)(nl - cn->in));
			return;
		}
	}
	if (cn->len >= CTL_LINE_MAX)
		answer_err(cn, 400, CTL_E_BAD_REQUEST, "line too long");
}

static bool peer_allowed(struct ctl_srv *s, int fd, unsigned int *uid)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return false;
	*uid = cr.uid;
	return cr.uid == 0 || (s->allowed_uid >= 0 &&
			       cr.uid == (uid_t)s->allowed_uid);
}

static void accept_ready(struct watch *w, uint32_t events)
{
	struct ctl_srv *s = w->arg;
	struct ctl *c = s->c;

	(void)events;
	for (;;) {
		int fd = accept4(w->fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct ctl_conn *cn = NULL;
		unsigned int uid = 0;

		if (fd < 0)
			return;
		if (!peer_allowed(s, fd, &uid)) {
			log_warn("%s: uid %u refused", s->path, uid);
			close(fd);
			continue;
		}
		for (int i = 0; i < CTL_CONNS && !cn; i++)
			if (c->conns[i].watch.fd < 0)
				cn = &c->conns[i];
		if (!cn) {
			log_warn("%s: too many connections, one refused",
				 s->path);
			close(fd);
			continue;
		}
		cn->watch.fd = fd;
		cn->watch.fn = conn_io;
		cn->watch.arg = cn;
		cn->srv = s;
		cn->len = 0;
		cn->waiting = false;
		cn->uid = uid;
		if (loop_add(c->loop, &cn->watch, EPOLLIN | EPOLLRDHUP)) {
			close(fd);
			cn->watch.fd = -1;
		}
	}
}

static int srv_open(struct ctl *c, struct ctl_srv *s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(s->path) >= sizeof(sa.sun_path)) {
		log_err("%s: socket path too long", s->path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, s->path);
	/* /run/scws may not exist yet (tmpfs); its parent must. */
	{
		char dir[sizeof(sa.sun_path)];
		char *slash;

		strcpy(dir, s->path);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			mkdir(dir, 0755);
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(s->path);	/* a stale socket of an earlier run */
	/* Created 0600 (umask), so nobody else can connect meanwhile. */
	{
		mode_t old = umask(077);

		err = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		umask(old);
	}
	if (err < 0 || chmod(s->path, 0600) < 0 || listen(fd, 16) < 0 ||
	    (s->allowed_uid >= 0 &&
	     chown(s->path, (uid_t)s->allowed_uid, (gid_t)-1) < 0)) {
		err = -errno;
		log_err("%s: %s", s->path, strerror(-err));
		close(fd);
		return err;
	}
	s->watch.fd = fd;
	s->watch.fn = accept_ready;
	s->watch.arg = s;
	err = loop_add(c->loop, &s->watch, EPOLLIN);
	if (err) {
		close(fd);
		s->watch.fd = -1;
		return err;
	}
	log_notice("%s: listening (%s)", s->path, s->kind == K_HTTP ?
		   "push endpoint" : "control socket");
	return 0;
}

int ctl_open(struct ctl **cp, struct bipd *b, struct loop *l,
	     const struct bipd_opts *o)
{
	struct ctl *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return -ENOMEM;
	c->b = b;
	c->loop = l;
	for (int i = 0; i < CTL_CONNS; i++)
		c->conns[i].watch.fd = -1;
	c->srv[0] = (struct ctl_srv){ .kind = K_LINE, .path = o->ctl_socket,
				      .allowed_uid = -1, .c = c };
	c->srv[1] = (struct ctl_srv){ .kind = K_HTTP, .path = o->push_socket,
				      .allowed_uid = o->push_uid, .c = c };
	c->srv[0].watch.fd = c->srv[1].watch.fd = -1;
	*cp = c;
	err = dl_init(b);
	for (int i = 0; i < 2 && !err; i++)
		if (c->srv[i].path && *c->srv[i].path)
			err = srv_open(c, &c->srv[i]);
	if (err) {
		ctl_close(c);
		*cp = NULL;
	}
	return err;
}

void ctl_close(struct ctl *c)
{
	if (!c)
		return;
	for (int i = 0; i < CTL_CONNS; i++)
		conn_close(&c->conns[i]);
	dl_fini(c->b);
	for (int i = 0; i < 2; i++) {
		if (c->srv[i].watch.fd < 0)
			continue;
		loop_del(&c->srv[i].watch);
		close(c->srv[i].watch.fd);
		unlink(c->srv[i].path);
	}
	free(c);
}
