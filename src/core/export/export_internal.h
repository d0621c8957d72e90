/* What the export writers share inside src/core/export: each format's
 * writer over the records of one type, called by crm_export_type. */
#ifndef CRM_EXPORT_INTERNAL_H
#define CRM_EXPORT_INTERNAL_H

#include "crm/array.h"
#include "crm/export.h"

/* The columns an export writes after the id: the schema's fields in its
 * order (the score of crm.ini among them), then the computed follow-up
 * fields of a client, contact or deal (last_activity, next_step) that the
 * schema does not define itself.  The fields are borrowed; release the
 * array with CRM_ARRAY_RELEASE (it is released already on CRM_ENOMEM). */
typedef CRM_ARRAY(const struct crm_field *) crm_export_columns;
int crm_export_columns_of(crm_export_columns *out, const struct crm_schema *s);

/* The records of `s`, each decoded in turn: `fn` sees one at a time, and
 * the index may drop the trees of those already seen (bounded memory). */
int crm_export_each(struct crm_index *idx, const struct crm_schema *s,
		    int (*fn)(struct crm_index *idx, struct crm_record *rec, void *payload),
		    void *payload);

/* An xlsx workbook at `path`: one sheet named after the type, typed cells
 * (export_xlsx.c, the export side's only user of libxlsxwriter). */
int crm_export_xlsx(struct crm_index *idx, const struct crm_schema *s, const char *path);
/* Contacts as vCards 3.0 or 4.0 (export_vcard.c). */
int crm_export_vcards(struct crm_buf *out, struct crm_index *idx, const struct crm_schema *s,
		      int version);
/* Tasks (VTODO) or activities (VEVENT) as one VCALENDAR (ical.c, the only
 * file that includes libical). */
int crm_export_ical(struct crm_buf *out, struct crm_index *idx, const struct crm_schema *s);

#endif
