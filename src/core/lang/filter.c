/* The filter language of crm ls and the reports (see include/crm/filter.h):
 * terms are parsed once against the schema, so a typo fails before any
 * record is read; filter_match.c then matches them per record on typed
 * values.  The ordering of values and --sort are in value_order.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "crm/filter.h"
#include "crm/utf8.h"
#include "core/lang/lang_internal.h"

/* Longer operators first, so ">=" is never read as ">" and "=3". */
static const struct { const char *s; enum term_op op; } ops[] = {
	{ ">=", OP_GE }, { "<=", OP_LE }, { "!=", OP_NE }, { "==", OP_EQ },
	{ "=", OP_EQ }, { ">", OP_GT }, { "<", OP_LT }, { "~", OP_CONTAINS }, { ":", OP_HAS },
};

static const struct crm_field created_field = { .name = "created", .type = CRM_F_DATE };
static const char *const outcomes[] = { "open", "won", "lost", "void" };
static const char *const pseudo_fields[] = { "id", "created", "outcome", "tag", "owner",
					     "notes" };

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && ((c >= '0' && c <= '9') || c == '.'));
}

/* did-you-mean among names that have no suggester of their own */
struct suggest {
	const char *name;
	const char *best;
	size_t dist;
};
#define SUGGEST_INIT(name) { (name), NULL, 3 }

static void suggest_try(struct suggest *sg, const char *candidate)
{
	size_t d = crm_edit_distance(sg->name, candidate, 2);
	if (d < sg->dist) {
		sg->dist = d;
		sg->best = candidate;
	}
}

bool crm_lang_holds_list(enum crm_field_type type)
{
	return type == CRM_F_TAGS || type == CRM_F_REFS || type == CRM_F_FILES ||
	       type == CRM_F_LIST || type == CRM_F_MAP;
}

int crm_lang_stage_place(const struct crm_config *cfg, const char *name)
{
	size_t i;
	for (i = 0; i < cfg->stages.len; i++) {
		if (!strcmp(cfg->stages.ptr[i].name, name))
			return (int)i;
	}
	return -1;
}

char *crm_lang_fold(struct crm_arena *a, const char *s)
{
	struct crm_buf b = CRM_BUF_INIT;
	char *out;
	if (crm_utf8_casefold(&b, s)) {
		crm_buf_release(&b);
		return crm_arena_strdup(a, s);
	}
	out = crm_arena_strdup(a, b.ptr);
	crm_buf_release(&b);
	return out;
}

char *crm_lang_search_key(struct crm_arena *a, const char *s)
{
	struct crm_buf b = CRM_BUF_INIT;
	char *out;
	if (crm_utf8_search_key(&b, s)) {
		crm_buf_release(&b);
		return crm_arena_strdup(a, s);
	}
	out = crm_arena_strdup(a, b.ptr);
	crm_buf_release(&b);
	return out;
}

int crm_lang_fold_cmp(const char *s, const char *folded, bool is_ref)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *slash;
	int c;

	crm_utf8_casefold(&b, s);
	c = strcmp(b.ptr, folded);
	/* a ref to any type stores "opportunity/acme"; "about:acme" finds it */
	slash = strchr(b.ptr, '/');
	if (c && is_ref && slash && !strchr(folded, '/') && !strcmp(slash + 1, folded))
		c = 0;
	crm_buf_release(&b);
	return c;
}

/* ---- parsing ---- */

static int bad_term(const char *term, const char *msg)
{
	return crm_error_set(CRM_EUSAGE, "filter '%s': %s", term, msg);
}

/* One end of a date right-hand side: a period as people type it (a day,
 * "2025-03", "2025-Q1", "2025-W07", "last quarter", "today", "-2w": see
 * crm_period_parse), from its first day (lo) or its last (hi), or for a
 * datetime field an instant ("2025-03-10T09:30Z"). */
static int parse_date_end(struct bound *b, struct crm_index *idx, const struct crm_field *pf,
			  const char *s, size_t len, bool hi, bool strict, const char *term)
{
	struct crm_period p;
	struct crm_value v;

	/* "2025-03-10T09:30Z", not "next-Thursday" */
	if (len > 10 && s[10] == 'T' && s[4] == '-' && (!strict || pf->type == CRM_F_DATETIME)) {
		struct crm_node n = { .kind = CRM_NODE_SCALAR, .style = CRM_STYLE_PLAIN };
		static const struct crm_field dt = { .name = "datetime", .type = CRM_F_DATETIME };
		n.text = s;
		n.len = len;
		if (crm_index_parse_scalar(&v, idx, &dt, &n, NULL) || v.kind != CRM_V_DATETIME)
			return strict ? bad_term(term, crm_error_last()) : CRM_EINVALID;
		b->has_instant = b->has_date = true;
		b->instant = v.u.datetime.epoch;
		b->date = crm_datetime_date(&v.u.datetime);
		return 0;
	}
	if (!crm_period_parse(&p, s, len, crm_index_today(idx), NULL)) {
		b->has_date = true;
		b->date = hi ? p.last : p.first;
		return 0;
	}
	return strict ? bad_term(term, crm_error_last()) : CRM_EINVALID;
}

/* Money in the currency written, else `dflt`, and in the base currency. */
static int parse_money_end(struct bound *b, struct crm_filter *flt, struct crm_index *idx,
			   const struct crm_field *pf, const char *s, const char *dflt,
			   bool strict, const char *term)
{
	struct crm_node n = { .kind = CRM_NODE_SCALAR, .style = CRM_STYLE_PLAIN };
	struct crm_value v;
	int err;

	n.text = s;
	if (!strchr(s, ' ') && strcmp(dflt, crm_lang_base_currency(idx))) {
		n.text = crm_arena_printf(&flt->arena, "%s %s", s, dflt);
		if (!n.text)
			return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	n.len = strlen(n.text);
	err = crm_index_parse_scalar(&v, idx, pf, &n, NULL);
	if (err || v.kind != CRM_V_MONEY)
		return strict ? bad_term(term, crm_error_last()) : CRM_EINVALID;
	b->has_money = true;
	b->money = v.u.money;
	err = crm_index_convert(&b->base, idx, &b->money, crm_lang_base_currency(idx));
	if (err && strict)
		return bad_term(term, crm_error_last());
	b->has_base = !err;
	return 0;
}

/* The currency code ending a money text ("5000 USD"), or NULL. */
static const char *money_code(const char *s, size_t len, char code[4])
{
	if (len < 5 || s[len - 4] != ' ')
		return NULL;
	memcpy(code, s + len - 3, 3);
	code[3] = '\0';
	return code;
}

static int parse_stage_end(struct bound *b, struct crm_index *idx, const char *s,
			   const char *term)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	struct suggest sg = SUGGEST_INIT(s);
	int place = crm_lang_stage_place(cfg, s);
	size_t i;

	if (place >= 0) {
		b->has_num = true;
		b->num = crm_dec_from_int(place);
		return 0;
	}
	for (i = 0; i < cfg->stages.len; i++)
		suggest_try(&sg, cfg->stages.ptr[i].name);
	if (sg.best)
		return crm_error_set(CRM_EUSAGE, "filter '%s': unknown stage '%s' "
				     "(did you mean '%s'?)", term, s, sg.best);
	return crm_error_set(CRM_EUSAGE, "filter '%s': unknown stage '%s' (crm.ini lists "
			     "the stages)", term, s);
}

/* Every reading of `s` that parses, for fields whose type shows only in
 * their values (formulas). */
static void parse_any_end(struct bound *b, struct crm_filter *flt, struct crm_index *idx,
			  const char *s, size_t len, bool hi)
{
	static const struct crm_field money = { .name = "money", .type = CRM_F_MONEY };
	static const struct crm_field percent = { .name = "percent", .type = CRM_F_PERCENT };
	struct crm_node n = { .kind = CRM_NODE_SCALAR, .style = CRM_STYLE_PLAIN };
	struct crm_value v;

	parse_money_end(b, flt, idx, &money, s, crm_lang_base_currency(idx), false, NULL);
	n.text = s;
	n.len = len;
	if (!crm_dec_parse(&b->num, s, len))
		b->has_num = true;
	else if (!crm_index_parse_scalar(&v, idx, &percent, &n, NULL) && v.kind == CRM_V_NUMBER) {
		b->has_num = true;
		b->num = v.u.num;
	}
	parse_date_end(b, idx, &created_field, s, len, hi, false, NULL);
	crm_error_clear();
}

static int parse_end(struct bound *b, struct crm_filter *flt, struct crm_index *idx,
		     const struct term *t, const struct crm_field *pf, const char *s,
		     const char *dflt_currency, bool hi, const char *term)
{
	struct crm_node n = { .kind = CRM_NODE_SCALAR, .style = CRM_STYLE_PLAIN };
	struct crm_value v;
	size_t len = strlen(s);

	b->set = true;
	if (t->kind == K_STAGE)
		return parse_stage_end(b, idx, s, term);
	if (t->kind == K_ANY) {
		parse_any_end(b, flt, idx, s, len, hi);
		return 0;
	}
	switch (pf->type) {
	case CRM_F_DATE: case CRM_F_DATETIME:
		return parse_date_end(b, idx, pf, s, len, hi, true, term);
	case CRM_F_MONEY:
		return parse_money_end(b, flt, idx, pf, s, dflt_currency, true, term);
	default:
		break;
	}
	/* numbers, integers, ratings, percents, durations: the field's own
	 * rules (bounds, "15%"), as crm check applies them */
	n.text = s;
	n.len = len;
	if (crm_index_parse_scalar(&v, idx, pf, &n, NULL))
		return bad_term(term, crm_error_last());
	if (v.kind != CRM_V_NUMBER)
		return crm_error_set(CRM_EUSAGE, "filter '%s': cannot compare field '%s'",
				     term, pf->name);
	b->has_num = true;
	b->num = v.u.num;
	return 0;
}

/* "A", or the range "A..B" with either end left out. */
static int parse_bounds(struct term *t, struct crm_filter *flt, struct crm_index *idx,
			const struct crm_field *pf, const char *term)
{
	const char *dots = strstr(t->text, "..");
	const char *base = crm_lang_base_currency(idx), *lo_cur = base, *hi_cur = base;
	char lo_code[4], hi_code[4], *lo_s, *hi_s;
	int err;

	if (!dots) {
		err = parse_end(&t->lo, flt, idx, t, pf, t->text, base, false, term);
		if (!err)
			err = parse_end(&t->hi, flt, idx, t, pf, t->text, base, true, term);
		return err;
	}
	lo_s = crm_arena_strndup(&flt->arena, t->text, (size_t)(dots - t->text));
	hi_s = crm_arena_strdup(&flt->arena, dots + 2);
	if (!lo_s || !hi_s)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (!*lo_s && !*hi_s)
		return bad_term(term, "a range needs at least one end");
	/* "1000..5000 USD": a bare end takes the other end's currency */
	if (pf && pf->type == CRM_F_MONEY) {
		if (money_code(hi_s, strlen(hi_s), hi_code))
			lo_cur = hi_code;
		if (money_code(lo_s, strlen(lo_s), lo_code))
			hi_cur = lo_code;
	}
	err = 0;
	if (*lo_s)
		err = parse_end(&t->lo, flt, idx, t, pf, lo_s, lo_cur, false, term);
	if (!err && *hi_s)
		err = parse_end(&t->hi, flt, idx, t, pf, hi_s, hi_cur, true, term);
	if (!err && !t->hi.set && (t->op == OP_GT || t->op == OP_LE))
		return bad_term(term, "the range has no end to compare with");
	if (!err && !t->lo.set && (t->op == OP_LT || t->op == OP_GE))
		return bad_term(term, "the range has no start to compare with");
	return err;
}

/* For =, : and != on enum-like fields: the value must be one of them. */
static int check_choice(const struct term *t, const char *const *values, size_t n,
			const char *term)
{
	struct suggest sg = SUGGEST_INIT(t->text);
	size_t i;

	if (!n || t->op == OP_CONTAINS || t->op == OP_LT || t->op == OP_LE ||
	    t->op == OP_GT || t->op == OP_GE)
		return 0;
	for (i = 0; i < n; i++) {
		if (!crm_lang_fold_cmp(values[i], t->folded, false))
			return 0;
		suggest_try(&sg, values[i]);
	}
	if (sg.best)
		return crm_error_set(CRM_EUSAGE, "filter '%s': '%s' is not a value of '%s' "
				     "(did you mean '%s'?)", term, t->text, t->field, sg.best);
	return crm_error_set(CRM_EUSAGE, "filter '%s': '%s' is not a value of '%s'", term,
			     t->text, t->field);
}

/* The stored field a lookup ends at, following lookups of lookups; NULL
 * when the chain passes a reference to any type (values decide then). */
const struct crm_field *crm_lang_lookup_end(struct crm_index *idx, const struct crm_schema *s,
					    const struct crm_field *f)
{
	int depth;
	for (depth = 0; depth < 16 && f && f->type == CRM_F_LOOKUP; depth++) {
		const struct crm_field *via = f->via ? crm_schema_field(s, f->via) : NULL;
		const char *type = via ? crm_index_target_type(idx, s, via) : NULL;
		if (!type || !strcmp(type, "any") || !f->field)
			return NULL;
		s = crm_repo_schema(crm_index_repo(idx), type);
		f = s ? crm_schema_field(s, f->field) : NULL;
	}
	return f && f->type != CRM_F_LOOKUP ? f : NULL;
}

static int unknown_field(const struct crm_schema *s, const char *name, const char *hint)
{
	struct suggest sg = SUGGEST_INIT(name);
	size_t i;

	if (!hint)
		hint = crm_schema_suggest_field(s, name);
	for (i = 0; !hint && i < COUNT(pseudo_fields); i++)
		suggest_try(&sg, pseudo_fields[i]);
	if (!hint)
		hint = sg.best;
	if (hint)
		return crm_error_set(CRM_EUSAGE, "unknown field '%s' (did you mean '%s'?)",
				     name, hint);
	return crm_error_set(CRM_EUSAGE, "unknown field '%s' (%s has no such field)", name,
			     s->type);
}

/* "history.stage": a field of the entries of list field "history". */
static int resolve_item(struct term *t, struct crm_filter *flt, const struct crm_schema *s,
			const char *name, const struct crm_field **pf)
{
	const char *dot = strchr(name, '.');
	const char *head = crm_arena_strndup(&flt->arena, name, (size_t)(dot - name));
	const struct crm_field *list = head ? crm_schema_field(s, head) : NULL;
	const char *hint;

	if (!head)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (!list || list->type != CRM_F_LIST) {
		/* "next_step.dat": the entries of a mapping are the candidates */
		hint = list && list->type == CRM_F_MAP
		       ? crm_fields_suggest(list->fields, list->nfields, dot + 1) : NULL;
		hint = hint ? crm_arena_printf(&flt->arena, "%s.%s", head, hint) : NULL;
		return unknown_field(s, name, hint);
	}
	t->src = SRC_ITEM;
	t->field = list->name;
	t->item = crm_fields_find(list->fields, list->nfields, dot + 1);
	if (t->item && t->item->type != CRM_F_LIST && t->item->type != CRM_F_MAP &&
	    !crm_field_is_computed(t->item)) {
		*pf = t->item;
		return 0;
	}
	hint = crm_fields_suggest(list->fields, list->nfields, dot + 1);
	hint = hint ? crm_arena_printf(&flt->arena, "%s.%s", head, hint) : NULL;
	return unknown_field(s, name, hint);
}

/* Which field the term reads and how it compares.  *pf receives the field
 * whose type parses the right-hand side (the end of a lookup chain). */
static int resolve_field(struct term *t, struct crm_filter *flt, struct crm_index *idx,
			 const struct crm_schema *s, const char *name,
			 const struct crm_field **pf)
{
	const struct crm_field *f;
	int err;

	*pf = NULL;
	if (!strcmp(name, "tag") && !crm_schema_field(s, "tag"))
		name = "tags";
	t->field = name;
	f = crm_schema_field(s, name);
	if (!strcmp(name, "created")) {
		t->src = SRC_CREATED;
		t->kind = K_ORDER;
		*pf = &created_field;
		return 0;
	}
	if (!f && !strcmp(name, "id")) {
		t->src = SRC_ID;
		t->kind = K_TEXT;
		return 0;
	}
	if (!f && !strcmp(name, "outcome")) {
		t->kind = K_TEXT;
		return 0;
	}
	if (!f && !strcmp(name, "tags")) {
		t->kind = K_LIST;
		return 0;
	}
	if (!f && (!strcmp(name, "owner") || !strcmp(name, "notes"))) {
		t->src = SRC_RAW;
		t->kind = K_TEXT;
		return 0;
	}
	if (!f)   /* "next_step.date", last_activity: crm_index_value reads them */
		f = crm_index_field(s, name, NULL);
	if (!f && strchr(name, '.')) {
		err = resolve_item(t, flt, s, name, pf);
		if (err)
			return err;
		f = *pf;
	} else if (!f) {
		return unknown_field(s, name, NULL);
	} else {
		*pf = f->type == CRM_F_LOOKUP ? crm_lang_lookup_end(idx, s, f) : f;
	}
	/* lookups read one scalar value: a list at the end has nothing to match */
	if (f->type == CRM_F_LOOKUP && *pf && crm_lang_holds_list((*pf)->type))
		return crm_error_set(CRM_EUSAGE, "field '%s' looks up a list and cannot be "
				     "filtered on", name);
	switch (*pf ? (*pf)->type : CRM_F_FORMULA) {
	case CRM_F_TAGS: case CRM_F_REFS: case CRM_F_FILES:
		t->kind = K_LIST;
		t->is_ref = (*pf)->type == CRM_F_REFS;
		return 0;
	case CRM_F_DATE: case CRM_F_DATETIME: case CRM_F_NUMBER: case CRM_F_INTEGER:
	case CRM_F_MONEY: case CRM_F_PERCENT: case CRM_F_RATING: case CRM_F_DURATION:
		t->kind = K_ORDER;
		return 0;
	case CRM_F_STAGE:
		t->kind = K_STAGE;
		return 0;
	case CRM_F_FORMULA: case CRM_F_LOOKUP:
		t->kind = K_ANY;
		return 0;
	case CRM_F_LIST:
		return crm_error_set(CRM_EUSAGE, "field '%s' is a list: filter on a field of "
				     "its entries, as in '%s.%s'", name, name,
				     f->nfields ? f->fields[0].name : "date");
	case CRM_F_MAP:
		return crm_error_set(CRM_EUSAGE, "field '%s' holds a mapping and cannot be "
				     "filtered on", name);
	default:
		t->kind = K_TEXT;
		t->is_ref = (*pf)->type == CRM_F_REF;
		return 0;
	}
}

static int parse_term(struct term *t, struct crm_filter *flt, struct crm_index *idx,
		      const struct crm_schema *s, const char *term)
{
	const char *p = term, *name_end;
	const struct crm_field *pf = NULL;
	char *name;
	size_t i = COUNT(ops);
	int err;

	memset(t, 0, sizeof(*t));
	if (*p == '-' || *p == '!') {
		t->negate = true;
		p++;
	}
	name_end = p;
	while (name_char(*name_end, name_end == p))
		name_end++;
	if (name_end > p) {
		for (i = 0; i < COUNT(ops); i++) {
			if (!strncmp(name_end, ops[i].s, strlen(ops[i].s)))
				break;
		}
	}
	if (i == COUNT(ops)) {
		if (!*p)
			return crm_error_set(CRM_EUSAGE, "empty filter term '%s'", term);
		t->kind = K_FREE;
		t->text = crm_arena_strdup(&flt->arena, p);
		t->folded = t->text ? crm_lang_fold(&flt->arena, t->text) : NULL;
		t->key = t->text ? crm_lang_search_key(&flt->arena, t->text) : NULL;
		return t->folded && t->key ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");
	}
	t->op = ops[i].op;
	name = crm_arena_strndup(&flt->arena, p, (size_t)(name_end - p));
	t->text = crm_arena_strdup(&flt->arena, name_end + strlen(ops[i].s));
	t->folded = t->text ? crm_lang_fold(&flt->arena, t->text) : NULL;
	t->key = t->text ? crm_lang_search_key(&flt->arena, t->text) : NULL;
	if (!name || !t->folded || !t->key)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (!*t->text)
		return crm_error_set(CRM_EUSAGE, "filter '%s': no value after '%s'", term,
				     ops[i].s);
	err = resolve_field(t, flt, idx, s, name, &pf);
	if (err)
		return err;
	switch (t->kind) {
	case K_LIST:
		if (t->op != OP_EQ && t->op != OP_HAS && t->op != OP_NE && t->op != OP_CONTAINS)
			return crm_error_set(CRM_EUSAGE, "filter '%s': '%s' is a list; use "
					     "'%s:value' or '%s~text'", term, t->field,
					     name, name);
		return check_choice(t, pf ? pf->values : NULL, pf ? pf->nvalues : 0, term);
	case K_TEXT:
		if (!pf && t->src == SRC_FIELD)   /* outcome */
			return check_choice(t, outcomes, COUNT(outcomes), term);
		return pf && pf->type == CRM_F_ENUM
		       ? check_choice(t, pf->values, pf->nvalues, term) : 0;
	case K_ORDER:
		if (t->op == OP_CONTAINS)
			return crm_error_set(CRM_EUSAGE, "filter '%s': '~' needs a text field, "
					     "and '%s' is %s", term, t->field,
					     crm_field_type_name(pf->type));
		return parse_bounds(t, flt, idx, pf, term);
	case K_STAGE:
	case K_ANY:
		return t->op == OP_CONTAINS ? 0 : parse_bounds(t, flt, idx, pf, term);
	default:
		return 0;
	}
}

int crm_filter_parse(struct crm_filter **out, struct crm_index *idx,
		     const struct crm_schema *s, const char *const *terms, size_t n)
{
	struct crm_filter *f = calloc(1, sizeof(*f));
	size_t i;
	int err = 0;

	*out = NULL;
	if (!f || !(f->terms = calloc(n + 1, sizeof(*f->terms)))) {
		free(f);
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	crm_arena_init(&f->arena);
	for (i = 0; i < n && !err; i++)
		err = parse_term(&f->terms[i], f, idx, s, terms[i]);
	f->n = n;
	if (err) {
		crm_filter_free(f);
		return err;
	}
	*out = f;
	return 0;
}

bool crm_filter_is_empty(const struct crm_filter *f)
{
	return !f || !f->n;
}

void crm_filter_free(struct crm_filter *f)
{
	if (!f)
		return;
	crm_arena_release(&f->arena);
	free(f->terms);
	free(f);
}
