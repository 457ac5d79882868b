// SPDX-License-Identifier: GPL-2.0
/*
 * cat.c - the proactive session: terminal profile, command numbering,
 * FETCH, TERMINAL RESPONSE and ENVELOPE.  The channels live in bip.c.
 */
#include "cat-int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_HTTP_PORT 3516		/* IANA smartcard-port */
#define DEFAULT_HTTPS_PORT 4116		/* IANA smartcard-tls */
/* Six 240-byte SEND DATA chunks (the most a short FETCH carries): no
 * chunk is cut short just to fill the terminal's Tx buffer. */
#define DEFAULT_BUFFER_SIZE 1440

void cat_config_init(struct cat_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->http_channels = 2;
	cfg->https_channels = 2;
	cfg->http_port = DEFAULT_HTTP_PORT;
	cfg->https_port = DEFAULT_HTTPS_PORT;
	cfg->buffer_size = DEFAULT_BUFFER_SIZE;
}

void cat_log(const struct cat *c, int level, const char *fmt, ...)
{
	va_list ap;

	if (level > c->cfg.verbose)
		return;
	fputs("scws-card: cat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void log_hex(const struct cat *c, const char *what,
		    const uint8_t *p, size_t n)
{
	char line[3 * CAT_CMD_MAX + 8];
	size_t i, shown = n < CAT_CMD_MAX ? n : CAT_CMD_MAX;

	if (c->cfg.verbose < 2)
		return;
	for (i = 0; i < shown; i++)
		snprintf(line + 3 * i, 4, " %02X", p[i]);
	line[3 * shown] = '\0';
	cat_log(c, 2, "%s (%zu):%s%s", what, n, line,
		shown < n ? " ..." : "");
}

struct cat *cat_new(const struct cat_config *cfg)
{
	struct cat *c;

	if (cfg->http_channels + cfg->https_channels > CAT_MAX_CHANNELS ||
	    cfg->http_channels > CAT_MAX_CHANNELS || !cfg->buffer_size)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->cfg = *cfg;
	cat_reset(c);
	dm_sc_attach(c);
	return c;
}

void cat_free(struct cat *c)
{
	if (!c)
		return;
	bip_reset(c);
	dm_sc_reset(c);
	dm_sc_detach(c);
	free(c);
}

void cat_reset(struct cat *c)
{
	bip_reset(c);
	dm_sc_reset(c);
	memset(&c->caps, 0, sizeof(c->caps));
	memset(&c->cmd, 0, sizeof(c->cmd));
	c->session = false;
	c->evl = EVL_NONE;
	c->last_number = 0;
}

/* Byte and bit numbered from 1, as TS 102 223 clause 5.2 does. */
static bool tp_bit(const uint8_t *tp, size_t len, size_t byte, unsigned bit)
{
	return byte <= len && (tp[byte - 1] >> (bit - 1)) & 1;
}

void cat_terminal_profile(struct cat *c, const uint8_t *tp, size_t len)
{
	struct cat_caps *k = &c->caps;

	cat_reset(c);
	c->session = true;
	k->events = tp_bit(tp, len, 5, 1) && tp_bit(tp, len, 6, 3) &&
		    tp_bit(tp, len, 6, 4);
	k->bip_cmds = len >= 12 && (tp[11] & 0x1F) == 0x1F;
	k->channels = len >= 13 ? tp[12] >> 5 : 0;
	k->server = tp_bit(tp, len, 17, 3);
	k->client = tp_bit(tp, len, 17, 1);
	k->local_event = tp_bit(tp, len, 6, 7);
	k->udp_local = tp_bit(tp, len, 17, 5);
	cat_log(c, 1, "terminal profile: events %s, BIP commands %s, "
		"%u channels, TCP server %s, TCP client %s",
		k->events ? "yes" : "no", k->bip_cmds ? "yes" : "no",
		k->channels, k->server ? "yes" : "no",
		k->client ? "yes" : "no");
	if (!cat_bip_usable(c) || !k->server)
		cat_log(c, 0, "terminal cannot carry the SCWS over BIP, "
			"not opening channels");
	if (k->local_event || k->udp_local)
		cat_log(c, 1, "terminal profile: Local connection event %s, "
			"UDP local %s", k->local_event ? "yes" : "no",
			k->udp_local ? "yes" : "no");
	bip_plan(c);
	cat_schedule(c);
}

bool cat_bip_usable(const struct cat *c)
{
	return c->session && c->caps.events && c->caps.bip_cmds &&
	       c->caps.channels >= 1 && c->evl != EVL_FAILED;
}

/* Command numbers run 01..FE (TS 102 223 8.6). */
static uint8_t next_number(struct cat *c)
{
	c->last_number = (uint8_t)(c->last_number % 0xFE + 1);
	return c->last_number;
}

size_t cat_cmd_begin(struct cat *c, struct cat_writer *w, uint8_t type,
		     uint8_t qualifier, uint8_t dst, int slot)
{
	struct cat_cmd *cmd = &c->cmd;
	size_t mark;

	memset(cmd, 0, sizeof(*cmd));
	cmd->det.number = next_number(c);
	cmd->det.type = type;
	cmd->det.qualifier = qualifier;
	cmd->slot = slot;
	cmd->gen = slot >= 0 ? c->slots[slot].gen : 0;
	cat_writer_init(w, cmd->buf, sizeof(cmd->buf));
	mark = cat_ber_open(w, CAT_BER_PROACTIVE);
	cat_put_cmd_details(w, &cmd->det);
	cat_put_devices(w, CAT_DEV_UICC, dst);
	return mark;
}

bool cat_cmd_end(struct cat *c, struct cat_writer *w, size_t mark)
{
	cat_ber_close(w, mark);
	if (w->overflow) {
		cat_log(c, 0, "command %02X does not fit in %d bytes",
			c->cmd.det.type, CAT_CMD_MAX);
		c->cmd.active = false;
		return false;
	}
	c->cmd.len = w->len;
	c->cmd.active = true;
	c->cmd.fetched = false;
	return true;
}

static bool build_event_list(struct cat *c)
{
	/* Local connection last, and only for a terminal that reports it:
	 * one unknown event fails the whole list. */
	static const uint8_t events[] = {
		CAT_EV_DATA_AVAILABLE, CAT_EV_CHANNEL_STATUS,
		CAT_EV_LOCAL_CONNECTION,
	};
	struct cat_writer w;
	size_t mark;

	mark = cat_cmd_begin(c, &w, CAT_CMD_SET_UP_EVENT_LIST, 0x00,
			     CAT_DEV_TERMINAL, -1);
	cat_put_event_list(&w, events, sizeof(events) -
			   (c->caps.local_event ? 0 : 1));
	if (!cat_cmd_end(c, &w, mark))
		return false;
	c->evl = EVL_SENT;
	return true;
}

static bool bip_wanted(const struct cat *c)
{
	for (size_t i = 0; i < CAT_MAX_CHANNELS; i++)
		if (c->slots[i].kind != SLOT_UNUSED)
			return true;
	return false;
}

void cat_schedule(struct cat *c)
{
	if (c->cmd.active || !c->session)
		return;
	if (c->evl == EVL_NONE && cat_bip_usable(c) && bip_wanted(c)) {
		build_event_list(c);
		return;
	}
	if (c->evl == EVL_SET) {
		dm_sc_turn(c);	/* may have built an OPEN CHANNEL already */
		if (!c->cmd.active)
			bip_build_next(c);
	}
}

void cat_poll(struct cat *c)
{
	c->polling = true;
	cat_schedule(c);
	c->polling = false;
}

size_t cat_pending(const struct cat *c)
{
	return c->cmd.active && !c->cmd.fetched ? c->cmd.len : 0;
}

size_t cat_fetched_len(const struct cat *c)
{
	return c->cmd.active && c->cmd.fetched ? c->cmd.len : 0;
}

size_t cat_fetch(struct cat *c, uint8_t *out, size_t cap)
{
	if (!c->cmd.active || cap < c->cmd.len)
		return 0;
	memcpy(out, c->cmd.buf, c->cmd.len);
	if (c->cmd.fetched)
		cat_log(c, 1, "command %u fetched again", c->cmd.det.number);
	c->cmd.fetched = true;
	log_hex(c, "FETCH", c->cmd.buf, c->cmd.len);
	return c->cmd.len;
}

/* Checks that a TERMINAL RESPONSE answers the outstanding command and
 * comes from the terminal; fills *res. */
static int check_response(struct cat *c, const struct cat_msg *m,
			  struct cat_result *res)
{
	const struct cat_tlv *t;
	struct cat_cmd_details det;
	struct cat_devices dev;
	int err;

	t = cat_msg_find(m, CAT_TAG_CMD_DETAILS, 0);
	if (!t)
		return CAT_TLV_EMISSING;
	err = cat_get_cmd_details(t, &det);
	if (err)
		return err;
	if (det.number != c->cmd.det.number || det.type != c->cmd.det.type ||
	    det.qualifier != c->cmd.det.qualifier) {
		cat_log(c, 0, "TERMINAL RESPONSE for command %02X/%02X/%02X, "
			"outstanding is %02X/%02X/%02X", det.number, det.type,
			det.qualifier, c->cmd.det.number, c->cmd.det.type,
			c->cmd.det.qualifier);
		return CAT_TLV_EBADVAL;
	}
	t = cat_msg_find(m, CAT_TAG_DEVICES, 0);
	if (!t)
		return CAT_TLV_EMISSING;
	err = cat_get_devices(t, &dev);
	if (err)
		return err;
	if (dev.src != CAT_DEV_TERMINAL || dev.dst != CAT_DEV_UICC)
		return CAT_TLV_EBADVAL;
	t = cat_msg_find(m, CAT_TAG_RESULT, 0);
	if (!t)
		return CAT_TLV_EMISSING;
	return cat_get_result(t, res);
}

uint16_t cat_terminal_response(struct cat *c, const uint8_t *tr, size_t len)
{
	struct cat_result res;
	struct cat_msg m;
	int err;

	log_hex(c, "TERMINAL RESPONSE", tr, len);
	if (!c->cmd.active || !c->cmd.fetched) {
		cat_log(c, 0, "TERMINAL RESPONSE with no command outstanding");
		return CAT_SW_ERROR;
	}
	err = cat_msg_parse_list(&m, tr, len);
	if (!err)
		err = check_response(c, &m, &res);
	if (!err && c->cmd.det.type != CAT_CMD_SET_UP_EVENT_LIST)
		err = bip_on_response(c, &m, &res);
	if (err) {
		cat_log(c, 0, "bad TERMINAL RESPONSE to command %u: %s",
			c->cmd.det.number, cat_tlv_strerror(err));
		return CAT_SW_ERROR;
	}
	if (c->cmd.det.type == CAT_CMD_SET_UP_EVENT_LIST) {
		c->evl = CAT_RES_PERFORMED(res.general) ? EVL_SET : EVL_FAILED;
		if (c->evl == EVL_FAILED)
			cat_log(c, 0, "SET UP EVENT LIST refused (result %02X),"
				" no BIP", res.general);
	}
	c->cmd.active = false;
	cat_schedule(c);
	return CAT_SW_OK;
}

static bool event_registered(const struct cat *c, uint8_t event)
{
	return c->evl == EVL_SET && (event == CAT_EV_DATA_AVAILABLE ||
				     event == CAT_EV_CHANNEL_STATUS ||
				     (event == CAT_EV_LOCAL_CONNECTION &&
				      c->caps.local_event));
}

static int event_download(struct cat *c, const struct cat_msg *m)
{
	const struct cat_tlv *t;
	struct cat_devices dev;
	const uint8_t *events;
	size_t n;
	int err;

	t = cat_msg_find(m, CAT_TAG_EVENT_LIST, 0);
	if (!t)
		return CAT_TLV_EMISSING;
	cat_get_event_list(t, &events, &n);
	if (n != 1)		/* one event per envelope, TS 102 223 7.5 */
		return CAT_TLV_EBADVAL;
	t = cat_msg_find(m, CAT_TAG_DEVICES, 0);
	if (!t)
		return CAT_TLV_EMISSING;
	err = cat_get_devices(t, &dev);
	if (err)
		return err;
	if (dev.dst != CAT_DEV_UICC)
		return CAT_TLV_EBADVAL;
	if (!event_registered(c, events[0])) {
		cat_log(c, 1, "event %02X not in the event list, ignored",
			events[0]);
		return 0;
	}
	if (events[0] == CAT_EV_LOCAL_CONNECTION)
		return dm_sc_event(c, m);
	return bip_on_event(c, events[0], m);
}

uint16_t cat_envelope(struct cat *c, const uint8_t *env, size_t len)
{
	size_t n;

	return cat_envelope_data(c, env, len, NULL, 0, &n);
}

uint16_t cat_envelope_data(struct cat *c, const uint8_t *env, size_t len,
			   uint8_t *resp, size_t cap, size_t *resp_len)
{
	struct cat_msg m;
	uint16_t sw;
	int err;

	*resp_len = 0;
	log_hex(c, "ENVELOPE", env, len);
	err = cat_msg_parse(&m, env, len);
	if (err) {
		cat_log(c, 0, "malformed ENVELOPE: %s", cat_tlv_strerror(err));
		return CAT_SW_ERROR;
	}
	switch (m.ber_tag) {
	case CAT_BER_EVENT:
		err = event_download(c, &m);
		if (err) {
			cat_log(c, 0, "bad event download: %s",
				cat_tlv_strerror(err));
			return CAT_SW_ERROR;
		}
		break;
	case CAT_BER_SMS_PP:
		if (!c->cfg.sms_pp) {
			cat_log(c, 0, "SMS-PP data download not supported");
			return CAT_SW_ERROR;
		}
		sw = c->cfg.sms_pp(c->cfg.sms_pp_arg, env, len, resp, cap,
				   resp_len);
		cat_schedule(c);	/* a trigger may have queued work */
		return sw;
	default:
		cat_log(c, 0, "ENVELOPE template %02X not supported",
			m.ber_tag);
		return CAT_SW_ERROR;
	}
	cat_schedule(c);
	return CAT_SW_OK;
}
