// SPDX-License-Identifier: GPL-2.0
/*
 * /cgi/<app>: the card's dynamic applications.  Parameters are name=value
 * pairs from the query and, for POST, from an
 * application/x-www-form-urlencoded body, decoded strictly: a bad escape,
 * an empty or repeated name, an empty pair or a parameter the application
 * does not know is a 400, never a guess.
 *
 * Every application that changes the card takes the change only by POST
 * (a GET is a 405 naming POST), and such a POST must come from one of the
 * card's own origins (Origin, else Referer: 403 otherwise, checked before
 * the PIN so a foreign page cannot spend the PIN's tries) and carry the
 * card's anti-CSRF token (site_csrf.c: 403 otherwise).  Every /cgi/
 * answer is no-store and Vary: Origin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/auth.h"
#include "site.h"

enum { M_GET = 1, M_HEAD = 2, M_POST = 4 };

static const struct cgi_app {
	const char *name;
	void (*run)(struct cgi_call *c);
	unsigned methods;
	const char *allow;
} apps[] = {
	{ "display", cgi_display, M_GET | M_HEAD, "GET, HEAD" },
	{ "update", cgi_update, M_POST, "POST" },
	{ "phonebook", cgi_phonebook, M_GET | M_HEAD | M_POST, "GET, HEAD, POST" },
	{ "unblock", cgi_unblock, M_GET | M_HEAD | M_POST, "GET, HEAD, POST" },
};

const char *cgi_param(const struct cgi_call *c, const char *name)
{
	for (size_t i = 0; i < c->nparams; i++)
		if (!strcmp(c->params[i].name, name))
			return c->params[i].value;
	return NULL;
}

/* Decodes s[0..len) into the call's storage; NULL if malformed. */
static char *decode(struct cgi_call *c, const char *s, size_t len)
{
	char *out = c->storage + c->storage_len;
	long n = http_pct_decode(s, len, true, out,
				 c->storage_cap - c->storage_len);

	if (n < 0)
		return NULL;
	c->storage_len += (size_t)n + 1;
	return out;
}

int cgi_parse_params(struct cgi_call *c, const char *s, size_t len)
{
	const char *end = s + len;

	if (len == 0)
		return 0;
	for (;;) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *pair_end = amp ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(pair_end - s));
		struct cgi_param *p;

		if (!eq || eq == s || c->nparams == CGI_MAX_PARAMS)
			return 400;
		p = &c->params[c->nparams];
		p->name = decode(c, s, (size_t)(eq - s));
		p->value = decode(c, eq + 1, (size_t)(pair_end - eq - 1));
		if (!p->name || !p->value || !*p->name || cgi_param(c, p->name))
			return 400;
		c->nparams++;
		if (!amp)
			return 0;
		s = amp + 1;
	}
}

bool cgi_only_params(struct cgi_call *c, const char *const *allowed)
{
	for (size_t i = 0; i < c->nparams; i++) {
		size_t k = 0;

		while (allowed[k] && strcmp(allowed[k], c->params[i].name))
			k++;
		if (!allowed[k]) {
			char msg[128];

			snprintf(msg, sizeof(msg), "Unknown parameter \"%.64s\".",
				 c->params[i].name);
			http_reply_error(c->reply, 400, msg);
			return false;
		}
	}
	return true;
}

bool cgi_require_pin(struct cgi_call *c)
{
	if (c->authorised < 0)
		c->authorised = http_auth_require(c->site->auth, c->req,
						  c->reply);
	return c->authorised == 1;
}

static bool is_form(const char *type)
{
	static const char form[] = "application/x-www-form-urlencoded";
	size_t n = sizeof(form) - 1;

	return type && !strncasecmp(type, form, n) &&
	       (type[n] == '\0' || type[n] == ';' || type[n] == ' ' ||
		type[n] == '\t');
}

static void forbidden(struct http_reply *r, const char *why)
{
	http_reply_error(r, 403, why);
	r->no_store = true;
}

/* A POST's origin, checked before anything else looks at the request. */
static bool from_own_origin(struct cgi_call *c)
{
	switch (http_request_origin(&c->site->origins, c->req)) {
	case ORIGIN_OWN:
		return true;
	case ORIGIN_MISSING:
		forbidden(c->reply, "Changes need an Origin (or Referer) "
			  "naming one of the card's own pages.");
		return false;
	default:
		forbidden(c->reply, "Only the card's own pages may change "
			  "its data.");
		return false;
	}
}

/* The POST's anti-CSRF token, then taken out of the parameters so the
 * applications never see it. */
static bool token_ok(struct cgi_call *c)
{
	for (size_t i = 0; i < c->nparams; i++) {
		if (strcmp(c->params[i].name, SITE_CSRF_FIELD))
			continue;
		if (!site_csrf_valid(c->site, c->params[i].value))
			break;
		c->params[i] = c->params[--c->nparams];
		return true;
	}
	forbidden(c->reply, "The form is out of date or did not come from "
		  "this card: load the page again.");
	return false;
}

static bool parse_all(struct cgi_call *c, const char *query)
{
	const struct http_request *req = c->req;
	size_t qlen = query ? strlen(query) : 0;
	size_t blen = req->method == HTTP_POST ? req->body_len : 0;

	if (blen && !is_form(http_request_field(req, "Content-Type"))) {
		http_reply_error(c->reply, 415, "Send forms as "
				 "application/x-www-form-urlencoded.");
		return false;
	}
	/* Decoding never grows; each name and value gains a NUL. */
	c->storage_cap = qlen + blen + 2 * CGI_MAX_PARAMS + 2;
	c->storage = malloc(c->storage_cap);
	if (!c->storage) {
		http_reply_error(c->reply, 500, "The card ran out of memory.");
		return false;
	}
	if (cgi_parse_params(c, query ? query : "", qlen) ||
	    (blen && memchr(req->body, '\0', blen)) ||
	    cgi_parse_params(c, (const char *)req->body, blen)) {
		http_reply_error(c->reply, 400, "The parameters are malformed.");
		return false;
	}
	return true;
}

/* The checks before the application runs; false with the reply set. */
static bool admit(struct cgi_call *c, const struct cgi_app *a, unsigned method)
{
	char path[sizeof("/cgi/") + 32];

	if (!(a->methods & method)) {
		http_reply_error(c->reply, 405, NULL);
		http_reply_field(c->reply, "Allow", "%s", a->allow);
		return false;
	}
	if (method == M_POST && !from_own_origin(c))
		return false;
	snprintf(path, sizeof(path), "/cgi/%s", a->name);
	return !site_is_protected(c->site, path) || cgi_require_pin(c);
}

void site_cgi(struct scws_site *s, const struct http_request *req,
	      const char *app, const char *query, struct http_reply *r)
{
	struct cgi_call c = { .site = s, .req = req, .reply = r, .app = app,
			      .authorised = -1 };
	const struct cgi_app *a = NULL;
	unsigned method = req->method == HTTP_GET ? M_GET :
			  req->method == HTTP_HEAD ? M_HEAD : M_POST;

	for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++)
		if (!strcmp(app, apps[i].name))
			a = &apps[i];
	if (!a)
		http_reply_error(r, 404, "There is no such application.");
	else if (admit(&c, a, method) && parse_all(&c, query) &&
		 (method != M_POST || token_ok(&c))) {
		r->dynamic = true;
		a->run(&c);
	}
	free(c.storage);
	/* Answers of applications are never kept, and depend on Origin. */
	r->no_store = true;
	http_cors_allow(&s->origins, req, r);
}
