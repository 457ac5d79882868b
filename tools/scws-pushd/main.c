// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * main.c - scws-pushd: options, the UDP socket, the poll loop, signals.
 *
 * One thread, one poll(): the SIP socket, the forwards under way, and a
 * timeout short enough for libosip2's transaction timers (it keeps its own
 * clock; osip_timers_gettimeout() tells the next one).
 */
#include "pushd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "scws-version.h"
#define TICK_MS 200

static const char usage[] =
"Usage: scws-pushd [OPTION]...\n"
"The SCWS Push Gateway: receives OMA Push over SIP (SIP MESSAGE carrying\n"
"application/vnd.3gpp.sms, a formatted SMS for the card), checks it and\n"
"forwards it to scws-bipd's push endpoint (SCWS-6), which delivers it to\n"
"the card.\n"
"\n"
"  -l, --listen ADDR:PORT   UDP address (default 127.0.0.1:5060; loopback\n"
"                           or a local SIP stack's address, never public)\n"
"  -c, --config FILE        allowed origins (default /etc/scws/pushd.conf)\n"
"  -s, --pump-socket PATH   scws-bipd's push endpoint\n"
"                           (default /run/scws/push.sock)\n"
"  -f, --foreground         log to stderr (default: syslog)\n"
"  -v, --verbose            more log\n"
"  -h, --help, -V, --version\n"
"\n"
"SIGHUP reads the configuration again; SIGTERM stops.  See scws-pushd(8).\n";

static volatile sig_atomic_t got_term, got_hup;
static bool use_syslog;
static int log_max = LOG_NOTICE;

int64_t pushd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void pushd_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_max)
		return;
	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		fputs("scws-pushd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

static int parse_opts(struct pushd_opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "config", required_argument, NULL, 'c' },
		{ "pump-socket", required_argument, NULL, 's' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->listen = "127.0.0.1:5060";
	o->config = "/etc/scws/pushd.conf";
	o->pump_socket = "/run/scws/push.sock";
	while ((c = getopt_long(argc, argv, "l:c:s:fvhV", lo, NULL)) != -1) {
		switch (c) {
		case 'l': o->listen = optarg; break;
		case 'c': o->config = optarg; break;
		case 's': o->pump_socket = optarg; break;
		case 'f': o->foreground = true; break;
		case 'v': o->verbose++; break;
		case 'h': fputs(usage, stdout); return 1;
		case 'V': puts("scws-pushd " SCWS_VERSION); return 1;
		default:
			fputs("Try 'scws-pushd --help'.\n", stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scws-pushd: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

/* ADDR:PORT or [ADDR6]:PORT, numeric only. */
static int udp_open(const char *spec)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *ai;
	char host[128];
	const char *colon = strrchr(spec, ':');
	size_t hl;
	int fd, err;

	if (!colon || colon == spec)
		return -EINVAL;
	hl = (size_t)(colon - spec);
	if (spec[0] == '[' && colon[-1] == ']') {
		spec++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	if (getaddrinfo(host, colon + 1, &hints, &ai))
		return -EINVAL;
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return err;
	}
	freeaddrinfo(ai);
	return fd;
}

static void load_config(struct pushd *d, bool first)
{
	struct pushd_config c;
	char err[300];

	if (pushd_config_load(&c, d->opts.config, err, sizeof(err))) {
		pushd_log(LOG_ERR, "%s%s", err, first ? "" :
			  " (keeping the configuration in force)");
		if (first)
			exit(2);
		return;
	}
	d->cfg = c;
	pushd_log(LOG_NOTICE, "%s: %u allowed origin%s%s%s", d->opts.config,
		  c.n_allow, c.n_allow == 1 ? "" : "s",
		  c.app_id[0] ? ", app id " : "", c.app_id);
}

static void forwards_io(struct pushd *d, struct pollfd *pfd, int n)
{
	int64_t now = pushd_now_ms();

	for (int i = 0, k = 1; i < PUSHD_PENDING_MAX; i++) {
		struct pending *p = &d->pend[i];
		int rc = 0;

		if (!p->used)
			continue;
		if (k < n && pfd[k].fd == p->f.fd) {
			if (pfd[k].revents)
				rc = fwd_io(&p->f, pfd[k].revents);
			k++;
		}
		if (!rc && now >= p->deadline) {
			fwd_abort(&p->f);
			rc = -ETIMEDOUT;
		}
		if (rc)
			sip_forward_done(d, p, rc);
	}
}

static int run(struct pushd *d)
{
	static char buf[PUSHD_DGRAM_MAX];
	struct pollfd pfd[1 + PUSHD_PENDING_MAX];

	while (!got_term) {
		int n = 1, rc;

		if (got_hup) {
			got_hup = 0;
			load_config(d, false);
		}
		pfd[0] = (struct pollfd){ .fd = d->udp, .events = POLLIN };
		for (int i = 0; i < PUSHD_PENDING_MAX; i++)
			if (d->pend[i].used && d->pend[i].f.fd >= 0)
				pfd[n++] = (struct pollfd){
					.fd = d->pend[i].f.fd,
					.events = fwd_events(&d->pend[i].f) };
		rc = poll(pfd, (nfds_t)n, TICK_MS);
		if (rc < 0 && errno != EINTR) {
			pushd_log(LOG_ERR, "poll: %s", strerror(errno));
			return 1;
		}
		if (rc > 0 && (pfd[0].revents & POLLIN)) {
			for (;;) {
				struct sockaddr_storage peer;
				socklen_t pl = sizeof(peer);
				ssize_t got = recvfrom(d->udp, buf, sizeof(buf),
						       0, (struct sockaddr *)&peer,
						       &pl);

				if (got <= 0)
					break;
				sip_datagram(d, buf, (size_t)got, &peer, pl);
			}
		}
		forwards_io(d, pfd, rc > 0 ? n : 1);
		sip_run(d);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct pushd d;
	struct sigaction sa = { .sa_handler = on_signal };
	int rc;

	rc = parse_opts(&d.opts, argc, argv);
	if (rc)
		return rc > 0 ? 0 : 2;
	use_syslog = !d.opts.foreground;
	log_max = d.opts.verbose >= 2 ? LOG_DEBUG :
		  d.opts.verbose ? LOG_INFO : LOG_NOTICE;
	if (use_syslog)
		openlog("scws-pushd", LOG_PID, LOG_DAEMON);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	srandom((unsigned)(time(NULL) ^ getpid()));
	load_config(&d, true);
	d.udp = udp_open(d.opts.listen);
	if (d.udp < 0) {
		pushd_log(LOG_ERR, "cannot listen on UDP %s: %s", d.opts.listen,
			  strerror(-d.udp));
		return 1;
	}
	if (sip_init(&d)) {
		pushd_log(LOG_ERR, "libosip2 did not start");
		return 1;
	}
	pushd_log(LOG_NOTICE, "listening on UDP %s, forwarding to %s",
		  d.opts.listen, d.opts.pump_socket);
	rc = run(&d);
	for (int i = 0; i < PUSHD_PENDING_MAX; i++)
		fwd_abort(&d.pend[i].f);
	pushd_log(LOG_NOTICE, "stopped: %llu received, %llu delivered, %llu "
		  "refused, %llu failed", (unsigned long long)d.received,
		  (unsigned long long)d.forwarded,
		  (unsigned long long)d.refused, (unsigned long long)d.failed);
	sip_fini(&d);
	close(d.udp);
	return rc;
}
