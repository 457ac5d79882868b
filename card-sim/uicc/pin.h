/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The card's PIN (CHV1) and its unblocking key (PUK), as ISO 7816-4 and
 * TS 102 221 see them: VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER.
 *
 * card.h declares card_pin_verify() and card_pin_tries_left(); this header
 * adds the rest.  PINs are strings of 4..8 ASCII digits, PUKs exactly 8.
 * The counters live in the card state (key "pin/chv1") and are saved
 * BEFORE a comparison, as real cards do, so pulling the power in the middle
 * never gives a free try.  Defaults: PIN "0000" (3 tries), PUK "12345678"
 * (10 tries).  A wrong PIN format counts as a wrong PIN.
 */
#ifndef SCWS_CARD_PIN_H
#define SCWS_CARD_PIN_H

#include "card.h"

#define CARD_PIN_MAX_TRIES 3
#define CARD_PUK_MAX_TRIES 10
#define CARD_PIN_MIN_LEN 4
#define CARD_PIN_MAX_LEN 8
#define CARD_PUK_LEN 8

/* Loads the PIN from st (creating the defaults); NULL on out-of-memory. */
struct card_pin *card_pin_open(struct card_state *st);
void card_pin_close(struct card_pin *p);

/* card.h: enum pin_result card_pin_verify(struct card_pin *p, const char *pin);
 * card.h: int card_pin_tries_left(const struct card_pin *p);  (0 = blocked) */

/* HTTP Digest cannot hand over the PIN, only a proof computed from it:
 * match(pin, arg) says whether the proof fits the real PIN.  Counts tries
 * exactly like card_pin_verify(). */
enum pin_result card_pin_verify_proof(struct card_pin *p,
				      bool (*match)(const char *pin, void *arg),
				      void *arg);

/* CHANGE REFERENCE DATA: old must verify (counts a try); PIN_OK on success.
 * An invalid new PIN is refused (PIN_WRONG) before any try is counted. */
enum pin_result card_pin_change(struct card_pin *p, const char *old_pin,
				const char *new_pin);

/* RESET RETRY COUNTER: a right PUK restores the tries and, if new_pin is
 * not NULL, sets it.  PIN_WRONG = wrong PUK, PIN_BLOCKED = PUK used up. */
enum pin_result card_pin_unblock(struct card_pin *p, const char *puk,
				 const char *new_pin);
int card_pin_puk_tries_left(const struct card_pin *p);

/* Whether s is an acceptable new PIN (4..8 digits). */
bool card_pin_valid(const char *s);

/* The 8-byte APDU form (digits, 0xFF padding) <-> string.  Returns false
 * on a malformed block (uicc.c answers 6A80 and does not count a try). */
bool card_pin_from_block(const uint8_t block[8], char out[9]);
void card_pin_to_block(const char *pin, uint8_t block[8]);

#endif /* SCWS_CARD_PIN_H */
