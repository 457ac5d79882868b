// SPDX-License-Identifier: GPL-2.0
/*
 * gp_status.c - GET STATUS (GP 2.3 11.4) in the TLV format (P2 b2):
 * one E3 object per registry entry matching the 4F search key:
 *
 *   P1 80  the ISD:            4F AID, 9F70 life cycle, C5 privileges
 *   P1 40  applications:       4F, 9F70, C5, C4 load file AID, CC SD AID
 *   P1 20  load files:         4F, 9F70, CC
 *   P1 10  load files, modules: 4F, 9F70, CC, 84 per module
 *
 * Whole entries only; when the next one does not fit in Ne (256 without
 * Le) the answer ends with 63 10 and P2 03 continues from there.
 */
#include "gp/gp_int.h"

#include <string.h>

static const uint8_t isd_priv[3] = { 0x9E, 0xFE, 0x80 };

struct entry {
	uint8_t b[2 + 2 + GP_AID_MAX + 4 + 5 + 2 + GP_AID_MAX + 2 +
		  GP_AID_MAX + GP_MODULES_MAX * (2 + GP_AID_MAX)];
	size_t n;
};

static void put(struct entry *e, const void *p, size_t n)
{
	memcpy(e->b + e->n, p, n);
	e->n += n;
}

static void put_aid(struct entry *e, uint8_t tag, const struct gp_aid *a)
{
	uint8_t h[2] = { tag, a->len };

	put(e, h, 2);
	put(e, a->b, a->len);
}

static void put_life_priv(struct entry *e, uint8_t life, const uint8_t *priv)
{
	uint8_t lc[4] = { 0x9F, 0x70, 0x01, life }, p[2] = { 0xC5, 0x03 };

	put(e, lc, 4);
	if (priv) {
		put(e, p, 2);
		put(e, priv, 3);
	}
}

/* The i-th entry of the kind P1 asks for; false past the last. */
static bool entry_at(const struct gp_card *g, uint8_t p1, size_t i,
		     struct entry *e, const struct gp_aid **aid)
{
	e->n = 2;	/* E3 L filled in at the end */
	if (p1 == 0x80) {
		if (i)
			return false;
		*aid = &gp_isd_aid;
		put_aid(e, 0x4F, &gp_isd_aid);
		put_life_priv(e, GP_LC_SECURED, isd_priv);
	} else if (p1 == 0x40) {
		if (i >= g->reg.napp)
			return false;
		const struct gp_app *a = &g->reg.app[i];

		*aid = &a->aid;
		put_aid(e, 0x4F, &a->aid);
		put_life_priv(e, a->life, a->priv);
		put_aid(e, 0xC4, &a->elf);
		put_aid(e, 0xCC, &gp_isd_aid);
	} else {
		if (i >= g->reg.nelf)
			return false;
		const struct gp_elf *f = &g->reg.elf[i];

		*aid = &f->aid;
		put_aid(e, 0x4F, &f->aid);
		put_life_priv(e, GP_LC_LOADED, NULL);
		put_aid(e, 0xCC, &gp_isd_aid);
		if (p1 == 0x10)
			for (size_t m = 0; m < f->nmodules; m++)
				put_aid(e, 0x84, &f->modules[m]);
	}
	e->b[0] = 0xE3;
	e->b[1] = (uint8_t)(e->n - 2);
	return true;
}

uint16_t gp_get_status(struct gp_card *g, struct gp_chan *ch,
		       const struct apdu *a, struct apdu_resp *r)
{
	struct gp_status_req req;
	size_t from = 0, cap, i;
	uint16_t sw = gp_parse_get_status(a->p1, a->p2, a->data, a->nc, &req);
	bool any = false;

	if (sw)
		return sw;
	if (req.next) {
		if (!ch->more || ch->more_req.p1 != req.p1 ||
		    ch->more_req.key_len != req.key_len ||
		    memcmp(ch->more_req.key, req.key, req.key_len))
			return SW_CONDITIONS;	/* nothing to continue */
		from = ch->more_from;
	}
	ch->more = false;
	cap = a->ne && a->ne < GP_STATUS_MAX ? a->ne : GP_STATUS_MAX;
	for (i = from;; i++) {
		const struct gp_aid *aid;
		struct entry e;

		if (!entry_at(g, req.p1, i, &e, &aid))
			break;
		if (!gp_aid_prefix(aid, req.key, req.key_len))
			continue;
		if (r->len + e.n > cap) {
			if (!any)
				return SW_WRONG_LENGTH;
			ch->more = true;
			ch->more_req = req;
			ch->more_from = i;
			return 0x6310;
		}
		apdu_put(r, e.b, e.n);
		any = true;
	}
	return any || req.next ? SW_OK : SW_REF_NOT_FOUND;
}
