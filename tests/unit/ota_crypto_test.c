// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/ota/ota_crypto.c
// libs: -lmbedcrypto
/*
 * The OTA layer's AES-CMAC and AES-CBC against published vectors: RFC
 * 4493 section 4 (AES-CMAC, examples 1-4) and NIST SP 800-38A F.2.1 /
 * F.2.2 (CBC-AES128).  The card's CBC has a zero IV (TS 102 225), so the
 * SP 800-38A IV is folded into the first plaintext block, which CBC
 * makes equivalent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ota/ota_crypto.h"

static const uint8_t key[16] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};

/* The 64-byte message of RFC 4493 and the plaintext of SP 800-38A. */
static const uint8_t msg[64] = {
	0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
	0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
	0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c,
	0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51,
	0x30, 0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4, 0x11,
	0xe5, 0xfb, 0xc1, 0x19, 0x1a, 0x0a, 0x52, 0xef,
	0xf6, 0x9f, 0x24, 0x45, 0xdf, 0x4f, 0x9b, 0x17,
	0xad, 0x2b, 0x41, 0x7b, 0xe6, 0x6c, 0x37, 0x10,
};

static const uint8_t cmac_expect[4][16] = {
	{ 0xbb, 0x1d, 0x69, 0x29, 0xe9, 0x59, 0x37, 0x28,
	  0x7f, 0xa3, 0x7d, 0x12, 0x9b, 0x75, 0x67, 0x46 },
	{ 0x07, 0x0a, 0x16, 0xb4, 0x6b, 0x4d, 0x41, 0x44,
	  0xf7, 0x9b, 0xdd, 0x9d, 0xd0, 0x4a, 0x28, 0x7c },
	{ 0xdf, 0xa6, 0x67, 0x47, 0xde, 0x9a, 0xe6, 0x30,
	  0x30, 0xca, 0x32, 0x61, 0x14, 0x97, 0xc8, 0x27 },
	{ 0x51, 0xf0, 0xbe, 0xbf, 0x7e, 0x3b, 0x9d, 0x92,
	  0xfc, 0x49, 0x74, 0x17, 0x79, 0x36, 0x3c, 0xfe },
};
static const size_t cmac_len[4] = { 0, 16, 40, 64 };

static void rfc4493_examples(void **state)
{
	uint8_t mac[16];

	(void)state;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ota_cmac(key, 16, msg, cmac_len[i], NULL, 0,
					  NULL, 0, mac, 16), 0);
		assert_memory_equal(mac, cmac_expect[i], 16);
	}
}

/* The three pieces are one message, however it is cut. */
static void cmac_pieces(void **state)
{
	uint8_t mac[16];

	(void)state;
	assert_int_equal(ota_cmac(key, 16, msg, 10, msg + 10, 7, msg + 17, 23,
				  mac, 16), 0);
	assert_memory_equal(mac, cmac_expect[2], 16);
}

/* TS 102 225's 8-byte CC is the leftmost half (SP 800-38B 6.2). */
static void cmac_truncation(void **state)
{
	uint8_t mac[16];

	(void)state;
	memset(mac, 0xEE, sizeof(mac));
	assert_int_equal(ota_cmac(key, 16, msg, 16, NULL, 0, NULL, 0, mac, 8),
			 0);
	assert_memory_equal(mac, cmac_expect[1], 8);
	assert_int_equal(mac[8], 0xEE);	/* nothing past mac_len */
	assert_int_equal(ota_cmac(key, 15, msg, 16, NULL, 0, NULL, 0, mac, 8),
			 -1);
	assert_int_equal(ota_cmac(key, 16, msg, 16, NULL, 0, NULL, 0, mac, 17),
			 -1);
}

static const uint8_t sp_iv[16] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};
static const uint8_t sp_cbc[64] = {
	0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
	0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d,
	0x50, 0x86, 0xcb, 0x9b, 0x50, 0x72, 0x19, 0xee,
	0x95, 0xdb, 0x11, 0x3a, 0x91, 0x76, 0x78, 0xb2,
	0x73, 0xbe, 0xd6, 0xb8, 0xe3, 0xc1, 0x74, 0x3b,
	0x71, 0x16, 0xe6, 0x9e, 0x22, 0x22, 0x95, 0x16,
	0x3f, 0xf1, 0xca, 0xa1, 0x68, 0x1f, 0xac, 0x09,
	0x12, 0x0e, 0xca, 0x30, 0x75, 0x86, 0xe1, 0xa7,
};

static void sp800_38a_cbc(void **state)
{
	uint8_t buf[64];

	(void)state;
	memcpy(buf, msg, 64);
	for (int i = 0; i < 16; i++)
		buf[i] ^= sp_iv[i];
	assert_int_equal(ota_cbc_encrypt(key, 16, buf, buf, 64), 0);
	assert_memory_equal(buf, sp_cbc, 64);
	assert_int_equal(ota_cbc_decrypt(key, 16, sp_cbc, buf, 64), 0);
	for (int i = 0; i < 16; i++)
		buf[i] ^= sp_iv[i];
	assert_memory_equal(buf, msg, 64);
}

static void cbc_refuses_partial_blocks(void **state)
{
	uint8_t buf[32] = { 0 };

	(void)state;
	assert_int_equal(ota_cbc_encrypt(key, 16, buf, buf, 17), -1);
	assert_int_equal(ota_cbc_decrypt(key, 16, buf, buf, 15), -1);
	assert_int_equal(ota_cbc_decrypt(key, 20, buf, buf, 16), -1);
	assert_int_equal(ota_cbc_decrypt(key, 16, buf, buf, 0), 0);
}

static void mac_equal(void **state)
{
	(void)state;
	assert_true(ota_mac_equal(cmac_expect[0], cmac_expect[0], 16));
	assert_false(ota_mac_equal(cmac_expect[0], cmac_expect[1], 16));
	assert_true(ota_aes_key_ok(24) && ota_aes_key_ok(32) &&
		    !ota_aes_key_ok(8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc4493_examples),
		cmocka_unit_test(cmac_pieces),
		cmocka_unit_test(cmac_truncation),
		cmocka_unit_test(sp800_38a_cbc),
		cmocka_unit_test(cbc_refuses_partial_blocks),
		cmocka_unit_test(mac_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
