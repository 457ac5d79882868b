// SPDX-License-Identifier: GPL-2.0
/*
 * The security checks of a command packet and the securing of its PoR.
 */
#include "card.h"
#include "log.h"
#include "ota/ota_crypto.h"
#include "ota/ota_secure.h"

#include <string.h>

/* KIc / KID name AES in its only mode (CBC, CMAC), or leave the
 * algorithm implicit, which on this card means the same. */
static bool aes_named(uint8_t b)
{
	return (OTA_KEY_ALGO(b) == OTA_ALGO_AES ||
		OTA_KEY_ALGO(b) == OTA_ALGO_IMPLICIT) && OTA_KEY_MODE(b) == 0;
}

static uint8_t check_algorithms(const struct card_state *st,
				const struct ota_cmd_packet *cp,
				struct ota_unwrapped *u)
{
	const struct ota_spi *s = &cp->spi;

	if (s->reserved_bits) {
		card_err("ota: SPI %02X%02X has reserved bits set",
			 cp->spi_raw[0], cp->spi_raw[1]);
		return OTA_POR_SECURITY_ERROR;
	}
	if (s->ciphered || s->por_ciphered) {
		if (!aes_named(cp->kic) ||
		    ota_keyset_load(st, OTA_KEY_KVN(cp->kic), &u->kic_set)) {
			card_err("ota: KIc %02X: no such AES-CBC key", cp->kic);
			return OTA_POR_SECURITY_ERROR;
		}
	}
	if (s->integrity == OTA_INT_RC || s->integrity == OTA_INT_DS) {
		card_err("ota: SPI asks for %s, this card does CC only",
			 s->integrity == OTA_INT_RC ? "RC" : "DS");
		return OTA_POR_SECURITY_ERROR;
	}
	if (s->integrity == OTA_INT_CC || s->por_integrity == OTA_INT_CC) {
		if (!aes_named(cp->kid) ||
		    ota_keyset_load(st, OTA_KEY_KVN(cp->kid), &u->kid_set)) {
			card_err("ota: KID %02X: no such AES-CMAC key", cp->kid);
			return OTA_POR_SECURITY_ERROR;
		}
	}
	/* AES-CMAC checksums are 4 or 8 bytes (TS 102 225 5.1.3). */
	if (s->integrity == OTA_INT_CC ? cp->cc_len != 4 && cp->cc_len != 8
				       : cp->cc_len != 0) {
		card_err("ota: checksum length %zu does not fit the SPI",
			 cp->cc_len);
		return OTA_POR_SECURITY_ERROR;
	}
	return OTA_POR_OK;
}

static uint8_t check_msl(const struct ota_cmd_packet *cp,
			 const struct ota_msl *msl)
{
	const struct ota_spi *s = &cp->spi;

	if ((msl->need_cc && s->integrity != OTA_INT_CC) ||
	    (msl->need_cipher && !s->ciphered) ||
	    (msl->need_counter && s->counter != OTA_CNTR_HIGHER &&
	     s->counter != OTA_CNTR_ONE_HIGHER)) {
		card_err("ota: SPI %02X%02X below the TAR's minimum security "
			 "level", cp->spi_raw[0], cp->spi_raw[1]);
		return OTA_POR_INSUFFICIENT_SECURITY;
	}
	return OTA_POR_OK;
}

/* The key set whose counter the packet uses: the checksum key's, else
 * the ciphering key's. */
static uint8_t counter_kvn(const struct ota_cmd_packet *cp)
{
	return cp->spi.integrity == OTA_INT_CC || !cp->spi.ciphered
	       ? OTA_KEY_KVN(cp->kid) : OTA_KEY_KVN(cp->kic);
}

uint8_t ota_secure_unwrap(struct card_state *st,
			  const struct ota_cmd_packet *cp,
			  const struct ota_msl *msl, uint8_t *plain,
			  struct ota_unwrapped *out)
{
	const struct ota_spi *s = &cp->spi;
	struct ota_cmd_plain pl;
	uint8_t stored[OTA_CNTR_LEN], status, kvn;
	bool update;

	memset(out, 0, sizeof(*out));
	status = check_algorithms(st, cp, out);
	if (status == OTA_POR_OK)
		status = check_msl(cp, msl);
	if (status != OTA_POR_OK)
		return out->status = status;

	if (s->ciphered) {
		if (ota_cbc_decrypt(out->kic_set.kic, out->kic_set.kic_len,
				    cp->rest, plain, cp->rest_len)) {
			card_err("ota: ciphered part of %zu bytes is not whole "
				 "AES blocks", cp->rest_len);
			return out->status = OTA_POR_CIPHERING_ERROR;
		}
	} else {
		memcpy(plain, cp->rest, cp->rest_len);
	}
	/* Split without trusting PCNTR yet: the checksum covers the
	 * padded data, so it is checked first. */
	if (cp->rest_len < OTA_CNTR_LEN + 1 + cp->cc_len) {
		card_err("ota: packet shorter than its header says");
		return out->status = s->ciphered ? OTA_POR_CIPHERING_ERROR
						 : OTA_POR_SECURITY_ERROR;
	}
	memcpy(out->cntr, plain, OTA_CNTR_LEN);
	out->cntr_known = true;
	if (s->integrity == OTA_INT_CC) {
		uint8_t cc[OTA_CC_MAX];
		const uint8_t *after = plain + OTA_CNTR_LEN + 1 + cp->cc_len;
		size_t after_len = cp->rest_len - OTA_CNTR_LEN - 1 - cp->cc_len;

		if (ota_cmac(out->kid_set.kid, out->kid_set.kid_len,
			     cp->header, OTA_CMD_HEADER, plain,
			     OTA_CNTR_LEN + 1, after, after_len, cc,
			     cp->cc_len) ||
		    !ota_mac_equal(cc, plain + OTA_CNTR_LEN + 1, cp->cc_len)) {
			card_err("ota: cryptographic checksum wrong");
			return out->status = OTA_POR_RC_CC_DS_FAILED;
		}
	}
	if (!ota_cmd_plain_split(plain, cp->rest_len, cp->cc_len, &pl) ||
	    (s->ciphered && pl.pcntr >= OTA_AES_BLOCK)) {
		card_err("ota: padding counter %u impossible", plain[5]);
		return out->status = s->ciphered ? OTA_POR_CIPHERING_ERROR
						 : OTA_POR_SECURITY_ERROR;
	}
	out->data = pl.data;
	out->data_len = pl.data_len;

	kvn = counter_kvn(cp);
	if (s->counter == OTA_CNTR_HIGHER || s->counter == OTA_CNTR_ONE_HIGHER) {
		if (kvn < 1) {
			card_err("ota: counter check without a key set");
			return out->status = OTA_POR_SECURITY_ERROR;
		}
		ota_counter_load(st, kvn, stored);
		status = ota_counter_check(s->counter, stored, pl.cntr, &update);
		if (status != OTA_POR_OK) {
			card_err("ota: counter refused: %s",
				 ota_status_name(status));
			return out->status = status;
		}
		if (update && ota_counter_store(st, kvn, pl.cntr)) {
			card_err("ota: counter cannot be saved, packet refused");
			return out->status = OTA_POR_NO_MEMORY;
		}
	}
	return out->status = OTA_POR_OK;
}

/* Statuses that mean the packet's security held. */
static bool secured_answer(uint8_t status)
{
	return status == OTA_POR_OK || status == OTA_POR_MORE_TIME ||
	       status == OTA_POR_NO_MEMORY;
}

size_t ota_secure_por(const struct ota_cmd_packet *cp,
		      const struct ota_unwrapped *u, uint8_t status,
		      const uint8_t *data, size_t data_len, uint8_t *out,
		      size_t cap)
{
	struct ota_response r = { .status = status, .data = data,
				  .data_len = data_len };
	const struct ota_spi *s = &cp->spi;

	memcpy(r.tar, cp->tar, OTA_TAR_LEN);
	if (u->cntr_known)
		memcpy(r.cntr, u->cntr, OTA_CNTR_LEN);
	if (secured_answer(u->status)) {
		if (s->por_integrity == OTA_INT_CC && u->kid_set.kvn) {
			/* The command's checksum length, 8 if it had none. */
			r.cc_len = s->integrity == OTA_INT_CC ? cp->cc_len : 8;
			r.kid_key = u->kid_set.kid;
			r.kid_len = u->kid_set.kid_len;
		} else if (s->por_integrity != OTA_INT_NONE) {
			card_err("ota: PoR RC/DS not supported, PoR unsigned");
		}
		if (s->por_ciphered && u->kic_set.kvn) {
			r.kic_key = u->kic_set.kic;
			r.kic_len = u->kic_set.kic_len;
		}
	}
	return ota_response_build(&r, out, cap);
}
