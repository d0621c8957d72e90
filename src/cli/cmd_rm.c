/* crm rm REF: deletes a record in one commit; refuses while other records
 * refer to it, and with --force lists the references it leaves dangling. */
#include "cli.h"
#include "crm/index.h"
#include "crm/store.h"

static const char usage[] = "REF [--force]";

int cmd_rm(struct cli_ctx *ctx, int argc, char **argv)
{
	bool force = false;
	const struct cli_option opts[] = {
		{ "force", 'f', CLI_OPT_FLAG, &force, NULL, "delete even while records refer to it" },
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	struct crm_buf msg = CRM_BUF_INIT;
	const struct crm_backref *b;
	struct crm_record *rec;
	struct crm_txn txn;
	bool bad_type = false;
	int err, rc = cli_parse("rm", usage, opts, argc, argv, &argc);

	if (rc)
		return rc == CLI_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	if (argc != 1) {
		cli_usage(stderr, "rm", usage, opts);
		return EXIT_USAGE;
	}
	rec = cli_find_record(ctx, argv[0], &bad_type);
	if (!rec)
		return bad_type ? EXIT_USAGE : EXIT_PROBLEMS;
	if (crm_index_backrefs(ctx->idx, rec)) {
		fprintf(stderr, "%s/%s is referred to by:\n", rec->schema->type, rec->id);
		for (b = crm_index_backrefs(ctx->idx, rec); b; b = b->next)
			fprintf(stderr, "  %s:%d:%d: %s/%s (%s)\n", b->from->path, b->at->line,
				b->at->col, b->from->schema->type, b->from->id, b->field);
		if (!force) {
			cli_error("rm", "not removed; change those references first, or use --force");
			return EXIT_PROBLEMS;
		}
		fprintf(stderr, "removing anyway: 'crm check' will report those references\n");
	}
	crm_buf_addf(&msg, "crm: rm %s/%s", rec->schema->type, rec->id);
	err = crm_txn_begin(&txn, &ctx->repo);
	if (!err)
		err = crm_txn_remove(&txn, rec->path);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
	crm_buf_release(&msg);
	return rc;
}
