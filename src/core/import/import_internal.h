/* What the files of src/core/import share: turning one cell text into the
 * text a field stores (dates, amounts, enums), and the index of names,
 * emails and phones that rows are matched against. */
#ifndef CRM_IMPORT_INTERNAL_H
#define CRM_IMPORT_INTERNAL_H

#include "crm/table.h"
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

/* A known record (existing, or planned by this import) that rows can match. */
struct import_known {
	const char *type, *id;
	const char *name_key;      /* crm_import_name_key of its name, or NULL */
	long item;                 /* index in crm_import.items, -1 if existing */
	size_t row;                /* its CSV row, when planned */
};

/* Every known record, hashed by id, normalised email, phone digits, name
 * key and blocks of names (the first word of the key): matching a row
 * costs the size of its blocks, never the number of records. */
struct import_matcher {
	struct crm_arena arena;
	struct crm_map by_key;     /* "type\037kind\037key" -> import_known / block */
	struct crm_map loaded;     /* types whose records are in */
	CRM_ARRAY(void *) blocks;  /* owned block arrays, freed at the end */
};

struct import_match {
	struct import_known *known;
	double score;
	const char *how;           /* "id", "email", "phone", "name" */
};

void import_matcher_init(struct import_matcher *m);
void import_matcher_release(struct import_matcher *m);
/* Adds the records of `s`'s type from the index (once per type). */
int import_matcher_load(struct import_matcher *m, struct crm_index *idx,
			const struct crm_schema *s);
/* Adds a planned record. */
int import_matcher_add(struct import_matcher *m, const char *type, const char *id,
		       const char *name, const char *email, const char *phone,
		       long item, size_t row);
/* The known record of `type` with this id. */
struct import_known *import_matcher_by_id(struct import_matcher *m, const char *type,
					  const char *id);
/* The best match >= 0.8 by email, phone or name; false when none. */
bool import_matcher_find(struct import_match *out, struct import_matcher *m,
			 const char *type, const char *name, const char *email,
			 const char *phone);

#endif
