/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dmsc-msg.h - the DM_SC Gateway's local socket (scws-bipd --dm-socket),
 * between the pump and the one local OMA DM client it serves
 * (scws-dmc listen).  See docs/device-management.md.
 *
 * An AF_UNIX SOCK_SEQPACKET socket: one message per packet, printable
 * ASCII, an optional single "\n" at the end, nothing else.
 *
 *   client -> pump   REGISTER <name>      name: 1..32 of [A-Za-z0-9._-]
 *   pump -> client   OK                   registered
 *                    ERR <code> [<text>]  refused; the pump closes
 *                                         (code: busy, denied, bad-request)
 *                    NOTIFY <hex>         one datagram the card sent to the
 *                                         DM client port (package #0)
 *
 * The client stays connected while it is registered; closing the socket
 * unregisters it.
 */
#ifndef SCWS_DMSC_MSG_H
#define SCWS_DMSC_MSG_H

#include <stddef.h>
#include <stdint.h>

/* The UDP port the card names for the DM client (the card's DM_SC_PORT,
 * card-sim/dm/dm_sc.h; 2948 is IANA's wap-push, where package #0 goes). */
#define DMSC_PORT 2948
#define DMSC_NAME_MAX 32
#define DMSC_DATA_MAX 2048		/* bytes in one NOTIFY */
#define DMSC_CODE_MAX 15
#define DMSC_TEXT_MAX 200
#define DMSC_MSG_MAX (7 + 2 * DMSC_DATA_MAX + 1)

enum dmsc_msg_type { DMSC_REGISTER, DMSC_OK, DMSC_ERR, DMSC_NOTIFY };

struct dmsc_msg {
	enum dmsc_msg_type type;
	char name[DMSC_NAME_MAX + 1];	/* REGISTER */
	char code[DMSC_CODE_MAX + 1];	/* ERR */
	char text[DMSC_TEXT_MAX + 1];	/* ERR, may be empty */
	uint8_t data[DMSC_DATA_MAX];	/* NOTIFY */
	size_t len;
};

/* 0 with *m filled, or -1 with *why saying what is wrong. */
int dmsc_msg_parse(const char *buf, size_t len, struct dmsc_msg *m,
		   const char **why);

/* Formatters: the message's length (no NUL counted, none needed on the
 * wire), or 0 when the arguments break the grammar or cap is too small. */
size_t dmsc_fmt_register(char *out, size_t cap, const char *name);
size_t dmsc_fmt_ok(char *out, size_t cap);
size_t dmsc_fmt_err(char *out, size_t cap, const char *code,
		    const char *text);
size_t dmsc_fmt_notify(char *out, size_t cap, const uint8_t *data,
		       size_t len);

/* A name REGISTER accepts. */
int dmsc_name_valid(const char *name, size_t len);

#endif /* SCWS_DMSC_MSG_H */
