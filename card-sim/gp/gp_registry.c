// SPDX-License-Identifier: GPL-2.0
/*
 * gp_registry.c - the registry and its stored form: "GPR1", the counts,
 * then per load file its AID, code size (u32), modules; per application
 * its AID, load file, module, life cycle and privileges.  AIDs are a
 * length byte and the bytes.
 */
#include "gp/gp_registry.h"

#include <string.h>

static const uint8_t magic[4] = { 'G', 'P', 'R', '1' };

struct rd {
	const uint8_t *p;
	size_t left;
	bool bad;
};

static uint8_t rd_u8(struct rd *r)
{
	if (!r->left) {
		r->bad = true;
		return 0;
	}
	r->left--;
	return *r->p++;
}

static void rd_aid(struct rd *r, struct gp_aid *a, bool empty_ok)
{
	uint8_t n = rd_u8(r);

	if ((!n && !empty_ok) || (n && (n < GP_AID_MIN || n > GP_AID_MAX)) ||
	    n > r->left) {
		r->bad = true;
		return;
	}
	a->len = n;
	memcpy(a->b, r->p, n);
	r->p += n;
	r->left -= n;
}

bool gp_registry_decode(const uint8_t *b, size_t len, struct gp_registry *g)
{
	struct rd r = { b, len, false };

	memset(g, 0, sizeof(*g));
	if (len < 6 || memcmp(b, magic, 4))
		return false;
	r.p += 4;
	r.left -= 4;
	g->nelf = rd_u8(&r);
	g->napp = rd_u8(&r);
	if (g->nelf > GP_ELF_MAX || g->napp > GP_APP_MAX)
		goto bad;
	for (size_t i = 0; i < g->nelf && !r.bad; i++) {
		struct gp_elf *e = &g->elf[i];

		rd_aid(&r, &e->aid, false);
		for (int k = 0; k < 4; k++)
			e->size = e->size << 8 | rd_u8(&r);
		e->nmodules = rd_u8(&r);
		if (e->nmodules > GP_MODULES_MAX || e->size > GP_CODE_MAX)
			goto bad;
		for (size_t m = 0; m < e->nmodules; m++)
			rd_aid(&r, &e->modules[m], false);
	}
	for (size_t i = 0; i < g->napp && !r.bad; i++) {
		struct gp_app *a = &g->app[i];

		rd_aid(&r, &a->aid, false);
		rd_aid(&r, &a->elf, false);
		rd_aid(&r, &a->module, false);
		a->life = rd_u8(&r);
		for (int k = 0; k < 3; k++)
			a->priv[k] = rd_u8(&r);
	}
	if (!r.bad && !r.left && gp_registry_code_used(g) <= GP_CODE_MAX)
		return true;
bad:
	memset(g, 0, sizeof(*g));
	return false;
}

static size_t put_aid(uint8_t *out, const struct gp_aid *a)
{
	out[0] = a->len;
	memcpy(out + 1, a->b, a->len);
	return 1u + a->len;
}

size_t gp_registry_encode(const struct gp_registry *g, uint8_t *out)
{
	size_t n = 0;

	memcpy(out, magic, 4);
	n = 4;
	out[n++] = (uint8_t)g->nelf;
	out[n++] = (uint8_t)g->napp;
	for (size_t i = 0; i < g->nelf; i++) {
		const struct gp_elf *e = &g->elf[i];

		n += put_aid(out + n, &e->aid);
		for (int k = 3; k >= 0; k--)
			out[n++] = (uint8_t)(e->size >> (8 * k));
		out[n++] = e->nmodules;
		for (size_t m = 0; m < e->nmodules; m++)
			n += put_aid(out + n, &e->modules[m]);
	}
	for (size_t i = 0; i < g->napp; i++) {
		const struct gp_app *a = &g->app[i];

		n += put_aid(out + n, &a->aid);
		n += put_aid(out + n, &a->elf);
		n += put_aid(out + n, &a->module);
		out[n++] = a->life;
		memcpy(out + n, a->priv, 3);
		n += 3;
	}
	return n;
}

struct gp_elf *gp_registry_elf(struct gp_registry *g, const struct gp_aid *a)
{
	for (size_t i = 0; i < g->nelf; i++)
		if (gp_aid_eq(&g->elf[i].aid, a))
			return &g->elf[i];
	return NULL;
}

struct gp_app *gp_registry_app(struct gp_registry *g, const struct gp_aid *a)
{
	for (size_t i = 0; i < g->napp; i++)
		if (gp_aid_eq(&g->app[i].aid, a))
			return &g->app[i];
	return NULL;
}

uint32_t gp_registry_code_used(const struct gp_registry *g)
{
	uint32_t n = 0;

	for (size_t i = 0; i < g->nelf; i++)
		n += g->elf[i].size;
	return n;
}

void gp_registry_drop_app(struct gp_registry *g, struct gp_app *a)
{
	size_t i = (size_t)(a - g->app);

	memmove(a, a + 1, (g->napp - i - 1) * sizeof(*a));
	g->napp--;
}

void gp_registry_drop_elf(struct gp_registry *g, struct gp_elf *e)
{
	size_t i = (size_t)(e - g->elf);

	memmove(e, e + 1, (g->nelf - i - 1) * sizeof(*e));
	g->nelf--;
}
