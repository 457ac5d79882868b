/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP authentication of protected resources against the card PIN (CHV1):
 * Basic (RFC 7617) and Digest (RFC 7616: SHA-256 and MD5, plain and -sess,
 * qop=auth).  Any user name; the password is the PIN.  Every wrong PIN
 * costs one of the card's tries, exactly like an ISO 7816 VERIFY.  A
 * malformed, replayed or stale Digest answer is refused without touching
 * the PIN.
 */
#ifndef SCWS_CARD_AUTH_H
#define SCWS_CARD_AUTH_H

#include "http.h"

/* NULL on out-of-memory or when the RNG cannot be seeded. */
struct http_auth *http_auth_new(struct card_pin *pin);
void http_auth_free(struct http_auth *a);

/* true when req carries the card's PIN.  Otherwise r is the reply to
 * send: 401 with the challenges (Digest SHA-256, Digest MD5, Basic), its
 * page saying how many tries are left or that the PIN is blocked; or 400
 * for a malformed Authorization.  On success a Digest client gets an
 * Authentication-Info field (rspauth). */
bool http_auth_require(struct http_auth *a, const struct http_request *req,
		       struct http_reply *r);

enum digest_alg { DIGEST_MD5, DIGEST_SHA256 };

struct digest_params {
	enum digest_alg alg;
	bool sess;		/* "-sess": HA1 bound to nonce and cnonce */
	const char *username, *realm, *password;
	const char *method;	/* "" for rspauth */
	const char *uri, *nonce, *nc, *cnonce, *qop;
};

/* The lower-case hex request-digest of RFC 7616 3.4.1 into out (65
 * bytes).  false if the hash is unavailable. */
bool http_digest_response(const struct digest_params *d, char out[65]);

#endif /* SCWS_CARD_AUTH_H */
