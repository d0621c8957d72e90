/* Revenue forecasts and their backtest over deal snapshots (see
 * include/crm/forecast.h): deal states rebuilt from history, win rates,
 * owner and seasonal corrections learnt as of a date, all in exact decimals. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "crm/error.h"
#include "crm/forecast.h"

#define RS CRM_FORECAST_RATIO_SCALE

static const char *const method_names[CRM_FORECAST__COUNT] = {
	"stage", "confidence", "historical"
};

const char *crm_forecast_method_name(enum crm_forecast_method m)
{
	return (unsigned)m < CRM_FORECAST__COUNT ? method_names[m] : "?";
}

enum crm_forecast_method crm_forecast_method_parse(const char *name)
{
	int i;
	for (i = 0; i < CRM_FORECAST__COUNT; i++) {
		if (!strcmp(name, method_names[i]))
			return (enum crm_forecast_method)i;
	}
	return CRM_FORECAST__COUNT;
}

int crm_forecast_month_of(crm_date d)
{
	int y, m, day;
	crm_date_to_ymd(d, &y, &m, &day);
	return y * 12 + m - 1;
}

crm_date crm_forecast_month_start(int month)
{
	return crm_date_from_ymd(month / 12, month % 12 + 1, 1);
}

void crm_forecast_month_format(char *buf, size_t size, int month)
{
	snprintf(buf, size, "%04d-%02d", month / 12, month % 12 + 1);
}

static bool stage_open(const struct crm_forecast_input *in, int s)
{
	return s >= 0 && (size_t)s < in->nstages && in->stages[s].outcome == CRM_OUTCOME_OPEN;
}

static enum crm_outcome stage_outcome(const struct crm_forecast_input *in, int s)
{
	if (s < 0 || (size_t)s >= in->nstages)
		return CRM_OUTCOME_VOID;
	return in->stages[s].outcome;
}

static int first_open_stage(const struct crm_forecast_input *in)
{
	size_t i;
	for (i = 0; i < in->nstages; i++) {
		if (in->stages[i].outcome == CRM_OUTCOME_OPEN)
			return (int)i;
	}
	return -1;
}

int crm_forecast_stage_at(const struct crm_forecast_input *in,
			  const struct crm_forecast_deal *deal, crm_date day)
{
	size_t i;
	int last = -1;
	bool found = false;

	if (deal->created != CRM_FORECAST_NO_DATE && deal->created > day)
		return -1;
	for (i = 0; i < deal->nhistory && deal->history[i].date <= day; i++) {
		last = deal->history[i].stage;
		found = true;
	}
	if (found)
		return last;
	if (deal->nhistory)
		return stage_open(in, deal->history[0].stage) ? deal->history[0].stage
							      : first_open_stage(in);
	if (stage_open(in, deal->stage) ||
	    (deal->closed != CRM_FORECAST_NO_DATE && deal->closed <= day))
		return deal->stage;
	return first_open_stage(in);
}

crm_date crm_forecast_closed_on(const struct crm_forecast_input *in,
				const struct crm_forecast_deal *deal)
{
	enum crm_outcome o = stage_outcome(in, deal->stage);

	if (deal->stage < 0 || (o != CRM_OUTCOME_WON && o != CRM_OUTCOME_LOST))
		return CRM_FORECAST_NO_DATE;
	if (deal->closed != CRM_FORECAST_NO_DATE)
		return deal->closed;
	return deal->nhistory ? deal->history[deal->nhistory - 1].date : CRM_FORECAST_NO_DATE;
}

/* A deal's outcome at the end of `day`: won or lost by then, or open. */
static enum crm_outcome outcome_at(const struct crm_forecast_input *in,
				   const struct crm_forecast_deal *deal, crm_date day,
				   crm_date *closed_out)
{
	crm_date c = crm_forecast_closed_on(in, deal);
	int s;

	if (c != CRM_FORECAST_NO_DATE && c <= day) {
		*closed_out = c;
		return stage_outcome(in, deal->stage);
	}
	s = crm_forecast_stage_at(in, deal, day);
	return s < 0 ? CRM_OUTCOME_VOID : stage_outcome(in, s);
}

static crm_dec one(void)
{
	return crm_dec_from_int(1);
}

static bool reached(const struct crm_forecast_deal *deal, int stage, crm_date day,
		    int stage_then)
{
	size_t i;
	if (stage_then == stage)
		return true;
	for (i = 0; i < deal->nhistory && deal->history[i].date <= day; i++) {
		if (deal->history[i].stage == stage)
			return true;
	}
	return false;
}

static int learn_stages(struct crm_forecast_model *m, const struct crm_forecast_input *in,
			crm_date as_of)
{
	size_t i, s;
	int err;

	for (i = 0; i < in->ndeals; i++) {
		const struct crm_forecast_deal *d = &in->deals[i];
		crm_date c;
		enum crm_outcome o = outcome_at(in, d, as_of, &c);
		int now = crm_forecast_stage_at(in, d, as_of);

		if (o != CRM_OUTCOME_WON && o != CRM_OUTCOME_LOST)
			continue;
		for (s = 0; s < in->nstages; s++) {
			if (!reached(d, (int)s, as_of, now))
				continue;
			m->stage_closed[s]++;
			m->stage_won[s] += o == CRM_OUTCOME_WON;
		}
	}
	for (s = 0; s < in->nstages; s++) {
		m->stage_learnt[s] = m->stage_closed[s] >= CRM_FORECAST_MIN_STAGE_DEALS;
		if (m->stage_learnt[s])
			err = crm_dec_div(&m->stage_rate[s], crm_dec_from_int(m->stage_won[s]),
					  crm_dec_from_int(m->stage_closed[s]), RS);
		else
			err = crm_dec_div(&m->stage_rate[s],
					  crm_dec_from_int(in->stages[s].probability),
					  crm_dec_from_int(100), RS);
		if (err)
			return err;
	}
	return 0;
}

static struct crm_forecast_owner *owner_slot(struct crm_forecast_model *m, const char *owner)
{
	size_t i;
	for (i = 0; i < m->nowners; i++) {
		if (!strcmp(m->owners[i].owner, owner))
			return &m->owners[i];
	}
	m->owners[m->nowners].owner = owner;
	m->owners[m->nowners].won = crm_dec_from_int(0);
	m->owners[m->nowners].forecast = crm_dec_from_int(0);
	m->owners[m->nowners].factor = one();
	return &m->owners[m->nowners++];
}

static int learn_owners(struct crm_forecast_model *m, const struct crm_forecast_input *in,
			crm_date as_of)
{
	size_t i;
	int err = 0;

	for (i = 0; i < in->ndeals && !err; i++) {
		const struct crm_forecast_deal *d = &in->deals[i];
		struct crm_forecast_owner *o;
		crm_date c = CRM_FORECAST_NO_DATE;
		enum crm_outcome out = outcome_at(in, d, as_of, &c);
		crm_dec f;
		int before;

		if ((out != CRM_OUTCOME_WON && out != CRM_OUTCOME_LOST) || !d->has_amount ||
		    c == CRM_FORECAST_NO_DATE)
			continue;
		before = crm_forecast_stage_at(in, d, c - 1);
		if (!stage_open(in, before))
			continue;
		o = owner_slot(m, d->owner ? d->owner : "");
		o->closed++;
		if (out == CRM_OUTCOME_WON)
			err = crm_dec_add(&o->won, o->won, d->amount);
		if (!err)
			err = crm_dec_mul_round(&f, d->amount, m->stage_rate[before],
						CRM_FORECAST_VALUE_SCALE);
		if (!err)
			err = crm_dec_add(&o->forecast, o->forecast, f);
	}
	for (i = 0; i < m->nowners && !err; i++) {
		struct crm_forecast_owner *o = &m->owners[i];
		o->applied = o->closed >= CRM_FORECAST_MIN_OWNER_DEALS &&
			     !crm_dec_is_zero(o->forecast);
		if (o->applied)
			err = crm_dec_div(&o->factor, o->won, o->forecast, RS);
	}
	return err;
}

static int learn_season(struct crm_forecast_model *m, const struct crm_forecast_input *in,
			crm_date as_of)
{
	int end = crm_forecast_month_of(as_of + 1) - 1, first = -1, years, k;
	crm_dec total = crm_dec_from_int(0), by[12];
	size_t i;
	int err = 0;

	for (k = 0; k < 12; k++) {
		m->season[k] = one();
		by[k] = crm_dec_from_int(0);
	}
	for (i = 0; i < in->ndeals; i++) {
		crm_date c = crm_forecast_closed_on(in, &in->deals[i]);
		int cm;
		if (c == CRM_FORECAST_NO_DATE || (cm = crm_forecast_month_of(c)) > end)
			continue;
		if (first < 0 || cm < first)
			first = cm;
	}
	if (first < 0 || end - first + 1 < 12)
		return 0;
	years = (end - first + 1) / 12;
	m->season_first = end - 12 * years + 1;
	m->season_last = end;
	for (i = 0; i < in->ndeals && !err; i++) {
		const struct crm_forecast_deal *d = &in->deals[i];
		crm_date c = crm_forecast_closed_on(in, d);
		int cm;
		if (c == CRM_FORECAST_NO_DATE || !d->has_amount ||
		    stage_outcome(in, d->stage) != CRM_OUTCOME_WON)
			continue;
		cm = crm_forecast_month_of(c);
		if (cm < m->season_first || cm > end)
			continue;
		m->season_deals++;
		err = crm_dec_add(&by[cm % 12], by[cm % 12], d->amount);
		if (!err)
			err = crm_dec_add(&total, total, d->amount);
	}
	if (err || crm_dec_is_zero(total) || total.units < 0)
		return err;
	m->seasonal = true;
	/* factor = 1 + (12 W_m / W - 1) N / (N + P) = (12 N W_m + P W) / (W (N + P)) */
	for (k = 0; k < 12 && !err; k++) {
		crm_dec num, a, b, den;
		err = crm_dec_mul(&a, by[k], crm_dec_from_int(12 * (int64_t)m->season_deals));
		if (!err)
			err = crm_dec_mul(&b, total, crm_dec_from_int(CRM_FORECAST_SEASON_PRIOR));
		if (!err)
			err = crm_dec_add(&num, a, b);
		if (!err)
			err = crm_dec_mul(&den, total,
					  crm_dec_from_int(m->season_deals + CRM_FORECAST_SEASON_PRIOR));
		if (!err)
			err = crm_dec_div(&m->season[k], num, den, RS);
	}
	return err;
}

int crm_forecast_learn(struct crm_forecast_model *out, const struct crm_forecast_input *in,
		       crm_date as_of)
{
	size_t n = in->nstages ? in->nstages : 1;
	int err;

	memset(out, 0, sizeof(*out));
	out->as_of = as_of;
	out->nstages = in->nstages;
	out->stage_won = calloc(n, sizeof(int));
	out->stage_closed = calloc(n, sizeof(int));
	out->stage_learnt = calloc(n, sizeof(bool));
	out->stage_rate = calloc(n, sizeof(crm_dec));
	out->owners = calloc(in->ndeals + 1, sizeof(*out->owners));
	if (!out->stage_won || !out->stage_closed || !out->stage_learnt || !out->stage_rate ||
	    !out->owners) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	err = learn_stages(out, in, as_of);
	if (!err)
		err = learn_owners(out, in, as_of);
	if (!err)
		err = learn_season(out, in, as_of);
done:
	if (err)
		crm_forecast_model_release(out);
	return err;
}

void crm_forecast_model_release(struct crm_forecast_model *m)
{
	free(m->stage_won);
	free(m->stage_closed);
	free(m->stage_learnt);
	free(m->stage_rate);
	free(m->owners);
	memset(m, 0, sizeof(*m));
}

const struct crm_forecast_owner *crm_forecast_model_owner(const struct crm_forecast_model *m,
							   const char *owner)
{
	size_t i;
	for (i = 0; i < m->nowners; i++) {
		if (!strcmp(m->owners[i].owner, owner ? owner : ""))
			return &m->owners[i];
	}
	return NULL;
}

/* Fills the weight of one item by `method`. */
static int weigh(struct crm_forecast_item *it, const struct crm_forecast_input *in,
		 const struct crm_forecast_deal *d, enum crm_forecast_method method,
		 const struct crm_forecast_model *model)
{
	crm_dec prob, w;
	int err;

	it->owner_factor = one();
	it->season_factor = one();
	err = crm_dec_div(&prob, crm_dec_from_int(in->stages[it->stage].probability),
			  crm_dec_from_int(100), RS);
	if (err)
		return err;
	switch (method) {
	case CRM_FORECAST_STAGE:
		it->base = prob;
		break;
	case CRM_FORECAST_CONFIDENCE:
		it->fallback = !d->has_confidence;
		if (it->fallback)
			it->base = prob;
		else
			err = crm_dec_round(&it->base, d->confidence, RS);
		break;
	default: {
		const struct crm_forecast_owner *o = crm_forecast_model_owner(model, d->owner);
		it->base = model->stage_rate[it->stage];
		it->fallback = !model->stage_learnt[it->stage];
		if (o && o->applied)
			it->owner_factor = o->factor;
		if (model->seasonal)
			it->season_factor = model->season[it->month % 12];
		break;
	}
	}
	if (err)
		return err;
	err = crm_dec_mul_round(&w, it->base, it->owner_factor, RS);
	if (!err)
		err = crm_dec_mul_round(&it->weight, w, it->season_factor, RS);
	if (!err)
		err = crm_dec_mul_round(&it->expected, d->amount, it->weight,
					CRM_FORECAST_VALUE_SCALE);
	return err;
}

int crm_forecast_run(struct crm_forecast_item **out, size_t *n_out,
		     const struct crm_forecast_input *in, enum crm_forecast_method method,
		     const struct crm_forecast_model *model, crm_date as_of, int first,
		     int nmonths)
{
	struct crm_forecast_item *items;
	size_t i, n = 0;
	int err = 0;

	*out = NULL;
	*n_out = 0;
	if (method == CRM_FORECAST_HISTORICAL && (!model || model->nstages != in->nstages))
		return crm_error_set(CRM_EINVALID, "historical forecast without a model");
	items = calloc(in->ndeals + 1, sizeof(*items));
	if (!items)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < in->ndeals && !err; i++) {
		const struct crm_forecast_deal *d = &in->deals[i];
		struct crm_forecast_item *it = &items[n];
		int s, month;

		if (!d->selected || !d->has_amount || d->expected_close == CRM_FORECAST_NO_DATE)
			continue;
		s = crm_forecast_stage_at(in, d, as_of);
		if (!stage_open(in, s))
			continue;
		month = crm_forecast_month_of(d->expected_close);
		it->overdue = month < first;
		if (it->overdue)
			month = first;
		if (month >= first + nmonths)
			continue;
		it->deal = i;
		it->stage = s;
		it->month = month;
		err = weigh(it, in, d, method, model);
		n++;
	}
	if (err) {
		free(items);
		return err;
	}
	*out = items;
	*n_out = n;
	return 0;
}

int crm_forecast_sum(crm_dec *out, const struct crm_forecast_input *in,
		     const struct crm_forecast_item *items, size_t n, int month)
{
	crm_dec sum = crm_dec_from_int(0);
	size_t i;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		if (month < 0 || items[i].month == month)
			err = crm_dec_add(&sum, sum, items[i].expected);
	}
	if (!err)
		err = crm_dec_round(out, sum, in->minor_digits);
	return err;
}

static int backtest_month(struct crm_backtest_month *bm, const struct crm_forecast_input *in,
			  int month)
{
	struct crm_forecast_model model;
	struct crm_forecast_item *items = NULL;
	crm_dec actual = crm_dec_from_int(0);
	size_t i, n;
	int m, err;

	bm->month = month;
	bm->as_of = crm_forecast_month_start(month) - 1;
	for (i = 0; i < in->ndeals; i++) {
		const struct crm_forecast_deal *d = &in->deals[i];
		crm_date c = crm_forecast_closed_on(in, d);
		if (!d->selected || !d->has_amount || c == CRM_FORECAST_NO_DATE ||
		    stage_outcome(in, d->stage) != CRM_OUTCOME_WON ||
		    crm_forecast_month_of(c) != month)
			continue;
		bm->actual_deals++;
		err = crm_dec_add(&actual, actual, d->amount);
		if (err)
			return err;
	}
	err = crm_dec_round(&bm->actual, actual, in->minor_digits);
	if (err)
		return err;
	err = crm_forecast_learn(&model, in, bm->as_of);
	if (err)
		return err;
	for (m = 0; m < CRM_FORECAST__COUNT && !err; m++) {
		err = crm_forecast_run(&items, &n, in, (enum crm_forecast_method)m, &model,
				       bm->as_of, month, 1);
		if (!err)
			err = crm_forecast_sum(&bm->predicted[m], in, items, n, -1);
		free(items);
		items = NULL;
	}
	crm_forecast_model_release(&model);
	return err;
}

int crm_forecast_backtest(struct crm_backtest_month **out, const struct crm_forecast_input *in,
			  int first, int last)
{
	struct crm_backtest_month *months;
	int k, err = 0;

	*out = NULL;
	if (last < first)
		return 0;
	months = calloc((size_t)(last - first + 1), sizeof(*months));
	if (!months)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (k = first; k <= last && !err; k++)
		err = backtest_month(&months[k - first], in, k);
	if (err) {
		free(months);
		return err;
	}
	*out = months;
	return 0;
}

static crm_dec dec_abs(crm_dec d)
{
	return d.units < 0 ? crm_dec_neg(d) : d;
}

int crm_forecast_errors(struct crm_backtest_error out[CRM_FORECAST__COUNT],
			const struct crm_backtest_month *months, size_t n)
{
	int m, err = 0;
	size_t i;

	memset(out, 0, sizeof(*out) * CRM_FORECAST__COUNT);
	for (m = 0; m < CRM_FORECAST__COUNT && !err; m++) {
		crm_dec ape = crm_dec_from_int(0), pred = crm_dec_from_int(0);
		crm_dec actual = crm_dec_from_int(0), r, diff;

		for (i = 0; i < n && !err; i++) {
			err = crm_dec_add(&pred, pred, months[i].predicted[m]);
			if (!err)
				err = crm_dec_add(&actual, actual, months[i].actual);
			if (err || months[i].actual.units <= 0)
				continue;
			err = crm_dec_sub(&diff, months[i].predicted[m], months[i].actual);
			if (!err)
				err = crm_dec_div(&r, dec_abs(diff), months[i].actual, RS);
			if (!err)
				err = crm_dec_add(&ape, ape, r);
			out[m].months++;
		}
		if (!err && out[m].months) {
			out[m].has_mape = true;
			err = crm_dec_div(&out[m].mape, ape, crm_dec_from_int(out[m].months), 4);
		}
		if (!err && actual.units > 0) {
			out[m].has_bias = true;
			err = crm_dec_sub(&diff, pred, actual);
			if (!err)
				err = crm_dec_div(&out[m].bias, diff, actual, 4);
		}
	}
	return err;
}
