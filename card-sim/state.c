// SPDX-License-Identifier: GPL-2.0
/*
 * The card's persistent state: named blobs in one file.
 *
 * File layout (all integers big-endian):
 *
 *   0   8  magic "SCWSSTAT"
 *   8   2  format version (1)
 *   10  2  reserved, 0
 *   12  4  number of records
 *   16  4  length of the record area in bytes
 *   20  ..  records, sorted by key, no duplicates:
 *             key length (1, 1..255), value length (4), key, value
 *   end 32 SHA-256 of every byte before it
 *
 * A save writes a temporary file in the same directory, fsyncs it, renames
 * it over the old one and fsyncs the directory, so a card killed at any
 * moment leaves either the old or the new state, never a torn one.  A file
 * that fails any check is refused with a message saying why; the caller
 * decides whether to start afresh (--reset-state).
 */
#include "card.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#define STATE_MAGIC "SCWSSTAT"
#define STATE_VERSION 1
#define STATE_HEADER 20
#define STATE_DIGEST 32
#define STATE_KEY_MAX 255
/* A card has kilobytes to megabytes; refuse absurd files before reading. */
#define STATE_FILE_MAX (256u << 20)

struct state_entry {
	char *key;
	uint8_t *val;
	size_t len;
};

struct card_state {
	char *path;
	int lock_fd;		/* holds an flock on "<path>.lock" */
	struct state_entry *e;	/* sorted by key */
	size_t n, cap;
	bool dirty;
};

static int sha256(const uint8_t *buf, size_t len, uint8_t out[STATE_DIGEST])
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	return mbedtls_sha256(buf, len, out, 0);
#else
	return mbedtls_sha256_ret(buf, len, out, 0);
#endif
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Index of the first entry whose key is >= key (or > key if after). */
static size_t lower_bound(const struct card_state *st, const char *key,
			  bool after)
{
	size_t lo = 0, hi = st->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(st->e[mid].key, key);

		if (c < 0 || (after && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool find(const struct card_state *st, const char *key, size_t *idx)
{
	*idx = lower_bound(st, key, false);
	return *idx < st->n && strcmp(st->e[*idx].key, key) == 0;
}

static bool key_ok(const char *key)
{
	size_t n = key ? strlen(key) : 0;

	return n >= 1 && n <= STATE_KEY_MAX;
}

static void clear(struct card_state *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->e[i].key);
		free(st->e[i].val);
	}
	st->n = 0;
}

/* Inserts at idx, taking ownership of key and val. */
static int insert_at(struct card_state *st, size_t idx, char *key,
		     uint8_t *val, size_t len)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 32;
		struct state_entry *e = realloc(st->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		st->e = e;
		st->cap = cap;
	}
	memmove(&st->e[idx + 1], &st->e[idx], (st->n - idx) * sizeof(*st->e));
	st->e[idx] = (struct state_entry){ key, val, len };
	st->n++;
	return 0;
}

/* malloc(0) may return NULL; values of length 0 still need a pointer. */
static uint8_t *dup_bytes(const void *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

static const char *parse(struct card_state *st, const uint8_t *buf,
			 size_t size)
{
	uint8_t digest[STATE_DIGEST];
	uint32_t count, body;
	size_t off = STATE_HEADER;

	if (size < 8 || memcmp(buf, STATE_MAGIC, 8) != 0)
		return "not a scws-card state file (bad magic)";
	if (size < STATE_HEADER + STATE_DIGEST)
		return "truncated (shorter than header and checksum)";
	if (buf[8] != 0 || buf[9] != STATE_VERSION)
		return "unsupported format version";
	count = get_be32(buf + 12);
	body = get_be32(buf + 16);
	if ((size_t)body + STATE_HEADER + STATE_DIGEST > size)
		return "truncated (record area shorter than its header says)";
	if ((size_t)body + STATE_HEADER + STATE_DIGEST < size)
		return "trailing bytes after the checksum";
	if (sha256(buf, STATE_HEADER + body, digest) != 0)
		return "cannot compute checksum";
	if (memcmp(digest, buf + STATE_HEADER + body, STATE_DIGEST) != 0)
		return "checksum mismatch (file corrupt)";

	for (uint32_t i = 0; i < count; i++) {
		size_t klen, vlen;
		char *key;
		uint8_t *val;

		if (STATE_HEADER + body - off < 5)
			return "record header runs past the record area";
		klen = buf[off];
		vlen = get_be32(buf + off + 1);
		off += 5;
		if (klen > STATE_HEADER + body - off ||
		    vlen > STATE_HEADER + body - off - klen)
			return "record runs past the record area";
		if (klen == 0 || memchr(buf + off, 0, klen))
			return "record with an empty or invalid key";
		key = malloc(klen + 1);
		val = dup_bytes(buf + off + klen, vlen);
		if (!key || !val) {
			free(key);
			free(val);
			return "out of memory";
		}
		memcpy(key, buf + off, klen);
		key[klen] = '\0';
		off += klen + vlen;
		if (st->n && strcmp(st->e[st->n - 1].key, key) >= 0) {
			free(key);
			free(val);
			return "records out of order or duplicated";
		}
		if (insert_at(st, st->n, key, val, vlen) != 0) {
			free(key);
			free(val);
			return "out of memory";
		}
	}
	if (off != STATE_HEADER + body)
		return "record area longer than its records";
	return NULL;
}

/* 0 (loaded), -ENOENT (no file yet) or another -errno (message printed). */
static int load(struct card_state *st)
{
	struct stat sb;
	uint8_t *buf;
	const char *why;
	size_t got = 0;
	int fd = open(st->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno != ENOENT)
			card_err("state %s: %s", st->path, strerror(errno));
		return -errno;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size > STATE_FILE_MAX) {
		card_err("state %s: not a regular file of sane size", st->path);
		close(fd);
		return -EINVAL;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	why = parse(st, buf, got);
	free(buf);
	if (why) {
		clear(st);
		card_err("state %s: %s; refusing to start (use --reset-state to discard it)",
			 st->path, why);
		return -EBADMSG;
	}
	return 0;
}

static int lock_state(struct card_state *st)
{
	size_t n = strlen(st->path) + sizeof(".lock");
	char *lp = malloc(n);

	if (!lp)
		return -ENOMEM;
	snprintf(lp, n, "%s.lock", st->path);
	st->lock_fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (st->lock_fd < 0 || flock(st->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		int err = errno;

		card_err("state %s: %s", st->path,
			 err == EWOULDBLOCK ? "in use by another scws-card"
					    : strerror(err));
		free(lp);
		return -err;
	}
	free(lp);
	return 0;
}

struct card_state *card_state_open(const char *path, bool reset)
{
	struct card_state *st = calloc(1, sizeof(*st));
	int r;

	if (!st)
		return NULL;
	st->lock_fd = -1;
	st->path = strdup(path);
	if (!st->path || lock_state(st) != 0)
		goto fail;
	r = reset ? -ENOENT : load(st);
	if (r == -ENOENT) {
		/* Write at once: a bad directory shows now, not at the
		 * first PIN try, and a corrupt file is replaced. */
		st->dirty = true;
		if (card_state_save(st) != 0)
			goto fail;
	} else if (r != 0) {
		goto fail;
	}
	return st;
fail:
	card_state_close(st);
	return NULL;
}

void card_state_close(struct card_state *st)
{
	if (!st)
		return;
	clear(st);
	free(st->e);
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	free(st->path);
	free(st);
}

int card_state_get(const struct card_state *st, const char *key,
		   const uint8_t **val, size_t *len)
{
	size_t i;

	if (!key_ok(key) || !find(st, key, &i))
		return -ENOENT;
	*val = st->e[i].val;
	*len = st->e[i].len;
	return 0;
}

int card_state_set(struct card_state *st, const char *key, const void *val,
		   size_t len)
{
	uint8_t *copy;
	char *k;
	size_t i;

	if (!key_ok(key) || len > STATE_FILE_MAX)
		return -EINVAL;
	copy = dup_bytes(val, len);
	if (!copy)
		return -ENOMEM;
	if (find(st, key, &i)) {
		free(st->e[i].val);
		st->e[i].val = copy;
		st->e[i].len = len;
	} else {
		k = strdup(key);
		if (!k || insert_at(st, i, k, copy, len) != 0) {
			free(k);
			free(copy);
			return -ENOMEM;
		}
	}
	st->dirty = true;
	return 0;
}

int card_state_delete(struct card_state *st, const char *key)
{
	size_t i;

	if (!key_ok(key) || !find(st, key, &i))
		return -ENOENT;
	free(st->e[i].key);
	free(st->e[i].val);
	memmove(&st->e[i], &st->e[i + 1], (st->n - i - 1) * sizeof(*st->e));
	st->n--;
	st->dirty = true;
	return 0;
}

int card_state_foreach(const struct card_state *st, const char *prefix,
		       int (*fn)(const char *key, const uint8_t *val,
				 size_t len, void *arg),
		       void *arg)
{
	size_t plen = strlen(prefix);
	char cur[STATE_KEY_MAX + 1];
	size_t i = lower_bound(st, prefix, false);

	/* Re-find the position after each call, so fn may set or delete. */
	while (i < st->n && strncmp(st->e[i].key, prefix, plen) == 0) {
		int r;

		snprintf(cur, sizeof(cur), "%s", st->e[i].key);
		r = fn(st->e[i].key, st->e[i].val, st->e[i].len, arg);
		if (r)
			return r;
		i = lower_bound(st, cur, true);
	}
	return 0;
}

static size_t serialized_size(const struct card_state *st, bool *too_big)
{
	size_t sz = STATE_HEADER + STATE_DIGEST;

	for (size_t i = 0; i < st->n; i++)
		sz += 5 + strlen(st->e[i].key) + st->e[i].len;
	*too_big = sz > STATE_FILE_MAX || st->n > UINT32_MAX;
	return sz;
}

static uint8_t *serialize(const struct card_state *st, size_t *size)
{
	bool too_big;
	size_t sz = serialized_size(st, &too_big), off = STATE_HEADER;
	uint8_t *buf;

	if (too_big)
		return NULL;
	buf = malloc(sz);
	if (!buf)
		return NULL;
	memcpy(buf, STATE_MAGIC, 8);
	put_be16(buf + 8, STATE_VERSION);
	put_be16(buf + 10, 0);
	put_be32(buf + 12, (uint32_t)st->n);
	put_be32(buf + 16, (uint32_t)(sz - STATE_HEADER - STATE_DIGEST));
	for (size_t i = 0; i < st->n; i++) {
		size_t klen = strlen(st->e[i].key);

		buf[off] = (uint8_t)klen;
		put_be32(buf + off + 1, (uint32_t)st->e[i].len);
		memcpy(buf + off + 5, st->e[i].key, klen);
		if (st->e[i].len)
			memcpy(buf + off + 5 + klen, st->e[i].val, st->e[i].len);
		off += 5 + klen + st->e[i].len;
	}
	if (sha256(buf, off, buf + off) != 0) {
		free(buf);
		return NULL;
	}
	*size = sz;
	return buf;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t r = write(fd, buf, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char *copy = strdup(path), *slash;
	int fd, r = 0;

	if (!copy)
		return -ENOMEM;
	slash = strrchr(copy, '/');
	if (!slash)
		fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	else {
		slash[slash == copy ? 1 : 0] = '\0';
		fd = open(copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	free(copy);
	if (fd < 0)
		return -errno;
	if (fsync(fd) != 0)
		r = -errno;
	close(fd);
	return r;
}

int card_state_save(struct card_state *st)
{
	size_t size = 0, tlen = strlen(st->path) + sizeof(".tmp.XXXXXX");
	uint8_t *buf;
	char *tmp;
	int fd, r;

	if (!st->dirty)
		return 0;
	buf = serialize(st, &size);
	tmp = malloc(tlen);
	if (!buf || !tmp) {
		free(buf);
		free(tmp);
		return -ENOMEM;
	}
	snprintf(tmp, tlen, "%s.tmp.XXXXXX", st->path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	r = write_all(fd, buf, size);
	if (r == 0 && fchmod(fd, 0600) != 0)
		r = -errno;
	if (r == 0 && fsync(fd) != 0)
		r = -errno;
	if (close(fd) != 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, st->path) != 0)
		r = -errno;
	if (r != 0)
		unlink(tmp);
	else
		r = fsync_dir_of(st->path);
	if (r == 0)
		st->dirty = false;
out:
	if (r != 0)
		card_err("state %s: save failed: %s", st->path, strerror(-r));
	free(buf);
	free(tmp);
	return r;
}
