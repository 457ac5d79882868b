// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cat.c - the toolkit session with the card (TS 102 221 clause 14, TS 102
 * 223 clause 6): TERMINAL PROFILE, then the proactive loop
 *
 *   any APDU -> 91 xx -> FETCH (Le xx) -> handle -> TERMINAL RESPONSE
 *                                                   -> 90 00 or 91 yy ...
 *
 * The card cannot speak first, so when nothing else goes to it the pump
 * sends STATUS every poll interval; any other APDU counts as a poll too.
 * Event downloads (ENVELOPE) go out between proactive commands, never in
 * the middle of one; a card that answers 93 00 (toolkit busy) gets the same
 * envelope again after a short pause.  SMS-PP downloads from the control
 * sockets (download.c) go first, even while a proactive command is pending.
 */
#include "bipd.h"
#include "log.h"

#include <errno.h>

#define CLA_TOOLKIT 0x80
#define INS_TERMINAL_PROFILE 0x10
#define INS_FETCH 0x12
#define INS_TERMINAL_RESPONSE 0x14
#define INS_ENVELOPE 0xC2
#define INS_STATUS 0xF2
#define INS_GET_RESPONSE 0xC0
#define STATUS_NO_DATA 0x0C	/* P2: no data returned */

static struct apdu_resp resp;

/* One exchange with the card; a failed link marks the card failed. */
static int card_xfer(struct bipd *b, enum apdu_kind kind, uint8_t ins,
		     uint8_t p1, uint8_t p2, const uint8_t *data, size_t nc,
		     size_t ne)
{
	int err;

	if (!b->card || b->card_failed)
		return -ENODEV;
	err = apdu_xfer(b->card, kind, CLA_TOOLKIT, ins, p1, p2, data, nc, ne,
			&resp);
	if (err && err != -EMSGSIZE) {
		if (!b->card_failed)
			log_warn("card link failed (%s)",
				 err == -ENODEV ? "card or reader gone" :
				 "transmission error");
		b->card_failed = true;
		return err;
	}
	/* Any exchange gave the card its chance to ask for a FETCH. */
	b->next_poll = b->clock() + b->opts->poll_ms;
	return err;
}

void cat_note_sw(struct bipd *b, uint16_t sw)
{
	if (SW1(sw) == 0x91) {
		b->fetch_len = SW2(sw) ? SW2(sw) : APDU_SHORT_NE;
		return;
	}
	/* Warnings that also say a proactive command waits (TS 102 221
	 * 10.2.1.2): its length comes with the next normal ending. */
	if ((SW1(sw) == 0x62 || SW1(sw) == 0x63) && SW2(sw) == 0xF2)
		b->poll_soon = true;
}

int cat_send_profile(struct bipd *b)
{
	uint8_t tp[32];
	size_t n = terminal_profile(b->opts, tp, sizeof(tp));
	int err;

	b->fetch_len = 0;
	b->poll_soon = false;
	b->deferred = 0;
	b->fetch_failures = 0;
	b->ev_data = b->ev_status = false;
	b->ev_local = false;
	b->envelope_not_before = 0;
	log_hex(LOG_INFO, "TERMINAL PROFILE", tp, n);
	err = card_xfer(b, APDU_PROFILE, INS_TERMINAL_PROFILE, 0, 0, tp, n, 0);
	if (err)
		return err;
	if (resp.sw != SW_OK && SW1(resp.sw) != 0x91) {
		log_err("card refused TERMINAL PROFILE (SW %04X): not a "
			"toolkit card", resp.sw);
		return -ENOTSUP;
	}
	b->stats.card_sessions++;
	cat_note_sw(b, resp.sw);
	return 0;
}

void cat_send_tr(struct bipd *b, const uint8_t *tr, size_t len)
{
	log_hex(LOG_DEBUG, "TERMINAL RESPONSE", tr, len);
	if (card_xfer(b, APDU_TR, INS_TERMINAL_RESPONSE, 0, 0, tr, len, 0))
		return;
	if (resp.sw != SW_OK && SW1(resp.sw) != 0x91)
		log_warn("card refused TERMINAL RESPONSE %02X/%02X (SW %04X)",
			 len > 3 ? tr[2] : 0, len > 3 ? tr[3] : 0, resp.sw);
	cat_note_sw(b, resp.sw);
}

/* FETCH the announced command and answer it.  A command that does not
 * parse is fetched once more (the card keeps it until its TERMINAL
 * RESPONSE): a transmission error on the way should not cost a channel. */
static void fetch_and_handle(struct bipd *b)
{
	size_t want = b->fetch_len;

	b->fetch_len = 0;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (card_xfer(b, APDU_FETCH, INS_FETCH, 0, 0, NULL, 0, want))
			return;
		if (resp.sw != SW_OK) {
			log_warn("FETCH answered SW %04X", resp.sw);
			cat_note_sw(b, resp.sw);
			return;
		}
		if (resp.len != want)
			log_info("FETCH: %zu bytes announced, %zu came",
				 want, resp.len);
		log_hex(LOG_DEBUG, "proactive command", resp.data, resp.len);
		if (proactive_handle(b, resp.data, resp.len, attempt == 1) !=
		    -EBADMSG)
			return;
		log_warn("malformed proactive command, fetching it again");
	}
}

static void send_status(struct bipd *b)
{
	b->poll_soon = false;
	if (card_xfer(b, APDU_STATUS, INS_STATUS, 0, STATUS_NO_DATA, NULL, 0,
		      0))
		return;
	if (resp.sw != SW_OK && SW1(resp.sw) != 0x91)
		log_info("STATUS answered SW %04X", resp.sw);
	cat_note_sw(b, resp.sw);
}

int cat_envelope(struct bipd *b, const uint8_t *env, size_t len,
		 uint16_t *sw)
{
	int err;

	log_hex(LOG_DEBUG, "ENVELOPE", env, len);
	err = card_xfer(b, APDU_ENVELOPE, INS_ENVELOPE, 0, 0, env, len, 0);
	if (err)
		return err;
	*sw = resp.sw;
	if (resp.sw == 0x9300) {
		b->envelope_not_before = b->clock() + ENVELOPE_BUSY_MS;
		return 0;
	}
	cat_note_sw(b, resp.sw);
	return 0;
}

int cat_envelope_resp(struct bipd *b, const uint8_t *env, size_t len,
		      const struct apdu_resp **r)
{
	int err;

	log_hex(LOG_INFO, "ENVELOPE", env, len);
	err = card_xfer(b, APDU_ENVELOPE, INS_ENVELOPE, 0, 0, env, len,
			APDU_SHORT_NE);
	if (err)
		return err;
	/* A warning (62 xx / 63 xx) with no data: under T=0 the Proof of
	 * Receipt waits for GET RESPONSE (TS 31.111 7.1.1.2).  The warning
	 * stays the answer; the data is added if the card gives it. */
	if ((SW1(resp.sw) == 0x62 || SW1(resp.sw) == 0x63) && !resp.len) {
		uint16_t warning = resp.sw;

		err = apdu_xfer(b->card, APDU_GET_RESPONSE, 0x00, INS_GET_RESPONSE,
				0, 0, NULL, 0, APDU_SHORT_NE, &resp);
		if (err) {
			b->card_failed = true;
			return err;
		}
		if (resp.sw != SW_OK)
			resp.len = 0;
		resp.sw = warning;
	}
	*r = &resp;
	log_hex(LOG_INFO, "ENVELOPE answer", resp.data, resp.len);
	if (resp.sw == 0x9300)
		b->envelope_not_before = b->clock() + ENVELOPE_BUSY_MS;
	else
		cat_note_sw(b, resp.sw);
	return 0;
}

static bool dl_due(const struct bipd *b)
{
	return b->dl_ops && b->dl_ops->due(b, b->fetch_len != 0);
}

bool cat_has_work(const struct bipd *b)
{
	if (!b->card || b->card_failed || b->deferred)
		return false;
	if (b->fetch_len || b->poll_soon || dl_due(b))
		return true;
	return ev_pending(b) && b->clock() >= b->envelope_not_before;
}

void cat_work(struct bipd *b, unsigned int budget)
{
	while (budget-- && b->card && !b->card_failed && !b->deferred) {
		/* A download may go while a proactive command is pending (the
		 * card answers 91xx again, or 93 00): it does not wait for a
		 * busy BIP session to end. */
		if (dl_due(b) && b->dl_ops->send_one(b))
			continue;
		if (b->fetch_len) {
			fetch_and_handle(b);
			continue;
		}
		if (ev_pending(b) && b->clock() >= b->envelope_not_before &&
		    ev_send_one(b))
			continue;
		if (b->poll_soon || b->clock() >= b->next_poll) {
			send_status(b);
			continue;
		}
		break;
	}
}
