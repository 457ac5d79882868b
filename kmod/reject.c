// SPDX-License-Identifier: GPL-2.0
/*
 * Answering a SYN with a reset, without linking against nf_reject_ipv4/6.
 *
 * A hard symbol dependency made `insmod scws.ko` fail on a freshly booted
 * kernel (insmod resolves no dependencies).  The kernel's own reset
 * builders are looked up at load instead: request_module() loads them if
 * they are modules, symbol_get() takes a reference on their module until
 * we are unloaded.  Should they be missing, a SYN that needs a reset is
 * dropped: the client then waits for its connect() to time out, but is
 * never let in.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>

#include "scws.h"

typedef void (*scws_reset_fn)(struct net *net, struct sock *sk,
			      struct sk_buff *oldskb, int hook);

static scws_reset_fn scws_reset4 __read_mostly;
static scws_reset_fn scws_reset6 __read_mostly;

/* Refuse a SYN sent from a timer: its connect() returned long ago. */
void scws_send_reset(struct net *net, struct sk_buff *skb, u8 pf)
{
	scws_reset_fn reset = pf == NFPROTO_IPV4 ? scws_reset4 : scws_reset6;

	if (reset)
		reset(net, skb->sk, skb, NF_INET_LOCAL_OUT);
}

void scws_reject_init(void)
{
	request_module("nf_reject_ipv4");
	scws_reset4 = symbol_get(nf_send_reset);
	if (!scws_reset4)
		pr_warn("nf_send_reset not found: IPv4 retransmits refused without a reset\n");
	if (!scws_params.ipv6)
		return;
	request_module("nf_reject_ipv6");
	scws_reset6 = symbol_get(nf_send_reset6);
	if (!scws_reset6)
		pr_warn("nf_send_reset6 not found: IPv6 retransmits refused without a reset\n");
}

/* After the hooks are gone: nobody calls scws_send_reset() any more. */
void scws_reject_exit(void)
{
	if (scws_reset6)
		symbol_put(nf_send_reset6);
	if (scws_reset4)
		symbol_put(nf_send_reset);
	scws_reset4 = NULL;
	scws_reset6 = NULL;
}
