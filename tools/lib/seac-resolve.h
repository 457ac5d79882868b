/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * seac-resolve.h - which APDUs a device application may send to an SE
 * application, from the card's GP SEAC rules (GPD_SPE_013 3.2.1, in the
 * order Android's SecureElement service applies them; spec digest 5.3):
 *
 *   A  REF-DO (this AID, one of the app's hashes)
 *      else some rule binds this AID to another app      -> NEVER
 *   B  REF-DO (this AID, every device app)
 *   C  REF-DO (every SE app, one of the app's hashes)
 *      else some "every SE app" rule names another app   -> NEVER
 *   D  REF-DO (every SE app, every device app)
 *   no rule at all                                        -> no access
 *
 * The first step that finds a rule decides.  Rules found in one step are
 * merged: any NEVER wins; filters add up; ALWAYS with filters is ALWAYS;
 * a rule without APDU-AR-DO counts as NEVER.  NFC: NEVER > ALWAYS >
 * absent (kept for completeness; the gateway has no NFC).
 *
 * A rule's DeviceAppID-REF-DO matches by the length it has (20: SHA-1,
 * 32: SHA-256 of the signing certificate); a PKG-REF-DO must equal the
 * app's label as well.  Pure, no I/O: unit tested and fuzzed.
 */
#ifndef SEAC_RESOLVE_H
#define SEAC_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seac-rules.h"

#define SEAC_DECISION_FILTERS 64

/* Who asks: the hashes of its signing certificate (when it has a valid,
 * trusted signature) and its label (the PKG-REF-DO counterpart). */
struct seac_app {
	bool signed_app;
	uint8_t sha1[20];
	uint8_t sha256[32];
	const char *label;	/* NULL or "": none */
};

enum seac_step { SEAC_STEP_NONE, SEAC_STEP_A, SEAC_STEP_A_OTHER,
		 SEAC_STEP_B, SEAC_STEP_C, SEAC_STEP_C_OTHER, SEAC_STEP_D };

struct seac_decision {
	bool allowed;
	bool all_apdus;		/* ALWAYS: no filter applies */
	size_t n_filters;	/* else: an APDU passes one of these */
	uint8_t filter[SEAC_DECISION_FILTERS][8];
	bool filters_cut;	/* more than SEAC_DECISION_FILTERS: dropped */
	enum seac_access nfc;
	enum seac_step step;	/* which step decided */
};

/*
 * aid/aid_len: the SE application (aid_len 0, or the AID 00 00 00 00 00:
 * the default application, rules with C0).  Fills d; d->allowed false
 * means no access.
 */
void seac_resolve(const struct seac_rules *r, const uint8_t *aid,
		  size_t aid_len, const struct seac_app *app,
		  struct seac_decision *d);

/* Whether the command header hdr (CLA INS P1 P2) passes d's filters;
 * the CLA is compared without its channel bits (the caller clears them). */
bool seac_apdu_allowed(const struct seac_decision *d, const uint8_t hdr[4]);

/* "A (specific AID, this app)" ...: for logs and error messages. */
const char *seac_step_name(enum seac_step s);

#endif /* SEAC_RESOLVE_H */
