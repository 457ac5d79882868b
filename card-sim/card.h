/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scws-card internals: the contracts between the card's parts.
 *
 *   uicc/     the vpcd link (main loop), APDU dispatch: SELECT, STATUS,
 *             files, PIN, TERMINAL PROFILE, FETCH, TERMINAL RESPONSE,
 *             ENVELOPE, MANAGE CHANNEL; the file tree and the PIN
 *   aram/     the ARA-M applet
 *   arf/      the same rules as ARF files in a PKCS#15 application
 *   cat/      proactive engine + BIP channels (UICC server and TCP client)
 *   http/     the Smart Card Web Server: one struct scws_http per channel
 *   site/     its content store and /cgi/ applications
 *   tls/      TLS 1.2 server (mbed TLS) between a channel and its HTTP
 *   ota/      SMS-PP data download, TS 102 225 secured packets, PoR
 *   dm/       OMA DM 1.2 server (the card as provisioning master) on /dm,
 *             package #0 when the terminal's DM client appears
 *   state.c   the state file: named blobs, written atomically
 *   clock.c   the time, when the card has one
 *
 * Each part owns its own state; they meet only through these functions.
 */
#ifndef SCWS_CARD_H
#define SCWS_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- state.c: named blobs, saved atomically (temp, fsync, rename) ---- */
struct card_state;

struct card_state *card_state_open(const char *path, bool reset);
void card_state_close(struct card_state *st);
/* 0, or -ENOENT; *val stays valid until the key is set or deleted. */
int card_state_get(const struct card_state *st, const char *key,
		   const uint8_t **val, size_t *len);
int card_state_set(struct card_state *st, const char *key, const void *val,
		   size_t len);
int card_state_delete(struct card_state *st, const char *key);
/* Calls fn for each key starting with prefix, in key order; stops on !0. */
int card_state_foreach(const struct card_state *st, const char *prefix,
		       int (*fn)(const char *key, const uint8_t *val,
				 size_t len, void *arg),
		       void *arg);
int card_state_save(struct card_state *st);

/* ---- clock.c: the card's idea of the time ---- */
/* Seconds since the epoch (UTC), or 0 when the card has no clock. */
int64_t card_clock_now(void);
/* From now on the card has no clock (--no-clock). */
void card_clock_disable(void);

/* ---- card services used by the web server (pin.c implements) ---- */
/* The card's PIN (CHV1) as ISO 7816 VERIFY sees it. */
enum pin_result { PIN_OK, PIN_WRONG, PIN_BLOCKED };
struct card_pin;
enum pin_result card_pin_verify(struct card_pin *p, const char *pin);
int card_pin_tries_left(const struct card_pin *p);

/* ---- http*.c: one SCWS HTTP/1.1 connection, bytes in, bytes out ---- */
struct scws_site;		/* content store, /cgi/ apps, protection */
struct scws_http;

/* The site lives in the state: content imported once from a folder. */
struct scws_site *scws_site_open(struct card_state *st, struct card_pin *pin,
				 const char *content_dir);
void scws_site_close(struct scws_site *site);

struct scws_http *scws_http_new(struct scws_site *site);
void scws_http_free(struct scws_http *h);
/* Request bytes from the client; < 0 only on out-of-memory. */
int scws_http_input(struct scws_http *h, const uint8_t *data, size_t len);
/* The client half-closed its side. */
void scws_http_input_end(struct scws_http *h);
/* Response bytes ready to go out; consume with scws_http_consume(). */
size_t scws_http_pending(const struct scws_http *h, const uint8_t **data);
void scws_http_consume(struct scws_http *h, size_t n);
/* All output sent and the connection should be closed now. */
bool scws_http_done(const struct scws_http *h);

#endif /* SCWS_CARD_H */
