// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/ota/ota.c card-sim/ota/ota_secure.c card-sim/ota/secured_packet.c card-sim/ota/sms_deliver.c card-sim/ota/sms_concat.c card-sim/ota/keysets.c card-sim/ota/ram.c card-sim/ota/trigger_tlv.c card-sim/ota/ota_crypto.c card-sim/state.c card-sim/log.c tools/lib/cat-tlv.c tools/lib/ber.c
// libs: -lmbedcrypto
/*
 * SMS-PP data download ENVELOPEs from the network: the whole path
 * (ENVELOPE, SMS-DELIVER, UDH, command packet, deciphering, checksum,
 * counter, command string, PoR) on arbitrary bytes.  The input is also
 * wrapped as a well-formed ENVELOPE + TPDU around a command packet with
 * SPI asking for nothing (no checksum, no ciphering, PoR always), so
 * that the fuzzer reaches the packet and command string parsers, with a
 * permissive TAR policy stubbed by a key set in a scratch state file.
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

int admin_agent_trigger(struct admin_agent *a, const struct admin_trigger *t)
{
	(void)a;
	return t->conn_tlvs_len & 1 ? -22 : 0;
}

static struct card_state *st;
static struct ota *ota;
static char path[] = "/tmp/ota-fuzz-XXXXXX";

static void cleanup(void)
{
	char lock[sizeof(path) + 8];

	snprintf(lock, sizeof(lock), "%s.lock", path);
	unlink(lock);
	unlink(path);
}

static void setup(void)
{
	struct ota_keyset ks = { .kvn = 1, .kic_len = 16, .kid_len = 16 };
	struct ota_config cfg;
	int fd = mkstemp(path);

	if (fd < 0)
		abort();
	close(fd);
	atexit(cleanup);
	st = card_state_open(path, true);
	if (!st || ota_keyset_store(st, &ks))
		abort();
	cfg = (struct ota_config){ st, NULL };
	ota = ota_new(&cfg);
	if (!ota)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t env[512], resp[256];
	size_t rl, n = 0, tl;

	if (!ota)
		setup();
	ota_sms_pp_download(ota, data, size, resp, sizeof(resp), &rl);
	if (size > 100)
		return 0;
	/* D1 { 82 83 81, 8B { SMS-DELIVER { UDH 70, CPL CHL data } } } */
	tl = 15 + 3 + 2 + size;
	env[n++] = 0xD1;
	env[n++] = 0x81;
	env[n++] = (uint8_t)(4 + 3 + tl);
	memcpy(env + n, "\x82\x02\x83\x81\x8B\x81", 6);
	n += 6;
	env[n++] = (uint8_t)tl;
	memcpy(env + n, "\x40\x04\x81\x21\x43\x7F\xF6\x62\x21\x30\x01\x00"
	       "\x00\x00", 14);
	n += 14;
	env[n++] = (uint8_t)(3 + 2 + size);
	memcpy(env + n, "\x02\x70\x00", 3);
	n += 3;
	env[n++] = (uint8_t)(size >> 8);
	env[n++] = (uint8_t)size;
	memcpy(env + n, data, size);
	n += size;
	ota_sms_pp_download(ota, env, n, resp, sizeof(resp), &rl);
	return 0;
}
