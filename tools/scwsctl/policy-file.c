// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * policy-file.c - read a policy file (or standard input) and parse it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scwsctl.h"

/* Far above 16384 rules of the longest kind: anything larger is a mistake. */
#define POLICY_FILE_MAX (64u << 20)

const char *policy_file_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static int read_all(int fd, char **text, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t got;

		if (n == cap) {
			char *bigger;

			if (cap >= POLICY_FILE_MAX) {
				free(buf);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : 1u << 16;
			bigger = realloc(buf, cap);
			if (!bigger) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*text = buf;
	*len = n;
	return 0;
}

static int read_path(const char *path, char **text, size_t *len)
{
	int fd = STDIN_FILENO, err;

	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	}
	err = read_all(fd, text, len);
	if (fd != STDIN_FILENO)
		close(fd);
	return err;
}

int policy_file_read(const char *what, const char *path,
		     struct acp_policy *p, struct acp_errors *errs)
{
	const char *name = policy_file_name(path);
	char *text = NULL;
	size_t len = 0;
	int err = read_path(path, &text, &len);

	memset(errs, 0, sizeof(*errs));
	acp_policy_init(p);
	if (err) {
		ctl_error("%s: %s: %s", what, name,
			  err == -EFBIG ? "larger than 64 MiB: not a policy" :
					  strerror(-err));
		return POLICY_FILE_UNREADABLE;
	}
	err = acp_parse(text, len, p, errs);
	free(text);
	if (err == -ENOMEM) {
		ctl_error("%s: %s: %s", what, name, strerror(ENOMEM));
		return POLICY_FILE_UNREADABLE;
	}
	return err ? POLICY_FILE_INVALID : POLICY_FILE_OK;
}
