/* Unit tests for src/core/day/task.c: repeat rules and the due date of a
 * repeating task's next occurrence. */
#include "crm/date.h"
#include "crm/error.h"
#include "crm/task.h"
#include "harness.h"

static crm_date day(const char *s)
{
	crm_date d = 0;
	CHECK_INT(0, crm_date_parse(&d, s, strlen(s)));
	return d;
}

static void test_task__repeat_rules(void)
{
	static const struct { const char *text; int n; char unit; } ok[] = {
		{ "daily", 1, 'd' }, { "Weekly", 1, 'w' }, { "monthly", 1, 'm' },
		{ "yearly", 1, 'y' }, { "every 2w", 2, 'w' }, { "every 3 days", 3, 'd' },
		{ "every month", 1, 'm' }, { "every 1 year", 1, 'y' }, { "every 10d", 10, 'd' },
		{ "every 2 Weeks", 2, 'w' },
	};
	static const char *const bad[] = { "", "fortnightly", "every", "every 0d", "every 2",
					   "every 2x", "every 1000d", "every -1d", "every 2 dayz",
					   "everyday" };
	struct crm_repeat r;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		r.n = 0;
		r.unit = 0;
		CHECK_INT(0, crm_repeat_parse(&r, ok[i].text));
		CHECK_INT(ok[i].n, r.n);
		CHECK_INT(ok[i].unit, r.unit);
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		CHECK_INT(CRM_EINVALID, crm_repeat_parse(&r, bad[i]));
	crm_repeat_parse(&r, "every 2x");
	CHECK_STR("invalid repeat 'every 2x': write it as daily, weekly, monthly, yearly or "
		  "every N days, weeks, months or years (every 2w)", crm_error_last());
}

static const char *next_due(const char *due, const char *rule, const char *today)
{
	static struct crm_buf out = CRM_BUF_INIT;
	struct crm_repeat r;

	crm_buf_reset(&out);
	CHECK_INT(0, crm_repeat_parse(&r, rule));
	if (crm_task_next_due(&out, due, &r, day(today)))
		return crm_error_last();
	return out.ptr;
}

static void test_task__next_due(void)
{
	CHECK_STR("2025-03-21", next_due("2025-03-14", "weekly", "2025-03-14"));
	CHECK_STR("2025-03-24T09:00", next_due("2025-03-17T09:00", "weekly", "2025-03-14"));
	CHECK_STR("2025-03-15T09:00+01:00", next_due("2025-03-14T09:00+01:00", "daily",
						     "2025-03-14"));
	/* month ends clamp; leap years count */
	CHECK_STR("2025-02-28", next_due("2025-01-31", "monthly", "2025-01-31"));
	CHECK_STR("2024-02-29", next_due("2024-01-31", "monthly", "2024-01-31"));
	CHECK_STR("2025-02-28", next_due("2024-02-29", "yearly", "2024-02-29"));
	/* done late: stepped from the due to today or after, in whole steps */
	CHECK_STR("2025-03-15", next_due("2025-03-03", "every 2 days", "2025-03-14"));
	CHECK_STR("2025-03-14", next_due("2025-03-10", "daily", "2025-03-14"));
	CHECK_STR("2025-04-30", next_due("2025-01-31", "monthly", "2025-04-20"));
	/* no due: the first step from today */
	CHECK_STR("2025-03-28", next_due(NULL, "every 2w", "2025-03-14"));
	CHECK_STR("2025-04-14", next_due("", "monthly", "2025-03-14"));
	CHECK_STR("due 'soon' is not a date; the next occurrence needs one",
		  next_due("soon", "daily", "2025-03-14"));
}

TESTS(TEST(test_task__repeat_rules), TEST(test_task__next_due))
