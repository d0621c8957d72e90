/* Unit tests of child processes (src/util/child.c): output captured and
 * input fed by crm_child_run, exit statuses, and a child started in the
 * background whose stderr waits in its pipe until finish, passed on or
 * dropped as the caller decides then. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/child.h"
#include "crm/error.h"
#include "harness.h"

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_child__run_feeds_and_collects(void)
{
	const char *argv[] = { "sh", "-c", "tr a-z A-Z; echo oops >&2; exit 3", NULL };
	struct crm_buf out = CRM_BUF_INIT, err = CRM_BUF_INIT;
	struct crm_child_options o = CRM_CHILD_OPTIONS_INIT;
	int status = -1;

	o.out = &out;
	o.err_copy = &err;
	o.quiet_err = true;
	o.in = "hello\n";
	o.in_len = 6;
	CHECK_INT(0, crm_child_run(&status, argv, &o));
	CHECK_INT(3, status);
	CHECK_STR("HELLO\n", out.ptr);
	CHECK_STR("oops\n", err.ptr);
	crm_buf_release(&out);
	crm_buf_release(&err);
}

static void test_child__missing_program_is_127(void)
{
	const char *argv[] = { "crm-no-such-program-anywhere", NULL };
	int status = 0;

	CHECK_INT(0, crm_child_run(&status, argv, NULL));
	CHECK_INT(127, status);
}

/* The parent goes on while the child runs; what the child said is there
 * at finish, and quiet_err set after the start still holds. */
static void test_child__background_until_finish(void)
{
	const char *argv[] = { "sh", "-c", "sleep 0.3; echo fetched >&2", NULL };
	struct crm_buf said = CRM_BUF_INIT;
	struct crm_child_options o = CRM_CHILD_OPTIONS_INIT;
	struct crm_child c;
	double t0 = seconds_now();
	int status = -1;

	o.err_copy = &said;
	CHECK_INT(0, crm_child_start(&c, argv, &o));
	CHECK(seconds_now() - t0 < 0.25);   /* start did not wait */
	CHECK(said.len == 0);
	c.opts.quiet_err = true;
	CHECK_INT(0, crm_child_finish(&status, &c));
	CHECK(seconds_now() - t0 >= 0.3);
	CHECK_INT(0, status);
	CHECK_STR("fetched\n", said.ptr);
	CHECK_INT(-1, c.pid);
	crm_buf_release(&said);
}

static void test_child__finish_without_start_is_an_error(void)
{
	const char *argv[] = { "crm-no-such-program-anywhere", NULL };
	struct crm_child c;
	int status = 0;

	CHECK_INT(0, crm_child_start(&c, argv, NULL));
	CHECK_INT(0, crm_child_finish(&status, &c));
	CHECK_INT(127, status);
	CHECK_INT(CRM_EIO, crm_child_finish(&status, &c));   /* finished once only */
	crm_error_clear();
}

TESTS(TEST(test_child__run_feeds_and_collects), TEST(test_child__missing_program_is_127),
      TEST(test_child__background_until_finish),
      TEST(test_child__finish_without_start_is_an_error))
