/* crm rm REF: deletes a record in one commit; refuses while other records
 * refer to it, and an issued invoice; with --force lists the references it
 * leaves dangling. */
#include <string.h>

#include "cli.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/store.h"

static const char usage[] = "REF [--force]";

/* An issued invoice is a legal document: the correction is a credit note. */
static int refuse_issued_invoice(struct cli_ctx *ctx, const struct crm_record *rec, bool force)
{
	const char *number = rec->root && !strcmp(rec->schema->type, "invoice")
		? crm_node_text(rec->root, "number") : NULL;

	if (!number || !*number)
		return 0;
	if (force) {
		fprintf(stderr, "removing issued invoice %s anyway: 'crm check' will report the "
			"gap it leaves in its series\n", number);
		return 0;
	}
	cli_error(ctx->command, "invoice/%s is issued as %s: an issued invoice is a legal "
		  "document and stays; correct it with a credit note ('crm invoice credit %s'), "
		  "or use --force", rec->id, number, rec->id);
	return EXIT_PROBLEMS;
}

int cmd_rm(struct cli_ctx *ctx, int argc, char **argv)
{
	bool force = false;
	const struct cli_option opts[] = {
		{ "force", 'f', CLI_OPT_FLAG, &force, NULL,
		  "delete even while records refer to it, or an issued invoice" },
		CLI_ARG(CLI_ARG_ONE, "REF"),
		CLI_OPT_END
	};
	struct crm_buf msg = CRM_BUF_INIT;
	const struct crm_backref *b;
	struct crm_record *rec;
	struct crm_txn txn;
	int err, rc = cli_parse_ref(&rec, ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	rc = refuse_issued_invoice(ctx, rec, force);
	if (rc)
		return rc;
	if (crm_index_backrefs(ctx->idx, rec)) {
		fprintf(stderr, "%s/%s is referred to by:\n", rec->schema->type, rec->id);
		for (b = crm_index_backrefs(ctx->idx, rec); b; b = b->next)
			fprintf(stderr, "  %s:%d:%d: %s/%s (%s)\n", b->from->path, b->at->line,
				b->at->col, b->from->schema->type, b->from->id, b->field);
		if (!force) {
			cli_error(ctx->command, "not removed; change those references first, or use --force");
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
