// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * arf_reader.c - the ARF files read on a logical channel (see
 * arf_reader.h and the spec digest, section 5.4).
 */
#include "arf_reader.h"
#include "ber.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	INS_SELECT = 0xA4,
	INS_READ_BINARY = 0xB0,
	INS_READ_RECORD = 0xB2,
	REC_ABSOLUTE = 0x04,
	SEL_FID = 0x00,
	SEL_AID = 0x04,
	SEL_PATH_MF = 0x08,
	SEL_FCP = 0x04,		/* P2: answer with the FCP template */
	SEL_NONE = 0x0C,	/* P2: no answer data */
	SW_FILE_NOT_FOUND = 0x6A82,
	SW_EOF = 0x6282,	/* end of file reached before Le bytes */
	SW_WRONG_OFFSET = 0x6B00,
	SW_RECORD_NOT_FOUND = 0x6A83,
	READ_CHUNK = 256,	/* Le 00: the most a short APDU answers */
};

/* What the walk's read callback needs. */
struct arf_card {
	struct aram_link *l;
	uint8_t ch;
	const uint8_t *aid;	/* the application selected, or NULL: */
	struct arf_path dir;	/* ... its DF's path from the MF (EF.DIR) */
	bool at_app;		/* its DF is the current DF */
	struct apdu_resp r;
	uint16_t sw;		/* the status word a refusal came with */
};

/* Whether a SELECT or READ went through (62xx/63xx are warnings). */
static bool sw_ok(uint16_t sw)
{
	return sw == SW_OK || SW1(sw) == 0x62 || SW1(sw) == 0x63;
}

static int cmd(struct arf_card *c, uint8_t ins, uint8_t p1, uint8_t p2,
	       const uint8_t *data, size_t nc, size_t ne)
{
	return aram_link_xfer(c->l, c->ch, ins, p1, p2, data, nc, ne, &c->r,
			      &c->sw);
}

static int select_app(struct arf_card *c, const uint8_t *aid, uint8_t p2)
{
	int err = cmd(c, INS_SELECT, SEL_AID, p2, aid, sizeof(arf_pkcs15_aid),
		      p2 == SEL_NONE ? 0 : 256);

	if (err)
		return err;
	if (!sw_ok(c->sw))
		return -ENOENT;
	c->aid = aid;
	c->at_app = true;
	return 0;
}

/* SELECT by path from the MF (P1 08: the path without 3F00). */
static int select_path(struct arf_card *c, const uint8_t *p, size_t len,
		       uint8_t p2)
{
	int err = cmd(c, INS_SELECT, SEL_PATH_MF, p2, p, len,
		      p2 == SEL_NONE ? 0 : 256);

	if (!err && !sw_ok(c->sw))
		err = c->sw == SW_FILE_NOT_FOUND ? -ENOENT : -EIO;
	return err;
}

/* The application's DF again after a path through another DF. */
static int reselect(struct arf_card *c)
{
	int err = c->aid ? select_app(c, c->aid, SEL_NONE)
			 : select_path(c, c->dir.b, c->dir.len, SEL_NONE);

	if (!err)
		c->at_app = true;
	return err == -ENOENT ? -EIO : err;
}

/* The file size from an FCP template (62 {.. 80 size ..}); 0 if it has
 * none (then read until the card says the end is reached). */
static size_t fcp_size(const uint8_t *b, size_t len, bool *known)
{
	struct ber_tlv fcp, t;
	size_t size = 0;

	*known = false;
	if (!ber_read(b, len, &fcp) || fcp.tag != 0x62)
		return 0;
	for (size_t off = 0; off < fcp.len; off += t.size) {
		if (!ber_read(fcp.val + off, fcp.len - off, &t))
			return 0;
		if (t.tag != 0x80 || t.len < 1 || t.len > 4)
			continue;
		for (size_t i = 0; i < t.len; i++)
			size = size << 8 | t.val[i];
		*known = true;
		return size;
	}
	return 0;
}

/* SELECT the EF at p; on success c->r holds the last FCP. */
static int select_file(struct arf_card *c, const struct arf_path *p)
{
	bool absolute = p->len >= 2 && p->b[0] == 0x3F && p->b[1] == 0x00;
	int err;

	if (absolute) {
		if (p->len == 2)
			return -ENOENT;		/* the MF is no EF */
		c->at_app = false;
		return select_path(c, p->b + 2, p->len - 2, SEL_FCP);
	}
	if (!c->at_app) {
		err = reselect(c);
		if (err)
			return err;
	}
	for (size_t i = 0; i < p->len; i += 2) {
		err = cmd(c, INS_SELECT, SEL_FID, SEL_FCP, p->b + i, 2, 256);
		if (err)
			return err;
		if (!sw_ok(c->sw))
			return c->sw == SW_FILE_NOT_FOUND ? -ENOENT : -EIO;
	}
	if (p->len > 2)
		c->at_app = false;	/* a DF on the way is current now */
	return 0;
}

static int read_file(void *arg, const struct arf_path *p, uint8_t **data,
		     size_t *len)
{
	struct arf_card *c = arg;
	size_t size, have = 0;
	uint8_t *buf;
	bool known;
	int err = select_file(c, p);

	if (err)
		return err;
	size = fcp_size(c->r.data, c->r.len, &known);
	if (!known)
		size = ARF_FILE_MAX;	/* to the end the card reports */
	else if (size > ARF_FILE_MAX)
		return -EFBIG;
	buf = malloc(size ? size : 1);
	if (!buf)
		return -ENOMEM;
	while (have < size) {
		size_t want = size - have < READ_CHUNK ? size - have
						       : READ_CHUNK;

		err = cmd(c, INS_READ_BINARY, (uint8_t)(have >> 8),
			  (uint8_t)have, NULL, 0, want);
		if (err)
			goto fail;
		if (!known && (c->sw == SW_WRONG_OFFSET || c->r.len == 0))
			break;			/* past the end */
		if (!sw_ok(c->sw) || c->r.len > want) {
			err = -EIO;
			goto fail;
		}
		memcpy(buf + have, c->r.data, c->r.len);
		have += c->r.len;
		if (c->r.len < want) {
			if (known) {
				err = -EIO;	/* shorter than its FCP */
				goto fail;
			}
			break;
		}
	}
	if (!known && have == ARF_FILE_MAX) {
		err = -EFBIG;
		goto fail;
	}
	*data = buf;
	*len = have;
	return 0;
fail:
	free(buf);
	return err;
}

/*
 * A card that does not select the PKCS#15 application by AID may still
 * list it in EF.DIR (2F00, linear fixed, under the MF where a new channel
 * starts) with the path of its DF, as Android also looks it up.
 */
static int select_by_dir(struct arf_card *c)
{
	static const uint8_t ef_dir[] = { 0x2F, 0x00 };
	struct ber_tlv fcp, t;
	size_t rec_len = 0, recs = 0;
	int err = cmd(c, INS_SELECT, SEL_FID, SEL_FCP, ef_dir, 2, 256);

	if (err)
		return err;
	if (!sw_ok(c->sw) || !ber_read(c->r.data, c->r.len, &fcp) ||
	    fcp.tag != 0x62)
		return -ENOENT;
	for (size_t off = 0; off < fcp.len; off += t.size) {
		if (!ber_read(fcp.val + off, fcp.len - off, &t))
			return -ENOENT;
		/* 82 05 42 21 <record length: 2 bytes> <records> */
		if (t.tag == 0x82 && t.len == 5 && (t.val[0] & 0x07) == 2) {
			rec_len = (size_t)t.val[2] << 8 | t.val[3];
			recs = t.val[4];
		}
	}
	if (!rec_len || rec_len > 255)
		return -ENOENT;
	for (size_t rec = 1; rec <= recs; rec++) {
		err = cmd(c, INS_READ_RECORD, (uint8_t)rec, REC_ABSOLUTE, NULL,
			  0, rec_len);
		if (err)
			return err;
		if (c->sw == SW_RECORD_NOT_FOUND)
			break;
		if (!sw_ok(c->sw))
			return -EIO;
		if (arf_dir_record(c->r.data, c->r.len, &c->dir))
			continue;	/* another application's, or bad */
		/* The path from the MF, with or without 3F00 first. */
		if (c->dir.b[0] == 0x3F && c->dir.b[1] == 0x00) {
			memmove(c->dir.b, c->dir.b + 2, c->dir.len - 2);
			c->dir.len -= 2;
		}
		if (!c->dir.len)
			return -ENOENT;
		err = select_path(c, c->dir.b, c->dir.len, SEL_FCP);
		if (!err) {
			c->aid = NULL;
			c->at_app = true;
		}
		return err;
	}
	return -ENOENT;
}

int arf_read(struct aram_link *l, bool rules_too, struct arf_answer *out,
	     uint16_t *sw, char *why, size_t why_len)
{
	struct arf_card *c = calloc(1, sizeof(*c));	/* 4 KiB answer */
	int err;

	memset(out, 0, sizeof(*out));
	if (why_len)
		why[0] = '\0';
	if (!c)
		return -ENOMEM;
	c->l = l;
	err = aram_channel_open(l, &c->ch, sw);
	if (err) {
		free(c);
		return err;
	}
	err = select_app(c, arf_pkcs15_aid, SEL_FCP);
	if (err == -ENOENT)
		err = select_app(c, arf_gpac_aid, SEL_FCP);
	if (err == -ENOENT)
		err = select_by_dir(c);
	if (err == -ENOENT)
		snprintf(why, why_len, "no PKCS#15 application (SELECT by "
			 "AID, EF.DIR)");
	if (!err && rules_too) {
		err = arf_read_rules(read_file, c, &out->rules, out->refresh,
				     &out->has_refresh, why, why_len);
	} else if (!err) {
		err = arf_read_refresh(read_file, c, out->refresh, why,
				       why_len);
		out->has_refresh = !err;
	}
	if (err == -EIO && why_len && !why[0])
		snprintf(why, why_len, "the card answered %04X", c->sw);
	*sw = c->sw;
	err = aram_channel_close(l, c->ch, err);
	free(c);
	if (err)
		seac_rules_free(&out->rules);
	return err;
}
