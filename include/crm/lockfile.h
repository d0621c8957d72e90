/* Atomic file replacement through a lock file in the same folder (git's
 * lockfile.c): "<path>.lock" is created exclusively, written, flushed to
 * disk, then renamed over <path>.  A process killed at any point leaves
 * either the old or the new file, never a torn one.  A stale lock left by a
 * killed process is reported with its age and the command that removes it. */
#ifndef CRM_LOCKFILE_H
#define CRM_LOCKFILE_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>

struct crm_lockfile {
	char *path;        /* the file to replace */
	char *lock_path;   /* path + ".lock" */
	int fd;            /* -1 when not held */
	int dfd;           /* the folder both paths are relative to, or AT_FDCWD */
};

#define CRM_LOCKFILE_INIT { NULL, NULL, -1, AT_FDCWD }

/* Takes the lock for `path`, waiting up to `timeout_ms` for another process
 * to release it.  CRM_ELOCKED with a message naming the lock file and its
 * age when it stays taken. */
int crm_lockfile_acquire(struct crm_lockfile *lk, const char *path, long timeout_ms);
/* Like crm_lockfile_acquire for the file `name` in the open folder `dfd`
 * (the caller keeps `dfd` open until commit or rollback, and closes it):
 * the lock is created, renamed and removed relative to that folder, so no
 * link on the way to it is followed (see crm/beneath.h). */
int crm_lockfile_acquire_at(struct crm_lockfile *lk, int dfd, const char *name,
			    long timeout_ms);
/* Like crm_lockfile_acquire, for a lock held over a whole operation: the
 * lock file names its holder ("pid host"), and a lock whose holder on
 * this host has died is taken over instead of waited for (*dead_pid_out
 * then names the dead holder, else it is 0). */
int crm_lockfile_acquire_owned(struct crm_lockfile *lk, const char *path, long timeout_ms,
			       long *dead_pid_out);
/* Writes all of data to the lock file. */
int crm_lockfile_write(struct crm_lockfile *lk, const void *data, size_t len);
/* fsyncs, closes and renames the lock over the file (and fsyncs the
 * folder); the lock is released either way. */
int crm_lockfile_commit(struct crm_lockfile *lk);
/* Drops the lock without touching the file (safe to call twice). */
void crm_lockfile_rollback(struct crm_lockfile *lk);

/* Writes all of data[0..len) to `fd`, again after EINTR: 0, or -1 with
 * errno set. */
int crm_fd_write_all(int fd, const void *data, size_t len);

/* Replaces `path` with data in one step (acquire, write, commit). */
int crm_write_file_atomic(const char *path, const void *data, size_t len);
/* The same without flushing the file and its folder to disk: for a writer
 * of many files that keeps a journal of what they held and flushes them
 * all at once with crm_flush_filesystem (one flush instead of two a file). */
int crm_write_file_atomic_unflushed(const char *path, const void *data, size_t len);
/* crm_write_file_atomic and crm_write_file_atomic_unflushed (`flush`
 * false) for the file `name` in the open folder `dfd`. */
int crm_write_file_atomic_at(int dfd, const char *name, const void *data, size_t len,
			     bool flush);
/* Flushes every file of the file system that holds `path` (syncfs). */
int crm_flush_filesystem(const char *path);

#endif
