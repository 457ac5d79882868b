// SPDX-License-Identifier: GPL-2.0
/*
 * The T=1 timing model (ISO 7816-3 chapter 11), fastest legal link:
 *
 *  - a character is start bit + 8 data bits + parity = 10 ETU, and with
 *    the smallest extra guard time (N = 255) T=1 puts consecutive
 *    characters 11 ETU apart (CGT = 11 ETU); so 11 ETU per byte;
 *  - a block is NAD, PCB, LEN, up to IFS bytes of APDU, and LRC: 4 bytes of
 *    framing; an APDU longer than IFS is chained and every block but the
 *    last is acknowledged by a 4-byte R-block from the other side;
 *  - blocks in opposite directions are at least BGT = 22 ETU apart (leading
 *    edge to leading edge), i.e. 11 ETU more than a character; every block
 *    boundary in an exchange is such a turnaround, and so is the one
 *    before the next command.
 *
 * Card processing time (BWT is only an upper bound) is not counted: this
 * is the physical limit of the wire.  1 ETU = 1 / baud seconds.
 */
#include "baud.h"

#include <errno.h>
#include <time.h>

enum {
	ETU_PER_CHAR = 11,
	BLOCK_FRAMING = 4,	/* NAD PCB LEN ... LRC */
	TURNAROUND_EXTRA = 11,	/* BGT 22 ETU minus the 11 of a character */
};

/* Characters and blocks on the wire for one APDU sent as I-blocks. */
static void chain(size_t len, uint64_t *chars, uint64_t *blocks)
{
	uint64_t n = len ? (len + T1_IFS - 1) / T1_IFS : 1;

	*chars += len + n * BLOCK_FRAMING + (n - 1) * BLOCK_FRAMING;
	*blocks += 2 * n - 1;
}

uint64_t t1_exchange_ns(size_t cmd_len, size_t resp_len, unsigned long baud)
{
	uint64_t chars = 0, blocks = 0, etu;

	if (!baud)
		return 0;
	chain(cmd_len, &chars, &blocks);
	chain(resp_len, &chars, &blocks);
	etu = chars * ETU_PER_CHAR + blocks * TURNAROUND_EXTRA;
	return etu * 1000000000ull / baud;
}

uint64_t t1_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void t1_pace(uint64_t arrived_ns, size_t cmd_len, size_t resp_len,
	     unsigned long baud)
{
	uint64_t until = arrived_ns + t1_exchange_ns(cmd_len, resp_len, baud);
	struct timespec ts = { (time_t)(until / 1000000000ull),
			       (long)(until % 1000000000ull) };

	if (!baud)
		return;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}
