/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UICC as the reader sees it: an ATR, power and reset, and one APDU
 * in, one R-APDU out.  Behind it: the file system (fs.h), the PIN
 * (pin.h), the proactive engine (cat.h) and the ARA-M applet (aram.h).
 */
#ifndef SCWS_CARD_UICC_H
#define SCWS_CARD_UICC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct card_fs;
struct card_pin;
struct cat;
struct aram;
struct arf;

/* TEST TOOLING: deliberate misbehaviour for the pump's fault tests. */
enum uicc_fault {
	UICC_FAULT_BAD_TLV = 1 << 0,	/* malformed proactive commands */
	UICC_FAULT_BAD_LENGTH = 1 << 1,	/* 91xx / FETCH lengths that lie */
	UICC_FAULT_BUSY = 1 << 2,	/* ENVELOPEs refused once with 9300 */
};

struct uicc_parts {
	struct card_fs *fs;
	struct card_pin *pin;
	struct cat *cat;
	struct aram *aram;
	unsigned int faults;		/* enum uicc_fault bits */
	/* Where the access rules are (--access-rules): the PKCS#15
	 * application with the ARF (NULL: none), and whether SELECT ARA-M
	 * is refused (a card with ARF only). */
	struct arf *arf;
	bool no_aram;
};

struct uicc;

struct uicc *uicc_new(const struct uicc_parts *parts);
void uicc_free(struct uicc *u);

/* The Answer To Reset (the same after cold and warm reset). */
size_t uicc_atr(const uint8_t **atr);

/* Power on, power off or reset: every session state goes (channels,
 * selections, PIN verification, the toolkit session). */
void uicc_reset(struct uicc *u);

/* One command APDU; resp must hold APDU_RESP_MAX bytes.  Returns the
 * R-APDU length (data + SW1 SW2, always >= 2). */
size_t uicc_transmit(struct uicc *u, const uint8_t *capdu, size_t len,
		     uint8_t *resp);

#endif /* SCWS_CARD_UICC_H */
