/* The dashboard's figures: opportunities reduced to deals (stage, outcome,
 * amount in the base currency, dates), invoices to their totals, and the
 * sums, counts and ratios of `crm dashboard`, all in exact decimals. */
#include <stdlib.h>
#include <string.h>

#include "crm/config.h"
#include "crm/error.h"
#include "crm/invoice.h"
#include "crm/money.h"
#include "crm/stats.h"
#include "crm/str.h"
#include "core/figures/stats_internal.h"

int crm_stats_add(crm_dec *acc, crm_dec v)
{
	return crm_dec_add(acc, *acc, v);
}

const char *stats_text(struct crm_index *idx, struct crm_record *rec, const char *name)
{
	struct crm_value v;
	if (crm_index_value(&v, idx, rec, name) || v.kind != CRM_V_TEXT || !v.u.text[0])
		return NULL;
	return v.u.text;
}

bool stats_date(crm_date *out, struct crm_index *idx, struct crm_record *rec,
		       const char *name)
{
	struct crm_value v;
	if (crm_index_value(&v, idx, rec, name))
		return false;
	if (v.kind == CRM_V_DATE)
		*out = v.u.date;
	else if (v.kind == CRM_V_DATETIME)
		*out = crm_datetime_date(&v.u.datetime);
	else
		return false;
	return true;
}

void stats_open(struct crm_index *idx, struct crm_record *rec)
{
	crm_index_trim(idx);
	crm_index_materialize(idx, rec);
}

/* The index's follow-ups (followup.c), which hold each deal's latest
 * activity, its last touch: one pass over the activities, decoded ahead
 * on the other core, unless an earlier figure made it.  (A map of touches
 * by deal id of its own, the same dates, was a tenth of a dashboard's
 * figures at a million records.) */
static void know_follow_ups(struct crm_index *idx)
{
	struct crm_index_ahead *ahead;
	struct crm_record **acts;
	size_t n, i;

	if (crm_index_followups_known(idx))
		return;
	acts = crm_index_list(idx, "activity", &n);
	ahead = crm_index_decode_ahead(idx, "activity");
	for (i = 0; i < n; i++) {
		stats_open(idx, acts[i]);
		crm_index_followups_feed(idx, acts[i]);
	}
	crm_index_followups_fed(idx);
	crm_index_decode_ahead_end(idx, ahead);
}

int crm_deals_collect(struct crm_deals *out, struct crm_index *idx,
		      const struct crm_stats_options *opts, bool period_by_created)
{
	const struct crm_filter *filter = opts->filter;
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	struct crm_index_ahead *ahead;
	struct crm_record **recs;
	size_t n, i;
	int err = 0;

	memset(out, 0, sizeof(*out));
	crm_arena_init(&out->arena);
	know_follow_ups(idx);
	out->currency = cfg->currency;
	recs = crm_index_list(idx, "opportunity", &n);
	/* room for every deal at once: not copied as it grows (the pages a
	 * filter leaves unused are never touched) */
	if (n && crm_array_grow((void **)&out->ptr, &out->cap, sizeof(*out->ptr), n))
		return CRM_ENOMEM;
	ahead = crm_index_decode_ahead(idx, "opportunity");
	for (i = 0; i < n && !err; i++) {
		struct crm_deal *d;
		crm_date touched;

		stats_open(idx, recs[i]);
		/* a file that did not parse has no stage: it is in no figure, not
		 * an open deal (the report says how many were left out) */
		if (!recs[i]->root || (filter && !crm_filter_match(filter, idx, recs[i])))
			continue;
		if (crm_array_grow((void **)&out->ptr, &out->cap, sizeof(*out->ptr), out->len + 1)) {
			err = CRM_ENOMEM;
			break;
		}
		d = &out->ptr[out->len++];
		crm_deal_read(d, idx, recs[i]);
		if (crm_deal_keep(d, cfg, &out->arena)) {
			err = CRM_ENOMEM;
			break;
		}
		out->unconverted += d->unconverted;
		if (crm_index_last_activity(&touched, idx, recs[i]) && touched > d->last_touch)
			d->last_touch = touched;
		if (period_by_created && !stats_in_period(opts, d->created)) {
			out->len--;
			out->unconverted -= d->unconverted;
		}
	}
	crm_index_decode_ahead_end(idx, ahead);
	return err;
}

void crm_deals_release(struct crm_deals *d)
{
	free(d->ptr);
	crm_arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

int crm_stats_stalled_days(struct crm_index *idx, const struct crm_stats_options *opts)
{
	const char *v;
	char *end;
	long n;

	if (opts && opts->stalled_days > 0)
		return opts->stalled_days;
	v = crm_config_get(&crm_index_repo(idx)->config, "dashboard", NULL, "stalled_days");
	if (v) {
		n = strtol(v, &end, 10);
		if (end != v && !*end && n > 0 && n < 100000)
			return (int)n;
	}
	return 30;
}

/* ---- months, periods, groups ---- */

int stats_month(crm_date d)
{
	int y, m, day;
	crm_date_to_ymd(d, &y, &m, &day);
	return y * 12 + m - 1;
}

void stats_month_text(char buf[8], int month)
{
	unsigned y = (unsigned)(month / 12) % 10000u, m = (unsigned)(month % 12) % 12u + 1u;
	snprintf(buf, 8, "%04u-%02u", y, m);
}

bool stats_in_period(const struct crm_stats_options *opts, crm_date d)
{
	return (!opts->has_since || d >= opts->since) && (!opts->has_until || d <= opts->until);
}

crm_dec stats_round(const struct crm_deals *deals, crm_dec v)
{
	int exp = crm_currency_exponent(deals->currency);
	crm_dec r = v;
	crm_dec_round(&r, v, exp < 0 ? 2 : exp);
	return r;
}

int stats_group_add(struct stats_groups *g, const char *key, const struct crm_deal *d)
{
	struct stats_group *e = NULL;
	crm_dec amount = d->has_amount ? d->amount : crm_dec_from_int(0);
	size_t i;
	int err;

	for (i = 0; i < g->len && !e; i++) {
		if (!strcmp(g->ptr[i].key, key))
			e = &g->ptr[i];
	}
	if (!e) {
		if (crm_array_grow((void **)&g->ptr, &g->cap, sizeof(*g->ptr), g->len + 1))
			return CRM_ENOMEM;
		e = &g->ptr[g->len++];
		memset(e, 0, sizeof(*e));
		e->key = key;
	}
	e->count++;
	err = crm_stats_add(&e->total, amount);
	if (d->outcome == CRM_OUTCOME_OPEN) {
		e->open_count++;
		err = err ? err : crm_stats_add(&e->open_total, amount);
	} else if (d->outcome == CRM_OUTCOME_WON) {
		e->won_count++;
		err = err ? err : crm_stats_add(&e->won_total, amount);
	} else if (d->outcome == CRM_OUTCOME_LOST) {
		e->lost_count++;
		err = err ? err : crm_stats_add(&e->lost_total, amount);
	}
	return err;
}

static int by_won(const void *pa, const void *pb)
{
	const struct stats_group *a = pa, *b = pb;
	int c = crm_dec_cmp(b->won_total, a->won_total);
	return c ? c : strcmp(a->key, b->key);
}

static int by_key(const void *pa, const void *pb)
{
	const struct stats_group *a = pa, *b = pb;
	return strcmp(a->key, b->key);
}

void stats_groups_sort(struct stats_groups *g, bool key_only)
{
	if (g->len)
		qsort(g->ptr, g->len, sizeof(*g->ptr), key_only ? by_key : by_won);
}

/* ---- invoices ---- */

static int to_base(crm_dec *out, struct crm_index *idx, crm_dec amount, const char *currency)
{
	struct crm_money m = { amount, "" }, conv;
	int err;

	crm_str_copy(m.currency, sizeof(m.currency), currency);
	err = crm_index_convert(&conv, idx, &m, crm_index_repo(idx)->config.currency);
	if (!err)
		*out = conv.amount;
	return err;
}

/* The status model (README "Invoices"): a draft has no number; a numbered
 * invoice counts in every figure whatever its status says, unless the
 * buyer rejected it or it was cancelled. */
static bool counted(struct crm_index *idx, struct crm_record *rec)
{
	const char *number = stats_text(idx, rec, "number");
	const char *status = stats_text(idx, rec, "status");

	return number && *number && !(status && (!strcmp(status, "rejected") ||
						  !strcmp(status, "cancelled")));
}

/* The payments of one invoice, decoded, issued and of opts->client (the
 * caller has looked), to `paid`. */
static int record_payments(struct crm_index *idx, struct crm_record *rec,
			   const struct crm_stats_options *opts, const struct stats_paid *paid,
			   const char *type)
{
	const char *base = crm_index_repo(idx)->config.currency;
	const struct crm_node *p = rec->root ? crm_node_get(rec->root, "payments") : NULL;
	const char *cur = rec->root ? crm_node_text(rec->root, "currency") : NULL;
	size_t k;
	int err = 0;

	if (!p || p->kind != CRM_NODE_SEQ)
		return 0;
	for (k = 0; k < p->count && !err; k++) {
		const char *ds = p->items[k]->kind == CRM_NODE_MAP
				 ? crm_node_text(p->items[k], "date") : NULL;
		const char *as = p->items[k]->kind == CRM_NODE_MAP
				 ? crm_node_text(p->items[k], "amount") : NULL;
		struct crm_money m;
		crm_dec amount;
		crm_date d;

		if (!ds || !as || crm_date_parse(&d, ds, strlen(ds)) ||
		    !stats_in_period(opts, d) ||
		    crm_money_parse(&m, as, cur ? cur : base) ||
		    to_base(&amount, idx, m.amount, m.currency))
			continue;
		if (type && !strcmp(type, "credit-note"))
			amount = crm_dec_neg(amount);
		err = paid->cb(d, amount, paid->payload);
	}
	return err;
}

static int collect_invoices(struct stats_invoices *out, struct crm_index *idx,
			    const struct crm_stats_options *opts, const struct stats_paid *paid)
{
	struct crm_record **recs;
	size_t n, i;

	memset(out, 0, sizeof(*out));
	crm_arena_init(&out->arena);
	recs = crm_index_list(idx, "invoice", &n);
	for (i = 0; i < n; i++) {
		struct crm_invoice_totals t;
		struct stats_invoice *e;
		const char *status, *type, *client;
		char cur[4];
		crm_date date = 0;
		bool has_date;

		stats_open(idx, recs[i]);
		status = stats_text(idx, recs[i], "status");
		type = stats_text(idx, recs[i], "type");
		client = stats_text(idx, recs[i], "client");
		has_date = stats_date(&date, idx, recs[i], "date");
		if (!counted(idx, recs[i]))
			continue;
		if (opts->client && (!client || strcmp(client, opts->client)))
			continue;
		/* payments by their own dates, whatever the invoice's */
		if (paid) {
			int err = record_payments(idx, recs[i], opts, paid, type);
			if (err)
				return err;
		}
		if ((opts->has_since || opts->has_until) && (!has_date || !stats_in_period(opts, date)))
			continue;
		if (crm_array_grow((void **)&out->ptr, &out->cap, sizeof(*out->ptr), out->len + 1))
			return CRM_ENOMEM;
		e = &out->ptr[out->len];
		memset(e, 0, sizeof(*e));
		e->rec = recs[i];
		e->status = status ? crm_arena_strdup(&out->arena, status) : NULL;
		e->client = client ? crm_arena_strdup(&out->arena, client) : NULL;
		if ((status && !e->status) || (client && !e->client))
			return CRM_ENOMEM;
		e->has_date = has_date;
		e->date = date;
		/* the due date of crm check: `due`, else `date` plus the series' due_days */
		e->has_due = crm_invoice_due(&e->due, idx, recs[i]);
		e->credit = type && !strcmp(type, "credit-note");
		if (crm_invoice_of_record(&t, cur, idx, recs[i]) ||
		    to_base(&e->net, idx, t.tax_exclusive_total, cur) ||
		    to_base(&e->total, idx, t.tax_inclusive_total, cur) ||
		    to_base(&e->due_total, idx, t.due_total, cur)) {
			out->unreadable++;
			continue;
		}
		if (e->credit) {
			e->net = crm_dec_neg(e->net);
			e->total = crm_dec_neg(e->total);
			e->due_total = crm_dec_neg(e->due_total);
		}
		out->len++;
	}
	return 0;
}

/* collect_invoices with the invoices decoded ahead on the other core */
int stats_invoices_collect(struct stats_invoices *out, struct crm_index *idx,
			   const struct crm_stats_options *opts, const struct stats_paid *paid)
{
	struct crm_index_ahead *ahead = crm_index_decode_ahead(idx, "invoice");
	int err = collect_invoices(out, idx, opts, paid);

	crm_index_decode_ahead_end(idx, ahead);
	return err;
}

void stats_invoices_release(struct stats_invoices *inv)
{
	free(inv->ptr);
	crm_arena_release(&inv->arena);
	memset(inv, 0, sizeof(*inv));
}

int stats_payments(struct crm_index *idx, const struct crm_stats_options *opts,
		   int (*cb)(crm_date date, crm_dec amount, void *payload), void *payload)
{
	const struct stats_paid paid = { cb, payload };
	struct crm_record **recs;
	size_t n, i;
	int err = 0;

	recs = crm_index_list(idx, "invoice", &n);
	for (i = 0; i < n && !err; i++) {
		const char *client;

		stats_open(idx, recs[i]);
		client = stats_text(idx, recs[i], "client");
		if (!counted(idx, recs[i]) || (opts->client && (!client || strcmp(client, opts->client))))
			continue;
		err = record_payments(idx, recs[i], opts, &paid, stats_text(idx, recs[i], "type"));
	}
	return err;
}

/* ---- the dashboard ---- */

struct month_row {
	int month;
	int64_t new_count, won_count, lost_count;
	crm_dec created_total, won_total, invoiced_total, paid_total;
};

struct months {
	struct month_row *ptr;
	size_t len, cap;
};

static struct month_row *month_row(struct months *m, int month)
{
	size_t i;
	for (i = 0; i < m->len; i++) {
		if (m->ptr[i].month == month)
			return &m->ptr[i];
	}
	if (crm_array_grow((void **)&m->ptr, &m->cap, sizeof(*m->ptr), m->len + 1))
		return NULL;
	memset(&m->ptr[m->len], 0, sizeof(*m->ptr));
	m->ptr[m->len].month = month;
	return &m->ptr[m->len++];
}

static int by_month(const void *a, const void *b)
{
	return ((const struct month_row *)a)->month - ((const struct month_row *)b)->month;
}

/* Fills the gaps between the first and the last month, so charts show the
 * quiet months too (unless the span is absurd: then only months with data). */
static int fill_months(struct months *m)
{
	int first, last, k;

	if (!m->len)
		return 0;
	qsort(m->ptr, m->len, sizeof(*m->ptr), by_month);
	first = m->ptr[0].month;
	last = m->ptr[m->len - 1].month;
	if (last - first > 600)
		return 0;
	for (k = first; k <= last; k++) {
		if (!month_row(m, k))
			return CRM_ENOMEM;
	}
	qsort(m->ptr, m->len, sizeof(*m->ptr), by_month);
	return 0;
}

static int paid_in_month(crm_date date, crm_dec amount, void *payload)
{
	struct month_row *row = month_row(payload, stats_month(date));
	return row ? crm_stats_add(&row->paid_total, amount) : CRM_ENOMEM;
}

static int group_table(struct crm_report *r, const struct crm_deals *deals,
		       struct stats_groups *g, const char *name, const char *title,
		       const char *key_label, struct crm_report_table **out)
{
	struct crm_report_table *t;
	size_t i;
	/* the first column is named after what groups: "by_owner" -> owner */
	int err = crm_report_table(&t, r, name, title, crm_report_group_column(name), key_label,
				   "won_count", "Won", "won_total", "Won value",
				   "lost_count", "Lost", "win_rate", "Win rate",
				   "open_count", "Open", "pipeline_total", "Pipeline", NULL);

	for (i = 0; i < g->len && !err; i++) {
		const struct stats_group *e = &g->ptr[i];
		crm_report_add(t, crm_cell_text(r, e->key));
		crm_report_add(t, crm_cell_int(e->won_count));
		crm_report_add(t, crm_cell_money(stats_round(deals, e->won_total), deals->currency));
		crm_report_add(t, crm_cell_int(e->lost_count));
		crm_report_add(t, crm_cell_ratio(e->won_count, e->won_count + e->lost_count));
		crm_report_add(t, crm_cell_int(e->open_count));
		err = crm_report_add(t, crm_cell_money(stats_round(deals, e->open_total),
						       deals->currency));
	}
	*out = t;
	return err;
}

struct dash {
	struct crm_report *r;
	struct crm_index *idx;
	const struct crm_stats_options *opts;
	struct crm_deals deals;
	struct months months;
	struct stats_invoices invoices;
	struct stats_groups by_tag, by_source, by_owner;
	int64_t open_count, won_count, lost_count, stalled_count;
	int stalled_days;             /* looked up once, not for every deal */
	crm_dec pipeline, weighted, won, lost, invoiced, paid;
};

static int dash_deal(struct dash *s, const struct crm_deal *d)
{
	crm_dec amount = d->has_amount ? d->amount : crm_dec_from_int(0), w;
	struct month_row *row = month_row(&s->months, stats_month(d->created));
	const char *tag;
	size_t i;
	int err;

	if (!row)
		return CRM_ENOMEM;
	if (d->outcome == CRM_OUTCOME_OPEN &&
	    crm_index_today(s->idx) - d->last_touch > s->stalled_days)
		s->stalled_count++;
	row->new_count++;
	err = crm_stats_add(&row->created_total, amount);
	if (!err && d->outcome == CRM_OUTCOME_OPEN) {
		s->open_count++;
		err = crm_stats_add(&s->pipeline, amount);
		/* amount x probability / 100, summed exactly, rounded once */
		if (!err && d->stage && d->has_amount)
			err = crm_dec_mul(&w, amount, (crm_dec){ d->stage->probability, 2 });
		if (!err && d->stage && d->has_amount)
			err = crm_stats_add(&s->weighted, w);
	} else if (!err && d->outcome == CRM_OUTCOME_WON) {
		s->won_count++;
		err = crm_stats_add(&s->won, amount);
	} else if (!err && d->outcome == CRM_OUTCOME_LOST) {
		s->lost_count++;
		err = crm_stats_add(&s->lost, amount);
	}
	if (!err && d->has_closed && d->outcome != CRM_OUTCOME_VOID &&
	    d->outcome != CRM_OUTCOME_OPEN) {
		row = month_row(&s->months, stats_month(d->closed));
		if (!row)
			return CRM_ENOMEM;
		if (d->outcome == CRM_OUTCOME_WON) {
			row->won_count++;
			err = crm_stats_add(&row->won_total, amount);
		} else {
			row->lost_count++;
		}
	}
	for (i = 0; !err && (tag = crm_deal_tag(d, i)); i++)
		err = stats_group_add(&s->by_tag, tag, d);
	if (!err)
		err = stats_group_add(&s->by_source, d->source ? d->source : "(none)", d);
	if (!err)
		err = stats_group_add(&s->by_owner, d->owner ? d->owner : "(none)", d);
	return err;
}

static int dash_cards(struct dash *s)
{
	struct crm_report *r = s->r;
	const char *cur = s->deals.currency;
	struct crm_cell avg = { 0 };
	crm_dec q;
	int exp = crm_currency_exponent(cur);

	if (s->won_count &&
	    !crm_dec_div(&q, s->won, crm_dec_from_int(s->won_count), exp < 0 ? 2 : exp))
		avg = crm_cell_money(q, cur);
	crm_report_card(r, "open_count", "Open deals", crm_cell_int(s->open_count));
	crm_report_card(r, "pipeline_total", "Pipeline",
			crm_cell_money(stats_round(&s->deals, s->pipeline), cur));
	crm_report_card(r, "pipeline_weighted", "Weighted pipeline",
			crm_cell_money(stats_round(&s->deals, s->weighted), cur));
	crm_report_card(r, "won_count", "Won deals", crm_cell_int(s->won_count));
	crm_report_card(r, "won_total", "Won value",
			crm_cell_money(stats_round(&s->deals, s->won), cur));
	crm_report_card(r, "lost_count", "Lost deals", crm_cell_int(s->lost_count));
	crm_report_card(r, "lost_total", "Lost value",
			crm_cell_money(stats_round(&s->deals, s->lost), cur));
	crm_report_card(r, "win_rate", "Win rate",
			crm_cell_ratio(s->won_count, s->won_count + s->lost_count));
	crm_report_card(r, "avg_deal_size", "Average won deal", avg);
	crm_report_card(r, "stalled_count", "Stalled deals", crm_cell_int(s->stalled_count));
	crm_report_card(r, "invoiced_total", "Invoiced",
			crm_cell_money(stats_round(&s->deals, s->invoiced), cur));
	return crm_report_card(r, "paid_total", "Paid",
			       crm_cell_money(stats_round(&s->deals, s->paid), cur));
}

static int dash_months(struct dash *s, struct crm_report_table **out)
{
	struct crm_report *r = s->r;
	const char *cur = s->deals.currency;
	struct crm_report_table *t;
	char month[8];
	size_t i;
	int err = crm_report_table(&t, r, "by_month", "Per month",
				   "month", "Month", "new_count", "New deals",
				   "created_total", "Pipeline generated", "won_count", "Won",
				   "won_total", "Sales won", "lost_count", "Lost",
				   "invoiced_total", "Invoiced", "paid_total", "Paid", NULL);

	for (i = 0; i < s->months.len && !err; i++) {
		const struct month_row *m = &s->months.ptr[i];
		stats_month_text(month, m->month);
		crm_report_add(t, crm_cell_text(r, month));
		crm_report_add(t, crm_cell_int(m->new_count));
		crm_report_add(t, crm_cell_money(stats_round(&s->deals, m->created_total), cur));
		crm_report_add(t, crm_cell_int(m->won_count));
		crm_report_add(t, crm_cell_money(stats_round(&s->deals, m->won_total), cur));
		crm_report_add(t, crm_cell_int(m->lost_count));
		crm_report_add(t, crm_cell_money(stats_round(&s->deals, m->invoiced_total), cur));
		err = crm_report_add(t, crm_cell_money(stats_round(&s->deals, m->paid_total), cur));
	}
	*out = t;
	return err;
}

static int dash_stages(struct dash *s, struct crm_report_table **out)
{
	const struct crm_config *cfg = &crm_index_repo(s->idx)->config;
	struct crm_report *r = s->r;
	struct crm_report_table *t;
	size_t i, k;
	int err = crm_report_table(&t, r, "by_stage", "Deals by stage", "stage", "Stage",
				   "outcome", "Outcome", "count", "Deals", "total", "Value", NULL);

	for (k = 0; k < cfg->stages.len && !err; k++) {
		int64_t count = 0;
		crm_dec total = crm_dec_from_int(0);
		for (i = 0; i < s->deals.len && !err; i++) {
			const struct crm_deal *d = &s->deals.ptr[i];
			if (d->stage != &cfg->stages.ptr[k])
				continue;
			count++;
			if (d->has_amount)
				err = crm_stats_add(&total, d->amount);
		}
		crm_report_add(t, crm_cell_text(r, cfg->stages.ptr[k].name));
		crm_report_add(t, crm_cell_text(r, crm_outcome_name(cfg->stages.ptr[k].outcome)));
		crm_report_add(t, crm_cell_int(count));
		if (!err)
			err = crm_report_add(t, crm_cell_money(stats_round(&s->deals, total),
							       s->deals.currency));
	}
	*out = t;
	return err;
}

static int by_idle(const void *pa, const void *pb)
{
	const struct crm_deal *a = *(const struct crm_deal *const *)pa;
	const struct crm_deal *b = *(const struct crm_deal *const *)pb;
	if (a->last_touch != b->last_touch)
		return a->last_touch < b->last_touch ? -1 : 1;
	return strcmp(a->rec->id, b->rec->id);
}

/* The deal's computed next_step ("2025-06-10 Send the quote (bob)"): what
 * is planned for a deal that went quiet, empty when nothing is. */
static struct crm_cell next_step_cell(struct crm_report *r, struct crm_index *idx,
				      struct crm_record *rec)
{
	struct crm_value v;

	if (crm_index_value(&v, idx, rec, "next_step") || v.kind != CRM_V_TEXT || !*v.u.text)
		return crm_cell_text(r, NULL);
	return crm_cell_text(r, v.u.text);
}

int stats_stalled_table(struct crm_report *r, struct crm_index *idx,
			const struct crm_stats_options *opts, const struct crm_deals *deals,
			const char *more)
{
	struct crm_report_table *t;
	const struct crm_deal **list = calloc(deals->len + 1, sizeof(*list));
	crm_date today = crm_index_today(idx);
	int days = crm_stats_stalled_days(idx, opts);
	size_t i, n = 0;
	int err;

	if (!list)
		return CRM_ENOMEM;
	for (i = 0; i < deals->len; i++) {
		const struct crm_deal *d = &deals->ptr[i];
		if (d->outcome == CRM_OUTCOME_OPEN && today - d->last_touch > days)
			list[n++] = d;
	}
	/* the longest idle first: what a terminal shows of a long list */
	if (n)
		qsort(list, n, sizeof(*list), by_idle);
	err = crm_report_table(&t, r, "stalled",
			       crm_arena_printf(&r->arena, "Stalled deals (no history or activity "
						"for more than %d days)", days),
			       "id", "Deal", "title", "Title", "owner", "Owner", "stage", "Stage",
			       "amount", "Amount", "last_touch", "Last touch", "idle_days",
			       "Idle days", "next_step", "Next step", NULL);
	if (!err)
		crm_report_list(t, more, 0);
	for (i = 0; i < n && !err; i++) {
		if (!crm_report_list_room(r, t))
			continue;
		crm_report_add(t, crm_cell_text(r, list[i]->rec->id));
		crm_report_add(t, crm_cell_text(r, list[i]->title));
		crm_report_add(t, crm_cell_text(r, list[i]->owner));
		crm_report_add(t, crm_cell_text(r, list[i]->stage_name));
		crm_report_add(t, list[i]->has_amount
				  ? crm_cell_money(list[i]->amount, deals->currency)
				  : crm_cell_text(r, NULL));
		crm_report_add(t, crm_cell_date(list[i]->last_touch));
		crm_report_add(t, crm_cell_int(today - list[i]->last_touch));
		err = crm_report_add(t, next_step_cell(r, idx, list[i]->rec));
	}
	free(list);
	return err;
}

int crm_stats_dashboard(struct crm_report *r, struct crm_index *idx,
			const struct crm_stats_options *opts, struct crm_deals *deals_out)
{
	struct dash s;
	struct crm_report_table *months = NULL, *stages = NULL, *tags = NULL, *sources = NULL,
				*owners = NULL;
	size_t i;
	int err;

	memset(&s, 0, sizeof(s));
	s.r = r;
	s.idx = idx;
	s.opts = opts;
	s.stalled_days = crm_stats_stalled_days(idx, opts);
	/* the stalled deals show their next steps */
	err = crm_deals_collect(&s.deals, idx, opts, true);
	r->currency = s.deals.currency;
	for (i = 0; i < s.deals.len && !err; i++)
		err = dash_deal(&s, &s.deals.ptr[i]);
	if (!err) {
		/* the paid totals by month in the same pass */
		const struct stats_paid paid = { paid_in_month, &s.months };
		err = stats_invoices_collect(&s.invoices, idx, opts, &paid);
	}
	for (i = 0; i < s.invoices.len && !err; i++) {
		const struct stats_invoice *inv = &s.invoices.ptr[i];
		struct month_row *row;
		err = crm_stats_add(&s.invoiced, inv->total);
		if (err || !inv->has_date)
			continue;
		row = month_row(&s.months, stats_month(inv->date));
		err = row ? crm_stats_add(&row->invoiced_total, inv->total) : CRM_ENOMEM;
	}
	for (i = 0; i < s.months.len && !err; i++)
		err = crm_stats_add(&s.paid, s.months.ptr[i].paid_total);
	if (!err)
		err = fill_months(&s.months);
	if (!err)
		err = dash_cards(&s);
	if (!err)
		err = dash_months(&s, &months);
	if (!err)
		err = dash_stages(&s, &stages);
	stats_groups_sort(&s.by_tag, false);
	stats_groups_sort(&s.by_source, false);
	stats_groups_sort(&s.by_owner, true);
	if (!err)
		err = group_table(r, &s.deals, &s.by_tag, "by_tag", "Sales by tag", "Tag", &tags);
	if (!err)
		err = group_table(r, &s.deals, &s.by_source, "by_source", "Sales by source",
				  "Source", &sources);
	if (!err)
		err = group_table(r, &s.deals, &s.by_owner, "by_owner", "By owner", "Owner",
				  &owners);
	if (!err)
		err = stats_stalled_table(r, idx, opts, &s.deals, "crm report stalled");
	if (!err)
		err = crm_report_chart(r, stages, CRM_CHART_PIE, "Deals by stage", 0, 2);
	if (!err)
		err = crm_report_chart(r, months, CRM_CHART_BAR, "Pipeline generated per month",
				       0, 2);
	if (!err)
		err = crm_report_chart(r, months, CRM_CHART_BAR, "Sales won per month", 0, 4);
	if (!err)
		err = crm_report_chart(r, tags, CRM_CHART_PIE, "Sales by tag", 0, 2);
	if (!err)
		err = crm_report_chart(r, sources, CRM_CHART_BAR, "Sales by source", 0, 2);
	if (!err && s.invoices.len)
		err = crm_report_chart(r, months, CRM_CHART_BAR, "Invoiced per month", 0, 6);
	if (err == CRM_ENOMEM)
		err = crm_error_set(err, "out of memory");
	else if (err == CRM_EOVERFLOW)
		err = crm_error_set(err, "a sum is too large for exact arithmetic");
	if (deals_out && !err)
		*deals_out = s.deals;
	else
		crm_deals_release(&s.deals);
	free(s.months.ptr);
	stats_invoices_release(&s.invoices);
	free(s.by_tag.ptr);
	free(s.by_source.ptr);
	free(s.by_owner.ptr);
	return err;
}
