// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/aram_rules.c card-sim/ber.c
/*
 * The ARA-M STORE DATA parser.  Input: a sequence of commands, each a
 * 2-byte big-endian length and that many bytes (a short last one takes
 * what is left), applied in turn to one rule set.  After each, the stored
 * rules must still be well-formed and within bounds, whatever came in.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "aram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aram_rules rules = { 0 };

	while (size >= 2) {
		size_t n = (size_t)data[0] << 8 | data[1];
		size_t before = rules.len;
		uint16_t sw;
		size_t ar_len;

		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		sw = aram_rules_store(&rules, data, n);
		assert(aram_rules_valid(rules.buf, rules.len));
		assert(rules.len <= ARAM_RULES_MAX);
		if (sw != 0x9000)
			assert(rules.len == before);
		/* Lookups with arbitrary bytes must be safe too. */
		(void)aram_rules_find(&rules, data, n, &ar_len);
		data += n;
		size -= n;
	}
	aram_rules_free(&rules);
	return 0;
}
