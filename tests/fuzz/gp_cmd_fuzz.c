// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/gp/gp_cmd.c card-sim/gp/gp_registry.c card-sim/uicc/apdu.c tools/lib/ber.c
/*
 * The embedded SE's GlobalPlatform parsers on arbitrary bytes: the first
 * byte picks INSTALL (with P1 from the second), DELETE, GET STATUS, the
 * load file or the stored registry.  What they accept must be sound: AID
 * lengths in range, module counts within bounds, and a decoded registry
 * must encode back to the very same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gp/gp_registry.h"

static void aid_ok(const struct gp_aid *a, bool empty_ok)
{
	if ((!a->len && !empty_ok) || a->len > GP_AID_MAX ||
	    (a->len && a->len < GP_AID_MIN))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gp_registry reg;
	static uint8_t back[GP_REGISTRY_BYTES];
	struct gp_install in;
	struct gp_delete del;
	struct gp_status_req q;
	struct gp_load_file lf;
	struct gp_aid elf = { 8, { 0xA0, 0, 0, 0, 0xAA, 0, 0, 1 } };

	if (size < 3)
		return 0;
	const uint8_t *d = data + 3;
	size_t n = size - 3;

	switch (data[0] % 5) {
	case 0:
		if (!gp_parse_install(data[1], data[2], d, n, &in)) {
			aid_ok(&in.elf, in.p1 != GP_INSTALL_LOAD);
			aid_ok(&in.app, in.p1 == GP_INSTALL_LOAD);
			if (in.priv_len != 0 && in.priv_len != 1 &&
			    in.priv_len != 3)
				abort();
		}
		break;
	case 1:
		if (!gp_parse_delete(data[1], data[2], d, n, &del))
			aid_ok(&del.aid, false);
		break;
	case 2:
		if (!gp_parse_get_status(data[1], data[2], d, n, &q) &&
		    q.key_len > GP_AID_MAX)
			abort();
		break;
	case 3:
		if (!gp_parse_load_file(d, n, &elf, &lf)) {
			if (lf.nmodules > GP_MODULES_MAX || lf.code_size >= n)
				abort();
			for (size_t i = 0; i < lf.nmodules; i++)
				aid_ok(&lf.modules[i], false);
		}
		break;
	default:
		if (gp_registry_decode(d, n, &reg) &&
		    (gp_registry_encode(&reg, back) != n ||
		     memcmp(back, d, n)))
			abort();
		break;
	}
	return 0;
}
