/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-card.h - the card's DM bootstrap data, read through scws-bipd's
 * APDU access service (docs/apdu-access.md): a logical channel to the
 * PKCS#15 application (AID A000000063504B43532D3135), SELECT by FID and
 * READ BINARY in chunks, the walk of dm-p15.h.
 */
#ifndef SCWS_DM_CARD_H
#define SCWS_DM_CARD_H

#include <stddef.h>
#include <stdint.h>

/*
 * socket NULL: $SCWS_SE_SOCKET or /run/scws/se.sock; reader NULL: the
 * first reader with a card.  0 with *data (malloc'd) and *len; 1 when
 * the card has no DM bootstrap data; -1 on any other failure.  err says
 * why in both cases.
 */
int dm_card_read_bootstrap(const char *socket, const char *reader,
			   uint8_t **data, size_t *len, int verbose,
			   char *err, size_t err_size);

#endif
