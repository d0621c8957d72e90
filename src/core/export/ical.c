/* Tasks and activities as iCalendar (RFC 5545) through libical, the only
 * file that includes it: a task is a VTODO with its DUE and a VALARM from
 * `remind`; a meeting, and the next step an activity names, is a VEVENT.
 * Times are written in UTC: a record's datetime is an exact instant (its
 * own offset, else the repository's `[crm] timezone` at that date), and
 * UTC needs no VTIMEZONE that could disagree with the reader's tz data;
 * X-WR-TIMEZONE tells calendar apps the zone to show them in.  UIDs come
 * from the record's type and id and the repository (its [org] name, else
 * its folder's name), so a calendar that subscribes again updates its
 * entries instead of adding copies. */
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "crm/day.h"
#include "crm/error.h"
#include "crm/utf8.h"
#include "crm/dlib.h"
#include "core/export/export_internal.h"

/* libical is loaded the first time a calendar is written or read
 * (crm/dlib.h), not by every command. */
#define ICAL_FUNCTIONS(X) \
	X(icalcomponent_add_component) \
	X(icalcomponent_add_property) \
	X(icalcomponent_as_ical_string_r) \
	X(icalcomponent_count_errors) \
	X(icalcomponent_free) \
	X(icalcomponent_get_dtstart) \
	X(icalcomponent_get_due) \
	X(icalcomponent_get_first_component) \
	X(icalcomponent_get_first_property) \
	X(icalcomponent_get_next_component) \
	X(icalcomponent_get_summary) \
	X(icalcomponent_get_uid) \
	X(icalcomponent_isa) \
	X(icalcomponent_kind_to_string) \
	X(icalcomponent_new) \
	X(icaldurationtype_as_ical_string) \
	X(icaldurationtype_from_int) \
	X(icalparameter_new_related) \
	X(icalparser_parse_string) \
	X(icalproperty_add_parameter) \
	X(icalproperty_get_trigger) \
	X(icalproperty_new_action) \
	X(icalproperty_new_calscale) \
	X(icalproperty_new_categories) \
	X(icalproperty_new_description) \
	X(icalproperty_new_dtend) \
	X(icalproperty_new_dtstamp) \
	X(icalproperty_new_dtstart) \
	X(icalproperty_new_due) \
	X(icalproperty_new_duration) \
	X(icalproperty_new_prodid) \
	X(icalproperty_new_status) \
	X(icalproperty_new_summary) \
	X(icalproperty_new_trigger) \
	X(icalproperty_new_uid) \
	X(icalproperty_new_version) \
	X(icalproperty_new_x) \
	X(icalproperty_set_x_name) \
	X(icalrestriction_check) \
	X(icaltime_as_ical_string) \
	X(icaltime_from_timet_with_zone) \
	X(icaltime_is_null_time) \
	X(icaltime_null_date) \
	X(icaltime_null_time) \
	X(icaltimezone_get_utc_timezone)

static struct {
#define ICAL_POINTER(fn) __typeof__(fn) *fn;
	ICAL_FUNCTIONS(ICAL_POINTER)
#undef ICAL_POINTER
} ical;

static void resolve_ical(struct crm_dlib *d, void *handle)
{
#define ICAL_RESOLVE(fn) *(void **)&ical.fn = crm_dlib_sym(d, handle, #fn);
	ICAL_FUNCTIONS(ICAL_RESOLVE)
#undef ICAL_RESOLVE
}

_Static_assert(ICAL_MAJOR_VERSION == 3, "libical's soname is its major version");
static struct crm_dlib ical_dlib = CRM_DLIB_INIT("libical.so.3", "libical3", resolve_ical);

/* An activity held this long when nothing says otherwise: records carry a
 * start, not an end */
#define MEETING_SECONDS 3600

struct ical_state {
	icalcomponent *cal;
	const char *repo_key;
	struct icaltimetype stamp;
	struct crm_buf text;
};

static struct icaltimetype utc_time(int64_t epoch)
{
	return ical.icaltime_from_timet_with_zone((time_t)epoch, 0, ical.icaltimezone_get_utc_timezone());
}

static struct icaltimetype day_value(crm_date d)
{
	struct icaltimetype t = ical.icaltime_null_date();
	int y, m, day;

	crm_date_to_ymd(d, &y, &m, &day);
	t.year = y;
	t.month = m;
	t.day = day;
	return t;
}

/* "task/lodz-website-2412-t1@studio-nowak-chen-gmbh" */
static void set_uid(icalcomponent *c, const struct ical_state *st, const char *type,
		    const char *id, const char *suffix)
{
	struct crm_buf uid = CRM_BUF_INIT;

	crm_buf_addf(&uid, "%s/%s%s@%s", type, id, suffix, st->repo_key);
	ical.icalcomponent_add_property(c, ical.icalproperty_new_uid(uid.ptr));
	crm_buf_release(&uid);
}

static bool field_value(struct crm_value *v, struct crm_index *idx, struct crm_record *rec,
			const char *name)
{
	return !crm_index_value(v, idx, rec, name) && v->kind != CRM_V_NULL &&
	       v->kind != CRM_V_ERROR;
}

static const char *text_of(struct ical_state *st, struct crm_index *idx,
			   struct crm_record *rec, const char *name)
{
	const struct crm_field *f = crm_schema_field(rec->schema, name);

	crm_buf_reset(&st->text);
	if (f)
		crm_export_cell_text(&st->text, idx, rec, f);
	return st->text.len ? st->text.ptr : NULL;
}

/* The notes, then what the record is about */
static void add_description(icalcomponent *c, struct ical_state *st, struct crm_index *idx,
			    struct crm_record *rec)
{
	struct crm_buf d = CRM_BUF_INIT;
	const char *notes = text_of(st, idx, rec, "notes");

	if (notes)
		crm_buf_adds(&d, notes);
	if (text_of(st, idx, rec, "about"))
		crm_buf_addf(&d, "%sAbout: %s", d.len ? "\n" : "", st->text.ptr);
	if (d.len)
		ical.icalcomponent_add_property(c, ical.icalproperty_new_description(d.ptr));
	crm_buf_release(&d);
}

static void add_alarm(icalcomponent *vtodo, int64_t before, const char *title)
{
	icalcomponent *alarm = ical.icalcomponent_new(ICAL_VALARM_COMPONENT);
	struct icaltriggertype trigger;
	icalproperty *p;

	memset(&trigger, 0, sizeof(trigger));
	trigger.time = ical.icaltime_null_time();
	trigger.duration = ical.icaldurationtype_from_int((int)-before);
	p = ical.icalproperty_new_trigger(trigger);
	/* before the DUE, not the start */
	ical.icalproperty_add_parameter(p, ical.icalparameter_new_related(ICAL_RELATED_END));
	ical.icalcomponent_add_property(alarm, ical.icalproperty_new_action(ICAL_ACTION_DISPLAY));
	ical.icalcomponent_add_property(alarm, p);
	ical.icalcomponent_add_property(alarm, ical.icalproperty_new_description(title));
	ical.icalcomponent_add_component(vtodo, alarm);
}

static int task_todo(struct crm_index *idx, struct crm_record *rec, void *payload)
{
	struct ical_state *st = payload;
	icalcomponent *vtodo = ical.icalcomponent_new(ICAL_VTODO_COMPONENT);
	struct crm_value due, status;
	const char *title = text_of(st, idx, rec, "title");
	char *title_copy = strdup(title ? title : rec->id);
	int64_t before;

	if (!title_copy) {
		ical.icalcomponent_free(vtodo);
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	set_uid(vtodo, st, "task", rec->id, "");
	ical.icalcomponent_add_property(vtodo, ical.icalproperty_new_dtstamp(st->stamp));
	ical.icalcomponent_add_property(vtodo, ical.icalproperty_new_summary(title_copy));
	if (field_value(&status, idx, rec, "status") && status.kind == CRM_V_TEXT)
		ical.icalcomponent_add_property(vtodo, ical.icalproperty_new_status(
			!strcmp(status.u.text, "done") ? ICAL_STATUS_COMPLETED
						       : ICAL_STATUS_NEEDSACTION));
	if (text_of(st, idx, rec, "category"))
		ical.icalcomponent_add_property(vtodo, ical.icalproperty_new_categories(st->text.ptr));
	add_description(vtodo, st, idx, rec);
	if (field_value(&due, idx, rec, "due") && due.kind == CRM_V_DATETIME) {
		ical.icalcomponent_add_property(vtodo, ical.icalproperty_new_due(utc_time(due.u.datetime.epoch)));
		if (text_of(st, idx, rec, "remind") &&
		    !crm_duration_parse(&before, st->text.ptr, st->text.len))
			add_alarm(vtodo, before, title_copy);
	}
	ical.icalcomponent_add_component(st->cal, vtodo);
	free(title_copy);
	return 0;
}

static void add_meeting(struct ical_state *st, struct crm_index *idx, struct crm_record *rec,
			const struct crm_value *when)
{
	icalcomponent *ev = ical.icalcomponent_new(ICAL_VEVENT_COMPONENT);
	const char *summary = text_of(st, idx, rec, "summary");

	set_uid(ev, st, "activity", rec->id, "");
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtstamp(st->stamp));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_summary(summary ? summary : "Meeting"));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtstart(utc_time(when->u.datetime.epoch)));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_duration(
		ical.icaldurationtype_from_int(MEETING_SECONDS)));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_categories("meeting"));
	add_description(ev, st, idx, rec);
	ical.icalcomponent_add_component(st->cal, ev);
}

/* next_step: {date, action} becomes an all-day event on that date */
static void add_next_step(struct ical_state *st, struct crm_index *idx, struct crm_record *rec)
{
	const struct crm_node *step = rec->root ? crm_node_get(rec->root, "next_step") : NULL;
	const char *date = step && step->kind == CRM_NODE_MAP ? crm_node_text(step, "date") : NULL;
	const char *action = step && step->kind == CRM_NODE_MAP ? crm_node_text(step, "action")
								: NULL;
	struct icaltimetype start, end;
	icalcomponent *ev;
	crm_date d;

	if (!date || crm_date_parse(&d, date, strlen(date)))
		return;
	start = day_value(d);
	end = day_value(d + 1);
	ev = ical.icalcomponent_new(ICAL_VEVENT_COMPONENT);
	set_uid(ev, st, "activity", rec->id, "/next-step");
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtstamp(st->stamp));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_summary(action ? action : "Next step"));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtstart(start));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtend(end));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_categories("next-step"));
	add_description(ev, st, idx, rec);
	ical.icalcomponent_add_component(st->cal, ev);
}

static int activity_events(struct crm_index *idx, struct crm_record *rec, void *payload)
{
	struct ical_state *st = payload;
	struct crm_value kind, when;

	if (field_value(&kind, idx, rec, "kind") && kind.kind == CRM_V_TEXT &&
	    !strcmp(kind.u.text, "meeting") && field_value(&when, idx, rec, "date") &&
	    when.kind == CRM_V_DATETIME)
		add_meeting(st, idx, rec, &when);
	add_next_step(st, idx, rec);
	return 0;
}

/* The repository's part of every UID: its [org] name as a slug, else the
 * name of its folder */
static char *repo_key(struct crm_index *idx)
{
	const struct crm_repo *repo = crm_index_repo(idx);
	struct crm_buf b = CRM_BUF_INIT;
	const char *base = strrchr(repo->root, '/');

	if (repo->config.org_name)
		crm_utf8_slug(&b, repo->config.org_name);
	if (!b.len)
		crm_buf_adds(&b, base ? base + 1 : repo->root);
	return crm_buf_detach(&b, NULL);
}

static void add_calendar_props(icalcomponent *cal, const char *tz)
{
	icalproperty *p;

	ical.icalcomponent_add_property(cal, ical.icalproperty_new_prodid("-//crm//crm export//EN"));
	ical.icalcomponent_add_property(cal, ical.icalproperty_new_version("2.0"));
	ical.icalcomponent_add_property(cal, ical.icalproperty_new_calscale("GREGORIAN"));
	if (tz && *tz) {
		p = ical.icalproperty_new_x(tz);
		ical.icalproperty_set_x_name(p, "X-WR-TIMEZONE");
		ical.icalcomponent_add_property(cal, p);
	}
}

int crm_export_ical(struct crm_buf *out, struct crm_index *idx, const struct crm_schema *s)
{
	struct ical_state st;
	char *text = NULL;
	int err = crm_dlib_load(&ical_dlib, "write iCalendar");

	if (err)
		return err;
	memset(&st, 0, sizeof(st));
	crm_buf_init(&st.text);
	st.repo_key = repo_key(idx);
	if (!st.repo_key)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	/* DTSTAMP: when this copy was made (CRM_TODAY pins it in tests) */
	st.stamp = utc_time(crm_now());
	st.cal = ical.icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	add_calendar_props(st.cal, crm_index_repo(idx)->config.timezone);
	err = crm_export_each(idx, s, strcmp(s->type, "task") ? activity_events : task_todo, &st);
	if (!err) {
		text = ical.icalcomponent_as_ical_string_r(st.cal);
		err = text ? crm_buf_adds(out, text)
			   : crm_error_set(CRM_ENOMEM, "cannot write iCalendar");
	}
	free(text);
	ical.icalcomponent_free(st.cal);
	free((char *)st.repo_key);
	crm_buf_release(&st.text);
	return err;
}

/* ---- the agenda ---- */

#define AGENDA_ITEM_SECONDS 900

static void agenda_event(struct ical_state *st, const struct crm_agenda_item *it)
{
	icalcomponent *ev = ical.icalcomponent_new(ICAL_VEVENT_COMPONENT);
	const char *kind = crm_agenda_kind_name(it->kind);
	struct crm_buf suffix = CRM_BUF_INIT;
	const char *slash = strchr(it->ref, '/');

	crm_buf_addf(&suffix, "/%s", kind);
	/* the item's record type and id, then its kind: one UID per item */
	crm_buf_addf(&st->text, "%.*s", slash ? (int)(slash - it->ref) : 0, it->ref);
	set_uid(ev, st, st->text.ptr, slash ? slash + 1 : it->ref, suffix.ptr);
	crm_buf_reset(&st->text);
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtstamp(st->stamp));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_summary(it->text));
	if (it->has_time) {
		ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtstart(utc_time(it->at)));
		ical.icalcomponent_add_property(ev, ical.icalproperty_new_duration(
			ical.icaldurationtype_from_int(AGENDA_ITEM_SECONDS)));
	} else {
		ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtstart(day_value(it->date)));
		ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtend(day_value(it->date + 1)));
	}
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_categories(kind));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_description(it->ref));
	ical.icalcomponent_add_component(st->cal, ev);
	crm_buf_release(&suffix);
}

int crm_export_agenda_ical(struct crm_buf *out, struct crm_index *idx,
			   const struct crm_agenda *a)
{
	struct ical_state st;
	char *text = NULL;
	size_t i;
	int err = crm_dlib_load(&ical_dlib, "write iCalendar");

	if (err)
		return err;
	memset(&st, 0, sizeof(st));
	crm_buf_init(&st.text);
	st.repo_key = repo_key(idx);
	if (!st.repo_key)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	st.stamp = utc_time(a->now);
	st.cal = ical.icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	add_calendar_props(st.cal, crm_index_repo(idx)->config.timezone);
	for (i = 0; i < a->items.len; i++)
		agenda_event(&st, &a->items.ptr[i]);
	err = crm_buf_check(&st.text);
	text = err ? NULL : ical.icalcomponent_as_ical_string_r(st.cal);
	if (!err)
		err = text ? crm_buf_adds(out, text)
			   : crm_error_set(CRM_ENOMEM, "cannot write iCalendar");
	free(text);
	ical.icalcomponent_free(st.cal);
	free((char *)st.repo_key);
	crm_buf_release(&st.text);
	return err;
}

/* ---- reading back, for tests and for checking a file ---- */

static void describe_time(struct crm_buf *out, const char *label, struct icaltimetype t)
{
	if (ical.icaltime_is_null_time(t))
		return;
	crm_buf_addf(out, " %s=%s", label, ical.icaltime_as_ical_string(t));
}

static void describe(struct crm_buf *out, icalcomponent *c)
{
	icalcomponent *alarm;
	icalproperty *p;

	crm_buf_addf(out, "%s %s", ical.icalcomponent_kind_to_string(ical.icalcomponent_isa(c)),
		     ical.icalcomponent_get_uid(c) ? ical.icalcomponent_get_uid(c) : "-");
	describe_time(out, "start", ical.icalcomponent_get_dtstart(c));
	if (ical.icalcomponent_isa(c) == ICAL_VTODO_COMPONENT)
		describe_time(out, "due", ical.icalcomponent_get_due(c));
	for (alarm = ical.icalcomponent_get_first_component(c, ICAL_VALARM_COMPONENT); alarm;
	     alarm = ical.icalcomponent_get_next_component(c, ICAL_VALARM_COMPONENT)) {
		p = ical.icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY);
		if (p)
			crm_buf_addf(out, " alarm=%s",
				     ical.icaldurationtype_as_ical_string(ical.icalproperty_get_trigger(p).duration));
	}
	crm_buf_addf(out, " summary=%s\n", ical.icalcomponent_get_summary(c) ? ical.icalcomponent_get_summary(c) : "");
}

int crm_ical_describe(struct crm_buf *out, const char *data)
{
	icalcomponent *cal, *c;
	int problems = 0;

	if (crm_dlib_load(&ical_dlib, "read iCalendar"))
		return CRM_EIO;
	cal = ical.icalparser_parse_string(data);

	if (!cal || ical.icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		if (cal)
			ical.icalcomponent_free(cal);
		return crm_error_set(CRM_EINVALID, "not an iCalendar VCALENDAR");
	}
	ical.icalrestriction_check(cal);
	problems = ical.icalcomponent_count_errors(cal);
	for (c = ical.icalcomponent_get_first_component(cal, ICAL_ANY_COMPONENT); c;
	     c = ical.icalcomponent_get_next_component(cal, ICAL_ANY_COMPONENT)) {
		if (ical.icalcomponent_isa(c) == ICAL_VTODO_COMPONENT ||
		    ical.icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT)
			describe(out, c);
	}
	ical.icalcomponent_free(cal);
	return problems ? crm_error_set(CRM_EINVALID, "%d RFC 5545 problems", problems) : 0;
}
