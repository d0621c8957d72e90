/* crm note REF (and its synonym crm activity add REF): a follow-up as a
 * structured activity about a client, contact or deal (what happened, what
 * the client needs now, their concerns, the next step with its date and
 * owner), from flags or from a commented template in the editor; one commit. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/date.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/store.h"

static const char usage[] =
	"REF [--kind KIND] [--summary TEXT] [--needs TEXT] [--concerns TEXT] [--next STEP] "
	"[--next-date DATE] [--next-owner USER] [--at WHEN] [--force]";

struct note {
	const char *kind, *summary, *needs, *concerns;
	const char *next, *next_date, *next_owner, *at;
};

/* The top-level fields a note writes from its flags, in file order. */
struct note_field {
	const char *name;
	const char *value;
};

/* Whether any flag gives the note's content (else the editor does). */
static bool has_content(const struct note *n)
{
	return n->summary || n->needs || n->concerns || n->next || n->next_date ||
	       n->next_owner;
}

/* Now in the repository's time zone, "2026-12-01T14:30" (CRM_TODAY pins it
 * to that day's noon, UTC). */
static void now_text(char *buf, size_t size, const struct crm_repo *repo)
{
	int64_t now = crm_now(), local, day;
	int32_t off = 0;
	char date[16];

	if (crm_tz_offset(&off, repo->config.timezone, now))
		off = 0;
	local = now + (int64_t)off * 60;
	day = local / 86400 - (local % 86400 < 0);
	crm_date_format(date, sizeof(date), (crm_date)day);
	local -= day * 86400;
	snprintf(buf, size, "%sT%02d:%02d", date, (int)(local / 3600), (int)(local / 60 % 60));
}

/* "key: value\n" after checking the value as the field holds it. */
static int add_field(struct crm_buf *out, struct cli_ctx *ctx, const struct crm_schema *s,
		     const char *indent, const char *field, const char *value)
{
	const char *dot = strchr(field, '.');
	char typed[64];
	/* a date as people type it ("fri", "+2d") is written as ISO */
	int err = crm_store_typed_value(&value, typed, sizeof(typed), ctx->idx, s, field, value);

	if (!err)
		err = crm_store_validate(ctx->idx, s, field, value);
	if (err)
		return err;
	crm_buf_addf(out, "%s%s: ", indent, dot ? dot + 1 : field);
	crm_edit_render_scalar(out, value, NULL);
	return crm_buf_addch(out, '\n');
}

/* The note's text from its flags; `about` is "type/id", `by` the user. */
static int text_from_flags(struct crm_buf *out, struct cli_ctx *ctx,
			   const struct crm_schema *s, const struct note *n,
			   const char *about, const char *by, const char *at)
{
	/* the one who notes it takes the next step, where the schema has owners */
	const char *default_owner = crm_index_field(s, "next_step.owner", NULL) ? by : NULL;
	const struct note_field top[] = {
		{ "date", at }, { "kind", n->kind }, { "about", about }, { "by", by },
		{ "summary", n->summary }, { "needs", n->needs }, { "concerns", n->concerns },
	};
	const struct note_field step[] = {
		{ "next_step.action", n->next }, { "next_step.date", n->next_date },
		{ "next_step.owner", n->next_owner ? n->next_owner : default_owner },
	};
	size_t i;
	int err = 0;

	for (i = 0; i < sizeof(top) / sizeof(*top) && !err; i++) {
		if (top[i].value && (*top[i].value || i < 3))
			err = add_field(out, ctx, s, "", top[i].name, top[i].value);
	}
	if (err || (!n->next && !n->next_date))
		return err;
	crm_buf_adds(out, "next_step:\n");
	for (i = 0; i < sizeof(step) / sizeof(*step) && !err; i++) {
		if (step[i].value && *step[i].value)
			err = add_field(out, ctx, s, "  ", step[i].name, step[i].value);
	}
	return err;
}

/* "key: value" for the template, the value left empty when NULL. */
static void template_line(struct crm_buf *out, const char *indent, const char *key,
			  const char *value)
{
	crm_buf_addf(out, "%s%s:", indent, key);
	if (value && *value) {
		crm_buf_addch(out, ' ');
		crm_edit_render_scalar(out, value, NULL);
	}
	crm_buf_addch(out, '\n');
}

/* The template the editor opens with: the note's frame filled in, its
 * content empty, and on top the comment lines that say what goes where
 * (no comment is left in the record). */
static void template_text(struct crm_buf *out, const struct crm_schema *s,
			  const struct note *n, const char *about, const char *by,
			  const char *at)
{
	bool needs = crm_schema_field(s, "needs") != NULL;
	bool concerns = crm_schema_field(s, "concerns") != NULL;
	bool owner = crm_index_field(s, "next_step.owner", NULL) != NULL;

	crm_buf_addf(out, "# A note about %s.  Fill in what happened (summary), what\n"
		     "# the client needs now (needs), their concerns (concerns) and the\n"
		     "# next step: its action, its date (YYYY-MM-DD) and who takes it.\n"
		     "# Empty fields are left out; save it unchanged to abort.\n", about);
	template_line(out, "", "date", at);
	template_line(out, "", "kind", n->kind);
	template_line(out, "", "about", about);
	template_line(out, "", "by", by);
	template_line(out, "", "summary", n->summary);
	if (needs)
		template_line(out, "", "needs", n->needs);
	if (concerns)
		template_line(out, "", "concerns", n->concerns);
	crm_buf_adds(out, "next_step:\n");
	template_line(out, "  ", "action", n->next);
	template_line(out, "  ", "date", n->next_date);
	if (owner)
		template_line(out, "  ", "owner", n->next_owner ? n->next_owner : by);
}

/* The edited text without the comment lines at its top (the template's
 * instructions). */
static void strip_instructions(struct crm_buf *text)
{
	struct crm_buf rest = CRM_BUF_INIT;
	const char *p = text->ptr;

	while (*p == '#') {
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	crm_buf_adds(&rest, p);
	crm_buf_release(text);
	*text = rest;
}

/* Removes the fields the user left empty (and a next step with nothing
 * but its owner), so that the file says only what was said. */
static int drop_empty(struct cli_edit *e)
{
	struct crm_buf next = CRM_BUF_INIT;
	const struct crm_node *step;
	const char *action, *date;
	size_t i;
	int err = 0;

	for (i = e->root ? e->root->count : 0; i-- > 0 && !err;) {
		const struct crm_pair *p = &e->root->pairs[i];
		if (!crm_node_is_null(p->value))
			continue;
		err = crm_edit_unset(&next, e->text.ptr, e->text.len, e->root, p->key->text);
		if (!err)
			err = cli_edit_replace(e, &next);
	}
	step = e->root ? crm_node_get(e->root, "next_step") : NULL;
	for (i = step && step->kind == CRM_NODE_MAP ? step->count : 0; i-- > 0 && !err;) {
		if (!crm_node_is_null(step->pairs[i].value))
			continue;
		err = crm_edit_unset_entry(&next, e->text.ptr, e->text.len, e->root, "next_step",
					   step->pairs[i].key->text);
		if (!err)
			err = cli_edit_replace(e, &next);
		step = crm_node_get(e->root, "next_step");
	}
	action = step && step->kind == CRM_NODE_MAP ? crm_node_text(step, "action") : NULL;
	date = step && step->kind == CRM_NODE_MAP ? crm_node_text(step, "date") : NULL;
	if (!err && step && !action && !date) {
		err = crm_edit_unset(&next, e->text.ptr, e->text.len, e->root, "next_step");
		if (!err)
			err = cli_edit_replace(e, &next);
	}
	crm_buf_release(&next);
	return err;
}

/* The note's text from the editor: CRM_ENOTFOUND when it was saved
 * unchanged (nothing is written then). */
static int text_from_editor(struct crm_buf *text, struct cli_ctx *ctx,
			    const struct crm_record *probe, const struct note *n,
			    const char *about, const char *by, const char *at)
{
	struct crm_buf tmpl = CRM_BUF_INIT, tmp = CRM_BUF_INIT;
	struct crm_record rec = *probe;
	struct cli_edit e;
	int err;

	template_text(&tmpl, probe->schema, n, about, by, at);
	err = cli_editor_file(&tmp, ctx, "new-note", false);
	if (!err)
		err = cli_edit_in_editor(ctx, &rec, tmp.ptr, &tmpl, text);
	crm_buf_release(&tmpl);
	crm_buf_release(&tmp);
	if (err)
		return err;
	strip_instructions(text);
	memset(&e, 0, sizeof(e));
	crm_arena_init(&e.arena);
	crm_buf_init(&e.text);
	e.path = probe->path;
	err = cli_edit_replace(&e, text);
	if (!err)
		err = drop_empty(&e);
	crm_buf_release(text);
	*text = e.text;
	crm_buf_init(&e.text);
	cli_edit_release(&e);
	return err;
}

/* A follow-up is about a client, a contact or a deal. */
static int check_subject(const struct crm_record *rec)
{
	const char *type = rec->schema->type;

	if (!strcmp(type, "client") || !strcmp(type, "contact") || !strcmp(type, "opportunity"))
		return 0;
	return crm_error_set(CRM_EUSAGE, "a note is about a client, a contact or an opportunity, "
			     "not %s/%s", type, rec->id);
}

/* The note's id, "2026-12-01-call-acme" (the day it happened, its kind and
 * what it is about; "-2" and on when taken), so that a folder of notes
 * reads in order. */
static int note_id(struct crm_buf *out, struct cli_ctx *ctx, const struct note *n,
		   const struct crm_record *subject, const char *at)
{
	struct crm_buf name = CRM_BUF_INIT;
	char day[16];
	crm_date d;
	int err;

	if (strlen(at) < 10 || crm_date_parse(&d, at, 10)) {
		d = crm_index_today(ctx->idx);   /* --at checks it as the date */
		crm_error_clear();
	}
	crm_date_format(day, sizeof(day), d);
	crm_buf_addf(&name, "%s %s %s", day, n->kind, subject->id);
	err = crm_buf_check(&name);
	if (!err)
		err = crm_store_new_id(out, ctx->idx, "activity", name.ptr);
	crm_buf_release(&name);
	return err;
}

static int run_note(struct cli_ctx *ctx, const struct note *n, struct crm_record *subject)
{
	const struct crm_schema *s = crm_repo_schema(&ctx->repo, "activity");
	struct crm_buf text = CRM_BUF_INIT, id = CRM_BUF_INIT, path = CRM_BUF_INIT;
	struct crm_buf msg = CRM_BUF_INIT, about = CRM_BUF_INIT;
	struct crm_record probe;
	struct crm_txn txn;
	char now[32], typed_at[64];
	const char *at = NULL;
	char *by = NULL;
	bool began = false;
	int err = s ? check_subject(subject)
		    : crm_error_set(CRM_ENOTFOUND, "this repository has no activity type");

	now_text(now, sizeof(now), &ctx->repo);
	/* --at as people type it ("yesterday 16:00"), ISO from here on */
	if (!err)
		err = crm_store_typed_value(&at, typed_at, sizeof(typed_at), ctx->idx, s, "date",
					    n->at ? n->at : now);
	crm_buf_addf(&about, "%s/%s", subject->schema->type, subject->id);
	if (!err)
		err = note_id(&id, ctx, n, subject, at);
	if (!err)
		err = crm_store_new_path(&path, s, id.ptr, crm_index_today(ctx->idx));
	if (!err)
		err = crm_txn_begin(&txn, &ctx->repo);
	began = !err;
	if (!err)
		by = crm_store_user(&ctx->repo, txn.git);
	memset(&probe, 0, sizeof(probe));
	probe.schema = s;
	probe.id = id.ptr;
	probe.path = path.ptr;
	if (!err && has_content(n))
		err = text_from_flags(&text, ctx, s, n, about.ptr, by ? by : "",
				      at);
	else if (!err)
		err = text_from_editor(&text, ctx, &probe, n, about.ptr, by ? by : "",
				       at);
	if (err == CRM_ENOTFOUND && began && !has_content(n)) {
		fprintf(stderr, "crm %s: %s\n", ctx->command, crm_error_last());
		crm_txn_release(&txn);
		err = EXIT_OK;
		goto done;
	}
	if (!err)
		err = cli_check_write(ctx, &probe, &text);
	if (!err)
		err = cli_write_record(&txn, path.ptr, &text);
	crm_buf_addf(&msg, "crm: note activity/%s (%s) about %s", id.ptr, n->kind, about.ptr);
	if (began) {
		err = cli_txn_finish(ctx, &txn, msg.ptr, err);
	} else {
		cli_error(ctx->command, "%s", crm_error_last());
		err = cli_status(err);
	}
done:
	free(by);
	crm_buf_release(&text);
	crm_buf_release(&id);
	crm_buf_release(&path);
	crm_buf_release(&msg);
	crm_buf_release(&about);
	return err;
}

int cmd_note(struct cli_ctx *ctx, int argc, char **argv)
{
	struct note n = { "note", NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	const struct cli_option opts[] = {
		{ "kind", 'k', CLI_OPT_STRING, &n.kind, "KIND",
		  "call, meeting, email, note... (the schema's kinds; default note)" },
		{ "summary", 'm', CLI_OPT_STRING, &n.summary, "TEXT", "what happened" },
		{ "needs", 0, CLI_OPT_STRING, &n.needs, "TEXT", "what the client needs now" },
		{ "concerns", 0, CLI_OPT_STRING, &n.concerns, "TEXT", "the client's concerns" },
		{ "next", 0, CLI_OPT_STRING, &n.next, "STEP", "the next step" },
		{ "next-date", 0, CLI_OPT_STRING, &n.next_date, "DATE", "when the next step is due" },
		{ "next-owner", 0, CLI_OPT_STRING, &n.next_owner, "USER",
		  "who takes the next step (default: you)" },
		{ "at", 0, CLI_OPT_STRING, &n.at, "WHEN", "when it happened (default: now)" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "REF"),
		CLI_OPT_END
	};
	struct crm_record *rec;
	int rc = cli_parse_ref(&rec, ctx, usage, opts, argc, argv, &argc);

	return rc ? rc : run_note(ctx, &n, rec);
}

int cmd_activity(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "add")) {
		ctx->command = "activity add";
		return cmd_note(ctx, argc - 1, argv + 1);
	}
	/* its one subcommand's help (and option table, for crm __options) */
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		ctx->command = "activity add";
		return cmd_note(ctx, argc, argv);
	}
	if (argc > 1)
		cli_error(ctx->command, "'%s' is not a subcommand of crm activity; see "
			  "'crm activity --help'", argv[1]);
	else
		cli_error(ctx->command, "missing SUBCOMMAND; see 'crm activity --help'");
	return EXIT_USAGE;
}
