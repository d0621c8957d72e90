/* crm tag REF +x -y: adds and removes tags (a set: no duplicates, order of
 * the existing tags kept) and commits; with --where FILTER, on every record
 * the filter selects, in one commit. */
#include <string.h>

#include "cli.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/node.h"


#define WHERE_USAGE "--where FILTER [--type TYPE] +TAG|-TAG... [--force]"
static const char usage[] = "REF +TAG|-TAG... [--force]"
	"\n   or: crm tag " WHERE_USAGE;
static const char where_usage[] = WHERE_USAGE;

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

/* The tags of the edited record after the +/- arguments argv[1..argc). */
static int retag(struct cli_edit *e, const struct crm_schema *s, int argc, char **argv)
{
	struct crm_buf next = CRM_BUF_INIT;
	struct cli_list tags = { NULL, 0, 0 };
	int err = new_tags(&tags, crm_node_get(e->root, "tags"), argc, argv,
			   crm_schema_field(s, "tags"));

	if (!err)
		err = crm_edit_set_list(&next, e->text.ptr, e->text.len, e->root, "tags", tags.items,
					tags.len);
	if (!err)
		err = cli_edit_replace(e, &next);
	crm_buf_release(&next);
	cli_list_release(&tags);
	return err;
}

/* The +/- arguments of a bulk tag, argv[0] unused as in cmd_tag. */
struct tag_args {
	int argc;
	char **argv;
};

static bool has_tags(const struct crm_schema *s, void *payload)
{
	const struct crm_field *f = crm_schema_field(s, "tags");
	(void)payload;
	return f && f->type == CRM_F_TAGS;
}

static int tag_each(struct cli_ctx *ctx, struct cli_edit *e, struct crm_record *rec,
		    void *payload)
{
	const struct tag_args *t = payload;
	const struct crm_node *cur = crm_node_get(e->root, "tags");
	int a;

	(void)ctx;
	/* a record whose tags would not change keeps its file as it is (an
	 * absent list is not written as an empty one) */
	for (a = 1; a < t->argc; a++) {
		bool holds = false;
		uint32_t i;
		for (i = 0; cur && cur->kind == CRM_NODE_SEQ && i < cur->count; i++)
			holds |= cur->items[i]->kind == CRM_NODE_SCALAR &&
				 !strcmp(cur->items[i]->text, t->argv[a] + 1);
		if (holds != (t->argv[a][0] == '+'))
			break;
	}
	if (a == t->argc)
		return 0;
	return retag(e, rec->schema, t->argc, t->argv);
}

/* Takes the value of option `name` at argv[*i] ("--name V" or
 * "--name=V"), removing it from argv; false when argv[*i] is not it. */
static bool take_option(const char **out, const char *name, int *argc, char **argv, int i)
{
	size_t n = strlen(name), drop = 2;

	if (!strncmp(argv[i], "--", 2) && !strncmp(argv[i] + 2, name, n) && argv[i][2 + n] == '=') {
		*out = argv[i] + 3 + n;
		drop = 1;
	} else if (!strncmp(argv[i], "--", 2) && !strcmp(argv[i] + 2, name)) {
		*out = i + 1 < *argc ? argv[i + 1] : NULL;
		if (i + 1 >= *argc)
			drop = 1;
	} else {
		return false;
	}
	memmove(&argv[i], &argv[i + drop], (size_t)(*argc - i - (int)drop) * sizeof(*argv));
	*argc -= (int)drop;
	return true;
}

/* crm tag --where FILTER +x -y: every selected record, one commit. */
static int tag_where(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *where = NULL, *type = NULL;
	const struct cli_option opts[] = {
		CLI_WHERE_OPTIONS(&where, &type),
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_SOME, "+TAG|-TAG"), CLI_OPT_END
	};
	struct crm_buf what = CRM_BUF_INIT;
	struct cli_bulk b = { CRM_ARRAY_INIT };
	struct tag_args t;
	size_t changed;
	int i, rc;

	/* "-seo" is a tag to remove: only --where, --type and --force are
	 * options; argv[0] stays the command's name */
	for (i = 1; i < argc; i++) {
		if (take_option(&where, "where", &argc, argv, i) ||
		    take_option(&type, "type", &argc, argv, i)) {
			i--;
		} else if (!strcmp(argv[i], "--force")) {
			ctx->force = true;
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i - 1) * sizeof(*argv));
			argc--;
			i--;
		}
	}
	rc = cli_check_args(ctx, where_usage, opts, argc - 1, argv + 1);
	if (!rc && !where) {
		cli_error(ctx->command, "--where needs a filter (crm ls filters)");
		rc = EXIT_USAGE;
	}
	for (i = 1; !rc && i < argc; i++) {
		if ((argv[i][0] != '+' && argv[i][0] != '-') || !argv[i][1]) {
			cli_error(ctx->command, "'%s' is neither +TAG nor -TAG", argv[i]);
			rc = EXIT_USAGE;
		}
	}
	if (rc)
		return rc;
	t.argc = argc;
	t.argv = argv;
	crm_buf_adds(&what, "tag");
	for (i = 1; i < argc; i++)
		crm_buf_addf(&what, " %s", argv[i]);
	rc = cli_bulk_where(&b, ctx, where, type, has_tags, NULL);
	if (!rc)
		rc = cli_bulk_commit(ctx, &b, tag_each, &t, what.ptr, where, &changed);
	cli_bulk_release(&b);
	crm_buf_release(&what);
	return rc;
}

int cmd_tag(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = {
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "REF"), CLI_ARG(CLI_ARG_SOME, "+TAG|-TAG"), CLI_OPT_END
	};
	struct crm_buf msg = CRM_BUF_INIT;
	struct cli_edit e;
	struct crm_record *rec;
	int i, err, rc;

	if (cli_bulk_wanted(argc, argv))
		return tag_where(ctx, argc, argv);
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
		err = retag(&e, rec->schema, argc, argv);
	crm_buf_addf(&msg, "crm: tag %s/%s", rec->schema->type, rec->id);
	for (i = 1; i < argc; i++)
		crm_buf_addf(&msg, " %s", argv[i]);
	rc = cli_edit_commit(ctx, &e, msg.ptr, err);
	crm_buf_release(&msg);
	return rc;
}
