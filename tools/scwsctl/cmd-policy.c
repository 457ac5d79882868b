// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cmd-policy.c - scwsctl policy load|show|clear, and check.
 */
#include <stdlib.h>
#include <string.h>

#include "scwsctl.h"

static const char policy_usage[] =
	"Usage: scwsctl policy load FILE|-\n"
	"       scwsctl policy load --from-card [--state-dir DIR] [FILE|-]\n"
	"       scwsctl policy show [-j] [-p]\n"
	"       scwsctl policy show --card [--state-dir DIR]\n"
	"       scwsctl policy clear\n"
	"       scwsctl policy check [-j] [-p] FILE|-\n"
	"Manage the access control policy of this network namespace's SCWS\n"
	"ports.  'scwsctl policy COMMAND --help' tells more.  See scwsctl(8)\n"
	"for the file format.\n";

static const char load_usage[] =
	"Usage: scwsctl policy load FILE|-\n"
	"Replace the access control policy with the one in FILE ('-' reads\n"
	"standard input), as a whole.  Nothing is sent unless the whole file is\n"
	"valid.  Warns (FILE:LINE:COLUMN: warning: ...) about allow rules that\n"
	"name only an executable.  Needs CAP_NET_ADMIN.\n"
	"\n"
	"Options:\n"
	"  -h, --help   this help\n";

static const char show_usage[] =
	"Usage: scwsctl policy show [-j] [-p]\n"
	"Print the policy in force, in the policy file format (loading the\n"
	"output gives the same policy).  Needs\n"
	"CAP_NET_ADMIN.\n"
	"\n"
	"Options:\n"
	"  -j, --json     JSON: {\"loaded\", \"default\", \"rules\"}\n"
	"  -p, --pretty   indent the JSON\n"
	"  -h, --help     this help\n";

static const char clear_usage[] =
	"Usage: scwsctl policy clear\n"
	"Remove the policy: every caller may connect again.  Needs\n"
	"CAP_NET_ADMIN.\n"
	"\n"
	"Options:\n"
	"  -h, --help   this help\n";

static const char check_usage[] =
	"Usage: scwsctl check [-j] [-p] FILE|-\n"
	"Check a policy file without loading it (no kernel needed): every bad\n"
	"line is reported as FILE:LINE:COLUMN: error: MESSAGE, and what is valid\n"
	"but weak (an allow rule that names only an executable) as\n"
	"FILE:LINE:COLUMN: warning: MESSAGE on standard error.  Exit status 0\n"
	"when the file is valid, 1 when not.\n"
	"\n"
	"Options:\n"
	"  -j, --json     JSON: {\"file\", \"valid\", \"errors\"} or the policy\n"
	"  -p, --pretty   indent the JSON\n"
	"  -h, --help     this help\n";

/* argv[first] must be the only operand. */
static int one_operand(const struct ctl_cmd *cmd, int first, int argc,
		       char **argv, const char **operand)
{
	if (first == argc)
		return ctl_usage_error(cmd, "expected a FILE ('-' for standard input)");
	if (first + 1 < argc)
		return ctl_usage_error(cmd, "unexpected argument '%s'",
				       argv[first + 1]);
	*operand = argv[first];
	return CTL_OK;
}

static int no_operand(const struct ctl_cmd *cmd, int first, int argc,
		      char **argv)
{
	if (first < argc)
		return ctl_usage_error(cmd, "unexpected argument '%s'", argv[first]);
	return CTL_OK;
}

/*
 * "scwsctl: policy load: rule 3: uid range upside down (Invalid argument)",
 * then where rule 3 is in the file: the kernel's message is fixed, its
 * error offset says which rule.
 */
static int load_error(const char *what, const char *path,
		      const struct scws_nl *nl, const struct acp_policy *p,
		      int err)
{
	char where[64];
	size_t index;

	switch (policy_error_at(nl, p, &index)) {
	case SCWS_NL_POLICY_RULE:
		snprintf(where, sizeof(where), "%s: rule %zu", what, index);
		ctl_nl_error(where, nl, err);
		if (p->rules[index].line)
			fprintf(stderr, "%s:%u: note: rule %zu (counting from 0) is here\n",
				policy_file_name(path), p->rules[index].line,
				index);
		return CTL_FAIL;
	default:
		return ctl_nl_error(what, nl, err);
	}
}

static int send_policy(const char *what, const char *path,
		       const struct acp_policy *p)
{
	struct scws_nl *nl;
	int err, rc = ctl_nl_open(what, &nl);

	if (rc)
		return rc;
	err = p ? policy_set(nl, p) : policy_clear(nl);
	if (err)
		rc = p ? load_error(what, path, nl, p, err) :
			 ctl_nl_error(what, nl, err);
	scws_nl_close(nl);
	return rc;
}

/* Warnings go to standard error and change nothing else. */
static void lint(const char *path, const struct acp_policy *p)
{
	struct acp_errors warns;

	if (acp_lint(p, &warns))
		acp_warnings_print(stderr, policy_file_name(path), &warns);
}

static int run_load(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "policy load",
					    .usage = load_usage };
	struct acp_errors errs;
	struct acp_policy p;
	const char *path;
	int first, rc;

	first = ctl_options(ctl, &cmd, argc, argv, &rc);
	if (first < 0)
		return rc;
	rc = one_operand(&cmd, first, argc, argv, &path);
	if (rc)
		return rc;
	switch (policy_file_read(cmd.name, path, &p, &errs)) {
	case POLICY_FILE_UNREADABLE:
		return CTL_FAIL;
	case POLICY_FILE_INVALID:
		acp_errors_print(stderr, policy_file_name(path), &errs);
		ctl_error("%s: %s: nothing loaded", cmd.name,
			  policy_file_name(path));
		return CTL_FAIL;
	}
	lint(path, &p);
	rc = send_policy(cmd.name, path, &p);
	acp_policy_free(&p);
	return rc;
}

static int print_policy(const struct ctl *ctl, const struct acp_policy *p,
			bool loaded)
{
	struct json j;

	if (!ctl->json) {
		if (!loaded)
			puts("# no policy loaded: every caller is allowed");
		acp_print(stdout, p);
		return CTL_OK;
	}
	json_init(&j, stdout, ctl->pretty);
	json_open_object(&j, NULL);
	json_bool(&j, "loaded", loaded);
	json_policy(&j, p);
	json_close_object(&j);
	return CTL_OK;
}

static int run_show(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "policy show",
					    .usage = show_usage, .json = true };
	struct acp_policy p;
	struct scws_nl *nl;
	bool loaded;
	int first, err, rc;

	first = ctl_options(ctl, &cmd, argc, argv, &rc);
	if (first < 0)
		return rc;
	rc = no_operand(&cmd, first, argc, argv);
	if (!rc)
		rc = ctl_nl_open(cmd.name, &nl);
	if (rc)
		return rc;
	err = policy_get(nl, &p, &loaded);
	if (err) {
		rc = ctl_nl_error(cmd.name, nl, err);
	} else {
		/* No policy means everyone is allowed: say so loadably. */
		if (!loaded)
			p.default_action = SCWS_ACTION_ALLOW;
		rc = print_policy(ctl, &p, loaded);
		acp_policy_free(&p);
	}
	scws_nl_close(nl);
	return rc;
}

static int run_clear(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "policy clear",
					    .usage = clear_usage };
	int first, rc;

	first = ctl_options(ctl, &cmd, argc, argv, &rc);
	if (first < 0)
		return rc;
	rc = no_operand(&cmd, first, argc, argv);
	return rc ? rc : send_policy(cmd.name, NULL, NULL);
}

static bool has_arg(int argc, char **argv, const char *flag)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return true;
	return false;
}

int cmd_policy(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "policy",
					    .usage = policy_usage,
					    .json = true, .in_order = true };
	int first, rc;

	first = ctl_options(ctl, &cmd, argc, argv, &rc);
	if (first < 0)
		return rc;
	argc -= first;
	argv += first;
	if (!argc)
		return ctl_usage_error(&cmd, "expected load, show, clear or check");
	if (strcmp(argv[0], "load") == 0)
		return has_arg(argc, argv, "--from-card") ?
		       cmd_policy_card(ctl, argc, argv, true) :
		       run_load(ctl, argc, argv);
	if (strcmp(argv[0], "show") == 0)
		return has_arg(argc, argv, "--card") ?
		       cmd_policy_card(ctl, argc, argv, false) :
		       run_show(ctl, argc, argv);
	if (strcmp(argv[0], "clear") == 0)
		return run_clear(ctl, argc, argv);
	if (strcmp(argv[0], "check") == 0)	/* same as scwsctl check */
		return cmd_check(ctl, argc, argv);
	return ctl_usage_error(&cmd, "unknown command '%s'", argv[0]);
}

static void json_errors(struct json *j, const struct acp_errors *errs)
{
	unsigned int i;

	json_bool(j, "valid", false);
	json_open_array(j, "errors");
	for (i = 0; i < errs->count && i < ACP_ERRORS_MAX; i++) {
		json_open_object(j, NULL);
		json_uint(j, "line", errs->list[i].line);
		json_uint(j, "column", errs->list[i].column);
		json_string(j, "message", errs->list[i].message);
		json_close_object(j);
	}
	json_close_array(j);
	if (errs->count > ACP_ERRORS_MAX)
		json_uint(j, "errors_total", errs->count);
}

static void check_json(const struct ctl *ctl, const char *path,
		       const struct acp_policy *p, const struct acp_errors *errs)
{
	struct json j;

	json_init(&j, stdout, ctl->pretty);
	json_open_object(&j, NULL);
	json_string(&j, "file", policy_file_name(path));
	if (errs->count) {
		json_errors(&j, errs);
	} else {
		json_bool(&j, "valid", true);
		json_open_object(&j, "policy");
		json_policy(&j, p);
		json_close_object(&j);
	}
	json_close_object(&j);
}

static void check_text(const char *path, const struct acp_policy *p,
		       const struct acp_errors *errs)
{
	const char *name = policy_file_name(path);

	if (errs->count)
		acp_errors_print(stderr, name, errs);
	else
		printf("%s: ok: %zu rule%s, default %s\n",
		       name, p->n_rules, p->n_rules == 1 ? "" : "s",
		       acp_action_name(p->default_action));
}

int cmd_check(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "check",
					    .usage = check_usage, .json = true };
	struct acp_errors errs;
	struct acp_policy p;
	const char *path;
	int first, rc;

	first = ctl_options(ctl, &cmd, argc, argv, &rc);
	if (first < 0)
		return rc;
	rc = one_operand(&cmd, first, argc, argv, &path);
	if (rc)
		return rc;
	rc = policy_file_read(cmd.name, path, &p, &errs);
	if (rc == POLICY_FILE_UNREADABLE)
		return CTL_FAIL;
	if (rc == POLICY_FILE_OK)
		lint(path, &p);
	if (ctl->json)
		check_json(ctl, path, &p, &errs);
	else
		check_text(path, &p, &errs);
	acp_policy_free(&p);
	return rc == POLICY_FILE_OK ? CTL_OK : CTL_FAIL;
}
