/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * apdu.h - C-APDUs to the card and their answers (ISO 7816-4, TS 102 221).
 *
 * The transport is a struct card_ops: PC/SC in the pump (pcsc.c), a
 * scripted card in the unit tests.  On top of it apdu_xfer() codes the
 * command in short form, or extended form when it must and the link allows
 * it, and hides the T=0 status words: 61xx (fetch the answer with GET
 * RESPONSE) and 6Cxx (send again with the right Le).
 */
#ifndef BIPD_APDU_H
#define BIPD_APDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats.h"

#define APDU_SHORT_NC 255	/* longest data field of a short APDU */
#define APDU_SHORT_NE 256	/* Le 00 */
#define APDU_EXT_MAX 65535
#define APDU_RESP_MAX 4096	/* largest answer we collect */
#define APDU_RAW_MAX (APDU_EXT_MAX + 9)

struct card_ops {
	/* Sends capdu and fills rapdu (data + SW1 SW2, at most rcap bytes).
	 * 0, or -ENODEV when the card, the reader or pcscd went away; any
	 * other negative value is a failure of the link as well. */
	int (*transmit)(void *ctx, const uint8_t *capdu, size_t clen,
			uint8_t *rapdu, size_t rcap, size_t *rlen);
};

struct apdu_link {
	const struct card_ops *ops;
	void *ctx;
	bool extended;		/* reader, protocol and card take Lc > 255 */
	struct stats *stats;	/* may be NULL */
};

struct apdu_resp {
	uint8_t data[APDU_RESP_MAX];
	size_t len;
	uint16_t sw;
};

#define SW_OK 0x9000
#define SW1(sw) ((uint8_t)((sw) >> 8))
#define SW2(sw) ((uint8_t)(sw))

/*
 * One command: nc data bytes, ne = expected answer length (0: no Le field,
 * 1..256 short, more: extended).  0 with *r filled (r->sw is the final
 * status word), -EMSGSIZE when the command needs an extended APDU that the
 * link cannot carry, -EPROTO for an answer without a status word, or the
 * transport's error.
 */
int apdu_xfer(struct apdu_link *l, enum apdu_kind kind, uint8_t cla,
	      uint8_t ins, uint8_t p1, uint8_t p2, const uint8_t *data,
	      size_t nc, size_t ne, struct apdu_resp *r);

/* Longest data field this link can send in one command. */
size_t apdu_max_nc(const struct apdu_link *l);

#endif /* BIPD_APDU_H */
