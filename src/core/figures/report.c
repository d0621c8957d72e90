/* Reports as data (cards and named tables of typed cells) and the plain
 * writers: the terminal page with Unicode bar charts fitted to its width,
 * JSON and CSV.  HTML and xlsx live in report_html.c and report_xlsx.c. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "crm/json.h"
#include "crm/locale_format.h"
#include "crm/money.h"
#include "crm/report.h"
#include "crm/table.h"
#include "crm/str.h"
#include "crm/utf8.h"

void crm_report_init(struct crm_report *r, const char *name, const char *title)
{
	memset(r, 0, sizeof(*r));
	crm_arena_init(&r->arena);
	r->name = name;
	r->title = title;
	r->currency = "EUR";
	r->list_rows = CRM_REPORT_LIST_ROWS;
}

void crm_report_list(struct crm_report_table *t, const char *more, size_t tail_rows)
{
	t->list = true;
	t->more = more;
	t->tail_rows = tail_rows;
}

bool crm_report_list_room(const struct crm_report *r, struct crm_report_table *t)
{
	if (!r->text_only || !r->list_rows || t->tail_rows || crm_report_rows(t) < r->list_rows)
		return true;
	t->omitted++;
	return false;
}

void crm_report_release(struct crm_report *r)
{
	size_t i;
	for (i = 0; i < r->tables.len; i++)
		CRM_ARRAY_RELEASE(r->tables.ptr[i]->cells);
	CRM_ARRAY_RELEASE(r->tables);
	CRM_ARRAY_RELEASE(r->cards);
	CRM_ARRAY_RELEASE(r->charts);
	crm_arena_release(&r->arena);
}

struct crm_cell crm_cell_text(struct crm_report *r, const char *s)
{
	struct crm_cell c = { 0 };
	if (s) {
		c.kind = CRM_CELL_TEXT;
		c.text = crm_arena_strdup(&r->arena, s);
		if (!c.text)
			c.kind = CRM_CELL_NULL;
	}
	return c;
}

struct crm_cell crm_cell_int(int64_t v)
{
	struct crm_cell c = { 0 };
	c.kind = CRM_CELL_INT;
	c.i = v;
	return c;
}

struct crm_cell crm_cell_money(crm_dec amount, const char *currency)
{
	struct crm_cell c = { 0 };
	c.kind = CRM_CELL_MONEY;
	c.d = amount;
	crm_str_copy(c.currency, sizeof(c.currency), currency ? currency : "");
	return c;
}

struct crm_cell crm_cell_number(crm_dec v)
{
	struct crm_cell c = { 0 };
	c.kind = CRM_CELL_NUMBER;
	c.d = v;
	return c;
}

struct crm_cell crm_cell_percent(crm_dec fraction)
{
	struct crm_cell c = { 0 };
	c.kind = CRM_CELL_PERCENT;
	c.d = fraction;
	return c;
}

struct crm_cell crm_cell_date(crm_date d)
{
	struct crm_cell c = { 0 };
	c.kind = CRM_CELL_DATE;
	c.date = d;
	return c;
}

struct crm_cell crm_cell_ratio(int64_t count, int64_t total)
{
	struct crm_cell c = { 0 };
	crm_dec q;
	if (total <= 0 ||
	    crm_dec_div(&q, crm_dec_from_int(count), crm_dec_from_int(total), 4))
		return c;
	return crm_cell_percent(q);
}

int crm_report_card(struct crm_report *r, const char *key, const char *label,
		    struct crm_cell value)
{
	struct crm_report_card *c = CRM_ARRAY_PUSH(r->cards);
	if (!c)
		return CRM_ENOMEM;
	c->key = key;
	c->label = label;
	c->value = value;
	return 0;
}

int crm_report_table_of(struct crm_report_table **out, struct crm_report *r,
			const char *name, const char *title,
			const struct crm_report_column *cols, size_t ncols)
{
	struct crm_report_table *t, **slot;

	*out = NULL;
	t = crm_arena_alloc(&r->arena, sizeof(*t));
	if (t)
		t->cols = crm_arena_alloc(&r->arena, (ncols + 1) * sizeof(*t->cols));
	if (!t || !t->cols)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	t->name = name;
	t->title = title;
	t->ncols = ncols;
	if (ncols)
		memcpy(t->cols, cols, ncols * sizeof(*cols));
	slot = CRM_ARRAY_PUSH(r->tables);
	if (!slot)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	*slot = t;
	*out = t;
	return 0;
}

int crm_report_table(struct crm_report_table **out, struct crm_report *r,
		     const char *name, const char *title, ...)
{
	struct crm_report_column cols[32];
	va_list ap;
	size_t n = 0;
	const char *s;

	*out = NULL;
	va_start(ap, title);
	while ((s = va_arg(ap, const char *)) != NULL && n < 2 * 32) {
		if (n % 2)
			cols[n / 2].label = s;
		else
			cols[n / 2].name = s;
		n++;
	}
	va_end(ap);
	if (s)
		return crm_error_set(CRM_EINVALID, "table '%s': more than 32 columns", name);
	if (n % 2)
		return crm_error_set(CRM_EINVALID, "table '%s': columns come in name, label pairs",
				     name);
	return crm_report_table_of(out, r, name, title, cols, n / 2);
}

int crm_report_add(struct crm_report_table *t, struct crm_cell c)
{
	struct crm_cell *slot = CRM_ARRAY_PUSH(t->cells);
	if (!slot)
		return CRM_ENOMEM;
	*slot = c;
	return 0;
}

size_t crm_report_rows(const struct crm_report_table *t)
{
	return t->ncols ? t->cells.len / t->ncols : 0;
}

const struct crm_cell *crm_report_cell(const struct crm_report_table *t, size_t row,
				       size_t col)
{
	return &t->cells.ptr[row * t->ncols + col];
}

int crm_report_chart(struct crm_report *r, const struct crm_report_table *t,
		     enum crm_chart_kind kind, const char *title, size_t label_col,
		     size_t value_col)
{
	struct crm_report_chart *c;
	size_t i;

	for (i = 0; i < r->tables.len && r->tables.ptr[i] != t; i++)
		;
	if (i == r->tables.len || label_col >= t->ncols || value_col >= t->ncols)
		return crm_error_set(CRM_EINVALID, "chart '%s' names no column of its table",
				     title);
	c = CRM_ARRAY_PUSH(r->charts);
	if (!c)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	c->title = title;
	c->kind = kind;
	c->table = i;
	c->label_col = label_col;
	c->value_col = value_col;
	r->tables.ptr[i]->charted = true;
	return 0;
}

struct crm_report_table *crm_report_find(const struct crm_report *r, const char *name)
{
	size_t i;
	for (i = 0; i < r->tables.len; i++) {
		if (!strcmp(r->tables.ptr[i]->name, name))
			return r->tables.ptr[i];
	}
	return NULL;
}

/* `decimal` as the display locale writes it ("1,234.5"), then `suffix`. */
static int add_grouped(struct crm_buf *out, const char *decimal, const char *suffix)
{
	char tmp[96];
	crm_locale_group(tmp, sizeof(tmp), decimal);   /* as it is when ICU cannot */
	return crm_buf_addf(out, "%s%s", tmp, suffix);
}

int crm_cell_format(struct crm_buf *out, const struct crm_cell *c, bool plain)
{
	char tmp[64];
	struct crm_money m;
	crm_dec pct;

	switch (c->kind) {
	case CRM_CELL_NULL:
		return 0;
	case CRM_CELL_TEXT:
		return crm_buf_adds(out, c->text);
	case CRM_CELL_INT:
		snprintf(tmp, sizeof(tmp), "%lld", (long long)c->i);
		return plain ? crm_buf_adds(out, tmp) : add_grouped(out, tmp, "");
	case CRM_CELL_MONEY:
		m.amount = c->d;
		memcpy(m.currency, c->currency, sizeof(m.currency));
		if (plain ? crm_money_format_amount(tmp, sizeof(tmp), &m)
			  : crm_money_format_display(tmp, sizeof(tmp), &m))
			return crm_buf_adds(out, "#overflow");
		return crm_buf_adds(out, tmp);
	case CRM_CELL_NUMBER:
		crm_dec_format_trim(tmp, sizeof(tmp), c->d);
		return plain ? crm_buf_adds(out, tmp) : add_grouped(out, tmp, "");
	case CRM_CELL_PERCENT:
		if (plain) {
			crm_dec_format_trim(tmp, sizeof(tmp), c->d);
			return crm_buf_adds(out, tmp);
		}
		if (crm_dec_mul_round(&pct, c->d, crm_dec_from_int(100), 1))
			return crm_buf_adds(out, "#overflow");
		crm_dec_format(tmp, sizeof(tmp), pct);
		return add_grouped(out, tmp, "%");
	case CRM_CELL_DATE:
		crm_date_format(tmp, sizeof(tmp), c->date);
		return crm_buf_adds(out, tmp);
	}
	return 0;
}

double crm_cell_magnitude(const struct crm_cell *c)
{
	double v = 0, div = 1;
	int i;

	switch (c->kind) {
	case CRM_CELL_INT:
		return (double)c->i;
	case CRM_CELL_MONEY: case CRM_CELL_NUMBER: case CRM_CELL_PERCENT:
		/* geometry only: bar lengths and pie angles, never a figure */
		for (i = 0; i < c->d.scale; i++)
			div *= 10;
		v = (double)c->d.units / div;
		return v;
	default:
		return 0;
	}
}

int crm_report_header(struct crm_buf *out, const struct crm_report *r)
{
	crm_buf_adds(out, r->title);
	if (r->commit[0])
		crm_buf_addf(out, ", as of commit %s (%s)", r->short_commit, r->commit_date);
	else
		crm_buf_adds(out, ", as of the work tree (no commit yet)");
	if (r->dirty)
		crm_buf_adds(out, " with uncommitted changes");
	if (r->scope && *r->scope)
		crm_buf_addf(out, "; %s", r->scope);
	return crm_buf_addf(out, "; amounts in %s", r->currency);
}

int crm_report_unreadable_note(struct crm_buf *out, size_t unreadable)
{
	if (!unreadable)
		return 0;
	return crm_buf_addf(out, "%zu record file%s could not be read (crm check shows why)",
			    unreadable, unreadable == 1 ? "" : "s");
}

/* ---- terminal ---- */

static bool numeric(enum crm_cell_kind k)
{
	return k == CRM_CELL_INT || k == CRM_CELL_MONEY || k == CRM_CELL_NUMBER ||
	       k == CRM_CELL_PERCENT;
}

#define CARD_WIDTH 24

static void add_rule(struct crm_buf *b, const char *left, const char *right, size_t n)
{
	size_t i;
	crm_buf_adds(b, left);
	for (i = 0; i < n; i++)
		crm_buf_adds(b, "─");
	crm_buf_adds(b, right);
}

/* Cards in boxed rows, as many a row as the width holds. */
static void text_cards(struct crm_buf *b, const struct crm_report *r, size_t width,
		       bool color)
{
	size_t per_row = width / (CARD_WIDTH + 2), i, j, n = r->cards.len;
	struct crm_buf v = CRM_BUF_INIT;

	if (per_row < 1)
		per_row = 1;
	for (i = 0; i < n; i += per_row) {
		size_t end = i + per_row < n ? i + per_row : n;
		for (j = i; j < end; j++)
			add_rule(b, "┌", "┐", CARD_WIDTH);
		crm_buf_addch(b, '\n');
		for (j = i; j < end; j++) {
			crm_buf_adds(b, "│ ");
			crm_utf8_pad(b, r->cards.ptr[j].label, CARD_WIDTH - 2, false);
			crm_buf_adds(b, " │");
		}
		crm_buf_addch(b, '\n');
		for (j = i; j < end; j++) {
			crm_buf_reset(&v);
			crm_cell_format(&v, &r->cards.ptr[j].value, false);
			if (!v.len)
				crm_buf_adds(&v, "-");
			crm_buf_adds(b, "│ ");
			if (color)
				crm_buf_adds(b, "\033[1m");
			crm_utf8_pad(b, v.ptr, CARD_WIDTH - 2, true);
			if (color)
				crm_buf_adds(b, "\033[0m");
			crm_buf_adds(b, " │");
		}
		crm_buf_addch(b, '\n');
		for (j = i; j < end; j++)
			add_rule(b, "└", "┘", CARD_WIDTH);
		crm_buf_addch(b, '\n');
	}
	crm_buf_release(&v);
}

size_t crm_report_bar(struct crm_buf *b, double value, double max, size_t width)
{
	static const char *const part[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	size_t i, eighths = 0;

	if (value > 0 && max > 0)
		eighths = (size_t)(value / max * (double)(width * 8) + 0.5);
	for (i = 0; i < eighths / 8; i++)
		crm_buf_adds(b, "█");
	crm_buf_adds(b, part[eighths % 8]);
	return (eighths + 7) / 8;
}

size_t crm_report_axis(double *ticks, size_t cap, double max)
{
	static const double nice[] = { 1, 2, 5, 10 };
	double raw, mag, step = 0;
	size_t i, n = 0;

	if (!(max > 0) || !cap)
		return 0;
	raw = max / 4;
	mag = pow(10, floor(log10(raw)));
	for (i = 0; i < sizeof(nice) / sizeof(*nice) && !step; i++) {
		if (nice[i] * mag >= raw * (1 - 1e-9))
			step = nice[i] * mag;
	}
	for (n = 0; n < cap && (double)n * step <= max * (1 + 1e-9); n++)
		ticks[n] = (double)n * step;
	return n;
}

int crm_report_axis_label(struct crm_buf *out, double tick, double step)
{
	char plain[64], grouped[96];
	int decimals = step >= 1 || step <= 0 ? 0 : (int)ceil(-log10(step) - 1e-9);

	snprintf(plain, sizeof(plain), "%.*f", decimals, tick);
	crm_locale_group(grouped, sizeof(grouped), plain);
	return crm_buf_adds(out, grouped);
}

/* Under a bar chart: a rule with a mark at each tick, and the ticks' values
 * starting under their marks, a label left out where it would run into the
 * one before.  `indent` columns precede the bars, which are `bar_w` wide. */
static void text_axis(struct crm_buf *b, size_t indent, size_t bar_w, double max)
{
	double ticks[8];
	size_t n = crm_report_axis(ticks, 8, max), i, col, pos, next_free = 0;
	struct crm_buf label = CRM_BUF_INIT;

	if (n < 2)
		return;
	crm_buf_addchars(b, ' ', indent);
	for (col = 0, i = 0; col <= bar_w; col++) {
		pos = i < n ? (size_t)(ticks[i] / max * (double)bar_w + 0.5) : bar_w + 1;
		crm_buf_adds(b, col == pos ? (i++ ? "┴" : "└") : "─");
	}
	crm_buf_addch(b, '\n');
	crm_buf_addchars(b, ' ', indent);
	for (col = 0, i = 0; i < n; i++) {
		pos = (size_t)(ticks[i] / max * (double)bar_w + 0.5);
		if (i && pos < next_free)
			continue;
		crm_buf_reset(&label);
		crm_report_axis_label(&label, ticks[i], ticks[1] - ticks[0]);
		crm_buf_addchars(b, ' ', pos - col);
		crm_buf_adds(b, label.ptr);
		col = pos + crm_utf8_width(label.ptr);
		next_free = col + 1;
	}
	crm_buf_addch(b, '\n');
	crm_buf_release(&label);
}

static void text_chart(struct crm_buf *b, const struct crm_report *r,
		       const struct crm_report_chart *c, size_t width, bool color)
{
	const struct crm_report_table *t = r->tables.ptr[c->table];
	size_t rows = crm_report_rows(t), i, label_w = 1, value_w = 1, bar_w;
	struct crm_buf label = CRM_BUF_INIT, value = CRM_BUF_INIT;
	double max = 0, total = 0;

	for (i = 0; i < rows; i++) {
		double v = crm_cell_magnitude(crm_report_cell(t, i, c->value_col));
		size_t w;
		if (v > max)
			max = v;
		if (v > 0)
			total += v;
		crm_buf_reset(&label);
		crm_cell_format(&label, crm_report_cell(t, i, c->label_col), false);
		w = crm_utf8_width(label.ptr);
		label_w = w > label_w ? w : label_w;
		crm_buf_reset(&value);
		crm_cell_format(&value, crm_report_cell(t, i, c->value_col), false);
		w = crm_utf8_width(value.ptr) + (c->kind == CRM_CHART_PIE ? 9 : 0);
		value_w = w > value_w ? w : value_w;
	}
	if (label_w > width / 3)
		label_w = width / 3 ? width / 3 : 1;
	bar_w = width > label_w + value_w + 4 ? width - label_w - value_w - 4 : 1;
	if (color)
		crm_buf_adds(b, "\033[1m");
	crm_buf_adds(b, c->title);
	if (color)
		crm_buf_adds(b, "\033[0m");
	crm_buf_addch(b, '\n');
	if (!rows)
		crm_buf_adds(b, "  (none)\n");
	for (i = 0; i < rows; i++) {
		const struct crm_cell *vc = crm_report_cell(t, i, c->value_col);
		double v = crm_cell_magnitude(vc);
		size_t used;

		crm_buf_reset(&label);
		crm_cell_format(&label, crm_report_cell(t, i, c->label_col), false);
		crm_buf_addch(b, ' ');
		crm_utf8_pad(b, label.ptr, label_w, false);
		crm_buf_addch(b, ' ');
		if (color)
			crm_buf_adds(b, "\033[36m");
		used = crm_report_bar(b, v, max, bar_w);
		if (color)
			crm_buf_adds(b, "\033[0m");
		crm_buf_addchars(b, ' ', bar_w - (used < bar_w ? used : bar_w) + 1);
		crm_buf_reset(&value);
		crm_cell_format(&value, vc, false);
		if (c->kind == CRM_CHART_PIE && total > 0)
			crm_buf_addf(&value, " (%4.1f%%)", v > 0 ? v / total * 100 : 0.0);
		crm_utf8_pad(b, value.ptr, value_w, true);
		crm_buf_addch(b, '\n');
	}
	if (c->kind == CRM_CHART_BAR && rows)
		text_axis(b, label_w + 2, bar_w, max);
	crm_buf_release(&label);
	crm_buf_release(&value);
}

/* "42922" as "42 922": a count people read at a glance. */
static void add_count(struct crm_buf *b, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%zu", n), i;

	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			crm_buf_addch(b, ' ');
		crm_buf_addch(b, digits[i]);
	}
}

/* Whether row `i` of `rows` is shown: all of them, or a list's first
 * `limit` and last t->tail_rows. */
static bool row_shown(const struct crm_report_table *t, size_t i, size_t rows, size_t limit)
{
	if (!t->list || !limit || rows <= limit + t->tail_rows)
		return true;
	return i < limit || i >= rows - t->tail_rows;
}

static int text_table(FILE *out, const struct crm_report_table *t, size_t width, bool color,
		      size_t limit)
{
	struct crm_table tt;
	const char **headers = calloc(t->ncols + 1, sizeof(*headers));
	struct crm_buf cell = CRM_BUF_INIT;
	size_t i, j, rows = crm_report_rows(t), hidden = t->omitted;
	int err;

	if (!headers)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < t->ncols; i++)
		headers[i] = t->cols[i].label;
	err = crm_table_init(&tt, t->ncols, headers);
	for (j = 0; j < t->ncols && !err; j++) {
		for (i = 0; i < rows; i++) {
			enum crm_cell_kind k = crm_report_cell(t, i, j)->kind;
			if (k != CRM_CELL_NULL) {
				crm_table_align_right(&tt, j, numeric(k));
				break;
			}
		}
	}
	for (i = 0; i < rows && !err; i++) {
		if (!row_shown(t, i, rows, limit)) {
			hidden++;
			continue;
		}
		for (j = 0; j < t->ncols && !err; j++) {
			crm_buf_reset(&cell);
			crm_cell_format(&cell, crm_report_cell(t, i, j), false);
			err = crm_table_add(&tt, cell.ptr);
		}
	}
	if (!err) {
		if (color)
			fputs("\033[1m", out);
		fprintf(out, "%s\n", t->title);
		if (color)
			fputs("\033[0m", out);
		if (rows)
			err = crm_table_print(out, &tt, width, color);
		else
			fputs("  (none)\n", out);
	}
	if (!err && hidden) {
		crm_buf_reset(&cell);
		crm_buf_adds(&cell, "… and ");
		add_count(&cell, hidden);
		crm_buf_addf(&cell, " more (%s)\n", t->more ? t->more : "--all shows every row");
		fputs(cell.ptr, out);
	}
	crm_table_release(&tt);
	crm_buf_release(&cell);
	free(headers);
	return err;
}

int crm_report_write_text(FILE *out, const struct crm_report *r, size_t width, bool color)
{
	struct crm_buf b = CRM_BUF_INIT;
	size_t i, chart_width = width ? width : 80;   /* tables: no limit off a terminal */
	int err = 0;

	crm_report_header(&b, r);
	crm_buf_addch(&b, '\n');
	if (r->unreadable) {
		crm_buf_adds(&b, "warning: ");
		crm_report_unreadable_note(&b, r->unreadable);
		crm_buf_addch(&b, '\n');
	}
	crm_buf_addch(&b, '\n');
	if (r->cards.len) {
		text_cards(&b, r, chart_width, color);
		crm_buf_addch(&b, '\n');
	}
	for (i = 0; i < r->charts.len; i++) {
		text_chart(&b, r, &r->charts.ptr[i], chart_width, color);
		crm_buf_addch(&b, '\n');
	}
	fwrite(b.ptr, 1, b.len, out);
	for (i = 0; i < r->tables.len && !err; i++) {
		if (r->tables.ptr[i]->charted)
			continue;
		err = text_table(out, r->tables.ptr[i], width, color, r->list_rows);
		if (i + 1 < r->tables.len)
			fputc('\n', out);
	}
	crm_buf_release(&b);
	return err;
}

/* ---- JSON ---- */

static void json_cell(struct crm_json *j, const struct crm_cell *c)
{
	char tmp[32];

	switch (c->kind) {
	case CRM_CELL_NULL:
		crm_json_null(j);
		break;
	case CRM_CELL_TEXT:
		crm_json_string(j, c->text);
		break;
	case CRM_CELL_INT:
		crm_json_int(j, c->i);
		break;
	case CRM_CELL_MONEY:
		crm_json_money(j, c->d, c->currency);
		break;
	case CRM_CELL_NUMBER: case CRM_CELL_PERCENT:
		crm_json_decimal(j, c->d, true);
		break;
	case CRM_CELL_DATE:
		crm_date_format(tmp, sizeof(tmp), c->date);
		crm_json_string(j, tmp);
		break;
	}
}

int crm_report_write_json(struct crm_buf *b, const struct crm_report *r)
{
	struct crm_json j;
	size_t i, row, col;

	crm_json_init(&j, b);
	crm_json_object(&j, CRM_JSON_BLOCK);
	crm_json_key(&j, "report");
	crm_json_string(&j, r->name);
	crm_json_key(&j, "commit");
	crm_json_string(&j, r->commit[0] ? r->commit : NULL);
	crm_json_key(&j, "commit_date");
	crm_json_string(&j, r->commit[0] ? r->commit_date : NULL);
	crm_json_key(&j, "dirty");
	crm_json_bool(&j, r->dirty);
	/* always there, 0 when every file was read: a key that comes and goes
	 * is one a script forgets to look at */
	crm_json_key(&j, "unreadable_files");
	crm_json_int(&j, (int64_t)r->unreadable);
	crm_json_key(&j, "currency");
	crm_json_string(&j, r->currency);
	for (i = 0; i < r->cards.len; i++) {
		crm_json_key(&j, r->cards.ptr[i].key);
		json_cell(&j, &r->cards.ptr[i].value);
	}
	for (i = 0; i < r->tables.len; i++) {
		const struct crm_report_table *t = r->tables.ptr[i];
		size_t rows = crm_report_rows(t);
		crm_json_key(&j, t->name);
		crm_json_array(&j, CRM_JSON_BLOCK);
		for (row = 0; row < rows; row++) {
			crm_json_object(&j, CRM_JSON_INLINE);
			for (col = 0; col < t->ncols; col++) {
				crm_json_key(&j, t->cols[col].name);
				json_cell(&j, crm_report_cell(t, row, col));
			}
			crm_json_end(&j);
		}
		crm_json_end(&j);
	}
	crm_json_end(&j);
	return j.err ? j.err : crm_buf_addch(b, '\n');
}

/* ---- CSV ---- */

static int csv_table(FILE *out, const struct crm_report_table *t)
{
	struct crm_buf cell = CRM_BUF_INIT;
	size_t i, j, rows = crm_report_rows(t);
	int err = 0;

	for (j = 0; j < t->ncols && !err; j++)
		err = crm_csv_write_field(out, t->cols[j].name, j + 1 == t->ncols);
	for (i = 0; i < rows && !err; i++) {
		for (j = 0; j < t->ncols && !err; j++) {
			crm_buf_reset(&cell);
			crm_cell_format(&cell, crm_report_cell(t, i, j), true);
			err = crm_csv_write_field(out, cell.ptr, j + 1 == t->ncols);
		}
	}
	crm_buf_release(&cell);
	return err;
}

static int csv_cards(FILE *out, const struct crm_report *r)
{
	struct crm_buf cell = CRM_BUF_INIT;
	size_t i;
	int err = crm_csv_write_field(out, "key", false);

	if (!err)
		err = crm_csv_write_field(out, "label", false);
	if (!err)
		err = crm_csv_write_field(out, "value", true);
	for (i = 0; i < r->cards.len && !err; i++) {
		crm_buf_reset(&cell);
		crm_cell_format(&cell, &r->cards.ptr[i].value, true);
		err = crm_csv_write_field(out, r->cards.ptr[i].key, false);
		if (!err)
			err = crm_csv_write_field(out, r->cards.ptr[i].label, false);
		if (!err)
			err = crm_csv_write_field(out, cell.ptr, true);
	}
	crm_buf_release(&cell);
	return err;
}

int crm_report_write_csv(FILE *out, const struct crm_report *r, const char *name)
{
	struct crm_buf names = CRM_BUF_INIT;
	size_t i;
	int err = 0;

	if (name && !strcmp(name, "figures") && r->cards.len)
		return csv_cards(out, r);
	if (name) {
		const struct crm_report_table *t = crm_report_find(r, name);
		if (t)
			return csv_table(out, t);
		if (r->cards.len)
			crm_buf_adds(&names, "figures");
		for (i = 0; i < r->tables.len; i++)
			crm_buf_addf(&names, "%s%s", names.len ? ", " : "", r->tables.ptr[i]->name);
		err = crm_error_set(CRM_EUSAGE, "no table '%s' in this report (tables: %s)",
				    name, names.ptr);
		crm_buf_release(&names);
		return err;
	}
	if (!r->cards.len && r->tables.len == 1)
		return csv_table(out, r->tables.ptr[0]);
	/* the sections are "# " lines already: the note is one more */
	if (r->unreadable) {
		crm_report_unreadable_note(&names, r->unreadable);
		fprintf(out, "# %s\n\n", names.ptr);
		crm_buf_release(&names);
	}
	if (r->cards.len) {
		fputs("# figures\n", out);
		err = csv_cards(out, r);
	}
	for (i = 0; i < r->tables.len && !err; i++) {
		fprintf(out, "%s# %s\n", (i || r->cards.len) ? "\n" : "", r->tables.ptr[i]->name);
		err = csv_table(out, r->tables.ptr[i]);
	}
	return err;
}

const char *crm_report_group_column(const char *table_name)
{
	return strncmp(table_name, "by_", 3) ? table_name : table_name + 3;
}
