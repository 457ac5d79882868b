// SPDX-License-Identifier: GPL-2.0
/*
 * The "connection parameters" of an admin session trigger (GP Amd B tag
 * 84, or a TS 102 226 PUSH command's data) are OPEN CHANNEL
 * COMPREHENSION-TLVs (TS 102 223 6.6.27): bearer description, buffer
 * size, network access name, UICC/terminal interface transport level and
 * the data destination address - the Other address that follows the
 * transport level (one before it is the terminal's local address).
 */
#include "admin/admin.h"

#include <errno.h>
#include <string.h>

#include "cat-tlv.h"

int admin_conn_tlvs_parse(const uint8_t *buf, size_t len,
			  struct admin_params *p)
{
	struct admin_params q = *p;
	struct cat_tlv_reader r;
	struct cat_tlv t;
	bool after_transport = false;
	int rc;

	cat_tlv_reader_init(&r, buf, len);
	while ((rc = cat_tlv_next(&r, &t)) == 1) {
		switch (t.tag) {
		case CAT_TAG_BEARER: {
			struct cat_bearer b;

			if (cat_get_bearer(&t, &b))
				return -EINVAL;
			break;	/* the terminal picks; nothing to keep */
		}
		case CAT_TAG_BUFFER_SIZE:
			if (cat_get_buffer_size(&t, &q.buffer_size) ||
			    !q.buffer_size)
				return -EINVAL;
			break;
		case CAT_TAG_NAN:
			if (t.len > sizeof(q.nan))
				return -EINVAL;
			memcpy(q.nan, t.val, t.len);
			q.nan_len = t.len;
			break;
		case CAT_TAG_TRANSPORT: {
			struct cat_transport tr;

			if (cat_get_transport(&t, &tr) || !tr.has_port ||
			    tr.proto != CAT_TP_TCP_CLIENT_REMOTE || !tr.port)
				return -EINVAL;
			q.port = tr.port;
			after_transport = true;
			break;
		}
		case CAT_TAG_OTHER_ADDR: {
			struct cat_address a;

			if (cat_get_other_address(&t, &a))
				return -EINVAL;
			if (!after_transport)
				break;	/* local address: the terminal's */
			if (a.type != CAT_ADDR_IPV4 && a.type != CAT_ADDR_IPV6)
				return -EINVAL;
			q.addr_type = a.type;
			memset(q.addr, 0, sizeof(q.addr));
			memcpy(q.addr, a.addr, a.len);
			break;
		}
		default:
			/* Login, password, alpha identifier...: the terminal's
			 * business; unknown objects that demand comprehension
			 * are refused. */
			if (t.cr && t.tag != 0x0D && t.tag != 0x05 &&
			    t.tag != 0x1E)
				return -EINVAL;
			break;
		}
	}
	if (rc < 0)
		return -EINVAL;
	*p = q;
	return 0;
}
