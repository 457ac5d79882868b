/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trusted applications: the two sets of trusted certificates (keyring.c)
 * and the signatures of executables checked against them (sign.c).
 */
#ifndef _SCWS_TRUST_H
#define _SCWS_TRUST_H

#include <linux/fs.h>
#include <linux/types.h>
#include <net/genetlink.h>

#include <linux/scws.h>

/* What a signature says about an executable. */
#define SCWS_SIG_SIGNED		BIT(0)	/* valid by its own signer cert */
#define SCWS_SIG_MANUFACTURER	BIT(1)	/* chains to a manufacturer cert */
#define SCWS_SIG_CARD		BIT(2)	/* chains to a card cert */
#define SCWS_SIG_SHA1		BIT(3)	/* signer_sha1 is known */

struct scws_sig_facts {
	u8 flags;			/* SCWS_SIG_* */
	u8 signer_sha256[SCWS_SHA256_LEN];
	u8 signer_sha1[SCWS_SHA1_LEN];
};

/* keyring.c */
int scws_keyring_init(void);
void scws_keyring_exit(void);
u64 scws_trust_epoch(void);
int scws_keyring_verify(enum scws_anchor anchor, const void *data,
			size_t len, const void *sig, size_t sig_len);
int scws_keyring_verify_self(const u8 *cert, size_t cert_len,
			     const void *data, size_t len,
			     const void *sig, size_t sig_len);
int scws_nl_trust_add(struct sk_buff *skb, struct genl_info *info);
int scws_nl_trust_clear(struct sk_buff *skb, struct genl_info *info);
int scws_nl_trust_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* sign.c */
int scws_sign_init(void);
void scws_sign_exit(void);
bool scws_sig_lookup(const struct file *f, const u8 *digest,
		     struct scws_sig_facts *facts);
void scws_sig_examine(struct file *f, const struct cred *cred);
int scws_sig_check(const u8 *digest, const void *sig, size_t sig_len,
		   struct scws_sig_facts *facts);
int scws_sig_signer_cert(const u8 *sig, size_t len, const u8 **cert,
			 size_t *cert_len);

#endif /* _SCWS_TRUST_H */
