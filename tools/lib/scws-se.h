/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * scws-se.h - the client side of scws-bipd's APDU access service: Open
 * Mobile API style access to the card's applets (scws-se(3),
 * docs/apdu-access.md).
 *
 * Every call is one request and its answer, blocking.  Calls return 0,
 * a positive enum se_status (the service said no: scws_se_error() has
 * its message), or -errno (the socket failed).
 */
#ifndef SCWS_SE_H
#define SCWS_SE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "se-proto.h"

#define SCWS_SE_SOCKET "/run/scws/se.sock"

struct scws_se;

/* path NULL: $SCWS_SE_SOCKET, else SCWS_SE_SOCKET. */
int scws_se_connect(const char *path, struct scws_se **out);
/* Closes the connection: the service closes its sessions and channels. */
void scws_se_close(struct scws_se *se);
/* The service's message for the last failure ("" if none). */
const char *scws_se_error(const struct scws_se *se);

/* Readers: name (NUL-terminated) and whether a card is in, up to max. */
struct scws_se_reader {
	char name[SE_PROTO_READER_MAX + 1];
	bool present;
};
int scws_se_list(struct scws_se *se, struct scws_se_reader *r, size_t max,
		 size_t *n);

int scws_se_open_session(struct scws_se *se, const char *reader,
			 uint8_t *session);
/* Closes the session's channels too. */
int scws_se_close_session(struct scws_se *se, uint8_t session);

/*
 * A channel to the applet aid (aid_len 0: the default application) with
 * SELECT P2 p2 (00, 04, 08, 0C; 02 next occurrence).  *chan, and the
 * SELECT response (data and SW) in sel (sel_len; may be NULL).
 */
int scws_se_open_logical(struct scws_se *se, uint8_t session,
			 const uint8_t *aid, size_t aid_len, uint8_t p2,
			 uint8_t *chan, uint8_t *sel, size_t sel_cap,
			 size_t *sel_len);
int scws_se_open_basic(struct scws_se *se, uint8_t session,
		       const uint8_t *aid, size_t aid_len, uint8_t p2,
		       uint8_t *chan, uint8_t *sel, size_t sel_cap,
		       size_t *sel_len);
/* One C-APDU; the R-APDU (data and SW) in resp. */
int scws_se_transmit(struct scws_se *se, uint8_t chan, const uint8_t *cmd,
		     size_t len, uint8_t *resp, size_t cap, size_t *rlen);
int scws_se_select_response(struct scws_se *se, uint8_t chan, uint8_t *resp,
			    size_t cap, size_t *rlen);
int scws_se_close_channel(struct scws_se *se, uint8_t chan);

#endif /* SCWS_SE_H */
