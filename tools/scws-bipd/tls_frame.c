// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * tls_frame.c - TLS record boundaries, read only (see tls_frame.h).
 *
 * "owed" is the one guess: after the client's application data, or its
 * handshake records before the card's ChangeCipherSpec, the card has
 * something to answer, so the connection is busy even when no byte moves
 * (a slow CGI, a private key operation).  Any complete record from the
 * card clears it.  The client's ChangeCipherSpec and Finished after the
 * card's (a resumed session) need no answer, nor do alerts.
 */
#include "tls_frame.h"

#include <string.h>

#define CT_CCS 20
#define CT_ALERT 21
#define CT_APPDATA 23

void tls_init(struct tls_frame *t)
{
	memset(t, 0, sizeof(*t));
}

/* Feeds one direction; calls back the type of each complete record. */
static void feed(struct tls_frame *t, struct tls_dir *d, const uint8_t *p,
		 size_t n, bool up)
{
	while (n && !t->opaque) {
		if (d->hdr_len < 5) {
			d->hdr[d->hdr_len++] = *p++;
			n--;
			if (d->hdr_len < 5)
				continue;
			/* types 20..24, major version 3 */
			if (d->hdr[0] < CT_CCS || d->hdr[0] > 24 ||
			    d->hdr[1] != 3) {
				t->opaque = true;
				return;
			}
			d->left = (size_t)d->hdr[3] << 8 | d->hdr[4];
			if (d->left > TLS_RECORD_MAX) {
				t->opaque = true;
				return;
			}
		} else {
			size_t k = n < d->left ? n : d->left;

			p += k;
			n -= k;
			d->left -= k;
		}
		if (d->left)
			continue;
		/* a record is complete */
		if (!up) {
			t->owed = false;
			if (d->hdr[0] == CT_CCS)
				t->card_ccs = true;
		} else if (d->hdr[0] == CT_APPDATA ||
			   (d->hdr[0] != CT_ALERT && !t->card_ccs)) {
			t->owed = true;
		}
		d->hdr_len = 0;
	}
}

void tls_client(struct tls_frame *t, const uint8_t *p, size_t n)
{
	feed(t, &t->up, p, n, true);
}

void tls_card(struct tls_frame *t, const uint8_t *p, size_t n)
{
	feed(t, &t->down, p, n, false);
}

bool tls_quiet(const struct tls_frame *t)
{
	return !t->opaque && !t->owed && !t->up.hdr_len && !t->down.hdr_len;
}
