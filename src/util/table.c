/* Width-aware text tables and their CSV form.  The only file that writes
 * CSV; libcsv quotes fields that need it. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/table.h"
#include "crm/utf8.h"

int crm_table_init(struct crm_table *t, size_t ncols, const char *const *headers)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->headers = (const char **)headers;
	t->right = calloc(ncols ? ncols : 1, sizeof(bool));
	return t->right ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");
}

void crm_table_release(struct crm_table *t)
{
	size_t i;
	for (i = 0; i < t->cells.len; i++)
		free(t->cells.ptr[i]);
	CRM_ARRAY_RELEASE(t->cells);
	free(t->right);
	t->right = NULL;
}

void crm_table_align_right(struct crm_table *t, size_t col, bool right)
{
	if (col < t->ncols)
		t->right[col] = right;
}

int crm_table_add(struct crm_table *t, const char *text)
{
	char **slot = CRM_ARRAY_PUSH(t->cells);
	struct crm_buf shown = CRM_BUF_INIT;
	if (!slot)
		return CRM_ENOMEM;
	/* cells come from records: control characters are shown, not obeyed */
	crm_utf8_escape_controls(&shown, text ? text : "");
	*slot = crm_buf_detach(&shown, NULL);
	if (!*slot) {
		t->cells.len--;
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	return 0;
}

size_t crm_table_rows(const struct crm_table *t)
{
	return t->ncols ? (t->cells.len + t->ncols - 1) / t->ncols : 0;
}

static const char *cell(const struct crm_table *t, size_t row, size_t col)
{
	size_t i = row * t->ncols + col;
	return i < t->cells.len ? t->cells.ptr[i] : "";
}

/* Shrinks the widest column one step at a time until the table fits. */
static void fit_widths(size_t *w, size_t n, size_t max_width)
{
	size_t total, i, widest;
	for (;;) {
		total = n ? 2 * (n - 1) : 0;
		widest = 0;
		for (i = 0; i < n; i++) {
			total += w[i];
			if (w[i] > w[widest])
				widest = i;
		}
		if (!max_width || total <= max_width || w[widest] <= 6)
			return;
		w[widest]--;
	}
}

static void print_row(struct crm_buf *line, const struct crm_table *t, const size_t *w,
		      size_t row, bool header)
{
	size_t c;
	for (c = 0; c < t->ncols; c++) {
		const char *text = header ? t->headers[c] : cell(t, row, c);
		bool last = c + 1 == t->ncols;
		if (last && !t->right[c])
			crm_utf8_truncate(line, text, w[c]);
		else
			crm_utf8_pad(line, text, w[c], t->right[c]);
		if (!last)
			crm_buf_adds(line, "  ");
	}
}

int crm_table_print(FILE *out, const struct crm_table *t, size_t max_width, bool bold_header)
{
	struct crm_buf line = CRM_BUF_INIT;
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(size_t));
	size_t r, c, rows = crm_table_rows(t);

	if (!w)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (c = 0; c < t->ncols; c++) {
		w[c] = crm_utf8_width(t->headers[c]);
		for (r = 0; r < rows; r++) {
			size_t cw = crm_utf8_width(cell(t, r, c));
			if (cw > w[c])
				w[c] = cw;
		}
	}
	fit_widths(w, t->ncols, max_width);
	for (r = 0; r <= rows; r++) {
		crm_buf_reset(&line);
		print_row(&line, t, w, r - 1, r == 0);
		while (line.len && line.ptr[line.len - 1] == ' ')
			crm_buf_truncate(&line, line.len - 1);
		if (r == 0 && bold_header)
			fprintf(out, "\033[1m%s\033[0m\n", line.ptr);
		else
			fprintf(out, "%s\n", line.ptr);
	}
	free(w);
	crm_buf_release(&line);
	return ferror(out) ? crm_error_set(CRM_EIO, "cannot write the table") : 0;
}

int crm_csv_write_field(FILE *out, const char *text, bool last)
{
	size_t n = strlen(text);
	bool quote = strpbrk(text, ",\"\r\n") || (n && (text[0] == ' ' || text[n - 1] == ' '));

	if (quote)
		csv_fwrite(out, text, n);
	else
		fwrite(text, 1, n, out);
	/* RFC 4180 ends records with CRLF; we write LF like most tools
	 * people pipe into, and accept both on import */
	fputc(last ? '\n' : ',', out);
	return ferror(out) ? crm_error_set(CRM_EIO, "cannot write CSV") : 0;
}

int crm_table_csv(FILE *out, const struct crm_table *t)
{
	size_t r, c, rows = crm_table_rows(t);
	int err = 0;

	for (c = 0; c < t->ncols && !err; c++)
		err = crm_csv_write_field(out, t->headers[c], c + 1 == t->ncols);
	for (r = 0; r < rows && !err; r++) {
		for (c = 0; c < t->ncols && !err; c++)
			err = crm_csv_write_field(out, cell(t, r, c), c + 1 == t->ncols);
	}
	return err;
}
