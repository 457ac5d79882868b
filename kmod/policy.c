// SPDX-License-Identifier: GPL-2.0
/*
 * Building the access control policy from POLICY_SET, indexing it, and
 * dumping it back for POLICY_GET.
 *
 * Errors point at the offending attribute (extack bad attribute offset)
 * with a fixed message: 6.1 has no formatted extack messages, and the
 * offset tells the tool which rule it was.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "scws.h"
#include "policy.h"

const struct nla_policy scws_rule_policy[SCWS_RULE_A_MAX + 1] = {
	[SCWS_RULE_A_UNSPEC] = { .strict_start_type = 1 },
	[SCWS_RULE_A_ACTION] = NLA_POLICY_MAX(NLA_U8, SCWS_ACTION_ALLOW),
	[SCWS_RULE_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[SCWS_RULE_A_UID_MIN] = { .type = NLA_U32 },
	[SCWS_RULE_A_UID_MAX] = { .type = NLA_U32 },
	[SCWS_RULE_A_GID] = { .type = NLA_U32 },
	[SCWS_RULE_A_GROUP] = { .type = NLA_U32 },
	[SCWS_RULE_A_LABEL] = { .type = NLA_NUL_STRING,
				.len = SCWS_LABEL_MAX - 1 },
	[SCWS_RULE_A_LABEL_PREFIX] = { .type = NLA_NUL_STRING,
				       .len = SCWS_LABEL_MAX - 1 },
	[SCWS_RULE_A_EXE] = { .type = NLA_NUL_STRING,
			      .len = SCWS_EXE_MAX - 1 },
	[SCWS_RULE_A_EXE_SHA256] = NLA_POLICY_EXACT_LEN(SCWS_SHA256_LEN),
	[SCWS_RULE_A_TRUSTED] = NLA_POLICY_RANGE(NLA_U8, SCWS_TRUST_MANUFACTURER,
						 SCWS_TRUST_ANY),
	[SCWS_RULE_A_ALL] = { .type = NLA_FLAG },
	[SCWS_RULE_A_SIGNER_SHA256] = NLA_POLICY_EXACT_LEN(SCWS_SHA256_LEN),
	[SCWS_RULE_A_SIGNER_SHA1] = NLA_POLICY_EXACT_LEN(SCWS_SHA1_LEN),
	[SCWS_RULE_A_SOURCE] = NLA_POLICY_MAX(NLA_U8, SCWS_SOURCE_CARD),
};

/*
 * @label's length without the mode AppArmor shows after a profile's name in
 * /proc/PID/attr/current (" (enforce)"): the mode is not part of the name.
 */
size_t scws_label_mode_len(const char *label, size_t len)
{
	static const char *const modes[] = {
		" (enforce)", " (complain)", " (kill)", " (unconfined)",
		" (mixed)", " (user)", " (prompt)",
	};
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		n = strlen(modes[i]);
		if (len > n && !memcmp(label + len - n, modes[i], n))
			return len - n;
	}
	return len;
}

/*
 * A label or prefix with a mode, which no caller's label has (the mode is
 * cut off them): refused rather than cut, so what POLICY_GET gives back is
 * what was set.
 */
static struct nlattr *scws_label_with_mode(struct nlattr **tb)
{
	static const int types[] = { SCWS_RULE_A_LABEL,
				     SCWS_RULE_A_LABEL_PREFIX };
	struct nlattr *a;
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		a = tb[types[i]];
		if (!a)
			continue;
		len = strnlen(nla_data(a), nla_len(a));
		if (scws_label_mode_len(nla_data(a), len) != len)
			return a;
	}
	return NULL;
}

static bool scws_is_module_port(u16 port)
{
	unsigned int i;

	for (i = 0; i < scws_params.nports; i++)
		if (scws_params.ports[i] == port)
			return true;
	return false;
}

static int scws_rule_strings(struct scws_rule *r, struct nlattr **tb)
{
	if (tb[SCWS_RULE_A_LABEL]) {
		r->label = nla_strdup(tb[SCWS_RULE_A_LABEL],
				      GFP_KERNEL_ACCOUNT);
		if (!r->label)
			return -ENOMEM;
		r->sel |= SCWS_SEL_LABEL;
	}
	if (tb[SCWS_RULE_A_LABEL_PREFIX]) {
		r->label_prefix = nla_strdup(tb[SCWS_RULE_A_LABEL_PREFIX],
					     GFP_KERNEL_ACCOUNT);
		if (!r->label_prefix)
			return -ENOMEM;
		r->sel |= SCWS_SEL_LABEL_PREFIX;
	}
	if (tb[SCWS_RULE_A_EXE]) {
		r->exe = nla_strdup(tb[SCWS_RULE_A_EXE], GFP_KERNEL_ACCOUNT);
		if (!r->exe)
			return -ENOMEM;
		r->sel |= SCWS_SEL_EXE;
	}
	return 0;
}

static int scws_rule_from_nl(struct scws_rule *r, const struct nlattr *attr,
			     struct user_namespace *ns,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SCWS_RULE_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, SCWS_RULE_A_MAX, attr, scws_rule_policy,
			       extack);
	if (err)
		return err;
	if (!tb[SCWS_RULE_A_ACTION]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "rule without an action");
		return -EINVAL;
	}
	r->action = nla_get_u8(tb[SCWS_RULE_A_ACTION]);
	if (tb[SCWS_RULE_A_PORT]) {
		r->port = nla_get_u16(tb[SCWS_RULE_A_PORT]);
		if (!scws_is_module_port(r->port)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SCWS_RULE_A_PORT],
					    "not a port of the module");
			return -EINVAL;
		}
	}
	if (!tb[SCWS_RULE_A_UID_MIN] != !tb[SCWS_RULE_A_UID_MAX]) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "uid range needs both ends");
		return -EINVAL;
	}
	if (tb[SCWS_RULE_A_UID_MIN]) {
		r->uid_min = nla_get_u32(tb[SCWS_RULE_A_UID_MIN]);
		r->uid_max = nla_get_u32(tb[SCWS_RULE_A_UID_MAX]);
		if (r->uid_min > r->uid_max) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SCWS_RULE_A_UID_MAX],
					    "uid range upside down");
			return -EINVAL;
		}
		r->sel |= SCWS_SEL_UID;
	}
	if (tb[SCWS_RULE_A_GID]) {
		r->gid = nla_get_u32(tb[SCWS_RULE_A_GID]);
		r->sel |= SCWS_SEL_GID;
	}
	if (tb[SCWS_RULE_A_GROUP]) {
		r->group_id = nla_get_u32(tb[SCWS_RULE_A_GROUP]);
		r->group = make_kgid(ns, r->group_id);
		r->sel |= SCWS_SEL_GROUP;
	}
	if (tb[SCWS_RULE_A_EXE_SHA256]) {
		nla_memcpy(r->digest, tb[SCWS_RULE_A_EXE_SHA256],
			   SCWS_SHA256_LEN);
		r->sel |= SCWS_SEL_DIGEST;
	}
	if (tb[SCWS_RULE_A_TRUSTED]) {
		r->trusted = nla_get_u8(tb[SCWS_RULE_A_TRUSTED]);
		r->sel |= SCWS_SEL_TRUSTED;
	}
	if (tb[SCWS_RULE_A_SIGNER_SHA256]) {
		nla_memcpy(r->signer_sha256, tb[SCWS_RULE_A_SIGNER_SHA256],
			   SCWS_SHA256_LEN);
		r->sel |= SCWS_SEL_SIGNER_SHA256;
	}
	if (tb[SCWS_RULE_A_SIGNER_SHA1]) {
		nla_memcpy(r->signer_sha1, tb[SCWS_RULE_A_SIGNER_SHA1],
			   SCWS_SHA1_LEN);
		r->sel |= SCWS_SEL_SIGNER_SHA1;
	}
	if (tb[SCWS_RULE_A_SOURCE])
		r->source = nla_get_u8(tb[SCWS_RULE_A_SOURCE]);
	if (tb[SCWS_RULE_A_EXE] &&
	    *(char *)nla_data(tb[SCWS_RULE_A_EXE]) != '/') {
		NL_SET_ERR_MSG_ATTR(extack, tb[SCWS_RULE_A_EXE],
				    "executable path must be absolute");
		return -EINVAL;
	}
	if (scws_label_with_mode(tb)) {
		NL_SET_ERR_MSG_ATTR(extack, scws_label_with_mode(tb),
				    "label ends in an AppArmor mode: name the profile alone");
		return -EINVAL;
	}
	err = scws_rule_strings(r, tb);
	if (err)
		return err;
	if (tb[SCWS_RULE_A_ALL]) {
		if (r->sel) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SCWS_RULE_A_ALL],
					    "'all' cannot be combined with other selectors");
			return -EINVAL;
		}
		r->sel = SCWS_SEL_ALL;
	}
	if (!r->sel) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "rule without a selector");
		return -EINVAL;
	}
	return 0;
}

/* The selector a rule is filed under: the most selective it has. */
static int scws_rule_index_kind(const struct scws_rule *r)
{
	if (r->sel & SCWS_SEL_DIGEST)
		return SCWS_IDX_DIGEST;
	if (r->sel & SCWS_SEL_SIGNER_SHA256)
		return SCWS_IDX_SIGNER256;
	if (r->sel & SCWS_SEL_SIGNER_SHA1)
		return SCWS_IDX_SIGNER1;
	if (r->sel & SCWS_SEL_EXE)
		return SCWS_IDX_EXE;
	if (r->sel & SCWS_SEL_LABEL)
		return SCWS_IDX_LABEL;
	if ((r->sel & SCWS_SEL_UID) && r->uid_min == r->uid_max)
		return SCWS_IDX_UID;
	if (r->sel & SCWS_SEL_GID)
		return SCWS_IDX_GID;
	return -1;
}

static u32 scws_index_hash(int kind, const struct scws_subject *s)
{
	switch (kind) {
	case SCWS_IDX_DIGEST:
		return jhash(s->digest, SCWS_SHA256_LEN, kind);
	case SCWS_IDX_SIGNER256:
		return jhash(s->sig.signer_sha256, SCWS_SHA256_LEN, kind);
	case SCWS_IDX_SIGNER1:
		return jhash(s->sig.signer_sha1, SCWS_SHA1_LEN, kind);
	case SCWS_IDX_EXE:
		return jhash(s->exe, strlen(s->exe), kind);
	case SCWS_IDX_LABEL:
		return jhash(s->label, strlen(s->label), kind);
	case SCWS_IDX_UID:
		return jhash_1word(s->uid, kind);
	default:
		return jhash_1word(s->gid, kind);
	}
}

/* Does @r carry the key the subject @s has for index @kind? */
static bool scws_index_key_eq(int kind, const struct scws_rule *r,
			      const struct scws_subject *s)
{
	switch (kind) {
	case SCWS_IDX_DIGEST:
		return !memcmp(r->digest, s->digest, SCWS_SHA256_LEN);
	case SCWS_IDX_SIGNER256:
		return !memcmp(r->signer_sha256, s->sig.signer_sha256,
			       SCWS_SHA256_LEN);
	case SCWS_IDX_SIGNER1:
		return !memcmp(r->signer_sha1, s->sig.signer_sha1,
			       SCWS_SHA1_LEN);
	case SCWS_IDX_EXE:
		return !strcmp(r->exe, s->exe);
	case SCWS_IDX_LABEL:
		return !strcmp(r->label, s->label);
	case SCWS_IDX_UID:
		return r->uid_min == s->uid;
	default:
		return r->gid == s->gid;
	}
}

/* A subject whose index key is @r's, so a rule can be hashed like one. */
static void scws_rule_as_subject(const struct scws_rule *r,
				 struct scws_subject *s)
{
	memcpy(s->digest, r->digest, SCWS_SHA256_LEN);
	memcpy(s->sig.signer_sha256, r->signer_sha256, SCWS_SHA256_LEN);
	memcpy(s->sig.signer_sha1, r->signer_sha1, SCWS_SHA1_LEN);
	s->exe = r->exe;
	s->label = r->label;
	s->uid = r->uid_min;
	s->gid = r->gid;
}

const struct scws_index_entry *
scws_index_find(const struct scws_policy *p, int kind,
		const struct scws_subject *s)
{
	struct scws_index_entry *e;
	u32 hash = scws_index_hash(kind, s);

	hash_for_each_possible(p->index[kind], e, node, hash)
		if (e->hash == hash && scws_index_key_eq(kind, e->key, s))
			return e;
	return NULL;
}

static int scws_list_add(u32 **list, u32 *n, u32 *cap, u32 idx)
{
	if (*n == *cap) {
		u32 ncap = *cap ? *cap * 2 : 4;
		u32 *nl = krealloc_array(*list, ncap, sizeof(u32),
					  GFP_KERNEL_ACCOUNT);

		if (!nl)
			return -ENOMEM;
		*list = nl;
		*cap = ncap;
	}
	(*list)[(*n)++] = idx;
	return 0;
}

static int scws_policy_index(struct scws_policy *p)
{
	struct scws_index_entry *e;
	struct scws_subject key;
	u32 i, scan_cap = 0;
	int kind, err;

	p->first_digest_rule = p->nrules;
	for (i = 0; i < p->nrules; i++) {
		const struct scws_rule *r = &p->rules[i];

		p->needs |= r->sel;
		if ((r->sel & SCWS_SEL_NEEDS_DIGEST) && p->first_digest_rule == p->nrules)
			p->first_digest_rule = i;
		kind = scws_rule_index_kind(r);
		if (kind < 0) {
			err = scws_list_add(&p->scan, &p->nscan, &scan_cap, i);
			if (err)
				return err;
			continue;
		}
		scws_rule_as_subject(r, &key);
		e = (struct scws_index_entry *)scws_index_find(p, kind, &key);
		if (!e) {
			e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
			if (!e)
				return -ENOMEM;
			e->key = r;
			e->hash = scws_index_hash(kind, &key);
			hash_add(p->index[kind], &e->node, e->hash);
		}
		err = scws_list_add(&e->rules, &e->n, &e->cap, i);
		if (err)
			return err;
	}
	return 0;
}

static struct scws_policy *scws_policy_alloc(u32 nrules)
{
	struct scws_policy *p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	int k;

	if (!p)
		return NULL;
	for (k = 0; k < SCWS_IDX_KINDS; k++)
		hash_init(p->index[k]);
	p->rules = kvcalloc(max(nrules, 1U), sizeof(*p->rules),
			    GFP_KERNEL_ACCOUNT);
	if (!p->rules) {
		scws_policy_free(p);
		return NULL;
	}
	return p;
}

/* Count the rules; the cap is checked here. */
static int scws_policy_count(const struct nlattr *head, int len, u32 *nrules,
			     u32 max_rules,
			     struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	*nrules = 0;
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) == SCWS_A_POLICY_RULE &&
		    ++*nrules > max_rules) {
			if (max_rules < SCWS_POLICY_MAX_RULES)
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "too many rules for a policy set from a user namespace (module parameter userns_max_rules)");
			else
				NL_SET_ERR_MSG_ATTR(extack, a, "too many rules");
			return -EINVAL;
		}
	}
	return 0;
}

static int scws_policy_add(struct scws_policy *p, const struct nlattr *a,
			   struct user_namespace *ns,
			   struct netlink_ext_ack *extack)
{
	switch (nla_type(a)) {
	case SCWS_A_POLICY_DEFAULT:
		p->default_action = nla_get_u8(a);
		return 0;
	case SCWS_A_POLICY_RULE:
		return scws_rule_from_nl(&p->rules[p->nrules++], a, ns, extack);
	case SCWS_A_POLICY_TRUST:
		/* Trusted applications are signed now (SCWS_CMD_TRUST_ADD). */
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "digest trust lists are gone: use exe-sha256 rules or signed executables");
		return -EINVAL;
	case SCWS_A_POLICY_CARD_TAG:
		if (nla_len(a) > SCWS_CARD_TAG_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "card refresh tag too long");
			return -EINVAL;
		}
		p->card_tag_len = nla_len(a);
		memcpy(p->card_tag, nla_data(a), p->card_tag_len);
		return 0;
	default:
		return 0;	/* validated by the family policy */
	}
}

/*
 * Build a policy from POLICY_SET's attributes (@head, @len), in order.  The
 * extack's bad attribute points into the rule at fault.
 */
struct scws_policy *scws_policy_from_attrs(const struct nlattr *head, int len,
					   struct user_namespace *ns,
					   struct netlink_ext_ack *extack)
{
	return scws_policy_from_attrs_max(head, len, ns, SCWS_POLICY_MAX_RULES,
					  extack);
}

/* The same with at most @max_rules rules (<= SCWS_POLICY_MAX_RULES). */
struct scws_policy *scws_policy_from_attrs_max(const struct nlattr *head,
					       int len,
					       struct user_namespace *ns,
					       u32 max_rules,
					       struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	struct scws_policy *p;
	bool has_default = false;
	int rem, err;
	u32 nrules;

	err = scws_policy_count(head, len, &nrules,
				min_t(u32, max_rules, SCWS_POLICY_MAX_RULES),
				extack);
	if (err)
		return ERR_PTR(err);
	p = scws_policy_alloc(nrules);
	if (!p)
		return ERR_PTR(-ENOMEM);
	nla_for_each_attr(a, head, len, rem) {
		has_default |= nla_type(a) == SCWS_A_POLICY_DEFAULT;
		err = scws_policy_add(p, a, ns, extack);
		if (err)
			goto fail;
	}
	if (!has_default) {
		NL_SET_ERR_MSG(extack, "a policy needs a default action");
		err = -EINVAL;
		goto fail;
	}
	err = scws_policy_index(p);
	if (err)
		goto fail;
	return p;

fail:
	scws_policy_free(p);
	return ERR_PTR(err);
}

void scws_policy_free(struct scws_policy *p)
{
	struct scws_index_entry *e;
	struct hlist_node *tmp;
	int k, b;
	u32 i;

	if (!p)
		return;
	for (k = 0; k < SCWS_IDX_KINDS; k++) {
		hash_for_each_safe(p->index[k], b, tmp, e, node) {
			kfree(e->rules);
			kfree(e);
		}
	}
	for (i = 0; p->rules && i < p->nrules; i++) {
		kfree(p->rules[i].label);
		kfree(p->rules[i].label_prefix);
		kfree(p->rules[i].exe);
	}
	kvfree(p->rules);
	kfree(p->scan);
	kfree(p);
}

static void scws_policy_free_cb(struct rcu_head *rcu)
{
	scws_policy_free(container_of(rcu, struct scws_policy, rcu));
}

void scws_policy_free_rcu(struct scws_policy *p)
{
	if (p)
		call_rcu(&p->rcu, scws_policy_free_cb);
}

static int scws_rule_fill(struct sk_buff *skb, const struct scws_rule *r)
{
	struct nlattr *nest = nla_nest_start(skb, SCWS_A_POLICY_RULE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, SCWS_RULE_A_ACTION, r->action) ||
	    (r->port && nla_put_u16(skb, SCWS_RULE_A_PORT, r->port)) ||
	    ((r->sel & SCWS_SEL_UID) &&
	     (nla_put_u32(skb, SCWS_RULE_A_UID_MIN, r->uid_min) ||
	      nla_put_u32(skb, SCWS_RULE_A_UID_MAX, r->uid_max))) ||
	    ((r->sel & SCWS_SEL_GID) &&
	     nla_put_u32(skb, SCWS_RULE_A_GID, r->gid)) ||
	    ((r->sel & SCWS_SEL_GROUP) &&
	     nla_put_u32(skb, SCWS_RULE_A_GROUP, r->group_id)) ||
	    (r->label && nla_put_string(skb, SCWS_RULE_A_LABEL, r->label)) ||
	    (r->label_prefix &&
	     nla_put_string(skb, SCWS_RULE_A_LABEL_PREFIX, r->label_prefix)) ||
	    (r->exe && nla_put_string(skb, SCWS_RULE_A_EXE, r->exe)) ||
	    ((r->sel & SCWS_SEL_DIGEST) &&
	     nla_put(skb, SCWS_RULE_A_EXE_SHA256, SCWS_SHA256_LEN,
		     r->digest)) ||
	    ((r->sel & SCWS_SEL_TRUSTED) &&
	     nla_put_u8(skb, SCWS_RULE_A_TRUSTED, r->trusted)) ||
	    ((r->sel & SCWS_SEL_SIGNER_SHA256) &&
	     nla_put(skb, SCWS_RULE_A_SIGNER_SHA256, SCWS_SHA256_LEN,
		     r->signer_sha256)) ||
	    ((r->sel & SCWS_SEL_SIGNER_SHA1) &&
	     nla_put(skb, SCWS_RULE_A_SIGNER_SHA1, SCWS_SHA1_LEN,
		     r->signer_sha1)) ||
	    (r->source && nla_put_u8(skb, SCWS_RULE_A_SOURCE, r->source)) ||
	    ((r->sel & SCWS_SEL_ALL) && nla_put_flag(skb, SCWS_RULE_A_ALL))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * POLICY_GET: put the policy's attributes from position *@pos on (0: the
 * head, then the rules) until @skb is full.  Returns true when everything
 * is in.
 */
bool scws_policy_fill(struct sk_buff *skb, const struct scws_policy *p,
		      u32 *pos)
{
	u32 head = 1;

	if (*pos == 0) {
		if (nla_put_flag(skb, SCWS_A_POLICY_LOADED) ||
		    nla_put_u8(skb, SCWS_A_POLICY_DEFAULT, p->default_action) ||
		    (p->card_tag_len &&
		     nla_put(skb, SCWS_A_POLICY_CARD_TAG, p->card_tag_len,
			     p->card_tag)))
			return false;
		*pos = head;
	}
	for (; *pos < head + p->nrules; (*pos)++)
		if (scws_rule_fill(skb, &p->rules[*pos - head]))
			return false;
	return true;
}

#if IS_ENABLED(CONFIG_SCWS_KUNIT_TEST)
#include "policy_test.c"
#endif
