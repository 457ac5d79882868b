// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/aram/aram.c card-sim/aram/aram_rules.c card-sim/aram/ber.c card-sim/uicc/apdu.c card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * ARA-M: BER-TLV strictness, the encoding of GET DATA answers (including
 * the [All]/[Next] split past 256 bytes), STORE DATA store / delete /
 * chaining, persistence, and that bad input changes nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aram/aram.h"
#include "aram/ber.h"

struct fx {
	char dir[64], path[96];
	struct card_state *st;
	struct aram *a;
	struct aram_session s;
	uint8_t resp[APDU_RESP_MAX];
	size_t resp_len;
};

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned int b;

	while (*hex) {
		if (*hex == ' ') {
			hex++;
			continue;
		}
		assert_true(sscanf(hex, "%2x", &b) == 1);
		assert_true(n < cap);
		out[n++] = (uint8_t)b;
		hex += 2;
	}
	return n;
}

static uint16_t send_raw(struct fx *f, const uint8_t *apdu, size_t len)
{
	struct apdu c;
	struct apdu_resp r = { f->resp, sizeof(f->resp), 0 };
	uint16_t sw;

	assert_int_equal(apdu_parse(apdu, len, &c), 0);
	sw = aram_command(f->a, &f->s, &c, &r);
	f->resp_len = r.len;
	return sw;
}

static uint16_t send(struct fx *f, const char *hex)
{
	uint8_t buf[4096];

	return send_raw(f, buf, unhex(hex, buf, sizeof(buf)));
}

static void expect_resp(struct fx *f, const char *hex)
{
	uint8_t want[1024];
	size_t n = unhex(hex, want, sizeof(want));

	assert_int_equal(f->resp_len, n);
	assert_memory_equal(f->resp, want, n);
}

static void reopen(struct fx *f)
{
	aram_session_end(&f->s);
	aram_close(f->a);
	card_state_close(f->st);
	f->st = card_state_open(f->path, false);
	assert_non_null(f->st);
	f->a = aram_open(f->st);
	assert_non_null(f->a);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/aram_test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/s", f->dir);
	f->st = card_state_open(f->path, false);
	assert_non_null(f->st);
	f->a = aram_open(f->st);
	assert_non_null(f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[128];

	aram_session_end(&f->s);
	aram_close(f->a);
	card_state_close(f->st);
	unlink(f->path);
	snprintf(p, sizeof(p), "%s.lock", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* A rule for all SE apps and one device app (SHA-1 hash 11..11): always. */
#define HASH_11 "1111111111111111111111111111111111111111"
#define REF_ALL_11 "E1 18 4F 00 C1 14 " HASH_11
#define RULE_ALL_11 "E2 1F " REF_ALL_11 " E3 03 D0 01 01"
#define STORE_ALL_11 "80 E2 90 00 23 F0 21 " RULE_ALL_11

static void test_ber_strictness(void **state)
{
	struct ber_tlv t;
	uint8_t b[300];

	(void)state;
	assert_true(ber_read(b, unhex("4F 00", b, sizeof(b)), &t));
	assert_int_equal(t.tag, 0x4F);
	assert_int_equal(t.size, 2);
	assert_true(ber_read(b, unhex("DF20 01 AA", b, sizeof(b)), &t));
	assert_int_equal(t.tag, 0xDF20);
	assert_int_equal(t.len, 1);
	b[0] = 0xC1;
	b[1] = 0x81;
	b[2] = 0x80;
	assert_true(ber_read(b, 3 + 0x80, &t));
	assert_int_equal(t.len, 0x80);
	assert_false(ber_read(b, 3 + 0x7F, &t));		/* value cut short */
	assert_false(ber_read(b, unhex("C1 81 05 0102030405", b, sizeof(b)), &t));
	assert_false(ber_read(b, unhex("C1 82 0005 0102030405", b, sizeof(b)), &t));
	assert_false(ber_read(b, unhex("C1 80 00 00", b, sizeof(b)), &t));
	assert_false(ber_read(b, unhex("C1 84 00000001 00", b, sizeof(b)), &t));
	assert_false(ber_read(b, unhex("00 00", b, sizeof(b)), &t));
	assert_false(ber_read(b, unhex("FF 00", b, sizeof(b)), &t));
	assert_false(ber_read(b, unhex("DF 05 00", b, sizeof(b)), &t)); /* tag < 31 */
	assert_false(ber_read(b, unhex("C1", b, sizeof(b)), &t));
	assert_false(ber_read(b, unhex("DF", b, sizeof(b)), &t));
	assert_int_equal(ber_put_header(b, 0xFF40, 0x123), 5);
	assert_memory_equal(b, "\xFF\x40\x82\x01\x23", 5);
	assert_int_equal(ber_header_size(0xE2, 0x7F), 2);
	assert_int_equal(ber_header_size(0xE2, 0x80), 3);
}

static void test_no_rules(void **state)
{
	struct fx *f = *state;

	assert_int_equal(send(f, "80 CA FF 40 00"), 0x6A88);
	assert_int_equal(send(f, "80 CA FF 60 00"), 0x6985);
}

static void test_store_and_get_all(void **state)
{
	struct fx *f = *state;
	uint8_t tag1[11];

	assert_int_equal(send(f, "80 CA DF 20 00"), 0x9000);
	assert_int_equal(f->resp_len, 11);
	memcpy(tag1, f->resp, 11);
	assert_int_equal(send(f, STORE_ALL_11), 0x9000);
	assert_int_equal(f->resp_len, 0);
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x9000);
	expect_resp(f, "FF40 21 " RULE_ALL_11);
	/* The refresh tag changed, and it and the rules survive a restart. */
	assert_int_equal(send(f, "80 CA DF 20 00"), 0x9000);
	assert_memory_not_equal(f->resp, tag1, 11);
	memcpy(tag1, f->resp, 11);
	reopen(f);
	assert_int_equal(send(f, "80 CA DF 20 00"), 0x9000);
	assert_memory_equal(f->resp, tag1, 11);
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x9000);
	expect_resp(f, "FF40 21 " RULE_ALL_11);
}

static void test_conflict_keeps_rules(void **state)
{
	struct fx *f = *state;

	assert_int_equal(send(f, STORE_ALL_11), 0x9000);
	assert_int_equal(send(f, STORE_ALL_11), 0x6A89);
	/* Two rules with the same REF-DO in one command: also a conflict. */
	assert_int_equal(send(f, "80 E2 90 00 44 F0 42 "
			      "E2 1F " REF_ALL_11 " E3 03 D0 01 00 " RULE_ALL_11),
			 0x6A89);
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x9000);
	expect_resp(f, "FF40 21 " RULE_ALL_11);
}

static void test_malformed_store_changes_nothing(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
		/* F0 claims more than the command carries (truncated) */
		"80 E2 90 00 05 F0 1F E2 1D E1",
		/* hash of 19 bytes */
		"80 E2 90 00 22 F0 20 E2 1E E1 17 4F 00 C1 13 11111111111111111111111111111111111111 E3 03 D0 01 01",
		/* APDU rule of 3 bytes */
		"80 E2 90 00 25 F0 23 E2 21 " REF_ALL_11 " E3 05 D0 03 01 02 03",
		/* NFC rule twice */
		"80 E2 90 00 26 F0 24 E2 22 " REF_ALL_11 " E3 06 D1 01 01 D1 01 00",
		/* empty AR-DO */
		"80 E2 90 00 20 F0 1E E2 1C " REF_ALL_11 " E3 00",
		/* AID of 4 bytes */
		"80 E2 90 00 27 F0 25 E2 23 E1 1C 4F 04 A0000001 C1 14 " HASH_11 " E3 03 D0 01 01",
		/* REF-DO without DeviceAppID-REF-DO */
		"80 E2 90 00 0D F0 0B E2 09 E1 02 4F 00 E3 03 D0 01 01",
		/* a byte after the command DO */
		"80 E2 90 00 24 F0 21 " RULE_ALL_11 " 00",
		/* E2 with a third child */
		"80 E2 90 00 25 F0 23 E2 21 " REF_ALL_11 " E3 03 D0 01 01 C0 00",
		/* non-minimal length */
		"80 E2 90 00 24 F0 81 21 " RULE_ALL_11,
		/* empty store */
		"80 E2 90 00 02 F0 00",
		/* unknown command DO */
		"80 E2 90 00 02 30 00",
		/* package name with a control character */
		"80 E2 90 00 28 F0 26 E2 24 E1 1D 4F 00 C1 14 " HASH_11 " CA 03 61 0A 62 E3 03 D0 01 01",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t buf[512];
		size_t n = unhex(bad[i], buf, sizeof(buf));

		/* The APDU itself is well-formed: only the payload is bad. */
		assert_int_equal(buf[4], n - 5);
		assert_int_equal(send_raw(f, buf, n), 0x6A80);
	}
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x6A88);
	assert_int_equal(send(f, "80 E2 90 00 02 F4 00"), 0x6981);
}

static void test_delete(void **state)
{
	struct fx *f = *state;
	assert_int_equal(send(f, STORE_ALL_11), 0x9000);
	assert_int_equal(send(f, "80 E2 90 00 28 F0 26 E2 24 E1 1D 4F 05 A000000151 C1 14 "
			      HASH_11 " E3 03 D0 01 00"), 0x9000);
	/* Delete by AID-REF: only the AID rule goes. */
	assert_int_equal(send(f, "80 E2 90 00 09 F1 07 4F 05 A000000151"), 0x9000);
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x9000);
	expect_resp(f, "FF40 21 " RULE_ALL_11);
	assert_int_equal(send(f, "80 E2 90 00 09 F1 07 4F 05 A000000151"), 0x6A88);
	/* By REF-DO. */
	assert_int_equal(send(f, "80 E2 90 00 1C F1 1A " REF_ALL_11), 0x9000);
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x6A88);
	/* Exact REF-AR-DO: an AR that differs does not match. */
	assert_int_equal(send(f, STORE_ALL_11), 0x9000);
	assert_int_equal(send(f, "80 E2 90 00 23 F1 21 E2 1F " REF_ALL_11 " E3 03 D0 01 00"),
			 0x6A88);
	assert_int_equal(send(f, "80 E2 90 00 23 F1 21 " RULE_ALL_11), 0x9000);
	/* Delete all, also when nothing is left. */
	assert_int_equal(send(f, STORE_ALL_11), 0x9000);
	assert_int_equal(send(f, "80 E2 90 00 02 F1 00"), 0x9000);
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x6A88);
	assert_int_equal(send(f, "80 E2 90 00 02 F1 00"), 0x9000);
	/* A malformed delete target. */
	assert_int_equal(send(f, "80 E2 90 00 06 F1 04 4F 02 A0 00"), 0x6A80);
}

/* Ten rules of 55 bytes each: FF40 82 0226 + 550 bytes. */
static size_t store_ten(struct fx *f)
{
	for (int i = 0; i < 10; i++) {
		char cmd[400];

		snprintf(cmd, sizeof(cmd),
			 "80 E2 90 00 39 F0 37 E2 35 E1 2E 4F 06 A0000000%04X C1 20 "
			 "%064d CA 02 61 62 E3 03 D0 01 01", i, 0);
		assert_int_equal(send(f, cmd), 0x9000);
	}
	return 5 + 10 * 55;
}

static void test_get_all_past_256_bytes(void **state)
{
	struct fx *f = *state;
	size_t total = store_ten(f), got = 0;
	uint8_t all[1024];

	assert_int_equal(send(f, "80 CA FF 40 00"), 0x9000);
	assert_int_equal(f->resp_len, 256);
	assert_memory_equal(f->resp, "\xFF\x40\x82\x02\x26", 5);
	memcpy(all, f->resp, 256);
	got = 256;
	while (got < total) {
		assert_int_equal(send(f, "80 CA FF 60 00"), 0x9000);
		assert_true(f->resp_len > 0 && f->resp_len <= 256);
		memcpy(all + got, f->resp, f->resp_len);
		got += f->resp_len;
	}
	assert_int_equal(got, total);
	assert_int_equal(send(f, "80 CA FF 60 00"), 0x6985);
	/* Every rule is there, in order, and the data parses as TLVs. */
	assert_true(aram_rules_valid(all + 5, total - 5));
	/* An extended Le takes everything at once. */
	assert_int_equal(send(f, "80 CA FF 40 00 00 00"), 0x9000);
	assert_int_equal(f->resp_len, total);
	assert_memory_equal(f->resp, all, total);
}

static void test_rules_change_during_next(void **state)
{
	struct fx *f = *state;

	store_ten(f);
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x9000);
	assert_int_equal(send(f, "80 E2 90 00 09 F1 07 4F 05 A000000000"), 0x6A88);
	assert_int_equal(send(f, "80 E2 90 00 0A F1 08 4F 06 A00000000003"), 0x9000);
	assert_int_equal(send(f, "80 CA FF 60 00"), 0x6A84);
}

static void test_get_specific(void **state)
{
	struct fx *f = *state;

	assert_int_equal(send(f, STORE_ALL_11), 0x9000);
	assert_int_equal(send(f, "80 CA FF 50 1A " REF_ALL_11 " 00"), 0x9000);
	expect_resp(f, "FF50 05 E3 03 D0 01 01");
	assert_int_equal(send(f, "80 CA FF 50 06 E1 04 C0 00 C1 00 00"), 0x6A88);
	assert_int_equal(send(f, "80 CA FF 50 03 E1 05 C0 00"), 0x6A80);
}

static void test_chained_store(void **state)
{
	struct fx *f = *state;

	assert_int_equal(send(f, "80 E2 10 00 10 F0 21 E2 1F E1 18 4F 00 C1 14 111111111111"), 0x9000);
	assert_int_equal(send(f, "80 E2 90 01 13 1111111111111111111111111111 E3 03 D0 01 01"), 0x9000);
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x9000);
	expect_resp(f, "FF40 21 " RULE_ALL_11);
	/* Out of sequence: refused, and the next block 00 starts afresh. */
	assert_int_equal(send(f, "80 E2 10 00 02 F1 00"), 0x9000);
	assert_int_equal(send(f, "80 E2 90 05 01 00"), 0x6A86);
	assert_int_equal(send(f, "80 E2 90 01 01 00"), 0x6A86);
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x9000);
	/* A chain that ends malformed changes nothing. */
	assert_int_equal(send(f, "80 E2 10 00 02 F1 00"), 0x9000);
	assert_int_equal(send(f, "80 E2 90 01 01 00"), 0x6A80);
	assert_int_equal(send(f, "80 CA FF 40 00"), 0x9000);
}

static void test_command_errors(void **state)
{
	struct fx *f = *state;

	assert_int_equal(send(f, "80 E2 00 00 02 F1 00"), 0x6A86);
	assert_int_equal(send(f, "80 E2 80 00 02 F1 00"), 0x6A86);
	assert_int_equal(send(f, "80 E2 90 00"), 0x6700);
	assert_int_equal(send(f, "00 CA FF 40 00"), 0x6E00);
	assert_int_equal(send(f, "80 B0 00 00 00"), 0x6D00);
	assert_int_equal(send(f, "80 CA FF 40 02 00 00 00"), 0x6700);
	assert_int_equal(send(f, "80 CA 00 66 00"), 0x6A88);
}

static void test_config_and_select(void **state)
{
	struct fx *f = *state;
	struct apdu_resp r = { f->resp, sizeof(f->resp), 0 };

	assert_int_equal(send(f, "80 CA DF 21 07 E4 05 E6 03 01 01 00 00"), 0x9000);
	expect_resp(f, "DF21 07 E5 05 E6 03 01 01 00");
	assert_int_equal(send(f, "80 CA DF 21 00"), 0x9000);
	assert_int_equal(send(f, "80 CA DF 21 02 30 00 00"), 0x6A80);
	aram_select(&r);
	f->resp_len = r.len;
	expect_resp(f, "6F 0B 84 09 A0 00 00 01 51 41 43 4C 00");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ber_strictness),
		T(test_no_rules),
		T(test_store_and_get_all),
		T(test_conflict_keeps_rules),
		T(test_malformed_store_changes_nothing),
		T(test_delete),
		T(test_get_all_past_256_bytes),
		T(test_rules_change_during_next),
		T(test_get_specific),
		T(test_chained_store),
		T(test_command_errors),
		T(test_config_and_select),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
