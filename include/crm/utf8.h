/* UTF-8 text: validation, display width (CJK two columns, combining marks
 * none) and case folding through utf8proc, ids from names, and edit
 * distance for did-you-mean suggestions. */
#ifndef CRM_UTF8_H
#define CRM_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/buf.h"

/* True when s[0..len) is valid UTF-8 without NUL bytes; otherwise
 * *bad_offset (if given) receives the offset of the first bad byte. */
bool crm_utf8_valid(const char *s, size_t len, size_t *bad_offset);
/* Terminal columns that `s` occupies (East Asian wide = 2, combining and
 * zero-width = 0, control = 0). */
size_t crm_utf8_width(const char *s);
/* Appends to `out` the longest prefix of `s` that fits in `cols` columns,
 * with "…" as its last column when `s` had to be cut; returns the width
 * appended. */
size_t crm_utf8_truncate(struct crm_buf *out, const char *s, size_t cols);
/* Appends `s` padded with spaces to `cols` columns (left-aligned, or
 * right-aligned when `right`), truncating as crm_utf8_truncate does. */
int crm_utf8_pad(struct crm_buf *out, const char *s, size_t cols, bool right);
/* Appends the case-folded, NFKC-normalised form of `s`: "Straße" and
 * "STRASSE" fold alike; accents are kept ("é" stays apart from "e"). */
int crm_utf8_casefold(struct crm_buf *out, const char *s);
/* Appends `s` with its control characters made visible, for terminals,
 * CSV and plain text: every C0 control but tab and newline, DEL and every
 * C1 control is written as \xHH, HH being its code point in lower-case hex
 * (ESC -> \x1b, NEL U+0085 -> \x85), so text from a record can neither
 * move the cursor nor retitle the terminal.  Bytes that are not UTF-8 pass
 * as they are. */
int crm_utf8_escape_controls(struct crm_buf *out, const char *s);
/* Appends the form of `s` that names are compared by when looking for
 * duplicates: case folded, NFKC (full-width forms become ASCII), accents
 * stripped, every run of punctuation and spaces one space, none at either
 * end ("ＡＣＭＥ, S.A." -> "acme s a"). */
int crm_utf8_match_key(struct crm_buf *out, const char *s);
/* Appends the form of `s` that a search compares: case folded, NFKD
 * (full-width and half-width forms become the usual ones), accents of
 * Latin, Greek and Cyrillic letters dropped and "ł", "ø", "ß" spelled in
 * ASCII, so "lodz" is in "Łódź Studio" and "ｱｲ" in "アイ".  Punctuation
 * and spaces are kept as they are. */
int crm_utf8_search_key(struct crm_buf *out, const char *s);
/* Whether `haystack`, searched as crm_utf8_search_key makes it, contains
 * `key`, which that function made (once for many haystacks).  ASCII
 * haystacks are compared in place, with no allocation. */
bool crm_utf8_search_hit(const char *haystack, const char *key);
/* Both of the above for one comparison: `needle` made a key each call. */
bool crm_utf8_contains_fold(const char *haystack, const char *needle);
/* Appends an id made from `name`: letters with diacritics lose them
 * ("Łódź" -> "lodz"), Cyrillic, Greek, Armenian, Georgian and Devanagari
 * are romanised first ("Москва Трейд" -> "moskva-trejd", see
 * crm_locale_romanize), spaces and punctuation become single '-', lower
 * case, at most 48 bytes, matching [a-z0-9][a-z0-9-]*.  Returns the number
 * of bytes appended: 0 when `name` has no letters that romanise nor digits
 * (Chinese, Japanese, Khmer...), and the caller then makes a random id. */
size_t crm_utf8_slug(struct crm_buf *out, const char *name);
/* Edit distance in code points between two strings, counting an insertion,
 * a deletion, a substitution or a swap of two neighbours as one edit (the
 * optimal string alignment distance: "emial" is one edit from "email"),
 * capped at `max` + 1 (so callers can stop early). */
size_t crm_edit_distance(const char *a, const char *b, size_t max);

#endif
