// SPDX-License-Identifier: GPL-2.0
/*
 * BPF-LSM program of the SCWS gateway: TCP connects (and TCP Fast Open
 * sends) of AF_INET/AF_INET6 sockets go to scws.ko's kfuncs, which decide
 * for the caller and return 0 or -EPERM. The cheap filters are here; the
 * loopback address and SCWS port checks are the module's (it knows the
 * ports of each network namespace).
 *
 * Sleepable ("lsm.s/"): both hooks are on 6.1's sleepable list and the
 * kfuncs may hash the caller's executable.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define AF_INET		2
#define AF_INET6	10
#define MSG_FASTOPEN	0x20000000

extern int scws_connect_check(struct socket *sock, struct sockaddr *address,
			      int addrlen) __ksym;
extern int scws_sendmsg_check(struct socket *sock, struct msghdr *msg,
			      int size) __ksym;

char LICENSE[] SEC("license") = "GPL";

static __always_inline bool scws_tcp_inet(struct socket *sock)
{
	struct sock *sk = sock->sk;
	__u16 family;

	if (!sk || sk->sk_protocol != IPPROTO_TCP)
		return false;
	family = sk->__sk_common.skc_family;
	return family == AF_INET || family == AF_INET6;
}

SEC("lsm.s/socket_connect")
int BPF_PROG(scws_connect, struct socket *sock, struct sockaddr *address,
	     int addrlen, int ret)
{
	if (ret)
		return ret;		/* an earlier LSM said no */
	if (!scws_tcp_inet(sock))
		return 0;
	if (address->sa_family != AF_INET && address->sa_family != AF_INET6)
		return 0;
	return scws_connect_check(sock, address, addrlen);
}

SEC("lsm.s/socket_sendmsg")
int BPF_PROG(scws_sendmsg, struct socket *sock, struct msghdr *msg, int size,
	     int ret)
{
	if (ret)
		return ret;
	if (!(msg->msg_flags & MSG_FASTOPEN) || !msg->msg_name)
		return 0;
	if (!scws_tcp_inet(sock))
		return 0;
	return scws_sendmsg_check(sock, msg, size);
}
