// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * aram_reader.c - GET DATA from the ARA-M on a logical channel (see
 * aram_reader.h and the spec digest, section 5.1).
 */
#include "aram_reader.h"
#include "log.h"
#include "seac-rules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum {
	INS_MANAGE_CHANNEL = 0x70,
	INS_SELECT = 0xA4,
	INS_GET_DATA = 0xCA,
	SW_NO_DATA = 0x6A88,		/* referenced data not found: no rules */
	SW_FILE_NOT_FOUND = 0x6A82,	/* Android also takes it as "no rules" */
};

static const uint8_t aram_aid[] = {
	0xA0, 0x00, 0x00, 0x01, 0x51, 0x41, 0x43, 0x4C, 0x00
};

void aram_answer_free(struct aram_answer *a)
{
	free(a->all);
	a->all = NULL;
	a->all_len = 0;
	free(a->certs);
	a->certs = NULL;
	a->certs_len = 0;
}

/* One command; *sw is its final status word, 91xx folded into 90 00. */
static int xfer(struct aram_link *l, uint8_t cla, uint8_t ins, uint8_t p1,
		uint8_t p2, const uint8_t *data, size_t nc, size_t ne,
		struct apdu_resp *r, uint16_t *sw)
{
	int err = apdu_xfer(l->link, APDU_OTHER, cla, ins, p1, p2, data, nc,
			    ne, r);

	if (err) {
		l->dead = true;
		return err;
	}
	if (SW1(r->sw) == 0x91) {
		if (l->note)
			l->note(l->arg, r->sw);
		r->sw = SW_OK;
	}
	*sw = r->sw;
	return 0;
}

static int read_refresh(struct aram_link *l, uint8_t cla,
			struct aram_answer *out, struct apdu_resp *r,
			uint16_t *sw)
{
	int err = xfer(l, 0x80 | cla, INS_GET_DATA, 0xDF, 0x20, NULL, 0, 256,
		       r, sw);

	if (err)
		return err;
	if (*sw != SW_OK) {
		/* An ARA-M without refresh tag: read the rules every time. */
		out->has_refresh = false;
		return 0;
	}
	if (r->len != 11 || r->data[0] != 0xDF || r->data[1] != 0x20 ||
	    r->data[2] != 8)
		return -EBADMSG;
	memcpy(out->refresh, r->data + 3, 8);
	out->has_refresh = true;
	return 0;
}

/* GET DATA FF<tag2> then [Next] until the announced length: *buf, *len;
 * for FF40, "no rules" gives FF40 00; for others, any refusal gives
 * *buf NULL. */
static int read_big(struct aram_link *l, uint8_t cla, uint8_t tag2,
		    uint8_t **out_buf, size_t *out_len, struct apdu_resp *r,
		    uint16_t *sw)
{
	size_t total = 0, have = 0;
	uint8_t *buf = NULL;
	int err;
	bool first = true;

	for (;;) {
		err = xfer(l, 0x80 | cla, INS_GET_DATA, 0xFF,
			   first ? tag2 : 0x60, NULL, 0, 256, r, sw);
		if (err)
			goto fail;
		if (first && tag2 != 0x40 && *sw != SW_OK) {
			*out_buf = NULL;	/* no such extension: none */
			*out_len = 0;
			return 0;
		}
		if (first && (*sw == SW_NO_DATA || *sw == SW_FILE_NOT_FOUND)) {
			static const uint8_t none[] = { 0xFF, 0x40, 0x00 };

			buf = malloc(sizeof(none));
			if (!buf)
				return -ENOMEM;
			memcpy(buf, none, sizeof(none));
			*out_buf = buf;
			*out_len = sizeof(none);
			return 0;
		}
		if (*sw != SW_OK) {
			err = -EIO;
			goto fail;
		}
		if (first) {
			err = seac_ff_total(r->data, r->len, tag2, &total);
			if (err)
				goto fail;	/* -EAGAIN too: 256 bytes tell */
			if (total > ARAM_READ_MAX) {
				err = -E2BIG;
				goto fail;
			}
			buf = malloc(total);
			if (!buf)
				return -ENOMEM;
			first = false;
		}
		if (r->len == 0 || r->len > total - have) {
			err = -EBADMSG;		/* no progress, or too much */
			goto fail;
		}
		memcpy(buf + have, r->data, r->len);
		have += r->len;
		if (have == total)
			break;
	}
	*out_buf = buf;
	*out_len = total;
	return 0;
fail:
	free(buf);
	return err;
}

int aram_link_xfer(struct aram_link *l, uint8_t cla, uint8_t ins,
		   uint8_t p1, uint8_t p2, const uint8_t *data, size_t nc,
		   size_t ne, struct apdu_resp *r, uint16_t *sw)
{
	return xfer(l, cla, ins, p1, p2, data, nc, ne, r, sw);
}

int aram_channel_open(struct aram_link *l, uint8_t *ch, uint16_t *sw)
{
	static struct apdu_resp r;	/* 4 KiB: not on the stack */
	int err;

	*sw = 0;
	l->dead = false;
	err = xfer(l, 0x00, INS_MANAGE_CHANNEL, 0x00, 0x00, NULL, 0, 1, &r, sw);
	if (err)
		return err;
	if (*sw != SW_OK || r.len != 1 || r.data[0] == 0)
		return -EIO;
	*ch = r.data[0];
	if (*ch > 3) {
		/* Channels 4..19 need the further interindustry CLA; the pump
		 * uses the first three only. */
		return aram_channel_close(l, *ch, -EIO);
	}
	return 0;
}

int aram_channel_close(struct aram_link *l, uint8_t ch, int err)
{
	static struct apdu_resp r;
	int cerr = 0;

	if (!l->dead) {
		uint16_t csw;

		cerr = xfer(l, 0x00, INS_MANAGE_CHANNEL, 0x80, ch, NULL, 0, 0,
			    &r, &csw);
		if (!cerr && csw != SW_OK)
			log_warn("card rules: closing logical channel %u: %04X",
				 ch, csw);
	}
	return cerr && !err ? cerr : err;	/* cerr: the link failed */
}

int aram_read(struct aram_link *l, bool rules_too, struct aram_answer *out,
	      uint16_t *sw)
{
	static struct apdu_resp r;	/* 4 KiB: not on the stack */
	uint8_t ch;
	int err;

	memset(out, 0, sizeof(*out));
	err = aram_channel_open(l, &ch, sw);
	if (err)
		return err;
	err = xfer(l, ch, INS_SELECT, 0x04, 0x00, aram_aid, sizeof(aram_aid),
		   256, &r, sw);
	if (!err && *sw != SW_OK)
		err = -ENOENT;
	if (!err)
		err = read_refresh(l, ch, out, &r, sw);
	if (!err && rules_too)
		err = read_big(l, ch, 0x40, &out->all, &out->all_len, &r, sw);
	if (!err && rules_too)
		err = read_big(l, ch, 0x70, &out->certs, &out->certs_len, &r,
			       sw);
	err = aram_channel_close(l, ch, err);
	if (err)
		aram_answer_free(out);
	return err;
}
