/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * aram_reader.h - the card's ARA-M (GP SE Access Control) read over the
 * pump's own card link, on a logical channel of its own so the toolkit
 * session on the basic channel is not disturbed:
 *
 *   MANAGE CHANNEL open, SELECT A00000015141434C00, GET DATA [Refresh
 *   tag] (DF20), GET DATA [All] (FF40) and [Next] (FF60) until the whole
 *   answer is in, MANAGE CHANNEL close.
 *
 * Blocking (a handful of APDUs); called between engine ticks.
 */
#ifndef BIPD_ARAM_READER_H
#define BIPD_ARAM_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apdu.h"

#define ARAM_READ_MAX 65536	/* longest FF40 answer we assemble */

/* Status words of a proactive-pending card (91xx) count as 90 00; each is
 * passed to note(arg, sw) so the toolkit session fetches the command. */
struct aram_link {
	struct apdu_link *link;
	void (*note)(void *arg, uint16_t sw);
	void *arg;
	bool dead;		/* private: the link failed */
};

struct aram_answer {
	bool has_refresh;		/* the ARA-M answered DF20 */
	uint8_t refresh[8];
	uint8_t *all;			/* "FF40 L ..." (FF40 00 for 6A88) */
	size_t all_len;
	uint8_t *certs;			/* "FF70 L ...", NULL: none offered */
	size_t certs_len;
};

void aram_answer_free(struct aram_answer *a);

/*
 * Reads the refresh tag only (rules_too false) or the tag, every rule and
 * the certificates of trusted applications (proprietary GET DATA FF70; a
 * card that refuses it has none).
 * 0; -ENOENT when the card has no ARA-M (SELECT refused); -EIO when the
 * ARA-M refused a command (*sw tells which status word); -EBADMSG for an
 * answer that is not what GPD_SPE_013 says; -E2BIG past ARAM_READ_MAX;
 * or the link's error (the card is gone).  The channel is closed in
 * every case the link still works.
 */
int aram_read(struct aram_link *l, bool rules_too, struct aram_answer *out,
	      uint16_t *sw);

/*
 * For the other readers of the card's rules (arf_reader.c): one command
 * with 91xx folded into 90 00 as above; a logical channel of the pump's
 * own (0 and *ch, -EIO when the card refuses, or the link's error); and
 * closing it, which returns err, or the link's error if closing failed
 * and err was 0.
 */
int aram_link_xfer(struct aram_link *l, uint8_t cla, uint8_t ins,
		   uint8_t p1, uint8_t p2, const uint8_t *data, size_t nc,
		   size_t ne, struct apdu_resp *r, uint16_t *sw);
int aram_channel_open(struct aram_link *l, uint8_t *ch, uint16_t *sw);
int aram_channel_close(struct aram_link *l, uint8_t ch, int err);

#endif /* BIPD_ARAM_READER_H */
