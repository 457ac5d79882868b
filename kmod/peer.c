// SPDX-License-Identifier: GPL-2.0
/*
 * The client end of an accepted connection.  Every SCWS connection is a
 * loopback one, so the client is a socket of this very namespace: look it
 * up in the established table by the connection's addresses seen from the
 * client's side.  A handshake completed by something that is not a local
 * TCP socket (a raw socket forging SYNs, fragments, extension headers) has
 * no such socket, so it has no record and is never served.
 */
#include <linux/netdevice.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "scws.h"

/* The client's full socket, with a reference, or NULL. */
struct sock *scws_peer_client(const struct sock *child)
{
	const struct inet_sock *inet = inet_sk(child);
	struct net *net = sock_net(child);
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;
	int dif = net->loopback_dev ? net->loopback_dev->ifindex : 0;
	struct sock *sk = NULL;

	rcu_read_lock();
	if (child->sk_family == AF_INET)
		sk = __inet_lookup_established(net, hinfo, inet->inet_rcv_saddr,
					       htons(inet->inet_num),
					       inet->inet_daddr,
					       ntohs(inet->inet_dport), dif, 0);
#if IS_ENABLED(CONFIG_IPV6)
	else if (child->sk_family == AF_INET6)
		sk = __inet6_lookup_established(net, hinfo,
						&child->sk_v6_rcv_saddr,
						htons(inet->inet_num),
						&child->sk_v6_daddr,
						ntohs(inet->inet_dport), dif, 0);
#endif
	rcu_read_unlock();
	if (sk && !sk_fullsock(sk)) {
		/* Time-wait or a request: the client is gone or not TCP. */
		sock_gen_put(sk);
		sk = NULL;
	}
	return sk;
}
