/* What the dashboard (stats.c) and the reports (reports.c) share: invoices
 * reduced to their figures in the base currency, months as numbers, and
 * groups of deals summed by a key. */
#ifndef CRM_STATS_INTERNAL_H
#define CRM_STATS_INTERNAL_H

#include "crm/stats.h"

struct stats_invoice {
	struct crm_record *rec;
	const char *status;           /* "sent"; drafts and rejected are left out */
	const char *client;           /* both copies, in the list's arena */
	bool has_date, has_due;
	crm_date date, due;
	bool credit;                  /* a credit note: its amounts count negative */
	crm_dec net, total, due_total;   /* base currency, signed */
};

struct stats_invoices {
	struct stats_invoice *ptr;
	size_t len, cap;
	size_t unreadable;            /* totals that could not be computed */
	struct crm_arena arena;       /* status and client texts */
};

/* Frees the invoices and their texts. */
void stats_invoices_release(struct stats_invoices *inv);

/* Decodes `rec` for reading, after letting the index drop the trees
 * decoded so far once they pass its budget (crm_index_trim): figures pass
 * over every record once, keep what they need as copies, and so hold a
 * few records' trees at a time, not the repository's.  Every node and
 * value pointer taken before the call is invalid after it. */
void stats_open(struct crm_index *idx, struct crm_record *rec);

/* Where payments go: each payment of an issued invoice of opts->client in
 * the period (by the payment's date), its amount in the base currency. */
struct stats_paid {
	int (*cb)(crm_date date, crm_dec amount, void *payload);
	void *payload;
};

/* Issued invoices (not draft, not rejected) of opts->client whose date is
 * within opts' period; with `paid` (may be NULL), their payments too, in
 * the same pass over the invoices (the dashboard's). */
int stats_invoices_collect(struct stats_invoices *out, struct crm_index *idx,
			   const struct crm_stats_options *opts, const struct stats_paid *paid);

/* The payments alone, as stats_invoices_collect gives them to `paid`. */
int stats_payments(struct crm_index *idx, const struct crm_stats_options *opts,
		   int (*cb)(crm_date date, crm_dec amount, void *payload), void *payload);

/* Months as y * 12 + (m - 1), and their "YYYY-MM" text. */
int stats_month(crm_date d);
void stats_month_text(char buf[8], int month);
bool stats_in_period(const struct crm_stats_options *opts, crm_date d);

/* Deals summed under a key (a tag, a source, an owner). */
struct stats_group {
	const char *key;
	int64_t count, open_count, won_count, lost_count;
	crm_dec total, open_total, won_total, lost_total;
};

struct stats_groups {
	struct stats_group *ptr;
	size_t len, cap;
};

int stats_group_add(struct stats_groups *g, const char *key, const struct crm_deal *d);
/* Sorts by won total (descending) then key, or by key only. */
void stats_groups_sort(struct stats_groups *g, bool by_key);

/* A text field (NULL when absent or empty); a date or datetime field as a
 * date (false when absent or not a date). */
const char *stats_text(struct crm_index *idx, struct crm_record *rec, const char *name);
bool stats_date(crm_date *out, struct crm_index *idx, struct crm_record *rec,
		const char *name);

/* The table "stalled" of `r`: open deals with no history or activity for
 * more than the stalled days, the longest idle first; a list whose
 * terminal view points at `more` for every row. */
int stats_stalled_table(struct crm_report *r, struct crm_index *idx,
			const struct crm_stats_options *opts, const struct crm_deals *deals,
			const char *more);

/* Rounds a sum to the base currency's minor unit. */
crm_dec stats_round(const struct crm_deals *deals, crm_dec v);

#endif
