/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * validate.h - is a SIP request a push scws-pushd forwards to the card?
 *
 * PUSH-OTA-SIP (OMA Push using SIP) carries a push in a SIP MESSAGE
 * (RFC 3428).  For the SCWS the push content is a formatted SMS for the
 * card: application/vnd.3gpp.sms, RP-DATA with an SMS-DELIVER TPDU whose
 * TP-PID is 7F ((U)SIM data download), as SMS over IP delivers it
 * (3GPP TS 24.341) - the same secured packet an SMS trigger carries, so
 * the card's OTA layer sees one format whatever the bearer (docs/push.md).
 *
 * Checked, in this order, each with the status a UAC can act on:
 *   method MESSAGE          else 405 Method Not Allowed (Allow: MESSAGE)
 *   From in allow-from      else 403 Forbidden
 *   Accept-Contact app id   else 404 Not Found (when app-id is set)
 *   Content-Type            else 415 Unsupported Media Type (Accept: ...)
 *   RP-DATA + SMS-DELIVER   else 400 Bad Request
 *   TP-PID 7F               else 488 Not Acceptable Here
 */
#ifndef SCWS_PUSHD_VALIDATE_H
#define SCWS_PUSHD_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include <osipparser2/osip_message.h>

#include "config.h"

#define PUSHD_CONTENT_TYPE "application/vnd.3gpp.sms"

struct push_body {
	const uint8_t *data;	/* the RP-DATA, inside the message */
	size_t len;
};

/* 0 with *b set, or the SIP status to refuse the request with; *why is
 * static text for the log and the reason phrase. */
int push_validate(const struct pushd_config *c, const osip_message_t *req,
		  struct push_body *b, const char **why);

#endif /* SCWS_PUSHD_VALIDATE_H */
