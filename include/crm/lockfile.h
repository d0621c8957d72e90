/* Atomic file replacement through a lock file in the same folder (git's
 * lockfile.c): "<path>.lock" is created exclusively, written, flushed to
 * disk, then renamed over <path>.  A process killed at any point leaves
 * either the old or the new file, never a torn one.  A stale lock left by a
 * killed process is reported with its age and the command that removes it. */
#ifndef CRM_LOCKFILE_H
#define CRM_LOCKFILE_H

#include <stddef.h>

struct crm_lockfile {
	char *path;        /* the file to replace */
	char *lock_path;   /* path + ".lock" */
	int fd;            /* -1 when not held */
};

#define CRM_LOCKFILE_INIT { NULL, NULL, -1 }

/* Takes the lock for `path`, waiting up to `timeout_ms` for another process
 * to release it.  CRM_ELOCKED with a message naming the lock file and its
 * age when it stays taken. */
int crm_lockfile_acquire(struct crm_lockfile *lk, const char *path, long timeout_ms);
/* Writes all of data to the lock file. */
int crm_lockfile_write(struct crm_lockfile *lk, const void *data, size_t len);
/* fsyncs, closes and renames the lock over the file (and fsyncs the
 * folder); the lock is released either way. */
int crm_lockfile_commit(struct crm_lockfile *lk);
/* Drops the lock without touching the file (safe to call twice). */
void crm_lockfile_rollback(struct crm_lockfile *lk);

/* Replaces `path` with data in one step (acquire, write, commit). */
int crm_write_file_atomic(const char *path, const void *data, size_t len);

#endif
