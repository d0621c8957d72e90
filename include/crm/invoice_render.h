/* Invoices as documents: one invoice or credit note gathered into a model
 * (seller from crm.ini [org], buyer from the client record, lines, VAT
 * breakdown, totals, labels in the invoice's language) and written as
 * aligned text, one self-contained HTML page, an A4 PDF, or UBL 2.1 XML. */
#ifndef CRM_INVOICE_RENDER_H
#define CRM_INVOICE_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "crm/buf.h"
#include "crm/invoice.h"
#include "crm/peppol.h"

struct crm_index;
struct crm_record;

/* The words an invoice prints, one static table per language. */
enum crm_invoice_label {
	CRM_L_INVOICE, CRM_L_CREDIT_NOTE, CRM_L_DRAFT, CRM_L_NUMBER, CRM_L_ISSUE_DATE,
	CRM_L_DUE_DATE, CRM_L_PO_NUMBER, CRM_L_CORRECTS, CRM_L_SELLER, CRM_L_BUYER,
	CRM_L_VAT_ID, CRM_L_EMAIL, CRM_L_IBAN, CRM_L_DESCRIPTION, CRM_L_QUANTITY,
	CRM_L_UNIT, CRM_L_UNIT_PRICE, CRM_L_VAT_RATE, CRM_L_NET, CRM_L_LINE_TOTAL,
	CRM_L_ALLOWANCE, CRM_L_CHARGE, CRM_L_TAX_EXCLUSIVE, CRM_L_VAT, CRM_L_TAXABLE,
	CRM_L_TAX_TOTAL, CRM_L_TOTAL, CRM_L_PAID, CRM_L_AMOUNT_DUE, CRM_L_TERMS,
	CRM_L_NOTES, CRM_L_PAGE, CRM_L_CURRENCY, CRM_L_DELIVER_TO, CRM_L_VAT_IN,
	CRM_L_EXCHANGE_RATE,
	CRM_L_COUNT
};

/* The label in language `lang` ("en", "pl", "zh"); NULL when the language
 * has no table. */
const char *crm_invoice_label(const char *lang, enum crm_invoice_label key);
/* The languages that have a table, as "en, pl, zh" (for messages). */
const char *crm_invoice_languages(void);

/* A seller or a buyer: each field NULL when unknown. */
struct crm_party {
	const char *id;            /* the client record's id (buyer) */
	const char *name, *address, *vat_id, *email, *iban, *country;
	const char *contact, *phone;   /* contact point (BT-41, BT-42): the seller's */
	/* legal registration id (BT-30, BT-47) and party id (BT-29, BT-46),
	 * each as written or "SCHEME:ID" ("0184:DK16356706") */
	const char *company_id, *party_id;
	/* the Peppol address (BT-34, BT-49) from peppol_id or the VAT id;
	 * scheme "" when there is none */
	struct crm_peppol_address endpoint;
	/* The postal address in parts (BT-35, BT-37, BT-38): `city` and
	 * `postcode` when the record or [org] gives them (the street is then
	 * `address`), else split from `address` at its "POSTCODE City" part
	 * ("Torstraße 101, 10119 Berlin, Germany"); "" when not found. */
	char street[256], city[128], postcode[32];
};

struct crm_invoice_doc_line {
	const char *description;   /* the line's, else its product's name */
	const char *unit;          /* the line's, else its product's; may be NULL */
	const struct crm_invoice_line *line;   /* quantity, price, per, net, VAT */
	crm_dec allowance;         /* line discount as an amount (BT-136), rounded */
	crm_dec charge;            /* line charge (BT-141), rounded */
};

struct crm_invoice_doc_adj {
	const char *reason;        /* NULL when none given */
	const struct crm_invoice_adjustment *adj;
	crm_dec amount;            /* as counted in the totals */
	crm_dec base;              /* of a percent */
};

struct crm_invoice_doc {
	const char *id;
	const char *number;        /* NULL for a draft */
	bool credit_note;
	const char *corrects;      /* the corrected invoice's number (or id) */
	const char *corrects_date; /* its issue date, when known */
	const char *lang;          /* a language with a label table */
	const char *issue_date, *due_date;   /* as written, NULL when absent */
	/* the same as the language writes a date ("1 grudnia 2026"), for the
	 * documents people read; "" when absent */
	char issue_date_shown[64], due_date_shown[64];
	const char *po_number, *terms, *notes;
	char currency[4];
	int exponent;              /* the currency's minor digits */
	struct crm_party seller, buyer;
	struct crm_party consignee;   /* deliver-to party (BG-13); name NULL when none */
	/* An invoice in another currency than the repository's also states its
	 * VAT in that one (EN 16931 BT-6, BT-111): the code, "" when the same,
	 * the rate used (the invoice's `rate`, else crm.ini's) and the amount. */
	char tax_currency[4];
	crm_dec exchange_rate;
	crm_dec tax_total_in_tax_currency;
	struct crm_buf logo;       /* the PNG's bytes; empty when no logo */
	struct crm_invoice_doc_line *lines;
	size_t nlines;
	struct crm_invoice_doc_adj *adjs;
	size_t nadjs;
	struct crm_invoice_totals totals;
	const char *vat_name[CRM_INVOICE_MAX_RATES];      /* [tax] name per row */
	const char *vat_exemption[CRM_INVOICE_MAX_RATES]; /* reason per row */
	struct crm_invoice_parts *parts;
	char country_buf[2][3];    /* countries taken from VAT ids */
};

/* Fills p->street, p->city and p->postcode from `city` and `postcode` when
 * given, else from p->address as described above. */
void crm_party_split_address(struct crm_party *p, const char *city, const char *postcode);

/* Gathers invoice `inv` into `out`; `lang` overrides the invoice's
 * `language` (default en).  Strings are borrowed from the index, which
 * must outlive the document.  CRM_EINVALID with a message naming what is
 * wrong (an unknown client, language, a logo that is not a PNG, totals
 * that cannot be computed); `out` is then released already. */
int crm_invoice_doc_load(struct crm_invoice_doc *out, struct crm_index *idx,
			 struct crm_record *inv, const char *lang);
void crm_invoice_doc_release(struct crm_invoice_doc *doc);

/* Appends an amount with the currency's minor digits ("7200.00"). */
void crm_invoice_doc_amount(char *buf, size_t size, const struct crm_invoice_doc *doc,
			    crm_dec v);
/* The same as the document's language writes a number ("pl": 12 345,60),
 * for the documents people read (text, HTML, PDF); UBL keeps the plain one. */
void crm_invoice_doc_amount_shown(char *buf, size_t size, const struct crm_invoice_doc *d,
				  crm_dec v);
/* The row that states the VAT in the repository's currency: its label
 * ("VAT in EUR (Exchange rate 0.92)") into `label`, its amount with the
 * code into `amount`.  false (nothing written) when there is none. */
bool crm_invoice_doc_tax_currency_row(struct crm_buf *label, char *amount, size_t size,
				      const struct crm_invoice_doc *doc);
/* The document's title in its language: Invoice, Credit note, with the
 * draft mark when it has no number. */
/* The label of party `p`'s tax id: its country's own name for it (NIP
 * for a Polish id, USt-IdNr. for a German one, whatever the document's
 * language), else the language's word for a VAT id. */
const char *crm_invoice_doc_vat_id_label(const struct crm_invoice_doc *d,
					const struct crm_party *p);
const char *crm_invoice_doc_title(const struct crm_invoice_doc *doc);

/* The writers.  Each appends to `out` and returns 0 or a negative code
 * with the message set. */
int crm_invoice_render_txt(struct crm_buf *out, const struct crm_invoice_doc *doc);
/* One self-contained page: inline CSS, the logo as a data: URI. */
int crm_invoice_render_html(struct crm_buf *out, const struct crm_invoice_doc *doc);
/* A4 pages through cairo and pango (fonts through fontconfig), paginated
 * with the table header repeated; in src/core/invoice_pdf.c. */
int crm_invoice_render_pdf(struct crm_buf *out, const struct crm_invoice_doc *doc);
/* UBL 2.1 Invoice (CreditNote for credit notes) per Peppol BIS Billing 3.0;
 * in src/core/invoice_ubl.c. */
int crm_invoice_export_ubl(struct crm_buf *out, const struct crm_invoice_doc *doc);

/* ---- sending by e-mail (in src/core/invoice/invoice_mail.c) ---- */

struct crm_invoice_mail_addr {
	char from[256];            /* the envelope sender */
	char to[256];              /* the recipient */
	bool with_ubl;             /* the UBL XML is attached */
};

/* Builds the e-mail of issued invoice `doc` into `out` (CRLF line ends):
 * Date (`now`), From (crm.ini [mail] from, else [org] email, named after
 * [org] name), To (`to`, else the client's email, else the first of its
 * contacts' with one), Subject ([mail] subject with {number}, {total},
 * {due_total}, {currency}, {due}, {client}, {seller}, else the document's
 * title, number and seller), Message-ID; non-ASCII text as RFC 2047
 * encoded-words.  multipart/mixed: the body ([mail] template, a file
 * relative to the repository with the same placeholders, else a few lines
 * in the invoice's language), the PDF, and the UBL XML when `ubl` or the
 * buyer has a Peppol address.  CRM_EINVALID without a sender or a
 * recipient, or for a draft. */
int crm_invoice_mail_build(struct crm_buf *out, struct crm_invoice_mail_addr *addr,
			   struct crm_index *idx, const struct crm_invoice_doc *doc,
			   const char *to, bool ubl, time_t now);

/* Hands `msg` to the transport of crm.ini [mail]: `smtp = HOST:PORT`
 * (plain SMTP, no TLS or authentication: a relay on this machine or
 * network), else `sendmail = COMMAND ARGS...` (split at blanks, run without
 * a shell, the message on its standard input; default "sendmail -t -oi").
 * 0, or CRM_EIO with what the transport said. */
int crm_invoice_mail_send(const struct crm_config *cfg, const struct crm_invoice_mail_addr *addr,
			  const struct crm_buf *msg);

#endif
