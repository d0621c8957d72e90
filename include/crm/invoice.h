/* Invoice totals per EN 16931 (SPEC section 5), computed exactly: line nets
 * rounded to the currency's minor unit, VAT per category and rate computed
 * once on the sum of that group's nets, allowances and charges, and the
 * document totals BT-106 to BT-115.  Rounding is half away from zero. */
#ifndef CRM_INVOICE_H
#define CRM_INVOICE_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/date.h"
#include "crm/decimal.h"

enum crm_discount_kind { CRM_DISCOUNT_NONE, CRM_DISCOUNT_PERCENT, CRM_DISCOUNT_AMOUNT };

struct crm_invoice_line {
	crm_dec quantity;
	crm_dec unit_price;
	crm_dec per;                   /* base quantity the price is for; 0 = 1 */
	enum crm_discount_kind discount_kind;
	crm_dec discount;              /* percent (10 = 10%) or an amount */
	crm_dec charge;                /* an amount added to the line */
	bool net_given;                /* use `net` as written (BT-131) */
	crm_dec net;                   /* out: the line net, rounded */
	const char *category;          /* VAT category code: S, Z, E, AE, ... */
	crm_dec rate;                  /* VAT percent */
};

struct crm_invoice_adjustment {
	bool is_charge;                /* document charge, else allowance */
	bool is_percent;
	crm_dec amount;                /* when !is_percent */
	crm_dec percent;               /* of `base` (default: the sum of line nets) */
	bool has_base;
	crm_dec base;
	const char *category;
	crm_dec rate;
};

#define CRM_INVOICE_MAX_RATES 16

struct crm_vat_row {
	char category[4];
	crm_dec rate;                  /* BT-119 */
	crm_dec taxable;               /* BT-116 */
	crm_dec tax;                   /* BT-117 */
};

struct crm_invoice_totals {
	crm_dec line_total;            /* BT-106 */
	crm_dec allowance_total;       /* BT-107 */
	crm_dec charge_total;          /* BT-108 */
	crm_dec tax_exclusive_total;   /* BT-109 */
	crm_dec tax_total;             /* BT-110 */
	crm_dec tax_inclusive_total;   /* BT-112 */
	crm_dec paid_total;            /* BT-113 */
	crm_dec rounding;              /* BT-114 */
	crm_dec due_total;             /* BT-115 */
	struct crm_vat_row rows[CRM_INVOICE_MAX_RATES];
	size_t nrows;                  /* in order of first appearance */
};

/* Computes every total for a currency with `exponent` minor digits (EUR 2,
 * JPY 0, KWD 3).  Fills each line's `net`.  `paid` and `rounding` may be
 * zero.  0, CRM_EOVERFLOW, or CRM_EINVALID (more than 16 VAT groups, a
 * category that must be 0% with another rate, a negative base quantity),
 * with the message set. */
int crm_invoice_compute(struct crm_invoice_totals *out, int exponent,
			struct crm_invoice_line *lines, size_t nlines,
			const struct crm_invoice_adjustment *adj, size_t nadj,
			crm_dec paid, crm_dec rounding);

struct crm_index;
struct crm_record;

/* An invoice record's figures: its currency and every total, from its
 * lines (unit price and tax defaulting to the line's product), document
 * allowances and charges, and payments; VAT categories and rates come from
 * crm.ini's [tax] sections.  CRM_EINVALID with the message naming the line
 * and field when something cannot be computed. */
int crm_invoice_of_record(struct crm_invoice_totals *out, char currency[4],
			  struct crm_index *idx, struct crm_record *inv);

/* The amount of one document allowance or charge as crm_invoice_compute
 * counts it: its amount, or its percent of its base (by default
 * `line_total`, BT-106), rounded to `exponent` digits. */
int crm_invoice_adjustment_amount(crm_dec *out, const struct crm_invoice_adjustment *a,
				  crm_dec line_total, int exponent);

#define CRM_INVOICE_MAX_LINES 256
#define CRM_INVOICE_MAX_ADJUSTMENTS 64

/* An invoice record taken apart, for writers that show every line: the
 * lines (with their nets once computed) and the document allowances, then
 * charges, each with the YAML entry it came from. */
struct crm_invoice_parts {
	struct crm_invoice_line lines[CRM_INVOICE_MAX_LINES];
	const struct crm_node *line_nodes[CRM_INVOICE_MAX_LINES];
	size_t nlines;
	struct crm_invoice_adjustment adj[CRM_INVOICE_MAX_ADJUSTMENTS];
	const struct crm_node *adj_nodes[CRM_INVOICE_MAX_ADJUSTMENTS];
	size_t nadj;
};

/* crm_invoice_of_record that also fills `parts` (about 45 KB: allocate it
 * on the heap). */
int crm_invoice_of_record_parts(struct crm_invoice_totals *out, char currency[4],
				struct crm_invoice_parts *parts, struct crm_index *idx,
				struct crm_record *inv);

struct crm_series;
struct crm_config;
struct crm_diags;
struct crm_buf;
struct crm_node;

/* Splits an issued number into its series (the crm.ini [invoice] section
 * with the longest prefix that matches) and its sequence number: with
 * prefix "INV-", "INV-0000042" is 42.  CRM_ENOTFOUND when no series'
 * prefix followed by digits matches. */
int crm_invoice_number_parse(const struct crm_config *cfg, const char *number,
			     const struct crm_series **series_out, long *seq_out);
/* The highest sequence number issued in `series` among the loaded
 * invoices; 0 when none. */
long crm_invoice_highest(struct crm_index *idx, const struct crm_series *series);
/* Appends the number `seq` of `series`: prefix and at least `digits` digits. */
void crm_invoice_format_number(struct crm_buf *out, const struct crm_series *series, long seq);
/* The invoice's due date: its `due` field, else its `date` plus the
 * `due_days` of its series (0: on receipt).  false without either date. */
bool crm_invoice_due(crm_date *out, struct crm_index *idx, const struct crm_record *inv);

/* Drafts, as record texts ready to write to a new file. */

/* A new draft for `client`, pre-filled from opportunity `opp` when not
 * NULL: its currency, and one line with the deal's title and amount and
 * the default tax (the [invoice] section's `tax`, else crm.ini's first
 * [tax]).  Without a deal the draft has no lines yet. */
int crm_invoice_draft_new(struct crm_buf *out, struct crm_index *idx,
			  const struct crm_record *client, const struct crm_record *opp);

/* One line picked for a credit note: its number (from 1) and, when
 * `has_quantity`, the quantity to credit instead of the whole line's. */
struct crm_invoice_pick {
	size_t line;
	bool has_quantity;
	crm_dec quantity;
};
/* Parses "1,3:2.5" (lines 1 and 3, 2.5 units of line 3) into a malloc'ed
 * array.  CRM_EUSAGE with the message set on a bad spec. */
int crm_invoice_parse_picks(struct crm_invoice_pick **out, size_t *n_out, const char *spec);

/* A draft made from invoice `inv` (its text `src` parsed as `root`):
 * without `credit`, a copy without number, dates, status and payments;
 * with it, a credit note (type credit-note, corrects: the invoice) with the
 * picked lines (all when `picks` is NULL; the allowances and charges too
 * in that case; a partial quantity's amount discount and charge scaled to
 * it, in `currency`).  CRM_EUSAGE when a pick names a line the invoice lacks. */
int crm_invoice_draft_copy(struct crm_buf *out, const struct crm_record *inv,
			   const char *src, size_t len, const struct crm_node *root,
			   bool credit, const struct crm_invoice_pick *picks, size_t npicks,
			   const char *currency);

/* The credit note for `inv` (its text `src` parsed as `root`): the picked
 * lines (all when `picks` is NULL), a partial quantity's amount discount and
 * charge scaled to it, and for a partial credit its share of the document's
 * allowances and charges.  Refused (CRM_ECONFLICT, every line named with
 * its place in the invoice's file) when it would credit more of a line than
 * was invoiced less what earlier credit notes credited. */
int crm_invoice_credit_draft(struct crm_buf *out, struct crm_index *idx, struct crm_record *inv,
			     const char *src, size_t len, const struct crm_node *root,
			     const struct crm_invoice_pick *picks, size_t npicks);

/* Whether credit note `note` (its `root` set; it may not be in the index
 * yet) keeps within invoice `orig`: per line of `orig`, the quantity and the
 * amount (the net plus its share of document allowances and charges) that
 * `note` and every other credit note correcting `orig` (rejected and
 * cancelled ones aside) credit never exceed what `orig` invoiced.  Lines
 * match when product, description, unit_price, per, unit and tax agree.
 * 0, CRM_ECONFLICT naming each line, or CRM_EINVALID. */
int crm_invoice_credit_within(struct crm_index *idx, struct crm_record *orig,
			      struct crm_record *note);

/* The invoice rules of `crm check`: gaps (number-gap) and duplicates
 * (duplicate-number) among issued numbers of each series, numbers of no
 * series (unknown-series), invoices past due with money open (overdue,
 * a warning), payments beyond the total (overpaid, a warning), credit notes
 * that credit more than the invoice they correct (over-credited), and issued
 * invoices whose number, client, dates, currency,
 * lines, allowances or charges differ from the version of the commit that
 * added the issued file (issued-changed; read from git history). */
void crm_invoice_check(struct crm_index *idx, struct crm_diags *out);

/* What an EU VAT invoice must carry before it is issued (Directive
 * 2006/112/EC art. 226, as EN 16931 has it): the seller's name, address
 * and VAT id ([org] in crm.ini), an existing buyer with name and address,
 * at least one line, the buyer's VAT id when a line is reverse charge
 * (category AE in `t`, the invoice's totals, NULL when they could not be
 * computed), and for a credit note the issued invoice it corrects.  Each
 * item missing is appended to `missing`, named for people and separated
 * by "; ".  Returns how many are missing (0: the invoice may be issued). */
size_t crm_invoice_vat_requirements(struct crm_buf *missing, struct crm_index *idx,
				    const struct crm_record *r,
				    const struct crm_invoice_totals *t);

struct crm_git;
/* Invoice numbers issued on both sides of a merge of commits `ours` and
 * `theirs`: issued invoices below `folder` (a git path such as
 * "invoices/") added since their merge base on each side that carry one
 * number.  cb gets each number and our file's git path.  Returns how many
 * clashed, or a negative error. */
int crm_invoice_clashes(struct crm_git *g, const char *folder, const char *ours,
			const char *theirs,
			int (*cb)(const char *number, const char *our_path, void *payload),
			void *payload);

#endif
