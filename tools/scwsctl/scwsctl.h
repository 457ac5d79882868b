/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * scwsctl.h - what the scwsctl sources share: options, commands, output.
 */
#ifndef SCWSCTL_H
#define SCWSCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "acp-policy.h"
#include "json.h"
#include "scws-nl-policy.h"
#include "scws-nl.h"

/* Exit statuses. */
enum {
	CTL_OK = 0,
	CTL_FAIL = 1,		/* invalid file, kernel refusal, no module */
	CTL_USAGE = 2,		/* bad command line */
};

/* Global and per-command options. */
struct ctl {
	bool json;
	bool pretty;
};

/* A command as its options parser and its messages see it. */
struct ctl_cmd {
	const char *name;	/* "policy load" */
	const char *usage;	/* the --help text */
	bool json;		/* a read command: takes -j and -p */
	bool in_order;		/* options end at the first operand */
};

/* scwsctl.c: parses -j -p -h; the index of the first operand, or -1 with
 * *rc the exit status (after --help or a usage error). */
int ctl_options(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
		char **argv, int *rc);

/* output.c */
__attribute__((format(printf, 1, 2)))
void ctl_error(const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
int ctl_usage_error(const struct ctl_cmd *cmd, const char *fmt, ...);
int ctl_nl_open(const char *what, struct scws_nl **nl);
int ctl_nl_error(const char *what, const struct scws_nl *nl, int err);
void print_text(FILE *f, const char *s);
void print_conn_fields(FILE *f, const struct scws_conn_info *ci);
void json_conn(struct json *j, const struct scws_conn_info *ci);

/* The commands. */
int cmd_policy(struct ctl *ctl, int argc, char **argv);
int cmd_check(struct ctl *ctl, int argc, char **argv);
int cmd_status(struct ctl *ctl, int argc, char **argv);
int cmd_conns(struct ctl *ctl, int argc, char **argv);
int cmd_monitor(struct ctl *ctl, int argc, char **argv);
int cmd_lsm(struct ctl *ctl, int argc, char **argv);

/* cmd-lsm.c: 1 when the BPF-LSM program is attached, 0 when not, -1 unknown. */
int lsm_attached(void);
/* cmd-card.c: policy show --card, policy load --from-card */
int cmd_policy_card(struct ctl *ctl, int argc, char **argv, bool load);

int cmd_sign(struct ctl *ctl, int argc, char **argv);
int cmd_verify(struct ctl *ctl, int argc, char **argv);
int cmd_trust(struct ctl *ctl, int argc, char **argv);
/* cmd-se.c: the card's applets through scws-bipd (scws-se.h) */
int cmd_se(struct ctl *ctl, int argc, char **argv);
int cmd_push(struct ctl *ctl, int argc, char **argv);

/* cmd-trust.c: the module's trusted certificates (SCWS_CMD_TRUST_GET). */
#define SCWS_TRUST_DIR "/etc/scws/trusted.d"
struct x509_st;
struct trust_cert {
	unsigned int anchor;		/* enum scws_anchor */
	uint8_t sha256[SCWS_SHA256_LEN];
	struct x509_st *x509;		/* X509 */
};
int trust_get_all(struct trust_cert **certs, size_t *n);
void trust_certs_free(struct trust_cert *certs, size_t n);

/* policy-file.c: reads and parses path ("-": stdin) into p. */
enum {
	POLICY_FILE_OK,
	POLICY_FILE_UNREADABLE,	/* the reason is printed */
	POLICY_FILE_INVALID,	/* errs says why, nothing is printed */
};
int policy_file_read(const char *what, const char *path,
		     struct acp_policy *p, struct acp_errors *errs);
const char *policy_file_name(const char *path);	/* "<stdin>" for "-" */

/* policy-nl.c: the policy to and from the kernel. */
int policy_set(struct scws_nl *nl, const struct acp_policy *p);
int policy_clear(struct scws_nl *nl);
/* -EAGAIN: the policy kept changing while it was read. */
int policy_get(struct scws_nl *nl, struct acp_policy *p, bool *loaded);
/* After policy_set() failed: the part of p the kernel's error points at. */
enum scws_nl_policy_part policy_error_at(const struct scws_nl *nl,
					 const struct acp_policy *p,
					 size_t *index);

/* policy-json.c: "default", "trust" and "rules" members of an object. */
void json_policy(struct json *j, const struct acp_policy *p);

#endif /* SCWSCTL_H */
