// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * scws-nl-policy.c - the access control policy as netlink attributes.
 *
 * Encoding follows the model field by field, and its sizes are computed
 * exactly so that an error offset from the kernel maps back to a rule.
 * Decoding is strict: a dump is shown to an administrator as the policy in
 * force, so anything this tool cannot represent exactly fails instead of
 * being shown approximately.
 */
#include "scws-nl-policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
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
	if (s & ACP_SEL_SIGNER_SHA256)
		n += attr_size(SCWS_SHA256_LEN);
	if (s & ACP_SEL_SIGNER_SHA1)
		n += attr_size(SCWS_SHA1_LEN);
	if (r->source)
		n += attr_size(sizeof(uint8_t));
	return n;
}

size_t scws_nl_policy_size(const struct acp_policy *p)
{
	size_t i, n = attr_size(sizeof(uint8_t));

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

/* The attributes in the order rule_size() counts them. */
static int put_rule(struct nl_msg *msg, const struct acp_rule *r)
{
	struct nlattr *nest = nla_nest_start(msg, SCWS_A_POLICY_RULE);
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
	if (!err && (s & ACP_SEL_SIGNER_SHA256))
		err = put_ok(nla_put(msg, SCWS_RULE_A_SIGNER_SHA256,
				     SCWS_SHA256_LEN, r->signer_sha256));
	if (!err && (s & ACP_SEL_SIGNER_SHA1))
		err = put_ok(nla_put(msg, SCWS_RULE_A_SIGNER_SHA1,
				     SCWS_SHA1_LEN, r->signer_sha1));
	if (!err && r->source)
		err = put_ok(nla_put_u8(msg, SCWS_RULE_A_SOURCE, r->source));
	return err ? err : put_ok(nla_nest_end(msg, nest));
}

int scws_nl_policy_put(struct nl_msg *msg, const struct acp_policy *p)
{
	uint32_t before = nlmsg_hdr(msg)->nlmsg_len;
	size_t i;
	int err;

	err = put_ok(nla_put_u8(msg, SCWS_A_POLICY_DEFAULT, p->default_action));
	for (i = 0; i < p->n_rules && !err; i++)
		err = put_rule(msg, &p->rules[i]);
	/* libnl's end of message is nlmsg_len: cut back what was put. */
	if (err)
		nlmsg_hdr(msg)->nlmsg_len = before;
	return err;
}

/* Walks the layout scws_nl_policy_put() writes, by the same sizes. */
enum scws_nl_policy_part scws_nl_policy_locate(const struct acp_policy *p,
					       size_t offset, size_t *index)
{
	size_t at = NLMSG_HDRLEN + GENL_HDRLEN;
	size_t i;

	*index = 0;
	if (offset < at)
		return SCWS_NL_POLICY_OTHER;
	at += attr_size(sizeof(uint8_t));
	if (offset < at)
		return SCWS_NL_POLICY_DEFAULT;
	for (i = 0; i < p->n_rules; i++) {
		at += rule_size(&p->rules[i]);
		if (offset < at) {
			*index = i;
			return SCWS_NL_POLICY_RULE;
		}
	}
	return SCWS_NL_POLICY_OTHER;
}

/* ---- decoding */

/* Exact sizes, so that every read below stays inside its attribute. */
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
	[SCWS_RULE_A_SIGNER_SHA256] = SHA256,
	[SCWS_RULE_A_SIGNER_SHA1] = { .minlen = SCWS_SHA1_LEN,
				      .maxlen = SCWS_SHA1_LEN },
	[SCWS_RULE_A_SOURCE] = U8,
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
	if (tb[SCWS_RULE_A_SIGNER_SHA256]) {
		r->selectors |= ACP_SEL_SIGNER_SHA256;
		memcpy(r->signer_sha256,
		       nla_data(tb[SCWS_RULE_A_SIGNER_SHA256]), SCWS_SHA256_LEN);
	}
	if (tb[SCWS_RULE_A_SIGNER_SHA1]) {
		r->selectors |= ACP_SEL_SIGNER_SHA1;
		memcpy(r->signer_sha1, nla_data(tb[SCWS_RULE_A_SIGNER_SHA1]),
		       SCWS_SHA1_LEN);
	}
	if (tb[SCWS_RULE_A_SOURCE])
		r->source = nla_get_u8(tb[SCWS_RULE_A_SOURCE]);
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

static int add_rule(struct acp_policy *p, struct nlattr *nest)
{
	struct acp_rule r = { 0 };
	int err = read_rule(nest, &r);

	if (!err)
		err = acp_policy_add_rule(p, &r);
	acp_rule_clear(&r);
	return err == -E2BIG ? -EBADMSG : err;
}

static int read_attr(struct scws_nl_policy_reader *rd, struct nlattr *a)
{
	struct acp_policy *p = rd->policy;

	switch (nla_type(a)) {
	case SCWS_A_POLICY_LOADED:
		rd->loaded = true;
		return nla_len(a) ? -EBADMSG : 0;	/* a flag */
	case SCWS_A_POLICY_DEFAULT:
		if (nla_len(a) != sizeof(uint8_t) ||
		    nla_get_u8(a) > SCWS_ACTION_ALLOW)
			return -EBADMSG;
		p->default_action = nla_get_u8(a);
		return 0;
	case SCWS_A_POLICY_CARD_TAG:
		return 0;	/* the card's, shown by the card's tools */
	case SCWS_A_POLICY_RULE:
		return add_rule(p, a);
	default:
		return nla_type(a) > SCWS_A_MAX ? -EOPNOTSUPP : -EBADMSG;
	}
}

void scws_nl_policy_reader_init(struct scws_nl_policy_reader *rd,
				struct acp_policy *p)
{
	memset(rd, 0, sizeof(*rd));
	acp_policy_init(p);
	rd->policy = p;
}

/* The attributes of all messages, in order, make the policy. */
int scws_nl_policy_read_msg(struct scws_nl_policy_reader *rd,
			    struct nlmsghdr *nlh)
{
	struct genlmsghdr *gnlh;
	struct nlattr *pos;
	int rem, err = 0;

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	gnlh = genlmsg_hdr(nlh);
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		rd->interrupted = true;
	rd->messages++;
	nla_for_each_attr(pos, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		err = read_attr(rd, pos);
		if (err)
			return err;
	}
	return rem ? -EBADMSG : 0;	/* bytes left that are no attribute */
}
