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

static const char usage[] = "SUBCOMMAND [OPTIONS] [ARGS]";

struct crm_record *invoice_find(struct cli_ctx *ctx, const char *id)
{
	struct crm_record *r = crm_index_find(ctx->idx, "invoice", id);
	if (!r) {
		const char *hint = crm_index_suggest(ctx->idx, "invoice", id);
		if (hint)
			cli_error(ctx->command, "no invoice '%s' (did you mean '%s'?)", id, hint);
		else
			cli_error(ctx->command, "no invoice '%s'", id);
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
	return err ? EXIT_PROBLEMS : EXIT_OK;
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
		cli_error(ctx->command, "%s: %s", r->path, r->root ? crm_error_last() : "does not parse");
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
	e.rec = r;   /* held to the rule of every write (cli_edit_commit) */
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

/* SPEC 5: payments never exceed the open amount unless the user says so.
 * Refuses with every amount named (CRM_ERROR: exit 1, the command ran and
 * found a problem); with `overpay` the payment stands and stderr says by
 * how much it goes beyond the total. */
static int bound_payment(const struct crm_invoice_totals *t, crm_dec amount, const char *cur,
			 bool overpay)
{
	char total[64], paid[64], open[64], pay_text[64], over[64];
	crm_dec excess;

	if (crm_dec_cmp(amount, t->due_total) <= 0)
		return 0;
	if (crm_dec_sub(&excess, amount, t->due_total))
		return CRM_EOVERFLOW;
	crm_money_format_dec(total, sizeof(total), t->tax_inclusive_total, cur);
	crm_money_format_dec(paid, sizeof(paid), t->paid_total, cur);
	crm_money_format_dec(open, sizeof(open), t->due_total, cur);
	crm_money_format_dec(pay_text, sizeof(pay_text), amount, cur);
	crm_money_format_dec(over, sizeof(over), excess, cur);
	if (!overpay)
		return crm_error_set(CRM_ERROR, "a payment of %s %s would overpay the invoice: "
				     "total %s %s, paid %s %s, open %s %s; use --overpay to "
				     "record it anyway", pay_text, cur, total, cur, paid, cur,
				     open, cur);
	fprintf(stderr, "recording an overpayment: %s %s beyond the open %s %s (total %s %s); "
		"'crm check' reports the credit balance\n", over, cur, open, cur, total, cur);
	return 0;
}

static int pay(struct cli_ctx *ctx, struct crm_record *r, const char *amount, const char *date,
	       bool overpay)
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
	/* a payment is money received: more than nothing, in whole minor units */
	if (!err && crm_dec_cmp(m.amount, crm_dec_from_int(0)) <= 0)
		err = crm_error_set(CRM_EUSAGE, "a payment must be positive, not '%s'", amount);
	if (!err && crm_money_check_minor_unit(&m))
		err = crm_error_set(CRM_EUSAGE, "%s", crm_error_last());
	if (!err)
		err = bound_payment(&t, m.amount, cur, overpay);
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
	e.rec = r;   /* held to the rule of every write (cli_edit_commit) */
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

/* ---- the subcommands: each parses its own options, so an option of
 * another subcommand is a usage error ---- */

/* Parses a subcommand whose first argument is an invoice id and finds it. */
static int parse_invoice(struct crm_record **out, struct cli_ctx *ctx, const char *sub_usage,
			 const struct cli_option *opts, int argc, char **argv, int *argc_out)
{
	int rc = cli_parse(ctx, sub_usage, opts, argc, argv, argc_out);

	*out = NULL;
	if (rc)
		return rc;
	*out = invoice_find(ctx, argv[0]);
	if (!*out)
		return EXIT_PROBLEMS;
	if (!(*out)->root) {
		cli_error(ctx->command, "%s does not parse: see 'crm check'", (*out)->path);
		return EXIT_PROBLEMS;
	}
	return 0;
}

static int sub_new(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *from = NULL, *client = NULL;
	const struct cli_option opts[] = {
		{ "from", 0, CLI_OPT_STRING, &from, "OPP", "pre-fill from this opportunity" },
		{ "client", 0, CLI_OPT_STRING, &client, "CLIENT", "the client billed" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_NONE, ""),
		CLI_OPT_END
	};
	int rc = cli_parse(ctx, "new [--from OPP] [--client C] [--force]", opts, argc, argv, &argc);
	return rc ? rc : invoice_new(ctx, from, client);
}

static int sub_show(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const struct cli_option opts[] = {
		{ "json", 0, CLI_OPT_FLAG, &json, NULL, "totals as JSON (EN 16931 names)" },
		CLI_ARG(CLI_ARG_ONE, "ID"),
		CLI_OPT_END
	};
	struct crm_record *r;
	int rc = parse_invoice(&r, ctx, "show ID [--json]", opts, argc, argv, &argc);
	return rc ? rc : cmd_show_invoice(ctx, r, json);
}

static int sub_issue(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *series = NULL, *due = NULL;
	const struct cli_option opts[] = {
		{ "series", 0, CLI_OPT_STRING, &series, "NAME", "the numbering series" },
		{ "due", 0, CLI_OPT_STRING, &due, "DATE",
		  "the due date (default: the date + the series' due_days)" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "ID"),
		CLI_OPT_END
	};
	struct crm_record *r;
	char day[16];
	int rc = parse_invoice(&r, ctx, "issue ID [--series NAME] [--due DATE] [--force]", opts, argc,
			       argv, &argc);

	if (!rc && due && cli_typed_date(day, sizeof(day), ctx, "due", due)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	if (due)
		due = day;
	return rc ? rc : invoice_issue(ctx, r, series, due);
}

static int sub_status(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = {
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "ID"), CLI_ARG(CLI_ARG_ONE, "STATUS"), CLI_OPT_END
	};
	struct crm_record *r;
	int rc = parse_invoice(&r, ctx, "status ID draft|sent|paid|rejected [--force]", opts, argc, argv,
			       &argc);
	return rc ? rc : set_status(ctx, r, argv[1]);
}

static int sub_pay(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *date = NULL;
	bool overpay = false;
	const struct cli_option opts[] = {
		{ "date", 'd', CLI_OPT_STRING, &date, "DATE", "the payment's date (default: today)" },
		{ "overpay", 0, CLI_OPT_FLAG, &overpay, NULL,
		  "record a payment beyond the open amount" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "ID"), CLI_ARG(CLI_ARG_ONE, "AMOUNT"),
		CLI_OPT_END
	};
	struct crm_record *r;
	char day[16];
	int rc = parse_invoice(&r, ctx, "pay ID AMOUNT [--date D] [--overpay] [--force]", opts,
			       argc, argv, &argc);

	if (rc)
		return rc;
	if (date && cli_typed_date(day, sizeof(day), ctx, "date", date)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	if (date)
		date = day;
	return pay(ctx, r, argv[1], date, overpay);
}

static int sub_duplicate(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = {
		CLI_FORCE_OPTION(ctx), CLI_ARG(CLI_ARG_ONE, "ID"), CLI_OPT_END
	};
	struct crm_record *r;
	int rc = parse_invoice(&r, ctx, "duplicate ID [--force]", opts, argc, argv, &argc);
	return rc ? rc : invoice_copy(ctx, r, false, NULL);
}

static int sub_credit(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *lines = NULL;
	const struct cli_option opts[] = {
		{ "lines", 0, CLI_OPT_STRING, &lines, "N[:QTY],...",
		  "only these lines (from 1), optionally only QTY of one" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "ID"),
		CLI_OPT_END
	};
	struct crm_record *r;
	int rc = parse_invoice(&r, ctx, "credit ID [--lines N[:QTY],...] [--force]", opts, argc, argv,
			       &argc);
	return rc ? rc : invoice_copy(ctx, r, true, lines);
}

static int sub_renumber(struct cli_ctx *ctx, int argc, char **argv)
{
	bool force = false;
	const struct cli_option opts[] = {
		{ "force", 0, CLI_OPT_FLAG, &force, NULL, "even an invoice already sent, and even "
		  "with new errors crm check would report" },
		CLI_ARG(CLI_ARG_ONE, "ID"),
		CLI_OPT_END
	};
	struct crm_record *r;
	int rc = parse_invoice(&r, ctx, "renumber ID [--force]", opts, argc, argv, &argc);

	ctx->force = force;   /* one --force, for both refusals (cli_check_write) */
	return rc ? rc : invoice_renumber(ctx, r, force);
}

static const struct cli_command subcommands[] = {
	{ "new", sub_new, 0, "a draft for a client, or from an opportunity" },
	{ "show", sub_show, 0, "totals, VAT breakdown, paid and due" },
	{ "issue", sub_issue, 0, "the next number of a series, gap-free" },
	{ "status", sub_status, 0, "draft, sent, paid or rejected" },
	{ "pay", sub_pay, 0, "record a payment" },
	{ "duplicate", sub_duplicate, 0, "a new draft with the same lines" },
	{ "credit", sub_credit, 0, "a credit note for an issued invoice" },
	{ "renumber", sub_renumber, 0, "the next free number, after two issued the same" },
	{ "render", cmd_invoice_render, 0, "as text, HTML or PDF to send" },
	{ "export", cmd_invoice_export, 0, "as UBL 2.1 XML for e-invoicing" },
	{ "send", cmd_invoice_send, 0, "by e-mail, with the PDF (and UBL) attached" },
};
#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(*subcommands))

int cmd_invoice(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_run_subcommand(ctx, usage, subcommands, NSUBCOMMANDS, argc, argv);
}
