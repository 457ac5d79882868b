// SPDX-License-Identifier: GPL-2.0
/*
 * scws-card: a virtual UICC with a Smart Card Web Server, plugged into
 * pcscd through the vsmartcard vpcd reader driver.  One thread, one poll()
 * loop: the vpcd link, signals, and (test tooling) the debug port.
 */
#include "card.h"
#include "debug_port.h"
#include "log.h"
#include "admin/admin.h"
#include "admin/agent.h"
#include "aram/aram.h"
#include "arf/arf.h"
#include "dm/bootstrap_file.h"
#include "cat/cat.h"
#include "dm/dm_http.h"
#include "dm/dm_server.h"
#include "dm/dm_store.h"
#include "dm/dm_trigger.h"
#include "ota/keysets.h"
#include "ota/ota.h"
#include "tls/tls.h"
#include "uicc/apdu.h"
#include "uicc/baud.h"
#include "uicc/fs.h"
#include "uicc/pin.h"
#include "uicc/uicc.h"
#include "uicc/vpcd.h"
#include "test_client.h"
#include "test_dm_notify.h"
#include "gp/gp.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_STATE "./scws-card.state"

struct options {
	char host[256], port[8];
	const char *state, *content;
	bool reset_state, extended_apdu;
	bool rules_aram, rules_arf;	/* --access-rules */
	unsigned int http_channels, https_channels;
	uint16_t http_port, https_port;
	unsigned long baud;
	int debug_port;			/* 0 = off */
	const char *aram_inbox;		/* TEST TOOLING, on SIGUSR2 */
	const char *test_client;	/* TEST TOOLING, on SIGUSR2 */
	const char *test_dm_notify;	/* TEST TOOLING, on SIGUSR2 too */
	unsigned int faults;
	int verbose;
	/* --ota-keyset: provisioned into the state at start */
	struct ota_keyset ota_keysets[15];
	unsigned int ota_nkeysets;
	const char *admin_set[32];	/* --admin NAME=VALUE, stored */
	unsigned int admin_nset;
	bool admin_on_signal;		/* TEST TOOLING, on SIGUSR1 */
	const char *dm_provision;	/* --dm-provision FILE, stored */
	bool role_ese;			/* --role ese: the embedded SE */
	bool gp_clear_text;		/* TEST TOOLING: GP commands in the clear */
};

struct card {
	struct options opt;
	struct card_state *st;
	struct card_fs *fs;
	struct card_pin *pin;
	struct scws_site *site;
	struct card_tls *tls;
	struct cat *cat;
	struct aram *aram;
	struct arf *arf;
	struct uicc *uicc;
	struct vpcd *vpcd;
	struct debug_port *debug;
	struct ota *ota;
	struct admin_agent *agent;
	struct dm_server *dm;
	unsigned long apdus;
};

static void usage(FILE *to)
{
	fputs(
"Usage: scws-card [OPTION]...\n"
"A virtual UICC with a Smart Card Web Server, for pcscd's vpcd reader.\n"
"\n"
"  --vpcd HOST:PORT      vpcd to connect to (default 127.0.0.1:35963)\n"
"  --state FILE          card state file (default ./scws-card.state)\n"
"  --reset-state         start from a factory-fresh state, replacing FILE\n"
"  --content DIR         web content imported into a fresh state\n"
"  --channels P=N[,P=M]  BIP server channels: first port plain HTTP, second\n"
"                        HTTPS (default 3516=2,4116=2)\n"
"  --access-rules STORE  where the access rules are: aram (default), arf\n"
"                        (PKCS#15 files, no ARA-M) or both\n"
"  --extended-apdu       assume the terminal sends extended APDUs\n"
"  --baud N              emulate an ISO 7816 T=1 link at N bit/s\n"
"  --no-clock            be a card without a clock: no Date, no Last-Modified\n"
"  --ota-keyset N:KIC:KID  store OTA key set N (1-F): AES keys in hex for\n"
"                        ciphering (KIc) and checksums (KID); repeatable\n"
"  --admin NAME=VALUE    store a remote admin parameter: host, agent-id, uri,\n"
"                        psk-id, key=KVN:KID:HEX, use-key=KVN:KID,\n"
"                        retry=COUNT,SECONDS, dest=ADDR:PORT, nan\n"
"  --dm-provision FILE   store FILE as the DM provisioning set (lines\n"
"                        URI<TAB>format<TAB>type<TAB>data)\n"
"  --role uicc|ese       the UICC (default) or an embedded secure element:\n"
"                        a GlobalPlatform card, no toolkit, BIP or web server\n"
"  -v, --verbose         more logging on stderr (-vv: every APDU)\n"
"  -h, --help            this text\n"
"\n"
"Test tooling (never for production use):\n"
"  --debug-port PORT     serve HTTP directly on 127.0.0.1:PORT, no BIP\n"
"  --fault MODE[,MODE]   misbehave on purpose: bad-tlv, bad-length, busy\n"
"  --aram-inbox FILE     on SIGUSR2, apply the ARA-M STORE DATA commands in\n"
"                        FILE (hex, one per line; 'corrupt' / 'repair')\n"
"  --admin-on-signal     on SIGUSR1, start a remote admin session with the\n"
"                        stored parameters, as an SMS trigger would\n"
"  --gp-clear-text       (--role ese) take content management (GET STATUS,\n"
"                        INSTALL, LOAD, DELETE) without a secure channel\n"
"  --test-client ADDR:PORT  on SIGUSR2, open a TCP client channel to\n"
"                        ADDR:PORT ([IPv6]:PORT), send a line, read one\n"
"  --test-dm-notify FILE  send package #0 from FILE to the terminal's DM\n"
"                        client when one registers, and on SIGUSR2\n"
"  --dm-bootstrap-fault KIND  spoil the DM bootstrap data: cut, xml, tag,\n"
"                        dodf, incomplete, absent\n"
"\n"
"See scws-card(1).\n", to);
}

static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && end != s && !*end && *out <= max && s[0] != '-';
}

/* "3516=2,4116=2": first entry plain HTTP, second HTTPS. */
static bool parse_channels(const char *s, struct options *o)
{
	char buf[64], *save = NULL, *item;
	int i = 0;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	o->http_channels = o->https_channels = 0;
	for (item = strtok_r(buf, ",", &save); item;
	     item = strtok_r(NULL, ",", &save), i++) {
		char *eq = strchr(item, '=');
		unsigned long port, n;

		if (!eq || i > 1)
			return false;
		*eq = '\0';
		if (!parse_ulong(item, 65535, &port) || !port ||
		    !parse_ulong(eq + 1, CAT_MAX_CHANNELS, &n))
			return false;
		if (i == 0) {
			o->http_port = (uint16_t)port;
			o->http_channels = (unsigned int)n;
		} else {
			o->https_port = (uint16_t)port;
			o->https_channels = (unsigned int)n;
		}
	}
	return i > 0 && o->http_channels + o->https_channels <= CAT_MAX_CHANNELS;
}

static bool parse_faults(const char *s, unsigned int *faults)
{
	char buf[64], *save = NULL, *m;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	for (m = strtok_r(buf, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
		if (!strcmp(m, "bad-tlv"))
			*faults |= UICC_FAULT_BAD_TLV;
		else if (!strcmp(m, "bad-length"))
			*faults |= UICC_FAULT_BAD_LENGTH;
		else if (!strcmp(m, "busy"))
			*faults |= UICC_FAULT_BUSY;
		else
			return false;
	}
	return true;
}

/* --access-rules, numbered apart from parse_options()' own options. */
enum { O_ACCESS_RULES = 0x1000, O_DM_PROVISION, O_ROLE, O_GP_CLEAR, O_DM_BOOT_FAULT };

/* 0 to run, 1 to exit successfully (--help), 2 on a usage error. */
static int parse_options(int argc, char **argv, struct options *o)
{
	enum { O_VPCD = 256, O_STATE, O_RESET, O_CONTENT, O_CHANNELS, O_BAUD,
	       O_DEBUG_PORT, O_FAULT, O_EXTENDED, O_NO_CLOCK, O_ARAM_INBOX,
	       O_OTA_KEYSET, O_ADMIN, O_ADMIN_ON_SIGNAL, O_TEST_CLIENT,
	       O_TEST_DM_NOTIFY };
	static const struct option longopts[] = {
		{ "vpcd", required_argument, NULL, O_VPCD },
		{ "state", required_argument, NULL, O_STATE },
		{ "reset-state", no_argument, NULL, O_RESET },
		{ "content", required_argument, NULL, O_CONTENT },
		{ "channels", required_argument, NULL, O_CHANNELS },
		{ "extended-apdu", no_argument, NULL, O_EXTENDED },
		{ "baud", required_argument, NULL, O_BAUD },
		{ "access-rules", required_argument, NULL, O_ACCESS_RULES },
		{ "dm-provision", required_argument, NULL, O_DM_PROVISION },
		{ "dm-bootstrap-fault", required_argument, NULL, O_DM_BOOT_FAULT },
		{ "no-clock", no_argument, NULL, O_NO_CLOCK },
		{ "debug-port", required_argument, NULL, O_DEBUG_PORT },
		{ "fault", required_argument, NULL, O_FAULT },
		{ "aram-inbox", required_argument, NULL, O_ARAM_INBOX },
		{ "ota-keyset", required_argument, NULL, O_OTA_KEYSET },
		{ "admin", required_argument, NULL, O_ADMIN },
		{ "admin-on-signal", no_argument, NULL, O_ADMIN_ON_SIGNAL },
		{ "test-client", required_argument, NULL, O_TEST_CLIENT },
		{ "test-dm-notify", required_argument, NULL, O_TEST_DM_NOTIFY },
		{ "role", required_argument, NULL, O_ROLE },
		{ "gp-clear-text", no_argument, NULL, O_GP_CLEAR },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cat_config defaults;
	unsigned long n;
	int c;

	cat_config_init(&defaults);
	memset(o, 0, sizeof(*o));
	strcpy(o->host, VPCD_DEFAULT_HOST);
	strcpy(o->port, VPCD_DEFAULT_PORT);
	o->state = DEFAULT_STATE;
	o->http_channels = defaults.http_channels;
	o->https_channels = defaults.https_channels;
	o->http_port = defaults.http_port;
	o->https_port = defaults.https_port;
	o->rules_aram = true;

	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case O_VPCD:
			if (!vpcd_parse_addr(optarg, o->host, sizeof(o->host),
					     o->port, sizeof(o->port)))
				goto bad;
			break;
		case O_STATE:
			o->state = optarg;
			break;
		case O_RESET:
			o->reset_state = true;
			break;
		case O_CONTENT:
			o->content = optarg;
			break;
		case O_CHANNELS:
			if (!parse_channels(optarg, o))
				goto bad;
			break;
		case O_EXTENDED:
			o->extended_apdu = true;
			break;
		case O_BAUD:
			if (!parse_ulong(optarg, 100000000, &o->baud) || !o->baud)
				goto bad;
			break;
		case O_ACCESS_RULES:
			o->rules_aram = !strcmp(optarg, "aram") ||
					!strcmp(optarg, "both");
			o->rules_arf = !strcmp(optarg, "arf") ||
				       !strcmp(optarg, "both");
			if (!o->rules_aram && !o->rules_arf)
				goto bad;
			break;
		case O_DM_PROVISION:
			o->dm_provision = optarg;
			break;
		case O_DM_BOOT_FAULT:
			if (dm_boot_set_fault(optarg))
				goto bad;
			break;
		case O_NO_CLOCK:
			card_clock_disable();
			break;
		case O_DEBUG_PORT:
			if (!parse_ulong(optarg, 65535, &n) || !n)
				goto bad;
			o->debug_port = (int)n;
			break;
		case O_FAULT:
			if (!parse_faults(optarg, &o->faults))
				goto bad;
			break;
		case O_ARAM_INBOX:
			o->aram_inbox = optarg;
			break;
		case O_OTA_KEYSET:
			if (o->ota_nkeysets == 15 ||
			    !ota_keyset_parse(optarg,
					      &o->ota_keysets[o->ota_nkeysets]))
				goto bad;
			o->ota_nkeysets++;
			break;
		case O_ADMIN:
			if (o->admin_nset == sizeof(o->admin_set) /
					     sizeof(o->admin_set[0]))
				goto bad;
			o->admin_set[o->admin_nset++] = optarg;
			break;
		case O_ADMIN_ON_SIGNAL:
			o->admin_on_signal = true;
			break;
		case O_TEST_CLIENT:
			if (!test_client_check(optarg))
				goto bad;
			o->test_client = optarg;
			break;
		case O_TEST_DM_NOTIFY:
			o->test_dm_notify = optarg;
			break;
		case O_ROLE:
			if (strcmp(optarg, "uicc") && strcmp(optarg, "ese"))
				goto bad;
			o->role_ese = !strcmp(optarg, "ese");
			break;
		case O_GP_CLEAR:
			o->gp_clear_text = true;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc)
		return 0;
	fprintf(stderr, "scws-card: unexpected argument '%s'\n", argv[optind]);
	return 2;
bad:
	for (n = 0; longopts[n].val != c; n++)
		;
	fprintf(stderr, "scws-card: invalid value '%s' for --%s\n", optarg,
		longopts[n].name);
	return 2;
}

/* ---- the vpcd side: power, ATR, APDUs ---- */

static void on_power(void *arg, enum vpcd_power what)
{
	struct card *card = arg;
	static const char *const names[] = { "power off", "power on", "reset" };

	card_info("%s", names[what]);
	uicc_reset(card->uicc);
}

static size_t on_atr(void *arg, const uint8_t **atr)
{
	(void)arg;
	return uicc_atr(atr);
}

static size_t on_transmit(void *arg, const uint8_t *capdu, size_t len,
			  uint8_t *resp)
{
	struct card *card = arg;
	uint64_t arrived = t1_clock_ns();
	size_t n;

	card_log_hex("C-APDU", capdu, len);
	n = uicc_transmit(card->uicc, capdu, len, resp);
	card_log_hex("R-APDU", resp, n);
	card->apdus++;
	/* The reply leaves once a real link would have carried both. */
	if (card->opt.baud)
		t1_pace(arrived, len, n, card->opt.baud);
	return n;
}

static void on_connected(void *arg, bool up)
{
	struct card *card = arg;

	/* A new reader session starts from a cold card. */
	if (up)
		uicc_reset(card->uicc);
}

/* ---- set-up and tear-down ---- */

static void card_close(struct card *card)
{
	if (card->st && card_state_save(card->st) != 0)
		card_err("state not saved at exit");
	vpcd_free(card->vpcd);
	debug_port_free(card->debug);
	uicc_free(card->uicc);
	cat_free(card->cat);
	ota_free(card->ota);
	admin_agent_free(card->agent);
	aram_close(card->aram);
	arf_close(card->arf);	/* a view of the ARA-M: frees only itself */
	card_tls_free(card->tls);
	scws_site_close(card->site);
	dm_server_free(card->dm);
	card_pin_close(card->pin);
	card_fs_close(card->fs);
	card_state_close(card->st);
}

/* --dm-provision FILE: checked, then stored as the provisioning set. */
static bool dm_provision_store(struct card_state *st, const char *path)
{
	/* Once, at start: kept off the stack. */
	static struct dm_prov p;
	static char buf[DM_PROV_MAX_ITEMS * DM_PROV_MAX_LINE];
	char err[128];
	FILE *f = fopen(path, "r");
	size_t len;

	if (!f) {
		card_err("%s: %s", path, strerror(errno));
		return false;
	}
	len = fread(buf, 1, sizeof(buf), f);
	if (ferror(f) || !feof(f)) {
		card_err("%s: unreadable or too long", path);
		fclose(f);
		return false;
	}
	fclose(f);
	if (dm_prov_parse(buf, len, &p, err, sizeof(err))) {
		card_err("%s: %s", path, err);
		return false;
	}
	return !card_state_set(st, DM_KEY_PROVISION, buf, len) &&
	       !card_state_save(st);
}

/* The DM server (issue 16: the card as provisioning master) on /dm. */
static bool dm_open(struct card *card)
{
	if (card->opt.dm_provision &&
	    !dm_provision_store(card->st, card->opt.dm_provision))
		return false;
	card->dm = dm_server_new(card->st);
	if (!card->dm || !site_mount(card->site, "/dm", dm_http_serve, card->dm))
		return false;
	dm_trigger_attach(card->dm);
	return true;
}

/* Key sets from the command line go into the state.  Triggers go to
 * admin_agent_trigger() with the agent given by ota_set_agent() once the
 * agent exists (it needs the proactive engine, made after this). */
static bool ota_open(struct card *card)
{
	struct ota_config cfg = { card->st, NULL };

	for (unsigned int i = 0; i < card->opt.ota_nkeysets; i++)
		if (ota_keyset_store(card->st, &card->opt.ota_keysets[i])) {
			card_err("OTA key set %u not stored",
				 card->opt.ota_keysets[i].kvn);
			return false;
		}
	card->ota = ota_new(&cfg);
	return card->ota != NULL;
}

static bool card_open(struct card *card)
{
	struct options *o = &card->opt;
	struct cat_config cfg;
	struct uicc_parts parts;
	struct vpcd_card link = { on_power, on_atr, on_transmit, on_connected,
				  card };

	card->st = card_state_open(o->state, o->reset_state);
	if (!card->st)
		return false;
	card->fs = card_fs_open(card->st);
	card->pin = card_pin_open(card->st);
	card->aram = aram_open(card->st);
	if (!card->fs || !card->pin || !card->aram)
		return false;
	card->site = scws_site_open(card->st, card->pin, o->content);
	if (!card->site || !dm_open(card))
		return false;
	if (o->https_channels) {
		card->tls = card_tls_new(card->st, o->verbose);
		if (!card->tls)
			return false;
	}
	cat_config_init(&cfg);
	cfg.http_channels = o->http_channels;
	cfg.https_channels = o->https_channels;
	cfg.http_port = o->http_port;
	cfg.https_port = o->https_port;
	cfg.extended_apdu = o->extended_apdu;
	cfg.site = card->site;
	cfg.tls = card->tls;
	cfg.verbose = o->verbose;
	if (!ota_open(card))
		return false;
	cfg.sms_pp = ota_sms_pp_cb;
	cfg.sms_pp_arg = card->ota;
	card->cat = cat_new(&cfg);
	if (!card->cat)
		return false;
	for (unsigned int i = 0; i < o->admin_nset; i++) {
		if (admin_params_set(card->st, o->admin_set[i])) {
			card_err("invalid --admin setting '%s'", o->admin_set[i]);
			return false;
		}
	}
	if (o->admin_nset && card_state_save(card->st))
		return false;
	card->agent = admin_agent_new(card->st, card->cat, card->site,
				      card->aram);
	if (!card->agent)
		return false;
	ota_set_agent(card->ota, card->agent);
	parts = (struct uicc_parts){ .fs = card->fs, .pin = card->pin,
				     .cat = card->cat, .aram = card->aram,
				     .faults = o->faults };
	/* The PKCS#15 application: the DM bootstrap file always, GP's
	 * access rule files with --access-rules arf or both. */
	card->arf = arf_open(card->aram);
	if (!card->arf)
		return false;
	arf_set_contents(card->arf, o->rules_arf, dm_boot_object());
	parts.arf = card->arf;
	parts.no_aram = o->rules_arf && !o->rules_aram;
	card->uicc = uicc_new(&parts);
	if (!card->uicc)
		return false;
	if (o->debug_port) {
		card->debug = debug_port_new(o->debug_port, card->site);
		if (!card->debug)
			return false;
	}
	if (o->test_dm_notify && !test_dm_notify_setup(o->test_dm_notify))
		return false;
	card->vpcd = vpcd_new(o->host, o->port, &link);
	return card->vpcd != NULL;
}

/* ---- the loop ---- */

/* TEST TOOLING (--admin-on-signal): an empty trigger, so the session runs
 * on the stored parameters, as a bare SMS trigger would. */
static void admin_test_trigger(struct card *card)
{
	struct admin_trigger t;
	int rc;

	memset(&t, 0, sizeof(t));
	rc = admin_agent_trigger(card->agent, &t);
	card_info("SIGUSR1: admin session %s%s", rc ? "not started: " :
		  "started", rc ? strerror(-rc) : "");
	if (!rc)
		cat_poll(card->cat);
}

static int signal_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

enum { PFD_SIGNAL, PFD_VPCD, PFD_DEBUG, PFD_MAX = PFD_DEBUG + DEBUG_PORT_FDS };

static int run(struct card *card, int sfd)
{
	struct pollfd pfd[PFD_MAX];

	for (;;) {
		int timeout = vpcd_timeout_ms(card->vpcd), n = PFD_DEBUG;
		int admin_ms = admin_agent_timeout_ms(card->agent);
		short ev = 0;

		if (admin_ms >= 0 && (timeout < 0 || admin_ms < timeout))
			timeout = admin_ms;
		pfd[PFD_SIGNAL] = (struct pollfd){ sfd, POLLIN, 0 };
		pfd[PFD_VPCD].fd = vpcd_pollfd(card->vpcd, &ev);
		pfd[PFD_VPCD].events = ev;
		pfd[PFD_VPCD].revents = 0;
		if (card->debug)
			n += debug_port_pollfds(card->debug, pfd + PFD_DEBUG,
						DEBUG_PORT_FDS);
		if (poll(pfd, (nfds_t)n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			card_err("poll: %s", strerror(errno));
			return 1;
		}
		if (pfd[PFD_SIGNAL].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				return 0;
			if (si.ssi_signo == SIGUSR2) {
				if (card->opt.aram_inbox)
					aram_inbox_apply(card->aram,
							 card->opt.aram_inbox);
				if (card->opt.test_client)
					test_client_start(card->cat,
							  card->opt.test_client);
				if (card->opt.test_dm_notify)
					test_dm_notify_send();
				continue;
			}
			if (si.ssi_signo == SIGUSR1) {
				if (card->opt.admin_on_signal)
					admin_test_trigger(card);
				continue;
			}
			card_info("signal %u: shutting down", si.ssi_signo);
			return 0;
		}
		vpcd_service(card->vpcd, pfd[PFD_VPCD].revents);
		admin_agent_service(card->agent);
		if (card->debug)
			debug_port_service(card->debug, pfd + PFD_DEBUG,
					   n - PFD_DEBUG);
	}
}

int main(int argc, char **argv)
{
	struct card card = { 0 };
	int rc, sfd;

	rc = parse_options(argc, argv, &card.opt);
	if (rc)
		return rc == 1 ? 0 : 2;
	card_log_level = card.opt.verbose >= 2 ? CARD_LOG_DEBUG
			 : card.opt.verbose ? CARD_LOG_INFO : CARD_LOG_ERR;
	if (card.opt.role_ese)
		return ese_main(card.opt.host, card.opt.port, card.opt.state,
				card.opt.reset_state, card.opt.gp_clear_text);
	sfd = signal_fd();
	if (sfd < 0) {
		card_err("signals: %s", strerror(errno));
		return 1;
	}
	if (!card_open(&card)) {
		card_err("cannot start");
		card_close(&card);
		return 1;
	}
	card_info("ready: vpcd %s:%s, state %s, %u HTTP + %u HTTPS channels%s",
		  card.opt.host, card.opt.port, card.opt.state,
		  card.opt.http_channels, card.opt.https_channels,
		  card.opt.faults ? ", FAULTS ON" : "");
	rc = run(&card, sfd);
	card_info("%lu APDUs exchanged", card.apdus);
	card_close(&card);
	close(sfd);
	return rc;
}
