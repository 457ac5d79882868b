/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * scws.h - generic netlink ABI of the SCWS gateway module (scws.ko).
 *
 * Documentation
 * =============
 *
 * The module owns the Smart Card Web Server ports (3516 HTTP, 4116 HTTPS by
 * default) on 127.0.0.1 and ::1 in every network namespace, and hands each
 * accepted connection to one userspace pump per namespace (scws-bipd), which
 * carries the bytes to the card over BIP.  Everything below is per network
 * namespace: a command acts on the namespace of the socket that sends it.
 *
 * Family SCWS_GENL_NAME, version SCWS_GENL_VERSION.  All attributes are
 * validated strictly by the kernel's netlink policy code, before a command
 * runs, with an extack message and bad-attribute offset:
 *    -ERANGE  a value outside its range (port 0, more than 255 channels,
 *             connection id 0, an action, default or trust level that is
 *             not in its enum): "integer out of range"; a binary of the
 *             wrong length (a SHA-256 of 31 or 33 bytes): "binary attribute
 *             size out of range"; a flag with a payload: "Attribute
 *             failed policy validation"
 *    -EINVAL  a fixed-size attribute of another size (a u32 where a u16
 *             belongs): "invalid attribute length"; an attribute a command
 *             does not take (output-only ones included): "Unsupported
 *             attribute" or "Unknown attribute type"; a nest without
 *             NLA_F_NESTED: "NLA_F_NESTED is missing"; a string without
 *             its NUL within the limit (so also one too long): "Attribute
 *             failed policy validation" (-ERANGE if bytes follow the NUL)
 * The commands' own checks (below) fail with -EINVAL unless said otherwise.
 *
 * Permissions.  Every command that changes state carries GENL_UNS_ADMIN_PERM:
 * the caller needs CAP_NET_ADMIN in the user namespace that owns the network
 * namespace.  So root of a container that has its own user and network
 * namespaces (unshare -Urn) may run the pump for its own namespace; it cannot
 * reach any other namespace's ports, pump or connections.  SCWS_CMD_CONN_GET
 * also needs it, because it reveals who connects.  SCWS_CMD_STATUS_GET is open
 * to everyone: it returns counters only.  The "events" multicast group needs
 * CAP_NET_ADMIN (GENL_MCAST_CAP_NET_ADMIN) for the same reason as CONN_GET.
 *
 * SCWS_CMD_PUMP_REGISTER
 * ----------------------
 * No attributes.  Makes the sending netlink socket the pump of its network
 * namespace.  -EBUSY if another socket is registered.  The registration ends
 * with SCWS_CMD_PUMP_UNREGISTER or when the socket is closed (the pump
 * process dies): then every pending connection is reset and the ports refuse
 * connects until a pump registers again.  Without a pump, connect() to an
 * SCWS port fails at once with ECONNREFUSED.
 *
 * SCWS_CMD_PORT_SET (pump only)
 * -----------------------------
 *    SCWS_A_PORT: NLA_U16, one of the module's ports (required)
 *    SCWS_A_PORT_CHANNELS: NLA_U32, card channels serving the port, 0..255
 *    SCWS_A_PORT_CAPACITY: NLA_U32, free LISTEN channels, <= CHANNELS
 *
 * CHANNELS = 0 means the card does not serve the port: connects to it are
 * refused.  Otherwise connects are accepted, and the module offers at most
 * CAPACITY of them to the pump at a time; the others wait in a bounded queue
 * (module parameter queue_len) and are reset queue_timeout_ms after their
 * accept if not claimed by then (one deadline: being offered late does not
 * extend it).  A connect the queue has no room for is refused at SYN time
 * (ECONNREFUSED, SCWS_REASON_QUEUE_FULL), and so is one whose caller's uid
 * already has queue_per_uid connections waiting (module parameter, default
 * half of queue_len; SCWS_REASON_QUEUE_SHARE), so one user cannot lock the
 * others out.  The queue counts connections between their SYN and their
 * accept too; only SYNs sent at the same instant on several CPUs can get
 * past the bound, and those are reset after their handshake.  A waiting
 * connection whose client closes (a reset, or a FIN with no request before
 * it) gives its slot back at the next look at the queue (a connect, an
 * accept, an expiry): SCWS_EVENT_CONN_RESET with SCWS_REASON_CLIENT_CLOSED,
 * counted in SCWS_PORT_A_CLOSED, never offered.  CAPACITY
 * is absolute: the pump's count of LISTEN channels not bound to a claimed
 * connection.  Each successful claim lowers it by one in the module, so the
 * pump only ever reports what it sees.
 *
 * A pump that keeps connections waiting for a channel itself (scws-bipd
 * claims beyond the card's channels and schedules them) may add, on any
 * PORT_SET, SCWS_A_PORT_WAITING (u32: connections it holds that wait for a
 * channel now), SCWS_A_PORT_WAITS (u64: connections that had to wait, ever)
 * and SCWS_A_PORT_RECLAIMS (u64: idle connections whose channel it took
 * back for a waiting one).  The module only stores them and reports them in
 * STATUS_GET as SCWS_PORT_A_PUMP_*, so one command shows all who wait.
 *
 * SCWS_CMD_CONN_NEW (kernel to pump, unicast)
 * ------------------------------------------
 *    SCWS_A_CONN: NLA_NESTED, SCWS_CONN_A_* without SCWS_CONN_A_FD
 *
 * SCWS_CMD_CONN_CLAIM (pump only)
 * -------------------------------
 *    SCWS_A_CONN_ID: NLA_U64 (required)
 *
 * The reply (same command) carries SCWS_A_CONN with SCWS_CONN_A_FD: the
 * connected TCP socket, installed in the pump's file table with O_CLOEXEC.
 * The pump does the I/O on it.  The descriptor is reserved first and
 * installed only once the reply is queued to the pump's socket, so no other
 * thread of the pump can see or reuse that number before the reply names
 * it; a pump uses it once the command's ACK (request NLM_F_ACK) has come,
 * which is sent after the install.  When the reply cannot be sent (the
 * pump's receive buffer is full, no memory), the claim fails, nothing is
 * installed, the client gets a reset (SCWS_EVENT_CONN_RESET,
 * SCWS_REASON_CLAIM_FAILED) and the pump's channel counts as free again;
 * SCWS_EVENT_CONN_HANDED_OFF and the handed_off counter mean a claim that
 * succeeded.  -ENOENT for an id that is not offered in
 * the caller's namespace (never existed, not offered yet, already claimed,
 * expired, or belongs to another namespace); -EPERM if the caller is not the
 * registered pump.  SCWS_CMD_CONN_GET lists the offered connections too, so
 * a pump that lost CONN_NEW messages (receive buffer overrun) can catch up:
 * dump, claim every OFFERED entry it does not know yet, and dump again if
 * the dump was interrupted (below).  The module does not offer a
 * connection twice.
 *
 * SCWS_CMD_CONN_GET (dump)
 * ------------------------
 * One message per pending (queued or offered) connection, each with
 * SCWS_A_CONN, per port in arrival order.  A connection pending during the
 * whole dump is listed exactly once.  When connections arrive, leave or are
 * offered while the dump runs, the messages from then on carry
 * NLM_F_DUMP_INTR: the reader saw a mix of before and after (a connection
 * may show as queued that is offered by now) and dumps again until a dump
 * completes without the flag.
 *
 * SCWS_CMD_STATUS_GET
 * -------------------
 * Reply attributes:
 *    SCWS_A_PUMP_PORTID: NLA_U32, present when a pump is registered
 *    SCWS_A_QUEUE_LEN: NLA_U32, queue bound per port
 *    SCWS_A_QUEUE_TIMEOUT_MS: NLA_U32
 *    SCWS_A_QUEUE_PER_UID: NLA_U32, most connections of one uid waiting
 *    SCWS_A_PORTS: NLA_NESTED, one SCWS_A_PORT_INFO (nested SCWS_PORT_A_*)
 *                  per port
 *
 * Events (multicast group SCWS_GENL_MCGRP_EVENTS, command SCWS_CMD_EVENT)
 * -----------------------------------------------------------------------
 *    SCWS_A_EVENT: NLA_U8, enum scws_event
 *    SCWS_A_PUMP_PORTID: for pump up / down
 *    SCWS_A_CONN: for connection events (caller identity included); for
 *                 CONN_REFUSED its SCWS_CONN_A_ID is 0: no connection was
 *                 made, the SYN was refused
 *    SCWS_A_REASON: NLA_U8, enum scws_reason, for refused and reset
 *
 * SCWS_CMD_POLICY_SET
 * -------------------
 * A whole policy, as top-level attributes (a nest cannot exceed 64 KiB and
 * policies of thousands of rules do):
 *    SCWS_A_POLICY_DEFAULT: NLA_U8, enum scws_action (required)
 *    SCWS_A_POLICY_RULE: NLA_NESTED, repeated, in order, at most
 *                        SCWS_POLICY_MAX_RULES:
 *       SCWS_RULE_A_ACTION: NLA_U8 (required)
 *       SCWS_RULE_A_PORT: NLA_U16, one of the module's ports (the rule
 *                         applies to that port only)
 *       and one or more selectors, all of which must match:
 *       SCWS_RULE_A_UID_MIN + SCWS_RULE_A_UID_MAX: NLA_U32 each,
 *                         effective uid in [MIN, MAX]
 *       SCWS_RULE_A_GID: NLA_U32, effective gid
 *       SCWS_RULE_A_GROUP: NLA_U32, a supplementary group
 *       SCWS_RULE_A_LABEL: NLA_NUL_STRING, LSM context, exact
 *       SCWS_RULE_A_LABEL_PREFIX: NLA_NUL_STRING, LSM context prefix
 *       SCWS_RULE_A_EXE: NLA_NUL_STRING, absolute executable path
 *       SCWS_RULE_A_EXE_SHA256: binary, SHA-256 of the executable
 *       SCWS_RULE_A_TRUSTED: NLA_U8, enum scws_trust: the executable is
 *                         signed by a certificate of the manufacturer's set
 *                         (or issued by one), or of either set (ANY)
 *       SCWS_RULE_A_SIGNER_SHA256: binary (SCWS_SHA256_LEN), SHA-256 of
 *                         the DER of the certificate that signed it
 *       SCWS_RULE_A_SIGNER_SHA1: binary (SCWS_SHA1_LEN), SHA-1 of it
 *       SCWS_RULE_A_ALL: NLA_FLAG, alone: every caller
 *       SCWS_RULE_A_SOURCE: NLA_U8, enum scws_rule_source, not a selector:
 *                         where the rule came from, kept for POLICY_GET
 *                         (the pump marks the card's rules CARD)
 *    SCWS_A_POLICY_CARD_TAG: binary, at most SCWS_CARD_TAG_MAX: the card's
 *                         refresh tag (ARA-M DF20) the rules were read
 *                         under, kept for POLICY_GET
 *    SCWS_A_POLICY_TRUST (the digest list of version 1 of this header) is
 *    refused: trusted applications are signed ones now.
 *
 * The policy replaces the previous one as a whole (RCU): a connect is
 * judged by the old or the new policy, never by a mix.  Established
 * connections are not touched.  The first rule whose port scope and
 * selectors all match decides; none matching, the default does.  Uids and
 * gids are those of the user namespace owning the network namespace.
 * Invalid input (unknown selector, empty rule, uid range upside down,
 * label too long, too many rules, a port the module does not own) fails
 * with -EINVAL, an extack message, and the extack bad-attribute offset
 * pointing into the offending SCWS_A_POLICY_RULE (the tool counts the rule
 * attributes before that offset to name the rule); nothing changes then.
 * The caller needs CAP_NET_ADMIN over the network namespace
 * (GENL_UNS_ADMIN_PERM): root of a container with its own user and network
 * namespaces sets the policy of its own namespace's ports only, which
 * protect only that namespace's card and processes.
 * The policy's memory is charged to the caller (GFP_KERNEL_ACCOUNT).  A
 * caller without CAP_NET_ADMIN in the initial user namespace may set at
 * most userns_max_rules rules (module parameter, default 1024): more fail
 * with -EINVAL and an extack message naming the parameter.
 *
 * SCWS_CMD_POLICY_CLEAR
 * ---------------------
 * No attributes.  Removes the policy: every caller is allowed again.
 *
 * Executable digests are computed by the module (SHA-256, crypto API) and
 * cached per inode until the file changes.  When a rule needs the digest
 * of a binary not hashed yet, the module holds that first SYN while it
 * hashes the file, then lets it go or answers it with a reset (the client
 * sees ECONNREFUSED either way).
 *
 * SCWS_CMD_POLICY_GET (dump)
 * --------------------------
 * Messages of top-level attributes which, concatenated in order, are the
 * policy as it was set: SCWS_A_POLICY_LOADED (flag, only when a policy is
 * set), SCWS_A_POLICY_DEFAULT and SCWS_A_POLICY_CARD_TAG (when set) first,
 * then every SCWS_A_POLICY_RULE.  A policy replaced during the dump sets
 * NLM_F_DUMP_INTR.
 *
 * A namespace without a policy lets every caller in (decision
 * SCWS_DECISION_NO_POLICY) unless the module parameter no_policy is "deny"
 * (writable in /sys/module/scws/parameters/no_policy).  The default is
 * "all", the standard's fourth kind and what a card without access rules
 * asks for: without a pump no connection gets through anyway, and the
 * pump loads the card's policy before it registers.
 *
 * Signed executables
 * ------------------
 * A signature is a DER PKCS#7/CMS SignedData, detached, the shape of a
 * kernel module signature: no signed attributes, one SignerInfo naming
 * its signer by issuer and serial number, and exactly one certificate, the
 * signer's.  It signs the 48-byte statement SCWS_SIG_STATEMENT followed by
 * the SHA-256 of the file, and lives in the SCWS_SIG_XATTR extended
 * attribute (trusted.*: only CAP_SYS_ADMIN writes it).  The module checks
 * it with verify_pkcs7_signature() against a keyring holding the carried
 * certificate alone (valid: the signer-* selectors may match, with that
 * certificate's hashes), then against its manufacturer's and card's
 * keyrings (trusted manufacturer / any).  The verdict is cached per file
 * (device, inode, size, times, i_version) and per version of the sets;
 * a file on a file system mounted from a user namespace other than the
 * initial one is never trusted.  Like digests, the first connect of an
 * executable not checked yet is held while it is checked.
 *
 * SCWS_CMD_TRUST_ADD, SCWS_CMD_TRUST_CLEAR
 * ----------------------------------------
 *    SCWS_A_TRUST_ANCHOR: NLA_U8, enum scws_anchor (required)
 *    SCWS_A_TRUST_CERT: binary, an X.509 certificate, DER, at most
 *                       SCWS_CERT_MAX bytes (ADD only, required)
 *
 * The two sets of trusted certificates, the manufacturer's and the card's,
 * are the system's, shared by every network namespace (the card's may
 * become per namespace with per-namespace pumps and cards).  Both commands
 * need CAP_NET_ADMIN over the initial user namespace (GENL_ADMIN_PERM),
 * and the manufacturer's set CAP_SYS_ADMIN too: the pump, which reads the
 * card's certificates from the card, clears the card's set and adds them
 * (-EPERM for anyone else).  ADD of a certificate already in the set does
 * nothing; -ENOSPC past SCWS_TRUST_MAX_CERTS; -EBADMSG (and an extack
 * message) for what the kernel cannot parse as an X.509 certificate with
 * a key it can use (RSA on Debian 12).  Every change invalidates every
 * cached verdict.  Loading the card's certificates and rules, in that
 * order, before SCWS_CMD_PUMP_REGISTER keeps a booting system closed.
 *
 * SCWS_CMD_TRUST_GET (dump)
 * -------------------------
 * One message per certificate, the manufacturer's first, each with
 * SCWS_A_TRUST_ANCHOR, SCWS_A_TRUST_CERT_SHA256 and SCWS_A_TRUST_CERT.
 * Open to everyone.  A set changed during the dump sets NLM_F_DUMP_INTR.
 *
 * Decisions.  Connection attributes carry SCWS_CONN_A_DECISION (enum
 * scws_decision) and, when a rule decided, SCWS_CONN_A_RULE (its index
 * from 0).  A refusal by the policy is an SCWS_EVENT_CONN_REFUSED event
 * with SCWS_A_REASON = SCWS_REASON_POLICY and the decision in its
 * SCWS_A_CONN, plus a rate-limited kernel log line.
 *
 * Caller identity (SCWS_CONN_A_CALLER, nested SCWS_CALLER_A_*) is taken
 * where the connection is asked for: in the caller's connect() (or the
 * sendto() of a TCP Fast Open) by the BPF-LSM program when it is attached,
 * else when the client's first SYN leaves connect(): pid in the initial pid
 * namespace, effective uid and gid in the user namespace that owns the
 * network namespace, LSM security context, and the path of the executable
 * when known.  It is kept per client socket until the connection is
 * accepted.  A connection is only ever queued for the pump when its client
 * is a local TCP socket that was judged and allowed; anything else (a
 * handshake forged from a raw socket, a SYN whose record was lost, a Fast
 * Open SYN on the netfilter path, which leaves in whichever task writes
 * first) is refused or reset with SCWS_REASON_UNJUDGED or
 * SCWS_REASON_FASTOPEN.  A port the module could not hold in a namespace
 * (someone listened on it first) is reported with SCWS_PORT_A_UNGUARDED and
 * refuses every connect (SCWS_REASON_UNGUARDED).
 */

#ifndef _UAPI_LINUX_SCWS_H
#define _UAPI_LINUX_SCWS_H

#define SCWS_GENL_NAME "scws"
#define SCWS_GENL_VERSION 1
#define SCWS_GENL_MCGRP_EVENTS "events"

#define SCWS_LABEL_MAX 256	/* longest LSM context reported, with NUL */
#define SCWS_EXE_MAX 256	/* longest executable path reported, with NUL */
#define SCWS_CHANNELS_MAX 255
#define SCWS_PORTS_MAX 4	/* most ports the module can own (ports=) */

enum scws_cmd {
	SCWS_CMD_UNSPEC,
	SCWS_CMD_PUMP_REGISTER,
	SCWS_CMD_PUMP_UNREGISTER,
	SCWS_CMD_PORT_SET,
	SCWS_CMD_CONN_NEW,
	SCWS_CMD_CONN_CLAIM,
	SCWS_CMD_CONN_GET,
	SCWS_CMD_STATUS_GET,
	SCWS_CMD_EVENT,
	SCWS_CMD_POLICY_SET,
	SCWS_CMD_POLICY_GET,
	SCWS_CMD_POLICY_CLEAR,
	SCWS_CMD_TRUST_ADD,
	SCWS_CMD_TRUST_CLEAR,
	SCWS_CMD_TRUST_GET,
	__SCWS_CMD_MAX
};

#define SCWS_CMD_MAX (__SCWS_CMD_MAX - 1)

enum scws_attr {
	SCWS_A_UNSPEC,
	SCWS_A_PORT,			/* u16 */
	SCWS_A_PORT_CHANNELS,		/* u32 */
	SCWS_A_PORT_CAPACITY,		/* u32 */
	SCWS_A_CONN_ID,			/* u64 */
	SCWS_A_CONN,			/* nest, SCWS_CONN_A_* */
	SCWS_A_PUMP_PORTID,		/* u32 */
	SCWS_A_QUEUE_LEN,		/* u32 */
	SCWS_A_QUEUE_TIMEOUT_MS,	/* u32 */
	SCWS_A_PORTS,			/* nest of SCWS_A_PORT_INFO */
	SCWS_A_PORT_INFO,		/* nest, SCWS_PORT_A_* */
	SCWS_A_EVENT,			/* u8, enum scws_event */
	SCWS_A_REASON,			/* u8, enum scws_reason */
	SCWS_A_PAD,
	SCWS_A_POLICY_DEFAULT,		/* u8, enum scws_action */
	SCWS_A_POLICY_RULE,		/* nest, SCWS_RULE_A_*, repeated */
	SCWS_A_POLICY_TRUST,		/* binary, SHA-256, repeated */
	SCWS_A_POLICY_LOADED,		/* flag, POLICY_GET: a policy is set */
	SCWS_A_PORT_WAITING,		/* u32, PORT_SET: held by the pump */
	SCWS_A_PORT_WAITS,		/* u64, PORT_SET: waited for a channel */
	SCWS_A_PORT_RECLAIMS,		/* u64, PORT_SET: idle channels taken back */
	SCWS_A_QUEUE_PER_UID,		/* u32 */
	SCWS_A_TRUST_ANCHOR,		/* u8, enum scws_anchor */
	SCWS_A_TRUST_CERT,		/* binary, X.509 DER */
	SCWS_A_TRUST_CERT_SHA256,	/* binary, SHA-256 of the DER */
	SCWS_A_POLICY_CARD_TAG,		/* binary, the card's refresh tag */
	__SCWS_A_LAST
};

#define SCWS_A_MAX (__SCWS_A_LAST - 1)

enum scws_conn_attr {
	SCWS_CONN_A_UNSPEC,
	SCWS_CONN_A_ID,			/* u64, unique while the module is loaded */
	SCWS_CONN_A_PORT,		/* u16, local (SCWS) port */
	SCWS_CONN_A_FAMILY,		/* u8, AF_INET or AF_INET6 */
	SCWS_CONN_A_PEER_ADDR,		/* binary, 4 or 16 bytes */
	SCWS_CONN_A_PEER_PORT,		/* u16 */
	SCWS_CONN_A_STATE,		/* u8, enum scws_conn_state */
	SCWS_CONN_A_AGE_MS,		/* u32, since accept */
	SCWS_CONN_A_FD,			/* u32, claim reply only */
	SCWS_CONN_A_CALLER,		/* nest, SCWS_CALLER_A_* */
	SCWS_CONN_A_PAD,
	SCWS_CONN_A_DECISION,		/* u8, enum scws_decision */
	SCWS_CONN_A_RULE,		/* u32, rule index when DECISION_RULE */
	__SCWS_CONN_A_LAST
};

#define SCWS_CONN_A_MAX (__SCWS_CONN_A_LAST - 1)

enum scws_caller_attr {
	SCWS_CALLER_A_UNSPEC,
	SCWS_CALLER_A_PID,		/* u32, 0 when unknown */
	SCWS_CALLER_A_UID,		/* u32 */
	SCWS_CALLER_A_GID,		/* u32 */
	SCWS_CALLER_A_LABEL,		/* string, LSM context, may be absent */
	SCWS_CALLER_A_EXE,		/* string, executable path, may be absent */
	__SCWS_CALLER_A_LAST
};

#define SCWS_CALLER_A_MAX (__SCWS_CALLER_A_LAST - 1)

enum scws_port_attr {
	SCWS_PORT_A_UNSPEC,
	SCWS_PORT_A_PORT,		/* u16 */
	SCWS_PORT_A_CHANNELS,		/* u32, as set by the pump */
	SCWS_PORT_A_CAPACITY,		/* u32, free channels left */
	SCWS_PORT_A_OFFERED,		/* u32, offered, not yet claimed */
	SCWS_PORT_A_QUEUED,		/* u32, waiting for capacity */
	SCWS_PORT_A_ACCEPTED,		/* u64 counter */
	SCWS_PORT_A_HANDED_OFF,		/* u64 counter */
	SCWS_PORT_A_REFUSED,		/* u64 counter, SYNs refused */
	SCWS_PORT_A_TIMED_OUT,		/* u64 counter */
	SCWS_PORT_A_RESET,		/* u64 counter, reset for other reasons */
	SCWS_PORT_A_PAD,
	SCWS_PORT_A_UNGUARDED,		/* flag: refuses every connect, see
					 * SCWS_REASON_UNGUARDED
					 */
	SCWS_PORT_A_CLOSED,		/* u64 counter, client closed while waiting */
	SCWS_PORT_A_PUMP_WAITING,	/* u32, as the pump reported: see PORT_SET */
	SCWS_PORT_A_PUMP_WAITS,		/* u64, as the pump reported */
	SCWS_PORT_A_PUMP_RECLAIMS,	/* u64, as the pump reported */
	__SCWS_PORT_A_LAST
};

#define SCWS_PORT_A_MAX (__SCWS_PORT_A_LAST - 1)

enum scws_conn_state {
	SCWS_CONN_QUEUED,		/* waiting for pump capacity */
	SCWS_CONN_OFFERED,		/* CONN_NEW sent, not claimed yet */
};

enum scws_event {
	SCWS_EVENT_PUMP_UP = 1,
	SCWS_EVENT_PUMP_DOWN,
	SCWS_EVENT_CONN_ACCEPTED,	/* accepted and queued for the pump */
	SCWS_EVENT_CONN_REFUSED,	/* SYN refused, SCWS_A_REASON says why */
	SCWS_EVENT_CONN_HANDED_OFF,	/* claimed by the pump */
	SCWS_EVENT_CONN_TIMED_OUT,	/* not claimed in time, reset */
	SCWS_EVENT_CONN_RESET,		/* reset, SCWS_A_REASON says why */
};

enum scws_reason {
	SCWS_REASON_NONE,
	SCWS_REASON_NO_PUMP,		/* no pump registered */
	SCWS_REASON_NOT_SERVED,		/* the card serves no channel on it */
	SCWS_REASON_QUEUE_FULL,		/* queue_len connections waiting (and
					 * every free channel taken)
					 */
	SCWS_REASON_PUMP_GONE,		/* the pump went away */
	SCWS_REASON_SHUTDOWN,		/* namespace or module going away */
	SCWS_REASON_POLICY,		/* denied by the access control policy */
	SCWS_REASON_UNJUDGED,		/* no judged local TCP socket behind it */
	SCWS_REASON_FASTOPEN,		/* TCP Fast Open, netfilter path only */
	SCWS_REASON_UNGUARDED,		/* the namespace cannot enforce (port
					 * held by another socket, or hooks
					 * missing): every connect refused
					 */
	SCWS_REASON_CLAIM_FAILED,	/* the claim's reply could not be sent */
	SCWS_REASON_QUEUE_SHARE,	/* the caller's uid has queue_per_uid
					 * connections waiting already
					 */
	SCWS_REASON_CLIENT_CLOSED,	/* the client closed while waiting */
};

/* How the access control policy decided on a connection. */
enum scws_decision {
	SCWS_DECISION_NO_POLICY,	/* no policy loaded: all allowed */
	SCWS_DECISION_RULE,		/* SCWS_CONN_A_RULE matched first */
	SCWS_DECISION_DEFAULT,		/* no rule matched: the default */
};

enum scws_action {
	SCWS_ACTION_DENY,
	SCWS_ACTION_ALLOW,
};

enum scws_trust {
	SCWS_TRUST_MANUFACTURER = 1,	/* signed, chains to a manufacturer cert */
	SCWS_TRUST_ANY,			/* ... to a manufacturer or card cert */
};

/* The two sets of trusted certificates (SCWS_CMD_TRUST_*). */
enum scws_anchor {
	SCWS_ANCHOR_MANUFACTURER = 1,
	SCWS_ANCHOR_CARD,
};

/* Where a rule came from; the kernel keeps it for POLICY_GET only. */
enum scws_rule_source {
	SCWS_SOURCE_LOCAL,		/* the admin's file (also when absent) */
	SCWS_SOURCE_CARD,		/* the card's access rules (ARA-M/ARF) */
};

#define SCWS_POLICY_MAX_RULES	16384
#define SCWS_POLICY_MAX_TRUST	4096
#define SCWS_SHA256_LEN		32
#define SCWS_SHA1_LEN		20
#define SCWS_CERT_MAX		16384	/* longest certificate, DER */
#define SCWS_TRUST_MAX_CERTS	256	/* per anchor */
#define SCWS_CARD_TAG_MAX	32
#define SCWS_SIG_XATTR		"trusted.scws.sig"
#define SCWS_SIG_MAX		16384	/* longest signature xattr */
#define SCWS_SIG_STATEMENT	"scws-exe-sha256:"	/* + 32 digest bytes */

enum scws_rule_attr {
	SCWS_RULE_A_UNSPEC,
	SCWS_RULE_A_ACTION,		/* u8, enum scws_action (required) */
	SCWS_RULE_A_PORT,		/* u16, one of the module's ports */
	SCWS_RULE_A_UID_MIN,		/* u32, with UID_MAX: a uid range */
	SCWS_RULE_A_UID_MAX,		/* u32 */
	SCWS_RULE_A_GID,		/* u32, primary (effective) gid */
	SCWS_RULE_A_GROUP,		/* u32, a supplementary group */
	SCWS_RULE_A_LABEL,		/* string, LSM context, exact */
	SCWS_RULE_A_LABEL_PREFIX,	/* string, LSM context prefix */
	SCWS_RULE_A_EXE,		/* string, executable path */
	SCWS_RULE_A_EXE_SHA256,		/* binary, SCWS_SHA256_LEN */
	SCWS_RULE_A_TRUSTED,		/* u8, enum scws_trust */
	SCWS_RULE_A_ALL,		/* flag: matches every caller */
	SCWS_RULE_A_SIGNER_SHA256,	/* binary, SCWS_SHA256_LEN */
	SCWS_RULE_A_SIGNER_SHA1,	/* binary, SCWS_SHA1_LEN */
	SCWS_RULE_A_SOURCE,		/* u8, enum scws_rule_source */
	__SCWS_RULE_A_LAST
};

#define SCWS_RULE_A_MAX (__SCWS_RULE_A_LAST - 1)

#endif /* _UAPI_LINUX_SCWS_H */
