// SPDX-License-Identifier: GPL-2.0
/*
 * slowfs: test tooling, a FUSE file system whose executables run but cannot
 * be hashed in time.
 *
 *   slowfs [--count N] [--pad MIB] [--margin KIB] [--direct-io] BINARY
 *          MOUNTPOINT [FUSE OPTIONS...]
 *
 * Serves N copies of BINARY (prog0 ... prog<N-1>, mode 0755, distinct
 * inodes), each padded with zeros to BINARY's size + MIB MiB.  Reads within
 * the binary and MARGIN KiB after it are answered at once, so exec and its
 * page faults work; a read reaching beyond that sleeps until SIGUSR1
 * (then it, and every later read, is answered) or until the connection is
 * aborted (/sys/fs/fuse/connections/N/abort).  A hasher, which reads the
 * whole file, stalls there.  --direct-io opens files with FOPEN_DIRECT_IO so
 * each read reaches this process (no readahead, no page cache).
 *
 * The FUSE options go to libfuse as they are (e.g. -f, -o allow_other).
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct {
	char *data;
	off_t real;		/* bytes of the binary */
	off_t size;		/* served size */
	off_t stall;		/* reads reaching past this sleep */
	unsigned int count;
	int direct_io;
} fs;

static volatile sig_atomic_t released;

static void on_usr1(int sig)
{
	(void)sig;
	released = 1;
}

/* prog<i> -> i, or -1. */
static int prog_index(const char *path)
{
	char *end;
	long i;

	if (strncmp(path, "/prog", 5) || !path[5])
		return -1;
	i = strtol(path + 5, &end, 10);
	if (*end || i < 0 || (unsigned long)i >= fs.count)
		return -1;
	return (int)i;
}

static int slow_getattr(const char *path, struct stat *st,
			struct fuse_file_info *fi)
{
	int i;

	(void)fi;
	memset(st, 0, sizeof(*st));
	if (!strcmp(path, "/")) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		st->st_ino = 1;
		return 0;
	}
	i = prog_index(path);
	if (i < 0)
		return -ENOENT;
	st->st_mode = S_IFREG | 0755;
	st->st_nlink = 1;
	st->st_ino = 2 + i;
	st->st_size = fs.size;
	return 0;
}

static int slow_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
			off_t off, struct fuse_file_info *fi,
			enum fuse_readdir_flags flags)
{
	char name[32];
	unsigned int i;

	(void)off;
	(void)fi;
	(void)flags;
	if (strcmp(path, "/"))
		return -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	for (i = 0; i < fs.count; i++) {
		snprintf(name, sizeof(name), "prog%u", i);
		fill(buf, name, NULL, 0, 0);
	}
	return 0;
}

static int slow_open(const char *path, struct fuse_file_info *fi)
{
	if (prog_index(path) < 0)
		return -ENOENT;
	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	fi->direct_io = fs.direct_io;
	fi->keep_cache = !fs.direct_io;
	return 0;
}

static int slow_read(const char *path, char *buf, size_t len, off_t off,
		     struct fuse_file_info *fi)
{
	const struct timespec tick = { 0, 50 * 1000 * 1000 };
	size_t n, copy;

	(void)fi;
	if (prog_index(path) < 0)
		return -ENOENT;
	if (off >= fs.size)
		return 0;
	n = (size_t)(fs.size - off) < len ? (size_t)(fs.size - off) : len;
	if (off + (off_t)n > fs.stall) {
		fprintf(stderr, "slowfs: read %zu at %lld: stalling\n", n,
			(long long)off);
		while (!released)
			nanosleep(&tick, NULL);
	}
	memset(buf, 0, n);
	if (off < fs.real) {
		copy = (size_t)(fs.real - off) < n ? (size_t)(fs.real - off) : n;
		memcpy(buf, fs.data + off, copy);
	}
	return (int)n;
}

static const struct fuse_operations slow_ops = {
	.getattr = slow_getattr,
	.readdir = slow_readdir,
	.open = slow_open,
	.read = slow_read,
};

static int load(const char *file)
{
	struct stat st;
	ssize_t got;
	off_t done = 0;
	int fd;

	fd = open(file, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return -1;
	fs.data = malloc(st.st_size ? st.st_size : 1);
	if (!fs.data)
		return -1;
	while (done < st.st_size) {
		got = read(fd, fs.data + done, st.st_size - done);
		if (got <= 0)
			return -1;
		done += got;
	}
	close(fd);
	fs.real = st.st_size;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: slowfs [--count N] [--pad MIB] [--margin KIB] [--direct-io] BINARY MOUNTPOINT [FUSE OPTIONS...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long pad_mib = 16, margin_kib = 1024;
	char **fargv;
	int i = 1, fargc = 0;

	fs.count = 1;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--direct-io"))
			fs.direct_io = 1;
		else if (i + 1 < argc && !strcmp(argv[i], "--count"))
			fs.count = (unsigned int)atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--pad"))
			pad_mib = atol(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--margin"))
			margin_kib = atol(argv[++i]);
		else
			usage();
	}
	if (argc - i < 2 || fs.count < 1 || fs.count > 1000 || pad_mib < 1 ||
	    margin_kib < 0 || margin_kib >= pad_mib * 1024)
		usage();
	if (load(argv[i])) {
		perror(argv[i]);
		return 1;
	}
	fs.size = fs.real + ((off_t)pad_mib << 20);
	fs.stall = fs.real + ((off_t)margin_kib << 10);
	signal(SIGUSR1, on_usr1);

	/* libfuse sees: slowfs MOUNTPOINT [FUSE OPTIONS...] */
	fargv = calloc(argc + 1, sizeof(*fargv));
	if (!fargv)
		return 1;
	fargv[fargc++] = argv[0];
	for (i++; i < argc; i++)
		fargv[fargc++] = argv[i];
	return fuse_main(fargc, fargv, &slow_ops, NULL);
}
