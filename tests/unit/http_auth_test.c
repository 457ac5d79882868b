// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/http/http_buf.c card-sim/http/http_parse.c card-sim/http/http_url.c card-sim/http/http_response.c card-sim/http/http_date.c card-sim/http/http_cache.c card-sim/clock.c card-sim/http/http_router.c card-sim/http/http_origin.c card-sim/site/site_csrf.c card-sim/http/http_conn.c card-sim/site/site.c card-sim/site/site_admin.c card-sim/site/site_import.c card-sim/site/site_mime.c card-sim/site/site_cgi.c card-sim/site/site_cgi_fs.c card-sim/site/site_phonebook.c card-sim/site/site_adn.c card-sim/http/auth.c card-sim/uicc/pin.c card-sim/uicc/fs.c card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * HTTP authentication against the card PIN: the RFC 7616 examples, Basic
 * and Digest (SHA-256, MD5, -sess) end to end, the try counter, blocking,
 * replays, stale nonces, and malformed credentials.
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

#include <mbedtls/base64.h>

#include "http/auth.h"
#include "http/http.h"
#include "site/site.h"
#include "uicc/pin.h"

#include "http_test_env.h"

/* RFC 7616 3.9.1: the same request, answered with MD5 and with SHA-256. */
static void test_rfc7616_examples(void **state)
{
	struct digest_params d = {
		.username = "Mufasa",
		.realm = "http-auth@example.org",
		.password = "Circle of Life",
		.method = "GET",
		.uri = "/dir/index.html",
		.nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
		.nc = "00000001",
		.cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
		.qop = "auth",
	};
	char out[65];

	(void)state;
	d.alg = DIGEST_MD5;
	assert_true(http_digest_response(&d, out));
	assert_string_equal(out, "8ca523f5e9506fed4657c9700eebdbec");
	d.alg = DIGEST_SHA256;
	assert_true(http_digest_response(&d, out));
	assert_string_equal(out, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

/* -sess: HA1 = H(H(user:realm:pass):nonce:cnonce).  The expected value
 * was computed independently (Python hashlib) from the RFC's inputs. */
static void test_sess_variant(void **state)
{
	struct digest_params d = {
		.alg = DIGEST_MD5, .sess = true,
		.username = "Mufasa", .realm = "http-auth@example.org",
		.password = "Circle of Life", .method = "GET",
		.uri = "/dir/index.html", .nonce = "abc", .nc = "00000001",
		.cnonce = "xyz", .qop = "auth",
	};
	char out[65], plain[65];

	(void)state;
	assert_true(http_digest_response(&d, out));
	d.sess = false;
	assert_true(http_digest_response(&d, plain));
	assert_string_not_equal(out, plain);
	assert_int_equal(strlen(out), 32);
	assert_string_equal(out, "1158a7dfc36dd7c3f685fc2d1f14e5df");
}

static void basic_request(char *req, size_t cap, const char *path,
			  const char *userpass)
{
	unsigned char b64[256];
	size_t n;

	assert_int_equal(mbedtls_base64_encode(b64, sizeof(b64), &n,
					       (const unsigned char *)userpass,
					       strlen(userpass)), 0);
	snprintf(req, cap, "GET %s HTTP/1.1\r\nHost: c\r\nAuthorization: Basic %s\r\n\r\n",
		 path, b64);
}

static int basic_status(struct env *e, const char *path, const char *userpass,
			struct resp *out)
{
	char req[512];
	struct resp r;
	int status;

	basic_request(req, sizeof(req), path, userpass);
	get(e, req, 0, &r);
	status = r.status;
	if (out)
		*out = r;
	else
		resp_free(&r);
	return status;
}

static void test_challenge(void **state)
{
	struct env *e = *state;
	struct resp r;
	int challenges = 0;

	get(e, "GET /account/ HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	for (const char *p = r.head; (p = strstr(p, "\r\nWWW-Authenticate: ")); p++)
		challenges++;
	assert_int_equal(challenges, 3);
	assert_non_null(strstr(r.head, "WWW-Authenticate: Digest realm=\"SCWS\", qop=\"auth\", algorithm=SHA-256, nonce=\""));
	assert_non_null(strstr(r.head, "algorithm=MD5"));
	assert_non_null(strstr(r.head, "WWW-Authenticate: Basic realm=\"SCWS\""));
	assert_non_null(strstr(r.body, "3 tries left"));
	assert_true(r.open);
	resp_free(&r);
	assert_int_equal(card_pin_tries_left(e->pin), 3);
}

static void test_basic(void **state)
{
	struct env *e = *state;
	struct resp r;

	assert_int_equal(basic_status(e, "/account/", "anyone:0000", &r), 200);
	assert_non_null(strstr(r.body, "My account"));
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	resp_free(&r);
	assert_int_equal(basic_status(e, "/account/index.html", ":0000", NULL), 200);
	assert_int_equal(basic_status(e, "/account/", "a:b:0000", NULL), 401);
	assert_int_equal(card_pin_tries_left(e->pin), 2);
	assert_int_equal(basic_status(e, "/account/", "user:0000", NULL), 200);
	assert_int_equal(card_pin_tries_left(e->pin), 3);	/* reset */
	/* Unprotected pages do not look at credentials at all. */
	assert_int_equal(basic_status(e, "/", "user:9999", NULL), 200);
	assert_int_equal(card_pin_tries_left(e->pin), 3);
}

static void test_basic_malformed(void **state)
{
	struct env *e = *state;
	struct resp r;

	get(e, "GET /account/ HTTP/1.1\r\nHost: c\r\nAuthorization: Basic !!!\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 400);
	resp_free(&r);
	assert_int_equal(basic_status(e, "/account/", "no-colon", NULL), 400);
	get(e, "GET /account/ HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer abc\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 401);
	resp_free(&r);
	assert_int_equal(card_pin_tries_left(e->pin), 3);
}

static void test_blocking_persists(void **state)
{
	struct env *e = *state;
	struct card_pin *again;
	struct resp r;

	assert_int_equal(basic_status(e, "/account/", "u:1111", &r), 401);
	assert_non_null(strstr(r.body, "2 tries left"));
	resp_free(&r);
	assert_int_equal(basic_status(e, "/account/", "u:2222", NULL), 401);
	assert_int_equal(basic_status(e, "/account/", "u:3333", NULL), 401);
	assert_int_equal(card_pin_tries_left(e->pin), 0);
	/* Blocked: even the right PIN is refused, and the page says why. */
	assert_int_equal(basic_status(e, "/account/", "u:0000", &r), 401);
	assert_non_null(strstr(r.body, "blocked"));
	assert_non_null(strstr(r.body, "/cgi/unblock"));
	assert_non_null(field(&r, "WWW-Authenticate"));
	resp_free(&r);
	/* A restart keeps the counter. */
	again = card_pin_open(e->st);
	assert_int_equal(card_pin_tries_left(again), 0);
	card_pin_close(again);
}

/* Pulls nonce and opaque out of the first (SHA-256) challenge. */
static void challenge_of(struct env *e, const char *path, char nonce[64],
			 char opaque[64])
{
	char req[256];
	struct resp r;
	const char *p;

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: c\r\n\r\n", path);
	get(e, req, 0, &r);
	assert_int_equal(r.status, 401);
	p = strstr(r.head, "nonce=\"");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "nonce=\"%63[^\"]\"", nonce), 1);
	p = strstr(r.head, "opaque=\"");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "opaque=\"%63[^\"]\"", opaque), 1);
	resp_free(&r);
}

struct digest_req {
	const char *alg;	/* as sent */
	enum digest_alg hash;
	bool sess;
	const char *pin, *uri_sent, *nc, *realm;
	bool omit_opaque;
};

static int digest_status(struct env *e, const char *path, const char *nonce,
			 const char *opaque, const struct digest_req *q,
			 struct resp *out)
{
	struct digest_params d = {
		.alg = q->hash, .sess = q->sess, .username = "alice",
		.realm = q->realm ? q->realm : "SCWS", .password = q->pin,
		.method = "GET", .uri = q->uri_sent ? q->uri_sent : path,
		.nonce = nonce, .nc = q->nc ? q->nc : "00000001",
		.cnonce = "0a4f113b", .qop = "auth",
	};
	char resp[65], req[1024], opq[96] = "";
	struct resp r;
	int status;

	assert_true(http_digest_response(&d, resp));
	if (!q->omit_opaque)
		snprintf(opq, sizeof(opq), ", opaque=\"%s\"", opaque);
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: c\r\n"
		 "Authorization: Digest username=\"alice\", realm=\"%s\", "
		 "nonce=\"%s\", uri=\"%s\", algorithm=%s, response=\"%s\", "
		 "qop=auth, nc=%s, cnonce=\"0a4f113b\"%s\r\n\r\n",
		 path, d.realm, nonce, d.uri, q->alg, resp, d.nc, opq);
	get(e, req, 0, &r);
	status = r.status;
	if (status == 200 && out) {
		/* rspauth: the same digest without the method. */
		char expect[65], want[128];

		d.method = "";
		assert_true(http_digest_response(&d, expect));
		snprintf(want, sizeof(want), "rspauth=\"%s\"", expect);
		assert_non_null(strstr(field(&r, "Authentication-Info"), want));
	}
	if (out)
		*out = r;
	else
		resp_free(&r);
	return status;
}

static void test_digest_sha256_and_md5(void **state)
{
	struct env *e = *state;
	char nonce[64], opaque[64];
	struct resp r;
	struct digest_req sha = { .alg = "SHA-256", .hash = DIGEST_SHA256, .pin = "0000" };
	struct digest_req md5 = { .alg = "MD5", .hash = DIGEST_MD5, .pin = "0000",
				  .nc = "00000002" };
	struct digest_req sess = { .alg = "SHA-256-sess", .hash = DIGEST_SHA256,
				   .sess = true, .pin = "0000", .nc = "00000003",
				   .omit_opaque = true };

	challenge_of(e, "/account/", nonce, opaque);
	assert_int_equal(digest_status(e, "/account/", nonce, opaque, &sha, &r), 200);
	assert_non_null(strstr(r.body, "My account"));
	resp_free(&r);
	assert_int_equal(digest_status(e, "/account/", nonce, opaque, &md5, &r), 200);
	resp_free(&r);
	assert_int_equal(digest_status(e, "/account/", nonce, opaque, &sess, &r), 200);
	resp_free(&r);
	assert_int_equal(card_pin_tries_left(e->pin), 3);
}

static void test_digest_wrong_pin_and_replay(void **state)
{
	struct env *e = *state;
	char nonce[64], opaque[64];
	struct digest_req q = { .alg = "SHA-256", .hash = DIGEST_SHA256, .pin = "9999" };

	challenge_of(e, "/account/", nonce, opaque);
	assert_int_equal(digest_status(e, "/account/", nonce, opaque, &q, NULL), 401);
	assert_int_equal(card_pin_tries_left(e->pin), 2);
	/* The same nonce-count again is a replay: refused, no try spent. */
	q.pin = "0000";
	assert_int_equal(digest_status(e, "/account/", nonce, opaque, &q, NULL), 401);
	assert_int_equal(card_pin_tries_left(e->pin), 2);
	q.nc = "00000002";
	assert_int_equal(digest_status(e, "/account/", nonce, opaque, &q, NULL), 200);
	assert_int_equal(card_pin_tries_left(e->pin), 3);
}

static void test_digest_stale_and_bad(void **state)
{
	struct env *e = *state;
	char nonce[64], opaque[64];
	struct resp r;
	struct digest_req q = { .alg = "SHA-256", .hash = DIGEST_SHA256, .pin = "0000" };

	challenge_of(e, "/account/", nonce, opaque);
	/* A nonce the card never gave: stale, retry without asking the user. */
	assert_int_equal(digest_status(e, "/account/", "00112233445566778899aabbccddeeff",
				       opaque, &q, &r), 401);
	assert_non_null(strstr(r.head, "stale=true"));
	resp_free(&r);
	assert_int_equal(digest_status(e, "/account/", nonce, "beefbeefbeefbeef", &q, &r), 401);
	assert_non_null(strstr(r.head, "stale=true"));
	resp_free(&r);
	/* The uri parameter must be the request-target. */
	q.uri_sent = "/other";
	assert_int_equal(digest_status(e, "/account/", nonce, opaque, &q, NULL), 400);
	q.uri_sent = NULL;
	q.realm = "elsewhere";
	assert_int_equal(digest_status(e, "/account/", nonce, opaque, &q, NULL), 401);
	q.realm = NULL;
	q.alg = "SHA-512-256";
	assert_int_equal(digest_status(e, "/account/", nonce, opaque, &q, NULL), 401);
	q.alg = "SHA-256";
	q.nc = "1";
	assert_int_equal(digest_status(e, "/account/", nonce, opaque, &q, NULL), 400);
	assert_int_equal(card_pin_tries_left(e->pin), 3);

	get(e, "GET /account/ HTTP/1.1\r\nHost: c\r\nAuthorization: Digest username=\"a\"\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 400);
	resp_free(&r);
	get(e, "GET /account/ HTTP/1.1\r\nHost: c\r\nAuthorization: Digest username=\"a\", "
	    "realm=\"SCWS\", nonce=\"x\", uri=\"/account/\", response=\"00\"\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 401);	/* no qop: RFC 2069 style, refused */
	resp_free(&r);
	get(e, "GET /account/ HTTP/1.1\r\nHost: c\r\nAuthorization: Digest username=\"a\", "
	    "username=\"b\"\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 400);
	resp_free(&r);
	get(e, "GET /account/ HTTP/1.1\r\nHost: c\r\nAuthorization: Digest username=\"a\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 400);
	resp_free(&r);
	assert_int_equal(card_pin_tries_left(e->pin), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7616_examples),
		cmocka_unit_test(test_sess_variant),
		cmocka_unit_test_setup_teardown(test_challenge, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_basic, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_basic_malformed, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_blocking_persists, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_digest_sha256_and_md5, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_digest_wrong_pin_and_replay, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_digest_stale_and_bad, env_setup, env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
