// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/http/http_origin.c card-sim/http/http_parse.c card-sim/http/http_buf.c card-sim/http/http_url.c card-sim/http/http_response.c card-sim/http/http_date.c card-sim/clock.c
/*
 * libFuzzer target: origin protection's parsing.  The input is a request
 * head (request line and fields, whatever bytes); when it parses, its
 * Origin/Referer verdict and the preflight answer are computed and
 * written.  Invariants: a verdict of "own" needs an Origin or a Referer
 * that starts with an own origin; a preflight answer grants (204) exactly
 * when Origin is own; any Access-Control-* field appears exactly then.
 * The raw input is also checked as an Origin and as a Referer value.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"

static bool starts_own(const struct http_origins *o, const char *s)
{
	for (size_t i = 0; s && i < o->n; i++)
		if (!strncasecmp(s, o->list[i], strlen(o->list[i])))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_origins o;
	struct http_parser p;
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	http_origins_init(&o);
	http_origins_add(&o, "http", "127.0.0.1", 9000);
	if (http_origin_own(&o, s) && !starts_own(&o, s))
		abort();
	if (http_referer_own(&o, s) && !starts_own(&o, s))
		abort();
	free(s);

	http_parser_init(&p);
	http_parser_feed(&p, data, size);
	if (p.state == PARSE_DONE) {
		const struct http_request *req = &p.req;
		const char *origin = http_request_field(req, "Origin");
		struct http_reply r;
		struct http_buf out = { 0 };

		if (http_request_origin(&o, req) == ORIGIN_OWN &&
		    !starts_own(&o, origin) &&
		    !starts_own(&o, http_request_field(req, "Referer")))
			abort();
		size_t norigins = 0;
		bool own, granted;

		for (size_t i = 0; i < req->nfields; i++)
			norigins += !strcasecmp(req->fields[i].name, "Origin");
		/* Two Origin fields are nobody's origin. */
		own = norigins == 1 && http_origin_own(&o, origin);

		http_reply_init(&r);
		if (http_is_preflight(req)) {
			http_cors_preflight(&o, req, &r);
			if ((r.status == 204) != own)
				abort();
		} else {
			http_cors_allow(&o, req, &r);
		}
		granted = r.fields.data &&
			  memmem(r.fields.data, r.fields.len, "Access-Control-", 15);
		if (granted != own)
			abort();
		http_reply_write(&r, req, &out);
		http_buf_free(&out);
		http_reply_free(&r);
	}
	http_parser_free(&p);
	return 0;
}
