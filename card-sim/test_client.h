/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TEST TOOLING (--test-client ADDR:PORT): on SIGUSR2 the card opens a TCP
 * client channel to ADDR:PORT (IPv4, or [IPv6]) through the terminal,
 * sends one line and expects one line back, then closes the channel.  It
 * lets the gateway's client channels be tested end to end before the
 * administration agent triggers them; never a feature of the card.
 */
#ifndef SCWS_CARD_TEST_CLIENT_H
#define SCWS_CARD_TEST_CLIENT_H

#include <stdbool.h>

struct cat;

/* Checks ADDR:PORT; true if it parses. */
bool test_client_check(const char *spec);
/* Opens the channel (logs the outcome); 0 or -errno. */
int test_client_start(struct cat *c, const char *spec);

#endif /* SCWS_CARD_TEST_CLIENT_H */
