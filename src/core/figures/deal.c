/* The one reading of an opportunity as a deal (include/crm/deal.h): stage,
 * outcome, close date, amount in the base currency and history, shared by
 * the dashboard, the named reports and the forecast. */
#include <string.h>

#include "crm/deal.h"
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

size_t crm_deal_history(struct crm_deal_step *steps, const struct crm_config *cfg,
			const struct crm_record *rec)
{
	const struct crm_node *h = history_node(rec);
	size_t i, n = 0, j;

	for (i = 0; h && i < h->count; i++) {
		const char *name = h->items[i]->kind == CRM_NODE_MAP
			? crm_node_text(h->items[i], "stage") : NULL;
		const struct crm_stage *s = name ? crm_config_stage(cfg, name) : NULL;
		struct crm_deal_step st;

		if (!s || !step_date(&st.date, h->items[i]))
			continue;
		st.stage = (size_t)(s - cfg->stages.ptr);
		/* insertion keeps same-day moves in their written order */
		for (j = n; j > 0 && steps[j - 1].date > st.date; j--)
			steps[j] = steps[j - 1];
		steps[j] = st;
		n++;
	}
	return n;
}

const char *crm_deal_tag(const struct crm_deal *d, size_t i)
{
	const struct crm_node *t = d->tags;
	if (!t || crm_node_is_null(t))
		return NULL;
	if (t->kind == CRM_NODE_SCALAR)
		return i == 0 ? t->text : NULL;
	if (t->kind != CRM_NODE_SEQ || i >= t->count || t->items[i]->kind != CRM_NODE_SCALAR)
		return NULL;
	return t->items[i]->text;
}
