/* crm edit REF: opens the record in $VISUAL or $EDITOR, checks it on save,
 * and on errors reopens it with the messages as comments at the top (like
 * visudo or git commit); saving it unchanged, or emptying it, aborts.  The
 * copy the editor opens lives in the git folder and goes away whatever
 * happens (cli_edit_in_editor, cli_editor_file). */
#include "cli.h"
#include "crm/beneath.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/store.h"

static const char usage[] = "REF";
int cmd_edit(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = { CLI_ARG(CLI_ARG_ONE, "REF"), CLI_OPT_END };
	struct crm_buf original = CRM_BUF_INIT, result = CRM_BUF_INIT, tmp = CRM_BUF_INIT;
	struct crm_buf msg = CRM_BUF_INIT, what = CRM_BUF_INIT;
	struct crm_record *rec;
	struct crm_txn txn;
	int err, rc = cli_parse_ref(&rec, ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	crm_buf_addf(&what, "%s-%s", rec->schema->type, rec->id);
	/* the copy is a .yaml file for the editor, kept in the git folder
	 * where no command takes it for a record */
	err = cli_editor_file(&tmp, ctx, what.ptr, false);
	if (!err)
		err = crm_buf_read_file_beneath(&original, ctx->repo.root, rec->path,
						CRM_YAML_MAX_BYTES);
	if (!err)
		err = cli_edit_in_editor(ctx, rec, tmp.ptr, &original, &result);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = err == CRM_ENOTFOUND ? EXIT_OK : EXIT_PROBLEMS;
		goto done;
	}
	crm_buf_addf(&msg, "crm: edit %s/%s", rec->schema->type, rec->id);
	err = crm_txn_begin(&txn, &ctx->repo);
	/* the editor ran without the lock: the file must still be what it showed */
	if (!err)
		err = crm_store_unchanged(&ctx->repo, rec->path, &original);
	if (err == CRM_ECONFLICT && !cli_editor_file(&tmp, ctx, what.ptr, true) &&
	    !crm_write_file_atomic(tmp.ptr, result.ptr, result.len))
		fprintf(stderr, "crm edit: your version is in %s\n", tmp.ptr);
	if (!err)
		err = cli_write_record(&txn, rec->path, &result);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
done:
	crm_buf_release(&original);
	crm_buf_release(&result);
	crm_buf_release(&tmp);
	crm_buf_release(&msg);
	crm_buf_release(&what);
	return rc;
}
