/* The one reading of an opportunity as a deal (include/crm/deal.h): stage,
 * outcome, close date, amount in the base currency and history, shared by
 * the dashboard, the named reports and the forecast. */
#include <string.h>

#include "crm/deal.h"
#include "crm/error.h"
#include "crm/money.h"
#include "crm/node.h"
#include "core/figures/stats_internal.h"

static bool step_date(crm_date *out, const struct crm_node *item)
{
	const char *t = item && item->kind == CRM_NODE_MAP ? crm_node_text(item, "date") : NULL;
	return t && !crm_date_parse(out, t, strlen(t));
}

static const struct crm_node *history_node(const struct crm_record *rec)
{
	const struct crm_node *h = rec->root ? crm_node_get(rec->root, "history") : NULL;
	return h && h->kind == CRM_NODE_SEQ ? h : NULL;
}

static void read_amount(struct crm_deal *d, struct crm_index *idx, struct crm_record *rec)
{
	struct crm_value v;
	struct crm_money m;

	if (crm_index_value(&v, idx, rec, "amount") || v.kind != CRM_V_MONEY)
		return;
	if (crm_index_convert(&m, idx, &v.u.money, crm_index_repo(idx)->config.currency)) {
		d->unconverted = true;
		return;
	}
	d->amount = m.amount;
	d->has_amount = true;
}

/* last_touch from created and history; the close date of a closed deal. */
static void read_dates(struct crm_deal *d, struct crm_index *idx, struct crm_record *rec)
{
	const struct crm_node *h = history_node(rec);
	crm_date day, latest = 0;
	bool has_latest = false;
	size_t i;

	d->created = crm_record_created(idx, rec);
	d->last_touch = d->created;
	for (i = 0; h && i < h->count; i++) {
		if (!step_date(&day, h->items[i]))
			continue;
		if (!has_latest || day > latest)
			latest = day;
		has_latest = true;
		if (day > d->last_touch)
			d->last_touch = day;
	}
	if (d->outcome == CRM_OUTCOME_OPEN)
		return;
	d->has_closed = stats_date(&d->closed, idx, rec, "closed");
	if (!d->has_closed && has_latest) {
		d->closed = latest;
		d->has_closed = true;
	}
}

void crm_deal_read(struct crm_deal *out, struct crm_index *idx, struct crm_record *rec)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;

	memset(out, 0, sizeof(*out));
	out->rec = rec;
	out->title = stats_text(idx, rec, "title");
	out->stage_name = stats_text(idx, rec, "stage");
	out->stage = out->stage_name ? crm_config_stage(cfg, out->stage_name) : NULL;
	out->outcome = out->stage ? out->stage->outcome : CRM_OUTCOME_OPEN;
	if (out->stage)
		out->stage_pos = (size_t)(out->stage - cfg->stages.ptr);
	out->owner = stats_text(idx, rec, "owner");
	out->source = stats_text(idx, rec, "source");
	out->client = stats_text(idx, rec, "client");
	out->lost_reason = stats_text(idx, rec, "lost_reason");
	out->tags = rec->root ? crm_node_get(rec->root, "tags") : NULL;
	read_dates(out, idx, rec);
	/* last: a failed conversion's reason stays in crm_error_last() */
	read_amount(out, idx, rec);
}

size_t crm_deal_history_size(const struct crm_record *rec)
{
	const struct crm_node *h = history_node(rec);
	return h ? h->count : 0;
}

/* Inserts `st` among the n steps sorted by date, after those of its day
 * (same-day moves keep their written order). */
static size_t insert_step(struct crm_deal_step *steps, size_t n, struct crm_deal_step st)
{
	size_t j;

	for (j = n; j > 0 && steps[j - 1].date > st.date; j--)
		steps[j] = steps[j - 1];
	steps[j] = st;
	return n + 1;
}

size_t crm_deal_history(struct crm_deal_step *steps, const struct crm_config *cfg,
			const struct crm_record *rec)
{
	const struct crm_node *h = history_node(rec);
	size_t i, n = 0;

	for (i = 0; h && i < h->count; i++) {
		const char *name = h->items[i]->kind == CRM_NODE_MAP
			? crm_node_text(h->items[i], "stage") : NULL;
		const struct crm_stage *s = name ? crm_config_stage(cfg, name) : NULL;
		struct crm_deal_step st;

		if (!s || !step_date(&st.date, h->items[i]))
			continue;
		st.stage = (size_t)(s - cfg->stages.ptr);
		n = insert_step(steps, n, st);
	}
	return n;
}

size_t crm_deal_kept_history(struct crm_deal_step *steps, const struct crm_deal *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->nentries; i++) {
		const struct crm_deal_entry *e = &d->entries[i];
		struct crm_deal_step st;

		if (e->stage < 0 || !e->has_date)
			continue;
		st.date = e->date;
		st.stage = (size_t)e->stage;
		n = insert_step(steps, n, st);
	}
	return n;
}

/* A text of the tree copied into `arena`: NULL stays NULL, and a failed
 * copy says so through *err. */
static const char *keep_text(struct crm_arena *arena, const char *s, int *err)
{
	const char *copy = s ? crm_arena_strdup(arena, s) : NULL;

	if (s && !copy)
		*err = CRM_ENOMEM;
	return copy;
}

static int keep_tags(struct crm_deal *d, struct crm_arena *arena)
{
	const char **list;
	size_t n = 0, i;
	int err = 0;

	while (crm_deal_tag(d, n))
		n++;
	list = crm_arena_alloc(arena, (n + 1) * sizeof(*list));
	if (!list)
		return CRM_ENOMEM;
	for (i = 0; i < n; i++)
		list[i] = keep_text(arena, crm_deal_tag(d, i), &err);
	d->tag_list = list;
	d->ntags = n;
	d->tags = NULL;
	return err;
}

static int keep_entries(struct crm_deal *d, const struct crm_config *cfg,
			struct crm_arena *arena)
{
	const struct crm_node *h = history_node(d->rec);
	struct crm_deal_entry *e;
	size_t i;

	d->nentries = h ? h->count : 0;
	e = crm_arena_alloc(arena, (d->nentries + 1) * sizeof(*e));
	if (!e)
		return CRM_ENOMEM;
	for (i = 0; i < d->nentries; i++) {
		const struct crm_node *it = h->items[i];
		const char *name = it->kind == CRM_NODE_MAP ? crm_node_text(it, "stage") : NULL;
		const struct crm_stage *s = name ? crm_config_stage(cfg, name) : NULL;

		e[i].is_map = it->kind == CRM_NODE_MAP;
		e[i].stage = s ? (int)(s - cfg->stages.ptr) : -1;
		e[i].has_date = step_date(&e[i].date, it);
	}
	d->entries = e;
	return 0;
}

int crm_deal_keep(struct crm_deal *d, const struct crm_config *cfg, struct crm_arena *arena)
{
	int err = keep_entries(d, cfg, arena);

	if (!err)
		err = keep_tags(d, arena);
	d->title = keep_text(arena, d->title, &err);
	d->stage_name = keep_text(arena, d->stage_name, &err);
	d->owner = keep_text(arena, d->owner, &err);
	d->source = keep_text(arena, d->source, &err);
	d->client = keep_text(arena, d->client, &err);
	d->lost_reason = keep_text(arena, d->lost_reason, &err);
	return err;
}

const char *crm_deal_tag(const struct crm_deal *d, size_t i)
{
	const struct crm_node *t = d->tags;

	if (d->tag_list)
		return i < d->ntags ? d->tag_list[i] : NULL;
	if (!t || crm_node_is_null(t))
		return NULL;
	if (t->kind == CRM_NODE_SCALAR)
		return i == 0 ? t->text : NULL;
	if (t->kind != CRM_NODE_SEQ || i >= t->count || t->items[i]->kind != CRM_NODE_SCALAR)
		return NULL;
	return t->items[i]->text;
}
