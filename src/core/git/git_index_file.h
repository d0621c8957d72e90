/* git's index file read as a stream, without libgit2's index: its entries
 * one at a time and the cache-tree id of a folder, for the questions that
 * need a pass over 100 000 entries but not the entries kept in memory.
 * Only the files of src/core/git include it (and tests/unit/test_git_index.c
 * and tests/fuzz/fuzz_git_index.c). */
#ifndef CRM_GIT_INDEX_FILE_H
#define CRM_GIT_INDEX_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Not an error: the index holds something this reader leaves to libgit2
 * (version 4, a split or sparse index, flagged or unmerged entries, a
 * damaged or truncated file).  No message is set. */
#define INDEX_FILE_UNUSUAL 1
/* A callback's "enough": the walk stops, and returns it. */
#define INDEX_FILE_STOP 2

/* One stage-0 entry; the pointers live until the callback returns. */
struct index_file_entry {
	const char *path;              /* NUL-terminated, path_len bytes */
	size_t path_len;
	int32_t ctime_s, mtime_s;
	uint32_t ctime_ns, mtime_ns, ino, mode, size;
	const unsigned char *id;       /* 20 bytes */
};

struct index_file {
	int fd;
	uint64_t size;                 /* of the file, its trailing hash included */
	int64_t mtime_s;               /* the index's own, for racy entries */
	uint32_t version, count;
	/* the buffered window on the file: buf holds bytes [at, at + len) */
	uint64_t at;
	size_t pos, len;
	unsigned char *buf;
};

/* Opens the index file at `path` and reads its header: 0, or
 * INDEX_FILE_UNUSUAL when it is missing, unreadable or not a version 2 or
 * 3 index.  Close it with index_file_close in every case. */
int index_file_open(struct index_file *f, const char *path);
void index_file_close(struct index_file *f);

/* Checks every entry and extension, and finds the cache-tree id (the
 * TREE extension) of folder `prefix` ("" for the root, else "a/b/"): 0
 * with `tree_id` set and *tree_known true, or *tree_known false when the
 * index has no valid cache-tree entry there (after a commit that did not
 * write the index's trees, as crm's); INDEX_FILE_UNUSUAL when anything is
 * left to libgit2. */
int index_file_check(struct index_file *f, const char *prefix, unsigned char tree_id[20],
		     bool *tree_known);

/* Calls cb with every entry, in the index's order (path bytes); stops at
 * the first non-zero return of cb and returns it.  Callers rely on that
 * order after index_file_check said 0 (whose own walk is this one). */
int index_file_each(struct index_file *f, int (*cb)(const struct index_file_entry *e, void *payload),
		    void *payload);

#endif
