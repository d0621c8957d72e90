/* What the commands of src/cli share: the command table's types, the option
 * tables that also print --help, and the context the wrapper in main.c
 * prepares (repository, index, colour). */
#ifndef CRM_CLI_H
#define CRM_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Only what the declarations below need: each command includes the
 * headers it uses itself, so touching one header rebuilds its users only. */
#include "crm/arena.h"
#include "crm/array.h"
#include "crm/buf.h"
#include "crm/repo.h"

struct crm_index;
struct crm_node;
struct crm_record;
struct crm_txn;
struct cli_option;

/* Exit statuses (SPEC section 7; the table is in README.md "Exit status"
 * and crm(1) EXIT STATUS). */
enum { EXIT_OK = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

enum cli_flags {
	CLI_NEEDS_REPO = 1 << 0,    /* discover and open the data repository */
	CLI_NEEDS_INDEX = 1 << 1,   /* and load every record */
	CLI_BY_ID = 1 << 2,         /* changes one record named by type/id: the
				       index may list the files from the cache
				       without a walk (see cli_index_complete) */
	CLI_WRITES = 1 << 3,        /* takes the repository's lock before the
				       index is loaded, so that every read the
				       change depends on is under it */
	/* While git holds files unmerged a command is refused (its figures
	 * or writes would build on one side of a merge), unless: */
	CLI_UNMERGED_WARN = 1 << 4, /* it runs after a warning (show, log, diff:
				       how one looks at the problem) */
	CLI_UNMERGED_SELF = 1 << 5, /* it deals with them itself (check reports
				       them, resolve settles them) */
	CLI_PAGES = 1 << 6,         /* long output: through the pager when
				       stdout is a terminal (see main.c) */
	CLI_HIDDEN = 1 << 7,        /* for scripts (__complete, __options):
				       not listed by crm help */
	CLI_GUARD_AWAITED = 1 << 8  /* loads its index itself, beside the
				       merge guard, and waits for the guard
				       (cli_merge_guard_end) before it writes
				       anything: the reports */
};

struct cli_ctx {
	const char *command;
	struct crm_repo repo;
	bool has_repo;
	struct crm_index *idx;
	bool color;                 /* stdout is a terminal and NO_COLOR unset */
	bool no_cache;
	bool force;                 /* --force: write a change that brings new
				       errors (cli_check_write lets it through) */
	/* Set by the hidden crm __options and crm __complete: --help hands
	 * each option table it would print here instead (a command with
	 * subcommands hands every subcommand's), so that the man pages'
	 * test and the completion read the tables the parser uses. */
	void (*on_options)(void *payload, const char *usage, const struct cli_option *opts);
	void *options_payload;
	struct cli_guard *guard;    /* the merge guard while it runs beside the
				       index load (cli_merge_guard_begin) */
	int guard_rc;               /* and what it returned, once ended */
};

struct cli_command {
	const char *name;
	int (*fn)(struct cli_ctx *ctx, int argc, char **argv);
	int flags;
	const char *summary;
};

enum cli_opt_kind {
	CLI_OPT_FLAG,       /* bool *target */
	CLI_OPT_STRING,     /* const char **target; last one wins */
	CLI_OPT_LIST,       /* struct cli_list *target; every one kept */
	CLI_OPT_INT,        /* long *target */
	/* Positional arguments, declared in order with CLI_ARG (the name is
	 * the long_name, never matched as an option): cli_parse counts them
	 * and refuses too few or too many with the usage. */
	CLI_ARG_ONE,        /* exactly one */
	CLI_ARG_OPTIONAL,   /* zero or one */
	CLI_ARG_SOME,       /* one or more */
	CLI_ARG_ANY,        /* zero or more */
	CLI_ARG_NONE        /* the command takes none (a table without any
			       CLI_ARG leaves positionals to the command) */
};

struct cli_list {
	const char **items;
	size_t len, cap;
};

struct cli_option {
	const char *long_name;
	char short_name;
	enum cli_opt_kind kind;
	void *target;
	const char *arg_name;
	const char *help;
};

/* --force of the commands that change records (see cli_check_write). */
#define CLI_FORCE_OPTION(ctx) { "force", 0, CLI_OPT_FLAG, &(ctx)->force, NULL, \
	"write even a change that crm check would report new errors in" }

/* --where FILTER [--type TYPE] of the commands that change many records
 * at once (crm set, tag, move; see cli_bulk_where). */
#define CLI_WHERE_OPTIONS(where, type) \
	{ "where", 0, CLI_OPT_STRING, (where), "FILTER", \
	  "every record this filter selects (crm ls filters), one commit" }, \
	{ "type", 0, CLI_OPT_STRING, (type), "TYPE", "only records of this type" }

#define CLI_ARG(kind, name) { name, 0, kind, NULL, NULL, NULL }
#define CLI_OPT_END { NULL, 0, 0, NULL, NULL, NULL }

/* What cli_parse returns after printing --help: not an exit status, so a
 * command simply returns it; run_command() turns it into EXIT_OK. */
#define CLI_HELP_SHOWN 100

/* Parses the options of ctx->command from argv[1..argc); positional
 * arguments are moved to argv[0..*argc_out) and counted against the
 * table's CLI_ARG entries.  0 when the command goes on; otherwise what the
 * command returns: CLI_HELP_SHOWN after --help (usage and table printed on
 * stdout), EXIT_USAGE after a bad option or argument count (message and
 * usage printed on stderr). */
int cli_parse(struct cli_ctx *ctx, const char *usage, const struct cli_option *opts,
	      int argc, char **argv, int *argc_out);
/* Counts the positional arguments argv[0..argc) against the table's CLI_ARG
 * entries: 0, or EXIT_USAGE with the message and usage printed (for a
 * command whose arguments may look like options, which parses none). */
int cli_check_args(struct cli_ctx *ctx, const char *usage, const struct cli_option *opts,
		   int argc, char **argv);
/* cli_parse, then the record argv[0] names ("type/id" or a bare id, see
 * cli_find_record), which the table declares first.  0 with *out set, or
 * what the command returns: cli_parse's, EXIT_USAGE for an unknown type,
 * EXIT_PROBLEMS for a missing record (each message printed). */
int cli_parse_ref(struct crm_record **out, struct cli_ctx *ctx, const char *usage,
		  const struct cli_option *opts, int argc, char **argv, int *argc_out);
/* The record `ref` names (see cli_find_record): 0 with *out set, or the
 * command's exit status, EXIT_USAGE for an unknown type and EXIT_PROBLEMS
 * for a missing record (message printed). */
int cli_record_arg(struct crm_record **out, struct cli_ctx *ctx, const char *ref);
/* The exit status for a failure `err` (a negative CRM_E* code): EXIT_USAGE
 * when the command line asked for something malformed (CRM_EUSAGE,
 * CRM_EINVALID), EXIT_PROBLEMS for every other refusal or failure. */
int cli_status(int err);
struct crm_table;
/* The width a terminal table of ls or show prints in: the terminal's
 * (crm_term_width), or with none known each column capped at
 * CRM_TABLE_CELL_CAP; `wide` (--wide) prints every cell whole. */
size_t cli_table_width(struct crm_table *t, bool wide);
/* The ISO day ("YYYY-MM-DD" into buf, 11 bytes at least) of a date option
 * typed as people type it ("today", "+2w", "fri", "eom": see
 * crm_date_parse_relative), from the index's today (the clock's before the
 * index is loaded); CRM_EUSAGE with "--OPT: why" otherwise. */
int cli_typed_date(char *buf, size_t size, struct cli_ctx *ctx, const char *opt,
		   const char *text);
void cli_usage(FILE *out, const char *command, const char *usage,
	       const struct cli_option *opts);
/* What --help does: the usage and table on stdout, or the table handed to
 * ctx->on_options when one is set.  Returns CLI_HELP_SHOWN. */
int cli_help(struct cli_ctx *ctx, const char *usage, const struct cli_option *opts);
void cli_list_release(struct cli_list *l);
/* Appends `item` (not copied); grows with crm_array_grow, so there is no
 * limit but memory.  CRM_ENOMEM or CRM_EOVERFLOW with the message set. */
int cli_list_push(struct cli_list *l, const char *item);

/* What the wrapper in main.c does for a command flagged CLI_NEEDS_REPO
 * (and CLI_NEEDS_INDEX, CLI_WRITES): the data repository discovered and
 * opened, the lock taken, an interrupted write finished, the index
 * loaded; for a command that decides how to open it itself (crm check).
 * EXIT_OK, or the exit status with the message printed. */
int cli_open_repository(struct cli_ctx *ctx, const struct cli_command *c);
/* Its step that takes the repository's lock (when `lock`) and finishes
 * the write a killed crm left in the journal, telling on stderr; for a
 * command that lets the lock go while it waits on the user and takes it
 * again (crm merge).  0, or an error with the message printed. */
int cli_lock_and_recover(struct cli_ctx *ctx, const char *name, bool lock);

/* The command table of main.c, hidden commands included: *n_out receives
 * the count.  cli_find_command gives the one named `name`, or NULL. */
const struct cli_command *cli_commands(size_t *n_out);
const struct cli_command *cli_find_command(const char *name);
/* Runs command `c` with --help, its option tables handed to `fn` (see
 * cli_ctx.on_options) instead of printed. */
void cli_command_options(const struct cli_command *c,
			 void (*fn)(void *payload, const char *usage,
				    const struct cli_option *opts),
			 void *payload);

/* A command made of subcommands (crm invoice, crm task): --help lists
 * them (or, for crm __options, hands every subcommand's option table),
 * else argv[1] names the one to run with argv[1..].  What the subcommand
 * returns, or EXIT_USAGE with the message printed. */
int cli_run_subcommand(struct cli_ctx *ctx, const char *usage, const struct cli_command *subs,
		       size_t nsubs, int argc, char **argv);

/* Prints "crm COMMAND: message" on stderr (COMMAND is ctx->command). */
void cli_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The schema for a type argument: "opportunity", its folder
 * "opportunities", or a unique prefix. */
const struct crm_schema *cli_find_type(struct cli_ctx *ctx, const char *arg);

/* The record named by "type/id", or a bare id when exactly one type has
 * it; prints why not (with a did-you-mean) and returns NULL otherwise.
 * *bad_type tells a usage error (an unknown type) from a missing record. */
struct crm_record *cli_find_record(struct cli_ctx *ctx, const char *ref, bool *bad_type);
/* An index listed from the cache (CLI_BY_ID) does not know records added
 * since the cache was written: before a lookup's miss becomes an error,
 * this loads the index in full.  1 when it did (every record pointer held
 * before is gone), 0 when the index was complete already, -1 on failure
 * (printed; the old index stays). */
int cli_index_complete(struct cli_ctx *ctx);

/* Output formats of listing commands. */
enum cli_format { CLI_FORMAT_TABLE, CLI_FORMAT_JSON, CLI_FORMAT_CSV, CLI_FORMAT_YAML };
/* From --format NAME and the --json/--csv shortcuts; CRM_EUSAGE if unknown. */
int cli_pick_format(enum cli_format *out, const char *name, bool json, bool csv);

/* What git's merges left (cli_merge_state.c).  Run by main.c before a
 * command on a data repository: warns when .gitattributes names crm's
 * merge driver and this clone has not registered it (once per clone) or
 * its command cannot run (every time); then, unless `flags` (the command's)
 * say otherwise, refuses with EXIT_PROBLEMS while git's index holds files
 * of the data repository unmerged, naming each with 'crm resolve FILE'.
 * EXIT_OK to go on. */
int cli_merge_guard(struct cli_ctx *ctx, int flags);
/* cli_merge_guard on a thread of its own, so that the index loads beside
 * it: the guard starts libgit2, which parses every CA certificate of the
 * system first (5 ms, a tenth of a warm dashboard), and the load reads
 * folders.  The thread only reads ctx->repo, which stays as it is until
 * cli_merge_guard_end has waited for it; that returns what the guard did
 * (EXIT_OK when none ran), as often as asked.  Without a thread the guard
 * runs here, and its refusal is returned at once. */
int cli_merge_guard_begin(struct cli_ctx *ctx, int flags);
int cli_merge_guard_end(struct cli_ctx *ctx);
/* The refusal of cli_merge_guard on its own: EXIT_OK when nothing is
 * unmerged, else EXIT_PROBLEMS with every file named. */
int cli_refuse_unmerged(struct cli_ctx *ctx);

/* crm.ini's stage hook for every deal whose stage changed, or that is new,
 * between commit `before` and HEAD of `git` (below the data repository's
 * `prefix` in git), each announced with `origin` ("sync", "import"); a
 * hook that fails, or a history that cannot be read, is a warning. */
struct crm_git;
void cli_notify_stage_changes(struct cli_ctx *ctx, struct crm_git *git, const char *prefix,
			      const char *before, const char *origin);
/* The merge driver command crm init registers: a bare `crm merge-driver
 * %O %A %B %P` when `crm` on PATH is this very binary, else this binary's
 * absolute path (/proc/self/exe), shell-quoted when it needs it, so that
 * git runs it whatever PATH it is started with. */
int cli_driver_command(struct crm_buf *out);
/* Whether git could run a driver command: its program (the first word) is
 * an executable file, by path or on PATH.  A command in shell syntax that
 * is not followed (variables, double quotes) counts as runnable. */
bool cli_driver_runs(const char *command);
/* How git, a hook or a script calls this crm, quoted for sh: `crm` when
 * that name on PATH is this binary, else its absolute path (a build not
 * installed), which runs whatever PATH the caller has.  Appends to `out`. */
int cli_self_command(struct crm_buf *out);
/* Appends `s` as one sh word (single-quoted unless it needs no quotes). */
void cli_add_shell_quoted(struct crm_buf *out, const char *s);

/* The commands, one file each in src/cli/. */
int cmd_init(struct cli_ctx *ctx, int argc, char **argv);
int cmd_check(struct cli_ctx *ctx, int argc, char **argv);
int cmd_hooks(struct cli_ctx *ctx, int argc, char **argv);
int cmd_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_ls(struct cli_ctx *ctx, int argc, char **argv);
int cmd_set(struct cli_ctx *ctx, int argc, char **argv);
int cmd_unset(struct cli_ctx *ctx, int argc, char **argv);
int cmd_tag(struct cli_ctx *ctx, int argc, char **argv);
int cmd_move(struct cli_ctx *ctx, int argc, char **argv);
int cmd_add(struct cli_ctx *ctx, int argc, char **argv);
int cmd_rm(struct cli_ctx *ctx, int argc, char **argv);
int cmd_mv(struct cli_ctx *ctx, int argc, char **argv);
int cmd_edit(struct cli_ctx *ctx, int argc, char **argv);
int cmd_log(struct cli_ctx *ctx, int argc, char **argv);
int cmd_diff(struct cli_ctx *ctx, int argc, char **argv);
int cmd_sync(struct cli_ctx *ctx, int argc, char **argv);
int cmd_invoice(struct cli_ctx *ctx, int argc, char **argv);
/* crm note and crm activity add (cmd_note.c). */
int cmd_note(struct cli_ctx *ctx, int argc, char **argv);
int cmd_activity(struct cli_ctx *ctx, int argc, char **argv);
/* crm invoice render and crm invoice export (cmd_invoice_render.c); argv[0]
 * is the subcommand. */
int cmd_invoice_render(struct cli_ctx *ctx, int argc, char **argv);
int cmd_invoice_export(struct cli_ctx *ctx, int argc, char **argv);
int cmd_invoice_send(struct cli_ctx *ctx, int argc, char **argv);
int cmd_resolve(struct cli_ctx *ctx, int argc, char **argv);
int cmd_task(struct cli_ctx *ctx, int argc, char **argv);

/* The invoice with id `id`, or NULL with "no invoice" (and a did-you-mean)
 * printed. */
struct crm_record *invoice_find(struct cli_ctx *ctx, const char *id);
/* Subcommands of crm invoice in files of their own. */
int invoice_new(struct cli_ctx *ctx, const char *from, const char *client_ref);
int invoice_copy(struct cli_ctx *ctx, struct crm_record *inv, bool credit, const char *lines);
/* Issues draft `r`: the next number of `series_name`, status issued, `due`
 * (or the date + the series' due_days), one commit. */
int invoice_issue(struct cli_ctx *ctx, struct crm_record *r, const char *series_name,
		  const char *due);
int invoice_renumber(struct cli_ctx *ctx, struct crm_record *r, bool force);
int cmd_merge_driver(struct cli_ctx *ctx, int argc, char **argv);
int cmd_forecast(struct cli_ctx *ctx, int argc, char **argv);
int cmd_dashboard(struct cli_ctx *ctx, int argc, char **argv);
int cmd_alerts(struct cli_ctx *ctx, int argc, char **argv);
int cmd_agenda(struct cli_ctx *ctx, int argc, char **argv);
int cmd_remind(struct cli_ctx *ctx, int argc, char **argv);
int cmd_report(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export(struct cli_ctx *ctx, int argc, char **argv);
/* The hidden commands for scripts (cmd_complete.c): crm __options COMMAND
 * prints a command's option table, crm __complete WORDS... the words that
 * may follow (the shell completions call it). */
int cmd_options(struct cli_ctx *ctx, int argc, char **argv);
int cmd_complete(struct cli_ctx *ctx, int argc, char **argv);
int cmd_dedupe(struct cli_ctx *ctx, int argc, char **argv);
int cmd_merge(struct cli_ctx *ctx, int argc, char **argv);
int cmd_handover(struct cli_ctx *ctx, int argc, char **argv);

/* A record's file being changed by a command: its text and the tree of
 * that text, re-parsed after each edit since edits move byte offsets. */
struct cli_edit {
	struct crm_buf text;
	struct crm_node *root;
	struct crm_arena arena;
	const char *path;
	const struct crm_record *rec;   /* set by the caller: cli_edit_commit
					   then checks the text as this record
					   (cli_check_write) before writing */
};

int cli_edit_open(struct cli_edit *e, struct cli_ctx *ctx, const char *path);
/* Replaces the text with `next` (taken over) and re-parses it. */
int cli_edit_replace(struct cli_edit *e, struct crm_buf *next);
/* Sets field `key` to `value` in the edited text (crm_edit_set, then
 * cli_edit_replace, so the tree is parsed again). */
int cli_edit_set(struct cli_edit *e, const char *key, const char *value);
/* Appends {date, stage, by} to the record's `history` list (`by` quoted as
 * a flow context needs: "Smith, John"); the strings may point into the
 * edited tree. */
int cli_edit_add_history(struct cli_edit *e, const char *date, const char *stage,
			 const char *by);
void cli_edit_release(struct cli_edit *e);

/* Writes the edited record and commits it with `message` in one
 * transaction (or reports `err`, an edit that already failed); releases
 * the edit; returns an exit status. */
int cli_edit_commit(struct cli_ctx *ctx, struct cli_edit *e, const char *message, int err);

/* Many records changed in one commit (cli_bulk.c): crm set, tag and move
 * with --where, and crm handover. */
struct cli_bulk {
	CRM_ARRAY(struct crm_record *) recs;   /* selected, in the index's order */
};
struct crm_schema;
/* Appends the `s` records the filter `terms` (crm ls filters) selects.
 * CRM_EUSAGE with the message for a bad term. */
int cli_bulk_select(struct cli_bulk *b, struct cli_ctx *ctx, const struct crm_schema *s,
		    const char *const *terms, size_t n);
/* --where FILTER [--type TYPE]: the blank-separated terms of `where` over
 * the records of `type`, or without one of every type that `accepts` and
 * whose fields the filter names (a type it does not parse for is left
 * out).  Loads the whole index first.  Returns an exit status: EXIT_USAGE
 * (printed) when no type is left or a term is bad. */
int cli_bulk_where(struct cli_bulk *b, struct cli_ctx *ctx, const char *where, const char *type,
		   bool (*accepts)(const struct crm_schema *s, void *payload), void *payload);
/* Edits one selected record's text (e->text, through cli_edit_set ...);
 * leaving it unchanged skips the record.  0 or a negative error. */
typedef int (*cli_bulk_edit_fn)(struct cli_ctx *ctx, struct cli_edit *e, struct crm_record *rec,
				void *payload);
/* Edits every selected record with `edit` and holds each change to the
 * write check (cli_check_write); only when all pass, writes them and
 * commits once: "crm: WHAT on N records[ where WHERE]".  Any refusal
 * names its record and changes nothing.  *changed_out receives how many
 * records the commit changed (0 when none needed it: no commit).
 * Returns an exit status (messages printed). */
int cli_bulk_commit(struct cli_ctx *ctx, struct cli_bulk *b, cli_bulk_edit_fn edit,
		    void *payload, const char *what, const char *where, size_t *changed_out);
void cli_bulk_release(struct cli_bulk *b);
/* Whether the arguments ask for --where (before any "--"). */
bool cli_bulk_wanted(int argc, char **argv);

/* Commits the transaction with `message`, prints "[abcd1234] message" and
 * releases it; returns an exit status. */
int cli_txn_finish(struct cli_ctx *ctx, struct crm_txn *txn, const char *message, int err);

/* Opens `original` (written to the file `tmp`) in $VISUAL or $EDITOR until
 * it checks clean as record `rec`, reopening it with the errors as
 * comments on top (their line numbers those of the file shown); *result
 * receives the saved text.  CRM_ENOTFOUND when it was saved unchanged or
 * empty (abort), CRM_ERROR when a reopened text was saved as it was shown
 * (abort with its errors), CRM_EIO when the editor failed.  `tmp` is
 * removed in every case, also when crm is killed by a signal it can catch. */
int cli_edit_in_editor(struct cli_ctx *ctx, struct crm_record *rec, const char *tmp,
		       const struct crm_buf *original, struct crm_buf *result);

/* The file the editor opens for `what` ("client-acme"), inside the git
 * folder so that no command sees it as a record:
 * "<git dir>/crm-editing-<pid>-<what>.yaml", after removing those a crm
 * killed while its editor ran left behind; with `saved`, the
 * "<git dir>/crm-edit-<what>.yaml" that keeps an edit crm could not write. */
int cli_editor_file(struct crm_buf *out, struct cli_ctx *ctx, const char *what, bool saved);

/* The options every report takes (src/cli/report_cli.c). */
struct cli_report_opts {
	const char *owner, *tag, *stage, *client, *since, *until, *at;
	const char *html, *xlsx, *table;
	bool json, csv;
	bool all;                     /* every row of long lists in the terminal */
	long stalled_days;
};

#define CLI_REPORT_OPTIONS(o) \
	{ "owner", 0, CLI_OPT_STRING, &(o).owner, "USER", "only deals of this owner" }, \
	{ "tag", 0, CLI_OPT_STRING, &(o).tag, "TAG", "only deals with this tag" }, \
	{ "stage", 0, CLI_OPT_STRING, &(o).stage, "STAGE", "only deals in this stage" }, \
	{ "client", 0, CLI_OPT_STRING, &(o).client, "ID", "only deals and invoices of this client" }, \
	{ "since", 0, CLI_OPT_STRING, &(o).since, "DATE", "the period starts on DATE (YYYY-MM-DD)" }, \
	{ "until", 0, CLI_OPT_STRING, &(o).until, "DATE", "the period ends on DATE, inclusive" }, \
	{ "at", 0, CLI_OPT_STRING, &(o).at, "REV|DATE", \
	  "figures as the repository stood at a commit or at the end of a day" }, \
	{ "json", 0, CLI_OPT_FLAG, &(o).json, NULL, "one JSON document" }, \
	{ "csv", 0, CLI_OPT_FLAG, &(o).csv, NULL, "the tables as CSV" }, \
	{ "table", 0, CLI_OPT_STRING, &(o).table, "NAME", "with --csv: only this table" }, \
	{ "html", 0, CLI_OPT_STRING, &(o).html, "FILE", "write a self-contained HTML page" }, \
	{ "xlsx", 0, CLI_OPT_STRING, &(o).xlsx, "FILE", "write an xlsx workbook, a sheet a table" }, \
	{ "all", 0, CLI_OPT_FLAG, &(o).all, NULL, \
	  "in the terminal, every row of long lists (else the first 20)" }

struct crm_report;
struct crm_stats_options;

/* Loads ctx->idx from the work tree, or with `at` (a revision or a
 * YYYY-MM-DD) from that commit's tree without touching the work tree, and
 * names the commit in r.  The command must have CLI_NEEDS_REPO and
 * CLI_GUARD_AWAITED only, and asks cli_merge_guard_end next. */
int cli_report_load(struct cli_ctx *ctx, const char *at, struct crm_report *r);

/* Writes r as an HTML page to `html` and as a workbook to `xlsx` (each
 * when not NULL). */
int cli_report_write_files(const struct crm_report *r, const char *html, const char *xlsx);

/* "crm CMD: warning: N record files could not be read (crm check shows
 * why)" on stderr, unless `page` (the terminal page says it itself) or N
 * is 0.  The caller exits 1 when N is not 0. */
void cli_report_unreadable(const char *command, size_t unreadable, bool page);

/* Loads, parses the filters, calls `build` and writes the report as the
 * options ask; returns an exit status (messages printed). */
int cli_report_run(struct cli_ctx *ctx, const struct cli_report_opts *o,
		   const char *const *terms, size_t nterms,
		   int (*build)(struct crm_report *r, struct crm_index *idx,
				const struct crm_stats_options *opts, void *payload),
		   void *payload, struct crm_report *r);

/* Writes `buf` to stdout. */
int cli_write(const struct crm_buf *buf);
/* Writes `buf` as the output file `path` (-o FILE, --html FILE): through a
 * lock file beside it, flushed to disk and renamed over it, so a failure
 * leaves the old file or none, never half of one. */
int cli_write_file(const char *path, const struct crm_buf *buf);
/* Like cli_write_file for a file crm names itself (an editor's copy, the
 * default ID.pdf): when `path` lies inside the repository (as written,
 * from the current folder), its folder is opened beneath the repository's
 * root, so a symbolic link on the way is refused, never followed.  A path
 * the user gave (-o FILE) is theirs and goes through cli_write_file. */
int cli_write_repo_file(struct cli_ctx *ctx, const char *path, const struct crm_buf *buf);
/* The rule every write is held to: `text` as the new content of `rec` (a
 * record of the index, or a new one described by schema, id and path) is
 * checked as crm check would (crm_check_change).  Its findings are printed
 * on stderr; 0 when it brings no error the record did not already have,
 * or with --force (which says what it lets through); otherwise CRM_ERROR
 * with the message set, and nothing may be written. */
int cli_check_write(struct cli_ctx *ctx, const struct crm_record *rec,
		    const struct crm_buf *text);
/* cli_check_write after crm_check_change: prints the findings `d` (the
 * errors too when `fresh`, the count of new ones, is not 0) and decides as
 * cli_check_write does, for a command that adjusts the findings first. */
struct crm_diags;
int cli_check_verdict(struct cli_ctx *ctx, const struct crm_record *rec,
		      struct crm_diags *d, size_t fresh);
/* A record's stage changes through crm move alone, which also writes its
 * history and `closed`: CRM_EUSAGE, with a message naming the command,
 * when `field` is a stage field of `rec` (`value` the stage asked for, or
 * NULL for unset); 0 otherwise. */
int cli_refuse_stage(const struct crm_record *rec, const char *field, const char *value);
/* crm mv and crm merge (cli_refs.c): rewrites, in `txn`, every file that
 * refers to `target` (but `target`'s own and `skip`'s, which the caller
 * writes or removes) to refer to `new_id` instead, each file checked by
 * cli_check_renaming.  *files_out (when not NULL) receives how many files
 * it rewrote. */
int cli_rewrite_refs(struct cli_ctx *ctx, struct crm_txn *txn, struct crm_record *target,
		     const char *new_id, const struct crm_record *skip, size_t *files_out);
/* The rule of every write (cli_check_write) for `text`, the new content of
 * `rec` (or of `rec` at a new path), when `target` takes the id `new_id`:
 * a reference to `new_id` the index does not know yet is no new error. */
int cli_check_renaming(struct cli_ctx *ctx, const struct crm_record *rec,
		       const struct crm_buf *text, const struct crm_record *target,
		       const char *new_id);
/* Writes `text` as the record file `path` in `txn` (crm_store_write_record).
 * cli_write, cli_write_file and this refuse a buffer whose sticky error is
 * set (crm_buf_check): no output with a hole in it is written. */
int cli_write_record(struct crm_txn *txn, const char *path, const struct crm_buf *text);

#endif
