/* crm mv REF NEW-ID: renames a record and rewrites every reference to it,
 * in one commit. */
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

static const char usage[] = "REF NEW-ID [--force]";

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
static int check_renaming(struct cli_ctx *ctx, const struct crm_record *rec,
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
		err = check_renaming(ctx, from, &text, target, new_id);
	if (!err)
		err = cli_write_record(txn, from->path, &text);
	crm_buf_release(&text);
	crm_buf_release(&out);
	crm_buf_release(&value);
	CRM_ARRAY_RELEASE(at);
	return err;
}

static int rename_record(struct cli_ctx *ctx, struct crm_txn *txn, struct crm_record *rec,
			 const char *new_id)
{
	struct crm_buf text = CRM_BUF_INIT, path = CRM_BUF_INIT;
	const char *slash = strrchr(rec->path, '/');
	struct crm_record moved = *rec;
	int err;

	crm_buf_add(&path, rec->path, slash ? (size_t)(slash - rec->path) + 1 : 0);
	crm_buf_addf(&path, "%s.yaml", new_id);
	err = crm_buf_read_file_beneath(&text, ctx->repo.root, rec->path, CRM_YAML_MAX_BYTES);
	/* checked as the file git will see added today at its new path (a
	 * record without `created` is as old as its file), against the
	 * errors the record has now */
	moved.path = path.ptr;
	moved.memo = NULL;   /* a new file to git: no date added yet */
	if (!err)
		err = check_renaming(ctx, &moved, &text, rec, new_id);
	if (!err)
		err = crm_txn_write(txn, path.ptr, text.ptr, text.len);
	if (!err)
		err = crm_txn_remove(txn, rec->path);
	crm_buf_release(&text);
	crm_buf_release(&path);
	return err;
}

int cmd_mv(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = {
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "REF"), CLI_ARG(CLI_ARG_ONE, "NEW-ID"), CLI_OPT_END
	};
	struct crm_buf msg = CRM_BUF_INIT;
	const struct crm_backref *b, *c;
	struct crm_record *rec;
	struct crm_txn txn;
	int err, rc = cli_parse_ref(&rec, ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	if (!crm_id_valid(argv[1], strlen(argv[1])) || crm_index_find(ctx->idx, rec->schema->type,
								      argv[1])) {
		cli_error(ctx->command, "'%s' is not a free, valid %s id", argv[1], rec->schema->type);
		return EXIT_USAGE;
	}
	err = crm_txn_begin(&txn, &ctx->repo);
	/* the record's own file first: it may refer to itself */
	for (b = crm_index_backrefs(ctx->idx, rec); b && !err; b = b->next) {
		for (c = crm_index_backrefs(ctx->idx, rec); c != b && c->from != b->from; c = c->next)
			;
		if (c == b && b->from != rec)
			err = rewrite_file(ctx, &txn, rec, b->from, argv[1]);
	}
	if (!err)
		err = rename_record(ctx, &txn, rec, argv[1]);
	crm_buf_addf(&msg, "crm: mv %s/%s %s", rec->schema->type, rec->id, argv[1]);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
	crm_buf_release(&msg);
	return rc;
}
