// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * bip_open.c - OPEN CHANNEL (TS 102 223 clause 6.4.27).
 *
 * UICC server mode (transport level 03 + port, e.g. 3516 or 4116): the
 * channel starts in LISTEN and the port gets one more channel at the
 * connection source; the TERMINAL RESPONSE says LISTEN and the buffer size
 * granted.  TCP client mode (transport level 02 + port, data destination in
 * the Other address that follows it): the pump connects out without
 * blocking and answers once the connection is up or has failed.  UDP
 * client mode (01) is the same with a connected datagram socket, answered
 * at once: each flush of the Tx buffer is one datagram, each datagram read
 * lands in Rx (the card's DNS queries, docs/push.md).  A client OPEN
 * CHANNEL with qualifier bit 4 gets the DNS servers in its TERMINAL
 * RESPONSE (dns.h).
 *
 * Buffer sizes above --max-buffer are cut (result 07, "performed with
 * modification"); a missing mandatory object gets 36, an object that does
 * not decode 32, a transport this terminal does not offer 30.
 */
#include "bipd.h"
#include "dmsc-msg.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define TR_MAX 128
#define TAG_DNS_SERVER 0x40	/* DNS server address, TS 102 223 8.90 */
#define OPEN_Q_DNS 0x08		/* qualifier bit 4: DNS servers wanted */
#define DNS_SERVERS_MAX 3	/* resolv.conf's MAXNS */

/*
 * The DNS servers for a card that asks for them: the nameserver lines of
 * --resolv-conf (numeric IPv4, IPv6 without a zone), in order.  The card
 * resolves names itself, over a UDP client channel to one of them: GP Amd
 * B's DNS resolution parameters (B3: D6 the RAS's name, FA the DNS
 * channel's OPEN CHANNEL objects) are the card's to use; the terminal only
 * carries the packets (docs/push.md, "Names").
 */
static size_t dns_servers(const char *resolv_conf, struct cat_address *out,
			  size_t max)
{
	FILE *f = fopen(resolv_conf, "r");
	char line[256], addr[INET6_ADDRSTRLEN + 1];
	size_t n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		struct cat_address *a = &out[n];

		if (sscanf(line, " nameserver %46s", addr) != 1)
			continue;
		memset(a, 0, sizeof(*a));
		if (inet_pton(AF_INET, addr, a->addr) == 1) {
			a->type = CAT_ADDR_IPV4;
			a->len = 4;
		} else if (inet_pton(AF_INET6, addr, a->addr) == 1) {
			a->type = CAT_ADDR_IPV6;
			a->len = 16;
		} else {
			continue;	/* a zone (fe80::1%eth0), or junk */
		}
		n++;
	}
	fclose(f);
	return n;
}

static void tr_open(struct bipd *b, const struct cmd_ref *ref,
		    uint8_t result, const struct channel *ch)
{
	uint8_t buf[TR_MAX];
	struct cat_writer w;
	uint8_t status[2];

	tr_begin(&w, buf, sizeof(buf), ref);
	cat_put_result(&w, result, NULL, 0);
	chan_status_bytes(ch, status);
	cat_put_tlv(&w, CAT_TAG_CHANNEL_STATUS, status, 2);
	if (ch->kind == CHAN_CLIENT && ch->bearer_len)
		cat_put_tlv(&w, CAT_TAG_BEARER, ch->bearer, ch->bearer_len);
	cat_put_buffer_size(&w, ch->bufsize);
	if (ch->kind == CHAN_CLIENT && ch->want_dns) {
		struct cat_address dns[DNS_SERVERS_MAX];
		size_t n = dns_servers(b->opts->resolv_conf, dns,
				       DNS_SERVERS_MAX);

		/* Same coding as Other address: type, then the address. */
		for (size_t i = 0; i < n; i++) {
			uint8_t v[17];

			v[0] = dns[i].type;
			memcpy(v + 1, dns[i].addr, dns[i].len);
			cat_put_tlv(&w, TAG_DNS_SERVER, v, 1u + dns[i].len);
		}
		if (!n)
			log_warn("channel %u: the card asked for DNS servers, "
				 "%s names none", ch->id, b->opts->resolv_conf);
	}
	if (!w.overflow)
		cat_send_tr(b, buf, w.len);
}

static void tr_bip_error(struct bipd *b, const struct cmd_ref *ref,
			 uint8_t cause)
{
	tr_simple(b, ref, CAT_RES_BIP_ERROR, &cause, 1);
}

static void open_server(struct bipd *b, const struct cmd_ref *ref,
			const struct cat_transport *tr, uint16_t bufsize,
			uint8_t result)
{
	struct channel *ch;
	int err;

	if (!tr->has_port) {
		tr_simple(b, ref, CAT_RES_VALUES_MISSING, NULL, 0);
		return;
	}
	ch = chan_alloc(b, CHAN_SERVER, tr->port, bufsize);
	if (!ch) {
		log_warn("OPEN CHANNEL for port %u: no channel free", tr->port);
		tr_bip_error(b, ref, CAT_BIP_NO_CHANNEL);
		return;
	}
	err = ports_sync_port(b, tr->port);
	if (err == -EADDRNOTAVAIL) {
		log_warn("OPEN CHANNEL for port %u: not a port this gateway "
			 "serves", tr->port);
		chan_release(b, ch);
		tr_bip_error(b, ref, BIP_ERR_PORT_UNAVAILABLE);
		return;
	}
	log_notice("channel %u: UICC server on port %u (buffer %u)", ch->id,
		   tr->port, bufsize);
	tr_open(b, ref, result, ch);
}

/* The Other address after the transport level: the data destination
 * (one before it would be the local address). */
static const struct cat_tlv *destination(const struct cat_msg *m,
					 const struct cat_tlv *transport)
{
	int after = cat_msg_index(m, transport);
	const struct cat_tlv *t;

	for (size_t i = 0; (t = cat_msg_find(m, CAT_TAG_OTHER_ADDR, i)); i++)
		if (cat_msg_index(m, t) > after)
			return t;
	return NULL;
}

static int start_connect(struct channel *ch, const struct cat_address *a)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (a->type == CAT_ADDR_IPV4) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(ch->port);
		memcpy(&in->sin_addr, a->addr, 4);
		len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(ch->port);
		memcpy(&in6->sin6_addr, a->addr, 16);
		len = sizeof(*in6);
	}
	fd = socket(ss.ss_family, (ch->udp ? SOCK_DGRAM : SOCK_STREAM) |
		    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 &&
	    errno != EINPROGRESS) {
		int err = -errno;

		close(fd);
		return err;
	}
	ch->fd = fd;
	return 0;
}

static void connect_io(struct watch *w, uint32_t events)
{
	struct channel *ch = (struct channel *)((char *)w -
				offsetof(struct channel, watch));
	int err = 0;
	socklen_t len = sizeof(err);

	(void)events;
	if (getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return;
	bip_connect_done(w->arg, ch, err);
}

void bip_connect_done(struct bipd *b, struct channel *ch, int err)
{
	struct cmd_ref ref = ch->open_cmd;
	int fd = ch->fd;

	if (ch->state != CS_CONNECTING)
		return;
	loop_del(&ch->watch);
	b->deferred = 0;
	ch->fd = -1;
	if (!err)
		err = -chan_attach_fd(b, ch, fd);
	if (err) {
		log_warn("channel %u: connection %s failed: %s", ch->id,
			 ch->desc, strerror(err));
		close(fd);
		chan_release(b, ch);
		tr_bip_error(b, &ref, CAT_BIP_UNREACHABLE);
		return;
	}
	b->stats.conns++;
	log_notice("channel %u: %s client connected %s (buffer %u)", ch->id,
		   ch->udp ? "UDP" : "TCP", ch->desc, ch->bufsize);
	tr_open(b, &ref, ch->open_result, ch);
}

static void open_client(struct bipd *b, const struct cmd_ref *ref,
			const struct cat_msg *m, const struct cat_tlv *tr_t,
			const struct cat_transport *tr, uint16_t bufsize,
			uint8_t result)
{
	const struct cat_tlv *dest_t = destination(m, tr_t);
	const struct cat_tlv *bearer_t = cat_msg_find(m, CAT_TAG_BEARER, 0);
	struct cat_address a;
	struct channel *ch;
	char host[INET6_ADDRSTRLEN] = "?";
	int err;

	if (!tr->has_port || !dest_t) {
		tr_simple(b, ref, CAT_RES_VALUES_MISSING, NULL, 0);
		return;
	}
	if (cat_get_other_address(dest_t, &a) || !a.len ||
	    (bearer_t && bearer_t->len > sizeof(ch->bearer))) {
		tr_simple(b, ref, CAT_RES_DATA_UNKNOWN, NULL, 0);
		return;
	}
	ch = chan_alloc(b, CHAN_CLIENT, tr->port, bufsize);
	if (!ch) {
		tr_bip_error(b, ref, CAT_BIP_NO_CHANNEL);
		return;
	}
	inet_ntop(a.type == CAT_ADDR_IPV4 ? AF_INET : AF_INET6, a.addr, host,
		  sizeof(host));
	snprintf(ch->desc, sizeof(ch->desc),
		 a.type == CAT_ADDR_IPV4 ? "to %s:%u" : "to [%s]:%u", host,
		 tr->port);
	if (bearer_t) {
		memcpy(ch->bearer, bearer_t->val, bearer_t->len);
		ch->bearer_len = bearer_t->len;
	}
	ch->open_cmd = *ref;
	ch->open_result = result;
	ch->udp = tr->proto == CAT_TP_UDP_CLIENT_REMOTE;
	ch->want_dns = ref->val[2] & OPEN_Q_DNS;
	err = start_connect(ch, &a);
	if (err) {
		log_warn("channel %u: connection %s failed: %s", ch->id,
			 ch->desc, strerror(-err));
		chan_release(b, ch);
		tr_bip_error(b, ref, CAT_BIP_UNREACHABLE);
		return;
	}
	if (ch->udp) {		/* connect() only set the peer: done */
		bip_connect_done(b, ch, 0);
		return;
	}
	/* The TERMINAL RESPONSE waits for the connection (bounded). */
	ch->watch.fd = ch->fd;
	ch->watch.fn = connect_io;
	ch->watch.arg = b;
	ch->connect_deadline = b->clock() + b->opts->connect_timeout_ms;
	if (loop_add(b->loop, &ch->watch, EPOLLOUT)) {
		bip_connect_done(b, ch, EIO);
		return;
	}
	b->deferred = ch->id;
	log_info("channel %u: connecting %s", ch->id, ch->desc);
}

/* The terminal itself: no address, or a loopback one. */
static bool local_address(const struct cat_msg *m)
{
	const struct cat_tlv *t = cat_msg_find(m, CAT_TAG_OTHER_ADDR, 0);
	static const uint8_t v6_loopback[16] = { [15] = 1 };
	struct cat_address a;

	if (!t)
		return true;
	if (cat_get_other_address(t, &a))
		return false;
	return !a.len || (a.type == CAT_ADDR_IPV4 && a.addr[0] == 127) ||
	       (a.type == CAT_ADDR_IPV6 && !memcmp(a.addr, v6_loopback, 16));
}

/*
 * UDP, UICC in client mode, local connection (04), to the DM client port:
 * the DM_SC Gateway's channel (docs/device-management.md).  No socket:
 * each datagram the card sends (SEND DATA "send immediately", or what is
 * stored when it closes the channel) goes to the registered DM client as
 * NOTIFY.  With no client registered the card hears BIP error 12,
 * "application launch failed": this terminal launches no DM client, one
 * has to be running and registered.  Another local port: 10, "port not
 * available".
 */
static void open_local(struct bipd *b, const struct cmd_ref *ref,
		       const struct cat_msg *m, const struct cat_transport *tr,
		       uint16_t bufsize, uint8_t result)
{
	const char *name = b->dm_ops->client(b->dm_gw);
	struct channel *ch;

	if (!tr->has_port) {
		tr_simple(b, ref, CAT_RES_VALUES_MISSING, NULL, 0);
		return;
	}
	if (!local_address(m)) {
		log_warn("OPEN CHANNEL (UDP, local) with an address that is "
			 "not this terminal");
		tr_simple(b, ref, CAT_RES_DATA_UNKNOWN, NULL, 0);
		return;
	}
	if (tr->port != DMSC_PORT) {
		log_warn("OPEN CHANNEL (UDP, local) to port %u: no local "
			 "application there", tr->port);
		tr_bip_error(b, ref, CAT_BIP_PORT_UNAVAILABLE);
		return;
	}
	if (!name) {
		log_notice("DM notification channel refused: no DM client "
			   "registered (BIP error 12)");
		tr_bip_error(b, ref, CAT_BIP_LAUNCH_FAILED);
		return;
	}
	if (bufsize > DMSC_DATA_MAX / 2) {	/* Tx holds twice the size */
		bufsize = DMSC_DATA_MAX / 2;
		result = CAT_RES_MODIFIED;
	}
	ch = chan_alloc(b, CHAN_CLIENT, tr->port, bufsize);
	if (!ch) {
		tr_bip_error(b, ref, CAT_BIP_NO_CHANNEL);
		return;
	}
	ch->dm = true;
	ch->udp = true;
	ch->state = CS_OPEN;
	ch->gen++;
	snprintf(ch->desc, sizeof(ch->desc), "to DM client %s", name);
	log_notice("channel %u: DM notification channel %s (buffer %u)",
		   ch->id, ch->desc, bufsize);
	tr_open(b, ref, result, ch);
}

void bip_dm_client_gone(struct bipd *b)
{
	for (int id = 1; id <= BIPD_MAX_CHANNELS; id++) {
		struct channel *ch = &b->chan[id];

		if (ch->kind == CHAN_CLIENT && ch->dm)
			chan_fault(b, ch, "the DM client went away");
	}
}

void bip_open_channel(struct bipd *b, const struct cmd_ref *ref,
		      const struct cat_msg *m)
{
	const struct cat_tlv *tr_t = cat_msg_find(m, CAT_TAG_TRANSPORT, 0);
	const struct cat_tlv *buf_t = cat_msg_find(m, CAT_TAG_BUFFER_SIZE, 0);
	struct cat_transport tr;
	uint16_t asked, granted;
	uint8_t result;

	if (!tr_t || !buf_t) {
		tr_simple(b, ref, CAT_RES_VALUES_MISSING, NULL, 0);
		return;
	}
	if (cat_get_transport(tr_t, &tr) || cat_get_buffer_size(buf_t, &asked)) {
		tr_simple(b, ref, CAT_RES_DATA_UNKNOWN, NULL, 0);
		return;
	}
	if (!asked) {
		tr_bip_error(b, ref, CAT_BIP_NO_BUFFER);
		return;
	}
	granted = asked > b->opts->max_buffer ? (uint16_t)b->opts->max_buffer :
						asked;
	result = granted < asked ? CAT_RES_MODIFIED : CAT_RES_OK;
	if (tr.proto == CAT_TP_TCP_SERVER) {
		open_server(b, ref, &tr, granted, result);
	} else if ((tr.proto == CAT_TP_TCP_CLIENT_REMOTE ||
		    tr.proto == CAT_TP_UDP_CLIENT_REMOTE) && b->opts->tcp_client) {
		open_client(b, ref, m, tr_t, &tr, granted, result);
	} else if (tr.proto == CAT_TP_UDP_CLIENT_LOCAL && b->dm_ops) {
		open_local(b, ref, m, &tr, granted, result);
	} else {
		log_warn("OPEN CHANNEL with transport %02X: not supported",
			 tr.proto);
		tr_simple(b, ref, CAT_RES_BEYOND_CAPABILITY, NULL, 0);
	}
}
