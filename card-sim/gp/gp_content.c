// SPDX-License-Identifier: GPL-2.0
/*
 * gp_content.c - card content management by the ISD (GP 2.3 11.5, 11.6,
 * 11.2): INSTALL [for load] opens a load, LOAD blocks (numbered from 00,
 * P1 80 on the last) bring the load file, INSTALL [for install] and/or
 * [for make selectable] create an application from one of its modules,
 * DELETE removes an application or a load file (P2 80: with its
 * applications).  Each change is stored before the answer.
 */
#include "gp/gp_int.h"
#include "log.h"

#include <string.h>

static const uint8_t no_receipt = 0x00;

static uint16_t done(struct gp_card *g, struct apdu_resp *r)
{
	if (!gp_save(g))
		return SW_MEMORY;	/* 6581: the write failed */
	apdu_put(r, &no_receipt, 1);
	return SW_OK;
}

static uint16_t install_for_load(struct gp_card *g, const struct gp_install *in)
{
	if (in->sd.len && !gp_aid_eq(&in->sd, &gp_isd_aid))
		return SW_REF_NOT_FOUND;	/* no such security domain */
	if (gp_registry_elf(&g->reg, &in->elf) ||
	    gp_registry_app(&g->reg, &in->elf) ||
	    gp_aid_eq(&in->elf, &gp_isd_aid))
		return SW_WRONG_DATA;		/* the AID is taken */
	if (g->reg.nelf == GP_ELF_MAX)
		return GP_SW_NO_SPACE;
	g->load.active = true;
	g->load.elf = in->elf;
	g->load.next_block = 0;
	g->load.len = 0;
	return SW_OK;
}

static uint16_t install_app(struct gp_card *g, const struct gp_install *in)
{
	struct gp_app *app;
	struct gp_elf *elf;

	if (!(in->p1 & GP_INSTALL_INSTALL)) {	/* make selectable only */
		app = gp_registry_app(&g->reg, &in->app);
		if (!app)
			return SW_REF_NOT_FOUND;
		if (app->life != GP_LC_INSTALLED)
			return SW_CONDITIONS;
		app->life = GP_LC_SELECTABLE;
		return SW_OK;
	}
	elf = gp_registry_elf(&g->reg, &in->elf);
	if (!elf)
		return SW_REF_NOT_FOUND;
	size_t m;

	for (m = 0; m < elf->nmodules; m++)
		if (gp_aid_eq(&elf->modules[m], &in->module))
			break;
	if (m == elf->nmodules)
		return SW_REF_NOT_FOUND;
	/* No supplementary security domains on this card. */
	if (in->priv[0] & 0x80)
		return SW_WRONG_DATA;
	if (gp_registry_app(&g->reg, &in->app) ||
	    gp_registry_elf(&g->reg, &in->app) ||
	    gp_aid_eq(&in->app, &gp_isd_aid))
		return SW_WRONG_DATA;		/* the AID is taken */
	if (g->reg.napp == GP_APP_MAX)
		return GP_SW_NO_SPACE;
	app = &g->reg.app[g->reg.napp++];
	memset(app, 0, sizeof(*app));
	app->aid = in->app;
	app->elf = in->elf;
	app->module = in->module;
	memcpy(app->priv, in->priv, in->priv_len);
	app->life = (in->p1 & GP_INSTALL_SELECTABLE) ? GP_LC_SELECTABLE :
		    GP_LC_INSTALLED;
	return SW_OK;
}

uint16_t gp_install(struct gp_card *g, const struct apdu *a,
		    struct apdu_resp *r)
{
	struct gp_install in;
	uint16_t sw = gp_parse_install(a->p1, a->p2, a->data, a->nc, &in);

	if (sw)
		return sw;
	if (in.p1 == GP_INSTALL_LOAD) {
		sw = install_for_load(g, &in);
		if (sw == SW_OK)
			apdu_put(r, &no_receipt, 1);
		return sw;
	}
	sw = install_app(g, &in);
	if (sw != SW_OK)
		return sw;
	card_info("eSE: application installed (%s)",
		  in.p1 & GP_INSTALL_SELECTABLE ? "selectable" : "installed");
	return done(g, r);
}

static uint16_t finish_load(struct gp_card *g, struct apdu_resp *r)
{
	struct gp_load_file lf;
	struct gp_elf *e;
	uint16_t sw;

	g->load.active = false;
	sw = gp_parse_load_file(g->load.buf, g->load.len, &g->load.elf, &lf);
	if (sw)
		return sw;
	if (gp_registry_code_used(&g->reg) + lf.code_size > GP_CODE_MAX)
		return GP_SW_NO_SPACE;
	e = &g->reg.elf[g->reg.nelf++];
	memset(e, 0, sizeof(*e));
	e->aid = g->load.elf;
	e->size = (uint32_t)lf.code_size;
	e->nmodules = (uint8_t)lf.nmodules;
	memcpy(e->modules, lf.modules, sizeof(lf.modules));
	card_info("eSE: load file loaded (%zu bytes, %zu modules)",
		  lf.code_size, lf.nmodules);
	return done(g, r);
}

uint16_t gp_load(struct gp_card *g, const struct apdu *a,
		 struct apdu_resp *r)
{
	struct gp_load *l = &g->load;

	if (!l->active)
		return SW_CONDITIONS;		/* no INSTALL [for load] */
	if ((a->p1 & 0x7F) != 0x00 || a->p2 != (l->next_block & 0xFF)) {
		l->active = false;
		return SW_WRONG_P1P2;
	}
	if (!a->nc) {
		l->active = false;
		return SW_WRONG_DATA;
	}
	if (l->len + a->nc > GP_CODE_MAX + 8 ||
	    gp_registry_code_used(&g->reg) + l->len + a->nc > GP_CODE_MAX + 8) {
		l->active = false;
		return GP_SW_NO_SPACE;
	}
	memcpy(l->buf + l->len, a->data, a->nc);
	l->len += a->nc;
	l->next_block++;
	if (a->p1 & 0x80)
		return finish_load(g, r);
	return SW_OK;
}

uint16_t gp_delete(struct gp_card *g, const struct apdu *a,
		   struct apdu_resp *r)
{
	struct gp_delete d;
	struct gp_app *app;
	struct gp_elf *elf;
	uint16_t sw = gp_parse_delete(a->p1, a->p2, a->data, a->nc, &d);

	if (sw)
		return sw;
	if (gp_aid_eq(&d.aid, &gp_isd_aid))
		return SW_CONDITIONS;		/* the ISD cannot go */
	app = gp_registry_app(&g->reg, &d.aid);
	if (app) {
		if (gp_is_selected(g, &app->aid))
			return SW_CONDITIONS;
		gp_registry_drop_app(&g->reg, app);
		return done(g, r);
	}
	elf = gp_registry_elf(&g->reg, &d.aid);
	if (!elf)
		return SW_REF_NOT_FOUND;
	for (size_t i = 0; i < g->reg.napp; i++) {
		if (!gp_aid_eq(&g->reg.app[i].elf, &d.aid))
			continue;
		if (!d.related || gp_is_selected(g, &g->reg.app[i].aid))
			return SW_CONDITIONS;	/* applications still use it */
	}
	for (size_t i = g->reg.napp; i-- > 0;)
		if (gp_aid_eq(&g->reg.app[i].elf, &d.aid))
			gp_registry_drop_app(&g->reg, &g->reg.app[i]);
	gp_registry_drop_elf(&g->reg, elf);
	return done(g, r);
}
