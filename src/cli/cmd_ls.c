/* crm ls TYPE [FILTER...]: the records of one type that pass the filters,
 * sorted and limited, as a table sized to the terminal, JSON, CSV or YAML;
 * files of the type that could not be read are counted on stderr. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crm/error.h"
#include "crm/filter.h"
#include "crm/index.h"
#include "crm/json.h"
#include "crm/render.h"
#include "crm/table.h"

static const char usage[] =
	"TYPE [FILTER...] [--sort FIELD[,-FIELD]] [--limit N] [--fields A,B] "
	"[--format table|json|csv|yaml] [--wide]";

/* Columns: --fields, else the schema's `columns`, else the id and the first
 * few single-valued fields. */
static int pick_columns(struct cli_list *cols, const struct crm_schema *s, char *fields_arg)
{
	size_t i;
	char *save = NULL, *tok;
	int err = cli_list_push(cols, "id");

	if (fields_arg) {
		for (tok = strtok_r(fields_arg, ",", &save); tok && !err;
		     tok = strtok_r(NULL, ",", &save)) {
			if (strcmp(tok, "id"))
				err = cli_list_push(cols, tok);
		}
		return err;
	}
	for (i = 0; i < s->ncolumns && !err; i++)
		err = cli_list_push(cols, s->columns[i]);
	/* without a `columns` list: the id and the first six plain fields */
	for (i = 0; !s->ncolumns && i < s->nfields && cols->len < 7 && !err; i++) {
		enum crm_field_type t = s->fields[i].type;
		if (t == CRM_F_LIST || t == CRM_F_FILES || t == CRM_F_MAP ||
		    !strcmp(s->fields[i].name, "notes"))
			continue;
		err = cli_list_push(cols, s->fields[i].name);
	}
	return err;
}

static int check_columns(const char **cols, size_t n, const struct crm_schema *s)
{
	size_t i;
	for (i = 1; i < n; i++) {
		if (!crm_index_field(s, cols[i], NULL) && strcmp(cols[i], "outcome"))
			return crm_error_set(CRM_EUSAGE, "%s has no field '%s'", s->type, cols[i]);
	}
	return 0;
}

static bool right_aligned(const struct crm_schema *s, const char *name)
{
	const struct crm_field *f = crm_schema_field(s, name);
	if (!f)
		return false;
	switch (f->type) {
	case CRM_F_MONEY: case CRM_F_NUMBER: case CRM_F_INTEGER: case CRM_F_PERCENT:
		return true;
	case CRM_F_FORMULA:
		return true;
	default:
		return false;
	}
}

/* Row `r` decoded, the rows before let go: every printer copies a row's
 * texts out before the next, so an ls of 40 000 deals holds one deal's
 * tree at a time, not all of them (at a million records that was a
 * sixth of the command's memory). */
static void take_row(struct cli_ctx *ctx, struct crm_record *rec)
{
	crm_index_trim(ctx->idx);
	crm_index_materialize(ctx->idx, rec);
}

static int print_table(struct cli_ctx *ctx, struct crm_record **recs, size_t n,
		       const char **cols, size_t ncols, const struct crm_schema *s, bool csv,
		       bool wide)
{
	struct crm_table t;
	struct crm_buf cell = CRM_BUF_INIT;
	size_t r, c;
	int err;

	crm_table_init(&t, ncols, cols);
	for (c = 0; c < ncols; c++)
		crm_table_align_right(&t, c, right_aligned(s, cols[c]));
	for (r = 0; r < n; r++) {
		take_row(ctx, recs[r]);
		for (c = 0; c < ncols; c++) {
			crm_buf_reset(&cell);
			if (c == 0)
				crm_buf_adds(&cell, recs[r]->id);
			else if (csv)
				crm_render_cell(&cell, ctx->idx, recs[r], cols[c]);
			else
				crm_render_cell_display(&cell, ctx->idx, recs[r], cols[c]);
			crm_table_add(&t, cell.ptr);
		}
	}
	err = csv ? crm_table_csv(stdout, &t)
		  : crm_table_print(stdout, &t, cli_table_width(&t, wide), ctx->color);
	crm_table_release(&t);
	crm_buf_release(&cell);
	return err;
}

static int print_json(struct cli_ctx *ctx, struct crm_record **recs, size_t n,
		      const char **cols, size_t ncols, bool all_fields)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_json j;
	size_t r, c;
	int err;

	crm_json_init(&j, &out);
	crm_json_array(&j, CRM_JSON_BLOCK);
	for (r = 0; r < n; r++) {
		take_row(ctx, recs[r]);
		if (all_fields) {
			crm_render_record_json(&j, ctx->idx, recs[r], false);
			continue;
		}
		crm_json_object(&j, CRM_JSON_INLINE);
		crm_json_key(&j, "id");
		crm_json_string(&j, recs[r]->id);
		for (c = 1; c < ncols; c++) {
			crm_json_key(&j, cols[c]);
			crm_render_field_json(&j, ctx->idx, recs[r], cols[c]);
		}
		crm_json_end(&j);
	}
	crm_json_end(&j);
	if (j.err) {
		crm_buf_release(&out);
		return j.err;
	}
	crm_buf_addch(&out, '\n');
	err = cli_write(&out);
	crm_buf_release(&out);
	return err;
}

static int print_yaml(struct cli_ctx *ctx, struct crm_record **recs, size_t n,
		      const char **cols, size_t ncols)
{
	struct crm_buf out = CRM_BUF_INIT, cell = CRM_BUF_INIT;
	size_t r, c;
	int err;

	for (r = 0; r < n; r++) {
		take_row(ctx, recs[r]);
		crm_buf_adds(&out, "- id: ");
		crm_render_yaml_scalar(&out, recs[r]->id);
		crm_buf_addch(&out, '\n');
		for (c = 1; c < ncols; c++) {
			crm_buf_reset(&cell);
			crm_render_cell(&cell, ctx->idx, recs[r], cols[c]);
			if (!cell.len)
				continue;
			crm_buf_addf(&out, "  %s: ", cols[c]);
			crm_render_yaml_scalar(&out, cell.ptr);
			crm_buf_addch(&out, '\n');
		}
	}
	err = cli_write(&out);
	crm_buf_release(&out);
	crm_buf_release(&cell);
	return err;
}

struct ls_opts {
	const char *sort, *format, *fields;
	long limit;
	bool json, csv, wide;
};

static int list_records(struct cli_ctx *ctx, const struct crm_schema *s, struct ls_opts *o,
			const char *const *terms, size_t nterms)
{
	struct crm_filter *filter = NULL;
	struct crm_record **all, **hits = NULL;
	struct cli_list cols = { NULL, 0, 0 };
	char *fields_copy = o->fields ? strdup(o->fields) : NULL;
	enum cli_format format;
	size_t n, nhits = 0, i;
	int err;

	err = cli_pick_format(&format, o->format, o->json, o->csv);
	if (!err)
		err = pick_columns(&cols, s, fields_copy);
	if (!err)
		err = check_columns(cols.items, cols.len, s);
	if (!err)
		err = crm_filter_parse(&filter, ctx->idx, s, terms, nterms);
	if (err)
		goto done;
	all = crm_index_list(ctx->idx, s->type, &n);
	hits = calloc(n + 1, sizeof(*hits));
	if (!hits) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	/* the filter sees one record at a time: the trees of those that do
	 * not match are let go on the way (crm_index_trim) */
	for (i = 0; i < n; i++) {
		crm_index_trim(ctx->idx);
		crm_index_materialize(ctx->idx, all[i]);
		if (crm_filter_match(filter, ctx->idx, all[i]))
			hits[nhits++] = all[i];
	}
	/* a sort compares values again and again: its records stay decoded
	 * through it (the printers then decode one row at a time) */
	for (i = 0; o->sort && i < nhits; i++)
		crm_index_materialize(ctx->idx, hits[i]);
	if (o->sort)
		err = crm_records_sort(hits, nhits, ctx->idx, s, o->sort);
	if (err)
		goto done;
	if (o->limit > 0 && (size_t)o->limit < nhits)
		nhits = (size_t)o->limit;
	if (format == CLI_FORMAT_JSON)
		err = print_json(ctx, hits, nhits, cols.items, cols.len, !o->fields);
	else if (format == CLI_FORMAT_YAML)
		err = print_yaml(ctx, hits, nhits, cols.items, cols.len);
	else
		err = print_table(ctx, hits, nhits, cols.items, cols.len, s,
				  format == CLI_FORMAT_CSV, o->wide);
done:
	crm_filter_free(filter);
	free(hits);
	free(fields_copy);
	cli_list_release(&cols);
	return err;
}

int cmd_ls(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ls_opts o = { NULL, NULL, NULL, 0, false, false, false };
	const struct cli_option opts[] = {
		{ "sort", 's', CLI_OPT_STRING, &o.sort, "FIELDS",
		  "sort by these fields, '-' before a field for descending" },
		{ "limit", 'n', CLI_OPT_INT, &o.limit, "N", "print at most N records" },
		{ "fields", 'f', CLI_OPT_STRING, &o.fields, "A,B", "the columns to print" },
		{ "format", 0, CLI_OPT_STRING, &o.format, "FMT", "table, json, csv or yaml" },
		{ "json", 0, CLI_OPT_FLAG, &o.json, NULL, "same as --format json" },
		{ "csv", 0, CLI_OPT_FLAG, &o.csv, NULL, "same as --format csv" },
		{ "wide", 0, CLI_OPT_FLAG, &o.wide, NULL,
		  "print long cells whole, not cut with … to fit" },
		CLI_ARG(CLI_ARG_ONE, "TYPE"),
		CLI_ARG(CLI_ARG_ANY, "FILTER"),
		CLI_OPT_END
	};
	const struct crm_schema *s;
	size_t unreadable;
	int err, rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	s = cli_find_type(ctx, argv[0]);
	if (!s)
		return EXIT_USAGE;
	err = list_records(ctx, s, &o, (const char *const *)argv + 1, (size_t)argc - 1);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		return cli_status(err);
	}
	/* as grep does with a file it cannot read: the records it could read
	 * are listed, the rest named on stderr, and the status says so */
	unreadable = crm_index_unreadable(ctx->idx, s->type);
	cli_report_unreadable(ctx->command, unreadable, false);
	return unreadable ? EXIT_PROBLEMS : EXIT_OK;
}
