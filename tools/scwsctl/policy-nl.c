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

#include "scws-nl-policy.h"
#include "scwsctl.h"

#define SNDBUF_SLACK 32		/* netlink_sendmsg() wants len <= sndbuf - 32 */
#define DUMP_TRIES 3		/* reads of a policy that keeps being replaced */

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

int policy_set(struct scws_nl *nl, const struct acp_policy *p)
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
