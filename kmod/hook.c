// SPDX-License-Identifier: GPL-2.0
/*
 * The LOCAL_OUT hook: sees every segment to an SCWS port on loopback while
 * the sending socket is still attached.  It refuses at once what the
 * namespace cannot take, drops what no TCP socket sent, and, on the
 * netfilter path (no BPF-LSM program attached, see judge.c), judges the
 * client on its first SYN and records who sent it.
 *
 * A SYN dropped with NF_DROP_ERR(-ECONNREFUSED) makes connect() fail with
 * ECONNREFUSED immediately; on 6.1 any other errno leaves the client in
 * SYN_SENT until its timeout.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "scws.h"
#include "policy.h"

/*
 * The TCP header of a packet to a loopback address, past any IPv6
 * extension headers; NULL when it is not TCP or its header is not in this
 * packet (a later fragment).  *@frag says the packet is a fragment.
 */
static const struct tcphdr *scws_tcp_header(struct sk_buff *skb, u8 pf,
					    struct tcphdr *buf,
					    struct scws_tuple *t, bool *frag)
{
	unsigned int thoff;

	memset(t, 0, sizeof(*t));
	*frag = false;
	if (pf == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_TCP ||
		    !ipv4_is_loopback(iph->daddr))
			return NULL;
		*frag = ip_is_fragment(iph);
		if (ntohs(iph->frag_off) & IP_OFFSET)
			return NULL;
		t->family = AF_INET;
		ipv6_addr_set_v4mapped(iph->saddr, &t->saddr);
		thoff = ip_hdrlen(skb);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);
		u8 nexthdr = ip6h->nexthdr;
		__be16 frag_off = 0;
		int off;

		if (!ipv6_addr_loopback(&ip6h->daddr))
			return NULL;
		off = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
				       sizeof(*ip6h), &nexthdr, &frag_off);
		if (off < 0 || nexthdr != IPPROTO_TCP)
			return NULL;
		/* Locally built TCP segments carry no extension headers. */
		*frag = off != skb_network_offset(skb) + sizeof(*ip6h);
		if (ntohs(frag_off) & ~0x7)
			return NULL;
		t->family = AF_INET6;
		t->saddr = ip6h->saddr;
		thoff = off;
	}
	return skb_header_pointer(skb, thoff, sizeof(*buf), buf);
}

/* A TCP Fast Open SYN leaves in whichever task writes first. */
static bool scws_fastopen(const struct sock *sk)
{
	return READ_ONCE(tcp_sk(sk)->fastopen_req) ||
	       inet_sk(sk)->defer_connect;
}

/*
 * Segments to an SCWS port must come from a TCP socket, never a raw one.
 * The one raw socket allowed is the kernel's TCP control socket: it sends
 * the RSTs and the ACKs of TIME_WAIT sockets, which have no socket of
 * their own, and never a SYN.  @th is NULL for a later fragment.
 */
static bool scws_forged(const struct sock *sk, const struct tcphdr *th)
{
	if (sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP)
		return false;
	return !(sk->sk_kern_sock && sk->sk_protocol == IPPROTO_TCP &&
		 th && !th->syn);
}

/*
 * Why this namespace cannot take a connection to @port, if it cannot.
 * An unguarded port refuses everything: someone else may own it.
 */
u8 scws_refusal(const struct scws_net *sn, const struct scws_port *port)
{
	if (READ_ONCE(sn->dying))
		return SCWS_REASON_SHUTDOWN;
	if (READ_ONCE(port->unguarded))
		return SCWS_REASON_UNGUARDED;
	if (!READ_ONCE(sn->pump_portid))
		return SCWS_REASON_NO_PUMP;
	if (!READ_ONCE(port->channels))
		return SCWS_REASON_NOT_SERVED;
	return SCWS_REASON_NONE;
}

static const struct scws_decision_info scws_no_decision;

void scws_refuse(struct net *net, struct scws_port *port,
		 const struct scws_tuple *t, const struct scws_caller *c,
		 u8 reason, const struct scws_decision_info *decision)
{
	atomic64_inc(&port->refused);
	if (reason == SCWS_REASON_POLICY)
		pr_info_ratelimited("netns %u: port %u refused to pid %d uid %d (%s %u)\n",
				    net->ns.inum, t->dport,
				    c->pid ? pid_nr(c->pid) : 0,
				    c->cred ? from_kuid_munged(net->user_ns,
							       c->cred->euid) : -1,
				    decision->kind == SCWS_DECISION_RULE ?
				    "rule" : "default", decision->rule);
	if (scws_events_wanted(net))
		scws_event_refused(net, t, c, reason, decision);
}

/*
 * Refuse a SYN: in connect() (or the sendmsg() of a Fast Open) the error
 * reaches the caller at once; a retransmit is answered with a reset, or its
 * client would wait for minutes.
 */
static unsigned int scws_refuse_syn(struct net *net, struct sk_buff *skb,
				    u8 pf, bool first)
{
	if (first)
		return NF_DROP_ERR(-ECONNREFUSED);
	scws_send_reset(net, skb, pf);
	return NF_DROP;
}

/* A SYN of a socket judged before (LSM hook or first SYN): follow that. */
static unsigned int scws_follow(struct net *net, struct sk_buff *skb, u8 pf,
				u8 verdict, bool first)
{
	switch (verdict) {
	case SCWS_VERDICT_ALLOW:
		return NF_ACCEPT;
	case SCWS_VERDICT_DENY:
		return scws_refuse_syn(net, skb, pf, first);
	default:
		return NF_DROP;	/* still hashing: the held SYN goes first */
	}
}

/*
 * The netfilter path.  Only the first SYN runs in the caller's connect(),
 * so only there may the caller be identified.  A SYN of a socket that was
 * never judged and does not come from connect() (a retransmit whose record
 * was lost, a Fast Open SYN sent by whoever writes first) is refused,
 * never judged on a weaker identity.
 */
static unsigned int scws_judge(struct scws_net *sn, struct scws_port *port,
			       struct sk_buff *skb, u8 pf,
			       const struct scws_tuple *t)
{
	struct scws_decision_info info = {};
	struct sock *sk = skb->sk;
	bool first = in_task();
	struct scws_caller c = {};
	enum scws_verdict v;
	u8 seen, reason;

	if (sn->records && scws_records_lookup(sn->records, sk, &seen))
		return scws_follow(sn->net, skb, pf, seen, first);
	if (!first || !sn->records)
		reason = SCWS_REASON_UNJUDGED;
	else if (scws_fastopen(sk))
		reason = SCWS_REASON_FASTOPEN;
	else
		reason = SCWS_REASON_NONE;
	if (reason) {
		scws_refuse(sn->net, port, t, &c, reason, &scws_no_decision);
		return scws_refuse_syn(sn->net, skb, pf, first);
	}

	scws_caller_capture(&c);
	v = scws_acp_decide(sn, t->dport, &c, false, &info);
	switch (v) {
	case SCWS_VERDICT_ALLOW:
		if (!scws_records_add(sn->records, sk, &c, v, &info,
				      GFP_ATOMIC))
			return NF_DROP_ERR(-ENOMEM);
		return NF_ACCEPT;
	case SCWS_VERDICT_DEFER:
		return scws_hold(sn, port, skb, pf, t, &c);
	default:
		scws_refuse(sn->net, port, t, &c, SCWS_REASON_POLICY, &info);
		scws_caller_release(&c);
		return NF_DROP_ERR(-ECONNREFUSED);
	}
}

static unsigned int scws_hook(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct scws_net *sn = scws_net(state->net);
	struct sock *sk = skb->sk;
	struct scws_caller c = {};
	const struct tcphdr *th;
	struct scws_port *port;
	struct scws_tuple t;
	struct tcphdr _th;
	bool frag;
	u8 reason;

	if (!sk || !sk_fullsock(sk))
		return NF_ACCEPT;
	th = scws_tcp_header(skb, state->pf, &_th, &t, &frag);
	if (!th)	/* a later TCP fragment to loopback: raw sockets only */
		return frag && scws_forged(sk, NULL) ? NF_DROP_ERR(-EPERM) : NF_ACCEPT;
	port = scws_port_find(sn, ntohs(th->dest));
	if (!port)
		return NF_ACCEPT;
	if (frag || scws_forged(sk, th))
		return NF_DROP_ERR(-EPERM);
	if (!th->syn || th->ack)
		return NF_ACCEPT;
	t.sport = ntohs(th->source);
	t.dport = port->port;
	reason = scws_refusal(sn, port);
	if (!reason)
		reason = scws_port_admit(sn, port, in_task() ? current_euid() :
					 READ_ONCE(sk->sk_uid));
	if (!reason)
		return scws_judge(sn, port, skb, state->pf, &t);
	if (in_task() && scws_events_wanted(state->net))
		scws_caller_capture(&c);
	scws_refuse(state->net, port, &t, &c, reason, &scws_no_decision);
	scws_caller_release(&c);
	return scws_refuse_syn(state->net, skb, state->pf, in_task());
}

static const struct nf_hook_ops scws_hook_ops[] = {
	{
		.hook = scws_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		/* Last, so a held SYN continues with dst_output(). */
		.priority = NF_IP_PRI_LAST,
	},
	{
		.hook = scws_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_LAST,
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
