// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the netlink side: attribute validation against the
 * family's policy, the doit handlers' own checks, and pump death through
 * the NETLINK_URELEASE notifier.  Included by netlink.c to reach its
 * static functions.
 */
#include <kunit/test.h>

struct scws_nl_ctx {
	struct net *net;
	struct scws_net *sn;
	struct sk_buff *skb;		/* holds the attributes under test */
	struct nlattr *tb[SCWS_A_MAX + 1];
	struct netlink_ext_ack extack;
	struct genl_info info;
};

static int scws_nl_test_init(struct kunit *test)
{
	struct scws_nl_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->net = copy_net_ns(CLONE_NEWNET, &init_user_ns, &init_net);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx->net));
	ctx->sn = scws_net(ctx->net);
	ctx->skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->skb);
	ctx->info.snd_portid = 1000;
	ctx->info.attrs = ctx->tb;
	ctx->info.extack = &ctx->extack;
	genl_info_net_set(&ctx->info, ctx->net);
	test->priv = ctx;
	return 0;
}

static void scws_nl_test_exit(struct kunit *test)
{
	struct scws_nl_ctx *ctx = test->priv;

	kfree_skb(ctx->skb);
	put_net(ctx->net);
}

/* Validate what was put in ctx->skb as a command's attributes would be. */
static int scws_nl_parse(struct scws_nl_ctx *ctx)
{
	memset(&ctx->extack, 0, sizeof(ctx->extack));
	memset(ctx->tb, 0, sizeof(ctx->tb));
	return nla_parse(ctx->tb, SCWS_A_MAX, (struct nlattr *)ctx->skb->data,
			 ctx->skb->len, scws_nl_policy, &ctx->extack);
}

/* As userspace sends it: 8 bytes, no pad attribute. */
static int scws_nl_put_id(struct sk_buff *skb, u64 id)
{
	return nla_put(skb, SCWS_A_CONN_ID, sizeof(id), &id);
}

static void scws_nl_reset(struct scws_nl_ctx *ctx)
{
	skb_trim(ctx->skb, 0);
}

/*
 * One bad attribute and what the family's real policy answers, exactly as
 * uapi/linux/scws.h documents it: -ERANGE for a value or length out of its
 * range, -EINVAL for a wrong size, type or an attribute that is not taken.
 */
struct scws_nl_bad {
	const char *what;
	int type;		/* top level; SCWS_A_POLICY_RULE: nested */
	int rule_type;		/* inside the rule, with ACTION allow */
	u32 len;		/* payload bytes, the first 4 from @val */
	u32 val;
	int err;
	const char *msg;
};

static const struct scws_nl_bad scws_nl_bad_cases[] = {
	{ "port 0", SCWS_A_PORT, 0, 2, 0, -ERANGE, "integer out of range" },
	{ "port as a u32", SCWS_A_PORT, 0, 4, 3516, -EINVAL,
	  "invalid attribute length" },
	{ "256 channels", SCWS_A_PORT_CHANNELS, 0, 4, SCWS_CHANNELS_MAX + 1,
	  -ERANGE, "integer out of range" },
	{ "capacity U32_MAX", SCWS_A_PORT_CAPACITY, 0, 4, U32_MAX, -ERANGE,
	  "integer out of range" },
	{ "connection id 0", SCWS_A_CONN_ID, 0, 8, 0, -ERANGE,
	  "integer out of range" },
	{ "connection id of 16 bytes", SCWS_A_CONN_ID, 0, 16, 1, -EINVAL,
	  "invalid attribute length" },
	{ "default 2", SCWS_A_POLICY_DEFAULT, 0, 1, 2, -ERANGE,
	  "integer out of range" },
	{ "trust anchor 0", SCWS_A_TRUST_ANCHOR, 0, 1, 0, -ERANGE,
	  "integer out of range" },
	{ "rule action 7", SCWS_A_POLICY_RULE, SCWS_RULE_A_ACTION, 1, 7,
	  -ERANGE, "integer out of range" },
	{ "rule port 0", SCWS_A_POLICY_RULE, SCWS_RULE_A_PORT, 2, 0, -ERANGE,
	  "integer out of range" },
	{ "rule trusted 7", SCWS_A_POLICY_RULE, SCWS_RULE_A_TRUSTED, 1, 7,
	  -ERANGE, "integer out of range" },
	{ "exe-sha256 of 31 bytes", SCWS_A_POLICY_RULE, SCWS_RULE_A_EXE_SHA256,
	  31, 0, -ERANGE, "binary attribute size out of range" },
	{ "exe-sha256 of 33 bytes", SCWS_A_POLICY_RULE, SCWS_RULE_A_EXE_SHA256,
	  33, 0, -ERANGE, "binary attribute size out of range" },
	{ "signer-sha1 of 21 bytes", SCWS_A_POLICY_RULE,
	  SCWS_RULE_A_SIGNER_SHA1, 21, 0, -ERANGE,
	  "binary attribute size out of range" },
	{ "flag with a payload", SCWS_A_POLICY_RULE, SCWS_RULE_A_ALL, 4, 1,
	  -ERANGE, "Attribute failed policy validation" },
	{ "label without its NUL", SCWS_A_POLICY_RULE, SCWS_RULE_A_LABEL, 4,
	  0x64636261, -EINVAL, "Attribute failed policy validation" },
	{ "output-only attribute", SCWS_A_PUMP_PORTID, 0, 4, 1, -EINVAL,
	  "Unsupported attribute" },
	{ "empty output-only nest", SCWS_A_CONN, 0, 0, 0, -EINVAL,
	  "Unsupported attribute" },
	{ "unknown attribute", SCWS_A_MAX + 1, 0, 1, 1, -EINVAL,
	  "Unknown attribute type" },
};

static void scws_nl_put_bad(struct kunit *test, struct sk_buff *skb,
			    const struct scws_nl_bad *c)
{
	u8 buf[64] = {};
	struct nlattr *nest;
	int type = c->rule_type ?: c->type;

	memcpy(buf, &c->val, sizeof(c->val));
	if (c->rule_type) {
		nest = nla_nest_start(skb, SCWS_A_POLICY_RULE);
		KUNIT_ASSERT_NOT_NULL(test, nest);
		if (c->rule_type != SCWS_RULE_A_ACTION)
			KUNIT_ASSERT_EQ(test, nla_put_u8(skb, SCWS_RULE_A_ACTION,
							 SCWS_ACTION_ALLOW), 0);
	}
	KUNIT_ASSERT_LE(test, c->len, sizeof(buf));
	KUNIT_ASSERT_EQ(test, nla_put(skb, type, c->len, buf), 0);
	if (c->rule_type)
		nla_nest_end(skb, nest);
}

static void scws_nl_test_policy_rejects(struct kunit *test)
{
	struct scws_nl_ctx *ctx = test->priv;
	const struct scws_nl_bad *c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(scws_nl_bad_cases); i++) {
		c = &scws_nl_bad_cases[i];
		scws_nl_reset(ctx);
		scws_nl_put_bad(test, ctx->skb, c);
		KUNIT_EXPECT_EQ_MSG(test, scws_nl_parse(ctx), c->err, "%s", c->what);
		KUNIT_EXPECT_STREQ_MSG(test, ctx->extack._msg ?: "(none)", c->msg,
				       "%s", c->what);
		KUNIT_EXPECT_NOT_NULL_MSG(test, ctx->extack.bad_attr, "%s",
					  c->what);
	}
}

static void scws_nl_test_policy_accepts(struct kunit *test)
{
	struct scws_nl_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, nla_put_u16(ctx->skb, SCWS_A_PORT, 3516), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(ctx->skb, SCWS_A_PORT_CHANNELS,
					  SCWS_CHANNELS_MAX), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(ctx->skb, SCWS_A_PORT_CAPACITY, 0),
			0);
	KUNIT_ASSERT_EQ(test, scws_nl_put_id(ctx->skb, 7), 0);
	KUNIT_EXPECT_EQ(test, scws_nl_parse(ctx), 0);
	KUNIT_EXPECT_NOT_NULL(test, ctx->tb[SCWS_A_CONN_ID]);
}

static void scws_nl_register(struct kunit *test, struct scws_nl_ctx *ctx)
{
	KUNIT_ASSERT_EQ(test, scws_nl_pump_register(NULL, &ctx->info), 0);
	KUNIT_ASSERT_EQ(test, ctx->sn->pump_portid, ctx->info.snd_portid);
}

static void scws_nl_test_second_pump_busy(struct kunit *test)
{
	struct scws_nl_ctx *ctx = test->priv;

	scws_nl_register(test, ctx);
	/* The same socket again is harmless. */
	KUNIT_EXPECT_EQ(test, scws_nl_pump_register(NULL, &ctx->info), 0);
	ctx->info.snd_portid++;
	KUNIT_EXPECT_EQ(test, scws_nl_pump_register(NULL, &ctx->info), -EBUSY);
	KUNIT_EXPECT_NOT_NULL(test, ctx->extack._msg);
	KUNIT_EXPECT_EQ(test, scws_nl_pump_unregister(NULL, &ctx->info),
			-EPERM);
	ctx->info.snd_portid--;
	KUNIT_EXPECT_EQ(test, scws_nl_pump_unregister(NULL, &ctx->info), 0);
	KUNIT_EXPECT_EQ(test, ctx->sn->pump_portid, 0);
}

static int scws_nl_port_set_with(struct scws_nl_ctx *ctx, int port,
				 s64 channels, s64 capacity)
{
	scws_nl_reset(ctx);
	if (port >= 0)
		nla_put_u16(ctx->skb, SCWS_A_PORT, port);
	if (channels >= 0)
		nla_put_u32(ctx->skb, SCWS_A_PORT_CHANNELS, channels);
	if (capacity >= 0)
		nla_put_u32(ctx->skb, SCWS_A_PORT_CAPACITY, capacity);
	if (scws_nl_parse(ctx))
		return -EBADMSG;	/* the tests below never expect this */
	return scws_nl_port_set(NULL, &ctx->info);
}

static void scws_nl_test_port_set_checks(struct kunit *test)
{
	struct scws_nl_ctx *ctx = test->priv;
	u16 port = scws_params.ports[0];

	/* Missing attributes: EINVAL, and extack names the missing one. */
	KUNIT_EXPECT_EQ(test, scws_nl_port_set_with(ctx, port, 4, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->extack.miss_type, SCWS_A_PORT_CAPACITY);
	KUNIT_EXPECT_EQ(test, scws_nl_port_set_with(ctx, -1, 4, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->extack.miss_type, SCWS_A_PORT);
	/* A port the module does not own. */
	KUNIT_EXPECT_EQ(test, scws_nl_port_set_with(ctx, 1, 4, 4), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, ctx->extack._msg);
	/* More free channels than channels. */
	KUNIT_EXPECT_EQ(test, scws_nl_port_set_with(ctx, port, 2, 3), -EINVAL);
	/* Valid, but only the pump may say it. */
	KUNIT_EXPECT_EQ(test, scws_nl_port_set_with(ctx, port, 4, 4), -EPERM);
	scws_nl_register(test, ctx);
	KUNIT_EXPECT_EQ(test, scws_nl_port_set_with(ctx, port, 4, 3), 0);
	KUNIT_EXPECT_EQ(test, ctx->sn->ports[0].channels, 4);
	KUNIT_EXPECT_EQ(test, ctx->sn->ports[0].capacity, 3);
	scws_pump_gone(ctx->sn, ctx->info.snd_portid);
}

static void scws_nl_test_claim_checks(struct kunit *test)
{
	struct scws_nl_ctx *ctx = test->priv;

	scws_nl_reset(ctx);
	KUNIT_ASSERT_EQ(test, scws_nl_parse(ctx), 0);
	KUNIT_EXPECT_EQ(test, scws_nl_conn_claim(NULL, &ctx->info), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->extack.miss_type, SCWS_A_CONN_ID);
	scws_nl_put_id(ctx->skb, 42);
	KUNIT_ASSERT_EQ(test, scws_nl_parse(ctx), 0);
	KUNIT_EXPECT_EQ(test, scws_nl_conn_claim(NULL, &ctx->info), -ENOENT);
	scws_nl_register(test, ctx);
	KUNIT_EXPECT_EQ(test, scws_nl_conn_claim(NULL, &ctx->info), -ENOENT);
	KUNIT_EXPECT_NOT_NULL(test, ctx->extack._msg);
	scws_pump_gone(ctx->sn, ctx->info.snd_portid);
}

static void scws_nl_test_urelease(struct kunit *test)
{
	struct scws_nl_ctx *ctx = test->priv;
	struct netlink_notify n = {
		.net = ctx->net,
		.portid = ctx->info.snd_portid,
		.protocol = NETLINK_ROUTE,
	};
	/* Not init_net: a live pump there could have the same port id. */
	struct net *other = copy_net_ns(CLONE_NEWNET, &init_user_ns, &init_net);

	KUNIT_ASSERT_FALSE(test, IS_ERR(other));
	scws_nl_register(test, ctx);
	/* Another protocol's socket with the same port id: not the pump. */
	scws_netlink_notify(NULL, NETLINK_URELEASE, &n);
	KUNIT_EXPECT_EQ(test, ctx->sn->pump_portid, n.portid);
	/* Another generic netlink socket. */
	n.protocol = NETLINK_GENERIC;
	n.portid++;
	scws_netlink_notify(NULL, NETLINK_URELEASE, &n);
	KUNIT_EXPECT_EQ(test, ctx->sn->pump_portid, ctx->info.snd_portid);
	/* The same port id in another namespace. */
	n.portid--;
	n.net = other;
	scws_netlink_notify(NULL, NETLINK_URELEASE, &n);
	put_net(other);
	KUNIT_EXPECT_EQ(test, ctx->sn->pump_portid, ctx->info.snd_portid);
	/* The pump itself. */
	n.net = ctx->net;
	scws_netlink_notify(NULL, NETLINK_URELEASE, &n);
	KUNIT_EXPECT_EQ(test, ctx->sn->pump_portid, 0);
}

/* A queued connection without a socket, as the dump sees it. */
static void scws_nl_fake_conn(struct kunit *test, struct scws_nl_ctx *ctx,
			      struct scws_port *port, u64 id)
{
	struct scws_conn *conn = kzalloc(sizeof(*conn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, conn);
	atomic_inc(&scws_live.conns);	/* scws_conn_free() counts it down */
	conn->id = id;
	conn->port = port;
	conn->accepted_at = jiffies;
	conn->deadline = jiffies + HZ * 60;
	mutex_lock(&ctx->sn->lock);
	list_add_tail(&conn->node, &port->conns);
	port->queued++;
	scws_conns_changed(ctx->sn);
	mutex_unlock(&ctx->sn->lock);
}

/* One CONN_GET dump step into @room bytes: ids found, NLM_F_DUMP_INTR. */
static int scws_nl_dump_step(struct kunit *test, struct scws_nl_ctx *ctx,
			     struct netlink_callback *cb, int room, u64 *ids,
			     int max, bool *intr, int *len)
{
	struct sk_buff *out = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	struct nlattr *tb[SCWS_CONN_A_MAX + 1];
	struct nlmsghdr *nlh;
	int n = 0, rem;

	KUNIT_ASSERT_NOT_NULL(test, out);
	skb_reserve(out, skb_tailroom(out) - room);
	out->sk = ctx->net->genl_sock;
	scws_nl_conn_dump(out, cb);
	cb->prev_seq = cb->seq;		/* as netlink_dump() does */
	*intr = false;
	if (len)
		*len = out->len;
	nlmsg_for_each_msg(nlh, (struct nlmsghdr *)out->data, out->len, rem) {
		struct nlattr *conn = nlmsg_find_attr(nlh, GENL_HDRLEN,
						      SCWS_A_CONN);

		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		if (!conn || n == max ||
		    nla_parse_nested(tb, SCWS_CONN_A_MAX, conn, NULL, NULL) ||
		    !tb[SCWS_CONN_A_ID])
			continue;
		ids[n++] = nla_get_u64(tb[SCWS_CONN_A_ID]);
	}
	out->sk = NULL;
	kfree_skb(out);
	return n;
}

/*
 * A connection that leaves between two parts of a dump: the cursor moves
 * no other connection past it (a skip count did: 101 was never listed),
 * and the part after the change is marked NLM_F_DUMP_INTR.
 */
static void scws_nl_test_conn_dump_cursor(struct kunit *test)
{
	struct scws_nl_ctx *ctx = test->priv;
	struct scws_port *port = &ctx->sn->ports[0];
	struct nlmsghdr req = { .nlmsg_seq = 1 };
	struct netlink_callback cb = { .nlh = &req, .skb = ctx->skb };
	struct scws_conn *first;
	u64 ids[4];
	int room, n;
	bool intr;

	scws_nl_fake_conn(test, ctx, port, 100);
	scws_nl_fake_conn(test, ctx, port, 101);
	scws_nl_fake_conn(test, ctx, port, 102);
	n = scws_nl_dump_step(test, ctx, &cb, NLMSG_GOODSIZE / 2, ids, 4,
			      &intr, &room);
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, ids[0], 100);
	KUNIT_EXPECT_FALSE(test, intr);

	/* Room for one entry and a half: one entry a step. */
	room = room / 3 + room / 6;
	memset(&cb, 0, sizeof(cb));
	cb.nlh = &req;
	cb.skb = ctx->skb;
	n = scws_nl_dump_step(test, ctx, &cb, room, ids, 4, &intr, NULL);
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, ids[0], 100);

	/* 100 is claimed (or times out) between the two parts. */
	mutex_lock(&ctx->sn->lock);
	first = list_first_entry(&port->conns, struct scws_conn, node);
	list_del(&first->node);
	port->queued--;
	scws_conns_changed(ctx->sn);
	mutex_unlock(&ctx->sn->lock);
	kfree(first);
	atomic_dec(&scws_live.conns);

	n = scws_nl_dump_step(test, ctx, &cb, room, ids, 4, &intr, NULL);
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, ids[0], 101);
	KUNIT_EXPECT_TRUE(test, intr);
	n = scws_nl_dump_step(test, ctx, &cb, room, ids, 4, &intr, NULL);
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, ids[0], 102);
	KUNIT_EXPECT_EQ(test, scws_nl_dump_step(test, ctx, &cb, room, ids, 4,
						&intr, NULL), 0);
}

static struct kunit_case scws_netlink_cases[] = {
	KUNIT_CASE(scws_nl_test_policy_rejects),
	KUNIT_CASE(scws_nl_test_policy_accepts),
	KUNIT_CASE(scws_nl_test_second_pump_busy),
	KUNIT_CASE(scws_nl_test_port_set_checks),
	KUNIT_CASE(scws_nl_test_claim_checks),
	KUNIT_CASE(scws_nl_test_urelease),
	KUNIT_CASE(scws_nl_test_conn_dump_cursor),
	{}
};

static struct kunit_suite scws_netlink_suite = {
	.name = "scws-netlink",
	.init = scws_nl_test_init,
	.exit = scws_nl_test_exit,
	.test_cases = scws_netlink_cases,
};

kunit_test_suite(scws_netlink_suite);
