// SPDX-License-Identifier: GPL-2.0
/*
 * Counts of the module's objects alive now, in every network namespace, for
 * tests that must see a teardown finish (a deleted namespace's listeners,
 * connections and caller records freed) without a debug kernel.
 */
#include <linux/moduleparam.h>

#include "scws.h"

struct scws_live scws_live;

static int scws_live_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "nets=%d listeners=%d conns=%d records=%d\n",
			  atomic_read(&scws_live.nets),
			  atomic_read(&scws_live.listeners),
			  atomic_read(&scws_live.conns),
			  atomic_read(&scws_live.records));
}

static const struct kernel_param_ops scws_live_ops = {
	.get = scws_live_get,
};

module_param_cb(live, &scws_live_ops, NULL, 0444);
MODULE_PARM_DESC(live, "Namespaces with scws state, listening sockets, connections and caller records alive now (read only)");
