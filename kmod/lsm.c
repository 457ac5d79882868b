// SPDX-License-Identifier: GPL-2.0
/*
 * kfuncs for the BPF-LSM program (tools/bpf/scws_lsm.bpf.c): the program
 * filters cheaply in socket_connect/socket_sendmsg and calls these, which
 * run the module's decision in the caller's own context and may sleep
 * (both hooks are on the sleepable list of kernel/bpf/bpf_lsm.c in 6.1).
 *
 * A program calling a module kfunc holds a reference on the module, so
 * rmmod fails with EBUSY until the program is detached.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "scws.h"

/*
 * Global and noinline, so that pahole puts them in the module's BTF. 6.1's
 * own kfunc files silence -Wmissing-prototypes with __diag_ignore_all(),
 * which sparse does not honour: scws.h declares them instead.
 *
 * connect(), TCP_FASTOPEN_CONNECT + connect(), io_uring IORING_OP_CONNECT:
 */
noinline int scws_connect_check(struct socket *sock, struct sockaddr *address,
				int addrlen)
{
	return scws_lsm_judge(sock, address, addrlen);
}

/*
 * sendto()/sendmsg() with MSG_FASTOPEN on an unconnected TCP socket is a
 * connect too; every other send is left alone.
 */
noinline int scws_sendmsg_check(struct socket *sock, struct msghdr *msg,
				int size)
{
	struct sock *sk = sock->sk;

	if (!sk || sk->sk_protocol != IPPROTO_TCP ||
	    READ_ONCE(sk->sk_state) != TCP_CLOSE ||
	    !(msg->msg_flags & MSG_FASTOPEN) || !msg->msg_name)
		return 0;
	return scws_lsm_judge(sock, msg->msg_name, msg->msg_namelen);
}

BTF_SET8_START(scws_kfunc_ids)
BTF_ID_FLAGS(func, scws_connect_check, KF_SLEEPABLE)
BTF_ID_FLAGS(func, scws_sendmsg_check, KF_SLEEPABLE)
BTF_SET8_END(scws_kfunc_ids)

static const struct btf_kfunc_id_set scws_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &scws_kfunc_ids,
};

/* Without module BTF there are no kfuncs: the netfilter hook still works. */
void scws_lsm_init(void)
{
	int err;

#if defined(MODULE) && defined(CONFIG_DEBUG_INFO_BTF_MODULES)
	if (!THIS_MODULE->btf_data_size) {
		pr_notice("built without BTF, no LSM enforcement (scwsctl lsm)\n");
		return;
	}
#endif
	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_LSM, &scws_kfunc_set);
	if (err)
		pr_warn("cannot register LSM kfuncs: %d\n", err);
}
