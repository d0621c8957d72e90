/* Unit tests for src/core/forecast.c: deal states rebuilt from history,
 * the three weights, rounding of sums, learnt win rates, owner and seasonal
 * corrections, and the backtest's errors, each against figures by hand. */
#include <stdint.h>

#include "crm/error.h"
#include "crm/forecast.h"
#include "harness.h"

enum { LEAD, PROPOSAL, WON, LOST, VOID_ };

static const struct crm_forecast_stage stages[] = {
	{ "lead", 10, CRM_OUTCOME_OPEN },
	{ "proposal", 50, CRM_OUTCOME_OPEN },
	{ "won", 100, CRM_OUTCOME_WON },
	{ "lost", 0, CRM_OUTCOME_LOST },
	{ "void", 0, CRM_OUTCOME_VOID },
};

static crm_date D(int y, int m, int d)
{
	return crm_date_from_ymd(y, m, d);
}

static crm_dec dec(const char *s)
{
	crm_dec d = { 0, 0 };
	CHECK_INT(0, crm_dec_parse(&d, s, strlen(s)));
	return d;
}

static const char *fmt(crm_dec d)
{
	static char buf[4][64];
	static int k;
	k = (k + 1) % 4;
	crm_dec_format_trim(buf[k], sizeof(buf[k]), d);
	return buf[k];
}

/* A deal with an amount, created on `created`, expected to close on `ec`. */
static struct crm_forecast_deal deal(const char *id, const char *owner, int stage,
				     const char *amount, crm_date created, crm_date ec)
{
	struct crm_forecast_deal d;
	memset(&d, 0, sizeof(d));
	d.id = id;
	d.owner = owner;
	d.stage = stage;
	d.created = created;
	d.closed = CRM_FORECAST_NO_DATE;
	d.expected_close = ec;
	d.has_amount = amount != NULL;
	if (amount)
		d.amount = dec(amount);
	d.selected = true;
	return d;
}

static struct crm_forecast_input input(const struct crm_forecast_deal *deals, size_t n)
{
	struct crm_forecast_input in;
	in.stages = stages;
	in.nstages = sizeof(stages) / sizeof(*stages);
	in.deals = deals;
	in.ndeals = n;
	in.minor_digits = 2;
	return in;
}

static void test_forecast__stage_at(void)
{
	static const struct crm_forecast_step h[] = {
		{ 0, LEAD }, { 0, PROPOSAL }, { 0, WON }
	};
	struct crm_forecast_step steps[3];
	struct crm_forecast_deal d[3];
	struct crm_forecast_input in;

	memcpy(steps, h, sizeof(steps));
	steps[0].date = D(2025, 1, 10);
	steps[1].date = D(2025, 2, 1);
	steps[2].date = D(2025, 3, 15);
	d[0] = deal("a", "x", WON, "100", D(2025, 1, 10), D(2025, 3, 1));
	d[0].history = steps;
	d[0].nhistory = 3;
	/* no history: won on its closed date, before that the first open stage */
	d[1] = deal("b", "x", WON, "100", D(2025, 1, 1), CRM_FORECAST_NO_DATE);
	d[1].closed = D(2025, 2, 20);
	/* no history, no closed date, open */
	d[2] = deal("c", "x", PROPOSAL, "100", D(2025, 1, 1), CRM_FORECAST_NO_DATE);
	in = input(d, 3);

	CHECK_INT(-1, crm_forecast_stage_at(&in, &d[0], D(2025, 1, 9)));
	CHECK_INT(LEAD, crm_forecast_stage_at(&in, &d[0], D(2025, 1, 10)));
	CHECK_INT(LEAD, crm_forecast_stage_at(&in, &d[0], D(2025, 1, 31)));
	CHECK_INT(PROPOSAL, crm_forecast_stage_at(&in, &d[0], D(2025, 3, 14)));
	CHECK_INT(WON, crm_forecast_stage_at(&in, &d[0], D(2025, 3, 15)));
	CHECK_INT(D(2025, 3, 15), crm_forecast_closed_on(&in, &d[0]));

	CHECK_INT(LEAD, crm_forecast_stage_at(&in, &d[1], D(2025, 2, 19)));
	CHECK_INT(WON, crm_forecast_stage_at(&in, &d[1], D(2025, 2, 20)));
	CHECK_INT(D(2025, 2, 20), crm_forecast_closed_on(&in, &d[1]));

	CHECK_INT(PROPOSAL, crm_forecast_stage_at(&in, &d[2], D(2025, 1, 1)));
	CHECK_INT(CRM_FORECAST_NO_DATE, crm_forecast_closed_on(&in, &d[2]));

	CHECK_INT(2025 * 12 + 2, crm_forecast_month_of(D(2025, 3, 31)));
	CHECK_INT(D(2025, 3, 1), crm_forecast_month_start(2025 * 12 + 2));
}

static void test_forecast__stage_weights_and_rounding(void)
{
	struct crm_forecast_deal d[4];
	struct crm_forecast_input in;
	struct crm_forecast_item *items = NULL;
	size_t n = 0;
	crm_dec sum;
	int first = crm_forecast_month_of(D(2025, 6, 1));

	d[0] = deal("a", "x", PROPOSAL, "1000.00", D(2025, 1, 1), D(2025, 6, 20));
	d[1] = deal("b", "x", LEAD, "333.33", D(2025, 1, 1), D(2025, 4, 2));   /* overdue */
	d[2] = deal("c", "x", PROPOSAL, "0.05", D(2025, 1, 1), D(2025, 7, 1));
	d[3] = deal("d", "x", PROPOSAL, "500.00", D(2025, 1, 1), D(2025, 9, 1)); /* too late */
	in = input(d, 4);
	CHECK_INT(0, crm_forecast_run(&items, &n, &in, CRM_FORECAST_STAGE, NULL, D(2025, 6, 1),
				      first, 2));
	CHECK_INT(3, n);
	CHECK_STR("500", fmt(items[0].expected));
	CHECK_INT(first, items[1].month);
	CHECK(items[1].overdue);
	CHECK_STR("33.333", fmt(items[1].expected));
	CHECK_STR("0.025", fmt(items[2].expected));
	/* 500 + 33.333 = 533.333 -> 533.33; 0.025 -> 0.03 (half away from zero) */
	CHECK_INT(0, crm_forecast_sum(&sum, &in, items, n, first));
	CHECK_STR("533.33", fmt(sum));
	CHECK_INT(0, crm_forecast_sum(&sum, &in, items, n, first + 1));
	CHECK_STR("0.03", fmt(sum));
	CHECK_INT(0, crm_forecast_sum(&sum, &in, items, n, -1));
	CHECK_STR("533.36", fmt(sum));
	free(items);

	/* historical without a model is refused */
	CHECK_INT(CRM_EINVALID, crm_forecast_run(&items, &n, &in, CRM_FORECAST_HISTORICAL, NULL,
						 D(2025, 6, 1), first, 2));
}

static void test_forecast__confidence_falls_back_to_stage(void)
{
	struct crm_forecast_deal d[2];
	struct crm_forecast_input in;
	struct crm_forecast_item *items = NULL;
	size_t n = 0;
	int first = crm_forecast_month_of(D(2025, 6, 1));

	d[0] = deal("a", "x", PROPOSAL, "1000.00", D(2025, 1, 1), D(2025, 6, 20));
	d[0].has_confidence = true;
	d[0].confidence = dec("0.6");
	d[1] = deal("b", "x", PROPOSAL, "1000.00", D(2025, 1, 1), D(2025, 6, 20));
	in = input(d, 2);
	CHECK_INT(0, crm_forecast_run(&items, &n, &in, CRM_FORECAST_CONFIDENCE, NULL,
				      D(2025, 6, 1), first, 1));
	CHECK_INT(2, n);
	CHECK_STR("600", fmt(items[0].expected));
	CHECK(!items[0].fallback);
	CHECK_STR("500", fmt(items[1].expected));
	CHECK(items[1].fallback);
	free(items);
}

/* Closed deals for the learning tests: each went lead -> proposal -> outcome. */
static struct crm_forecast_step steps_buf[64][3];

static struct crm_forecast_deal closed_deal(int k, const char *owner, int outcome,
					    const char *amount, crm_date close, bool via_proposal)
{
	struct crm_forecast_deal d = deal("x", owner, outcome, amount, close - 30, close);
	size_t n = 0;
	steps_buf[k][n].date = close - 30;
	steps_buf[k][n++].stage = LEAD;
	if (via_proposal) {
		steps_buf[k][n].date = close - 10;
		steps_buf[k][n++].stage = PROPOSAL;
	}
	steps_buf[k][n].date = close;
	steps_buf[k][n++].stage = outcome;
	d.history = steps_buf[k];
	d.nhistory = n;
	d.closed = close;
	return d;
}

static void test_forecast__learnt_rates(void)
{
	struct crm_forecast_deal d[6];
	struct crm_forecast_input in;
	struct crm_forecast_model m;
	crm_date c = D(2025, 3, 10);

	/* proposal reached by 3 closed deals, 2 won: 2/3; lead by 5, 2 won: 2/5 */
	d[0] = closed_deal(0, "ann", WON, "100", c, true);
	d[1] = closed_deal(1, "ann", WON, "100", c, true);
	d[2] = closed_deal(2, "ann", LOST, "100", c, true);
	d[3] = closed_deal(3, "ann", LOST, "100", c, false);
	d[4] = closed_deal(4, "ann", LOST, "100", c, false);
	/* void deals teach nothing; closes after the day neither */
	d[5] = closed_deal(5, "ann", VOID_, "100", c, true);
	in = input(d, 6);
	CHECK_INT(0, crm_forecast_learn(&m, &in, c));
	CHECK_INT(3, m.stage_closed[PROPOSAL]);
	CHECK_INT(2, m.stage_won[PROPOSAL]);
	CHECK(m.stage_learnt[PROPOSAL]);
	CHECK_STR("0.66666667", fmt(m.stage_rate[PROPOSAL]));
	CHECK_INT(5, m.stage_closed[LEAD]);
	CHECK_STR("0.4", fmt(m.stage_rate[LEAD]));
	crm_forecast_model_release(&m);

	/* the day before they closed, nothing had closed: configured rates */
	CHECK_INT(0, crm_forecast_learn(&m, &in, c - 1));
	CHECK_INT(0, m.stage_closed[PROPOSAL]);
	CHECK(!m.stage_learnt[PROPOSAL]);
	CHECK_STR("0.5", fmt(m.stage_rate[PROPOSAL]));
	CHECK_STR("0.1", fmt(m.stage_rate[LEAD]));
	CHECK(!m.seasonal);
	crm_forecast_model_release(&m);
}

static void test_forecast__owner_factor(void)
{
	struct crm_forecast_deal d[8];
	struct crm_forecast_input in;
	struct crm_forecast_model m;
	struct crm_forecast_item *items = NULL;
	const struct crm_forecast_owner *o;
	crm_date c = D(2025, 3, 10);
	size_t n = 0;
	int first = crm_forecast_month_of(c);

	/* ann: 5 closed from proposal, 1 won.  proposal: 5 closed, 1 won -> 0.2.
	 * Her forecast: 5 x 1000 x 0.2 = 1000, won 1000: factor 1.
	 * bob: 2 closed (both won) from lead: too few for a factor. */
	d[0] = closed_deal(0, "ann", WON, "1000", c, true);
	d[1] = closed_deal(1, "ann", LOST, "1000", c, true);
	d[2] = closed_deal(2, "ann", LOST, "1000", c, true);
	d[3] = closed_deal(3, "ann", LOST, "1000", c, true);
	d[4] = closed_deal(4, "ann", LOST, "1000", c, true);
	d[5] = closed_deal(5, "bob", WON, "3000", c, false);
	d[6] = closed_deal(6, "bob", WON, "3000", c, false);
	/* an open deal of ann's in proposal, expected this month */
	d[7] = deal("open", "ann", PROPOSAL, "2000", D(2025, 1, 1), D(2025, 3, 20));
	in = input(d, 8);
	CHECK_INT(0, crm_forecast_learn(&m, &in, c));
	CHECK_STR("0.2", fmt(m.stage_rate[PROPOSAL]));
	/* lead: 7 closed (all), 3 won */
	CHECK_STR("0.42857143", fmt(m.stage_rate[LEAD]));
	o = crm_forecast_model_owner(&m, "ann");
	CHECK(o && o->applied);
	CHECK_INT(5, o->closed);
	CHECK_STR("1000", fmt(o->won));
	CHECK_STR("1000", fmt(o->forecast));
	CHECK_STR("1", fmt(o->factor));
	o = crm_forecast_model_owner(&m, "bob");
	CHECK(o && !o->applied);
	CHECK_STR("1", fmt(o->factor));
	crm_forecast_model_release(&m);

	/* make ann win 2 of the 5 at the same rates' denominators: proposal now
	 * 2/5 = 0.4, forecast 5 x 1000 x 0.4 = 2000, won 2000: still 1.  Make
	 * the won one bigger instead: won 3000, forecast (3000+4000) x 0.2 */
	d[0].amount = dec("3000");
	CHECK_INT(0, crm_forecast_learn(&m, &in, c));
	o = crm_forecast_model_owner(&m, "ann");
	CHECK_STR("1400", fmt(o->forecast));
	CHECK_STR("2.14285714", fmt(o->factor));
	CHECK_INT(0, crm_forecast_run(&items, &n, &in, CRM_FORECAST_HISTORICAL, &m, c, first, 1));
	CHECK_INT(1, n);
	/* 0.2 x 2.14285714 = 0.428571428 -> 0.42857143; x 2000 */
	CHECK_STR("0.42857143", fmt(items[0].weight));
	CHECK_STR("857.14286", fmt(items[0].expected));
	free(items);
	crm_forecast_model_release(&m);
}

static void test_forecast__seasonality(void)
{
	struct crm_forecast_deal d[13];
	struct crm_forecast_input in;
	struct crm_forecast_model m;
	int k;

	/* one won deal a month from 2024-01 to 2024-12, 100 each, except
	 * December's 1300: W = 2400, N = 12, raw(Dec) = 12 x 1300 / 2400 = 6.5,
	 * factor = 1 + 5.5 x 12 / 36 = 2.83333333; raw(other) = 0.5, factor
	 * = 1 - 0.5 x 1/3 = 0.83333333 */
	for (k = 0; k < 12; k++)
		d[k] = closed_deal(k, "ann", WON, k == 11 ? "1300" : "100",
				   D(2024, k + 1, 15), false);
	d[12] = closed_deal(12, "ann", LOST, "999", D(2023, 12, 15), false);
	in = input(d, 12);
	/* 2024-12-31 is the end of December: 12 complete months */
	CHECK_INT(0, crm_forecast_learn(&m, &in, D(2024, 12, 31)));
	CHECK(m.seasonal);
	CHECK_INT(12, m.season_deals);
	CHECK_STR("2.83333333", fmt(m.season[11]));
	CHECK_STR("0.83333333", fmt(m.season[0]));
	crm_forecast_model_release(&m);
	/* mid-December: December is not complete, only 11 months */
	CHECK_INT(0, crm_forecast_learn(&m, &in, D(2024, 12, 30)));
	CHECK(!m.seasonal);
	CHECK_STR("1", fmt(m.season[11]));
	crm_forecast_model_release(&m);
	/* a lost deal a year earlier lengthens the span to 13 months; the
	 * window is still the latest 12 */
	in = input(d, 13);
	CHECK_INT(0, crm_forecast_learn(&m, &in, D(2024, 12, 31)));
	CHECK(m.seasonal);
	CHECK_INT(2024 * 12, m.season_first);
	CHECK_STR("2.83333333", fmt(m.season[11]));
	crm_forecast_model_release(&m);
}

static void test_forecast__backtest_errors(void)
{
	struct crm_backtest_month months[3];
	struct crm_backtest_error e[CRM_FORECAST__COUNT];

	memset(months, 0, sizeof(months));
	/* actual 100, 200, 0; stage predicted 150, 100, 50:
	 * MAPE = (0.5 + 0.5) / 2 = 0.5, bias = (300 - 300) / 300 = 0 */
	months[0].actual = dec("100");
	months[1].actual = dec("200");
	months[2].actual = dec("0");
	months[0].predicted[CRM_FORECAST_STAGE] = dec("150");
	months[1].predicted[CRM_FORECAST_STAGE] = dec("100");
	months[2].predicted[CRM_FORECAST_STAGE] = dec("50");
	months[0].predicted[CRM_FORECAST_CONFIDENCE] = dec("110");
	months[1].predicted[CRM_FORECAST_CONFIDENCE] = dec("210");
	CHECK_INT(0, crm_forecast_errors(e, months, 3));
	CHECK_INT(2, e[CRM_FORECAST_STAGE].months);
	CHECK_STR("0.5", fmt(e[CRM_FORECAST_STAGE].mape));
	CHECK_STR("0", fmt(e[CRM_FORECAST_STAGE].bias));
	CHECK_STR("0.075", fmt(e[CRM_FORECAST_CONFIDENCE].mape));
	CHECK_STR("0.0667", fmt(e[CRM_FORECAST_CONFIDENCE].bias));
	/* historical predicted nothing: MAPE 1, bias -1 */
	CHECK_STR("1", fmt(e[CRM_FORECAST_HISTORICAL].mape));
	CHECK_STR("-1", fmt(e[CRM_FORECAST_HISTORICAL].bias));

	/* no actual at all: neither is defined */
	CHECK_INT(0, crm_forecast_errors(e, months + 2, 1));
	CHECK(!e[CRM_FORECAST_STAGE].has_mape && !e[CRM_FORECAST_STAGE].has_bias);
}

static void test_forecast__backtest_replays_history(void)
{
	struct crm_forecast_deal d[2];
	struct crm_forecast_input in;
	struct crm_backtest_month *bm = NULL;
	static struct crm_forecast_step h[2][3];
	int first = crm_forecast_month_of(D(2025, 2, 1));

	/* a: lead from 01-05, proposal from 01-20, won 02-10; expected 02-15.
	 * At 01-31 it was in proposal: stage predicts 0.5 x 1000 for February.
	 * b: created 02-03 (unknown at 01-31), won 02-20, 400. */
	h[0][0] = (struct crm_forecast_step){ D(2025, 1, 5), LEAD };
	h[0][1] = (struct crm_forecast_step){ D(2025, 1, 20), PROPOSAL };
	h[0][2] = (struct crm_forecast_step){ D(2025, 2, 10), WON };
	d[0] = deal("a", "x", WON, "1000", D(2025, 1, 5), D(2025, 2, 15));
	d[0].history = h[0];
	d[0].nhistory = 3;
	d[0].has_confidence = true;
	d[0].confidence = dec("0.8");
	h[1][0] = (struct crm_forecast_step){ D(2025, 2, 3), LEAD };
	h[1][1] = (struct crm_forecast_step){ D(2025, 2, 20), WON };
	d[1] = deal("b", "x", WON, "400", D(2025, 2, 3), D(2025, 2, 28));
	d[1].history = h[1];
	d[1].nhistory = 2;
	in = input(d, 2);
	CHECK_INT(0, crm_forecast_backtest(&bm, &in, first, first + 1));
	CHECK_INT(D(2025, 1, 31), bm[0].as_of);
	CHECK_STR("1400", fmt(bm[0].actual));
	CHECK_INT(2, bm[0].actual_deals);
	CHECK_STR("500", fmt(bm[0].predicted[CRM_FORECAST_STAGE]));
	CHECK_STR("800", fmt(bm[0].predicted[CRM_FORECAST_CONFIDENCE]));
	CHECK_STR("500", fmt(bm[0].predicted[CRM_FORECAST_HISTORICAL]));
	/* March: both closed by then, nothing open, nothing won */
	CHECK_STR("0", fmt(bm[1].actual));
	CHECK_STR("0", fmt(bm[1].predicted[CRM_FORECAST_STAGE]));
	free(bm);

	/* unselected deals teach but are neither forecast nor counted */
	d[1].selected = false;
	CHECK_INT(0, crm_forecast_backtest(&bm, &in, first, first));
	CHECK_STR("1000", fmt(bm[0].actual));
	free(bm);
}

static void test_forecast__method_names(void)
{
	CHECK_INT(CRM_FORECAST_HISTORICAL, crm_forecast_method_parse("historical"));
	CHECK_INT(CRM_FORECAST__COUNT, crm_forecast_method_parse("magic"));
	CHECK_STR("confidence", crm_forecast_method_name(CRM_FORECAST_CONFIDENCE));
}

TESTS(TEST(test_forecast__stage_at), TEST(test_forecast__stage_weights_and_rounding),
      TEST(test_forecast__confidence_falls_back_to_stage), TEST(test_forecast__learnt_rates),
      TEST(test_forecast__owner_factor), TEST(test_forecast__seasonality),
      TEST(test_forecast__backtest_errors), TEST(test_forecast__backtest_replays_history),
      TEST(test_forecast__method_names))
