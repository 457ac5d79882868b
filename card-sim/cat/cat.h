/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cat.h - the card's proactive engine (TS 102 223) with BIP channels.
 *
 * The part of the UICC behind TERMINAL PROFILE, FETCH, TERMINAL RESPONSE
 * and ENVELOPE.  uicc.c decodes the APDUs and calls in here; after every
 * APDU it asks cat_pending() and answers 91 xx instead of 90 00 when a
 * proactive command waits.
 *
 * One proactive command is in flight at a time: built when the previous
 * one's TERMINAL RESPONSE arrives (or an event makes work), announced by
 * cat_pending(), handed out by cat_fetch(), finished by its TERMINAL
 * RESPONSE.  Short APDUs are the baseline: every command fits in 255 bytes
 * (SEND DATA carries at most 240 bytes), and RECEIVE DATA asks for at most
 * 237 bytes so that the TERMINAL RESPONSE fits an Lc of 255, or 255 bytes
 * when cfg.extended_apdu says the terminal sends extended APDUs.
 *
 * BIP: once the terminal profile shows SET UP EVENT LIST, the Data available
 * and Channel status events, OPEN/CLOSE CHANNEL, RECEIVE/SEND DATA, GET
 * CHANNEL STATUS, TCP UICC server mode and at least one channel, the card
 * registers the two events and opens its UICC server channels (HTTP port
 * first, then HTTPS, alternating, as many as the terminal has channels).
 * Each accepted connection gets a fresh struct scws_http (behind TLS on the
 * HTTPS port).  When the web server is done the card closes the connection
 * with CLOSE CHANNEL "back to LISTEN".  TCP client channels (remote
 * administration) are opened on request with cat_open_client().
 *
 * Nothing here blocks; a terminal that answers with failure results, drops
 * links or sends malformed data gets error status words and log lines, and
 * the engine carries on with its other channels.
 */
#ifndef SCWS_CAT_H
#define SCWS_CAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cat;
struct scws_site;
struct card_tls;

#define CAT_MAX_CHANNELS 7	/* channel ids 1..7 */
#define CAT_CMD_MAX 255		/* a proactive command, short APDU */

/* Status words the engine returns; uicc.c turns 9000 into 91xx itself. */
#define CAT_SW_OK 0x9000
#define CAT_SW_ERROR 0x6F00	/* technical problem, no precise diagnosis */

struct cat_config {
	unsigned int http_channels;	/* UICC server channels, plain HTTP */
	unsigned int https_channels;	/* ... HTTPS, need tls */
	uint16_t http_port;
	uint16_t https_port;
	uint16_t buffer_size;		/* asked for in OPEN CHANNEL */
	bool extended_apdu;		/* terminal sends TRs over 255 bytes */
	struct scws_site *site;		/* what each connection serves */
	struct card_tls *tls;		/* NULL: no HTTPS channels */
	int verbose;			/* 0 errors, 1 events, 2 commands */
	/* SMS-PP data download (ENVELOPE D1): the whole template in, response
	 * data (at most cap bytes) and status word out.  NULL: refused. */
	uint16_t (*sms_pp)(void *arg, const uint8_t *env, size_t len,
			   uint8_t *resp, size_t cap, size_t *resp_len);
	void *sms_pp_arg;
};

/* 2 + 2 channels on 3516 / 4116, buffer 1400, short APDUs, quiet. */
void cat_config_init(struct cat_config *cfg);

/* NULL if cfg asks for more than CAT_MAX_CHANNELS or out of memory. */
struct cat *cat_new(const struct cat_config *cfg);
void cat_free(struct cat *c);

/* Card reset: forget the terminal, drop every channel and command. */
void cat_reset(struct cat *c);

/* A new toolkit session: remembers the capabilities, drops the old
 * session's channels and queues the BIP set-up when the terminal can. */
void cat_terminal_profile(struct cat *c, const uint8_t *tp, size_t len);

/* Length of the command waiting to be fetched, 0 if none. */
size_t cat_pending(const struct cat *c);

/* Copies the waiting command into out and marks it fetched; a repeated
 * FETCH before the TERMINAL RESPONSE gets the same command again.  Returns
 * its length, or 0 if there is none or it does not fit in cap. */
size_t cat_fetch(struct cat *c, uint8_t *out, size_t cap);

/* Length of the command fetched and still awaiting its TERMINAL RESPONSE
 * (0 if none): what a repeated FETCH would return.  Not announced with
 * 91xx, since the terminal already has it. */
size_t cat_fetched_len(const struct cat *c);

/* CAT_SW_OK, or CAT_SW_ERROR when no command is outstanding, the response
 * is malformed or belongs to another command; the outstanding command then
 * stays outstanding so that a correct response can still finish it. */
uint16_t cat_terminal_response(struct cat *c, const uint8_t *tr, size_t len);

/* Event download (Data available, Channel status): CAT_SW_OK.  Malformed
 * envelopes and templates the card does not support (SMS-PP download
 * without cfg.sms_pp): CAT_SW_ERROR.  Events only update channel state,
 * so the card is never busy for them. */
uint16_t cat_envelope(struct cat *c, const uint8_t *env, size_t len);

/* The same for envelopes that may answer with data (SMS-PP download goes
 * to cfg.sms_pp): *resp_len bytes of resp (cap) are the response data. */
uint16_t cat_envelope_data(struct cat *c, const uint8_t *env, size_t len,
			   uint8_t *resp, size_t cap, size_t *resp_len);

/* Looks for work again after something outside the engine changed (a
 * client stream that produced output on its own). */
void cat_poll(struct cat *c);

/* State of channel id 1..7 as the card sees it (CAT_CS_*), or -1 when the
 * card has no such channel. */
int cat_channel_state(const struct cat *c, uint8_t channel_id);

/* ---- byte streams carried by channels ---- */

/* What a channel talks to; the engine owns the stream once it is given
 * one, and frees it through ops->free. */
struct cat_stream_ops {
	int (*input)(void *s, const uint8_t *data, size_t len); /* <0: OOM */
	void (*input_end)(void *s);		/* peer closed its side */
	size_t (*pending)(void *s, const uint8_t **data);
	void (*consume)(void *s, size_t n);
	bool (*done)(void *s);			/* close the channel now */
	/* Client channels only, may be NULL: the link came up (up, 0), or
	 * failed to open / dropped / was closed (!up, BIP cause or 0). */
	void (*link)(void *s, bool up, uint8_t cause);
	void (*free)(void *s);
};

/* A TCP client channel (remote administration). */
struct cat_client_params {
	uint8_t addr_type;		/* CAT_ADDR_IPV4 / CAT_ADDR_IPV6 */
	uint8_t addr[16];
	uint16_t port;
	uint16_t buffer_size;		/* 0: cfg.buffer_size */
	const uint8_t *nan;		/* network access name, may be NULL */
	size_t nan_len;
	/* 0 or CAT_TP_TCP_CLIENT_REMOTE: TCP, remote (above); or
	 * CAT_TP_UDP_CLIENT_LOCAL: UDP to the terminal itself, no bearer,
	 * each "send immediately" one datagram (the DM client, dm_sc.c) */
	uint8_t transport;
};

/* Whether the terminal's profile allows TCP client channels now (BIP set
 * up, TCP client mode announced): what cat_open_client() needs. */
bool cat_client_ready(const struct cat *c);

/* Queues an OPEN CHANNEL for a TCP client channel carrying stream.
 * Returns 0, or -ENOTSUP (terminal lacks BIP or TCP client mode), -EBUSY
 * (no free channel), -EINVAL (bad address).  On error the stream stays the
 * caller's; on success the engine calls ops->link and ops->free later. */
int cat_open_client(struct cat *c, const struct cat_client_params *p,
		    const struct cat_stream_ops *ops, void *stream);

#endif /* SCWS_CAT_H */
