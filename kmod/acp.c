// SPDX-License-Identifier: GPL-2.0
/*
 * Access control decisions: who the caller is, as far as the policy needs
 * to know, and the first rule that matches it.
 */
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/hash.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "scws.h"
#include "policy.h"

/*
 * What a namespace without a policy does.  "all" (the default) lets every
 * caller in: OMA SCWS's fourth kind of rule, what a card without access
 * rules asks for, and what a system without a pump never reaches (no pump,
 * no connection).  "deny" refuses every caller until a policy is loaded,
 * for systems that would rather fail closed if the pump loads none.
 */
static bool scws_no_policy_deny __read_mostly;

static int scws_no_policy_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "all"))
		WRITE_ONCE(scws_no_policy_deny, false);
	else if (sysfs_streq(val, "deny"))
		WRITE_ONCE(scws_no_policy_deny, true);
	else
		return -EINVAL;
	return 0;
}

static int scws_no_policy_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  READ_ONCE(scws_no_policy_deny) ? "deny" : "all");
}

static const struct kernel_param_ops scws_no_policy_ops = {
	.set = scws_no_policy_set,
	.get = scws_no_policy_get,
};

module_param_cb(no_policy, &scws_no_policy_ops, NULL, 0644);
MODULE_PARM_DESC(no_policy, "A namespace without a policy: all (default) or deny");

static bool scws_in_groups(const struct group_info *gi, kgid_t g)
{
	int i;

	for (i = 0; gi && i < gi->ngroups; i++)
		if (gid_eq(gi->gid[i], g))
			return true;
	return false;
}

static bool scws_digest_matches(const struct scws_rule *r,
				const struct scws_subject *s)
{
	if (s->digest_state != SCWS_DIGEST_KNOWN)
		return false;
	return !(r->sel & SCWS_SEL_DIGEST) ||
	       !memcmp(r->digest, s->digest, SCWS_SHA256_LEN);
}

/* trusted manufacturer|any, signer-sha256, signer-sha1 (sign.c). */
static bool scws_sig_matches(const struct scws_rule *r,
			     const struct scws_subject *s)
{
	u8 flags = s->sig.flags;
	u8 want;

	if (s->sig_state != SCWS_DIGEST_KNOWN || !(flags & SCWS_SIG_SIGNED))
		return false;
	if (r->sel & SCWS_SEL_TRUSTED) {
		want = SCWS_SIG_MANUFACTURER;
		if (r->trusted == SCWS_TRUST_ANY)
			want |= SCWS_SIG_CARD;
		if (!(flags & want))
			return false;
	}
	if ((r->sel & SCWS_SEL_SIGNER_SHA256) &&
	    memcmp(r->signer_sha256, s->sig.signer_sha256, SCWS_SHA256_LEN))
		return false;
	if ((r->sel & SCWS_SEL_SIGNER_SHA1) &&
	    (!(flags & SCWS_SIG_SHA1) ||
	     memcmp(r->signer_sha1, s->sig.signer_sha1, SCWS_SHA1_LEN)))
		return false;
	return true;
}

/*
 * An allow rule names the executable by its path from the system's root; a
 * deny rule also matches the path the caller sees (in a chroot or another
 * mount namespace), so moving a file out of sight never escapes a denial.
 */
static bool scws_exe_matches(const struct scws_rule *r,
			     const struct scws_subject *s)
{
	if (s->exe && !strcmp(s->exe, r->exe))
		return true;
	return r->action == SCWS_ACTION_DENY && s->exe_seen &&
	       !strcmp(s->exe_seen, r->exe);
}

bool scws_rule_matches(const struct scws_policy *p, const struct scws_rule *r,
		       const struct scws_subject *s)
{
	u32 sel = r->sel;

	if (r->port && r->port != s->port)
		return false;
	if (sel & SCWS_SEL_ALL)
		return true;
	/* What the caller could have forged grants nothing. */
	if ((sel & SCWS_SEL_EXECUTABLE) && r->action == SCWS_ACTION_ALLOW &&
	    !s->exe_vouches)
		return false;
	if ((sel & SCWS_SEL_UID) && (s->uid < r->uid_min || s->uid > r->uid_max))
		return false;
	if ((sel & SCWS_SEL_GID) && s->gid != r->gid)
		return false;
	if ((sel & SCWS_SEL_GROUP) && !scws_in_groups(s->groups, r->group))
		return false;
	if ((sel & SCWS_SEL_LABEL) && (!s->label || strcmp(s->label, r->label)))
		return false;
	if ((sel & SCWS_SEL_LABEL_PREFIX) &&
	    (!s->label || !str_has_prefix(s->label, r->label_prefix)))
		return false;
	if ((sel & SCWS_SEL_EXE) && !scws_exe_matches(r, s))
		return false;
	if ((sel & SCWS_SEL_NEEDS_DIGEST) && !scws_digest_matches(r, s))
		return false;
	if ((sel & SCWS_SEL_NEEDS_SIG) && !scws_sig_matches(r, s))
		return false;
	return true;
}

/*
 * Formatting an LSM context allocates and prints (AppArmor builds the label
 * text each time), which is most of a decision's cost: keep the last texts,
 * briefly.  Secids of AppArmor and Smack are never reused in practice and
 * SELinux keeps them for a policy's life; a second is enough to skip the
 * work for bursts of connects without ever keeping a stale text long.
 */
#define SCWS_LABEL_SLOTS_BITS	6

struct scws_label_slot {
	u32 secid;			/* 0: empty */
	unsigned long stamp;		/* jiffies when formatted */
	char label[SCWS_LABEL_MAX];
};

static struct scws_label_slot scws_label_slots[1 << SCWS_LABEL_SLOTS_BITS];
static DEFINE_SPINLOCK(scws_label_lock);	/* taken in the hook */

static bool scws_label_cached(u32 secid, char *buf, size_t size)
{
	struct scws_label_slot *slot;
	bool hit;

	slot = &scws_label_slots[hash_32(secid, SCWS_LABEL_SLOTS_BITS)];
	spin_lock_bh(&scws_label_lock);
	hit = slot->secid == secid && time_before(jiffies, slot->stamp + HZ);
	if (hit)
		strscpy(buf, slot->label, size);
	spin_unlock_bh(&scws_label_lock);
	return hit;
}

static void scws_label_remember(u32 secid, const char *label)
{
	struct scws_label_slot *slot;

	slot = &scws_label_slots[hash_32(secid, SCWS_LABEL_SLOTS_BITS)];
	spin_lock_bh(&scws_label_lock);
	slot->secid = secid;
	slot->stamp = jiffies;
	strscpy(slot->label, label, sizeof(slot->label));
	spin_unlock_bh(&scws_label_lock);
}

/*
 * The LSM context of @secid in @buf, or NULL when there is none or it is too
 * long to compare (rules hold at most SCWS_LABEL_MAX - 1 bytes).  Some LSMs
 * count the NUL in the length, others don't.
 */
static const char *scws_label_of(u32 secid, char *buf, size_t size)
{
	const char *label = NULL;
	char *ctx;
	u32 len, n;

	if (!secid)
		return NULL;
	if (scws_label_cached(secid, buf, size))
		return buf;
	if (security_secid_to_secctx(secid, &ctx, &len))
		return NULL;
	/* AppArmor adds " (enforce)" etc. with apparmor.display_secid_mode. */
	n = scws_label_mode_len(ctx, strnlen(ctx, len));
	if (n < size) {
		memcpy(buf, ctx, n);
		buf[n] = '\0';
		label = buf;
		scws_label_remember(secid, label);
	}
	security_release_secctx(ctx, len);
	return label;
}

struct scws_cand {
	const u32 *idx;
	u32 n, pos;
};

/* Is the subject's key for index @kind known at all? */
static bool scws_subject_has(const struct scws_subject *s, int kind)
{
	switch (kind) {
	case SCWS_IDX_DIGEST:
		return s->digest_state == SCWS_DIGEST_KNOWN;
	case SCWS_IDX_SIGNER256:
		return s->sig_state == SCWS_DIGEST_KNOWN &&
		       (s->sig.flags & SCWS_SIG_SIGNED);
	case SCWS_IDX_SIGNER1:
		return s->sig_state == SCWS_DIGEST_KNOWN &&
		       (s->sig.flags & SCWS_SIG_SHA1);
	case SCWS_IDX_EXE:
		return s->exe;
	case SCWS_IDX_LABEL:
		return s->label;
	default:
		return true;
	}
}

/*
 * First match over the candidate lists (each ascending) merged in rule
 * order: the index lists the subject's keys select, and the rules that
 * have no indexable selector.
 */
enum scws_verdict scws_policy_decide(const struct scws_policy *p,
				     const struct scws_subject *s,
				     struct scws_decision_info *info)
{
	bool digest_unknown = s->digest_state == SCWS_DIGEST_UNKNOWN ||
			      s->sig_state == SCWS_DIGEST_UNKNOWN;
	struct scws_cand c[SCWS_IDX_KINDS + 2];
	const struct scws_index_entry *e;
	int kind, n = 0, k, best;
	u32 i;

	for (kind = 0; kind < SCWS_IDX_KINDS; kind++) {
		if (!scws_subject_has(s, kind))
			continue;
		e = scws_index_find(p, kind, s);
		if (e)
			c[n++] = (struct scws_cand){ e->rules, e->n, 0 };
	}
	/* Deny rules also match the path the caller sees. */
	if (s->exe_seen && (!s->exe || strcmp(s->exe, s->exe_seen))) {
		struct scws_subject seen = { .exe = s->exe_seen };

		e = scws_index_find(p, SCWS_IDX_EXE, &seen);
		if (e)
			c[n++] = (struct scws_cand){ e->rules, e->n, 0 };
	}
	c[n++] = (struct scws_cand){ p->scan, p->nscan, 0 };

	for (;;) {
		best = -1;
		for (k = 0; k < n; k++)
			if (c[k].pos < c[k].n &&
			    (best < 0 || c[k].idx[c[k].pos] < c[best].idx[c[best].pos]))
				best = k;
		if (best < 0)
			break;
		i = c[best].idx[c[best].pos++];
		/* A digest or signature rule at or before this one might
		 * match first.
		 */
		if (digest_unknown && i >= p->first_digest_rule)
			return SCWS_VERDICT_DEFER;
		if (scws_rule_matches(p, &p->rules[i], s)) {
			info->kind = SCWS_DECISION_RULE;
			info->rule = i;
			return p->rules[i].action == SCWS_ACTION_ALLOW ?
				SCWS_VERDICT_ALLOW : SCWS_VERDICT_DENY;
		}
	}
	if (digest_unknown && p->first_digest_rule < p->nrules)
		return SCWS_VERDICT_DEFER;
	info->kind = SCWS_DECISION_DEFAULT;
	info->rule = 0;
	return p->default_action == SCWS_ACTION_ALLOW ?
		SCWS_VERDICT_ALLOW : SCWS_VERDICT_DENY;
}

/*
 * The caller's root directory: that of the task we run in when it is the
 * caller (connect()), else that of the caller's thread group leader.  No
 * reference is taken: call under rcu_read_lock, which keeps the mount and
 * dentry from being freed (both go after a grace period).
 */
static bool scws_caller_root(const struct scws_caller *c, struct path *root)
{
	struct task_struct *t = current;
	bool ok = false;

	if (!c->pid)
		return false;
	if (task_tgid(current) != c->pid) {
		t = pid_task(c->pid, PIDTYPE_PID);
		if (!t)
			return false;
	}
	task_lock(t);
	if (t->fs) {
		spin_lock(&t->fs->lock);
		*root = t->fs->root;
		spin_unlock(&t->fs->lock);
		ok = true;
	}
	task_unlock(t);
	return ok;
}

/*
 * The path exe rules are matched against, in @buf: @c's executable seen
 * from @c's root directory, " (deleted)" appended when unlinked.  NULL when
 * the path is too long, when the file cannot be reached from that root
 * (it lives in a mount namespace other than the caller's: exec through
 * /proc/PID/root or a passed fd), or when the caller is chrooted into a
 * directory (its view of the tree is one someone made for it).  A mount
 * namespace of the caller's own (ip netns exec, systemd's ProtectSystem=)
 * counts: only its user namespace's admin can shape it, and callers in
 * another user namespace than the policy's are never vouched for.  The
 * text comes from d_path(), which resolves against the root of the task we
 * run in (6.1 exports nothing that takes another root): the caller's in
 * connect(), the system's in the module's workers, which gives the same
 * text unless the caller is chrooted onto a mount.  Process context,
 * under rcu_read_lock.
 */
const char *scws_exe_path(const struct scws_caller *c, char *buf, size_t size)
{
	struct path root;
	char *path;

	/* Not from softirq: path_is_under() takes mount_lock. */
	if (!c->exe || !in_task() || !scws_caller_root(c, &root))
		return NULL;
	if (root.dentry != root.mnt->mnt_root ||
	    !path_is_under(&c->exe->f_path, &root))
		return NULL;
	path = d_path(&c->exe->f_path, buf, size);
	return IS_ERR(path) ? NULL : path;
}

/*
 * May the executable speak for the caller?  Not when the caller's
 * credentials live in a user namespace other than the one owning the
 * network namespace: there it can replace its exe link (PR_SET_MM_MAP) or
 * mount its own file over a system path.  Nor when the file is on a file
 * system mounted from a user namespace, whose owner decides its contents.
 */
static bool scws_exe_vouches(const struct net *net,
			     const struct scws_caller *c)
{
	return c->cred && c->exe && c->cred->user_ns == net->user_ns &&
	       scws_file_vouchable(c->exe);
}

static void scws_subject_exe(struct scws_subject *s,
			     const struct scws_caller *c,
			     char *buf, char *seen_buf, size_t size)
{
	char *path;

	s->exe = scws_exe_path(c, buf, size);
	if (s->exe) {
		s->exe_seen = s->exe;
		return;
	}
	/* From the root of the task we run in: the caller's view. */
	path = d_path(&c->exe->f_path, seen_buf, size);
	if (!IS_ERR(path))
		s->exe_seen = path;
}

/*
 * The sleeping part of a decision beyond hashing: check the signature of
 * @c's executable when a rule of @sn's policy needs it (the verdict is
 * cached, so the next decision finds it).  Process context, after the
 * digest is in the cache: judge.c's connect() and held.c's worker.
 */
void scws_acp_examine(struct scws_net *sn, const struct scws_caller *c)
{
	const struct scws_policy *p;
	bool sigs;

	if (!c->exe || !c->cred)
		return;
	rcu_read_lock();
	p = rcu_dereference(sn->policy);
	sigs = p && (p->needs & SCWS_SEL_NEEDS_SIG);
	rcu_read_unlock();
	if (sigs)
		scws_sig_examine(c->exe, c->cred);
}

/*
 * Decide for @c connecting to @port.  Works in atomic context (the hook):
 * the LSM context is formatted with GFP_ATOMIC by the LSMs, the path is
 * built in @exe_buf, and a digest not in the cache makes it DEFER unless
 * @hashed says the caller's executable was hashed already (then a missing
 * digest means "no executable").
 */
enum scws_verdict scws_acp_decide(struct scws_net *sn, u16 port,
				  const struct scws_caller *c, bool hashed,
				  struct scws_decision_info *info)
{
	const struct scws_policy *p;
	struct scws_subject s = { .port = port };
	char label_buf[SCWS_LABEL_MAX];
	char exe_buf[SCWS_EXE_MAX];
	char seen_buf[SCWS_EXE_MAX];
	enum scws_verdict v;

	/* The callers that pass @hashed run in process context. */
	if (hashed)
		scws_acp_examine(sn, c);

	rcu_read_lock();
	p = rcu_dereference(sn->policy);
	if (!p) {
		rcu_read_unlock();
		info->kind = SCWS_DECISION_NO_POLICY;
		info->rule = 0;
		return READ_ONCE(scws_no_policy_deny) ? SCWS_VERDICT_DENY :
							SCWS_VERDICT_ALLOW;
	}
	if (c->cred) {
		s.uid = from_kuid(sn->net->user_ns, c->cred->euid);
		s.gid = from_kgid(sn->net->user_ns, c->cred->egid);
		s.groups = c->cred->group_info;
	} else {
		s.uid = (u32)-1;
		s.gid = (u32)-1;
	}
	if (p->needs & SCWS_SEL_NEEDS_LABEL)
		s.label = scws_label_of(c->secid, label_buf, sizeof(label_buf));
	if ((p->needs & SCWS_SEL_EXE) && c->exe)
		scws_subject_exe(&s, c, exe_buf, seen_buf, sizeof(exe_buf));
	s.exe_vouches = scws_exe_vouches(sn->net, c);
	s.digest_state = SCWS_DIGEST_NONE;
	if ((p->needs & SCWS_SEL_NEEDS_DIGEST) && c->exe) {
		if (scws_digest_lookup(c->exe, s.digest))
			s.digest_state = SCWS_DIGEST_KNOWN;
		else if (!hashed)
			s.digest_state = SCWS_DIGEST_UNKNOWN;
	}
	s.sig_state = SCWS_DIGEST_NONE;
	if ((p->needs & SCWS_SEL_NEEDS_SIG) && c->exe) {
		if (s.digest_state == SCWS_DIGEST_KNOWN &&
		    scws_sig_lookup(c->exe, s.digest, &s.sig))
			s.sig_state = SCWS_DIGEST_KNOWN;
		else
			s.sig_state = SCWS_DIGEST_UNKNOWN;	/* never unchecked */
	}
	v = scws_policy_decide(p, &s, info);
	rcu_read_unlock();
	return v;
}
