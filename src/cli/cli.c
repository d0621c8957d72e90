/* What every command shares: option parsing from each command's option
 * table (which also prints its --help), type-name and record lookup,
 * output-format selection, and the rule of every write (the point check
 * before a commit, the commit itself).  Editing in $EDITOR is
 * cli_editor.c's. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "cli.h"
#include "crm/automation.h"
#include "crm/beneath.h"
#include "crm/check.h"
#include "crm/date.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/lockfile.h"
#include "crm/store.h"
#include "crm/table.h"
#include "crm/term.h"
#include "crm/utf8.h"
#include "crm/yaml_emit.h"

void cli_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "crm %s: ", command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_list_release(struct cli_list *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int cli_list_push(struct cli_list *l, const char *item)
{
	int err = crm_array_grow((void **)&l->items, &l->cap, sizeof(char *), l->len + 1);
	if (err)
		return err;
	l->items[l->len++] = item;
	return 0;
}

static bool is_positional(const struct cli_option *o)
{
	return o->kind >= CLI_ARG_ONE;
}

void cli_usage(FILE *out, const char *command, const char *usage,
	       const struct cli_option *opts)
{
	const struct cli_option *o;
	fprintf(out, "usage: crm %s %s\n", command, usage);
	if (opts && opts->long_name)
		fputc('\n', out);
	for (o = opts; o && o->long_name; o++) {
		char left[64];
		if (is_positional(o))
			continue;   /* named in the usage line */
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->long_name,
				 o->arg_name ? " " : "", o->arg_name ? o->arg_name : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->long_name,
				 o->arg_name ? " " : "", o->arg_name ? o->arg_name : "");
		fprintf(out, "    %-28s %s\n", left, o->help);
	}
}

int cli_help(struct cli_ctx *ctx, const char *usage, const struct cli_option *opts)
{
	if (ctx->on_options)
		ctx->on_options(ctx->options_payload, usage, opts);
	else
		cli_usage(stdout, ctx->command, usage, opts);
	return CLI_HELP_SHOWN;
}

static const struct cli_option *find_long(const struct cli_option *opts, const char *name,
					  size_t len)
{
	const struct cli_option *o;
	for (o = opts; o && o->long_name; o++) {
		if (!is_positional(o) && strlen(o->long_name) == len &&
		    !strncmp(o->long_name, name, len))
			return o;
	}
	return NULL;
}

static const struct cli_option *find_short(const struct cli_option *opts, char c)
{
	const struct cli_option *o;
	for (o = opts; o && o->long_name; o++) {
		if (!is_positional(o) && o->short_name == c)
			return o;
	}
	return NULL;
}

static int set_option(const char *command, const struct cli_option *o, const char *value)
{
	char *end;
	long n;

	switch (o->kind) {
	case CLI_OPT_FLAG:
		*(bool *)o->target = true;
		return 0;
	case CLI_OPT_STRING:
		*(const char **)o->target = value;
		return 0;
	case CLI_OPT_LIST:
		return cli_list_push(o->target, value);
	case CLI_ARG_ONE: case CLI_ARG_OPTIONAL: case CLI_ARG_SOME: case CLI_ARG_ANY:
	case CLI_ARG_NONE:
		return 0;   /* never found as an option */
	case CLI_OPT_INT:
		errno = 0;
		n = strtol(value, &end, 10);
		if (errno || *end || end == value || n < 0) {
			cli_error(command, "option '--%s' wants a whole number, not '%s'",
				  o->long_name, value);
			return CRM_EUSAGE;
		}
		*(long *)o->target = n;
		return 0;
	}
	return 0;
}

/* Whether `arg` is a number option written short with its value attached
 * ("-n5" for --limit 5): its letter names a whole-number option and digits
 * follow.  Any other "-word" stays a negated filter term. */
static bool short_number(const struct cli_option *opts, const char *arg)
{
	const struct cli_option *o = arg[0] == '-' && arg[1] ? find_short(opts, arg[1]) : NULL;
	size_t i;

	if (!o || o->kind != CLI_OPT_INT || !arg[2])
		return false;
	for (i = 2; arg[i]; i++) {
		if (arg[i] < '0' || arg[i] > '9')
			return false;
	}
	return true;
}

/* Handles argv[*i], which starts with '-'; may consume the next word. */
static int parse_one(struct cli_ctx *ctx, const char *usage, const struct cli_option *opts,
		     int argc, char **argv, int *i)
{
	const char *command = ctx->command;
	const char *arg = argv[*i], *eq = NULL, *value = NULL;
	const struct cli_option *o;

	if (arg[1] == '-') {
		eq = strchr(arg + 2, '=');
		o = find_long(opts, arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
		if (!o && !strcmp(arg, "--help"))
			return cli_help(ctx, usage, opts);
	} else if (short_number(opts, arg)) {
		return set_option(command, find_short(opts, arg[1]), arg + 2);
	} else {
		o = arg[2] ? NULL : find_short(opts, arg[1]);
		if (!o && !strcmp(arg, "-h"))
			return cli_help(ctx, usage, opts);
	}
	if (!o) {
		cli_error(command, "unknown option '%s'", arg);
		cli_usage(stderr, command, usage, opts);
		return CRM_EUSAGE;
	}
	if (o->kind == CLI_OPT_FLAG) {
		if (eq) {
			cli_error(command, "option '--%s' takes no value", o->long_name);
			return CRM_EUSAGE;
		}
		return set_option(command, o, NULL);
	}
	if (eq) {
		value = eq + 1;
	} else if (*i + 1 < argc) {
		value = argv[++*i];
	} else {
		cli_error(command, "option '%s' needs a value", arg);
		return CRM_EUSAGE;
	}
	return set_option(command, o, value);
}

/* Whether `n` positional arguments fit the table's CLI_ARG entries; says
 * what is missing or unexpected when not. */
static bool count_fits(const char *command, const struct cli_option *opts, int n,
		       char **argv)
{
	const struct cli_option *o, *first_missing = NULL;
	bool declared = false, unbounded = false;
	int min = 0, max = 0;

	for (o = opts; o && o->long_name; o++) {
		if (!is_positional(o))
			continue;
		declared = true;
		if ((o->kind == CLI_ARG_ONE || o->kind == CLI_ARG_SOME) && !first_missing &&
		    n <= min)
			first_missing = o;
		min += o->kind == CLI_ARG_ONE || o->kind == CLI_ARG_SOME;
		max += o->kind != CLI_ARG_NONE;
		unbounded |= o->kind == CLI_ARG_SOME || o->kind == CLI_ARG_ANY;
	}
	if (!declared)
		return true;   /* the command counts them itself */
	if (first_missing) {
		cli_error(command, "missing %s", first_missing->long_name);
		return false;
	}
	if (!unbounded && n > max) {
		cli_error(command, "unexpected argument '%s'", argv[max]);
		return false;
	}
	return true;
}

int cli_parse(struct cli_ctx *ctx, const char *usage, const struct cli_option *opts,
	      int argc, char **argv, int *argc_out)
{
	int i, n = 0, err;
	bool options_done = false;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (!options_done && !strcmp(arg, "--")) {
			options_done = true;
			continue;
		}
		/* "-tag:seo" is a negated filter term, not an option: options
		 * are letters only, or a number option's letter and digits */
		if (!options_done && arg[0] == '-' && arg[1] &&
		    (arg[1] == '-' || (!arg[2] && arg[1] != ':') || short_number(opts, arg))) {
			err = parse_one(ctx, usage, opts, argc, argv, &i);
			if (err == CLI_HELP_SHOWN)
				return CLI_HELP_SHOWN;
			if (err)
				return EXIT_USAGE;
			continue;
		}
		argv[n++] = argv[i];
	}
	*argc_out = n;
	return cli_check_args(ctx, usage, opts, n, argv);
}

int cli_check_args(struct cli_ctx *ctx, const char *usage, const struct cli_option *opts,
		   int argc, char **argv)
{
	if (count_fits(ctx->command, opts, argc, argv))
		return 0;
	cli_usage(stderr, ctx->command, usage, opts);
	return EXIT_USAGE;
}

int cli_parse_ref(struct crm_record **out, struct cli_ctx *ctx, const char *usage,
		  const struct cli_option *opts, int argc, char **argv, int *argc_out)
{
	int rc = cli_parse(ctx, usage, opts, argc, argv, argc_out);

	*out = NULL;
	return rc ? rc : cli_record_arg(out, ctx, argv[0]);
}

int cli_record_arg(struct crm_record **out, struct cli_ctx *ctx, const char *ref)
{
	bool bad_type = false;

	*out = cli_find_record(ctx, ref, &bad_type);
	if (!*out)
		return bad_type ? EXIT_USAGE : EXIT_PROBLEMS;
	return 0;
}

size_t cli_table_width(struct crm_table *t, bool wide)
{
	size_t width = wide ? 0 : crm_term_width(STDOUT_FILENO);

	t->cell_cap = wide || width ? 0 : CRM_TABLE_CELL_CAP;
	return width;
}

int cli_status(int err)
{
	return err == CRM_EUSAGE || err == CRM_EINVALID ? EXIT_USAGE : EXIT_PROBLEMS;
}

int cli_typed_date(char *buf, size_t size, struct cli_ctx *ctx, const char *opt,
		   const char *text)
{
	crm_date today = ctx->idx ? crm_index_today(ctx->idx) : crm_today(ctx->repo.config.timezone);
	crm_date d;

	if (size < 11)
		return crm_error_set(CRM_EUSAGE, "--%s: buffer too small", opt);
	if (crm_date_parse_relative(&d, text, strlen(text), today, NULL))
		return crm_error_set(CRM_EUSAGE, "--%s: %s", opt, crm_error_last());
	crm_date_format(buf, size, d);
	return 0;
}

const struct crm_schema *cli_find_type(struct cli_ctx *ctx, const char *arg)
{
	const struct crm_schema *s = crm_repo_schema(&ctx->repo, arg);
	const struct crm_schema *match = NULL;
	size_t i, n = strlen(arg);

	if (!s)
		s = crm_repo_schema_by_folder(&ctx->repo, arg);
	if (s)
		return s;
	for (i = 0; i < ctx->repo.schemas.len; i++) {
		const struct crm_schema *c = &ctx->repo.schemas.ptr[i];
		if (n && !strncmp(c->type, arg, n)) {
			if (match) {
				cli_error(ctx->command, "type '%s' is ambiguous ('%s', '%s')", arg,
					  match->type, c->type);
				return NULL;
			}
			match = c;
		}
	}
	if (!match) {
		cli_error(ctx->command, "unknown record type '%s'; the types are:", arg);
		for (i = 0; i < ctx->repo.schemas.len; i++)
			fprintf(stderr, "  %s\n", ctx->repo.schemas.ptr[i].type);
	}
	return match;
}

int cli_pick_format(enum cli_format *out, const char *name, bool json, bool csv)
{
	*out = CLI_FORMAT_TABLE;
	if (json)
		*out = CLI_FORMAT_JSON;
	else if (csv)
		*out = CLI_FORMAT_CSV;
	else if (!name || !strcmp(name, "table"))
		*out = CLI_FORMAT_TABLE;
	else if (!strcmp(name, "json"))
		*out = CLI_FORMAT_JSON;
	else if (!strcmp(name, "csv"))
		*out = CLI_FORMAT_CSV;
	else if (!strcmp(name, "yaml"))
		*out = CLI_FORMAT_YAML;
	else
		return crm_error_set(CRM_EUSAGE, "unknown format '%s' (table, json, csv or yaml)",
				     name);
	return 0;
}

int cli_write(const struct crm_buf *buf)
{
	if (crm_buf_check(buf))
		return crm_buf_check(buf);
	if (buf->len && fwrite(buf->ptr, 1, buf->len, stdout) != buf->len)
		return crm_error_errno(CRM_EIO, "cannot write output");
	return 0;
}

int cli_write_file(const char *path, const struct crm_buf *buf)
{
	int err = crm_buf_check(buf);
	return err ? err : crm_write_file_atomic(path, buf->ptr, buf->len);
}

int cli_write_repo_file(struct cli_ctx *ctx, const char *path, const struct crm_buf *buf)
{
	struct crm_buf full = CRM_BUF_INIT;
	char cwd[4096];
	size_t root_len;
	int err = crm_buf_check(buf);

	if (err)
		return err;
	if (path[0] != '/' && getcwd(cwd, sizeof(cwd)))
		crm_buf_addf(&full, "%s/%s", cwd, path);
	else
		crm_buf_adds(&full, path);
	root_len = ctx->has_repo ? strlen(ctx->repo.root) : 0;
	/* the root is a realpath, as getcwd's answer is */
	if (root_len && !strncmp(full.ptr, ctx->repo.root, root_len) && full.ptr[root_len] == '/')
		err = crm_write_file_beneath(ctx->repo.root, full.ptr + root_len + 1, buf->ptr,
					     buf->len, true);
	else
		err = crm_write_file_atomic(path, buf->ptr, buf->len);
	crm_buf_release(&full);
	return err;
}

/* Prints the findings of `d` on stderr: all of them when `all`, else its
 * warnings only (the errors a change leaves alone are not news). */
static void print_findings(struct cli_ctx *ctx, struct crm_diags *d, bool all)
{
	struct crm_diag_print_opts popts;
	size_t i, keep = 0;

	for (i = 0; i < d->list.len; i++) {
		if (all || d->list.ptr[i].severity == CRM_SEV_WARNING)
			d->list.ptr[keep++] = d->list.ptr[i];
	}
	d->list.len = keep;
	memset(&popts, 0, sizeof(popts));
	popts.root = ctx->repo.root;
	fflush(stdout);
	crm_diags_print(stderr, d, &popts);
}

int cli_check_verdict(struct cli_ctx *ctx, const struct crm_record *rec,
		      struct crm_diags *d, size_t fresh)
{
	int err = 0;

	/* a change that brings no new error is written, its warnings (and
	 * the errors it leaves as they were) said once */
	print_findings(ctx, d, fresh > 0);
	if (fresh && ctx->force)
		fprintf(stderr, "crm %s: --force: writing %s/%s with %zu new error%s that crm "
			"check will report\n", ctx->command, rec->schema->type, rec->id, fresh,
			fresh == 1 ? "" : "s");
	else if (fresh)
		err = crm_error_set(CRM_ERROR, "the change would bring %zu new error%s to %s/%s "
				    "(above); nothing was written (--force writes it anyway)",
				    fresh, fresh == 1 ? "" : "s", rec->schema->type, rec->id);
	return err;
}

int cli_check_write(struct cli_ctx *ctx, const struct crm_record *rec,
		    const struct crm_buf *text)
{
	struct crm_diags d;
	size_t fresh;
	int err = crm_buf_check(text);

	if (err)
		return err;
	crm_diags_init(&d);
	fresh = crm_check_change(ctx->idx, rec, text->ptr, text->len, &d);
	err = cli_check_verdict(ctx, rec, &d, fresh);
	crm_diags_release(&d);
	return err;
}

int cli_refuse_stage(const struct crm_record *rec, const char *field, const char *value)
{
	const struct crm_field *f = crm_schema_field(rec->schema, field);

	if (!f || f->type != CRM_F_STAGE)
		return 0;
	return crm_error_set(CRM_EUSAGE, "'%s' changes through crm move, which records it in "
			     "the history: crm move %s %s", field, rec->id,
			     value && *value ? value : "STAGE");
}

int cli_write_record(struct crm_txn *txn, const char *path, const struct crm_buf *text)
{
	int err = crm_buf_check(text);
	return err ? err : crm_store_write_record(txn, path, text->ptr, text->len);
}

int cli_index_complete(struct cli_ctx *ctx)
{
	struct crm_index_options opts = CRM_INDEX_OPTIONS_INIT;
	struct crm_index *full;

	if (!ctx->idx || !crm_index_trusting(ctx->idx))
		return 0;
	opts.no_cache = ctx->no_cache;
	if (crm_index_load(&full, &ctx->repo, &opts)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return -1;
	}
	crm_index_free(ctx->idx);
	ctx->idx = full;
	return 1;
}

/* "opportunity/acme-web": the type before the slash, however long. */
static struct crm_record *find_typed(struct cli_ctx *ctx, const char *ref, const char *slash,
				     bool *bad_type)
{
	struct crm_buf type = CRM_BUF_INIT;
	struct crm_record *found = NULL;
	const struct crm_schema *s;
	const char *hint;

	crm_buf_add(&type, ref, (size_t)(slash - ref));
	if (crm_buf_check(&type))
		cli_error(ctx->command, "%s", crm_error_last());
	s = crm_buf_check(&type) ? NULL : cli_find_type(ctx, type.ptr);
	crm_buf_release(&type);
	if (bad_type)
		*bad_type = !s;
	if (!s)
		return NULL;
	found = crm_index_find(ctx->idx, s->type, slash + 1);
	if (!found && cli_index_complete(ctx) > 0)
		found = crm_index_find(ctx->idx, s->type, slash + 1);
	if (found)
		return found;
	hint = crm_index_suggest(ctx->idx, s->type, slash + 1);
	if (hint)
		cli_error(ctx->command, "no %s '%s' (did you mean '%s/%s'?)", s->type, slash + 1,
			  s->type, hint);
	else
		cli_error(ctx->command, "no %s '%s'", s->type, slash + 1);
	return NULL;
}

/* Refuses a bare id that records of several types have (ids are unique
 * within a type only, SPEC section 1): every typed reference is listed,
 * one a line, for the user to pick from. */
static void refuse_ambiguous(struct cli_ctx *ctx, const char *id)
{
	size_t i;

	cli_error(ctx->command, "'%s' is the id of records of several types; name one:", id);
	for (i = 0; i < ctx->repo.schemas.len; i++) {
		const char *type = ctx->repo.schemas.ptr[i].type;
		if (crm_index_find(ctx->idx, type, id))
			fprintf(stderr, "  %s/%s\n", type, id);
	}
}

/* "opportunity/acme-web", or a bare id when exactly one type has it. */
struct crm_record *cli_find_record(struct cli_ctx *ctx, const char *ref, bool *bad_type)
{
	struct crm_record *found = NULL, *r;
	const char *slash = strchr(ref, '/');
	size_t i;

	if (slash)
		return find_typed(ctx, ref, slash, bad_type);
	/* a bare id may also be a record of another type added since the
	 * cache was written: only the full index can say it is unique */
	if (cli_index_complete(ctx) < 0)
		return NULL;
	for (i = 0; i < ctx->repo.schemas.len; i++) {
		r = crm_index_find(ctx->idx, ctx->repo.schemas.ptr[i].type, ref);
		if (r && found) {
			refuse_ambiguous(ctx, ref);
			return NULL;
		}
		found = r ? r : found;
	}
	if (!found)
		cli_error(ctx->command, "no record '%s'", ref);
	return found;
}

int cli_edit_open(struct cli_edit *e, struct cli_ctx *ctx, const char *path)
{
	memset(e, 0, sizeof(*e));
	crm_buf_init(&e->text);
	crm_arena_init(&e->arena);
	e->path = path;
	return crm_store_read(&e->text, &e->root, &e->arena, &ctx->repo, path);
}

int cli_edit_replace(struct cli_edit *e, struct crm_buf *next)
{
	struct crm_diags diags;
	int err = crm_buf_check(next);

	if (err)
		return err;
	crm_buf_release(&e->text);
	e->text = *next;
	crm_buf_init(next);
	crm_arena_release(&e->arena);
	crm_diags_init(&diags);
	err = crm_yaml_parse(&e->root, &e->arena, e->text.ptr, e->text.len, e->path, &diags);
	if (err)
		err = crm_error_set(CRM_EINVALID, "the change would break '%s'; nothing was written",
				    e->path);
	crm_diags_release(&diags);
	return err;
}

int cli_edit_set(struct cli_edit *e, const char *key, const char *value)
{
	struct crm_buf next = CRM_BUF_INIT;
	int err = crm_edit_set(&next, e->text.ptr, e->text.len, e->root, key, value);

	if (!err)
		err = cli_edit_replace(e, &next);
	crm_buf_release(&next);
	return err;
}

int cli_edit_add_history(struct cli_edit *e, const char *date, const char *stage,
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

void cli_edit_release(struct cli_edit *e)
{
	crm_buf_release(&e->text);
	crm_arena_release(&e->arena);
}

int cli_edit_commit(struct cli_ctx *ctx, struct cli_edit *e, const char *message, int err)
{
	struct crm_txn txn;
	int rc;

	/* checked before the transaction: a refusal touches nothing */
	if (!err && e->rec)
		err = cli_check_write(ctx, e->rec, &e->text);
	/* the merge guard's refusal (a half-merged repository) says more
	 * than the change's own error */
	if (cli_merge_guard_end(ctx)) {
		cli_edit_release(e);
		return EXIT_PROBLEMS;
	}
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		cli_edit_release(e);
		return cli_status(err);
	}
	err = crm_txn_begin(&txn, &ctx->repo);
	if (!err)
		err = cli_write_record(&txn, e->path, &e->text);
	rc = cli_txn_finish(ctx, &txn, message, err);
	cli_edit_release(e);
	return rc;
}

int cli_txn_finish(struct cli_ctx *ctx, struct crm_txn *txn, const char *message, int err)
{
	struct crm_buf shown = CRM_BUF_INIT;   /* messages quote values: no raw controls */
	char id[41];

	/* nothing is on disk yet: a refusal of the merge guard, which a
	 * change of one record waits for only here, still touches nothing */
	if (cli_merge_guard_end(ctx)) {
		crm_txn_release(txn);
		return EXIT_PROBLEMS;
	}
	crm_utf8_escape_controls(&shown, message);
	if (!err)
		err = crm_txn_commit(txn, shown.ptr, id);
	crm_txn_release(txn);
	if (err) {
		crm_buf_release(&shown);
		cli_error(ctx->command, "%s", crm_error_last());
		return cli_status(err);
	}
	printf("[%.8s] %s\n", id, shown.ptr);
	crm_buf_release(&shown);
	return EXIT_OK;
}

static void print_subcommands(FILE *out, struct cli_ctx *ctx, const char *usage,
			      const struct cli_command *subs, size_t nsubs)
{
	size_t i;
	fprintf(out, "usage: crm %s %s\n\nsubcommands:\n", ctx->command, usage);
	for (i = 0; i < nsubs; i++)
		fprintf(out, "   %-10s %s\n", subs[i].name, subs[i].summary);
	fprintf(out, "\n'crm %s SUBCOMMAND --help' describes its options.\n", ctx->command);
}

/* For crm __options and crm __complete: the option table of every
 * subcommand, in turn (the command's man page lists them all). */
static int every_subcommand_help(struct cli_ctx *ctx, const struct cli_command *subs,
				 size_t nsubs)
{
	char *help_argv[3];
	size_t i;

	for (i = 0; i < nsubs; i++) {
		help_argv[0] = (char *)subs[i].name;
		help_argv[1] = "--help";
		help_argv[2] = NULL;
		subs[i].fn(ctx, 2, help_argv);
	}
	return CLI_HELP_SHOWN;
}

int cli_run_subcommand(struct cli_ctx *ctx, const char *usage, const struct cli_command *subs,
		       size_t nsubs, int argc, char **argv)
{
	size_t i;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		if (ctx->on_options)
			return every_subcommand_help(ctx, subs, nsubs);
		print_subcommands(stdout, ctx, usage, subs, nsubs);
		return CLI_HELP_SHOWN;
	}
	if (argc < 2) {
		cli_error(ctx->command, "missing SUBCOMMAND");
		print_subcommands(stderr, ctx, usage, subs, nsubs);
		return EXIT_USAGE;
	}
	for (i = 0; i < nsubs; i++) {
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(ctx, argc - 1, argv + 1);
	}
	cli_error(ctx->command, "'%s' is not a subcommand of crm %s; see 'crm %s --help'",
		  argv[1], ctx->command, ctx->command);
	return EXIT_USAGE;
}

struct stage_notice {
	struct cli_ctx *ctx;
	const struct crm_automation *a;
	const char *origin;
};

static int notify_one(const struct crm_stage_change *c, void *payload)
{
	const struct stage_notice *n = payload;
	struct crm_stage_change told = *c;

	told.origin = n->origin;
	if (crm_notify_stage_change(n->a, &told))
		fprintf(stderr, "crm %s: warning: %s\n", n->ctx->command, crm_error_last());
	return 0;
}

void cli_notify_stage_changes(struct cli_ctx *ctx, struct crm_git *git, const char *prefix,
			      const char *before, const char *origin)
{
	struct crm_automation a;
	struct stage_notice n = { ctx, &a, origin };
	char after[41];

	if (!before[0] || crm_git_head(git, after, NULL) || !strcmp(before, after))
		goto done;
	if (crm_automation_load(&a, &ctx->repo.config) ||
	    (a.notify_argv && crm_stage_changes_between(git, &ctx->repo, prefix, before, after,
						       notify_one, &n)))
		fprintf(stderr, "crm %s: warning: stage hooks not run: %s\n", ctx->command,
			crm_error_last());
	crm_automation_release(&a);
done:
	crm_error_clear();
}
