// sources: tools/lib/genl-family-event.c
// libs: -I/usr/include/libnl3 -lnl-genl-3 -lnl-3
/*
 * The pump's decoder of generic netlink controller notifications
 * (scws.ko removed or loaded).  Input: the first byte picks the command,
 * the rest are the attributes of one controller message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "genl-family-event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	struct nlmsghdr *nlh;
	struct genlmsghdr *gh;

	if (size < 1)
		return 0;
	len = NLMSG_HDRLEN + GENL_HDRLEN + size - 1;
	nlh = calloc(1, len);
	if (!nlh)
		abort();
	nlh->nlmsg_len = (uint32_t)len;
	nlh->nlmsg_type = GENL_ID_CTRL;
	gh = (struct genlmsghdr *)((char *)nlh + NLMSG_HDRLEN);
	gh->cmd = data[0] & 1 ? CTRL_CMD_NEWFAMILY : CTRL_CMD_DELFAMILY;
	memcpy((char *)gh + GENL_HDRLEN, data + 1, size - 1);
	genl_family_event(nlh, "scws");
	free(nlh);
	return 0;
}
