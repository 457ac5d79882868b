/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ctl.h - the pump's local sockets for triggers:
 *
 *   the control socket (--ctl-socket, default /run/scws/bipd.ctl): mode
 *   0600, root only (SO_PEERCRED), the line protocol of bipd-ctl.h;
 *   `scwsctl push sms` speaks it.
 *
 *   the push endpoint (--push-socket, default /run/scws/push.sock): the
 *   SCWS gateway's HTTP side of SCWS-6 (push_http.h), owned by and only
 *   usable by --push-user (scws-pushd) and root.
 *
 * Both turn a request into an SMS-PP download (download.c) and answer with
 * what the card said.
 */
#ifndef BIPD_CTL_H
#define BIPD_CTL_H

#include "bipd.h"

struct ctl;

/* Opens the sockets the options ask for; 0 or -errno (logged). */
int ctl_open(struct ctl **cp, struct bipd *b, struct loop *l,
	     const struct bipd_opts *o);
void ctl_close(struct ctl *c);

#endif /* BIPD_CTL_H */
