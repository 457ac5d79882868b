// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/genl-family-event.c
// libs: -I/usr/include/libnl3 -lnl-genl-3 -lnl-3
/*
 * genl_family_event_test.c - the controller notifications the pump uses
 * to learn that scws.ko went away and came back: NEW/DEL for our name,
 * other families and commands ignored, malformed messages refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "genl-family-event.h"

/* A controller message as the kernel sends it (ctrl_fill_info()). */
static struct nl_msg *ctrl_msg(uint16_t type, uint8_t cmd, const char *name)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, type, 0, 0, cmd, 2));
	assert_int_equal(nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, 0x1f), 0);
	if (name)
		assert_int_equal(nla_put_string(msg, CTRL_ATTR_FAMILY_NAME,
						name), 0);
	return msg;
}

static int event(uint16_t type, uint8_t cmd, const char *name)
{
	struct nl_msg *msg = ctrl_msg(type, cmd, name);
	int r = genl_family_event(nlmsg_hdr(msg), "scws");

	nlmsg_free(msg);
	return r;
}

static void test_new_and_del(void **state)
{
	(void)state;
	assert_int_equal(event(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, "scws"),
			 GENL_FAMILY_NEW);
	assert_int_equal(event(GENL_ID_CTRL, CTRL_CMD_DELFAMILY, "scws"),
			 GENL_FAMILY_DEL);
}

static void test_others_ignored(void **state)
{
	(void)state;
	/* another family, a prefix of ours, ours as a prefix */
	assert_int_equal(event(GENL_ID_CTRL, CTRL_CMD_DELFAMILY, "nl80211"),
			 GENL_FAMILY_OTHER);
	assert_int_equal(event(GENL_ID_CTRL, CTRL_CMD_DELFAMILY, "scw"),
			 GENL_FAMILY_OTHER);
	assert_int_equal(event(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, "scws2"),
			 GENL_FAMILY_OTHER);
	/* a group added to our family is not the family coming back */
	assert_int_equal(event(GENL_ID_CTRL, CTRL_CMD_NEWMCAST_GRP, "scws"),
			 GENL_FAMILY_OTHER);
	/* not the controller: another family's message with that layout */
	assert_int_equal(event(0x20, CTRL_CMD_DELFAMILY, "scws"),
			 GENL_FAMILY_OTHER);
}

static void test_malformed(void **state)
{
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	struct nlattr *name;

	(void)state;
	/* no name */
	assert_int_equal(event(GENL_ID_CTRL, CTRL_CMD_DELFAMILY, NULL),
			 -EBADMSG);
	/* a name that is not NUL-terminated inside its attribute */
	msg = ctrl_msg(GENL_ID_CTRL, CTRL_CMD_DELFAMILY, "scws");
	nlh = nlmsg_hdr(msg);
	name = nlmsg_find_attr(nlh, GENL_HDRLEN, CTRL_ATTR_FAMILY_NAME);
	assert_non_null(name);
	memset(nla_data(name), 'x', (size_t)nla_len(name));
	assert_int_equal(genl_family_event(nlh, "scws"), -EBADMSG);
	/* shorter than a generic netlink header */
	nlh->nlmsg_len = NLMSG_HDRLEN + 1;
	assert_int_equal(genl_family_event(nlh, "scws"), -EBADMSG);
	nlmsg_free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_and_del),
		cmocka_unit_test(test_others_ignored),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
