/* Rewriting the references to a record that gets another id: crm mv
 * (a rename) and crm merge (a duplicate folded into the record it
 * duplicates) change every file that refers to it, each held to the rule
 * of every write. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/beneath.h"
#include "crm/check.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/store.h"

/* Drops from `d` the findings that only say the index does not know the
 * new id yet ("unknown client 'new-id'"): the rename makes every
 * reference it rewrites resolve again.  Returns how many it dropped. */
static size_t drop_renamed_refs(struct crm_diags *d, const char *type, const char *new_id)
{
	struct crm_buf unknown = CRM_BUF_INIT;
	size_t i, keep = 0, dropped = 0;

	crm_buf_addf(&unknown, "unknown %s '%s'", type, new_id);
	for (i = 0; i < d->list.len; i++) {
		const struct crm_diag *f = &d->list.ptr[i];
		if (!crm_buf_check(&unknown) && !strcmp(f->code, "dangling-ref") &&
		    !strncmp(f->message, unknown.ptr, unknown.len)) {
			dropped++;
			continue;
		}
		d->list.ptr[keep++] = *f;
	}
	d->list.len = keep;
	crm_buf_release(&unknown);
	return dropped;
}

/* The rule of every write (cli_check_write) for `text`, the new content of
 * `rec` (or of `rec` at a new path), when `target` is renamed `new_id`. */
int cli_check_renaming(struct cli_ctx *ctx, const struct crm_record *rec,
		       const struct crm_buf *text, const struct crm_record *target,
		       const char *new_id)
{
	struct crm_diags d;
	size_t fresh, dropped;
	int err = crm_buf_check(text);

	if (err)
		return err;
	crm_diags_init(&d);
	fresh = crm_check_change(ctx->idx, rec, text->ptr, text->len, &d);
	/* NEEDSWORK: a reference to new_id that dangled before the rename
	 * was an old error, not a fresh one, and is dropped too: such a file
	 * may hide one new error from this count */
	dropped = drop_renamed_refs(&d, target->schema->type, new_id);
	err = cli_check_verdict(ctx, rec, &d, fresh > dropped ? fresh - dropped : 0);
	crm_diags_release(&d);
	return err;
}

/* The referring values of one file, last first, so splicing one does not
 * move the others. */
static int compare_at_desc(const void *a, const void *b)
{
	const struct crm_node *x = *(const struct crm_node *const *)a;
	const struct crm_node *y = *(const struct crm_node *const *)b;
	return x->start < y->start ? 1 : x->start > y->start ? -1 : 0;
}

/* Rewrites the references in `from`'s file: values "old" or "type/old". */
static int rewrite_file(struct cli_ctx *ctx, struct crm_txn *txn, struct crm_record *target,
			struct crm_record *from, const char *new_id)
{
	CRM_ARRAY(const struct crm_node *) at = CRM_ARRAY_INIT;
	const struct crm_node **slot;
	const struct crm_backref *b;
	struct crm_buf text = CRM_BUF_INIT, out = CRM_BUF_INIT, value = CRM_BUF_INIT;
	struct crm_buf swap;
	size_t i;
	int err = 0;

	/* every reference the file holds, however many */
	for (b = crm_index_backrefs(ctx->idx, target); b && !err; b = b->next) {
		if (b->from != from)
			continue;
		slot = CRM_ARRAY_PUSH(at);
		if (slot)
			*slot = b->at;
		else
			err = CRM_ENOMEM;
	}
	if (at.len)
		qsort(at.ptr, at.len, sizeof(*at.ptr), compare_at_desc);
	if (!err)
		err = crm_buf_read_file_beneath(&text, ctx->repo.root, from->path,
						CRM_YAML_MAX_BYTES);
	for (i = 0; i < at.len && !err; i++) {
		const struct crm_node *ref = at.ptr[i];
		crm_buf_reset(&value);
		if (strchr(ref->text, '/'))
			crm_buf_addf(&value, "%s/", target->schema->type);
		crm_buf_adds(&value, new_id);
		crm_buf_reset(&out);
		crm_buf_add(&out, text.ptr, ref->start);
		crm_edit_render_scalar(&out, value.ptr, ref);
		crm_buf_add(&out, text.ptr + ref->end, text.len - ref->end);
		/* the new text takes the place of the old, its error mark too */
		swap = text;
		text = out;
		out = swap;
		err = crm_buf_check(&text);
	}
	if (!err)
		err = cli_check_renaming(ctx, from, &text, target, new_id);
	if (!err)
		err = cli_write_record(txn, from->path, &text);
	crm_buf_release(&text);
	crm_buf_release(&out);
	crm_buf_release(&value);
	CRM_ARRAY_RELEASE(at);
	return err;
}

int cli_rewrite_refs(struct cli_ctx *ctx, struct crm_txn *txn, struct crm_record *target,
		     const char *new_id, const struct crm_record *skip, size_t *files_out)
{
	const struct crm_backref *b, *c;
	size_t files = 0;
	int err = 0;

	/* each referring file once, however many references it holds; the
	 * record's own file is the caller's */
	for (b = crm_index_backrefs(ctx->idx, target); b && !err; b = b->next) {
		for (c = crm_index_backrefs(ctx->idx, target); c != b && c->from != b->from;
		     c = c->next)
			;
		if (c != b || b->from == target || b->from == skip)
			continue;
		err = rewrite_file(ctx, txn, target, b->from, new_id);
		files++;
	}
	if (files_out)
		*files_out = files;
	return err;
}
