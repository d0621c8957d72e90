/* Aging alerts: an open deal that has stayed in its stage longer than the
 * stage's limit (crm.ini [stage "S"] max_days), or more than [alerts]
 * factor times (default 2) the mean of the repository's own past stays in
 * that stage, once at least [alerts] min_samples (default 5) stays are
 * known.  `crm alerts` lists them, the dashboard shows them, and the
 * agenda may call crm_alerts_compute for "deals aging in their stage". */
#ifndef CRM_ALERTS_H
#define CRM_ALERTS_H

#include <stddef.h>

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/automation.h"
#include "crm/buf.h"
#include "crm/date.h"
#include "crm/decimal.h"
#include "crm/filter.h"

enum crm_alert_reason {
	CRM_ALERT_LIMIT = 1 << 0,    /* days > limit */
	CRM_ALERT_AVERAGE = 1 << 1   /* days > factor x mean, enough samples */
};

struct crm_alert {
	const char *id, *title, *stage, *owner;  /* in the alerts' arena; NULL
						    when the deal has none */
	crm_date since;              /* the day it entered the stage */
	long days;                   /* today - since */
	long limit;                  /* max_days of the stage, 0 when none */
	crm_dec mean;                /* of the past stays, 1 decimal place */
	size_t samples;              /* past stays the mean is made of */
	int reasons;                 /* enum crm_alert_reason bits */
};

struct crm_alerts {
	struct crm_arena arena;
	CRM_ARRAY(struct crm_alert) list;   /* most days first, then by id */
	crm_date today;
	long factor, min_samples;    /* the rule they were computed with */
};

/* Computes the alerts of the opportunities `filter` lets through (NULL:
 * all) as of the index's today.  The day a deal entered its stage is its
 * last history entry for that stage, else its creation date; past stays
 * are the days between consecutive history entries of every deal, closed
 * ones too, whatever the filter.  A stage's max_days that is not a whole
 * number above 0 is CRM_EINVALID naming the crm.ini line's value.  Release
 * with crm_alerts_release, also after a failure. */
int crm_alerts_compute(struct crm_alerts *out, struct crm_index *idx,
		       const struct crm_automation *a, const struct crm_filter *filter);
/* The same from deals already read: `all` is every opportunity that parsed
 * (crm_deals_collect with no filter and no period), each one a candidate.
 * The dashboard has them at hand, and a second pass over the deals would
 * decode each again. */
struct crm_deals;
int crm_alerts_from_deals(struct crm_alerts *out, struct crm_index *idx,
			  const struct crm_automation *a, const struct crm_deals *all);
void crm_alerts_release(struct crm_alerts *al);

/* "over the 14-day limit; over 2x the mean of 6.5 days (5 stays)". */
int crm_alert_why(struct crm_buf *out, const struct crm_alerts *al, const struct crm_alert *x);

/* {"today": "...", "factor": 2, "min_samples": 5, "alerts": [{"id",
 * "title", "stage", "owner", "since", "days", "limit", "mean", "samples",
 * "over_limit", "over_mean", "why"}]}; limit and mean are null when the
 * rule has none. */
int crm_alerts_json(struct crm_buf *out, const struct crm_alerts *al);

struct crm_report;
/* Adds table "alerts" (deal, stage, since, days, why) to `r` when there
 * is any alert: a section of the dashboard, a list whose terminal page
 * shows the first rows and points to `crm alerts` for the rest. */
int crm_alerts_report(struct crm_report *r, const struct crm_alerts *al);

#endif
