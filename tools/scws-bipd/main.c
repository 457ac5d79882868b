// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * main.c - scws-bipd: options, signals, the card's life cycle and the
 * event loop.
 *
 * One thread.  Each round: get a card if there is none (waiting in pcscd,
 * never spinning), let the engine do the card work that is due, then sleep
 * in epoll until a socket, netlink, a signal or the next deadline wakes us.
 * A card that fails (pulled, reader gone, pcscd restarted) is dropped:
 * every connection is closed, the ports get 0 channels, and the pump waits
 * for the card again and starts over with TERMINAL PROFILE.
 */
#include "bipd.h"
#include "card_rules.h"
#include "ctl.h"
#include "dm_gw.h"
#include "family_watch.h"
#include "log.h"
#include "pcsc.h"
#include "scws-nl.h"
#include "se_service.h"
#include "sources.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define CARD_WAIT_MS 1000	/* longest block in SCardGetStatusChange */
#define RETRY_MS 1000		/* pcscd down, card busy, connect failed */
#define SHORT_SESSION_MS 2000	/* a card failing sooner gets a pause */
#define NOT_TOOLKIT_RETRY_MS 10000

static int stop_code = -1;	/* >= 0: exit with it */
static bool source_failed;	/* the module's family is gone (ENOENT) */

void main_stop(int exit_code)
{
	if (stop_code < 0)
		stop_code = exit_code;
}

void main_source_lost(void)
{
	source_failed = true;
}

struct pump {
	struct bipd_opts opts;
	struct loop *loop;
	struct bipd engine;
	struct conn_source source;
	struct pcsc *pcsc;
	struct watch signals;
	int64_t card_retry_at;
	int64_t card_since;
	struct card_rules rules;
	bool source_open;	/* registered (or listening) */
	struct se_service *se;	/* --se-socket: APDU access */
	struct ctl *ctl;	/* trigger sockets (ctl.h) */
	struct dm_gw *dm;	/* --dm-socket: the DM_SC Gateway */
	/* scws.ko removed and loaded again (module_event()) */
	struct family_watch *family;
	bool module_gone;	/* removed: no source until it is back */
	bool module_back;	/* loaded again: register when we can */
	int64_t module_retry_at;
};

/* Before the card's rules are in force: no source, no connection. */
static int no_port(void *src, uint16_t port, unsigned int channels,
		   unsigned int capacity, const struct scws_pump_stats *st)
{
	(void)src;
	(void)port;
	(void)channels;
	(void)capacity;
	(void)st;
	return -EAGAIN;
}

static const struct conn_source_ops no_source_ops = { .port_set = no_port };

static int source_open(struct pump *p)
{
	int err;

	if (p->source_open)
		return 0;
	err = p->opts.no_module ?
	      src_listen_open(&p->source, &p->engine, p->loop, &p->opts) :
	      src_module_open(&p->source, &p->engine, p->loop);
	if (err)
		return err;
	p->engine.source = p->source;
	p->source_open = true;
	log_notice("connection source open (%s)", p->opts.no_module ?
		   "--no-module listeners" : "the scws module");
	return 0;
}

static void note_sw(void *arg, uint16_t sw)
{
	struct bipd *b = arg;

	if (b->card)
		cat_note_sw(b, sw);
}

/* Reads the card's rules (card_rules.h); < 0: the card link failed. */
static int rules_sync(struct pump *p, struct apdu_link *link, bool attach)
{
	struct aram_link al = { .link = link, .note = note_sw,
				.arg = &p->engine };

	return card_rules_sync(&p->rules, &al, attach);
}

static void on_signal(struct watch *w, uint32_t events)
{
	struct pump *p = w->arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(w->fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_notice("signal %u: stopping", si.ssi_signo);
			main_stop(0);
			break;
		case SIGUSR1:
			stats_log(&p->engine.stats, LOG_NOTICE, true);
			sched_stats_log(&p->engine, LOG_NOTICE, true);
			break;
		case SIGHUP:
			/* --policy: the local file and the card read again */
			p->rules.refresh_due = card_rules_enabled(&p->rules);
			break;
		default:
			break;
		}
	}
}

static int signals_setup(struct pump *p)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	p->signals.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (p->signals.fd < 0)
		return -errno;
	p->signals.fn = on_signal;
	p->signals.arg = p;
	return loop_add(p->loop, &p->signals, EPOLLIN);
}

/* No card: try to get one (may block up to CARD_WAIT_MS in pcscd). */
static void card_get(struct pump *p)
{
	enum pcsc_state s;
	int err;

	if (now_ms() < p->card_retry_at)
		return;
	s = pcsc_connect(p->pcsc, CARD_WAIT_MS);
	switch (s) {
	case PCSC_CONNECTED:
		break;
	case PCSC_NO_READER:
	case PCSC_NO_CARD:
		return;		/* we waited in pcscd already */
	default:
		p->card_retry_at = now_ms() + RETRY_MS;
		return;
	}
	p->card_since = now_ms();
	/* The card's rules first: registering as the pump comes after. */
	if (rules_sync(p, pcsc_link(p->pcsc), true) < 0) {
		pcsc_disconnect(p->pcsc, true);
		p->card_retry_at = now_ms() + RETRY_MS;
		return;
	}
	if (p->module_gone)
		;	/* registers when the module is back (module_event()) */
	else if (source_open(p)) {
		main_stop(1);
		pcsc_disconnect(p->pcsc, false);
		return;
	}
	err = bipd_card_attach(&p->engine, pcsc_link(p->pcsc));
	if (err == -ENOTSUP) {
		bipd_card_detach(&p->engine);
		pcsc_disconnect(p->pcsc, false);
		p->card_retry_at = now_ms() + NOT_TOOLKIT_RETRY_MS;
	}
}

/* The card link failed: close everything, start over. */
static void card_lost(struct pump *p)
{
	struct bipd *b = &p->engine;
	unsigned int open = 0;

	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++)
		if (b->chan[id].kind != CHAN_UNUSED && b->chan[id].fd >= 0)
			open++;
	log_notice("card lost: closing %u connection%s, waiting for the card",
		   open, open == 1 ? "" : "s");
	bipd_card_detach(b);
	pcsc_disconnect(p->pcsc, true);
	se_service_card_lost(p->se);
	if (now_ms() - p->card_since < SHORT_SESSION_MS)
		p->card_retry_at = now_ms() + RETRY_MS;
}

/*
 * scws.ko went away: our registration, the ports' counts, the offered
 * connections and the policy we loaded died with it.  Claimed connections
 * are plain sockets and go on.  When it is back we load the policy again
 * (the card's rules first, as at attach), then register and tell every
 * port again: what a restart would do, without dropping the card.
 */
static void module_event(void *arg, enum genl_family_change change)
{
	struct pump *p = arg;

	if (change == GENL_FAMILY_DEL) {
		log_warn("the scws module was removed: waiting for it to be "
			 "loaded again");
		p->module_gone = true;
		p->module_back = false;
		if (p->source_open) {
			src_module_close(&p->source);
			p->source.ops = &no_source_ops;
			p->source.src = NULL;
			p->engine.source = p->source;
			p->source_open = false;
		}
		/* its socket names a family id that no longer exists */
		scws_nl_close(p->rules.nl);
		p->rules.nl = NULL;
		p->rules.in_force = false;
	} else if (change == GENL_FAMILY_NEW) {
		log_notice("the scws module is loaded again: registering");
		p->module_gone = false;
		p->module_back = true;
		p->module_retry_at = 0;
	}
}

/* After module_event(NEW): policy, then registration, then the ports. */
static void module_rejoin(struct pump *p)
{
	if (now_ms() < p->module_retry_at)
		return;
	if (card_rules_enabled(&p->rules)) {
		if (!p->engine.card) {
			p->module_back = false;	/* card_get() does it all */
			return;
		}
		scws_nl_close(p->rules.nl);
		p->rules.nl = NULL;
		if (rules_sync(p, p->engine.card, true) < 0) {
			p->engine.card_failed = true;
			return;
		}
	}
	if (source_open(p)) {
		/* the module may still be starting: try again shortly */
		p->module_retry_at = now_ms() + RETRY_MS;
		return;
	}
	p->module_back = false;
	p->module_gone = false;
	ports_forget(&p->engine);
	log_notice("registered again after the module was reloaded");
}

/*
 * A command found the family gone before (or without) the controller's
 * word: drop the registration and try registering again every second.
 * Without the family watch, exit as scws-bipd(8) says.
 */
static void source_lost(struct pump *p)
{
	source_failed = false;
	if (!p->family) {
		log_err("the scws module went away: exiting");
		main_stop(1);
		return;
	}
	if (p->module_gone || p->module_back)
		return;
	module_event(p, GENL_FAMILY_DEL);
	p->module_back = true;
	p->module_retry_at = now_ms() + RETRY_MS;
}

static int run(struct pump *p)
{
	while (stop_code < 0) {
		int64_t next, now;
		int err;

		if (!p->engine.card)
			card_get(p);
		if (stop_code >= 0)
			break;
		if (source_failed)
			source_lost(p);
		if (p->module_back)
			module_rejoin(p);
		if (p->engine.card && !p->engine.card_failed &&
		    (p->engine.card_refresh || p->rules.refresh_due ||
		     (p->rules.next_poll >= 0 && now_ms() >= p->rules.next_poll))) {
			p->rules.refresh_due |= p->engine.card_refresh;
			p->engine.card_refresh = false;
			if (rules_sync(p, p->engine.card, false) < 0)
				p->engine.card_failed = true;
		}
		next = bipd_tick(&p->engine);
		if (p->engine.card && p->engine.card_failed) {
			card_lost(p);
			continue;
		}
		{
			int64_t se_next = se_service_tick(p->se);

			if (se_next >= 0 && (next < 0 || se_next < next))
				next = se_next;
		}
		if (!p->engine.card && (next < 0 || p->card_retry_at < next))
			next = p->card_retry_at;
		if (p->module_back && (next < 0 || p->module_retry_at < next))
			next = p->module_retry_at;
		if (p->engine.card && p->rules.next_poll >= 0 &&
		    (next < 0 || p->rules.next_poll < next))
			next = p->rules.next_poll;
		now = now_ms();
		loop_set_deadline(p->loop, next > now ? next : -1);
		err = loop_run_once(p->loop, next >= 0 && next <= now);
		if (err < 0) {
			log_err("event loop: %s", strerror(-err));
			return 1;
		}
	}
	return stop_code;
}

static int daemonize(void)
{
	if (daemon(0, 0) < 0) {
		fprintf(stderr, "scws-bipd: daemon: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct pump p;
	int rc, err;

	opts_defaults(&p.opts);
	rc = opts_parse(&p.opts, argc, argv);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (!p.opts.foreground)
		p.opts.use_syslog = true;	/* stderr goes to /dev/null */
	log_init(p.opts.log_level, p.opts.use_syslog);
	if (!p.opts.foreground && daemonize())
		return 1;
	err = loop_new(&p.loop);
	if (!err)
		err = signals_setup(&p);
	if (!err)
		err = pcsc_new(&p.pcsc, &p.opts);
	if (err) {
		log_err("start-up: %s", strerror(-err));
		return 1;
	}
	if (card_rules_init(&p.rules, &p.opts))
		return 2;
	p.source.ops = &no_source_ops;
	bipd_init(&p.engine, &p.opts, p.loop, &p.source);
	/* Without it the pump exits when the module goes (scws-bipd(8)). */
	if (!p.opts.no_module &&
	    family_watch_open(&p.family, p.loop, SCWS_GENL_NAME,
			      module_event, &p))
		log_warn("cannot watch generic netlink families: the pump "
			 "will exit if the scws module is removed");
	/* With --policy, the pump registers once the card's rules are in
	 * force (card_get()); without, at once, as it always did. */
	if (!card_rules_enabled(&p.rules) && source_open(&p))
		return 1;
	if (ctl_open(&p.ctl, &p.engine, p.loop, &p.opts))
		return 1;
	if (p.opts.se_socket &&
	    se_service_open(&p.se, &p.engine, p.loop, &p.opts))
		return 1;
	if (p.opts.dm_socket &&
	    dm_gw_open(&p.dm, &p.engine, p.loop, &p.opts))
		return 1;
	log_notice("started (poll %u ms, %u channels, buffers up to %u)",
		   p.opts.poll_ms, p.opts.channels, p.opts.max_buffer);
	rc = run(&p);
	se_service_close(p.se);	/* closes the applications' channels */
	ctl_close(p.ctl);
	dm_gw_close(p.dm);
	bipd_fini(&p.engine);
	sched_stats_log(&p.engine, LOG_INFO, false);
	stats_log(&p.engine.stats, LOG_INFO, false);
	if (p.source_open && p.opts.no_module)
		src_listen_close(&p.source);
	else if (p.source_open)
		src_module_close(&p.source);
	family_watch_close(p.family);
	card_rules_fini(&p.rules);
	pcsc_free(p.pcsc);
	loop_free(p.loop);
	log_notice("stopped");
	return rc;
}
