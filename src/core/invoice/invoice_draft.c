/* The texts of new invoice drafts: one pre-filled from an opportunity and
 * its client, a copy of an invoice, and a credit note that corrects an
 * issued invoice (all or some of its lines).  Copies keep the original's
 * fields as written, comments and quoting included. */
#include <stdlib.h>
#include <string.h>

#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice.h"

static void add_scalar(struct crm_buf *out, const char *key, const char *value)
{
	crm_buf_addf(out, "%s: ", key);
	crm_edit_render_scalar(out, value, NULL);
	crm_buf_addch(out, '\n');
}

/* The tax a new line gets: the series' `tax`, else crm.ini's first [tax]. */
static const char *default_tax(const struct crm_config *cfg)
{
	const struct crm_series *s = crm_config_series(cfg, NULL);
	if (s && s->tax)
		return s->tax;
	return cfg->taxes.len ? cfg->taxes.ptr[0].id : NULL;
}

int crm_invoice_draft_new(struct crm_buf *out, struct crm_index *idx,
			  const struct crm_record *client, const struct crm_record *opp)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	const char *amount = opp ? crm_node_text(opp->root, "amount") : NULL;
	const char *title = opp ? crm_node_text(opp->root, "title") : NULL;
	const char *currency = crm_node_text(client->root, "currency");
	const char *tax = default_tax(cfg);
	struct crm_money m;

	if (amount && crm_money_parse(&m, amount, currency ? currency : cfg->currency))
		return crm_error_set(CRM_EINVALID, "amount of opportunity/%s: %s", opp->id,
				     crm_error_last());
	if (amount)
		currency = m.currency;
	crm_buf_adds(out, "# A draft: check it, then give it its number with 'crm invoice issue'.\n");
	add_scalar(out, "status", "draft");
	add_scalar(out, "client", client->id);
	if (opp)
		add_scalar(out, "opportunity", opp->id);
	add_scalar(out, "currency", currency ? currency : cfg->currency);
	if (!amount) {
		crm_buf_adds(out, "lines: []\n");
		return 0;
	}
	crm_buf_adds(out, "lines:\n  - {description: ");
	crm_edit_render_scalar(out, title ? title : opp->id, NULL);
	crm_buf_adds(out, ", quantity: 1, unit_price: ");
	crm_edit_render_scalar(out, amount, NULL);
	if (tax) {
		crm_buf_adds(out, ", tax: ");
		crm_edit_render_scalar(out, tax, NULL);
	}
	crm_buf_adds(out, "}\n");
	return 0;
}

int crm_invoice_parse_picks(struct crm_invoice_pick **out, size_t *n_out, const char *spec)
{
	struct crm_invoice_pick *picks = NULL;
	size_t n = 0, cap = 0;
	const char *p = spec;
	int err = 0;

	while (!err && *p) {
		char *end;
		long line = strtol(p, &end, 10);
		struct crm_invoice_pick *pk;
		if (end == p || line < 1 || line > 100000) {
			err = crm_error_set(CRM_EUSAGE, "--lines takes line numbers from 1, each "
					    "optionally with ':QUANTITY' (\"1,3:2.5\"), not '%s'", spec);
			break;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct crm_invoice_pick *np = realloc(picks, ncap * sizeof(*np));
			if (!np) {
				err = crm_error_set(CRM_ENOMEM, "out of memory");
				break;
			}
			picks = np;
			cap = ncap;
		}
		pk = &picks[n++];
		memset(pk, 0, sizeof(*pk));
		pk->line = (size_t)line;
		p = end;
		if (*p == ':') {
			const char *q = ++p;
			while (*p && *p != ',')
				p++;
			if (crm_dec_parse(&pk->quantity, q, (size_t)(p - q)) || pk->quantity.units <= 0)
				err = crm_error_set(CRM_EUSAGE, "quantity '%.*s' of line %ld in --lines "
						    "must be a number above 0", (int)(p - q), q, line);
			pk->has_quantity = true;
		}
		if (*p == ',')
			p++;
		else if (*p)
			err = crm_error_set(CRM_EUSAGE, "--lines: unexpected '%c' in '%s'", *p, spec);
	}
	if (!err && !n)
		err = crm_error_set(CRM_EUSAGE, "--lines names no line");
	if (err) {
		free(picks);
		picks = NULL;
		n = 0;
	}
	*out = picks;
	*n_out = n;
	return err;
}

/* An amount discount or charge of a line that billed `invoiced`, scaled to
 * the `credited` quantity and rounded to the currency's minor unit: a
 * partial credit gives back the same part of it. */
static int scaled_amount(struct crm_buf *out, const char *text, crm_dec credited,
			 crm_dec invoiced, const char *currency)
{
	struct crm_money m;
	crm_dec product;
	char value[64];
	int exponent, err = crm_money_parse(&m, text, currency);

	exponent = err ? 2 : crm_currency_exponent(m.currency);
	if (!err)
		err = crm_dec_mul(&product, m.amount, credited);
	if (!err)
		err = crm_dec_div(&m.amount, product, invoiced, exponent < 0 ? 2 : exponent);
	if (!err)
		err = crm_money_format(value, sizeof(value), &m);
	if (!err)
		crm_edit_render_scalar(out, value, NULL);
	return err;
}

static bool is_amount_adjustment(const struct crm_pair *p)
{
	const char *v = p->value->text;
	size_t n = v ? strlen(v) : 0;
	return (!strcmp(p->key->text, "discount") || !strcmp(p->key->text, "charge")) &&
	       n && v[n - 1] != '%';
}

/* A line as a flow mapping, with its quantity replaced when `pick` says
 * (and its amount discount and charge scaled with it). */
static int add_line(struct crm_buf *out, const struct crm_node *line,
		    const struct crm_invoice_pick *pick, const char *currency)
{
	const char *invoiced_text = crm_node_text(line, "quantity");
	crm_dec invoiced = crm_dec_from_int(1);
	char qty[48];
	size_t i;
	bool has_qty = false;
	int err = 0;

	crm_buf_adds(out, "  - ");
	if (!pick || !pick->has_quantity || line->kind != CRM_NODE_MAP) {
		crm_edit_render_flow(out, line);
		crm_buf_addch(out, '\n');
		return 0;
	}
	if (invoiced_text && crm_dec_parse(&invoiced, invoiced_text, strlen(invoiced_text)))
		return crm_error_set(CRM_EINVALID, "line %zu: quantity '%s' is not a number",
				     pick->line, invoiced_text);
	crm_dec_format_trim(qty, sizeof(qty), pick->quantity);
	crm_buf_addch(out, '{');
	for (i = 0; i < line->count && !err; i++) {
		const struct crm_pair *p = &line->pairs[i];
		if (i)
			crm_buf_adds(out, ", ");
		crm_edit_render_scalar(out, p->key->text, NULL);
		crm_buf_adds(out, ": ");
		if (!strcmp(p->key->text, "quantity")) {
			crm_buf_adds(out, qty);
			has_qty = true;
		} else if (is_amount_adjustment(p) && !crm_dec_is_zero(invoiced)) {
			err = scaled_amount(out, p->value->text, pick->quantity, invoiced, currency);
		} else {
			crm_edit_render_flow(out, p->value);
		}
	}
	if (!has_qty)
		crm_buf_addf(out, "%squantity: %s", line->count ? ", " : "", qty);
	crm_buf_adds(out, "}\n");
	return err;
}

static bool kept_by_copy(const char *key, bool credit)
{
	static const char *const dropped[] = {
		"number", "status", "date", "due", "payments", "created", NULL
	};
	static const char *const credit_drops[] = {
		"type", "corrects", "lines", "allowances", "charges", "notes", NULL
	};
	size_t i;
	for (i = 0; dropped[i]; i++)
		if (!strcmp(key, dropped[i]))
			return false;
	for (i = 0; credit && credit_drops[i]; i++)
		if (!strcmp(key, credit_drops[i]))
			return false;
	return true;
}

int crm_invoice_draft_copy(struct crm_buf *out, const struct crm_record *inv,
			   const char *src, size_t len, const struct crm_node *root,
			   bool credit, const struct crm_invoice_pick *picks, size_t npicks,
			   const char *currency)
{
	const struct crm_node *lines = crm_node_get(root, "lines");
	struct crm_buf pair = CRM_BUF_INIT;
	size_t i, nlines = lines && lines->kind == CRM_NODE_SEQ ? lines->count : 0;
	bool whole = !picks;
	int err = 0;

	for (i = 0; i < npicks; i++) {
		if (picks[i].line > nlines) {
			err = crm_error_set(CRM_EUSAGE, "invoice/%s has %zu line%s, no line %zu",
					    inv->id, nlines, nlines == 1 ? "" : "s", picks[i].line);
			goto done;
		}
	}
	crm_buf_addf(out, "# A draft %s invoice/%s: check it, then give it its number with "
		     "'crm invoice issue'.\n", credit ? "credit note correcting" : "copy of",
		     inv->id);
	add_scalar(out, "status", "draft");
	if (credit) {
		add_scalar(out, "type", "credit-note");
		add_scalar(out, "corrects", inv->id);
	}
	for (i = 0; i < root->count; i++) {
		const char *key = root->pairs[i].key->text;
		if (!kept_by_copy(key, credit))
			continue;
		if (crm_edit_pair_text(&pair, src, len, root, key) == 0)
			crm_buf_add(out, pair.ptr, pair.len);
	}
	if (credit) {
		crm_buf_adds(out, "lines:\n");
		for (i = 0; i < (whole ? nlines : npicks) && !err; i++)
			err = add_line(out, lines->items[whole ? i : picks[i].line - 1],
				       whole ? NULL : &picks[i], currency);
		/* a whole credit takes back the document's allowances and
		 * charges too; a partial one corrects lines only */
		for (i = 0; whole && i < 2; i++) {
			const char *key = i ? "charges" : "allowances";
			if (crm_edit_pair_text(&pair, src, len, root, key) == 0)
				crm_buf_add(out, pair.ptr, pair.len);
		}
	}
done:
	crm_buf_release(&pair);
	return err;
}
