/* Turning records into table cells and JSON.  Typed values come from the
 * index, so a money field prints the same in every command. */
#include <string.h>

#include "crm/date.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/json.h"
#include "crm/locale_format.h"
#include "crm/money.h"
#include "crm/render.h"
#include "crm/yaml_emit.h"

static const struct crm_field fallback_text = { .name = "", .type = CRM_F_TEXT };

static const struct crm_field *item_field(const struct crm_field *f)
{
	return f ? f : &fallback_text;
}

/* One scalar node typed by field `f` (NULL: text). */
static int scalar_json(struct crm_json *j, struct crm_index *idx, const struct crm_field *f,
		       const struct crm_node *n, const struct crm_record *rec)
{
	struct crm_value v;
	if (crm_node_is_null(n))
		return crm_json_null(j);
	if (crm_index_parse_scalar(&v, idx, item_field(f), n, rec))
		return crm_json_string(j, n->text);
	return crm_value_json(j, &v);
}

static int node_json(struct crm_json *j, struct crm_index *idx, const struct crm_field *f,
		     const struct crm_node *n, const struct crm_record *rec)
{
	size_t i;
	if (n->kind == CRM_NODE_SCALAR)
		return scalar_json(j, idx, f, n, rec);
	if (n->kind == CRM_NODE_SEQ) {
		crm_json_array(j, CRM_JSON_INLINE);
		for (i = 0; i < n->count; i++) {
			const struct crm_field *item = NULL;
			if (f && f->type == CRM_F_REFS)
				item = &fallback_text;
			else if (f && f->type == CRM_F_LIST)
				item = f;   /* entries are mappings of f->fields */
			node_json(j, idx, item, n->items[i], rec);
		}
		return crm_json_end(j);
	}
	crm_json_object(j, CRM_JSON_INLINE);
	for (i = 0; i < n->count; i++) {
		const struct crm_field *sub = f && f->nfields ?
			crm_fields_find(f->fields, f->nfields, n->pairs[i].key->text) : NULL;
		crm_json_key(j, n->pairs[i].key->text);
		node_json(j, idx, sub, n->pairs[i].value, rec);
	}
	return crm_json_end(j);
}

static int text_or_null(struct crm_json *j, const char *s)
{
	return s ? crm_json_string(j, s) : crm_json_null(j);
}

/* A client's, contact's or deal's open next step: {date, owner, action,
 * activity}, or null. */
static int next_step_json(struct crm_json *j, struct crm_index *idx, struct crm_record *rec)
{
	struct crm_next_step st;
	char date[16];

	if (!crm_index_next_step(&st, idx, rec))
		return crm_json_null(j);
	crm_json_object(j, CRM_JSON_INLINE);
	crm_json_key(j, "date");
	if (st.has_date) {
		crm_date_format(date, sizeof(date), st.date);
		crm_json_string(j, date);
	} else {
		crm_json_null(j);
	}
	crm_json_key(j, "owner");
	text_or_null(j, st.owner);
	crm_json_key(j, "action");
	text_or_null(j, st.action);
	crm_json_key(j, "activity");
	crm_json_string(j, st.activity->id);
	return crm_json_end(j);
}

/* Whether `name` is the computed follow-up `next_step` of rec's type. */
static bool is_followup_step(const struct crm_record *rec, const char *name)
{
	bool computed;
	return !strcmp(name, "next_step") && crm_index_field(rec->schema, name, &computed) &&
	       computed;
}

int crm_render_field_json(struct crm_json *j, struct crm_index *idx,
			  struct crm_record *rec, const char *name)
{
	const struct crm_field *f = crm_schema_field(rec->schema, name);
	const struct crm_node *n = rec->root ? crm_node_get(rec->root, name) : NULL;
	struct crm_value v;

	if (is_followup_step(rec, name))
		return next_step_json(j, idx, rec);
	/* a duration reads as people write it ("1d"), not as its seconds */
	if (f && f->type == CRM_F_DURATION && n && n->kind == CRM_NODE_SCALAR &&
	    !crm_node_is_null(n))
		return crm_json_string(j, n->text);
	if (!f || crm_field_is_computed(f) || !n || n->kind == CRM_NODE_SCALAR) {
		if (crm_index_value(&v, idx, rec, name) == 0 && (v.kind != CRM_V_NULL || !n))
			return crm_value_json(j, &v);
		if (!n)
			return crm_json_null(j);
	}
	return node_json(j, idx, f, n, rec);
}

static int join_scalars(struct crm_buf *out, const struct crm_node *n)
{
	size_t i;
	bool first = true;
	for (i = 0; i < n->count; i++) {
		const struct crm_node *it = n->items[i];
		if (it->kind != CRM_NODE_SCALAR) {
			crm_buf_truncate(out, 0);
			return crm_buf_addf(out, "%zu entries", (size_t)n->count);
		}
		crm_buf_adds(out, first ? "" : ", ");
		crm_buf_adds(out, it->text);
		first = false;
	}
	return 0;
}

static bool stored_duration(const struct crm_record *rec, const char *name)
{
	const struct crm_field *f = crm_schema_field(rec->schema, name);
	return f && f->type == CRM_F_DURATION;
}

/* A typed value for people: money and plain numbers grouped. */
static int format_for_people(struct crm_buf *out, const struct crm_value *v)
{
	char tmp[96], grouped[128];

	if (v->kind == CRM_V_MONEY) {
		if (crm_money_format_display(tmp, sizeof(tmp), &v->u.money))
			return crm_value_format(out, v);
		return crm_buf_adds(out, tmp);
	}
	if (v->kind == CRM_V_NUMBER && !v->percent) {
		crm_dec_format_trim(tmp, sizeof(tmp), v->u.num);
		crm_locale_group(grouped, sizeof(grouped), tmp);
		return crm_buf_adds(out, grouped);
	}
	return crm_value_format(out, v);
}

static int render_cell(struct crm_buf *out, struct crm_index *idx, struct crm_record *rec,
		       const char *name, bool people)
{
	const struct crm_node *n = rec->root ? crm_node_get(rec->root, name) : NULL;
	struct crm_value v;
	size_t start = out->len;

	if (n && n->kind == CRM_NODE_SEQ) {
		struct crm_buf tmp = CRM_BUF_INIT;
		join_scalars(&tmp, n);
		crm_buf_add(out, tmp.ptr, tmp.len);
		crm_buf_release(&tmp);
		return 0;
	}
	if (n && n->kind == CRM_NODE_MAP)
		return crm_buf_addf(out, "%zu fields", (size_t)n->count);
	/* a duration reads as written ("1d12h"), not as its seconds */
	if (n && n->kind == CRM_NODE_SCALAR && !crm_node_is_null(n) && stored_duration(rec, name))
		return crm_buf_adds(out, n->text);
	if (crm_index_value(&v, idx, rec, name))
		return 0;
	if (v.kind == CRM_V_ERROR)
		return crm_buf_adds(out, "#error");
	if (v.kind == CRM_V_NULL && n && n->kind == CRM_NODE_SCALAR)
		crm_buf_adds(out, n->text);   /* unparsable: show what is written */
	else
		people ? format_for_people(out, &v) : crm_value_format(out, &v);
	/* a table cell is one line */
	for (; start < out->len; start++) {
		if (out->ptr[start] == '\n' || out->ptr[start] == '\t')
			out->ptr[start] = ' ';
	}
	return 0;
}

int crm_render_cell(struct crm_buf *out, struct crm_index *idx, struct crm_record *rec,
		    const char *name)
{
	return render_cell(out, idx, rec, name, false);
}

int crm_render_cell_display(struct crm_buf *out, struct crm_index *idx,
			    struct crm_record *rec, const char *name)
{
	return render_cell(out, idx, rec, name, true);
}

static bool has_defaults(const struct crm_record *rec)
{
	size_t i;
	for (i = 0; i < rec->schema->nfields; i++) {
		if (crm_record_default(rec, rec->schema->fields[i].name))
			return true;
	}
	return false;
}

/* Which fields the file leaves out and the schema's default fills in, so a
 * reader that writes the record back can tell them apart.  Always in
 * `show` (one record, stable keys); in lists only on the records that have
 * some, so a list of complete records reads as it always did. */
static int defaulted_json(struct crm_json *j, const struct crm_record *rec)
{
	size_t i;

	crm_json_key(j, "defaulted");
	crm_json_array(j, CRM_JSON_INLINE);
	for (i = 0; i < rec->schema->nfields; i++) {
		if (crm_record_default(rec, rec->schema->fields[i].name))
			crm_json_string(j, rec->schema->fields[i].name);
	}
	return crm_json_end(j);
}

int crm_render_record_json(struct crm_json *j, struct crm_index *idx,
			   struct crm_record *rec, bool with_backrefs)
{
	const struct crm_schema *s = rec->schema;
	const struct crm_backref *b;
	size_t i;

	crm_json_object(j, CRM_JSON_INLINE);
	crm_json_key(j, "type");
	crm_json_string(j, s->type);
	crm_json_key(j, "id");
	crm_json_string(j, rec->id);
	crm_json_key(j, "path");
	crm_json_string(j, rec->path);
	crm_json_key(j, "fields");
	crm_json_object(j, CRM_JSON_INLINE);
	for (i = 0; i < s->nfields; i++) {
		const struct crm_node *n = rec->root ? crm_node_get(rec->root, s->fields[i].name)
						     : NULL;
		if (!n && !crm_field_is_computed(&s->fields[i]) &&
		    !crm_record_default(rec, s->fields[i].name))
			continue;
		crm_json_key(j, s->fields[i].name);
		crm_render_field_json(j, idx, rec, s->fields[i].name);
	}
	/* the computed follow-up of a client, contact or deal */
	if (is_followup_step(rec, "next_step")) {
		crm_json_key(j, "last_activity");
		crm_render_field_json(j, idx, rec, "last_activity");
		crm_json_key(j, "next_step");
		next_step_json(j, idx, rec);
	}
	for (i = 0; rec->root && i < rec->root->count; i++) {
		const char *key = rec->root->pairs[i].key->text;
		bool computed = false;
		/* a stray "next_step:" in a client's file: the computed one stands */
		if (crm_schema_field(s, key) || (crm_index_field(s, key, &computed) && computed))
			continue;
		crm_json_key(j, key);
		node_json(j, idx, NULL, rec->root->pairs[i].value, rec);
	}
	crm_json_end(j);
	if (with_backrefs || has_defaults(rec))
		defaulted_json(j, rec);
	if (with_backrefs) {
		crm_json_key(j, "referenced_by");
		crm_json_array(j, CRM_JSON_INLINE);
		for (b = crm_index_backrefs(idx, rec); b; b = b->next) {
			crm_json_object(j, CRM_JSON_INLINE);
			crm_json_key(j, "type");
			crm_json_string(j, b->from->schema->type);
			crm_json_key(j, "id");
			crm_json_string(j, b->from->id);
			crm_json_key(j, "field");
			crm_json_string(j, b->field);
			crm_json_end(j);
		}
		crm_json_end(j);
	}
	return crm_json_end(j);
}

int crm_render_yaml_scalar(struct crm_buf *out, const char *text)
{
	/* readers of this output type what is plain: 0123, 2025-01-01 and
	 * yes stay strings only when quoted */
	return crm_yaml_emit_scalar(out, text, CRM_YAML_STRING);
}
