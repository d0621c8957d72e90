/* One invoice as a document: the model gathered from the invoice record,
 * its client, its products and crm.ini, the labels of its language, and
 * the text and HTML writers (the PDF and UBL writers have files of their
 * own, invoice_pdf.c and invoice_ubl.c).  The text and HTML writers share
 * the labels and the model's formatting helpers (L, text, rate_text,
 * vat_label, adj_label) and the label tables of six languages, hence one
 * file of some 1 000 lines.
 * NEEDSWORK: move those helpers behind a private header and give each
 * writer a file, as the PDF and UBL ones have. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/beneath.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice_render.h"
#include "crm/locale_format.h"
#include "crm/table.h"
#include "crm/str.h"
#include "crm/utf8.h"

/* A logo larger than this is a mistake (a photo), not a letterhead. */
#define LOGO_MAX_BYTES ((size_t)4 << 20)

struct labels {
	const char *lang;
	const char *text[CRM_L_COUNT];
};

static const struct labels label_tables[] = {
	{ "en", {
		[CRM_L_INVOICE] = "Invoice", [CRM_L_CREDIT_NOTE] = "Credit note",
		[CRM_L_DRAFT] = "draft", [CRM_L_NUMBER] = "Number",
		[CRM_L_ISSUE_DATE] = "Issue date", [CRM_L_DUE_DATE] = "Due date",
		[CRM_L_PO_NUMBER] = "PO number", [CRM_L_CORRECTS] = "Corrects invoice",
		[CRM_L_SELLER] = "Seller", [CRM_L_BUYER] = "Buyer", [CRM_L_VAT_ID] = "VAT ID",
		[CRM_L_EMAIL] = "Email", [CRM_L_IBAN] = "IBAN",
		[CRM_L_DESCRIPTION] = "Description", [CRM_L_QUANTITY] = "Quantity",
		[CRM_L_UNIT] = "Unit", [CRM_L_UNIT_PRICE] = "Unit price",
		[CRM_L_VAT_RATE] = "VAT", [CRM_L_NET] = "Net",
		[CRM_L_LINE_TOTAL] = "Sum of lines", [CRM_L_ALLOWANCE] = "Allowance",
		[CRM_L_CHARGE] = "Charge", [CRM_L_TAX_EXCLUSIVE] = "Total without VAT",
		[CRM_L_VAT] = "VAT", [CRM_L_TAXABLE] = "on", [CRM_L_TAX_TOTAL] = "Total VAT",
		[CRM_L_TOTAL] = "Total", [CRM_L_PAID] = "Paid",
		[CRM_L_AMOUNT_DUE] = "Amount due", [CRM_L_TERMS] = "Terms",
		[CRM_L_NOTES] = "Notes", [CRM_L_PAGE] = "Page", [CRM_L_CURRENCY] = "Currency",
		[CRM_L_DELIVER_TO] = "Deliver to", [CRM_L_VAT_IN] = "VAT in",
		[CRM_L_EXCHANGE_RATE] = "Exchange rate",
	} },
	{ "pl", {
		[CRM_L_INVOICE] = "Faktura", [CRM_L_CREDIT_NOTE] = "Faktura korygująca",
		[CRM_L_DRAFT] = "projekt", [CRM_L_NUMBER] = "Numer",
		[CRM_L_ISSUE_DATE] = "Data wystawienia", [CRM_L_DUE_DATE] = "Termin płatności",
		[CRM_L_PO_NUMBER] = "Numer zamówienia", [CRM_L_CORRECTS] = "Korekta faktury",
		[CRM_L_SELLER] = "Sprzedawca", [CRM_L_BUYER] = "Nabywca", [CRM_L_VAT_ID] = "Nr VAT",
		[CRM_L_EMAIL] = "E-mail", [CRM_L_IBAN] = "IBAN",
		[CRM_L_DESCRIPTION] = "Nazwa towaru lub usługi", [CRM_L_QUANTITY] = "Ilość",
		[CRM_L_UNIT] = "J.m.", [CRM_L_UNIT_PRICE] = "Cena jedn. netto",
		[CRM_L_VAT_RATE] = "Stawka VAT", [CRM_L_NET] = "Wartość netto",
		[CRM_L_LINE_TOTAL] = "Suma pozycji", [CRM_L_ALLOWANCE] = "Rabat",
		[CRM_L_CHARGE] = "Opłata dodatkowa", [CRM_L_TAX_EXCLUSIVE] = "Razem netto",
		[CRM_L_VAT] = "VAT", [CRM_L_TAXABLE] = "od", [CRM_L_TAX_TOTAL] = "Razem VAT",
		[CRM_L_TOTAL] = "Razem brutto", [CRM_L_PAID] = "Zapłacono",
		[CRM_L_AMOUNT_DUE] = "Do zapłaty", [CRM_L_TERMS] = "Warunki płatności",
		[CRM_L_NOTES] = "Uwagi", [CRM_L_PAGE] = "Strona", [CRM_L_CURRENCY] = "Waluta",
		[CRM_L_DELIVER_TO] = "Miejsce dostawy", [CRM_L_VAT_IN] = "VAT w",
		[CRM_L_EXCHANGE_RATE] = "Kurs wymiany",
	} },
	{ "zh", {
		[CRM_L_INVOICE] = "发票", [CRM_L_CREDIT_NOTE] = "贷项通知单",
		[CRM_L_DRAFT] = "草稿", [CRM_L_NUMBER] = "编号",
		[CRM_L_ISSUE_DATE] = "开票日期", [CRM_L_DUE_DATE] = "付款到期日",
		[CRM_L_PO_NUMBER] = "订单号", [CRM_L_CORRECTS] = "更正发票",
		[CRM_L_SELLER] = "销售方", [CRM_L_BUYER] = "购买方", [CRM_L_VAT_ID] = "增值税号",
		[CRM_L_EMAIL] = "电子邮件", [CRM_L_IBAN] = "IBAN",
		[CRM_L_DESCRIPTION] = "项目名称", [CRM_L_QUANTITY] = "数量",
		[CRM_L_UNIT] = "单位", [CRM_L_UNIT_PRICE] = "单价",
		[CRM_L_VAT_RATE] = "税率", [CRM_L_NET] = "金额",
		[CRM_L_LINE_TOTAL] = "明细合计", [CRM_L_ALLOWANCE] = "折让",
		[CRM_L_CHARGE] = "附加费用", [CRM_L_TAX_EXCLUSIVE] = "不含税合计",
		[CRM_L_VAT] = "增值税", [CRM_L_TAXABLE] = "计税金额", [CRM_L_TAX_TOTAL] = "税额合计",
		[CRM_L_TOTAL] = "价税合计", [CRM_L_PAID] = "已付",
		[CRM_L_AMOUNT_DUE] = "应付金额", [CRM_L_TERMS] = "付款条件",
		[CRM_L_NOTES] = "备注", [CRM_L_PAGE] = "页", [CRM_L_CURRENCY] = "币种",
		[CRM_L_DELIVER_TO] = "收货方", [CRM_L_VAT_IN] = "增值税折合",
		[CRM_L_EXCHANGE_RATE] = "汇率",
	} },
	{ "de", {
		[CRM_L_INVOICE] = "Rechnung", [CRM_L_CREDIT_NOTE] = "Rechnungskorrektur",
		[CRM_L_DRAFT] = "Entwurf", [CRM_L_NUMBER] = "Nummer",
		[CRM_L_ISSUE_DATE] = "Rechnungsdatum", [CRM_L_DUE_DATE] = "Fällig am",
		[CRM_L_PO_NUMBER] = "Bestellnummer", [CRM_L_CORRECTS] = "Korrigiert Rechnung",
		[CRM_L_SELLER] = "Verkäufer", [CRM_L_BUYER] = "Käufer",
		[CRM_L_VAT_ID] = "USt-IdNr.", [CRM_L_EMAIL] = "E-Mail", [CRM_L_IBAN] = "IBAN",
		[CRM_L_DESCRIPTION] = "Beschreibung", [CRM_L_QUANTITY] = "Menge",
		[CRM_L_UNIT] = "Einheit", [CRM_L_UNIT_PRICE] = "Einzelpreis",
		[CRM_L_VAT_RATE] = "USt.-Satz", [CRM_L_NET] = "Netto",
		[CRM_L_LINE_TOTAL] = "Summe der Positionen", [CRM_L_ALLOWANCE] = "Nachlass",
		[CRM_L_CHARGE] = "Zuschlag", [CRM_L_TAX_EXCLUSIVE] = "Gesamt netto",
		[CRM_L_VAT] = "USt.", [CRM_L_TAXABLE] = "auf",
		[CRM_L_TAX_TOTAL] = "USt. gesamt", [CRM_L_TOTAL] = "Gesamt brutto",
		[CRM_L_PAID] = "Bezahlt", [CRM_L_AMOUNT_DUE] = "Zu zahlen",
		[CRM_L_TERMS] = "Zahlungsbedingungen", [CRM_L_NOTES] = "Anmerkungen",
		[CRM_L_PAGE] = "Seite", [CRM_L_CURRENCY] = "Währung",
		[CRM_L_DELIVER_TO] = "Lieferanschrift", [CRM_L_VAT_IN] = "USt. in",
		[CRM_L_EXCHANGE_RATE] = "Wechselkurs",
	} },
	{ "fr", {
		[CRM_L_INVOICE] = "Facture", [CRM_L_CREDIT_NOTE] = "Avoir",
		[CRM_L_DRAFT] = "brouillon", [CRM_L_NUMBER] = "Numéro",
		[CRM_L_ISSUE_DATE] = "Date d’émission", [CRM_L_DUE_DATE] = "Date d’échéance",
		[CRM_L_PO_NUMBER] = "N° de commande", [CRM_L_CORRECTS] = "Corrige la facture",
		[CRM_L_SELLER] = "Vendeur", [CRM_L_BUYER] = "Acheteur",
		[CRM_L_VAT_ID] = "N° TVA", [CRM_L_EMAIL] = "E-mail", [CRM_L_IBAN] = "IBAN",
		[CRM_L_DESCRIPTION] = "Désignation", [CRM_L_QUANTITY] = "Quantité",
		[CRM_L_UNIT] = "Unité", [CRM_L_UNIT_PRICE] = "Prix unitaire HT",
		[CRM_L_VAT_RATE] = "Taux TVA", [CRM_L_NET] = "Montant HT",
		[CRM_L_LINE_TOTAL] = "Total des lignes", [CRM_L_ALLOWANCE] = "Remise",
		[CRM_L_CHARGE] = "Frais", [CRM_L_TAX_EXCLUSIVE] = "Total HT",
		[CRM_L_VAT] = "TVA", [CRM_L_TAXABLE] = "sur", [CRM_L_TAX_TOTAL] = "Total TVA",
		[CRM_L_TOTAL] = "Total TTC", [CRM_L_PAID] = "Payé",
		[CRM_L_AMOUNT_DUE] = "Net à payer", [CRM_L_TERMS] = "Conditions de paiement",
		[CRM_L_NOTES] = "Remarques", [CRM_L_PAGE] = "Page",
		[CRM_L_CURRENCY] = "Devise", [CRM_L_DELIVER_TO] = "Livrer à",
		[CRM_L_VAT_IN] = "TVA en", [CRM_L_EXCHANGE_RATE] = "Taux de change",
	} },
	{ "es", {
		[CRM_L_INVOICE] = "Factura", [CRM_L_CREDIT_NOTE] = "Factura rectificativa",
		[CRM_L_DRAFT] = "borrador", [CRM_L_NUMBER] = "Número",
		[CRM_L_ISSUE_DATE] = "Fecha de emisión",
		[CRM_L_DUE_DATE] = "Fecha de vencimiento", [CRM_L_PO_NUMBER] = "N.º de pedido",
		[CRM_L_CORRECTS] = "Rectifica la factura", [CRM_L_SELLER] = "Vendedor",
		[CRM_L_BUYER] = "Comprador", [CRM_L_VAT_ID] = "NIF-IVA",
		[CRM_L_EMAIL] = "Correo electrónico", [CRM_L_IBAN] = "IBAN",
		[CRM_L_DESCRIPTION] = "Descripción", [CRM_L_QUANTITY] = "Cantidad",
		[CRM_L_UNIT] = "Unidad", [CRM_L_UNIT_PRICE] = "Precio unitario",
		[CRM_L_VAT_RATE] = "Tipo de IVA", [CRM_L_NET] = "Base imponible",
		[CRM_L_LINE_TOTAL] = "Suma de líneas", [CRM_L_ALLOWANCE] = "Descuento",
		[CRM_L_CHARGE] = "Recargo", [CRM_L_TAX_EXCLUSIVE] = "Total sin IVA",
		[CRM_L_VAT] = "IVA", [CRM_L_TAXABLE] = "sobre",
		[CRM_L_TAX_TOTAL] = "Total IVA", [CRM_L_TOTAL] = "Total",
		[CRM_L_PAID] = "Pagado", [CRM_L_AMOUNT_DUE] = "Importe a pagar",
		[CRM_L_TERMS] = "Condiciones de pago", [CRM_L_NOTES] = "Notas",
		[CRM_L_PAGE] = "Página", [CRM_L_CURRENCY] = "Moneda",
		[CRM_L_DELIVER_TO] = "Entregar a", [CRM_L_VAT_IN] = "IVA en",
		[CRM_L_EXCHANGE_RATE] = "Tipo de cambio",
	} },
};

const char *crm_invoice_label(const char *lang, enum crm_invoice_label key)
{
	size_t i;
	for (i = 0; lang && i < sizeof(label_tables) / sizeof(*label_tables); i++) {
		if (!strcmp(label_tables[i].lang, lang))
			return key < CRM_L_COUNT ? label_tables[i].text[key] : NULL;
	}
	return NULL;
}

const char *crm_invoice_languages(void)
{
	return "en, pl, zh, de, fr, es";
}

static const char *L(const struct crm_invoice_doc *d, enum crm_invoice_label key)
{
	return crm_invoice_label(d->lang, key);
}

const char *crm_invoice_doc_title(const struct crm_invoice_doc *d)
{
	return L(d, d->credit_note ? CRM_L_CREDIT_NOTE : CRM_L_INVOICE);
}

void crm_invoice_doc_amount(char *buf, size_t size, const struct crm_invoice_doc *d, crm_dec v)
{
	struct crm_money m;
	m.amount = v;
	crm_str_copy(m.currency, sizeof(m.currency), d->currency);
	if (crm_money_format_amount(buf, size, &m))
		snprintf(buf, size, "#overflow");
}

void crm_invoice_doc_amount_shown(char *buf, size_t size, const struct crm_invoice_doc *d,
				  crm_dec v)
{
	char plain[64];
	crm_invoice_doc_amount(plain, sizeof(plain), d, v);
	if (!strcmp(plain, "#overflow"))
		snprintf(buf, size, "%s", plain);
	else
		crm_locale_decimal(buf, size, d->lang, plain);
}

/* `iso` (NULL: absent) as the document's language writes a date, into
 * `out` ("" when absent). */
static void shown_date(char out[64], const struct crm_invoice_doc *d, const char *iso)
{
	out[0] = '\0';
	if (iso)
		crm_locale_date(out, 64, d->lang, iso);
}

/* What a document shows of a shown_date: NULL (nothing) when absent. */
static const char *present(const char *s)
{
	return *s ? s : NULL;
}

static const char *text(const struct crm_record *r, const char *key)
{
	const char *t = r && r->root ? crm_node_text(r->root, key) : NULL;
	return t && *t ? t : NULL;
}

/* "DE123456789" -> "DE"; Greece writes EL in VAT ids, GR in addresses. */
static const char *country_of_vat_id(char buf[3], const char *vat_id)
{
	if (!vat_id || vat_id[0] < 'A' || vat_id[0] > 'Z' || vat_id[1] < 'A' || vat_id[1] > 'Z')
		return NULL;
	if (vat_id[0] == 'E' && vat_id[1] == 'L')
		return "GR";
	buf[0] = vat_id[0];
	buf[1] = vat_id[1];
	buf[2] = '\0';
	return buf;
}

/* Whether `part` reads "POSTCODE City": a first word holding a digit
 * (10119, 90-001, 1010) and something after it. */
const char *crm_invoice_doc_vat_id_label(const struct crm_invoice_doc *d,
					const struct crm_party *p)
{
	char buf[3];
	const char *country = country_of_vat_id(buf, p->vat_id);

	if (!country)
		country = p->country;
	if (country && !strcmp(country, "PL"))
		return "NIP";
	if (country && !strcmp(country, "DE"))
		return "USt-IdNr.";
	return L(d, CRM_L_VAT_ID);
}

static bool postcode_part(const char *part, size_t len)
{
	size_t word = 0;
	bool digit = false;

	while (word < len && part[word] != ' ') {
		digit = digit || (part[word] >= '0' && part[word] <= '9');
		word++;
	}
	return digit && word + 1 < len;
}

void crm_party_split_address(struct crm_party *p, const char *city, const char *postcode)
{
	const char *a = p->address ? p->address : "", *part, *found = NULL;
	size_t found_len = 0, word;

	p->street[0] = p->city[0] = p->postcode[0] = '\0';
	if (city || postcode) {
		snprintf(p->street, sizeof(p->street), "%s", a);
		snprintf(p->city, sizeof(p->city), "%s", city ? city : "");
		snprintf(p->postcode, sizeof(p->postcode), "%s", postcode ? postcode : "");
		return;
	}
	/* the last ", "-separated part after the first that reads
	 * "POSTCODE City"; the street is everything before it */
	for (part = strstr(a, ", "); part; part = strstr(part, ", ")) {
		const char *start = part + 2, *end = strstr(start, ", ");
		size_t len = end ? (size_t)(end - start) : strlen(start);
		if (postcode_part(start, len)) {
			found = start;
			found_len = len;
		}
		part = start;
	}
	if (!found) {
		snprintf(p->street, sizeof(p->street), "%s", a);
		return;
	}
	word = strcspn(found, " ");
	snprintf(p->street, sizeof(p->street), "%.*s", (int)(found - 2 - a), a);
	snprintf(p->postcode, sizeof(p->postcode), "%.*s", (int)word, found);
	snprintf(p->city, sizeof(p->city), "%.*s", (int)(found_len - word - 1), found + word + 1);
}

static int load_logo(struct crm_invoice_doc *d, const struct crm_repo *repo, const char *logo)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	int err;

	if (logo[0] == '/' || strstr(logo, ".."))
		return crm_error_set(CRM_EINVALID, "crm.ini [org] logo '%s' must be a path inside "
				     "the data repository", logo);
	/* no link followed: one could embed any file the user can read */
	err = crm_buf_read_file_beneath(&d->logo, repo->root, logo, LOGO_MAX_BYTES);
	if (err)
		return crm_error_set(CRM_EINVALID, "crm.ini [org] logo: %s", crm_error_last());
	if (d->logo.len < sizeof(png) || memcmp(d->logo.ptr, png, sizeof(png)))
		return crm_error_set(CRM_EINVALID, "crm.ini [org] logo '%s' is not a PNG image", logo);
	return 0;
}

/* The tax of crm.ini a VAT row came from, for its name and exemption. */
static void vat_texts(struct crm_invoice_doc *d, const struct crm_config *cfg)
{
	size_t i, k;
	for (i = 0; i < d->totals.nrows; i++) {
		const struct crm_vat_row *row = &d->totals.rows[i];
		for (k = 0; k < cfg->taxes.len; k++) {
			const struct crm_tax *t = &cfg->taxes.ptr[k];
			if (!t->category || strcmp(t->category, row->category) ||
			    crm_dec_cmp(t->rate, row->rate))
				continue;
			if (!d->vat_name[i])
				d->vat_name[i] = t->name;
			if (!d->vat_exemption[i])
				d->vat_exemption[i] = t->exemption;
		}
	}
}

/* Line discounts as amounts (BT-136): quantity x price / per, rounded,
 * plus the charge, less the net, so the three add up to the cent. */
static int line_amounts(struct crm_invoice_doc_line *dl, const struct crm_invoice_line *l,
			int exponent)
{
	crm_dec prod, gross;
	int err;

	dl->allowance = dl->charge = crm_dec_from_int(0);
	err = crm_dec_round(&dl->charge, l->charge, exponent);
	if (err || l->discount_kind == CRM_DISCOUNT_NONE || l->net_given)
		return err;
	err = crm_dec_mul(&prod, l->quantity, l->unit_price);
	if (!err)
		err = crm_dec_div(&gross, prod, crm_dec_is_zero(l->per) ? crm_dec_from_int(1) : l->per,
				  exponent);
	if (!err)
		err = crm_dec_add(&gross, gross, dl->charge);
	if (!err)
		err = crm_dec_sub(&dl->allowance, gross, l->net);
	return err;
}

static int load_lines(struct crm_invoice_doc *d, struct crm_index *idx)
{
	const struct crm_invoice_parts *p = d->parts;
	size_t i;
	int err = 0;

	d->lines = calloc(p->nlines ? p->nlines : 1, sizeof(*d->lines));
	d->adjs = calloc(p->nadj ? p->nadj : 1, sizeof(*d->adjs));
	if (!d->lines || !d->adjs)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < p->nlines && !err; i++) {
		struct crm_invoice_doc_line *dl = &d->lines[d->nlines++];
		const struct crm_node *n = p->line_nodes[i];
		const char *pid = crm_node_text(n, "product");
		struct crm_record *prod = pid ? crm_index_find(idx, "product", pid) : NULL;

		dl->line = &p->lines[i];
		dl->description = crm_node_text(n, "description");
		if (!dl->description || !*dl->description)
			dl->description = text(prod, "name") ? text(prod, "name") : pid;
		if (!dl->description)
			dl->description = "";
		dl->unit = crm_node_text(n, "unit");
		if (!dl->unit || !*dl->unit)
			dl->unit = text(prod, "unit");
		err = line_amounts(dl, dl->line, d->exponent);
	}
	for (i = 0; i < p->nadj && !err; i++) {
		struct crm_invoice_doc_adj *da = &d->adjs[d->nadjs++];
		da->adj = &p->adj[i];
		da->reason = crm_node_text(p->adj_nodes[i], "reason");
		da->base = da->adj->has_base ? da->adj->base : d->totals.line_total;
		err = crm_invoice_adjustment_amount(&da->amount, da->adj, d->totals.line_total,
						    d->exponent);
	}
	return err;
}

/* The deliver-to party, when the invoice names one (`consignee`). */
static int load_consignee(struct crm_invoice_doc *d, struct crm_index *idx,
			  struct crm_record *inv)
{
	const char *id = text(inv, "consignee");
	struct crm_record *c = id ? crm_index_find(idx, "client", id) : NULL;

	if (!id)
		return 0;
	if (!c)
		return crm_error_set(CRM_EINVALID, "%s: unknown consignee '%s'", inv->path, id);
	d->consignee.id = c->id;
	d->consignee.name = text(c, "name") ? text(c, "name") : c->id;
	d->consignee.address = text(c, "address");
	d->consignee.country = text(c, "country");
	crm_party_split_address(&d->consignee, text(c, "city"), text(c, "postcode"));
	return 0;
}

static int load_parties(struct crm_invoice_doc *d, struct crm_index *idx,
			struct crm_record *inv)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	const char *cid = text(inv, "client");
	struct crm_record *client = cid ? crm_index_find(idx, "client", cid) : NULL;

	d->seller.name = cfg->org_name;
	d->seller.address = cfg->org_address;
	d->seller.vat_id = cfg->org_vat_id;
	d->seller.email = cfg->org_email;
	d->seller.iban = crm_config_get(cfg, "org", NULL, "iban");
	d->seller.country = crm_config_get(cfg, "org", NULL, "country");
	if (!d->seller.country)
		d->seller.country = country_of_vat_id(d->country_buf[0], d->seller.vat_id);
	/* a malformed peppol_id leaves no address: issuing names it */
	crm_peppol_address(&d->seller.endpoint, crm_config_get(cfg, "org", NULL, "peppol_id"),
			   d->seller.vat_id);
	d->seller.contact = crm_config_get(cfg, "org", NULL, "contact");
	d->seller.company_id = crm_config_get(cfg, "org", NULL, "company_id");
	d->seller.party_id = crm_config_get(cfg, "org", NULL, "party_id");
	d->seller.phone = crm_config_get(cfg, "org", NULL, "phone");
	crm_party_split_address(&d->seller, crm_config_get(cfg, "org", NULL, "city"),
				crm_config_get(cfg, "org", NULL, "postcode"));
	if (!cid)
		return crm_error_set(CRM_EINVALID, "%s has no client", inv->path);
	if (!client)
		return crm_error_set(CRM_EINVALID, "%s: unknown client '%s'", inv->path, cid);
	d->buyer.id = client->id;
	d->buyer.name = text(client, "name") ? text(client, "name") : client->id;
	d->buyer.address = text(client, "address");
	d->buyer.vat_id = text(client, "vat_id");
	d->buyer.email = text(client, "email");
	d->buyer.country = text(client, "country");
	if (!d->buyer.country)
		d->buyer.country = country_of_vat_id(d->country_buf[1], d->buyer.vat_id);
	crm_peppol_address(&d->buyer.endpoint, text(client, "peppol_id"), d->buyer.vat_id);
	crm_party_split_address(&d->buyer, text(client, "city"), text(client, "postcode"));
	d->buyer.company_id = text(client, "company_id");
	d->buyer.party_id = text(client, "party_id");
	return load_consignee(d, idx, inv);
}

/* VAT in the repository's currency when the invoice is in another: at the
 * invoice's `rate` (1 unit of the invoice's currency in the repository's),
 * else crm.ini's [rate], rounded once to the minor unit. */
static int load_tax_currency(struct crm_invoice_doc *d, struct crm_index *idx,
			     struct crm_record *inv)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	const char *given = text(inv, "rate");
	const struct crm_rate *r;
	int exponent;

	if (!cfg->currency || !strcmp(cfg->currency, d->currency))
		return 0;
	if (given) {
		if (crm_dec_parse(&d->exchange_rate, given, strlen(given)) ||
		    d->exchange_rate.units <= 0)
			return crm_error_set(CRM_EINVALID, "%s: rate '%s' must be a number above 0",
					     inv->path, given);
	} else if ((r = crm_config_rate(cfg, d->currency))) {
		d->exchange_rate = r->value;
	} else {
		return 0;   /* no rate known: the VAT is stated in the invoice's currency only */
	}
	exponent = crm_currency_exponent(cfg->currency);
	snprintf(d->tax_currency, sizeof(d->tax_currency), "%s", cfg->currency);
	return crm_dec_mul_round(&d->tax_total_in_tax_currency, d->totals.tax_total,
				 d->exchange_rate, exponent < 0 ? 2 : exponent);
}

int crm_invoice_doc_load(struct crm_invoice_doc *out, struct crm_index *idx,
			 struct crm_record *inv, const char *lang)
{
	const struct crm_repo *repo = crm_index_repo(idx);
	const char *type = text(inv, "type"), *corrects = text(inv, "corrects");
	int err = 0;

	memset(out, 0, sizeof(*out));
	crm_buf_init(&out->logo);
	out->id = inv->id;
	out->number = text(inv, "number");
	out->credit_note = type && !strcmp(type, "credit-note");
	out->lang = lang ? lang : text(inv, "language") ? text(inv, "language") : "en";
	if (!crm_invoice_label(out->lang, CRM_L_INVOICE)) {
		err = crm_error_set(CRM_EINVALID, "no labels for language '%s' (have %s)", out->lang,
				    crm_invoice_languages());
		goto done;
	}
	out->issue_date = text(inv, "date");
	out->due_date = text(inv, "due");
	shown_date(out->issue_date_shown, out, out->issue_date);
	shown_date(out->due_date_shown, out, out->due_date);
	out->po_number = text(inv, "po_number");
	out->terms = text(inv, "terms");
	out->notes = text(inv, "notes");
	if (corrects) {
		struct crm_record *c = crm_index_find(idx, "invoice", corrects);
		out->corrects = c && text(c, "number") ? text(c, "number") : corrects;
		out->corrects_date = text(c, "date");
	}
	if (!inv->root) {
		err = crm_error_set(CRM_EINVALID, "%s does not parse (see crm check)", inv->path);
		goto done;
	}
	out->parts = malloc(sizeof(*out->parts));
	if (!out->parts) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	err = crm_invoice_of_record_parts(&out->totals, out->currency, out->parts, idx, inv);
	if (err) {
		err = crm_error_set(CRM_EINVALID, "%s: %s", inv->path, crm_error_last());
		goto done;
	}
	out->exponent = crm_currency_exponent(out->currency);
	if (out->exponent < 0)
		out->exponent = 2;
	err = load_lines(out, idx);
	if (!err)
		err = load_parties(out, idx, inv);
	if (!err)
		err = load_tax_currency(out, idx, inv);
	if (!err)
		vat_texts(out, &repo->config);
	if (!err && repo->config.org_logo && *repo->config.org_logo)
		err = load_logo(out, repo, repo->config.org_logo);
done:
	if (err)
		crm_invoice_doc_release(out);
	return err;
}

bool crm_invoice_doc_tax_currency_row(struct crm_buf *label, char *amount, size_t size,
				      const struct crm_invoice_doc *d)
{
	char rate[48];

	if (!d->tax_currency[0])
		return false;
	crm_dec_format_trim(rate, sizeof(rate), d->exchange_rate);
	crm_buf_addf(label, "%s %s (%s %s)", L(d, CRM_L_VAT_IN), d->tax_currency,
		     L(d, CRM_L_EXCHANGE_RATE), rate);
	crm_money_format_dec(amount, size, d->tax_total_in_tax_currency, d->tax_currency);
	snprintf(amount + strlen(amount), size - strlen(amount), " %s", d->tax_currency);
	return true;
}

void crm_invoice_doc_release(struct crm_invoice_doc *d)
{
	free(d->lines);
	free(d->adjs);
	free(d->parts);
	crm_buf_release(&d->logo);
	d->lines = NULL;
	d->adjs = NULL;
	d->parts = NULL;
	d->nlines = d->nadjs = 0;
}

/* ---- text ---- */

/* "Label: value" lines with the values aligned. */
struct kv {
	const char *label, *value;
};

static void add_kv_block(struct crm_buf *out, const struct kv *kv, size_t n)
{
	size_t i, w = 0;
	for (i = 0; i < n; i++) {
		if (kv[i].value && crm_utf8_width(kv[i].label) > w)
			w = crm_utf8_width(kv[i].label);
	}
	for (i = 0; i < n; i++) {
		if (!kv[i].value)
			continue;
		const char *v = kv[i].value, *nl;
		crm_utf8_pad(out, kv[i].label, w, false);
		crm_buf_adds(out, "  ");
		/* a block scalar's later lines stay in the value column */
		for (nl = strchr(v, '\n'); nl && nl[1]; nl = strchr(v, '\n')) {
			crm_buf_add(out, v, (size_t)(nl - v) + 1);
			crm_buf_addchars(out, ' ', w + 2);
			v = nl + 1;
		}
		crm_buf_add(out, v, nl ? (size_t)(nl - v) : strlen(v));
		crm_buf_addch(out, '\n');
	}
}

/* The lines of one party, for the side-by-side seller and buyer block. */
static size_t party_lines(const char **lines, struct crm_buf *tmp,
			  const struct crm_invoice_doc *d, const struct crm_party *p,
			  enum crm_invoice_label heading)
{
	size_t n = 0;
	lines[n++] = L(d, heading);
	lines[n++] = p->name ? p->name : "";
	if (p->address)
		lines[n++] = p->address;
	if (p->vat_id) {
		crm_buf_addf(tmp, "%s: %s", crm_invoice_doc_vat_id_label(d, p), p->vat_id);
		lines[n++] = tmp->ptr;
	}
	if (p->email)
		lines[n++] = p->email;
	return n;
}

static void add_parties(struct crm_buf *out, const struct crm_invoice_doc *d)
{
	struct crm_buf sv = CRM_BUF_INIT, bv = CRM_BUF_INIT;
	const char *left[8], *right[8];
	size_t nl, nr, i, w = 0;

	nl = party_lines(left, &sv, d, &d->seller, CRM_L_SELLER);
	nr = party_lines(right, &bv, d, &d->buyer, CRM_L_BUYER);
	for (i = 0; i < nl; i++) {
		if (crm_utf8_width(left[i]) > w)
			w = crm_utf8_width(left[i]);
	}
	for (i = 0; i < nl || i < nr; i++) {
		crm_utf8_pad(out, i < nl ? left[i] : "", w + 4, false);
		if (i < nr)
			crm_buf_adds(out, right[i]);
		while (out->len && out->ptr[out->len - 1] == ' ')
			crm_buf_truncate(out, out->len - 1);
		crm_buf_addch(out, '\n');
	}
	crm_buf_release(&sv);
	crm_buf_release(&bv);
}

static void rate_text(char *buf, size_t size, crm_dec rate)
{
	char r[32];
	crm_dec_format_trim(r, sizeof(r), rate);
	snprintf(buf, size, "%s%%", r);
}

static int add_line_table(struct crm_buf *out, const struct crm_invoice_doc *d, size_t *width)
{
	const char *headers[] = { "#", L(d, CRM_L_DESCRIPTION), L(d, CRM_L_QUANTITY),
				  L(d, CRM_L_UNIT), L(d, CRM_L_UNIT_PRICE), L(d, CRM_L_VAT_RATE),
				  L(d, CRM_L_NET) };
	struct crm_table t;
	char *mem = NULL;
	size_t memlen = 0, i;
	FILE *f;
	int err = crm_table_init(&t, 7, headers);

	if (err)
		return err;
	for (i = 0; i < 7; i++)
		crm_table_align_right(&t, i, i == 0 || i == 2 || i >= 4);
	for (i = 0; i < d->nlines && !err; i++) {
		const struct crm_invoice_doc_line *l = &d->lines[i];
		char no[24], q[48], price[64], rate[40], net[64];
		snprintf(no, sizeof(no), "%zu", i + 1);
		crm_dec_format_trim(q, sizeof(q), l->line->quantity);
		crm_invoice_doc_amount_shown(price, sizeof(price), d, l->line->unit_price);
		rate_text(rate, sizeof(rate), l->line->rate);
		crm_invoice_doc_amount_shown(net, sizeof(net), d, l->line->net);
		err = crm_table_add(&t, no);
		if (!err)
			err = crm_table_add(&t, l->description);
		if (!err)
			err = crm_table_add(&t, q);
		if (!err)
			err = crm_table_add(&t, l->unit ? l->unit : "");
		if (!err)
			err = crm_table_add(&t, price);
		if (!err)
			err = crm_table_add(&t, rate);
		if (!err)
			err = crm_table_add(&t, net);
	}
	f = err ? NULL : open_memstream(&mem, &memlen);
	if (!err && !f)
		err = crm_error_errno(CRM_ENOMEM, "cannot open a memory stream");
	if (!err)
		err = crm_table_print(f, &t, 0, false);
	if (f && fclose(f) && !err)
		err = crm_error_errno(CRM_EIO, "cannot write the table");
	if (!err) {
		const char *nl = strchr(mem, '\n');
		struct crm_buf first = CRM_BUF_INIT;
		crm_buf_add(&first, mem, nl ? (size_t)(nl - mem) : strlen(mem));
		*width = crm_utf8_width(first.ptr);
		crm_buf_release(&first);
		err = crm_buf_add(out, mem, memlen);
	}
	free(mem);
	crm_table_release(&t);
	return err;
}

/* One row of the totals, its amount ending under the table's last column
 * (the currency code, when shown, goes past it). */
static void add_total(struct crm_buf *out, const struct crm_invoice_doc *d, size_t width,
		      const char *label, crm_dec v, bool with_currency)
{
	char a[64];
	size_t used;
	crm_invoice_doc_amount_shown(a, sizeof(a), d, v);
	used = crm_utf8_width(label) + 2 + crm_utf8_width(a);
	if (used < width)
		crm_buf_addchars(out, ' ', width - used);
	crm_buf_addf(out, "%s  %s%s%s\n", label, a, with_currency ? " " : "",
		     with_currency ? d->currency : "");
}

static void vat_label(struct crm_buf *b, const struct crm_invoice_doc *d, size_t i)
{
	char rate[40], base[64];
	const struct crm_vat_row *row = &d->totals.rows[i];
	rate_text(rate, sizeof(rate), row->rate);
	crm_invoice_doc_amount_shown(base, sizeof(base), d, row->taxable);
	crm_buf_addf(b, "%s %s (%s) %s %s", L(d, CRM_L_VAT), rate, row->category,
		     L(d, CRM_L_TAXABLE), base);
}

static void adj_label(struct crm_buf *b, const struct crm_invoice_doc *d,
		      const struct crm_invoice_doc_adj *a)
{
	crm_buf_adds(b, L(d, a->adj->is_charge ? CRM_L_CHARGE : CRM_L_ALLOWANCE));
	if (a->reason && *a->reason)
		crm_buf_addf(b, ": %s", a->reason);
	if (a->adj->is_percent) {
		char r[40];
		rate_text(r, sizeof(r), a->adj->percent);
		crm_buf_addf(b, " (%s)", r);
	}
}

int crm_invoice_render_txt(struct crm_buf *out, const struct crm_invoice_doc *d)
{
	struct crm_buf title = CRM_BUF_INIT, lbl = CRM_BUF_INIT;
	const struct crm_invoice_totals *t = &d->totals;
	struct kv head[5];
	size_t width = 0, i;
	int err;

	crm_buf_addf(&title, "%s %s", crm_invoice_doc_title(d), d->number ? d->number : d->id);
	if (!d->number)
		crm_buf_addf(&title, " (%s)", L(d, CRM_L_DRAFT));
	crm_buf_addf(out, "%s\n", title.ptr);
	crm_buf_addchars(out, '=', crm_utf8_width(title.ptr));
	crm_buf_adds(out, "\n\n");
	head[0] = (struct kv){ L(d, CRM_L_ISSUE_DATE), present(d->issue_date_shown) };
	head[1] = (struct kv){ L(d, CRM_L_DUE_DATE), present(d->due_date_shown) };
	head[2] = (struct kv){ L(d, CRM_L_PO_NUMBER), d->po_number };
	head[3] = (struct kv){ L(d, CRM_L_CORRECTS), d->corrects };
	head[4] = (struct kv){ L(d, CRM_L_CURRENCY), d->currency };
	add_kv_block(out, head, 5);
	crm_buf_addch(out, '\n');
	add_parties(out, d);
	crm_buf_addch(out, '\n');
	if (d->consignee.name) {
		struct crm_buf cv = CRM_BUF_INIT;
		const char *lines[8];
		size_t k, nc = party_lines(lines, &cv, d, &d->consignee, CRM_L_DELIVER_TO);
		for (k = 0; k < nc; k++)
			crm_buf_addf(out, "%s\n", lines[k]);
		crm_buf_addch(out, '\n');
		crm_buf_release(&cv);
	}
	err = add_line_table(out, d, &width);
	if (err)
		goto done;
	crm_buf_addch(out, '\n');
	add_total(out, d, width, L(d, CRM_L_LINE_TOTAL), t->line_total, false);
	for (i = 0; i < d->nadjs; i++) {
		crm_buf_reset(&lbl);
		adj_label(&lbl, d, &d->adjs[i]);
		add_total(out, d, width, lbl.ptr,
			  d->adjs[i].adj->is_charge ? d->adjs[i].amount : crm_dec_neg(d->adjs[i].amount),
			  false);
	}
	add_total(out, d, width, L(d, CRM_L_TAX_EXCLUSIVE), t->tax_exclusive_total, true);
	for (i = 0; i < t->nrows; i++) {
		crm_buf_reset(&lbl);
		vat_label(&lbl, d, i);
		add_total(out, d, width, lbl.ptr, t->rows[i].tax, false);
	}
	add_total(out, d, width, L(d, CRM_L_TAX_TOTAL), t->tax_total, true);
	crm_buf_reset(&lbl);
	{
		char a[80];
		if (crm_invoice_doc_tax_currency_row(&lbl, a, sizeof(a), d)) {
			size_t used = crm_utf8_width(lbl.ptr) + 2 + crm_utf8_width(a);
			/* aligned with the rows above, whose amounts end in the code */
			if (used < width + 4)
				crm_buf_addchars(out, ' ', width + 4 - used);
			crm_buf_addf(out, "%s  %s\n", lbl.ptr, a);
		}
	}
	add_total(out, d, width, L(d, CRM_L_TOTAL), t->tax_inclusive_total, true);
	if (!crm_dec_is_zero(t->paid_total))
		add_total(out, d, width, L(d, CRM_L_PAID), t->paid_total, true);
	add_total(out, d, width, L(d, CRM_L_AMOUNT_DUE), t->due_total, true);
	for (i = 0; i < t->nrows; i++) {
		if (d->vat_exemption[i])
			crm_buf_addf(out, "\n%s (%s): %s\n", L(d, CRM_L_VAT), t->rows[i].category,
				     d->vat_exemption[i]);
	}
	{
		struct kv foot[4] = {
			{ L(d, CRM_L_TERMS), d->terms }, { L(d, CRM_L_IBAN), d->seller.iban },
			{ L(d, CRM_L_EMAIL), d->seller.email }, { L(d, CRM_L_NOTES), d->notes },
		};
		crm_buf_addch(out, '\n');
		add_kv_block(out, foot, 4);
	}
	err = out->len >= CRM_BUF_MAX ? crm_error_set(CRM_EOVERFLOW, "invoice too large") : 0;
done:
	crm_buf_release(&title);
	crm_buf_release(&lbl);
	return err;
}

/* ---- HTML ---- */

static const char html_style[] =
	"@page{size:A4;margin:18mm 16mm}"
	"body{font-family:'DejaVu Sans','Noto Sans','WenQuanYi Zen Hei',Arial,sans-serif;"
	"font-size:10pt;color:#222;margin:0 auto;max-width:180mm;padding:12mm 0}"
	"header{display:flex;justify-content:space-between;align-items:flex-start}"
	"header img{max-height:22mm;max-width:60mm}"
	"h1{font-size:20pt;margin:0 0 4mm 0;font-weight:600}"
	"table{border-collapse:collapse;width:100%}"
	".meta td{padding:1px 8px 1px 0}.meta td:first-child{color:#666}"
	".parties{display:flex;gap:12mm;margin:8mm 0}.parties div{flex:1}"
	".parties h2{font-size:9pt;text-transform:uppercase;color:#666;margin:0 0 2mm 0}"
	".lines th{text-align:left;border-bottom:1.5px solid #222;padding:4px 6px;font-size:9pt}"
	".lines td{border-bottom:1px solid #ddd;padding:4px 6px;vertical-align:top}"
	".lines thead{display:table-header-group}.lines tr{page-break-inside:avoid}"
	".num{text-align:right !important;white-space:nowrap}"
	".totals{width:auto;margin:6mm 0 0 auto;page-break-inside:avoid}"
	".totals td{padding:2px 6px}.totals .grand td{font-weight:700;"
	"border-top:1.5px solid #222}"
	".due td{font-weight:700;font-size:12pt}"
	"footer{margin-top:10mm;font-size:9pt;color:#444}"
	"@media print{body{padding:0;max-width:none}}";

static void h(struct crm_buf *out, const char *s)
{
	crm_buf_add_xml(out, s ? s : "");
}

static void html_party(struct crm_buf *out, const struct crm_invoice_doc *d,
		       const struct crm_party *p, enum crm_invoice_label heading)
{
	crm_buf_adds(out, "<div><h2>");
	h(out, L(d, heading));
	crm_buf_adds(out, "</h2><strong>");
	h(out, p->name);
	crm_buf_adds(out, "</strong>");
	if (p->address) {
		crm_buf_adds(out, "<br>");
		h(out, p->address);
	}
	if (p->vat_id) {
		crm_buf_adds(out, "<br>");
		h(out, crm_invoice_doc_vat_id_label(d, p));
		crm_buf_adds(out, ": ");
		h(out, p->vat_id);
	}
	if (p->email) {
		crm_buf_adds(out, "<br>");
		h(out, p->email);
	}
	crm_buf_adds(out, "</div>");
}

static void html_meta(struct crm_buf *out, const char *label, const char *value)
{
	if (!value)
		return;
	crm_buf_adds(out, "<tr><td>");
	h(out, label);
	crm_buf_adds(out, "</td><td>");
	h(out, value);
	crm_buf_adds(out, "</td></tr>");
}

static void html_total(struct crm_buf *out, const struct crm_invoice_doc *d, const char *cls,
		       const char *label, crm_dec v, bool currency)
{
	char a[64];
	crm_invoice_doc_amount_shown(a, sizeof(a), d, v);
	crm_buf_addf(out, "<tr%s%s%s><td>", cls ? " class=\"" : "", cls ? cls : "",
		     cls ? "\"" : "");
	h(out, label);
	crm_buf_addf(out, "</td><td class=\"num\">%s%s%s</td></tr>\n", a, currency ? " " : "",
		     currency ? d->currency : "");
}

int crm_invoice_render_html(struct crm_buf *out, const struct crm_invoice_doc *d)
{
	const struct crm_invoice_totals *t = &d->totals;
	struct crm_buf lbl = CRM_BUF_INIT;
	size_t i;

	crm_buf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		     "<title>", !strcmp(d->lang, "zh") ? "zh-Hans" : d->lang);
	h(out, crm_invoice_doc_title(d));
	crm_buf_addch(out, ' ');
	h(out, d->number ? d->number : d->id);
	crm_buf_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<header><div><h1>",
		     html_style);
	h(out, crm_invoice_doc_title(d));
	crm_buf_addch(out, ' ');
	h(out, d->number ? d->number : d->id);
	if (!d->number) {
		crm_buf_adds(out, " (");
		h(out, L(d, CRM_L_DRAFT));
		crm_buf_addch(out, ')');
	}
	crm_buf_adds(out, "</h1>\n<table class=\"meta\">");
	html_meta(out, L(d, CRM_L_ISSUE_DATE), present(d->issue_date_shown));
	html_meta(out, L(d, CRM_L_DUE_DATE), present(d->due_date_shown));
	html_meta(out, L(d, CRM_L_PO_NUMBER), d->po_number);
	html_meta(out, L(d, CRM_L_CORRECTS), d->corrects);
	html_meta(out, L(d, CRM_L_CURRENCY), d->currency);
	crm_buf_adds(out, "</table></div>\n");
	if (d->logo.len) {
		crm_buf_adds(out, "<img alt=\"\" src=\"data:image/png;base64,");
		crm_buf_add_base64(out, d->logo.ptr, d->logo.len);
		crm_buf_adds(out, "\">");
	}
	crm_buf_adds(out, "</header>\n<section class=\"parties\">");
	html_party(out, d, &d->seller, CRM_L_SELLER);
	html_party(out, d, &d->buyer, CRM_L_BUYER);
	if (d->consignee.name)
		html_party(out, d, &d->consignee, CRM_L_DELIVER_TO);
	crm_buf_adds(out, "</section>\n<table class=\"lines\">\n<thead><tr><th class=\"num\">#</th><th>");
	h(out, L(d, CRM_L_DESCRIPTION));
	crm_buf_adds(out, "</th><th class=\"num\">");
	h(out, L(d, CRM_L_QUANTITY));
	crm_buf_adds(out, "</th><th>");
	h(out, L(d, CRM_L_UNIT));
	crm_buf_adds(out, "</th><th class=\"num\">");
	h(out, L(d, CRM_L_UNIT_PRICE));
	crm_buf_adds(out, "</th><th class=\"num\">");
	h(out, L(d, CRM_L_VAT_RATE));
	crm_buf_adds(out, "</th><th class=\"num\">");
	h(out, L(d, CRM_L_NET));
	crm_buf_adds(out, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < d->nlines; i++) {
		const struct crm_invoice_doc_line *l = &d->lines[i];
		char q[48], price[64], rate[40], net[64];
		crm_dec_format_trim(q, sizeof(q), l->line->quantity);
		crm_invoice_doc_amount_shown(price, sizeof(price), d, l->line->unit_price);
		rate_text(rate, sizeof(rate), l->line->rate);
		crm_invoice_doc_amount_shown(net, sizeof(net), d, l->line->net);
		crm_buf_addf(out, "<tr><td class=\"num\">%zu</td><td>", i + 1);
		h(out, l->description);
		crm_buf_addf(out, "</td><td class=\"num\">%s</td><td>", q);
		h(out, l->unit);
		crm_buf_addf(out, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			     "<td class=\"num\">%s</td></tr>\n", price, rate, net);
	}
	crm_buf_adds(out, "</tbody>\n</table>\n<table class=\"totals\">\n");
	html_total(out, d, NULL, L(d, CRM_L_LINE_TOTAL), t->line_total, false);
	for (i = 0; i < d->nadjs; i++) {
		crm_buf_reset(&lbl);
		adj_label(&lbl, d, &d->adjs[i]);
		html_total(out, d, NULL, lbl.ptr, d->adjs[i].adj->is_charge ? d->adjs[i].amount
			   : crm_dec_neg(d->adjs[i].amount), false);
	}
	html_total(out, d, NULL, L(d, CRM_L_TAX_EXCLUSIVE), t->tax_exclusive_total, true);
	for (i = 0; i < t->nrows; i++) {
		crm_buf_reset(&lbl);
		vat_label(&lbl, d, i);
		html_total(out, d, NULL, lbl.ptr, t->rows[i].tax, false);
	}
	html_total(out, d, NULL, L(d, CRM_L_TAX_TOTAL), t->tax_total, true);
	crm_buf_reset(&lbl);
	{
		char a[80];
		if (crm_invoice_doc_tax_currency_row(&lbl, a, sizeof(a), d)) {
			crm_buf_adds(out, "<tr><td>");
			h(out, lbl.ptr);
			crm_buf_addf(out, "</td><td class=\"num\">%s</td></tr>\n", a);
		}
	}
	html_total(out, d, "grand", L(d, CRM_L_TOTAL), t->tax_inclusive_total, true);
	if (!crm_dec_is_zero(t->paid_total))
		html_total(out, d, NULL, L(d, CRM_L_PAID), t->paid_total, true);
	html_total(out, d, "due", L(d, CRM_L_AMOUNT_DUE), t->due_total, true);
	crm_buf_adds(out, "</table>\n<footer>\n");
	for (i = 0; i < t->nrows; i++) {
		if (!d->vat_exemption[i])
			continue;
		crm_buf_addf(out, "<p>%s (%s): ", L(d, CRM_L_VAT), t->rows[i].category);
		h(out, d->vat_exemption[i]);
		crm_buf_adds(out, "</p>\n");
	}
	if (d->terms) {
		crm_buf_adds(out, "<p>");
		h(out, d->terms);
		crm_buf_adds(out, "</p>\n");
	}
	if (d->seller.iban) {
		crm_buf_adds(out, "<p>IBAN: ");
		h(out, d->seller.iban);
		crm_buf_adds(out, "</p>\n");
	}
	if (d->notes) {
		crm_buf_adds(out, "<p>");
		h(out, L(d, CRM_L_NOTES));
		crm_buf_adds(out, ": ");
		h(out, d->notes);
		crm_buf_adds(out, "</p>\n");
	}
	crm_buf_adds(out, "</footer>\n</body>\n</html>\n");
	crm_buf_release(&lbl);
	return out->len >= CRM_BUF_MAX ? crm_error_set(CRM_EOVERFLOW, "invoice too large") : 0;
}
