// SPDX-License-Identifier: GPL-2.0
/*
 * Client SYNs held while the caller's executable is hashed (the policy
 * needs its digest and hashing sleeps).  The skb keeps its socket's memory
 * alive; the decision then lets it continue where the hook stopped it (the
 * hook is last at LOCAL_OUT, so that is dst_output()) or answers it with a
 * reset, which connect() reports as ECONNREFUSED.
 *
 * Everything is bounded and fails closed: at most SCWS_HELD_MAX SYNs per
 * namespace, a SYN beyond it or whose hash cannot start is refused at
 * once, a hash that fails or does not end within digest_timeout_ms is a
 * refusal, and a namespace going away drops its SYNs without waiting for
 * any hash.
 *
 * Each held SYN is decided by its own delayed work, queued with the timeout
 * and requeued at once when the digest arrives; whoever takes it off the
 * namespace's list (that work, or the namespace's exit) finishes it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netfilter.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <net/dst.h>
#include <net/sock.h>

#include "scws.h"
#include "policy.h"

#define SCWS_HELD_MAX 64

struct scws_held {
	struct list_head node;		/* sn->held_list; empty once taken */
	struct delayed_work work;	/* the verdict: digest or timeout */
	struct scws_digest_req req;
	struct scws_net *sn;
	struct sk_buff *skb;
	const struct sock *sk;
	unsigned long ino;		/* with sk: the socket's record */
	u8 pf;
	struct scws_tuple tuple;
	struct scws_port *port;
	struct scws_caller caller;
};

static void scws_held_free(struct scws_held *h)
{
	struct scws_net *sn = h->sn;

	scws_caller_release(&h->caller);
	kfree(h);
	if (atomic_dec_and_test(&sn->held))
		wake_up_var(&sn->held);
}

static void scws_held_release(struct scws_held *h, enum scws_verdict v)
{
	struct net *net = h->sn->net;
	struct sk_buff *skb = h->skb;

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
	struct scws_held *h = container_of(to_delayed_work(work),
					   struct scws_held, work);
	struct scws_decision_info info = { .kind = SCWS_DECISION_DEFAULT };
	enum scws_verdict v = SCWS_VERDICT_DENY;
	struct scws_net *sn = h->sn;
	bool mine;

	spin_lock_bh(&sn->held_lock);
	mine = !list_empty(&h->node);
	list_del_init(&h->node);
	spin_unlock_bh(&sn->held_lock);
	if (!mine)
		return;		/* the namespace's exit finishes it */
	/* After these two, nothing queues this work again. */
	if (scws_digest_cancel(&h->req))
		h->req.err = -ETIMEDOUT;
	cancel_delayed_work(&h->work);

	/* Hashed, the digest is in the cache; if it left already, deny. */
	if (!h->req.err) {
		scws_acp_examine(sn, &h->caller);	/* signature rules */
		v = scws_acp_decide(sn, h->tuple.dport, &h->caller, false,
				    &info);
	}
	if (v == SCWS_VERDICT_DEFER) {
		v = SCWS_VERDICT_DENY;
		info = (struct scws_decision_info){ .kind = SCWS_DECISION_DEFAULT };
	}
	if (h->req.err)
		pr_info_ratelimited("netns %u: port %u: caller's executable not hashed (%d): refused\n",
				    sn->net->ns.inum, h->tuple.dport,
				    h->req.err);
	scws_records_decide(sn->records, h->sk, h->ino, v, &info);
	if (v != SCWS_VERDICT_ALLOW)
		scws_refuse(sn->net, h->port, &h->tuple, &h->caller,
			    SCWS_REASON_POLICY, &info);
	scws_held_release(h, v);
	scws_held_free(h);
}

/* Called under the digest lock: only requeue the verdict. */
static void scws_held_answer(struct scws_digest_req *req)
{
	struct scws_held *h = container_of(req, struct scws_held, req);

	mod_delayed_work(scws_wq, &h->work, 0);
}

/*
 * Hold @skb, a client's SYN whose caller @c needs its executable hashed, and
 * take over @c.  NF_STOLEN when held; otherwise the SYN is refused: dropped
 * with ECONNREFUSED for connect() (the first SYN runs in it), or answered
 * with a reset.
 */
unsigned int scws_hold(struct scws_net *sn, struct scws_port *port,
		       struct sk_buff *skb, u8 pf, const struct scws_tuple *t,
		       struct scws_caller *c)
{
	static const struct scws_decision_info pending;
	struct scws_decision_info info = { .kind = SCWS_DECISION_DEFAULT };
	struct scws_held *h = NULL;
	bool recorded = false;
	int err = -EBUSY;

	if (atomic_inc_return(&sn->held) > SCWS_HELD_MAX)
		goto refuse;
	err = -ENOENT;
	if (!sn->records || !c->exe || !c->cred)
		goto refuse;
	err = -ENOMEM;
	h = kzalloc(sizeof(*h), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!h || !skb_dst_force(skb))
		goto refuse;
	INIT_LIST_HEAD(&h->node);
	INIT_DELAYED_WORK(&h->work, scws_held_work);
	h->sn = sn;
	h->skb = skb;
	h->sk = skb->sk;
	h->pf = pf;
	h->tuple = *t;
	h->port = port;
	h->caller.pid = get_pid(c->pid);
	h->caller.cred = get_cred(c->cred);
	h->caller.secid = c->secid;
	h->caller.exe = get_file(c->exe);
	/* Retransmits of this SYN wait for its verdict. */
	h->ino = scws_sock_ino(skb->sk);
	recorded = scws_records_add(sn->records, skb->sk, c,
				    SCWS_VERDICT_DEFER, &pending, GFP_ATOMIC);

	/* Under held_lock, the verdict work cannot take h before we are done. */
	spin_lock_bh(&sn->held_lock);
	err = scws_digest_request(&h->req, h->caller.exe, h->caller.cred,
				  scws_held_answer);
	if (!err || err == -EINPROGRESS) {
		list_add_tail(&h->node, &sn->held_list);
		queue_delayed_work(scws_wq, &h->work,
				   err ? scws_digest_timeout() : 0);
	}
	spin_unlock_bh(&sn->held_lock);
	if (!err || err == -EINPROGRESS)
		return NF_STOLEN;	/* h is the verdict work's now */

	pr_info_ratelimited("netns %u: port %u: caller's executable cannot be hashed (%d): refused\n",
			    sn->net->ns.inum, t->dport, err);
	if (recorded)
		scws_records_decide(sn->records, skb->sk, h->ino,
				    SCWS_VERDICT_DENY, &info);
	scws_refuse(sn->net, port, t, &h->caller, SCWS_REASON_POLICY, &info);
	scws_caller_release(&h->caller);
	kfree(h);
	goto out;

refuse:
	kfree(h);
	scws_refuse(sn->net, port, t, c, SCWS_REASON_POLICY, &info);
	scws_caller_release(c);
out:
	if (atomic_dec_and_test(&sn->held))
		wake_up_var(&sn->held);
	if (in_task())
		return NF_DROP_ERR(-ECONNREFUSED);
	scws_send_reset(sn->net, skb, pf);
	return NF_DROP;
}

void scws_held_net_init(struct scws_net *sn)
{
	atomic_set(&sn->held, 0);
	spin_lock_init(&sn->held_lock);
	INIT_LIST_HEAD(&sn->held_list);
}

/*
 * The namespace goes (its hooks are gone): drop its held SYNs without
 * waiting for their hashes.  Only verdicts already being taken are waited
 * for, and those never hash.
 */
void scws_held_net_exit(struct scws_net *sn)
{
	struct scws_held *h;

	for (;;) {
		spin_lock_bh(&sn->held_lock);
		h = list_first_entry_or_null(&sn->held_list, struct scws_held,
					     node);
		if (h)
			list_del_init(&h->node);
		spin_unlock_bh(&sn->held_lock);
		if (!h)
			break;
		scws_digest_cancel(&h->req);
		cancel_delayed_work_sync(&h->work);
		kfree_skb(h->skb);
		scws_held_free(h);
	}
	wait_var_event(&sn->held, !atomic_read(&sn->held));
}
