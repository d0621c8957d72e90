/* crm forecast: expected revenue by month of expected close, by stage
 * probability, confidence rating or learnt win rates, with the deals behind
 * each figure (--explain); and --backtest, each method against the past. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "crm/date.h"
#include "crm/error.h"
#include "crm/filter.h"
#include "crm/forecast.h"
#include "crm/index.h"
#include "crm/money.h"
#include "crm/node.h"
#include "crm/report.h"
#include "crm/table.h"
#include "crm/value.h"

static const char usage[] =
	"[--months N] [--method stage|confidence|historical] [--by month|owner|stage] "
	"[--explain] [--backtest] [--owner NAME] [--tag T] [--at REV|DATE] [FILTER...] [--json|--csv]";

enum fc_by { BY_MONTH, BY_OWNER, BY_STAGE };

struct fc_opts {
	long months;
	const char *method_name, *by_name, *owner;
	struct cli_list tags;
	bool explain, backtest, json, csv;
	const char *at;               /* --at REV|DATE */
	enum crm_forecast_method method;
	enum fc_by by;
};

/* The opportunities as deal snapshots, and what they point into. */
struct fc_data {
	struct crm_forecast_input in;
	struct crm_forecast_stage *stages;
	struct crm_forecast_deal *deals;
	struct crm_forecast_step *steps;
	struct crm_record **recs;
	const char *currency;
	const char *commit;           /* with --at: the commit the figures come from */
};

static void fc_data_release(struct fc_data *d)
{
	free(d->stages);
	free(d->deals);
	free(d->steps);
	free(d->recs);
}

static crm_date value_date(struct cli_ctx *ctx, struct crm_record *rec, const char *name)
{
	struct crm_value v;
	if (crm_index_value(&v, ctx->idx, rec, name) || v.kind != CRM_V_DATE)
		return CRM_FORECAST_NO_DATE;
	return v.u.date;
}

static const char *value_text(struct cli_ctx *ctx, struct crm_record *rec, const char *name)
{
	struct crm_value v;
	if (crm_index_value(&v, ctx->idx, rec, name) || v.kind != CRM_V_TEXT)
		return "";
	return v.u.text;
}

static int stage_index(const struct crm_config *cfg, const char *name)
{
	const struct crm_stage *s = name ? crm_config_stage(cfg, name) : NULL;
	return s ? (int)(s - cfg->stages.ptr) : -1;
}

/* The `history` entries with a valid date and a known stage, oldest first
 * (stable, so same-day moves keep their order); bad entries are crm check's
 * business and are left out here. */
static size_t read_history(struct crm_forecast_step *steps, const struct crm_config *cfg,
			   const struct crm_node *history)
{
	size_t i, n = 0, j;

	for (i = 0; history && history->kind == CRM_NODE_SEQ && i < history->count; i++) {
		const char *date = crm_node_text(history->items[i], "date");
		struct crm_forecast_step st;
		if (!date || crm_date_parse(&st.date, date, strlen(date)))
			continue;
		st.stage = stage_index(cfg, crm_node_text(history->items[i], "stage"));
		if (st.stage < 0)
			continue;
		for (j = n; j > 0 && steps[j - 1].date > st.date; j--)
			steps[j] = steps[j - 1];
		steps[j] = st;
		n++;
	}
	return n;
}

static int read_amount(struct cli_ctx *ctx, struct crm_record *rec, struct crm_forecast_deal *d,
		       const char *currency)
{
	struct crm_value v;
	struct crm_money m;

	if (crm_index_value(&v, ctx->idx, rec, "amount") || v.kind != CRM_V_MONEY)
		return 0;
	if (crm_index_convert(&m, ctx->idx, &v.u.money, currency)) {
		fprintf(stderr, "crm forecast: warning: %s: %s; deal left out\n", rec->path,
			crm_error_last());
		return 0;
	}
	d->amount = m.amount;
	d->has_amount = true;
	return 0;
}

static void read_confidence(struct cli_ctx *ctx, struct crm_record *rec,
			    struct crm_forecast_deal *d)
{
	const struct crm_field *f = crm_schema_field(rec->schema, "confidence");
	crm_dec max = crm_dec_from_int(5);
	struct crm_value v;

	if (!f || crm_index_value(&v, ctx->idx, rec, "confidence") || v.kind != CRM_V_NUMBER)
		return;
	if (f->has_max)
		max = f->max;
	if (max.units <= 0 || v.u.num.units < 0 || crm_dec_cmp(v.u.num, max) > 0)
		return;
	if (!crm_dec_div(&d->confidence, v.u.num, max, CRM_FORECAST_RATIO_SCALE))
		d->has_confidence = true;
}

static int load_deals(struct fc_data *data, struct cli_ctx *ctx, const char *const *terms,
		      size_t nterms)
{
	const struct crm_config *cfg = &ctx->repo.config;
	const struct crm_schema *s = crm_repo_schema(&ctx->repo, "opportunity");
	struct crm_filter *filter = NULL;
	struct crm_record **all;
	size_t n, i, nsteps = 0, used = 0;
	int err = 0;

	memset(data, 0, sizeof(*data));
	data->currency = cfg->currency;
	if (!s)
		return crm_error_set(CRM_ENOTFOUND, "the repository has no opportunity schema");
	err = crm_filter_parse(&filter, ctx->idx, s, terms, nterms);
	if (err)
		return err;
	all = crm_index_records(ctx->idx, "opportunity", &n);
	for (i = 0; i < n; i++) {
		const struct crm_node *h = all[i]->root ? crm_node_get(all[i]->root, "history") : NULL;
		if (h && h->kind == CRM_NODE_SEQ)
			nsteps += h->count;
	}
	data->stages = calloc(cfg->stages.len + 1, sizeof(*data->stages));
	data->deals = calloc(n + 1, sizeof(*data->deals));
	data->steps = calloc(nsteps + 1, sizeof(*data->steps));
	data->recs = calloc(n + 1, sizeof(*data->recs));
	if (!data->stages || !data->deals || !data->steps || !data->recs) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < cfg->stages.len; i++) {
		data->stages[i].name = cfg->stages.ptr[i].name;
		data->stages[i].probability = cfg->stages.ptr[i].probability;
		data->stages[i].outcome = cfg->stages.ptr[i].outcome;
	}
	for (i = 0; i < n; i++) {
		struct crm_record *rec = all[i];
		struct crm_forecast_deal *d = &data->deals[i];

		data->recs[i] = rec;
		d->id = rec->id;
		d->owner = value_text(ctx, rec, "owner");
		d->created = crm_record_created(ctx->idx, rec);
		d->closed = value_date(ctx, rec, "closed");
		d->expected_close = value_date(ctx, rec, "expected_close");
		d->stage = stage_index(cfg, value_text(ctx, rec, "stage"));
		d->history = data->steps + used;
		d->nhistory = read_history(data->steps + used, cfg,
					   rec->root ? crm_node_get(rec->root, "history") : NULL);
		used += d->nhistory;
		d->selected = crm_filter_match(filter, ctx->idx, rec);
		read_confidence(ctx, rec, d);
		err = read_amount(ctx, rec, d, data->currency);
		if (err)
			goto done;
	}
	data->in.stages = data->stages;
	data->in.nstages = cfg->stages.len;
	data->in.deals = data->deals;
	data->in.ndeals = n;
	data->in.minor_digits = crm_currency_exponent(data->currency);
	if (data->in.minor_digits < 0)
		data->in.minor_digits = 2;
done:
	crm_filter_free(filter);
	return err;
}

/* Text helpers. */

static void money_json(struct crm_buf *out, crm_dec v, const char *cur)
{
	char a[64];
	crm_money_format_dec(a, sizeof(a), v, cur);
	crm_buf_addf(out, "{\"amount\": \"%s\", \"currency\": \"%s\"}", a, cur);
}

static void ratio_text(char *buf, size_t size, crm_dec v)
{
	crm_dec_format_trim(buf, size, v);
}

static void date_text(char *buf, size_t size, crm_date d)
{
	if (d == CRM_FORECAST_NO_DATE)
		snprintf(buf, size, "-");
	else
		crm_date_format(buf, size, d);
}

static size_t terminal_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	return 0;
}

/* A bar of Unicode blocks, `width` cells for `max`; eighths for the rest.
 * A double is fine here: it is only the bar's length on screen. */
static void bar_text(struct crm_buf *out, crm_dec v, crm_dec max, int width)
{
	static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	double fv = (double)v.units, fm = (double)max.units;
	long cells;
	int i;

	for (i = 0; i < v.scale; i++)
		fv /= 10;
	for (i = 0; i < max.scale; i++)
		fm /= 10;
	if (fm <= 0 || fv <= 0)
		return;
	cells = (long)(fv / fm * width * 8 + 0.5);
	for (i = 0; i < cells / 8; i++)
		crm_buf_adds(out, "█");
	crm_buf_adds(out, eighths[cells % 8]);
}

/* One group of the report: a month, an owner or a stage. */
struct fc_cell {
	int count;
	crm_dec pipeline, expected;
};

static const char *group_key(const struct fc_data *data, const struct crm_forecast_item *it,
			     enum fc_by by, char *buf, size_t size)
{
	if (by == BY_OWNER) {
		const char *o = data->deals[it->deal].owner;
		return o && *o ? o : "(none)";
	}
	if (by == BY_STAGE)
		return data->stages[it->stage].name;
	crm_forecast_month_format(buf, size, it->month);
	return buf;
}

/* The groups in order: months in order; owners by name; stages in
 * pipeline order. */
static size_t collect_keys(const char **keys, const struct fc_data *data,
			   const struct crm_forecast_item *items, size_t n, enum fc_by by)
{
	size_t i, k, nk = 0;

	if (by == BY_STAGE) {
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

static bool in_group(const struct fc_data *data, const struct crm_forecast_item *it,
		     enum fc_by by, const char *key)
{
	char tmp[16];
	return by == BY_MONTH || !strcmp(group_key(data, it, by, tmp, sizeof(tmp)), key);
}

/* Sums the items of group `key` (NULL: all) in `month` (-1: all). */
static int sum_cell(struct fc_cell *c, const struct fc_data *data,
		    const struct crm_forecast_item *items, size_t n, enum fc_by by,
		    const char *key, int month)
{
	crm_dec pipe = crm_dec_from_int(0), exp = crm_dec_from_int(0);
	size_t i;
	int err = 0;

	c->count = 0;
	for (i = 0; i < n && !err; i++) {
		if ((key && !in_group(data, &items[i], by, key)) ||
		    (month >= 0 && items[i].month != month))
			continue;
		c->count++;
		err = crm_dec_add(&pipe, pipe, data->deals[items[i].deal].amount);
		if (!err)
			err = crm_dec_add(&exp, exp, items[i].expected);
	}
	if (!err)
		err = crm_dec_round(&c->pipeline, pipe, data->in.minor_digits);
	if (!err)
		err = crm_dec_round(&c->expected, exp, data->in.minor_digits);
	return err;
}

/* Why a deal weighs what it does, in words. */
static void why_text(struct crm_buf *out, const struct fc_data *data,
		     const struct crm_forecast_item *it, enum crm_forecast_method method,
		     const struct crm_forecast_model *model)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const struct crm_forecast_stage *st = &data->stages[it->stage];
	char r[32];

	if (method == CRM_FORECAST_STAGE || (method == CRM_FORECAST_CONFIDENCE && it->fallback))
		crm_buf_addf(out, "%s%s %d%%", it->fallback ? "no rating; " : "", st->name,
			     st->probability);
	else if (method == CRM_FORECAST_CONFIDENCE) {
		ratio_text(r, sizeof(r), it->base);
		crm_buf_addf(out, "rating %s", r);
	} else {
		if (it->fallback)
			crm_buf_addf(out, "%s %d%% (%d closed)", st->name, st->probability,
				     model->stage_closed[it->stage]);
		else
			crm_buf_addf(out, "%s won %d/%d", st->name, model->stage_won[it->stage],
				     model->stage_closed[it->stage]);
		if (crm_dec_cmp(it->owner_factor, crm_dec_from_int(1))) {
			ratio_text(r, sizeof(r), it->owner_factor);
			crm_buf_addf(out, "; %s x%s", data->deals[it->deal].owner, r);
		}
		if (model->seasonal) {
			ratio_text(r, sizeof(r), it->season_factor);
			crm_buf_addf(out, "; %s x%s", mon[it->month % 12], r);
		}
	}
	if (it->overdue)
		crm_buf_adds(out, "; overdue");
}

static void item_json(struct crm_buf *out, const struct fc_data *data,
		      const struct crm_forecast_item *it, enum crm_forecast_method method,
		      const struct crm_forecast_model *model)
{
	const struct crm_forecast_deal *d = &data->deals[it->deal];
	struct crm_buf why = CRM_BUF_INIT;
	char a[32], b[32], c[32], w[32], m[16];
	crm_dec e;

	crm_buf_adds(out, "{\"id\": ");
	crm_buf_add_json_string(out, d->id);
	crm_buf_adds(out, ", \"owner\": ");
	crm_buf_add_json_string(out, d->owner ? d->owner : "");
	crm_buf_adds(out, ", \"stage\": ");
	crm_buf_add_json_string(out, data->stages[it->stage].name);
	crm_buf_adds(out, ", \"amount\": ");
	money_json(out, d->amount, data->currency);
	date_text(a, sizeof(a), d->expected_close);
	crm_forecast_month_format(m, sizeof(m), it->month);
	crm_buf_addf(out, ", \"expected_close\": \"%s\", \"month\": \"%s\", \"overdue\": %s", a, m,
		     it->overdue ? "true" : "false");
	ratio_text(a, sizeof(a), it->base);
	ratio_text(b, sizeof(b), it->owner_factor);
	ratio_text(c, sizeof(c), it->season_factor);
	ratio_text(w, sizeof(w), it->weight);
	crm_buf_addf(out, ", \"base\": %s, \"owner_factor\": %s, \"season_factor\": %s, "
		     "\"weight\": %s, \"fallback\": %s, \"expected\": ", a, b, c, w,
		     it->fallback ? "true" : "false");
	if (crm_dec_round(&e, it->expected, data->in.minor_digits))
		e = it->expected;
	money_json(out, e, data->currency);
	why_text(&why, data, it, method, model);
	crm_buf_adds(out, ", \"why\": ");
	crm_buf_add_json_string(out, why.ptr);
	crm_buf_addch(out, '}');
	crm_buf_release(&why);
}

static void cell_json(struct crm_buf *out, const struct fc_cell *c, const char *cur)
{
	crm_buf_addf(out, "\"count\": %d, \"pipeline\": ", c->count);
	money_json(out, c->pipeline, cur);
	crm_buf_adds(out, ", \"expected\": ");
	money_json(out, c->expected, cur);
}

/* The deals of a group and month as a JSON list (for --explain). */
static void deals_json(struct crm_buf *out, const struct fc_data *data,
		       const struct crm_forecast_item *items, size_t n, enum fc_by by,
		       const char *key, int month, enum crm_forecast_method method,
		       const struct crm_forecast_model *model)
{
	size_t i;
	bool first = true;

	crm_buf_adds(out, ", \"deals\": [");
	for (i = 0; i < n; i++) {
		if ((key && !in_group(data, &items[i], by, key)) ||
		    (month >= 0 && items[i].month != month))
			continue;
		crm_buf_adds(out, first ? "\n      " : ",\n      ");
		item_json(out, data, &items[i], method, model);
		first = false;
	}
	crm_buf_adds(out, first ? "]" : "\n    ]");
}

static void model_json(struct crm_buf *out, const struct fc_data *data,
		       const struct crm_forecast_model *m)
{
	char a[32], b[32];
	size_t i;
	int k;

	crm_buf_adds(out, ",\n  \"model\": {\"stages\": [");
	for (i = 0; i < data->in.nstages; i++) {
		if (data->stages[i].outcome != CRM_OUTCOME_OPEN)
			continue;
		ratio_text(a, sizeof(a), m->stage_rate[i]);
		crm_buf_adds(out, i ? ",\n    {\"stage\": " : "\n    {\"stage\": ");
		crm_buf_add_json_string(out, data->stages[i].name);
		crm_buf_addf(out, ", \"probability\": %d, \"closed\": %d, \"won\": %d, "
			     "\"learnt\": %s, \"rate\": %s}", data->stages[i].probability,
			     m->stage_closed[i], m->stage_won[i],
			     m->stage_learnt[i] ? "true" : "false", a);
	}
	crm_buf_adds(out, "\n  ], \"owners\": [");
	for (i = 0; i < m->nowners; i++) {
		ratio_text(a, sizeof(a), m->owners[i].factor);
		crm_buf_adds(out, i ? ",\n    {\"owner\": " : "\n    {\"owner\": ");
		crm_buf_add_json_string(out, m->owners[i].owner);
		crm_buf_addf(out, ", \"closed\": %d, \"won\": ", m->owners[i].closed);
		money_json(out, m->owners[i].won, data->currency);
		crm_buf_adds(out, ", \"forecast\": ");
		money_json(out, m->owners[i].forecast, data->currency);
		crm_buf_addf(out, ", \"applied\": %s, \"factor\": %s}",
			     m->owners[i].applied ? "true" : "false", a);
	}
	crm_buf_addf(out, "%s], \"seasonal\": %s", m->nowners ? "\n  " : "",
		     m->seasonal ? "true" : "false");
	if (m->seasonal) {
		crm_forecast_month_format(a, sizeof(a), m->season_first);
		crm_forecast_month_format(b, sizeof(b), m->season_last);
		crm_buf_addf(out, ", \"season_window\": [\"%s\", \"%s\"], \"season_deals\": %d, "
			     "\"season\": [", a, b, m->season_deals);
		for (k = 0; k < 12; k++) {
			ratio_text(a, sizeof(a), m->season[k]);
			crm_buf_addf(out, "%s%s", k ? ", " : "", a);
		}
		crm_buf_addch(out, ']');
	}
	crm_buf_addch(out, '}');
}

static const char *const by_names[] = { "month", "owner", "stage" };

static int print_json(const struct fc_data *data, const struct fc_opts *o, crm_date as_of,
		      int first, const struct crm_forecast_item *items, size_t n,
		      const char **keys, size_t nk, const struct crm_forecast_model *model)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct fc_cell c;
	char buf[32];
	size_t k;
	long mo;
	int err = 0;

	date_text(buf, sizeof(buf), as_of);
	crm_buf_addf(&out, "{\n  \"method\": \"%s\",\n  \"as_of\": \"%s\",\n",
		     crm_forecast_method_name(o->method), buf);
	if (data->commit)
		crm_buf_addf(&out, "  \"commit\": \"%s\",\n", data->commit);
	crm_buf_addf(&out, "  \"currency\": \"%s\",\n  \"by\": \"%s\",\n  \"months\": [",
		     data->currency, by_names[o->by]);
	for (mo = 0; mo < o->months; mo++) {
		crm_forecast_month_format(buf, sizeof(buf), first + (int)mo);
		crm_buf_addf(&out, "%s\"%s\"", mo ? ", " : "", buf);
	}
	crm_buf_adds(&out, "],\n  \"rows\": [");
	for (k = 0; k < nk && !err; k++) {
		int month = o->by == BY_MONTH ? first + (int)k : -1;
		const char *key = o->by == BY_MONTH ? NULL : keys[k];
		if (o->by == BY_MONTH)
			crm_forecast_month_format(buf, sizeof(buf), month);
		err = sum_cell(&c, data, items, n, o->by, key, month);
		crm_buf_adds(&out, k ? ",\n    {\"key\": " : "\n    {\"key\": ");
		crm_buf_add_json_string(&out, key ? key : buf);
		crm_buf_adds(&out, ", ");
		cell_json(&out, &c, data->currency);
		if (o->explain)
			deals_json(&out, data, items, n, o->by, key, month, o->method, model);
		if (o->by != BY_MONTH) {
			crm_buf_adds(&out, ", \"by_month\": [");
			for (mo = 0; mo < o->months && !err; mo++) {
				crm_forecast_month_format(buf, sizeof(buf), first + (int)mo);
				err = sum_cell(&c, data, items, n, o->by, key, first + (int)mo);
				crm_buf_addf(&out, "%s{\"month\": \"%s\", ", mo ? ", " : "", buf);
				cell_json(&out, &c, data->currency);
				crm_buf_addch(&out, '}');
			}
			crm_buf_addch(&out, ']');
		}
		crm_buf_addch(&out, '}');
	}
	crm_buf_adds(&out, nk ? "\n  ],\n  \"total\": {" : "],\n  \"total\": {");
	if (!err)
		err = sum_cell(&c, data, items, n, o->by, NULL, -1);
	cell_json(&out, &c, data->currency);
	crm_buf_addch(&out, '}');
	if (o->method == CRM_FORECAST_HISTORICAL)
		model_json(&out, data, model);
	crm_buf_adds(&out, "\n}\n");
	if (!err)
		err = cli_write(&out);
	crm_buf_release(&out);
	return err;
}

static bool explain_before(const struct fc_data *data, enum fc_by by,
			   const struct crm_forecast_item *a, const struct crm_forecast_item *b)
{
	char ta[16], tb[16];
	int c = by == BY_STAGE ? a->stage - b->stage
		: by == BY_OWNER ? strcmp(group_key(data, a, by, ta, sizeof(ta)),
					  group_key(data, b, by, tb, sizeof(tb)))
		: 0;
	return c ? c < 0 : a->month < b->month;
}

static int print_explain(const struct fc_data *data, const struct fc_opts *o,
			 const struct crm_forecast_item *items, size_t n,
			 const struct crm_forecast_model *model, bool csv, bool color)
{
	static const char *const headers[] = { "month", "deal", "owner", "stage", "amount",
					       "weight", "expected", "why" };
	struct crm_table t;
	struct crm_buf why = CRM_BUF_INIT;
	char buf[64];
	size_t i;
	int err;

	size_t *order = calloc(n + 1, sizeof(*order)), j;

	if (!order)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	/* by group, then month, then path order: insertion sort keeps it stable */
	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && explain_before(data, o->by, &items[i], &items[order[j - 1]]); j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	crm_table_init(&t, 8, headers);
	crm_table_align_right(&t, 4, true);
	crm_table_align_right(&t, 5, true);
	crm_table_align_right(&t, 6, true);
	for (i = 0; i < n; i++) {
		const struct crm_forecast_item *it = &items[order[i]];
		const struct crm_forecast_deal *d = &data->deals[it->deal];
		crm_dec e;
		crm_forecast_month_format(buf, sizeof(buf), it->month);
		crm_table_add(&t, buf);
		crm_table_add(&t, d->id);
		crm_table_add(&t, d->owner ? d->owner : "");
		crm_table_add(&t, data->stages[it->stage].name);
		crm_money_format_dec(buf, sizeof(buf), d->amount, data->currency);
		crm_table_add(&t, buf);
		ratio_text(buf, sizeof(buf), it->weight);
		crm_table_add(&t, buf);
		if (crm_dec_round(&e, it->expected, data->in.minor_digits))
			e = it->expected;
		crm_money_format_dec(buf, sizeof(buf), e, data->currency);
		crm_table_add(&t, buf);
		crm_buf_reset(&why);
		why_text(&why, data, it, o->method, model);
		crm_table_add(&t, why.ptr);
	}
	if (!csv)
		fputc('\n', stdout);
	err = csv ? crm_table_csv(stdout, &t) : crm_table_print(stdout, &t, terminal_width(), color);
	crm_table_release(&t);
	crm_buf_release(&why);
	free(order);
	return err;
}

static int print_table(const struct fc_data *data, const struct fc_opts *o, crm_date as_of,
		       int first, const struct crm_forecast_item *items, size_t n,
		       const char **keys, size_t nk, bool csv, bool color)
{
	static const char *const month_headers[] = { "month", "deals", "pipeline", "expected", "" };
	const char **headers = NULL;
	char **owned = NULL;
	struct crm_table t;
	struct crm_buf bar = CRM_BUF_INIT;
	struct fc_cell c, *cells = NULL;
	crm_dec max = crm_dec_from_int(0);
	char buf[64];
	size_t k, ncols;
	long mo;
	int err = 0;

	if (!csv) {
		date_text(buf, sizeof(buf), as_of);
		printf("expected revenue in %s by %s, method %s, as of %s", data->currency,
		       o->by == BY_MONTH ? "month of expected close" : by_names[o->by],
		       crm_forecast_method_name(o->method), buf);
		if (data->commit)
			printf(" (commit %.8s)", data->commit);
		printf("\n\n");
	}
	if (o->by == BY_MONTH) {
		ncols = csv ? 4 : 5;
		crm_table_init(&t, ncols, month_headers);
		cells = calloc((size_t)o->months + 1, sizeof(*cells));
		if (!cells) {
			err = crm_error_set(CRM_ENOMEM, "out of memory");
			goto done;
		}
		for (mo = 0; mo < o->months && !err; mo++) {
			err = sum_cell(&cells[mo], data, items, n, o->by, NULL, first + (int)mo);
			if (!err && crm_dec_cmp(cells[mo].expected, max) > 0)
				max = cells[mo].expected;
		}
		for (mo = 0; mo < o->months && !err; mo++) {
			crm_forecast_month_format(buf, sizeof(buf), first + (int)mo);
			crm_table_add(&t, buf);
			snprintf(buf, sizeof(buf), "%d", cells[mo].count);
			crm_table_add(&t, buf);
			crm_money_format_dec(buf, sizeof(buf), cells[mo].pipeline, data->currency);
			crm_table_add(&t, buf);
			crm_money_format_dec(buf, sizeof(buf), cells[mo].expected, data->currency);
			crm_table_add(&t, buf);
			if (!csv) {
				crm_buf_reset(&bar);
				bar_text(&bar, cells[mo].expected, max, 24);
				crm_table_add(&t, bar.ptr);
			}
		}
	} else {
		ncols = (size_t)o->months + 2;
		headers = calloc(ncols, sizeof(*headers));
		owned = calloc(ncols, sizeof(*owned));
		if (!headers || !owned) {
			free(headers);
			free(owned);
			return crm_error_set(CRM_ENOMEM, "out of memory");
		}
		headers[0] = by_names[o->by];
		for (mo = 0; mo < o->months; mo++) {
			crm_forecast_month_format(buf, sizeof(buf), first + (int)mo);
			owned[mo] = strdup(buf);
			headers[mo + 1] = owned[mo] ? owned[mo] : "?";
		}
		headers[ncols - 1] = "total";
		crm_table_init(&t, ncols, headers);
		for (k = 0; k < nk && !err; k++) {
			crm_table_add(&t, keys[k]);
			for (mo = 0; mo <= o->months && !err; mo++) {
				err = sum_cell(&c, data, items, n, o->by, keys[k],
					       mo < o->months ? first + (int)mo : -1);
				crm_money_format_dec(buf, sizeof(buf), c.expected, data->currency);
				crm_table_add(&t, buf);
			}
		}
	}
	for (k = 1; k < ncols; k++)
		crm_table_align_right(&t, k, k < 4 || o->by != BY_MONTH);
	if (!err) {
		crm_table_add(&t, "total");
		err = sum_cell(&c, data, items, n, o->by, NULL, -1);
		if (o->by == BY_MONTH) {
			snprintf(buf, sizeof(buf), "%d", c.count);
			crm_table_add(&t, buf);
			crm_money_format_dec(buf, sizeof(buf), c.pipeline, data->currency);
			crm_table_add(&t, buf);
			crm_money_format_dec(buf, sizeof(buf), c.expected, data->currency);
			crm_table_add(&t, buf);
			if (!csv)
				crm_table_add(&t, "");
		} else {
			for (mo = 0; mo <= o->months && !err; mo++) {
				err = sum_cell(&c, data, items, n, o->by, NULL,
					       mo < o->months ? first + (int)mo : -1);
				crm_money_format_dec(buf, sizeof(buf), c.expected, data->currency);
				crm_table_add(&t, buf);
			}
		}
	}
	if (!err)
		err = csv ? crm_table_csv(stdout, &t)
			  : crm_table_print(stdout, &t, terminal_width(), color);
	crm_table_release(&t);
done:
	for (mo = 0; owned && mo < o->months; mo++)
		free(owned[mo]);
	free(owned);
	free(headers);
	free(cells);
	crm_buf_release(&bar);
	return err;
}

static int run_forecast(const struct fc_data *data, const struct fc_opts *o, crm_date today,
			bool color)
{
	struct crm_forecast_model model;
	struct crm_forecast_item *items = NULL;
	const char **keys = NULL;
	int first = crm_forecast_month_of(today);
	size_t n = 0, nk;
	int err;

	memset(&model, 0, sizeof(model));
	err = crm_forecast_learn(&model, &data->in, today);
	if (!err)
		err = crm_forecast_run(&items, &n, &data->in, o->method, &model, today, first,
				       (int)o->months);
	if (err)
		goto done;
	keys = calloc(n + (size_t)o->months + 1, sizeof(*keys));
	if (!keys) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	nk = o->by == BY_MONTH ? (size_t)o->months : collect_keys(keys, data, items, n, o->by);
	if (o->json)
		err = print_json(data, o, today, first, items, n, keys, nk, &model);
	else
		err = print_table(data, o, today, first, items, n, keys, nk, o->csv, color);
	if (!err && o->explain && !o->json) {
		if (o->csv)
			fputc('\n', stdout);
		err = print_explain(data, o, items, n, &model, o->csv, color);
	}
done:
	free(keys);
	free(items);
	crm_forecast_model_release(&model);
	return err;
}

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

static int print_backtest(const struct fc_data *data, const struct fc_opts *o,
			  const struct crm_backtest_month *months, size_t n, bool color)
{
	static const char *const headers[] = { "month", "actual", "stage", "confidence",
					       "historical" };
	struct crm_backtest_error errs[CRM_FORECAST__COUNT];
	struct crm_buf out = CRM_BUF_INIT;
	char buf[64];
	size_t i;
	int m, err;

	err = crm_forecast_errors(errs, months, n);
	if (err)
		return err;
	if (o->json) {
		crm_buf_addf(&out, "{\n  \"currency\": \"%s\",\n  \"months\": [", data->currency);
		for (i = 0; i < n; i++) {
			crm_forecast_month_format(buf, sizeof(buf), months[i].month);
			crm_buf_addf(&out, "%s\n    {\"month\": \"%s\", ", i ? "," : "", buf);
			date_text(buf, sizeof(buf), months[i].as_of);
			crm_buf_addf(&out, "\"as_of\": \"%s\", \"won_deals\": %d, \"actual\": ", buf,
				     months[i].actual_deals);
			money_json(&out, months[i].actual, data->currency);
			crm_buf_adds(&out, ", \"predicted\": {");
			for (m = 0; m < CRM_FORECAST__COUNT; m++) {
				crm_buf_addf(&out, "%s\"%s\": ", m ? ", " : "",
					     crm_forecast_method_name((enum crm_forecast_method)m));
				money_json(&out, months[i].predicted[m], data->currency);
			}
			crm_buf_adds(&out, "}}");
		}
		crm_buf_adds(&out, n ? "\n  ],\n  \"methods\": [" : "],\n  \"methods\": [");
		for (m = 0; m < CRM_FORECAST__COUNT; m++) {
			char a[32] = "null", b[32] = "null";
			if (errs[m].has_mape)
				crm_dec_format(a, sizeof(a), errs[m].mape);
			if (errs[m].has_bias)
				crm_dec_format(b, sizeof(b), errs[m].bias);
			crm_buf_addf(&out, "%s\n    {\"method\": \"%s\", \"months\": %d, \"mape\": %s, "
				     "\"bias\": %s}", m ? "," : "",
				     crm_forecast_method_name((enum crm_forecast_method)m),
				     errs[m].months, a, b);
		}
		crm_buf_adds(&out, "\n  ]\n}\n");
		err = cli_write(&out);
		crm_buf_release(&out);
		return err;
	}
	{
		struct crm_table t;
		crm_table_init(&t, 5, headers);
		for (m = 1; m < 5; m++)
			crm_table_align_right(&t, (size_t)m, true);
		for (i = 0; i < n; i++) {
			crm_forecast_month_format(buf, sizeof(buf), months[i].month);
			crm_table_add(&t, buf);
			crm_money_format_dec(buf, sizeof(buf), months[i].actual, data->currency);
			crm_table_add(&t, buf);
			for (m = 0; m < CRM_FORECAST__COUNT; m++) {
				crm_money_format_dec(buf, sizeof(buf), months[i].predicted[m], data->currency);
				crm_table_add(&t, buf);
			}
		}
		crm_table_add(&t, "MAPE");
		crm_table_add(&t, "");
		for (m = 0; m < CRM_FORECAST__COUNT; m++) {
			pct_text(buf, sizeof(buf), errs[m].has_mape, errs[m].mape, false);
			crm_table_add(&t, buf);
		}
		crm_table_add(&t, "bias");
		crm_table_add(&t, "");
		for (m = 0; m < CRM_FORECAST__COUNT; m++) {
			pct_text(buf, sizeof(buf), errs[m].has_bias, errs[m].bias, true);
			crm_table_add(&t, buf);
		}
		if (!o->csv)
			printf("backtest in %s: each month predicted at the end of the month before, "
			       "against what was won\n\n", data->currency);
		err = o->csv ? crm_table_csv(stdout, &t)
			     : crm_table_print(stdout, &t, terminal_width(), color);
		crm_table_release(&t);
	}
	return err;
}

static int run_backtest(const struct fc_data *data, const struct fc_opts *o, crm_date today,
			bool color)
{
	struct crm_backtest_month *months = NULL;
	int last = crm_forecast_month_of(today) - 1, first = last - (int)o->months + 1;
	int earliest = -1;
	size_t i;
	int err;

	/* no month before the first deal was created: nothing was known then */
	for (i = 0; i < data->in.ndeals; i++) {
		crm_date c = data->deals[i].created;
		int cm;
		if (c == CRM_FORECAST_NO_DATE)
			continue;
		cm = crm_forecast_month_of(c);
		if (earliest < 0 || cm < earliest)
			earliest = cm;
	}
	if (earliest >= 0 && first < earliest + 1)
		first = earliest + 1;
	err = crm_forecast_backtest(&months, &data->in, first, last);
	if (!err)
		err = print_backtest(data, o, months, last >= first ? (size_t)(last - first + 1) : 0,
				     color);
	free(months);
	return err;
}

/* --owner and --tag as filter terms, then the FILTER arguments. */
static int build_terms(struct cli_list *terms, struct crm_buf *store, const struct fc_opts *o,
		       int argc, char **argv)
{
	size_t i, off[64], n = 0;
	int a;

	if (o->owner) {
		off[n++] = store->len;
		crm_buf_addf(store, "owner=%s", o->owner);
		crm_buf_addch(store, '\0');
	}
	for (i = 0; i < o->tags.len && n < 64; i++) {
		off[n++] = store->len;
		crm_buf_addf(store, "tag:%s", o->tags.items[i]);
		crm_buf_addch(store, '\0');
	}
	if (o->tags.len >= 64)
		return crm_error_set(CRM_EUSAGE, "too many --tag options");
	terms->items = calloc(n + (size_t)argc + 1, sizeof(*terms->items));
	if (!terms->items)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		terms->items[terms->len++] = store->ptr + off[i];
	for (a = 0; a < argc; a++)
		terms->items[terms->len++] = argv[a];
	return 0;
}

static int parse_choices(struct fc_opts *o)
{
	size_t i;

	if (o->months < 1 || o->months > 120)
		return crm_error_set(CRM_EUSAGE, "--months must be between 1 and 120, not %ld",
				     o->months);
	if (o->method_name) {
		o->method = crm_forecast_method_parse(o->method_name);
		if (o->method == CRM_FORECAST__COUNT)
			return crm_error_set(CRM_EUSAGE, "unknown method '%s' (stage, confidence "
					     "or historical)", o->method_name);
	}
	if (o->by_name) {
		for (i = 0; i < 3 && strcmp(by_names[i], o->by_name); i++)
			;
		if (i == 3)
			return crm_error_set(CRM_EUSAGE, "cannot group by '%s' (month, owner or "
					     "stage)", o->by_name);
		o->by = (enum fc_by)i;
	}
	if (o->json && o->csv)
		return crm_error_set(CRM_EUSAGE, "--json and --csv exclude each other");
	if (o->backtest && (o->by_name || o->method_name || o->explain))
		return crm_error_set(CRM_EUSAGE, "--backtest compares every method by month; "
				     "it takes no --method, --by or --explain");
	return 0;
}

int cmd_forecast(struct cli_ctx *ctx, int argc, char **argv)
{
	struct fc_opts o;
	const struct cli_option opts[] = {
		{ "months", 'n', CLI_OPT_INT, &o.months, "N",
		  "months ahead (default 6), or back for --backtest (default 12)" },
		{ "method", 'm', CLI_OPT_STRING, &o.method_name, "M",
		  "stage (default), confidence or historical" },
		{ "by", 0, CLI_OPT_STRING, &o.by_name, "G", "month (default), owner or stage" },
		{ "explain", 'e', CLI_OPT_FLAG, &o.explain, NULL, "list the deals behind each figure" },
		{ "backtest", 0, CLI_OPT_FLAG, &o.backtest, NULL,
		  "replay past months with each method and print its error" },
		{ "owner", 0, CLI_OPT_STRING, &o.owner, "NAME", "only this owner's deals" },
		{ "tag", 't', CLI_OPT_LIST, &o.tags, "T", "only deals with this tag (repeatable)" },
		{ "json", 0, CLI_OPT_FLAG, &o.json, NULL, "one JSON document" },
		{ "csv", 0, CLI_OPT_FLAG, &o.csv, NULL, "CSV" },
		{ "at", 0, CLI_OPT_STRING, &o.at, "REV|DATE",
		  "as the repository stood at that commit or day (read from git)" },
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	struct crm_report report;
	struct fc_data data;
	struct cli_list terms = { NULL, 0, 0 };
	struct crm_buf store = CRM_BUF_INIT;
	crm_date today;
	int rc, err;

	memset(&o, 0, sizeof(o));
	o.months = -1;
	memset(&data, 0, sizeof(data));
	rc = cli_parse("forecast", usage, opts, argc, argv, &argc);
	if (rc) {
		cli_list_release(&o.tags);
		return rc == CLI_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	}
	if (o.months == -1)
		o.months = o.backtest ? 12 : 6;
	crm_report_init(&report, "forecast", "Forecast");
	err = parse_choices(&o);
	/* the report loader reads the commit's tree for --at, else the work tree */
	if (!err)
		err = cli_report_load(ctx, o.at, &report);
	if (!err)
		err = build_terms(&terms, &store, &o, argc, argv);
	if (!err)
		err = load_deals(&data, ctx, terms.items, terms.len);
	if (!err && o.at)
		data.commit = report.commit;
	if (err) {
		cli_error("forecast", "%s", crm_error_last());
		rc = EXIT_USAGE;
		goto done;
	}
	today = crm_index_today(ctx->idx);
	err = o.backtest ? run_backtest(&data, &o, today, ctx->color)
			 : run_forecast(&data, &o, today, ctx->color);
	if (err) {
		cli_error("forecast", "%s", crm_error_last());
		rc = EXIT_USAGE;
	}
done:
	crm_report_release(&report);
	fc_data_release(&data);
	free(terms.items);
	crm_buf_release(&store);
	cli_list_release(&o.tags);
	return rc;
}
