/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tls.h - TLS 1.2 server for the SCWS HTTPS port (mbed TLS).
 *
 * A struct card_tls is the card's TLS identity and configuration, shared by
 * all HTTPS channels: an ECDSA P-256 key and a self-signed certificate
 * (CN and subjectAltName "localhost", 127.0.0.1, ::1), made at first start
 * and kept in the card state under "tls/key" and "tls/cert" (DER).  Only
 * TLS 1.2 with ECDHE-ECDSA and AES-GCM or ChaCha20-Poly1305 is offered.
 *
 * A struct card_tls_conn is one connection: ciphertext from the channel in,
 * ciphertext to the channel out, and between them the struct scws_http it
 * owns.  It works on memory buffers only and never blocks.  When the web
 * server is done, or the peer sends close_notify, or the handshake fails,
 * the connection sends its alert and reports done once that has gone out.
 */
#ifndef SCWS_CARD_TLS_H
#define SCWS_CARD_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct card_state;
struct scws_http;
struct card_tls;
struct card_tls_conn;

/* Loads the key and certificate from st, or makes and stores new ones when
 * they are absent or do not match.  With st NULL the identity is made and
 * kept nowhere (tests).  NULL on failure (logged). */
struct card_tls *card_tls_new(struct card_state *st, int verbose);
void card_tls_free(struct card_tls *t);
/* The certificate (DER), for tools that pin or show it. */
void card_tls_cert(const struct card_tls *t, const uint8_t **der,
		   size_t *len);

/* Takes h on success; on failure (NULL) h stays the caller's. */
struct card_tls_conn *card_tls_conn_new(struct card_tls *t,
					struct scws_http *h);
void card_tls_conn_free(struct card_tls_conn *tc);
/* Ciphertext from the client; < 0 only on out-of-memory. */
int card_tls_conn_input(struct card_tls_conn *tc, const uint8_t *data,
			size_t len);
/* The client closed its side of the TCP connection. */
void card_tls_conn_input_end(struct card_tls_conn *tc);
/* Ciphertext for the client; consume with card_tls_conn_consume(). */
size_t card_tls_conn_pending(struct card_tls_conn *tc, const uint8_t **data);
void card_tls_conn_consume(struct card_tls_conn *tc, size_t n);
/* Everything sent (close_notify included) and the channel can close. */
bool card_tls_conn_done(const struct card_tls_conn *tc);

#endif /* SCWS_CARD_TLS_H */
