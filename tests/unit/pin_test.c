// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/uicc/pin.c card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * CHV1 and its PUK: VERIFY counting and blocking, RESET RETRY COUNTER,
 * CHANGE, the 8-byte APDU form, and persistence across restarts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "uicc/pin.h"

struct fixture {
	char dir[64], path[96];
	struct card_state *st;
	struct card_pin *pin;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/scws-pin-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/state", f->dir);
	f->st = card_state_open(f->path, true);
	assert_non_null(f->st);
	f->pin = card_pin_open(f->st);
	assert_non_null(f->pin);
	*state = f;
	return 0;
}

/* Closes and reopens state and PIN, as a restart of scws-card does. */
static void restart(struct fixture *f)
{
	card_pin_close(f->pin);
	card_state_close(f->st);
	f->st = card_state_open(f->path, false);
	assert_non_null(f->st);
	f->pin = card_pin_open(f->st);
	assert_non_null(f->pin);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char lock[128];

	card_pin_close(f->pin);
	card_state_close(f->st);
	snprintf(lock, sizeof(lock), "%s.lock", f->path);
	unlink(f->path);
	unlink(lock);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_defaults(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(card_pin_tries_left(f->pin), 3);
	assert_int_equal(card_pin_puk_tries_left(f->pin), 10);
	assert_int_equal(card_pin_verify(f->pin, "0000"), PIN_OK);
}

static void test_counter_and_reset(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(card_pin_verify(f->pin, "1234"), PIN_WRONG);
	assert_int_equal(card_pin_tries_left(f->pin), 2);
	assert_int_equal(card_pin_verify(f->pin, "00000"), PIN_WRONG);
	assert_int_equal(card_pin_tries_left(f->pin), 1);
	assert_int_equal(card_pin_verify(f->pin, "0000"), PIN_OK);
	assert_int_equal(card_pin_tries_left(f->pin), 3);
	/* A malformed PIN is a wrong PIN. */
	assert_int_equal(card_pin_verify(f->pin, "abcd"), PIN_WRONG);
	assert_int_equal(card_pin_verify(f->pin, ""), PIN_WRONG);
	assert_int_equal(card_pin_tries_left(f->pin), 1);
}

static void test_block_and_persist(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 2; i++)
		assert_int_equal(card_pin_verify(f->pin, "9999"), PIN_WRONG);
	restart(f);
	assert_int_equal(card_pin_tries_left(f->pin), 1);
	assert_int_equal(card_pin_verify(f->pin, "9999"), PIN_WRONG);
	assert_int_equal(card_pin_tries_left(f->pin), 0);
	assert_int_equal(card_pin_verify(f->pin, "0000"), PIN_BLOCKED);
	restart(f);
	assert_int_equal(card_pin_verify(f->pin, "0000"), PIN_BLOCKED);
	assert_int_equal(card_pin_tries_left(f->pin), 0);
}

static void test_unblock(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 3; i++)
		card_pin_verify(f->pin, "9999");
	assert_int_equal(card_pin_unblock(f->pin, "87654321", "1111"), PIN_WRONG);
	assert_int_equal(card_pin_puk_tries_left(f->pin), 9);
	assert_int_equal(card_pin_unblock(f->pin, "1234567", "1111"), PIN_WRONG);
	assert_int_equal(card_pin_puk_tries_left(f->pin), 8);
	/* A bad new PIN is refused before the PUK is even looked at. */
	assert_int_equal(card_pin_unblock(f->pin, "12345678", "11"), PIN_WRONG);
	assert_int_equal(card_pin_puk_tries_left(f->pin), 8);
	assert_int_equal(card_pin_unblock(f->pin, "12345678", "24680"), PIN_OK);
	assert_int_equal(card_pin_puk_tries_left(f->pin), 10);
	assert_int_equal(card_pin_tries_left(f->pin), 3);
	restart(f);
	assert_int_equal(card_pin_verify(f->pin, "0000"), PIN_WRONG);
	assert_int_equal(card_pin_verify(f->pin, "24680"), PIN_OK);
	/* Without a new PIN the old one stays. */
	assert_int_equal(card_pin_unblock(f->pin, "12345678", NULL), PIN_OK);
	assert_int_equal(card_pin_verify(f->pin, "24680"), PIN_OK);
}

static void test_puk_blocks_for_good(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 10; i++)
		assert_int_equal(card_pin_unblock(f->pin, "00000000", "1111"), PIN_WRONG);
	assert_int_equal(card_pin_puk_tries_left(f->pin), 0);
	assert_int_equal(card_pin_unblock(f->pin, "12345678", "1111"), PIN_BLOCKED);
	restart(f);
	assert_int_equal(card_pin_unblock(f->pin, "12345678", "1111"), PIN_BLOCKED);
}

static void test_change(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(card_pin_change(f->pin, "0000", "12345678"), PIN_OK);
	assert_int_equal(card_pin_verify(f->pin, "12345678"), PIN_OK);
	assert_int_equal(card_pin_change(f->pin, "0000", "1111"), PIN_WRONG);
	assert_int_equal(card_pin_tries_left(f->pin), 2);
	assert_int_equal(card_pin_change(f->pin, "12345678", "123456789"), PIN_WRONG);
	assert_int_equal(card_pin_tries_left(f->pin), 2);	/* not counted */
	restart(f);
	assert_int_equal(card_pin_verify(f->pin, "12345678"), PIN_OK);
}

static bool proof_is(const char *pin, void *arg)
{
	return !strcmp(pin, arg);
}

static void test_verify_proof(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(card_pin_verify_proof(f->pin, proof_is, "0000"), PIN_OK);
	assert_int_equal(card_pin_verify_proof(f->pin, proof_is, "1"), PIN_WRONG);
	assert_int_equal(card_pin_tries_left(f->pin), 2);
}

static void test_blocks(void **state)
{
	uint8_t block[8];
	char s[9];

	(void)state;
	card_pin_to_block("1234", block);
	assert_memory_equal(block, "1234\xff\xff\xff\xff", 8);
	assert_true(card_pin_from_block(block, s));
	assert_string_equal(s, "1234");
	assert_true(card_pin_from_block((const uint8_t *)"12345678", s));
	assert_string_equal(s, "12345678");
	assert_false(card_pin_from_block((const uint8_t *)"123\xff\xff\xff\xff\xff", s));
	assert_false(card_pin_from_block((const uint8_t *)"1234\xff" "5\xff\xff", s));
	assert_false(card_pin_from_block((const uint8_t *)"12a4\xff\xff\xff\xff", s));
	assert_false(card_pin_from_block((const uint8_t *)"1234\0\xff\xff\xff", s));
	assert_true(card_pin_valid("0000"));
	assert_true(card_pin_valid("12345678"));
	assert_false(card_pin_valid("123"));
	assert_false(card_pin_valid("123456789"));
	assert_false(card_pin_valid("12 4"));
	assert_false(card_pin_valid(NULL));
}

static void test_damaged_blob_resets(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(card_state_set(f->st, "pin/chv1", "junk", 4), 0);
	card_pin_close(f->pin);
	f->pin = card_pin_open(f->st);
	assert_int_equal(card_pin_tries_left(f->pin), 3);
	assert_int_equal(card_pin_verify(f->pin, "0000"), PIN_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counter_and_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_and_persist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unblock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_puk_blocks_for_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_proof, setup, teardown),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test_setup_teardown(test_damaged_blob_resets, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
