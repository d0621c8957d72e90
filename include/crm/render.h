/* Records as text and as JSON, shared by every command that prints them:
 * one cell of a table, one field's JSON, a whole record's JSON. */
#ifndef CRM_RENDER_H
#define CRM_RENDER_H

#include "crm/buf.h"
#include "crm/index.h"
#include "crm/json.h"

/* Appends field `name` of `rec` as one line of text: scalars as written or
 * computed (money "12000.00 EUR"), lists of scalars comma-separated, lists
 * of mappings as "N entries".  Errors of computed fields as "#error". */
int crm_render_cell(struct crm_buf *out, struct crm_index *idx, struct crm_record *rec,
		    const char *name);
/* crm_render_cell for a table people read: money and numbers grouped in the
 * display locale ("45,000.00 PLN", see crm_money_format_display).  CSV and
 * YAML keep crm_render_cell. */
int crm_render_cell_display(struct crm_buf *out, struct crm_index *idx,
			    struct crm_record *rec, const char *name);
/* Emits field `name` as JSON: typed scalars (money as {"amount",
 * "currency"}, numbers as numbers), lists as arrays, list entries as
 * objects, absent as null. */
int crm_render_field_json(struct crm_json *j, struct crm_index *idx,
			  struct crm_record *rec, const char *name);
/* {"type", "id", "path", then every stored and computed field by schema
 * order (a field the file leaves out as its schema default), then unknown
 * keys as text, "defaulted": the names of those defaults}; `with_backrefs`
 * adds "referenced_by" and always writes "defaulted", else it is written
 * only when the list is not empty. */
int crm_render_record_json(struct crm_json *j, struct crm_index *idx,
			   struct crm_record *rec, bool with_backrefs);
/* A text value as a YAML scalar: plain when safe, double-quoted otherwise. */
int crm_render_yaml_scalar(struct crm_buf *out, const char *text);

#endif
