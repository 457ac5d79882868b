// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * scwsctl.c - administer the SCWS gateway module: the access control
 * policy, status, pending connections and events.  This file holds main(),
 * the option parser every command shares and the command table.
 */
#include <getopt.h>
#include <string.h>

#include "scwsctl.h"

#include "scws-version.h"

static const char usage[] =
	"Usage: scwsctl [OPTIONS] COMMAND [ARGS]\n"
	"Administer the SCWS gateway (scws.ko) of this network namespace.\n"
	"\n"
	"Commands:\n"
	"  policy load FILE|-   replace the access control policy\n"
	"  policy show          print the policy in force\n"
	"  policy clear         remove the policy: every caller is allowed\n"
	"  check FILE|-         check a policy file without loading it\n"
	"  status               pump, queue and per-port counters\n"
	"  conns                connections waiting for the pump\n"
	"  monitor              print events until interrupted\n"
	"  lsm attach|detach|status\n"
	"                       the BPF-LSM program: EPERM at connect() for a\n"
	"                       denied caller (else the netfilter hook refuses)\n"
	"  sign, verify FILE    sign an executable, check its signature\n"
	"  trust add|clear|list|load-dir  the trusted certificates\n"
	"  se list|open|exec|script  the card's applets through scws-bipd\n"
	"  push sms HEX [--smsc N]  deliver a formatted SMS to the card\n"
	"\n"
	"Options:\n"
	"  -j, --json      JSON output (read commands)\n"
	"  -p, --pretty    indent the JSON\n"
	"  -h, --help      this help; 'scwsctl COMMAND --help' for a command\n"
	"  -V, --version   print the version\n";

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The option getopt refused, for the message. */
static const char *bad_option(char **argv, char *buf, size_t size)
{
	if (!optopt)
		return argv[optind - 1];	/* a long option */
	snprintf(buf, size, "-%c", optopt);
	return buf;
}

int ctl_options(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
		char **argv, int *rc)
{
	const char *opts = cmd->in_order ? "+:jph" : ":jph";
	char buf[8];
	int c;

	optind = 0;		/* a new argv: full reinitialisation */
	opterr = 0;
	while ((c = getopt_long(argc, argv, opts, long_options, NULL)) != -1) {
		if (c == 'h') {
			fputs(cmd->usage, stdout);
			*rc = CTL_OK;
			return -1;
		}
		if ((c == 'j' || c == 'p') && cmd->json) {
			ctl->json = true;
			ctl->pretty |= c == 'p';
			continue;
		}
		if (c == 'j' || c == 'p')
			*rc = ctl_usage_error(cmd, "-j/--json and -p/--pretty are for read commands only");
		else
			*rc = ctl_usage_error(cmd, "unknown option '%s'",
					      bad_option(argv, buf, sizeof(buf)));
		return -1;
	}
	return optind;
}

static const struct {
	const char *name;
	int (*run)(struct ctl *ctl, int argc, char **argv);
} commands[] = {
	{ "policy", cmd_policy },
	{ "check", cmd_check },
	{ "status", cmd_status },
	{ "conns", cmd_conns },
	{ "monitor", cmd_monitor },
	{ "lsm", cmd_lsm },
	{ "sign", cmd_sign },
	{ "verify", cmd_verify },
	{ "trust", cmd_trust },
	{ "se", cmd_se },
	{ "push", cmd_push },
};

int main(int argc, char **argv)
{
	static const struct ctl_cmd top = { .name = "", .usage = usage,
					    .json = true, .in_order = true };
	struct ctl ctl = { 0 };
	size_t i;
	int first, rc;

	if (argc > 1 && (strcmp(argv[1], "-V") == 0 ||
			 strcmp(argv[1], "--version") == 0)) {
		puts("scwsctl " SCWS_VERSION);
		return CTL_OK;
	}
	first = ctl_options(&ctl, &top, argc, argv, &rc);
	if (first < 0)
		return rc;
	if (first == argc)
		return ctl_usage_error(&top, "expected a command");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[first], commands[i].name) == 0)
			return commands[i].run(&ctl, argc - first, argv + first);
	return ctl_usage_error(&top, "unknown command '%s'", argv[first]);
}
