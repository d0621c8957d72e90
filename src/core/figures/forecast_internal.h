/* What forecast_report.c (the report, the terminal) and forecast_json.c
 * (the JSON) share: one forecast run, its groups and sums, the words that
 * explain a deal's weight, and the backtest run. */
#ifndef CRM_FORECAST_INTERNAL_H
#define CRM_FORECAST_INTERNAL_H

#include "crm/forecast.h"

/* One group's figures: a month, an owner or a stage. */
struct fc_cell {
	int count;
	crm_dec pipeline, expected;
};

/* One forecast: what was learnt, the items, and the groups in order. */
struct fc_run {
	const struct crm_forecast_data *data;
	const struct crm_forecast_options *o;
	crm_date as_of;
	int first;                    /* the first month */
	struct crm_forecast_model model;
	struct crm_forecast_item *items;
	size_t n;
	const char **keys;            /* owners or stages, in order (not by month) */
	size_t nk;
};

/* Learns and forecasts as of `today`; release with fc_run_release (also
 * after a failure). */
int fc_run_start(struct fc_run *run, const struct crm_forecast_data *data,
		 const struct crm_forecast_options *o, crm_date today);
void fc_run_release(struct fc_run *run);

/* Whether item `it` is in group `key` (NULL: any) and `month` (-1: any). */
bool fc_item_in(const struct fc_run *run, const struct crm_forecast_item *it,
		const char *key, int month);
/* Sums the items of group `key` (NULL: all) in `month` (-1: all). */
int fc_sum_cell(struct fc_cell *c, const struct fc_run *run, const char *key, int month);
/* An item's expected value rounded to the minor unit, as figures show it. */
crm_dec fc_item_expected(const struct crm_forecast_data *data,
			 const struct crm_forecast_item *it);
/* Why a deal weighs what it does, in words. */
void fc_why_text(struct crm_buf *out, const struct fc_run *run,
		 const struct crm_forecast_item *it);
/* A date as YYYY-MM-DD, "-" for CRM_FORECAST_NO_DATE. */
void fc_date_text(char *buf, size_t size, crm_date d);

/* The backtest over o->months months before today, and each method's error. */
struct bt_run {
	struct crm_backtest_month *months;   /* malloc'ed: the caller frees */
	size_t n;
	struct crm_backtest_error errs[CRM_FORECAST__COUNT];
};

int fc_bt_start(struct bt_run *bt, const struct crm_forecast_data *data, int months,
		crm_date today);

#endif
