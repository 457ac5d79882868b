/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The access control policy: an ordered rule list with a default, built off
 * to the side from POLICY_SET and swapped in with RCU.  Rules are indexed
 * by their most selective selector so a decision looks at a handful of
 * rules, not all of them, while the first match still wins.
 */
#ifndef _SCWS_POLICY_H
#define _SCWS_POLICY_H

#include <linux/hashtable.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <net/netlink.h>

#include <linux/scws.h>

#include "scws.h"
#include "trust.h"

enum scws_selector {
	SCWS_SEL_UID		= BIT(0),
	SCWS_SEL_GID		= BIT(1),
	SCWS_SEL_GROUP		= BIT(2),
	SCWS_SEL_LABEL		= BIT(3),
	SCWS_SEL_LABEL_PREFIX	= BIT(4),
	SCWS_SEL_EXE		= BIT(5),
	SCWS_SEL_DIGEST		= BIT(6),
	SCWS_SEL_TRUSTED	= BIT(7),
	SCWS_SEL_ALL		= BIT(8),
	SCWS_SEL_SIGNER_SHA256	= BIT(9),
	SCWS_SEL_SIGNER_SHA1	= BIT(10),
};

/* What a rule needs to know about the caller beyond its credentials. */
#define SCWS_SEL_NEEDS_LABEL	(SCWS_SEL_LABEL | SCWS_SEL_LABEL_PREFIX)
/* Selectors the executable's signature answers (sign.c). */
#define SCWS_SEL_NEEDS_SIG	(SCWS_SEL_TRUSTED | SCWS_SEL_SIGNER_SHA256 | \
				 SCWS_SEL_SIGNER_SHA1)
/* A signature is checked over the digest: needing one needs the other. */
#define SCWS_SEL_NEEDS_DIGEST	(SCWS_SEL_DIGEST | SCWS_SEL_NEEDS_SIG)
/* Selectors the executable answers: they grant only if it vouches. */
#define SCWS_SEL_EXECUTABLE	(SCWS_SEL_EXE | SCWS_SEL_NEEDS_DIGEST)

struct scws_rule {
	u32 sel;			/* enum scws_selector bits */
	u8 action;			/* enum scws_action */
	u8 trusted;			/* enum scws_trust */
	u16 port;			/* 0: any port */
	u32 uid_min, uid_max;
	u32 gid;
	kgid_t group;
	char *label;
	char *label_prefix;
	char *exe;
	u8 digest[SCWS_SHA256_LEN];
	u8 signer_sha256[SCWS_SHA256_LEN];
	u8 signer_sha1[SCWS_SHA1_LEN];
	u8 source;			/* enum scws_rule_source, not matched */
	u32 group_id;			/* as set, for POLICY_GET */
};

enum scws_index_kind {
	SCWS_IDX_DIGEST,
	SCWS_IDX_SIGNER256,
	SCWS_IDX_SIGNER1,
	SCWS_IDX_EXE,
	SCWS_IDX_LABEL,
	SCWS_IDX_UID,
	SCWS_IDX_GID,
	SCWS_IDX_KINDS
};

#define SCWS_IDX_BITS 10

struct scws_index_entry {
	struct hlist_node node;
	u32 hash;
	const struct scws_rule *key;	/* the first rule with this key */
	u32 n, cap;
	u32 *rules;			/* ascending rule indexes */
};

struct scws_policy {
	struct rcu_head rcu;
	u32 gen;			/* per namespace, for dumps */
	u8 default_action;
	u32 needs;			/* union of all rules' selectors */
	u32 nrules;
	struct scws_rule *rules;
	u32 card_tag_len;
	u8 card_tag[SCWS_CARD_TAG_MAX];	/* the card's refresh tag, as set */
	/* Rule indexes by primary selector, each list ascending. */
	DECLARE_HASHTABLE(index[SCWS_IDX_KINDS], SCWS_IDX_BITS);
	u32 *scan;			/* rules with no indexable selector */
	u32 nscan;
	u32 first_digest_rule;		/* lowest rule needing a digest or
					 * a signature
					 */
};

/* What is known about a caller when a decision is taken. */
enum scws_digest_state {
	SCWS_DIGEST_NONE,		/* no executable: never matches */
	SCWS_DIGEST_UNKNOWN,		/* not hashed yet: decide later */
	SCWS_DIGEST_KNOWN,
};

struct scws_subject {
	u16 port;
	u32 uid, gid;			/* in the namespace's user ns */
	const struct group_info *groups;
	const char *label;		/* NULL: none */
	const char *exe;		/* from the system's root; NULL: none */
	const char *exe_seen;		/* as the caller sees it, for deny */
	bool exe_vouches;		/* exe selectors may grant */
	enum scws_digest_state digest_state;
	u8 digest[SCWS_SHA256_LEN];
	enum scws_digest_state sig_state;	/* same states */
	struct scws_sig_facts sig;
};

enum scws_verdict {
	SCWS_VERDICT_DENY,
	SCWS_VERDICT_ALLOW,
	SCWS_VERDICT_DEFER,		/* needs the digest first */
};

struct scws_policy *scws_policy_from_attrs(const struct nlattr *head, int len,
					   struct user_namespace *ns,
					   struct netlink_ext_ack *extack);
struct scws_policy *scws_policy_from_attrs_max(const struct nlattr *head,
					       int len,
					       struct user_namespace *ns,
					       u32 max_rules,
					       struct netlink_ext_ack *extack);
void scws_policy_free(struct scws_policy *p);
void scws_policy_free_rcu(struct scws_policy *p);
bool scws_policy_fill(struct sk_buff *skb, const struct scws_policy *p,
		      u32 *pos);

enum scws_verdict scws_policy_decide(const struct scws_policy *p,
				     const struct scws_subject *s,
				     struct scws_decision_info *info);
const struct scws_index_entry *
scws_index_find(const struct scws_policy *p, int kind,
		const struct scws_subject *s);
extern const struct nla_policy scws_rule_policy[SCWS_RULE_A_MAX + 1];
extern const struct nla_policy scws_nl_policy[SCWS_A_MAX + 1];
size_t scws_label_mode_len(const char *label, size_t len);
bool scws_rule_matches(const struct scws_policy *p, const struct scws_rule *r,
		       const struct scws_subject *s);

#endif /* _SCWS_POLICY_H */
