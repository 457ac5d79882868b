/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * se_service.h - APDU access for local applications, Open Mobile API
 * style (docs/apdu-access.md): a SOCK_SEQPACKET Unix socket in the
 * pump's own event loop, so applications reach the card through the one
 * process that holds it exclusively, and their APDUs take turns with the
 * toolkit session's (one request per connection per loop round; the
 * engine does at most one tick of card work in between).
 *
 * Channels are opened with MANAGE CHANNEL on the card (the card picks
 * the number, so they never collide with the pump's ARA-M reader), each
 * one bound to the caller's access decision (seac-resolve.h and the
 * admin's se-local.h rules), and every command is checked (se-apdu.h)
 * before it goes out on that channel.  A card that goes away makes
 * every channel stale: the next request on it answers "card gone", and
 * a new channel can be opened once the card is back.
 */
#ifndef BIPD_SE_SERVICE_H
#define BIPD_SE_SERVICE_H

#include "bipd.h"
#include "loop.h"
#include "options.h"

struct se_service;

/* Listens on o->se_socket.  0 or -errno (logged). */
int se_service_open(struct se_service **sp, struct bipd *b, struct loop *l,
		    const struct bipd_opts *o);
void se_service_close(struct se_service *s);
/* After each loop round: resumes connections that waited for the
 * applications' share of the card link.  The next deadline (ms), or -1. */
int64_t se_service_tick(struct se_service *s);
/* The card went away (reset): its channels are gone. */
void se_service_card_lost(struct se_service *s);

#endif /* BIPD_SE_SERVICE_H */
