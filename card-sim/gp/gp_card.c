// SPDX-License-Identifier: GPL-2.0
/*
 * gp_card.c - the embedded SE's command dispatch: the class byte and its
 * logical channel, MANAGE CHANNEL, SELECT by AID, then the command goes
 * to what is selected on that channel: the ISD (GP commands) or an
 * installed application (the echo applet).
 */
#include "gp/gp_int.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum {
	INS_MANAGE_CHANNEL = 0x70,
	INS_SELECT = 0xA4,
	INS_GET_STATUS = 0xF2,
	INS_INSTALL = 0xE6,
	INS_LOAD = 0xE8,
	INS_DELETE = 0xE4,
	INS_INIT_UPDATE = 0x50,
	INS_ECHO = 0x01,
};

#define KEY_REGISTRY "gp.registry"

const struct gp_aid gp_isd_aid = { 8, { GP_ISD_AID_BYTES } };

/* T=1, no historical bytes but "eSE": 3B 83 80 01 'e' 'S' 'E' TCK. */
static const uint8_t atr[] = { 0x3B, 0x83, 0x80, 0x01, 0x65, 0x53, 0x45,
			       0x80 ^ 0x01 ^ 0x65 ^ 0x53 ^ 0x45 ^ 0x83 };

size_t gp_card_atr(const uint8_t **out)
{
	*out = atr;
	return sizeof(atr);
}

bool gp_is_selected(const struct gp_card *g, const struct gp_aid *a)
{
	for (int i = 0; i < GP_CHANNELS; i++)
		if (g->ch[i].open && gp_aid_eq(&g->ch[i].selected, a))
			return true;
	return false;
}

bool gp_save(struct gp_card *g)
{
	static uint8_t buf[GP_REGISTRY_BYTES];
	size_t n = gp_registry_encode(&g->reg, buf);

	return !card_state_set(g->st, KEY_REGISTRY, buf, n) &&
	       !card_state_save(g->st);
}

struct gp_card *gp_card_new(struct card_state *st, bool clear_text)
{
	struct gp_card *g = calloc(1, sizeof(*g));
	const uint8_t *b;
	size_t n;

	if (!g)
		return NULL;
	g->st = st;
	g->clear_text = clear_text;
	if (!card_state_get(st, KEY_REGISTRY, &b, &n) &&
	    !gp_registry_decode(b, n, &g->reg))
		card_err("eSE: stored GP registry is malformed: starting empty");
	gp_card_reset(g);
	return g;
}

void gp_card_free(struct gp_card *g)
{
	free(g);
}

void gp_card_reset(struct gp_card *g)
{
	memset(g->ch, 0, sizeof(g->ch));
	g->ch[0].open = true;
	g->ch[0].selected = gp_isd_aid;	/* the default selected application */
	g->load.active = false;
}

/* The logical channel a CLA names (ISO 7816-4 5.4.1); -1: not a class
 * this card knows. */
static int cla_channel(uint8_t cla, bool *sm)
{
	if (cla == 0xFF)
		return -1;
	if ((cla & 0x60) == 0x00) {		/* first interindustry (and 8X) */
		*sm = cla & 0x0C;
		return cla & 0x03;
	}
	if ((cla & 0x60) == 0x40) {		/* further interindustry (CX) */
		*sm = cla & 0x20;
		return 4 + (cla & 0x0F);
	}
	return -1;
}

static uint16_t manage_channel(struct gp_card *g, int chan,
			       const struct apdu *a, struct apdu_resp *r)
{
	if (a->p1 == 0x00 && a->p2 == 0x00) {
		for (int i = 1; i < GP_CHANNELS; i++) {
			if (!g->ch[i].open) {
				uint8_t n = (uint8_t)i;

				memset(&g->ch[i], 0, sizeof(g->ch[i]));
				g->ch[i].open = true;
				g->ch[i].selected = gp_isd_aid;
				apdu_put(r, &n, 1);
				return SW_OK;
			}
		}
		return SW_FUNC_UNSUPPORTED;	/* no channel left (6A81) */
	}
	if (a->p1 == 0x80) {
		int n = a->p2 ? a->p2 : chan;

		if (n == 0)
			return SW_WRONG_P1P2;
		if (n >= GP_CHANNELS || !g->ch[n].open)
			return SW_CHANNEL_UNSUPPORTED;
		g->ch[n].open = false;
		return SW_OK;
	}
	return SW_WRONG_P1P2;
}

/* The FCI of a selected application: 6F { 84 AID [A5 proprietary] }. */
static void put_fci(struct apdu_resp *r, const struct gp_aid *aid, bool isd)
{
	uint8_t b[64], n = 0;

	b[n++] = 0x6F;
	b[n++] = (uint8_t)(2 + aid->len + (isd ? 5 : 0));
	b[n++] = 0x84;
	b[n++] = aid->len;
	memcpy(b + n, aid->b, aid->len);
	n += aid->len;
	if (isd) {	/* A5 { 9F65 (max command length) 01 FF } */
		static const uint8_t a5[] = { 0xA5, 0x03, 0x9F, 0x65, 0x01 };

		memcpy(b + n, a5, sizeof(a5));
		n += sizeof(a5);
		b[n++] = 0xFF;
		b[1] = (uint8_t)(n - 2);
	}
	apdu_put(r, b, n);
}

/* SELECT by DF name: the ISD or a selectable application, whole AID or a
 * prefix of 5+ bytes; P2 02 the next one after what is selected. */
static uint16_t select_aid(struct gp_card *g, struct gp_chan *ch,
			   const struct apdu *a, struct apdu_resp *r)
{
	const struct gp_aid *cand[1 + GP_APP_MAX];
	size_t n = 0, from = 0;

	if (a->p1 != 0x04)
		return SW_FILE_NOT_FOUND;	/* no file system here */
	if ((a->p2 & 0xF3) != 0x00 && a->p2 != 0x02)
		return SW_WRONG_P1P2;
	if (a->nc == 0) {
		ch->selected = gp_isd_aid;
		put_fci(r, &gp_isd_aid, true);
		return SW_OK;
	}
	if (a->nc < GP_AID_MIN || a->nc > GP_AID_MAX)
		return SW_WRONG_DATA;
	cand[n++] = &gp_isd_aid;
	for (size_t i = 0; i < g->reg.napp; i++)
		if (g->reg.app[i].life == GP_LC_SELECTABLE)
			cand[n++] = &g->reg.app[i].aid;
	if (a->p2 == 0x02)
		for (size_t i = 0; i < n; i++)
			if (gp_aid_eq(cand[i], &ch->selected))
				from = i + 1;
	for (size_t i = from; i < n; i++) {
		if (!gp_aid_prefix(cand[i], a->data, a->nc))
			continue;
		ch->selected = *cand[i];
		ch->more = false;
		if ((a->p2 & 0x0C) != 0x0C)
			put_fci(r, cand[i], i == 0);
		return SW_OK;
	}
	return SW_FILE_NOT_FOUND;
}

/* The ISD's commands, CLA 8X (84: secure messaging). */
static uint16_t isd_command(struct gp_card *g, struct gp_chan *ch, bool sm,
			    const struct apdu *a, struct apdu_resp *r)
{
	bool content = a->ins == INS_GET_STATUS || a->ins == INS_INSTALL ||
		       a->ins == INS_LOAD || a->ins == INS_DELETE;

	if (!(a->cla & 0x80))
		return SW_INS_UNSUPPORTED;
	if (a->ins == INS_INIT_UPDATE)
		return SW_REF_NOT_FOUND;	/* no SCP key set here */
	if (!content)
		return SW_INS_UNSUPPORTED;
	/* No secure channel can be open (SCP03 is not modelled): a C-MAC
	 * cannot be checked, and without --gp-clear-text nothing passes. */
	if (sm || !g->clear_text)
		return SW_SECURITY;
	switch (a->ins) {
	case INS_GET_STATUS:
		return gp_get_status(g, ch, a, r);
	case INS_INSTALL:
		return gp_install(g, a, r);
	case INS_LOAD:
		return gp_load(g, a, r);
	default:
		return gp_delete(g, a, r);
	}
}

/* Every installed application: the echo applet (80 01 echoes data). */
static uint16_t app_command(const struct apdu *a, struct apdu_resp *r)
{
	if (!(a->cla & 0x80) || a->ins != INS_ECHO)
		return SW_INS_UNSUPPORTED;
	if (a->p1 || a->p2)
		return SW_WRONG_P1P2;
	if (!a->nc)
		return SW_WRONG_LENGTH;
	apdu_put(r, a->data, a->nc);
	return SW_OK;
}

static uint16_t dispatch(struct gp_card *g, const struct apdu *a,
			 struct apdu_resp *r)
{
	bool sm = false;
	int chan = cla_channel(a->cla, &sm);
	struct gp_chan *ch;

	if (chan < 0)
		return SW_CLA_UNSUPPORTED;
	if (chan >= GP_CHANNELS || !g->ch[chan].open)
		return SW_CHANNEL_UNSUPPORTED;
	ch = &g->ch[chan];
	if (!(a->cla & 0x80) && a->ins == INS_MANAGE_CHANNEL)
		return manage_channel(g, chan, a, r);
	if (!(a->cla & 0x80) && a->ins == INS_SELECT)
		return select_aid(g, ch, a, r);
	if (!ch->selected.len)
		return SW_CONDITIONS;
	if (gp_aid_eq(&ch->selected, &gp_isd_aid))
		return isd_command(g, ch, sm, a, r);
	return app_command(a, r);
}

size_t gp_card_transmit(struct gp_card *g, const uint8_t *capdu, size_t len,
			uint8_t *resp)
{
	struct apdu_resp r = { resp, APDU_RESP_MAX - 2, 0 };
	struct apdu a;
	uint16_t sw;

	sw = (uint16_t)apdu_parse(capdu, len, &a);
	if (!sw)
		sw = dispatch(g, &a, &r);
	if (sw != SW_OK && (sw >> 8) != 0x63 && (sw >> 8) != 0x62)
		r.len = 0;
	resp[r.len] = (uint8_t)(sw >> 8);
	resp[r.len + 1] = (uint8_t)sw;
	return r.len + 2;
}
