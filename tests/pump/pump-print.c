// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * pump-print.c - the test pump's output lines.  stdout is line buffered and
 * every fact is one "word key=value ..." line, so tests can read it live.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pump.h"

/*
 * Labels and paths come from the connecting process: escape blanks, control
 * bytes and backslashes so one of them can never forge a line or a field.
 */
static void print_text(const char *s)
{
	if (!*s) {
		fputs("-", stdout);
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isgraph(c) && c != '\\' && c < 0x80)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static void print_peer(const struct scws_conn_info *ci)
{
	if (!ci->peer_addr[0])
		fputs(" peer=-", stdout);
	else if (ci->family == AF_INET6)
		printf(" peer=[%s]:%u", ci->peer_addr, ci->peer_port);
	else
		printf(" peer=%s:%u", ci->peer_addr, ci->peer_port);
}

static void print_caller(const struct scws_conn_info *ci)
{
	printf(" pid=%u uid=%u gid=%u label=", ci->pid, ci->uid, ci->gid);
	print_text(ci->label);
	fputs(" exe=", stdout);
	print_text(ci->exe);
}

/* How the access control policy decided, when the module says. */
static void print_decision(const struct scws_conn_info *ci)
{
	if (ci->has_decision)
		printf(" decision=%s", scws_decision_name(ci->decision));
	if (ci->has_rule)
		printf(" rule=%u", ci->rule);
}

static void print_conn_fields(const struct scws_conn_info *ci, bool verbose)
{
	if (ci->has_id)
		printf(" id=%llu", (unsigned long long)ci->id);
	printf(" port=%u", ci->port);
	print_peer(ci);
	if (verbose)
		printf(" state=%s age_ms=%u", scws_conn_state_name(ci->state),
		       ci->age_ms);
	print_caller(ci);
	if (verbose)
		print_decision(ci);
}

/* verbose adds state, age and the policy decision (--conns, events). */
void print_conn(const char *tag, const struct scws_conn_info *ci, bool verbose)
{
	fputs(tag, stdout);
	print_conn_fields(ci, verbose);
	putchar('\n');
}

void print_event(const struct scws_event_info *ev)
{
	printf("event type=%s", scws_event_name(ev->type));
	if (ev->reason != SCWS_REASON_NONE)
		printf(" reason=%s", scws_reason_name(ev->reason));
	if (ev->has_pump_portid)
		printf(" pump=%u", ev->pump_portid);
	if (ev->has_conn) {
		print_conn_fields(&ev->conn, false);
		print_decision(&ev->conn);
	}
	putchar('\n');
}

static void print_port(const struct scws_port_status *ps)
{
	printf("port=%u channels=%u capacity=%u offered=%u queued=%u "
	       "accepted=%llu handed_off=%llu refused=%llu timed_out=%llu "
	       "reset=%llu closed=%llu\n",
	       ps->port, ps->channels, ps->capacity, ps->offered, ps->queued,
	       (unsigned long long)ps->accepted,
	       (unsigned long long)ps->handed_off,
	       (unsigned long long)ps->refused,
	       (unsigned long long)ps->timed_out,
	       (unsigned long long)ps->reset,
	       (unsigned long long)ps->closed);
}

void print_status(const struct scws_status *st)
{
	unsigned int i;

	if (st->has_pump)
		printf("pump=%u\n", st->pump_portid);
	else
		puts("pump=none");
	printf("queue_len=%u\n", st->queue_len);
	printf("queue_timeout_ms=%u\n", st->queue_timeout_ms);
	printf("queue_per_uid=%u\n", st->queue_per_uid);
	for (i = 0; i < st->n_ports; i++)
		print_port(&st->ports[i]);
}

/* "what: ENAME: strerror" on stdout for the tests; extack on stderr. */
void print_failure(const char *what, const struct scws_nl *nl, int err)
{
	printf("%s: %s: %s\n", what, scws_errno_name(err), strerror(-err));
	if (nl && *scws_nl_extack(nl))
		scws_nl_perror(nl, what, err);
}
