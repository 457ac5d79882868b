// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * genl-family-event.c - decoding the controller's family notifications.
 */
#include "genl-family-event.h"

#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

static const struct nla_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 },
	[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING,
				    .maxlen = GENL_NAMSIZ },
};

int genl_family_event(const struct nlmsghdr *nlh, const char *name)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct nlmsghdr *m = (struct nlmsghdr *)nlh;
	const struct genlmsghdr *gh;
	const char *got;
	int len;

	if (nlh->nlmsg_len < NLMSG_HDRLEN ||
	    nlh->nlmsg_type != GENL_ID_CTRL)
		return GENL_FAMILY_OTHER;
	if (!genlmsg_valid_hdr(m, 0))
		return -EBADMSG;
	gh = nlmsg_data(nlh);
	if (gh->cmd != CTRL_CMD_NEWFAMILY && gh->cmd != CTRL_CMD_DELFAMILY)
		return GENL_FAMILY_OTHER;
	if (genlmsg_parse(m, 0, tb, CTRL_ATTR_MAX,
			  (struct nla_policy *)ctrl_policy) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_NAME])
		return -EBADMSG;
	/* The name must be NUL-terminated inside its attribute. */
	got = nla_data(tb[CTRL_ATTR_FAMILY_NAME]);
	len = nla_len(tb[CTRL_ATTR_FAMILY_NAME]);
	if (len < 1 || !memchr(got, '\0', (size_t)len))
		return -EBADMSG;
	if (strcmp(got, name))
		return GENL_FAMILY_OTHER;
	return gh->cmd == CTRL_CMD_NEWFAMILY ? GENL_FAMILY_NEW :
					       GENL_FAMILY_DEL;
}
