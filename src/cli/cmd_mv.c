/* crm mv REF NEW-ID: renames a record and rewrites every reference to it,
 * in one commit. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/beneath.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/store.h"

static const char usage[] = "REF NEW-ID [--force]";

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
		err = cli_check_renaming(ctx, &moved, &text, rec, new_id);
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
	if (!err)
		err = cli_rewrite_refs(ctx, &txn, rec, argv[1], NULL, NULL);
	if (!err)
		err = rename_record(ctx, &txn, rec, argv[1]);
	crm_buf_addf(&msg, "crm: mv %s/%s %s", rec->schema->type, rec->id, argv[1]);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
	crm_buf_release(&msg);
	return rc;
}
