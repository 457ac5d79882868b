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

/* One STORE DATA command data field, applied as if it came in an APDU
 * (new refresh tag, saved); returns the SW. */
uint16_t aram_store(struct aram *a, const uint8_t *cmd, size_t len);

/* TEST TOOLING (scws-card --aram-inbox FILE, on SIGUSR2): applies the
 * STORE DATA command data fields in FILE, one per line in hex ('#'
 * starts a comment), in order; stops at the first refusal.  A line
 * "corrupt" makes GET DATA [All] answers malformed from then on (a wrong
 * tag where the first REF-AR-DO belongs), "repair" ends that; both give a
 * new refresh tag, as a real rule change would.  Returns how many lines
 * were applied, or -1 if FILE could not be read. */
int aram_inbox_apply(struct aram *a, const char *path);
void aram_set_corrupt(struct aram *a, bool corrupt);

/* Certificates of trusted device applications, a proprietary extension
 * (docs/card-rules.md): GET DATA FF70 answers "FF70 L {DER ...}" (with
 * [Next] like FF40, 6A88 when there are none).  Adds one DER certificate
 * (a line "cert HEX" in the inbox); a new refresh tag announces it. */
uint16_t aram_add_cert(struct aram *a, const uint8_t *der, size_t len);

/* The rules as they stand, for their ARF view (arf/): the stored
 * REF-AR-DOs, the refresh tag, a generation that changes with either,
 * and whether answers are made malformed (TEST TOOLING). */
void aram_view(const struct aram *a, const uint8_t **rules, size_t *len,
	       const uint8_t **refresh, uint64_t *gen, bool *corrupt);

/* The answer to SELECT (FCI template 6F). */
void aram_select(struct apdu_resp *r);
/* One command addressed to the ARA-M on a channel; returns the SW. */
uint16_t aram_command(struct aram *a, struct aram_session *s,
		      const struct apdu *c, struct apdu_resp *r);

#endif /* SCWS_CARD_ARAM_H */
