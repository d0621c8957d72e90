/* Lock-file writes: create "<path>.lock" with O_EXCL, write, fsync, rename.
 * The rename is the single moment the new content appears. */
#include <errno.h>
#include <fcntl.h>
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

static int locked_error(const char *lock_path)
{
	struct stat st;
	long age = -1;
	if (!stat(lock_path, &st))
		age = (long)(time(NULL) - st.st_mtime);
	return crm_error_set(CRM_ELOCKED, "'%s' exists%s%ld%s: another crm process is "
			     "writing, or one was killed; if no crm is running, remove it with "
			     "'rm %s'", lock_path, age >= 0 ? " (" : "", age,
			     age >= 0 ? " s old)" : "", lock_path);
}

int crm_lockfile_acquire(struct crm_lockfile *lk, const char *path, long timeout_ms)
{
	struct crm_buf b = CRM_BUF_INIT;
	long waited = 0;

	lk->fd = -1;
	lk->path = strdup(path);
	crm_buf_addf(&b, "%s.lock", path);
	lk->lock_path = crm_buf_detach(&b, NULL);
	if (!lk->path || !lk->lock_path) {
		free_paths(lk);
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	for (;;) {
		lk->fd = open(lk->lock_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (lk->fd >= 0)
			return 0;
		if (errno != EEXIST || waited >= timeout_ms) {
			/* the file the user named, not our lock beside it */
			int err = errno == EEXIST ? locked_error(lk->lock_path)
						  : crm_error_errno(CRM_EIO, "cannot write '%s'",
								    lk->path);
			free_paths(lk);
			return err;
		}
		usleep(20 * 1000);
		waited += 20;
	}
}

int crm_lockfile_write(struct crm_lockfile *lk, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(lk->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return crm_error_errno(CRM_EIO, "cannot write '%s'", lk->lock_path);
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void sync_folder(const char *path)
{
	char *copy = strdup(path), *slash;
	int fd;
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

int crm_lockfile_commit(struct crm_lockfile *lk)
{
	int err = 0;
	struct stat st;

	/* keep the mode the user gave the file */
	if (!stat(lk->path, &st))
		fchmod(lk->fd, st.st_mode & 07777);
	crm_test_pause("before-rename");
	if (fsync(lk->fd))
		err = crm_error_errno(CRM_EIO, "cannot flush '%s'", lk->lock_path);
	if (close(lk->fd) && !err)
		err = crm_error_errno(CRM_EIO, "cannot close '%s'", lk->lock_path);
	lk->fd = -1;
	if (!err && rename(lk->lock_path, lk->path))
		err = crm_error_errno(CRM_EIO, "cannot rename '%s' to '%s'", lk->lock_path,
				      lk->path);
	if (err)
		unlink(lk->lock_path);
	else
		sync_folder(lk->path);
	free_paths(lk);
	return err;
}

void crm_lockfile_rollback(struct crm_lockfile *lk)
{
	if (lk->fd >= 0) {
		close(lk->fd);
		lk->fd = -1;
	}
	if (lk->lock_path)
		unlink(lk->lock_path);
	free_paths(lk);
}

int crm_write_file_atomic(const char *path, const void *data, size_t len)
{
	struct crm_lockfile lk = CRM_LOCKFILE_INIT;
	int err = crm_lockfile_acquire(&lk, path, 2000);
	if (err)
		return err;
	err = crm_lockfile_write(&lk, data, len);
	if (err) {
		crm_lockfile_rollback(&lk);
		return err;
	}
	return crm_lockfile_commit(&lk);
}
