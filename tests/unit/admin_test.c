// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/admin/params.c card-sim/admin/conn_tlvs.c card-sim/admin/http_resp.c card-sim/admin/scws_cmd.c card-sim/admin/script.c card-sim/site/site_admin.c card-sim/http/http_buf.c card-sim/http/http_parse.c card-sim/http/http_url.c card-sim/http/http_response.c card-sim/http/http_date.c card-sim/http/http_cache.c card-sim/clock.c card-sim/http/http_router.c card-sim/http/http_origin.c card-sim/site/site_csrf.c card-sim/http/http_conn.c card-sim/site/site.c card-sim/site/site_import.c card-sim/site/site_mime.c card-sim/site/site_cgi.c card-sim/site/site_cgi_fs.c card-sim/site/site_phonebook.c card-sim/site/site_adn.c card-sim/http/auth.c card-sim/uicc/pin.c card-sim/uicc/fs.c card-sim/state.c card-sim/log.c tools/lib/cat-tlv.c
// libs: -lmbedcrypto
/*
 * The admin agent's parsers and executors without a channel: the RAS's
 * responses (lengths, chunks, 1xx, errors, byte at a time), SCWS admin
 * commands against a real content store (PUT / DELETE / audit / the
 * protection list, malformed requests change nothing, everything saved),
 * AA/AE APDU scripts against a stub applet, the targeted-application
 * URI, and the stored parameters with a trigger over them.
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

#include "admin/admin.h"
#include "http/http.h"
#include "site/site.h"
#include "uicc/pin.h"
#include "cat-tlv.h"

#include "http_test_env.h"

/* ---- the RAS's responses ---- */

static void feed_all(struct admin_resp *r, const char *s, size_t step)
{
	size_t len = strlen(s), off = 0;

	while (off < len && r->state != RESP_DONE && r->state != RESP_ERROR) {
		size_t n = len - off < step ? len - off : step;

		off += admin_resp_feed(r, (const uint8_t *)s + off, n);
	}
}

static void test_resp_forms(void **state)
{
	static const char *const ok[] = {
		"HTTP/1.1 200 OK\r\nContent-Type: a/b\r\nX-Admin-Next-URI: /n\r\n"
		"Content-Length: 5\r\n\r\nhello",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		"2;ext=1\r\nhe\r\n3\r\nllo\r\n0\r\nTrailer: x\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
		"Content-Length: 5\r\n\r\nhello",
	};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		for (size_t step = 1; step <= 64; step += 63) {
			struct admin_resp r;

			admin_resp_init(&r);
			feed_all(&r, ok[i], step);
			assert_int_equal(r.state, RESP_DONE);
			assert_int_equal(r.status, 200);
			assert_int_equal(r.body.len, 5);
			assert_memory_equal(r.body.data, "hello", 5);
			admin_resp_free(&r);
		}
	}
}

static void test_resp_no_body_and_close(void **state)
{
	struct admin_resp r;

	(void)state;
	admin_resp_init(&r);
	feed_all(&r, "HTTP/1.1 204 No Content\r\nX-Admin-Next-URI: /x\r\n\r\n", 7);
	assert_int_equal(r.state, RESP_DONE);
	assert_int_equal(r.status, 204);
	assert_string_equal(admin_resp_field(&r, "x-admin-next-uri"), "/x");
	admin_resp_free(&r);

	admin_resp_init(&r);
	feed_all(&r, "HTTP/1.0 200 OK\r\n\r\nuntil close", 100);
	assert_int_equal(r.state, RESP_UNTIL_CLOSE);
	admin_resp_eof(&r);
	assert_int_equal(r.state, RESP_DONE);
	assert_int_equal(r.body.len, 11);
	assert_true(r.close);
	admin_resp_free(&r);

	admin_resp_init(&r);
	feed_all(&r, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort", 100);
	admin_resp_eof(&r);
	assert_int_equal(r.state, RESP_ERROR);
	admin_resp_free(&r);
}

static void test_resp_errors(void **state)
{
	static const char *const bad[] = {
		"HTTP/2 200 OK\r\n\r\n",
		"HTTP/1.1 20 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
		"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFF\r\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct admin_resp r;

		admin_resp_init(&r);
		feed_all(&r, bad[i], 3);
		if (r.state != RESP_ERROR)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(r.error);
		admin_resp_free(&r);
	}
}

static void test_resp_head_limit(void **state)
{
	struct admin_resp r;
	char *big = malloc(ADMIN_RESP_HEAD_MAX + 64);

	(void)state;
	strcpy(big, "HTTP/1.1 200 OK\r\nX: ");
	memset(big + strlen(big), 'a', ADMIN_RESP_HEAD_MAX);
	strcpy(big + ADMIN_RESP_HEAD_MAX + 16, "\r\n\r\n");
	admin_resp_init(&r);
	feed_all(&r, big, 1000);
	assert_int_equal(r.state, RESP_ERROR);
	admin_resp_free(&r);
	free(big);
}

/* ---- SCWS admin commands ---- */

/* Executes req; the answer's status code, status string in *st. */
static int scws(struct env *e, const char *req, const char **st,
		struct http_buf *out)
{
	out->len = 0;
	*st = admin_scws_exec(e->site, (const uint8_t *)req, strlen(req), out);
	assert_true(http_buf_put(out, "", 1));
	assert_int_equal(strncmp((char *)out->data, "HTTP/1.1 ", 9), 0);
	return atoi((char *)out->data + 9);
}

static void test_scws_put_get_delete(void **state)
{
	struct env *e = *state;
	struct http_buf out = { 0 };
	struct site_resource res;
	const char *st;

	assert_int_equal(scws(e, "PUT /n/p.html HTTP/1.1\r\nHost: c\r\nContent-Type: text/html\r\n"
			      "Content-Language: fr\r\nContent-Length: 3\r\n\r\nabc",
			      &st, &out), 201);
	assert_string_equal(st, "ok");
	assert_int_equal(site_resource_get(e->site, "/n/p.html", &res), 0);
	assert_string_equal(res.content_type, "text/html");
	assert_int_equal(res.len, 3);
	assert_int_equal(scws(e, "PUT /n/p.html HTTP/1.1\r\nHost: c\r\nContent-Length: 2\r\n\r\nxy",
			      &st, &out), 204);
	assert_int_equal(site_resource_get(e->site, "/n/p.html", &res), 0);
	assert_string_equal(res.content_type, "text/html; charset=utf-8"); /* by name */
	assert_memory_equal(res.body, "xy", 2);
	assert_int_equal(scws(e, "GET /n/p.html HTTP/1.1\r\nHost: c\r\n\r\n", &st, &out), 200);
	assert_non_null(strstr((char *)out.data, "\r\n\r\nxy"));
	assert_null(strstr((char *)out.data, "Content-Language"));	/* replaced */
	assert_int_equal(scws(e, "GET /n/ HTTP/1.1\r\nHost: c\r\n\r\n", &st, &out), 200);
	assert_non_null(strstr((char *)out.data, "text/uri-list"));
	assert_non_null(strstr((char *)out.data, "/n/p.html\r\n"));
	assert_int_equal(scws(e, "DELETE /n/p.html HTTP/1.1\r\nHost: c\r\n\r\n", &st, &out), 204);
	assert_int_equal(site_resource_get(e->site, "/n/p.html", &res), -ENOENT);
	assert_int_equal(scws(e, "DELETE /n/p.html HTTP/1.1\r\nHost: c\r\n\r\n", &st, &out), 404);
	assert_string_equal(st, "ok");
	assert_int_equal(scws(e, "DELETE /helpdesk/ HTTP/1.1\r\nHost: c\r\n\r\n", &st, &out), 204);
	assert_int_equal(site_resource_get(e->site, "/helpdesk/faq.html", &res), -ENOENT);
	assert_int_equal(site_resource_get(e->site, "/index.html", &res), 0);
	assert_int_equal(scws(e, "DELETE /helpdesk/ HTTP/1.1\r\nHost: c\r\n\r\n", &st, &out), 404);
	assert_int_equal(scws(e, "POST /index.html HTTP/1.1\r\nHost: c\r\nContent-Length: 0\r\n\r\n",
			      &st, &out), 405);
	assert_int_equal(scws(e, "PUT /dir/ HTTP/1.1\r\nHost: c\r\nContent-Length: 0\r\n\r\n",
			      &st, &out), 400);
	http_buf_free(&out);
}

static void test_scws_malformed_changes_nothing(void **state)
{
	static const char *const bad[] = {
		"PUT /x.html HTTP/1.1\r\nHost: c\r\nContent-Length: 10\r\n\r\nshort",
		"PUT /x.html HTTP/1.1\r\nHost: c\r\nContent-Length: 1\r\n\r\nab",
		"PUT /x.html HTTP/1.1\r\nHost: c\r\nContent-Length: 1\r\n\r\naGET / HTTP/1.1\r\n\r\n",
		"PUT /x.html?q=1 HTTP/1.1\r\nHost: c\r\nContent-Length: 1\r\n\r\na",
		"PUT x.html HTTP/1.1\r\nContent-Length: 1\r\n\r\na",
		"PUT /x.html HTTP/2.0\r\nContent-Length: 1\r\n\r\na",
		"garbage",
		"",
	};
	struct env *e = *state;
	struct http_buf out = { 0 };
	struct site_resource res;
	const char *st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int code = scws(e, bad[i], &st, &out);

		assert_string_equal(st, "script-format-error");
		assert_true(code >= 400);
		assert_int_equal(site_resource_get(e->site, "/x.html", &res),
				 -ENOENT);
	}
	http_buf_free(&out);
}

static void test_scws_persisted(void **state)
{
	struct env *e = *state;
	struct http_buf out = { 0 };
	struct card_state *st2;
	const uint8_t *v;
	const char *st;
	size_t len;

	assert_int_equal(scws(e, "PUT /saved.txt HTTP/1.1\r\nHost: c\r\nContent-Length: 1\r\n\r\nz",
			      &st, &out), 201);
	/* Saved before the answer: the file on disk has it. */
	card_state_close(e->st);
	st2 = card_state_open(e->path, false);
	assert_non_null(st2);
	assert_int_equal(card_state_get(st2, "content/saved.txt", &v, &len), 0);
	card_state_close(st2);
	e->st = card_state_open(e->path, false);
	assert_non_null(e->st);
	e->site->st = e->st;
	http_buf_free(&out);
}

static void test_scws_protection(void **state)
{
	struct env *e = *state;
	struct http_buf out = { 0 };
	const char *st;

	assert_true(site_is_protected(e->site, "/account/"));
	assert_int_equal(scws(e, "GET /.scws/protected HTTP/1.1\r\nHost: c\r\n\r\n", &st, &out), 200);
	assert_non_null(strstr((char *)out.data, "/account/"));
	assert_int_equal(scws(e, "PUT /.scws/protected HTTP/1.1\r\nHost: c\r\nContent-Length: 7\r\n\r\n"
			      "/promo/", &st, &out), 204);
	assert_false(site_is_protected(e->site, "/account/"));
	assert_true(site_is_protected(e->site, "/promo/x"));
	assert_int_equal(scws(e, "PUT /.scws/protected HTTP/1.1\r\nHost: c\r\nContent-Length: 5\r\n\r\n"
			      "promo", &st, &out), 400);
	assert_true(site_is_protected(e->site, "/promo/x"));
	assert_int_equal(scws(e, "DELETE /.scws/protected HTTP/1.1\r\nHost: c\r\n\r\n", &st, &out), 204);
	assert_false(site_is_protected(e->site, "/promo/x"));
	assert_int_equal(scws(e, "PUT /.scws/other HTTP/1.1\r\nHost: c\r\nContent-Length: 0\r\n\r\n",
			      &st, &out), 403);
	http_buf_free(&out);
}

/* ---- APDU scripts ---- */

struct applet {
	unsigned int calls;
	uint16_t sw[8];
};

static uint16_t stub_apdu(void *ctx, const uint8_t *capdu, size_t len,
			  uint8_t *rdata, size_t cap, size_t *rlen)
{
	struct applet *a = ctx;

	(void)capdu;
	(void)len;
	assert_true(cap >= 2);
	rdata[0] = 0xCA;
	rdata[1] = (uint8_t)a->calls;
	*rlen = 2;
	return a->sw[a->calls++];
}

static void hex_to(const char *h, uint8_t *out, size_t *n)
{
	*n = 0;
	for (; h[0] && h[1]; h += 2) {
		unsigned int v;

		sscanf(h, "%2x", &v);
		out[(*n)++] = (uint8_t)v;
	}
}

static char *to_hex(const struct http_buf *b)
{
	char *s = calloc(1, b->len * 2 + 1);

	for (size_t i = 0; i < b->len; i++)
		sprintf(s + 2 * i, "%02x", b->data[i]);
	return s;
}

static void run_script(const char *hex, struct applet *a, const char *status,
		       const char *want)
{
	struct http_buf out = { 0 };
	uint8_t buf[512];
	size_t n;
	char *got;

	hex_to(hex, buf, &n);
	assert_string_equal(admin_script_exec(buf, n, stub_apdu, a, &out), status);
	got = to_hex(&out);
	assert_string_equal(got, want);
	free(got);
	http_buf_free(&out);
}

static void test_script_forms(void **state)
{
	struct applet a = { 0, { 0x9000, 0x6A88, 0x9000 } };

	(void)state;
	/* Definite, two commands, both run. */
	run_script("aa0d220580ca008500220480000000", &a, "ok",
		   "ab0f8001022304ca0090002304ca016a88");
	/* Indefinite: the one from the spec digest's trace. */
	a = (struct applet){ 0, { 0x6A88 } };
	run_script("ae80220580ca0085000000", &a, "ok",
		   "af808001012304ca006a880000");
	/* Stops after the first failing SW. */
	a = (struct applet){ 0, { 0x6A80, 0x9000 } };
	run_script("aa0d220580ca008500220480000000", &a, "ok",
		   "ab098001012304ca006a80");
	assert_int_equal(a.calls, 1);
}

static void test_script_format_errors(void **state)
{
	static const char *const bad[] = {
		"", "aa", "ab00", "aa05220580ca0085", "aa0d220580ca008500220480000000ff",
		"aa0e220580ca008500220480000000", "aa0722038000002201", "aa068204800000",
		"ae80220580ca008500", "ae80220580ca00850000", "ae00220580ca0085000000",
		"aa0724058000000000", "aa81052203800000", "aa0822818080000000",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct applet a = { 0 };
		struct http_buf out = { 0 };
		uint8_t buf[64];
		size_t n;

		hex_to(bad[i], buf, &n);
		if (strcmp(admin_script_exec(buf, n, stub_apdu, &a, &out),
			   "script-format-error"))
			fail_msg("accepted script %s", bad[i]);
		assert_int_equal(a.calls, 0);
		http_buf_free(&out);
	}
}

static void test_aid_uri(void **state)
{
	uint8_t aid[16];

	(void)state;
	assert_int_equal(admin_parse_aid_uri("//aid/A000000151/41434C00", aid, sizeof(aid)), 9);
	assert_memory_equal(aid, "\xA0\x00\x00\x01\x51\x41\x43\x4C\x00", 9);
	assert_int_equal(admin_parse_aid_uri("//aid/a000000151", aid, sizeof(aid)), 5);
	assert_int_equal(admin_parse_aid_uri("//aid/A0000001/41", aid, sizeof(aid)), -1);
	assert_int_equal(admin_parse_aid_uri("//aid/A000000151/4", aid, sizeof(aid)), -1);
	assert_int_equal(admin_parse_aid_uri("//aid/A000000151/0102030405060708090A0B0C", aid,
					     sizeof(aid)), -1);
	assert_int_equal(admin_parse_aid_uri("/aid/A000000151", aid, sizeof(aid)), -1);
	assert_int_equal(admin_parse_aid_uri("//aid/A00000015G", aid, sizeof(aid)), -1);
}

/* ---- stored parameters, triggers ---- */

static void test_params(void **state)
{
	static const char *const bad[] = {
		"nothing", "host=", "retry=1", "retry=-1,2", "retry=70000,1",
		"key=1:1:0011", "key=1:1:zz00112233445566778899aabbccddee",
		"key=300:1:00112233445566778899aabbccddeeff", "use-key=1",
		"dest=1.2.3.4", "dest=1.2.3.4:0", "dest=1.2.3:80", "dest=[::1:80",
		"dest=[::1]:99999", "unknown=1", "uri=a\r\nb",
	};
	struct env *e = *state;
	struct admin_params p;
	uint8_t key[32];

	assert_int_equal(admin_params_set(e->st, "host=ras.example"), 0);
	assert_int_equal(admin_params_set(e->st, "agent-id=//se-id/x"), 0);
	assert_int_equal(admin_params_set(e->st, "uri=/start"), 0);
	assert_int_equal(admin_params_set(e->st, "psk-id=card-1"), 0);
	assert_int_equal(admin_params_set(e->st, "key=0x30:2:00112233445566778899aabbccddeeff"), 0);
	assert_int_equal(admin_params_set(e->st, "use-key=48:2"), 0);
	assert_int_equal(admin_params_set(e->st, "retry=3,10"), 0);
	assert_int_equal(admin_params_set(e->st, "dest=[2001:db8::1]:4443"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (admin_params_set(e->st, bad[i]) != -EINVAL)
			fail_msg("accepted %s", bad[i]);
	admin_params_load(e->st, &p);
	assert_string_equal(p.host, "ras.example");
	assert_string_equal(p.uri, "/start");
	assert_int_equal(p.psk_id_len, 6);
	assert_int_equal(p.kvn, 0x30);
	assert_int_equal(p.kid, 2);
	assert_int_equal(p.retry_counter, 3);
	assert_int_equal(admin_params_delay_s(&p), 10);
	assert_int_equal(p.addr_type, CAT_ADDR_IPV6);
	assert_int_equal(p.addr[0], 0x20);
	assert_int_equal(p.port, 4443);
	assert_int_equal(admin_params_key(e->st, 0x30, 2, key, sizeof(key)), 16);
	assert_int_equal(admin_params_key(e->st, 0x30, 3, key, sizeof(key)), -ENOENT);
}

static void test_trigger_merge(void **state)
{
	/* Bearer default, buffer 1400, transport TCP client 4433, address
	 * 10.0.0.7 (after the transport level: the destination). */
	static const uint8_t tlvs[] = {
		0x35, 0x01, 0x03, 0x39, 0x02, 0x05, 0x78,
		0x3C, 0x03, 0x02, 0x11, 0x51, 0x3E, 0x05, 0x21, 10, 0, 0, 7,
	};
	struct admin_trigger t;
	struct admin_params p;

	(void)state;
	memset(&p, 0, sizeof(p));
	strcpy(p.host, "stored");
	strcpy(p.uri, "/stored");
	memset(&t, 0, sizeof(t));
	memcpy(t.conn_tlvs, tlvs, sizeof(tlvs));
	t.conn_tlvs_len = sizeof(tlvs);
	strcpy(t.uri, "/from-trigger");
	t.has_retry = true;
	t.retry_counter = 5;
	t.retry_delay[4] = 2;
	assert_int_equal(admin_params_merge(&p, &t), 0);
	assert_string_equal(p.host, "stored");
	assert_string_equal(p.uri, "/from-trigger");
	assert_int_equal(p.addr_type, CAT_ADDR_IPV4);
	assert_int_equal(p.addr[3], 7);
	assert_int_equal(p.port, 4433);
	assert_int_equal(p.buffer_size, 1400);
	assert_int_equal(p.retry_counter, 5);
	assert_int_equal(admin_params_delay_s(&p), 2);

	/* UDP transport, truncated TLV: refused, p unchanged. */
	t.conn_tlvs[9] = 0x01;
	assert_int_equal(admin_params_merge(&p, &t), -EINVAL);
	t.conn_tlvs[9] = 0x02;
	t.conn_tlvs_len = sizeof(tlvs) - 1;
	strcpy(t.uri, "/other");
	assert_int_equal(admin_params_merge(&p, &t), -EINVAL);
	assert_string_equal(p.uri, "/from-trigger");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resp_forms),
		cmocka_unit_test(test_resp_no_body_and_close),
		cmocka_unit_test(test_resp_errors),
		cmocka_unit_test(test_resp_head_limit),
		cmocka_unit_test_setup_teardown(test_scws_put_get_delete, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_scws_malformed_changes_nothing, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_scws_persisted, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_scws_protection, env_setup, env_teardown),
		cmocka_unit_test(test_script_forms),
		cmocka_unit_test(test_script_format_errors),
		cmocka_unit_test(test_aid_uri),
		cmocka_unit_test_setup_teardown(test_params, env_setup, env_teardown),
		cmocka_unit_test(test_trigger_merge),
	};

	(void)get;		/* http_test_env.h's, unused here */
	(void)resp_free;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
