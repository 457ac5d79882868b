/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cat-int.h - what cat.c (the proactive session) and bip.c (the channels)
 * share.  Not for other parts of the card: they use cat.h.
 */
#ifndef SCWS_CAT_INT_H
#define SCWS_CAT_INT_H

#include "cat.h"
#include "cat-tlv.h"

/* Payload limits with short APDUs, see cat.h. */
#define CAT_SEND_MAX 240	/* 255 - D0 81 LL - 5 - 4 - 36 81 LL */
#define CAT_RECV_MAX_SHORT 237	/* 255 - 5 - 4 - 3 - 36 81 LL - 37 01 xx */
#define CAT_RECV_MAX_EXT 255	/* Channel data length is one byte */

/* Give up on a connection after this many failed data commands in a row,
 * so a terminal that keeps failing cannot wedge the card. */
#define BIP_MAX_FAILURES 3

/* Command qualifiers. */
#define CLOSE_TO_LISTEN 0x01	/* CLOSE CHANNEL, UICC server mode */
#define CLOSE_RELEASE 0x00
#define SEND_STORE 0x00		/* SEND DATA bit 1 */
#define SEND_NOW 0x01
#define OPEN_IMMEDIATE 0x01	/* OPEN CHANNEL bit 1, client mode */

enum slot_kind { SLOT_UNUSED, SLOT_HTTP, SLOT_HTTPS, SLOT_CLIENT };

enum slot_state {
	SLOT_IDLE,		/* OPEN CHANNEL still to send */
	SLOT_OPENING,		/* OPEN CHANNEL in flight */
	SLOT_LISTEN,		/* server: waiting for a client */
	SLOT_ESTABLISHED,	/* a connection carries a stream */
	SLOT_DROPPED,		/* client: link gone, CLOSE CHANNEL to send */
	SLOT_DEAD,		/* refused or closed by the terminal */
};

/* One BIP channel as the card manages it. */
struct bip_slot {
	enum slot_kind kind;
	enum slot_state state;
	uint16_t port;		/* server: listening port */
	uint8_t id;		/* channel id the terminal gave, 0 before */
	uint16_t bufsize;	/* buffer size granted */
	size_t rx_avail;	/* bytes the terminal holds for the card */
	size_t tx_free;		/* room left in the terminal's Tx buffer */
	bool tx_full_logged;	/* "Tx buffer full" said for this wait */
	bool closing;		/* close the connection at the next chance */
	unsigned int failures;	/* failed data commands in a row */
	uint32_t gen;		/* bumped per connection, guards stale TRs */
	const struct cat_stream_ops *ops;
	void *stream;		/* NULL until the connection needs one */
	struct cat_client_params client;
	uint8_t nan[64];	/* client.nan points here */
};

/* The proactive command in flight. */
struct cat_cmd {
	bool active;
	bool fetched;
	uint8_t buf[CAT_CMD_MAX];
	size_t len;
	struct cat_cmd_details det;
	int slot;		/* index in cat.slots, -1 for none */
	uint32_t gen;		/* that slot's gen when built */
	size_t data_len;	/* SEND DATA: stream bytes carried */
};

enum evl_state { EVL_NONE, EVL_SENT, EVL_SET, EVL_FAILED };

/* What the terminal profile announced. */
struct cat_caps {
	bool events;		/* SET UP EVENT LIST + both BIP events */
	bool bip_cmds;		/* OPEN..GET CHANNEL STATUS */
	bool server;		/* TCP, UICC in server mode */
	bool client;		/* TCP, UICC in client mode, remote */
	unsigned int channels;
	bool local_event;	/* event: Local connection */
	bool udp_local;		/* UDP, UICC in client mode, local */
};

struct cat {
	struct cat_config cfg;
	struct cat_caps caps;
	bool session;		/* a terminal profile arrived */
	enum evl_state evl;
	uint8_t last_number;
	struct cat_cmd cmd;
	struct bip_slot slots[CAT_MAX_CHANNELS];
	unsigned int rr;	/* round robin: slot served last */
	/* cat_poll() running: a channel whose Tx buffer the terminal said
	 * was full may ask for its free space again (bip.c) */
	bool polling;
};

/* cat.c */
void cat_log(const struct cat *c, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Starts a command in c->cmd: writer positioned inside the D0 template,
 * command details and device identities already written. */
size_t cat_cmd_begin(struct cat *c, struct cat_writer *w, uint8_t type,
		     uint8_t qualifier, uint8_t dst, int slot);
/* Closes the template; false (and no command) if it did not fit. */
bool cat_cmd_end(struct cat *c, struct cat_writer *w, size_t mark);
/* Builds the next command if none is in flight. */
void cat_schedule(struct cat *c);
bool cat_bip_usable(const struct cat *c);

/* cat-stream.c: a new connection's stream for a server channel: the web
 * server, behind TLS when tls is set.  0 or -ENOMEM. */
int cat_server_stream_new(const struct cat_config *cfg, bool tls,
			  const struct cat_stream_ops **ops, void **stream);

/* bip-slot.c: slot lifecycle */
const char *bip_kind_name(enum slot_kind k);
bool bip_is_server(const struct bip_slot *s);
/* The live slot with this channel id, or -1. */
int bip_slot_by_id(const struct cat *c, uint8_t id);
/* Forgets a command for this slot that was not fetched yet. */
void bip_drop_stale_cmd(struct cat *c, int slot);
/* Client slot: tell the stream's owner (cause), free it, free the slot. */
void bip_release_client(struct cat *c, int i, uint8_t cause);
/* Server slot: end the connection, whatever its state, and listen. */
void bip_conn_reset(struct cat *c, int i);
/* Server slot: a new connection. */
void bip_conn_accept(struct cat *c, int i);
/* Refused or closed by the terminal: client slots are released, server
 * slots stay dead until the next session. */
void bip_slot_dead(struct cat *c, int i, uint8_t cause);
/* Client slot whose link went away: the stream hears the end, the card
 * still has to close the channel. */
void bip_client_dropped(struct cat *c, int i);
void bip_reset(struct cat *c);

/* bip.c: what the card asks */
void bip_plan(struct cat *c);
bool bip_build_next(struct cat *c);

/* bip-reply.c: what the terminal says.  0, or a CAT_TLV_E* code when the
 * message is malformed: then nothing has changed (and a command stays
 * outstanding). */
int bip_on_response(struct cat *c, const struct cat_msg *m,
		    const struct cat_result *res);
int bip_on_event(struct cat *c, uint8_t event, const struct cat_msg *m);

/* dm_sc.c: the DM Smart Card transport (dm/dm_sc.h) on this engine */
void dm_sc_attach(struct cat *c);
void dm_sc_detach(struct cat *c);
/* The toolkit session ended: no DM client is known any more. */
void dm_sc_reset(struct cat *c);
/* ENVELOPE Event download, Local connection: 0 or a CAT_TLV_E* code. */
int dm_sc_event(struct cat *c, const struct cat_msg *m);
/* A proactive turn: a queued notification opens its channel. */
void dm_sc_turn(struct cat *c);

#endif /* SCWS_CAT_INT_H */
