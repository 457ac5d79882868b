/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keysets.h - the card's OTA key sets and their anti-replay counters, kept
 * in the state file.
 *
 *   "ota/keyset/N"  (N = key version number, one hex digit 1..F)
 *                   KIc length(1) KIc | KID length(1) KID  (AES keys)
 *   "ota/counter/N" the last accepted CNTR of key set N, 5 bytes
 *
 * A counter change is saved (temp file, fsync, rename) before the packet
 * that carried it may do anything, so a replay after a crash is still a
 * replay.
 */
#ifndef SCWS_OTA_KEYSETS_H
#define SCWS_OTA_KEYSETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ota/secured_packet.h"

struct card_state;

#define OTA_KEY_MAX 32

struct ota_keyset {
	uint8_t kvn;			/* 1..15 */
	uint8_t kic[OTA_KEY_MAX];
	size_t kic_len;
	uint8_t kid[OTA_KEY_MAX];
	size_t kid_len;
};

/* 0, -ENOENT (no such key set), -EINVAL (stored record damaged). */
int ota_keyset_load(const struct card_state *st, uint8_t kvn,
		    struct ota_keyset *ks);
/* Stores (and saves) ks; its counter is left alone. */
int ota_keyset_store(struct card_state *st, const struct ota_keyset *ks);

/* "N:KIC:KID" (hex AES keys): true and *ks filled when well-formed. */
bool ota_keyset_parse(const char *s, struct ota_keyset *ks);

/* The stored counter of key set kvn (all zero when none yet). */
void ota_counter_load(const struct card_state *st, uint8_t kvn,
		      uint8_t cntr[OTA_CNTR_LEN]);
/* Sets and saves it atomically: 0, or <0 and the state on disk unchanged. */
int ota_counter_store(struct card_state *st, uint8_t kvn,
		      const uint8_t cntr[OTA_CNTR_LEN]);

/* The counter check of TS 102 225 5.1.1 for mode m: OTA_POR_OK (and
 * *update true when the stored counter must become rx), or
 * OTA_POR_CNTR_LOW / _HIGH / _BLOCKED. */
uint8_t ota_counter_check(enum ota_counter m,
			  const uint8_t stored[OTA_CNTR_LEN],
			  const uint8_t rx[OTA_CNTR_LEN], bool *update);

#endif /* SCWS_OTA_KEYSETS_H */
