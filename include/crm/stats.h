/* Sales figures over opportunities: each deal read by crm/deal.h's one
 * definition (stage and outcome, amount in the base currency, created,
 * closed) with its last touch from activities, then the dashboard and the
 * reports of `crm report` built as a crm_report.  Sums are exact decimals; amounts are converted to the base
 * currency one deal at a time through crm.ini's rates (crm_index_convert). */
#ifndef CRM_STATS_H
#define CRM_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/deal.h"
#include "crm/filter.h"
#include "crm/index.h"
#include "crm/report.h"

struct crm_deals {
	struct crm_deal *ptr;
	size_t len, cap;
	size_t unconverted;               /* amounts with no rate to the base */
	const char *currency;             /* the base currency */
	struct crm_arena arena;           /* the deals' texts, tags and history:
					   * they outlive the records' trees */
};

/* Options every figure takes.  `filter` selects opportunities (NULL: all);
 * since/until (inclusive, 0 = open) bound the invoices and activities of a
 * period; `client` (NULL: all) selects invoices too. */
struct crm_stats_options {
	const struct crm_filter *filter;
	bool has_since, has_until;
	crm_date since, until;
	const char *client;
	int stalled_days;                 /* 0: crm.ini [dashboard] stalled_days, else 30 */
};
#define CRM_STATS_OPTIONS_INIT { NULL, false, false, 0, 0, NULL, 0 }

/* The opportunities that pass opts->filter (and, with `period_by_created`,
 * whose creation date is within opts' period), in path order.  Each
 * deal's last touch takes in its latest activity: the index's follow-ups
 * (next steps, last activities) are computed first when they are not
 * known.  Release with crm_deals_release.  Fails only when out of
 * memory. */
int crm_deals_collect(struct crm_deals *out, struct crm_index *idx,
		      const struct crm_stats_options *opts, bool period_by_created);
void crm_deals_release(struct crm_deals *d);

/* The dashboard (SPEC section 7 and more): cards open_count,
 * pipeline_total, pipeline_weighted, won_count, won_total, lost_count,
 * lost_total, win_rate, avg_deal_size, stalled_count, invoiced_total,
 * paid_total; tables by_month, by_stage, by_tag, by_source, by_owner,
 * stalled.  With `deals_out`, the deals it read are handed over there
 * (release them with crm_deals_release; nothing is handed over when it
 * fails). */
int crm_stats_dashboard(struct crm_report *r, struct crm_index *idx,
			const struct crm_stats_options *opts, struct crm_deals *deals_out);

/* The reports of `crm report NAME`: funnel, cycle, winloss, won, activity,
 * summary, receivables, revenue.  CRM_ENOTFOUND for another name. */
int crm_stats_report(struct crm_report *r, struct crm_index *idx, const char *name,
		     const struct crm_stats_options *opts);
/* The names crm_stats_report knows, NULL-terminated. */
extern const char *const crm_stats_report_names[];

/* Shared by the figures: exact sums that report overflow. */
int crm_stats_add(crm_dec *acc, crm_dec v);
/* The stalled-days setting: opts->stalled_days, else crm.ini's, else 30. */
int crm_stats_stalled_days(struct crm_index *idx, const struct crm_stats_options *opts);

#endif
