// SPDX-License-Identifier: GPL-2.0
/*
 * The admin agent's TLS: TLS 1.2 with a pre-shared key, the card as
 * client (GP Card Spec Amd B 2.2 / SCP81), mbed TLS over two memory
 * queues like the HTTPS server (tls/tls.c): ciphertext in from the
 * channel, ciphertext out to it; nothing blocks.
 *
 * Cipher suites offered, most preferred first (RFC 4279 / RFC 5487 names):
 *   TLS_PSK_WITH_AES_128_GCM_SHA256   (0x00A8)
 *   TLS_PSK_WITH_AES_128_CBC_SHA256   (0x00AE)  the one Amd B requires for
 *                                               TLS 1.2
 * TLS_PSK_WITH_NULL_SHA256 (integrity only, which Amd B and SCWS 1.1 also
 * allow) is not offered: it would send the admin commands in clear.
 */
#include "admin/admin.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>

struct admin_tls {
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_ssl_config conf;
	mbedtls_ssl_context ssl;
	struct http_buf in, out;	/* ciphertext */
	size_t in_off;
	bool eof;
	bool handshake_done;
};

static const int suites[] = {
	MBEDTLS_TLS_PSK_WITH_AES_128_GCM_SHA256,
	MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256,
	0,
};

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct admin_tls *t = ctx;

	if (!http_buf_put(&t->out, buf, len))
		return MBEDTLS_ERR_SSL_ALLOC_FAILED;
	return (int)len;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct admin_tls *t = ctx;
	size_t n = t->in.len - t->in_off;

	if (!n)
		return t->eof ? 0 : MBEDTLS_ERR_SSL_WANT_READ;
	if (n > len)
		n = len;
	memcpy(buf, t->in.data + t->in_off, n);
	t->in_off += n;
	if (t->in_off == t->in.len) {
		t->in.len = 0;
		t->in_off = 0;
	}
	return (int)n;
}

struct admin_tls *admin_tls_new(const uint8_t *psk, size_t psk_len,
				const uint8_t *id, size_t id_len)
{
	static const char pers[] = "scws-card admin agent";
	struct admin_tls *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	mbedtls_entropy_init(&t->entropy);
	mbedtls_ctr_drbg_init(&t->drbg);
	mbedtls_ssl_config_init(&t->conf);
	mbedtls_ssl_init(&t->ssl);
	if (mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->entropy,
				  (const uint8_t *)pers, sizeof(pers) - 1) ||
	    mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT,
					MBEDTLS_SSL_TRANSPORT_STREAM,
					MBEDTLS_SSL_PRESET_DEFAULT))
		goto fail;
	mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
				     MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_max_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
				     MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_ciphersuites(&t->conf, suites);
	mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &t->drbg);
	/* No certificates in a PSK suite: nothing to verify. */
	mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_NONE);
	if (mbedtls_ssl_conf_psk(&t->conf, psk, psk_len, id, id_len) ||
	    mbedtls_ssl_setup(&t->ssl, &t->conf))
		goto fail;
	mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
	return t;
fail:
	admin_tls_free(t);
	return NULL;
}

void admin_tls_free(struct admin_tls *t)
{
	if (!t)
		return;
	mbedtls_ssl_free(&t->ssl);
	mbedtls_ssl_config_free(&t->conf);	/* zeroizes the PSK */
	mbedtls_ctr_drbg_free(&t->drbg);
	mbedtls_entropy_free(&t->entropy);
	http_buf_free(&t->in);
	http_buf_free(&t->out);
	free(t);
}

int admin_tls_input(struct admin_tls *t, const uint8_t *data, size_t len)
{
	return http_buf_put(&t->in, data, len) ? 0 : -1;
}

void admin_tls_input_end(struct admin_tls *t)
{
	t->eof = true;
}

int admin_tls_handshake(struct admin_tls *t)
{
	int ret;

	if (t->handshake_done)
		return 1;
	ret = mbedtls_ssl_handshake(&t->ssl);
	if (!ret) {
		t->handshake_done = true;
		return 1;
	}
	if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
		return t->eof ? -1 : 0;
	return ret < 0 ? ret : -1;
}

int admin_tls_read(struct admin_tls *t, uint8_t *buf, size_t cap)
{
	int ret = mbedtls_ssl_read(&t->ssl, buf, cap);

	if (ret > 0)
		return ret;
	if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
		return t->eof ? -1 : 0;
	if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
	    ret == MBEDTLS_ERR_SSL_CONN_EOF)
		return -1;
	return ret < -1 ? ret : -2;
}

int admin_tls_write(struct admin_tls *t, const uint8_t *data, size_t len)
{
	while (len) {
		int ret = mbedtls_ssl_write(&t->ssl, data, len);

		if (ret < 0)
			return ret;
		data += ret;
		len -= (size_t)ret;
	}
	return 0;
}

int admin_tls_close(struct admin_tls *t)
{
	return mbedtls_ssl_close_notify(&t->ssl);
}

size_t admin_tls_pending(struct admin_tls *t, const uint8_t **data)
{
	*data = t->out.data;
	return t->out.len;
}

void admin_tls_consume(struct admin_tls *t, size_t n)
{
	http_buf_drop(&t->out, n);
}

const char *admin_tls_suite(const struct admin_tls *t)
{
	return mbedtls_ssl_get_ciphersuite(&t->ssl);
}
