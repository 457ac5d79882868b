/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * tls_frame.h - TLS record boundaries (RFC 5246 6.2, RFC 8446 5.1) of one
 * connection, both ways, read only: TLS ends inside the card, so the pump
 * sees a 5-byte header (type, version, length) and opaque bytes.  It tells
 * the scheduler whether both directions stand between records and whether
 * the card has answered the client's last application data.
 */
#ifndef BIPD_TLS_FRAME_H
#define BIPD_TLS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TLS_RECORD_MAX (16384 + 2048)	/* TLSCiphertext.length bound */

struct tls_dir {
	uint8_t hdr[5];
	unsigned int hdr_len;	/* header bytes seen of the next record */
	size_t left;		/* body bytes left of the current record */
};

struct tls_frame {
	struct tls_dir up, down;	/* client -> card, card -> client */
	bool opaque;			/* not TLS records */
	bool card_ccs;			/* the card sent ChangeCipherSpec */
	bool owed;	/* client application data the card has not answered */
};

void tls_init(struct tls_frame *t);
void tls_client(struct tls_frame *t, const uint8_t *p, size_t n);
void tls_card(struct tls_frame *t, const uint8_t *p, size_t n);
/* Both ways between records, and the card spoke after the client. */
bool tls_quiet(const struct tls_frame *t);

#endif /* BIPD_TLS_FRAME_H */
