/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * scws-sig.h - signatures of executables, as scws.ko checks them.
 *
 * A signature is a DER CMS/PKCS#7 SignedData, detached, over the 48-byte
 * statement SCWS_SIG_STATEMENT || SHA-256(file), with no signed
 * attributes, exactly one SignerInfo (issuer and serial) and exactly one
 * certificate: the signer's.  It lives in the trusted.scws.sig extended
 * attribute (CAP_SYS_ADMIN to write, and to read from userspace).  The kernel checks it with its own PKCS#7 code: the signature
 * is valid by the certificate it carries (signer-sha256/-sha1 are that
 * certificate's hashes), and it is trusted when that certificate is, or is
 * issued by, a certificate of the manufacturer's or the card's set.
 */
#ifndef SCWS_SIG_H
#define SCWS_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <linux/scws.h>

#define SCWS_SIG_STATEMENT_LEN (sizeof(SCWS_SIG_STATEMENT) - 1 + SCWS_SHA256_LEN)

/* The statement for the file at fd (read to its end). 0 or -errno. */
int scws_sig_statement_fd(int fd, uint8_t stmt[SCWS_SIG_STATEMENT_LEN]);
void scws_sig_statement(const uint8_t digest[SCWS_SHA256_LEN],
			uint8_t stmt[SCWS_SIG_STATEMENT_LEN]);

/* A certificate, PEM or DER; a private key, PEM.  NULL on failure. */
X509 *scws_sig_load_cert(const char *path);
EVP_PKEY *scws_sig_load_key(const char *path);
/* DER of cert in *der (malloc'd); its length, or -1. */
int scws_sig_cert_der(X509 *cert, uint8_t **der);

/* Signs stmt with key, carrying cert.  0 with *sig (malloc'd), or -1. */
int scws_sig_sign(const uint8_t stmt[SCWS_SIG_STATEMENT_LEN], X509 *cert,
		  EVP_PKEY *key, uint8_t **sig, size_t *sig_len);

struct scws_sig_result {
	X509 *signer;			/* owned; NULL unless valid */
	uint8_t signer_sha256[SCWS_SHA256_LEN];
	uint8_t signer_sha1[SCWS_SHA1_LEN];
	const char *problem;		/* why not valid, when it is not */
};

/*
 * Checks sig over stmt as the kernel does: its shape, then the signature
 * by the certificate it carries.  0 with res filled; -1 with res->problem.
 */
int scws_sig_verify(const uint8_t *sig, size_t sig_len,
		    const uint8_t stmt[SCWS_SIG_STATEMENT_LEN],
		    struct scws_sig_result *res);
void scws_sig_result_free(struct scws_sig_result *res);

/* Is signer one of anchors, or issued (directly or through none but
 * anchors) by one?  Times and key usage are not checked: the kernel does
 * not check them either. */
bool scws_sig_chains(X509 *signer, X509 *const *anchors, size_t n);

#endif /* SCWS_SIG_H */
