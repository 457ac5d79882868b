// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * se_ese.c - the embedded SE's PC/SC link (se_ese.h).
 */
#include "se_ese.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <PCSC/winscard.h>

struct se_ese {
	char *spec;
	SCARDCONTEXT ctx;
	bool have_ctx;
	SCARDHANDLE h;
	bool have_card;
	DWORD protocol;
	char reader[256];
	uint32_t gen;
	bool logged_down;
	struct apdu_link link;
};

static void drop(struct se_ese *e, const char *why)
{
	if (e->have_card) {
		log_notice("se: eSE '%s' lost (%s): its channels are gone",
			   e->reader, why);
		SCardDisconnect(e->h, SCARD_LEAVE_CARD);
		e->gen++;
	}
	e->have_card = false;
	if (e->have_ctx) {
		SCardReleaseContext(e->ctx);
		e->have_ctx = false;
	}
}

static int ese_transmit(void *arg, const uint8_t *c, size_t clen, uint8_t *r,
			size_t rcap, size_t *rlen)
{
	struct se_ese *e = arg;
	const SCARD_IO_REQUEST *pci = e->protocol == SCARD_PROTOCOL_T0 ?
				      SCARD_PCI_T0 : SCARD_PCI_T1;
	DWORD len = (DWORD)rcap;
	LONG rv;

	if (!e->have_card)
		return -ENODEV;
	rv = SCardTransmit(e->h, pci, c, (DWORD)clen, NULL, r, &len);
	if (rv != SCARD_S_SUCCESS) {
		/* Removed, reader gone, pcscd gone, or reset by another
		 * client: in every case the card's channels are gone. */
		drop(e, pcsc_stringify_error(rv));
		return -ENODEV;
	}
	*rlen = len;
	return 0;
}

static const struct card_ops ese_ops = { .transmit = ese_transmit };

int se_ese_new(struct se_ese **out, const char *reader)
{
	struct se_ese *e = calloc(1, sizeof(*e));

	if (!e || !(e->spec = strdup(reader))) {
		free(e);
		return -ENOMEM;
	}
	e->gen = 1;
	e->link.ops = &ese_ops;
	e->link.ctx = e;
	*out = e;
	return 0;
}

void se_ese_free(struct se_ese *e)
{
	if (!e)
		return;
	if (e->have_card)
		SCardDisconnect(e->h, SCARD_LEAVE_CARD);
	if (e->have_ctx)
		SCardReleaseContext(e->ctx);
	free(e->spec);
	free(e);
}

/* The first reader whose name holds the spec, into e->reader. */
static bool find_reader(struct se_ese *e)
{
	char *list = NULL;
	DWORD len = SCARD_AUTOALLOCATE;
	bool found = false;

	if (SCardListReaders(e->ctx, NULL, (LPSTR)&list, &len) !=
	    SCARD_S_SUCCESS)
		return false;
	for (const char *r = list; *r; r += strlen(r) + 1) {
		if (strstr(r, e->spec) && strlen(r) < sizeof(e->reader)) {
			strcpy(e->reader, r);
			found = true;
			break;
		}
	}
	SCardFreeMemory(e->ctx, list);
	return found;
}

bool se_ese_up(struct se_ese *e)
{
	DWORD state, proto, atr_len = 0, name_len = 0;
	LONG rv;

	if (e->have_card) {
		/* Still there?  Cheap: pcscd answers from its own state. */
		rv = SCardStatus(e->h, NULL, &name_len, &state, &proto, NULL,
				 &atr_len);
		if (rv == SCARD_S_SUCCESS)
			return true;
		drop(e, pcsc_stringify_error(rv));
	}
	if (!e->have_ctx) {
		if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL,
					  &e->ctx) != SCARD_S_SUCCESS)
			return false;
		e->have_ctx = true;
	}
	if (!find_reader(e)) {
		if (!e->logged_down)
			log_info("se: no eSE reader matching '%s'", e->spec);
		e->logged_down = true;
		drop(e, "no reader");
		return false;
	}
	rv = SCardConnect(e->ctx, e->reader, SCARD_SHARE_SHARED,
			  SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &e->h,
			  &e->protocol);
	if (rv != SCARD_S_SUCCESS) {
		if (!e->logged_down)
			log_info("se: eSE '%s': %s", e->reader,
				 pcsc_stringify_error(rv));
		e->logged_down = true;
		return false;
	}
	e->have_card = true;
	e->logged_down = false;
	log_notice("se: eSE '%s' connected (shared, T=%d)", e->reader,
		   e->protocol == SCARD_PROTOCOL_T0 ? 0 : 1);
	return true;
}

uint32_t se_ese_gen(const struct se_ese *e)
{
	return e->gen;
}

int se_ese_xfer(struct se_ese *e, uint8_t cla, uint8_t ins, uint8_t p1,
		uint8_t p2, const uint8_t *data, size_t nc, size_t ne,
		struct apdu_resp *r)
{
	return apdu_xfer(&e->link, APDU_OTHER, cla, ins, p1, p2, data, nc, ne,
			 r);
}
