// SPDX-License-Identifier: GPL-2.0
/*
 * The decision for the LSM path (temporary, minimal version): a TCP
 * connect to an SCWS port on loopback is judged for current, in connect()
 * context, where hashing the executable may sleep.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "policy.h"
#include "scws.h"

/* The SCWS port @addr names on loopback, or 0. */
static u16 scws_lsm_dport(const struct sockaddr *addr, int addrlen)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)addr;

	if (addrlen < (int)sizeof(sa_family_t))
		return 0;
	switch (addr->sa_family) {
	case AF_INET:
		if (addrlen < (int)sizeof(*sin) ||
		    sin->sin_addr.s_addr != htonl(INADDR_LOOPBACK))
			return 0;
		return ntohs(sin->sin_port);
	case AF_INET6:
		if (addrlen < SIN6_LEN_RFC2133)
			return 0;
		if (ipv6_addr_v4mapped(&sin6->sin6_addr)) {
			if (sin6->sin6_addr.s6_addr32[3] != htonl(INADDR_LOOPBACK))
				return 0;
		} else if (!scws_params.ipv6 ||
			   !ipv6_addr_loopback(&sin6->sin6_addr)) {
			return 0;
		}
		return ntohs(sin6->sin6_port);
	}
	return 0;
}

int scws_lsm_judge(struct socket *sock, const struct sockaddr *addr,
		   int addrlen)
{
	struct sock *sk = sock->sk;
	struct scws_decision_info info;
	struct scws_caller c = {};
	u8 digest[SCWS_SHA256_LEN];
	enum scws_verdict v;
	struct scws_net *sn;
	struct scws_port *port;
	u16 dport;

	if (!sk || sk->sk_protocol != IPPROTO_TCP)
		return 0;
	dport = scws_lsm_dport(addr, addrlen);
	if (!dport)
		return 0;
	sn = scws_net(sock_net(sk));
	port = scws_port_find(sn, dport);
	if (!port)
		return 0;
	scws_caller_capture(&c);
	v = scws_acp_decide(sn, dport, &c, false, &info);
	if (v == SCWS_VERDICT_DEFER) {
		/* Sleepable context: hash here rather than holding the SYN. */
		if (c.exe)
			scws_digest_compute(c.exe, digest);
		v = scws_acp_decide(sn, dport, &c, true, &info);
	}
	if (v != SCWS_VERDICT_ALLOW)
		atomic64_inc(&port->refused);
	scws_caller_release(&c);
	return v == SCWS_VERDICT_ALLOW ? 0 : -EPERM;
}
