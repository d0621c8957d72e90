/* Collecting, sorting and printing diagnostics in gcc's form, with the
 * offending source line and a caret under the column (as gcc and hledger
 * show them), or as JSON. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crm/diag.h"
#include "crm/error.h"
#include "crm/json.h"
#include "crm/utf8.h"

void crm_diags_init(struct crm_diags *d)
{
	memset(d, 0, sizeof(*d));
	crm_arena_init(&d->arena);
}

void crm_diags_release(struct crm_diags *d)
{
	CRM_ARRAY_RELEASE(d->list);
	crm_arena_release(&d->arena);
	d->errors = d->warnings = 0;
}

void crm_diags_add(struct crm_diags *d, const char *path, int line, int col,
		   enum crm_severity sev, const char *code, const char *fmt, ...)
{
	char msg[1024];
	struct crm_diag *slot;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	slot = CRM_ARRAY_PUSH(d->list);
	if (!slot)
		return;   /* out of memory: the count below still tells */
	slot->path = crm_arena_strdup(&d->arena, path ? path : "");
	slot->message = crm_arena_strdup(&d->arena, msg);
	slot->line = line;
	slot->col = col;
	slot->severity = sev;
	slot->code = code;
	if (sev == CRM_SEV_ERROR)
		d->errors++;
	else
		d->warnings++;
}

int crm_diags_merge(struct crm_diags *into, struct crm_diags *from)
{
	size_t i;
	for (i = 0; i < from->list.len; i++) {
		struct crm_diag *s = &from->list.ptr[i];
		crm_diags_add(into, s->path, s->line, s->col, s->severity, s->code,
			      "%s", s->message);
	}
	crm_diags_release(from);
	crm_diags_init(from);
	return 0;
}

static int compare_diags(const void *pa, const void *pb)
{
	const struct crm_diag *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return strcmp(a->code, b->code);
}

void crm_diags_sort(struct crm_diags *d)
{
	if (d->list.len > 1)
		qsort(d->list.ptr, d->list.len, sizeof(*d->list.ptr), compare_diags);
}

/* Line `want` of `text` into `raw`; false when not there. */
static bool line_of(struct crm_buf *raw, const struct crm_buf *text, int want)
{
	const char *p = text->ptr, *end = text->ptr + text->len, *nl;
	int line = 1;

	for (; line < want && (nl = memchr(p, '\n', (size_t)(end - p))); line++)
		p = nl + 1;
	if (line != want || p >= end)
		return false;
	for (; p < end && *p != '\n'; p++)
		crm_buf_addch(raw, *p == '\t' ? ' ' : *p);
	return true;
}

/* Reads line `want` of the file into `out`; false when not there. */
static bool read_line(struct crm_buf *raw, const struct crm_diag_print_opts *opts,
		      const char *path, int want)
{
	struct crm_buf text = CRM_BUF_INIT;
	char full[4096];
	FILE *f;
	int line = 1, c;
	bool ok;

	if (opts->read_file) {
		ok = !opts->read_file(opts->payload, path, &text) && line_of(raw, &text, want);
		crm_buf_release(&text);
		return ok;
	}
	if (snprintf(full, sizeof(full), "%s/%s", opts->root, path) >= (int)sizeof(full))
		return false;
	f = fopen(full, "rb");
	if (!f)
		return false;
	while (line < want && (c = getc(f)) != EOF) {
		if (c == '\n')
			line++;
	}
	while (line == want && (c = getc(f)) != EOF && c != '\n')
		crm_buf_addch(raw, c == '\t' ? ' ' : c);
	fclose(f);
	return line == want;
}

/* The caret goes under column `col`, counted in code points; the gap
 * before it is as wide on screen as the text it stands under, so the caret
 * still lines up after Chinese or Khmer text. */
static void print_source(FILE *out, const struct crm_diag *dg,
			 const struct crm_diag_print_opts *opts)
{
	struct crm_buf line = CRM_BUF_INIT, shown = CRM_BUF_INIT;
	size_t i, width;
	int col = 1;
	char saved;

	if (read_line(&line, opts, dg->path, dg->line) && line.len) {
		for (i = 0; i < line.len && col < dg->col; col++) {
			i++;
			while (i < line.len && ((unsigned char)line.ptr[i] & 0xC0) == 0x80)
				i++;
		}
		/* control characters shown escaped, the caret under the escape */
		saved = line.ptr[i];
		line.ptr[i] = '\0';
		crm_utf8_escape_controls(&shown, line.ptr);
		width = crm_utf8_width(shown.ptr);
		line.ptr[i] = saved;
		crm_buf_reset(&shown);
		crm_utf8_escape_controls(&shown, line.ptr);
		fprintf(out, "%5d | %s\n      | %*s^\n", dg->line, shown.ptr, (int)width, "");
	}
	crm_buf_release(&line);
	crm_buf_release(&shown);
}

int crm_diags_print(FILE *out, const struct crm_diags *d,
		    const struct crm_diag_print_opts *opts)
{
	struct crm_buf msg = CRM_BUF_INIT;   /* messages quote values from records */
	size_t i;
	for (i = 0; i < d->list.len; i++) {
		const struct crm_diag *dg = &d->list.ptr[i];
		bool err = dg->severity == CRM_SEV_ERROR;
		const char *sev = err ? "error" : "warning";
		const char *on = "", *off = "";

		if (opts && opts->color) {
			on = err ? "\033[1;31m" : "\033[1;35m";
			off = "\033[0m";
		}
		crm_buf_reset(&msg);
		crm_utf8_escape_controls(&msg, dg->message);
		if (dg->line > 0)
			fprintf(out, "%s:%d:%d: %s%s:%s %s [%s]\n", dg->path, dg->line,
				dg->col, on, sev, off, msg.ptr, dg->code);
		else
			fprintf(out, "%s: %s%s:%s %s [%s]\n", dg->path, on, sev, off,
				msg.ptr, dg->code);
		if (opts && opts->show_source && (opts->root || opts->read_file) && dg->line > 0)
			print_source(out, dg, opts);
	}
	crm_buf_release(&msg);
	return ferror(out) ? crm_error_set(CRM_EIO, "cannot write diagnostics") : 0;
}

int crm_diags_json(struct crm_json *j, const struct crm_diags *d)
{
	size_t i;

	crm_json_array(j, CRM_JSON_BLOCK);
	for (i = 0; i < d->list.len; i++) {
		const struct crm_diag *dg = &d->list.ptr[i];
		crm_json_object(j, CRM_JSON_INLINE);
		crm_json_key(j, "path");
		crm_json_string(j, dg->path);
		crm_json_key(j, "line");
		crm_json_int(j, dg->line);
		crm_json_key(j, "column");
		crm_json_int(j, dg->col);
		crm_json_key(j, "severity");
		crm_json_string(j, dg->severity == CRM_SEV_ERROR ? "error" : "warning");
		crm_json_key(j, "code");
		crm_json_string(j, dg->code);
		crm_json_key(j, "message");
		crm_json_string(j, dg->message);
		crm_json_end(j);
	}
	return crm_json_end(j);
}
