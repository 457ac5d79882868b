// SPDX-License-Identifier: GPL-2.0
/*
 * The decision in the caller's own connect(): called by the BPF-LSM
 * program's kfunc (lsm.c) from socket_connect, and from socket_sendmsg for
 * a TCP Fast Open sendto() on an unconnected socket.  The caller is
 * current, in process context, and may sleep: an executable is hashed here,
 * by the caller, and a denial is EPERM before any packet exists.
 *
 * The verdict is recorded against the socket (records.c); the netfilter
 * hook then lets this socket's SYNs through without judging them again,
 * and the accepted connection carries this identity to the pump.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "scws.h"
#include "policy.h"

/* The SCWS port @addr names on the module's loopback addresses, or 0. */
static u16 scws_loopback_port(const struct sockaddr *addr, int addrlen,
			      u8 *family)
{
	if (addrlen >= (int)sizeof(struct sockaddr_in) &&
	    addr->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)addr;

		*family = AF_INET;
		if (sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK))
			return ntohs(sin->sin_port);
	} else if (addrlen >= SIN6_LEN_RFC2133 &&
		   addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)addr;

		*family = AF_INET6;
		if (ipv6_addr_loopback(&sin6->sin6_addr) ||
		    (ipv6_addr_v4mapped(&sin6->sin6_addr) &&
		     sin6->sin6_addr.s6_addr32[3] == htonl(INADDR_LOOPBACK)))
			return ntohs(sin6->sin6_port);
	}
	return 0;
}

/* Decide, hashing the caller's executable first when a rule needs it. */
static enum scws_verdict scws_judge_caller(struct scws_net *sn, u16 port,
					   const struct scws_caller *c,
					   struct scws_decision_info *info)
{
	u8 digest[SCWS_SHA256_LEN];
	enum scws_verdict v;

	v = scws_acp_decide(sn, port, c, false, info);
	if (v != SCWS_VERDICT_DEFER)
		return v;
	/*
	 * A rule needs the digest and there is none (too big, unreadable,
	 * timed out, another user namespace's mount): deny rather than judge
	 * on less than the policy asked for.
	 */
	if (!c->exe || !c->cred ||
	    scws_digest_compute(c->exe, c->cred, digest)) {
		*info = (struct scws_decision_info){ .kind = SCWS_DECISION_DEFAULT };
		return SCWS_VERDICT_DENY;
	}
	v = scws_acp_decide(sn, port, c, true, info);
	return v == SCWS_VERDICT_DEFER ? SCWS_VERDICT_DENY : v;
}

/* 0, or the errno connect() (or sendto()) returns to the caller. */
int scws_lsm_judge(struct socket *sock, const struct sockaddr *addr,
		   int addrlen)
{
	struct scws_decision_info info = {};
	struct sock *sk = sock->sk;
	struct scws_tuple t = {};
	struct scws_caller c = {};
	struct scws_port *port;
	struct scws_net *sn;
	enum scws_verdict v;
	u8 reason;
	u16 dport;

	if (!sk || sk->sk_type != SOCK_STREAM ||
	    sk->sk_protocol != IPPROTO_TCP)
		return 0;
	dport = scws_loopback_port(addr, addrlen, &t.family);
	if (!dport)
		return 0;
	sn = scws_net(sock_net(sk));
	port = scws_port_find(sn, dport);
	if (!port)
		return 0;
	t.dport = dport;

	reason = scws_refusal(sn, port);
	if (!reason && !sn->records)
		reason = SCWS_REASON_UNJUDGED;
	if (reason) {
		if (scws_events_wanted(sn->net))
			scws_caller_capture(&c);
		scws_refuse(sn->net, port, &t, &c, reason, &info);
		scws_caller_release(&c);
		return -ECONNREFUSED;
	}

	scws_caller_capture(&c);
	v = scws_judge_caller(sn, dport, &c, &info);
	if (v == SCWS_VERDICT_ALLOW)
		return scws_records_add(sn->records, sk, &c, v, &info,
					GFP_KERNEL_ACCOUNT) ? 0 : -ENOMEM;
	scws_refuse(sn->net, port, &t, &c, SCWS_REASON_POLICY, &info);
	scws_caller_release(&c);
	return -EPERM;
}
