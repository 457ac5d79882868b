// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * options.c - scws-bipd's command line (see scws-bipd(8)).
 */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "scws-version.h"

static const char usage[] =
"Usage: scws-bipd [OPTION]...\n"
"The SCWS gateway's BIP pump: carries the TCP connections the scws module\n"
"hands over to the UICC's Smart Card Web Server, over BIP (ETSI TS 102 223,\n"
"UICC server mode) through PC/SC.\n"
"\n"
"  -r, --reader NAME|N      reader: a name substring or an index (default 0)\n"
"  -p, --protocol any|t0|t1 card protocol (default any)\n"
"      --extended auto|yes|no  extended APDUs (default auto: T=1, and the\n"
"                           ATR and the reader allow them)\n"
"      --poll-ms MS         STATUS polling interval when idle (default 500)\n"
"      --linger-ms MS       after a client's FIN, how long the card must be\n"
"                           quiet before the end is reported (default 200)\n"
"      --connect-timeout-ms MS  TCP client channels (default 10000)\n"
"      --max-buffer BYTES   largest channel buffer granted (default 16384)\n"
"      --channels N         channels announced to the card, 1..7 (default 7)\n"
"      --no-tcp-client      refuse client channels, TCP and UDP (remote\n"
"                           admin)\n"
"      --resolv-conf FILE   DNS servers given to a card that asks (default\n"
"                           /etc/resolv.conf)\n"
"\n"
"Scheduling (more client connections than card channels):\n"
"      --max-clients N      connections held per port, bound, waiting for\n"
"                           a channel or idle (default 256); beyond it the\n"
"                           module's queue takes them\n"
"      --http-port PORT     card port framed as HTTP/1.1 (default 3516, 0:\n"
"                           none): between requests its channel goes to a\n"
"                           waiting connection, the client stays connected\n"
"      --http-idle-ms MS    ... after this long between requests (default 0)\n"
"      --tls-port PORT      card port framed as TLS records (default 4116)\n"
"      --idle-ms MS         a TLS (or unframed) connection idle this long\n"
"                           with nothing in flight is closed when others\n"
"                           wait (default 500)\n"
"      --no-reclaim         never take a channel back (waiting connections\n"
"                           wait for clients to close)\n"
"      --policy FILE        own the module's access control policy: FILE\n"
"                           merged with the card's ARA-M rules, loaded\n"
"                           before registering and on every rule change\n"
"      --card-rules-poll-ms MS  how often the ARA-M refresh tag is read\n"
"                           (default 30000; 0: at card attach and REFRESH)\n"
"      --scws-aid HEX       the AID that names the SCWS in the card's rules\n"
"                           (default F0534357534757)\n"
"      --state-dir DIR      where card-rules.conf and policy.conf are\n"
"                           written (default /run/scws)\n"
"\n"
"APDU access for local applications (docs/apdu-access.md):\n"
"      --se-socket PATH     serve the card's applets on this Unix socket\n"
"                           (e.g. /run/scws/se.sock; default: off)\n"
"      --se-rules FILE      the admin's rules (default /etc/scws/se-rules)\n"
"      --se-trust-dir DIR   manufacturer certificates that sign\n"
"                           applications (default /etc/scws/trusted.d)\n"
"      --ese-reader NAME    an embedded secure element in this PC/SC reader\n"
"                           (a name substring), shared, offered as eSE1\n"
"      --ctl-socket PATH    root-only control socket (scwsctl push); \"\"\n"
"                           for none (default /run/scws/bipd.ctl; none\n"
"                           with --no-module unless given)\n"
"      --push-socket PATH   SCWS push endpoint for scws-pushd; \"\" for none\n"
"                           (default /run/scws/push.sock; likewise)\n"
"      --push-user USER|UID who may use the push endpoint besides root\n"
"\n"
"DM Smart Card (docs/device-management.md):\n"
"      --dm-socket PATH     be the DM_SC Gateway: a local OMA DM client\n"
"                           registers on this Unix socket and gets the\n"
"                           card's notifications (e.g. /run/scws/dm.sock;\n"
"                           default: off)\n"
"      --dm-user USER|UID   who may register besides root\n"
"  -f, --foreground         do not detach (systemd, tests)\n"
"      --syslog             log to syslog instead of stderr\n"
"  -v, --verbose            more log (-v connections and counters,\n"
"                           -vv every APDU)\n"
"  -q, --quiet              errors and warnings only\n"
"  -h, --help               this text\n"
"  -V, --version            the version\n"
"\n"
"Test tooling (never for production use):\n"
"      --no-module PORTMAP  do not use the scws module: listen on 127.0.0.1\n"
"                           ourselves, e.g. 3516=13516,4116=14116 (card port\n"
"                           = local port); NO access control is applied\n"
"\n"
"SIGUSR1 logs the counters; SIGTERM and SIGINT stop the pump cleanly.\n"
"See scws-bipd(8).\n";

enum {
	OPT_EXTENDED = 256,
	OPT_POLL,
	OPT_LINGER,
	OPT_CONNECT_TIMEOUT,
	OPT_MAX_BUFFER,
	OPT_CHANNELS,
	OPT_NO_TCP_CLIENT,
	OPT_SYSLOG,
	OPT_NO_MODULE,
	OPT_MAX_CLIENTS,
	OPT_HTTP_PORT,
	OPT_HTTP_IDLE,
	OPT_TLS_PORT,
	OPT_IDLE,
	OPT_NO_RECLAIM,
	OPT_POLICY,
	OPT_CARD_RULES_POLL,
	OPT_SCWS_AID,
	OPT_STATE_DIR,
	OPT_SE_SOCKET,
	OPT_SE_RULES,
	OPT_SE_TRUST_DIR,
	OPT_CTL_SOCKET,
	OPT_PUSH_SOCKET,
	OPT_PUSH_USER,
	OPT_RESOLV_CONF,
	OPT_DM_SOCKET,
	OPT_DM_USER,
	OPT_ESE_READER,
};

static const struct option long_opts[] = {
	{ "reader", required_argument, NULL, 'r' },
	{ "protocol", required_argument, NULL, 'p' },
	{ "extended", required_argument, NULL, OPT_EXTENDED },
	{ "poll-ms", required_argument, NULL, OPT_POLL },
	{ "linger-ms", required_argument, NULL, OPT_LINGER },
	{ "connect-timeout-ms", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "max-buffer", required_argument, NULL, OPT_MAX_BUFFER },
	{ "channels", required_argument, NULL, OPT_CHANNELS },
	{ "no-tcp-client", no_argument, NULL, OPT_NO_TCP_CLIENT },
	{ "max-clients", required_argument, NULL, OPT_MAX_CLIENTS },
	{ "http-port", required_argument, NULL, OPT_HTTP_PORT },
	{ "http-idle-ms", required_argument, NULL, OPT_HTTP_IDLE },
	{ "tls-port", required_argument, NULL, OPT_TLS_PORT },
	{ "idle-ms", required_argument, NULL, OPT_IDLE },
	{ "no-reclaim", no_argument, NULL, OPT_NO_RECLAIM },
	{ "foreground", no_argument, NULL, 'f' },
	{ "syslog", no_argument, NULL, OPT_SYSLOG },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "no-module", required_argument, NULL, OPT_NO_MODULE },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "card-rules-poll-ms", required_argument, NULL, OPT_CARD_RULES_POLL },
	{ "scws-aid", required_argument, NULL, OPT_SCWS_AID },
	{ "ctl-socket", required_argument, NULL, OPT_CTL_SOCKET },
	{ "push-socket", required_argument, NULL, OPT_PUSH_SOCKET },
	{ "push-user", required_argument, NULL, OPT_PUSH_USER },
	{ "resolv-conf", required_argument, NULL, OPT_RESOLV_CONF },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "se-socket", required_argument, NULL, OPT_SE_SOCKET },
	{ "se-rules", required_argument, NULL, OPT_SE_RULES },
	{ "se-trust-dir", required_argument, NULL, OPT_SE_TRUST_DIR },
	{ "dm-socket", required_argument, NULL, OPT_DM_SOCKET },
	{ "dm-user", required_argument, NULL, OPT_DM_USER },
	{ "ese-reader", required_argument, NULL, OPT_ESE_READER },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void opts_defaults(struct bipd_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->protocol = PROTO_ANY;
	o->extended = EXT_AUTO;
	o->poll_ms = 500;
	o->linger_ms = 200;
	o->connect_timeout_ms = 10000;
	o->max_buffer = 16384;
	o->channels = 7;
	o->tcp_client = true;
	o->log_level = LOG_NOTICE;
	o->max_clients = 256;
	o->http_idle_ms = 0;
	o->idle_ms = 500;
	o->http_port = 3516;
	o->tls_port = 4116;
	o->sched = true;
	o->state_dir = "/run/scws";
	o->card_rules_poll_ms = 30000;
	o->push_uid = -1;
	o->resolv_conf = "/etc/resolv.conf";
	o->dm_uid = -1;
}

/* --dm-user: a user name or a numeric uid. */
static int user_id(const char *s, long *out)
{
	const struct passwd *pw = getpwnam(s);
	char *end;
	long v;

	if (pw) {
		*out = (long)pw->pw_uid;
		return 0;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 0x7FFFFFFFL)
		return -1;
	*out = v;
	return 0;
}

/* --push-user: a user name or a numeric uid. */
static int push_user(struct bipd_opts *o, const char *s)
{
	const struct passwd *pw = getpwnam(s);
	char *end;
	long v;

	if (pw) {
		o->push_uid = (long)pw->pw_uid;
		return 0;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 0x7FFFFFFFL)
		return -1;
	o->push_uid = v;
	return 0;
}

static int number(const char *what, const char *s, unsigned long min,
		  unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max) {
		fprintf(stderr, "scws-bipd: %s: '%s' is not a number in "
			"%lu..%lu\n", what, s, min, max);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

int opts_parse_portmap(struct bipd_opts *o, const char *s)
{
	char *copy = strdup(s), *save = NULL;
	int err = 0;

	if (!copy)
		return -1;
	o->n_map = 0;
	for (char *item = strtok_r(copy, ",", &save); item && !err;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		unsigned int card, local;

		if (!eq || o->n_map == BIPD_MAX_PORTS) {
			err = -1;
			break;
		}
		*eq = '\0';
		if (number("--no-module card port", item, 1, 65535, &card) ||
		    number("--no-module local port", eq + 1, 1, 65535, &local)) {
			err = -1;
			break;
		}
		for (unsigned int i = 0; i < o->n_map; i++)
			if (o->map[i].card_port == card ||
			    o->map[i].local_port == local)
				err = -1;
		o->map[o->n_map].card_port = (uint16_t)card;
		o->map[o->n_map].local_port = (uint16_t)local;
		o->n_map++;
	}
	free(copy);
	if (err || !o->n_map) {
		fprintf(stderr, "scws-bipd: --no-module wants CARDPORT=LOCALPORT"
			"[,...] with distinct ports, e.g. 3516=13516\n");
		return -1;
	}
	return 0;
}

int opts_parse(struct bipd_opts *o, int argc, char **argv)
{
	int c, verbose = 0, quiet = 0;
	unsigned int v;

	opterr = 1;
	while ((c = getopt_long(argc, argv, "r:p:fvqhV", long_opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'r':
			o->reader = optarg;
			break;
		case 'p':
			if (!strcmp(optarg, "any"))
				o->protocol = PROTO_ANY;
			else if (!strcasecmp(optarg, "t0"))
				o->protocol = PROTO_T0;
			else if (!strcasecmp(optarg, "t1"))
				o->protocol = PROTO_T1;
			else
				goto bad;
			break;
		case OPT_EXTENDED:
			if (!strcmp(optarg, "auto"))
				o->extended = EXT_AUTO;
			else if (!strcmp(optarg, "yes"))
				o->extended = EXT_YES;
			else if (!strcmp(optarg, "no"))
				o->extended = EXT_NO;
			else
				goto bad;
			break;
		case OPT_POLL:
			if (number("--poll-ms", optarg, 10, 60000, &o->poll_ms))
				return -1;
			break;
		case OPT_LINGER:
			if (number("--linger-ms", optarg, 0, 60000,
				   &o->linger_ms))
				return -1;
			break;
		case OPT_CONNECT_TIMEOUT:
			if (number("--connect-timeout-ms", optarg, 100, 300000,
				   &o->connect_timeout_ms))
				return -1;
			break;
		case OPT_MAX_BUFFER:
			if (number("--max-buffer", optarg, 16, 65535,
				   &o->max_buffer))
				return -1;
			break;
		case OPT_CHANNELS:
			if (number("--channels", optarg, 1, 7, &o->channels))
				return -1;
			break;
		case OPT_NO_TCP_CLIENT:
			o->tcp_client = false;
			break;
		case OPT_MAX_CLIENTS:
			if (number("--max-clients", optarg, 1, 4096,
				   &o->max_clients))
				return -1;
			break;
		case OPT_HTTP_PORT:
		case OPT_TLS_PORT:
			if (number(c == OPT_HTTP_PORT ? "--http-port" :
				   "--tls-port", optarg, 0, 65535, &v))
				return -1;
			if (c == OPT_HTTP_PORT)
				o->http_port = (uint16_t)v;
			else
				o->tls_port = (uint16_t)v;
			break;
		case OPT_HTTP_IDLE:
			if (number("--http-idle-ms", optarg, 0, 600000,
				   &o->http_idle_ms))
				return -1;
			break;
		case OPT_IDLE:
			if (number("--idle-ms", optarg, 0, 600000, &o->idle_ms))
				return -1;
			break;
		case OPT_NO_RECLAIM:
			o->sched = false;
			break;
		case 'f':
			o->foreground = true;
			break;
		case OPT_SYSLOG:
			o->use_syslog = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_NO_MODULE:
			if (opts_parse_portmap(o, optarg))
				return -1;
			o->no_module = true;
			break;
		case OPT_POLICY:
			o->policy_file = optarg;
			break;
		case OPT_CARD_RULES_POLL:
			if (number("--card-rules-poll-ms", optarg, 0, 86400000,
				   &o->card_rules_poll_ms))
				return -1;
			break;
		case OPT_SCWS_AID:
			o->scws_aid = optarg;
			break;
		case OPT_STATE_DIR:
			o->state_dir = optarg;
			break;
		case OPT_SE_SOCKET:
			o->se_socket = optarg;
			break;
		case OPT_SE_RULES:
			o->se_rules = optarg;
			break;
		case OPT_SE_TRUST_DIR:
			o->se_trust_dir = optarg;
			break;
		case OPT_ESE_READER:
			if (!*optarg)
				return -1;
			o->ese_reader = optarg;
			break;
		case OPT_CTL_SOCKET:
			o->ctl_socket = optarg;
			break;
		case OPT_PUSH_SOCKET:
			o->push_socket = optarg;
			break;
		case OPT_RESOLV_CONF:
			o->resolv_conf = optarg;
			break;
		case OPT_PUSH_USER:
			if (push_user(o, optarg))
				goto bad;
			break;
		case OPT_DM_SOCKET:
			o->dm_socket = *optarg ? optarg : NULL;
			break;
		case OPT_DM_USER:
			if (user_id(optarg, &o->dm_uid))
				goto bad;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		case 'V':
			puts("scws-bipd " SCWS_VERSION);
			return 1;
		default:
			fputs("Try 'scws-bipd --help'.\n", stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scws-bipd: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	/* The trigger sockets are on by default, but not in the test
	 * tooling mode, where runs must not share /run/scws. */
	if (!o->ctl_socket)
		o->ctl_socket = o->no_module ? "" : "/run/scws/bipd.ctl";
	if (!o->push_socket)
		o->push_socket = o->no_module ? "" : "/run/scws/push.sock";
	o->log_level = quiet ? LOG_WARNING :
		       verbose >= 2 ? LOG_DEBUG :
		       verbose == 1 ? LOG_INFO : LOG_NOTICE;
	return 0;
bad:
	fprintf(stderr, "scws-bipd: bad value '%s'\nTry 'scws-bipd --help'.\n",
		optarg);
	return -1;
}
