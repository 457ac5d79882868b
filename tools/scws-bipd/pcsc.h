/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * pcsc.h - the card through PC/SC (pcscd): finding the reader, waiting for
 * a card without spinning, connecting exclusively, transmitting.
 */
#ifndef BIPD_PCSC_H
#define BIPD_PCSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apdu.h"
#include "options.h"

struct pcsc;

enum pcsc_state {
	PCSC_CONNECTED,
	PCSC_NO_SERVICE,	/* pcscd not reachable: retry later */
	PCSC_NO_READER,		/* waited for the reader to appear */
	PCSC_NO_CARD,		/* waited for a card in the reader */
	PCSC_BUSY,		/* another application holds the card */
	PCSC_FAILED,		/* connecting failed: retry later */
	PCSC_RETRY,		/* pcscd answered an error: retry later */
};

extern const struct card_ops pcsc_card_ops;

int pcsc_new(struct pcsc **pp, const struct bipd_opts *o);
void pcsc_free(struct pcsc *p);
/*
 * Gets us a connected card.  May block up to wait_ms inside
 * SCardGetStatusChange() waiting for a reader or a card (never spins);
 * PCSC_NO_SERVICE, PCSC_BUSY and PCSC_FAILED return at once and the
 * caller should wait before calling again.  Each change of state is
 * logged once.
 */
enum pcsc_state pcsc_connect(struct pcsc *p, unsigned int wait_ms);
/* Leaves the card (reset: the card forgets its channels); after a lost
 * pcscd the context is dropped too. */
void pcsc_disconnect(struct pcsc *p, bool reset);
/* The link for apdu_xfer(), valid while connected. */
struct apdu_link *pcsc_link(struct pcsc *p);

#endif /* BIPD_PCSC_H */
