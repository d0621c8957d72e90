/* Credit notes bounded per line (SPEC 5: credit notes never credit more
 * than was invoiced): a credit note's lines are matched to the lines of the
 * invoice it corrects, and what it credits of each, in quantity and in
 * amount with the line's share of document allowances and charges, plus
 * what earlier credit notes credited, never exceeds what was invoiced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "crm/node.h"
#include "crm/str.h"

/* A line is the same line when everything but quantity, discount and
 * charge (which a partial credit scales) reads the same. */
static const char *const line_identity[] = {
	"product", "description", "unit_price", "per", "unit", "tax", NULL
};

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_line(const struct crm_node *a, const struct crm_node *b)
{
	size_t i;
	for (i = 0; line_identity[i]; i++)
		if (!same_text(crm_node_text(a, line_identity[i]), crm_node_text(b, line_identity[i])))
			return false;
	return true;
}

struct credit_bounds {
	struct crm_invoice_parts orig, doc;   /* the original; the document being added */
	struct crm_invoice_totals orig_totals;
	char currency[4];
	int exponent;
	crm_dec invoiced_amount[CRM_INVOICE_MAX_LINES];
	crm_dec before_qty[CRM_INVOICE_MAX_LINES], before_amount[CRM_INVOICE_MAX_LINES];
	crm_dec now_qty[CRM_INVOICE_MAX_LINES], now_amount[CRM_INVOICE_MAX_LINES];
};

/* A line's net plus its share of the document's charges less allowances,
 * pro rata to its net, rounded to the currency's minor unit. */
static int line_amount(crm_dec *out, crm_dec net, const struct crm_invoice_totals *t,
		       int exponent)
{
	crm_dec adjust, product, share = crm_dec_from_int(0);
	int err = crm_dec_sub(&adjust, t->charge_total, t->allowance_total);

	if (!err && !crm_dec_is_zero(adjust) && !crm_dec_is_zero(t->line_total)) {
		err = crm_dec_mul(&product, adjust, net);
		if (!err)
			err = crm_dec_div(&share, product, t->line_total, exponent);
	}
	return err ? err : crm_dec_add(out, net, share);
}

/* Adds what `doc` credits of each line of the original to `qty`/`amount`.
 * CRM_EINVALID, naming the line, when one matches no line of the original
 * (only reported for the new note: `strict`). */
static int add_document(struct credit_bounds *b, struct crm_index *idx, struct crm_record *doc,
			crm_dec *qty, crm_dec *amount, bool strict)
{
	struct crm_invoice_totals t;
	char cur[4];
	size_t i, k;
	crm_dec a, q;
	int err = crm_invoice_of_record_parts(&t, cur, &b->doc, idx, doc);

	/* an earlier note that cannot be computed or is in another currency
	 * adds nothing here: crm check reports it */
	if (!strict && (err || strcmp(cur, b->currency)))
		return 0;
	if (err)
		return err;
	if (strcmp(cur, b->currency))
		return crm_error_set(CRM_EINVALID, "the credit note is in %s, the invoice in %s",
				     cur, b->currency);
	for (i = 0; i < b->doc.nlines && !err; i++) {
		for (k = 0; k < b->orig.nlines; k++)
			if (same_line(b->doc.line_nodes[i], b->orig.line_nodes[k]))
				break;
		if (k == b->orig.nlines) {
			if (strict)
				err = crm_error_set(CRM_EINVALID, "line %zu of the credit note matches "
						    "no line of the invoice it corrects", i + 1);
			continue;
		}
		q = b->doc.lines[i].quantity;
		err = line_amount(&a, b->doc.lines[i].net, &t, b->exponent);
		/* a credit note may be written with negative lines: it credits
		 * the same either way */
		if (!err && q.units < 0) {
			q = crm_dec_neg(q);
			a = crm_dec_neg(a);
		}
		if (!err)
			err = crm_dec_add(&qty[k], qty[k], q);
		if (!err)
			err = crm_dec_add(&amount[k], amount[k], a);
	}
	return err;
}

static bool counts_as_credit(struct crm_index *idx, struct crm_record *r,
			     const struct crm_record *orig)
{
	const char *type, *corrects, *status;

	crm_index_materialize(idx, r);
	if (!r->root)
		return false;
	type = crm_node_text(r->root, "type");
	corrects = crm_node_text(r->root, "corrects");
	status = crm_node_text(r->root, "status");
	if (!type || strcmp(type, "credit-note") || !corrects ||
	    crm_index_find(idx, "invoice", corrects) != orig)
		return false;
	return !status || (strcmp(status, "rejected") && strcmp(status, "cancelled"));
}

static void name_excess(struct crm_buf *msg, const struct crm_record *orig,
			const struct crm_node *at, size_t line, const char *what, crm_dec now,
			crm_dec before, crm_dec invoiced, const char *unit)
{
	char n[48], b[48], v[48], sum[48];
	crm_dec total;

	if (crm_dec_add(&total, now, before))
		total = now;
	crm_dec_format_trim(n, sizeof(n), now);
	crm_dec_format_trim(b, sizeof(b), before);
	crm_dec_format_trim(v, sizeof(v), invoiced);
	crm_dec_format_trim(sum, sizeof(sum), total);
	if (msg->len)
		crm_buf_adds(msg, "\n");
	crm_buf_addf(msg, "%s:%d:%d: line %zu: crediting %s%s of its %s would credit %s%s of the "
		     "%s%s invoiced (%s%s credited before)", orig->path, at ? at->line : 1,
		     at ? at->col : 1, line, n, unit, what, sum, unit, v, unit, b, unit);
}

static int check_lines(struct credit_bounds *b, const struct crm_record *orig)
{
	struct crm_buf msg = CRM_BUF_INIT;
	char unit[8];
	crm_dec total;
	size_t k;
	int err = 0;

	snprintf(unit, sizeof(unit), " %s", b->currency);
	for (k = 0; k < b->orig.nlines && !err; k++) {
		if (crm_dec_is_zero(b->now_qty[k]) && crm_dec_is_zero(b->now_amount[k]))
			continue;
		err = crm_dec_add(&total, b->now_qty[k], b->before_qty[k]);
		if (!err && crm_dec_cmp(total, b->orig.lines[k].quantity) > 0) {
			name_excess(&msg, orig, b->orig.line_nodes[k], k + 1, "quantity",
				    b->now_qty[k], b->before_qty[k], b->orig.lines[k].quantity, "");
			continue;
		}
		if (!err)
			err = crm_dec_add(&total, b->now_amount[k], b->before_amount[k]);
		if (!err && crm_dec_cmp(total, b->invoiced_amount[k]) > 0)
			name_excess(&msg, orig, b->orig.line_nodes[k], k + 1,
				    "amount (its share of document allowances and charges included)",
				    b->now_amount[k], b->before_amount[k], b->invoiced_amount[k], unit);
	}
	if (!err && msg.len)
		err = crm_error_set(CRM_ECONFLICT, "a credit note credits no more of a line than "
				    "was invoiced, less earlier credit notes:\n%s", msg.ptr);
	crm_buf_release(&msg);
	return err;
}

int crm_invoice_credit_within(struct crm_index *idx, struct crm_record *orig,
			      struct crm_record *note)
{
	struct credit_bounds *b = calloc(1, sizeof(*b));
	struct crm_record **recs;
	size_t n, i, k;
	int err;

	if (!b)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = crm_invoice_of_record_parts(&b->orig_totals, b->currency, &b->orig, idx, orig);
	b->exponent = crm_currency_exponent(b->currency);
	if (b->exponent < 0)
		b->exponent = 2;
	for (k = 0; k < CRM_INVOICE_MAX_LINES; k++) {
		b->before_qty[k] = b->before_amount[k] = crm_dec_from_int(0);
		b->now_qty[k] = b->now_amount[k] = crm_dec_from_int(0);
	}
	for (k = 0; !err && k < b->orig.nlines; k++)
		err = line_amount(&b->invoiced_amount[k], b->orig.lines[k].net, &b->orig_totals,
				  b->exponent);
	recs = crm_index_records(idx, "invoice", &n);
	for (i = 0; !err && i < n; i++) {
		if (recs[i] != note && counts_as_credit(idx, recs[i], orig))
			err = add_document(b, idx, recs[i], b->before_qty, b->before_amount, false);
	}
	if (!err)
		err = add_document(b, idx, note, b->now_qty, b->now_amount, true);
	if (!err)
		err = check_lines(b, orig);
	free(b);
	return err;
}

/* ---- the draft of a partial credit ---- */

/* `n` as a flow mapping with the value of `key` replaced by `value`. */
static void flow_with(struct crm_buf *out, const struct crm_node *n, const char *key,
		      const char *value)
{
	size_t i;

	crm_buf_addch(out, '{');
	for (i = 0; i < n->count; i++) {
		const struct crm_pair *p = &n->pairs[i];
		if (i)
			crm_buf_adds(out, ", ");
		crm_edit_render_scalar(out, p->key->text, NULL);
		crm_buf_adds(out, ": ");
		if (!strcmp(p->key->text, key))
			crm_edit_render_scalar(out, value, NULL);
		else
			crm_edit_render_flow(out, p->value);
	}
	crm_buf_addch(out, '}');
}

/* A partial credit carries its share of the document's allowances and
 * charges: a percent one as written (its percent of the credit's line
 * total is the share), an amount scaled by the credit's line total over
 * the invoice's, rounded to the minor unit. */
static int add_shares(struct crm_buf *out, const struct crm_invoice_parts *op,
		      const struct crm_invoice_totals *ot, crm_dec credit_lines,
		      const char *currency)
{
	struct crm_money m = { crm_dec_from_int(0), { 0 } };
	char text[64];
	crm_dec product;
	size_t i, k;
	int err = 0, exponent = crm_currency_exponent(currency);

	crm_str_copy(m.currency, sizeof(m.currency), currency);
	for (k = 0; k < 2 && !err; k++) {
		bool any = false;
		for (i = 0; i < op->nadj && !err; i++) {
			if (op->adj[i].is_charge != (k == 1))
				continue;
			crm_buf_addf(out, "%s", any ? "" : k ? "charges:\n" : "allowances:\n");
			any = true;
			crm_buf_adds(out, "  - ");
			if (op->adj[i].is_percent || crm_dec_is_zero(ot->line_total)) {
				crm_edit_render_flow(out, op->adj_nodes[i]);
			} else {
				err = crm_dec_mul(&product, op->adj[i].amount, credit_lines);
				if (!err)
					err = crm_dec_div(&m.amount, product, ot->line_total,
							  exponent < 0 ? 2 : exponent);
				if (!err)
					err = crm_money_format(text, sizeof(text), &m);
				flow_with(out, op->adj_nodes[i], "amount", text);
			}
			crm_buf_addch(out, '\n');
		}
	}
	return err;
}

/* Parses `text` as the record `out` (a credit note not yet written). */
static int parse_note(struct crm_record *out, struct crm_arena *arena, const struct crm_buf *text,
		      const struct crm_record *orig)
{
	struct crm_diags scratch;
	int err;

	memset(out, 0, sizeof(*out));
	out->schema = orig->schema;
	out->id = "(new credit note)";
	out->path = "(new credit note)";
	crm_diags_init(&scratch);
	err = crm_yaml_parse(&out->root, arena, text->ptr, text->len, out->path, &scratch);
	if (!err && !out->root)
		err = crm_error_set(CRM_EINVALID, "the credit note does not parse");
	crm_diags_release(&scratch);
	return err;
}

int crm_invoice_credit_draft(struct crm_buf *out, struct crm_index *idx, struct crm_record *inv,
			     const char *src, size_t len, const struct crm_node *root,
			     const struct crm_invoice_pick *picks, size_t npicks)
{
	struct crm_invoice_parts *op = malloc(sizeof(*op));
	struct crm_invoice_totals ot, nt;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_record note;
	char cur[4], note_cur[4];
	int err;

	if (!op)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = crm_invoice_of_record_parts(&ot, cur, op, idx, inv);
	if (!err)
		err = crm_invoice_draft_copy(out, inv, src, len, root, true, picks, npicks, cur);
	if (!err && picks && op->nadj) {
		err = parse_note(&note, &arena, out, inv);
		if (!err)
			err = crm_invoice_of_record(&nt, note_cur, idx, &note);
		if (!err)
			err = add_shares(out, op, &ot, nt.line_total, cur);
	}
	crm_arena_release(&arena);
	crm_arena_init(&arena);
	if (!err)
		err = parse_note(&note, &arena, out, inv);
	if (!err)
		err = crm_invoice_credit_within(idx, inv, &note);
	crm_arena_release(&arena);
	free(op);
	return err;
}
