// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the module core on live kernel objects: real network
 * namespaces, real loopback TCP connections through the hook and the
 * listeners, the per-port queue, its bound and its timeout.  The pump is a
 * netlink port id nobody owns, so offers fail and connections stay queued.
 *
 * Every test works in network namespaces of its own, never in init_net.
 * They do change module-wide state (scws_params, restored at exit), which
 * is why CONFIG_SCWS_KUNIT_TEST needs SCWS=y: the suites run in a test
 * kernel at boot, never at the load of scws.ko on a live system.
 */
#include <kunit/test.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/in.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "scws.h"
#include "policy.h"

#define FAKE_PUMP	0x5c05u

struct scws_test_ctx {
	struct net *net;
	struct scws_net *sn;
	struct socket *clients[8];
	unsigned int nclients;
	struct scws_params saved;
};

static int scws_test_init(struct kunit *test)
{
	struct scws_test_ctx *ctx;
	struct net_device *lo;
	int err;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->saved = scws_params;
	ctx->net = copy_net_ns(CLONE_NEWNET, &init_user_ns, &init_net);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx->net));
	ctx->sn = scws_net(ctx->net);
	lo = ctx->net->loopback_dev;
	rtnl_lock();
	err = dev_change_flags(lo, lo->flags | IFF_UP, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
	test->priv = ctx;
	return 0;
}

static void scws_test_exit(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;

	while (ctx->nclients)
		if (ctx->clients[--ctx->nclients])
			sock_release(ctx->clients[ctx->nclients]);
	scws_conns_reset(ctx->sn, NULL, SCWS_REASON_SHUTDOWN);
	scws_params = ctx->saved;
	put_net(ctx->net);
}

static void scws_test_fake_pump(struct scws_test_ctx *ctx, u32 channels)
{
	mutex_lock(&ctx->sn->lock);
	WRITE_ONCE(ctx->sn->pump_portid, FAKE_PUMP);
	WRITE_ONCE(ctx->sn->ports[0].channels, channels);
	ctx->sn->ports[0].capacity = channels;
	mutex_unlock(&ctx->sn->lock);
}

static int scws_test_connect(struct kunit *test, int family)
{
	struct scws_test_ctx *ctx = test->priv;
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
		.sin6_port = htons(scws_params.ports[0]),
	};
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		.sin_port = htons(scws_params.ports[0]),
	};
	struct socket *sock;
	int err;

	KUNIT_ASSERT_LT(test, ctx->nclients, ARRAY_SIZE(ctx->clients));
	err = sock_create_kern(ctx->net, family, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	KUNIT_ASSERT_EQ(test, err, 0);
	ctx->clients[ctx->nclients++] = sock;
	if (family == AF_INET6)
		return kernel_connect(sock, (struct sockaddr *)&sin6,
				      sizeof(sin6), 0);
	return kernel_connect(sock, (struct sockaddr *)&sin, sizeof(sin), 0);
}

/* Wait (up to 2 s) until the port's counters reach what the test expects. */
static bool scws_test_wait(struct scws_port *port, struct scws_net *sn,
			   u64 accepted)
{
	int i;

	for (i = 0; i < 200; i++) {
		bool done;

		flush_workqueue(scws_wq);
		mutex_lock(&sn->lock);
		done = port->accepted >= accepted;
		mutex_unlock(&sn->lock);
		if (done)
			return true;
		usleep_range(10000, 20000);
	}
	return false;
}

static void scws_test_no_pump_refused(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ(test, scws_test_connect(test, AF_INET), -ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, atomic64_read(&ctx->sn->ports[0].refused), 1);
	KUNIT_EXPECT_EQ(test, ctx->sn->ports[0].accepted, 0);
}

static void scws_test_not_served_refused(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;

	scws_test_fake_pump(ctx, 0);
	KUNIT_EXPECT_EQ(test, scws_test_connect(test, AF_INET), -ECONNREFUSED);
	if (scws_params.ipv6)
		KUNIT_EXPECT_EQ(test, scws_test_connect(test, AF_INET6),
				-ECONNREFUSED);
}

static void scws_test_accepts_in_fresh_netns(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct scws_port *port = &ctx->sn->ports[0];
	struct scws_conn *conn;

	scws_test_fake_pump(ctx, 1);
	KUNIT_ASSERT_EQ(test, scws_test_connect(test, AF_INET), 0);
	KUNIT_ASSERT_TRUE(test, scws_test_wait(port, ctx->sn, 1));

	mutex_lock(&ctx->sn->lock);
	KUNIT_EXPECT_EQ(test, port->queued, 1);
	conn = list_first_entry_or_null(&port->conns, struct scws_conn, node);
	KUNIT_ASSERT_NOT_NULL(test, conn);
	/* The first SYN was sent by this very task: that is the caller. */
	KUNIT_EXPECT_PTR_EQ(test, conn->caller.pid, task_tgid(current));
	KUNIT_EXPECT_NOT_NULL(test, conn->caller.cred);
	KUNIT_EXPECT_EQ(test, conn->tuple.dport, port->port);
	KUNIT_EXPECT_FALSE(test, conn->offered);
	mutex_unlock(&ctx->sn->lock);
}

/*
 * queue_len 3 and one free channel the pump never takes (its socket does
 * not exist): four connections can wait, the fifth is refused at connect()
 * (it used to complete its handshake and be reset).
 */
static void scws_test_queue_bound(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct scws_port *port = &ctx->sn->ports[0];
	int i;

	scws_params.queue_len = 3;
	/* One uid: no share below what the queue plus the never taken
	 * channel hold.
	 */
	scws_params.queue_per_uid = 4;
	scws_test_fake_pump(ctx, 1);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, scws_test_connect(test, AF_INET), 0);
	KUNIT_EXPECT_EQ(test, scws_test_connect(test, AF_INET), -ECONNREFUSED);
	KUNIT_ASSERT_TRUE(test, scws_test_wait(port, ctx->sn, 4));

	mutex_lock(&ctx->sn->lock);
	KUNIT_EXPECT_EQ(test, port->queued, 4);
	KUNIT_EXPECT_EQ(test, port->reset, 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&port->refused), 1);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&port->conns), 4);
	mutex_unlock(&ctx->sn->lock);
}

static int scws_test_connect_as(struct kunit *test, uid_t uid)
{
	struct cred *cred = prepare_creds();
	const struct cred *old;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, cred);
	cred->euid = KUIDT_INIT(uid);
	cred->fsuid = KUIDT_INIT(uid);
	old = override_creds(cred);
	err = scws_test_connect(test, AF_INET);
	revert_creds(old);
	put_cred(cred);
	return err;
}

/* One uid holds its share of the queue: its next connect is refused,
 * another uid's still waits.
 */
static void scws_test_queue_share(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct scws_port *port = &ctx->sn->ports[0];

	scws_params.queue_len = 4;
	scws_params.queue_per_uid = 1;
	scws_test_fake_pump(ctx, 1);
	KUNIT_ASSERT_EQ(test, scws_test_connect_as(test, 1001), 0);
	KUNIT_ASSERT_TRUE(test, scws_test_wait(port, ctx->sn, 1));
	KUNIT_EXPECT_EQ(test, scws_test_connect_as(test, 1001), -ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, scws_test_connect_as(test, 1003), 0);
	KUNIT_ASSERT_TRUE(test, scws_test_wait(port, ctx->sn, 2));
	mutex_lock(&ctx->sn->lock);
	KUNIT_EXPECT_EQ(test, port->queued, 2);
	KUNIT_EXPECT_EQ(test, atomic64_read(&port->refused), 1);
	mutex_unlock(&ctx->sn->lock);
}

/* Clients that connected and left free their slots: a new one waits. */
static void scws_test_closed_clients_reaped(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct scws_port *port = &ctx->sn->ports[0];
	int i;

	scws_params.queue_len = 2;
	scws_params.queue_per_uid = 3;
	scws_test_fake_pump(ctx, 1);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, scws_test_connect(test, AF_INET), 0);
	KUNIT_ASSERT_TRUE(test, scws_test_wait(port, ctx->sn, 3));
	KUNIT_EXPECT_EQ(test, scws_test_connect(test, AF_INET), -ECONNREFUSED);
	/* The four clients close (the refused one never connected). */
	for (i = 0; i < 4; i++) {
		sock_release(ctx->clients[i]);
		ctx->clients[i] = NULL;
	}
	msleep(50);		/* their FINs reach the accepted sockets */
	KUNIT_EXPECT_EQ(test, scws_test_connect(test, AF_INET), 0);
	KUNIT_ASSERT_TRUE(test, scws_test_wait(port, ctx->sn, 4));
	mutex_lock(&ctx->sn->lock);
	KUNIT_EXPECT_EQ(test, port->closed, 3);
	KUNIT_EXPECT_EQ(test, port->queued, 1);
	KUNIT_EXPECT_EQ(test, port->reset, 0);
	mutex_unlock(&ctx->sn->lock);
}

static void scws_test_queue_timeout(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct scws_port *port = &ctx->sn->ports[0];

	scws_params.queue_timeout_ms = 100;
	scws_test_fake_pump(ctx, 1);
	KUNIT_ASSERT_EQ(test, scws_test_connect(test, AF_INET), 0);
	KUNIT_ASSERT_EQ(test, scws_test_connect(test, AF_INET), 0);
	KUNIT_ASSERT_TRUE(test, scws_test_wait(port, ctx->sn, 2));
	msleep(400);
	flush_delayed_work(&ctx->sn->expire_work);

	mutex_lock(&ctx->sn->lock);
	KUNIT_EXPECT_EQ(test, port->timed_out, 2);
	KUNIT_EXPECT_EQ(test, port->queued, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&port->conns));
	mutex_unlock(&ctx->sn->lock);
}

/* Mark the first queued connection of @port offered; returns its id. */
static u64 scws_test_offer_first(struct scws_test_ctx *ctx,
				 struct scws_port *port)
{
	struct scws_conn *conn;
	u64 id;

	mutex_lock(&ctx->sn->lock);
	conn = list_first_entry(&port->conns, struct scws_conn, node);
	conn->offered = true;	/* as if CONN_NEW had reached the pump */
	port->queued--;
	port->offered++;
	id = conn->id;
	mutex_unlock(&ctx->sn->lock);
	return id;
}

/* What the client socket sees next: data length, 0 (EOF) or -errno. */
static int scws_test_client_recv(struct socket *sock)
{
	char buf[8];
	struct kvec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = {};

	sock->sk->sk_rcvtimeo = 2 * HZ;
	return kernel_recvmsg(sock, &msg, &iov, 1, sizeof(buf), 0);
}

static void scws_test_claim_other_netns(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct scws_port *port = &ctx->sn->ports[0];
	struct genl_info info = {};
	struct scws_net *other_sn;
	struct net *other;
	u64 id;

	/* A second namespace of our own: never touch init_net's pump. */
	other = copy_net_ns(CLONE_NEWNET, &init_user_ns, &init_net);
	KUNIT_ASSERT_FALSE(test, IS_ERR(other));
	other_sn = scws_net(other);

	scws_test_fake_pump(ctx, 1);
	KUNIT_ASSERT_EQ(test, scws_test_connect(test, AF_INET), 0);
	KUNIT_ASSERT_TRUE(test, scws_test_wait(port, ctx->sn, 1));
	id = scws_test_offer_first(ctx, port);

	/* Another namespace's pump never finds it, whatever its port id. */
	mutex_lock(&other_sn->lock);
	other_sn->pump_portid = FAKE_PUMP;
	mutex_unlock(&other_sn->lock);
	info.snd_portid = FAKE_PUMP;
	genl_info_net_set(&info, other);
	KUNIT_EXPECT_EQ(test, scws_conn_claim(other_sn, id, &info), -ENOENT);
	mutex_lock(&other_sn->lock);
	other_sn->pump_portid = 0;
	mutex_unlock(&other_sn->lock);
	put_net(other);

	/* In its own namespace only the registered pump may claim. */
	genl_info_net_set(&info, ctx->net);
	info.snd_portid = FAKE_PUMP + 1;
	KUNIT_EXPECT_EQ(test, scws_conn_claim(ctx->sn, id, &info), -EPERM);
	info.snd_portid = FAKE_PUMP;
	KUNIT_EXPECT_EQ(test, scws_conn_claim(ctx->sn, id + 1000, &info),
			-ENOENT);
	mutex_lock(&ctx->sn->lock);
	KUNIT_EXPECT_EQ(test, port->offered, 1);
	mutex_unlock(&ctx->sn->lock);
}

/*
 * The claim's reply cannot reach the pump (nobody owns FAKE_PUMP): the
 * reserved descriptor goes back, nothing is handed off, the client gets a
 * reset, and the channel counts as free again.
 */
static void scws_test_claim_reply_fails(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct scws_port *port = &ctx->sn->ports[0];
	struct genl_info info = { .snd_portid = FAKE_PUMP };
	int next, fd;
	u64 id;

	scws_test_fake_pump(ctx, 1);
	KUNIT_ASSERT_EQ(test, scws_test_connect(test, AF_INET), 0);
	KUNIT_ASSERT_TRUE(test, scws_test_wait(port, ctx->sn, 1));
	id = scws_test_offer_first(ctx, port);
	genl_info_net_set(&info, ctx->net);

	next = get_unused_fd_flags(0);
	KUNIT_ASSERT_GE(test, next, 0);
	put_unused_fd(next);
	KUNIT_EXPECT_EQ(test, scws_conn_claim(ctx->sn, id, &info),
			-ECONNREFUSED);
	fd = get_unused_fd_flags(0);
	KUNIT_EXPECT_EQ(test, fd, next);	/* the number went back */
	if (fd >= 0)
		put_unused_fd(fd);

	mutex_lock(&ctx->sn->lock);
	KUNIT_EXPECT_EQ(test, port->handed_off, 0);
	KUNIT_EXPECT_EQ(test, port->reset, 1);
	KUNIT_EXPECT_EQ(test, port->offered, 0);
	KUNIT_EXPECT_EQ(test, port->capacity, 1);
	KUNIT_EXPECT_TRUE(test, list_empty(&port->conns));
	mutex_unlock(&ctx->sn->lock);
	KUNIT_EXPECT_EQ(test, scws_test_client_recv(ctx->clients[0]),
			-ECONNRESET);
}

static void scws_test_pump_gone_resets(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct scws_port *port = &ctx->sn->ports[0];

	scws_test_fake_pump(ctx, 2);
	KUNIT_ASSERT_EQ(test, scws_test_connect(test, AF_INET), 0);
	KUNIT_ASSERT_EQ(test, scws_test_connect(test, AF_INET), 0);
	KUNIT_ASSERT_TRUE(test, scws_test_wait(port, ctx->sn, 2));

	scws_pump_gone(ctx->sn, FAKE_PUMP + 1);	/* someone else's socket */
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->sn->pump_portid), FAKE_PUMP);
	scws_pump_gone(ctx->sn, FAKE_PUMP);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->sn->pump_portid), 0);
	mutex_lock(&ctx->sn->lock);
	KUNIT_EXPECT_EQ(test, port->reset, 2);
	KUNIT_EXPECT_EQ(test, port->channels, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&port->conns));
	mutex_unlock(&ctx->sn->lock);
	/* And new connects are refused at once again. */
	KUNIT_EXPECT_EQ(test, scws_test_connect(test, AF_INET), -ECONNREFUSED);
}

static void scws_test_port_owned(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		.sin_port = htons(scws_params.ports[0]),
	};
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, sock_create_kern(ctx->net, AF_INET, SOCK_STREAM,
					       IPPROTO_TCP, &sock), 0);
	sock_set_reuseaddr(sock->sk);
	KUNIT_EXPECT_EQ(test, kernel_bind(sock, (struct sockaddr *)&sin,
					  sizeof(sin)), -EADDRINUSE);
	sock_release(sock);
}

/* The LSM path judges in connect() and records the verdict on the socket. */
static void scws_test_lsm_judge_records(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		.sin_port = htons(scws_params.ports[0]),
	};
	struct sockaddr_in other = sin;
	struct socket *sock;
	u8 verdict;

	KUNIT_ASSERT_EQ(test, sock_create_kern(ctx->net, AF_INET, SOCK_STREAM,
					       IPPROTO_TCP, &sock), 0);
	ctx->clients[ctx->nclients++] = sock;
	/* No pump: refused at connect(), nothing recorded. */
	KUNIT_EXPECT_EQ(test, scws_lsm_judge(sock, (struct sockaddr *)&sin,
					     sizeof(sin)), -ECONNREFUSED);
	KUNIT_EXPECT_FALSE(test, scws_records_lookup(ctx->sn->records, sock->sk,
						     &verdict));
	/* Another port, or a short address: not ours to judge. */
	other.sin_port = htons(9);
	KUNIT_EXPECT_EQ(test, scws_lsm_judge(sock, (struct sockaddr *)&other,
					     sizeof(other)), 0);
	KUNIT_EXPECT_EQ(test, scws_lsm_judge(sock, (struct sockaddr *)&sin, 4),
			0);

	scws_test_fake_pump(ctx, 1);
	KUNIT_EXPECT_EQ(test, scws_lsm_judge(sock, (struct sockaddr *)&sin,
					     sizeof(sin)), 0);
	KUNIT_ASSERT_TRUE(test, scws_records_lookup(ctx->sn->records, sock->sk,
						    &verdict));
	KUNIT_EXPECT_EQ(test, verdict, SCWS_VERDICT_ALLOW);
}

/*
 * An accepted connection whose client socket was never judged (what a raw
 * socket forging a handshake gets) is reset, never queued for the pump.
 */
static void scws_test_unjudged_reset(struct kunit *test)
{
	struct scws_test_ctx *ctx = test->priv;
	struct scws_port *port = &ctx->sn->ports[0];
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		.sin_port = htons(3999),
	};
	struct socket *lsock, *client, *child;

	scws_test_fake_pump(ctx, 1);
	KUNIT_ASSERT_EQ(test, sock_create_kern(ctx->net, AF_INET, SOCK_STREAM,
					       IPPROTO_TCP, &lsock), 0);
	ctx->clients[ctx->nclients++] = lsock;
	KUNIT_ASSERT_EQ(test, kernel_bind(lsock, (struct sockaddr *)&sin,
					  sizeof(sin)), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(lsock, 4), 0);
	KUNIT_ASSERT_EQ(test, sock_create_kern(ctx->net, AF_INET, SOCK_STREAM,
					       IPPROTO_TCP, &client), 0);
	ctx->clients[ctx->nclients++] = client;
	KUNIT_ASSERT_EQ(test, kernel_connect(client, (struct sockaddr *)&sin,
					     sizeof(sin), 0), 0);
	KUNIT_ASSERT_EQ(test, kernel_accept(lsock, &child, 0), 0);

	scws_conn_accepted(ctx->sn, port, child);	/* takes @child */
	mutex_lock(&ctx->sn->lock);
	KUNIT_EXPECT_EQ(test, port->accepted, 1);
	KUNIT_EXPECT_EQ(test, port->reset, 1);
	KUNIT_EXPECT_EQ(test, port->queued, 0);
	mutex_unlock(&ctx->sn->lock);
}

static struct kunit_case scws_core_cases[] = {
	KUNIT_CASE(scws_test_port_owned),
	KUNIT_CASE(scws_test_no_pump_refused),
	KUNIT_CASE(scws_test_not_served_refused),
	KUNIT_CASE(scws_test_accepts_in_fresh_netns),
	KUNIT_CASE(scws_test_queue_bound),
	KUNIT_CASE(scws_test_queue_share),
	KUNIT_CASE(scws_test_closed_clients_reaped),
	KUNIT_CASE(scws_test_queue_timeout),
	KUNIT_CASE(scws_test_claim_other_netns),
	KUNIT_CASE(scws_test_claim_reply_fails),
	KUNIT_CASE(scws_test_pump_gone_resets),
	KUNIT_CASE(scws_test_lsm_judge_records),
	KUNIT_CASE(scws_test_unjudged_reset),
	{}
};

static struct kunit_suite scws_core_suite = {
	.name = "scws-core",
	.init = scws_test_init,
	.exit = scws_test_exit,
	.test_cases = scws_core_cases,
};

kunit_test_suite(scws_core_suite);
