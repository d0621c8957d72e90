/* Runs of files opened, read and closed through io_uring (crm/file_batch.h),
 * or one call at a time where it is not allowed.  liburing (Debian's
 * liburing-dev) sets the ring up and fills its entries. */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/file_batch.h"
#include "util/testhook.h"

/* valgrind cannot see the kernel write a buffer through the ring: the
 * bytes read are marked written (no-op outside valgrind). */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#endif
#endif
#ifndef VALGRIND_MAKE_MEM_DEFINED
#define VALGRIND_MAKE_MEM_DEFINED(p, n) ((void)(p), (void)(n))
#endif

/* a read and its close for each file of a run */
#define RING_ENTRIES (2 * CRM_FILE_BATCH_MAX)

struct crm_file_batch {
	struct io_uring ring;
	bool ring_ok;
};

/* Whether the kernel has every operation a batch uses (5.6 has them). */
static bool ring_has_operations(struct io_uring *ring)
{
	struct io_uring_probe *p = io_uring_get_probe_ring(ring);
	bool ok = p && io_uring_opcode_supported(p, IORING_OP_OPENAT) &&
		  io_uring_opcode_supported(p, IORING_OP_READ) &&
		  io_uring_opcode_supported(p, IORING_OP_CLOSE);

	if (p)
		io_uring_free_probe(p);
	return ok;
}

/* A ring only this thread submits to, whose completions are run when it
 * waits for them (Linux 6.1), else a plain one. */
static bool ring_init(struct io_uring *ring)
{
	const char *env = getenv("CRM_NO_IO_URING");

	if (env && *env && strcmp(env, "0"))
		return false;
	if (io_uring_queue_init(RING_ENTRIES, ring,
				IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN) &&
	    io_uring_queue_init(RING_ENTRIES, ring, 0))
		return false;
	if (ring_has_operations(ring))
		return true;
	io_uring_queue_exit(ring);
	return false;
}

struct crm_file_batch *crm_file_batch_new(void)
{
	struct crm_file_batch *b = calloc(1, sizeof(*b));

	if (b)
		b->ring_ok = ring_init(&b->ring);
	return b;
}

void crm_file_batch_free(struct crm_file_batch *b)
{
	if (b && b->ring_ok)
		io_uring_queue_exit(&b->ring);
	free(b);
}

bool crm_file_batch_uses_ring(const struct crm_file_batch *b)
{
	return b && b->ring_ok;
}

/* Lets the ring go: the calls are made one by one from now on. */
static void ring_give_up(struct crm_file_batch *b)
{
	io_uring_queue_exit(&b->ring);   /* cancels what is in flight */
	b->ring_ok = false;
}

/* Submits the `queued` entries and takes the completions of those the
 * kernel took, each result stored at the index its user data names (none
 * for UINT64_MAX); the caller set every result to -EIO before.  Returns
 * how many entries were submitted, the first ones: fewer than queued, or a
 * wait that fails, and the ring is given up, what it did not answer left
 * -EIO (the caller reads those files again one by one). */
static unsigned ring_run(struct crm_file_batch *b, unsigned queued, int *res)
{
	struct io_uring_cqe *cqe;
	unsigned seen = 0, submitted;
	int n;

	do
		n = io_uring_submit_and_wait(&b->ring, queued);
	while (n == -EINTR);
	submitted = n > 0 ? (unsigned)n : 0;
	while (seen < submitted) {
		int err = io_uring_wait_cqe(&b->ring, &cqe);
		if (err == -EINTR || err == -EAGAIN)
			continue;
		if (err < 0)
			break;
		if (cqe->user_data != UINT64_MAX)
			res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(&b->ring, cqe);
		seen++;
	}
	if (seen < queued)
		ring_give_up(b);
	return submitted;
}

static int open_one(int dirfd, const char *name, int flags)
{
	int fd = openat(dirfd, name, flags);
	return fd >= 0 ? fd : -errno;
}

void crm_file_batch_open(struct crm_file_batch *b, int dirfd, const char *const *names,
			 size_t n, int flags, int *fds)
{
	size_t i, done = 0;

	if (b && b->ring_ok && n && n <= CRM_FILE_BATCH_MAX) {
		for (i = 0; i < n; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&b->ring);
			io_uring_prep_openat(sqe, dirfd, names[i], flags, 0);
			io_uring_sqe_set_data64(sqe, i);
		}
		for (i = 0; i < n; i++)
			fds[i] = -EIO;
		done = ring_run(b, (unsigned)n, fds);
		/* a ring given up while waiting: what it did not answer is
		 * opened here, not reported as unreadable */
		for (i = 0; i < done && !b->ring_ok; i++)
			if (fds[i] == -EIO)
				fds[i] = open_one(dirfd, names[i], flags);
	}
	for (i = done; i < n; i++)
		fds[i] = open_one(dirfd, names[i], flags);
}

static ssize_t read_one(int fd, char *buf, size_t room)
{
	ssize_t got;

	do
		got = pread(fd, buf, room, 0);
	while (got < 0 && errno == EINTR);
	return got >= 0 ? got : -errno;
}

/* CRM_TEST_FAIL=file-batch-read: of every four reads, one as a kernel
 * that would not wait for the disk answers (EAGAIN), one as if the file
 * had grown past its room, so the tests see the callers read those again
 * alone (this kernel does neither on demand). */
static void pretend_failures(const size_t *room, size_t n, ssize_t *got)
{
	size_t i;

	if (!crm_test_fail("file-batch-read"))
		return;
	for (i = 0; i < n; i++) {
		if (i % 4 == 0)
			got[i] = -EAGAIN;
		else if (i % 4 == 1)
			got[i] = (ssize_t)room[i];
	}
}

void crm_file_batch_read_close(struct crm_file_batch *b, const int *fds, char *const *bufs,
			       const size_t *room, size_t n, ssize_t *got)
{
	int res[CRM_FILE_BATCH_MAX];
	size_t i, done = 0;
	unsigned taken;

	if (b && b->ring_ok && n && n <= CRM_FILE_BATCH_MAX) {
		for (i = 0; i < n; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&b->ring);
			io_uring_prep_read(sqe, fds[i], bufs[i], (unsigned)room[i], 0);
			/* the close follows the read whatever became of it */
			sqe->flags |= IOSQE_IO_HARDLINK;
			io_uring_sqe_set_data64(sqe, i);
			sqe = io_uring_get_sqe(&b->ring);
			io_uring_prep_close(sqe, fds[i]);
			io_uring_sqe_set_data64(sqe, UINT64_MAX);
		}
		for (i = 0; i < n; i++)
			res[i] = -EIO;
		/* a read and its close are entries 2i and 2i + 1 */
		taken = ring_run(b, (unsigned)(2 * n), res);
		for (i = 0; i < taken / 2; i++) {
			got[i] = res[i];
			if (got[i] > 0)
				VALGRIND_MAKE_MEM_DEFINED(bufs[i], (size_t)got[i]);
		}
		done = taken / 2;
		if (taken % 2) {   /* a read taken without its close: read again */
			got[done] = -EIO;
			close(fds[done]);
			done++;
		}
	}
	for (i = done; i < n; i++) {
		got[i] = read_one(fds[i], bufs[i], room[i]);
		close(fds[i]);
	}
	pretend_failures(room, n, got);
}
