// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * sip.c - the SIP side of scws-pushd, on libosip2: its parser turns each
 * datagram into a message, its non-INVITE server transaction (NIST, RFC
 * 3261 17.2.2) absorbs retransmitted requests and repeats our final
 * answer, and we answer MESSAGE once the card has (or could not).  INVITE
 * gets 405 through an INVITE server transaction; responses and stray ACKs
 * are dropped.
 */
#include "pushd.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <osipparser2/osip_parser.h>

static struct pushd *D;	/* libosip2's callbacks carry no user pointer */

/* Transactions that ended: freed after osip_*_execute() returns, since
 * the kill callback runs inside its walk over the transaction's events. */
static osip_list_t dead;

static int cb_send(osip_transaction_t *tr, osip_message_t *sip, char *host,
		   int port, int out_socket)
{
	struct ptx *x = osip_transaction_get_your_instance(tr);
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;

	(void)host;
	(void)port;
	(void)out_socket;
	if (!x || osip_message_to_str(sip, &buf, &len) != OSIP_SUCCESS)
		return -1;
	n = sendto(D->udp, buf, len, 0, (struct sockaddr *)&x->peer,
		   x->peer_len);
	osip_free(buf);
	return n == (ssize_t)len ? OSIP_SUCCESS : -1;
}

/* A final answer in tr, built from its request (RFC 3261 8.2.6). */
static void respond(osip_transaction_t *tr, int code, const char *why)
{
	osip_message_t *req = tr->orig_request, *resp = NULL;
	osip_event_t *ev;
	osip_generic_param_t *totag = NULL;
	char tag[24];

	if (!req || osip_message_init(&resp) != OSIP_SUCCESS)
		return;
	osip_message_set_version(resp, osip_strdup("SIP/2.0"));
	osip_message_set_status_code(resp, code);
	osip_message_set_reason_phrase(resp,
				       osip_strdup(osip_message_get_reason(code)));
	osip_list_clone(&req->vias, &resp->vias,
			(int (*)(void *, void **))osip_via_clone);
	osip_call_id_clone(req->call_id, &resp->call_id);
	osip_from_clone(req->from, &resp->from);
	osip_to_clone(req->to, &resp->to);
	osip_cseq_clone(req->cseq, &resp->cseq);
	if (resp->to && osip_to_get_tag(resp->to, &totag) != OSIP_SUCCESS) {
		snprintf(tag, sizeof(tag), "%08x%08x", (unsigned)random(),
			 (unsigned)random());
		osip_to_set_tag(resp->to, osip_strdup(tag));
	}
	if (code == 405)
		osip_message_set_allow(resp, "MESSAGE");
	if (code == 415)
		osip_message_set_accept(resp, PUSHD_CONTENT_TYPE);
	if (code == 480 || code == 503)
		osip_message_set_header(resp, "Retry-After", "30");
	if (why && code >= 300) {
		char warn[200];

		/* RFC 3261 20.43: 399 miscellaneous, our text */
		snprintf(warn, sizeof(warn), "399 scws-pushd \"%s\"", why);
		osip_message_set_header(resp, "Warning", warn);
	}
	osip_message_set_content_length(resp, "0");
	ev = osip_new_outgoing_sipmessage(resp);
	if (!ev) {
		osip_message_free(resp);
		return;
	}
	ev->transactionid = tr->transactionid;
	osip_transaction_add_event(tr, ev);
}

static struct pending *pending_get(struct pushd *d)
{
	for (int i = 0; i < PUSHD_PENDING_MAX; i++)
		if (!d->pend[i].used)
			return &d->pend[i];
	return NULL;
}

static void cb_request(int type, osip_transaction_t *tr, osip_message_t *sip)
{
	struct ptx *x = osip_transaction_get_your_instance(tr);
	struct push_body body;
	struct pending *p;
	const char *why;
	int code, err;

	(void)type;
	D->received++;
	code = push_validate(&D->cfg, sip, &body, &why);
	if (code) {
		D->refused++;
		pushd_log(LOG_WARNING, "%s refused: %d %s (%s)",
			  sip->sip_method ? sip->sip_method : "request", code,
			  osip_message_get_reason(code), why);
		respond(tr, code, why);
		return;
	}
	p = pending_get(D);
	if (!p) {
		D->failed++;
		pushd_log(LOG_WARNING, "push refused: %d pushes already wait "
			  "for the card", PUSHD_PENDING_MAX);
		respond(tr, 503, "busy");
		return;
	}
	err = fwd_start(&p->f, D->opts.pump_socket, body.data, body.len);
	if (err) {
		D->failed++;
		pushd_log(LOG_ERR, "push not forwarded: %s: %s",
			  D->opts.pump_socket, strerror(-err));
		respond(tr, 503, "gateway unreachable");
		return;
	}
	p->used = true;
	p->tr = tr;
	p->deadline = pushd_now_ms() + PUSHD_FWD_TIMEOUT_MS;
	x->p = p;
	pushd_log(LOG_INFO, "push accepted (%zu bytes of RP-DATA), forwarded "
		  "to the SCWS gateway", body.len);
}

static void cb_invite(int type, osip_transaction_t *tr, osip_message_t *sip)
{
	(void)type;
	(void)sip;
	D->refused++;
	pushd_log(LOG_WARNING, "INVITE refused: 405");
	respond(tr, 405, "only MESSAGE");
}

static void cb_again(int type, osip_transaction_t *tr, osip_message_t *sip)
{
	(void)type;
	(void)tr;
	(void)sip;
	pushd_log(LOG_DEBUG, "retransmitted request absorbed");
}

static void cb_kill(int type, osip_transaction_t *tr)
{
	struct ptx *x = osip_transaction_get_your_instance(tr);

	(void)type;
	osip_remove_transaction(D->osip, tr);
	if (x && x->p) {
		fwd_abort(&x->p->f);
		x->p->used = false;
		x->p->tr = NULL;
	}
	free(x);
	osip_transaction_set_your_instance(tr, NULL);
	osip_list_add(&dead, tr, -1);
}

static void reap(void)
{
	while (osip_list_size(&dead) > 0) {
		osip_transaction_t *tr = osip_list_get(&dead, 0);

		osip_list_remove(&dead, 0);
		osip_transaction_free2(tr);
	}
}

void sip_forward_done(struct pushd *d, struct pending *p, int result)
{
	osip_transaction_t *tr = p->tr;
	struct ptx *x = tr ? osip_transaction_get_your_instance(tr) : NULL;
	struct ctl_reply r;
	int status = 0, code;

	p->used = false;
	p->tr = NULL;
	if (x)
		x->p = NULL;
	if (result == 1 && !fwd_result(&p->f, &status, &r) && status == 200 &&
	    r.ok) {
		d->forwarded++;
		pushd_log(LOG_NOTICE, "push delivered: card SW %04X, %zu bytes "
			  "of Proof of Receipt", r.sw, r.por_len);
		code = 200;
	} else if (result == 1 && status == 503) {
		d->failed++;
		pushd_log(LOG_WARNING, "push not delivered: %s",
			  r.text[0] ? r.text : "card unavailable");
		code = 480;
	} else {
		d->failed++;
		pushd_log(LOG_ERR, "push not delivered: %s (HTTP %d)",
			  result < 0 ? strerror(-result) : "gateway error",
			  status);
		code = status >= 400 && status < 500 ? 500 : 503;
	}
	if (tr)
		respond(tr, code, NULL);
}

void sip_datagram(struct pushd *d, const char *buf, size_t n,
		  const struct sockaddr_storage *peer, socklen_t plen)
{
	osip_event_t *ev = osip_parse(buf, n);
	osip_transaction_t *tr;
	struct ptx *x;

	if (!ev || !ev->sip) {
		pushd_log(LOG_WARNING, "datagram of %zu bytes is not SIP: "
			  "dropped", n);
		if (ev)
			osip_event_free(ev);
		return;
	}
	if (MSG_IS_RESPONSE(ev->sip) || MSG_IS_ACK(ev->sip) ||
	    !ev->sip->cseq || !ev->sip->call_id || !ev->sip->from ||
	    !ev->sip->to || osip_list_size(&ev->sip->vias) < 1) {
		if (!MSG_IS_ACK(ev->sip))
			pushd_log(LOG_WARNING, "unanswerable SIP message "
				  "dropped");
		osip_event_free(ev);
		return;
	}
	if (osip_find_transaction_and_add_event(d->osip, ev) == OSIP_SUCCESS)
		return;		/* a retransmission: the transaction has it */
	x = calloc(1, sizeof(*x));
	if (!x) {
		osip_event_free(ev);
		return;
	}
	memcpy(&x->peer, peer, plen);
	x->peer_len = plen;
	tr = osip_create_transaction(d->osip, ev);
	if (!tr) {
		pushd_log(LOG_WARNING, "no transaction for the request: "
			  "dropped");
		free(x);
		osip_event_free(ev);
		return;
	}
	osip_transaction_set_your_instance(tr, x);
	osip_transaction_add_event(tr, ev);
}

void sip_run(struct pushd *d)
{
	osip_timers_nist_execute(d->osip);
	osip_timers_ist_execute(d->osip);
	while (osip_nist_execute(d->osip) > 0 || osip_ist_execute(d->osip) > 0)
		reap();
	reap();
}

int sip_init(struct pushd *d)
{
	static const int requests[] = {
		OSIP_NIST_REGISTER_RECEIVED, OSIP_NIST_BYE_RECEIVED,
		OSIP_NIST_OPTIONS_RECEIVED, OSIP_NIST_INFO_RECEIVED,
		OSIP_NIST_CANCEL_RECEIVED, OSIP_NIST_NOTIFY_RECEIVED,
		OSIP_NIST_SUBSCRIBE_RECEIVED,
		OSIP_NIST_UNKNOWN_REQUEST_RECEIVED,
	};

	D = d;
	osip_list_init(&dead);
	if (osip_init(&d->osip) != OSIP_SUCCESS)
		return -ENOMEM;
	osip_set_cb_send_message(d->osip, cb_send);
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		osip_set_message_callback(d->osip, requests[i], cb_request);
	osip_set_message_callback(d->osip, OSIP_NIST_REQUEST_RECEIVED_AGAIN,
				  cb_again);
	osip_set_message_callback(d->osip, OSIP_IST_INVITE_RECEIVED,
				  cb_invite);
	osip_set_kill_transaction_callback(d->osip,
					   OSIP_NIST_KILL_TRANSACTION, cb_kill);
	osip_set_kill_transaction_callback(d->osip,
					   OSIP_IST_KILL_TRANSACTION, cb_kill);
	return 0;
}

/* At exit: transactions still in their final states (Timer J, H). */
static void free_all(struct pushd *d, osip_list_t *l)
{
	while (osip_list_size(l) > 0) {
		osip_transaction_t *tr = osip_list_get(l, 0);

		free(osip_transaction_get_your_instance(tr));
		osip_transaction_set_your_instance(tr, NULL);
		osip_remove_transaction(d->osip, tr);
		osip_transaction_free2(tr);
	}
}

void sip_fini(struct pushd *d)
{
	if (!d->osip)
		return;
	reap();
	free_all(d, &d->osip->osip_nist_transactions);
	free_all(d, &d->osip->osip_ist_transactions);
	osip_release(d->osip);
	d->osip = NULL;
}
