/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the web server serves, shared by site*.c and the router:
 *
 *   site.c           struct scws_site: the content store in the card state
 *   site_import.c    the one-time import of --content DIR
 *   site_mime.c      content types by file extension
 *   site_cgi.c       /cgi/ dispatch and name=value parameters
 *   site_cgi_fs.c    /cgi/display, /cgi/update (the card's files)
 *   site_phonebook.c /cgi/phonebook, /cgi/unblock
 *   site_adn.c       EF_ADN record codec
 *   site_csrf.c      the anti-CSRF token of the card's forms
 */
#ifndef SCWS_CARD_SITE_H
#define SCWS_CARD_SITE_H

#include "http/http.h"

struct http_auth;

/* A part of the card that answers a path and what lies under it itself,
 * apart from the content store and /cgi/ (the DM server's /dm).  It gets
 * every method and does its own checks. */
typedef void site_mount_fn(void *ctx, const struct http_request *req,
			   const char *path, struct http_reply *r);

struct site_mount {
	const char *path;	/* "/dm": "/dm" and "/dm/..." */
	site_mount_fn *serve;
	void *ctx;
};

#define SITE_MAX_MOUNTS 4

struct scws_site {
	struct card_state *st;
	struct card_pin *pin;
	struct card_fs *fs;
	struct http_auth *auth;
	struct http_origins origins;	/* whose pages may change data */
	struct site_mount mounts[SITE_MAX_MOUNTS];
	size_t nmounts;
};

/* Hands path (and below) to serve; false when the table is full. */
static inline bool site_mount(struct scws_site *s, const char *path,
			      site_mount_fn *serve, void *ctx)
{
	if (s->nmounts == SITE_MAX_MOUNTS)
		return false;
	s->mounts[s->nmounts++] = (struct site_mount){ path, serve, ctx };
	return true;
}

#define SITE_CONTENT_PREFIX "content/"
#define SITE_PROTECTED_KEY "site/protected"
#define SITE_IMPORTED_KEY "site/imported"
/* Longest resource path: the state's 255-byte keys minus "content/". */
#define SITE_MAX_PATH (255 - 8)

#define SITE_TAG_LEN 8		/* bytes of SHA-256: the ETag */

struct site_resource {
	const char *content_type;
	const uint8_t *body;
	size_t len;
	uint8_t tag[SITE_TAG_LEN];
	int64_t modified;	/* when stored; 0: unknown */
};

/* path starts with '/'.  0 or -ENOENT (or -EIO for a damaged entry). */
int site_resource_get(const struct scws_site *s, const char *path,
		      struct site_resource *res);
/* Stores a resource, stamped with its tag and card_clock_now(). */
int site_resource_put(struct scws_site *s, const char *path,
		      const char *content_type, const void *body, size_t len);
/* site_admin.c: what the administration agent changes.  Deletes one
 * resource (and its extra fields): 0 or -ENOENT. */
int site_resource_delete(struct scws_site *s, const char *path);
/* Deletes every resource under dir ("/a/b/"); how many, or < 0. */
int site_dir_delete(struct scws_site *s, const char *dir);
/* Extra representation fields kept with a resource ("Content-Encoding:
 * gzip\r\nContent-Language: fr\r\n"); empty or NULL removes them. */
int site_resource_set_fields(struct scws_site *s, const char *path,
			     const char *fields);
/* Adds a resource's extra fields to a reply. */
void site_resource_fields(const struct scws_site *s, const char *path,
			  struct http_reply *r);
/* Resources under dir, one path a line, into out. */
int site_dir_list(const struct scws_site *s, const char *dir,
		  struct http_buf *out);
/* Whether path falls under a prefix listed in the protection list. */
bool site_is_protected(const struct scws_site *s, const char *path);
/* Imports a content folder into the state (regular files; ".protected"
 * becomes the protection list).  0 or -errno. */
int site_import(struct scws_site *s, const char *dir);
const char *site_content_type(const char *name);
void site_serve_static(struct scws_site *s, const struct http_request *req,
		       const char *path, struct http_reply *r);

/* site_cgi.c: one call of a /cgi/ application. */
#define CGI_MAX_PARAMS 16

struct cgi_param {
	char *name;
	char *value;
};

struct cgi_call {
	struct scws_site *site;
	const struct http_request *req;
	struct http_reply *reply;
	const char *app;
	struct cgi_param params[CGI_MAX_PARAMS];
	size_t nparams;
	char *storage;		/* decoded names and values */
	size_t storage_len, storage_cap;
	int authorised;		/* -1 not asked yet, 0 no, 1 yes */
};

void site_cgi(struct scws_site *s, const struct http_request *req,
	      const char *app, const char *query, struct http_reply *r);
/* Parses "a=1&b=2" (strict: names non-empty, no duplicates, valid
 * escapes).  0 or 400. */
int cgi_parse_params(struct cgi_call *c, const char *s, size_t len);
/* The value of name, or NULL. */
const char *cgi_param(const struct cgi_call *c, const char *name);
/* Fails (400) on parameters other than the NULL-terminated allowed list. */
bool cgi_only_params(struct cgi_call *c, const char *const *allowed);
/* true when the request carries the right PIN; else the reply is already
 * the 401 (or 400) to send.  Asks the card once per request. */
bool cgi_require_pin(struct cgi_call *c);

void cgi_display(struct cgi_call *c);
void cgi_update(struct cgi_call *c);
void cgi_phonebook(struct cgi_call *c);
void cgi_unblock(struct cgi_call *c);

/* site_csrf.c: the token every state-changing POST must carry as the
 * form field "csrf".  HMAC-SHA256 under a random per-card key (state
 * "site/csrf-key", made on first use), over the card's PIN record, so any
 * change of the PIN, the PUK or their counters retires every token. */
#define SITE_CSRF_FIELD "csrf"
#define SITE_CSRF_KEY "site/csrf-key"
#define SITE_CSRF_LEN 32	/* hex digits */

/* 0, or -errno (no key could be made). */
int site_csrf_token(struct scws_site *s, char out[SITE_CSRF_LEN + 1]);
/* Whether token is the card's current one (constant time). */
bool site_csrf_valid(struct scws_site *s, const char *token);
/* <input type="hidden" name="csrf" value="..."> into b. */
void site_csrf_input(struct scws_site *s, struct http_buf *b);

/* site_adn.c: TS 31.102 4.4.2.3 records of 14 + alpha bytes. */
#define ADN_MAX_NAME 64		/* UTF-8 bytes incl. NUL */
#define ADN_MAX_NUMBER 22	/* '+' + 20 digits + NUL */

struct adn_entry {
	char name[ADN_MAX_NAME];
	char number[ADN_MAX_NUMBER];
};

/* 1 for an empty record, 0 for an entry, -1 if the record is malformed. */
int adn_decode(const uint8_t *rec, size_t len, struct adn_entry *e);
/* 0, or -1 if the name does not fit the alpha field or the number is not
 * [+]digits / * # (at most 20). */
int adn_encode(const struct adn_entry *e, uint8_t *rec, size_t len);

#endif /* SCWS_CARD_SITE_H */
