// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-bipd/aram_reader.c tools/scws-bipd/engine.c tools/scws-bipd/sched.c tools/scws-bipd/http_frame.c tools/scws-bipd/tls_frame.c tools/scws-bipd/cat.c tools/scws-bipd/proactive.c tools/scws-bipd/events.c tools/scws-bipd/channel.c tools/scws-bipd/bip_open.c tools/scws-bipd/bip_data.c tools/scws-bipd/drain.c tools/scws-bipd/profile.c tools/scws-bipd/apdu.c tools/scws-bipd/bytebuf.c tools/scws-bipd/loop.c tools/scws-bipd/log.c tools/scws-bipd/stats.c tools/scws-bipd/options.c tools/scws-bipd/atr.c tools/lib/cat-tlv.c tools/lib/seac-rules.c tools/lib/ber.c tests/bipd/harness.c tools/scws-bipd/arf_reader.c tools/lib/arf-rules.c
// libs:
/*
 * scws-bipd's ARF reader against a scripted card: the exact APDUs (its
 * own logical channel, SELECT of the PKCS#15 application or GP's ARF
 * application, SELECT by FID and READ BINARY in short chunks up to the
 * FCP's size, the application selected again after a path through a DF,
 * absolute paths from the MF), no ARF, a missing file, short reads, a
 * card that goes away.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../tools/scws-bipd/arf_reader.h"
#include "../bipd/harness.h"

#define OPEN "00 70 00 00 01"
#define SEL_PKCS15 "01 A4 04 04 0C A0 00 00 00 63 50 4B 43 53 2D 31 35 00"
#define SEL_GPAC "01 A4 04 04 0C A0 00 00 00 18 47 50 41 43 2D 31 35 00"
#define RESEL_PKCS15 "01 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35"
#define APP_FCP "62 03 82 01 38 90 00"
#define CLOSE "00 70 80 01"
#define ODF "A7 06 30 04 04 02 52 07"
#define DODF(path) "A1 1A 30 00 30 00 A1 14 30 12" \
	" 06 0A 2A 86 48 86 FC 6B 81 48 01 01 30 04 04 02 " path
#define ACMAIN "30 10 04 08 01 02 03 04 05 06 07 08 30 04 04 02 43 00"
#define ACRULES "30 08 82 00 30 04 04 02 43 10"

/* SELECT fid (4 hex digits) answered with an FCP of size n. */
static void sel(const char *fid, size_t n)
{
	char c[64], r[64];

	snprintf(c, sizeof(c), "01 A4 00 04 02 %.2s %.2s 00", fid, fid + 2);
	snprintf(r, sizeof(r), "62 08 82 02 41 21 80 02 %02zX %02zX 90 00",
		 n >> 8, n & 0xFF);
	h_expect(c, r);
}

/* READ BINARY at off for n bytes, answered with data. */
static void rd(size_t off, size_t n, const char *data)
{
	char c[64], r[3 * 300];

	snprintf(c, sizeof(c), "01 B0 %02zX %02zX %02zX", off >> 8, off & 0xFF,
		 n & 0xFF);
	snprintf(r, sizeof(r), "%s 90 00", data);
	h_expect(c, r);
}

static size_t hexlen(const char *h)
{
	uint8_t b[1024];

	return hex_parse(h, b, sizeof(b));
}

static void file(const char *fid, const char *data)
{
	sel(fid, hexlen(data));
	rd(0, hexlen(data), data);
}

static int setup(void **state)
{
	(void)state;
	h_setup();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	h_teardown();
	return 0;
}

static int arf(bool all, struct arf_answer *a, uint16_t *sw, char *why)
{
	struct aram_link l = { .link = &H->link };

	return arf_read(&l, all, a, sw, why, 300);
}

static void head(void)
{
	h_expect(OPEN, "01 90 00");
	h_expect(SEL_PKCS15, APP_FCP);
	file("5031", ODF);
	file("5207", DODF("42 00"));
	file("4200", ACMAIN);
}

/* ACConditions of 300 bytes: READ BINARY 256 at 0, then 44 at 0100. */
static void test_full_read_in_chunks(void **state)
{
	static char first[3 * 256 + 1], rest[3 * 44 + 1];
	struct arf_answer a;
	char why[300];
	uint16_t sw;
	size_t o1 = 0, o2 = 0;

	(void)state;
	for (size_t i = 0; i < 300; i++) {
		/* 12 conditions of 24 bytes "30 16 04 14 <hash i>", padding */
		uint8_t b = i >= 288 ? 0xFF : i % 24 == 0 ? 0x30 :
			    i % 24 == 1 ? 0x16 : i % 24 == 2 ? 0x04 :
			    i % 24 == 3 ? 0x14 : (uint8_t)(i / 24);
		if (i < 256)
			o1 += (size_t)sprintf(first + o1, "%02X ", b);
		else
			o2 += (size_t)sprintf(rest + o2, "%02X ", b);
	}
	head();
	file("4300", ACRULES);
	sel("4310", 300);
	rd(0, 256, first);
	rd(256, 44, rest);
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(true, &a, &sw, why), 0);
	assert_true(a.has_refresh);
	assert_int_equal(a.refresh[7], 8);
	assert_int_equal(a.rules.n, 12);
	assert_int_equal(a.rules.rule[11].hash[0], 11);
	assert_int_equal(a.rules.rule[11].aid_kind, SEAC_AID_ALL);
	seac_rules_free(&a.rules);
	h_done();
}

/* A poll stops at ACMain. */
static void test_poll(void **state)
{
	struct arf_answer a;
	char why[300];
	uint16_t sw;

	(void)state;
	head();
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(false, &a, &sw, why), 0);
	assert_true(a.has_refresh);
	assert_int_equal(a.refresh[0], 1);
	assert_int_equal(a.rules.n, 0);
	h_done();
}

/* GP's ARF application when there is no PKCS#15 one; paths through a
 * DF, then a relative path: the application is selected again; an
 * absolute path goes by path from the MF. */
static void test_gpac_aid_and_paths(void **state)
{
	struct arf_answer a;
	char why[300];
	uint16_t sw;

	(void)state;
	h_expect(OPEN, "01 90 00");
	h_expect(SEL_PKCS15, "6A 82");
	h_expect(SEL_GPAC, APP_FCP);
	file("5031", "A7 08 30 06 04 04 50 15 52 07");
	h_expect("01 A4 00 04 02 50 15 00", "62 03 82 01 38 90 00");
	file("5207", DODF("42 00"));
	h_expect("01 A4 04 0C 0C A0 00 00 00 18 47 50 41 43 2D 31 35",
		 "90 00");
	file("4200", "30 12 04 08 01 02 03 04 05 06 07 08"
		     " 30 06 04 04 3F 00 43 00");
	h_expect("01 A4 08 04 02 43 00 00",
		 "62 08 82 02 41 21 80 02 00 0A 90 00");
	rd(0, 10, "30 08 82 00 30 04 04 02 43 10");
	h_expect("01 A4 04 0C 0C A0 00 00 00 18 47 50 41 43 2D 31 35",
		 "90 00");
	file("4310", "30 00");
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(true, &a, &sw, why), 0);
	assert_int_equal(a.rules.n, 1);
	assert_int_equal(a.rules.rule[0].apdu, SEAC_ALWAYS);
	seac_rules_free(&a.rules);
	h_done();
}

#define USIM_RECORD "61 0F 4F 07 A0 00 00 00 87 10 02 50 04 55 53 49 4D" \
	" FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF"

static void test_no_arf(void **state)
{
	struct arf_answer a;
	char why[300];
	uint16_t sw;

	(void)state;
	h_expect(OPEN, "01 90 00");
	h_expect(SEL_PKCS15, "6A 82");
	h_expect(SEL_GPAC, "6A 82");
	h_expect("01 A4 00 04 02 2F 00 00", "6A 82");
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(true, &a, &sw, why), -ENOENT);
	assert_string_equal(why, "no PKCS#15 application (SELECT by AID, "
			    "EF.DIR)");
	h_done();
	/* EF.DIR without the PKCS#15 application */
	h_expect(OPEN, "01 90 00");
	h_expect(SEL_PKCS15, "6A 82");
	h_expect(SEL_GPAC, "6A 82");
	h_expect("01 A4 00 04 02 2F 00 00", "62 07 82 05 42 21 00 20 01 90 00");
	h_expect("01 B2 01 04 20", USIM_RECORD " 90 00");
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(true, &a, &sw, why), -ENOENT);
	h_done();
	/* an application without EF.ODF */
	h_expect(OPEN, "01 90 00");
	h_expect(SEL_PKCS15, APP_FCP);
	h_expect("01 A4 00 04 02 50 31 00", "6A 82");
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(true, &a, &sw, why), -ENOENT);
	assert_string_equal(why, "no EF.ODF (5031)");
	h_done();
}

/* No AID selects it: EF.DIR gives the path of the PKCS#15 DF, which is
 * selected by path again after a path through another DF. */
static void test_ef_dir(void **state)
{
	struct arf_answer a;
	char why[300];
	uint16_t sw;

	(void)state;
	h_expect(OPEN, "01 90 00");
	h_expect(SEL_PKCS15, "6A 82");
	h_expect(SEL_GPAC, "6A 82");
	h_expect("01 A4 00 04 02 2F 00 00", "62 07 82 05 42 21 00 20 02 90 00");
	h_expect("01 B2 01 04 20", USIM_RECORD " 90 00");
	h_expect("01 B2 02 04 20", "61 14 4F 0C A0 00 00 00 63 50 4B 43 53 2D"
		 " 31 35 51 04 3F 00 50 15 FF FF FF FF FF FF FF FF FF FF 90 00");
	h_expect("01 A4 08 04 02 50 15 00", "62 03 82 01 38 90 00");
	file("5031", "A7 08 30 06 04 04 50 16 52 07");
	h_expect("01 A4 00 04 02 50 16 00", "62 03 82 01 38 90 00");
	file("5207", DODF("42 00"));
	h_expect("01 A4 08 0C 02 50 15", "90 00");
	file("4200", ACMAIN);
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(false, &a, &sw, why), 0);
	assert_int_equal(a.refresh[7], 8);
	h_done();
}

/* A file the ARF names is missing: malformed, and the tag is known. */
static void test_missing_file(void **state)
{
	struct arf_answer a;
	char why[300];
	uint16_t sw;

	(void)state;
	head();
	h_expect("01 A4 00 04 02 43 00 00", "6A 82");
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(true, &a, &sw, why), -EBADMSG);
	assert_string_equal(why, "EF ACRules 4300: not on the card");
	assert_true(a.has_refresh);
	assert_null(a.rules.rule);
	h_done();
}

/* Other refusals and a short read are the card's errors (-EIO). */
static void test_refusals(void **state)
{
	struct arf_answer a;
	char why[300];
	uint16_t sw;

	(void)state;
	head();
	h_expect("01 A4 00 04 02 43 00 00", "69 82");
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(true, &a, &sw, why), -EIO);
	assert_int_equal(sw, 0x6982);
	assert_string_equal(why, "the card answered 6982");
	h_done();
	head();
	sel("4300", 10);
	rd(0, 10, "30 08 82 00 30");
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(true, &a, &sw, why), -EIO);
	h_done();
	/* larger than a READ BINARY offset reaches */
	h_expect(OPEN, "01 90 00");
	h_expect(SEL_PKCS15, APP_FCP);
	h_expect("01 A4 00 04 02 50 31 00",
		 "62 08 82 02 41 21 80 02 80 00 90 00");
	h_expect(CLOSE, "90 00");
	assert_int_equal(arf(true, &a, &sw, why), -EBADMSG);
	assert_string_equal(why, "EF ODF 5031: larger than 32767 bytes");
	h_done();
}

static void test_card_gone(void **state)
{
	struct arf_answer a;
	char why[300];
	uint16_t sw;

	(void)state;
	h_expect(OPEN, "01 90 00");
	h_expect(SEL_PKCS15, APP_FCP);
	h_expect_failure("01 A4 00 04 02 50 31 00");
	assert_true(arf(true, &a, &sw, why) < 0);
	assert_null(a.rules.rule);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_read_in_chunks,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpac_aid_and_paths, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_arf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ef_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_card_gone, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
