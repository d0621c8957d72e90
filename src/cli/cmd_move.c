/* crm move OPP STAGE: moves a deal to another stage, appends {date, stage,
 * by} to its history, sets `closed` on a won, lost or void stage (and asks
 * for --reason when the deal is lost), in one commit. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/date.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/store.h"
#include "crm/yaml_emit.h"

static const char usage[] = "OPPORTUNITY STAGE [--reason R] [--date YYYY-MM-DD]";

static int edit_field(struct cli_edit *e, const char *key, const char *value)
{
	struct crm_buf next = CRM_BUF_INIT;
	int err = crm_edit_set(&next, e->text.ptr, e->text.len, e->root, key, value);
	if (!err)
		err = cli_edit_replace(e, &next);
	crm_buf_release(&next);
	return err;
}

static int append_history(struct cli_edit *e, const char *date, const char *stage,
			  const char *by)
{
	struct crm_buf next = CRM_BUF_INIT, entry = CRM_BUF_INIT;
	int err;

	crm_buf_addf(&entry, "date: %s, stage: %s, by: ", date, stage);
	/* inside { }: a name like "Smith, John" needs quotes there */
	crm_yaml_emit_scalar(&entry, by, CRM_YAML_FLOW);
	err = crm_edit_append_entry(&next, e->text.ptr, e->text.len, e->root, "history",
				    entry.ptr);
	if (!err)
		err = cli_edit_replace(e, &next);
	crm_buf_release(&next);
	crm_buf_release(&entry);
	return err;
}

static int move_record(struct cli_ctx *ctx, struct crm_record *rec, const struct crm_stage *st,
		       const char *reason, const char *date)
{
	struct crm_buf msg = CRM_BUF_INIT;
	const char *from = rec->root ? crm_node_text(rec->root, "stage") : NULL;
	struct cli_edit e;
	struct crm_txn txn;
	char *by = NULL;
	int err, rc;

	err = crm_txn_begin(&txn, &ctx->repo);
	if (!err)
		by = crm_store_user(&ctx->repo, txn.git);
	if (!err)
		err = cli_edit_open(&e, ctx, rec->path);
	else
		memset(&e, 0, sizeof(e));
	if (!err)
		err = edit_field(&e, "stage", st->name);
	if (!err && st->outcome != CRM_OUTCOME_OPEN && crm_schema_field(rec->schema, "closed"))
		err = edit_field(&e, "closed", date);
	if (!err && reason)
		err = edit_field(&e, "lost_reason", reason);
	if (!err)
		err = append_history(&e, date, st->name, by);
	if (!err)
		err = crm_store_write_record(&txn, rec->path, e.text.ptr, e.text.len);
	crm_buf_addf(&msg, "crm: move %s/%s %s -> %s", rec->schema->type, rec->id,
		     from ? from : "(none)", st->name);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
	cli_edit_release(&e);
	crm_buf_release(&msg);
	free(by);
	return rc;
}

int cmd_move(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *reason = NULL, *date = NULL;
	const struct cli_option opts[] = {
		{ "reason", 'r', CLI_OPT_STRING, &reason, "R", "why the deal was lost (lost_reason)" },
		{ "date", 'd', CLI_OPT_STRING, &date, "DATE", "when it moved (default: today)" },
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	const struct crm_stage *st;
	struct crm_record *rec;
	char today[16];
	crm_date d;
	bool bad_type = false;
	int rc = cli_parse("move", usage, opts, argc, argv, &argc);

	if (rc)
		return rc == CLI_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	if (argc != 2) {
		cli_usage(stderr, "move", usage, opts);
		return EXIT_USAGE;
	}
	rec = cli_find_record(ctx, argv[0], &bad_type);
	if (!rec)
		return bad_type ? EXIT_USAGE : EXIT_PROBLEMS;
	st = crm_config_stage(&ctx->repo.config, argv[1]);
	if (!st) {
		cli_error("move", "unknown stage '%s'; crm.ini defines the stages", argv[1]);
		return EXIT_USAGE;
	}
	if (date && crm_date_parse(&d, date, strlen(date))) {
		cli_error("move", "%s", crm_error_last());
		return EXIT_USAGE;
	}
	if (!date) {
		crm_date_format(today, sizeof(today), crm_index_today(ctx->idx));
		date = today;
	}
	if (st->outcome == CRM_OUTCOME_LOST && !reason &&
	    crm_schema_field(rec->schema, "lost_reason")) {
		cli_error("move", "a lost deal needs a reason: --reason REASON");
		return EXIT_USAGE;
	}
	if (reason && crm_store_validate(ctx->idx, rec->schema, "lost_reason", reason)) {
		cli_error("move", "%s", crm_error_last());
		return EXIT_USAGE;
	}
	return move_record(ctx, rec, st, reason, date);
}
