// SPDX-License-Identifier: GPL-2.0
/*
 * Caller records: the identity and verdict of a client socket, taken where
 * the connection was asked for (the LSM hook in connect() or sendmsg(), or
 * the first SYN leaving connect() on the netfilter path), kept until the
 * module accepts that connection.
 *
 * Records are keyed by the client's socket, not by its addresses: the LSM
 * hook runs before a source port exists, and an accepted connection must
 * lead back to the very socket that was judged (see peer.c).  A socket
 * pointer can be reused after a free, so the socket's inode number is
 * compared too.  A connection whose client socket has no record is never
 * served: losing a record (expiry, the bound, memory) denies, it never
 * falls back to a weaker identity.
 */
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "scws.h"
#include "policy.h"

#define SCWS_RECORDS_MAX	1024
#define SCWS_RECORDS_BITS	8

struct scws_record {
	struct hlist_node hnode;
	struct list_head lru;		/* oldest first */
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

static struct scws_record *scws_record_find(struct scws_records *r,
					    const struct sock *sk,
					    unsigned long ino)
{
	struct scws_record *rec;

	hash_for_each_possible(r->table, rec, hnode, hash_ptr(sk, 32))
		if (rec->sk == sk && rec->ino == ino)
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
		atomic_dec(&scws_live.records);
	}
}

unsigned long scws_sock_ino(const struct sock *sk)
{
	return sock_i_ino((struct sock *)sk);
}

/*
 * Takes over @c; returns false (and releases @c) when out of memory.  The
 * oldest record beyond the bound is dropped: its connection will be
 * refused, never judged again on less.
 */
bool scws_records_add(struct scws_records *r, const struct sock *sk,
		      struct scws_caller *c, u8 verdict,
		      const struct scws_decision_info *decision, gfp_t gfp)
{
	struct scws_record *rec, *old;
	LIST_HEAD(dead);

	rec = kmalloc(sizeof(*rec), gfp);
	if (!rec) {
		scws_caller_release(c);
		return false;
	}
	atomic_inc(&scws_live.records);
	rec->sk = sk;
	rec->ino = scws_sock_ino(sk);
	rec->born = jiffies;
	rec->caller = *c;
	rec->verdict = verdict;
	rec->decision = *decision;
	memset(c, 0, sizeof(*c));

	spin_lock_bh(&r->lock);
	old = scws_record_find(r, sk, rec->ino);
	if (old)
		scws_record_unlink(r, old, &dead);
	if (r->count >= SCWS_RECORDS_MAX)
		scws_record_unlink(r, list_first_entry(&r->lru,
						       struct scws_record, lru),
				   &dead);
	hash_add(r->table, &rec->hnode, hash_ptr(sk, 32));
	list_add_tail(&rec->lru, &r->lru);
	r->count++;
	spin_unlock_bh(&r->lock);

	scws_records_free(&dead);
	return true;
}

/* The verdict on this very socket, if it was judged. */
bool scws_records_lookup(struct scws_records *r, const struct sock *sk,
			 u8 *verdict)
{
	unsigned long ino = scws_sock_ino(sk);	/* takes its own lock */
	struct scws_record *rec;
	bool seen;

	spin_lock_bh(&r->lock);
	rec = scws_record_find(r, sk, ino);
	seen = rec;
	if (seen)
		*verdict = rec->verdict;
	spin_unlock_bh(&r->lock);
	return seen;
}

/* A deferred decision was taken. */
void scws_records_decide(struct scws_records *r, const struct sock *sk,
			 unsigned long ino, u8 verdict,
			 const struct scws_decision_info *decision)
{
	struct scws_record *rec;

	spin_lock_bh(&r->lock);
	rec = scws_record_find(r, sk, ino);
	if (rec) {
		rec->verdict = verdict;
		rec->decision = *decision;
	}
	spin_unlock_bh(&r->lock);
}

/*
 * Hand the record of the client socket @sk over to its accepted connection;
 * true only when that socket was judged and allowed.
 */
bool scws_records_take(struct scws_records *r, const struct sock *sk,
		       struct scws_caller *c,
		       struct scws_decision_info *decision)
{
	unsigned long ino = scws_sock_ino(sk);
	struct scws_record *rec;
	LIST_HEAD(dead);
	bool found;

	spin_lock_bh(&r->lock);
	rec = scws_record_find(r, sk, ino);
	found = rec && rec->verdict == SCWS_VERDICT_ALLOW;
	if (found) {
		*c = rec->caller;
		*decision = rec->decision;
		memset(&rec->caller, 0, sizeof(rec->caller));
	}
	if (rec)
		scws_record_unlink(r, rec, &dead);
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
