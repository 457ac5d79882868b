/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * se-apdu.h - what an application may send on its logical channel, and
 * the command moved onto that channel.
 *
 * The card's own session (the toolkit on the basic channel, BIP, the
 * pump's ARA-M reader) shares the card with applications, so every
 * command an application sends is parsed (ISO 7816-4 5.1: cases 1-4,
 * short and extended) and checked before it goes out:
 *
 *  - the CLA must be an interindustry-coded class (first: '0X'/'8X'-'9X'
 *    style, channels 0-3; further: '4X'-'7X'/'CX'-'FX', channels 4-19),
 *    not RFU, 'A0' (GSM) nor 'FF'; it may name channel 0 (OMAPI clients
 *    send their commands so) or the application's own channel, never
 *    another one;
 *  - never the toolkit's commands (TERMINAL PROFILE, FETCH, TERMINAL
 *    RESPONSE, ENVELOPE), MANAGE CHANNEL, SELECT by DF name (OMAPI: the
 *    channel stays with the applet it was opened for; this covers the
 *    ARA-M), SELECT of the MF or of the parent DF;
 *  - never an invalid INS ('6X', '9X').
 *
 * What passes gets the CLA's channel bits set to the application's
 * channel (first or further interindustry coding as the channel needs;
 * secure messaging kept when the coding can say it).  Pure: unit tested
 * and fuzzed.
 */
#ifndef SE_APDU_H
#define SE_APDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SE_APDU_MAX_CHANNEL 19

enum se_apdu_verdict {
	SE_APDU_OK,
	SE_APDU_MALFORMED,	/* lengths do not add up, too short */
	SE_APDU_BAD_CLA,	/* RFU, GSM, FF, or SM the channel cannot carry */
	SE_APDU_FOREIGN_CHANNEL,	/* names a channel not the caller's */
	SE_APDU_BAD_INS,	/* 6X / 9X */
	SE_APDU_TOOLKIT,	/* TERMINAL PROFILE, FETCH, TR, ENVELOPE */
	SE_APDU_MANAGE_CHANNEL,
	SE_APDU_SELECT_APP,	/* SELECT by DF name (any AID, the ARA-M) */
	SE_APDU_SELECT_MF,	/* SELECT of the MF or the parent DF */
};

/* A parsed command; data points into the caller's buffer. */
struct se_apdu {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data;
	size_t nc;
	size_t ne;		/* 0: no Le; 1..65536 */
	bool extended;
};

/* Parses the bytes of one C-APDU.  0, or -1 when it is malformed. */
int se_apdu_parse(const uint8_t *buf, size_t len, struct se_apdu *a);

/* The logical channel a CLA addresses (0..19), or -1 for a CLA that is
 * not interindustry-coded. */
int se_apdu_cla_channel(uint8_t cla);

/* The CLA with its channel set to chan (0..19); false when it cannot
 * be coded (SM that the other coding cannot say, bad CLA). */
bool se_apdu_cla_for(uint8_t cla, unsigned int chan, uint8_t *out);

/*
 * Checks one command of the application that owns channel chan (1..19)
 * and, when it passes, sets a->cla for that channel.
 */
enum se_apdu_verdict se_apdu_check(const uint8_t *buf, size_t len,
				   unsigned int chan, struct se_apdu *a);

const char *se_apdu_verdict_name(enum se_apdu_verdict v);

#endif /* SE_APDU_H */
