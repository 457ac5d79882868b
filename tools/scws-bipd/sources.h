/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sources.h - where client connections come from.
 *
 * The product path is the scws kernel module (src_module.c): it owns the
 * SCWS ports, applies the access control policy and hands each permitted
 * connection to the pump over generic netlink.  The TEST TOOLING path
 * (src_listen.c, --no-module) listens on 127.0.0.1 itself, for hosts that
 * cannot load the module; it checks nothing about the caller.
 */
#ifndef BIPD_SOURCES_H
#define BIPD_SOURCES_H

#include "bipd.h"

/* Both fill *src (ops and state) and start watching in loop l; the engine
 * b is told about connections.  0 or -errno (logged). */
int src_module_open(struct conn_source *src, struct bipd *b, struct loop *l);
void src_module_close(struct conn_source *src);

int src_listen_open(struct conn_source *src, struct bipd *b, struct loop *l,
		    const struct bipd_opts *o);
void src_listen_close(struct conn_source *src);

/* main.c: a source that can no longer work asks the pump to exit. */
void main_stop(int exit_code);
/* main.c: the module's family is gone (a command got -ENOENT). */
void main_source_lost(void);

#endif /* BIPD_SOURCES_H */
