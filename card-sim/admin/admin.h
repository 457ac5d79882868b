/* SPDX-License-Identifier: GPL-2.0 */
/*
 * admin.h - the card's Administration Agent (GP Card Spec Amd B, "RAM over
 * HTTP", as OMA SCWS uses it for remote administration of the web server).
 *
 *   params.c     the stored admin parameters (state "admin/..."), the
 *                scws-card --admin options, a trigger over the stored ones
 *   conn_tlvs.c  OPEN CHANNEL COMPREHENSION-TLVs -> TCP client parameters
 *   psk_tls.c    TLS 1.2 PSK client (mbed TLS) over memory queues
 *   http_resp.c  the RAS's HTTP/1.1 responses, incremental (fuzzed)
 *   scws_cmd.c   application/vnd.oma-scws-http-request: PUT / DELETE / GET
 *                against the content store (fuzzed)
 *   script.c     application/vnd.globalplatform.card-content-mgt: AA/AE
 *                scripts of C-APDUs for an applet (fuzzed)
 *   session.c    one attempt: TLS, the POST / response loop, a channel's
 *                stream
 *   agent.c      admin_agent_trigger(), one session at a time, retries
 */
#ifndef SCWS_CARD_ADMIN_H
#define SCWS_CARD_ADMIN_H

#include "admin/trigger.h"
#include "http/http.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cat;
struct aram;
struct card_state;
struct scws_site;
struct cat_client_params;

/* ---- params.c ---- */
#define ADMIN_KEY_MAX 32	/* PSK bytes */
#define ADMIN_NAN_MAX 64

struct admin_params {
	char host[ADMIN_TRIGGER_STR_MAX];	/* Host: header */
	char agent_id[ADMIN_TRIGGER_STR_MAX];	/* X-Admin-From */
	char uri[ADMIN_TRIGGER_STR_MAX];	/* first POST's target */
	uint8_t psk_id[ADMIN_TRIGGER_PSK_ID_MAX];
	size_t psk_id_len;
	uint8_t kvn, kid;			/* which stored key */
	uint16_t retry_counter;			/* attempts after the first */
	uint8_t retry_delay[5];			/* Amd B, raw */
	uint8_t addr_type;			/* 0: none stored */
	uint8_t addr[16];
	uint16_t port;
	uint16_t buffer_size;			/* 0: the card's default */
	uint8_t nan[ADMIN_NAN_MAX];
	size_t nan_len;
};

/* The stored parameters (every field zero / empty when absent). */
void admin_params_load(const struct card_state *st, struct admin_params *p);
/* One "--admin NAME=VALUE" setting, stored in st (not saved yet).
 * Names: host, agent-id, uri, psk-id, key (KVN:KID:HEX), use-key
 * (KVN:KID), retry (COUNT,SECONDS), dest (IPv4:PORT or [IPv6]:PORT),
 * nan.  0, or -EINVAL with nothing stored. */
int admin_params_set(struct card_state *st, const char *setting);
/* The PSK stored for kvn/kid: its length, or -ENOENT. */
int admin_params_key(const struct card_state *st, uint8_t kvn, uint8_t kid,
		     uint8_t *key, size_t cap);
/* The trigger's fields over the stored ones; -EINVAL when the trigger's
 * connection TLVs are malformed. */
int admin_params_merge(struct admin_params *p, const struct admin_trigger *t);
/* Retry waiting delay in seconds (the 5 bytes as a big-endian count). */
unsigned int admin_params_delay_s(const struct admin_params *p);

/* ---- conn_tlvs.c ---- */
/* Bearer, buffer size, NAN, transport level and data destination address
 * out of OPEN CHANNEL TLVs into p (fields the TLVs leave out untouched).
 * 0, or -EINVAL (malformed, not TCP client mode, address not IPv4/6). */
int admin_conn_tlvs_parse(const uint8_t *buf, size_t len,
			  struct admin_params *p);

/* ---- http_resp.c: the RAS's responses ---- */
#define ADMIN_RESP_HEAD_MAX 4096
#define ADMIN_RESP_FIELDS 32
#define ADMIN_RESP_BODY_MAX 65536

enum admin_resp_state {
	RESP_HEAD, RESP_BODY, RESP_CHUNK_SIZE, RESP_CHUNK_DATA, RESP_CHUNK_END,
	RESP_TRAILER, RESP_UNTIL_CLOSE, RESP_DONE, RESP_ERROR,
};

struct admin_resp {
	enum admin_resp_state state;
	const char *error;		/* RESP_ERROR: why */
	int status;
	int minor;
	struct http_field fields[ADMIN_RESP_FIELDS];
	size_t nfields;
	bool close;			/* Connection: close, or HTTP/1.0 */
	struct http_buf body;
	/* parser */
	char head[ADMIN_RESP_HEAD_MAX + 1];
	size_t head_len;
	char line[128];
	size_t line_len;
	size_t remaining;
};

void admin_resp_init(struct admin_resp *r);
void admin_resp_free(struct admin_resp *r);
/* Feeds bytes; returns how many were used (stops at RESP_DONE or
 * RESP_ERROR).  head_only: a response to HEAD (no body). */
size_t admin_resp_feed(struct admin_resp *r, const uint8_t *data, size_t len);
/* The connection closed: ends a body delimited by the close. */
void admin_resp_eof(struct admin_resp *r);
const char *admin_resp_field(const struct admin_resp *r, const char *name);

/* ---- scws_cmd.c ---- */
/* Executes one application/vnd.oma-scws-http-request (a complete HTTP
 * request) against the content store and saves the state; appends the
 * SCWS's HTTP response to out.  Returns the X-Admin-Script-Status: "ok",
 * or "script-format-error" for a malformed request (then nothing
 * changed). */
const char *admin_scws_exec(struct scws_site *site, const uint8_t *req,
			    size_t len, struct http_buf *out);
/* The reserved path where the protection list is administered. */
#define ADMIN_PROTECTION_PATH "/.scws/protected"

/* ---- script.c ---- */
/* One C-APDU to an applet: returns the SW, response data in r. */
typedef uint16_t (*admin_apdu_fn)(void *ctx, const uint8_t *capdu,
				  size_t len, uint8_t *rdata, size_t cap,
				  size_t *rlen);

/* Executes an expanded-format script (AA definite / AE indefinite, C-APDU
 * TLVs 22) and appends the response (AB / AF: R-APDU TLVs 23, number of
 * executed commands 80) to out.  Execution stops after the first R-APDU
 * whose SW is not 90xx / 61xx / 62xx / 63xx (TS 102 226 5.2.1).  Returns
 * "ok", or "script-format-error" (nothing executed) for a malformed
 * script. */
const char *admin_script_exec(const uint8_t *script, size_t len,
			      admin_apdu_fn fn, void *ctx,
			      struct http_buf *out);
/* Parses "//aid/RID/PIX" (hex) into aid; its length, or -1. */
int admin_parse_aid_uri(const char *s, uint8_t *aid, size_t cap);

/* ---- psk_tls.c ---- */
struct admin_tls;

/* NULL on failure. */
struct admin_tls *admin_tls_new(const uint8_t *psk, size_t psk_len,
				const uint8_t *id, size_t id_len);
void admin_tls_free(struct admin_tls *t);
/* Ciphertext from the server; < 0 out of memory. */
int admin_tls_input(struct admin_tls *t, const uint8_t *data, size_t len);
void admin_tls_input_end(struct admin_tls *t);
/* Drives the handshake: 1 done, 0 in progress, < 0 failed. */
int admin_tls_handshake(struct admin_tls *t);
/* Plaintext received so far, up to cap: bytes, 0 none yet, -1 closed
 * (close_notify or EOF), < -1 failed. */
int admin_tls_read(struct admin_tls *t, uint8_t *buf, size_t cap);
/* Encrypts all of data; 0 or < 0. */
int admin_tls_write(struct admin_tls *t, const uint8_t *data, size_t len);
int admin_tls_close(struct admin_tls *t);
size_t admin_tls_pending(struct admin_tls *t, const uint8_t **data);
void admin_tls_consume(struct admin_tls *t, size_t n);
const char *admin_tls_suite(const struct admin_tls *t);

/* ---- session.c ---- */
struct admin_session;

enum admin_outcome {
	ADMIN_RUNNING,
	ADMIN_FINISHED,		/* 204 or no Next-URI: the session ended */
	ADMIN_LINK_FAILED,	/* unreachable, dropped: retry */
	ADMIN_REFUSED,		/* TLS handshake or protocol error: stop */
};

struct admin_session_cfg {
	const struct admin_params *p;
	const uint8_t *psk;
	size_t psk_len;
	bool resume;			/* X-Admin-Resume: true */
	struct scws_site *site;
	/* The applets: select one by AID (false: unknown), then APDUs. */
	bool (*select_app)(void *ctx, const uint8_t *aid, size_t len);
	admin_apdu_fn apdu;
	void *apdu_ctx;
	/* Called once, from the stream's free: the attempt is over, after
	 * posts POSTs. */
	void (*over)(void *arg, enum admin_outcome o, unsigned int posts);
	void *arg;
};

/* Opens the client channel for one attempt.  0, or cat_open_client()'s
 * errors. */
int admin_session_start(struct cat *cat, const struct admin_session_cfg *cfg);

#endif /* SCWS_CARD_ADMIN_H */
