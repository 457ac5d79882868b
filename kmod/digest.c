// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-256 of callers' executables, computed with the crypto API and cached
 * per inode.  An entry is valid while the inode's size, mtime and ctime are
 * unchanged: any write or metadata change to the file moves ctime.
 *
 * Lookups happen in the hook (atomic context); hashing reads the file and
 * sleeps, so it runs from the module's workqueue.
 */
#include <crypto/hash.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "scws.h"

#define SCWS_DIGEST_CACHE_MAX	1024
#define SCWS_DIGEST_CHUNK	(64 * 1024)
#define SCWS_DIGEST_FILE_MAX	(256LL << 20)

struct scws_file_id {
	dev_t dev;
	unsigned long ino;
	loff_t size;
	struct timespec64 mtime, ctime;
};

struct scws_digest_entry {
	struct hlist_node node;
	struct list_head lru;		/* oldest first */
	struct scws_file_id id;
	u8 digest[SCWS_SHA256_LEN];
};

static DEFINE_SPINLOCK(scws_digest_lock);	/* taken in the hook */
static DEFINE_HASHTABLE(scws_digest_table, 8);
static LIST_HEAD(scws_digest_lru);
static unsigned int scws_digest_count;
static struct crypto_shash *scws_sha256;

static void scws_file_id(const struct file *f, struct scws_file_id *id)
{
	const struct inode *inode = file_inode(f);

	memset(id, 0, sizeof(*id));
	id->dev = inode->i_sb->s_dev;
	id->ino = inode->i_ino;
	id->size = i_size_read(inode);
	id->mtime = inode->i_mtime;
	id->ctime = inode->i_ctime;
}

static u32 scws_file_id_hash(const struct scws_file_id *id)
{
	return jhash(id, sizeof(*id), 0);
}

static struct scws_digest_entry *scws_digest_find(const struct scws_file_id *id)
{
	struct scws_digest_entry *e;

	hash_for_each_possible(scws_digest_table, e, node, scws_file_id_hash(id))
		if (!memcmp(&e->id, id, sizeof(*id)))
			return e;
	return NULL;
}

bool scws_digest_lookup(const struct file *f, u8 *digest)
{
	struct scws_digest_entry *e;
	struct scws_file_id id;

	scws_file_id(f, &id);
	spin_lock_bh(&scws_digest_lock);
	e = scws_digest_find(&id);
	if (e) {
		memcpy(digest, e->digest, SCWS_SHA256_LEN);
		list_move_tail(&e->lru, &scws_digest_lru);
	}
	spin_unlock_bh(&scws_digest_lock);
	return e;
}

static void scws_digest_insert(const struct scws_file_id *id, const u8 *digest)
{
	struct scws_digest_entry *e, *old = NULL;

	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return;
	e->id = *id;
	memcpy(e->digest, digest, SCWS_SHA256_LEN);

	spin_lock_bh(&scws_digest_lock);
	if (scws_digest_find(id)) {
		spin_unlock_bh(&scws_digest_lock);
		kfree(e);
		return;
	}
	if (scws_digest_count == SCWS_DIGEST_CACHE_MAX) {
		old = list_first_entry(&scws_digest_lru,
				       struct scws_digest_entry, lru);
		hash_del(&old->node);
		list_del(&old->lru);
		scws_digest_count--;
	}
	hash_add(scws_digest_table, &e->node, scws_file_id_hash(id));
	list_add_tail(&e->lru, &scws_digest_lru);
	scws_digest_count++;
	spin_unlock_bh(&scws_digest_lock);
	kfree(old);
}

/* Hash @f (sleeps) and cache the result; 0 or a negative errno. */
int scws_digest_compute(struct file *f, u8 *digest)
{
	SHASH_DESC_ON_STACK(desc, scws_sha256);
	struct scws_file_id id;
	loff_t pos = 0;
	ssize_t n;
	void *buf;
	int err;

	if (scws_digest_lookup(f, digest))
		return 0;
	scws_file_id(f, &id);
	if (id.size > SCWS_DIGEST_FILE_MAX)
		return -EFBIG;
	buf = kvmalloc(SCWS_DIGEST_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	desc->tfm = scws_sha256;
	err = crypto_shash_init(desc);
	while (!err) {
		n = kernel_read(f, buf, SCWS_DIGEST_CHUNK, &pos);
		if (n <= 0) {
			err = n;
			break;
		}
		err = crypto_shash_update(desc, buf, n);
	}
	if (!err)
		err = crypto_shash_final(desc, digest);
	shash_desc_zero(desc);
	kvfree(buf);
	if (!err)
		scws_digest_insert(&id, digest);
	return err;
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
