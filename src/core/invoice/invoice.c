/* EN 16931 invoice arithmetic: exact decimals throughout, one rounding per
 * line net, per document allowance or charge, and per VAT group. */
#include <stdio.h>
#include <string.h>

#include "crm/error.h"
#include "crm/invoice.h"
#include "crm/str.h"

#define WORK_SCALE 10   /* digits kept before a rounding step */

static bool zero_rated(const char *category)
{
	static const char *const cats[] = { "Z", "E", "AE", "K", "G", "O" };
	size_t i;
	for (i = 0; category && i < sizeof(cats) / sizeof(*cats); i++) {
		if (!strcmp(category, cats[i]))
			return true;
	}
	return false;
}

/* value × percent ÷ 100, exact up to WORK_SCALE digits. */
static int percent_of(crm_dec *out, crm_dec value, crm_dec percent)
{
	crm_dec prod;
	int err = crm_dec_mul(&prod, value, percent);
	return err ? err : crm_dec_div(out, prod, crm_dec_from_int(100), WORK_SCALE);
}

static int line_net(struct crm_invoice_line *l, int exponent)
{
	crm_dec gross, prod, disc = crm_dec_from_int(0), net;
	int err;

	if (l->net_given)
		return crm_dec_round(&l->net, l->net, exponent);
	if (crm_dec_cmp(l->per, crm_dec_from_int(0)) < 0)
		return crm_error_set(CRM_EINVALID, "a line's base quantity cannot be negative");
	err = crm_dec_mul(&prod, l->quantity, l->unit_price);
	if (!err && !crm_dec_is_zero(l->per))
		err = crm_dec_div(&gross, prod, l->per, WORK_SCALE);
	else
		gross = prod;
	if (!err && l->discount_kind == CRM_DISCOUNT_PERCENT)
		err = percent_of(&disc, gross, l->discount);
	else if (l->discount_kind == CRM_DISCOUNT_AMOUNT)
		disc = l->discount;
	if (!err)
		err = crm_dec_sub(&net, gross, disc);
	if (!err)
		err = crm_dec_add(&net, net, l->charge);
	if (!err)
		err = crm_dec_round(&l->net, net, exponent);
	return err;
}

static struct crm_vat_row *group(struct crm_invoice_totals *t, const char *category,
				 crm_dec rate)
{
	size_t i;
	const char *cat = category ? category : "S";
	for (i = 0; i < t->nrows; i++) {
		if (!strcmp(t->rows[i].category, cat) && !crm_dec_cmp(t->rows[i].rate, rate))
			return &t->rows[i];
	}
	if (t->nrows == CRM_INVOICE_MAX_RATES)
		return NULL;
	memset(&t->rows[t->nrows], 0, sizeof(t->rows[0]));
	crm_str_copy(t->rows[t->nrows].category, sizeof(t->rows[0].category), cat);
	t->rows[t->nrows].rate = rate;
	return &t->rows[t->nrows++];
}

static int add_to_group(struct crm_invoice_totals *t, const char *category, crm_dec rate,
			crm_dec amount)
{
	struct crm_vat_row *row;
	if (zero_rated(category) && !crm_dec_is_zero(rate))
		return crm_error_set(CRM_EINVALID, "VAT category %s must have rate 0%%", category);
	row = group(t, category, rate);
	if (!row)
		return crm_error_set(CRM_EINVALID, "more than %d VAT rates on one invoice",
				     CRM_INVOICE_MAX_RATES);
	return crm_dec_add(&row->taxable, row->taxable, amount);
}

int crm_invoice_adjustment_amount(crm_dec *out, const struct crm_invoice_adjustment *a,
				  crm_dec line_total, int exponent)
{
	crm_dec v;
	int err;
	if (!a->is_percent)
		return crm_dec_round(out, a->amount, exponent);
	err = percent_of(&v, a->has_base ? a->base : line_total, a->percent);
	return err ? err : crm_dec_round(out, v, exponent);
}

int crm_invoice_compute(struct crm_invoice_totals *out, int exponent,
			struct crm_invoice_line *lines, size_t nlines,
			const struct crm_invoice_adjustment *adj, size_t nadj,
			crm_dec paid, crm_dec rounding)
{
	const crm_dec zero = crm_dec_from_int(0);
	size_t i;
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->line_total = out->allowance_total = out->charge_total = zero;
	out->tax_total = zero;
	for (i = 0; i < nlines && !err; i++) {
		err = line_net(&lines[i], exponent);
		if (!err)
			err = crm_dec_add(&out->line_total, out->line_total, lines[i].net);
		if (!err)
			err = add_to_group(out, lines[i].category, lines[i].rate, lines[i].net);
	}
	for (i = 0; i < nadj && !err; i++) {
		crm_dec amount;
		err = crm_invoice_adjustment_amount(&amount, &adj[i], out->line_total, exponent);
		if (!err && adj[i].is_charge)
			err = crm_dec_add(&out->charge_total, out->charge_total, amount);
		else if (!err)
			err = crm_dec_add(&out->allowance_total, out->allowance_total, amount);
		if (!err)
			err = add_to_group(out, adj[i].category, adj[i].rate,
					   adj[i].is_charge ? amount : crm_dec_neg(amount));
	}
	/* VAT once per category and rate, on the group's whole taxable amount */
	for (i = 0; i < out->nrows && !err; i++) {
		crm_dec v;
		err = crm_dec_round(&out->rows[i].taxable, out->rows[i].taxable, exponent);
		if (!err)
			err = percent_of(&v, out->rows[i].taxable, out->rows[i].rate);
		if (!err)
			err = crm_dec_round(&out->rows[i].tax, v, exponent);
		if (!err)
			err = crm_dec_add(&out->tax_total, out->tax_total, out->rows[i].tax);
	}
	if (!err)
		err = crm_dec_sub(&out->tax_exclusive_total, out->line_total, out->allowance_total);
	if (!err)
		err = crm_dec_add(&out->tax_exclusive_total, out->tax_exclusive_total,
				  out->charge_total);
	if (!err)
		err = crm_dec_add(&out->tax_inclusive_total, out->tax_exclusive_total,
				  out->tax_total);
	out->paid_total = paid;
	out->rounding = rounding;
	if (!err)
		err = crm_dec_sub(&out->due_total, out->tax_inclusive_total, paid);
	if (!err)
		err = crm_dec_add(&out->due_total, out->due_total, rounding);
	return err;
}
