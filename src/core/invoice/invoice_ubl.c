/* UBL 2.1 export of one invoice or credit note per Peppol BIS Billing 3.0
 * (EN 16931's UBL syntax binding): every amount written from the exact
 * totals, every text XML-escaped, elements in the order the UBL schema
 * requires. */
#include <stdio.h>
#include <string.h>

#include "crm/error.h"
#include "crm/invoice_render.h"
#include "crm/money.h"

static const char customization[] =
	"urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
static const char profile[] = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

struct ubl {
	struct crm_buf *out;
	const struct crm_invoice_doc *d;
	/* a credit note whose figures are negative (lines credited as
	 * negative quantities) is written with the signs turned: a UBL
	 * CreditNote credits positive amounts */
	bool flip;
	int depth;
};

static crm_dec sign(const struct ubl *u, crm_dec v)
{
	return u->flip ? crm_dec_neg(v) : v;
}

static void indent(struct ubl *u)
{
	crm_buf_addchars(u->out, ' ', (size_t)u->depth * 2);
}

static void open_tag(struct ubl *u, const char *tag)
{
	indent(u);
	crm_buf_addf(u->out, "<%s>\n", tag);
	u->depth++;
}

static void close_tag(struct ubl *u, const char *tag)
{
	u->depth--;
	indent(u);
	crm_buf_addf(u->out, "</%s>\n", tag);
}

/* <tag attr>escaped text</tag>; nothing when text is NULL. */
static void leaf(struct ubl *u, const char *tag, const char *attr, const char *text)
{
	if (!text)
		return;
	indent(u);
	crm_buf_addf(u->out, "<%s%s%s>", tag, attr ? " " : "", attr ? attr : "");
	crm_buf_add_xml(u->out, text);
	crm_buf_addf(u->out, "</%s>\n", tag);
}

static void amount(struct ubl *u, const char *tag, crm_dec v)
{
	char a[64], attr[32];
	crm_invoice_doc_amount(a, sizeof(a), u->d, sign(u, v));
	snprintf(attr, sizeof(attr), "currencyID=\"%s\"", u->d->currency);
	leaf(u, tag, attr, a);
}

static void number(struct ubl *u, const char *tag, const char *attr, crm_dec v)
{
	char n[48];
	crm_dec_format_trim(n, sizeof(n), v);
	leaf(u, tag, attr, n);
}

/* UN/ECE Recommendation 20 codes for the units people write; a code
 * written as such (HUR, C62) passes through, anything else is C62 (one). */
static const char *unit_code(const char *unit)
{
	static const struct { const char *name, *code; } units[] = {
		{ "hour", "HUR" }, { "hours", "HUR" }, { "h", "HUR" }, { "hr", "HUR" },
		{ "godz", "HUR" }, { "小时", "HUR" },
		{ "day", "DAY" }, { "days", "DAY" }, { "d", "DAY" }, { "dzień", "DAY" },
		{ "天", "DAY" },
		{ "week", "WEE" }, { "weeks", "WEE" },
		{ "month", "MON" }, { "months", "MON" }, { "mies", "MON" }, { "月", "MON" },
		{ "year", "ANN" }, { "years", "ANN" },
		{ "minute", "MIN" }, { "minutes", "MIN" }, { "min", "MIN" },
		{ "piece", "H87" }, { "pieces", "H87" }, { "pcs", "H87" }, { "pc", "H87" },
		{ "szt", "H87" }, { "szt.", "H87" }, { "件", "H87" }, { "个", "H87" },
		{ "kg", "KGM" }, { "g", "GRM" }, { "t", "TNE" }, { "m", "MTR" }, { "km", "KMT" },
		{ "m2", "MTK" }, { "m²", "MTK" }, { "l", "LTR" }, { "litre", "LTR" },
		{ "liter", "LTR" }, { "kwh", "KWH" }, { "kWh", "KWH" }, { "set", "SET" },
		{ "page", "C62" }, { "unit", "C62" }, { "item", "C62" },
	};
	size_t i, n;

	if (!unit)
		return "C62";
	for (i = 0; i < sizeof(units) / sizeof(*units); i++) {
		if (!strcmp(units[i].name, unit))
			return units[i].code;
	}
	n = strlen(unit);
	for (i = 0; i < n; i++) {
		if (!((unit[i] >= 'A' && unit[i] <= 'Z') || (unit[i] >= '0' && unit[i] <= '9')))
			return "C62";
	}
	return n >= 2 && n <= 3 ? unit : "C62";
}

/* Categories whose percent Peppol forbids (O: not subject to VAT). */
static bool has_percent(const char *category)
{
	return strcmp(category, "O") != 0;
}

static void tax_category(struct ubl *u, const char *tag, const char *category, crm_dec rate,
			 const char *exemption)
{
	open_tag(u, tag);
	leaf(u, "cbc:ID", NULL, category);
	if (has_percent(category))
		number(u, "cbc:Percent", NULL, rate);
	leaf(u, "cbc:TaxExemptionReason", NULL, exemption);
	open_tag(u, "cac:TaxScheme");
	leaf(u, "cbc:ID", NULL, "VAT");
	close_tag(u, "cac:TaxScheme");
	close_tag(u, tag);
}

/* VAT categories that require an exemption reason (BR-E-10, BR-AE-10,
 * BR-IC-10, BR-G-10, BR-O-10); a generic reason when crm.ini gives none. */
static const char *exemption_of(const struct crm_invoice_doc *d, size_t row)
{
	static const struct { const char *cat, *reason; } generic[] = {
		{ "E", "Exempt from VAT" }, { "AE", "Reverse charge" },
		{ "K", "Intra-community supply" }, { "G", "Export outside the EU" },
		{ "O", "Not subject to VAT" },
	};
	size_t i;
	if (d->vat_exemption[row])
		return d->vat_exemption[row];
	for (i = 0; i < sizeof(generic) / sizeof(*generic); i++) {
		if (!strcmp(generic[i].cat, d->totals.rows[row].category))
			return generic[i].reason;
	}
	return NULL;
}

/* An identifier written "SCHEME:ID" ("0184:DK16356706", an ICD scheme of
 * four digits) as the element with its schemeID; any other text as it is. */
static void scheme_leaf(struct ubl *u, const char *tag, const char *value)
{
	char attr[32];
	size_t i;

	if (!value)
		return;
	for (i = 0; i < 4 && value[i] >= '0' && value[i] <= '9'; i++)
		;
	if (i < 4 || value[4] != ':' || !value[5]) {
		leaf(u, tag, NULL, value);
		return;
	}
	snprintf(attr, sizeof(attr), "schemeID=\"%.4s\"", value);
	leaf(u, tag, attr, value + 5);
}

/* A party's address: the street lines and the country code. */
static void address(struct ubl *u, const char *tag, const struct crm_party *p)
{
	open_tag(u, tag);
	leaf(u, "cbc:StreetName", NULL, p->street[0] ? p->street : NULL);
	leaf(u, "cbc:CityName", NULL, p->city[0] ? p->city : NULL);
	leaf(u, "cbc:PostalZone", NULL, p->postcode[0] ? p->postcode : NULL);
	if (p->country) {
		open_tag(u, "cac:Country");
		leaf(u, "cbc:IdentificationCode", NULL, p->country);
		close_tag(u, "cac:Country");
	}
	close_tag(u, tag);
}

static void party(struct ubl *u, const char *tag, const struct crm_party *p)
{
	open_tag(u, tag);
	open_tag(u, "cac:Party");
	/* an e-mail address is no Peppol address (scheme EM is not in the
	 * EAS list): without peppol_id or a VAT id to derive one from, the
	 * party has none, and issuing says so */
	if (p->endpoint.scheme[0]) {
		char attr[32];
		snprintf(attr, sizeof(attr), "schemeID=\"%s\"", p->endpoint.scheme);
		leaf(u, "cbc:EndpointID", attr, p->endpoint.id);
	}
	if (p->party_id) {
		open_tag(u, "cac:PartyIdentification");
		scheme_leaf(u, "cbc:ID", p->party_id);
		close_tag(u, "cac:PartyIdentification");
	}
	open_tag(u, "cac:PartyName");
	leaf(u, "cbc:Name", NULL, p->name);
	close_tag(u, "cac:PartyName");
	address(u, "cac:PostalAddress", p);
	if (p->vat_id) {
		open_tag(u, "cac:PartyTaxScheme");
		leaf(u, "cbc:CompanyID", NULL, p->vat_id);
		open_tag(u, "cac:TaxScheme");
		leaf(u, "cbc:ID", NULL, "VAT");
		close_tag(u, "cac:TaxScheme");
		close_tag(u, "cac:PartyTaxScheme");
	}
	open_tag(u, "cac:PartyLegalEntity");
	leaf(u, "cbc:RegistrationName", NULL, p->name);
	scheme_leaf(u, "cbc:CompanyID", p->company_id);
	close_tag(u, "cac:PartyLegalEntity");
	if (p->email || p->contact || p->phone) {
		open_tag(u, "cac:Contact");
		leaf(u, "cbc:Name", NULL, p->contact);
		leaf(u, "cbc:Telephone", NULL, p->phone);
		leaf(u, "cbc:ElectronicMail", NULL, p->email);
		close_tag(u, "cac:Contact");
	}
	close_tag(u, "cac:Party");
	close_tag(u, tag);
}

static void allowance_charge(struct ubl *u, const struct crm_invoice_doc_adj *a)
{
	const struct crm_invoice_adjustment *adj = a->adj;
	open_tag(u, "cac:AllowanceCharge");
	leaf(u, "cbc:ChargeIndicator", NULL, adj->is_charge ? "true" : "false");
	leaf(u, "cbc:AllowanceChargeReason", NULL,
	     a->reason ? a->reason : adj->is_charge ? "Charge" : "Discount");
	if (adj->is_percent)
		number(u, "cbc:MultiplierFactorNumeric", NULL, adj->percent);
	amount(u, "cbc:Amount", a->amount);
	if (adj->is_percent)
		amount(u, "cbc:BaseAmount", a->base);
	tax_category(u, "cac:TaxCategory", adj->category ? adj->category : "S", adj->rate, NULL);
	close_tag(u, "cac:AllowanceCharge");
}

static void line_allowance(struct ubl *u, bool charge, crm_dec v)
{
	if (crm_dec_is_zero(v))
		return;
	open_tag(u, "cac:AllowanceCharge");
	leaf(u, "cbc:ChargeIndicator", NULL, charge ? "true" : "false");
	leaf(u, "cbc:AllowanceChargeReason", NULL, charge ? "Charge" : "Discount");
	amount(u, "cbc:Amount", v);
	close_tag(u, "cac:AllowanceCharge");
}

static void invoice_line(struct ubl *u, size_t i)
{
	const struct crm_invoice_doc *d = u->d;
	const struct crm_invoice_doc_line *l = &d->lines[i];
	const char *code = unit_code(l->unit);
	char id[24], attr[40];
	crm_dec per = crm_dec_is_zero(l->line->per) ? crm_dec_from_int(1) : l->line->per;
	crm_dec price = l->line->unit_price, qty = sign(u, l->line->quantity);

	/* a negative price is not allowed (BR-27): the sign moves to the
	 * quantity */
	if (crm_dec_cmp(price, crm_dec_from_int(0)) < 0) {
		price = crm_dec_neg(price);
		qty = crm_dec_neg(qty);
	}
	snprintf(id, sizeof(id), "%zu", i + 1);
	snprintf(attr, sizeof(attr), "unitCode=\"%s\"", code);
	open_tag(u, d->credit_note ? "cac:CreditNoteLine" : "cac:InvoiceLine");
	leaf(u, "cbc:ID", NULL, id);
	number(u, d->credit_note ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", attr, qty);
	amount(u, "cbc:LineExtensionAmount", l->line->net);
	line_allowance(u, false, l->allowance);
	line_allowance(u, true, l->charge);
	open_tag(u, "cac:Item");
	leaf(u, "cbc:Name", NULL, *l->description ? l->description : "-");
	tax_category(u, "cac:ClassifiedTaxCategory", l->line->category ? l->line->category : "S",
		     l->line->rate, NULL);
	close_tag(u, "cac:Item");
	open_tag(u, "cac:Price");
	{
		char p[48];
		crm_dec_format_trim(p, sizeof(p), price);
		/* at least the currency's digits: 450.00, not 450 */
		if (crm_dec_cmp(price, crm_dec_from_int(0)) >= 0 && price.scale < d->exponent)
			crm_invoice_doc_amount(p, sizeof(p), d, price);
		snprintf(attr, sizeof(attr), "currencyID=\"%s\"", d->currency);
		leaf(u, "cbc:PriceAmount", attr, p);
	}
	snprintf(attr, sizeof(attr), "unitCode=\"%s\"", code);
	if (crm_dec_cmp(per, crm_dec_from_int(1)))
		number(u, "cbc:BaseQuantity", attr, per);
	close_tag(u, "cac:Price");
	close_tag(u, d->credit_note ? "cac:CreditNoteLine" : "cac:InvoiceLine");
}

static void header(struct ubl *u, const char *issue_date)
{
	const struct crm_invoice_doc *d = u->d;
	leaf(u, "cbc:CustomizationID", NULL, customization);
	leaf(u, "cbc:ProfileID", NULL, profile);
	leaf(u, "cbc:ID", NULL, d->number ? d->number : d->id);
	leaf(u, "cbc:IssueDate", NULL, issue_date);
	if (!d->credit_note)
		leaf(u, "cbc:DueDate", NULL, d->due_date);
	leaf(u, d->credit_note ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", NULL,
	     d->credit_note ? "381" : "380");
	leaf(u, "cbc:Note", NULL, d->notes);
	leaf(u, "cbc:DocumentCurrencyCode", NULL, d->currency);
	if (d->tax_currency[0])
		leaf(u, "cbc:TaxCurrencyCode", NULL, d->tax_currency);   /* BT-6 */
	/* Peppol wants a buyer reference or an order reference (R003) */
	leaf(u, "cbc:BuyerReference", NULL, d->po_number ? d->po_number : d->buyer.id);
	if (d->po_number) {
		open_tag(u, "cac:OrderReference");
		leaf(u, "cbc:ID", NULL, d->po_number);
		close_tag(u, "cac:OrderReference");
	}
	if (d->corrects) {
		open_tag(u, "cac:BillingReference");
		open_tag(u, "cac:InvoiceDocumentReference");
		leaf(u, "cbc:ID", NULL, d->corrects);
		leaf(u, "cbc:IssueDate", NULL, d->corrects_date);
		close_tag(u, "cac:InvoiceDocumentReference");
		close_tag(u, "cac:BillingReference");
	}
}

/* The deliver-to party and place (BG-13, BT-70, BG-15). */
static void delivery(struct ubl *u)
{
	const struct crm_party *c = &u->d->consignee;
	if (!c->name)
		return;
	open_tag(u, "cac:Delivery");
	open_tag(u, "cac:DeliveryLocation");
	address(u, "cac:Address", c);
	close_tag(u, "cac:DeliveryLocation");
	open_tag(u, "cac:DeliveryParty");
	open_tag(u, "cac:PartyName");
	leaf(u, "cbc:Name", NULL, c->name);
	close_tag(u, "cac:PartyName");
	close_tag(u, "cac:DeliveryParty");
	close_tag(u, "cac:Delivery");
}

static void payment(struct ubl *u)
{
	const struct crm_invoice_doc *d = u->d;
	bool due_here = d->credit_note && d->due_date;
	/* payment instructions whenever something is to be paid: some
	 * countries' rules require them (DE-R-001, NL-R-007) */
	bool owed = !d->credit_note && crm_dec_cmp(d->totals.due_total, crm_dec_from_int(0)) > 0;
	if (d->seller.iban || due_here || owed) {
		open_tag(u, "cac:PaymentMeans");
		/* 58 SEPA credit transfer when paid to an IBAN, else 1 (not defined) */
		leaf(u, "cbc:PaymentMeansCode", NULL, d->seller.iban ? "58" : "1");
		if (due_here)
			leaf(u, "cbc:PaymentDueDate", NULL, d->due_date);
		leaf(u, "cbc:PaymentID", NULL, d->number ? d->number : d->id);
		if (d->seller.iban) {
			open_tag(u, "cac:PayeeFinancialAccount");
			leaf(u, "cbc:ID", NULL, d->seller.iban);
			close_tag(u, "cac:PayeeFinancialAccount");
		}
		close_tag(u, "cac:PaymentMeans");
	}
	if (d->terms) {
		open_tag(u, "cac:PaymentTerms");
		leaf(u, "cbc:Note", NULL, d->terms);
		close_tag(u, "cac:PaymentTerms");
	}
}

int crm_invoice_export_ubl(struct crm_buf *out, const struct crm_invoice_doc *d)
{
	const struct crm_invoice_totals *t = &d->totals;
	const char *root = d->credit_note ? "CreditNote" : "Invoice";
	struct ubl u = { out, d, false, 1 };
	size_t i;

	if (!d->issue_date)
		return crm_error_set(CRM_EINVALID, "%s has no issue date (`date`): a UBL invoice "
				     "needs one", d->id);
	if (!d->nlines)
		return crm_error_set(CRM_EINVALID, "%s has no lines: a UBL invoice needs one", d->id);
	if (!d->seller.name || !d->buyer.name)
		return crm_error_set(CRM_EINVALID, "a UBL invoice names the seller and the buyer: "
				     "set name in crm.ini's [org]");
	u.flip = d->credit_note && crm_dec_cmp(t->tax_inclusive_total, crm_dec_from_int(0)) < 0;
	crm_buf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<%s xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:%s-2\"\n"
		     "  xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:"
		     "CommonAggregateComponents-2\"\n"
		     "  xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:"
		     "CommonBasicComponents-2\">\n", root, root);
	header(&u, d->issue_date);
	party(&u, "cac:AccountingSupplierParty", &d->seller);
	party(&u, "cac:AccountingCustomerParty", &d->buyer);
	delivery(&u);
	payment(&u);
	for (i = 0; i < d->nadjs; i++)
		allowance_charge(&u, &d->adjs[i]);
	open_tag(&u, "cac:TaxTotal");
	amount(&u, "cbc:TaxAmount", t->tax_total);
	for (i = 0; i < t->nrows; i++) {
		open_tag(&u, "cac:TaxSubtotal");
		amount(&u, "cbc:TaxableAmount", t->rows[i].taxable);
		amount(&u, "cbc:TaxAmount", t->rows[i].tax);
		tax_category(&u, "cac:TaxCategory", t->rows[i].category, t->rows[i].rate,
			     exemption_of(d, i));
		close_tag(&u, "cac:TaxSubtotal");
	}
	close_tag(&u, "cac:TaxTotal");
	if (d->tax_currency[0]) {
		/* BT-111: the VAT total in the accounting currency, no subtotals */
		char a[64], attr[32];
		crm_money_format_dec(a, sizeof(a), sign(&u, d->tax_total_in_tax_currency),
				     d->tax_currency);
		snprintf(attr, sizeof(attr), "currencyID=\"%s\"", d->tax_currency);
		open_tag(&u, "cac:TaxTotal");
		leaf(&u, "cbc:TaxAmount", attr, a);
		close_tag(&u, "cac:TaxTotal");
	}
	open_tag(&u, "cac:LegalMonetaryTotal");
	amount(&u, "cbc:LineExtensionAmount", t->line_total);
	amount(&u, "cbc:TaxExclusiveAmount", t->tax_exclusive_total);
	amount(&u, "cbc:TaxInclusiveAmount", t->tax_inclusive_total);
	amount(&u, "cbc:AllowanceTotalAmount", t->allowance_total);
	amount(&u, "cbc:ChargeTotalAmount", t->charge_total);
	amount(&u, "cbc:PrepaidAmount", t->paid_total);
	if (!crm_dec_is_zero(t->rounding))
		amount(&u, "cbc:PayableRoundingAmount", t->rounding);
	amount(&u, "cbc:PayableAmount", t->due_total);
	close_tag(&u, "cac:LegalMonetaryTotal");
	for (i = 0; i < d->nlines; i++)
		invoice_line(&u, i);
	crm_buf_addf(out, "</%s>\n", root);
	return out->len >= CRM_BUF_MAX ? crm_error_set(CRM_EOVERFLOW, "invoice too large") : 0;
}
