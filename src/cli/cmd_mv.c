/* crm mv REF NEW-ID: renames a record and rewrites every reference to it,
 * in one commit. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/edit.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/store.h"

static const char usage[] = "REF NEW-ID";

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
	const struct crm_node *at[512];
	const struct crm_backref *b;
	struct crm_buf text = CRM_BUF_INIT, out = CRM_BUF_INIT, value = CRM_BUF_INIT;
	struct crm_buf full = CRM_BUF_INIT;
	size_t n = 0, i;
	int err;

	for (b = crm_index_backrefs(ctx->idx, target); b && n < 512; b = b->next) {
		if (b->from == from)
			at[n++] = b->at;
	}
	qsort(at, n, sizeof(*at), compare_at_desc);
	crm_buf_addf(&full, "%s/%s", ctx->repo.root, from->path);
	err = crm_buf_read_file(&text, full.ptr, CRM_YAML_MAX_BYTES);
	for (i = 0; i < n && !err; i++) {
		crm_buf_reset(&value);
		if (strchr(at[i]->text, '/'))
			crm_buf_addf(&value, "%s/", target->schema->type);
		crm_buf_adds(&value, new_id);
		crm_buf_reset(&out);
		crm_buf_add(&out, text.ptr, at[i]->start);
		crm_edit_render_scalar(&out, value.ptr, at[i]);
		crm_buf_add(&out, text.ptr + at[i]->end, text.len - at[i]->end);
		crm_buf_reset(&text);
		crm_buf_add(&text, out.ptr, out.len);
	}
	if (!err)
		err = crm_store_write_record(txn, from->path, text.ptr, text.len);
	crm_buf_release(&text);
	crm_buf_release(&out);
	crm_buf_release(&value);
	crm_buf_release(&full);
	return err;
}

static int rename_record(struct cli_ctx *ctx, struct crm_txn *txn, struct crm_record *rec,
			 const char *new_id)
{
	struct crm_buf text = CRM_BUF_INIT, full = CRM_BUF_INIT, path = CRM_BUF_INIT;
	const char *slash = strrchr(rec->path, '/');
	int err;

	crm_buf_add(&path, rec->path, slash ? (size_t)(slash - rec->path) + 1 : 0);
	crm_buf_addf(&path, "%s.yaml", new_id);
	crm_buf_addf(&full, "%s/%s", ctx->repo.root, rec->path);
	err = crm_buf_read_file(&text, full.ptr, CRM_YAML_MAX_BYTES);
	if (!err)
		err = crm_txn_write(txn, path.ptr, text.ptr, text.len);
	if (!err)
		err = crm_txn_remove(txn, rec->path);
	crm_buf_release(&text);
	crm_buf_release(&full);
	crm_buf_release(&path);
	return err;
}

int cmd_mv(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = { { NULL, 0, 0, NULL, NULL, NULL } };
	struct crm_buf msg = CRM_BUF_INIT;
	const struct crm_backref *b, *c;
	struct crm_record *rec;
	struct crm_txn txn;
	bool bad_type = false;
	int err, rc = cli_parse("mv", usage, opts, argc, argv, &argc);

	if (rc)
		return rc == CLI_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	if (argc != 2) {
		cli_usage(stderr, "mv", usage, opts);
		return EXIT_USAGE;
	}
	rec = cli_find_record(ctx, argv[0], &bad_type);
	if (!rec)
		return bad_type ? EXIT_USAGE : EXIT_PROBLEMS;
	if (!crm_id_valid(argv[1], strlen(argv[1])) || crm_index_find(ctx->idx, rec->schema->type,
								      argv[1])) {
		cli_error("mv", "'%s' is not a free, valid %s id", argv[1], rec->schema->type);
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
