/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * stats.h - what the pump counts: APDUs by kind, bytes on the card link in
 * each direction, payload carried each way, connections.  Printed on
 * SIGUSR1 and (at -v) at exit; benchmarks compare APDUs per KiB of payload
 * with the protocol's minimum.
 */
#ifndef BIPD_STATS_H
#define BIPD_STATS_H

#include <stdbool.h>
#include <stdint.h>

enum apdu_kind {
	APDU_STATUS,
	APDU_FETCH,
	APDU_TR,
	APDU_ENVELOPE,
	APDU_GET_RESPONSE,
	APDU_PROFILE,
	APDU_OTHER,
	APDU_KINDS
};

struct stats {
	uint64_t apdus[APDU_KINDS];	/* transmissions (6Cxx resends count) */
	uint64_t cmd_bytes;		/* C-APDU bytes, pump -> card */
	uint64_t resp_bytes;		/* R-APDU bytes incl. SW, card -> pump */
	uint64_t to_card;		/* client bytes delivered (RECEIVE DATA) */
	uint64_t to_client;		/* card bytes accepted (SEND DATA) */
	uint64_t conns;			/* connections bound to channels */
	uint64_t card_sessions;		/* TERMINAL PROFILEs that succeeded */
};

uint64_t stats_apdus(const struct stats *s);
/* One line for the log at this level; force: whatever the verbosity. */
void stats_log(const struct stats *s, int level, bool force);

#endif /* BIPD_STATS_H */
