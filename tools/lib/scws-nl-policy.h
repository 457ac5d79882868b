/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * scws-nl-policy.h - the access control policy on the wire: encodes the
 * model of acp-policy.h as the top-level attributes of SCWS_CMD_POLICY_SET,
 * maps the kernel's error offset back to the rule at fault, and decodes
 * SCWS_CMD_POLICY_GET dump messages into the model.  No socket here:
 * messages in, messages out (libnl), so all of it is testable without a
 * kernel.
 */
#ifndef SCWS_NL_POLICY_H
#define SCWS_NL_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "acp-policy.h"

struct nl_msg;
struct nlattr;
struct nlmsghdr;

/* Bytes p's attributes take in a message. */
size_t scws_nl_policy_size(const struct acp_policy *p);

/*
 * Appends p to msg (after its genl header) as SCWS_A_POLICY_DEFAULT, then
 * every SCWS_A_POLICY_RULE, in the model's order.
 * 0, or -EMSGSIZE when msg has no room (msg is then left as it was).
 */
int scws_nl_policy_put(struct nl_msg *msg, const struct acp_policy *p);

/* What a kernel error offset points into. */
enum scws_nl_policy_part {
	SCWS_NL_POLICY_OTHER,		/* none of the policy's attributes */
	SCWS_NL_POLICY_DEFAULT,
	SCWS_NL_POLICY_RULE,
};

/*
 * The part of p that holds offset, the kernel's bad-attribute offset
 * (NLMSGERR_ATTR_OFFS: bytes from the start of the request's nlmsghdr) for
 * a message of a genl header and what scws_nl_policy_put() wrote for p.
 * *index: the rule, from 0.
 */
enum scws_nl_policy_part scws_nl_policy_locate(const struct acp_policy *p,
					       size_t offset, size_t *index);

/* Collects a POLICY_GET dump, one message at a time. */
struct scws_nl_policy_reader {
	struct acp_policy *policy;	/* rules are appended */
	bool loaded;			/* SCWS_A_POLICY_LOADED was seen */
	bool interrupted;		/* NLM_F_DUMP_INTR: read it again */
	size_t messages;
};

/* Initialises p (empty, default deny) and the reader that fills it. */
void scws_nl_policy_reader_init(struct scws_nl_policy_reader *rd,
				struct acp_policy *p);

/*
 * Reads one dump message.  0; -EBADMSG when it is malformed or holds a rule
 * the text format cannot express; -EOPNOTSUPP when it holds an attribute
 * this tool does not know (a newer kernel: better refuse than show a rule
 * without one of its selectors); -ENOMEM.
 */
int scws_nl_policy_read_msg(struct scws_nl_policy_reader *rd,
			    struct nlmsghdr *nlh);

#endif /* SCWS_NL_POLICY_H */
