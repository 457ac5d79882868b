// SPDX-License-Identifier: GPL-2.0
/*
 * The "scws" generic netlink family: pump registration, port capacity,
 * connection hand-off, status, and the events multicast group.  The ABI is
 * documented in uapi/linux/scws.h.
 */
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "scws.h"
#include "policy.h"
#include "trust.h"

enum scws_mcgrp {
	SCWS_MCGRP_EVENTS,
};

static struct genl_family scws_family;
static bool scws_family_live;

/* Not static: the KUnit suite of policy.c validates against this very table. */
const struct nla_policy scws_nl_policy[SCWS_A_MAX + 1] = {
	/* Everything not listed here is rejected. */
	[SCWS_A_UNSPEC] = { .strict_start_type = 1 },
	[SCWS_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[SCWS_A_PORT_CHANNELS] = NLA_POLICY_MAX(NLA_U32, SCWS_CHANNELS_MAX),
	[SCWS_A_PORT_CAPACITY] = NLA_POLICY_MAX(NLA_U32, SCWS_CHANNELS_MAX),
	[SCWS_A_PORT_WAITING] = { .type = NLA_U32 },
	[SCWS_A_PORT_WAITS] = { .type = NLA_U64 },
	[SCWS_A_PORT_RECLAIMS] = { .type = NLA_U64 },
	[SCWS_A_CONN_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[SCWS_A_POLICY_DEFAULT] = NLA_POLICY_MAX(NLA_U8, SCWS_ACTION_ALLOW),
	[SCWS_A_POLICY_RULE] = NLA_POLICY_NESTED(scws_rule_policy),
	[SCWS_A_POLICY_TRUST] = NLA_POLICY_EXACT_LEN(SCWS_SHA256_LEN),
	[SCWS_A_TRUST_ANCHOR] = NLA_POLICY_RANGE(NLA_U8, SCWS_ANCHOR_MANUFACTURER,
						 SCWS_ANCHOR_CARD),
	[SCWS_A_TRUST_CERT] = { .type = NLA_BINARY, .len = SCWS_CERT_MAX },
	[SCWS_A_POLICY_CARD_TAG] = { .type = NLA_BINARY,
				     .len = SCWS_CARD_TAG_MAX },
};

static struct scws_net *scws_info_net(const struct genl_info *info)
{
	return scws_net(genl_info_net((struct genl_info *)info));
}

static int scws_nl_pump_register(struct sk_buff *skb, struct genl_info *info)
{
	struct scws_net *sn = scws_info_net(info);
	int err = 0;

	mutex_lock(&sn->lock);
	if (sn->pump_portid && sn->pump_portid != info->snd_portid) {
		NL_SET_ERR_MSG(info->extack,
			       "a pump is already registered in this network namespace");
		err = -EBUSY;
	} else if (!sn->pump_portid) {
		WRITE_ONCE(sn->pump_portid, info->snd_portid);
		scws_event_pump(sn, SCWS_EVENT_PUMP_UP, info->snd_portid);
	}
	mutex_unlock(&sn->lock);
	return err;
}

static int scws_nl_pump_unregister(struct sk_buff *skb, struct genl_info *info)
{
	struct scws_net *sn = scws_info_net(info);
	bool mine;

	mutex_lock(&sn->lock);
	mine = sn->pump_portid && sn->pump_portid == info->snd_portid;
	mutex_unlock(&sn->lock);
	if (!mine) {
		NL_SET_ERR_MSG(info->extack, "not the registered pump");
		return -EPERM;
	}
	scws_pump_gone(sn, info->snd_portid);
	return 0;
}

/* What a scheduling pump says about the connections it keeps waiting. */
static void scws_port_pump_stats(struct scws_port *port, struct nlattr **attrs)
{
	if (attrs[SCWS_A_PORT_WAITING]) {
		port->pump_stats = true;
		port->pump_waiting = nla_get_u32(attrs[SCWS_A_PORT_WAITING]);
	}
	if (attrs[SCWS_A_PORT_WAITS])
		port->pump_waits = nla_get_u64(attrs[SCWS_A_PORT_WAITS]);
	if (attrs[SCWS_A_PORT_RECLAIMS])
		port->pump_reclaims = nla_get_u64(attrs[SCWS_A_PORT_RECLAIMS]);
}

static int scws_nl_port_set(struct sk_buff *skb, struct genl_info *info)
{
	struct scws_net *sn = scws_info_net(info);
	struct scws_port *port;
	u32 channels, capacity;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, SCWS_A_PORT) ||
	    GENL_REQ_ATTR_CHECK(info, SCWS_A_PORT_CHANNELS) ||
	    GENL_REQ_ATTR_CHECK(info, SCWS_A_PORT_CAPACITY))
		return -EINVAL;
	port = scws_port_find(sn, nla_get_u16(info->attrs[SCWS_A_PORT]));
	if (!port) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SCWS_A_PORT],
				    "not a port of the module (see its ports= parameter)");
		return -EINVAL;
	}
	channels = nla_get_u32(info->attrs[SCWS_A_PORT_CHANNELS]);
	capacity = nla_get_u32(info->attrs[SCWS_A_PORT_CAPACITY]);
	if (capacity > channels) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SCWS_A_PORT_CAPACITY],
				    "capacity exceeds channels");
		return -EINVAL;
	}

	mutex_lock(&sn->lock);
	if (!sn->pump_portid || sn->pump_portid != info->snd_portid) {
		NL_SET_ERR_MSG(info->extack, "only the registered pump sets ports");
		err = -EPERM;
	} else {
		WRITE_ONCE(port->channels, channels);
		port->capacity = capacity;
		scws_port_pump_stats(port, info->attrs);
		scws_conn_dispatch(sn);
	}
	mutex_unlock(&sn->lock);
	if (!err && !channels)
		scws_conns_reset(sn, port, SCWS_REASON_NOT_SERVED);
	return err;
}

static int scws_nl_conn_claim(struct sk_buff *skb, struct genl_info *info)
{
	struct scws_net *sn = scws_info_net(info);
	int fd;

	if (GENL_REQ_ATTR_CHECK(info, SCWS_A_CONN_ID))
		return -EINVAL;
	fd = scws_conn_claim(sn, nla_get_u64(info->attrs[SCWS_A_CONN_ID]),
			     info);
	if (fd == -EPERM)
		NL_SET_ERR_MSG(info->extack, "not the registered pump");
	else if (fd == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SCWS_A_CONN_ID],
				    "no connection offered with this id in this network namespace");
	return fd < 0 ? fd : 0;
}

/* The claim's reply, naming @fd: reserved, not installed yet. */
int scws_send_claimed(struct scws_net *sn, const struct scws_conn *conn,
		      int fd, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &scws_family, 0,
				SCWS_CMD_CONN_CLAIM);
	if (!hdr || scws_conn_fill(msg, sn, conn, fd)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int scws_port_info_fill(struct sk_buff *skb, struct scws_port *port)
{
	struct nlattr *nest = nla_nest_start(skb, SCWS_A_PORT_INFO);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, SCWS_PORT_A_PORT, port->port) ||
	    nla_put_u32(skb, SCWS_PORT_A_CHANNELS, port->channels) ||
	    nla_put_u32(skb, SCWS_PORT_A_CAPACITY,
			port->capacity > port->offered ?
			port->capacity - port->offered : 0) ||
	    nla_put_u32(skb, SCWS_PORT_A_OFFERED, port->offered) ||
	    nla_put_u32(skb, SCWS_PORT_A_QUEUED, port->queued) ||
	    nla_put_u64_64bit(skb, SCWS_PORT_A_ACCEPTED, port->accepted,
			      SCWS_PORT_A_PAD) ||
	    nla_put_u64_64bit(skb, SCWS_PORT_A_HANDED_OFF, port->handed_off,
			      SCWS_PORT_A_PAD) ||
	    nla_put_u64_64bit(skb, SCWS_PORT_A_REFUSED,
			      atomic64_read(&port->refused), SCWS_PORT_A_PAD) ||
	    nla_put_u64_64bit(skb, SCWS_PORT_A_TIMED_OUT, port->timed_out,
			      SCWS_PORT_A_PAD) ||
	    nla_put_u64_64bit(skb, SCWS_PORT_A_RESET, port->reset,
			      SCWS_PORT_A_PAD) ||
	    nla_put_u64_64bit(skb, SCWS_PORT_A_CLOSED, port->closed,
			      SCWS_PORT_A_PAD) ||
	    (READ_ONCE(port->unguarded) &&
	     nla_put_flag(skb, SCWS_PORT_A_UNGUARDED)) ||
	    (port->pump_stats &&
	     (nla_put_u32(skb, SCWS_PORT_A_PUMP_WAITING, port->pump_waiting) ||
	      nla_put_u64_64bit(skb, SCWS_PORT_A_PUMP_WAITS, port->pump_waits,
				SCWS_PORT_A_PAD) ||
	      nla_put_u64_64bit(skb, SCWS_PORT_A_PUMP_RECLAIMS,
				port->pump_reclaims, SCWS_PORT_A_PAD)))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int scws_status_fill(struct sk_buff *skb, struct scws_net *sn)
{
	struct nlattr *ports;
	unsigned int i;

	if ((sn->pump_portid &&
	     nla_put_u32(skb, SCWS_A_PUMP_PORTID, sn->pump_portid)) ||
	    nla_put_u32(skb, SCWS_A_QUEUE_LEN, scws_params.queue_len) ||
	    nla_put_u32(skb, SCWS_A_QUEUE_TIMEOUT_MS,
			scws_params.queue_timeout_ms) ||
	    nla_put_u32(skb, SCWS_A_QUEUE_PER_UID, scws_params.queue_per_uid))
		return -EMSGSIZE;
	ports = nla_nest_start(skb, SCWS_A_PORTS);
	if (!ports)
		return -EMSGSIZE;
	for (i = 0; i < scws_params.nports; i++)
		if (scws_port_info_fill(skb, &sn->ports[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, ports);
	return 0;
}

static int scws_nl_status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct scws_net *sn = scws_info_net(info);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &scws_family, 0,
				SCWS_CMD_STATUS_GET);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&sn->lock);
	err = scws_status_fill(msg, sn);
	mutex_unlock(&sn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * cb->args[0]: port index, args[1]: id of the last connection dumped on
 * that port.  Ids grow along each port's FIFO, so a connection that leaves
 * mid-dump moves no other one past the cursor; any change marks the dump
 * NLM_F_DUMP_INTR, and the reader dumps again.
 */
static int scws_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct scws_net *sn = scws_net(sock_net(skb->sk));
	unsigned int i = cb->args[0];
	u64 last = cb->args[1];
	struct scws_conn *conn;
	void *hdr;

	mutex_lock(&sn->lock);
	cb->seq = sn->conns_gen + 1;
	for (; i < scws_params.nports; i++, last = 0) {
		list_for_each_entry(conn, &sn->ports[i].conns, node) {
			if (conn->id <= last)
				continue;
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, &scws_family,
					  NLM_F_MULTI, SCWS_CMD_CONN_GET);
			if (!hdr)
				goto full;
			genl_dump_check_consistent(cb, hdr);
			if (scws_conn_fill(skb, sn, conn, -1)) {
				genlmsg_cancel(skb, hdr);
				goto full;
			}
			genlmsg_end(skb, hdr);
			last = conn->id;
		}
	}
full:
	mutex_unlock(&sn->lock);
	cb->args[0] = i;
	cb->args[1] = last;
	return skb->len;
}

static void scws_policy_replace(struct scws_net *sn, struct scws_policy *p)
{
	struct scws_policy *old;

	mutex_lock(&sn->policy_lock);
	if (p)
		p->gen = ++sn->policy_gen;
	old = rcu_replace_pointer(sn->policy, p,
				  lockdep_is_held(&sn->policy_lock));
	mutex_unlock(&sn->policy_lock);
	scws_policy_free_rcu(old);
}

static int scws_nl_policy_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct scws_policy *p;
	u32 max_rules;

	/* Its memory is charged to the caller; a user namespace's root gets
	 * a smaller cap, the initial namespace's admin the ABI's.
	 */
	max_rules = netlink_capable(skb, CAP_NET_ADMIN) ?
		    SCWS_POLICY_MAX_RULES : scws_params.userns_max_rules;
	p = scws_policy_from_attrs_max(nlmsg_attrdata(info->nlhdr, GENL_HDRLEN),
				       nlmsg_attrlen(info->nlhdr, GENL_HDRLEN),
				       net->user_ns, max_rules, info->extack);
	if (IS_ERR(p))
		return PTR_ERR(p);
	/* A policy would decide nothing there: say so rather than succeed. */
	if (scws_net_unguarded(scws_net(net))) {
		scws_policy_free(p);
		NL_SET_ERR_MSG(info->extack,
			       "namespace unguarded (an SCWS port is held by another socket, or hooks are missing): every connect is refused, see scwsctl status");
		return -EADDRINUSE;
	}
	scws_policy_replace(scws_net(net), p);
	return 0;
}

static int scws_nl_policy_clear(struct sk_buff *skb, struct genl_info *info)
{
	scws_policy_replace(scws_info_net(info), NULL);
	return 0;
}

/*
 * cb->args[0]: position in the policy (see scws_policy_fill()), args[1]:
 * done.  A policy replaced mid-dump marks the dump interrupted.
 */
static int scws_nl_policy_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct scws_net *sn = scws_net(sock_net(skb->sk));
	const struct scws_policy *p;
	u32 pos = cb->args[0];
	bool done;
	void *hdr;

	if (cb->args[1])
		return 0;
	rcu_read_lock();
	p = rcu_dereference(sn->policy);
	cb->seq = p ? p->gen : 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &scws_family, NLM_F_MULTI, SCWS_CMD_POLICY_GET);
	if (!hdr) {
		rcu_read_unlock();
		return -EMSGSIZE;
	}
	genl_dump_check_consistent(cb, hdr);
	done = !p || scws_policy_fill(skb, p, &pos);
	rcu_read_unlock();
	if (!done && pos == cb->args[0]) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;	/* one rule larger than a message */
	}
	genlmsg_end(skb, hdr);
	cb->args[0] = pos;
	cb->args[1] = done;
	return skb->len;
}

static const struct genl_small_ops scws_ops[] = {
	{
		.cmd = SCWS_CMD_PUMP_REGISTER,
		.doit = scws_nl_pump_register,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = SCWS_CMD_PUMP_UNREGISTER,
		.doit = scws_nl_pump_unregister,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = SCWS_CMD_PORT_SET,
		.doit = scws_nl_port_set,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = SCWS_CMD_CONN_CLAIM,
		.doit = scws_nl_conn_claim,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = SCWS_CMD_CONN_GET,
		.dumpit = scws_nl_conn_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = SCWS_CMD_STATUS_GET,
		.doit = scws_nl_status_get,
	}, {
		.cmd = SCWS_CMD_POLICY_SET,
		.doit = scws_nl_policy_set,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = SCWS_CMD_POLICY_GET,
		.dumpit = scws_nl_policy_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = SCWS_CMD_POLICY_CLEAR,
		.doit = scws_nl_policy_clear,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		/* Global keyrings: admin of the initial namespace (keyring.c) */
		.cmd = SCWS_CMD_TRUST_ADD,
		.doit = scws_nl_trust_add,
		.flags = GENL_ADMIN_PERM,
	}, {
		.cmd = SCWS_CMD_TRUST_CLEAR,
		.doit = scws_nl_trust_clear,
		.flags = GENL_ADMIN_PERM,
	}, {
		.cmd = SCWS_CMD_TRUST_GET,
		.dumpit = scws_nl_trust_dump,
	},
};

static const struct genl_multicast_group scws_mcgrps[] = {
	[SCWS_MCGRP_EVENTS] = {
		.name = SCWS_GENL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family scws_family __ro_after_init = {
	.name = SCWS_GENL_NAME,
	.version = SCWS_GENL_VERSION,
	.maxattr = SCWS_A_MAX,
	.policy = scws_nl_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = scws_ops,
	.n_small_ops = ARRAY_SIZE(scws_ops),
	.mcgrps = scws_mcgrps,
	.n_mcgrps = ARRAY_SIZE(scws_mcgrps),
};

/*
 * Every message the module sends on its own (not a reply) goes through
 * here.  Hooks, listeners and workers run until the namespaces are gone,
 * which is after the family is unregistered at exit: the flag, read in an
 * RCU (bh) read-side section that scws_genl_exit() waits for, keeps them
 * off a family that no longer exists.  portid 0: the events group.
 */
static int scws_genl_send(struct net *net, struct sk_buff *msg, u32 portid)
{
	int err = -ESRCH;

	rcu_read_lock_bh();
	if (READ_ONCE(scws_family_live)) {
		if (portid)
			err = genlmsg_unicast(net, msg, portid);
		else
			err = genlmsg_multicast_netns(&scws_family, net, msg,
						      0, SCWS_MCGRP_EVENTS,
						      GFP_ATOMIC);
		msg = NULL;
	}
	rcu_read_unlock_bh();
	nlmsg_free(msg);
	return err;
}

int scws_send_conn_new(struct scws_net *sn, const struct scws_conn *conn)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &scws_family, 0, SCWS_CMD_CONN_NEW);
	if (!hdr || scws_conn_fill(msg, sn, conn, -1)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return scws_genl_send(sn->net, msg, sn->pump_portid);
}

bool scws_events_wanted(struct net *net)
{
	return READ_ONCE(scws_family_live) &&
	       genl_has_listeners(&scws_family, net, SCWS_MCGRP_EVENTS);
}

static struct sk_buff *scws_event_new(u8 event, u8 reason, void **hdr,
				      gfp_t gfp)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, gfp);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &scws_family, 0, SCWS_CMD_EVENT);
	if (!*hdr || nla_put_u8(msg, SCWS_A_EVENT, event) ||
	    (reason && nla_put_u8(msg, SCWS_A_REASON, reason))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void scws_event_send(struct net *net, struct sk_buff *msg, void *hdr)
{
	genlmsg_end(msg, hdr);
	scws_genl_send(net, msg, 0);
}

void scws_event_conn(struct scws_net *sn, u8 event, u8 reason,
		     const struct scws_conn *conn)
{
	struct sk_buff *msg;
	void *hdr;

	if (!scws_events_wanted(sn->net))
		return;
	msg = scws_event_new(event, reason, &hdr, GFP_KERNEL);
	if (!msg)
		return;
	if (scws_conn_fill(msg, sn, conn, -1)) {
		nlmsg_free(msg);
		return;
	}
	scws_event_send(sn->net, msg, hdr);
}

/* From the hook: atomic context, and no connection exists (id 0). */
void scws_event_refused(struct net *net, const struct scws_tuple *t,
			const struct scws_caller *c, u8 reason,
			const struct scws_decision_info *decision)
{
	struct scws_conn conn = {
		.tuple = *t,
		.caller = *c,
		.decision = *decision,
		.accepted_at = jiffies,
	};
	struct sk_buff *msg;
	void *hdr;

	msg = scws_event_new(SCWS_EVENT_CONN_REFUSED, reason, &hdr,
			     GFP_ATOMIC);
	if (!msg)
		return;
	if (scws_conn_fill(msg, scws_net(net), &conn, -1)) {
		nlmsg_free(msg);
		return;
	}
	scws_event_send(net, msg, hdr);
}

void scws_event_pump(struct scws_net *sn, u8 event, u32 portid)
{
	struct sk_buff *msg;
	void *hdr;

	if (!scws_events_wanted(sn->net))
		return;
	msg = scws_event_new(event, SCWS_REASON_NONE, &hdr, GFP_KERNEL);
	if (!msg)
		return;
	if (nla_put_u32(msg, SCWS_A_PUMP_PORTID, portid)) {
		nlmsg_free(msg);
		return;
	}
	scws_event_send(sn->net, msg, hdr);
}

/* The pump's socket is gone: reset what it would have served. */
static int scws_netlink_notify(struct notifier_block *nb, unsigned long state,
			       void *data)
{
	struct netlink_notify *n = data;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	scws_pump_gone(scws_net(n->net), n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block scws_netlink_notifier = {
	.notifier_call = scws_netlink_notify,
};

int scws_genl_init(void)
{
	int err;

	err = genl_register_family(&scws_family);
	if (err)
		return err;
	WRITE_ONCE(scws_family_live, true);
	err = netlink_register_notifier(&scws_netlink_notifier);
	if (err) {
		WRITE_ONCE(scws_family_live, false);
		synchronize_rcu();	/* see scws_genl_exit() */
		genl_unregister_family(&scws_family);
	}
	return err;
}

/*
 * Before the namespaces go (scws_pernet_exit()), whose hooks and workers
 * may still be sending: once the grace period is over none of them is
 * inside scws_genl_send() with the family live, and none will enter it.
 */
void scws_genl_exit(void)
{
	netlink_unregister_notifier(&scws_netlink_notifier);
	WRITE_ONCE(scws_family_live, false);
	synchronize_rcu();
	genl_unregister_family(&scws_family);
}

#if IS_ENABLED(CONFIG_SCWS_KUNIT_TEST)
#include "netlink_test.c"
#endif
