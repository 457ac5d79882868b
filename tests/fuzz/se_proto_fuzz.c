// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/se-proto.c
/*
 * The APDU access service's messages: any bytes as a request and as an
 * answer.  Accepted messages must point inside the buffer and say what
 * their header says.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "se-proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const uint8_t *buf, size_t len, const struct se_msg *m)
{
	if (m->len)
		assert(m->data >= buf && m->data + m->len <= buf + len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct se_msg m;
	int rc = se_proto_parse_request(data, size, &m);

	if (rc == 0) {
		inside(data, size, &m);
		assert(m.version == SE_PROTO_VERSION);
		assert(!(m.op & SE_PROTO_ANSWER));
		if (m.op == SE_OP_TRANSMIT)
			assert(m.len >= 4 && m.len <= SE_PROTO_APDU_MAX);
		if (m.op == SE_OP_OPEN_LOGICAL || m.op == SE_OP_OPEN_BASIC)
			assert(m.len == 0 || (m.len >= 5 && m.len <= 16));
	} else {
		assert(rc == -1 || (rc > 0 && rc <= SE_ERR_IO));
	}
	if (size >= 2 && se_proto_parse_answer(data, size, data[1] & 0x7F,
					       &m) == 0)
		inside(data, size, &m);
	return 0;
}
