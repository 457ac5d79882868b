// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * pump-oneshot.c - the test pump's one-shot modes: each does one thing,
 * prints the result and exits.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pump.h"

int run_register_only(const struct pump_opts *opts)
{
	struct pump_port ports[SCWS_NL_PORTS_MAX];
	struct scws_nl *nl;
	int rc;

	if (pump_open(&nl))
		return PUMP_EXIT_ERROR;
	memcpy(ports, opts->ports, sizeof(ports));
	rc = pump_register(nl, ports, opts->n_ports);
	if (rc == PUMP_EXIT_OK) {
		while (!pump_stop)
			pump_wait(NULL, 0, -1);
		scws_nl_unregister(nl);
	}
	scws_nl_close(nl);
	return rc;
}

/* Registration is deliberately not required: tests check who may claim. */
int run_try_claim(const struct pump_opts *opts)
{
	struct scws_nl *nl;
	int fd;

	if (pump_open(&nl))
		return PUMP_EXIT_ERROR;
	fd = scws_nl_claim(nl, opts->claim_id, NULL);
	if (fd >= 0) {
		printf("claim: OK fd=%d\n", fd);
		close(fd);
	} else {
		print_failure("claim", nl, fd);
	}
	scws_nl_close(nl);
	return fd >= 0 ? PUMP_EXIT_OK : PUMP_EXIT_FAILED;
}

int run_status(void)
{
	struct scws_status st;
	struct scws_nl *nl;
	int err;

	if (pump_open(&nl))
		return PUMP_EXIT_ERROR;
	err = scws_nl_status_get(nl, &st);
	if (err)
		scws_nl_perror(nl, "status", err);
	else
		print_status(&st);
	scws_nl_close(nl);
	return err ? PUMP_EXIT_ERROR : PUMP_EXIT_OK;
}

static void print_pending(void *arg, const struct scws_conn_info *ci)
{
	(void)arg;
	print_conn("conn", ci, true);
}

int run_conns(void)
{
	struct scws_nl *nl;
	int err;

	if (pump_open(&nl))
		return PUMP_EXIT_ERROR;
	err = scws_nl_conn_dump(nl, print_pending, NULL);
	if (err)
		scws_nl_perror(nl, "conns", err);
	scws_nl_close(nl);
	return err ? PUMP_EXIT_ERROR : PUMP_EXIT_OK;
}

static void on_event(void *arg, const struct scws_event_info *ev)
{
	(void)arg;
	print_event(ev);
}

static void on_malformed(void *arg, int cmd, int err)
{
	(void)arg;
	printf("malformed cmd=%d %s\n", cmd, scws_errno_name(err));
}

static int follow_events(struct scws_nl *nl)
{
	struct pollfd pfd = { .fd = scws_nl_fd(nl), .events = POLLIN };
	int err = 0;

	puts("subscribed");
	while (!pump_stop && err >= 0) {
		err = pump_wait(&pfd, 1, -1);
		if (err > 0)
			err = scws_nl_dispatch(nl);
		if (err == -ENOBUFS) {
			puts("events-lost");
			err = 0;
		}
	}
	if (err < 0)
		scws_nl_perror(nl, "events", err);
	return err < 0 ? PUMP_EXIT_ERROR : PUMP_EXIT_OK;
}

int run_events(void)
{
	static const struct scws_nl_handlers handlers = {
		.event = on_event,
		.malformed = on_malformed,
	};
	struct scws_nl *nl;
	int err, rc;

	if (pump_open(&nl))
		return PUMP_EXIT_ERROR;
	scws_nl_set_handlers(nl, &handlers, NULL);
	err = scws_nl_subscribe_events(nl);
	if (err) {
		print_failure("events", nl, err);
		rc = PUMP_EXIT_FAILED;
	} else {
		rc = follow_events(nl);
	}
	scws_nl_close(nl);
	return rc;
}
