/* crm move OPP STAGE: moves a deal to another stage, appends {date, stage,
 * by} to its history, sets `closed` on a won, lost or void stage (and asks
 * for --reason when the deal is lost), in one commit; with --where FILTER,
 * every deal the filter selects, in one commit.  The stage's entry
 * criteria are checked first and its notification hook runs after (the
 * automations of src/core/automation). */
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
#include "crm/automation.h"
#include "crm/git.h"


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

/* Runs crm.ini's stage hook for the move just committed; a hook that
 * fails is a warning: the move stands. */
static void notify_move(struct cli_ctx *ctx, const struct crm_automation *a,
			struct crm_record *rec, const char *from, const char *to,
			const char *by, const char *date)
{
	struct crm_stage_change c = { rec->schema->type, rec->id, NULL, from, to, by, date,
				      NULL, NULL, "move", NULL };
	struct crm_git *git = NULL;
	char head[41] = "";

	if (!a->notify_argv)
		return;
	if (!crm_git_open(&git, ctx->repo.root) && !crm_git_head(git, head, NULL))
		c.commit = head;
	crm_error_clear();
	c.title = rec->root ? crm_node_text(rec->root, "title") : NULL;
	c.amount = rec->root ? crm_node_text(rec->root, "amount") : NULL;
	c.owner = rec->root ? crm_node_text(rec->root, "owner") : NULL;
	if (crm_notify_stage_change(a, &c))
		fprintf(stderr, "crm %s: warning: %s\n", ctx->command, crm_error_last());
	crm_git_free(git);
}

/* The stage's entry criteria ([stage "S"] requires): a refusal naming
 * every field the deal still lacks, before anything is written. */
static int check_entry(struct cli_ctx *ctx, struct crm_record *rec, const struct crm_stage *st)
{
	struct crm_buf missing = CRM_BUF_INIT;
	size_t n = crm_stage_missing(&missing, ctx->idx, &ctx->repo.config, rec, st->name);

	if (n)
		cli_error(ctx->command, "%s/%s cannot enter %s without %s (crm.ini [stage \"%s\"] "
			  "requires); set %s with 'crm set %s/%s FIELD=VALUE'; nothing was written",
			  rec->schema->type, rec->id, st->name, missing.ptr, st->name,
			  n == 1 ? "it" : "them", rec->schema->type, rec->id);
	crm_buf_release(&missing);
	return n ? EXIT_PROBLEMS : EXIT_OK;
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
		       const char *reason, const char *date, const struct crm_automation *a)
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
	if (rc == EXIT_OK)
		notify_move(ctx, a, rec, from, st->name, by, date);
	cli_edit_release(&e);
	crm_buf_release(&msg);
	free(by);
	return rc;
}

/* A deal a bulk move changed, and the stage it left (for the hook). */
struct moved {
	struct crm_record *rec;
	char *from;
};

/* What every deal of a bulk move gets. */
struct bulk_move {
	const struct crm_stage *st;
	const char *reason, *date, *by;
	const struct crm_automation *a;
	CRM_ARRAY(struct moved) moved;
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
	struct bulk_move *m = payload;
	const char *current = crm_node_text(e->root, "stage");
	struct crm_buf missing = CRM_BUF_INIT;
	struct moved *slot;
	size_t n;

	if (current && !strcmp(current, m->st->name))
		return 0;   /* there already: left as it is */
	if (m->st->outcome == CRM_OUTCOME_LOST && !m->reason &&
	    crm_schema_field(rec->schema, "lost_reason"))
		return crm_error_set(CRM_EUSAGE, "a lost deal needs a reason: --reason REASON");
	n = crm_stage_missing(&missing, ctx->idx, &ctx->repo.config, rec, m->st->name);
	if (n) {
		crm_error_set(CRM_EINVALID, "it cannot enter %s without %s (crm.ini [stage \"%s\"] "
			      "requires)", m->st->name, missing.ptr, m->st->name);
		crm_buf_release(&missing);
		return CRM_EINVALID;
	}
	crm_buf_release(&missing);
	slot = CRM_ARRAY_PUSH(m->moved);
	if (!slot)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	slot->rec = rec;
	/* the edited text goes when the next record is edited */
	slot->from = current ? strdup(current) : NULL;
	if (current && !slot->from)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	return move_edit(e, rec, m->st, m->reason, m->date, m->by);
}

/* crm move --where FILTER STAGE: every selected deal, one commit. */
static int move_where(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *where = NULL, *type = NULL;
	struct bulk_move m = { NULL, NULL, NULL, NULL, NULL, CRM_ARRAY_INIT };
	struct crm_automation a;
	const struct cli_option opts[] = {
		CLI_WHERE_OPTIONS(&where, &type),
		{ "reason", 'r', CLI_OPT_STRING, &m.reason, "R", "why the deals were lost" },
		{ "date", 'd', CLI_OPT_STRING, &m.date, "DATE", "when they moved (default: today)" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "STAGE"), CLI_OPT_END
	};
	struct crm_buf what = CRM_BUF_INIT;
	struct cli_bulk b = { CRM_ARRAY_INIT };
	struct crm_txn txn;
	char today[16], day[16], *by = NULL;
	size_t changed, i;
	int rc = cli_parse(ctx, where_usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	m.st = crm_config_stage(&ctx->repo.config, argv[0]);
	if (!m.st) {
		cli_error(ctx->command, "unknown stage '%s'; crm.ini defines the stages", argv[0]);
		return EXIT_USAGE;
	}
	if (m.date && cli_typed_date(day, sizeof(day), ctx, "date", m.date)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	if (m.date)
		m.date = day;
	if (!m.date) {
		crm_date_format(today, sizeof(today), crm_index_today(ctx->idx));
		m.date = today;
	}
	if (crm_automation_load(&a, &ctx->repo.config)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	m.a = &a;
	/* who moves them, for the history: the identity of the commit */
	if (crm_txn_begin(&txn, &ctx->repo)) {
		cli_error(ctx->command, "%s", crm_error_last());
		crm_automation_release(&a);
		return EXIT_PROBLEMS;
	}
	by = crm_store_user(&ctx->repo, txn.git);
	crm_txn_release(&txn);
	m.by = by ? by : "";
	rc = cli_bulk_where(&b, ctx, where, type, has_stage, NULL);
	crm_buf_addf(&what, "move -> %s", m.st->name);
	if (!rc)
		rc = cli_bulk_commit(ctx, &b, move_each, &m, what.ptr, where, &changed);
	/* the stage hook, once for each deal the commit moved */
	for (i = 0; rc == EXIT_OK && changed && i < m.moved.len; i++)
		notify_move(ctx, &a, m.moved.ptr[i].rec, m.moved.ptr[i].from, m.st->name, m.by,
			    m.date);
	for (i = 0; i < m.moved.len; i++)
		free(m.moved.ptr[i].from);
	CRM_ARRAY_RELEASE(m.moved);
	crm_automation_release(&a);
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
	struct crm_automation a;
	char today[16], day[16];
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
	if (date && cli_typed_date(day, sizeof(day), ctx, "date", date)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	if (date)
		date = day;
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
	if (crm_automation_load(&a, &ctx->repo.config)) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = EXIT_USAGE;
	} else {
		rc = check_entry(ctx, rec, st);
	}
	if (rc == EXIT_OK)
		rc = move_record(ctx, rec, st, reason, date, &a);
	crm_automation_release(&a);
	return rc;
}
