/* Importing records from CSV files (crm import): a rules file says which
 * columns make which field of which type (in the spirit of hledger's CSV
 * rules); every row becomes a planned record that is matched against the
 * repository and the earlier rows, checked, and only then written. */
#ifndef CRM_IMPORT_H
#define CRM_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/buf.h"
#include "crm/index.h"

/* One `field = template` line: "{First Name} {Last Name}", "{Amount} EUR",
 * a constant "person"; {Column|default} falls back to a default. */
struct crm_import_field {
	const char *field;
	const char *tmpl;
	const char *else_tmpl;    /* field.else: taken when tmpl gives "" or
				     names a column the file lacks */
	const char *match;        /* ref: the target's field a value is matched
				     against (field.match); NULL: id, then name */
	bool create;              /* ref: create a missing target (field.create) */
	const char *date_format;  /* field.date-format, else the section's */
};

struct crm_import_map {       /* map.FIELD.FROM = TO */
	const char *field, *from, *to;
};

struct crm_import_skip {      /* skip.COLUMN = V1|V2 ("" = empty) */
	const char *column, *values;
};

/* A section: one record type read from the files its `files` globs match. */
struct crm_import_section {
	const char *name;
	const char *type;
	const char *files;        /* comma-separated globs on the base name */
	const char *id;           /* comma-separated columns the id is made from */
	const char *date_format;  /* strptime format, or "excel" (serial days) */
	char decimal_mark;        /* '.' (default) or ',' */
	CRM_ARRAY(struct crm_import_field) fields;
	CRM_ARRAY(struct crm_import_map) maps;
	CRM_ARRAY(struct crm_import_skip) skips;
};

struct crm_import_rules {
	struct crm_arena arena;
	const char *path;
	const char *description;  /* [preset] description */
	CRM_ARRAY(struct crm_import_section) sections;
};

/* Parses a rules file (INI).  0, or CRM_EINVALID with "PATH:LINE: ..." set
 * for a line that is not INI or a key that means nothing. */
int crm_import_rules_parse(struct crm_import_rules *out, const char *text, size_t len,
			   const char *display);
int crm_import_rules_load(struct crm_import_rules *out, const char *path);
void crm_import_rules_release(struct crm_import_rules *r);
/* The folder of shipped presets: $CRM_PRESET_DIR, the installed
 * share/crm/import/presets, else the source tree's import/presets. */
const char *crm_import_preset_dir(void);
/* The file of preset `name` (malloc'ed path), CRM_ENOTFOUND if none. */
int crm_import_preset_path(char **out, const char *name);

enum crm_import_action {
	CRM_IMPORT_CREATE, CRM_IMPORT_UPDATE, CRM_IMPORT_UNCHANGED, CRM_IMPORT_SKIP,
	CRM_IMPORT_ERROR, CRM_IMPORT__COUNT
};

/* What one row (or a record a reference created) becomes. */
struct crm_import_item {
	const char *file;         /* as given */
	size_t row;               /* CSV record number, 0 for a created target */
	enum crm_import_action action;
	const struct crm_schema *schema;
	char *id, *path;
	struct crm_buf text;      /* the record's whole new text */
	char *reason;             /* why skipped, what matched */
};

struct crm_import_options {
	bool update;              /* update the existing records rows match */
	const char *encoding;     /* of every file; NULL: UTF-8 or by BOM */
};
#define CRM_IMPORT_OPTIONS_INIT { false, NULL }

struct crm_import {
	CRM_ARRAY(struct crm_import_item) items;
	CRM_ARRAY(char *) errors; /* "FILE:ROW:COL: error: ..." */
	size_t counts[CRM_IMPORT__COUNT];
};

/* Reads every file with the rules' section for it (by its `files` globs,
 * else the section whose type is `type`), maps each row, matches it,
 * checks each record with crm_check_change.  Problems of rows go to
 * out->errors; the return value is negative only when the run cannot go
 * on (unreadable file, rules that name no field), with the message set. */
int crm_import_plan(struct crm_import *out, struct crm_index *idx,
		    const struct crm_import_rules *rules, const char *type,
		    const char *const *files, size_t nfiles,
		    const struct crm_import_options *opts);
void crm_import_release(struct crm_import *imp);
const char *crm_import_action_name(enum crm_import_action a);

#endif
