// SPDX-License-Identifier: GPL-2.0
/*
 * SMS-DELIVER TPDU and user data header parsing (3GPP TS 23.040, TS
 * 23.038 for TP-DCS).  Every length is checked against the bytes there.
 */
#include "ota/sms_deliver.h"

#include <string.h>

const char *sms_strerror(int err)
{
	switch (err) {
	case SMS_OK:
		return "ok";
	case SMS_ETRUNC:
		return "TPDU cut short";
	case SMS_ENOTDELIVER:
		return "not an SMS-DELIVER";
	case SMS_EBADADDR:
		return "bad originating address";
	case SMS_EBADUDL:
		return "TP-UDL does not match the user data";
	case SMS_EBADUDH:
		return "malformed user data header";
	case SMS_ETRAILING:
		return "bytes after the user data";
	default:
		return "unknown error";
	}
}

bool sms_dcs_decode(uint8_t dcs, struct sms_dcs *out)
{
	memset(out, 0, sizeof(*out));
	out->msg_class = -1;
	if ((dcs & 0xC0) == 0x00 || (dcs & 0xC0) == 0x40) {
		/* 00xx xxxx general data coding, 01xx xxxx the same with
		 * automatic deletion: bit 5 compressed, bit 4 class
		 * meaningful, bits 3-2 alphabet, bits 1-0 class. */
		out->compressed = dcs & 0x20;
		out->alphabet = (enum sms_alphabet)((dcs >> 2) & 3);
		if (dcs & 0x10)
			out->msg_class = dcs & 3;
		return true;
	}
	if ((dcs & 0xF0) == 0xF0) {
		/* 1111 xxxx data coding / message class: bit 2 8-bit */
		out->alphabet = dcs & 0x04 ? SMS_ALPHA_8BIT : SMS_ALPHA_GSM7;
		out->msg_class = dcs & 3;
		return true;
	}
	if ((dcs & 0xF0) == 0xC0 || (dcs & 0xF0) == 0xD0) {
		out->alphabet = SMS_ALPHA_GSM7;	/* message waiting groups */
		return true;
	}
	if ((dcs & 0xF0) == 0xE0) {
		out->alphabet = SMS_ALPHA_UCS2;
		return true;
	}
	return false;			/* 1000..1011: reserved */
}

int sms_deliver_parse(const uint8_t *tpdu, size_t len, struct sms_deliver *d)
{
	size_t pos = 0;
	struct sms_dcs dcs;

	memset(d, 0, sizeof(*d));
	if (len < 1)
		return SMS_ETRUNC;
	d->first = tpdu[pos++];
	if ((d->first & 0x03) != 0x00)		/* MTI 00: SMS-DELIVER */
		return SMS_ENOTDELIVER;
	d->udhi = d->first & 0x40;
	if (len - pos < 2)
		return SMS_ETRUNC;
	d->oa_digits = tpdu[pos++];
	d->oa_toa = tpdu[pos++];
	if (d->oa_digits > 20)		/* 2..12 octets in all */
		return SMS_EBADADDR;
	d->oa_len = (d->oa_digits + 1u) / 2;
	if (len - pos < d->oa_len)
		return SMS_ETRUNC;
	d->oa = tpdu + pos;
	pos += d->oa_len;
	if (len - pos < 2 + 7 + 1)
		return SMS_ETRUNC;
	d->pid = tpdu[pos++];
	d->dcs = tpdu[pos++];
	d->scts = tpdu + pos;
	pos += 7;
	d->udl = tpdu[pos++];
	/* 7-bit user data counts septets; a secured packet never is. */
	if (!sms_dcs_decode(d->dcs, &dcs) || dcs.alphabet == SMS_ALPHA_GSM7 ||
	    d->udl > SMS_UD_MAX)
		return SMS_EBADUDL;
	if (len - pos < d->udl)
		return SMS_ETRUNC;
	if (len - pos > d->udl)
		return SMS_ETRAILING;
	d->ud = tpdu + pos;
	d->ud_len = d->udl;
	d->body = d->ud;
	d->body_len = d->ud_len;
	if (d->udhi) {
		size_t udhl, at = 0;
		struct sms_ie ie;
		int rc;

		if (d->ud_len < 1)
			return SMS_EBADUDH;
		udhl = d->ud[0];
		if (udhl + 1 > d->ud_len)
			return SMS_EBADUDH;
		d->udh = d->ud + 1;
		d->udh_len = udhl;
		while ((rc = sms_udh_next(d->udh, d->udh_len, &at, &ie)) > 0)
			;
		if (rc < 0)
			return rc;
		d->body = d->ud + 1 + udhl;
		d->body_len = d->ud_len - 1 - udhl;
	}
	return SMS_OK;
}

int sms_udh_next(const uint8_t *udh, size_t len, size_t *pos,
		 struct sms_ie *ie)
{
	size_t p = *pos;

	if (p >= len)
		return 0;
	if (len - p < 2 || len - p - 2 < udh[p + 1])
		return SMS_EBADUDH;
	ie->iei = udh[p];
	ie->len = udh[p + 1];
	ie->val = udh + p + 2;
	*pos = p + 2 + ie->len;
	return 1;
}

int sms_udh_concat(const uint8_t *udh, size_t len, uint16_t *ref,
		   uint8_t *total, uint8_t *seq)
{
	struct sms_ie ie;
	size_t pos = 0;
	int rc;

	while ((rc = sms_udh_next(udh, len, &pos, &ie)) > 0) {
		if (ie.iei == SMS_IEI_CONCAT_8 && ie.len == 3) {
			*ref = ie.val[0];
			*total = ie.val[1];
			*seq = ie.val[2];
			return 1;
		}
		if (ie.iei == SMS_IEI_CONCAT_16 && ie.len == 4) {
			*ref = (uint16_t)(ie.val[0] << 8 | ie.val[1]);
			*total = ie.val[2];
			*seq = ie.val[3];
			return 1;
		}
		if (ie.iei == SMS_IEI_CONCAT_8 || ie.iei == SMS_IEI_CONCAT_16)
			return SMS_EBADUDH;
	}
	return rc;
}

bool sms_udh_has_command_packet(const uint8_t *udh, size_t len)
{
	struct sms_ie ie;
	size_t pos = 0;

	while (sms_udh_next(udh, len, &pos, &ie) > 0)
		if (ie.iei == SMS_IEI_COMMAND_PACKET && ie.len == 0)
			return true;
	return false;
}
