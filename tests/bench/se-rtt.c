// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * se-rtt: APDU round trips to the test applet (ECHO of 16 bytes) on a
 * logical channel, timed one by one; prints "N median_us mean_us".
 *
 *   se-rtt direct N          straight through PC/SC (SCardTransmit, the
 *                            card not held by a pump)
 *   se-rtt service SOCK N    through scws-bipd's APDU access service
 *   se-rtt loop SOCK         ECHOs through the service until killed
 *                            (the load for the concurrent download)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <PCSC/winscard.h>

#include "scws-se.h"

static const uint8_t aid[] = { 0xF0, 0x53, 0x43, 0x57, 0x53, 0x54, 0x45, 0x53, 0x54 };
static uint8_t echo[4 + 1 + 16 + 1] = { 0x80, 0x01, 0x00, 0x00, 16 };

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(double *t, int n)
{
	double sum = 0;

	for (int i = 0; i < n; i++)
		sum += t[i];
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%d %.1f %.1f\n", n, t[n / 2], sum / n);
}

static int direct(int n)
{
	SCARDCONTEXT ctx;
	SCARDHANDLE h;
	DWORD proto, len = 0, rlen;
	char readers[1024];
	uint8_t r[300], cmd[32];
	double *t = calloc((size_t)n, sizeof(*t));
	const SCARD_IO_REQUEST *pci;
	uint8_t ch;

	len = sizeof(readers);
	if (!t || SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx) ||
	    SCardListReaders(ctx, NULL, readers, &len) ||
	    SCardConnect(ctx, readers, SCARD_SHARE_SHARED,
			 SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &h, &proto)) {
		fprintf(stderr, "se-rtt: PC/SC connect failed\n");
		return 1;
	}
	pci = proto == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
	rlen = sizeof(r);
	if (SCardTransmit(h, pci, (const uint8_t[]){ 0, 0x70, 0, 0, 1 }, 5,
			  NULL, r, &rlen) || rlen != 3 || r[1] != 0x90) {
		fprintf(stderr, "se-rtt: MANAGE CHANNEL failed\n");
		return 1;
	}
	ch = r[0];
	cmd[0] = ch;
	memcpy(cmd + 1, (const uint8_t[]){ 0xA4, 0x04, 0x00, sizeof(aid) }, 4);
	memcpy(cmd + 5, aid, sizeof(aid));
	cmd[5 + sizeof(aid)] = 0;
	rlen = sizeof(r);
	SCardTransmit(h, pci, cmd, 6 + sizeof(aid), NULL, r, &rlen);
	echo[0] = (uint8_t)(0x80 | ch);
	for (int i = 0; i < n; i++) {
		double t0 = now_us();

		rlen = sizeof(r);
		if (SCardTransmit(h, pci, echo, sizeof(echo), NULL, r, &rlen) ||
		    rlen != 18 || r[16] != 0x90) {
			fprintf(stderr, "se-rtt: ECHO failed\n");
			return 1;
		}
		t[i] = now_us() - t0;
	}
	rlen = sizeof(r);
	SCardTransmit(h, pci, (const uint8_t[]){ 0, 0x70, 0x80, ch }, 4, NULL,
		      r, &rlen);
	SCardDisconnect(h, SCARD_LEAVE_CARD);
	SCardReleaseContext(ctx);
	report(t, n);
	free(t);
	return 0;
}

static int service(const char *sock, int n)
{
	struct scws_se *se;
	uint8_t s, ch, r[300];
	size_t rlen;
	double *t = n > 0 ? calloc((size_t)n, sizeof(*t)) : NULL;
	int err = scws_se_connect(sock, &se);

	if (!err)
		err = scws_se_open_session(se, "SIM1", &s);
	if (!err)
		err = scws_se_open_logical(se, s, aid, sizeof(aid), 0, &ch,
					   NULL, 0, NULL);
	if (err) {
		fprintf(stderr, "se-rtt: service: %d %s\n", err,
			err > 0 ? scws_se_error(se) : strerror(-err));
		return 1;
	}
	echo[0] = 0x80;
	for (int i = 0; n <= 0 || i < n; i++) {
		double t0 = now_us();

		err = scws_se_transmit(se, ch, echo, sizeof(echo), r,
				       sizeof(r), &rlen);
		if (err || rlen != 18 || r[16] != 0x90) {
			fprintf(stderr, "se-rtt: ECHO failed (%d)\n", err);
			return 1;
		}
		if (t)
			t[i] = now_us() - t0;
	}
	scws_se_close(se);
	report(t, n);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	for (int i = 0; i < 16; i++)
		echo[5 + i] = (uint8_t)i;
	if (argc == 3 && !strcmp(argv[1], "direct"))
		return direct(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "service"))
		return service(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "loop"))
		return service(argv[2], 0);
	fprintf(stderr, "usage: se-rtt direct N | service SOCK N | loop SOCK\n");
	return 2;
}
