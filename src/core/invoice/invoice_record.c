/* From an invoice record to the numbers crm_invoice_compute needs: lines
 * filled in from their products, taxes looked up in crm.ini, money parsed
 * in the invoice's currency. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "crm/str.h"

struct ctx {
	struct crm_index *idx;
	struct crm_record *inv;
	const char *currency;
};

static const char *text_of(const struct crm_node *map, const char *key)
{
	return crm_node_text(map, key);
}

/* An amount in the invoice's currency: "12.00 EUR" or a bare number. */
static int amount_of(crm_dec *out, struct ctx *c, const char *text, const char *what, size_t n)
{
	struct crm_money m;
	if (crm_money_parse(&m, text, c->currency))
		return crm_error_set(CRM_EINVALID, "%s %zu: %s", what, n, crm_error_last());
	if (strcmp(m.currency, c->currency))
		return crm_error_set(CRM_EINVALID, "%s %zu: %s is not in the invoice's currency %s",
				     what, n, text, c->currency);
	*out = m.amount;
	return 0;
}

static int tax_of(const char **category, crm_dec *rate, struct ctx *c, const char *id,
		  const char *what, size_t n)
{
	const struct crm_tax *t = id ? crm_config_tax(&crm_index_repo(c->idx)->config, id) : NULL;
	if (!id)
		return crm_error_set(CRM_EINVALID, "%s %zu has no tax (a [tax] id of crm.ini)", what, n);
	if (!t)
		return crm_error_set(CRM_EINVALID, "%s %zu: unknown tax '%s' (crm.ini has no "
				     "[tax \"%s\"])", what, n, id, id);
	*category = t->category;
	*rate = t->rate;
	return 0;
}

static int number_of(crm_dec *out, const char *text, crm_dec dflt, size_t n, const char *field)
{
	*out = dflt;
	if (text && crm_dec_parse(out, text, strlen(text)))
		return crm_error_set(CRM_EINVALID, "line %zu: %s '%s' is not a number", n, field, text);
	return 0;
}

static int line_of(struct crm_invoice_line *l, struct ctx *c, const struct crm_node *e, size_t n)
{
	const char *pid = text_of(e, "product"), *price = text_of(e, "unit_price");
	const char *tax = text_of(e, "tax"), *disc = text_of(e, "discount");
	const char *charge = text_of(e, "charge");
	struct crm_record *product = pid ? crm_index_find(c->idx, "product", pid) : NULL;
	int err;

	memset(l, 0, sizeof(*l));
	if (pid && !product)
		return crm_error_set(CRM_EINVALID, "line %zu: unknown product '%s'", n, pid);
	if (!price && product)
		price = crm_node_text(product->root, "unit_price");
	if (!tax && product)
		tax = crm_node_text(product->root, "tax");
	if (!price)
		return crm_error_set(CRM_EINVALID, "line %zu has no unit_price", n);
	err = number_of(&l->quantity, text_of(e, "quantity"), crm_dec_from_int(1), n, "quantity");
	if (!err)
		err = number_of(&l->per, text_of(e, "per"), crm_dec_from_int(1), n, "per");
	if (!err)
		err = amount_of(&l->unit_price, c, price, "line", n);
	if (!err && disc && disc[strlen(disc) - 1] == '%') {
		l->discount_kind = CRM_DISCOUNT_PERCENT;
		if (crm_dec_parse(&l->discount, disc, strlen(disc) - 1))
			err = crm_error_set(CRM_EINVALID, "line %zu: discount '%s'", n, disc);
	} else if (!err && disc) {
		l->discount_kind = CRM_DISCOUNT_AMOUNT;
		err = amount_of(&l->discount, c, disc, "line", n);
	}
	if (!err && charge)
		err = amount_of(&l->charge, c, charge, "line", n);
	if (!err)
		err = tax_of(&l->category, &l->rate, c, tax, "line", n);
	return err;
}

static int adjustment_of(struct crm_invoice_adjustment *a, struct ctx *c,
			 const struct crm_node *e, bool is_charge, size_t n)
{
	const char *amount = text_of(e, "amount"), *pct = text_of(e, "percent");
	const char *what = is_charge ? "charge" : "allowance";
	int err = 0;

	memset(a, 0, sizeof(*a));
	a->is_charge = is_charge;
	if (pct) {
		size_t len = strlen(pct);
		a->is_percent = true;
		if (crm_dec_parse(&a->percent, pct, len && pct[len - 1] == '%' ? len - 1 : len))
			err = crm_error_set(CRM_EINVALID, "%s %zu: percent '%s'", what, n, pct);
	} else if (amount) {
		err = amount_of(&a->amount, c, amount, what, n);
	} else {
		err = crm_error_set(CRM_EINVALID, "%s %zu has neither amount nor percent", what, n);
	}
	if (!err)
		err = tax_of(&a->category, &a->rate, c, text_of(e, "tax"), what, n);
	return err;
}

static const struct crm_node *list_of(const struct crm_record *r, const char *key)
{
	const struct crm_node *n = r->root ? crm_node_get(r->root, key) : NULL;
	return n && n->kind == CRM_NODE_SEQ ? n : NULL;
}

int crm_invoice_of_record_parts(struct crm_invoice_totals *out, char currency[4],
				struct crm_invoice_parts *parts, struct crm_index *idx,
				struct crm_record *inv)
{
	struct crm_invoice_line *lines = parts->lines;
	struct crm_invoice_adjustment *adj = parts->adj;
	const struct crm_node *seq;
	const char *cur = inv->root ? crm_node_text(inv->root, "currency") : NULL;
	struct ctx c = { idx, inv, cur ? cur : crm_index_repo(idx)->config.currency };
	crm_dec paid = crm_dec_from_int(0), amount;
	size_t nlines = 0, nadj = 0, i, k;
	int err = 0, exp = crm_currency_exponent(c.currency);

	parts->nlines = parts->nadj = 0;
	crm_str_copy(currency, 4, c.currency);
	seq = list_of(inv, "lines");
	for (i = 0; seq && i < seq->count && !err; i++) {
		if (nlines == CRM_INVOICE_MAX_LINES)
			return crm_error_set(CRM_EINVALID, "more than 256 lines");
		parts->line_nodes[nlines] = seq->items[i];
		err = line_of(&lines[nlines++], &c, seq->items[i], i + 1);
	}
	for (k = 0; k < 2 && !err; k++) {
		seq = list_of(inv, k ? "charges" : "allowances");
		for (i = 0; seq && i < seq->count && !err; i++) {
			if (nadj == CRM_INVOICE_MAX_ADJUSTMENTS)
				return crm_error_set(CRM_EINVALID, "more than 64 allowances and charges");
			parts->adj_nodes[nadj] = seq->items[i];
			err = adjustment_of(&adj[nadj++], &c, seq->items[i], k == 1, i + 1);
		}
	}
	parts->nlines = nlines;
	parts->nadj = nadj;
	seq = list_of(inv, "payments");
	for (i = 0; seq && i < seq->count && !err; i++) {
		const char *a = text_of(seq->items[i], "amount");
		err = a ? amount_of(&amount, &c, a, "payment", i + 1)
			: crm_error_set(CRM_EINVALID, "payment %zu has no amount", i + 1);
		if (!err)
			err = crm_dec_add(&paid, paid, amount);
	}
	if (!err)
		err = crm_invoice_compute(out, exp < 0 ? 2 : exp, lines, nlines, adj, nadj, paid,
					  crm_dec_from_int(0));
	return err;
}

int crm_invoice_of_record(struct crm_invoice_totals *out, char currency[4],
			  struct crm_index *idx, struct crm_record *inv)
{
	/* too big for the stack of a worker thread: 256 lines */
	struct crm_invoice_parts *parts = malloc(sizeof(*parts));
	int err;
	if (!parts)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = crm_invoice_of_record_parts(out, currency, parts, idx, inv);
	free(parts);
	return err;
}
