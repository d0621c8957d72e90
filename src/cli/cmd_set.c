/* crm set REF field=value...: changes fields of one record in place (the
 * rest of the file stays byte for byte) and commits; with --where FILTER,
 * of every record the filter selects, in one commit. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/store.h"


#define WHERE_USAGE "--where FILTER [--type TYPE] FIELD=VALUE... [--force]"
static const char usage[] = "REF FIELD=VALUE... [--force]"
	"\n   or: crm set " WHERE_USAGE;
static const char where_usage[] = WHERE_USAGE;

/* "a, b,c" into items (pointers into `copy`), as many as there are. */
static int split_list(struct cli_list *items, char *copy)
{
	char *save = NULL, *tok;
	int err = 0;

	for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok)
			err = cli_list_push(items, tok);
	}
	return err;
}

static int check_items(struct cli_ctx *ctx, const struct crm_field *f, const char **items,
		       size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (f->type == CRM_F_TAGS && f->nvalues) {
			for (j = 0; j < f->nvalues && strcmp(f->values[j], items[i]); j++)
				;
			if (j == f->nvalues)
				return crm_error_set(CRM_EINVALID, "'%s' is not one of the tags of '%s'",
						     items[i], f->name);
		} else if (f->type == CRM_F_REFS) {
			if (!crm_index_resolve(ctx->idx, items[i], f->to))
				return crm_error_set(CRM_ENOTFOUND, "unknown %s '%s'", f->to, items[i]);
		}
	}
	return 0;
}

/* "next_step.date=fri": one entry of a mapping field. */
static int apply_entry(struct cli_edit *e, const char *field, const char *value)
{
	struct crm_buf next = CRM_BUF_INIT;
	const char *dot = strchr(field, '.');
	char *head = strndup(field, (size_t)(dot - field));
	int err;

	if (!head)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = crm_edit_set_entry(&next, e->text.ptr, e->text.len, e->root, head, dot + 1, value);
	if (!err)
		err = cli_edit_replace(e, &next);
	crm_buf_release(&next);
	free(head);
	return err;
}

static int apply_one(struct cli_ctx *ctx, struct cli_edit *e, const struct crm_schema *s,
		     const char *field, const char *value)
{
	const struct crm_field *f = crm_index_field(s, field, NULL);
	struct crm_buf next = CRM_BUF_INIT;
	struct cli_list items = { NULL, 0, 0 };
	char *copy;
	int err = crm_store_validate(ctx->idx, s, field, value);

	if (err)
		return err;
	if (!crm_schema_field(s, field))
		return apply_entry(e, field, value);
	if (f->type == CRM_F_TAGS || f->type == CRM_F_REFS || f->type == CRM_F_FILES) {
		copy = strdup(value);
		err = copy ? split_list(&items, copy) : crm_error_set(CRM_ENOMEM, "out of memory");
		if (!err)
			err = check_items(ctx, f, items.items, items.len);
		if (!err)
			err = crm_edit_set_list(&next, e->text.ptr, e->text.len, e->root, field,
						items.items, items.len);
		cli_list_release(&items);
		free(copy);
	} else {
		err = crm_edit_set(&next, e->text.ptr, e->text.len, e->root, field, value);
	}
	if (!err)
		err = cli_edit_replace(e, &next);
	crm_buf_release(&next);
	return err;
}

/* Whether every record the FIELD=VALUE arguments name is in the index. */
static bool refs_known(struct cli_ctx *ctx, const struct crm_schema *s, int argc, char **argv)
{
	struct cli_list items = { NULL, 0, 0 };
	bool known = true;
	size_t i;
	int a;

	for (a = 1; a < argc && known; a++) {
		const char *eq = strchr(argv[a], '=');
		char *name, *copy;
		const struct crm_field *f;

		if (!eq)
			continue;
		name = strndup(argv[a], (size_t)(eq - argv[a]));
		f = name ? crm_index_field(s, name, NULL) : NULL;
		free(name);
		if (!f || (f->type != CRM_F_REF && f->type != CRM_F_REFS))
			continue;
		copy = strdup(eq + 1);
		items.len = 0;
		/* out of memory: not known, so the full index is loaded and decides */
		if (!copy || split_list(&items, copy))
			known = false;
		for (i = 0; i < items.len && known; i++)
			known = crm_index_resolve(ctx->idx, items.items[i], f->to) != NULL;
		free(copy);
	}
	cli_list_release(&items);
	return known;
}

/* The FIELD=VALUE arguments of a bulk set, split in place. */
struct assignments {
	char **fields, **values;
	int n;
};

static bool has_fields(const struct crm_schema *s, void *payload)
{
	const struct assignments *a = payload;
	int i;

	for (i = 0; i < a->n; i++)
		if (!crm_schema_field(s, a->fields[i]))
			return false;
	return true;
}

static int set_each(struct cli_ctx *ctx, struct cli_edit *e, struct crm_record *rec,
		    void *payload)
{
	const struct assignments *a = payload;
	int i, err = 0;

	for (i = 0; i < a->n && !err; i++) {
		err = cli_refuse_stage(rec, a->fields[i], a->values[i]);
		if (!err)
			err = apply_one(ctx, e, rec->schema, a->fields[i], a->values[i]);
	}
	return err;
}

/* crm set --where FILTER FIELD=VALUE...: every selected record, one commit. */
static int set_where(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *where = NULL, *type = NULL;
	const struct cli_option opts[] = {
		CLI_WHERE_OPTIONS(&where, &type),
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_SOME, "FIELD=VALUE"), CLI_OPT_END
	};
	struct crm_buf what = CRM_BUF_INIT;
	struct cli_bulk b = { CRM_ARRAY_INIT };
	struct assignments a = { NULL, NULL, 0 };
	size_t changed;
	int i, err = 0, rc = cli_parse(ctx, where_usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	a.fields = argv;
	a.values = calloc((size_t)argc, sizeof(*a.values));
	if (!a.values)
		err = crm_error_set(CRM_ENOMEM, "out of memory");
	crm_buf_adds(&what, "set");
	for (i = 0; i < argc && !err; i++, a.n++) {
		char *eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i]) {
			err = crm_error_set(CRM_EUSAGE, "'%s' is not FIELD=VALUE", argv[i]);
			break;
		}
		crm_buf_addf(&what, "%s %.*s=%s", i ? "," : "", (int)(eq - argv[i]), argv[i], eq + 1);
		*eq = '\0';
		a.values[i] = eq + 1;
	}
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
	} else {
		rc = cli_bulk_where(&b, ctx, where, type, has_fields, &a);
	}
	if (!err && !rc)
		rc = cli_bulk_commit(ctx, &b, set_each, &a, what.ptr, where, &changed);
	cli_bulk_release(&b);
	crm_buf_release(&what);
	free(a.values);
	return rc;
}

int cmd_set(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = {
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "REF"), CLI_ARG(CLI_ARG_SOME, "FIELD=VALUE"), CLI_OPT_END
	};
	struct crm_buf msg = CRM_BUF_INIT;
	struct cli_edit e;
	struct crm_record *rec;
	int i, err = 0, rc;

	if (cli_bulk_wanted(argc, argv))
		return set_where(ctx, argc, argv);
	rc = cli_parse_ref(&rec, ctx, usage, opts, argc, argv, &argc);
	if (rc)
		return rc;
	/* a named record unknown to an index listed from the cache may have
	 * been added since: the full index decides */
	if (!refs_known(ctx, rec->schema, argc, argv) && cli_index_complete(ctx) > 0 &&
	    !(rec = cli_find_record(ctx, argv[0], NULL)))
		return EXIT_PROBLEMS;
	err = cli_edit_open(&e, ctx, rec->path);
	e.rec = rec;
	crm_buf_addf(&msg, "crm: set %s/%s", rec->schema->type, rec->id);
	for (i = 1; i < argc && !err; i++) {
		char *eq = strchr(argv[i], '='), typed[64];
		const char *value;
		if (!eq || eq == argv[i]) {
			err = crm_error_set(CRM_EUSAGE, "'%s' is not FIELD=VALUE", argv[i]);
			break;
		}
		*eq = '\0';
		err = cli_refuse_stage(rec, argv[i], eq + 1);
		if (err)
			break;
		/* "due=fri" is written, and said in the message, as the day */
		err = crm_store_typed_value(&value, typed, sizeof(typed), ctx->idx, rec->schema,
					    argv[i], eq + 1);
		if (!err)
			err = apply_one(ctx, &e, rec->schema, argv[i], value);
		crm_buf_addf(&msg, "%s %s=%s", i > 1 ? "," : "", argv[i], value);
	}
	rc = cli_edit_commit(ctx, &e, msg.ptr, err);
	crm_buf_release(&msg);
	return rc;
}
