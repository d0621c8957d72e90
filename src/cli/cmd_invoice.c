/* crm invoice: invoices with totals computed per EN 16931, gap-free
 * numbering, statuses and payments, each change one commit.  This file
 * dispatches and holds show, status and pay; drafts (new, duplicate,
 * credit) and numbers (issue, renumber) have files of their own. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/date.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "crm/json.h"
#include "crm/money.h"
#include "crm/node.h"
#include "crm/render.h"
#include "crm/store.h"

static const char usage[] =
	"new [--from OPP] [--client C] | show ID [--json] | issue ID [--series NAME] | "
	"status ID draft|sent|paid|rejected | pay ID AMOUNT [--date D] | duplicate ID | "
	"credit ID [--lines N[:QTY],...] | renumber ID [--force] | "
	"render ID [--format pdf|html|txt] [-o FILE] | export ID --ubl [-o FILE]";

static struct crm_record *find_invoice(struct cli_ctx *ctx, const char *id)
{
	struct crm_record *r = crm_index_find(ctx->idx, "invoice", id);
	if (!r) {
		const char *hint = crm_index_suggest(ctx->idx, "invoice", id);
		if (hint)
			cli_error("invoice", "no invoice '%s' (did you mean '%s'?)", id, hint);
		else
			cli_error("invoice", "no invoice '%s'", id);
	}
	return r;
}

static void money_json(struct crm_json *j, const char *key, crm_dec v, const char *cur)
{
	crm_json_key(j, key);
	crm_json_money(j, v, cur);
}

/* The totals under EN 16931's names (SPEC section 5). */
static int show_json(struct crm_record *r, const struct crm_invoice_totals *t, const char *cur)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_json j;
	size_t i;
	int err;

	crm_json_init(&j, &out);
	crm_json_object(&j, CRM_JSON_BLOCK);
	crm_json_key(&j, "id");
	crm_json_string(&j, r->id);
	crm_json_key(&j, "number");
	crm_json_string(&j, crm_node_text(r->root, "number"));
	crm_json_key(&j, "currency");
	crm_json_string(&j, cur);
	money_json(&j, "line_total", t->line_total, cur);
	money_json(&j, "allowance_total", t->allowance_total, cur);
	money_json(&j, "charge_total", t->charge_total, cur);
	money_json(&j, "tax_exclusive_total", t->tax_exclusive_total, cur);
	money_json(&j, "tax_total", t->tax_total, cur);
	money_json(&j, "tax_inclusive_total", t->tax_inclusive_total, cur);
	money_json(&j, "paid_total", t->paid_total, cur);
	money_json(&j, "due_total", t->due_total, cur);
	crm_json_key(&j, "vat_breakdown");
	crm_json_array(&j, CRM_JSON_BLOCK);
	for (i = 0; i < t->nrows; i++) {
		crm_json_object(&j, CRM_JSON_INLINE);
		crm_json_key(&j, "category");
		crm_json_string(&j, t->rows[i].category);
		crm_json_key(&j, "rate");
		crm_json_decimal(&j, t->rows[i].rate, true);
		money_json(&j, "taxable", t->rows[i].taxable, cur);
		money_json(&j, "tax", t->rows[i].tax, cur);
		crm_json_end(&j);
	}
	crm_json_end(&j);
	crm_json_end(&j);
	err = j.err ? j.err : crm_buf_addch(&out, '\n');
	if (!err)
		err = cli_write(&out);
	crm_buf_release(&out);
	return err ? EXIT_USAGE : EXIT_OK;
}

static void row(const char *label, crm_dec v, const char *cur)
{
	char a[64];
	crm_money_format_dec(a, sizeof(a), v, cur);
	printf("%-28s %14s %s\n", label, a, cur);
}

static int show_text(struct cli_ctx *ctx, struct crm_record *r,
		     const struct crm_invoice_totals *t, const char *cur)
{
	const char *number = crm_node_text(r->root, "number");
	const char *status = crm_node_text(r->root, "status");
	struct crm_buf cell = CRM_BUF_INIT;
	char label[64], rate[32];
	size_t i;

	const char *type = crm_node_text(r->root, "type");
	const char *corrects = crm_node_text(r->root, "corrects");
	bool credit = type && !strcmp(type, "credit-note");

	crm_render_cell(&cell, ctx->idx, r, "client_name");
	/* a number makes it issued; `draft` then only says it has not gone out */
	printf("%s %s  (%s)  %s\n", credit ? "credit note" : "invoice",
	       number ? number : "(draft)", r->path,
	       !number ? "draft" : !status || !strcmp(status, "draft") ? "issued, not sent" : status);
	if (credit && corrects)
		printf("corrects invoice/%s\n", corrects);
	printf("client  %s\n\n", cell.len ? cell.ptr : crm_node_text(r->root, "client"));
	row("line total", t->line_total, cur);
	if (!crm_dec_is_zero(t->allowance_total))
		row("allowances", crm_dec_neg(t->allowance_total), cur);
	if (!crm_dec_is_zero(t->charge_total))
		row("charges", t->charge_total, cur);
	row("total without VAT", t->tax_exclusive_total, cur);
	for (i = 0; i < t->nrows; i++) {
		crm_dec_format_trim(rate, sizeof(rate), t->rows[i].rate);
		snprintf(label, sizeof(label), "VAT %s %s%% on", t->rows[i].category, rate);
		row(label, t->rows[i].taxable, cur);
		row("", t->rows[i].tax, cur);
	}
	row("VAT", t->tax_total, cur);
	row("total", t->tax_inclusive_total, cur);
	row("paid", t->paid_total, cur);
	row("due", t->due_total, cur);
	crm_buf_release(&cell);
	return EXIT_OK;
}

static int cmd_show_invoice(struct cli_ctx *ctx, struct crm_record *r, bool json)
{
	struct crm_invoice_totals t;
	char cur[4];
	if (!r->root || crm_invoice_of_record(&t, cur, ctx->idx, r)) {
		cli_error("invoice", "%s: %s", r->path, r->root ? crm_error_last() : "does not parse");
		return EXIT_PROBLEMS;
	}
	return json ? show_json(r, &t, cur) : show_text(ctx, r, &t, cur);
}

static int set_status(struct cli_ctx *ctx, struct crm_record *r, const char *status)
{
	struct crm_buf msg = CRM_BUF_INIT, next = CRM_BUF_INIT;
	struct cli_edit e;
	int err, rc;

	err = crm_store_validate(ctx->idx, r->schema, "status", status);
	if (!err)
		err = cli_edit_open(&e, ctx, r->path);
	else
		memset(&e, 0, sizeof(e));
	if (!err)
		err = crm_edit_set(&next, e.text.ptr, e.text.len, e.root, "status", status);
	if (!err)
		err = cli_edit_replace(&e, &next);
	crm_buf_addf(&msg, "crm: invoice %s status %s", r->id, status);
	rc = cli_edit_commit(ctx, &e, msg.ptr, err);
	crm_buf_release(&msg);
	crm_buf_release(&next);
	return rc;
}

static int pay(struct cli_ctx *ctx, struct crm_record *r, const char *amount, const char *date)
{
	struct crm_buf msg = CRM_BUF_INIT, next = CRM_BUF_INIT, entry = CRM_BUF_INIT;
	struct crm_invoice_totals t;
	struct crm_money m;
	struct cli_edit e;
	char cur[4], today[16], fmt[64];
	int err, rc;

	memset(&e, 0, sizeof(e));
	err = crm_invoice_of_record(&t, cur, ctx->idx, r);
	if (!err)
		err = crm_money_parse(&m, amount, cur);
	if (!err && strcmp(m.currency, cur))
		err = crm_error_set(CRM_EUSAGE, "the invoice is in %s, not %s", cur, m.currency);
	if (!date) {
		crm_date_format(today, sizeof(today), crm_index_today(ctx->idx));
		date = today;
	}
	if (!err) {
		m.amount = crm_dec_normalize(m.amount);
		crm_money_format(fmt, sizeof(fmt), &m);
		crm_buf_addf(&entry, "date: %s, amount: \"%s\"", date, fmt);
		err = cli_edit_open(&e, ctx, r->path);
	}
	if (!err)
		err = crm_edit_append_entry(&next, e.text.ptr, e.text.len, e.root, "payments",
					    entry.ptr);
	if (!err)
		err = cli_edit_replace(&e, &next);
	/* paid follows from payments that cover the total */
	if (!err && crm_dec_cmp(m.amount, t.due_total) >= 0) {
		err = crm_edit_set(&next, e.text.ptr, e.text.len, e.root, "status", "paid");
		if (!err)
			err = cli_edit_replace(&e, &next);
	}
	crm_buf_addf(&msg, "crm: invoice %s payment %s", r->id, err ? amount : fmt);
	rc = cli_edit_commit(ctx, &e, msg.ptr, err);
	crm_buf_release(&msg);
	crm_buf_release(&next);
	crm_buf_release(&entry);
	return rc;
}

int cmd_invoice(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false, force = false;
	const char *series = NULL, *date = NULL, *from = NULL, *client = NULL, *lines = NULL;
	const struct cli_option opts[] = {
		{ "json", 0, CLI_OPT_FLAG, &json, NULL, "show: totals as JSON (EN 16931 names)" },
		{ "series", 0, CLI_OPT_STRING, &series, "NAME", "issue: the numbering series" },
		{ "date", 'd', CLI_OPT_STRING, &date, "DATE", "pay: the payment's date" },
		{ "from", 0, CLI_OPT_STRING, &from, "OPP", "new: pre-fill from this opportunity" },
		{ "client", 0, CLI_OPT_STRING, &client, "CLIENT", "new: the client billed" },
		{ "lines", 0, CLI_OPT_STRING, &lines, "N[:QTY],...",
		  "credit: only these lines (from 1), optionally only QTY of one" },
		{ "force", 0, CLI_OPT_FLAG, &force, NULL, "renumber: even an invoice already sent" },
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	struct crm_record *r;
	crm_date d;
	int rc;

	if (argc > 1 && !strcmp(argv[1], "render"))
		return cmd_invoice_render(ctx, argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "export"))
		return cmd_invoice_export(ctx, argc - 1, argv + 1);
	rc = cli_parse("invoice", usage, opts, argc, argv, &argc);
	if (rc)
		return rc == CLI_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	if (argc == 1 && !strcmp(argv[0], "new"))
		return invoice_new(ctx, from, client);
	if (argc < 2) {
		cli_usage(stderr, "invoice", usage, opts);
		return EXIT_USAGE;
	}
	if (date && crm_date_parse(&d, date, strlen(date))) {
		cli_error("invoice", "%s", crm_error_last());
		return EXIT_USAGE;
	}
	r = find_invoice(ctx, argv[1]);
	if (!r)
		return EXIT_PROBLEMS;
	if (!r->root) {
		cli_error("invoice", "%s does not parse: see 'crm check'", r->path);
		return EXIT_PROBLEMS;
	}
	if (!strcmp(argv[0], "show") && argc == 2)
		return cmd_show_invoice(ctx, r, json);
	if (!strcmp(argv[0], "issue") && argc == 2)
		return invoice_issue(ctx, r, series);
	if (!strcmp(argv[0], "status") && argc == 3)
		return set_status(ctx, r, argv[2]);
	if (!strcmp(argv[0], "pay") && argc == 3)
		return pay(ctx, r, argv[2], date);
	if (!strcmp(argv[0], "duplicate") && argc == 2)
		return invoice_copy(ctx, r, false, NULL);
	if (!strcmp(argv[0], "credit") && argc == 2)
		return invoice_copy(ctx, r, true, lines);
	if (!strcmp(argv[0], "renumber") && argc == 2)
		return invoice_renumber(ctx, r, force);
	cli_usage(stderr, "invoice", usage, opts);
	return EXIT_USAGE;
}
