// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-256 of callers' executables, computed with the crypto API and cached
 * per file identity: device, inode, size, mtime, ctime and i_version.  Any
 * write or metadata change moves ctime, but only to the coarse clock's
 * tick; so, as IMA does, the hasher queries i_version before it reads
 * (inode_query_iversion()), which makes the next write move it, and every
 * lookup compares it.  File systems without i_version (9p, FUSE, overlayfs
 * in 6.1; tmpfs, ext4, xfs and btrfs keep it) are left with the times: a
 * rewrite in the same tick as the hash, or a change the inode never sees
 * (a 9p or FUSE server changing the file behind the client), goes unseen.
 *
 * A file is read by one job at a time: every caller that needs the same
 * file while it is hashed waits for that job and shares its result.
 * Reading a file may never end (a FUSE daemon that does not answer), so all
 * of it is bounded: a file above digest_max_mb is not hashed, a waiter
 * gives up after digest_timeout_ms, at most digest_jobs jobs exist and at
 * most digest_jobs_per_user of them were started by one real uid; beyond
 * that a request fails at once with -EBUSY.  A caller left without a
 * digest is denied by the callers of this file, never judged without it.
 *
 * A file on a superblock owned by a user namespace other than the initial
 * one (an unprivileged FUSE mount) is never hashed: whoever mounted it can
 * serve the hasher other bytes than exec got.
 *
 * Two ways in.  scws_digest_compute() sleeps in the caller's connect() (the
 * LSM path) and reads the file there when nobody else is, so the caller
 * pays for its own hash.  scws_digest_request() is for the netfilter hook
 * (atomic): it queues a job on scws_wq and calls back.  A queued job holds
 * a reference on the module, so while a file does not answer rmmod fails
 * at once with EBUSY rather than waiting for it; nothing else ever waits
 * for a job.
 */
#include <crypto/hash.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/iversion.h>
#include <linux/jhash.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/vmalloc.h>

#include "scws.h"

#define SCWS_DIGEST_CACHE_MAX	1024
#define SCWS_DIGEST_CHUNK	(64 * 1024)

static unsigned int digest_max_mb = 64;
static unsigned int digest_timeout_ms = 5000;
static unsigned int digest_jobs = 16;
static unsigned int digest_jobs_per_user = 4;

static int scws_digest_param_set(const char *val, const struct kernel_param *kp)
{
	if (kp->arg == &digest_max_mb)
		return param_set_uint_minmax(val, kp, 1, 4096);
	if (kp->arg == &digest_timeout_ms)
		return param_set_uint_minmax(val, kp, 10, 600000);
	return param_set_uint_minmax(val, kp, 1, 256);
}

static const struct kernel_param_ops scws_digest_param_ops = {
	.set = scws_digest_param_set,
	.get = param_get_uint,
};

module_param_cb(digest_max_mb, &scws_digest_param_ops, &digest_max_mb, 0644);
MODULE_PARM_DESC(digest_max_mb, "Largest executable hashed for exe-sha256/trusted rules, 1-4096 MiB (default 64)");
module_param_cb(digest_timeout_ms, &scws_digest_param_ops, &digest_timeout_ms, 0644);
MODULE_PARM_DESC(digest_timeout_ms, "Deny a caller whose executable is not hashed within this time, 10-600000 ms (default 5000)");
module_param_cb(digest_jobs, &scws_digest_param_ops, &digest_jobs, 0644);
MODULE_PARM_DESC(digest_jobs, "Files hashed at once, all users, 1-256 (default 16)");
module_param_cb(digest_jobs_per_user, &scws_digest_param_ops,
		&digest_jobs_per_user, 0644);
MODULE_PARM_DESC(digest_jobs_per_user, "Files hashed at once for one real uid, 1-256 (default 4)");

static_assert(sizeof(struct scws_file_id) == 2 * 8 + 2 * 16 + 8 + 2 * 4);

struct scws_digest_entry {
	struct hlist_node node;
	struct list_head lru;		/* oldest first */
	struct scws_file_id id;
	u8 digest[SCWS_SHA256_LEN];
};

/* One file being hashed; lives on scws_digest_jobs until answered. */
struct scws_digest_job {
	struct list_head node;
	struct list_head waiters;	/* struct scws_digest_req */
	refcount_t ref;			/* the hasher's and sync waiters' */
	struct scws_file_id id;
	kuid_t uid;			/* whose job it counts as */
	unsigned long deadline;		/* jiffies: stop reading */
	struct completion done;		/* sync waiters */
	int err;
	u8 digest[SCWS_SHA256_LEN];
	/* Queued jobs only. */
	struct work_struct work;
	struct file *file;
	const struct cred *cred;
	struct mem_cgroup *memcg;
};

/* Cache and jobs; taken in the hook. */
static DEFINE_SPINLOCK(scws_digest_lock);
static DEFINE_HASHTABLE(scws_digest_table, 8);
static LIST_HEAD(scws_digest_lru);
static unsigned int scws_digest_count;
static LIST_HEAD(scws_digest_jobs);
static unsigned int scws_digest_njobs;
static struct crypto_shash *scws_sha256;

static struct {
	atomic64_t started;		/* jobs: files read */
	atomic64_t shared;		/* requests that joined a job */
	atomic64_t busy;		/* refused: too many jobs */
	atomic64_t gave_up;		/* waiters timed out or cancelled */
} scws_digest_stats;

static int scws_digest_stats_get(char *buf, const struct kernel_param *kp)
{
	unsigned int jobs;

	spin_lock_bh(&scws_digest_lock);
	jobs = scws_digest_njobs;
	spin_unlock_bh(&scws_digest_lock);
	return scnprintf(buf, PAGE_SIZE,
			 "started=%lld shared=%lld busy=%lld gave_up=%lld jobs=%u\n",
			 atomic64_read(&scws_digest_stats.started),
			 atomic64_read(&scws_digest_stats.shared),
			 atomic64_read(&scws_digest_stats.busy),
			 atomic64_read(&scws_digest_stats.gave_up), jobs);
}

static const struct kernel_param_ops scws_digest_stats_ops = {
	.get = scws_digest_stats_get,
};

module_param_cb(digest_stats, &scws_digest_stats_ops, NULL, 0444);
MODULE_PARM_DESC(digest_stats, "Hash jobs started, requests that shared one, refused as busy, waiters that gave up, jobs now (read only)");

unsigned long scws_digest_timeout(void)
{
	return msecs_to_jiffies(READ_ONCE(digest_timeout_ms));
}

/*
 * @query: make the next change move i_version (inode_query_iversion);
 * otherwise only peek, locklessly.
 */
void scws_file_id(const struct file *f, struct scws_file_id *id, bool query)
{
	struct inode *inode = file_inode(f);

	memset(id, 0, sizeof(*id));
	id->dev = inode->i_sb->s_dev;
	id->ino = inode->i_ino;
	id->size = i_size_read(inode);
	id->mtime = inode->i_mtime;
	id->ctime = inode->i_ctime;
	if (IS_I_VERSION(inode))
		id->version = query ? inode_query_iversion(inode) :
				      inode_peek_iversion(inode);
}

/*
 * Can the bytes of @f be vouched for, i.e. are they the bytes exec mapped?
 * Not when the file system's daemon belongs to a user: a superblock owned
 * by another user namespace, or a FUSE mount that fusermount made for an
 * unprivileged user (those are always nosuid) can serve the hasher other
 * bytes than exec got (direct_io, cache invalidation).
 */
bool scws_file_vouchable(const struct file *f)
{
	const struct super_block *sb = file_inode(f)->i_sb;

	if (sb->s_user_ns != &init_user_ns)
		return false;
	return !(str_has_prefix(sb->s_type->name, "fuse") &&
		 (f->f_path.mnt->mnt_flags & MNT_NOSUID));
}

/* 0 when @f may be hashed at all, with its identity in @id. */
static int scws_file_check(const struct file *f, struct scws_file_id *id)
{
	const struct inode *inode = file_inode(f);

	if (!scws_file_vouchable(f))
		return -EPERM;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	scws_file_id(f, id, false);
	if (id->size > (loff_t)READ_ONCE(digest_max_mb) << 20)
		return -EFBIG;
	return 0;
}

static struct scws_digest_entry *scws_digest_find(const struct scws_file_id *id)
{
	struct scws_digest_entry *e;

	hash_for_each_possible(scws_digest_table, e, node, scws_file_id_hash(id))
		if (!memcmp(&e->id, id, sizeof(*id)))
			return e;
	return NULL;
}

/* Under scws_digest_lock. */
static bool scws_cache_get(const struct scws_file_id *id, u8 *digest)
{
	struct scws_digest_entry *e = scws_digest_find(id);

	if (e) {
		memcpy(digest, e->digest, SCWS_SHA256_LEN);
		list_move_tail(&e->lru, &scws_digest_lru);
	}
	return e;
}

bool scws_digest_lookup(const struct file *f, u8 *digest)
{
	struct scws_file_id id;
	bool hit;

	scws_file_id(f, &id, false);
	spin_lock_bh(&scws_digest_lock);
	hit = scws_cache_get(&id, digest);
	spin_unlock_bh(&scws_digest_lock);
	return hit;
}

/* Under scws_digest_lock: adds @e, returns what to kfree() after. */
static struct scws_digest_entry *scws_cache_put(struct scws_digest_entry *e)
{
	struct scws_digest_entry *old;

	if (scws_digest_find(&e->id))
		return e;
	old = NULL;
	if (scws_digest_count == SCWS_DIGEST_CACHE_MAX) {
		old = list_first_entry(&scws_digest_lru,
				       struct scws_digest_entry, lru);
		hash_del(&old->node);
		list_del(&old->lru);
		scws_digest_count--;
	}
	hash_add(scws_digest_table, &e->node, scws_file_id_hash(&e->id));
	list_add_tail(&e->lru, &scws_digest_lru);
	scws_digest_count++;
	return old;
}

/* Under scws_digest_lock. */
static struct scws_digest_job *scws_job_find(const struct scws_file_id *id)
{
	struct scws_digest_job *job;

	list_for_each_entry(job, &scws_digest_jobs, node)
		if (!memcmp(&job->id, id, sizeof(*id)))
			return job;
	return NULL;
}

/* Under scws_digest_lock: may @uid start one more job? */
static int scws_job_admit(kuid_t uid)
{
	struct scws_digest_job *job;
	unsigned int mine = 0;

	if (scws_digest_njobs >= READ_ONCE(digest_jobs))
		return -EBUSY;
	list_for_each_entry(job, &scws_digest_jobs, node)
		if (uid_eq(job->uid, uid))
			mine++;
	return mine >= READ_ONCE(digest_jobs_per_user) ? -EBUSY : 0;
}

/* Under scws_digest_lock. */
static void scws_job_start(struct scws_digest_job *job,
			   const struct scws_file_id *id, kuid_t uid)
{
	INIT_LIST_HEAD(&job->waiters);
	refcount_set(&job->ref, 1);
	job->id = *id;
	job->uid = uid;
	job->deadline = jiffies + scws_digest_timeout();
	init_completion(&job->done);
	list_add_tail(&job->node, &scws_digest_jobs);
	scws_digest_njobs++;
	atomic64_inc(&scws_digest_stats.started);
}

static void scws_job_put(struct scws_digest_job *job)
{
	if (!refcount_dec_and_test(&job->ref))
		return;
	if (job->file)
		fput(job->file);
	if (job->cred)
		put_cred(job->cred);
	mem_cgroup_put(job->memcg);
	kfree(job);
}

/*
 * Read and hash @f, which must still be @id when done: bytes read while the
 * file changed belong to no identity.  Gives up at @deadline or on a fatal
 * signal between two reads; a read the file system never answers is what
 * the bounds on jobs are for.
 */
static int scws_digest_read(struct file *f, const struct scws_file_id *id,
			    unsigned long deadline, u8 *digest)
{
	SHASH_DESC_ON_STACK(desc, scws_sha256);
	loff_t max = id->size, pos = 0;
	struct scws_file_id now;
	ssize_t n;
	void *buf;
	int err;

	/* Make any write from now on move i_version (IMA's way), then read. */
	scws_file_id(f, &now, true);
	if (memcmp(&now, id, sizeof(now)))
		return -ESTALE;
	buf = kvmalloc(SCWS_DIGEST_CHUNK, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	desc->tfm = scws_sha256;
	err = crypto_shash_init(desc);
	while (!err) {
		if (time_after(jiffies, deadline)) {
			err = -ETIMEDOUT;
			break;
		}
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		n = kernel_read(f, buf, SCWS_DIGEST_CHUNK, &pos);
		if (n <= 0) {
			err = n;
			break;
		}
		/* More bytes than the size we checked: it grew. */
		if (pos > max) {
			err = -ESTALE;
			break;
		}
		err = crypto_shash_update(desc, buf, n);
		cond_resched();
	}
	if (!err)
		err = crypto_shash_final(desc, digest);
	shash_desc_zero(desc);
	kvfree(buf);
	if (!err) {
		scws_file_id(f, &now, false);
		if (memcmp(&now, id, sizeof(now)))
			err = -ESTALE;
	}
	return err;
}

/* Answer every waiter of @job and take it off the job list. */
static void scws_job_finish(struct scws_digest_job *job, int err,
			    const u8 *digest)
{
	struct scws_digest_entry *e = NULL;
	struct scws_digest_req *req, *tmp;

	if (!err) {
		e = kmalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
		if (e) {
			e->id = job->id;
			memcpy(e->digest, digest, SCWS_SHA256_LEN);
		}
	}
	spin_lock_bh(&scws_digest_lock);
	list_del(&job->node);
	scws_digest_njobs--;
	job->err = err;
	if (!err)
		memcpy(job->digest, digest, SCWS_SHA256_LEN);
	if (e)
		e = scws_cache_put(e);
	list_for_each_entry_safe(req, tmp, &job->waiters, node) {
		list_del_init(&req->node);
		req->job = NULL;
		req->err = err;
		if (!err)
			memcpy(req->digest, digest, SCWS_SHA256_LEN);
		req->done(req);
	}
	spin_unlock_bh(&scws_digest_lock);
	complete_all(&job->done);
	kfree(e);
}

/*
 * The digest of @f for a caller with credentials @cred, in @digest; sleeps.
 * 0, or a negative errno and no digest: -EPERM (file of a user namespace's
 * mount), -EFBIG (above digest_max_mb), -EBUSY (too many jobs),
 * -ETIMEDOUT, -EINTR (fatal signal), -ESTALE (changed while read), or what
 * reading the file returned.
 */
int scws_digest_compute(struct file *f, const struct cred *cred, u8 *digest)
{
	struct scws_digest_job *job, *new;
	struct scws_file_id id;
	long left;
	int err;

	might_sleep();
	err = scws_file_check(f, &id);
	if (err)
		return err;
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	spin_lock_bh(&scws_digest_lock);
	if (scws_cache_get(&id, digest)) {
		spin_unlock_bh(&scws_digest_lock);
		kfree(new);
		return 0;
	}
	job = scws_job_find(&id);
	if (job) {
		refcount_inc(&job->ref);
		atomic64_inc(&scws_digest_stats.shared);
		spin_unlock_bh(&scws_digest_lock);
		kfree(new);
		left = scws_digest_timeout();
		left = wait_for_completion_killable_timeout(&job->done, left);
		if (left > 0) {
			err = job->err;
			if (!err)
				memcpy(digest, job->digest, SCWS_SHA256_LEN);
		} else {
			err = left ? -EINTR : -ETIMEDOUT;
			atomic64_inc(&scws_digest_stats.gave_up);
		}
		scws_job_put(job);
		return err;
	}
	err = scws_job_admit(cred->uid);
	if (err) {
		atomic64_inc(&scws_digest_stats.busy);
		spin_unlock_bh(&scws_digest_lock);
		kfree(new);
		return err;
	}
	scws_job_start(new, &id, cred->uid);
	spin_unlock_bh(&scws_digest_lock);

	err = scws_digest_read(f, &id, new->deadline, digest);
	scws_job_finish(new, err, digest);
	scws_job_put(new);
	return err;
}

static void scws_job_work(struct work_struct *work)
{
	struct scws_digest_job *job = container_of(work, struct scws_digest_job,
						   work);
	struct mem_cgroup *old_memcg = set_active_memcg(job->memcg);
	const struct cred *old_cred = override_creds(job->cred);
	u8 digest[SCWS_SHA256_LEN];
	int err;

	err = scws_digest_read(job->file, &job->id, job->deadline, digest);
	revert_creds(old_cred);
	scws_job_finish(job, err, digest);
	set_active_memcg(old_memcg);
	scws_job_put(job);
	/* Last: module exit waits in destroy_workqueue() for our return. */
	module_put(THIS_MODULE);
}

/*
 * Ask for the digest of @f from atomic context, for a caller with
 * credentials @cred (current is that caller when in_task(): the job's
 * memory is charged to its memory cgroup).  Returns 0 with the digest in
 * @req->digest when it is known, -EINPROGRESS when @done will be called
 * with @req->err and @req->digest set (under a spinlock: it must not sleep)
 * unless scws_digest_cancel() takes @req back first, or a negative errno
 * as scws_digest_compute() would (-EBUSY also while the module goes away).
 */
int scws_digest_request(struct scws_digest_req *req, struct file *f,
			const struct cred *cred,
			void (*done)(struct scws_digest_req *req))
{
	struct scws_digest_job *job, *new;
	struct scws_file_id id;
	int err;

	INIT_LIST_HEAD(&req->node);
	req->job = NULL;
	req->done = done;
	req->err = 0;
	err = scws_file_check(f, &id);
	if (err)
		return err;
	new = kzalloc(sizeof(*new), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!new)
		return -ENOMEM;
	spin_lock_bh(&scws_digest_lock);
	err = 0;
	if (scws_cache_get(&id, req->digest))
		goto unlock;
	job = scws_job_find(&id);
	if (job) {
		atomic64_inc(&scws_digest_stats.shared);
	} else {
		err = scws_job_admit(cred->uid);
		if (!err && !try_module_get(THIS_MODULE))
			err = -EBUSY;
		if (err) {
			atomic64_inc(&scws_digest_stats.busy);
			goto unlock;
		}
		job = new;
		new = NULL;
		scws_job_start(job, &id, cred->uid);
		job->file = get_file(f);
		job->cred = get_cred(cred);
		if (in_task())
			job->memcg = get_mem_cgroup_from_mm(current->mm);
		INIT_WORK(&job->work, scws_job_work);
		queue_work(scws_wq, &job->work);
	}
	req->job = job;
	list_add_tail(&req->node, &job->waiters);
	err = -EINPROGRESS;
unlock:
	spin_unlock_bh(&scws_digest_lock);
	kfree(new);
	return err;
}

/*
 * Stop waiting.  True: @req was still waiting and its callback will never
 * run.  False: it is not waiting (any more): the callback has already run.
 */
bool scws_digest_cancel(struct scws_digest_req *req)
{
	bool waiting;

	spin_lock_bh(&scws_digest_lock);
	waiting = req->job;
	if (waiting) {
		list_del_init(&req->node);
		req->job = NULL;
	}
	spin_unlock_bh(&scws_digest_lock);
	if (waiting)
		atomic64_inc(&scws_digest_stats.gave_up);
	return waiting;
}

int scws_digest_init(void)
{
	scws_sha256 = crypto_alloc_shash("sha256", 0, 0);
	return PTR_ERR_OR_ZERO(scws_sha256);
}

void scws_digest_exit(void)
{
	struct scws_digest_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &scws_digest_lru, lru)
		kfree(e);
	hash_init(scws_digest_table);
	INIT_LIST_HEAD(&scws_digest_lru);
	scws_digest_count = 0;
	crypto_free_shash(scws_sha256);
}

#ifdef CONFIG_SCWS_KUNIT_TEST
#include "digest_test.c"
#endif
