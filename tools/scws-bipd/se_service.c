// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * se_service.c - the APDU access service (se_service.h): the socket,
 * connections, sessions and channels, the card exchanges.
 */
#include "se_int.h"
#include "log.h"
#include "se-apdu.h"
#include "se-proto.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

enum { INS_MANAGE_CHANNEL = 0x70, INS_SELECT = 0xA4 };

static uint8_t out_buf[SE_PROTO_MSG_MAX];
static uint8_t in_buf[SE_PROTO_MSG_MAX];
static struct apdu_resp resp;

/* ---- answers ---- */

static void send_answer(struct se_conn *c, uint8_t op, uint8_t status,
			const uint8_t *a, size_t alen, const uint8_t *b,
			size_t blen)
{
	size_t n = se_proto_header(out_buf, op | SE_PROTO_ANSWER,
				   1 + alen + blen);

	out_buf[n++] = status;
	if (alen)
		memcpy(out_buf + n, a, alen);
	n += alen;
	if (blen)
		memcpy(out_buf + n, b, blen);
	n += blen;
	if (send(c->w.fd, out_buf, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_info("se: pid %d: answer not sent: %s", (int)c->peer.pid,
			 strerror(errno));
}

static void fail(struct se_conn *c, uint8_t op, enum se_status st,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void fail(struct se_conn *c, uint8_t op, enum se_status st,
		 const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_info("se: pid %d: %s", (int)c->peer.pid, msg);
	send_answer(c, op, st, (const uint8_t *)msg, strlen(msg), NULL, 0);
}

/* ---- the card ---- */

static bool card_up(const struct se_service *s)
{
	return s->b->card && !s->b->card_failed;
}

/* One command to the card; 91xx (a proactive command waits) goes to the
 * toolkit session and the caller sees 90 00.  0, -EMSGSIZE, or the link
 * failed (the card is dropped by the main loop). */
static int card_cmd(struct se_service *s, uint8_t cla, uint8_t ins,
		    uint8_t p1, uint8_t p2, const uint8_t *data, size_t nc,
		    size_t ne)
{
	int64_t t0 = se_now_us();
	int err = apdu_xfer(s->b->card, APDU_OTHER, cla, ins, p1, p2, data,
			    nc, ne, &resp);

	s->credit_us -= se_now_us() - t0;

	if (err && err != -EMSGSIZE) {
		log_warn("se: card link failed");
		s->b->card_failed = true;
		return err;
	}
	if (!err) {
		cat_note_sw(s->b, resp.sw);
		if (SW1(resp.sw) == 0x91)
			resp.sw = SW_OK;
		/* Any exchange gave the card its chance to speak. */
		s->b->next_poll = s->b->clock() + s->b->opts->poll_ms;
	}
	return err;
}

/* The SIM or the eSE (se_ese.h): up, its generation, one command. */
static bool rd_up(struct se_service *s, uint8_t rd)
{
	return rd == SE_RD_ESE ? s->ese && se_ese_up(s->ese) : card_up(s);
}

static uint32_t rd_gen(const struct se_service *s, uint8_t rd)
{
	return rd == SE_RD_ESE ? se_ese_gen(s->ese) : s->gen;
}

static int rd_cmd(struct se_service *s, uint8_t rd, uint8_t cla, uint8_t ins,
		  uint8_t p1, uint8_t p2, const uint8_t *data, size_t nc,
		  size_t ne)
{
	if (rd == SE_RD_ESE)
		return se_ese_xfer(s->ese, cla, ins, p1, p2, data, nc, ne,
				   &resp);
	return card_cmd(s, cla, ins, p1, p2, data, nc, ne);
}

static void close_card_channel(struct se_service *s, struct se_channel *ch)
{
	uint8_t cla = 0x00;

	/* MANAGE CHANNEL close on the channel itself: the eSE's basic
	 * channel is not ours to use either. */
	if (ch->rd == SE_RD_ESE)
		se_apdu_cla_for(0x00, ch->card_chan, &cla);
	if (ch->gen == rd_gen(s, ch->rd) && rd_up(s, ch->rd) &&
	    !rd_cmd(s, ch->rd, cla, INS_MANAGE_CHANNEL, 0x80, ch->card_chan,
		    NULL, 0, 0) && resp.sw != SW_OK)
		log_warn("se: closing logical channel %u: SW %04X",
			 ch->card_chan, resp.sw);
	log_info("se: logical channel %u closed", ch->card_chan);
	ch->used = false;
}

/* ---- requests ---- */

static struct se_channel *channel_of(struct se_conn *c, uint8_t h)
{
	return h < SE_CHANNELS && c->ch[h].used ? &c->ch[h] : NULL;
}

static void hex(char *out, size_t cap, const uint8_t *p, size_t n)
{
	out[0] = '\0';
	for (size_t i = 0; i < n && 2 * i + 3 <= cap; i++)
		snprintf(out + 2 * i, 3, "%02X", p[i]);
}

static void op_list(struct se_conn *c, uint8_t op)
{
	uint8_t body[2 * (2 + SE_PROTO_READER_MAX)];
	size_t n = sizeof(SE_READER) - 1, at;

	body[0] = (uint8_t)n;
	memcpy(body + 1, SE_READER, n);
	body[1 + n] = card_up(c->s) ? 1 : 0;	/* flags: SE present */
	at = n + 2;
	if (c->s->ese) {
		n = sizeof(SE_ESE_READER) - 1;
		body[at] = (uint8_t)n;
		memcpy(body + at + 1, SE_ESE_READER, n);
		body[at + 1 + n] = se_ese_up(c->s->ese) ? 1 : 0;
		at += n + 2;
	}
	send_answer(c, op, SE_OK, body, at, NULL, 0);
}

static bool reader_is(const struct se_msg *m, const char *name)
{
	return m->len == strlen(name) && !memcmp(m->data, name, m->len);
}

static void op_open_session(struct se_conn *c, const struct se_msg *m)
{
	uint8_t rd = SE_RD_SIM;

	if (c->s->ese && reader_is(m, SE_ESE_READER))
		rd = SE_RD_ESE;
	else if (!reader_is(m, SE_READER))
		return fail(c, m->op, SE_ERR_NO_READER, "no reader '%.*s' "
			    "(there is '" SE_READER "'%s)", (int)m->len,
			    (const char *)m->data, c->s->ese ? " and '"
			    SE_ESE_READER "'" : "");
	for (uint8_t i = 0; i < SE_SESSIONS; i++) {
		if (!c->session[i]) {
			c->session[i] = true;
			c->session_rd[i] = rd;
			send_answer(c, m->op, SE_OK, &i, 1, NULL, 0);
			return;
		}
	}
	fail(c, m->op, SE_ERR_NO_CHANNEL, "too many sessions");
}

static void op_close_session(struct se_conn *c, const struct se_msg *m)
{
	if (m->handle >= SE_SESSIONS || !c->session[m->handle])
		return fail(c, m->op, SE_ERR_HANDLE, "no session %u",
			    m->handle);
	for (int i = 0; i < SE_CHANNELS; i++)
		if (c->ch[i].used && c->ch[i].session == m->handle)
			close_card_channel(c->s, &c->ch[i]);
	c->session[m->handle] = false;
	send_answer(c, m->op, SE_OK, NULL, 0, NULL, 0);
}

/*
 * The access decision for the caller and the AID: the admin's deny
 * first, then the card's rules, then the admin's allow where the card
 * has none.  True when allowed; d holds the filters.
 */

static bool p2_ok(uint8_t p2)
{
	return (p2 & 0xF3) == 0x00 || p2 == 0x02;
}

static void op_open(struct se_conn *c, const struct se_msg *m)
{
	struct se_service *s = c->s;
	struct se_channel *ch = NULL;
	struct se_caller caller, *who = &caller;
	struct seac_decision d;
	char why[200], aidhex[40];
	static const struct seac_rules no_rules;
	uint8_t cla, n, h = 0, rd;
	int err;

	hex(aidhex, sizeof(aidhex), m->data, m->len);
	if (m->handle >= SE_SESSIONS || !c->session[m->handle])
		return fail(c, m->op, SE_ERR_HANDLE, "no session %u",
			    m->handle);
	rd = c->session_rd[m->handle];
	if (m->op == SE_OP_OPEN_BASIC)
		return fail(c, m->op, SE_ERR_NO_CHANNEL, "the basic channel "
			    "carries the card's toolkit session: open a "
			    "logical channel");
	if (!p2_ok(m->p2))
		return fail(c, m->op, SE_ERR_UNSUPPORTED, "SELECT P2 %02X is "
			    "not one OMAPI allows", m->p2);
	if (!rd_up(s, rd))
		return fail(c, m->op, SE_ERR_NO_CARD, "no card%s",
			    rd == SE_RD_ESE ? " in the eSE reader" : "");
	for (h = 0; h < SE_CHANNELS && !ch; h++)
		if (!c->ch[h].used)
			ch = &c->ch[h];
	if (!ch)
		return fail(c, m->op, SE_ERR_NO_CHANNEL, "too many channels");
	h--;
	/* The eSE has no ARA-M: the admin's rules alone decide. */
	err = rd == SE_RD_ESE ? 0 : se_rules_update(s);
	if (err)
		return fail(c, m->op, err == -EIO ? SE_ERR_DENIED : SE_ERR_IO,
			    "the card's access rules cannot be read");
	/* After the rules: the card's certificates are trust anchors. */
	if (se_caller_get(&c->peer, s->anchors, s->n_anchors, who))
		return fail(c, m->op, SE_ERR_DENIED, "the caller's "
			    "executable cannot be identified");
	if (!se_decide(c, who, rd == SE_RD_ESE ? &no_rules : &s->rules,
		       m->data, m->len, &d, why, sizeof(why)) &&
	    rd == SE_RD_ESE && !strncmp(why, "denied by the card", 18))
		snprintf(why, sizeof(why), "the eSE has no access rules and "
			 "no local rule allows it");
	if (!d.allowed)
		return fail(c, m->op, SE_ERR_DENIED, "%s (uid %u, signature "
			    "%s) -> AID %s: %s", who->exe,
			    (unsigned int)c->peer.uid, who->sig,
			    aidhex[0] ? aidhex : "default", why);
	log_notice("se: %s (pid %d, uid %u, label %s, signature %s) -> %s AID "
		   "%s: %s", who->exe, (int)c->peer.pid,
		   (unsigned int)c->peer.uid,
		   c->peer.label[0] ? c->peer.label : "-", who->sig,
		   rd == SE_RD_ESE ? SE_ESE_READER : SE_READER,
		   aidhex[0] ? aidhex : "default", why);
	if (rd_cmd(s, rd, 0x00, INS_MANAGE_CHANNEL, 0x00, 0x00, NULL, 0, 1))
		return fail(c, m->op, SE_ERR_IO, "card link failed");
	if (resp.sw != SW_OK || resp.len != 1 || !resp.data[0] ||
	    resp.data[0] > SE_APDU_MAX_CHANNEL)
		return fail(c, m->op, SE_ERR_NO_CHANNEL, "the card opens no "
			    "more logical channels (SW %04X)", resp.sw);
	n = resp.data[0];
	memset(ch, 0, sizeof(*ch));
	ch->used = true;
	ch->session = m->handle;
	ch->card_chan = n;
	ch->gen = rd_gen(s, rd);
	ch->rd = rd;
	ch->dec = d;
	log_info("se: logical channel %u opened", n);
	if (m->len) {
		se_apdu_cla_for(0x00, n, &cla);
		err = rd_cmd(s, rd, cla, INS_SELECT, 0x04, m->p2, m->data,
			       m->len, (m->p2 & 0x0C) == 0x0C ? 0 : 256);
		if (err) {
			ch->used = false;
			return fail(c, m->op, SE_ERR_IO, "card link failed");
		}
		if (resp.sw != SW_OK && SW1(resp.sw) != 0x62 &&
		    SW1(resp.sw) != 0x63) {
			enum se_status st = resp.sw == 0x6A82 ||
					    resp.sw == 0x6999 ?
					    SE_ERR_NOT_FOUND :
					    resp.sw == 0x6A86 ?
					    SE_ERR_UNSUPPORTED : SE_ERR_IO;
			uint16_t sw = resp.sw;

			close_card_channel(s, ch);
			return fail(c, m->op, st, "SELECT %s answered SW %04X",
				    aidhex, sw);
		}
		memcpy(ch->select, resp.data, resp.len);
		ch->select[resp.len] = SW1(resp.sw);
		ch->select[resp.len + 1] = SW2(resp.sw);
		ch->select_len = resp.len + 2;
	}
	send_answer(c, m->op, SE_OK, &h, 1, ch->select, ch->select_len);
}

static struct se_channel *live_channel(struct se_conn *c,
				       const struct se_msg *m)
{
	struct se_channel *ch = channel_of(c, m->handle);

	if (!ch) {
		fail(c, m->op, SE_ERR_HANDLE, "no channel %u", m->handle);
		return NULL;
	}
	if (ch->gen != rd_gen(c->s, ch->rd) || !rd_up(c->s, ch->rd)) {
		fail(c, m->op, SE_ERR_CARD_GONE, "the card went away: channel "
		     "%u is closed, open a new one", m->handle);
		return NULL;	/* kept until closed (nothing on the card) */
	}
	return ch;
}

static void op_transmit(struct se_conn *c, const struct se_msg *m)
{
	struct se_channel *ch = live_channel(c, m);
	enum se_apdu_verdict v;
	struct se_apdu a;
	uint8_t hdr[4], sw[2];
	int err;

	if (!ch)
		return;
	v = se_apdu_check(m->data, m->len, ch->card_chan, &a);
	if (v != SE_APDU_OK)
		return fail(c, m->op, SE_ERR_REFUSED, "%s", se_apdu_verdict_name(v));
	/* Filters are written for channel 0. */
	if (!se_apdu_cla_for(a.cla, 0, &hdr[0]))
		hdr[0] = a.cla;
	hdr[1] = a.ins;
	hdr[2] = a.p1;
	hdr[3] = a.p2;
	if (!seac_apdu_allowed(&ch->dec, hdr))
		return fail(c, m->op, SE_ERR_REFUSED, "APDU %02X %02X %02X %02X "
			    "is not allowed by the access rule's filters",
			    hdr[0], hdr[1], hdr[2], hdr[3]);
	err = rd_cmd(c->s, ch->rd, a.cla, a.ins, a.p1, a.p2, a.data, a.nc,
		     a.ne);
	if (err == -EMSGSIZE)
		return fail(c, m->op, SE_ERR_REFUSED, "the card link takes no "
			    "extended APDU");
	if (err)
		return fail(c, m->op, SE_ERR_IO, "card link failed");
	sw[0] = SW1(resp.sw);
	sw[1] = SW2(resp.sw);
	send_answer(c, m->op, SE_OK, resp.data, resp.len, sw, 2);
}

static void op_select_response(struct se_conn *c, const struct se_msg *m)
{
	struct se_channel *ch = live_channel(c, m);

	if (ch)
		send_answer(c, m->op, SE_OK, ch->select, ch->select_len, NULL,
			    0);
}

static void op_close_channel(struct se_conn *c, const struct se_msg *m)
{
	struct se_channel *ch = channel_of(c, m->handle);

	if (!ch)
		return fail(c, m->op, SE_ERR_HANDLE, "no channel %u",
			    m->handle);
	close_card_channel(c->s, ch);
	send_answer(c, m->op, SE_OK, NULL, 0, NULL, 0);
}

/* ---- connections ---- */

static void conn_close(struct se_conn *c)
{
	struct se_service *s = c->s;

	for (int i = 0; i < SE_CHANNELS; i++)
		if (c->ch[i].used)
			close_card_channel(s, &c->ch[i]);
	loop_del(&c->w);
	close(c->w.fd);
	se_peer_drop(&c->peer);
	for (struct se_conn **pp = &s->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	s->n_conns--;
	log_info("se: pid %d disconnected", (int)c->peer.pid);
	free(c);
}

/* The sender of one datagram (SO_PASSCRED). */
static pid_t sender_of(struct msghdr *mh)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm;
	     cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_CREDENTIALS) {
			struct ucred u;

			memcpy(&u, CMSG_DATA(cm), sizeof(u));
			return u.pid;
		}
	}
	return 0;
}

static void on_conn(struct watch *w, uint32_t events)
{
	struct se_conn *c = w->arg;
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} cmsg;
	struct iovec iov = { in_buf, sizeof(in_buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cmsg.buf,
			     .msg_controllen = sizeof(cmsg.buf) };
	struct se_msg m;
	ssize_t n;
	int rc;

	/* One request per loop round, within the applications' share of
	 * the card link: the card's session gets its turn. */
	if (events & (EPOLLHUP | EPOLLERR)) {
		conn_close(c);	/* gone: nobody reads answers any more */
		return;
	}
	if (!se_share_ok(c->s)) {
		se_pause_conn(c->s, c);
		return;
	}
	n = recvmsg(w->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0 || (mh.msg_flags & MSG_TRUNC)) {
		conn_close(c);
		return;
	}
	rc = se_proto_parse_request(in_buf, (size_t)n, &m);
	if (rc < 0) {
		log_info("se: pid %d: not this protocol, disconnected",
			 (int)c->peer.pid);
		conn_close(c);
		return;
	}
	if (rc > 0)
		return fail(c, in_buf[1], (enum se_status)rc, "%s",
			    se_status_name((enum se_status)rc));
	if (sender_of(&mh) != c->peer.pid)
		return fail(c, m.op, SE_ERR_DENIED, "request from a process "
			    "other than the one that connected");
	switch (m.op) {
	case SE_OP_LIST:
		return op_list(c, m.op);
	case SE_OP_OPEN_SESSION:
		return op_open_session(c, &m);
	case SE_OP_CLOSE_SESSION:
		return op_close_session(c, &m);
	case SE_OP_OPEN_LOGICAL:
	case SE_OP_OPEN_BASIC:
		return op_open(c, &m);
	case SE_OP_TRANSMIT:
		return op_transmit(c, &m);
	case SE_OP_SELECT_RESPONSE:
		return op_select_response(c, &m);
	case SE_OP_CLOSE_CHANNEL:
		return op_close_channel(c, &m);
	default:
		return fail(c, m.op, SE_ERR_REQUEST, "unknown request");
	}
}

static void on_listen(struct watch *w, uint32_t events)
{
	struct se_service *s = w->arg;
	struct se_conn *c;
	int one = 1, fd;

	(void)events;
	fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c || s->n_conns >= SE_CONNS_MAX ||
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) ||
	    se_peer_get(fd, &c->peer)) {
		log_warn("se: connection refused (%s)", !c ? "no memory" :
			 s->n_conns >= SE_CONNS_MAX ? "too many" :
			 "no peer credentials");
		if (c)
			se_peer_drop(&c->peer);
		free(c);
		close(fd);
		return;
	}
	c->s = s;
	c->w.fd = fd;
	c->w.fn = on_conn;
	c->w.arg = c;
	if (loop_add(w->loop, &c->w, EPOLLIN)) {
		se_peer_drop(&c->peer);
		free(c);
		close(fd);
		return;
	}
	c->next = s->conns;
	s->conns = c;
	s->n_conns++;
	log_info("se: pid %d (uid %u, label %s) connected", (int)c->peer.pid,
		 (unsigned int)c->peer.uid,
		 c->peer.label[0] ? c->peer.label : "-");
}

/* /run/scws may not exist yet (no other state written). */
static void make_parent_dir(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
}

int se_service_open(struct se_service **sp, struct bipd *b, struct loop *l,
		    const struct bipd_opts *o)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct se_service *s;
	int fd, one = 1, err;

	if (strlen(o->se_socket) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->b = b;
	s->o = o;
	s->gen = 1;
	se_share_init(s);
	strcpy(sa.sun_path, o->se_socket);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		goto fail;
	}
	make_parent_dir(o->se_socket);
	unlink(o->se_socket);	/* a socket left by an earlier pump */
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	/* Access is decided per request; anyone may connect. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(o->se_socket, 0666) || listen(fd, 16)) {
		err = -errno;
		close(fd);
		goto fail;
	}
	s->listen.fd = fd;
	s->listen.fn = on_listen;
	s->listen.arg = s;
	err = loop_add(l, &s->listen, EPOLLIN);
	if (err) {
		close(fd);
		goto fail;
	}
	if (o->ese_reader && se_ese_new(&s->ese, o->ese_reader)) {
		err = -ENOMEM;
		loop_del(&s->listen);
		close(fd);
		goto fail;
	}
	se_load_trust_dir(s);
	log_notice("se: APDU access service on %s (%zu trusted certificates)",
		   o->se_socket, s->n_anchors);
	*sp = s;
	return 0;
fail:
	log_err("se: %s: %s", o->se_socket, strerror(-err));
	free(s);
	return err;
}

void se_service_close(struct se_service *s)
{
	if (!s)
		return;
	while (s->conns)
		conn_close(s->conns);
	loop_del(&s->listen);
	close(s->listen.fd);
	unlink(s->o->se_socket);
	seac_rules_free(&s->rules);
	se_anchors_drop(s, 0);
	se_ese_free(s->ese);
	free(s);
}

void se_service_card_lost(struct se_service *s)
{
	if (!s)
		return;
	s->gen++;
	s->rules_valid = false;
}
