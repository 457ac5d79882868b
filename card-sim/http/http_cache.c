// SPDX-License-Identifier: GPL-2.0
/*
 * Caching of the card's static resources (RFC 9110 8.8, 13; RFC 9111 5.2).
 * A card link moves a few KiB/s, so a revisit should move almost nothing:
 *   - every static representation has a strong ETag and, when the card
 *     knew the time it was stored, a Last-Modified;
 *   - GET and HEAD with a matching If-None-Match, or (without one) an
 *     If-Modified-Since no older than Last-Modified, get 304 and no body;
 *   - Cache-Control by media type: images, style sheets, fonts and media
 *     are fresh for a day (the URLs carry no version and content can
 *     change over the air: a day bounds how stale they get), pages and
 *     everything else are stored but revalidated on every use.  Protected
 *     and /cgi/ answers are no-store and never reach this file.
 * Preconditions are evaluated in RFC 9110 13.2.2's order; If-Match and
 * If-Unmodified-Since are not, since static resources take no writes.
 */
#include <string.h>
#include <strings.h>

#include "http.h"

#define FRESH_LONG "max-age=86400"
#define REVALIDATE "no-cache"

const char *http_cache_policy(const char *content_type)
{
	static const char *const long_lived[] = {
		"image/", "text/css", "font/", "audio/", "video/",
		"text/javascript", "application/javascript",
	};

	if (!content_type)
		return REVALIDATE;
	for (size_t i = 0; i < sizeof(long_lived) / sizeof(long_lived[0]); i++)
		if (!strncasecmp(content_type, long_lived[i],
				 strlen(long_lived[i])))
			return FRESH_LONG;
	return REVALIDATE;
}

static const char *skip_ows(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

bool http_etag_listed(const char *list, const char *etag)
{
	size_t elen = strlen(etag);
	const char *s = skip_ows(list);

	if (s[0] == '*' && !*skip_ows(s + 1))
		return true;
	while (*s) {
		const char *tag, *end;

		s = skip_ows(s);
		if (*s == ',') {		/* empty list members are allowed */
			s++;
			continue;
		}
		if (!*s)
			break;
		tag = s;
		if (!strncmp(s, "W/", 2))	/* weak comparison: W/ is ignored */
			tag = s + 2;
		if (*tag != '"')
			return false;		/* malformed: nothing matches */
		end = strchr(tag + 1, '"');
		if (!end)
			return false;
		if ((size_t)(end + 1 - tag) == elen && !memcmp(tag, etag, elen))
			return true;
		s = skip_ows(end + 1);
		if (*s && *s != ',')
			return false;
	}
	return false;
}

bool http_not_modified(const struct http_request *req, const char *etag,
		       int64_t last_modified)
{
	const char *ims = NULL;
	size_t nims = 0;
	bool inm = false;
	int64_t since;

	if (req->method != HTTP_GET && req->method != HTTP_HEAD)
		return false;
	/* If-None-Match may come as several field lines: one list. */
	for (size_t i = 0; i < req->nfields; i++) {
		const struct http_field *f = &req->fields[i];

		if (!strcasecmp(f->name, "If-None-Match")) {
			inm = true;
			if (http_etag_listed(f->value, etag ? etag : ""))
				return true;
		} else if (!strcasecmp(f->name, "If-Modified-Since")) {
			nims++;
			ims = f->value;
		}
	}
	/* If-None-Match wins: If-Modified-Since counts only without it, and
	 * only as exactly one valid date (RFC 9110 13.1.3). */
	if (inm || nims != 1 || !last_modified || !http_date_parse(ims, &since))
		return false;
	return last_modified <= since;
}
