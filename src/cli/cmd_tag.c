/* crm tag REF +x -y: adds and removes tags (a set: no duplicates, order of
 * the existing tags kept) and commits. */
#include <string.h>

#include "cli.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/node.h"

static const char usage[] = "REF +TAG|-TAG... [--force]";

static bool has(const struct cli_list *tags, const char *tag)
{
	size_t i;
	for (i = 0; i < tags->len; i++) {
		if (!strcmp(tags->items[i], tag))
			return true;
	}
	return false;
}

/* Adds `tag` unless the set has it already. */
static int add_tag(struct cli_list *tags, const char *tag)
{
	return has(tags, tag) ? 0 : cli_list_push(tags, tag);
}

static void remove_tag(struct cli_list *tags, const char *tag)
{
	size_t j, k;
	for (j = k = 0; j < tags->len; j++) {
		if (strcmp(tags->items[j], tag))
			tags->items[k++] = tags->items[j];
	}
	tags->len = k;
}

/* The record's tags after the +/- arguments, as many as there are. */
static int new_tags(struct cli_list *out, const struct crm_node *cur, int argc, char **argv,
		    const struct crm_field *f)
{
	size_t i, j;
	int a, err = 0;

	for (i = 0; cur && cur->kind == CRM_NODE_SEQ && i < cur->count && !err; i++) {
		if (cur->items[i]->kind == CRM_NODE_SCALAR)
			err = add_tag(out, cur->items[i]->text);
	}
	for (a = 1; a < argc && !err; a++) {
		const char *tag = argv[a] + 1;
		if ((argv[a][0] != '+' && argv[a][0] != '-') || !*tag)
			return crm_error_set(CRM_EUSAGE, "'%s' is neither +TAG nor -TAG", argv[a]);
		if (argv[a][0] == '-') {
			remove_tag(out, tag);
			continue;
		}
		for (j = 0; f && j < f->nvalues && strcmp(f->values[j], tag); j++)
			;
		if (f && f->nvalues && j == f->nvalues)
			return crm_error_set(CRM_EINVALID, "'%s' is not one of the tags of this type",
					     tag);
		err = add_tag(out, tag);
	}
	return err;
}

int cmd_tag(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = {
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "REF"), CLI_ARG(CLI_ARG_SOME, "+TAG|-TAG"), CLI_OPT_END
	};
	struct crm_buf msg = CRM_BUF_INIT, next = CRM_BUF_INIT;
	struct cli_list tags = { NULL, 0, 0 };
	struct cli_edit e;
	struct crm_record *rec;
	int i, err, rc;

	/* "-seo" is a tag to remove, not an option: no option parsing here */
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return cli_help(ctx, usage, opts);
	argc--;
	argv++;
	/* --force is the one option; a tag to remove has one dash */
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--force")) {
			ctx->force = true;
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i - 1) * sizeof(*argv));
			argc--;
			i--;
		}
	}
	rc = cli_check_args(ctx, usage, opts, argc, argv);
	if (rc)
		return rc;
	rc = cli_record_arg(&rec, ctx, argv[0]);
	if (rc)
		return rc;
	err = cli_edit_open(&e, ctx, rec->path);
	e.rec = rec;
	if (!err)
		err = new_tags(&tags, crm_node_get(e.root, "tags"), argc, argv,
			       crm_schema_field(rec->schema, "tags"));
	if (!err)
		err = crm_edit_set_list(&next, e.text.ptr, e.text.len, e.root, "tags", tags.items,
					tags.len);
	if (!err)
		err = cli_edit_replace(&e, &next);
	crm_buf_release(&next);
	cli_list_release(&tags);
	crm_buf_addf(&msg, "crm: tag %s/%s", rec->schema->type, rec->id);
	for (i = 1; i < argc; i++)
		crm_buf_addf(&msg, " %s", argv[i]);
	rc = cli_edit_commit(ctx, &e, msg.ptr, err);
	crm_buf_release(&msg);
	return rc;
}
