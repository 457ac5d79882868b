// SPDX-License-Identifier: GPL-2.0
/*
 * The card's clock (see card.h).  A UICC has no battery and no clock of
 * its own: a real card asks the terminal with PROVIDE LOCAL INFORMATION
 * (date, time and time zone, TS 102 223 6.4.15) and counts with TIMER
 * MANAGEMENT in between, or does without.  The simulator reads the host's
 * clock; --no-clock makes it a card without one, so that everything that
 * needs the time (the Date field, Last-Modified) can be seen to do without.
 */
#include <time.h>

#include "card.h"

static bool clock_off;

void card_clock_disable(void)
{
	clock_off = true;
}

int64_t card_clock_now(void)
{
	struct timespec ts;

	if (clock_off || clock_gettime(CLOCK_REALTIME, &ts) || ts.tv_sec <= 0)
		return 0;
	return (int64_t)ts.tv_sec;
}
