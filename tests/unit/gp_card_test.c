// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/gp/gp_cmd.c card-sim/gp/gp_registry.c card-sim/gp/gp_card.c card-sim/gp/gp_content.c card-sim/gp/gp_status.c card-sim/state.c card-sim/log.c card-sim/uicc/apdu.c tools/lib/ber.c
// libs: -lmbedcrypto
/*
 * gp_card_test.c - the embedded SE's GlobalPlatform side: the data field
 * parsers (INSTALL, DELETE, GET STATUS, the load file), the registry's
 * stored form, and whole command sequences on a card: GET STATUS bytes
 * in the GP 2.3 TLV format, '63 10' paging, the install round trip, the
 * status words of refused commands, the registry surviving a restart,
 * and 6982 without the test-only clear-text mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gp/gp_int.h"

static const uint8_t pkg[] = { 0xA0, 0, 0, 0, 0xAA, 0, 0, 1 };
static const uint8_t mod[] = { 0xA0, 0, 0, 0, 0xAA, 0, 0, 1, 1 };
static const uint8_t app_aid[] = { 0xA0, 0, 0, 0, 0xAA, 0, 0, 1, 1, 1 };

static uint16_t sw_of(const uint8_t *r, size_t n)
{
	return (uint16_t)(r[n - 2] << 8 | r[n - 1]);
}

/* A load file: C4 { Header (magic, versions, package AID), Applet }. */
static size_t load_file(uint8_t *out, const uint8_t *paid, size_t plen,
			const uint8_t *m, size_t mlen)
{
	uint8_t body[128];
	size_t n = 0, hs = 10 + plen, as = 1 + 1 + mlen + 2;

	body[n++] = 0x01;
	body[n++] = 0;
	body[n++] = (uint8_t)hs;
	memcpy(body + n, "\xDE\xCA\xFF\xED\x01\x02\x00\x01\x00", 9);
	n += 9;
	body[n++] = (uint8_t)plen;
	memcpy(body + n, paid, plen);
	n += plen;
	body[n++] = 0x03;
	body[n++] = 0;
	body[n++] = (uint8_t)as;
	body[n++] = 1;
	body[n++] = (uint8_t)mlen;
	memcpy(body + n, m, mlen);
	n += mlen;
	body[n++] = 0;
	body[n++] = 0x10;
	out[0] = 0xC4;
	out[1] = (uint8_t)n;
	memcpy(out + 2, body, n);
	return n + 2;
}

static void parse_install_forms(void **st)
{
	struct gp_install in;
	/* for load: ELF, empty SD, no hash, no params, no token */
	uint8_t load[] = { 8, 0xA0, 0, 0, 0, 0xAA, 0, 0, 1, 0, 0, 0, 0 };
	uint8_t inst[64];
	size_t n = 0;

	(void)st;
	assert_int_equal(gp_parse_install(0x02, 0x00, load, sizeof(load), &in), 0);
	assert_int_equal(in.elf.len, 8);
	assert_int_equal(in.sd.len, 0);
	assert_int_equal(gp_parse_install(0x02, 0x01, load, sizeof(load), &in),
			 SW_WRONG_P1P2);
	assert_int_equal(gp_parse_install(0x02, 0x00, load, sizeof(load) - 1, &in),
			 SW_WRONG_DATA);
	assert_int_equal(gp_parse_install(0x10, 0x00, load, sizeof(load), &in),
			 SW_WRONG_P1P2);
	inst[n++] = sizeof(pkg);
	memcpy(inst + n, pkg, sizeof(pkg));
	n += sizeof(pkg);
	inst[n++] = sizeof(mod);
	memcpy(inst + n, mod, sizeof(mod));
	n += sizeof(mod);
	inst[n++] = sizeof(app_aid);
	memcpy(inst + n, app_aid, sizeof(app_aid));
	n += sizeof(app_aid);
	memcpy(inst + n, "\x01\x00\x02\xC9\x00\x00", 6);	/* priv, C9, token */
	n += 6;
	assert_int_equal(gp_parse_install(0x0C, 0x00, inst, n, &in), 0);
	assert_int_equal(in.app.len, sizeof(app_aid));
	assert_int_equal(in.priv_len, 1);
	assert_true(in.has_c9);
	/* without C9 in the install parameters: 6A80 */
	inst[n - 3] = 0xCA;
	assert_int_equal(gp_parse_install(0x0C, 0x00, inst, n, &in), SW_WRONG_DATA);
	/* privileges of 2 bytes */
	inst[n - 3] = 0xC9;
	inst[n - 6] = 2;
	assert_int_equal(gp_parse_install(0x0C, 0x00, inst, n, &in), SW_WRONG_DATA);
}

static void parse_delete_status(void **st)
{
	struct gp_delete d;
	struct gp_status_req q;
	uint8_t del[] = { 0x4F, 8, 0xA0, 0, 0, 0, 0xAA, 0, 0, 1 };
	uint8_t all[] = { 0x4F, 0x00 };
	uint8_t withtag[] = { 0x4F, 0x00, 0x5C, 0x01, 0x4F };

	(void)st;
	assert_int_equal(gp_parse_delete(0, 0x80, del, sizeof(del), &d), 0);
	assert_true(d.related);
	assert_int_equal(gp_parse_delete(0, 0x40, del, sizeof(del), &d), SW_WRONG_P1P2);
	assert_int_equal(gp_parse_delete(0, 0, del, 5, &d), SW_WRONG_DATA);
	del[0] = 0x4E;
	assert_int_equal(gp_parse_delete(0, 0, del, sizeof(del), &d), SW_WRONG_DATA);
	assert_int_equal(gp_parse_get_status(0x40, 0x02, all, 2, &q), 0);
	assert_int_equal(q.key_len, 0);
	assert_int_equal(gp_parse_get_status(0x40, 0x03, withtag, 5, &q), 0);
	assert_true(q.next);
	assert_int_equal(gp_parse_get_status(0x40, 0x00, all, 2, &q), SW_WRONG_P1P2);
	assert_int_equal(gp_parse_get_status(0x41, 0x02, all, 2, &q), SW_WRONG_P1P2);
	assert_int_equal(gp_parse_get_status(0x40, 0x02, all, 1, &q), SW_WRONG_DATA);
}

static void parse_load_file(void **st)
{
	struct gp_load_file lf;
	struct gp_aid elf = { sizeof(pkg), { 0 } };
	uint8_t b[256];
	size_t n = load_file(b, pkg, sizeof(pkg), mod, sizeof(mod));

	(void)st;
	memcpy(elf.b, pkg, sizeof(pkg));
	assert_int_equal(gp_parse_load_file(b, n, &elf, &lf), 0);
	assert_int_equal(lf.nmodules, 1);
	assert_memory_equal(lf.modules[0].b, mod, sizeof(mod));
	assert_int_equal(gp_parse_load_file(b, n - 1, &elf, &lf), SW_WRONG_DATA);
	elf.b[7] = 2;	/* the header names another package */
	assert_int_equal(gp_parse_load_file(b, n, &elf, &lf), SW_WRONG_DATA);
	elf.b[7] = 1;
	b[5] = 0xDF;	/* bad magic */
	assert_int_equal(gp_parse_load_file(b, n, &elf, &lf), SW_WRONG_DATA);
}

static void registry_round_trip(void **st)
{
	static struct gp_registry r, back;
	static uint8_t buf[GP_REGISTRY_BYTES];
	size_t n;

	(void)st;
	memset(&r, 0, sizeof(r));
	r.nelf = 1;
	r.elf[0].aid = (struct gp_aid){ 8, { 0xA0, 0, 0, 0, 0xAA, 0, 0, 1 } };
	r.elf[0].size = 99;
	r.elf[0].nmodules = 1;
	r.elf[0].modules[0] = (struct gp_aid){ 5, { 1, 2, 3, 4, 5 } };
	r.napp = 1;
	r.app[0].aid = (struct gp_aid){ 5, { 9, 9, 9, 9, 9 } };
	r.app[0].elf = r.elf[0].aid;
	r.app[0].module = r.elf[0].modules[0];
	r.app[0].life = GP_LC_SELECTABLE;
	n = gp_registry_encode(&r, buf);
	assert_true(gp_registry_decode(buf, n, &back));
	assert_int_equal(back.nelf, 1);
	assert_int_equal(back.elf[0].size, 99);
	assert_true(gp_aid_eq(&back.app[0].module, &r.app[0].module));
	assert_false(gp_registry_decode(buf, n - 1, &back));
	assert_int_equal(back.nelf, 0);
	buf[4] = GP_ELF_MAX + 1;
	assert_false(gp_registry_decode(buf, n, &back));
}

/* ---- whole commands on a card ---- */

static char state_path[64];
static uint8_t resp[APDU_RESP_MAX];

static uint16_t tx(struct gp_card *g, const uint8_t *c, size_t n, size_t *rlen)
{
	size_t r = gp_card_transmit(g, c, n, resp);

	if (rlen)
		*rlen = r;
	return sw_of(resp, r);
}

static uint16_t txh(struct gp_card *g, const char *hex, size_t *rlen)
{
	uint8_t c[300];
	size_t n = 0;

	for (; hex[0] && hex[1]; hex += 2) {
		unsigned int v;

		sscanf(hex, "%2x", &v);
		c[n++] = (uint8_t)v;
	}
	return tx(g, c, n, rlen);
}

static struct card_state *fresh_state(void)
{
	static int seq;

	snprintf(state_path, sizeof(state_path), "/tmp/gp-test.%d.%d", getpid(),
		 ++seq);
	return card_state_open(state_path, true);
}

static void drop_state(void)
{
	char lock[80];

	snprintf(lock, sizeof(lock), "%s.lock", state_path);
	unlink(state_path);
	unlink(lock);
}

static uint16_t install_applet(struct gp_card *g, const uint8_t *paid,
			       const uint8_t *m, const uint8_t *app, size_t alen)
{
	uint8_t c[300], lf[200];
	size_t n = 0, lfn = load_file(lf, paid, 8, m, 9);
	uint16_t sw;

	memcpy(c, "\x80\xE6\x02\x00", 4);
	c[4] = 13;
	c[5] = 8;
	memcpy(c + 6, paid, 8);
	memcpy(c + 14, "\x00\x00\x00\x00", 4);
	if ((sw = tx(g, c, 18, NULL)) != SW_OK)
		return sw;
	/* two LOAD blocks */
	memcpy(c, "\x80\xE8\x00\x00", 4);
	c[4] = 10;
	memcpy(c + 5, lf, 10);
	if ((sw = tx(g, c, 15, NULL)) != SW_OK)
		return sw;
	memcpy(c, "\x80\xE8\x80\x01", 4);
	c[4] = (uint8_t)(lfn - 10);
	memcpy(c + 5, lf + 10, lfn - 10);
	if ((sw = tx(g, c, 5 + lfn - 10, NULL)) != SW_OK)
		return sw;
	memcpy(c, "\x80\xE6\x0C\x00", 4);
	n = 5;
	c[n++] = 8;
	memcpy(c + n, paid, 8);
	n += 8;
	c[n++] = 9;
	memcpy(c + n, m, 9);
	n += 9;
	c[n++] = (uint8_t)alen;
	memcpy(c + n, app, alen);
	n += alen;
	memcpy(c + n, "\x01\x00\x02\xC9\x00\x00", 6);
	n += 6;
	c[4] = (uint8_t)(n - 5);
	return tx(g, c, n, NULL);
}

static void card_status_and_install(void **st)
{
	struct card_state *cs = fresh_state();
	struct gp_card *g = gp_card_new(cs, true);
	size_t n;

	(void)st;
	assert_non_null(g);
	/* the ISD: E3 { 4F AID, 9F70 0F, C5 9E FE 80 } */
	assert_int_equal(txh(g, "80F28002024F00", &n), SW_OK);
	assert_int_equal(n, 23);
	assert_memory_equal(resp, "\xE3\x13\x4F\x08\xA0\x00\x00\x01\x51\x00\x00\x00"
			    "\x9F\x70\x01\x0F\xC5\x03\x9E\xFE\x80", 21);
	assert_int_equal(txh(g, "80F24002024F00", NULL), SW_REF_NOT_FOUND);
	assert_int_equal(install_applet(g, pkg, mod, app_aid, sizeof(app_aid)), SW_OK);
	/* the application: 4F, 9F70 07, C5, C4 its load file, CC the ISD */
	assert_int_equal(txh(g, "80F24002024F00", &n), SW_OK);
	assert_int_equal(resp[0], 0xE3);
	assert_int_equal(resp[1], n - 4);
	assert_memory_equal(resp + 2, "\x4F\x0A", 2);
	assert_memory_equal(resp + 14, "\x9F\x70\x01\x07", 4);
	assert_memory_equal(resp + 23, "\xC4\x08", 2);
	/* load files with their modules */
	assert_int_equal(txh(g, "80F21002024F00", &n), SW_OK);
	assert_memory_equal(resp + n - 13, "\x84\x09", 2);
	/* the applet is selectable on a logical channel and echoes */
	assert_int_equal(txh(g, "0070000001", &n), SW_OK);
	assert_int_equal(resp[0], 1);
	assert_int_equal(txh(g, "01A404000AA0000000AA000001010100", NULL), SW_OK);
	assert_int_equal(txh(g, "8101000003CAFEBA", &n), SW_OK);
	assert_memory_equal(resp, "\xCA\xFE\xBA", 3);
	/* selected: it cannot be deleted; another install of it: 6A80 */
	assert_int_equal(txh(g, "80E400000C4F0AA0000000AA0000010101", NULL),
			 SW_CONDITIONS);
	assert_int_equal(install_applet(g, pkg, mod, app_aid, sizeof(app_aid)),
			 SW_WRONG_DATA);
	assert_int_equal(txh(g, "0070800100", NULL), SW_OK);
	/* the load file with applications: 6985, unless P2 80 */
	assert_int_equal(txh(g, "80E400000A4F08A0000000AA000001", NULL), SW_CONDITIONS);
	assert_int_equal(txh(g, "80E400800A4F08A0000000AA000001", &n), SW_OK);
	assert_int_equal(txh(g, "80F24002024F00", NULL), SW_REF_NOT_FOUND);
	assert_int_equal(txh(g, "80E400000A4F08A0000000AA000001", NULL),
			 SW_REF_NOT_FOUND);
	/* the ISD stays */
	assert_int_equal(txh(g, "80E400000A4F08A000000151000000", NULL), SW_CONDITIONS);
	gp_card_free(g);
	card_state_close(cs);
	drop_state();
}

static void card_refusals(void **st)
{
	struct card_state *cs = fresh_state();
	struct gp_card *g = gp_card_new(cs, true);

	(void)st;
	assert_int_equal(txh(g, "80CA006600", NULL), SW_INS_UNSUPPORTED);
	assert_int_equal(txh(g, "A0F28002024F00", NULL), SW_CLA_UNSUPPORTED);
	assert_int_equal(txh(g, "84F28002024F00", NULL), SW_SECURITY);
	assert_int_equal(txh(g, "8050000008000102030405060700", NULL), SW_REF_NOT_FOUND);
	/* LOAD without INSTALL [for load]; a block out of order */
	assert_int_equal(txh(g, "80E8800001C4", NULL), SW_CONDITIONS);
	assert_int_equal(txh(g, "80E602000D08A0000000AA00000100000000", NULL), SW_OK);
	assert_int_equal(txh(g, "80E8000101C4", NULL), SW_WRONG_P1P2);
	/* INSTALL [for install] from a load file that is not there */
	assert_int_equal(install_applet(g, pkg, mod, app_aid, sizeof(app_aid)), SW_OK);
	assert_int_equal(txh(g, "80E60C002408A0000000AA00000209A0000000AA00000201"
			     "0AA0000000AA0000020101010002C90000", NULL), SW_REF_NOT_FOUND);
	/* SELECT of an AID nobody has; a channel not open */
	assert_int_equal(txh(g, "00A4040005A0000000FF00", NULL), SW_FILE_NOT_FOUND);
	assert_int_equal(txh(g, "03A4040005A0000000FF00", NULL), SW_CHANNEL_UNSUPPORTED);
	gp_card_free(g);
	card_state_close(cs);
	/* the registry survived; without clear text: 6982 */
	cs = card_state_open(state_path, false);
	g = gp_card_new(cs, false);
	assert_int_equal(txh(g, "80F24002024F00", NULL), SW_SECURITY);
	assert_int_equal(txh(g, "00A404000AA0000000AA0000010101", NULL), SW_OK);
	gp_card_free(g);
	card_state_close(cs);
	drop_state();
}

static void card_status_paging(void **st)
{
	struct card_state *cs = fresh_state();
	struct gp_card *g = gp_card_new(cs, true);
	size_t n, total = 0;
	uint16_t sw;

	(void)st;
	for (uint8_t i = 0; i < 8; i++) {
		uint8_t p[8] = { 0xA0, 0, 0, 0, 0xAB, 0, 0, i };
		uint8_t m[9] = { 0xA0, 0, 0, 0, 0xAB, 0, 0, i, 1 };
		uint8_t a[16] = { 0xA0, 0, 0, 0, 0xAB, 0, 0, i, 1, 1, 1, 1, 1, 1, 1, 1 };

		assert_int_equal(install_applet(g, p, m, a, 16), SW_OK);
	}
	/* 8 entries of 2 + 18 + 4 + 5 + 10 + 10 = 49 bytes: 5 fit in 256 */
	sw = txh(g, "80F24002024F00", &n);
	assert_int_equal(sw, 0x6310);
	assert_int_equal(n - 2, 5 * 49);
	total += (n - 2) / 49;
	sw = txh(g, "80F24003024F00", &n);
	assert_int_equal(sw, SW_OK);
	total += (n - 2) / 49;
	assert_int_equal(total, 8);
	/* nothing more to continue */
	assert_int_equal(txh(g, "80F24003024F00", NULL), SW_CONDITIONS);
	/* Le 60: one entry a time */
	assert_int_equal(txh(g, "80F24002024F003C", &n), 0x6310);
	assert_int_equal(n - 2, 49);
	gp_card_free(g);
	card_state_close(cs);
	drop_state();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_install_forms),
		cmocka_unit_test(parse_delete_status),
		cmocka_unit_test(parse_load_file),
		cmocka_unit_test(registry_round_trip),
		cmocka_unit_test(card_status_and_install),
		cmocka_unit_test(card_refusals),
		cmocka_unit_test(card_status_paging),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
