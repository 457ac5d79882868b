// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * family_watch.c - the controller's family notifications, in the loop.
 */
#include "family_watch.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

struct family_watch {
	struct nl_sock *sk;
	struct watch watch;
	const char *family;
	family_watch_fn fn;
	void *arg;
	bool overrun;
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct family_watch *fw = arg;
	int change;

	/* Only the kernel speaks for the controller. */
	if (nlmsg_get_src(msg)->nl_pid != 0)
		return NL_SKIP;
	change = genl_family_event(nlmsg_hdr(msg), fw->family);
	if (change < 0)
		log_warn("malformed generic netlink controller message");
	else if (change != GENL_FAMILY_OTHER)
		fw->fn(fw->arg, (enum genl_family_change)change);
	return NL_SKIP;
}

static void readable(struct watch *w, uint32_t events)
{
	struct family_watch *fw = w->arg;
	int err;

	(void)events;
	for (int i = 0; i < 64; i++) {
		err = nl_recvmsgs_default(fw->sk);
		if (err == -NLE_AGAIN)
			return;
		/* An overrun may have eaten a notification: say so once;
		 * the pump notices the module through its own socket too. */
		if (err == -NLE_NOMEM && !fw->overrun) {
			fw->overrun = true;
			log_warn("netlink controller notifications lost");
		}
		if (err < 0 && err != -NLE_NOMEM)
			return;
	}
}

int family_watch_open(struct family_watch **fwp, struct loop *l,
		      const char *family, family_watch_fn fn, void *arg)
{
	struct family_watch *fw = calloc(1, sizeof(*fw));
	int grp, err = -ENOMEM;

	*fwp = NULL;
	if (!fw)
		return -ENOMEM;
	fw->family = family;
	fw->fn = fn;
	fw->arg = arg;
	fw->sk = nl_socket_alloc();
	if (!fw->sk)
		goto fail;
	err = -EPROTO;
	if (genl_connect(fw->sk) < 0)
		goto fail;
	grp = genl_ctrl_resolve_grp(fw->sk, "nlctrl", "notify");
	if (grp < 0 || nl_socket_add_membership(fw->sk, grp) < 0 ||
	    nl_socket_set_nonblocking(fw->sk) < 0)
		goto fail;
	nl_socket_disable_seq_check(fw->sk);
	nl_socket_modify_cb(fw->sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid, fw);
	fw->watch.fd = nl_socket_get_fd(fw->sk);
	fw->watch.fn = readable;
	fw->watch.arg = fw;
	err = loop_add(l, &fw->watch, EPOLLIN);
	if (err)
		goto fail;
	*fwp = fw;
	return 0;
fail:
	nl_socket_free(fw->sk);
	free(fw);
	return err;
}

void family_watch_close(struct family_watch *fw)
{
	if (!fw)
		return;
	loop_del(&fw->watch);
	nl_socket_free(fw->sk);
	free(fw);
}
