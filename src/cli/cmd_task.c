/* crm task add|done|ls: tasks about records, one per record in one commit,
 * done with their next occurrence when they repeat, and the open ones
 * listed by due date.  Every write is held to crm check's rules first. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/date.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/filter.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/store.h"
#include "crm/task.h"

static const char usage[] = "add|done|ls [OPTIONS] [ARGS]";

/* What crm task add writes in every task it makes. */
struct task_fields {
	const char *title, *due, *remind, *assignee, *category, *repeat;
	char due_text[64];
};

/* ---- crm task add ---- */

/* Checks each given field as the task schema holds it (a due typed as
 * "fri 14:00" becomes ISO first), so that a bad value fails before
 * anything is made. */
static int check_fields(struct task_fields *tf, struct cli_ctx *ctx, const struct crm_schema *s)
{
	const char *names[] = { "title", "remind", "assignee", "category", "repeat" };
	const char *values[] = { tf->title, tf->remind, tf->assignee, tf->category, tf->repeat };
	struct crm_repeat rule;
	size_t i;
	int err = 0;

	if (tf->due) {
		err = crm_store_typed_value(&tf->due, tf->due_text, sizeof(tf->due_text), ctx->idx,
					    s, "due", tf->due);
		if (!err)
			err = crm_store_validate(ctx->idx, s, "due", tf->due);
	}
	for (i = 0; i < sizeof(names) / sizeof(*names) && !err; i++) {
		if (values[i])
			err = crm_store_validate(ctx->idx, s, names[i], values[i]);
	}
	if (!err && tf->repeat)
		err = crm_repeat_parse(&rule, tf->repeat);
	return err;
}

static void add_line(struct crm_buf *out, const char *key, const char *value)
{
	if (!value)
		return;
	crm_buf_addf(out, "%s: ", key);
	crm_edit_render_scalar(out, value, NULL);
	crm_buf_addch(out, '\n');
}

static void task_text(struct crm_buf *out, const struct task_fields *tf, const char *about,
		      crm_date today)
{
	char day[16];

	crm_date_format(day, sizeof(day), today);
	add_line(out, "title", tf->title);
	add_line(out, "about", about);
	add_line(out, "due", tf->due);
	add_line(out, "remind", tf->remind);
	add_line(out, "assignee", tf->assignee);
	add_line(out, "category", tf->category);
	add_line(out, "repeat", tf->repeat);
	add_line(out, "status", "open");
	add_line(out, "created", day);
}

/* An id for a new task from `name`, free in the index and among the ids
 * `made` earlier in this command (the index does not know those yet). */
static int new_task_id(struct crm_buf *out, struct cli_ctx *ctx, const struct cli_list *made,
		       const char *name)
{
	size_t base, i, n = 2;
	int err = crm_store_new_id(out, ctx->idx, "task", name);

	base = out->len;
	for (i = 0; !err && i < made->len; i++) {
		if (strcmp(made->items[i], out->ptr))
			continue;
		do {
			crm_buf_truncate(out, base);
			crm_buf_addf(out, "-%zu", n++);
		} while (crm_index_find(ctx->idx, "task", out->ptr));
		i = (size_t)-1;   /* compare again with every id made */
	}
	return err ? err : crm_buf_check(out);
}

/* Writes one new task about `about` (NULL: about nothing) into `txn`,
 * after the check every write is held to; its id goes to `made`. */
static int add_one(struct cli_ctx *ctx, struct crm_txn *txn, const struct crm_schema *s,
		   const struct task_fields *tf, const struct crm_record *about,
		   struct cli_list *made, struct crm_buf *msg)
{
	struct crm_buf text = CRM_BUF_INIT, id = CRM_BUF_INIT, path = CRM_BUF_INIT;
	struct crm_buf name = CRM_BUF_INIT, ref = CRM_BUF_INIT;
	struct crm_record probe;
	char *kept = NULL;
	int err;

	crm_buf_adds(&name, tf->title);
	if (about) {
		crm_buf_addf(&name, " %s", about->id);
		crm_buf_addf(&ref, "%s/%s", about->schema->type, about->id);
	}
	err = new_task_id(&id, ctx, made, name.ptr);
	if (!err)
		err = crm_store_new_path(&path, s, id.ptr, crm_index_today(ctx->idx));
	if (!err) {
		task_text(&text, tf, about ? ref.ptr : NULL, crm_index_today(ctx->idx));
		memset(&probe, 0, sizeof(probe));
		probe.schema = s;
		probe.id = id.ptr;
		probe.path = path.ptr;
		err = cli_check_write(ctx, &probe, &text);
	}
	if (!err)
		err = cli_write_record(txn, path.ptr, &text);
	if (!err && !(kept = strdup(id.ptr)))
		err = crm_error_set(CRM_ENOMEM, "out of memory");
	if (!err)
		err = cli_list_push(made, kept);
	else
		free(kept);
	if (!err)
		crm_buf_addf(msg, "\ntask/%s%s%s", id.ptr, about ? " about " : "",
			     about ? ref.ptr : "");
	crm_buf_release(&text);
	crm_buf_release(&id);
	crm_buf_release(&path);
	crm_buf_release(&name);
	crm_buf_release(&ref);
	return err;
}

typedef CRM_ARRAY(struct crm_record *) record_list;

/* --where 'TYPE TERM...': the records of TYPE the terms let through,
 * appended to `out`.  *printed when the error is on stderr already. */
static int records_where(struct cli_ctx *ctx, const char *where, record_list *out,
			 bool *printed)
{
	struct cli_list terms = { NULL, 0, 0 };
	struct crm_filter *filter = NULL;
	struct crm_record **all, ***slot;
	const struct crm_schema *s = NULL;
	char *copy = strdup(where), *save = NULL, *word;
	size_t n, i, before = out->len;
	int err = copy ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");

	word = copy ? strtok_r(copy, " \t", &save) : NULL;
	if (!err && !word)
		err = crm_error_set(CRM_EUSAGE, "--where needs a type and filter terms, "
				    "as in --where 'client tag:seo'");
	if (!err && !(s = cli_find_type(ctx, word))) {
		*printed = true;
		err = CRM_EUSAGE;
	}
	while (!err && (word = strtok_r(NULL, " \t", &save)))
		err = cli_list_push(&terms, word);
	if (!err)
		err = crm_filter_parse(&filter, ctx->idx, s, terms.items, terms.len);
	all = err ? NULL : crm_index_list(ctx->idx, s->type, &n);
	for (i = 0; all && i < n && !err; i++) {
		crm_index_materialize(ctx->idx, all[i]);
		if (!crm_filter_match(filter, ctx->idx, all[i]))
			continue;
		slot = (struct crm_record ***)CRM_ARRAY_PUSH(*out);
		if (!slot)
			err = CRM_ENOMEM;
		else
			out->ptr[out->len - 1] = all[i];
	}
	if (!err && out->len == before)
		err = crm_error_set(CRM_ERROR, "no %s matches --where '%s'; no task was made",
				    s->type, where);
	crm_filter_free(filter);
	cli_list_release(&terms);
	free(copy);
	return err;
}

/* The records the tasks are about: each --about, then --where's. */
static int collect_about(struct cli_ctx *ctx, const struct cli_list *refs, const char *where,
			 record_list *out, bool *printed)
{
	struct crm_record *rec;
	size_t i;
	int rc;

	for (i = 0; i < refs->len; i++) {
		rc = cli_record_arg(&rec, ctx, refs->items[i]);
		if (rc) {
			*printed = true;
			return rc == EXIT_USAGE ? CRM_EUSAGE : CRM_ENOTFOUND;
		}
		if (!CRM_ARRAY_PUSH(*out))
			return CRM_ENOMEM;
		out->ptr[out->len - 1] = rec;
	}
	return where ? records_where(ctx, where, out, printed) : 0;
}

static int sub_add(struct cli_ctx *ctx, int argc, char **argv)
{
	struct task_fields tf;
	struct cli_list about = { NULL, 0, 0 }, made = { NULL, 0, 0 };
	const char *where = NULL;
	const struct cli_option opts[] = {
		{ "about", 'a', CLI_OPT_LIST, &about, "REF",
		  "the record it is about (repeatable: a task for each)" },
		{ "where", 'w', CLI_OPT_STRING, &where, "'TYPE FILTER...'",
		  "a task for each record of TYPE the filter terms let through" },
		{ "due", 'd', CLI_OPT_STRING, &tf.due, "WHEN",
		  "when it is due: 2025-03-31T14:00, tomorrow, fri 14:00, +2w, eom" },
		{ "remind", 'r', CLI_OPT_STRING, &tf.remind, "DURATION",
		  "remind this long before it is due: 1d, 2h, 30m, 1w" },
		{ "assignee", 0, CLI_OPT_STRING, &tf.assignee, "USER", "who does it" },
		{ "category", 'c', CLI_OPT_STRING, &tf.category, "C",
		  "one of crm.ini's [task] categories" },
		{ "repeat", 0, CLI_OPT_STRING, &tf.repeat, "RULE",
		  "daily, weekly, monthly, yearly or every N days|weeks|months|years" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "TITLE"),
		CLI_OPT_END
	};
	const struct crm_schema *s = crm_repo_schema(&ctx->repo, "task");
	record_list recs = CRM_ARRAY_INIT;
	struct crm_buf msg = CRM_BUF_INIT;
	struct crm_txn txn;
	bool printed = false;
	size_t n, i;
	int err, rc;

	memset(&tf, 0, sizeof(tf));
	rc = cli_parse(ctx, "add TITLE [--about REF]... [--where 'TYPE FILTER...'] [--due WHEN] "
		       "[--remind 1d] [--assignee U] [--category C] [--repeat RULE] [--force]",
		       opts, argc, argv, &argc);
	if (rc)
		goto done;
	tf.title = argv[0];
	err = s ? 0 : crm_error_set(CRM_EUSAGE, "the repository has no task schema");
	if (!err)
		err = check_fields(&tf, ctx, s);
	if (!err)
		err = collect_about(ctx, &about, where, &recs, &printed);
	if (err) {
		if (!printed)
			cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
		goto done;
	}
	n = recs.len;
	if (n > 1)
		crm_buf_addf(&msg, "crm: add %zu tasks '%s'\n", n, tf.title);
	err = crm_txn_begin(&txn, &ctx->repo);
	for (i = 0; !err && i < (n ? n : 1); i++)
		err = add_one(ctx, &txn, s, &tf, n ? recs.ptr[i] : NULL, &made, &msg);
	if (!err && n <= 1) {
		/* one task: the message is the one crm add writes */
		crm_buf_reset(&msg);
		crm_buf_addf(&msg, "crm: add task/%s", made.items[0]);
	}
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
done:
	for (i = 0; i < made.len; i++)
		free((char *)made.items[i]);
	cli_list_release(&made);
	cli_list_release(&about);
	crm_buf_release(&msg);
	CRM_ARRAY_RELEASE(recs);
	return rc;
}

/* ---- crm task done ---- */

/* The task `ref` names ("task/ID" or a task's bare id). */
static int find_task(struct crm_record **out, struct cli_ctx *ctx, const char *ref)
{
	struct crm_buf full = CRM_BUF_INIT;
	int rc;

	if (!strchr(ref, '/'))
		crm_buf_addf(&full, "task/%s", ref);
	else
		crm_buf_adds(&full, ref);
	rc = cli_record_arg(out, ctx, full.ptr);
	if (!rc && strcmp((*out)->schema->type, "task")) {
		cli_error(ctx->command, "'%s' is not a task", ref);
		rc = EXIT_USAGE;
	}
	crm_buf_release(&full);
	return rc;
}

/* The next occurrence of repeating task `rec` (its file's text in `e`):
 * the same fields, due advanced by the rule, created today, as a new
 * record written into `txn` after the check. */
static int add_next(struct cli_ctx *ctx, struct crm_txn *txn, const struct crm_record *rec,
		    const char *rule_text, struct crm_buf *msg)
{
	struct crm_buf due = CRM_BUF_INIT, id = CRM_BUF_INIT, path = CRM_BUF_INIT;
	crm_date today = crm_index_today(ctx->idx);
	struct crm_repeat rule;
	struct crm_record probe;
	struct cli_edit next;
	char day[16];
	int err;

	crm_date_format(day, sizeof(day), today);
	err = cli_edit_open(&next, ctx, rec->path);
	if (!err)
		err = crm_repeat_parse(&rule, rule_text);
	if (!err)
		err = crm_task_next_due(&due, crm_node_text(next.root, "due"), &rule, today);
	if (!err)
		err = cli_edit_set(&next, "due", due.ptr);
	if (!err)
		err = cli_edit_set(&next, "created", day);
	if (!err)
		err = crm_store_new_id(&id, ctx->idx, "task", crm_node_text(next.root, "title"));
	if (!err)
		err = crm_store_new_path(&path, rec->schema, id.ptr, today);
	if (!err) {
		memset(&probe, 0, sizeof(probe));
		probe.schema = rec->schema;
		probe.id = id.ptr;
		probe.path = path.ptr;
		err = cli_check_write(ctx, &probe, &next.text);
	}
	if (!err)
		err = cli_write_record(txn, path.ptr, &next.text);
	if (!err)
		crm_buf_addf(msg, ", next task/%s due %s", id.ptr, due.ptr);
	cli_edit_release(&next);
	crm_buf_release(&due);
	crm_buf_release(&id);
	crm_buf_release(&path);
	return err;
}

static int sub_done(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = {
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "ID"),
		CLI_OPT_END
	};
	struct crm_buf msg = CRM_BUF_INIT;
	struct crm_record *rec;
	struct cli_edit e;
	struct crm_txn txn;
	const char *status, *repeat;
	char day[16];
	int err, rc = cli_parse(ctx, "done ID [--force]", opts, argc, argv, &argc);

	if (!rc)
		rc = find_task(&rec, ctx, argv[0]);
	if (rc)
		return rc;
	crm_index_materialize(ctx->idx, rec);
	status = rec->root ? crm_node_text(rec->root, "status") : NULL;
	if (status && !strcmp(status, "done")) {
		printf("task/%s is already done; nothing to do\n", rec->id);
		return EXIT_OK;
	}
	crm_date_format(day, sizeof(day), crm_index_today(ctx->idx));
	crm_buf_addf(&msg, "crm: done task/%s", rec->id);
	err = cli_edit_open(&e, ctx, rec->path);
	e.rec = rec;
	if (!err)
		err = cli_edit_set(&e, "status", "done");
	if (!err)
		err = cli_edit_set(&e, "done", day);
	/* checked before the transaction: a refusal touches nothing */
	if (!err)
		err = cli_check_write(ctx, rec, &e.text);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		cli_edit_release(&e);
		crm_buf_release(&msg);
		return cli_status(err);
	}
	repeat = rec->root ? crm_node_text(rec->root, "repeat") : NULL;
	err = crm_txn_begin(&txn, &ctx->repo);
	if (!err)
		err = cli_write_record(&txn, rec->path, &e.text);
	if (!err && repeat && *repeat)
		err = add_next(ctx, &txn, rec, repeat, &msg);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
	cli_edit_release(&e);
	crm_buf_release(&msg);
	return rc;
}

/* ---- crm task ls ---- */

/* Whether a filter term is about `status` ("status=done", "-status:open"). */
static bool names_status(const char *term)
{
	if (*term == '-' || *term == '!')
		term++;
	return !strncmp(term, "status", 6) && strchr("=!<>~:", term[6]) && term[6];
}

static int sub_ls(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *sort = NULL, *format = NULL, *fields = NULL, *limit = NULL;
	bool json = false, csv = false, wide = false, all = false;
	const struct cli_option opts[] = {
		{ "all", 0, CLI_OPT_FLAG, &all, NULL, "done tasks too (default: open ones)" },
		{ "sort", 's', CLI_OPT_STRING, &sort, "FIELDS",
		  "sort by these fields (default: due)" },
		{ "limit", 'n', CLI_OPT_STRING, &limit, "N", "print at most N tasks" },
		{ "fields", 'f', CLI_OPT_STRING, &fields, "A,B", "the columns to print" },
		{ "format", 0, CLI_OPT_STRING, &format, "FMT", "table, json, csv or yaml" },
		{ "json", 0, CLI_OPT_FLAG, &json, NULL, "same as --format json" },
		{ "csv", 0, CLI_OPT_FLAG, &csv, NULL, "same as --format csv" },
		{ "wide", 0, CLI_OPT_FLAG, &wide, NULL,
		  "print long cells whole, not cut with … to fit" },
		CLI_ARG(CLI_ARG_ANY, "FILTER"),
		CLI_OPT_END
	};
	char **ls_argv;
	int i, n = 0, nterms, rc = cli_parse(ctx, "ls [FILTER...] [--all] [--sort FIELDS] "
					     "[--limit N] [--fields A,B] [--format FMT]",
					     opts, argc, argv, &nterms);
	bool has_status = all;

	if (rc)
		return rc;
	for (i = 0; i < nterms; i++)
		has_status |= names_status(argv[i]);
	ls_argv = calloc((size_t)nterms + 20, sizeof(*ls_argv));
	if (!ls_argv) {
		cli_error(ctx->command, "out of memory");
		return EXIT_PROBLEMS;
	}
	/* crm ls task, with a task list's defaults */
	ls_argv[n++] = "ls";
	ls_argv[n++] = "--sort";
	ls_argv[n++] = (char *)(sort ? sort : "due");
	if (limit) {
		ls_argv[n++] = "--limit";
		ls_argv[n++] = (char *)limit;
	}
	if (fields) {
		ls_argv[n++] = "--fields";
		ls_argv[n++] = (char *)fields;
	}
	if (format) {
		ls_argv[n++] = "--format";
		ls_argv[n++] = (char *)format;
	}
	if (json)
		ls_argv[n++] = "--json";
	if (csv)
		ls_argv[n++] = "--csv";
	if (wide)
		ls_argv[n++] = "--wide";
	ls_argv[n++] = "--";
	ls_argv[n++] = "task";
	if (!has_status)
		ls_argv[n++] = "status=open";
	for (i = 0; i < nterms; i++)
		ls_argv[n++] = argv[i];
	rc = cmd_ls(ctx, n, ls_argv);
	free(ls_argv);
	return rc;
}

static const struct cli_command subcommands[] = {
	{ "add", sub_add, 0, "a task, or one for each record it is about, in one commit" },
	{ "done", sub_done, 0, "mark a task done (a repeating one is made again)" },
	{ "ls", sub_ls, 0, "open tasks by due date, with the filters of crm ls" },
};
#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(*subcommands))

int cmd_task(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_run_subcommand(ctx, usage, subcommands, NSUBCOMMANDS, argc, argv);
}
