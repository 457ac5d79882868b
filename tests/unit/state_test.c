// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * The card's state file: round trips, key order, and every way a file on
 * disk can be damaged (flipped byte, cut short, garbage appended, forged
 * checksum over broken records) must be refused, never half-loaded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#include "card.h"

struct fixture {
	char dir[64];
	char path[96];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/state_test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/card.state", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *e;
	char p[400];

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 20);

	assert_non_null(fp);
	*len = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

static void spit(const char *path, const uint8_t *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	fclose(fp);
}

/* A fresh state with two records, saved and closed. */
static void make_sample(const char *path)
{
	struct card_state *st = card_state_open(path, true);

	assert_non_null(st);
	assert_int_equal(card_state_set(st, "pin/chv1", "\x03\x0a", 2), 0);
	assert_int_equal(card_state_set(st, "fs/3F00/2FE2", "0123456789", 10), 0);
	assert_int_equal(card_state_save(st), 0);
	card_state_close(st);
}

static void test_new_file_is_created_empty(void **state)
{
	struct fixture *f = *state;
	struct card_state *st = card_state_open(f->path, false);
	const uint8_t *v;
	size_t n;
	struct stat sb;

	assert_non_null(st);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(card_state_get(st, "x", &v, &n), -ENOENT);
	card_state_close(st);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct card_state *st;
	const uint8_t *v;
	size_t n;

	make_sample(f->path);
	st = card_state_open(f->path, false);
	assert_non_null(st);
	assert_int_equal(card_state_get(st, "fs/3F00/2FE2", &v, &n), 0);
	assert_int_equal(n, 10);
	assert_memory_equal(v, "0123456789", 10);
	assert_int_equal(card_state_get(st, "pin/chv1", &v, &n), 0);
	assert_int_equal(n, 2);
	/* Overwrite, delete, empty value. */
	assert_int_equal(card_state_set(st, "pin/chv1", "\x02", 1), 0);
	assert_int_equal(card_state_delete(st, "fs/3F00/2FE2"), 0);
	assert_int_equal(card_state_delete(st, "fs/3F00/2FE2"), -ENOENT);
	assert_int_equal(card_state_set(st, "empty", "", 0), 0);
	assert_int_equal(card_state_save(st), 0);
	card_state_close(st);

	st = card_state_open(f->path, false);
	assert_non_null(st);
	assert_int_equal(card_state_get(st, "pin/chv1", &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 2);
	assert_int_equal(card_state_get(st, "fs/3F00/2FE2", &v, &n), -ENOENT);
	assert_int_equal(card_state_get(st, "empty", &v, &n), 0);
	assert_int_equal(n, 0);
	card_state_close(st);
}

static void test_bad_keys(void **state)
{
	struct fixture *f = *state;
	struct card_state *st = card_state_open(f->path, false);
	char longkey[300];

	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	assert_int_equal(card_state_set(st, "", "x", 1), -EINVAL);
	assert_int_equal(card_state_set(st, longkey, "x", 1), -EINVAL);
	longkey[255] = '\0';
	assert_int_equal(card_state_set(st, longkey, "x", 1), 0);
	assert_int_equal(card_state_save(st), 0);
	card_state_close(st);
}

struct seen {
	char keys[8][32];
	int n;
	struct card_state *st;
	int stop_at;
};

static int collect(const char *key, const uint8_t *val, size_t len, void *arg)
{
	struct seen *s = arg;

	(void)val;
	(void)len;
	snprintf(s->keys[s->n++], sizeof(s->keys[0]), "%s", key);
	if (s->st)		/* deleting the current key must be safe */
		card_state_delete(s->st, key);
	return s->n == s->stop_at ? 7 : 0;
}

static void test_foreach_order_prefix_and_stop(void **state)
{
	struct fixture *f = *state;
	struct card_state *st = card_state_open(f->path, false);
	struct seen s = { 0 };
	const char *keys[] = { "aram/b", "fs/x", "aram/a", "aram/c", "aramz" };

	for (size_t i = 0; i < 5; i++)
		assert_int_equal(card_state_set(st, keys[i], "v", 1), 0);
	assert_int_equal(card_state_foreach(st, "aram/", collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.keys[0], "aram/a");
	assert_string_equal(s.keys[1], "aram/b");
	assert_string_equal(s.keys[2], "aram/c");

	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	assert_int_equal(card_state_foreach(st, "aram/", collect, &s), 7);
	assert_int_equal(s.n, 2);

	memset(&s, 0, sizeof(s));
	s.st = st;
	assert_int_equal(card_state_foreach(st, "aram/", collect, &s), 0);
	assert_int_equal(s.n, 3);
	memset(&s, 0, sizeof(s));
	assert_int_equal(card_state_foreach(st, "", collect, &s), 0);
	assert_int_equal(s.n, 2);	/* "aramz", "fs/x" are left */
	card_state_close(st);
}

static void expect_refused(const char *path)
{
	struct card_state *st = card_state_open(path, false);

	assert_null(st);
	/* --reset-state starts afresh and replaces the damaged file. */
	st = card_state_open(path, true);
	assert_non_null(st);
	card_state_close(st);
	st = card_state_open(path, false);
	assert_non_null(st);
	card_state_close(st);
}

static void test_corrupted_byte_is_refused(void **state)
{
	struct fixture *f = *state;
	size_t len;
	uint8_t *buf;

	make_sample(f->path);
	buf = slurp(f->path, &len);
	buf[len / 2] ^= 0x01;
	spit(f->path, buf, len);
	free(buf);
	expect_refused(f->path);
}

static void test_truncated_file_is_refused(void **state)
{
	struct fixture *f = *state;
	size_t len;
	uint8_t *buf;

	make_sample(f->path);
	buf = slurp(f->path, &len);
	for (size_t cut = 1; cut < len; cut += 7) {
		spit(f->path, buf, len - cut);
		assert_null(card_state_open(f->path, false));
	}
	spit(f->path, buf, 0);
	free(buf);
	expect_refused(f->path);
}

static void test_trailing_garbage_is_refused(void **state)
{
	struct fixture *f = *state;
	size_t len;
	uint8_t *buf;

	make_sample(f->path);
	buf = slurp(f->path, &len);
	buf[len] = 0;
	spit(f->path, buf, len + 1);
	free(buf);
	expect_refused(f->path);
}

static void test_wrong_magic_is_refused(void **state)
{
	struct fixture *f = *state;

	spit(f->path, (const uint8_t *)"hello, world\n", 13);
	expect_refused(f->path);
}

static void reseal(uint8_t *buf, size_t len)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	mbedtls_sha256(buf, len - 32, buf + len - 32, 0);
#else
	mbedtls_sha256_ret(buf, len - 32, buf + len - 32, 0);
#endif
}

/* Checksum right, records wrong: the structure checks must still hold. */
static void test_forged_checksum_with_bad_records(void **state)
{
	struct fixture *f = *state;
	size_t len;
	uint8_t *buf;

	make_sample(f->path);
	buf = slurp(f->path, &len);
	/* First record's value length: claim 1 MiB. */
	buf[20 + 1] = 0x00;
	buf[20 + 2] = 0x10;
	reseal(buf, len);
	spit(f->path, buf, len);
	assert_null(card_state_open(f->path, false));

	/* Record count one higher than the records present. */
	make_sample(f->path);
	free(buf);
	buf = slurp(f->path, &len);
	buf[15]++;
	reseal(buf, len);
	spit(f->path, buf, len);
	assert_null(card_state_open(f->path, false));
	free(buf);
}

static void test_second_instance_is_locked_out(void **state)
{
	struct fixture *f = *state;
	struct card_state *a = card_state_open(f->path, false), *b;

	assert_non_null(a);
	b = card_state_open(f->path, false);
	assert_null(b);
	card_state_close(a);
	b = card_state_open(f->path, false);
	assert_non_null(b);
	card_state_close(b);
}

static void test_save_leaves_no_temp_files(void **state)
{
	struct fixture *f = *state;
	struct card_state *st = card_state_open(f->path, false);
	DIR *d;
	struct dirent *e;
	int files = 0;

	for (int i = 0; i < 20; i++) {
		char k[16];

		snprintf(k, sizeof(k), "k%d", i);
		assert_int_equal(card_state_set(st, k, k, strlen(k)), 0);
		assert_int_equal(card_state_save(st), 0);
	}
	card_state_close(st);
	d = opendir(f->dir);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			files++;
			assert_true(strcmp(e->d_name, "card.state") == 0 ||
				    strcmp(e->d_name, "card.state.lock") == 0);
		}
	closedir(d);
	assert_int_equal(files, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_file_is_created_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreach_order_prefix_and_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupted_byte_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_file_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trailing_garbage_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_magic_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forged_checksum_with_bad_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_instance_is_locked_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_leaves_no_temp_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
