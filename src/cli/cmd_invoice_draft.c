/* crm invoice new|duplicate|credit: new drafts, each written to a file of
 * its own and committed; `crm invoice issue` numbers them later. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "crm/node.h"
#include "crm/store.h"

/* Writes `text` as a new invoice draft named after `name` and commits it. */
static int write_draft(struct cli_ctx *ctx, const char *name, const struct crm_buf *text,
		       const char *what)
{
	const struct crm_schema *s = crm_repo_schema(&ctx->repo, "invoice");
	struct crm_buf id = CRM_BUF_INIT, path = CRM_BUF_INIT, msg = CRM_BUF_INIT;
	struct crm_record draft;
	struct crm_txn txn;
	int err;

	err = crm_store_new_id(&id, ctx->idx, "invoice", name);
	if (!err)
		err = crm_store_new_path(&path, s, id.ptr, crm_index_today(ctx->idx));
	crm_buf_addf(&msg, "crm: new invoice/%s (%s)", id.ptr, what);
	/* the rule of every write, for a record the index does not have yet */
	memset(&draft, 0, sizeof(draft));
	draft.schema = s;
	draft.id = id.ptr;
	draft.path = path.ptr;
	if (!err)
		err = cli_check_write(ctx, &draft, text);
	if (!err)
		err = crm_txn_begin(&txn, &ctx->repo);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		err = EXIT_PROBLEMS;
	} else {
		err = cli_write_record(&txn, path.ptr, text);
		err = cli_txn_finish(ctx, &txn, msg.ptr, err);
		if (!err)
			printf("%s\n", path.ptr);
	}
	crm_buf_release(&id);
	crm_buf_release(&path);
	crm_buf_release(&msg);
	return err;
}

int invoice_new(struct cli_ctx *ctx, const char *from, const char *client_ref)
{
	struct crm_record *opp = NULL, *client = NULL;
	struct crm_buf text = CRM_BUF_INIT, name = CRM_BUF_INIT, what = CRM_BUF_INIT;
	const char *client_id;
	int rc = EXIT_PROBLEMS;

	if (from) {
		rc = cli_record_arg(&opp, ctx, from);
		if (rc)
			return rc;
		rc = EXIT_PROBLEMS;
	}
	if (opp && strcmp(opp->schema->type, "opportunity")) {
		cli_error(ctx->command, "--from takes an opportunity, not %s/%s", opp->schema->type,
			  opp->id);
		return EXIT_USAGE;
	}
	client_id = client_ref ? client_ref : opp && opp->root ? crm_node_text(opp->root, "client")
		: NULL;
	if (!client_id) {
		cli_error(ctx->command, "whose invoice? give --client CLIENT or --from OPPORTUNITY%s",
			  opp ? " (this opportunity names no client)" : "");
		return EXIT_USAGE;
	}
	client = crm_index_resolve(ctx->idx, client_id, "client");
	if (!client || strcmp(client->schema->type, "client") || !client->root) {
		const char *hint = crm_index_suggest(ctx->idx, "client", client_id);
		cli_error(ctx->command, "no client '%s'%s%s%s", client_id, hint ? " (did you mean '" : "",
			  hint ? hint : "", hint ? "'?)" : "");
		return EXIT_PROBLEMS;
	}
	if (crm_invoice_draft_new(&text, ctx->idx, client, opp)) {
		cli_error(ctx->command, "%s", crm_error_last());
		goto done;
	}
	crm_buf_addf(&name, "draft %s", opp ? opp->id : client->id);
	if (opp)
		crm_buf_addf(&what, "draft from opportunity/%s", opp->id);
	else
		crm_buf_addf(&what, "draft for client/%s", client->id);
	rc = write_draft(ctx, name.ptr, &text, what.ptr);
done:
	crm_buf_release(&text);
	crm_buf_release(&name);
	crm_buf_release(&what);
	return rc;
}

int invoice_copy(struct cli_ctx *ctx, struct crm_record *inv, bool credit, const char *lines)
{
	struct crm_invoice_pick *picks = NULL;
	struct crm_buf text = CRM_BUF_INIT, name = CRM_BUF_INIT, what = CRM_BUF_INIT;
	const char *number = crm_node_text(inv->root, "number");
	const char *type = crm_node_text(inv->root, "type");
	struct cli_edit e;
	size_t npicks = 0;
	int err, rc = EXIT_PROBLEMS;

	if (credit && !number) {
		cli_error(ctx->command, "invoice/%s is a draft: change it instead of crediting it",
			  inv->id);
		return EXIT_PROBLEMS;
	}
	if (credit && type && !strcmp(type, "credit-note")) {
		cli_error(ctx->command, "invoice/%s is itself a credit note", inv->id);
		return EXIT_PROBLEMS;
	}
	if (lines && crm_invoice_parse_picks(&picks, &npicks, lines)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	if (cli_edit_open(&e, ctx, inv->path)) {
		cli_error(ctx->command, "%s", crm_error_last());
		free(picks);
		return EXIT_PROBLEMS;
	}
	if (credit)
		err = crm_invoice_credit_draft(&text, ctx->idx, inv, e.text.ptr, e.text.len, e.root,
					       picks, npicks);
	else
		err = crm_invoice_draft_copy(&text, inv, e.text.ptr, e.text.len, e.root, false,
					     NULL, 0, NULL);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
		goto done;
	}
	crm_buf_addf(&name, "draft %s", inv->id);
	crm_buf_addf(&what, "%s invoice/%s%s%s", credit ? "credit note for" : "copy of", inv->id,
		     number ? " " : "", number ? number : "");
	rc = write_draft(ctx, name.ptr, &text, what.ptr);
done:
	cli_edit_release(&e);
	free(picks);
	crm_buf_release(&text);
	crm_buf_release(&name);
	crm_buf_release(&what);
	return rc;
}
