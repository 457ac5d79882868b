// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/seac-resolve.c tools/lib/seac-rules.c tools/lib/ber.c tools/lib/se-local.c
/*
 * SEAC resolution and the admin's rules file.  The input's first byte
 * splits it: an FF40 rules answer (parsed, then resolved for a few AIDs
 * and applications with the decision's invariants checked) and a local
 * rules text (parsed, then matched).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "se-local.h"
#include "seac-resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t aids[][9] = {
	{ 0xF0, 0x53, 0x43, 0x57, 0x53, 0x54, 0x45, 0x53, 0x54 },
	{ 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0x00, 0x00 },
};

static void check(const struct seac_rules *rs, const uint8_t *aid,
		  size_t aid_len, const struct seac_app *app)
{
	struct seac_decision d;
	uint8_t hdr[4] = { 0x80, 0x01, 0x00, 0x00 };

	seac_resolve(rs, aid, aid_len, app, &d);
	if (!d.allowed) {
		assert(!seac_apdu_allowed(&d, hdr));
		assert(d.n_filters == 0 && !d.all_apdus);
	} else {
		assert(d.step == SEAC_STEP_A || d.step == SEAC_STEP_B ||
		       d.step == SEAC_STEP_C || d.step == SEAC_STEP_D);
		assert(d.all_apdus || d.n_filters > 0);
	}
	assert(d.n_filters <= SEAC_DECISION_FILTERS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seac_app app = { .label = "usr.bin.app" };
	struct seac_rules rs;
	struct se_local l;
	char why[200];
	size_t split;

	if (size < 2)
		return 0;
	split = data[0] < size - 1 ? data[0] : size - 1;
	data++;
	size--;
	if (seac_parse(data, split, &rs, why, sizeof(why)) == 0) {
		/* the app hashes: taken from the input's tail when it can */
		if (size >= 52) {
			app.signed_app = true;
			memcpy(app.sha1, data + size - 52, 20);
			memcpy(app.sha256, data + size - 32, 32);
		}
		for (size_t i = 0; i < 2; i++)
			check(&rs, aids[i], i ? 7 : 9, &app);
		check(&rs, NULL, 0, &app);
		app.signed_app = false;
		check(&rs, aids[0], 9, &app);
		seac_rules_free(&rs);
	}
	if (se_local_parse((const char *)data + split, size - split, &l, why,
			   sizeof(why)) == 0) {
		struct se_local_who who = { .uid = 0, .exe = "/usr/bin/app",
					    .app = &app };
		const struct se_local_rule *r = se_local_match(&l, aids[0], 9,
							       &who);

		assert(!r || (r >= l.rule && r < l.rule + l.n));
		assert(!r || r->allow || r->n_filters == 0);
		se_local_free(&l);
	}
	return 0;
}
