// SPDX-License-Identifier: GPL-2.0
/*
 * Signed executables.  The signature is a detached PKCS#7 SignedData, the
 * shape of a kernel module signature (no signed attributes, the signer
 * named by issuer and serial), stored in the trusted.scws.sig extended
 * attribute, which the VFS lets only CAP_SYS_ADMIN (initial user
 * namespace) write, whatever the LSMs say: on 6.1 the BPF LSM's default
 * for inode_setxattr skips the capability check of security.* attributes,
 * so any user may write those.  The signature, not the attribute, is what
 * is trusted; the attribute's protection keeps users from stripping one.
 * What it signs is the statement
 * "scws-exe-sha256:" || SHA-256(file): the file is read once, for the
 * digest the module computes anyway (digest.c), and verifying costs a
 * public key operation, never a second read or a copy of the file.
 *
 * The signature must carry exactly one certificate, its signer's, so that
 * "the signing certificate" (signer-sha256/signer-sha1) is well defined.
 * A verdict is cached per inode like the digest, keyed by size, times and
 * i_version, and valid while the trust epoch (keyring.c) is unchanged and
 * the file's current digest is the one it was given for.
 */
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/iversion.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/xattr.h>

#include "scws.h"
#include "trust.h"

#define SCWS_SIG_CACHE_MAX	1024
#define SCWS_STMT_PREFIX_LEN	(sizeof(SCWS_SIG_STATEMENT) - 1)
#define SCWS_STMT_LEN		(SCWS_STMT_PREFIX_LEN + SCWS_SHA256_LEN)

struct scws_sig_entry {
	struct hlist_node node;
	struct list_head lru;		/* oldest first */
	struct scws_file_id id;
	u64 epoch;			/* scws_trust_epoch() when checked */
	u8 digest[SCWS_SHA256_LEN];	/* of the content checked */
	struct scws_sig_facts facts;
};

static DEFINE_SPINLOCK(scws_sig_lock);	/* taken in the hook */
static DEFINE_HASHTABLE(scws_sig_table, 8);
static LIST_HEAD(scws_sig_lru);
static unsigned int scws_sig_count;
static struct crypto_shash *scws_sha1;

/* ---- the PKCS#7 message: just enough DER to find the signer's cert */

/* One TLV at *@p (DER, definite lengths): its tag and contents. */
static int scws_der_next(const u8 **p, const u8 *end, u8 *tag,
			 const u8 **val, size_t *vlen)
{
	const u8 *q = *p;
	size_t len, n;

	if (end - q < 2)
		return -EBADMSG;
	*tag = *q++;
	if ((*tag & 0x1f) == 0x1f)
		return -EBADMSG;
	len = *q++;
	if (len & 0x80) {
		n = len & 0x7f;
		if (!n || n > 3 || end - q < n)
			return -EBADMSG;
		for (len = 0; n; n--)
			len = len << 8 | *q++;
	}
	if (len > end - q)
		return -EBADMSG;
	*val = q;
	*vlen = len;
	*p = q + len;
	return 0;
}

/* The next TLV must have @tag; *@p moves past it. */
static int scws_der_expect(const u8 **p, const u8 *end, u8 tag,
			   const u8 **val, size_t *vlen)
{
	u8 t;
	int err = scws_der_next(p, end, &t, val, vlen);

	return err ?: t == tag ? 0 : -EBADMSG;
}

static int scws_der_count(const u8 *p, size_t len)
{
	const u8 *end = p + len, *v;
	size_t vlen;
	int n = 0;
	u8 tag;

	while (p < end) {
		if (scws_der_next(&p, end, &tag, &v, &vlen))
			return -EBADMSG;
		n++;
	}
	return n;
}

static const u8 scws_oid_signed_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };

/*
 * The one certificate @sig carries (its full DER), checking the shape:
 * SignedData, detached, one certificate, one signer, no signed attributes.
 */
int scws_sig_signer_cert(const u8 *sig, size_t len, const u8 **cert,
			 size_t *cert_len)
{
	const u8 *p = sig, *end = sig + len, *v, *sd, *sd_end, *si;
	size_t vlen;
	u8 tag;

	if (scws_der_expect(&p, end, 0x30, &v, &vlen))
		return -EBADMSG;
	p = v;
	end = v + vlen;
	if (scws_der_expect(&p, end, 0x06, &v, &vlen) ||
	    vlen != sizeof(scws_oid_signed_data) ||
	    memcmp(v, scws_oid_signed_data, vlen) ||
	    scws_der_expect(&p, end, 0xa0, &v, &vlen))
		return -EBADMSG;
	p = v;
	end = v + vlen;
	if (scws_der_expect(&p, end, 0x30, &sd, &vlen))
		return -EBADMSG;
	p = sd;
	sd_end = sd + vlen;
	if (scws_der_expect(&p, sd_end, 0x02, &v, &vlen) ||	/* version */
	    scws_der_expect(&p, sd_end, 0x31, &v, &vlen) ||	/* digests */
	    scws_der_expect(&p, sd_end, 0x30, &v, &vlen))	/* content */
		return -EBADMSG;
	/* Detached: the content info holds its type only. */
	if (scws_der_count(v, vlen) != 1)
		return -EBADMSG;
	if (scws_der_expect(&p, sd_end, 0xa0, &v, &vlen) ||
	    scws_der_count(v, vlen) != 1)
		return -ENOKEY;		/* not exactly one certificate */
	*cert = v;
	*cert_len = vlen;
	if (scws_der_next(&p, sd_end, &tag, &v, &vlen))
		return -EBADMSG;
	if (tag == 0xa1 && scws_der_next(&p, sd_end, &tag, &v, &vlen))
		return -EBADMSG;			/* CRLs, ignored */
	if (tag != 0x31 || p != sd_end || scws_der_count(v, vlen) != 1)
		return -EBADMSG;			/* one signer */
	p = v;
	if (scws_der_expect(&p, v + vlen, 0x30, &si, &vlen))
		return -EBADMSG;
	p = si;
	end = si + vlen;
	if (scws_der_expect(&p, end, 0x02, &v, &vlen) ||	/* version */
	    scws_der_expect(&p, end, 0x30, &v, &vlen) ||	/* issuer+serial */
	    scws_der_expect(&p, end, 0x30, &v, &vlen) ||	/* digest alg */
	    scws_der_next(&p, end, &tag, &v, &vlen) || tag == 0xa0)
		return -EBADMSG;			/* signed attributes */
	return 0;
}

/*
 * What @sig (trusted.scws.sig) says about a file whose SHA-256 is
 * @digest.  Sleeps.  0 with @facts filled, or why it is not signed.
 */
int scws_sig_check(const u8 *digest, const void *sig, size_t sig_len,
		   struct scws_sig_facts *facts)
{
	u8 stmt[SCWS_STMT_LEN];
	const u8 *cert;
	size_t cert_len;
	int err;

	memset(facts, 0, sizeof(*facts));
	err = scws_sig_signer_cert(sig, sig_len, &cert, &cert_len);
	if (err)
		return err;
	memcpy(stmt, SCWS_SIG_STATEMENT, SCWS_STMT_PREFIX_LEN);
	memcpy(stmt + SCWS_STMT_PREFIX_LEN, digest, SCWS_SHA256_LEN);
	err = scws_keyring_verify_self(cert, cert_len, stmt, sizeof(stmt),
				       sig, sig_len);
	if (err)
		return err;
	sha256(cert, cert_len, facts->signer_sha256);
	facts->flags = SCWS_SIG_SIGNED;
	if (scws_sha1 && !crypto_shash_tfm_digest(scws_sha1, cert, cert_len,
						  facts->signer_sha1))
		facts->flags |= SCWS_SIG_SHA1;
	if (!scws_keyring_verify(SCWS_ANCHOR_MANUFACTURER, stmt, sizeof(stmt),
				 sig, sig_len))
		facts->flags |= SCWS_SIG_MANUFACTURER;
	if (!scws_keyring_verify(SCWS_ANCHOR_CARD, stmt, sizeof(stmt),
				 sig, sig_len))
		facts->flags |= SCWS_SIG_CARD;
	return 0;
}

/* ---- the cache */

static struct scws_sig_entry *scws_sig_find(const struct scws_file_id *id)
{
	struct scws_sig_entry *e;

	hash_for_each_possible(scws_sig_table, e, node, scws_file_id_hash(id))
		if (!memcmp(&e->id, id, sizeof(*id)))
			return e;
	return NULL;
}

/*
 * The cached verdict on @f, if the file has not changed, the trusted
 * certificates have not, and @digest (the file's, now) is the one checked.
 * Atomic context.
 */
static bool scws_sig_lookup_id(const struct scws_file_id *id, const u8 *digest,
			       struct scws_sig_facts *facts)
{
	struct scws_sig_entry *e;
	bool hit;

	spin_lock_bh(&scws_sig_lock);
	e = scws_sig_find(id);
	hit = e && e->epoch == scws_trust_epoch() &&
	      !memcmp(e->digest, digest, SCWS_SHA256_LEN);
	if (hit) {
		*facts = e->facts;
		list_move_tail(&e->lru, &scws_sig_lru);
	}
	spin_unlock_bh(&scws_sig_lock);
	return hit;
}

bool scws_sig_lookup(const struct file *f, const u8 *digest,
		     struct scws_sig_facts *facts)
{
	struct scws_file_id id;

	scws_file_id(f, &id, false);
	return scws_sig_lookup_id(&id, digest, facts);
}

static void scws_sig_insert(const struct scws_file_id *id, u64 epoch,
			    const u8 *digest,
			    const struct scws_sig_facts *facts)
{
	struct scws_sig_entry *e, *old;

	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return;
	memcpy(&e->id, id, sizeof(*id));
	e->epoch = epoch;
	memcpy(e->digest, digest, SCWS_SHA256_LEN);
	e->facts = *facts;

	spin_lock_bh(&scws_sig_lock);
	old = scws_sig_find(id);
	if (!old && scws_sig_count == SCWS_SIG_CACHE_MAX)
		old = list_first_entry(&scws_sig_lru, struct scws_sig_entry,
				       lru);
	if (old) {
		hash_del(&old->node);
		list_del(&old->lru);
		scws_sig_count--;
	}
	hash_add(scws_sig_table, &e->node, scws_file_id_hash(id));
	list_add_tail(&e->lru, &scws_sig_lru);
	scws_sig_count++;
	spin_unlock_bh(&scws_sig_lock);
	kfree(old);
}

/*
 * The file's SHA-256, from digest.c: the one read of the file serves the
 * exe-sha256 rules and the signature alike.
 */
static int scws_sig_file_digest(struct file *f, const struct cred *cred,
				u8 *digest)
{
	return scws_digest_compute(f, cred, digest);
}

/*
 * Check @f's signature and cache the verdict (an unsigned or badly signed
 * file is cached too, with no flags).  Process context: reads the file
 * (through digest.c, for a caller with @cred) and its xattr, and verifies.
 * A file digest.c cannot vouch for (a file system mounted from another
 * user namespace than the initial one, a user's FUSE mount) is never
 * trusted.
 */
void scws_sig_examine(struct file *f, const struct cred *cred)
{
	struct scws_sig_facts facts = {};
	u8 digest[SCWS_SHA256_LEN];
	struct scws_file_id id;
	u64 epoch;
	ssize_t n;
	void *buf;

	might_sleep();
	/* Before the digest: a change after this leaves the entry unused. */
	scws_file_id(f, &id, true);
	epoch = scws_trust_epoch();
	if (scws_sig_file_digest(f, cred, digest))
		return;
	if (scws_sig_lookup(f, digest, &facts))
		return;
	buf = kmalloc(SCWS_SIG_MAX, GFP_KERNEL);
	if (!buf)
		return;
	n = __vfs_getxattr(f->f_path.dentry, file_inode(f), SCWS_SIG_XATTR,
			   buf, SCWS_SIG_MAX);
	if (n > 0 && scws_sig_check(digest, buf, n, &facts))
		memset(&facts, 0, sizeof(facts));
	kfree(buf);
	if (!scws_file_vouchable(f))
		facts.flags &= SCWS_SIG_SIGNED;
	scws_sig_insert(&id, epoch, digest, &facts);
}

/* Without SHA-1 in the kernel, signer-sha1 rules match nothing. */
int scws_sign_init(void)
{
	scws_sha1 = crypto_alloc_shash("sha1", 0, 0);
	if (IS_ERR(scws_sha1))
		scws_sha1 = NULL;
	return 0;
}

void scws_sign_exit(void)
{
	struct scws_sig_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &scws_sig_lru, lru)
		kfree(e);
	hash_init(scws_sig_table);
	INIT_LIST_HEAD(&scws_sig_lru);
	scws_sig_count = 0;
	crypto_free_shash(scws_sha1);
	scws_sha1 = NULL;
}

#if IS_ENABLED(CONFIG_SCWS_KUNIT_TEST)
#include "sign_test.c"
#endif
