/* The day module's pieces that need no repository (src/core/day): target
 * values as crm.ini writes them, and text made one line for terminals,
 * subjects and notifications. */
#include <string.h>

#include "crm/buf.h"
#include "crm/day.h"
#include "crm/error.h"
#include "harness.h"

static void test_day__target_won_with_currency_and_period(void)
{
	struct crm_target t;

	CHECK_INT(0, crm_target_parse(&t, "won", "50000 EUR per quarter"));
	CHECK_INT(CRM_TARGET_WON, t.metric);
	CHECK_INT(CRM_PERIOD_QUARTER, t.period);
	CHECK_STR("EUR", t.currency);
	CHECK_INT(50000, t.goal.units);
	CHECK_INT(0, t.goal.scale);
	CHECK_INT(0, crm_target_parse(&t, "won", "12500.50 PLN per year"));
	CHECK_INT(1250050, t.goal.units);
	CHECK_INT(2, t.goal.scale);
	CHECK_STR("PLN", t.currency);
}

static void test_day__target_bare_amount_leaves_the_currency_open(void)
{
	struct crm_target t;

	CHECK_INT(0, crm_target_parse(&t, "won", "10000 per month"));
	CHECK_STR("", t.currency);
	CHECK_INT(CRM_PERIOD_MONTH, t.period);
}

static void test_day__target_counts_are_whole_numbers(void)
{
	struct crm_target t;

	CHECK_INT(0, crm_target_parse(&t, "deals", "10 per month"));
	CHECK_INT(CRM_TARGET_DEALS, t.metric);
	CHECK_INT(10, t.goal.units);
	CHECK_INT(0, crm_target_parse(&t, "activities", "40 per week"));
	CHECK_INT(CRM_PERIOD_WEEK, t.period);
	CHECK_INT(CRM_EINVALID, crm_target_parse(&t, "deals", "2.5 per week"));
	CHECK_STR("a count of deals is a whole number", crm_error_last());
}

static void test_day__target_refusals_say_what_is_wrong(void)
{
	struct crm_target t;

	CHECK_INT(CRM_EINVALID, crm_target_parse(&t, "calls", "3 per week"));
	CHECK_STR("unknown target 'calls' (won, deals or activities)", crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_target_parse(&t, "deals", "10 a month"));
	CHECK_STR("target deals = '10 a month' is not of the form 'AMOUNT per PERIOD' "
		  "(e.g. '10 per month')", crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_target_parse(&t, "deals", "10 per fortnight"));
	CHECK_STR("unknown period 'fortnight' (week, month, quarter or year)", crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_target_parse(&t, "won", "0 EUR per year"));
	CHECK_STR("target won = '0 EUR per year' must be above zero", crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_target_parse(&t, "won", " per year"));
	CHECK_INT(CRM_EINVALID, crm_target_parse(&t, "won", "lots per year"));
	CHECK_STR("invalid money 'lots': 'lots' is not a number", crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_target_parse(&t, "won", "5 ABC per year"));
	CHECK_STR("unknown currency 'ABC' in target won", crm_error_last());
}

static void test_day__describe_says_progress_and_time_gone(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_target t;

	CHECK_INT(0, crm_target_parse(&t, "won", "50000 EUR per quarter"));
	t.user = "chen";
	t.actual = (crm_dec){ 3150000, 2 };
	t.percent = 63;
	t.elapsed_percent = 40;
	CHECK_INT(0, crm_target_describe(&b, &t));
	CHECK_STR("chen won: 31500.00 EUR of 50000.00 EUR, 63 % of the quarter's target with "
		  "40 % of the quarter gone", b.ptr);
	crm_buf_release(&b);
}

static void test_day__one_line_turns_controls_into_spaces(void)
{
	struct crm_buf b = CRM_BUF_INIT;

	CHECK_INT(0, crm_agenda_one_line(&b, "two\nlines\tand\r\x7f$(id) \"q\""));
	CHECK_STR("two lines and  $(id) \"q\"", b.ptr);
	crm_buf_reset(&b);
	CHECK_INT(0, crm_agenda_one_line(&b, "Łódź 发票"));
	CHECK_STR("Łódź 发票", b.ptr);
	crm_buf_release(&b);
}

TESTS(TEST(test_day__target_won_with_currency_and_period),
      TEST(test_day__target_bare_amount_leaves_the_currency_open),
      TEST(test_day__target_counts_are_whole_numbers),
      TEST(test_day__target_refusals_say_what_is_wrong),
      TEST(test_day__describe_says_progress_and_time_gone),
      TEST(test_day__one_line_turns_controls_into_spaces))
