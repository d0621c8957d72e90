/* Unit tests of the text tables (src/util/table.c): columns sized by
 * display width (CJK two columns, combining marks none), numbers aligned
 * right, the widest column cut to fit, and the same rows as CSV. */
#include "crm/table.h"
#include "harness.h"

/* What `print` or `csv` writes for `t`, in a static buffer. */
static const char *render(const struct crm_table *t, size_t max_width, bool csv)
{
	static char text[2048];
	FILE *f = fmemopen(text, sizeof(text), "w");
	int rc;
	if (!f)
		return "(fmemopen failed)";
	rc = csv ? crm_table_csv(f, t) : crm_table_print(f, t, max_width, false);
	fclose(f);
	return rc ? "(error)" : text;
}

static void fill(struct crm_table *t, const char *const *cells, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		crm_table_add(t, cells[i]);
}

static const char *const headers[] = { "id", "name", "amount" };

static void test_table__columns_by_display_width(void)
{
	static const char *const cells[] = {
		"acme", "Acme Corp", "12.00 EUR",
		"bj", "北京青云", "1 200.00 EUR",
		"lodz", "Łódź", "3.50 EUR",
		"km", "ខ្មែរ", "",
	};
	struct crm_table t;

	CHECK_INT(0, crm_table_init(&t, 3, headers));
	fill(&t, cells, 12);
	crm_table_align_right(&t, 2, true);
	CHECK_INT(4, crm_table_rows(&t));
	/* trailing spaces are cut; the Khmer word is 3 columns wide */
	CHECK_STR("id    name             amount\n"
		  "acme  Acme Corp     12.00 EUR\n"
		  "bj    北京青云   1 200.00 EUR\n"
		  "lodz  Łódź           3.50 EUR\n"
		  "km    ខ្មែរ\n",
		  render(&t, 0, false));
	crm_table_release(&t);
}

/* A last row left short prints empty cells. */
static void test_table__short_last_row(void)
{
	static const char *const cells[] = { "a", "b", "c", "d" };
	struct crm_table t;

	crm_table_init(&t, 3, headers);
	fill(&t, cells, 4);
	CHECK_INT(2, crm_table_rows(&t));
	CHECK_STR("id  name  amount\na   b     c\nd\n", render(&t, 0, false));
	crm_table_release(&t);
}

/* Too wide for the terminal: the widest column shrinks, cut with "…". */
static void test_table__shrinks_to_fit(void)
{
	static const char *const cells[] = { "x", "a very long name that does not fit", "1.00" };
	struct crm_table t;

	crm_table_init(&t, 3, headers);
	fill(&t, cells, 3);
	crm_table_align_right(&t, 2, true);
	CHECK_STR("id  name                                amount\n"
		  "x   a very long name that does not fit    1.00\n",
		  render(&t, 0, false));
	CHECK_STR("id  name                  amount\n"
		  "x   a very long name th…    1.00\n",
		  render(&t, 32, false));
	crm_table_release(&t);
}

/* RFC 4180 quoting for what needs it, and nothing else; LF line ends. */
static void test_table__csv(void)
{
	static const char *const cells[] = {
		"plain", "with, comma", "say \"hi\"",
		" padded", "two\nlines", "北京",
	};
	struct crm_table t;

	crm_table_init(&t, 3, headers);
	fill(&t, cells, 6);
	CHECK_STR("id,name,amount\n"
		  "plain,\"with, comma\",\"say \"\"hi\"\"\"\n"
		  "\" padded\",\"two\nlines\",北京\n",
		  render(&t, 0, true));
	crm_table_release(&t);
}

TESTS(TEST(test_table__columns_by_display_width), TEST(test_table__short_last_row),
      TEST(test_table__shrinks_to_fit), TEST(test_table__csv))
