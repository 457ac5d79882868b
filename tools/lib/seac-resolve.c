// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * seac-resolve.c - GP SEAC rule resolution for one (SE app, device app)
 * pair; see seac-resolve.h.
 */
#include "seac-resolve.h"

#include <string.h>

static const uint8_t null_aid[5];

static bool is_default_aid(const uint8_t *aid, size_t len)
{
	return len == 0 || (len == sizeof(null_aid) &&
			    !memcmp(aid, null_aid, sizeof(null_aid)));
}

/* Whether the rule's AID part names this SE application specifically. */
static bool aid_specific(const struct seac_rule *r, const uint8_t *aid,
			 size_t len)
{
	if (is_default_aid(aid, len))
		return r->aid_kind == SEAC_AID_DEFAULT;
	return r->aid_kind == SEAC_AID_SPECIFIC && r->aid_len == len &&
	       !memcmp(r->aid, aid, len);
}

static bool rule_names_app(const struct seac_rule *r)
{
	return r->hash_len || r->pkg[0];
}

static bool app_matches(const struct seac_rule *r, const struct seac_app *a)
{
	if (r->hash_len) {
		if (!a->signed_app)
			return false;
		if (r->hash_len == 20 && memcmp(r->hash, a->sha1, 20))
			return false;
		if (r->hash_len == 32 && memcmp(r->hash, a->sha256, 32))
			return false;
	}
	if (r->pkg[0] && (!a->label || strcmp(r->pkg, a->label)))
		return false;
	return true;
}

static void merge(struct seac_decision *d, const struct seac_rule *r,
		  bool *any_never)
{
	if (r->apdu == SEAC_NEVER || r->apdu == SEAC_ABSENT)
		*any_never = true;
	else if (r->apdu == SEAC_ALWAYS)
		d->all_apdus = true;
	for (size_t i = 0; r->apdu == SEAC_FILTER && i < r->n_filters; i++) {
		if (d->n_filters == SEAC_DECISION_FILTERS) {
			d->filters_cut = true;
			break;
		}
		memcpy(d->filter[d->n_filters++], r->filter[i], 8);
	}
	if (r->nfc == SEAC_NEVER || d->nfc == SEAC_NEVER)
		d->nfc = SEAC_NEVER;
	else if (r->nfc == SEAC_ALWAYS)
		d->nfc = SEAC_ALWAYS;
}

/*
 * One step: the rules whose AID part is "specific" (or "all SE apps") and
 * whose app part names the app (or every app).  True when any was found;
 * *other is set when a rule of this AID part names another app.
 */
static bool step(const struct seac_rules *rs, const uint8_t *aid,
		 size_t aid_len, bool specific_aid, bool specific_app,
		 const struct seac_app *app, struct seac_decision *d,
		 bool *other)
{
	bool found = false, never = false;

	for (size_t i = 0; i < rs->n; i++) {
		const struct seac_rule *r = &rs->rule[i];
		bool aid_ok = specific_aid ? aid_specific(r, aid, aid_len) :
			      r->aid_kind == SEAC_AID_ALL;

		if (!aid_ok || rule_names_app(r) != specific_app)
			continue;
		if (!app_matches(r, app)) {
			if (other)
				*other = true;
			continue;
		}
		found = true;
		merge(d, r, &never);
	}
	if (found) {
		d->allowed = !never;
		if (never) {
			d->all_apdus = false;
			d->n_filters = 0;
		}
		if (!d->allowed)
			d->nfc = SEAC_NEVER;
		else if (d->nfc == SEAC_ABSENT)
			d->nfc = SEAC_ALWAYS;	/* follows the APDU decision */
	}
	return found;
}

void seac_resolve(const struct seac_rules *r, const uint8_t *aid,
		  size_t aid_len, const struct seac_app *app,
		  struct seac_decision *d)
{
	bool other = false;

	memset(d, 0, sizeof(*d));
	if (step(r, aid, aid_len, true, true, app, d, &other)) {
		d->step = SEAC_STEP_A;
		return;
	}
	if (other) {
		d->step = SEAC_STEP_A_OTHER;
		return;
	}
	if (step(r, aid, aid_len, true, false, app, d, NULL)) {
		d->step = SEAC_STEP_B;
		return;
	}
	if (step(r, aid, aid_len, false, true, app, d, &other)) {
		d->step = SEAC_STEP_C;
		return;
	}
	if (other) {
		d->step = SEAC_STEP_C_OTHER;
		return;
	}
	if (step(r, aid, aid_len, false, false, app, d, NULL))
		d->step = SEAC_STEP_D;
}

bool seac_apdu_allowed(const struct seac_decision *d, const uint8_t hdr[4])
{
	if (!d->allowed)
		return false;
	if (d->all_apdus)
		return true;
	for (size_t i = 0; i < d->n_filters; i++) {
		const uint8_t *f = d->filter[i];
		bool pass = true;

		for (int k = 0; k < 4; k++)
			pass &= (hdr[k] & f[4 + k]) == (f[k] & f[4 + k]);
		if (pass)
			return true;
	}
	return false;
}

const char *seac_step_name(enum seac_step s)
{
	switch (s) {
	case SEAC_STEP_A:
		return "rule for this AID and this application";
	case SEAC_STEP_A_OTHER:
		return "rules for this AID name other applications only";
	case SEAC_STEP_B:
		return "rule for this AID and every application";
	case SEAC_STEP_C:
		return "rule for every SE application and this application";
	case SEAC_STEP_C_OTHER:
		return "rules for every SE application name other applications only";
	case SEAC_STEP_D:
		return "rule for every SE application and every application";
	default:
		return "no rule";
	}
}
