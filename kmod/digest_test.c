// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of digest.c, included at its end (they need its statics).
 * Files are made on the rootfs (ramfs on UML without CONFIG_TMPFS, where
 * the tests run before any root is mounted).  A test that locks a page of
 * a file and marks it not up to date makes a reader wait for the lock,
 * exactly as a read of a file system that does not answer would.
 */
#include <kunit/test.h>
#include <linux/fcntl.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>

/* SHA-256("abc"), FIPS 180-2 appendix B.1. */
static const u8 scws_test_abc[SCWS_SHA256_LEN] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
	0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
	0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};

struct scws_digest_test_ctx {
	unsigned int max_mb, timeout_ms, jobs, per_user;
	struct file *files[4];
	unsigned int nfiles;
};

static int scws_digest_test_init(struct kunit *test)
{
	struct scws_digest_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->max_mb = digest_max_mb;
	ctx->timeout_ms = digest_timeout_ms;
	ctx->jobs = digest_jobs;
	ctx->per_user = digest_jobs_per_user;
	test->priv = ctx;
	return 0;
}

static void scws_digest_test_exit(struct kunit *test)
{
	struct scws_digest_test_ctx *ctx = test->priv;

	while (ctx->nfiles)
		fput(ctx->files[--ctx->nfiles]);
	digest_max_mb = ctx->max_mb;
	digest_timeout_ms = ctx->timeout_ms;
	digest_jobs = ctx->jobs;
	digest_jobs_per_user = ctx->per_user;
}

/* A new file of @size bytes, @data at its start (sparse after it). */
static struct file *scws_test_file(struct kunit *test, const char *data,
				   loff_t size)
{
	struct scws_digest_test_ctx *ctx = test->priv;
	static unsigned int serial;
	char name[32];
	struct file *f;
	loff_t pos = 0;

	KUNIT_ASSERT_LT(test, ctx->nfiles, ARRAY_SIZE(ctx->files));
	snprintf(name, sizeof(name), "/scws-digest-test-%u", serial++);
	f = filp_open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	ctx->files[ctx->nfiles++] = f;
	if (data)
		KUNIT_ASSERT_EQ(test, kernel_write(f, data, strlen(data), &pos),
				(ssize_t)strlen(data));
	if (size)
		KUNIT_ASSERT_EQ(test, vfs_truncate(&f->f_path, size), 0);
	return f;
}

static void scws_digest_test_hash(struct kunit *test)
{
	struct file *f = scws_test_file(test, "abc", 0);
	u8 digest[SCWS_SHA256_LEN] = {};
	s64 started = atomic64_read(&scws_digest_stats.started);

	KUNIT_ASSERT_EQ(test, scws_digest_compute(f, current_cred(), digest), 0);
	KUNIT_EXPECT_EQ(test, memcmp(digest, scws_test_abc, SCWS_SHA256_LEN), 0);
	memset(digest, 0, sizeof(digest));
	KUNIT_ASSERT_TRUE(test, scws_digest_lookup(f, digest));
	KUNIT_EXPECT_EQ(test, memcmp(digest, scws_test_abc, SCWS_SHA256_LEN), 0);
	KUNIT_ASSERT_EQ(test, scws_digest_compute(f, current_cred(), digest), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&scws_digest_stats.started),
			started + 1);
}

static void scws_digest_test_size_cap(struct kunit *test)
{
	struct file *big = scws_test_file(test, NULL, (1 << 20) + 1);
	struct file *fits = scws_test_file(test, NULL, 1 << 20);
	struct scws_digest_req req;
	u8 digest[SCWS_SHA256_LEN];
	s64 started;

	digest_max_mb = 1;
	started = atomic64_read(&scws_digest_stats.started);
	KUNIT_EXPECT_EQ(test, scws_digest_compute(big, current_cred(), digest),
			-EFBIG);
	KUNIT_EXPECT_EQ(test, scws_digest_request(&req, big, current_cred(),
						  NULL), -EFBIG);
	KUNIT_EXPECT_EQ(test, atomic64_read(&scws_digest_stats.started),
			started);
	KUNIT_EXPECT_EQ(test, scws_digest_compute(fits, current_cred(), digest),
			0);
}

struct scws_test_waiter {
	struct scws_digest_req req;
	struct completion done;
	int calls;
};

static void scws_test_answer(struct scws_digest_req *req)
{
	struct scws_test_waiter *w = container_of(req, struct scws_test_waiter,
						  req);

	w->calls++;
	complete(&w->done);
}

static int scws_test_wait(struct scws_test_waiter *w, struct file *f)
{
	init_completion(&w->done);
	w->calls = 0;
	return scws_digest_request(&w->req, f, current_cred(),
				   scws_test_answer);
}

/*
 * One job per file, shared by every waiter; a waiter gives up at the
 * timeout while the job goes on; the per-user bound refuses at once.
 */
static void scws_digest_test_shared(struct kunit *test)
{
	struct file *f = scws_test_file(test, "abc", 0);
	struct file *other = scws_test_file(test, "abcd", 0);
	struct scws_test_waiter a, b, c;
	u8 digest[SCWS_SHA256_LEN];
	s64 started, shared;
	unsigned long t0;
	struct page *page;

	/* Hold the file's first page locked, not up to date: reads wait. */
	page = read_mapping_page(f->f_mapping, 0, f);
	KUNIT_ASSERT_FALSE(test, IS_ERR(page));
	lock_page(page);
	ClearPageUptodate(page);
	started = atomic64_read(&scws_digest_stats.started);
	shared = atomic64_read(&scws_digest_stats.shared);

	KUNIT_EXPECT_EQ(test, scws_test_wait(&a, f), -EINPROGRESS);
	KUNIT_EXPECT_EQ(test, scws_test_wait(&b, f), -EINPROGRESS);
	KUNIT_EXPECT_EQ(test, atomic64_read(&scws_digest_stats.started),
			started + 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&scws_digest_stats.shared),
			shared + 1);

	/* A sleeping caller joins the same job and gives up in time. */
	digest_timeout_ms = 100;
	t0 = jiffies;
	KUNIT_EXPECT_EQ(test, scws_digest_compute(f, current_cred(), digest),
			-ETIMEDOUT);
	KUNIT_EXPECT_LT(test, jiffies - t0, msecs_to_jiffies(1000));
	KUNIT_EXPECT_EQ(test, atomic64_read(&scws_digest_stats.started),
			started + 1);

	/* uid 0 has its one job: another file is refused at once. */
	digest_jobs_per_user = 1;
	KUNIT_EXPECT_EQ(test, scws_test_wait(&c, other), -EBUSY);
	KUNIT_EXPECT_EQ(test, scws_digest_compute(other, current_cred(),
						  digest), -EBUSY);
	digest_jobs_per_user = 4;
	digest_jobs = 1;
	KUNIT_EXPECT_EQ(test, scws_test_wait(&c, other), -EBUSY);
	digest_jobs = 16;

	/* b leaves; a gets the digest once the file answers. */
	KUNIT_EXPECT_TRUE(test, scws_digest_cancel(&b.req));
	SetPageUptodate(page);
	unlock_page(page);
	put_page(page);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&a.done, 10 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, a.calls, 1);
	KUNIT_EXPECT_EQ(test, a.req.err, 0);
	KUNIT_EXPECT_EQ(test, memcmp(a.req.digest, scws_test_abc, SCWS_SHA256_LEN), 0);
	KUNIT_EXPECT_FALSE(test, scws_digest_cancel(&a.req));
	KUNIT_EXPECT_EQ(test, b.calls, 0);

	/* Answered from the cache now, without a job. */
	KUNIT_EXPECT_EQ(test, scws_test_wait(&c, f), 0);
	KUNIT_EXPECT_EQ(test, memcmp(c.req.digest, scws_test_abc, SCWS_SHA256_LEN), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&scws_digest_stats.started),
			started + 1);
}

/* Rewrite "abc" as "abd" in place: same size; then put mtime back. */
static void scws_test_rewrite(struct kunit *test, struct file *f)
{
	struct inode *inode = file_inode(f);
	struct timespec64 mtime = inode->i_mtime;
	loff_t pos = 0;

	KUNIT_ASSERT_EQ(test, kernel_write(f, "abd", 3, &pos), (ssize_t)3);
	inode->i_mtime = mtime;	/* as touch -r would */
	KUNIT_ASSERT_EQ(test, i_size_read(inode), (loff_t)3);
}

/*
 * A same-size rewrite with the old mtime is a new file to the cache: its
 * ctime moved (ramfs has no i_version; the times are backdated first so
 * that the rewrite cannot fall in the clock tick of the hash).
 */
static void scws_digest_test_rewrite_ctime(struct kunit *test)
{
	struct file *f = scws_test_file(test, "abc", 0);
	struct inode *inode = file_inode(f);
	u8 digest[SCWS_SHA256_LEN];

	inode->i_ctime.tv_sec -= 10;
	inode->i_mtime = inode->i_ctime;
	KUNIT_ASSERT_EQ(test, scws_digest_compute(f, current_cred(), digest), 0);
	KUNIT_ASSERT_TRUE(test, scws_digest_lookup(f, digest));
	scws_test_rewrite(test, f);
	KUNIT_EXPECT_FALSE(test, scws_digest_lookup(f, digest));
	KUNIT_ASSERT_EQ(test, scws_digest_compute(f, current_cred(), digest), 0);
	KUNIT_EXPECT_NE(test, memcmp(digest, scws_test_abc, SCWS_SHA256_LEN), 0);
}

/*
 * The same rewrite within the clock tick of the hash (ctime put back too)
 * is seen through i_version, which the hasher queried before it read.
 * Needs a file system that keeps i_version: shmem, with CONFIG_TMPFS.
 */
static void scws_digest_test_rewrite_iversion(struct kunit *test)
{
	struct scws_digest_test_ctx *ctx = test->priv;
	struct file *f = shmem_file_setup("scws-digest-iversion", 0, 0);
	struct timespec64 ctime;
	u8 digest[SCWS_SHA256_LEN];
	loff_t pos = 0;

	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	ctx->files[ctx->nfiles++] = f;
	if (!IS_I_VERSION(file_inode(f)))
		kunit_skip(test, "shmem keeps no i_version here (CONFIG_TMPFS=n)");
	KUNIT_ASSERT_EQ(test, kernel_write(f, "abc", 3, &pos), (ssize_t)3);
	KUNIT_ASSERT_EQ(test, scws_digest_compute(f, current_cred(), digest), 0);
	KUNIT_EXPECT_EQ(test, memcmp(digest, scws_test_abc, SCWS_SHA256_LEN), 0);
	KUNIT_ASSERT_TRUE(test, scws_digest_lookup(f, digest));
	ctime = file_inode(f)->i_ctime;
	scws_test_rewrite(test, f);
	file_inode(f)->i_ctime = ctime;
	KUNIT_EXPECT_FALSE(test, scws_digest_lookup(f, digest));
}

static struct kunit_case scws_digest_test_cases[] = {
	KUNIT_CASE(scws_digest_test_hash),
	KUNIT_CASE(scws_digest_test_size_cap),
	KUNIT_CASE(scws_digest_test_shared),
	KUNIT_CASE(scws_digest_test_rewrite_ctime),
	KUNIT_CASE(scws_digest_test_rewrite_iversion),
	{}
};

static struct kunit_suite scws_digest_test_suite = {
	.name = "scws_digest",
	.init = scws_digest_test_init,
	.exit = scws_digest_test_exit,
	.test_cases = scws_digest_test_cases,
};

kunit_test_suite(scws_digest_test_suite);
