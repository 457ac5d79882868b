/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * scws-nl-policy.h - the access control policy on the wire: encodes the
 * model of acp-policy.h as the SCWS_A_POLICY attribute of
 * SCWS_CMD_POLICY_SET, and decodes SCWS_CMD_POLICY_GET dump messages back
 * into it.  No socket here: messages in, messages out (libnl), so both
 * directions can be tested without a kernel.
 */
#ifndef SCWS_NL_POLICY_H
#define SCWS_NL_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "acp-policy.h"

struct nl_msg;
struct nlattr;
struct nlmsghdr;

/* nla_len is 16 bits: one attribute, nests included, holds this at most. */
#define SCWS_NL_POLICY_ATTR_MAX 0xffff

/* Bytes SCWS_A_POLICY takes for p, its own header included. */
size_t scws_nl_policy_size(const struct acp_policy *p);

/*
 * Appends SCWS_A_POLICY for p to msg.  0; -E2BIG when the policy is larger
 * than one attribute can be (scws_nl_policy_size() > SCWS_NL_POLICY_ATTR_MAX);
 * -EMSGSIZE when msg has no room left.  msg is unchanged on failure.
 */
int scws_nl_policy_put(struct nl_msg *msg, const struct acp_policy *p);

/* Collects a POLICY_GET dump, one message at a time. */
struct scws_nl_policy_reader {
	struct acp_policy *policy;	/* rules and digests are appended */
	bool loaded;			/* SCWS_POLICY_A_LOADED was seen */
	size_t messages;		/* SCWS_A_POLICY attributes read */
};

/* Initialises p (empty, default deny) and the reader that fills it. */
void scws_nl_policy_reader_init(struct scws_nl_policy_reader *rd,
				struct acp_policy *p);

/*
 * Reads one dump message (its SCWS_A_POLICY, if any).  0; -EBADMSG when it is
 * malformed or a rule is one the text format cannot express; -EOPNOTSUPP
 * when it holds an attribute this tool does not know (a newer kernel: better
 * to refuse than to show a rule without one of its selectors); -ENOMEM.
 */
int scws_nl_policy_read_msg(struct scws_nl_policy_reader *rd,
			    struct nlmsghdr *nlh);
/* The same for one SCWS_A_POLICY attribute. */
int scws_nl_policy_read(struct scws_nl_policy_reader *rd, struct nlattr *nest);

#endif /* SCWS_NL_POLICY_H */
