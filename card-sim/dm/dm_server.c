// SPDX-License-Identifier: GPL-2.0
/*
 * The card's DM server: sessions, authentication both ways, the
 * provisioning commands and the client's reports; see dm_server.h.
 */
#include "dm/dm_server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "dm-auth.h"
#include "dm-out.h"
#include "dm-syncml.h"
#include "dm/dm_identity.h"
#include "dm/dm_results.h"
#include "dm/dm_store.h"
#include "http/http.h"
#include "log.h"

#define DM_MAX_SESSIONS 4
#define ALERT_SERVER_INITIATED 1200
#define ALERT_CLIENT_INITIATED 1201
#define ALERT_NEXT_MESSAGE 1222
#define ALERT_SESSION_ABORT 1223
#define AUTH_MD5 "syncml:auth-md5"
#define GET_URI "./DevInfo/Mod"

enum dm_phase { PHASE_AUTH, PHASE_REPORTS };

struct dm_sess {
	bool used;
	uint64_t stamp;			/* for evicting the oldest */
	char sessionid[64], source[256];
	enum dm_phase phase;
	unsigned int auth_fails;
	unsigned int msgid;		/* the card's last MsgID */
	unsigned int add_cmdid, get_cmdid;
	int alert;
	bool by_notification;
	char devid[128];
	struct dm_prov prov;		/* the set as it was sent */
	bool sent[DM_PROV_MAX_ITEMS];
	int add_code;			/* a Status for the whole Add, if any */
	struct dm_results res;
};

struct dm_server {
	struct card_state *st;
	struct dm_sess sess[DM_MAX_SESSIONS];
	uint64_t clock;
	char notified_sid[8];		/* "" when none */
};

struct dm_server *dm_server_new(struct card_state *st)
{
	struct dm_server *s = calloc(1, sizeof(*s));
	struct dm_prov *p = malloc(sizeof(*p));
	int rc = s && p ? dm_prov_load(st, p) : -ENOMEM;

	free(p);
	if (rc) {
		/* Seeds the default set into a fresh state, checks a stored one. */
		card_err("dm: the provisioning set: %s", rc == -EINVAL ?
			 "the stored one is damaged" : strerror(-rc));
		free(s);
		return NULL;
	}
	s->st = st;
	return s;
}

void dm_server_free(struct dm_server *s)
{
	free(s);
}

struct card_state *dm_server_state(struct dm_server *s)
{
	return s->st;
}

void dm_server_notified(struct dm_server *s, unsigned int session_id)
{
	snprintf(s->notified_sid, sizeof(s->notified_sid), "%X",
		 session_id & 0xffff);
}

static struct dm_sess *find(struct dm_server *s, const struct dm_msg *m)
{
	for (size_t i = 0; i < DM_MAX_SESSIONS; i++) {
		struct dm_sess *x = &s->sess[i];

		if (x->used && !strcmp(x->sessionid, m->sessionid) &&
		    !strcmp(x->source, m->source))
			return x;
	}
	return NULL;
}

/* A free slot, or the one used longest ago. */
static struct dm_sess *slot(struct dm_server *s)
{
	struct dm_sess *old = &s->sess[0];

	for (size_t i = 0; i < DM_MAX_SESSIONS; i++) {
		if (!s->sess[i].used)
			return &s->sess[i];
		if (s->sess[i].stamp < old->stamp)
			old = &s->sess[i];
	}
	return old;
}

static void end(struct dm_sess *x)
{
	memset(x, 0, sizeof(*x));
}

static int alert_of(const struct dm_msg *m)
{
	for (size_t i = 0; i < m->ncmds; i++) {
		const struct dm_cmd *c = &m->cmds[i];
		int code;

		if (c->kind != DM_CMD_ALERT)
			continue;
		code = atoi(c->data);
		if (code == ALERT_SERVER_INITIATED || code == ALERT_CLIENT_INITIATED)
			return code;
	}
	return 0;
}

static void new_nonce(struct dm_nonce *n, char b64[DM_MD5_B64_SIZE])
{
	if (getrandom(n->b, DM_NONCE_BYTES, 0) != DM_NONCE_BYTES)
		abort();
	n->len = DM_NONCE_BYTES;
	dm_b64_encode(n->b, n->len, b64);
}

static const char *server_uri(void)
{
	return dm_identity()->addr;
}

/* The card's message to the client: its header, the Status for the
 * client's SyncHdr first. */
static struct dm_out *reply_begin(struct dm_sess *x, const struct dm_msg *m,
				  const char *cred, int hdr_code,
				  const char *chal_b64)
{
	struct dm_out *o = dm_out_begin(m->sessionid, ++x->msgid, m->source,
					server_uri(), cred);

	/* What the card's web server takes in one request. */
	dm_out_set_max_msg_size(o, HTTP_MAX_BODY);

	dm_out_status(o, m->msgid, "0", "SyncHdr", m->target, m->source,
		      hdr_code, chal_b64);
	return o;
}

/* Whether the client's Cred is the CLCRED one with the nonce the card
 * gave; the SyncHdr Status code. */
static int client_auth(struct dm_server *s, const struct dm_msg *m)
{
	const struct dm_identity *id = dm_identity();
	char want[DM_MD5_B64_SIZE];
	struct dm_nonce n;

	if (!m->cred_data)
		return DM_MISSING_CRED;
	if (!m->cred_type || strcmp(m->cred_type, AUTH_MD5))
		return DM_INVALID_CRED;
	dm_store_nonce(s->st, DM_KEY_CLIENT_NONCE, &n);
	dm_md5_cred(id->cli_name, id->cli_secret, n.b, n.len, want);
	if (strlen(m->cred_data) != strlen(want) ||
	    !dm_mem_equal(want, m->cred_data, strlen(want)))
		return DM_INVALID_CRED;
	return DM_AUTH_ACCEPTED;
}

/* dm/last for a session that got this far. */
static void record_last(struct dm_server *s, const struct dm_sess *x,
			const char *outcome)
{
	char buf[768];
	int n = snprintf(buf, sizeof(buf),
			 "session=%s\nclient=%s\ndevid=%s\nalert=%d\n"
			 "started-by=%s\noutcome=%s\ntime=%lld\n",
			 x->sessionid, x->source, x->devid, x->alert,
			 x->by_notification ? "notification" : "client",
			 outcome, (long long)card_clock_now());

	if (n > 0)
		card_state_set(s->st, DM_KEY_LAST, buf,
			       (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Package 1 (or its repetition after a challenge). */
static int package1(struct dm_server *s, struct dm_sess *x,
		    const struct dm_msg *m, struct dm_out **out)
{
	const struct dm_identity *id = dm_identity();
	char chal[DM_MD5_B64_SIZE], cred[DM_MD5_B64_SIZE];
	struct dm_nonce next, srv;
	int code = client_auth(s, m);

	/* A new client nonce either way: after a success for the next
	 * session, after a failure for the retry. */
	new_nonce(&next, chal);
	if (dm_store_set_nonce(s->st, DM_KEY_CLIENT_NONCE, &next))
		return -EIO;
	if (code != DM_AUTH_ACCEPTED) {
		char what[64];

		x->auth_fails++;
		snprintf(what, sizeof(what), "refused: client credentials (%d)", code);
		record_last(s, x, what);
		card_state_save(s->st);
		card_info("dm: session %s: client credentials %s (%u)", x->sessionid,
			  code == DM_MISSING_CRED ? "missing" : "wrong", x->auth_fails);
		*out = reply_begin(x, m, NULL, code, chal);
		/* Only Statuses, one per command received (DM Protocol 1.2
		 * 2.4.1); none was run, so each gets the header's code. */
		for (size_t i = 0; i < m->ncmds; i++)
			if (m->cmds[i].kind != DM_CMD_STATUS)
				dm_out_status(*out, m->msgid, m->cmds[i].cmdid,
					      m->cmds[i].name, NULL, NULL, code, NULL);
		if (x->auth_fails >= 2)
			end(x);
		return 0;
	}
	dm_store_nonce(s->st, DM_KEY_SERVER_NONCE, &srv);
	dm_md5_cred(id->srv_name, id->srv_secret, srv.b, srv.len, cred);
	struct dm_out *o = reply_begin(x, m, cred, DM_AUTH_ACCEPTED, chal);

	for (size_t i = 0; i < m->ncmds; i++) {
		const struct dm_cmd *c = &m->cmds[i];
		int ok = c->kind == DM_CMD_ALERT || c->kind == DM_CMD_REPLACE;

		if (c->kind == DM_CMD_STATUS || c->kind == DM_CMD_RESULTS)
			continue;
		if (c->kind != DM_CMD_REPLACE || !c->nitems) {
			dm_out_status(o, m->msgid, c->cmdid, c->name, NULL, NULL,
				      ok ? DM_OK : DM_NOT_SUPPORTED, NULL);
			continue;
		}
		/* DevInfo: taken note of, one Status per item. */
		for (size_t k = 0; k < c->nitems; k++) {
			const struct dm_item *it = &c->items[k];

			if (it->source && it->data &&
			    !strcmp(it->source, "./DevInfo/DevId"))
				dm_results_clean(x->devid, sizeof(x->devid), it->data);
			dm_out_status(o, m->msgid, c->cmdid, c->name, NULL,
				      it->source, DM_OK, NULL);
		}
	}
	if (dm_prov_load(s->st, &x->prov)) {
		x->prov.n = 0;
		card_err("dm: the stored provisioning set is damaged: none sent");
	}
	size_t pending = 0;

	for (size_t i = 0; i < x->prov.n; i++) {
		x->sent[i] = !dm_prov_delivered(s->st, &x->prov.items[i]);
		pending += x->sent[i];
	}
	if (pending) {
		x->add_cmdid = dm_out_cmd_begin(o, "Add");
		for (size_t i = 0; i < x->prov.n; i++) {
			const struct dm_prov_item *it = &x->prov.items[i];

			if (x->sent[i])
				dm_out_cmd_item(o, it->uri, it->format, it->type,
						strcmp(it->format, "node") ?
						it->data : NULL);
		}
	}
	x->get_cmdid = dm_out_cmd_begin(o, "Get");
	dm_out_cmd_item(o, GET_URI, NULL, NULL, NULL);
	x->phase = PHASE_REPORTS;
	x->auth_fails = 0;
	card_info("dm: session %s with %s: %zu items to provision", x->sessionid,
		  x->source, pending);
	*out = o;
	return 0;
}

/* The client's Status for the card's SyncHdr: the next server nonce, or
 * the client refusing the card's credentials. */
static int header_status(struct dm_server *s, const struct dm_cmd *c,
			 bool *refused)
{
	int code = atoi(c->data);

	if (c->chal_nonce) {
		struct dm_nonce n;

		if (dm_b64_decode(c->chal_nonce, n.b, sizeof(n.b), &n.len))
			return -EINVAL;
		if (dm_store_set_nonce(s->st, DM_KEY_SERVER_NONCE, &n))
			return -EIO;
	}
	*refused = code != DM_OK && code != DM_AUTH_ACCEPTED;
	return 0;
}

/* Package 3 and later: what the client reports. */
static int reports(struct dm_server *s, struct dm_sess *x,
		   const struct dm_msg *m, struct dm_out **out, bool *done,
		   bool *final)
{
	char add_id[16], get_id[16];
	bool refused = false, aborted = false;
	int rc;

	snprintf(add_id, sizeof(add_id), "%u", x->add_cmdid);
	snprintf(get_id, sizeof(get_id), "%u", x->get_cmdid);
	for (size_t i = 0; i < m->ncmds; i++) {
		const struct dm_cmd *c = &m->cmds[i];

		if (c->kind == DM_CMD_STATUS && !strcmp(c->cmdref, "0")) {
			rc = header_status(s, c, &refused);
			if (rc)
				return rc;
		} else if (c->kind == DM_CMD_STATUS && x->add_cmdid &&
			   !strcmp(c->cmdref, add_id)) {
			/* Without TargetRef: one Status for every item. */
			if (c->targetref)
				dm_results_add(&x->res, "Add", c->targetref,
					       atoi(c->data), NULL);
			else
				x->add_code = atoi(c->data);
		} else if (c->kind == DM_CMD_STATUS && !strcmp(c->cmdref, get_id)) {
			dm_results_add(&x->res, "Get", c->targetref ? c->targetref :
				       GET_URI, atoi(c->data), NULL);
		} else if (c->kind == DM_CMD_RESULTS && !strcmp(c->cmdref, get_id) &&
			   c->nitems) {
			dm_results_value(&x->res, "Get", c->items[0].source,
					 c->items[0].data);
		} else if (c->kind == DM_CMD_ALERT && atoi(c->data) == ALERT_SESSION_ABORT) {
			aborted = true;
		}
	}
	struct dm_out *o = reply_begin(x, m, NULL, DM_OK, NULL);

	for (size_t i = 0; i < m->ncmds; i++) {
		const struct dm_cmd *c = &m->cmds[i];
		int code = DM_OK;

		if (c->kind == DM_CMD_STATUS)
			continue;
		if (c->kind == DM_CMD_ALERT) {
			int a = atoi(c->data);

			code = a == ALERT_NEXT_MESSAGE || a == ALERT_SESSION_ABORT ?
			       DM_OK : DM_NOT_SUPPORTED;
		} else if (c->kind != DM_CMD_RESULTS) {
			code = DM_NOT_SUPPORTED;
		}
		dm_out_status(o, m->msgid, c->cmdid, c->name, NULL, NULL, code, NULL);
	}
	*out = o;
	if (!m->final && !refused && !aborted) {
		/* More of the client's package to come: ask for it. */
		dm_out_alert(o, ALERT_NEXT_MESSAGE, NULL, NULL, NULL, NULL);
		*final = false;
		return 0;
	}
	*done = true;
	if (refused || aborted) {
		record_last(s, x, refused ? "refused: the client did not accept "
			    "the card's credentials" : "aborted by the client");
		return card_state_save(s->st) ? -EIO : 0;
	}
	/* What the client took is delivered: 200, or 418 (it had it). */
	for (size_t i = 0; i < x->prov.n; i++) {
		const struct dm_prov_item *it = &x->prov.items[i];
		int code = x->sent[i] ? dm_results_code(&x->res, "Add", it->uri) : 0;

		if (x->sent[i] && !code && x->add_code) {
			code = x->add_code;
			dm_results_add(&x->res, "Add", it->uri, code, NULL);
		}
		if ((code == DM_OK || code == DM_ALREADY_EXISTS) &&
		    dm_prov_mark_delivered(s->st, it))
			return -EIO;
	}
	if (dm_results_store(s->st, &x->res, x->sessionid))
		return -EIO;
	record_last(s, x, "completed");
	card_info("dm: session %s completed: %zu results", x->sessionid, x->res.n);
	return card_state_save(s->st) ? -EIO : 0;
}

static int handle_msg(struct dm_server *s, const struct dm_msg *m,
		      struct dm_out **out, bool *final, char *err,
		      size_t err_size)
{
	struct dm_sess *x = find(s, m);
	int alert = alert_of(m);
	bool done = false;
	int rc;

	if (strlen(m->sessionid) >= sizeof(x->sessionid) ||
	    strlen(m->source) >= sizeof(x->source) || !*m->sessionid) {
		snprintf(err, err_size, "SessionID or Source LocURI too long or empty");
		return 400;
	}
	if (x && x->phase == PHASE_REPORTS && alert) {
		/* Starting over would let anyone who knows the SessionID
		 * drop an authenticated session. */
		snprintf(err, err_size, "session %s with %s is under way: "
			 "package 1 again is refused", m->sessionid, m->source);
		return 400;
	}
	if (!x) {
		if (!alert) {
			snprintf(err, err_size, "no session %s with %s, and no "
				 "Alert 1200/1201 to start one", m->sessionid,
				 m->source);
			return 400;
		}
		x = slot(s);
		end(x);
		x->used = true;
		snprintf(x->sessionid, sizeof(x->sessionid), "%s", m->sessionid);
		snprintf(x->source, sizeof(x->source), "%s", m->source);
		dm_results_clean(x->devid, sizeof(x->devid), m->source);
		x->by_notification = alert == ALERT_SERVER_INITIATED &&
				     !strcmp(s->notified_sid, m->sessionid);
	}
	x->stamp = ++s->clock;
	if (x->phase == PHASE_AUTH) {
		if (!alert) {
			snprintf(err, err_size, "session %s: package 1 expected "
				 "(Alert 1200/1201)", m->sessionid);
			return 400;
		}
		x->alert = alert;
		rc = package1(s, x, m, out);
	} else {
		rc = reports(s, x, m, out, &done, final);
		if (done)
			end(x);
	}
	if (rc == -EINVAL) {
		snprintf(err, err_size, "malformed NextNonce");
		end(x);
		return 400;
	}
	if (rc) {
		snprintf(err, err_size, "the card could not save its state");
		end(x);
		return 500;
	}
	return 200;
}

int dm_server_handle(struct dm_server *s, const char *body, size_t len,
		     char **resp, size_t *resp_len, char *err, size_t err_size)
{
	struct dm_msg m;
	struct dm_out *out = NULL;
	char perr[256];
	bool final = true;
	int status;

	*resp = NULL;
	*resp_len = 0;
	if (dm_msg_parse(body, len, &m, perr, sizeof(perr))) {
		snprintf(err, err_size, "malformed SyncML DM message: %s", perr);
		return 400;
	}
	status = handle_msg(s, &m, &out, &final, err, err_size);
	dm_msg_free(&m);
	if (out)
		*resp = dm_out_end(out, final, resp_len);
	if (status != 200) {
		free(*resp);
		*resp = NULL;
		*resp_len = 0;
	}
	return status;
}
