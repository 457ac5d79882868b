// SPDX-License-Identifier: GPL-2.0
/*
 * The ARA-M applet: GET DATA [All / Next / Specific / Refresh tag /
 * Config] and STORE DATA (GPD_SPE_013 v1.1, chapters 4 and 5).  Rules and
 * refresh tag are saved together in one state write, so a rule change and
 * the tag that announces it can never be seen apart.
 */
#include "aram.h"
#include "ber.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define KEY_RULES "aram/rules"
#define KEY_REFRESH "aram/refresh"
#define KEY_CERTS "aram/certs"
#define CERTS_MAX 16384
#define REFRESH_LEN 8

enum {
	INS_GET_DATA = 0xCA,
	INS_STORE_DATA = 0xE2,
	DO_ALL = 0xFF40,
	DO_SPECIFIC = 0xFF50,
	DO_NEXT = 0xFF60,
	DO_REFRESH = 0xDF20,
	DO_CONFIG = 0xDF21,
	DO_CERTS = 0xFF70,		/* proprietary: trusted-app certificates */
	STORE_LAST_BLOCK = 0x80,	/* STORE DATA P1 b8 */
	STORE_BER_TLV = 0x10,		/* STORE DATA P1 b5-b4 = 10 */
};

const uint8_t aram_aid[ARAM_AID_LEN] = {
	0xA0, 0x00, 0x00, 0x01, 0x51, 0x41, 0x43, 0x4C, 0x00
};

/* The SEAC version this ARA-M implements: 1.1.0. */
static const uint8_t aram_version[3] = { 1, 1, 0 };

struct aram {
	struct card_state *st;
	struct aram_rules rules;
	uint8_t refresh[REFRESH_LEN];
	uint64_t gen;		/* bumped on every change */
	bool corrupt;		/* TEST TOOLING: malformed [All] answers */
	uint8_t *certs;		/* DER certificates back to back */
	size_t certs_len;
};

static void new_refresh_tag(struct aram *a)
{
	uint8_t old[REFRESH_LEN];

	memcpy(old, a->refresh, sizeof(old));
	/* Random, so a tag never repeats across resets of the state. */
	if (getrandom(a->refresh, sizeof(a->refresh), 0) != REFRESH_LEN ||
	    memcmp(old, a->refresh, sizeof(old)) == 0) {
		for (int i = REFRESH_LEN - 1; i >= 0 && ++a->refresh[i] == 0; i--)
			;
	}
}

static int persist(struct aram *a)
{
	int r = card_state_set(a->st, KEY_RULES, a->rules.buf, a->rules.len);

	if (!r)
		r = card_state_set(a->st, KEY_CERTS, a->certs, a->certs_len);
	if (!r)
		r = card_state_set(a->st, KEY_REFRESH, a->refresh, REFRESH_LEN);
	if (!r)
		r = card_state_save(a->st);
	return r;
}

struct aram *aram_open(struct card_state *st)
{
	struct aram *a = calloc(1, sizeof(*a));
	const uint8_t *v;
	size_t n;

	if (!a)
		return NULL;
	a->st = st;
	if (card_state_get(st, KEY_RULES, &v, &n) == 0 && n) {
		if (!aram_rules_valid(v, n) || n > ARAM_RULES_MAX) {
			card_err("ARA-M: stored rules are malformed; starting without rules");
		} else {
			a->rules.buf = malloc(n);
			if (!a->rules.buf)
				goto fail;
			memcpy(a->rules.buf, v, n);
			a->rules.len = n;
		}
	}
	if (card_state_get(st, KEY_CERTS, &v, &n) == 0 && n &&
	    n <= CERTS_MAX && ber_sequence_ok(v, n)) {
		a->certs = malloc(n);
		if (!a->certs)
			goto fail;
		memcpy(a->certs, v, n);
		a->certs_len = n;
	}
	if (card_state_get(st, KEY_REFRESH, &v, &n) == 0 && n == REFRESH_LEN) {
		memcpy(a->refresh, v, REFRESH_LEN);
	} else {
		new_refresh_tag(a);
		if (persist(a) != 0)
			goto fail;
	}
	card_info("ARA-M: %zu bytes of rules", a->rules.len);
	return a;
fail:
	aram_close(a);
	return NULL;
}

void aram_close(struct aram *a)
{
	if (!a)
		return;
	aram_rules_free(&a->rules);
	free(a->certs);
	free(a);
}

void aram_session_end(struct aram_session *s)
{
	free(s->all);
	free(s->store);
	memset(s, 0, sizeof(*s));
}

void aram_select(struct apdu_resp *r)
{
	uint8_t fci[2 + 2 + ARAM_AID_LEN] = { 0x6F, 2 + ARAM_AID_LEN,
					      0x84, ARAM_AID_LEN };

	memcpy(fci + 4, aram_aid, ARAM_AID_LEN);
	apdu_put(r, fci, sizeof(fci));
}

/* Up to Ne bytes of the pending FF40 answer (no Le: as much as 256). */
static uint16_t hand_out(struct aram_session *s, const struct apdu *c,
			 struct apdu_resp *r)
{
	size_t want = c->ne ? c->ne : 256, left = s->all_len - s->all_sent;
	size_t n = want < left ? want : left;

	if (!apdu_put(r, s->all + s->all_sent, n))
		return SW_TECHNICAL;
	s->all_sent += n;
	if (s->all_sent == s->all_len) {
		free(s->all);
		s->all = NULL;
	}
	return SW_OK;
}

/* FF40 (the rules) or FF70 (the certificates), handed out with [Next]. */
static uint16_t get_all(struct aram *a, struct aram_session *s,
			const struct apdu *c, struct apdu_resp *r, uint32_t tag)
{
	const uint8_t *src = tag == DO_ALL ? a->rules.buf : a->certs;
	size_t len = tag == DO_ALL ? a->rules.len : a->certs_len;
	size_t hdr = ber_header_size(tag, len);

	free(s->all);
	s->all = NULL;
	if (len == 0)
		return SW_REF_NOT_FOUND;
	s->all = malloc(hdr + len);
	if (!s->all)
		return SW_MEMORY;
	ber_put_header(s->all, tag, len);
	memcpy(s->all + hdr, src, len);
	if (a->corrupt && tag == DO_ALL)
		s->all[hdr] = 0xE4;	/* not a REF-AR-DO */
	s->all_len = hdr + len;
	s->all_sent = 0;
	s->all_gen = a->gen;
	return hand_out(s, c, r);
}

static uint16_t get_next(struct aram *a, struct aram_session *s,
			 const struct apdu *c, struct apdu_resp *r)
{
	if (!s->all)
		return SW_CONDITIONS;
	if (s->all_gen != a->gen) {
		free(s->all);
		s->all = NULL;
		return SW_RULES_CHANGED;
	}
	return hand_out(s, c, r);
}

static uint16_t get_specific(struct aram *a, const struct apdu *c,
			     struct apdu_resp *r)
{
	struct ber_tlv ref;
	const uint8_t *ar;
	size_t ar_len;
	uint8_t hdr[8];

	if (!ber_read(c->data, c->nc, &ref) || ref.size != c->nc ||
	    ref.tag != 0xE1)
		return SW_WRONG_DATA;
	ar = aram_rules_find(&a->rules, c->data, c->nc, &ar_len);
	if (!ar)
		return SW_REF_NOT_FOUND;
	if (!apdu_put(r, hdr, ber_put_header(hdr, DO_SPECIFIC, ar_len)) ||
	    !apdu_put(r, ar, ar_len))
		return SW_TECHNICAL;
	return SW_OK;
}

static uint16_t get_config(const struct apdu *c, struct apdu_resp *r)
{
	/* DF21 { E5 { E6 03 major minor patch } } */
	uint8_t out[] = { 0xDF, 0x21, 0x07, 0xE5, 0x05, 0xE6, 0x03,
			  aram_version[0], aram_version[1], aram_version[2] };
	struct ber_tlv t;

	/* The device may tell its own version (E4); it does not change ours. */
	if (c->nc && (!ber_read(c->data, c->nc, &t) || t.size != c->nc ||
		      t.tag != 0xE4))
		return SW_WRONG_DATA;
	apdu_put(r, out, sizeof(out));
	return SW_OK;
}

static uint16_t get_data(struct aram *a, struct aram_session *s,
			 const struct apdu *c, struct apdu_resp *r)
{
	uint16_t p1p2 = (uint16_t)(c->p1 << 8 | c->p2);

	if (p1p2 != DO_SPECIFIC && p1p2 != DO_CONFIG && c->nc)
		return SW_WRONG_LENGTH;
	if (p1p2 != DO_NEXT) {
		free(s->all);	/* any other GET DATA ends an [All] read */
		s->all = NULL;
	}
	switch (p1p2) {
	case DO_ALL:
	case DO_CERTS:
		return get_all(a, s, c, r, p1p2);
	case DO_NEXT:
		return get_next(a, s, c, r);
	case DO_SPECIFIC:
		return get_specific(a, c, r);
	case DO_REFRESH: {
		uint8_t out[3 + REFRESH_LEN] = { 0xDF, 0x20, REFRESH_LEN };

		memcpy(out + 3, a->refresh, REFRESH_LEN);
		apdu_put(r, out, sizeof(out));
		return SW_OK;
	}
	case DO_CONFIG:
		return get_config(c, r);
	default:
		return SW_REF_NOT_FOUND;
	}
}

static uint16_t apply(struct aram *a, const uint8_t *cmd, size_t len)
{
	struct aram_rules saved = { 0 };
	uint8_t old_tag[REFRESH_LEN];
	uint16_t sw;

	/* Keep a copy so a failed save leaves memory and disk in step. */
	if (a->rules.len) {
		saved.buf = malloc(a->rules.len);
		if (!saved.buf)
			return SW_MEMORY;
		memcpy(saved.buf, a->rules.buf, a->rules.len);
		saved.len = a->rules.len;
	}
	memcpy(old_tag, a->refresh, REFRESH_LEN);
	sw = aram_rules_store(&a->rules, cmd, len);
	if (sw == SW_OK) {
		new_refresh_tag(a);
		if (persist(a) != 0) {
			aram_rules_free(&a->rules);
			a->rules = saved;
			saved.buf = NULL;
			memcpy(a->refresh, old_tag, REFRESH_LEN);
			sw = SW_MEMORY;
		} else {
			a->gen++;
		}
	}
	aram_rules_free(&saved);
	card_info("ARA-M: STORE DATA -> %04X, %zu bytes of rules", sw,
		  a->rules.len);
	return sw;
}

uint16_t aram_add_cert(struct aram *a, const uint8_t *der, size_t len)
{
	struct ber_tlv t;
	uint8_t *n;

	if (!ber_read(der, len, &t) || t.tag != 0x30 || t.size != len)
		return SW_WRONG_DATA;
	if (len > CERTS_MAX - a->certs_len)
		return SW_MEMORY;
	n = realloc(a->certs, a->certs_len + len);
	if (!n)
		return SW_MEMORY;
	memcpy(n + a->certs_len, der, len);
	a->certs = n;
	a->certs_len += len;
	new_refresh_tag(a);
	a->gen++;
	if (persist(a) != 0)
		return SW_MEMORY;
	card_info("ARA-M: certificate of %zu bytes added", len);
	return SW_OK;
}

void aram_set_corrupt(struct aram *a, bool corrupt)
{
	a->corrupt = corrupt;
	new_refresh_tag(a);
	a->gen++;
	card_info("ARA-M: answers %s", corrupt ? "corrupt" : "repaired");
}

void aram_view(const struct aram *a, const uint8_t **rules, size_t *len,
	       const uint8_t **refresh, uint64_t *gen, bool *corrupt)
{
	*rules = a->rules.buf;
	*len = a->rules.len;
	*refresh = a->refresh;
	*gen = a->gen;
	*corrupt = a->corrupt;
}

uint16_t aram_store(struct aram *a, const uint8_t *cmd, size_t len)
{
	return apply(a, cmd, len);
}

static void store_reset(struct aram_session *s)
{
	free(s->store);
	s->store = NULL;
	s->store_len = 0;
	s->next_block = 0;
}

/* Blocks numbered from 00 in P2; the last has P1 b8 set. */
static uint16_t store_data(struct aram *a, struct aram_session *s,
			   const struct apdu *c)
{
	bool last = c->p1 & STORE_LAST_BLOCK;
	uint8_t *buf;
	uint16_t sw;

	if ((c->p1 & ~STORE_LAST_BLOCK) != STORE_BER_TLV ||
	    c->p2 != s->next_block) {
		store_reset(s);
		return SW_WRONG_P1P2;
	}
	if (c->nc == 0) {
		store_reset(s);
		return SW_WRONG_LENGTH;
	}
	if (last && !s->store)		/* the usual case: one block */
		return apply(a, c->data, c->nc);
	if (c->nc > ARAM_STORE_MAX - s->store_len ||
	    !(buf = realloc(s->store, s->store_len + c->nc))) {
		store_reset(s);
		return SW_WRONG_DATA;
	}
	memcpy(buf + s->store_len, c->data, c->nc);
	s->store = buf;
	s->store_len += c->nc;
	s->next_block = (s->next_block + 1) & 0xFF;
	if (!last)
		return SW_OK;
	sw = apply(a, s->store, s->store_len);
	store_reset(s);
	return sw;
}

uint16_t aram_command(struct aram *a, struct aram_session *s,
		      const struct apdu *c, struct apdu_resp *r)
{
	/* GET DATA and STORE DATA are GlobalPlatform commands: CLA 8x. */
	if (c->ins != INS_GET_DATA && c->ins != INS_STORE_DATA)
		return SW_INS_UNSUPPORTED;
	if (!(c->cla & 0x80))
		return SW_CLA_UNSUPPORTED;
	if (c->ins == INS_GET_DATA)
		return get_data(a, s, c, r);
	return store_data(a, s, c);
}
