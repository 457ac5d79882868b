/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Smart Card Web Server's HTTP layer (the content behind it: site.h):
 *
 *   http_buf.c       growable byte buffers
 *   http_parse.c     incremental HTTP/1.1 request parser
 *   http_url.c       request-target: percent-decoding, dot segments
 *   http_response.c  status line, headers, Content-Length or chunked body
 *   http_date.c      HTTP-date: IMF-fixdate out, all three forms in
 *   http_cache.c     ETag / Last-Modified, 304, Cache-Control by type
 *   http_router.c    method, path and protection -> static file or /cgi/
 *   http_conn.c      struct scws_http (card.h): bytes in, bytes out
 *   auth.c           HTTP Basic and Digest against the card PIN
 *   http_origin.c    the card's own origins, Origin/Referer, CORS preflights
 *
 * Limits (RFC 9110/9112 status in brackets):
 *   method            16 characters; unknown methods          [405 + Allow]
 *   request-target    1024 bytes as sent; 1025 and more       [414]
 *   header section    4096 bytes (field lines and their line ends, not the
 *                     request line) and 32 fields; more        [431]
 *   body              16384 bytes after de-chunking; more      [413]
 *   chunk-size line   256 bytes with its extensions; more      [400]
 * Anything malformed is 400, an HTTP major version other than 1 is 505,
 * a transfer coding other than chunked is 501.  Every error that leaves the
 * input stream in doubt closes the connection after its response.
 */
#ifndef SCWS_CARD_HTTP_H
#define SCWS_CARD_HTTP_H

#include "card.h"

#define HTTP_MAX_METHOD 16
#define HTTP_MAX_TARGET 1024
#define HTTP_MAX_HEADERS 4096
#define HTTP_MAX_FIELDS 32
#define HTTP_MAX_BODY 16384
#define HTTP_MAX_CHUNK_LINE 256
/* "METHOD SP target SP HTTP/1.1 CR LF" at the limits. */
#define HTTP_MAX_REQUEST_LINE (HTTP_MAX_METHOD + 1 + HTTP_MAX_TARGET + 1 + 8 + 2)

#define HTTP_REALM "SCWS"

/* ---- http_buf.c ---- */
struct http_buf {
	uint8_t *data;
	size_t len, cap;
	bool oom;		/* sticky: a put failed */
};

void http_buf_free(struct http_buf *b);
bool http_buf_put(struct http_buf *b, const void *data, size_t len);
bool http_buf_puts(struct http_buf *b, const char *s);
bool http_buf_printf(struct http_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s with & < > " ' escaped for HTML text and attribute values. */
bool http_buf_put_html(struct http_buf *b, const char *s);
/* Drops the first n bytes. */
void http_buf_drop(struct http_buf *b, size_t n);

/* ---- http_parse.c ---- */
enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_OTHER };

struct http_field {
	const char *name;	/* as sent; compare case-insensitively */
	const char *value;	/* leading and trailing whitespace removed */
};

struct http_request {
	enum http_method method;
	const char *method_name;
	const char *target;	/* as sent, NUL-terminated */
	int minor;		/* HTTP/1.minor: 0 or 1 */
	struct http_field fields[HTTP_MAX_FIELDS];
	size_t nfields;
	bool keep_alive;	/* the client allows another request */
	const uint8_t *body;	/* NUL-terminated for convenience */
	size_t body_len;
};

/* The first field called name, or NULL. */
const char *http_request_field(const struct http_request *r, const char *name);

enum http_parse_state {
	PARSE_HEAD,		/* request line and header fields */
	PARSE_BODY,		/* Content-Length body */
	PARSE_CHUNK_SIZE,
	PARSE_CHUNK_DATA,
	PARSE_CHUNK_END,	/* the line end after a chunk's data */
	PARSE_TRAILER,
	PARSE_DONE,		/* req is complete */
	PARSE_ERROR,		/* error holds the status to answer */
};

struct http_parser {
	enum http_parse_state state;
	int error;
	bool continue_due;	/* "100 Continue" should go out now */
	struct http_request req;
	/* head: request line + field lines, parsed in place */
	char head[HTTP_MAX_REQUEST_LINE + HTTP_MAX_HEADERS + 2];
	size_t head_len, line_start;
	size_t rl_len;		/* request line length, 0 until complete */
	size_t rl_spaces, rl_part_len;
	/* body */
	struct http_buf body;
	size_t remaining;	/* Content-Length or current chunk bytes left */
	char line[HTTP_MAX_CHUNK_LINE];
	size_t line_len;
	size_t trailer_len;
	bool chunked;
};

void http_parser_init(struct http_parser *p);
void http_parser_free(struct http_parser *p);
/* Forgets the finished request and gets ready for the next one. */
void http_parser_next(struct http_parser *p);
/* Feeds bytes; returns how many were used.  Stops at the end of a request
 * (PARSE_DONE) or at the first error (PARSE_ERROR); the rest belongs to
 * the next request. */
size_t http_parser_feed(struct http_parser *p, const uint8_t *data, size_t len);
/* Whether part of a request has arrived. */
bool http_parser_started(const struct http_parser *p);

/* ---- http_url.c ---- */
/* Percent-decodes s[0..len) into out (NUL-terminated); with form, '+' is a
 * space.  Returns the decoded length, or -1 on a bad escape, an encoded
 * NUL or too little room. */
long http_pct_decode(const char *s, size_t len, bool form, char *out,
		     size_t cap);
/* Origin-form ("/a/b?q") or absolute-form ("http://host/a/b?q") target to
 * a decoded path without dot segments or empty segments ("/a/b", a final
 * '/' kept) and the raw query (NULL without '?').  0, or 400. */
int http_target_split(const char *target, char *path, size_t cap,
		      const char **query);

/* ---- http_date.c: HTTP-date (RFC 9110 5.6.7) ---- */
#define HTTP_DATE_LEN 29	/* "Sun, 06 Nov 1994 08:49:37 GMT" */

/* t as IMF-fixdate into out[HTTP_DATE_LEN + 1]. */
void http_date_format(int64_t t, char *out);
/* Exactly one HTTP-date in any of its three forms; false otherwise. */
bool http_date_parse(const char *s, int64_t *t);

/* ---- http_cache.c: validators and freshness of static resources ---- */
#define HTTP_ETAG_LEN 18	/* '"', 16 hex digits, '"' */

/* The Cache-Control value for a static representation of this type. */
const char *http_cache_policy(const char *content_type);
/* Whether an If-None-Match value is "*" or lists etag (weak comparison). */
bool http_etag_listed(const char *list, const char *etag);
/* Whether req (GET or HEAD) is answered 304 for a representation with
 * these validators: If-None-Match if present, else If-Modified-Since. */
bool http_not_modified(const struct http_request *req, const char *etag,
		       int64_t last_modified);

/* ---- http_response.c ---- */
struct http_reply {
	int status;
	const char *content_type;	/* NULL: none */
	struct http_buf fields;	/* extra "Name: value\r\n" lines */
	struct http_buf body;	/* owned body, or ... */
	const uint8_t *body_ref;	/* ... borrowed, valid until written */
	size_t body_ref_len;
	bool dynamic;		/* chunked for HTTP/1.1 clients */
	bool close;		/* close the connection after this one */
	bool no_store;		/* Cache-Control: no-store, no validators */
	const char *cache_control;	/* NULL: none; no_store wins */
	char etag[HTTP_ETAG_LEN + 1];	/* "": none */
	int64_t last_modified;	/* seconds since the epoch; 0: none */
};

void http_reply_init(struct http_reply *r);
void http_reply_free(struct http_reply *r);
/* Back to an empty 200, keeping allocations. */
void http_reply_reset(struct http_reply *r);
bool http_reply_field(struct http_reply *r, const char *name,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* status with a small HTML page; detail (plain text) may be NULL. */
void http_reply_error(struct http_reply *r, int status, const char *detail);
/* Starts an HTML page: doctype, title, the portal's style sheet. */
void http_reply_html_begin(struct http_reply *r, const char *title);
void http_reply_html_end(struct http_reply *r);
const char *http_status_reason(int status);
/* Appends r, answering req (NULL for a request that never parsed), to out:
 * no body for HEAD, 1xx, 204, 304; chunked only for dynamic bodies to
 * HTTP/1.1 clients.  0 or -ENOMEM. */
int http_reply_write(const struct http_reply *r, const struct http_request *req,
		     struct http_buf *out);

/* ---- http_origin.c: origin protection ---- */
#define HTTP_PORT_SCWS 3516	/* ETSI TS 102 588: HTTP */
#define HTTP_PORT_SCWS_TLS 4116	/* and HTTPS */
#define HTTP_MAX_ORIGINS 8

/* The origins whose pages may change the card's data. */
struct http_origins {
	size_t n;
	char list[HTTP_MAX_ORIGINS][48];	/* "http://127.0.0.1:3516" */
};

/* http and https on 127.0.0.1 and localhost, on 3516 and 4116. */
void http_origins_init(struct http_origins *o);
/* Adds scheme://host:port; false when full or malformed. */
bool http_origins_add(struct http_origins *o, const char *scheme,
		      const char *host, unsigned port);
/* Whether an Origin value is exactly one of o (ASCII case ignored). */
bool http_origin_own(const struct http_origins *o, const char *origin);
/* Whether a Referer URL's scheme://host:port is one of o. */
bool http_referer_own(const struct http_origins *o, const char *referer);

enum http_origin_verdict { ORIGIN_OWN, ORIGIN_FOREIGN, ORIGIN_MISSING };

/* Where req comes from: its Origin if it has one, else its Referer.  A
 * repeated field, "null" or anything not exactly an own origin is
 * ORIGIN_FOREIGN; neither field is ORIGIN_MISSING. */
enum http_origin_verdict http_request_origin(const struct http_origins *o,
					     const struct http_request *req);
/* Vary: Origin, and for an own Origin the CORS fields that let that page
 * read the answer with credentials. */
void http_cors_allow(const struct http_origins *o,
		     const struct http_request *req, struct http_reply *r);
/* OPTIONS with Access-Control-Request-Method: a CORS preflight. */
bool http_is_preflight(const struct http_request *req);
/* 204 granting an own origin (and its Private Network Access request),
 * 403 without any Access-Control-* field for everyone else. */
void http_cors_preflight(const struct http_origins *o,
			 const struct http_request *req, struct http_reply *r);

/* ---- http_router.c ---- */
void http_route(struct scws_site *site, const struct http_request *req,
		struct http_reply *r);

#endif /* SCWS_CARD_HTTP_H */
