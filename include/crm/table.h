/* Text tables for terminals: columns sized by display width (CJK two
 * columns, combining marks none), so Chinese, Polish and Khmer names line
 * up; and the same rows written as CSV (RFC 4180, through libcsv). */
#ifndef CRM_TABLE_H
#define CRM_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "crm/array.h"
#include "crm/buf.h"

struct crm_table {
	size_t ncols;
	const char **headers;      /* borrowed */
	bool *right;               /* right-align column i (numbers, money) */
	CRM_ARRAY(char *) cells;   /* row-major, owned */
	size_t cell_cap;           /* 0: cells whole; else the widest a column prints */
};

/* The widest a terminal table's column prints when the terminal's width is
 * unknown: one long value must not pad every row to its length. */
#define CRM_TABLE_CELL_CAP 60

int crm_table_init(struct crm_table *t, size_t ncols, const char *const *headers);
void crm_table_release(struct crm_table *t);
void crm_table_align_right(struct crm_table *t, size_t col, bool right);
/* Appends one cell (copied) to the current row; rows fill left to right. */
int crm_table_add(struct crm_table *t, const char *text);
size_t crm_table_rows(const struct crm_table *t);
/* Prints with one space-padded column each, shrinking the widest columns
 * (cut with "…") when the table is wider than `max_width` (0 = no limit);
 * no column is wider than t->cell_cap when that is set. */
int crm_table_print(FILE *out, const struct crm_table *t, size_t max_width, bool bold_header);
/* Header row then every row, as CSV. */
int crm_table_csv(FILE *out, const struct crm_table *t);
/* One CSV field (quoted as needed), then a comma or a newline. */
int crm_csv_write_field(FILE *out, const char *text, bool last);

/* Reading CSV files exported by spreadsheets and other tools: the encoding
 * made UTF-8 (byte-order marks, UTF-16, or a named encoding through iconv),
 * the separator sniffed, the header row detected, every problem located as
 * FILE:ROW:COL. */
struct crm_csv_row {
	size_t first;       /* index of its first cell in crm_csv_file.cells */
	size_t ncells;
	size_t number;      /* 1-based record number in the file (header = 1) */
};

struct crm_csv_file {
	char sep;                       /* ',', ';' or '\t' */
	bool has_header;
	size_t ncols;                   /* columns of the header (or first row) */
	const char **columns;           /* header names, or "1", "2"... */
	CRM_ARRAY(char *) cells;        /* owned, NUL-terminated */
	CRM_ARRAY(struct crm_csv_row) rows;  /* data rows, header excluded */
	const char *encoding;           /* what the bytes were read as */
};

struct crm_csv_read_options {
	const char *display;            /* the file's name in messages */
	const char *encoding;           /* NULL: UTF-8, or UTF-16 by its BOM */
};

/* Reads `len` bytes of CSV into `out`.  0, or a negative code with the
 * message "FILE:ROW:COL: ..." set: bytes that are not UTF-8 (with their
 * byte offset), a NUL byte, a byte-order mark inside the file, an
 * unterminated quote, a row with more or fewer fields than the header. */
int crm_csv_read(struct crm_csv_file *out, const char *data, size_t len,
		 const struct crm_csv_read_options *opts);
void crm_csv_file_release(struct crm_csv_file *f);
/* Cell `col` of data row `row` ("" past the row's end). */
const char *crm_csv_cell(const struct crm_csv_file *f, size_t row, size_t col);
/* The column named `name` (exact, then case-insensitive), or -1. */
long crm_csv_column(const struct crm_csv_file *f, const char *name);

#endif
