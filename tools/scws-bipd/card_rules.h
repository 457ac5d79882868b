/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * card_rules.h - the card's access rules in the kernel's policy.
 *
 * With --policy FILE the pump owns the scws module's access control
 * policy: at every card attach (before it registers as the pump, so no
 * connection is handed off before the card's rules are in force), when
 * the ARA-M's refresh tag changes (polled every --card-rules-poll-ms) and
 * at once after a REFRESH proactive command, it reads the card's rules
 * (aram_reader.c), maps them (seac-rules.h), merges them with FILE
 * (acp-merge.h) and loads the result in one POLICY_SET.  Rules that
 * cannot be read or parsed leave the policy in force as it was, and the
 * log says so.  The state directory gets the card's rules as text
 * (card-rules.conf, what `scwsctl policy show --card` prints) and the
 * merged policy (policy.conf).  See docs/card-rules.md.
 */
#ifndef BIPD_CARD_RULES_H
#define BIPD_CARD_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aram_reader.h"
#include "options.h"
#include "seac-rules.h"

struct scws_nl;

struct card_rules {
	const struct bipd_opts *o;
	uint8_t aid[SEAC_AID_MAX];
	size_t aid_len;
	bool in_force;			/* a policy of ours is loaded */
	bool have_tag;			/* ... from rules with this tag */
	uint8_t tag[SEAC_REFRESH_LEN];
	bool refused_valid;		/* rules with this tag were refused */
	uint8_t refused_tag[SEAC_REFRESH_LEN];
	int64_t next_poll;		/* -1: no polling */
	bool refresh_due;		/* REFRESH seen: read at once */
	struct scws_nl *nl;		/* for POLICY_SET, opened when needed */
	unsigned int applied;		/* policies loaded (for tests, logs) */
};

/* 0, or -EINVAL for a bad --scws-aid (message printed). */
int card_rules_init(struct card_rules *cr, const struct bipd_opts *o);
void card_rules_fini(struct card_rules *cr);
bool card_rules_enabled(const struct card_rules *cr);

/*
 * Reads the card's rules and, when they changed (or at_attach), loads
 * the merged policy.  Returns 0 whatever became of the rules (refusals
 * are logged and leave the old policy); < 0 only when the card link
 * failed (the caller drops the card).
 */
int card_rules_sync(struct card_rules *cr, struct aram_link *l,
		    bool at_attach);
/* When card_rules_sync() is due next (CLOCK_MONOTONIC ms), -1: never. */
int64_t card_rules_deadline(const struct card_rules *cr);

#endif /* BIPD_CARD_RULES_H */
