/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded secure element role of scws-card (--role ese): a
 * GlobalPlatform card (Card Specification 2.3) with an Issuer Security
 * Domain (AID A000000151000000), a persistent registry of load files and
 * applications, content management (INSTALL, LOAD, DELETE), GET STATUS,
 * logical channels 0-3, and installed applications that answer as a
 * trivial echo applet (this card runs no Java Card VM).
 *
 * Secure channel: SCP03 is not modelled.  A real eSE's ISD demands an
 * authenticated SCP03 session (INITIALIZE UPDATE, EXTERNAL AUTHENTICATE,
 * C-MAC on every command) before content management; this card answers
 * those commands 6982 unless TEST TOOLING --gp-clear-text lets them in
 * the clear.  See scws-card(1) and docs/apdu-access.md.
 */
#ifndef SCWS_CARD_GP_H
#define SCWS_CARD_GP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card.h"

#define GP_ISD_AID_BYTES 0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00, 0x00

struct gp_card;

struct gp_card *gp_card_new(struct card_state *st, bool clear_text);
void gp_card_free(struct gp_card *g);
/* Power on / reset: channels closed, the ISD selected on channel 0. */
void gp_card_reset(struct gp_card *g);
size_t gp_card_atr(const uint8_t **atr);
/* One C-APDU; the R-APDU (at most APDU_RESP_MAX bytes) into resp. */
size_t gp_card_transmit(struct gp_card *g, const uint8_t *capdu, size_t len,
			uint8_t *resp);

/* The whole --role ese process: the vpcd link, signals, the card. */
int ese_main(const char *host, const char *port, const char *state_path,
	     bool reset_state, bool clear_text);

#endif /* SCWS_CARD_GP_H */
