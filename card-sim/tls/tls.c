// SPDX-License-Identifier: GPL-2.0
/*
 * tls.c - TLS 1.2 server between an HTTPS channel and its web server.
 *
 * mbed TLS runs over two memory queues per connection: `in` holds
 * ciphertext the channel delivered and the library has not read yet, `out`
 * ciphertext the library wrote and the channel has not sent yet.  The BIO
 * callbacks never block: an empty `in` is WANT_READ.  Plaintext from the
 * web server is encrypted lazily, a little ahead of the channel, in records
 * small enough that a client over a slow card link sees the first bytes of
 * a response early.
 */
#include "tls.h"
#include "card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#define KEY_NAME "tls/key"
#define CERT_NAME "tls/cert"
#define SUBJECT "CN=localhost,O=SCWS card"
#define NOT_AFTER "20491231235959"
#define SERIAL_LEN 16
#define KEY_DER_MAX 256		/* P-256 ECPrivateKey is ~121 bytes */
#define CERT_DER_MAX 1024
#define RECORD_MAX 2048		/* plaintext per record we write */
#define OUT_AHEAD 4096		/* ciphertext prepared ahead of the channel */
#define PLAIN_CHUNK 2048

struct card_tls {
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_pk_context key;
	mbedtls_x509_crt cert;
	mbedtls_ssl_config conf;
	int verbose;
};

/* A byte queue: bytes [off, len) are waiting. */
struct queue {
	uint8_t *p;
	size_t off, len, cap;
};

struct card_tls_conn {
	struct card_tls *tls;
	mbedtls_ssl_context ssl;
	struct scws_http *http;
	struct queue in, out;
	bool handshake_done;
	bool eof;		/* no more ciphertext will come */
	bool read_closed;	/* close_notify or EOF seen */
	bool closing;		/* our close_notify is written */
	bool failed;		/* fatal error: nothing more but the alert */
};

/* Only what TLS 1.2 offers that is still strong: forward secrecy and
 * AEAD.  The key is ECDSA, so ECDHE-ECDSA suites. */
static const int suites[] = {
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	0,
};

static const mbedtls_ecp_group_id curves[] = {
	MBEDTLS_ECP_DP_CURVE25519,
	MBEDTLS_ECP_DP_SECP256R1,
	MBEDTLS_ECP_DP_SECP384R1,
	MBEDTLS_ECP_DP_NONE,
};

static void tls_log(int verbose, int level, const char *what, int err)
{
	char msg[128];

	if (level > verbose)
		return;
	if (err) {
		snprintf(msg, sizeof(msg), "-0x%04X", (unsigned int)-err);
		fprintf(stderr, "scws-card: tls: %s (%s)\n", what, msg);
	} else {
		fprintf(stderr, "scws-card: tls: %s\n", what);
	}
}

/* ---- identity: key and self-signed certificate ---- */

static int write_san(mbedtls_x509write_cert *crt)
{
	/* GeneralNames: dNSName "localhost", iPAddress 127.0.0.1, ::1 */
	static const uint8_t san[] = {
		0x30, 0x23,
		0x82, 0x09, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't',
		0x87, 0x04, 127, 0, 0, 1,
		0x87, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	};

	return mbedtls_x509write_crt_set_extension(crt,
		MBEDTLS_OID_SUBJECT_ALT_NAME,
		MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0,
		san, sizeof(san));
}

static int set_validity(mbedtls_x509write_cert *crt)
{
	/* From a day ago, so a client clock a little behind still works. */
	time_t now = time(NULL) - 24 * 3600;
	char from[16];
	struct tm tm;

	if (!gmtime_r(&now, &tm) ||
	    !strftime(from, sizeof(from), "%Y%m%d%H%M%S", &tm))
		return -1;
	return mbedtls_x509write_crt_set_validity(crt, from, NOT_AFTER);
}

static int set_serial(struct card_tls *t, mbedtls_x509write_cert *crt)
{
	uint8_t raw[SERIAL_LEN];
	mbedtls_mpi serial;
	int err;

	err = mbedtls_ctr_drbg_random(&t->drbg, raw, sizeof(raw));
	if (err)
		return err;
	raw[0] &= 0x7F;		/* positive */
	raw[0] |= 0x01;		/* and never zero */
	mbedtls_mpi_init(&serial);
	err = mbedtls_mpi_read_binary(&serial, raw, sizeof(raw));
	if (!err)
		err = mbedtls_x509write_crt_set_serial(crt, &serial);
	mbedtls_mpi_free(&serial);
	return err;
}

/* Writes the certificate for t->key at the end of buf; its length. */
static int make_cert(struct card_tls *t, uint8_t *buf, size_t cap)
{
	mbedtls_x509write_cert crt;
	int err;

	mbedtls_x509write_crt_init(&crt);
	mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(&crt, &t->key);
	mbedtls_x509write_crt_set_issuer_key(&crt, &t->key);
	err = set_serial(t, &crt);
	if (!err)
		err = set_validity(&crt);
	if (!err)
		err = mbedtls_x509write_crt_set_subject_name(&crt, SUBJECT);
	if (!err)
		err = mbedtls_x509write_crt_set_issuer_name(&crt, SUBJECT);
	if (!err)
		err = mbedtls_x509write_crt_set_basic_constraints(&crt, 0, -1);
	if (!err)
		err = mbedtls_x509write_crt_set_key_usage(&crt,
			MBEDTLS_X509_KU_DIGITAL_SIGNATURE);
	if (!err)
		err = mbedtls_x509write_crt_set_subject_key_identifier(&crt);
	if (!err)
		err = write_san(&crt);
	if (!err)
		err = mbedtls_x509write_crt_der(&crt, buf, cap,
						mbedtls_ctr_drbg_random,
						&t->drbg);
	mbedtls_x509write_crt_free(&crt);
	return err;
}

static int make_identity(struct card_tls *t, struct card_state *st)
{
	uint8_t key_der[KEY_DER_MAX], cert_der[CERT_DER_MAX];
	int key_len, cert_len, err;

	err = mbedtls_pk_setup(&t->key,
			       mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
	if (!err)
		err = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1,
					  mbedtls_pk_ec(t->key),
					  mbedtls_ctr_drbg_random, &t->drbg);
	if (err)
		return err;
	cert_len = make_cert(t, cert_der, sizeof(cert_der));
	if (cert_len < 0)
		return cert_len;
	err = mbedtls_x509_crt_parse_der(&t->cert,
					 cert_der + sizeof(cert_der) - cert_len,
					 (size_t)cert_len);
	if (err || !st)
		return err;
	/* DER writers fill from the end of the buffer. */
	key_len = mbedtls_pk_write_key_der(&t->key, key_der, sizeof(key_der));
	if (key_len < 0)
		return key_len;
	if (card_state_set(st, KEY_NAME, key_der + sizeof(key_der) - key_len,
			   (size_t)key_len) ||
	    card_state_set(st, CERT_NAME,
			   cert_der + sizeof(cert_der) - cert_len,
			   (size_t)cert_len) ||
	    card_state_save(st))
		tls_log(t->verbose, 0, "could not save the TLS identity", 0);
	mbedtls_platform_zeroize(key_der, sizeof(key_der));
	return 0;
}

static int load_identity(struct card_tls *t, const struct card_state *st)
{
	const uint8_t *key, *cert;
	size_t key_len, cert_len;
	int err;

	if (!st || card_state_get(st, KEY_NAME, &key, &key_len) ||
	    card_state_get(st, CERT_NAME, &cert, &cert_len))
		return -1;
	err = mbedtls_pk_parse_key(&t->key, key, key_len, NULL, 0);
	if (!err)
		err = mbedtls_x509_crt_parse_der(&t->cert, cert, cert_len);
	if (!err && mbedtls_pk_get_type(&t->key) != MBEDTLS_PK_ECKEY)
		err = -1;
	if (!err)
		err = mbedtls_pk_check_pair(&t->cert.pk, &t->key);
	return err;
}

static int setup_conf(struct card_tls *t)
{
	mbedtls_ssl_config *conf = &t->conf;
	int err;

	err = mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_SERVER,
					  MBEDTLS_SSL_TRANSPORT_STREAM,
					  MBEDTLS_SSL_PRESET_DEFAULT);
	if (err)
		return err;
	mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
				     MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
				     MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_ciphersuites(conf, suites);
	mbedtls_ssl_conf_curves(conf, curves);
	mbedtls_ssl_conf_rng(conf, mbedtls_ctr_drbg_random, &t->drbg);
	return mbedtls_ssl_conf_own_cert(conf, &t->cert, &t->key);
}

struct card_tls *card_tls_new(struct card_state *st, int verbose)
{
	static const char pers[] = "scws-card tls";
	struct card_tls *t = calloc(1, sizeof(*t));
	int err;

	if (!t)
		return NULL;
	t->verbose = verbose;
	mbedtls_entropy_init(&t->entropy);
	mbedtls_ctr_drbg_init(&t->drbg);
	mbedtls_pk_init(&t->key);
	mbedtls_x509_crt_init(&t->cert);
	mbedtls_ssl_config_init(&t->conf);
	err = mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func,
				    &t->entropy, (const uint8_t *)pers,
				    sizeof(pers) - 1);
	if (err)
		goto fail;
	if (load_identity(t, st)) {
		if (st)
			tls_log(verbose, 1, "making a new key and certificate",
				0);
		mbedtls_pk_free(&t->key);
		mbedtls_pk_init(&t->key);
		mbedtls_x509_crt_free(&t->cert);
		mbedtls_x509_crt_init(&t->cert);
		err = make_identity(t, st);
		if (err)
			goto fail;
	}
	err = setup_conf(t);
	if (err)
		goto fail;
	return t;
fail:
	tls_log(verbose, 0, "cannot set up TLS", err);
	card_tls_free(t);
	return NULL;
}

void card_tls_free(struct card_tls *t)
{
	if (!t)
		return;
	mbedtls_ssl_config_free(&t->conf);
	mbedtls_x509_crt_free(&t->cert);
	mbedtls_pk_free(&t->key);
	mbedtls_ctr_drbg_free(&t->drbg);
	mbedtls_entropy_free(&t->entropy);
	free(t);
}

void card_tls_cert(const struct card_tls *t, const uint8_t **der,
		   size_t *len)
{
	*der = t->cert.raw.p;
	*len = t->cert.raw.len;
}

/* ---- byte queues ---- */

static int queue_put(struct queue *q, const uint8_t *data, size_t n)
{
	if (!n)
		return 0;
	if (q->off == q->len)
		q->off = q->len = 0;
	if (n > q->cap - q->len) {
		size_t want = q->len - q->off + n, cap = q->cap ? q->cap : 1024;
		uint8_t *p;

		if (q->off) {		/* slide the waiting bytes down */
			memmove(q->p, q->p + q->off, q->len - q->off);
			q->len -= q->off;
			q->off = 0;
		}
		while (cap < want)
			cap *= 2;
		if (cap > q->cap) {
			p = realloc(q->p, cap);
			if (!p)
				return -1;
			q->p = p;
			q->cap = cap;
		}
	}
	memcpy(q->p + q->len, data, n);
	q->len += n;
	return 0;
}

static size_t queue_waiting(const struct queue *q)
{
	return q->len - q->off;
}

static void queue_free(struct queue *q)
{
	free(q->p);
	memset(q, 0, sizeof(*q));
}

/* ---- BIO over the queues ---- */

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct card_tls_conn *tc = ctx;

	if (queue_put(&tc->out, buf, len))
		return MBEDTLS_ERR_SSL_ALLOC_FAILED;
	return (int)len;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct card_tls_conn *tc = ctx;
	size_t n = queue_waiting(&tc->in);

	if (!n)
		return tc->eof ? 0 : MBEDTLS_ERR_SSL_WANT_READ;
	if (n > len)
		n = len;
	memcpy(buf, tc->in.p + tc->in.off, n);
	tc->in.off += n;
	return (int)n;
}

/* ---- connections ---- */

struct card_tls_conn *card_tls_conn_new(struct card_tls *t,
					struct scws_http *h)
{
	struct card_tls_conn *tc = calloc(1, sizeof(*tc));

	if (!tc)
		return NULL;
	tc->tls = t;
	mbedtls_ssl_init(&tc->ssl);
	if (mbedtls_ssl_setup(&tc->ssl, &t->conf)) {
		mbedtls_ssl_free(&tc->ssl);
		free(tc);
		return NULL;
	}
	mbedtls_ssl_set_bio(&tc->ssl, tc, bio_send, bio_recv, NULL);
	tc->http = h;
	return tc;
}

void card_tls_conn_free(struct card_tls_conn *tc)
{
	if (!tc)
		return;
	mbedtls_ssl_free(&tc->ssl);
	scws_http_free(tc->http);
	queue_free(&tc->in);
	queue_free(&tc->out);
	free(tc);
}

static void conn_fail(struct card_tls_conn *tc, const char *what, int err)
{
	/* mbed TLS has already queued the fatal alert it owes the peer. */
	tls_log(tc->tls->verbose, 1, what, err);
	tc->failed = true;
}

/* Encrypts web server output until enough is queued; then, once the web
 * server is done, says goodbye with close_notify. */
static void fill(struct card_tls_conn *tc)
{
	const uint8_t *data;
	size_t n;
	int ret;

	if (!tc->handshake_done || tc->failed || tc->closing)
		return;
	while (queue_waiting(&tc->out) < OUT_AHEAD) {
		n = scws_http_pending(tc->http, &data);
		if (!n)
			break;
		ret = mbedtls_ssl_write(&tc->ssl, data,
					n < RECORD_MAX ? n : RECORD_MAX);
		if (ret == MBEDTLS_ERR_SSL_WANT_WRITE ||
		    ret == MBEDTLS_ERR_SSL_WANT_READ)
			return;
		if (ret < 0) {
			conn_fail(tc, "write failed", ret);
			return;
		}
		scws_http_consume(tc->http, (size_t)ret);
	}
	if (scws_http_done(tc->http)) {
		ret = mbedtls_ssl_close_notify(&tc->ssl);
		if (ret && ret != MBEDTLS_ERR_SSL_WANT_WRITE)
			conn_fail(tc, "close_notify failed", ret);
		tc->closing = true;
	}
}

static void read_plaintext(struct card_tls_conn *tc)
{
	uint8_t plain[PLAIN_CHUNK];
	int ret;

	while (!tc->read_closed) {
		ret = mbedtls_ssl_read(&tc->ssl, plain, sizeof(plain));
		if (ret > 0) {
			if (scws_http_input(tc->http, plain, (size_t)ret) < 0) {
				conn_fail(tc, "no memory for a request", 0);
				return;
			}
			continue;
		}
		if (ret == MBEDTLS_ERR_SSL_WANT_READ ||
		    ret == MBEDTLS_ERR_SSL_WANT_WRITE)
			return;
		if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
		    ret == MBEDTLS_ERR_SSL_CONN_EOF) {
			/* The client is done sending; it may still read. */
			tc->read_closed = true;
			scws_http_input_end(tc->http);
			return;
		}
		conn_fail(tc, "read failed", ret);
		return;
	}
}

static void drive(struct card_tls_conn *tc)
{
	int ret;

	if (tc->failed)
		return;
	if (!tc->handshake_done) {
		ret = mbedtls_ssl_handshake(&tc->ssl);
		if (ret == MBEDTLS_ERR_SSL_WANT_READ ||
		    ret == MBEDTLS_ERR_SSL_WANT_WRITE)
			return;
		if (ret) {
			conn_fail(tc, "handshake failed", ret);
			return;
		}
		tc->handshake_done = true;
		if (tc->tls->verbose >= 1)
			fprintf(stderr, "scws-card: tls: %s with %s\n",
				mbedtls_ssl_get_version(&tc->ssl),
				mbedtls_ssl_get_ciphersuite(&tc->ssl));
	}
	read_plaintext(tc);
	fill(tc);
}

int card_tls_conn_input(struct card_tls_conn *tc, const uint8_t *data,
			size_t len)
{
	if (tc->failed || tc->eof)
		return 0;	/* nothing will read it any more */
	if (queue_put(&tc->in, data, len))
		return -1;
	drive(tc);
	return 0;
}

void card_tls_conn_input_end(struct card_tls_conn *tc)
{
	tc->eof = true;
	drive(tc);
	if (!tc->handshake_done && !tc->failed)
		tc->failed = true;	/* gone before the handshake ended */
}

size_t card_tls_conn_pending(struct card_tls_conn *tc, const uint8_t **data)
{
	size_t n;

	fill(tc);
	n = queue_waiting(&tc->out);
	*data = n ? tc->out.p + tc->out.off : NULL;
	return n;
}

void card_tls_conn_consume(struct card_tls_conn *tc, size_t n)
{
	size_t waiting = queue_waiting(&tc->out);

	tc->out.off += n < waiting ? n : waiting;
	if (tc->out.off == tc->out.len)
		tc->out.off = tc->out.len = 0;
}

bool card_tls_conn_done(const struct card_tls_conn *tc)
{
	return (tc->closing || tc->failed) && !queue_waiting(&tc->out);
}
