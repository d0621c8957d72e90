/* The crm command: global options (-C DIR, --version, --help), the table of
 * commands, and the wrapper that opens the repository for the commands that
 * need one and checks that everything printed reached stdout. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crm.h"
#include "crm/error.h"
#include "crm/index.h"

static int cmd_help(struct cli_ctx *ctx, int argc, char **argv);

/* --no-cache: every file parsed, the persistent index cache left alone */
static bool global_no_cache;

static const struct cli_command commands[] = {
	{ "init", cmd_init, 0, "create a data repository (or register crm in a clone)" },
	{ "check", cmd_check, 0,   /* opens the work tree, the index or a commit itself */
	  "check every record like a compiler checks code" },
	{ "show", cmd_show, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_UNMERGED_WARN,
	  "show one record with its computed fields and what refers to it" },
	{ "ls", cmd_ls, CLI_NEEDS_REPO | CLI_NEEDS_INDEX, "list records that match filters" },
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
	{ "log", cmd_log, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_UNMERGED_WARN,
	  "a record's history from git, field by field" },
	{ "diff", cmd_diff, CLI_NEEDS_REPO | CLI_UNMERGED_WARN,
	  "uncommitted changes as records and fields" },
	{ "invoice", cmd_invoice, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "show totals, issue with the next number, record status and payments" },
	{ "forecast", cmd_forecast, CLI_NEEDS_REPO,
	  "expected revenue by month, and a backtest of each method" },
	{ "sync", cmd_sync, CLI_NEEDS_REPO,
	  "fetch, merge records field by field, push" },
	{ "resolve", cmd_resolve, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES | CLI_UNMERGED_SELF,
	  "merge a file git left unmerged, or settle a field in conflict" },
	{ "merge-driver", cmd_merge_driver, 0,
	  "git's merge driver for records (crm init registers it)" },
	{ "dashboard", cmd_dashboard, CLI_NEEDS_REPO,
	  "sales figures, charts and stalled deals (terminal, JSON, CSV, HTML, xlsx)" },
	{ "report", cmd_report, CLI_NEEDS_REPO,
	  "funnel, cycle, winloss, won, activity, summary, receivables, revenue" },
	{ "import", cmd_import, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_WRITES,
	  "records from CSV files through a rules file or a preset, one commit" },
	{ "export", cmd_export, CLI_NEEDS_REPO | CLI_NEEDS_INDEX,
	  "every record of a type as CSV, xlsx, JSON, vCard or iCalendar" },
	{ "hooks", cmd_hooks, 0, "install git hooks that run crm check before a commit or push" },
	{ "help", cmd_help, 0, "show help for crm or for a command" },
};

static const struct cli_command *find_command(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(commands) / sizeof(*commands); i++) {
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	}
	return NULL;
}

static void print_overview(FILE *out)
{
	size_t i;
	fputs("usage: crm [-C DIR] [--no-cache] [--version] COMMAND [OPTIONS] [ARGS]\n\n"
	      "A local-first CRM: records are YAML files in a git repository.\n\ncommands:\n",
	      out);
	for (i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(out, "   %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'crm help COMMAND' or 'crm COMMAND --help' describes a command.\n"
	      "The data repository is the nearest folder upwards holding crm.ini,\n"
	      "or $CRM_DIR, or the folder given with -C.  --no-cache (or CRM_NO_CACHE=1)\n"
	      "parses every record file instead of using the index cache in .git.\n", out);
}

static int cmd_help(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *c;
	char *help_argv[3];

	if (argc < 2) {
		print_overview(stdout);
		return EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c || c->fn == cmd_help) {
		if (!c)
			cli_error(ctx->command, "unknown command '%s'", argv[1]);
		else
			print_overview(stdout);
		return c ? EXIT_OK : EXIT_USAGE;
	}
	/* every command prints its own option table on --help */
	help_argv[0] = argv[1];
	help_argv[1] = "--help";
	help_argv[2] = NULL;
	ctx->command = c->name;
	return c->fn(ctx, 2, help_argv);
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
static int lock_and_recover(struct cli_ctx *ctx, const struct cli_command *c)
{
	struct crm_buf report = CRM_BUF_INIT;
	const char *line, *nl;
	long dead_pid = 0;
	int err = 0;

	if (c->flags & CLI_WRITES)
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
		cli_error(c->name, "%s", crm_error_last());
	crm_buf_release(&report);
	return err;
}

int cli_open_repository(struct cli_ctx *ctx, const struct cli_command *c)
{
	struct crm_index_options opts = CRM_INDEX_OPTIONS_INIT;
	char *root = NULL;
	const char *nc = getenv("CRM_NO_CACHE");

	ctx->no_cache = global_no_cache || (nc && *nc && strcmp(nc, "0"));
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
	if (lock_and_recover(ctx, c))
		return EXIT_PROBLEMS;
	if (cli_merge_guard(ctx, c->flags))
		return EXIT_PROBLEMS;
	if (!(c->flags & CLI_NEEDS_INDEX))
		return EXIT_OK;
	if (crm_index_load(&ctx->idx, &ctx->repo, &opts)) {
		cli_error(c->name, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int run_command(const struct cli_command *c, int argc, char **argv)
{
	struct cli_ctx ctx;
	const char *no_color = getenv("NO_COLOR");
	int rc = EXIT_OK;

	memset(&ctx, 0, sizeof(ctx));
	ctx.command = c->name;
	ctx.color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
	if ((c->flags & CLI_NEEDS_REPO) && !wants_help(argc, argv))
		rc = cli_open_repository(&ctx, c);
	if (rc == EXIT_OK)
		rc = c->fn(&ctx, argc, argv);
	if (rc == CLI_HELP_SHOWN)
		rc = EXIT_OK;   /* --help asked for, and printed */
	crm_index_free(ctx.idx);
	if (ctx.has_repo) {
		crm_store_unlock(&ctx.repo);
		crm_repo_release(&ctx.repo);
	}
	/* a report cut off by a full disk is an error, not a success */
	if (fflush(stdout) || ferror(stdout)) {
		cli_error(c->name, "cannot write to standard output");
		return EXIT_PROBLEMS;   /* a failure at run time, not a usage error */
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct cli_command *c;
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-C") && i + 1 < argc) {
			if (chdir(argv[i + 1])) {
				fprintf(stderr, "crm: cannot change to '%s'\n", argv[i + 1]);
				return EXIT_USAGE;
			}
			i += 2;
		} else if (!strcmp(argv[i], "--no-cache")) {
			global_no_cache = true;
			i++;
		} else if (!strcmp(argv[i], "--version")) {
			printf("crm %s\n", CRM_VERSION);
			return fflush(stdout) ? EXIT_PROBLEMS : EXIT_OK;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_overview(stdout);
			return EXIT_OK;
		} else {
			fprintf(stderr, "crm: unknown option '%s'\n", argv[i]);
			print_overview(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	c = find_command(argv[i]);
	if (!c) {
		fprintf(stderr, "crm: '%s' is not a crm command; see 'crm help'\n", argv[i]);
		return EXIT_USAGE;
	}
	return run_command(c, argc - i, argv + i);
}
