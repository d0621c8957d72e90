/* The reports of `crm report`: the funnel (conversion between consecutive
 * stages from history), sales cycle (days to close, days in each stage),
 * win/loss by reason, source, tag and owner, deals won, activity per
 * owner, a period summary, receivables by aging bucket and revenue by
 * month.  Figures in exact decimals, amounts in the base currency.
 * Eight reports of about a hundred lines each, one section each, sharing
 * the deal and invoice collection helpers at the top: one file keeps them
 * next to what they serve. */
#include <stdlib.h>
#include <string.h>

#include "crm/config.h"
#include "crm/error.h"
#include "crm/money.h"
#include "crm/stats.h"
#include "core/figures/stats_internal.h"

const char *const crm_stats_report_names[] = {
	"funnel", "cycle", "winloss", "won", "activity", "summary", "receivables", "revenue",
	"stalled", NULL
};

static const crm_dec zero = { 0, 0 };

/* Deals closed (won or lost) within the period, by their closing date. */
static bool closed_in_period(const struct crm_stats_options *o, const struct crm_deal *d)
{
	return d->has_closed && (d->outcome == CRM_OUTCOME_WON || d->outcome == CRM_OUTCOME_LOST)
	       && stats_in_period(o, d->closed);
}

static struct crm_cell money(const struct crm_deals *deals, crm_dec v)
{
	return crm_cell_money(stats_round(deals, v), deals->currency);
}

/* Average of `sum` over `n` with one decimal; null when n is 0. */
static struct crm_cell average(int64_t sum, int64_t n)
{
	struct crm_cell c = { 0 };
	crm_dec q;
	if (n > 0 && !crm_dec_div(&q, crm_dec_from_int(sum), crm_dec_from_int(n), 1))
		c = crm_cell_number(q);
	return c;
}

static int compare_ints(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static struct crm_cell median(int64_t *v, size_t n)
{
	if (!n)
		return (struct crm_cell){ 0 };
	qsort(v, n, sizeof(*v), compare_ints);
	if (n % 2)
		return crm_cell_number(crm_dec_from_int(v[n / 2]));
	return average(v[n / 2 - 1] + v[n / 2], 2);
}

/* ---- funnel ---- */

/* Position of `stage` among the funnel's stages (open ones, then won), or -1. */
static int funnel_pos(const struct crm_config *cfg, const char *stage, const int *map)
{
	size_t k;
	for (k = 0; stage && k < cfg->stages.len; k++) {
		if (!strcmp(cfg->stages.ptr[k].name, stage))
			return map[k];
	}
	return -1;
}

static int report_funnel(struct crm_report *r, struct crm_index *idx,
			 const struct crm_stats_options *o, struct crm_deals *deals)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	int *map = calloc(cfg->stages.len + 1, sizeof(*map));
	int64_t *reached = calloc(cfg->stages.len + 1, sizeof(*reached));
	const char **names = calloc(cfg->stages.len + 1, sizeof(*names));
	struct crm_report_table *t = NULL;
	size_t i, k, n = 0;
	int err = 0;

	if (!map || !reached || !names) {
		err = CRM_ENOMEM;
		goto done;
	}
	(void)o;
	/* open stages in pipeline order, then the won ones: the path a deal takes */
	for (k = 0; k < cfg->stages.len; k++)
		map[k] = -1;
	for (int pass = 0; pass < 2; pass++) {
		for (k = 0; k < cfg->stages.len; k++) {
			enum crm_outcome oc = cfg->stages.ptr[k].outcome;
			if ((pass == 0 && oc == CRM_OUTCOME_OPEN) || (pass == 1 && oc == CRM_OUTCOME_WON)) {
				map[k] = (int)n;
				names[n++] = cfg->stages.ptr[k].name;
			}
		}
	}
	for (i = 0; i < deals->len; i++) {
		const struct crm_deal *d = &deals->ptr[i];
		int best = funnel_pos(cfg, d->stage_name, map), p;

		for (k = 0; k < d->nentries; k++) {
			int stage = d->entries[k].stage;
			p = stage >= 0 ? map[stage] : -1;
			best = p > best ? p : best;
		}
		/* reaching a stage means having passed every earlier one */
		for (p = 0; p <= best; p++)
			reached[p]++;
	}
	err = crm_report_table(&t, r, "funnel", "Funnel: deals that reached each stage",
			       "stage", "Stage", "reached", "Reached", "from_previous",
			       "From previous", "from_start", "From first", NULL);
	for (k = 0; k < n && !err; k++) {
		crm_report_add(t, crm_cell_text(r, names[k]));
		crm_report_add(t, crm_cell_int(reached[k]));
		crm_report_add(t, k ? crm_cell_ratio(reached[k], reached[k - 1])
				    : crm_cell_ratio(reached[0], reached[0]));
		err = crm_report_add(t, crm_cell_ratio(reached[k], reached[0]));
	}
	if (!err)
		err = crm_report_chart(r, t, CRM_CHART_BAR, "Deals that reached each stage", 0, 1);
	if (!err)
		t->charted = false;   /* the table has the ratios the chart lacks */
done:
	free(map);
	free(reached);
	free(names);
	return err;
}

/* ---- cycle ---- */

static int report_cycle(struct crm_report *r, struct crm_index *idx,
			const struct crm_stats_options *o, struct crm_deals *deals)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	int64_t *days = calloc(deals->len + 1, sizeof(*days));
	int64_t *stage_days = NULL;
	size_t nstage_days = 0, cap = 0, i, k, pass;
	crm_date today = crm_index_today(idx);
	struct crm_report_table *t;
	int err = 0;

	if (!days)
		return CRM_ENOMEM;
	err = crm_report_table(&t, r, "cycle", "Days from created to closed", "outcome",
			       "Outcome", "deals", "Deals", "avg_days", "Average days",
			       "median_days", "Median days", "min_days", "Shortest",
			       "max_days", "Longest", NULL);
	for (pass = 0; pass < 3 && !err; pass++) {
		static const char *const label[] = { "won", "lost", "all closed" };
		int64_t sum = 0, lo = 0, hi = 0;
		size_t n = 0;
		for (i = 0; i < deals->len; i++) {
			const struct crm_deal *d = &deals->ptr[i];
			if (!closed_in_period(o, d) ||
			    (pass == 0 && d->outcome != CRM_OUTCOME_WON) ||
			    (pass == 1 && d->outcome != CRM_OUTCOME_LOST))
				continue;
			days[n] = d->closed - d->created;
			sum += days[n];
			lo = !n || days[n] < lo ? days[n] : lo;
			hi = !n || days[n] > hi ? days[n] : hi;
			n++;
		}
		crm_report_add(t, crm_cell_text(r, label[pass]));
		crm_report_add(t, crm_cell_int((int64_t)n));
		crm_report_add(t, average(sum, (int64_t)n));
		crm_report_add(t, median(days, n));
		crm_report_add(t, n ? crm_cell_int(lo) : crm_cell_text(r, NULL));
		err = crm_report_add(t, n ? crm_cell_int(hi) : crm_cell_text(r, NULL));
	}
	if (!err)
		err = crm_report_table(&t, r, "stage_days", "Days spent in each stage (from history)",
				       "stage", "Stage", "deals", "Deals", "avg_days",
				       "Average days", "median_days", "Median days", NULL);
	for (k = 0; k < cfg->stages.len && !err; k++) {
		const char *name = cfg->stages.ptr[k].name;
		int64_t sum = 0;
		nstage_days = 0;
		if (cfg->stages.ptr[k].outcome != CRM_OUTCOME_OPEN)
			continue;   /* a closed stage is where deals stay */
		for (i = 0; i < deals->len && !err; i++) {
			const struct crm_deal *d = &deals->ptr[i];
			size_t e;
			for (e = 0; e < d->nentries; e++) {
				const struct crm_deal_entry *it = &d->entries[e];
				crm_date from = it->date, to;
				if (it->stage != (int)k || !it->has_date)
					continue;
				if (e + 1 < d->nentries && d->entries[e + 1].is_map) {
					if (!d->entries[e + 1].has_date)
						continue;
					to = d->entries[e + 1].date;
				} else if (d->outcome == CRM_OUTCOME_OPEN) {
					to = today;   /* still there */
				} else {
					continue;
				}
				if (crm_array_grow((void **)&stage_days, &cap, sizeof(*stage_days),
						   nstage_days + 1)) {
					err = CRM_ENOMEM;
					break;
				}
				stage_days[nstage_days++] = to - from;
				sum += to - from;
			}
		}
		if (err)
			break;
		crm_report_add(t, crm_cell_text(r, name));
		crm_report_add(t, crm_cell_int((int64_t)nstage_days));
		crm_report_add(t, average(sum, (int64_t)nstage_days));
		err = crm_report_add(t, median(stage_days, nstage_days));
	}
	free(days);
	free(stage_days);
	return err;
}

/* ---- win/loss ---- */

static int winloss_table(struct crm_report *r, const struct crm_deals *deals,
			 struct stats_groups *g, const char *name, const char *title,
			 const char *key_label)
{
	struct crm_report_table *t;
	size_t i;
	int err = crm_report_table(&t, r, name, title, crm_report_group_column(name), key_label,
				   "won_count", "Won",
				   "won_total", "Won value", "lost_count", "Lost", "lost_total",
				   "Lost value", "win_rate", "Win rate", NULL);

	stats_groups_sort(g, false);
	for (i = 0; i < g->len && !err; i++) {
		const struct stats_group *e = &g->ptr[i];
		crm_report_add(t, crm_cell_text(r, e->key));
		crm_report_add(t, crm_cell_int(e->won_count));
		crm_report_add(t, money(deals, e->won_total));
		crm_report_add(t, crm_cell_int(e->lost_count));
		crm_report_add(t, money(deals, e->lost_total));
		err = crm_report_add(t, crm_cell_ratio(e->won_count, e->won_count + e->lost_count));
	}
	return err;
}

static int report_winloss(struct crm_report *r, struct crm_index *idx,
			  const struct crm_stats_options *o, struct crm_deals *deals)
{
	struct stats_groups g[4];
	int64_t won = 0, lost = 0;
	crm_dec won_total = zero, lost_total = zero;
	size_t i, k;
	int err = 0;
	const char *tag;

	(void)idx;
	memset(g, 0, sizeof(g));
	for (i = 0; i < deals->len && !err; i++) {
		const struct crm_deal *d = &deals->ptr[i];
		crm_dec a = d->has_amount ? d->amount : zero;
		if (!closed_in_period(o, d))
			continue;
		if (d->outcome == CRM_OUTCOME_WON) {
			won++;
			err = crm_stats_add(&won_total, a);
		} else {
			lost++;
			err = crm_stats_add(&lost_total, a);
		}
		if (!err)
			err = stats_group_add(&g[0], d->outcome == CRM_OUTCOME_WON ? "(won)"
						     : d->lost_reason ? d->lost_reason : "(none)", d);
		if (!err)
			err = stats_group_add(&g[1], d->source ? d->source : "(none)", d);
		for (k = 0; !err && (tag = crm_deal_tag(d, k)); k++)
			err = stats_group_add(&g[2], tag, d);
		if (!err)
			err = stats_group_add(&g[3], d->owner ? d->owner : "(none)", d);
	}
	if (!err) {
		crm_report_card(r, "won_count", "Won deals", crm_cell_int(won));
		crm_report_card(r, "won_total", "Won value", money(deals, won_total));
		crm_report_card(r, "lost_count", "Lost deals", crm_cell_int(lost));
		crm_report_card(r, "lost_total", "Lost value", money(deals, lost_total));
		err = crm_report_card(r, "win_rate", "Win rate", crm_cell_ratio(won, won + lost));
	}
	if (!err)
		err = winloss_table(r, deals, &g[0], "by_reason", "By lost reason", "Reason");
	if (!err)
		err = winloss_table(r, deals, &g[1], "by_source", "By source", "Source");
	if (!err)
		err = winloss_table(r, deals, &g[2], "by_tag", "By tag", "Tag");
	if (!err)
		err = winloss_table(r, deals, &g[3], "by_owner", "By owner", "Owner");
	for (k = 0; k < 4; k++)
		free(g[k].ptr);
	return err;
}

/* ---- won ---- */

static int by_closed(const void *pa, const void *pb)
{
	const struct crm_deal *a = *(const struct crm_deal *const *)pa;
	const struct crm_deal *b = *(const struct crm_deal *const *)pb;
	if (a->closed != b->closed)
		return a->closed < b->closed ? -1 : 1;
	return strcmp(a->rec->id, b->rec->id);
}

static int report_won(struct crm_report *r, struct crm_index *idx,
		      const struct crm_stats_options *o, struct crm_deals *deals)
{
	const struct crm_deal **list = calloc(deals->len + 1, sizeof(*list));
	struct crm_report_table *t;
	struct crm_buf tags = CRM_BUF_INIT;
	crm_dec total = zero, avg;
	size_t i, k, n = 0;
	const char *tag;
	int err = 0, exp = crm_currency_exponent(deals->currency);

	(void)idx;
	if (!list)
		return CRM_ENOMEM;
	for (i = 0; i < deals->len && !err; i++) {
		const struct crm_deal *d = &deals->ptr[i];
		if (d->outcome != CRM_OUTCOME_WON || !closed_in_period(o, d))
			continue;
		list[n++] = d;
		if (d->has_amount)
			err = crm_stats_add(&total, d->amount);
	}
	if (n)
		qsort(list, n, sizeof(*list), by_closed);
	if (!err) {
		crm_report_card(r, "won_count", "Won deals", crm_cell_int((int64_t)n));
		crm_report_card(r, "won_total", "Won value", money(deals, total));
		err = crm_report_card(r, "avg_deal_size", "Average won deal",
				      n && !crm_dec_div(&avg, total, crm_dec_from_int((int64_t)n),
							exp < 0 ? 2 : exp)
				      ? crm_cell_money(avg, deals->currency) : crm_cell_text(r, NULL));
	}
	if (!err)
		err = crm_report_table(&t, r, "won", "Deals won", "id", "Deal", "title", "Title",
				       "client", "Client", "owner", "Owner", "closed", "Closed",
				       "amount", "Amount", "source", "Source", "tags", "Tags", NULL);
	if (!err)
		crm_report_list(t, NULL, 0);
	for (i = 0; i < n && !err; i++) {
		if (!crm_report_list_room(r, t))
			continue;
		crm_buf_reset(&tags);
		for (k = 0; (tag = crm_deal_tag(list[i], k)); k++)
			crm_buf_addf(&tags, "%s%s", k ? ", " : "", tag);
		crm_report_add(t, crm_cell_text(r, list[i]->rec->id));
		crm_report_add(t, crm_cell_text(r, list[i]->title));
		crm_report_add(t, crm_cell_text(r, list[i]->client));
		crm_report_add(t, crm_cell_text(r, list[i]->owner));
		crm_report_add(t, crm_cell_date(list[i]->closed));
		crm_report_add(t, list[i]->has_amount ? money(deals, list[i]->amount)
						      : crm_cell_text(r, NULL));
		crm_report_add(t, crm_cell_text(r, list[i]->source));
		err = crm_report_add(t, crm_cell_text(r, tags.len ? tags.ptr : NULL));
	}
	crm_buf_release(&tags);
	free(list);
	return err;
}

/* ---- activity ---- */

enum { A_ALL, A_CALL, A_MEETING, A_EMAIL, A_OTHER, A_FOLLOW, T_OPEN, T_OVERDUE, T_DONE, A_N };

struct person {
	const char *who;
	int64_t n[A_N];
};

struct people {
	struct person *ptr;
	size_t len, cap;
	struct crm_arena arena;       /* the names: records' trees are dropped */
};

static struct person *person(struct people *people, const char *who)
{
	struct person *p;
	size_t i;
	for (i = 0; i < people->len; i++) {
		if (!strcmp(people->ptr[i].who, who))
			return &people->ptr[i];
	}
	who = crm_arena_strdup(&people->arena, who);
	p = who ? CRM_ARRAY_PUSH(*people) : NULL;
	if (p)
		p->who = who;
	return p;
}

/* The person a record counts for: its `field` ("by", "assignee"), else
 * its owner, else "(none)".  NULL when memory ran out. */
static struct person *person_of(struct people *people, struct crm_index *idx,
				struct crm_record *rec, const char *field)
{
	const char *who = stats_text(idx, rec, field);
	if (!who)
		who = stats_text(idx, rec, "owner");
	return person(people, who ? who : "(none)");
}

static int by_who(const void *a, const void *b)
{
	return strcmp(((const struct person *)a)->who, ((const struct person *)b)->who);
}

static int report_activity(struct crm_report *r, struct crm_index *idx,
			   const struct crm_stats_options *o, struct crm_deals *deals)
{
	struct people people = { 0 };
	struct crm_record **recs;
	struct crm_report_table *t;
	crm_date today = crm_index_today(idx), day;
	size_t n, i, k;
	int err = 0;

	(void)deals;
	recs = crm_index_list(idx, "activity", &n);
	for (i = 0; i < n && !err; i++) {
		const char *kind;
		const struct crm_node *next;
		struct person *p;

		stats_open(idx, recs[i]);
		kind = stats_text(idx, recs[i], "kind");
		next = recs[i]->root ? crm_node_get(recs[i]->root, "next_step") : NULL;
		if (!recs[i]->root || !stats_date(&day, idx, recs[i], "date") ||
		    !stats_in_period(o, day))
			continue;
		p = person_of(&people, idx, recs[i], "by");
		if (!p) {
			err = CRM_ENOMEM;
			break;
		}
		p->n[A_ALL]++;
		p->n[!kind ? A_OTHER : !strcmp(kind, "call") ? A_CALL
		     : !strcmp(kind, "meeting") ? A_MEETING : !strcmp(kind, "email") ? A_EMAIL
		     : A_OTHER]++;
		if (next && next->kind == CRM_NODE_MAP && next->count)
			p->n[A_FOLLOW]++;
	}
	recs = crm_index_list(idx, "task", &n);
	for (i = 0; i < n && !err; i++) {
		const char *status;
		bool has_due, done;
		struct person *p;

		stats_open(idx, recs[i]);
		status = stats_text(idx, recs[i], "status");
		has_due = stats_date(&day, idx, recs[i], "due");
		done = status && !strcmp(status, "done");
		/* a task file that did not parse is not an open task */
		if (!recs[i]->root)
			continue;
		if ((o->has_since || o->has_until) && (!has_due || !stats_in_period(o, day)))
			continue;
		p = person_of(&people, idx, recs[i], "assignee");
		if (!p) {
			err = CRM_ENOMEM;
			break;
		}
		p->n[done ? T_DONE : T_OPEN]++;
		if (!done && has_due && day < today)
			p->n[T_OVERDUE]++;
	}
	if (people.len)
		qsort(people.ptr, people.len, sizeof(*people.ptr), by_who);
	if (!err)
		err = crm_report_table(&t, r, "activity", "Activities and follow-ups per person",
				       "owner", "Person", "activities", "Activities", "calls", "Calls",
				       "meetings", "Meetings", "emails", "Emails", "other", "Other",
				       "follow_ups", "Follow-ups", "tasks_open", "Open tasks",
				       "tasks_overdue", "Overdue", "tasks_done", "Done tasks", NULL);
	for (i = 0; i < people.len && !err; i++) {
		crm_report_add(t, crm_cell_text(r, people.ptr[i].who));
		for (k = 0; k < A_N && !err; k++)
			err = crm_report_add(t, crm_cell_int(people.ptr[i].n[k]));
	}
	CRM_ARRAY_RELEASE(people);
	crm_arena_release(&people.arena);
	return err;
}

/* ---- summary ---- */

static int summary_row(struct crm_report *r, struct crm_report_table *t, const char *section,
		       const char *item, int64_t count, const struct crm_cell *amount)
{
	crm_report_add(t, crm_cell_text(r, section));
	crm_report_add(t, crm_cell_text(r, item));
	crm_report_add(t, crm_cell_int(count));
	return crm_report_add(t, amount ? *amount : crm_cell_text(r, NULL));
}

struct paid_sum {
	crm_dec total;
	int64_t count;
};

static int sum_paid(crm_date date, crm_dec amount, void *payload)
{
	struct paid_sum *p = payload;
	(void)date;
	p->count++;
	return crm_stats_add(&p->total, amount);
}

static int report_summary(struct crm_report *r, struct crm_index *idx,
			  const struct crm_stats_options *o, struct crm_deals *deals)
{
	struct crm_report_table *t;
	struct stats_invoices inv = { 0 };
	struct paid_sum paid = { { 0, 0 }, 0 };
	struct crm_record **recs;
	struct crm_cell c;
	int64_t clients = 0, new_clients = 0, created = 0, won = 0, lost = 0, open = 0;
	int64_t tasks = 0, done = 0, overdue = 0, activities = 0;
	crm_dec created_total = zero, won_total = zero, lost_total = zero, open_total = zero;
	crm_dec invoiced = zero;
	crm_date today = crm_index_today(idx), day;
	size_t n, i;
	int err = 0;

	recs = crm_index_list(idx, "client", &n);
	for (i = 0; i < n; i++) {
		stats_open(idx, recs[i]);
		if (!recs[i]->root)
			continue;   /* not read: left out, and said so */
		clients++;
		new_clients += stats_in_period(o, crm_record_created(idx, recs[i]));
	}
	for (i = 0; i < deals->len && !err; i++) {
		const struct crm_deal *d = &deals->ptr[i];
		crm_dec a = d->has_amount ? d->amount : zero;
		if (stats_in_period(o, d->created)) {
			created++;
			err = crm_stats_add(&created_total, a);
		}
		if (!err && d->outcome == CRM_OUTCOME_OPEN) {
			open++;
			err = crm_stats_add(&open_total, a);
		}
		if (!err && closed_in_period(o, d) && d->outcome == CRM_OUTCOME_WON) {
			won++;
			err = crm_stats_add(&won_total, a);
		} else if (!err && closed_in_period(o, d)) {
			lost++;
			err = crm_stats_add(&lost_total, a);
		}
	}
	recs = crm_index_list(idx, "task", &n);
	for (i = 0; i < n; i++) {
		const char *status;
		bool has_due, is_done;

		stats_open(idx, recs[i]);
		status = stats_text(idx, recs[i], "status");
		has_due = stats_date(&day, idx, recs[i], "due");
		is_done = status && !strcmp(status, "done");
		if (!recs[i]->root)
			continue;
		if ((o->has_since || o->has_until) && (!has_due || !stats_in_period(o, day)))
			continue;
		tasks++;
		done += is_done;
		overdue += !is_done && has_due && day < today;
	}
	recs = crm_index_list(idx, "activity", &n);
	for (i = 0; i < n; i++) {
		stats_open(idx, recs[i]);
		activities += stats_date(&day, idx, recs[i], "date") && stats_in_period(o, day);
	}
	if (!err)
		err = stats_invoices_collect(&inv, idx, o, NULL);
	for (i = 0; !err && i < inv.len; i++)
		err = crm_stats_add(&invoiced, inv.ptr[i].total);
	if (!err)
		err = stats_payments(idx, o, sum_paid, &paid);
	if (!err)
		err = crm_report_table(&t, r, "summary", "Summary of the period", "section",
				       "Section", "item", "Item", "count", "Count", "amount",
				       "Amount", NULL);
	if (!err) {
		summary_row(r, t, "clients", "all", clients, NULL);
		summary_row(r, t, "clients", "new", new_clients, NULL);
		c = money(deals, created_total);
		summary_row(r, t, "opportunities", "new", created, &c);
		c = money(deals, won_total);
		summary_row(r, t, "opportunities", "won", won, &c);
		c = money(deals, lost_total);
		summary_row(r, t, "opportunities", "lost", lost, &c);
		c = money(deals, open_total);
		summary_row(r, t, "opportunities", "open now", open, &c);
		summary_row(r, t, "tasks", "due", tasks, NULL);
		summary_row(r, t, "tasks", "done", done, NULL);
		summary_row(r, t, "tasks", "overdue", overdue, NULL);
		summary_row(r, t, "activities", "logged", activities, NULL);
		c = money(deals, invoiced);
		summary_row(r, t, "invoices", "issued", (int64_t)inv.len, &c);
		c = money(deals, paid.total);
		err = summary_row(r, t, "invoices", "payments", paid.count, &c);
	}
	stats_invoices_release(&inv);
	return err;
}

/* ---- receivables ---- */

enum { B_CURRENT, B_30, B_60, B_90, B_OVER, B_TOTAL, B_N };

struct debtor {
	const char *client;
	crm_dec b[B_N];
	int64_t invoices;
};

static int by_client(const void *a, const void *b)
{
	return strcmp(((const struct debtor *)a)->client, ((const struct debtor *)b)->client);
}

static int report_receivables(struct crm_report *r, struct crm_index *idx,
			      const struct crm_stats_options *o, struct crm_deals *deals)
{
	struct crm_stats_options all = *o;
	CRM_ARRAY(struct debtor) debtors = CRM_ARRAY_INIT;
	struct stats_invoices inv;
	struct crm_report_table *t;
	crm_date today = crm_index_today(idx);
	crm_dec sums[B_N];
	int64_t count = 0;
	size_t i, k;
	int err;

	/* what is owed today, whenever it was invoiced */
	all.has_since = all.has_until = false;
	memset(sums, 0, sizeof(sums));
	err = stats_invoices_collect(&inv, idx, &all, NULL);
	for (i = 0; i < inv.len && !err; i++) {
		const struct stats_invoice *e = &inv.ptr[i];
		struct debtor *d = NULL;
		int64_t late = e->has_due ? today - e->due : 0;
		int b = late <= 0 ? B_CURRENT : late <= 30 ? B_30 : late <= 60 ? B_60
			: late <= 90 ? B_90 : B_OVER;
		if (crm_dec_is_zero(e->due_total) || (e->status && !strcmp(e->status, "paid")))
			continue;
		for (k = 0; k < debtors.len && !d; k++) {
			if (!strcmp(debtors.ptr[k].client, e->client ? e->client : "(none)"))
				d = &debtors.ptr[k];
		}
		if (!d) {
			d = CRM_ARRAY_PUSH(debtors);
			if (!d) {
				err = CRM_ENOMEM;
				break;
			}
			d->client = e->client ? e->client : "(none)";
		}
		d->invoices++;
		count++;
		err = crm_stats_add(&d->b[b], e->due_total);
		if (!err)
			err = crm_stats_add(&d->b[B_TOTAL], e->due_total);
		if (!err)
			err = crm_stats_add(&sums[b], e->due_total);
		if (!err)
			err = crm_stats_add(&sums[B_TOTAL], e->due_total);
	}
	if (debtors.len)
		qsort(debtors.ptr, debtors.len, sizeof(*debtors.ptr), by_client);
	if (!err) {
		crm_dec overdue = sums[B_30];
		crm_stats_add(&overdue, sums[B_60]);
		crm_stats_add(&overdue, sums[B_90]);
		crm_stats_add(&overdue, sums[B_OVER]);
		crm_report_card(r, "open_total", "Owed", money(deals, sums[B_TOTAL]));
		err = crm_report_card(r, "overdue_total", "Overdue", money(deals, overdue));
	}
	if (!err)
		err = crm_report_table(&t, r, "receivables", "Open amounts by client and days past due",
				       "client", "Client", "invoices", "Invoices", "current",
				       "Current", "days_1_30", "1-30", "days_31_60", "31-60",
				       "days_61_90", "61-90", "over_90", "Over 90", "total", "Total",
				       NULL);
	if (!err)   /* the "(all)" row stays in sight */
		crm_report_list(t, NULL, debtors.len ? 1 : 0);
	for (i = 0; i < debtors.len && !err; i++) {
		crm_report_add(t, crm_cell_text(r, debtors.ptr[i].client));
		crm_report_add(t, crm_cell_int(debtors.ptr[i].invoices));
		for (k = 0; k < B_N && !err; k++)
			err = crm_report_add(t, money(deals, debtors.ptr[i].b[k]));
	}
	if (!err && debtors.len) {
		crm_report_add(t, crm_cell_text(r, "(all)"));
		crm_report_add(t, crm_cell_int(count));
		for (k = 0; k < B_N && !err; k++)
			err = crm_report_add(t, money(deals, sums[k]));
	}
	CRM_ARRAY_RELEASE(debtors);
	stats_invoices_release(&inv);
	return err;
}

/* ---- revenue ---- */

struct rev_month {
	int month;
	int64_t count;
	crm_dec net, total, paid;
};

struct rev {
	CRM_ARRAY(struct rev_month) m;
};

static struct rev_month *rev_month(struct rev *v, int month)
{
	struct rev_month *e;
	size_t i;
	for (i = 0; i < v->m.len; i++) {
		if (v->m.ptr[i].month == month)
			return &v->m.ptr[i];
	}
	e = CRM_ARRAY_PUSH(v->m);
	if (e)
		e->month = month;
	return e;
}

static int rev_paid(crm_date date, crm_dec amount, void *payload)
{
	struct rev_month *e = rev_month(payload, stats_month(date));
	return e ? crm_stats_add(&e->paid, amount) : CRM_ENOMEM;
}

static int by_rev_month(const void *a, const void *b)
{
	return ((const struct rev_month *)a)->month - ((const struct rev_month *)b)->month;
}

static int report_revenue(struct crm_report *r, struct crm_index *idx,
			  const struct crm_stats_options *o, struct crm_deals *deals)
{
	struct rev v = { CRM_ARRAY_INIT };
	struct stats_invoices inv;
	struct crm_report_table *t;
	crm_dec net = zero, total = zero, paid = zero;
	char month[8];
	size_t i;
	int err = stats_invoices_collect(&inv, idx, o, NULL);

	for (i = 0; i < inv.len && !err; i++) {
		struct rev_month *e;
		if (!inv.ptr[i].has_date)
			continue;
		e = rev_month(&v, stats_month(inv.ptr[i].date));
		if (!e) {
			err = CRM_ENOMEM;
			break;
		}
		e->count++;
		err = crm_stats_add(&e->net, inv.ptr[i].net);
		if (!err)
			err = crm_stats_add(&e->total, inv.ptr[i].total);
	}
	if (!err)
		err = stats_payments(idx, o, rev_paid, &v);
	if (v.m.len)
		qsort(v.m.ptr, v.m.len, sizeof(*v.m.ptr), by_rev_month);
	if (!err)
		err = crm_report_table(&t, r, "revenue", "Invoiced and paid per month", "month",
				       "Month", "invoices", "Invoices", "invoiced_net",
				       "Invoiced (net)", "invoiced_total", "Invoiced (gross)",
				       "paid_total", "Paid", NULL);
	for (i = 0; i < v.m.len && !err; i++) {
		stats_month_text(month, v.m.ptr[i].month);
		crm_stats_add(&net, v.m.ptr[i].net);
		crm_stats_add(&total, v.m.ptr[i].total);
		crm_stats_add(&paid, v.m.ptr[i].paid);
		crm_report_add(t, crm_cell_text(r, month));
		crm_report_add(t, crm_cell_int(v.m.ptr[i].count));
		crm_report_add(t, money(deals, v.m.ptr[i].net));
		crm_report_add(t, money(deals, v.m.ptr[i].total));
		err = crm_report_add(t, money(deals, v.m.ptr[i].paid));
	}
	if (!err) {
		crm_report_card(r, "invoiced_net", "Invoiced (net)", money(deals, net));
		crm_report_card(r, "invoiced_total", "Invoiced (gross)", money(deals, total));
		err = crm_report_card(r, "paid_total", "Paid", money(deals, paid));
	}
	if (!err)
		err = crm_report_chart(r, t, CRM_CHART_BAR, "Invoiced per month (gross)", 0, 3);
	if (!err)
		err = crm_report_chart(r, t, CRM_CHART_BAR, "Paid per month", 0, 4);
	if (!err)
		t->charted = false;
	CRM_ARRAY_RELEASE(v.m);
	stats_invoices_release(&inv);
	return err;
}

/* ---- stalled ---- */

/* Every stalled deal, the longest idle first: the dashboard's list whole. */
static int report_stalled(struct crm_report *r, struct crm_index *idx,
			  const struct crm_stats_options *o, struct crm_deals *deals)
{
	return stats_stalled_table(r, idx, o, deals, NULL);
}

static const struct {
	const char *name, *title;
	bool reads_deals;  /* false: only the base currency of `deals` is used */
	bool by_created;   /* the period selects deals by creation date */
	int (*fn)(struct crm_report *, struct crm_index *, const struct crm_stats_options *,
		  struct crm_deals *);
} reports[] = {
	{ "funnel", "Funnel", true, true, report_funnel },
	{ "cycle", "Sales cycle", true, false, report_cycle },
	{ "winloss", "Won and lost", true, false, report_winloss },
	{ "won", "Deals won", true, false, report_won },
	{ "activity", "Activity", false, false, report_activity },
	{ "summary", "Summary", true, false, report_summary },
	{ "receivables", "Receivables", false, false, report_receivables },
	{ "revenue", "Revenue", false, false, report_revenue },
	{ "stalled", "Stalled deals", true, true, report_stalled },
};

int crm_stats_report(struct crm_report *r, struct crm_index *idx, const char *name,
		     const struct crm_stats_options *opts)
{
	struct crm_deals deals;
	size_t i;
	int err;

	for (i = 0; i < sizeof(reports) / sizeof(*reports); i++) {
		if (!strcmp(reports[i].name, name))
			break;
	}
	if (i == sizeof(reports) / sizeof(*reports))
		return crm_error_set(CRM_ENOTFOUND, "unknown report '%s'", name);
	r->name = reports[i].name;
	r->title = reports[i].title;
	/* the invoices' and activities' reports do not pass over the deals */
	if (reports[i].reads_deals) {
		err = crm_deals_collect(&deals, idx, opts, reports[i].by_created);
	} else {
		memset(&deals, 0, sizeof(deals));
		crm_arena_init(&deals.arena);
		deals.currency = crm_index_repo(idx)->config.currency;
		err = 0;
	}
	r->currency = deals.currency;
	if (!err)
		err = reports[i].fn(r, idx, opts, &deals);
	crm_deals_release(&deals);
	if (err == CRM_ENOMEM)
		return crm_error_set(err, "out of memory");
	if (err == CRM_EOVERFLOW)
		return crm_error_set(err, "a sum is too large for exact arithmetic");
	return err;
}
