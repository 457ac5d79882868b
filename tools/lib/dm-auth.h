/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-auth.h - the OMA DM 1.2 MD5 constructions (OMA-TS-DM_Security 1.2),
 * shared by the DM client (scws-dmc) and the card's DM server:
 * syncml:auth-md5 credentials and the package #0 notification digest.
 */
#ifndef SCWS_DM_AUTH_H
#define SCWS_DM_AUTH_H

#include <stddef.h>
#include <stdint.h>

#define DM_MD5_LEN 16
/* Base64 of an MD5 value: 24 characters and a NUL. */
#define DM_MD5_B64_SIZE 25

/* Base64 of len bytes into out (NUL-terminated); out needs 4*ceil(len/3)+1. */
void dm_b64_encode(const uint8_t *in, size_t len, char *out);
/* Decode NUL-terminated base64 (whitespace ignored); -1 if malformed or
 * longer than max. */
int dm_b64_decode(const char *in, uint8_t *out, size_t max, size_t *len);

/* B64(H(B64(H(name:secret)):nonce)): the Data of a syncml:auth-md5 Cred. */
void dm_md5_cred(const char *name, const char *secret,
		 const uint8_t *nonce, size_t nonce_len,
		 char out[DM_MD5_B64_SIZE]);

/* H(B64(H(server-id:secret)):nonce:B64(H(trigger))): the 16-byte digest
 * of a package #0 (OMA-TS-DM_Notification 1.2). */
void dm_notify_digest(const char *server_id, const char *secret,
		      const uint8_t *nonce, size_t nonce_len,
		      const uint8_t *trigger, size_t trigger_len,
		      uint8_t out[DM_MD5_LEN]);

/* Constant-time compare, for digests. */
int dm_mem_equal(const void *a, const void *b, size_t len);

#endif
