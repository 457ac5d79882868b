// SPDX-License-Identifier: GPL-2.0
/*
 * The content store: one state entry per resource, "content/<path>",
 *
 *   [0] format (2)  [1] n = length of the content type + its NUL
 *   [2 .. 2+n)      content type, NUL-terminated
 *   [2+n .. 10+n)   tag: SHA-256 of type, NUL and body, first 8 bytes
 *   [10+n .. 18+n)  when it was stored: seconds since the epoch,
 *                   big-endian; 0 if the card had no clock
 *   [18+n ..)       the body
 *
 * and the protection list "site/protected": path prefixes, one a line.
 * The content folder is imported once, on the first start; after that the
 * state is the truth (an admin agent may change it).  Format 1 entries
 * (no tag, no time) from older states are still served; their tag is
 * computed on each request.
 *
 * The tag is the ETag.  A hash of the bytes rather than a version counter:
 * a strong validator must change whenever the bytes do, and a counter
 * starts again after --reset-state or on another card, where it would
 * name different bytes with an ETag a client already holds (a wrong 304).
 * A hash cannot, and equal content keeps its ETag across re-imports.  It
 * is computed once, when the resource is stored, not per request.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/md.h>

#include "http/auth.h"
#include "uicc/fs.h"
#include "site.h"
#include "log.h"

#define RESOURCE_FORMAT_V1 1
#define RESOURCE_FORMAT 2
#define TAG_OFF(n) (2 + (n))
#define TIME_OFF(n) (2 + (n) + SITE_TAG_LEN)
#define BODY_OFF(n) (2 + (n) + SITE_TAG_LEN + 8)

/* type (with its NUL) and body: the representation the ETag names. */
static int resource_tag(const char *type, size_t n, const uint8_t *body,
			size_t len, uint8_t tag[SITE_TAG_LEN])
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	uint8_t sum[32];
	mbedtls_md_context_t ctx;
	int rc;

	mbedtls_md_init(&ctx);
	rc = mbedtls_md_setup(&ctx, md, 0) || mbedtls_md_starts(&ctx) ||
	     mbedtls_md_update(&ctx, (const uint8_t *)type, n) ||
	     mbedtls_md_update(&ctx, body, len) ||
	     mbedtls_md_finish(&ctx, sum);
	mbedtls_md_free(&ctx);
	if (rc)
		return -EIO;
	memcpy(tag, sum, SITE_TAG_LEN);
	return 0;
}

struct scws_site *scws_site_open(struct card_state *st, struct card_pin *pin,
				 const char *content_dir)
{
	struct scws_site *s = calloc(1, sizeof(*s));
	const uint8_t *val;
	size_t len;

	if (!s)
		return NULL;
	s->st = st;
	s->pin = pin;
	s->fs = card_fs_open(st);
	s->auth = http_auth_new(pin);
	http_origins_init(&s->origins);
	if (!s->fs || !s->auth)
		goto fail;
	if (content_dir && card_state_get(st, SITE_IMPORTED_KEY, &val, &len)) {
		int rc = site_import(s, content_dir);

		if (rc) {
			card_err("cannot import %s: %s", content_dir, strerror(-rc));
			goto fail;
		}
	}
	return s;
fail:
	scws_site_close(s);
	return NULL;
}

void scws_site_close(struct scws_site *s)
{
	if (!s)
		return;
	http_auth_free(s->auth);
	card_fs_close(s->fs);
	free(s);
}

/* "content/" + path without its leading '/'; false if too long. */
static bool resource_key(const char *path, char *key, size_t cap)
{
	int n = snprintf(key, cap, SITE_CONTENT_PREFIX "%s", path + 1);

	return path[0] == '/' && n > 0 && (size_t)n < cap;
}

int site_resource_get(const struct scws_site *s, const char *path,
		      struct site_resource *res)
{
	char key[sizeof(SITE_CONTENT_PREFIX) + SITE_MAX_PATH];
	const uint8_t *val;
	uint64_t t = 0;
	size_t len, n;

	if (!resource_key(path, key, sizeof(key)) ||
	    card_state_get(s->st, key, &val, &len))
		return -ENOENT;
	if (len < 3 || (val[0] != RESOURCE_FORMAT && val[0] != RESOURCE_FORMAT_V1))
		return -EIO;
	n = val[1];
	if (n == 0 || len < 2 + n || val[1 + n] != '\0')
		return -EIO;
	res->content_type = (const char *)val + 2;
	if (val[0] == RESOURCE_FORMAT_V1) {
		res->body = val + 2 + n;
		res->len = len - 2 - n;
		res->modified = 0;
		return resource_tag(res->content_type, n, res->body, res->len,
				    res->tag);
	}
	if (len < BODY_OFF(n))
		return -EIO;
	memcpy(res->tag, val + TAG_OFF(n), SITE_TAG_LEN);
	for (size_t i = 0; i < 8; i++)
		t = t << 8 | val[TIME_OFF(n) + i];
	res->modified = t > INT64_MAX ? 0 : (int64_t)t;
	res->body = val + BODY_OFF(n);
	res->len = len - BODY_OFF(n);
	return 0;
}

int site_resource_put(struct scws_site *s, const char *path,
		      const char *content_type, const void *body, size_t len)
{
	char key[sizeof(SITE_CONTENT_PREFIX) + SITE_MAX_PATH];
	size_t n = strlen(content_type) + 1;
	uint64_t now = (uint64_t)card_clock_now();
	uint8_t *val;
	int rc;

	if (!resource_key(path, key, sizeof(key)) || n > 255)
		return -EINVAL;
	val = malloc(BODY_OFF(n) + len);
	if (!val)
		return -ENOMEM;
	val[0] = RESOURCE_FORMAT;
	val[1] = (uint8_t)n;
	memcpy(val + 2, content_type, n);
	if (len)
		memcpy(val + BODY_OFF(n), body, len);
	for (size_t i = 0; i < 8; i++)
		val[TIME_OFF(n) + i] = (uint8_t)(now >> (56 - 8 * i));
	rc = resource_tag(content_type, n, val + BODY_OFF(n), len,
			  val + TAG_OFF(n));
	if (!rc)
		rc = card_state_set(s->st, key, val, BODY_OFF(n) + len);
	free(val);
	return rc;
}

bool site_is_protected(const struct scws_site *s, const char *path)
{
	const uint8_t *list;
	size_t len, plen = strlen(path);

	if (card_state_get(s->st, SITE_PROTECTED_KEY, &list, &len))
		return false;
	for (size_t i = 0; i < len;) {
		const uint8_t *nl = memchr(list + i, '\n', len - i);
		size_t n = (nl ? (size_t)(nl - list) : len) - i;
		const char *prefix = (const char *)list + i;

		/* "/account/" covers "/account/x" and "/account" itself. */
		if (n && prefix[0] == '/' &&
		    ((plen >= n && !memcmp(path, prefix, n)) ||
		     (plen + 1 == n && prefix[n - 1] == '/' &&
		      !memcmp(path, prefix, plen))))
			return true;
		i += n + 1;
	}
	return false;
}

/* Location for a redirect: path percent-encoded where a URI needs it. */
static void put_location(struct http_reply *r, const char *path)
{
	char loc[3 * SITE_MAX_PATH + 2];
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)path;
	     *p && n + 4 < sizeof(loc); p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
			loc[n++] = (char)*p;
		else
			n += (size_t)sprintf(loc + n, "%%%02X", *p);
	}
	loc[n] = '\0';
	http_reply_field(r, "Location", "%s/", loc);
}

void site_serve_static(struct scws_site *s, const struct http_request *req,
		       const char *path, struct http_reply *r)
{
	char full[HTTP_MAX_TARGET + 2 + sizeof("/index.html")];
	struct site_resource res;
	size_t n = strlen(path);
	int rc;

	snprintf(full, sizeof(full), "%s%s", path,
		 path[n - 1] == '/' ? "index.html" : "");
	rc = site_resource_get(s, full, &res);
	if (rc == -ENOENT && path[n - 1] != '/') {
		/* "/helpdesk" for the folder "/helpdesk/": send the client
		 * there, so its relative links resolve. */
		snprintf(full, sizeof(full), "%s/index.html", path);
		if (!site_resource_get(s, full, &res)) {
			http_reply_error(r, 301, NULL);
			put_location(r, path);
			return;
		}
	}
	if (rc == -ENOENT) {
		http_reply_error(r, 404, "There is no such page on this card.");
		return;
	}
	if (rc) {
		card_err("damaged content entry %s", full);
		http_reply_error(r, 500, "This page is damaged on the card.");
		return;
	}
	r->status = 200;
	r->content_type = res.content_type;
	site_resource_fields(s, full, r);
	r->body_ref = res.body;
	r->body_ref_len = res.len;
	if (r->no_store)	/* protected: never kept, never validated */
		return;
	r->cache_control = http_cache_policy(res.content_type);
	snprintf(r->etag, sizeof(r->etag), "\"%02x%02x%02x%02x%02x%02x%02x%02x\"",
		 res.tag[0], res.tag[1], res.tag[2], res.tag[3], res.tag[4],
		 res.tag[5], res.tag[6], res.tag[7]);
	r->last_modified = res.modified;
	if (http_not_modified(req, r->etag, r->last_modified))
		r->status = 304;
}
