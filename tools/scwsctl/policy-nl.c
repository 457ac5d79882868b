// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * policy-nl.c - SCWS_CMD_POLICY_SET and SCWS_CMD_POLICY_GET over the shared
 * netlink client.
 */
#include <errno.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/msg.h>

#include "scws-nl-policy.h"
#include "scwsctl.h"

#define SNDBUF_SLACK 32		/* netlink_sendmsg() wants len <= sndbuf - 32 */

bool policy_too_large(const struct acp_policy *p, char *why, size_t size)
{
	size_t need = scws_nl_policy_size(p);

	if (need <= SCWS_NL_POLICY_ATTR_MAX)
		return false;
	snprintf(why, size,
		 "policy too large to send: %zu bytes, one netlink attribute holds at most %u",
		 need, SCWS_NL_POLICY_ATTR_MAX);
	return true;
}

static int sndbuf(int fd)
{
	socklen_t len = sizeof(int);
	int size = 0;

	getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &len);
	return size;
}

/*
 * The kernel refuses a message larger than the socket's send buffer.
 * SO_SNDBUFFORCE passes net.core.wmem_max but needs CAP_NET_ADMIN, which
 * setting a policy needs anyway; SO_SNDBUF is capped by wmem_max.
 */
static int make_room(int fd, size_t len)
{
	int want;

	if (len > (size_t)INT32_MAX / 2 - SNDBUF_SLACK)
		return -EMSGSIZE;
	if ((size_t)sndbuf(fd) >= len + SNDBUF_SLACK)
		return 0;
	want = (int)(len + SNDBUF_SLACK);	/* the kernel doubles it */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	return (size_t)sndbuf(fd) >= len + SNDBUF_SLACK ? 0 : -EMSGSIZE;
}

int policy_set(struct scws_nl *nl, const struct acp_policy *p)
{
	size_t size = NLMSG_HDRLEN + GENL_HDRLEN +
		      (p ? scws_nl_policy_size(p) : 0);
	struct nl_msg *msg;
	int err;

	/* libnl's default message is one page: ask for what the policy takes. */
	msg = scws_nl_msg_new(nl, SCWS_CMD_POLICY_SET, NLM_F_ACK, size);
	if (!msg)
		return -ENOMEM;
	err = p ? scws_nl_policy_put(msg, p) : 0;
	if (!err)
		err = make_room(scws_nl_fd(nl), nlmsg_hdr(msg)->nlmsg_len);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return scws_nl_request(nl, msg, NULL, NULL);
}

static int on_policy_msg(struct nlmsghdr *nlh, void *arg)
{
	return scws_nl_policy_read_msg(arg, nlh);
}

int policy_get(struct scws_nl *nl, struct acp_policy *p, bool *loaded)
{
	struct scws_nl_policy_reader rd;
	struct nl_msg *msg;
	int err;

	scws_nl_policy_reader_init(&rd, p);
	msg = scws_nl_msg_new(nl, SCWS_CMD_POLICY_GET, NLM_F_DUMP, 0);
	err = msg ? scws_nl_request(nl, msg, on_policy_msg, &rd) : -ENOMEM;
	if (!err && !rd.messages)
		err = -EBADMSG;		/* the first message is never left out */
	if (err)
		acp_policy_free(p);
	*loaded = rd.loaded;
	return err;
}
