// SPDX-License-Identifier: GPL-2.0
/*
 * dm_sc.c - the DM Smart Card transport on the card's side (dm/dm_sc.h,
 * docs/device-management.md).
 *
 * In: the terminal's Local connection event (TS 102 223 7.5.14), asked for
 * in the SET UP EVENT LIST when the terminal profile offers it (cat.c).
 * Its Service record (41: bearer, service identifier, record) names the
 * DM client; a record without a name says there is none any more.
 *
 * Out: package #0 as one UDP datagram over a BIP channel, UICC in client
 * mode, local connection (transport 04), to DM_SC_PORT on the terminal
 * itself (Other address 127.0.0.1): OPEN CHANNEL, SEND DATA (240-byte
 * chunks stored, the last one "send immediately"), CLOSE CHANNEL, built at
 * the next proactive turn through the engine's client channels (bip.c).
 * How it ended goes to notify_done: 0, the BIP error's cause (12: no DM
 * client registered, 02: the client went away), or 0x100.
 */
#include "cat-int.h"
#include "dm/dm_sc.h"

#include <errno.h>
#include <string.h>

#define DM_SC_PKG_MAX 1024
#define DM_SC_OTHER_FAILURE 0x100

static struct cat *engine;
static const struct dm_sc_ops *ops;
static void *ops_ctx;
static bool present;

/* The one notification: queued, then in flight on a channel. */
static struct {
	uint8_t pkg[DM_SC_PKG_MAX];
	size_t len, sent;
	bool queued, in_flight;
	bool up, dropped;
	uint8_t cause;		/* from the link going down */
} n;

void dm_sc_set_ops(const struct dm_sc_ops *o, void *ctx)
{
	ops = o;
	ops_ctx = ctx;
}

bool dm_sc_client_present(void)
{
	return present;
}

static void done(struct cat *c, int result)
{
	if (result)
		cat_log(c, 0, "DM notification failed: %s %02X",
			result == DM_SC_OTHER_FAILURE ? "failure" :
			"BIP error", result & 0xFF);
	else
		cat_log(c, 1, "DM notification sent (%zu bytes)", n.len);
	if (ops && ops->notify_done)
		ops->notify_done(ops_ctx, result);
}

/* ---- the channel's stream ---- */

static int s_input(void *s, const uint8_t *data, size_t len)
{
	(void)s;
	(void)data;
	(void)len;
	return 0;	/* the DM client has nothing to say back here */
}

static void s_input_end(void *s)
{
	(void)s;
	n.dropped = true;
}

static size_t s_pending(void *s, const uint8_t **data)
{
	(void)s;
	*data = n.pkg + n.sent;
	return n.len - n.sent;
}

static void s_consume(void *s, size_t k)
{
	(void)s;
	n.sent += k < n.len - n.sent ? k : n.len - n.sent;
}

static bool s_done(void *s)
{
	(void)s;
	return n.sent == n.len || n.dropped;
}

static void s_link(void *s, bool up, uint8_t cause)
{
	(void)s;
	if (up)
		n.up = true;
	else
		n.cause = cause;
}

static void s_free(void *s)
{
	int result;

	(void)s;
	/* Every byte acknowledged by SEND DATA: the datagram left, whatever
	 * happened to the link after it. */
	if (!n.up)
		result = n.cause ? n.cause : DM_SC_OTHER_FAILURE;
	else if (n.sent == n.len)
		result = 0;
	else if (n.dropped)
		result = CAT_BIP_CHANNEL_CLOSED;
	else
		result = DM_SC_OTHER_FAILURE;
	n.in_flight = false;
	if (engine)
		done(engine, result);
}

static const struct cat_stream_ops stream_ops = {
	.input = s_input, .input_end = s_input_end, .pending = s_pending,
	.consume = s_consume, .done = s_done, .link = s_link, .free = s_free,
};

/* ---- the engine's hooks ---- */

void dm_sc_attach(struct cat *c)
{
	engine = c;
}

void dm_sc_detach(struct cat *c)
{
	if (engine == c)
		engine = NULL;
}

void dm_sc_reset(struct cat *c)
{
	if (!present || engine != c)
		return;
	present = false;
	cat_log(c, 1, "DM client: none (toolkit session ended)");
	if (ops && ops->client_changed)
		ops->client_changed(ops_ctx, false);
}

int dm_sc_event(struct cat *c, const struct cat_msg *m)
{
	const struct cat_tlv *t = cat_msg_find(m, CAT_TAG_SERVICE_RECORD, 0);
	struct cat_service_record r;
	char name[33];
	size_t k;
	bool now;
	int err;

	if (!t)
		return CAT_TLV_EMISSING;
	err = cat_get_service_record(t, &r);
	if (err)
		return err;
	now = r.record_len > 0;
	for (k = 0; k < r.record_len && k < sizeof(name) - 1; k++)
		name[k] = r.record[k] >= 0x20 && r.record[k] < 0x7F ?
			  (char)r.record[k] : '?';
	name[k] = '\0';
	if (now)
		cat_log(c, 1, "DM client '%s' registered with the terminal "
			"(local connection, bearer %02X, service %02X)", name,
			r.bearer, r.service_id);
	else
		cat_log(c, 1, "DM client gone (local connection ended)");
	if (now != present) {
		present = now;
		if (ops && ops->client_changed)
			ops->client_changed(ops_ctx, present);
	}
	return 0;
}

void dm_sc_turn(struct cat *c)
{
	struct cat_client_params p = {
		.addr_type = CAT_ADDR_IPV4, .addr = { 127, 0, 0, 1 },
		.port = DM_SC_PORT, .buffer_size = DM_SC_PKG_MAX,
		.transport = CAT_TP_UDP_CLIENT_LOCAL,
	};
	int err;

	if (c != engine || !n.queued || n.in_flight || !cat_bip_usable(c))
		return;
	n.in_flight = true;	/* cat_open_client() schedules: not again */
	n.queued = false;
	n.sent = 0;
	n.up = n.dropped = false;
	n.cause = 0;
	err = cat_open_client(c, &p, &stream_ops, &n);
	if (!err) {
		cat_log(c, 1, "DM notification: opening a UDP local channel to "
			"port %u (%zu bytes)", DM_SC_PORT, n.len);
		return;
	}
	n.in_flight = false;
	if (err == -EBUSY) {		/* no channel free: next turn */
		n.queued = true;
		return;
	}
	cat_log(c, 0, "DM notification: the terminal offers no UDP local "
		"channel");
	done(c, DM_SC_OTHER_FAILURE);
}

int dm_sc_notify(const uint8_t *pkg0, size_t len)
{
	if (!len || len > DM_SC_PKG_MAX)
		return -EINVAL;
	if (n.queued || n.in_flight)
		return -EBUSY;
	memcpy(n.pkg, pkg0, len);
	n.len = len;
	n.queued = true;
	if (engine)
		cat_schedule(engine);
	return 0;
}
