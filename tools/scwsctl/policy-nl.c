// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * policy-nl.c - SCWS_CMD_POLICY_SET, _GET and _CLEAR over the shared netlink
 * client.
 */
#include <errno.h>
#include <limits.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/msg.h>

#include "scws-nl-load.h"
#include "scws-nl-policy.h"
#include "scwsctl.h"

#define DUMP_TRIES 3		/* reads of a policy that keeps being replaced */

int policy_set(struct scws_nl *nl, const struct acp_policy *p)
{
	return scws_nl_policy_load(nl, p);
}

int policy_clear(struct scws_nl *nl)
{
	struct nl_msg *msg = scws_nl_msg_new(nl, SCWS_CMD_POLICY_CLEAR,
					     NLM_F_ACK, 0);

	return msg ? scws_nl_request(nl, msg, NULL, NULL) : -ENOMEM;
}

enum scws_nl_policy_part policy_error_at(const struct scws_nl *nl,
					 const struct acp_policy *p,
					 size_t *index)
{
	uint32_t offset;

	*index = 0;
	if (!scws_nl_extack_offset(nl, &offset))
		return SCWS_NL_POLICY_OTHER;
	return scws_nl_policy_locate(p, offset, index);
}

static int on_policy_msg(struct nlmsghdr *nlh, void *arg)
{
	return scws_nl_policy_read_msg(arg, nlh);
}

static int get_once(struct scws_nl *nl, struct scws_nl_policy_reader *rd,
		    struct acp_policy *p)
{
	struct nl_msg *msg;
	int err;

	scws_nl_policy_reader_init(rd, p);
	msg = scws_nl_msg_new(nl, SCWS_CMD_POLICY_GET, NLM_F_DUMP, 0);
	err = msg ? scws_nl_request(nl, msg, on_policy_msg, rd) : -ENOMEM;
	if (!err && !rd->messages)
		err = -EBADMSG;		/* even "no policy" is one message */
	if (!err && rd->interrupted)
		err = -EAGAIN;
	if (err)
		acp_policy_free(p);
	return err;
}

int policy_get(struct scws_nl *nl, struct acp_policy *p, bool *loaded)
{
	struct scws_nl_policy_reader rd;
	int tries = 0, err;

	do
		err = get_once(nl, &rd, p);
	while (err == -EAGAIN && ++tries < DUMP_TRIES);
	*loaded = rd.loaded;
	return err;
}
