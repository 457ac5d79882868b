// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-listen.c - `scws-dmc listen`: register with scws-bipd's DM_SC Gateway
 * (--dm-socket) and run a session for every package #0 the card sends,
 * exactly as `scws-dmc notify` would.
 *
 * The connection is the registration: while it is up the card knows a DM
 * client is there.  When the pump goes away (restart, stop) the listener
 * connects again every --retry-ms; a refusal from the pump (ERR: another
 * client is registered, this uid may not, a bad request) ends it with
 * status 1.  SIGTERM and SIGINT end it with status 0, after the session
 * under way if there is one.  The tree is locked per notification only, so
 * other scws-dmc commands run meanwhile.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "dm-listen.h"
#include "dmsc-msg.h"

#define DEFAULT_SOCKET "/run/scws/dm.sock"
#define DEFAULT_NAME "scws-dmc"
#define REPLY_TIMEOUT_MS 5000

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: poll() returns */
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Sleeps ms unless a signal comes first. */
static void pause_ms(int ms)
{
	if (!stop)
		poll(NULL, 0, ms);
}

/* One message from the pump, waiting at most ms (-1: forever): its
 * length, 0 when the pump closed, -1 on error or timeout (errno). */
static ssize_t next_msg(int fd, char *buf, size_t cap, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int r = poll(&p, 1, ms);

	if (r <= 0) {
		if (!r)
			errno = ETIMEDOUT;
		return -1;
	}
	n = recv(fd, buf, cap, MSG_TRUNC);
	if (n > (ssize_t)cap) {
		errno = EMSGSIZE;
		return -1;
	}
	return n;
}

/*
 * Connects and registers: the socket, or -1 for "try again later" (no
 * pump listening, or it went away), or -2 when the pump refused us.
 */
static int connect_register(const char *path, const char *name,
			    struct dmsc_msg *m, char *buf, size_t cap,
			    bool quiet)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *why;
	ssize_t n;
	size_t k;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "scws-dmc: %s: socket path too long\n", path);
		return -2;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (!quiet)
			fprintf(stderr, "scws-dmc: %s: %s; trying again\n",
				path, strerror(errno));
		close(fd);
		return -1;
	}
	k = dmsc_fmt_register(buf, cap, name);
	/* A pump that refuses us at once may have closed before reading:
	 * its ERR still waits to be read, so read on whatever send says. */
	send(fd, buf, k, MSG_NOSIGNAL);
	n = next_msg(fd, buf, cap, REPLY_TIMEOUT_MS);
	if (n <= 0) {
		fprintf(stderr, "scws-dmc: %s: no answer to REGISTER (%s)\n",
			path, n ? strerror(errno) : "closed");
		close(fd);
		return -1;
	}
	if (dmsc_msg_parse(buf, (size_t)n, m, &why)) {
		fprintf(stderr, "scws-dmc: %s: bad answer: %s\n", path, why);
		close(fd);
		return -2;
	}
	if (m->type == DMSC_ERR) {
		fprintf(stderr, "scws-dmc: the DM_SC Gateway refused us: %s%s%s\n",
			m->code, *m->text ? ": " : "", m->text);
		close(fd);
		return -2;
	}
	if (m->type != DMSC_OK) {
		fprintf(stderr, "scws-dmc: %s: unexpected answer to REGISTER\n",
			path);
		close(fd);
		return -2;
	}
	fprintf(stderr, "scws-dmc: registered with %s as %s\n", path, name);
	return fd;
}

static void run_notification(const struct dmsc_msg *m, const char *cafile)
{
	int lock, rc;

	fprintf(stderr, "scws-dmc: notification from the card (%zu bytes)\n",
		m->len);
	lock = dmc_lock_tree();
	if (lock < 0)
		return;
	rc = dmc_notify_run(m->data, m->len, cafile);
	close(lock);
	fprintf(stderr, "scws-dmc: the session it asked for %s\n",
		rc ? "failed" : "ended well");
}

/* Serves one registration until the pump goes or we are told to stop. */
static void serve(int fd, struct dmsc_msg *m, char *buf, size_t cap,
		  const char *cafile)
{
	while (!stop) {
		ssize_t n = next_msg(fd, buf, cap, -1);
		const char *why = NULL;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "scws-dmc: the DM_SC Gateway went away"
				"; connecting again\n");
			return;
		}
		if (dmsc_msg_parse(buf, (size_t)n, m, &why) ||
		    m->type != DMSC_NOTIFY) {
			fprintf(stderr, "scws-dmc: ignored a message from the "
				"gateway: %s\n", why ? why : "not NOTIFY");
			continue;
		}
		run_notification(m, cafile);
	}
}

int cmd_listen(int argc, char **argv, const char *cafile, int verbose)
{
	const char *path = DEFAULT_SOCKET, *name = DEFAULT_NAME;
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "name", required_argument, NULL, 'n' },
		{ "retry-ms", required_argument, NULL, 'r' },
		{ 0 }
	};
	static char buf[DMSC_MSG_MAX + 1];
	struct dmsc_msg *m;
	int retry_ms = 1000, c;
	bool quiet = false;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': path = optarg; break;
		case 'n': name = optarg; break;
		case 'r': retry_ms = atoi(optarg); break;
		default: return 2;
		}
	}
	if (optind != argc || retry_ms < 10 ||
	    !dmsc_name_valid(name, strlen(name))) {
		fprintf(stderr, "scws-dmc: listen [--socket PATH] [--name NAME "
			"(1..32 of A-Z a-z 0-9 . _ -)] [--retry-ms MS >= 10]\n");
		return 2;
	}
	m = malloc(sizeof(*m));
	if (!m)
		return 1;
	signals();
	while (!stop) {
		int fd = connect_register(path, name, m, buf, sizeof(buf),
					  quiet && !verbose);

		if (fd == -2) {
			free(m);
			return 1;
		}
		/* Say once that the pump is not there, not every retry. */
		quiet = fd < 0;
		if (fd < 0) {
			pause_ms(retry_ms);
			continue;
		}
		serve(fd, m, buf, sizeof(buf), cafile);
		close(fd);
	}
	fprintf(stderr, "scws-dmc: listen: stopped\n");
	free(m);
	return 0;
}
