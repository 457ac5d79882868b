/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * seac-rules.h - the card's access rules (GlobalPlatform SE Access
 * Control, ARA-M) as SCWS access control policy text.
 *
 * Pure: bytes in, text out, no card I/O (the pump's aram_reader.c reads
 * the bytes), so it is unit tested and fuzzed.  Two steps:
 *
 *   seac_parse()   the answer to GET DATA [All] ("FF40 L {E2 ...}") into
 *                  REF-AR-DOs; strict: one malformed object rejects all
 *   seac_to_acp()  the REF-AR-DOs that concern the SCWS into ACP text
 *                  (acp-policy.h format), resolved the way GPD_SPE_013
 *                  3.2.1 resolves them, written as first-match rule order
 *
 * The mapping is documented in docs/card-rules.md and scwsctl(8).
 */
#ifndef SEAC_RULES_H
#define SEAC_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SEAC_AID_MAX 16
#define SEAC_PKG_MAX 127
#define SEAC_REFRESH_LEN 8
#define SEAC_RULES_MAX 4096	/* REF-AR-DOs in one answer */
#define SEAC_FILTERS_MAX 16	/* APDU filters kept per REF-AR-DO */

/*
 * The AID that stands for the SCWS gateway in AID-REF-DOs: a proprietary,
 * unregistered AID (ISO 7816-5 category F): F0 'S' 'C' 'W' 'S' 'G' 'W'.
 * The pump's --scws-aid replaces it for cards that name their SCWS
 * application otherwise.
 */
#define SEAC_SCWS_AID_HEX "F0534357534757"

enum seac_aid_kind {
	SEAC_AID_NONE,		/* no AID-REF-DO (Android carrier privileges) */
	SEAC_AID_SPECIFIC,	/* 4F with 5..16 bytes */
	SEAC_AID_ALL,		/* 4F 00: every SE application */
	SEAC_AID_DEFAULT,	/* C0 00: the default selected application */
};

enum seac_access {
	SEAC_ABSENT,		/* no APDU-AR-DO */
	SEAC_NEVER,
	SEAC_ALWAYS,
	SEAC_FILTER,		/* APDU filters */
};

struct seac_rule {
	enum seac_aid_kind aid_kind;
	uint8_t aid[SEAC_AID_MAX];
	size_t aid_len;
	size_t hash_len;	/* 0 (every device application), 20 or 32 */
	uint8_t hash[32];
	char pkg[SEAC_PKG_MAX + 1];	/* "" when there is no PKG-REF-DO */
	enum seac_access apdu;
	enum seac_access nfc;	/* kept, not used: the SCWS is no NFC */
	/* SEAC_FILTER: n_filters x (CLA INS P1 P2, mask), as on the card;
	 * past SEAC_FILTERS_MAX the rest is dropped (fewer APDUs pass) */
	size_t n_filters;
	uint8_t filter[SEAC_FILTERS_MAX][8];
};

struct seac_rules {
	size_t n;
	struct seac_rule *rule;
};

void seac_rules_free(struct seac_rules *r);

/*
 * Parses a whole GET DATA [All] answer (data without the status word):
 * "FF40 L {E2 ...}", L may be 0.  0 with *out filled (free it), -EBADMSG
 * with why[] saying what was wrong (byte offset included), -E2BIG past
 * SEAC_RULES_MAX, -ENOMEM.
 */
int seac_parse(const uint8_t *buf, size_t len, struct seac_rules *out,
	       char *why, size_t why_len);

/*
 * The total length (tag + length + value) an FF40 answer announces, from
 * its first bytes, so GET DATA [Next] knows when to stop.  0, or -EBADMSG
 * (not FF40, bad length), -EAGAIN (too few bytes to tell).
 */
int seac_all_total(const uint8_t *buf, size_t len, size_t *total);
/* The same for any "FF xx L ..." object (xx = 40 rules, 70 certificates). */
int seac_ff_total(const uint8_t *buf, size_t len, uint8_t tag2,
		  size_t *total);

/*
 * The certificates answer (proprietary GET DATA FF70, docs/card-rules.md):
 * "FF70 L {DER certificate (30 ...)}*".  Calls fn for each certificate;
 * 0, or -EBADMSG (nothing is passed to fn then).
 */
int seac_parse_certs(const uint8_t *buf, size_t len,
		     void (*fn)(void *arg, const uint8_t *der, size_t len),
		     void *arg);

/* Parses "HEX" (5..16 bytes) into aid; false if it is no valid AID. */
bool seac_aid_parse(const char *hex, uint8_t *aid, size_t *aid_len);

/*
 * Writes the policy text for the rules that concern the SCWS (AID-REF-DO
 * naming scws_aid, or 4F 00 "all SE applications") to f: comments,
 * then allow/deny lines in the order that gives GP's precedence under
 * first-match.  Writes no rule at all when none concerns the SCWS.
 * refresh (8 bytes, or NULL) goes into the header comment.  Returns the
 * number of rule lines written.
 */
unsigned int seac_to_acp(FILE *f, const struct seac_rules *r,
			 const uint8_t *scws_aid, size_t scws_aid_len,
			 const uint8_t *refresh);
/* The same, the header naming the rule store the rules came from ("ARA-M",
 * or "ARF" for arf-rules.h). */
unsigned int seac_to_acp_from(FILE *f, const struct seac_rules *r,
			      const uint8_t *scws_aid, size_t scws_aid_len,
			      const uint8_t *refresh, const char *store);

#endif /* SEAC_RULES_H */
