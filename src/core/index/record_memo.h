/* The index's memo of one record, behind the opaque struct crm_record_memo
 * of include/crm/index.h.  Included only by the index's own files: everyone
 * else reads it through crm_index_value, crm_index_backrefs and
 * crm_record_created. */
#ifndef CRM_RECORD_MEMO_H
#define CRM_RECORD_MEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "crm/index.h"
#include "crm/value.h"

struct crm_record_memo {
	struct crm_backref *referenced_by;  /* filled in by crm_index_backrefs */
	struct crm_value *values;     /* values of the computed fields, in schema order */
	unsigned char *state;         /* 0 not computed, 1 computing, 2 done */
	int64_t added;                /* time of the commit that added the file, or -1 */
	bool backrefs_known;          /* referenced_by filled in */
};

/* The memo of `rec`.  A record of the index's array has one from the load;
 * a record made outside the index (memo NULL) is given one here, in the
 * index's arena (added -1, nothing computed).  NULL, with the error set,
 * when memory ran out. */
struct crm_record_memo *crm_record_memo(struct crm_index *idx, const struct crm_record *rec);

#endif
