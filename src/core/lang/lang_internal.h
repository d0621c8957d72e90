/* What the files of src/core/lang share, and only they: the helpers the
 * filter language (filter.c) and the ordering of values (value_order.c)
 * both need, defined in filter.c. */
#ifndef CRM_LANG_INTERNAL_H
#define CRM_LANG_INTERNAL_H

#include <stdbool.h>

#include "crm/arena.h"
#include "crm/index.h"

/* `s` case-folded into `a` (as written when it does not fold); NULL when
 * out of memory. */
char *crm_lang_fold(struct crm_arena *a, const char *s);

/* The place of stage `name` in crm.ini's pipeline, -1 when not one. */
int crm_lang_stage_place(const struct crm_config *cfg, const char *name);

/* Whether fields of `type` hold a list (tags, refs, files, list, map). */
bool crm_lang_holds_list(enum crm_field_type type);

/* The stored field a lookup ends at, following lookups of lookups; NULL
 * when the chain passes a reference to any type (values decide then). */
const struct crm_field *crm_lang_lookup_end(struct crm_index *idx, const struct crm_schema *s,
					    const struct crm_field *f);

/* The currency money is compared in: crm.ini's. */
static inline const char *crm_lang_base_currency(const struct crm_index *idx)
{
	return crm_index_repo(idx)->config.currency;
}

#endif
