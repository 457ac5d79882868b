// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * bip_data.c - the channel commands once a channel is open (TS 102 223
 * clauses 6.4.28 to 6.4.31): CLOSE CHANNEL, RECEIVE DATA, SEND DATA, GET
 * CHANNEL STATUS.
 *
 * RECEIVE DATA hands over up to the bytes asked for, as many as fit in
 * one TERMINAL RESPONSE (237 with short APDUs), with the count still
 * waiting (FF: more than 255); fewer than asked is "performed with missing
 * information" (02).  SEND DATA stores into the Tx buffer, and "send
 * immediately" writes the buffer to the socket; the answer tells the free
 * Tx space (FF: more than 255), which grows again only as the peer reads.
 */
#include "bipd.h"
#include "log.h"

#include <errno.h>
#include <string.h>

#define TR_MAX (APDU_EXT_MAX)
/* TR bytes besides the data: 81 03 ... 82 02 .. 83 01 .. 36 81 LL 37 01 xx */
#define RECEIVE_TR_OVERHEAD 18
#define CHANNEL_DATA_MAX 255	/* Channel data length is one byte */

static uint8_t trbuf[TR_MAX];

static void tr_bip_error(struct bipd *b, const struct cmd_ref *ref,
			 uint8_t cause)
{
	tr_simple(b, ref, CAT_RES_BIP_ERROR, &cause, 1);
}

/* The channel the command is for (its destination device), or NULL after
 * answering "channel identifier not valid". */
static struct channel *target(struct bipd *b, const struct cmd_ref *ref,
			      const struct cat_msg *m)
{
	const struct cat_tlv *t = cat_msg_find(m, CAT_TAG_DEVICES, 0);
	struct cat_devices dev;
	struct channel *ch = NULL;

	if (t && !cat_get_devices(t, &dev))
		ch = chan_by_device(b, dev.dst);
	if (!ch) {
		log_warn("command %02X for an unknown channel", ref->val[1]);
		tr_bip_error(b, ref, CAT_BIP_BAD_CHANNEL_ID);
		return NULL;
	}
	ch->activity_ms = b->clock();
	return ch;
}

/* A malformed channel command: answered, and the channel's connection
 * closed, since the card's idea of the stream can no longer be trusted. */
static void malformed(struct bipd *b, const struct cmd_ref *ref,
		      struct channel *ch, uint8_t result, const char *what)
{
	tr_simple(b, ref, result, NULL, 0);
	chan_fault(b, ch, what);
}

/* The DM_SC Gateway's channel: what the Tx buffer holds is one datagram
 * for the DM client.  0, or -errno when it could not be handed over (the
 * client went away: the channel's link is dropped). */
static int dm_datagram(struct bipd *b, struct channel *ch)
{
	int err = b->dm_ops ? b->dm_ops->deliver(b->dm_gw, bb_peek(&ch->tx),
						 bb_len(&ch->tx)) : -ENOTCONN;

	bb_clear(&ch->tx);
	if (err) {
		log_warn("channel %u: DM notification not delivered: %s",
			 ch->id, strerror(-err));
		chan_fault(b, ch, "the DM client is gone");
	}
	return err;
}

static uint8_t count_byte(size_t n)
{
	return n > 0xFF ? CAT_DATA_LEN_MANY : (uint8_t)n;
}

void bip_close_channel(struct bipd *b, const struct cmd_ref *ref,
		       const struct cat_msg *m)
{
	struct channel *ch = target(b, ref, m);
	bool to_listen = ref->val[2] & 0x01;

	if (!ch)
		return;
	if (ch->dm && !bb_empty(&ch->tx) && dm_datagram(b, ch)) {
		/* The last datagram did not reach the DM client. */
		chan_release(b, ch);
		tr_bip_error(b, ref, CAT_BIP_CHANNEL_CLOSED);
		return;
	}
	if (ch->kind == CHAN_SERVER && to_listen) {
		chan_end_conn(b, ch);
		ev_forget(b, ch->id);
		log_info("channel %u: closed by the card, listening again",
			 ch->id);
	} else {
		log_notice("channel %u: released by the card", ch->id);
		chan_release(b, ch);
	}
	tr_simple(b, ref, CAT_RES_OK, NULL, 0);
}

void bip_receive_data(struct bipd *b, const struct cmd_ref *ref,
		      const struct cat_msg *m)
{
	struct channel *ch = target(b, ref, m);
	const struct cat_tlv *t;
	size_t max, n, left;
	struct cat_writer w;
	uint8_t want;

	if (!ch)
		return;
	t = cat_msg_find(m, CAT_TAG_CHANNEL_DATA_LEN, 0);
	if (!t) {
		malformed(b, ref, ch, CAT_RES_VALUES_MISSING,
			  "RECEIVE DATA without Channel data length");
		return;
	}
	if (cat_get_channel_data_len(t, &want)) {
		malformed(b, ref, ch, CAT_RES_DATA_UNKNOWN,
			  "RECEIVE DATA with a bad Channel data length");
		return;
	}
	if (ch->state != CS_OPEN) {
		tr_bip_error(b, ref, CAT_BIP_CHANNEL_CLOSED);
		return;
	}
	max = apdu_max_nc(b->card) - RECEIVE_TR_OVERHEAD;
	if (max > CHANNEL_DATA_MAX)
		max = CHANNEL_DATA_MAX;
	n = bb_len(&ch->rx);
	if (n > want)
		n = want;
	if (n > max)
		n = max;
	tr_begin(&w, trbuf, sizeof(trbuf), ref);
	cat_put_result(&w, n < want ? CAT_RES_MISSING_INFO : CAT_RES_OK,
		       NULL, 0);
	cat_put_channel_data(&w, bb_peek(&ch->rx), n);
	bb_consume(&ch->rx, n);
	ch->bytes_to_card += n;
	b->stats.to_card += n;
	/* Bytes the client has sent meanwhile join the count, so the card
	 * reads on without waiting for another Data available. */
	chan_refill(b, ch);
	left = bb_len(&ch->rx);
	cat_put_channel_data_len(&w, count_byte(left));
	if (!left)
		ch->rx_announced = false;	/* next bytes: a new event */
	chan_update_watch(ch);
	if (!w.overflow)
		cat_send_tr(b, trbuf, w.len);
}

void bip_send_data(struct bipd *b, const struct cmd_ref *ref,
		   const struct cat_msg *m)
{
	struct channel *ch = target(b, ref, m);
	const struct cat_tlv *t;
	const uint8_t *data;
	size_t n, used;
	uint8_t tr[64];
	struct cat_writer w;

	if (!ch)
		return;
	t = cat_msg_find(m, CAT_TAG_CHANNEL_DATA, 0);
	if (!t) {
		malformed(b, ref, ch, CAT_RES_VALUES_MISSING,
			  "SEND DATA without Channel data");
		return;
	}
	cat_get_channel_data(t, &data, &n);
	if (ch->state != CS_OPEN || ch->io_error) {
		tr_bip_error(b, ref, CAT_BIP_CHANNEL_CLOSED);
		return;
	}
	if (!bb_append(&ch->tx, data, n)) {
		/* More than the card was told fits: push out what we have. */
		ch->tx_flush = true;
		chan_flush(b, ch);
		if (ch->io_error || !bb_append(&ch->tx, data, n)) {
			log_warn("channel %u: SEND DATA of %zu bytes does not "
				 "fit the Tx buffer", ch->id, n);
			tr_bip_error(b, ref, ch->io_error ?
				     CAT_BIP_CHANNEL_CLOSED : CAT_BIP_NO_BUFFER);
			chan_update_watch(ch);
			return;
		}
	}
	ch->bytes_to_client += n;
	b->stats.to_client += n;
	if (ch->cl)
		sched_card_bytes(b, ch->cl, data, n);
	if (ch->dm && (ref->val[2] & 0x01)) {	/* one whole datagram */
		if (dm_datagram(b, ch)) {
			tr_bip_error(b, ref, CAT_BIP_CHANNEL_CLOSED);
			return;
		}
	} else if (ref->val[2] & 0x01) {		/* send immediately */
		ch->tx_flush = true;
		chan_flush(b, ch);
	}
	if (ch->io_error) {
		tr_bip_error(b, ref, CAT_BIP_CHANNEL_CLOSED);
		return;
	}
	chan_update_watch(ch);
	used = bb_len(&ch->tx);
	tr_begin(&w, tr, sizeof(tr), ref);
	cat_put_result(&w, CAT_RES_OK, NULL, 0);
	cat_put_channel_data_len(&w, count_byte(used < ch->bufsize ?
						ch->bufsize - used : 0));
	if (!w.overflow)
		cat_send_tr(b, tr, w.len);
}

void bip_get_channel_status(struct bipd *b, const struct cmd_ref *ref)
{
	uint8_t tr[96];
	struct cat_writer w;
	uint8_t status[2];
	bool any = false;

	tr_begin(&w, tr, sizeof(tr), ref);
	cat_put_result(&w, CAT_RES_OK, NULL, 0);
	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		if (b->chan[id].kind == CHAN_UNUSED)
			continue;
		chan_status_bytes(&b->chan[id], status);
		cat_put_tlv(&w, CAT_TAG_CHANNEL_STATUS, status, 2);
		any = true;
	}
	if (!any) {
		/* channel id 0: no channel available */
		status[0] = status[1] = 0;
		cat_put_tlv(&w, CAT_TAG_CHANNEL_STATUS, status, 2);
	}
	if (!w.overflow)
		cat_send_tr(b, tr, w.len);
}
