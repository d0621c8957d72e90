/* Reading CSV files exported by spreadsheets and other tools: the encoding
 * made UTF-8 (byte-order marks, UTF-16, or a named encoding through iconv),
 * the separator sniffed, the header row detected, every problem located as
 * FILE:ROW:COL.  Writing CSV is in crm/table.h. */
#ifndef CRM_CSV_READER_H
#define CRM_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/array.h"
#include "crm/buf.h"

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
