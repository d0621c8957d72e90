/* Follow-ups: the computed last_activity and next_step of every client,
 * contact and opportunity, and how many activities are about each (the lead
 * score's engagement), found in one pass over the activities (and one over
 * the deals and contacts that have any, for their clients), and the names
 * of fields inside a mapping ("next_step.date"). */
#include <string.h>

#include "crm/error.h"
#include "core/index/index_internal.h"
#include "core/index/record_memo.h"

static const struct crm_field last_activity_field = { .name = "last_activity",
						      .type = CRM_F_DATE };
static const struct crm_field next_step_field = { .name = "next_step", .type = CRM_F_TEXT };
static const struct crm_field next_step_date = { .name = "next_step.date", .type = CRM_F_DATE };
static const struct crm_field next_step_owner = { .name = "next_step.owner",
						  .type = CRM_F_USER };
static const struct crm_field next_step_action = { .name = "next_step.action",
						   .type = CRM_F_TEXT };
static const struct crm_field *const followup_fields[] = {
	&last_activity_field, &next_step_field, &next_step_date, &next_step_owner,
	&next_step_action,
};

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

bool crm_index_has_followups(const struct crm_schema *s)
{
	return s && (!strcmp(s->type, "client") || !strcmp(s->type, "contact") ||
		     !strcmp(s->type, "opportunity"));
}

/* "map.key": the entry field `key` of mapping field `map`. */
static const struct crm_field *map_entry_field(const struct crm_schema *s, const char *name)
{
	const char *dot = strchr(name, '.');
	const struct crm_field *map;
	char head[128];

	if (!dot || (size_t)(dot - name) >= sizeof(head))
		return NULL;
	memcpy(head, name, (size_t)(dot - name));
	head[dot - name] = '\0';
	map = crm_schema_field(s, head);
	if (!map || map->type != CRM_F_MAP || !map->nfields)
		return NULL;
	return crm_fields_find(map->fields, map->nfields, dot + 1);
}

const struct crm_field *crm_index_field(const struct crm_schema *s, const char *name,
					bool *computed_out)
{
	const struct crm_field *f = crm_schema_field(s, name);
	size_t i;

	if (computed_out)
		*computed_out = f && crm_field_is_computed(f);
	if (f)
		return f;
	f = map_entry_field(s, name);
	if (f)
		return f;
	/* a schema's own next_step (or last_activity) hides the computed one */
	if (!crm_index_has_followups(s) || crm_schema_field(s, "next_step") ||
	    crm_schema_field(s, "last_activity"))
		return NULL;
	for (i = 0; i < COUNT(followup_fields); i++) {
		if (!strcmp(followup_fields[i]->name, name)) {
			if (computed_out)
				*computed_out = true;
			return followup_fields[i];
		}
	}
	return NULL;
}

/* The activity's date as a day (a datetime on its day in the repository's
 * time zone); false when it has none that parses. */
static bool activity_day(crm_date *out, struct crm_index *idx, struct crm_record *act)
{
	struct crm_value v;

	if (crm_index_value(&v, idx, act, "date"))
		return false;
	if (v.kind == CRM_V_DATETIME)
		*out = crm_datetime_date(&v.u.datetime);
	else if (v.kind == CRM_V_DATE)
		*out = v.u.date;
	else
		return false;
	return true;
}

/* The activity's next step, when it has one: a mapping with an action or a
 * date.  *open says whether it is not marked done. */
static bool activity_step(bool *open, bool *dated, crm_date *date, struct crm_index *idx,
			  struct crm_record *act)
{
	const struct crm_node *step = crm_node_get(act->root, "next_step");
	const char *action, *done, *when;
	struct crm_value v;

	if (!step || step->kind != CRM_NODE_MAP)
		return false;
	action = crm_node_text(step, "action");
	when = crm_node_text(step, "date");
	if ((!action || !*action) && (!when || !*when))
		return false;
	done = crm_node_text(step, "done");
	*open = !done || !*done || !strcmp(done, "false") || !strcmp(done, "no");
	*dated = !crm_index_value(&v, idx, act, "next_step.date") && v.kind == CRM_V_DATE;
	*date = *dated ? v.u.date : 0;
	return true;
}

/* Counts one activity about `target`: its date, and its next step when it
 * is the latest one (a later next step supersedes an earlier one). */
static void count_activity(struct crm_index *idx, struct crm_record *act,
			   struct crm_record *target)
{
	struct crm_record_memo *m = crm_record_memo(idx, target);
	bool has_day, open = false, dated = false;
	crm_date day = 0, date = 0;

	if (!m)
		return;
	m->nactivities++;
	has_day = activity_day(&day, idx, act);
	if (has_day && (!m->has_activity || day > m->last_activity)) {
		m->last_activity = day;
		m->has_activity = true;
	}
	if (!activity_step(&open, &dated, &date, idx, act))
		return;
	if (m->step_from && (!has_day || day < m->step_at))
		return;
	m->step_from = act;
	m->step_at = has_day ? day : m->step_at;
	m->step_open = open;
	m->step_dated = dated;
	m->step_date = date;
}

/* Whether next step `a` (dated or not) comes before `b`: by date, an
 * undated one after every dated one. */
static bool step_sooner(bool a_dated, crm_date a, bool b_dated, crm_date b)
{
	if (a_dated != b_dated)
		return a_dated;
	return a_dated && a < b;
}

/* Adds a deal's or contact's follow-up to its client's. */
static void add_to_client(struct crm_index *idx, struct crm_record *rec)
{
	struct crm_record_memo *m = rec->memo, *cm;
	const char *client;
	struct crm_record *c;

	if (!m || !m->nactivities)
		return;
	crm_index_materialize(idx, rec);
	client = rec->root ? crm_node_text(rec->root, "client") : NULL;
	c = client && *client ? crm_index_resolve(idx, client, "client") : NULL;
	cm = c ? crm_record_memo(idx, c) : NULL;
	if (!cm)
		return;
	cm->nactivities += m->nactivities;
	if (m->has_activity && (!cm->has_activity || m->last_activity > cm->last_activity)) {
		cm->last_activity = m->last_activity;
		cm->has_activity = true;
	}
	if (!m->step_from || !m->step_open)
		return;
	if (cm->step_from && cm->step_open &&
	    !step_sooner(m->step_dated, m->step_date, cm->step_dated, cm->step_date))
		return;
	cm->step_from = m->step_from;
	cm->step_open = true;
	cm->step_dated = m->step_dated;
	cm->step_date = m->step_date;
}

/* Whether field `name` of `type` is stored (or absent), not computed. */
static bool stored_field(const struct crm_index *idx, const char *type, const char *name)
{
	const struct crm_schema *s = crm_repo_schema(idx->repo, type);
	const struct crm_field *f = s ? crm_schema_field(s, name) : NULL;

	return !f || !crm_field_is_computed(f);
}

/* The pass reads stored fields only (an activity's about, date and
 * next_step, a deal's or contact's client): then it computes no value a
 * record decoded before it could keep, and what it decodes can be let go
 * as it goes (crm_index_pass).  A schema that computes one of them keeps
 * the pass's trees, as before. */
static bool pass_reads_stored_fields(const struct crm_index *idx)
{
	return stored_field(idx, "activity", "about") && stored_field(idx, "activity", "date") &&
	       stored_field(idx, "activity", "next_step") &&
	       stored_field(idx, "opportunity", "client") && stored_field(idx, "contact", "client");
}

/* One activity of the pass: counted about the record it names. */
static void count_about(struct crm_index *idx, struct crm_record *act)
{
	const char *about = act->root ? crm_node_text(act->root, "about") : NULL;
	/* the counts are kept beside the target: its tree stays encoded */
	struct crm_record *target =
		about && *about ? crm_index_resolve_undecoded(idx, about, "any") : NULL;

	if (target)
		count_activity(idx, act, target);
}

bool crm_index_followups_known(const struct crm_index *idx)
{
	return idx->followups_known;
}

void crm_index_followups_feed(struct crm_index *idx, struct crm_record *activity)
{
	if (!idx->followups_known)
		count_about(idx, activity);
}

void crm_index_followups_fed(struct crm_index *idx)
{
	idx->followups_known = true;
	crm_error_clear();
}

/* The pass over the activities: every record's own count, last activity
 * and next step. */
static void count_activities(struct crm_index *idx)
{
	struct crm_record **acts;
	struct crm_index_pass pass;
	size_t n, i;

	idx->followups_known = true;
	memset(&pass, 0, sizeof(pass));
	if (pass_reads_stored_fields(idx))
		crm_index_pass_begin(idx, &pass);
	acts = crm_index_list(idx, "activity", &n);
	for (i = 0; acts && i < n; i++) {
		crm_index_materialize(idx, acts[i]);
		count_about(idx, acts[i]);
		crm_index_pass_trim(idx, &pass);
	}
	crm_index_pass_end(idx, &pass);
	crm_error_clear();
}

/* The deals' and contacts' own follow-ups, final after count_activities,
 * taken in by their clients: done when a client's is first asked for, so
 * that a deal's (the dashboard's stalled deals) does not decode every
 * deal and contact to find its client. */
static void roll_up_to_clients(struct crm_index *idx)
{
	static const char *const parts[] = { "opportunity", "contact" };
	struct crm_record **recs;
	struct crm_index_pass pass;
	size_t n, i, p;

	idx->clients_followed = true;
	memset(&pass, 0, sizeof(pass));
	if (pass_reads_stored_fields(idx))
		crm_index_pass_begin(idx, &pass);
	for (p = 0; p < COUNT(parts); p++) {
		recs = crm_index_list(idx, parts[p], &n);
		for (i = 0; recs && i < n; i++) {
			add_to_client(idx, recs[i]);
			crm_index_pass_trim(idx, &pass);
		}
	}
	crm_index_pass_end(idx, &pass);
	crm_error_clear();
}

static struct crm_record_memo *followup_memo(struct crm_index *idx, struct crm_record *rec)
{
	if (!idx->followups_known)
		count_activities(idx);
	if (!idx->clients_followed && rec->schema && !strcmp(rec->schema->type, "client"))
		roll_up_to_clients(idx);
	/* a record made outside the index (a new text) has none */
	return rec->memo;
}

bool crm_index_last_activity(crm_date *out, struct crm_index *idx, struct crm_record *rec)
{
	struct crm_record_memo *m = followup_memo(idx, rec);

	if (!m || !m->has_activity)
		return false;
	*out = m->last_activity;
	return true;
}

size_t crm_index_activity_count(struct crm_index *idx, struct crm_record *rec)
{
	struct crm_record_memo *m = followup_memo(idx, rec);

	return m ? m->nactivities : 0;
}

bool crm_index_next_step(struct crm_next_step *out, struct crm_index *idx,
			 struct crm_record *rec)
{
	struct crm_record_memo *m = followup_memo(idx, rec);
	const struct crm_node *step;

	memset(out, 0, sizeof(*out));
	if (!m || !m->step_from || !m->step_open)
		return false;
	out->activity = m->step_from;
	out->has_date = m->step_dated;
	out->date = m->step_date;
	crm_index_materialize(idx, out->activity);
	step = out->activity->root ? crm_node_get(out->activity->root, "next_step") : NULL;
	if (step && step->kind == CRM_NODE_MAP) {
		out->owner = crm_node_text(step, "owner");
		out->action = crm_node_text(step, "action");
	}
	if (out->owner && !*out->owner)
		out->owner = NULL;
	if (out->action && !*out->action)
		out->action = NULL;
	return true;
}

/* "2026-12-10 send the proposal (bob)": the open next step as one text. */
static const char *step_text(struct crm_index *idx, const struct crm_next_step *st)
{
	struct crm_buf b = CRM_BUF_INIT;
	char date[16];
	const char *out;

	if (st->has_date) {
		crm_date_format(date, sizeof(date), st->date);
		crm_buf_adds(&b, date);
	}
	if (st->action)
		crm_buf_addf(&b, "%s%s", b.len ? " " : "", st->action);
	if (st->owner)
		crm_buf_addf(&b, "%s(%s)", b.len ? " " : "", st->owner);
	out = crm_arena_strdup(&idx->trees, b.len ? b.ptr : "");
	crm_buf_release(&b);
	return out;
}

int crm_index_followup_value(struct crm_value *out, struct crm_index *idx,
			     struct crm_record *rec, const char *name)
{
	struct crm_next_step st;

	*out = CRM_VALUE_NULL;
	if (!strcmp(name, "last_activity")) {
		if (crm_index_last_activity(&out->u.date, idx, rec))
			out->kind = CRM_V_DATE;
		return 0;
	}
	if (!crm_index_next_step(&st, idx, rec))
		return 0;
	if (!strcmp(name, "next_step.date")) {
		out->kind = st.has_date ? CRM_V_DATE : CRM_V_NULL;
		out->u.date = st.date;
	} else if (!strcmp(name, "next_step.owner") || !strcmp(name, "next_step.action")) {
		out->u.text = name[10] == 'o' ? st.owner : st.action;
		out->kind = out->u.text ? CRM_V_TEXT : CRM_V_NULL;
	} else {
		out->u.text = step_text(idx, &st);
		if (!out->u.text)
			return crm_error_set(CRM_ENOMEM, "out of memory");
		out->kind = CRM_V_TEXT;
	}
	return 0;
}
