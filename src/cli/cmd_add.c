/* crm add TYPE --set field=value...: a new record, its id made from its
 * name (or a short random id for names in other scripts), placed where its
 * folder stays small, in one commit.  A record without an owner gets one
 * from crm.ini's assignment rules, and a new deal is announced to the
 * stage hook (src/core/automation). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/automation.h"
#include "crm/date.h"
#include "crm/dedupe.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/store.h"
#include "crm/utf8.h"
#include "crm/value.h"
#include "crm/yaml_emit.h"

static const char usage[] = "TYPE [--set FIELD=VALUE...] [--id ID] [--force]";

/* The field that names a record: `name`, else `title`. */
static const char *name_field(const struct crm_schema *s)
{
	return crm_schema_field(s, "name") ? "name" : crm_schema_field(s, "title") ? "title" : NULL;
}

/* The length of the mapping's name in "next_step.date=x" when `set`
 * names an entry of a mapping field, else 0. */
static size_t entry_head(const struct crm_schema *s, const char *set)
{
	const char *eq = strchr(set, '='), *dot = strchr(set, '.');
	char head[128];

	if (!eq || !dot || dot > eq || (size_t)(dot - set) >= sizeof(head))
		return 0;
	memcpy(head, set, (size_t)(dot - set));
	head[dot - set] = '\0';
	return crm_schema_field(s, head) ? (size_t)(dot - set) : 0;
}

/* The --set entries of mapping fields (validated already), as one block
 * mapping per field in the order the fields first appear. */
static void add_entries(struct crm_buf *out, const struct crm_schema *s,
			const struct cli_list *sets)
{
	size_t i, k, n;

	for (i = 0; i < sets->len; i++) {
		bool seen = false;
		n = entry_head(s, sets->items[i]);
		for (k = 0; n && k < i && !seen; k++)
			seen = entry_head(s, sets->items[k]) == n &&
			       !strncmp(sets->items[k], sets->items[i], n);
		if (!n || seen)
			continue;
		crm_buf_addf(out, "%.*s:\n", (int)n, sets->items[i]);
		for (k = i; k < sets->len; k++) {
			const char *eq = strchr(sets->items[k], '=');
			if (entry_head(s, sets->items[k]) != n ||
			    strncmp(sets->items[k], sets->items[i], n))
				continue;
			crm_buf_addf(out, "  %.*s: ", (int)(eq - sets->items[k] - n - 1),
				     sets->items[k] + n + 1);
			crm_edit_render_scalar(out, eq + 1, NULL);
			crm_buf_addch(out, '\n');
		}
	}
}

static int build_text(struct crm_buf *out, struct cli_ctx *ctx, const struct crm_schema *s,
		      struct cli_list *sets, crm_date today)
{
	size_t i, j;
	char date[16];
	int err = 0;

	for (i = 0; i < sets->len && !err; i++) {
		const char *eq = strchr(sets->items[i], '='), *value;
		char field[128], typed[64];
		if (!eq || eq == sets->items[i] || (size_t)(eq - sets->items[i]) >= sizeof(field))
			return crm_error_set(CRM_EUSAGE, "'%s' is not FIELD=VALUE", sets->items[i]);
		snprintf(field, sizeof(field), "%.*s", (int)(eq - sets->items[i]), sets->items[i]);
		err = crm_store_typed_value(&value, typed, sizeof(typed), ctx->idx, s, field,
					    eq + 1);
		if (!err)
			err = crm_store_validate(ctx->idx, s, field, value);
		if (err)
			return err;
		if (!crm_schema_field(s, field))
			continue;   /* "next_step.date": written below, by mapping */
		crm_buf_addf(out, "%s: ", field);
		if (crm_schema_field(s, field)->type == CRM_F_TAGS ||
		    crm_schema_field(s, field)->type == CRM_F_REFS) {
			crm_buf_addf(out, "[%s]\n", value);
			continue;
		}
		crm_edit_render_scalar(out, value, NULL);
		crm_buf_addch(out, '\n');
	}
	add_entries(out, s, sets);
	for (j = 0; j < s->nfields; j++) {
		const struct crm_field *f = &s->fields[j];
		char key[160];
		snprintf(key, sizeof(key), "\n%s: ", f->name);
		if (f->required && !crm_field_is_computed(f) && !strstr(out->ptr, key) &&
		    strncmp(out->ptr, key + 1, strlen(key + 1)))
			return crm_error_set(CRM_EUSAGE, "required field '%s' is missing: "
					     "--set %s=...", f->name, f->name);
	}
	if (crm_schema_field(s, "created") && !strstr(out->ptr, "created: ")) {
		crm_date_format(date, sizeof(date), today);
		crm_buf_addf(out, "created: %s\n", date);
	}
	return err;
}

/* The template the editor opens with: required fields to fill in, the
 * others as comments that say their type and choices. */
static void template_text(struct crm_buf *out, const struct crm_schema *s)
{
	size_t i, j;
	crm_buf_addf(out, "# a new %s: fill in the fields, uncomment the ones you want; "
		     "save it unchanged to abort\n", s->type);
	for (i = 0; i < s->nfields; i++) {
		const struct crm_field *f = &s->fields[i];
		if (crm_field_is_computed(f) || f->type == CRM_F_LIST || f->type == CRM_F_MAP ||
		    !strcmp(f->name, "created"))
			continue;
		crm_buf_addf(out, "%s%s:", f->required ? "" : "# ", f->name);
		crm_buf_addf(out, "%*s# %s", (int)(16 - strlen(f->name) % 16), "",
			     crm_field_type_name(f->type));
		if (f->to)
			crm_buf_addf(out, " to %s", f->to);
		for (j = 0; j < f->nvalues; j++)
			crm_buf_addf(out, "%s%s", j ? ", " : ": ", f->values[j]);
		crm_buf_addch(out, '\n');
	}
}

/* Text for the new record from the editor. */
static int text_from_editor(struct crm_buf *text, struct cli_ctx *ctx,
			    const struct crm_schema *s)
{
	struct crm_buf tmpl = CRM_BUF_INIT, tmp = CRM_BUF_INIT, what = CRM_BUF_INIT;
	struct crm_record rec;
	char date[16];
	int err;

	memset(&rec, 0, sizeof(rec));
	rec.schema = s;
	rec.id = "new";
	rec.path = s->folder;
	template_text(&tmpl, s);
	crm_buf_addf(&what, "new-%s", s->type);
	err = cli_editor_file(&tmp, ctx, what.ptr, false);
	if (!err)
		err = cli_edit_in_editor(ctx, &rec, tmp.ptr, &tmpl, text);
	if (!err && !strncmp(text->ptr, "# a new ", 8)) {
		/* the template's instructions are no part of the record */
		const char *nl = strchr(text->ptr, '\n');
		struct crm_buf rest = CRM_BUF_INIT;
		crm_buf_adds(&rest, nl ? nl + 1 : "");
		crm_buf_release(text);
		*text = rest;
	}
	if (!err && crm_schema_field(s, "created") && !strstr(text->ptr, "created:")) {
		crm_date_format(date, sizeof(date), crm_index_today(ctx->idx));
		if (text->len && text->ptr[text->len - 1] != '\n')
			crm_buf_addch(text, '\n');
		crm_buf_addf(text, "created: %s\n", date);
	}
	crm_buf_release(&tmpl);
	crm_buf_release(&tmp);
	crm_buf_release(&what);
	return err;
}

/* The schema's `default:` of every field the text does not give. */
static int add_defaults(struct cli_edit *e, const struct crm_schema *s)
{
	size_t i;
	int err = 0;

	for (i = 0; i < s->nfields && !err; i++) {
		const struct crm_field *f = &s->fields[i];
		if (f->default_value && !crm_field_is_computed(f) && !crm_node_get(e->root, f->name))
			err = cli_edit_set(e, f->name, f->default_value);
	}
	return err;
}

/* A new deal's first history entry: the stage it starts in, dated when it
 * was created, so that the funnel counts it there even when it is lost
 * before it ever moves. */
static int add_first_history(struct cli_edit *e, const struct crm_schema *s, const char *by,
			     crm_date today)
{
	const struct crm_field *h = crm_schema_field(s, "history");
	const char *stage = crm_node_text(e->root, "stage");
	const char *created = crm_node_text(e->root, "created");
	char date[16];

	if (!h || h->type != CRM_F_LIST || !stage || crm_node_get(e->root, "history"))
		return 0;
	crm_date_format(date, sizeof(date), today);
	return cli_edit_add_history(e, created ? created : date, stage, by);
}

/* `id` as the new record's id (copied to *out), or, when a record of the
 * type has it, a refusal naming that record's file: two records that one
 * name gives are more often one thing added twice than two things, so the
 * id is never made unique behind the user's back (no "acme-corp-2"). */
static int claim_id(struct crm_buf *out, struct cli_ctx *ctx, const struct crm_schema *s,
		    const char *id, bool chosen)
{
	struct crm_record *taken = crm_index_find(ctx->idx, s->type, id);

	/* an index listed from the cache does not know records added since */
	if (!taken && cli_index_complete(ctx) > 0)
		taken = crm_index_find(ctx->idx, s->type, id);
	if (!taken)
		return crm_buf_adds(out, id);
	if (chosen)
		return crm_error_set(CRM_ERROR, "%s/%s already exists (%s); choose another --id",
				     s->type, id, taken->path);
	return crm_error_set(CRM_ERROR, "%s/%s already exists (%s), likely the same %s: "
			     "'crm show %s/%s' shows it; if this is another one, give it an id "
			     "with --id ID; nothing was written", s->type, id, taken->path,
			     s->type, s->type, id);
}

/* The id the new record's name gives ("Acme Corp" -> acme-corp), refused
 * when taken (claim_id); a name without Latin letters or digits gets a
 * random id, drawn again when taken, since it says nothing of the name. */
static int id_from_name(struct crm_buf *out, struct cli_ctx *ctx, const struct crm_schema *s,
			const char *name)
{
	struct crm_buf slug = CRM_BUF_INIT;
	int err;

	if (!name || !crm_utf8_slug(&slug, name)) {
		crm_buf_release(&slug);
		return crm_store_new_id(out, ctx->idx, s->type, NULL);
	}
	err = crm_buf_check(&slug);
	if (!err)
		err = claim_id(out, ctx, s, slug.ptr, false);
	crm_buf_release(&slug);
	return err;
}

/* An owner for a record that has none, by crm.ini's [assign] rules; the
 * commit message says who and by which rule. */
static int assign_owner(struct crm_buf *text, struct cli_ctx *ctx, const struct crm_record *rec,
			struct crm_buf *msg)
{
	struct crm_automation a;
	struct crm_assigner *as = NULL;
	const char *owner = NULL, *rule = NULL;
	int err = crm_automation_load(&a, &ctx->repo.config);

	if (!err)
		err = crm_assign_begin(&as, ctx->idx, &a, rec->schema);
	if (!err && as)
		err = crm_assign_text(text, &owner, &rule, as, rec->schema, rec->id, rec->path);
	if (!err && owner)
		crm_buf_addf(msg, " (assigned to %s by rule '%s')", owner, rule);
	crm_assign_free(as);
	crm_automation_release(&a);
	return err;
}

/* A new deal enters its first stage: crm.ini's stage hook hears of it as
 * a change from no stage (as a crm sync that brings the deal to a
 * teammate announces it there).  A hook that fails is a warning: the
 * record is committed. */
static void notify_new_deal(struct cli_ctx *ctx, const struct crm_record *rec,
			    const struct crm_buf *text)
{
	struct crm_stage_change c;
	struct crm_automation a;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_node *root = NULL;
	struct crm_git *git = NULL;
	struct crm_diags d;
	char head[41] = "";
	bool deal = !strcmp(rec->schema->type, "opportunity");

	crm_diags_init(&d);
	/* crm.ini's errors are the assignment's to report, before the commit */
	if (!deal || crm_automation_load(&a, &ctx->repo.config) || !a.notify_argv)
		goto done;
	if (crm_yaml_parse(&root, &arena, text->ptr, text->len, rec->path, &d) || !root ||
	    !crm_node_text(root, "stage"))
		goto done;
	memset(&c, 0, sizeof(c));
	crm_stage_change_describe(&c, rec->schema->type, rec->id, root);
	c.origin = "add";
	if (!crm_git_open(&git, ctx->repo.root) && !crm_git_head(git, head, NULL))
		c.commit = head;
	crm_error_clear();
	if (crm_notify_stage_change(&a, &c))
		fprintf(stderr, "crm %s: warning: %s\n", ctx->command, crm_error_last());
done:
	if (deal)
		crm_automation_release(&a);
	crm_error_clear();
	crm_git_free(git);
	crm_diags_release(&d);
	crm_arena_release(&arena);
}

/* What crm add writes besides the fields given, then the check every
 * write is held to; `text` is replaced by the text to write. */
static int complete_and_check(struct crm_buf *text, struct cli_ctx *ctx,
			      const struct crm_record *rec, const char *by)
{
	struct cli_edit e;
	int err;

	memset(&e, 0, sizeof(e));
	crm_arena_init(&e.arena);
	crm_buf_init(&e.text);
	e.path = rec->path;
	err = cli_edit_replace(&e, text);
	if (!err)
		err = add_defaults(&e, rec->schema);
	if (!err)
		err = add_first_history(&e, rec->schema, by, crm_index_today(ctx->idx));
	if (!err)
		err = cli_check_write(ctx, rec, &e.text);
	crm_buf_release(text);
	*text = e.text;
	crm_buf_init(&e.text);
	cli_edit_release(&e);
	return err;
}

/* A warning on stderr when the new record `text` looks like one that
 * exists (crm dedupe's matching, at 0.8 or more); the record is added all
 * the same: two clients may share a name. */
static void warn_duplicate(struct cli_ctx *ctx, const struct crm_schema *s,
			   const struct crm_buf *text)
{
	struct crm_arena a = CRM_ARENA_INIT;
	struct crm_node *root = NULL;
	struct crm_matcher m;
	struct crm_match found;
	struct crm_diags d;

	crm_diags_init(&d);
	crm_matcher_init(&m);
	if (!crm_yaml_parse(&root, &a, text->ptr, text->len, "new", &d) && root &&
	    crm_dedupe_existing(&found, &m, ctx->idx, s, root) > 0)
		fprintf(stderr, "crm %s: warning: this looks like %s/%s (%s, score %.2f); "
			"added all the same\n", ctx->command, s->type, found.known->id, found.how,
			found.score);
	crm_matcher_release(&m);
	crm_diags_release(&d);
	crm_arena_release(&a);
}

int cmd_add(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_list sets = { NULL, 0, 0 };
	const char *want_id = NULL;
	const struct cli_option opts[] = {
		{ "set", 's', CLI_OPT_LIST, &sets, "F=V", "a field of the new record (repeatable)" },
		{ "id", 0, CLI_OPT_STRING, &want_id, "ID", "the id (default: made from the name)" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "TYPE"),
		CLI_OPT_END
	};
	struct crm_buf text = CRM_BUF_INIT, id = CRM_BUF_INIT, path = CRM_BUF_INIT;
	struct crm_buf msg = CRM_BUF_INIT;
	const struct crm_schema *s;
	struct crm_record probe;
	struct crm_value name;
	struct crm_txn txn;
	char *by = NULL;
	int err, rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc) {
		cli_list_release(&sets);
		return rc;
	}
	s = cli_find_type(ctx, argv[0]);
	if (!s)
		err = CRM_EUSAGE;
	else if (sets.len)
		err = build_text(&text, ctx, s, &sets, crm_index_today(ctx->idx));
	else
		err = text_from_editor(&text, ctx, s);
	/* only the editor says "not found" for a record left empty: a --set
	 * naming a missing record is an error */
	if (err == CRM_ENOTFOUND && !sets.len) {
		fprintf(stderr, "crm %s: nothing to add; no record was made\n", ctx->command);
		rc = EXIT_OK;
		goto done;
	}
	if (!err && want_id && !crm_id_valid(want_id, strlen(want_id)))
		err = crm_error_set(CRM_EUSAGE, "'%s' is not a valid id (a-z, 0-9 and '-', "
				    "at most 64)", want_id);
	else if (!err && want_id)
		err = claim_id(&id, ctx, s, want_id, true);
	else if (!err) {
		/* the name as the file will hold it, to make the id from */
		struct crm_arena a = CRM_ARENA_INIT;
		struct crm_diags d;
		const char *nf = name_field(s);
		crm_diags_init(&d);
		memset(&probe, 0, sizeof(probe));
		name.kind = CRM_V_NULL;
		if (!crm_yaml_parse(&probe.root, &a, text.ptr, text.len, "new", &d) && nf &&
		    crm_node_text(probe.root, nf)) {
			name.kind = CRM_V_TEXT;
			name.u.text = crm_node_text(probe.root, nf);
		}
		err = id_from_name(&id, ctx, s, name.kind == CRM_V_TEXT ? name.u.text : NULL);
		crm_diags_release(&d);
		crm_arena_release(&a);
	}
	if (err) {
		if (s)
			cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
		goto done;
	}
	crm_store_new_path(&path, s, id.ptr, crm_index_today(ctx->idx));
	crm_buf_addf(&msg, "crm: add %s/%s", s->type, id.ptr);
	memset(&probe, 0, sizeof(probe));
	probe.schema = s;
	probe.id = id.ptr;
	probe.path = path.ptr;
	err = crm_txn_begin(&txn, &ctx->repo);
	if (!err)
		by = crm_store_user(&ctx->repo, txn.git);
	if (!err)
		err = assign_owner(&text, ctx, &probe, &msg);
	if (!err)
		err = complete_and_check(&text, ctx, &probe, by ? by : "");
	if (!err)
		warn_duplicate(ctx, s, &text);
	if (!err)
		err = cli_write_record(&txn, path.ptr, &text);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
	if (rc == EXIT_OK)
		notify_new_deal(ctx, &probe, &text);
done:
	free(by);
	crm_buf_release(&text);
	crm_buf_release(&id);
	crm_buf_release(&path);
	crm_buf_release(&msg);
	cli_list_release(&sets);
	return rc;
}
