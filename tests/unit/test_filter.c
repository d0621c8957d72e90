/* Unit tests of the filter language and sorting (src/core/filter.c) on a
 * small data repository the test writes itself: money across EUR, USD and
 * PLN, stage order, periods and ranges, tags, free text in Polish and
 * Chinese, negation and NULLs, lookups, formulas, list entries, errors. */
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/error.h"
#include "crm/filter.h"
#include "crm/index.h"
#include "harness.h"

static char root[] = "/tmp/crm-test-filter-XXXXXX";
static struct crm_repo repo;
static struct crm_index *idx;

static const struct { const char *path, *text; } files[] = {
	{ "crm.ini",
	  "[crm]\ncurrency = EUR\ntimezone = UTC\n"
	  "[stage \"lead\"]\nprobability = 10\n"
	  "[stage \"proposal-sent\"]\nprobability = 50\n"
	  "[stage \"negotiation\"]\nprobability = 70\n"
	  "[stage \"won\"]\nprobability = 100\noutcome = won\n"
	  "[stage \"lost\"]\nprobability = 0\noutcome = lost\n"
	  "[rate \"USD\"]\nvalue = 0.92\n"
	  "[rate \"PLN\"]\nvalue = 0.23\n" },
	{ "schema/client.yaml",
	  "type: client\nfolder: clients\nfields:\n"
	  "  name:  {type: text, required: true}\n"
	  "  city:  {type: text}\n"
	  "  email: {type: email}\n"
	  "  size:  {type: enum, values: [small, medium, large]}\n"
	  "  tags:  {type: tags}\n" },
	{ "schema/opportunity.yaml",
	  "type: opportunity\nfolder: opportunities\nfields:\n"
	  "  title:       {type: text, required: true}\n"
	  "  client:      {type: ref, to: client, required: true}\n"
	  "  client_name: {type: lookup, via: client, field: name}\n"
	  "  client_size: {type: lookup, via: client, field: size}\n"
	  "  stage:       {type: stage, required: true}\n"
	  "  amount:      {type: money}\n"
	  "  cost:        {type: money}\n"
	  "  profit:      {type: formula, expr: \"amount - cost\"}\n"
	  "  discount:    {type: percent}\n"
	  "  confidence:  {type: rating, max: 5}\n"
	  "  expected_close: {type: date}\n"
	  "  meeting:     {type: datetime}\n"
	  "  source:      {type: enum, values: [referral, website, cold-call]}\n"
	  "  owner:       {type: user}\n"
	  "  created:     {type: date}\n"
	  "  tags:        {type: tags}\n"
	  "  history:\n    type: list\n    fields:\n"
	  "      date:  {type: date}\n      stage: {type: stage}\n" },
	{ "clients/lodz-studio.yaml",
	  "name: Łódź Studio Projektowe\ncity: Łódź\nsize: small\ntags: [design, polska]\n" },
	{ "clients/c-7k2m9q.yaml",
	  "name: 北京青云科技\ncity: 北京\nemail: info@qingyun.cn\nsize: large\n" },
	{ "clients/acme-corp.yaml", "name: Acme Corp\nemail: hello@acme.com\nsize: medium\n" },
	/* 45000 PLN = 10350 EUR; profit 33000 PLN = 7590 EUR */
	{ "opportunities/2025/lodz-brand.yaml",
	  "title: Identyfikacja wizualna\nclient: lodz-studio\nstage: proposal-sent\n"
	  "amount: \"45000.00 PLN\"\ncost: \"12000.00 PLN\"\ndiscount: 10%\nconfidence: 3\n"
	  "expected_close: 2025-04-30\ncreated: 2025-04-15\ntags: [branding]\n" },
	/* 20000 USD = 18400 EUR; profit 15000 USD = 13800 EUR */
	{ "opportunities/2025/qingyun-site.yaml",
	  "title: 青云 website\nclient: c-7k2m9q\nstage: negotiation\n"
	  "amount: \"20000.00 USD\"\ncost: \"5000.00 USD\"\ndiscount: 5%\nconfidence: 4\n"
	  "expected_close: 2025-03-31\nmeeting: 2025-03-10T09:30+08:00\nsource: website\n"
	  "owner: Bob\ncreated: 2025-03-01\ntags: [website, SEO]\n" },
	/* a bare amount is in the base currency */
	{ "opportunities/acme-seo.yaml",
	  "title: SEO retainer\nclient: acme-corp\nstage: lead\namount: 6000\n"
	  "source: referral\ncreated: 2024-12-20\ntags: [seo]\n" },
	/* 10000 USD = 9200 EUR */
	{ "opportunities/cafe-ads.yaml",
	  "title: Zażółć gęślą jaźń ads\nclient: acme-corp\nstage: won\n"
	  "amount: \"10000.00 USD\"\ncost: \"2000.00 USD\"\nexpected_close: 2025-02-28\n"
	  "created: 2025-02-01\ntags: []\nhistory:\n"
	  "  - {date: 2025-02-01, stage: lead}\n  - {date: 2025-02-20, stage: won}\n" },
	/* no amount at all */
	{ "opportunities/empty-deal.yaml",
	  "title: Bez kwoty\nclient: lodz-studio\nstage: lost\ncreated: 2025-01-10\n" },
};

static void write_file(const char *rel, const char *text)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f)) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
}

static void test_filter__load(void)
{
	struct crm_index_options o = CRM_INDEX_OPTIONS_INIT;
	char schema_dir[512];
	size_t i;

	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(1);
	}
	for (i = 0; i < sizeof(files) / sizeof(*files); i++)
		write_file(files[i].path, files[i].text);
	/* the tool's own schemas stay out: the test reads only what it wrote */
	snprintf(schema_dir, sizeof(schema_dir), "%s/schema", root);
	setenv("CRM_SCHEMA_DIR", schema_dir, 1);
	setenv("CRM_TODAY", "2025-06-01", 1);
	o.git_dates = false;
	if (crm_repo_open(&repo, root) || crm_index_load(&idx, &repo, &o)) {
		fprintf(stderr, "cannot load %s: %s\n", root, crm_error_last());
		exit(1);
	}
	CHECK_INT(0, repo.diags.list.len);
	CHECK_INT(0, crm_index_diags(idx)->list.len);
}

/* The ids that match, in path order, space-separated; or the error. */
static const char *matches_n(const char *type, const char *const *terms, size_t n)
{
	static char out[512];
	struct crm_filter *f = NULL;
	struct crm_record **recs;
	size_t nrec, i, len = 0;
	int err;

	out[0] = '\0';
	err = crm_filter_parse(&f, idx, crm_repo_schema(&repo, type), terms, n);
	if (err) {
		snprintf(out, sizeof(out), "error %d: %s", err, crm_error_last());
		return out;
	}
	recs = crm_index_records(idx, type, &nrec);
	for (i = 0; i < nrec; i++) {
		if (crm_filter_match(f, idx, recs[i]))
			len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s",
						len ? " " : "", recs[i]->id);
	}
	crm_filter_free(f);
	return out;
}

static const char *opp(const char *t1, const char *t2)
{
	const char *terms[2] = { t1, t2 };
	return matches_n("opportunity", terms, t2 ? 2 : 1);
}

static const char *client(const char *t)
{
	return matches_n("client", &t, 1);
}

static void test_filter__path_order_and_no_terms(void)
{
	CHECK_STR("lodz-brand qingyun-site acme-seo cafe-ads empty-deal",
		  matches_n("opportunity", NULL, 0));
}

static void test_filter__money_across_currencies(void)
{
	CHECK_STR("lodz-brand qingyun-site", opp("amount>10000", NULL));
	CHECK_STR("qingyun-site", opp("amount>=18400", NULL));
	CHECK_STR("", opp("amount>18400", NULL));
	/* 20000 USD is 18400 EUR: the PLN, EUR and smaller USD deals */
	CHECK_STR("lodz-brand acme-seo cafe-ads", opp("amount<20000 USD", NULL));
	CHECK_STR("cafe-ads", opp("amount=10000 USD", NULL));
	CHECK_STR("cafe-ads", opp("amount=9200", NULL));
	CHECK_STR("acme-seo", opp("amount==6000.00", NULL));
	/* a range; a bare end takes the other end's currency */
	CHECK_STR("lodz-brand cafe-ads", opp("amount=9000..11000", NULL));
	CHECK_STR("cafe-ads", opp("amount=9000..11000 USD", NULL));
	CHECK_STR("lodz-brand qingyun-site", opp("amount=10000..", NULL));
	CHECK_STR("error -10: filter 'amount>5000 GBP': no rate for GBP in crm.ini",
		  opp("amount>5000 GBP", NULL));
	CHECK_STR("error -10: filter 'amount>2000..': the range has no end to compare with",
		  opp("amount>2000..", NULL));
}

static void test_filter__nulls_match_only_negated_terms(void)
{
	CHECK_STR("lodz-brand qingyun-site cafe-ads", opp("amount!=6000", NULL));
	CHECK_STR("empty-deal", opp("-amount>0", NULL));
	CHECK_STR("lodz-brand cafe-ads", opp("expected_close!=2025-03", NULL));
	CHECK_STR("lodz-brand acme-seo cafe-ads empty-deal", opp("-expected_close=2025-03", NULL));
	CHECK_STR("lodz-brand qingyun-site", opp("!stage=won", "amount>9000"));
	/* an empty list is as absent as a missing one */
	CHECK_STR("lodz-brand", opp("tags!=seo", NULL));
	CHECK_STR("cafe-ads empty-deal", opp("-tags~s", "-tags~b"));
}

static void test_filter__stage_order(void)
{
	CHECK_STR("lodz-brand qingyun-site cafe-ads empty-deal", opp("stage>=proposal-sent", NULL));
	CHECK_STR("acme-seo", opp("stage<proposal-sent", NULL));
	CHECK_STR("lodz-brand qingyun-site", opp("stage=proposal-sent..negotiation", NULL));
	CHECK_STR("cafe-ads", opp("stage:won", NULL));
	CHECK_STR("qingyun-site", opp("stage~GOT", NULL));
	CHECK_STR("error -10: filter 'stage=negotiatoin': unknown stage 'negotiatoin' "
		  "(did you mean 'negotiation'?)", opp("stage=negotiatoin", NULL));
	CHECK_STR("error -10: filter 'stage>xyz': unknown stage 'xyz' (crm.ini lists the stages)",
		  opp("stage>xyz", NULL));
	CHECK_STR("cafe-ads", opp("outcome=won", NULL));
	CHECK_STR("lodz-brand qingyun-site acme-seo", opp("outcome=OPEN", NULL));
	CHECK_STR("error -10: filter 'outcome=wn': 'wn' is not a value of 'outcome' "
		  "(did you mean 'won'?)", opp("outcome=wn", NULL));
}

static void test_filter__tags(void)
{
	CHECK_STR("qingyun-site acme-seo", opp("tag:seo", NULL));
	CHECK_STR("qingyun-site acme-seo", opp("tags:SEO", NULL));
	CHECK_STR("lodz-brand cafe-ads empty-deal", opp("-tag:seo", NULL));
	CHECK_STR("qingyun-site", opp("tags~web", NULL));
	CHECK_STR("lodz-studio", client("tag:polska"));
	CHECK_STR("error -10: filter 'tags>seo': 'tags' is a list; use 'tags:value' or "
		  "'tags~text'", opp("tags>seo", NULL));
}

static void test_filter__free_text(void)
{
	/* case folding beyond ASCII, accents kept */
	CHECK_STR("lodz-studio", client("ŁÓDŹ"));
	CHECK_STR("cafe-ads", opp("ŻÓŁĆ", NULL));
	CHECK_STR("qingyun-site", opp("青云", NULL));
	/* ids, ref fields, emails, enum values and tag items count */
	CHECK_STR("lodz-studio", client("lodz"));
	CHECK_STR("acme-seo cafe-ads", opp("acme", NULL));
	CHECK_STR("c-7k2m9q", client("QINGYUN.CN"));
	CHECK_STR("c-7k2m9q", client("large"));
	CHECK_STR("lodz-studio", client("polska"));
	/* several terms are ANDed, a negated free text excludes */
	CHECK_STR("cafe-ads", opp("acme", "-seo"));
	/* not a field name: free text, not an unknown field */
	CHECK_STR("", opp("Zażółć:x", NULL));
	CHECK_STR("error -10: empty filter term '-'", opp("-", NULL));
}

static void test_filter__text_fields(void)
{
	CHECK_STR("c-7k2m9q", client("name~青云"));
	CHECK_STR("lodz-studio", client("city=łódź"));
	CHECK_STR("lodz-studio", client("city:ŁÓDŹ"));
	CHECK_STR("acme-corp c-7k2m9q", client("-city=Łódź"));
	CHECK_STR("c-7k2m9q", client("city!=Łódź"));
	CHECK_STR("acme-seo", opp("id=acme-seo", NULL));
	CHECK_STR("lodz-brand cafe-ads empty-deal", opp("id~D", NULL));
	CHECK_STR("acme-seo cafe-ads", opp("client=acme-corp", NULL));
	CHECK_STR("qingyun-site", opp("owner:bob", NULL));
	/* the first operator character decides: '~' here, '=' is in the value */
	CHECK_STR("", opp("title~a=b", NULL));
	CHECK_STR("lodz-brand", opp("title~wizual", NULL));
	CHECK_STR("acme-seo", opp("source=Referral", NULL));
	CHECK_STR("error -10: filter 'source=referal': 'referal' is not a value of 'source' "
		  "(did you mean 'referral'?)", opp("source=referal", NULL));
}

static void test_filter__periods(void)
{
	CHECK_STR("lodz-brand", opp("created=2025-04", NULL));
	CHECK_STR("lodz-brand qingyun-site cafe-ads empty-deal", opp("created=2025", NULL));
	CHECK_STR("acme-seo", opp("created<2025", NULL));
	CHECK_STR("lodz-brand qingyun-site", opp("created=2025-03..2025-04", NULL));
	CHECK_STR("lodz-brand", opp("created>2025-03", NULL));
	CHECK_STR("qingyun-site", opp("created=2025-03-01", NULL));
	CHECK_STR("lodz-brand qingyun-site", opp("created>=2025-03", NULL));
	CHECK_STR("acme-seo cafe-ads empty-deal", opp("created=..2025-02", NULL));
	CHECK_STR("lodz-brand qingyun-site", opp("created=2025-03..", NULL));
	CHECK_STR("qingyun-site cafe-ads", opp("expected_close<=2025-03", NULL));
	CHECK_STR("lodz-brand qingyun-site", opp("expected_close>2025-02", NULL));
	/* a datetime by the date it was written with, or against an instant */
	CHECK_STR("qingyun-site", opp("meeting=2025-03-10", NULL));
	CHECK_STR("qingyun-site", opp("meeting>2025-03-10T01:00Z", NULL));
	CHECK_STR("", opp("meeting>2025-03-10T02:00Z", NULL));
	/* dates as people type them, from today (2025-06-01, a Sunday) */
	CHECK_STR("qingyun-site cafe-ads empty-deal", opp("created=2025-Q1", NULL));
	CHECK_STR("qingyun-site cafe-ads empty-deal", opp("created:last-quarter", NULL));
	CHECK_STR("qingyun-site cafe-ads empty-deal", opp("created:last quarter", NULL));
	CHECK_STR("lodz-brand", opp("created=this-quarter", NULL));
	CHECK_STR("qingyun-site acme-seo cafe-ads empty-deal", opp("created<this-quarter", NULL));
	CHECK_STR("lodz-brand", opp("created>2025-Q1", NULL));
	CHECK_STR("acme-seo", opp("created=2024", NULL));
	CHECK_STR("qingyun-site", opp("created=2025-W09", NULL));
	CHECK_STR("lodz-brand qingyun-site cafe-ads", opp("expected_close<today", NULL));
	CHECK_STR("lodz-brand", opp("created>-3m", NULL));
	CHECK_STR("lodz-brand qingyun-site", opp("created=-3m..today", NULL));
	CHECK_STR("", opp("expected_close>=tomorrow", NULL));
	CHECK_STR("qingyun-site", opp("meeting<eom", NULL));
	CHECK_STR("qingyun-site", opp("meeting<Next-Thursday", NULL));
	CHECK_STR("error -10: filter 'created=last quartr': invalid date 'last quartr' at "
		  "column 6: expected week, month, quarter or year",
		  opp("created=last quartr", NULL));
	CHECK_STR("error -10: filter 'created=2025-13': invalid date '2025-13' at column 6: "
		  "month out of range (01..12)", opp("created=2025-13", NULL));
	CHECK_STR("error -10: filter 'created>20x5': invalid date '20x5' at column 1: write "
		  "a date as 2025-03-31, today, tomorrow, +3d, -2w, +1m, fri, next mon, last "
		  "fri or eom", opp("created>20x5", NULL));
	CHECK_STR("error -10: filter 'created=2025-1x': invalid date '2025-1x' at column 6: "
		  "expected YYYY-MM-DD", opp("created=2025-1x", NULL));
	CHECK_STR("error -10: filter 'created=..': a range needs at least one end",
		  opp("created=..", NULL));
	CHECK_STR("error -10: filter 'created~2025': '~' needs a text field, and 'created' "
		  "is date", opp("created~2025", NULL));
}

static void test_filter__numbers(void)
{
	CHECK_STR("lodz-brand", opp("discount>=10%", NULL));
	CHECK_STR("qingyun-site", opp("discount<7.5%", NULL));
	CHECK_STR("qingyun-site", opp("confidence>=4", NULL));
	CHECK_STR("lodz-brand qingyun-site", opp("confidence=3..4", NULL));
	CHECK_STR("error -10: filter 'discount>5': '5' is not a percentage (write it as 15%)",
		  opp("discount>5", NULL));
	CHECK_STR("error -10: filter 'confidence>=abc': rating 'abc' must be a whole number",
		  opp("confidence>=abc", NULL));
}

static void test_filter__lookups_formulas_and_entries(void)
{
	CHECK_STR("qingyun-site", opp("client_name~青云", NULL));
	CHECK_STR("lodz-brand empty-deal", opp("client_name=łódź studio projektowe", NULL));
	CHECK_STR("qingyun-site", opp("client_size=large", NULL));
	CHECK_STR("error -10: filter 'client_size=huge': 'huge' is not a value of "
		  "'client_size'", opp("client_size=huge", NULL));
	/* profit is money from a formula: 7590, 13800 and 7360 EUR */
	CHECK_STR("qingyun-site", opp("profit>10000", NULL));
	CHECK_STR("lodz-brand qingyun-site", opp("profit>7500", NULL));
	CHECK_STR("lodz-brand", opp("profit=33000 PLN", NULL));
	CHECK_STR("cafe-ads", opp("history.stage=won", NULL));
	CHECK_STR("cafe-ads", opp("history.date=2025-02", NULL));
	CHECK_STR("lodz-brand qingyun-site acme-seo empty-deal", opp("-history.stage=lead", NULL));
	CHECK_STR("error -10: unknown field 'history.stag' (did you mean 'history.stage'?)",
		  opp("history.stag=won", NULL));
	CHECK_STR("error -10: field 'history' is a list: filter on a field of its entries, "
		  "as in 'history.date'", opp("history=x", NULL));
}

static void test_filter__errors(void)
{
	CHECK_STR("error -10: unknown field 'amout' (did you mean 'amount'?)",
		  opp("amout>5", NULL));
	CHECK_STR("error -10: unknown field 'outcom' (did you mean 'outcome'?)",
		  opp("outcom=won", NULL));
	CHECK_STR("error -10: unknown field 'xyzzy' (opportunity has no such field)",
		  opp("xyzzy=1", NULL));
	CHECK_STR("error -10: filter 'amount>lots': invalid money 'lots': 'lots' is not a number",
		  opp("amount>lots", NULL));
	CHECK_STR("error -10: filter 'stage=': no value after '='", opp("stage=", NULL));
	/* the second term is bad: the first one's parse is freed, nothing leaks */
	CHECK_STR("error -10: unknown field 'amout' (did you mean 'amount'?)",
		  opp("amount>5", "amout<3"));
}

static const char *sorted(const char *spec, int *err)
{
	static char out[512];
	struct crm_record **all, *recs[16];
	size_t n, i, len = 0;

	all = crm_index_records(idx, "opportunity", &n);
	for (i = 0; i < n && i < 16; i++)
		recs[i] = all[i];
	out[0] = '\0';
	*err = crm_records_sort(recs, n, idx, crm_repo_schema(&repo, "opportunity"), spec);
	for (i = 0; !*err && i < n; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", len ? " " : "",
					recs[i]->id);
	return *err ? crm_error_last() : out;
}

static void test_filter__sort(void)
{
	int err;
	/* 18400, 10350, 9200, 6000 EUR; no amount last when descending */
	CHECK_STR("qingyun-site lodz-brand cafe-ads acme-seo empty-deal", sorted("-amount", &err));
	CHECK_INT(0, err);
	CHECK_STR("empty-deal acme-seo cafe-ads lodz-brand qingyun-site", sorted("amount", &err));
	/* text case-folded: "Bez", "Identyfikacja", "SEO", "Zażółć", "青云" */
	CHECK_STR("empty-deal lodz-brand acme-seo cafe-ads qingyun-site", sorted("title", &err));
	CHECK_STR("acme-seo lodz-brand qingyun-site cafe-ads empty-deal", sorted("stage", &err));
	/* ties keep path order; several keys */
	CHECK_STR("lodz-brand cafe-ads empty-deal acme-seo qingyun-site", sorted("source", &err));
	CHECK_STR("empty-deal cafe-ads lodz-brand acme-seo qingyun-site",
		  sorted("source,amount", &err));
	CHECK_STR("acme-seo empty-deal cafe-ads qingyun-site lodz-brand", sorted("created", &err));
	/* lookups and formulas: 13800, 7590, 7360 EUR, then no profit */
	CHECK_STR("empty-deal lodz-brand acme-seo cafe-ads qingyun-site",
		  sorted("-client_size,id", &err));
	CHECK_STR("qingyun-site lodz-brand cafe-ads acme-seo empty-deal",
		  sorted("-profit,id", &err));
	CHECK_STR("cannot sort by unknown field 'amout' (did you mean 'amount'?)",
		  sorted("amout", &err));
	CHECK_INT(CRM_EUSAGE, err);
	CHECK_STR("empty field in sort order 'title,'", sorted("title,", &err));
	CHECK_INT(CRM_EUSAGE, err);
	CHECK_STR("cannot sort by 'tags': it holds a list", sorted("tags", &err));
}

static void test_filter__value_compare(void)
{
	struct crm_value a = CRM_VALUE_NULL, b = CRM_VALUE_NULL;

	CHECK_INT(0, crm_value_compare(idx, &a, &b));
	b.kind = CRM_V_NUMBER;
	b.u.num = crm_dec_from_int(-5);
	CHECK_INT(-1, crm_value_compare(idx, &a, &b));
	CHECK_INT(1, crm_value_compare(idx, &b, &a));
	a.kind = b.kind = CRM_V_MONEY;
	crm_money_parse(&a.u.money, "100.00 USD", NULL);
	crm_money_parse(&b.u.money, "92.00 EUR", NULL);
	CHECK_INT(0, crm_value_compare(idx, &a, &b));
	crm_money_parse(&b.u.money, "92.01 EUR", NULL);
	CHECK_INT(-1, crm_value_compare(idx, &a, &b));
	crm_money_parse(&b.u.money, "91.99 EUR", NULL);
	CHECK_INT(1, crm_value_compare(idx, &a, &b));
	crm_money_parse(&b.u.money, "400.00 PLN", NULL);   /* 92.00 EUR as well */
	CHECK_INT(0, crm_value_compare(idx, &a, &b));
	crm_money_parse(&b.u.money, "100.01 USD", NULL);   /* same currency: exact */
	CHECK_INT(-1, crm_value_compare(idx, &a, &b));
	crm_money_parse(&b.u.money, "1.00 GBP", NULL);     /* no rate: after the rest */
	CHECK_INT(-1, crm_value_compare(idx, &a, &b));
	a.kind = b.kind = CRM_V_TEXT;
	a.u.text = "ŁÓDŹ";
	b.u.text = "łódź";
	CHECK_INT(0, crm_value_compare(idx, &a, &b));
	a.u.text = "apple";
	b.u.text = "Banana";
	CHECK_INT(-1, crm_value_compare(idx, &a, &b));
	a.kind = CRM_V_DATE;
	a.u.date = crm_date_from_ymd(2025, 1, 1);
	CHECK_INT(-1, crm_value_compare(idx, &a, &b));   /* dates before text */
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void test_filter__cleanup(void)
{
	crm_index_free(idx);
	crm_repo_release(&repo);
	CHECK_INT(0, nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS));
}

TESTS(TEST(test_filter__load), TEST(test_filter__path_order_and_no_terms),
      TEST(test_filter__money_across_currencies),
      TEST(test_filter__nulls_match_only_negated_terms), TEST(test_filter__stage_order),
      TEST(test_filter__tags), TEST(test_filter__free_text), TEST(test_filter__text_fields),
      TEST(test_filter__periods), TEST(test_filter__numbers),
      TEST(test_filter__lookups_formulas_and_entries), TEST(test_filter__errors),
      TEST(test_filter__sort), TEST(test_filter__value_compare), TEST(test_filter__cleanup))
