// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * scws-sig.c - signatures of executables with OpenSSL's libcrypto: making
 * them, and checking them the way scws.ko does (see scws-sig.h).
 */
#include "scws-sig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#define PREFIX_LEN (sizeof(SCWS_SIG_STATEMENT) - 1)

void scws_sig_statement(const uint8_t digest[SCWS_SHA256_LEN],
			uint8_t stmt[SCWS_SIG_STATEMENT_LEN])
{
	memcpy(stmt, SCWS_SIG_STATEMENT, PREFIX_LEN);
	memcpy(stmt + PREFIX_LEN, digest, SCWS_SHA256_LEN);
}

int scws_sig_statement_fd(int fd, uint8_t stmt[SCWS_SIG_STATEMENT_LEN])
{
	uint8_t buf[65536], digest[SCWS_SHA256_LEN];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int err = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ? 0 : -ENOMEM;
	ssize_t n;

	while (!err) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		if (n <= 0)
			break;
		if (!EVP_DigestUpdate(ctx, buf, (size_t)n))
			err = -EIO;
	}
	if (!err && !EVP_DigestFinal_ex(ctx, digest, NULL))
		err = -EIO;
	EVP_MD_CTX_free(ctx);
	if (!err)
		scws_sig_statement(digest, stmt);
	return err;
}

X509 *scws_sig_load_cert(const char *path)
{
	BIO *b = BIO_new_file(path, "rb");
	X509 *x;

	if (!b)
		return NULL;
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	if (!x) {
		(void)BIO_reset(b);
		x = d2i_X509_bio(b, NULL);
	}
	BIO_free(b);
	return x;
}

EVP_PKEY *scws_sig_load_key(const char *path)
{
	BIO *b = BIO_new_file(path, "rb");
	EVP_PKEY *k;

	if (!b)
		return NULL;
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	return k;
}

int scws_sig_cert_der(X509 *cert, uint8_t **der)
{
	*der = NULL;
	return i2d_X509(cert, der);
}

int scws_sig_sign(const uint8_t stmt[SCWS_SIG_STATEMENT_LEN], X509 *cert,
		  EVP_PKEY *key, uint8_t **sig, size_t *sig_len)
{
	/* The shape of a module signature: detached, no signed attributes. */
	const unsigned int flags = CMS_DETACHED | CMS_BINARY | CMS_NOATTR |
				   CMS_NOSMIMECAP;
	BIO *in = BIO_new_mem_buf(stmt, SCWS_SIG_STATEMENT_LEN);
	CMS_ContentInfo *cms = NULL;
	unsigned char *der = NULL;
	int len = -1;

	if (in)
		cms = CMS_sign(cert, key, NULL, in, flags);
	if (cms)
		len = i2d_CMS_ContentInfo(cms, &der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	if (len <= 0)
		return -1;
	*sig = der;
	*sig_len = (size_t)len;
	return 0;
}

void scws_sig_result_free(struct scws_sig_result *res)
{
	X509_free(res->signer);
	res->signer = NULL;
}

/* The kernel's conditions on the message, before any cryptography. */
static const char *shape_problem(CMS_ContentInfo *cms)
{
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *certs;
	const char *problem = NULL;
	ASN1_OCTET_STRING *keyid = NULL;
	ASN1_INTEGER *serial = NULL;
	X509_NAME *issuer = NULL;
	CMS_SignerInfo *si;

	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed)
		return "not a SignedData";
	if (!CMS_is_detached(cms))
		return "the content is attached (it must be detached)";
	if (OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data)
		return "the content type is not data";
	sis = CMS_get0_SignerInfos(cms);
	if (!sis || sk_CMS_SignerInfo_num(sis) != 1)
		return "not exactly one signer";
	si = sk_CMS_SignerInfo_value(sis, 0);
	if (CMS_signed_get_attr_count(si) > 0)
		return "signed attributes (sign with no attributes, as scwsctl sign does)";
	if (!CMS_SignerInfo_get0_signer_id(si, &keyid, &issuer, &serial) ||
	    !issuer || !serial)
		return "the signer is not named by issuer and serial";
	certs = CMS_get1_certs(cms);
	if (!certs || sk_X509_num(certs) != 1)
		problem = "not exactly one certificate (it must carry its signer's alone)";
	else if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, 0)) != 0)
		problem = "the certificate it carries is not its signer's";
	sk_X509_pop_free(certs, X509_free);
	return problem;
}

int scws_sig_verify(const uint8_t *sig, size_t sig_len,
		    const uint8_t stmt[SCWS_SIG_STATEMENT_LEN],
		    struct scws_sig_result *res)
{
	const unsigned char *p = sig;
	CMS_ContentInfo *cms;
	STACK_OF(X509) *certs;
	BIO *content;
	X509 *signer;
	int ok;

	memset(res, 0, sizeof(*res));
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);
	if (!cms || p != sig + sig_len) {
		CMS_ContentInfo_free(cms);
		res->problem = "not a DER CMS/PKCS#7 message";
		return -1;
	}
	res->problem = shape_problem(cms);
	if (res->problem) {
		CMS_ContentInfo_free(cms);
		return -1;
	}
	/*
	 * Behind a buffer BIO: OpenSSL 3.0's CMS_verify() leaks the copy it
	 * makes of a memory BIO when the signature is bad.
	 */
	content = BIO_new(BIO_f_buffer());
	if (content)
		BIO_push(content, BIO_new_mem_buf(stmt, SCWS_SIG_STATEMENT_LEN));
	/* Valid by its own certificate; trust is scws_sig_chains()'s. */
	ok = content && BIO_next(content) &&
	     CMS_verify(cms, NULL, NULL, content, NULL,
			CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
	BIO_free_all(content);
	certs = ok ? CMS_get1_certs(cms) : NULL;
	signer = certs ? sk_X509_value(certs, 0) : NULL;
	if (signer) {
		X509_up_ref(signer);
		res->signer = signer;
		X509_digest(signer, EVP_sha256(), res->signer_sha256, NULL);
		X509_digest(signer, EVP_sha1(), res->signer_sha1, NULL);
	} else {
		res->problem = "the signature does not match this file";
	}
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	return signer ? 0 : -1;
}

bool scws_sig_chains(X509 *signer, X509 *const *anchors, size_t n)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	bool ok = false;
	size_t i;

	if (!store || !ctx)
		goto out;
	for (i = 0; i < n; i++)
		X509_STORE_add_cert(store, anchors[i]);
	/* Like the kernel: any anchor ends a chain, no clock, no purpose. */
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN |
			     X509_V_FLAG_NO_CHECK_TIME);
	if (X509_STORE_CTX_init(ctx, store, signer, NULL) == 1)
		ok = X509_verify_cert(ctx) == 1;
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return ok;
}
