// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * se_ident.c - the peer of an APDU access connection (se_ident.h).
 */
#include "se_ident.h"
#include "scws-sig.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif
#define SIG_MAX 65536

int se_peer_get(int fd, struct se_peer *p)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char label[SEAC_PKG_MAX + 2];

	memset(p, 0, sizeof(*p));
	p->pidfd = -1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	p->pid = cred.pid;
	p->uid = cred.uid;
	len = sizeof(p->pidfd);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &p->pidfd, &len) < 0) {
		/* Older kernels: a pidfd now, checked again later. */
		p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
		if (p->pidfd < 0)
			return -errno;
	}
	len = sizeof(label) - 1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERSEC, label, &len) == 0 &&
	    len < sizeof(label) - 1) {
		label[len] = '\0';
		len = (socklen_t)strcspn(label, "\n");
		label[len] = '\0';
		/* A label a PKG-REF-DO could name: printable, no blank. */
		for (socklen_t i = 0; i < len; i++)
			if (label[i] < 0x21 || label[i] > 0x7E)
				len = 0;
		if (len && len <= SEAC_PKG_MAX)
			memcpy(p->label, label, len + 1);
	}
	return 0;
}

void se_peer_drop(struct se_peer *p)
{
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
}

static bool alive(const struct se_peer *p)
{
	return syscall(SYS_pidfd_send_signal, p->pidfd, 0, NULL, 0) == 0;
}

static void check_sig(int exe, X509 *const *anchors, size_t n,
		      struct se_caller *c)
{
	uint8_t stmt[SCWS_SIG_STATEMENT_LEN], *sig = malloc(SIG_MAX);
	struct scws_sig_result res;
	ssize_t len;

	c->sig = "none";
	if (!sig)
		return;
	len = fgetxattr(exe, SCWS_SIG_XATTR, sig, SIG_MAX);
	if (len <= 0)
		goto out;
	if (lseek(exe, 0, SEEK_SET) < 0 || scws_sig_statement_fd(exe, stmt)) {
		c->sig = "unreadable executable";
		goto out;
	}
	memset(&res, 0, sizeof(res));
	if (scws_sig_verify(sig, (size_t)len, stmt, &res)) {
		c->sig = res.problem ? res.problem : "invalid";
		goto out;
	}
	if (!scws_sig_chains(res.signer, anchors, n)) {
		c->sig = "valid, but the signer is not trusted";
	} else {
		c->sig = "valid, trusted";
		c->app.signed_app = true;
		memcpy(c->app.sha1, res.signer_sha1, sizeof(c->app.sha1));
		memcpy(c->app.sha256, res.signer_sha256,
		       sizeof(c->app.sha256));
	}
	scws_sig_result_free(&res);
out:
	free(sig);
}

int se_caller_get(const struct se_peer *p, X509 *const *anchors,
		  size_t n_anchors, struct se_caller *c)
{
	char path[64];
	ssize_t n;
	int exe;

	memset(c, 0, sizeof(*c));
	c->app.label = p->label[0] ? p->label : NULL;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)p->pid);
	exe = open(path, O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		return -ESRCH;
	/* The file is ours now; is the PID still the peer? */
	if (!alive(p)) {
		close(exe);
		return -ESRCH;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", exe);
	n = readlink(path, c->exe, sizeof(c->exe) - 1);
	c->exe[n > 0 ? n : 0] = '\0';
	check_sig(exe, anchors, n_anchors, c);
	close(exe);
	return 0;
}
