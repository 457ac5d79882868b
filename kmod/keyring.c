// SPDX-License-Identifier: GPL-2.0
/*
 * The trusted certificates: one keyring per anchor (the manufacturer's,
 * the card's), owned by the module and linked nowhere, so that only the
 * module changes them.  A list beside each keyring keeps the certificates
 * for TRUST_GET.  Every change moves the trust epoch, which makes every
 * cached verdict stale (sign.c).
 */
#include <crypto/sha2.h>
#include <linux/cred.h>
#include <linux/key.h>
#include <linux/slab.h>
#include <linux/verification.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "scws.h"
#include "trust.h"

#if IS_ENABLED(CONFIG_SYSTEM_DATA_VERIFICATION)

struct scws_cert {
	struct list_head node;
	u8 sha256[SCWS_SHA256_LEN];
	u32 len;
	u8 der[];
};

struct scws_anchor_set {
	const char *name;
	struct key *keyring;
	struct list_head certs;		/* in the order they were added */
	u32 ncerts;
};

static struct scws_anchor_set scws_anchors[] = {
	[SCWS_ANCHOR_MANUFACTURER] = { .name = "scws:manufacturer" },
	[SCWS_ANCHOR_CARD] = { .name = "scws:card" },
};

/* Checks a signature against its own signer certificate alone. */
static struct key *scws_scratch;
static DEFINE_MUTEX(scws_scratch_lock);

static DEFINE_MUTEX(scws_anchor_lock);	/* the lists, adds and clears */
static atomic64_t scws_epoch = ATOMIC64_INIT(1);

#define SCWS_KEY_PERM	(KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ)

u64 scws_trust_epoch(void)
{
	return atomic64_read(&scws_epoch);
}

static struct key *scws_keyring_new(const char *name)
{
	return keyring_alloc(name, GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
			     current_cred(), SCWS_KEY_PERM,
			     KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);
}

/* Link @der into @keyring as an asymmetric key named by its digest. */
static int scws_keyring_link(struct key *keyring, const u8 *der, size_t len,
			     const u8 *sha256)
{
	char desc[8 + 2 * SCWS_SHA256_LEN + 1];
	key_ref_t kref;

	snprintf(desc, sizeof(desc), "scws:%*phN", SCWS_SHA256_LEN, sha256);
	kref = key_create_or_update(make_key_ref(keyring, true), "asymmetric",
				    desc, der, len, SCWS_KEY_PERM,
				    KEY_ALLOC_NOT_IN_QUOTA);
	if (IS_ERR(kref))
		return PTR_ERR(kref);
	key_ref_put(kref);
	return 0;
}

/*
 * Is @sig (PKCS#7, detached) over @data by a key of @anchor, or chaining
 * to one?  0 when it is, else a negative errno (-ENOKEY: not trusted).
 */
int scws_keyring_verify(enum scws_anchor anchor, const void *data,
			size_t len, const void *sig, size_t sig_len)
{
	return verify_pkcs7_signature(data, len, sig, sig_len,
				      scws_anchors[anchor].keyring,
				      VERIFYING_UNSPECIFIED_SIGNATURE,
				      NULL, NULL);
}

/*
 * Is @sig over @data made by the key of @cert, the one certificate it
 * carries?  Verified against a keyring holding that certificate alone.
 */
int scws_keyring_verify_self(const u8 *cert, size_t cert_len,
			     const void *data, size_t len,
			     const void *sig, size_t sig_len)
{
	u8 sha[SCWS_SHA256_LEN];
	int err;

	sha256(cert, cert_len, sha);
	mutex_lock(&scws_scratch_lock);
	err = scws_keyring_link(scws_scratch, cert, cert_len, sha);
	if (!err)
		err = verify_pkcs7_signature(data, len, sig, sig_len,
					     scws_scratch,
					     VERIFYING_UNSPECIFIED_SIGNATURE,
					     NULL, NULL);
	keyring_clear(scws_scratch);
	mutex_unlock(&scws_scratch_lock);
	return err;
}

static int scws_anchor_add(enum scws_anchor anchor, const u8 *der, u32 len,
			   struct netlink_ext_ack *extack)
{
	struct scws_anchor_set *set = &scws_anchors[anchor];
	struct scws_cert *c, *old;
	int err;

	c = kmalloc(struct_size(c, der, len), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->len = len;
	memcpy(c->der, der, len);
	sha256(der, len, c->sha256);

	mutex_lock(&scws_anchor_lock);
	list_for_each_entry(old, &set->certs, node) {
		if (!memcmp(old->sha256, c->sha256, SCWS_SHA256_LEN)) {
			err = 0;	/* already there */
			goto out_free;
		}
	}
	if (set->ncerts >= SCWS_TRUST_MAX_CERTS) {
		NL_SET_ERR_MSG(extack, "too many certificates for this anchor");
		err = -ENOSPC;
		goto out_free;
	}
	err = scws_keyring_link(set->keyring, der, len, c->sha256);
	if (err) {
		NL_SET_ERR_MSG(extack,
			       "not an X.509 certificate the kernel can use (DER, RSA)");
		goto out_free;
	}
	list_add_tail(&c->node, &set->certs);
	set->ncerts++;
	atomic64_inc(&scws_epoch);
	mutex_unlock(&scws_anchor_lock);
	return 0;

out_free:
	mutex_unlock(&scws_anchor_lock);
	kfree(c);
	return err;
}

static void scws_anchor_clear(enum scws_anchor anchor)
{
	struct scws_anchor_set *set = &scws_anchors[anchor];
	struct scws_cert *c, *tmp;

	mutex_lock(&scws_anchor_lock);
	keyring_clear(set->keyring);
	list_for_each_entry_safe(c, tmp, &set->certs, node) {
		list_del(&c->node);
		kfree(c);
	}
	set->ncerts = 0;
	atomic64_inc(&scws_epoch);
	mutex_unlock(&scws_anchor_lock);
}

/*
 * The manufacturer's certificates decide for every namespace: only the
 * system's admin (CAP_SYS_ADMIN over the initial user namespace) changes
 * them.  The card's are global too for now: CAP_NET_ADMIN over the
 * initial user namespace (GENL_ADMIN_PERM), which the pump has.
 */
static int scws_trust_anchor_arg(struct sk_buff *skb, struct genl_info *info,
				 enum scws_anchor *anchor)
{
	struct nlattr *a = info->attrs[SCWS_A_TRUST_ANCHOR];

	if (!a) {
		NL_SET_ERR_MSG(info->extack, "which anchor (SCWS_A_TRUST_ANCHOR)?");
		return -EINVAL;
	}
	*anchor = nla_get_u8(a);
	if (*anchor == SCWS_ANCHOR_MANUFACTURER &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "the manufacturer's certificates need CAP_SYS_ADMIN");
		return -EPERM;
	}
	return 0;
}

int scws_nl_trust_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *cert = info->attrs[SCWS_A_TRUST_CERT];
	enum scws_anchor anchor;
	int err;

	err = scws_trust_anchor_arg(skb, info, &anchor);
	if (err)
		return err;
	if (!cert) {
		NL_SET_ERR_MSG(info->extack, "no certificate (SCWS_A_TRUST_CERT)");
		return -EINVAL;
	}
	return scws_anchor_add(anchor, nla_data(cert), nla_len(cert),
			       info->extack);
}

int scws_nl_trust_clear(struct sk_buff *skb, struct genl_info *info)
{
	enum scws_anchor anchor;
	int err;

	err = scws_trust_anchor_arg(skb, info, &anchor);
	if (!err)
		scws_anchor_clear(anchor);
	return err;
}

static int scws_cert_fill(struct sk_buff *skb, struct netlink_callback *cb,
			  enum scws_anchor anchor, const struct scws_cert *c)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  genl_dumpit_info(cb)->family, NLM_F_MULTI,
			  SCWS_CMD_TRUST_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u8(skb, SCWS_A_TRUST_ANCHOR, anchor) ||
	    nla_put(skb, SCWS_A_TRUST_CERT_SHA256, SCWS_SHA256_LEN,
		    c->sha256) ||
	    nla_put(skb, SCWS_A_TRUST_CERT, c->len, c->der)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* One message per certificate; cb->args[0]: certificates sent so far. */
int scws_nl_trust_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	long i = 0, start = cb->args[0];
	const struct scws_cert *c;
	int anchor;

	mutex_lock(&scws_anchor_lock);
	cb->seq = (u32)atomic64_read(&scws_epoch);
	for (anchor = SCWS_ANCHOR_MANUFACTURER; anchor <= SCWS_ANCHOR_CARD;
	     anchor++) {
		list_for_each_entry(c, &scws_anchors[anchor].certs, node) {
			if (i++ < start)
				continue;
			if (scws_cert_fill(skb, cb, anchor, c))
				goto full;
			cb->args[0] = i;
		}
	}
full:
	mutex_unlock(&scws_anchor_lock);
	return skb->len;
}

int scws_keyring_init(void)
{
	int i;

	scws_scratch = scws_keyring_new("scws:signer");
	if (IS_ERR(scws_scratch))
		return PTR_ERR(scws_scratch);
	for (i = SCWS_ANCHOR_MANUFACTURER; i <= SCWS_ANCHOR_CARD; i++) {
		INIT_LIST_HEAD(&scws_anchors[i].certs);
		scws_anchors[i].keyring = scws_keyring_new(scws_anchors[i].name);
		if (IS_ERR(scws_anchors[i].keyring)) {
			int err = PTR_ERR(scws_anchors[i].keyring);

			scws_anchors[i].keyring = NULL;
			scws_keyring_exit();
			return err;
		}
	}
	return 0;
}

void scws_keyring_exit(void)
{
	int i;

	for (i = SCWS_ANCHOR_MANUFACTURER; i <= SCWS_ANCHOR_CARD; i++) {
		if (!scws_anchors[i].keyring)
			continue;
		scws_anchor_clear(i);
		key_put(scws_anchors[i].keyring);
		scws_anchors[i].keyring = NULL;
	}
	key_put(scws_scratch);
	scws_scratch = NULL;
}

#else	/* !CONFIG_SYSTEM_DATA_VERIFICATION: nothing is ever trusted */

u64 scws_trust_epoch(void)
{
	return 1;
}

int scws_keyring_verify(enum scws_anchor anchor, const void *data,
			size_t len, const void *sig, size_t sig_len)
{
	return -ENOPKG;
}

int scws_keyring_verify_self(const u8 *cert, size_t cert_len,
			     const void *data, size_t len,
			     const void *sig, size_t sig_len)
{
	return -ENOPKG;
}

static int scws_nl_trust_none(struct genl_info *info)
{
	NL_SET_ERR_MSG(info->extack,
		       "this kernel cannot verify signatures (no SYSTEM_DATA_VERIFICATION)");
	return -EOPNOTSUPP;
}

int scws_nl_trust_add(struct sk_buff *skb, struct genl_info *info)
{
	return scws_nl_trust_none(info);
}

int scws_nl_trust_clear(struct sk_buff *skb, struct genl_info *info)
{
	return scws_nl_trust_none(info);
}

int scws_nl_trust_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

int scws_keyring_init(void)
{
	return 0;
}

void scws_keyring_exit(void)
{
}

#endif
