// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * stats.c - the counters' log line.
 */
#include "stats.h"
#include "log.h"

#include <inttypes.h>

uint64_t stats_apdus(const struct stats *s)
{
	uint64_t n = 0;

	for (int i = 0; i < APDU_KINDS; i++)
		n += s->apdus[i];
	return n;
}

void stats_log(const struct stats *s, int level, bool force)
{
	uint64_t payload = s->to_card + s->to_client;
	uint64_t total = stats_apdus(s);
	/* hundredths of an APDU per KiB, integer only */
	uint64_t per_kib = payload ? total * 102400 / payload : 0;

	void (*out)(int, const char *, ...) = force ? log_always : log_msg;

	out(level, "stats: apdus=%" PRIu64 " (status=%" PRIu64
		" fetch=%" PRIu64 " tr=%" PRIu64 " envelope=%" PRIu64
		" get-response=%" PRIu64 " profile=%" PRIu64 " other=%" PRIu64
		") link-bytes out=%" PRIu64 " in=%" PRIu64
		" payload to-card=%" PRIu64 " to-client=%" PRIu64
		" apdus-per-kib=%" PRIu64 ".%02" PRIu64 " conns=%" PRIu64
		" card-sessions=%" PRIu64,
		total, s->apdus[APDU_STATUS], s->apdus[APDU_FETCH],
		s->apdus[APDU_TR], s->apdus[APDU_ENVELOPE],
		s->apdus[APDU_GET_RESPONSE], s->apdus[APDU_PROFILE],
		s->apdus[APDU_OTHER], s->cmd_bytes, s->resp_bytes, s->to_card,
		s->to_client, per_kib / 100, per_kib % 100, s->conns,
		s->card_sessions);
}
