// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * se_service.c - the APDU access service (se_service.h): the socket,
 * sessions and channels, the access decision, the card exchanges.
 */
#include "se_service.h"
#include "aram_reader.h"
#include "log.h"
#include "scws-sig.h"
#include "se-apdu.h"
#include "se-local.h"
#include "se-proto.h"
#include "se_ident.h"
#include "seac-resolve.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/x509.h>

#define SE_READER "SIM1"	/* OMAPI's name for the first UICC */
#define SE_SESSIONS 8		/* per connection */
#define SE_CHANNELS 8		/* per connection */
#define SE_CONNS_MAX 64
#define SE_LOCAL_MAX (1 << 20)
#define SE_ANCHORS_MAX 64
#define DEFAULT_RULES "/etc/scws/se-rules"
/* Sharing the card link with the BIP session (docs/scheduling.md): while
 * the toolkit session is busy (a FETCH, TERMINAL RESPONSE or ENVELOPE in
 * the last SE_BIP_ACTIVE_MS), applications get SE_SHARE_PCT % of the
 * link's time, in bursts of up to SE_BURST_US; idle, all of it. */
#define SE_SHARE_PCT 8
#define SE_BIP_ACTIVE_MS 50
#define SE_BURST_US 2000
#define DEFAULT_TRUST "/etc/scws/trusted.d"

enum { INS_MANAGE_CHANNEL = 0x70, INS_SELECT = 0xA4 };

struct se_channel {
	bool used;
	uint8_t session;
	uint8_t card_chan;		/* 1..19 */
	uint32_t gen;			/* the card it was opened on */
	struct seac_decision dec;
	uint8_t select[APDU_RESP_MAX + 2];
	size_t select_len;
};

struct se_conn {
	struct se_conn *next;
	struct se_service *s;
	struct watch w;
	struct se_peer peer;
	bool paused;			/* waits for the applications' share */
	bool session[SE_SESSIONS];
	struct se_channel ch[SE_CHANNELS];
};

struct se_service {
	struct bipd *b;
	const struct bipd_opts *o;
	struct watch listen;
	struct se_conn *conns;
	unsigned int n_conns;
	uint32_t gen;			/* bumped when the card goes */
	/* the card's rules, for card generation rules_gen */
	bool rules_valid;
	uint32_t rules_gen;
	bool has_tag;
	uint8_t tag[8];
	struct seac_rules rules;
	X509 *anchors[SE_ANCHORS_MAX];
	size_t n_anchors, n_card_anchors;
	/* the applications' share of the card link */
	int64_t credit_us, credit_at_us;
	uint64_t bip_apdus;
	int64_t bip_last_us;
	int64_t resume_at_us;		/* paused connections: -1 none */
	uint64_t deferred;		/* requests that waited (stats) */
};

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

/* ---- sharing the card link ---- */

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Whether the toolkit session used the card lately. */
static bool bip_busy(struct se_service *s, int64_t now)
{
	const struct stats *st = &s->b->stats;
	uint64_t n = st->apdus[APDU_FETCH] + st->apdus[APDU_TR] +
		     st->apdus[APDU_ENVELOPE];

	if (n != s->bip_apdus) {
		s->bip_apdus = n;
		s->bip_last_us = now;
	}
	return now - s->bip_last_us < SE_BIP_ACTIVE_MS * 1000;
}

/* Brings the credit up to now: true when applications may use the card. */
static bool share_ok(struct se_service *s)
{
	int64_t now = now_us();

	if (!bip_busy(s, now))
		s->credit_us = SE_BURST_US;
	else
		s->credit_us += (now - s->credit_at_us) * SE_SHARE_PCT / 100;
	if (s->credit_us > SE_BURST_US)
		s->credit_us = SE_BURST_US;
	s->credit_at_us = now;
	return s->credit_us > 0;
}

/* A connection waits for the share: no more reading until resumed. */
static void pause_conn(struct se_service *s, struct se_conn *c)
{
	int64_t wait = -s->credit_us * 100 / SE_SHARE_PCT;

	c->paused = true;
	loop_mod(&c->w, 0);
	s->deferred++;
	if (s->resume_at_us < 0 || now_us() + wait < s->resume_at_us)
		s->resume_at_us = now_us() + wait;
}

int64_t se_service_tick(struct se_service *s)
{
	if (!s || s->resume_at_us < 0)
		return -1;
	if (now_us() < s->resume_at_us && !share_ok(s) &&
	    bip_busy(s, now_us()))
		return s->resume_at_us / 1000 + 1;
	s->resume_at_us = -1;
	for (struct se_conn *c = s->conns; c; c = c->next) {
		if (c->paused) {
			c->paused = false;
			loop_mod(&c->w, EPOLLIN);
		}
	}
	return -1;
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
	int64_t t0 = now_us();
	int err = apdu_xfer(s->b->card, APDU_OTHER, cla, ins, p1, p2, data,
			    nc, ne, &resp);

	s->credit_us -= now_us() - t0;

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

static void close_card_channel(struct se_service *s, struct se_channel *ch)
{
	if (ch->gen == s->gen && card_up(s) &&
	    !card_cmd(s, 0x00, INS_MANAGE_CHANNEL, 0x80, ch->card_chan, NULL,
		      0, 0) && resp.sw != SW_OK)
		log_warn("se: closing logical channel %u: SW %04X",
			 ch->card_chan, resp.sw);
	log_info("se: logical channel %u closed", ch->card_chan);
	ch->used = false;
}

/* ---- trust anchors and rules ---- */

static void anchors_drop(struct se_service *s, size_t from)
{
	for (size_t i = from; i < s->n_anchors; i++)
		X509_free(s->anchors[i]);
	s->n_anchors = from;
}

/* The manufacturer's certificates (the directory), kept first. */
static void load_trust_dir(struct se_service *s)
{
	const char *dir = s->o->se_trust_dir ? s->o->se_trust_dir :
			  DEFAULT_TRUST;
	struct dirent *e;
	DIR *d = opendir(dir);
	char path[PATH_MAX];

	if (!d)
		return;
	while ((e = readdir(d)) && s->n_anchors < SE_ANCHORS_MAX) {
		X509 *x;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		x = scws_sig_load_cert(path);
		if (x)
			s->anchors[s->n_anchors++] = x;
	}
	closedir(d);
	s->n_card_anchors = s->n_anchors;
}

static void card_cert(void *arg, const uint8_t *der, size_t len)
{
	struct se_service *s = arg;
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	if (x && s->n_anchors < SE_ANCHORS_MAX)
		s->anchors[s->n_anchors++] = x;
	else
		X509_free(x);
}

static void note(void *arg, uint16_t sw)
{
	cat_note_sw(arg, sw);
}

/*
 * The card's rules, read again when the card changed or the ARA-M's
 * refresh tag did (Android checks it at each channel opening too).
 * 0, -EIO (unreadable: no access), or a failed link.
 */
static int rules_update(struct se_service *s)
{
	struct aram_link al = { .link = s->b->card, .note = note,
				.arg = s->b };
	struct aram_answer a;
	struct seac_rules rs;
	char why[200];
	uint16_t sw;
	int err;

	if (s->rules_valid && s->rules_gen == s->gen && s->has_tag) {
		err = aram_read(&al, false, &a, &sw);
		if (!err && a.has_refresh && !memcmp(a.refresh, s->tag, 8)) {
			aram_answer_free(&a);
			return 0;
		}
		aram_answer_free(&a);
		if (al.dead)
			goto dead;
	}
	err = aram_read(&al, true, &a, &sw);
	if (al.dead)
		goto dead;
	seac_rules_free(&s->rules);
	s->rules_valid = false;
	anchors_drop(s, s->n_card_anchors);
	if (err == -ENOENT) {
		log_info("se: no ARA-M: only the local rules apply");
		s->rules_valid = true;
		s->rules_gen = s->gen;
		s->has_tag = false;
		return 0;
	}
	if (err) {
		log_warn("se: the card's access rules cannot be read (%s, SW "
			 "%04X): no access", strerror(-err), sw);
		return -EIO;
	}
	err = seac_parse(a.all, a.all_len, &rs, why, sizeof(why));
	if (err) {
		log_warn("se: the card's access rules are malformed (%s): "
			 "no access", why);
		aram_answer_free(&a);
		return -EIO;
	}
	if (a.certs)
		seac_parse_certs(a.certs, a.certs_len, card_cert, s);
	s->rules = rs;
	s->rules_valid = true;
	s->rules_gen = s->gen;
	s->has_tag = a.has_refresh;
	memcpy(s->tag, a.refresh, 8);
	log_info("se: %zu card rules, %zu trusted certificates", rs.n,
		 s->n_anchors);
	aram_answer_free(&a);
	return 0;
dead:
	s->b->card_failed = true;
	return -ENODEV;
}

/* The admin's file, read at each opening (it is small): edits apply at
 * once.  A missing file is no rule; a bad one denies (logged). */
static int local_load(struct se_service *s, struct se_local *l)
{
	const char *path = s->o->se_rules ? s->o->se_rules : DEFAULT_RULES;
	char *text, why[200];
	ssize_t n;
	int fd, err;

	memset(l, 0, sizeof(*l));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	text = malloc(SE_LOCAL_MAX);
	if (!text) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, text, SE_LOCAL_MAX);
	close(fd);
	if (n < 0 || n == SE_LOCAL_MAX) {
		free(text);
		return n < 0 ? -EIO : -E2BIG;
	}
	err = se_local_parse(text, (size_t)n, l, why, sizeof(why));
	free(text);
	if (err)
		log_warn("se: %s: %s: no access until it is fixed", path, why);
	return err;
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
	uint8_t body[2 + sizeof(SE_READER)];
	size_t n = sizeof(SE_READER) - 1;

	body[0] = (uint8_t)n;
	memcpy(body + 1, SE_READER, n);
	body[1 + n] = card_up(c->s) ? 1 : 0;	/* flags: SE present */
	send_answer(c, op, SE_OK, body, n + 2, NULL, 0);
}

static void op_open_session(struct se_conn *c, const struct se_msg *m)
{
	if (m->len != sizeof(SE_READER) - 1 ||
	    memcmp(m->data, SE_READER, m->len))
		return fail(c, m->op, SE_ERR_NO_READER, "no reader '%.*s' "
			    "(there is '" SE_READER "')", (int)m->len,
			    (const char *)m->data);
	for (uint8_t i = 0; i < SE_SESSIONS; i++) {
		if (!c->session[i]) {
			c->session[i] = true;
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
static bool decide(struct se_conn *c, const struct se_caller *who,
		   const uint8_t *aid, size_t aid_len,
		   struct seac_decision *d, char *why, size_t why_len)
{
	struct se_service *s = c->s;
	struct se_local_who lw = { .uid = c->peer.uid, .exe = who->exe,
				   .app = &who->app };
	const struct se_local_rule *lr;
	struct se_local local;
	int err = local_load(s, &local);

	memset(d, 0, sizeof(*d));
	if (err) {
		snprintf(why, why_len, "the local rules cannot be used");
		return false;
	}
	lr = se_local_match(&local, aid, aid_len, &lw);
	if (lr && !lr->allow) {
		snprintf(why, why_len, "denied by the local rules (line %u)",
			 lr->line);
		se_local_free(&local);
		return false;
	}
	seac_resolve(&s->rules, aid, aid_len, &who->app, d);
	if (d->step == SEAC_STEP_NONE && lr) {
		d->allowed = true;
		d->all_apdus = !lr->n_filters;
		d->n_filters = lr->n_filters;
		memcpy(d->filter, lr->filter, lr->n_filters * 8);
		snprintf(why, why_len, "allowed by the local rules (line %u)",
			 lr->line);
	} else {
		snprintf(why, why_len, "%s by the card: %s",
			 d->allowed ? "allowed" : "denied",
			 seac_step_name(d->step));
	}
	se_local_free(&local);
	return d->allowed;
}

/* OMAPI's SELECT P2 choices: first occurrence with FCI, FCP, FMD or no
 * response data (00, 04, 08, 0C); 02, next occurrence (selectNext). */
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
	uint8_t cla, n, h = 0;
	int err;

	hex(aidhex, sizeof(aidhex), m->data, m->len);
	if (m->handle >= SE_SESSIONS || !c->session[m->handle])
		return fail(c, m->op, SE_ERR_HANDLE, "no session %u",
			    m->handle);
	if (m->op == SE_OP_OPEN_BASIC)
		return fail(c, m->op, SE_ERR_NO_CHANNEL, "the basic channel "
			    "carries the card's toolkit session: open a "
			    "logical channel");
	if (!p2_ok(m->p2))
		return fail(c, m->op, SE_ERR_UNSUPPORTED, "SELECT P2 %02X is "
			    "not one OMAPI allows", m->p2);
	if (!card_up(s))
		return fail(c, m->op, SE_ERR_NO_CARD, "no card");
	for (h = 0; h < SE_CHANNELS && !ch; h++)
		if (!c->ch[h].used)
			ch = &c->ch[h];
	if (!ch)
		return fail(c, m->op, SE_ERR_NO_CHANNEL, "too many channels");
	h--;
	err = rules_update(s);
	if (err)
		return fail(c, m->op, err == -EIO ? SE_ERR_DENIED : SE_ERR_IO,
			    "the card's access rules cannot be read");
	/* After the rules: the card's certificates are trust anchors. */
	if (se_caller_get(&c->peer, s->anchors, s->n_anchors, who))
		return fail(c, m->op, SE_ERR_DENIED, "the caller's "
			    "executable cannot be identified");
	if (!decide(c, who, m->data, m->len, &d, why, sizeof(why)))
		return fail(c, m->op, SE_ERR_DENIED, "%s (uid %u, signature "
			    "%s) -> AID %s: %s", who->exe,
			    (unsigned int)c->peer.uid, who->sig,
			    aidhex[0] ? aidhex : "default", why);
	log_notice("se: %s (pid %d, uid %u, label %s, signature %s) -> AID "
		   "%s: %s", who->exe, (int)c->peer.pid,
		   (unsigned int)c->peer.uid,
		   c->peer.label[0] ? c->peer.label : "-", who->sig,
		   aidhex[0] ? aidhex : "default", why);
	if (card_cmd(s, 0x00, INS_MANAGE_CHANNEL, 0x00, 0x00, NULL, 0, 1))
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
	ch->gen = s->gen;
	ch->dec = d;
	log_info("se: logical channel %u opened", n);
	if (m->len) {
		se_apdu_cla_for(0x00, n, &cla);
		err = card_cmd(s, cla, INS_SELECT, 0x04, m->p2, m->data,
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
	if (ch->gen != c->s->gen || !card_up(c->s)) {
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
	err = card_cmd(c->s, a.cla, a.ins, a.p1, a.p2, a.data, a.nc, a.ne);
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
	if (!share_ok(c->s)) {
		pause_conn(c->s, c);
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
	s->resume_at_us = -1;
	s->credit_us = SE_BURST_US;
	s->credit_at_us = now_us();
	strcpy(sa.sun_path, o->se_socket);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		goto fail;
	}
	{
		/* /run/scws may not exist yet (no other state written). */
		char dir[sizeof(sa.sun_path)], *slash;

		strcpy(dir, o->se_socket);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			mkdir(dir, 0755);
		}
	}
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
	load_trust_dir(s);
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
	anchors_drop(s, 0);
	free(s);
}

void se_service_card_lost(struct se_service *s)
{
	if (!s)
		return;
	s->gen++;
	s->rules_valid = false;
}
