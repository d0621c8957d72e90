/* Unit tests of src/core/score.c: crm.ini's [score] terms parsed (and
 * refused), the computed field added to the scored type, and a record's
 * score summed term by term with missing fields contributing nothing. */
#include <string.h>

#include "crm/index.h"
#include "crm/score.h"
#include "fixture.h"
#include "harness.h"

static void test_score__terms_parse(void)
{
	struct crm_score_term t;

	CHECK_INT(0, crm_score_parse_term(&t, "source.referral", "20"));
	CHECK_INT(CRM_SCORE_EQUALS, t.kind);
	CHECK_STR("referral", t.value);
	CHECK_INT(20, t.points);
	CHECK_INT(0, crm_score_parse_term(&t, "amount.per", "1000 EUR : 2"));
	CHECK_INT(CRM_SCORE_PER, t.kind);
	CHECK_STR("EUR", t.per.currency);
	CHECK_INT(2, t.points);
	CHECK_INT(0, crm_score_parse_term(&t, "recency.30", " -5 "));
	CHECK_INT(CRM_SCORE_RECENCY, t.kind);
	CHECK_INT(30, t.days);
	CHECK_INT(-5, t.points);
	CHECK_INT(0, crm_score_parse_term(&t, "activities", "3"));
	CHECK_INT(CRM_SCORE_ACTIVITIES, t.kind);
	CHECK_INT(CRM_EINVALID, crm_score_parse_term(&t, "nodot", "3"));
	CHECK_INT(CRM_EINVALID, crm_score_parse_term(&t, "a.b", "3.5"));
	CHECK_INT(CRM_EINVALID, crm_score_parse_term(&t, "a.per", "0 EUR : 1"));
	CHECK_INT(CRM_EINVALID, crm_score_parse_term(&t, "recency.x", "1"));
	CHECK_INT(CRM_EINVALID, crm_score_parse_term(&t, "a.b", "99999999999999999999"));
}

static struct fixture fx;

static const struct fixture_file files[] = {
	{ "crm.ini",
	  "[crm]\ncurrency = EUR\n"
	  "[stage \"lead\"]\nprobability = 10\n"
	  "[score \"deal\"]\nsource.referral = 7\namount.per = 100 EUR : 1\n"
	  "activities = 2\nrecency.10 = 4\nrecency.100 = 1\n" },
	{ "schema/deal.yaml",
	  "type: deal\nfolder: deals\nfields:\n"
	  "  title:  {type: text}\n  source: {type: text}\n  amount: {type: money}\n" },
	{ "schema/activity.yaml",
	  "type: activity\nfolder: activities\nfields:\n"
	  "  date:  {type: date}\n  about: {type: ref, to: any}\n" },
	{ "deals/a.yaml", "title: A\nsource: Referral\namount: 250.00 EUR\n" },
	{ "deals/b.yaml", "title: B\n" },
	{ "activities/x.yaml", "date: 2025-05-25\nabout: deal/a\n" },
	{ "activities/y.yaml", "date: 2025-01-01\nabout: deal/a\n" },
};

static void test_score__load(void)
{
	fixture_load(&fx, "score", files, sizeof(files) / sizeof(*files), NULL, true);
}

static void test_score__field_added_and_summed(void)
{
	const struct crm_schema *s = crm_repo_schema(&fx.repo, "deal");
	const struct crm_field *f = crm_schema_field(s, "score");
	crm_score_parts parts = CRM_ARRAY_INIT;
	int64_t total = -1;

	CHECK(f && f->score);
	CHECK(crm_field_is_computed(f));
	CHECK_INT(0, crm_score_compute(&total, fx.idx, crm_index_find(fx.idx, "deal", "a"),
				       f->score, &parts));
	/* 7 (referral, any case) + 2 (250 EUR: two whole 100s) + 2 * 2
	 * activities + 4 (the best recency: 7 days) */
	CHECK_INT(17, total);
	CHECK_INT(4, parts.len);
	CHECK_STR("recency.10", parts.ptr[3].key);
	CRM_ARRAY_RELEASE(parts);
	CHECK_INT(0, crm_score_compute(&total, fx.idx, crm_index_find(fx.idx, "deal", "b"),
				       f->score, NULL));
	CHECK_INT(0, total);
	CHECK(!crm_schema_field(crm_repo_schema(&fx.repo, "activity"), "score"));
}

static void test_score__cleanup(void)
{
	CHECK_INT(0, fixture_cleanup(&fx));
}

TESTS(TEST(test_score__terms_parse), TEST(test_score__load),
      TEST(test_score__field_added_and_summed), TEST(test_score__cleanup))
