// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/dmsc-msg.c
/*
 * libFuzzer target: a packet on the pump's DM socket (scws-bipd
 * --dm-socket), or one the DM client reads from it.  Invariants: an
 * accepted message has a reason-free result whose fields obey the
 * grammar, and formatting it again parses back to the same values.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "dmsc-msg.h"

static struct dmsc_msg m, m2;
static char out[DMSC_MSG_MAX + 8];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	size_t n = 0;

	if (dmsc_msg_parse((const char *)data, size, &m, &why)) {
		assert(why && *why);
		return 0;
	}
	switch (m.type) {
	case DMSC_REGISTER:
		assert(dmsc_name_valid(m.name, strlen(m.name)));
		n = dmsc_fmt_register(out, sizeof(out), m.name);
		break;
	case DMSC_OK:
		n = dmsc_fmt_ok(out, sizeof(out));
		break;
	case DMSC_ERR:
		n = dmsc_fmt_err(out, sizeof(out), m.code,
				 *m.text ? m.text : NULL);
		break;
	case DMSC_NOTIFY:
		assert(m.len > 0 && m.len <= DMSC_DATA_MAX);
		n = dmsc_fmt_notify(out, sizeof(out), m.data, m.len);
		break;
	}
	assert(n > 0);
	assert(!dmsc_msg_parse(out, n, &m2, &why));
	assert(m2.type == m.type && m2.len == m.len &&
	       !memcmp(m2.data, m.data, m.len) && !strcmp(m2.name, m.name) &&
	       !strcmp(m2.code, m.code) && !strcmp(m2.text, m.text));
	return 0;
}
