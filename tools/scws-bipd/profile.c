// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * profile.c - the TERMINAL PROFILE (TS 102 223 clause 5.2): what this
 * terminal does, so the card knows it may open BIP channels here.
 *
 * Only what the pump really implements is announced: the card must not be
 * led to send commands that would all fail.  Bytes and bits are numbered
 * from 1, as in the spec.
 */
#include "bipd.h"

#include <string.h>

#define PROFILE_LEN 17

static void set_bit(uint8_t *tp, unsigned int byte, unsigned int bit)
{
	tp[byte - 1] |= (uint8_t)(1u << (bit - 1));
}

size_t terminal_profile(const struct bipd_opts *o, uint8_t *out, size_t cap)
{
	unsigned int channels = o->channels > 7 ? 7 : o->channels;

	if (cap < PROFILE_LEN)
		return 0;
	memset(out, 0, PROFILE_LEN);
	set_bit(out, 1, 1);	/* profile download */
	/* SMS-PP data download: TS 31.111 gives it two bits, both set by a
	 * terminal that delivers formatted SMS (download.c, ctl.c). */
	set_bit(out, 1, 2);
	set_bit(out, 1, 5);
	set_bit(out, 2, 1);	/* command result */
	set_bit(out, 5, 1);	/* SET UP EVENT LIST */
	set_bit(out, 6, 3);	/* event: Data available */
	set_bit(out, 6, 4);	/* event: Channel status */
	/* OPEN, CLOSE CHANNEL, RECEIVE, SEND DATA, GET CHANNEL STATUS */
	out[11] = 0x1F;
	if (o->tcp_client)
		set_bit(out, 13, 2);	/* packet data bearer (host IP) */
	out[12] |= (uint8_t)(channels << 5);	/* channels, bits 6-8 */
	set_bit(out, 17, 3);	/* TCP, UICC in server mode */
	if (o->dm_socket) {	/* the DM_SC Gateway (dm_gw.c) */
		set_bit(out, 6, 7);	/* event: Local connection */
		set_bit(out, 17, 5);	/* UDP, UICC in client mode, local */
	}
	if (o->tcp_client) {
		set_bit(out, 17, 1);	/* TCP, UICC in client mode, remote */
		set_bit(out, 17, 2);	/* UDP, UICC in client mode, remote:
					 * the card's own DNS queries */
	}
	return PROFILE_LEN;
}
