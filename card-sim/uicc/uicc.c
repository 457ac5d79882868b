// SPDX-License-Identifier: GPL-2.0
/*
 * The UICC's front door: the ATR, the class byte and logical channels,
 * command dispatch, and the status-word rules every command shares
 * (TS 102 221 chapters 6, 10 and 11; ISO 7816-4 5.1 and 5.4).
 *
 * Protocol: the ATR offers T=0 and T=1; pcscd 1.9.9 picks T=1 when the
 * application accepts both, T=0 when it insists.  vpcd does not tell the
 * card which protocol was chosen and passes APDUs through unchanged (no
 * TPDU mapping), so the card answers the way both protocols agree on:
 * a command that carries Le gets its data at once; a command without Le
 * that produces data (T=0 turns every case 4 into case 3) gets 61xx and
 * the data waits for GET RESPONSE.  Le shorter than fixed-size data gets
 * 6Cxx with the right length.  A normal ending becomes 91xx while a
 * proactive command waits to be fetched.
 */
#include "uicc-int.h"
#include "applet/test_applet.h"
#include "cat/cat.h"
#include "fs.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

/*
 * The ATR of a plausible UICC, supply classes A-C, T=0 and T=1:
 *
 *   3B        TS: direct convention
 *   9F        T0: TA1 and TD1 follow, 15 historical bytes
 *   96        TA1: Fi=512, Di=32 (16 clocks per ETU, ~223 kbit/s at 3.57 MHz)
 *   80        TD1: TD2 follows; T=0 offered first
 *   B1        TD2: TA3, TB3, TD3 follow; T=1
 *   FE        TA3: IFSC 254 bytes for T=1
 *   45        TB3: BWI 4, CWI 5
 *   1F        TD3: TA4 follows; T=15 (global interface bytes)
 *   C7        TA4: clock stop without preference; classes A, B and C
 *   historical bytes (ISO 7816-4 8.1.1, compact-TLV after category 80):
 *   80        category indicator: compact-TLV objects follow
 *   31 E0     card service data: selection by full and partial DF name,
 *             data objects in EF.DIR read with READ RECORD, card has an MF
 *   73 FA 21 5B  card capabilities: selection by full/partial DF name,
 *             path, FID, implicit DF; record numbers (no SFI); data unit
 *             1 byte; extended Lc/Le; channel numbers assigned by card and
 *             by terminal, 4 logical channels (0..3)
 *   64 53 43 57 53  pre-issuing data "SCWS": tells this card apart
 *   82 90 00  status indicator: SW 9000
 *   9B        TCK: XOR of T0..last historical byte (T=1/T=15 present)
 */
static const uint8_t atr[] = {
	0x3B, 0x9F, 0x96, 0x80, 0xB1, 0xFE, 0x45, 0x1F, 0xC7,
	0x80, 0x31, 0xE0, 0x73, 0xFA, 0x21, 0x5B,
	0x64, 0x53, 0x43, 0x57, 0x53, 0x82, 0x90, 0x00,
	0x9B,
};

size_t uicc_atr(const uint8_t **out)
{
	*out = atr;
	return sizeof(atr);
}

enum {
	INS_SELECT = 0xA4,
	INS_STATUS = 0xF2,
	INS_READ_BINARY = 0xB0,
	INS_UPDATE_BINARY = 0xD6,
	INS_READ_RECORD = 0xB2,
	INS_UPDATE_RECORD = 0xDC,
	INS_VERIFY = 0x20,
	INS_CHANGE_PIN = 0x24,
	INS_DISABLE_PIN = 0x26,
	INS_ENABLE_PIN = 0x28,
	INS_UNBLOCK_PIN = 0x2C,
	INS_MANAGE_CHANNEL = 0x70,
	INS_GET_RESPONSE = 0xC0,
	INS_TERMINAL_PROFILE = 0x10,
	INS_FETCH = 0x12,
	INS_TERMINAL_RESPONSE = 0x14,
	INS_ENVELOPE = 0xC2,
};

/* Which class a command must come in (TS 102 221 table 10.5). */
enum cla_kind { CLA_ISO, CLA_PROP };

static uint16_t manage_channel(struct uicc *u, struct uicc_channel *ch,
			       const struct apdu *c, struct apdu_resp *r);
static uint16_t get_response(struct uicc *u, struct uicc_channel *ch,
			     const struct apdu *c, struct apdu_resp *r);

static const struct command {
	uint8_t ins;
	enum cla_kind cla;
	bool to_applet;		/* goes to the applet selected on the channel */
	uicc_handler *fn;
} commands[] = {
	{ INS_SELECT, CLA_ISO, false, uicc_select },
	{ INS_STATUS, CLA_PROP, false, uicc_status },
	{ INS_READ_BINARY, CLA_ISO, true, uicc_read_binary },
	{ INS_UPDATE_BINARY, CLA_ISO, true, uicc_update_binary },
	{ INS_READ_RECORD, CLA_ISO, true, uicc_read_record },
	{ INS_UPDATE_RECORD, CLA_ISO, true, uicc_update_record },
	{ INS_VERIFY, CLA_ISO, false, uicc_verify },
	{ INS_CHANGE_PIN, CLA_ISO, false, uicc_change_pin },
	{ INS_DISABLE_PIN, CLA_ISO, false, uicc_enable_disable_pin },
	{ INS_ENABLE_PIN, CLA_ISO, false, uicc_enable_disable_pin },
	{ INS_UNBLOCK_PIN, CLA_ISO, false, uicc_unblock_pin },
	{ INS_MANAGE_CHANNEL, CLA_ISO, false, manage_channel },
	{ INS_GET_RESPONSE, CLA_ISO, false, get_response },
	{ INS_TERMINAL_PROFILE, CLA_PROP, false, uicc_terminal_profile },
	{ INS_FETCH, CLA_PROP, false, uicc_fetch },
	{ INS_TERMINAL_RESPONSE, CLA_PROP, false, uicc_terminal_response },
	{ INS_ENVELOPE, CLA_PROP, false, uicc_envelope },
};

struct uicc *uicc_new(const struct uicc_parts *parts)
{
	struct uicc *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->p = *parts;
	uicc_reset(u);
	return u;
}

void uicc_free(struct uicc *u)
{
	if (!u)
		return;
	for (int i = 0; i < UICC_CHANNELS; i++)
		aram_session_end(&u->ch[i].aram);
	free(u);
}

/* Channel state right after opening it from the basic channel: the MF. */
void uicc_channel_reset(struct uicc *u, struct uicc_channel *ch)
{
	aram_session_end(&ch->aram);
	ch->df = card_fs_mf(u->p.fs);
	ch->ef = NULL;
	ch->record = 0;
	ch->app = APP_NONE;
}

void uicc_reset(struct uicc *u)
{
	for (int i = 0; i < UICC_CHANNELS; i++) {
		uicc_channel_reset(u, &u->ch[i]);
		u->ch[i].open = i == 0;
	}
	u->pin_verified = false;
	u->getresp_len = 0;
	u->last_fetch_len = 0;
	if (u->p.cat)
		cat_reset(u->p.cat);
}

/*
 * CLA (TS 102 221 10.1.1): '0X'/'8X' address channels 0..3 with SM in
 * bits 3-4; '4X'/'6X'/'CX'/'EX' channels 4..19 with SM in bit 6.  Bit 5 of
 * '0X' is command chaining.  Returns 0 and the channel, or an SW.
 */
static uint16_t decode_cla(uint8_t cla, enum cla_kind *kind, unsigned *chan)
{
	bool first = !(cla & 0x40);

	if (cla == 0xFF || (cla & 0xE0) == 0x20 || (cla & 0xF0) == 0x90 ||
	    (cla & 0xE0) == 0xA0)
		return SW_CLA_UNSUPPORTED;	/* RFU, PPS, GSM 'A0' ... */
	*kind = cla & 0x80 ? CLA_PROP : CLA_ISO;
	if (first) {
		if (cla & 0x10)
			return 0x6884;		/* chaining not supported */
		if (cla & 0x0C)
			return SW_SM_UNSUPPORTED;
		*chan = cla & 0x03;
	} else {
		if (cla & 0x20)
			return SW_SM_UNSUPPORTED;
		if (cla & 0x10)
			return 0x6884;
		*chan = 4 + (cla & 0x0F);
	}
	return 0;
}

static const struct command *find_command(uint8_t ins)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].ins == ins)
			return &commands[i];
	return NULL;
}

static uint16_t dispatch(struct uicc *u, const struct apdu *c,
			 struct apdu_resp *r)
{
	const struct command *cmd = find_command(c->ins);
	struct uicc_channel *ch;
	enum cla_kind kind;
	unsigned int chan = 0;
	uint16_t sw = decode_cla(c->cla, &kind, &chan);

	if (sw)
		return sw;
	if (chan >= UICC_CHANNELS || !u->ch[chan].open)
		return SW_CHANNEL_UNSUPPORTED;
	ch = &u->ch[chan];
	if (c->ins != INS_GET_RESPONSE)
		u->getresp_len = 0;
	/* An applet gets what the UICC runtime does not handle itself. */
	if (ch->app == APP_ARAM && (!cmd || cmd->to_applet))
		return aram_command(u->p.aram, &ch->aram, c, r);
	if (ch->app == APP_ARF && arf_handles(c))
		return arf_command(u->p.arf, &ch->arf, c, r);
	if (ch->app == APP_TEST && (!cmd || cmd->to_applet))
		return test_applet_command(c, r);
	if (!cmd)
		return SW_INS_UNSUPPORTED;
	if (cmd->cla != kind)
		return SW_CLA_UNSUPPORTED;
	return cmd->fn(u, ch, c, r);
}

static size_t finish(uint8_t *resp, size_t len, uint16_t sw)
{
	resp[len] = (uint8_t)(sw >> 8);
	resp[len + 1] = (uint8_t)sw;
	return len + 2;
}

size_t uicc_transmit(struct uicc *u, const uint8_t *capdu, size_t len,
		     uint8_t *resp)
{
	struct apdu_resp r = { resp, APDU_RESP_MAX - 2, 0 };
	struct apdu c;
	uint16_t sw = (uint16_t)apdu_parse(capdu, len, &c);

	if (sw)
		return finish(resp, 0, sw);
	u->raw_length = false;
	sw = dispatch(u, &c, &r);
	/* Data goes with 9000, 61xx (more to come) and 62xx warnings. */
	if (sw != SW_OK && (sw & 0xFF00) != 0x6100 && (sw & 0xFF00) != 0x6200)
		r.len = 0;
	if (sw == SW_OK && r.len && !c.ne && !u->raw_length) {
		/* Data but no Le: T=0 case 3 style, hand it out on demand. */
		memcpy(u->getresp, resp, r.len);
		u->getresp_len = r.len;
		return finish(resp, 0, (uint16_t)(SW_MORE_DATA |
					(r.len > 0xFF ? 0 : r.len)));
	}
	if (sw == SW_OK && r.len > c.ne && !u->raw_length)
		return finish(resp, 0, (uint16_t)(SW_WRONG_LE |
					(r.len > 0xFF ? 0 : r.len)));
	if (sw == SW_OK)
		sw = uicc_normal_end(u);
	return finish(resp, r.len, sw);
}

/* GET RESPONSE: the data of the previous command, in Le-sized pieces. */
static uint16_t get_response(struct uicc *u, struct uicc_channel *ch,
			     const struct apdu *c, struct apdu_resp *r)
{
	size_t n;

	(void)ch;
	if (c->p1 || c->p2)
		return SW_WRONG_P1P2;
	if (!u->getresp_len)
		return SW_CONDITIONS;
	if (!c->ne || c->nc)
		return SW_WRONG_LENGTH;
	n = c->ne < u->getresp_len ? c->ne : u->getresp_len;
	apdu_put(r, u->getresp, n);
	memmove(u->getresp, u->getresp + n, u->getresp_len - n);
	u->getresp_len -= n;
	if (u->getresp_len) {
		/* More left: data now, the rest announced by 61xx. */
		size_t left = u->getresp_len;

		return (uint16_t)(SW_MORE_DATA | (left > 0xFF ? 0 : left));
	}
	return SW_OK;
}

/*
 * MANAGE CHANNEL (TS 102 221 11.1.17): P1 00 opens (P2 00: the card picks
 * and returns the number; P2 1..3: that channel), P1 80 closes channel P2
 * (00: the one the command came in on).  A channel opened from the basic
 * channel starts at the MF; from another channel it inherits that
 * channel's selection.
 */
static uint16_t manage_channel(struct uicc *u, struct uicc_channel *ch,
			       const struct apdu *c, struct apdu_resp *r)
{
	unsigned int n = c->p2;
	struct uicc_channel *to;

	if (c->p1 == 0x00) {
		if (c->nc)
			return SW_WRONG_LENGTH;
		if (n == 0) {
			for (n = 1; n < UICC_CHANNELS && u->ch[n].open; n++)
				;
			if (n == UICC_CHANNELS)
				return SW_FUNC_UNSUPPORTED; /* none free */
		} else if (n >= UICC_CHANNELS) {
			return SW_CHANNEL_UNSUPPORTED;
		} else if (u->ch[n].open) {
			return SW_CONDITIONS;
		}
		to = &u->ch[n];
		uicc_channel_reset(u, to);
		if (ch != &u->ch[0] && ch->app != APP_ARAM &&
		    ch->app != APP_ARF && ch->app != APP_TEST) {
			to->df = ch->df;
			to->ef = ch->ef;
			to->app = ch->app;
		}
		to->open = true;
		if (c->p2 == 0) {
			uint8_t b = (uint8_t)n;

			apdu_put(r, &b, 1);
		}
		card_info("logical channel %u opened", n);
		return SW_OK;
	}
	if (c->p1 != 0x80)
		return SW_WRONG_P1P2;
	if (c->nc || c->ne)
		return SW_WRONG_LENGTH;
	if (n == 0)
		n = (unsigned int)(ch - u->ch);
	if (n == 0)
		return SW_WRONG_P1P2;	/* the basic channel stays */
	if (n >= UICC_CHANNELS || !u->ch[n].open)
		return SW_CHANNEL_UNSUPPORTED;
	uicc_channel_reset(u, &u->ch[n]);
	u->ch[n].open = false;
	card_info("logical channel %u closed", n);
	return SW_OK;
}
