/* The one order of values (NULL first, then by kind; money through the
 * base currency, text case-folded) and the --sort of records built on it:
 * crm ls sorts with it, and filters compare the same way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "crm/order.h"
#include "crm/utf8.h"
#include "core/lang/lang_internal.h"

/* A value prepared for comparing: text folded once, money converted once. */
struct cell {
	struct crm_value v;
	const char *folded;       /* TEXT, ERROR */
	bool has_base;
	crm_dec base;             /* MONEY in the base currency */
};

static int make_cell(struct cell *c, struct crm_index *idx, struct crm_arena *arena,
		     const struct crm_value *v)
{
	struct crm_money m;

	c->v = *v;
	c->folded = NULL;
	c->has_base = false;
	if (v->kind == CRM_V_TEXT || v->kind == CRM_V_ERROR) {
		c->folded = crm_lang_fold(arena, v->u.text ? v->u.text : "");
		if (!c->folded)
			return crm_error_set(CRM_ENOMEM, "out of memory");
	} else if (v->kind == CRM_V_MONEY &&
		   !crm_index_convert(&m, idx, &v->u.money, crm_lang_base_currency(idx))) {
		c->has_base = true;
		c->base = m.amount;
	}
	return 0;
}

/* NULL, errors, then booleans, numbers, money, dates and datetimes (one
 * time line), text: kinds never interleave, so the order stays total. */
static int kind_rank(enum crm_value_kind k)
{
	switch (k) {
	case CRM_V_NULL: return 0;
	case CRM_V_ERROR: return 1;
	case CRM_V_BOOL: return 2;
	case CRM_V_NUMBER: return 3;
	case CRM_V_MONEY: return 4;
	case CRM_V_DATE: case CRM_V_DATETIME: return 5;
	default: return 6;
	}
}

static int sign(int c)
{
	return c < 0 ? -1 : c > 0;
}

static int compare_cells(const struct cell *a, const struct cell *b)
{
	const struct crm_money *ma = &a->v.u.money, *mb = &b->v.u.money;
	int ra = kind_rank(a->v.kind), rb = kind_rank(b->v.kind), c;
	int64_t ta, tb;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (a->v.kind) {
	case CRM_V_NULL:
		return 0;
	case CRM_V_BOOL:
		return (int)a->v.u.b - (int)b->v.u.b;
	case CRM_V_NUMBER:
		return crm_dec_cmp(a->v.u.num, b->v.u.num);
	case CRM_V_MONEY:
		/* by the amount in the base currency (exactly within one
		 * currency); currencies without a rate after all the others, by
		 * code and amount */
		if (a->has_base != b->has_base)
			return a->has_base ? -1 : 1;
		c = a->has_base ? crm_dec_cmp(a->base, b->base) : 0;
		if (!c && !strcmp(ma->currency, mb->currency))
			return crm_dec_cmp(ma->amount, mb->amount);
		if (!c && !a->has_base)
			return sign(strcmp(ma->currency, mb->currency));
		return c;
	case CRM_V_DATE: case CRM_V_DATETIME:
		/* a date stands for its midnight UTC, before instants of that second */
		ta = a->v.kind == CRM_V_DATE ? (int64_t)a->v.u.date * 86400 : a->v.u.datetime.epoch;
		tb = b->v.kind == CRM_V_DATE ? (int64_t)b->v.u.date * 86400 : b->v.u.datetime.epoch;
		if (ta != tb)
			return ta < tb ? -1 : 1;
		return (b->v.kind == CRM_V_DATE) - (a->v.kind == CRM_V_DATE);
	default:
		return sign(strcmp(a->folded, b->folded));
	}
}

int crm_value_compare(struct crm_index *idx, const struct crm_value *a,
		      const struct crm_value *b)
{
	struct crm_arena arena;
	struct cell ca, cb;
	int c = 0;

	crm_arena_init(&arena);
	if (!make_cell(&ca, idx, &arena, a) && !make_cell(&cb, idx, &arena, b))
		c = compare_cells(&ca, &cb);
	crm_arena_release(&arena);
	return c;
}

/* Where a sort key's value comes from. */
enum key_source {
	KEY_FIELD,    /* crm_index_value: stored, lookup, formula, outcome */
	KEY_ID,
	KEY_CREATED,  /* crm_record_created */
	KEY_RAW       /* owner, notes: every type has them, schema or not */
};

struct sort_key {
	const char *field;
	enum key_source src;
	bool desc, stage;
};

struct sort_ctx {
	struct sort_key *keys;
	size_t nkeys;
	struct cell *cells;       /* nkeys per record, in the records' order */
};

static void key_value(struct crm_value *v, struct crm_index *idx, const struct sort_key *k,
		     struct crm_record *rec)
{
	const char *raw;
	int place;

	*v = CRM_VALUE_NULL;
	switch (k->src) {
	case KEY_ID:
		v->kind = CRM_V_TEXT;
		v->u.text = rec->id;
		return;
	case KEY_CREATED:
		v->kind = CRM_V_DATE;
		v->u.date = crm_record_created(idx, rec);
		return;
	case KEY_RAW:
		raw = rec->root ? crm_node_text(rec->root, k->field) : NULL;
		if (raw && *raw) {
			v->kind = CRM_V_TEXT;
			v->u.text = raw;
		}
		return;
	default:
		break;
	}
	if (crm_index_value(v, idx, rec, k->field))
		*v = CRM_VALUE_NULL;
	/* stages in pipeline order; a stage crm.ini lacks sorts as text, last */
	if (k->stage && v->kind == CRM_V_TEXT) {
		place = crm_lang_stage_place(&crm_index_repo(idx)->config, v->u.text);
		if (place >= 0) {
			v->kind = CRM_V_NUMBER;
			v->u.num = crm_dec_from_int(place);
		}
	}
}

static int parse_sort_key(struct sort_key *k, const struct crm_schema *s, struct crm_index *idx,
			  char *name)
{
	const struct crm_field *f, *end;
	const char *hint;

	k->desc = *name == '-';
	k->field = name + k->desc;
	k->src = KEY_FIELD;
	f = crm_index_field(s, k->field, NULL);
	if (!strcmp(k->field, "created"))
		k->src = KEY_CREATED;
	else if (!f && !strcmp(k->field, "id"))
		k->src = KEY_ID;
	else if (!f && (!strcmp(k->field, "owner") || !strcmp(k->field, "notes")))
		k->src = KEY_RAW;
	else if (!f && strcmp(k->field, "outcome")) {
		hint = *k->field ? crm_schema_suggest_field(s, k->field) : NULL;
		if (hint)
			return crm_error_set(CRM_EUSAGE, "cannot sort by unknown field '%s' "
					     "(did you mean '%s'?)", k->field, hint);
		return crm_error_set(CRM_EUSAGE, "cannot sort by unknown field '%s'", k->field);
	}
	end = f && f->type == CRM_F_LOOKUP ? crm_lang_lookup_end(idx, s, f) : f;
	if (end && crm_lang_holds_list(end->type))
		return crm_error_set(CRM_EUSAGE, "cannot sort by '%s': it holds a list",
				     k->field);
	k->stage = end && end->type == CRM_F_STAGE;
	return 0;
}

static int compare_records(const struct sort_ctx *c, size_t a, size_t b)
{
	size_t i;
	for (i = 0; i < c->nkeys; i++) {
		int r = compare_cells(&c->cells[a * c->nkeys + i], &c->cells[b * c->nkeys + i]);
		if (r)
			return c->keys[i].desc ? -r : r;
	}
	return 0;
}

/* Stable merge sort of record positions: equal keys keep path order, and
 * no comparison function has to break ties by hand. */
static void merge_sort(size_t *v, size_t *tmp, size_t n, const struct sort_ctx *c)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(v, tmp, mid, c);
	merge_sort(v + mid, tmp, n - mid, c);
	while (i < mid && j < n)
		tmp[k++] = compare_records(c, v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

int crm_records_sort(struct crm_record **recs, size_t n, struct crm_index *idx,
		     const struct crm_schema *s, const char *spec)
{
	struct sort_ctx c = { NULL, 0, NULL };
	struct crm_arena arena;
	struct crm_record **copy = NULL;
	size_t *order = NULL, *tmp = NULL, i, k, nk = 1;
	char *specs = strdup(spec), *name, *next;
	int err = 0;

	crm_arena_init(&arena);
	for (i = 0; spec[i]; i++)
		nk += spec[i] == ',';
	c.keys = calloc(nk, sizeof(*c.keys));
	if (!specs || !c.keys) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	for (name = specs; name; name = next) {
		next = strchr(name, ',');
		if (next)
			*next++ = '\0';
		if (!*name || !strcmp(name, "-")) {
			err = crm_error_set(CRM_EUSAGE, "empty field in sort order '%s'", spec);
			goto done;
		}
		err = parse_sort_key(&c.keys[c.nkeys++], s, idx, name);
		if (err)
			goto done;
	}
	if (n < 2)
		goto done;
	if (n > SIZE_MAX / sizeof(struct cell) / c.nkeys) {
		err = crm_error_set(CRM_EOVERFLOW, "too many records to sort");
		goto done;
	}
	c.cells = calloc(n * c.nkeys, sizeof(*c.cells));
	order = calloc(n, sizeof(*order));
	tmp = calloc(n, sizeof(*tmp));
	copy = calloc(n, sizeof(*copy));
	if (!c.cells || !order || !tmp || !copy) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < n && !err; i++) {
		order[i] = i;
		for (k = 0; k < c.nkeys && !err; k++) {
			struct crm_value v;
			key_value(&v, idx, &c.keys[k], recs[i]);
			err = make_cell(&c.cells[i * c.nkeys + k], idx, &arena, &v);
		}
	}
	if (err)
		goto done;
	merge_sort(order, tmp, n, &c);
	for (i = 0; i < n; i++)
		copy[i] = recs[order[i]];
	memcpy(recs, copy, n * sizeof(*recs));
done:
	crm_arena_release(&arena);
	free(c.cells);
	free(c.keys);
	free(order);
	free(tmp);
	free(copy);
	free(specs);
	return err;
}
