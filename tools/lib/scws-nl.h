/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * scws-nl.h - generic netlink client helpers for the scws module.
 *
 * Shared by scwsctl, scws-bipd and the test pump.  One struct scws_nl is one
 * netlink socket bound to the "scws" family.  Commands are synchronous: they
 * send a request and wait (bounded) for its reply and ack, and return 0 or a
 * reply value, or a negative errno.  After a failure the kernel's extack text,
 * if any, is in scws_nl_extack().
 *
 * Messages the kernel sends on its own (CONN_NEW to the pump, events to
 * subscribers) go to the handlers set with scws_nl_set_handlers().  They run
 * from scws_nl_dispatch() and also while a command waits for its reply, so a
 * handler must not send commands itself: it records the work and the caller
 * does it once the call returns (a nested command fails with -EDEADLK).
 *
 * Decoders validate every attribute against an nla_policy (exact sizes, NUL
 * terminated strings, address length matching the family) and fail with
 * -EBADMSG on malformed input; they never read past the message.
 */
#ifndef SCWS_NL_H
#define SCWS_NL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/scws.h>

struct nlattr;
struct nlmsghdr;
struct scws_nl;

#define SCWS_NL_TIMEOUT_MS 5000	/* longest wait for a reply */
#define SCWS_NL_PORTS_MAX 16	/* ports one status reply may carry */
#define SCWS_NL_EXTACK_MAX 256

/* One connection as the kernel describes it (SCWS_A_CONN). */
struct scws_conn_info {
	bool has_id;			/* refused-connect events carry none */
	uint64_t id;
	uint16_t port;			/* local SCWS port */
	uint8_t family;			/* AF_INET, AF_INET6, 0 if absent */
	char peer_addr[INET6_ADDRSTRLEN];	/* "" if absent */
	uint16_t peer_port;
	uint8_t state;			/* enum scws_conn_state */
	uint32_t age_ms;
	int fd;				/* claim reply only, else -1 */
	uint32_t pid;			/* 0 when unknown */
	uint32_t uid;			/* (uint32_t)-1 when absent */
	uint32_t gid;			/* (uint32_t)-1 when absent */
	char label[SCWS_LABEL_MAX];	/* LSM context, "" if absent */
	char exe[SCWS_EXE_MAX];		/* executable path, "" if absent */
	bool has_decision;
	uint8_t decision;		/* enum scws_decision */
	bool has_rule;
	uint32_t rule;			/* index of the rule that decided */
};

/* One port's line of SCWS_CMD_STATUS_GET. */
struct scws_port_status {
	uint16_t port;
	uint32_t channels;
	uint32_t capacity;
	uint32_t offered;
	uint32_t queued;
	uint64_t accepted;
	uint64_t handed_off;
	uint64_t refused;
	uint64_t timed_out;
	uint64_t reset;
	bool unguarded;			/* refuses everything, see scwsctl(8) */
	uint64_t closed;	/* client closed while waiting; 0 if not sent */
};

struct scws_status {
	bool has_pump;
	uint32_t pump_portid;
	uint32_t queue_len;
	uint32_t queue_timeout_ms;
	uint32_t queue_per_uid;	/* 0: not sent (older module) */
	unsigned int n_ports;
	struct scws_port_status ports[SCWS_NL_PORTS_MAX];
};

/* One SCWS_CMD_EVENT multicast message. */
struct scws_event_info {
	uint8_t type;			/* enum scws_event */
	uint8_t reason;			/* enum scws_reason, NONE if absent */
	bool has_pump_portid;
	uint32_t pump_portid;
	bool has_conn;
	struct scws_conn_info conn;
};

/* Handlers for unsolicited messages; any may be NULL. */
struct scws_nl_handlers {
	void (*conn_new)(void *arg, const struct scws_conn_info *conn);
	void (*event)(void *arg, const struct scws_event_info *ev);
	/* a message of the family that failed to decode (-EBADMSG) */
	void (*malformed)(void *arg, int cmd, int err);
};

typedef void (*scws_nl_conn_fn)(void *arg, const struct scws_conn_info *conn);

/*
 * Socket.  scws_nl_open() returns 0 or -errno: -ENOENT when the family is not
 * registered (module not loaded), -EPROTO when it lacks the events group;
 * scws_nl_open_strerror() words these for a message.  scws_nl_dispatch()
 * reads what is queued (never blocks) and calls the handlers; -ENOBUFS means
 * the kernel dropped messages for us (list the connections to catch up).
 */
/* A reply (or one message of a dump); non-zero stops with that error. */
typedef int (*scws_reply_fn)(struct nlmsghdr *nlh, void *arg);

/* Building blocks for commands this file has no helper for. */
struct nl_msg *scws_nl_msg_new(const struct scws_nl *nl, uint8_t cmd,
			       int flags, size_t size);
int scws_nl_request(struct scws_nl *nl, struct nl_msg *msg, scws_reply_fn fn,
		    void *arg);

int scws_nl_open(struct scws_nl **nlp);
const char *scws_nl_open_strerror(int err);
void scws_nl_close(struct scws_nl *nl);
int scws_nl_fd(const struct scws_nl *nl);		/* for poll() */
uint32_t scws_nl_portid(const struct scws_nl *nl);
void scws_nl_set_handlers(struct scws_nl *nl,
			  const struct scws_nl_handlers *handlers, void *arg);
int scws_nl_dispatch(struct scws_nl *nl);
int scws_nl_subscribe_events(struct scws_nl *nl);	/* CAP_NET_ADMIN */

/*
 * Errors.  scws_nl_extack() is the kernel's message for the last failed
 * command ("" if none); scws_nl_perror() prints
 * "scws: [what: ][extack: ]strerror" to stderr; scws_errno_name() gives
 * "EBUSY" for -EBUSY.
 */
const char *scws_nl_extack(const struct scws_nl *nl);
/* The kernel's bad-attribute offset for the last failed command
 * (NLMSGERR_ATTR_OFFS: bytes from the start of the request); false if none. */
bool scws_nl_extack_offset(const struct scws_nl *nl, uint32_t *offset);
void scws_nl_perror(const struct scws_nl *nl, const char *what, int err);
const char *scws_errno_name(int err);

/*
 * Commands: 0 or -errno, waiting at most SCWS_NL_TIMEOUT_MS (-ETIMEDOUT).
 * scws_nl_claim() returns the connected socket (O_CLOEXEC, the caller closes
 * it) and, if conn is given, the reply's description of it.
 * scws_nl_conn_dump() calls fn once per pending connection; -EINTR when
 * the list changed meanwhile (dump again).
 */
int scws_nl_register(struct scws_nl *nl);
int scws_nl_unregister(struct scws_nl *nl);
int scws_nl_port_set(struct scws_nl *nl, uint16_t port, uint32_t channels,
		     uint32_t capacity);
int scws_nl_claim(struct scws_nl *nl, uint64_t id,
		  struct scws_conn_info *conn);
int scws_nl_status_get(struct scws_nl *nl, struct scws_status *status);
int scws_nl_conn_dump(struct scws_nl *nl, scws_nl_conn_fn fn, void *arg);

/*
 * Decoders, public for unit tests and fuzzers: 0, -EBADMSG, or -E2BIG for
 * more than SCWS_NL_PORTS_MAX ports.  nlh->nlmsg_len bytes must be readable.
 * A CONN message must carry an id; an event's connection need not.
 */
int scws_nl_parse_conn(struct nlattr *nest, struct scws_conn_info *conn);
int scws_nl_parse_conn_msg(struct nlmsghdr *nlh, struct scws_conn_info *conn);
int scws_nl_parse_status(struct nlmsghdr *nlh, struct scws_status *status);
int scws_nl_parse_event(struct nlmsghdr *nlh, struct scws_event_info *ev);

/* Names for printing; "?" for values this header does not know. */
const char *scws_event_name(unsigned int type);
const char *scws_reason_name(unsigned int reason);
const char *scws_conn_state_name(unsigned int state);
const char *scws_decision_name(unsigned int decision);

#endif /* SCWS_NL_H */
