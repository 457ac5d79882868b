/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * acp-policy.h - the SCWS access control policy: model, text parser, printer.
 *
 * Pure: no netlink, no I/O but the FILE * the printers are given, so it can
 * be unit tested and fuzzed.  scws-nl-policy.h turns the model into
 * SCWS_CMD_POLICY_SET attributes and POLICY_GET dumps back into the model.
 *
 * Text format, one statement a line, '#' starts a comment:
 *
 *   default deny|allow
 *   allow|deny SELECTOR... [port N]
 *
 *   SELECTOR := uid N | uid A-B | gid N | group N | label STR
 *             | label-prefix STR | exe /abs/path | exe-sha256 <64 hex>
 *             | trusted manufacturer | trusted any
 *             | signer-sha256 <64 hex> | signer-sha1 <40 hex> | all
 *
 * The "trust manufacturer <digest>" lines of earlier versions are refused
 * with a message: trusted applications are signed ones now (scwsctl sign,
 * scwsctl trust add).
 *
 * STR is a word or a double-quoted string with the escapes \" \\ and \xNN
 * (\xNN so that every label the kernel can hold prints back loadably).
 * A label or label-prefix loses a trailing AppArmor mode (" (enforce)").
 * acp_print() writes this format; parsing its output gives an equal model.
 */
#ifndef ACP_POLICY_H
#define ACP_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/scws.h>

#define ACP_LABEL_MAX (SCWS_LABEL_MAX - 1)	/* bytes, without the NUL */
#define ACP_EXE_MAX (SCWS_EXE_MAX - 1)
#define ACP_ERRORS_MAX 20	/* errors kept by one parse; more are counted */
#define ACP_ERROR_LEN 200

/* Selector kinds, the bits of acp_rule.selectors. */
enum acp_selector {
	ACP_SEL_UID = 1u << 0,
	ACP_SEL_GID = 1u << 1,
	ACP_SEL_GROUP = 1u << 2,
	ACP_SEL_LABEL = 1u << 3,
	ACP_SEL_LABEL_PREFIX = 1u << 4,
	ACP_SEL_EXE = 1u << 5,
	ACP_SEL_EXE_SHA256 = 1u << 6,
	ACP_SEL_TRUSTED = 1u << 7,
	ACP_SEL_ALL = 1u << 8,
	ACP_SEL_SIGNER_SHA256 = 1u << 9,
	ACP_SEL_SIGNER_SHA1 = 1u << 10,
};

/* One rule.  A field means something only when its selector bit is set. */
struct acp_rule {
	uint8_t action;			/* enum scws_action */
	uint16_t port;			/* 0: every port */
	unsigned int selectors;		/* enum acp_selector bits */
	uint32_t uid_min;
	uint32_t uid_max;
	uint32_t gid;
	uint32_t group;
	char *label;			/* owned; NULL when absent */
	char *label_prefix;		/* owned; NULL when absent */
	char *exe;			/* owned; NULL when absent */
	uint8_t exe_sha256[SCWS_SHA256_LEN];
	uint8_t trusted;		/* enum scws_trust */
	uint8_t signer_sha256[SCWS_SHA256_LEN];
	uint8_t signer_sha1[SCWS_SHA1_LEN];
	uint8_t source;			/* enum scws_rule_source */
	unsigned int line;		/* source line, 0 if not parsed from text */
	unsigned int column;		/* of its first word, 0 likewise */
};

struct acp_policy {
	uint8_t default_action;		/* enum scws_action, deny unless set */
	size_t n_rules;
	struct acp_rule *rules;		/* in order: the first match decides */
	size_t rules_cap;		/* private: allocated size */
};

struct acp_error {
	unsigned int line;		/* from 1 */
	unsigned int column;		/* from 1, in bytes */
	char message[ACP_ERROR_LEN];
};

/* What a parse found wrong: the first ACP_ERRORS_MAX errors, and a count. */
struct acp_errors {
	unsigned int count;		/* all errors, may exceed ACP_ERRORS_MAX */
	struct acp_error list[ACP_ERRORS_MAX];
};

/* Model. */
void acp_policy_init(struct acp_policy *p);
void acp_policy_free(struct acp_policy *p);
void acp_rule_clear(struct acp_rule *r);
/* Moves r (and its strings) into p: 0, -E2BIG past the limit, -ENOMEM.
 * On failure r is left to the caller. */
int acp_policy_add_rule(struct acp_policy *p, struct acp_rule *r);
bool acp_rule_equal(const struct acp_rule *a, const struct acp_rule *b);
/* Same default, same rules in the same order. */
bool acp_policy_equal(const struct acp_policy *a, const struct acp_policy *b);
/* NULL if the rule is one the text format can express, else why not. */
const char *acp_rule_problem(const struct acp_rule *r);

/*
 * Parses text (len bytes, need not be NUL terminated) into p, which it
 * initialises.  Returns 0, or -EINVAL with errs filled (one error per bad
 * line, the first of that line) and p empty, or -ENOMEM.
 */
int acp_parse(const char *text, size_t len, struct acp_policy *p,
	      struct acp_errors *errs);
/* "FILE:LINE:COL: error: MESSAGE" lines, then a note if some were dropped. */
void acp_errors_print(FILE *f, const char *filename,
		      const struct acp_errors *errs);

/*
 * What is legal but probably not meant, in a parsed policy: an allow rule
 * that names the caller only by its executable (exe, exe-sha256, trusted,
 * signer-*),
 * which any local user can run or pass as.  Returns the number found;
 * warns holds them as errors do (line and column of the rule).
 */
unsigned int acp_lint(const struct acp_policy *p, struct acp_errors *warns);
/* "FILE:LINE:COL: warning: MESSAGE" lines, then a note if some were dropped. */
void acp_warnings_print(FILE *f, const char *filename,
			const struct acp_errors *warns);
/*
 * len without the mode AppArmor shows after a profile name in
 * /proc/PID/attr/current (" (enforce)", " (complain)", ...): the module
 * compares profile names.  The parser drops it from labels and prefixes.
 */
size_t acp_label_mode_len(const char *label, size_t len);

/* Printing in the text format. */
void acp_print(FILE *f, const struct acp_policy *p);
void acp_print_rule(FILE *f, const struct acp_rule *r);
void acp_print_hex(FILE *f, const uint8_t digest[SCWS_SHA256_LEN]);
void acp_print_bytes(FILE *f, const uint8_t *b, size_t n);
const char *acp_action_name(unsigned int action);	/* "allow", "deny" */
const char *acp_trust_name(unsigned int trust);	/* "manufacturer", "any" */

#endif /* ACP_POLICY_H */
