// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/scws-sig.c
// libs: -lcrypto
/*
 * sig_test.c - signatures of executables (scwsctl sign / verify): sign a
 * file, verify it, refuse it after one byte changed, refuse a damaged
 * signature and every shape the kernel refuses, and decide trust by
 * anchors like the kernel.  Keys are made here, in memory.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/cms.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "scws-sig.h"

struct id {
	EVP_PKEY *key;
	X509 *cert;
};

/* A certificate for a new key, signed by issuer (NULL: self-signed). */
static struct id make_id(const char *cn, const struct id *issuer, bool ca)
{
	struct id id = { EVP_RSA_gen(2048), X509_new() };
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	assert_non_null(id.key);
	X509_set_version(id.cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(id.cert), (long)(random() & 0xffffff) + 1);
	X509_gmtime_adj(X509_getm_notBefore(id.cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(id.cert), 3600);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(id.cert, name);
	X509_set_issuer_name(id.cert, issuer ? X509_get_subject_name(issuer->cert) : name);
	X509_set_pubkey(id.cert, id.key);
	X509V3_set_ctx(&ctx, issuer ? issuer->cert : id.cert, id.cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
				  ca ? "critical,CA:TRUE" : "CA:FALSE");
	X509_add_ext(id.cert, ext, -1);
	X509_EXTENSION_free(ext);
	assert_true(X509_sign(id.cert, issuer ? issuer->key : id.key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	return id;
}

static void free_id(struct id *id)
{
	EVP_PKEY_free(id->key);
	X509_free(id->cert);
}

/* A temporary file with content, open for reading at its start. */
static int temp_file(const char *content, size_t len)
{
	char path[] = "/tmp/sig_test.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void statement_of(const char *content, uint8_t *stmt)
{
	int fd = temp_file(content, strlen(content));

	assert_int_equal(scws_sig_statement_fd(fd, stmt), 0);
	close(fd);
}

static void test_statement(void **state)
{
	uint8_t stmt[SCWS_SIG_STATEMENT_LEN];
	/* SHA-256("abc") */
	static const uint8_t abc[SCWS_SHA256_LEN] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
		0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
		0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};

	(void)state;
	assert_int_equal(SCWS_SIG_STATEMENT_LEN, 48);
	statement_of("abc", stmt);
	assert_memory_equal(stmt, "scws-exe-sha256:", 16);
	assert_memory_equal(stmt + 16, abc, SCWS_SHA256_LEN);
}

static void test_sign_verify_tamper(void **state)
{
	struct id me = make_id("app signer", NULL, false);
	uint8_t stmt[SCWS_SIG_STATEMENT_LEN], other[SCWS_SIG_STATEMENT_LEN];
	uint8_t *sig, want[SCWS_SHA256_LEN], *der = NULL;
	struct scws_sig_result res;
	size_t len, i;
	int der_len;

	(void)state;
	statement_of("#!/bin/true\nan executable\n", stmt);
	assert_int_equal(scws_sig_sign(stmt, me.cert, me.key, &sig, &len), 0);
	assert_int_equal(scws_sig_verify(sig, len, stmt, &res), 0);
	assert_null(res.problem);
	/* signer-sha256 is the SHA-256 of the certificate's DER */
	der_len = i2d_X509(me.cert, &der);
	assert_true(der_len > 0);
	EVP_Digest(der, (size_t)der_len, want, NULL, EVP_sha256(), NULL);
	assert_memory_equal(res.signer_sha256, want, SCWS_SHA256_LEN);
	assert_int_equal(X509_cmp(res.signer, me.cert), 0);
	scws_sig_result_free(&res);

	/* One byte of the file changed: the same signature is refused. */
	statement_of("#!/bin/true\nan executablf\n", other);
	assert_int_not_equal(scws_sig_verify(sig, len, other, &res), 0);
	assert_string_equal(res.problem, "the signature does not match this file");
	assert_null(res.signer);

	/*
	 * Any byte of the signature changed: refused, or (a byte no
	 * signature covers: the digest algorithm list, the certificate's own
	 * signature, which only chaining checks) still valid by this key.
	 */
	for (i = 0; i < len; i++) {
		sig[i] ^= 0x01;
		if (scws_sig_verify(sig, len, stmt, &res) == 0) {
			assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(res.signer),
						     me.key), 1);
			scws_sig_result_free(&res);
		} else {
			assert_null(res.signer);
		}
		sig[i] ^= 0x01;
	}
	/* Truncated. */
	assert_int_not_equal(scws_sig_verify(sig, len - 1, stmt, &res), 0);
	OPENSSL_free(sig);
	OPENSSL_free(der);
	free_id(&me);
}

/* Signed some other way than scwsctl sign: what the kernel refuses. */
static void test_shapes(void **state)
{
	struct id me = make_id("app signer", NULL, false);
	struct id ca = make_id("some CA", NULL, true);
	uint8_t stmt[SCWS_SIG_STATEMENT_LEN], *der = NULL;
	struct scws_sig_result res;
	STACK_OF(X509) *extra = sk_X509_new_null();
	CMS_ContentInfo *cms;
	BIO *in;
	int len;

	(void)state;
	statement_of("x", stmt);
	in = BIO_new_mem_buf(stmt, sizeof(stmt));
	cms = CMS_sign(me.cert, me.key, NULL, in, CMS_DETACHED | CMS_BINARY);
	len = i2d_CMS_ContentInfo(cms, &der);
	assert_int_not_equal(scws_sig_verify(der, (size_t)len, stmt, &res), 0);
	assert_non_null(strstr(res.problem, "signed attributes"));
	CMS_ContentInfo_free(cms);
	OPENSSL_free(der);
	der = NULL;

	BIO_reset(in);
	cms = CMS_sign(me.cert, me.key, NULL, in,
		       CMS_DETACHED | CMS_BINARY | CMS_NOATTR | CMS_NOCERTS);
	len = i2d_CMS_ContentInfo(cms, &der);
	assert_int_not_equal(scws_sig_verify(der, (size_t)len, stmt, &res), 0);
	assert_non_null(strstr(res.problem, "not exactly one certificate"));
	CMS_ContentInfo_free(cms);
	OPENSSL_free(der);
	der = NULL;

	BIO_reset(in);
	sk_X509_push(extra, ca.cert);
	cms = CMS_sign(me.cert, me.key, extra, in,
		       CMS_DETACHED | CMS_BINARY | CMS_NOATTR);
	len = i2d_CMS_ContentInfo(cms, &der);
	assert_int_not_equal(scws_sig_verify(der, (size_t)len, stmt, &res), 0);
	assert_non_null(strstr(res.problem, "not exactly one certificate"));
	CMS_ContentInfo_free(cms);
	OPENSSL_free(der);
	der = NULL;

	BIO_reset(in);
	cms = CMS_sign(me.cert, me.key, NULL, in, CMS_BINARY | CMS_NOATTR);
	len = i2d_CMS_ContentInfo(cms, &der);
	assert_int_not_equal(scws_sig_verify(der, (size_t)len, stmt, &res), 0);
	assert_non_null(strstr(res.problem, "attached"));
	CMS_ContentInfo_free(cms);
	OPENSSL_free(der);

	assert_int_not_equal(scws_sig_verify((const uint8_t *)"junk", 4, stmt, &res), 0);
	sk_X509_free(extra);
	BIO_free(in);
	free_id(&me);
	free_id(&ca);
}

static void test_chains(void **state)
{
	struct id ca = make_id("manufacturer CA", NULL, true);
	struct id app = make_id("app", &ca, false);
	struct id other = make_id("other", NULL, false);
	X509 *anchors[2] = { other.cert, ca.cert };

	(void)state;
	assert_true(scws_sig_chains(app.cert, &ca.cert, 1));	/* issued by */
	assert_true(scws_sig_chains(app.cert, &app.cert, 1));	/* itself */
	assert_true(scws_sig_chains(app.cert, anchors, 2));
	assert_false(scws_sig_chains(app.cert, &other.cert, 1));
	assert_false(scws_sig_chains(other.cert, &ca.cert, 1));
	assert_false(scws_sig_chains(app.cert, NULL, 0));
	free_id(&ca);
	free_id(&app);
	free_id(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statement),
		cmocka_unit_test(test_sign_verify_tamper),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_chains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
