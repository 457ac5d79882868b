// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-p15.c - the DM bootstrap object of a PKCS#15 application (see
 * dm-p15.h).  ASN.1 of PKCS#15 v1.1: DataType ::= CHOICE { opaqueDO
 * (30), externalIDO [0], oidDO [1] }, OidDO ::= SEQUENCE { id OBJECT
 * IDENTIFIER, value ObjectValue }, Path ::= SEQUENCE { efidOrPath OCTET
 * STRING, index INTEGER OPTIONAL, length [0] INTEGER OPTIONAL }.  The
 * ODF and the oidDO are read by arf-rules.c, shared with the pump's ARF
 * reader.
 */
#include "dm-p15.h"
#include "ber.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const uint8_t dm_p15_bootstrap_oid[4] = { 0x67, 0x2B, 0x07, 0x01 };

#define FAIL(at, ...) ber_fail(why, why_len, base, (at), __VA_ARGS__)

/* A small non-negative DER INTEGER (ARF_FILE_MAX at most). */
static int read_uint(const struct ber_tlv *t, size_t *v)
{
	if (!t->len || t->len > 3 || (t->val[0] & 0x80) ||
	    (t->len > 1 && !t->val[0] && !(t->val[1] & 0x80)))
		return -1;
	*v = 0;
	for (size_t i = 0; i < t->len; i++)
		*v = *v << 8 | t->val[i];
	return *v > ARF_FILE_MAX ? -1 : 0;
}

static int parse_ref(const uint8_t *base, const struct ber_tlv *t,
		     struct dm_p15_ref *ref, char *why, size_t why_len)
{
	struct ber_tlv o, i, l;
	size_t off;

	memset(ref, 0, sizeof(*ref));
	if (t->tag != 0x30)
		return FAIL(t->val, "value is tag %X, not a Path (30)", t->tag);
	if (!ber_read(t->val, t->len, &o) || o.tag != 0x04)
		return FAIL(t->val, "Path without its OCTET STRING");
	if (o.len < 2 || o.len > ARF_PATH_MAX || o.len % 2)
		return FAIL(o.val, "path of %zu bytes (2..%d, even)", o.len,
			    ARF_PATH_MAX);
	memcpy(ref->path.b, o.val, o.len);
	ref->path.len = o.len;
	off = o.size;
	if (off == t->len)
		return 0;
	if (!ber_read(t->val + off, t->len - off, &i) || i.tag != 0x02 ||
	    read_uint(&i, &ref->index))
		return FAIL(t->val + off, "Path: bad index");
	off += i.size;
	if (!ber_read(t->val + off, t->len - off, &l) || l.tag != 0x80 ||
	    read_uint(&l, &ref->length) || off + l.size != t->len)
		return FAIL(t->val + off, "Path: index without one length");
	ref->part = true;
	return 0;
}

/* One oidDO (arf-rules.c reads it): *found when its id is the DM
 * bootstrap OID, *ref its Path. */
static int parse_oid_do(const uint8_t *base, const struct ber_tlv *e,
			struct dm_p15_ref *ref, bool *found, char *why,
			size_t why_len)
{
	struct ber_tlv val;
	int err = arf_oid_do_value(base, e, dm_p15_bootstrap_oid,
				   sizeof(dm_p15_bootstrap_oid), &val, found,
				   why, why_len);

	if (err || !*found)
		return err;
	return parse_ref(base, &val, ref, why, why_len);
}

int dm_p15_parse_dodf(const uint8_t *buf, size_t len, struct dm_p15_ref *ref,
		      char *why, size_t why_len)
{
	const uint8_t *base = buf;
	struct ber_tlv t;
	size_t off = 0;
	int found = 0;

	while (off < len && buf[off] != 0x00 && buf[off] != 0xFF) {
		struct dm_p15_ref r;
		bool ours = false;
		int err;

		if (!ber_read(buf + off, len - off, &t))
			return FAIL(buf + off, "malformed or cut TLV");
		if (t.tag == 0xA1) {
			err = parse_oid_do(base, &t, &r, &ours, why, why_len);
			if (err)
				return err;
		} else if (t.tag != 0x30 && t.tag != 0xA0) {
			return FAIL(buf + off, "tag %X is no PKCS#15 data "
				    "object (30, A0, A1)", t.tag);
		}
		if (ours && found++)
			return FAIL(buf + off, "a second DM bootstrap object");
		if (ours)
			*ref = r;
		off += t.size;
	}
	for (size_t i = off; i < len; i++)
		if (buf[i] != 0x00 && buf[i] != 0xFF)
			return FAIL(buf + i, "data after the padding");
	return found ? 0 : -ENOENT;
}

int dm_p15_extract(const uint8_t *ef, size_t len, const struct dm_p15_ref *ref,
		   const uint8_t **out, size_t *out_len, char *why,
		   size_t why_len)
{
	const uint8_t *base = ef;
	size_t n = 0;

	if (ref->part) {
		if (ref->index > len || ref->length > len - ref->index)
			return FAIL(ef + len, "EF has %zu bytes, the DODF "
				    "names %zu at %zu (cut short?)", len,
				    ref->length, ref->index);
		ef += ref->index;
		n = ref->length;
	} else {
		while (n < len && ef[n] != 0x00 && ef[n] != 0xFF)
			n++;
	}
	if (!n)
		return FAIL(ef, "the bootstrap data are empty");
	*out = ef;
	*out_len = n;
	return 0;
}

static int read_ef(arf_read_fn *rd, void *arg, const struct arf_path *p,
		   const char *what, uint8_t **data, size_t *len, char *why,
		   size_t why_len)
{
	char ps[3 * ARF_PATH_MAX];
	int err = rd(arg, p, data, len);

	if (err) {
		arf_path_str(p, ps, sizeof(ps));
		snprintf(why, why_len, "%s %s: %s", what, ps,
			 err == -ENOENT ? "no such file" : strerror(-err));
	}
	return err;
}

int dm_p15_read_bootstrap(arf_read_fn *rd, void *arg, uint8_t **data,
			  size_t *len, char *why, size_t why_len)
{
	static const struct arf_path odf_path = { { 0x50, 0x31 }, 2 };
	struct arf_path dodf[ARF_DODF_MAX];
	struct dm_p15_ref ref;
	uint8_t *buf = NULL;
	const uint8_t *d;
	size_t n, blen, dlen;
	char sub[200];
	int err, found = 0;

	err = read_ef(rd, arg, &odf_path, "EF.ODF", &buf, &blen, why, why_len);
	if (err)
		return err;
	err = arf_parse_odf(buf, blen, dodf, &n, sub, sizeof(sub));
	free(buf);
	if (err == -ENOENT)
		snprintf(why, why_len, "EF.ODF names no EF.DODF");
	else if (err)
		snprintf(why, why_len, "EF.ODF: %s", sub);
	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		struct dm_p15_ref r;

		err = read_ef(rd, arg, &dodf[i], "EF.DODF", &buf, &blen, why,
			      why_len);
		if (err)
			return err;
		err = dm_p15_parse_dodf(buf, blen, &r, sub, sizeof(sub));
		free(buf);
		if (err == -ENOENT)
			continue;
		if (err) {
			snprintf(why, why_len, "EF.DODF: %s", sub);
			return err;
		}
		if (found++) {
			snprintf(why, why_len, "two DODFs name DM bootstrap data");
			return -EBADMSG;
		}
		ref = r;
	}
	if (!found) {
		snprintf(why, why_len, "no DODF entry with the DM bootstrap "
			 "OID 2.23.43.7.1");
		return -ENOENT;
	}
	err = read_ef(rd, arg, &ref.path, "EF DM_Bootstrap", &buf, &blen, why,
		      why_len);
	if (err)
		return err;
	err = dm_p15_extract(buf, blen, &ref, &d, &dlen, sub, sizeof(sub));
	if (!err) {
		*data = malloc(dlen);
		if (*data)
			memcpy(*data, d, dlen);
		else
			err = -ENOMEM;
		*len = dlen;
	} else {
		snprintf(why, why_len, "EF DM_Bootstrap: %s", sub);
	}
	free(buf);
	return err;
}
