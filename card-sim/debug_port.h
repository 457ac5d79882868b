/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TEST TOOLING (--debug-port): the card's web server on a plain TCP socket
 * on 127.0.0.1, no BIP, no pcscd, no gateway.  Benchmarks use it to tell
 * the cost of the transport from the cost of the server.  Never a way in
 * for real clients: the whole point of the gateway is access control.
 */
#ifndef SCWS_CARD_DEBUG_PORT_H
#define SCWS_CARD_DEBUG_PORT_H

#include <poll.h>

struct scws_site;
struct debug_port;

/* The listener plus this many clients at once. */
#define DEBUG_PORT_CLIENTS 16
#define DEBUG_PORT_FDS (1 + DEBUG_PORT_CLIENTS)

struct debug_port *debug_port_new(int port, struct scws_site *site);
void debug_port_free(struct debug_port *d);

/* Fills pfd (at most max entries); returns how many. */
int debug_port_pollfds(struct debug_port *d, struct pollfd *pfd, int max);
/* Handles what poll() reported for the entries debug_port_pollfds gave. */
void debug_port_service(struct debug_port *d, const struct pollfd *pfd,
			int n);

#endif /* SCWS_CARD_DEBUG_PORT_H */
