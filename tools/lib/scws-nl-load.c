// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * scws-nl-load.c - SCWS_CMD_POLICY_SET: a policy model loaded into the
 * kernel in one message (atomically), by scwsctl and by the pump.
 */
#include <errno.h>
#include <limits.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/msg.h>

#include "scws-nl.h"
#include "scws-nl-load.h"
#include "scws-nl-policy.h"

#define SNDBUF_SLACK 32		/* netlink_sendmsg() wants len <= sndbuf - 32 */

static size_t sndbuf(int fd)
{
	socklen_t len = sizeof(int);
	int size = 0;

	getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &len);
	return size > 0 ? (size_t)size : 0;
}

/*
 * The kernel refuses a message larger than the socket's send buffer (libnl
 * leaves it at 64 KiB; 10,000 rules take half a megabyte).  SO_SNDBUFFORCE
 * passes net.core.wmem_max but needs CAP_NET_ADMIN, as setting a policy
 * does; SO_SNDBUF is capped by wmem_max.
 */
static int make_room(int fd, size_t len)
{
	int want, forced;

	if (len > INT_MAX / 2 - SNDBUF_SLACK)
		return -EMSGSIZE;
	if (sndbuf(fd) >= len + SNDBUF_SLACK)
		return 0;
	want = (int)(len + SNDBUF_SLACK);	/* the kernel doubles it */
	forced = setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want));
	if (forced < 0)
		forced = -errno;
	if (forced < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	if (sndbuf(fd) >= len + SNDBUF_SLACK)
		return 0;
	return forced == -EPERM ? -EPERM : -EMSGSIZE;
}

int scws_nl_policy_load(struct scws_nl *nl, const struct acp_policy *p)
{
	size_t size = NLMSG_HDRLEN + GENL_HDRLEN + scws_nl_policy_size(p);
	struct nl_msg *msg;
	int err;

	/* libnl's default message is one page: ask for what the policy takes. */
	msg = scws_nl_msg_new(nl, SCWS_CMD_POLICY_SET, NLM_F_ACK, size);
	if (!msg)
		return -ENOMEM;
	err = scws_nl_policy_put(msg, p);
	if (!err)
		err = make_room(scws_nl_fd(nl), nlmsg_hdr(msg)->nlmsg_len);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return scws_nl_request(nl, msg, NULL, NULL);
}
