// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/uicc/uicc.c card-sim/uicc/uicc_files.c card-sim/uicc/uicc_pin.c card-sim/uicc/uicc_cat.c card-sim/uicc/apdu.c card-sim/aram/aram.c card-sim/aram/aram_rules.c tools/lib/ber.c card-sim/uicc/fs.c card-sim/uicc/pin.c card-sim/state.c card-sim/log.c card-sim/uicc/baud.c card-sim/arf/arf.c card-sim/arf/arf_files.c card-sim/applet/test_applet.c
// libs: -lmbedcrypto
/*
 * The UICC's APDU layer: ATR, classes and channels, SELECT / STATUS /
 * files / PIN with their status words, GET RESPONSE, the 91xx rule, the
 * ARA-M on a logical channel, the ARF (PKCS#15) application of
 * --access-rules arf, the --fault tooling, and the T=1 timing
 * model.  The proactive engine is a scripted stand-in here (the real one
 * has its own tests); file system, PIN and state are the real ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uicc/apdu.h"
#include "aram/aram.h"
#include "arf/arf.h"
#include "uicc/baud.h"
#include "cat/cat.h"
#include "uicc/fs.h"
#include "uicc/pin.h"
#include "uicc/uicc.h"

/* ---- a scripted proactive engine ---- */
struct cat {
	uint8_t cmd[CAT_CMD_MAX];
	size_t len;
	bool fetched;
	int resets, profiles;
	uint16_t envelope_sw;
};

/* SET UP EVENT LIST: Data available, Channel status. */
static const uint8_t event_list[] = { 0xD0, 0x0D, 0x81, 0x03, 0x01, 0x05, 0x00,
				      0x82, 0x02, 0x81, 0x82, 0x99, 0x02, 0x09,
				      0x0A };

void cat_reset(struct cat *c)
{
	c->resets++;
	c->len = 0;
}

void cat_terminal_profile(struct cat *c, const uint8_t *tp, size_t len)
{
	(void)tp;
	(void)len;
	c->profiles++;
	memcpy(c->cmd, event_list, sizeof(event_list));
	c->len = sizeof(event_list);
	c->fetched = false;
}

/* Like the real engine: fetched once, no longer pending, but a second
 * FETCH gets it again until the TERMINAL RESPONSE. */
size_t cat_pending(const struct cat *c)
{
	return c->fetched ? 0 : c->len;
}

size_t cat_fetch(struct cat *c, uint8_t *out, size_t cap)
{
	if (!c->len || cap < c->len)
		return 0;
	memcpy(out, c->cmd, c->len);
	c->fetched = true;
	return c->len;
}

uint16_t cat_terminal_response(struct cat *c, const uint8_t *tr, size_t len)
{
	(void)tr;
	(void)len;
	if (!c->len)
		return CAT_SW_ERROR;
	c->len = 0;
	return CAT_SW_OK;
}

/* STATUS lets the engine look for work again; the stub has none. */
void cat_poll(struct cat *c)
{
	(void)c;
}

uint16_t cat_envelope(struct cat *c, const uint8_t *env, size_t len)
{
	(void)env;
	(void)len;
	return c->envelope_sw;
}

uint16_t cat_envelope_data(struct cat *c, const uint8_t *env, size_t len,
			   uint8_t *resp, size_t cap, size_t *resp_len)
{
	(void)resp;
	(void)cap;
	*resp_len = 0;
	return cat_envelope(c, env, len);
}

/* ---- fixture ---- */
struct fx {
	char dir[64], path[96];
	struct card_state *st;
	struct card_fs *fs;
	struct card_pin *pin;
	struct aram *aram;
	struct arf *arf;
	bool arf_only;		/* --access-rules arf */
	struct cat cat;
	struct uicc *u;
	uint8_t resp[APDU_RESP_MAX];
	size_t len;
};

static void start(struct fx *f, unsigned int faults)
{
	struct uicc_parts p;

	f->st = card_state_open(f->path, false);
	assert_non_null(f->st);
	f->fs = card_fs_open(f->st);
	f->pin = card_pin_open(f->st);
	f->aram = aram_open(f->st);
	assert_non_null(f->fs);
	assert_non_null(f->pin);
	assert_non_null(f->aram);
	memset(&f->cat, 0, sizeof(f->cat));
	f->cat.envelope_sw = 0x9000;
	p = (struct uicc_parts){ .fs = f->fs, .pin = f->pin, .cat = &f->cat,
				 .aram = f->aram, .faults = faults };
	if (f->arf_only) {
		f->arf = arf_open(f->aram);
		assert_non_null(f->arf);
		p.arf = f->arf;
		p.no_aram = true;
	}
	f->u = uicc_new(&p);
	assert_non_null(f->u);
}

static void stop(struct fx *f)
{
	uicc_free(f->u);
	arf_close(f->arf);
	f->arf = NULL;
	aram_close(f->aram);
	card_pin_close(f->pin);
	card_fs_close(f->fs);
	card_state_close(f->st);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/uicc_test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/s", f->dir);
	start(f, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[128];

	stop(f);
	unlink(f->path);
	snprintf(p, sizeof(p), "%s.lock", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned int b;

	while (*hex) {
		if (*hex == ' ') {
			hex++;
			continue;
		}
		assert_true(sscanf(hex, "%2x", &b) == 1);
		assert_true(n < cap);
		out[n++] = (uint8_t)b;
		hex += 2;
	}
	return n;
}

/* Sends an APDU; returns the SW, leaves the data in f->resp / f->len. */
static uint16_t tx(struct fx *f, const char *hex)
{
	uint8_t c[600];
	size_t n = unhex(hex, c, sizeof(c)), r;

	r = uicc_transmit(f->u, c, n, f->resp);
	assert_true(r >= 2);
	f->len = r - 2;
	return (uint16_t)(f->resp[r - 2] << 8 | f->resp[r - 1]);
}

static void expect_data(struct fx *f, const char *hex)
{
	uint8_t want[300];
	size_t n = unhex(hex, want, sizeof(want));

	assert_int_equal(f->len, n);
	assert_memory_equal(f->resp, want, n);
}

/* ---- tests ---- */

static void test_atr_is_well_formed(void **state)
{
	const uint8_t *atr;
	size_t n = uicc_atr(&atr);
	uint8_t x = 0;

	(void)state;
	assert_int_equal(atr[0], 0x3B);
	assert_int_equal(n, 4 + 5 + 15 + 1);	/* TS T0 TA1 TD1, TD2..TA4, K, TCK */
	assert_int_equal(atr[1] & 0x0F, 15);
	for (size_t i = 1; i < n; i++)
		x ^= atr[i];
	assert_int_equal(x, 0);			/* TCK */
	assert_int_equal(atr[3] & 0x0F, 0);	/* T=0 first */
	assert_int_equal(atr[4] & 0x0F, 1);	/* then T=1 */
}

static void test_malformed_apdus(void **state)
{
	struct fx *f = *state;
	uint8_t c[3] = { 0x00, 0xA4, 0x00 };

	assert_int_equal(uicc_transmit(f->u, c, 3, f->resp), 2);
	assert_memory_equal(f->resp, "\x67\x00", 2);
	assert_int_equal(tx(f, "00 A4 00 04 02 3F"), 0x6700);	/* Lc 2, 1 byte */
	assert_int_equal(tx(f, "00 A4 00 04 02 3F 00 00 00"), 0x6700);
	assert_int_equal(tx(f, "00 A4 00 04 00 00 00 3F"), 0x6700); /* ext Lc 0 */
	assert_int_equal(tx(f, "00 A4 00 04 00 00 02 3F"), 0x6700); /* ext cut */
	assert_int_equal(tx(f, "00 A4 00 04 00 00"), 0x6700);
}

static void test_classes_and_instructions(void **state)
{
	struct fx *f = *state;

	assert_int_equal(tx(f, "A0 A4 00 00 02 3F 00"), 0x6E00);	/* GSM */
	assert_int_equal(tx(f, "80 A4 00 04 02 3F 00"), 0x6E00);	/* SELECT is ISO */
	assert_int_equal(tx(f, "00 F2 00 00 00"), 0x6E00);		/* STATUS is 8X */
	assert_int_equal(tx(f, "00 12 00 00 10"), 0x6E00);		/* FETCH is 8X */
	assert_int_equal(tx(f, "10 A4 00 04 02 3F 00"), 0x6884);	/* chaining */
	assert_int_equal(tx(f, "0C A4 00 04 02 3F 00"), 0x6882);	/* SM */
	assert_int_equal(tx(f, "01 A4 00 04 02 3F 00"), 0x6881);	/* closed */
	assert_int_equal(tx(f, "40 A4 00 04 02 3F 00"), 0x6881);	/* channel 4 */
	assert_int_equal(tx(f, "00 50 00 00"), 0x6D00);
	assert_int_equal(tx(f, "80 CA FF 40 00"), 0x6D00);	/* no ARA-M here */
	assert_int_equal(tx(f, "FF A4 00 00"), 0x6E00);
}

#define MF_FCP "62 18 82 02 78 21 83 02 3F 00 8A 01 05 8B 03 2F 06 01 C6 06 90 01 80 83 01 01"

static void test_select_and_get_response(void **state)
{
	struct fx *f = *state;

	/* Case 4: the FCP at once. */
	assert_int_equal(tx(f, "00 A4 00 04 02 3F 00 00"), 0x9000);
	expect_data(f, MF_FCP);
	/* Extended case 4 too. */
	assert_int_equal(tx(f, "00 A4 00 04 00 00 02 3F 00 00 00"), 0x9000);
	expect_data(f, MF_FCP);
	/* Case 3 (T=0 style): 61xx, then GET RESPONSE in pieces. */
	assert_int_equal(tx(f, "00 A4 00 04 02 3F 00"), 0x611A);
	assert_int_equal(f->len, 0);
	assert_int_equal(tx(f, "00 C0 00 00 10"), 0x610A);
	assert_int_equal(f->len, 0x10);
	assert_memory_equal(f->resp, "\x62\x18\x82\x02", 4);
	assert_int_equal(tx(f, "00 C0 00 00 0A"), 0x9000);
	assert_int_equal(f->len, 0x0A);
	assert_int_equal(tx(f, "00 C0 00 00 00"), 0x6985);	/* nothing left */
	/* Another command in between drops the waiting data. */
	assert_int_equal(tx(f, "00 A4 00 04 02 3F 00"), 0x611A);
	assert_int_equal(tx(f, "80 F2 00 0C 00"), 0x9000);
	assert_int_equal(tx(f, "00 C0 00 00 1A"), 0x6985);
	/* Le too short for fixed data: 6Cxx with the right length. */
	assert_int_equal(tx(f, "00 A4 00 04 02 3F 00 05"), 0x6C1A);
	/* No data asked for. */
	assert_int_equal(tx(f, "00 A4 00 0C 02 7F 10"), 0x9000);
	assert_int_equal(f->len, 0);
}

static void test_select_errors_and_paths(void **state)
{
	struct fx *f = *state;

	assert_int_equal(tx(f, "00 A4 08 04 04 7F 10 6F 3A 00"), 0x9000);
	assert_memory_equal(f->resp + 2, "\x82\x05\x42\x21\x00\x1E\x0A", 7);
	assert_int_equal(tx(f, "00 A4 08 04 06 3F 00 7F 10 6F 3A 00"), 0x9000);
	assert_int_equal(tx(f, "00 A4 09 0C 02 6F 40"), 0x9000);	/* from 7F10 */
	assert_int_equal(tx(f, "00 A4 00 04 02 12 34 00"), 0x6A82);
	assert_int_equal(tx(f, "00 A4 08 04 03 7F 10 6F 00"), 0x6700);
	assert_int_equal(tx(f, "00 A4 00 04 03 3F 00 00 00"), 0x6700);
	assert_int_equal(tx(f, "00 A4 02 04 02 3F 00 00"), 0x6A86);
	assert_int_equal(tx(f, "00 A4 00 08 02 3F 00 00"), 0x6A86);
	assert_int_equal(tx(f, "00 A4 04 04 05 A0 00 00 00 01 00"), 0x6A82);
	/* The USIM ADF by partial AID; STATUS then names it. */
	assert_int_equal(tx(f, "00 A4 04 04 07 A0 00 00 00 87 10 02 00"), 0x9000);
	assert_int_equal(tx(f, "80 F2 00 01 00"), 0x9000);
	assert_int_equal(f->resp[0], 0x84);
	assert_int_equal(f->resp[1], 16);
	assert_int_equal(tx(f, "80 F2 00 00 00"), 0x9000);
	assert_int_equal(f->resp[0], 0x62);
	assert_int_equal(tx(f, "80 F2 03 00 00"), 0x6A86);
	assert_int_equal(tx(f, "80 F2 00 05 00"), 0x6A86);
	/* A file of the ADF by FID. */
	assert_int_equal(tx(f, "00 A4 00 04 02 6F AD 00"), 0x9000);
}

static void test_binary(void **state)
{
	struct fx *f = *state;

	assert_int_equal(tx(f, "00 B0 00 00 0A"), 0x6986);	/* no EF yet */
	assert_int_equal(tx(f, "00 A4 00 0C 02 2F E2"), 0x9000);
	assert_int_equal(tx(f, "00 B0 00 00 0A"), 0x9000);
	expect_data(f, "98 94 00 00 00 00 21 43 65 87");
	assert_int_equal(tx(f, "00 B0 00 00 00"), 0x9000);	/* to the end */
	assert_int_equal(f->len, 10);
	assert_int_equal(tx(f, "00 B0 00 08 05"), 0x6282);	/* 2 of 5 */
	expect_data(f, "65 87");
	assert_int_equal(tx(f, "00 B0 00 0A 01"), 0x6B00);
	assert_int_equal(tx(f, "00 B0 00 00"), 0x6700);		/* no Le */
	assert_int_equal(tx(f, "00 B0 82 00 01"), 0x6A82);	/* by SFI */
	assert_int_equal(tx(f, "00 B2 01 04 0A"), 0x6981);
	assert_int_equal(tx(f, "00 D6 00 00 01 00"), 0x6982);	/* ADM */
}

static void test_pin_and_records(void **state)
{
	struct fx *f = *state;
	char upd[200];

	assert_int_equal(tx(f, "00 A4 08 0C 04 7F 10 6F 3A"), 0x9000);
	assert_int_equal(tx(f, "00 B2 01 04 1E"), 0x6982);
	assert_int_equal(tx(f, "00 20 00 01"), 0x63C3);
	assert_int_equal(tx(f, "00 20 00 01 08 31 32 33 34 FF FF FF FF"), 0x63C2);
	assert_int_equal(tx(f, "00 20 00 01 08 31 32 FF FF FF FF FF FF"), 0x6A80);
	assert_int_equal(tx(f, "00 20 00 01"), 0x63C2);	/* malformed: not counted */
	assert_int_equal(tx(f, "00 20 00 02 08 30 30 30 30 FF FF FF FF"), 0x6A88);
	assert_int_equal(tx(f, "00 20 00 01 04 30 30 30 30"), 0x6700);
	assert_int_equal(tx(f, "00 20 00 01 08 30 30 30 30 FF FF FF FF"), 0x9000);
	assert_int_equal(tx(f, "00 20 00 01"), 0x9000);
	/* Records: absolute, next, previous, bounds, sizes. */
	assert_int_equal(tx(f, "00 B2 01 04 1E"), 0x9000);
	assert_memory_equal(f->resp, "Customer Care", 13);
	assert_int_equal(tx(f, "00 B2 00 02 1E"), 0x9000);	/* next: 2 */
	assert_memory_equal(f->resp, "Voicemail", 9);
	assert_int_equal(tx(f, "00 B2 00 03 1E"), 0x9000);	/* previous: 1 */
	assert_memory_equal(f->resp, "Customer", 8);
	assert_int_equal(tx(f, "00 B2 0B 04 1E"), 0x6A83);
	assert_int_equal(tx(f, "00 B2 01 04 10"), 0x6C1E);
	assert_int_equal(tx(f, "00 B2 01 05 1E"), 0x6A86);
	snprintf(upd, sizeof(upd), "00 DC 0A 04 1E %s",
		 "41 42 FF FF FF FF FF FF FF FF FF FF FF FF FF FF "
		 "03 81 21 F3 FF FF FF FF FF FF FF FF FF FF");
	assert_int_equal(tx(f, upd), 0x9000);
	assert_int_equal(tx(f, "00 B2 0A 04 1E"), 0x9000);
	assert_memory_equal(f->resp, "AB", 2);
	assert_int_equal(tx(f, "00 DC 0A 04 02 41 42"), 0x6700);
	/* The PIN status ends with a reset. */
	uicc_reset(f->u);
	assert_int_equal(tx(f, "00 A4 08 0C 04 7F 10 6F 3A"), 0x9000);
	assert_int_equal(tx(f, "00 B2 01 04 1E"), 0x6982);
}

static void test_pin_block_and_unblock(void **state)
{
	struct fx *f = *state;

	for (int i = 2; i >= 0; i--) {
		uint16_t sw = tx(f, "00 20 00 01 08 39 39 39 39 FF FF FF FF");

		assert_int_equal(sw, i ? 0x63C0 | i : 0x6983);
	}
	assert_int_equal(tx(f, "00 20 00 01 08 30 30 30 30 FF FF FF FF"), 0x6983);
	assert_int_equal(tx(f, "00 20 00 01"), 0x6983);
	assert_int_equal(tx(f, "00 2C 00 01"), 0x63C0 | 10);
	assert_int_equal(tx(f, "00 2C 00 01 10 30 30 30 30 30 30 30 30 31 32 33 34 FF FF FF FF"),
			 0x63C9);
	assert_int_equal(tx(f, "00 2C 00 01 10 31 32 33 34 35 36 37 38 31 32 33 34 FF FF FF FF"),
			 0x9000);
	assert_int_equal(tx(f, "00 20 00 01"), 0x9000);		/* verified */
	uicc_reset(f->u);
	assert_int_equal(tx(f, "00 20 00 01 08 31 32 33 34 FF FF FF FF"), 0x9000);
	/* CHANGE PIN, then the new one counts. */
	assert_int_equal(tx(f, "00 24 00 01 10 31 32 33 34 FF FF FF FF 35 35 35 35 35 FF FF FF"),
			 0x9000);
	assert_int_equal(tx(f, "00 20 00 01 08 31 32 33 34 FF FF FF FF"), 0x63C2);
	assert_int_equal(tx(f, "00 20 00 01 08 35 35 35 35 35 FF FF FF"), 0x9000);
	assert_int_equal(tx(f, "00 28 00 01 08 35 35 35 35 35 FF FF FF"), 0x6A81);
}

static void test_manage_channel(void **state)
{
	struct fx *f = *state;

	assert_int_equal(tx(f, "00 70 00 00 01"), 0x9000);
	expect_data(f, "01");
	assert_int_equal(tx(f, "00 70 00 00 01"), 0x9000);
	expect_data(f, "02");
	assert_int_equal(tx(f, "00 70 00 03"), 0x9000);		/* by number */
	assert_int_equal(tx(f, "00 70 00 00 01"), 0x6A81);	/* all taken */
	assert_int_equal(tx(f, "00 70 00 02"), 0x6985);
	assert_int_equal(tx(f, "00 70 80 02"), 0x9000);
	assert_int_equal(tx(f, "02 A4 00 0C 02 3F 00"), 0x6881);
	assert_int_equal(tx(f, "00 70 00 00 01"), 0x9000);
	expect_data(f, "02");
	assert_int_equal(tx(f, "03 70 80 00"), 0x9000);		/* closes itself */
	assert_int_equal(tx(f, "03 A4 00 0C 02 3F 00"), 0x6881);
	assert_int_equal(tx(f, "00 70 80 00"), 0x6A86);		/* basic stays */
	assert_int_equal(tx(f, "00 70 80 05"), 0x6881);
	assert_int_equal(tx(f, "00 70 40 00"), 0x6A86);
	/* A channel opened from another inherits its selection. */
	assert_int_equal(tx(f, "01 A4 00 0C 02 7F 10"), 0x9000);
	assert_int_equal(tx(f, "01 70 00 03"), 0x9000);
	assert_int_equal(tx(f, "83 F2 00 00 00"), 0x9000);
	assert_memory_equal(f->resp + 8, "\x7F\x10", 2);
	/* Reset closes them all. */
	uicc_reset(f->u);
	assert_int_equal(tx(f, "01 A4 00 0C 02 3F 00"), 0x6881);
}

#define RULE "E2 1F E1 18 4F 00 C1 14 1111111111111111111111111111111111111111 E3 03 D0 01 01"

static void test_aram_on_a_logical_channel(void **state)
{
	struct fx *f = *state;

	assert_int_equal(tx(f, "00 70 00 00 01"), 0x9000);
	assert_int_equal(tx(f, "01 A4 04 00 09 A0 00 00 01 51 41 43 4C 00 00"), 0x9000);
	expect_data(f, "6F 0B 84 09 A0 00 00 01 51 41 43 4C 00");
	assert_int_equal(tx(f, "81 CA FF 40 00"), 0x6A88);
	assert_int_equal(tx(f, "81 E2 90 00 23 F0 21 " RULE), 0x9000);
	assert_int_equal(tx(f, "81 CA FF 40 00"), 0x9000);
	expect_data(f, "FF 40 21 " RULE);
	/* Without Le: 61xx and GET RESPONSE, as any case 3 answer. */
	assert_int_equal(tx(f, "81 CA FF 40"), 0x6124);
	assert_int_equal(tx(f, "01 C0 00 00 24"), 0x9000);
	expect_data(f, "FF 40 21 " RULE);
	assert_int_equal(tx(f, "01 B0 00 00 01"), 0x6D00);	/* the applet's */
	assert_int_equal(tx(f, "81 F2 00 01 00"), 0x9000);
	expect_data(f, "84 09 A0 00 00 01 51 41 43 4C 00");
	/* The basic channel still has the file system. */
	assert_int_equal(tx(f, "00 A4 00 0C 02 2F E2"), 0x9000);
	assert_int_equal(tx(f, "00 B0 00 00 02"), 0x9000);
	/* Truncated STORE DATA: the TLV claims more than Lc brought. */
	assert_int_equal(tx(f, "81 E2 90 00 05 F0 21 E2 1F E1"), 0x6A80);
	/* Rules persist in the state. */
	assert_int_equal(tx(f, "01 70 80 00"), 0x9000);
	stop(f);
	start(f, 0);
	assert_int_equal(tx(f, "00 A4 04 0C 09 A0 00 00 01 51 41 43 4C 00"), 0x9000);
	assert_int_equal(tx(f, "80 CA FF 40 00"), 0x9000);
	expect_data(f, "FF 40 21 " RULE);
	/* Selecting a file leaves the applet. */
	assert_int_equal(tx(f, "00 A4 00 0C 02 3F 00"), 0x9000);
	assert_int_equal(tx(f, "80 CA FF 40 00"), 0x6D00);
}

/* --access-rules arf: no ARA-M, a PKCS#15 application whose files follow
 * the ARA-M's rules (a STORE DATA changes ACMain's refresh tag). */
static void test_arf_application(void **state)
{
	struct fx *f = *state;
	uint8_t tag1[8];

	stop(f);
	f->arf_only = true;
	start(f, 0);
	assert_int_equal(tx(f, "00 70 00 00 01"), 0x9000);
	assert_int_equal(tx(f, "01 A4 04 00 09 A0 00 00 01 51 41 43 4C 00 00"),
			 0x6A82);
	assert_int_equal(tx(f, "01 A4 04 04 0C A0 00 00 00 63 50 4B 43 53 2D 31"
			     " 35 00"), 0x9000);
	expect_data(f, "62 11 82 01 78 84 0C A0 00 00 00 63 50 4B 43 53 2D 31 35");
	assert_int_equal(tx(f, "01 A4 00 04 02 50 31 00"), 0x9000);
	expect_data(f, "62 0C 82 02 41 21 83 02 50 31 80 02 00 20");
	assert_int_equal(tx(f, "01 B0 00 00 08"), 0x9000);
	expect_data(f, "A7 06 30 04 04 02 52 07");
	assert_int_equal(tx(f, "01 B0 00 1E 00"), 0x9000);	/* to the end */
	expect_data(f, "FF FF");
	assert_int_equal(tx(f, "01 B0 00 1E 04"), 0x6282);
	assert_int_equal(tx(f, "01 B0 00 21 01"), 0x6B00);
	assert_int_equal(tx(f, "01 B0 81 00 01"), 0x6A82);	/* no SFI */
	assert_int_equal(tx(f, "01 A4 00 04 02 43 10 00"), 0x6A82);
	assert_int_equal(tx(f, "01 A4 00 0C 02 42 00"), 0x9000);
	assert_int_equal(tx(f, "01 B0 00 00 12"), 0x9000);
	assert_int_equal(f->len, 18);
	memcpy(tag1, f->resp + 4, 8);
	/* a rule for every SE application: one ACConditions file */
	assert_int_equal(aram_store(f->aram, (const uint8_t *)
		"\xF0\x0D\xE2\x0B\xE1\x04\x4F\x00\xC1\x00"
		"\xE3\x03\xD0\x01\x01", 15), 0x9000);
	assert_int_equal(tx(f, "01 B0 00 00 12"), 0x9000);
	assert_memory_not_equal(f->resp + 4, tag1, 8);
	assert_int_equal(tx(f, "01 A4 00 0C 02 43 00"), 0x9000);
	assert_int_equal(tx(f, "01 B0 00 00 0A"), 0x9000);
	expect_data(f, "30 08 82 00 30 04 04 02 43 10");
	assert_int_equal(tx(f, "01 A4 00 0C 02 43 10"), 0x9000);
	assert_int_equal(tx(f, "01 B0 00 00 07"), 0x9000);
	expect_data(f, "30 07 A0 05 A0 03 80");
	/* a file selection by path leaves the application */
	assert_int_equal(tx(f, "01 A4 08 0C 02 2F E2"), 0x9000);
	assert_int_equal(tx(f, "01 B0 00 00 02"), 0x9000);
	assert_int_equal(tx(f, "01 A4 00 0C 02 50 31"), 0x6A82);
	/* the basic channel never saw it */
	assert_int_equal(tx(f, "00 A4 00 0C 02 50 31"), 0x6A82);
}

/* TEST TOOLING applet for the APDU access tests: echo and a counter. */
static void test_test_applet(void **state)
{
	struct fx *f = *state;
	uint8_t before[4];

	assert_int_equal(tx(f, "00 70 00 00 01"), 0x9000);
	assert_int_equal(tx(f, "02 A4 04 00 09 F0 53 43 57 53 54 45 53 54 00"),
			 0x6881);		/* channel 2 is not open */
	assert_int_equal(tx(f, "01 A4 04 00 09 F0 53 43 57 53 54 45 53 54 00"),
			 0x9000);
	expect_data(f, "6F 0B 84 09 F0 53 43 57 53 54 45 53 54");
	assert_int_equal(tx(f, "81 01 00 00 03 CA FE 01 00"), 0x9000);
	expect_data(f, "CA FE 01");
	assert_int_equal(tx(f, "81 03 00 00 04"), 0x9000);
	memcpy(before, f->resp, 4);
	assert_int_equal(tx(f, "81 02 00 00 04"), 0x9000);
	assert_int_equal(f->resp[3], (uint8_t)(before[3] + 1));
	assert_int_equal(tx(f, "01 01 00 00 01 AA"), 0x6E00);	/* ISO class */
	assert_int_equal(tx(f, "81 05 00 00"), 0x6D00);
	assert_int_equal(tx(f, "81 01 01 00 01 AA"), 0x6A86);
	assert_int_equal(tx(f, "81 01 00 00 00"), 0x6700);	/* no data */
	/* The toolkit's commands stay the runtime's on any channel. */
	assert_int_equal(tx(f, "81 F2 00 0C"), 0x9000);
	assert_int_equal(tx(f, "01 70 80 00"), 0x9000);
}

static void test_toolkit_and_91xx(void **state)
{
	struct fx *f = *state;

	assert_int_equal(tx(f, "80 F2 00 0C 00"), 0x9000);
	assert_int_equal(tx(f, "80 12 00 00 0F"), 0x6985);	/* nothing */
	assert_int_equal(tx(f, "80 10 00 00"), 0x6700);
	assert_int_equal(tx(f, "80 10 01 00 01 FF"), 0x6A86);
	assert_int_equal(tx(f, "80 10 00 00 03 FF FF FF"), 0x910F);
	assert_int_equal(f->cat.profiles, 1);
	/* Any command ending normally says 91xx while the command waits. */
	assert_int_equal(tx(f, "80 F2 00 0C 00"), 0x910F);
	assert_int_equal(tx(f, "00 A4 00 04 02 3F 00 00"), 0x910F);
	assert_int_equal(tx(f, "00 A4 00 04 02 12 34 00"), 0x6A82); /* errors stay */
	assert_int_equal(tx(f, "80 12 00 00 05"), 0x6C0F);
	assert_int_equal(tx(f, "80 12 00 00"), 0x6700);
	assert_int_equal(tx(f, "80 12 00 00 0F"), 0x9000);
	assert_memory_equal(f->resp, event_list, sizeof(event_list));
	assert_int_equal(tx(f, "80 14 00 00 0C 81 03 01 05 00 82 02 82 81 83 01 00"),
			 0x9000);
	assert_int_equal(tx(f, "80 14 00 00 0C 81 03 01 05 00 82 02 82 81 83 01 00"),
			 0x6F00);
	f->cat.envelope_sw = 0x9300;
	assert_int_equal(tx(f, "80 C2 00 00 03 D6 01 00"), 0x9300);
	f->cat.envelope_sw = 0x9000;
	assert_int_equal(tx(f, "80 C2 00 00"), 0x6700);
	/* A reset ends the toolkit session. */
	uicc_reset(f->u);
	assert_true(f->cat.resets >= 2);
}

static void test_fault_bad_tlv(void **state)
{
	struct fx *f = *state;

	stop(f);
	start(f, UICC_FAULT_BAD_TLV);
	assert_int_equal(tx(f, "80 10 00 00 01 FF"), 0x910F);
	assert_int_equal(tx(f, "80 12 00 00 0F"), 0x9000);
	assert_int_equal(f->len, sizeof(event_list));
	assert_memory_not_equal(f->resp, event_list, sizeof(event_list));
	assert_int_equal(tx(f, "80 12 00 00 0F"), 0x9000);	/* again: intact */
	assert_memory_equal(f->resp, event_list, sizeof(event_list));
}

static void test_fault_bad_length_and_busy(void **state)
{
	struct fx *f = *state;

	stop(f);
	start(f, UICC_FAULT_BAD_LENGTH | UICC_FAULT_BUSY);
	assert_int_equal(tx(f, "80 10 00 00 01 FF"), 0x9111);	/* 2 too many */
	assert_int_equal(tx(f, "80 12 00 00 11"), 0x9000);
	assert_int_equal(f->len, sizeof(event_list));		/* short of Le */
	assert_int_equal(tx(f, "80 12 00 00 0F"), 0x9000);
	assert_int_equal(f->len, sizeof(event_list) + 3);	/* past Le */
	assert_int_equal(tx(f, "80 C2 00 00 03 D6 01 00"), 0x9300);
	assert_int_equal(tx(f, "80 C2 00 00 03 D6 01 00"), 0x9000);
	assert_int_equal(tx(f, "80 C2 00 00 03 D6 01 00"), 0x9300);
}

static void test_t1_timing_model(void **state)
{
	(void)state;
	/* STATUS: 5 + 2 bytes, one block each way: (9 + 6) chars * 11 ETU +
	 * 2 turnarounds * 11 ETU = 187 ETU; at 9600 bit/s 19.479 ms. */
	assert_int_equal(t1_exchange_ns(5, 2, 9600), 187ull * 1000000000 / 9600);
	/* 260-byte command: two blocks and one R-block in between. */
	assert_int_equal(t1_exchange_ns(260, 2, 1000000),
			 ((260 + 8 + 4 + 2 + 4) * 11 + 4 * 11) * 1000ull);
	assert_int_equal(t1_exchange_ns(5, 2, 0), 0);
}

/* The card's own processing falls inside the wire time: the reply
 * leaves when the wire is done with the exchange counted from the
 * command's arrival, not a wire time after the work (which let every
 * slow step of the simulator add to the emulated link). */
static void test_t1_pacing_hides_processing(void **state)
{
	const uint64_t wire = t1_exchange_ns(5, 2, 1200);	/* 155.8 ms */
	uint64_t t0, took;

	(void)state;
	/* work that took longer than the wire: no wait at all */
	t0 = t1_clock_ns();
	t1_pace(t0 - 2 * wire, 5, 2, 1200);
	took = t1_clock_ns() - t0;
	assert_true(took < wire / 2);
	/* no work: the whole wire time */
	t0 = t1_clock_ns();
	t1_pace(t0, 5, 2, 1200);
	took = t1_clock_ns() - t0;
	assert_true(took >= wire);
	/* no link emulation: no wait */
	t0 = t1_clock_ns();
	t1_pace(t0, 5, 2, 0);
	assert_true(t1_clock_ns() - t0 < wire / 2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atr_is_well_formed),
		T(test_malformed_apdus),
		T(test_classes_and_instructions),
		T(test_select_and_get_response),
		T(test_select_errors_and_paths),
		T(test_binary),
		T(test_pin_and_records),
		T(test_pin_block_and_unblock),
		T(test_manage_channel),
		T(test_aram_on_a_logical_channel),
		T(test_arf_application),
		T(test_test_applet),
		T(test_toolkit_and_91xx),
		T(test_fault_bad_tlv),
		T(test_fault_bad_length_and_busy),
		cmocka_unit_test(test_t1_timing_model),
		cmocka_unit_test(test_t1_pacing_hides_processing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
