// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cmd-monitor.c - scwsctl monitor: one line per event until SIGINT or
 * SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "scwsctl.h"

static const char monitor_usage[] =
	"Usage: scwsctl monitor [-j] [-p]\n"
	"Print the module's events as they happen, one a line, until SIGINT or\n"
	"SIGTERM: time, event, reason, then for connections id, port, peer,\n"
	"pid, uid, gid, label, exe, and the policy's decision and rule index.\n"
	"Needs CAP_NET_ADMIN.\n"
	"\n"
	"Options:\n"
	"  -j, --json     one JSON object per event and line\n"
	"  -p, --pretty   indent the JSON\n"
	"  -h, --help     this help\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* "2025-01-31T12:00:00.123+0100": local time, milliseconds, offset. */
static void now_text(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(buf + n, size - n, ".%03ld", ts.tv_nsec / 1000000);
	if (n < size)
		strftime(buf + n, size - n, "%z", &tm);
}

static void event_text(const struct scws_event_info *ev, const char *time)
{
	printf("%s %s", time, scws_event_name(ev->type));
	if (ev->reason != SCWS_REASON_NONE)
		printf(" reason=%s", scws_reason_name(ev->reason));
	if (ev->has_pump_portid)
		printf(" pump=%u", ev->pump_portid);
	if (ev->has_conn)
		print_conn_fields(stdout, &ev->conn);
	putchar('\n');
}

static void event_json(const struct ctl *ctl, const struct scws_event_info *ev,
		       const char *time)
{
	struct json j;

	json_init(&j, stdout, ctl->pretty);
	json_open_object(&j, NULL);
	json_string(&j, "time", time);
	json_string(&j, "event", scws_event_name(ev->type));
	if (ev->reason != SCWS_REASON_NONE)
		json_string(&j, "reason", scws_reason_name(ev->reason));
	if (ev->has_pump_portid)
		json_uint(&j, "pump_portid", ev->pump_portid);
	if (ev->has_conn)
		json_conn(&j, &ev->conn);
	json_close_object(&j);
}

static void on_event(void *arg, const struct scws_event_info *ev)
{
	const struct ctl *ctl = arg;
	char time[64];

	now_text(time, sizeof(time));
	if (ctl->json)
		event_json(ctl, ev, time);
	else
		event_text(ev, time);
}

static void on_malformed(void *arg, int cmd, int err)
{
	(void)arg;
	ctl_error("monitor: malformed message (command %d): %s", cmd,
		  strerror(-err));
}

/* The kernel dropped events for us: say so in the stream itself. */
static void events_lost(const struct ctl *ctl)
{
	char time[64];
	struct json j;

	now_text(time, sizeof(time));
	if (!ctl->json) {
		printf("%s events-lost\n", time);
		return;
	}
	json_init(&j, stdout, ctl->pretty);
	json_open_object(&j, NULL);
	json_string(&j, "time", time);
	json_string(&j, "event", "events-lost");
	json_close_object(&j);
}

/* Signals stay blocked but inside ppoll(), so none slips between checks. */
static int follow(const struct ctl *ctl, struct scws_nl *nl)
{
	struct pollfd pfd = { .fd = scws_nl_fd(nl), .events = POLLIN };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, old;
	int err = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop && !err) {
		if (ppoll(&pfd, 1, NULL, &old) < 0) {
			err = errno == EINTR ? 0 : -errno;
			continue;
		}
		err = scws_nl_dispatch(nl);
		if (err == -ENOBUFS) {
			events_lost(ctl);
			err = 0;
		}
		fflush(stdout);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err;
}

int cmd_monitor(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "monitor",
					    .usage = monitor_usage, .json = true };
	static const struct scws_nl_handlers handlers = {
		.event = on_event,
		.malformed = on_malformed,
	};
	struct scws_nl *nl;
	int first, err, rc;

	first = ctl_options(ctl, &cmd, argc, argv, &rc);
	if (first < 0)
		return rc;
	if (first < argc)
		return ctl_usage_error(&cmd, "unexpected argument '%s'", argv[first]);
	rc = ctl_nl_open(cmd.name, &nl);
	if (rc)
		return rc;
	scws_nl_set_handlers(nl, &handlers, ctl);
	err = scws_nl_subscribe_events(nl);
	if (!err)
		err = follow(ctl, nl);
	if (err)
		rc = ctl_nl_error(cmd.name, nl, err);
	scws_nl_close(nl);
	return rc;
}
