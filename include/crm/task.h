/* Tasks (crm task): repeat rules and the next occurrence of a repeating
 * task, and the task categories crm.ini lists. */
#ifndef CRM_TASK_H
#define CRM_TASK_H

#include "crm/buf.h"
#include "crm/date.h"

struct crm_repo;

/* How a task repeats: every `n` days, weeks, months or years. */
struct crm_repeat {
	int n;         /* 1..999 */
	char unit;     /* 'd', 'w', 'm' or 'y' */
};

/* "daily", "weekly", "monthly", "yearly", "every 2w", "every 3 days",
 * "every month" (case-insensitive) into *out; 0 or CRM_EINVALID with a
 * message that names the forms. */
int crm_repeat_parse(struct crm_repeat *out, const char *s);

/* `from` advanced once by the rule; months and years clamp the day to the
 * month's length (Jan 31 monthly gives Feb 28). */
crm_date crm_repeat_step(const struct crm_repeat *r, crm_date from);

/* The due text of a repeating task's next occurrence: the day of `due`
 * (a date or datetime as stored; its time and zone are kept as written)
 * advanced by the rule once, and further while it lies before `today`, so
 * a task done late is next due today or after, never in the past.  With
 * no `due` (NULL or ""), the rule's first step from `today`, as a date.
 * CRM_EINVALID when `due` does not start with a date. */
int crm_task_next_due(struct crm_buf *out, const char *due, const struct crm_repeat *r,
		      crm_date today);

/* crm.ini's [task] categories = a, b, c turns the task schema's `category`
 * field (when it is text) into a choice of those, so that crm check, the
 * filters and every write hold categories to the list, as the schema's
 * enum values do for an activity's kind.  Nothing when crm.ini lists
 * none; CRM_ENOMEM. */
int crm_task_apply_categories(struct crm_repo *repo);

#endif
