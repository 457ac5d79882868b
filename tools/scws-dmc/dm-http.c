// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-http.c - the SyncML HTTP binding (OMA-TS-SyncML_HTTPBinding 1.2):
 * POST with Content-Type application/vnd.syncml.dm+xml; the answer must be
 * 200 with the same type.  TLS peers are verified (libcurl's default).
 */
#include "dm-http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "dm-syncml.h"

#define DM_XML_TYPE "application/vnd.syncml.dm+xml"

struct buf {
	char *p;
	size_t len;
	int too_big;
};

static size_t on_data(char *ptr, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t add = size * n;

	if (b->len + add > DM_MSG_MAX_BYTES) {
		b->too_big = 1;
		return 0;
	}
	char *np = realloc(b->p, b->len + add + 1);

	if (!np)
		return 0;
	memcpy(np + b->len, ptr, add);
	b->p = np;
	b->len += add;
	b->p[b->len] = '\0';
	return add;
}

int dm_http_post(const char *url, const char *cafile, const char *body,
		 size_t len, char **resp, size_t *resp_len, char *err,
		 size_t err_size)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	struct buf b = { 0 };
	long code = 0;
	char *ctype = NULL;
	int rc = -1;

	if (!c) {
		snprintf(err, err_size, "curl_easy_init failed");
		return -1;
	}
	h = curl_slist_append(h, "Content-Type: " DM_XML_TYPE);
	h = curl_slist_append(h, "Accept: " DM_XML_TYPE);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (cafile)
		curl_easy_setopt(c, CURLOPT_CAINFO, cafile);

	CURLcode r = curl_easy_perform(c);

	if (r != CURLE_OK) {
		snprintf(err, err_size, "%s: %s", url,
			 b.too_big ? "answer too large" : curl_easy_strerror(r));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ctype);
	if (code != 200) {
		snprintf(err, err_size, "%s: HTTP status %ld", url, code);
		goto out;
	}
	if (!ctype || strncmp(ctype, DM_XML_TYPE, strlen(DM_XML_TYPE))) {
		snprintf(err, err_size, "%s: answer is %s, not " DM_XML_TYPE,
			 url, ctype ? ctype : "untyped");
		goto out;
	}
	if (!b.p) {
		snprintf(err, err_size, "%s: empty answer", url);
		goto out;
	}
	*resp = b.p;
	*resp_len = b.len;
	b.p = NULL;
	rc = 0;
out:
	free(b.p);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return rc;
}
