/* Unit tests of src/core/automation on a repository the test writes: the
 * crm.ini settings and their refusals, stage entry criteria, assignment by
 * least open load in team order, the stage-change JSON with hostile text,
 * and aging alerts by limit and by the repository's own mean. */
#include <stdlib.h>
#include <string.h>

#include "crm/alerts.h"
#include "crm/automation.h"
#include "crm/error.h"
#include "crm/index.h"
#include "fixture.h"
#include "harness.h"

static struct fixture fx;
static struct crm_automation autos;

static const struct fixture_file files[] = {
	{ "crm.ini",
	  "[crm]\ncurrency = EUR\ntimezone = UTC\n"
	  "[stage \"lead\"]\nprobability = 10\n"
	  "[stage \"proposal\"]\nprobability = 50\nrequires = amount, expected_close\n"
	  "max_days = 30\n"
	  "[stage \"won\"]\nprobability = 100\noutcome = won\n"
	  "[assign \"big\"]\ntype = client\nwhere = size=large\nteam = chen, dana\n"
	  "[assign \"rest\"]\ntype = client\nteam = eve\n"
	  "[notify]\nstage = /bin/hook --flag  two\n"
	  "[alerts]\nmin_samples = 3\n" },
	{ "schema/client.yaml",
	  "type: client\nfolder: clients\nfields:\n  name:  {type: text, required: true}\n"
	  "  size:  {type: enum, values: [small, large]}\n  owner: {type: user}\n" },
	{ "schema/opportunity.yaml",
	  "type: opportunity\nfolder: opportunities\nfields:\n"
	  "  title:   {type: text, required: true}\n"
	  "  client:  {type: ref, to: client, required: true}\n"
	  "  stage:   {type: stage, required: true}\n"
	  "  amount:  {type: money}\n"
	  "  expected_close: {type: date}\n"
	  "  owner:   {type: user}\n"
	  "  created: {type: date}\n"
	  "  history:\n    type: list\n    fields:\n"
	  "      date:  {type: date}\n      stage: {type: stage}\n" },
	{ "clients/acme.yaml", "name: Acme\nsize: large\nowner: chen\n" },
	/* three past stays of 10 days in lead: a mean of 10 */
	{ "opportunities/p1.yaml", "title: P1\nclient: acme\nstage: won\ncreated: 2025-01-01\n"
	  "history:\n  - {date: 2025-01-01, stage: lead}\n  - {date: 2025-01-11, stage: won}\n" },
	{ "opportunities/p2.yaml", "title: P2\nclient: acme\nstage: won\ncreated: 2025-02-01\n"
	  "history:\n  - {date: 2025-02-01, stage: lead}\n  - {date: 2025-02-11, stage: won}\n" },
	{ "opportunities/p3.yaml", "title: P3\nclient: acme\nstage: won\ncreated: 2025-03-01\n"
	  "owner: dana\nhistory:\n  - {date: 2025-03-01, stage: lead}\n"
	  "  - {date: 2025-03-11, stage: won}\n" },
	/* 22 days in lead: over twice the mean */
	{ "opportunities/o1.yaml", "title: O1\nclient: acme\nstage: lead\ncreated: 2025-05-10\n"
	  "owner: dana\nhistory:\n  - {date: 2025-05-10, stage: lead}\n" },
	/* 7 days in lead: fine */
	{ "opportunities/o2.yaml", "title: O2\nclient: acme\nstage: lead\ncreated: 2025-05-25\n"
	  "history:\n  - {date: 2025-05-25, stage: lead}\n" },
	/* a fourth stay of 10 days in lead, then 61 days in proposal, over
	 * its 30-day limit */
	{ "opportunities/o3.yaml", "title: O3\nclient: acme\nstage: proposal\n"
	  "amount: \"10.00 EUR\"\ncreated: 2025-03-22\nhistory:\n"
	  "  - {date: 2025-03-22, stage: lead}\n  - {date: 2025-04-01, stage: proposal}\n" },
	/* no history: in proposal since it was created, 12 days */
	{ "opportunities/o4.yaml", "title: O4\nclient: acme\nstage: proposal\ncreated: 2025-05-20\n" },
};

static void test_automation__load(void)
{
	fixture_load(&fx, "automation", files, sizeof(files) / sizeof(*files), NULL, false);
	CHECK_INT(0, crm_automation_load(&autos, &fx.repo.config));
	CHECK_INT(2, autos.rules.len);
	CHECK_STR("big", autos.rules.ptr[0].name);
	CHECK_STR("client", autos.rules.ptr[0].type);
	CHECK_STR("size=large", autos.rules.ptr[0].where);
	CHECK_INT(2, autos.rules.ptr[0].nteam);
	CHECK_STR("dana", autos.rules.ptr[0].team[1]);
	CHECK(autos.rules.ptr[1].where == NULL);
	CHECK_STR("/bin/hook", autos.notify_argv[0]);
	CHECK_STR("--flag", autos.notify_argv[1]);
	CHECK_STR("two", autos.notify_argv[2]);
	CHECK(autos.notify_argv[3] == NULL);
	CHECK_INT(2, autos.alert_factor);
	CHECK_INT(3, autos.alert_min_samples);
}

static void test_automation__refusals(void)
{
	struct crm_config cfg;
	struct crm_automation a;
	struct crm_diags d;
	static const char no_team[] = "[assign \"x\"]\nwhere = size=large\n";
	static const char bad_factor[] = "[alerts]\nfactor = 0\n";

	crm_diags_init(&d);
	memset(&cfg, 0, sizeof(cfg));
	CHECK_INT(0, crm_config_load_data(&cfg, no_team, strlen(no_team), "crm.ini", &d));
	CHECK_INT(CRM_EINVALID, crm_automation_load(&a, &cfg));
	CHECK_STR("crm.ini:2: rule [assign \"x\"] has no team = USER...", crm_error_last());
	crm_automation_release(&a);
	crm_config_release(&cfg);
	memset(&cfg, 0, sizeof(cfg));
	CHECK_INT(0, crm_config_load_data(&cfg, bad_factor, strlen(bad_factor), "crm.ini", &d));
	CHECK_INT(CRM_EINVALID, crm_automation_load(&a, &cfg));
	CHECK_STR("crm.ini:2: factor '0' in [alerts] must be a whole number from 1",
		  crm_error_last());
	crm_automation_release(&a);
	crm_config_release(&cfg);
	crm_diags_release(&d);
}

static void test_automation__stage_missing(void)
{
	struct crm_record *o2 = crm_index_find(fx.idx, "opportunity", "o2");
	struct crm_record *o3 = crm_index_find(fx.idx, "opportunity", "o3");
	struct crm_buf b = CRM_BUF_INIT;

	CHECK_INT(2, crm_stage_missing(&b, fx.idx, &fx.repo.config, o2, "proposal"));
	CHECK_STR("amount, expected_close", b.ptr);
	crm_buf_reset(&b);
	CHECK_INT(1, crm_stage_missing(&b, fx.idx, &fx.repo.config, o3, "proposal"));
	CHECK_STR("expected_close", b.ptr);
	crm_buf_reset(&b);
	CHECK_INT(0, crm_stage_missing(&b, fx.idx, &fx.repo.config, o2, "won"));
	CHECK_STR("", b.ptr);
	crm_buf_release(&b);
}

/* chen owns acme and dana one open deal (o1; p3 is won): a load of 1
 * each, so the tie goes to the earlier member, then round the team. */
static void test_automation__assign(void)
{
	const struct crm_schema *s = crm_repo_schema(&fx.repo, "client");
	struct crm_assigner *as = NULL;
	struct crm_buf text = CRM_BUF_INIT;
	const char *owner, *rule;
	static const char *const want[] = { "chen", "dana", "chen", "dana" };
	size_t i;

	CHECK_INT(0, crm_assign_begin(&as, fx.idx, &autos, s));
	CHECK(as != NULL);
	for (i = 0; i < 4; i++) {
		crm_buf_reset(&text);
		crm_buf_adds(&text, "name: Big\nsize: large\n");
		CHECK_INT(0, crm_assign_text(&text, &owner, &rule, as, s, "big", "clients/big.yaml"));
		CHECK_STR(want[i], owner);
		CHECK_STR("big", rule);
	}
	CHECK_STR("name: Big\nsize: large\nowner: dana\n", text.ptr);
	crm_buf_reset(&text);
	crm_buf_adds(&text, "name: Small\nsize: small\n");
	CHECK_INT(0, crm_assign_text(&text, &owner, &rule, as, s, "small", "clients/small.yaml"));
	CHECK_STR("eve", owner);
	CHECK_STR("rest", rule);
	/* an owner given is kept */
	crm_buf_reset(&text);
	crm_buf_adds(&text, "name: Own\nsize: large\nowner: zed\n");
	CHECK_INT(0, crm_assign_text(&text, &owner, &rule, as, s, "own", "clients/own.yaml"));
	CHECK(owner == NULL && rule == NULL);
	CHECK_STR("name: Own\nsize: large\nowner: zed\n", text.ptr);
	crm_assign_free(as);
	/* no rule for deals */
	CHECK_INT(0, crm_assign_begin(&as, fx.idx, &autos, crm_repo_schema(&fx.repo, "opportunity")));
	CHECK(as == NULL);
	crm_buf_release(&text);
}

static void test_automation__change_json_hostile(void)
{
	struct crm_stage_change c = { "opportunity", "x", "Q \"$(touch x)\"\n\tend\\", "lead",
				      "won", "Zoë 中文", "2025-06-01", NULL, NULL, "move", NULL };
	struct crm_buf b = CRM_BUF_INIT;

	CHECK_INT(0, crm_stage_change_json(&b, &c));
	CHECK_STR("{\n  \"event\": \"stage-change\",\n  \"record\": \"opportunity/x\",\n"
		  "  \"type\": \"opportunity\",\n  \"id\": \"x\",\n"
		  "  \"title\": \"Q \\\"$(touch x)\\\"\\n\\tend\\\\\",\n"
		  "  \"from\": \"lead\",\n  \"to\": \"won\",\n  \"by\": \"Zoë 中文\",\n"
		  "  \"date\": \"2025-06-01\",\n  \"amount\": null,\n  \"owner\": null,\n"
		  "  \"origin\": \"move\",\n  \"commit\": null\n}\n", b.ptr);
	crm_buf_release(&b);
}

static void test_automation__alerts(void)
{
	struct crm_alerts al;
	struct crm_buf why = CRM_BUF_INIT;

	CHECK_INT(0, crm_alerts_compute(&al, fx.idx, &autos, NULL));
	CHECK_INT(2, al.list.len);
	CHECK_STR("o3", al.list.ptr[0].id);
	CHECK_INT(61, al.list.ptr[0].days);
	CHECK_INT(30, al.list.ptr[0].limit);
	CHECK_INT(CRM_ALERT_LIMIT, al.list.ptr[0].reasons);
	CHECK_STR("o1", al.list.ptr[1].id);
	CHECK_STR("dana", al.list.ptr[1].owner);
	CHECK_INT(22, al.list.ptr[1].days);
	CHECK_INT(4, al.list.ptr[1].samples);
	CHECK_INT(CRM_ALERT_AVERAGE, al.list.ptr[1].reasons);
	CHECK_INT(0, crm_alert_why(&why, &al, &al.list.ptr[1]));
	CHECK_STR("over 2x the mean of 10.0 days (4 stays)", why.ptr);
	crm_buf_reset(&why);
	CHECK_INT(0, crm_alert_why(&why, &al, &al.list.ptr[0]));
	CHECK_STR("over the 30-day limit", why.ptr);
	crm_buf_release(&why);
	crm_alerts_release(&al);
}

static void test_automation__cleanup(void)
{
	crm_automation_release(&autos);
	CHECK_INT(0, fixture_cleanup(&fx));
}

TESTS(TEST(test_automation__load), TEST(test_automation__refusals),
      TEST(test_automation__stage_missing), TEST(test_automation__assign),
      TEST(test_automation__change_json_hostile), TEST(test_automation__alerts),
      TEST(test_automation__cleanup))
