/* The invoice rules of `crm check` (SPEC section 5) and the numbering they
 * share with `crm invoice issue`: numbers per series without gaps or
 * duplicates, issued invoices unchanged since git first had them, and
 * invoices past their due date. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "crm/index.h"
#include "crm/git.h"
#include "crm/invoice.h"
#include "crm/map.h"
#include "crm/str.h"

int crm_invoice_number_parse(const struct crm_config *cfg, const char *number,
			     const struct crm_series **series_out, long *seq_out)
{
	const struct crm_series *best = NULL;
	size_t i, best_len = 0;

	for (i = 0; i < cfg->series.len; i++) {
		const struct crm_series *s = &cfg->series.ptr[i];
		size_t plen = strlen(s->prefix);
		const char *p = number + plen;
		if (strncmp(number, s->prefix, plen) || !*p || (best && plen <= best_len))
			continue;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p || p - (number + plen) > 18)
			continue;
		best = s;
		best_len = plen;
	}
	if (!best)
		return crm_error_set(CRM_ENOTFOUND, "number '%s' matches no numbering series of "
				     "crm.ini (a prefix followed by digits)", number);
	*series_out = best;
	*seq_out = strtol(number + best_len, NULL, 10);
	return 0;
}

static const struct crm_series *series_of(const struct crm_config *cfg, const char *number,
					  long *seq)
{
	const struct crm_series *s = NULL;
	if (!number || crm_invoice_number_parse(cfg, number, &s, seq))
		return NULL;
	return s;
}

long crm_invoice_highest(struct crm_index *idx, const struct crm_series *series)
{
	size_t n, i;
	struct crm_record **recs = crm_index_records(idx, "invoice", &n);
	long best = 0, seq;

	for (i = 0; i < n; i++) {
		const char *num = recs[i]->root ? crm_node_text(recs[i]->root, "number") : NULL;
		if (series_of(&crm_index_repo(idx)->config, num, &seq) == series && seq > best)
			best = seq;
	}
	return best;
}

void crm_invoice_format_number(struct crm_buf *out, const struct crm_series *series, long seq)
{
	crm_buf_addf(out, "%s%0*ld", series->prefix, series->digits, seq);
}

bool crm_invoice_due(crm_date *out, struct crm_index *idx, const struct crm_record *inv)
{
	const char *due = crm_node_text(inv->root, "due");
	const char *date = crm_node_text(inv->root, "date");
	const struct crm_series *s;
	long seq;

	if (due && !crm_date_parse(out, due, strlen(due)))
		return true;
	if (!date || crm_date_parse(out, date, strlen(date)))
		return false;
	s = series_of(&crm_index_repo(idx)->config, crm_node_text(inv->root, "number"), &seq);
	if (!s)
		s = crm_config_series(&crm_index_repo(idx)->config, NULL);
	*out += s ? s->due_days : 0;
	return true;
}

/* ---- numbering ---- */

/* `rec` with its tree, in a pass that keeps memory bounded: trees decoded
 * earlier in the pass may be dropped first (crm_index_trim), so a pass
 * holds no node of an earlier record across this call. */
static const struct crm_node *tree_of(struct crm_index *idx, struct crm_record *rec)
{
	crm_index_trim(idx);
	crm_index_materialize(idx, rec);
	return rec->root;
}

static const char *number_of(struct crm_index *idx, struct crm_record *rec)
{
	const struct crm_node *root = tree_of(idx, rec);
	return root ? crm_node_text(root, "number") : NULL;
}

struct issued {
	long seq;
	struct crm_record *rec;
};

static int by_seq(const void *a, const void *b)
{
	const struct issued *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->rec->path, y->rec->path);
}

static void report_at(struct crm_diags *out, const struct crm_record *rec, const char *field,
		      enum crm_severity sev, const char *code, const char *msg)
{
	const struct crm_node *at = crm_node_get(rec->root, field);
	crm_diags_add(out, rec->path, at ? at->line : 1, at ? at->col : 1, sev, code, "%s", msg);
}

/* Reports the numbers `from` to `to` of `series` as missing, at `rec`. */
static void report_gap(struct crm_index *idx, const struct crm_series *series, long from,
		       long to, struct crm_record *rec, struct crm_diags *out)
{
	struct crm_buf a = CRM_BUF_INIT, b = CRM_BUF_INIT, msg = CRM_BUF_INIT;

	crm_invoice_format_number(&a, series, from);
	crm_invoice_format_number(&b, series, to);
	if (from == to)
		crm_buf_addf(&msg, "invoice number '%s' is missing: issued numbers have no gaps",
			     a.ptr);
	else
		crm_buf_addf(&msg, "invoice numbers '%s' to '%s' are missing: issued numbers have "
			     "no gaps", a.ptr, b.ptr);
	tree_of(idx, rec);
	report_at(out, rec, "number", CRM_SEV_ERROR, "number-gap", msg.ptr);
	crm_buf_release(&a);
	crm_buf_release(&b);
	crm_buf_release(&msg);
}

static void check_series(struct crm_index *idx, const struct crm_series *series,
			 struct issued *list, size_t n, struct crm_diags *out)
{
	struct crm_buf msg = CRM_BUF_INIT;
	size_t i;

	qsort(list, n, sizeof(*list), by_seq);
	/* a series starts at its first number: 2026-0002 alone lacks 2026-0001 */
	if (n && list[0].seq > 1)
		report_gap(idx, series, 1, list[0].seq - 1, list[0].rec, out);
	for (i = 1; i < n; i++) {
		crm_buf_reset(&msg);
		if (list[i].seq == list[i - 1].seq) {
			crm_buf_addf(&msg, "invoice number '%s' is also used by invoice/%s: give the "
				     "one not yet sent the next number with 'crm invoice renumber "
				     "ID'", number_of(idx, list[i].rec), list[i - 1].rec->id);
			report_at(out, list[i].rec, "number", CRM_SEV_ERROR, "duplicate-number",
				  msg.ptr);
		} else if (list[i].seq > list[i - 1].seq + 1) {
			report_gap(idx, series, list[i - 1].seq + 1, list[i].seq - 1, list[i].rec,
				   out);
		}
	}
	crm_buf_release(&msg);
}

static void check_numbering(struct crm_index *idx, struct crm_record **recs, size_t n,
			    struct crm_diags *out)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	struct issued *list = calloc(n ? n : 1, sizeof(*list));
	size_t s, i, k;
	long seq;

	if (!list)
		return;
	for (i = 0; i < n; i++) {
		const char *num = number_of(idx, recs[i]);
		if (num && !series_of(cfg, num, &seq))
			report_at(out, recs[i], "number", CRM_SEV_WARNING, "unknown-series",
				  crm_error_last());
	}
	for (s = 0; s < cfg->series.len; s++) {
		for (i = k = 0; i < n; i++) {
			const char *num = number_of(idx, recs[i]);
			if (series_of(cfg, num, &seq) == &cfg->series.ptr[s]) {
				list[k].seq = seq;
				list[k++].rec = recs[i];
			}
		}
		check_series(idx, &cfg->series.ptr[s], list, k, out);
	}
	free(list);
}

/* ---- overdue ---- */

static bool settled(const struct crm_record *inv)
{
	const char *status = crm_node_text(inv->root, "status");
	const char *type = crm_node_text(inv->root, "type");
	return (status && (!strcmp(status, "paid") || !strcmp(status, "rejected"))) ||
	       (type && !strcmp(type, "credit-note"));
}

static void check_overdue(struct crm_index *idx, struct crm_record *inv, struct crm_diags *out)
{
	struct crm_invoice_totals t;
	struct crm_money open;
	char cur[4], due_text[16], amount[64], msg[256];
	crm_date due, today = crm_index_today(idx);

	if (settled(inv) || !crm_invoice_due(&due, idx, inv) || due >= today ||
	    crm_invoice_of_record(&t, cur, idx, inv) || t.due_total.units <= 0)
		return;
	open.amount = t.due_total;
	crm_str_copy(open.currency, sizeof(open.currency), cur);
	crm_money_format(amount, sizeof(amount), &open);
	crm_date_format(due_text, sizeof(due_text), due);
	snprintf(msg, sizeof(msg), "invoice %s is overdue: due %s (%d day%s ago), %s still open",
		 crm_node_text(inv->root, "number"), due_text, (int)(today - due),
		 today - due == 1 ? "" : "s", amount);
	report_at(out, inv, crm_node_get(inv->root, "due") ? "due" : "number", CRM_SEV_WARNING,
		  "overdue", msg);
}

/* ---- money beyond the total ---- */

static bool is_credit_note(const struct crm_record *inv)
{
	const char *type = crm_node_text(inv->root, "type");
	return type && !strcmp(type, "credit-note");
}

/* Rejected and cancelled documents credit and count nothing. */
static bool void_status(const struct crm_record *inv)
{
	const char *status = crm_node_text(inv->root, "status");
	return status && (!strcmp(status, "rejected") || !strcmp(status, "cancelled"));
}

static void format_amount(char *buf, size_t size, crm_dec v, const char *cur)
{
	struct crm_money m = { v, { 0 } };
	crm_str_copy(m.currency, sizeof(m.currency), cur);
	crm_money_format(buf, size, &m);
}

/* Payments beyond the total leave the buyer a credit balance: recorded
 * on purpose with `crm invoice pay --overpay`, so a warning. */
static void check_overpaid(struct crm_index *idx, struct crm_record *inv, struct crm_diags *out)
{
	struct crm_invoice_totals t;
	char cur[4], paid[64], total[64], over[64], msg[384];
	crm_dec excess;

	if (is_credit_note(inv) || crm_invoice_of_record(&t, cur, idx, inv) ||
	    crm_dec_cmp(t.paid_total, t.tax_inclusive_total) <= 0 ||
	    crm_dec_sub(&excess, t.paid_total, t.tax_inclusive_total))
		return;
	format_amount(paid, sizeof(paid), t.paid_total, cur);
	format_amount(total, sizeof(total), t.tax_inclusive_total, cur);
	format_amount(over, sizeof(over), excess, cur);
	snprintf(msg, sizeof(msg), "invoice %s is paid beyond its total: %s paid of %s, a credit "
		 "balance of %s owed to the client", crm_node_text(inv->root, "number"), paid,
		 total, over);
	report_at(out, inv, "payments", CRM_SEV_WARNING, "overpaid", msg);
}

struct credited {
	crm_dec sum;                  /* the credit notes' totals, in `currency` */
	char currency[4];
	size_t notes;
};

/* Adds credit note `note` to what its original has been credited. */
static void add_credit(struct crm_index *idx, struct crm_record *note, struct crm_map *by_id,
		       struct credited *credited, struct crm_record **recs, size_t n)
{
	const char *corrects = crm_node_text(note->root, "corrects");
	struct crm_record *orig = corrects ? crm_index_find(idx, "invoice", corrects) : NULL;
	struct crm_invoice_totals t;
	char cur[4];
	size_t at;

	if (!orig || void_status(note) || crm_invoice_of_record(&t, cur, idx, note))
		return;
	at = (size_t)(uintptr_t)crm_map_get(by_id, orig->id);
	if (!at || at > n || recs[at - 1] != orig)
		return;
	if (!credited[at - 1].notes)
		crm_str_copy(credited[at - 1].currency, 4, cur);
	else if (strcmp(credited[at - 1].currency, cur))
		return;   /* another currency: nothing to add it to */
	/* a credit note written with negative lines credits the same */
	if (t.tax_inclusive_total.units < 0)
		t.tax_inclusive_total = crm_dec_neg(t.tax_inclusive_total);
	if (!crm_dec_add(&credited[at - 1].sum, credited[at - 1].sum, t.tax_inclusive_total))
		credited[at - 1].notes++;
}

static void report_overcredit(struct crm_index *idx, struct crm_record *inv,
			      const struct credited *c, struct crm_diags *out)
{
	struct crm_invoice_totals t;
	char cur[4], sum[64], total[64], msg[384];

	if (!c->notes || void_status(inv) || crm_invoice_of_record(&t, cur, idx, inv) ||
	    strcmp(cur, c->currency) || crm_dec_cmp(c->sum, t.tax_inclusive_total) <= 0)
		return;
	format_amount(sum, sizeof(sum), c->sum, cur);
	format_amount(total, sizeof(total), t.tax_inclusive_total, cur);
	snprintf(msg, sizeof(msg), "invoice %s is credited beyond its total: %zu credit note%s "
		 "credit %s of %s", crm_node_text(inv->root, "number"), c->notes,
		 c->notes == 1 ? "" : "s", sum, total);
	report_at(out, inv, "number", CRM_SEV_ERROR, "over-credited", msg);
}

/* Credit notes (drafts too: they are meant to be issued) never credit
 * more than the invoice they correct was for. */
static void check_credited(struct crm_index *idx, struct crm_record **recs, size_t n,
			   struct crm_diags *out)
{
	struct crm_map by_id = CRM_MAP_INIT;
	struct credited *credited = calloc(n, sizeof(*credited));
	size_t i;

	for (i = 0; credited && i < n; i++) {
		credited[i].sum = crm_dec_from_int(0);
		if (crm_map_put(&by_id, recs[i]->id, (void *)(uintptr_t)(i + 1), NULL))
			goto done;
	}
	for (i = 0; credited && i < n; i++) {
		if (tree_of(idx, recs[i]) && is_credit_note(recs[i]))
			add_credit(idx, recs[i], &by_id, credited, recs, n);
	}
	for (i = 0; credited && i < n; i++) {
		if (credited[i].notes && tree_of(idx, recs[i]))
			report_overcredit(idx, recs[i], &credited[i], out);
	}
done:
	crm_map_release(&by_id);
	free(credited);
}

/* ---- issued invoices stay as issued ---- */

/* What an issued invoice may never change: SPEC 5 names lines, amounts and
 * number; the client, dates and currency decide what the amounts mean. */
static const char *const frozen_fields[] = {
	"number", "type", "corrects", "client", "date", "currency", "rate",
	"lines", "allowances", "charges", NULL
};

struct first_check {
	struct crm_index *idx;
	struct crm_diags *out;
	struct crm_map by_git_path;   /* git path -> issued invoice record */
};

static void compare_with_issued(struct first_check *fc, struct crm_record *rec,
				const char *data, size_t len)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags scratch;
	struct crm_node *old = NULL;
	const char *old_number;
	char msg[512];
	size_t i;

	crm_diags_init(&scratch);
	if (crm_yaml_parse(&old, &arena, data, len, rec->path, &scratch) || !old)
		goto done;
	old_number = crm_node_text(old, "number");
	if (!old_number)
		goto done;   /* added as a draft and numbered by hand: nothing to hold it to */
	for (i = 0; frozen_fields[i]; i++) {
		const struct crm_node *was = crm_node_get(old, frozen_fields[i]);
		const struct crm_node *now = crm_node_get(rec->root, frozen_fields[i]);
		if (crm_node_same(was, now))
			continue;
		snprintf(msg, sizeof(msg), "'%s' of invoice %s changed after it was issued (git has "
			 "it as issued in the commit that added %s); correct an issued invoice with "
			 "a credit note: crm invoice credit %s", frozen_fields[i], old_number,
			 rec->path, rec->id);
		report_at(fc->out, rec, now ? frozen_fields[i] : "number", CRM_SEV_ERROR,
			  "issued-changed", msg);
	}
done:
	crm_diags_release(&scratch);
	crm_arena_release(&arena);
}

static int on_first_version(const char *path, const char *data, size_t len, void *payload)
{
	struct first_check *fc = payload;
	struct crm_record *rec = crm_map_get(&fc->by_git_path, path);
	struct crm_buf now = CRM_BUF_INIT, full = CRM_BUF_INIT;

	if (!rec || !tree_of(fc->idx, rec))
		return 0;
	/* most issued invoices are byte for byte as issued: no parse needed */
	crm_buf_addf(&full, "%s/%s", crm_index_repo(fc->idx)->root, rec->path);
	if (crm_buf_read_file(&now, full.ptr, CRM_YAML_MAX_BYTES + 1) || now.len != len ||
	    memcmp(now.ptr, data, len))
		compare_with_issued(fc, rec, data, len);
	crm_buf_release(&now);
	crm_buf_release(&full);
	return 0;
}

static void check_unchanged(struct crm_index *idx, struct crm_record **recs, size_t n,
			    const struct crm_schema *schema, struct crm_diags *out)
{
	struct first_check fc = { idx, out, CRM_MAP_INIT };
	struct crm_arena paths = CRM_ARENA_INIT;
	struct crm_git *git = NULL;
	char *prefix = NULL, *folder = NULL;
	size_t i, issued = 0;

	if (!crm_index_options(idx)->git_dates || crm_git_open(&git, crm_index_repo(idx)->root))
		return;   /* not in git (or reading the past is switched off) */
	prefix = crm_git_prefix(git, crm_index_repo(idx)->root);
	for (i = 0; prefix && i < n; i++) {
		char *key;
		if (!number_of(idx, recs[i]))
			continue;
		key = crm_arena_printf(&paths, "%s%s", prefix, recs[i]->path);
		if (key && !crm_map_put(&fc.by_git_path, key, recs[i], NULL))
			issued++;
	}
	folder = prefix ? crm_arena_printf(&paths, "%s%s/", prefix, schema->folder) : NULL;
	if (issued && folder)
		crm_git_first_versions(git, folder, on_first_version, &fc);
	crm_map_release(&fc.by_git_path);
	crm_arena_release(&paths);
	free(prefix);
	crm_git_free(git);
}

void crm_invoice_check(struct crm_index *idx, struct crm_diags *out)
{
	const struct crm_schema *schema = NULL;
	size_t n, i;
	struct crm_record **recs = crm_index_list(idx, "invoice", &n);

	if (!n)
		return;
	schema = recs[0]->schema;
	check_numbering(idx, recs, n, out);
	for (i = 0; i < n; i++) {
		if (number_of(idx, recs[i])) {
			check_overdue(idx, recs[i], out);
			check_overpaid(idx, recs[i], out);
		}
	}
	check_credited(idx, recs, n, out);
	check_unchanged(idx, recs, n, schema, out);
}

/* ---- numbers issued on both sides of a merge ---- */

struct side_files {
	struct crm_map paths;         /* git path -> (void *)1 */
	struct crm_arena arena;
};

static int remember_file(const char *path, void *payload)
{
	struct side_files *sf = payload;
	char *key = crm_arena_strdup(&sf->arena, path);
	return !key || crm_map_put(&sf->paths, key, (void *)1, NULL) ? CRM_ENOMEM : 0;
}

static int list_side(struct side_files *sf, struct crm_git *g, const char *commit,
		     const char *folder)
{
	memset(sf, 0, sizeof(*sf));
	crm_arena_init(&sf->arena);
	return crm_git_list_files_at(g, commit, folder, remember_file, sf);
}

static void release_side(struct side_files *sf)
{
	crm_map_release(&sf->paths);
	crm_arena_release(&sf->arena);
}

/* The issued number of `path` at `commit`, into `arena`; NULL for a draft
 * or a file that does not parse. */
static const char *number_at(struct crm_git *g, const char *commit, const char *path,
			     struct crm_arena *arena)
{
	struct crm_diags scratch;
	struct crm_node *root = NULL;
	const char *number = NULL;
	char *data = NULL;
	size_t len = 0;

	crm_diags_init(&scratch);
	if (!crm_git_read_file_at(g, commit, path, &data, &len) &&
	    !crm_yaml_parse(&root, arena, data, len, path, &scratch))
		number = crm_node_text(root, "number");
	free(data);
	crm_diags_release(&scratch);
	return number;
}

/* Collects number -> path of every issued invoice added on one side. */
static int added_numbers(struct crm_map *out, struct crm_arena *arena, struct crm_git *g,
			 const char *commit, const struct side_files *side,
			 const struct side_files *base)
{
	struct crm_map_slot *slot;
	size_t pos = 0;

	while ((slot = crm_map_next(&side->paths, &pos))) {
		const char *number;
		if (crm_map_get(&base->paths, slot->key))
			continue;
		number = number_at(g, commit, slot->key, arena);
		if (number && crm_map_put(out, number, (void *)slot->key, NULL))
			return CRM_ENOMEM;
	}
	return 0;
}

int crm_invoice_clashes(struct crm_git *g, const char *folder, const char *ours,
			const char *theirs,
			int (*cb)(const char *number, const char *our_path, void *payload),
			void *payload)
{
	struct side_files b, o, t;
	struct crm_map our_numbers = CRM_MAP_INIT, their_numbers = CRM_MAP_INIT;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_map_slot *slot;
	char base[41];
	size_t pos = 0;
	int clashes = 0, err;

	err = crm_git_merge_base(g, base, ours, theirs);
	if (err == CRM_ENOTFOUND)
		base[0] = '\0';
	else if (err)
		return err;
	memset(&b, 0, sizeof(b));
	err = base[0] ? list_side(&b, g, base, folder) : 0;
	if (!err)
		err = list_side(&o, g, ours, folder);
	if (!err)
		err = list_side(&t, g, theirs, folder);
	if (!err)
		err = added_numbers(&our_numbers, &arena, g, ours, &o, &b);
	if (!err)
		err = added_numbers(&their_numbers, &arena, g, theirs, &t, &b);
	while (!err && (slot = crm_map_next(&our_numbers, &pos))) {
		if (!crm_map_get(&their_numbers, slot->key))
			continue;
		clashes++;
		err = cb(slot->key, slot->value, payload);
	}
	crm_map_release(&our_numbers);
	crm_map_release(&their_numbers);
	crm_arena_release(&arena);
	release_side(&b);
	release_side(&o);
	release_side(&t);
	return err ? err : clashes;
}
