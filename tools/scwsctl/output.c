// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * output.c - error messages and the connection fields scwsctl prints.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>

#include "scwsctl.h"

void ctl_error(const char *fmt, ...)
{
	va_list ap;

	fputs("scwsctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int ctl_usage_error(const struct ctl_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "scwsctl: %s%s", cmd->name, *cmd->name ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'scwsctl %s%s--help'.\n", cmd->name,
		*cmd->name ? " " : "");
	return CTL_USAGE;
}

int ctl_nl_open(const char *what, struct scws_nl **nl)
{
	int err = scws_nl_open(nl);

	if (!err)
		return CTL_OK;
	ctl_error("%s: %s", what, scws_nl_open_strerror(err));
	return CTL_FAIL;
}

/* What the bare errno does not say. */
static const char *hint(int err)
{
	switch (-err) {
	case EPERM:
	case EACCES:
		return " (needs CAP_NET_ADMIN)";
	case EOPNOTSUPP:
		return " (scws.ko and scwsctl out of step?)";
	case ETIMEDOUT:
		return " (no answer from scws.ko)";
	case EAGAIN:
		return " (the policy kept changing while it was read)";
	default:
		return "";
	}
}

/* "scwsctl: WHAT: EXTACK (STRERROR)" or "scwsctl: WHAT: STRERROR (hint)". */
int ctl_nl_error(const char *what, const struct scws_nl *nl, int err)
{
	const char *ext = nl ? scws_nl_extack(nl) : "";

	if (*ext)
		ctl_error("%s: %s (%s)", what, ext, strerror(-err));
	else
		ctl_error("%s: %s%s", what, strerror(-err), hint(err));
	return CTL_FAIL;
}

/*
 * Labels and paths come from the connecting process: blanks, control bytes,
 * backslashes and non-ASCII bytes are written \xNN, so that one can never
 * forge a line or a field.
 */
void print_text(FILE *f, const char *s)
{
	if (!*s) {
		fputc('-', f);
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > ' ' && c < 0x7f && c != '\\')
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
}

static void print_peer(FILE *f, const struct scws_conn_info *ci)
{
	if (!ci->peer_addr[0])
		fputs(" peer=-", f);
	else if (ci->family == AF_INET6)
		fprintf(f, " peer=[%s]:%u", ci->peer_addr, ci->peer_port);
	else
		fprintf(f, " peer=%s:%u", ci->peer_addr, ci->peer_port);
}

static void print_id(FILE *f, const char *key, uint32_t id)
{
	if (id == UINT32_MAX)
		fprintf(f, " %s=-", key);
	else
		fprintf(f, " %s=%u", key, id);
}

/* " id=.. port=.. peer=.. pid=.. uid=.. gid=.. label=.. exe=.. decision=.." */
void print_conn_fields(FILE *f, const struct scws_conn_info *ci)
{
	if (ci->has_id)
		fprintf(f, " id=%llu", (unsigned long long)ci->id);
	fprintf(f, " port=%u", ci->port);
	print_peer(f, ci);
	fprintf(f, " pid=%u", ci->pid);
	print_id(f, "uid", ci->uid);
	print_id(f, "gid", ci->gid);
	fputs(" label=", f);
	print_text(f, ci->label);
	fputs(" exe=", f);
	print_text(f, ci->exe);
	if (ci->has_decision)
		fprintf(f, " decision=%s", scws_decision_name(ci->decision));
	if (ci->has_rule)
		fprintf(f, " rule=%u", ci->rule);
}

void json_conn(struct json *j, const struct scws_conn_info *ci)
{
	if (ci->has_id)
		json_uint(j, "id", ci->id);
	json_uint(j, "port", ci->port);
	if (ci->peer_addr[0]) {
		json_string(j, "family", ci->family == AF_INET6 ? "inet6" : "inet");
		json_string(j, "peer_addr", ci->peer_addr);
		json_uint(j, "peer_port", ci->peer_port);
	}
	if (ci->pid)
		json_uint(j, "pid", ci->pid);
	if (ci->uid != UINT32_MAX)
		json_uint(j, "uid", ci->uid);
	if (ci->gid != UINT32_MAX)
		json_uint(j, "gid", ci->gid);
	if (ci->label[0])
		json_string(j, "label", ci->label);
	if (ci->exe[0])
		json_string(j, "exe", ci->exe);
	if (ci->has_decision)
		json_string(j, "decision", scws_decision_name(ci->decision));
	if (ci->has_rule)
		json_uint(j, "rule", ci->rule);
}
