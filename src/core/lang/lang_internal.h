/* What the files of src/core/lang share, and only they: a parsed filter
 * (filter.c parses it, filter_match.c matches records against it), and the
 * helpers those and the ordering of values (value_order.c) need, defined
 * in filter.c. */
#ifndef CRM_LANG_INTERNAL_H
#define CRM_LANG_INTERNAL_H

#include <stdbool.h>

#include "crm/arena.h"
#include "crm/index.h"

enum term_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_HAS };

/* How a term compares, decided at parse time from the field's type. */
enum term_kind {
	K_FREE,     /* no field: free text in every text-like field */
	K_TEXT,     /* text, email, phone, url, enum, user, ref, id, outcome */
	K_LIST,     /* tags, refs, files: the items of the list */
	K_ORDER,    /* numbers, money, dates: between bounds */
	K_STAGE,    /* stage names by their place in the pipeline */
	K_ANY       /* formulas and lookups through any-type refs: by value */
};

/* Where a term's value comes from. */
enum term_source {
	SRC_FIELD,    /* crm_index_value: stored, lookup, formula, outcome */
	SRC_ID,
	SRC_CREATED,  /* crm_record_created */
	SRC_RAW,      /* owner, notes: every type has them, schema or not */
	SRC_ITEM      /* "history.stage": a field of a list field's entries */
};

/* One end of the right-hand side in each reading the field's type allows
 * (formulas get every reading that parses and use the value's). */
struct bound {
	bool set;                   /* false: the open end of "A.." or "..B" */
	bool has_num, has_money, has_base, has_date, has_instant;
	crm_dec num;                /* numbers, percent fractions, stage places */
	struct crm_money money;     /* as written */
	struct crm_money base;      /* converted to the base currency */
	crm_date date;              /* the first (lo) or last (hi) day of a period */
	int64_t instant;            /* datetimes written with a time */
};

struct term {
	bool negate;
	enum term_op op;
	enum term_kind kind;
	enum term_source src;
	const char *field;          /* the field (the list field for SRC_ITEM) */
	const struct crm_field *item;   /* SRC_ITEM: the entries' field */
	bool is_ref;                /* "type/id" values also match a bare id */
	const char *text;           /* the right-hand side as written */
	const char *folded;         /* ... case-folded */
	const char *key;            /* ... as a search key (crm_utf8_search_key) */
	struct bound lo, hi;
};

struct crm_filter {
	struct crm_arena arena;
	struct term *terms;
	size_t n;
};

/* Case-insensitive equality (0) of `s` with an already folded text; a
 * reference "type/id" also equals a folded bare id when is_ref. */
int crm_lang_fold_cmp(const char *s, const char *folded, bool is_ref);

/* `s` case-folded into `a` (as written when it does not fold); NULL when
 * out of memory. */
char *crm_lang_fold(struct crm_arena *a, const char *s);
/* `s` as crm_utf8_search_key makes it, into `a`; NULL when out of memory. */
char *crm_lang_search_key(struct crm_arena *a, const char *s);

/* The place of stage `name` in crm.ini's pipeline, -1 when not one. */
int crm_lang_stage_place(const struct crm_config *cfg, const char *name);

/* Whether fields of `type` hold a list (tags, refs, files, list, map). */
bool crm_lang_holds_list(enum crm_field_type type);

/* The stored field a lookup ends at, following lookups of lookups; NULL
 * when the chain passes a reference to any type (values decide then). */
const struct crm_field *crm_lang_lookup_end(struct crm_index *idx, const struct crm_schema *s,
					    const struct crm_field *f);

/* The currency money is compared in: crm.ini's. */
static inline const char *crm_lang_base_currency(const struct crm_index *idx)
{
	return crm_index_repo(idx)->config.currency;
}

#endif
