// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/site/site_adn.c
/*
 * EF_ADN records: the default alphabet with its escape table, the three
 * UCS2 forms, BCD numbers, and records that are blank or malformed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "http/http.h"
#include "site/site.h"

#define REC 30

static void roundtrip(const char *name, const char *number)
{
	struct adn_entry in = { 0 }, out;
	uint8_t rec[REC];

	strcpy(in.name, name);
	strcpy(in.number, number);
	assert_int_equal(adn_encode(&in, rec, REC), 0);
	assert_int_equal(adn_decode(rec, REC, &out), 0);
	assert_string_equal(out.name, name);
	assert_string_equal(out.number, number);
}

static void test_default_alphabet(void **state)
{
	struct adn_entry e = { "Customer Care", "+15550100" };
	uint8_t rec[REC];
	static const uint8_t want[REC] = {
		'C', 'u', 's', 't', 'o', 'm', 'e', 'r', ' ', 'C', 'a', 'r', 'e',
		0xFF, 0xFF, 0xFF, 0x05, 0x91, 0x51, 0x55, 0x10, 0x00, 0xFF, 0xFF,
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	};

	(void)state;
	assert_int_equal(adn_encode(&e, rec, REC), 0);
	assert_memory_equal(rec, want, REC);	/* as fs.c ships it */
	roundtrip("Customer Care", "+15550100");
	roundtrip("a@b $5 \xc2\xa3" "3", "*100#");	/* @ is 00, $ 02, £ 01 */
	roundtrip("\xe2\x82\xac" "5 {x}", "1p2");	/* escapes: 2 bytes each */
	roundtrip("", "0");
	roundtrip("ABCDEFGHIJKLMNOP", "12345678901234567890");
	e.name[0] = '@';
	e.name[1] = '\0';
	assert_int_equal(adn_encode(&e, rec, REC), 0);
	assert_int_equal(rec[0], 0x00);
	assert_int_equal(rec[1], 0xFF);
}

static void test_ucs2(void **state)
{
	struct adn_entry e = { "Zo\xc3\xab", "1" }, out;
	uint8_t rec[REC];

	(void)state;
	assert_int_equal(adn_encode(&e, rec, REC), 0);
	assert_memory_equal(rec, "\x80\x00Z\x00o\x00\xeb\xff", 8);
	roundtrip("Zo\xc3\xab", "1");
	roundtrip("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "81");	/* CJK */
	roundtrip("\xce\x91\xce\xb2", "2");	/* Greek: UCS2, b is not in GSM */
	/* Only 7 UCS2 characters fit 16 bytes. */
	strcpy(e.name, "\xc3\xab" "abcdefg");
	assert_int_equal(adn_encode(&e, rec, REC), -1);
	/* 81: 8-bit base pointer (<< 7), high bit = base + n. */
	memset(rec, 0xFF, REC);
	memcpy(rec, "\x81\x03\x08\x41\x80\x81", 6);	/* base 0x400 */
	rec[16] = 0x02;
	rec[17] = 0x81;
	rec[18] = 0x21;
	assert_int_equal(adn_decode(rec, REC, &out), 0);
	assert_string_equal(out.name, "A\xd0\x80\xd0\x81");
	assert_string_equal(out.number, "12");
	/* 82: 16-bit base. */
	memcpy(rec, "\x82\x02\x04\x10\x80\x42", 6);
	assert_int_equal(adn_decode(rec, REC, &out), 0);
	assert_string_equal(out.name, "\xd0\x90" "B");
}

static void test_invalid_input(void **state)
{
	struct adn_entry e = { "ok", "" };
	uint8_t rec[REC];

	(void)state;
	assert_int_equal(adn_encode(&e, rec, REC), -1);	/* no number */
	strcpy(e.number, "+");
	assert_int_equal(adn_encode(&e, rec, REC), -1);
	strcpy(e.number, "12-34");
	assert_int_equal(adn_encode(&e, rec, REC), -1);
	strcpy(e.number, "1?");
	assert_int_equal(adn_encode(&e, rec, REC), -1);
	strcpy(e.number, "123456789012345678901");
	assert_int_equal(adn_encode(&e, rec, REC), -1);
	strcpy(e.number, "1");
	strcpy(e.name, "ABCDEFGHIJKLMNOPQ");	/* 17 > 16 */
	assert_int_equal(adn_encode(&e, rec, REC), -1);
	strcpy(e.name, "\xc3\x28");	/* bad UTF-8 */
	assert_int_equal(adn_encode(&e, rec, REC), -1);
	strcpy(e.name, "\xf0\x9f\x98\x80");	/* outside the BMP */
	assert_int_equal(adn_encode(&e, rec, REC), -1);
	strcpy(e.name, "\xc0\x80");	/* overlong */
	assert_int_equal(adn_encode(&e, rec, REC), -1);
	assert_int_equal(adn_encode(&e, rec, 13), -1);
}

static void test_decode_records(void **state)
{
	struct adn_entry e;
	uint8_t rec[REC];

	(void)state;
	memset(rec, 0xFF, REC);
	assert_int_equal(adn_decode(rec, REC, &e), 1);
	rec[0] = 'X';
	assert_int_equal(adn_decode(rec, REC, &e), 0);	/* name, no number */
	assert_string_equal(e.name, "X");
	assert_string_equal(e.number, "");
	rec[16] = 0x00;
	assert_int_equal(adn_decode(rec, REC, &e), -1);
	rec[16] = 0x0C;	/* more than 10 BCD bytes */
	assert_int_equal(adn_decode(rec, REC, &e), -1);
	rec[16] = 0x02;
	rec[17] = 0x81;
	rec[18] = 0xE1;	/* E is not a digit */
	assert_int_equal(adn_decode(rec, REC, &e), -1);
	assert_int_equal(adn_decode(rec, 13, &e), -1);
	memcpy(rec, "\x81\x0e\x08\x41", 4);	/* 81 count past the field */
	rec[18] = 0x21;
	assert_int_equal(adn_decode(rec, REC, &e), -1);
	memcpy(rec, "\x1b\x65\x1b\x99\xff", 5);	/* euro, unknown escape */
	assert_int_equal(adn_decode(rec, REC, &e), 0);
	assert_string_equal(e.name, "\xe2\x82\xac ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_alphabet),
		cmocka_unit_test(test_ucs2),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_decode_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
