// SPDX-License-Identifier: GPL-2.0
/*
 * Origin protection (see http.h): which origins are the card's own, where
 * a request comes from, and the answer to a CORS preflight.
 *
 * The ACP judges processes, and a browser is one process for every site
 * it shows, so the server itself must tell the card's pages from a foreign
 * page that makes the same browser send a request.  The browser says
 * where a request comes from in Origin (Fetch: every request whose method
 * is neither GET nor HEAD, and every CORS request) or, lacking it, in
 * Referer.  "null" (an opaque origin: sandboxed frame, data: URL, a
 * no-referrer policy) is nobody's origin.
 *
 * Own origins are compared exactly as browsers serialise them (scheme,
 * "://", host, ":" port; no path, no trailing '/'), ignoring ASCII case.
 * A CORS preflight (OPTIONS with Access-Control-Request-Method) from an
 * own origin is granted with the request's origin echoed, never "*", so
 * credentials may follow; Chromium's Private Network Access preflight
 * (Access-Control-Request-Private-Network: true) additionally gets
 * Access-Control-Allow-Private-Network: true.  Anybody else gets a 403
 * with no Access-Control-* field at all, which the Fetch standard treats
 * as a failed preflight: the real request is never sent.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http.h"

#define CORS_METHODS "GET, HEAD, POST"
#define CORS_HEADERS "Authorization, Content-Type"
#define CORS_MAX_AGE "600"

bool http_origins_add(struct http_origins *o, const char *scheme,
		      const char *host, unsigned port)
{
	int n;

	if (o->n == HTTP_MAX_ORIGINS || port == 0 || port > 65535)
		return false;
	n = snprintf(o->list[o->n], sizeof(o->list[0]), "%s://%s:%u", scheme,
		     host, port);
	if (n < 0 || (size_t)n >= sizeof(o->list[0]))
		return false;
	for (size_t i = 0; i < o->n; i++)
		if (!strcasecmp(o->list[i], o->list[o->n]))
			return true;	/* already there */
	o->n++;
	return true;
}

void http_origins_init(struct http_origins *o)
{
	memset(o, 0, sizeof(*o));
	/* ETSI TS 102 588: HTTP on 3516, HTTPS on 4116, both on loopback. */
	http_origins_add(o, "http", "127.0.0.1", HTTP_PORT_SCWS);
	http_origins_add(o, "https", "127.0.0.1", HTTP_PORT_SCWS_TLS);
	http_origins_add(o, "http", "localhost", HTTP_PORT_SCWS);
	http_origins_add(o, "https", "localhost", HTTP_PORT_SCWS_TLS);
}

/* The own origin that s[0..len) names exactly, or NULL. */
static const char *own(const struct http_origins *o, const char *s, size_t len)
{
	for (size_t i = 0; i < o->n; i++)
		if (strlen(o->list[i]) == len && !strncasecmp(o->list[i], s, len))
			return o->list[i];
	return NULL;
}

bool http_origin_own(const struct http_origins *o, const char *origin)
{
	return origin && own(o, origin, strlen(origin));
}

bool http_referer_own(const struct http_origins *o, const char *referer)
{
	const char *host, *end;

	if (!referer)
		return false;
	host = strstr(referer, "://");
	if (!host)
		return false;
	/* The origin ends where the path, query or fragment starts; any
	 * other character ("@", a longer port) makes it another origin. */
	end = host + 3 + strcspn(host + 3, "/?#");
	return own(o, referer, (size_t)(end - referer)) != NULL;
}

/* The request's only value of name; NULL if absent, "" if repeated. */
static const char *single_field(const struct http_request *req,
				const char *name)
{
	const char *v = NULL;

	for (size_t i = 0; i < req->nfields; i++) {
		if (strcasecmp(req->fields[i].name, name))
			continue;
		if (v)
			return "";
		v = req->fields[i].value;
	}
	return v;
}

enum http_origin_verdict http_request_origin(const struct http_origins *o,
					     const struct http_request *req)
{
	const char *origin = single_field(req, "Origin");
	const char *referer;

	if (origin)
		return http_origin_own(o, origin) ? ORIGIN_OWN : ORIGIN_FOREIGN;
	referer = single_field(req, "Referer");
	if (referer)
		return http_referer_own(o, referer) ? ORIGIN_OWN : ORIGIN_FOREIGN;
	return ORIGIN_MISSING;
}

void http_cors_allow(const struct http_origins *o,
		     const struct http_request *req, struct http_reply *r)
{
	const char *origin = single_field(req, "Origin");

	/* The answer depends on Origin whenever this runs: caches must
	 * not hand one origin's answer to another. */
	http_reply_field(r, "Vary", "Origin");
	if (!origin || !http_origin_own(o, origin))
		return;
	http_reply_field(r, "Access-Control-Allow-Origin", "%s", origin);
	http_reply_field(r, "Access-Control-Allow-Credentials", "true");
}

bool http_is_preflight(const struct http_request *req)
{
	return req->method == HTTP_OTHER &&
	       !strcmp(req->method_name, "OPTIONS") &&
	       http_request_field(req, "Access-Control-Request-Method");
}

void http_cors_preflight(const struct http_origins *o,
			 const struct http_request *req, struct http_reply *r)
{
	const char *origin = single_field(req, "Origin");
	const char *pna = single_field(req,
				       "Access-Control-Request-Private-Network");

	if (!origin || !http_origin_own(o, origin)) {
		http_reply_error(r, 403, "Only the card's own pages may send "
				 "such requests here.");
		r->no_store = true;
		http_reply_field(r, "Vary", "Origin");
		return;
	}
	r->status = 204;
	r->no_store = true;
	http_cors_allow(o, req, r);
	http_reply_field(r, "Access-Control-Allow-Methods", CORS_METHODS);
	http_reply_field(r, "Access-Control-Allow-Headers", CORS_HEADERS);
	http_reply_field(r, "Access-Control-Max-Age", CORS_MAX_AGE);
	if (pna && !strcmp(pna, "true"))
		http_reply_field(r, "Access-Control-Allow-Private-Network",
				 "true");
}
