// SPDX-License-Identifier: GPL-2.0
/*
 * The LOCAL_OUT hook: sees every client SYN to an SCWS port on loopback
 * while the client's socket is still attached, refuses it at once when the
 * namespace cannot take it, and records who sent it.
 *
 * A SYN dropped with NF_DROP_ERR(-ECONNREFUSED) makes connect() fail with
 * ECONNREFUSED immediately; on 6.1 any other errno leaves the client in
 * SYN_SENT until its timeout.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "scws.h"

/* Fills @t when @skb is a client's SYN (no ACK) to a loopback address. */
static bool scws_syn_tuple(struct sk_buff *skb, u8 pf, struct scws_tuple *t)
{
	const struct tcphdr *th;
	struct tcphdr _th;
	unsigned int thoff;

	memset(t, 0, sizeof(*t));
	if (pf == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_TCP ||
		    iph->daddr != htonl(INADDR_LOOPBACK))
			return false;
		t->family = AF_INET;
		ipv6_addr_set_v4mapped(iph->saddr, &t->saddr);
		thoff = ip_hdrlen(skb);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		/* Locally built TCP segments carry no extension headers. */
		if (ip6h->nexthdr != IPPROTO_TCP ||
		    !ipv6_addr_loopback(&ip6h->daddr))
			return false;
		t->family = AF_INET6;
		t->saddr = ip6h->saddr;
		thoff = skb_network_offset(skb) + sizeof(*ip6h);
	}
	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || !th->syn || th->ack)
		return false;
	t->sport = ntohs(th->source);
	t->dport = ntohs(th->dest);
	return true;
}

static u8 scws_refusal(const struct scws_net *sn, const struct scws_port *port)
{
	if (READ_ONCE(sn->dying))
		return SCWS_REASON_SHUTDOWN;
	if (!READ_ONCE(sn->pump_portid))
		return SCWS_REASON_NO_PUMP;
	if (!READ_ONCE(port->channels))
		return SCWS_REASON_NOT_SERVED;
	return SCWS_REASON_NONE;
}

/* Only the first SYN runs in the caller's connect(); retransmits do not. */
static void scws_identify(struct scws_caller *c, const struct sock *sk)
{
	if (in_task())
		scws_caller_capture(c);
	else
		scws_caller_from_sock(c, sk);
}

static void scws_refuse(struct net *net, struct scws_port *port,
			const struct scws_tuple *t, const struct sock *sk,
			u8 reason)
{
	struct scws_caller c = {};

	atomic64_inc(&port->refused);
	if (!scws_events_wanted(net))
		return;
	scws_identify(&c, sk);
	scws_event_refused(net, t, &c, reason);
	scws_caller_release(&c);
}

static void scws_record_caller(struct scws_net *sn, const struct scws_tuple *t,
			       const struct sock *sk)
{
	struct scws_caller c;

	if (!sn->records || scws_records_seen(sn->records, t, sk))
		return;
	scws_identify(&c, sk);
	scws_records_add(sn->records, t, sk, &c);
}

static unsigned int scws_hook(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct scws_net *sn = scws_net(state->net);
	struct sock *sk = skb->sk;
	struct scws_port *port;
	struct scws_tuple t;
	u8 reason;

	if (!sk || !sk_fullsock(sk) || !scws_syn_tuple(skb, state->pf, &t))
		return NF_ACCEPT;
	port = scws_port_find(sn, t.dport);
	if (!port)
		return NF_ACCEPT;
	reason = scws_refusal(sn, port);
	if (reason) {
		scws_refuse(state->net, port, &t, sk, reason);
		return NF_DROP_ERR(-ECONNREFUSED);
	}
	scws_record_caller(sn, &t, sk);
	return NF_ACCEPT;
}

static const struct nf_hook_ops scws_hook_ops[] = {
	{
		.hook = scws_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_FILTER + 1,
	},
	{
		.hook = scws_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_FILTER + 1,
	},
};

static unsigned int scws_hook_count(void)
{
	return scws_params.ipv6 ? ARRAY_SIZE(scws_hook_ops) : 1;
}

int scws_hook_register(struct net *net)
{
	return nf_register_net_hooks(net, scws_hook_ops, scws_hook_count());
}

void scws_hook_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, scws_hook_ops, scws_hook_count());
}
