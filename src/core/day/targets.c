/* Targets: crm.ini's quotas per user and period ([target "chen"] won =
 * 50000 EUR per quarter, deals = 10 per month, activities = 40 per week)
 * and how far the period that holds today has got.  Money stays exact
 * decimals; percentages are whole numbers. */
#include <stdlib.h>
#include <string.h>

#include "crm/config.h"
#include "crm/day.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/money.h"
#include "crm/report.h"
#include "core/day/day_internal.h"

const char *crm_target_metric_name(enum crm_target_metric m)
{
	static const char *const names[] = { "won", "deals", "activities" };
	return names[m];
}

const char *crm_target_period_name(enum crm_target_period p)
{
	static const char *const names[] = { "week", "month", "quarter", "year" };
	return names[p];
}

static int parse_metric(enum crm_target_metric *out, const char *key)
{
	int m;

	for (m = CRM_TARGET_WON; m <= CRM_TARGET_ACTIVITIES; m++) {
		if (!strcmp(key, crm_target_metric_name((enum crm_target_metric)m))) {
			*out = (enum crm_target_metric)m;
			return 0;
		}
	}
	return crm_error_set(CRM_EINVALID, "unknown target '%s' (won, deals or activities)", key);
}

static int parse_period(enum crm_target_period *out, const char *word)
{
	int p;

	for (p = CRM_PERIOD_WEEK; p <= CRM_PERIOD_YEAR; p++) {
		if (!strcmp(word, crm_target_period_name((enum crm_target_period)p))) {
			*out = (enum crm_target_period)p;
			return 0;
		}
	}
	return crm_error_set(CRM_EINVALID, "unknown period '%s' (week, month, quarter or year)",
			     word);
}

/* "50000 EUR per quarter" (won) or "10 per month": the goal, then " per "
 * and a period. */
int crm_target_parse(struct crm_target *out, const char *key, const char *value)
{
	const char *per = strstr(value, " per ");
	struct crm_money m;
	char goal[64];
	size_t n;
	int err;

	memset(out, 0, sizeof(*out));
	err = parse_metric(&out->metric, key);
	if (err)
		return err;
	n = per ? (size_t)(per - value) : 0;
	if (!per || !n || n >= sizeof(goal))
		return crm_error_set(CRM_EINVALID, "target %s = '%s' is not of the form "
				     "'AMOUNT per PERIOD' (e.g. '%s per month')", key, value,
				     out->metric == CRM_TARGET_WON ? "50000 EUR" : "10");
	memcpy(goal, value, n);
	goal[n] = '\0';
	err = parse_period(&out->period, per + 5);
	if (err)
		return err;
	if (out->metric == CRM_TARGET_WON) {
		/* a bare amount is filled in with the base currency by the caller */
		err = crm_money_parse(&m, goal, "XXX");
		if (err)
			return err;
		out->goal = m.amount;
		memcpy(out->currency, m.currency, sizeof(out->currency));
		if (!strcmp(out->currency, "XXX"))
			out->currency[0] = '\0';
		else if (!crm_currency_is_known(out->currency))
			err = crm_error_set(CRM_EINVALID, "unknown currency '%s' in target %s",
					    out->currency, key);
	} else {
		err = crm_dec_parse(&out->goal, goal, n);
		if (!err && out->goal.scale)
			err = crm_error_set(CRM_EINVALID, "a count of %s is a whole number", key);
	}
	if (!err && crm_dec_cmp(out->goal, crm_dec_from_int(0)) <= 0)
		err = crm_error_set(CRM_EINVALID, "target %s = '%s' must be above zero", key,
				    value);
	return err;
}

/* The period of kind `p` that holds `today`. */
static void period_bounds(crm_date *start, crm_date *end, enum crm_target_period p,
			  crm_date today)
{
	int y, m, d;

	crm_date_to_ymd(today, &y, &m, &d);
	switch (p) {
	case CRM_PERIOD_WEEK:
		*start = today - crm_date_weekday(today);
		*end = *start + 6;
		return;
	case CRM_PERIOD_MONTH:
		*start = crm_date_from_ymd(y, m, 1);
		*end = crm_date_add_months(*start, 1) - 1;
		return;
	case CRM_PERIOD_QUARTER:
		*start = crm_date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
		*end = crm_date_add_months(*start, 3) - 1;
		return;
	case CRM_PERIOD_YEAR:
		*start = crm_date_from_ymd(y, 1, 1);
		*end = crm_date_from_ymd(y, 12, 31);
		return;
	}
}

static const char *text_field(const struct crm_record *rec, const char *name)
{
	const char *t = rec->root ? crm_node_text(rec->root, name) : NULL;
	return t && *t ? t : NULL;
}

static bool is_users(const struct crm_record *rec, const char *user, const char *first_field)
{
	const char *who = first_field ? text_field(rec, first_field) : NULL;

	if (!who)
		who = text_field(rec, "owner");
	return who && !strcmp(who, user);
}

static bool in_period(const struct crm_target *t, crm_date d)
{
	return d >= t->start && d <= t->end;
}

static int add_won(struct crm_target *t, struct crm_index *idx, struct crm_record *rec)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	const char *stage = text_field(rec, "stage");
	const struct crm_stage *s = stage ? crm_config_stage(cfg, stage) : NULL;
	struct crm_money in;
	struct crm_value v;
	crm_date closed;

	if (!s || s->outcome != CRM_OUTCOME_WON || !crm_record_closed(&closed, rec) ||
	    !in_period(t, closed))
		return 0;
	if (crm_index_value(&v, idx, rec, "amount") || v.kind != CRM_V_MONEY)
		return 0;
	if (crm_index_convert(&in, idx, &v.u.money, t->currency))
		return crm_error_set(CRM_EINVALID, "%s/%s: %s", rec->schema->type, rec->id,
				     crm_error_last());
	return crm_dec_add(&t->actual, t->actual, in.amount);
}

static int add_activity(struct crm_target *t, struct crm_index *idx, struct crm_record *rec)
{
	struct crm_value v;
	crm_date d;

	if (crm_index_value(&v, idx, rec, "date"))
		return 0;
	if (v.kind == CRM_V_DATETIME)
		d = day_date_of(&crm_index_repo(idx)->config, v.u.datetime.epoch);
	else if (v.kind == CRM_V_DATE)
		d = v.u.date;
	else
		return 0;
	return in_period(t, d) ? crm_dec_add(&t->actual, t->actual, crm_dec_from_int(1)) : 0;
}

static int measure(struct crm_target *t, struct crm_index *idx)
{
	const char *type = t->metric == CRM_TARGET_ACTIVITIES ? "activity" : "opportunity";
	struct crm_record **recs;
	size_t i, n = 0;
	int err = 0;

	t->actual = crm_dec_from_int(0);
	recs = crm_index_records(idx, type, &n);
	for (i = 0; i < n && !err; i++) {
		struct crm_record *rec = recs[i];
		if (!rec_ok(rec) ||
		    !is_users(rec, t->user, t->metric == CRM_TARGET_ACTIVITIES ? "by" : NULL))
			continue;
		if (t->metric == CRM_TARGET_WON)
			err = add_won(t, idx, rec);
		else if (t->metric == CRM_TARGET_ACTIVITIES)
			err = add_activity(t, idx, rec);
		else if (in_period(t, crm_record_created(idx, rec)))
			err = crm_dec_add(&t->actual, t->actual, crm_dec_from_int(1));
	}
	return err;
}

/* actual / goal in whole percent, rounded down: the quotient to six
 * places, then cut (exact but for a value a millionth below a whole). */
static int whole_percent(int *out, crm_dec actual, crm_dec goal)
{
	crm_dec hundred = crm_dec_from_int(100), x, q;
	int err = crm_dec_mul(&x, actual, hundred);

	if (!err)
		err = crm_dec_div(&q, x, goal, 6);
	if (!err)
		*out = (int)(q.units / 1000000);
	return err;
}

/* Days of the period gone, today included: 0 before it, 100 after it. */
static int elapsed_percent(const struct crm_target *t, crm_date today)
{
	if (today < t->start)
		return 0;
	if (today > t->end)
		return 100;
	return (int)((int64_t)(today - t->start + 1) * 100 / (t->end - t->start + 1));
}

static int parse_setting(struct crm_target *t, struct crm_index *idx, const struct crm_setting *s)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	int err = crm_target_parse(t, s->key, s->value);

	if (err)
		return crm_error_set(err, "crm.ini:%d: %s", s->line, crm_error_last());
	if (t->metric == CRM_TARGET_WON && !t->currency[0])
		snprintf(t->currency, sizeof(t->currency), "%s", cfg->currency);
	t->user = s->subsection;
	return 0;
}

/* Measures parsed target `t` over its period that holds `day`. */
static int measure_period(struct crm_target *t, struct crm_index *idx, crm_date day)
{
	int err;

	period_bounds(&t->start, &t->end, t->period, day);
	err = measure(t, idx);
	if (!err)
		err = whole_percent(&t->percent, t->actual, t->goal);
	t->elapsed_percent = elapsed_percent(t, crm_index_today(idx));
	return err;
}

static int target_of(struct crm_target *t, struct crm_index *idx, const struct crm_setting *s)
{
	int err = parse_setting(t, idx, s);

	return err ? err : measure_period(t, idx, crm_index_today(idx));
}

int crm_targets_measure(struct crm_targets *out, struct crm_index *idx, const char *user)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	size_t i;
	int err = 0;

	memset(out, 0, sizeof(*out));
	crm_arena_init(&out->arena);
	for (i = 0; i < cfg->settings.len && !err; i++) {
		const struct crm_setting *s = &cfg->settings.ptr[i];
		struct crm_target *t;

		if (strcmp(s->section, "target") || !s->subsection ||
		    (user && strcmp(user, s->subsection)))
			continue;
		t = CRM_ARRAY_PUSH(out->items);
		err = t ? target_of(t, idx, s) : crm_error_set(CRM_ENOMEM, "out of memory");
	}
	if (err)
		crm_targets_release(out);
	return err;
}

void crm_targets_release(struct crm_targets *t)
{
	CRM_ARRAY_RELEASE(t->items);
	crm_arena_release(&t->arena);
}

static void amount_text(char *buf, size_t size, const struct crm_target *t, crm_dec v)
{
	struct crm_money m;

	if (t->metric != CRM_TARGET_WON) {
		crm_dec_format_trim(buf, size, v);
		return;
	}
	m.amount = v;
	memcpy(m.currency, t->currency, sizeof(m.currency));
	if (crm_money_round(&m, &m) || crm_money_format(buf, size, &m))
		snprintf(buf, size, "?");
}

int crm_target_describe(struct crm_buf *out, const struct crm_target *t)
{
	const char *period = crm_target_period_name(t->period);
	char actual[64], goal[64];

	amount_text(actual, sizeof(actual), t, t->actual);
	amount_text(goal, sizeof(goal), t, t->goal);
	return crm_buf_addf(out, "%s %s: %s of %s, %d %% of the %s's target with %d %% of the %s "
			    "gone", t->user, crm_target_metric_name(t->metric), actual, goal,
			    t->percent, period, t->elapsed_percent, period);
}

static int target_row(struct crm_report *r, struct crm_report_table *tab,
		      const struct crm_target *t)
{
	bool money = t->metric == CRM_TARGET_WON;
	int err = crm_report_add(tab, crm_cell_text(r, t->user));

	if (!err)
		err = crm_report_add(tab, crm_cell_text(r, crm_target_metric_name(t->metric)));
	if (!err)
		err = crm_report_add(tab, crm_cell_text(r, crm_target_period_name(t->period)));
	if (!err)
		err = crm_report_add(tab, crm_cell_date(t->start));
	if (!err)
		err = crm_report_add(tab, crm_cell_date(t->end));
	if (!err)
		err = crm_report_add(tab, money ? crm_cell_money(t->goal, t->currency)
						: crm_cell_int(t->goal.units));
	if (!err)
		err = crm_report_add(tab, money ? crm_cell_money(t->actual, t->currency)
						: crm_cell_int(t->actual.units));
	if (!err)
		err = crm_report_add(tab, crm_cell_int(t->percent));
	if (!err)
		err = crm_report_add(tab, crm_cell_int(t->elapsed_percent));
	return err;
}

/* Every period of the setting's target that overlaps days `from` to `to`,
 * appended to `out` in order. */
static int target_periods(struct crm_targets *out, struct crm_index *idx,
			  const struct crm_setting *s, crm_date from, crm_date to)
{
	struct crm_target parsed, *t;
	crm_date day = from;
	int err = parse_setting(&parsed, idx, s);

	while (!err && day <= to) {
		t = CRM_ARRAY_PUSH(out->items);
		if (!t)
			return crm_error_set(CRM_ENOMEM, "out of memory");
		*t = parsed;
		err = measure_period(t, idx, day);
		day = t->end + 1;
	}
	return err;
}

/* The dashboard's targets: with neither date of `f`, as crm_targets_measure
 * gives them; with --since or --until, each period that overlaps the
 * range (one bound alone: from it to today, or the period that holds the
 * --until day). */
static int measure_filtered(struct crm_targets *out, struct crm_index *idx,
			    const struct crm_targets_filter *f)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	crm_date today = crm_index_today(idx), from, to;
	size_t i;
	int err = 0;

	if (!f->has_since && !f->has_until)
		return crm_targets_measure(out, idx, f->user);
	memset(out, 0, sizeof(*out));
	crm_arena_init(&out->arena);
	to = f->has_until ? f->until : today > f->since ? today : f->since;
	from = f->has_since ? f->since : to;
	for (i = 0; i < cfg->settings.len && !err; i++) {
		const struct crm_setting *s = &cfg->settings.ptr[i];
		if (strcmp(s->section, "target") || !s->subsection ||
		    (f->user && strcmp(f->user, s->subsection)))
			continue;
		err = target_periods(out, idx, s, from, to);
	}
	if (err)
		crm_targets_release(out);
	return err;
}

int crm_targets_report(struct crm_report *r, struct crm_index *idx,
		       const struct crm_targets_filter *f)
{
	static const struct crm_targets_filter everyone = { NULL, false, false, 0, 0 };
	struct crm_report_table *tab;
	struct crm_targets t;
	size_t i;
	int err = measure_filtered(&t, idx, f ? f : &everyone);

	if (err || !t.items.len)
		goto done;
	err = crm_report_table(&tab, r, "targets", "Targets", "user", "User", "metric", "Target",
			       "period", "Period", "start", "From", "end", "To", "goal", "Goal",
			       "actual", "Actual", "percent", "% of goal", "elapsed_percent",
			       "% of period gone", NULL);
	for (i = 0; i < t.items.len && !err; i++)
		err = target_row(r, tab, &t.items.ptr[i]);
done:
	crm_targets_release(&t);
	return err;
}
