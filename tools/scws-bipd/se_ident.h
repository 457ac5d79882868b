/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * se_ident.h - who is on the other end of an APDU access connection.
 *
 * At accept: SO_PEERCRED (pid, uid), SO_PEERPIDFD (a pidfd for that
 * process; pidfd_open() on kernels without it) and SO_PEERSEC (the LSM
 * label, the PKG-REF-DO counterpart).  Every request carries the
 * sender's credentials (SO_PASSCRED): only the process that connected
 * may use the connection, so a child that inherits the socket is not
 * taken for its parent.  At each channel opening the executable is
 * opened through /proc/PID/exe, and the pidfd then confirms the process
 * is still alive (the PID was not reused meanwhile); the executable's
 * trusted.scws.sig signature is checked like the kernel does
 * (scws-sig.h), and a signer that is, or is issued by, a trusted
 * certificate (the manufacturer's directory, the card's) gives the
 * SEAC DeviceAppID: the SHA-1 and SHA-256 of the signing certificate.
 */
#ifndef BIPD_SE_IDENT_H
#define BIPD_SE_IDENT_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include <openssl/x509.h>

#include "seac-resolve.h"

struct se_peer {
	pid_t pid;
	uid_t uid;
	int pidfd;			/* -1: none */
	char label[SEAC_PKG_MAX + 1];	/* "" without an LSM label */
};

struct se_caller {
	char exe[PATH_MAX];
	struct seac_app app;		/* app.label points to the peer's */
	const char *sig;		/* "none", "valid, trusted", why not */
};

/* Fills p from the accepted socket fd: 0 or -errno. */
int se_peer_get(int fd, struct se_peer *p);
void se_peer_drop(struct se_peer *p);

/* The executable of p and its signature, checked against the anchors.
 * 0, or -ESRCH when the process is gone (or its PID no longer is it). */
int se_caller_get(const struct se_peer *p, X509 *const *anchors,
		  size_t n_anchors, struct se_caller *c);

#endif /* BIPD_SE_IDENT_H */
