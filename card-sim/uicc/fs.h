/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The card's file system: a small but real UICC tree (TS 102 221 / 31.102,
 * GSM 51.011 for DF_TELECOM):
 *
 *   MF 3F00
 *     EF_ICCID 2FE2 (transparent, 10)     EF_DIR 2F00 (linear fixed, USIM AID)
 *     DF_TELECOM 7F10
 *       EF_ADN 6F3A (linear fixed, 10 x 30: 16 alpha + 14 number)
 *       EF_SMS 6F3C (linear fixed, 10 x 176)
 *       EF_MSISDN 6F40 (linear fixed, 2 x 30)
 *     DF_GSM 7F20
 *       EF_IMSI 6F07 (transparent, 9)     EF_AD 6FAD (transparent, 4)
 *     ADF_USIM 7FFF (AID A0000000871002...)
 *       EF_IMSI 6F07  EF_AD 6FAD  EF_UST 6F38 (transparent)
 *
 * The tree's shape is fixed; file contents live in the card state (one key
 * per EF, "fs/3F00/7F10/6F3A") and are saved on every update.
 * Records are numbered from 1.  Errors are negative enum card_fs_err values;
 * each maps to one ISO 7816 status word (noted).
 */
#ifndef SCWS_CARD_FS_H
#define SCWS_CARD_FS_H

#include "card.h"

enum card_fs_err {
	FS_ERR_NOT_FOUND = -1,	/* 6A82 file not found */
	FS_ERR_NO_RECORD = -2,	/* 6A83 record not found */
	FS_ERR_WRONG_TYPE = -3,	/* 6981 command incompatible with structure */
	FS_ERR_RANGE = -4,	/* 6B00 offset outside the EF */
	FS_ERR_LENGTH = -5,	/* 6700 wrong length (record size, past end) */
	FS_ERR_STORE = -6,	/* 6581 memory problem (state not saved) */
};

enum card_file_type {
	CARD_FILE_DF,		/* MF, DF, ADF */
	CARD_FILE_TRANSPARENT,
	CARD_FILE_LINEAR_FIXED,
};

/* Who may READ / UPDATE an EF (uicc.c enforces it with its PIN state). */
enum card_file_access { CARD_AC_ALWAYS, CARD_AC_PIN, CARD_AC_ADM, CARD_AC_NEVER };

struct card_file;		/* a node of the fixed tree */
struct card_fs;

struct card_file_info {
	uint16_t fid;
	enum card_file_type type;
	size_t size;		/* transparent: bytes; linear: rec_len * records */
	size_t rec_len;		/* linear fixed only */
	size_t records;		/* linear fixed only */
	enum card_file_access read, update;
	const uint8_t *aid;	/* ADF only, else NULL */
	size_t aid_len;
};

struct card_fs *card_fs_open(struct card_state *st);
void card_fs_close(struct card_fs *fs);

const struct card_file *card_fs_mf(const struct card_fs *fs);
const struct card_file *card_fs_parent(const struct card_file *f); /* MF: itself */
void card_fs_info(const struct card_file *f, struct card_file_info *out);

/* SELECT by FID from the current DF (TS 102 221 8.4.1): the DF itself, a
 * child, the parent, a sibling DF, MF 3F00, or 7FFF (the USIM ADF). */
const struct card_file *card_fs_select_fid(const struct card_fs *fs,
					   const struct card_file *cur_df,
					   uint16_t fid);
/* SELECT by path: big-endian FIDs, from the MF (the leading 3F00 may be
 * present or not) or, if from is a DF, relative to it. */
const struct card_file *card_fs_select_path(const struct card_fs *fs,
					    const struct card_file *from,
					    const uint8_t *path, size_t len);
/* SELECT by DF name (AID, partial right-truncated match allowed). */
const struct card_file *card_fs_select_aid(const struct card_fs *fs,
					   const uint8_t *aid, size_t len);

/* Transparent EFs.  read returns the bytes copied (stops at the end of the
 * EF; an offset past the end is FS_ERR_RANGE).  update writes exactly len
 * bytes or fails with FS_ERR_LENGTH if they do not fit. */
int card_fs_read_binary(const struct card_fs *fs, const struct card_file *f,
			size_t offset, uint8_t *buf, size_t len);
int card_fs_update_binary(struct card_fs *fs, const struct card_file *f,
			  size_t offset, const uint8_t *data, size_t len);

/* Linear fixed EFs: whole records; buf must hold rec_len bytes; update
 * needs len == rec_len.  read returns rec_len. */
int card_fs_read_record(const struct card_fs *fs, const struct card_file *f,
			size_t rec, uint8_t *buf, size_t cap);
int card_fs_update_record(struct card_fs *fs, const struct card_file *f,
			  size_t rec, const uint8_t *data, size_t len);

/* The FCP template (tag 62) a SELECT answers with: 82 descriptor, 83 FID,
 * 84 AID (ADF), 8A life cycle, 8B security (EF_ARR 2F06 record: 1 read
 * ALW/update ADM, 2 PIN/PIN, 3 PIN/ADM, 4 ALW/PIN), C6 PIN status (DFs)
 * or 80 size (EFs).  Length, or -1 if cap is too small. */
int card_fs_fcp(const struct card_fs *fs, const struct card_file *f,
		uint8_t *buf, size_t cap);

#endif /* SCWS_CARD_FS_H */
