/* crm invoice issue|renumber: an invoice's number, gap-free in its series.
 * Issuing applies the EU VAT requirements of crm/invoice.h
 * (crm_invoice_vat_requirements); renumbering settles a number that two
 * people issued offline. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/date.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "crm/node.h"
#include "crm/store.h"

/* The id a number gives its file: "INV/2025_7" -> "inv-2025-7". */
static void id_of_number(struct crm_buf *out, const char *number)
{
	const char *p;
	for (p = number; *p; p++)
		crm_buf_addch(out, *p >= 'A' && *p <= 'Z' ? *p + 32
			      : (*p == '/' || *p == '_' || *p == ' ') ? '-' : *p);
}

/* What issuing changes beside the number (renumbering changes none of
 * it): `status` from draft to issued, `due` when absent, the draft's
 * comment. */
struct issuing {
	const char *due;              /* --due, or NULL: date + the series' due_days */
	int due_days;
};

/* Removes the comment line a new draft starts with ("# A draft..."). */
static int drop_draft_comment(struct cli_edit *e)
{
	struct crm_buf next = CRM_BUF_INIT;
	const char *p = e->text.ptr, *end = p + e->text.len, *nl;
	int err = 0;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end - 1;
		if (!strncmp(p, "# A draft", 9))
			continue;
		err |= crm_buf_add(&next, p, (size_t)(nl + 1 - p));
	}
	if (!err && next.len != e->text.len)
		err = cli_edit_replace(e, &next);
	crm_buf_release(&next);
	return err;
}

static int apply_issuing(struct cli_edit *e, const struct issuing *is)
{
	const char *status = crm_node_text(e->root, "status");
	const char *date = crm_node_text(e->root, "date");
	char due[16], issued_on[16];
	crm_date d;
	int err = 0;

	/* every edit parses the text again into a new tree: what is read
	 * from the old one is copied first */
	snprintf(issued_on, sizeof(issued_on), "%s", date ? date : "");
	if (!status || !strcmp(status, "draft"))
		err = cli_edit_set(e, "status", "issued");
	if (!err && !crm_node_text(e->root, "due")) {
		if (is->due) {
			err = crm_date_parse(&d, is->due, strlen(is->due));
		} else {
			err = crm_date_parse(&d, issued_on, strlen(issued_on));
			d += is->due_days;
		}
		if (!err) {
			crm_date_format(due, sizeof(due), d);
			err = cli_edit_set(e, "due", due);
		}
	}
	if (!err)
		err = drop_draft_comment(e);
	return err;
}

/* Gives `r` the number `number`: the field set, the date set when absent,
 * what issuing changes (when `is`), the file renamed after the number, one
 * commit. */
static int write_numbered(struct cli_ctx *ctx, struct crm_record *r, const char *number,
			  const char *message, const struct issuing *is)
{
	struct crm_buf id = CRM_BUF_INIT, path = CRM_BUF_INIT, next = CRM_BUF_INIT;
	struct crm_record numbered;
	struct cli_edit e;
	struct crm_txn txn;
	char today[16];
	int err;

	id_of_number(&id, number);
	crm_date_format(today, sizeof(today), crm_index_today(ctx->idx));
	err = cli_edit_open(&e, ctx, r->path);
	if (!err)
		err = crm_edit_set(&next, e.text.ptr, e.text.len, e.root, "number", number);
	if (!err)
		err = cli_edit_replace(&e, &next);
	if (!err && !crm_node_text(e.root, "date"))
		err = crm_edit_set(&next, e.text.ptr, e.text.len, e.root, "date", today);
	if (!err && next.len)
		err = cli_edit_replace(&e, &next);
	if (!err && is)
		err = apply_issuing(&e, is);
	if (!err)
		err = crm_store_new_path(&path, r->schema, id.ptr, crm_index_today(ctx->idx));
	if (!err && crm_index_find(ctx->idx, "invoice", id.ptr) &&
	    crm_index_find(ctx->idx, "invoice", id.ptr) != r)
		err = crm_error_set(CRM_ECONFLICT, "a file invoice/%s already exists", id.ptr);
	/* the rule of every write, for the record at its new path */
	numbered = *r;
	numbered.path = path.ptr;
	if (!err)
		err = cli_check_write(ctx, &numbered, &e.text);
	if (!err)
		err = crm_txn_begin(&txn, &ctx->repo);
	if (!err) {
		err = cli_write_record(&txn, path.ptr, &e.text);
		if (!err && strcmp(path.ptr, r->path))
			err = crm_txn_remove(&txn, r->path);
		err = cli_txn_finish(ctx, &txn, message, err);
	} else {
		cli_error(ctx->command, "%s", crm_error_last());
		err = EXIT_PROBLEMS;
	}
	cli_edit_release(&e);
	crm_buf_release(&id);
	crm_buf_release(&path);
	crm_buf_release(&next);
	return err;
}

int invoice_issue(struct cli_ctx *ctx, struct crm_record *r, const char *series_name,
		  const char *due)
{
	const struct crm_series *series = crm_config_series(&ctx->repo.config, series_name);
	struct crm_buf number = CRM_BUF_INIT, msg = CRM_BUF_INIT, missing = CRM_BUF_INIT;
	struct issuing issuing;
	struct crm_invoice_totals t;
	char cur[4];
	bool computed;
	int rc = EXIT_PROBLEMS;

	if (!series) {
		cli_error(ctx->command, "no numbering series '%s' in crm.ini ([invoice%s%s%s])",
			  series_name ? series_name : "", series_name ? " \"" : "",
			  series_name ? series_name : "", series_name ? "\"" : "");
		return EXIT_USAGE;
	}
	if (crm_node_text(r->root, "number")) {
		cli_error(ctx->command, "%s is already issued as %s; correct it with a credit note "
			  "('crm invoice credit %s')", r->id, crm_node_text(r->root, "number"), r->id);
		return EXIT_PROBLEMS;
	}
	computed = crm_invoice_of_record(&t, cur, ctx->idx, r) == 0;
	/* lines whose totals cannot be computed are one item among the others:
	 * the message names everything that is missing at once */
	if (!computed && crm_node_get(r->root, "lines"))
		crm_buf_addf(&missing, "lines whose totals can be computed (%s)", crm_error_last());
	if (crm_invoice_vat_requirements(&missing, ctx->idx, r, computed ? &t : NULL) ||
	    missing.len) {
		cli_error(ctx->command, "cannot issue %s: an EU VAT invoice must carry %s", r->id,
			  missing.ptr);
		goto done;
	}
	crm_invoice_format_number(&number, series, crm_invoice_highest(ctx->idx, series) + 1);
	crm_buf_addf(&msg, "crm: issue invoice/%s as %s", r->id, number.ptr);
	issuing.due = due;
	issuing.due_days = series->due_days;
	rc = write_numbered(ctx, r, number.ptr, msg.ptr, &issuing);
done:
	crm_buf_release(&number);
	crm_buf_release(&msg);
	crm_buf_release(&missing);
	return rc;
}

/* ---- renumber ---- */

struct upstream_scan {
	struct cli_ctx *ctx;
	struct crm_git *git;
	const char *rev;
	const struct crm_series *series;
	const char *number;           /* the number being renumbered */
	const char *own_git_path;     /* our file, which the upstream may share */
	const char *own_text;         /* its content, to tell it from theirs */
	size_t own_len;
	long highest;
	bool clash;
};

static int scan_upstream_file(const char *path, void *payload)
{
	struct upstream_scan *u = payload;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags scratch;
	struct crm_node *root = NULL;
	const struct crm_series *s;
	const char *num;
	char *data = NULL;
	size_t len = 0;
	long seq;

	crm_diags_init(&scratch);
	if (!crm_git_read_file_at(u->git, u->rev, path, &data, &len) &&
	    !crm_yaml_parse(&root, &arena, data, len, path, &scratch) &&
	    (num = crm_node_text(root, "number")) &&
	    !crm_invoice_number_parse(&u->ctx->repo.config, num, &s, &seq) && s == u->series) {
		if (seq > u->highest)
			u->highest = seq;
		/* the same number in another file, or in our path with other content */
		if (!strcmp(num, u->number) && (strcmp(path, u->own_git_path) || len != u->own_len ||
						memcmp(data, u->own_text, len)))
			u->clash = true;
	}
	free(data);
	crm_diags_release(&scratch);
	crm_arena_release(&arena);
	return 0;
}

/* How many loaded invoices carry `number`. */
static size_t local_uses(struct cli_ctx *ctx, const char *number)
{
	size_t n, i, uses = 0;
	struct crm_record **recs = crm_index_records(ctx->idx, "invoice", &n);
	for (i = 0; i < n; i++) {
		const char *num = recs[i]->root ? crm_node_text(recs[i]->root, "number") : NULL;
		uses += num && !strcmp(num, number);
	}
	return uses;
}

/* Reads the upstream branch's invoices (as last fetched): its highest
 * number in the series and whether it holds `number` in another invoice. */
static int scan_upstream(struct upstream_scan *u, struct crm_record *r)
{
	struct crm_buf folder = CRM_BUF_INIT, own = CRM_BUF_INIT;
	struct cli_edit e;
	char *prefix;
	int err;

	err = crm_git_open(&u->git, u->ctx->repo.root);
	if (err)
		return err;
	prefix = crm_git_prefix(u->git, u->ctx->repo.root);
	crm_buf_addf(&folder, "%s%s/", prefix ? prefix : "", r->schema->folder);
	crm_buf_addf(&own, "%s%s", prefix ? prefix : "", r->path);
	err = cli_edit_open(&e, u->ctx, r->path);
	if (!err) {
		u->own_git_path = own.ptr;
		u->own_text = e.text.ptr;
		u->own_len = e.text.len;
		u->rev = "@{upstream}";
		err = crm_git_list_files_at(u->git, u->rev, folder.ptr, scan_upstream_file, u);
		if (err == CRM_ENOTFOUND)
			err = 0;   /* no upstream branch: only this clone's numbers count */
		cli_edit_release(&e);
	}
	free(prefix);
	crm_buf_release(&folder);
	crm_buf_release(&own);
	crm_git_free(u->git);
	u->git = NULL;
	return err;
}

int invoice_renumber(struct cli_ctx *ctx, struct crm_record *r, bool force)
{
	const char *number = crm_node_text(r->root, "number");
	const char *status = crm_node_text(r->root, "status");
	struct upstream_scan u;
	struct crm_buf next = CRM_BUF_INIT, msg = CRM_BUF_INIT;
	long seq, local;
	int rc = EXIT_PROBLEMS;

	memset(&u, 0, sizeof(u));
	if (!number) {
		cli_error(ctx->command, "invoice/%s has no number yet: 'crm invoice issue' gives it one",
			  r->id);
		return EXIT_PROBLEMS;
	}
	if (crm_invoice_number_parse(&ctx->repo.config, number, &u.series, &seq)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_PROBLEMS;
	}
	if (status && (!strcmp(status, "sent") || !strcmp(status, "paid")) && !force) {
		cli_error(ctx->command, "invoice/%s went out as %s (status %s): renumber the other "
			  "invoice with this number, on the side that has not sent it (--force "
			  "renumbers this one anyway)", r->id, number, status);
		return EXIT_PROBLEMS;
	}
	u.ctx = ctx;
	u.number = number;
	if (scan_upstream(&u, r)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_PROBLEMS;
	}
	if (local_uses(ctx, number) < 2 && !u.clash) {
		cli_error(ctx->command, "no other invoice here or upstream carries %s: renumbering "
			  "invoice/%s would leave a gap", number, r->id);
		return EXIT_PROBLEMS;
	}
	local = crm_invoice_highest(ctx->idx, u.series);
	crm_invoice_format_number(&next, u.series, (local > u.highest ? local : u.highest) + 1);
	crm_buf_addf(&msg, "crm: renumber invoice/%s %s -> %s (%s was issued twice)", r->id,
		     number, next.ptr, number);
	rc = write_numbered(ctx, r, next.ptr, msg.ptr, NULL);
	crm_buf_release(&next);
	crm_buf_release(&msg);
	return rc;
}
