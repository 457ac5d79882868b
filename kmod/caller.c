// SPDX-License-Identifier: GPL-2.0
/*
 * Caller identity: who is behind a connection to an SCWS port.
 *
 * Captured by reference in connect() context (no string work on the hot
 * path), turned into netlink attributes only when someone asks.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/security.h>
#include <net/sock.h>

#include "scws.h"

/* Runs in the connecting task, under rcu_read_lock: must not sleep. */
void scws_caller_capture(struct scws_caller *c)
{
	struct mm_struct *mm = current->mm;
	struct file *exe = NULL;

	c->pid = get_pid(task_tgid(current));
	c->cred = get_current_cred();
	security_current_getsecid_subj(&c->secid);
	if (mm) {
		rcu_read_lock();
		exe = rcu_dereference(mm->exe_file);
		if (exe && !get_file_rcu(exe))
			exe = NULL;
		rcu_read_unlock();
	}
	c->exe = exe;
}

/*
 * A SYN not sent from connect() (a retransmit whose socket we never saw):
 * current is unrelated, so trust only the credentials the socket was opened
 * with.
 */
void scws_caller_from_sock(struct scws_caller *c, const struct sock *sk)
{
	const struct socket *sock = sk->sk_socket;

	memset(c, 0, sizeof(*c));
	if (sock && sock->file)
		c->cred = get_cred(sock->file->f_cred);
}

void scws_caller_release(struct scws_caller *c)
{
	put_pid(c->pid);
	if (c->cred)
		put_cred(c->cred);
	if (c->exe)
		fput(c->exe);
	memset(c, 0, sizeof(*c));
}

/* Put a string that may lack a NUL, cut to max - 1 bytes. */
static int scws_put_strn(struct sk_buff *skb, int type, const char *s,
			 size_t len, size_t max)
{
	struct nlattr *attr;
	char *data;

	len = strnlen(s, min(len, max - 1));
	attr = nla_reserve(skb, type, len + 1);
	if (!attr)
		return -EMSGSIZE;
	data = nla_data(attr);
	memcpy(data, s, len);
	data[len] = '\0';
	return 0;
}

static int scws_caller_put_label(struct sk_buff *skb, u32 secid)
{
	char *ctx;
	u32 len;
	int err;

	if (!secid || security_secid_to_secctx(secid, &ctx, &len))
		return 0;
	err = scws_put_strn(skb, SCWS_CALLER_A_LABEL, ctx, len,
			    SCWS_LABEL_MAX);
	security_release_secctx(ctx, len);
	return err;
}

/*
 * The path exe rules are matched against; left out when there is none
 * (see scws_exe_path()) or it is longer than we report.
 */
static int scws_caller_put_exe(struct sk_buff *skb,
			       const struct scws_caller *c)
{
	char buf[SCWS_EXE_MAX];
	const char *path;

	if (!c->exe)
		return 0;
	rcu_read_lock();
	path = scws_exe_path(c, buf, sizeof(buf));
	rcu_read_unlock();
	return path ? nla_put_string(skb, SCWS_CALLER_A_EXE, path) : 0;
}

int scws_caller_fill(struct sk_buff *skb, const struct scws_caller *c,
		     struct user_namespace *ns)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, SCWS_CONN_A_CALLER);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SCWS_CALLER_A_PID, c->pid ? pid_nr(c->pid) : 0))
		goto cancel;
	if (c->cred &&
	    (nla_put_u32(skb, SCWS_CALLER_A_UID,
			 from_kuid_munged(ns, c->cred->euid)) ||
	     nla_put_u32(skb, SCWS_CALLER_A_GID,
			 from_kgid_munged(ns, c->cred->egid))))
		goto cancel;
	if (scws_caller_put_label(skb, c->secid) ||
	    scws_caller_put_exe(skb, c))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
