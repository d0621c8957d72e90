/* Moving data out: every record of a type, stored and computed fields alike,
 * as CSV, JSON or an xlsx workbook; contacts as vCards, tasks and activities
 * as iCalendar.  Text meant for spreadsheets is neutralised against formula
 * injection (OWASP's "CSV injection" advice) in one place. */
#ifndef CRM_EXPORT_H
#define CRM_EXPORT_H

#include <stdbool.h>

#include "crm/buf.h"
#include "crm/index.h"

enum crm_export_format {
	CRM_EXPORT_CSV, CRM_EXPORT_XLSX, CRM_EXPORT_JSON, CRM_EXPORT_VCARD, CRM_EXPORT_ICAL
};

struct crm_export_options {
	enum crm_export_format format;
	bool bom;             /* CSV: start with a UTF-8 byte-order mark (Excel) */
	int vcard_version;    /* 3 (RFC 2426) or 4 (RFC 6350) */
};
#define CRM_EXPORT_OPTIONS_INIT { CRM_EXPORT_CSV, false, 3 }

/* The file name extension of a format, without the dot ("csv"). */
const char *crm_export_extension(enum crm_export_format f);

/* Writes every record of type `s` in the chosen format to `path`, replaced
 * atomically, or to stdout when `path` is NULL (not for xlsx, which needs
 * a file: CRM_EUSAGE).  Columns are "id" then every field of the schema in
 * its order, computed ones included, then a client's, contact's or deal's
 * computed last_activity and next_step.  vCard is for contacts and iCalendar
 * for tasks and activities only (CRM_EUSAGE otherwise). */
int crm_export_type(struct crm_index *idx, const struct crm_schema *s, const char *path,
		    const struct crm_export_options *o);

/* Appends `text` made safe for a spreadsheet cell: a text starting with
 * =, +, -, @, a tab or a carriage return gets a leading apostrophe, so
 * Excel and LibreOffice show it instead of evaluating it; so does a text
 * that starts with apostrophes followed by one of those, which keeps the
 * rule reversible (crm_export_unneutralise).  A text that is a plain
 * decimal number ("-2", "+1.5") is a number, not a formula, and is left
 * alone. */
int crm_export_neutralise(struct crm_buf *out, const char *text);
/* Whether crm_export_neutralise would change `text`. */
bool crm_export_needs_quote(const char *text);
/* The inverse, for an importer: drops the apostrophe the rule added. */
const char *crm_export_unneutralise(const char *text);

/* One field of `rec` as the text an export cell holds: scalars as stored or
 * computed ("12000.00 EUR", "2025-03-31T14:30"), line breaks kept; lists
 * of scalars joined with ", "; lists of mappings and mappings as JSON;
 * a computed field's error as "#error: message". */
int crm_export_cell_text(struct crm_buf *out, struct crm_index *idx,
			 struct crm_record *rec, const struct crm_field *f);


struct crm_vcard;
struct crm_arena;

/* A field of a contact record made from a vCard. */
struct crm_contact_field {
	const char *name;     /* "name", "client", "title", "email", "phone",
				 "notes", and "address"/"birthday" when the
				 contact schema has them */
	const char *value;
};
#define CRM_CONTACT_MAX_FIELDS 10

/* The fields of the contact that card `c` describes, into out[] (at most
 * CRM_CONTACT_MAX_FIELDS; *n_out receives the count; texts in `arena`).
 * FN is the name (else N's given and family names); ORG becomes `client`
 * when a client has that name (compared case-insensitively), else a line
 * of the notes; the preferred (else first) EMAIL and TEL fill `email` and
 * `phone`, the others, addresses and a birthday the schema has no field for
 * become lines of the notes, after NOTE. */
int crm_vcard_contact_fields(struct crm_contact_field *out, size_t *n_out,
			     struct crm_arena *arena, struct crm_index *idx,
			     const struct crm_vcard *c);

struct crm_agenda;
/* The agenda `a` of `idx` as one VCALENDAR (crm agenda --ical): a timed
 * item is a VEVENT at its instant in UTC lasting 15 minutes, any other an
 * all-day VEVENT on its day; CATEGORIES is the item's kind, the UID its
 * kind and record with the repository's key (as crm export's), so a
 * subscribed calendar updates instead of adding copies. */
int crm_export_agenda_ical(struct crm_buf *out, struct crm_index *idx,
			   const struct crm_agenda *a);

/* Reads an iCalendar text back through libical, checks it against RFC
 * 5545's restrictions and appends one line per VTODO and VEVENT: "VTODO
 * uid due=... alarm=-P1D summary=...".  CRM_EINVALID when it is no
 * VCALENDAR or breaks a restriction (the lines are still written). */
int crm_ical_describe(struct crm_buf *out, const char *data);

#endif
