/* A report as an xlsx workbook through libxlsxwriter (the only file that
 * includes it): a "figures" sheet with the commit and the cards, then one
 * sheet per table, the column names on the first row.  The format stores
 * numbers as binary doubles, as every spreadsheet does: amounts are turned
 * into one only here, from their exact decimal text, and keep their value
 * to the cent up to 15 significant digits. */
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "core/export/xlsx_lib.h"
#include "crm/lockfile.h"
#include "crm/money.h"
#include "crm/report.h"

/* A workbook holds few currencies: past this many, amounts share the
 * format without a code. */
#define MAX_MONEY_FORMATS 8

struct formats {
	lxw_workbook *wb;
	lxw_format *bold, *money, *percent, *date;
	struct { char code[4]; lxw_format *fmt; } by_currency[MAX_MONEY_FORMATS];
	size_t ncurrencies;
};

/* `#,##0.00 "EUR"` for the cell's currency: a number with its code shown. */
static lxw_format *money_format(struct formats *f, const char *currency)
{
	char spec[64];
	size_t i;

	for (i = 0; i < f->ncurrencies; i++) {
		if (!strcmp(f->by_currency[i].code, currency))
			return f->by_currency[i].fmt;
	}
	if (!currency[0] || f->ncurrencies == MAX_MONEY_FORMATS)
		return f->money;
	crm_money_number_format(spec, sizeof(spec), currency);
	f->by_currency[i].fmt = xlsx_lib.workbook_add_format(f->wb);
	xlsx_lib.format_set_num_format(f->by_currency[i].fmt, spec);
	snprintf(f->by_currency[i].code, sizeof(f->by_currency[i].code), "%s", currency);
	f->ncurrencies++;
	return f->by_currency[i].fmt;
}

static int fail(lxw_error e, const char *path)
{
	return crm_error_set(CRM_EIO, "cannot write '%s': %s", path, xlsx_lib.lxw_strerror(e));
}

static lxw_error write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
			    const struct crm_cell *c, struct formats *f)
{
	struct crm_buf t = CRM_BUF_INIT;
	lxw_datetime dt;
	lxw_error e = LXW_NO_ERROR;
	int y, m, d;

	switch (c->kind) {
	case CRM_CELL_NULL:
		break;
	case CRM_CELL_TEXT:
		e = xlsx_lib.worksheet_write_string(ws, row, col, c->text, NULL);
		break;
	case CRM_CELL_INT:
		e = xlsx_lib.worksheet_write_number(ws, row, col, (double)c->i, NULL);
		break;
	case CRM_CELL_MONEY: case CRM_CELL_NUMBER: case CRM_CELL_PERCENT:
		crm_cell_format(&t, c, true);
		e = xlsx_lib.worksheet_write_number(ws, row, col, strtod(t.ptr, NULL),
					   c->kind == CRM_CELL_MONEY ? money_format(f, c->currency)
					   : c->kind == CRM_CELL_PERCENT ? f->percent : NULL);
		break;
	case CRM_CELL_DATE:
		crm_date_to_ymd(c->date, &y, &m, &d);
		memset(&dt, 0, sizeof(dt));
		dt.year = y;
		dt.month = (uint8_t)m;
		dt.day = (uint8_t)d;
		e = xlsx_lib.worksheet_write_datetime(ws, row, col, &dt, f->date);
		break;
	}
	crm_buf_release(&t);
	return e;
}

static lxw_error figures_sheet(lxw_workbook *wb, const struct crm_report *r,
			       struct formats *f)
{
	lxw_worksheet *ws = xlsx_lib.workbook_add_worksheet(wb, "figures");
	lxw_error e;
	lxw_row_t row = 0;
	size_t i;

	if (!ws)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	xlsx_lib.worksheet_set_column(ws, 0, 0, 20, NULL);
	xlsx_lib.worksheet_set_column(ws, 1, 1, 24, NULL);
	xlsx_lib.worksheet_set_column(ws, 2, 2, 18, NULL);
	e = xlsx_lib.worksheet_write_string(ws, row, 0, "key", f->bold);
	xlsx_lib.worksheet_write_string(ws, row, 1, "label", f->bold);
	xlsx_lib.worksheet_write_string(ws, row++, 2, "value", f->bold);
	xlsx_lib.worksheet_write_string(ws, row, 0, "report", NULL);
	xlsx_lib.worksheet_write_string(ws, row++, 2, r->name, NULL);
	xlsx_lib.worksheet_write_string(ws, row, 0, "commit", NULL);
	xlsx_lib.worksheet_write_string(ws, row++, 2, r->commit[0] ? r->commit : "", NULL);
	xlsx_lib.worksheet_write_string(ws, row, 0, "commit_date", NULL);
	xlsx_lib.worksheet_write_string(ws, row++, 2, r->commit_date, NULL);
	xlsx_lib.worksheet_write_string(ws, row, 0, "currency", NULL);
	xlsx_lib.worksheet_write_string(ws, row++, 2, r->currency, NULL);
	if (r->unreadable) {
		struct crm_buf note = CRM_BUF_INIT;
		crm_report_unreadable_note(&note, r->unreadable);
		xlsx_lib.worksheet_write_string(ws, row, 0, "unreadable_files", NULL);
		xlsx_lib.worksheet_write_string(ws, row, 1, note.ptr, NULL);
		xlsx_lib.worksheet_write_number(ws, row++, 2, (double)r->unreadable, NULL);
		crm_buf_release(&note);
	}
	for (i = 0; i < r->cards.len && !e; i++, row++) {
		xlsx_lib.worksheet_write_string(ws, row, 0, r->cards.ptr[i].key, NULL);
		xlsx_lib.worksheet_write_string(ws, row, 1, r->cards.ptr[i].label, NULL);
		e = write_cell(ws, row, 2, &r->cards.ptr[i].value, f);
	}
	return e;
}

static lxw_error table_sheet(lxw_workbook *wb, const struct crm_report_table *t,
			     struct formats *f)
{
	lxw_worksheet *ws = xlsx_lib.workbook_add_worksheet(wb, t->name);
	size_t rows = crm_report_rows(t), i, j;
	lxw_error e = LXW_NO_ERROR;

	if (!ws)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	for (j = 0; j < t->ncols && !e; j++) {
		xlsx_lib.worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, 16, NULL);
		e = xlsx_lib.worksheet_write_string(ws, 0, (lxw_col_t)j, t->cols[j].name, f->bold);
	}
	for (i = 0; i < rows && !e; i++) {
		for (j = 0; j < t->ncols && !e; j++)
			e = write_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)j,
				       crm_report_cell(t, i, j), f);
	}
	return e;
}

static int write_workbook(const char *path, const struct crm_report *r)
{
	lxw_workbook *wb = xlsx_lib.workbook_new(path);
	lxw_doc_properties props;
	struct crm_buf title = CRM_BUF_INIT;
	struct formats f;
	lxw_error e;
	size_t i;

	if (!wb)
		return crm_error_errno(CRM_EIO, "cannot write '%s'", path);
	crm_report_header(&title, r);
	memset(&props, 0, sizeof(props));
	props.title = title.ptr;
	xlsx_lib.workbook_set_properties(wb, &props);
	memset(&f, 0, sizeof(f));
	f.wb = wb;
	f.bold = xlsx_lib.workbook_add_format(wb);
	f.money = xlsx_lib.workbook_add_format(wb);
	f.percent = xlsx_lib.workbook_add_format(wb);
	f.date = xlsx_lib.workbook_add_format(wb);
	xlsx_lib.format_set_bold(f.bold);
	xlsx_lib.format_set_num_format(f.money, "#,##0.00");
	xlsx_lib.format_set_num_format(f.percent, "0.0%");
	xlsx_lib.format_set_num_format(f.date, "yyyy-mm-dd");
	e = figures_sheet(wb, r, &f);
	for (i = 0; i < r->tables.len && !e; i++)
		e = table_sheet(wb, r->tables.ptr[i], &f);
	if (e) {
		xlsx_lib.workbook_close(wb);
		crm_buf_release(&title);
		return fail(e, path);
	}
	e = xlsx_lib.workbook_close(wb);
	crm_buf_release(&title);
	return e ? fail(e, path) : 0;
}

/* The workbook goes to the lock file beside `path` (libxlsxwriter writes by
 * name), which replaces `path` only once complete and on disk. */
int crm_report_write_xlsx(const char *path, const struct crm_report *r)
{
	struct crm_lockfile lk = CRM_LOCKFILE_INIT;
	int err = xlsx_lib_load();

	if (!err)
		err = crm_lockfile_acquire(&lk, path, 2000);
	if (!err)
		err = write_workbook(lk.lock_path, r);
	if (err) {
		crm_lockfile_rollback(&lk);
		return err;
	}
	return crm_lockfile_commit(&lk);
}
