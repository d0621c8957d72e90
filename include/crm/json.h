/* The one JSON emitter: strings escaped per RFC 8259, exact decimals
 * written as they are (never through a double), money written one way
 * ({"amount": "12000.00", "currency": "EUR"}, SPEC section 7), and
 * objects and arrays laid out inline or a member a line. */
#ifndef CRM_JSON_H
#define CRM_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "crm/buf.h"
#include "crm/decimal.h"

/* How a container is laid out.  INLINE: {"a": 1, "b": 2}.  BLOCK: each
 * member on a line of its own, indented two spaces a block level, the
 * closing bracket back on the level's line; an empty one is {} or []. */
enum crm_json_layout { CRM_JSON_INLINE, CRM_JSON_BLOCK };

#define CRM_JSON_MAX_DEPTH 32

/* An emitter appending to `out`.  Every value goes after a key (in an
 * object), as a member of an array, or alone at the top; the emitter
 * writes the separators.  Errors (out of memory, a value where a key is
 * due, too deep) stick: the first one is returned by every later call. */
struct crm_json {
	struct crm_buf *out;
	int depth;                    /* open containers */
	int blocks;                   /* open BLOCK containers */
	int err;
	bool after_key;               /* a key was written, its value is due */
	struct {
		bool object, block, empty;
	} level[CRM_JSON_MAX_DEPTH];
};

void crm_json_init(struct crm_json *j, struct crm_buf *out);

int crm_json_object(struct crm_json *j, enum crm_json_layout layout);
int crm_json_array(struct crm_json *j, enum crm_json_layout layout);
/* Closes the innermost object or array. */
int crm_json_end(struct crm_json *j);
/* The next member's key, in an object. */
int crm_json_key(struct crm_json *j, const char *key);

int crm_json_string(struct crm_json *j, const char *s);   /* NULL: null */
int crm_json_null(struct crm_json *j);
int crm_json_bool(struct crm_json *j, bool v);
int crm_json_int(struct crm_json *j, int64_t v);
/* An exact decimal as a JSON number: with its own number of places
 * ("0.9300"), or with `trim` without trailing zeros ("0.93", "2"). */
int crm_json_decimal(struct crm_json *j, crm_dec v, bool trim);
/* Money: {"amount": "12000.00", "currency": "EUR"}, the amount to the
 * currency's minor unit (more places when it has them). */
int crm_json_money(struct crm_json *j, crm_dec amount, const char *currency);
/* Text that is already JSON (another writer's value), as one value. */
int crm_json_raw(struct crm_json *j, const char *json);

/* Appends `s` as a JSON string literal, quotes included: '"', '\' and
 * every control character escaped (RFC 8259 section 7), the rest as is. */
int crm_json_quote(struct crm_buf *out, const char *s);

#endif
