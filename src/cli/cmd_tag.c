/* crm tag REF +x -y: adds and removes tags (a set: no duplicates, order of
 * the existing tags kept) and commits. */
#include <string.h>

#include "cli.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/node.h"

static const char usage[] = "REF +TAG|-TAG...";

static bool has(const char **items, size_t n, const char *tag)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (!strcmp(items[i], tag))
			return true;
	}
	return false;
}

/* The record's tags after the +/- arguments. */
static int new_tags(const char **out, size_t *n, size_t max, const struct crm_node *cur,
		    int argc, char **argv, const struct crm_field *f)
{
	size_t i, j, k;
	int a;

	*n = 0;
	for (i = 0; cur && cur->kind == CRM_NODE_SEQ && i < cur->count && *n < max; i++) {
		if (cur->items[i]->kind == CRM_NODE_SCALAR && !has(out, *n, cur->items[i]->text))
			out[(*n)++] = cur->items[i]->text;
	}
	for (a = 1; a < argc; a++) {
		const char *tag = argv[a] + 1;
		if ((argv[a][0] != '+' && argv[a][0] != '-') || !*tag)
			return crm_error_set(CRM_EUSAGE, "'%s' is neither +TAG nor -TAG", argv[a]);
		if (argv[a][0] == '-') {
			for (j = k = 0; j < *n; j++) {
				if (strcmp(out[j], tag))
					out[k++] = out[j];
			}
			*n = k;
			continue;
		}
		for (j = 0; f && j < f->nvalues && strcmp(f->values[j], tag); j++)
			;
		if (f && f->nvalues && j == f->nvalues)
			return crm_error_set(CRM_EINVALID, "'%s' is not one of the tags of this type",
					     tag);
		if (!has(out, *n, tag) && *n < max)
			out[(*n)++] = tag;
	}
	return 0;
}

int cmd_tag(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = { { NULL, 0, 0, NULL, NULL, NULL } };
	struct crm_buf msg = CRM_BUF_INIT, next = CRM_BUF_INIT;
	const char *tags[256];
	struct cli_edit e;
	struct crm_record *rec;
	bool bad_type = false;
	size_t n = 0;
	int i, err, rc;

	/* "-seo" is a tag to remove, not an option: no option parsing here */
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		cli_usage(stdout, "tag", usage, opts);
		return EXIT_OK;
	}
	argc--;
	argv++;
	if (argc < 2) {
		cli_usage(stderr, "tag", usage, opts);
		return EXIT_USAGE;
	}
	rec = cli_find_record(ctx, argv[0], &bad_type);
	if (!rec)
		return bad_type ? EXIT_USAGE : EXIT_PROBLEMS;
	err = cli_edit_open(&e, ctx, rec->path);
	if (!err)
		err = new_tags(tags, &n, 256, crm_node_get(e.root, "tags"), argc, argv,
			       crm_schema_field(rec->schema, "tags"));
	if (!err)
		err = crm_edit_set_list(&next, e.text.ptr, e.text.len, e.root, "tags", tags, n);
	if (!err)
		err = cli_edit_replace(&e, &next);
	crm_buf_release(&next);
	crm_buf_addf(&msg, "crm: tag %s/%s", rec->schema->type, rec->id);
	for (i = 1; i < argc; i++)
		crm_buf_addf(&msg, " %s", argv[i]);
	rc = cli_edit_commit(ctx, &e, msg.ptr, err);
	crm_buf_release(&msg);
	return rc;
}
