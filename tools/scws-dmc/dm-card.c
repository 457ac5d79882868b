// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-card.c - EFs of the card's PKCS#15 application through the APDU
 * access service (see dm-card.h).  SELECT (ISO 7816-4 / TS 102 221
 * 11.1.1) by FID, FCP asked for the file size (tag 80); READ BINARY
 * (11.1.3) 256 bytes at a time: 6282 is the end of the file, 6Cxx is
 * answered with Le = xx (the service resolves it too), 6B00 past the end
 * of a file of unknown size is its end.
 */
#include "dm-card.h"
#include "dm-p15.h"
#include "ber.h"
#include "scws-se.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 256

struct card {
	struct scws_se *se;
	uint8_t chan;
	int verbose;
	char msg[256];		/* the reason of the last failure */
};

__attribute__((format(printf, 3, 4)))
static int say(struct card *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	return err;
}

/* A service call's failure in words. */
static int service(struct card *c, int rc, const char *what)
{
	if (rc < 0)
		return say(c, -EIO, "%s: %s", what, strerror(-rc));
	return say(c, -EIO, "%s: %s", what, scws_se_error(c->se));
}

static int xfer(struct card *c, const uint8_t *cmd, size_t n, uint8_t *resp,
		size_t *rlen, uint16_t *sw)
{
	int rc = scws_se_transmit(c->se, c->chan, cmd, n, resp, CHUNK + 2,
				  rlen);

	if (rc)
		return service(c, rc, "TRANSMIT");
	if (*rlen < 2)
		return say(c, -EIO, "an answer without status word");
	*rlen -= 2;
	*sw = (uint16_t)(resp[*rlen] << 8 | resp[*rlen + 1]);
	return 0;
}

static int sw_error(struct card *c, uint16_t sw, const char *what,
		    unsigned int fid)
{
	if (sw == 0x6A82)
		return say(c, -ENOENT, "%s %04X: file not found", what, fid);
	if (sw == 0x6982)
		return say(c, -EACCES, "%s %04X: security status not "
			   "satisfied (6982)", what, fid);
	if (sw == 0x6981 || sw == 0x6986)
		return say(c, -EINVAL, "%s %04X: not a transparent EF (%04X)",
			   what, fid, sw);
	return say(c, -EIO, "%s %04X: status word %04X", what, fid, sw);
}

/* The size in an FCP template (62 {.. 80 size ..}); 0 if none. */
static size_t fcp_size(const uint8_t *r, size_t n)
{
	struct ber_tlv t, e;

	if (!ber_read(r, n, &t) || t.tag != 0x62)
		return 0;
	for (size_t o = 0; o < t.len && ber_read(t.val + o, t.len - o, &e);
	     o += e.size) {
		size_t v = 0;

		if (e.tag != 0x80 || !e.len || e.len > 3)
			continue;
		for (size_t i = 0; i < e.len; i++)
			v = v << 8 | e.val[i];
		return v;
	}
	return 0;
}

static int select_path(struct card *c, const struct arf_path *p,
		       size_t *size, unsigned int *fid)
{
	uint8_t cmd[8] = { 0x00, 0xA4, 0x00, 0x04, 0x02, 0, 0, 0x00 };
	uint8_t resp[CHUNK + 2];
	size_t i = 0, rlen;
	uint16_t sw;
	int err;

	if (p->b[0] == 0x3F && p->b[1] == 0x00)
		return say(c, -EINVAL, "absolute path from the MF: not "
			   "reachable through the APDU access service");
	if (p->b[0] == 0x3F && p->b[1] == 0xFF)
		i = 2;		/* the current DF: the application */
	if (i >= p->len)
		return say(c, -EINVAL, "path names the application itself");
	for (; i < p->len; i += 2) {
		cmd[5] = p->b[i];
		cmd[6] = p->b[i + 1];
		*fid = (unsigned int)(p->b[i] << 8 | p->b[i + 1]);
		err = xfer(c, cmd, sizeof(cmd), resp, &rlen, &sw);
		if (err)
			return err;
		if (sw != 0x9000)
			return sw_error(c, sw, "SELECT", *fid);
	}
	*size = fcp_size(resp, rlen);
	return 0;
}

/* arf_read_fn: the whole transparent EF at path. */
static int read_file(void *arg, const struct arf_path *p, uint8_t **data,
		     size_t *len)
{
	struct card *c = arg;
	uint8_t cmd[5] = { 0x00, 0xB0 }, resp[CHUNK + 2], *buf;
	size_t size = 0, off = 0, rlen, want, retries = 0;
	unsigned int fid = 0;
	uint16_t sw;
	int err = select_path(c, p, &size, &fid);

	if (err)
		return err;
	if (size > ARF_FILE_MAX)
		return say(c, -EFBIG, "EF %04X: %zu bytes", fid, size);
	buf = malloc(ARF_FILE_MAX);
	if (!buf)
		return -ENOMEM;
	for (want = CHUNK; !size || off < size;) {
		if (size && size - off < want)
			want = size - off;
		if (off + want > ARF_FILE_MAX) {
			err = say(c, -EFBIG, "EF %04X: longer than %d bytes",
				  fid, ARF_FILE_MAX);
			break;
		}
		cmd[2] = (uint8_t)(off >> 8);
		cmd[3] = (uint8_t)off;
		cmd[4] = (uint8_t)(want == CHUNK ? 0 : want);
		err = xfer(c, cmd, sizeof(cmd), resp, &rlen, &sw);
		if (err)
			break;
		if ((sw & 0xFF00) == 0x6C00 && retries++ < 2) {
			want = sw & 0xFF ? sw & 0xFF : CHUNK;
			continue;
		}
		if (sw == 0x6B00 && !size && off) {
			break;		/* the end of a file of unknown size */
		}
		if (sw != 0x9000 && sw != 0x6282) {
			err = sw_error(c, sw, "READ BINARY of", fid);
			break;
		}
		if (rlen > want) {
			err = say(c, -EIO, "EF %04X: %zu bytes for Le %zu",
				  fid, rlen, want);
			break;
		}
		memcpy(buf + off, resp, rlen);
		off += rlen;
		retries = 0;
		want = CHUNK;
		if (sw == 0x6282 || !rlen || (!size && rlen < want))
			break;
	}
	if (err) {
		free(buf);
		return err;
	}
	if (c->verbose)
		fprintf(stderr, "scws-dmc: EF %04X: %zu bytes read\n", fid, off);
	*data = buf;
	*len = off;
	return 0;
}

static const char *first_reader(struct card *c, struct scws_se_reader *r,
				size_t max)
{
	size_t n;

	if (scws_se_list(c->se, r, max, &n))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (r[i].present)
			return r[i].name;
	return NULL;
}

int dm_card_read_bootstrap(const char *socket, const char *reader,
			   uint8_t **data, size_t *len, int verbose,
			   char *err, size_t err_size)
{
	struct card c = { .verbose = verbose };
	struct scws_se_reader readers[8];
	uint8_t session, sel[CHUNK + 2];
	size_t sel_len;
	char why[256] = "";
	int rc = scws_se_connect(socket, &c.se);

	if (rc) {
		snprintf(err, err_size, "APDU access service %s: %s",
			 socket ? socket : "(default socket)", strerror(-rc));
		return -1;
	}
	if (!reader)
		reader = first_reader(&c, readers, 8);
	if (!reader) {
		snprintf(err, err_size, "no reader with a card");
		rc = -1;
		goto out;
	}
	rc = scws_se_open_session(c.se, reader, &session);
	if (rc) {
		service(&c, rc, "OPEN_SESSION");
		snprintf(err, err_size, "%s", c.msg);
		rc = -1;
		goto out;
	}
	rc = scws_se_open_logical(c.se, session, arf_pkcs15_aid,
				  sizeof(arf_pkcs15_aid), 0x00, &c.chan, sel,
				  sizeof(sel), &sel_len);
	if (rc == SE_ERR_NOT_FOUND) {
		snprintf(err, err_size, "the card has no PKCS#15 application");
		rc = 1;
		goto out;
	}
	if (rc) {
		service(&c, rc, "channel to the PKCS#15 application");
		snprintf(err, err_size, "%s", c.msg);
		rc = -1;
		goto out;
	}
	rc = dm_p15_read_bootstrap(read_file, &c, data, len, why, sizeof(why));
	if (rc == -ENOENT && !c.msg[0]) {
		snprintf(err, err_size, "%s", why);
		rc = 1;
	} else if (rc) {
		/* The card's own words when the I/O failed, else the walk's. */
		snprintf(err, err_size, "%s", c.msg[0] ? c.msg : why);
		rc = -1;
	}
	scws_se_close_channel(c.se, c.chan);
out:
	scws_se_close(c.se);
	return rc;
}
