// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * proactive.c - one fetched proactive command: checked, dispatched, and
 * answered with a TERMINAL RESPONSE (TS 102 223 clause 6.8): Command
 * details copied from the command, Device identities terminal -> UICC,
 * Result, then what the command returns.
 *
 * Every command gets an answer.  Commands this terminal does not do get
 * "command beyond terminal's capabilities" (30), never silence, which would
 * leave the card waiting.  A command that does not parse gets "command
 * data not understood" (32) when at least its Command details can be read;
 * when it is about a channel, that channel's connection is closed, and
 * only that one.
 */
#include "bipd.h"
#include "log.h"

#include <errno.h>
#include <string.h>

#define TR_MAX 300

void cmd_ref_from(struct cmd_ref *ref, const struct cat_tlv *t)
{
	memcpy(ref->val, t->val, sizeof(ref->val));
	ref->cr = t->cr;
	ref->wide = t->wide;
}

void tr_begin(struct cat_writer *w, uint8_t *buf, size_t cap,
	      const struct cmd_ref *ref)
{
	const struct cat_tlv det = {
		.tag = CAT_TAG_CMD_DETAILS, .cr = ref->cr, .wide = ref->wide,
		.val = ref->val, .len = sizeof(ref->val),
	};

	cat_writer_init(w, buf, cap);
	cat_put(w, &det);	/* exactly as the card sent it */
	cat_put_devices(w, CAT_DEV_TERMINAL, CAT_DEV_UICC);
}

void tr_simple(struct bipd *b, const struct cmd_ref *ref, uint8_t result,
	       const uint8_t *info, size_t info_len)
{
	uint8_t buf[TR_MAX];
	struct cat_writer w;

	tr_begin(&w, buf, sizeof(buf), ref);
	cat_put_result(&w, result, info, info_len);
	if (!w.overflow)
		cat_send_tr(b, buf, w.len);
}

/* The template, tolerating bytes after it (a card that answered past Le):
 * 0 with m filled, or a CAT_TLV_E* code. */
static int parse_command(const uint8_t *cmd, size_t len, struct cat_msg *m)
{
	size_t vlen, used;
	int err;

	if (len < 2 || cmd[0] != CAT_BER_PROACTIVE)
		return CAT_TLV_EBADTAG;
	err = cat_msg_parse(m, cmd, len);
	if (err != CAT_TLV_ETRAILING)
		return err;
	if (cat_len_decode(cmd + 1, len - 1, &vlen, &used))
		return CAT_TLV_EBADLEN;
	log_info("%zu bytes after the proactive command, ignored",
		 len - 1 - used - vlen);
	return cat_msg_parse(m, cmd, 1 + used + vlen);
}

/* What can be read of a broken command: the objects before the damage. */
static void salvage(struct bipd *b, const uint8_t *cmd, size_t len)
{
	const struct cat_tlv *det_t, *dev_t;
	struct cat_tlv_reader r;
	struct cat_devices dev;
	struct cat_tlv t;
	struct cat_msg m = { .n = 0 };
	struct cmd_ref ref;
	size_t vlen, used = 0;

	if (len >= 2 && !cat_len_decode(cmd + 1, len - 1, &vlen, &used)) {
		cat_tlv_reader_init(&r, cmd + 1 + used, len - 1 - used);
		while (m.n < CAT_MSG_MAX && cat_tlv_next(&r, &t) > 0)
			m.tlv[m.n++] = t;
	}
	det_t = cat_msg_find(&m, CAT_TAG_CMD_DETAILS, 0);
	if (!det_t || det_t->len != 3 || cat_msg_index(&m, det_t) != 0) {
		log_err("malformed proactive command without readable Command "
			"details: cannot answer it");
		return;
	}
	cmd_ref_from(&ref, det_t);
	log_err("proactive command %02X (number %u) is malformed: answering "
		"\"data not understood\"", ref.val[1], ref.val[0]);
	dev_t = cat_msg_find(&m, CAT_TAG_DEVICES, 0);
	if (dev_t && !cat_get_devices(dev_t, &dev) &&
	    CAT_DEV_IS_CHANNEL(dev.dst)) {
		struct channel *ch = chan_by_device(b, dev.dst);

		if (ch)
			chan_fault(b, ch, "malformed command");
	}
	tr_simple(b, &ref, CAT_RES_DATA_UNKNOWN, NULL, 0);
}

/* SET UP EVENT LIST: the new list replaces the old one.  Events this
 * terminal cannot report make the whole command fail (list unchanged). */
static void set_up_event_list(struct bipd *b, const struct cmd_ref *ref,
			      const struct cat_msg *m)
{
	const struct cat_tlv *t = cat_msg_find(m, CAT_TAG_EVENT_LIST, 0);
	bool data = false, status = false, local = false;
	const uint8_t *ev;
	size_t n;

	if (!t) {
		tr_simple(b, ref, CAT_RES_VALUES_MISSING, NULL, 0);
		return;
	}
	cat_get_event_list(t, &ev, &n);
	for (size_t i = 0; i < n; i++) {
		if (ev[i] == CAT_EV_DATA_AVAILABLE) {
			data = true;
		} else if (ev[i] == CAT_EV_CHANNEL_STATUS) {
			status = true;
		} else if (ev[i] == CAT_EV_LOCAL_CONNECTION && b->dm_ops) {
			local = true;
		} else {
			log_warn("SET UP EVENT LIST: event %02X not supported",
				 ev[i]);
			tr_simple(b, ref, CAT_RES_BEYOND_CAPABILITY, NULL, 0);
			return;
		}
	}
	b->ev_data = data;
	b->ev_status = status;
	log_info("event list: data available %s, channel status %s",
		 data ? "on" : "off", status ? "on" : "off");
	tr_simple(b, ref, CAT_RES_OK, NULL, 0);
	/* The card hears of a DM client that registered before it asked. */
	if (local && !b->ev_local) {
		const char *name = b->dm_ops->client(b->dm_gw);

		log_info("event list: local connection on");
		b->ev_local = true;
		if (name)
			ev_queue_local(b, name);
	}
	b->ev_local = local;
}

int proactive_handle(struct bipd *b, const uint8_t *cmd, size_t len,
		     bool last_try)
{
	static struct cat_msg m;
	const struct cat_tlv *t;
	struct cat_cmd_details det;
	struct cmd_ref ref;
	int err = parse_command(cmd, len, &m);

	t = err ? NULL : cat_msg_find(&m, CAT_TAG_CMD_DETAILS, 0);
	if (!err && (!t || cat_get_cmd_details(t, &det)))
		err = CAT_TLV_EMISSING;
	if (err) {
		log_warn("proactive command: %s", cat_tlv_strerror(err));
		if (!last_try)
			return -EBADMSG;
		salvage(b, cmd, len);
		return 0;
	}
	b->fetch_failures = 0;
	cmd_ref_from(&ref, t);
	if (!cat_msg_find(&m, CAT_TAG_DEVICES, 0)) {
		log_warn("proactive command %02X without Device identities",
			 det.type);
		tr_simple(b, &ref, CAT_RES_VALUES_MISSING, NULL, 0);
		return 0;
	}
	switch (det.type) {
	case CAT_CMD_SET_UP_EVENT_LIST:
		set_up_event_list(b, &ref, &m);
		break;
	case CAT_CMD_OPEN_CHANNEL:
		bip_open_channel(b, &ref, &m);
		break;
	case CAT_CMD_CLOSE_CHANNEL:
		bip_close_channel(b, &ref, &m);
		break;
	case CAT_CMD_RECEIVE_DATA:
		bip_receive_data(b, &ref, &m);
		break;
	case CAT_CMD_SEND_DATA:
		bip_send_data(b, &ref, &m);
		break;
	case CAT_CMD_GET_CHANNEL_STATUS:
		bip_get_channel_status(b, &ref);
		break;
	case CAT_CMD_REFRESH:
		/* The card's files (its access rules among them) changed:
		 * main.c reads the rules again.  The rest of REFRESH is
		 * beyond us, as before. */
		b->card_refresh = true;
		/* fall through */
	default:
		log_info("proactive command %02X not supported: answering "
			 "\"beyond terminal's capabilities\"", det.type);
		tr_simple(b, &ref, CAT_RES_BEYOND_CAPABILITY, NULL, 0);
		break;
	}
	return 0;
}
