// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * scws-nl.c - generic netlink client helpers for the scws module.
 *
 * One callback (NL_CB_MSG_IN) sees every received message and does all the
 * work: it matches replies to the command in flight by sequence number and
 * hands everything else to the unsolicited-message handlers.  It always
 * returns NL_SKIP, so libnl's own sequence checks and multipart loop never
 * run: each nl_recvmsgs() call reads exactly one datagram and never blocks.
 */
#include "scws-nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define DISPATCH_BUDGET 64	/* datagrams per scws_nl_dispatch() call */
#define ERRNO_MAX 4095		/* larger "errors" are not errnos */


/* The command in flight: how to read its reply and how it ended. */
struct scws_req {
	unsigned int seq;
	bool need_reply;	/* a doit that answers with a message */
	unsigned int replies;
	bool done;
	int err;
	scws_reply_fn on_reply;
	void *arg;
};

struct scws_nl {
	struct nl_sock *sk;
	struct nl_cb *cb;
	int family;
	int events_group;
	struct scws_req *req;	/* NULL when idle */
	bool lost;		/* the kernel dropped messages for us */
	const struct scws_nl_handlers *handlers;
	void *handlers_arg;
	char extack[SCWS_NL_EXTACK_MAX];
	bool has_extack_offset;
	uint32_t extack_offset;	/* NLMSGERR_ATTR_OFFS of the last error */
};

/* ---- attribute policies: exact sizes, so every read below is in bounds */

#define POL_U8 { .type = NLA_U8, .maxlen = sizeof(uint8_t) }
#define POL_U16 { .type = NLA_U16, .maxlen = sizeof(uint16_t) }
#define POL_U32 { .type = NLA_U32, .maxlen = sizeof(uint32_t) }
#define POL_U64 { .type = NLA_U64, .maxlen = sizeof(uint64_t) }
#define POL_NEST { .type = NLA_NESTED }

static const struct nla_policy scws_policy[SCWS_A_MAX + 1] = {
	[SCWS_A_PORT] = POL_U16,
	[SCWS_A_PORT_CHANNELS] = POL_U32,
	[SCWS_A_PORT_CAPACITY] = POL_U32,
	[SCWS_A_CONN_ID] = POL_U64,
	[SCWS_A_CONN] = POL_NEST,
	[SCWS_A_PUMP_PORTID] = POL_U32,
	[SCWS_A_QUEUE_LEN] = POL_U32,
	[SCWS_A_QUEUE_TIMEOUT_MS] = POL_U32,
	[SCWS_A_QUEUE_PER_UID] = POL_U32,
	[SCWS_A_PORTS] = POL_NEST,
	[SCWS_A_PORT_INFO] = POL_NEST,
	[SCWS_A_EVENT] = POL_U8,
	[SCWS_A_REASON] = POL_U8,
};

static const struct nla_policy conn_policy[SCWS_CONN_A_MAX + 1] = {
	[SCWS_CONN_A_ID] = POL_U64,
	[SCWS_CONN_A_PORT] = POL_U16,
	[SCWS_CONN_A_FAMILY] = POL_U8,
	[SCWS_CONN_A_PEER_ADDR] = { .minlen = 4, .maxlen = 16 },
	[SCWS_CONN_A_PEER_PORT] = POL_U16,
	[SCWS_CONN_A_STATE] = POL_U8,
	[SCWS_CONN_A_AGE_MS] = POL_U32,
	[SCWS_CONN_A_FD] = POL_U32,
	[SCWS_CONN_A_CALLER] = POL_NEST,
	[SCWS_CONN_A_DECISION] = POL_U8,
	[SCWS_CONN_A_RULE] = POL_U32,
};

static const struct nla_policy caller_policy[SCWS_CALLER_A_MAX + 1] = {
	[SCWS_CALLER_A_PID] = POL_U32,
	[SCWS_CALLER_A_UID] = POL_U32,
	[SCWS_CALLER_A_GID] = POL_U32,
	[SCWS_CALLER_A_LABEL] = { .type = NLA_STRING, .maxlen = SCWS_LABEL_MAX },
	[SCWS_CALLER_A_EXE] = { .type = NLA_STRING, .maxlen = SCWS_EXE_MAX },
};

static const struct nla_policy port_policy[SCWS_PORT_A_MAX + 1] = {
	[SCWS_PORT_A_PORT] = POL_U16,
	[SCWS_PORT_A_CHANNELS] = POL_U32,
	[SCWS_PORT_A_CAPACITY] = POL_U32,
	[SCWS_PORT_A_OFFERED] = POL_U32,
	[SCWS_PORT_A_QUEUED] = POL_U32,
	[SCWS_PORT_A_ACCEPTED] = POL_U64,
	[SCWS_PORT_A_HANDED_OFF] = POL_U64,
	[SCWS_PORT_A_REFUSED] = POL_U64,
	[SCWS_PORT_A_TIMED_OUT] = POL_U64,
	[SCWS_PORT_A_RESET] = POL_U64,
	[SCWS_PORT_A_UNGUARDED] = { .type = NLA_FLAG },
	[SCWS_PORT_A_CLOSED] = POL_U64,
};

/* ---- small helpers */

static uint32_t get_u32(const struct nlattr *nla, uint32_t absent)
{
	return nla ? nla_get_u32(nla) : absent;
}

static uint64_t get_u64(const struct nlattr *nla)
{
	return nla ? nla_get_u64(nla) : 0;
}

/* The policy guarantees a NUL inside the attribute and a fitting length. */
static void get_string(char *dst, size_t size, const struct nlattr *nla)
{
	if (nla)
		snprintf(dst, size, "%s", (const char *)nla_data(nla));
}

/* libnl folds errno into its own codes; unfold the ones that map back. */
static int nle_to_errno(int nle)
{
	static const int errnos[] = {
		[NLE_INTR] = EINTR,
		[NLE_BAD_SOCK] = EBADF,
		[NLE_AGAIN] = EAGAIN,
		[NLE_NOMEM] = ENOMEM,
		[NLE_EXIST] = EEXIST,
		[NLE_INVAL] = EINVAL,
		[NLE_RANGE] = ERANGE,
		[NLE_MSGSIZE] = EMSGSIZE,
		[NLE_OPNOTSUPP] = EOPNOTSUPP,
		[NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
		[NLE_OBJ_NOTFOUND] = ENOENT,
		[NLE_MSG_OVERFLOW] = ENOBUFS,
		[NLE_MSG_TRUNC] = EMSGSIZE,
		[NLE_NOADDR] = EADDRNOTAVAIL,
		[NLE_MSG_TOOSHORT] = EBADMSG,
		[NLE_BUSY] = EBUSY,
		[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
		[NLE_NOACCESS] = EACCES,
		[NLE_PERM] = EPERM,
		[NLE_NODEV] = ENODEV,
	};
	int code = nle < 0 ? -nle : nle;

	if (nle >= 0)
		return 0;
	if (code < (int)(sizeof(errnos) / sizeof(errnos[0])) && errnos[code])
		return -errnos[code];
	return -EIO;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 if readable within timeout_ms, 0 if not, or -errno. */
static int poll_in(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	return n > 0;
}

/* ---- decoders */

static void conn_info_init(struct scws_conn_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->fd = -1;
	ci->uid = UINT32_MAX;
	ci->gid = UINT32_MAX;
}

/* Family and address come together, and the length must fit the family. */
static int parse_peer(struct nlattr **tb, struct scws_conn_info *ci)
{
	const struct nlattr *family = tb[SCWS_CONN_A_FAMILY];
	const struct nlattr *addr = tb[SCWS_CONN_A_PEER_ADDR];
	int want;

	if (!family && !addr)
		return 0;
	if (!family || !addr)
		return -EBADMSG;
	ci->family = nla_get_u8(family);
	want = ci->family == AF_INET ? 4 : ci->family == AF_INET6 ? 16 : -1;
	if (nla_len(addr) != want)
		return -EBADMSG;
	if (!inet_ntop(ci->family, nla_data(addr), ci->peer_addr,
		       sizeof(ci->peer_addr)))
		return -EBADMSG;
	return 0;
}

static int parse_caller(struct nlattr *nest, struct scws_conn_info *ci)
{
	struct nlattr *tb[SCWS_CALLER_A_MAX + 1];

	if (!nest)
		return 0;
	if (nla_parse_nested(tb, SCWS_CALLER_A_MAX, nest, caller_policy) < 0)
		return -EBADMSG;
	ci->pid = get_u32(tb[SCWS_CALLER_A_PID], 0);
	ci->uid = get_u32(tb[SCWS_CALLER_A_UID], UINT32_MAX);
	ci->gid = get_u32(tb[SCWS_CALLER_A_GID], UINT32_MAX);
	get_string(ci->label, sizeof(ci->label), tb[SCWS_CALLER_A_LABEL]);
	get_string(ci->exe, sizeof(ci->exe), tb[SCWS_CALLER_A_EXE]);
	return 0;
}

/*
 * Decodes an SCWS_A_CONN nest.  The fd is taken first, so that a caller can
 * close it even when a later field turns out to be malformed.
 */
int scws_nl_parse_conn(struct nlattr *nest, struct scws_conn_info *ci)
{
	struct nlattr *tb[SCWS_CONN_A_MAX + 1];
	uint32_t fd;
	int err;

	conn_info_init(ci);
	if (!nest || nla_parse_nested(tb, SCWS_CONN_A_MAX, nest, conn_policy) < 0)
		return -EBADMSG;
	fd = get_u32(tb[SCWS_CONN_A_FD], UINT32_MAX);
	if (tb[SCWS_CONN_A_FD] && fd > INT_MAX)
		return -EBADMSG;
	ci->fd = tb[SCWS_CONN_A_FD] ? (int)fd : -1;
	ci->has_id = tb[SCWS_CONN_A_ID] != NULL;
	ci->id = get_u64(tb[SCWS_CONN_A_ID]);
	ci->port = tb[SCWS_CONN_A_PORT] ? nla_get_u16(tb[SCWS_CONN_A_PORT]) : 0;
	ci->peer_port = tb[SCWS_CONN_A_PEER_PORT] ?
			nla_get_u16(tb[SCWS_CONN_A_PEER_PORT]) : 0;
	ci->state = tb[SCWS_CONN_A_STATE] ? nla_get_u8(tb[SCWS_CONN_A_STATE]) : 0;
	ci->age_ms = get_u32(tb[SCWS_CONN_A_AGE_MS], 0);
	ci->has_decision = tb[SCWS_CONN_A_DECISION] != NULL;
	ci->decision = ci->has_decision ?
		       nla_get_u8(tb[SCWS_CONN_A_DECISION]) : 0;
	ci->has_rule = tb[SCWS_CONN_A_RULE] != NULL;
	ci->rule = get_u32(tb[SCWS_CONN_A_RULE], 0);
	err = parse_peer(tb, ci);
	return err ? err : parse_caller(tb[SCWS_CONN_A_CALLER], ci);
}

static int parse_genl(struct nlmsghdr *nlh, struct nlattr **tb)
{
	if (genlmsg_parse(nlh, 0, tb, SCWS_A_MAX, scws_policy) < 0)
		return -EBADMSG;
	return 0;
}

/* A message about one connection (CONN_NEW, claim reply, dump entry). */
int scws_nl_parse_conn_msg(struct nlmsghdr *nlh, struct scws_conn_info *ci)
{
	struct nlattr *tb[SCWS_A_MAX + 1];
	int err;

	conn_info_init(ci);
	err = parse_genl(nlh, tb);
	if (!err)
		err = scws_nl_parse_conn(tb[SCWS_A_CONN], ci);
	if (!err && !ci->has_id)
		err = -EBADMSG;
	return err;
}

static int parse_port(struct nlattr *nest, struct scws_port_status *ps)
{
	struct nlattr *tb[SCWS_PORT_A_MAX + 1];

	memset(ps, 0, sizeof(*ps));
	if (nla_parse_nested(tb, SCWS_PORT_A_MAX, nest, port_policy) < 0 ||
	    !tb[SCWS_PORT_A_PORT])
		return -EBADMSG;
	ps->port = nla_get_u16(tb[SCWS_PORT_A_PORT]);
	ps->channels = get_u32(tb[SCWS_PORT_A_CHANNELS], 0);
	ps->capacity = get_u32(tb[SCWS_PORT_A_CAPACITY], 0);
	ps->offered = get_u32(tb[SCWS_PORT_A_OFFERED], 0);
	ps->queued = get_u32(tb[SCWS_PORT_A_QUEUED], 0);
	ps->accepted = get_u64(tb[SCWS_PORT_A_ACCEPTED]);
	ps->handed_off = get_u64(tb[SCWS_PORT_A_HANDED_OFF]);
	ps->refused = get_u64(tb[SCWS_PORT_A_REFUSED]);
	ps->timed_out = get_u64(tb[SCWS_PORT_A_TIMED_OUT]);
	ps->reset = get_u64(tb[SCWS_PORT_A_RESET]);
	ps->unguarded = tb[SCWS_PORT_A_UNGUARDED] != NULL;
	ps->closed = get_u64(tb[SCWS_PORT_A_CLOSED]);
	return 0;
}

/* Other attribute types inside SCWS_A_PORTS are skipped, for newer kernels. */
static int parse_ports(struct nlattr *ports, struct scws_status *st)
{
	struct nlattr *pos;
	int rem;

	nla_for_each_nested(pos, ports, rem) {
		if (nla_type(pos) != SCWS_A_PORT_INFO)
			continue;
		if (st->n_ports == SCWS_NL_PORTS_MAX)
			return -E2BIG;
		if (parse_port(pos, &st->ports[st->n_ports++]) < 0)
			return -EBADMSG;
	}
	return 0;
}

int scws_nl_parse_status(struct nlmsghdr *nlh, struct scws_status *st)
{
	struct nlattr *tb[SCWS_A_MAX + 1];
	int err;

	memset(st, 0, sizeof(*st));
	err = parse_genl(nlh, tb);
	if (err)
		return err;
	if (!tb[SCWS_A_QUEUE_LEN] || !tb[SCWS_A_QUEUE_TIMEOUT_MS] ||
	    !tb[SCWS_A_PORTS])
		return -EBADMSG;
	st->has_pump = tb[SCWS_A_PUMP_PORTID] != NULL;
	st->pump_portid = get_u32(tb[SCWS_A_PUMP_PORTID], 0);
	st->queue_len = nla_get_u32(tb[SCWS_A_QUEUE_LEN]);
	st->queue_timeout_ms = nla_get_u32(tb[SCWS_A_QUEUE_TIMEOUT_MS]);
	st->queue_per_uid = get_u32(tb[SCWS_A_QUEUE_PER_UID], 0);
	return parse_ports(tb[SCWS_A_PORTS], st);
}

int scws_nl_parse_event(struct nlmsghdr *nlh, struct scws_event_info *ev)
{
	struct nlattr *tb[SCWS_A_MAX + 1];
	int err;

	memset(ev, 0, sizeof(*ev));
	conn_info_init(&ev->conn);
	err = parse_genl(nlh, tb);
	if (err)
		return err;
	if (!tb[SCWS_A_EVENT])
		return -EBADMSG;
	ev->type = nla_get_u8(tb[SCWS_A_EVENT]);
	ev->reason = tb[SCWS_A_REASON] ? nla_get_u8(tb[SCWS_A_REASON]) : 0;
	ev->has_pump_portid = tb[SCWS_A_PUMP_PORTID] != NULL;
	ev->pump_portid = get_u32(tb[SCWS_A_PUMP_PORTID], 0);
	ev->has_conn = tb[SCWS_A_CONN] != NULL;
	return ev->has_conn ? scws_nl_parse_conn(tb[SCWS_A_CONN], &ev->conn) : 0;
}

/* ---- receiving */

/* Where the extended-ack TLVs of an NLMSG_ERROR start (see netlink_ack()). */
static size_t ack_tlv_offset(const struct nlmsghdr *nlh,
			     const struct nlmsgerr *e)
{
	size_t len = NLMSG_HDRLEN + sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > NLMSG_HDRLEN)
		len += e->msg.nlmsg_len - NLMSG_HDRLEN;
	return NLMSG_ALIGN(len);
}

static void copy_extack(struct scws_nl *nl, struct nlmsghdr *nlh, size_t off)
{
	static const struct nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
		[NLMSGERR_ATTR_OFFS] = { .type = NLA_U32 },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= nlh->nlmsg_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		      (int)(nlh->nlmsg_len - off), policy) < 0)
		return;
	get_string(nl->extack, sizeof(nl->extack), tb[NLMSGERR_ATTR_MSG]);
	nl->has_extack_offset = tb[NLMSGERR_ATTR_OFFS] != NULL;
	if (nl->has_extack_offset)
		nl->extack_offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
}

/* A kernel error code, or -EBADMSG when it cannot be one. */
static int kernel_errno(int error)
{
	return error < -ERRNO_MAX || error > 0 ? -EBADMSG : error;
}

static void take_ack(struct scws_nl *nl, struct scws_req *req,
		     struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = nlmsg_data(nlh);

	req->done = true;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
		req->err = -EBADMSG;
		return;
	}
	if (e->error == 0)
		return;
	req->err = kernel_errno(e->error);
	copy_extack(nl, nlh, ack_tlv_offset(nlh, e));
}

/* NLMSG_DONE ends a dump and carries the dump's own error, if any. */
static void take_done(struct scws_nl *nl, struct scws_req *req,
		      struct nlmsghdr *nlh)
{
	int error = 0;

	req->done = true;
	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(error)))
		memcpy(&error, nlmsg_data(nlh), sizeof(error));
	if (error == 0)
		return;
	req->err = kernel_errno(error);
	copy_extack(nl, nlh, NLMSG_LENGTH(NLMSG_ALIGN(sizeof(error))));
}

static void take_reply(struct scws_nl *nl, struct scws_req *req,
		       struct nlmsghdr *nlh)
{
	int err;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		take_ack(nl, req, nlh);
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		take_done(nl, req, nlh);
	} else if (nlh->nlmsg_type == nl->family && req->on_reply) {
		req->replies++;
		err = req->on_reply(nlh, req->arg);
		if (err < 0 && !req->err)
			req->err = err;
	}
}

static void take_conn_new(struct scws_nl *nl, struct nlmsghdr *nlh)
{
	const struct scws_nl_handlers *h = nl->handlers;
	struct scws_conn_info ci;
	int err = scws_nl_parse_conn_msg(nlh, &ci);

	if (err && h->malformed)
		h->malformed(nl->handlers_arg, SCWS_CMD_CONN_NEW, err);
	else if (!err && h->conn_new)
		h->conn_new(nl->handlers_arg, &ci);
}

static void take_event(struct scws_nl *nl, struct nlmsghdr *nlh)
{
	const struct scws_nl_handlers *h = nl->handlers;
	struct scws_event_info ev;
	int err = scws_nl_parse_event(nlh, &ev);

	if (err && h->malformed)
		h->malformed(nl->handlers_arg, SCWS_CMD_EVENT, err);
	else if (!err && h->event)
		h->event(nl->handlers_arg, &ev);
}

/* The genl command of a message of our family, or -1. */
static int genl_cmd(const struct scws_nl *nl, struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_type != nl->family || !genlmsg_valid_hdr(nlh, 0))
		return -1;
	return genlmsg_hdr(nlh)->cmd;
}

static bool is_unsolicited(int cmd)
{
	return cmd == SCWS_CMD_CONN_NEW || cmd == SCWS_CMD_EVENT;
}

static void take_unsolicited(struct scws_nl *nl, struct nlmsghdr *nlh, int cmd)
{
	if (!nl->handlers)
		return;
	if (cmd == SCWS_CMD_CONN_NEW)
		take_conn_new(nl, nlh);
	else if (cmd == SCWS_CMD_EVENT)
		take_event(nl, nlh);
}

static int on_message(struct nl_msg *msg, void *arg)
{
	struct scws_nl *nl = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int cmd = genl_cmd(nl, nlh);

	/* Only the kernel speaks for the family: ignore other sockets. */
	if (nlmsg_get_src(msg)->nl_pid != 0)
		return NL_SKIP;
	if (is_unsolicited(cmd))
		take_unsolicited(nl, nlh, cmd);
	else if (nl->req && nlh->nlmsg_seq == nl->req->seq)
		take_reply(nl, nl->req, nlh);
	return NL_SKIP;
}

/* Reads one datagram if there is one; a lost-messages error is noted. */
static int receive(struct scws_nl *nl)
{
	int err = nl_recvmsgs(nl->sk, nl->cb);

	if (err >= 0 || err == -NLE_AGAIN)
		return 0;
	/* libnl reports ENOBUFS (socket overrun) as NLE_NOMEM. */
	if (err == -NLE_NOMEM) {
		nl->lost = true;
		return 0;
	}
	return nle_to_errno(err);
}

static int wait_done(struct scws_nl *nl, struct scws_req *req)
{
	int64_t deadline = now_ms() + SCWS_NL_TIMEOUT_MS;

	while (!req->done) {
		int64_t left = deadline - now_ms();
		int err;

		if (left <= 0)
			return -ETIMEDOUT;
		err = poll_in(scws_nl_fd(nl), (int)left);
		if (err > 0)
			err = receive(nl);
		if (err < 0)
			return err;
	}
	return 0;
}

int scws_nl_dispatch(struct scws_nl *nl)
{
	int i, err = 0;

	if (nl->req)
		return -EDEADLK;
	/* Bounded, so a flood of events cannot starve the caller's other fds. */
	for (i = 0; i < DISPATCH_BUDGET && !err; i++) {
		err = poll_in(scws_nl_fd(nl), 0);
		if (err <= 0)
			break;
		err = receive(nl);
	}
	if (!err && nl->lost) {
		nl->lost = false;
		err = -ENOBUFS;
	}
	return err;
}

/* ---- commands */

/* size 0: libnl's default (a page); policies need more. */
struct nl_msg *scws_nl_msg_new(const struct scws_nl *nl, uint8_t cmd,
			       int flags, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				flags, cmd, SCWS_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* Sends msg (and frees it), then waits for the ack, the error or DONE. */
int scws_nl_request(struct scws_nl *nl, struct nl_msg *msg, scws_reply_fn fn,
		    void *arg)
{
	struct scws_req req = { .on_reply = fn, .arg = arg };
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err;

	if (nl->req) {
		nlmsg_free(msg);
		return -EDEADLK;
	}
	nl->extack[0] = '\0';
	nl->has_extack_offset = false;
	err = nl_send_auto(nl->sk, msg);
	req.seq = nlh->nlmsg_seq;
	req.need_reply = fn && !(nlh->nlmsg_flags & NLM_F_DUMP);
	nlmsg_free(msg);
	if (err < 0)
		return nle_to_errno(err);
	nl->req = &req;
	err = wait_done(nl, &req);
	nl->req = NULL;
	if (!err && !req.err && req.need_reply && !req.replies)
		return -EBADMSG;
	return err ? err : req.err;
}

static int simple_cmd(struct scws_nl *nl, uint8_t cmd)
{
	struct nl_msg *msg = scws_nl_msg_new(nl, cmd, NLM_F_ACK, 0);

	return msg ? scws_nl_request(nl, msg, NULL, NULL) : -ENOMEM;
}

int scws_nl_register(struct scws_nl *nl)
{
	return simple_cmd(nl, SCWS_CMD_PUMP_REGISTER);
}

int scws_nl_unregister(struct scws_nl *nl)
{
	return simple_cmd(nl, SCWS_CMD_PUMP_UNREGISTER);
}

int scws_nl_port_set(struct scws_nl *nl, uint16_t port, uint32_t channels,
		     uint32_t capacity)
{
	struct nl_msg *msg = scws_nl_msg_new(nl, SCWS_CMD_PORT_SET, NLM_F_ACK, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u16(msg, SCWS_A_PORT, port) < 0 ||
	    nla_put_u32(msg, SCWS_A_PORT_CHANNELS, channels) < 0 ||
	    nla_put_u32(msg, SCWS_A_PORT_CAPACITY, capacity) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return scws_nl_request(nl, msg, NULL, NULL);
}

struct claim_ctx {
	uint64_t id;
	struct scws_conn_info ci;
};

static int on_claim_reply(struct nlmsghdr *nlh, void *arg)
{
	struct claim_ctx *ctx = arg;
	struct nlattr *tb[SCWS_A_MAX + 1];
	int err;

	if (ctx->ci.fd >= 0)
		return -EBADMSG;	/* one reply only; keep the first fd */
	err = parse_genl(nlh, tb);
	if (!err)
		err = scws_nl_parse_conn(tb[SCWS_A_CONN], &ctx->ci);
	/* The reply may leave the id out: it is the one we asked for. */
	if (!err && ctx->ci.has_id && ctx->ci.id != ctx->id)
		err = -EBADMSG;
	ctx->ci.has_id = true;
	ctx->ci.id = ctx->id;
	return err;
}

/*
 * Claims connection id.  Returns the connected socket (O_CLOEXEC, ours to
 * close) or -errno; conn, when given, receives the reply's description.
 */
int scws_nl_claim(struct scws_nl *nl, uint64_t id, struct scws_conn_info *conn)
{
	struct nl_msg *msg = scws_nl_msg_new(nl, SCWS_CMD_CONN_CLAIM, NLM_F_ACK, 0);
	struct claim_ctx ctx = { .id = id };
	int err;

	conn_info_init(&ctx.ci);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, SCWS_A_CONN_ID, id) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	err = scws_nl_request(nl, msg, on_claim_reply, &ctx);
	if (!err && ctx.ci.fd < 0)
		err = -EBADMSG;
	if (err && ctx.ci.fd >= 0) {
		close(ctx.ci.fd);	/* installed, but the answer was unusable */
		ctx.ci.fd = -1;
	}
	if (conn)
		*conn = ctx.ci;
	return err ? err : ctx.ci.fd;
}

static int on_status_reply(struct nlmsghdr *nlh, void *arg)
{
	return scws_nl_parse_status(nlh, arg);
}

int scws_nl_status_get(struct scws_nl *nl, struct scws_status *status)
{
	struct nl_msg *msg = scws_nl_msg_new(nl, SCWS_CMD_STATUS_GET, NLM_F_ACK, 0);

	memset(status, 0, sizeof(*status));
	return msg ? scws_nl_request(nl, msg, on_status_reply, status) : -ENOMEM;
}

struct dump_ctx {
	scws_nl_conn_fn fn;
	void *arg;
	bool interrupted;	/* the list changed during the dump */
};

static int on_conn_entry(struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx *ctx = arg;
	struct scws_conn_info ci;
	int err = scws_nl_parse_conn_msg(nlh, &ci);

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->interrupted = true;
	if (!err)
		ctx->fn(ctx->arg, &ci);
	return err;
}

/* Calls fn for each pending connection; malformed entries are skipped and
 * make the result -EBADMSG.  -EINTR: the connections changed during the
 * dump (fn saw a mix, maybe one twice); dump again for a consistent list. */
int scws_nl_conn_dump(struct scws_nl *nl, scws_nl_conn_fn fn, void *arg)
{
	struct dump_ctx ctx = { .fn = fn, .arg = arg };
	struct nl_msg *msg = scws_nl_msg_new(nl, SCWS_CMD_CONN_GET, NLM_F_DUMP, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	err = scws_nl_request(nl, msg, on_conn_entry, &ctx);
	return !err && ctx.interrupted ? -EINTR : err;
}

/* ---- socket */

static int socket_setup(struct scws_nl *nl)
{
	int one = 1;
	int err;

	nl->sk = nl_socket_alloc();
	nl->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nl->sk || !nl->cb)
		return -ENOMEM;
	err = genl_connect(nl->sk);
	if (err < 0)
		return nle_to_errno(err);
	/* Kernels before 4.12 lack these: we then just get no extack text. */
	setsockopt(scws_nl_fd(nl), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(scws_nl_fd(nl), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
	/* Room for bursts of CONN_NEW and events (capped by rmem_max). */
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 0);
	nl_socket_enable_msg_peek(nl->sk);
	nl_cb_set(nl->cb, NL_CB_MSG_IN, NL_CB_CUSTOM, on_message, nl);
	return 0;
}

static int resolve_family(struct scws_nl *nl)
{
	nl->family = genl_ctrl_resolve(nl->sk, SCWS_GENL_NAME);
	if (nl->family < 0)
		return nle_to_errno(nl->family);
	nl->events_group = genl_ctrl_resolve_grp(nl->sk, SCWS_GENL_NAME,
						 SCWS_GENL_MCGRP_EVENTS);
	if (nl->events_group == -NLE_OBJ_NOTFOUND)
		return -EPROTO;
	return nl->events_group < 0 ? nle_to_errno(nl->events_group) : 0;
}

/*
 * Opens a socket bound to the scws family.  -ENOENT: the family is not
 * registered (module not loaded); scws_nl_open_strerror() words it.
 */
int scws_nl_open(struct scws_nl **nlp)
{
	struct scws_nl *nl = calloc(1, sizeof(*nl));
	int err;

	*nlp = NULL;
	if (!nl)
		return -ENOMEM;
	err = socket_setup(nl);
	if (!err)
		err = resolve_family(nl);
	/* Non-blocking from here on: every wait goes through poll(). */
	if (!err)
		err = nle_to_errno(nl_socket_set_nonblocking(nl->sk));
	if (err) {
		scws_nl_close(nl);
		return err;
	}
	*nlp = nl;
	return 0;
}

const char *scws_nl_open_strerror(int err)
{
	if (err == -ENOENT)
		return "generic netlink family \"" SCWS_GENL_NAME
		       "\" not found (is scws.ko loaded?)";
	if (err == -EPROTO)
		return "family \"" SCWS_GENL_NAME "\" has no \""
		       SCWS_GENL_MCGRP_EVENTS
		       "\" group (module and tools out of step?)";
	return strerror(-err);
}

void scws_nl_close(struct scws_nl *nl)
{
	if (!nl)
		return;
	if (nl->cb)
		nl_cb_put(nl->cb);
	nl_socket_free(nl->sk);
	free(nl);
}

int scws_nl_fd(const struct scws_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

uint32_t scws_nl_portid(const struct scws_nl *nl)
{
	return nl_socket_get_local_port(nl->sk);
}

void scws_nl_set_handlers(struct scws_nl *nl,
			  const struct scws_nl_handlers *handlers, void *arg)
{
	nl->handlers = handlers;
	nl->handlers_arg = arg;
}

/* Needs CAP_NET_ADMIN in the netns' user namespace (-EPERM otherwise). */
int scws_nl_subscribe_events(struct scws_nl *nl)
{
	int group = nl->events_group;

	if (setsockopt(scws_nl_fd(nl), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &group, sizeof(group)) < 0)
		return -errno;
	return 0;
}

/* ---- errors and names */

const char *scws_nl_extack(const struct scws_nl *nl)
{
	return nl->extack;
}

bool scws_nl_extack_offset(const struct scws_nl *nl, uint32_t *offset)
{
	if (nl->has_extack_offset)
		*offset = nl->extack_offset;
	return nl->has_extack_offset;
}

/* Prints "scws: [what: ][extack: ]strerror" to stderr. */
void scws_nl_perror(const struct scws_nl *nl, const char *what, int err)
{
	const char *ext = nl ? nl->extack : "";

	fprintf(stderr, "scws: %s%s%s%s%s\n", what ? what : "", what ? ": " : "",
		ext, *ext ? ": " : "", strerror(err < 0 ? -err : err));
}

const char *scws_errno_name(int err)
{
	const char *name = strerrorname_np(err < 0 ? -err : err);

	return name ? name : "E?";
}

#define NAME_OF(table, i) \
	((i) < sizeof(table) / sizeof(table[0]) && (table)[i] ? (table)[i] : "?")

const char *scws_event_name(unsigned int type)
{
	static const char *const names[] = {
		[SCWS_EVENT_PUMP_UP] = "pump-up",
		[SCWS_EVENT_PUMP_DOWN] = "pump-down",
		[SCWS_EVENT_CONN_ACCEPTED] = "conn-accepted",
		[SCWS_EVENT_CONN_REFUSED] = "conn-refused",
		[SCWS_EVENT_CONN_HANDED_OFF] = "conn-handed-off",
		[SCWS_EVENT_CONN_TIMED_OUT] = "conn-timed-out",
		[SCWS_EVENT_CONN_RESET] = "conn-reset",
	};

	return NAME_OF(names, type);
}

const char *scws_reason_name(unsigned int reason)
{
	static const char *const names[] = {
		[SCWS_REASON_NONE] = "none",
		[SCWS_REASON_NO_PUMP] = "no-pump",
		[SCWS_REASON_NOT_SERVED] = "not-served",
		[SCWS_REASON_QUEUE_FULL] = "queue-full",
		[SCWS_REASON_PUMP_GONE] = "pump-gone",
		[SCWS_REASON_SHUTDOWN] = "shutdown",
		[SCWS_REASON_POLICY] = "policy",
		[SCWS_REASON_UNJUDGED] = "unjudged",
		[SCWS_REASON_FASTOPEN] = "fastopen",
		[SCWS_REASON_UNGUARDED] = "unguarded",
		[SCWS_REASON_CLAIM_FAILED] = "claim-failed",
		[SCWS_REASON_QUEUE_SHARE] = "queue-share",
		[SCWS_REASON_CLIENT_CLOSED] = "client-closed",
	};

	return NAME_OF(names, reason);
}

const char *scws_conn_state_name(unsigned int state)
{
	static const char *const names[] = {
		[SCWS_CONN_QUEUED] = "queued",
		[SCWS_CONN_OFFERED] = "offered",
	};

	return NAME_OF(names, state);
}

const char *scws_decision_name(unsigned int decision)
{
	static const char *const names[] = {
		[SCWS_DECISION_NO_POLICY] = "no-policy",
		[SCWS_DECISION_RULE] = "rule",
		[SCWS_DECISION_DEFAULT] = "default",
	};

	return NAME_OF(names, decision);
}
