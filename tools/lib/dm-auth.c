// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-auth.c - MD5 digests of OMA DM 1.2 (OpenSSL libcrypto).  Both
 * constructions start from B64(H(name:secret)), which lets a server store
 * that value rather than the password.
 */
#include "dm-auth.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

struct md5 {
	EVP_MD_CTX *ctx;
};

static void md5_begin(struct md5 *m)
{
	m->ctx = EVP_MD_CTX_new();
	if (!m->ctx || !EVP_DigestInit_ex(m->ctx, EVP_md5(), NULL))
		abort();
}

static void md5_add(struct md5 *m, const void *p, size_t len)
{
	if (!EVP_DigestUpdate(m->ctx, p, len))
		abort();
}

static void md5_end(struct md5 *m, uint8_t out[DM_MD5_LEN])
{
	if (!EVP_DigestFinal_ex(m->ctx, out, NULL))
		abort();
	EVP_MD_CTX_free(m->ctx);
}

void dm_b64_encode(const uint8_t *in, size_t len, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

int dm_b64_decode(const char *in, uint8_t *out, size_t max, size_t *len)
{
	char clean[1024];
	size_t n = 0, pad = 0;

	for (; *in; in++) {
		if (isspace((unsigned char)*in))
			continue;
		if (n + 1 >= sizeof(clean))
			return -1;
		clean[n++] = *in;
	}
	if (n % 4)
		return -1;
	if (n && clean[n - 1] == '=')
		pad++;
	if (n > 1 && clean[n - 2] == '=')
		pad++;
	if (n / 4 * 3 - pad > max)
		return -1;
	uint8_t tmp[768];
	int r = EVP_DecodeBlock(tmp, (const unsigned char *)clean, (int)n);

	if (r < 0)
		return -1;
	memcpy(out, tmp, (size_t)r - pad);
	*len = (size_t)r - pad;
	return 0;
}

/* B64(H(name:secret)) */
static void name_secret_b64(const char *name, const char *secret,
			    char out[DM_MD5_B64_SIZE])
{
	struct md5 m;
	uint8_t h[DM_MD5_LEN];

	md5_begin(&m);
	md5_add(&m, name, strlen(name));
	md5_add(&m, ":", 1);
	md5_add(&m, secret, strlen(secret));
	md5_end(&m, h);
	dm_b64_encode(h, sizeof(h), out);
}

void dm_md5_cred(const char *name, const char *secret,
		 const uint8_t *nonce, size_t nonce_len,
		 char out[DM_MD5_B64_SIZE])
{
	char a[DM_MD5_B64_SIZE];
	struct md5 m;
	uint8_t h[DM_MD5_LEN];

	name_secret_b64(name, secret, a);
	md5_begin(&m);
	md5_add(&m, a, strlen(a));
	md5_add(&m, ":", 1);
	md5_add(&m, nonce, nonce_len);
	md5_end(&m, h);
	dm_b64_encode(h, sizeof(h), out);
}

void dm_notify_digest(const char *server_id, const char *secret,
		      const uint8_t *nonce, size_t nonce_len,
		      const uint8_t *trigger, size_t trigger_len,
		      uint8_t out[DM_MD5_LEN])
{
	char a[DM_MD5_B64_SIZE], b[DM_MD5_B64_SIZE];
	struct md5 m;
	uint8_t h[DM_MD5_LEN];

	name_secret_b64(server_id, secret, a);
	md5_begin(&m);
	md5_add(&m, trigger, trigger_len);
	md5_end(&m, h);
	dm_b64_encode(h, sizeof(h), b);

	md5_begin(&m);
	md5_add(&m, a, strlen(a));
	md5_add(&m, ":", 1);
	md5_add(&m, nonce, nonce_len);
	md5_add(&m, ":", 1);
	md5_add(&m, b, strlen(b));
	md5_end(&m, out);
}

int dm_mem_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
