// SPDX-License-Identifier: GPL-2.0
/*
 * Basic and Digest authentication against the card PIN (see auth.h).
 *
 * Digest nonces come from the card's RNG (CTR_DRBG seeded from the
 * platform entropy) and live in a small table: a nonce the table no longer
 * holds gets "stale=true" (the client retries with the same credentials,
 * no PIN try spent), and each nonce's nonce-count must grow, so a captured
 * answer cannot be replayed.  The PIN never leaves pin.c: Digest answers
 * are checked through card_pin_verify_proof().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

#include "auth.h"
#include "uicc/pin.h"

#define NONCES 32
#define NONCE_BYTES 16
#define MAX_PARAM 256		/* longest Digest parameter value we take */

struct nonce {
	char value[2 * NONCE_BYTES + 1];
	uint32_t last_nc;
	unsigned long issued;	/* 0: slot free */
};

struct http_auth {
	struct card_pin *pin;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	char opaque[17];
	struct nonce nonces[NONCES];
	unsigned long clock;
};

enum outcome { AUTH_OK, AUTH_CHALLENGE, AUTH_STALE, AUTH_BAD };

static bool random_hex(struct http_auth *a, char *out, size_t bytes)
{
	uint8_t raw[NONCE_BYTES];

	if (bytes > sizeof(raw) ||
	    mbedtls_ctr_drbg_random(&a->drbg, raw, bytes))
		return false;
	for (size_t i = 0; i < bytes; i++)
		sprintf(out + 2 * i, "%02x", raw[i]);
	return true;
}

struct http_auth *http_auth_new(struct card_pin *pin)
{
	static const char pers[] = "scws-card http auth";
	struct http_auth *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->pin = pin;
	mbedtls_entropy_init(&a->entropy);
	mbedtls_ctr_drbg_init(&a->drbg);
	if (mbedtls_ctr_drbg_seed(&a->drbg, mbedtls_entropy_func, &a->entropy,
				  (const unsigned char *)pers, sizeof(pers)) ||
	    !random_hex(a, a->opaque, 8)) {
		http_auth_free(a);
		return NULL;
	}
	return a;
}

void http_auth_free(struct http_auth *a)
{
	if (!a)
		return;
	mbedtls_ctr_drbg_free(&a->drbg);
	mbedtls_entropy_free(&a->entropy);
	free(a);
}

/* ---- digests ---- */

struct hasher {
	mbedtls_md_context_t md;
	const mbedtls_md_info_t *info;
};

static bool hash_start(struct hasher *h, enum digest_alg alg)
{
	h->info = mbedtls_md_info_from_type(alg == DIGEST_SHA256 ?
					    MBEDTLS_MD_SHA256 : MBEDTLS_MD_MD5);
	mbedtls_md_init(&h->md);
	return h->info && !mbedtls_md_setup(&h->md, h->info, 0) &&
	       !mbedtls_md_starts(&h->md);
}

/* Feeds the NULL-terminated strings, joined by ':'. */
static void hash_join(struct hasher *h, const char *const *parts)
{
	for (size_t i = 0; parts[i]; i++) {
		if (i)
			mbedtls_md_update(&h->md, (const unsigned char *)":", 1);
		mbedtls_md_update(&h->md, (const unsigned char *)parts[i],
				  strlen(parts[i]));
	}
}

static bool hash_hex(struct hasher *h, char out[65])
{
	uint8_t raw[32];
	size_t n = mbedtls_md_get_size(h->info);
	bool ok = !mbedtls_md_finish(&h->md, raw);

	mbedtls_md_free(&h->md);
	for (size_t i = 0; ok && i < n; i++)
		sprintf(out + 2 * i, "%02x", raw[i]);
	mbedtls_platform_zeroize(raw, sizeof(raw));
	return ok;
}

static bool hash_of(enum digest_alg alg, const char *const *parts, char out[65])
{
	struct hasher h;

	if (!hash_start(&h, alg)) {
		mbedtls_md_free(&h.md);
		return false;
	}
	hash_join(&h, parts);
	return hash_hex(&h, out);
}

bool http_digest_response(const struct digest_params *d, char out[65])
{
	char ha1[65], ha2[65];
	const char *a1[] = { d->username, d->realm, d->password, NULL };
	const char *a2[] = { d->method, d->uri, NULL };
	bool ok = hash_of(d->alg, a1, ha1);

	if (ok && d->sess) {
		const char *s[] = { ha1, d->nonce, d->cnonce, NULL };

		ok = hash_of(d->alg, s, ha1);
	}
	ok = ok && hash_of(d->alg, a2, ha2);
	if (ok) {
		const char *kd[] = { ha1, d->nonce, d->nc, d->cnonce, d->qop,
				     ha2, NULL };

		ok = hash_of(d->alg, kd, out);
	}
	mbedtls_platform_zeroize(ha1, sizeof(ha1));
	return ok;
}

/* ---- challenges ---- */

static const char *new_nonce(struct http_auth *a)
{
	struct nonce *slot = &a->nonces[0];

	for (size_t i = 0; i < NONCES; i++) {
		if (!a->nonces[i].issued) {
			slot = &a->nonces[i];
			break;
		}
		if (a->nonces[i].issued < slot->issued)
			slot = &a->nonces[i];
	}
	if (!random_hex(a, slot->value, NONCE_BYTES))
		return NULL;
	slot->last_nc = 0;
	slot->issued = ++a->clock;
	return slot->value;
}

static struct nonce *find_nonce(struct http_auth *a, const char *value)
{
	for (size_t i = 0; i < NONCES; i++)
		if (a->nonces[i].issued && !strcmp(a->nonces[i].value, value))
			return &a->nonces[i];
	return NULL;
}

static void unauthorized(struct http_auth *a, struct http_reply *r, bool stale)
{
	int tries = card_pin_tries_left(a->pin);
	const char *nonce = new_nonce(a);

	r->status = 401;
	r->body.len = 0;
	r->body_ref = NULL;
	r->dynamic = false;
	r->no_store = true;
	if (!nonce) {
		http_reply_error(r, 500, "the card's random generator failed");
		return;
	}
	http_reply_html_begin(r, tries ? "PIN required" : "PIN blocked");
	if (tries) {
		http_buf_printf(&r->body, "<p>This page is protected by your SIM "
				"card's PIN. Enter any user name and the PIN as "
				"the password. %d %s left.</p>\n", tries,
				tries == 1 ? "try" : "tries");
	} else {
		http_buf_puts(&r->body, "<p>The PIN is blocked after too many "
			      "wrong tries.</p>\n<p><a href=\"/cgi/unblock\">"
			      "Unblock it with the PUK</a>.</p>\n");
	}
	http_reply_html_end(r);
	for (int alg = 0; alg < 2; alg++)
		http_reply_field(r, "WWW-Authenticate",
				 "Digest realm=\"" HTTP_REALM "\", qop=\"auth\", "
				 "algorithm=%s, nonce=\"%s\", opaque=\"%s\"%s",
				 alg ? "MD5" : "SHA-256", nonce, a->opaque,
				 stale ? ", stale=true" : "");
	http_reply_field(r, "WWW-Authenticate",
			 "Basic realm=\"" HTTP_REALM "\", charset=\"UTF-8\"");
}

/* ---- Basic ---- */

static enum outcome check_basic(struct http_auth *a, const char *cred,
				enum pin_result *pin)
{
	unsigned char buf[256];
	size_t n = 0;
	char *colon;

	if (mbedtls_base64_decode(buf, sizeof(buf) - 1, &n,
				  (const unsigned char *)cred, strlen(cred)) ||
	    memchr(buf, '\0', n))
		return AUTH_BAD;
	buf[n] = '\0';
	colon = strchr((char *)buf, ':');
	if (!colon)
		return AUTH_BAD;
	*pin = card_pin_verify(a->pin, colon + 1);
	mbedtls_platform_zeroize(buf, sizeof(buf));
	return AUTH_OK;
}

/* ---- Digest ---- */

enum { P_USERNAME, P_REALM, P_NONCE, P_URI, P_RESPONSE, P_ALGORITHM,
       P_CNONCE, P_OPAQUE, P_QOP, P_NC, P_USERHASH, P_COUNT };

static const char *const param_names[P_COUNT] = {
	"username", "realm", "nonce", "uri", "response", "algorithm",
	"cnonce", "opaque", "qop", "nc", "userhash",
};

static bool is_tchar(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ows(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* auth-param list (RFC 9110 11.2) into vals; storage holds the values. */
static bool parse_params(const char *s, char *storage, size_t cap,
			 const char *vals[P_COUNT])
{
	size_t used = 0;

	for (;;) {
		const char *name;
		size_t nlen, vlen = 0;
		char *val = storage + used;
		int idx = -1;

		while (*s == ',' || *s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return true;
		for (name = s; is_tchar(*s); s++)
			;
		nlen = (size_t)(s - name);
		s = skip_ows(s);
		if (!nlen || *s != '=')
			return false;
		s = skip_ows(s + 1);
		if (cap - used < MAX_PARAM + 1)
			return false;
		if (*s == '"') {
			for (s++; *s != '"'; s++) {
				if (*s == '\\')
					s++;
				if (!*s || ((unsigned char)*s < 0x20 && *s != '\t') ||
				    vlen == MAX_PARAM)
					return false;
				val[vlen++] = *s;
			}
			s++;
		} else {
			for (; is_tchar(*s) || *s == '/' || *s == '='; s++) {
				if (vlen == MAX_PARAM)
					return false;
				val[vlen++] = *s;
			}
			if (!vlen)
				return false;
		}
		val[vlen] = '\0';
		for (int i = 0; i < P_COUNT; i++)
			if (strlen(param_names[i]) == nlen &&
			    !strncasecmp(name, param_names[i], nlen))
				idx = i;
		if (idx >= 0) {
			if (vals[idx])
				return false;	/* duplicate */
			vals[idx] = val;
			used += vlen + 1;
		}
		s = skip_ows(s);
		if (*s && *s != ',')
			return false;
	}
}

static bool all_hex(const char *s, size_t len)
{
	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

static bool parse_algorithm(const char *name, struct digest_params *d)
{
	static const struct {
		const char *name;
		enum digest_alg alg;
		bool sess;
	} algs[] = {
		{ "MD5", DIGEST_MD5, false },
		{ "MD5-sess", DIGEST_MD5, true },
		{ "SHA-256", DIGEST_SHA256, false },
		{ "SHA-256-sess", DIGEST_SHA256, true },
	};

	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (!strcasecmp(name, algs[i].name)) {
			d->alg = algs[i].alg;
			d->sess = algs[i].sess;
			return true;
		}
	}
	return false;
}

struct digest_check {
	struct digest_params d;
	const char *response;
	char rspauth[65];
};

static bool digest_match(const char *pin, void *arg)
{
	struct digest_check *c = arg;
	char expect[65];
	uint8_t diff = 0;
	size_t n;

	c->d.password = pin;
	if (!http_digest_response(&c->d, expect))
		return false;
	n = strlen(expect);
	for (size_t i = 0; i < n; i++)	/* constant time, any hex case */
		diff |= (uint8_t)(expect[i] ^ (c->response[i] | 0x20));
	if (diff == 0) {
		c->d.method = "";	/* rspauth: A2 without the method */
		if (!http_digest_response(&c->d, c->rspauth))
			c->rspauth[0] = '\0';
	}
	c->d.password = NULL;
	return diff == 0;
}

/* Appends a quoted-string for s (RFC 9110 5.6.4). */
static void quote(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	out[n++] = '"';
	for (; *s && n + 3 < cap; s++) {
		if (*s == '"' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '"';
	out[n] = '\0';
}

static enum outcome check_digest(struct http_auth *a,
				 const struct http_request *req,
				 const char *cred, struct http_reply *r,
				 enum pin_result *pin)
{
	char storage[HTTP_MAX_HEADERS];
	const char *v[P_COUNT] = { 0 };
	struct digest_check c = { 0 };
	struct nonce *nonce;
	unsigned long nc;
	char cnonce[2 * MAX_PARAM + 3];

	if (!parse_params(cred, storage, sizeof(storage), v) ||
	    !v[P_USERNAME] || !v[P_REALM] || !v[P_NONCE] || !v[P_URI] ||
	    !v[P_RESPONSE])
		return AUTH_BAD;
	if (!v[P_QOP] || strcasecmp(v[P_QOP], "auth") ||
	    strcmp(v[P_REALM], HTTP_REALM) ||
	    (v[P_USERHASH] && strcasecmp(v[P_USERHASH], "false")))
		return AUTH_CHALLENGE;	/* not what we offered */
	if (!v[P_NC] || !v[P_CNONCE] || !all_hex(v[P_NC], 8))
		return AUTH_BAD;
	if (strcmp(v[P_URI], req->target))
		return AUTH_BAD;	/* RFC 7616 3.4.6 */

	if (!parse_algorithm(v[P_ALGORITHM] ? v[P_ALGORITHM] : "MD5", &c.d))
		return AUTH_CHALLENGE;
	if (!all_hex(v[P_RESPONSE], c.d.alg == DIGEST_SHA256 ? 64 : 32))
		return AUTH_BAD;

	nonce = find_nonce(a, v[P_NONCE]);
	if (!nonce || (v[P_OPAQUE] && strcmp(v[P_OPAQUE], a->opaque)))
		return AUTH_STALE;
	nc = strtoul(v[P_NC], NULL, 16);
	if (nc <= nonce->last_nc)
		return AUTH_CHALLENGE;	/* replayed */
	nonce->last_nc = (uint32_t)nc;

	c.d.username = v[P_USERNAME];
	c.d.realm = v[P_REALM];
	c.d.method = req->method_name;
	c.d.uri = v[P_URI];
	c.d.nonce = v[P_NONCE];
	c.d.nc = v[P_NC];
	c.d.cnonce = v[P_CNONCE];
	c.d.qop = "auth";
	c.response = v[P_RESPONSE];
	*pin = card_pin_verify_proof(a->pin, digest_match, &c);
	if (*pin == PIN_OK && c.rspauth[0]) {
		quote(cnonce, sizeof(cnonce), v[P_CNONCE]);
		http_reply_field(r, "Authentication-Info",
				 "rspauth=\"%s\", qop=auth, nc=%s, cnonce=%s",
				 c.rspauth, v[P_NC], cnonce);
	}
	return AUTH_OK;
}

bool http_auth_require(struct http_auth *a, const struct http_request *req,
		       struct http_reply *r)
{
	const char *h = http_request_field(req, "Authorization");
	enum pin_result pin = PIN_WRONG;
	enum outcome out = AUTH_CHALLENGE;

	if (h && !strncasecmp(h, "Basic ", 6))
		out = check_basic(a, skip_ows(h + 6), &pin);
	else if (h && !strncasecmp(h, "Digest ", 7))
		out = check_digest(a, req, skip_ows(h + 7), r, &pin);

	if (out == AUTH_OK && pin == PIN_OK) {
		r->no_store = true;
		return true;
	}
	if (out == AUTH_BAD) {
		http_reply_error(r, 400, "The Authorization field is malformed.");
		return false;
	}
	unauthorized(a, r, out == AUTH_STALE);
	return false;
}
