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

#include "scws.h"
#include "policy.h"

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

static const struct scws_decision_info scws_no_decision;

static void scws_refuse(struct net *net, struct scws_port *port,
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
 * A SYN held while the caller's executable is hashed (which sleeps).  The
 * skb keeps its socket's memory alive; the decision then lets it continue
 * where the hook stopped it (the hook is last at LOCAL_OUT, so that is
 * dst_output()) or answers it with a reset, which connect() reports as
 * ECONNREFUSED.
 */
struct scws_held {
	struct work_struct work;
	struct scws_net *sn;
	struct sk_buff *skb;		/* NULL: could not hold, dropped */
	const struct sock *sk;
	u8 pf;
	struct scws_tuple tuple;
	struct scws_port *port;
	struct scws_caller caller;
};

#define SCWS_HELD_MAX 64

static void scws_held_release(struct scws_held *h, enum scws_verdict v)
{
	struct net *net = h->sn->net;
	struct sk_buff *skb = h->skb;

	if (!skb)
		return;
	if (v != SCWS_VERDICT_ALLOW || READ_ONCE(h->sn->dying)) {
		if (!READ_ONCE(h->sn->dying)) {
			rcu_read_lock();
			local_bh_disable();
			scws_send_reset(net, skb, h->pf);
			local_bh_enable();
			rcu_read_unlock();
		}
		kfree_skb(skb);
		return;
	}
	rcu_read_lock();
	local_bh_disable();
	dst_output(net, skb->sk, skb);
	local_bh_enable();
	rcu_read_unlock();
}

static void scws_held_work(struct work_struct *work)
{
	struct scws_held *h = container_of(work, struct scws_held, work);
	struct scws_decision_info info = {};
	u8 digest[SCWS_SHA256_LEN];
	enum scws_verdict v;

	/* A file we cannot hash has no digest: digest rules don't match it. */
	if (h->caller.exe)
		scws_digest_compute(h->caller.exe, digest);
	v = scws_acp_decide(h->sn, h->tuple.dport, &h->caller, true, &info);
	scws_records_decide(h->sn->records, &h->tuple, h->sk, v, &info);
	if (v != SCWS_VERDICT_ALLOW)
		scws_refuse(h->sn->net, h->port, &h->tuple, &h->caller,
			    SCWS_REASON_POLICY, &info);
	scws_held_release(h, v);
	scws_caller_release(&h->caller);
	atomic_dec(&h->sn->held);
	kfree(h);
}

static unsigned int scws_hold(struct scws_net *sn, struct scws_port *port,
			      struct sk_buff *skb, u8 pf,
			      const struct scws_tuple *t, struct scws_caller *c)
{
	static const struct scws_decision_info pending;
	struct scws_held *h;

	if (!sn->records)
		goto drop;
	h = kzalloc(sizeof(*h), GFP_ATOMIC);
	if (!h)
		goto drop;
	INIT_WORK(&h->work, scws_held_work);
	h->sn = sn;
	h->sk = skb->sk;
	h->pf = pf;
	h->tuple = *t;
	h->port = port;
	h->caller.pid = get_pid(c->pid);
	h->caller.cred = c->cred ? get_cred(c->cred) : NULL;
	h->caller.secid = c->secid;
	h->caller.exe = c->exe ? get_file(c->exe) : NULL;
	scws_records_add(sn->records, t, skb->sk, c, SCWS_VERDICT_DEFER,
			 &pending);
	/* Too many held, or a route we cannot keep: the retransmit decides. */
	if (atomic_inc_return(&sn->held) <= SCWS_HELD_MAX && skb_dst_force(skb))
		h->skb = skb;
	queue_work(scws_wq, &h->work);
	return h->skb ? NF_STOLEN : NF_DROP;

drop:
	scws_caller_release(c);
	return NF_DROP;
}

/* A retransmitted SYN whose first one was seen: follow that decision. */
static unsigned int scws_follow(struct net *net, struct sk_buff *skb, u8 pf,
				u8 verdict)
{
	switch (verdict) {
	case SCWS_VERDICT_ALLOW:
		return NF_ACCEPT;
	case SCWS_VERDICT_DENY:
		scws_send_reset(net, skb, pf);
		return NF_DROP;
	default:
		return NF_DROP;	/* still hashing: the held SYN goes first */
	}
}

static unsigned int scws_judge(struct scws_net *sn, struct scws_port *port,
			       struct sk_buff *skb, u8 pf,
			       const struct scws_tuple *t)
{
	struct scws_decision_info info = {};
	bool first = in_task();
	struct scws_caller c;
	enum scws_verdict v;
	u8 seen;

	if (sn->records && scws_records_lookup(sn->records, t, skb->sk, &seen))
		return scws_follow(sn->net, skb, pf, seen);
	scws_identify(&c, skb->sk);
	v = scws_acp_decide(sn, t->dport, &c, false, &info);
	switch (v) {
	case SCWS_VERDICT_ALLOW:
		if (sn->records)
			scws_records_add(sn->records, t, skb->sk, &c, v, &info);
		else
			scws_caller_release(&c);
		return NF_ACCEPT;
	case SCWS_VERDICT_DEFER:
		return scws_hold(sn, port, skb, pf, t, &c);
	default:
		scws_refuse(sn->net, port, t, &c, SCWS_REASON_POLICY, &info);
		scws_caller_release(&c);
		if (first)
			return NF_DROP_ERR(-ECONNREFUSED);
		scws_send_reset(sn->net, skb, pf);
		return NF_DROP;
	}
}

static unsigned int scws_hook(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct scws_net *sn = scws_net(state->net);
	struct sock *sk = skb->sk;
	struct scws_caller c = {};
	struct scws_port *port;
	struct scws_tuple t;
	u8 reason;

	if (!sk || !sk_fullsock(sk) || !scws_syn_tuple(skb, state->pf, &t))
		return NF_ACCEPT;
	port = scws_port_find(sn, t.dport);
	if (!port)
		return NF_ACCEPT;
	reason = scws_refusal(sn, port);
	if (!reason)
		reason = scws_port_admit(sn, port, in_task() ? current_euid() :
					 READ_ONCE(sk->sk_uid));
	if (!reason)
		return scws_judge(sn, port, skb, state->pf, &t);
	if (scws_events_wanted(state->net))
		scws_identify(&c, sk);
	scws_refuse(state->net, port, &t, &c, reason, &scws_no_decision);
	scws_caller_release(&c);
	return NF_DROP_ERR(-ECONNREFUSED);
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
