/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trigger.h - what starts a remote administration session, card side.
 *
 * The over-the-air layer (ota/: SMS-PP data download, TS 102 225 secured
 * packets) fills a struct admin_trigger from the GP Amd B "administration
 * session triggering parameters" (BER-TLV 81) or from a TS 102 226 PUSH
 * command, and hands it to the administration agent (admin/agent.c), which
 * opens the client channel, runs TLS-PSK and the HTTP admin protocol.
 *
 * Every field is optional: what the trigger leaves out comes from the
 * admin parameters stored in the card's state.
 */
#ifndef SCWS_CARD_ADMIN_TRIGGER_H
#define SCWS_CARD_ADMIN_TRIGGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADMIN_TRIGGER_TLVS_MAX 128
#define ADMIN_TRIGGER_STR_MAX 256
#define ADMIN_TRIGGER_PSK_ID_MAX 64

struct admin_trigger {
	/* OPEN CHANNEL COMPREHENSION-TLVs (Amd B tag 84, or the PUSH
	 * command's data): bearer, buffer size, NAN, transport level, data
	 * destination address.  They override the stored ones. */
	uint8_t conn_tlvs[ADMIN_TRIGGER_TLVS_MAX];
	size_t conn_tlvs_len;

	/* Security parameters (85): the PSK identity to use, key version
	 * and key identifier of the PSK in the card's key store. */
	bool has_psk;
	uint8_t psk_id[ADMIN_TRIGGER_PSK_ID_MAX];
	size_t psk_id_len;
	uint8_t kvn, kid;

	/* Retry policy (86): attempts and waiting delay (TS 102 223
	 * duration-like, 5 bytes as Amd B carries them, kept raw). */
	bool has_retry;
	uint16_t retry_counter;
	uint8_t retry_delay[5];

	/* HTTP POST parameters (89): administration host (8A), agent id
	 * (8B), administration URI (8C).  Empty string: not given. */
	char host[ADMIN_TRIGGER_STR_MAX];
	char agent_id[ADMIN_TRIGGER_STR_MAX];
	char uri[ADMIN_TRIGGER_STR_MAX];

	/* DNS resolution (B3/D6): the RAS's name, resolved by the terminal
	 * when no address is given. Empty string: not given. */
	char fqdn[ADMIN_TRIGGER_STR_MAX];
};

struct admin_agent;

/* Starts (or queues) an administration session as the trigger asks.
 * 0 when the session is queued; -EBUSY when one is already running,
 * -ENOTSUP when the terminal cannot open a client channel, -EINVAL when
 * neither trigger nor stored parameters give a destination. */
int admin_agent_trigger(struct admin_agent *a, const struct admin_trigger *t);

#endif /* SCWS_CARD_ADMIN_TRIGGER_H */
