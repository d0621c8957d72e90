/* Unit tests of crm_check_change (src/core/check.c): the point check a
 * write runs before it commits.  New errors count; errors the record
 * already had do not; unique fields are compared with the type's other
 * records; a new record is checked like one on disk. */
#include <stdlib.h>

#include "crm/check.h"
#include "crm/error.h"
#include "crm/index.h"
#include "fixture.h"
#include "harness.h"

static struct fixture fx;

static const struct fixture_file files[] = {
	{ "crm.ini",
	  "[crm]\ncurrency = EUR\ntimezone = UTC\n"
	  "[stage \"lead\"]\nprobability = 10\n"
	  "[stage \"won\"]\nprobability = 100\noutcome = won\n"
	  "[rate \"USD\"]\nvalue = 0.92\n" },
	{ "schema/client.yaml",
	  "type: client\nfolder: clients\nfields:\n"
	  "  name:  {type: text, required: true}\n"
	  "  email: {type: email}\n"
	  "  phone: {type: text, unique: true}\n" },
	{ "schema/opportunity.yaml",
	  "type: opportunity\nfolder: opportunities\nfields:\n"
	  "  title:   {type: text, required: true}\n"
	  "  client:  {type: ref, to: client, required: true}\n"
	  "  stage:   {type: stage, required: true}\n"
	  "  amount:  {type: money}\n"
	  "  created: {type: date}\n"
	  "  closed:  {type: date}\n" },
	{ "clients/acme.yaml", "name: Acme\nphone: \"+48 1\"\n" },
	{ "clients/bolt.yaml", "name: Bolt\nemail: not-an-email\n" },
	{ "opportunities/web.yaml",
	  "title: Web\nclient: acme\nstage: lead\namount: 100\ncreated: 2025-03-01\n" },
};

static void test_check_change__load(void)
{
	fixture_load(&fx, "check-change", files, sizeof(files) / sizeof(*files), NULL, true);
}

/* New errors of `text` as the content of type/id; *code_out the first
 * finding's code ("" when none). */
static size_t change(const char *type, const char *id, const char *text, const char **code_out)
{
	static char code[64];
	struct crm_diags out;
	struct crm_record *rec = crm_index_find(fx.idx, type, id);
	struct crm_record fresh;
	size_t n;

	crm_diags_init(&out);
	if (!rec) {
		memset(&fresh, 0, sizeof(fresh));
		fresh.schema = crm_repo_schema(&fx.repo, type);
		fresh.id = id;
		fresh.path = "new.yaml";
		rec = &fresh;
	}
	n = crm_check_change(fx.idx, rec, text, strlen(text), &out);
	snprintf(code, sizeof(code), "%s", out.list.len ? out.list.ptr[0].code : "");
	*code_out = code;
	crm_diags_release(&out);
	return n;
}

static void test_check_change__a_clean_change_passes(void)
{
	const char *code;
	CHECK_INT(0, change("opportunity", "web",
			    "title: Web\nclient: acme\nstage: won\namount: 200\n"
			    "created: 2025-03-01\nclosed: 2025-04-01\n", &code));
	CHECK_STR("", code);
}

static void test_check_change__new_errors_count(void)
{
	const char *code;
	CHECK_INT(1, change("opportunity", "web",
			    "title: Web\nclient: acme\nstage: lead\namount: 100 XYZ\n"
			    "created: 2025-03-01\n", &code));
	CHECK_STR("unknown-currency", code);
	CHECK_INT(1, change("opportunity", "web",
			    "title: Web\nclient: acme\nstage: won\namount: 100\n"
			    "created: 2025-03-01\nclosed: 2025-02-01\n", &code));
	CHECK_STR("closed-before-created", code);
	CHECK_INT(1, change("opportunity", "web", "title: Web\nclient: acme\nstage: lead\n"
			    "created: 2025-03-01\nclient: bolt\n", &code));
	CHECK_STR("duplicate-key", code);
}

static void test_check_change__old_errors_do_not_block(void)
{
	const char *code;
	/* bolt's email was already bad: renaming it is not refused for that */
	CHECK_INT(0, change("client", "bolt", "name: Bolt Ltd\nemail: not-an-email\n", &code));
	CHECK_STR("bad-email", code);
	/* but emptying its name is a new error */
	CHECK_INT(1, change("client", "bolt", "name: \"\"\nemail: not-an-email\n", &code));
}

static void test_check_change__unique_against_siblings(void)
{
	const char *code;
	CHECK_INT(1, change("client", "new-one", "name: New\nphone: \"+48 1\"\n", &code));
	CHECK_STR("unique", code);
	/* a record keeping its own value is no clash with itself */
	CHECK_INT(0, change("client", "acme", "name: Acme SA\nphone: \"+48 1\"\n", &code));
}

static void test_check_change__new_records_and_broken_text(void)
{
	const char *code;
	CHECK_INT(1, change("client", "blank", "name: \"\"\n", &code));
	CHECK_STR("missing-required", code);
	CHECK(change("client", "broken", "name: [unclosed\n", &code) >= 1);
	CHECK_STR("yaml-syntax", code);
}

static void test_check_change__cleanup(void)
{
	CHECK_INT(0, fixture_cleanup(&fx));
}

TESTS(TEST(test_check_change__load), TEST(test_check_change__a_clean_change_passes),
      TEST(test_check_change__new_errors_count),
      TEST(test_check_change__old_errors_do_not_block),
      TEST(test_check_change__unique_against_siblings),
      TEST(test_check_change__new_records_and_broken_text), TEST(test_check_change__cleanup))
