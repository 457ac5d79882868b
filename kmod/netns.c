// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: the ports, their listeners and hooks, and
 * the pump.  .init never fails: a failing init would break every
 * unshare(CLONE_NEWNET) on the system.  What cannot be set up makes the
 * namespace fail closed instead: a port it cannot hold, or a namespace
 * without hooks, is "unguarded" and refuses every connect (and accepted
 * connections are served only with a judged client socket behind them).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "scws.h"
#include "policy.h"

unsigned int scws_net_id __read_mostly;

struct scws_port *scws_port_find(struct scws_net *sn, u16 port)
{
	unsigned int i;

	for (i = 0; i < scws_params.nports; i++)
		if (sn->ports[i].port == port)
			return &sn->ports[i];
	return NULL;
}

/* Does any port of @sn refuse everything (see listener.c, netns init)? */
bool scws_net_unguarded(const struct scws_net *sn)
{
	unsigned int i;

	for (i = 0; i < scws_params.nports; i++)
		if (READ_ONCE(sn->ports[i].unguarded))
			return true;
	return false;
}

void scws_pump_gone(struct scws_net *sn, u32 portid)
{
	unsigned int i;

	mutex_lock(&sn->lock);
	if (!portid || sn->pump_portid != portid) {
		mutex_unlock(&sn->lock);
		return;
	}
	WRITE_ONCE(sn->pump_portid, 0);
	for (i = 0; i < scws_params.nports; i++) {
		WRITE_ONCE(sn->ports[i].channels, 0);
		sn->ports[i].capacity = 0;
		sn->ports[i].pump_stats = false;
	}
	scws_event_pump(sn, SCWS_EVENT_PUMP_DOWN, portid);
	mutex_unlock(&sn->lock);
	scws_conns_reset(sn, NULL, SCWS_REASON_PUMP_GONE);
}

static int __net_init scws_net_init(struct net *net)
{
	struct scws_net *sn = scws_net(net);
	unsigned int i;
	int err;

	sn->net = net;
	mutex_init(&sn->lock);
	mutex_init(&sn->policy_lock);
	scws_held_net_init(sn);
	INIT_DELAYED_WORK(&sn->expire_work, scws_expire_work);
	for (i = 0; i < scws_params.nports; i++) {
		sn->ports[i].port = scws_params.ports[i];
		INIT_LIST_HEAD(&sn->ports[i].conns);
		atomic64_set(&sn->ports[i].refused, 0);
	}
	sn->records = scws_records_create();
	if (!sn->records)
		pr_warn("netns %u: no memory for caller records\n",
			net->ns.inum);
	err = scws_hook_register(net);
	if (err) {
		/* Accepted connections still need a judged client: none is. */
		pr_err("netns %u: cannot register hooks (%d): refusing every connect\n",
		       net->ns.inum, err);
		for (i = 0; i < scws_params.nports; i++)
			sn->ports[i].unguarded = true;
	}
	sn->hooked = !err;
	scws_listeners_start(sn);
	atomic_inc(&scws_live.nets);
	return 0;
}

static void __net_exit scws_net_exit(struct net *net)
{
	struct scws_net *sn = scws_net(net);

	mutex_lock(&sn->lock);
	WRITE_ONCE(sn->dying, true);
	mutex_unlock(&sn->lock);

	scws_listeners_stop(sn);
	if (sn->hooked)
		scws_hook_unregister(net);
	/* No hook runs now: drop the SYNs it held, never wait for a hash. */
	scws_held_net_exit(sn);
	cancel_delayed_work_sync(&sn->expire_work);
	scws_conns_reset(sn, NULL, SCWS_REASON_SHUTDOWN);
	scws_records_destroy(sn->records);
	sn->records = NULL;
	scws_policy_free_rcu(rcu_replace_pointer(sn->policy, NULL, true));
	atomic_dec(&scws_live.nets);
}

static struct pernet_operations scws_net_ops = {
	.init = scws_net_init,
	.exit = scws_net_exit,
	.id = &scws_net_id,
	.size = sizeof(struct scws_net),
};

int scws_pernet_init(void)
{
	return register_pernet_subsys(&scws_net_ops);
}

void scws_pernet_exit(void)
{
	unregister_pernet_subsys(&scws_net_ops);
}
