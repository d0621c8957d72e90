/* crm show REF: one record with every stored field (and the schema's
 * defaults for those its file leaves out, marked), its computed fields
 * (lookups, formulas; the lead score with each term's share) and the
 * records that refer to it. */
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/render.h"
#include "crm/score.h"
#include "crm/table.h"
#include "crm/utf8.h"

static const char usage[] = "[--json] [--wide] TYPE/ID | ID";

static void add_row(struct crm_table *t, const char *name, const char *value)
{
	crm_table_add(t, name);
	crm_table_add(t, value);
}

/* List fields of mappings (history, invoice lines) print as sub-tables. */
static void print_entries(const char *name, const struct crm_node *seq)
{
	struct crm_buf line = CRM_BUF_INIT, shown = CRM_BUF_INIT;
	size_t i, j;
	printf("\n%s:\n", name);
	for (i = 0; i < seq->count; i++) {
		const struct crm_node *e = seq->items[i];
		fputs("  -", stdout);
		crm_buf_reset(&line);
		for (j = 0; e->kind == CRM_NODE_MAP && j < e->count; j++) {
			const struct crm_node *v = e->pairs[j].value;
			crm_buf_addf(&line, " %s: %s%s", e->pairs[j].key->text,
				     v->kind == CRM_NODE_SCALAR ? v->text : "…",
				     j + 1 < e->count ? "," : "");
		}
		if (e->kind == CRM_NODE_SCALAR)
			crm_buf_addf(&line, " %s", e->text);
		crm_buf_reset(&shown);
		crm_utf8_escape_controls(&shown, line.ptr);
		printf("%s\n", shown.ptr);
	}
	crm_buf_release(&line);
	crm_buf_release(&shown);
}

static void print_fields(struct cli_ctx *ctx, struct crm_record *rec, bool computed,
			 bool wide)
{
	const struct crm_schema *s = rec->schema;
	static const char *const followups[] = { "last_activity", "next_step" };
	const char *headers[] = { "field", "value" };
	struct crm_table t;
	struct crm_buf cell = CRM_BUF_INIT;
	size_t i;

	crm_table_init(&t, 2, headers);
	for (i = 0; i < s->nfields; i++) {
		const struct crm_field *f = &s->fields[i];
		const struct crm_node *n = rec->root ? crm_node_get(rec->root, f->name) : NULL;
		bool defaulted = !computed && crm_record_default(rec, f->name);
		if (crm_field_is_computed(f) != computed || (!computed && !n && !defaulted))
			continue;
		if (n && n->kind == CRM_NODE_SEQ && n->count && n->items[0]->kind == CRM_NODE_MAP)
			continue;   /* printed below as entries */
		crm_buf_reset(&cell);
		crm_render_cell_display(&cell, ctx->idx, rec, f->name);
		/* the file leaves it out: the schema's default stands in */
		if (defaulted)
			crm_buf_adds(&cell, "  (default)");
		add_row(&t, f->name, cell.ptr);
	}
	for (i = 0; computed && i < sizeof(followups) / sizeof(*followups); i++) {
		bool is_computed = false;
		if (!crm_index_field(s, followups[i], &is_computed) || !is_computed)
			continue;
		crm_buf_reset(&cell);
		crm_render_cell(&cell, ctx->idx, rec, followups[i]);
		if (cell.len)   /* a record nobody has talked to shows none */
			add_row(&t, followups[i], cell.ptr);
	}
	for (i = 0; !computed && rec->root && i < rec->root->count; i++) {
		const struct crm_node *v = rec->root->pairs[i].value;
		if (crm_schema_field(s, rec->root->pairs[i].key->text))
			continue;
		add_row(&t, rec->root->pairs[i].key->text,
			v->kind == CRM_NODE_SCALAR ? v->text : "…");
	}
	if (crm_table_rows(&t)) {
		if (computed)
			fputs("\ncomputed:\n", stdout);
		crm_table_print(stdout, &t, cli_table_width(&t, wide), false);
	}
	crm_table_release(&t);
	crm_buf_release(&cell);
}

/* Each term's share of crm.ini's lead score, for a scored type. */
static void print_score_parts(struct cli_ctx *ctx, struct crm_record *rec)
{
	const char *headers[] = { "term", "points" };
	crm_score_parts parts = CRM_ARRAY_INIT;
	struct crm_buf cell = CRM_BUF_INIT;
	struct crm_table t;
	int64_t total;
	size_t i, j;

	for (i = 0; i < rec->schema->nfields; i++) {
		const struct crm_field *f = &rec->schema->fields[i];
		if (!f->score || crm_score_compute(&total, ctx->idx, rec, f->score, &parts))
			continue;
		printf("\n%s, %lld from:\n", f->name, (long long)total);
		crm_table_init(&t, 2, headers);
		crm_table_align_right(&t, 1, true);
		for (j = 0; j < parts.len; j++) {
			crm_buf_reset(&cell);
			crm_buf_addf(&cell, "%+lld", (long long)parts.ptr[j].points);
			add_row(&t, parts.ptr[j].key, cell.ptr);
		}
		if (!parts.len)
			add_row(&t, "(no term applies)", "0");
		crm_table_print(stdout, &t, 0, false);
		crm_table_release(&t);
		parts.len = 0;
	}
	CRM_ARRAY_RELEASE(parts);
	crm_buf_release(&cell);
}

static void print_record(struct cli_ctx *ctx, struct crm_record *rec, bool wide)
{
	const struct crm_backref *b;
	size_t i;

	printf("%s/%s  (%s)\n", rec->schema->type, rec->id, rec->path);
	if (!rec->root) {
		puts("the file could not be read; run 'crm check'");
		return;
	}
	print_fields(ctx, rec, false, wide);
	for (i = 0; i < rec->root->count; i++) {
		const struct crm_node *v = rec->root->pairs[i].value;
		if (v->kind == CRM_NODE_SEQ && v->count && v->items[0]->kind == CRM_NODE_MAP)
			print_entries(rec->root->pairs[i].key->text, v);
	}
	print_fields(ctx, rec, true, wide);
	print_score_parts(ctx, rec);
	if (crm_index_backrefs(ctx->idx, rec))
		fputs("\nreferenced by:\n", stdout);
	for (b = crm_index_backrefs(ctx->idx, rec); b; b = b->next)
		printf("  %s/%s (%s)\n", b->from->schema->type, b->from->id, b->field);
}

int cmd_show(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false, wide = false;
	const struct cli_option opts[] = {
		{ "json", 0, CLI_OPT_FLAG, &json, NULL, "print the record as one JSON document" },
		{ "wide", 0, CLI_OPT_FLAG, &wide, NULL,
		  "print long values whole, not cut with … to fit" },
		CLI_ARG(CLI_ARG_ONE, "REF"),
		CLI_OPT_END
	};
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_record *rec;
	int rc = cli_parse_ref(&rec, ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	if (json) {
		struct crm_json j;

		crm_json_init(&j, &out);
		rc = crm_render_record_json(&j, ctx->idx, rec, true);
		if (!rc)
			rc = crm_buf_addch(&out, '\n');
		if (!rc)
			rc = cli_write(&out);
		crm_buf_release(&out);
		return rc ? EXIT_PROBLEMS : EXIT_OK;
	}
	print_record(ctx, rec, wide);
	return EXIT_OK;
}
