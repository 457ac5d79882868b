/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Package #0 made by the card (OMA-TS-DM_Notification-V1_2): the trigger
 * a DM client checks before it calls the server back.
 *   digest (16) | version 12 (10 bits) ui-mode (2) initiator 1 (1)
 *   future-use 0 (27) | session-id (16) | server-id length (8) | server-id
 * The digest is dm_notify_digest() of tools/lib/dm-auth.c, the very code
 * scws-dmc checks it with: H(B64(H(server-id:SRVCRED secret)):server
 * nonce:B64(H(trigger))).
 */
#ifndef SCWS_CARD_DM_PKG0_H
#define SCWS_CARD_DM_PKG0_H

#include <stddef.h>
#include <stdint.h>

#define DM_PKG0_MAX (16 + 8 + 255)

enum dm_pkg0_ui { DM_PKG0_UI_UNSPECIFIED, DM_PKG0_UI_BACKGROUND };

/* Into out (at least DM_PKG0_MAX bytes); its length, or 0 when the server
 * id is empty or longer than 255 bytes. */
size_t dm_pkg0_build(const char *server_id, const char *srv_secret,
		     const uint8_t *nonce, size_t nonce_len,
		     unsigned int session_id, enum dm_pkg0_ui ui,
		     uint8_t *out);

#endif /* SCWS_CARD_DM_PKG0_H */
