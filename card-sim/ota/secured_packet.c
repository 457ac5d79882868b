// SPDX-License-Identifier: GPL-2.0
/*
 * TS 102 225 / TS 31.115 packet layouts: splitting a command packet and
 * building a response packet (its checksum and ciphering included, since
 * they are part of the layout).  Checking a command's security is
 * ota_secure.c's job.
 */
#include "ota/secured_packet.h"
#include "ota/ota_crypto.h"

#include <string.h>

void ota_spi_decode(const uint8_t spi[2], struct ota_spi *s)
{
	s->integrity = (enum ota_integrity)(spi[0] & 3);
	s->ciphered = spi[0] & 0x04;
	s->counter = (enum ota_counter)((spi[0] >> 3) & 3);
	s->por = (enum ota_por)(spi[1] & 3);
	s->por_integrity = (enum ota_integrity)((spi[1] >> 2) & 3);
	s->por_ciphered = spi[1] & 0x10;
	s->por_submit = spi[1] & 0x20;
	s->reserved_bits = (spi[0] & 0xE0) || (spi[1] & 0xC0);
}

const char *ota_status_name(uint8_t status)
{
	static const char *const names[] = {
		"PoR OK", "RC/CC/DS failed", "CNTR low", "CNTR high",
		"CNTR blocked", "ciphering error",
		"unidentified security error", "insufficient memory",
		"more time needed", "TAR unknown",
		"insufficient security level",
	};

	return status < sizeof(names) / sizeof(names[0]) ? names[status]
							  : "reserved status";
}

int ota_cmd_packet_parse(const uint8_t *p, size_t len,
			 struct ota_cmd_packet *cp)
{
	memset(cp, 0, sizeof(*cp));
	if (len < OTA_CMD_HEADER)
		return OTA_PKT_ESHORT;
	cp->cpl = (uint16_t)(p[0] << 8 | p[1]);
	cp->chl = p[2];
	memcpy(cp->spi_raw, p + 3, 2);
	ota_spi_decode(cp->spi_raw, &cp->spi);
	cp->kic = p[5];
	cp->kid = p[6];
	memcpy(cp->tar, p + 7, OTA_TAR_LEN);
	cp->header = p;
	cp->rest = p + OTA_CMD_HEADER;
	cp->rest_len = len - OTA_CMD_HEADER;
	/* CPL covers everything after itself, exactly. */
	if ((size_t)cp->cpl != len - 2)
		return OTA_PKT_ELEN;
	if (cp->chl < OTA_CHL_MIN || cp->chl - OTA_CHL_MIN > OTA_CC_MAX ||
	    (size_t)cp->chl + 1 > cp->cpl)
		return OTA_PKT_ELEN;
	cp->cc_len = (size_t)cp->chl - OTA_CHL_MIN;
	return OTA_PKT_OK;
}

bool ota_cmd_plain_split(const uint8_t *plain, size_t len, size_t cc_len,
			 struct ota_cmd_plain *out)
{
	size_t head = OTA_CNTR_LEN + 1 + cc_len;

	memset(out, 0, sizeof(*out));
	if (len < head)
		return false;
	memcpy(out->cntr, plain, OTA_CNTR_LEN);
	out->pcntr = plain[OTA_CNTR_LEN];
	out->cc = plain + OTA_CNTR_LEN + 1;
	out->padded = plain + head;
	out->padded_len = len - head;
	if (out->pcntr > out->padded_len)
		return false;
	out->data = out->padded;
	out->data_len = out->padded_len - out->pcntr;
	return true;
}

size_t ota_response_build(const struct ota_response *r, uint8_t *out,
			  size_t cap)
{
	size_t rhl = OTA_RHL_MIN + r->cc_len, pad = 0, body, rpl, total;
	/* From CNTR on: what ciphering covers. */
	size_t ciph_len = OTA_CNTR_LEN + 1 + 1 + r->cc_len + r->data_len;
	uint8_t *p;

	if (r->cc_len > OTA_CC_MAX)
		return 0;
	if (r->kic_key && ciph_len % OTA_AES_BLOCK)
		pad = OTA_AES_BLOCK - ciph_len % OTA_AES_BLOCK;
	body = r->data_len + pad;
	rpl = 1 + rhl + body;
	total = 3 + 2 + rpl;
	if (total > cap || rpl > 0xFFFF)
		return 0;
	p = out;
	*p++ = 0x02;			/* UDHL */
	*p++ = 0x71;			/* IEI: response packet */
	*p++ = 0x00;
	*p++ = (uint8_t)(rpl >> 8);
	*p++ = (uint8_t)rpl;
	*p++ = (uint8_t)rhl;
	memcpy(p, r->tar, OTA_TAR_LEN);
	p += OTA_TAR_LEN;
	memcpy(p, r->cntr, OTA_CNTR_LEN);
	p += OTA_CNTR_LEN;
	*p++ = (uint8_t)pad;
	*p++ = r->status;
	/* p: where RC/CC/DS goes; the data follows it. */
	if (r->data_len)
		memcpy(p + r->cc_len, r->data, r->data_len);
	memset(p + r->cc_len + r->data_len, 0, pad);
	if (r->cc_len &&
	    ota_cmac(r->kid_key, r->kid_len, out, (size_t)(p - out),
		     p + r->cc_len, body, NULL, 0, p, r->cc_len))
		return 0;
	if (r->kic_key &&
	    ota_cbc_encrypt(r->kic_key, r->kic_len, out + 9, out + 9,
			    ciph_len + pad))
		return 0;
	return total;
}
