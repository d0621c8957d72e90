/* Field-by-field three-way merge of one record file (SPEC section 6): edits
 * to different fields both survive; the same field changed two ways is a
 * conflict kept in the file with both values, which `crm check` reports and
 * `crm resolve` settles; tags merge as sets and history entries as a union
 * ordered by date.  Nothing is lost either way. */
#ifndef CRM_MERGE_H
#define CRM_MERGE_H

#include <stddef.h>

#include "crm/buf.h"

/* Merges `ours` and `theirs` against their common ancestor `base` (empty
 * when the record was added on both sides).  The result starts from ours,
 * so its comments and layout survive.  *conflicts_out counts the fields
 * left in conflict.  CRM_EINVALID when a version does not parse.
 * The result is parsed again and compared, key by key, with what the merge
 * meant; when it does not parse or differs, `out` holds both versions
 * whole between git's conflict markers (<<<<<<< ours, =======,
 * >>>>>>> theirs), *conflicts_out is 1 and the return is CRM_ECONFLICT
 * with the reason in crm_error_last(): a broken record is never written. */
int crm_merge_record(struct crm_buf *out, size_t *conflicts_out,
		     const char *base, size_t base_len, const char *ours, size_t ours_len,
		     const char *theirs, size_t theirs_len);

/* Appends what changed between two versions of a record, one line per
 * field, each starting with `indent`: "field: old -> new", "+field: new"
 * or "-field: old" (values on one line, flow style).  Either text may be
 * NULL (the record was added or removed).  *changes_out counts the lines. */
int crm_record_diff(struct crm_buf *out, size_t *changes_out, const char *indent,
		    const char *old_text, size_t old_len, const char *new_text, size_t new_len);

#endif
