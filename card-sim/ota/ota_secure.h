/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ota_secure.h - checking a command packet's security (TS 102 225 clause
 * 5.1) and securing its Proof of Receipt (5.2).
 *
 * Order of the checks: TAR known (09); SPI, KIc, KID name something this
 * card has (06: AES-CBC and AES-CMAC only, key set present); the TAR's
 * minimum security level (0A); deciphering (05); the checksum (01); the
 * counter (02 / 03 / 04); then the new counter is saved (07 if it cannot
 * be).  Only a packet that passed all of them reaches its application,
 * and a refused one changes nothing in the card's state.
 */
#ifndef SCWS_OTA_SECURE_H
#define SCWS_OTA_SECURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ota/keysets.h"
#include "ota/secured_packet.h"

struct card_state;

/* What a TAR demands of the packets sent to it (TS 102 226 MSL). */
struct ota_msl {
	bool need_cc;		/* cryptographic checksum */
	bool need_cipher;
	bool need_counter;	/* counter mode "higher" or "one higher" */
};

struct ota_unwrapped {
	uint8_t status;			/* OTA_POR_* */
	bool cntr_known;		/* cntr is the packet's (plain) */
	uint8_t cntr[OTA_CNTR_LEN];
	const uint8_t *data;		/* secured data, padding removed */
	size_t data_len;
	/* Key sets for securing the PoR (absent ones have kvn 0). */
	struct ota_keyset kic_set, kid_set;
};

/* Checks cp against the keys and counters in st.  plain must hold
 * cp->rest_len bytes; out->data points into it.  On OTA_POR_OK the
 * counter has been saved. */
uint8_t ota_secure_unwrap(struct card_state *st,
			  const struct ota_cmd_packet *cp,
			  const struct ota_msl *msl, uint8_t *plain,
			  struct ota_unwrapped *out);

/* Builds the PoR for a checked packet: secured as the SPI asks when the
 * packet passed the security checks, plain (no RC/CC/DS, not ciphered)
 * when it did not, since its keys cannot be trusted for an answer.
 * Returns the length written to out, 0 if it does not fit. */
size_t ota_secure_por(const struct ota_cmd_packet *cp,
		      const struct ota_unwrapped *u, uint8_t status,
		      const uint8_t *data, size_t data_len, uint8_t *out,
		      size_t cap);

#endif /* SCWS_OTA_SECURE_H */
