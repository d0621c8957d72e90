/* Width-aware text tables and their CSV form, and CSV files read as
 * spreadsheets and CRMs export them (the bytes made UTF-8 first, then split
 * by libcsv).  The only file that touches libcsv. */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	for (c = 0; c < t->ncols; c++) {
		/* a column wider than the cap or the whole width would be cut to
		 * it anyway: at once, not one column a step */
		if (t->cell_cap && w[c] > t->cell_cap)
			w[c] = t->cell_cap;
		if (max_width && w[c] > max_width)
			w[c] = max_width;
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

/* ---- reading ---- */

/* Where a byte offset of the (UTF-8) text falls: record and field numbers,
 * counted the way the parser will count them (quotes hide separators and
 * line ends). */
static void locate(const char *s, size_t off, char sep, size_t *row, size_t *col)
{
	size_t i;
	bool quoted = false;

	*row = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == sep)
			(*col)++;
		else if (!quoted && (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n'))) {
			(*row)++;
			*col = 1;
		}
	}
}

/* The separator that occurs most often outside quotes on the first line. */
static char sniff_separator(const char *s, size_t len)
{
	static const char seps[] = { ',', ';', '\t' };
	size_t counts[3] = { 0, 0, 0 }, i, k, best = 0;
	bool quoted = false;

	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		if (quoted)
			continue;
		if (s[i] == '\n' || s[i] == '\r')
			break;
		for (k = 0; k < 3; k++)
			counts[k] += s[i] == seps[k];
	}
	for (k = 1; k < 3; k++)
		if (counts[k] > counts[best])
			best = k;
	return seps[best];
}

static int convert(struct crm_buf *out, const char *data, size_t len, const char *from,
		   const char *display)
{
	iconv_t cd = iconv_open("UTF-8", from);
	char *in = (char *)data, *o;
	size_t inleft = len, outleft, done;
	int err = 0;

	if (cd == (iconv_t)-1)
		return crm_error_set(CRM_EUSAGE, "unknown encoding '%s'", from);
	while (inleft) {
		if (crm_buf_grow(out, inleft * 2 + 16)) {
			err = CRM_ENOMEM;
			break;
		}
		o = out->ptr + out->len;
		outleft = out->cap - out->len - 1;
		done = iconv(cd, &in, &inleft, &o, &outleft);
		out->len = (size_t)(o - out->ptr);
		out->ptr[out->len] = '\0';
		if (done != (size_t)-1 || errno == E2BIG)
			continue;
		err = crm_error_set(CRM_EINVALID, "%s: error: byte offset %zu: not valid %s text",
				    display, (size_t)(in - data), from);
		break;
	}
	iconv_close(cd);
	return err;
}

/* Makes `text` the file's content as UTF-8 without a leading BOM. */
static int decode(struct crm_buf *text, const char *data, size_t len,
		  const struct crm_csv_read_options *opts, const char **encoding)
{
	const unsigned char *u = (const unsigned char *)data;

	if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE && !opts->encoding) {
		*encoding = "UTF-16LE";
		return convert(text, data + 2, len - 2, "UTF-16LE", opts->display);
	}
	if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF && !opts->encoding) {
		*encoding = "UTF-16BE";
		return convert(text, data + 2, len - 2, "UTF-16BE", opts->display);
	}
	if (opts->encoding && strcasecmp(opts->encoding, "UTF-8") &&
	    strcasecmp(opts->encoding, "UTF8")) {
		*encoding = opts->encoding;
		return convert(text, data, len, opts->encoding, opts->display);
	}
	*encoding = "UTF-8";
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		data += 3;
		len -= 3;
	}
	return crm_buf_add(text, data, len);
}

struct reader {
	struct crm_csv_file *f;
	size_t row_cells;     /* cells of the record being read */
	size_t record;        /* records finished */
	int err;
};

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	char **slot;

	if (r->err)
		return;
	slot = CRM_ARRAY_PUSH(r->f->cells);
	if (!slot || !(*slot = strndup(s ? s : "", s ? len : 0))) {
		r->err = crm_error_set(CRM_ENOMEM, "out of memory");
		return;
	}
	r->row_cells++;
}

static void on_record(int c, void *data)
{
	struct reader *r = data;
	struct crm_csv_row *row;

	(void)c;
	if (r->err)
		return;
	row = CRM_ARRAY_PUSH(r->f->rows);
	if (!row) {
		r->err = CRM_ENOMEM;
		return;
	}
	r->record++;
	row->ncells = r->row_cells;
	row->first = r->f->cells.len - r->row_cells;
	row->number = r->record;
	r->row_cells = 0;
}

static bool looks_like_data(const char *s)
{
	char *end;
	if (!*s)
		return true;
	strtod(s, &end);
	if (!*end)
		return true;
	/* a date such as 2024-01-31 or 31.01.2024 */
	return strspn(s, "0123456789-./: ") == strlen(s);
}

/* A first row is a header when its cells are text that is not a number
 * or a date, and no two are the same.  Empty cells are allowed past the
 * first (Thunderbird ends every line with a comma). */
static bool first_row_is_header(const struct crm_csv_file *f)
{
	const struct crm_csv_row *r = &f->rows.ptr[0];
	size_t i, j;

	for (i = 0; i < r->ncells; i++) {
		const char *c = f->cells.ptr[r->first + i];
		if (!*c && i)
			continue;
		if (looks_like_data(c))
			return false;
		for (j = 0; j < i; j++)
			if (*c && !strcmp(c, f->cells.ptr[r->first + j]))
				return false;
	}
	return true;
}

/* Whether the row's cells past the header's last column are all empty:
 * Google's "Outlook CSV" export (Tine 2.0's test file of 2011) ends every
 * row, not the header, with a comma.  Nothing is lost by dropping them. */
static bool extra_cells_empty(const struct crm_csv_file *f, const struct crm_csv_row *r)
{
	size_t i;

	for (i = f->ncols; i < r->ncells; i++)
		if (*f->cells.ptr[r->first + i])
			return false;
	return true;
}

/* Whether every data row stops at the same column short of the header:
 * a German Outlook 2013 export in Tine 2.0's tests has rows of 89 cells
 * under 92 names, each stopping after the last column it fills (its
 * Sensitivity, never empty).  The header's last columns then hold no cell
 * and read as empty.  Rows of different lengths stay an error, and so do
 * rows of one cell: that is what a wrong separator makes. */
static bool rows_end_alike_short(const struct crm_csv_file *f)
{
	size_t i, n;

	if (!f->has_header || !f->rows.len)
		return false;
	n = f->rows.ptr[0].ncells;
	if (n < 2 || n >= f->ncols)
		return false;
	for (i = 1; i < f->rows.len; i++)
		if (f->rows.ptr[i].ncells != n)
			return false;
	return true;
}

static int name_columns(struct crm_csv_file *f, const char *display)
{
	bool short_alike;
	size_t i;

	if (!f->rows.len)
		return crm_error_set(CRM_EINVALID, "%s:1:1: error: the file holds no rows", display);
	f->ncols = f->rows.ptr[0].ncells;
	f->has_header = first_row_is_header(f);
	f->columns = calloc(f->ncols + 1, sizeof(char *));
	if (!f->columns)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < f->ncols; i++) {
		char num[24];
		snprintf(num, sizeof(num), "%zu", i + 1);
		f->columns[i] = f->has_header ? f->cells.ptr[f->rows.ptr[0].first + i] : strdup(num);
		if (!f->columns[i])
			return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	if (f->has_header) {
		memmove(f->rows.ptr, f->rows.ptr + 1, (f->rows.len - 1) * sizeof(*f->rows.ptr));
		f->rows.len--;
	}
	short_alike = rows_end_alike_short(f);
	for (i = 0; i < f->rows.len; i++) {
		const struct crm_csv_row *r = &f->rows.ptr[i];
		if (r->ncells == f->ncols || short_alike ||
		    (r->ncells > f->ncols && extra_cells_empty(f, r)))
			continue;
		return crm_error_set(CRM_EINVALID, "%s:%zu:%zu: error: ragged row: %zu fields, "
				     "the %s has %zu", display, r->number,
				     (r->ncells < f->ncols ? r->ncells : f->ncols) + 1,
				     r->ncells, f->has_header ? "header" : "first row",
				     f->ncols);
	}
	return 0;
}

/* Bytes that no CSV cell should hold: not UTF-8, NUL, a BOM past the start. */
static int check_text(const struct crm_buf *text, char sep, const char *display,
		      const char *encoding)
{
	size_t bad, row, col;
	const char *bom = memmem(text->ptr, text->len, "\xEF\xBB\xBF", 3);

	if (!crm_utf8_valid(text->ptr, text->len, &bad)) {
		locate(text->ptr, bad, sep, &row, &col);
		if (!text->ptr[bad])
			return crm_error_set(CRM_EINVALID, "%s:%zu:%zu: error: NUL byte at byte offset %zu",
					     display, row, col, bad);
		return crm_error_set(CRM_EINVALID, "%s:%zu:%zu: error: byte 0x%02X at byte offset %zu "
				     "is not %s (name the file's encoding with --encoding)",
				     display, row, col, (unsigned char)text->ptr[bad], bad,
				     encoding);
	}
	if (bom) {
		bad = (size_t)(bom - text->ptr);
		locate(text->ptr, bad, sep, &row, &col);
		return crm_error_set(CRM_EINVALID, "%s:%zu:%zu: error: byte-order mark inside the file "
				     "at byte offset %zu (two files joined?)", display, row, col, bad);
	}
	return 0;
}

int crm_csv_read(struct crm_csv_file *out, const char *data, size_t len,
		 const struct crm_csv_read_options *opts)
{
	struct crm_buf text = CRM_BUF_INIT;
	struct csv_parser p;
	struct reader r;
	const char *display = opts->display ? opts->display : "-";
	int err;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.f = out;
	err = decode(&text, data, len, opts, &out->encoding);
	if (err)
		goto done;
	out->sep = sniff_separator(text.ptr, text.len);
	err = check_text(&text, out->sep, display, out->encoding);
	if (err)
		goto done;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI)) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	csv_set_delim(&p, (unsigned char)out->sep);
	if (csv_parse(&p, text.ptr, text.len, on_field, on_record, &r) != text.len ||
	    csv_fini(&p, on_field, on_record, &r))
		err = r.err ? r.err : crm_error_set(CRM_EINVALID, "%s:%zu:%zu: error: malformed "
						    "quotes (a quote never closed, or text after "
						    "a closing quote)", display, r.record + 1,
						    r.row_cells + 1);
	csv_free(&p);
	if (!err)
		err = r.err;
	if (!err)
		err = name_columns(out, display);
done:
	crm_buf_release(&text);
	return err;
}

void crm_csv_file_release(struct crm_csv_file *f)
{
	size_t i;

	if (f->columns && !f->has_header)
		for (i = 0; i < f->ncols; i++)
			free((char *)f->columns[i]);
	free(f->columns);
	for (i = 0; i < f->cells.len; i++)
		free(f->cells.ptr[i]);
	CRM_ARRAY_RELEASE(f->cells);
	CRM_ARRAY_RELEASE(f->rows);
	memset(f, 0, sizeof(*f));
}

const char *crm_csv_cell(const struct crm_csv_file *f, size_t row, size_t col)
{
	const struct crm_csv_row *r = &f->rows.ptr[row];
	return col < r->ncells ? f->cells.ptr[r->first + col] : "";
}

long crm_csv_column(const struct crm_csv_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->ncols; i++)
		if (!strcmp(f->columns[i], name))
			return (long)i;
	for (i = 0; i < f->ncols; i++)
		if (!strcasecmp(f->columns[i], name))
			return (long)i;
	return -1;
}
