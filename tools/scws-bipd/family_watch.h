/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * family_watch.h - learning that the scws module went away and came back.
 *
 * A socket on the generic netlink controller's "notify" group: the pump
 * hears CTRL_CMD_DELFAMILY when scws.ko is removed (its registration and
 * the family id die with it) and CTRL_CMD_NEWFAMILY when it is loaded
 * again, and calls fn with GENL_FAMILY_DEL or GENL_FAMILY_NEW.
 */
#ifndef BIPD_FAMILY_WATCH_H
#define BIPD_FAMILY_WATCH_H

#include "genl-family-event.h"
#include "loop.h"

struct family_watch;

typedef void (*family_watch_fn)(void *arg, enum genl_family_change change);

/* 0 or -errno; watches in loop l until family_watch_close(). */
int family_watch_open(struct family_watch **fwp, struct loop *l,
		      const char *family, family_watch_fn fn, void *arg);
void family_watch_close(struct family_watch *fw);

#endif /* BIPD_FAMILY_WATCH_H */
