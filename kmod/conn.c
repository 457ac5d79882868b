// SPDX-License-Identifier: GPL-2.0
/*
 * Accepted connections on their way to the pump: a bounded FIFO per port,
 * offered to the pump as capacity allows (CONN_NEW), claimed (the socket
 * becomes a file descriptor of the pump), or reset when they time out, the
 * queue is full or the pump goes away.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/inet_connection_sock.h>
#include <net/inet_hashtables.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "scws.h"

static atomic64_t scws_next_id = ATOMIC64_INIT(0);

/*
 * Guards the membership of every port's connection list (and conn->offered)
 * for scws_port_admit(), which runs in the hook, where sn->lock (a mutex)
 * cannot be taken.  Writers hold sn->lock too.  Held briefly, one lock for
 * all namespaces.
 */
static DEFINE_SPINLOCK(scws_admit_lock);

static void scws_tuple_of_child(const struct sock *sk, struct scws_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->family = sk->sk_family;
	t->sport = ntohs(inet_sk(sk)->inet_dport);
	t->dport = inet_sk(sk)->inet_num;
	if (sk->sk_family == AF_INET6)
		t->saddr = sk->sk_v6_daddr;
	else
		ipv6_addr_set_v4mapped(inet_sk(sk)->inet_daddr, &t->saddr);
}

static unsigned long scws_timeout(void)
{
	return msecs_to_jiffies(scws_params.queue_timeout_ms);
}

static kuid_t scws_conn_uid(const struct scws_conn *conn)
{
	return conn->caller.cred ? conn->caller.cred->euid : INVALID_UID;
}

/*
 * The client is gone: its reset arrived, or its FIN with nothing before it
 * (a client that half-closes after its request still has bytes queued and
 * is served).  Lockless reads: a stale answer costs one more round.
 */
static bool scws_conn_closed(const struct scws_conn *conn)
{
	struct sock *sk = conn->sock ? conn->sock->sk : NULL;

	if (!sk)
		return false;
	switch (READ_ONCE(sk->sk_state)) {
	case TCP_ESTABLISHED:
		return READ_ONCE(sk->sk_err);
	case TCP_CLOSE_WAIT:
		return READ_ONCE(sk->sk_err) || !tcp_inq(sk);
	default:
		return true;
	}
}

/* Reset, not FIN: the client must see that it was not served. */
static void scws_conn_free(struct scws_conn *conn)
{
	if (conn->sock) {
		sock_no_linger(conn->sock->sk);
		sock_release(conn->sock);
	}
	scws_caller_release(&conn->caller);
	kfree(conn);
	atomic_dec(&scws_live.conns);
}

static void scws_conns_free(struct list_head *dead)
{
	struct scws_conn *conn, *tmp;

	list_for_each_entry_safe(conn, tmp, dead, node) {
		list_del(&conn->node);
		scws_conn_free(conn);
	}
}

static void scws_conn_unlink(struct scws_net *sn, struct scws_conn *conn)
{
	struct scws_port *port = conn->port;

	scws_conns_changed(sn);
	spin_lock_bh(&scws_admit_lock);
	list_del_init(&conn->node);
	spin_unlock_bh(&scws_admit_lock);
	if (conn->offered)
		port->offered--;
	else
		port->queued--;
}

/* Unlink @conn, tell the listeners, and queue it on @dead for reset. */
static void scws_conn_drop(struct scws_net *sn, struct scws_conn *conn,
			   u8 event, u8 reason, struct list_head *dead)
{
	scws_conn_unlink(sn, conn);
	if (event == SCWS_EVENT_CONN_TIMED_OUT)
		conn->port->timed_out++;
	else if (reason == SCWS_REASON_CLIENT_CLOSED)
		conn->port->closed++;
	else
		conn->port->reset++;
	scws_event_conn(sn, event, reason, conn);
	list_add_tail(&conn->node, dead);
}

/* Run the expiry no later than @deadline; never postpone it. */
static void scws_expire_schedule(struct scws_net *sn, unsigned long deadline)
{
	unsigned long now = jiffies;

	if (delayed_work_pending(&sn->expire_work) &&
	    !time_before(deadline, sn->expire_at))
		return;
	sn->expire_at = deadline;
	mod_delayed_work(scws_wq, &sn->expire_work,
			 time_after(deadline, now) ? deadline - now : 0);
}

/* Offer queued connections while the pump has free channels. */
static void scws_port_dispatch(struct scws_net *sn, struct scws_port *port)
{
	struct scws_conn *conn;

	list_for_each_entry(conn, &port->conns, node) {
		if (port->offered >= port->capacity)
			break;
		/* A closed client's slot is freed by the next reap. */
		if (conn->offered || scws_conn_closed(conn))
			continue;
		/* Full receive queue: retried on the pump's next command. */
		if (scws_send_conn_new(sn, conn))
			break;
		/* The deadline stays the one set at accept: being offered
		 * does not buy a connection a second queue_timeout_ms.
		 */
		spin_lock_bh(&scws_admit_lock);
		conn->offered = true;
		spin_unlock_bh(&scws_admit_lock);
		scws_conns_changed(sn);
		port->queued--;
		port->offered++;
	}
}

/* Free the slots of waiting connections whose client already closed. */
static void scws_port_reap(struct scws_net *sn, struct scws_port *port,
			   struct list_head *dead)
{
	struct scws_conn *conn, *tmp;

	list_for_each_entry_safe(conn, tmp, &port->conns, node)
		if (scws_conn_closed(conn))
			scws_conn_drop(sn, conn, SCWS_EVENT_CONN_RESET,
				       SCWS_REASON_CLIENT_CLOSED, dead);
}

/* Connections of @port waiting for a channel, from @uid when valid. */
static u32 scws_port_waiting(const struct scws_port *port, kuid_t uid)
{
	const struct scws_conn *conn;
	u32 n = 0;

	list_for_each_entry(conn, &port->conns, node)
		if (!conn->offered && !scws_conn_closed(conn) &&
		    (!uid_valid(uid) || uid_eq(scws_conn_uid(conn), uid)))
			n++;
	return n;
}

/* Handshakes done or under way that the listeners have not passed on. */
static u32 scws_port_handshakes(struct scws_net *sn, struct scws_port *port)
{
	unsigned int i, n = READ_ONCE(sn->nlisteners);
	u32 count = 0;

	for (i = 0; i < n; i++) {
		struct scws_listener *l = READ_ONCE(sn->listeners[i]);
		struct sock *sk;

		if (!l || l->port != port)
			continue;
		sk = l->sock->sk;
		count += inet_csk_reqsk_queue_len(sk) +
			 READ_ONCE(sk->sk_ack_backlog);
	}
	return count;
}

/*
 * At SYN time, in any context: may a connection from @uid to @port wait for
 * the pump?  It may when the queue (queue_len, plus the channels free right
 * now) has room for it beyond the connections queued and those between
 * their SYN and their accept, and, when it would have to wait, @uid has
 * fewer than queue_per_uid connections waiting.  Refused here, connect()
 * fails with ECONNREFUSED instead of a reset after the handshake.
 * Handshakes not accepted yet count against the caller's share: whose they
 * are is known only at accept, and a client's next connect() commonly comes
 * before the accept work ran for its last one.
 *
 * Residual race: SYNs that pass this check at the same moment on several
 * CPUs, before any of them reaches the listener, are all admitted; the
 * accept then resets those beyond the bound (at most one per CPU sending
 * at that instant).
 */
u8 scws_port_admit(struct scws_net *sn, struct scws_port *port, kuid_t uid)
{
	u32 capacity = READ_ONCE(port->capacity);
	u32 offered = READ_ONCE(port->offered);
	u32 free = capacity > offered ? capacity - offered : 0;
	u32 waiting, pending;
	u8 reason = SCWS_REASON_NONE;

	rcu_read_lock();	/* the listeners: see scws_listeners_stop() */
	if (READ_ONCE(sn->dying)) {
		rcu_read_unlock();
		return SCWS_REASON_SHUTDOWN;
	}
	pending = scws_port_handshakes(sn, port);
	rcu_read_unlock();

	waiting = READ_ONCE(port->queued);
	if (waiting + pending < free)
		return SCWS_REASON_NONE;	/* offered at once */
	spin_lock_bh(&scws_admit_lock);
	/* The counters include clients that left: count the live ones. */
	if (waiting + pending >= scws_params.queue_len + free)
		waiting = scws_port_waiting(port, INVALID_UID);
	if (waiting + pending >= scws_params.queue_len + free)
		reason = SCWS_REASON_QUEUE_FULL;
	else if (scws_port_waiting(port, uid) + pending >=
		 scws_params.queue_per_uid)
		reason = SCWS_REASON_QUEUE_SHARE;
	spin_unlock_bh(&scws_admit_lock);
	return reason;
}

void scws_conn_dispatch(struct scws_net *sn)
{
	unsigned int i;

	lockdep_assert_held(&sn->lock);
	if (!sn->pump_portid)
		return;
	for (i = 0; i < scws_params.nports; i++)
		scws_port_dispatch(sn, &sn->ports[i]);
}

/*
 * Who is behind @conn: the record of its client socket.  False when the
 * client is not a local TCP socket that was judged and allowed.
 */
static bool scws_conn_identify(struct scws_net *sn, struct scws_conn *conn)
{
	struct sock *client;
	bool judged;

	if (!sn->records)
		return false;
	client = scws_peer_client(conn->sock->sk);
	if (!client)
		return false;
	judged = scws_records_take(sn->records, client, &conn->caller,
				   &conn->decision);
	sock_gen_put(client);
	return judged;
}

void scws_conn_accepted(struct scws_net *sn, struct scws_port *port,
			struct socket *sock)
{
	struct scws_conn *conn;
	LIST_HEAD(dead);
	bool judged;
	u8 reason;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn) {
		sock_no_linger(sock->sk);
		sock_release(sock);
		return;
	}
	atomic_inc(&scws_live.conns);
	INIT_LIST_HEAD(&conn->node);
	conn->port = port;
	conn->sock = sock;
	/* The one deadline, from accept to claim. */
	conn->accepted_at = jiffies;
	conn->deadline = conn->accepted_at + scws_timeout();
	scws_tuple_of_child(sock->sk, &conn->tuple);
	judged = scws_conn_identify(sn, conn);

	mutex_lock(&sn->lock);
	/* Numbered under the lock: ids grow along each port's FIFO, which
	 * is what the CONN_GET dump's cursor relies on.
	 */
	conn->id = atomic64_inc_return(&scws_next_id);
	port->accepted++;
	scws_port_reap(sn, port, &dead);
	scws_conns_changed(sn);
	spin_lock_bh(&scws_admit_lock);
	list_add_tail(&conn->node, &port->conns);
	spin_unlock_bh(&scws_admit_lock);
	port->queued++;
	/* Past scws_port_admit() only in its residual race: reset. */
	if (sn->dying)
		reason = SCWS_REASON_SHUTDOWN;
	else if (!judged)
		reason = SCWS_REASON_UNJUDGED;
	else if (!sn->pump_portid)
		reason = SCWS_REASON_PUMP_GONE;
	else if (!port->channels)
		reason = SCWS_REASON_NOT_SERVED;
	else if (port->queued > scws_params.queue_len +
		 (port->capacity > port->offered ?
		  port->capacity - port->offered : 0))
		reason = SCWS_REASON_QUEUE_FULL;
	else if (port->offered >= port->capacity &&
		 scws_port_waiting(port, scws_conn_uid(conn)) >
		 scws_params.queue_per_uid)
		reason = SCWS_REASON_QUEUE_SHARE;
	else
		reason = SCWS_REASON_NONE;
	if (reason) {
		scws_conn_drop(sn, conn, SCWS_EVENT_CONN_RESET, reason, &dead);
	} else {
		scws_event_conn(sn, SCWS_EVENT_CONN_ACCEPTED, reason, conn);
		scws_expire_schedule(sn, conn->deadline);
		scws_port_dispatch(sn, port);
	}
	mutex_unlock(&sn->lock);
	scws_conns_free(&dead);
}

static struct scws_conn *scws_conn_find(struct scws_net *sn, u64 id)
{
	struct scws_conn *conn;
	unsigned int i;

	for (i = 0; i < scws_params.nports; i++)
		list_for_each_entry(conn, &sn->ports[i].conns, node)
			if (conn->id == id)
				return conn;
	return NULL;
}

/*
 * Kernel sockets hold no namespace reference; a socket that becomes a
 * user's file must, or the namespace could die under it.
 */
static int scws_sock_hold_net(struct sock *sk)
{
	struct net *net = sock_net(sk);

	if (sk->sk_net_refcnt)
		return 0;
	if (!maybe_get_net(net))
		return -ENXIO;
	sk->sk_net_refcnt = 1;
	netns_tracker_alloc(net, &sk->ns_tracker, GFP_KERNEL);
	sock_inuse_add(net, 1);
	return 0;
}

/* @conn's socket as a file; the socket is @conn's no more. */
static struct file *scws_conn_file(struct scws_conn *conn)
{
	struct socket *sock = conn->sock;
	int err;

	err = scws_sock_hold_net(sock->sk);
	if (err)
		return ERR_PTR(err);
	conn->sock = NULL;
	return sock_alloc_file(sock, 0, NULL);	/* releases @sock on error */
}

/*
 * Hand @conn's socket to the pump that sent @info, as net/handshake does:
 * reserve a descriptor, send the reply that names it, and only then
 * install the file.  Until then no thread of the pump can see or close
 * that number, and a reply that cannot be sent leaves nothing behind: the
 * number goes back and the client gets a reset.
 */
int scws_conn_claim(struct scws_net *sn, u64 id, struct genl_info *info)
{
	struct scws_conn *conn;
	struct scws_port *port;
	struct file *file;
	int fd, err;

	mutex_lock(&sn->lock);
	/* Ids are looked up in the caller's namespace only. */
	conn = scws_conn_find(sn, id);
	if (!conn || !conn->offered) {
		mutex_unlock(&sn->lock);
		return -ENOENT;
	}
	if (!sn->pump_portid || sn->pump_portid != info->snd_portid) {
		mutex_unlock(&sn->lock);
		return -EPERM;
	}
	port = conn->port;
	scws_conn_unlink(sn, conn);
	if (port->capacity)
		port->capacity--;
	mutex_unlock(&sn->lock);

	/* Outside the lock: these allocate and sleep. */
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto fail;
	}
	file = scws_conn_file(conn);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto put_fd;
	}
	err = scws_send_claimed(sn, conn, fd, info);
	if (err)
		goto put_file;
	fd_install(fd, file);

	mutex_lock(&sn->lock);
	port->handed_off++;
	mutex_unlock(&sn->lock);
	scws_event_conn(sn, SCWS_EVENT_CONN_HANDED_OFF, SCWS_REASON_NONE, conn);
	scws_conn_free(conn);
	return fd;

put_file:
	sock_no_linger(sock_from_file(file)->sk);
	fput(file);
put_fd:
	put_unused_fd(fd);
fail:
	mutex_lock(&sn->lock);
	port->reset++;
	/* The pump did not get it: its channel is still free. */
	if (port->capacity < port->channels)
		port->capacity++;
	scws_event_conn(sn, SCWS_EVENT_CONN_RESET, SCWS_REASON_CLAIM_FAILED,
			conn);
	scws_conn_dispatch(sn);
	mutex_unlock(&sn->lock);
	scws_conn_free(conn);
	return err;
}

int scws_conn_fill(struct sk_buff *skb, const struct scws_net *sn,
		   const struct scws_conn *conn, int fd)
{
	const struct scws_tuple *t = &conn->tuple;
	struct nlattr *nest;
	u32 age;

	age = jiffies_to_msecs(jiffies - conn->accepted_at);
	nest = nla_nest_start(skb, SCWS_A_CONN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, SCWS_CONN_A_ID, conn->id, SCWS_CONN_A_PAD) ||
	    nla_put_u16(skb, SCWS_CONN_A_PORT, t->dport) ||
	    nla_put_u8(skb, SCWS_CONN_A_FAMILY, t->family) ||
	    (t->family == AF_INET ?
	     nla_put_in_addr(skb, SCWS_CONN_A_PEER_ADDR,
			     t->saddr.s6_addr32[3]) :
	     nla_put_in6_addr(skb, SCWS_CONN_A_PEER_ADDR, &t->saddr)) ||
	    nla_put_u16(skb, SCWS_CONN_A_PEER_PORT, t->sport) ||
	    nla_put_u8(skb, SCWS_CONN_A_STATE,
		       conn->offered ? SCWS_CONN_OFFERED : SCWS_CONN_QUEUED) ||
	    nla_put_u32(skb, SCWS_CONN_A_AGE_MS, age) ||
	    (fd >= 0 && nla_put_u32(skb, SCWS_CONN_A_FD, fd)) ||
	    nla_put_u8(skb, SCWS_CONN_A_DECISION, conn->decision.kind) ||
	    (conn->decision.kind == SCWS_DECISION_RULE &&
	     nla_put_u32(skb, SCWS_CONN_A_RULE, conn->decision.rule)) ||
	    scws_caller_fill(skb, &conn->caller, sn->net->user_ns)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Reset the connections of @port (all ports when NULL). */
void scws_conns_reset(struct scws_net *sn, struct scws_port *port, u8 reason)
{
	struct scws_conn *conn, *tmp;
	LIST_HEAD(dead);
	unsigned int i;

	mutex_lock(&sn->lock);
	for (i = 0; i < scws_params.nports; i++) {
		if (port && port != &sn->ports[i])
			continue;
		list_for_each_entry_safe(conn, tmp, &sn->ports[i].conns, node)
			scws_conn_drop(sn, conn, SCWS_EVENT_CONN_RESET, reason,
				       &dead);
	}
	mutex_unlock(&sn->lock);
	scws_conns_free(&dead);
}

void scws_expire_work(struct work_struct *work)
{
	struct scws_net *sn = container_of(to_delayed_work(work),
					   struct scws_net, expire_work);
	unsigned long next = jiffies + scws_timeout();
	struct scws_conn *conn, *tmp;
	LIST_HEAD(dead);
	unsigned int i;

	mutex_lock(&sn->lock);
	for (i = 0; i < scws_params.nports; i++) {
		scws_port_reap(sn, &sn->ports[i], &dead);
		list_for_each_entry_safe(conn, tmp, &sn->ports[i].conns, node) {
			if (time_before(jiffies, conn->deadline)) {
				if (time_before(conn->deadline, next))
					next = conn->deadline;
				continue;
			}
			scws_conn_drop(sn, conn, SCWS_EVENT_CONN_TIMED_OUT,
				       SCWS_REASON_NONE, &dead);
		}
	}
	scws_conn_dispatch(sn);
	if (!sn->dying && scws_conns_pending(sn))
		scws_expire_schedule(sn, next);
	mutex_unlock(&sn->lock);

	scws_conns_free(&dead);
	if (sn->records)
		scws_records_expire(sn->records, SCWS_RECORD_TTL);
}

bool scws_conns_pending(const struct scws_net *sn)
{
	unsigned int i;

	for (i = 0; i < scws_params.nports; i++)
		if (!list_empty(&sn->ports[i].conns))
			return true;
	return false;
}
