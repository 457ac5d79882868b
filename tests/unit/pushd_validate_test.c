// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-pushd/config.c tools/scws-pushd/validate.c tools/lib/sms-pp.c tools/lib/cat-tlv.c
// libs: -losip2 -losipparser2
/*
 * scws-pushd: its configuration file and the push checks, on messages
 * parsed by libosip2 as the daemon parses them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <osipparser2/osip_parser.h>

#include "../../tools/scws-pushd/validate.h"

#define CONF "# test\nallow-from sip:ras@operator.example\n" \
	     "  allow-from   sips:ras2@op.example:5061  # second\r\n" \
	     "app-id urn:scws:test\n"

static struct pushd_config cfg;

static int cfg_parse(const char *text, char *err)
{
	return pushd_config_parse(&cfg, text, strlen(text), err, 200);
}

static void test_config(void **state)
{
	char err[200];

	(void)state;
	assert_int_equal(cfg_parse(CONF, err), 0);
	assert_int_equal(cfg.n_allow, 2);
	assert_string_equal(cfg.allow[1], "sips:ras2@op.example:5061");
	assert_string_equal(cfg.app_id, "urn:scws:test");
	assert_int_equal(cfg_parse("allow-from\n", err), -1);
	assert_string_equal(err, "line 1: expected 'DIRECTIVE VALUE'");
	assert_int_equal(cfg_parse("\nallow-from http://x\n", err), -1);
	assert_non_null(strstr(err, "line 2"));
	assert_int_equal(cfg_parse("allow-from sip:a@b c\n", err), -1);
	assert_int_equal(cfg_parse("allow-from sip:@b\n", err), -1);
	assert_int_equal(cfg_parse("allow-from sip:a@b;x=1\n", err), -1);
	assert_int_equal(cfg_parse("deny-from sip:a@b\n", err), -1);
	assert_int_equal(cfg_parse("app-id a\"b\n", err), -1);
	assert_int_equal(cfg_parse("", err), 0);
	assert_int_equal(cfg.n_allow, 0);
}

/* RP-DATA with a TP-PID 7F SMS-DELIVER */
static const uint8_t rp[] = {
	0x01, 0x2A, 0x02, 0x91, 0x21, 0x00, 0x14,
	0x40, 0x04, 0x81, 0x11, 0x22, 0x7F, 0xF6,
	0x22, 0x30, 0x12, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x02, 0x70, 0x00, 0xAA, 0xBB,
};

static osip_message_t *msg;

static int check(const char *method, const char *from, const char *accept,
		 const char *ctype, const uint8_t *body, size_t blen)
{
	char buf[2048];
	struct push_body b;
	const char *why;
	int n;

	n = snprintf(buf, sizeof(buf),
		     "%s sip:scws@127.0.0.1 SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n"
		     "From: <%s>;tag=1\r\nTo: <sip:scws@127.0.0.1>\r\n"
		     "Call-ID: 1@x\r\nCSeq: 1 %s\r\nMax-Forwards: 70\r\n"
		     "%s%s%sContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
		     method, from, method, accept ? "Accept-Contact: " : "",
		     accept ? accept : "", accept ? "\r\n" : "", ctype, blen);
	assert_true(n > 0 && (size_t)n + blen < sizeof(buf));
	memcpy(buf + n, body, blen);
	if (msg)
		osip_message_free(msg);
	assert_int_equal(osip_message_init(&msg), 0);
	assert_int_equal(osip_message_parse(msg, buf, (size_t)n + blen), 0);
	return push_validate(&cfg, msg, &b, &why);
}

#define OK_FROM "sip:ras@operator.example"
#define APP "*;+g.oma.pusheventapp=\"urn:scws:test\""
#define CT "application/vnd.3gpp.sms"

static void test_validate(void **state)
{
	char err[200];
	uint8_t bad[sizeof(rp)];

	(void)state;
	assert_int_equal(cfg_parse(CONF, err), 0);
	assert_int_equal(check("MESSAGE", OK_FROM, APP, CT, rp, sizeof(rp)), 0);
	assert_int_equal(check("MESSAGE", "sip:RAS@Operator.Example", APP, CT,
			       rp, sizeof(rp)), 0);
	assert_int_equal(check("INFO", OK_FROM, APP, CT, rp, sizeof(rp)), 405);
	assert_int_equal(check("MESSAGE", "sip:evil@operator.example", APP, CT,
			       rp, sizeof(rp)), 403);
	assert_int_equal(check("MESSAGE", "sip:ras@operator.example:5080", APP,
			       CT, rp, sizeof(rp)), 403);
	assert_int_equal(check("MESSAGE", OK_FROM, NULL, CT, rp, sizeof(rp)),
			 404);
	assert_int_equal(check("MESSAGE", OK_FROM, "*;+g.oma.pusheventapp="
			       "\"other\"", CT, rp, sizeof(rp)), 404);
	assert_int_equal(check("MESSAGE", OK_FROM, APP, "text/plain", rp,
			       sizeof(rp)), 415);
	assert_int_equal(check("MESSAGE", OK_FROM, APP, CT, rp, 10), 400);
	memcpy(bad, rp, sizeof(rp));
	bad[12] = 0x00;		/* TP-PID 00: a plain SMS */
	assert_int_equal(check("MESSAGE", OK_FROM, APP, CT, bad, sizeof(bad)),
			 488);
	cfg.app_id[0] = '\0';	/* no app id configured: any */
	assert_int_equal(check("MESSAGE", OK_FROM, NULL, CT, rp, sizeof(rp)), 0);
	osip_message_free(msg);
	msg = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_validate),
	};

	parser_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
