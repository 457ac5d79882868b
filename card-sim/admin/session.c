// SPDX-License-Identifier: GPL-2.0
/*
 * One attempt of an administration session (GP Card Spec Amd B 3.x), as
 * the stream of a TCP client channel:
 *
 *   link up   -> TLS-PSK handshake (ClientHello goes out at once)
 *   handshake -> first POST to the admin URI, no body
 *   response  -> 204, or 200 without X-Admin-Next-URI: the session ends
 *                (a command in that last response is still executed)
 *             -> 200 + X-Admin-Next-URI: execute the command by its
 *                Content-Type, POST its result there (chunked body)
 *   close_notify, then the channel closes.
 *
 * The outcome goes to the agent when the channel engine frees the stream:
 * a link that never came up or dropped, or a connection closed before the
 * session ended, is worth a retry; a failed handshake (wrong PSK) or a RAS
 * speaking something else is not.
 */
#include "admin/admin.h"
#include "cat/cat.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROTOCOL "globalplatform-remote-admin/1.0"
#define CT_GP_SCRIPT "application/vnd.globalplatform.card-content-mgt;version=1.0"
#define CT_GP_RESPONSE "application/vnd.globalplatform.card-content-mgt-response;version=1.0"
#define CT_SCWS_REQUEST "application/vnd.oma-scws-http-request"
#define CT_SCWS_RESPONSE "application/vnd.oma-scws-http-response"
#define CHUNK 4096
#define ADMIN_BUFFER_DEFAULT 16384

enum sess_state { S_LINK, S_HANDSHAKE, S_WAIT_RESP, S_CLOSING };

struct admin_session {
	struct admin_session_cfg cfg;
	struct admin_params params;
	uint8_t psk[ADMIN_KEY_MAX];
	struct admin_tls *tls;
	struct admin_resp resp;
	enum sess_state st;
	enum admin_outcome outcome;
	unsigned int posts;
};

static void finish(struct admin_session *s, enum admin_outcome o,
		   const char *why)
{
	if (s->outcome == ADMIN_RUNNING) {
		s->outcome = o;
		card_info("admin: session %s (%s)",
			  o == ADMIN_FINISHED ? "ended" :
			  o == ADMIN_LINK_FAILED ? "interrupted" : "refused", why);
	}
	if (s->st != S_CLOSING && s->tls && s->st != S_LINK)
		admin_tls_close(s->tls);
	s->st = S_CLOSING;
}

/* Media type without parameters equals type (case-insensitive)? */
static bool media_is(const char *value, const char *type)
{
	size_t n = strcspn(type, ";");

	if (!value || strncasecmp(value, type, n))
		return false;
	value += n;
	while (*value == ' ' || *value == '\t')
		value++;
	return !*value || *value == ';';
}

static void host_field(const struct admin_session *s, struct http_buf *b)
{
	const struct admin_params *p = &s->params;

	if (p->host[0]) {
		http_buf_printf(b, "Host: %s\r\n", p->host);
	} else if (p->addr_type == 0x21) {
		http_buf_printf(b, "Host: %u.%u.%u.%u\r\n", p->addr[0],
				p->addr[1], p->addr[2], p->addr[3]);
	} else {
		http_buf_puts(b, "Host: [");
		for (int i = 0; i < 16; i += 2)
			http_buf_printf(b, "%s%x", i ? ":" : "",
					p->addr[i] << 8 | p->addr[i + 1]);
		http_buf_puts(b, "]\r\n");
	}
}

/* One POST: the result of a command (type non-NULL) or the first one. */
static int post(struct admin_session *s, const char *uri, const char *type,
		const char *status, const struct http_buf *body)
{
	struct http_buf b = { 0 };
	int rc;

	http_buf_printf(&b, "POST %s HTTP/1.1\r\n", uri[0] ? uri : "/");
	host_field(s, &b);
	http_buf_puts(&b, "X-Admin-Protocol: " PROTOCOL "\r\n");
	if (s->params.agent_id[0])
		http_buf_printf(&b, "X-Admin-From: %s\r\n", s->params.agent_id);
	if (s->cfg.resume && !s->posts)
		http_buf_puts(&b, "X-Admin-Resume: true\r\n");
	if (!type) {
		http_buf_puts(&b, "Content-Length: 0\r\n\r\n");
	} else {
		http_buf_printf(&b, "Content-Type: %s\r\n", type);
		http_buf_printf(&b, "X-Admin-Script-Status: %s\r\n", status);
		http_buf_puts(&b, "Transfer-Encoding: chunked\r\n\r\n");
		for (size_t off = 0; body && off < body->len; off += CHUNK) {
			size_t n = body->len - off < CHUNK ? body->len - off :
				   CHUNK;

			http_buf_printf(&b, "%zx\r\n", n);
			http_buf_put(&b, body->data + off, n);
			http_buf_puts(&b, "\r\n");
		}
		http_buf_puts(&b, "0\r\n\r\n");
	}
	rc = b.oom ? -ENOMEM : admin_tls_write(s->tls, b.data, b.len);
	http_buf_free(&b);
	s->posts++;
	admin_resp_free(&s->resp);
	return rc;
}

/* A 200 with a command: execute it; what to POST back. */
static const char *execute(struct admin_session *s, const char **type,
			   struct http_buf *out)
{
	const char *ct = admin_resp_field(&s->resp, "Content-Type");
	const struct http_buf *body = &s->resp.body;

	if (media_is(ct, CT_SCWS_REQUEST)) {
		*type = CT_SCWS_RESPONSE;
		return admin_scws_exec(s->cfg.site, body->data, body->len, out);
	}
	*type = CT_GP_RESPONSE;
	if (media_is(ct, CT_GP_SCRIPT)) {
		const char *app = admin_resp_field(&s->resp,
						   "X-Admin-Targeted-Application");
		uint8_t aid[16];
		int n = app ? admin_parse_aid_uri(app, aid, sizeof(aid)) : -1;

		/* Without the header the script is for the security domain
		 * the agent belongs to, which this card does not model. */
		if (n < 0 || !s->cfg.select_app ||
		    !s->cfg.select_app(s->cfg.apdu_ctx, aid, (size_t)n)) {
			card_info("admin: script for %s: no such application",
				  app ? app : "the security domain");
			return "unknown-application";
		}
		return admin_script_exec(body->data, body->len, s->cfg.apdu,
					 s->cfg.apdu_ctx, out);
	}
	card_info("admin: unknown command type %s", ct ? ct : "(none)");
	return "script-format-error";
}

static void on_response(struct admin_session *s)
{
	const char *next = admin_resp_field(&s->resp, "X-Admin-Next-URI");
	struct http_buf out = { 0 };
	const char *type = NULL, *status;
	char uri[ADMIN_TRIGGER_STR_MAX];

	card_info("admin: RAS answered %d%s%s", s->resp.status,
		  next ? ", next " : "", next ? next : "");
	if (s->resp.status == 204) {
		finish(s, ADMIN_FINISHED, "204 No Content");
		return;
	}
	if (s->resp.status != 200) {
		finish(s, ADMIN_REFUSED, "RAS error status");
		return;
	}
	if (next && (strlen(next) >= sizeof(uri) || !*next)) {
		finish(s, ADMIN_REFUSED, "bad X-Admin-Next-URI");
		return;
	}
	if (next)
		strcpy(uri, next);
	status = s->resp.body.len || admin_resp_field(&s->resp, "Content-Type") ?
		 execute(s, &type, &out) : NULL;
	if (!next) {
		http_buf_free(&out);
		finish(s, ADMIN_FINISHED, "no X-Admin-Next-URI");
		return;
	}
	if (!status) {		/* nothing to do: report an empty result */
		type = CT_GP_RESPONSE;
		status = "ok";
	}
	if (post(s, uri, type, status, &out))
		finish(s, ADMIN_REFUSED, "cannot write the POST");
	http_buf_free(&out);
}

static void drive(struct admin_session *s)
{
	uint8_t buf[2048];
	int rc;

	if (s->st == S_HANDSHAKE) {
		rc = admin_tls_handshake(s->tls);
		if (rc < 0) {
			card_err("admin: TLS-PSK handshake failed (-0x%04X)",
				 (unsigned int)-rc);
			finish(s, ADMIN_REFUSED, "TLS handshake");
			return;
		}
		if (!rc)
			return;
		card_info("admin: TLS 1.2 with %s", admin_tls_suite(s->tls));
		s->st = S_WAIT_RESP;
		if (post(s, s->params.uri, NULL, NULL, NULL)) {
			finish(s, ADMIN_REFUSED, "cannot write the POST");
			return;
		}
	}
	while (s->st == S_WAIT_RESP) {
		size_t used = 0;

		rc = admin_tls_read(s->tls, buf, sizeof(buf));
		if (rc == 0)
			return;
		if (rc < 0) {
			if (rc == -1)
				admin_resp_eof(&s->resp);
			if (rc == -1 && s->resp.state == RESP_DONE) {
				on_response(s);
				if (s->st == S_WAIT_RESP)
					finish(s, ADMIN_LINK_FAILED,
					       "RAS closed the connection");
				return;
			}
			finish(s, ADMIN_LINK_FAILED, rc == -1 ?
			       "connection closed" : "TLS error");
			return;
		}
		while (used < (size_t)rc && s->st == S_WAIT_RESP) {
			used += admin_resp_feed(&s->resp, buf + used,
						(size_t)rc - used);
			if (s->resp.state == RESP_ERROR) {
				card_err("admin: bad response: %s",
					 s->resp.error);
				finish(s, ADMIN_REFUSED, "malformed response");
				return;
			}
			if (s->resp.state == RESP_DONE)
				on_response(s);
		}
	}
}

/* ---- the channel's stream ---- */

static int st_input(void *v, const uint8_t *data, size_t len)
{
	struct admin_session *s = v;

	if (s->st == S_CLOSING || s->st == S_LINK)
		return 0;
	if (admin_tls_input(s->tls, data, len))
		return -1;
	drive(s);
	return 0;
}

static void st_input_end(void *v)
{
	struct admin_session *s = v;

	if (s->st == S_CLOSING || s->st == S_LINK)
		return;
	admin_tls_input_end(s->tls);
	drive(s);
	finish(s, ADMIN_LINK_FAILED, "connection closed");
}

static size_t st_pending(void *v, const uint8_t **data)
{
	struct admin_session *s = v;

	if (s->st == S_LINK) {
		*data = NULL;
		return 0;
	}
	return admin_tls_pending(s->tls, data);
}

static void st_consume(void *v, size_t n)
{
	struct admin_session *s = v;

	admin_tls_consume(s->tls, n);
}

static bool st_done(void *v)
{
	struct admin_session *s = v;
	const uint8_t *d;

	return s->st == S_CLOSING && !admin_tls_pending(s->tls, &d);
}

static void st_link(void *v, bool up, uint8_t cause)
{
	struct admin_session *s = v;

	if (!up) {
		if (s->outcome == ADMIN_RUNNING)
			card_info("admin: link down (cause %02X)", cause);
		finish(s, ADMIN_LINK_FAILED, s->st == S_LINK ?
		       "RAS not reachable" : "link dropped");
		return;
	}
	s->st = S_HANDSHAKE;
	drive(s);
}

static void st_free(void *v)
{
	struct admin_session *s = v;

	if (s->outcome == ADMIN_RUNNING)
		s->outcome = ADMIN_LINK_FAILED;
	s->cfg.over(s->cfg.arg, s->outcome, s->posts);
	admin_tls_free(s->tls);
	admin_resp_free(&s->resp);
	memset(s->psk, 0, sizeof(s->psk));
	free(s);
}

static const struct cat_stream_ops session_ops = {
	.input = st_input,
	.input_end = st_input_end,
	.pending = st_pending,
	.consume = st_consume,
	.done = st_done,
	.link = st_link,
	.free = st_free,
};

int admin_session_start(struct cat *cat, const struct admin_session_cfg *cfg)
{
	struct admin_session *s = calloc(1, sizeof(*s));
	struct cat_client_params cp = { 0 };
	int rc;

	if (!s)
		return -ENOMEM;
	s->cfg = *cfg;
	s->params = *cfg->p;
	s->cfg.p = &s->params;
	admin_resp_init(&s->resp);
	s->tls = admin_tls_new(cfg->psk, cfg->psk_len, s->params.psk_id,
			       s->params.psk_id_len);
	if (!s->tls) {
		free(s);
		return -ENOMEM;
	}
	cp.addr_type = s->params.addr_type;
	memcpy(cp.addr, s->params.addr, sizeof(cp.addr));
	cp.port = s->params.port;
	/* The buffer is the terminal's memory, not the card's: ask for a
	 * large one, so a big answer is not cut into many small windows. */
	cp.buffer_size = s->params.buffer_size ? s->params.buffer_size :
			 ADMIN_BUFFER_DEFAULT;
	cp.nan = s->params.nan_len ? s->params.nan : NULL;
	cp.nan_len = s->params.nan_len;
	rc = cat_open_client(cat, &cp, &session_ops, s);
	if (rc) {
		admin_tls_free(s->tls);
		free(s);
	}
	return rc;
}
