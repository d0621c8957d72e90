/* The one YAML scalar writer: whether a string may stand plain or must be
 * quoted, and the double-quoted escapes, decided here for everything crm
 * writes as YAML (values spliced by set, merge results and conflict blocks,
 * `ls --format yaml`), so no two writers disagree. */
#ifndef CRM_YAML_EMIT_H
#define CRM_YAML_EMIT_H

#include <stdbool.h>

#include "crm/buf.h"

/* Where and for whom a scalar is written (flags, or-ed). */
enum crm_yaml_emit_flags {
	/* a value of a record file, read back by crm (which types it by
	 * its schema): a canonical number (12, -5, 47000.00) or date
	 * (2025-01-01) stays plain; every other form a YAML 1.1 reader would
	 * type (0123, 0x1f, 1e3, 12:30, .inf, yes, null) is quoted */
	CRM_YAML_RECORD = 0,
	/* a string for any YAML 1.1 reader: anything it would read as a
	 * number, date, boolean or null is quoted, canonical forms too */
	CRM_YAML_STRING = 1,
	/* inside [ ] or { }: flow indicators and ':' are quoted too */
	CRM_YAML_FLOW = 2,
};

/* True when `s` may be written as a plain scalar and every YAML 1.1 reader
 * reads back the same string (within what `flags` allow). */
bool crm_yaml_plain_ok(const char *s, unsigned flags);

/* Appends `s` as a scalar: plain when crm_yaml_plain_ok says so, else
 * double-quoted. */
int crm_yaml_emit_scalar(struct crm_buf *out, const char *s, unsigned flags);

/* Appends `s` double-quoted: '"' and '\' escaped, and every character a
 * reader would not keep as it is written as an escape: C0 controls
 * (tab \t, newline \n, ESC \e, others \xHH), DEL \x7F, C1 controls (NEL
 * \N, others \xHH), LS \L, PS \P, U+FEFF/FFFE/FFFF as \uHHHH.  Bytes that
 * are not UTF-8 are copied as they are (the loader then refuses them
 * rather than taking another string). */
int crm_yaml_emit_double_quoted(struct crm_buf *out, const char *s);

/* Appends `s` single-quoted ('' for a quote) when that form can hold it
 * (no character that needs an escape), double-quoted otherwise. */
int crm_yaml_emit_single_quoted(struct crm_buf *out, const char *s);

/* True when `s` holds a character that only a double-quoted escape can
 * carry (the ones crm_yaml_emit_double_quoted escapes, less '"' and '\'). */
bool crm_yaml_needs_escape(const char *s);

#endif
