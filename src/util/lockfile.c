/* Lock-file writes: create "<path>.lock" with O_EXCL, write, fsync, rename.
 * The rename is the single moment the new content appears.  Every step works
 * relative to a folder (AT_FDCWD for plain paths), so a writer that opened
 * the folder beneath a root (beneath.c) follows no link to it. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/lockfile.h"
#include "util/testhook.h"

static void free_paths(struct crm_lockfile *lk)
{
	free(lk->path);
	free(lk->lock_path);
	lk->path = lk->lock_path = NULL;
}

static int locked_error(int dfd, const char *lock_path)
{
	struct stat st;
	long age = -1;
	if (!fstatat(dfd, lock_path, &st, AT_SYMLINK_NOFOLLOW))
		age = (long)(time(NULL) - st.st_mtime);
	return crm_error_set(CRM_ELOCKED, "'%s' exists%s%ld%s: another crm process is "
			     "writing, or one was killed; if no crm is running, remove it with "
			     "'rm %s'", lock_path, age >= 0 ? " (" : "", age,
			     age >= 0 ? " s old)" : "", lock_path);
}

int crm_lockfile_acquire(struct crm_lockfile *lk, const char *path, long timeout_ms)
{
	return crm_lockfile_acquire_at(lk, AT_FDCWD, path, timeout_ms);
}

int crm_lockfile_acquire_at(struct crm_lockfile *lk, int dfd, const char *path,
			    long timeout_ms)
{
	struct crm_buf b = CRM_BUF_INIT;
	long waited = 0;

	lk->fd = -1;
	lk->dfd = dfd;
	lk->path = strdup(path);
	crm_buf_addf(&b, "%s.lock", path);
	lk->lock_path = crm_buf_detach(&b, NULL);
	if (!lk->path || !lk->lock_path) {
		free_paths(lk);
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	for (;;) {
		lk->fd = openat(dfd, lk->lock_path,
				O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (lk->fd >= 0)
			return 0;
		if (errno != EEXIST || waited >= timeout_ms) {
			/* the file the user named, not our lock beside it */
			int err = errno == EEXIST ? locked_error(dfd, lk->lock_path)
						  : crm_error_errno(CRM_EIO, "cannot write '%s'",
								    lk->path);
			free_paths(lk);
			return err;
		}
		usleep(20 * 1000);
		waited += 20;
	}
}

/* "pid host": who holds an owned lock. */
static void owner_line(char *out, size_t size)
{
	char host[256];
	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	snprintf(out, size, "%ld %s\n", (long)getpid(), host);
}

/* Whether the owner line of `lock_path` names a process of this host that
 * has died.  An empty or unreadable line (a lock being created, or one
 * written by an older crm) and a process on another host count as alive. */
static bool owner_is_dead(const char *lock_path, char *seen, size_t size)
{
	char host[256], mine[256];
	long pid = 0;
	ssize_t n;
	int fd = open(lock_path, O_RDONLY | O_CLOEXEC);

	seen[0] = '\0';
	if (fd < 0)
		return false;
	n = read(fd, seen, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	seen[n] = '\0';
	if (sscanf(seen, "%ld %255s", &pid, host) != 2 || pid <= 0)
		return false;
	if (gethostname(mine, sizeof(mine)))
		return false;
	mine[sizeof(mine) - 1] = '\0';
	return !strcmp(host, mine) && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* Replaces `lock_path`, whose owner died, by a lock naming us, under a
 * second lock "<lock>.break" so that two processes never both take it
 * over: the owner is read again under it.  The open lock, or -1. */
static int take_over(const char *lock_path, const char *dead_owner)
{
	struct crm_buf brk = CRM_BUF_INIT, mine = CRM_BUF_INIT;
	char line[320], again[320];
	int bfd, fd = -1;

	crm_buf_addf(&brk, "%s.break", lock_path);
	crm_buf_addf(&mine, "%s.%ld", lock_path, (long)getpid());
	bfd = open(brk.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (bfd < 0) {
		/* one left by a process killed while taking over: taking over
		 * lasts milliseconds, so one ten seconds old is stale */
		struct stat st;
		if (errno == EEXIST && !stat(brk.ptr, &st) && time(NULL) - st.st_mtime > 10)
			unlink(brk.ptr);
		goto done;
	}
	close(bfd);
	if (!owner_is_dead(lock_path, again, sizeof(again)) || strcmp(again, dead_owner))
		goto unbreak;
	fd = open(mine.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		goto unbreak;
	owner_line(line, sizeof(line));
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line) || rename(mine.ptr, lock_path)) {
		close(fd);
		unlink(mine.ptr);
		fd = -1;
	}
unbreak:
	unlink(brk.ptr);
done:
	crm_buf_release(&brk);
	crm_buf_release(&mine);
	return fd;
}

int crm_lockfile_acquire_owned(struct crm_lockfile *lk, const char *path, long timeout_ms,
			       long *dead_pid_out)
{
	struct crm_buf lock_path = CRM_BUF_INIT;
	char line[320];
	long waited = 0;
	int err;

	*dead_pid_out = 0;
	crm_buf_addf(&lock_path, "%s.lock", path);
	for (;;) {
		err = crm_lockfile_acquire(lk, path, 0);
		if (!err) {
			owner_line(line, sizeof(line));
			err = crm_lockfile_write(lk, line, strlen(line));
			break;
		}
		if (err != CRM_ELOCKED)
			break;
		if (owner_is_dead(lock_path.ptr, line, sizeof(line))) {
			lk->fd = take_over(lock_path.ptr, line);
			if (lk->fd >= 0) {
				lk->path = strdup(path);
				lk->lock_path = crm_buf_detach(&lock_path, NULL);
				*dead_pid_out = strtol(line, NULL, 10);
				err = lk->path ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");
				break;
			}
		}
		if (waited >= timeout_ms)
			break;
		usleep(20 * 1000);
		waited += 20;
	}
	crm_buf_release(&lock_path);
	return err;
}

int crm_fd_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int crm_lockfile_write(struct crm_lockfile *lk, const void *data, size_t len)
{
	if (crm_fd_write_all(lk->fd, data, len))
		return crm_error_errno(CRM_EIO, "cannot write '%s'", lk->lock_path);
	return 0;
}

static void sync_folder(int dfd, const char *path)
{
	char *copy, *slash;
	int fd;
	if (dfd != AT_FDCWD) {
		fsync(dfd);
		return;
	}
	copy = strdup(path);
	if (!copy)
		return;
	slash = strrchr(copy, '/');
	if (slash)
		*slash = '\0';
	fd = open(slash ? (*copy ? copy : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

static int commit_lock(struct crm_lockfile *lk, bool flush)
{
	int err = 0;
	struct stat st;

	/* keep the mode the user gave the file */
	if (!fstatat(lk->dfd, lk->path, &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode))
		fchmod(lk->fd, st.st_mode & 07777);
	crm_test_pause("before-rename");
	if (flush && fsync(lk->fd))
		err = crm_error_errno(CRM_EIO, "cannot flush '%s'", lk->lock_path);
	if (close(lk->fd) && !err)
		err = crm_error_errno(CRM_EIO, "cannot close '%s'", lk->lock_path);
	lk->fd = -1;
	if (!err && renameat(lk->dfd, lk->lock_path, lk->dfd, lk->path))
		err = crm_error_errno(CRM_EIO, "cannot rename '%s' to '%s'", lk->lock_path,
				      lk->path);
	if (err)
		unlinkat(lk->dfd, lk->lock_path, 0);
	else if (flush)
		sync_folder(lk->dfd, lk->path);
	free_paths(lk);
	return err;
}

int crm_lockfile_commit(struct crm_lockfile *lk)
{
	return commit_lock(lk, true);
}

void crm_lockfile_rollback(struct crm_lockfile *lk)
{
	if (lk->fd >= 0) {
		close(lk->fd);
		lk->fd = -1;
	}
	if (lk->lock_path)
		unlinkat(lk->dfd, lk->lock_path, 0);
	free_paths(lk);
}

int crm_write_file_atomic_at(int dfd, const char *path, const void *data, size_t len,
			     bool flush)
{
	struct crm_lockfile lk = CRM_LOCKFILE_INIT;
	int err = crm_lockfile_acquire_at(&lk, dfd, path, 2000);
	if (err)
		return err;
	err = crm_lockfile_write(&lk, data, len);
	if (err) {
		crm_lockfile_rollback(&lk);
		return err;
	}
	return commit_lock(&lk, flush);
}

int crm_write_file_atomic(const char *path, const void *data, size_t len)
{
	return crm_write_file_atomic_at(AT_FDCWD, path, data, len, true);
}

int crm_write_file_atomic_unflushed(const char *path, const void *data, size_t len)
{
	return crm_write_file_atomic_at(AT_FDCWD, path, data, len, false);
}

int crm_flush_filesystem(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return crm_error_errno(CRM_EIO, "cannot open '%s'", path);
	if (syncfs(fd))
		err = crm_error_errno(CRM_EIO, "cannot flush the files below '%s'", path);
	close(fd);
	return err;
}
