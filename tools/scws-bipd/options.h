/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * options.h - scws-bipd's command line.
 */
#ifndef BIPD_OPTIONS_H
#define BIPD_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#define BIPD_MAX_PORTS 8

enum proto_choice { PROTO_ANY, PROTO_T0, PROTO_T1 };
enum ext_choice { EXT_AUTO, EXT_NO, EXT_YES };

/* --no-module: card port -> our own listening port on 127.0.0.1. */
struct port_map {
	uint16_t card_port;
	uint16_t local_port;
};

struct bipd_opts {
	const char *reader;		/* name substring or index; NULL: first */
	enum proto_choice protocol;
	enum ext_choice extended;
	unsigned int poll_ms;		/* STATUS when idle */
	unsigned int linger_ms;		/* after a client's FIN, see channel.c */
	unsigned int connect_timeout_ms;	/* TCP client channels */
	unsigned int max_buffer;	/* largest channel buffer granted */
	unsigned int channels;		/* announced in TERMINAL PROFILE */
	/* scheduling (sched.c) */
	unsigned int max_clients;	/* connections held per port */
	unsigned int http_idle_ms;	/* HTTP between requests, others wait */
	unsigned int idle_ms;		/* TLS / opaque idle, others wait */
	uint16_t http_port, tls_port;	/* card ports framed as HTTP / TLS */
	bool sched;			/* false: no reclaiming (compare) */
	bool tcp_client;		/* TCP client mode (remote admin) */
	bool foreground;
	bool use_syslog;
	int log_level;			/* syslog priority shown at most */
	bool no_module;			/* TEST TOOLING */
	/* the card's access rules (card_rules.h): on with policy_file */
	const char *policy_file;	/* the admin's local policy */
	const char *state_dir;		/* card-rules.conf, policy.conf */
	const char *scws_aid;		/* hex; NULL: SEAC_SCWS_AID_HEX */
	unsigned int card_rules_poll_ms;	/* refresh tag; 0: never */
	/* APDU access for local applications (se_service.h) */
	const char *se_socket;		/* NULL: no service */
	const char *se_rules;		/* NULL: /etc/scws/se-rules */
	const char *se_trust_dir;	/* NULL: /etc/scws/trusted.d */
	const char *ese_reader;		/* NULL: no eSE (se_ese.h) */
	struct port_map map[BIPD_MAX_PORTS];
	unsigned int n_map;
	/* trigger sockets (ctl.h); "" : none */
	const char *ctl_socket;		/* root only, scwsctl push */
	const char *push_socket;	/* SCWS-6, scws-pushd */
	long push_uid;			/* may use push_socket; -1: root */
	const char *resolv_conf;	/* DNS servers for the card (dns.h) */
	/* the DM_SC Gateway (dm_gw.h); NULL: off */
	const char *dm_socket;
	long dm_uid;			/* may register besides root; -1 */
};

void opts_defaults(struct bipd_opts *o);
/* 0: run; 1: exit 0 (help printed); -1: exit 2 (message printed). */
int opts_parse(struct bipd_opts *o, int argc, char **argv);
/* "3516=13516,4116=14116" into o->map; 0 or -1. */
int opts_parse_portmap(struct bipd_opts *o, const char *s);

#endif /* BIPD_OPTIONS_H */
