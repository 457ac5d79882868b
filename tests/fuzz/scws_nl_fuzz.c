// sources: tools/lib/scws-nl.c tools/lib/scws-nl-policy.c tools/lib/acp-policy.c
// libs: -I/usr/include/libnl3 -lnl-genl-3 -lnl-3
/*
 * The tools' decoders of what the kernel sends: connection, status and
 * event messages, and POLICY_GET dump messages.  Input bytes are the
 * attributes of one generic netlink message.  A policy that decodes must
 * encode and decode again to an equal policy.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "scws-nl-policy.h"
#include "scws-nl.h"

static struct nlmsghdr *wrap(const uint8_t *data, size_t size, uint8_t cmd)
{
	size_t len = NLMSG_HDRLEN + GENL_HDRLEN + size;
	struct nlmsghdr *nlh = calloc(1, len);
	struct genlmsghdr *gh;

	if (!nlh)
		abort();
	nlh->nlmsg_len = (uint32_t)len;
	gh = (struct genlmsghdr *)((char *)nlh + NLMSG_HDRLEN);
	gh->cmd = cmd;
	gh->version = SCWS_GENL_VERSION;
	memcpy((char *)gh + GENL_HDRLEN, data, size);
	return nlh;
}

static void policy_round_trip(struct nlmsghdr *nlh)
{
	struct scws_nl_policy_reader rd, rd2;
	struct acp_policy p, q;
	struct nl_msg *msg;

	scws_nl_policy_reader_init(&rd, &p);
	if (scws_nl_policy_read_msg(&rd, nlh) == 0) {
		msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN +
				       scws_nl_policy_size(&p) + 64);
		if (!msg || !genlmsg_put(msg, 1, 1, 0x20, 0, 0,
					 SCWS_CMD_POLICY_GET, 1) ||
		    scws_nl_policy_put(msg, &p))
			abort();
		scws_nl_policy_reader_init(&rd2, &q);
		if (scws_nl_policy_read_msg(&rd2, nlmsg_hdr(msg)) ||
		    !acp_policy_equal(&p, &q))
			abort();
		acp_policy_free(&q);
		nlmsg_free(msg);
	}
	acp_policy_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh = wrap(data, size, SCWS_CMD_CONN_NEW);
	struct scws_conn_info ci;
	struct scws_status st;
	struct scws_event_info ev;

	scws_nl_parse_conn_msg(nlh, &ci);
	scws_nl_parse_status(nlh, &st);
	scws_nl_parse_event(nlh, &ev);
	policy_round_trip(nlh);
	free(nlh);
	return 0;
}
