// SPDX-License-Identifier: GPL-2.0
/*
 * The one-time import of a content folder into the card state: every
 * regular file becomes a resource (hidden files and symbolic links are
 * skipped), and the top-level ".protected" becomes the protection list:
 * one path prefix a line, '#' starts a comment.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "site.h"
#include "log.h"

#define MAX_DEPTH 16
#define MAX_FILE (16u << 20)	/* far above any card, far below harm */

static int read_file(int dirfd, const char *name, uint8_t **data, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;
	size_t got = 0;
	uint8_t *buf;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) || sb.st_size < 0 || (size_t)sb.st_size > MAX_FILE) {
		close(fd);
		return -EFBIG;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);

		if (n <= 0) {
			int rc = n < 0 ? -errno : -EIO;

			free(buf);
			close(fd);
			return rc;
		}
		got += (size_t)n;
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;
}

/* The protection list, cleaned: one prefix a line, each starting '/'. */
static int import_protection(struct scws_site *s, int dirfd)
{
	struct http_buf list = { 0 };
	uint8_t *data;
	size_t len;
	int rc = read_file(dirfd, ".protected", &data, &len);

	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	data[len] = '\0';	/* read_file left room for it */
	for (char *line = strtok((char *)data, "\n"); line;
	     line = strtok(NULL, "\n")) {
		char *end;

		line[strcspn(line, "#")] = '\0';
		line += strspn(line, " \t\r");
		end = line + strcspn(line, " \t\r");
		*end = '\0';
		if (!*line)
			continue;
		if (*line != '/') {
			card_err(".protected: ignoring \"%s\" (not a path)", line);
			continue;
		}
		http_buf_printf(&list, "%s\n", line);
	}
	free(data);
	rc = list.oom ? -ENOMEM :
	     card_state_set(s->st, SITE_PROTECTED_KEY, list.data ? list.data :
			    (const uint8_t *)"", list.len);
	http_buf_free(&list);
	return rc;
}

static int import_dir(struct scws_site *s, int dirfd, const char *prefix,
		      int depth)
{
	DIR *dir;
	struct dirent *e;
	int rc = 0;

	if (depth > MAX_DEPTH)
		return -ELOOP;
	dir = fdopendir(dirfd);
	if (!dir) {
		close(dirfd);
		return -errno;
	}
	while (!rc && (e = readdir(dir))) {
		char path[SITE_MAX_PATH + 2];
		struct stat sb;
		int n;

		if (e->d_name[0] == '.')
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", prefix, e->d_name);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			card_err("content: skipping %s/%s (path too long)",
				 prefix, e->d_name);
			continue;
		}
		if (fstatat(dirfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW)) {
			rc = -errno;
		} else if (S_ISDIR(sb.st_mode)) {
			int sub = openat(dirfd, e->d_name,
					 O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

			rc = sub < 0 ? -errno : import_dir(s, sub, path, depth + 1);
		} else if (S_ISREG(sb.st_mode)) {
			uint8_t *data;
			size_t len;

			rc = read_file(dirfd, e->d_name, &data, &len);
			if (!rc) {
				rc = site_resource_put(s, path,
						       site_content_type(path),
						       data, len);
				free(data);
			}
		}
	}
	closedir(dir);
	return rc;
}

int site_import(struct scws_site *s, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	rc = import_protection(s, fd);
	if (!rc)
		rc = import_dir(s, fd, "", 0);	/* closes fd */
	else
		close(fd);
	if (!rc)
		rc = card_state_set(s->st, SITE_IMPORTED_KEY, "1", 1);
	if (!rc)
		rc = card_state_save(s->st);
	return rc;
}
