/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The link to pcscd's vpcd reader driver (vsmartcard): the card is a TCP
 * client of vpcd; every message either way is a 2-byte big-endian length
 * and a payload.  One-byte payloads from vpcd are control codes (power
 * off / on, reset, "send the ATR"); longer ones are command APDUs.  Only
 * the ATR request and APDUs get an answer.
 *
 * Non-blocking and poll()-driven: the caller polls vpcd_pollfd() and
 * calls vpcd_service() with what came back.  A dropped connection (pcscd
 * restarted, reader removed) is retried with backoff, never in a busy loop.
 */
#ifndef SCWS_CARD_VPCD_H
#define SCWS_CARD_VPCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VPCD_DEFAULT_HOST "127.0.0.1"
#define VPCD_DEFAULT_PORT "35963"	/* 0x8C7B in Debian's reader.conf */

enum vpcd_power { VPCD_POWER_OFF, VPCD_POWER_ON, VPCD_RESET };

struct vpcd_card {
	void (*power)(void *arg, enum vpcd_power what);
	size_t (*atr)(void *arg, const uint8_t **atr);
	/* Answers one C-APDU into resp (APDU_RESP_MAX bytes); returns the
	 * R-APDU length, at least 2 (the status word). */
	size_t (*transmit)(void *arg, const uint8_t *capdu, size_t len,
			   uint8_t *resp);
	void (*connected)(void *arg, bool up);	/* may be NULL */
	void *arg;
};

struct vpcd;

struct vpcd *vpcd_new(const char *host, const char *port,
		      const struct vpcd_card *card);
void vpcd_free(struct vpcd *v);

/* The fd to poll and the events wanted, or -1 while waiting to retry. */
int vpcd_pollfd(const struct vpcd *v, short *events);
/* Milliseconds until vpcd_service() must run even without events
 * (the next connection attempt), or -1. */
int vpcd_timeout_ms(const struct vpcd *v);
/* Does the work: connects, reads frames, answers them. */
void vpcd_service(struct vpcd *v, short revents);
/* Drops the connection now, as if the card were pulled out; it is
 * re-established after delay_ms. */
void vpcd_unplug(struct vpcd *v, int delay_ms);
bool vpcd_is_connected(const struct vpcd *v);

/* "HOST:PORT", "[V6]:PORT", "HOST" or ":PORT"; false if malformed. */
bool vpcd_parse_addr(const char *s, char *host, size_t host_len, char *port,
		     size_t port_len);

#endif /* SCWS_CARD_VPCD_H */
