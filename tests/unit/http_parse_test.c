// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/http/http_parse.c card-sim/http/http_buf.c card-sim/http/http_url.c
/*
 * The SCWS request parser: every limit and the status it answers, chunked
 * bodies, pipelining, byte-at-a-time input; and request-target decoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "http/http.h"

static struct http_parser *new_parser(void)
{
	struct http_parser *p = malloc(sizeof(*p));

	assert_non_null(p);
	http_parser_init(p);
	return p;
}

static void free_parser(struct http_parser *p)
{
	http_parser_free(p);
	free(p);
}

/* Feeds s in pieces of `step` bytes; returns the bytes used. */
static size_t feed(struct http_parser *p, const char *s, size_t len, size_t step)
{
	size_t used = 0;

	while (used < len && p->state != PARSE_DONE && p->state != PARSE_ERROR) {
		size_t n = len - used < step ? len - used : step;
		size_t got = http_parser_feed(p, (const uint8_t *)s + used, n);

		assert_true(got <= n);
		used += got;
		if (got < n)
			break;
	}
	return used;
}

/* Parses s whole and returns the final state's status: 0 = done. */
static int parse_status(const char *s, size_t len)
{
	struct http_parser *p = new_parser();
	int status;

	feed(p, s, len, len ? len : 1);
	status = p->state == PARSE_DONE ? 0 :
		 p->state == PARSE_ERROR ? p->error : -1;
	free_parser(p);
	return status;
}

static int status_of(const char *s)
{
	return parse_status(s, strlen(s));
}

/* "GET /<n x 'a'> HTTP/1.1" with a Host, as a malloc'd string. */
static char *request_with_target(size_t target_len)
{
	char *s = malloc(target_len + 64);

	assert_non_null(s);
	strcpy(s, "GET /");
	memset(s + 5, 'a', target_len - 1);
	strcpy(s + 4 + target_len, " HTTP/1.1\r\nHost: c\r\n\r\n");
	return s;
}

static void test_simple_get(void **state)
{
	static const char req[] = "GET /index.html?x=1 HTTP/1.1\r\n"
				  "Host: 127.0.0.1:3516\r\nAccept:  text/html \r\n\r\n";
	struct http_parser *p = new_parser();

	(void)state;
	assert_int_equal(feed(p, req, strlen(req), 4096), strlen(req));
	assert_int_equal(p->state, PARSE_DONE);
	assert_int_equal(p->req.method, HTTP_GET);
	assert_string_equal(p->req.method_name, "GET");
	assert_string_equal(p->req.target, "/index.html?x=1");
	assert_int_equal(p->req.minor, 1);
	assert_true(p->req.keep_alive);
	assert_string_equal(http_request_field(&p->req, "accept"), "text/html");
	assert_string_equal(http_request_field(&p->req, "HOST"), "127.0.0.1:3516");
	assert_null(http_request_field(&p->req, "Cookie"));
	assert_int_equal(p->req.body_len, 0);
	free_parser(p);
}

static void test_one_byte_at_a_time(void **state)
{
	static const char req[] = "\r\nPOST /cgi/phonebook HTTP/1.1\r\nHost: c\r\n"
				  "Transfer-Encoding: chunked\r\n\r\n"
				  "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n";
	struct http_parser *p = new_parser();

	(void)state;
	assert_int_equal(feed(p, req, strlen(req), 1), strlen(req));
	assert_int_equal(p->state, PARSE_DONE);
	assert_int_equal(p->req.method, HTTP_POST);
	assert_int_equal(p->req.body_len, 11);
	assert_memory_equal(p->req.body, "hello world", 11);
	free_parser(p);
}

static void test_pipelined(void **state)
{
	static const char two[] = "GET /a HTTP/1.1\r\nHost: c\r\n\r\n"
				  "POST /b HTTP/1.1\r\nHost: c\r\nContent-Length: 3\r\n\r\nxyz"
				  "HEAD /c HTTP/1.0\r\n\r\n";
	struct http_parser *p = new_parser();
	size_t off = 0, n;

	(void)state;
	n = http_parser_feed(p, (const uint8_t *)two, strlen(two));
	assert_int_equal(p->state, PARSE_DONE);
	assert_string_equal(p->req.target, "/a");
	off += n;
	http_parser_next(p);
	n = http_parser_feed(p, (const uint8_t *)two + off, strlen(two) - off);
	assert_int_equal(p->state, PARSE_DONE);
	assert_string_equal(p->req.target, "/b");
	assert_memory_equal(p->req.body, "xyz", 3);
	off += n;
	http_parser_next(p);
	n = http_parser_feed(p, (const uint8_t *)two + off, strlen(two) - off);
	assert_int_equal(p->state, PARSE_DONE);
	assert_int_equal(p->req.method, HTTP_HEAD);
	assert_int_equal(p->req.minor, 0);
	assert_false(p->req.keep_alive);
	assert_int_equal(off + n, strlen(two));
	free_parser(p);
}

static void test_bare_lf_lines(void **state)
{
	(void)state;
	assert_int_equal(status_of("GET / HTTP/1.1\nHost: c\n\n"), 0);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: c\n\r\n"), 0);
}

static void test_target_limit(void **state)
{
	char *ok = request_with_target(HTTP_MAX_TARGET);
	char *big = request_with_target(HTTP_MAX_TARGET + 1);
	char *huge = request_with_target(8000);

	(void)state;
	assert_int_equal(HTTP_MAX_TARGET, 1024);
	assert_int_equal(status_of(ok), 0);
	assert_int_equal(status_of(big), 414);
	assert_int_equal(status_of(huge), 414);
	/* Refused early, before the line is even complete. */
	assert_int_equal(parse_status(big, 4 + HTTP_MAX_TARGET + 1), 414);
	free(ok);
	free(big);
	free(huge);
}

static void test_methods(void **state)
{
	struct http_parser *p = new_parser();
	static const char put[] = "PUT /x HTTP/1.1\r\nHost: c\r\nContent-Length: 2\r\n\r\nab";

	(void)state;
	feed(p, put, strlen(put), 1);
	assert_int_equal(p->state, PARSE_DONE);	/* framed: the router says 405 */
	assert_int_equal(p->req.method, HTTP_OTHER);
	assert_string_equal(p->req.method_name, "PUT");
	free_parser(p);
	assert_int_equal(status_of("get / HTTP/1.1\r\nHost: c\r\n\r\n"), 0);
	assert_int_equal(status_of("ABCDEFGHIJKLMNOPQ / HTTP/1.1\r\n\r\n"), 405);
	assert_int_equal(status_of("G(T / HTTP/1.1\r\n\r\n"), 400);
	assert_int_equal(status_of("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"), 400);
}

static void test_request_line_errors(void **state)
{
	(void)state;
	assert_int_equal(status_of("GET /\r\n\r\n"), 400);
	assert_int_equal(status_of("GET  / HTTP/1.1\r\n\r\n"), 400);
	assert_int_equal(status_of(" GET / HTTP/1.1\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1 \r\n\r\n"), 400);
	assert_int_equal(status_of("GET / http/1.1\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/11\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/2.0\r\nHost: c\r\n\r\n"), 505);
	assert_int_equal(status_of("GET / HTTP/1.1\rX\r\n\r\n"), 400);
	assert_int_equal(status_of("GET /a\x7f HTTP/1.1\r\nHost: c\r\n\r\n"), 400);
	assert_int_equal(status_of("GET /\xc3\xa9 HTTP/1.1\r\nHost: c\r\n\r\n"), 400);
	assert_int_equal(parse_status("GET /\0 HTTP/1.1\r\nHost: c\r\n\r\n", 29), 400);
}

static void test_versions(void **state)
{
	struct http_parser *p = new_parser();
	static const char req[] = "GET / HTTP/1.7\r\nHost: c\r\n\r\n";

	(void)state;
	feed(p, req, strlen(req), 100);
	assert_int_equal(p->state, PARSE_DONE);
	assert_int_equal(p->req.minor, 1);	/* 1.x is answered as 1.1 */
	free_parser(p);
	assert_int_equal(status_of("GET / HTTP/1.0\r\n\r\n"), 0);
}

static void test_host_rules(void **state)
{
	(void)state;
	assert_int_equal(status_of("GET / HTTP/1.1\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
}

static void test_field_syntax(void **state)
{
	(void)state;
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: c\r\nX : 1\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: c\r\nX: 1\r\n folded\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: c\r\nNoColon\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: c\r\n: empty\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: c\r\nX: a\rb\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: c\r\nX: a\x01\r\n\r\n"), 400);
	assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: c\r\nX: a\0b\r\n\r\n", 35), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: c\r\nX: caf\xc3\xa9\r\n\r\n"), 0);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: c\r\nEmpty:\r\n\r\n"), 0);
}

/* A request whose header section is exactly `bytes` bytes of fields. */
static char *request_with_headers(size_t bytes, size_t fields)
{
	char *s = malloc(bytes + 64);
	size_t n = 0, per = bytes / fields;

	assert_non_null(s);
	n += (size_t)sprintf(s, "GET / HTTP/1.1\r\n");
	for (size_t i = 0; i < fields; i++) {
		size_t len = i + 1 < fields ? per : bytes - per * (fields - 1);
		size_t start = n;

		assert_true(len >= 8);
		n += (size_t)sprintf(s + n, i ? "X%03zu: " : "Host: ", i);
		while (n - start < len - 2)
			s[n++] = 'v';
		s[n++] = '\r';
		s[n++] = '\n';
	}
	strcpy(s + n, "\r\n");
	return s;
}

static void test_header_limits(void **state)
{
	char *s;

	(void)state;
	s = request_with_headers(HTTP_MAX_HEADERS, 4);
	assert_int_equal(status_of(s), 0);
	free(s);
	s = request_with_headers(HTTP_MAX_HEADERS + 1, 4);
	assert_int_equal(status_of(s), 431);
	free(s);
	s = request_with_headers(100000, 20);
	assert_int_equal(status_of(s), 431);
	free(s);
	s = request_with_headers(32 * 10, HTTP_MAX_FIELDS);
	assert_int_equal(status_of(s), 0);
	free(s);
	s = request_with_headers(33 * 10, HTTP_MAX_FIELDS + 1);
	assert_int_equal(status_of(s), 431);
	free(s);
}

static void test_body_limits(void **state)
{
	char head[128];
	char *s = malloc(HTTP_MAX_BODY + 200);
	int n;

	(void)state;
	assert_non_null(s);
	n = sprintf(head, "POST /x HTTP/1.1\r\nHost: c\r\nContent-Length: %d\r\n\r\n",
		    HTTP_MAX_BODY);
	memcpy(s, head, (size_t)n);
	memset(s + n, 'b', HTTP_MAX_BODY);
	assert_int_equal(parse_status(s, (size_t)n + HTTP_MAX_BODY), 0);
	free(s);
	snprintf(head, sizeof(head), "POST /x HTTP/1.1\r\nHost: c\r\n"
		 "Content-Length: %d\r\n\r\n", HTTP_MAX_BODY + 1);
	assert_int_equal(status_of(head), 413);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\n"
				   "Content-Length: 99999999999999999999999\r\n\r\n"), 413);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\n"
				   "Transfer-Encoding: chunked\r\n\r\n4001\r\n"), 413);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\n"
				   "Transfer-Encoding: chunked\r\n\r\n"
				   "FFFFFFFFFFFFFFFFFFFFFFFF\r\n"), 413);
}

static void test_chunked_errors(void **state)
{
	char line[400];

	(void)state;
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: chunked\r\n\r\n"
				   "zz\r\n"), 400);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: chunked\r\n\r\n"
				   "3\r\nabcX\r\n"), 400);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: chunked\r\n\r\n"
				   "3 x\r\n"), 400);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: chunked\r\n\r\n"
				   "0\r\nbad trailer\r\n\r\n"), 400);
	snprintf(line, sizeof(line), "POST /x HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: chunked\r\n\r\n"
		 "1;%0300d\r\n", 0);
	assert_int_equal(status_of(line), 400);
	/* Two chunks that add up past the limit. */
	snprintf(line, sizeof(line), "POST /x HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: chunked\r\n\r\n"
		 "%x\r\n", HTTP_MAX_BODY);
	{
		size_t n = strlen(line);
		char *s = malloc(n + HTTP_MAX_BODY + 16);

		assert_non_null(s);
		memcpy(s, line, n);
		memset(s + n, 'c', HTTP_MAX_BODY);
		memcpy(s + n + HTTP_MAX_BODY, "\r\n1\r\n", 5);
		assert_int_equal(parse_status(s, n + HTTP_MAX_BODY + 5), 413);
		free(s);
	}
}

static void test_framing_conflicts(void **state)
{
	(void)state;
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nContent-Length: 3\r\n"
				   "Transfer-Encoding: chunked\r\n\r\n"), 400);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), 501);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: gzip\r\n\r\n"), 501);
	assert_int_equal(status_of("POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nContent-Length: 1a\r\n\r\n"), 400);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nContent-Length: -1\r\n\r\n"), 400);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nContent-Length: 1\r\n"
				   "Content-Length: 2\r\n\r\nab"), 400);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nContent-Length: 2\r\n"
				   "Content-Length: 2\r\n\r\nab"), 0);
	assert_int_equal(status_of("POST /x HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n"), 0);
}

static void test_connection_and_expect(void **state)
{
	struct http_parser *p = new_parser();
	static const char close_req[] = "GET / HTTP/1.1\r\nHost: c\r\nConnection: Keep-Alive, close\r\n\r\n";
	static const char ka10[] = "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
	static const char expect[] = "POST / HTTP/1.1\r\nHost: c\r\nExpect: 100-continue\r\n"
				     "Content-Length: 2\r\n\r\n";

	(void)state;
	feed(p, close_req, strlen(close_req), 7);
	assert_false(p->req.keep_alive);
	http_parser_next(p);
	feed(p, ka10, strlen(ka10), 7);
	assert_true(p->req.keep_alive);
	http_parser_next(p);
	feed(p, expect, strlen(expect), 1000);
	assert_int_equal(p->state, PARSE_BODY);
	assert_true(p->continue_due);
	feed(p, "ok", 2, 2);
	assert_int_equal(p->state, PARSE_DONE);
	free_parser(p);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: c\r\nExpect: teapot\r\n\r\n"), 417);
}

static void test_incomplete(void **state)
{
	struct http_parser *p = new_parser();

	(void)state;
	assert_false(http_parser_started(p));
	http_parser_feed(p, (const uint8_t *)"\r\n", 2);
	assert_false(http_parser_started(p));
	http_parser_feed(p, (const uint8_t *)"GET / HT", 8);
	assert_true(http_parser_started(p));
	assert_int_equal(p->state, PARSE_HEAD);
	free_parser(p);
}

static void test_pct_decode(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(http_pct_decode("a%20b+c", 7, false, out, sizeof(out)), 5);
	assert_string_equal(out, "a b+c");
	assert_int_equal(http_pct_decode("a%20b+c", 7, true, out, sizeof(out)), 5);
	assert_string_equal(out, "a b c");
	assert_int_equal(http_pct_decode("%c3%A9", 6, false, out, sizeof(out)), 2);
	assert_string_equal(out, "\xc3\xa9");
	assert_int_equal(http_pct_decode("%2", 3, false, out, sizeof(out)), -1);
	assert_int_equal(http_pct_decode("%zz", 3, false, out, sizeof(out)), -1);
	assert_int_equal(http_pct_decode("%00", 3, false, out, sizeof(out)), -1);
	assert_int_equal(http_pct_decode("abcd", 4, false, out, 4), -1);
	assert_int_equal(http_pct_decode("abc", 3, false, out, 4), 3);
}

static void expect_path(const char *target, const char *path, const char *query)
{
	char out[HTTP_MAX_TARGET + 2];
	const char *q = "unset";

	assert_int_equal(http_target_split(target, out, sizeof(out), &q), 0);
	assert_string_equal(out, path);
	if (query)
		assert_string_equal(q, query);
	else
		assert_null(q);
}

static void test_target_split(void **state)
{
	char out[HTTP_MAX_TARGET + 2];
	const char *q;

	(void)state;
	expect_path("/", "/", NULL);
	expect_path("/a/b.html?x=1&y=%20", "/a/b.html", "x=1&y=%20");
	expect_path("/a//b/./c/../d", "/a/b/d", NULL);
	expect_path("/account/../account//index.html", "/account/index.html", NULL);
	expect_path("/helpdesk/", "/helpdesk/", NULL);
	expect_path("/helpdesk/.", "/helpdesk/", NULL);
	expect_path("/a/b/..", "/a/", NULL);
	expect_path("/%61ccount/", "/account/", NULL);
	expect_path("/a%2Fb", "/a/b", NULL);
	expect_path("http://127.0.0.1:3516/x?y", "/x", "y");
	expect_path("HTTPS://host/", "/", NULL);
	expect_path("/?", "/", "");
	assert_int_equal(http_target_split("/..", out, sizeof(out), &q), 400);
	assert_int_equal(http_target_split("/a/../../b", out, sizeof(out), &q), 400);
	assert_int_equal(http_target_split("*", out, sizeof(out), &q), 400);
	assert_int_equal(http_target_split("x/y", out, sizeof(out), &q), 400);
	assert_int_equal(http_target_split("http://host", out, sizeof(out), &q), 400);
	assert_int_equal(http_target_split("/a#frag", out, sizeof(out), &q), 400);
	assert_int_equal(http_target_split("/a%0Ab", out, sizeof(out), &q), 400);
	assert_int_equal(http_target_split("/a%00", out, sizeof(out), &q), 400);
	assert_int_equal(http_target_split("/a%", out, sizeof(out), &q), 400);
	assert_int_equal(http_target_split("/abcdef", out, 4, &q), 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_get),
		cmocka_unit_test(test_one_byte_at_a_time),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_bare_lf_lines),
		cmocka_unit_test(test_target_limit),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_request_line_errors),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_host_rules),
		cmocka_unit_test(test_field_syntax),
		cmocka_unit_test(test_header_limits),
		cmocka_unit_test(test_body_limits),
		cmocka_unit_test(test_chunked_errors),
		cmocka_unit_test(test_framing_conflicts),
		cmocka_unit_test(test_connection_and_expect),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_pct_decode),
		cmocka_unit_test(test_target_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
