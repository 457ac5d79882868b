// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * scws-test-pump.c - TEST TOOLING: a minimal pump for the scws module's
 * netns tests.  It registers, claims connections and answers them in a fixed
 * way, so tests can drive the module without a card.  The product pump is
 * scws-bipd.  This file holds options, signals and the shared open/register.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pump.h"

#define DEFAULT_CHANNELS 4
#define DEFAULT_REPLY "scws-test-pump\n"

volatile sig_atomic_t pump_stop;
static sigset_t wait_mask;	/* the mask while waiting: signals let in */

static void usage(void)
{
	fputs(
"usage: scws-test-pump [options]\n"
"TEST TOOLING for the scws module's tests; the real pump is scws-bipd.\n"
"\n"
"Serving (default): register as the pump, set ports, claim and answer.\n"
"  --port P[:CHANNELS[:CAPACITY]]  send PORT_SET after registering\n"
"                          (repeatable; CHANNELS 4, CAPACITY = CHANNELS;\n"
"                          values are not checked here, the module does)\n"
"  --mode echo|fixed|hold|close    what to do with a claimed connection\n"
"                          (default echo)\n"
"  --reply STRING          the answer of --mode fixed (default\n"
"                          \"scws-test-pump\\n\")\n"
"  --no-claim              never claim (timeout tests)\n"
"  --claim-delay MS        wait MS before claiming each connection\n"
"  --free-after MS         MS after registering, free every channel\n"
"                          (PORT_SET capacity = channels)\n"
"  --max-conns N           exit 0 after N connections ended (with\n"
"                          --no-claim: after N CONN_NEW)\n"
"\n"
"One-shot (print the result and exit):\n"
"  --register-only         register (and set --port), print \"registered\",\n"
"                          sleep until SIGTERM/SIGINT\n"
"  --try-claim ID          CONN_CLAIM without registering\n"
"  --status                STATUS_GET as key=value lines\n"
"  --conns                 list pending connections\n"
"  --events                print events until killed\n"
"  --help                  this text\n"
"\n"
"Exit: 0 ok, 1 unexpected error or bad usage, 2 the module refused.\n",
	      stdout);
}

static void on_signal(int sig)
{
	(void)sig;
	pump_stop = 1;
}

/* Blocked except inside pump_wait(), so no stop request is ever missed. */
static void signals_setup(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
}

/* poll() that a stop signal interrupts: returns 0 then, like a timeout. */
int pump_wait(struct pollfd *fds, size_t n, int timeout_ms)
{
	struct timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (long)(timeout_ms % 1000) * 1000000L,
	};
	int r = ppoll(fds, n, timeout_ms < 0 ? NULL : &ts, &wait_mask);

	if (r < 0 && errno == EINTR)
		return 0;
	return r < 0 ? -errno : r;
}

int64_t pump_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pump_open(struct scws_nl **nlp)
{
	int err = scws_nl_open(nlp);

	if (err)
		fprintf(stderr, "scws: %s\n", scws_nl_open_strerror(err));
	return err;
}

/*
 * Registers, then sets each port (every port starts with all of it free),
 * then says "registered": from then on the module may hand us connections.
 */
int pump_register(struct scws_nl *nl, struct pump_port *ports,
		  unsigned int n_ports)
{
	int err = scws_nl_register(nl);

	if (err) {
		print_failure("register", nl, err);
		return PUMP_EXIT_FAILED;
	}
	for (unsigned int i = 0; i < n_ports; i++) {
		err = scws_nl_port_set(nl, ports[i].port, ports[i].channels,
				       ports[i].capacity);
		if (err) {
			print_failure("port-set", nl, err);
			return PUMP_EXIT_FAILED;
		}
		ports[i].free = ports[i].capacity;
	}
	puts("registered");
	return PUMP_EXIT_OK;
}

/* Decimal, no sign, no trailing text, at most max. */
static bool parse_number(const char *s, unsigned long long max,
			 unsigned long long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !errno && *end == '\0' && *out <= max;
}

/* P[:CHANNELS[:CAPACITY]]: decimal fields, no range check beyond the type. */
static bool parse_port_spec(const char *spec, struct pump_port *pp)
{
	unsigned long long v[3] = { 0, DEFAULT_CHANNELS, 0 };
	const char *s = spec;
	char *end;
	int n = 0;

	do {
		if (n == 3 || !isdigit((unsigned char)*s))
			return false;
		errno = 0;
		v[n] = strtoull(s, &end, 10);
		if (errno || v[n] > (n ? UINT32_MAX : UINT16_MAX))
			return false;
		n++;
		s = end + 1;
	} while (*end == ':');
	if (*end)
		return false;
	pp->port = (uint16_t)v[0];
	pp->channels = (uint32_t)v[1];
	pp->capacity = (uint32_t)(n > 2 ? v[2] : v[1]);
	return true;
}

static bool parse_mode(const char *s, enum pump_mode *mode)
{
	static const char *const names[] = {
		[MODE_ECHO] = "echo", [MODE_FIXED] = "fixed",
		[MODE_HOLD] = "hold", [MODE_CLOSE] = "close",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*mode = (enum pump_mode)i;
			return true;
		}
	}
	return false;
}

static bool set_action(struct pump_opts *o, enum pump_action action)
{
	if (o->action != ACTION_SERVE && o->action != action) {
		fputs("scws-test-pump: one one-shot mode at a time\n", stderr);
		return false;
	}
	o->action = action;
	return true;
}

static const struct option long_options[] = {
	{ "port", required_argument, NULL, 'p' },
	{ "mode", required_argument, NULL, 'm' },
	{ "reply", required_argument, NULL, 'r' },
	{ "no-claim", no_argument, NULL, 'n' },
	{ "claim-delay", required_argument, NULL, 'd' },
	{ "free-after", required_argument, NULL, 'f' },
	{ "max-conns", required_argument, NULL, 'x' },
	{ "register-only", no_argument, NULL, 'R' },
	{ "try-claim", required_argument, NULL, 'C' },
	{ "status", no_argument, NULL, 's' },
	{ "conns", no_argument, NULL, 'c' },
	{ "events", no_argument, NULL, 'e' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* One option; false on bad usage (a message is printed). */
static bool take_option(int c, const char *arg, struct pump_opts *o)
{
	unsigned long long v;

	switch (c) {
	case 'p':
		if (o->n_ports == SCWS_NL_PORTS_MAX ||
		    !parse_port_spec(arg, &o->ports[o->n_ports]))
			break;
		o->n_ports++;
		return true;
	case 'm':
		if (!parse_mode(arg, &o->mode))
			break;
		return true;
	case 'r':
		o->reply = arg;
		return true;
	case 'n':
		o->no_claim = true;
		return true;
	case 'd':
		if (!parse_number(arg, 3600000, &v))
			break;
		o->claim_delay_ms = (unsigned int)v;
		return true;
	case 'f':
		if (!parse_number(arg, 3600000, &v) || !v)
			break;
		o->free_after_ms = (unsigned int)v;
		return true;
	case 'x':
		if (!parse_number(arg, ULONG_MAX, &v))
			break;
		o->max_conns = (unsigned long)v;
		return true;
	case 'C':
		if (!parse_number(arg, UINT64_MAX, &v))
			break;
		o->claim_id = v;
		return set_action(o, ACTION_TRY_CLAIM);
	case 'R':
		return set_action(o, ACTION_REGISTER_ONLY);
	case 's':
		return set_action(o, ACTION_STATUS);
	case 'c':
		return set_action(o, ACTION_CONNS);
	case 'e':
		return set_action(o, ACTION_EVENTS);
	default:
		return false;
	}
	fprintf(stderr, "scws-test-pump: bad value \"%s\"\n", arg);
	return false;
}

/* -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, struct pump_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = MODE_ECHO;
	o->reply = DEFAULT_REPLY;
	while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		if (c == 'h') {
			usage();
			return PUMP_EXIT_OK;
		}
		if (!take_option(c, optarg, o)) {
			fputs("Try 'scws-test-pump --help'.\n", stderr);
			return PUMP_EXIT_ERROR;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scws-test-pump: unexpected \"%s\"\n", argv[optind]);
		return PUMP_EXIT_ERROR;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct pump_opts opts;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* tests read lines as they come */
	rc = parse_args(argc, argv, &opts);
	if (rc >= 0)
		return rc;
	signal(SIGPIPE, SIG_IGN);
	switch (opts.action) {
	case ACTION_TRY_CLAIM:
		return run_try_claim(&opts);
	case ACTION_STATUS:
		return run_status();
	case ACTION_CONNS:
		return run_conns();
	default:
		break;
	}
	signals_setup();
	if (opts.action == ACTION_REGISTER_ONLY)
		return run_register_only(&opts);
	if (opts.action == ACTION_EVENTS)
		return run_events();
	return run_serve(&opts);
}
