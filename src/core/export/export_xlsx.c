/* One type's records as an xlsx workbook through libxlsxwriter (the only
 * file of the export that includes it; report_xlsx.c writes reports): one
 * sheet, "id" and every field as columns, cells typed so a spreadsheet
 * sums amounts and sorts dates.  Money is a number shown with its currency
 * code; text goes through the formula-injection rule. */
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "core/export/xlsx_lib.h"
#include "core/export/export_internal.h"

#define MAX_CURRENCY_FORMATS 32

struct xlsx_state {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	crm_export_columns cols;
	lxw_row_t row;
	lxw_format *bold, *date, *datetime, *percent, *number;
	struct { char code[4]; lxw_format *fmt; } money[MAX_CURRENCY_FORMATS];
	size_t nmoney;
	struct crm_buf text, safe;
	lxw_error err;
};

/* `#,##0.00 "EUR"`: the amount stays a number, the code stays visible */
static lxw_format *money_format(struct xlsx_state *st, const struct crm_money *m)
{
	char spec[64];
	size_t i;

	for (i = 0; i < st->nmoney; i++) {
		if (!strcmp(st->money[i].code, m->currency))
			return st->money[i].fmt;
	}
	if (st->nmoney == MAX_CURRENCY_FORMATS)
		return st->number;
	crm_money_number_format(spec, sizeof(spec), m->currency);
	st->money[st->nmoney].fmt = xlsx_lib.workbook_add_format(st->wb);
	xlsx_lib.format_set_num_format(st->money[st->nmoney].fmt, spec);
	snprintf(st->money[st->nmoney].code, sizeof(st->money[0].code), "%s", m->currency);
	return st->money[st->nmoney++].fmt;
}

static lxw_datetime to_lxw(int64_t local_seconds)
{
	lxw_datetime dt;
	int64_t days = local_seconds / 86400, secs = local_seconds % 86400;
	int y, m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	crm_date_to_ymd((crm_date)days, &y, &m, &d);
	memset(&dt, 0, sizeof(dt));
	dt.year = y;
	dt.month = (uint8_t)m;
	dt.day = (uint8_t)d;
	dt.hour = (uint8_t)(secs / 3600);
	dt.min = (uint8_t)(secs / 60 % 60);
	dt.sec = (double)(secs % 60);
	return dt;
}

static lxw_error write_text(struct xlsx_state *st, lxw_col_t col, const char *text)
{
	if (!*text)
		return LXW_NO_ERROR;
	crm_buf_reset(&st->safe);
	crm_export_neutralise(&st->safe, text);
	return xlsx_lib.worksheet_write_string(st->ws, st->row, col, st->safe.ptr, NULL);
}

/* Numbers, money, dates and booleans as typed cells; the rest as text */
static lxw_error write_value(struct xlsx_state *st, lxw_col_t col, const struct crm_value *v)
{
	char num[96];
	lxw_datetime dt;

	switch (v->kind) {
	case CRM_V_NUMBER:
		crm_dec_format(num, sizeof(num), v->u.num);
		return xlsx_lib.worksheet_write_number(st->ws, st->row, col, strtod(num, NULL),
					      v->percent ? st->percent : NULL);
	case CRM_V_MONEY:
		/* the one place the exact amount becomes a double: the format
		 * holds 15 significant digits, cents stay exact below 10^13 */
		crm_money_format_amount(num, sizeof(num), &v->u.money);
		return xlsx_lib.worksheet_write_number(st->ws, st->row, col, strtod(num, NULL),
					      money_format(st, &v->u.money));
	case CRM_V_DATE:
		dt = to_lxw((int64_t)v->u.date * 86400);
		return xlsx_lib.worksheet_write_datetime(st->ws, st->row, col, &dt, st->date);
	case CRM_V_DATETIME:
		/* the wall time as written (or in the repository's zone) */
		dt = to_lxw(v->u.datetime.epoch + (int64_t)v->u.datetime.offset_min * 60);
		return xlsx_lib.worksheet_write_datetime(st->ws, st->row, col, &dt, st->datetime);
	case CRM_V_BOOL:
		return xlsx_lib.worksheet_write_boolean(st->ws, st->row, col, v->u.b, NULL);
	default:
		return LXW_NO_ERROR;
	}
}

static lxw_error write_field(struct xlsx_state *st, struct crm_index *idx,
			     struct crm_record *rec, const struct crm_field *f, lxw_col_t col)
{
	const struct crm_node *n = rec->root ? crm_node_get(rec->root, f->name) : NULL;
	struct crm_value v;

	if (!(n && n->kind != CRM_NODE_SCALAR) && !crm_index_value(&v, idx, rec, f->name) &&
	    v.kind != CRM_V_TEXT && v.kind != CRM_V_ERROR && v.kind != CRM_V_NULL)
		return write_value(st, col, &v);
	crm_buf_reset(&st->text);
	crm_export_cell_text(&st->text, idx, rec, f);
	return write_text(st, col, st->text.ptr);
}

static int xlsx_row(struct crm_index *idx, struct crm_record *rec, void *payload)
{
	struct xlsx_state *st = payload;
	size_t i;

	st->row++;
	st->err = write_text(st, 0, rec->id);
	for (i = 0; i < st->cols.len && !st->err; i++)
		st->err = write_field(st, idx, rec, st->cols.ptr[i], (lxw_col_t)(i + 1));
	return st->err ? CRM_EIO : 0;
}

static void add_formats(struct xlsx_state *st)
{
	st->bold = xlsx_lib.workbook_add_format(st->wb);
	st->date = xlsx_lib.workbook_add_format(st->wb);
	st->datetime = xlsx_lib.workbook_add_format(st->wb);
	st->percent = xlsx_lib.workbook_add_format(st->wb);
	st->number = xlsx_lib.workbook_add_format(st->wb);
	xlsx_lib.format_set_bold(st->bold);
	xlsx_lib.format_set_num_format(st->date, "yyyy-mm-dd");
	xlsx_lib.format_set_num_format(st->datetime, "yyyy-mm-dd hh:mm");
	xlsx_lib.format_set_num_format(st->percent, "0.##%");
	xlsx_lib.format_set_num_format(st->number, "#,##0.00");
}

int crm_export_xlsx(struct crm_index *idx, const struct crm_schema *s, const char *path)
{
	struct xlsx_state st;
	size_t i;
	int err = xlsx_lib_load();

	if (err)
		return err;
	memset(&st, 0, sizeof(st));
	crm_buf_init(&st.text);
	crm_buf_init(&st.safe);
	if (crm_export_columns_of(&st.cols, s))
		return CRM_ENOMEM;
	st.wb = xlsx_lib.workbook_new(path);
	if (!st.wb) {
		CRM_ARRAY_RELEASE(st.cols);
		return crm_error_errno(CRM_EIO, "cannot write '%s'", path);
	}
	add_formats(&st);
	st.ws = xlsx_lib.workbook_add_worksheet(st.wb, s->folder);
	if (!st.ws)
		st.err = LXW_ERROR_MEMORY_MALLOC_FAILED;
	if (!st.err)
		st.err = xlsx_lib.worksheet_write_string(st.ws, 0, 0, "id", st.bold);
	for (i = 0; i < st.cols.len && !st.err; i++)
		st.err = xlsx_lib.worksheet_write_string(st.ws, 0, (lxw_col_t)(i + 1), st.cols.ptr[i]->name,
						st.bold);
	if (!st.err && crm_export_each(idx, s, xlsx_row, &st) && !st.err)
		err = CRM_EIO;   /* the index failed: its message stands */
	if (!st.err && !err)
		xlsx_lib.worksheet_freeze_panes(st.ws, 1, 1);
	if (st.err) {
		xlsx_lib.workbook_close(st.wb);
		err = crm_error_set(CRM_EIO, "cannot write '%s': %s", path, xlsx_lib.lxw_strerror(st.err));
	} else {
		lxw_error e = xlsx_lib.workbook_close(st.wb);
		if (e && !err)
			err = crm_error_set(CRM_EIO, "cannot write '%s': %s", path, xlsx_lib.lxw_strerror(e));
	}
	CRM_ARRAY_RELEASE(st.cols);
	crm_buf_release(&st.text);
	crm_buf_release(&st.safe);
	return err;
}
