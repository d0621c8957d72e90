/* The crm command: global options (-C DIR, --no-cache, --color, --no-pager,
 * --version, --help), the table of commands, and the wrapper that opens the
 * repository for the commands that need one, starts the pager for long
 * output and checks that everything printed reached stdout. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crm.h"
#include "crm/child.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/pager.h"

static int cmd_help(struct cli_ctx *ctx, int argc, char **argv);

/* The global options, which apply to every command the same way (-C is
 * done when it is read, --no-cache through CRM_NO_CACHE). */
enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
static enum color_when global_color = COLOR_AUTO;
static bool global_no_pager;

static const struct cli_command commands[] = {
	{ "init", cmd_init, 0, "create a data repository (or register crm in a clone)" },
	{ "check", cmd_check, CLI_PAGES,   /* opens the work tree, the index or a commit itself */
	  "check every record like a compiler checks code" },
	{ "show", cmd_show, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_UNMERGED_WARN | CLI_PAGES,
	  "show one record with its computed fields and what refers to it" },
	{ "ls", cmd_ls, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_PAGES, "list records that match filters" },
	{ "set", cmd_set, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES | CLI_BY_ID,
	  "change fields of a record, one commit" },
	{ "unset", cmd_unset, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES | CLI_BY_ID,
	  "remove fields from a record" },
	{ "tag", cmd_tag, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES | CLI_BY_ID,
	  "add (+x) and remove (-x) tags" },
	{ "move", cmd_move, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "move a deal to a stage, recording its history" },
	{ "edit", cmd_edit, CLI_NEEDS_REPO | CLI_NEEDS_INDEX,
	  "edit a record in $EDITOR, checked before it is saved" },
	{ "add", cmd_add, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "add a record, one commit" },
	{ "rm", cmd_rm, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "delete a record nothing refers to" },
	{ "mv", cmd_mv, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "rename a record and rewrite every reference to it" },
	{ "log", cmd_log, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_UNMERGED_WARN | CLI_PAGES,
	  "a record's history from git, field by field" },
	{ "diff", cmd_diff, CLI_NEEDS_REPO | CLI_UNMERGED_WARN | CLI_PAGES,
	  "uncommitted changes as records and fields" },
	{ "task", cmd_task, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "add tasks about records, mark them done, list the open ones" },
	{ "note", cmd_note, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "a follow-up about a client, contact or deal: summary, needs, next step" },
	{ "activity", cmd_activity, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "activity add: the same as crm note" },
	{ "invoice", cmd_invoice, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "show totals, issue with the next number, record status and payments" },
	{ "forecast", cmd_forecast, CLI_NEEDS_REPO | CLI_GUARD_AWAITED | CLI_PAGES,
	  "expected revenue by month, and a backtest of each method" },
	{ "sync", cmd_sync, CLI_NEEDS_REPO,
	  "fetch, merge records field by field, push" },
	{ "resolve", cmd_resolve, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES | CLI_UNMERGED_SELF,
	  "merge a file git left unmerged, or settle a field in conflict" },
	{ "merge", cmd_merge, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "fold a duplicate record into another, rewriting references, one commit" },
	{ "merge-driver", cmd_merge_driver, 0,
	  "git's merge driver for records (crm init registers it; not crm merge)" },
	{ "dashboard", cmd_dashboard, CLI_NEEDS_REPO | CLI_GUARD_AWAITED | CLI_PAGES,
	  "sales figures, charts and stalled deals (terminal, JSON, CSV, HTML, xlsx)" },
	{ "alerts", cmd_alerts, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_PAGES,
	  "deals in a stage too long" },
	{ "report", cmd_report, CLI_NEEDS_REPO | CLI_GUARD_AWAITED | CLI_PAGES,
	  "funnel, cycle, winloss, won, activity, summary, receivables, revenue" },
	{ "import", cmd_import, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "records from CSV files through a rules file or a preset, one commit" },
	{ "handover", cmd_handover, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "reassign a colleague's clients, open deals and open tasks, one commit" },
	{ "dedupe", cmd_dedupe, CLI_NEEDS_REPO | CLI_NEEDS_INDEX,
	  "list likely duplicate records with their score and what matched" },
	{ "export", cmd_export, CLI_NEEDS_REPO | CLI_NEEDS_INDEX,
	  "every record of a type as CSV, xlsx, JSON, vCard or iCalendar" },
	{ "agenda", cmd_agenda, CLI_NEEDS_REPO | CLI_NEEDS_INDEX,
	  "overdue and upcoming tasks, next steps, invoices and deals, by day" },
	{ "remind", cmd_remind, CLI_NEEDS_REPO | CLI_NEEDS_INDEX,
	  "fire the reminders that came due, once per clone (for cron)" },
	{ "hooks", cmd_hooks, 0, "install git hooks that run crm check before a commit or push" },
	{ "help", cmd_help, 0, "show help for crm or for a command" },
	{ "__options", cmd_options, CLI_HIDDEN, "a command's option table, one per line" },
	{ "__complete", cmd_complete, CLI_HIDDEN, "the words that may follow, for shells" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

const struct cli_command *cli_commands(size_t *n_out)
{
	*n_out = NCOMMANDS;
	return commands;
}

const struct cli_command *cli_find_command(const char *name)
{
	size_t i;
	for (i = 0; i < NCOMMANDS; i++) {
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	}
	return NULL;
}

void cli_command_options(const struct cli_command *c,
			 void (*fn)(void *payload, const char *usage,
				    const struct cli_option *opts),
			 void *payload)
{
	struct cli_ctx ctx;
	char *help_argv[3];

	memset(&ctx, 0, sizeof(ctx));
	ctx.command = c->name;
	ctx.on_options = fn;
	ctx.options_payload = payload;
	help_argv[0] = (char *)c->name;
	help_argv[1] = "--help";
	help_argv[2] = NULL;
	c->fn(&ctx, 2, help_argv);
}

static void print_overview(FILE *out)
{
	size_t i, width = 0;

	fputs("usage: crm [-C DIR] [--no-cache] [--color=WHEN] [--no-pager] [--version]\n"
	      "           COMMAND [OPTIONS] [ARGS]\n\n"
	      "A local-first CRM: records are YAML files in a git repository.\n\ncommands:\n",
	      out);
	/* the summaries start in one column, after the longest name */
	for (i = 0; i < NCOMMANDS; i++) {
		if (!(commands[i].flags & CLI_HIDDEN) && strlen(commands[i].name) > width)
			width = strlen(commands[i].name);
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (!(commands[i].flags & CLI_HIDDEN))
			fprintf(out, "   %-*s  %s\n", (int)width, commands[i].name,
				commands[i].summary);
	}
	fputs("\n'crm help COMMAND' or 'crm COMMAND --help' describes a command.\n"
	      "The data repository is the nearest folder upwards holding crm.ini,\n"
	      "or $CRM_DIR, or the folder given with -C.  --no-cache (or CRM_NO_CACHE=1)\n"
	      "parses every record file instead of using the index cache in .git.\n"
	      "--color=auto|always|never colours the output (auto: on a terminal);\n"
	      "long output goes through $CRM_PAGER, $PAGER or less unless --no-pager.\n", out);
}

/* The man page of command `name`: beside an installed binary
 * (<prefix>/bin/crm, <prefix>/share/man/man1), else in the source tree the
 * binary was built from.  NULL when neither has it. */
static char *find_man_page(const char *name)
{
	struct crm_buf path = CRM_BUF_INIT;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			crm_buf_addf(&path, "%.*s/../share/man/man1/crm-%s.1",
				     (int)(slash - exe), exe, name);
			if (!access(path.ptr, R_OK))
				return crm_buf_detach(&path, NULL);
		}
	}
	crm_buf_reset(&path);
	crm_buf_addf(&path, "%s/doc/man/crm-%s.1", CRM_SRCDIR, name);
	if (!access(path.ptr, R_OK))
		return crm_buf_detach(&path, NULL);
	crm_buf_release(&path);
	return NULL;
}

/* `crm help COMMAND` with man(1) at hand: the command's page, as man shows
 * it (its own pager on a terminal, plain text otherwise).  false when
 * there is no man or no page, or man failed: the caller prints the table. */
static bool show_man_page(const char *name)
{
	const char *argv[] = { "man", "-l", NULL, NULL };
	char *page = crm_child_in_path("man") ? find_man_page(name) : NULL;
	int status = 1;

	if (!page)
		return false;
	argv[2] = page;
	fflush(stdout);
	if (crm_child_run(&status, argv, NULL))
		status = 1;
	free(page);
	return status == 0;
}

/* Without man: the usage and option table --help prints, for a command
 * with subcommands every one's (so `crm help invoice` has render's). */
struct help_tables {
	const char *command;
	bool first;
};

static void print_help_table(void *payload, const char *usage, const struct cli_option *opts)
{
	struct help_tables *h = payload;

	if (!h->first)
		fputc('\n', stdout);
	h->first = false;
	cli_usage(stdout, h->command, usage, opts);
}

static int cmd_help(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *c;
	struct help_tables tables = { NULL, true };

	if (argc < 2) {
		print_overview(stdout);
		return EXIT_OK;
	}
	c = cli_find_command(argv[1]);
	if (!c || (c->flags & CLI_HIDDEN)) {
		cli_error(ctx->command, "unknown command '%s'", argv[1]);
		return EXIT_USAGE;
	}
	if (c->fn == cmd_help) {
		print_overview(stdout);
		return EXIT_OK;
	}
	if (show_man_page(c->name))
		return EXIT_OK;
	tables.command = c->name;
	cli_command_options(c, print_help_table, &tables);
	return EXIT_OK;
}

static bool wants_help(int argc, char **argv)
{
	int i;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
		if (!strcmp(argv[i], "--"))
			break;
	}
	return false;
}

/* A writing command takes the lock before anything is read; any command
 * then finishes the write a killed crm left in the journal. */
int cli_lock_and_recover(struct cli_ctx *ctx, const char *name, bool lock)
{
	struct crm_buf report = CRM_BUF_INIT;
	const char *line, *nl;
	long dead_pid = 0;
	int err = 0;

	if (lock)
		err = crm_store_lock(&ctx->repo, &dead_pid);
	if (dead_pid)
		fprintf(stderr, "crm: took over the lock of crm process %ld, which had died\n",
			dead_pid);
	if (!err)
		err = crm_store_recover(&ctx->repo, &report);
	for (line = report.ptr; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		fprintf(stderr, "crm: %.*s\n", (int)(nl - line), line);
	}
	if (err)
		cli_error(name, "%s", crm_error_last());
	crm_buf_release(&report);
	return err;
}

int cli_open_repository(struct cli_ctx *ctx, const struct cli_command *c)
{
	struct crm_index_options opts = CRM_INDEX_OPTIONS_INIT;
	char *root = NULL;
	int rc;

	opts.no_cache = ctx->no_cache;
	opts.trust_cache = c->flags & CLI_BY_ID;
	if (crm_repo_discover(&root, ".")) {
		cli_error(c->name, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	if (crm_repo_open(&ctx->repo, root)) {
		cli_error(c->name, "%s", crm_error_last());
		free(root);
		crm_repo_release(&ctx->repo);
		return EXIT_USAGE;
	}
	free(root);
	ctx->has_repo = true;
	crm_locale_display_set(ctx->repo.config.locale);
	if (cli_lock_and_recover(ctx, c->name, c->flags & CLI_WRITES))
		return EXIT_PROBLEMS;
	/* git's index read beside the change, for its commit */
	if (c->flags & CLI_WRITES)
		crm_git_prepare(ctx->repo.root);
	/* the guard beside the load, when there is one to be beside */
	if (!(c->flags & (CLI_NEEDS_INDEX | CLI_GUARD_AWAITED)))
		return cli_merge_guard(ctx, c->flags) ? EXIT_PROBLEMS : EXIT_OK;
	if (cli_merge_guard_begin(ctx, c->flags))
		return EXIT_PROBLEMS;
	if (!(c->flags & CLI_NEEDS_INDEX))
		return EXIT_OK;   /* CLI_GUARD_AWAITED: the command waits for it */
	rc = crm_index_load(&ctx->idx, &ctx->repo, &opts) ? EXIT_USAGE : EXIT_OK;
	/* a refusal of the guard says more than the load's error.  A change
	 * of one record waits for it where it would write (cli_edit_commit,
	 * cli_txn_finish): libgit2's start on the guard's thread, longer than
	 * such a load, runs beside the change and its check */
	if ((rc || !(c->flags & CLI_BY_ID)) && cli_merge_guard_end(ctx))
		return EXIT_PROBLEMS;
	if (rc)
		cli_error(c->name, "%s", crm_error_last());
	return rc;
}

/* Whether CRM_NO_CACHE (which --no-cache sets) turns the cache off. */
static bool no_cache_asked(void)
{
	const char *nc = getenv("CRM_NO_CACHE");
	return nc && *nc && strcmp(nc, "0");
}

static bool color_wanted(void)
{
	const char *no_color = getenv("NO_COLOR");

	if (global_color != COLOR_AUTO)
		return global_color == COLOR_ALWAYS;
	return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

/* Long output goes through the pager when a person reads it on a
 * terminal; never into a pipe or a file, nor after --no-pager. */
static int maybe_start_pager(struct cli_ctx *ctx, const struct cli_command *c, int argc,
			     char **argv)
{
	const char *pager;
	int rc;

	if (!(c->flags & CLI_PAGES) || global_no_pager || wants_help(argc, argv) ||
	    !isatty(STDOUT_FILENO))
		return EXIT_OK;
	/* the pager's start sets LESS and COLUMNS, which must not change
	 * under libgit2 reading the environment on the guard's thread, or
	 * starting on its own */
	rc = cli_merge_guard_end(ctx);
	if (rc)
		return rc;
	crm_git_warm_up_end();
	pager = crm_pager_command();
	if (pager && crm_pager_start(pager))
		cli_error(c->name, "%s", crm_error_last());   /* and print unpaged */
	return EXIT_OK;
}

static int run_command(const struct cli_command *c, int argc, char **argv)
{
	struct cli_ctx ctx;
	int rc = EXIT_OK;

	memset(&ctx, 0, sizeof(ctx));
	ctx.command = c->name;
	ctx.color = color_wanted();   /* before the pager makes stdout a pipe */
	ctx.no_cache = no_cache_asked();
	if ((c->flags & CLI_NEEDS_REPO) && !wants_help(argc, argv)) {
		crm_git_warm_up_begin();
		rc = cli_open_repository(&ctx, c);
	}
	if (rc == EXIT_OK)
		rc = maybe_start_pager(&ctx, c, argc, argv);
	if (rc == EXIT_OK)
		rc = c->fn(&ctx, argc, argv);
	if (rc == CLI_HELP_SHOWN)
		rc = EXIT_OK;   /* --help asked for, and printed */
	/* a command that failed before it waited for the guard (its refusal
	 * has nothing left to stop, but the command did not succeed) */
	if (cli_merge_guard_end(&ctx) && rc == EXIT_OK)
		rc = EXIT_PROBLEMS;
	crm_index_free(ctx.idx);
	if (ctx.has_repo) {
		crm_store_unlock(&ctx.repo);
		crm_repo_release(&ctx.repo);
	}
	/* a report cut off by a full disk is an error, not a success */
	if (fflush(stdout) || ferror(stdout)) {
		cli_error(c->name, "cannot write to standard output");
		rc = EXIT_PROBLEMS;   /* a failure at run time, not a usage error */
	}
	crm_pager_finish();
	crm_git_warm_up_release();
	return rc;
}

static int parse_color(const char *when)
{
	if (!strcmp(when, "auto"))
		global_color = COLOR_AUTO;
	else if (!strcmp(when, "always"))
		global_color = COLOR_ALWAYS;
	else if (!strcmp(when, "never"))
		global_color = COLOR_NEVER;
	else {
		fprintf(stderr, "crm: --color wants auto, always or never, not '%s'\n", when);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Reads the global option argv[*i] (and its value); EXIT_OK to go on,
 * CLI_HELP_SHOWN after --version or --help, else the exit status. */
static int global_option(int argc, char **argv, int *i)
{
	const char *arg = argv[*i];

	if (!strcmp(arg, "-C") && *i + 1 < argc) {
		if (chdir(argv[*i + 1])) {
			fprintf(stderr, "crm: cannot change to '%s'\n", argv[*i + 1]);
			return EXIT_USAGE;
		}
		*i += 2;
		return EXIT_OK;
	}
	++*i;
	if (!strcmp(arg, "--no-cache")) {
		/* through the environment, which every index load reads, so
		 * that every command (and a crm that git or a hook starts)
		 * honours it the same way */
		setenv("CRM_NO_CACHE", "1", 1);
	} else if (!strcmp(arg, "--color")) {
		global_color = COLOR_ALWAYS;
	} else if (!strncmp(arg, "--color=", 8)) {
		return parse_color(arg + 8);
	} else if (!strcmp(arg, "--no-pager")) {
		global_no_pager = true;
	} else if (!strcmp(arg, "--version")) {
		printf("crm %s\n", CRM_VERSION);
		return fflush(stdout) ? EXIT_PROBLEMS : CLI_HELP_SHOWN;
	} else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
		print_overview(stdout);
		return CLI_HELP_SHOWN;
	} else {
		fprintf(stderr, "crm: unknown option '%s'\n", arg);
		print_overview(stderr);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct cli_command *c;
	int i = 1, rc;

	while (i < argc && argv[i][0] == '-') {
		rc = global_option(argc, argv, &i);
		if (rc == CLI_HELP_SHOWN)
			return EXIT_OK;
		if (rc)
			return rc;
	}
	if (i >= argc) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	c = cli_find_command(argv[i]);
	if (!c) {
		fprintf(stderr, "crm: '%s' is not a crm command; see 'crm help'\n", argv[i]);
		return EXIT_USAGE;
	}
	return run_command(c, argc - i, argv + i);
}
