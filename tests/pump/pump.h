/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * pump.h - shared state of scws-test-pump, the TEST pump used by the
 * module's netns tests.  Not the product pump (that is scws-bipd).
 */
#ifndef SCWS_TEST_PUMP_H
#define SCWS_TEST_PUMP_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scws-nl.h"

#define PUMP_EXIT_OK 0
#define PUMP_EXIT_ERROR 1	/* unexpected error, usage error */
#define PUMP_EXIT_FAILED 2	/* the one-shot operation was refused */

enum pump_mode {
	MODE_ECHO,	/* write back what the client sends until EOF */
	MODE_FIXED,	/* write --reply, then close */
	MODE_HOLD,	/* keep the connection open until the pump exits */
	MODE_CLOSE,	/* close at once */
};

enum pump_action {
	ACTION_SERVE,
	ACTION_REGISTER_ONLY,
	ACTION_TRY_CLAIM,
	ACTION_STATUS,
	ACTION_CONNS,
	ACTION_EVENTS,
};

/* A port the pump serves, and its free LISTEN channels as the pump sees them. */
struct pump_port {
	uint16_t port;
	uint32_t channels;
	uint32_t capacity;	/* as configured */
	uint32_t free;		/* capacity minus claimed connections */
};

struct pump_opts {
	enum pump_action action;
	enum pump_mode mode;
	const char *reply;
	bool no_claim;
	unsigned int claim_delay_ms;
	unsigned int free_after_ms;	/* 0: never */
	unsigned long max_conns;	/* 0: no limit */
	uint64_t claim_id;		/* --try-claim */
	unsigned int n_ports;
	struct pump_port ports[SCWS_NL_PORTS_MAX];
};

/* scws-test-pump.c: signals and waiting */
extern volatile sig_atomic_t pump_stop;
int pump_wait(struct pollfd *fds, size_t n, int timeout_ms);
int64_t pump_now_ms(void);
int pump_open(struct scws_nl **nlp);
int pump_register(struct scws_nl *nl, struct pump_port *ports,
		  unsigned int n_ports);

/* pump-print.c: one line per fact, read by the tests */
void print_conn(const char *tag, const struct scws_conn_info *ci, bool verbose);
void print_event(const struct scws_event_info *ev);
void print_status(const struct scws_status *st);
void print_failure(const char *what, const struct scws_nl *nl, int err);

/* pump-oneshot.c */
int run_register_only(const struct pump_opts *opts);
int run_try_claim(const struct pump_opts *opts);
int run_status(void);
int run_conns(void);
int run_events(void);

/* pump-serve.c */
int run_serve(const struct pump_opts *opts);

#endif /* SCWS_TEST_PUMP_H */
