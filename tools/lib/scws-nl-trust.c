// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/* scws-nl-trust.c - the module's certificate sets (see scws-nl-trust.h). */
#include "scws-nl-trust.h"

#include <errno.h>
#include <linux/scws.h>
#include <netlink/genl/genl.h>

#include "scws-nl.h"

int scws_nl_trust_add(struct scws_nl *nl, int anchor, const uint8_t *der,
		      size_t len)
{
	struct nl_msg *msg = scws_nl_msg_new(nl, SCWS_CMD_TRUST_ADD, NLM_F_ACK,
					     len + 512);

	if (!msg)
		return -ENOMEM;
	if (len > SCWS_CERT_MAX ||
	    nla_put_u8(msg, SCWS_A_TRUST_ANCHOR, (uint8_t)anchor) < 0 ||
	    nla_put(msg, SCWS_A_TRUST_CERT, (int)len, der) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return scws_nl_request(nl, msg, NULL, NULL);
}

int scws_nl_trust_clear(struct scws_nl *nl, int anchor)
{
	struct nl_msg *msg = scws_nl_msg_new(nl, SCWS_CMD_TRUST_CLEAR,
					     NLM_F_ACK, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u8(msg, SCWS_A_TRUST_ANCHOR, (uint8_t)anchor) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return scws_nl_request(nl, msg, NULL, NULL);
}
