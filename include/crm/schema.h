/* Record types and their fields, read from schema/<type>.yaml (SPEC
 * section 3): the repository's own copy when it has one, else the tool's.
 * A schema is data, like a recutils descriptor. */
#ifndef CRM_SCHEMA_H
#define CRM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/arena.h"
#include "crm/decimal.h"

struct crm_diags;
struct crm_formula;
struct crm_node;
struct crm_score;

enum crm_field_type {
	CRM_F_TEXT, CRM_F_EMAIL, CRM_F_PHONE, CRM_F_URL, CRM_F_DATE, CRM_F_DATETIME,
	CRM_F_NUMBER, CRM_F_INTEGER, CRM_F_MONEY, CRM_F_PERCENT, CRM_F_RATING,
	CRM_F_ENUM, CRM_F_TAGS, CRM_F_REF, CRM_F_REFS, CRM_F_LOOKUP, CRM_F_FORMULA,
	CRM_F_FILES, CRM_F_STAGE, CRM_F_USER, CRM_F_LIST, CRM_F_DURATION,
	CRM_F_MAP, CRM_F__COUNT
};

struct crm_field {
	const char *name;
	enum crm_field_type type;
	bool required;
	bool unique;
	bool has_min, has_max;
	crm_dec min, max;               /* rating: max stars; number: bounds */
	const char *required_if;        /* formula text */
	struct crm_formula *required_if_f;
	const char *default_value;
	const char **values;            /* enum/tags choices, NULL-terminated */
	size_t nvalues;
	const char *to;                 /* ref target type, "any" for any */
	const char *via, *field;        /* lookup: a field of this record, then
					 * a field of the record it points at */
	const char *expr;               /* formula text */
	struct crm_formula *formula;
	struct crm_score *score;        /* the computed `score` of crm.ini's
					 * [score "TYPE"] (a formula field) */
	struct crm_field *fields;       /* list: the item fields */
	size_t nfields;
	int line, col;                  /* in the schema file */
};

struct crm_schema {
	const char *type;               /* "opportunity" */
	const char *folder;             /* "opportunities" */
	const char *path;               /* where it was read, for messages */
	struct crm_field *fields;
	size_t nfields;
	bool builtin;                   /* read from the tool's own schema/ */
	const char **columns;           /* `columns:` for crm ls, NULL-terminated */
	size_t ncolumns;
};

/* Parses one schema file's text.  Problems go to `diags` against
 * `display_path`; returns 0 or CRM_EINVALID.  Everything lives in `arena`. */
int crm_schema_parse(struct crm_schema *out, struct crm_arena *arena,
		     const char *data, size_t len, const char *display_path,
		     struct crm_diags *diags);

const struct crm_field *crm_schema_field(const struct crm_schema *s, const char *name);
/* The field named `name` among `fields`. */
const struct crm_field *crm_fields_find(const struct crm_field *fields, size_t n,
					const char *name);
/* The field of `s` whose name is closest to `name` (at most two edits
 * away), for did-you-mean messages; NULL when none is close. */
const char *crm_schema_suggest_field(const struct crm_schema *s, const char *name);
/* The same among `n` fields (the entries of a list field). */
const char *crm_fields_suggest(const struct crm_field *fields, size_t n, const char *name);
const char *crm_field_type_name(enum crm_field_type t);
/* CRM_F__COUNT when `name` is no field type. */
enum crm_field_type crm_field_type_parse(const char *name);
/* Is this field computed (lookup, formula) rather than stored? */
bool crm_field_is_computed(const struct crm_field *f);

/* The folder holding the tool's own schemas: $CRM_SCHEMA_DIR, else the
 * installed data dir, else the source tree the binary was built from. */
const char *crm_schema_builtin_dir(void);

#endif
