// SPDX-License-Identifier: GPL-2.0
/*
 * File commands (TS 102 221 11.1.1 - 11.1.6): SELECT, STATUS, READ and
 * UPDATE BINARY / RECORD, on the tree fs.h describes.  SELECT by DF name
 * also reaches the ARA-M applet, which is not a file.
 */
#include "uicc-int.h"
#include "applet/test_applet.h"
#include "cat/cat.h"
#include "fs.h"
#include "log.h"

#include <string.h>

enum {
	SEL_FID = 0x00,
	SEL_AID = 0x04,
	SEL_PATH_MF = 0x08,
	SEL_PATH_DF = 0x09,
	SEL_RESP_MASK = 0x0C,	/* P2 b4-b3: what to answer */
	SEL_RESP_FCI = 0x00,	/* answered with the FCP, as UICCs do */
	SEL_RESP_FCP = 0x04,
	SEL_RESP_NONE = 0x0C,
	SEL_TERMINATE = 0x40,	/* P2 b7 with P1 04: end the application */
	SEL_OCCURRENCE = 0x03,	/* P2 b2-b1: first / last / next / previous */
	REC_NEXT = 0x02,
	REC_PREVIOUS = 0x03,
	REC_ABSOLUTE = 0x04,	/* P1 = number, 00 = current record */
};

static uint16_t fs_sw(int err)
{
	switch (err) {
	case FS_ERR_NOT_FOUND:
		return SW_FILE_NOT_FOUND;
	case FS_ERR_NO_RECORD:
		return SW_RECORD_NOT_FOUND;
	case FS_ERR_WRONG_TYPE:
		return SW_INCOMPATIBLE_FILE;
	case FS_ERR_RANGE:
		return SW_WRONG_OFFSET;
	case FS_ERR_LENGTH:
		return SW_WRONG_LENGTH;
	default:
		return SW_MEMORY;
	}
}

/* Right-truncated match of at least the RID (5 bytes). */
static bool is_aram_aid(const uint8_t *aid, size_t len)
{
	return len >= 5 && len <= ARAM_AID_LEN && !memcmp(aid, aram_aid, len);
}

static uint16_t put_fcp(struct uicc *u, const struct card_file *f,
			struct apdu_resp *r)
{
	int n = card_fs_fcp(u->p.fs, f, r->data + r->len, r->cap - r->len);

	if (n < 0)
		return SW_TECHNICAL;
	r->len += (size_t)n;
	return SW_OK;
}

static uint16_t select_aid(struct uicc *u, struct uicc_channel *ch,
			   const struct apdu *c, struct apdu_resp *r)
{
	const struct card_file *f;
	uint8_t occ = c->p2 & SEL_OCCURRENCE;

	if (c->nc < 1 || c->nc > 16)
		return SW_WRONG_LENGTH;
	if (c->p2 & SEL_TERMINATE) {
		/* Ending the session of the application selected here. */
		if (ch->app == APP_NONE)
			return SW_CONDITIONS;
		uicc_channel_reset(u, ch);
		return SW_OK;
	}
	/* Every application exists once: "next" finds no other. */
	if (occ != 0x00)
		return occ == 0x02 ? SW_FILE_NOT_FOUND : SW_WRONG_P1P2;
	if (u->p.arf && arf_is_aid(c->data, c->nc)) {
		aram_session_end(&ch->aram);
		ch->app = APP_ARF;
		ch->ef = NULL;
		ch->record = 0;
		arf_select(&ch->arf, (c->p2 & SEL_RESP_MASK) != SEL_RESP_NONE ?
			   r : NULL);
		card_info("PKCS#15 (ARF) selected on channel %td", ch - u->ch);
		return SW_OK;
	}
	if (is_aram_aid(c->data, c->nc) && !u->p.no_aram) {
		aram_session_end(&ch->aram);
		ch->app = APP_ARAM;
		ch->ef = NULL;
		ch->record = 0;
		if ((c->p2 & SEL_RESP_MASK) != SEL_RESP_NONE)
			aram_select(r);
		card_info("ARA-M selected on channel %td", ch - u->ch);
		return SW_OK;
	}
	if (test_applet_is_aid(c->data, c->nc)) {
		aram_session_end(&ch->aram);
		ch->app = APP_TEST;
		ch->ef = NULL;
		ch->record = 0;
		if ((c->p2 & SEL_RESP_MASK) != SEL_RESP_NONE)
			test_applet_select(r);
		card_info("test applet selected on channel %td", ch - u->ch);
		return SW_OK;
	}
	f = card_fs_select_aid(u->p.fs, c->data, c->nc);
	if (!f)
		return SW_FILE_NOT_FOUND;
	aram_session_end(&ch->aram);
	ch->app = APP_USIM;
	ch->df = f;
	ch->ef = NULL;
	ch->record = 0;
	if ((c->p2 & SEL_RESP_MASK) == SEL_RESP_NONE)
		return SW_OK;
	return put_fcp(u, f, r);
}

uint16_t uicc_select(struct uicc *u, struct uicc_channel *ch,
		     const struct apdu *c, struct apdu_resp *r)
{
	const struct card_file *f;
	struct card_file_info info;
	uint8_t resp = c->p2 & SEL_RESP_MASK;

	if (resp == 0x08 || (c->p2 & 0xB0) ||
	    (c->p1 != SEL_AID && (c->p2 & (SEL_TERMINATE | SEL_OCCURRENCE))))
		return SW_WRONG_P1P2;
	switch (c->p1) {
	case SEL_AID:
		return select_aid(u, ch, c, r);
	case SEL_FID:
		if (c->nc == 0) {		/* no data: the MF */
			f = card_fs_mf(u->p.fs);
			break;
		}
		if (c->nc != 2)
			return SW_WRONG_LENGTH;
		f = card_fs_select_fid(u->p.fs, ch->df,
				       (uint16_t)(c->data[0] << 8 | c->data[1]));
		break;
	case SEL_PATH_MF:
	case SEL_PATH_DF:
		if (c->nc < 2 || c->nc % 2)
			return SW_WRONG_LENGTH;
		f = card_fs_select_path(u->p.fs,
					c->p1 == SEL_PATH_MF ? NULL : ch->df,
					c->data, c->nc);
		break;
	default:
		return SW_WRONG_P1P2;
	}
	if (!f)
		return SW_FILE_NOT_FOUND;
	/* A file selection leaves any applet for the file system. */
	if (ch->app == APP_ARAM || ch->app == APP_TEST) {
		aram_session_end(&ch->aram);
		ch->app = APP_NONE;
	}
	if (ch->app == APP_ARF)
		ch->app = APP_NONE;
	card_fs_info(f, &info);
	if (info.type == CARD_FILE_DF) {
		ch->df = f;
		ch->ef = NULL;
		if (info.aid)
			ch->app = APP_USIM;
		else if (f == card_fs_mf(u->p.fs))
			ch->app = APP_NONE;
	} else {
		ch->df = card_fs_parent(f);
		ch->ef = f;
	}
	ch->record = 0;
	if (resp == SEL_RESP_NONE)
		return SW_OK;
	return put_fcp(u, f, r);
}

/* STATUS (11.1.2): P1 00/01/02 says what the terminal is doing with the
 * application (nothing changes here); P2 00 FCP of the current DF, 01 its
 * DF name, 0C nothing.  The usual poll of an idle terminal. */
uint16_t uicc_status(struct uicc *u, struct uicc_channel *ch,
		     const struct apdu *c, struct apdu_resp *r)
{
	struct card_file_info info;
	uint8_t tlv[2 + 16];

	if (c->p1 > 0x02)
		return SW_WRONG_P1P2;
	if (c->nc)
		return SW_WRONG_LENGTH;
	/* The terminal's idle poll: let the proactive engine look again. */
	if (u->p.cat)
		cat_poll(u->p.cat);
	switch (c->p2) {
	case 0x0C:
		return SW_OK;
	case 0x00:
		if (ch->app == APP_ARAM) {
			aram_select(r);
			return SW_OK;
		}
		return put_fcp(u, ch->df, r);
	case 0x01:
		if (ch->app == APP_ARAM) {
			tlv[0] = 0x84;
			tlv[1] = ARAM_AID_LEN;
			memcpy(tlv + 2, aram_aid, ARAM_AID_LEN);
			apdu_put(r, tlv, 2 + ARAM_AID_LEN);
			return SW_OK;
		}
		card_fs_info(ch->df, &info);
		if (!info.aid || info.aid_len > 16)
			return SW_CONDITIONS;	/* no application selected */
		tlv[0] = 0x84;
		tlv[1] = (uint8_t)info.aid_len;
		memcpy(tlv + 2, info.aid, info.aid_len);
		apdu_put(r, tlv, 2 + info.aid_len);
		return SW_OK;
	default:
		return SW_WRONG_P1P2;
	}
}

/* The current EF, checked for the access condition named by which. */
static uint16_t current_ef(struct uicc *u, struct uicc_channel *ch,
			   bool update, struct card_file_info *info)
{
	if (!ch->ef)
		return SW_NO_EF;
	card_fs_info(ch->ef, info);
	if (!uicc_access_ok(u, update ? info->update : info->read))
		return SW_SECURITY;
	return 0;
}

/* P1 b8 set means a short file identifier; this file system has none. */
static uint16_t binary_offset(const struct apdu *c, size_t *off)
{
	if (c->p1 & 0x80)
		return SW_FILE_NOT_FOUND;
	*off = (size_t)(c->p1 << 8 | c->p2);
	return 0;
}

uint16_t uicc_read_binary(struct uicc *u, struct uicc_channel *ch,
			  const struct apdu *c, struct apdu_resp *r)
{
	struct card_file_info info;
	size_t off;
	uint16_t sw;
	int n;

	if (!c->ne || c->nc)
		return SW_WRONG_LENGTH;
	if ((sw = binary_offset(c, &off)) || (sw = current_ef(u, ch, false, &info)))
		return sw;
	if (info.type != CARD_FILE_TRANSPARENT)
		return SW_INCOMPATIBLE_FILE;
	n = card_fs_read_binary(u->p.fs, ch->ef, off, r->data + r->len,
				c->ne < r->cap - r->len ? c->ne : r->cap - r->len);
	if (n < 0)
		return fs_sw(n);
	r->len += (size_t)n;
	/* Le 00 (or 0000) means "up to the end"; a number must be met. */
	if ((size_t)n < c->ne && c->ne != 256 && c->ne != 65536)
		return SW_EOF_WARNING;
	return SW_OK;
}

uint16_t uicc_update_binary(struct uicc *u, struct uicc_channel *ch,
			    const struct apdu *c, struct apdu_resp *r)
{
	struct card_file_info info;
	size_t off;
	uint16_t sw;
	int n;

	(void)r;
	if (!c->nc || c->ne)
		return SW_WRONG_LENGTH;
	if ((sw = binary_offset(c, &off)) || (sw = current_ef(u, ch, true, &info)))
		return sw;
	if (info.type != CARD_FILE_TRANSPARENT)
		return SW_INCOMPATIBLE_FILE;
	n = card_fs_update_binary(u->p.fs, ch->ef, off, c->data, c->nc);
	return n < 0 ? fs_sw(n) : SW_OK;
}

/* The record a READ/UPDATE RECORD names; moves the record pointer for
 * next / previous (linear fixed files do not wrap around). */
static uint16_t pick_record(struct uicc_channel *ch, const struct apdu *c,
			    size_t records, size_t *rec)
{
	if (c->p2 >> 3)
		return SW_FILE_NOT_FOUND;	/* by SFI: none here */
	switch (c->p2 & 0x07) {
	case REC_ABSOLUTE:
		*rec = c->p1 ? c->p1 : ch->record;
		if (!*rec)
			return SW_RECORD_NOT_FOUND;
		break;
	case REC_NEXT:
		if (c->p1)
			return SW_WRONG_P1P2;
		*rec = ch->record + 1;
		break;
	case REC_PREVIOUS:
		if (c->p1)
			return SW_WRONG_P1P2;
		*rec = ch->record ? ch->record - 1 : records;
		break;
	default:
		return SW_WRONG_P1P2;
	}
	if (*rec < 1 || *rec > records)
		return SW_RECORD_NOT_FOUND;
	return 0;
}

uint16_t uicc_read_record(struct uicc *u, struct uicc_channel *ch,
			  const struct apdu *c, struct apdu_resp *r)
{
	struct card_file_info info;
	size_t rec = 0;
	uint16_t sw;
	int n;

	if (!c->ne || c->nc)
		return SW_WRONG_LENGTH;
	if ((sw = current_ef(u, ch, false, &info)))
		return sw;
	if (info.type != CARD_FILE_LINEAR_FIXED)
		return SW_INCOMPATIBLE_FILE;
	if ((sw = pick_record(ch, c, info.records, &rec)))
		return sw;
	if (c->ne < info.rec_len && c->ne != 256 && c->ne != 65536)
		return (uint16_t)(SW_WRONG_LE | (info.rec_len & 0xFF));
	n = card_fs_read_record(u->p.fs, ch->ef, rec, r->data + r->len,
				r->cap - r->len);
	if (n < 0)
		return fs_sw(n);
	r->len += (size_t)n;
	ch->record = rec;
	return SW_OK;
}

uint16_t uicc_update_record(struct uicc *u, struct uicc_channel *ch,
			    const struct apdu *c, struct apdu_resp *r)
{
	struct card_file_info info;
	size_t rec = 0;
	uint16_t sw;
	int n;

	(void)r;
	if (!c->nc || c->ne)
		return SW_WRONG_LENGTH;
	if ((sw = current_ef(u, ch, true, &info)))
		return sw;
	if (info.type != CARD_FILE_LINEAR_FIXED)
		return SW_INCOMPATIBLE_FILE;
	if ((sw = pick_record(ch, c, info.records, &rec)))
		return sw;
	if (c->nc != info.rec_len)
		return SW_WRONG_LENGTH;
	n = card_fs_update_record(u->p.fs, ch->ef, rec, c->data, c->nc);
	if (n < 0)
		return fs_sw(n);
	ch->record = rec;
	return SW_OK;
}
