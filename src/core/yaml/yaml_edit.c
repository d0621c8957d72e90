/* Splicing new values into a record file's text at the byte offsets the
 * loader recorded, so that everything the user wrote around them survives
 * byte for byte. */
#include <string.h>

#include "crm/edit.h"
#include "crm/error.h"
#include "crm/yaml_emit.h"

static const struct crm_pair *find_pair(const struct crm_node *root, const char *key)
{
	size_t i;
	for (i = 0; root && i < root->count; i++) {
		if (!strcmp(root->pairs[i].key->text, key))
			return &root->pairs[i];
	}
	return NULL;
}

/* A value that replaces a quoted one keeps its quotes (single ones only
 * while they can hold it); anything else is left to the emitter. */
static int render_scalar(struct crm_buf *out, const char *text, const struct crm_node *like,
			 unsigned flags)
{
	bool quoted_like = like && like->kind == CRM_NODE_SCALAR;
	if (quoted_like && like->style == CRM_STYLE_SINGLE)
		return crm_yaml_emit_single_quoted(out, text);
	if (quoted_like && like->style == CRM_STYLE_DOUBLE)
		return crm_yaml_emit_double_quoted(out, text);
	return crm_yaml_emit_scalar(out, text, flags);
}

int crm_edit_render_scalar(struct crm_buf *out, const char *text, const struct crm_node *like)
{
	return render_scalar(out, text, like, CRM_YAML_RECORD);
}

/* Offset of the start of the line holding `off`.  The first line starts
 * after a byte-order mark: an edit of the first field keeps the mark. */
static size_t line_start(const char *src, size_t off)
{
	size_t at = off;

	while (at && src[at - 1] != '\n')
		at--;
	if (!at && off >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3))
		at = 3;
	return at;
}

/* Offset just past the end of the line holding `off` (after its '\n'). */
static size_t line_end(const char *src, size_t len, size_t off)
{
	while (off < len && src[off] != '\n')
		off++;
	return off < len ? off + 1 : off;
}

static int splice(struct crm_buf *out, const char *src, size_t len, size_t from, size_t to,
		  const char *insert, size_t ilen)
{
	crm_buf_reset(out);
	crm_buf_add(out, src, from);
	crm_buf_add(out, insert, ilen);
	return crm_buf_add(out, src + to, len - to);
}

/* Appends "key: rendered\n" after the last line of the file. */
static int append_key(struct crm_buf *out, const char *src, size_t len, const char *key,
		      const char *rendered)
{
	crm_buf_reset(out);
	crm_buf_add(out, src, len);
	if (len && src[len - 1] != '\n')
		crm_buf_addch(out, '\n');
	return crm_buf_addf(out, "%s: %s\n", key, rendered);
}

static size_t pair_end(const char *src, size_t len, const struct crm_pair *p);

static bool is_block_root(const struct crm_node *root)
{
	return root && root->kind == CRM_NODE_MAP;
}

int crm_edit_set(struct crm_buf *out, const char *src, size_t len,
		 const struct crm_node *root, const char *key, const char *value)
{
	const struct crm_pair *p = find_pair(root, key);
	struct crm_buf r = CRM_BUF_INIT;
	int err;

	if (!is_block_root(root))
		return crm_error_set(CRM_EINVALID, "the file is not a mapping");
	crm_edit_render_scalar(&r, value, p ? p->value : NULL);
	if (!p) {
		err = append_key(out, src, len, key, r.ptr);
	} else if (p->value->kind == CRM_NODE_SCALAR && p->value->end > p->value->start &&
		   p->value->style != CRM_STYLE_LITERAL && p->value->style != CRM_STYLE_FOLDED) {
		err = splice(out, src, len, p->value->start, p->value->end, r.ptr, r.len);
	} else {
		/* an empty value, a block scalar or a list: replace from after
		 * the key's colon to the end of the value's last line */
		size_t from = p->key->end;
		size_t to = pair_end(src, len, p);
		struct crm_buf ins = CRM_BUF_INIT;
		while (from < len && src[from] != ':')
			from++;
		crm_buf_addf(&ins, ": %s\n", r.ptr);
		err = splice(out, src, len, from, to, ins.ptr, ins.len);
		crm_buf_release(&ins);
	}
	crm_buf_release(&r);
	return err;
}

/* Where a node's own text ends.  libyaml ends a block collection where the
 * next token starts, past any comment lines in between, so the end of a
 * block collection is taken from its last child instead. */
static size_t content_end(const char *src, size_t len, const struct crm_node *n)
{
	/* an empty value at the very end starts at len: the text need not be
	 * NUL-terminated there (git blobs, fuzz inputs) */
	bool flow = n->start < len && (src[n->start] == '[' || src[n->start] == '{');
	if (n->kind == CRM_NODE_SCALAR || flow || !n->count)
		return n->end;
	if (n->kind == CRM_NODE_SEQ)
		return content_end(src, len, n->items[n->count - 1]);
	return content_end(src, len, n->pairs[n->count - 1].value);
}

/* The end of a top-level pair: the end of its value's last line, or the
 * end of the key's line when the value is empty. */
static size_t pair_end(const char *src, size_t len, const struct crm_pair *p)
{
	size_t vend = content_end(src, len, p->value);
	size_t end = vend > p->key->end ? vend : p->key->end;
	if (end && end <= len && src[end - 1] == '\n')
		return end;
	return line_end(src, len, end ? end - 1 : 0);
}

int crm_edit_unset(struct crm_buf *out, const char *src, size_t len,
		   const struct crm_node *root, const char *key)
{
	const struct crm_pair *p = find_pair(root, key);
	if (!p)
		return crm_error_set(CRM_ENOTFOUND, "no field '%s' in the file", key);
	return splice(out, src, len, line_start(src, p->key->start), pair_end(src, len, p),
		      "", 0);
}

int crm_edit_set_list(struct crm_buf *out, const char *src, size_t len,
		      const struct crm_node *root, const char *key,
		      const char *const *items, size_t n)
{
	const struct crm_pair *p = find_pair(root, key);
	bool block = p && p->value->kind == CRM_NODE_SEQ && p->value->count &&
		     src[p->value->start] != '[';
	struct crm_buf ins = CRM_BUF_INIT;
	size_t i, from, to;
	int err;

	if (!block) {
		crm_buf_addch(&ins, '[');
		for (i = 0; i < n; i++) {
			if (i)
				crm_buf_adds(&ins, ", ");
			crm_yaml_emit_scalar(&ins, items[i], CRM_YAML_FLOW);
		}
		crm_buf_addch(&ins, ']');
		if (!p) {
			err = append_key(out, src, len, key, ins.ptr);
			crm_buf_release(&ins);
			return err;
		}
		from = p->key->end;
		while (from < len && src[from] != ':')
			from++;
		to = pair_end(src, len, p);
		crm_buf_reset(out);
		crm_buf_adds(out, ": ");
		crm_buf_add(out, ins.ptr, ins.len);
		crm_buf_addch(out, '\n');
		crm_buf_release(&ins);
		crm_buf_init(&ins);
		crm_buf_add(&ins, out->ptr, out->len);
		err = splice(out, src, len, from, to, ins.ptr, ins.len);
		crm_buf_release(&ins);
		return err;
	}
	/* block list: keep the indentation of its first item */
	from = line_start(src, p->value->items[0]->start);
	to = pair_end(src, len, p);
	for (i = 0; i < n; i++) {
		crm_buf_add(&ins, src + from, p->value->items[0]->start - from);
		crm_edit_render_scalar(&ins, items[i], NULL);
		crm_buf_addch(&ins, '\n');
	}
	if (!n) {
		/* an empty block list becomes [] on the key's line */
		from = p->key->end;
		while (from < len && src[from] != ':')
			from++;
		crm_buf_adds(&ins, ": []\n");
	}
	err = splice(out, src, len, from, to, ins.ptr, ins.len);
	crm_buf_release(&ins);
	return err;
}

int crm_edit_append_entry(struct crm_buf *out, const char *src, size_t len,
			  const struct crm_node *root, const char *key, const char *entry)
{
	const struct crm_pair *p = find_pair(root, key);
	struct crm_buf ins = CRM_BUF_INIT;
	const struct crm_node *seq = p ? p->value : NULL;
	size_t at;
	int err;

	if (!seq || seq->kind != CRM_NODE_SEQ || !seq->count) {
		if (p)
			err = crm_edit_unset(out, src, len, root, key);
		else
			err = splice(out, src, len, len, len, "", 0);
		if (err)
			return err;
		crm_buf_add(&ins, out->ptr, out->len);
		if (ins.len && ins.ptr[ins.len - 1] != '\n')
			crm_buf_addch(&ins, '\n');
		crm_buf_addf(&ins, "%s:\n  - {%s}\n", key, entry);
		crm_buf_reset(out);
		crm_buf_add(out, ins.ptr, ins.len);
		crm_buf_release(&ins);
		return 0;
	}
	if (src[seq->start] == '[') {
		/* flow list: insert before the closing bracket */
		at = seq->end - 1;
		crm_buf_addf(&ins, ", {%s}", entry);
		err = splice(out, src, len, at, at, ins.ptr, ins.len);
	} else {
		const struct crm_node *first = seq->items[0];
		size_t indent_from = line_start(src, first->start);
		at = pair_end(src, len, p);
		if (at && src[at - 1] != '\n')
			crm_buf_addch(&ins, '\n');
		crm_buf_add(&ins, src + indent_from, first->start - indent_from);
		crm_buf_addf(&ins, "{%s}\n", entry);
		err = splice(out, src, len, at, at, ins.ptr, ins.len);
	}
	crm_buf_release(&ins);
	return err;
}

int crm_edit_pair_text(struct crm_buf *out, const char *src, size_t len,
		       const struct crm_node *root, const char *key)
{
	const struct crm_pair *p = find_pair(root, key);
	size_t from, to;

	crm_buf_reset(out);
	if (!p)
		return CRM_ENOTFOUND;
	from = line_start(src, p->key->start);
	to = pair_end(src, len, p);
	crm_buf_add(out, src + from, to - from);
	if (!out->len || out->ptr[out->len - 1] != '\n')
		crm_buf_addch(out, '\n');
	return 0;
}

int crm_edit_replace_pair(struct crm_buf *out, const char *src, size_t len,
			  const struct crm_node *root, const char *key, const char *block)
{
	const struct crm_pair *p = find_pair(root, key);
	if (!p) {
		crm_buf_reset(out);
		crm_buf_add(out, src, len);
		if (len && src[len - 1] != '\n')
			crm_buf_addch(out, '\n');
		return crm_buf_adds(out, block);
	}
	return splice(out, src, len, line_start(src, p->key->start), pair_end(src, len, p),
		      block, strlen(block));
}

int crm_edit_render_flow(struct crm_buf *out, const struct crm_node *n)
{
	size_t i;
	if (!n || crm_node_is_null(n))
		return crm_buf_addch(out, '~');
	if (n->kind == CRM_NODE_SCALAR)
		return render_scalar(out, n->text, n->style == CRM_STYLE_PLAIN ? NULL : n,
				     CRM_YAML_FLOW);
	crm_buf_addch(out, n->kind == CRM_NODE_SEQ ? '[' : '{');
	for (i = 0; i < n->count; i++) {
		if (i)
			crm_buf_adds(out, ", ");
		if (n->kind == CRM_NODE_SEQ) {
			crm_edit_render_flow(out, n->items[i]);
		} else {
			crm_yaml_emit_scalar(out, n->pairs[i].key->text, CRM_YAML_FLOW);
			crm_buf_adds(out, ": ");
			crm_edit_render_flow(out, n->pairs[i].value);
		}
	}
	return crm_buf_addch(out, n->kind == CRM_NODE_SEQ ? ']' : '}');
}

/* ---- entries of a mapping field ("next_step.date") ---- */

static bool is_flow(const char *src, size_t len, const struct crm_node *n)
{
	return n->start < len && src[n->start] == '{';
}

/* "key: {a: 1, sub: value}\n": the flow mapping `map` with `sub` set to
 * `value` (added at its end when absent), or left out when value is NULL. */
static int flow_block(struct crm_buf *out, const char *key, const struct crm_node *map,
		      const char *sub, const char *value)
{
	size_t i, n = 0;
	bool seen = false;

	crm_buf_reset(out);
	crm_yaml_emit_scalar(out, key, CRM_YAML_RECORD);
	crm_buf_adds(out, ": {");
	for (i = 0; i < map->count; i++) {
		const struct crm_pair *e = &map->pairs[i];
		bool is_sub = !strcmp(e->key->text, sub);
		if (is_sub && !value)
			continue;
		crm_buf_adds(out, n++ ? ", " : "");
		crm_yaml_emit_scalar(out, e->key->text, CRM_YAML_FLOW);
		crm_buf_adds(out, ": ");
		if (is_sub)
			render_scalar(out, value, e->value, CRM_YAML_FLOW);
		else
			crm_edit_render_flow(out, e->value);
		seen = seen || is_sub;
	}
	if (!seen && value) {
		crm_buf_adds(out, n ? ", " : "");
		crm_yaml_emit_scalar(out, sub, CRM_YAML_FLOW);
		crm_buf_adds(out, ": ");
		render_scalar(out, value, NULL, CRM_YAML_FLOW);
	}
	return crm_buf_adds(out, "}\n");
}

int crm_edit_set_entry(struct crm_buf *out, const char *src, size_t len,
		       const struct crm_node *root, const char *key, const char *sub,
		       const char *value)
{
	const struct crm_pair *p = find_pair(root, key);
	const struct crm_node *map = p ? p->value : NULL;
	const struct crm_pair *e = map && map->kind == CRM_NODE_MAP ? find_pair(map, sub) : NULL;
	struct crm_buf ins = CRM_BUF_INIT;
	size_t from, to;
	int err;

	if (!is_block_root(root))
		return crm_error_set(CRM_EINVALID, "the file is not a mapping");
	if (map && map->kind != CRM_NODE_MAP && !crm_node_is_null(map))
		return crm_error_set(CRM_EINVALID, "field '%s' is not a mapping in the file", key);
	if (!map || map->kind != CRM_NODE_MAP) {
		/* absent or empty: a new block mapping with the one entry */
		crm_yaml_emit_scalar(&ins, key, CRM_YAML_RECORD);
		crm_buf_adds(&ins, ":\n  ");
		crm_yaml_emit_scalar(&ins, sub, CRM_YAML_RECORD);
		crm_buf_adds(&ins, ": ");
		crm_edit_render_scalar(&ins, value, NULL);
		crm_buf_addch(&ins, '\n');
		err = crm_edit_replace_pair(out, src, len, root, key, ins.ptr);
		goto done;
	}
	if (e && e->value->kind == CRM_NODE_SCALAR && e->value->end > e->value->start &&
	    e->value->style != CRM_STYLE_LITERAL && e->value->style != CRM_STYLE_FOLDED) {
		/* a scalar as written: only its text changes */
		render_scalar(&ins, value, e->value,
			      is_flow(src, len, map) ? CRM_YAML_FLOW : CRM_YAML_RECORD);
		err = splice(out, src, len, e->value->start, e->value->end, ins.ptr, ins.len);
		goto done;
	}
	if (is_flow(src, len, map) || !map->count) {
		err = flow_block(&ins, key, map, sub, value);
		if (!err)
			err = crm_edit_replace_pair(out, src, len, root, key, ins.ptr);
		goto done;
	}
	/* a block mapping: the entry's lines replaced, or a new line after the
	 * last entry, indented as the first one is */
	from = line_start(src, map->pairs[0].key->start);
	crm_buf_add(&ins, src + from, map->pairs[0].key->start - from);
	crm_yaml_emit_scalar(&ins, sub, CRM_YAML_RECORD);
	crm_buf_adds(&ins, ": ");
	crm_edit_render_scalar(&ins, value, NULL);
	crm_buf_addch(&ins, '\n');
	if (e) {
		from = line_start(src, e->key->start);
		to = pair_end(src, len, e);
	} else {
		from = to = pair_end(src, len, p);
		if (from && src[from - 1] != '\n') {
			struct crm_buf nl = CRM_BUF_INIT;
			crm_buf_addch(&nl, '\n');
			crm_buf_add(&nl, ins.ptr, ins.len);
			crm_buf_release(&ins);
			ins = nl;
		}
	}
	err = splice(out, src, len, from, to, ins.ptr, ins.len);
done:
	crm_buf_release(&ins);
	return err;
}

int crm_edit_unset_entry(struct crm_buf *out, const char *src, size_t len,
			 const struct crm_node *root, const char *key, const char *sub)
{
	const struct crm_pair *p = find_pair(root, key);
	const struct crm_node *map = p ? p->value : NULL;
	const struct crm_pair *e = map && map->kind == CRM_NODE_MAP ? find_pair(map, sub) : NULL;
	struct crm_buf ins = CRM_BUF_INIT;
	int err;

	if (!e)
		return crm_error_set(CRM_ENOTFOUND, "no field '%s.%s' in the file", key, sub);
	if (map->count == 1)   /* its last entry: the mapping goes too */
		return crm_edit_unset(out, src, len, root, key);
	if (is_flow(src, len, map)) {
		err = flow_block(&ins, key, map, sub, NULL);
		if (!err)
			err = crm_edit_replace_pair(out, src, len, root, key, ins.ptr);
		crm_buf_release(&ins);
		return err;
	}
	return splice(out, src, len, line_start(src, e->key->start), pair_end(src, len, e),
		      "", 0);
}
