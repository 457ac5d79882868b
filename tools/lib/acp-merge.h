/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * acp-merge.h - the admin's local policy and the card's rules as one
 * policy, in this order (first match decides):
 *
 *   1. the local file's deny rules   (the admin can always shut a door)
 *   2. the card's rules              (GP precedence, seac-rules.h)
 *   3. the local file's allow rules  (reached when no card rule matched:
 *                                     in practice when the card has no
 *                                     rule for the SCWS)
 *   4. the local file's default      (deny when there is no local file)
 *
 * The local file's trust digests are kept.  Pure, like acp-policy.h.
 */
#ifndef ACP_MERGE_H
#define ACP_MERGE_H

#include <stddef.h>
#include <stdio.h>

#include "acp-policy.h"

/* Where each part of a merged policy starts. */
struct acp_merge_info {
	size_t local_deny;	/* rules [0, local_deny) */
	size_t card;		/* then this many card rules */
	size_t local_allow;	/* then these */
};

/*
 * Moves the rules of local and card into out (initialised here) in the
 * order above; local and card are freed in every case.  0, -E2BIG past
 * the kernel's rule limit, -ENOMEM; out is empty on failure.
 */
int acp_merge(struct acp_policy *local, struct acp_policy *card,
	      struct acp_policy *out, struct acp_merge_info *info);

/* acp_print() with a comment before each part saying where it came from. */
void acp_merge_print(FILE *f, const struct acp_policy *p,
		     const struct acp_merge_info *info);

#endif /* ACP_MERGE_H */
