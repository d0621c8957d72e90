/* Unit tests of src/core/dedupe: the name keys duplicates are found by
 * (dedupe_match.c, util/utf8.c's crm_utf8_match_key), their similarity,
 * and the pairs crm_dedupe_find lists from blocks of an index. */
#include <string.h>

#include "crm/dedupe.h"
#include "crm/utf8.h"
#include "fixture.h"
#include "harness.h"

static void check_key(const char *want, const char *name)
{
	struct crm_buf b = CRM_BUF_INIT;
	crm_match_name_key(&b, name);
	CHECK_STR(want, b.ptr);
	crm_buf_release(&b);
}

static void test_dedupe__name_keys_fold_case_accents_forms_suffixes(void)
{
	check_key("acme", "ACME, Inc.");
	check_key("acme", "Ａｃｍｅ Ltd");
	check_key("lodz studio", "Łódź Studio Sp. z o.o.");
	check_key("nordlys", "Nordlys A/S");
	check_key("edge communications", "Edge Communications GmbH & Co. KG");
	check_key("上海茶叶", "上海茶叶有限公司");
	check_key("ソニー", "株式会社ソニー");
	check_key("banco", "Banco, S.A.");
}

static void test_dedupe__similarity(void)
{
	CHECK(crm_match_similarity("northwind", "northwind") == 1.0);
	CHECK(crm_match_similarity("northwind", "nortwind") >= 0.8);
	CHECK(crm_match_similarity("northwind", "contoso") < 0.8);
	CHECK(crm_match_similarity("", "") == 0);
	CHECK(crm_match_similarity("company 00001", "company 00002") == 0);
}

static struct fixture fx;

static const struct fixture_file files[] = {
	{ "crm.ini", "[crm]\ncurrency = EUR\n" },
	{ "schema/client.yaml",
	  "type: client\nfolder: clients\nfields:\n"
	  "  name:  {type: text, required: true}\n"
	  "  email: {type: email}\n"
	  "  phone: {type: phone}\n" },
	{ "schema/note.yaml", "type: note\nfolder: notes\nfields:\n  text: {type: text}\n" },
	{ "clients/a.yaml", "name: Acme Corp\nemail: a@acme.example\n" },
	{ "clients/b.yaml", "name: Other\nemail: A@Acme.example\n" },
	{ "clients/c.yaml", "name: Nortwind Traders\nphone: \"+48 601 234 567\"\n" },
	{ "clients/d.yaml", "name: Northwind Traders GmbH\nphone: 601234567\n" },
	{ "clients/e.yaml", "name: Branch 12\n" },
	{ "clients/f.yaml", "name: Branch 13\n" },
};

static void test_dedupe__load(void)
{
	fixture_load(&fx, "dedupe", files, sizeof(files) / sizeof(*files), NULL, true);
}

static void test_dedupe__pairs_by_email_phone_and_name_blocks(void)
{
	const struct crm_schema *s = crm_repo_schema(&fx.repo, "client");
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_dedupe d;

	CHECK_INT(0, crm_dedupe_find(&d, fx.idx, s, 0.8));
	CHECK_INT(2, d.pairs.len);
	/* both score 1.00: in the order of their ids */
	CHECK_STR("a", d.pairs.ptr[0].a->id);
	CHECK_STR("b", d.pairs.ptr[0].b->id);
	CHECK_INT(CRM_DEDUPE_EMAIL, d.pairs.ptr[0].fields);
	CHECK_STR("c", d.pairs.ptr[1].a->id);
	CHECK_STR("d", d.pairs.ptr[1].b->id);
	crm_dedupe_fields_text(&b, &d, d.pairs.ptr[1].fields);
	/* "nortwind" and "northwind" share no first word, only "traders" */
	CHECK_STR("phone, name", b.ptr);
	CHECK(d.compared >= 2);
	crm_dedupe_release(&d);
	CHECK_INT(0, crm_dedupe_find(&d, fx.idx, s, 1.0));
	CHECK_INT(2, d.pairs.len);
	crm_dedupe_release(&d);
	crm_buf_release(&b);
}

static void test_dedupe__a_type_without_keys(void)
{
	struct crm_dedupe d;
	CHECK_INT(CRM_EINVALID, crm_dedupe_find(&d, fx.idx, crm_repo_schema(&fx.repo, "note"), 0.8));
}

static void test_dedupe__existing_record_of_a_new_one(void)
{
	const struct crm_schema *s = crm_repo_schema(&fx.repo, "client");
	struct crm_arena a = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *root = NULL;
	struct crm_matcher m;
	struct crm_match found;
	static const char text[] = "name: ACME corp.\n";

	crm_diags_init(&diags);
	crm_matcher_init(&m);
	CHECK_INT(0, crm_yaml_parse(&root, &a, text, sizeof(text) - 1, "new", &diags));
	CHECK_INT(1, crm_dedupe_existing(&found, &m, fx.idx, s, root));
	CHECK_STR("a", found.known->id);
	CHECK_STR("name", found.how);
	crm_matcher_release(&m);
	crm_diags_release(&diags);
	crm_arena_release(&a);
}

static void test_dedupe__cleanup(void)
{
	CHECK_INT(0, fixture_cleanup(&fx));
}

TESTS(TEST(test_dedupe__name_keys_fold_case_accents_forms_suffixes),
      TEST(test_dedupe__similarity), TEST(test_dedupe__load),
      TEST(test_dedupe__pairs_by_email_phone_and_name_blocks),
      TEST(test_dedupe__a_type_without_keys), TEST(test_dedupe__existing_record_of_a_new_one),
      TEST(test_dedupe__cleanup))
