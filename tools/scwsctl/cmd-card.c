// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cmd-card.c - scwsctl policy show --card and policy load --from-card.
 *
 * The card itself is not read here: scws-bipd holds it exclusively
 * through pcscd while it serves it, and it already reads the ARA-M at
 * every attach and rule change.  It writes the card's rules, as policy
 * text, to STATEDIR/card-rules.conf (default /run/scws); these commands
 * read that file, so they see exactly the rules the pump put in force.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acp-merge.h"
#include "scwsctl.h"

#define DEFAULT_STATE_DIR "/run/scws"
#define DEFAULT_LOCAL "/etc/scws/acp.conf"

static const char card_show_usage[] =
	"Usage: scwsctl policy show --card [--state-dir DIR]\n"
	"Print the card's access rules (GP SE Access Control, ARA-M) as the\n"
	"pump last read them and put them in force, in the policy file format,\n"
	"with the ARA-M's refresh tag in a comment.  Read from\n"
	"DIR/card-rules.conf (default " DEFAULT_STATE_DIR "), which scws-bipd\n"
	"--policy writes.\n";

static const char card_load_usage[] =
	"Usage: scwsctl policy load --from-card [--state-dir DIR] [FILE|-]\n"
	"Load the card's rules (DIR/card-rules.conf, see 'policy show --card')\n"
	"merged with the local policy FILE (default " DEFAULT_LOCAL "): FILE's\n"
	"deny rules, the card's rules, FILE's allow rules, FILE's default; the\n"
	"same merge scws-bipd --policy makes.  Needs CAP_NET_ADMIN.\n";

struct card_args {
	const char *state_dir;
	const char *local;
};

/* Takes --card / --from-card, --state-dir DIR and at most one operand. */
static int card_args(const struct ctl_cmd *cmd, int argc, char **argv,
		     const char *flag, bool operand, struct card_args *a)
{
	a->state_dir = DEFAULT_STATE_DIR;
	a->local = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], flag))
			continue;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(cmd->usage, stdout);
			return -1;
		}
		if (!strcmp(argv[i], "--state-dir") && i + 1 < argc) {
			a->state_dir = argv[++i];
			continue;
		}
		if (operand && !a->local &&
		    (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
			a->local = argv[i];
			continue;
		}
		return ctl_usage_error(cmd, "unexpected argument '%s'", argv[i]);
	}
	return CTL_OK;
}

static int read_card(const char *what, const char *dir, char **text,
		     struct acp_policy *p)
{
	char path[4096];
	struct acp_errors errs;
	int rc;

	snprintf(path, sizeof(path), "%s/card-rules.conf", dir);
	rc = policy_file_read(what, path, p, &errs);
	if (rc == POLICY_FILE_UNREADABLE) {
		ctl_error("%s: the pump writes %s with --policy; is scws-bipd "
			  "running with it?", what, path);
		return CTL_FAIL;
	}
	if (rc == POLICY_FILE_INVALID) {
		acp_errors_print(stderr, path, &errs);
		return CTL_FAIL;
	}
	if (text) {
		FILE *f = fopen(path, "re");
		size_t len = 0;

		*text = NULL;
		if (f) {
			char buf[4096];
			size_t n;
			FILE *out = open_memstream(text, &len);

			while (out && (n = fread(buf, 1, sizeof(buf), f)) > 0)
				fwrite(buf, 1, n, out);
			if (out)
				fclose(out);
			fclose(f);
		}
	}
	return CTL_OK;
}

int cmd_policy_card(struct ctl *ctl, int argc, char **argv, bool load)
{
	static const struct ctl_cmd show = { .name = "policy show --card",
					     .usage = card_show_usage };
	static const struct ctl_cmd ld = { .name = "policy load --from-card",
					   .usage = card_load_usage };
	const struct ctl_cmd *cmd = load ? &ld : &show;
	struct acp_policy card, local, merged;
	struct acp_merge_info info;
	struct acp_errors errs;
	struct card_args a;
	struct scws_nl *nl;
	char *text = NULL;
	int rc, err;

	(void)ctl;
	rc = card_args(cmd, argc, argv, load ? "--from-card" : "--card", load,
		       &a);
	if (rc)
		return rc < 0 ? CTL_OK : rc;
	rc = read_card(cmd->name, a.state_dir, load ? NULL : &text, &card);
	if (rc)
		return rc;
	if (!load) {
		fputs(text ? text : "", stdout);
		free(text);
		acp_policy_free(&card);
		return CTL_OK;
	}
	if (!a.local)
		a.local = DEFAULT_LOCAL;
	switch (policy_file_read(cmd->name, a.local, &local, &errs)) {
	case POLICY_FILE_UNREADABLE:
		acp_policy_free(&card);
		return CTL_FAIL;
	case POLICY_FILE_INVALID:
		acp_errors_print(stderr, policy_file_name(a.local), &errs);
		ctl_error("%s: %s: nothing loaded", cmd->name,
			  policy_file_name(a.local));
		acp_policy_free(&card);
		return CTL_FAIL;
	}
	err = acp_merge(&local, &card, &merged, &info);
	if (err) {
		ctl_error("%s: %s", cmd->name, strerror(-err));
		return CTL_FAIL;
	}
	rc = ctl_nl_open(cmd->name, &nl);
	if (!rc) {
		err = policy_set(nl, &merged);
		if (err)
			rc = ctl_nl_error(cmd->name, nl, err);
		scws_nl_close(nl);
	}
	if (!rc)
		fprintf(stderr, "%s: %zu local deny, %zu card, %zu local allow "
			"rules loaded\n", cmd->name, info.local_deny, info.card,
			info.local_allow);
	acp_policy_free(&merged);
	return rc;
}
