/* `crm check`: every problem of a data repository in one run, each a
 * located diagnostic with a code from the catalogue in doc/diagnostics.md. */
#ifndef CRM_CHECK_H
#define CRM_CHECK_H

#include "crm/diag.h"
#include "crm/index.h"

/* Validates every loaded record against its schema, crm.ini and the other
 * records, adding findings to `out` (which also receives the repository's
 * and the loader's findings).  Returns the number of errors. */
size_t crm_check_run(struct crm_index *idx, struct crm_diags *out);

/* Checks one record on its own (fields, computed fields, time order; not
 * the checks across records such as unique), adding findings to `out`.
 * Used to check a file being edited before it is saved.  Returns the
 * number of errors. */
size_t crm_check_record(struct crm_index *idx, struct crm_record *rec, struct crm_diags *out);

/* What a write would leave behind, checked before it is committed: `text`
 * as the new content of `rec` (a record of the index, or a new one the
 * caller describes with schema, id and path and no tree), field by field,
 * in time order, and its `unique` fields against the type's other records
 * (a point check: its cost does not grow with other types).  Every finding
 * of the new text is added to `out`; the return value counts the errors
 * that the record's current version does not already have, so an old
 * problem a change leaves alone never blocks it.  A text that does not
 * parse counts its syntax errors. */
size_t crm_check_change(struct crm_index *idx, const struct crm_record *rec,
			const char *text, size_t len, struct crm_diags *out);

/* Every diagnostic code the tool can emit, NULL-terminated (the catalogue
 * test compares it with doc/diagnostics.md). */
extern const char *const crm_check_codes[];

#endif
