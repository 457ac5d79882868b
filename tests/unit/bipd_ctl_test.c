// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/bipd-ctl.c tools/lib/sms-pp.c tools/lib/cat-tlv.c tools/scws-bipd/push_http.c
// libs:
/*
 * The pump's trigger protocols: the control socket's request and reply
 * lines (tools/lib/bipd-ctl.c) and the push endpoint's HTTP request
 * parser (tools/scws-bipd/push_http.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bipd-ctl.h"
#include "../../tools/scws-bipd/push_http.h"

#define TPDU_HEX "4004811122" "7FF6" "22301200000000" "17" "027000" "0012" \
		 "0D" "0000" "00" "00" "B00000" "0000000001" "00" "AABBCCDD"

static int req(const char *line, struct ctl_request *r, const char **why)
{
	return ctl_parse_request(line, strlen(line), r, why);
}

static void test_request_sms(void **state)
{
	struct ctl_request r;
	const char *why;

	(void)state;
	assert_int_equal(req("SMS " TPDU_HEX, &r, &why), 0);
	assert_int_equal(r.cmd, CTL_REQ_SMS);
	assert_int_equal(r.tpdu_len, 38);
	assert_int_equal(r.smsc_len, 0);
	assert_int_equal(req("SMS " TPDU_HEX " +491720000000\r", &r, &why), 0);
	assert_int_equal(r.smsc_len, 7);
	assert_int_equal(r.smsc[0], 0x91);
	/* lower-case hex, extra blanks */
	assert_int_equal(req("SMS  4004811122" "7ff6" "22301200000000" "17"
			     "027000" "0012" "0d" "0000" "00" "00" "b00000"
			     "0000000001" "00" "aabbccdd  ", &r, &why), 0);
}

static void test_request_bad(void **state)
{
	static const char *bad[] = {
		"", "SMS", "SMS 4", "SMS 40ZZ", "sms " TPDU_HEX,
		"SMS " TPDU_HEX " +49x", "SMS " TPDU_HEX " 1 2",
		"SMS " TPDU_HEX "00", "PING x", "DELETE everything",
		"SMS " TPDU_HEX "\t", "SMS 4004811122",
	};
	struct ctl_request r;
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(req(bad[i], &r, &why), -EINVAL);
		assert_non_null(why);
	}
	assert_int_equal(req("PING", &r, &why), 0);
	assert_int_equal(r.cmd, CTL_REQ_PING);
}

static void test_reply_roundtrip(void **state)
{
	const uint8_t por[] = { 0x02, 0x71, 0x00, 0x00, 0x0B };
	struct ctl_reply r;
	char buf[CTL_LINE_MAX];
	size_t n;

	(void)state;
	n = ctl_format_ok(buf, sizeof(buf), 0x9000, por, sizeof(por));
	assert_string_equal(buf, "OK 9000 027100000B\n");
	assert_int_equal(ctl_parse_reply(buf, n - 1, &r), 0);
	assert_true(r.ok && r.has_sw);
	assert_int_equal(r.sw, 0x9000);
	assert_int_equal(r.por_len, 5);
	assert_memory_equal(r.por, por, 5);
	n = ctl_format_ok(buf, sizeof(buf), 0x6F00, NULL, 0);
	assert_string_equal(buf, "OK 6F00 -\n");
	assert_int_equal(ctl_parse_reply(buf, n - 1, &r), 0);
	assert_int_equal(r.por_len, 0);
	n = ctl_format_err(buf, sizeof(buf), CTL_E_NO_CARD, "no card connected");
	assert_int_equal(ctl_parse_reply(buf, n - 1, &r), 0);
	assert_false(r.ok);
	assert_string_equal(r.code, "no-card");
	assert_string_equal(r.text, "no card connected");
	assert_int_equal(ctl_parse_reply("OK 90", 5, &r), -EINVAL);
	assert_int_equal(ctl_parse_reply("YES", 3, &r), -EINVAL);
	assert_int_equal(ctl_format_ok(buf, 8, 0x9000, por, 5), 0);
}

static int http(const char *s, struct push_http_req *r)
{
	return push_http_parse((const uint8_t *)s, strlen(s), r);
}

#define HEAD "POST /push HTTP/1.1\r\nHost: x\r\n" \
	     "Content-Type: application/vnd.3gpp.sms\r\n"

static void test_http(void **state)
{
	struct push_http_req r;

	(void)state;
	assert_int_equal(http(HEAD "Content-Length: 3\r\n\r\nabc", &r), 0);
	assert_int_equal(r.body_len, 3);
	assert_memory_equal(r.body, "abc", 3);
	assert_int_equal(http(HEAD "Content-Length: 3\r\n\r\nab", &r), -EAGAIN);
	assert_int_equal(http(HEAD "Content-Length: 3\r\n", &r), -EAGAIN);
	assert_int_equal(http(HEAD "Content-Length: 3\r\n\r\nabcd", &r), 400);
	assert_int_equal(http(HEAD "\r\nabc", &r), 411);
	assert_int_equal(http(HEAD "Transfer-Encoding: chunked\r\n\r\n", &r),
			 411);
	assert_int_equal(http(HEAD "Content-Length: x\r\n\r\n", &r), 400);
	assert_int_equal(http(HEAD "Content-Length: 1\r\nContent-Length: 1"
			      "\r\n\r\na", &r), 400);
	assert_int_equal(http(HEAD "Content-Length: 99999\r\n\r\n", &r), 413);
	assert_int_equal(http("GET /push HTTP/1.1\r\n\r\n", &r), 405);
	assert_int_equal(http("post /push HTTP/1.1\r\n\r\n", &r), 405);
	assert_int_equal(http("POST /other HTTP/1.1\r\n\r\n", &r), 404);
	assert_int_equal(http("POST /push HTTP/2.0\r\n\r\n", &r), 505);
	assert_int_equal(http("POST /push SIP/2.0\r\n\r\n", &r), 400);
	assert_int_equal(http("POST /push HTTP/1.1\r\nContent-Type: text/"
			      "plain\r\nContent-Length: 0\r\n\r\n", &r), 415);
	assert_int_equal(http("POST /push HTTP/1.1\r\nContent-Type: application"
			      "/vnd.3gpp.sms; x=1\r\nContent-Length: 0\r\n\r\n",
			      &r), 0);
	assert_int_equal(http("POST /push HTTP/1.1\r\n Folded: x\r\n\r\n", &r),
			 400);
	assert_int_equal(http("POST /push HTTP/1.1\nBare: LF\r\n\r\n", &r), 400);
	assert_int_equal(http("POST /push HTTP/1.1\r\nNoColon\r\n\r\n", &r),
			 400);
}

static void test_http_too_big(void **state)
{
	static uint8_t big[PUSH_HTTP_MAX];
	struct push_http_req r;

	(void)state;
	memset(big, 'a', sizeof(big));
	assert_int_equal(push_http_parse(big, sizeof(big), &r), 413);
	assert_int_equal(push_http_parse(big, 100, &r), -EAGAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_sms),
		cmocka_unit_test(test_request_bad),
		cmocka_unit_test(test_reply_roundtrip),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_http_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
