/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-bootstrap.h - `scws-dmc bootstrap --from-card` and `--tnds FILE`:
 * a DMAcc as a TNDS object (dm-tnds.h), from the card's PKCS#15
 * application (dm-card.h) or a file, installed in the tree.
 *
 * The object may only add accounts under ./DMAcc, each complete (a
 * ServerID, an address, a CLCRED and a SRVCRED credential).  An account
 * without an ACL gets Get/Replace/Add/Delete for its own server, as a
 * bootstrap by options does.  When every account of the object already
 * exists (by ServerID) nothing changes and the command succeeds: the
 * server has managed the account since; when only some do, or anything
 * else is wrong, nothing changes and the command fails.
 */
#ifndef SCWS_DM_BOOTSTRAP_H
#define SCWS_DM_BOOTSTRAP_H

#include <stddef.h>

/* Whether a bootstrap command line asks for TNDS data (--from-card,
 * --tnds) rather than options. */
int dm_bootstrap_wants_tnds(int argc, char **argv);
/* The command: 0, 1 (refused or failed, the reason on stderr), 2 usage. */
int dm_bootstrap_tnds_main(int argc, char **argv, const char *tree_path,
			   int verbose);

/* The install on its own (tests, fuzzer): *tree replaced by the new tree
 * on success.  0 installed, 1 already there (tree unchanged), -1 with
 * err (tree unchanged). */
struct dm_node;
int dm_bootstrap_install(struct dm_node **tree, const char *tnds,
			 size_t len, char *msg, size_t msg_size);

#endif
