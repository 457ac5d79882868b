// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/sms-pp.c tools/lib/cat-tlv.c
// libs:
/*
 * The SMS-PP codec (tools/lib/sms-pp.c): SMS-DELIVER structure checks,
 * SMSC semi-octets, the ENVELOPE D1 bytes, RP-DATA.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sms-pp.h"

static size_t hx(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;

		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < cap);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

/* 8-bit class 2, UDH 70 00 + a 20-byte command packet. */
#define TPDU "40 04 81 11 22 7F F6 22 30 12 00 00 00 00 17 02 70 00 00 12 0D " \
	     "00 00 00 00 B0 00 00 00 00 00 00 01 00 AA BB CC DD"

static void test_deliver_ok(void **state)
{
	uint8_t t[200];
	size_t n = hx(TPDU, t, sizeof(t));
	struct sms_deliver d;

	(void)state;
	assert_int_equal(sms_deliver_parse(t, n, &d), 0);
	assert_int_equal(d.pid, 0x7F);
	assert_int_equal(d.dcs, 0xF6);
	assert_true(d.udhi);
	assert_int_equal(d.ud_off, 15);
	assert_int_equal(d.ud_len, 23);
}

static void test_deliver_bad(void **state)
{
	uint8_t t[200];
	size_t n = hx(TPDU, t, sizeof(t));
	struct sms_deliver d;

	(void)state;
	for (size_t cut = 0; cut < n; cut++)
		assert_int_equal(sms_deliver_parse(t, cut, &d), -EINVAL);
	t[0] = 0x41;	/* SMS-SUBMIT */
	assert_int_equal(sms_deliver_parse(t, n, &d), -EINVAL);
	t[0] = 0x40;
	t[14] = 0x18;	/* UDL one more than there is */
	assert_int_equal(sms_deliver_parse(t, n, &d), -EINVAL);
	t[14] = 0x17;
	t[15] = 0x30;	/* UDH longer than the user data */
	assert_int_equal(sms_deliver_parse(t, n, &d), -EINVAL);
}

/* GSM 7-bit: TP-UDL counts septets (TS 23.038). */
static void test_deliver_septets(void **state)
{
	/* "hi" in 2 septets = 2 octets: E8 34 */
	uint8_t t[] = { 0x04, 0x04, 0x81, 0x11, 0x22, 0x00, 0x00,
			0, 0, 0, 0, 0, 0, 0, 0x02, 0xE8, 0x34 };
	struct sms_deliver d;

	(void)state;
	assert_int_equal(sms_deliver_parse(t, sizeof(t), &d), 0);
	t[14] = 0x08;	/* 8 septets = 7 octets: too few follow */
	assert_int_equal(sms_deliver_parse(t, sizeof(t), &d), -EINVAL);
}

static void test_address(void **state)
{
	uint8_t a[SMS_ADDR_MAX];

	(void)state;
	assert_int_equal(sms_address_encode("+491720000000", a), 7);
	assert_memory_equal(a, "\x91\x94\x71\x02\x00\x00\x00", 7);
	assert_int_equal(sms_address_encode("12345", a), 4);
	assert_memory_equal(a, "\x81\x21\x43\xF5", 4);
	assert_int_equal(sms_address_encode("", a), 0);
	assert_int_equal(sms_address_encode("+", a), 0);
	assert_int_equal(sms_address_encode("12a", a), 0);
	assert_int_equal(sms_address_encode("123456789012345678901", a), 0);
	assert_int_equal(sms_address_encode("12345678901234567890", a), 11);
}

static void test_envelope(void **state)
{
	uint8_t t[200], want[300], out[300], a[SMS_ADDR_MAX];
	size_t n = hx(TPDU, t, sizeof(t)), an, wn, on;

	(void)state;
	an = sms_address_encode("+491720000000", a);
	wn = hx("D1 35 82 02 83 81 86 07 91 94 71 02 00 00 00 8B 26 " TPDU, want,
		sizeof(want));
	on = sms_pp_envelope(a, an, t, n, out, sizeof(out));
	assert_int_equal(on, wn);
	assert_memory_equal(out, want, wn);
	/* No SMSC: no Address object. */
	wn = hx("D1 2C 82 02 83 81 8B 26 " TPDU, want, sizeof(want));
	on = sms_pp_envelope(NULL, 0, t, n, out, sizeof(out));
	assert_int_equal(on, wn);
	assert_memory_equal(out, want, wn);
	/* Does not fit. */
	assert_int_equal(sms_pp_envelope(a, an, t, n, out, 40), 0);
}

static void test_envelope_long(void **state)
{
	uint8_t t[SMS_TPDU_MAX], out[SMS_PP_ENVELOPE_MAX];
	size_t on;

	(void)state;
	memset(t, 0x55, sizeof(t));
	on = sms_pp_envelope(NULL, 0, t, sizeof(t), out, sizeof(out));
	/* D1 81 B6 | 82 02 83 81 | 8B 81 AF ... : 81 xx for both lengths */
	assert_int_equal(on, 3 + 4 + 3 + SMS_TPDU_MAX);
	assert_memory_equal(out, "\xD1\x81\xB6\x82\x02\x83\x81\x8B\x81\xAF", 10);
}

static void test_rp_data(void **state)
{
	uint8_t p[300];
	size_t n = hx("01 2A 07 91 94 71 02 00 00 00 00 26 " TPDU, p, sizeof(p));
	struct rp_data r;

	(void)state;
	assert_int_equal(rp_data_parse(p, n, &r), 0);
	assert_int_equal(r.ref, 0x2A);
	assert_int_equal(r.smsc_len, 7);
	assert_memory_equal(r.smsc, "\x91\x94\x71\x02\x00\x00\x00", 7);
	assert_int_equal(r.tpdu_len, 38);
	for (size_t cut = 0; cut < n; cut++)
		assert_int_equal(rp_data_parse(p, cut, &r), -EINVAL);
	p[0] = 0x00;	/* RP-DATA MS -> network */
	assert_int_equal(rp_data_parse(p, n, &r), -EINVAL);
	p[0] = 0x01;
	p[10] = 0x01;	/* a destination address */
	assert_int_equal(rp_data_parse(p, n, &r), -EINVAL);
	p[10] = 0x00;
	p[11] = 0x27;	/* RP-UD longer than the message */
	assert_int_equal(rp_data_parse(p, n, &r), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deliver_ok),
		cmocka_unit_test(test_deliver_bad),
		cmocka_unit_test(test_deliver_septets),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_envelope_long),
		cmocka_unit_test(test_rp_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
