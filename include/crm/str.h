/* Small string helpers shared by the lookups of the hot paths. */
#ifndef CRM_STR_H
#define CRM_STR_H

#include <stdbool.h>
#include <string.h>

/* Whether two NUL-terminated strings are the same, the first byte
 * compared before the call: a name looked up among a handful (a
 * record's keys, a schema's fields, crm.ini's stages, the record types)
 * mostly differs there, and the figures look up several for every
 * record. */
static inline bool crm_str_eq(const char *a, const char *b)
{
	return a[0] == b[0] && !strcmp(a, b);
}

#endif
