/* crm unset REF FIELD...: removes fields from one record and commits. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"

static const char usage[] = "REF FIELD... [--force]";

/* FIELD, or MAP.KEY (next_step.date): one entry of a mapping field. */
static int unset_one(struct crm_buf *next, struct cli_edit *e, const char *field)
{
	const char *dot = strchr(field, '.');
	char *head;
	int err;

	if (!dot || crm_schema_field(e->rec->schema, field))
		return crm_edit_unset(next, e->text.ptr, e->text.len, e->root, field);
	head = strndup(field, (size_t)(dot - field));
	if (!head)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = crm_edit_unset_entry(next, e->text.ptr, e->text.len, e->root, head, dot + 1);
	free(head);
	return err;
}

int cmd_unset(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = {
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "REF"), CLI_ARG(CLI_ARG_SOME, "FIELD"), CLI_OPT_END
	};
	struct crm_buf msg = CRM_BUF_INIT, next = CRM_BUF_INIT;
	struct cli_edit e;
	struct crm_record *rec;
	int i, err, rc = cli_parse_ref(&rec, ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	err = cli_edit_open(&e, ctx, rec->path);
	e.rec = rec;
	crm_buf_addf(&msg, "crm: unset %s/%s", rec->schema->type, rec->id);
	for (i = 1; i < argc && !err; i++) {
		const struct crm_field *f = crm_index_field(rec->schema, argv[i], NULL);
		err = cli_refuse_stage(rec, argv[i], NULL);
		if (err)
			break;
		if (f && f->required) {
			err = crm_error_set(CRM_EUSAGE, "field '%s' is required", argv[i]);
			break;
		}
		err = unset_one(&next, &e, argv[i]);
		if (!err)
			err = cli_edit_replace(&e, &next);
		crm_buf_addf(&msg, " %s", argv[i]);
	}
	crm_buf_release(&next);
	rc = cli_edit_commit(ctx, &e, msg.ptr, err);
	crm_buf_release(&msg);
	return rc;
}
