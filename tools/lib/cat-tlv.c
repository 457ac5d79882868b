// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cat-tlv.c - the CAT / BIP TLV codec.  See cat-tlv.h for the rules.
 */
#include "cat-tlv.h"

#include <string.h>

#define TAG_WIDE 0x7F		/* first byte of a three-byte tag */
#define TAG_CR 0x80
#define TAG_MAX_SHORT 0x7E
#define LEN_MAX 0xFFFF
#define BER_LEN_ROOM 3		/* 82 hh ll */

const char *cat_tlv_strerror(int err)
{
	switch (err) {
	case CAT_TLV_OK:
		return "ok";
	case CAT_TLV_ETRUNC:
		return "truncated TLV";
	case CAT_TLV_EBADTAG:
		return "invalid tag";
	case CAT_TLV_EBADLEN:
		return "invalid or non-minimal length";
	case CAT_TLV_ETRAILING:
		return "bytes after the template";
	case CAT_TLV_ETOOMANY:
		return "too many objects";
	case CAT_TLV_EBADVAL:
		return "malformed object value";
	case CAT_TLV_EMISSING:
		return "mandatory object missing";
	}
	return "unknown TLV error";
}

/* ---- decoding ---- */

int cat_len_decode(const uint8_t *buf, size_t avail, size_t *len,
		   size_t *used)
{
	if (avail < 1)
		return CAT_TLV_ETRUNC;
	if (buf[0] < 0x80) {
		*len = buf[0];
		*used = 1;
		return CAT_TLV_OK;
	}
	if (buf[0] == 0x81) {
		if (avail < 2)
			return CAT_TLV_ETRUNC;
		if (buf[1] < 0x80)
			return CAT_TLV_EBADLEN;
		*len = buf[1];
		*used = 2;
		return CAT_TLV_OK;
	}
	if (buf[0] == 0x82) {
		if (avail < 3)
			return CAT_TLV_ETRUNC;
		*len = (size_t)buf[1] << 8 | buf[2];
		if (*len < 0x100)
			return CAT_TLV_EBADLEN;
		*used = 3;
		return CAT_TLV_OK;
	}
	return CAT_TLV_EBADLEN;
}

static int tag_decode(const uint8_t *p, size_t avail, struct cat_tlv *t,
		      size_t *used)
{
	if (avail < 1)
		return CAT_TLV_ETRUNC;
	if (p[0] == 0x00 || p[0] == 0x80 || p[0] == 0xFF)
		return CAT_TLV_EBADTAG;
	if (p[0] != TAG_WIDE) {
		t->tag = p[0] & 0x7F;
		t->cr = p[0] & TAG_CR;
		t->wide = false;
		*used = 1;
		return CAT_TLV_OK;
	}
	if (avail < 3)
		return CAT_TLV_ETRUNC;
	t->tag = (uint16_t)((p[1] & 0x7F) << 8 | p[2]);
	t->cr = p[1] & TAG_CR;
	t->wide = true;
	if (t->tag == 0)
		return CAT_TLV_EBADTAG;
	*used = 3;
	return CAT_TLV_OK;
}

void cat_tlv_reader_init(struct cat_tlv_reader *r, const uint8_t *buf,
			 size_t len)
{
	r->p = buf;
	r->left = buf ? len : 0;
	r->err = CAT_TLV_OK;
}

int cat_tlv_next(struct cat_tlv_reader *r, struct cat_tlv *t)
{
	size_t tag_used, len_used, vlen;
	int err;

	if (r->err)
		return r->err;
	if (r->left == 0)
		return 0;
	err = tag_decode(r->p, r->left, t, &tag_used);
	if (!err)
		err = cat_len_decode(r->p + tag_used, r->left - tag_used,
				     &vlen, &len_used);
	if (!err && vlen > r->left - tag_used - len_used)
		err = CAT_TLV_ETRUNC;
	if (err) {
		r->err = err;
		return err;
	}
	t->val = r->p + tag_used + len_used;
	t->len = vlen;
	r->p += tag_used + len_used + vlen;
	r->left -= tag_used + len_used + vlen;
	return 1;
}

int cat_ber_decode(const uint8_t *buf, size_t len, uint8_t *tag,
		   const uint8_t **val, size_t *vlen)
{
	size_t used;
	int err;

	if (!buf || len < 1)
		return CAT_TLV_ETRUNC;
	/* Template tags are single-byte; low bits 11111 would start a
	 * multi-byte BER tag, which no CAT template uses. */
	if (buf[0] == 0x00 || buf[0] == 0xFF || (buf[0] & 0x1F) == 0x1F)
		return CAT_TLV_EBADTAG;
	err = cat_len_decode(buf + 1, len - 1, vlen, &used);
	if (err)
		return err;
	if (*vlen > len - 1 - used)
		return CAT_TLV_ETRUNC;
	if (*vlen < len - 1 - used)
		return CAT_TLV_ETRAILING;
	*tag = buf[0];
	*val = buf + 1 + used;
	return CAT_TLV_OK;
}

int cat_msg_parse_list(struct cat_msg *m, const uint8_t *buf, size_t len)
{
	struct cat_tlv_reader r;
	struct cat_tlv t;
	int ret;

	m->ber_tag = 0;
	m->n = 0;
	cat_tlv_reader_init(&r, buf, len);
	while ((ret = cat_tlv_next(&r, &t)) > 0) {
		if (m->n == CAT_MSG_MAX)
			return CAT_TLV_ETOOMANY;
		m->tlv[m->n++] = t;
	}
	return ret;
}

int cat_msg_parse(struct cat_msg *m, const uint8_t *buf, size_t len)
{
	const uint8_t *val;
	size_t vlen;
	uint8_t tag;
	int err;

	m->ber_tag = 0;
	m->n = 0;
	err = cat_ber_decode(buf, len, &tag, &val, &vlen);
	if (err)
		return err;
	err = cat_msg_parse_list(m, val, vlen);
	m->ber_tag = tag;
	return err;
}

const struct cat_tlv *cat_msg_find(const struct cat_msg *m, uint16_t tag,
				   size_t nth)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->tlv[i].tag == tag && nth-- == 0)
			return &m->tlv[i];
	return NULL;
}

int cat_msg_index(const struct cat_msg *m, const struct cat_tlv *t)
{
	if (t < m->tlv || t >= m->tlv + m->n)
		return -1;
	return (int)(t - m->tlv);
}

/* ---- encoding ---- */

void cat_writer_init(struct cat_writer *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf ? cap : 0;
	w->len = 0;
	w->overflow = false;
}

void cat_put_bytes(struct cat_writer *w, const void *data, size_t n)
{
	if (w->overflow)
		return;
	if (n > w->cap - w->len) {
		w->overflow = true;
		return;
	}
	if (n)
		memcpy(w->buf + w->len, data, n);
	w->len += n;
}

size_t cat_len_size(size_t len)
{
	if (len < 0x80)
		return 1;
	if (len <= 0xFF)
		return 2;
	if (len <= LEN_MAX)
		return 3;
	return 0;
}

static size_t len_encode(uint8_t out[BER_LEN_ROOM], size_t len)
{
	switch (cat_len_size(len)) {
	case 1:
		out[0] = (uint8_t)len;
		return 1;
	case 2:
		out[0] = 0x81;
		out[1] = (uint8_t)len;
		return 2;
	case 3:
		out[0] = 0x82;
		out[1] = (uint8_t)(len >> 8);
		out[2] = (uint8_t)len;
		return 3;
	}
	return 0;
}

void cat_put_len(struct cat_writer *w, size_t len)
{
	uint8_t field[BER_LEN_ROOM];
	size_t n = len_encode(field, len);

	if (!n)
		w->overflow = true;
	else
		cat_put_bytes(w, field, n);
}

static void put_tag(struct cat_writer *w, uint16_t tag, bool cr, bool wide)
{
	uint8_t b[3];

	if (tag == 0 || tag > 0x7FFF || (!wide && tag > TAG_MAX_SHORT)) {
		w->overflow = true;	/* not codable */
		return;
	}
	if (!wide) {
		b[0] = (uint8_t)(tag | (cr ? TAG_CR : 0));
		cat_put_bytes(w, b, 1);
		return;
	}
	b[0] = TAG_WIDE;
	b[1] = (uint8_t)((tag >> 8) | (cr ? TAG_CR : 0));
	b[2] = (uint8_t)tag;
	cat_put_bytes(w, b, 3);
}

void cat_put(struct cat_writer *w, const struct cat_tlv *t)
{
	put_tag(w, t->tag, t->cr, t->wide);
	cat_put_len(w, t->len);
	cat_put_bytes(w, t->val, t->len);
}

void cat_put_tlv(struct cat_writer *w, uint16_t tag, const void *val,
		 size_t len)
{
	put_tag(w, tag, true, tag > TAG_MAX_SHORT);
	cat_put_len(w, len);
	cat_put_bytes(w, val, len);
}

size_t cat_ber_open(struct cat_writer *w, uint8_t tag)
{
	const uint8_t head[2] = { tag, 0x00 };

	cat_put_bytes(w, head, sizeof(head));
	return w->len;
}

void cat_ber_close(struct cat_writer *w, size_t mark)
{
	uint8_t field[BER_LEN_ROOM];
	size_t vlen, n;

	if (w->overflow || mark < 2 || mark > w->len)
		return;
	vlen = w->len - mark;
	n = len_encode(field, vlen);
	/* The open left room for a one-byte length; a longer one moves the
	 * value up, which must still fit. */
	if (!n || n - 1 > w->cap - w->len) {
		w->overflow = true;
		return;
	}
	memmove(w->buf + mark + n - 1, w->buf + mark, vlen);
	memcpy(w->buf + mark - 1, field, n);
	w->len += n - 1;
}

/* ---- BIP objects ---- */

int cat_get_cmd_details(const struct cat_tlv *t, struct cat_cmd_details *d)
{
	if (t->len != 3)
		return CAT_TLV_EBADVAL;
	d->number = t->val[0];
	d->type = t->val[1];
	d->qualifier = t->val[2];
	return CAT_TLV_OK;
}

void cat_put_cmd_details(struct cat_writer *w,
			 const struct cat_cmd_details *d)
{
	const uint8_t v[3] = { d->number, d->type, d->qualifier };

	cat_put_tlv(w, CAT_TAG_CMD_DETAILS, v, sizeof(v));
}

int cat_get_devices(const struct cat_tlv *t, struct cat_devices *d)
{
	if (t->len != 2)
		return CAT_TLV_EBADVAL;
	d->src = t->val[0];
	d->dst = t->val[1];
	return CAT_TLV_OK;
}

void cat_put_devices(struct cat_writer *w, uint8_t src, uint8_t dst)
{
	const uint8_t v[2] = { src, dst };

	cat_put_tlv(w, CAT_TAG_DEVICES, v, sizeof(v));
}

int cat_get_result(const struct cat_tlv *t, struct cat_result *r)
{
	if (t->len < 1)
		return CAT_TLV_EBADVAL;
	r->general = t->val[0];
	r->info = t->val + 1;
	r->info_len = t->len - 1;
	return CAT_TLV_OK;
}

void cat_put_result(struct cat_writer *w, uint8_t general,
		    const uint8_t *info, size_t info_len)
{
	if (info_len > LEN_MAX - 1) {
		w->overflow = true;
		return;
	}
	put_tag(w, CAT_TAG_RESULT, true, false);
	cat_put_len(w, 1 + info_len);
	cat_put_bytes(w, &general, 1);
	cat_put_bytes(w, info, info_len);
}

uint8_t cat_result_cause(const struct cat_result *r, uint8_t fallback)
{
	return r->info_len ? r->info[0] : fallback;
}

int cat_get_channel_data(const struct cat_tlv *t, const uint8_t **data,
			 size_t *len)
{
	*data = t->val;
	*len = t->len;
	return CAT_TLV_OK;
}

void cat_put_channel_data(struct cat_writer *w, const uint8_t *data,
			  size_t len)
{
	cat_put_tlv(w, CAT_TAG_CHANNEL_DATA, data, len);
}

int cat_get_channel_data_len(const struct cat_tlv *t, uint8_t *n)
{
	if (t->len != 1)
		return CAT_TLV_EBADVAL;
	*n = t->val[0];
	return CAT_TLV_OK;
}

void cat_put_channel_data_len(struct cat_writer *w, uint8_t n)
{
	cat_put_tlv(w, CAT_TAG_CHANNEL_DATA_LEN, &n, 1);
}

int cat_get_channel_status(const struct cat_tlv *t,
			   struct cat_channel_status *cs)
{
	if (t->len != 2)
		return CAT_TLV_EBADVAL;
	cs->id = t->val[0] & 0x07;
	cs->state = t->val[0] >> 6;
	cs->info = t->val[1];
	return CAT_TLV_OK;
}

void cat_put_channel_status(struct cat_writer *w,
			    const struct cat_channel_status *cs)
{
	const uint8_t v[2] = {
		(uint8_t)((cs->state & 0x03) << 6 | (cs->id & 0x07)),
		cs->info,
	};

	cat_put_tlv(w, CAT_TAG_CHANNEL_STATUS, v, sizeof(v));
}

int cat_get_buffer_size(const struct cat_tlv *t, uint16_t *size)
{
	if (t->len != 2)
		return CAT_TLV_EBADVAL;
	*size = (uint16_t)(t->val[0] << 8 | t->val[1]);
	return CAT_TLV_OK;
}

void cat_put_buffer_size(struct cat_writer *w, uint16_t size)
{
	const uint8_t v[2] = { (uint8_t)(size >> 8), (uint8_t)size };

	cat_put_tlv(w, CAT_TAG_BUFFER_SIZE, v, sizeof(v));
}

int cat_get_transport(const struct cat_tlv *t, struct cat_transport *tr)
{
	if (t->len != 1 && t->len != 3)
		return CAT_TLV_EBADVAL;
	tr->proto = t->val[0];
	tr->has_port = t->len == 3;
	tr->port = tr->has_port ? (uint16_t)(t->val[1] << 8 | t->val[2]) : 0;
	return CAT_TLV_OK;
}

void cat_put_transport(struct cat_writer *w, const struct cat_transport *tr)
{
	const uint8_t v[3] = {
		tr->proto, (uint8_t)(tr->port >> 8), (uint8_t)tr->port,
	};

	cat_put_tlv(w, CAT_TAG_TRANSPORT, v, tr->has_port ? 3 : 1);
}

static int address_size(uint8_t type)
{
	switch (type) {
	case CAT_ADDR_IPV4:
		return 4;
	case CAT_ADDR_IPV6:
		return 16;
	}
	return -1;
}

int cat_get_other_address(const struct cat_tlv *t, struct cat_address *a)
{
	memset(a, 0, sizeof(*a));
	if (t->len == 0)
		return CAT_TLV_OK;
	if (address_size(t->val[0]) != (int)t->len - 1)
		return CAT_TLV_EBADVAL;
	a->type = t->val[0];
	a->len = (uint8_t)(t->len - 1);
	memcpy(a->addr, t->val + 1, a->len);
	return CAT_TLV_OK;
}

void cat_put_other_address(struct cat_writer *w, const struct cat_address *a)
{
	uint8_t v[1 + sizeof(a->addr)];

	if (a->len == 0 && a->type == 0) {
		cat_put_tlv(w, CAT_TAG_OTHER_ADDR, NULL, 0);
		return;
	}
	if (address_size(a->type) != a->len) {
		w->overflow = true;	/* not codable */
		return;
	}
	v[0] = a->type;
	memcpy(v + 1, a->addr, a->len);
	cat_put_tlv(w, CAT_TAG_OTHER_ADDR, v, 1 + (size_t)a->len);
}

int cat_get_event_list(const struct cat_tlv *t, const uint8_t **events,
		       size_t *n)
{
	*events = t->val;
	*n = t->len;
	return CAT_TLV_OK;
}

void cat_put_event_list(struct cat_writer *w, const uint8_t *events,
			size_t n)
{
	cat_put_tlv(w, CAT_TAG_EVENT_LIST, events, n);
}

int cat_get_bearer(const struct cat_tlv *t, struct cat_bearer *b)
{
	if (t->len < 1)
		return CAT_TLV_EBADVAL;
	b->type = t->val[0];
	b->params = t->val + 1;
	b->params_len = t->len - 1;
	return CAT_TLV_OK;
}

void cat_put_bearer(struct cat_writer *w, uint8_t type,
		    const uint8_t *params, size_t params_len)
{
	if (params_len > LEN_MAX - 1) {
		w->overflow = true;
		return;
	}
	put_tag(w, CAT_TAG_BEARER, true, false);
	cat_put_len(w, 1 + params_len);
	cat_put_bytes(w, &type, 1);
	cat_put_bytes(w, params, params_len);
}

int cat_get_service_record(const struct cat_tlv *t,
			   struct cat_service_record *r)
{
	if (t->len < 2)
		return CAT_TLV_EBADVAL;
	r->bearer = t->val[0];
	r->service_id = t->val[1];
	r->record = t->val + 2;
	r->record_len = t->len - 2;
	return CAT_TLV_OK;
}

void cat_put_service_record(struct cat_writer *w, uint8_t bearer,
			    uint8_t service_id, const uint8_t *record,
			    size_t record_len)
{
	const uint8_t head[2] = { bearer, service_id };

	if (record_len > LEN_MAX - 2) {
		w->overflow = true;
		return;
	}
	put_tag(w, CAT_TAG_SERVICE_RECORD, true, false);
	cat_put_len(w, 2 + record_len);
	cat_put_bytes(w, head, 2);
	cat_put_bytes(w, record, record_len);
}
