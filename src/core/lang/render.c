/* Turning records into table cells and JSON.  Typed values come from the
 * index, so a money field prints the same in every command. */
#include <string.h>
#include <strings.h>

#include "crm/error.h"
#include "crm/index.h"
#include "crm/render.h"

static const struct crm_field fallback_text = { .name = "", .type = CRM_F_TEXT };

static const struct crm_field *item_field(const struct crm_field *f)
{
	return f ? f : &fallback_text;
}

/* One scalar node typed by field `f` (NULL: text). */
static int scalar_json(struct crm_buf *out, struct crm_index *idx, const struct crm_field *f,
		       const struct crm_node *n, const struct crm_record *rec)
{
	struct crm_value v;
	if (crm_node_is_null(n))
		return crm_buf_adds(out, "null");
	if (crm_index_parse_scalar(&v, idx, item_field(f), n, rec))
		return crm_buf_add_json_string(out, n->text);
	return crm_value_json(out, &v);
}

static int node_json(struct crm_buf *out, struct crm_index *idx, const struct crm_field *f,
		     const struct crm_node *n, const struct crm_record *rec)
{
	size_t i;
	if (n->kind == CRM_NODE_SCALAR)
		return scalar_json(out, idx, f, n, rec);
	if (n->kind == CRM_NODE_SEQ) {
		crm_buf_addch(out, '[');
		for (i = 0; i < n->count; i++) {
			const struct crm_field *item = NULL;
			if (i)
				crm_buf_adds(out, ", ");
			if (f && f->type == CRM_F_REFS)
				item = &fallback_text;
			else if (f && f->type == CRM_F_LIST)
				item = f;   /* entries are mappings of f->fields */
			node_json(out, idx, item, n->items[i], rec);
		}
		return crm_buf_addch(out, ']');
	}
	crm_buf_addch(out, '{');
	for (i = 0; i < n->count; i++) {
		const struct crm_field *sub = f && f->nfields ?
			crm_fields_find(f->fields, f->nfields, n->pairs[i].key->text) : NULL;
		if (i)
			crm_buf_adds(out, ", ");
		crm_buf_add_json_string(out, n->pairs[i].key->text);
		crm_buf_adds(out, ": ");
		node_json(out, idx, sub, n->pairs[i].value, rec);
	}
	return crm_buf_addch(out, '}');
}

int crm_render_field_json(struct crm_buf *out, struct crm_index *idx,
			  struct crm_record *rec, const char *name)
{
	const struct crm_field *f = crm_schema_field(rec->schema, name);
	const struct crm_node *n = rec->root ? crm_node_get(rec->root, name) : NULL;
	struct crm_value v;

	if (!f || crm_field_is_computed(f) || !n || n->kind == CRM_NODE_SCALAR) {
		if (crm_index_value(&v, idx, rec, name) == 0 && (v.kind != CRM_V_NULL || !n))
			return crm_value_json(out, &v);
		if (!n)
			return crm_buf_adds(out, "null");
	}
	return node_json(out, idx, f, n, rec);
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

int crm_render_cell(struct crm_buf *out, struct crm_index *idx, struct crm_record *rec,
		    const char *name)
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
	if (crm_index_value(&v, idx, rec, name))
		return 0;
	if (v.kind == CRM_V_ERROR)
		return crm_buf_adds(out, "#error");
	if (v.kind == CRM_V_NULL && n && n->kind == CRM_NODE_SCALAR)
		crm_buf_adds(out, n->text);   /* unparsable: show what is written */
	else
		crm_value_format(out, &v);
	/* a table cell is one line */
	for (; start < out->len; start++) {
		if (out->ptr[start] == '\n' || out->ptr[start] == '\t')
			out->ptr[start] = ' ';
	}
	return 0;
}

int crm_render_record_json(struct crm_buf *out, struct crm_index *idx,
			   struct crm_record *rec, bool with_backrefs)
{
	const struct crm_schema *s = rec->schema;
	const struct crm_backref *b;
	size_t i;
	bool first = true;

	crm_buf_adds(out, "{\"type\": ");
	crm_buf_add_json_string(out, s->type);
	crm_buf_adds(out, ", \"id\": ");
	crm_buf_add_json_string(out, rec->id);
	crm_buf_adds(out, ", \"path\": ");
	crm_buf_add_json_string(out, rec->path);
	crm_buf_adds(out, ", \"fields\": {");
	for (i = 0; i < s->nfields; i++) {
		const struct crm_node *n = rec->root ? crm_node_get(rec->root, s->fields[i].name)
						     : NULL;
		if (!n && !crm_field_is_computed(&s->fields[i]))
			continue;
		crm_buf_adds(out, first ? "" : ", ");
		first = false;
		crm_buf_add_json_string(out, s->fields[i].name);
		crm_buf_adds(out, ": ");
		crm_render_field_json(out, idx, rec, s->fields[i].name);
	}
	for (i = 0; rec->root && i < rec->root->count; i++) {
		const char *key = rec->root->pairs[i].key->text;
		if (crm_schema_field(s, key))
			continue;
		crm_buf_adds(out, first ? "" : ", ");
		first = false;
		crm_buf_add_json_string(out, key);
		crm_buf_adds(out, ": ");
		node_json(out, idx, NULL, rec->root->pairs[i].value, rec);
	}
	crm_buf_addch(out, '}');
	if (with_backrefs) {
		crm_buf_adds(out, ", \"referenced_by\": [");
		for (b = crm_index_backrefs(idx, rec); b; b = b->next) {
			crm_buf_adds(out, b == crm_index_backrefs(idx, rec) ? "{\"type\": " : ", {\"type\": ");
			crm_buf_add_json_string(out, b->from->schema->type);
			crm_buf_adds(out, ", \"id\": ");
			crm_buf_add_json_string(out, b->from->id);
			crm_buf_adds(out, ", \"field\": ");
			crm_buf_add_json_string(out, b->field);
			crm_buf_addch(out, '}');
		}
		crm_buf_addch(out, ']');
	}
	return crm_buf_addch(out, '}');
}

int crm_render_yaml_scalar(struct crm_buf *out, const char *text)
{
	static const char *const special[] = { "", "~", "null", "true", "false", "yes", "no",
					       "on", "off", "y", "n", NULL };
	size_t i, n = strlen(text);
	bool quote = strpbrk(text, ":#\n\t\"'{}[],&*!|>%@`") || text[0] == '-' ||
		     text[0] == ' ' || (n && text[n - 1] == ' ') || text[0] == '?';

	for (i = 0; special[i] && !quote; i++)
		quote = !strcasecmp(text, special[i]);
	if (!quote)
		return crm_buf_adds(out, text);
	return crm_buf_add_json_string(out, text);
}
