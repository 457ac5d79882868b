/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command and response APDUs (ISO 7816-3 12.1, ISO 7816-4 5.1) and the
 * status words this card answers with.
 */
#ifndef SCWS_CARD_APDU_H
#define SCWS_CARD_APDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest response: 65536 data bytes (extended Le 0000) + SW1 SW2. */
#define APDU_RESP_MAX (65536 + 2)

struct apdu {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data;	/* Nc bytes of command data */
	size_t nc;
	size_t ne;		/* expected response bytes; 0 = no Le field */
	bool extended;		/* Lc/Le in the 3-byte / 2-byte forms */
};

/* Response data under construction; the SW is returned separately. */
struct apdu_resp {
	uint8_t *data;
	size_t cap;
	size_t len;
};

/* Splits a C-APDU into its fields.  Returns 0, or SW_WRONG_LENGTH when
 * the length fields disagree with the bytes received. */
int apdu_parse(const uint8_t *buf, size_t len, struct apdu *a);

/* Appends n bytes; false (and nothing written) if they do not fit. */
bool apdu_put(struct apdu_resp *r, const void *p, size_t n);

/* Status words (TS 102 221 10.2.1, ISO 7816-4 5.1.3). */
enum {
	SW_OK = 0x9000,
	SW_EOF_WARNING = 0x6282,	/* end of file before Ne bytes */
	SW_MEMORY = 0x6581,
	SW_WRONG_LENGTH = 0x6700,
	SW_CHANNEL_UNSUPPORTED = 0x6881,
	SW_SM_UNSUPPORTED = 0x6882,
	SW_INCOMPATIBLE_FILE = 0x6981,
	SW_SECURITY = 0x6982,
	SW_BLOCKED = 0x6983,
	SW_CONDITIONS = 0x6985,
	SW_NO_EF = 0x6986,
	SW_WRONG_DATA = 0x6A80,
	SW_FUNC_UNSUPPORTED = 0x6A81,
	SW_FILE_NOT_FOUND = 0x6A82,
	SW_RECORD_NOT_FOUND = 0x6A83,
	SW_RULES_CHANGED = 0x6A84,	/* ARA-M: read the rules again */
	SW_WRONG_P1P2 = 0x6A86,
	SW_REF_NOT_FOUND = 0x6A88,
	SW_CONFLICT = 0x6A89,		/* ARA-M: rule already exists */
	SW_WRONG_OFFSET = 0x6B00,
	SW_INS_UNSUPPORTED = 0x6D00,
	SW_CLA_UNSUPPORTED = 0x6E00,
	SW_TECHNICAL = 0x6F00,
	SW_TOOLKIT_BUSY = 0x9300,
	SW_MORE_DATA = 0x6100,		/* | bytes available (00 = 256+) */
	SW_WRONG_LE = 0x6C00,		/* | exact length */
	SW_PROACTIVE = 0x9100,		/* | length of the pending command */
	SW_WRONG_PIN = 0x63C0,		/* | tries left */
};

#endif /* SCWS_CARD_APDU_H */
