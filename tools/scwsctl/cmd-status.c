// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cmd-status.c - scwsctl status and scwsctl conns.
 */
#include <errno.h>

#include "scwsctl.h"

static const char status_usage[] =
	"Usage: scwsctl status [-j] [-p]\n"
	"Print whether a pump is registered, the enforcement point (\"lsm\" when\n"
	"the BPF-LSM program is attached, else \"netfilter\"; \"unknown\" when\n"
	"/sys/fs/bpf is not readable), the queue settings and each SCWS port's\n"
	"channels and counters.  Open to every user.\n"
	"\n"
	"Options:\n"
	"  -j, --json     JSON: {\"pump_registered\", \"pump_portid\", \"enforcement\",\n"
	"                 \"queue_len\", \"queue_timeout_ms\", \"queue_per_uid\",\n"
	"                 \"ports\": [...]}\n"
	"  -p, --pretty   indent the JSON\n"
	"  -h, --help     this help\n";

static const char conns_usage[] =
	"Usage: scwsctl conns [-j] [-p]\n"
	"List the connections waiting for the pump (queued or offered), one a\n"
	"line, with the caller's identity and the policy's decision.  Needs\n"
	"CAP_NET_ADMIN.\n"
	"\n"
	"Options:\n"
	"  -j, --json     JSON: an array of connections\n"
	"  -p, --pretty   indent the JSON\n"
	"  -h, --help     this help\n";

/* Parses the options of a command that takes no operand; -1: exit with *rc. */
static int options_only(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
			char **argv, int *rc)
{
	int first = ctl_options(ctl, cmd, argc, argv, rc);

	if (first < 0)
		return -1;
	if (first < argc) {
		*rc = ctl_usage_error(cmd, "unexpected argument '%s'", argv[first]);
		return -1;
	}
	return 0;
}

static const char *enforcement(void)
{
	int a = lsm_attached();

	return a > 0 ? "lsm" : a == 0 ? "netfilter" : "unknown";
}

static void status_text(const struct scws_status *st)
{
	unsigned int i;

	if (st->has_pump)
		printf("pump: registered, netlink port %u\n", st->pump_portid);
	else
		puts("pump: none (connects are refused)");
	printf("enforcement: %s\n", enforcement());
	printf("queue: %u per port, %u per uid, timeout %u ms\n",
	       st->queue_len, st->queue_per_uid, st->queue_timeout_ms);
	for (i = 0; i < st->n_ports; i++) {
		const struct scws_port_status *ps = &st->ports[i];

		printf("port %u: channels %u free %u offered %u queued %u; "
		       "accepted %llu handed-off %llu refused %llu "
		       "timed-out %llu reset %llu closed-waiting %llu\n",
		       ps->port, ps->channels, ps->capacity, ps->offered,
		       ps->queued, (unsigned long long)ps->accepted,
		       (unsigned long long)ps->handed_off,
		       (unsigned long long)ps->refused,
		       (unsigned long long)ps->timed_out,
		       (unsigned long long)ps->reset,
		       (unsigned long long)ps->closed);
		if (ps->unguarded)
			printf("port %u: UNGUARDED: the module could not hold "
			       "the port or hook this namespace; every "
			       "connect is refused (see the kernel log)\n",
			       ps->port);
	}
}

static void status_json(const struct ctl *ctl, const struct scws_status *st)
{
	struct json j;
	unsigned int i;

	json_init(&j, stdout, ctl->pretty);
	json_open_object(&j, NULL);
	json_bool(&j, "pump_registered", st->has_pump);
	if (st->has_pump)
		json_uint(&j, "pump_portid", st->pump_portid);
	json_string(&j, "enforcement", enforcement());
	json_uint(&j, "queue_len", st->queue_len);
	json_uint(&j, "queue_timeout_ms", st->queue_timeout_ms);
	json_uint(&j, "queue_per_uid", st->queue_per_uid);
	json_open_array(&j, "ports");
	for (i = 0; i < st->n_ports; i++) {
		const struct scws_port_status *ps = &st->ports[i];

		json_open_object(&j, NULL);
		json_uint(&j, "port", ps->port);
		json_uint(&j, "channels", ps->channels);
		json_uint(&j, "capacity", ps->capacity);
		json_uint(&j, "offered", ps->offered);
		json_uint(&j, "queued", ps->queued);
		json_uint(&j, "accepted", ps->accepted);
		json_uint(&j, "handed_off", ps->handed_off);
		json_uint(&j, "refused", ps->refused);
		json_uint(&j, "timed_out", ps->timed_out);
		json_uint(&j, "reset", ps->reset);
		json_uint(&j, "closed_waiting", ps->closed);
		json_bool(&j, "unguarded", ps->unguarded);
		json_close_object(&j);
	}
	json_close_array(&j);
	json_close_object(&j);
}

int cmd_status(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "status",
					    .usage = status_usage, .json = true };
	struct scws_status st;
	struct scws_nl *nl;
	int err, rc;

	if (options_only(ctl, &cmd, argc, argv, &rc) < 0)
		return rc;
	rc = ctl_nl_open(cmd.name, &nl);
	if (rc)
		return rc;
	err = scws_nl_status_get(nl, &st);
	if (err)
		rc = ctl_nl_error(cmd.name, nl, err);
	else if (ctl->json)
		status_json(ctl, &st);
	else
		status_text(&st);
	scws_nl_close(nl);
	return rc;
}

static void conn_text(void *arg, const struct scws_conn_info *ci)
{
	(void)arg;
	printf("conn state=%s age_ms=%u", scws_conn_state_name(ci->state),
	       ci->age_ms);
	print_conn_fields(stdout, ci);
	putchar('\n');
}

static void conn_json(void *arg, const struct scws_conn_info *ci)
{
	struct json *j = arg;

	json_open_object(j, NULL);
	json_string(j, "state", scws_conn_state_name(ci->state));
	json_uint(j, "age_ms", ci->age_ms);
	json_conn(j, ci);
	json_close_object(j);
}

int cmd_conns(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "conns",
					    .usage = conns_usage, .json = true };
	struct scws_nl *nl;
	struct json j;
	int err, rc;

	if (options_only(ctl, &cmd, argc, argv, &rc) < 0)
		return rc;
	rc = ctl_nl_open(cmd.name, &nl);
	if (rc)
		return rc;
	json_init(&j, stdout, ctl->pretty);
	if (ctl->json)
		json_open_array(&j, NULL);
	err = scws_nl_conn_dump(nl, ctl->json ? conn_json : conn_text, &j);
	if (err == -EINTR)
		err = 0;	/* a snapshot taken while connections moved */
	if (ctl->json)
		json_close_array(&j);	/* valid JSON even after an error */
	if (err)
		rc = ctl_nl_error(cmd.name, nl, err);
	scws_nl_close(nl);
	return rc;
}
