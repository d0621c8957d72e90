/* The agenda of crm agenda and crm remind: every record that asks for
 * attention on a day (open tasks, task reminders, next steps nobody has
 * followed yet, unpaid invoices, deals past their close date or aging in
 * their stage, leads waiting for a first response, follow-ups due by lead
 * class), dated in the repository's time zone and sorted by day. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm/config.h"
#include "crm/day.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "crm/json.h"
#include "crm/map.h"
#include "crm/stats.h"
#include "core/day/day_internal.h"

#define SECS_PER_DAY 86400
#define FIRST_RESPONSE_DEFAULT (24 * 3600)

struct build {
	struct crm_agenda *a;
	struct crm_index *idx;
	const struct crm_config *cfg;
	const struct crm_agenda_options *opts;
	crm_date end;                 /* the last day shown */
	struct crm_map last_contact;  /* client id -> struct contact */
	struct crm_map customers;     /* client ids past the pipeline's start */
};

/* The newest activity about a client, its contacts or its deals. */
struct contact {
	int64_t at;
};

const char *crm_agenda_kind_name(enum crm_agenda_kind k)
{
	static const char *const names[] = { "task", "reminder", "next-step", "invoice",
					     "close", "aging", "first-response", "follow-up" };
	return names[k];
}

/* ---- time in the repository's zone ---- */

crm_date day_date_of(const struct crm_config *cfg, int64_t at)
{
	int32_t off = 0;
	int64_t local;

	if (crm_tz_offset(&off, cfg->timezone, at))
		off = 0;
	local = at + (int64_t)off * 60;
	return (crm_date)(local >= 0 ? local / SECS_PER_DAY
				     : -((-local + SECS_PER_DAY - 1) / SECS_PER_DAY));
}

int64_t day_start_of(const struct crm_config *cfg, crm_date d)
{
	int64_t midnight = (int64_t)d * SECS_PER_DAY;
	int32_t off = 0;

	/* the offset a few hours in: a zone change happens at night */
	if (crm_tz_offset(&off, cfg->timezone, midnight + 6 * 3600))
		off = 0;
	return midnight - (int64_t)off * 60;
}

void crm_agenda_time(char *buf, size_t size, const struct crm_config *cfg, int64_t at)
{
	int64_t secs = at - day_start_of(cfg, day_date_of(cfg, at));

	if (secs < 0)
		secs = 0;
	snprintf(buf, size, "%02d:%02d", (int)(secs / 3600 % 24), (int)(secs / 60 % 60));
}

/* Whole days a duration covers, rounded up: "24h" and "1d" are one day. */
static int duration_days(int64_t secs)
{
	return (int)((secs + SECS_PER_DAY - 1) / SECS_PER_DAY);
}

/* ---- record fields ---- */

static const char *text_field(const struct crm_record *rec, const char *name)
{
	const char *t = rec->root ? crm_node_text(rec->root, name) : NULL;
	return t && *t ? t : NULL;
}

/* The value of a date or datetime field as an instant and a day. */
static bool when_field(int64_t *at, crm_date *day, bool *has_time, struct build *b,
		       struct crm_record *rec, const char *name)
{
	struct crm_value v;

	if (crm_index_value(&v, b->idx, rec, name))
		return false;
	if (v.kind == CRM_V_DATETIME) {
		*at = v.u.datetime.epoch;
		*day = day_date_of(b->cfg, *at);
		*has_time = true;
		return true;
	}
	if (v.kind == CRM_V_DATE) {
		*day = v.u.date;
		*at = day_start_of(b->cfg, *day);
		*has_time = false;
		return true;
	}
	return false;
}

/* Is the item for the user asked about, and on a day shown? */
static bool wanted(const struct build *b, const char *user, crm_date day)
{
	if (b->opts->user && (!user || strcmp(user, b->opts->user)))
		return false;
	return day <= b->end;
}

static int add_item(struct build *b, enum crm_agenda_kind kind, const struct crm_record *rec,
		    const char *user, crm_date day, bool has_time, int64_t at, const char *text)
{
	struct crm_agenda_item *it;

	if (!text)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (!wanted(b, user, day))
		return 0;
	it = CRM_ARRAY_PUSH(b->a->items);
	if (!it)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	it->kind = kind;
	it->ref = crm_arena_printf(&b->a->arena, "%s/%s", rec->schema->type, rec->id);
	it->user = user ? crm_arena_strdup(&b->a->arena, user) : NULL;
	it->date = day;
	it->has_time = has_time;
	it->at = has_time ? at : day_start_of(b->cfg, day);
	it->text = text;
	it->reminder = kind == CRM_AGENDA_REMINDER || kind == CRM_AGENDA_NEXT_STEP ||
		       kind == CRM_AGENDA_FIRST_RESPONSE || kind == CRM_AGENDA_FOLLOW_UP;
	return it->ref ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");
}

static const char *first_of(const char *a, const char *b)
{
	return a ? a : b;
}

/* ---- tasks ---- */

static int task_items(struct build *b, struct crm_record *rec)
{
	struct crm_value status;
	const char *title = first_of(text_field(rec, "title"), rec->id);
	const char *user = first_of(text_field(rec, "assignee"), text_field(rec, "owner"));
	const char *about = text_field(rec, "about");
	const char *remind = text_field(rec, "remind");
	char when[24], date[16];
	int64_t at, before;
	crm_date day;
	bool has_time;
	int err;

	if (!crm_index_value(&status, b->idx, rec, "status") && status.kind == CRM_V_TEXT &&
	    !strcmp(status.u.text, "done"))
		return 0;
	if (!when_field(&at, &day, &has_time, b, rec, "due"))
		return 0;
	err = add_item(b, CRM_AGENDA_TASK, rec, user, day, has_time, at,
		       about ? crm_arena_printf(&b->a->arena, "%s (about %s)", title, about)
			     : crm_arena_strdup(&b->a->arena, title));
	if (err || !remind || crm_duration_parse(&before, remind, strlen(remind)))
		return err;
	/* once the task itself is overdue it stands in the agenda, not its
	 * reminder; crm remind still fires a reminder it has not fired */
	if (at < b->a->now && !b->opts->every_reminder)
		return 0;
	crm_date_format(date, sizeof(date), day);
	if (has_time)
		crm_agenda_time(when, sizeof(when), b->cfg, at);
	return add_item(b, CRM_AGENDA_REMINDER, rec, user, day_date_of(b->cfg, at - before), true,
			at - before,
			crm_arena_printf(&b->a->arena, "%s, due %s%s%s", title, date,
					 has_time ? " " : "", has_time ? when : ""));
}

/* ---- leads and customers ---- */

/* The first open stage of crm.ini's pipeline: where a prospect stands
 * before anyone has qualified it.  NULL when no stage is open. */
static const char *first_open_stage(const struct crm_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->stages.len; i++)
		if (cfg->stages.ptr[i].outcome == CRM_OUTCOME_OPEN)
			return cfg->stages.ptr[i].name;
	return NULL;
}

/* Notes that `client` is no lead any more: it has an invoice, or a deal
 * past the first open stage (a later one, won, lost or void).  Found in
 * the agenda's one pass over invoices and deals, not per client. */
static int note_customer(struct build *b, const char *client)
{
	struct crm_record *c = client ? crm_index_resolve(b->idx, client, "client") : NULL;

	if (!c || crm_map_get(&b->customers, c->id))
		return 0;
	return crm_map_put(&b->customers, c->id, b, NULL);
}

/* ---- activities: next steps, and who was last contacted ---- */

/* The client an activity's `about` comes down to: the client itself, or
 * the client of a contact, deal or invoice. */
static const char *client_of(struct build *b, const char *about)
{
	struct crm_record *r = about ? crm_index_resolve(b->idx, about, NULL) : NULL;

	if (!r)
		return NULL;
	if (!strcmp(r->schema->type, "client"))
		return r->id;
	return text_field(r, "client");
}

static int note_contact(struct build *b, const char *client, int64_t at)
{
	struct contact *c = crm_map_get(&b->last_contact, client);

	if (c) {
		if (at > c->at)
			c->at = at;
		return 0;
	}
	c = crm_arena_alloc(&b->a->arena, sizeof(*c));
	if (!c)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	c->at = at;
	return crm_map_put(&b->last_contact, client, c, NULL);
}

/* The newest activity date about each `about` target (so that a next
 * step counts as followed once a later activity is about the same), and
 * when each client was last contacted. */
static int note_latest(struct crm_map *latest, struct build *b, struct crm_record *act)
{
	const char *about = text_field(act, "about"), *client;
	int64_t at, *prev;
	crm_date day;
	bool has_time;
	int err = 0;

	if (!about || !when_field(&at, &day, &has_time, b, act, "date"))
		return 0;
	prev = crm_map_get(latest, about);
	if (!prev) {
		prev = crm_arena_alloc(&b->a->arena, sizeof(*prev));
		/* the key outlives the activity's tree */
		about = crm_arena_strdup(&b->a->arena, about);
		if (!prev || !about)
			return crm_error_set(CRM_ENOMEM, "out of memory");
		*prev = at;
		err = crm_map_put(latest, about, prev, NULL);
	} else if (at > *prev) {
		*prev = at;
	}
	client = client_of(b, about);
	if (!err && client)
		err = note_contact(b, client, at);
	return err;
}

/* A next step on the agenda, taken off again if a later activity about
 * the same record turns up further in the pass. */
struct pending_step {
	size_t item;
	const char *about;
	int64_t at;
};
typedef CRM_ARRAY(struct pending_step) pending_steps;

static int next_step_item(struct build *b, struct crm_record *rec, pending_steps *pending)
{
	const struct crm_node *step = rec->root ? crm_node_get(rec->root, "next_step") : NULL;
	const char *date, *action, *owner, *about = text_field(rec, "about");
	struct pending_step *p;
	size_t before = b->a->items.len;
	int64_t at;
	crm_date day, d;
	bool has_time;
	int err;

	if (!step || step->kind != CRM_NODE_MAP)
		return 0;
	date = crm_node_text(step, "date");
	if (!date || crm_date_parse(&d, date, strlen(date)))
		return 0;
	if (!when_field(&at, &day, &has_time, b, rec, "date"))
		return 0;
	action = first_of(crm_node_text(step, "action"), "next step");
	owner = crm_node_text(step, "owner");
	owner = first_of(owner && *owner ? owner : NULL,
			 first_of(text_field(rec, "by"), text_field(rec, "owner")));
	err = add_item(b, CRM_AGENDA_NEXT_STEP, rec, owner, d, false, 0,
		       about ? crm_arena_printf(&b->a->arena, "%s (about %s)", action, about)
			     : crm_arena_strdup(&b->a->arena, action));
	if (err || !about || b->a->items.len == before)
		return err;
	p = CRM_ARRAY_PUSH(*pending);
	if (!p || !(p->about = crm_arena_strdup(&b->a->arena, about)))
		return crm_error_set(CRM_ENOMEM, "out of memory");
	p->item = before;
	p->at = at;
	return 0;
}

/* Takes off the next steps a later activity about the same record
 * followed. */
static int drop_followed(struct build *b, const pending_steps *pending,
			 const struct crm_map *latest)
{
	bool *drop = calloc(b->a->items.len + 1, sizeof(*drop));
	size_t i, kept = 0;

	if (!drop)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < pending->len; i++) {
		const struct pending_step *p = &pending->ptr[i];
		const int64_t *newest = crm_map_get(latest, p->about);
		drop[p->item] = newest && *newest > p->at;
	}
	for (i = 0; i < b->a->items.len; i++) {
		if (!drop[i])
			b->a->items.ptr[kept++] = b->a->items.ptr[i];
	}
	b->a->items.len = kept;
	free(drop);
	return 0;
}

/* One pass over the activities: who was last contacted, and the next
 * steps not followed by a later activity about the same record. */
static int activity_items(struct build *b)
{
	struct crm_map latest = CRM_MAP_INIT;
	pending_steps pending = CRM_ARRAY_INIT;
	struct crm_record **acts;
	size_t i, n = 0;
	int err = 0;

	acts = crm_index_list(b->idx, "activity", &n);
	for (i = 0; i < n && !err; i++) {
		crm_index_trim(b->idx);   /* what the record before held */
		crm_index_materialize(b->idx, acts[i]);
		err = note_latest(&latest, b, acts[i]);
		if (!err)
			err = next_step_item(b, acts[i], &pending);
	}
	if (!err)
		err = drop_followed(b, &pending, &latest);
	CRM_ARRAY_RELEASE(pending);
	crm_map_release(&latest);
	return err;
}

/* ---- invoices ---- */

static bool invoice_open(const struct crm_record *rec)
{
	const char *status = text_field(rec, "status");
	const char *type = text_field(rec, "type");

	if (!text_field(rec, "number") || (type && strcmp(type, "invoice")))
		return false;
	return !status || (strcmp(status, "draft") && strcmp(status, "paid") &&
			   strcmp(status, "rejected") && strcmp(status, "cancelled"));
}

static const char *client_owner(struct build *b, const char *client)
{
	struct crm_record *c = client ? crm_index_find(b->idx, "client", client) : NULL;
	return c ? text_field(c, "owner") : NULL;
}

static int invoice_item(struct build *b, struct crm_record *rec)
{
	struct crm_invoice_totals totals;
	const char *client = text_field(rec, "client");
	const char *number = text_field(rec, "number");
	char currency[4], amount[64];
	crm_date due;
	int err = note_customer(b, client);

	if (err || !number || !invoice_open(rec) || !crm_invoice_due(&due, b->idx, rec))
		return err;
	if (crm_invoice_of_record(&totals, currency, b->idx, rec) ||
	    crm_dec_cmp(totals.due_total, crm_dec_from_int(0)) <= 0)
		return 0;   /* paid in full, or crm check reports why not computable */
	if (crm_money_format_dec(amount, sizeof(amount), totals.due_total, currency))
		return 0;
	return add_item(b, CRM_AGENDA_INVOICE, rec,
			first_of(text_field(rec, "owner"), client_owner(b, client)), due, false, 0,
			crm_arena_printf(&b->a->arena, "invoice %s to %s: %s %s open",
					 number, client ? client : "?", amount,
					 currency));
}

/* ---- deals ---- */

/* How long a deal may stay in `stage`: the stage's own limit (crm.ini
 * [stage "S"] max_days, as crm alerts reads it), else the dashboard's
 * stalled_days.  A malformed max_days is crm check's to report. */
static int aging_limit(struct build *b, const char *stage)
{
	const struct crm_config *cfg = &crm_index_repo(b->idx)->config;
	const char *v = crm_config_get(cfg, "stage", stage, "max_days");
	char *end = NULL;
	long days = v ? strtol(v, &end, 10) : 0;

	if (v && end != v && !*end && days > 0 && days <= 36500)
		return (int)days;
	return crm_stats_stalled_days(b->idx, NULL);
}

/* The day the deal entered its stage: its last history entry, else its
 * creation. */
static crm_date stage_entered(struct build *b, struct crm_record *rec)
{
	const struct crm_node *h = rec->root ? crm_node_get(rec->root, "history") : NULL;
	const char *date;
	crm_date d;

	if (h && h->kind == CRM_NODE_SEQ && h->count) {
		const struct crm_node *last = h->items[h->count - 1];
		date = last->kind == CRM_NODE_MAP ? crm_node_text(last, "date") : NULL;
		if (date && !crm_date_parse(&d, date, strlen(date)))
			return d;
	}
	return crm_record_created(b->idx, rec);
}

static int deal_items(struct build *b, struct crm_record *rec)
{
	const char *stage = text_field(rec, "stage");
	const struct crm_stage *s = stage ? crm_config_stage(b->cfg, stage) : NULL;
	const char *title = first_of(text_field(rec, "title"), rec->id);
	const char *owner = text_field(rec, "owner");
	crm_date today = b->a->today, close, entered;
	char date[16];
	const char *first = first_open_stage(b->cfg);
	int limit, err = 0;
	bool has_time;
	int64_t at;

	if (stage && (!first || strcmp(stage, first)))
		err = note_customer(b, text_field(rec, "client"));
	if (err || !s || s->outcome != CRM_OUTCOME_OPEN)
		return err;
	if (when_field(&at, &close, &has_time, b, rec, "expected_close") && close < today) {
		crm_date_format(date, sizeof(date), close);
		err = add_item(b, CRM_AGENDA_CLOSE, rec, owner, close, false, 0,
			       crm_arena_printf(&b->a->arena, "%s: expected to close %s, still %s",
						title, date, stage));
	}
	entered = stage_entered(b, rec);
	limit = aging_limit(b, stage);
	if (err || today - entered <= limit)
		return err;
	crm_date_format(date, sizeof(date), entered);
	return add_item(b, CRM_AGENDA_AGING, rec, owner, entered + limit + 1, false, 0,
			crm_arena_printf(&b->a->arena, "%s: %d days in %s since %s (limit %d)",
					 title, today - entered, stage, date, limit));
}

/* ---- leads: the first response and follow-ups ---- */

int day_config_duration(int64_t *out, const struct crm_config *cfg, const char *sub,
			const char *key, int64_t fallback)
{
	const char *v = crm_config_get(cfg, "followup", sub, key);

	*out = fallback;
	if (!v)
		return 0;
	if (crm_duration_parse(out, v, strlen(v)) || *out <= 0)
		return crm_error_set(CRM_EINVALID, "crm.ini: [followup%s%s%s] %s = '%s' is not a "
				     "duration such as 24h or 3d", sub ? " \"" : "", sub ? sub : "",
				     sub ? "\"" : "", key, v);
	return 0;
}

static int follow_up_item(struct build *b, struct crm_record *rec, const char *name,
			  const char *owner, int64_t last)
{
	const char *field = first_of(crm_config_get(b->cfg, "followup", NULL, "field"),
				     "category");
	const char *cls = text_field(rec, field);
	char date[16];
	int64_t every;
	crm_date due;
	int err;

	if (!cls || !crm_config_get(b->cfg, "followup", cls, "every"))
		return 0;
	err = day_config_duration(&every, b->cfg, cls, "every", 0);
	if (err)
		return err;
	due = day_date_of(b->cfg, last) + duration_days(every);
	crm_date_format(date, sizeof(date), day_date_of(b->cfg, last));
	return add_item(b, CRM_AGENDA_FOLLOW_UP, rec, owner, due, false, 0,
			crm_arena_printf(&b->a->arena, "follow up %s (class %s, last contact %s)",
					 name, cls, date));
}

/* Whether a client nobody has talked to is a lead, at the start of the
 * pipeline: with a stage field of its own (a repository's client schema may
 * have one), when it stands in the first open stage; with the shipped
 * schema, which has none, unless a deal or an invoice made it a customer
 * (see note_customer). */
static bool is_lead(struct build *b, struct crm_record *rec)
{
	const struct crm_schema *s = rec->schema;
	const char *first = first_open_stage(b->cfg), *stage;
	size_t i;

	for (i = 0; i < s->nfields; i++) {
		if (s->fields[i].type != CRM_F_STAGE)
			continue;
		stage = text_field(rec, s->fields[i].name);
		return stage && first && !strcmp(stage, first);
	}
	return !crm_map_get(&b->customers, rec->id);
}

static int client_items(struct build *b, struct crm_record *rec, int64_t first_response)
{
	const struct contact *c = crm_map_get(&b->last_contact, rec->id);
	const char *name = first_of(text_field(rec, "name"), rec->id);
	const char *owner = text_field(rec, "owner");
	crm_date created;
	char date[16];

	if (c)
		return follow_up_item(b, rec, name, owner, c->at);
	if (!is_lead(b, rec))
		return 0;
	created = crm_record_created(b->idx, rec);
	crm_date_format(date, sizeof(date), created);
	return add_item(b, CRM_AGENDA_FIRST_RESPONSE, rec, owner,
			created + duration_days(first_response), false, 0,
			crm_arena_printf(&b->a->arena, "lead %s waiting for a first response "
					 "since %s", name, date));
}

/* ---- the whole agenda ---- */

/* Each pass decodes one record at a time and lets the index drop what the
 * record before held (crm_index_trim): what the agenda keeps (its items,
 * the maps' keys) is copied into its own arena.  `rec` decoded; false for
 * a file that could not be read. */
static bool take(struct build *b, struct crm_record *rec)
{
	crm_index_materialize(b->idx, rec);
	return rec_ok(rec);
}

static int each_record(struct build *b, const char *type,
		       int (*fn)(struct build *b, struct crm_record *rec))
{
	struct crm_record **recs;
	size_t i, n = 0;
	int err = 0;

	recs = crm_index_list(b->idx, type, &n);
	for (i = 0; i < n && !err; i++) {
		crm_index_trim(b->idx);
		err = take(b, recs[i]) ? fn(b, recs[i]) : 0;
	}
	return err;
}

static int clients(struct build *b)
{
	struct crm_record **recs;
	int64_t first_response;
	size_t i, n = 0;
	int err;

	err = day_config_duration(&first_response, b->cfg, NULL, "first_response",
				  FIRST_RESPONSE_DEFAULT);
	recs = crm_index_list(b->idx, "client", &n);
	for (i = 0; i < n && !err; i++) {
		crm_index_trim(b->idx);
		err = take(b, recs[i]) ? client_items(b, recs[i], first_response) : 0;
	}
	return err;
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct crm_agenda_item *a = pa, *b = pb;
	int c;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	/* within a day the timed items first, by time */
	if (a->has_time != b->has_time)
		return a->has_time ? -1 : 1;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	c = strcmp(a->ref, b->ref);
	return c ? c : strcmp(a->text, b->text);
}

int crm_agenda_build(struct crm_agenda *out, struct crm_index *idx,
		     const struct crm_agenda_options *opts)
{
	struct build b;
	int err;

	memset(out, 0, sizeof(*out));
	crm_arena_init(&out->arena);
	out->today = crm_index_today(idx);
	out->now = crm_now();
	memset(&b, 0, sizeof(b));
	b.a = out;
	b.idx = idx;
	b.cfg = &crm_index_repo(idx)->config;
	b.opts = opts;
	b.end = out->today + (opts->days > 0 ? opts->days : 1) - 1;
	err = each_record(&b, "task", task_items);
	if (!err)
		err = activity_items(&b);
	if (!err)
		err = each_record(&b, "invoice", invoice_item);
	if (!err)
		err = each_record(&b, "opportunity", deal_items);
	if (!err)
		err = clients(&b);
	crm_map_release(&b.last_contact);
	crm_map_release(&b.customers);
	if (!err && out->items.len)
		qsort(out->items.ptr, out->items.len, sizeof(*out->items.ptr), item_cmp);
	if (err)
		crm_agenda_release(out);
	return err;
}

void crm_agenda_release(struct crm_agenda *a)
{
	CRM_ARRAY_RELEASE(a->items);
	crm_arena_release(&a->arena);
}

const char *crm_agenda_group(const struct crm_agenda *a, const struct crm_agenda_item *it,
			     char *buf, size_t size)
{
	if (it->date < a->today)
		return "overdue";
	if (it->date == a->today)
		return "today";
	if (it->date == a->today + 1)
		return "tomorrow";
	crm_date_format(buf, size, it->date);
	return buf;
}

int crm_agenda_one_line(struct crm_buf *out, const char *text)
{
	for (; *text; text++)
		crm_buf_addch(out, (unsigned char)*text < 0x20 || *text == 0x7f ? ' ' : *text);
	return crm_buf_check(out);
}

void day_format_instant(char *buf, size_t size, int64_t at)
{
	time_t t = (time_t)at;
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int crm_agenda_item_json(struct crm_json *j, const struct crm_agenda *a,
			 const struct crm_agenda_item *it, const struct crm_config *cfg,
			 bool with_group)
{
	char date[16], time[8], at[32], group[16];

	crm_date_format(date, sizeof(date), it->date);
	crm_agenda_time(time, sizeof(time), cfg, it->at);
	day_format_instant(at, sizeof(at), it->at);
	crm_json_object(j, CRM_JSON_INLINE);
	crm_json_key(j, "kind");
	crm_json_string(j, crm_agenda_kind_name(it->kind));
	crm_json_key(j, "ref");
	crm_json_string(j, it->ref);
	crm_json_key(j, "user");
	crm_json_string(j, it->user);
	crm_json_key(j, "date");
	crm_json_string(j, date);
	crm_json_key(j, "time");
	crm_json_string(j, it->has_time ? time : NULL);
	crm_json_key(j, "at");
	crm_json_string(j, at);
	crm_json_key(j, "text");
	crm_json_string(j, it->text);
	if (with_group) {
		crm_json_key(j, "group");
		crm_json_string(j, crm_agenda_group(a, it, group, sizeof(group)));
		crm_json_key(j, "reminder");
		crm_json_bool(j, it->reminder);
	}
	return crm_json_end(j);
}
