/* Unit tests of fields inside mappings and of the computed follow-ups
 * (src/core/index/followup.c) on a small repository the test writes
 * itself: which names resolve and which are computed, entry values typed
 * by their field, last_activity over a client's deals and contacts, and the
 * open next step (the latest per record wins, done ones drop out, the
 * earliest dated one of a client's wins, an undated one comes last). */
#include <stdlib.h>

#include "crm/error.h"
#include "crm/index.h"
#include "fixture.h"
#include "harness.h"

static struct fixture fx;

static const struct fixture_file files[] = {
	{ "crm.ini",
	  "[crm]\ncurrency = EUR\ntimezone = Europe/Berlin\n"
	  "[stage \"lead\"]\nprobability = 10\n" },
	{ "schema/client.yaml",
	  "type: client\nfolder: clients\nfields:\n  name: {type: text, required: true}\n" },
	{ "schema/contact.yaml",
	  "type: contact\nfolder: contacts\nfields:\n  name: {type: text}\n"
	  "  client: {type: ref, to: client}\n" },
	{ "schema/opportunity.yaml",
	  "type: opportunity\nfolder: opportunities\nfields:\n"
	  "  title: {type: text}\n  client: {type: ref, to: client}\n  stage: {type: stage}\n" },
	/* a product has no follow-ups */
	{ "schema/product.yaml",
	  "type: product\nfolder: products\nfields:\n  name: {type: text}\n" },
	{ "schema/activity.yaml",
	  "type: activity\nfolder: activities\nfields:\n"
	  "  date: {type: datetime}\n  about: {type: ref, to: any}\n"
	  "  next_step:\n    type: map\n    fields:\n"
	  "      date: {type: date}\n      action: {type: text}\n"
	  "      owner: {type: user}\n      done: {type: date}\n" },
	{ "clients/acme.yaml", "name: Acme\n" },
	{ "clients/beta.yaml", "name: Beta\n" },
	{ "clients/quiet.yaml", "name: Quiet\n" },
	{ "contacts/ann.yaml", "name: Ann\nclient: acme\n" },
	{ "opportunities/web.yaml", "title: Web\nclient: acme\nstage: lead\n" },
	{ "products/widget.yaml", "name: Widget\n" },
	/* 23:30 in Berlin on the 20th is the 20th, not UTC's 20th at 22:30 */
	{ "activities/a1.yaml",
	  "date: 2025-05-20T23:30\nabout: client/acme\n"
	  "next_step: {date: 2025-06-10, action: send the proposal, owner: bob}\n" },
	{ "activities/a2.yaml",
	  "date: 2025-05-25T09:00\nabout: opportunity/web\n"
	  "next_step: {date: 2025-06-05, action: call back}\n" },
	{ "activities/a3.yaml", "date: 2025-05-28\nabout: contact/ann\n" },
	/* beta: a later undated step replaces the earlier dated one */
	{ "activities/b1.yaml",
	  "date: 2025-05-01T09:00\nabout: client/beta\nnext_step: {date: 2025-05-05, action: x}\n" },
	{ "activities/b2.yaml",
	  "date: 2025-05-10T09:00\nabout: client/beta\nnext_step: {action: wait}\n" },
	/* a done step of the contact's: none open */
	{ "activities/c1.yaml",
	  "date: 2025-05-02\nabout: contact/ann\n"
	  "next_step: {date: 2025-05-03, action: y, done: 2025-05-04}\n" },
	/* about a record that does not exist: counted nowhere */
	{ "activities/d1.yaml", "date: 2025-05-30\nabout: client/nosuch\n" },
};

static struct crm_buf text = CRM_BUF_INIT;

static void test_followup__load(void)
{
	/* a budget of one byte: every crm_index_trim drops the decoded trees */
	setenv("CRM_TREE_BUDGET", "1", 1);
	fixture_load(&fx, "followup", files, sizeof(files) / sizeof(*files), NULL, false);
}

static struct crm_record *rec(const char *type, const char *id)
{
	struct crm_record *r = crm_index_find(fx.idx, type, id);
	if (!r) {
		fprintf(stderr, "no %s/%s\n", type, id);
		exit(1);
	}
	return r;
}

static const struct crm_schema *schema(const char *type)
{
	return crm_repo_schema(&fx.repo, type);
}

/* The field a name resolves to, "-" for none, "+" appended when computed. */
static const char *field_of(const char *type, const char *name)
{
	static char out[64];
	bool computed = false;
	const struct crm_field *f = crm_index_field(schema(type), name, &computed);

	if (!f)
		return "-";
	snprintf(out, sizeof(out), "%s %s%s", f->name, crm_field_type_name(f->type),
		 computed ? "+" : "");
	return out;
}

static void test_followup__names(void)
{
	CHECK_STR("date date", field_of("activity", "next_step.date"));
	CHECK_STR("owner user", field_of("activity", "next_step.owner"));
	CHECK_STR("next_step map", field_of("activity", "next_step"));
	CHECK_STR("-", field_of("activity", "next_step.when"));
	CHECK_STR("-", field_of("activity", "about.date"));
	CHECK_STR("-", field_of("activity", "last_activity"));
	CHECK_STR("last_activity date+", field_of("client", "last_activity"));
	CHECK_STR("next_step text+", field_of("client", "next_step"));
	CHECK_STR("next_step.date date+", field_of("opportunity", "next_step.date"));
	CHECK_STR("next_step.owner user+", field_of("contact", "next_step.owner"));
	CHECK_STR("-", field_of("client", "next_step.done"));
	CHECK_STR("-", field_of("product", "last_activity"));
	CHECK_STR("name text", field_of("client", "name"));
}

/* A value as text, "null" for none. */
static const char *value_of(const char *type, const char *id, const char *name)
{
	struct crm_value v;

	crm_buf_reset(&text);
	if (crm_index_value(&v, fx.idx, rec(type, id), name))
		return "ENOTFOUND";
	if (v.kind == CRM_V_NULL)
		return "null";
	crm_buf_addf(&text, "%s:", crm_value_kind_name(v.kind));
	crm_value_format(&text, &v);
	return text.ptr;
}

static void test_followup__entries_are_typed(void)
{
	CHECK_STR("date:2025-06-10", value_of("activity", "a1", "next_step.date"));
	CHECK_STR("text:bob", value_of("activity", "a1", "next_step.owner"));
	CHECK_STR("null", value_of("activity", "a3", "next_step.date"));
	CHECK_STR("ENOTFOUND", value_of("activity", "a1", "next_step.when"));
}

/* A deal's own follow-ups come from the pass over the activities alone
 * (the dashboard's stalled deals ask only those); a client asked after
 * them still takes in its deals' and contacts'. */
static void test_followup__a_deal_first(void)
{
	CHECK_STR("text:2025-06-05 call back", value_of("opportunity", "web", "next_step"));
	CHECK_INT(1, crm_index_activity_count(fx.idx, rec("opportunity", "web")));
	CHECK_INT(2, crm_index_activity_count(fx.idx, rec("contact", "ann")));
	CHECK_STR("date:2025-05-28", value_of("client", "acme", "last_activity"));
	CHECK_INT(4, crm_index_activity_count(fx.idx, rec("client", "acme")));
	CHECK_STR("text:2025-06-05 call back", value_of("client", "acme", "next_step"));
}

static void test_followup__last_activity(void)
{
	/* the client's own (the 20th), its deal's (25th), its contact's (28th) */
	CHECK_STR("date:2025-05-28", value_of("client", "acme", "last_activity"));
	CHECK_STR("date:2025-05-25", value_of("opportunity", "web", "last_activity"));
	CHECK_STR("date:2025-05-28", value_of("contact", "ann", "last_activity"));
	CHECK_STR("date:2025-05-10", value_of("client", "beta", "last_activity"));
	CHECK_STR("null", value_of("client", "quiet", "last_activity"));
}

static void test_followup__next_step(void)
{
	struct crm_next_step st;

	/* the deal's step (5 June) comes before the client's own (10 June) */
	CHECK_STR("text:2025-06-05 call back", value_of("client", "acme", "next_step"));
	CHECK_STR("date:2025-06-05", value_of("client", "acme", "next_step.date"));
	CHECK_STR("null", value_of("client", "acme", "next_step.owner"));
	CHECK_INT(true, crm_index_next_step(&st, fx.idx, rec("client", "acme")));
	CHECK_STR("a2", st.activity->id);
	CHECK_STR("call back", st.action);
	/* the later undated step replaced the dated one */
	CHECK_STR("text:wait", value_of("client", "beta", "next_step"));
	CHECK_STR("null", value_of("client", "beta", "next_step.date"));
	/* a done step is no open step */
	CHECK_STR("null", value_of("contact", "ann", "next_step"));
	CHECK_STR("null", value_of("client", "quiet", "next_step"));
	CHECK_INT(false, crm_index_next_step(&st, fx.idx, rec("client", "quiet")));
}

/* They survive the index dropping its decoded trees. */
static void test_followup__after_trim(void)
{
	struct crm_record *acme = rec("client", "acme");

	crm_index_materialize(fx.idx, acme);
	CHECK_INT(true, acme->root != NULL);
	crm_index_trim(fx.idx);
	CHECK_INT(true, acme->root == NULL);
	CHECK_STR("text:2025-06-05 call back", value_of("client", "acme", "next_step"));
	CHECK_STR("date:2025-05-28", value_of("client", "acme", "last_activity"));
}

static void test_followup__cleanup(void)
{
	crm_buf_release(&text);
	CHECK_INT(0, fixture_cleanup(&fx));
}

TESTS(TEST(test_followup__load), TEST(test_followup__names),
      TEST(test_followup__entries_are_typed), TEST(test_followup__a_deal_first),
      TEST(test_followup__last_activity),
      TEST(test_followup__next_step), TEST(test_followup__after_trim),
      TEST(test_followup__cleanup))
