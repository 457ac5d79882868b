/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * pushd.h - scws-pushd, the SCWS Push Gateway (OMA SCWS SCWS-6 over
 * PUSH-OTA-SIP): SIP MESSAGE requests in (UDP, libosip2's parser and its
 * non-INVITE server transactions), checked (validate.h), forwarded to the
 * pump's push endpoint (forward.h), answered with what became of them.
 */
#ifndef SCWS_PUSHD_H
#define SCWS_PUSHD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <osip2/osip.h>

#include "config.h"
#include "forward.h"

#define PUSHD_PENDING_MAX 16	/* pushes waiting for the card at once */
#define PUSHD_FWD_TIMEOUT_MS 15000
#define PUSHD_DGRAM_MAX 8192

struct pushd_opts {
	const char *listen;	/* ADDR:PORT, loopback */
	const char *config;
	const char *pump_socket;
	bool foreground;
	int verbose;
};

struct pending;

/* Per transaction: where answers go (the request's source, RFC 3581
 * style, never a Via host the sender chose) and the forward under way. */
struct ptx {
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct pending *p;
};

struct pending {
	bool used;
	osip_transaction_t *tr;	/* NULL once the transaction is gone */
	struct fwd f;
	int64_t deadline;
};

struct pushd {
	struct pushd_opts opts;
	struct pushd_config cfg;
	osip_t *osip;
	int udp;
	struct pending pend[PUSHD_PENDING_MAX];
	uint64_t received, forwarded, refused, failed;
};

/* sip.c */
int sip_init(struct pushd *d);
void sip_fini(struct pushd *d);
/* A datagram from peer: parsed, matched to its transaction or a new one. */
void sip_datagram(struct pushd *d, const char *buf, size_t n,
		  const struct sockaddr_storage *peer, socklen_t plen);
/* The transactions' work and timers. */
void sip_run(struct pushd *d);
/* A forward finished (or failed): the transaction's final answer. */
void sip_forward_done(struct pushd *d, struct pending *p, int result);

int64_t pushd_now_ms(void);
void pushd_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* SCWS_PUSHD_H */
