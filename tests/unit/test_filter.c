/* Unit tests of the filter language and sorting (src/core/filter.c) on
 * tests/data/small: money across currencies, stage order, periods, tags,
 * free text in several scripts, negation and the errors for bad terms. */
#include <stdlib.h>

#include "crm/error.h"
#include "crm/filter.h"
#include "crm/index.h"
#include "harness.h"

static struct crm_repo repo;
static struct crm_index *idx;

static void load(void)
{
	struct crm_index_options o = CRM_INDEX_OPTIONS_INIT;
	o.git_dates = false;
	setenv("CRM_TODAY", "2025-06-01", 1);
	if (crm_repo_open(&repo, CRM_SRCDIR "/tests/data/small") ||
	    crm_index_load(&idx, &repo, &o)) {
		fprintf(stderr, "cannot load tests/data/small: %s\n", crm_error_last());
		exit(1);
	}
}

/* The ids that match, in path order, space-separated. */
static const char *matches(const char *type, const char *t1, const char *t2)
{
	static char out[512];
	const char *terms[2] = { t1, t2 };
	struct crm_filter *f = NULL;
	struct crm_record **recs;
	size_t n, i, len = 0;

	out[0] = '\0';
	if (crm_filter_parse(&f, idx, crm_repo_schema(&repo, type), terms, t2 ? 2 : 1)) {
		snprintf(out, sizeof(out), "error: %s", crm_error_last());
		return out;
	}
	recs = crm_index_records(idx, type, &n);
	for (i = 0; i < n; i++) {
		if (crm_filter_match(f, idx, recs[i]))
			len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s",
						len ? " " : "", recs[i]->id);
	}
	crm_filter_free(f);
	return out;
}

static void test_filter__money_across_currencies(void)
{
	/* 45000 PLN = 10350 EUR, 20000 USD = 18400 EUR */
	CHECK_STR("lodz-brand qingyun-site", matches("opportunity", "amount>10000", NULL));
	CHECK_STR("qingyun-site", matches("opportunity", "amount>=18400", NULL));
	CHECK_STR("lodz-brand", matches("opportunity", "amount<20000 USD", "amount>=10350"));
	CHECK_STR("cafe-ads acme-seo", matches("opportunity", "amount<10000", NULL));
}

static void test_filter__stage_order(void)
{
	CHECK_STR("cafe-ads lodz-brand qingyun-site",
		  matches("opportunity", "stage>=proposal", NULL));
	CHECK_STR("acme-seo", matches("opportunity", "stage<proposal", NULL));
	CHECK_STR("error: filter 'stage=propsal': unknown stage 'propsal'",
		  matches("opportunity", "stage=propsal", NULL));
}

static void test_filter__periods(void)
{
	CHECK_STR("lodz-brand", matches("opportunity", "created=2025-04", NULL));
	CHECK_STR("cafe-ads lodz-brand qingyun-site acme-seo",
		  matches("opportunity", "created=2025", NULL));
	CHECK_STR("lodz-brand qingyun-site",
		  matches("opportunity", "created=2025-03..2025-04", NULL));
	CHECK_STR("lodz-brand acme-seo", matches("opportunity", "created>2025-03", NULL));
	CHECK_STR("cafe-ads qingyun-site", matches("opportunity", "created=..2025-03-01", NULL));
	CHECK_STR("error: filter 'created=2025-13': '2025-13' is not a date, a month, a year or a range A..B",
		  matches("opportunity", "created=2025-13", NULL));
}

static void test_filter__tags_text_and_negation(void)
{
	CHECK_STR("qingyun-site acme-seo", matches("opportunity", "tag:seo", NULL));
	CHECK_STR("cafe-ads lodz-brand", matches("opportunity", "-tag:seo", NULL));
	CHECK_STR("lodz-brand qingyun-site", matches("opportunity", "!stage=won", "amount>9000"));
	CHECK_STR("lodz-studio", matches("client", "ŁÓDŹ", NULL));
	CHECK_STR("c-7k2m9q", matches("client", "name~青云", NULL));
	CHECK_STR("c-p9x3tm", matches("client", "city=ភ្នំពេញ", NULL));
	CHECK_STR("acme-corp", matches("client", "id=acme-corp", NULL));
	CHECK_STR("qingyun-site", matches("opportunity", "confidence>=4", NULL));
}

static void test_filter__errors(void)
{
	CHECK_STR("error: unknown field 'amout' (did you mean 'amount'?)",
		  matches("opportunity", "amout>5", NULL));
	CHECK_STR("error: filter 'amount>lots': invalid money 'lots': 'lots' is not a number",
		  matches("opportunity", "amount>lots", NULL));
}

static void test_filter__sort(void)
{
	struct crm_record **all, *recs[8];
	size_t n, i;
	all = crm_index_records(idx, "opportunity", &n);
	for (i = 0; i < n; i++)
		recs[i] = all[i];
	CHECK_INT(0, crm_records_sort(recs, n, idx, crm_repo_schema(&repo, "opportunity"),
				      "-amount"));
	CHECK_STR("qingyun-site", recs[0]->id);
	CHECK_STR("lodz-brand", recs[1]->id);
	CHECK_STR("acme-seo", recs[2]->id);
	CHECK_STR("cafe-ads", recs[3]->id);
	CHECK_INT(0, crm_records_sort(recs, n, idx, crm_repo_schema(&repo, "opportunity"),
				      "profit,title"));
	CHECK_STR("acme-seo", recs[0]->id);   /* no profit: nulls first */
	CHECK_INT(CRM_EUSAGE, crm_records_sort(recs, n, idx,
					       crm_repo_schema(&repo, "opportunity"), "amout"));
}

static void test_filter__cleanup(void)
{
	crm_index_free(idx);
	crm_repo_release(&repo);
}

static void test_filter__load(void)
{
	load();
}

TESTS(TEST(test_filter__load), TEST(test_filter__money_across_currencies),
      TEST(test_filter__stage_order), TEST(test_filter__periods),
      TEST(test_filter__tags_text_and_negation), TEST(test_filter__errors),
      TEST(test_filter__sort), TEST(test_filter__cleanup))
