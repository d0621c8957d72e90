/* Paths below a root folder, resolved without following symbolic links:
 * a repository can carry links (a clone brings them along), and crm reads
 * and writes only the files that really lie inside it. */
#ifndef CRM_BENEATH_H
#define CRM_BENEATH_H

#include <stddef.h>

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

#endif
