/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DM Smart Card on the card side: the contract between the toolkit part
 * (cat/dm_sc.c: how a DM client's presence reaches the card, how a DM
 * notification leaves it) and the card's DM server (dm/: what the card
 * provisions, when it asks for a session).  See docs/device-management.md.
 *
 * DM-SC-2: the terminal tells the card that a launchable DM client exists
 * with an ENVELOPE (Event download, Local connection, event 0D) carrying a
 * Service record that names the DM client; the card has asked for that
 * event in its SET UP EVENT LIST.
 * DM-SC-1: the card sends package #0 over a BIP channel, UDP, UICC in
 * client mode, local connection (transport type 04), to the terminal's DM
 * client port; the terminal (scws-bipd, the DM_SC Gateway) hands the
 * datagram to the registered client.  No client: OPEN CHANNEL fails with
 * BIP error 12 (application launch failed).
 */
#ifndef SCWS_CARD_DM_SC_H
#define SCWS_CARD_DM_SC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The local UDP port the card names in OPEN CHANNEL for the DM client. */
#define DM_SC_PORT 2948

struct dm_sc_ops {
	/* A DM client registered (present) or went away, as the terminal said. */
	void (*client_changed)(void *ctx, bool present);
	/* A notification left (bip_error 0) or failed (the BIP error's
	 * additional information, e.g. 0x12; 0x100 for another failure). */
	void (*notify_done)(void *ctx, int bip_error);
};

/* cat/dm_sc.c: who hears of the client and of the notification's fate. */
void dm_sc_set_ops(const struct dm_sc_ops *ops, void *ctx);
/* Whether the terminal has said a DM client is registered. */
bool dm_sc_client_present(void);
/*
 * Queue package #0 for the DM client: OPEN CHANNEL (UDP, local, port
 * DM_SC_PORT), SEND DATA, CLOSE CHANNEL at the next proactive turn.
 * 0, -EBUSY while one is in flight, -EINVAL for an empty or over-long
 * (> 1024 bytes) package.
 */
int dm_sc_notify(const uint8_t *pkg0, size_t len);

#endif /* SCWS_CARD_DM_SC_H */
