// SPDX-License-Identifier: GPL-2.0
/*
 * gp_cmd.c - the data fields of INSTALL, LOAD, DELETE and GET STATUS
 * (gp_cmd.h).  Pure: bytes in, fields or a status word out.
 */
#include "gp/gp_cmd.h"
#include "uicc/apdu.h"
#include "ber.h"

#include <string.h>

bool gp_aid_eq(const struct gp_aid *a, const struct gp_aid *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

bool gp_aid_prefix(const struct gp_aid *a, const uint8_t *p, size_t len)
{
	return len <= a->len && !memcmp(a->b, p, len);
}

/* A length-prefixed field of an INSTALL data field. */
struct cursor {
	const uint8_t *p;
	size_t left;
};

static bool take(struct cursor *c, const uint8_t **v, size_t *vlen)
{
	if (!c->left || c->p[0] >= c->left)
		return false;
	*vlen = c->p[0];
	*v = c->p + 1;
	c->p += 1 + *vlen;
	c->left -= 1 + *vlen;
	return true;
}

/* An AID field: empty when empty_ok, else 5..16 bytes. */
static bool take_aid(struct cursor *c, struct gp_aid *aid, bool empty_ok)
{
	const uint8_t *v;
	size_t n;

	if (!take(c, &v, &n))
		return false;
	if (!n) {
		aid->len = 0;
		return empty_ok;
	}
	if (n < GP_AID_MIN || n > GP_AID_MAX)
		return false;
	aid->len = (uint8_t)n;
	memcpy(aid->b, v, n);
	return true;
}

/* Install parameters: TLVs among which C9 (application specific) is
 * mandatory for [for install] (GP 2.3 11.5.2.3.7). */
static bool params_have_c9(const uint8_t *p, size_t n)
{
	while (n) {
		struct ber_tlv t;

		if (!ber_read(p, n, &t))
			return false;
		if (t.tag == 0xC9)
			return true;
		p += t.size;
		n -= t.size;
	}
	return false;
}

static uint16_t parse_for_load(struct cursor *c, struct gp_install *o)
{
	const uint8_t *v;
	size_t n;

	if (!take_aid(c, &o->elf, false) || !take_aid(c, &o->sd, true) ||
	    !take(c, &v, &n) /* hash */ || !take(c, &v, &n) /* params */ ||
	    !take(c, &v, &n) /* token */ || c->left)
		return SW_WRONG_DATA;
	return 0;
}

static uint16_t parse_for_install(struct cursor *c, struct gp_install *o)
{
	bool install = o->p1 & GP_INSTALL_INSTALL;
	const uint8_t *v;
	size_t n;

	/* [for make selectable] alone: empty load file and module. */
	if (!take_aid(c, &o->elf, !install) ||
	    !take_aid(c, &o->module, !install) ||
	    !take_aid(c, &o->app, false) || !take(c, &v, &n) ||
	    (n != 1 && n != 3))
		return SW_WRONG_DATA;
	if (!install && (o->elf.len || o->module.len))
		return SW_WRONG_DATA;
	memcpy(o->priv, v, n);
	o->priv_len = n;
	if (!take(c, &v, &n))
		return SW_WRONG_DATA;
	o->has_c9 = params_have_c9(v, n);
	if (install && !o->has_c9)
		return SW_WRONG_DATA;
	if (!take(c, &v, &n) /* token */ || c->left)
		return SW_WRONG_DATA;
	return 0;
}

uint16_t gp_parse_install(uint8_t p1, uint8_t p2, const uint8_t *d,
			  size_t len, struct gp_install *out)
{
	struct cursor c = { d, len };

	memset(out, 0, sizeof(*out));
	out->p1 = p1 & 0x7F;	/* b8: more INSTALL commands follow */
	if (p2 != 0x00)
		return SW_WRONG_P1P2;
	if (out->p1 == GP_INSTALL_LOAD)
		return parse_for_load(&c, out);
	if (out->p1 == GP_INSTALL_INSTALL || out->p1 == GP_INSTALL_SELECTABLE ||
	    out->p1 == (GP_INSTALL_INSTALL | GP_INSTALL_SELECTABLE))
		return parse_for_install(&c, out);
	return SW_WRONG_P1P2;
}

uint16_t gp_parse_delete(uint8_t p1, uint8_t p2, const uint8_t *d,
			 size_t len, struct gp_delete *out)
{
	struct ber_tlv t;

	memset(out, 0, sizeof(*out));
	if (p1 != 0x00 || (p2 != 0x00 && p2 != 0x80))
		return SW_WRONG_P1P2;
	out->related = p2 == 0x80;
	if (!ber_read(d, len, &t) || t.tag != 0x4F || t.len < GP_AID_MIN ||
	    t.len > GP_AID_MAX)
		return SW_WRONG_DATA;
	/* What may follow: the delete token (B6 and 9E), unchecked. */
	for (size_t at = t.size; at < len;) {
		struct ber_tlv x;

		if (!ber_read(d + at, len - at, &x) ||
		    (x.tag != 0xB6 && x.tag != 0x9E))
			return SW_WRONG_DATA;
		at += x.size;
	}
	out->aid.len = (uint8_t)t.len;
	memcpy(out->aid.b, t.val, t.len);
	return 0;
}

uint16_t gp_parse_get_status(uint8_t p1, uint8_t p2, const uint8_t *d,
			     size_t len, struct gp_status_req *out)
{
	struct ber_tlv t;

	memset(out, 0, sizeof(*out));
	if (p1 != 0x80 && p1 != 0x40 && p1 != 0x20 && p1 != 0x10)
		return SW_WRONG_P1P2;
	/* Only the TLV format of GP 2.3 (b2); the legacy one is deprecated. */
	if (p2 != 0x02 && p2 != 0x03)
		return SW_WRONG_P1P2;
	out->p1 = p1;
	out->next = p2 & 0x01;
	if (!ber_read(d, len, &t) || t.tag != 0x4F || t.len > GP_AID_MAX)
		return SW_WRONG_DATA;
	for (size_t at = t.size; at < len;) {
		struct ber_tlv x;

		if (!ber_read(d + at, len - at, &x) || x.tag != 0x5C)
			return SW_WRONG_DATA;
		at += x.size;
	}
	memcpy(out->key, t.val, t.len);
	out->key_len = t.len;
	return 0;
}

static uint16_t get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Header component info: magic, minor, major, flags, package minor,
 * major, AID length, AID (JCVM 3 spec 6.4). */
static bool header_names(const uint8_t *info, size_t n,
			 const struct gp_aid *elf)
{
	static const uint8_t magic[4] = { 0xDE, 0xCA, 0xFF, 0xED };

	if (n < 10 || memcmp(info, magic, 4))
		return false;
	return info[9] == elf->len && n >= 10u + elf->len &&
	       !memcmp(info + 10, elf->b, elf->len);
}

/* Applet component info: count, then AID length, AID, install method
 * offset (u2) per applet. */
static bool applets(const uint8_t *info, size_t n, struct gp_load_file *o)
{
	size_t at = 1;

	if (n < 1 || info[0] > GP_MODULES_MAX)
		return false;
	for (unsigned int i = 0; i < info[0]; i++) {
		size_t alen;

		if (at >= n)
			return false;
		alen = info[at];
		if (alen < GP_AID_MIN || alen > GP_AID_MAX ||
		    at + 1 + alen + 2 > n)
			return false;
		o->modules[i].len = (uint8_t)alen;
		memcpy(o->modules[i].b, info + at + 1, alen);
		at += 1 + alen + 2;
	}
	o->nmodules = info[0];
	return at == n;
}

uint16_t gp_parse_load_file(const uint8_t *d, size_t len,
			    const struct gp_aid *elf, struct gp_load_file *out)
{
	struct ber_tlv t;
	bool header = false;
	unsigned int seen = 0;

	memset(out, 0, sizeof(*out));
	/* No DAP block (E2): this card checks no load file signatures. */
	if (!ber_read(d, len, &t) || t.tag != 0xC4 || t.size != len)
		return SW_WRONG_DATA;
	out->code_size = t.len;
	for (size_t at = 0; at < t.len;) {
		const uint8_t *c = t.val + at;
		size_t size;

		if (t.len - at < 3)
			return SW_WRONG_DATA;
		size = get_u16(c + 1);
		if (size > t.len - at - 3 || c[0] < 1 || c[0] > 12 ||
		    (seen & (1u << c[0])))
			return SW_WRONG_DATA;
		seen |= 1u << c[0];
		if (c[0] == 1) {
			if (!header_names(c + 3, size, elf))
				return SW_WRONG_DATA;
			header = true;
		} else if (c[0] == 3 && !applets(c + 3, size, out)) {
			return SW_WRONG_DATA;
		}
		at += 3 + size;
	}
	return header ? 0 : SW_WRONG_DATA;
}
