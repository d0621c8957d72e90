/* Aging alerts over the opportunities: how long each open deal has been in
 * its stage, against the stage's own limit (max_days) and against the
 * repository's past stays in that stage (more than factor x their mean,
 * with enough of them to mean something).  Whole days; the mean is an
 * exact decimal, compared without division: days x samples > factor x sum. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm/alerts.h"
#include "crm/config.h"
#include "crm/deal.h"
#include "crm/error.h"
#include "crm/json.h"
#include "crm/report.h"
#include "crm/stats.h"

struct stage_stays {
	int64_t sum;                 /* days */
	size_t count;
	long limit;                  /* max_days, 0 when none */
};

static int read_limits(struct stage_stays *st, const struct crm_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->stages.len; i++) {
		const char *v = crm_config_get(cfg, "stage", cfg->stages.ptr[i].name, "max_days");
		char *end;
		if (!v)
			continue;
		st[i].limit = strtol(v, &end, 10);
		if (end == v || *end || st[i].limit < 1 || st[i].limit > 100000)
			return crm_error_set(CRM_EINVALID, "crm.ini: max_days '%s' of stage '%s' "
					     "must be a whole number of days above 0", v,
					     cfg->stages.ptr[i].name);
	}
	return 0;
}

/* Adds the deal's completed stays: from each history entry to the next. */
static void add_stays(struct stage_stays *st, const struct crm_deal_step *steps, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (steps[i].stage == steps[i + 1].stage)
			continue;
		st[steps[i].stage].sum += steps[i + 1].date - steps[i].date;
		st[steps[i].stage].count++;
	}
}

/* The day the deal entered its current stage. */
static crm_date entered(const struct crm_deal *d, const struct crm_deal_step *steps, size_t n)
{
	size_t i;

	for (i = n; i > 0; i--) {
		if (steps[i - 1].stage == d->stage_pos)
			return steps[i - 1].date;
	}
	return d->created;
}

/* An open deal as a candidate; decided once every stay is counted. */
static int add_candidate(struct crm_alerts *al, const struct crm_deal *d, crm_date since)
{
	struct crm_alert *x = CRM_ARRAY_PUSH(al->list);

	if (!x)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	x->id = crm_arena_strdup(&al->arena, d->rec->id);
	x->title = d->title ? crm_arena_strdup(&al->arena, d->title) : NULL;
	x->stage = crm_arena_strdup(&al->arena, d->stage_name);
	x->owner = d->owner ? crm_arena_strdup(&al->arena, d->owner) : NULL;
	x->since = since;
	x->days = al->today - since;
	/* the stage's position, until decide() replaces it by the limit */
	x->limit = (long)d->stage_pos;
	return 0;
}

/* One deal: its completed stays, and a candidate when it is open and
 * `selected`. */
static int add_deal(struct crm_alerts *al, struct stage_stays *st, const struct crm_deal *d,
		    const struct crm_deal_step *steps, size_t nsteps, bool selected)
{
	add_stays(st, steps, nsteps);
	if (selected && d->stage && d->outcome == CRM_OUTCOME_OPEN)
		return add_candidate(al, d, entered(d, steps, nsteps));
	return 0;
}

static int scan(struct crm_alerts *al, struct stage_stays *st, struct crm_index *idx,
		const struct crm_filter *filter)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	CRM_ARRAY(struct crm_deal_step) steps = CRM_ARRAY_INIT;
	struct crm_record **recs;
	size_t i, n = 0, nsteps;
	int err = 0;

	recs = crm_index_list(idx, "opportunity", &n);
	for (i = 0; i < n && !err; i++) {
		struct crm_deal d;
		crm_index_materialize(idx, recs[i]);
		if (!recs[i]->root)
			continue;
		crm_deal_read(&d, idx, recs[i]);
		err = CRM_ARRAY_RESERVE(steps, crm_deal_history_size(recs[i]) + 1);
		if (err)
			break;
		nsteps = crm_deal_history(steps.ptr, cfg, recs[i]);
		err = add_deal(al, st, &d, steps.ptr, nsteps,
			       !filter || crm_filter_match(filter, idx, recs[i]));
		crm_index_trim(idx);
	}
	CRM_ARRAY_RELEASE(steps);
	return err;
}

/* The same over deals already read, each of them selected. */
static int scan_kept(struct crm_alerts *al, struct stage_stays *st, const struct crm_deals *all)
{
	CRM_ARRAY(struct crm_deal_step) steps = CRM_ARRAY_INIT;
	size_t i, nsteps;
	int err = 0;

	for (i = 0; i < all->len && !err; i++) {
		const struct crm_deal *d = &all->ptr[i];
		err = CRM_ARRAY_RESERVE(steps, d->nentries + 1);
		if (err)
			break;
		nsteps = crm_deal_kept_history(steps.ptr, d);
		err = add_deal(al, st, d, steps.ptr, nsteps, true);
	}
	CRM_ARRAY_RELEASE(steps);
	return err;
}

/* Keeps the candidates that break a rule, with the figures that say why. */
static void decide(struct crm_alerts *al, const struct stage_stays *st)
{
	size_t i, kept = 0;

	for (i = 0; i < al->list.len; i++) {
		struct crm_alert x = al->list.ptr[i];
		const struct stage_stays *s = &st[x.limit];
		x.limit = s->limit;
		x.samples = s->count;
		x.reasons = 0;
		if (x.limit && x.days > x.limit)
			x.reasons |= CRM_ALERT_LIMIT;
		if (s->count && (long)s->count >= al->min_samples && x.days > 0 &&
		    (int64_t)x.days * (int64_t)s->count > (int64_t)al->factor * s->sum)
			x.reasons |= CRM_ALERT_AVERAGE;
		if (s->count && crm_dec_div(&x.mean, crm_dec_from_int(s->sum),
					    crm_dec_from_int((int64_t)s->count), 1))
			x.samples = 0;
		if (x.reasons)
			al->list.ptr[kept++] = x;
	}
	al->list.len = kept;
}

static int by_days(const void *a, const void *b)
{
	const struct crm_alert *x = a, *y = b;

	if (x->days != y->days)
		return x->days > y->days ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* From the filter's opportunities, or from `all` when given. */
static int compute(struct crm_alerts *out, struct crm_index *idx, const struct crm_automation *a,
		   const struct crm_filter *filter, const struct crm_deals *all)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	struct stage_stays *st;
	int err;

	memset(out, 0, sizeof(*out));
	crm_arena_init(&out->arena);
	out->today = crm_index_today(idx);
	out->factor = a->alert_factor;
	out->min_samples = a->alert_min_samples;
	st = calloc(cfg->stages.len + 1, sizeof(*st));
	if (!st)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = read_limits(st, cfg);
	if (!err)
		err = all ? scan_kept(out, st, all) : scan(out, st, idx, filter);
	if (err == CRM_ENOMEM)
		err = crm_error_set(err, "out of memory");
	if (!err) {
		decide(out, st);
		if (out->list.len)
			qsort(out->list.ptr, out->list.len, sizeof(*out->list.ptr), by_days);
	}
	free(st);
	return err;
}

int crm_alerts_compute(struct crm_alerts *out, struct crm_index *idx,
		       const struct crm_automation *a, const struct crm_filter *filter)
{
	return compute(out, idx, a, filter, NULL);
}

int crm_alerts_from_deals(struct crm_alerts *out, struct crm_index *idx,
			  const struct crm_automation *a, const struct crm_deals *all)
{
	return compute(out, idx, a, NULL, all);
}

void crm_alerts_release(struct crm_alerts *al)
{
	CRM_ARRAY_RELEASE(al->list);
	crm_arena_release(&al->arena);
}

int crm_alert_why(struct crm_buf *out, const struct crm_alerts *al, const struct crm_alert *x)
{
	char mean[32];

	if (x->reasons & CRM_ALERT_LIMIT)
		crm_buf_addf(out, "over the %ld-day limit", x->limit);
	if (x->reasons & CRM_ALERT_AVERAGE) {
		crm_dec_format(mean, sizeof(mean), x->mean);
		crm_buf_addf(out, "%sover %ldx the mean of %s days (%zu stays)",
			     x->reasons & CRM_ALERT_LIMIT ? "; " : "", al->factor, mean, x->samples);
	}
	return crm_buf_check(out);
}

static void alert_json(struct crm_json *j, const struct crm_alerts *al, const struct crm_alert *x)
{
	struct crm_buf why = CRM_BUF_INIT;
	char since[16];

	crm_date_format(since, sizeof(since), x->since);
	crm_alert_why(&why, al, x);
	crm_json_object(j, CRM_JSON_BLOCK);
	crm_json_key(j, "id");
	crm_json_string(j, x->id);
	crm_json_key(j, "title");
	crm_json_string(j, x->title);
	crm_json_key(j, "stage");
	crm_json_string(j, x->stage);
	crm_json_key(j, "owner");
	crm_json_string(j, x->owner);
	crm_json_key(j, "since");
	crm_json_string(j, since);
	crm_json_key(j, "days");
	crm_json_int(j, x->days);
	crm_json_key(j, "limit");
	if (x->limit)
		crm_json_int(j, x->limit);
	else
		crm_json_null(j);
	crm_json_key(j, "mean");
	if (x->samples)
		crm_json_decimal(j, x->mean, false);
	else
		crm_json_null(j);
	crm_json_key(j, "samples");
	crm_json_int(j, (int64_t)x->samples);
	crm_json_key(j, "over_limit");
	crm_json_bool(j, x->reasons & CRM_ALERT_LIMIT);
	crm_json_key(j, "over_mean");
	crm_json_bool(j, x->reasons & CRM_ALERT_AVERAGE);
	crm_json_key(j, "why");
	crm_json_string(j, why.ptr);
	crm_json_end(j);
	crm_buf_release(&why);
}

int crm_alerts_json(struct crm_buf *out, const struct crm_alerts *al)
{
	struct crm_json j;
	char today[16];
	size_t i;
	int err;

	crm_date_format(today, sizeof(today), al->today);
	crm_json_init(&j, out);
	crm_json_object(&j, CRM_JSON_BLOCK);
	crm_json_key(&j, "today");
	crm_json_string(&j, today);
	crm_json_key(&j, "factor");
	crm_json_int(&j, al->factor);
	crm_json_key(&j, "min_samples");
	crm_json_int(&j, al->min_samples);
	crm_json_key(&j, "alerts");
	crm_json_array(&j, CRM_JSON_BLOCK);
	for (i = 0; i < al->list.len; i++)
		alert_json(&j, al, &al->list.ptr[i]);
	crm_json_end(&j);
	err = crm_json_end(&j);
	if (!err)
		err = crm_buf_addch(out, '\n');
	return err ? err : crm_buf_check(out);
}

int crm_alerts_report(struct crm_report *r, const struct crm_alerts *al)
{
	struct crm_report_table *t;
	struct crm_buf why = CRM_BUF_INIT;
	size_t i;
	int err;

	if (!al->list.len)
		return 0;
	err = crm_report_table(&t, r, "alerts", "Aging alerts", "id", "Deal", "stage", "Stage",
			       "since", "Since", "days", "Days", "why", "Why", NULL);
	/* most days first: a terminal page shows the oldest, and says where
	 * the rest are */
	if (!err)
		crm_report_list(t, "crm alerts", 0);
	for (i = 0; i < al->list.len && !err; i++) {
		const struct crm_alert *x = &al->list.ptr[i];
		if (!crm_report_list_room(r, t))
			continue;
		crm_buf_reset(&why);
		crm_alert_why(&why, al, x);
		crm_report_add(t, crm_cell_text(r, x->id));
		crm_report_add(t, crm_cell_text(r, x->stage));
		crm_report_add(t, crm_cell_date(x->since));
		crm_report_add(t, crm_cell_int(x->days));
		err = crm_report_add(t, crm_cell_text(r, why.ptr));
	}
	crm_buf_release(&why);
	return err;
}
