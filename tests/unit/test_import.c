/* Unit tests of crm import's pieces: the CSV reader's sniffing and header
 * detection (util/table.c) and rules files (import_rules.c); the name keys
 * rows are matched by are tested in test_dedupe.c. */
#include <string.h>

#include "crm/error.h"
#include "crm/import.h"
#include "crm/table.h"
#include "crm/utf8.h"
#include "harness.h"

static void test_import__csv_sniffs_separator_and_header(void)
{
	static const char semi[] = "\xEF\xBB\xBFName;City\r\n\"A;B\";\"x\r\ny\"\r\n";
	static const char bare[] = "1,2\n3,4\n";
	struct crm_csv_read_options o = { "t.csv", NULL };
	struct crm_csv_file f;

	CHECK_INT(0, crm_csv_read(&f, semi, sizeof(semi) - 1, &o));
	CHECK_INT(';', f.sep);
	CHECK(f.has_header);
	CHECK_INT(1, f.rows.len);
	CHECK_STR("A;B", crm_csv_cell(&f, 0, 0));
	CHECK_STR("x\r\ny", crm_csv_cell(&f, 0, 1));
	CHECK_INT(1, crm_csv_column(&f, "city"));
	crm_csv_file_release(&f);
	CHECK_INT(0, crm_csv_read(&f, bare, sizeof(bare) - 1, &o));
	CHECK(!f.has_header);
	CHECK_INT(2, f.rows.len);
	CHECK_STR("2", f.columns[1]);
	crm_csv_file_release(&f);
}

/* Rows whose length differs from the header's: empty cells past it are
 * dropped (Google's "Outlook CSV" ends every row, not the header, with a
 * comma); rows all stopping at one column short of it read the missing
 * cells as empty (Outlook 2013); anything else is a ragged row. */
static void test_import__csv_row_lengths(void)
{
	static const char trailing[] = "a,b\n1,2,\n3,4,,\n";
	static const char extra[] = "a,b\n1,2,x\n";
	static const char short_alike[] = "a,b,c\n1,2\n3,4\n";
	static const char short_mixed[] = "a,b,c\n1,2\n3,4,5\n";
	static const char one_cell[] = "a;b\nx,y\nz,w\n";
	static const char no_header[] = "1,2,3\n4,5\n6,7\n";
	struct crm_csv_read_options o = { "t.csv", NULL };
	struct crm_csv_file f;

	CHECK_INT(0, crm_csv_read(&f, trailing, sizeof(trailing) - 1, &o));
	CHECK_INT(2, f.ncols);
	CHECK_STR("4", crm_csv_cell(&f, 1, 1));
	crm_csv_file_release(&f);
	CHECK_INT(0, crm_csv_read(&f, short_alike, sizeof(short_alike) - 1, &o));
	CHECK_INT(3, f.ncols);
	CHECK_STR("2", crm_csv_cell(&f, 0, 1));
	CHECK_STR("", crm_csv_cell(&f, 1, 2));
	crm_csv_file_release(&f);

	CHECK(crm_csv_read(&f, extra, sizeof(extra) - 1, &o) < 0);
	CHECK_STR("t.csv:2:3: error: ragged row: 3 fields, the header has 2", crm_error_last());
	crm_csv_file_release(&f);
	CHECK(crm_csv_read(&f, short_mixed, sizeof(short_mixed) - 1, &o) < 0);
	CHECK_STR("t.csv:2:3: error: ragged row: 2 fields, the header has 3", crm_error_last());
	crm_csv_file_release(&f);
	CHECK(crm_csv_read(&f, one_cell, sizeof(one_cell) - 1, &o) < 0);
	CHECK_STR("t.csv:2:2: error: ragged row: 1 fields, the header has 2", crm_error_last());
	crm_csv_file_release(&f);
	CHECK(crm_csv_read(&f, no_header, sizeof(no_header) - 1, &o) < 0);
	CHECK_STR("t.csv:2:3: error: ragged row: 2 fields, the first row has 3", crm_error_last());
	crm_csv_file_release(&f);
}

static void test_import__rules(void)
{
	static const char text[] =
		"[preset]\ndescription = test\n"
		"[deals]\ntype = opportunity\nfiles = d*.csv\nid = Id\n"
		"title = {Name}\nclient = {Account}\nclient.create = yes\n"
		"map.stage.Closed Won = won\nskip.Status = x|y\ndecimal-mark = ,\n";
	struct crm_import_rules r;
	const struct crm_import_section *s;

	CHECK_INT(0, crm_import_rules_parse(&r, text, sizeof(text) - 1, "t.ini"));
	CHECK_STR("test", r.description);
	CHECK_INT(1, r.sections.len);
	s = &r.sections.ptr[0];
	CHECK_STR("opportunity", s->type);
	CHECK_INT(',', s->decimal_mark);
	CHECK_INT(2, s->fields.len);
	CHECK(s->fields.ptr[1].create);
	CHECK_STR("Closed Won", s->maps.ptr[0].from);
	CHECK_STR("x|y", s->skips.ptr[0].values);
	crm_import_rules_release(&r);
	CHECK(crm_import_rules_parse(&r, "[a]\nname = {x}\n", 14, "t.ini") < 0);
	crm_import_rules_release(&r);
}

TESTS(TEST(test_import__csv_sniffs_separator_and_header),
      TEST(test_import__csv_row_lengths),
      TEST(test_import__rules))
