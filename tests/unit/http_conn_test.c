// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/http/http_buf.c card-sim/http/http_parse.c card-sim/http/http_url.c card-sim/http/http_response.c card-sim/http/http_date.c card-sim/http/http_cache.c card-sim/clock.c card-sim/http/http_router.c card-sim/http/http_origin.c card-sim/site/site_csrf.c card-sim/http/http_conn.c card-sim/site/site.c card-sim/site/site_admin.c card-sim/site/site_import.c card-sim/site/site_mime.c card-sim/site/site_cgi.c card-sim/site/site_cgi_fs.c card-sim/site/site_phonebook.c card-sim/site/site_adn.c card-sim/http/auth.c card-sim/uicc/pin.c card-sim/uicc/fs.c card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * The whole web server, bytes in and bytes out, serving the shipped portal
 * (card-sim/content) from a fresh state: static files, HEAD, 404, default
 * page, content types, keep-alive, pipelining, byte-at-a-time input, error
 * statuses and when the connection closes, a 1 MiB resource drained in
 * BIP-sized pieces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "http/http.h"
#include "site/site.h"
#include "uicc/pin.h"

#include "http_test_env.h"

static void test_static_get(void **state)
{
	struct env *e = *state;
	int64_t now = time(NULL), date;
	struct resp r;

	get(e, "GET / HTTP/1.1\r\nHost: 127.0.0.1:3516\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(field(&r, "Content-Type"), "text/html; charset=utf-8");
	assert_non_null(strstr(r.body, "<title>Welcome</title>"));
	/* The simulator's clock is the host's: Date is now, give or take. */
	assert_non_null(field(&r, "Date"));
	assert_true(http_date_parse(field(&r, "Date"), &date));
	assert_true(date >= now - 5 && date <= time(NULL) + 5);
	assert_null(field(&r, "Transfer-Encoding"));
	assert_int_equal(atoi(field(&r, "Content-Length")), r.body_len);
	assert_true(r.open);
	resp_free(&r);
}

static void test_content_types(void **state)
{
	static const struct {
		const char *path, *type;
	} cases[] = {
		{ "/style.css", "text/css; charset=utf-8" },
		{ "/img/logo.svg", "image/svg+xml" },
		{ "/img/help.png", "image/png" },
		{ "/store/ringtones/classic.mid", "audio/midi" },
		{ "/helpdesk/faq.html", "text/html; charset=utf-8" },
	};
	struct env *e = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char req[256];
		struct resp r;

		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: c\r\n\r\n",
			 cases[i].path);
		get(e, req, 0, &r);
		assert_int_equal(r.status, 200);
		assert_string_equal(field(&r, "Content-Type"), cases[i].type);
		resp_free(&r);
	}
	assert_string_equal(site_content_type("a/b.PNG"), "image/png");
	assert_string_equal(site_content_type("a.dir/noext"), "application/octet-stream");
	assert_string_equal(site_content_type("x."), "application/octet-stream");
}

static void test_png_bytes(void **state)
{
	struct env *e = *state;
	struct resp r;

	get(e, "GET /store/wallpapers/sunset.png HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 200);
	assert_true(r.body_len > 100);
	assert_memory_equal(r.body, "\x89PNG\r\n\x1a\n", 8);
	resp_free(&r);
}

static void test_head(void **state)
{
	struct env *e = *state;
	struct resp g, h;

	get(e, "GET /helpdesk/faq.html HTTP/1.1\r\nHost: c\r\n\r\n", 0, &g);
	get(e, "HEAD /helpdesk/faq.html HTTP/1.1\r\nHost: c\r\n\r\n", 0, &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(field(&h, "Content-Length"), field(&g, "Content-Length"));
	assert_int_equal(h.body_len, 0);
	assert_int_equal(h.raw_len, h.head_len);	/* nothing after the head */
	resp_free(&g);
	resp_free(&h);
}

static void test_not_found_and_dirs(void **state)
{
	struct env *e = *state;
	struct resp r;

	get(e, "GET /nope.html HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 404);
	assert_true(r.open);
	resp_free(&r);
	get(e, "GET /helpdesk HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 301);
	assert_string_equal(field(&r, "Location"), "/helpdesk/");
	resp_free(&r);
	get(e, "GET /helpdesk/ HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Help desk"));
	resp_free(&r);
	get(e, "GET /img/ HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	get(e, "GET /store/../index.html HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	get(e, "GET http://127.0.0.1:3516/style.css HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	get(e, "GET /../etc/passwd HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 400);
	resp_free(&r);
}

static void test_methods(void **state)
{
	struct env *e = *state;
	struct resp r;

	get(e, "DELETE / HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(field(&r, "Allow"), "GET, HEAD, POST, OPTIONS");
	assert_true(r.open);	/* framed fine: keep going */
	resp_free(&r);
	get(e, "POST /index.html HTTP/1.1\r\nHost: c\r\nContent-Length: 0\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(field(&r, "Allow"), "GET, HEAD");
	resp_free(&r);
	get(e, "POST /cgi/display HTTP/1.1\r\nHost: c\r\nContent-Length: 0\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(field(&r, "Allow"), "GET, HEAD");
	resp_free(&r);
	get(e, "VERYLONGMETHODNAME / HTTP/1.1\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 405);
	assert_false(r.open);
	resp_free(&r);
}

static void test_error_statuses_close(void **state)
{
	struct env *e = *state;
	char *req = malloc(2000);
	struct resp r;

	assert_non_null(req);
	get(e, "GET / HTTP/1.1\r\nBad Field\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 400);
	assert_false(r.open);
	assert_string_equal(field(&r, "Connection"), "close");
	resp_free(&r);
	strcpy(req, "GET /");
	memset(req + 5, 'a', 1100);
	strcpy(req + 1105, " HTTP/1.1\r\nHost: c\r\n\r\n");
	get(e, req, 0, &r);
	assert_int_equal(r.status, 414);
	assert_false(r.open);
	resp_free(&r);
	/* 1024 bytes is fine: a 404, not a 414. */
	strcpy(req, "GET /");
	memset(req + 5, 'a', 1023);
	strcpy(req + 1028, " HTTP/1.1\r\nHost: c\r\n\r\n");
	get(e, req, 0, &r);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	free(req);
	get(e, "POST /cgi/phonebook HTTP/1.1\r\nHost: c\r\nContent-Length: 100000\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 413);
	assert_false(r.open);
	resp_free(&r);
	get(e, "GET / HTTP/3.0\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 505);
	resp_free(&r);
	get(e, "POST / HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: br\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 501);
	resp_free(&r);
}

static void test_keep_alive_rules(void **state)
{
	struct env *e = *state;
	struct resp r;

	get(e, "GET / HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n", 0, &r);
	assert_false(r.open);
	assert_string_equal(field(&r, "Connection"), "close");
	resp_free(&r);
	get(e, "GET / HTTP/1.0\r\n\r\n", 0, &r);
	assert_false(r.open);
	resp_free(&r);
	get(e, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 0, &r);
	assert_true(r.open);
	assert_string_equal(field(&r, "Connection"), "keep-alive");
	resp_free(&r);
}

static void test_pipelining_in_order(void **state)
{
	struct env *e = *state;
	static const char reqs[] =
		"GET /style.css HTTP/1.1\r\nHost: c\r\n\r\n"
		"HEAD / HTTP/1.1\r\nHost: c\r\n\r\n"
		"GET /nope HTTP/1.1\r\nHost: c\r\n\r\n"
		"GET /helpdesk/contact.html HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n"
		"GET /never-answered HTTP/1.1\r\nHost: c\r\n\r\n";
	struct scws_http *h = scws_http_new(e->site);
	size_t len, off = 0;
	char *raw = exchange(h, reqs, strlen(reqs), 1, 0, &len);
	struct resp r;

	assert_true(next_response(raw, len, &off, false, &r));
	assert_int_equal(r.status, 200);
	assert_string_equal(field(&r, "Content-Type"), "text/css; charset=utf-8");
	resp_free(&r);
	assert_true(next_response(raw, len, &off, true, &r));
	assert_int_equal(r.status, 200);
	resp_free(&r);
	assert_true(next_response(raw, len, &off, false, &r));
	assert_int_equal(r.status, 404);
	resp_free(&r);
	assert_true(next_response(raw, len, &off, false, &r));
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Contact customer care"));
	resp_free(&r);
	assert_int_equal(off, len);	/* the request after close: ignored */
	assert_true(scws_http_done(h));
	free(raw);
	scws_http_free(h);
}

static void test_input_end(void **state)
{
	struct env *e = *state;
	struct scws_http *h = scws_http_new(e->site);
	const uint8_t *out;
	size_t n;

	/* A complete request, then the client half-closes: answered, done. */
	scws_http_input(h, (const uint8_t *)"GET / HTTP/1.1\r\nHost: c\r\n\r\n", 27);
	scws_http_input_end(h);
	n = scws_http_pending(h, &out);
	assert_true(n > 0);
	assert_false(scws_http_done(h));
	scws_http_consume(h, n);
	assert_true(scws_http_done(h));
	scws_http_free(h);

	/* Cut short: 400, then done. */
	h = scws_http_new(e->site);
	scws_http_input(h, (const uint8_t *)"GET / HT", 8);
	assert_int_equal(scws_http_pending(h, &out), 0);
	scws_http_input_end(h);
	n = scws_http_pending(h, &out);
	assert_true(n > 12);
	assert_memory_equal(out, "HTTP/1.1 400", 12);
	scws_http_consume(h, n);
	assert_true(scws_http_done(h));
	scws_http_free(h);

	/* Nothing at all: done at once, nothing to say. */
	h = scws_http_new(e->site);
	assert_false(scws_http_done(h));
	scws_http_input_end(h);
	assert_int_equal(scws_http_pending(h, &out), 0);
	assert_true(scws_http_done(h));
	scws_http_free(h);
}

static void test_expect_continue(void **state)
{
	struct env *e = *state;
	struct scws_http *h = scws_http_new(e->site);
	char head[512], body[128], token[SITE_CSRF_LEN + 1];
	const uint8_t *out;
	size_t n;

	assert_int_equal(site_csrf_token(e->site, token), 0);
	snprintf(body, sizeof(body), "puk=00000000&pin=1234&csrf=%s", token);
	snprintf(head, sizeof(head), "POST /cgi/unblock HTTP/1.1\r\nHost: c\r\n"
		 "Origin: http://127.0.0.1:3516\r\n"
		 "Content-Type: application/x-www-form-urlencoded\r\n"
		 "Expect: 100-continue\r\nContent-Length: %zu\r\n\r\n",
		 strlen(body));
	scws_http_input(h, (const uint8_t *)head, strlen(head));
	n = scws_http_pending(h, &out);
	assert_int_equal(n, 25);
	assert_memory_equal(out, "HTTP/1.1 100 Continue\r\n\r\n", 25);
	scws_http_consume(h, n);
	scws_http_input(h, (const uint8_t *)body, strlen(body));
	n = scws_http_pending(h, &out);
	assert_memory_equal(out, "HTTP/1.1 403", 12);	/* wrong PUK */
	scws_http_free(h);
	assert_int_equal(card_pin_puk_tries_left(e->pin), CARD_PUK_MAX_TRIES - 1);
}

static void test_large_resource_drained_slowly(void **state)
{
	struct env *e = *state;
	size_t size = 1u << 20, len, off = 0;
	uint8_t *big = malloc(size);
	static const char reqs[] = "GET /big.bin HTTP/1.1\r\nHost: c\r\n\r\n"
				   "HEAD /big.bin HTTP/1.1\r\nHost: c\r\n\r\n"
				   "GET /big.bin HTTP/1.1\r\nHost: c\r\n\r\n";
	struct scws_http *h;
	char *raw;
	struct resp r;

	assert_non_null(big);
	for (size_t i = 0; i < size; i++)
		big[i] = (uint8_t)(i * 7 + (i >> 8));
	assert_int_equal(site_resource_put(e->site, "/big.bin",
					   site_content_type("big.bin"), big, size), 0);
	h = scws_http_new(e->site);
	/* 237 bytes a RECEIVE/SEND DATA, as on a real card. */
	raw = exchange(h, reqs, strlen(reqs), 64, 237, &len);
	for (int i = 0; i < 3; i++) {
		assert_true(next_response(raw, len, &off, i == 1, &r));
		assert_int_equal(r.status, 200);
		assert_string_equal(field(&r, "Content-Type"), "application/octet-stream");
		assert_int_equal(atol(field(&r, "Content-Length")), size);
		if (i != 1) {
			assert_int_equal(r.body_len, size);
			assert_memory_equal(r.body, big, size);
		}
		resp_free(&r);
	}
	assert_int_equal(off, len);
	free(raw);
	scws_http_free(h);
	free(big);
}

static void test_import_once(void **state)
{
	struct env *e = *state;
	struct scws_site *again;
	struct site_resource res;

	/* A changed resource survives a restart with --content: the state
	 * is the truth after the first start. */
	assert_int_equal(site_resource_put(e->site, "/index.html", "text/plain",
					   "changed", 7), 0);
	assert_int_equal(card_state_save(e->st), 0);
	again = scws_site_open(e->st, e->pin, "card-sim/content");
	assert_non_null(again);
	assert_int_equal(site_resource_get(again, "/index.html", &res), 0);
	assert_int_equal(res.len, 7);
	assert_string_equal(res.content_type, "text/plain");
	scws_site_close(again);
	assert_true(site_is_protected(e->site, "/account/"));
	assert_true(site_is_protected(e->site, "/account"));
	assert_true(site_is_protected(e->site, "/account/index.html"));
	assert_false(site_is_protected(e->site, "/accounts"));
	assert_false(site_is_protected(e->site, "/"));
	assert_int_equal(site_resource_get(e->site, "/.protected", &res), -ENOENT);
}

static void test_missing_content_dir(void **state)
{
	struct env *e = *state;

	assert_int_equal(card_state_delete(e->st, SITE_IMPORTED_KEY), 0);
	assert_null(scws_site_open(e->st, e->pin, "/nonexistent/content"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_static_get, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_content_types, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_png_bytes, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_head, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_not_found_and_dirs, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_methods, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_error_statuses_close, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_keep_alive_rules, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_pipelining_in_order, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_input_end, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_expect_continue, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_large_resource_drained_slowly, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_import_once, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_missing_content_dir, env_setup, env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
