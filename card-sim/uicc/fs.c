// SPDX-License-Identifier: GPL-2.0
/*
 * The card's file tree (see fs.h).  The shape is a constant table; every
 * EF's bytes live in the card state under "fs/<path>", created from the
 * factory contents below on the first start.  Nothing is cached here, so
 * several card_fs handles on one state (uicc.c's and the web server's)
 * always see the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "log.h"

#define ADN_REC 30		/* 16 alpha + 14 (len, TON/NPI, 10 BCD, CCP, ext) */
#define SMS_REC 176
#define DIR_REC 32

struct card_file {
	uint16_t fid;
	enum card_file_type type;
	int parent;		/* index in files[], -1 for the MF */
	const char *key;	/* state key of an EF's contents */
	size_t size, rec_len;	/* transparent size / record length */
	enum card_file_access read, update;
	const uint8_t *init;	/* factory bytes; the rest is 0xFF */
	size_t init_len;
	bool init_each_record;	/* init is a per-record prefix */
};

struct card_fs {
	struct card_state *st;
};

static const uint8_t usim_aid[] = {
	0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF,
	0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00,
};

/* ICCID 89 49 00 00 00 00 12 34 56 78 (BCD, nibbles swapped). */
static const uint8_t iccid_init[] = {
	0x98, 0x94, 0x00, 0x00, 0x00, 0x00, 0x21, 0x43, 0x65, 0x87,
};

/* IMSI 001010123456789: length 8, parity nibble 9 (odd digit count). */
static const uint8_t imsi_init[] = {
	0x08, 0x09, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98,
};

/* Normal operation, no extra info, 2-digit MNC. */
static const uint8_t ad_init[] = { 0x00, 0x00, 0x00, 0x02 };

/* Services: local phonebook, FDN, SMS, SMS parameters, MSISDN ... */
static const uint8_t ust_init[] = { 0x2E, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };

/* EF_SMS record: status 00 = free. */
static const uint8_t sms_free[] = { 0x00 };

/* One application template: 61 { 4F AID, 50 "USIM" }. */
static const uint8_t dir_init[] = {
	0x61, 0x18, 0x4F, 0x10,
	0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF,
	0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00,
	0x50, 0x04, 'U', 'S', 'I', 'M',
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/*
 * ADN-style records (TS 31.102 4.4.2.3): alpha identifier (0xFF padded),
 * BCD length (TON/NPI + digit bytes), TON/NPI, 10 BCD bytes (swapped
 * nibbles, F filler, * = A, # = B), capability id, extension id.
 */
#define FF2 0xFF, 0xFF
#define FF4 FF2, FF2
static const uint8_t adn_init[] = {
	/* "Customer Care" +15550100 */
	'C', 'u', 's', 't', 'o', 'm', 'e', 'r', ' ', 'C', 'a', 'r', 'e',
	0xFF, FF2,
	0x05, 0x91, 0x51, 0x55, 0x10, 0x00, FF4, FF2, FF2,
	/* "Voicemail" 121 */
	'V', 'o', 'i', 'c', 'e', 'm', 'a', 'i', 'l',
	0xFF, FF4, FF2,
	0x03, 0x81, 0x21, 0xF1, FF4, FF4, FF2,
	/* "Top up" *100# */
	'T', 'o', 'p', ' ', 'u', 'p',
	FF4, FF4, FF2,
	0x04, 0x81, 0x1A, 0x00, 0xFB, FF4, FF2, 0xFF, FF2,
};

/* "Own number" +15555550123 */
static const uint8_t msisdn_init[] = {
	'O', 'w', 'n', ' ', 'n', 'u', 'm', 'b', 'e', 'r',
	FF4, FF2,
	0x07, 0x91, 0x51, 0x55, 0x55, 0x05, 0x21, 0xF3, FF4, FF2,
};

_Static_assert(sizeof(adn_init) == 3 * ADN_REC, "ADN records");
_Static_assert(sizeof(msisdn_init) == ADN_REC, "MSISDN record");
_Static_assert(sizeof(dir_init) == DIR_REC, "EF_DIR record");

#define DF(fid_, parent_) \
	{ .fid = fid_, .type = CARD_FILE_DF, .parent = parent_ }
#define EF(fid_, parent_, key_, type_, size_, rec_, rd_, up_, init_) \
	{ .fid = fid_, .type = type_, .parent = parent_, .key = key_, \
	  .size = size_, .rec_len = rec_, .read = rd_, .update = up_, \
	  .init = init_, .init_len = sizeof(init_) }
#define T CARD_FILE_TRANSPARENT
#define L CARD_FILE_LINEAR_FIXED
#define ALW CARD_AC_ALWAYS
#define PIN CARD_AC_PIN
#define ADM CARD_AC_ADM

enum { MF_IDX, TELECOM_IDX = 3, GSM_IDX = 7, USIM_IDX = 10 };

static const struct card_file files[] = {
	[MF_IDX] = DF(0x3F00, -1),
	EF(0x2FE2, MF_IDX, "fs/3F00/2FE2", T, 10, 0, ALW, ADM, iccid_init),
	EF(0x2F00, MF_IDX, "fs/3F00/2F00", L, DIR_REC * 2, DIR_REC, ALW, ADM, dir_init),
	[TELECOM_IDX] = DF(0x7F10, MF_IDX),
	EF(0x6F3A, TELECOM_IDX, "fs/3F00/7F10/6F3A", L, ADN_REC * 10, ADN_REC, PIN, PIN, adn_init),
	{ .fid = 0x6F3C, .type = L, .parent = TELECOM_IDX,
	  .key = "fs/3F00/7F10/6F3C", .size = SMS_REC * 10, .rec_len = SMS_REC,
	  .read = PIN, .update = PIN, .init = sms_free,
	  .init_len = sizeof(sms_free), .init_each_record = true },
	EF(0x6F40, TELECOM_IDX, "fs/3F00/7F10/6F40", L, ADN_REC * 2, ADN_REC, PIN, PIN, msisdn_init),
	[GSM_IDX] = DF(0x7F20, MF_IDX),
	EF(0x6F07, GSM_IDX, "fs/3F00/7F20/6F07", T, 9, 0, PIN, ADM, imsi_init),
	EF(0x6FAD, GSM_IDX, "fs/3F00/7F20/6FAD", T, 4, 0, ALW, ADM, ad_init),
	[USIM_IDX] = DF(0x7FFF, MF_IDX),
	EF(0x6F07, USIM_IDX, "fs/3F00/7FFF/6F07", T, 9, 0, PIN, ADM, imsi_init),
	EF(0x6FAD, USIM_IDX, "fs/3F00/7FFF/6FAD", T, 4, 0, ALW, ADM, ad_init),
	EF(0x6F38, USIM_IDX, "fs/3F00/7FFF/6F38", T, 8, 0, PIN, ADM, ust_init),
};

#define NFILES (sizeof(files) / sizeof(files[0]))

/* Factory contents of f into buf (file_size(f) bytes). */
static void file_defaults(const struct card_file *f, uint8_t *buf)
{
	memset(buf, 0xFF, f->size);
	if (f->init_each_record) {
		for (size_t off = 0; off < f->size; off += f->rec_len)
			memcpy(buf + off, f->init, f->init_len);
		return;
	}
	memcpy(buf, f->init, f->init_len < f->size ? f->init_len : f->size);
}

struct card_fs *card_fs_open(struct card_state *st)
{
	struct card_fs *fs = calloc(1, sizeof(*fs));
	bool created = false;

	if (!fs)
		return NULL;
	fs->st = st;
	for (size_t i = 0; i < NFILES; i++) {
		const struct card_file *f = &files[i];
		const uint8_t *val;
		size_t len;
		uint8_t *buf;

		if (f->type == CARD_FILE_DF)
			continue;
		if (!card_state_get(st, f->key, &val, &len) && len == f->size)
			continue;
		buf = malloc(f->size);
		if (!buf || (file_defaults(f, buf),
			     card_state_set(st, f->key, buf, f->size))) {
			free(buf);
			free(fs);
			return NULL;
		}
		free(buf);
		created = true;
	}
	if (created && card_state_save(st))
		card_err("cannot save the file system");
	return fs;
}

void card_fs_close(struct card_fs *fs)
{
	free(fs);
}

const struct card_file *card_fs_mf(const struct card_fs *fs)
{
	(void)fs;
	return &files[MF_IDX];
}

const struct card_file *card_fs_parent(const struct card_file *f)
{
	return f->parent < 0 ? f : &files[f->parent];
}

void card_fs_info(const struct card_file *f, struct card_file_info *out)
{
	memset(out, 0, sizeof(*out));
	out->fid = f->fid;
	out->type = f->type;
	out->size = f->size;
	out->read = f->read;
	out->update = f->update;
	if (f->type == CARD_FILE_LINEAR_FIXED) {
		out->rec_len = f->rec_len;
		out->records = f->size / f->rec_len;
	}
	if (f == &files[USIM_IDX]) {
		out->aid = usim_aid;
		out->aid_len = sizeof(usim_aid);
	}
}

static const struct card_file *child(const struct card_file *df, uint16_t fid)
{
	for (size_t i = 0; i < NFILES; i++)
		if (files[i].parent >= 0 && &files[files[i].parent] == df &&
		    files[i].fid == fid)
			return &files[i];
	return NULL;
}

const struct card_file *card_fs_select_fid(const struct card_fs *fs,
					   const struct card_file *cur_df,
					   uint16_t fid)
{
	const struct card_file *parent, *f;

	(void)fs;
	if (!cur_df)
		cur_df = &files[MF_IDX];
	if (cur_df->type != CARD_FILE_DF)
		cur_df = card_fs_parent(cur_df);
	parent = card_fs_parent(cur_df);
	if (fid == 0x3F00)
		return &files[MF_IDX];
	if (fid == 0x7FFF)
		return &files[USIM_IDX];
	if (fid == cur_df->fid)
		return cur_df;
	f = child(cur_df, fid);
	if (f)
		return f;
	if (fid == parent->fid)
		return parent;
	f = child(parent, fid);
	return f && f->type == CARD_FILE_DF ? f : NULL;
}

const struct card_file *card_fs_select_path(const struct card_fs *fs,
					    const struct card_file *from,
					    const uint8_t *path, size_t len)
{
	const struct card_file *f = from ? from : &files[MF_IDX];

	(void)fs;
	if (len == 0 || len % 2)
		return NULL;
	if (f->type != CARD_FILE_DF)
		f = card_fs_parent(f);
	for (size_t i = 0; i < len; i += 2) {
		uint16_t fid = (uint16_t)(path[i] << 8 | path[i + 1]);

		if (f->type != CARD_FILE_DF)
			return NULL;	/* an EF has no children */
		if (i == 0 && fid == 0x3F00)
			f = &files[MF_IDX];
		else if (i == 0 && fid == 0x7FFF)
			f = &files[USIM_IDX];
		else if (!(f = child(f, fid)))
			return NULL;
	}
	return f;
}

const struct card_file *card_fs_select_aid(const struct card_fs *fs,
					   const uint8_t *aid, size_t len)
{
	(void)fs;
	/* RID + at least one PIX byte, right-truncation allowed. */
	if (len < 6 || len > sizeof(usim_aid) || memcmp(aid, usim_aid, len))
		return NULL;
	return &files[USIM_IDX];
}

static int file_bytes(const struct card_fs *fs, const struct card_file *f,
		      const uint8_t **val)
{
	size_t len;

	if (card_state_get(fs->st, f->key, val, &len) || len != f->size)
		return FS_ERR_STORE;
	return 0;
}

/* Writes [offset, offset+len) of f's contents and saves the state. */
static int file_write(struct card_fs *fs, const struct card_file *f,
		      size_t offset, const uint8_t *data, size_t len)
{
	const uint8_t *val;
	uint8_t *copy;
	int rc = file_bytes(fs, f, &val);

	if (rc)
		return rc;
	copy = malloc(f->size);
	if (!copy)
		return FS_ERR_STORE;
	memcpy(copy, val, f->size);
	memcpy(copy + offset, data, len);
	rc = card_state_set(fs->st, f->key, copy, f->size) ||
	     card_state_save(fs->st) ? FS_ERR_STORE : 0;
	free(copy);
	return rc;
}

int card_fs_read_binary(const struct card_fs *fs, const struct card_file *f,
			size_t offset, uint8_t *buf, size_t len)
{
	const uint8_t *val;
	int rc;

	if (f->type != CARD_FILE_TRANSPARENT)
		return FS_ERR_WRONG_TYPE;
	if (offset >= f->size)
		return FS_ERR_RANGE;
	rc = file_bytes(fs, f, &val);
	if (rc)
		return rc;
	if (len > f->size - offset)
		len = f->size - offset;
	memcpy(buf, val + offset, len);
	return (int)len;
}

int card_fs_update_binary(struct card_fs *fs, const struct card_file *f,
			  size_t offset, const uint8_t *data, size_t len)
{
	if (f->type != CARD_FILE_TRANSPARENT)
		return FS_ERR_WRONG_TYPE;
	if (offset >= f->size)
		return FS_ERR_RANGE;
	if (len > f->size - offset)
		return FS_ERR_LENGTH;
	return file_write(fs, f, offset, data, len);
}

int card_fs_read_record(const struct card_fs *fs, const struct card_file *f,
			size_t rec, uint8_t *buf, size_t cap)
{
	const uint8_t *val;
	int rc;

	if (f->type != CARD_FILE_LINEAR_FIXED)
		return FS_ERR_WRONG_TYPE;
	if (rec < 1 || rec > f->size / f->rec_len)
		return FS_ERR_NO_RECORD;
	if (cap < f->rec_len)
		return FS_ERR_LENGTH;
	rc = file_bytes(fs, f, &val);
	if (rc)
		return rc;
	memcpy(buf, val + (rec - 1) * f->rec_len, f->rec_len);
	return (int)f->rec_len;
}

int card_fs_update_record(struct card_fs *fs, const struct card_file *f,
			  size_t rec, const uint8_t *data, size_t len)
{
	if (f->type != CARD_FILE_LINEAR_FIXED)
		return FS_ERR_WRONG_TYPE;
	if (rec < 1 || rec > f->size / f->rec_len)
		return FS_ERR_NO_RECORD;
	if (len != f->rec_len)
		return FS_ERR_LENGTH;
	return file_write(fs, f, (rec - 1) * f->rec_len, data, len);
}

/* Record of EF_ARR (2F06) that describes f's access rules. */
static uint8_t arr_record(const struct card_file *f)
{
	if (f->type == CARD_FILE_DF)
		return 1;
	if (f->read == CARD_AC_ALWAYS)
		return f->update == CARD_AC_PIN ? 4 : 1;
	return f->update == CARD_AC_PIN ? 2 : 3;
}

/* Appends tag, len, value; false when it does not fit. */
static bool put_tlv(uint8_t *buf, size_t cap, size_t *pos, uint8_t tag,
		    const uint8_t *val, size_t len)
{
	if (len > 127 || cap - *pos < 2 + len)
		return false;
	buf[(*pos)++] = tag;
	buf[(*pos)++] = (uint8_t)len;
	memcpy(buf + *pos, val, len);
	*pos += len;
	return true;
}

int card_fs_fcp(const struct card_fs *fs, const struct card_file *f,
		uint8_t *buf, size_t cap)
{
	/* PIN status: PIN1 (key reference 01) enabled. */
	static const uint8_t pin_status[] = { 0x90, 0x01, 0x80, 0x83, 0x01, 0x01 };
	uint8_t fdesc[5] = { 0x78, 0x21 };
	uint8_t fid[2] = { f->fid >> 8, f->fid & 0xFF };
	uint8_t lcsi = 0x05;	/* operational, activated */
	uint8_t arr[3] = { 0x2F, 0x06, arr_record(f) };
	uint8_t size[2] = { f->size >> 8, f->size & 0xFF };
	size_t fdesc_len = 2, pos = 2;
	bool ok;

	(void)fs;
	if (cap < 2)
		return -1;
	if (f->type == CARD_FILE_TRANSPARENT) {
		fdesc[0] = 0x41;
	} else if (f->type == CARD_FILE_LINEAR_FIXED) {
		fdesc[0] = 0x42;
		fdesc[2] = 0;
		fdesc[3] = (uint8_t)f->rec_len;
		fdesc[4] = (uint8_t)(f->size / f->rec_len);
		fdesc_len = 5;
	}
	ok = put_tlv(buf, cap, &pos, 0x82, fdesc, fdesc_len) &&
	     put_tlv(buf, cap, &pos, 0x83, fid, 2);
	if (ok && f == &files[USIM_IDX])
		ok = put_tlv(buf, cap, &pos, 0x84, usim_aid, sizeof(usim_aid));
	ok = ok && put_tlv(buf, cap, &pos, 0x8A, &lcsi, 1) &&
	     put_tlv(buf, cap, &pos, 0x8B, arr, 3);
	if (ok && f->type == CARD_FILE_DF)
		ok = put_tlv(buf, cap, &pos, 0xC6, pin_status, sizeof(pin_status));
	else if (ok)
		ok = put_tlv(buf, cap, &pos, 0x80, size, 2);
	if (!ok || pos - 2 > 127)
		return -1;
	buf[0] = 0x62;
	buf[1] = (uint8_t)(pos - 2);
	return (int)pos;
}
