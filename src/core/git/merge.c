/* Three-way merge of record files, field by field.  Values are compared by
 * meaning (a canonical rendering), not by their quoting; the result is
 * built from ours, so what the user wrote around the fields survives. */
#include <stdlib.h>
#include <string.h>

#include "crm/diag.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/map.h"
#include "crm/merge.h"
#include "crm/yaml_emit.h"

struct version {
	struct crm_node *root;
	const char *text;
	size_t len;
};

/* What the merged file must read back as for one key: the merge is
 * checked against this, not against its own text. */
struct expect {
	enum { EXPECT_VALUE, EXPECT_LIST, EXPECT_CONFLICT } kind;
	const struct crm_node *value;         /* EXPECT_VALUE: NULL when removed */
	const struct crm_node **items;        /* EXPECT_LIST */
	size_t nitems;
	const struct crm_node *ours, *theirs, *base;   /* EXPECT_CONFLICT */
};

static bool same(const struct crm_node *a, const struct crm_node *b)
{
	return crm_node_same(a, b);
}

static bool seq_has(const struct crm_node *seq, const struct crm_node *item)
{
	size_t i;
	for (i = 0; seq && seq->kind == CRM_NODE_SEQ && i < seq->count; i++) {
		if (same(seq->items[i], item))
			return true;
	}
	return false;
}

/* "key:" with the key quoted as it needs. */
static void add_key(struct crm_buf *block, const char *key)
{
	crm_yaml_emit_scalar(block, key, CRM_YAML_RECORD);
	crm_buf_addch(block, ':');
}

/* Tags: what either side added, less what either side removed. */
static int merge_set(struct crm_buf *block, struct expect *x, struct crm_arena *arena,
		     const char *key, const struct crm_node *b, const struct crm_node *o,
		     const struct crm_node *t)
{
	const struct crm_node *sides[2] = { o, t };
	size_t s, i, cap = (o ? o->count : 0) + (t ? t->count : 0) + 1;

	x->kind = EXPECT_LIST;
	x->nitems = 0;
	x->items = crm_arena_alloc(arena, cap * sizeof(*x->items));
	if (!x->items)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	add_key(block, key);
	crm_buf_adds(block, " [");
	for (s = 0; s < 2; s++) {
		for (i = 0; sides[s] && i < sides[s]->count; i++) {
			const struct crm_node *it = sides[s]->items[i];
			bool removed = seq_has(b, it) && (!seq_has(o, it) || !seq_has(t, it));
			if (removed || (s == 1 && seq_has(o, it)))
				continue;
			crm_buf_adds(block, x->nitems ? ", " : "");
			crm_edit_render_flow(block, it);
			x->items[x->nitems++] = it;
		}
	}
	crm_buf_adds(block, "]\n");
	return 0;
}

static const char *entry_date(const struct crm_node *e)
{
	const char *d = crm_node_text(e, "date");
	return d ? d : "";
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(entry_date(*(const struct crm_node *const *)a),
		      entry_date(*(const struct crm_node *const *)b));
}

/* History: every entry of either side, once, ordered by date (a stable
 * sort keeps ours before theirs on the same date). */
static int merge_history(struct crm_buf *block, struct expect *x, struct crm_arena *arena,
			 const char *key, const struct crm_node *o, const struct crm_node *t)
{
	const struct crm_node *sides[2] = { o, t };
	const struct crm_node **all;
	size_t s, i, j, n = 0, cap = (o ? o->count : 0) + (t ? t->count : 0) + 1;

	all = crm_arena_alloc(arena, cap * sizeof(*all));
	if (!all)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (s = 0; s < 2; s++) {
		for (i = 0; sides[s] && i < sides[s]->count; i++) {
			bool dup = false;
			for (j = 0; j < n && !dup; j++)
				dup = same(all[j], sides[s]->items[i]);
			if (!dup)
				all[n++] = sides[s]->items[i];
		}
	}
	/* insertion sort: stable, and histories are short */
	for (i = 1; i < n; i++) {
		const struct crm_node *e = all[i];
		for (j = i; j > 0 && compare_entries(&all[j - 1], &e) > 0; j--)
			all[j] = all[j - 1];
		all[j] = e;
	}
	add_key(block, key);
	crm_buf_addch(block, '\n');
	for (i = 0; i < n; i++) {
		crm_buf_adds(block, "  - ");
		crm_edit_render_flow(block, all[i]);
		crm_buf_addch(block, '\n');
	}
	x->kind = EXPECT_LIST;
	x->items = all;
	x->nitems = n;
	return 0;
}

/* Both values kept in the file (README "conflict"), written by the same
 * emitter as every other value so `crm resolve` can read them back. */
static void conflict_block(struct crm_buf *block, struct expect *x, const char *key,
			   const struct crm_node *b, const struct crm_node *o,
			   const struct crm_node *t)
{
	add_key(block, key);
	crm_buf_adds(block, "\n  conflict:\n    ours: ");
	crm_edit_render_flow(block, o);
	crm_buf_adds(block, "\n    theirs: ");
	crm_edit_render_flow(block, t);
	crm_buf_adds(block, "\n    base: ");
	crm_edit_render_flow(block, b);
	crm_buf_addch(block, '\n');
	x->kind = EXPECT_CONFLICT;
	x->ours = o;
	x->theirs = t;
	x->base = b;
}

static bool is_list_of_scalars(const struct crm_node *n)
{
	size_t i;
	if (!n || n->kind != CRM_NODE_SEQ)
		return n == NULL;
	for (i = 0; i < n->count; i++) {
		if (n->items[i]->kind != CRM_NODE_SCALAR)
			return false;
	}
	return true;
}

/* The block for `key` in the result, or "" to remove it, or *keep to
 * keep ours as it is; *x says what the key must read back as. */
static int merge_key(struct crm_buf *block, bool *keep, struct expect *x, size_t *conflicts,
		     struct crm_arena *arena, const char *key, const struct version *b,
		     const struct version *o, const struct version *t)
{
	const struct crm_node *bv = crm_node_get(b->root, key);
	const struct crm_node *ov = crm_node_get(o->root, key);
	const struct crm_node *tv = crm_node_get(t->root, key);

	*keep = false;
	x->kind = EXPECT_VALUE;
	if (!b->root->count && !same(ov, tv)) {
		/* added on both sides with the same id: perhaps two different
		 * things; every field they disagree on is for a person to settle */
		conflict_block(block, x, key, bv, ov, tv);
		(*conflicts)++;
		return 0;
	}
	if (same(ov, tv) || same(bv, tv)) {
		*keep = true;
		x->value = ov;
		return 0;
	}
	if (same(bv, ov)) {
		/* only theirs changed it: take their lines as they wrote them */
		x->value = tv;
		if (tv)
			crm_edit_pair_text(block, t->text, t->len, t->root, key);
		return 0;
	}
	if (!strcmp(key, "tags") && is_list_of_scalars(ov) && is_list_of_scalars(tv) &&
	    is_list_of_scalars(bv))
		return merge_set(block, x, arena, key, bv, ov, tv);
	if (!strcmp(key, "history") && (!ov || ov->kind == CRM_NODE_SEQ) &&
	    (!tv || tv->kind == CRM_NODE_SEQ))
		return merge_history(block, x, arena, key, ov, tv);
	conflict_block(block, x, key, bv, ov, tv);
	(*conflicts)++;
	return 0;
}

static bool reads_back(const struct crm_node *got, const struct expect *x)
{
	const struct crm_node *c;
	size_t i;

	switch (x->kind) {
	case EXPECT_VALUE:
		return same(got, x->value) && (got != NULL) == (x->value != NULL);
	case EXPECT_LIST:
		if (!got || got->kind != CRM_NODE_SEQ || got->count != x->nitems)
			return false;
		for (i = 0; i < x->nitems; i++) {
			if (!same(got->items[i], x->items[i]))
				return false;
		}
		return true;
	case EXPECT_CONFLICT:
		c = got && got->kind == CRM_NODE_MAP && got->count == 1 ?
			crm_node_get(got, "conflict") : NULL;
		return c && c->kind == CRM_NODE_MAP && c->count == 3 &&
		       same(crm_node_get(c, "ours"), x->ours) &&
		       same(crm_node_get(c, "theirs"), x->theirs) &&
		       same(crm_node_get(c, "base"), x->base);
	}
	return false;
}

static int parse_version(struct version *v, struct crm_arena *arena, struct crm_diags *d,
			 const char *text, size_t len, const char *which)
{
	v->text = text;
	v->len = len;
	if (crm_yaml_parse(&v->root, arena, text, len, which, d))
		return crm_error_set(CRM_EINVALID, "%s version does not parse: %s", which,
				     d->list.len ? d->list.ptr[d->list.len - 1].message : "?");
	return 0;
}

/* Every key of the three versions, ours' order first. */
static int collect_keys(const char ***keys, size_t *n, const struct version *v[3])
{
	struct crm_map seen = CRM_MAP_INIT;
	size_t i, k, cap = 1;

	for (k = 0; k < 3; k++)
		cap += v[k]->root->count;
	*keys = calloc(cap, sizeof(char *));
	if (!*keys)
		return CRM_ENOMEM;
	*n = 0;
	for (k = 0; k < 3; k++) {
		for (i = 0; i < v[k]->root->count; i++) {
			const char *key = v[k]->root->pairs[i].key->text;
			if (!crm_map_get(&seen, key)) {
				crm_map_put(&seen, key, (void *)key, NULL);
				(*keys)[(*n)++] = key;
			}
		}
	}
	crm_map_release(&seen);
	return 0;
}

/* Does the merged text read back as the merge meant, key by key, with no
 * key the merge did not mean? */
static int verify(const char *text, size_t len, const char **keys, const struct expect *x,
		  size_t nkeys)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *root;
	size_t i, present = 0;
	int err = 0;

	crm_diags_init(&diags);
	if (crm_yaml_parse(&root, &arena, text, len, "the merged", &diags)) {
		err = crm_error_set(CRM_ECONFLICT, "the merged file does not parse (%s)",
				    diags.list.len ? diags.list.ptr[0].message : "?");
		goto done;
	}
	for (i = 0; i < nkeys; i++) {
		const struct crm_node *got = crm_node_get(root, keys[i]);
		present += got != NULL;
		if (!reads_back(got, &x[i])) {
			err = crm_error_set(CRM_ECONFLICT, "field '%s' of the merged file does not "
					    "read back as merged", keys[i]);
			goto done;
		}
	}
	if (present != root->count)
		err = crm_error_set(CRM_ECONFLICT, "the merged file has fields no version has");
done:
	crm_diags_release(&diags);
	crm_arena_release(&arena);
	return err;
}

/* Both versions whole, between git's conflict markers. */
static void both_versions(struct crm_buf *out, const char *ours, size_t ours_len,
			  const char *theirs, size_t theirs_len)
{
	crm_buf_reset(out);
	crm_buf_adds(out, "<<<<<<< ours\n");
	crm_buf_add(out, ours, ours_len);
	if (ours_len && ours[ours_len - 1] != '\n')
		crm_buf_addch(out, '\n');
	crm_buf_adds(out, "=======\n");
	crm_buf_add(out, theirs, theirs_len);
	if (theirs_len && theirs[theirs_len - 1] != '\n')
		crm_buf_addch(out, '\n');
	crm_buf_adds(out, ">>>>>>> theirs\n");
}

int crm_merge_record(struct crm_buf *out, size_t *conflicts_out,
		     const char *base, size_t base_len, const char *ours, size_t ours_len,
		     const char *theirs, size_t theirs_len)
{
	struct crm_arena arena = CRM_ARENA_INIT, work = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct version b, o, t, cur;
	const struct version *order[3] = { &o, &t, &b };
	struct crm_buf block = CRM_BUF_INIT, next = CRM_BUF_INIT;
	struct expect *expected = NULL;
	const char **keys = NULL;
	size_t nkeys = 0, i;
	bool keep;
	int err;

	*conflicts_out = 0;
	crm_diags_init(&diags);
	err = parse_version(&b, &arena, &diags, base, base_len, "the common");
	if (!err)
		err = parse_version(&o, &arena, &diags, ours, ours_len, "our");
	if (!err)
		err = parse_version(&t, &arena, &diags, theirs, theirs_len, "their");
	if (!err)
		err = collect_keys(&keys, &nkeys, order);
	if (!err && !(expected = calloc(nkeys + 1, sizeof(*expected))))
		err = crm_error_set(CRM_ENOMEM, "out of memory");
	crm_buf_reset(out);
	crm_buf_add(out, ours, ours_len);
	for (i = 0; i < nkeys && !err; i++) {
		crm_buf_reset(&block);
		err = merge_key(&block, &keep, &expected[i], conflicts_out, &arena, keys[i], &b, &o,
				&t);
		if (err || keep)
			continue;
		crm_arena_release(&work);
		err = parse_version(&cur, &work, &diags, out->ptr, out->len, "the merged");
		if (!err && !block.len && crm_node_get(cur.root, keys[i]))
			err = crm_edit_unset(&next, out->ptr, out->len, cur.root, keys[i]);
		else if (!err && block.len)
			err = crm_edit_replace_pair(&next, out->ptr, out->len, cur.root, keys[i],
						    block.ptr);
		else
			continue;
		if (!err) {
			crm_buf_reset(out);
			crm_buf_add(out, next.ptr, next.len);
		}
	}
	/* a merge that cannot be read back as meant (a writer's bug) must
	 * not win silently: both versions stay, for a person to settle */
	if (!err && keys)
		err = verify(out->ptr, out->len, keys, expected, nkeys);
	if (err && err != CRM_ENOMEM && keys) {
		both_versions(out, ours, ours_len, theirs, theirs_len);
		*conflicts_out = 1;
		err = CRM_ECONFLICT;
	}
	free(keys);
	free(expected);
	crm_buf_release(&block);
	crm_buf_release(&next);
	crm_arena_release(&work);
	crm_arena_release(&arena);
	crm_diags_release(&diags);
	return err;
}

static void diff_line(struct crm_buf *out, const char *indent, const char *sign,
		      const char *key, const struct crm_node *a, const struct crm_node *b)
{
	crm_buf_addf(out, "%s%s%s: ", indent, sign, key);
	if (a)
		crm_edit_render_flow(out, a);
	if (a && b)
		crm_buf_adds(out, " -> ");
	if (b)
		crm_edit_render_flow(out, b);
	crm_buf_addch(out, '\n');
}

int crm_record_diff(struct crm_buf *out, size_t *changes_out, const char *indent,
		    const char *old_text, size_t old_len, const char *new_text, size_t new_len)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct version o, n, none;
	const struct version *order[3];
	const char **keys = NULL;
	size_t nkeys = 0, i;
	int err;

	*changes_out = 0;
	crm_diags_init(&diags);
	err = parse_version(&o, &arena, &diags, old_text ? old_text : "", old_text ? old_len : 0,
			    "the old");
	if (!err)
		err = parse_version(&n, &arena, &diags, new_text ? new_text : "",
				    new_text ? new_len : 0, "the new");
	none = o;
	order[0] = &o;
	order[1] = &n;
	order[2] = &none;
	if (!err)
		err = collect_keys(&keys, &nkeys, order);
	for (i = 0; i < nkeys && !err; i++) {
		const struct crm_node *a = crm_node_get(o.root, keys[i]);
		const struct crm_node *b = crm_node_get(n.root, keys[i]);
		if (same(a, b) && (a != NULL) == (b != NULL))
			continue;
		diff_line(out, indent, !a ? "+" : !b ? "-" : "", keys[i], a, b);
		(*changes_out)++;
	}
	free(keys);
	crm_arena_release(&arena);
	crm_diags_release(&diags);
	return err;
}
