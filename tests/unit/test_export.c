/* The export's formula-injection rule, and its iCalendar read back through
 * libical (crm_ical_describe) on the bundled example's tasks and
 * activities. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "crm/error.h"
#include "crm/export.h"

static const char *neutralised(const char *text)
{
	static struct crm_buf b = CRM_BUF_INIT;
	crm_buf_reset(&b);
	crm_export_neutralise(&b, text);
	return b.ptr;
}

static void test_export__neutralise(void)
{
	static const char *const cases[][2] = {
		{ "=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")" },
		{ "+1", "+1" }, { "-2", "-2" }, { "-2.50", "-2.50" },
		{ "+1 555 0100", "'+1 555 0100" }, { "-500.00 EUR", "'-500.00 EUR" },
		{ "@x", "'@x" }, { "\tx", "'\tx" }, { "\rx", "'\rx" },
		{ "-", "'-" }, { "-2+3", "'-2+3" }, { "'=x", "''=x" }, { "'x", "'x" },
		{ "plain", "plain" }, { "", "" }, { "12", "12" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		CHECK_STR(cases[i][1], neutralised(cases[i][0]));
		CHECK_STR(cases[i][0], crm_export_unneutralise(cases[i][1]));
	}
}

static struct crm_repo repo;
static struct crm_index *idx;

static void load_example(void)
{
	struct crm_index_options o = CRM_INDEX_OPTIONS_INIT;

	setenv("CRM_TODAY", "2025-06-01", 1);
	o.git_dates = false;
	o.no_cache = true;
	if (crm_repo_open(&repo, CRM_SRCDIR "/examples/agency") ||
	    crm_index_load(&idx, &repo, &o)) {
		fprintf(stderr, "cannot load the example: %s\n", crm_error_last());
		exit(1);
	}
}

/* Exports `type` as iCalendar into a file and reads it back */
static void ical_read_back(const char *type, struct crm_buf *described)
{
	struct crm_export_options o = CRM_EXPORT_OPTIONS_INIT;
	struct crm_buf text = CRM_BUF_INIT;
	char path[] = "/tmp/crm-test-ical.XXXXXX";
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	o.format = CRM_EXPORT_ICAL;
	CHECK_INT(0, crm_export_type(idx, crm_repo_schema(&repo, type), path, &o));
	CHECK_INT(0, crm_buf_read_file(&text, path, 1 << 20));
	CHECK_INT(0, crm_ical_describe(described, text.ptr));
	unlink(path);
	crm_buf_release(&text);
}

static void test_export__ical_tasks(void)
{
	struct crm_buf d = CRM_BUF_INIT;

	load_example();
	ical_read_back("task", &d);
	/* 10:00 in Berlin in November is 09:00 UTC; remind 1d12h before */
	CHECK(strstr(d.ptr, "VTODO task/buchladen-branding-2502-t3@studio-nowak-chen-gmbh "
			    "due=20251107T090000Z alarm=-P1DT12H summary=Prepare moodboard\n") != NULL);
	CHECK(strstr(d.ptr, "VTODO task/lodz-facebook-ads-2504-t8@studio-nowak-chen-gmbh "
			    "due=20251122T090000Z alarm=-PT30M summary=Send the case studies\n") != NULL);
	crm_buf_release(&d);
}

static void test_export__ical_activities(void)
{
	struct crm_buf d = CRM_BUF_INIT;

	ical_read_back("activity", &d);
	/* a meeting at 10:30 Berlin time in winter: 09:30 UTC, for an hour */
	CHECK(strstr(d.ptr, "VEVENT activity/zrodlo-branding-2412-a2@studio-nowak-chen-gmbh "
			    "start=20241229T093000Z summary=Workshop with the marketing team\n") != NULL);
	/* a next step: a whole day */
	CHECK(strstr(d.ptr, "VEVENT activity/acme-branding-2412-a1/next-step@studio-nowak-chen-gmbh "
			    "start=20241212 summary=Send a follow-up\n") != NULL);
	crm_buf_release(&d);
	crm_index_free(idx);
	crm_repo_release(&repo);
}

static void test_export__ical_rejects_garbage(void)
{
	struct crm_buf d = CRM_BUF_INIT;

	CHECK(crm_ical_describe(&d, "BEGIN:VCARD\r\nEND:VCARD\r\n") < 0);
	CHECK(crm_ical_describe(&d, "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nEND:VTODO\r\n"
			       "END:VCALENDAR\r\n") < 0);   /* no UID, no DTSTAMP */
	crm_buf_release(&d);
}

TESTS(TEST(test_export__neutralise), TEST(test_export__ical_tasks),
      TEST(test_export__ical_activities), TEST(test_export__ical_rejects_garbage))
