/* The forecast of `crm forecast` over a repository: opportunities read as
 * deal snapshots (crm/deal.h's one reading), the forecast and backtest of
 * forecast.c grouped by month, owner or stage, and the result as a
 * crm_report (terminal, CSV, HTML, xlsx).  Its JSON is forecast_json.c. */
#include <stdlib.h>
#include <string.h>

#include "crm/deal.h"
#include "crm/error.h"
#include "crm/filter.h"
#include "crm/forecast.h"
#include "crm/locale_format.h"
#include "crm/money.h"
#include "crm/table.h"
#include "crm/utf8.h"
#include "core/figures/forecast_internal.h"
#include "core/figures/stats_internal.h"

/* ---- the deals ---- */

void fc_date_text(char *buf, size_t size, crm_date d)
{
	if (d == CRM_FORECAST_NO_DATE)
		snprintf(buf, size, "-");
	else
		crm_date_format(buf, size, d);
}

static crm_date date_value(struct crm_index *idx, struct crm_record *rec, const char *name)
{
	struct crm_value v;
	if (crm_index_value(&v, idx, rec, name) || v.kind != CRM_V_DATE)
		return CRM_FORECAST_NO_DATE;
	return v.u.date;
}

static void read_confidence(struct crm_forecast_deal *d, struct crm_index *idx,
			    struct crm_record *rec)
{
	const struct crm_field *f = crm_schema_field(rec->schema, "confidence");
	crm_dec max = crm_dec_from_int(5);
	struct crm_value v;

	if (!f || crm_index_value(&v, idx, rec, "confidence") || v.kind != CRM_V_NUMBER)
		return;
	if (f->has_max)
		max = f->max;
	if (max.units <= 0 || v.u.num.units < 0 || crm_dec_cmp(v.u.num, max) > 0)
		return;
	if (!crm_dec_div(&d->confidence, v.u.num, max, CRM_FORECAST_RATIO_SCALE))
		d->has_confidence = true;
}

/* The forecast's view of a deal, from crm/deal.h's one reading of it; its
 * history goes to data->steps at `first` (made room for by the caller) and
 * d->history is set once every deal is read (the steps may move). */
static int read_deal(struct crm_forecast_data *data, struct crm_forecast_deal *d, size_t first,
		     struct crm_deal_step *scratch, struct crm_index *idx, struct crm_record *rec)
{
	struct crm_deal deal;
	size_t i;

	crm_deal_read(&deal, idx, rec);
	if (deal.unconverted)
		crm_buf_addf(&data->warnings, "%s: %s\n", rec->path, crm_error_last());
	d->id = rec->id;
	d->owner = deal.owner ? crm_arena_strdup(&data->arena, deal.owner) : "";
	d->created = deal.created;
	d->closed = deal.has_closed ? deal.closed : CRM_FORECAST_NO_DATE;
	d->stage = deal.stage ? (int)deal.stage_pos : -1;
	d->has_amount = deal.has_amount;
	d->amount = deal.amount;
	d->nhistory = crm_deal_history(scratch, &crm_index_repo(idx)->config, rec);
	for (i = 0; i < d->nhistory; i++) {
		data->steps[first + i].date = scratch[i].date;
		data->steps[first + i].stage = (int)scratch[i].stage;
	}
	d->history = NULL;
	d->expected_close = date_value(idx, rec, "expected_close");
	read_confidence(d, idx, rec);
	return d->owner ? 0 : CRM_ENOMEM;
}

/* One pass over the opportunities, each decoded in turn and let go (see
 * stats_open): the deals and their steps are all the forecast keeps. */
int crm_forecast_data_load(struct crm_forecast_data *data, struct crm_index *idx,
			   const struct crm_filter *filter)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	struct crm_deal_step *scratch = NULL;
	struct crm_record **all;
	size_t n, i, used = 0, ndeals = 0, steps_cap = 0, scratch_cap = 0;
	int err = 0;

	memset(data, 0, sizeof(*data));
	crm_buf_init(&data->warnings);
	crm_arena_init(&data->arena);
	data->currency = cfg->currency;
	all = crm_index_list(idx, "opportunity", &n);
	data->stages = calloc(cfg->stages.len + 1, sizeof(*data->stages));
	data->deals = calloc(n + 1, sizeof(*data->deals));
	if (!data->stages || !data->deals) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < cfg->stages.len; i++) {
		data->stages[i].name = cfg->stages.ptr[i].name;
		data->stages[i].probability = cfg->stages.ptr[i].probability;
		data->stages[i].outcome = cfg->stages.ptr[i].outcome;
	}
	for (i = 0; i < n && !err; i++) {
		struct crm_forecast_deal *d = &data->deals[ndeals];
		size_t size;

		stats_open(idx, all[i]);
		/* a file that did not parse teaches and forecasts nothing */
		if (!all[i]->root)
			continue;
		size = crm_deal_history_size(all[i]);
		if (crm_array_grow((void **)&scratch, &scratch_cap, sizeof(*scratch), size + 1) ||
		    crm_array_grow((void **)&data->steps, &steps_cap, sizeof(*data->steps),
				   used + size + 1)) {
			err = CRM_ENOMEM;
			break;
		}
		err = read_deal(data, d, used, scratch, idx, all[i]);
		used += d->nhistory;
		d->selected = !filter || crm_filter_match(filter, idx, all[i]);
		ndeals++;
	}
	if (err) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0, used = 0; i < ndeals; i++) {
		data->deals[i].history = data->steps + used;
		used += data->deals[i].nhistory;
	}
	data->unreadable = crm_index_unreadable(idx, NULL);
	data->in.stages = data->stages;
	data->in.nstages = cfg->stages.len;
	data->in.deals = data->deals;
	data->in.ndeals = ndeals;
	data->in.minor_digits = crm_currency_exponent(data->currency);
	if (data->in.minor_digits < 0)
		data->in.minor_digits = 2;
done:
	free(scratch);
	return err;
}

void crm_forecast_data_release(struct crm_forecast_data *d)
{
	free(d->stages);
	free(d->deals);
	free(d->steps);
	crm_buf_release(&d->warnings);
	crm_arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

static const char *const by_names[] = { "month", "owner", "stage" };

const char *crm_forecast_by_name(enum crm_forecast_by by)
{
	return by < CRM_FORECAST_BY__COUNT ? by_names[by] : "?";
}

enum crm_forecast_by crm_forecast_by_parse(const char *name)
{
	int i;
	for (i = 0; i < CRM_FORECAST_BY__COUNT && strcmp(by_names[i], name); i++)
		;
	return (enum crm_forecast_by)i;
}

/* ---- groups: a month, an owner or a stage ---- */

static const char *group_key(const struct crm_forecast_data *data,
			     const struct crm_forecast_item *it, enum crm_forecast_by by,
			     char *buf, size_t size)
{
	if (by == CRM_FORECAST_BY_OWNER) {
		const char *o = data->deals[it->deal].owner;
		return o && *o ? o : "(none)";
	}
	if (by == CRM_FORECAST_BY_STAGE)
		return data->stages[it->stage].name;
	crm_forecast_month_format(buf, size, it->month);
	return buf;
}

/* The groups in order: months in order; owners by name; stages in
 * pipeline order. */
static size_t collect_keys(const char **keys, const struct crm_forecast_data *data,
			   const struct crm_forecast_item *items, size_t n,
			   enum crm_forecast_by by)
{
	size_t i, k, nk = 0;

	if (by == CRM_FORECAST_BY_STAGE) {
		for (k = 0; k < data->in.nstages; k++) {
			for (i = 0; i < n && items[i].stage != (int)k; i++)
				;
			if (i < n)
				keys[nk++] = data->stages[k].name;
		}
		return nk;
	}
	for (i = 0; i < n; i++) {
		char tmp[16];
		const char *key = group_key(data, &items[i], by, tmp, sizeof(tmp));
		for (k = 0; k < nk && strcmp(keys[k], key); k++)
			;
		if (k < nk)
			continue;
		for (k = nk; k > 0 && strcmp(keys[k - 1], key) > 0; k--)
			keys[k] = keys[k - 1];
		keys[k] = key;
		nk++;
	}
	return nk;
}

static bool in_group(const struct crm_forecast_data *data, const struct crm_forecast_item *it,
		     enum crm_forecast_by by, const char *key)
{
	char tmp[16];
	return by == CRM_FORECAST_BY_MONTH ||
	       !strcmp(group_key(data, it, by, tmp, sizeof(tmp)), key);
}

bool fc_item_in(const struct fc_run *run, const struct crm_forecast_item *it,
		const char *key, int month)
{
	return !(key && !in_group(run->data, it, run->o->by, key)) &&
	       !(month >= 0 && it->month != month);
}

/* Sums the items of group `key` (NULL: all) in `month` (-1: all). */
int fc_sum_cell(struct fc_cell *c, const struct fc_run *run, const char *key, int month)
{
	crm_dec pipe = crm_dec_from_int(0), exp = crm_dec_from_int(0);
	size_t i;
	int err = 0;

	c->count = 0;
	for (i = 0; i < run->n && !err; i++) {
		if (!fc_item_in(run, &run->items[i], key, month))
			continue;
		c->count++;
		err = crm_dec_add(&pipe, pipe, run->data->deals[run->items[i].deal].amount);
		if (!err)
			err = crm_dec_add(&exp, exp, run->items[i].expected);
	}
	if (!err)
		err = crm_dec_round(&c->pipeline, pipe, run->data->in.minor_digits);
	if (!err)
		err = crm_dec_round(&c->expected, exp, run->data->in.minor_digits);
	return err;
}

/* An item's expected value rounded to the minor unit, as every figure
 * shows it. */
crm_dec fc_item_expected(const struct crm_forecast_data *data,
			 const struct crm_forecast_item *it)
{
	crm_dec e;
	if (crm_dec_round(&e, it->expected, data->in.minor_digits))
		e = it->expected;
	return e;
}

/* Why a deal weighs what it does, in words. */
void fc_why_text(struct crm_buf *out, const struct fc_run *run,
		 const struct crm_forecast_item *it)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const struct crm_forecast_data *data = run->data;
	const struct crm_forecast_model *model = &run->model;
	enum crm_forecast_method method = run->o->method;
	const struct crm_forecast_stage *st = &data->stages[it->stage];
	char r[32];

	if (method == CRM_FORECAST_STAGE || (method == CRM_FORECAST_CONFIDENCE && it->fallback))
		crm_buf_addf(out, "%s%s %d%%", it->fallback ? "no rating; " : "", st->name,
			     st->probability);
	else if (method == CRM_FORECAST_CONFIDENCE) {
		crm_dec_format_trim(r, sizeof(r), it->base);
		crm_buf_addf(out, "rating %s", r);
	} else {
		if (it->fallback)
			crm_buf_addf(out, "%s %d%% (%d closed)", st->name, st->probability,
				     model->stage_closed[it->stage]);
		else
			crm_buf_addf(out, "%s won %d/%d", st->name, model->stage_won[it->stage],
				     model->stage_closed[it->stage]);
		if (crm_dec_cmp(it->owner_factor, crm_dec_from_int(1))) {
			crm_dec_format_trim(r, sizeof(r), it->owner_factor);
			crm_buf_addf(out, "; %s x%s", data->deals[it->deal].owner, r);
		}
		if (model->seasonal) {
			crm_dec_format_trim(r, sizeof(r), it->season_factor);
			crm_buf_addf(out, "; %s x%s", mon[it->month % 12], r);
		}
	}
	if (it->overdue)
		crm_buf_adds(out, "; overdue");
}

int fc_run_start(struct fc_run *run, const struct crm_forecast_data *data,
		 const struct crm_forecast_options *o, crm_date today)
{
	int err;

	memset(run, 0, sizeof(*run));
	run->data = data;
	run->o = o;
	run->as_of = today;
	run->first = crm_forecast_month_of(today);
	err = crm_forecast_learn(&run->model, &data->in, today);
	if (!err)
		err = crm_forecast_run(&run->items, &run->n, &data->in, o->method, &run->model,
				       today, run->first, o->months);
	if (err)
		return err;
	run->keys = calloc(run->n + (size_t)o->months + 1, sizeof(*run->keys));
	if (!run->keys)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	run->nk = o->by == CRM_FORECAST_BY_MONTH
		? (size_t)o->months : collect_keys(run->keys, data, run->items, run->n, o->by);
	return 0;
}

void fc_run_release(struct fc_run *run)
{
	free(run->keys);
	free(run->items);
	crm_forecast_model_release(&run->model);
}

/* ---- the report ---- */

static int backtest_report(struct crm_report *r, const struct crm_forecast_data *data,
			   int months, crm_date today);

static const char *month_text(struct crm_report *r, int month)
{
	char buf[16];
	crm_forecast_month_format(buf, sizeof(buf), month);
	return crm_arena_strdup(&r->arena, buf);
}

static int add_money(struct crm_report_table *t, const struct crm_forecast_data *data,
		     crm_dec v)
{
	return crm_report_add(t, crm_cell_money(v, data->currency));
}

static int table_by_month(struct crm_report *r, const struct fc_run *run)
{
	const struct crm_forecast_data *data = run->data;
	struct crm_report_table *t;
	struct fc_cell c;
	int mo, err;

	err = crm_report_table(&t, r, "by_month", "Expected revenue by month of expected close",
			       "month", "Month", "deals", "Deals", "pipeline", "Pipeline",
			       "expected", "Expected", NULL);
	for (mo = 0; mo <= run->o->months && !err; mo++) {
		bool total = mo == run->o->months;
		err = fc_sum_cell(&c, run, NULL, total ? -1 : run->first + mo);
		if (!err)
			err = crm_report_add(t, crm_cell_text(r, total ? "total"
							      : month_text(r, run->first + mo)));
		if (!err)
			err = crm_report_add(t, crm_cell_int(c.count));
		if (!err)
			err = add_money(t, data, c.pipeline);
		if (!err)
			err = add_money(t, data, c.expected);
	}
	return err;
}

/* Owners or stages down, months across, and a total each way. */
static int table_by_group(struct crm_report *r, const struct fc_run *run)
{
	const struct crm_forecast_data *data = run->data;
	const char *by = by_names[run->o->by];
	size_t ncols = (size_t)run->o->months + 2, k;
	struct crm_report_column *cols = crm_arena_alloc(&r->arena, ncols * sizeof(*cols));
	struct crm_report_table *t;
	struct fc_cell c;
	int mo, err;

	if (!cols)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	cols[0].name = by;
	cols[0].label = run->o->by == CRM_FORECAST_BY_OWNER ? "Owner" : "Stage";
	for (mo = 0; mo < run->o->months; mo++) {
		cols[mo + 1].name = cols[mo + 1].label = month_text(r, run->first + mo);
		if (!cols[mo + 1].name)
			return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	cols[ncols - 1].name = "total";
	cols[ncols - 1].label = "Total";
	err = crm_report_table_of(&t, r, run->o->by == CRM_FORECAST_BY_OWNER ? "by_owner"
				  : "by_stage", run->o->by == CRM_FORECAST_BY_OWNER
				  ? "Expected revenue by owner and month"
				  : "Expected revenue by stage and month", cols, ncols);
	for (k = 0; k <= run->nk && !err; k++) {
		const char *key = k < run->nk ? run->keys[k] : NULL;
		err = crm_report_add(t, crm_cell_text(r, key ? key : "total"));
		for (mo = 0; mo <= run->o->months && !err; mo++) {
			err = fc_sum_cell(&c, run, key, mo < run->o->months ? run->first + mo : -1);
			if (!err)
				err = add_money(t, data, c.expected);
		}
	}
	return err;
}

static bool explain_before(const struct fc_run *run, const struct crm_forecast_item *a,
			   const struct crm_forecast_item *b)
{
	enum crm_forecast_by by = run->o->by;
	char ta[16], tb[16];
	int c = by == CRM_FORECAST_BY_STAGE ? a->stage - b->stage
		: by == CRM_FORECAST_BY_OWNER
		? strcmp(group_key(run->data, a, by, ta, sizeof(ta)),
			 group_key(run->data, b, by, tb, sizeof(tb)))
		: 0;
	return c ? c < 0 : a->month < b->month;
}

/* The deals behind the figures: by group, then month, then path order. */
static int table_deals(struct crm_report *r, const struct fc_run *run)
{
	const struct crm_forecast_data *data = run->data;
	struct crm_report_table *t;
	struct crm_buf why = CRM_BUF_INIT;
	size_t *order = calloc(run->n + 1, sizeof(*order)), i, j;
	int err;

	if (!order)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	/* insertion sort keeps path order within a group and month */
	for (i = 0; i < run->n; i++) {
		for (j = i; j > 0 && explain_before(run, &run->items[i], &run->items[order[j - 1]]);
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	err = crm_report_table(&t, r, "deals", "The deals behind each figure", "month", "Month",
			       "deal", "Deal", "owner", "Owner", "stage", "Stage", "amount",
			       "Amount", "weight", "Weight", "expected", "Expected", "why", "Why",
			       NULL);
	for (i = 0; i < run->n && !err; i++) {
		const struct crm_forecast_item *it = &run->items[order[i]];
		const struct crm_forecast_deal *d = &data->deals[it->deal];

		crm_buf_reset(&why);
		fc_why_text(&why, run, it);
		err = crm_report_add(t, crm_cell_text(r, month_text(r, it->month)));
		if (!err)
			err = crm_report_add(t, crm_cell_text(r, d->id));
		if (!err)
			err = crm_report_add(t, crm_cell_text(r, d->owner ? d->owner : ""));
		if (!err)
			err = crm_report_add(t, crm_cell_text(r, data->stages[it->stage].name));
		if (!err)
			err = add_money(t, data, d->amount);
		if (!err)
			err = crm_report_add(t, crm_cell_number(it->weight));
		if (!err)
			err = add_money(t, data, fc_item_expected(data, it));
		if (!err)
			err = crm_report_add(t, crm_cell_text(r, why.ptr));
	}
	crm_buf_release(&why);
	free(order);
	return err;
}

int crm_forecast_report(struct crm_report *r, const struct crm_forecast_data *data,
			const struct crm_forecast_options *o, crm_date today)
{
	struct fc_run run;
	int err;

	char day[16];

	r->currency = data->currency;
	r->unreadable = data->unreadable;
	fc_date_text(day, sizeof(day), today);
	r->scope = o->backtest ? crm_arena_printf(&r->arena, "months before %s", day)
		: crm_arena_printf(&r->arena, "method %s, as of %s",
				   crm_forecast_method_name(o->method), day);
	if (o->backtest)
		return backtest_report(r, data, o->months, today);
	err = fc_run_start(&run, data, o, today);
	if (!err)
		err = o->by == CRM_FORECAST_BY_MONTH ? table_by_month(r, &run)
						    : table_by_group(r, &run);
	if (!err && o->explain)
		err = table_deals(r, &run);
	fc_run_release(&run);
	return err;
}

int crm_forecast_header(struct crm_buf *out, const struct crm_forecast_data *data,
			const struct crm_forecast_options *o, crm_date today)
{
	char buf[32];

	if (o->backtest)
		return crm_buf_addf(out, "backtest in %s: each month predicted at the end of the "
				    "month before, against what was won", data->currency);
	fc_date_text(buf, sizeof(buf), today);
	crm_buf_addf(out, "expected revenue in %s by %s, method %s, as of %s", data->currency,
		     o->by == CRM_FORECAST_BY_MONTH ? "month of expected close" : by_names[o->by],
		     crm_forecast_method_name(o->method), buf);
	if (o->commit)
		crm_buf_addf(out, " (commit %.8s)", o->commit);
	return 0;
}

/* ---- the backtest ---- */

/* "93.3%", "+5.0%" or "-". */
static void pct_text(char *buf, size_t size, bool has, crm_dec v, bool sign)
{
	crm_dec p;
	char num[32];

	if (!has || crm_dec_mul_round(&p, v, crm_dec_from_int(100), 1)) {
		snprintf(buf, size, "-");
		return;
	}
	crm_dec_format(num, sizeof(num), p);
	snprintf(buf, size, "%s%s%%", sign && p.units > 0 ? "+" : "", num);
}

/* The months the backtest replays: `months` back from the one before
 * today's, none before the month after the first deal was created
 * (nothing was known then). */
static void backtest_span(int *first, int *last, const struct crm_forecast_data *data,
			  int months, crm_date today)
{
	int earliest = -1;
	size_t i;

	*last = crm_forecast_month_of(today) - 1;
	*first = *last - months + 1;
	for (i = 0; i < data->in.ndeals; i++) {
		crm_date c = data->deals[i].created;
		int cm;
		if (c == CRM_FORECAST_NO_DATE)
			continue;
		cm = crm_forecast_month_of(c);
		if (earliest < 0 || cm < earliest)
			earliest = cm;
	}
	if (earliest >= 0 && *first < earliest + 1)
		*first = earliest + 1;
}

int fc_bt_start(struct bt_run *bt, const struct crm_forecast_data *data, int months,
		crm_date today)
{
	int first, last, err;

	memset(bt, 0, sizeof(*bt));
	backtest_span(&first, &last, data, months, today);
	err = crm_forecast_backtest(&bt->months, &data->in, first, last);
	bt->n = last >= first ? (size_t)(last - first + 1) : 0;
	if (!err)
		err = crm_forecast_errors(bt->errs, bt->months, bt->n);
	return err;
}

/* A row of errors: MAPE or bias as text ("93.3%"), one a method. */
static int backtest_error_row(struct crm_report *r, struct crm_report_table *t,
			      const struct bt_run *bt, bool bias)
{
	char buf[64];
	int m, err;

	err = crm_report_add(t, crm_cell_text(r, bias ? "bias" : "MAPE"));
	if (!err)
		err = crm_report_add(t, crm_cell_text(r, NULL));
	for (m = 0; m < CRM_FORECAST__COUNT && !err; m++) {
		if (bias)
			pct_text(buf, sizeof(buf), bt->errs[m].has_bias, bt->errs[m].bias, true);
		else
			pct_text(buf, sizeof(buf), bt->errs[m].has_mape, bt->errs[m].mape, false);
		err = crm_report_add(t, crm_cell_text(r, buf));
	}
	return err;
}

static int backtest_report(struct crm_report *r, const struct crm_forecast_data *data,
			   int months, crm_date today)
{
	struct crm_report_table *t;
	struct bt_run bt;
	size_t i;
	int m, err;

	r->currency = data->currency;
	err = fc_bt_start(&bt, data, months, today);
	if (!err)
		err = crm_report_table(&t, r, "backtest", "Each month predicted at the end of the "
				       "month before, against what was won", "month", "Month",
				       "actual", "Actual", "stage", "Stage", "confidence",
				       "Confidence", "historical", "Historical", NULL);
	for (i = 0; i < bt.n && !err; i++) {
		err = crm_report_add(t, crm_cell_text(r, month_text(r, bt.months[i].month)));
		if (!err)
			err = add_money(t, data, bt.months[i].actual);
		for (m = 0; m < CRM_FORECAST__COUNT && !err; m++)
			err = add_money(t, data, bt.months[i].predicted[m]);
	}
	if (!err)
		err = backtest_error_row(r, t, &bt, false);
	if (!err)
		err = backtest_error_row(r, t, &bt, true);
	free(bt.months);
	return err;
}

/* ---- terminal ---- */

/* A table as the forecast has always printed it: names as headers, cells
 * as CSV has them, every column right-aligned but the first (and the
 * deals' text columns); by month with a bar of the expected value. */
/* A cell of the text table: amounts without their code (the header names
 * the currency), grouped in the display locale ("330,480.00"). */
static int grouped_cell(struct crm_buf *out, const struct crm_cell *c)
{
	struct crm_buf plain = CRM_BUF_INIT;
	char grouped[96];
	int err = crm_cell_format(&plain, c, true);

	if (!err && (c->kind == CRM_CELL_MONEY || c->kind == CRM_CELL_NUMBER ||
		     c->kind == CRM_CELL_INT)) {
		crm_locale_group(grouped, sizeof(grouped), plain.ptr);
		err = crm_buf_adds(out, grouped);
	} else if (!err) {
		err = crm_buf_adds(out, plain.ptr);
	}
	crm_buf_release(&plain);
	return err;
}

#define BAR_WIDTH 24

/* The bar column's header, its axis: 0 at the left end and the largest
 * month's value at the right one, where its bar ends ("0       42,500"). */
static const char *bar_scale(struct crm_buf *out, double max, size_t width)
{
	struct crm_buf label = CRM_BUF_INIT;
	size_t w;

	if (!(max > 0))
		return "";
	crm_report_axis_label(&label, max, max);
	w = crm_utf8_width(label.ptr);
	crm_buf_adds(out, "0");
	crm_buf_addchars(out, ' ', w + 2 <= width ? width - 1 - w : 1);
	crm_buf_adds(out, label.ptr);
	crm_buf_release(&label);
	return out->ptr ? out->ptr : "";
}

static int text_table(FILE *out, const struct crm_report_table *t, size_t width, bool color)
{
	bool bars = !strcmp(t->name, "by_month"), deals = !strcmp(t->name, "deals");
	size_t ncols = t->ncols + (bars ? 1 : 0), rows = crm_report_rows(t), i, j;
	const char **headers = calloc(ncols + 1, sizeof(*headers));
	struct crm_buf cell = CRM_BUF_INIT, scale = CRM_BUF_INIT;
	struct crm_table tt;
	double max = 0;
	int err;

	if (!headers)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (j = 0; j < t->ncols; j++)
		headers[j] = t->cols[j].name;
	/* the bars' scale: the months, not their total (the last row) */
	for (i = 0; bars && i + 1 < rows; i++) {
		double v = crm_cell_magnitude(crm_report_cell(t, i, t->ncols - 1));
		max = v > max ? v : max;
	}
	if (bars)
		headers[t->ncols] = bar_scale(&scale, max, BAR_WIDTH);
	err = crm_table_init(&tt, ncols, headers);
	for (j = 1; j < ncols && !err; j++)
		crm_table_align_right(&tt, j, deals ? j >= 4 && j <= 6 : j < t->ncols);
	for (i = 0; i < rows && !err; i++) {
		for (j = 0; j < t->ncols && !err; j++) {
			crm_buf_reset(&cell);
			grouped_cell(&cell, crm_report_cell(t, i, j));
			err = crm_table_add(&tt, cell.ptr);
		}
		if (bars && !err) {
			crm_buf_reset(&cell);
			if (i + 1 < rows)
				crm_report_bar(&cell, crm_cell_magnitude(crm_report_cell(t, i,
						t->ncols - 1)), max, BAR_WIDTH);
			err = crm_table_add(&tt, cell.ptr);
		}
	}
	if (!err)
		err = crm_table_print(out, &tt, width, color);
	crm_table_release(&tt);
	crm_buf_release(&cell);
	crm_buf_release(&scale);
	free(headers);
	return err;
}

int crm_forecast_write_text(FILE *out, const struct crm_report *r, const char *header,
			    size_t width, bool color)
{
	size_t i;
	int err = 0;

	fprintf(out, "%s\n", header);
	if (r->unreadable) {
		struct crm_buf note = CRM_BUF_INIT;
		crm_report_unreadable_note(&note, r->unreadable);
		fprintf(out, "warning: %s\n", note.ptr);
		crm_buf_release(&note);
	}
	for (i = 0; i < r->tables.len && !err; i++) {
		fputc('\n', out);
		err = text_table(out, r->tables.ptr[i], width, color);
	}
	return err;
}
