/* Text tables for terminals: columns sized by display width (CJK two
 * columns, combining marks none), so Chinese, Polish and Khmer names line
 * up; and the same rows written as CSV (RFC 4180, through libcsv). */
#ifndef CRM_TABLE_H
#define CRM_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "crm/array.h"

struct crm_table {
	size_t ncols;
	const char **headers;      /* borrowed */
	bool *right;               /* right-align column i (numbers, money) */
	CRM_ARRAY(char *) cells;   /* row-major, owned */
};

int crm_table_init(struct crm_table *t, size_t ncols, const char *const *headers);
void crm_table_release(struct crm_table *t);
void crm_table_align_right(struct crm_table *t, size_t col, bool right);
/* Appends one cell (copied) to the current row; rows fill left to right. */
int crm_table_add(struct crm_table *t, const char *text);
size_t crm_table_rows(const struct crm_table *t);
/* Prints with one space-padded column each, shrinking the widest columns
 * (cut with "…") when the table is wider than `max_width` (0 = no limit). */
int crm_table_print(FILE *out, const struct crm_table *t, size_t max_width, bool bold_header);
/* Header row then every row, as CSV. */
int crm_table_csv(FILE *out, const struct crm_table *t);
/* One CSV field (quoted as needed), then a comma or a newline. */
int crm_csv_write_field(FILE *out, const char *text, bool last);

#endif
