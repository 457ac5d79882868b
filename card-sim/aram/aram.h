/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ARA-M applet (GlobalPlatform SE Access Control, GPD_SPE_013): access
 * rules for device applications, read with GET DATA and managed with
 * STORE DATA, kept in the card state.
 *
 *   aram_rules.c  the rule set in memory: strict parsing of STORE DATA
 *                 commands, store / delete, lookups (pure, fuzzed)
 *   aram.c        the applet: APDUs, the GET DATA [Next] cursor, saving
 */
#ifndef SCWS_CARD_ARAM_H
#define SCWS_CARD_ARAM_H

#include "uicc/apdu.h"
#include "card.h"

#define ARAM_AID_LEN 9
extern const uint8_t aram_aid[ARAM_AID_LEN];	/* A0 00 00 01 51 41 43 4C 00 */

/* Bound on the stored REF-AR-DOs so "FF40 L {...}" always fits a
 * response and the state stays small. */
#define ARAM_RULES_MAX 32768
/* Bound on a STORE DATA command assembled from chained blocks. */
#define ARAM_STORE_MAX 8192

/* ---- aram_rules.c ---- */

/* The rules: REF-AR-DOs (E2), canonical, back to back. */
struct aram_rules {
	uint8_t *buf;
	size_t len;
};

/* Checks that buf holds only well-formed REF-AR-DOs (used on load). */
bool aram_rules_valid(const uint8_t *buf, size_t len);

/* Applies one STORE DATA command data field (F0 store, F1 delete, F2
 * new refresh tag).  On any error the rules are unchanged.  Returns
 * SW_OK, or SW_WRONG_DATA (malformed), SW_CONFLICT (a rule with the same
 * REF-DO exists), SW_REF_NOT_FOUND (delete matched nothing),
 * SW_MEMORY (too many rules, out of memory), SW_INCOMPATIBLE_FILE (a
 * command DO this ARA-M does not support). */
uint16_t aram_rules_store(struct aram_rules *r, const uint8_t *cmd, size_t len);

/* The AR-DO (E3 TLV) of the rule whose REF-DO equals ref_do (an E1
 * TLV), or NULL. */
const uint8_t *aram_rules_find(const struct aram_rules *r,
			       const uint8_t *ref_do, size_t ref_len,
			       size_t *ar_len);

void aram_rules_free(struct aram_rules *r);

/* ---- aram.c ---- */
struct aram;

/* Per logical channel: an unfinished GET DATA [All] and STORE DATA. */
struct aram_session {
	uint8_t *all;		/* the FF40 answer being handed out */
	size_t all_len, all_sent;
	uint64_t all_gen;	/* rule generation it was built from */
	uint8_t *store;		/* STORE DATA blocks received so far */
	size_t store_len;
	unsigned int next_block;
};

struct aram *aram_open(struct card_state *st);
void aram_close(struct aram *a);

void aram_session_end(struct aram_session *s);

/* The answer to SELECT (FCI template 6F). */
void aram_select(struct apdu_resp *r);
/* One command addressed to the ARA-M on a channel; returns the SW. */
uint16_t aram_command(struct aram *a, struct aram_session *s,
		      const struct apdu *c, struct apdu_resp *r);

#endif /* SCWS_CARD_ARAM_H */
