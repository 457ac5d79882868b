// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * src_module.c - connections from the scws kernel module.
 *
 * The pump registers over generic netlink and tells the module, per port,
 * how many card channels serve it and how many connections it takes now
 * (the capacity: at most one per channel at a time, the module's bound).
 * The module offers at most that many (CONN_NEW); each is claimed while
 * the pump has room (--max-clients), and the engine binds it to a free
 * channel or keeps it waiting in its own FIFO (sched.c), where nothing
 * times it out.  After each claim the capacity is told again, so offers
 * keep coming while there is room: the module's queue and its
 * queue_timeout_ms are only the last guard, for a pump that is full or
 * stuck.  Handlers only queue: netlink commands run from the loop, never
 * inside a handler (scws-nl.h).
 */
#include "sources.h"
#include "log.h"
#include "scws-nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define OFFERS_MAX 64

struct offer {
	uint64_t id;
	uint16_t port;
	char desc[BIPD_DESC_MAX];
};

struct src_module {
	struct bipd *b;
	struct scws_nl *nl;
	struct watch watch;
	struct offer offers[OFFERS_MAX];
	unsigned int n_offers;
	bool lost_offers;	/* queue full or netlink overrun: list them */
};

/* Caller-controlled text (label, exe) made safe for one log line. */
static void put_safe(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	if (!*s)
		s = "-";
	for (; *s && n + 5 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c < 0x7F && c != '\\')
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, cap - n, "\\x%02X", c);
	}
	out[n] = '\0';
}

static void describe(char *out, size_t cap, const struct scws_conn_info *ci)
{
	char label[128], exe[160], rule[24] = "";

	put_safe(label, sizeof(label), ci->label);
	put_safe(exe, sizeof(exe), ci->exe);
	if (ci->has_rule)
		snprintf(rule, sizeof(rule), " rule=%u", ci->rule);
	snprintf(out, cap, "id=%llu peer=%s%s%s:%u pid=%u uid=%d gid=%d "
		 "label=%s exe=%s decision=%s%s",
		 (unsigned long long)ci->id, ci->family == AF_INET6 ? "[" : "",
		 ci->peer_addr[0] ? ci->peer_addr : "-",
		 ci->family == AF_INET6 ? "]" : "", ci->peer_port, ci->pid,
		 (int)ci->uid, (int)ci->gid, label, exe,
		 ci->has_decision ? scws_decision_name(ci->decision) : "-",
		 rule);
}

static bool queued(const struct src_module *s, uint64_t id)
{
	for (unsigned int i = 0; i < s->n_offers; i++)
		if (s->offers[i].id == id)
			return true;
	return false;
}

static void on_conn_new(void *arg, const struct scws_conn_info *ci)
{
	struct src_module *s = arg;
	struct offer *o;

	if (queued(s, ci->id))
		return;
	if (s->n_offers == OFFERS_MAX) {
		s->lost_offers = true;
		return;
	}
	o = &s->offers[s->n_offers++];
	o->id = ci->id;
	o->port = ci->port;
	describe(o->desc, sizeof(o->desc), ci);
	log_debug("offered: %s", o->desc);
}

static void on_listed(void *arg, const struct scws_conn_info *ci)
{
	if (ci->state == SCWS_CONN_OFFERED)
		on_conn_new(arg, ci);
}

static void on_malformed(void *arg, int cmd, int err)
{
	(void)arg;
	log_warn("malformed netlink message (command %d): %s", cmd,
		 scws_errno_name(err));
}

static const struct scws_nl_handlers handlers = {
	.conn_new = on_conn_new,
	.malformed = on_malformed,
};

static void drop_offer(struct src_module *s, unsigned int i)
{
	s->offers[i] = s->offers[--s->n_offers];
}

/* Claims what free channels can take. */
static void module_offer(void *arg)
{
	struct src_module *s = arg;
	struct scws_conn_info ci;
	int err;

	if (s->lost_offers) {
		s->lost_offers = false;
		err = scws_nl_conn_dump(s->nl, on_listed, s);
		if (err)
			log_warn("listing offered connections: %s",
				 strerror(-err));
	}
	for (unsigned int i = 0; i < s->n_offers;) {
		struct offer *o = &s->offers[i];
		int fd;

		if (!bipd_port_room(s->b, o->port)) {
			i++;
			continue;
		}
		fd = scws_nl_claim(s->nl, o->id, &ci);
		if (fd < 0) {
			log_info("connection id=%llu: claim failed: %s",
				 (unsigned long long)o->id,
				 scws_errno_name(fd));
			drop_offer(s, i);
			continue;
		}
		err = bipd_conn_bind(s->b, o->port, fd, o->desc);
		if (err) {
			log_warn("connection id=%llu: no channel: %s",
				 (unsigned long long)o->id, strerror(-err));
			close(fd);
		}
		drop_offer(s, i);
	}
}

static void nl_readable(struct watch *w, uint32_t events)
{
	struct src_module *s = w->arg;
	int err;

	(void)events;
	err = scws_nl_dispatch(s->nl);
	if (err == -ENOBUFS) {
		log_warn("netlink overrun: listing offered connections");
		s->lost_offers = true;
	} else if (err) {
		log_err("netlink: %s", strerror(-err));
		main_stop(1);
	}
}

static int module_port_set(void *arg, uint16_t port, unsigned int channels,
			   unsigned int capacity,
			   const struct scws_pump_stats *st)
{
	struct src_module *s = arg;
	int err = scws_nl_port_set_stats(s->nl, port, channels, capacity, st);

	/* Our values are always in range: EINVAL means a port the module
	 * does not own. */
	if (err == -EINVAL)
		return -EADDRNOTAVAIL;
	if (err == -ENOENT || err == -EPERM) {
		/* no such family, or no longer the registered pump: the
		 * module was removed (and maybe loaded again): main.c */
		main_source_lost();
		return -EAGAIN;
	}
	if (err)
		scws_nl_perror(s->nl, "port-set", err);
	return err;
}

static const struct conn_source_ops module_ops = {
	.port_set = module_port_set,
	.offer = module_offer,
};

int src_module_open(struct conn_source *src, struct bipd *b, struct loop *l)
{
	struct src_module *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->b = b;
	err = scws_nl_open(&s->nl);
	if (err) {
		log_err("%s", scws_nl_open_strerror(err));
		free(s);
		return err;
	}
	scws_nl_set_handlers(s->nl, &handlers, s);
	err = scws_nl_register(s->nl);
	if (err) {
		if (err == -EBUSY)
			log_err("another pump is registered in this network "
				"namespace");
		else
			scws_nl_perror(s->nl, "register", err);
		goto fail;
	}
	s->watch.fd = scws_nl_fd(s->nl);
	s->watch.fn = nl_readable;
	s->watch.arg = s;
	err = loop_add(l, &s->watch, EPOLLIN);
	if (err)
		goto fail;
	log_notice("registered with the scws module as the pump");
	src->ops = &module_ops;
	src->src = s;
	return 0;
fail:
	scws_nl_close(s->nl);
	free(s);
	return err;
}

void src_module_close(struct conn_source *src)
{
	struct src_module *s = src->src;

	if (!s)
		return;
	loop_del(&s->watch);
	scws_nl_unregister(s->nl);
	scws_nl_close(s->nl);
	free(s);
	src->src = NULL;
}
