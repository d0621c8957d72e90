/* Revenue forecasts over deal snapshots: each open deal's amount weighted by
 * its stage's probability, its confidence rating, or the win rates learnt
 * from the repository's own history (with owner and seasonal corrections),
 * bucketed by month of expected close; and the backtest that replays every
 * past month with only what was known then.  Pure functions over arrays, so
 * they are tested without a repository; then the same over a repository's
 * opportunities (forecast_report.c) as a crm_report or as JSON. */
#ifndef CRM_FORECAST_H
#define CRM_FORECAST_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/buf.h"
#include "crm/config.h"
#include "crm/date.h"
#include "crm/decimal.h"
#include "crm/index.h"
#include "crm/report.h"

struct crm_filter;

/* Ratios (probabilities, win rates, corrections, weights) are exact
 * decimals rounded half away from zero to this many places. */
#define CRM_FORECAST_RATIO_SCALE 8
/* Each deal's expected value (amount x weight) is kept to this many places;
 * a figure that sums deals is rounded once to the currency's minor unit. */
#define CRM_FORECAST_VALUE_SCALE 6
/* A stage's learnt win rate replaces its configured probability once this
 * many deals that reached it have closed (won or lost). */
#define CRM_FORECAST_MIN_STAGE_DEALS 3
/* An owner's correction applies once this many of their deals have closed. */
#define CRM_FORECAST_MIN_OWNER_DEALS 5
/* Seasonal factors are shrunk toward 1 as N / (N + this), N the won deals. */
#define CRM_FORECAST_SEASON_PRIOR 24
/* No date: created, closed or expected_close absent. */
#define CRM_FORECAST_NO_DATE INT32_MIN

enum crm_forecast_method {
	CRM_FORECAST_STAGE, CRM_FORECAST_CONFIDENCE, CRM_FORECAST_HISTORICAL,
	CRM_FORECAST__COUNT
};

struct crm_forecast_stage {
	const char *name;
	int probability;              /* percent */
	enum crm_outcome outcome;
};

/* One entry of a deal's `history`: on `date` it moved to stage `stage`
 * (an index into the input's stages). */
struct crm_forecast_step {
	crm_date date;
	int stage;
};

/* A deal as stored today.  Amount and confidence are today's values (the
 * forecast does not read older versions of them from git). */
struct crm_forecast_deal {
	const char *id;
	const char *owner;            /* "" when none */
	crm_date created;
	crm_date closed;              /* the `closed` field, or NO_DATE */
	crm_date expected_close;      /* or NO_DATE */
	int stage;                    /* current stage index, -1 when unknown */
	bool has_amount;
	crm_dec amount;               /* in the base currency */
	bool has_confidence;
	crm_dec confidence;           /* rating / max, 0..1 */
	const struct crm_forecast_step *history;  /* by date, oldest first */
	size_t nhistory;
	bool selected;                /* passes the user's filters: forecast and
				       * counted as actual; every deal teaches */
};

struct crm_forecast_input {
	const struct crm_forecast_stage *stages;
	size_t nstages;
	const struct crm_forecast_deal *deals;
	size_t ndeals;
	int minor_digits;             /* of the base currency */
};

/* Months as one integer: year * 12 + month - 1. */
int crm_forecast_month_of(crm_date d);
crm_date crm_forecast_month_start(int month);
/* "2025-03" into buf (at least 8 bytes). */
void crm_forecast_month_format(char *buf, size_t size, int month);

/* The stage `deal` was in at the end of day `day`, or -1 when it did not
 * exist yet (created later) or its stage is unknown.  The last history
 * entry on or before the day; before the first entry, that entry's stage
 * when it is open, else the pipeline's first open stage; a deal without
 * history is in its current stage once it closed (`closed` on or before
 * the day) or when that stage is open, else in the first open stage. */
int crm_forecast_stage_at(const struct crm_forecast_input *in,
			  const struct crm_forecast_deal *deal, crm_date day);
/* The day a deal whose current stage is won or lost closed: `closed`,
 * else the date of its last history entry; NO_DATE when it is open, void,
 * or has neither. */
crm_date crm_forecast_closed_on(const struct crm_forecast_input *in,
				const struct crm_forecast_deal *deal);

struct crm_forecast_owner {
	const char *owner;
	int closed;                   /* their deals closed by the date */
	bool applied;                 /* closed >= MIN_OWNER_DEALS and a forecast */
	crm_dec won;                  /* won value */
	crm_dec forecast;             /* sum of amount x learnt rate of the last
				       * open stage before each closed */
	crm_dec factor;               /* won / forecast when applied, else 1 */
};

/* What the historical method learnt from the deals closed by `as_of`. */
struct crm_forecast_model {
	crm_date as_of;
	size_t nstages;
	int *stage_won, *stage_closed;  /* per stage: reached it, then won / closed */
	bool *stage_learnt;             /* closed >= MIN_STAGE_DEALS */
	crm_dec *stage_rate;            /* learnt rate, else probability / 100 */
	struct crm_forecast_owner *owners;
	size_t nowners;
	bool seasonal;                  /* at least 12 complete months of closes */
	int season_first, season_last;  /* the months of the window used */
	int season_deals;               /* won deals in the window (N) */
	crm_dec season[12];             /* January first; 1 when not seasonal */
};

/* Learns stage win rates, owner corrections and seasonal factors from
 * every deal (selected or not) as it stood at the end of `as_of`:
 *  - rate(S) = won / closed among deals that reached S (a history entry
 *    with S, or in S at the day) and were won or lost by then; void deals
 *    teach nothing.
 *  - owner factor = won value / sum of amount x rate(last open stage) over
 *    the owner's won or lost deals, once they have MIN_OWNER_DEALS of them.
 *  - seasonality, when closes span 12 or more complete months: over the
 *    latest 12 x Y complete months (Y whole years), raw(m) = 12 x won value
 *    closed in month-of-year m / won value in the window, and
 *    factor(m) = 1 + (raw(m) - 1) x N / (N + SEASON_PRIOR).
 * Release with crm_forecast_model_release.  0, CRM_ENOMEM or CRM_EOVERFLOW. */
int crm_forecast_learn(struct crm_forecast_model *out, const struct crm_forecast_input *in,
		       crm_date as_of);
void crm_forecast_model_release(struct crm_forecast_model *m);
/* The owner's entry, or NULL. */
const struct crm_forecast_owner *crm_forecast_model_owner(const struct crm_forecast_model *m,
							   const char *owner);

/* One open deal's share of a forecast. */
struct crm_forecast_item {
	size_t deal;                  /* index into the input's deals */
	int stage;                    /* as of the date */
	int month;                    /* the bucket */
	bool overdue;                 /* expected_close fell before the first month */
	bool fallback;                /* confidence: no rating, stage probability used;
				       * historical: rate not learnt */
	crm_dec base;                 /* stage: probability; confidence: rating;
				       * historical: stage rate */
	crm_dec owner_factor;         /* historical only, else 1 */
	crm_dec season_factor;        /* historical only, else 1 */
	crm_dec weight;               /* round(round(base x owner) x season), each
				       * rounding to RATIO_SCALE places */
	crm_dec expected;             /* amount x weight, VALUE_SCALE */
};

/* The forecast made at the end of `as_of` for months first .. first+n-1:
 * every selected deal open at that day with an amount and an expected
 * close, bucketed by the month of expected close (earlier ones into
 * `first`, as overdue; later ones left out).  `model` is needed for the
 * historical method only.  *out is malloc'ed (caller frees), in deal order.
 * 0, CRM_ENOMEM, CRM_EOVERFLOW or CRM_EINVALID (historical without model). */
int crm_forecast_run(struct crm_forecast_item **out, size_t *n_out,
		     const struct crm_forecast_input *in, enum crm_forecast_method method,
		     const struct crm_forecast_model *model, crm_date as_of, int first,
		     int nmonths);
/* Sums the expected values of items (all when month < 0, else that
 * month's) and rounds the sum to the minor unit. */
int crm_forecast_sum(crm_dec *out, const struct crm_forecast_input *in,
		     const struct crm_forecast_item *items, size_t n, int month);

struct crm_backtest_month {
	int month;
	crm_date as_of;               /* the last day of the month before */
	int actual_deals;
	crm_dec actual;               /* selected deals won in the month */
	crm_dec predicted[CRM_FORECAST__COUNT];
};

struct crm_backtest_error {
	int months;                   /* months with an actual above zero */
	bool has_mape, has_bias;
	crm_dec mape;                 /* mean |predicted - actual| / actual, 4 places */
	crm_dec bias;                 /* (sum predicted - sum actual) / sum actual */
};

/* For each month first .. last: what each method predicted at the end of
 * the month before (learning from that day's knowledge only) against the
 * selected deals won in the month.  *out is malloc'ed, one entry a month. */
int crm_forecast_backtest(struct crm_backtest_month **out, const struct crm_forecast_input *in,
			  int first, int last);
/* Each method's error over the backtest: MAPE over the months with an
 * actual above zero, bias over all months (relative to their actual sum). */
int crm_forecast_errors(struct crm_backtest_error out[CRM_FORECAST__COUNT],
			const struct crm_backtest_month *months, size_t n);

const char *crm_forecast_method_name(enum crm_forecast_method m);
/* CRM_FORECAST__COUNT when unknown. */
enum crm_forecast_method crm_forecast_method_parse(const char *name);

/* ---- over a repository (src/core/figures/forecast_report.c) ---- */

enum crm_forecast_by {
	CRM_FORECAST_BY_MONTH, CRM_FORECAST_BY_OWNER, CRM_FORECAST_BY_STAGE,
	CRM_FORECAST_BY__COUNT
};

const char *crm_forecast_by_name(enum crm_forecast_by by);
/* CRM_FORECAST_BY__COUNT when unknown. */
enum crm_forecast_by crm_forecast_by_parse(const char *name);

struct crm_forecast_options {
	enum crm_forecast_method method;
	enum crm_forecast_by by;
	int months;                   /* ahead, or back for the backtest */
	bool explain;                 /* the deals behind each figure too */
	bool backtest;                /* every method against the past instead */
	const char *commit;           /* named in the header and JSON, or NULL */
};
#define CRM_FORECAST_OPTIONS_INIT \
	{ CRM_FORECAST_STAGE, CRM_FORECAST_BY_MONTH, 6, false, false, NULL }

/* A repository's opportunities as the forecast's input: every deal read
 * by crm/deal.h, `selected` when it passes the filter (NULL: all). */
struct crm_forecast_data {
	struct crm_forecast_input in;
	struct crm_forecast_stage *stages;
	struct crm_forecast_deal *deals;
	struct crm_forecast_step *steps;
	const char *currency;         /* the base currency */
	struct crm_buf warnings;      /* "path: reason\n" for each amount left out */
	size_t unreadable;            /* record files that could not be read */
	struct crm_arena arena;       /* the owners' names: the trees are dropped */
};

/* Fills *out from idx; release with crm_forecast_data_release (also after
 * a failure).  Fails only when out of memory. */
int crm_forecast_data_load(struct crm_forecast_data *out, struct crm_index *idx,
			   const struct crm_filter *filter);
void crm_forecast_data_release(struct crm_forecast_data *d);

/* The forecast made at the end of `today` (or, with o->backtest, the
 * backtest of o->months months before it) as tables of r: "by_month",
 * "by_owner" or "by_stage" (a total row last), "deals" with o->explain,
 * or "backtest" (its MAPE and bias rows last, as text). */
int crm_forecast_report(struct crm_report *r, const struct crm_forecast_data *data,
			const struct crm_forecast_options *o, crm_date today);
/* The terminal's first line: "expected revenue in EUR by month of expected
 * close, method stage, as of 2025-07-15". */
int crm_forecast_header(struct crm_buf *out, const struct crm_forecast_data *data,
			const struct crm_forecast_options *o, crm_date today);
/* The report of crm_forecast_report for a terminal: `header`, then each
 * table with its column names, by month with bars of the expected value. */
int crm_forecast_write_text(FILE *out, const struct crm_report *r, const char *header,
			    size_t width, bool color);
/* The forecast (or backtest) as one JSON document: method, as_of, commit,
 * currency, by, months, rows (with the deals under --explain), total, and
 * the learnt model for the historical method; the backtest's months and
 * each method's error. */
int crm_forecast_write_json(struct crm_buf *out, const struct crm_forecast_data *data,
			    const struct crm_forecast_options *o, crm_date today);

#endif
