/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * What a pump that schedules connections itself reports about them with
 * PORT_SET (SCWS_A_PORT_WAITING etc. in uapi/linux/scws.h).
 */
#ifndef SCWS_PUMP_STATS_H
#define SCWS_PUMP_STATS_H

#include <stdbool.h>
#include <stdint.h>

struct scws_pump_stats {
	uint32_t waiting;		/* waiting for a channel now */
	uint64_t waits;			/* had to wait, ever */
	uint64_t reclaims;		/* idle channels taken back */
};

static inline bool scws_pump_stats_equal(const struct scws_pump_stats *a,
					 const struct scws_pump_stats *b)
{
	return a->waiting == b->waiting && a->waits == b->waits &&
	       a->reclaims == b->reclaims;
}

#endif
