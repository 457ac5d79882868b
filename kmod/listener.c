// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel listening sockets on 127.0.0.1 and ::1 for each SCWS port, one set
 * per network namespace.  Holding them is what keeps other processes off
 * the ports.  Accepting is driven by sk_data_ready and the module's
 * workqueue.
 *
 * Like every kernel socket, these hold no reference on their namespace (the
 * namespace would never die otherwise); the pernet exit closes them.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/slab.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "scws.h"

#define SCWS_BACKLOG	64

static void scws_listen_data_ready(struct sock *sk)
{
	struct scws_listener *l;

	read_lock_bh(&sk->sk_callback_lock);
	l = sk->sk_user_data;
	if (l) {
		/* Children inherit our callback until accepted: pass theirs on. */
		if (sk->sk_state == TCP_LISTEN)
			queue_work(scws_wq, &l->accept_work);
		else
			l->saved_data_ready(sk);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void scws_callbacks_set(struct sock *sk, struct scws_listener *l,
			       void (*data_ready)(struct sock *sk))
{
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = l;
	sk->sk_data_ready = data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
}

static void scws_accept_work(struct work_struct *work)
{
	struct scws_listener *l = container_of(work, struct scws_listener,
					       accept_work);
	struct socket *newsock;

	while (!kernel_accept(l->sock, &newsock, O_NONBLOCK)) {
		/* From here on the child must not call into this module. */
		scws_callbacks_set(newsock->sk, NULL, l->saved_data_ready);
		scws_conn_accepted(l->sn, l->port, newsock);
	}
}

static int scws_listener_bind(struct socket *sock, int family, u16 port)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
		.sin6_port = htons(port),
	};
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		.sin_port = htons(port),
	};

	if (family == AF_INET6)
		return kernel_bind(sock, (struct sockaddr *)&sin6, sizeof(sin6));
	return kernel_bind(sock, (struct sockaddr *)&sin, sizeof(sin));
}

static struct scws_listener *scws_listener_create(struct scws_net *sn,
						  struct scws_port *port,
						  int family)
{
	struct scws_listener *l;
	struct sock *sk;
	int err;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return ERR_PTR(-ENOMEM);
	l->sn = sn;
	l->port = port;
	INIT_WORK(&l->accept_work, scws_accept_work);

	err = sock_create_kern(sn->net, family, SOCK_STREAM, IPPROTO_TCP,
			       &l->sock);
	if (err)
		goto free;
	sk = l->sock->sk;
	/* A new namespace has lo down: bind before its addresses exist. */
	ip_sock_set_freebind(sk);
	/* Old TIME_WAIT children must not keep a reloaded module out. */
	sock_set_reuseaddr(sk);
	if (family == AF_INET6)
		sk->sk_ipv6only = true;
	err = scws_listener_bind(l->sock, family, port->port);
	if (err)
		goto release;
	l->saved_data_ready = sk->sk_data_ready;
	scws_callbacks_set(sk, l, scws_listen_data_ready);
	err = kernel_listen(l->sock, SCWS_BACKLOG);
	if (err)
		goto restore;
	atomic_inc(&scws_live.listeners);
	return l;

restore:
	scws_callbacks_set(sk, NULL, l->saved_data_ready);
release:
	sock_release(l->sock);
free:
	kfree(l);
	return ERR_PTR(err);
}

static void scws_listener_destroy(struct scws_listener *l)
{
	scws_callbacks_set(l->sock->sk, NULL, l->saved_data_ready);
	cancel_work_sync(&l->accept_work);
	/* Closes the children not accepted yet; they still point at @l. */
	sock_release(l->sock);
	kfree(l);
	atomic_dec(&scws_live.listeners);
}

/*
 * Never fails (a namespace's init must not).  A port we cannot hold is
 * left unguarded: whoever holds it must never receive a client, so every
 * connect to it is refused, and loudly.  No IPv6 at all is no hole.
 */
int scws_listeners_start(struct scws_net *sn)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct scws_listener *l;
	unsigned int i, f;

	for (i = 0; i < scws_params.nports; i++) {
		for (f = 0; f < ARRAY_SIZE(families); f++) {
			if (families[f] == AF_INET6 && !scws_params.ipv6)
				continue;
			l = scws_listener_create(sn, &sn->ports[i], families[f]);
			if (PTR_ERR(l) == -EAFNOSUPPORT)
				continue;
			if (IS_ERR(l)) {
				pr_err("cannot hold %s port %u in netns %u (%ld): refusing every connect to it\n",
				       families[f] == AF_INET ? "IPv4" : "IPv6",
				       sn->ports[i].port, sn->net->ns.inum,
				       PTR_ERR(l));
				WRITE_ONCE(sn->ports[i].unguarded, true);
				continue;
			}
			WRITE_ONCE(sn->listeners[sn->nlisteners], l);
			WRITE_ONCE(sn->nlisteners, sn->nlisteners + 1);
		}
	}
	return 0;
}

void scws_listeners_stop(struct scws_net *sn)
{
	/* The hook reads the listeners (scws_port_admit()) unless it sees
	 * sn->dying, set before this: wait for those that did not.
	 */
	synchronize_rcu();
	while (sn->nlisteners)
		scws_listener_destroy(sn->listeners[--sn->nlisteners]);
}
