/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ota_crypto.h - the two AES modes TS 102 225 names for secured packets:
 * AES-CBC with a zero initial chaining value for ciphering (KIc '02'),
 * AES-CMAC (NIST SP 800-38B) truncated to its leftmost bytes for the
 * cryptographic checksum (KID '02').  mbed TLS does the work.
 */
#ifndef SCWS_OTA_CRYPTO_H
#define SCWS_OTA_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OTA_AES_BLOCK 16

/* Whether len is an AES key size (16, 24 or 32 bytes). */
bool ota_aes_key_ok(size_t len);

/* AES-CBC, IV all zero, no padding of its own: len must be a multiple of
 * OTA_AES_BLOCK.  In place is fine (in == out).  0, or -1 on a bad key or
 * length. */
int ota_cbc_encrypt(const uint8_t *key, size_t key_len, const uint8_t *in,
		    uint8_t *out, size_t len);
int ota_cbc_decrypt(const uint8_t *key, size_t key_len, const uint8_t *in,
		    uint8_t *out, size_t len);

/* AES-CMAC over the concatenation of up to three pieces (any may be
 * empty), truncated to mac_len (1..16) leftmost bytes.  0 or -1. */
int ota_cmac(const uint8_t *key, size_t key_len,
	     const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
	     const uint8_t *c, size_t c_len, uint8_t *mac, size_t mac_len);

/* Constant-time comparison. */
bool ota_mac_equal(const uint8_t *x, const uint8_t *y, size_t len);

#endif /* SCWS_OTA_CRYPTO_H */
