/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * scws-nl-load.h - loading a policy model into the kernel
 * (SCWS_CMD_POLICY_SET, one message: the kernel swaps it in atomically).
 */
#ifndef SCWS_NL_LOAD_H
#define SCWS_NL_LOAD_H

#include "acp-policy.h"

struct scws_nl;

/* 0 or -errno (the kernel's; -EPERM without CAP_NET_ADMIN when the
 * policy is larger than the socket's send buffer may grow to). */
int scws_nl_policy_load(struct scws_nl *nl, const struct acp_policy *p);

#endif /* SCWS_NL_LOAD_H */
