// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * scws-se.c - client of the APDU access service (scws-se.h).
 */
#include "scws-se.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct scws_se {
	int fd;
	char error[300];
	uint8_t buf[SE_PROTO_MSG_MAX];
	struct se_msg ans;
};

int scws_se_connect(const char *path, struct scws_se **out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct scws_se *se;
	int err;

	if (!path)
		path = getenv("SCWS_SE_SOCKET");
	if (!path || !*path)
		path = SCWS_SE_SOCKET;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	se = calloc(1, sizeof(*se));
	if (!se)
		return -ENOMEM;
	se->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (se->fd < 0 || connect(se->fd, (struct sockaddr *)&sa,
				  sizeof(sa)) < 0) {
		err = -errno;
		if (se->fd >= 0)
			close(se->fd);
		free(se);
		return err;
	}
	*out = se;
	return 0;
}

void scws_se_close(struct scws_se *se)
{
	if (!se)
		return;
	close(se->fd);
	free(se);
}

const char *scws_se_error(const struct scws_se *se)
{
	return se->error;
}

/* One request (body a then b) and its answer in se->ans. */
static int call(struct scws_se *se, uint8_t op, const uint8_t *a,
		size_t alen, const uint8_t *b, size_t blen)
{
	size_t n = se_proto_header(se->buf, op, alen + blen);
	ssize_t got;

	se->error[0] = '\0';
	if (n + alen + blen > sizeof(se->buf))
		return -EMSGSIZE;
	if (alen)
		memcpy(se->buf + n, a, alen);
	if (blen)
		memcpy(se->buf + n + alen, b, blen);
	if (send(se->fd, se->buf, n + alen + blen, MSG_NOSIGNAL) < 0)
		return -errno;
	do
		got = recv(se->fd, se->buf, sizeof(se->buf), 0);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return -errno;
	if (got == 0)
		return -ECONNRESET;
	if (se_proto_parse_answer(se->buf, (size_t)got, op, &se->ans))
		return -EPROTO;
	if (se->ans.status != SE_OK) {
		size_t len = se->ans.len < sizeof(se->error) - 1 ?
			     se->ans.len : sizeof(se->error) - 1;

		memcpy(se->error, se->ans.data, len);
		se->error[len] = '\0';
		return se->ans.status;
	}
	return 0;
}

static int copy_out(struct scws_se *se, const uint8_t *p, size_t n,
		    uint8_t *out, size_t cap, size_t *len)
{
	if (len)
		*len = n;
	if (!out)
		return 0;
	if (n > cap)
		return -ENOBUFS;
	memcpy(out, p, n);
	(void)se;
	return 0;
}

int scws_se_list(struct scws_se *se, struct scws_se_reader *r, size_t max,
		 size_t *n)
{
	int err = call(se, SE_OP_LIST, NULL, 0, NULL, 0);
	const uint8_t *p;
	size_t left;

	*n = 0;
	if (err)
		return err;
	p = se->ans.data;
	left = se->ans.len;
	while (left) {
		size_t l = p[0];

		if (l > SE_PROTO_READER_MAX || left < l + 2)
			return -EPROTO;
		if (*n < max) {
			memcpy(r[*n].name, p + 1, l);
			r[*n].name[l] = '\0';
			r[*n].present = p[1 + l] & 1;
			(*n)++;
		}
		p += l + 2;
		left -= l + 2;
	}
	return 0;
}

int scws_se_open_session(struct scws_se *se, const char *reader,
			 uint8_t *session)
{
	int err = call(se, SE_OP_OPEN_SESSION, (const uint8_t *)reader,
		       strlen(reader), NULL, 0);

	if (err)
		return err;
	if (se->ans.len != 1)
		return -EPROTO;
	*session = se->ans.data[0];
	return 0;
}

int scws_se_close_session(struct scws_se *se, uint8_t session)
{
	return call(se, SE_OP_CLOSE_SESSION, &session, 1, NULL, 0);
}

static int open_chan(struct scws_se *se, uint8_t op, uint8_t session,
		     const uint8_t *aid, size_t aid_len, uint8_t p2,
		     uint8_t *chan, uint8_t *sel, size_t cap, size_t *sel_len)
{
	uint8_t hdr[2] = { session, p2 };
	int err = call(se, op, hdr, 2, aid, aid_len);

	if (err)
		return err;
	if (se->ans.len < 1)
		return -EPROTO;
	*chan = se->ans.data[0];
	return copy_out(se, se->ans.data + 1, se->ans.len - 1, sel, cap,
			sel_len);
}

int scws_se_open_logical(struct scws_se *se, uint8_t session,
			 const uint8_t *aid, size_t aid_len, uint8_t p2,
			 uint8_t *chan, uint8_t *sel, size_t sel_cap,
			 size_t *sel_len)
{
	return open_chan(se, SE_OP_OPEN_LOGICAL, session, aid, aid_len, p2,
			 chan, sel, sel_cap, sel_len);
}

int scws_se_open_basic(struct scws_se *se, uint8_t session,
		       const uint8_t *aid, size_t aid_len, uint8_t p2,
		       uint8_t *chan, uint8_t *sel, size_t sel_cap,
		       size_t *sel_len)
{
	return open_chan(se, SE_OP_OPEN_BASIC, session, aid, aid_len, p2,
			 chan, sel, sel_cap, sel_len);
}

int scws_se_transmit(struct scws_se *se, uint8_t chan, const uint8_t *cmd,
		     size_t len, uint8_t *resp, size_t cap, size_t *rlen)
{
	int err = call(se, SE_OP_TRANSMIT, &chan, 1, cmd, len);

	if (err)
		return err;
	return copy_out(se, se->ans.data, se->ans.len, resp, cap, rlen);
}

int scws_se_select_response(struct scws_se *se, uint8_t chan, uint8_t *resp,
			    size_t cap, size_t *rlen)
{
	int err = call(se, SE_OP_SELECT_RESPONSE, &chan, 1, NULL, 0);

	if (err)
		return err;
	return copy_out(se, se->ans.data, se->ans.len, resp, cap, rlen);
}

int scws_se_close_channel(struct scws_se *se, uint8_t chan)
{
	return call(se, SE_OP_CLOSE_CHANNEL, &chan, 1, NULL, 0);
}
