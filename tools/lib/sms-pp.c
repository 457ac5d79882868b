// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * sms-pp.c - SMS-DELIVER, the SMS-PP download ENVELOPE, RP-DATA (see
 * sms-pp.h).
 */
#include "sms-pp.h"
#include "cat-tlv.h"

#include <errno.h>
#include <string.h>

/* COMPREHENSION-TLV tags (TS 102 223 8.1); the writer sets CR: 86, 8B */
#define TAG_ADDRESS 0x06
#define TAG_SMS_TPDU 0x0B
#define MTI_MASK 0x03
#define MTI_DELIVER 0x00
#define UDHI 0x40
#define SCTS_LEN 7
#define RP_MTI_DATA_N2MS 0x01

/* TP-UD octets for TP-UDL under this TP-DCS (TS 23.038): septets for the
 * GSM 7-bit alphabet, octets for 8-bit data and UCS2. */
static size_t ud_octets(uint8_t dcs, uint8_t udl)
{
	bool septets;

	if ((dcs & 0xC0) == 0x00 || (dcs & 0xC0) == 0x40)
		septets = (dcs & 0x0C) == 0x00;	/* general data coding */
	else if ((dcs & 0xF0) == 0xF0)
		septets = !(dcs & 0x04);	/* data coding / message class */
	else if ((dcs & 0xF0) == 0xE0)
		septets = false;		/* UCS2 message waiting */
	else
		septets = true;			/* other message waiting groups */
	return septets ? ((size_t)udl * 7 + 7) / 8 : udl;
}

int sms_deliver_parse(const uint8_t *t, size_t len, struct sms_deliver *d)
{
	size_t i = 0, oa_digits, want;

	if (len < 2 || (t[0] & MTI_MASK) != MTI_DELIVER)
		return -EINVAL;
	d->first = t[i++];
	oa_digits = t[i++];
	if (oa_digits > 20)
		return -EINVAL;
	i += 1 + (oa_digits + 1) / 2;		/* TON/NPI + semi-octets */
	if (i + 2 + SCTS_LEN + 1 > len)
		return -EINVAL;
	d->pid = t[i++];
	d->dcs = t[i++];
	i += SCTS_LEN;
	want = ud_octets(d->dcs, t[i]);
	if (t[i] > 140 || want > 140)
		return -EINVAL;
	i++;
	if (len - i != want)
		return -EINVAL;
	d->udhi = t[0] & UDHI;
	d->ud_off = i;
	d->ud_len = want;
	/* A user data header must fit in the user data (UDHL + its octets). */
	if (d->udhi && (!want || (size_t)t[i] + 1 > want))
		return -EINVAL;
	return 0;
}

size_t sms_address_encode(const char *s, uint8_t out[SMS_ADDR_MAX])
{
	size_t n = 0, len = 1;
	uint8_t ton = 0x81;

	if (*s == '+') {
		ton = 0x91;
		s++;
	}
	memset(out, 0xFF, SMS_ADDR_MAX);
	out[0] = ton;
	for (; *s; s++, n++) {
		uint8_t v;

		if (*s < '0' || *s > '9' || n == 20)
			return 0;
		v = (uint8_t)(*s - '0');
		if (n % 2 == 0)
			out[1 + n / 2] = (uint8_t)(0xF0 | v);
		else
			out[1 + n / 2] = (uint8_t)((out[1 + n / 2] & 0x0F) |
						   v << 4);
	}
	if (!n)
		return 0;
	len += (n + 1) / 2;
	return len;
}

size_t sms_pp_envelope(const uint8_t *addr, size_t addr_len,
		       const uint8_t *tpdu, size_t tpdu_len, uint8_t *out,
		       size_t cap)
{
	struct cat_writer w;
	size_t mark;

	cat_writer_init(&w, out, cap);
	mark = cat_ber_open(&w, CAT_BER_SMS_PP);
	cat_put_devices(&w, CAT_DEV_NETWORK, CAT_DEV_UICC);
	if (addr_len)
		cat_put_tlv(&w, TAG_ADDRESS, addr, addr_len);
	cat_put_tlv(&w, TAG_SMS_TPDU, tpdu, tpdu_len);
	cat_ber_close(&w, mark);
	return w.overflow ? 0 : w.len;
}

int rp_data_parse(const uint8_t *p, size_t n, struct rp_data *r)
{
	struct sms_deliver d;
	size_t i = 0;

	memset(r, 0, sizeof(*r));
	if (n < 5 || (p[0] & 0x07) != RP_MTI_DATA_N2MS)
		return -EINVAL;
	r->ref = p[1];
	i = 2;
	/* RP-Originator Address: length, TON/NPI, BCD (2..11 octets) */
	if (p[i] < 2 || p[i] > SMS_ADDR_MAX || i + 1 + p[i] > n)
		return -EINVAL;
	r->smsc = p + i + 1;
	r->smsc_len = p[i];
	i += 1 + p[i];
	/* RP-Destination Address: empty in this direction */
	if (i >= n || p[i] != 0)
		return -EINVAL;
	i++;
	/* RP-User Data: length, the TPDU */
	if (i >= n || !p[i] || i + 1 + p[i] != n)
		return -EINVAL;
	r->tpdu = p + i + 1;
	r->tpdu_len = p[i];
	return sms_deliver_parse(r->tpdu, r->tpdu_len, &d);
}
