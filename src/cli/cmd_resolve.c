/* crm resolve REF FIELD --ours|--theirs|--value V: settles a field that a
 * merge left in conflict, in one commit. */
#include <string.h>

#include "cli.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/store.h"

static const char usage[] = "REF FIELD --ours | --theirs | --value VALUE [--force]";

/* The block that replaces the conflict: the chosen side's value. */
static int chosen_block(struct crm_buf *block, const char *field,
			const struct crm_node *conflict, const char *side, const char *value)
{
	const struct crm_node *v;
	crm_buf_reset(block);
	if (value) {
		crm_buf_addf(block, "%s: ", field);
		crm_edit_render_scalar(block, value, NULL);
		return crm_buf_addch(block, '\n');
	}
	v = crm_node_get(conflict, side);
	if (!v || crm_node_is_null(v))
		return 0;   /* that side had removed the field */
	crm_buf_addf(block, "%s: ", field);
	crm_edit_render_flow(block, v);
	return crm_buf_addch(block, '\n');
}

int cmd_resolve(struct cli_ctx *ctx, int argc, char **argv)
{
	bool ours = false, theirs = false;
	const char *value = NULL;
	const struct cli_option opts[] = {
		{ "ours", 0, CLI_OPT_FLAG, &ours, NULL, "keep our value" },
		{ "theirs", 0, CLI_OPT_FLAG, &theirs, NULL, "take their value" },
		{ "value", 0, CLI_OPT_STRING, &value, "V", "set another value" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "REF"),
		CLI_ARG(CLI_ARG_ONE, "FIELD"),
		CLI_OPT_END
	};
	struct crm_buf block = CRM_BUF_INIT, next = CRM_BUF_INIT, msg = CRM_BUF_INIT;
	const struct crm_node *conflict;
	struct crm_record *rec;
	struct cli_edit e;
	struct crm_txn txn;
	int err, rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	if (ours + theirs + (value != NULL) != 1) {
		cli_usage(stderr, ctx->command, usage, opts);
		return EXIT_USAGE;
	}
	rc = cli_record_arg(&rec, ctx, argv[0]);
	if (rc)
		return rc;
	err = cli_edit_open(&e, ctx, rec->path);
	conflict = err ? NULL : crm_node_get(crm_node_get(e.root, argv[1]), "conflict");
	if (!err && !conflict) {
		cli_error(ctx->command, "field '%s' of %s/%s is not in conflict", argv[1],
			  rec->schema->type, rec->id);
		cli_edit_release(&e);
		return EXIT_PROBLEMS;
	}
	if (!err && value)
		err = crm_store_validate(ctx->idx, rec->schema, argv[1], value);
	if (!err)
		err = chosen_block(&block, argv[1], conflict, ours ? "ours" : "theirs", value);
	if (!err && block.len)
		err = crm_edit_replace_pair(&next, e.text.ptr, e.text.len, e.root, argv[1], block.ptr);
	else if (!err)
		err = crm_edit_unset(&next, e.text.ptr, e.text.len, e.root, argv[1]);
	if (!err)
		err = cli_edit_replace(&e, &next);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
		goto done;
	}
	crm_buf_addf(&msg, "crm: resolve %s/%s %s (%s)", rec->schema->type, rec->id, argv[1],
		     value ? "new value" : ours ? "ours" : "theirs");
	err = cli_check_write(ctx, rec, &e.text);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
		goto done;
	}
	err = crm_txn_begin(&txn, &ctx->repo);
	if (!err)
		err = cli_write_record(&txn, rec->path, &e.text);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
done:
	cli_edit_release(&e);
	crm_buf_release(&block);
	crm_buf_release(&next);
	crm_buf_release(&msg);
	return rc;
}
