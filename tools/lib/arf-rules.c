// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * arf-rules.c - the ARF files (PKCS#15) into REF-AR-DOs (see arf-rules.h
 * and docs/card-rules.md).  The ASN.1 is GPD_SPE_013 chapter 7 / annex C
 * and PKCS#15 v1.1 (ODF, DODF oidDO, Path), checked against the layouts
 * Android's SecureElement ARF reader and Firefox OS's GP access rules
 * manager read.
 */
#include "arf-rules.h"
#include "ber.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	T_OCTETS = 0x04,
	T_OID = 0x06,
	T_SEQ = 0x30,
	T_CTX0 = 0x80,		/* [0] primitive: a permission */
	T_DEFAULT_APP = 0x81,	/* ACRules: the default application */
	T_ALL_APPS = 0x82,	/* ACRules: every SE application */
	T_CTXC0 = 0xA0,		/* [0] constructed */
	T_CTXC1 = 0xA1,		/* [1] constructed */
	T_ODF_DODF = 0xA7,	/* ODF: dataObjects [7] */
	T_ODF_LAST = 0xA8,	/* ODF: authObjects [8] */
};

const uint8_t arf_pkcs15_aid[12] = {
	0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35
};
const uint8_t arf_gpac_aid[12] = {
	0xA0, 0x00, 0x00, 0x00, 0x18, 0x47, 0x50, 0x41, 0x43, 0x2D, 0x31, 0x35
};

/* 1.2.840.114283.200.1.1: GlobalPlatform's "access control" OID. */
static const uint8_t gp_ac_oid[] = {
	0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x81, 0x48, 0x01, 0x01
};

static const struct arf_path odf_path = { { 0x50, 0x31 }, 2 };

#define FAIL(at, ...) ber_fail(why, why_len, base, (at), __VA_ARGS__)

void arf_path_str(const struct arf_path *p, char *out, size_t out_len)
{
	size_t o = 0;

	if (out_len)
		out[0] = '\0';
	for (size_t i = 0; i + 1 < p->len && o + 6 <= out_len; i += 2)
		o += (size_t)snprintf(out + o, out_len - o, "%s%02X%02X",
				      i ? "/" : "", p->b[i], p->b[i + 1]);
}

/*
 * The length of the file's content: TLVs back to back, then nothing or
 * padding (00 / FF bytes to the end of the EF).
 */
static int content_len(const uint8_t *base, size_t len, size_t *content,
		       char *why, size_t why_len)
{
	struct ber_tlv t;
	size_t off = 0;

	while (off < len) {
		if (base[off] == 0x00 || base[off] == 0xFF) {
			for (size_t i = off; i < len; i++)
				if (base[i] != 0x00 && base[i] != 0xFF)
					return FAIL(base + i, "data after "
						    "the padding");
			break;
		}
		if (!ber_read(base + off, len - off, &t))
			return FAIL(base + off, "malformed or cut TLV");
		off += t.size;
	}
	*content = off;
	return 0;
}

/* Path ::= SEQUENCE { path OCTET STRING, index, length OPTIONAL }: only
 * whole files are used, so index and length are refused. */
static int parse_path(const uint8_t *base, const struct ber_tlv *t,
		      struct arf_path *p, char *why, size_t why_len)
{
	struct ber_tlv o;
	const uint8_t *at = t->val - (t->size - t->len);

	if (t->tag != T_SEQ)
		return FAIL(at, "tag %X where a Path (30) belongs", t->tag);
	if (!ber_read(t->val, t->len, &o) || o.tag != T_OCTETS)
		return FAIL(t->val, "Path without its OCTET STRING");
	if (o.size != t->len)
		return FAIL(t->val + o.size, "Path with index or length "
			    "(parts of files are not supported)");
	if (o.len < 2 || o.len > ARF_PATH_MAX || o.len % 2)
		return FAIL(o.val, "path of %zu bytes (2..%d, even)", o.len,
			    ARF_PATH_MAX);
	memcpy(p->b, o.val, o.len);
	p->len = o.len;
	return 0;
}

int arf_parse_odf(const uint8_t *buf, size_t len,
		  struct arf_path dodf[ARF_DODF_MAX], size_t *n, char *why,
		  size_t why_len)
{
	const uint8_t *base = buf;
	struct ber_tlv t, in;
	size_t content, off;
	int err = content_len(buf, len, &content, why, why_len);

	*n = 0;
	if (err)
		return err;
	for (off = 0; off < content; off += t.size) {
		ber_read(buf + off, content - off, &t);
		if (t.tag < T_CTXC0 || t.tag > T_ODF_LAST)
			return FAIL(buf + off, "tag %X is no PKCS#15 object "
				    "directory entry (A0..A8)", t.tag);
		if (t.tag != T_ODF_DODF)
			continue;
		if (!ber_read(t.val, t.len, &in) || in.size != t.len)
			return FAIL(t.val, "DODF entry is not one object");
		/* PathOrObjects: a Path, or the objects themselves ([0],
		 * [1], [2] protected): no file to read then. */
		if (in.tag >= T_CTXC0 && in.tag <= T_CTXC0 + 2)
			continue;
		if (*n == ARF_DODF_MAX)
			return FAIL(buf + off, "more than %d DODFs",
				    ARF_DODF_MAX);
		err = parse_path(base, &in, &dodf[*n], why, why_len);
		if (err)
			return err;
		(*n)++;
	}
	return *n ? 0 : -ENOENT;
}

int arf_oid_do_value(const uint8_t *base, const struct ber_tlv *e,
		     const uint8_t *want, size_t want_len, struct ber_tlv *value,
		     bool *found, char *why, size_t why_len)
{
	const uint8_t *v = e->val;
	size_t left = e->len;
	struct ber_tlv t, oid;

	*found = false;
	for (int i = 0; i < 2; i++) {
		if (!ber_read(v, left, &t) || t.tag != T_SEQ)
			return FAIL(v, "oidDO without its common attributes");
		v += t.size;
		left -= t.size;
	}
	if (!ber_read(v, left, &t))
		return FAIL(v, "oidDO without type attributes");
	if (t.tag == T_CTXC0) {		/* subClassAttributes */
		v += t.size;
		left -= t.size;
		if (!ber_read(v, left, &t))
			return FAIL(v, "oidDO without type attributes");
	}
	if (t.tag != T_CTXC1 || t.size != left)
		return FAIL(v, "oidDO: [1] type attributes expected last");
	v = t.val;
	left = t.len;
	if (!ber_read(v, left, &t) || t.tag != T_SEQ || t.size != left)
		return FAIL(v, "OidDO is not one SEQUENCE");
	if (!ber_read(t.val, t.len, &oid) || oid.tag != T_OID)
		return FAIL(t.val, "OidDO without its OBJECT IDENTIFIER");
	if (oid.len != want_len || memcmp(oid.val, want, want_len))
		return 0;	/* another data object */
	if (!ber_read(t.val + oid.size, t.len - oid.size, value) ||
	    oid.size + value->size != t.len)
		return FAIL(t.val + oid.size, "OidDO without one value");
	*found = true;
	return 0;
}

/* GP's oidDO: *found when the id is GP's OID, *path its value. */
static int parse_oid_do(const uint8_t *base, const struct ber_tlv *e,
			struct arf_path *path, bool *found, char *why,
			size_t why_len)
{
	struct ber_tlv val;
	int err = arf_oid_do_value(base, e, gp_ac_oid, sizeof(gp_ac_oid),
				   &val, found, why, why_len);

	if (err || !*found)
		return err;
	return parse_path(base, &val, path, why, why_len);
}

int arf_parse_dodf(const uint8_t *buf, size_t len, struct arf_path *acmain,
		   char *why, size_t why_len)
{
	const uint8_t *base = buf;
	struct ber_tlv t;
	size_t content, off;
	int found = 0, err = content_len(buf, len, &content, why, why_len);

	if (err)
		return err;
	for (off = 0; off < content; off += t.size) {
		struct arf_path p;
		bool ours;

		ber_read(buf + off, content - off, &t);
		if (t.tag != T_CTXC1)
			continue;	/* opaqueDO, externalIDO */
		err = parse_oid_do(base, &t, &p, &ours, why, why_len);
		if (err)
			return err;
		if (ours && found++)
			return FAIL(buf + off, "a second ACMain entry (GP "
				    "7.1.5: the SE is compromised)");
		if (ours)
			*acmain = p;
	}
	return found ? 0 : -ENOENT;
}

int arf_parse_acmain(const uint8_t *buf, size_t len,
		     uint8_t refresh[SEAC_REFRESH_LEN],
		     struct arf_path *acrules, char *why, size_t why_len)
{
	const uint8_t *base = buf;
	struct ber_tlv t, tag, path;
	size_t content;
	int err = content_len(buf, len, &content, why, why_len);

	if (err)
		return err;
	if (!content || !ber_read(buf, content, &t) || t.tag != T_SEQ ||
	    t.size != content)
		return FAIL(buf, "ACMain is not one SEQUENCE");
	if (!ber_read(t.val, t.len, &tag) || tag.tag != T_OCTETS ||
	    tag.len != SEAC_REFRESH_LEN)
		return FAIL(t.val, "no 8-byte refresh tag");
	if (!ber_read(t.val + tag.size, t.len - tag.size, &path) ||
	    tag.size + path.size != t.len)
		return FAIL(tag.val + tag.len, "refresh tag not followed by "
			    "exactly the ACRules path");
	memcpy(refresh, tag.val, SEAC_REFRESH_LEN);
	return parse_path(base, &path, acrules, why, why_len);
}

/* ACRule ::= SEQUENCE { CHOICE { aid [0] OCTET STRING (explicit: A0
 * {04 ..}), default [1] NULL, all [2] NULL }, Path }. */
static int parse_acrule(const uint8_t *base, const struct ber_tlv *e,
			struct arf_acrule *r, char *why, size_t why_len)
{
	struct ber_tlv c, a, path;

	memset(r, 0, sizeof(*r));
	if (e->tag != T_SEQ)
		return FAIL(e->val - (e->size - e->len), "tag %X where an "
			    "ACRules entry (30) belongs", e->tag);
	if (!ber_read(e->val, e->len, &c))
		return FAIL(e->val, "empty ACRules entry");
	switch (c.tag) {
	case T_CTXC0:
		if (!ber_read(c.val, c.len, &a) || a.tag != T_OCTETS ||
		    a.size != c.len)
			return FAIL(c.val, "[0] does not hold one AID");
		if (a.len < 5 || a.len > SEAC_AID_MAX)
			return FAIL(a.val, "AID of %zu bytes (5..16)", a.len);
		r->aid_kind = SEAC_AID_SPECIFIC;
		memcpy(r->aid, a.val, a.len);
		r->aid_len = a.len;
		break;
	case T_DEFAULT_APP:
	case T_ALL_APPS:
		if (c.len)
			return FAIL(e->val, "[%d] NULL is not empty",
				    c.tag & 0x1F);
		r->aid_kind = c.tag == T_ALL_APPS ? SEAC_AID_ALL
						   : SEAC_AID_DEFAULT;
		break;
	default:
		return FAIL(e->val, "tag %X: not an AID (A0), the default "
			    "application (81) or all (82)", c.tag);
	}
	if (!ber_read(e->val + c.size, e->len - c.size, &path) ||
	    c.size + path.size != e->len)
		return FAIL(e->val + c.size, "the SE application not "
			    "followed by exactly one Path");
	return parse_path(base, &path, &r->cond, why, why_len);
}

int arf_parse_acrules(const uint8_t *buf, size_t len,
		      struct arf_acrule **out, size_t *n, char *why,
		      size_t why_len)
{
	const uint8_t *base = buf;
	struct ber_tlv t;
	size_t content, off, cap = 0;
	int err = content_len(buf, len, &content, why, why_len);

	*out = NULL;
	*n = 0;
	if (err)
		return err;
	for (off = 0; off < content; off += t.size) {
		ber_read(buf + off, content - off, &t);
		if (*n == ARF_ACRULES_MAX) {
			err = -E2BIG;
			FAIL(buf + off, "more than %d entries",
			     ARF_ACRULES_MAX);
			goto fail;
		}
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct arf_acrule *r = realloc(*out, ncap * sizeof(*r));

			if (!r) {
				err = -ENOMEM;
				goto fail;
			}
			*out = r;
			cap = ncap;
		}
		err = parse_acrule(base, &t, &(*out)[*n], why, why_len);
		if (err)
			goto fail;
		(*n)++;
	}
	return 0;
fail:
	free(*out);
	*out = NULL;
	*n = 0;
	return err;
}

static int permission(const uint8_t *base, const struct ber_tlv *t,
		      enum seac_access *a, char *why, size_t why_len)
{
	if (t->len != 1 || t->val[0] > 1)
		return FAIL(t->val, "permission is not 00 (never) or 01 "
			    "(always)");
	*a = t->val[0] ? SEAC_ALWAYS : SEAC_NEVER;
	return 0;
}

/* APDUAccessRule ::= CHOICE { apduPermission [0] (80 01 xx),
 * apduFilter [1] (A1 {04 08 header+mask}+) }. */
static int parse_apdu_rule(const uint8_t *base, const struct ber_tlv *e,
			   struct seac_rule *r, char *why, size_t why_len)
{
	struct ber_tlv c, f;

	if (r->apdu != SEAC_ABSENT)
		return FAIL(e->val, "two APDU access rules");
	if (!ber_read(e->val, e->len, &c) || c.size != e->len)
		return FAIL(e->val, "APDU access rule is not one object");
	if (c.tag == T_CTX0)
		return permission(base, &c, &r->apdu, why, why_len);
	if (c.tag != T_CTXC1 || !c.len)
		return FAIL(e->val, "APDU access rule is neither a "
			    "permission (80) nor filters (A1)");
	for (size_t off = 0; off < c.len; off += f.size) {
		if (!ber_read(c.val + off, c.len - off, &f) ||
		    f.tag != T_OCTETS || f.len != 8)
			return FAIL(c.val + off, "APDU filter is not an "
				    "8-byte OCTET STRING");
		/* kept for the APDU access service; past the limit fewer
		 * APDUs pass (seac-rules.h) */
		if (r->n_filters < SEAC_FILTERS_MAX)
			memcpy(r->filter[r->n_filters++], f.val, 8);
	}
	r->apdu = SEAC_FILTER;
	return 0;
}

/* AccessRules ::= SEQUENCE OF CHOICE { apduAccessRule [0],
 * nfcAccessRule [1] (A1 {80 01 xx}) }, each at most once here. */
static int parse_access_rules(const uint8_t *base, const struct ber_tlv *e,
			      struct seac_rule *r, char *why, size_t why_len)
{
	struct ber_tlv t, p;
	int err;

	for (size_t off = 0; off < e->len; off += t.size) {
		const uint8_t *at = e->val + off;

		if (!ber_read(at, e->len - off, &t))
			return FAIL(at, "malformed access rule");
		if (t.tag == T_CTXC0) {
			err = parse_apdu_rule(base, &t, r, why, why_len);
		} else if (t.tag == T_CTXC1) {
			if (r->nfc != SEAC_ABSENT)
				return FAIL(at, "two NFC access rules");
			if (!ber_read(t.val, t.len, &p) || p.tag != T_CTX0 ||
			    p.size != t.len)
				return FAIL(t.val, "NFC access rule is not "
					    "one permission (80)");
			err = permission(base, &p, &r->nfc, why, why_len);
		} else {
			return FAIL(at, "tag %X is no access rule (A0 APDU, "
				    "A1 NFC)", t.tag);
		}
		if (err)
			return err;
	}
	return 0;
}

static int append(struct seac_rules *rs, size_t *cap, struct seac_rule **r)
{
	if (rs->n == SEAC_RULES_MAX)
		return -E2BIG;
	if (rs->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct seac_rule *nr;

		if (ncap > SEAC_RULES_MAX)
			ncap = SEAC_RULES_MAX;
		nr = realloc(rs->rule, ncap * sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		rs->rule = nr;
		*cap = ncap;
	}
	*r = &rs->rule[rs->n];
	memset(*r, 0, sizeof(**r));
	return 0;
}

/* Condition ::= SEQUENCE { cert CertHash OPTIONAL, accessRules [0]
 * AccessRules OPTIONAL }.  No hash: every device application; no APDU
 * rule: always (GP 7.1.7, as Android reads it). */
static int parse_condition(const uint8_t *base, const struct ber_tlv *e,
			   struct seac_rule *r, char *why, size_t why_len)
{
	const uint8_t *v = e->val;
	size_t left = e->len;
	struct ber_tlv t;
	int err;

	if (e->tag != T_SEQ)
		return FAIL(v - (e->size - e->len), "tag %X where a "
			    "Condition (30) belongs", e->tag);
	if (left && ber_read(v, left, &t) && t.tag == T_OCTETS) {
		if (t.len != 0 && t.len != 20 && t.len != 32)
			return FAIL(v, "certificate hash of %zu bytes (0, 20 "
				    "or 32)", t.len);
		memcpy(r->hash, t.val, t.len);
		r->hash_len = t.len;
		v += t.size;
		left -= t.size;
	}
	if (left) {
		if (!ber_read(v, left, &t) || t.tag != T_CTXC0 ||
		    t.size != left)
			return FAIL(v, "only access rules (A0) may follow "
				    "the hash");
		err = parse_access_rules(base, &t, r, why, why_len);
		if (err)
			return err;
	}
	if (r->apdu == SEAC_ABSENT)
		r->apdu = SEAC_ALWAYS;
	return 0;
}

static void set_aid(struct seac_rule *r, const struct arf_acrule *rule)
{
	r->aid_kind = rule->aid_kind;
	memcpy(r->aid, rule->aid, rule->aid_len);
	r->aid_len = rule->aid_len;
}

static int parse_conditions(const uint8_t *buf, size_t len,
			    const struct arf_acrule *rule,
			    struct seac_rules *rs, size_t *cap, char *why,
			    size_t why_len)
{
	const uint8_t *base = buf;
	struct seac_rule *r;
	struct ber_tlv t;
	size_t content, off;
	int err = content_len(buf, len, &content, why, why_len);

	if (err)
		return err;
	if (!content) {
		/* An empty ACConditions: no device application at all. */
		err = append(rs, cap, &r);
		if (err)
			return err;
		set_aid(r, rule);
		r->apdu = SEAC_NEVER;
		r->nfc = SEAC_NEVER;
		rs->n++;
		return 0;
	}
	for (off = 0; off < content; off += t.size) {
		ber_read(buf + off, content - off, &t);
		err = append(rs, cap, &r);
		if (err) {
			if (err == -E2BIG)
				FAIL(buf + off, "more than %d rules",
				     SEAC_RULES_MAX);
			return err;
		}
		set_aid(r, rule);
		err = parse_condition(base, &t, r, why, why_len);
		if (err)
			return err;
		rs->n++;
	}
	return 0;
}

int arf_parse_acconditions(const uint8_t *buf, size_t len,
			   const struct arf_acrule *rule,
			   struct seac_rules *rs, char *why, size_t why_len)
{
	size_t cap = rs->n;	/* the array is exactly this large */
	size_t n0 = rs->n;
	int err = parse_conditions(buf, len, rule, rs, &cap, why, why_len);

	if (err && !n0)
		seac_rules_free(rs);
	else if (err)
		rs->n = n0;
	return err;
}

int arf_dir_record(const uint8_t *rec, size_t len, struct arf_path *path)
{
	struct ber_tlv t, e;
	const uint8_t *aid = NULL, *p = NULL;
	size_t aid_len = 0, p_len = 0, content;
	char why[1];

	if (content_len(rec, len, &content, why, 0))
		return -EBADMSG;
	if (!content)
		return -ENOENT;
	if (!ber_read(rec, content, &t) || t.tag != 0x61 || t.size != content)
		return -EBADMSG;
	for (size_t off = 0; off < t.len; off += e.size) {
		if (!ber_read(t.val + off, t.len - off, &e))
			return -EBADMSG;
		if (e.tag == 0x4F && !aid) {
			aid = e.val;
			aid_len = e.len;
		} else if (e.tag == 0x51 && !p) {
			p = e.val;
			p_len = e.len;
		}
	}
	if (!aid || aid_len != sizeof(arf_pkcs15_aid) ||
	    memcmp(aid, arf_pkcs15_aid, aid_len))
		return -ENOENT;
	if (!p || p_len < 2 || p_len > ARF_PATH_MAX || p_len % 2)
		return -EBADMSG;
	memcpy(path->b, p, p_len);
	path->len = p_len;
	return 0;
}

/* ---- the walk ---- */

struct walk {
	arf_read_fn *rd;
	void *arg;
	char *why;
	size_t why_len;
};

/* A read of the file at p failed: a file the ARF names must be there. */
static int explain(struct walk *w, int err, const char *name,
		   const struct arf_path *p)
{
	char ps[3 * ARF_PATH_MAX];

	if (err != -ENOENT && err != -EFBIG)
		return err;
	arf_path_str(p, ps, sizeof(ps));
	if (w->why_len)
		snprintf(w->why, w->why_len, "EF %s %s: %s", name, ps,
			 err == -ENOENT ? "not on the card" :
			 "larger than 32767 bytes");
	return -EBADMSG;
}

static int get(struct walk *w, const char *name, const struct arf_path *p,
	       uint8_t **data, size_t *len)
{
	return explain(w, w->rd(w->arg, p, data, len), name, p);
}

/* Puts "EF name path: " before a parser's message. */
static int named(struct walk *w, int err, const char *name,
		 const struct arf_path *p, const char *msg)
{
	char ps[3 * ARF_PATH_MAX];

	if (err && err != -ENOENT && w->why_len) {
		arf_path_str(p, ps, sizeof(ps));
		snprintf(w->why, w->why_len, "EF %s %s: %s", name, ps, msg);
	}
	return err;
}

static int find_acmain(struct walk *w, struct arf_path *acmain)
{
	struct arf_path dodf[ARF_DODF_MAX];
	char msg[200];
	uint8_t *d;
	size_t len, n;
	int err, found = 0;

	err = w->rd(w->arg, &odf_path, &d, &len);
	if (err == -ENOENT) {
		snprintf(w->why, w->why_len, "no EF.ODF (5031)");
		return -ENOENT;
	}
	if (err)
		return explain(w, err, "ODF", &odf_path);
	err = arf_parse_odf(d, len, dodf, &n, msg, sizeof(msg));
	free(d);
	if (err == -ENOENT)
		snprintf(w->why, w->why_len, "EF.ODF names no DODF");
	if (err)
		return named(w, err, "ODF", &odf_path, msg);
	for (size_t i = 0; i < n; i++) {
		struct arf_path p;

		err = get(w, "DODF", &dodf[i], &d, &len);
		if (err)
			return err;
		err = arf_parse_dodf(d, len, &p, msg, sizeof(msg));
		free(d);
		if (err == -ENOENT)
			continue;
		if (err)
			return named(w, err, "DODF", &dodf[i], msg);
		if (found++)
			return named(w, -EBADMSG, "DODF", &dodf[i],
				     "a second ACMain entry (GP 7.1.5: the "
				     "SE is compromised)");
		*acmain = p;
	}
	if (!found)
		snprintf(w->why, w->why_len, "no DODF entry with GP's OID "
			 "1.2.840.114283.200.1.1");
	return found ? 0 : -ENOENT;
}

static int read_acmain(struct walk *w, uint8_t refresh[SEAC_REFRESH_LEN],
		       struct arf_path *acrules)
{
	struct arf_path acmain;
	char msg[200];
	uint8_t *d;
	size_t len;
	int err = find_acmain(w, &acmain);

	if (!err)
		err = get(w, "ACMain", &acmain, &d, &len);
	if (err)
		return err;
	err = arf_parse_acmain(d, len, refresh, acrules, msg, sizeof(msg));
	free(d);
	return named(w, err, "ACMain", &acmain, msg);
}

int arf_read_refresh(arf_read_fn *rd, void *arg,
		     uint8_t refresh[SEAC_REFRESH_LEN], char *why,
		     size_t why_len)
{
	struct walk w = { rd, arg, why, why_len };
	struct arf_path acrules;

	if (why_len)
		why[0] = '\0';
	return read_acmain(&w, refresh, &acrules);
}

struct cond_file {
	struct arf_path path;
	uint8_t *data;
	size_t len;
};

/* The ACConditions file at p, read once however many rules name it. */
static int cond_file(struct walk *w, struct cond_file *files, size_t *nf,
		     const struct arf_path *p, struct cond_file **out)
{
	int err;

	for (size_t i = 0; i < *nf; i++) {
		if (files[i].path.len == p->len &&
		    !memcmp(files[i].path.b, p->b, p->len)) {
			*out = &files[i];
			return 0;
		}
	}
	if (*nf == ARF_FILES_MAX) {
		snprintf(w->why, w->why_len, "more than %d ACConditions files",
			 ARF_FILES_MAX);
		return -E2BIG;
	}
	err = get(w, "ACConditions", p, &files[*nf].data, &files[*nf].len);
	if (err)
		return err;
	files[*nf].path = *p;
	*out = &files[(*nf)++];
	return 0;
}

int arf_read_rules(arf_read_fn *rd, void *arg, struct seac_rules *out,
		   uint8_t refresh[SEAC_REFRESH_LEN], bool *have_refresh,
		   char *why, size_t why_len)
{
	struct walk w = { rd, arg, why, why_len };
	struct cond_file *files = NULL;
	struct arf_acrule *rules = NULL;
	struct arf_path acrules;
	size_t nrules = 0, nf = 0, len, cap = 0;
	char msg[200];
	uint8_t *d;
	int err;

	memset(out, 0, sizeof(*out));
	if (why_len)
		why[0] = '\0';
	if (have_refresh)
		*have_refresh = false;
	err = read_acmain(&w, refresh, &acrules);
	if (!err && have_refresh)
		*have_refresh = true;
	if (!err)
		err = get(&w, "ACRules", &acrules, &d, &len);
	if (err)
		return err;
	err = arf_parse_acrules(d, len, &rules, &nrules, msg, sizeof(msg));
	free(d);
	if (err)
		return named(&w, err, "ACRules", &acrules, msg);
	files = calloc(ARF_FILES_MAX, sizeof(*files));
	if (!files) {
		free(rules);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nrules && !err; i++) {
		struct cond_file *f;

		err = cond_file(&w, files, &nf, &rules[i].cond, &f);
		if (err)
			break;
		err = parse_conditions(f->data, f->len, &rules[i], out, &cap,
				       msg, sizeof(msg));
		named(&w, err == -ENOMEM ? 0 : err, "ACConditions",
		      &rules[i].cond, msg);
	}
	for (size_t i = 0; i < nf; i++)
		free(files[i].data);
	free(files);
	free(rules);
	if (err)
		seac_rules_free(out);
	return err;
}
