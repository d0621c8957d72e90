/* The one order of values, and the --sort of records built on it
 * (src/core/lang/value_order.c): what crm ls --sort and every sorted list
 * use, so that two listings never disagree about which value comes first. */
#ifndef CRM_ORDER_H
#define CRM_ORDER_H

#include <stddef.h>

#include "crm/index.h"

/* Orders two values of one field: NULL first, then by type (money through
 * the base currency, text case-folded); -1, 0, 1. */
int crm_value_compare(struct crm_index *idx, const struct crm_value *a,
		      const struct crm_value *b);

/* Sorts records by a --sort spec "field,-other" (a leading '-' for
 * descending); ties keep path order.  CRM_EUSAGE for an unknown field. */
int crm_records_sort(struct crm_record **recs, size_t n, struct crm_index *idx,
		     const struct crm_schema *s, const char *spec);

#endif
