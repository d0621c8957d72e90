/* The forecast's JSON document (crm_forecast_write_json): the rows with
 * their deals under --explain and the learnt model, or the backtest's
 * months and errors, written through the one emitter (crm/json.h). */
#include <stdlib.h>

#include "crm/json.h"
#include "core/figures/forecast_internal.h"

static void month_json(struct crm_json *j, int month)
{
	char m[16];
	crm_forecast_month_format(m, sizeof(m), month);
	crm_json_string(j, m);
}

static void date_json(struct crm_json *j, crm_date d)
{
	char buf[32];
	fc_date_text(buf, sizeof(buf), d);
	crm_json_string(j, buf);
}

static void item_json(struct crm_json *j, const struct fc_run *run,
		      const struct crm_forecast_item *it)
{
	const struct crm_forecast_data *data = run->data;
	const struct crm_forecast_deal *d = &data->deals[it->deal];
	struct crm_buf why = CRM_BUF_INIT;

	crm_json_object(j, CRM_JSON_INLINE);
	crm_json_key(j, "id");
	crm_json_string(j, d->id);
	crm_json_key(j, "owner");
	crm_json_string(j, d->owner ? d->owner : "");
	crm_json_key(j, "stage");
	crm_json_string(j, data->stages[it->stage].name);
	crm_json_key(j, "amount");
	crm_json_money(j, d->amount, data->currency);
	crm_json_key(j, "expected_close");
	date_json(j, d->expected_close);
	crm_json_key(j, "month");
	month_json(j, it->month);
	crm_json_key(j, "overdue");
	crm_json_bool(j, it->overdue);
	crm_json_key(j, "base");
	crm_json_decimal(j, it->base, true);
	crm_json_key(j, "owner_factor");
	crm_json_decimal(j, it->owner_factor, true);
	crm_json_key(j, "season_factor");
	crm_json_decimal(j, it->season_factor, true);
	crm_json_key(j, "weight");
	crm_json_decimal(j, it->weight, true);
	crm_json_key(j, "fallback");
	crm_json_bool(j, it->fallback);
	crm_json_key(j, "expected");
	crm_json_money(j, fc_item_expected(data, it), data->currency);
	fc_why_text(&why, run, it);
	crm_json_key(j, "why");
	crm_json_string(j, why.ptr);
	crm_json_end(j);
	crm_buf_release(&why);
}

/* count, pipeline and expected, as members of the open object. */
static void cell_json(struct crm_json *j, const struct fc_cell *c, const char *cur)
{
	crm_json_key(j, "count");
	crm_json_int(j, c->count);
	crm_json_key(j, "pipeline");
	crm_json_money(j, c->pipeline, cur);
	crm_json_key(j, "expected");
	crm_json_money(j, c->expected, cur);
}

/* The deals of a group and month as a JSON list (for --explain). */
static void deals_json(struct crm_json *j, const struct fc_run *run, const char *key,
		       int month)
{
	size_t i;

	crm_json_key(j, "deals");
	crm_json_array(j, CRM_JSON_BLOCK);
	for (i = 0; i < run->n; i++) {
		if (fc_item_in(run, &run->items[i], key, month))
			item_json(j, run, &run->items[i]);
	}
	crm_json_end(j);
}

static void model_json(struct crm_json *j, const struct fc_run *run)
{
	const struct crm_forecast_data *data = run->data;
	const struct crm_forecast_model *m = &run->model;
	size_t i;
	int k;

	crm_json_key(j, "model");
	crm_json_object(j, CRM_JSON_INLINE);
	crm_json_key(j, "stages");
	crm_json_array(j, CRM_JSON_BLOCK);
	for (i = 0; i < data->in.nstages; i++) {
		if (data->stages[i].outcome != CRM_OUTCOME_OPEN)
			continue;
		crm_json_object(j, CRM_JSON_INLINE);
		crm_json_key(j, "stage");
		crm_json_string(j, data->stages[i].name);
		crm_json_key(j, "probability");
		crm_json_int(j, data->stages[i].probability);
		crm_json_key(j, "closed");
		crm_json_int(j, m->stage_closed[i]);
		crm_json_key(j, "won");
		crm_json_int(j, m->stage_won[i]);
		crm_json_key(j, "learnt");
		crm_json_bool(j, m->stage_learnt[i]);
		crm_json_key(j, "rate");
		crm_json_decimal(j, m->stage_rate[i], true);
		crm_json_end(j);
	}
	crm_json_end(j);
	crm_json_key(j, "owners");
	crm_json_array(j, CRM_JSON_BLOCK);
	for (i = 0; i < m->nowners; i++) {
		crm_json_object(j, CRM_JSON_INLINE);
		crm_json_key(j, "owner");
		crm_json_string(j, m->owners[i].owner);
		crm_json_key(j, "closed");
		crm_json_int(j, m->owners[i].closed);
		crm_json_key(j, "won");
		crm_json_money(j, m->owners[i].won, data->currency);
		crm_json_key(j, "forecast");
		crm_json_money(j, m->owners[i].forecast, data->currency);
		crm_json_key(j, "applied");
		crm_json_bool(j, m->owners[i].applied);
		crm_json_key(j, "factor");
		crm_json_decimal(j, m->owners[i].factor, true);
		crm_json_end(j);
	}
	crm_json_end(j);
	crm_json_key(j, "seasonal");
	crm_json_bool(j, m->seasonal);
	if (m->seasonal) {
		crm_json_key(j, "season_window");
		crm_json_array(j, CRM_JSON_INLINE);
		month_json(j, m->season_first);
		month_json(j, m->season_last);
		crm_json_end(j);
		crm_json_key(j, "season_deals");
		crm_json_int(j, m->season_deals);
		crm_json_key(j, "season");
		crm_json_array(j, CRM_JSON_INLINE);
		for (k = 0; k < 12; k++)
			crm_json_decimal(j, m->season[k], true);
		crm_json_end(j);
	}
	crm_json_end(j);
}

/* One row: a month, an owner or a stage; by owner or stage with its
 * months. */
static int row_json(struct crm_json *j, const struct fc_run *run, size_t k)
{
	bool by_month = run->o->by == CRM_FORECAST_BY_MONTH;
	int month = by_month ? run->first + (int)k : -1, mo, err;
	const char *key = by_month ? NULL : run->keys[k];
	struct fc_cell c;

	err = fc_sum_cell(&c, run, key, month);
	crm_json_object(j, CRM_JSON_INLINE);
	crm_json_key(j, "key");
	if (by_month)
		month_json(j, month);
	else
		crm_json_string(j, key);
	cell_json(j, &c, run->data->currency);
	if (run->o->explain)
		deals_json(j, run, key, month);
	if (!by_month) {
		crm_json_key(j, "by_month");
		crm_json_array(j, CRM_JSON_INLINE);
		for (mo = 0; mo < run->o->months && !err; mo++) {
			err = fc_sum_cell(&c, run, key, run->first + mo);
			crm_json_object(j, CRM_JSON_INLINE);
			crm_json_key(j, "month");
			month_json(j, run->first + mo);
			cell_json(j, &c, run->data->currency);
			crm_json_end(j);
		}
		crm_json_end(j);
	}
	crm_json_end(j);
	return err;
}

static int forecast_json(struct crm_json *j, const struct fc_run *run)
{
	const struct crm_forecast_options *o = run->o;
	struct fc_cell c;
	size_t k;
	int mo, err = 0;

	crm_json_object(j, CRM_JSON_BLOCK);
	crm_json_key(j, "method");
	crm_json_string(j, crm_forecast_method_name(o->method));
	crm_json_key(j, "as_of");
	date_json(j, run->as_of);
	if (o->commit) {
		crm_json_key(j, "commit");
		crm_json_string(j, o->commit);
	}
	crm_json_key(j, "unreadable_files");
	crm_json_int(j, (int64_t)run->data->unreadable);
	crm_json_key(j, "currency");
	crm_json_string(j, run->data->currency);
	crm_json_key(j, "by");
	crm_json_string(j, crm_forecast_by_name(o->by));
	crm_json_key(j, "months");
	crm_json_array(j, CRM_JSON_INLINE);
	for (mo = 0; mo < o->months; mo++)
		month_json(j, run->first + mo);
	crm_json_end(j);
	crm_json_key(j, "rows");
	crm_json_array(j, CRM_JSON_BLOCK);
	for (k = 0; k < run->nk && !err; k++)
		err = row_json(j, run, k);
	crm_json_end(j);
	if (!err)
		err = fc_sum_cell(&c, run, NULL, -1);
	crm_json_key(j, "total");
	crm_json_object(j, CRM_JSON_INLINE);
	cell_json(j, &c, run->data->currency);
	crm_json_end(j);
	if (o->method == CRM_FORECAST_HISTORICAL)
		model_json(j, run);
	crm_json_end(j);
	return err ? err : j->err;
}

/* An error of the backtest: a decimal as it is, or null. */
static void error_json(struct crm_json *j, bool has, crm_dec v)
{
	if (has)
		crm_json_decimal(j, v, false);
	else
		crm_json_null(j);
}

static int backtest_json(struct crm_json *j, const struct crm_forecast_data *data,
			 const struct bt_run *bt)
{
	size_t i;
	int m;

	crm_json_object(j, CRM_JSON_BLOCK);
	crm_json_key(j, "unreadable_files");
	crm_json_int(j, (int64_t)data->unreadable);
	crm_json_key(j, "currency");
	crm_json_string(j, data->currency);
	crm_json_key(j, "months");
	crm_json_array(j, CRM_JSON_BLOCK);
	for (i = 0; i < bt->n; i++) {
		crm_json_object(j, CRM_JSON_INLINE);
		crm_json_key(j, "month");
		month_json(j, bt->months[i].month);
		crm_json_key(j, "as_of");
		date_json(j, bt->months[i].as_of);
		crm_json_key(j, "won_deals");
		crm_json_int(j, bt->months[i].actual_deals);
		crm_json_key(j, "actual");
		crm_json_money(j, bt->months[i].actual, data->currency);
		crm_json_key(j, "predicted");
		crm_json_object(j, CRM_JSON_INLINE);
		for (m = 0; m < CRM_FORECAST__COUNT; m++) {
			crm_json_key(j, crm_forecast_method_name((enum crm_forecast_method)m));
			crm_json_money(j, bt->months[i].predicted[m], data->currency);
		}
		crm_json_end(j);
		crm_json_end(j);
	}
	crm_json_end(j);
	crm_json_key(j, "methods");
	crm_json_array(j, CRM_JSON_BLOCK);
	for (m = 0; m < CRM_FORECAST__COUNT; m++) {
		crm_json_object(j, CRM_JSON_INLINE);
		crm_json_key(j, "method");
		crm_json_string(j, crm_forecast_method_name((enum crm_forecast_method)m));
		crm_json_key(j, "months");
		crm_json_int(j, bt->errs[m].months);
		crm_json_key(j, "mape");
		error_json(j, bt->errs[m].has_mape, bt->errs[m].mape);
		crm_json_key(j, "bias");
		error_json(j, bt->errs[m].has_bias, bt->errs[m].bias);
		crm_json_end(j);
	}
	crm_json_end(j);
	return crm_json_end(j);
}

int crm_forecast_write_json(struct crm_buf *out, const struct crm_forecast_data *data,
			    const struct crm_forecast_options *o, crm_date today)
{
	struct crm_json j;
	struct fc_run run;
	struct bt_run bt;
	int err;

	crm_json_init(&j, out);
	if (o->backtest) {
		err = fc_bt_start(&bt, data, o->months, today);
		if (!err)
			err = backtest_json(&j, data, &bt);
		free(bt.months);
	} else {
		err = fc_run_start(&run, data, o, today);
		if (!err)
			err = forecast_json(&j, &run);
		fc_run_release(&run);
	}
	return err ? err : crm_buf_addch(out, '\n');
}
