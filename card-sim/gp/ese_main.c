// SPDX-License-Identifier: GPL-2.0
/*
 * ese_main.c - scws-card --role ese: the embedded SE on its own vpcd slot.
 * Nothing of the UICC runs here (no toolkit, no BIP, no web server): one
 * poll() loop over the vpcd link and the signals.
 */
#include "gp/gp.h"
#include "log.h"
#include "uicc/vpcd.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

struct ese {
	struct gp_card *gp;
	unsigned long apdus;
};

static void on_power(void *arg, enum vpcd_power what)
{
	struct ese *e = arg;

	(void)what;
	gp_card_reset(e->gp);
}

static size_t on_atr(void *arg, const uint8_t **atr)
{
	(void)arg;
	return gp_card_atr(atr);
}

static size_t on_transmit(void *arg, const uint8_t *capdu, size_t len,
			  uint8_t *resp)
{
	struct ese *e = arg;
	size_t n;

	card_log_hex("eSE C-APDU", capdu, len);
	n = gp_card_transmit(e->gp, capdu, len, resp);
	card_log_hex("eSE R-APDU", resp, n);
	e->apdus++;
	return n;
}

static void on_connected(void *arg, bool up)
{
	struct ese *e = arg;

	if (up)
		gp_card_reset(e->gp);
}

static int loop(struct vpcd *v, int sfd)
{
	for (;;) {
		struct pollfd pfd[2] = { { sfd, POLLIN, 0 } };
		short ev = 0;

		pfd[1].fd = vpcd_pollfd(v, &ev);
		pfd[1].events = ev;
		if (poll(pfd, 2, vpcd_timeout_ms(v)) < 0) {
			if (errno == EINTR)
				continue;
			card_err("poll: %s", strerror(errno));
			return 1;
		}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si) &&
			    (si.ssi_signo == SIGUSR1 || si.ssi_signo == SIGUSR2))
				continue;
			card_info("eSE: signal: shutting down");
			return 0;
		}
		vpcd_service(v, pfd[1].revents);
	}
}

int ese_main(const char *host, const char *port, const char *state_path,
	     bool reset_state, bool clear_text)
{
	struct ese e = { 0 };
	struct vpcd_card link = { on_power, on_atr, on_transmit, on_connected,
				  &e };
	struct card_state *st;
	struct vpcd *v = NULL;
	sigset_t set;
	int sfd, rc = 1;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	st = card_state_open(state_path, reset_state);
	if (sfd < 0 || !st)
		goto out;
	e.gp = gp_card_new(st, clear_text);
	if (!e.gp)
		goto out;
	v = vpcd_new(host, port, &link);
	if (!v)
		goto out;
	card_info("eSE ready: vpcd %s:%s, state %s%s", host, port, state_path,
		  clear_text ? ", content management in the clear (TEST "
		  "TOOLING)" : "");
	rc = loop(v, sfd);
	card_info("eSE: %lu APDUs exchanged", e.apdus);
out:
	if (rc)
		card_err("eSE: cannot run");
	vpcd_free(v);
	gp_card_free(e.gp);
	if (st && card_state_save(st))
		card_err("state not saved at exit");
	card_state_close(st);
	if (sfd >= 0)
		close(sfd);
	return rc;
}
