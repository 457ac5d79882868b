// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-bipd/http_frame.c tools/scws-bipd/tls_frame.c
// libs:
/*
 * bipd_frame_test.c - the pump's read-only framing parsers: HTTP/1.1
 * (http_frame.c) and TLS records (tls_frame.c).  Every stream is also fed
 * one byte at a time, and must end in the same state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <stdio.h>

#include "../../tools/scws-bipd/http_frame.h"
#include "../../tools/scws-bipd/tls_frame.h"

/* A conversation: 'C' lines are the client's, 'S' the card's. */
struct step {
	char who;
	const char *bytes;
};

enum verdict { IDLE, BUSY, OPAQUE };

static enum verdict verdict_of(const struct http_frame *f)
{
	if (f->opaque)
		return OPAQUE;
	return hf_idle(f) ? IDLE : BUSY;
}

static void feed_step(struct http_frame *f, const struct step *s,
		      bool bytewise)
{
	size_t n = strlen(s->bytes);
	const uint8_t *p = (const uint8_t *)s->bytes;

	if (!bytewise) {
		(s->who == 'C' ? hf_client : hf_card)(f, p, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		(s->who == 'C' ? hf_client : hf_card)(f, p + i, 1);
}

/* Feeds the steps whole and byte by byte; both end in `want`. */
static void run(const struct step *steps, size_t n, enum verdict want)
{
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		struct http_frame f;

		hf_init(&f);
		for (size_t i = 0; i < n; i++)
			feed_step(&f, &steps[i], bytewise);
		if (verdict_of(&f) != want)
			fail_msg("verdict %d, want %d (bytewise %d)",
				 verdict_of(&f), want, bytewise);
	}
}

#define RUN(want, ...) do { \
	static const struct step s_[] = { __VA_ARGS__ }; \
	run(s_, sizeof(s_) / sizeof(s_[0]), want); \
} while (0)

#define GET "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
#define OK5 "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"

static void test_get_content_length(void **state)
{
	(void)state;
	RUN(IDLE, { 'C', "" });
	RUN(BUSY, { 'C', "GET / HTTP/1.1\r\nHost: x\r\n" });
	RUN(BUSY, { 'C', GET });
	RUN(BUSY, { 'C', GET }, { 'S', "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhell" });
	RUN(IDLE, { 'C', GET }, { 'S', OK5 });
	RUN(IDLE, { 'C', GET }, { 'S', OK5 }, { 'C', GET }, { 'S', OK5 });
	RUN(BUSY, { 'C', GET }, { 'S', OK5 }, { 'C', "G" });
}

static void test_chunked(void **state)
{
	(void)state;
	RUN(IDLE, { 'C', GET },
	    { 'S', "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		   "5;ext=1\r\nhello\r\nA \r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n" });
	RUN(BUSY, { 'C', GET },
	    { 'S', "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n" });
	/* a chunked POST, then its answer */
	RUN(IDLE, { 'C', "POST /cgi/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
		   "3\r\na=b\r\n0\r\n\r\n" },
	    { 'S', "HTTP/1.1 303 See Other\r\nLocation: /\r\nContent-Length: 0\r\n\r\n" });
	/* gzip then chunked frames by chunks; chunked before another coding
	 * is not a framing we trust */
	RUN(IDLE, { 'C', GET },
	    { 'S', "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" });
	RUN(OPAQUE, { 'C', GET },
	    { 'S', "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n" });
	/* only gzip: the body ends with the connection */
	RUN(BUSY, { 'C', GET },
	    { 'S', "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz" });
	/* data after a chunk without its CRLF */
	RUN(OPAQUE, { 'C', GET },
	    { 'S', "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n" });
	RUN(OPAQUE, { 'C', GET },
	    { 'S', "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		   "11111111111111111\r\n" });
	RUN(OPAQUE, { 'C', GET },
	    { 'S', "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" });
}

static void test_bodiless(void **state)
{
	(void)state;
	RUN(IDLE, { 'C', "HEAD / HTTP/1.1\r\n\r\n" },
	    { 'S', "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n" });
	RUN(IDLE, { 'C', GET }, { 'S', "HTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\n\r\n" });
	RUN(IDLE, { 'C', GET }, { 'S', "HTTP/1.1 204 No Content\r\n\r\n" });
	/* 100 Continue is interim: the request still waits for its answer */
	RUN(BUSY, { 'C', "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n" },
	    { 'S', "HTTP/1.1 100 Continue\r\n\r\n" });
	RUN(IDLE, { 'C', "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n" },
	    { 'S', "HTTP/1.1 100 Continue\r\n\r\n" }, { 'C', "ab" }, { 'S', OK5 });
}

static void test_pipelined(void **state)
{
	(void)state;
	RUN(BUSY, { 'C', GET "HEAD /x HTTP/1.1\r\n\r\n" }, { 'S', OK5 });
	RUN(IDLE, { 'C', GET "HEAD /x HTTP/1.1\r\n\r\n" },
	    { 'S', OK5 "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n" });
	/* empty lines before a request are allowed */
	RUN(IDLE, { 'C', "\r\n" GET }, { 'S', OK5 });
}

static void test_closing(void **state)
{
	(void)state;
	RUN(BUSY, { 'C', GET }, { 'S', "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello" });
	RUN(BUSY, { 'C', "GET / HTTP/1.1\r\nConnection: Close\r\n\r\n" }, { 'S', OK5 });
	RUN(BUSY, { 'C', "GET / HTTP/1.0\r\n\r\n" }, { 'S', OK5 });
	RUN(IDLE, { 'C', "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" },
	    { 'S', "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello" });
	RUN(BUSY, { 'C', GET }, { 'S', "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello" });
	/* neither length nor chunks: the body ends with the connection */
	RUN(BUSY, { 'C', GET }, { 'S', "HTTP/1.1 200 OK\r\n\r\nhello" });
}

static void test_ambiguous(void **state)
{
	(void)state;
	RUN(OPAQUE, { 'C', "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n" });
	RUN(OPAQUE, { 'C', "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n" });
	RUN(BUSY, { 'C', "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n" });
	RUN(OPAQUE, { 'C', "POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\n" });
	RUN(OPAQUE, { 'C', "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n" });
	RUN(OPAQUE, { 'C', "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n" });
	RUN(OPAQUE, { 'C', "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n" });
	RUN(OPAQUE, { 'C', "GET / HTTP/1.1\nHost: x\r\n\r\n" });
	RUN(OPAQUE, { 'C', "GET / HTTP/1.1\r\nHost: x\rY\r\n\r\n" });
	RUN(OPAQUE, { 'C', "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n" });
	RUN(OPAQUE, { 'C', "GET / HTTP/1.1\r\nContent-Length : 1\r\n\r\n" });
	RUN(OPAQUE, { 'C', "GET / HTTP/2.0\r\n\r\n" });
	RUN(OPAQUE, { 'C', "GET /\r\n\r\n" });
	RUN(OPAQUE, { 'S', OK5 });		/* nobody asked */
	RUN(OPAQUE, { 'C', GET }, { 'S', "HTTP/1.1 101 Switching\r\nUpgrade: x\r\n\r\n" });
	RUN(OPAQUE, { 'C', "CONNECT a:1 HTTP/1.1\r\n\r\n" }, { 'S', "HTTP/1.1 200 OK\r\n\r\n" });
	RUN(OPAQUE, { 'C', GET }, { 'S', "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n" });
	RUN(OPAQUE, { 'C', GET }, { 'S', "HTTP/1.1 2x0 OK\r\n\r\n" });
	RUN(OPAQUE, { 'C', GET }, { 'S', "\r\n" OK5 });
}

static void test_long_lines(void **state)
{
	static char req[4096], hdr[4096];
	struct http_frame f;

	(void)state;
	/* a 2000-byte URL: the method and the version are still read */
	strcpy(req, "HEAD /cgi/display?x=");
	memset(req + strlen(req), 'a', 2000);
	strcat(req, " HTTP/1.1\r\n\r\n");
	hf_init(&f);
	hf_client(&f, (const uint8_t *)req, strlen(req));
	hf_card(&f, (const uint8_t *)"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", 38);
	assert_true(hf_idle(&f));
	/* a long header we do not read is fine, a long one we read is not */
	strcpy(hdr, GET);
	hdr[strlen(hdr) - 2] = '\0';
	strcat(hdr, "X-Long: ");
	memset(hdr + strlen(hdr), 'b', 500);
	strcat(hdr, "\r\n\r\n");
	hf_init(&f);
	hf_client(&f, (const uint8_t *)hdr, strlen(hdr));
	assert_false(f.opaque);
	strcpy(hdr, "GET / HTTP/1.1\r\nContent-Length:");
	memset(hdr + strlen(hdr), ' ', 200);
	strcat(hdr, "0\r\n\r\n");
	hf_init(&f);
	hf_client(&f, (const uint8_t *)hdr, strlen(hdr));
	assert_true(f.opaque);
	/* an endless header block */
	hf_init(&f);
	hf_client(&f, (const uint8_t *)"GET / HTTP/1.1\r\n", 16);
	for (int i = 0; i < 5000 && !f.opaque; i++)
		hf_client(&f, (const uint8_t *)"X-A: 0123456789\r\n", 17);
	assert_true(f.opaque);
}

static void test_pipeline_bound(void **state)
{
	struct http_frame f;

	(void)state;
	hf_init(&f);
	for (int i = 0; i < HF_PIPELINE; i++)
		hf_client(&f, (const uint8_t *)GET, strlen(GET));
	assert_false(f.opaque);
	hf_client(&f, (const uint8_t *)GET, strlen(GET));
	assert_true(f.opaque);
}

/* ---- TLS records ---- */

static void tls_feed(struct tls_frame *t, bool up, const char *hex)
{
	uint8_t buf[64];
	size_t n = 0;

	for (; hex[0] && hex[1]; hex += 2) {
		while (*hex == ' ')
			hex++;
		sscanf(hex, "%2hhx", &buf[n++]);
	}
	(up ? tls_client : tls_card)(t, buf, n);
}

static void test_tls(void **state)
{
	struct tls_frame t;

	(void)state;
	tls_init(&t);
	assert_true(tls_quiet(&t));		/* nothing said yet */
	tls_feed(&t, true, "160301");		/* half a header */
	assert_false(tls_quiet(&t));
	tls_feed(&t, true, "0002AABB");		/* ClientHello done */
	assert_false(tls_quiet(&t));		/* the card owes ServerHello */
	tls_feed(&t, false, "1603030001CC");
	assert_true(tls_quiet(&t));
	tls_feed(&t, false, "1403030001");	/* the card's CCS, half */
	assert_false(tls_quiet(&t));
	tls_feed(&t, false, "01");
	assert_true(tls_quiet(&t));
	/* resumed: the client's CCS and Finished need no answer */
	tls_feed(&t, true, "140303000101" "1603030001DD");
	assert_true(tls_quiet(&t));
	/* a request is owed an answer */
	tls_feed(&t, true, "1703030002EEEE");
	assert_false(tls_quiet(&t));
	tls_feed(&t, false, "1703030001EE");
	assert_true(tls_quiet(&t));
	/* an alert is not */
	tls_feed(&t, true, "15030300020100");
	assert_true(tls_quiet(&t));
	/* not TLS */
	tls_init(&t);
	tls_feed(&t, true, "474554202F20");
	assert_true(t.opaque);
	assert_false(tls_quiet(&t));
	tls_init(&t);
	tls_feed(&t, true, "17030348FF");	/* longer than a record */
	assert_true(t.opaque);
}

/* Full handshake: the client's Finished comes before the card's CCS and
 * is owed an answer. */
static void test_tls_full_handshake(void **state)
{
	struct tls_frame t;

	(void)state;
	tls_init(&t);
	tls_feed(&t, true, "1603010001AA");
	tls_feed(&t, false, "1603030001BB");
	tls_feed(&t, true, "1603030001CC" "140303000101" "1603030001DD");
	assert_false(tls_quiet(&t));
	tls_feed(&t, false, "140303000101" "1603030001EE");
	assert_true(tls_quiet(&t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_content_length),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_bodiless),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_closing),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_pipeline_bound),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_tls_full_handshake),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
