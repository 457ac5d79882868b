// SPDX-License-Identifier: GPL-2.0
/*
 * The ARA-M's rules written as ARF files (GPD_SPE_013 chapter 7 and annex
 * C, PKCS#15 v1.1 ODF / DODF / Path), see arf.h.  DER throughout: every
 * length in its shortest form (tools/lib/ber.c writes the headers).
 */
#include "arf.h"
#include "ber.h"

#include <stdlib.h>
#include <string.h>

enum {
	FID_ODF = 0x5031,
	FID_DODF = 0x5207,
	FID_ACMAIN = 0x4200,
	FID_ACRULES = 0x4300,
	FID_ACCOND = 0x4310,	/* the first; one per SE application */
	PAD_TO = 32,		/* EFs are longer than their data */
};

/* 1.2.840.114283.200.1.1, GlobalPlatform's access control OID */
static const uint8_t gp_ac_oid[] = {
	0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x81, 0x48, 0x01, 0x01
};

struct buf {
	uint8_t *b;
	size_t n, cap;
	bool oom;
};

static void put(struct buf *o, const void *v, size_t len)
{
	if (o->oom || !len)
		return;
	if (o->n + len > o->cap) {
		size_t cap = (o->n + len) * 2;
		uint8_t *nb = realloc(o->b, cap);

		if (!nb) {
			o->oom = true;
			return;
		}
		o->b = nb;
		o->cap = cap;
	}
	memcpy(o->b + o->n, v, len);
	o->n += len;
}

static void put_tlv(struct buf *o, uint32_t tag, const void *v, size_t len)
{
	uint8_t h[8];

	put(o, h, ber_put_header(h, tag, len));
	put(o, v, len);
}

/* tag { inner }, inner freed. */
static void wrap(struct buf *o, uint32_t tag, struct buf *inner)
{
	o->oom |= inner->oom;
	put_tlv(o, tag, inner->b, inner->n);
	free(inner->b);
	*inner = (struct buf){ 0 };
}

static void put_path(struct buf *o, uint16_t fid)
{
	uint8_t p[2] = { (uint8_t)(fid >> 8), (uint8_t)fid };
	struct buf in = { 0 };

	put_tlv(&in, 0x04, p, 2);
	wrap(o, 0x30, &in);
}

/* The data become EF fid, padded with FF (an empty file stays empty:
 * "no condition" must read as an empty ACConditions). */
static int add_ef(struct arf_files *f, uint16_t fid, struct buf *data)
{
	size_t size = data->n ? (data->n + PAD_TO - 1) / PAD_TO * PAD_TO : 0;
	uint8_t *b;

	if (data->oom || f->n == ARF_EF_MAX)
		return -1;
	b = malloc(size ? size : 1);
	if (!b)
		return -1;
	if (data->n)
		memcpy(b, data->b, data->n);
	memset(b + data->n, 0xFF, size - data->n);
	f->ef[f->n++] = (struct arf_ef){ fid, b, size, data->n };
	free(data->b);
	*data = (struct buf){ 0 };
	return 0;
}

/* One REF-AR-DO, as read from the ARA-M's canonical store. */
struct rule {
	struct ber_tlv aid;	/* 4F or C0 */
	struct ber_tlv hash;	/* C1 */
	bool pkg;
	struct ber_tlv apdu, nfc;	/* tag 0: absent */
};

static bool next_rule(const uint8_t *b, size_t len, size_t *off,
		      struct rule *r)
{
	struct ber_tlv e2, e1, e3, t;

	memset(r, 0, sizeof(*r));
	if (*off >= len || !ber_read(b + *off, len - *off, &e2) ||
	    !ber_read(e2.val, e2.len, &e1) ||
	    !ber_read(e2.val + e1.size, e2.len - e1.size, &e3))
		return false;
	*off += e2.size;
	for (size_t o = 0; o < e1.len && ber_read(e1.val + o, e1.len - o, &t);
	     o += t.size) {
		if (t.tag == 0x4F || t.tag == 0xC0)
			r->aid = t;
		else if (t.tag == 0xC1)
			r->hash = t;
		else if (t.tag == 0xCA)
			r->pkg = true;
	}
	for (size_t o = 0; o < e3.len && ber_read(e3.val + o, e3.len - o, &t);
	     o += t.size) {
		if (t.tag == 0xD0)
			r->apdu = t;
		else if (t.tag == 0xD1)
			r->nfc = t;
	}
	return true;
}

static bool same_aid(const struct ber_tlv *a, const struct ber_tlv *b)
{
	return a->tag == b->tag && a->len == b->len &&
	       !memcmp(a->val, b->val, a->len);
}

static bool expressible(const struct rule *r)
{
	return r->aid.tag && !r->pkg;
}

/* Condition ::= SEQUENCE { CertHash OPTIONAL, [0] AccessRules }. */
static void put_condition(struct buf *o, const struct rule *r)
{
	struct buf c = { 0 }, rules = { 0 }, apdu = { 0 }, x = { 0 };
	uint8_t never = 0;

	if (r->hash.len)
		put_tlv(&c, 0x04, r->hash.val, r->hash.len);
	if (r->apdu.tag && r->apdu.len == 1) {
		put_tlv(&apdu, 0x80, r->apdu.val, 1);
	} else if (r->apdu.tag) {
		for (size_t i = 0; i + 8 <= r->apdu.len; i += 8)
			put_tlv(&x, 0x04, r->apdu.val + i, 8);
		wrap(&apdu, 0xA1, &x);
	} else {
		put_tlv(&apdu, 0x80, &never, 1);	/* v1.1: NEVER */
	}
	wrap(&rules, 0xA0, &apdu);
	if (r->nfc.tag) {
		put_tlv(&x, 0x80, r->nfc.val, r->nfc.len);
		wrap(&rules, 0xA1, &x);
	}
	wrap(&c, 0xA0, &rules);
	wrap(o, 0x30, &c);
}

static void put_odf(struct arf_files *f)
{
	struct buf odf = { 0 }, in = { 0 };

	put_path(&in, FID_DODF);
	wrap(&odf, 0xA7, &in);
	add_ef(f, FID_ODF, &odf);
}

static void put_odf_dodf_acmain(struct arf_files *f, const uint8_t *tag)
{
	static const char label[] = "GP SE Acc Ctl";
	struct buf dodf = { 0 }, acmain = { 0 }, in = { 0 };
	struct buf oid = { 0 }, obj = { 0 };

	put_odf(f);

	put_tlv(&obj, 0x30, NULL, 0);			/* common object */
	put_tlv(&in, 0x0C, label, sizeof(label) - 1);	/* common data */
	wrap(&obj, 0x30, &in);
	put_tlv(&oid, 0x06, gp_ac_oid, sizeof(gp_ac_oid));
	put_path(&oid, FID_ACMAIN);
	wrap(&in, 0x30, &oid);
	wrap(&obj, 0xA1, &in);
	wrap(&dodf, 0xA1, &obj);
	add_ef(f, FID_DODF, &dodf);

	put_tlv(&in, 0x04, tag, 8);
	put_path(&in, FID_ACRULES);
	wrap(&acmain, 0x30, &in);
	add_ef(f, FID_ACMAIN, &acmain);
}

int arf_files_build(const uint8_t *rules, size_t len,
		    const uint8_t refresh[8], bool corrupt,
		    struct arf_files *out)
{
	struct buf acrules = { 0 };
	struct rule r, s;
	size_t off = 0;
	uint16_t fid = FID_ACCOND;

	memset(out, 0, sizeof(*out));
	put_odf_dodf_acmain(out, refresh);
	/* One ACRules entry and one ACConditions file per SE application,
	 * in the order the applications first appear. */
	for (size_t start = 0; next_rule(rules, len, &off, &r); start = off) {
		struct buf entry = { 0 }, aid = { 0 }, cond = { 0 };
		size_t o2 = 0;
		bool seen = false;

		if (!expressible(&r)) {
			out->skipped++;
			continue;
		}
		while (next_rule(rules, start, &o2, &s))
			seen |= expressible(&s) && same_aid(&s.aid, &r.aid);
		if (seen)
			continue;	/* its application has its file */
		o2 = 0;
		while (next_rule(rules, len, &o2, &s))
			if (expressible(&s) && same_aid(&s.aid, &r.aid))
				put_condition(&cond, &s);
		if (r.aid.tag == 0xC0) {
			put_tlv(&entry, 0x81, NULL, 0);
		} else if (!r.aid.len) {
			put_tlv(&entry, 0x82, NULL, 0);
		} else {
			put_tlv(&aid, 0x04, r.aid.val, r.aid.len);
			wrap(&entry, 0xA0, &aid);
		}
		put_path(&entry, fid);
		wrap(&acrules, 0x30, &entry);
		if (add_ef(out, fid++, &cond))
			goto fail;
	}
	if (corrupt && acrules.n)
		acrules.b[0] = 0x31;	/* TEST TOOLING: not a SEQUENCE */
	else if (corrupt)
		put_tlv(&acrules, 0x31, NULL, 0);
	if (add_ef(out, FID_ACRULES, &acrules) || out->n < 4)
		goto fail;
	return 0;
fail:
	free(acrules.b);
	arf_files_free(out);
	return -1;
}

void arf_files_free(struct arf_files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->ef[i].data);
	f->n = 0;
}

int arf_files_build_bare(struct arf_files *out)
{
	struct buf dodf = { 0 };

	memset(out, 0, sizeof(*out));
	put_odf(out);
	if (out->n != 1 || add_ef(out, FID_DODF, &dodf)) {
		arf_files_free(out);
		return -1;
	}
	return 0;
}

static struct arf_ef *find_ef(struct arf_files *f, uint16_t fid)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->ef[i].fid == fid)
			return &f->ef[i];
	return NULL;
}

int arf_files_add_object(struct arf_files *f, const struct arf_object *obj)
{
	struct arf_ef *dodf = find_ef(f, FID_DODF);
	struct buf d = { 0 }, e = { 0 };

	if (!dodf || find_ef(f, obj->fid) || f->n + 2 > ARF_EF_MAX)
		return -1;
	put(&d, dodf->data, dodf->len);
	put(&d, obj->dodf_entry, obj->dodf_len);
	put(&e, obj->data, obj->len);
	if (d.oom || e.oom || add_ef(f, obj->fid, &e)) {
		free(d.b);
		free(e.b);
		return -1;
	}
	/* The DODF again, longer: add_ef appends, so move it into place. */
	if (add_ef(f, FID_DODF, &d)) {
		free(d.b);
		return -1;
	}
	dodf = find_ef(f, FID_DODF);
	free(dodf->data);
	*dodf = f->ef[--f->n];
	return 0;
}
