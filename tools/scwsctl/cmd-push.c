// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cmd-push.c - scwsctl push sms: hand a formatted SMS (an SMS-DELIVER
 * TPDU, e.g. a TS 102 225 secured packet for the card's administration
 * agent) to the pump's control socket, which delivers it to the card as
 * an SMS-PP download ENVELOPE; print the card's status word and Proof of
 * Receipt.  The protocol is in tools/lib/bipd-ctl.h.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bipd-ctl.h"
#include "scwsctl.h"

#define DEFAULT_CTL_SOCKET "/run/scws/bipd.ctl"
#define DEFAULT_TIMEOUT_S 30

static const struct ctl_cmd push_cmd = {
	.name = "push",
	.usage =
	"Usage: scwsctl push sms HEX [--smsc NUMBER] [--socket PATH]\n"
	"                            [--timeout SECONDS]\n"
	"Deliver an SMS-DELIVER TPDU (hex) to the card as an SMS-PP data\n"
	"download, through scws-bipd's control socket (root only).  Prints\n"
	"the card's status word and its response data (Proof of Receipt).\n"
	"\n"
	"  --smsc NUMBER    the service centre address, [+]digits (optional)\n"
	"  --socket PATH    the control socket (default " DEFAULT_CTL_SOCKET
	",\n                   or $SCWS_BIPD_CTL)\n"
	"  --timeout SEC    how long to wait for the card (default 30)\n"
	"\n"
	"Exit status: 0 when the card took the message (SW 90 00 or 91 xx),\n"
	"1 when it answered otherwise or could not be reached, 2 on usage.\n",
};

static const struct option push_options[] = {
	{ "smsc", required_argument, NULL, 's' },
	{ "socket", required_argument, NULL, 'S' },
	{ "timeout", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* One reply line within timeout_ms: its length, or -1. */
static ssize_t read_reply(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t len = 0;

	while (len < cap - 1) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n <= 0) {
			errno = n ? errno : ECONNRESET;
			return -1;
		}
		len += (size_t)n;
		if (memchr(buf, '\n', len))
			return (ssize_t)((char *)memchr(buf, '\n', len) - buf);
	}
	errno = EMSGSIZE;
	return -1;
}

static int push_sms(const char *hex, const char *smsc, const char *path,
		    int timeout_s)
{
	char line[CTL_LINE_MAX], reply[CTL_LINE_MAX + 1];
	struct ctl_request req;
	struct ctl_reply r;
	const char *why;
	ssize_t n;
	int fd, k;

	k = snprintf(line, sizeof(line), "SMS %s%s%s\n", hex, smsc ? " " : "",
		     smsc ? smsc : "");
	if (k < 0 || (size_t)k >= sizeof(line)) {
		ctl_error("push sms: TPDU too long");
		return CTL_USAGE;
	}
	/* The same checks as the pump's, so mistakes are told here. */
	if (ctl_parse_request(line, (size_t)k - 1, &req, &why)) {
		ctl_error("push sms: %s", why);
		return CTL_USAGE;
	}
	fd = ctl_connect(path);
	if (fd < 0) {
		ctl_error("push sms: cannot reach scws-bipd at %s: %s%s", path,
			  strerror(errno), errno == ENOENT ||
			  errno == ECONNREFUSED ? " (is the pump running?)" :
			  errno == EACCES ? " (root only)" : "");
		return CTL_FAIL;
	}
	if (write(fd, line, (size_t)k) != k) {
		ctl_error("push sms: %s: %s", path, strerror(errno));
		close(fd);
		return CTL_FAIL;
	}
	n = read_reply(fd, reply, sizeof(reply), timeout_s * 1000);
	close(fd);
	if (n < 0) {
		ctl_error("push sms: no answer from scws-bipd: %s%s",
			  strerror(errno), errno == ECONNRESET ?
			  " (refused: root only)" : "");
		return CTL_FAIL;
	}
	if (ctl_parse_reply(reply, (size_t)n, &r)) {
		ctl_error("push sms: unexpected answer from scws-bipd");
		return CTL_FAIL;
	}
	if (!r.ok) {
		ctl_error("push sms: %s (%s)", r.text, r.code);
		return CTL_FAIL;
	}
	printf("sw %04X\npor ", r.sw);
	if (!r.por_len)
		fputs("-", stdout);
	for (size_t i = 0; i < r.por_len; i++)
		printf("%02X", r.por[i]);
	putchar('\n');
	return r.sw == 0x9000 || (r.sw >> 8) == 0x91 ? CTL_OK : CTL_FAIL;
}

int cmd_push(struct ctl *ctl, int argc, char **argv)
{
	const char *smsc = NULL, *path = getenv("SCWS_BIPD_CTL");
	long timeout = DEFAULT_TIMEOUT_S;
	char *end;
	int c;

	(void)ctl;
	if (!path || !*path)
		path = DEFAULT_CTL_SOCKET;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", push_options, NULL)) != -1) {
		switch (c) {
		case 's':
			smsc = optarg;
			break;
		case 'S':
			path = optarg;
			break;
		case 't':
			timeout = strtol(optarg, &end, 10);
			if (*end || timeout < 1 || timeout > 3600)
				return ctl_usage_error(&push_cmd,
					"--timeout: 1..3600 seconds");
			break;
		case 'h':
			fputs(push_cmd.usage, stdout);
			return CTL_OK;
		default:
			return ctl_usage_error(&push_cmd, "unknown or "
					       "incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc || strcmp(argv[optind], "sms"))
		return ctl_usage_error(&push_cmd, "expected 'sms HEX'");
	if (optind + 2 != argc)
		return ctl_usage_error(&push_cmd, "expected one HEX TPDU");
	return push_sms(argv[optind + 1], smsc, path, (int)timeout);
}
