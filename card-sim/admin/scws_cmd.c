// SPDX-License-Identifier: GPL-2.0
/*
 * One SCWS administration command (OMA SCWS, media type
 * application/vnd.oma-scws-http-request): a complete HTTP/1.1 request the
 * RAS wants the web server to execute with administrator rights.
 *
 *   PUT /path        create or replace the resource; its Content-Type
 *                    (guessed from the name when absent), Content-Encoding
 *                    and Content-Language are kept -> 201 / 204
 *   DELETE /path     one resource -> 204, or 404
 *   DELETE /dir/     every resource below /dir/ -> 204, or 404
 *   GET|HEAD /path   audit: the resource as the web server stores it,
 *                    without the PIN check; /dir/ lists the resources
 *                    below it (text/uri-list)
 *   ADMIN_PROTECTION_PATH  the protection list (path prefixes that need
 *                    the PIN, one a line): GET, PUT text/plain, DELETE
 *
 * The request must parse as exactly one request; anything else is a format
 * error answered 400, and nothing changes.  Each change is saved before
 * the answer is built, so what the RAS reads is on the card's disk.
 */
#include "admin/admin.h"
#include "site/site.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STATUS_OK "ok"
#define STATUS_FORMAT "script-format-error"

static bool valid_protection(const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len;) {
		const uint8_t *nl = memchr(b + i, '\n', len - i);
		size_t n = (nl ? (size_t)(nl - b) : len) - i;

		if (!n || b[i] != '/' || memchr(b + i, '\0', n) ||
		    memchr(b + i, '\r', n))
			return false;
		i += n + 1;
	}
	return true;
}

static bool save(struct scws_site *site, struct http_reply *r)
{
	if (!card_state_save(site->st))
		return true;
	http_reply_error(r, 500, "The card could not save its state.");
	return false;
}

static void protection(struct scws_site *site, const struct http_request *q,
		       const char *m, struct http_reply *r)
{
	const uint8_t *list;
	size_t len;

	if (!strcmp(m, "GET") || !strcmp(m, "HEAD")) {
		r->status = 200;
		r->content_type = "text/plain";
		r->no_store = true;
		if (!card_state_get(site->st, SITE_PROTECTED_KEY, &list, &len))
			http_buf_put(&r->body, list, len);
	} else if (!strcmp(m, "PUT")) {
		if (!valid_protection(q->body, q->body_len)) {
			http_reply_error(r, 400, "One path prefix a line, each starting with '/'.");
			return;
		}
		if (card_state_set(site->st, SITE_PROTECTED_KEY, q->body,
				   q->body_len)) {
			http_reply_error(r, 507, NULL);
			return;
		}
		if (save(site, r))
			r->status = 204;
	} else if (!strcmp(m, "DELETE")) {
		card_state_delete(site->st, SITE_PROTECTED_KEY);
		if (save(site, r))
			r->status = 204;
	} else {
		http_reply_error(r, 405, NULL);
		http_reply_field(r, "Allow", "GET, HEAD, PUT, DELETE");
	}
}

/* "Content-Encoding: x\r\nContent-Language: y\r\n" from the request. */
static bool extra_fields(const struct http_request *q, struct http_buf *out)
{
	static const char *const names[] = { "Content-Encoding",
					      "Content-Language" };

	for (size_t i = 0; i < 2; i++) {
		const char *v = http_request_field(q, names[i]);

		if (v && *v)
			http_buf_printf(out, "%s: %s\r\n", names[i], v);
	}
	if (!out->oom)
		http_buf_put(out, "", 1);	/* NUL-terminate */
	return !out->oom;
}

static void put(struct scws_site *site, const struct http_request *q,
		const char *path, struct http_reply *r)
{
	const char *type = http_request_field(q, "Content-Type");
	struct site_resource old;
	struct http_buf fields = { 0 };
	bool existed = !site_resource_get(site, path, &old);
	size_t n = strlen(path);

	if (path[n - 1] == '/') {
		http_reply_error(r, 400, "PUT names a resource, not a directory.");
		return;
	}
	if (!type || !*type)
		type = site_content_type(path);
	if (!extra_fields(q, &fields)) {
		http_reply_error(r, 500, NULL);
		return;
	}
	if (site_resource_put(site, path, type, q->body, q->body_len) ||
	    site_resource_set_fields(site, path, (const char *)fields.data)) {
		http_buf_free(&fields);
		http_reply_error(r, 507, "The resource does not fit.");
		return;
	}
	http_buf_free(&fields);
	if (save(site, r))
		r->status = existed ? 204 : 201;
}

static void del(struct scws_site *site, const char *path,
		struct http_reply *r)
{
	size_t n = strlen(path);
	int rc;

	rc = path[n - 1] == '/' ? site_dir_delete(site, path) :
	     site_resource_delete(site, path) ? 0 : 1;
	if (rc < 0) {
		http_reply_error(r, 500, NULL);
		return;
	}
	if (rc == 0) {
		http_reply_error(r, 404, "There is no such resource.");
		return;
	}
	if (save(site, r))
		r->status = 204;
}

static void audit(struct scws_site *site, const struct http_request *q,
		  const char *path, struct http_reply *r)
{
	size_t n = strlen(path);

	if (path[n - 1] == '/') {
		int rc = site_dir_list(site, path, &r->body);

		if (rc <= 0) {
			http_reply_error(r, rc ? 500 : 404, NULL);
			return;
		}
		r->status = 200;
		r->content_type = "text/uri-list";
		return;
	}
	site_serve_static(site, q, path, r);
}

static void execute(struct scws_site *site, const struct http_request *q,
		    const char *path, struct http_reply *r)
{
	const char *m = q->method_name;

	if (!strcmp(path, ADMIN_PROTECTION_PATH)) {
		protection(site, q, m, r);
	} else if (!strncmp(path, "/.scws/", 7)) {
		http_reply_error(r, 403, "Reserved for the card.");
	} else if (!strcmp(m, "PUT")) {
		put(site, q, path, r);
	} else if (!strcmp(m, "DELETE")) {
		del(site, path, r);
	} else if (!strcmp(m, "GET") || !strcmp(m, "HEAD")) {
		audit(site, q, path, r);
	} else {
		http_reply_error(r, 405, NULL);
		http_reply_field(r, "Allow", "GET, HEAD, PUT, DELETE");
	}
}

const char *admin_scws_exec(struct scws_site *site, const uint8_t *req,
			    size_t len, struct http_buf *out)
{
	struct http_parser *p = malloc(sizeof(*p));
	char path[HTTP_MAX_TARGET + 2];
	const char *status = STATUS_OK, *query;
	struct http_reply r;
	size_t used;

	http_reply_init(&r);
	if (!p) {
		http_reply_error(&r, 500, NULL);
		goto answer;
	}
	http_parser_init(p);
	used = http_parser_feed(p, req, len);
	if (p->state == PARSE_DONE && used == len &&
	    !http_target_split(p->req.target, path, sizeof(path), &query) &&
	    !query && path[0] == '/') {
		card_info("admin: %s %s", p->req.method_name, path);
		execute(site, &p->req, path, &r);
	} else {
		card_info("admin: malformed SCWS command (%zu bytes)", len);
		status = STATUS_FORMAT;
		http_reply_error(&r, p->state == PARSE_ERROR && p->error ?
				 p->error : 400, "Malformed administration command.");
	}
answer:
	r.close = false;
	if (http_reply_write(&r, p && p->state == PARSE_DONE ? &p->req : NULL,
			     out))
		status = STATUS_FORMAT;
	http_reply_free(&r);
	if (p) {
		http_parser_free(p);
		free(p);
	}
	return status;
}
