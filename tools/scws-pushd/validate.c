// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * validate.c - the push checks (see validate.h).  Reads only what
 * libosip2's parser made of the message; never trusts a length it did not
 * check itself.
 */
#include "validate.h"
#include "sms-pp.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <osipparser2/osip_parser.h>

/* "scheme:user@host[:port]" of a URI, for the allow list. */
static int origin_of(const osip_uri_t *u, char *out, size_t cap)
{
	int n;

	if (!u || !u->scheme || !u->username || !u->host)
		return -1;
	if (u->port && *u->port)
		n = snprintf(out, cap, "%s:%s@%s:%s", u->scheme, u->username,
			     u->host, u->port);
	else
		n = snprintf(out, cap, "%s:%s@%s", u->scheme, u->username,
			     u->host);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int allowed(const struct pushd_config *c, const char *origin)
{
	for (unsigned int i = 0; i < c->n_allow; i++)
		if (!strcasecmp(c->allow[i], origin))
			return 1;
	return 0;
}

/* Accept-Contact (or its compact form "a") names the push application. */
static int app_ok(const struct pushd_config *c, const osip_message_t *req)
{
	char want[PUSHD_URI_MAX + 32];
	osip_header_t *h = NULL;

	if (!c->app_id[0])
		return 1;
	snprintf(want, sizeof(want), "+g.oma.pusheventapp=\"%s\"", c->app_id);
	for (int i = 0; (i = osip_message_header_get_byname(req,
				"accept-contact", i, &h)) >= 0; i++)
		if (h && h->hvalue && strstr(h->hvalue, want))
			return 1;
	for (int i = 0; (i = osip_message_header_get_byname(req, "a", i,
							     &h)) >= 0; i++)
		if (h && h->hvalue && strstr(h->hvalue, want))
			return 1;
	return 0;
}

int push_validate(const struct pushd_config *c, const osip_message_t *req,
		  struct push_body *b, const char **why)
{
	const osip_content_type_t *ct = req->content_type;
	osip_body_t *body = NULL;
	struct rp_data rp;
	struct sms_deliver d;
	char origin[PUSHD_URI_MAX + 16];

	if (!req->sip_method || strcmp(req->sip_method, "MESSAGE")) {
		*why = "only MESSAGE carries a push";
		return 405;
	}
	if (!req->from || origin_of(req->from->url, origin, sizeof(origin)) ||
	    !allowed(c, origin)) {
		*why = "origin not in the allow-from list";
		return 403;
	}
	if (!app_ok(c, req)) {
		*why = "not addressed to the SCWS push application";
		return 404;
	}
	if (!ct || !ct->type || !ct->subtype ||
	    strcasecmp(ct->type, "application") ||
	    strcasecmp(ct->subtype, "vnd.3gpp.sms")) {
		*why = "push content type is not " PUSHD_CONTENT_TYPE;
		return 415;
	}
	if (osip_message_get_body(req, 0, &body) < 0 || !body ||
	    !body->body || osip_list_size(&req->bodies) != 1) {
		*why = "no push content";
		return 400;
	}
	if (rp_data_parse((const uint8_t *)body->body, body->length, &rp)) {
		*why = "content is not RP-DATA with an SMS-DELIVER";
		return 400;
	}
	if (sms_deliver_parse(rp.tpdu, rp.tpdu_len, &d) ||
	    d.pid != SMS_PID_UICC_DOWNLOAD) {
		*why = "not a (U)SIM data download (TP-PID 7F)";
		return 488;
	}
	b->data = (const uint8_t *)body->body;
	b->len = body->length;
	*why = "ok";
	return 0;
}
