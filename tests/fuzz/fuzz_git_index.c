/* Fuzz target: git's index file as crm's own stream reader reads it
 * (src/core/git/git_index_file.c: the merge guard's unmerged files, the
 * figures' uncommitted check, the cache-tree of a commit).  git writes the
 * file, but a crash, a disk or another tool can leave anything there: any
 * bytes are read or left to libgit2 (INDEX_FILE_UNUSUAL), never a crash or
 * a read outside the file.  An index the check accepts walks again with
 * exactly its count of entries in strictly increasing path order, which
 * its callers rely on to merge the walk with theirs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crm/buf.h"
#include "core/git/git_index_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct walk {
	struct crm_buf prev;
	uint32_t seen;
	bool failed;
};

static int in_order(const struct index_file_entry *e, void *payload)
{
	struct walk *w = payload;

	if (strlen(e->path) != e->path_len || !e->path_len ||
	    (w->seen && strcmp(w->prev.ptr, e->path) >= 0))
		w->failed = true;
	crm_buf_reset(&w->prev);
	crm_buf_add(&w->prev, e->path, e->path_len);
	w->seen++;
	return 0;
}

/* The index file at `path` checked with `prefix`, then walked. */
static void read_index(const char *path, const char *prefix)
{
	struct index_file f;
	struct walk w = { CRM_BUF_INIT, 0, false };
	unsigned char tree_id[20];
	bool tree_known = false;
	int rc = index_file_open(&f, path);

	if (!rc)
		rc = index_file_check(&f, prefix, tree_id, &tree_known);
	if (!rc) {
		if (index_file_each(&f, in_order, &w) || w.failed || w.seen != f.count) {
			fprintf(stderr, "fuzz_git_index: an index the check accepted walks %u of "
				"%u entries%s\n", w.seen, f.count, w.failed ? ", out of order" : "");
			abort();
		}
	}
	crm_buf_release(&w.prev);
	index_file_close(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the reader takes a path: the bytes become a file in memory */
	int fd = memfd_create("fuzz-index", MFD_CLOEXEC);
	char path[64];

	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	read_index(path, "");
	read_index(path, "clients/");
	close(fd);
	return 0;
}
