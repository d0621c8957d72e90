/* The formula language of SPEC section 3: numbers, money, dates, strings in
 * single or double quotes, + - * /, comparisons (= == != < <= > >=),
 * and/or/not, if(c, a, b), days(d1, d2), today(), field names (which may
 * be lookups), `outcome`.  Parsing yields a tree in an arena; evaluation
 * never fails: problems come back as CRM_V_ERROR values. */
#ifndef CRM_FORMULA_H
#define CRM_FORMULA_H

#include "crm/arena.h"
#include "crm/value.h"

struct crm_formula;   /* opaque parsed expression, lives in an arena */

struct crm_formula_env {
	/* Value of field `name` of the current record: 0, or CRM_ENOTFOUND
	 * for a name that is no field (the formula then yields an error
	 * "unknown field 'x'").  An absent field is CRM_V_NULL, and a field
	 * in a cycle comes back as a CRM_V_ERROR value. */
	int (*field)(struct crm_value *out, const char *name, void *payload);
	/* Converts money into currency `to`; 0 or an error code (message set)
	 * when no rate is known.  May be NULL: mixing currencies is then an
	 * error value. */
	int (*convert)(struct crm_money *out, const struct crm_money *in,
		       const char *to, void *payload);
	const char *base_currency;  /* target of mixed-currency arithmetic */
	crm_date today;
	struct crm_arena *arena;    /* for error messages and text results */
	void *payload;
};

/* Parses `expr` into *out (allocated in `arena`).  On a syntax error
 * returns CRM_EINVALID with the message set and *err_col (1-based column in
 * expr) set when err_col is non-NULL. */
int crm_formula_parse(struct crm_formula **out, struct crm_arena *arena,
		      const char *expr, int *err_col);
/* Evaluates; always fills *out (CRM_V_ERROR on any problem). */
void crm_formula_eval(struct crm_value *out, const struct crm_formula *f,
		      const struct crm_formula_env *env);
/* Calls fn for each field name the formula reads (for dependency checks). */
void crm_formula_names(const struct crm_formula *f,
		       void (*fn)(const char *name, void *payload), void *payload);

#endif
