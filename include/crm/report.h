/* A report as data: stat cards and named tables of typed cells, with the
 * commit they were computed from, and the writers that turn one into a
 * terminal page (cards and Unicode bar charts), JSON, CSV, a self-contained
 * HTML page (inline CSS and SVG) or an xlsx workbook (one sheet a table).
 * The dashboard, every `crm report` and `crm forecast` build one and pick a
 * writer. */
#ifndef CRM_REPORT_H
#define CRM_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/buf.h"
#include "crm/date.h"
#include "crm/decimal.h"

enum crm_cell_kind {
	CRM_CELL_NULL = 0,
	CRM_CELL_TEXT,
	CRM_CELL_INT,
	CRM_CELL_MONEY,       /* d in currency `currency` */
	CRM_CELL_NUMBER,      /* d, e.g. average days */
	CRM_CELL_PERCENT,     /* d is a fraction: 0.4286 prints "42.9%" */
	CRM_CELL_DATE
};

struct crm_cell {
	enum crm_cell_kind kind;
	const char *text;     /* TEXT: owned by the report's arena */
	int64_t i;
	crm_dec d;
	char currency[4];
	crm_date date;
};

struct crm_report_column {
	const char *name;     /* JSON key and CSV header: "won_total" */
	const char *label;    /* for people: "Won" */
};

enum crm_chart_kind { CRM_CHART_BAR, CRM_CHART_PIE };

/* A chart over one table: labels from column `label_col`, values from
 * `value_col` (INT, MONEY or NUMBER cells; others count as zero). */
struct crm_report_chart {
	const char *title;
	enum crm_chart_kind kind;
	size_t table, label_col, value_col;
};

struct crm_report_table {
	const char *name;     /* "by_month": JSON key, sheet name, CSV section */
	const char *title;
	struct crm_report_column *cols;
	size_t ncols;
	CRM_ARRAY(struct crm_cell) cells;   /* row-major */
	bool charted;         /* the terminal shows its charts instead */
	/* A list of records (stalled deals, deals won, debtors), as long as
	 * the repository is large: the terminal shows its first rows (see
	 * crm_report.list_rows) and its last `tail_rows` (a total), then
	 * "… and 42 922 more (`more`)".  Every other writer has every row. */
	bool list;
	size_t tail_rows;
	const char *more;     /* where to see them all: "crm report stalled" */
	size_t omitted;       /* rows a list left out (crm_report_list_room) */
};

struct crm_report_card {
	const char *key;      /* top-level JSON key: "open_count" */
	const char *label;
	struct crm_cell value;
};

struct crm_report {
	struct crm_arena arena;
	const char *name;     /* "dashboard", "funnel" */
	const char *title;
	char commit[41];      /* "" when the repository has no commit */
	char short_commit[9];
	char commit_date[11];
	bool dirty;           /* the work tree has uncommitted record edits */
	bool dirty_pending;   /* being worked out (crm_index_uncommitted_begin) */
	const char *currency; /* base currency of every money cell */
	const char *scope;    /* the filters, as text, or NULL */
	size_t unreadable;    /* record files left out: they could not be read */
	size_t list_rows;     /* terminal rows of a list table; 0: every row
				 (crm_report_init: CRM_REPORT_LIST_ROWS) */
	bool text_only;       /* only the terminal page will be written: lists
				 need not hold the rows it does not show */
	CRM_ARRAY(struct crm_report_card) cards;
	CRM_ARRAY(struct crm_report_table *) tables;
	CRM_ARRAY(struct crm_report_chart) charts;
};

/* The rows of a long list the terminal shows unless told --all. */
#define CRM_REPORT_LIST_ROWS 20

void crm_report_init(struct crm_report *r, const char *name, const char *title);
/* Marks table `t` a list of records (see crm_report_table.list): `more`
 * says where to see every row, `tail_rows` last rows are always shown. */
void crm_report_list(struct crm_report_table *t, const char *more, size_t tail_rows);
/* Whether list `t` (no tail rows) should hold one more row: false once it
 * has every row the terminal page shows, when that is the only output;
 * then it counts the row in t->omitted instead, and a million-record
 * list costs its first rows only. */
bool crm_report_list_room(const struct crm_report *r, struct crm_report_table *t);
void crm_report_release(struct crm_report *r);

struct crm_cell crm_cell_text(struct crm_report *r, const char *s);  /* NULL: null */
struct crm_cell crm_cell_int(int64_t v);
struct crm_cell crm_cell_money(crm_dec amount, const char *currency);
struct crm_cell crm_cell_number(crm_dec v);
struct crm_cell crm_cell_percent(crm_dec fraction);
struct crm_cell crm_cell_date(crm_date d);
/* count / total as a fraction rounded to 4 digits; null when total is 0. */
struct crm_cell crm_cell_ratio(int64_t count, int64_t total);

int crm_report_card(struct crm_report *r, const char *key, const char *label,
		    struct crm_cell value);
/* A new empty table; `cols` is a list of name, label pairs ended by NULL:
 * ("month", "Month", "won_total", "Won", NULL).  *out is owned by r. */
int crm_report_table(struct crm_report_table **out, struct crm_report *r,
		     const char *name, const char *title, ...);
/* The same with the columns as an array (copied; the names and labels are
 * borrowed, so put them in r's arena when they are made on the fly). */
int crm_report_table_of(struct crm_report_table **out, struct crm_report *r,
			const char *name, const char *title,
			const struct crm_report_column *cols, size_t ncols);
/* Appends one cell; rows fill left to right. */
int crm_report_add(struct crm_report_table *t, struct crm_cell c);
size_t crm_report_rows(const struct crm_report_table *t);
const struct crm_cell *crm_report_cell(const struct crm_report_table *t, size_t row,
				       size_t col);
/* A chart of table `t` (which must belong to r). */
int crm_report_chart(struct crm_report *r, const struct crm_report_table *t,
		     enum crm_chart_kind kind, const char *title, size_t label_col,
		     size_t value_col);
struct crm_report_table *crm_report_find(const struct crm_report *r, const char *name);

/* A cell as text for people ("12,000.00 EUR", "42.9%": numbers grouped in
 * the display locale, see crm_locale_group), or for CSV and spreadsheets
 * (`plain`: "12000.00", "0.4286"); null cells append nothing. */
int crm_cell_format(struct crm_buf *out, const struct crm_cell *c, bool plain);
/* A cell's value as a double, for chart geometry only. */
double crm_cell_magnitude(const struct crm_cell *c);

/* Appends a bar of Unicode blocks for `value` on a scale where `max` fills
 * `width` columns, in eighths of a column; nothing when either is not
 * above zero.  Returns the columns it took.  Every text chart draws with
 * it.  Doubles are fine here: they are the bar's length on screen only. */
size_t crm_report_bar(struct crm_buf *out, double value, double max, size_t width);
/* The ticks of a chart's value axis from 0 up to `max`: 0, s, 2s... with
 * the step s one, two or five times a power of ten, at most five ticks and
 * none above `max`.  Returns how many it wrote (at most `cap`, 0 when
 * `max` is not above zero).  Doubles: positions on a chart, not money. */
size_t crm_report_axis(double *ticks, size_t cap, double max);
/* Appends a tick as people read it, grouped in the display locale
 * ("40,000", "2.5"); `step` is the axis's step, which sets the decimals. */
int crm_report_axis_label(struct crm_buf *out, double tick, double step);

/* The header line: "Dashboard, as of commit 1a2b3c4d (2025-06-01)". */
int crm_report_header(struct crm_buf *out, const struct crm_report *r);

/* "3 record files could not be read (crm check shows why)": the note every
 * writer gives when r->unreadable is not 0 (nothing is appended then). */
int crm_report_unreadable_note(struct crm_buf *out, size_t unreadable);

/* Terminal page: header, cards in boxes, charts as bars of Unicode blocks,
 * tables; everything fitted to `width` columns (0: 80). */
int crm_report_write_text(FILE *out, const struct crm_report *r, size_t width, bool color);
/* One JSON document: "report", "commit", "commit_date", "dirty",
 * "unreadable_files", "currency", every card by key, every table as an
 * array of objects. */
int crm_report_write_json(struct crm_buf *out, const struct crm_report *r);
/* Table `name` as CSV; NULL writes every table (cards first, as table
 * "figures"), each after a "# name" line and separated by a blank line,
 * the unreadable-files note first as a "# " line.  One table alone (named,
 * or a report's only one) stays plain CSV: the caller says the note.
 * CRM_ENOTFOUND with the table names when `name` is unknown. */
int crm_report_write_csv(FILE *out, const struct crm_report *r, const char *name);
/* A self-contained HTML page: inline CSS and SVG, no script, no network. */
int crm_report_write_html(struct crm_buf *out, const struct crm_report *r);
/* An xlsx workbook at `path`: sheet "figures" for the cards, then one
 * sheet per table. */
int crm_report_write_xlsx(const char *path, const struct crm_report *r);

/* The name of a grouped table's first column, from the table's name:
 * "by_owner" -> "owner", "by_reason" -> "reason"; other names as they are. */
const char *crm_report_group_column(const char *table_name);

#endif
