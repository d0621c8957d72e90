/* Paths below a root folder, resolved without following symbolic links:
 * a repository can carry links (a clone brings them along), and crm reads
 * and writes only the files that really lie inside it.  Each function opens
 * the folder that holds its file beneath `root` (openat2 RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS, or openat with O_NOFOLLOW one component at a time
 * where the kernel lacks it) and acts relative to that open folder, so no
 * link swapped in after a check is followed either.  `root` itself is
 * trusted as given; `rel` must be relative, without ".." components:
 * anything else is CRM_EINVALID, as is a link on the way, whose message
 * names it and where it leads. */
#ifndef CRM_BENEATH_H
#define CRM_BENEATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "crm/buf.h"

/* 0 when no component of `rel` (a relative path below the folder `root`)
 * is a symbolic link; a missing component ends the walk, as there is
 * nothing there to follow (a writer then creates real folders).
 * CRM_EINVALID naming the first link and where it leads, or a path that
 * is absolute or climbs with "..".  `root` itself is trusted as given. */
int crm_path_check_beneath(const char *root, const char *rel);

/* Reads the file `rel` below `root` into `b` (appending, at most `max`
 * bytes), opening each folder on the way from the one before it with
 * O_NOFOLLOW, so that no link is followed.  CRM_ENOTFOUND when it does not
 * exist, CRM_EINVALID for a link as crm_path_check_beneath. */
int crm_buf_read_file_beneath(struct crm_buf *b, const char *root, const char *rel,
			      size_t max);

/* Creates the file `rel` below `root`, which must not exist, holding
 * `data`: written in place, without a lock file and a rename, as git's
 * checkout writes files (for a writer whose journal removes what it
 * created when it is killed halfway).  CRM_EEXISTS when something is
 * there already; the folders on the way must exist.  `flush`: the file
 * and its folder are on disk when it returns. */
int crm_create_file_beneath(const char *root, const char *rel, const void *data, size_t len,
			    bool flush);

/* Replaces the file `rel` below `root` with `data` through a lock file in
 * its folder (crm/lockfile.h; `flush` as crm_write_file_atomic, else as
 * crm_write_file_atomic_unflushed).  The folders on the way must exist
 * (CRM_ENOTFOUND naming the first missing one); a link as the file itself
 * is refused too. */
int crm_write_file_beneath(const char *root, const char *rel, const void *data, size_t len,
			   bool flush);

/* Removes the file (or link) `rel` below `root`; CRM_ENOTFOUND when there
 * is none. */
int crm_unlink_beneath(const char *root, const char *rel);

/* Creates the folder `rel` below `root` (its parent must exist); *made_out
 * says whether it was made now.  A folder already there is fine, a link or
 * a file there is an error. */
int crm_mkdir_beneath(bool *made_out, const char *root, const char *rel);

/* Removes the empty folder `rel` below `root`. */
int crm_rmdir_beneath(const char *root, const char *rel);

/* Many files below one root, as the functions above but with the root and
 * the last folder left open between calls: a batch of files in one folder
 * then costs one openat each instead of a walk.  The open folder is the
 * one found when it was first opened; a caller that removes or renames
 * folders below `root` releases the batch first.  Release when done (it
 * may be used again after). */
struct crm_beneath {
	const char *root;
	int rootfd;                    /* -1 until first needed */
	char *dir;                     /* the folder dfd is, relative to root */
	int dfd;
};
#define CRM_BENEATH_INIT(root) { (root), -1, NULL, -1 }
void crm_beneath_release(struct crm_beneath *b);
/* crm_buf_read_file_beneath in the batch. */
int crm_beneath_read(struct crm_beneath *b, struct crm_buf *out, const char *rel, size_t max);
/* crm_create_file_beneath in the batch; *st_out (when not NULL): the new
 * file's stat data, as git's index records them. */
int crm_beneath_create(struct crm_beneath *b, const char *rel, const void *data, size_t len,
		       bool flush, struct stat *st_out);

#endif
