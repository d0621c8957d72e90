/* crm merge's core: DROP's fields folded into KEEP's file, one top-level
 * field at a time through the format-preserving edits of crm/edit.h
 * (re-parsing after each, as every edit moves the byte offsets after
 * it).  Which side wins a differing field is the caller's question. */
#include <string.h>

#include "crm/dedupe.h"
#include "crm/diag.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/node.h"

static bool is_scalar_list(const struct crm_node *n)
{
	uint32_t i;

	if (!n || n->kind != CRM_NODE_SEQ)
		return false;
	for (i = 0; i < n->count; i++)
		if (n->items[i]->kind != CRM_NODE_SCALAR)
			return false;
	return true;
}

/* tags: a set, so two lists of tags unite rather than conflict */
static bool unites(const char *key, const struct crm_node *a, const struct crm_node *b)
{
	return !strcmp(key, "tags") && is_scalar_list(a) && is_scalar_list(b);
}

static int push_name(void *array, const char *name)
{
	CRM_ARRAY(const char *) *a = array;
	const char **slot = CRM_ARRAY_PUSH(*a);

	if (!slot)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	*slot = name;
	return 0;
}

int crm_merge_fields_of(struct crm_merge_fields *out, const struct crm_node *keep,
			const struct crm_node *drop)
{
	uint32_t i;
	int err = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; drop && drop->kind == CRM_NODE_MAP && i < drop->count && !err; i++) {
		const char *key = drop->pairs[i].key->text;
		const struct crm_node *k = crm_node_get(keep, key), *d = drop->pairs[i].value;

		if (crm_node_same(k, d) || crm_node_is_null(d))
			continue;
		if (!k || crm_node_is_null(k))
			err = push_name(&out->added, key);
		else if (unites(key, k, d))
			err = push_name(&out->united, key);
		else
			err = push_name(&out->differing, key);
	}
	return err;
}

void crm_merge_fields_release(struct crm_merge_fields *f)
{
	CRM_ARRAY_RELEASE(f->added);
	CRM_ARRAY_RELEASE(f->differing);
	CRM_ARRAY_RELEASE(f->united);
}

/* KEEP's tags, then DROP's that KEEP lacks. */
static int unite_tags(struct crm_buf *next, const struct crm_buf *text, const struct crm_node *root,
		      const char *key, const struct crm_node *drop_value)
{
	const struct crm_node *k = crm_node_get(root, key);
	CRM_ARRAY(const char *) items = CRM_ARRAY_INIT;
	uint32_t i, j;
	int err = 0;

	for (i = 0; i < k->count && !err; i++)
		err = push_name(&items, k->items[i]->text);
	for (i = 0; i < drop_value->count && !err; i++) {
		for (j = 0; j < items.len && strcmp(items.ptr[j], drop_value->items[i]->text); j++)
			;
		if (j == items.len)
			err = push_name(&items, drop_value->items[i]->text);
	}
	if (!err)
		err = crm_edit_set_list(next, text->ptr, text->len, root, key, items.ptr, items.len);
	CRM_ARRAY_RELEASE(items);
	return err;
}

static int parse(struct crm_node **root, struct crm_arena *arena, const struct crm_buf *text,
		 const char *what)
{
	struct crm_diags d;
	int err;

	crm_diags_init(&d);
	crm_arena_release(arena);
	crm_arena_init(arena);
	err = crm_yaml_parse(root, arena, text->ptr, text->len, what, &d);
	crm_diags_release(&d);
	if (err)
		return crm_error_set(CRM_EINVALID, "the merge would break the record of %s", what);
	return 0;
}

int crm_merge_texts(struct crm_buf *out, const char *keep, size_t keep_len, const char *drop,
		    size_t drop_len, bool (*take_drop)(const char *field, void *payload),
		    void *payload)
{
	struct crm_arena keep_arena = CRM_ARENA_INIT, drop_arena = CRM_ARENA_INIT;
	struct crm_buf text = CRM_BUF_INIT, next = CRM_BUF_INIT, block = CRM_BUF_INIT;
	struct crm_buf drop_text = CRM_BUF_INIT;
	struct crm_node *root = NULL, *droot = NULL;
	uint32_t i;
	int err = crm_buf_add(&text, keep, keep_len);

	if (!err)
		err = crm_buf_add(&drop_text, drop, drop_len);
	if (!err)
		err = parse(&droot, &drop_arena, &drop_text, "the duplicate");
	if (!err)
		err = parse(&root, &keep_arena, &text, "the record kept");
	for (i = 0; !err && droot->kind == CRM_NODE_MAP && i < droot->count; i++) {
		const char *key = droot->pairs[i].key->text;
		const struct crm_node *k = crm_node_get(root, key), *d = droot->pairs[i].value;
		bool absent = !k || crm_node_is_null(k);

		if (crm_node_same(k, d) || crm_node_is_null(d))
			continue;
		crm_buf_reset(&next);
		if (!absent && unites(key, k, d)) {
			err = unite_tags(&next, &text, root, key, d);
		} else if (absent || take_drop(key, payload)) {
			crm_buf_reset(&block);
			err = crm_edit_pair_text(&block, drop_text.ptr, drop_text.len, droot, key);
			if (!err)
				err = crm_edit_replace_pair(&next, text.ptr, text.len, root, key,
							    block.ptr);
		} else {
			continue;
		}
		if (!err)
			err = crm_buf_check(&next);
		if (!err) {
			crm_buf_reset(&text);
			err = crm_buf_add(&text, next.ptr, next.len);
		}
		if (!err)
			err = parse(&root, &keep_arena, &text, "the record kept");
	}
	if (!err)
		err = crm_buf_add(out, text.ptr, text.len);
	crm_buf_release(&text);
	crm_buf_release(&next);
	crm_buf_release(&block);
	crm_buf_release(&drop_text);
	crm_arena_release(&keep_arena);
	crm_arena_release(&drop_arena);
	return err;
}
