/* Matching records against a parsed filter (filter.c parses): each term
 * reads the record's typed value (stored, looked up or computed) and
 * compares it the way the parse decided from the field's type. */
#include <stdint.h>
#include <string.h>

#include "crm/error.h"
#include "crm/filter.h"
#include "crm/utf8.h"
#include "core/lang/lang_internal.h"

static bool op_holds(enum term_op op, int c)
{
	switch (op) {
	case OP_EQ: case OP_HAS: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	default: return c >= 0;
	}
}

static bool text_hit(const struct term *t, const char *s)
{
	if (t->op == OP_CONTAINS)
		return crm_utf8_search_hit(s, t->key);
	return op_holds(t->op, crm_lang_fold_cmp(s, t->folded, t->is_ref));
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* Compares a value with one end; false when they cannot be compared (no
 * reading of that kind, no rate for the currency). */
static bool cmp_bound(int *c, struct crm_index *idx, const struct crm_value *v,
		      const struct bound *b)
{
	struct crm_money m;

	switch (v->kind) {
	case CRM_V_NUMBER:
		if (!b->has_num)
			return false;
		*c = crm_dec_cmp(v->u.num, b->num);
		return true;
	case CRM_V_MONEY:
		if (!b->has_money)
			return false;
		if (!strcmp(v->u.money.currency, b->money.currency)) {
			*c = crm_dec_cmp(v->u.money.amount, b->money.amount);
			return true;
		}
		if (!b->has_base ||
		    crm_index_convert(&m, idx, &v->u.money, crm_lang_base_currency(idx)))
			return false;
		*c = crm_dec_cmp(m.amount, b->base.amount);
		return true;
	case CRM_V_DATE:
		if (!b->has_date)
			return false;
		*c = cmp_i64(v->u.date, b->date);
		return true;
	case CRM_V_DATETIME:
		if (b->has_instant)
			*c = cmp_i64(v->u.datetime.epoch, b->instant);
		else if (b->has_date)
			*c = cmp_i64(crm_datetime_date(&v->u.datetime), b->date);
		else
			return false;
		return true;
	default:
		return false;
	}
}

/* Periods and ranges: = inside, != outside, > after the end, >= from the
 * start on, < before the start, <= up to the end. */
static bool order_hit(const struct term *t, struct crm_index *idx, const struct crm_value *v)
{
	int lo = 0, hi = 0;
	bool lo_ok = !t->lo.set || cmp_bound(&lo, idx, v, &t->lo);
	bool hi_ok = !t->hi.set || cmp_bound(&hi, idx, v, &t->hi);

	switch (t->op) {
	case OP_GT: return t->hi.set && hi_ok && hi > 0;
	case OP_LE: return t->hi.set && hi_ok && hi <= 0;
	case OP_LT: return t->lo.set && lo_ok && lo < 0;
	case OP_GE: return t->lo.set && lo_ok && lo >= 0;
	case OP_NE: return lo_ok && hi_ok && (lo < 0 || hi > 0);
	default: return lo_ok && hi_ok && lo >= 0 && hi <= 0;
	}
}

static bool value_hit(const struct term *t, struct crm_index *idx, const struct crm_value *v)
{
	struct crm_value place;
	struct crm_buf s = CRM_BUF_INIT;
	bool hit;
	int i;

	if (v->kind == CRM_V_NULL || v->kind == CRM_V_ERROR)
		return false;
	if (t->kind == K_STAGE && t->op != OP_CONTAINS) {
		i = v->kind == CRM_V_TEXT
		    ? crm_lang_stage_place(&crm_index_repo(idx)->config, v->u.text) : -1;
		if (i < 0)
			return false;
		place = CRM_VALUE_NULL;
		place.kind = CRM_V_NUMBER;
		place.u.num = crm_dec_from_int(i);
		return order_hit(t, idx, &place);
	}
	if (t->kind == K_ORDER || (t->kind == K_ANY && t->op != OP_CONTAINS &&
				   v->kind != CRM_V_TEXT && v->kind != CRM_V_BOOL))
		return order_hit(t, idx, v);
	if (v->kind == CRM_V_TEXT)
		return text_hit(t, v->u.text);
	crm_value_format(&s, v);
	hit = text_hit(t, s.ptr);
	crm_buf_release(&s);
	return hit;
}

/* Sequence items, or a lone scalar written where a list was expected. */
static bool list_hit(const struct term *t, const struct crm_node *n)
{
	const struct crm_node *const *items;
	size_t count, i;
	bool any = false;

	if (!n || crm_node_is_null(n) || n->kind == CRM_NODE_MAP)
		return false;
	items = n->kind == CRM_NODE_SEQ ? (const struct crm_node *const *)n->items : &n;
	count = n->kind == CRM_NODE_SEQ ? n->count : 1;
	for (i = 0; i < count && !any; i++) {
		if (items[i]->kind != CRM_NODE_SCALAR || crm_node_is_null(items[i]))
			continue;
		any = t->op == OP_CONTAINS ? crm_utf8_search_hit(items[i]->text, t->key)
		      : !crm_lang_fold_cmp(items[i]->text, t->folded, t->is_ref);
	}
	/* an empty list is absent: it matches no term but a negated one */
	if (t->op == OP_NE)
		return count && !any;
	return any;
}

/* Some entry of the list field has a matching value. */
static bool item_hit(const struct term *t, struct crm_index *idx, struct crm_record *rec)
{
	const struct crm_node *list = rec->root ? crm_node_get(rec->root, t->field) : NULL;
	size_t i;

	for (i = 0; list && list->kind == CRM_NODE_SEQ && i < list->count; i++) {
		const struct crm_node *n = list->items[i]->kind == CRM_NODE_MAP
					   ? crm_node_get(list->items[i], t->item->name) : NULL;
		struct crm_value v;

		if (t->kind == K_LIST) {
			if (list_hit(t, n))
				return true;
			continue;
		}
		if (!n || crm_index_parse_scalar(&v, idx, t->item, n, rec))
			continue;
		if (value_hit(t, idx, &v))
			return true;
	}
	crm_error_clear();
	return false;
}

static bool free_text_type(enum crm_field_type type)
{
	switch (type) {
	case CRM_F_TEXT: case CRM_F_EMAIL: case CRM_F_PHONE: case CRM_F_URL: case CRM_F_ENUM:
	case CRM_F_STAGE: case CRM_F_USER: case CRM_F_REF: case CRM_F_TAGS: case CRM_F_REFS:
		return true;
	default:
		return false;
	}
}

/* A scalar, or any item of a sequence, contains the search key. */
static bool node_contains(const struct crm_node *n, const char *key)
{
	size_t i;
	if (!n || crm_node_is_null(n))
		return false;
	if (n->kind == CRM_NODE_SCALAR)
		return crm_utf8_search_hit(n->text, key);
	for (i = 0; n->kind == CRM_NODE_SEQ && i < n->count; i++) {
		if (n->items[i]->kind == CRM_NODE_SCALAR && !crm_node_is_null(n->items[i]) &&
		    crm_utf8_search_hit(n->items[i]->text, key))
			return true;
	}
	return false;
}

/* The id and the text-like fields as written in the file, so a value that
 * fails its type's check (a malformed email) can still be found. */
static bool free_text_hit(const struct term *t, const struct crm_record *rec)
{
	static const char *const common[] = { "owner", "notes", "tags" };
	const struct crm_schema *s = rec->schema;
	size_t i;

	if (crm_utf8_search_hit(rec->id, t->key))
		return true;
	if (!rec->root)
		return false;
	for (i = 0; i < s->nfields; i++) {
		if (free_text_type(s->fields[i].type) &&
		    node_contains(crm_node_get(rec->root, s->fields[i].name), t->key))
			return true;
	}
	for (i = 0; i < sizeof(common) / sizeof(*common); i++) {
		if (!crm_schema_field(s, common[i]) &&
		    node_contains(crm_node_get(rec->root, common[i]), t->key))
			return true;
	}
	return false;
}

static bool term_hit(const struct term *t, struct crm_index *idx, struct crm_record *rec)
{
	struct crm_value v = CRM_VALUE_NULL;
	const char *raw;

	switch (t->kind) {
	case K_FREE:
		return free_text_hit(t, rec);
	case K_LIST:
		if (t->src == SRC_ITEM)
			return item_hit(t, idx, rec);
		return list_hit(t, rec->root ? crm_node_get(rec->root, t->field) : NULL);
	default:
		break;
	}
	switch (t->src) {
	case SRC_ITEM:
		return item_hit(t, idx, rec);
	case SRC_ID:
		return text_hit(t, rec->id);
	case SRC_CREATED:
		v.kind = CRM_V_DATE;
		v.u.date = crm_record_created(idx, rec);
		break;
	case SRC_RAW:
		raw = rec->root ? crm_node_text(rec->root, t->field) : NULL;
		return raw && *raw && text_hit(t, raw);
	default:
		if (crm_index_value(&v, idx, rec, t->field))
			return false;
		break;
	}
	return value_hit(t, idx, &v);
}

bool crm_filter_match(const struct crm_filter *f, struct crm_index *idx,
		      struct crm_record *rec)
{
	size_t i;
	for (i = 0; f && i < f->n; i++) {
		const struct term *t = &f->terms[i];
		if (term_hit(t, idx, rec) == t->negate)
			return false;
	}
	return true;
}
