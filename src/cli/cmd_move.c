/* crm move OPP STAGE: moves a deal to another stage, appends {date, stage,
 * by} to its history, sets `closed` on a won, lost or void stage (and asks
 * for --reason when the deal is lost), in one commit; with --where FILTER,
 * every deal the filter selects, in one commit. */
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


#define WHERE_USAGE "--where FILTER [--type TYPE] STAGE [--reason R] [--date YYYY-MM-DD] [--force]"
static const char usage[] = "OPPORTUNITY STAGE [--reason R] [--date YYYY-MM-DD] [--force]"
	"\n   or: crm move " WHERE_USAGE;
static const char where_usage[] = WHERE_USAGE;

/* Removes `key` when the record has it. */
static int drop_field(struct cli_edit *e, const char *key)
{
	struct crm_buf next = CRM_BUF_INIT;
	int err;

	if (!crm_node_get(e->root, key))
		return 0;
	err = crm_edit_unset(&next, e->text.ptr, e->text.len, e->root, key);
	if (!err)
		err = cli_edit_replace(e, &next);
	crm_buf_release(&next);
	return err;
}

/* A deal moved back to an open stage is no longer closed, and one that is
 * not lost has no reason for a loss: those fields go (git keeps them). */
static int drop_outcome_fields(struct cli_edit *e, const struct crm_stage *st)
{
	int err = 0;

	if (st->outcome == CRM_OUTCOME_OPEN)
		err = drop_field(e, "closed");
	if (!err && st->outcome != CRM_OUTCOME_LOST)
		err = drop_field(e, "lost_reason");
	return err;
}

/* The move in the edited text: stage, outcome fields, reason, history. */
static int move_edit(struct cli_edit *e, const struct crm_record *rec, const struct crm_stage *st,
		     const char *reason, const char *date, const char *by)
{
	int err = cli_edit_set(e, "stage", st->name);

	if (!err)
		err = drop_outcome_fields(e, st);
	if (!err && st->outcome != CRM_OUTCOME_OPEN && crm_schema_field(rec->schema, "closed"))
		err = cli_edit_set(e, "closed", date);
	if (!err && reason)
		err = cli_edit_set(e, "lost_reason", reason);
	if (!err)
		err = cli_edit_add_history(e, date, st->name, by);
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
		err = move_edit(&e, rec, st, reason, date, by);
	if (!err)
		err = cli_check_write(ctx, rec, &e.text);
	if (!err)
		err = cli_write_record(&txn, rec->path, &e.text);
	crm_buf_addf(&msg, "crm: move %s/%s %s -> %s", rec->schema->type, rec->id,
		     from ? from : "(none)", st->name);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
	cli_edit_release(&e);
	crm_buf_release(&msg);
	free(by);
	return rc;
}

/* What every deal of a bulk move gets. */
struct bulk_move {
	const struct crm_stage *st;
	const char *reason, *date, *by;
};

static bool has_stage(const struct crm_schema *s, void *payload)
{
	const struct crm_field *f = crm_schema_field(s, "stage");
	(void)payload;
	return f && f->type == CRM_F_STAGE;
}

static int move_each(struct cli_ctx *ctx, struct cli_edit *e, struct crm_record *rec,
		     void *payload)
{
	const struct bulk_move *m = payload;
	const char *current = crm_node_text(e->root, "stage");

	(void)ctx;
	if (current && !strcmp(current, m->st->name))
		return 0;   /* there already: left as it is */
	if (m->st->outcome == CRM_OUTCOME_LOST && !m->reason &&
	    crm_schema_field(rec->schema, "lost_reason"))
		return crm_error_set(CRM_EUSAGE, "a lost deal needs a reason: --reason REASON");
	return move_edit(e, rec, m->st, m->reason, m->date, m->by);
}

/* crm move --where FILTER STAGE: every selected deal, one commit. */
static int move_where(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *where = NULL, *type = NULL;
	struct bulk_move m = { NULL, NULL, NULL, NULL };
	const struct cli_option opts[] = {
		{ "where", 0, CLI_OPT_STRING, &where, "FILTER",
		  "every deal this filter selects (crm ls filters), one commit" },
		{ "type", 0, CLI_OPT_STRING, &type, "TYPE", "only records of this type" },
		{ "reason", 'r', CLI_OPT_STRING, &m.reason, "R", "why the deals were lost" },
		{ "date", 'd', CLI_OPT_STRING, &m.date, "DATE", "when they moved (default: today)" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "STAGE"), CLI_OPT_END
	};
	struct crm_buf what = CRM_BUF_INIT;
	struct cli_bulk b = { CRM_ARRAY_INIT };
	struct crm_txn txn;
	char today[16], *by = NULL;
	size_t changed;
	crm_date d;
	int rc = cli_parse(ctx, where_usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	m.st = crm_config_stage(&ctx->repo.config, argv[0]);
	if (!m.st) {
		cli_error(ctx->command, "unknown stage '%s'; crm.ini defines the stages", argv[0]);
		return EXIT_USAGE;
	}
	if (m.date && crm_date_parse(&d, m.date, strlen(m.date))) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	if (!m.date) {
		crm_date_format(today, sizeof(today), crm_index_today(ctx->idx));
		m.date = today;
	}
	/* who moves them, for the history: the identity of the commit */
	if (crm_txn_begin(&txn, &ctx->repo)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_PROBLEMS;
	}
	by = crm_store_user(&ctx->repo, txn.git);
	crm_txn_release(&txn);
	m.by = by ? by : "";
	rc = cli_bulk_where(&b, ctx, where, type, has_stage, NULL);
	crm_buf_addf(&what, "move -> %s", m.st->name);
	if (!rc)
		rc = cli_bulk_commit(ctx, &b, move_each, &m, what.ptr, where, &changed);
	cli_bulk_release(&b);
	crm_buf_release(&what);
	free(by);
	return rc;
}

int cmd_move(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *reason = NULL, *date = NULL;
	const struct cli_option opts[] = {
		{ "reason", 'r', CLI_OPT_STRING, &reason, "R", "why the deal was lost (lost_reason)" },
		{ "date", 'd', CLI_OPT_STRING, &date, "DATE", "when it moved (default: today)" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "OPPORTUNITY"),
		CLI_ARG(CLI_ARG_ONE, "STAGE"),
		CLI_OPT_END
	};
	const struct crm_stage *st;
	const char *current;
	struct crm_record *rec;
	char today[16];
	crm_date d;
	int rc;

	if (cli_bulk_wanted(argc, argv))
		return move_where(ctx, argc, argv);
	rc = cli_parse_ref(&rec, ctx, usage, opts, argc, argv, &argc);
	if (rc)
		return rc;
	st = crm_config_stage(&ctx->repo.config, argv[1]);
	if (!st) {
		cli_error(ctx->command, "unknown stage '%s'; crm.ini defines the stages", argv[1]);
		return EXIT_USAGE;
	}
	crm_index_materialize(ctx->idx, rec);
	current = rec->root ? crm_node_text(rec->root, "stage") : NULL;
	if (current && !strcmp(current, st->name)) {
		/* a second move to the same stage would only add a duplicate
		 * history entry */
		printf("%s/%s is already %s; nothing to do\n", rec->schema->type, rec->id,
		       st->name);
		return EXIT_OK;
	}
	if (date && crm_date_parse(&d, date, strlen(date))) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	if (!date) {
		crm_date_format(today, sizeof(today), crm_index_today(ctx->idx));
		date = today;
	}
	if (st->outcome == CRM_OUTCOME_LOST && !reason &&
	    crm_schema_field(rec->schema, "lost_reason")) {
		cli_error(ctx->command, "a lost deal needs a reason: --reason REASON");
		return EXIT_USAGE;
	}
	if (reason && crm_store_validate(ctx->idx, rec->schema, "lost_reason", reason)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	return move_record(ctx, rec, st, reason, date);
}
