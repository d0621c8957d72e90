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
	/* The follow-up of the record (followup.c), computed once per index
	 * from every activity and kept across crm_index_trim: the date of the
	 * latest activity about it, and the activity whose next step is its
	 * open one. */
	struct crm_record *step_from; /* NULL: no open next step */
	crm_date last_activity;
	crm_date step_at;             /* step_from's own date (the latest wins) */
	crm_date step_date;           /* its next_step.date, when step_dated */
	size_t nactivities;           /* the activities counted, dated or not */
	bool has_activity, step_dated, step_open;
};

/* The memo of `rec`.  A record of the index's array has one from the load;
 * a record made outside the index (memo NULL) is given one here, in the
 * index's arena (added -1, nothing computed).  NULL, with the error set,
 * when memory ran out. */
struct crm_record_memo *crm_record_memo(struct crm_index *idx, const struct crm_record *rec);

#endif
