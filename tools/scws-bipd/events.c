// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * events.c - event downloads (TS 102 223 clause 7.5): Data available and
 * Channel status, queued in the order things happened and sent as
 * ENVELOPEs between proactive commands.
 *
 *   D6 | 99 01 ev | 82 02 82 81 | B8 02 status [| B7 01 count]
 *
 * Only events the card registered with SET UP EVENT LIST are sent.  Data
 * available goes out once per empty -> non-empty change of a channel's Rx
 * buffer and carries the byte count at the time it is sent (FF: more than
 * 255).  A Channel status event keeps the status of the moment it was
 * queued, so the card sees every transition in order.
 */
#include "bipd.h"
#include "log.h"

#include <string.h>

#define ENVELOPE_MAX 64

static struct ev_item *ev_at(struct bipd *b, unsigned int i)
{
	return &b->evq[(b->evq_head + i) % BIPD_EVQ_MAX];
}

static void ev_push(struct bipd *b, const struct ev_item *it)
{
	if (b->evq_len == BIPD_EVQ_MAX) {
		log_err("channel %u: event queue full, event %02X lost",
			it->chan, it->event);
		return;
	}
	*ev_at(b, b->evq_len++) = *it;
}

void ev_queue_status_info(struct bipd *b, struct channel *ch, uint8_t info)
{
	struct ev_item it = { .event = CAT_EV_CHANNEL_STATUS, .chan = ch->id,
			      .gen = ch->gen };

	if (!b->ev_status)
		return;
	chan_status_bytes(ch, it.status);
	it.status[1] = info;
	ev_push(b, &it);
}

void ev_queue_status(struct bipd *b, struct channel *ch)
{
	uint8_t status[2];

	chan_status_bytes(ch, status);
	ev_queue_status_info(b, ch, status[1]);
}

void ev_queue_data(struct bipd *b, struct channel *ch)
{
	struct ev_item it = { .event = CAT_EV_DATA_AVAILABLE, .chan = ch->id,
			      .gen = ch->gen };

	if (!b->ev_data || ch->rx_announced || bb_empty(&ch->rx))
		return;
	ch->rx_announced = true;
	ev_push(b, &it);
}

bool ev_pending(const struct bipd *b)
{
	return b->evq_len > 0;
}

bool ev_unsent_for(struct bipd *b, const struct channel *ch)
{
	for (unsigned int i = 0; i < b->evq_len; i++)
		if (ev_at(b, i)->chan == ch->id && ev_at(b, i)->gen == ch->gen)
			return true;
	return false;
}

bool ev_pending_for_chan(const struct bipd *b, uint8_t chan)
{
	for (unsigned int i = 0; i < b->evq_len; i++)
		if (b->evq[(b->evq_head + i) % BIPD_EVQ_MAX].chan == chan)
			return true;
	return false;
}

/* Keeps the queued events that match neither chan nor (chan, gen). */
static void ev_drop(struct bipd *b, uint8_t chan, bool any_gen, uint32_t gen)
{
	unsigned int kept = 0;

	for (unsigned int i = 0; i < b->evq_len; i++) {
		struct ev_item it = *ev_at(b, i);

		if (it.chan != chan || (!any_gen && it.gen != gen))
			*ev_at(b, kept++) = it;
	}
	b->evq_len = kept;
}

void ev_forget(struct bipd *b, uint8_t chan)
{
	ev_drop(b, chan, true, 0);
}

void ev_forget_conn(struct bipd *b, const struct channel *ch)
{
	ev_drop(b, ch->id, false, ch->gen);
}

static void ev_pop(struct bipd *b)
{
	b->evq_head = (b->evq_head + 1) % BIPD_EVQ_MAX;
	b->evq_len--;
}

/*
 * Local connection (TS 102 223 7.5.14), for the DM_SC Gateway:
 *
 *   D6 | 99 01 0D | 82 02 82 81 | C1 len 00 00 <name>
 *
 * The Service record names the DM client: bearer 00 (technology
 * independent), service identifier 00, the client's name as the record.
 * The spec has no event for a service that went away; a record with no
 * name is ours for "no DM client now" (docs/device-management.md).
 */
void ev_queue_local(struct bipd *b, const char *name)
{
	struct ev_item it = { .event = CAT_EV_LOCAL_CONNECTION };
	size_t n = name ? strlen(name) : 0;

	if (!b->ev_local)
		return;
	if (n > sizeof(it.rec))
		n = sizeof(it.rec);
	if (n)
		memcpy(it.rec, name, n);
	it.rec_len = (uint8_t)n;
	ev_push(b, &it);
}

static size_t local_build(const struct ev_item *it, uint8_t *buf, size_t cap)
{
	struct cat_writer w;
	size_t mark;

	cat_writer_init(&w, buf, cap);
	mark = cat_ber_open(&w, CAT_BER_EVENT);
	cat_put_event_list(&w, &it->event, 1);
	cat_put_devices(&w, CAT_DEV_TERMINAL, CAT_DEV_UICC);
	cat_put_service_record(&w, CAT_LOCAL_BEARER_ANY, 0, it->rec,
			       it->rec_len);
	cat_ber_close(&w, mark);
	return w.overflow ? 0 : w.len;
}

/* Codes the event; 0 when it has become pointless (nothing to announce). */
static size_t ev_build(struct bipd *b, const struct ev_item *it,
		       uint8_t *buf, size_t cap)
{
	struct channel *ch = &b->chan[it->chan];
	struct cat_writer w;
	uint8_t status[2];
	size_t mark;

	memcpy(status, it->status, 2);
	if (it->event == CAT_EV_LOCAL_CONNECTION)
		return b->ev_local ? local_build(it, buf, cap) : 0;
	if (it->event == CAT_EV_DATA_AVAILABLE) {
		if (ch->kind == CHAN_UNUSED || bb_empty(&ch->rx) ||
		    !b->ev_data)
			return 0;
		chan_status_bytes(ch, status);
	} else if (!b->ev_status) {
		return 0;
	}
	cat_writer_init(&w, buf, cap);
	mark = cat_ber_open(&w, CAT_BER_EVENT);
	cat_put_event_list(&w, &it->event, 1);
	cat_put_devices(&w, CAT_DEV_TERMINAL, CAT_DEV_UICC);
	cat_put_tlv(&w, CAT_TAG_CHANNEL_STATUS, status, 2);
	if (it->event == CAT_EV_DATA_AVAILABLE) {
		size_t n = bb_len(&ch->rx);

		cat_put_channel_data_len(&w, n > 0xFF ? CAT_DATA_LEN_MANY :
					 (uint8_t)n);
	}
	cat_ber_close(&w, mark);
	return w.overflow ? 0 : w.len;
}

bool ev_send_one(struct bipd *b)
{
	uint8_t env[ENVELOPE_MAX];
	uint16_t sw = 0;

	while (b->evq_len) {
		struct ev_item it = *ev_at(b, 0);
		size_t n = ev_build(b, &it, env, sizeof(env));

		if (!n) {
			ev_pop(b);
			continue;
		}
		if (cat_envelope(b, env, n, &sw))
			return false;	/* link failed: the queue is reset */
		if (sw == 0x9300) {
			log_info("card busy (93 00), event %02X for channel %u "
				 "again later", it.event, it.chan);
			return false;
		}
		ev_pop(b);
		if (sw != SW_OK && SW1(sw) != 0x91)
			log_warn("channel %u: card refused event %02X (SW "
				 "%04X)", it.chan, it.event, sw);
		return true;
	}
	return false;
}
