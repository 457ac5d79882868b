// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/uicc/fs.c card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * The card's file tree: SELECT by FID, path and AID as TS 102 221 allows,
 * READ/UPDATE BINARY and RECORD with their errors, FCP templates, and
 * contents that persist in the state and are shared between handles.
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

#include "uicc/fs.h"

struct fixture {
	char dir[64], path[96];
	struct card_state *st;
	struct card_fs *fs;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/scws-fs-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/state", f->dir);
	f->st = card_state_open(f->path, true);
	assert_non_null(f->st);
	f->fs = card_fs_open(f->st);
	assert_non_null(f->fs);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char lock[128];

	card_fs_close(f->fs);
	card_state_close(f->st);
	snprintf(lock, sizeof(lock), "%s.lock", f->path);
	unlink(f->path);
	unlink(lock);
	rmdir(f->dir);
	free(f);
	return 0;
}

static uint16_t fid_of(const struct card_file *file)
{
	struct card_file_info info;

	card_fs_info(file, &info);
	return info.fid;
}

static const struct card_file *path(struct card_fs *fs, const char *hex)
{
	uint8_t p[16];
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &p[i]);
	return card_fs_select_path(fs, NULL, p, n);
}

static void test_select_fid(void **state)
{
	struct fixture *f = *state;
	const struct card_file *mf = card_fs_mf(f->fs), *telecom, *gsm, *x;

	assert_int_equal(fid_of(mf), 0x3F00);
	assert_ptr_equal(card_fs_parent(mf), mf);
	telecom = card_fs_select_fid(f->fs, mf, 0x7F10);
	assert_non_null(telecom);
	assert_ptr_equal(card_fs_parent(telecom), mf);
	/* From DF_TELECOM: a child EF, itself, the parent, a sibling DF. */
	x = card_fs_select_fid(f->fs, telecom, 0x6F3A);
	assert_int_equal(fid_of(x), 0x6F3A);
	assert_ptr_equal(card_fs_select_fid(f->fs, telecom, 0x7F10), telecom);
	assert_ptr_equal(card_fs_select_fid(f->fs, telecom, 0x3F00), mf);
	gsm = card_fs_select_fid(f->fs, telecom, 0x7F20);
	assert_int_equal(fid_of(gsm), 0x7F20);
	/* An EF as the current file means its DF. */
	assert_ptr_equal(card_fs_select_fid(f->fs, x, 0x6F3C),
			 card_fs_select_fid(f->fs, telecom, 0x6F3C));
	/* Not reachable from here: an EF of a sibling, an EF of the MF. */
	assert_null(card_fs_select_fid(f->fs, telecom, 0x6F07));
	assert_null(card_fs_select_fid(f->fs, gsm, 0x6F3A));
	assert_null(card_fs_select_fid(f->fs, mf, 0x1234));
	assert_int_equal(fid_of(card_fs_select_fid(f->fs, gsm, 0x7FFF)), 0x7FFF);
	assert_int_equal(fid_of(card_fs_select_fid(f->fs, NULL, 0x2FE2)), 0x2FE2);
}

static void test_select_path_and_aid(void **state)
{
	struct fixture *f = *state;
	static const uint8_t aid_prefix[] = { 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02 };
	struct card_file_info info;
	const struct card_file *usim;

	assert_int_equal(fid_of(path(f->fs, "7F106F3A")), 0x6F3A);
	assert_ptr_equal(path(f->fs, "3F007F106F3A"), path(f->fs, "7F106F3A"));
	assert_int_equal(fid_of(path(f->fs, "3F00")), 0x3F00);
	assert_int_equal(fid_of(path(f->fs, "7FFF6F07")), 0x6F07);
	assert_null(path(f->fs, "7F106F3A6F3A"));	/* below an EF */
	assert_null(path(f->fs, "7F99"));
	assert_null(card_fs_select_path(f->fs, NULL, (const uint8_t *)"\x7f", 1));
	assert_null(card_fs_select_path(f->fs, NULL, NULL, 0));
	/* Relative to a DF. */
	assert_int_equal(fid_of(card_fs_select_path(f->fs, path(f->fs, "7F20"),
						    (const uint8_t *)"\x6f\xad", 2)), 0x6FAD);
	usim = card_fs_select_aid(f->fs, aid_prefix, sizeof(aid_prefix));
	assert_non_null(usim);
	card_fs_info(usim, &info);
	assert_int_equal(info.type, CARD_FILE_DF);
	assert_int_equal(info.aid_len, 16);
	assert_memory_equal(info.aid, aid_prefix, sizeof(aid_prefix));
	assert_ptr_equal(card_fs_select_aid(f->fs, info.aid, info.aid_len), usim);
	assert_null(card_fs_select_aid(f->fs, aid_prefix, 5));
	assert_null(card_fs_select_aid(f->fs, (const uint8_t *)"\xa0\x00\x00\x00\x87\x20", 6));
}

static void test_transparent(void **state)
{
	struct fixture *f = *state;
	const struct card_file *imsi = path(f->fs, "7FFF6F07");
	const struct card_file *adn = path(f->fs, "7F106F3A");
	uint8_t buf[32];

	assert_int_equal(card_fs_read_binary(f->fs, imsi, 0, buf, sizeof(buf)), 9);
	assert_memory_equal(buf, "\x08\x09\x10\x10\x10\x32\x54\x76\x98", 9);
	assert_int_equal(card_fs_read_binary(f->fs, imsi, 7, buf, 1), 1);
	assert_int_equal(buf[0], 0x76);
	assert_int_equal(card_fs_read_binary(f->fs, imsi, 9, buf, 1), FS_ERR_RANGE);
	assert_int_equal(card_fs_update_binary(f->fs, imsi, 8, (const uint8_t *)"\x99\x99", 2),
			 FS_ERR_LENGTH);
	assert_int_equal(card_fs_update_binary(f->fs, imsi, 8, (const uint8_t *)"\x89", 1), 0);
	assert_int_equal(card_fs_read_binary(f->fs, imsi, 8, buf, 4), 1);
	assert_int_equal(buf[0], 0x89);
	/* The DF_GSM copy is a file of its own. */
	assert_int_equal(card_fs_read_binary(f->fs, path(f->fs, "7F206F07"), 8, buf, 1), 1);
	assert_int_equal(buf[0], 0x98);
	assert_int_equal(card_fs_read_binary(f->fs, adn, 0, buf, 1), FS_ERR_WRONG_TYPE);
	assert_int_equal(card_fs_update_binary(f->fs, adn, 0, buf, 1), FS_ERR_WRONG_TYPE);
	assert_int_equal(card_fs_read_binary(f->fs, card_fs_mf(f->fs), 0, buf, 1),
			 FS_ERR_WRONG_TYPE);
}

static void test_records(void **state)
{
	struct fixture *f = *state;
	const struct card_file *adn = path(f->fs, "7F106F3A");
	const struct card_file *sms = path(f->fs, "7F106F3C");
	struct card_file_info info;
	uint8_t rec[176], blank[30];

	card_fs_info(adn, &info);
	assert_int_equal(info.type, CARD_FILE_LINEAR_FIXED);
	assert_int_equal(info.rec_len, 30);
	assert_int_equal(info.records, 10);
	assert_int_equal(info.read, CARD_AC_PIN);
	assert_int_equal(card_fs_read_record(f->fs, adn, 2, rec, 30), 30);
	assert_memory_equal(rec, "Voicemail\xff", 10);
	assert_int_equal(card_fs_read_record(f->fs, adn, 0, rec, 30), FS_ERR_NO_RECORD);
	assert_int_equal(card_fs_read_record(f->fs, adn, 11, rec, 30), FS_ERR_NO_RECORD);
	assert_int_equal(card_fs_read_record(f->fs, adn, 1, rec, 29), FS_ERR_LENGTH);
	memset(blank, 0xFF, sizeof(blank));
	assert_int_equal(card_fs_read_record(f->fs, adn, 10, rec, 30), 30);
	assert_memory_equal(rec, blank, 30);
	blank[0] = 'Q';
	assert_int_equal(card_fs_update_record(f->fs, adn, 10, blank, 30), 0);
	assert_int_equal(card_fs_update_record(f->fs, adn, 10, blank, 29), FS_ERR_LENGTH);
	assert_int_equal(card_fs_update_record(f->fs, adn, 11, blank, 30), FS_ERR_NO_RECORD);
	assert_int_equal(card_fs_read_record(f->fs, adn, 10, rec, 30), 30);
	assert_int_equal(rec[0], 'Q');
	assert_int_equal(card_fs_read_record(f->fs, adn, 9, rec, 30), 30);
	assert_int_equal(rec[0], 0xFF);
	/* EF_SMS records start free: status 00. */
	assert_int_equal(card_fs_read_record(f->fs, sms, 10, rec, sizeof(rec)), 176);
	assert_int_equal(rec[0], 0x00);
	assert_int_equal(rec[1], 0xFF);
	assert_int_equal(card_fs_read_record(f->fs, path(f->fs, "2FE2"), 1, rec, 30),
			 FS_ERR_WRONG_TYPE);
}

static void test_persist_and_share(void **state)
{
	struct fixture *f = *state;
	struct card_fs *other = card_fs_open(f->st);
	const struct card_file *adn = path(f->fs, "7F106F3A");
	uint8_t rec[30];

	memset(rec, 'z', sizeof(rec));
	assert_int_equal(card_fs_update_record(other, adn, 4, rec, 30), 0);
	memset(rec, 0, sizeof(rec));
	assert_int_equal(card_fs_read_record(f->fs, adn, 4, rec, 30), 30);
	assert_int_equal(rec[29], 'z');
	card_fs_close(other);
	/* Restart: the file on disk has it. */
	card_fs_close(f->fs);
	card_state_close(f->st);
	f->st = card_state_open(f->path, false);
	assert_non_null(f->st);
	f->fs = card_fs_open(f->st);
	assert_int_equal(card_fs_read_record(f->fs, adn, 4, rec, 30), 30);
	assert_int_equal(rec[0], 'z');
	assert_int_equal(card_fs_read_record(f->fs, adn, 1, rec, 30), 30);
	assert_memory_equal(rec, "Customer Care", 13);
}

static void test_damaged_entry(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[16];

	assert_int_equal(card_state_set(f->st, "fs/3F00/2FE2", "x", 1), 0);
	assert_int_equal(card_fs_read_binary(f->fs, path(f->fs, "2FE2"), 0, buf, 10),
			 FS_ERR_STORE);
	/* Reopening repairs it from the factory contents. */
	card_fs_close(f->fs);
	f->fs = card_fs_open(f->st);
	assert_int_equal(card_fs_read_binary(f->fs, path(f->fs, "2FE2"), 0, buf, 10), 10);
	assert_int_equal(buf[0], 0x98);
}

static void test_fcp(void **state)
{
	struct fixture *f = *state;
	uint8_t fcp[128];
	int n;

	n = card_fs_fcp(f->fs, path(f->fs, "7F106F3A"), fcp, sizeof(fcp));
	assert_int_equal(n, 2 + 7 + 4 + 3 + 5 + 4);
	assert_memory_equal(fcp, "\x62\x17\x82\x05\x42\x21\x00\x1e\x0a\x83\x02\x6f\x3a"
			    "\x8a\x01\x05\x8b\x03\x2f\x06\x02\x80\x02\x01\x2c", (size_t)n);
	n = card_fs_fcp(f->fs, path(f->fs, "2FE2"), fcp, sizeof(fcp));
	assert_memory_equal(fcp, "\x62\x14\x82\x02\x41\x21\x83\x02\x2f\xe2"
			    "\x8a\x01\x05\x8b\x03\x2f\x06\x01\x80\x02\x00\x0a", (size_t)n);
	n = card_fs_fcp(f->fs, card_fs_mf(f->fs), fcp, sizeof(fcp));
	assert_memory_equal(fcp, "\x62\x18\x82\x02\x78\x21\x83\x02\x3f\x00"
			    "\x8a\x01\x05\x8b\x03\x2f\x06\x01"
			    "\xc6\x06\x90\x01\x80\x83\x01\x01", (size_t)n);
	n = card_fs_fcp(f->fs, path(f->fs, "7FFF"), fcp, sizeof(fcp));
	assert_int_equal(n, 2 + 4 + 4 + 18 + 3 + 5 + 8);
	assert_memory_equal(fcp + 10, "\x84\x10\xa0\x00\x00\x00\x87\x10\x02", 9);
	assert_int_equal(card_fs_fcp(f->fs, card_fs_mf(f->fs), fcp, 10), -1);
	assert_int_equal(card_fs_fcp(f->fs, card_fs_mf(f->fs), fcp, 1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_select_fid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_path_and_aid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transparent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_persist_and_share, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fcp, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
