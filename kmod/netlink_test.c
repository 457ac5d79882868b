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
			 ctx->skb->len, scws_policy, &ctx->extack);
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

static void scws_nl_test_policy_rejects(struct kunit *test)
{
	struct scws_nl_ctx *ctx = test->priv;
	u8 junk[16] = {};

	/* Wrong size for a u16. */
	KUNIT_ASSERT_EQ(test, nla_put_u32(ctx->skb, SCWS_A_PORT, 3516), 0);
	KUNIT_EXPECT_LT(test, scws_nl_parse(ctx), 0);
	KUNIT_EXPECT_NOT_NULL(test, ctx->extack._msg);
	scws_nl_reset(ctx);
	/* Out of range: port 0, 256 channels, connection id 0. */
	KUNIT_ASSERT_EQ(test, nla_put_u16(ctx->skb, SCWS_A_PORT, 0), 0);
	KUNIT_EXPECT_LT(test, scws_nl_parse(ctx), 0);
	scws_nl_reset(ctx);
	KUNIT_ASSERT_EQ(test, nla_put_u32(ctx->skb, SCWS_A_PORT_CHANNELS,
					  SCWS_CHANNELS_MAX + 1), 0);
	KUNIT_EXPECT_LT(test, scws_nl_parse(ctx), 0);
	scws_nl_reset(ctx);
	KUNIT_ASSERT_EQ(test, nla_put_u32(ctx->skb, SCWS_A_PORT_CAPACITY,
					  U32_MAX), 0);
	KUNIT_EXPECT_LT(test, scws_nl_parse(ctx), 0);
	scws_nl_reset(ctx);
	KUNIT_ASSERT_EQ(test, scws_nl_put_id(ctx->skb, 0), 0);
	KUNIT_EXPECT_LT(test, scws_nl_parse(ctx), 0);
	scws_nl_reset(ctx);
	/* Oversized: 16 bytes where a u64 belongs. */
	KUNIT_ASSERT_EQ(test, nla_put(ctx->skb, SCWS_A_CONN_ID, sizeof(junk),
				      junk), 0);
	KUNIT_EXPECT_LT(test, scws_nl_parse(ctx), 0);
	scws_nl_reset(ctx);
	/* Output-only and unknown attributes. */
	KUNIT_ASSERT_EQ(test, nla_put_u32(ctx->skb, SCWS_A_PUMP_PORTID, 1), 0);
	KUNIT_EXPECT_LT(test, scws_nl_parse(ctx), 0);
	scws_nl_reset(ctx);
	KUNIT_ASSERT_EQ(test, nla_put(ctx->skb, SCWS_A_CONN, 0, NULL), 0);
	KUNIT_EXPECT_LT(test, scws_nl_parse(ctx), 0);
	scws_nl_reset(ctx);
	KUNIT_ASSERT_EQ(test, nla_put_u8(ctx->skb, SCWS_A_MAX + 1, 1), 0);
	KUNIT_EXPECT_LT(test, scws_nl_parse(ctx), 0);
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
	n.net = &init_net;
	scws_netlink_notify(NULL, NETLINK_URELEASE, &n);
	KUNIT_EXPECT_EQ(test, ctx->sn->pump_portid, ctx->info.snd_portid);
	/* The pump itself. */
	n.net = ctx->net;
	scws_netlink_notify(NULL, NETLINK_URELEASE, &n);
	KUNIT_EXPECT_EQ(test, ctx->sn->pump_portid, 0);
}

static struct kunit_case scws_netlink_cases[] = {
	KUNIT_CASE(scws_nl_test_policy_rejects),
	KUNIT_CASE(scws_nl_test_policy_accepts),
	KUNIT_CASE(scws_nl_test_second_pump_busy),
	KUNIT_CASE(scws_nl_test_port_set_checks),
	KUNIT_CASE(scws_nl_test_claim_checks),
	KUNIT_CASE(scws_nl_test_urelease),
	{}
};

static struct kunit_suite scws_netlink_suite = {
	.name = "scws-netlink",
	.init = scws_nl_test_init,
	.exit = scws_nl_test_exit,
	.test_cases = scws_netlink_cases,
};

kunit_test_suite(scws_netlink_suite);
