/* The filter language of crm ls and the reports (see include/crm/filter.h):
 * terms are parsed once against the schema, so a typo fails before any
 * record is read, then matched per record on typed values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "crm/filter.h"
#include "crm/utf8.h"
#include "index_internal.h"

enum term_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_HAS, OP_TEXT };

enum term_kind { T_TEXT, T_NUMBER, T_MONEY, T_DATE, T_STAGE, T_LIST };

struct term {
	bool negate;
	enum term_op op;
	enum term_kind kind;
	const char *field;            /* NULL for free text */
	const char *text;             /* the right-hand side as written */
	crm_dec num;
	struct crm_money money;
	crm_date lo, hi;              /* dates: the period, inclusive */
	int stage;                    /* stages: pipeline position */
};

struct crm_filter {
	struct term *terms;
	size_t n;
};

static const struct { const char *s; enum term_op op; } ops[] = {
	{ ">=", OP_GE }, { "<=", OP_LE }, { "!=", OP_NE }, { "==", OP_EQ },
	{ "=", OP_EQ }, { ">", OP_GT }, { "<", OP_LT }, { "~", OP_CONTAINS }, { ":", OP_HAS },
};

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || c == '_' || (!first && ((c >= '0' && c <= '9') || c == '.'));
}

static int stage_index(const struct crm_config *cfg, const char *name)
{
	size_t i;
	for (i = 0; i < cfg->stages.len; i++) {
		if (!strcmp(cfg->stages.ptr[i].name, name))
			return (int)i;
	}
	return -1;
}

/* "2025", "2025-03", "2025-03-31" as the first and last day they cover. */
static int parse_period(crm_date *lo, crm_date *hi, const char *s, size_t len)
{
	char buf[16];
	int y, m;

	if (len == 10)
		return crm_date_parse(lo, s, len) ? CRM_EINVALID : (*hi = *lo, 0);
	if (len >= sizeof(buf))
		return CRM_EINVALID;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (len == 4 && sscanf(buf, "%4d", &y) == 1 && y > 0) {
		*lo = crm_date_from_ymd(y, 1, 1);
		*hi = crm_date_from_ymd(y, 12, 31);
		return 0;
	}
	if (len == 7 && buf[4] == '-' && sscanf(buf, "%4d-%2d", &y, &m) == 2 && y > 0 &&
	    m >= 1 && m <= 12) {
		*lo = crm_date_from_ymd(y, m, 1);
		*hi = crm_date_add_months(*lo, 1) - 1;
		return 0;
	}
	return CRM_EINVALID;
}

static int parse_dates(struct term *t, const char *rhs)
{
	const char *dots = strstr(rhs, "..");
	crm_date a, b;

	t->kind = T_DATE;
	if (!dots)
		return parse_period(&t->lo, &t->hi, rhs, strlen(rhs));
	t->lo = INT32_MIN;
	t->hi = INT32_MAX;
	if (dots > rhs && parse_period(&t->lo, &b, rhs, (size_t)(dots - rhs)))
		return CRM_EINVALID;
	if (dots[2] && parse_period(&a, &t->hi, dots + 2, strlen(dots + 2)))
		return CRM_EINVALID;
	return 0;
}

static int bad_value(const char *term, const char *what, const char *field)
{
	return crm_error_set(CRM_EUSAGE, "filter '%s': '%s' is not %s", term, what, field);
}

static int parse_rhs(struct term *t, struct crm_index *idx, const struct crm_field *f,
		     const char *term)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	enum crm_field_type type = f ? f->type : CRM_F_TEXT;
	size_t len = strlen(t->text);

	if (!strcmp(t->field, "created"))
		type = CRM_F_DATE;
	switch (type) {
	case CRM_F_DATE: case CRM_F_DATETIME:
		if (t->op == OP_CONTAINS || parse_dates(t, t->text))
			return bad_value(term, t->text, "a date, a month, a year or a range A..B");
		return 0;
	case CRM_F_MONEY:
		t->kind = T_MONEY;
		if (crm_money_parse(&t->money, t->text, cfg->currency))
			return crm_error_set(CRM_EUSAGE, "filter '%s': %s", term, crm_error_last());
		return 0;
	case CRM_F_NUMBER: case CRM_F_INTEGER: case CRM_F_RATING: case CRM_F_PERCENT:
		t->kind = T_NUMBER;
		if (len && t->text[len - 1] == '%')
			len--;
		if (crm_dec_parse(&t->num, t->text, len))
			return bad_value(term, t->text, "a number");
		if (type == CRM_F_PERCENT && t->num.scale + 2 <= CRM_DEC_MAX_SCALE)
			t->num.scale += 2;
		return 0;
	case CRM_F_STAGE:
		t->kind = T_STAGE;
		t->stage = stage_index(cfg, t->text);
		if (t->stage < 0 && t->op != OP_CONTAINS)
			return crm_error_set(CRM_EUSAGE, "filter '%s': unknown stage '%s'", term,
					     t->text);
		return 0;
	case CRM_F_TAGS: case CRM_F_REFS: case CRM_F_FILES:
		t->kind = T_LIST;
		return 0;
	default:
		t->kind = T_TEXT;
		return 0;
	}
}

static int parse_term(struct term *t, struct crm_index *idx, const struct crm_schema *s,
		      const char *term)
{
	const char *p = term, *name_end;
	const struct crm_field *f;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (*p == '-' || *p == '!') {
		t->negate = true;
		p++;
	}
	name_end = p;
	while (name_char(*name_end, name_end == p))
		name_end++;
	for (i = 0; name_end > p && i < sizeof(ops) / sizeof(*ops); i++) {
		if (!strncmp(name_end, ops[i].s, strlen(ops[i].s)))
			break;
	}
	if (name_end == p || i == sizeof(ops) / sizeof(*ops)) {
		t->op = OP_TEXT;
		t->text = p;
		return *p ? 0 : crm_error_set(CRM_EUSAGE, "empty filter '%s'", term);
	}
	t->op = ops[i].op;
	t->text = name_end + strlen(ops[i].s);
	t->field = crm_arena_strndup(crm_index_arena(idx), p, (size_t)(name_end - p));
	if (!strcmp(t->field, "tag"))
		t->field = "tags";
	f = crm_schema_field(s, t->field);
	if (!f && strcmp(t->field, "id") && strcmp(t->field, "created") &&
	    strcmp(t->field, "outcome") && strcmp(t->field, "tags")) {
		const char *hint = crm_schema_suggest_field(s, t->field);
		if (hint)
			return crm_error_set(CRM_EUSAGE, "unknown field '%s' (did you mean '%s'?)",
					     t->field, hint);
		return crm_error_set(CRM_EUSAGE, "%s has no field '%s'", s->type, t->field);
	}
	if (!f && !strcmp(t->field, "tags"))
		t->kind = T_LIST;
	return f || !strcmp(t->field, "created") ? parse_rhs(t, idx, f, term) : 0;
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
	for (i = 0; i < n && !err; i++)
		err = parse_term(&f->terms[i], idx, s, terms[i]);
	f->n = n;
	if (err) {
		crm_filter_free(f);
		return err;
	}
	*out = f;
	return 0;
}

void crm_filter_free(struct crm_filter *f)
{
	if (!f)
		return;
	free(f->terms);
	free(f);
}

static bool text_cmp(enum term_op op, const char *have, const char *want)
{
	struct crm_buf a = CRM_BUF_INIT, b = CRM_BUF_INIT;
	int c;
	if (op == OP_CONTAINS)
		return crm_utf8_contains_fold(have, want);
	crm_utf8_casefold(&a, have);
	crm_utf8_casefold(&b, want);
	c = strcmp(a.ptr, b.ptr);
	crm_buf_release(&a);
	crm_buf_release(&b);
	switch (op) {
	case OP_EQ: case OP_HAS: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	default: return c >= 0;
	}
}

static bool order_cmp(enum term_op op, int c)
{
	switch (op) {
	case OP_EQ: case OP_HAS: case OP_CONTAINS: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	default: return c >= 0;
	}
}

static bool date_match(const struct term *t, crm_date d)
{
	switch (t->op) {
	case OP_NE: return d < t->lo || d > t->hi;
	case OP_LT: return d < t->lo;
	case OP_LE: return d <= t->hi;
	case OP_GT: return d > t->hi;
	case OP_GE: return d >= t->lo;
	default: return d >= t->lo && d <= t->hi;
	}
}

static bool list_match(const struct term *t, const struct crm_node *n)
{
	size_t i;
	bool any = false;
	if (!n)
		return false;
	if (n->kind == CRM_NODE_SCALAR)
		return !crm_node_is_null(n) && text_cmp(t->op == OP_NE ? OP_EQ : t->op, n->text, t->text) != (t->op == OP_NE);
	for (i = 0; n->kind == CRM_NODE_SEQ && i < n->count && !any; i++) {
		if (n->items[i]->kind == CRM_NODE_SCALAR)
			any = text_cmp(t->op == OP_CONTAINS ? OP_CONTAINS : OP_EQ,
				       n->items[i]->text, t->text);
	}
	return t->op == OP_NE ? !any : any;
}

static bool value_match(const struct term *t, struct crm_index *idx, struct crm_record *rec)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	struct crm_value v;
	struct crm_money a, b;
	crm_date d;

	if (t->kind == T_LIST)
		return list_match(t, rec->root ? crm_node_get(rec->root, t->field) : NULL);
	if (!strcmp(t->field, "created")) {
		v.kind = CRM_V_DATE;
		v.u.date = crm_record_created(idx, rec);
	} else if (crm_index_value(&v, idx, rec, t->field)) {
		return false;
	}
	if (v.kind == CRM_V_NULL || v.kind == CRM_V_ERROR)
		return false;
	switch (t->kind) {
	case T_DATE:
		if (v.kind == CRM_V_DATE)
			d = v.u.date;
		else if (v.kind == CRM_V_DATETIME)
			d = crm_datetime_date(&v.u.datetime);
		else
			return false;
		return date_match(t, d);
	case T_MONEY:
		if (v.kind != CRM_V_MONEY || crm_index_convert(&a, idx, &v.u.money, cfg->currency) ||
		    crm_index_convert(&b, idx, &t->money, cfg->currency))
			return false;
		return order_cmp(t->op, crm_dec_cmp(a.amount, b.amount));
	case T_NUMBER:
		return v.kind == CRM_V_NUMBER && order_cmp(t->op, crm_dec_cmp(v.u.num, t->num));
	case T_STAGE:
		if (v.kind != CRM_V_TEXT)
			return false;
		if (t->op == OP_CONTAINS)
			return crm_utf8_contains_fold(v.u.text, t->text);
		return order_cmp(t->op, stage_index(cfg, v.u.text) - t->stage);
	default: {
		struct crm_buf s = CRM_BUF_INIT;
		bool ok;
		crm_value_format(&s, &v);
		ok = text_cmp(t->op, s.ptr, t->text);
		crm_buf_release(&s);
		return ok;
	}
	}
}

static bool free_text_match(const struct term *t, struct crm_index *idx, struct crm_record *rec)
{
	const struct crm_schema *s = rec->schema;
	size_t i, j;

	if (crm_utf8_contains_fold(rec->id, t->text))
		return true;
	for (i = 0; i < s->nfields; i++) {
		const struct crm_field *f = &s->fields[i];
		const struct crm_node *n = rec->root ? crm_node_get(rec->root, f->name) : NULL;
		struct crm_value v;

		if (f->type == CRM_F_TAGS || f->type == CRM_F_REFS) {
			for (j = 0; n && n->kind == CRM_NODE_SEQ && j < n->count; j++) {
				if (n->items[j]->kind == CRM_NODE_SCALAR &&
				    crm_utf8_contains_fold(n->items[j]->text, t->text))
					return true;
			}
			continue;
		}
		if (crm_index_value(&v, idx, rec, f->name) || v.kind != CRM_V_TEXT)
			continue;
		if (crm_utf8_contains_fold(v.u.text, t->text))
			return true;
	}
	return false;
}

bool crm_filter_match(const struct crm_filter *f, struct crm_index *idx,
		      struct crm_record *rec)
{
	size_t i;
	for (i = 0; f && i < f->n; i++) {
		const struct term *t = &f->terms[i];
		bool hit = t->op == OP_TEXT ? free_text_match(t, idx, rec)
		       : !strcmp(t->field, "id") ? text_cmp(t->op, rec->id, t->text)
		       : value_match(t, idx, rec);
		if (hit == t->negate)
			return false;
	}
	return true;
}

static int kind_rank(enum crm_value_kind k)
{
	return k == CRM_V_NULL ? 0 : k == CRM_V_ERROR ? 1 : 2;
}

int crm_value_compare(struct crm_index *idx, const struct crm_value *a,
		      const struct crm_value *b)
{
	const char *base = crm_index_repo(idx)->config.currency;
	struct crm_money ma, mb;
	struct crm_buf x = CRM_BUF_INIT, y = CRM_BUF_INIT;
	int c;

	if (kind_rank(a->kind) != kind_rank(b->kind) || a->kind == CRM_V_NULL)
		return kind_rank(a->kind) < kind_rank(b->kind) ? -1 : kind_rank(a->kind) > kind_rank(b->kind);
	if (a->kind == CRM_V_NUMBER && b->kind == CRM_V_NUMBER)
		return crm_dec_cmp(a->u.num, b->u.num);
	if (a->kind == CRM_V_MONEY && b->kind == CRM_V_MONEY &&
	    !crm_index_convert(&ma, idx, &a->u.money, base) &&
	    !crm_index_convert(&mb, idx, &b->u.money, base))
		return crm_dec_cmp(ma.amount, mb.amount);
	if (a->kind == CRM_V_DATE && b->kind == CRM_V_DATE)
		return a->u.date < b->u.date ? -1 : a->u.date > b->u.date;
	if (a->kind == CRM_V_DATETIME && b->kind == CRM_V_DATETIME)
		return a->u.datetime.epoch < b->u.datetime.epoch ? -1
		       : a->u.datetime.epoch > b->u.datetime.epoch;
	crm_value_format(&x, a);
	crm_value_format(&y, b);
	{
		struct crm_buf fx = CRM_BUF_INIT, fy = CRM_BUF_INIT;
		crm_utf8_casefold(&fx, x.ptr);
		crm_utf8_casefold(&fy, y.ptr);
		c = strcmp(fx.ptr, fy.ptr);
		crm_buf_release(&fx);
		crm_buf_release(&fy);
	}
	crm_buf_release(&x);
	crm_buf_release(&y);
	return c < 0 ? -1 : c > 0;
}

struct sort_key {
	const char *field;
	bool desc;
};

struct sort_ctx {
	struct crm_index *idx;
	struct sort_key *keys;
	size_t nkeys;
};

struct sort_item {
	struct crm_record *rec;
	size_t pos;
};

static void key_value(struct crm_value *v, struct sort_ctx *c, struct crm_record *rec,
		      const char *field)
{
	if (!strcmp(field, "id")) {
		v->kind = CRM_V_TEXT;
		v->u.text = rec->id;
	} else if (!strcmp(field, "created")) {
		v->kind = CRM_V_DATE;
		v->u.date = crm_record_created(c->idx, rec);
	} else if (crm_index_value(v, c->idx, rec, field)) {
		*v = CRM_VALUE_NULL;
	}
}

static int compare_items(const void *pa, const void *pb, void *arg)
{
	const struct sort_item *a = pa, *b = pb;
	struct sort_ctx *c = arg;
	size_t i;

	for (i = 0; i < c->nkeys; i++) {
		struct crm_value va, vb;
		int r;
		key_value(&va, c, a->rec, c->keys[i].field);
		key_value(&vb, c, b->rec, c->keys[i].field);
		r = crm_value_compare(c->idx, &va, &vb);
		if (r)
			return c->keys[i].desc ? -r : r;
	}
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

int crm_records_sort(struct crm_record **recs, size_t n, struct crm_index *idx,
		     const struct crm_schema *s, const char *spec)
{
	struct sort_ctx c = { idx, NULL, 0 };
	struct sort_item *items = calloc(n + 1, sizeof(*items));
	char *copy = strdup(spec), *tok, *save = NULL;
	size_t i, nk = 1;
	int err = 0;

	for (i = 0; spec[i]; i++)
		nk += spec[i] == ',';
	c.keys = calloc(nk, sizeof(*c.keys));
	if (!items || !copy || !c.keys) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct sort_key *k = &c.keys[c.nkeys++];
		k->desc = *tok == '-';
		k->field = k->desc ? tok + 1 : tok;
		if (!crm_schema_field(s, k->field) && strcmp(k->field, "id") &&
		    strcmp(k->field, "created") && strcmp(k->field, "outcome")) {
			const char *hint = crm_schema_suggest_field(s, k->field);
			err = hint ? crm_error_set(CRM_EUSAGE, "cannot sort by unknown field '%s' "
						   "(did you mean '%s'?)", k->field, hint)
				   : crm_error_set(CRM_EUSAGE, "cannot sort by unknown field '%s'",
						   k->field);
			goto done;
		}
	}
	for (i = 0; i < n; i++) {
		items[i].rec = recs[i];
		items[i].pos = i;
	}
	qsort_r(items, n, sizeof(*items), compare_items, &c);
	for (i = 0; i < n; i++)
		recs[i] = items[i].rec;
done:
	free(items);
	free(copy);
	free(c.keys);
	return err;
}
