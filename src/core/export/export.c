/* crm_export_type: one type's records as CSV or JSON (here), xlsx, vCard or
 * iCalendar (their own files), written atomically or to stdout; and the
 * formula-injection rule every spreadsheet-bound text goes through. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "crm/lockfile.h"
#include "crm/render.h"
#include "crm/table.h"
#include "core/export/export_internal.h"

const char *crm_export_extension(enum crm_export_format f)
{
	switch (f) {
	case CRM_EXPORT_CSV: return "csv";
	case CRM_EXPORT_XLSX: return "xlsx";
	case CRM_EXPORT_JSON: return "json";
	case CRM_EXPORT_VCARD: return "vcf";
	case CRM_EXPORT_ICAL: return "ics";
	}
	return "txt";
}

static bool is_trigger(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* "-2", "+1.5", "12": what a spreadsheet reads as a number in any case */
static bool is_plain_number(const char *s)
{
	size_t digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++)
			digits++;
	}
	return digits > 0 && !*s;
}

bool crm_export_needs_quote(const char *text)
{
	const char *p = text;

	while (*p == '\'')
		p++;
	if (!is_trigger(*p))
		return false;
	return p != text || !is_plain_number(text);
}

int crm_export_neutralise(struct crm_buf *out, const char *text)
{
	if (crm_export_needs_quote(text) && crm_buf_addch(out, '\''))
		return CRM_ENOMEM;
	return crm_buf_adds(out, text);
}

const char *crm_export_unneutralise(const char *text)
{
	if (text[0] == '\'' && crm_export_needs_quote(text + 1))
		return text + 1;
	return text;
}

static int join_scalars(struct crm_buf *out, const struct crm_node *seq)
{
	size_t i;
	for (i = 0; i < seq->count; i++) {
		if (i)
			crm_buf_adds(out, ", ");
		crm_buf_adds(out, seq->items[i]->text);
	}
	return 0;
}

static bool all_scalars(const struct crm_node *seq)
{
	size_t i;
	for (i = 0; i < seq->count; i++) {
		if (seq->items[i]->kind != CRM_NODE_SCALAR)
			return false;
	}
	return true;
}

int crm_export_cell_text(struct crm_buf *out, struct crm_index *idx,
			 struct crm_record *rec, const struct crm_field *f)
{
	const struct crm_node *n = rec->root ? crm_node_get(rec->root, f->name) : NULL;
	struct crm_value v;

	if (n && n->kind == CRM_NODE_SEQ && all_scalars(n))
		return join_scalars(out, n);
	if (n && n->kind != CRM_NODE_SCALAR) {
		struct crm_json j;
		crm_json_init(&j, out);
		return crm_render_field_json(&j, idx, rec, f->name);
	}
	/* "1d12h" as written: the index counts durations in seconds */
	if (n && f->type == CRM_F_DURATION)
		return crm_buf_adds(out, n->text);
	if (crm_index_value(&v, idx, rec, f->name))
		return 0;
	if (v.kind == CRM_V_ERROR)
		return crm_buf_addf(out, "#error: %s", v.u.text);
	if (v.kind == CRM_V_NULL && n && !crm_node_is_null(n))
		return crm_buf_adds(out, n->text);   /* unparsable: as written */
	return crm_value_format(out, &v);
}

int crm_export_columns_of(crm_export_columns *out, const struct crm_schema *s)
{
	static const char *const followups[] = { "last_activity", "next_step" };
	const struct crm_field *f, **slot;
	bool computed;
	size_t i;

	for (i = 0; i < s->nfields + 2; i++) {
		computed = false;
		f = i < s->nfields ? &s->fields[i]
				   : crm_index_field(s, followups[i - s->nfields], &computed);
		/* a schema's own field of that name is among its fields already */
		if (i >= s->nfields && (!f || !computed))
			continue;
		slot = CRM_ARRAY_PUSH(*out);
		if (!slot) {
			CRM_ARRAY_RELEASE(*out);
			return crm_error_set(CRM_ENOMEM, "out of memory");
		}
		*slot = f;
	}
	return 0;
}

int crm_export_each(struct crm_index *idx, const struct crm_schema *s,
		    int (*fn)(struct crm_index *idx, struct crm_record *rec, void *payload),
		    void *payload)
{
	struct crm_record **recs;
	size_t n, i;
	int err = 0;

	recs = crm_index_list(idx, s->type, &n);
	for (i = 0; i < n && !err; i++) {
		crm_index_trim(idx);
		crm_index_materialize(idx, recs[i]);
		err = fn(idx, recs[i], payload);
	}
	return err;
}

struct csv_state {
	FILE *out;
	crm_export_columns cols;
	struct crm_buf cell, safe;
};

static int csv_write(struct csv_state *st, const char *text, bool last)
{
	crm_buf_reset(&st->safe);
	if (crm_export_neutralise(&st->safe, text))
		return CRM_ENOMEM;
	return crm_csv_write_field(st->out, st->safe.ptr, last);
}

static int csv_row(struct crm_index *idx, struct crm_record *rec, void *payload)
{
	struct csv_state *st = payload;
	size_t i;
	int err = csv_write(st, rec->id, st->cols.len == 0);

	for (i = 0; i < st->cols.len && !err; i++) {
		crm_buf_reset(&st->cell);
		err = crm_export_cell_text(&st->cell, idx, rec, st->cols.ptr[i]);
		if (!err)
			err = csv_write(st, st->cell.ptr, i + 1 == st->cols.len);
	}
	return err;
}

/* CSV through libcsv's quoting (crm_csv_write_field) into memory */
static int export_csv(struct crm_buf *out, struct crm_index *idx, const struct crm_schema *s,
		      bool bom)
{
	struct csv_state st = { NULL, { NULL, 0, 0 }, CRM_BUF_INIT, CRM_BUF_INIT };
	char *mem = NULL;
	size_t len = 0, i;
	int err = crm_export_columns_of(&st.cols, s);

	if (err)
		return err;
	st.out = open_memstream(&mem, &len);
	if (!st.out) {
		CRM_ARRAY_RELEASE(st.cols);
		return crm_error_errno(CRM_ENOMEM, "cannot write CSV");
	}
	if (bom)
		fputs("\xEF\xBB\xBF", st.out);
	err = csv_write(&st, "id", st.cols.len == 0);
	for (i = 0; i < st.cols.len && !err; i++)
		err = csv_write(&st, st.cols.ptr[i]->name, i + 1 == st.cols.len);
	if (!err)
		err = crm_export_each(idx, s, csv_row, &st);
	if (fclose(st.out) && !err)
		err = crm_error_errno(CRM_EIO, "cannot write CSV");
	if (!err)
		err = crm_buf_add(out, mem, len);
	free(mem);
	CRM_ARRAY_RELEASE(st.cols);
	crm_buf_release(&st.cell);
	crm_buf_release(&st.safe);
	return err;
}

static int json_row(struct crm_index *idx, struct crm_record *rec, void *payload)
{
	return crm_render_record_json(payload, idx, rec, false);
}

/* The records as `crm show --json` prints each, in one array */
static int export_json(struct crm_buf *out, struct crm_index *idx, const struct crm_schema *s)
{
	struct crm_json j;
	int err;

	crm_json_init(&j, out);
	crm_json_array(&j, CRM_JSON_BLOCK);
	err = crm_export_each(idx, s, json_row, &j);
	crm_json_end(&j);
	if (!err)
		err = j.err ? j.err : crm_buf_addch(out, '\n');
	return err;
}

static int write_out(const char *path, const struct crm_buf *b)
{
	if (path)
		return crm_write_file_atomic(path, b->ptr, b->len);
	if (fwrite(b->ptr, 1, b->len, stdout) != b->len)
		return crm_error_errno(CRM_EIO, "cannot write to standard output");
	return 0;
}

static int check_format_fits(const struct crm_schema *s, const struct crm_export_options *o,
			     const char *path)
{
	if (o->format == CRM_EXPORT_XLSX && !path)
		return crm_error_set(CRM_EUSAGE, "xlsx needs a file: give -o FILE");
	if (o->format == CRM_EXPORT_VCARD && strcmp(s->type, "contact"))
		return crm_error_set(CRM_EUSAGE, "vCard is for contacts, not '%s'", s->type);
	if (o->format == CRM_EXPORT_VCARD && o->vcard_version != 3 && o->vcard_version != 4)
		return crm_error_set(CRM_EUSAGE, "vCard version %d: 3 or 4 only", o->vcard_version);
	if (o->format == CRM_EXPORT_ICAL && strcmp(s->type, "task") && strcmp(s->type, "activity"))
		return crm_error_set(CRM_EUSAGE, "iCalendar is for tasks and activities, not '%s'",
				     s->type);
	return 0;
}

int crm_export_type(struct crm_index *idx, const struct crm_schema *s, const char *path,
		    const struct crm_export_options *o)
{
	struct crm_buf out = CRM_BUF_INIT;
	int err = check_format_fits(s, o, path);

	if (err)
		return err;
	switch (o->format) {
	case CRM_EXPORT_XLSX:
		return crm_export_xlsx(idx, s, path);
	case CRM_EXPORT_CSV:
		err = export_csv(&out, idx, s, o->bom);
		break;
	case CRM_EXPORT_JSON:
		err = export_json(&out, idx, s);
		break;
	case CRM_EXPORT_VCARD:
		err = crm_export_vcards(&out, idx, s, o->vcard_version);
		break;
	case CRM_EXPORT_ICAL:
		err = crm_export_ical(&out, idx, s);
		break;
	}
	if (!err)
		err = write_out(path, &out);
	crm_buf_release(&out);
	return err;
}
