/* The formula language: a recursive-descent parser into a small tree in an
 * arena, and an evaluator over typed values with exact arithmetic.
 *
 * Semantics:
 *  - literals: numbers (exact decimals), 'text' or "text", true, false, null;
 *    date('2025-01-31') makes a date.
 *  - + - * /: number with number; money with money (another currency is
 *    converted into the base currency first); money * number; money /
 *    number; money / money gives a number; date + days, date - days,
 *    date - date gives days.  Quotients keep 6 decimals (money at least its
 *    currency's digits), rounded half away from zero.
 *  - A null operand makes arithmetic null (as in SQL).  Comparisons with
 *    null are false, except `x == null` and `x != null`.
 *  - and, or, not take booleans (null counts as false) and short-circuit;
 *    if(c, a, b) evaluates only the branch it returns.
 *  - days(d1, d2) is d2 - d1 in days; today() is the repository's today.
 *  - Any problem (division by zero, text + number, an unknown field, an
 *    overflow, a currency with no rate) is an error value that propagates. */
#include <stdio.h>
#include <string.h>

#include "crm/error.h"
#include "crm/formula.h"

#define MAX_DEPTH 64
#define DIV_SCALE 6

enum node_kind { N_LIT, N_FIELD, N_NEG, N_NOT, N_BIN, N_AND, N_OR, N_CALL };

struct crm_formula {
	enum node_kind kind;
	char op[3];                 /* "+", "<=", ... for N_BIN */
	const char *name;           /* field or function */
	struct crm_value lit;
	struct crm_formula *args[3];
	int nargs;
	int col;
};

struct parser {
	struct crm_arena *arena;
	const char *src, *p;
	int depth;
	int err_col;
	char msg[160];
};

static int perr(struct parser *ps, const char *msg)
{
	if (!ps->msg[0]) {
		snprintf(ps->msg, sizeof(ps->msg), "%s", msg);
		ps->err_col = (int)(ps->p - ps->src) + 1;
	}
	return CRM_EINVALID;
}

static void skip_space(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static struct crm_formula *new_node(struct parser *ps, enum node_kind kind)
{
	struct crm_formula *n = crm_arena_alloc(ps->arena, sizeof(*n));
	if (n) {
		n->kind = kind;
		n->col = (int)(ps->p - ps->src) + 1;
	}
	return n;
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9') || c == '.';
}

/* Does the input continue with keyword `kw` as a whole word? */
static bool keyword(struct parser *ps, const char *kw)
{
	size_t n = strlen(kw);
	if (strncmp(ps->p, kw, n) || is_ident(ps->p[n]))
		return false;
	ps->p += n;
	skip_space(ps);
	return true;
}

static int parse_expr(struct parser *ps, struct crm_formula **out);

static int parse_number(struct parser *ps, struct crm_formula **out)
{
	const char *start = ps->p;
	struct crm_formula *n = new_node(ps, N_LIT);
	while ((*ps->p >= '0' && *ps->p <= '9') || *ps->p == '.')
		ps->p++;
	if (!n)
		return CRM_ENOMEM;
	n->lit.kind = CRM_V_NUMBER;
	if (crm_dec_parse(&n->lit.u.num, start, (size_t)(ps->p - start))) {
		ps->p = start;
		return perr(ps, "bad number");
	}
	skip_space(ps);
	*out = n;
	return 0;
}

static int parse_string(struct parser *ps, struct crm_formula **out)
{
	char quote = *ps->p++;
	const char *start = ps->p;
	struct crm_formula *n = new_node(ps, N_LIT);
	if (!n)
		return CRM_ENOMEM;
	while (*ps->p && *ps->p != quote)
		ps->p++;
	if (!*ps->p)
		return perr(ps, "unterminated string");
	n->lit.kind = CRM_V_TEXT;
	n->lit.u.text = crm_arena_strndup(ps->arena, start, (size_t)(ps->p - start));
	ps->p++;
	skip_space(ps);
	*out = n;
	return 0;
}

static int parse_call(struct parser *ps, struct crm_formula *n)
{
	static const struct { const char *name; int nargs; } funcs[] = {
		{ "if", 3 }, { "days", 2 }, { "today", 0 }, { "date", 1 },
	};
	size_t i;
	int err, want = -1;

	for (i = 0; i < sizeof(funcs) / sizeof(*funcs); i++) {
		if (!strcmp(funcs[i].name, n->name))
			want = funcs[i].nargs;
	}
	if (want < 0)
		return perr(ps, "unknown function");
	n->kind = N_CALL;
	ps->p++;
	skip_space(ps);
	while (*ps->p != ')') {
		if (n->nargs == 3)
			return perr(ps, "too many arguments");
		err = parse_expr(ps, &n->args[n->nargs++]);
		if (err)
			return err;
		if (*ps->p == ',') {
			ps->p++;
			skip_space(ps);
		} else if (*ps->p != ')') {
			return perr(ps, "expected ',' or ')'");
		}
	}
	ps->p++;
	skip_space(ps);
	if (n->nargs != want) {
		snprintf(ps->msg, sizeof(ps->msg), "%s() takes %d argument%s", n->name, want,
			 want == 1 ? "" : "s");
		ps->err_col = n->col;
		return CRM_EINVALID;
	}
	return 0;
}

static int parse_primary(struct parser *ps, struct crm_formula **out)
{
	struct crm_formula *n;
	const char *start = ps->p;
	int err;

	if (*ps->p >= '0' && *ps->p <= '9')
		return parse_number(ps, out);
	if (*ps->p == '\'' || *ps->p == '"')
		return parse_string(ps, out);
	if (*ps->p == '(') {
		ps->p++;
		skip_space(ps);
		err = parse_expr(ps, out);
		if (err)
			return err;
		if (*ps->p != ')')
			return perr(ps, "expected ')'");
		ps->p++;
		skip_space(ps);
		return 0;
	}
	if (!is_ident_start(*ps->p))
		return perr(ps, *ps->p ? "unexpected character" : "unexpected end of formula");
	n = new_node(ps, N_FIELD);
	if (!n)
		return CRM_ENOMEM;
	while (is_ident(*ps->p))
		ps->p++;
	n->name = crm_arena_strndup(ps->arena, start, (size_t)(ps->p - start));
	skip_space(ps);
	*out = n;
	if (!strcmp(n->name, "true") || !strcmp(n->name, "false")) {
		n->kind = N_LIT;
		n->lit.kind = CRM_V_BOOL;
		n->lit.u.b = n->name[0] == 't';
	} else if (!strcmp(n->name, "null")) {
		n->kind = N_LIT;
		n->lit.kind = CRM_V_NULL;
	} else if (*ps->p == '(') {
		return parse_call(ps, n);
	}
	return 0;
}

static int parse_unary(struct parser *ps, struct crm_formula **out)
{
	struct crm_formula *n;
	int err;

	if (++ps->depth > MAX_DEPTH)
		return perr(ps, "formula nests too deeply");
	if (*ps->p == '-') {
		n = new_node(ps, N_NEG);
		if (!n)
			return CRM_ENOMEM;
		ps->p++;
		skip_space(ps);
		err = parse_unary(ps, &n->args[0]);
		n->nargs = 1;
		*out = n;
	} else {
		err = parse_primary(ps, out);
	}
	ps->depth--;
	return err;
}

/* Binary operators by precedence level, lowest first. */
static const char *const levels[][7] = {
	{ "==", "!=", "<=", ">=", "=", "<", ">" },
	{ "+", "-" },
	{ "*", "/" },
};

static int parse_level(struct parser *ps, int level, struct crm_formula **out);

static const char *match_op(struct parser *ps, int level)
{
	size_t i;
	for (i = 0; i < 7 && levels[level][i]; i++) {
		size_t n = strlen(levels[level][i]);
		if (!strncmp(ps->p, levels[level][i], n))
			return levels[level][i];
	}
	return NULL;
}

static int parse_operand(struct parser *ps, int level, struct crm_formula **out)
{
	return level + 1 < 3 ? parse_level(ps, level + 1, out) : parse_unary(ps, out);
}

static int parse_level(struct parser *ps, int level, struct crm_formula **out)
{
	const char *op;
	int err = parse_operand(ps, level, out);

	while (!err && (op = match_op(ps, level))) {
		struct crm_formula *n = new_node(ps, N_BIN);
		if (!n)
			return CRM_ENOMEM;
		snprintf(n->op, sizeof(n->op), "%s", strcmp(op, "=") ? op : "==");
		ps->p += strlen(op);
		skip_space(ps);
		n->args[0] = *out;
		n->nargs = 2;
		err = parse_operand(ps, level, &n->args[1]);
		*out = n;
		if (level == 0 && !err && match_op(ps, 0))
			return perr(ps, "comparisons do not chain; use 'and'");
	}
	return err;
}

static int parse_not(struct parser *ps, struct crm_formula **out)
{
	struct crm_formula *n;
	int err;
	if (!keyword(ps, "not"))
		return parse_level(ps, 0, out);
	if (++ps->depth > MAX_DEPTH)
		return perr(ps, "formula nests too deeply");
	n = new_node(ps, N_NOT);
	if (!n)
		return CRM_ENOMEM;
	n->nargs = 1;
	err = parse_not(ps, &n->args[0]);
	ps->depth--;
	*out = n;
	return err;
}

static int parse_logic(struct parser *ps, struct crm_formula **out, bool is_or)
{
	int err = is_or ? parse_logic(ps, out, false) : parse_not(ps, out);
	while (!err && keyword(ps, is_or ? "or" : "and")) {
		struct crm_formula *n = new_node(ps, is_or ? N_OR : N_AND);
		if (!n)
			return CRM_ENOMEM;
		n->args[0] = *out;
		n->nargs = 2;
		err = is_or ? parse_logic(ps, &n->args[1], false) : parse_not(ps, &n->args[1]);
		*out = n;
	}
	return err;
}

static int parse_expr(struct parser *ps, struct crm_formula **out)
{
	int err;
	if (++ps->depth > MAX_DEPTH)
		return perr(ps, "formula nests too deeply");
	err = parse_logic(ps, out, true);
	ps->depth--;
	return err;
}

int crm_formula_parse(struct crm_formula **out, struct crm_arena *arena,
		      const char *expr, int *err_col)
{
	struct parser ps;
	int err;

	memset(&ps, 0, sizeof(ps));
	ps.arena = arena;
	ps.src = ps.p = expr;
	*out = NULL;
	skip_space(&ps);
	err = parse_expr(&ps, out);
	if (!err && *ps.p)
		err = perr(&ps, "unexpected text after the formula");
	if (err == CRM_ENOMEM)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (err) {
		if (err_col)
			*err_col = ps.err_col;
		*out = NULL;
		return crm_error_set(CRM_EINVALID, "%s at column %d", ps.msg, ps.err_col);
	}
	return 0;
}

/* ---- evaluation ---- */

static void set_error(struct crm_value *out, const struct crm_formula_env *env,
		      const char *msg)
{
	out->kind = CRM_V_ERROR;
	out->percent = false;
	out->u.text = crm_arena_strdup(env->arena, msg);
}

static void eval(struct crm_value *out, const struct crm_formula *f,
		 const struct crm_formula_env *env);

static bool to_money_pair(struct crm_value *out, struct crm_money *a, struct crm_money *b,
			  const struct crm_formula_env *env)
{
	struct crm_money ca, cb;
	if (!strcmp(a->currency, b->currency))
		return true;
	if (!env->convert || !env->base_currency) {
		set_error(out, env, "money in two currencies");
		return false;
	}
	if (env->convert(&ca, a, env->base_currency, env->payload) ||
	    env->convert(&cb, b, env->base_currency, env->payload)) {
		set_error(out, env, crm_error_last());
		return false;
	}
	*a = ca;
	*b = cb;
	return true;
}

static int div_scale(const crm_dec *a)
{
	return a->scale > DIV_SCALE ? a->scale : DIV_SCALE;
}

static void arith_numbers(struct crm_value *out, char op, crm_dec a, crm_dec b,
			  const struct crm_formula_env *env)
{
	int err = 0;
	out->kind = CRM_V_NUMBER;
	switch (op) {
	case '+': err = crm_dec_add(&out->u.num, a, b); break;
	case '-': err = crm_dec_sub(&out->u.num, a, b); break;
	case '*': err = crm_dec_mul(&out->u.num, a, b); break;
	case '/':
		if (crm_dec_is_zero(b)) {
			set_error(out, env, "division by zero");
			return;
		}
		err = crm_dec_div(&out->u.num, a, b, div_scale(&a));
		if (!err)
			out->u.num = crm_dec_normalize(out->u.num);
		break;
	}
	if (err)
		set_error(out, env, "number too large");
}

static void arith_money(struct crm_value *out, char op, struct crm_value *a,
			struct crm_value *b, const struct crm_formula_env *env)
{
	struct crm_money ma, mb;
	if (a->kind == CRM_V_MONEY && b->kind == CRM_V_MONEY) {
		ma = a->u.money;
		mb = b->u.money;
		if (!to_money_pair(out, &ma, &mb, env))
			return;
		if (op == '*') {
			set_error(out, env, "cannot multiply money by money");
			return;
		}
		arith_numbers(out, op, ma.amount, mb.amount, env);
		if (out->kind == CRM_V_NUMBER && op != '/') {
			out->kind = CRM_V_MONEY;
			ma.amount = out->u.num;
			out->u.money = ma;
		}
		return;
	}
	/* money with a number: scale it */
	if ((op == '*' || op == '/') && a->kind == CRM_V_MONEY && b->kind == CRM_V_NUMBER) {
		ma = a->u.money;
		arith_numbers(out, op, ma.amount, b->u.num, env);
	} else if (op == '*' && a->kind == CRM_V_NUMBER && b->kind == CRM_V_MONEY) {
		ma = b->u.money;
		arith_numbers(out, op, a->u.num, ma.amount, env);
	} else {
		set_error(out, env, op == '+' || op == '-' ? "cannot add a number to money"
							  : "cannot divide by money here");
		return;
	}
	if (out->kind == CRM_V_NUMBER) {
		ma.amount = out->u.num;
		out->kind = CRM_V_MONEY;
		out->u.money = ma;
	}
}

static bool as_date(const struct crm_value *v, crm_date *d)
{
	if (v->kind == CRM_V_DATE) {
		*d = v->u.date;
		return true;
	}
	if (v->kind == CRM_V_DATETIME) {
		*d = crm_datetime_date(&v->u.datetime);
		return true;
	}
	return false;
}

static void arith_dates(struct crm_value *out, char op, struct crm_value *a,
			struct crm_value *b, const struct crm_formula_env *env)
{
	crm_date da, db;
	int64_t days;
	if (as_date(a, &da) && as_date(b, &db) && op == '-') {
		out->kind = CRM_V_NUMBER;
		out->u.num = crm_dec_from_int((int64_t)da - db);
		return;
	}
	if (as_date(a, &da) && b->kind == CRM_V_NUMBER && (op == '+' || op == '-') &&
	    b->u.num.scale == 0 && b->u.num.units > -3650000 && b->u.num.units < 3650000) {
		days = op == '+' ? b->u.num.units : -b->u.num.units;
		out->kind = CRM_V_DATE;
		out->u.date = (crm_date)(da + days);
		return;
	}
	set_error(out, env, "dates take + or - a whole number of days, or - a date");
}

static void eval_arith(struct crm_value *out, char op, struct crm_value *a,
		       struct crm_value *b, const struct crm_formula_env *env)
{
	out->percent = false;
	if (a->kind == CRM_V_NULL || b->kind == CRM_V_NULL) {
		*out = CRM_VALUE_NULL;
	} else if (a->kind == CRM_V_NUMBER && b->kind == CRM_V_NUMBER) {
		arith_numbers(out, op, a->u.num, b->u.num, env);
	} else if (a->kind == CRM_V_MONEY || b->kind == CRM_V_MONEY) {
		if ((a->kind == CRM_V_MONEY || a->kind == CRM_V_NUMBER) &&
		    (b->kind == CRM_V_MONEY || b->kind == CRM_V_NUMBER))
			arith_money(out, op, a, b, env);
		else
			set_error(out, env, "money mixed with a value that is not a number");
	} else if (as_date(a, &(crm_date){ 0 }) || as_date(b, &(crm_date){ 0 })) {
		arith_dates(out, op, a, b, env);
	} else {
		set_error(out, env, a->kind == CRM_V_TEXT || b->kind == CRM_V_TEXT
			  ? "arithmetic on text" : "arithmetic on values that are not numbers");
	}
}

/* -2 when the two cannot be compared. */
static int compare(struct crm_value *out, struct crm_value *a, struct crm_value *b,
		   const struct crm_formula_env *env)
{
	crm_date da, db;
	if (a->kind == CRM_V_NUMBER && b->kind == CRM_V_NUMBER)
		return crm_dec_cmp(a->u.num, b->u.num);
	if (a->kind == CRM_V_MONEY && b->kind == CRM_V_MONEY) {
		struct crm_money ma = a->u.money, mb = b->u.money;
		if (!to_money_pair(out, &ma, &mb, env))
			return -3;
		return crm_dec_cmp(ma.amount, mb.amount);
	}
	if (as_date(a, &da) && as_date(b, &db))
		return da < db ? -1 : da > db;
	if (a->kind == CRM_V_TEXT && b->kind == CRM_V_TEXT) {
		int c = strcmp(a->u.text, b->u.text);
		return c < 0 ? -1 : c > 0;
	}
	if (a->kind == CRM_V_BOOL && b->kind == CRM_V_BOOL)
		return a->u.b == b->u.b ? 0 : 2;
	return -2;
}

static void eval_compare(struct crm_value *out, const char *op, struct crm_value *a,
			 struct crm_value *b, const struct crm_formula_env *env)
{
	bool eq = !strcmp(op, "=="), ne = !strcmp(op, "!=");
	int c;

	out->kind = CRM_V_BOOL;
	out->percent = false;
	if (a->kind == CRM_V_NULL || b->kind == CRM_V_NULL) {
		bool both = a->kind == b->kind;
		out->u.b = eq ? both : ne ? !both : false;
		return;
	}
	c = compare(out, a, b, env);
	if (c == -3)
		return;
	if (c == -2) {
		set_error(out, env, "cannot compare values of different kinds");
		return;
	}
	out->kind = CRM_V_BOOL;
	if (c == 2)
		out->u.b = ne;
	else if (eq) out->u.b = c == 0;
	else if (ne) out->u.b = c != 0;
	else if (!strcmp(op, "<")) out->u.b = c < 0;
	else if (!strcmp(op, "<=")) out->u.b = c <= 0;
	else if (!strcmp(op, ">")) out->u.b = c > 0;
	else out->u.b = c >= 0;
}

/* Booleans for and/or/not/if: null is false, anything else is an error. */
static int truth(bool *t, struct crm_value *out, const struct crm_value *v,
		 const struct crm_formula_env *env)
{
	if (v->kind == CRM_V_ERROR) {
		*out = *v;
		return -1;
	}
	if (v->kind == CRM_V_NULL) {
		*t = false;
		return 0;
	}
	if (v->kind != CRM_V_BOOL) {
		set_error(out, env, "a condition must be true or false");
		return -1;
	}
	*t = v->u.b;
	return 0;
}

static void eval_call(struct crm_value *out, const struct crm_formula *f,
		      const struct crm_formula_env *env)
{
	struct crm_value a, b;
	crm_date da, db;
	bool t;

	if (!strcmp(f->name, "today")) {
		out->kind = CRM_V_DATE;
		out->u.date = env->today;
	} else if (!strcmp(f->name, "if")) {
		eval(&a, f->args[0], env);
		if (truth(&t, out, &a, env))
			return;
		eval(out, f->args[t ? 1 : 2], env);
	} else if (!strcmp(f->name, "days")) {
		eval(&a, f->args[0], env);
		eval(&b, f->args[1], env);
		if (a.kind == CRM_V_ERROR || b.kind == CRM_V_ERROR)
			*out = a.kind == CRM_V_ERROR ? a : b;
		else if (a.kind == CRM_V_NULL || b.kind == CRM_V_NULL)
			*out = CRM_VALUE_NULL;
		else if (!as_date(&a, &da) || !as_date(&b, &db))
			set_error(out, env, "days() takes two dates");
		else {
			out->kind = CRM_V_NUMBER;
			out->u.num = crm_dec_from_int((int64_t)db - da);
		}
	} else {
		eval(&a, f->args[0], env);
		if (a.kind == CRM_V_ERROR || a.kind == CRM_V_NULL) {
			*out = a;
		} else if (a.kind != CRM_V_TEXT ||
			   crm_date_parse(&da, a.u.text, strlen(a.u.text))) {
			set_error(out, env, "date() takes text such as '2025-01-31'");
		} else {
			out->kind = CRM_V_DATE;
			out->u.date = da;
		}
	}
}

static void eval_field(struct crm_value *out, const struct crm_formula *f,
		       const struct crm_formula_env *env)
{
	int rc = env->field ? env->field(out, f->name, env->payload) : CRM_ENOTFOUND;
	if (rc == CRM_ENOTFOUND)
		set_error(out, env, crm_arena_printf(env->arena, "unknown field '%s'", f->name));
	else if (rc)
		set_error(out, env, crm_error_last());
}

static void eval(struct crm_value *out, const struct crm_formula *f,
		 const struct crm_formula_env *env)
{
	struct crm_value a, b;
	bool t;

	*out = CRM_VALUE_NULL;
	switch (f->kind) {
	case N_LIT:
		*out = f->lit;
		return;
	case N_FIELD:
		eval_field(out, f, env);
		return;
	case N_CALL:
		eval_call(out, f, env);
		return;
	case N_NOT:
		eval(&a, f->args[0], env);
		if (!truth(&t, out, &a, env)) {
			out->kind = CRM_V_BOOL;
			out->u.b = !t;
		}
		return;
	case N_AND:
	case N_OR:
		eval(&a, f->args[0], env);
		if (truth(&t, out, &a, env))
			return;
		if (t == (f->kind == N_OR)) {
			out->kind = CRM_V_BOOL;
			out->u.b = t;
			return;
		}
		eval(&b, f->args[1], env);
		if (!truth(&t, out, &b, env)) {
			out->kind = CRM_V_BOOL;
			out->u.b = t;
		}
		return;
	case N_NEG:
		eval(&a, f->args[0], env);
		b.kind = CRM_V_NUMBER;
		b.percent = false;
		b.u.num = crm_dec_from_int(-1);
		if (a.kind == CRM_V_ERROR)
			*out = a;
		else
			eval_arith(out, '*', &b, &a, env);
		return;
	case N_BIN:
		eval(&a, f->args[0], env);
		if (a.kind == CRM_V_ERROR) {
			*out = a;
			return;
		}
		eval(&b, f->args[1], env);
		if (b.kind == CRM_V_ERROR) {
			*out = b;
			return;
		}
		if (strchr("+-*/", f->op[0]) && !f->op[1])
			eval_arith(out, f->op[0], &a, &b, env);
		else
			eval_compare(out, f->op, &a, &b, env);
		return;
	}
}

void crm_formula_eval(struct crm_value *out, const struct crm_formula *f,
		      const struct crm_formula_env *env)
{
	eval(out, f, env);
}

static void walk_names(const struct crm_formula *f,
		       void (*fn)(const char *name, void *payload), void *payload)
{
	int i;
	if (f->kind == N_FIELD)
		fn(f->name, payload);
	for (i = 0; i < f->nargs; i++)
		walk_names(f->args[i], fn, payload);
}

void crm_formula_names(const struct crm_formula *f,
		       void (*fn)(const char *name, void *payload), void *payload)
{
	walk_names(f, fn, payload);
}
