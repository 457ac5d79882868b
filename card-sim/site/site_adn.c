// SPDX-License-Identifier: GPL-2.0
/*
 * EF_ADN records (TS 31.102 4.4.2.3, GSM 51.011 10.5.1): an alpha
 * identifier of (record length - 14) bytes, then the dialling number:
 * BCD length (TON/NPI + digit bytes), TON/NPI, 10 BCD bytes (low nibble
 * first, F filler), capability/configuration id, extension record id.
 *
 * Alpha identifiers are SMS default alphabet bytes (TS 23.038, unpacked,
 * with the 1B escape to the extension table) when the name fits it, else
 * UCS2 (TS 102 221 annex A: 80 + big-endian code units).  The 81 and 82
 * UCS2 forms are read as well.  Names travel as UTF-8.
 */
#include <string.h>

#include "site.h"

#define NUMBER_BYTES 14
#define BCD_BYTES 10
#define MAX_DIGITS (2 * BCD_BYTES)

/* TS 23.038 default alphabet, as Unicode; 1B is the escape. */
static const uint16_t gsm_basic[128] = {
	0x40, 0xA3, 0x24, 0xA5, 0xE8, 0xE9, 0xF9, 0xEC,
	0xF2, 0xC7, 0x0A, 0xD8, 0xF8, 0x0D, 0xC5, 0xE5,
	0x394, 0x5F, 0x3A6, 0x393, 0x39B, 0x3A9, 0x3A0, 0x3A8,
	0x3A3, 0x398, 0x39E, 0x1B, 0xC6, 0xE6, 0xDF, 0xC9,
	0x20, 0x21, 0x22, 0x23, 0xA4, 0x25, 0x26, 0x27,
	0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
	0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F,
	0xA1, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
	0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F,
	0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,
	0x58, 0x59, 0x5A, 0xC4, 0xD6, 0xD1, 0xDC, 0xA7,
	0xBF, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
	0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
	0x78, 0x79, 0x7A, 0xE4, 0xF6, 0xF1, 0xFC, 0xE0,
};

static const struct {
	uint8_t code;
	uint16_t ch;
} gsm_ext[] = {
	{ 0x14, '^' }, { 0x28, '{' }, { 0x29, '}' }, { 0x2F, '\\' },
	{ 0x3C, '[' }, { 0x3D, '~' }, { 0x3E, ']' }, { 0x40, '|' },
	{ 0x65, 0x20AC },
};

#define NEXT (sizeof(gsm_ext) / sizeof(gsm_ext[0]))

/* ---- UTF-8 ---- */

static bool put_utf8(char *out, size_t cap, size_t *n, uint32_t cp)
{
	uint8_t b[3];
	size_t k;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xC0 | cp >> 6);
		b[1] = (uint8_t)(0x80 | (cp & 0x3F));
		k = 2;
	} else {
		b[0] = (uint8_t)(0xE0 | cp >> 12);
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (uint8_t)(0x80 | (cp & 0x3F));
		k = 3;
	}
	if (*n + k >= cap)
		return false;
	memcpy(out + *n, b, k);
	*n += k;
	return true;
}

/* Next code point of s (advanced); -1 on invalid UTF-8 or outside the BMP. */
static long get_utf8(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t cp;
	int more;

	if (p[0] < 0x80) {
		*s = p + 1;
		return p[0];
	}
	if ((p[0] & 0xE0) == 0xC0) {
		cp = p[0] & 0x1F;
		more = 1;
	} else if ((p[0] & 0xF0) == 0xE0) {
		cp = p[0] & 0x0F;
		more = 2;
	} else {
		return -1;	/* 4-byte forms do not fit UCS2 */
	}
	for (int i = 1; i <= more; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if ((more == 1 && cp < 0x80) || (more == 2 && cp < 0x800) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;	/* overlong or a surrogate */
	*s = p + 1 + more;
	return cp;
}

/* ---- alpha identifier ---- */

static bool gsm_char(const uint8_t *a, size_t len, size_t *i, uint32_t *cp)
{
	if (a[*i] != 0x1B) {
		*cp = gsm_basic[a[*i] & 0x7F];
		(*i)++;
		return true;
	}
	if (*i + 1 >= len)
		return false;
	for (size_t k = 0; k < NEXT; k++) {
		if (gsm_ext[k].code == a[*i + 1]) {
			*cp = gsm_ext[k].ch;
			*i += 2;
			return true;
		}
	}
	*cp = ' ';		/* unknown escape: a space, per TS 23.038 */
	*i += 2;
	return true;
}

static bool decode_alpha(const uint8_t *a, size_t len, char *out, size_t cap)
{
	size_t n = 0, i, count;
	uint32_t base = 0, cp;

	out[0] = '\0';
	if (len == 0 || a[0] == 0xFF)
		return true;
	if (a[0] == 0x80) {
		for (i = 1; i + 1 < len; i += 2) {
			cp = (uint32_t)a[i] << 8 | a[i + 1];
			if (cp == 0xFFFF)
				break;
			if ((cp >= 0xD800 && cp <= 0xDFFF) ||
			    !put_utf8(out, cap, &n, cp))
				return false;
		}
	} else if (a[0] == 0x81 || a[0] == 0x82) {
		size_t hdr = a[0] == 0x81 ? 3 : 4;

		if (len < hdr)
			return false;
		count = a[1];
		base = a[0] == 0x81 ? (uint32_t)a[2] << 7 :
				      (uint32_t)a[2] << 8 | a[3];
		if (count > len - hdr)
			return false;
		for (i = hdr; i < hdr + count;) {
			if (a[i] & 0x80) {
				cp = base + (a[i] & 0x7F);
				i++;
			} else if (!gsm_char(a, hdr + count, &i, &cp)) {
				return false;
			}
			if (cp > 0xFFFF || !put_utf8(out, cap, &n, cp))
				return false;
		}
	} else {
		for (i = 0; i < len && a[i] != 0xFF;) {
			if (!gsm_char(a, len, &i, &cp) ||
			    !put_utf8(out, cap, &n, cp))
				return false;
		}
	}
	out[n] = '\0';
	return true;
}

/* Default-alphabet bytes for cp (1 or 2 with the escape); 0 if none. */
static size_t gsm_encode(uint32_t cp, uint8_t out[2])
{
	for (size_t k = 0; k < 128; k++) {
		if (gsm_basic[k] == cp && k != 0x1B && k != 0x0A && k != 0x0D) {
			out[0] = (uint8_t)k;
			return 1;
		}
	}
	for (size_t k = 0; k < NEXT; k++) {
		if (gsm_ext[k].ch == cp) {
			out[0] = 0x1B;
			out[1] = gsm_ext[k].code;
			return 2;
		}
	}
	return 0;
}

static bool encode_alpha(const char *name, uint8_t *a, size_t len)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t n = 0;
	long cp;

	memset(a, 0xFF, len);
	while (*s) {		/* the default alphabet, if every char is in it */
		uint8_t b[2];
		size_t k;

		cp = get_utf8(&s);
		k = cp < 0 ? 0 : gsm_encode((uint32_t)cp, b);
		if (!k || n + k > len)
			goto ucs2;
		memcpy(a + n, b, k);
		n += k;
	}
	return true;
ucs2:
	memset(a, 0xFF, len);
	a[0] = 0x80;
	n = 1;
	for (s = (const unsigned char *)name; *s;) {
		cp = get_utf8(&s);
		if (cp < 0 || n + 2 > len)
			return false;
		a[n++] = (uint8_t)(cp >> 8);
		a[n++] = (uint8_t)cp;
	}
	return true;
}

/* ---- dialling number ---- */

static const char bcd_digits[] = "0123456789*#p?";

int adn_decode(const uint8_t *rec, size_t len, struct adn_entry *e)
{
	const uint8_t *num;
	size_t alpha_len, n = 0, bytes;

	memset(e, 0, sizeof(*e));
	if (len < NUMBER_BYTES)
		return -1;
	alpha_len = len - NUMBER_BYTES;
	num = rec + alpha_len;
	if (num[0] == 0xFF) {
		bool blank = true;

		for (size_t i = 0; i < alpha_len; i++)
			blank &= rec[i] == 0xFF;
		if (blank)
			return 1;
		bytes = 0;	/* a name without a number */
	} else if (num[0] < 1 || num[0] > 1 + BCD_BYTES) {
		return -1;
	} else {
		bytes = num[0] - 1u;
	}
	if (!decode_alpha(rec, alpha_len, e->name, sizeof(e->name)))
		return -1;
	if (bytes && (num[1] & 0x70) == 0x10)
		e->number[n++] = '+';
	for (size_t i = 0; i < 2 * bytes; i++) {
		uint8_t d = i % 2 ? num[2 + i / 2] >> 4 : num[2 + i / 2] & 0x0F;

		if (d == 0x0F)
			break;
		if (d == 0x0E)
			return -1;
		e->number[n++] = bcd_digits[d];
	}
	e->number[n] = '\0';
	return 0;
}

int adn_encode(const struct adn_entry *e, uint8_t *rec, size_t len)
{
	const char *d = e->number;
	uint8_t *num;
	size_t n = 0;
	bool intl = *d == '+';

	if (len < NUMBER_BYTES || !encode_alpha(e->name, rec, len - NUMBER_BYTES))
		return -1;
	num = rec + len - NUMBER_BYTES;
	memset(num, 0xFF, NUMBER_BYTES);
	d += intl;
	if (!*d)
		return -1;
	for (; *d; d++, n++) {
		const char *pos = strchr(bcd_digits, *d);

		/* '?' (wild) is for the network, not a stored number. */
		if (!pos || *d == '?' || n == MAX_DIGITS)
			return -1;
		if (n % 2)
			num[2 + n / 2] = (uint8_t)((num[2 + n / 2] & 0x0F) |
						   (pos - bcd_digits) << 4);
		else
			num[2 + n / 2] = (uint8_t)(0xF0 | (pos - bcd_digits));
	}
	num[0] = (uint8_t)(1 + (n + 1) / 2);
	num[1] = intl ? 0x91 : 0x81;
	return 0;
}
