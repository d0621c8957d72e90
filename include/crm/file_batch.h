/* Opening and reading runs of small files with few system calls: a load
 * opens, reads and closes ten thousand record files of a few hundred bytes
 * each, and on a virtual machine the kernel's entry and exit for each of
 * those calls was a fifth of the work.  Through io_uring a run of files is
 * opened with one call and read and closed with another.  Where io_uring
 * is not allowed (a kernel before 5.6, a container's seccomp profile,
 * CRM_NO_IO_URING=1) the same calls are made one by one: the results are
 * the same either way.
 *
 * A batch belongs to one thread. */
#ifndef CRM_FILE_BATCH_H
#define CRM_FILE_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The most files one call takes. */
#define CRM_FILE_BATCH_MAX 64

struct crm_file_batch;

/* A batch for the calling thread; NULL when out of memory (the caller
 * then makes the calls itself). */
struct crm_file_batch *crm_file_batch_new(void);
void crm_file_batch_free(struct crm_file_batch *b);

/* Whether the calls go through io_uring (CRM_TRACE tells). */
bool crm_file_batch_uses_ring(const struct crm_file_batch *b);

/* openat(dirfd, names[i], flags) for each of the n (at most
 * CRM_FILE_BATCH_MAX) names: fds[i] is the descriptor, or minus errno. */
void crm_file_batch_open(struct crm_file_batch *b, int dirfd, const char *const *names,
			 size_t n, int flags, int *fds);

/* Reads up to room[i] bytes (under 2 GiB) from the start of fds[i] into
 * bufs[i], then closes fds[i], for each of the n (at most
 * CRM_FILE_BATCH_MAX): got[i] is how many bytes were read (one read: a
 * regular file's falls short only at its end), or minus errno (EAGAIN
 * from a kernel that will not wait for the disk on a descriptor opened
 * O_NONBLOCK: the caller reads that file again by itself). */
void crm_file_batch_read_close(struct crm_file_batch *b, const int *fds, char *const *bufs,
			       const size_t *room, size_t n, ssize_t *got);

#endif
