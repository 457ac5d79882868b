/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the card's DM server keeps in the card state (state.c: saved
 * atomically), one key per concept:
 *
 *   dm/nonce/client  the nonce the DM client must use in its next Cred
 *                    (the card gave it in a Chal); raw bytes
 *   dm/nonce/server  the nonce the card uses in its own Cred and in a
 *                    package #0 (the client gave it); raw bytes
 *   dm/provision     the provisioning set: one item a line,
 *                    "URI<TAB>format<TAB>type<TAB>data"; a remote admin may
 *                    replace it, --dm-provision FILE does at start
 *   dm/delivered     the lines of dm/provision the client took (Add
 *                    answered 200, or 418: the card never overwrites)
 *   dm/results       the last session's per-item results, as the client
 *                    reported them: "cmd<TAB>URI<TAB>code[<TAB>value]"
 *   dm/last          the last session: "key=value" lines
 *   dm/notify        the last package #0: "key=value" lines
 *
 * A missing nonce is empty: the same default as a bootstrap without one.
 */
#ifndef SCWS_CARD_DM_STORE_H
#define SCWS_CARD_DM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card.h"

#define DM_KEY_CLIENT_NONCE "dm/nonce/client"
#define DM_KEY_SERVER_NONCE "dm/nonce/server"
#define DM_KEY_PROVISION "dm/provision"
#define DM_KEY_DELIVERED "dm/delivered"
#define DM_KEY_RESULTS "dm/results"
#define DM_KEY_LAST "dm/last"
#define DM_KEY_NOTIFY "dm/notify"

#define DM_NONCE_BYTES 16	/* the nonces the card makes */
#define DM_NONCE_MAX 64		/* the longest it accepts */
/* The client's report of a full set (a Status of some 250 bytes per item)
 * must fit the card's HTTP body limit (16 KiB). */
#define DM_PROV_MAX_ITEMS 32
#define DM_PROV_MAX_LINE 1024

struct dm_nonce {
	uint8_t b[DM_NONCE_MAX];
	size_t len;
};

/* One Add of the provisioning set; the fields point into line. */
struct dm_prov_item {
	char line[DM_PROV_MAX_LINE];	/* the line, cut into the fields */
	const char *uri, *format, *type, *data;
};

struct dm_prov {
	struct dm_prov_item items[DM_PROV_MAX_ITEMS];
	size_t n;
};

void dm_store_nonce(struct card_state *st, const char *key, struct dm_nonce *n);
/* Sets and saves: a nonce both sides moved to must survive a crash. */
int dm_store_set_nonce(struct card_state *st, const char *key,
		       const struct dm_nonce *n);

/* Parses a provisioning set (see above; empty lines and lines starting
 * with '#' are skipped).  0, or -1 with the reason and line in err. */
int dm_prov_parse(const char *text, size_t len, struct dm_prov *p,
		  char *err, size_t err_size);
/* The stored set; the card's default one (a second DMAcc) when none is
 * stored yet, which is then stored. */
int dm_prov_load(struct card_state *st, struct dm_prov *p);
/* Whether an item (its whole line) is in dm/delivered. */
bool dm_prov_delivered(struct card_state *st, const struct dm_prov_item *it);
/* How many items are not delivered yet. */
size_t dm_prov_pending(struct card_state *st, const struct dm_prov *p);
/* Adds an item's line to dm/delivered (not saved). */
int dm_prov_mark_delivered(struct card_state *st, const struct dm_prov_item *it);

#endif /* SCWS_CARD_DM_STORE_H */
