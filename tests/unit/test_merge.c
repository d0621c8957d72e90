/* Unit tests of the field-by-field merge (src/core/merge.c). */
#include "crm/error.h"
#include "crm/merge.h"
#include "harness.h"

static size_t merge(struct crm_buf *out, const char *b, const char *o, const char *t)
{
	size_t conflicts = 99;
	CHECK_INT(0, crm_merge_record(out, &conflicts, b, strlen(b), o, strlen(o), t, strlen(t)));
	return conflicts;
}

static void test_merge__different_fields_both_survive(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	CHECK_INT(0, merge(&out, "# note\nname: A\ncity: X\n", "# note\nname: B\ncity: X\n",
			   "# note\nname: A\ncity: Y\nemail: a@b.example\n"));
	CHECK_STR("# note\nname: B\ncity: Y\nemail: a@b.example\n", out.ptr);
	crm_buf_release(&out);
}

static void test_merge__quoting_is_not_a_change(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	CHECK_INT(0, merge(&out, "amount: \"5.00 EUR\"\n", "amount: '5.00 EUR'\n",
			   "amount: \"5.00 EUR\"\nstage: won\n"));
	CHECK_STR("amount: '5.00 EUR'\nstage: won\n", out.ptr);
	crm_buf_release(&out);
}

static void test_merge__deletion_on_one_side(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	CHECK_INT(0, merge(&out, "name: A\ncity: X\n", "name: A\ncity: X\n", "name: A\n"));
	CHECK_STR("name: A\n", out.ptr);
	crm_buf_release(&out);
}

static void test_merge__same_field_is_a_conflict(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	CHECK_INT(1, merge(&out, "stage: lead\n", "stage: won\n", "stage: lost\n"));
	CHECK_STR("stage:\n  conflict:\n    ours: won\n    theirs: lost\n    base: lead\n", out.ptr);
	crm_buf_reset(&out);
	/* edited on one side, removed on the other: both kept */
	CHECK_INT(1, merge(&out, "city: Dublin\n", "city: Cork\n", ""));
	CHECK_STR("city:\n  conflict:\n    ours: Cork\n    theirs: ~\n    base: Dublin\n", out.ptr);
	crm_buf_reset(&out);
	/* "Y" is a YAML 1.1 boolean: it is quoted to stay text */
	CHECK_INT(1, merge(&out, "k: a\n", "k: Y\n", "k: b\n"));
	CHECK_STR("k:\n  conflict:\n    ours: \"Y\"\n    theirs: b\n    base: a\n", out.ptr);
	crm_buf_release(&out);
}

static void test_merge__tags_as_sets(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	CHECK_INT(0, merge(&out, "tags: [a, b]\n", "tags: [a, b, c]\n", "tags: [b, d]\n"));
	CHECK_STR("tags: [b, c, d]\n", out.ptr);
	crm_buf_release(&out);
}

static void test_merge__history_union_by_date(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	const char *base = "history:\n  - {date: 2025-01-01, stage: lead}\n";
	CHECK_INT(0, merge(&out, base,
			   "history:\n  - {date: 2025-01-01, stage: lead}\n  - {date: 2025-03-01, stage: won}\n",
			   "history:\n  - {date: 2025-01-01, stage: lead}\n  - {date: 2025-02-01, stage: proposal}\n"));
	CHECK_STR("history:\n  - {date: 2025-01-01, stage: lead}\n  - {date: 2025-02-01, stage: proposal}\n"
		  "  - {date: 2025-03-01, stage: won}\n", out.ptr);
	crm_buf_release(&out);
}

static void test_merge__added_on_both_sides(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	/* the same id added twice may be two different things: every field
	 * the two disagree on is reported, agreeing ones merge */
	CHECK_INT(2, merge(&out, "", "name: N\ncity: P\n", "name: N\nemail: n@x.example\n"));
	CHECK_STR("name: N\ncity:\n  conflict:\n    ours: P\n    theirs: ~\n    base: ~\n"
		  "email:\n  conflict:\n    ours: ~\n    theirs: n@x.example\n    base: ~\n",
		  out.ptr);
	crm_buf_reset(&out);
	CHECK_INT(0, merge(&out, "", "name: N\n", "name: N\n"));
	crm_buf_release(&out);
}

static void test_merge__unparsable_version_is_refused(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	size_t c;
	CHECK_INT(CRM_EINVALID, crm_merge_record(&out, &c, "", 0, "a: [", 4, "a: 1\n", 5));
	crm_buf_release(&out);
}

static void test_merge__conflict_blocks_escape_and_quote(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	/* control characters from YAML escapes stay escapes (raw ones made
	 * crm resolve refuse the file), NEL included */
	CHECK_INT(1, merge(&out, "note: a\n", "note: \"x\\e[2J\\a\"\n", "note: \"y\\u0085z\\tq\"\n"));
	CHECK_STR("note:\n  conflict:\n    ours: \"x\\e[2J\\a\"\n    theirs: \"y\\Nz\\tq\"\n"
		  "    base: a\n", out.ptr);
	crm_buf_reset(&out);
	/* keys of flow mappings that need quotes keep them */
	CHECK_INT(1, merge(&out, "k: 1\n", "k: {\"x}\": 1}\n", "k: {\"a, b\": c, 0123: d}\n"));
	CHECK_STR("k:\n  conflict:\n    ours: {\"x}\": 1}\n    theirs: {\"a, b\": c, \"0123\": d}\n"
		  "    base: 1\n", out.ptr);
	crm_buf_reset(&out);
	/* a top-level key that needs quotes */
	CHECK_INT(1, merge(&out, "\"a: b\": 1\n", "\"a: b\": 2\n", "\"a: b\": 3\n"));
	CHECK_STR("\"a: b\":\n  conflict:\n    ours: 2\n    theirs: 3\n    base: 1\n", out.ptr);
	crm_buf_release(&out);
}

static void test_merge__tags_with_indicators_stay_quoted(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	/* plain in a block list, they need quotes in the merged flow list */
	CHECK_INT(0, merge(&out, "tags: [a]\n", "tags:\n  - a\n  - b, c\n", "tags:\n  - a\n  - x}\n"));
	CHECK_STR("tags: [a, \"b, c\", \"x}\"]\n", out.ptr);
	crm_buf_release(&out);
}

/* theirs' lines are taken as they were written; an alias whose anchor
 * stays behind would not parse: both versions are kept instead */
static void test_merge__unreadable_result_keeps_both_versions(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	size_t c = 0;
	const char *b = "a: 0\nb: 0\n", *o = "a: 7\nb: 0\n", *t = "a: &x 5\nb: *x";
	CHECK_INT(CRM_ECONFLICT, crm_merge_record(&out, &c, b, strlen(b), o, strlen(o), t,
						  strlen(t)));
	CHECK_INT(1, c);
	CHECK_STR("<<<<<<< ours\na: 7\nb: 0\n=======\na: &x 5\nb: *x\n>>>>>>> theirs\n", out.ptr);
	CHECK(strstr(crm_error_last(), "does not parse") != NULL);
	crm_buf_release(&out);
}

TESTS(TEST(test_merge__different_fields_both_survive), TEST(test_merge__quoting_is_not_a_change),
      TEST(test_merge__deletion_on_one_side), TEST(test_merge__same_field_is_a_conflict),
      TEST(test_merge__tags_as_sets), TEST(test_merge__history_union_by_date),
      TEST(test_merge__added_on_both_sides), TEST(test_merge__unparsable_version_is_refused),
      TEST(test_merge__conflict_blocks_escape_and_quote),
      TEST(test_merge__tags_with_indicators_stay_quoted),
      TEST(test_merge__unreadable_result_keeps_both_versions))
