// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/ota/trigger_tlv.c card-sim/ota/ram.c card-sim/log.c tools/lib/cat-tlv.c tools/lib/ber.c
/*
 * The GP Amd B '81' triggering parameters parser and the remote
 * administration command string (PUSH and its OPEN CHANNEL TLVs) on
 * arbitrary bytes; what a parsed trigger holds must be within bounds
 * and its strings terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "admin/trigger.h"
#include "ota/ram.h"
#include "ota/trigger_tlv.h"

static void check(const struct admin_trigger *t)
{
	if (t->conn_tlvs_len > sizeof(t->conn_tlvs) ||
	    t->psk_id_len > sizeof(t->psk_id) ||
	    strlen(t->host) >= sizeof(t->host) ||
	    strlen(t->agent_id) >= sizeof(t->agent_id) ||
	    strlen(t->uri) >= sizeof(t->uri) ||
	    strlen(t->fqdn) >= sizeof(t->fqdn))
		abort();
}

static int take(void *arg, const struct admin_trigger *t)
{
	(void)arg;
	check(t);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct admin_trigger t;
	const char *why = NULL;
	uint8_t out[8];

	if (amdb_trigger_parse(data, size, &t, &why) == 0)
		check(&t);
	else if (!why)
		abort();
	ram_execute(data, size, take, NULL, out, sizeof(out));
	return 0;
}
