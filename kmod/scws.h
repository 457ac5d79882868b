/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the SCWS gateway module.
 */
#ifndef _SCWS_H
#define _SCWS_H

#include <linux/cred.h>
#include <linux/in6.h>
#include <linux/jhash.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/scws.h>

#define SCWS_MAX_PORTS		SCWS_PORTS_MAX
#define SCWS_MAX_LISTENERS	(SCWS_MAX_PORTS * 2)

/* Module parameters, fixed while the module is loaded. */
struct scws_params {
	u16 ports[SCWS_MAX_PORTS];
	unsigned int nports;
	bool ipv6;
	unsigned int queue_len;
	unsigned int queue_timeout_ms;
	unsigned int userns_max_rules;	/* POLICY_SET from a user namespace */
	unsigned int queue_per_uid;	/* waiting connections per uid */
};

extern struct scws_params scws_params;
extern struct workqueue_struct *scws_wq;
extern unsigned int scws_net_id;

/*
 * Who connected: captured from current when the client's first SYN leaves
 * connect(), held by reference so the hot path does no string work.
 */
struct scws_caller {
	struct pid *pid;		/* NULL when unknown */
	const struct cred *cred;
	u32 secid;			/* 0 when unknown */
	struct file *exe;		/* NULL when unknown */
};

/* Endpoints of a loopback TCP connection, seen from the client. */
struct scws_tuple {
	u8 family;
	u16 sport;			/* client port, host order */
	u16 dport;			/* SCWS port, host order */
	struct in6_addr saddr;		/* IPv4 stored v4-mapped */
};

struct scws_net;
struct scws_policy;

/* How the policy decided on a connection (enum scws_decision + rule). */
struct scws_decision_info {
	u8 kind;
	u32 rule;
};

struct scws_port {
	u16 port;
	u32 channels;
	u32 capacity;
	u32 offered;
	u32 queued;
	struct list_head conns;		/* FIFO, queued and offered */
	u64 accepted;
	u64 handed_off;
	atomic64_t refused;		/* counted in the hook, unlocked */
	u64 timed_out;
	u64 reset;
	/* Held by someone else, or the namespace is not hooked: refuse all. */
	bool unguarded;
	u64 closed;			/* client closed while waiting */
	/* As a scheduling pump last reported them (PORT_SET), if it did. */
	bool pump_stats;
	u32 pump_waiting;
	u64 pump_waits;
	u64 pump_reclaims;
};

struct scws_listener {
	struct scws_net *sn;
	struct scws_port *port;
	struct socket *sock;
	struct work_struct accept_work;
	void (*saved_data_ready)(struct sock *sk);
};

struct scws_conn {
	struct list_head node;
	u64 id;
	struct scws_port *port;
	struct socket *sock;
	struct scws_tuple tuple;	/* client side */
	struct scws_caller caller;
	struct scws_decision_info decision;
	unsigned long accepted_at;	/* jiffies */
	unsigned long deadline;		/* jiffies */
	bool offered;
};

/* Objects alive now, all namespaces (live.c, parameter "live"). */
struct scws_live {
	atomic_t nets;
	atomic_t listeners;
	atomic_t conns;
	atomic_t records;
};

extern struct scws_live scws_live;

struct scws_net {
	struct net *net;
	/* Protects everything below but the caller records. Never held
	 * while blocking on anything the pump does.
	 */
	struct mutex lock;
	u32 pump_portid;		/* 0: no pump */
	bool dying;
	u32 conns_gen;			/* bumped by scws_conns_changed() */
	struct scws_port ports[SCWS_MAX_PORTS];
	struct scws_listener *listeners[SCWS_MAX_LISTENERS];
	unsigned int nlisteners;
	bool hooked;			/* LOCAL_OUT hooks registered */
	struct delayed_work expire_work;
	unsigned long expire_at;	/* when expire_work is due */
	struct scws_records *records;	/* NULL: out of memory at init */
	struct scws_policy __rcu *policy;	/* NULL: allow everyone */
	struct mutex policy_lock;	/* serializes POLICY_SET */
	u32 policy_gen;
	atomic_t held;			/* SYNs held for hashing */
	spinlock_t held_lock;		/* held_list; taken in the hook */
	struct list_head held_list;	/* struct scws_held, waiting */
};

static inline struct scws_net *scws_net(const struct net *net)
{
	return net_generic(net, scws_net_id);
}

struct scws_port *scws_port_find(struct scws_net *sn, u16 port);
bool scws_net_unguarded(const struct scws_net *sn);

/* A connection came, went or was offered: a CONN_GET dump in progress is
 * marked interrupted.  Steps of two keep the dump's sequence (gen + 1) odd,
 * never 0, which would turn the check off.
 */
static inline void scws_conns_changed(struct scws_net *sn)
{
	lockdep_assert_held(&sn->lock);
	sn->conns_gen += 2;
}

/* caller.c */
void scws_caller_capture(struct scws_caller *c);
void scws_caller_from_sock(struct scws_caller *c, const struct sock *sk);
void scws_caller_release(struct scws_caller *c);
int scws_caller_fill(struct sk_buff *skb, const struct scws_caller *c,
		     struct user_namespace *ns);

/*
 * records.c: identity and verdict per client socket, from the moment it
 * asked to connect to its accept.  A record lives at most this long.
 */
#define SCWS_RECORD_TTL		(60 * HZ)
struct scws_records *scws_records_create(void);
void scws_records_destroy(struct scws_records *r);
unsigned long scws_sock_ino(const struct sock *sk);
bool scws_records_add(struct scws_records *r, const struct sock *sk,
		      struct scws_caller *c, u8 verdict,
		      const struct scws_decision_info *decision, gfp_t gfp);
bool scws_records_lookup(struct scws_records *r, const struct sock *sk,
			 u8 *verdict);
void scws_records_decide(struct scws_records *r, const struct sock *sk,
			 unsigned long ino, u8 verdict,
			 const struct scws_decision_info *decision);
bool scws_records_take(struct scws_records *r, const struct sock *sk,
		       struct scws_caller *c,
		       struct scws_decision_info *decision);
void scws_records_expire(struct scws_records *r, unsigned long max_age);

/* peer.c: the client end of an accepted loopback connection */
struct sock *scws_peer_client(const struct sock *child);

/* judge.c: the decision in the caller's connect() (the BPF-LSM path) */
int scws_lsm_judge(struct socket *sock, const struct sockaddr *addr,
		   int addrlen);

/* acp.c, digest.c */
enum scws_verdict scws_acp_decide(struct scws_net *sn, u16 port,
				  const struct scws_caller *c, bool hashed,
				  struct scws_decision_info *info);
void scws_acp_examine(struct scws_net *sn, const struct scws_caller *c);
const char *scws_exe_path(const struct scws_caller *c, char *buf,
			  size_t size);
bool scws_digest_lookup(const struct file *f, u8 *digest);
/*
 * What a file is, for the per-inode caches (digests, signature verdicts):
 * any write or metadata change moves ctime (and i_version where the file
 * system keeps it).  Compared with memcmp(): no padding.
 */
struct scws_file_id {
	unsigned long ino;
	loff_t size;
	struct timespec64 mtime, ctime;
	u64 version;			/* i_version, 0 where not kept */
	dev_t dev;
	u32 zero;
};

void scws_file_id(const struct file *f, struct scws_file_id *id, bool query);

static inline u32 scws_file_id_hash(const struct scws_file_id *id)
{
	return jhash(id, sizeof(*id), 0);
}

int scws_digest_compute(struct file *f, const struct cred *cred, u8 *digest);
bool scws_file_vouchable(const struct file *f);

/* A wait for a digest from atomic context (see scws_digest_request()). */
struct scws_digest_req {
	struct list_head node;		/* on the job's waiters */
	struct scws_digest_job *job;	/* NULL: not waiting */
	void (*done)(struct scws_digest_req *req);
	int err;
	u8 digest[SCWS_SHA256_LEN];
};

int scws_digest_request(struct scws_digest_req *req, struct file *f,
			const struct cred *cred,
			void (*done)(struct scws_digest_req *req));
bool scws_digest_cancel(struct scws_digest_req *req);
unsigned long scws_digest_timeout(void);
int scws_digest_init(void);
void scws_digest_exit(void);

/* hook.c */
u8 scws_refusal(const struct scws_net *sn, const struct scws_port *port);
void scws_refuse(struct net *net, struct scws_port *port,
		 const struct scws_tuple *t, const struct scws_caller *c,
		 u8 reason, const struct scws_decision_info *decision);
int scws_hook_register(struct net *net);
void scws_hook_unregister(struct net *net);
void scws_send_reset(struct net *net, struct sk_buff *skb, u8 pf);

/* held.c: client SYNs held while the caller's executable is hashed */
unsigned int scws_hold(struct scws_net *sn, struct scws_port *port,
		       struct sk_buff *skb, u8 pf, const struct scws_tuple *t,
		       struct scws_caller *c);
void scws_held_net_init(struct scws_net *sn);
void scws_held_net_exit(struct scws_net *sn);

/* reject.c: the kernel's reset builders, found at load */
void scws_reject_init(void);
void scws_reject_exit(void);
void scws_send_reset(struct net *net, struct sk_buff *skb, u8 pf);

/* listener.c */
int scws_listeners_start(struct scws_net *sn);
void scws_listeners_stop(struct scws_net *sn);

/* conn.c: scws_conn_claim returns the pump's new fd */
void scws_conn_accepted(struct scws_net *sn, struct scws_port *port,
			struct socket *sock);
int scws_conn_claim(struct scws_net *sn, u64 id, struct genl_info *info);
void scws_conn_dispatch(struct scws_net *sn);
u8 scws_port_admit(struct scws_net *sn, struct scws_port *port, kuid_t uid);
void scws_conns_reset(struct scws_net *sn, struct scws_port *port, u8 reason);
bool scws_conns_pending(const struct scws_net *sn);
void scws_expire_work(struct work_struct *work);
int scws_conn_fill(struct sk_buff *skb, const struct scws_net *sn,
		   const struct scws_conn *conn, int fd);

/* netlink.c */
int scws_genl_init(void);
void scws_genl_exit(void);
int scws_send_conn_new(struct scws_net *sn, const struct scws_conn *conn);
int scws_send_claimed(struct scws_net *sn, const struct scws_conn *conn,
		      int fd, struct genl_info *info);
void scws_event_conn(struct scws_net *sn, u8 event, u8 reason,
		     const struct scws_conn *conn);
void scws_event_refused(struct net *net, const struct scws_tuple *t,
			const struct scws_caller *c, u8 reason,
			const struct scws_decision_info *decision);
void scws_event_pump(struct scws_net *sn, u8 event, u32 portid);
bool scws_events_wanted(struct net *net);

/* judge.c, lsm.c: the decision at connect() for the BPF-LSM program */
struct socket;
struct sockaddr;
int scws_lsm_judge(struct socket *sock, const struct sockaddr *addr,
		   int addrlen);
void scws_lsm_init(void);
/* kfuncs: called by the BPF-LSM program only */
struct msghdr;
int scws_connect_check(struct socket *sock, struct sockaddr *address,
		       int addrlen);
int scws_sendmsg_check(struct socket *sock, struct msghdr *msg, int size);

/* netns.c */
int scws_pernet_init(void);
void scws_pernet_exit(void);
void scws_pump_gone(struct scws_net *sn, u32 portid);

#endif /* _SCWS_H */
