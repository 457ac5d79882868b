/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * se_ese.h - the APDU access service's second secure element: an
 * embedded SE in its own PC/SC reader (--ese-reader), offered to
 * applications as "eSE1".  Unlike the UICC it carries no toolkit
 * session, so it is opened in SCARD_SHARE_SHARED mode with a
 * SCardConnect of its own, and only when an application needs it.
 * When the reader or the card goes away (or another PC/SC client resets
 * it) the handle is dropped and the generation moves on: the channels
 * opened before are gone with the card's state.
 */
#ifndef BIPD_SE_ESE_H
#define BIPD_SE_ESE_H

#include <stdbool.h>
#include <stdint.h>

#include "apdu.h"

#define SE_ESE_READER "eSE1"	/* OMAPI's name for the first eSE */

struct se_ese;

/* reader: a substring of the PC/SC reader name.  0 or -ENOMEM. */
int se_ese_new(struct se_ese **out, const char *reader);
void se_ese_free(struct se_ese *e);
/* Connected (connects when it is not): true when the eSE answers. */
bool se_ese_up(struct se_ese *e);
/* Bumped each time the connection is lost. */
uint32_t se_ese_gen(const struct se_ese *e);
/* One command (apdu_xfer()): 0, -EMSGSIZE, or the link failed (the
 * connection is dropped and the generation bumped). */
int se_ese_xfer(struct se_ese *e, uint8_t cla, uint8_t ins, uint8_t p1,
		uint8_t p2, const uint8_t *data, size_t nc, size_t ne,
		struct apdu_resp *r);

#endif /* BIPD_SE_ESE_H */
