/* Unit tests of the one reading of a deal (src/core/figures/deal.c) on a
 * small repository the test writes itself: stage and outcome from crm.ini,
 * the close date from `closed` (date or datetime) else the latest history
 * date, none for an open deal, and history in date order. */
#include <stdlib.h>

#include "crm/deal.h"
#include "crm/error.h"
#include "crm/index.h"
#include "fixture.h"
#include "harness.h"

static struct fixture fx;

static const struct fixture_file files[] = {
	{ "crm.ini",
	  "[crm]\ncurrency = EUR\ntimezone = UTC\n"
	  "[stage \"lead\"]\nprobability = 10\n"
	  "[stage \"proposal\"]\nprobability = 50\n"
	  "[stage \"won\"]\nprobability = 100\noutcome = won\n"
	  "[stage \"lost\"]\nprobability = 0\noutcome = lost\n"
	  "[stage \"void\"]\nprobability = 0\noutcome = void\n"
	  "[rate \"USD\"]\nvalue = 0.92\n" },
	{ "schema/client.yaml",
	  "type: client\nfolder: clients\nfields:\n  name:  {type: text, required: true}\n" },
	{ "schema/opportunity.yaml",
	  "type: opportunity\nfolder: opportunities\nfields:\n"
	  "  title:   {type: text, required: true}\n"
	  "  client:  {type: ref, to: client, required: true}\n"
	  "  stage:   {type: stage, required: true}\n"
	  "  amount:  {type: money}\n"
	  "  owner:   {type: user}\n"
	  "  created: {type: date}\n"
	  "  closed:  {type: datetime}\n"
	  "  history:\n    type: list\n    fields:\n"
	  "      date:  {type: date}\n      stage: {type: stage}\n" },
	{ "clients/acme.yaml", "name: Acme\n" },
	/* closed as a datetime: its day, not the history's */
	{ "opportunities/a-won.yaml",
	  "title: A\nclient: acme\nstage: won\namount: \"100.00 USD\"\ncreated: 2025-01-01\n"
	  "closed: 2025-03-05T10:00\nhistory:\n"
	  "  - {date: 2025-01-01, stage: lead}\n  - {date: 2025-02-01, stage: won}\n" },
	/* no closed field: the latest history date, though written first */
	{ "opportunities/b-lost.yaml",
	  "title: B\nclient: acme\nstage: lost\ncreated: 2025-01-01\nhistory:\n"
	  "  - {date: 2025-02-20, stage: lost}\n  - {date: 2025-02-01, stage: proposal}\n"
	  "  - {date: 2025-02-10, stage: nowhere}\n" },
	/* an open deal has no close date, whatever `closed` says */
	{ "opportunities/c-open.yaml",
	  "title: C\nclient: acme\nstage: proposal\ncreated: 2025-01-01\nclosed: 2025-02-01\n" },
	/* a stage crm.ini does not know counts as open */
	{ "opportunities/d-odd.yaml",
	  "title: D\nclient: acme\nstage: limbo\ncreated: 2025-01-01\n" },
	{ "opportunities/e-void.yaml",
	  "title: E\nclient: acme\nstage: void\ncreated: 2025-01-01\nclosed: 2025-04-01\n" },
};

static void test_deal__load(void)
{
	fixture_load(&fx, "deal", files, sizeof(files) / sizeof(*files), NULL, false);
}

static struct crm_deal deal_of(const char *id)
{
	struct crm_deal d;
	struct crm_record *rec = crm_index_find(fx.idx, "opportunity", id);

	memset(&d, 0, sizeof(d));
	CHECK(rec != NULL);
	if (rec)
		crm_deal_read(&d, fx.idx, rec);
	return d;
}

static void test_deal__closed_datetime_wins_over_history(void)
{
	struct crm_deal d = deal_of("a-won");
	char amount[32];

	CHECK_INT(CRM_OUTCOME_WON, d.outcome);
	CHECK_STR("won", d.stage->name);
	CHECK_INT(2, d.stage_pos);
	CHECK(d.has_closed);
	CHECK_INT(crm_date_from_ymd(2025, 3, 5), d.closed);
	CHECK(d.has_amount);
	crm_dec_format(amount, sizeof(amount), d.amount);
	CHECK_STR("92.00", amount);
}

static void test_deal__closed_from_latest_history_date(void)
{
	struct crm_deal d = deal_of("b-lost");

	CHECK_INT(CRM_OUTCOME_LOST, d.outcome);
	CHECK(d.has_closed);
	CHECK_INT(crm_date_from_ymd(2025, 2, 20), d.closed);
	CHECK_INT(crm_date_from_ymd(2025, 2, 20), d.last_touch);
	CHECK(!d.has_amount);
}

static void test_deal__open_has_no_close_date(void)
{
	struct crm_deal d = deal_of("c-open"), odd = deal_of("d-odd"), v = deal_of("e-void");

	CHECK_INT(CRM_OUTCOME_OPEN, d.outcome);
	CHECK(!d.has_closed);
	CHECK(odd.stage == NULL);
	CHECK_INT(CRM_OUTCOME_OPEN, odd.outcome);
	CHECK(!odd.has_closed);
	CHECK_INT(CRM_OUTCOME_VOID, v.outcome);
	CHECK(v.has_closed);
	CHECK_INT(crm_date_from_ymd(2025, 4, 1), v.closed);
}

static void test_deal__history_in_date_order_known_stages(void)
{
	struct crm_record *rec = crm_index_find(fx.idx, "opportunity", "b-lost");
	struct crm_deal_step steps[4];
	size_t n;

	CHECK_INT(3, crm_deal_history_size(rec));
	n = crm_deal_history(steps, &fx.repo.config, rec);
	CHECK_INT(2, n);
	CHECK_INT(crm_date_from_ymd(2025, 2, 1), steps[0].date);
	CHECK_INT(1, steps[0].stage);
	CHECK_INT(crm_date_from_ymd(2025, 2, 20), steps[1].date);
	CHECK_INT(3, steps[1].stage);
}

static void test_deal__cleanup(void)
{
	CHECK_INT(0, fixture_cleanup(&fx));
}

TESTS(TEST(test_deal__load), TEST(test_deal__closed_datetime_wins_over_history),
      TEST(test_deal__closed_from_latest_history_date), TEST(test_deal__open_has_no_close_date),
      TEST(test_deal__history_in_date_order_known_stages), TEST(test_deal__cleanup))
