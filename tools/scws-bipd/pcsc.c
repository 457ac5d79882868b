// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * pcsc.c - PC/SC: context, reader, card, SCardTransmit.
 *
 * pcscd may be restarted, the reader unplugged, the card pulled at any
 * time.  A failed transmit drops the card handle (and the context when
 * pcscd itself is gone); pcsc_connect() then starts over: context, reader
 * (by name substring or index), card presence, SCardConnect.  Waiting is
 * done in SCardGetStatusChange() with a timeout, so the pump sleeps in
 * pcscd until something changes.
 */
#include "pcsc.h"
#include "atr.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <PCSC/winscard.h>
#include <PCSC/reader.h>

#define PNP_READER "\\\\?PnP?\\Notification"
#define READER_NAME_MAX 256
/* A TERMINAL RESPONSE for RECEIVE DATA with 255 bytes, extended: the
 * least a reader must take for extended APDUs to be worth using. */
#define EXT_MIN_INPUT (7 + 273)

struct pcsc {
	const struct bipd_opts *opts;
	SCARDCONTEXT ctx;
	bool have_ctx;
	SCARDHANDLE card;
	bool have_card;
	DWORD protocol;
	bool lost_service;		/* drop the context at disconnect */
	char reader[READER_NAME_MAX];
	DWORD reader_state;		/* for SCardGetStatusChange */
	enum pcsc_state last;		/* what was logged last */
	bool logged;
	struct apdu_link link;
};

static bool service_gone(LONG rv)
{
	return rv == (LONG)SCARD_E_NO_SERVICE ||
	       rv == (LONG)SCARD_E_SERVICE_STOPPED ||
	       rv == (LONG)SCARD_E_INVALID_HANDLE ||
	       rv == (LONG)SCARD_E_NO_READERS_AVAILABLE ||
	       rv == (LONG)SCARD_E_READER_UNAVAILABLE ||
	       rv == (LONG)SCARD_E_UNKNOWN_READER;
}

static int pcsc_transmit(void *arg, const uint8_t *c, size_t clen,
			 uint8_t *r, size_t rcap, size_t *rlen)
{
	struct pcsc *p = arg;
	const SCARD_IO_REQUEST *pci = p->protocol == SCARD_PROTOCOL_T0 ?
				      SCARD_PCI_T0 : SCARD_PCI_T1;
	DWORD len = (DWORD)rcap;
	LONG rv;

	if (!p->have_card)
		return -ENODEV;
	rv = SCardTransmit(p->card, pci, c, (DWORD)clen, NULL, r, &len);
	if (rv != SCARD_S_SUCCESS) {
		log_info("SCardTransmit: %s", pcsc_stringify_error(rv));
		if (service_gone(rv))
			p->lost_service = true;
		return -ENODEV;
	}
	*rlen = len;
	return 0;
}

const struct card_ops pcsc_card_ops = { .transmit = pcsc_transmit };

int pcsc_new(struct pcsc **pp, const struct bipd_opts *o)
{
	struct pcsc *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->opts = o;
	p->link.ops = &pcsc_card_ops;
	p->link.ctx = p;
	*pp = p;
	return 0;
}

static void drop_context(struct pcsc *p)
{
	if (p->have_ctx)
		SCardReleaseContext(p->ctx);
	p->have_ctx = false;
	p->lost_service = false;
	p->reader[0] = '\0';
}

void pcsc_disconnect(struct pcsc *p, bool reset)
{
	if (p->have_card)
		SCardDisconnect(p->card, reset ? SCARD_RESET_CARD :
						 SCARD_LEAVE_CARD);
	p->have_card = false;
	p->logged = false;	/* the next state is news again */
	if (p->lost_service ||
	    (p->have_ctx && SCardIsValidContext(p->ctx) != SCARD_S_SUCCESS))
		drop_context(p);
	p->reader_state = SCARD_STATE_UNAWARE;
}

void pcsc_free(struct pcsc *p)
{
	if (!p)
		return;
	pcsc_disconnect(p, true);
	drop_context(p);
	free(p);
}

struct apdu_link *pcsc_link(struct pcsc *p)
{
	return &p->link;
}

/* Logs a waiting state once, when it is entered. */
static enum pcsc_state enter(struct pcsc *p, enum pcsc_state s,
			     const char *what)
{
	if (!p->logged || p->last != s) {
		if (s == PCSC_CONNECTED)
			log_notice("%s", what);
		else
			log_warn("%s", what);
	}
	p->last = s;
	p->logged = true;
	return s;
}

/* The reader the options name among pcscd's: copied into p->reader. */
static bool pick_reader(struct pcsc *p, const char *list, DWORD *count)
{
	const char *spec = p->opts->reader;
	char *end = NULL;
	long index = -1;
	DWORD i = 0;

	if (spec && *spec) {
		index = strtol(spec, &end, 10);
		if (*end)
			index = -1;	/* not a number: a name substring */
	} else {
		index = 0;
	}
	*count = 0;
	for (const char *r = list; *r; r += strlen(r) + 1, i++) {
		bool match = index >= 0 ? (long)i == index : !!strstr(r, spec);

		(*count)++;
		if (match && !p->reader[0] && strlen(r) < sizeof(p->reader))
			strcpy(p->reader, r);
	}
	return p->reader[0];
}

/* Blocks in pcscd until the reader list changes (or wait_ms); false
 * when pcscd answered at once with an error. */
static bool wait_readers(struct pcsc *p, DWORD count, unsigned int wait_ms)
{
	SCARD_READERSTATE st = {
		.szReader = PNP_READER,
		.dwCurrentState = count << 16,
	};
	LONG rv = SCardGetStatusChange(p->ctx, wait_ms, &st, 1);

	if (service_gone(rv))
		drop_context(p);
	return rv == SCARD_S_SUCCESS || rv == (LONG)SCARD_E_TIMEOUT;
}

static enum pcsc_state find_reader(struct pcsc *p, unsigned int wait_ms)
{
	char list[4096];
	DWORD len = sizeof(list), count = 0;
	LONG rv;

	if (p->reader[0])
		return PCSC_CONNECTED;
	rv = SCardListReaders(p->ctx, NULL, list, &len);
	if (rv == (LONG)SCARD_E_NO_READERS_AVAILABLE) {
		list[0] = '\0';
	} else if (rv != SCARD_S_SUCCESS) {
		log_info("SCardListReaders: %s", pcsc_stringify_error(rv));
		drop_context(p);
		return PCSC_NO_SERVICE;
	}
	if (pick_reader(p, list, &count)) {
		p->reader_state = SCARD_STATE_UNAWARE;
		return PCSC_CONNECTED;
	}
	enter(p, PCSC_NO_READER, "waiting for a reader");
	return wait_readers(p, count, wait_ms) ? PCSC_NO_READER : PCSC_RETRY;
}

/* Checks the reader; blocks until it changes when there is no card. */
static enum pcsc_state card_present(struct pcsc *p, unsigned int wait_ms)
{
	SCARD_READERSTATE st = {
		.szReader = p->reader,
		.dwCurrentState = p->reader_state,
	};
	/* The first look (state unknown) returns at once. */
	LONG rv = SCardGetStatusChange(p->ctx,
				       p->reader_state == SCARD_STATE_UNAWARE ?
				       0 : wait_ms, &st, 1);

	if (rv == (LONG)SCARD_E_TIMEOUT)
		return PCSC_NO_CARD;
	if (rv != SCARD_S_SUCCESS) {
		log_info("SCardGetStatusChange: %s", pcsc_stringify_error(rv));
		if (service_gone(rv))
			drop_context(p);
		p->reader[0] = '\0';
		return PCSC_RETRY;
	}
	p->reader_state = st.dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
	if (st.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE)) {
		p->reader[0] = '\0';	/* unplugged: look again */
		return PCSC_RETRY;
	}
	if ((st.dwEventState & SCARD_STATE_PRESENT) &&
	    !(st.dwEventState & SCARD_STATE_MUTE))
		return PCSC_CONNECTED;
	return PCSC_NO_CARD;
}

static bool want_extended(struct pcsc *p, const uint8_t *atr, size_t len)
{
	DWORD max_input = 0, n = sizeof(max_input);
	bool card_ok = atr_extended_lc(atr, len);
	bool reader_ok;

	if (p->protocol != SCARD_PROTOCOL_T1)
		return false;	/* T=0 has no extended APDUs */
	if (p->opts->extended == EXT_YES)
		return true;
	if (p->opts->extended == EXT_NO || !card_ok)
		return false;
	/* Readers that tell their limit (CCID) must take ours; the others
	 * (virtual readers) pass APDUs through whole. */
	reader_ok = SCardGetAttrib(p->card, SCARD_ATTR_MAXINPUT,
				   (uint8_t *)&max_input, &n) != SCARD_S_SUCCESS ||
		    n != sizeof(max_input) || max_input >= EXT_MIN_INPUT;
	return reader_ok;
}

static enum pcsc_state connect_card(struct pcsc *p)
{
	DWORD protocols = SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1;
	uint8_t atr[MAX_ATR_SIZE];
	DWORD atr_len = sizeof(atr), state, proto, name_len = 0;
	char msg[512];
	LONG rv;

	if (p->opts->protocol == PROTO_T0)
		protocols = SCARD_PROTOCOL_T0;
	else if (p->opts->protocol == PROTO_T1)
		protocols = SCARD_PROTOCOL_T1;
	rv = SCardConnect(p->ctx, p->reader, SCARD_SHARE_EXCLUSIVE, protocols,
			  &p->card, &p->protocol);
	if (rv == (LONG)SCARD_E_SHARING_VIOLATION)
		return enter(p, PCSC_BUSY, "the card is in use by another "
			     "application, waiting");
	if (rv != SCARD_S_SUCCESS) {
		snprintf(msg, sizeof(msg), "SCardConnect(%s): %s", p->reader,
			 pcsc_stringify_error(rv));
		if (service_gone(rv))
			drop_context(p);
		return enter(p, PCSC_FAILED, msg);
	}
	p->have_card = true;
	rv = SCardStatus(p->card, NULL, &name_len, &state, &proto, atr,
			 &atr_len);
	if (rv != SCARD_S_SUCCESS)
		atr_len = 0;
	p->link.extended = want_extended(p, atr, atr_len);
	snprintf(msg, sizeof(msg), "card in \"%s\": T=%d, %s APDUs",
		 p->reader, p->protocol == SCARD_PROTOCOL_T0 ? 0 : 1,
		 p->link.extended ? "extended" : "short");
	log_hex(LOG_INFO, "ATR", atr, atr_len);
	return enter(p, PCSC_CONNECTED, msg);
}

enum pcsc_state pcsc_connect(struct pcsc *p, unsigned int wait_ms)
{
	enum pcsc_state s;
	char msg[READER_NAME_MAX + 64];
	LONG rv;

	if (p->have_card)
		return PCSC_CONNECTED;
	if (!p->have_ctx) {
		rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL,
					   &p->ctx);
		if (rv != SCARD_S_SUCCESS)
			return enter(p, PCSC_NO_SERVICE, "pcscd not reachable, "
				     "waiting for it");
		p->have_ctx = true;
		p->reader[0] = '\0';
	}
	s = find_reader(p, wait_ms);
	if (s != PCSC_CONNECTED)
		return s;
	s = card_present(p, wait_ms);
	if (s == PCSC_NO_CARD) {
		snprintf(msg, sizeof(msg), "waiting for a card in \"%s\"",
			 p->reader);
		return enter(p, PCSC_NO_CARD, msg);
	}
	if (s != PCSC_CONNECTED)
		return s;
	return connect_card(p);
}
