// SPDX-License-Identifier: GPL-2.0
/*
 * ARA-M rules in memory (GPD_SPE_013 v1.1 chapter 5 and 6, Android's
 * carrier-privilege extensions).  Every object is checked strictly before
 * anything changes, so a malformed or truncated STORE DATA leaves the
 * rules as they were and the stored set is always canonical: equal rules
 * have equal bytes, which is what the conflict and delete checks compare.
 */
#include "aram.h"
#include "ber.h"

#include <stdlib.h>
#include <string.h>

enum {
	TAG_AID_REF = 0x4F,
	TAG_AID_DEFAULT = 0xC0,	/* the default selected application */
	TAG_HASH_REF = 0xC1,	/* device application certificate hash */
	TAG_PKG_REF = 0xCA,	/* Android package name */
	TAG_APDU_AR = 0xD0,
	TAG_NFC_AR = 0xD1,
	TAG_PERM_AR = 0xDB,	/* Android carrier-privilege permissions */
	TAG_REF_DO = 0xE1,
	TAG_REF_AR_DO = 0xE2,
	TAG_AR_DO = 0xE3,
	TAG_BLOCK_DO = 0xE7,
	TAG_CMD_STORE = 0xF0,
	TAG_CMD_DELETE = 0xF1,
	TAG_CMD_REFRESH = 0xF2,
	TAG_CMD_GET = 0xF3,	/* F3..F8: GET / client AIDs / config */
	TAG_CMD_DEVICE_CONFIG = 0xF8,
};

static bool aid_ref_ok(const struct ber_tlv *t)
{
	if (t->tag == TAG_AID_DEFAULT)
		return t->len == 0;
	return t->tag == TAG_AID_REF &&
	       (t->len == 0 || (t->len >= 5 && t->len <= 16));
}

/* REF-DO value: AID-REF (4F or C0), DeviceAppID-REF (C1), optional PKG. */
static bool ref_do_ok(const uint8_t *v, size_t len)
{
	struct ber_tlv t;

	if (!ber_read(v, len, &t) || !aid_ref_ok(&t))
		return false;
	v += t.size;
	len -= t.size;
	if (!ber_read(v, len, &t) || t.tag != TAG_HASH_REF ||
	    (t.len != 0 && t.len != 20 && t.len != 32))
		return false;
	v += t.size;
	len -= t.size;
	if (len == 0)
		return true;
	if (!ber_read(v, len, &t) || t.tag != TAG_PKG_REF || t.len == 0 ||
	    t.len > 127 || t.size != len)
		return false;
	for (size_t i = 0; i < t.len; i++)
		if (t.val[i] < 0x21 || t.val[i] > 0x7E)
			return false;
	return true;
}

/* AR-DO value: APDU, NFC and permission rules, each at most once. */
static bool ar_do_ok(const uint8_t *v, size_t len)
{
	bool seen_apdu = false, seen_nfc = false, seen_perm = false;
	struct ber_tlv t;

	if (len == 0)
		return false;
	for (; len; v += t.size, len -= t.size) {
		if (!ber_read(v, len, &t))
			return false;
		switch (t.tag) {
		case TAG_APDU_AR:
			/* 00 never, 01 always, or 8-byte header+mask filters */
			if (seen_apdu || t.len == 0 ||
			    (t.len == 1 ? t.val[0] > 1 : t.len % 8 != 0))
				return false;
			seen_apdu = true;
			break;
		case TAG_NFC_AR:
			if (seen_nfc || t.len != 1 || t.val[0] > 1)
				return false;
			seen_nfc = true;
			break;
		case TAG_PERM_AR:
			if (seen_perm || t.len != 8)
				return false;
			seen_perm = true;
			break;
		default:
			return false;
		}
	}
	return true;
}

static bool tlv_is(const struct ber_tlv *t, uint32_t tag)
{
	return t->tag == tag;
}

/* One REF-AR-DO TLV (E2 { E1, E3 }); *ref gets the E1 TLV. */
static bool ref_ar_do_ok(const struct ber_tlv *e2, struct ber_tlv *ref,
			 struct ber_tlv *ar)
{
	if (!tlv_is(e2, TAG_REF_AR_DO) ||
	    !ber_read(e2->val, e2->len, ref) || !tlv_is(ref, TAG_REF_DO) ||
	    !ref_do_ok(ref->val, ref->len) ||
	    !ber_read(e2->val + ref->size, e2->len - ref->size, ar) ||
	    !tlv_is(ar, TAG_AR_DO) || ref->size + ar->size != e2->len)
		return false;
	return ar_do_ok(ar->val, ar->len);
}

/* Walks the stored rules: *off advances; false at the end. */
static bool next_rule(const uint8_t *buf, size_t len, size_t *off,
		      struct ber_tlv *rule, struct ber_tlv *ref,
		      struct ber_tlv *ar)
{
	if (*off >= len || !ber_read(buf + *off, len - *off, rule) ||
	    !ref_ar_do_ok(rule, ref, ar))
		return false;
	*off += rule->size;
	return true;
}

/* A TLV starts where its value starts, minus its tag and length. */
static const uint8_t *tlv_start(const struct ber_tlv *t)
{
	return t->val - (t->size - t->len);
}

static bool same_bytes(const uint8_t *a, size_t alen, const uint8_t *b,
		       size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}


bool aram_rules_valid(const uint8_t *buf, size_t len)
{
	struct ber_tlv rule, ref, ar;
	size_t off = 0;

	while (off < len)
		if (!next_rule(buf, len, &off, &rule, &ref, &ar))
			return false;
	return true;
}

static bool has_ref(const uint8_t *buf, size_t len, const uint8_t *ref_do,
		    size_t ref_len)
{
	struct ber_tlv rule, ref, ar;
	size_t off = 0;

	while (next_rule(buf, len, &off, &rule, &ref, &ar))
		if (same_bytes(tlv_start(&ref), ref.size, ref_do, ref_len))
			return true;
	return false;
}

static uint16_t store(struct aram_rules *r, const uint8_t *v, size_t len)
{
	struct ber_tlv rule, ref, ar;
	uint8_t *nbuf;
	size_t off;

	if (len == 0)
		return SW_WRONG_DATA;
	/* Check all first: the command is applied whole or not at all. */
	for (off = 0; off < len; off += rule.size) {
		if (!ber_read(v + off, len - off, &rule) ||
		    !ref_ar_do_ok(&rule, &ref, &ar))
			return SW_WRONG_DATA;
	}
	for (off = 0; off < len; off += rule.size) {
		ber_read(v + off, len - off, &rule);
		ref_ar_do_ok(&rule, &ref, &ar);
		if (has_ref(r->buf, r->len, tlv_start(&ref), ref.size) ||
		    has_ref(v, off, tlv_start(&ref), ref.size))
			return SW_CONFLICT;
	}
	if (len > ARAM_RULES_MAX - r->len)
		return SW_MEMORY;
	nbuf = realloc(r->buf, r->len + len);
	if (!nbuf)
		return SW_MEMORY;
	memcpy(nbuf + r->len, v, len);
	r->buf = nbuf;
	r->len += len;
	return SW_OK;
}

/* Which stored rules a delete names. */
struct delete_what {
	uint32_t tag;		/* 0: all; 4F/C0: by AID; E1: REF-DO; E2 */
	const uint8_t *tlv;
	size_t size;
};

static bool matches(const struct delete_what *d, const struct ber_tlv *rule,
		    const struct ber_tlv *ref)
{
	struct ber_tlv aid;

	switch (d->tag) {
	case 0:
		return true;
	case TAG_REF_AR_DO:
		return same_bytes(tlv_start(rule), rule->size, d->tlv, d->size);
	case TAG_REF_DO:
		return same_bytes(tlv_start(ref), ref->size, d->tlv, d->size);
	default:		/* the AID-REF, first child of the REF-DO */
		return ber_read(ref->val, ref->len, &aid) &&
		       same_bytes(tlv_start(&aid), aid.size, d->tlv, d->size);
	}
}

static uint16_t delete(struct aram_rules *r, const uint8_t *v, size_t len)
{
	struct delete_what d = { 0 };
	struct ber_tlv t, rule, ref, ar;
	size_t off = 0, kept = 0;
	bool any = false;

	if (len) {
		if (!ber_read(v, len, &t) || t.size != len)
			return SW_WRONG_DATA;
		if (t.tag == TAG_AID_REF || t.tag == TAG_AID_DEFAULT) {
			if (!aid_ref_ok(&t))
				return SW_WRONG_DATA;
		} else if (t.tag == TAG_REF_DO) {
			if (!ref_do_ok(t.val, t.len))
				return SW_WRONG_DATA;
		} else if (!ref_ar_do_ok(&t, &ref, &ar)) {
			return SW_WRONG_DATA;
		}
		d = (struct delete_what){ t.tag, v, len };
	}
	/* Compact in place: rules we keep slide down over deleted ones. */
	while (next_rule(r->buf, r->len, &off, &rule, &ref, &ar)) {
		if (matches(&d, &rule, &ref)) {
			any = true;
			continue;
		}
		memmove(r->buf + kept, tlv_start(&rule), rule.size);
		kept += rule.size;
	}
	if (!any)
		return d.tag == 0 ? SW_OK : SW_REF_NOT_FOUND;
	r->len = kept;
	return SW_OK;
}

uint16_t aram_rules_store(struct aram_rules *r, const uint8_t *cmd, size_t len)
{
	struct ber_tlv t;

	if (!ber_read(cmd, len, &t) || t.size != len)
		return SW_WRONG_DATA;
	switch (t.tag) {
	case TAG_CMD_STORE:
		return store(r, t.val, t.len);
	case TAG_CMD_DELETE:
		return delete(r, t.val, t.len);
	case TAG_CMD_REFRESH:
		return t.len == 0 ? SW_OK : SW_WRONG_DATA;
	case TAG_BLOCK_DO:
		return SW_INCOMPATIBLE_FILE;
	default:
		if (t.tag >= TAG_CMD_GET && t.tag <= TAG_CMD_DEVICE_CONFIG)
			return SW_INCOMPATIBLE_FILE;
		return SW_WRONG_DATA;
	}
}

const uint8_t *aram_rules_find(const struct aram_rules *r,
			       const uint8_t *ref_do, size_t ref_len,
			       size_t *ar_len)
{
	struct ber_tlv rule, ref, ar;
	size_t off = 0;

	while (next_rule(r->buf, r->len, &off, &rule, &ref, &ar)) {
		if (same_bytes(tlv_start(&ref), ref.size, ref_do, ref_len)) {
			*ar_len = ar.size;
			return tlv_start(&ar);
		}
	}
	return NULL;
}

void aram_rules_free(struct aram_rules *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = 0;
}
