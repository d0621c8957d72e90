/* A salesperson's day: the agenda (tasks, reminders, next steps, invoices
 * falling due, deals past their close date or aging in their stage, leads
 * waiting for a first response, follow-ups due by lead class), the
 * reminders `crm remind` fires once per clone, and progress against the
 * targets of crm.ini.  Everything is computed from the loaded index and a
 * pinned "today" (crm_index_today), so the same repository gives the same
 * agenda whenever it is asked. */
#ifndef CRM_DAY_H
#define CRM_DAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/buf.h"
#include "crm/date.h"
#include "crm/decimal.h"

struct crm_index;
struct crm_config;

/* ---- the agenda ---- */

enum crm_agenda_kind {
	CRM_AGENDA_TASK,            /* an open task, on its due day */
	CRM_AGENDA_REMINDER,        /* a task's remind point (due minus remind) */
	CRM_AGENDA_NEXT_STEP,       /* an activity's next_step, not yet followed */
	CRM_AGENDA_INVOICE,         /* an unpaid invoice, on its due day */
	CRM_AGENDA_CLOSE,           /* an open deal past its expected_close */
	CRM_AGENDA_AGING,           /* an open deal longer in its stage than allowed */
	CRM_AGENDA_FIRST_RESPONSE,  /* a lead nobody has answered yet */
	CRM_AGENDA_FOLLOW_UP        /* a client of a class due for contact */
};

struct crm_agenda_item {
	enum crm_agenda_kind kind;
	const char *ref;            /* "task/call-back" */
	const char *user;           /* whom it is for; NULL: nobody named */
	crm_date date;              /* the day it falls on (repo time zone) */
	bool has_time;
	int64_t at;                 /* the instant: the time of a timed item, else
				       the start of `date` in the repo's zone */
	const char *text;           /* one line for people */
	bool reminder;              /* crm remind fires it */
};

struct crm_agenda_options {
	const char *user;           /* only this user's items; NULL: everyone's */
	int days;                   /* upcoming days shown, today included */
	bool every_reminder;        /* also the reminders of tasks already past
				       due (crm remind fires those it missed) */
};
#define CRM_AGENDA_OPTIONS_INIT { NULL, 7, false }

struct crm_agenda {
	struct crm_arena arena;
	crm_date today;
	int64_t now;                /* crm_now() when it was built */
	CRM_ARRAY(struct crm_agenda_item) items;   /* by date, time, kind, ref */
};

/* Builds the agenda of `idx` as of crm_index_today: every item dated up
 * to today + days - 1, overdue ones included, for opts->user (matched
 * against a task's assignee, else its owner; an activity's
 * next_step.owner, else its `by`, else its owner; an invoice's, deal's or
 * client's owner).  Release with crm_agenda_release.  0, CRM_ENOMEM, or
 * CRM_EINVALID for a [followup] setting that does not parse. */
int crm_agenda_build(struct crm_agenda *out, struct crm_index *idx,
		     const struct crm_agenda_options *opts);
void crm_agenda_release(struct crm_agenda *a);
/* "task", "reminder", "next-step", "invoice", "close", "aging",
 * "first-response", "follow-up". */
const char *crm_agenda_kind_name(enum crm_agenda_kind k);
/* The group an item is shown under: "overdue", "today", "tomorrow" or its
 * date as YYYY-MM-DD (into buf, at least 11 bytes); the returned pointer
 * is a constant or buf. */
const char *crm_agenda_group(const struct crm_agenda *a, const struct crm_agenda_item *it,
			     char *buf, size_t size);

struct crm_json;
/* One item as a JSON object into `j`: {"kind", "ref", "user", "date",
 * "time" (null for an all-day item), "at" (UTC), "text"}, then with
 * `with_group` also "group" and "reminder" (crm agenda --json).  This is
 * what crm remind's hook reads on stdin. */
int crm_agenda_item_json(struct crm_json *j, const struct crm_agenda *a,
			 const struct crm_agenda_item *it, const struct crm_config *cfg,
			 bool with_group);
/* "HH:MM": the time of day of instant `at` in the repository's zone. */
void crm_agenda_time(char *buf, size_t size, const struct crm_config *cfg, int64_t at);
/* Appends `text` on one line: line breaks and other control characters
 * (a block scalar's) become spaces, for terminals, mail subjects and
 * notifications. */
int crm_agenda_one_line(struct crm_buf *out, const char *text);

/* ---- targets ---- */

enum crm_target_metric { CRM_TARGET_WON, CRM_TARGET_DEALS, CRM_TARGET_ACTIVITIES };
enum crm_target_period { CRM_PERIOD_WEEK, CRM_PERIOD_MONTH, CRM_PERIOD_QUARTER,
			 CRM_PERIOD_YEAR };

/* One `[target "USER"]` line, e.g. `won = 50000 EUR per quarter`, with the
 * progress of the period that holds today. */
struct crm_target {
	const char *user;
	enum crm_target_metric metric;
	enum crm_target_period period;
	crm_dec goal;               /* money amount (won) or a count */
	char currency[4];           /* won: the goal's currency */
	crm_dec actual;             /* in the same unit */
	crm_date start, end;        /* the period, both days included */
	int percent;                /* actual / goal, whole percent, rounded down */
	int elapsed_percent;        /* days of the period gone, today included */
};

struct crm_targets {
	struct crm_arena arena;
	CRM_ARRAY(struct crm_target) items;   /* in crm.ini order */
};

/* Parses every [target "USER"] of crm.ini and measures the period that
 * holds crm_index_today: won = the amounts of deals in a won stage whose
 * closed date falls in it (converted to the goal's currency through the
 * [rate] sections), deals = opportunities created in it, activities =
 * activities dated in it; each counted for its owner (an activity's `by`
 * first).  `user` NULL takes every user's targets.  0, CRM_ENOMEM, or
 * CRM_EINVALID naming the line that does not parse. */
int crm_targets_measure(struct crm_targets *out, struct crm_index *idx, const char *user);
void crm_targets_release(struct crm_targets *t);
/* Checks one target value as crm.ini holds it ("50000 EUR per quarter",
 * "10 per month"); 0 or CRM_EINVALID with the message.  For crm check. */
int crm_target_parse(struct crm_target *out, const char *key, const char *value);
const char *crm_target_metric_name(enum crm_target_metric m);
const char *crm_target_period_name(enum crm_target_period p);
/* "won: 31500.00 EUR of 50000.00 EUR, 63 % of the quarter's target with
 * 40 % of the quarter gone". */
int crm_target_describe(struct crm_buf *out, const struct crm_target *t);

struct crm_report;
/* The dashboard's filters as the targets table takes them: one user's
 * targets (--owner), and the periods that overlap a range of days
 * (--since, --until). */
struct crm_targets_filter {
	const char *user;           /* NULL: every user's */
	bool has_since, has_until;
	crm_date since, until;
};
/* Adds the table "targets" (user, metric, period, start, end, goal,
 * actual, percent, elapsed_percent) to a report, e.g. the dashboard, when
 * crm.ini has targets; nothing otherwise.  `f` (NULL: none) keeps the
 * targets of f->user; with a date, a target has a row for each of its
 * periods that overlaps since..until (since alone: up to today; until
 * alone: the period that holds it), else the period that holds today.
 * Errors as crm_targets_measure. */
int crm_targets_report(struct crm_report *r, struct crm_index *idx,
		       const struct crm_targets_filter *f);

/* ---- reminders ---- */

/* Delivery channels of crm.ini [remind] channels. */
enum crm_remind_channel {
	CRM_REMIND_STDOUT = 1 << 0,
	CRM_REMIND_NOTIFY = 1 << 1,
	CRM_REMIND_MAIL = 1 << 2,
	CRM_REMIND_HOOK = 1 << 3
};

struct crm_remind_options {
	const char *user;           /* NULL: everyone's reminders */
	bool dry_run;               /* show what would fire; keep no state */
	const char *state_path;     /* the state file (crm_remind_state_path) */
	FILE *out;                  /* the stdout channel, and dry_run's list */
	FILE *err;                  /* notes and failed deliveries */
};

struct crm_remind_result {
	size_t fired;               /* reminders delivered (or shown by dry_run) */
	size_t failed;              /* deliveries a channel refused */
};



/* The state file of this clone: <git dir>/crm/remind-state, malloc'ed into
 * *out.  CRM_ENOTFOUND outside a git work tree. */
int crm_remind_state_path(char **out, struct crm_index *idx);
/* Fires every reminder of the agenda (task remind points, next steps,
 * first responses and follow-ups) whose instant is not after now and that
 * this clone has not fired yet: the state file keeps one line per fired
 * reminder, keyed by kind, record and instant (never by commit), so a sync
 * that rewrites records fires nothing twice while a changed due time fires
 * again.  Each goes to the channels of [remind] channels (default stdout):
 * stdout as one line; notify-send when it is on PATH (a note on stderr
 * otherwise); e-mail through the [mail] transport to [remind] mail_to, else
 * the user's [user] email; the [remind] hook command run by /bin/sh with
 * the reminder as one JSON object on its stdin (nothing of the record on
 * its command line).  A reminder is recorded once any channel took it.
 * 0, or a negative code when the state cannot be read or written. */
int crm_remind_run(struct crm_remind_result *out, struct crm_index *idx,
		   const struct crm_remind_options *opts);

#endif
