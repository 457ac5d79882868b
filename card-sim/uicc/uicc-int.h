/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uicc internals shared by uicc.c (session, classes, dispatch),
 * uicc_files.c (SELECT, STATUS, BINARY, RECORD), uicc_pin.c (VERIFY,
 * CHANGE, UNBLOCK) and uicc_cat.c (TERMINAL PROFILE, FETCH, TERMINAL
 * RESPONSE, ENVELOPE).
 */
#ifndef SCWS_CARD_UICC_INT_H
#define SCWS_CARD_UICC_INT_H

#include "apdu.h"
#include "aram/aram.h"
#include "arf/arf.h"
#include "uicc.h"

/* Logical channels 0..3: what CLA '0X'/'8X' can address (TS 102 221
 * 10.1.1) and what the ATR announces. */
#define UICC_CHANNELS 4

/* What a channel has selected by AID (none = the MF's file system). */
enum uicc_app { APP_NONE, APP_USIM, APP_ARAM, APP_ARF, APP_TEST };

struct uicc_channel {
	bool open;
	const struct card_file *df;	/* current DF or ADF */
	const struct card_file *ef;	/* current EF, NULL if none */
	size_t record;			/* current record, 0 = none */
	enum uicc_app app;
	struct aram_session aram;
	struct arf_session arf;
};

struct uicc {
	struct uicc_parts p;
	struct uicc_channel ch[UICC_CHANNELS];
	bool pin_verified;		/* since the last reset */
	/* Response data of a command sent without Le (T=0 style), waiting
	 * for GET RESPONSE. */
	uint8_t getresp[APDU_RESP_MAX];
	size_t getresp_len;
	/* fault tooling: raw_length sends data past Le as it is */
	bool raw_length;
	unsigned int fetches, envelopes;
	uint8_t last_fetch[256];
	size_t last_fetch_len;
};

typedef uint16_t uicc_handler(struct uicc *u, struct uicc_channel *ch,
			      const struct apdu *c, struct apdu_resp *r);

/* uicc.c */
void uicc_channel_reset(struct uicc *u, struct uicc_channel *ch);

/* uicc_files.c */
uicc_handler uicc_select, uicc_status, uicc_read_binary, uicc_update_binary,
	uicc_read_record, uicc_update_record;

/* uicc_pin.c */
uicc_handler uicc_verify, uicc_change_pin, uicc_unblock_pin,
	uicc_enable_disable_pin;
/* Whether a file access condition holds now. */
bool uicc_access_ok(const struct uicc *u, int access);

/* uicc_cat.c */
uicc_handler uicc_terminal_profile, uicc_fetch, uicc_terminal_response,
	uicc_envelope;
/* SW for "normal ending" on this card now: 9000 or 91xx. */
uint16_t uicc_normal_end(struct uicc *u);

#endif /* SCWS_CARD_UICC_INT_H */
