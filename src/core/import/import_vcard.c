/* vCard files as the rows of an import: each card becomes one row whose
 * columns are named like the contact's fields (crm_vcard_contact_fields
 * decides what a card means), so `crm import contact FILE.vcf` runs the
 * same plan, matching and checks as a CSV file with those columns. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm/error.h"
#include "crm/export.h"
#include "crm/vcard.h"
#include "core/import/import_internal.h"

bool import_is_vcard(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
			   data[i] == '\n'))
		i++;
	return len - i >= 11 && !strncasecmp(data + i, "BEGIN:VCARD", 11);
}

struct column_names {
	const char **ptr;
	size_t len, cap;
};

/* The column of `name`, added when new. */
static long column_of(struct crm_csv_file *out, struct column_names *names, const char *name)
{
	size_t i;
	const char **slot;

	for (i = 0; i < names->len; i++) {
		if (!strcmp(names->ptr[i], name))
			return (long)i;
	}
	slot = CRM_ARRAY_PUSH(*names);
	if (!slot)
		return -1;
	*slot = name;
	out->ncols = names->len;
	return (long)i;
}

static int add_cell(struct crm_csv_file *out, const char *text)
{
	char **slot = CRM_ARRAY_PUSH(out->cells);

	if (!slot || !(*slot = strdup(text ? text : "")))
		return crm_error_set(CRM_ENOMEM, "out of memory");
	return 0;
}

int import_vcard_table(struct crm_csv_file *out, struct crm_index *idx, const char *data,
		       size_t len, const char *display)
{
	struct crm_contact_field fields[CRM_CONTACT_MAX_FIELDS];
	struct column_names names = CRM_ARRAY_INIT;
	const char *values[CRM_CONTACT_MAX_FIELDS * 2];
	struct crm_vcards cards;
	size_t c, k, n;
	int err;

	memset(out, 0, sizeof(*out));
	crm_vcards_init(&cards);
	err = crm_vcard_parse(&cards, data, len);
	if (err) {
		err = crm_error_set(CRM_EINVALID, "%s: %s", display, crm_error_last());
		goto done;
	}
	/* the columns first, so every row has the same width */
	for (c = 0; c < cards.cards.len && !err; c++) {
		crm_vcard_contact_fields(fields, &n, &cards.arena, idx, &cards.cards.ptr[c]);
		for (k = 0; k < n; k++) {
			if (column_of(out, &names, fields[k].name) < 0)
				err = crm_error_set(CRM_ENOMEM, "out of memory");
		}
	}
	for (c = 0; c < cards.cards.len && !err; c++) {
		struct crm_csv_row *row = CRM_ARRAY_PUSH(out->rows);
		if (!row) {
			err = crm_error_set(CRM_ENOMEM, "out of memory");
			break;
		}
		row->first = out->cells.len;
		row->ncells = names.len;
		row->number = c + 1;
		memset(values, 0, sizeof(values));
		crm_vcard_contact_fields(fields, &n, &cards.arena, idx, &cards.cards.ptr[c]);
		for (k = 0; k < n; k++)
			values[column_of(out, &names, fields[k].name)] = fields[k].value;
		for (k = 0; k < names.len && !err; k++)
			err = add_cell(out, values[k]);
	}
	/* the column names outlive the cards: they are cells of their own */
	out->columns = NULL;
	if (!err && names.len) {
		size_t first = out->cells.len;
		out->columns = calloc(names.len, sizeof(*out->columns));
		for (k = 0; k < names.len && !err && out->columns; k++)
			err = add_cell(out, names.ptr[k]);
		for (k = 0; k < names.len && !err && out->columns; k++)
			out->columns[k] = out->cells.ptr[first + k];
		if (!out->columns)
			err = crm_error_set(CRM_ENOMEM, "out of memory");
	}
	out->has_header = true;
	out->sep = ',';
	out->encoding = "vCard";
done:
	CRM_ARRAY_RELEASE(names);
	crm_vcards_release(&cards);
	return err;
}
