/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-listen.h - `scws-dmc listen`: the card's package #0 notifications
 * through scws-bipd's DM_SC Gateway (OMA DM Smart Card, dmsc-msg.h).
 */
#ifndef SCWS_DM_LISTEN_H
#define SCWS_DM_LISTEN_H

#include <stddef.h>
#include <stdint.h>

/* main.c: what `notify` does with package #0 (check it, run the session
 * it asks for): 0, or 1 with the reason on stderr. */
int dmc_notify_run(const uint8_t *buf, size_t len, const char *cafile);
/* main.c: takes the tree's lock; the descriptor to close, or -1. */
int dmc_lock_tree(void);

/* The listen subcommand; returns the exit status. */
int cmd_listen(int argc, char **argv, const char *cafile, int verbose);

#endif
