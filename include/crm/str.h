/* Small string helpers shared by the lookups of the hot paths. */
#ifndef CRM_STR_H
#define CRM_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Whether two NUL-terminated strings are the same, the same text at the
 * same place, or the first two bytes compared before the call: a name
 * looked up among a handful (a record's keys, a schema's fields, crm.ini's
 * stages, the record types) mostly differs there (a deal's six fields
 * that start with 'c' do not after it), and the figures look up several
 * for every record.  A decoded record's keys are the schema's own names,
 * which is what a field's value is looked up with. */
static inline bool crm_str_eq(const char *a, const char *b)
{
	if (a == b)
		return true;
	if (a[0] != b[0])
		return false;
	return !a[0] || (a[1] == b[1] && !strcmp(a, b));
}

/* `src` copied into the `size` bytes at `dst`, cut short to fit and always
 * ended with a NUL (size > 0): snprintf's "%s" without its format parser,
 * for the currency codes the figures copy several times a record (at a
 * million records those printf calls were a tenth of the figures' pass). */
void crm_str_copy(char *dst, size_t size, const char *src);

#endif
