// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cmd-se.c - scwsctl se: the card's applets through scws-bipd's APDU
 * access service (scws-se.h), for people and scripts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scws-se.h"
#include "scwsctl.h"

static const char se_usage[] =
	"Usage: scwsctl se [--socket PATH] [--reader NAME] [--p2 XX] [--basic]\n"
	"                  COMMAND\n"
	"Reach the card's applets through scws-bipd's APDU access service\n"
	"(Open Mobile API semantics; the card's access rules decide).\n"
	"\n"
	"  list                 readers and whether a card is in\n"
	"  open AID             open a logical channel (AID hex, or 'default'),\n"
	"                       print the SELECT response, close it\n"
	"  exec AID HEX...      open, send each C-APDU, print each R-APDU, close\n"
	"  script               read commands from stdin, one a line, in one\n"
	"                       session: open AID | transmit HEX | select-response\n"
	"                       | close | list  (one channel at a time)\n"
	"\n"
	"R-APDUs are printed in hex, SW last.  Exit status 0; 1 when the\n"
	"service refuses (its message on stderr) or cannot be reached;\n"
	"2 for a bad command line.\n"
	"\n"
	"Options:\n"
	"  -s, --socket PATH    the service (default $SCWS_SE_SOCKET, else\n"
	"                       " SCWS_SE_SOCKET ")\n"
	"  -r, --reader NAME    the secure element: SIM1 (default) or eSE1\n"
	"      --p2 XX          SELECT P2 for open (default 00)\n"
	"      --basic          open the basic channel instead (the pump\n"
	"                       refuses: its toolkit session uses it)\n"
	"  -h, --help           this help\n";

static const struct ctl_cmd se_cmd = { .name = "se", .usage = se_usage,
				       .in_order = true };

struct se_cli {
	struct scws_se *se;
	uint8_t session;
	bool has_session, has_chan;
	uint8_t chan;
	uint8_t p2;
	bool basic;
	const char *reader;
	uint8_t buf[SE_PROTO_MSG_MAX];
};

static int parse_hex(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	size_t k = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == ':' || *s == '\t')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (k == cap)
			return -1;
		out[k++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		return -1;
	*n = k;
	return 0;
}

static void put_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02X", p[i]);
	putchar('\n');
	fflush(stdout);
}

static int report(struct se_cli *c, const char *what, int err)
{
	if (err < 0)
		ctl_error("se: %s: %s", what, strerror(-err));
	else if (err > 0)
		ctl_error("se: %s: %s (%s)", what,
			  se_status_name((enum se_status)err),
			  scws_se_error(c->se));
	return err ? CTL_FAIL : CTL_OK;
}

static int do_list(struct se_cli *c)
{
	struct scws_se_reader r[8];
	size_t n;
	int err = scws_se_list(c->se, r, 8, &n);

	if (err)
		return report(c, "list", err);
	for (size_t i = 0; i < n; i++)
		printf("%s %s\n", r[i].name, r[i].present ? "present" :
		       "no-card");
	return CTL_OK;
}

static int do_open(struct se_cli *c, const char *aid_hex)
{
	uint8_t aid[SE_PROTO_AID_MAX];
	size_t aid_len = 0, sel_len;
	int err;

	if (c->has_chan)
		return ctl_usage_error(&se_cmd, "open: a channel is open");
	if (strcmp(aid_hex, "default") &&
	    (parse_hex(aid_hex, aid, sizeof(aid), &aid_len) ||
	     aid_len < 5))
		return ctl_usage_error(&se_cmd, "open: bad AID '%s'", aid_hex);
	if (!c->has_session) {
		err = scws_se_open_session(c->se, c->reader, &c->session);
		if (err)
			return report(c, "open session", err);
		c->has_session = true;
	}
	err = (c->basic ? scws_se_open_basic : scws_se_open_logical)
		(c->se, c->session, aid, aid_len, c->p2, &c->chan, c->buf,
		 sizeof(c->buf), &sel_len);
	if (err)
		return report(c, "open", err);
	c->has_chan = true;
	put_hex(c->buf, sel_len);
	return CTL_OK;
}

static int do_transmit(struct se_cli *c, const char *hex)
{
	uint8_t cmd[SE_PROTO_APDU_MAX];
	size_t n, rlen;
	int err;

	if (!c->has_chan)
		return ctl_usage_error(&se_cmd, "transmit: no channel open");
	if (parse_hex(hex, cmd, sizeof(cmd), &n) || n < 4)
		return ctl_usage_error(&se_cmd, "transmit: bad APDU '%s'", hex);
	err = scws_se_transmit(c->se, c->chan, cmd, n, c->buf, sizeof(c->buf),
			       &rlen);
	if (err)
		return report(c, "transmit", err);
	put_hex(c->buf, rlen);
	return CTL_OK;
}

static int do_close(struct se_cli *c)
{
	int err;

	if (!c->has_chan)
		return ctl_usage_error(&se_cmd, "close: no channel open");
	c->has_chan = false;
	err = scws_se_close_channel(c->se, c->chan);
	return report(c, "close", err);
}

static int do_select_response(struct se_cli *c)
{
	size_t n;
	int err;

	if (!c->has_chan)
		return ctl_usage_error(&se_cmd, "select-response: no channel");
	err = scws_se_select_response(c->se, c->chan, c->buf, sizeof(c->buf),
				      &n);
	if (err)
		return report(c, "select-response", err);
	put_hex(c->buf, n);
	return CTL_OK;
}

/* One script line; CTL_OK, CTL_FAIL or CTL_USAGE. */
static int script_line(struct se_cli *c, char *line)
{
	char *cmd = strtok(line, " \t\r\n"), *arg = strtok(NULL, "\r\n");

	if (!cmd || cmd[0] == '#')
		return CTL_OK;
	if (!strcmp(cmd, "list"))
		return do_list(c);
	if (!strcmp(cmd, "open") && arg)
		return do_open(c, arg);
	if (!strcmp(cmd, "transmit") && arg)
		return do_transmit(c, arg);
	if (!strcmp(cmd, "select-response"))
		return do_select_response(c);
	if (!strcmp(cmd, "close"))
		return do_close(c);
	return ctl_usage_error(&se_cmd, "script: bad line '%s'", cmd);
}

static int script(struct se_cli *c)
{
	char line[2 * SE_PROTO_APDU_MAX + 64];
	int rc = CTL_OK;

	while (fgets(line, sizeof(line), stdin)) {
		int r = script_line(c, line);

		if (r != CTL_OK)
			rc = r;
	}
	return rc;
}

int cmd_se(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "p2", required_argument, NULL, 'P' },
		{ "basic", no_argument, NULL, 'B' },
		{ "reader", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct se_cli *c = calloc(1, sizeof(*c));
	const char *path = NULL, *sub;
	int opt, rc, err;
	size_t n;

	(void)ctl;
	if (!c)
		return CTL_FAIL;
	c->reader = "SIM1";
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+s:r:h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'P':
			if (parse_hex(optarg, &c->p2, 1, &n) || n != 1) {
				free(c);
				return ctl_usage_error(&se_cmd, "bad --p2");
			}
			break;
		case 'B':
			c->basic = true;
			break;
		case 'r':
			c->reader = optarg;
			break;
		case 'h':
			fputs(se_usage, stdout);
			free(c);
			return CTL_OK;
		default:
			free(c);
			return ctl_usage_error(&se_cmd, "bad option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		free(c);
		return ctl_usage_error(&se_cmd, "expected a command");
	}
	sub = argv[optind];
	err = scws_se_connect(path, &c->se);
	if (err) {
		ctl_error("se: cannot reach the service: %s", strerror(-err));
		free(c);
		return CTL_FAIL;
	}
	if (!strcmp(sub, "list") && optind + 1 == argc) {
		rc = do_list(c);
	} else if (!strcmp(sub, "open") && optind + 2 == argc) {
		rc = do_open(c, argv[optind + 1]);
		if (rc == CTL_OK)
			rc = do_close(c);
	} else if (!strcmp(sub, "exec") && optind + 2 <= argc) {
		rc = do_open(c, argv[optind + 1]);
		for (int i = optind + 2; rc == CTL_OK && i < argc; i++)
			rc = do_transmit(c, argv[i]);
		if (c->has_chan) {
			int r = do_close(c);

			rc = rc ? rc : r;
		}
	} else if (!strcmp(sub, "script") && optind + 1 == argc) {
		rc = script(c);
	} else {
		rc = ctl_usage_error(&se_cmd, "bad command '%s'", sub);
	}
	scws_se_close(c->se);
	free(c);
	return rc;
}
