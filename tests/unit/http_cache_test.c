// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/http/http_buf.c card-sim/http/http_parse.c card-sim/http/http_url.c card-sim/http/http_response.c card-sim/http/http_date.c card-sim/http/http_cache.c card-sim/clock.c card-sim/http/http_router.c card-sim/http/http_origin.c card-sim/site/site_csrf.c card-sim/http/http_conn.c card-sim/site/site.c card-sim/site/site_admin.c card-sim/site/site_import.c card-sim/site/site_mime.c card-sim/site/site_cgi.c card-sim/site/site_cgi_fs.c card-sim/site/site_phonebook.c card-sim/site/site_adn.c card-sim/http/auth.c card-sim/uicc/pin.c card-sim/uicc/fs.c card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * HTTP caching in the card's web server, through the whole server (bytes
 * in, bytes out) on the shipped portal: ETag and 304, changed content,
 * If-Modified-Since, If-None-Match winning over it, Cache-Control by type,
 * HEAD, protected and /cgi/ answers never cached, HTTP-dates in all three
 * forms, entries from older states, and a card without a clock.
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

/* GET (or HEAD) path with extra field lines; returns the status. */
static int req(struct env *e, const char *method, const char *path,
	       const char *fields, struct resp *r)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s %s HTTP/1.1\r\nHost: c\r\n%s\r\n",
		 method, path, fields ? fields : "");
	get(e, buf, 0, r);
	return r->status;
}

/* The ETag of path's 200, copied out. */
static void etag_of(struct env *e, const char *path, char *out, size_t cap)
{
	struct resp r;

	assert_int_equal(req(e, "GET", path, NULL, &r), 200);
	assert_non_null(field(&r, "ETag"));
	snprintf(out, cap, "%s", field(&r, "ETag"));
	resp_free(&r);
}

static int64_t last_modified_of(struct env *e, const char *path)
{
	struct resp r;
	int64_t t;

	assert_int_equal(req(e, "GET", path, NULL, &r), 200);
	assert_non_null(field(&r, "Last-Modified"));
	assert_true(http_date_parse(field(&r, "Last-Modified"), &t));
	resp_free(&r);
	return t;
}

static void test_200_then_304(void **state)
{
	struct env *e = *state;
	char etag[64], fields[256];
	struct resp r, nm;

	assert_int_equal(req(e, "GET", "/style.css", NULL, &r), 200);
	assert_non_null(field(&r, "ETag"));
	snprintf(etag, sizeof(etag), "%s", field(&r, "ETag"));
	/* strong, quoted, 16 hex digits */
	assert_int_equal(strlen(etag), 18);
	assert_true(etag[0] == '"' && etag[17] == '"');
	assert_int_equal(strspn(etag + 1, "0123456789abcdef"), 16);
	assert_string_equal(field(&r, "Cache-Control"), "max-age=86400");
	assert_non_null(field(&r, "Last-Modified"));
	assert_non_null(field(&r, "Date"));
	assert_true(r.body_len > 0);

	snprintf(fields, sizeof(fields), "If-None-Match: %s\r\n", etag);
	assert_int_equal(req(e, "GET", "/style.css", fields, &nm), 304);
	assert_int_equal(nm.raw_len, nm.head_len);	/* no body at all */
	assert_null(field(&nm, "Content-Length"));
	assert_null(field(&nm, "Content-Type"));
	assert_null(field(&nm, "Last-Modified"));	/* the ETag says it */
	assert_string_equal(field(&nm, "ETag"), etag);
	assert_string_equal(field(&nm, "Cache-Control"), "max-age=86400");
	assert_non_null(field(&nm, "Date"));
	assert_true(nm.open);
	/* A revisit moves a few hundred bytes, not the style sheet. */
	assert_true(nm.raw_len < 200);
	assert_true(nm.raw_len < r.raw_len);
	print_message("# /style.css: 200 %zu bytes, 304 %zu bytes\n",
		      r.raw_len, nm.raw_len);
	resp_free(&nm);
	resp_free(&r);
}

static void test_if_none_match_forms(void **state)
{
	static const struct {
		const char *fmt;	/* %s: the ETag */
		int status;
	} cases[] = {
		{ "If-None-Match: %s\r\n", 304 },
		{ "If-None-Match: W/%s\r\n", 304 },		/* weak comparison */
		{ "If-None-Match: \"a\", %s\r\n", 304 },
		{ "If-None-Match: \"a\",W/%s , \"b\"\r\n", 304 },
		{ "If-None-Match: ,, %s\r\n", 304 },
		{ "If-None-Match: \"x,y\"\r\nIf-None-Match: %s\r\n", 304 },
		{ "If-None-Match: *\r\n", 304 },
		{ "If-None-Match: \"0000000000000000\"\r\n", 200 },
		{ "If-None-Match: \"a\", \"b\"\r\n", 200 },
		{ "If-None-Match: w/%s\r\n", 200 },		/* W/ is case-sensitive */
		{ "If-None-Match: \"%.5s\r\n", 200 },		/* unterminated */
		{ "If-None-Match: \r\n", 200 },
		{ "If-None-Match: **\r\n", 200 },
	};
	struct env *e = *state;
	char etag[64];

	etag_of(e, "/img/logo.svg", etag, sizeof(etag));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char fields[256];
		struct resp r;

		snprintf(fields, sizeof(fields), cases[i].fmt, etag);
		if (req(e, "GET", "/img/logo.svg", fields, &r) != cases[i].status)
			fail_msg("case %zu (%s): %d", i, fields, r.status);
		resp_free(&r);
	}
	/* Weak comparison by the value: a tag equal but for the case is
	 * another tag. */
	for (char *c = etag; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
	{
		char fields[256];
		struct resp r;

		snprintf(fields, sizeof(fields), "If-None-Match: %s\r\n", etag);
		assert_int_equal(req(e, "GET", "/img/logo.svg", fields, &r),
				 strpbrk(etag, "ABCDEF") ? 200 : 304);
		resp_free(&r);
	}
}

static void test_changed_content_new_etag(void **state)
{
	struct env *e = *state;
	char old[64], new[64], again[64], fields[256];
	struct resp r;

	etag_of(e, "/helpdesk/faq.html", old, sizeof(old));
	assert_int_equal(site_resource_put(e->site, "/helpdesk/faq.html",
					   "text/html; charset=utf-8",
					   "<p>new</p>", 10), 0);
	snprintf(fields, sizeof(fields), "If-None-Match: %s\r\n", old);
	assert_int_equal(req(e, "GET", "/helpdesk/faq.html", fields, &r), 200);
	assert_string_equal(r.body, "<p>new</p>");
	snprintf(new, sizeof(new), "%s", field(&r, "ETag"));
	assert_string_not_equal(new, old);
	resp_free(&r);
	snprintf(fields, sizeof(fields), "If-None-Match: %s\r\n", new);
	assert_int_equal(req(e, "GET", "/helpdesk/faq.html", fields, &r), 304);
	resp_free(&r);

	/* The type is part of the representation. */
	assert_int_equal(site_resource_put(e->site, "/helpdesk/faq.html",
					   "text/plain", "<p>new</p>", 10), 0);
	etag_of(e, "/helpdesk/faq.html", again, sizeof(again));
	assert_string_not_equal(again, new);
	/* Equal bytes, equal tag: a re-import keeps clients' caches. */
	assert_int_equal(site_resource_put(e->site, "/helpdesk/faq.html",
					   "text/html; charset=utf-8",
					   "<p>new</p>", 10), 0);
	etag_of(e, "/helpdesk/faq.html", again, sizeof(again));
	assert_string_equal(again, new);
	/* ... and survives a restart of the card (the tag is stored). */
	assert_int_equal(card_state_save(e->st), 0);
	scws_site_close(e->site);
	card_pin_close(e->pin);
	card_state_close(e->st);
	e->st = card_state_open(e->path, false);
	assert_non_null(e->st);
	e->pin = card_pin_open(e->st);
	e->site = scws_site_open(e->st, e->pin, "card-sim/content");
	assert_non_null(e->site);
	etag_of(e, "/helpdesk/faq.html", again, sizeof(again));
	assert_string_equal(again, new);
}

static void test_if_modified_since(void **state)
{
	struct env *e = *state;
	int64_t lm = last_modified_of(e, "/img/help.png");
	char d[HTTP_DATE_LEN + 1], etag[64], fields[512];
	struct resp r;

	etag_of(e, "/img/help.png", etag, sizeof(etag));
	assert_true(lm > 0);
	/* not modified since the very second, or later */
	http_date_format(lm, d);
	snprintf(fields, sizeof(fields), "If-Modified-Since: %s\r\n", d);
	assert_int_equal(req(e, "GET", "/img/help.png", fields, &r), 304);
	assert_string_equal(field(&r, "ETag"), etag);
	resp_free(&r);
	http_date_format(lm + 86400, d);
	snprintf(fields, sizeof(fields), "If-Modified-Since: %s\r\n", d);
	assert_int_equal(req(e, "GET", "/img/help.png", fields, &r), 304);
	resp_free(&r);
	/* modified since a second before */
	http_date_format(lm - 1, d);
	snprintf(fields, sizeof(fields), "If-Modified-Since: %s\r\n", d);
	assert_int_equal(req(e, "GET", "/img/help.png", fields, &r), 200);
	assert_true(r.body_len > 0);
	resp_free(&r);
	/* not a valid date, or two of them: ignored */
	assert_int_equal(req(e, "GET", "/img/help.png",
			     "If-Modified-Since: yesterday\r\n", &r), 200);
	resp_free(&r);
	http_date_format(lm, d);
	snprintf(fields, sizeof(fields), "If-Modified-Since: %s\r\n"
		 "If-Modified-Since: %s\r\n", d, d);
	assert_int_equal(req(e, "GET", "/img/help.png", fields, &r), 200);
	resp_free(&r);
	/* If-None-Match wins: a mismatch is 200 whatever the date says ... */
	snprintf(fields, sizeof(fields), "If-Modified-Since: %s\r\n"
		 "If-None-Match: \"0123456789abcdef\"\r\n", d);
	assert_int_equal(req(e, "GET", "/img/help.png", fields, &r), 200);
	resp_free(&r);
	/* ... and a match is 304 even with a date that says modified */
	http_date_format(lm - 3600, d);
	snprintf(fields, sizeof(fields), "If-None-Match: %s\r\n"
		 "If-Modified-Since: %s\r\n", etag, d);
	assert_int_equal(req(e, "GET", "/img/help.png", fields, &r), 304);
	resp_free(&r);
	/* the date may come in the obsolete forms too */
	assert_int_equal(req(e, "GET", "/img/help.png",
			     "If-Modified-Since: Friday, 31-Dec-49 23:59:59 GMT\r\n",
			     &r), 304);
	resp_free(&r);
	assert_int_equal(req(e, "GET", "/img/help.png",
			     "If-Modified-Since: Thu Jan  1 00:00:00 1970\r\n",
			     &r), 200);
	resp_free(&r);
}

static void test_head_same_fields(void **state)
{
	struct env *e = *state;
	char fields[256], etag[64];
	struct resp g, h;

	assert_int_equal(req(e, "GET", "/img/store.png", NULL, &g), 200);
	assert_int_equal(req(e, "HEAD", "/img/store.png", NULL, &h), 200);
	snprintf(etag, sizeof(etag), "%s", field(&g, "ETag"));
	assert_int_equal(h.raw_len, h.head_len);
	{
		static const char *const names[] = {
			"ETag", "Last-Modified", "Cache-Control", "Content-Type",
			"Content-Length",
		};

		for (size_t i = 0; i < 5; i++) {
			char gv[1024];

			assert_non_null(field(&g, names[i]));
			snprintf(gv, sizeof(gv), "%s", field(&g, names[i]));
			assert_non_null(field(&h, names[i]));
			assert_string_equal(field(&h, names[i]), gv);
		}
	}
	assert_non_null(field(&h, "Date"));
	resp_free(&g);
	resp_free(&h);
	snprintf(fields, sizeof(fields), "If-None-Match: %s\r\n", etag);
	assert_int_equal(req(e, "HEAD", "/img/store.png", fields, &h), 304);
	assert_string_equal(field(&h, "ETag"), etag);
	resp_free(&h);
}

static void test_cache_control_by_type(void **state)
{
	static const struct {
		const char *path, *cc;
	} cases[] = {
		{ "/", "no-cache" },
		{ "/helpdesk/contact.html", "no-cache" },
		{ "/style.css", "max-age=86400" },
		{ "/img/logo.svg", "max-age=86400" },
		{ "/store/wallpapers/waves.png", "max-age=86400" },
		{ "/store/ringtones/beep.mid", "max-age=86400" },
		{ "/data.bin", "no-cache" },
	};
	struct env *e = *state;

	assert_int_equal(site_resource_put(e->site, "/data.bin",
					   site_content_type("data.bin"), "x", 1), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r;

		assert_int_equal(req(e, "GET", cases[i].path, NULL, &r), 200);
		assert_non_null(field(&r, "Cache-Control"));
		assert_string_equal(field(&r, "Cache-Control"), cases[i].cc);
		resp_free(&r);
	}
	assert_string_equal(http_cache_policy("IMAGE/PNG"), "max-age=86400");
	assert_string_equal(http_cache_policy(NULL), "no-cache");
}

static void test_protected_and_dynamic_never_cached(void **state)
{
	struct env *e = *state;
	struct resp r;

	/* The right PIN: the page, but nothing a cache may keep. */
	assert_int_equal(req(e, "GET", "/account/",
			     "Authorization: Basic dTowMDAw\r\n", &r), 200);
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	assert_null(field(&r, "ETag"));
	assert_null(field(&r, "Last-Modified"));
	resp_free(&r);
	/* No 304 for it either, nor one that skips the PIN. */
	assert_int_equal(req(e, "GET", "/account/index.html",
			     "Authorization: Basic dTowMDAw\r\n"
			     "If-None-Match: *\r\n", &r), 200);
	assert_true(r.body_len > 0);
	resp_free(&r);
	assert_int_equal(req(e, "GET", "/account/", "If-None-Match: *\r\n", &r),
			 401);
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	assert_null(field(&r, "ETag"));
	resp_free(&r);
	/* /cgi/ answers are made per request. */
	assert_int_equal(req(e, "GET", "/cgi/phonebook",
			     "Authorization: Basic dTowMDAw\r\n"
			     "If-None-Match: *\r\n", &r), 200);
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	assert_null(field(&r, "ETag"));
	assert_null(field(&r, "Last-Modified"));
	resp_free(&r);
	assert_int_equal(req(e, "GET", "/cgi/display?df=3F00&ef=2FE2&format=hex",
			     "If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT\r\n",
			     &r), 200);
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	resp_free(&r);
	/* Preconditions only count for what would have been a 200. */
	assert_int_equal(req(e, "GET", "/nope.css", "If-None-Match: *\r\n", &r), 404);
	assert_null(field(&r, "ETag"));
	assert_null(field(&r, "Cache-Control"));
	assert_non_null(field(&r, "Date"));
	resp_free(&r);
	assert_int_equal(req(e, "GET", "/helpdesk", "If-None-Match: *\r\n", &r), 301);
	assert_null(field(&r, "ETag"));
	resp_free(&r);
}

static void test_http_date(void **state)
{
	static const char *const bad[] = {
		"", "Sun", "Sun, 06 Nov 1994 08:49:37 GMT ", "Sun, 06 Nov 1994 08:49:37 gmt",
		"Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT",
		"Sun, 31 Nov 1994 08:49:37 GMT", "Sun, 29 Feb 1900 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
		"Sunday, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT",
		"Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 1994 ",
		"Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
	};
	char out[HTTP_DATE_LEN + 1];
	int64_t t;

	(void)state;
	http_date_format(784111777, out);
	assert_string_equal(out, "Sun, 06 Nov 1994 08:49:37 GMT");
	http_date_format(0, out);
	assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 GMT");
	http_date_format(1709164800, out);	/* a leap day */
	assert_string_equal(out, "Thu, 29 Feb 2024 00:00:00 GMT");
	http_date_format(253402300799, out);
	assert_string_equal(out, "Fri, 31 Dec 9999 23:59:59 GMT");
	assert_true(http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t));
	assert_int_equal(t, 784111777);
	assert_true(http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t));
	assert_int_equal(t, 784111777);
	assert_true(http_date_parse("Sun Nov  6 08:49:37 1994", &t));
	assert_int_equal(t, 784111777);
	assert_true(http_date_parse("Thu, 29 Feb 2024 00:00:00 GMT", &t));
	assert_int_equal(t, 1709164800);
	assert_true(http_date_parse("Sat, 31 Dec 2016 23:59:60 GMT", &t));
	assert_int_equal(t, 1483228799);	/* a leap second, as :59 */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (http_date_parse(bad[i], &t))
			fail_msg("accepted \"%s\"", bad[i]);
	/* What is written is read back, 1970 to 9999. */
	for (int64_t x = 0; x < 253402300799; x += 86400 * 37 + 3607) {
		http_date_format(x, out);
		assert_int_equal(strlen(out), HTTP_DATE_LEN);
		assert_true(http_date_parse(out, &t));
		assert_int_equal(t, x);
	}
}

/* States written before ETags kept resources as format 1: still served,
 * with a tag computed from the bytes and no Last-Modified. */
static void test_format1_entry(void **state)
{
	static const uint8_t v1[] = "\x01\x0btext/plain\0hello";
	struct env *e = *state;
	char etag[64], fields[256];
	struct resp r;

	assert_int_equal(card_state_set(e->st, "content/old.txt", v1,
					sizeof(v1) - 1), 0);
	assert_int_equal(req(e, "GET", "/old.txt", NULL, &r), 200);
	assert_string_equal(r.body, "hello");
	assert_null(field(&r, "Last-Modified"));
	assert_non_null(field(&r, "ETag"));
	snprintf(etag, sizeof(etag), "%s", field(&r, "ETag"));
	resp_free(&r);
	/* The same tag as the same bytes stored today. */
	assert_int_equal(site_resource_put(e->site, "/new.txt", "text/plain",
					   "hello", 5), 0);
	etag_of(e, "/new.txt", fields, sizeof(fields));
	assert_string_equal(fields, etag);
	snprintf(fields, sizeof(fields), "If-None-Match: %s\r\n", etag);
	assert_int_equal(req(e, "GET", "/old.txt", fields, &r), 304);
	resp_free(&r);
}

/* Last: the clock stays off for the rest of the program. */
static void test_card_without_clock(void **state)
{
	struct env *e = *state;
	char etag[64], fields[256];
	struct resp r;

	card_clock_disable();
	assert_int_equal(card_clock_now(), 0);
	assert_int_equal(site_resource_put(e->site, "/x.css", "text/css",
					   "p{}", 3), 0);
	assert_int_equal(req(e, "GET", "/x.css", NULL, &r), 200);
	assert_null(field(&r, "Date"));			/* RFC 9110 6.6.1 */
	assert_null(field(&r, "Last-Modified"));	/* stored without a time */
	assert_non_null(field(&r, "ETag"));
	snprintf(etag, sizeof(etag), "%s", field(&r, "ETag"));
	resp_free(&r);
	snprintf(fields, sizeof(fields), "If-None-Match: %s\r\n", etag);
	assert_int_equal(req(e, "GET", "/x.css", fields, &r), 304);
	resp_free(&r);
	assert_int_equal(req(e, "GET", "/x.css",
			     "If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT\r\n",
			     &r), 200);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_200_then_304, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_if_none_match_forms, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_changed_content_new_etag, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_if_modified_since, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_head_same_fields, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_cache_control_by_type, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_protected_and_dynamic_never_cached, env_setup, env_teardown),
		cmocka_unit_test(test_http_date),
		cmocka_unit_test_setup_teardown(test_format1_entry, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_card_without_clock, env_setup, env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
