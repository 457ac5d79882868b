// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-dmc/dm-notify.c tools/lib/dm-auth.c
// libs: -lcrypto
/*
 * dm_notify_test.c - package #0 fields, shape errors, and the OMA DM 1.2
 * MD5 constructions.  The expected digests were computed apart, with
 * Python's hashlib and base64, from the formulas of the DM Security and
 * DM Notification specifications.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/scws-dmc/dm-notify.h"

/* version 12, ui-mode 0, server-initiated, session 0x2a, id "srv" */
static const uint8_t trigger[] = {
	0x03, 0x08, 0x00, 0x00, 0x00, 0x00, 0x2a, 0x03, 's', 'r', 'v',
};
static const uint8_t known_digest[16] = {
	0xaf, 0x78, 0x6c, 0xb4, 0x86, 0x2b, 0xfe, 0x70,
	0x36, 0x8f, 0xfe, 0xba, 0xa4, 0x91, 0x08, 0xe7,
};

static size_t make(uint8_t *buf, const uint8_t *t, size_t tlen)
{
	dm_notify_digest("srv", "pw", (const uint8_t *)"nonce", 5, t, tlen, buf);
	memcpy(buf + 16, t, tlen);
	return 16 + tlen;
}

static void digest_known_answer(void **state)
{
	uint8_t d[16];

	(void)state;
	dm_notify_digest("srv", "pw", (const uint8_t *)"nonce", 5, trigger,
			 sizeof(trigger), d);
	assert_memory_equal(d, known_digest, 16);
}

static void cred_known_answer(void **state)
{
	uint8_t nonce[16];
	char out[DM_MD5_B64_SIZE];

	(void)state;
	for (int i = 0; i < 16; i++)
		nonce[i] = (uint8_t)i;
	dm_md5_cred("gw-1", "client-secret", nonce, sizeof(nonce), out);
	assert_string_equal(out, "b5xBh9CjpWWz/sYn9Qyb+w==");
}

static void parse_fields_and_check(void **state)
{
	uint8_t buf[64];
	size_t len = make(buf, trigger, sizeof(trigger));
	struct dm_notify n;

	(void)state;
	assert_int_equal(dm_notify_parse(buf, len, &n), DM_NOTIFY_OK);
	assert_int_equal(n.version, 12);
	assert_int_equal(n.ui_mode, DM_UI_UNSPECIFIED);
	assert_int_equal(n.initiator, 1);
	assert_int_equal(n.session_id, 0x2a);
	assert_string_equal(n.server_id, "srv");
	assert_int_equal(n.vendor_len, 0);
	assert_true(dm_notify_check(&n, "pw", (const uint8_t *)"nonce", 5));
	assert_false(dm_notify_check(&n, "pW", (const uint8_t *)"nonce", 5));
	assert_false(dm_notify_check(&n, "pw", (const uint8_t *)"nonc3", 5));
}

static void ui_mode_and_vendor(void **state)
{
	uint8_t t[] = { 0x03, 0x38, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x01, 'x', 0xde, 0xad };
	uint8_t buf[64];
	size_t len = make(buf, t, sizeof(t));
	struct dm_notify n;

	(void)state;
	assert_int_equal(dm_notify_parse(buf, len, &n), DM_NOTIFY_OK);
	assert_int_equal(n.ui_mode, DM_UI_INTERACTIVE);
	assert_int_equal(n.session_id, 0xfffe);
	assert_int_equal(n.vendor_len, 2);
	assert_int_equal(n.vendor[0], 0xde);
}

static void every_change_breaks_the_digest(void **state)
{
	uint8_t buf[64];
	size_t len = make(buf, trigger, sizeof(trigger));
	struct dm_notify n;

	(void)state;
	for (size_t i = 0; i < len * 8; i++) {
		buf[i / 8] ^= (uint8_t)(1u << (i % 8));
		if (dm_notify_parse(buf, len, &n) == DM_NOTIFY_OK)
			assert_false(dm_notify_check(&n, "pw", (const uint8_t *)"nonce", 5));
		buf[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
}

static void shape_errors(void **state)
{
	uint8_t buf[64];
	size_t len = make(buf, trigger, sizeof(trigger));
	struct dm_notify n;

	(void)state;
	for (size_t l = 0; l < len; l++)
		assert_int_equal(dm_notify_parse(buf, l, &n), DM_NOTIFY_SHORT);
	buf[16] = 0x02;		/* version 8 */
	assert_int_equal(dm_notify_parse(buf, len, &n), DM_NOTIFY_VERSION_BAD);
	buf[16] = 0x03;
	buf[19] = 0x01;		/* a future-use bit */
	assert_int_equal(dm_notify_parse(buf, len, &n), DM_NOTIFY_FUTURE_BITS);
	buf[19] = 0x00;
	buf[23] = 0x00;		/* empty server id */
	assert_int_equal(dm_notify_parse(buf, len, &n), DM_NOTIFY_SERVER_ID);
	buf[23] = 0x03;
	buf[25] = 0x00;		/* NUL inside the server id */
	assert_int_equal(dm_notify_parse(buf, len, &n), DM_NOTIFY_SERVER_ID);
	assert_non_null(dm_notify_strerror(DM_NOTIFY_SERVER_ID));
}

static void b64_round_trip(void **state)
{
	uint8_t in[7] = { 0, 1, 2, 0xfd, 0xfe, 0xff, 9 }, out[16];
	char s[16];
	size_t len;

	(void)state;
	for (size_t l = 0; l <= sizeof(in); l++) {
		dm_b64_encode(in, l, s);
		assert_int_equal(dm_b64_decode(s, out, sizeof(out), &len), 0);
		assert_int_equal(len, l);
		assert_memory_equal(in, out, l);
	}
	assert_int_equal(dm_b64_decode("abc", out, sizeof(out), &len), -1);
	assert_int_equal(dm_b64_decode("AAAAAAAA", out, 5, &len), -1);
	assert_int_equal(dm_b64_decode("", out, sizeof(out), &len), 0);
	assert_int_equal(len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(digest_known_answer),
		cmocka_unit_test(cred_known_answer),
		cmocka_unit_test(parse_fields_and_check),
		cmocka_unit_test(ui_mode_and_vendor),
		cmocka_unit_test(every_change_breaks_the_digest),
		cmocka_unit_test(shape_errors),
		cmocka_unit_test(b64_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
