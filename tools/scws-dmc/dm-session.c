// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-session.c - a DM 1.2 session (OMA-TS-DM_Protocol 1.2, section 8):
 * package 1 (Alert 1200/1201, DevInfo), then rounds of server commands
 * and client answers until the server sends a Final message without
 * commands.  The server must prove itself (syncml:auth-md5 with the
 * SRVCRED secret and the nonce we gave it) before any command runs; the
 * client answers the first authenticated message with a new server nonce
 * (Chal), so a captured server message or notification cannot be used
 * again.
 */
#include "dm-session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "dm-account.h"
#include "dm-exec.h"
#include "dm-http.h"
#include "dm-semo.h"
#include "dm-syncml.h"

#define MAX_ROUNDS 64
#define ALERT_SERVER_INITIATED 1200
#define ALERT_CLIENT_INITIATED 1201
#define ALERT_NEXT_MESSAGE 1222
#define ALERT_GENERIC 1226
#define AUTH_MD5 "syncml:auth-md5"

static const char *const devinfo_leaves[] = { "DevId", "Man", "Mod", "DmV", "Lang" };

struct session {
	const struct dm_session_opts *o;
	struct dm_node *work;
	struct dm_account acc;
	const char *devid;
	char sessionid[16];
	char *url;
	unsigned int msgid;
	char err[512];
};

static const char *tree_value(struct dm_node *root, const char *uri)
{
	struct dm_node *n = dm_tree_find(root, uri);

	return n && n->value ? n->value : NULL;
}

static struct dm_out *first_package(struct session *s)
{
	char cred[DM_MD5_B64_SIZE], uri[64];
	struct dm_cred *cl = &s->acc.client;

	dm_md5_cred(cl->name, cl->secret, cl->nonce, cl->nonce_len, cred);
	struct dm_out *out = dm_out_begin(s->sessionid, ++s->msgid, s->url,
					  s->devid, cred);

	dm_out_alert(out, s->o->server_initiated ? ALERT_SERVER_INITIATED :
		     ALERT_CLIENT_INITIATED, NULL, NULL, NULL, NULL);
	if (s->o->alert_type)
		dm_out_alert(out, ALERT_GENERIC, NULL, "chr", s->o->alert_type,
			     s->o->alert_data ? s->o->alert_data : "");
	dm_semo_pending_alerts(s->work, out);
	dm_out_replace_begin(out);
	for (size_t i = 0; i < sizeof(devinfo_leaves) / sizeof(*devinfo_leaves); i++) {
		snprintf(uri, sizeof(uri), "./DevInfo/%s", devinfo_leaves[i]);
		struct dm_node *n = dm_tree_find(s->work, uri);

		if (n && n->value)
			dm_out_replace_item(out, uri, n->format, n->type, n->value);
	}
	return out;
}

/* Whether the server's Cred is right; the Status code for its SyncHdr. */
static int server_auth_code(struct session *s, const struct dm_msg *m)
{
	struct dm_cred *sv = &s->acc.server;
	char want[DM_MD5_B64_SIZE];

	if (!m->cred_data)
		return DM_MISSING_CRED;
	if (!m->cred_type || strcmp(m->cred_type, AUTH_MD5))
		return DM_INVALID_CRED;
	dm_md5_cred(sv->name, sv->secret, sv->nonce, sv->nonce_len, want);
	if (strlen(m->cred_data) != strlen(want) ||
	    !dm_mem_equal(want, m->cred_data, strlen(want)))
		return DM_INVALID_CRED;
	return DM_AUTH_ACCEPTED;
}

static void new_nonce(char out[DM_MD5_B64_SIZE])
{
	uint8_t n[16];

	if (RAND_bytes(n, sizeof(n)) != 1)
		abort();
	dm_b64_encode(n, sizeof(n), out);
}

/* The nonces changed in the session are kept even when its changes are
 * not: both sides moved on to them. */
static void keep_nonces(struct dm_node *tree, struct session *s)
{
	struct dm_account a;
	char err[256], b64[DM_NONCE_MAX * 2];

	if (dm_account_find(tree, s->o->server_id, &a, err, sizeof(err)))
		return;
	dm_b64_encode(s->acc.client.nonce, s->acc.client.nonce_len, b64);
	dm_cred_set_nonce(&a.client, b64);
	dm_b64_encode(s->acc.server.nonce, s->acc.server.nonce_len, b64);
	dm_cred_set_nonce(&a.server, b64);
	if (s->o->tree_path && dm_tree_save(tree, s->o->tree_path))
		perror(s->o->tree_path);
}

static int send_recv(struct session *s, struct dm_out *out, struct dm_msg *m)
{
	size_t len, rlen;
	char *body = dm_out_end(out, 1, &len), *resp = NULL;

	if (s->o->verbose)
		fprintf(stderr, ">>> to %s\n%s", s->url, body);
	int rc = dm_http_post(s->url, s->o->cafile, body, len, &resp, &rlen,
			      s->err, sizeof(s->err));

	free(body);
	if (rc)
		return -1;
	if (s->o->verbose)
		fprintf(stderr, "<<< from %s\n%s\n", s->url, resp);
	char perr[256];

	rc = dm_msg_parse(resp, rlen, m, perr, sizeof(perr));
	free(resp);
	if (rc) {
		snprintf(s->err, sizeof(s->err), "malformed SyncML from the server: %s",
			 perr);
		return -1;
	}
	if (strcmp(m->sessionid, s->sessionid)) {
		snprintf(s->err, sizeof(s->err),
			 "the server answered in session %s, not %s",
			 m->sessionid, s->sessionid);
		dm_msg_free(m);
		return -1;
	}
	if (m->respuri && *m->respuri) {
		free(s->url);
		s->url = strdup(m->respuri);
		if (!s->url)
			abort();
	}
	return 0;
}

/* The last message of a failed session: its answer does not matter. */
static void send_only(struct session *s, struct dm_out *out)
{
	size_t len, rlen;
	char *body = dm_out_end(out, 1, &len), *resp = NULL, err[256];

	if (!dm_http_post(s->url, s->o->cafile, body, len, &resp, &rlen, err,
			  sizeof(err)))
		free(resp);
	free(body);
}

/* Statuses for our SyncHdr: new client nonces, accepted or rejected. */
static int header_statuses(struct session *s, const struct dm_msg *m,
			   int *accepted, int *retry)
{
	for (size_t i = 0; i < m->ncmds; i++) {
		const struct dm_cmd *c = &m->cmds[i];

		if (c->kind != DM_CMD_STATUS || strcmp(c->cmdref, "0"))
			continue;
		if (c->chal_nonce && dm_cred_set_nonce(&s->acc.client, c->chal_nonce)) {
			snprintf(s->err, sizeof(s->err), "bad NextNonce from the server");
			return -1;
		}
		int code = atoi(c->data);

		if (code == DM_OK || code == DM_AUTH_ACCEPTED) {
			*accepted = 1;
		} else if ((code == DM_INVALID_CRED || code == DM_MISSING_CRED) &&
			   !*accepted && c->chal_nonce && !*retry) {
			*retry = 1;
		} else {
			snprintf(s->err, sizeof(s->err),
				 "the server refused our SyncHdr: status %d", code);
			return -1;
		}
	}
	return 0;
}

int dm_session_run(struct dm_node **tree, const struct dm_session_opts *o)
{
	struct session s = { .o = o };
	struct dm_msg m = { 0 };
	int server_authed = 0, client_accepted = 0, retried = 0, done = 0;
	int nonces_moved = 0;
	struct dm_out *out = NULL;

	s.work = dm_tree_clone(*tree);
	if (!s.work) {
		fprintf(stderr, "scws-dmc: out of memory\n");
		return -1;
	}
	if (dm_account_find(s.work, o->server_id, &s.acc, s.err, sizeof(s.err)))
		goto fail;
	if ((s.acc.client.type && strcmp(s.acc.client.type, "DIGEST")) ||
	    (s.acc.server.type && strcmp(s.acc.server.type, "DIGEST"))) {
		snprintf(s.err, sizeof(s.err),
			 "only AAuthType DIGEST (syncml:auth-md5) is supported");
		goto fail;
	}
	s.devid = tree_value(s.work, "./DevInfo/DevId");
	if (!s.devid) {
		snprintf(s.err, sizeof(s.err), "the tree has no ./DevInfo/DevId");
		goto fail;
	}
	if (o->sessionid) {
		snprintf(s.sessionid, sizeof(s.sessionid), "%s", o->sessionid);
	} else {
		uint16_t r;

		if (RAND_bytes((uint8_t *)&r, sizeof(r)) != 1)
			abort();
		snprintf(s.sessionid, sizeof(s.sessionid), "%X", r);
	}
	s.url = strdup(s.acc.addr);
	if (!s.url)
		abort();

	out = first_package(&s);
	for (int round = 0; round < MAX_ROUNDS && !done; round++) {
		int rc = send_recv(&s, out, &m);

		out = NULL;
		if (rc)
			goto fail;
		int retry = 0;

		/* The server refusing our credentials need not prove itself:
		 * answer its challenge first. */
		if (header_statuses(&s, &m, &client_accepted, &retry))
			goto fail;
		nonces_moved = 1;
		if (retry && !retried) {
			/* New client nonce: send package 1 again. */
			retried = 1;
			dm_msg_free(&m);
			out = first_package(&s);
			continue;
		}
		if (retry) {
			snprintf(s.err, sizeof(s.err),
				 "the server refused our credentials again");
			goto fail;
		}
		/* Checked once: later messages of the session may carry no Cred. */
		if (!server_authed) {
			int code = server_auth_code(&s, &m);

			if (code != DM_AUTH_ACCEPTED) {
				char nonce[DM_MD5_B64_SIZE];

				/* Tell the server, with a fresh nonce, then stop. */
				new_nonce(nonce);
				dm_cred_set_nonce(&s.acc.server, nonce);
				out = dm_out_begin(s.sessionid, ++s.msgid, s.url, s.devid, NULL);
				dm_out_status(out, m.msgid, "0", "SyncHdr", m.target,
					      m.source, code, nonce);
				send_only(&s, out);
				out = NULL;
				snprintf(s.err, sizeof(s.err),
					 "the server's credentials are %s: no command run",
					 code == DM_MISSING_CRED ? "missing" : "wrong");
				goto fail;
			}
		}
		out = dm_out_begin(s.sessionid, ++s.msgid, s.url, s.devid, NULL);
		if (!server_authed) {
			char nonce[DM_MD5_B64_SIZE];

			server_authed = 1;
			new_nonce(nonce);
			dm_out_status(out, m.msgid, "0", "SyncHdr", m.target, m.source,
				      DM_AUTH_ACCEPTED, nonce);
			dm_cred_set_nonce(&s.acc.server, nonce);
		} else {
			dm_out_status(out, m.msgid, "0", "SyncHdr", m.target, m.source,
				      DM_OK, NULL);
		}
		unsigned int asked = 0;
		int aborted = 0;

		for (size_t i = 0; i < m.ncmds; i++) {
			const struct dm_cmd *c = &m.cmds[i];

			if (c->kind == DM_CMD_STATUS || c->kind == DM_CMD_RESULTS)
				continue;
			asked++;
			aborted |= dm_exec_cmd(s.work, s.acc.server_id, m.msgid, c, out);
		}
		if (aborted) {
			snprintf(s.err, sizeof(s.err), "the server aborted the session");
			dm_msg_free(&m);
			send_only(&s, out);
			out = NULL;
			goto fail;
		}
		if (!m.final)
			dm_out_alert(out, ALERT_NEXT_MESSAGE, NULL, NULL, NULL, NULL);
		else if (!asked)
			done = 1;
		dm_msg_free(&m);
	}
	if (!done) {
		snprintf(s.err, sizeof(s.err), "session longer than %d rounds",
			 MAX_ROUNDS);
		goto fail;
	}
	if (out) {
		size_t len;

		free(dm_out_end(out, 1, &len));
	}
	if (o->tree_path && dm_tree_save(s.work, o->tree_path)) {
		snprintf(s.err, sizeof(s.err), "%s: cannot save the tree", o->tree_path);
		goto fail_nosave;
	}
	dm_tree_free(*tree);
	*tree = s.work;
	free(s.url);
	if (o->verbose)
		fprintf(stderr, "scws-dmc: session %s with %s done\n", s.sessionid,
			o->server_id);
	return 0;
fail:
	if (nonces_moved)
		keep_nonces(*tree, &s);
fail_nosave:
	if (out) {
		size_t len;

		free(dm_out_end(out, 1, &len));
	}
	dm_msg_free(&m);
	fprintf(stderr, "scws-dmc: session %s with %s failed: %s\n",
		s.sessionid[0] ? s.sessionid : "-", o->server_id, s.err);
	dm_tree_free(s.work);
	free(s.url);
	return -1;
}
