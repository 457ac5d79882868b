/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * scws-nl-trust.h - the module's certificate sets (SCWS_CMD_TRUST_ADD,
 * SCWS_CMD_TRUST_CLEAR): the manufacturer's, set by scwsctl, and the
 * card's, set by the pump from what the card provides.
 */
#ifndef SCWS_NL_TRUST_H
#define SCWS_NL_TRUST_H

#include <stddef.h>
#include <stdint.h>

struct scws_nl;

/* 0 or -errno; the kernel's message is in scws_nl_extack(nl). */
int scws_nl_trust_add(struct scws_nl *nl, int anchor, const uint8_t *der,
		      size_t len);
int scws_nl_trust_clear(struct scws_nl *nl, int anchor);

#endif /* SCWS_NL_TRUST_H */
