/* Golden table for the formula language (in the manner of jq's .test
 * files): an expression, the fields it may read, and the expected printed
 * result, or "%%FAIL message" for a parse error. */
#include "crm/arena.h"
#include "crm/buf.h"
#include "crm/error.h"
#include "crm/formula.h"
#include "crm/index.h"
#include "harness.h"

/* Fields every case can read. */
static int field(struct crm_value *out, const char *name, void *payload)
{
	struct crm_arena *a = payload;
	(void)a;
	*out = CRM_VALUE_NULL;
	if (!strcmp(name, "amount")) {
		out->kind = CRM_V_MONEY;
		crm_money_parse(&out->u.money, "12000.00 EUR", NULL);
	} else if (!strcmp(name, "cost")) {
		out->kind = CRM_V_MONEY;
		crm_money_parse(&out->u.money, "4000.00 EUR", NULL);
	} else if (!strcmp(name, "usd")) {
		out->kind = CRM_V_MONEY;
		crm_money_parse(&out->u.money, "100.00 USD", NULL);
	} else if (!strcmp(name, "jpy")) {
		out->kind = CRM_V_MONEY;
		crm_money_parse(&out->u.money, "100 JPY", NULL);
	} else if (!strcmp(name, "stars")) {
		out->kind = CRM_V_NUMBER;
		out->u.num = crm_dec_from_int(3);
	} else if (!strcmp(name, "created")) {
		out->kind = CRM_V_DATE;
		crm_date_parse(&out->u.date, "2025-01-31", 10);
	} else if (!strcmp(name, "outcome")) {
		out->kind = CRM_V_TEXT;
		out->u.text = "lost";
	} else if (!strcmp(name, "name")) {
		out->kind = CRM_V_TEXT;
		out->u.text = "Łódź";
	} else if (strcmp(name, "missing")) {
		return CRM_ENOTFOUND;
	}
	return 0;
}

/* 1 USD = 0.92 EUR; JPY has no rate. */
static int convert(struct crm_money *out, const struct crm_money *in, const char *to,
		   void *payload)
{
	(void)payload;
	if (!strcmp(in->currency, to)) {
		*out = *in;
		return 0;
	}
	if (strcmp(in->currency, "USD") || strcmp(to, "EUR"))
		return crm_error_set(CRM_ENOTFOUND, "no rate for %s in crm.ini", in->currency);
	snprintf(out->currency, sizeof(out->currency), "EUR");
	return crm_dec_mul_round(&out->amount, in->amount, (crm_dec){ 92, 2 }, 2);
}

static const struct { const char *expr, *want; } table[] = {
	{ "1 + 2 * 3", "7" },
	{ "(1 + 2) * 3", "9" },
	{ "10 / 4", "2.5" },
	{ "1 / 3", "0.333333" },
	{ "2 / 3", "0.666667" },
	{ "-stars + 1", "-2" },
	{ "0.1 + 0.2", "0.3" },
	{ "amount - cost", "8000.00 EUR" },
	{ "amount * 0.25", "3000.00 EUR" },
	{ "(amount - cost) / amount", "0.666667" },
	{ "amount / stars", "4000.00 EUR" },
	{ "amount + usd", "12092.00 EUR" },
	{ "usd > 90", "error: cannot compare values of different kinds" },
	{ "usd < amount", "true" },
	{ "amount + jpy", "error: no rate for JPY in crm.ini" },
	{ "amount * cost", "error: cannot multiply money by money" },
	{ "amount + 5", "error: cannot add a number to money" },
	{ "amount / 0", "error: division by zero" },
	{ "1 / (stars - 3)", "error: division by zero" },
	{ "name + 1", "error: arithmetic on text" },
	{ "nosuch + 1", "error: unknown field 'nosuch'" },
	{ "missing + 1", "" },
	{ "missing == null", "true" },
	{ "missing > 1", "false" },
	{ "outcome == 'lost'", "true" },
	{ "outcome = \"won\"", "false" },
	{ "outcome != 'won' and stars >= 3", "true" },
	{ "not (stars > 2) or false", "false" },
	{ "if(stars > 2, 'many', 'few')", "many" },
	{ "if(false, 1 / 0, 'safe')", "safe" },
	{ "false and 1 / 0 > 1", "false" },
	{ "true or nosuch", "true" },
	{ "if(stars, 1, 2)", "error: a condition must be true or false" },
	{ "created + 1", "2025-02-01" },
	{ "created - 31", "2024-12-31" },
	{ "days(created, date('2025-03-01'))", "29" },
	{ "date('2025-03-01') - created", "29" },
	{ "today() - created", "121" },
	{ "created < today()", "true" },
	{ "date('2025-02-30')", "error: date() takes text such as '2025-01-31'" },
	{ "name == 'Łódź'", "true" },
	{ "1 +", "%%FAIL unexpected end of formula at column 4" },
	{ "1 < 2 < 3", "%%FAIL comparisons do not chain; use 'and' at column 7" },
	{ "foo(1)", "%%FAIL unknown function at column 4" },
	{ "days(1)", "%%FAIL days() takes 2 arguments at column 1" },
	{ "'open", "%%FAIL unterminated string at column 6" },
	{ "1 $ 2", "%%FAIL unexpected text after the formula at column 3" },
	{ "(1", "%%FAIL expected ')' at column 3" },
};

static void run_case(size_t i)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_formula *f = NULL;
	struct crm_formula_env env;
	struct crm_value v;
	struct crm_buf got = CRM_BUF_INIT;

	memset(&env, 0, sizeof(env));
	env.field = field;
	env.convert = convert;
	env.base_currency = "EUR";
	crm_date_parse(&env.today, "2025-06-01", 10);
	env.arena = &arena;
	env.payload = &arena;
	if (crm_formula_parse(&f, &arena, table[i].expr, NULL)) {
		crm_buf_addf(&got, "%%%%FAIL %s", crm_error_last());
	} else {
		crm_formula_eval(&v, f, &env);
		if (v.kind == CRM_V_ERROR)
			crm_buf_addf(&got, "error: %s", v.u.text);
		else
			crm_value_format(&got, &v);
	}
	if (strcmp(got.ptr, table[i].want)) {
		fprintf(stderr, "  '%s': expected '%s', got '%s'\n", table[i].expr,
			table[i].want, got.ptr);
		harness_failed_checks++;
	}
	crm_buf_release(&got);
	crm_arena_release(&arena);
}

static void test_formula__golden_table(void)
{
	size_t i;
	for (i = 0; i < sizeof(table) / sizeof(*table); i++)
		run_case(i);
}

static void test_formula__nesting_is_bounded(void)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_buf deep = CRM_BUF_INIT;
	struct crm_formula *f;
	int i;
	for (i = 0; i < 500; i++)
		crm_buf_addch(&deep, '(');
	crm_buf_addch(&deep, '1');
	for (i = 0; i < 500; i++)
		crm_buf_addch(&deep, ')');
	CHECK_INT(CRM_EINVALID, crm_formula_parse(&f, &arena, deep.ptr, NULL));
	CHECK(strstr(crm_error_last(), "nests too deeply") != NULL);
	crm_buf_release(&deep);
	crm_arena_release(&arena);
}

static void collect(const char *name, void *payload)
{
	struct crm_buf *b = payload;
	crm_buf_addf(b, "%s ", name);
}

static void test_formula__names(void)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_formula *f;
	CHECK_INT(0, crm_formula_parse(&f, &arena, "if(a > b, c - d, today())", NULL));
	crm_formula_names(f, collect, &b);
	CHECK_STR("a b c d ", b.ptr);
	crm_buf_release(&b);
	crm_arena_release(&arena);
}

TESTS(TEST(test_formula__golden_table), TEST(test_formula__nesting_is_bounded),
      TEST(test_formula__names))
