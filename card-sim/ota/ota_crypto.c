// SPDX-License-Identifier: GPL-2.0
/*
 * AES-CBC and AES-CMAC for secured packets, on mbed TLS.
 */
#include "ota/ota_crypto.h"

#include <string.h>

#include <mbedtls/aes.h>
#include <mbedtls/cipher.h>
#include <mbedtls/cmac.h>

bool ota_aes_key_ok(size_t len)
{
	return len == 16 || len == 24 || len == 32;
}

static int cbc(int mode, const uint8_t *key, size_t key_len,
	       const uint8_t *in, uint8_t *out, size_t len)
{
	mbedtls_aes_context aes;
	uint8_t iv[OTA_AES_BLOCK] = { 0 };
	int rc;

	if (!ota_aes_key_ok(key_len) || len % OTA_AES_BLOCK)
		return -1;
	if (!len)
		return 0;
	mbedtls_aes_init(&aes);
	rc = mode == MBEDTLS_AES_ENCRYPT ?
	     mbedtls_aes_setkey_enc(&aes, key, (unsigned int)key_len * 8) :
	     mbedtls_aes_setkey_dec(&aes, key, (unsigned int)key_len * 8);
	if (!rc)
		rc = mbedtls_aes_crypt_cbc(&aes, mode, len, iv, in, out);
	mbedtls_aes_free(&aes);
	return rc ? -1 : 0;
}

int ota_cbc_encrypt(const uint8_t *key, size_t key_len, const uint8_t *in,
		    uint8_t *out, size_t len)
{
	return cbc(MBEDTLS_AES_ENCRYPT, key, key_len, in, out, len);
}

int ota_cbc_decrypt(const uint8_t *key, size_t key_len, const uint8_t *in,
		    uint8_t *out, size_t len)
{
	return cbc(MBEDTLS_AES_DECRYPT, key, key_len, in, out, len);
}

int ota_cmac(const uint8_t *key, size_t key_len,
	     const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
	     const uint8_t *c, size_t c_len, uint8_t *mac, size_t mac_len)
{
	const mbedtls_cipher_info_t *info;
	mbedtls_cipher_context_t ctx;
	uint8_t full[OTA_AES_BLOCK];
	int rc;

	if (!ota_aes_key_ok(key_len) || !mac_len || mac_len > sizeof(full))
		return -1;
	info = mbedtls_cipher_info_from_values(MBEDTLS_CIPHER_ID_AES,
					       (int)key_len * 8,
					       MBEDTLS_MODE_ECB);
	if (!info)
		return -1;
	mbedtls_cipher_init(&ctx);
	rc = mbedtls_cipher_setup(&ctx, info);
	if (!rc)
		rc = mbedtls_cipher_cmac_starts(&ctx, key, key_len * 8);
	if (!rc && a_len)
		rc = mbedtls_cipher_cmac_update(&ctx, a, a_len);
	if (!rc && b_len)
		rc = mbedtls_cipher_cmac_update(&ctx, b, b_len);
	if (!rc && c_len)
		rc = mbedtls_cipher_cmac_update(&ctx, c, c_len);
	if (!rc)
		rc = mbedtls_cipher_cmac_finish(&ctx, full);
	mbedtls_cipher_free(&ctx);
	if (rc)
		return -1;
	/* SP 800-38B 6.2: a truncated MAC is the leftmost bits. */
	memcpy(mac, full, mac_len);
	return 0;
}

bool ota_mac_equal(const uint8_t *x, const uint8_t *y, size_t len)
{
	uint8_t d = 0;

	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}
