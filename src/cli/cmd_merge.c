/* crm merge KEEP DROP [--prefer keep|drop]: folds the duplicate DROP into
 * KEEP field by field (asking in a terminal for each field they disagree
 * on, without holding the repository's lock), points every reference to
 * DROP at KEEP, removes DROP's file (git keeps its history) and commits
 * once.  Not `crm merge-driver`, the driver git runs for merges of
 * branches. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crm/dedupe.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/store.h"

static const char usage[] = "KEEP DROP [--prefer keep|drop] [--force]";

/* What settles a field both records hold with different values. */
struct decisions {
	const char *prefer;                  /* "keep", "drop" or NULL: asked */
	CRM_ARRAY(const char *) from_drop;   /* fields answered "drop" */
};

static bool take_drop(const char *field, void *payload)
{
	struct decisions *d = payload;
	size_t i;

	if (d->prefer)
		return !strcmp(d->prefer, "drop");
	for (i = 0; i < d->from_drop.len; i++)
		if (!strcmp(d->from_drop.ptr[i], field))
			return true;
	return false;
}

static void show_value(struct crm_buf *out, const struct crm_node *n)
{
	if (n->kind == CRM_NODE_SCALAR)
		crm_buf_adds(out, n->text);
	else
		crm_edit_render_flow(out, n);
}

/* Asks on the terminal which value of `field` to keep: 0 with the answer
 * recorded, CRM_ENOTFOUND when the input ends first. */
static int ask(struct decisions *d, const char *field, const struct crm_node *keep,
	       const struct crm_node *drop)
{
	struct crm_buf a = CRM_BUF_INIT, b = CRM_BUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	const char **slot;
	int err = CRM_ENOTFOUND;

	show_value(&a, keep);
	show_value(&b, drop);
	fprintf(stderr, "%s differs:\n  keep: %s\n  drop: %s\n", field, a.ptr, b.ptr);
	for (;;) {
		fputs("take which? [k]eep/[d]rop: ", stderr);
		if (getline(&line, &cap, stdin) < 0)
			break;
		if (line[0] == 'k' && (line[1] == '\n' || !line[1])) {
			err = 0;
			break;
		}
		if (line[0] == 'd' && (line[1] == '\n' || !line[1])) {
			slot = CRM_ARRAY_PUSH(d->from_drop);
			err = slot ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");
			if (slot)
				*slot = field;
			break;
		}
	}
	if (err == CRM_ENOTFOUND)
		err = crm_error_set(CRM_ENOTFOUND, "no answer for '%s'; nothing was changed", field);
	free(line);
	crm_buf_release(&a);
	crm_buf_release(&b);
	return err;
}

static void list_names(struct crm_buf *out, const char *const *names, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		crm_buf_addf(out, "%s%s", i ? ", " : "", names[i]);
}

/* Whether the differing fields are settled by asking: no --prefer, and
 * a terminal to ask on; without either the merge is refused, naming the
 * fields. */
static int must_ask(bool *out, struct decisions *d, const struct crm_merge_fields *f,
		    const struct crm_record *keep, const struct crm_record *drop)
{
	struct crm_buf names = CRM_BUF_INIT;
	int err = 0;

	*out = false;
	if (d->prefer || !f->differing.len)
		return 0;
	if (!isatty(STDIN_FILENO)) {
		list_names(&names, f->differing.ptr, f->differing.len);
		err = crm_error_set(CRM_EUSAGE, "%s/%s and %s/%s differ in %s; choose with "
				    "--prefer keep|drop, or run crm merge in a terminal to choose "
				    "field by field", keep->schema->type, keep->id, drop->schema->type,
				    drop->id, names.ptr);
		crm_buf_release(&names);
		return err;
	}
	*out = true;
	return 0;
}

/* Asks for every differing field.  The repository's lock is let go
 * meanwhile: a user may take minutes to answer, and every other crm on
 * the repository would wait for them (or give up after five seconds).
 * It is taken again before the answers are used. */
static int ask_all(struct cli_ctx *ctx, struct decisions *d, const struct crm_merge_fields *f,
		   const struct crm_node *keep_root, const struct crm_node *drop_root)
{
	size_t i;
	int err = 0;

	crm_store_unlock(&ctx->repo);
	for (i = 0; i < f->differing.len && !err; i++)
		err = ask(d, f->differing.ptr[i], crm_node_get(keep_root, f->differing.ptr[i]),
			  crm_node_get(drop_root, f->differing.ptr[i]));
	if (!err && cli_lock_and_recover(ctx, ctx->command, true))
		err = CRM_ELOCKED;   /* printed */
	return err;
}

/* `rec` as the repository holds it now that the lock is back: the record
 * of that type and id in the reloaded index, refused when it is gone, was
 * moved, or its file is no longer `text`, the one the questions showed. */
static int still_as_asked(struct crm_record **out, struct cli_ctx *ctx, const char *type,
			  const char *id, const char *path, const struct crm_buf *text)
{
	struct crm_record *now = crm_index_find(ctx->idx, type, id);
	int err = 0;

	if (!now || strcmp(now->path, path) ||
	    crm_store_unchanged(&ctx->repo, path, text))
		err = crm_error_set(CRM_ECONFLICT, "%s/%s was changed by another command while "
				    "crm merge asked which values to keep; nothing was written "
				    "(run crm merge again to see the values as they are now)",
				    type, id);
	*out = now;
	return err;
}

/* After the questions: the index loaded again under the lock (another
 * command may have added a reference to DROP meanwhile, which the
 * rewrite must see), and both records as they were when asked about.
 * *keep and *drop then point into the new index. */
static int reread(struct cli_ctx *ctx, struct crm_record **keep, struct crm_record **drop,
		  const struct crm_buf *keep_text, const struct crm_buf *drop_text)
{
	struct crm_index_options o = CRM_INDEX_OPTIONS_INIT;
	struct crm_index *idx = NULL;
	char *type = strdup((*keep)->schema->type);
	char *keep_id = strdup((*keep)->id), *keep_path = strdup((*keep)->path);
	char *drop_id = strdup((*drop)->id), *drop_path = strdup((*drop)->path);
	int err = 0;

	o.no_cache = ctx->no_cache;
	if (!type || !keep_id || !keep_path || !drop_id || !drop_path)
		err = crm_error_set(CRM_ENOMEM, "out of memory");
	if (!err)
		err = crm_index_load(&idx, &ctx->repo, &o);
	if (!err) {
		crm_index_free(ctx->idx);
		ctx->idx = idx;
		err = still_as_asked(keep, ctx, type, keep_id, keep_path, keep_text);
	}
	if (!err)
		err = still_as_asked(drop, ctx, type, drop_id, drop_path, drop_text);
	free(type);
	free(keep_id);
	free(keep_path);
	free(drop_id);
	free(drop_path);
	return err;
}

/* " (took email, phone from client/x; 2 files referred to it)" */
static void describe(struct crm_buf *msg, const struct crm_merge_fields *f,
		     struct decisions *d, const struct crm_record *drop, size_t files)
{
	size_t i, took = 0;

	crm_buf_adds(msg, " (took ");
	for (i = 0; i < f->added.len; i++)
		crm_buf_addf(msg, "%s%s", took++ ? ", " : "", f->added.ptr[i]);
	for (i = 0; i < f->united.len; i++)
		crm_buf_addf(msg, "%s%s", took++ ? ", " : "", f->united.ptr[i]);
	for (i = 0; i < f->differing.len; i++) {
		if (take_drop(f->differing.ptr[i], d))
			crm_buf_addf(msg, "%s%s", took++ ? ", " : "", f->differing.ptr[i]);
	}
	if (!took)
		crm_buf_adds(msg, "no field");
	crm_buf_addf(msg, " from %s/%s; %zu file%s referred to it)", drop->schema->type, drop->id,
		     files, files == 1 ? "" : "s");
}

static int merge_records(struct cli_ctx *ctx, struct crm_record *keep, struct crm_record *drop,
			 struct decisions *d)
{
	struct crm_buf drop_text = CRM_BUF_INIT, merged = CRM_BUF_INIT, msg = CRM_BUF_INIT;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_merge_fields f;
	struct crm_node *drop_root = NULL;
	struct cli_edit e;
	struct crm_txn txn;
	size_t files = 0;
	bool asking = false;
	int err, rc;

	memset(&f, 0, sizeof(f));
	err = cli_edit_open(&e, ctx, keep->path);
	if (!err)
		err = crm_store_read(&drop_text, &drop_root, &arena, &ctx->repo, drop->path);
	if (!err)
		err = crm_merge_fields_of(&f, e.root, drop_root);
	if (!err)
		err = must_ask(&asking, d, &f, keep, drop);
	if (!err && asking)
		err = ask_all(ctx, d, &f, e.root, drop_root);
	if (!err && asking)
		err = reread(ctx, &keep, &drop, &e.text, &drop_text);
	if (!err && asking)
		e.path = keep->path;   /* the old index's copy is gone */
	if (!err)
		err = crm_merge_texts(&merged, e.text.ptr, e.text.len, drop_text.ptr, drop_text.len,
				      take_drop, d);
	/* checked before the transaction: a refusal touches nothing.
	 * NEEDSWORK: a reference to DROP in KEEP's own file is not rewritten
	 * (the check does not see it dangle either, DROP being indexed) */
	if (!err)
		err = cli_check_write(ctx, keep, &merged);
	if (err == CRM_ELOCKED && asking) {
		rc = EXIT_PROBLEMS;   /* cli_lock_and_recover printed why */
		goto done;
	}
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
		goto done;
	}
	err = crm_txn_begin(&txn, &ctx->repo);
	if (!err)
		err = cli_rewrite_refs(ctx, &txn, drop, keep->id, keep, &files);
	if (!err)
		err = cli_write_record(&txn, keep->path, &merged);
	if (!err)
		err = crm_txn_remove(&txn, drop->path);
	crm_buf_addf(&msg, "crm: merge %s/%s into %s/%s", drop->schema->type, drop->id,
		     keep->schema->type, keep->id);
	describe(&msg, &f, d, drop, files);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
done:
	crm_merge_fields_release(&f);
	cli_edit_release(&e);
	crm_arena_release(&arena);
	crm_buf_release(&drop_text);
	crm_buf_release(&merged);
	crm_buf_release(&msg);
	return rc;
}

int cmd_merge(struct cli_ctx *ctx, int argc, char **argv)
{
	struct decisions d;
	const struct cli_option opts[] = {
		{ "prefer", 0, CLI_OPT_STRING, &d.prefer, "keep|drop",
		  "which record's value a field both hold differently takes (default: ask)" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "KEEP"), CLI_ARG(CLI_ARG_ONE, "DROP"), CLI_OPT_END
	};
	struct crm_record *keep, *drop;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = cli_parse(ctx, usage, opts, argc, argv, &argc);
	if (rc)
		return rc;
	if (d.prefer && strcmp(d.prefer, "keep") && strcmp(d.prefer, "drop")) {
		cli_error(ctx->command, "--prefer takes keep or drop, not '%s'", d.prefer);
		return EXIT_USAGE;
	}
	rc = cli_record_arg(&keep, ctx, argv[0]);
	if (!rc)
		rc = cli_record_arg(&drop, ctx, argv[1]);
	if (rc)
		return rc;
	if (keep->schema != drop->schema || keep == drop) {
		cli_error(ctx->command, "%s/%s and %s/%s are not two records of one type",
			  keep->schema->type, keep->id, drop->schema->type, drop->id);
		return EXIT_USAGE;
	}
	rc = merge_records(ctx, keep, drop, &d);
	CRM_ARRAY_RELEASE(d.from_drop);
	return rc;
}
