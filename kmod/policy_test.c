// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the access control policy: each selector, first-match
 * order, port scope, the default, the index against a plain linear scan on
 * thousands of random rules, swaps under concurrent lookups, and the
 * validation of POLICY_SET.  Included by policy.c to reach its statics.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/random.h>

static struct scws_policy *scws_test_policy(struct kunit *test, u32 n,
					    u8 default_action)
{
	struct scws_policy *p = scws_policy_alloc(n);

	KUNIT_ASSERT_NOT_NULL(test, p);
	p->nrules = n;
	p->default_action = default_action;
	return p;
}

static void scws_test_index(struct kunit *test, struct scws_policy *p)
{
	KUNIT_ASSERT_EQ(test, scws_policy_index(p), 0);
}

static struct scws_subject scws_test_subject(u32 uid)
{
	return (struct scws_subject){
		.port = 3516, .uid = uid, .gid = uid,
		.digest_state = SCWS_DIGEST_NONE, .exe_vouches = true,
	};
}

static enum scws_verdict scws_test_decide(struct scws_policy *p,
					  const struct scws_subject *s,
					  u32 *rule)
{
	struct scws_decision_info info = {};
	enum scws_verdict v = scws_policy_decide(p, s, &info);

	*rule = info.kind == SCWS_DECISION_RULE ? info.rule : U32_MAX;
	return v;
}

static void scws_policy_test_selectors(struct kunit *test)
{
	struct scws_policy *p = scws_test_policy(test, 8, SCWS_ACTION_DENY);
	struct group_info *gi = groups_alloc(1);
	struct scws_subject s;
	u32 rule;

	KUNIT_ASSERT_NOT_NULL(test, gi);
	gi->gid[0] = KGIDT_INIT(600);
	p->rules[0] = (struct scws_rule){ .sel = SCWS_SEL_UID, .uid_min = 10,
					  .uid_max = 19, .action = 1 };
	p->rules[1] = (struct scws_rule){ .sel = SCWS_SEL_GID, .gid = 500,
					  .action = 1 };
	p->rules[2] = (struct scws_rule){ .sel = SCWS_SEL_GROUP,
					  .group = KGIDT_INIT(600), .action = 1 };
	p->rules[3] = (struct scws_rule){ .sel = SCWS_SEL_LABEL,
					  .label = kstrdup("snap.a", GFP_KERNEL),
					  .action = 1 };
	p->rules[4] = (struct scws_rule){ .sel = SCWS_SEL_LABEL_PREFIX,
					  .label_prefix = kstrdup("snap.b.", GFP_KERNEL),
					  .action = 1 };
	p->rules[5] = (struct scws_rule){ .sel = SCWS_SEL_EXE,
					  .exe = kstrdup("/usr/bin/curl", GFP_KERNEL),
					  .action = 1 };
	p->rules[6] = (struct scws_rule){ .sel = SCWS_SEL_DIGEST, .action = 1 };
	memset(p->rules[6].digest, 0xab, SCWS_SHA256_LEN);
	p->rules[7] = (struct scws_rule){ .sel = SCWS_SEL_TRUSTED,
					  .trusted = SCWS_TRUST_MANUFACTURER,
					  .action = 1 };
	scws_test_index(test, p);

	s = scws_test_subject(15);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 0);
	s = scws_test_subject(20);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, U32_MAX);
	s = scws_test_subject(1000);
	s.gid = 500;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 1);
	s = scws_test_subject(1000);
	s.groups = gi;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 2);
	s = scws_test_subject(1000);
	s.label = "snap.a";
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 3);
	s.label = "snap.a.b";	/* exact means exact */
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	s.label = "snap.b.browser";
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 4);
	s = scws_test_subject(1000);
	s.exe = "/usr/bin/curl";
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 5);
	s = scws_test_subject(1000);
	s.digest_state = SCWS_DIGEST_KNOWN;
	memset(s.digest, 0xab, SCWS_SHA256_LEN);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 6);
	memset(s.digest, 0xcd, SCWS_SHA256_LEN);
	s.sig_state = SCWS_DIGEST_KNOWN;
	s.sig.flags = SCWS_SIG_SIGNED | SCWS_SIG_MANUFACTURER;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 7);
	s.sig.flags = SCWS_SIG_SIGNED;
	memset(s.digest, 0xee, SCWS_SHA256_LEN);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	/* Not hashed yet: a digest rule could decide, so wait for it. */
	s.digest_state = SCWS_DIGEST_UNKNOWN;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DEFER);
	/* ... unless a rule before every digest rule matches. */
	s.uid = 12;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 0);
	put_group_info(gi);
	scws_policy_free(p);
}

static void scws_policy_test_order_port_default(struct kunit *test)
{
	struct scws_policy *p = scws_test_policy(test, 4, SCWS_ACTION_ALLOW);
	struct scws_subject s;
	u32 rule;

	/* deny uid 7 port 4116; allow uid 7; deny uid 0-100; all falls to default */
	p->rules[0] = (struct scws_rule){ .sel = SCWS_SEL_UID, .uid_min = 7,
					  .uid_max = 7, .port = 4116 };
	p->rules[1] = (struct scws_rule){ .sel = SCWS_SEL_UID, .uid_min = 7,
					  .uid_max = 7, .action = 1 };
	p->rules[2] = (struct scws_rule){ .sel = SCWS_SEL_UID, .uid_min = 0,
					  .uid_max = 100 };
	p->rules[3] = (struct scws_rule){ .sel = SCWS_SEL_ALL, .port = 4116,
					  .action = 1 };
	scws_test_index(test, p);

	s = scws_test_subject(7);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 1);
	s.port = 4116;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, 0);
	s = scws_test_subject(8);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, 2);
	s = scws_test_subject(500);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, U32_MAX);
	s.port = 4116;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 3);
	scws_policy_free(p);
}

/* The reference: every rule in order. */
static enum scws_verdict scws_linear_decide(const struct scws_policy *p,
					    const struct scws_subject *s,
					    u32 *rule)
{
	u32 i;

	for (i = 0; i < p->nrules; i++) {
		if ((s->digest_state == SCWS_DIGEST_UNKNOWN ||
		     s->sig_state == SCWS_DIGEST_UNKNOWN) &&
		    (p->rules[i].sel & SCWS_SEL_NEEDS_DIGEST))
			return SCWS_VERDICT_DEFER;
		if (scws_rule_matches(p, &p->rules[i], s)) {
			*rule = i;
			return p->rules[i].action ? SCWS_VERDICT_ALLOW :
						    SCWS_VERDICT_DENY;
		}
	}
	*rule = U32_MAX;
	if ((s->digest_state == SCWS_DIGEST_UNKNOWN ||
	     s->sig_state == SCWS_DIGEST_UNKNOWN) &&
	    p->first_digest_rule < p->nrules)
		return SCWS_VERDICT_DEFER;
	return p->default_action ? SCWS_VERDICT_ALLOW : SCWS_VERDICT_DENY;
}

static const char *const scws_test_labels[] = {
	"snap.a.a", "snap.a.b", "snap.b.a", "unconfined", "/usr/bin/x (enforce)",
};

static const char *const scws_test_exes[] = {
	"/usr/bin/curl", "/usr/bin/wget", "/opt/app/bin/app", "/bin/sh",
};

static void scws_random_rule(struct scws_rule *r)
{
	u32 kinds = get_random_u32() % 5 + 1, k;

	r->action = get_random_u32() & 1;
	r->port = get_random_u32() % 4 == 0 ? 4116 : 0;
	for (k = 0; k < kinds; k++) {
		switch (get_random_u32() % 11) {
		case 0:
			r->sel |= SCWS_SEL_UID;
			r->uid_min = get_random_u32() % 40;
			r->uid_max = r->uid_min + (get_random_u32() % 3 ?
						   0 : get_random_u32() % 10);
			break;
		case 1:
			r->sel |= SCWS_SEL_GID;
			r->gid = get_random_u32() % 40;
			break;
		case 2:
			r->sel |= SCWS_SEL_LABEL;
			kfree(r->label);
			r->label = kstrdup(scws_test_labels[get_random_u32() % 5],
					   GFP_KERNEL);
			break;
		case 3:
			r->sel |= SCWS_SEL_LABEL_PREFIX;
			kfree(r->label_prefix);
			r->label_prefix = kstrdup(get_random_u32() & 1 ?
						  "snap.a" : "snap.", GFP_KERNEL);
			break;
		case 4:
			r->sel |= SCWS_SEL_EXE;
			kfree(r->exe);
			r->exe = kstrdup(scws_test_exes[get_random_u32() % 4],
					 GFP_KERNEL);
			break;
		case 5:
			r->sel |= SCWS_SEL_DIGEST;
			memset(r->digest, get_random_u32() % 6, SCWS_SHA256_LEN);
			break;
		case 6:
			r->sel |= SCWS_SEL_TRUSTED;
			r->trusted = get_random_u32() & 1 ?
				     SCWS_TRUST_MANUFACTURER : SCWS_TRUST_ANY;
			break;
		case 8:
			r->sel |= SCWS_SEL_SIGNER_SHA256;
			memset(r->signer_sha256, get_random_u32() % 4,
			       SCWS_SHA256_LEN);
			break;
		case 9:
			r->sel |= SCWS_SEL_SIGNER_SHA1;
			memset(r->signer_sha1, get_random_u32() % 4,
			       SCWS_SHA1_LEN);
			break;
		case 7:
			r->sel |= SCWS_SEL_GROUP;
			r->group = KGIDT_INIT(get_random_u32() % 40);
			break;
		default:
			if (!r->sel) {
				r->sel = SCWS_SEL_ALL;
				return;
			}
		}
	}
	if (r->sel & SCWS_SEL_ALL)
		r->sel = SCWS_SEL_ALL;
}

static void scws_policy_test_index_vs_linear(struct kunit *test)
{
	const u32 nrules = 4000, nsubjects = 3000;
	struct scws_policy *p = scws_test_policy(test, nrules, SCWS_ACTION_DENY);
	struct group_info *gi = groups_alloc(2);
	u32 i, rule_idx, rule_lin, mismatches = 0, decided = 0;

	KUNIT_ASSERT_NOT_NULL(test, gi);
	for (i = 0; i < nrules; i++)
		scws_random_rule(&p->rules[i]);
	scws_test_index(test, p);

	for (i = 0; i < nsubjects; i++) {
		struct scws_subject s = scws_test_subject(get_random_u32() % 45);
		enum scws_verdict vi, vl;

		s.gid = get_random_u32() % 45;
		gi->gid[0] = KGIDT_INIT(get_random_u32() % 45);
		gi->gid[1] = KGIDT_INIT(get_random_u32() % 45);
		s.groups = gi;
		s.port = get_random_u32() & 1 ? 3516 : 4116;
		s.label = get_random_u32() % 6 ?
			  scws_test_labels[get_random_u32() % 5] : NULL;
		s.exe = get_random_u32() % 5 ?
			scws_test_exes[get_random_u32() % 4] : NULL;
		s.exe_seen = get_random_u32() % 3 ? s.exe :
			     scws_test_exes[get_random_u32() % 4];
		s.exe_vouches = get_random_u32() % 4;
		s.digest_state = get_random_u32() % 3;
		memset(s.digest, get_random_u32() % 8, SCWS_SHA256_LEN);
		s.sig_state = get_random_u32() % 3;
		s.sig.flags = get_random_u32() & 0xf;
		memset(s.sig.signer_sha256, get_random_u32() % 4,
		       SCWS_SHA256_LEN);
		memset(s.sig.signer_sha1, get_random_u32() % 4, SCWS_SHA1_LEN);
		vi = scws_test_decide(p, &s, &rule_idx);
		vl = scws_linear_decide(p, &s, &rule_lin);
		if (vi != vl || (vi != SCWS_VERDICT_DEFER && rule_idx != rule_lin))
			mismatches++;
		if (rule_lin != U32_MAX)
			decided++;
	}
	KUNIT_EXPECT_EQ(test, mismatches, 0);
	/* The random domains are small on purpose: rules do match. */
	KUNIT_EXPECT_GT(test, decided, nsubjects / 2);
	put_group_info(gi);
	scws_policy_free(p);
}

/*
 * An executable that cannot vouch for its caller (a user namespace of its
 * own, a file system mounted from one) grants nothing, but deny rules
 * still match it; deny rules also match the path the caller sees.
 */
static void scws_policy_test_exe_vouches(struct kunit *test)
{
	struct scws_policy *p = scws_test_policy(test, 5, SCWS_ACTION_ALLOW);
	struct scws_subject s;
	u32 rule;

	p->rules[0] = (struct scws_rule){ .sel = SCWS_SEL_EXE,
					  .exe = kstrdup("/usr/bin/wget", GFP_KERNEL) };
	p->rules[1] = (struct scws_rule){ .sel = SCWS_SEL_EXE, .action = 1,
					  .exe = kstrdup("/usr/bin/curl", GFP_KERNEL) };
	p->rules[2] = (struct scws_rule){ .sel = SCWS_SEL_DIGEST, .action = 1 };
	memset(p->rules[2].digest, 0xab, SCWS_SHA256_LEN);
	p->rules[3] = (struct scws_rule){ .sel = SCWS_SEL_TRUSTED, .action = 1,
					  .trusted = SCWS_TRUST_MANUFACTURER };
	p->rules[4] = (struct scws_rule){ .sel = SCWS_SEL_ALL };
	scws_test_index(test, p);

	s = scws_test_subject(1000);
	s.exe = "/usr/bin/curl";
	s.exe_seen = s.exe;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 1);
	s.exe_vouches = false;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, 4);
	s.exe = "/usr/bin/wget";
	s.exe_seen = s.exe;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, 0);
	/* Seen as wget in a chroot, no path from the system's root. */
	s.exe_vouches = true;
	s.exe = NULL;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, 0);
	/* Seen as curl: the allow rule wants the path from the root. */
	s.exe_seen = "/usr/bin/curl";
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, 4);
	/* Seen as wget, but /opt/wget from the root: the deny matches. */
	s.exe = "/opt/wget";
	s.exe_seen = "/usr/bin/wget";
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, 0);
	/* Digests and signatures. */
	s = scws_test_subject(1000);
	s.digest_state = SCWS_DIGEST_KNOWN;
	memset(s.digest, 0xab, SCWS_SHA256_LEN);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 2);
	memset(s.digest, 0xcd, SCWS_SHA256_LEN);
	s.sig_state = SCWS_DIGEST_KNOWN;
	s.sig.flags = SCWS_SIG_SIGNED | SCWS_SIG_MANUFACTURER;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 3);
	s.exe_vouches = false;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, 4);
	memset(s.digest, 0xab, SCWS_SHA256_LEN);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, 4);
	scws_policy_free(p);
}

/*
 * The signature selectors: trusted manufacturer wants a manufacturer
 * chain, trusted any a manufacturer or card one, signer-* the signing
 * certificate's hash; an unknown signature defers, an unsigned file
 * matches none, and the signer index keeps the first match.
 */
static void scws_policy_test_signed(struct kunit *test)
{
	struct scws_policy *p = scws_test_policy(test, 6, SCWS_ACTION_DENY);
	struct scws_subject s;
	u32 rule;

	p->rules[0] = (struct scws_rule){ .sel = SCWS_SEL_SIGNER_SHA256 };
	memset(p->rules[0].signer_sha256, 0x66, SCWS_SHA256_LEN);
	p->rules[1] = (struct scws_rule){ .sel = SCWS_SEL_TRUSTED, .action = 1,
					  .trusted = SCWS_TRUST_MANUFACTURER };
	p->rules[2] = (struct scws_rule){ .sel = SCWS_SEL_SIGNER_SHA1,
					  .action = 1 };
	memset(p->rules[2].signer_sha1, 0x11, SCWS_SHA1_LEN);
	p->rules[3] = (struct scws_rule){ .sel = SCWS_SEL_SIGNER_SHA256,
					  .action = 1 };
	memset(p->rules[3].signer_sha256, 0x22, SCWS_SHA256_LEN);
	p->rules[4] = (struct scws_rule){ .sel = SCWS_SEL_TRUSTED, .action = 1,
					  .trusted = SCWS_TRUST_ANY };
	p->rules[5] = (struct scws_rule){ .sel = SCWS_SEL_SIGNER_SHA256,
					  .action = 1 };
	memset(p->rules[5].signer_sha256, 0x66, SCWS_SHA256_LEN);
	scws_test_index(test, p);

	s = scws_test_subject(1000);
	s.digest_state = SCWS_DIGEST_KNOWN;
	s.sig_state = SCWS_DIGEST_KNOWN;
	s.sig.flags = SCWS_SIG_SIGNED | SCWS_SIG_MANUFACTURER;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 1);
	/* A card chain: trusted any only. */
	s.sig.flags = SCWS_SIG_SIGNED | SCWS_SIG_CARD;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 4);
	/* Signed by a certificate nobody trusts: the signer rules only. */
	s.sig.flags = SCWS_SIG_SIGNED | SCWS_SIG_SHA1;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, U32_MAX);
	memset(s.sig.signer_sha1, 0x11, SCWS_SHA1_LEN);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 2);
	/* Without its SHA-1 known, a zero hash matches no signer-sha1. */
	s.sig.flags = SCWS_SIG_SIGNED;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	memset(s.sig.signer_sha256, 0x22, SCWS_SHA256_LEN);
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 3);
	/* First match: rule 0 denies the signer rule 5 would allow. */
	memset(s.sig.signer_sha256, 0x66, SCWS_SHA256_LEN);
	s.sig.flags = SCWS_SIG_SIGNED | SCWS_SIG_MANUFACTURER;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, 0);
	/* Hashes of an unsigned file (no SIGNED flag) never match. */
	s.sig.flags = 0;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, U32_MAX);
	/* Not checked yet: wait. */
	s.sig_state = SCWS_DIGEST_UNKNOWN;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DEFER);
	/* A caller the executable cannot vouch for: allows grant nothing. */
	s.sig_state = SCWS_DIGEST_KNOWN;
	s.sig.flags = SCWS_SIG_SIGNED | SCWS_SIG_MANUFACTURER | SCWS_SIG_CARD;
	memset(s.sig.signer_sha256, 0x22, SCWS_SHA256_LEN);
	s.exe_vouches = false;
	KUNIT_EXPECT_EQ(test, scws_test_decide(p, &s, &rule), SCWS_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, rule, U32_MAX);
	scws_policy_free(p);
}

static void scws_policy_test_label_mode(struct kunit *test)
{
	static const char *const same[] = {
		"x (enforce)", "x (complain)", "x (kill)", "x (unconfined)",
		"x (mixed)", "x (user)", "x (prompt)",
	};
	static const char *const kept[] = {
		"x", "x (enforce", "x(enforce)", "x (audit)", " (enforce)",
		"system_u:system_r:httpd_t:s0",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(same); i++)
		KUNIT_EXPECT_EQ(test, scws_label_mode_len(same[i], strlen(same[i])),
				(size_t)1);
	for (i = 0; i < ARRAY_SIZE(kept); i++)
		KUNIT_EXPECT_EQ(test, scws_label_mode_len(kept[i], strlen(kept[i])),
				strlen(kept[i]));
	/* Only the end counts. */
	KUNIT_EXPECT_EQ(test, scws_label_mode_len("a (enforce)//&b", 15),
			(size_t)15);
	KUNIT_EXPECT_EQ(test, scws_label_mode_len("a//&b (mixed)", 13),
			(size_t)5);
}

struct scws_swap_ctx {
	struct scws_policy __rcu *policy;
	atomic_t torn;
	atomic_t lookups;
	bool stop;
};

/* P1 allows uid 5 by rule 3; P2 denies it by rule 9. Nothing else exists. */
static struct scws_policy *scws_swap_policy(struct kunit *test, bool second)
{
	u32 n = second ? 10 : 4, i;
	struct scws_policy *p = scws_test_policy(test, n, !second);

	for (i = 0; i < n; i++)
		p->rules[i] = (struct scws_rule){ .sel = SCWS_SEL_UID,
			.uid_min = 100 + i, .uid_max = 100 + i };
	p->rules[n - 1].uid_min = 5;
	p->rules[n - 1].uid_max = 5;
	p->rules[n - 1].action = !second;
	scws_test_index(test, p);
	return p;
}

static int scws_swap_reader(void *data)
{
	struct scws_swap_ctx *ctx = data;
	struct scws_subject s = scws_test_subject(5);

	while (!READ_ONCE(ctx->stop)) {
		struct scws_decision_info info = {};
		struct scws_policy *p;
		enum scws_verdict v;

		rcu_read_lock();
		p = rcu_dereference(ctx->policy);
		v = scws_policy_decide(p, &s, &info);
		rcu_read_unlock();
		if (!((v == SCWS_VERDICT_ALLOW && info.rule == 3) ||
		      (v == SCWS_VERDICT_DENY && info.rule == 9)))
			atomic_inc(&ctx->torn);
		atomic_inc(&ctx->lookups);
		cond_resched();
	}
	return 0;
}

static void scws_policy_test_swap(struct kunit *test)
{
	struct scws_swap_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	struct task_struct *reader;
	struct scws_policy *old;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	RCU_INIT_POINTER(ctx->policy, scws_swap_policy(test, false));
	reader = kthread_run(scws_swap_reader, ctx, "scws-swap-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(reader));
	for (i = 0; i < 200; i++) {
		old = rcu_replace_pointer(ctx->policy,
					  scws_swap_policy(test, i & 1), true);
		scws_policy_free_rcu(old);
		cond_resched();
	}
	WRITE_ONCE(ctx->stop, true);
	kthread_stop(reader);
	scws_policy_free_rcu(rcu_replace_pointer(ctx->policy, NULL, true));
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->torn), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&ctx->lookups), 0);
}

/* POLICY_SET validation, on real attributes (as genl has validated them). */
static int scws_policy_test_load(struct kunit *test, struct sk_buff *skb,
				 struct netlink_ext_ack *extack)
{
	struct scws_policy *p;
	int err;

	memset(extack, 0, sizeof(*extack));
	err = nla_validate((struct nlattr *)skb->data, skb->len, SCWS_A_MAX,
			   scws_nl_policy, extack);
	if (err)
		return err;
	p = scws_policy_from_attrs((struct nlattr *)skb->data, skb->len,
				   &init_user_ns, extack);
	if (IS_ERR(p))
		return PTR_ERR(p);
	scws_policy_free(p);
	return 0;
}

/* DEFAULT deny, then n x RULE { ACTION allow, <up to two u32 attrs> }. */
static struct sk_buff *scws_policy_test_msg(struct kunit *test, int n,
					    int type, u32 val, int type2,
					    u32 val2)
{
	struct sk_buff *skb = alloc_skb(1 << 20, GFP_KERNEL);
	struct nlattr *rule;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	nla_put_u8(skb, SCWS_A_POLICY_DEFAULT, SCWS_ACTION_DENY);
	for (i = 0; i < n; i++) {
		rule = nla_nest_start(skb, SCWS_A_POLICY_RULE);
		nla_put_u8(skb, SCWS_RULE_A_ACTION, SCWS_ACTION_ALLOW);
		if (type)
			nla_put_u32(skb, type, val);
		if (type2)
			nla_put_u32(skb, type2, val2);
		nla_nest_end(skb, rule);
	}
	return skb;
}

/* The rule index the extack's bad attribute falls in, as a tool finds it. */
static int scws_bad_rule(struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem, idx = 0;

	nla_for_each_attr(a, (struct nlattr *)skb->data, skb->len, rem) {
		if (nla_type(a) != SCWS_A_POLICY_RULE)
			continue;
		if ((const void *)extack->bad_attr >= (const void *)a &&
		    (const void *)extack->bad_attr < (const void *)a + nla_total_size(nla_len(a)))
			return idx;
		idx++;
	}
	return -1;
}

static void scws_policy_test_validation(struct kunit *test)
{
	struct netlink_ext_ack extack;
	struct nlattr *rule;
	struct sk_buff *skb;

	skb = scws_policy_test_msg(test, 3, SCWS_RULE_A_GID, 5, 0, 0);
	KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack), 0);
	/* The fourth rule is empty. */
	rule = nla_nest_start(skb, SCWS_A_POLICY_RULE);
	nla_put_u8(skb, SCWS_RULE_A_ACTION, SCWS_ACTION_ALLOW);
	nla_nest_end(skb, rule);
	KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, extack._msg, "rule without a selector");
	KUNIT_EXPECT_EQ(test, scws_bad_rule(skb, &extack), 3);
	kfree_skb(skb);
	/* Upside-down uid range. */
	skb = scws_policy_test_msg(test, 2, SCWS_RULE_A_UID_MIN, 9,
				   SCWS_RULE_A_UID_MAX, 3);
	KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, extack._msg, "uid range upside down");
	KUNIT_EXPECT_EQ(test, scws_bad_rule(skb, &extack), 0);
	kfree_skb(skb);
	/* Half a range. */
	skb = scws_policy_test_msg(test, 1, SCWS_RULE_A_UID_MIN, 9, 0, 0);
	KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack), -EINVAL);
	kfree_skb(skb);
	/* Unknown selector. */
	skb = scws_policy_test_msg(test, 1, SCWS_RULE_A_MAX + 1, 1, 0, 0);
	KUNIT_EXPECT_LT(test, scws_policy_test_load(test, skb, &extack), 0);
	kfree_skb(skb);
	/* No default. */
	skb = alloc_skb(4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	rule = nla_nest_start(skb, SCWS_A_POLICY_RULE);
	nla_put_u8(skb, SCWS_RULE_A_ACTION, SCWS_ACTION_DENY);
	nla_put_flag(skb, SCWS_RULE_A_ALL);
	nla_nest_end(skb, rule);
	KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack), -EINVAL);
	/* A port the module does not own. */
	nla_put_u8(skb, SCWS_A_POLICY_DEFAULT, SCWS_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack), 0);
	rule = nla_nest_start(skb, SCWS_A_POLICY_RULE);
	nla_put_u8(skb, SCWS_RULE_A_ACTION, SCWS_ACTION_DENY);
	nla_put_u16(skb, SCWS_RULE_A_PORT, 80);
	nla_put_flag(skb, SCWS_RULE_A_ALL);
	nla_nest_end(skb, rule);
	KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, extack._msg, "not a port of the module");
	KUNIT_EXPECT_EQ(test, scws_bad_rule(skb, &extack), 1);
	kfree_skb(skb);
	/* Too many rules. */
	skb = scws_policy_test_msg(test, SCWS_POLICY_MAX_RULES + 1,
				   SCWS_RULE_A_GID, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, extack._msg, "too many rules");
	kfree_skb(skb);
	/* The largest policy is fine. */
	skb = scws_policy_test_msg(test, SCWS_POLICY_MAX_RULES,
				   SCWS_RULE_A_GID, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack), 0);
	kfree_skb(skb);
}

static void scws_policy_test_label_too_long(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(4096, GFP_KERNEL);
	struct netlink_ext_ack extack;
	char label[SCWS_LABEL_MAX + 1];
	struct nlattr *rule;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	memset(label, 'a', sizeof(label) - 1);
	label[sizeof(label) - 1] = '\0';
	nla_put_u8(skb, SCWS_A_POLICY_DEFAULT, SCWS_ACTION_DENY);
	rule = nla_nest_start(skb, SCWS_A_POLICY_RULE);
	nla_put_u8(skb, SCWS_RULE_A_ACTION, SCWS_ACTION_DENY);
	nla_put_string(skb, SCWS_RULE_A_LABEL, label);
	nla_nest_end(skb, rule);
	KUNIT_EXPECT_LT(test, scws_policy_test_load(test, skb, &extack), 0);
	KUNIT_EXPECT_EQ(test, scws_bad_rule(skb, &extack), 0);
	kfree_skb(skb);
}

/* POLICY_SET refuses a label the module cannot see: one with a mode. */
static void scws_policy_test_label_with_mode(struct kunit *test)
{
	static const int types[] = { SCWS_RULE_A_LABEL,
				     SCWS_RULE_A_LABEL_PREFIX };
	struct netlink_ext_ack extack;
	struct nlattr *rule;
	struct sk_buff *skb;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		skb = alloc_skb(4096, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		nla_put_u8(skb, SCWS_A_POLICY_DEFAULT, SCWS_ACTION_ALLOW);
		rule = nla_nest_start(skb, SCWS_A_POLICY_RULE);
		nla_put_u8(skb, SCWS_RULE_A_ACTION, SCWS_ACTION_DENY);
		nla_put_string(skb, types[i], "x");
		nla_nest_end(skb, rule);
		KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack), 0);
		rule = nla_nest_start(skb, SCWS_A_POLICY_RULE);
		nla_put_u8(skb, SCWS_RULE_A_ACTION, SCWS_ACTION_DENY);
		nla_put_u32(skb, SCWS_RULE_A_UID_MIN, 7);
		nla_put_u32(skb, SCWS_RULE_A_UID_MAX, 7);
		nla_put_string(skb, types[!i], "y");
		nla_put_string(skb, types[i], "x (complain)");
		nla_nest_end(skb, rule);
		KUNIT_EXPECT_EQ(test, scws_policy_test_load(test, skb, &extack),
				-EINVAL);
		KUNIT_EXPECT_STREQ(test, extack._msg,
				   "label ends in an AppArmor mode: name the profile alone");
		KUNIT_EXPECT_EQ(test, scws_bad_rule(skb, &extack), 1);
		KUNIT_EXPECT_EQ(test, nla_type(extack.bad_attr), types[i]);
		kfree_skb(skb);
	}
}

/* POLICY_GET gives back what POLICY_SET took, across several messages. */
static void scws_policy_test_dump_round_trip(struct kunit *test)
{
	struct sk_buff *in = scws_policy_test_msg(test, 3000, SCWS_RULE_A_UID_MIN,
						  5, SCWS_RULE_A_UID_MAX, 9);
	struct sk_buff *out = alloc_skb(1 << 20, GFP_KERNEL);
	struct sk_buff *page = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	struct netlink_ext_ack extack = {};
	struct scws_policy *p;
	int pages = 0;
	u32 pos = 0;

	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, page);
	p = scws_policy_from_attrs((struct nlattr *)in->data, in->len,
				   &init_user_ns, &extack);
	KUNIT_ASSERT_FALSE(test, IS_ERR(p));
	for (;;) {
		bool done;

		skb_trim(page, 0);
		done = scws_policy_fill(page, p, &pos);
		skb_put_data(out, page->data, page->len);
		pages++;
		if (done)
			break;
		KUNIT_ASSERT_LT(test, pages, 1000);
	}
	KUNIT_EXPECT_GT(test, pages, 1);
	/* Same bytes but the LOADED flag in front. */
	KUNIT_ASSERT_EQ(test, out->len, in->len + nla_total_size(0));
	KUNIT_EXPECT_EQ(test, memcmp(out->data + nla_total_size(0), in->data,
				     in->len), 0);
	scws_policy_free(p);
	kfree_skb(in);
	kfree_skb(out);
	kfree_skb(page);
}

static struct kunit_case scws_policy_cases[] = {
	KUNIT_CASE(scws_policy_test_selectors),
	KUNIT_CASE(scws_policy_test_order_port_default),
	KUNIT_CASE(scws_policy_test_index_vs_linear),
	KUNIT_CASE(scws_policy_test_swap),
	KUNIT_CASE(scws_policy_test_validation),
	KUNIT_CASE(scws_policy_test_label_too_long),
	KUNIT_CASE(scws_policy_test_dump_round_trip),
	KUNIT_CASE(scws_policy_test_exe_vouches),
	KUNIT_CASE(scws_policy_test_signed),
	KUNIT_CASE(scws_policy_test_label_mode),
	KUNIT_CASE(scws_policy_test_label_with_mode),
	{}
};

static struct kunit_suite scws_policy_suite = {
	.name = "scws-policy",
	.test_cases = scws_policy_cases,
};

kunit_test_suite(scws_policy_suite);
