/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * bipd.h - the pump's engine: the card's toolkit session (TERMINAL
 * PROFILE, the proactive loop, event downloads), its BIP channels, and the
 * ports those channels serve.  main.c owns the PC/SC link and the
 * connection source and drives the engine from the event loop:
 *
 *   bipd_card_attach()   a card is connected: TERMINAL PROFILE, then the
 *                        card opens its channels (OPEN CHANNEL)
 *   bipd_conn_bind()     a client connection for a port (from the scws
 *                        module, or our own listener in --no-module mode)
 *   bipd_tick()          after every loop round: the card work that is due
 *                        (FETCH, TERMINAL RESPONSE, ENVELOPE, STATUS)
 *   bipd_card_detach()   the card went away: every connection is closed
 *                        and the ports get 0 channels
 *
 * Nothing here blocks.  Everything the card says is checked before it is
 * used; a malformed command closes only the channel it is about.
 */
#ifndef BIPD_H
#define BIPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apdu.h"
#include "bytebuf.h"
#include "cat-tlv.h"
#include "http_frame.h"
#include "loop.h"
#include "options.h"
#include "scws-pump-stats.h"
#include "stats.h"
#include "tls_frame.h"

#define BIPD_MAX_CHANNELS 7	/* channel ids 1..7 (TS 102 223) */
#define BIPD_EVQ_MAX 32		/* event downloads waiting to be sent */
#define BIPD_DESC_MAX 400	/* a connection's description in logs */
#define BIP_ERR_PORT_UNAVAILABLE 0x10	/* BIP error cause, TS 102 223 8.12.11 */
#define BIPD_REC_MAX 32		/* a Service record's name (dmsc-msg.h) */

/* The DM_SC Gateway (dm_gw.c, --dm-socket): the one local DM client the
 * card reaches over a UDP local channel.  NULL where there is none (the
 * unit tests' engines, a pump without --dm-socket). */
struct dm_gw_ops {
	/* The registered client's name, or NULL when none is. */
	const char *(*client)(void *gw);
	/* Hands one datagram to the client: 0 or -errno. */
	int (*deliver)(void *gw, const uint8_t *data, size_t len);
};

/* Where client connections come from. */
struct conn_source_ops {
	/* What the card serves on a port: channels, and how many of them
	 * are free LISTEN channels.  0, or -EADDRNOTAVAIL when the source
	 * cannot serve this port at all (OPEN CHANNEL then fails with "port
	 * not available"), or another -errno (logged, not fatal). */
	int (*port_set)(void *src, uint16_t port, unsigned int channels,
			unsigned int capacity,
			const struct scws_pump_stats *st);
	/* Called at the end of each tick: hand waiting connections to free
	 * channels with bipd_conn_bind(). */
	void (*offer)(void *src);
};

struct conn_source {
	const struct conn_source_ops *ops;
	void *src;
};

enum chan_kind { CHAN_UNUSED, CHAN_SERVER, CHAN_CLIENT };

enum chan_state {
	CS_LISTEN,		/* server: waiting for a client */
	CS_CONNECTING,		/* client: connect() under way, TR waits */
	CS_OPEN,		/* a TCP connection carries the data */
	CS_DROPPED,		/* client: link loss told, CLOSE CHANNEL due */
};

/* The Command details of a command, kept to answer it later. */
struct cmd_ref {
	uint8_t val[3];		/* number, type, qualifier */
	bool cr;
	bool wide;
};

struct client;
struct bipd;

/* Downloads to the card from the control sockets (download.c): ENVELOPEs
 * the engine sends between proactive commands.  The hooks are NULL where
 * nobody submits any (the unit tests' engines). */
struct dl_ops {
	/* One is due now; fetch_pending: a proactive command waits too. */
	bool (*due)(const struct bipd *b, bool fetch_pending);
	/* Sends the first; false if nothing was sent (the card link failed,
	 * or it is busy: due() says when again). */
	bool (*send_one)(struct bipd *b);
	int64_t (*deadline)(const struct bipd *b);	/* -1: none */
	void (*card_gone)(struct bipd *b);	/* fail what waits */
};

struct channel {
	uint8_t id;
	enum chan_kind kind;
	enum chan_state state;
	uint16_t port;		/* server: the card's port; client: remote */
	uint16_t bufsize;	/* agreed with the card */
	int fd;			/* -1 without a connection */
	struct watch watch;
	struct bytebuf rx;	/* client -> card, waiting for RECEIVE DATA */
	struct bytebuf tx;	/* card -> client, SEND DATA not written yet */
	uint32_t gen;		/* bumped for every connection */
	bool rx_announced;	/* Data available sent since Rx was empty */
	bool tx_flush;		/* an immediate SEND DATA: write Tx out */
	bool peer_eof;		/* the peer sent FIN */
	bool io_error;		/* the connection failed: no more I/O */
	uint8_t gone_info;	/* channel status byte 2 to report */
	int64_t activity_ms;	/* last command of the card for it */
	int64_t gone_ms;	/* when peer_eof / io_error came */
	uint64_t bytes_to_card, bytes_to_client;
	struct client *cl;	/* server: the client connection bound */
	char desc[BIPD_DESC_MAX];
	/* client channels */
	struct cmd_ref open_cmd;	/* OPEN CHANNEL awaiting its TR */
	uint8_t open_result;		/* 00, or 07 if the buffer was cut */
	uint8_t bearer[32];		/* Bearer description value, for TR */
	size_t bearer_len;
	int64_t connect_deadline;
	bool udp;			/* UDP client: one datagram a flush */
	bool want_dns;			/* OPEN CHANNEL asked for DNS servers */
	bool dm;			/* UDP local to the DM client port:
					 * no socket, datagrams go to the
					 * DM_SC Gateway (dm_gw.c) */
};

/* One event download waiting to go out. */
struct ev_item {
	uint8_t event;		/* CAT_EV_DATA_AVAILABLE / _CHANNEL_STATUS */
	uint8_t chan;
	uint32_t gen;		/* the channel's connection it is about */
	uint8_t status[2];	/* channel status event: as it was then */
	/* Local connection (0D): the DM client's name, empty once gone */
	uint8_t rec[BIPD_REC_MAX];
	uint8_t rec_len;
};

/* How the scheduler reads a client connection (see sched.c). */
enum client_kind { CK_HTTP, CK_TLS, CK_OPAQUE };

enum client_state {
	CL_WAITING,		/* wants a channel: in its port's FIFO */
	CL_BOUND,		/* a channel carries it */
	CL_IDLE,		/* no channel, waits for its client to speak:
				 * HTTP between requests, or a new HTTP/TLS
				 * connection that found no channel free */
};

/* A client connection the pump holds (server channels only). */
struct client {
	struct client *next, *prev;	/* the engine's list */
	struct client *wnext;		/* the port's waiting FIFO */
	struct bipd *b;
	struct watch watch;		/* while not bound */
	int fd;
	uint16_t port;
	enum client_kind kind;
	enum client_state state;
	bool dead;			/* freed at the next tick */
	struct channel *ch;
	struct http_frame http;
	struct tls_frame tls;
	int64_t wait_since;		/* CL_WAITING: since when */
	int64_t last_io;		/* last byte either way */
	uint64_t binds;			/* channels it had */
	char desc[BIPD_DESC_MAX];
};

/* The scheduler's counters for a port (SIGUSR1 "sched:" line). */
struct sched_stats {
	uint64_t clients;		/* connections taken */
	uint64_t waits;			/* times one waited for a channel */
	uint64_t wait_ms_total, wait_ms_max;
	uint64_t http_reclaims;		/* channel taken back between requests */
	uint64_t idle_closes;		/* idle connection closed (TLS, opaque) */
	uint64_t evictions;		/* idle connection closed: no room */
	uint64_t dropped_waiting;	/* client left while it waited */
};

struct port_state {
	uint16_t port;
	unsigned int channels, capacity;	/* last told the source */
	struct scws_pump_stats told;		/* likewise */
	bool sent;
	/* the source cannot serve the port with these counts (its error):
	 * not asked again until they change */
	int refused;
	unsigned int refused_channels, refused_capacity;
	/* the scheduler */
	struct client *wait_head, *wait_tail;
	unsigned int held;		/* clients of the port, any state */
	unsigned int waiting;
	struct sched_stats sched;
};

struct bipd {
	const struct bipd_opts *opts;
	struct loop *loop;
	struct conn_source source;
	int64_t (*clock)(void);		/* now_ms; tests replace it */
	struct stats stats;

	/* the card */
	struct apdu_link *card;		/* NULL: no card */
	bool card_failed;		/* a transmit failed: reconnect */
	bool ev_data;			/* SET UP EVENT LIST registered 09 */
	bool ev_status;			/* ... and 0A */
	bool ev_local;			/* ... and 0D (Local connection) */
	size_t fetch_len;		/* from 91xx: a command to FETCH */
	bool poll_soon;			/* ask with STATUS at once */
	int64_t next_poll;
	int64_t envelope_not_before;	/* after 93 00 */
	uint8_t deferred;		/* channel whose OPEN TR waits, 0 */
	unsigned int fetch_failures;	/* malformed commands in a row */
	bool card_refresh;		/* REFRESH seen: read the card's rules */

	struct channel chan[BIPD_MAX_CHANNELS + 1];	/* [0] unused */
	struct ev_item evq[BIPD_EVQ_MAX];
	unsigned int evq_head, evq_len;
	struct port_state ports[BIPD_MAX_PORTS];
	unsigned int n_ports;
	struct drain *drains;		/* connections being closed */
	struct client *clients;		/* every client connection held */

	/* downloads (download.c); NULL without control sockets */
	const struct dl_ops *dl_ops;
	struct dl_queue *dlq;

	/* the DM_SC Gateway; NULL without --dm-socket */
	const struct dm_gw_ops *dm_ops;
	void *dm_gw;
};

/* engine.c */
void bipd_init(struct bipd *b, const struct bipd_opts *o, struct loop *l,
	       const struct conn_source *src);
void bipd_fini(struct bipd *b);
/* TERMINAL PROFILE and the session that follows: 0, or < 0 when the
 * link failed (b->card_failed is set then too). */
int bipd_card_attach(struct bipd *b, struct apdu_link *link);
/* The card is gone (or we stop): close every connection, 0 channels. */
void bipd_card_detach(struct bipd *b);
/* Card work that is due, ports and the source brought up to date.
 * Returns when the engine wants to run again: 0 at once (more card work
 * waits), a CLOCK_MONOTONIC time in ms, or -1 for no deadline. */
int64_t bipd_tick(struct bipd *b);
/* A client connection for the card's port; the engine owns fd on success:
 * bound to a free LISTEN channel, or waiting for one in the port's FIFO.
 * 0, or -EBUSY when the card does not serve the port or the pump holds
 * --max-clients connections of it already (fd untouched). */
int bipd_conn_bind(struct bipd *b, uint16_t port, int fd, const char *desc);
/* How many more connections the pump takes for the port now. */
unsigned int bipd_port_room(const struct bipd *b, uint16_t port);
unsigned int bipd_port_free(const struct bipd *b, uint16_t port);

/* sched.c: client connections, the waiting FIFOs, reclaiming channels */
struct port_state *port_find(struct bipd *b, uint16_t port);
int sched_take(struct bipd *b, struct port_state *p, int fd,
	       const char *desc);
/* Binds waiters to free channels, takes idle channels back for them. */
void sched_run(struct bipd *b);
/* When an idle channel becomes reclaimable (-1: none). */
int64_t sched_next_deadline(struct bipd *b);
void sched_reap(struct bipd *b);
/* Every client connection closed (the card went away, or we stop). */
void sched_close_all(struct bipd *b);
/* Data path hooks: bytes each way, for the framing parsers. */
void sched_client_bytes(struct bipd *b, struct client *cl,
			const uint8_t *p, size_t n);
void sched_card_bytes(struct bipd *b, struct client *cl, const uint8_t *p,
		      size_t n);
/* HTTP framing shows every request the client sent answered: after its
 * FIN there is nothing to linger for. */
bool sched_settled(const struct channel *ch);
/* The bound connection's socket is gone (closed, or drained). */
void sched_conn_gone(struct bipd *b, struct channel *ch);
void sched_stats_log(struct bipd *b, int level, bool force);

/* cat.c: the toolkit session */
int cat_send_profile(struct bipd *b);
/* Runs card exchanges until nothing is due or the budget is spent. */
void cat_work(struct bipd *b, unsigned int budget);
bool cat_has_work(const struct bipd *b);
/* The status word of any command: notes a pending proactive command. */
void cat_note_sw(struct bipd *b, uint16_t sw);
/* Sends a finished TERMINAL RESPONSE. */
void cat_send_tr(struct bipd *b, const uint8_t *tr, size_t len);
/* One ENVELOPE: 0 with *sw, or < 0 when the link failed.  93 00 (busy)
 * holds further envelopes back for ENVELOPE_BUSY_MS. */
int cat_envelope(struct bipd *b, const uint8_t *env, size_t len,
		 uint16_t *sw);
#define ENVELOPE_BUSY_MS 100
/* An ENVELOPE whose answer matters (SMS-PP download: the Proof of
 * Receipt): sent with Le 00; 0 with *r (valid until the next exchange),
 * or < 0 when the link failed. */
int cat_envelope_resp(struct bipd *b, const uint8_t *env, size_t len,
		      const struct apdu_resp **r);

/* proactive.c: one fetched command, answered (or deferred).  -EBADMSG
 * when it does not parse and last_try is false (nothing was sent: fetch it
 * again); else 0. */
int proactive_handle(struct bipd *b, const uint8_t *cmd, size_t len,
		     bool last_try);
/* TERMINAL RESPONSE helpers: command details, device ids 82 -> 81. */
void tr_begin(struct cat_writer *w, uint8_t *buf, size_t cap,
	      const struct cmd_ref *ref);
void tr_simple(struct bipd *b, const struct cmd_ref *ref, uint8_t result,
	       const uint8_t *info, size_t info_len);
void cmd_ref_from(struct cmd_ref *ref, const struct cat_tlv *t);

/* bip_open.c / bip_data.c: the BIP commands (m is the parsed command) */
void bip_open_channel(struct bipd *b, const struct cmd_ref *ref,
		      const struct cat_msg *m);
void bip_connect_done(struct bipd *b, struct channel *ch, int err);
void bip_close_channel(struct bipd *b, const struct cmd_ref *ref,
		       const struct cat_msg *m);
void bip_receive_data(struct bipd *b, const struct cmd_ref *ref,
		      const struct cat_msg *m);
void bip_send_data(struct bipd *b, const struct cmd_ref *ref,
		   const struct cat_msg *m);
void bip_get_channel_status(struct bipd *b, const struct cmd_ref *ref);
/* The DM client went away: its open channel's link is dropped. */
void bip_dm_client_gone(struct bipd *b);

/* channel.c */
struct channel *chan_alloc(struct bipd *b, enum chan_kind kind,
			   uint16_t port, uint16_t bufsize);
/* The channel a command's destination device names, or NULL. */
struct channel *chan_by_device(struct bipd *b, uint8_t dev);
/* Starts the data path on a connected socket (non-blocking). */
int chan_attach_fd(struct bipd *b, struct channel *ch, int fd);
/* Ends the connection cleanly (unsent Tx still goes out), keeps the
 * channel: server channels go back to LISTEN. */
void chan_end_conn(struct bipd *b, struct channel *ch);
void chan_release(struct bipd *b, struct channel *ch);
void chan_status_bytes(const struct channel *ch, uint8_t out[2]);
/* Re-arms the socket's epoll events from the buffers' state. */
void chan_update_watch(struct channel *ch);
/* Reads what the socket holds into the free Rx space, now. */
void chan_refill(struct bipd *b, struct channel *ch);
/* Writes what the Tx buffer may write now. */
void chan_flush(struct bipd *b, struct channel *ch);
/* Reports connections whose peer left, once the card had its bytes. */
void chan_check_gone(struct bipd *b);
int64_t chan_next_deadline(const struct bipd *b);
/* A malformed command about this channel: log, close its connection. */
void chan_fault(struct bipd *b, struct channel *ch, const char *why);
/* Hands the socket back (to the scheduler) and tells the card the
 * connection ended: the channel is in LISTEN again.  Returns the fd. */
int chan_detach(struct bipd *b, struct channel *ch);

/* events.c */
void ev_queue_status(struct bipd *b, struct channel *ch);
/* ... with status byte 2 (e.g. 05, link dropped) given. */
void ev_queue_status_info(struct bipd *b, struct channel *ch, uint8_t info);
/* Events about the channel's current connection the card has not had;
 * dropping them, for a connection that ends before the card heard of it. */
bool ev_unsent_for(struct bipd *b, const struct channel *ch);
void ev_forget_conn(struct bipd *b, const struct channel *ch);
/* Any event about the channel still waits for the card. */
bool ev_pending_for_chan(const struct bipd *b, uint8_t chan);
void ev_queue_data(struct bipd *b, struct channel *ch);
/* Drops queued events of a channel (it closed). */
void ev_forget(struct bipd *b, uint8_t chan);
bool ev_pending(const struct bipd *b);
/* Sends the first queued event; false if none could be sent now. */
bool ev_send_one(struct bipd *b);
/* Local connection: the DM client name registered, or NULL: gone.  Sent
 * only while the card has 0D in its event list. */
void ev_queue_local(struct bipd *b, const char *name);

/* engine.c: ports */
/* Tells the source about every port whose counts changed. */
void ports_sync(struct bipd *b);
/* Every port is told again at the next sync (a new connection source). */
void ports_forget(struct bipd *b);
/* The same for one port: the source's answer (-EADDRNOTAVAIL: it cannot
 * serve the port). */
int ports_sync_port(struct bipd *b, uint16_t port);

/* drain.c: closing a socket without losing what is left to write */
void drain_start(struct bipd *b, int fd, struct bytebuf *tx);
void drain_reap(struct bipd *b);
void drain_all_stop(struct bipd *b);
int64_t drain_next_deadline(const struct bipd *b);

/* download.c: SMS-PP downloads from the control sockets */
struct dl_result {
	int err;		/* 0: the card answered; -ENODEV no card,
				 * -EBUSY busy too long, -ENOSPC queue full */
	uint16_t sw;
	const uint8_t *data;	/* the ENVELOPE's response data (PoR) */
	size_t len;
};
typedef void dl_done_fn(void *arg, const struct dl_result *r);
/* Sets the hooks up (b->dl_ops); 0 or -ENOMEM. */
int dl_init(struct bipd *b);
void dl_fini(struct bipd *b);
/* Queues an ENVELOPE; done is called exactly once (maybe at once, for no
 * card or a full queue), unless dl_cancel(arg) comes first. */
void dl_submit(struct bipd *b, const uint8_t *env, size_t len,
	       dl_done_fn *done, void *arg);
void dl_cancel(struct bipd *b, void *arg);

/* profile.c */
size_t terminal_profile(const struct bipd_opts *o, uint8_t *out,
			size_t cap);

#endif /* BIPD_H */
