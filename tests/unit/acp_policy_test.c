// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/acp-policy.c tools/lib/scws-nl-policy.c
// libs: -I/usr/include/libnl3 -lnl-genl-3 -lnl-3
/*
 * acp_policy_test.c - the access control policy: text parser (every
 * selector, every error with its line:column and message, quoting, limits),
 * printer (parse -> print -> parse gives an equal model), and the netlink
 * encoding (encode, check the attributes with nla_parse, decode back, map
 * error offsets back to rules).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "acp-policy.h"
#include "scws-nl-policy.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char hex_a[] =
	"00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
static const uint8_t digest_a[SCWS_SHA256_LEN] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

/* ---- helpers */

static void parse_ok(const char *text, struct acp_policy *p)
{
	struct acp_errors errs;
	int err = acp_parse(text, strlen(text), p, &errs);

	if (err) {
		fprintf(stderr, "unexpected errors in:\n%s\n", text);
		acp_errors_print(stderr, "input", &errs);
	}
	assert_int_equal(err, 0);
}

/* Parses one line that must give exactly one rule. */
static void parse_rule(const char *line, struct acp_policy *p)
{
	parse_ok(line, p);
	assert_int_equal(p->n_rules, 1);
	assert_null(acp_rule_problem(&p->rules[0]));
}

static char *print_to_string(const struct acp_policy *p)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	acp_print(f, p);
	fclose(f);
	return buf;
}

/* parse -> print -> parse: equal models, and printing again is stable. */
static void assert_round_trip(const struct acp_policy *p)
{
	char *text = print_to_string(p), *again;
	struct acp_policy q;

	parse_ok(text, &q);
	assert_true(acp_policy_equal(p, &q));
	again = print_to_string(&q);
	assert_string_equal(text, again);
	free(again);
	free(text);
	acp_policy_free(&q);
}

/* ---- valid input */

static void test_empty_and_comments(void **state)
{
	static const char *const inputs[] = {
		"", "\n", "# only a comment", "   \t\n\n# a\n  # b\n",
		"\r\n\r\n", "#allow uid 1\n",
	};
	struct acp_policy p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(inputs); i++) {
		parse_ok(inputs[i], &p);
		assert_int_equal(p.n_rules, 0);
		assert_int_equal(p.default_action, SCWS_ACTION_DENY);
		acp_policy_free(&p);
	}
}

static void test_default(void **state)
{
	struct acp_policy p;

	(void)state;
	parse_ok("default allow\n", &p);
	assert_int_equal(p.default_action, SCWS_ACTION_ALLOW);
	acp_policy_free(&p);
	parse_ok("allow uid 1\n  default   deny   # late is fine\n", &p);
	assert_int_equal(p.default_action, SCWS_ACTION_DENY);
	acp_policy_free(&p);
}

static void test_uid(void **state)
{
	struct acp_policy p;

	(void)state;
	parse_rule("allow uid 1000", &p);
	assert_int_equal(p.rules[0].action, SCWS_ACTION_ALLOW);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_UID);
	assert_int_equal(p.rules[0].uid_min, 1000);
	assert_int_equal(p.rules[0].uid_max, 1000);
	assert_int_equal(p.rules[0].port, 0);
	acp_policy_free(&p);

	parse_rule("deny uid 1000-1999", &p);
	assert_int_equal(p.rules[0].action, SCWS_ACTION_DENY);
	assert_int_equal(p.rules[0].uid_min, 1000);
	assert_int_equal(p.rules[0].uid_max, 1999);
	acp_policy_free(&p);

	parse_rule("allow uid 0-4294967295", &p);
	assert_int_equal(p.rules[0].uid_min, 0);
	assert_int_equal(p.rules[0].uid_max, UINT32_MAX);
	acp_policy_free(&p);

	parse_rule("allow uid 7-7", &p);	/* a one-uid range is fine */
	assert_int_equal(p.rules[0].uid_min, 7);
	assert_int_equal(p.rules[0].uid_max, 7);
	acp_policy_free(&p);

	parse_rule("allow uid 007", &p);	/* decimal, not octal */
	assert_int_equal(p.rules[0].uid_min, 7);
	acp_policy_free(&p);
}

static void test_gid_group(void **state)
{
	struct acp_policy p;

	(void)state;
	parse_rule("allow gid 4294967295", &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_GID);
	assert_int_equal(p.rules[0].gid, UINT32_MAX);
	acp_policy_free(&p);

	parse_rule("allow group 27", &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_GROUP);
	assert_int_equal(p.rules[0].group, 27);
	acp_policy_free(&p);
}

static void test_strings(void **state)
{
	struct acp_policy p;

	(void)state;
	parse_rule("allow label unconfined", &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_LABEL);
	assert_string_equal(p.rules[0].label, "unconfined");
	assert_null(p.rules[0].label_prefix);
	assert_null(p.rules[0].exe);
	acp_policy_free(&p);

	parse_rule("allow label \"/usr/bin/curl (enforce)\"", &p);
	assert_string_equal(p.rules[0].label, "/usr/bin/curl");	/* the mode goes */
	acp_policy_free(&p);

	parse_rule("allow label-prefix snap.portal.", &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_LABEL_PREFIX);
	assert_string_equal(p.rules[0].label_prefix, "snap.portal.");
	acp_policy_free(&p);

	parse_rule("allow exe /usr/bin/curl", &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_EXE);
	assert_string_equal(p.rules[0].exe, "/usr/bin/curl");
	acp_policy_free(&p);

	parse_rule("allow exe \"/opt/My App/bin/app\"", &p);
	assert_string_equal(p.rules[0].exe, "/opt/My App/bin/app");
	acp_policy_free(&p);

	/* Keywords are plain values where a value is expected. */
	parse_rule("allow label all", &p);
	assert_string_equal(p.rules[0].label, "all");
	acp_policy_free(&p);
}

static void test_digest_trusted_all(void **state)
{
	struct acp_policy p;
	char line[128];

	(void)state;
	snprintf(line, sizeof(line), "allow exe-sha256 %s", hex_a);
	parse_rule(line, &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_EXE_SHA256);
	assert_memory_equal(p.rules[0].exe_sha256, digest_a, SCWS_SHA256_LEN);
	acp_policy_free(&p);

	parse_rule("allow trusted manufacturer", &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_TRUSTED);
	assert_int_equal(p.rules[0].trusted, SCWS_TRUST_MANUFACTURER);
	acp_policy_free(&p);

	parse_rule("allow trusted any", &p);
	assert_int_equal(p.rules[0].trusted, SCWS_TRUST_ANY);
	acp_policy_free(&p);

	parse_rule("allow all", &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_ALL);
	acp_policy_free(&p);

	snprintf(line, sizeof(line), "allow signer-sha256 %s", hex_a);
	parse_rule(line, &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_SIGNER_SHA256);
	assert_memory_equal(p.rules[0].signer_sha256, digest_a, SCWS_SHA256_LEN);
	assert_round_trip(&p);
	acp_policy_free(&p);

	parse_rule("deny signer-sha1 00112233445566778899AABBCCDDEEFF00112233",
		   &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_SIGNER_SHA1);
	assert_int_equal(p.rules[0].action, SCWS_ACTION_DENY);
	assert_memory_equal(p.rules[0].signer_sha1, digest_a, 16);
	assert_memory_equal(p.rules[0].signer_sha1 + 16, digest_a, 4);
	assert_round_trip(&p);
	acp_policy_free(&p);

	parse_rule("allow all port 3516", &p);
	assert_int_equal(p.rules[0].selectors, ACP_SEL_ALL);
	assert_int_equal(p.rules[0].port, 3516);
	acp_policy_free(&p);
}

static void test_every_selector_at_once(void **state)
{
	struct acp_policy p;
	const struct acp_rule *r;
	char line[512];

	(void)state;
	snprintf(line, sizeof(line),
		 "deny trusted any exe-sha256 %s exe /bin/x label-prefix a. "
		 "signer-sha1 %.40s signer-sha256 %s "
		 "label \"a b\" group 9 gid 8 uid 1-2 port 4116", hex_a, hex_a,
		 hex_a);
	parse_rule(line, &p);
	r = &p.rules[0];
	assert_int_equal(r->selectors, 0x6ff);	/* all but 'all' */
	assert_memory_equal(r->signer_sha256, digest_a, SCWS_SHA256_LEN);
	assert_int_equal(r->uid_min, 1);
	assert_int_equal(r->uid_max, 2);
	assert_int_equal(r->gid, 8);
	assert_int_equal(r->group, 9);
	assert_string_equal(r->label, "a b");
	assert_string_equal(r->label_prefix, "a.");
	assert_string_equal(r->exe, "/bin/x");
	assert_memory_equal(r->exe_sha256, digest_a, SCWS_SHA256_LEN);
	assert_int_equal(r->trusted, SCWS_TRUST_ANY);
	assert_int_equal(r->port, 4116);
	assert_round_trip(&p);
	acp_policy_free(&p);
}

static void test_ports(void **state)
{
	static const struct {
		const char *line;
		uint16_t port;
	} cases[] = {
		{ "allow uid 1 port 3516", 3516 },
		{ "allow uid 1 port 4116", 4116 },
		{ "allow uid 1 port 1", 1 },
		{ "allow uid 1 port 65535", 65535 },
		{ "allow uid 1", 0 },
	};
	struct acp_policy p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		parse_rule(cases[i].line, &p);
		assert_int_equal(p.rules[0].port, cases[i].port);
		acp_policy_free(&p);
	}
}

static void test_quoting(void **state)
{
	struct acp_policy p;

	(void)state;
	parse_rule("allow label \"say \\\"hi\\\" \\\\ \\x41\\x7e\"", &p);
	assert_string_equal(p.rules[0].label, "say \"hi\" \\ A~");
	acp_policy_free(&p);

	parse_rule("allow label \"# not a comment\" # a comment", &p);
	assert_string_equal(p.rules[0].label, "# not a comment");
	acp_policy_free(&p);

	parse_rule("allow label abc#comment", &p);	/* '#' ends a word */
	assert_string_equal(p.rules[0].label, "abc");
	acp_policy_free(&p);

	parse_rule("allow label \"x\"#comment", &p);
	assert_string_equal(p.rules[0].label, "x");
	acp_policy_free(&p);

	parse_rule("allow label a\\b", &p);	/* a backslash in a word is literal */
	assert_string_equal(p.rules[0].label, "a\\b");
	acp_policy_free(&p);

	parse_rule("allow label \"\xc3\xa9t\xc3\xa9\"", &p);	/* UTF-8 as is */
	assert_string_equal(p.rules[0].label, "\xc3\xa9t\xc3\xa9");
	acp_policy_free(&p);

	parse_rule("allow\tuid\t5\r\n", &p);	/* tabs and CRLF */
	assert_int_equal(p.rules[0].uid_min, 5);
	acp_policy_free(&p);

	parse_rule("allow label \"\\x01\\xff\"", &p);
	assert_string_equal(p.rules[0].label, "\x01\xff");
	acp_policy_free(&p);
}

static void test_lines(void **state)
{
	struct acp_policy p;

	(void)state;
	parse_ok("# c\n\nallow uid 1\n\n# x\ndeny all", &p);	/* no final \n */
	assert_int_equal(p.n_rules, 2);
	assert_int_equal(p.rules[0].line, 3);
	assert_int_equal(p.rules[1].line, 6);
	assert_int_equal(p.rules[1].selectors, ACP_SEL_ALL);
	acp_policy_free(&p);
}

static void test_string_limits(void **state)
{
	char line[600], value[300];
	struct acp_policy p;

	(void)state;
	memset(value, 'x', ACP_LABEL_MAX);
	value[ACP_LABEL_MAX] = '\0';
	snprintf(line, sizeof(line), "allow label %s", value);
	parse_rule(line, &p);
	assert_int_equal(strlen(p.rules[0].label), 255);
	acp_policy_free(&p);

	value[0] = '/';
	snprintf(line, sizeof(line), "allow exe %s", value);
	parse_rule(line, &p);
	assert_int_equal(strlen(p.rules[0].exe), 255);
	acp_policy_free(&p);
}

static char *repeat_lines(const char *line, size_t n)
{
	size_t len = strlen(line);
	char *text = malloc(n * len + 1);
	size_t i;

	assert_non_null(text);
	for (i = 0; i < n; i++)
		memcpy(text + i * len, line, len);
	text[n * len] = '\0';
	return text;
}

static void test_rule_limit(void **state)
{
	char *text = repeat_lines("allow uid 1\n", SCWS_POLICY_MAX_RULES);
	struct acp_policy p;

	(void)state;
	parse_ok(text, &p);
	assert_int_equal(p.n_rules, SCWS_POLICY_MAX_RULES);
	assert_int_equal(p.rules[SCWS_POLICY_MAX_RULES - 1].line,
			 SCWS_POLICY_MAX_RULES);
	acp_policy_free(&p);
	free(text);
}

/* ---- errors */

struct error_case {
	const char *text;
	unsigned int line;
	unsigned int column;
	const char *message;
};

#define SELECTORS "(uid, gid, group, label, label-prefix, exe, exe-sha256, trusted, signer-sha256, signer-sha1, all)"
#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HEX64_B "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

#define TRUST_GONE "'trust' lists are gone: sign the executable (scwsctl sign) and add its certificate (scwsctl trust add manufacturer CERT), or name it with 'allow exe-sha256 HEX ...'"

static const struct error_case error_cases[] = {
	/* statements */
	{ "permit uid 1", 1, 1,
	  "expected 'allow', 'deny' or 'default', got 'permit'" },
	{ "Allow uid 1", 1, 1,
	  "expected 'allow', 'deny' or 'default', got 'Allow'" },
	{ "\"allow\" uid 1", 1, 1,
	  "expected 'allow', 'deny' or 'default', got '\"allow\"'" },
	{ "default", 1, 8,
	  "expected 'allow' or 'deny' after 'default', got end of line" },
	{ "default maybe", 1, 9,
	  "expected 'allow' or 'deny' after 'default', got 'maybe'" },
	{ "default deny now", 1, 14,
	  "expected end of line after 'default deny', got 'now'" },
	{ "default allow\n\ndefault deny", 3, 1,
	  "'default' given twice (first on line 1)" },
	/* the digest lists of earlier versions */
	{ "allow uid 1\n  trust manufacturer " HEX64, 2, 3, TRUST_GONE },
	{ "trust", 1, 1, TRUST_GONE },
	/* signer hashes */
	{ "allow signer-sha256 " HEX64 "00", 1, 21,
	  "expected the SHA-256 of a certificate (64 hex digits) after 'signer-sha256', got '0123456789abcdef0123456789abcdef01234567...'" },
	{ "allow signer-sha1 0123456789abcdef0123456789abcdef0123456", 1, 19,
	  "expected the SHA-1 of a certificate (40 hex digits) after 'signer-sha1', got '0123456789abcdef0123456789abcdef0123456'" },
	{ "allow signer-sha1 " HEX64, 1, 19,
	  "expected the SHA-1 of a certificate (40 hex digits) after 'signer-sha1', got '0123456789abcdef0123456789abcdef01234567...'" },
	{ "allow signer-sha1", 1, 18,
	  "expected the SHA-1 of a certificate (40 hex digits) after 'signer-sha1', got end of line" },
	{ "allow signer-sha256 " HEX64 " signer-sha256 " HEX64, 1, 86,
	  "'signer-sha256' given twice in one rule" },
	{ "allow all signer-sha1 0123456789abcdef0123456789abcdef01234567", 1, 11,
	  "'all' cannot be combined with other selectors" },
	/* rules */
	{ "allow", 1, 6,
	  "expected a selector " SELECTORS " after 'allow', got end of line" },
	{ "deny   # nothing", 1, 5,
	  "expected a selector " SELECTORS " after 'deny', got end of line" },
	{ "deny port 3516", 1, 6,
	  "expected a selector " SELECTORS " after 'deny', got 'port'" },
	{ "allow uid 1 bogus", 1, 13,
	  "expected a selector, 'port' or end of line, got 'bogus'" },
	{ "allow uid 1 uid 2", 1, 13, "'uid' given twice in one rule" },
	{ "allow trusted any trusted manufacturer", 1, 19,
	  "'trusted' given twice in one rule" },
	{ "allow all all", 1, 11, "'all' given twice in one rule" },
	{ "allow all uid 1", 1, 11,
	  "'all' cannot be combined with other selectors" },
	{ "allow gid 3 all", 1, 13,
	  "'all' cannot be combined with other selectors" },
	/* uid */
	{ "allow uid", 1, 10,
	  "expected a uid or a uid range A-B after 'uid', got end of line" },
	{ "allow uid root", 1, 11,
	  "expected a uid or a uid range A-B after 'uid', got 'root'" },
	{ "allow uid -1", 1, 11,
	  "expected a uid or a uid range A-B after 'uid', got '-1'" },
	{ "allow uid +1", 1, 11,
	  "expected a uid or a uid range A-B after 'uid', got '+1'" },
	{ "allow uid 0x10", 1, 11,
	  "expected a uid or a uid range A-B after 'uid', got '0x10'" },
	{ "allow uid 1-", 1, 11,
	  "expected a uid or a uid range A-B after 'uid', got '1-'" },
	{ "allow uid 1-2-3", 1, 11,
	  "expected a uid or a uid range A-B after 'uid', got '1-2-3'" },
	{ "allow uid \"5\"", 1, 11,
	  "expected a uid or a uid range A-B after 'uid', got '\"5\"'" },
	{ "allow uid 4294967296", 1, 11,
	  "'4294967296' after 'uid' is out of range (0 to 4294967295)" },
	{ "allow uid 99999999999999999999999", 1, 11,
	  "'99999999999999999999999' after 'uid' is out of range (0 to 4294967295)" },
	{ "allow uid 1-4294967296", 1, 11,
	  "'1-4294967296' after 'uid' is out of range (0 to 4294967295)" },
	{ "allow uid 2000-1000", 1, 11,
	  "uid range '2000-1000' is upside down (2000 > 1000)" },
	/* gid, group */
	{ "allow gid", 1, 10,
	  "expected a decimal number after 'gid', got end of line" },
	{ "allow gid 1.5", 1, 11,
	  "expected a decimal number after 'gid', got '1.5'" },
	{ "allow group -3", 1, 13,
	  "expected a decimal number after 'group', got '-3'" },
	{ "allow group 12abc", 1, 13,
	  "expected a decimal number after 'group', got '12abc'" },
	{ "allow gid 4294967296", 1, 11,
	  "'4294967296' after 'gid' is out of range (0 to 4294967295)" },
	/* strings */
	{ "allow label", 1, 12, "expected a string after 'label', got end of line" },
	{ "allow label \"\"", 1, 13, "empty string after 'label'" },
	{ "allow label-prefix", 1, 19,
	  "expected a string after 'label-prefix', got end of line" },
	{ "allow label-prefix \"\"", 1, 20, "empty string after 'label-prefix'" },
	{ "allow exe", 1, 10,
	  "expected an absolute path after 'exe', got end of line" },
	{ "allow exe bin/curl", 1, 11,
	  "expected an absolute path after 'exe', got 'bin/curl'" },
	{ "allow exe \"\"", 1, 11,
	  "expected an absolute path after 'exe', got '\"\"'" },
	/* digests, trusted */
	{ "allow exe-sha256", 1, 17,
	  "expected a SHA-256 digest (64 hex digits) after 'exe-sha256', got end of line" },
	{ "allow exe-sha256 " HEX64 "0", 1, 18,
	  "expected a SHA-256 digest (64 hex digits) after 'exe-sha256', got '"
	  "0123456789abcdef0123456789abcdef01234567...'" },
	{ "allow exe-sha256 g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	  1, 18,
	  "expected a SHA-256 digest (64 hex digits) after 'exe-sha256', got '"
	  "g123456789abcdef0123456789abcdef01234567...'" },
	{ "allow exe-sha256 \"" HEX64 "\"", 1, 18,
	  "expected a SHA-256 digest (64 hex digits) after 'exe-sha256', got '\""
	  "0123456789abcdef0123456789abcdef0123456...'" },
	{ "allow trusted", 1, 14,
	  "expected 'manufacturer' or 'any' after 'trusted', got end of line" },
	{ "allow trusted all", 1, 15,
	  "expected 'manufacturer' or 'any' after 'trusted', got 'all'" },
	/* port */
	{ "allow uid 1 port", 1, 17,
	  "expected a decimal number after 'port', got end of line" },
	{ "allow uid 1 port https", 1, 18,
	  "expected a decimal number after 'port', got 'https'" },
	{ "allow uid 1 port 0", 1, 18,
	  "'0' after 'port' is out of range (1 to 65535)" },
	{ "allow uid 1 port 65536", 1, 18,
	  "'65536' after 'port' is out of range (1 to 65535)" },
	{ "allow uid 1 port 3516 port 4116", 1, 23,
	  "expected end of line after the port (it comes last), got 'port'" },
	{ "allow uid 1 port 3516 gid 2", 1, 23,
	  "expected end of line after the port (it comes last), got 'gid'" },
	/* tokens */
	{ "allow label \"abc", 1, 13, "unterminated string" },
	{ "allow label \"abc\\", 1, 13, "unterminated string" },
	{ "allow label \"a\\qb\"", 1, 15,
	  "unknown escape '\\q' (use \\\", \\\\ or \\xNN)" },
	{ "allow label \"a\\\tb\"", 1, 15,
	  "unknown escape (use \\\", \\\\ or \\xNN)" },
	{ "allow label \"\\x4\"", 1, 14,
	  "expected two hex digits after '\\x'" },
	{ "allow label \"\\x", 1, 14, "expected two hex digits after '\\x'" },
	{ "allow label \"\\x00\"", 1, 14,
	  "'\\x00' is not allowed: strings cannot hold NUL" },
	{ "allow label a\"b\"", 1, 14,
	  "unexpected '\"' inside a word (quote the whole string)" },
	{ "allow label \"ab\"c", 1, 17, "expected a blank after the closing '\"'" },
	{ "allow uid 1\x01", 1, 12, "unexpected control character 0x01" },
	{ "allow uid 1\x7f", 1, 12, "unexpected control character 0x7f" },
	{ "allow label \"a\x1b[2J\"", 1, 15,
	  "unexpected control character 0x1b in a string (write \\x1b)" },
	{ "permit\xff", 1, 1,
	  "expected 'allow', 'deny' or 'default', got 'permit\\xff'" },
	/* positions on later lines, after blanks and tabs */
	{ "# c\n\n\tallow uid x", 3, 12,
	  "expected a uid or a uid range A-B after 'uid', got 'x'" },
	{ "allow uid 1\r\nallow gid\r\n", 2, 10,
	  "expected a decimal number after 'gid', got end of line" },
};

static void test_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(error_cases); i++) {
		const struct error_case *c = &error_cases[i];
		struct acp_errors errs;
		struct acp_policy p;
		int err = acp_parse(c->text, strlen(c->text), &p, &errs);

		if (err != -EINVAL || errs.count != 1 ||
		    errs.list[0].line != c->line ||
		    errs.list[0].column != c->column ||
		    strcmp(errs.list[0].message, c->message) != 0) {
			fprintf(stderr, "case %zu: \"%s\"\n want %u:%u: %s\n", i,
				c->text, c->line, c->column, c->message);
			acp_errors_print(stderr, " got", &errs);
			fail();
		}
		/* Nothing is kept from an invalid text. */
		assert_int_equal(p.n_rules, 0);
		assert_null(p.rules);
	}
}

static void test_error_string_limits(void **state)
{
	char line[600], value[300];
	struct acp_errors errs;
	struct acp_policy p;

	(void)state;
	memset(value, 'x', ACP_LABEL_MAX + 1);
	value[ACP_LABEL_MAX + 1] = '\0';
	snprintf(line, sizeof(line), "allow label-prefix %s", value);
	assert_int_equal(acp_parse(line, strlen(line), &p, &errs), -EINVAL);
	assert_int_equal(errs.list[0].column, 20);
	assert_string_equal(errs.list[0].message,
			    "string after 'label-prefix' is too long (256 bytes, at most 255)");

	value[0] = '/';
	snprintf(line, sizeof(line), "allow exe \"%s\"", value);
	assert_int_equal(acp_parse(line, strlen(line), &p, &errs), -EINVAL);
	assert_int_equal(errs.list[0].column, 11);
	assert_string_equal(errs.list[0].message,
			    "string after 'exe' is too long (256 bytes, at most 255)");
}

static void test_error_nul_byte(void **state)
{
	static const char text[] = "allow uid 1\nallow uid 2\0\n";
	struct acp_errors errs;
	struct acp_policy p;

	(void)state;
	assert_int_equal(acp_parse(text, sizeof(text) - 1, &p, &errs), -EINVAL);
	assert_int_equal(errs.count, 1);
	assert_int_equal(errs.list[0].line, 2);
	assert_int_equal(errs.list[0].column, 12);
	assert_string_equal(errs.list[0].message,
			    "unexpected control character 0x00");
}

static void test_error_too_many_rules(void **state)
{
	char *text = repeat_lines("allow uid 1\n", SCWS_POLICY_MAX_RULES + 2);
	struct acp_errors errs;
	struct acp_policy p;

	(void)state;
	assert_int_equal(acp_parse(text, strlen(text), &p, &errs), -EINVAL);
	assert_int_equal(errs.count, 1);	/* said once */
	assert_int_equal(errs.list[0].line, SCWS_POLICY_MAX_RULES + 1);
	assert_int_equal(errs.list[0].column, 1);
	assert_string_equal(errs.list[0].message, "too many rules (at most 16384)");
	assert_int_equal(p.n_rules, 0);
	free(text);
}

static void test_every_bad_line_reported(void **state)
{
	static const char text[] =
		"allow uid x\n"
		"allow uid 1\n"
		"deny\n"
		"allow gid 2 gid 3\n";
	struct acp_errors errs;
	struct acp_policy p;

	(void)state;
	assert_int_equal(acp_parse(text, strlen(text), &p, &errs), -EINVAL);
	assert_int_equal(errs.count, 3);
	assert_int_equal(errs.list[0].line, 1);
	assert_int_equal(errs.list[1].line, 3);
	assert_int_equal(errs.list[2].line, 4);
	assert_int_equal(p.n_rules, 0);
}

static void test_errors_print(void **state)
{
	char *text = repeat_lines("bad\n", ACP_ERRORS_MAX + 5), *out = NULL;
	struct acp_errors errs;
	struct acp_policy p;
	size_t size = 0;
	FILE *f;

	(void)state;
	assert_int_equal(acp_parse(text, strlen(text), &p, &errs), -EINVAL);
	assert_int_equal(errs.count, ACP_ERRORS_MAX + 5);
	f = open_memstream(&out, &size);
	acp_errors_print(f, "acp.conf", &errs);
	fclose(f);
	assert_non_null(strstr(out,
		"acp.conf:1:1: error: expected 'allow', 'deny' or 'default', got 'bad'\n"
		"acp.conf:2:1: error: "));
	assert_non_null(strstr(out, "acp.conf:20:1: error: "));
	assert_null(strstr(out, "acp.conf:21:1:"));
	assert_non_null(strstr(out, "acp.conf: note: 5 more errors not shown\n"));
	free(out);
	free(text);
}

/* ---- printing */

static void test_print_format(void **state)
{
	static const char text[] =
		"allow uid 5-5 port 3516\n"
		"deny   label   \"x\"\n"
		"allow   signer-sha1 0123456789ABCDEF0123456789abcdef01234567\n"
		"allow uid 1000-1999 gid 4\n";
	static const char want[] =
		"default deny\n"
		"allow uid 5 port 3516\n"
		"deny label x\n"
		"allow signer-sha1 0123456789abcdef0123456789abcdef01234567\n"
		"allow uid 1000-1999 gid 4\n";
	struct acp_policy p;
	char *out;

	(void)state;
	parse_ok(text, &p);
	out = print_to_string(&p);
	assert_string_equal(out, want);
	free(out);
	acp_policy_free(&p);
}

static void test_print_quotes_what_needs_it(void **state)
{
	static const struct {
		const char *label;
		const char *printed;
	} cases[] = {
		{ "plain", "plain" },
		{ "a b", "\"a b\"" },
		{ "a#b", "\"a#b\"" },
		{ "a\"b", "\"a\\\"b\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ "tab\there", "\"tab\\x09here\"" },
		{ "\x7f", "\"\\x7f\"" },
		{ "\xc3\xa9", "\xc3\xa9" },
		{ "/usr/bin/curl (enforce)", "\"/usr/bin/curl (enforce)\"" },
	};
	struct acp_rule r = { .action = SCWS_ACTION_ALLOW,
			      .selectors = ACP_SEL_LABEL };
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *out = NULL;
		size_t size = 0;
		FILE *f = open_memstream(&out, &size);

		r.label = (char *)cases[i].label;
		acp_print_rule(f, &r);
		fclose(f);
		snprintf(want, sizeof(want), "allow label %s\n", cases[i].printed);
		assert_string_equal(out, want);
		free(out);
	}
}

static void test_round_trip(void **state)
{
	static const char text[] =
		"default allow\n"
		"allow signer-sha256 " HEX64 "\n"
		"deny signer-sha1 0123456789abcdef0123456789abcdef01234567 trusted manufacturer port 3516\n"
		"deny uid 1002\n"
		"allow uid 0\n"
		"allow uid 1000-1999 port 4116\n"
		"allow gid 4294967295 group 0\n"
		"allow label \"/usr/bin/curl (enforce)\"\n"
		"allow label \"quote\\\" backslash\\\\ hash# \\x01\\x1f\\x7f \xe2\x82\xac\"\n"
		"allow label-prefix snap.\n"
		"deny exe \"/opt/a b/c\"\n"
		"allow exe-sha256 " HEX64 " trusted manufacturer\n"
		"allow trusted any port 3516\n"
		"deny all\n";
	struct acp_policy p;

	(void)state;
	parse_ok(text, &p);
	assert_int_equal(p.n_rules, 13);
	assert_round_trip(&p);
	acp_policy_free(&p);
}

/* ---- model */

static void test_equal_notices_every_field(void **state)
{
	static const char *const variants[] = {
		"allow uid 1", "deny uid 1", "allow uid 2", "allow uid 1-2",
		"allow uid 1 port 3516", "allow gid 1", "allow group 1",
		"allow label a", "allow label b", "allow label-prefix a",
		"allow exe /a", "allow exe /b", "allow exe-sha256 " HEX64,
		"allow trusted any", "allow trusted manufacturer", "allow all",
		"allow uid 1 gid 1",
	};
	struct acp_policy a, b;
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		parse_ok(variants[i], &a);
		for (k = 0; k < ARRAY_SIZE(variants); k++) {
			parse_ok(variants[k], &b);
			assert_int_equal(acp_policy_equal(&a, &b), i == k);
			acp_policy_free(&b);
		}
		acp_policy_free(&a);
	}
	parse_ok("default allow", &a);
	parse_ok("default deny", &b);
	assert_false(acp_policy_equal(&a, &b));
	acp_policy_free(&a);
	acp_policy_free(&b);
}

/* Labels as /proc/PID/attr/current shows them lose AppArmor's mode. */
static void test_label_mode(void **state)
{
	static const char *const modes[] = {
		"enforce", "complain", "kill", "unconfined", "mixed", "user",
		"prompt",
	};
	struct acp_policy p;
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		snprintf(line, sizeof(line), "deny label \"/usr/bin/x (%s)\"",
			 modes[i]);
		parse_rule(line, &p);
		assert_string_equal(p.rules[0].label, "/usr/bin/x");
		acp_policy_free(&p);
	}
	parse_rule("allow label-prefix \"snap.x (complain)\" label \"a//&b (mixed)\"",
		   &p);
	assert_string_equal(p.rules[0].label_prefix, "snap.x");
	assert_string_equal(p.rules[0].label, "a//&b");
	acp_policy_free(&p);
	/* Not a mode, not at the end, nothing before it, or a path: kept. */
	parse_rule("deny label \"x (audit)\" label-prefix \" (enforce)\" exe \"/x (enforce)\"",
		   &p);
	assert_string_equal(p.rules[0].label, "x (audit)");
	assert_string_equal(p.rules[0].label_prefix, " (enforce)");
	assert_string_equal(p.rules[0].exe, "/x (enforce)");
	acp_policy_free(&p);
	parse_rule("deny label \"a (enforce)//&b\"", &p);
	assert_string_equal(p.rules[0].label, "a (enforce)//&b");
	acp_policy_free(&p);
	assert_int_equal(acp_label_mode_len("x (kill)", 8), 1);
	assert_int_equal(acp_label_mode_len("x (kill)", 7), 7);
	/* All of them: what prints back parses the same. */
	parse_rule("deny label \"x (enforce) (complain)\"", &p);
	assert_string_equal(p.rules[0].label, "x");
	assert_round_trip(&p);
	acp_policy_free(&p);
	/* The printed form loads back equal. */
	parse_ok("deny label \"x (enforce)\"\n", &p);
	assert_round_trip(&p);
	acp_policy_free(&p);
}

static char *warnings_of(const char *text, unsigned int *n)
{
	struct acp_errors warns;
	struct acp_policy p;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	parse_ok(text, &p);
	*n = acp_lint(&p, &warns);
	f = open_memstream(&buf, &size);
	assert_non_null(f);
	acp_warnings_print(f, "acp.conf", &warns);
	fclose(f);
	acp_policy_free(&p);
	return buf;
}

/* An allow rule that names only the executable is worth a warning. */
static void test_lint(void **state)
{
	static const char text[] =
		"default deny\n"
		"allow exe /usr/bin/curl\n"
		"deny exe /usr/bin/wget\n"
		"allow uid 1000 exe /usr/bin/curl\n"
		"allow label x exe-sha256 " "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"
		"  allow exe-sha256 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff port 3516\n"
		"allow trusted any\n"
		"allow exe /a trusted manufacturer # both, still only the executable\n"
		"allow all\n"
		"allow group 5 trusted any\n";
	unsigned int n;
	char *out;

	(void)state;
	out = warnings_of(text, &n);
	assert_int_equal(n, 4);
	assert_non_null(strstr(out, "acp.conf:2:1: warning: this rule names only the executable"));
	assert_non_null(strstr(out, "acp.conf:6:3: warning: "));
	assert_non_null(strstr(out, "acp.conf:7:1: warning: "));
	assert_non_null(strstr(out, "acp.conf:8:1: warning: "));
	assert_null(strstr(out, "acp.conf:3:"));
	assert_null(strstr(out, "acp.conf:4:"));
	assert_null(strstr(out, "acp.conf:5:"));
	assert_null(strstr(out, "acp.conf:9:"));
	assert_null(strstr(out, "acp.conf:10:"));
	free(out);
	out = warnings_of("default allow\ndeny exe /x\n", &n);
	assert_int_equal(n, 0);
	assert_string_equal(out, "");
	free(out);
}

/* Past ACP_ERRORS_MAX the rest are counted. */
static void test_lint_many(void **state)
{
	char text[64 * (ACP_ERRORS_MAX + 5)], *out;
	size_t used = 0;
	unsigned int n, i;

	(void)state;
	for (i = 0; i < ACP_ERRORS_MAX + 5; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "allow exe /bin/x%u\n", i);
	out = warnings_of(text, &n);
	assert_int_equal(n, ACP_ERRORS_MAX + 5);
	assert_non_null(strstr(out, "acp.conf: note: 5 more warnings not shown\n"));
	free(out);
}

static void test_rule_problem(void **state)
{
	struct acp_rule r = { .action = SCWS_ACTION_ALLOW };
	char label[] = "x", rel[] = "bin/x";

	(void)state;
	assert_string_equal(acp_rule_problem(&r), "no selector");
	r.selectors = ACP_SEL_ALL | ACP_SEL_GID;
	assert_string_equal(acp_rule_problem(&r),
			    "'all' combined with other selectors");
	r.selectors = ACP_SEL_UID;
	r.uid_min = 2;
	r.uid_max = 1;
	assert_string_equal(acp_rule_problem(&r), "uid range upside down");
	r.uid_max = 2;
	assert_null(acp_rule_problem(&r));
	r.action = 2;
	assert_string_equal(acp_rule_problem(&r), "unknown action");
	r.action = SCWS_ACTION_DENY;
	r.selectors = ACP_SEL_LABEL;
	assert_string_equal(acp_rule_problem(&r), "label empty or too long");
	r.label = label;
	assert_null(acp_rule_problem(&r));
	r.selectors = ACP_SEL_EXE;
	assert_string_equal(acp_rule_problem(&r), "label empty or too long");
	r.label = NULL;
	r.exe = rel;
	assert_string_equal(acp_rule_problem(&r),
			    "exe not an absolute path or too long");
	r.exe = NULL;
	r.selectors = ACP_SEL_TRUSTED;
	r.trusted = 3;
	assert_string_equal(acp_rule_problem(&r), "unknown trust kind");
	r.trusted = SCWS_TRUST_ANY;
	r.source = 2;
	assert_string_equal(acp_rule_problem(&r), "unknown rule source");
	r.source = SCWS_SOURCE_CARD;
	assert_null(acp_rule_problem(&r));
	r.selectors = 1u << 11;
	assert_string_equal(acp_rule_problem(&r), "unknown selector");
}

static void test_add_limits(void **state)
{
	struct acp_policy p;
	struct acp_rule r = { .selectors = ACP_SEL_ALL };
	size_t i;

	(void)state;
	acp_policy_init(&p);
	for (i = 0; i < SCWS_POLICY_MAX_RULES; i++)
		assert_int_equal(acp_policy_add_rule(&p, &r), 0);
	assert_int_equal(acp_policy_add_rule(&p, &r), -E2BIG);
	acp_policy_free(&p);
	assert_int_equal(p.n_rules, 0);
	assert_null(p.rules);
}

/* ---- netlink */

#define FAKE_FAMILY 0x20

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc_size(4 << 20);

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 1, 1, FAKE_FAMILY, 0, 0, cmd,
				    SCWS_GENL_VERSION));
	return msg;
}

/* The message's top-level attributes, in order. */
static size_t attrs_of(struct nl_msg *msg, struct nlattr **out, size_t max)
{
	struct genlmsghdr *gnlh = genlmsg_hdr(nlmsg_hdr(msg));
	struct nlattr *pos;
	size_t n = 0;
	int rem;

	nla_for_each_attr(pos, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		assert_true(n < max);
		out[n++] = pos;
	}
	assert_int_equal(rem, 0);
	return n;
}

static void test_nl_encoding(void **state)
{
	static const char text[] =
		"default allow\n"
		"allow signer-sha256 " HEX64 " signer-sha1 0123456789abcdef0123456789abcdef01234567\n"
		"deny uid 1000-1999 gid 5 group 6 port 3516\n"
		"allow label a label-prefix bc exe /x exe-sha256 " HEX64 " trusted any\n"
		"allow all\n";
	struct nlattr *attrs[8], *rt[SCWS_RULE_A_MAX + 1];
	struct nl_msg *msg = new_msg(SCWS_CMD_POLICY_SET);
	struct acp_policy p;
	uint32_t before;

	(void)state;
	parse_ok(text, &p);
	before = nlmsg_hdr(msg)->nlmsg_len;
	assert_int_equal(scws_nl_policy_put(msg, &p), 0);
	assert_int_equal(nlmsg_hdr(msg)->nlmsg_len - before,
			 scws_nl_policy_size(&p));

	/* default, four rules: top level, in this order */
	assert_int_equal(attrs_of(msg, attrs, 8), 5);
	assert_int_equal(nla_type(attrs[0]), SCWS_A_POLICY_DEFAULT);
	assert_int_equal(nla_len(attrs[0]), 1);
	assert_int_equal(nla_get_u8(attrs[0]), SCWS_ACTION_ALLOW);
	assert_int_equal(nla_type(attrs[1]), SCWS_A_POLICY_RULE);
	/* the signer hashes: 32 and 20 bytes */
	assert_int_equal(nla_parse_nested(rt, SCWS_RULE_A_MAX, attrs[1], NULL), 0);
	assert_int_equal(nla_len(rt[SCWS_RULE_A_SIGNER_SHA256]), SCWS_SHA256_LEN);
	assert_memory_equal(nla_data(rt[SCWS_RULE_A_SIGNER_SHA256]),
			    p.rules[0].signer_sha256, SCWS_SHA256_LEN);
	assert_int_equal(nla_len(rt[SCWS_RULE_A_SIGNER_SHA1]), SCWS_SHA1_LEN);
	assert_int_equal(((uint8_t *)nla_data(rt[SCWS_RULE_A_SIGNER_SHA1]))[19], 0x67);
	assert_null(rt[SCWS_RULE_A_SOURCE]);
	assert_int_equal(nla_type(attrs[2]), SCWS_A_POLICY_RULE);
	/* Strictly validating kernels want NLA_F_NESTED on every nest. */
	assert_true(attrs[2]->nla_type & NLA_F_NESTED);

	/* deny uid 1000-1999 gid 5 group 6 port 3516 */
	assert_int_equal(nla_parse_nested(rt, SCWS_RULE_A_MAX, attrs[2], NULL), 0);
	assert_int_equal(nla_get_u8(rt[SCWS_RULE_A_ACTION]), SCWS_ACTION_DENY);
	assert_int_equal(nla_len(rt[SCWS_RULE_A_PORT]), 2);
	assert_int_equal(nla_get_u16(rt[SCWS_RULE_A_PORT]), 3516);
	assert_int_equal(nla_get_u32(rt[SCWS_RULE_A_UID_MIN]), 1000);
	assert_int_equal(nla_get_u32(rt[SCWS_RULE_A_UID_MAX]), 1999);
	assert_int_equal(nla_get_u32(rt[SCWS_RULE_A_GID]), 5);
	assert_int_equal(nla_get_u32(rt[SCWS_RULE_A_GROUP]), 6);
	assert_null(rt[SCWS_RULE_A_LABEL]);
	assert_null(rt[SCWS_RULE_A_ALL]);

	/* the strings are NUL terminated, the digest is 32 bytes */
	assert_int_equal(nla_parse_nested(rt, SCWS_RULE_A_MAX, attrs[3], NULL), 0);
	assert_null(rt[SCWS_RULE_A_PORT]);
	assert_null(rt[SCWS_RULE_A_UID_MIN]);
	assert_int_equal(nla_len(rt[SCWS_RULE_A_LABEL]), 2);
	assert_string_equal(nla_data(rt[SCWS_RULE_A_LABEL]), "a");
	assert_int_equal(nla_len(rt[SCWS_RULE_A_LABEL_PREFIX]), 3);
	assert_string_equal(nla_data(rt[SCWS_RULE_A_LABEL_PREFIX]), "bc");
	assert_string_equal(nla_data(rt[SCWS_RULE_A_EXE]), "/x");
	assert_int_equal(nla_len(rt[SCWS_RULE_A_EXE_SHA256]), SCWS_SHA256_LEN);
	assert_int_equal(nla_get_u8(rt[SCWS_RULE_A_TRUSTED]), SCWS_TRUST_ANY);

	/* allow all: a flag with no payload */
	assert_int_equal(nla_parse_nested(rt, SCWS_RULE_A_MAX, attrs[4], NULL), 0);
	assert_int_equal(nla_get_u8(rt[SCWS_RULE_A_ACTION]), SCWS_ACTION_ALLOW);
	assert_non_null(rt[SCWS_RULE_A_ALL]);
	assert_int_equal(nla_len(rt[SCWS_RULE_A_ALL]), 0);

	nlmsg_free(msg);
	acp_policy_free(&p);
}

static void test_nl_empty_policy(void **state)
{
	struct nl_msg *msg = new_msg(SCWS_CMD_POLICY_SET);
	struct nlattr *attrs[2];
	struct acp_policy p;

	(void)state;
	acp_policy_init(&p);
	assert_int_equal(scws_nl_policy_put(msg, &p), 0);
	/* The default is required by the kernel: always sent. */
	assert_int_equal(attrs_of(msg, attrs, 2), 1);
	assert_int_equal(nla_type(attrs[0]), SCWS_A_POLICY_DEFAULT);
	assert_int_equal(nla_get_u8(attrs[0]), SCWS_ACTION_DENY);
	nlmsg_free(msg);
}

/* A POLICY_SET message read back as if it were one dump message. */
static void test_nl_round_trip(void **state)
{
	static const char text[] =
		"default allow\n"
		"allow signer-sha256 " HEX64 "\n"
		"deny signer-sha1 0123456789abcdef0123456789abcdef01234567\n"
		"deny uid 1002\n"
		"allow uid 0-10 gid 1 group 2 port 4116\n"
		"allow label \"with space\" label-prefix \"\\x01p\"\n"
		"allow exe /usr/bin/curl exe-sha256 " HEX64 "\n"
		"allow trusted manufacturer\n"
		"deny all port 3516\n";
	struct scws_nl_policy_reader rd;
	struct nl_msg *msg = new_msg(SCWS_CMD_POLICY_GET);
	struct acp_policy p, q;

	(void)state;
	parse_ok(text, &p);
	assert_int_equal(scws_nl_policy_put(msg, &p), 0);
	scws_nl_policy_reader_init(&rd, &q);
	assert_int_equal(scws_nl_policy_read_msg(&rd, nlmsg_hdr(msg)), 0);
	assert_int_equal(rd.messages, 1);
	assert_false(rd.loaded);
	assert_false(rd.interrupted);
	assert_true(acp_policy_equal(&p, &q));
	nlmsg_free(msg);
	acp_policy_free(&p);
	acp_policy_free(&q);
}

/* POLICY_GET: the head, then the digests and the rules over messages. */
static void test_nl_dump_in_runs(void **state)
{
	struct scws_nl_policy_reader rd;
	struct nl_msg *msgs[3];
	struct acp_policy q, want;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		msgs[i] = new_msg(SCWS_CMD_POLICY_GET);
	nla_put_flag(msgs[0], SCWS_A_POLICY_LOADED);
	nla_put_u8(msgs[0], SCWS_A_POLICY_DEFAULT, SCWS_ACTION_ALLOW);
	for (i = 1; i < 3; i++) {
		struct nlattr *rule = nla_nest_start(msgs[i], SCWS_A_POLICY_RULE);

		nla_put_u8(msgs[i], SCWS_RULE_A_ACTION, SCWS_ACTION_DENY);
		nla_put_u32(msgs[i], SCWS_RULE_A_UID_MIN, (uint32_t)i);
		nla_put_u32(msgs[i], SCWS_RULE_A_UID_MAX, (uint32_t)i);
		nla_nest_end(msgs[i], rule);
	}
	scws_nl_policy_reader_init(&rd, &q);
	for (i = 0; i < 3; i++)
		assert_int_equal(scws_nl_policy_read_msg(&rd, nlmsg_hdr(msgs[i])), 0);
	assert_true(rd.loaded);
	assert_false(rd.interrupted);
	assert_int_equal(rd.messages, 3);
	parse_ok("default allow\ndeny uid 1\ndeny uid 2\n", &want);
	assert_true(acp_policy_equal(&want, &q));
	for (i = 0; i < 3; i++)
		nlmsg_free(msgs[i]);
	acp_policy_free(&q);
	acp_policy_free(&want);
}

static void test_nl_dump_interrupted(void **state)
{
	struct scws_nl_policy_reader rd;
	struct nl_msg *msg = new_msg(SCWS_CMD_POLICY_GET);
	struct acp_policy q;

	(void)state;
	nla_put_u8(msg, SCWS_A_POLICY_DEFAULT, SCWS_ACTION_DENY);
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP_INTR;
	scws_nl_policy_reader_init(&rd, &q);
	assert_int_equal(scws_nl_policy_read_msg(&rd, nlmsg_hdr(msg)), 0);
	assert_true(rd.interrupted);
	nlmsg_free(msg);
	acp_policy_free(&q);
}

/* No policy loaded: one message without attributes. */
static void test_nl_dump_no_policy(void **state)
{
	struct scws_nl_policy_reader rd;
	struct nl_msg *msg = new_msg(SCWS_CMD_POLICY_GET);
	struct acp_policy q;

	(void)state;
	scws_nl_policy_reader_init(&rd, &q);
	assert_int_equal(scws_nl_policy_read_msg(&rd, nlmsg_hdr(msg)), 0);
	assert_int_equal(rd.messages, 1);
	assert_false(rd.loaded);
	assert_int_equal(q.n_rules, 0);
	nlmsg_free(msg);
}

/* What a malformed rule holds besides its action. */
enum bad_rule {
	BAD_NO_ACTION,
	BAD_UID_MIN_ALONE,
	BAD_SHORT_DIGEST,
	BAD_LABEL_NO_NUL,
	BAD_EMPTY_LABEL,
	BAD_RELATIVE_EXE,
	BAD_TRUST_KIND,
	BAD_ALL_AND_GID,
	BAD_PORT_ZERO,
	BAD_NO_SELECTOR,
	BAD_UID_UPSIDE_DOWN,
	BAD_U32_AS_U8,
	BAD_UNKNOWN_SELECTOR,	/* -EOPNOTSUPP, the others -EBADMSG */
	BAD_NONE		/* a good rule */
};

static void put_rule_attrs(struct nl_msg *msg, enum bad_rule bad)
{
	switch (bad) {
	case BAD_NO_ACTION:
		nla_put_u32(msg, SCWS_RULE_A_UID_MIN, 1);
		nla_put_u32(msg, SCWS_RULE_A_UID_MAX, 1);
		break;
	case BAD_UID_MIN_ALONE:
		nla_put_u32(msg, SCWS_RULE_A_UID_MIN, 1);
		break;
	case BAD_SHORT_DIGEST:
		nla_put(msg, SCWS_RULE_A_EXE_SHA256, SCWS_SHA256_LEN - 1, digest_a);
		break;
	case BAD_LABEL_NO_NUL:
		nla_put(msg, SCWS_RULE_A_LABEL, 3, "abc");
		break;
	case BAD_EMPTY_LABEL:
		nla_put_string(msg, SCWS_RULE_A_LABEL, "");
		break;
	case BAD_RELATIVE_EXE:
		nla_put_string(msg, SCWS_RULE_A_EXE, "bin/x");
		break;
	case BAD_TRUST_KIND:
		nla_put_u8(msg, SCWS_RULE_A_TRUSTED, 3);
		break;
	case BAD_ALL_AND_GID:
		nla_put_flag(msg, SCWS_RULE_A_ALL);
		nla_put_u32(msg, SCWS_RULE_A_GID, 1);
		break;
	case BAD_PORT_ZERO:
		nla_put_u16(msg, SCWS_RULE_A_PORT, 0);
		nla_put_flag(msg, SCWS_RULE_A_ALL);
		break;
	case BAD_NO_SELECTOR:
		nla_put_u16(msg, SCWS_RULE_A_PORT, 3516);
		break;
	case BAD_UID_UPSIDE_DOWN:
		nla_put_u32(msg, SCWS_RULE_A_UID_MIN, 2);
		nla_put_u32(msg, SCWS_RULE_A_UID_MAX, 1);
		break;
	case BAD_U32_AS_U8:
		nla_put_u8(msg, SCWS_RULE_A_GID, 1);
		break;
	case BAD_UNKNOWN_SELECTOR:
		nla_put_flag(msg, SCWS_RULE_A_ALL);
		nla_put_u32(msg, SCWS_RULE_A_MAX + 1, 1);
		break;
	case BAD_NONE:
		nla_put_flag(msg, SCWS_RULE_A_ALL);
		break;
	}
}

static void put_rule(struct nl_msg *msg, enum bad_rule bad)
{
	struct nlattr *rule = nla_nest_start(msg, SCWS_A_POLICY_RULE);

	if (bad != BAD_NO_ACTION)
		nla_put_u8(msg, SCWS_RULE_A_ACTION, SCWS_ACTION_ALLOW);
	put_rule_attrs(msg, bad);
	nla_nest_end(msg, rule);
}

static int read_one(struct nl_msg *msg)
{
	struct scws_nl_policy_reader rd;
	struct acp_policy q;
	int err;

	scws_nl_policy_reader_init(&rd, &q);
	err = scws_nl_policy_read_msg(&rd, nlmsg_hdr(msg));
	acp_policy_free(&q);
	return err;
}

static void test_nl_malformed_rules(void **state)
{
	int bad;

	(void)state;
	for (bad = 0; bad < BAD_NONE; bad++) {
		struct nl_msg *msg = new_msg(SCWS_CMD_POLICY_GET);
		int want = bad == BAD_UNKNOWN_SELECTOR ? -EOPNOTSUPP : -EBADMSG;
		int err;

		/* A good rule first: the bad one must not hide behind it. */
		put_rule(msg, BAD_NONE);
		put_rule(msg, (enum bad_rule)bad);
		err = read_one(msg);
		if (err != want)
			fprintf(stderr, "bad rule %d: got %d, want %d\n", bad, err, want);
		assert_int_equal(err, want);
		nlmsg_free(msg);
	}
}

static void test_nl_malformed_policy(void **state)
{
	struct nl_msg *msg;

	(void)state;
	msg = new_msg(SCWS_CMD_POLICY_GET);
	nla_put_u8(msg, SCWS_A_POLICY_DEFAULT, 7);	/* no action */
	assert_int_equal(read_one(msg), -EBADMSG);
	nlmsg_free(msg);

	msg = new_msg(SCWS_CMD_POLICY_GET);
	nla_put_u32(msg, SCWS_A_POLICY_DEFAULT, SCWS_ACTION_DENY);	/* not u8 */
	assert_int_equal(read_one(msg), -EBADMSG);
	nlmsg_free(msg);

	msg = new_msg(SCWS_CMD_POLICY_GET);
	nla_put(msg, SCWS_A_POLICY_TRUST, 31, digest_a);
	assert_int_equal(read_one(msg), -EBADMSG);
	nlmsg_free(msg);

	msg = new_msg(SCWS_CMD_POLICY_GET);
	nla_put_u8(msg, SCWS_A_POLICY_LOADED, 1);	/* a flag has no payload */
	assert_int_equal(read_one(msg), -EBADMSG);
	nlmsg_free(msg);

	msg = new_msg(SCWS_CMD_POLICY_GET);
	nla_put_u16(msg, SCWS_A_PORT, 3516);	/* not a policy attribute */
	assert_int_equal(read_one(msg), -EBADMSG);
	nlmsg_free(msg);

	msg = new_msg(SCWS_CMD_POLICY_GET);
	nla_put_u32(msg, SCWS_A_MAX + 1, 1);	/* from a newer kernel */
	assert_int_equal(read_one(msg), -EOPNOTSUPP);
	nlmsg_free(msg);

	msg = new_msg(SCWS_CMD_POLICY_GET);
	nla_put_u8(msg, SCWS_A_POLICY_DEFAULT, SCWS_ACTION_DENY);
	nlmsg_hdr(msg)->nlmsg_len += 2;		/* trailing bytes, no attribute */
	assert_int_equal(read_one(msg), -EBADMSG);
	nlmsg_free(msg);

	msg = nlmsg_alloc();			/* no genl header */
	assert_int_equal(read_one(msg), -EBADMSG);
	nlmsg_free(msg);
}

/* 10,000 rules: one message of half a megabyte, sized exactly. */
static void test_nl_large_policy(void **state)
{
	struct nl_msg *msg;
	struct scws_nl_policy_reader rd;
	struct acp_policy p, q;
	char *text;
	size_t i, size;
	FILE *f;

	(void)state;
	f = open_memstream(&text, &size);
	fprintf(f, "default deny\n");
	for (i = 0; i < 10000; i++)
		fprintf(f, "deny uid %zu label \"bench.app.%zu (enforce)\"\n",
			10000 + i, i);
	fclose(f);
	parse_ok(text, &p);
	size = NLMSG_HDRLEN + GENL_HDRLEN + scws_nl_policy_size(&p);
	assert_true(size > 400000);
	msg = nlmsg_alloc_size(size);
	assert_non_null(genlmsg_put(msg, 1, 1, FAKE_FAMILY, 0, 0,
				    SCWS_CMD_POLICY_SET, 1));
	assert_int_equal(scws_nl_policy_put(msg, &p), 0);
	assert_int_equal(nlmsg_hdr(msg)->nlmsg_len, size);
	scws_nl_policy_reader_init(&rd, &q);
	assert_int_equal(scws_nl_policy_read_msg(&rd, nlmsg_hdr(msg)), 0);
	assert_true(acp_policy_equal(&p, &q));
	nlmsg_free(msg);
	acp_policy_free(&p);
	acp_policy_free(&q);
	free(text);
}

static void test_nl_message_full(void **state)
{
	struct nl_msg *msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + 40);
	struct acp_policy p;
	uint32_t before;

	(void)state;
	assert_non_null(genlmsg_put(msg, 1, 1, FAKE_FAMILY, 0, 0,
				    SCWS_CMD_POLICY_SET, 1));
	before = nlmsg_hdr(msg)->nlmsg_len;
	parse_ok("allow label aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &p);
	assert_int_equal(scws_nl_policy_put(msg, &p), -EMSGSIZE);
	assert_int_equal(nlmsg_hdr(msg)->nlmsg_len, before);
	nlmsg_free(msg);
	acp_policy_free(&p);
}

/* The kernel's error offset (into the request) names the part at fault. */
static void test_nl_locate(void **state)
{
	static const char text[] =
		"allow signer-sha256 " HEX64 "\n"
		"allow signer-sha1 0123456789abcdef0123456789abcdef01234567\n"
		"allow uid 1\n"
		"allow label \"a long label\" exe /bin/x port 3516\n"
		"deny all\n";
	struct nl_msg *msg = new_msg(SCWS_CMD_POLICY_SET);
	struct nlattr *attrs[8];
	struct acp_policy p;
	size_t n, i, index, start;
	char *base;

	(void)state;
	parse_ok(text, &p);
	assert_int_equal(scws_nl_policy_put(msg, &p), 0);
	base = (char *)nlmsg_hdr(msg);
	n = attrs_of(msg, attrs, 8);
	assert_int_equal(n, 6);
	assert_int_equal(scws_nl_policy_locate(&p, 0, &index), SCWS_NL_POLICY_OTHER);
	assert_int_equal(scws_nl_policy_locate(&p, NLMSG_HDRLEN, &index),
			 SCWS_NL_POLICY_OTHER);
	start = (size_t)((char *)attrs[0] - base);
	assert_int_equal(scws_nl_policy_locate(&p, start, &index),
			 SCWS_NL_POLICY_DEFAULT);
	for (i = 1; i < n; i++) {
		enum scws_nl_policy_part want = SCWS_NL_POLICY_RULE;
		size_t want_index = i - 1;
		size_t len = nla_total_size(nla_len(attrs[i]));

		start = (size_t)((char *)attrs[i] - base);
		/* the attribute itself, something inside it, its last byte */
		assert_int_equal(scws_nl_policy_locate(&p, start, &index), want);
		assert_int_equal(index, want_index);
		assert_int_equal(scws_nl_policy_locate(&p, start + NLA_HDRLEN, &index), want);
		assert_int_equal(index, want_index);
		assert_int_equal(scws_nl_policy_locate(&p, start + len - 1, &index), want);
		assert_int_equal(index, want_index);
	}
	assert_int_equal(scws_nl_policy_locate(&p, nlmsg_hdr(msg)->nlmsg_len, &index),
			 SCWS_NL_POLICY_OTHER);
	nlmsg_free(msg);
	acp_policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_comments),
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_gid_group),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_digest_trusted_all),
		cmocka_unit_test(test_every_selector_at_once),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_string_limits),
		cmocka_unit_test(test_rule_limit),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_string_limits),
		cmocka_unit_test(test_error_nul_byte),
		cmocka_unit_test(test_error_too_many_rules),
		cmocka_unit_test(test_every_bad_line_reported),
		cmocka_unit_test(test_errors_print),
		cmocka_unit_test(test_print_format),
		cmocka_unit_test(test_print_quotes_what_needs_it),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_equal_notices_every_field),
		cmocka_unit_test(test_rule_problem),
		cmocka_unit_test(test_label_mode),
		cmocka_unit_test(test_lint),
		cmocka_unit_test(test_lint_many),
		cmocka_unit_test(test_add_limits),
		cmocka_unit_test(test_nl_encoding),
		cmocka_unit_test(test_nl_empty_policy),
		cmocka_unit_test(test_nl_round_trip),
		cmocka_unit_test(test_nl_dump_in_runs),
		cmocka_unit_test(test_nl_dump_interrupted),
		cmocka_unit_test(test_nl_dump_no_policy),
		cmocka_unit_test(test_nl_malformed_rules),
		cmocka_unit_test(test_nl_malformed_policy),
		cmocka_unit_test(test_nl_large_policy),
		cmocka_unit_test(test_nl_message_full),
		cmocka_unit_test(test_nl_locate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
