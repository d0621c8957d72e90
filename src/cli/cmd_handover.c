/* crm handover --from U --to V [FILTER...]: a departing colleague's clients,
 * open deals and open tasks reassigned in one commit (through the write
 * check, all or nothing), and a table of what moved by type. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/table.h"

static const char usage[] = "--from USER --to USER [FILTER...]";

/* What is handed over, by shipped type: the field that names the
 * colleague, and the term that keeps only what is still open. */
struct handed {
	const char *type, *field, *open_term;
};

static const struct handed handed[] = {
	{ "client", "owner", NULL },
	{ "opportunity", "owner", "outcome=open" },
	{ "task", "assignee", "status=open" },
};

#define NHANDED (sizeof(handed) / sizeof(*handed))

static const struct handed *handed_of(const struct crm_schema *s)
{
	size_t i;
	for (i = 0; i < NHANDED; i++)
		if (!strcmp(handed[i].type, s->type))
			return &handed[i];
	return NULL;
}

static int reassign(struct cli_ctx *ctx, struct cli_edit *e, struct crm_record *rec,
		    void *payload)
{
	(void)ctx;
	return cli_edit_set(e, handed_of(rec->schema)->field, payload);
}

/* The records of one handed-over type: the colleague's, open, and passing
 * the user's filters (a type whose fields the filters do not name is left
 * out).  *count receives how many were selected. */
static int select_type(struct cli_bulk *b, struct cli_ctx *ctx, const struct handed *h,
		       const char *from, char **filters, int nfilters, size_t *count,
		       bool *parsed)
{
	const struct crm_schema *s = crm_repo_schema(&ctx->repo, h->type);
	struct crm_buf who = CRM_BUF_INIT;
	struct cli_list terms = { NULL, 0, 0 };
	size_t before = b->recs.len;
	int i, err;

	*count = 0;
	if (!s || !crm_schema_field(s, h->field))
		return 0;
	crm_buf_addf(&who, "%s=%s", h->field, from);
	err = crm_buf_check(&who);
	if (!err)
		err = cli_list_push(&terms, who.ptr);
	if (!err && h->open_term)
		err = cli_list_push(&terms, h->open_term);
	for (i = 0; i < nfilters && !err; i++)
		err = cli_list_push(&terms, filters[i]);
	if (!err)
		err = cli_bulk_select(b, ctx, s, terms.items, terms.len);
	*parsed = !err;
	/* a filter on a field this type lacks is for the other types */
	if (err == CRM_EUSAGE && nfilters)
		err = 0;
	*count = b->recs.len - before;
	cli_list_release(&terms);
	crm_buf_release(&who);
	return err;
}

static int print_moved(const size_t *counts, const char *from, const char *to)
{
	static const char *const headers[] = { "type", "moved" };
	struct crm_buf cell = CRM_BUF_INIT;
	struct crm_table t;
	size_t i;
	int err;

	printf("from %s to %s:\n", from, to);
	crm_table_init(&t, 2, headers);
	crm_table_align_right(&t, 1, true);
	for (i = 0; i < NHANDED; i++) {
		crm_buf_reset(&cell);
		crm_buf_addf(&cell, "%zu", counts[i]);
		crm_table_add(&t, handed[i].type);
		crm_table_add(&t, cell.ptr);
	}
	err = crm_table_print(stdout, &t, 0, false);
	crm_table_release(&t);
	crm_buf_release(&cell);
	return err;
}

int cmd_handover(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	const struct cli_option opts[] = {
		{ "from", 0, CLI_OPT_STRING, &from, "USER", "the colleague who hands over" },
		{ "to", 0, CLI_OPT_STRING, &to, "USER", "the colleague who takes over" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ANY, "FILTER"), CLI_OPT_END
	};
	struct crm_buf what = CRM_BUF_INIT, where = CRM_BUF_INIT;
	struct cli_bulk b = { CRM_ARRAY_INIT };
	size_t counts[NHANDED], i, changed = 0, parsed = 0;
	bool ok;
	int err = 0, rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	if (!from || !to || !*from || !*to || !strcmp(from, to)) {
		cli_error(ctx->command, "--from and --to name two different users");
		return EXIT_USAGE;
	}
	for (i = 0; i < NHANDED && !err; i++) {
		ok = false;
		err = select_type(&b, ctx, &handed[i], from, argv, argc, &counts[i], &ok);
		parsed += ok;
	}
	if (!err && !parsed)
		err = crm_error_set(CRM_EUSAGE, "the filters suit none of client, opportunity and "
				    "task (crm ls TYPE FILTER... says why)");
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
		goto done;
	}
	crm_buf_addf(&what, "handover %s -> %s", from, to);
	for (i = 0; i < (size_t)argc; i++)
		crm_buf_addf(&where, "%s%s", i ? " " : "", argv[i]);
	rc = cli_bulk_commit(ctx, &b, reassign, (void *)to, what.ptr, argc ? where.ptr : NULL,
			     &changed);
	if (rc == EXIT_OK && changed && print_moved(counts, from, to)) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = EXIT_PROBLEMS;
	}
done:
	cli_bulk_release(&b);
	crm_buf_release(&what);
	crm_buf_release(&where);
	return rc;
}
