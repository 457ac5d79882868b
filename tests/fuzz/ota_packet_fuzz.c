// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/ota/ota.c card-sim/ota/ota_secure.c card-sim/ota/secured_packet.c card-sim/ota/sms_deliver.c card-sim/ota/sms_concat.c card-sim/ota/keysets.c card-sim/ota/ram.c card-sim/ota/trigger_tlv.c card-sim/ota/ota_crypto.c card-sim/state.c card-sim/log.c tools/lib/cat-tlv.c tools/lib/ber.c
// libs: -lmbedcrypto
/*
 * SMS-PP data download ENVELOPEs from the network: the whole path
 * (ENVELOPE, SMS-DELIVER, UDH, command packet, deciphering, checksum,
 * counter, command string, PoR) on arbitrary bytes.  The input is also
 * wrapped as a well-formed ENVELOPE + TPDU around a command packet with
 * SPI asking for nothing (no checksum, no ciphering, PoR always), so
 * that the fuzzer reaches the packet parser; and as the secured data of
 * a packet that passes every check (AES-CMAC, AES-CBC with the all-zero
 * key set 1 of a scratch state file, a counter that goes up), so that it
 * reaches the command string and trigger parsers through the whole path,
 * counter saving included.  The state file lives in /dev/shm when there
 * is one: every accepted packet saves it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "card.h"
#include "admin/trigger.h"
#include "ota/keysets.h"
#include "ota/ota.h"
#include "ota/ota_crypto.h"

int admin_agent_trigger(struct admin_agent *a, const struct admin_trigger *t)
{
	(void)a;
	return t->conn_tlvs_len & 1 ? -22 : 0;
}

static struct card_state *st;
static struct ota *ota;
static char path[] = "/dev/shm/ota-fuzz-XXXXXX";
static uint64_t counter;

/* The state file is only scratch: gone after every run, since libFuzzer
 * may end the process without running atexit handlers.  A save puts it
 * back (temp file, rename). */
static void cleanup(void)
{
	unlink(path);
}

static void setup(void)
{
	struct ota_keyset ks = { .kvn = 1, .kic_len = 16, .kid_len = 16 };
	struct ota_config cfg;
	int fd = mkstemp(path);

	if (fd < 0) {
		memcpy(path, "/tmp/ota-fuzz-XXXXXX", sizeof("/tmp/ota-fuzz-XXXXXX"));
		fd = mkstemp(path);
	}

	if (fd < 0)
		abort();
	close(fd);
	st = card_state_open(path, true);
	if (!st || ota_keyset_store(st, &ks))
		abort();
	{
		char lock[sizeof(path) + 8];

		snprintf(lock, sizeof(lock), "%s.lock", path);
		unlink(lock);	/* the open descriptor keeps the lock */
	}
	cleanup();
	cfg = (struct ota_config){ st, NULL };
	ota = ota_new(&cfg);
	if (!ota)
		abort();
}

/* CPL CHL SPI KIc KID TAR | CNTR PCNTR CC data pad, secured with the
 * all-zero keys; returns its length. */
static size_t good_packet(const uint8_t *data, size_t size, uint8_t *cp)
{
	static const uint8_t zero[16];
	size_t plain = 5 + 1 + 8 + size, pad = (16 - plain % 16) % 16;
	size_t cpl = 1 + 13 + 8 + size + pad;
	uint8_t *p = cp + 10;

	memcpy(cp, "\x00\x00\x15\x16\x19\x12\x12\x00\x00\x00", 10);
	cp[0] = (uint8_t)(cpl >> 8);
	cp[1] = (uint8_t)cpl;
	counter++;
	for (int i = 0; i < 5; i++)
		p[i] = (uint8_t)(counter >> (8 * (4 - i)));
	p[5] = (uint8_t)pad;
	memcpy(p + 14, data, size);
	memset(p + 14 + size, 0, pad);
	if (ota_cmac(zero, 16, cp, 16, p + 14, size + pad, NULL, 0, p + 6, 8) ||
	    ota_cbc_encrypt(zero, 16, p, p, plain + pad))
		abort();
	return 2 + cpl;
}

/* A BER / COMPREHENSION-TLV length, in its shortest form. */
static size_t put_len(uint8_t *p, size_t n)
{
	if (n < 0x80) {
		p[0] = (uint8_t)n;
		return 1;
	}
	p[0] = 0x81;
	p[1] = (uint8_t)n;
	return 2;
}

/* D1 { 82 83 81, 8B { SMS-DELIVER { UDH 70, packet } } } */
static size_t envelope(const uint8_t *cp, size_t n, uint8_t *env)
{
	size_t tl = 15 + 3 + n, len = 0;

	env[len++] = 0xD1;
	len += put_len(env + len, 4 + 1 + (tl < 0x80 ? 1 : 2) + tl);
	memcpy(env + len, "\x82\x02\x83\x81\x8B", 5);
	len += 5;
	len += put_len(env + len, tl);
	memcpy(env + len, "\x40\x04\x81\x21\x43\x7F\xF6\x62\x21\x30\x01"
	       "\x00\x00\x00", 14);
	len += 14;
	env[len++] = (uint8_t)(3 + n);
	memcpy(env + len, "\x02\x70\x00", 3);
	len += 3;
	memcpy(env + len, cp, n);
	return len + n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t env[512], resp[256], cp[160];
	size_t rl, n;

	if (!ota)
		setup();
	ota_sms_pp_download(ota, data, size, resp, sizeof(resp), &rl);
	cleanup();
	if (size > 100)
		return 0;
	/* the input as a command packet after CPL */
	cp[0] = (uint8_t)(size >> 8);
	cp[1] = (uint8_t)size;
	memcpy(cp + 2, data, size);
	n = envelope(cp, 2 + size, env);
	ota_sms_pp_download(ota, env, n, resp, sizeof(resp), &rl);
	/* the input as the secured data of a packet that passes (one SMS
	 * holds 96 bytes of it once padded, with the checksum) */
	if (size > 96) {
		cleanup();
		return 0;
	}
	n = envelope(cp, good_packet(data, size, cp), env);
	ota_sms_pp_download(ota, env, n, resp, sizeof(resp), &rl);
	/* Accepted: a refused packet's PoR is 16 bytes, plain; an accepted
	 * one's is ciphered and has a checksum and the response string. */
	if (rl <= 16)
		abort();
	cleanup();
	return 0;
}
