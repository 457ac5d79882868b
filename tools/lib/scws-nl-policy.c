// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * scws-nl-policy.c - the access control policy as netlink attributes.
 *
 * Encoding follows the model field by field.  Decoding is strict: a dump is
 * shown to an administrator as the policy in force, so anything this tool
 * cannot represent exactly fails instead of being shown approximately.
 */
#include "scws-nl-policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

/* ---- encoding */

static size_t attr_size(size_t payload)
{
	return NLA_ALIGN(NLA_HDRLEN + payload);
}

static size_t string_size(const char *s)
{
	return s ? attr_size(strlen(s) + 1) : 0;
}

static size_t rule_size(const struct acp_rule *r)
{
	unsigned int s = r->selectors;
	size_t n = attr_size(0) + attr_size(sizeof(uint8_t));

	if (r->port)
		n += attr_size(sizeof(uint16_t));
	if (s & ACP_SEL_UID)
		n += 2 * attr_size(sizeof(uint32_t));
	if (s & ACP_SEL_GID)
		n += attr_size(sizeof(uint32_t));
	if (s & ACP_SEL_GROUP)
		n += attr_size(sizeof(uint32_t));
	n += string_size(r->label) + string_size(r->label_prefix) +
	     string_size(r->exe);
	if (s & ACP_SEL_EXE_SHA256)
		n += attr_size(SCWS_SHA256_LEN);
	if (s & ACP_SEL_TRUSTED)
		n += attr_size(sizeof(uint8_t));
	if (s & ACP_SEL_ALL)
		n += attr_size(0);
	return n;
}

size_t scws_nl_policy_size(const struct acp_policy *p)
{
	size_t i, n = attr_size(0) + attr_size(sizeof(uint8_t));

	if (p->n_trust)
		n += attr_size(0) + p->n_trust * attr_size(SCWS_SHA256_LEN);
	if (p->n_rules)
		n += attr_size(0);
	for (i = 0; i < p->n_rules; i++)
		n += rule_size(&p->rules[i]);
	return n;
}

/* libnl's puts fail only for want of room; 0 or -EMSGSIZE. */
static int put_ok(int nle)
{
	return nle < 0 ? -EMSGSIZE : 0;
}

static int put_string(struct nl_msg *msg, int type, const char *s)
{
	return s ? put_ok(nla_put_string(msg, type, s)) : 0;
}

static int put_numbers(struct nl_msg *msg, const struct acp_rule *r)
{
	unsigned int s = r->selectors;
	int err = put_ok(nla_put_u8(msg, SCWS_RULE_A_ACTION, r->action));

	if (!err && r->port)
		err = put_ok(nla_put_u16(msg, SCWS_RULE_A_PORT, r->port));
	if (!err && (s & ACP_SEL_UID))
		err = put_ok(nla_put_u32(msg, SCWS_RULE_A_UID_MIN, r->uid_min));
	if (!err && (s & ACP_SEL_UID))
		err = put_ok(nla_put_u32(msg, SCWS_RULE_A_UID_MAX, r->uid_max));
	if (!err && (s & ACP_SEL_GID))
		err = put_ok(nla_put_u32(msg, SCWS_RULE_A_GID, r->gid));
	if (!err && (s & ACP_SEL_GROUP))
		err = put_ok(nla_put_u32(msg, SCWS_RULE_A_GROUP, r->group));
	return err;
}

static int put_rule(struct nl_msg *msg, const struct acp_rule *r)
{
	struct nlattr *nest = nla_nest_start(msg, SCWS_POLICY_A_RULE);
	unsigned int s = r->selectors;
	int err;

	if (!nest)
		return -EMSGSIZE;
	err = put_numbers(msg, r);
	if (!err)
		err = put_string(msg, SCWS_RULE_A_LABEL, r->label);
	if (!err)
		err = put_string(msg, SCWS_RULE_A_LABEL_PREFIX, r->label_prefix);
	if (!err)
		err = put_string(msg, SCWS_RULE_A_EXE, r->exe);
	if (!err && (s & ACP_SEL_EXE_SHA256))
		err = put_ok(nla_put(msg, SCWS_RULE_A_EXE_SHA256,
				     SCWS_SHA256_LEN, r->exe_sha256));
	if (!err && (s & ACP_SEL_TRUSTED))
		err = put_ok(nla_put_u8(msg, SCWS_RULE_A_TRUSTED, r->trusted));
	if (!err && (s & ACP_SEL_ALL))
		err = put_ok(nla_put_flag(msg, SCWS_RULE_A_ALL));
	return err ? err : put_ok(nla_nest_end(msg, nest));
}

static int put_trust(struct nl_msg *msg, const struct acp_policy *p)
{
	struct nlattr *nest;
	size_t i;

	if (!p->n_trust)
		return 0;
	nest = nla_nest_start(msg, SCWS_POLICY_A_TRUST);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < p->n_trust; i++)
		if (nla_put(msg, SCWS_POLICY_A_DIGEST, SCWS_SHA256_LEN,
			    p->trust[i]) < 0)
			return -EMSGSIZE;
	return put_ok(nla_nest_end(msg, nest));
}

static int put_rules(struct nl_msg *msg, const struct acp_policy *p)
{
	struct nlattr *nest;
	size_t i;
	int err = 0;

	if (!p->n_rules)
		return 0;
	nest = nla_nest_start(msg, SCWS_POLICY_A_RULES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < p->n_rules && !err; i++)
		err = put_rule(msg, &p->rules[i]);
	return err ? err : put_ok(nla_nest_end(msg, nest));
}

int scws_nl_policy_put(struct nl_msg *msg, const struct acp_policy *p)
{
	struct nlattr *nest;
	int err;

	if (scws_nl_policy_size(p) > SCWS_NL_POLICY_ATTR_MAX)
		return -E2BIG;
	nest = nla_nest_start(msg, SCWS_A_POLICY);
	if (!nest)
		return -EMSGSIZE;
	err = put_ok(nla_put_u8(msg, SCWS_POLICY_A_DEFAULT, p->default_action));
	if (!err)
		err = put_trust(msg, p);
	if (!err)
		err = put_rules(msg, p);
	if (!err)
		err = put_ok(nla_nest_end(msg, nest));
	if (err)
		nla_nest_cancel(msg, nest);
	return err;
}

/* ---- decoding */

/* Exact sizes, so that every read below stays inside its attribute. */
static const struct nla_policy top_policy[SCWS_A_MAX + 1] = {
	[SCWS_A_POLICY] = { .type = NLA_NESTED },
};

static const struct nla_policy policy_policy[SCWS_POLICY_A_MAX + 1] = {
	[SCWS_POLICY_A_DEFAULT] = { .type = NLA_U8, .maxlen = sizeof(uint8_t) },
	[SCWS_POLICY_A_RULES] = { .type = NLA_NESTED },
	[SCWS_POLICY_A_TRUST] = { .type = NLA_NESTED },
	[SCWS_POLICY_A_LOADED] = { .type = NLA_FLAG },
};

#define U8 { .type = NLA_U8, .maxlen = sizeof(uint8_t) }
#define U16 { .type = NLA_U16, .maxlen = sizeof(uint16_t) }
#define U32 { .type = NLA_U32, .maxlen = sizeof(uint32_t) }
#define SHA256 { .minlen = SCWS_SHA256_LEN, .maxlen = SCWS_SHA256_LEN }

static const struct nla_policy rule_policy[SCWS_RULE_A_MAX + 1] = {
	[SCWS_RULE_A_ACTION] = U8,
	[SCWS_RULE_A_PORT] = U16,
	[SCWS_RULE_A_UID_MIN] = U32,
	[SCWS_RULE_A_UID_MAX] = U32,
	[SCWS_RULE_A_GID] = U32,
	[SCWS_RULE_A_GROUP] = U32,
	[SCWS_RULE_A_LABEL] = { .type = NLA_STRING, .maxlen = SCWS_LABEL_MAX },
	[SCWS_RULE_A_LABEL_PREFIX] = { .type = NLA_STRING, .maxlen = SCWS_LABEL_MAX },
	[SCWS_RULE_A_EXE] = { .type = NLA_STRING, .maxlen = SCWS_EXE_MAX },
	[SCWS_RULE_A_EXE_SHA256] = SHA256,
	[SCWS_RULE_A_TRUSTED] = U8,
	[SCWS_RULE_A_ALL] = { .type = NLA_FLAG },
};

/* An attribute type this header does not define: from a newer kernel. */
static bool has_unknown(const struct nlattr *nest, int maxtype)
{
	const struct nlattr *pos;
	int rem;

	nla_for_each_nested(pos, nest, rem)
		if (nla_type(pos) < 1 || nla_type(pos) > maxtype)
			return true;
	return false;
}

static int parse_nested(struct nlattr **tb, int maxtype, struct nlattr *nest,
			const struct nla_policy *policy)
{
	if (has_unknown(nest, maxtype))
		return -EOPNOTSUPP;
	return nla_parse_nested(tb, maxtype, nest, policy) < 0 ? -EBADMSG : 0;
}

/* A NUL-terminated string attribute into a fresh copy. */
static int take_string(const struct nlattr *nla, unsigned int sel,
		       struct acp_rule *r, char **out)
{
	const char *s = nla_data(nla);

	if (!nla_len(nla) || !memchr(s, '\0', (size_t)nla_len(nla)))
		return -EBADMSG;
	*out = strdup(s);
	if (!*out)
		return -ENOMEM;
	r->selectors |= sel;
	return 0;
}

static void take_numbers(struct nlattr **tb, struct acp_rule *r)
{
	r->action = nla_get_u8(tb[SCWS_RULE_A_ACTION]);
	if (tb[SCWS_RULE_A_PORT])
		r->port = nla_get_u16(tb[SCWS_RULE_A_PORT]);
	if (tb[SCWS_RULE_A_UID_MIN]) {
		r->selectors |= ACP_SEL_UID;
		r->uid_min = nla_get_u32(tb[SCWS_RULE_A_UID_MIN]);
		r->uid_max = nla_get_u32(tb[SCWS_RULE_A_UID_MAX]);
	}
	if (tb[SCWS_RULE_A_GID]) {
		r->selectors |= ACP_SEL_GID;
		r->gid = nla_get_u32(tb[SCWS_RULE_A_GID]);
	}
	if (tb[SCWS_RULE_A_GROUP]) {
		r->selectors |= ACP_SEL_GROUP;
		r->group = nla_get_u32(tb[SCWS_RULE_A_GROUP]);
	}
	if (tb[SCWS_RULE_A_EXE_SHA256]) {
		r->selectors |= ACP_SEL_EXE_SHA256;
		memcpy(r->exe_sha256, nla_data(tb[SCWS_RULE_A_EXE_SHA256]),
		       SCWS_SHA256_LEN);
	}
	if (tb[SCWS_RULE_A_TRUSTED]) {
		r->selectors |= ACP_SEL_TRUSTED;
		r->trusted = nla_get_u8(tb[SCWS_RULE_A_TRUSTED]);
	}
	if (tb[SCWS_RULE_A_ALL])
		r->selectors |= ACP_SEL_ALL;
}

static int take_strings(struct nlattr **tb, struct acp_rule *r)
{
	int err = 0;

	if (tb[SCWS_RULE_A_LABEL])
		err = take_string(tb[SCWS_RULE_A_LABEL], ACP_SEL_LABEL, r,
				  &r->label);
	if (!err && tb[SCWS_RULE_A_LABEL_PREFIX])
		err = take_string(tb[SCWS_RULE_A_LABEL_PREFIX],
				  ACP_SEL_LABEL_PREFIX, r, &r->label_prefix);
	if (!err && tb[SCWS_RULE_A_EXE])
		err = take_string(tb[SCWS_RULE_A_EXE], ACP_SEL_EXE, r, &r->exe);
	return err;
}

static int read_rule(struct nlattr *nest, struct acp_rule *r)
{
	struct nlattr *tb[SCWS_RULE_A_MAX + 1];
	int err = parse_nested(tb, SCWS_RULE_A_MAX, nest, rule_policy);

	if (err)
		return err;
	if (!tb[SCWS_RULE_A_ACTION] ||
	    !tb[SCWS_RULE_A_UID_MIN] != !tb[SCWS_RULE_A_UID_MAX] ||
	    (tb[SCWS_RULE_A_PORT] && !nla_get_u16(tb[SCWS_RULE_A_PORT])))
		return -EBADMSG;
	take_numbers(tb, r);
	err = take_strings(tb, r);
	if (!err && acp_rule_problem(r))
		err = -EBADMSG;
	return err;
}

static int read_rules(struct acp_policy *p, struct nlattr *rules)
{
	struct nlattr *pos;
	int rem, err;

	nla_for_each_nested(pos, rules, rem) {
		struct acp_rule r = { 0 };

		if (nla_type(pos) != SCWS_POLICY_A_RULE)
			return -EBADMSG;
		err = read_rule(pos, &r);
		if (!err)
			err = acp_policy_add_rule(p, &r);
		acp_rule_clear(&r);
		if (err)
			return err == -E2BIG ? -EBADMSG : err;
	}
	return 0;
}

static int read_trust(struct acp_policy *p, struct nlattr *trust)
{
	struct nlattr *pos;
	int rem, err;

	nla_for_each_nested(pos, trust, rem) {
		if (nla_type(pos) != SCWS_POLICY_A_DIGEST ||
		    nla_len(pos) != SCWS_SHA256_LEN)
			return -EBADMSG;
		err = acp_policy_add_trust(p, nla_data(pos));
		if (err)
			return err == -E2BIG ? -EBADMSG : err;
	}
	return 0;
}

void scws_nl_policy_reader_init(struct scws_nl_policy_reader *rd,
				struct acp_policy *p)
{
	memset(rd, 0, sizeof(*rd));
	acp_policy_init(p);
	rd->policy = p;
}

int scws_nl_policy_read(struct scws_nl_policy_reader *rd, struct nlattr *nest)
{
	struct nlattr *tb[SCWS_POLICY_A_MAX + 1];
	struct acp_policy *p = rd->policy;
	int err = parse_nested(tb, SCWS_POLICY_A_MAX, nest, policy_policy);

	if (err)
		return err;
	rd->messages++;
	if (tb[SCWS_POLICY_A_LOADED])
		rd->loaded = true;
	if (tb[SCWS_POLICY_A_DEFAULT]) {
		p->default_action = nla_get_u8(tb[SCWS_POLICY_A_DEFAULT]);
		if (p->default_action != SCWS_ACTION_DENY &&
		    p->default_action != SCWS_ACTION_ALLOW)
			return -EBADMSG;
	}
	/* Runs of either kind may come in any message: append in order. */
	if (tb[SCWS_POLICY_A_TRUST])
		err = read_trust(p, tb[SCWS_POLICY_A_TRUST]);
	if (!err && tb[SCWS_POLICY_A_RULES])
		err = read_rules(p, tb[SCWS_POLICY_A_RULES]);
	return err;
}

int scws_nl_policy_read_msg(struct scws_nl_policy_reader *rd,
			    struct nlmsghdr *nlh)
{
	struct nlattr *tb[SCWS_A_MAX + 1];

	if (genlmsg_parse(nlh, 0, tb, SCWS_A_MAX, top_policy) < 0)
		return -EBADMSG;
	return tb[SCWS_A_POLICY] ? scws_nl_policy_read(rd, tb[SCWS_A_POLICY]) : 0;
}
