/* crm invoice send ID [--to ADDR] [--ubl] [--dry-run] [-o FILE.eml]: the
 * issued invoice as an e-mail with its PDF (and UBL) attached, handed to
 * the transport of crm.ini [mail]; once it went out, one commit sets the
 * status to sent and records an e-mail activity about the invoice. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "crm/date.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice_render.h"
#include "crm/node.h"
#include "crm/store.h"

static const char send_usage[] = "send ID [--to ADDR] [--ubl] [--dry-run] [-o FILE]";

/* A status that says less than "sent" becomes sent; paid, rejected and
 * the like stay. */
static bool moves_to_sent(const char *status)
{
	return !status || !strcmp(status, "draft") || !strcmp(status, "issued");
}

/* The activity that records the e-mail, as a record text. */
static void activity_text(struct crm_buf *out, struct cli_ctx *ctx, const struct crm_record *r,
			  const char *number, const struct crm_invoice_mail_addr *addr)
{
	struct crm_buf summary = CRM_BUF_INIT;
	char today[16];

	crm_date_format(today, sizeof(today), crm_index_today(ctx->idx));
	crm_buf_addf(&summary, "Sent invoice %s to %s%s", number, addr->to,
		     addr->with_ubl ? " (PDF and UBL)" : " (PDF)");
	crm_buf_addf(out, "date: %s\nkind: email\nabout: invoice/%s\n", today, r->id);
	crm_buf_adds(out, "summary: ");
	crm_edit_render_scalar(out, summary.ptr, NULL);
	crm_buf_adds(out, "\n");
	crm_buf_release(&summary);
}

/* One commit: the invoice's status (when it moves) and a new activity. */
static int record_sent(struct cli_ctx *ctx, struct crm_record *r, const char *number,
		       const struct crm_invoice_mail_addr *addr, struct cli_edit *e)
{
	const struct crm_schema *s = crm_repo_schema(&ctx->repo, "activity");
	struct crm_buf act = CRM_BUF_INIT, id = CRM_BUF_INIT, path = CRM_BUF_INIT;
	struct crm_buf msg = CRM_BUF_INIT, name = CRM_BUF_INIT;
	struct crm_txn txn;
	int err = s ? 0 : crm_error_set(CRM_ENOTFOUND, "this repository has no activity type");

	activity_text(&act, ctx, r, number, addr);
	crm_buf_addf(&name, "email %s", number);
	if (!err)
		err = crm_store_new_id(&id, ctx->idx, "activity", name.ptr);
	if (!err)
		err = crm_store_new_path(&path, s, id.ptr, crm_index_today(ctx->idx));
	crm_buf_addf(&msg, "crm: invoice %s sent to %s", r->id, addr->to);
	if (!err)
		err = crm_txn_begin(&txn, &ctx->repo);
	if (err) {
		cli_error(ctx->command, "the invoice was sent, but recording it failed: %s",
			  crm_error_last());
		err = EXIT_PROBLEMS;
	} else {
		err = e->text.len ? cli_write_record(&txn, r->path, &e->text) : 0;
		if (!err)
			err = cli_write_record(&txn, path.ptr, &act);
		err = cli_txn_finish(ctx, &txn, msg.ptr, err);
	}
	crm_buf_release(&act);
	crm_buf_release(&id);
	crm_buf_release(&path);
	crm_buf_release(&msg);
	crm_buf_release(&name);
	return err;
}

/* The status change, made (and checked) before anything goes out. */
static int prepare_status(struct cli_edit *e, struct cli_ctx *ctx, struct crm_record *r)
{
	int err;

	memset(e, 0, sizeof(*e));
	if (!moves_to_sent(crm_node_text(r->root, "status")))
		return 0;
	err = cli_edit_open(e, ctx, r->path);
	if (!err)
		err = cli_edit_set(e, "status", "sent");
	if (!err)
		err = cli_check_write(ctx, r, &e->text);
	return err;
}

static int send_invoice(struct cli_ctx *ctx, struct crm_record *r, const char *to, bool ubl,
			bool dry_run, const char *output)
{
	struct crm_invoice_doc doc;
	struct crm_invoice_mail_addr addr;
	struct crm_buf msg = CRM_BUF_INIT;
	struct cli_edit e;
	int err, rc = EXIT_PROBLEMS;

	memset(&e, 0, sizeof(e));
	if (crm_invoice_doc_load(&doc, ctx->idx, r, NULL)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_PROBLEMS;
	}
	err = crm_invoice_mail_build(&msg, &addr, ctx->idx, &doc, to, ubl, time(NULL));
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		goto done;
	}
	if (dry_run || output) {
		err = output && strcmp(output, "-") ? cli_write_file(output, &msg) : cli_write(&msg);
		if (err)
			cli_error(ctx->command, "%s", crm_error_last());
		else if (output && strcmp(output, "-"))
			fprintf(stderr, "wrote %s\n", output);
		rc = err ? EXIT_PROBLEMS : EXIT_OK;
		goto done;
	}
	if (prepare_status(&e, ctx, r)) {
		cli_error(ctx->command, "%s", crm_error_last());
		goto done;
	}
	if (crm_invoice_mail_send(&crm_index_repo(ctx->idx)->config, &addr, &msg)) {
		cli_error(ctx->command, "%s; nothing was recorded", crm_error_last());
		goto done;
	}
	fprintf(stderr, "sent invoice %s to %s\n", doc.number, addr.to);
	rc = record_sent(ctx, r, doc.number, &addr, &e);
done:
	cli_edit_release(&e);
	crm_buf_release(&msg);
	crm_invoice_doc_release(&doc);
	return rc;
}

int cmd_invoice_send(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *to = NULL, *output = NULL;
	bool ubl = false, dry_run = false;
	const struct cli_option opts[] = {
		{ "to", 0, CLI_OPT_STRING, &to, "ADDR",
		  "the recipient (default: the client's email, else a contact's)" },
		{ "ubl", 0, CLI_OPT_FLAG, &ubl, NULL,
		  "attach the UBL XML (always when the client has a Peppol address)" },
		{ "dry-run", 'n', CLI_OPT_FLAG, &dry_run, NULL,
		  "print the message instead of sending it; record nothing" },
		{ "output", 'o', CLI_OPT_STRING, &output, "FILE",
		  "write the message to FILE (.eml) instead of sending it" },
		CLI_ARG(CLI_ARG_ONE, "ID"),
		CLI_OPT_END
	};
	struct crm_record *r;
	int rc = cli_parse(ctx, send_usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	r = invoice_find(ctx, argv[0]);
	if (!r)
		return EXIT_PROBLEMS;
	if (!r->root) {
		cli_error(ctx->command, "%s does not parse: see 'crm check'", r->path);
		return EXIT_PROBLEMS;
	}
	return send_invoice(ctx, r, to, ubl, dry_run, output);
}
