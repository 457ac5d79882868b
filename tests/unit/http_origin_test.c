// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/http/http_buf.c card-sim/http/http_parse.c card-sim/http/http_url.c card-sim/http/http_response.c card-sim/http/http_date.c card-sim/http/http_cache.c card-sim/clock.c card-sim/http/http_router.c card-sim/http/http_origin.c card-sim/site/site_csrf.c card-sim/http/http_conn.c card-sim/site/site.c card-sim/site/site_admin.c card-sim/site/site_import.c card-sim/site/site_mime.c card-sim/site/site_cgi.c card-sim/site/site_cgi_fs.c card-sim/site/site_phonebook.c card-sim/site/site_adn.c card-sim/http/auth.c card-sim/uicc/pin.c card-sim/uicc/fs.c card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * Origin protection of the card's web server: its own origins, the
 * Origin/Referer check of state-changing requests, the anti-CSRF token,
 * CORS and Private Network Access preflights, framing and caching fields.
 * Each rule is tested both ways: the card's own page gets through, a
 * foreign one does not, and the card's data is unchanged after a refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cmocka.h>

#include "http/http.h"
#include "site/site.h"
#include "uicc/pin.h"

#include "http_test_env.h"

#define OWN "http://127.0.0.1:3516"
#define OWN_TLS "https://127.0.0.1:4116"
#define EVIL "http://127.0.0.1:8000"
/* Basic credentials "u:0000" and "u:9999" */
#define AUTH_PIN "Authorization: Basic dTowMDAw\r\n"
#define AUTH_WRONG "Authorization: Basic dTo5OTk5\r\n"
#define FORM "Content-Type: application/x-www-form-urlencoded\r\n"
#define ADD_EVE "action=add&name=Eve&number=666"

static void test_own_origins(void **state)
{
	struct http_origins o;
	static const char *const own[] = {
		OWN, OWN_TLS, "http://localhost:3516", "https://localhost:4116",
		"HTTP://127.0.0.1:3516", "https://LOCALHOST:4116",
	};
	static const char *const foreign[] = {
		"", "null", EVIL, "http://127.0.0.1:4116", "https://127.0.0.1:3516",
		OWN "/", OWN "0", "http://127.0.0.1:35160", "http://127.0.0.1",
		"http://127.0.0.1:3516.evil.example", "http://evil.example:3516",
		"http://[::1]:3516", "http://127.0.0.2:3516", " http://127.0.0.1:3516",
	};

	(void)state;
	http_origins_init(&o);
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!http_origin_own(&o, own[i]))
			fail_msg("%s should be own", own[i]);
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
		if (http_origin_own(&o, foreign[i]))
			fail_msg("%s should be foreign", foreign[i]);
	assert_false(http_origin_own(&o, NULL));
	/* The debug port's origin is added once, however often asked. */
	assert_false(http_origin_own(&o, "http://127.0.0.1:9000"));
	assert_true(http_origins_add(&o, "http", "127.0.0.1", 9000));
	assert_true(http_origins_add(&o, "http", "127.0.0.1", 9000));
	assert_int_equal(o.n, 5);
	assert_true(http_origin_own(&o, "http://127.0.0.1:9000"));
	assert_false(http_origins_add(&o, "http", "127.0.0.1", 0));
	assert_false(http_origins_add(&o, "http", "127.0.0.1", 65536));
	while (o.n < HTTP_MAX_ORIGINS)
		assert_true(http_origins_add(&o, "http", "h", 1000 + (unsigned)o.n));
	assert_false(http_origins_add(&o, "http", "h", 2000));
}

static void test_referer(void **state)
{
	struct http_origins o;
	static const char *const own[] = {
		OWN, OWN "/", OWN "/cgi/phonebook", OWN "?a=b", OWN "#x",
		OWN_TLS "/account/",
	};
	static const char *const foreign[] = {
		"", "/cgi/phonebook", "127.0.0.1:3516/", EVIL "/",
		OWN "@evil.example/", OWN "0/", "http://127.0.0.1:3516.evil/",
		"http://evil.example/http://127.0.0.1:3516", "null",
	};

	(void)state;
	http_origins_init(&o);
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!http_referer_own(&o, own[i]))
			fail_msg("%s should be own", own[i]);
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
		if (http_referer_own(&o, foreign[i]))
			fail_msg("%s should be foreign", foreign[i]);
}

/* The verdict on a request with these header fields. */
static enum http_origin_verdict verdict(const char *fields)
{
	struct http_parser p;
	struct http_origins o;
	char req[512];
	enum http_origin_verdict v;

	snprintf(req, sizeof(req), "POST / HTTP/1.1\r\nHost: c\r\n%s"
		 "Content-Length: 0\r\n\r\n", fields);
	http_parser_init(&p);
	http_parser_feed(&p, (const uint8_t *)req, strlen(req));
	assert_int_equal(p.state, PARSE_DONE);
	http_origins_init(&o);
	v = http_request_origin(&o, &p.req);
	http_parser_free(&p);
	return v;
}

static void test_request_origin(void **state)
{
	(void)state;
	assert_int_equal(verdict("Origin: " OWN "\r\n"), ORIGIN_OWN);
	assert_int_equal(verdict("origin: " OWN_TLS "\r\n"), ORIGIN_OWN);
	assert_int_equal(verdict("Origin: " EVIL "\r\n"), ORIGIN_FOREIGN);
	assert_int_equal(verdict("Origin: null\r\n"), ORIGIN_FOREIGN);
	/* Two Origin fields are not one origin. */
	assert_int_equal(verdict("Origin: " OWN "\r\nOrigin: " OWN "\r\n"),
			 ORIGIN_FOREIGN);
	/* Origin wins: a foreign Origin is not saved by an own Referer. */
	assert_int_equal(verdict("Origin: " EVIL "\r\nReferer: " OWN "/\r\n"),
			 ORIGIN_FOREIGN);
	assert_int_equal(verdict("Referer: " OWN "/cgi/phonebook\r\n"), ORIGIN_OWN);
	assert_int_equal(verdict("Referer: " EVIL "/x.html\r\n"), ORIGIN_FOREIGN);
	assert_int_equal(verdict(""), ORIGIN_MISSING);
}

/* One request, its answer in r; the caller frees r. */
static int ask(struct env *e, struct resp *r, const char *fmt, ...)
{
	char req[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	get(e, req, 0, r);
	return r->status;
}

static int ask_status(struct env *e, const char *fmt, const char *a,
		      const char *b)
{
	struct resp r;
	int status = ask(e, &r, fmt, a, b);

	resp_free(&r);
	return status;
}

/* POST body (with "&csrf=token" when token) to target with extra fields. */
static int post(struct env *e, const char *target, const char *fields,
		const char *body, const char *token, struct resp *r)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s%s", body, token ? "&csrf=" : "",
		 token ? token : "");
	return ask(e, r, "POST %s HTTP/1.1\r\nHost: c\r\n%s" FORM
		   "Content-Length: %zu\r\n\r\n%s", target, fields,
		   strlen(full), full);
}

static int post_status(struct env *e, const char *target, const char *fields,
		       const char *body, const char *token)
{
	struct resp r;
	int status = post(e, target, fields, body, token, &r);

	resp_free(&r);
	return status;
}

static bool phonebook_has(struct env *e, const char *what)
{
	struct resp r;
	bool has;

	assert_int_equal(ask(e, &r, "GET /cgi/phonebook HTTP/1.1\r\nHost: c\r\n"
			     AUTH_PIN "\r\n"), 200);
	has = strstr(r.body, what) != NULL;
	resp_free(&r);
	return has;
}

static void token(struct env *e, char out[SITE_CSRF_LEN + 1])
{
	assert_int_equal(site_csrf_token(e->site, out), 0);
}

static void test_post_origin(void **state)
{
	struct env *e = *state;
	char t[SITE_CSRF_LEN + 1];

	token(e, t);
	/* Foreign, opaque or absent origins: 403, nothing changed. */
	assert_int_equal(post_status(e, "/cgi/phonebook", "Origin: " EVIL "\r\n" AUTH_PIN,
				     ADD_EVE, t), 403);
	assert_int_equal(post_status(e, "/cgi/phonebook", "Origin: null\r\n" AUTH_PIN,
				     ADD_EVE, t), 403);
	assert_int_equal(post_status(e, "/cgi/phonebook", AUTH_PIN, ADD_EVE, t), 403);
	assert_int_equal(post_status(e, "/cgi/phonebook",
				     "Referer: " EVIL "/attack.html\r\n" AUTH_PIN,
				     ADD_EVE, t), 403);
	assert_false(phonebook_has(e, "Eve"));
	/* The origin is checked before the PIN: a foreign page guessing
	 * PINs spends none of the card's tries. */
	assert_int_equal(post_status(e, "/cgi/phonebook", "Origin: " EVIL "\r\n" AUTH_WRONG,
				     ADD_EVE, t), 403);
	assert_int_equal(post_status(e, "/cgi/unblock", "Origin: " EVIL "\r\n",
				     "puk=00000000&pin=1234", t), 403);
	assert_int_equal(card_pin_tries_left(e->pin), CARD_PIN_MAX_TRIES);
	assert_int_equal(card_pin_puk_tries_left(e->pin), CARD_PUK_MAX_TRIES);
	assert_int_equal(post_status(e, "/cgi/update?df=7F10&ef=6F3A&record=5&data=4142",
				     "Origin: " EVIL "\r\n" AUTH_PIN, "", t), 403);
	/* The card's own pages, by Origin or by Referer, get through. */
	assert_int_equal(post_status(e, "/cgi/phonebook", "Origin: " OWN "\r\n" AUTH_PIN,
				     ADD_EVE, t), 303);
	assert_true(phonebook_has(e, "Eve"));
	assert_int_equal(post_status(e, "/cgi/phonebook",
				     "Referer: " OWN "/cgi/phonebook\r\n" AUTH_PIN,
				     "action=add&name=Ann&number=1", t), 303);
	assert_true(phonebook_has(e, "Ann"));
}

static void test_csrf_token(void **state)
{
	struct env *e = *state;
	char t[SITE_CSRF_LEN + 1], old[SITE_CSRF_LEN + 1];
	struct resp r;
	const char *own = "Origin: " OWN "\r\n" AUTH_PIN;

	token(e, t);
	assert_int_equal(strlen(t), SITE_CSRF_LEN);
	assert_true(site_csrf_valid(e->site, t));
	/* Every form of the card carries it. */
	assert_int_equal(ask(e, &r, "GET /cgi/phonebook HTTP/1.1\r\nHost: c\r\n"
			     AUTH_PIN "\r\n"), 200);
	assert_non_null(strstr(r.body, "name=\"csrf\" value=\""));
	assert_non_null(strstr(r.body, t));
	resp_free(&r);
	assert_int_equal(ask(e, &r, "GET /cgi/unblock HTTP/1.1\r\nHost: c\r\n\r\n"), 200);
	assert_non_null(strstr(r.body, t));
	resp_free(&r);
	/* Missing, wrong, cut, repeated: 403 and nothing changed. */
	assert_int_equal(post_status(e, "/cgi/phonebook", own, ADD_EVE, NULL), 403);
	assert_int_equal(post_status(e, "/cgi/phonebook", own, ADD_EVE,
				     "00000000000000000000000000000000"), 403);
	t[SITE_CSRF_LEN - 1] = '\0';
	assert_int_equal(post_status(e, "/cgi/phonebook", own, ADD_EVE, t), 403);
	token(e, t);
	assert_int_equal(post_status(e, "/cgi/phonebook", own,
				     ADD_EVE "&csrf=00", t), 400);
	assert_false(phonebook_has(e, "Eve"));
	/* In the query string it counts as well (the form's action URL). */
	assert_int_equal(ask_status(e, "POST /cgi/phonebook?csrf=%s HTTP/1.1\r\n"
				    "Host: c\r\nOrigin: " OWN "\r\n" AUTH_PIN FORM
				    "Content-Length: %s\r\n\r\n" ADD_EVE, t, "30"), 303);
	assert_true(phonebook_has(e, "Eve"));
	/* A PIN change retires every token handed out before. */
	memcpy(old, t, sizeof(old));
	assert_int_equal(card_pin_change(e->pin, "0000", "1357"), PIN_OK);
	token(e, t);
	assert_string_not_equal(old, t);
	assert_false(site_csrf_valid(e->site, old));
	assert_int_equal(post_status(e, "/cgi/unblock", "Origin: " OWN "\r\n",
				     "puk=12345678&pin=0000", old), 403);
	assert_int_equal(post_status(e, "/cgi/unblock", "Origin: " OWN "\r\n",
				     "puk=12345678&pin=0000", t), 200);
	/* The key lives in the card state, 32 random bytes. */
	{
		const uint8_t *key;
		size_t len;

		assert_int_equal(card_state_get(e->st, SITE_CSRF_KEY, &key, &len), 0);
		assert_int_equal(len, 32);
	}
}

static void test_other_card_token(void **state)
{
	struct env *e = *state, *other;
	char mine[SITE_CSRF_LEN + 1], theirs[SITE_CSRF_LEN + 1];

	assert_int_equal(env_setup((void **)&other), 0);
	token(e, mine);
	token(other, theirs);
	/* Same PIN, same content, another card: another key. */
	assert_string_not_equal(mine, theirs);
	assert_false(site_csrf_valid(e->site, theirs));
	assert_int_equal(post_status(e, "/cgi/phonebook", "Origin: " OWN "\r\n" AUTH_PIN,
				     ADD_EVE, theirs), 403);
	env_teardown((void **)&other);
}

static void test_get_changes_nothing(void **state)
{
	struct env *e = *state;
	struct resp r;

	assert_int_equal(ask(e, &r, "GET /cgi/update?df=7F10&ef=6F3A&record=5&data=4142 "
			     "HTTP/1.1\r\nHost: c\r\n" AUTH_PIN "\r\n"), 405);
	assert_string_equal(field(&r, "Allow"), "POST");
	resp_free(&r);
	assert_int_equal(ask(e, &r, "HEAD /cgi/update?df=7F10&ef=6F3A&record=5&data=4142 "
			     "HTTP/1.1\r\nHost: c\r\n" AUTH_PIN "\r\n"), 405);
	resp_free(&r);
	assert_int_equal(ask(e, &r, "GET /cgi/phonebook?action=add&number=1 HTTP/1.1\r\n"
			     "Host: c\r\n" AUTH_PIN "\r\n"), 400);
	resp_free(&r);
	assert_int_equal(ask(e, &r, "GET /cgi/unblock?puk=12345678&pin=1234 HTTP/1.1\r\n"
			     "Host: c\r\n\r\n"), 400);
	resp_free(&r);
	assert_int_equal(ask(e, &r, "GET /cgi/display?df=7F10&ef=6F3A&record=5&length=2"
			     "&format=hex HTTP/1.1\r\nHost: c\r\n" AUTH_PIN "\r\n"), 200);
	assert_string_equal(r.body, "FFFF\n");
	resp_free(&r);
}

/* Whether any Access-Control-* field is in r. */
static bool any_cors(struct resp *r)
{
	return strcasestr(r->head, "\r\nAccess-Control-") != NULL;
}

static void test_preflight(void **state)
{
	struct env *e = *state;
	struct resp r;
	static const char pre[] = "OPTIONS /cgi/phonebook HTTP/1.1\r\nHost: c\r\n"
				  "Origin: %s\r\nAccess-Control-Request-Method: POST\r\n"
				  "Access-Control-Request-Headers: content-type\r\n%s\r\n";
	static const char pna[] = "Access-Control-Request-Private-Network: true\r\n";

	/* Foreign origins: 403, no grant of any kind. */
	assert_int_equal(ask(e, &r, pre, EVIL, ""), 403);
	assert_false(any_cors(&r));
	assert_string_equal(field(&r, "Vary"), "Origin");
	resp_free(&r);
	assert_int_equal(ask(e, &r, pre, EVIL, pna), 403);
	assert_false(any_cors(&r));
	assert_null(field(&r, "Access-Control-Allow-Private-Network"));
	resp_free(&r);
	assert_int_equal(ask(e, &r, pre, "null", pna), 403);
	assert_false(any_cors(&r));
	resp_free(&r);
	assert_int_equal(ask(e, &r, "OPTIONS /cgi/phonebook HTTP/1.1\r\nHost: c\r\n"
			     "Access-Control-Request-Method: POST\r\n\r\n"), 403);
	assert_false(any_cors(&r));
	resp_free(&r);
	/* The card's other origin: granted, exactly, with credentials. */
	assert_int_equal(ask(e, &r, pre, OWN_TLS, ""), 204);
	assert_string_equal(field(&r, "Access-Control-Allow-Origin"), OWN_TLS);
	assert_string_equal(field(&r, "Access-Control-Allow-Credentials"), "true");
	assert_non_null(strstr(field(&r, "Access-Control-Allow-Methods"), "POST"));
	assert_non_null(strcasestr(field(&r, "Access-Control-Allow-Headers"),
				   "content-type"));
	assert_string_equal(field(&r, "Vary"), "Origin");
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	assert_null(field(&r, "Access-Control-Allow-Private-Network"));
	resp_free(&r);
	assert_int_equal(ask(e, &r, pre, OWN_TLS, pna), 204);
	assert_string_equal(field(&r, "Access-Control-Allow-Private-Network"), "true");
	resp_free(&r);
	/* A preflight never runs the application. */
	assert_false(phonebook_has(e, "Eve"));
	/* OPTIONS without a preflight's fields: the methods. */
	assert_int_equal(ask(e, &r, "OPTIONS * HTTP/1.1\r\nHost: c\r\n\r\n"), 204);
	assert_string_equal(field(&r, "Allow"), "GET, HEAD, POST, OPTIONS");
	assert_false(any_cors(&r));
	resp_free(&r);
	assert_int_equal(ask(e, &r, "OPTIONS /cgi/update HTTP/1.1\r\nHost: c\r\n"
			     "Origin: " EVIL "\r\n\r\n"), 204);
	assert_false(any_cors(&r));
	resp_free(&r);
}

static void test_cors_on_answers(void **state)
{
	struct env *e = *state;
	char t[SITE_CSRF_LEN + 1];
	struct resp r;

	token(e, t);
	/* A foreign page's GET goes out (no preflight for it) but it may not
	 * read the answer: no grant. */
	assert_int_equal(ask(e, &r, "GET /cgi/phonebook HTTP/1.1\r\nHost: c\r\n"
			     "Origin: " EVIL "\r\n" AUTH_PIN "\r\n"), 200);
	assert_false(any_cors(&r));
	assert_string_equal(field(&r, "Vary"), "Origin");
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	assert_null(field(&r, "ETag"));
	resp_free(&r);
	assert_int_equal(ask(e, &r, "GET /cgi/unblock HTTP/1.1\r\nHost: c\r\n"
			     "Origin: " EVIL "\r\n\r\n"), 200);
	assert_false(any_cors(&r));
	resp_free(&r);
	/* The card's HTTPS page may read its HTTP answers. */
	assert_int_equal(post(e, "/cgi/phonebook", "Origin: " OWN_TLS "\r\n" AUTH_PIN,
			      ADD_EVE, t, &r), 303);
	assert_string_equal(field(&r, "Access-Control-Allow-Origin"), OWN_TLS);
	assert_string_equal(field(&r, "Access-Control-Allow-Credentials"), "true");
	assert_string_equal(field(&r, "Vary"), "Origin");
	resp_free(&r);
	/* Refusals are no-store and vary too. */
	assert_int_equal(post(e, "/cgi/phonebook", "Origin: " EVIL "\r\n" AUTH_PIN,
			      ADD_EVE, t, &r), 403);
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	assert_string_equal(field(&r, "Vary"), "Origin");
	assert_false(any_cors(&r));
	resp_free(&r);
	/* Static resources never grant CORS, so they need no Vary. */
	assert_int_equal(ask(e, &r, "GET /index.html HTTP/1.1\r\nHost: c\r\n"
			     "Origin: " OWN_TLS "\r\n\r\n"), 200);
	assert_false(any_cors(&r));
	assert_null(field(&r, "Vary"));
	resp_free(&r);
}

static void test_framing_and_caching(void **state)
{
	struct env *e = *state;
	struct resp r;
	char etag[64];
	static const char *const html[] = {
		"GET / HTTP/1.1\r\nHost: c\r\n\r\n",
		"GET /nothing-here HTTP/1.1\r\nHost: c\r\n\r\n",
		"GET /cgi/unblock HTTP/1.1\r\nHost: c\r\n\r\n",
		"GET /account/ HTTP/1.1\r\nHost: c\r\n\r\n",
		"GET /account/ HTTP/1.1\r\nHost: c\r\n" AUTH_PIN "\r\n",
	};

	for (size_t i = 0; i < sizeof(html) / sizeof(html[0]); i++) {
		get(e, html[i], 0, &r);
		assert_string_equal(field(&r, "X-Frame-Options"), "SAMEORIGIN");
		assert_string_equal(field(&r, "Content-Security-Policy"),
				    "frame-ancestors 'self'");
		resp_free(&r);
	}
	/* Not on a style sheet: nothing to frame. */
	assert_int_equal(ask(e, &r, "GET /style.css HTTP/1.1\r\nHost: c\r\n\r\n"), 200);
	assert_null(field(&r, "X-Frame-Options"));
	resp_free(&r);
	/* Authenticated answers are never stored, never validated. */
	assert_int_equal(ask(e, &r, "GET /account/ HTTP/1.1\r\nHost: c\r\n" AUTH_PIN
			     "\r\n"), 200);
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	assert_null(field(&r, "ETag"));
	assert_null(field(&r, "Last-Modified"));
	resp_free(&r);
	assert_int_equal(ask(e, &r, "GET /account/ HTTP/1.1\r\nHost: c\r\n\r\n"), 401);
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	resp_free(&r);
	/* The public pages keep their validators and 304s. */
	assert_int_equal(ask(e, &r, "GET / HTTP/1.1\r\nHost: c\r\n\r\n"), 200);
	assert_non_null(field(&r, "ETag"));
	snprintf(etag, sizeof(etag), "%s", field(&r, "ETag"));
	resp_free(&r);
	assert_int_equal(ask(e, &r, "GET / HTTP/1.1\r\nHost: c\r\nIf-None-Match: %s"
			     "\r\n\r\n", etag), 304);
	assert_int_equal(r.body_len, 0);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_origins),
		cmocka_unit_test(test_referer),
		cmocka_unit_test(test_request_origin),
		cmocka_unit_test_setup_teardown(test_post_origin, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_csrf_token, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_other_card_token, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_get_changes_nothing, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_preflight, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_cors_on_answers, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_framing_and_caching, env_setup, env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
