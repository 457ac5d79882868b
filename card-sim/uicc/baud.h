/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Link speed emulation (--baud): how long an ISO 7816-3 T=1 link at a
 * given bit rate needs to move one command APDU and its response, so a
 * benchmark through the simulator can be set against a real card's
 * physical limit.
 */
#ifndef SCWS_CARD_BAUD_H
#define SCWS_CARD_BAUD_H

#include <stddef.h>
#include <stdint.h>

/* IFSC the ATR announces (TA3 = FE) and the IFSD readers negotiate. */
#define T1_IFS 254

/* Nanoseconds for cmd_len bytes of C-APDU and resp_len of R-APDU at
 * baud bits (ETUs) per second. */
uint64_t t1_exchange_ns(size_t cmd_len, size_t resp_len, unsigned long baud);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t t1_clock_ns(void);
/*
 * Waits until the exchange that arrived at arrived_ns (t1_clock_ns())
 * would have left the wire.  The simulator's own processing (and a
 * loaded host's late wake-ups while it worked) fall inside that time
 * instead of adding to it.
 */
void t1_pace(uint64_t arrived_ns, size_t cmd_len, size_t resp_len,
	     unsigned long baud);

#endif /* SCWS_CARD_BAUD_H */
