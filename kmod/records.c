// SPDX-License-Identifier: GPL-2.0
/*
 * Caller records: the identity captured when a client's first SYN leaves
 * connect(), kept until the module accepts that connection.  Retransmitted
 * SYNs find the record of their socket and never look at current.
 */
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "scws.h"
#include "policy.h"

#define SCWS_RECORDS_MAX	1024
#define SCWS_RECORDS_BITS	8

struct scws_record {
	struct hlist_node hnode;
	struct list_head lru;		/* oldest first */
	struct scws_tuple tuple;
	const struct sock *sk;		/* compared, never dereferenced */
	unsigned long ino;		/* with sk: tells a reused pointer */
	unsigned long born;		/* jiffies */
	struct scws_caller caller;
	u8 verdict;			/* enum scws_verdict */
	struct scws_decision_info decision;
};

struct scws_records {
	spinlock_t lock;		/* taken from the hook: BH-safe */
	unsigned int count;
	struct list_head lru;
	DECLARE_HASHTABLE(table, SCWS_RECORDS_BITS);
};

struct scws_records *scws_records_create(void)
{
	struct scws_records *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	spin_lock_init(&r->lock);
	INIT_LIST_HEAD(&r->lru);
	hash_init(r->table);
	return r;
}

static u32 scws_tuple_hash(const struct scws_tuple *t)
{
	return jhash(t, sizeof(*t), 0);
}

static struct scws_record *scws_record_find(struct scws_records *r,
					    const struct scws_tuple *t)
{
	struct scws_record *rec;

	hash_for_each_possible(r->table, rec, hnode, scws_tuple_hash(t))
		if (!memcmp(&rec->tuple, t, sizeof(*t)))
			return rec;
	return NULL;
}

static void scws_record_unlink(struct scws_records *r, struct scws_record *rec,
			       struct list_head *dead)
{
	hash_del(&rec->hnode);
	list_move_tail(&rec->lru, dead);
	r->count--;
}

static void scws_records_free(struct list_head *dead)
{
	struct scws_record *rec, *tmp;

	list_for_each_entry_safe(rec, tmp, dead, lru) {
		scws_caller_release(&rec->caller);
		kfree(rec);
	}
}

static unsigned long scws_sock_ino(const struct sock *sk)
{
	return sock_i_ino((struct sock *)sk);
}

/* Takes over @c; returns false (and releases @c) when out of memory. */
bool scws_records_add(struct scws_records *r, const struct scws_tuple *t,
		      const struct sock *sk, struct scws_caller *c,
		      u8 verdict, const struct scws_decision_info *decision)
{
	struct scws_record *rec, *old;
	LIST_HEAD(dead);

	rec = kmalloc(sizeof(*rec), GFP_ATOMIC);
	if (!rec) {
		scws_caller_release(c);
		return false;
	}
	rec->tuple = *t;
	rec->sk = sk;
	rec->ino = scws_sock_ino(sk);
	rec->born = jiffies;
	rec->caller = *c;
	rec->verdict = verdict;
	rec->decision = *decision;
	memset(c, 0, sizeof(*c));

	spin_lock_bh(&r->lock);
	old = scws_record_find(r, t);
	if (old)
		scws_record_unlink(r, old, &dead);
	if (r->count >= SCWS_RECORDS_MAX)
		scws_record_unlink(r, list_first_entry(&r->lru,
						       struct scws_record, lru),
				   &dead);
	hash_add(r->table, &rec->hnode, scws_tuple_hash(t));
	list_add_tail(&rec->lru, &r->lru);
	r->count++;
	spin_unlock_bh(&r->lock);

	scws_records_free(&dead);
	return true;
}

/* The verdict on this very socket's first SYN, if it was seen. */
bool scws_records_lookup(struct scws_records *r, const struct scws_tuple *t,
			 const struct sock *sk, u8 *verdict)
{
	unsigned long ino = scws_sock_ino(sk);
	struct scws_record *rec;
	bool seen;

	spin_lock_bh(&r->lock);
	rec = scws_record_find(r, t);
	seen = rec && rec->sk == sk && rec->ino == ino;
	if (seen)
		*verdict = rec->verdict;
	spin_unlock_bh(&r->lock);
	return seen;
}

/* A deferred decision was taken. */
void scws_records_decide(struct scws_records *r, const struct scws_tuple *t,
			 const struct sock *sk, u8 verdict,
			 const struct scws_decision_info *decision)
{
	struct scws_record *rec;

	spin_lock_bh(&r->lock);
	rec = scws_record_find(r, t);
	if (rec && rec->sk == sk) {
		rec->verdict = verdict;
		rec->decision = *decision;
	}
	spin_unlock_bh(&r->lock);
}

/* Hand the record of @t over to an accepted connection. */
bool scws_records_take(struct scws_records *r, const struct scws_tuple *t,
		       struct scws_caller *c,
		       struct scws_decision_info *decision)
{
	struct scws_record *rec;
	LIST_HEAD(dead);
	bool found;

	spin_lock_bh(&r->lock);
	rec = scws_record_find(r, t);
	found = rec;
	if (found) {
		*c = rec->caller;
		*decision = rec->decision;
		memset(&rec->caller, 0, sizeof(rec->caller));
		scws_record_unlink(r, rec, &dead);
	}
	spin_unlock_bh(&r->lock);

	scws_records_free(&dead);
	return found;
}

/* Drop records of handshakes that never reached accept. */
void scws_records_expire(struct scws_records *r, unsigned long max_age)
{
	struct scws_record *rec, *tmp;
	LIST_HEAD(dead);

	spin_lock_bh(&r->lock);
	list_for_each_entry_safe(rec, tmp, &r->lru, lru) {
		if (time_before(jiffies, rec->born + max_age))
			break;
		scws_record_unlink(r, rec, &dead);
	}
	spin_unlock_bh(&r->lock);

	scws_records_free(&dead);
}

void scws_records_destroy(struct scws_records *r)
{
	LIST_HEAD(dead);

	if (!r)
		return;
	spin_lock_bh(&r->lock);
	list_splice_init(&r->lru, &dead);
	r->count = 0;
	spin_unlock_bh(&r->lock);
	scws_records_free(&dead);
	kfree(r);
}
