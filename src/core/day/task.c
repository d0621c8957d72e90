/* Tasks: repeat rules ("weekly", "every 2w") and the due date of a
 * repeating task's next occurrence, and the categories crm.ini gives the
 * task schema's `category` field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm/config.h"
#include "crm/error.h"
#include "crm/repo.h"
#include "crm/schema.h"
#include "crm/task.h"

#define REPEAT_MAX 999

static const char repeat_forms[] = "daily, weekly, monthly, yearly or every N days, weeks, "
				   "months or years (every 2w)";

static int bad_repeat(const char *s)
{
	return crm_error_set(CRM_EINVALID, "invalid repeat '%s': write it as %s", s,
			     repeat_forms);
}

/* "d", "day", "days", "w", "week", ... into 'd', 'w', 'm', 'y'; 0 if none. */
static char unit_of(const char *w, size_t n)
{
	static const char *const names[] = { "day", "week", "month", "year" };
	static const char units[] = "dwmy";
	size_t i;

	for (i = 0; i < 4; i++) {
		size_t len = strlen(names[i]);
		if ((n == 1 && w[0] == units[i]) ||
		    (n == len && !strncasecmp(w, names[i], len)) ||
		    (n == len + 1 && !strncasecmp(w, names[i], len) && (w[len] | 0x20) == 's'))
			return units[i];
	}
	return 0;
}

int crm_repeat_parse(struct crm_repeat *out, const char *s)
{
	static const struct { const char *name; char unit; } words[] = {
		{ "daily", 'd' }, { "weekly", 'w' }, { "monthly", 'm' }, { "yearly", 'y' },
	};
	const char *p;
	size_t i;
	long n = 1;

	for (i = 0; i < sizeof(words) / sizeof(*words); i++) {
		if (!strcasecmp(s, words[i].name)) {
			out->n = 1;
			out->unit = words[i].unit;
			return 0;
		}
	}
	if (strncasecmp(s, "every", 5) || s[5] != ' ')
		return bad_repeat(s);
	p = s + 6;
	while (*p == ' ')
		p++;
	if (*p >= '0' && *p <= '9') {
		n = 0;
		while (*p >= '0' && *p <= '9' && n <= REPEAT_MAX)
			n = n * 10 + (*p++ - '0');
		while (*p == ' ')
			p++;
	}
	if (n < 1 || n > REPEAT_MAX || !unit_of(p, strlen(p)))
		return bad_repeat(s);
	out->n = (int)n;
	out->unit = unit_of(p, strlen(p));
	return 0;
}

crm_date crm_repeat_step(const struct crm_repeat *r, crm_date from)
{
	switch (r->unit) {
	case 'w':
		return from + 7 * r->n;
	case 'm':
		return crm_date_add_months(from, r->n);
	case 'y':
		return crm_date_add_months(from, 12 * r->n);
	default:
		return from + r->n;
	}
}

int crm_task_next_due(struct crm_buf *out, const char *due, const struct crm_repeat *r,
		      crm_date today)
{
	crm_date d, next;
	char day[16];

	if (!due || !*due) {
		crm_date_format(day, sizeof(day), crm_repeat_step(r, today));
		return crm_buf_adds(out, day);
	}
	if (strlen(due) < 10 || crm_date_parse(&d, due, 10))
		return crm_error_set(CRM_EINVALID, "due '%s' is not a date; the next occurrence "
				     "needs one", due);
	/* k steps from the due at once, not step by step, so a monthly task
	 * due Jan 31 and done in April lands on Apr 30, not Apr 28 */
	next = crm_repeat_step(r, d);
	for (int k = 2; next < today && k < 100000; k++) {
		struct crm_repeat many = { r->n * k, r->unit };
		next = crm_repeat_step(&many, d);
	}
	crm_date_format(day, sizeof(day), next);
	crm_buf_adds(out, day);
	return crm_buf_adds(out, due + 10);
}

/* "a, b ,c" into a NULL-terminated array in the repository's arena. */
static int split_categories(const char ***out, size_t *n_out, struct crm_arena *a,
			    const char *list)
{
	size_t n = 1, k = 0;
	const char *p;
	const char **values;

	for (p = list; *p; p++)
		n += *p == ',';
	values = crm_arena_alloc(a, (n + 1) * sizeof(*values));
	if (!values)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len && !(values[k++] = crm_arena_strndup(a, p, len)))
			return crm_error_set(CRM_ENOMEM, "out of memory");
		p = end ? end + 1 : p + len;
		if (!end)
			break;
	}
	values[k] = NULL;
	*out = values;
	*n_out = k;
	return 0;
}

int crm_task_apply_categories(struct crm_repo *repo)
{
	const char *list = crm_config_get(&repo->config, "task", NULL, "categories");
	struct crm_field *f = NULL;
	size_t i, j;

	for (i = 0; list && i < repo->schemas.len && !f; i++) {
		struct crm_schema *s = &repo->schemas.ptr[i];
		if (strcmp(s->type, "task"))
			continue;
		for (j = 0; j < s->nfields; j++) {
			if (!strcmp(s->fields[j].name, "category"))
				f = &s->fields[j];
		}
	}
	/* a schema that made the field an enum itself keeps its own list */
	if (!f || f->type != CRM_F_TEXT)
		return 0;
	f->type = CRM_F_ENUM;
	return split_categories(&f->values, &f->nvalues, &repo->arena, list);
}
