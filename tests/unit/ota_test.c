// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/ota/ota.c card-sim/ota/ota_secure.c card-sim/ota/secured_packet.c card-sim/ota/sms_deliver.c card-sim/ota/sms_concat.c card-sim/ota/keysets.c card-sim/ota/ram.c card-sim/ota/trigger_tlv.c card-sim/ota/ota_crypto.c card-sim/state.c card-sim/log.c tools/lib/cat-tlv.c tools/lib/ber.c
// libs: -lmbedcrypto
/*
 * The OTA layer's parsers and rules: SMS-DELIVER and its header, the
 * command packet's lengths, the counter modes, the Amd B '81' trigger,
 * the remote administration command string, and whole ENVELOPEs against
 * a real state file (replay, wrong checksum, state untouched).  The
 * admin agent is a stub that records what it was handed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "card.h"
#include "admin/trigger.h"
#include "ota/keysets.h"
#include "ota/ota.h"
#include "ota/ota_crypto.h"
#include "ota/ram.h"
#include "ota/secured_packet.h"
#include "ota/sms_concat.h"
#include "ota/sms_deliver.h"
#include "ota/trigger_tlv.h"

static struct admin_trigger last;
static int calls, agent_rc = -ENOTSUP;

int admin_agent_trigger(struct admin_agent *a, const struct admin_trigger *t)
{
	(void)a;
	last = *t;
	calls++;
	return agent_rc;
}

static int record(void *arg, const struct admin_trigger *t)
{
	return admin_agent_trigger(arg, t);
}

/* ---- SMS-DELIVER ---- */

/* 40 | OA 4 digits | PID 7F | DCS F6 | SCTS | UDL 5 | 02 70 00 AA BB */
static const uint8_t good_tpdu[] = {
	0x40, 0x04, 0x81, 0x21, 0x43, 0x7F, 0xF6,
	0x62, 0x21, 0x30, 0x01, 0x00, 0x00, 0x00,
	0x05, 0x02, 0x70, 0x00, 0xAA, 0xBB,
};

static void sms_good(void **state)
{
	struct sms_deliver d;

	(void)state;
	assert_int_equal(sms_deliver_parse(good_tpdu, sizeof(good_tpdu), &d), 0);
	assert_true(d.udhi);
	assert_int_equal(d.pid, 0x7F);
	assert_int_equal(d.oa_len, 2);
	assert_int_equal(d.body_len, 2);
	assert_int_equal(d.body[0], 0xAA);
	assert_true(sms_udh_has_command_packet(d.udh, d.udh_len));
}

static void sms_bad(void **state)
{
	uint8_t t[sizeof(good_tpdu) + 1];
	struct sms_deliver d;

	(void)state;
	for (size_t n = 0; n < sizeof(good_tpdu); n++)
		assert_int_equal(sms_deliver_parse(good_tpdu, n, &d),
				 SMS_ETRUNC);
	memcpy(t, good_tpdu, sizeof(good_tpdu));
	t[sizeof(good_tpdu)] = 0;
	assert_int_equal(sms_deliver_parse(t, sizeof(t), &d), SMS_ETRAILING);
	t[0] = 0x41;		/* SMS-SUBMIT */
	assert_int_equal(sms_deliver_parse(t, sizeof(good_tpdu), &d),
			 SMS_ENOTDELIVER);
	memcpy(t, good_tpdu, sizeof(good_tpdu));
	t[6] = 0xF2;		/* 7-bit class 2 */
	assert_int_equal(sms_deliver_parse(t, sizeof(good_tpdu), &d),
			 SMS_EBADUDL);
	memcpy(t, good_tpdu, sizeof(good_tpdu));
	t[15] = 0x05;		/* UDHL past the user data */
	assert_int_equal(sms_deliver_parse(t, sizeof(good_tpdu), &d),
			 SMS_EBADUDH);
	memcpy(t, good_tpdu, sizeof(good_tpdu));
	t[17] = 0x01;		/* IE 70 length 1: runs past the header */
	assert_int_equal(sms_deliver_parse(t, sizeof(good_tpdu), &d),
			 SMS_EBADUDH);
	memcpy(t, good_tpdu, sizeof(good_tpdu));
	t[1] = 21;		/* 21 digits */
	assert_int_equal(sms_deliver_parse(t, sizeof(good_tpdu), &d),
			 SMS_EBADADDR);
}

static void dcs_variants(void **state)
{
	struct sms_dcs d;

	(void)state;
	/* What networks send for SIM data download: all 8-bit class 2. */
	for (int i = 0; i < 3; i++) {
		static const uint8_t ok[] = { 0xF6, 0x16, 0x56 };

		assert_true(sms_dcs_decode(ok[i], &d));
		assert_int_equal(d.alphabet, SMS_ALPHA_8BIT);
		assert_int_equal(d.msg_class, 2);
	}
	assert_true(sms_dcs_decode(0x04, &d));	/* 8-bit, no class */
	assert_int_equal(d.msg_class, -1);
	assert_true(sms_dcs_decode(0xF5, &d));	/* class 1 */
	assert_int_equal(d.msg_class, 1);
	assert_false(sms_dcs_decode(0x86, &d));	/* reserved group */
}

static void udh_concat(void **state)
{
	static const uint8_t c8[] = { 0x00, 0x03, 0x42, 0x02, 0x01,
				      0x70, 0x00 };
	static const uint8_t c16[] = { 0x08, 0x04, 0x12, 0x34, 0x03, 0x02 };
	static const uint8_t bad[] = { 0x00, 0x02, 0x42, 0x02 };
	uint16_t ref;
	uint8_t total, seq;

	(void)state;
	assert_int_equal(sms_udh_concat(c8, sizeof(c8), &ref, &total, &seq), 1);
	assert_int_equal(ref, 0x42);
	assert_int_equal(total, 2);
	assert_int_equal(seq, 1);
	assert_true(sms_udh_has_command_packet(c8, sizeof(c8)));
	assert_int_equal(sms_udh_concat(c16, sizeof(c16), &ref, &total, &seq),
			 1);
	assert_int_equal(ref, 0x1234);
	assert_int_equal(sms_udh_concat(bad, sizeof(bad), &ref, &total, &seq),
			 SMS_EBADUDH);
	assert_int_equal(sms_udh_concat(c8 + 5, 2, &ref, &total, &seq), 0);
}

static void concat_reassembly(void **state)
{
	static struct sms_concat c;
	const uint8_t *out = NULL;
	size_t n = 0;

	(void)state;
	sms_concat_reset(&c);
	/* out of order: 3, 1, 2 */
	assert_int_equal(sms_concat_add(&c, 7, 3, 3, (const uint8_t *)"cc", 2,
					 &out, &n), SMS_CONCAT_WAIT);
	assert_int_equal(sms_concat_add(&c, 7, 3, 1, (const uint8_t *)"a", 1,
					 &out, &n), SMS_CONCAT_WAIT);
	assert_int_equal(sms_concat_add(&c, 7, 3, 2, (const uint8_t *)"bbb", 3,
					 &out, &n), SMS_CONCAT_DONE);
	assert_int_equal(n, 6);
	assert_memory_equal(out, "abbbcc", 6);
	assert_false(c.active);
	/* a repeated part drops the message */
	sms_concat_add(&c, 8, 2, 1, (const uint8_t *)"x", 1, &out, &n);
	assert_int_equal(sms_concat_add(&c, 8, 2, 1, (const uint8_t *)"x", 1,
					 &out, &n), SMS_CONCAT_REFUSED);
	assert_false(c.active);
	/* the total changes */
	sms_concat_add(&c, 9, 2, 1, (const uint8_t *)"x", 1, &out, &n);
	assert_int_equal(sms_concat_add(&c, 9, 3, 2, (const uint8_t *)"y", 1,
					 &out, &n), SMS_CONCAT_REFUSED);
	/* bounds */
	assert_int_equal(sms_concat_add(&c, 1, 9, 1, (const uint8_t *)"x", 1,
					 &out, &n), SMS_CONCAT_REFUSED);
	assert_int_equal(sms_concat_add(&c, 1, 2, 3, (const uint8_t *)"x", 1,
					 &out, &n), SMS_CONCAT_REFUSED);
	assert_int_equal(sms_concat_add(&c, 1, 2, 0, (const uint8_t *)"x", 1,
					 &out, &n), SMS_CONCAT_REFUSED);
	/* another reference starts over */
	sms_concat_add(&c, 1, 2, 1, (const uint8_t *)"o", 1, &out, &n);
	assert_int_equal(sms_concat_add(&c, 2, 2, 2, (const uint8_t *)"n", 1,
					 &out, &n), SMS_CONCAT_WAIT);
	assert_int_equal(sms_concat_add(&c, 2, 2, 1, (const uint8_t *)"N", 1,
					 &out, &n), SMS_CONCAT_DONE);
	assert_memory_equal(out, "Nn", 2);
}

/* ---- command packet, counters ---- */

static void packet_lengths(void **state)
{
	uint8_t p[32] = { 0x00, 0x1E, 0x15, 0x16, 0x19, 0x12, 0x12,
			  0xB0, 0x00, 0x10 };
	struct ota_cmd_packet cp;

	(void)state;
	assert_int_equal(ota_cmd_packet_parse(p, 9, &cp), OTA_PKT_ESHORT);
	assert_int_equal(ota_cmd_packet_parse(p, 32, &cp), OTA_PKT_OK);
	assert_int_equal(cp.cc_len, 8);
	assert_int_equal(cp.rest_len, 22);
	assert_int_equal(cp.tar[0], 0xB0);
	assert_int_equal(ota_cmd_packet_parse(p, 31, &cp), OTA_PKT_ELEN);
	assert_int_equal(cp.tar[2], 0x10);	/* still named for the PoR */
	p[2] = 12;				/* CHL below 13 */
	assert_int_equal(ota_cmd_packet_parse(p, 32, &cp), OTA_PKT_ELEN);
	p[2] = 13 + 17;				/* checksum over 16 bytes */
	assert_int_equal(ota_cmd_packet_parse(p, 32, &cp), OTA_PKT_ELEN);
}

static void counter_modes(void **state)
{
	uint8_t s[5] = { 0, 0, 0, 0, 5 }, r[5] = { 0, 0, 0, 0, 5 };
	uint8_t max[5] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	bool up;

	(void)state;
	assert_int_equal(ota_counter_check(OTA_CNTR_NONE, s, r, &up), 0);
	assert_false(up);
	assert_int_equal(ota_counter_check(OTA_CNTR_ANY, s, r, &up), 0);
	assert_false(up);
	assert_int_equal(ota_counter_check(OTA_CNTR_HIGHER, s, r, &up),
			 OTA_POR_CNTR_LOW);
	r[4] = 9;
	assert_int_equal(ota_counter_check(OTA_CNTR_HIGHER, s, r, &up), 0);
	assert_true(up);
	assert_int_equal(ota_counter_check(OTA_CNTR_ONE_HIGHER, s, r, &up),
			 OTA_POR_CNTR_HIGH);
	assert_false(up);
	r[4] = 6;
	assert_int_equal(ota_counter_check(OTA_CNTR_ONE_HIGHER, s, r, &up), 0);
	assert_true(up);
	r[0] = 1;		/* compared as 40-bit numbers */
	assert_int_equal(ota_counter_check(OTA_CNTR_HIGHER, s, r, &up), 0);
	assert_int_equal(ota_counter_check(OTA_CNTR_HIGHER, max, r, &up),
			 OTA_POR_CNTR_BLOCKED);
}

static void keyset_option(void **state)
{
	struct ota_keyset ks;

	(void)state;
	assert_true(ota_keyset_parse("1:000102030405060708090A0B0C0D0E0F:"
				     "101112131415161718191a1b1c1d1e1f", &ks));
	assert_int_equal(ks.kvn, 1);
	assert_int_equal(ks.kic_len, 16);
	assert_int_equal(ks.kid[15], 0x1f);
	assert_false(ota_keyset_parse("0:00010203040506070809000102030405:"
				      "00010203040506070809000102030405", &ks));
	assert_false(ota_keyset_parse("1:0001:0002", &ks));
	assert_false(ota_keyset_parse("1:000102030405060708090A0B0C0D0E0F", &ks));
	assert_false(ota_keyset_parse("12:00010203040506070809000102030405:"
				      "00010203040506070809000102030405", &ks));
}

/* ---- Amd B '81' trigger ---- */

static const uint8_t trigger[] = {
	0x81, 0x37,
	0x83, 0x30,
	0x84, 0x0C, 0x3C, 0x03, 0x02, 0x1F, 0x40,
		    0x3E, 0x05, 0x21, 0x7F, 0x00, 0x00, 0x01,
	0x85, 0x08, 0x04, 'p', 's', 'k', '1', 0x02, 0x01, 0x07,
	0x86, 0x07, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x89, 0x0D, 0x8A, 0x05, 'h', 'o', 's', 't', '1',
		    0x8C, 0x04, '/', 'r', 'a', 's',
	0xB3, 0x03, 0xD6, 0x01, 'x',
};

static void trigger_full(void **state)
{
	struct admin_trigger t;
	const char *why = NULL;

	(void)state;
	assert_int_equal(amdb_trigger_parse(trigger, sizeof(trigger), &t, &why),
			 0);
	assert_int_equal(t.conn_tlvs_len, 12);
	assert_int_equal(t.conn_tlvs[0], 0x3C);
	assert_true(t.has_psk);
	assert_int_equal(t.psk_id_len, 4);
	assert_memory_equal(t.psk_id, "psk1", 4);
	assert_int_equal(t.kvn, 1);
	assert_int_equal(t.kid, 7);
	assert_true(t.has_retry);
	assert_int_equal(t.retry_counter, 3);
	assert_int_equal(t.retry_delay[4], 5);
	assert_string_equal(t.host, "host1");
	assert_string_equal(t.uri, "/ras");
	assert_string_equal(t.agent_id, "");
	assert_string_equal(t.fqdn, "x");
}

static void trigger_bad(void **state)
{
	uint8_t b[sizeof(trigger) + 1];
	struct admin_trigger t;
	const char *why = NULL;

	(void)state;
	/* every cut is refused */
	for (size_t n = 0; n < sizeof(trigger); n++)
		assert_int_equal(amdb_trigger_parse(trigger, n, &t, &why),
				 -EINVAL);
	memcpy(b, trigger, sizeof(trigger));
	b[sizeof(trigger)] = 0;
	assert_int_equal(amdb_trigger_parse(b, sizeof(b), &t, &why), -EINVAL);
	assert_string_equal(why, "bytes after the triggering parameters");
	memcpy(b, trigger, sizeof(trigger));
	b[25] = 0x03;		/* key identification length not 2 */
	assert_int_equal(amdb_trigger_parse(b, sizeof(trigger), &t, &why),
			 -EINVAL);
	memcpy(b, trigger, sizeof(trigger));
	b[42] = 0x01;		/* control character in the host */
	assert_int_equal(amdb_trigger_parse(b, sizeof(trigger), &t, &why),
			 -EINVAL);
	memcpy(b, trigger, sizeof(trigger));
	b[6] = 0x00;		/* tag 00: not a COMPREHENSION-TLV */
	assert_int_equal(amdb_trigger_parse(b, sizeof(trigger), &t, &why),
			 -EINVAL);
	assert_int_equal(t.conn_tlvs_len, 0);	/* nothing half-filled */
}

static void trigger_dns_labels(void **state)
{
	static const uint8_t lab[] = { 0x81, 0x0F, 0xB3, 0x0D, 0xD6, 0x0B,
				       0x03, 'r', 'a', 's', 0x04, 't', 'e',
				       's', 't', 0x00, 0x00 };
	struct admin_trigger t;
	const char *why = NULL;

	(void)state;
	assert_int_equal(amdb_trigger_parse(lab, 16, &t, &why), -EINVAL);
	assert_int_equal(amdb_trigger_parse(lab, 17, &t, &why), -EINVAL);
	/* 0B covers "03 ras 04 test 00" exactly: 1+3+1+4+1 = 10, +1 junk */
	uint8_t ok[] = { 0x81, 0x0E, 0xB3, 0x0C, 0xD6, 0x0A, 0x03, 'r', 'a',
			 's', 0x04, 't', 'e', 's', 't', 0x00 };
	assert_int_equal(amdb_trigger_parse(ok, sizeof(ok), &t, &why), 0);
	assert_string_equal(t.fqdn, "ras.test");
}

/* ---- the command string ---- */

static void ram_push(void **state)
{
	static const uint8_t two[] = {
		0x80, 0xEC, 0x01, 0x01, 0x05, 0x3C, 0x03, 0x02, 0x1F, 0x40,
		0x80, 0xCA, 0x00, 0x85, 0x00,
	};
	uint8_t out[8];

	(void)state;
	calls = 0;
	agent_rc = 0;
	assert_int_equal(ram_execute(two, sizeof(two), record, NULL, out,
				     sizeof(out)), 3);
	assert_int_equal(calls, 1);
	assert_int_equal(last.conn_tlvs_len, 5);
	/* two commands run, the second unknown: 6D 00 */
	assert_memory_equal(out, "\x02\x6D\x00", 3);
	/* the first fails: the second is not run */
	agent_rc = -ENOTSUP;
	assert_int_equal(ram_execute(two, sizeof(two), record, NULL, out,
				     sizeof(out)), 3);
	assert_memory_equal(out, "\x01\x6F\x00", 3);
	assert_int_equal(calls, 2);
	/* cut short */
	assert_int_equal(ram_execute(two, 9, record, NULL, out, sizeof(out)),
			 3);
	assert_memory_equal(out, "\x01\x67\x00", 3);
	assert_int_equal(calls, 2);
	/* PUSH P2 02 (CAT_TP) */
	uint8_t catp[] = { 0x80, 0xEC, 0x01, 0x02, 0x00 };
	ram_execute(catp, sizeof(catp), record, NULL, out, sizeof(out));
	assert_memory_equal(out, "\x01\x6A\x86", 3);
	/* Amd B object, agent says queued */
	agent_rc = 0;
	ram_execute(trigger, sizeof(trigger), record, NULL, out, sizeof(out));
	assert_memory_equal(out, "\x01\x90\x00", 3);
	assert_string_equal(last.host, "host1");
	assert_int_equal(calls, 3);
}

/* ---- whole ENVELOPEs against a state file ---- */

static const uint8_t kic[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
				 13, 14, 15 };
static const uint8_t kid[16] = { 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
				 26, 27, 28, 29, 30, 31 };

/* An ENVELOPE with a PUSH to TAR 000000, SPI 16 19, counter n; bad_cc
 * flips a checksum bit. */
static size_t make_envelope(uint8_t *env, uint8_t n, bool bad_cc)
{
	static const uint8_t push[] = { 0x80, 0xEC, 0x01, 0x01, 0x05, 0x3C,
					0x03, 0x02, 0x1F, 0x40 };
	uint8_t cp[64] = { 0 }, *p = cp;
	size_t plain = 5 + 1 + 8 + sizeof(push), pad = 16 - plain % 16;
	size_t cpl = 1 + 13 + 8 + sizeof(push) + pad, len = 0, tl;

	*p++ = 0;
	*p++ = (uint8_t)cpl;
	*p++ = 21;
	*p++ = 0x16;
	*p++ = 0x19;
	*p++ = 0x12;
	*p++ = 0x12;
	p += 3;				/* TAR 000000 */
	p[4] = n;
	p[5] = (uint8_t)pad;
	memcpy(p + 14, push, sizeof(push));
	{
		uint8_t in[64];

		memcpy(in, cp, 16);
		memcpy(in + 16, p + 14, sizeof(push) + pad);
		assert_int_equal(ota_cmac(kid, 16, in, 16 + sizeof(push) + pad,
					  NULL, 0, NULL, 0, p + 6, 8), 0);
	}
	if (bad_cc)
		p[6] ^= 1;
	assert_int_equal(ota_cbc_encrypt(kic, 16, p, p, plain + pad), 0);
	tl = 15 + 3 + 2 + cpl;
	env[len++] = 0xD1;
	env[len++] = (uint8_t)(4 + 2 + tl);
	memcpy(env + len, "\x82\x02\x83\x81\x8B", 5);
	len += 5;
	env[len++] = (uint8_t)tl;
	memcpy(env + len, good_tpdu, 14);
	len += 14;
	env[len++] = (uint8_t)(3 + 2 + cpl);
	memcpy(env + len, "\x02\x70\x00", 3);
	len += 3;
	memcpy(env + len, cp, 2 + cpl);
	return len + 2 + cpl;
}

static void envelopes(void **state)
{
	char path[] = "/tmp/ota-test-XXXXXX";
	struct ota_keyset ks = { .kvn = 1, .kic_len = 16, .kid_len = 16 };
	struct card_state *st;
	struct ota_config cfg;
	struct ota *o;
	uint8_t env[256], resp[256], cntr[5];
	size_t n, rl;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	st = card_state_open(path, true);
	assert_non_null(st);
	memcpy(ks.kic, kic, 16);
	memcpy(ks.kid, kid, 16);
	assert_int_equal(ota_keyset_store(st, &ks), 0);
	cfg = (struct ota_config){ st, NULL };
	o = ota_new(&cfg);
	assert_non_null(o);
	calls = 0;
	agent_rc = 0;

	n = make_envelope(env, 7, false);
	assert_int_equal(ota_sms_pp_download(o, env, n, resp, sizeof(resp),
					     &rl), 0x9000);
	assert_int_equal(calls, 1);
	/* UDH RPL RHL TAR, then CNTR..data (18 bytes) ciphered in 2 blocks */
	assert_int_equal(rl, 9 + 32);
	assert_memory_equal(resp, "\x02\x71\x00", 3);
	ota_counter_load(st, 1, cntr);
	assert_int_equal(cntr[4], 7);

	/* replay: status 02, plain, the agent not called */
	assert_int_equal(ota_sms_pp_download(o, env, n, resp, sizeof(resp),
					     &rl), 0x9000);
	assert_int_equal(calls, 1);
	assert_int_equal(rl, 16);
	assert_int_equal(resp[15], OTA_POR_CNTR_LOW);

	/* wrong checksum with a fresh counter: 01, counter unchanged */
	n = make_envelope(env, 8, true);
	ota_sms_pp_download(o, env, n, resp, sizeof(resp), &rl);
	assert_int_equal(resp[15], OTA_POR_RC_CC_DS_FAILED);
	ota_counter_load(st, 1, cntr);
	assert_int_equal(cntr[4], 7);
	assert_int_equal(calls, 1);

	/* every truncation of the ENVELOPE: an error or a PoR, no run */
	n = make_envelope(env, 9, false);
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t copy[256];

		memcpy(copy, env, cut);
		ota_sms_pp_download(o, copy, cut, resp, sizeof(resp), &rl);
		assert_int_equal(calls, 1);
	}
	ota_counter_load(st, 1, cntr);
	assert_int_equal(cntr[4], 7);

	/* no keys stored for the set: PoR 06 */
	env[37] = 0x22;	/* KIc */
	ota_sms_pp_download(o, env, n, resp, sizeof(resp), &rl);
	ota_free(o);
	card_state_close(st);
	unlink(path);
	{
		char lock[64];

		snprintf(lock, sizeof(lock), "%s.lock", path);
		unlink(lock);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sms_good),
		cmocka_unit_test(sms_bad),
		cmocka_unit_test(dcs_variants),
		cmocka_unit_test(udh_concat),
		cmocka_unit_test(concat_reassembly),
		cmocka_unit_test(packet_lengths),
		cmocka_unit_test(counter_modes),
		cmocka_unit_test(keyset_option),
		cmocka_unit_test(trigger_full),
		cmocka_unit_test(trigger_bad),
		cmocka_unit_test(trigger_dns_labels),
		cmocka_unit_test(ram_push),
		cmocka_unit_test(envelopes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
