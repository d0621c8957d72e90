/* What the files of src/core/import share: turning one cell text into the
 * text a field stores (dates, amounts, enums); rows are matched through
 * crm/dedupe.h. */
#ifndef CRM_IMPORT_INTERNAL_H
#define CRM_IMPORT_INTERNAL_H

#include "crm/table.h"
#include "crm/dedupe.h"
#include "crm/import.h"
#include "crm/map.h"
#include "crm/schema.h"

/* Normalises `in` (already value-mapped) as field `f` stores it into
 * `out`: dates to YYYY-MM-DD by `date_format` ("excel": serial days),
 * money to "1250.50 EUR" (grouping and the decimal mark removed), numbers
 * likewise, enum and stage names to an allowed spelling when one matches
 * case-insensitively.  0, or CRM_EINVALID with a message (no location). */
int import_normalise(struct crm_buf *out, struct crm_index *idx, const struct crm_field *f,
		     const char *in, const char *date_format, char decimal_mark);

/* Whether `data` is a vCard file (BEGIN:VCARD after blanks or a BOM). */
bool import_is_vcard(const char *data, size_t len);
/* The cards of a vCard file as a table: one row a card, columns named like
 * the contact fields the cards give (see crm_vcard_contact_fields).
 * CRM_EINVALID naming `display` when the file does not parse. */
int import_vcard_table(struct crm_csv_file *out, struct crm_index *idx, const char *data,
		       size_t len, const char *display);

#endif
