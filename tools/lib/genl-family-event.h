/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * genl-family-event.h - generic netlink controller notifications.
 *
 * The controller ("nlctrl") multicasts CTRL_CMD_NEWFAMILY and
 * CTRL_CMD_DELFAMILY on its "notify" group whenever a family is
 * registered or unregistered (a module loaded or removed).  A long-lived
 * client of a family subscribes to learn that its family went away and
 * came back.
 */
#ifndef GENL_FAMILY_EVENT_H
#define GENL_FAMILY_EVENT_H

#include <stddef.h>

struct nlmsghdr;

enum genl_family_change {
	GENL_FAMILY_OTHER = 0,	/* another command or another family */
	GENL_FAMILY_NEW,
	GENL_FAMILY_DEL,
};

/*
 * What a controller message says about the family named name:
 * GENL_FAMILY_NEW/DEL, GENL_FAMILY_OTHER, or -EBADMSG for a message of
 * the controller that does not decode.  Messages of other families give
 * GENL_FAMILY_OTHER.
 * nlh->nlmsg_len bytes must be readable.
 */
int genl_family_event(const struct nlmsghdr *nlh, const char *name);

#endif /* GENL_FAMILY_EVENT_H */
