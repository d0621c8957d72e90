/* crm check: every problem of the repository in one run, printed like a
 * compiler's diagnostics (with the source line and a caret), as JSON or as
 * GitHub Actions annotations; of the work tree, of what is staged (--staged)
 * or of a commit (--rev, also in a bare repository); exit status 1 when
 * there is any error. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/check.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/node.h"

static const char usage[] = "[--staged | --rev REV] [--format text|json|github] [--json] "
			    "[--no-source] [--quiet]";

enum check_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_GITHUB };

/* The repository and its records as --staged or --rev ask: read from git,
 * crm.ini and the schemas included.  A bare repository has no crm.ini to
 * find: its data repository is the commit's root. */
static int open_from_git(struct cli_ctx *ctx, bool staged, const char *rev)
{
	struct crm_index_options opts = CRM_INDEX_OPTIONS_INIT;
	char *root = NULL;
	int err;

	err = crm_repo_discover(&root, ".");
	if (err) {
		if (staged || err != CRM_EINVALID) {   /* CRM_EINVALID: in a bare repository */
			cli_error(ctx->command, "%s", crm_error_last());
			return EXIT_USAGE;
		}
		root = strdup(".");
		if (!root) {
			cli_error(ctx->command, "out of memory");
			return EXIT_PROBLEMS;
		}
	}
	err = crm_repo_open_git(&ctx->repo, root, staged ? CRM_SOURCE_INDEX : CRM_SOURCE_COMMIT,
				rev);
	free(root);
	ctx->has_repo = true;   /* released by the wrapper, after a failure too */
	if (!err) {
		opts.no_cache = true;   /* the cache is the work tree's */
		err = crm_index_load(&ctx->idx, &ctx->repo, &opts);
	}
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		/* an unknown revision, a commit without crm.ini: no repository
		 * to check, as for every command; a failed read: a failure */
		return err == CRM_ENOTFOUND ? EXIT_USAGE : cli_status(err);
	}
	return EXIT_OK;
}

static int open_checked(struct cli_ctx *ctx, bool staged, const char *rev)
{
	static const struct cli_command worktree = {
		"check", cmd_check, CLI_NEEDS_REPO | CLI_NEEDS_INDEX | CLI_UNMERGED_SELF, ""
	};

	if (staged && rev) {
		cli_error(ctx->command, "--staged and --rev cannot be used together");
		return EXIT_USAGE;
	}
	if (staged || rev)
		return open_from_git(ctx, staged, rev);
	return cli_open_repository(ctx, &worktree);
}

/* Source lines under the findings come from where the records were read. */
static int read_from_source(void *payload, const char *path, struct crm_buf *out)
{
	return crm_repo_read_file(payload, path, out, CRM_YAML_MAX_BYTES + 1);
}

static int print_text(struct cli_ctx *ctx, struct crm_diags *diags, bool no_source)
{
	struct crm_diag_print_opts popts;

	memset(&popts, 0, sizeof(popts));
	popts.root = ctx->repo.root;
	popts.color = ctx->color;
	popts.show_source = !no_source;
	if (crm_repo_from_git(&ctx->repo)) {
		popts.read_file = read_from_source;
		popts.payload = &ctx->repo;
	}
	return crm_diags_print(stdout, diags, &popts);
}

static int print_json(struct crm_diags *diags, size_t records, size_t errors)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_json j;
	int err;

	crm_json_init(&j, &out);
	crm_json_object(&j, CRM_JSON_INLINE);
	crm_json_key(&j, "records");
	crm_json_int(&j, (int64_t)records);
	crm_json_key(&j, "errors");
	crm_json_int(&j, (int64_t)errors);
	crm_json_key(&j, "warnings");
	crm_json_int(&j, (int64_t)diags->warnings);
	crm_json_key(&j, "diagnostics");
	crm_diags_json(&j, diags);
	crm_json_end(&j);
	err = j.err ? j.err : crm_buf_addch(&out, '\n');
	if (!err)
		err = cli_write(&out);
	crm_buf_release(&out);
	return err;
}

/* Appends `s` escaped as a GitHub Actions workflow command needs it: '%',
 * CR and LF always, and in a property's value also ':' and ','. */
static void add_escaped(struct crm_buf *out, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			crm_buf_adds(out, "%25");
		else if (*s == '\r')
			crm_buf_adds(out, "%0D");
		else if (*s == '\n')
			crm_buf_adds(out, "%0A");
		else if (property && *s == ':')
			crm_buf_adds(out, "%3A");
		else if (property && *s == ',')
			crm_buf_adds(out, "%2C");
		else
			crm_buf_addch(out, *s);
	}
}

/* The data repository's folder in git: GitHub names files from the
 * repository's root. */
static char *git_prefix(const struct crm_repo *repo)
{
	struct crm_git *git = NULL;
	char *prefix;

	if (crm_repo_from_git(repo))
		return strdup(repo->source.prefix);
	if (crm_git_open(&git, repo->root))
		return strdup("");   /* not in git: paths from the data repository */
	prefix = crm_git_prefix(git, repo->root);
	crm_git_free(git);
	return prefix;
}

/* One annotation a finding: ::error file=F,line=L,col=C,title=CODE::message */
static int print_github(const struct crm_repo *repo, const struct crm_diags *diags)
{
	struct crm_buf out = CRM_BUF_INIT, path = CRM_BUF_INIT;
	char *prefix = git_prefix(repo);
	size_t i;
	int err;

	if (!prefix) {
		crm_buf_release(&out);
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	for (i = 0; i < diags->list.len; i++) {
		const struct crm_diag *dg = &diags->list.ptr[i];

		crm_buf_reset(&path);
		/* the tool's own schemas have absolute paths, outside the repository */
		crm_buf_addf(&path, "%s%s", dg->path[0] == '/' ? "" : prefix, dg->path);
		crm_buf_addf(&out, "::%s file=", dg->severity == CRM_SEV_ERROR ? "error" : "warning");
		add_escaped(&out, path.ptr, true);
		if (dg->line > 0)
			crm_buf_addf(&out, ",line=%d,col=%d", dg->line, dg->col > 0 ? dg->col : 1);
		crm_buf_adds(&out, ",title=");
		add_escaped(&out, dg->code, true);
		crm_buf_adds(&out, "::");
		add_escaped(&out, dg->message, false);
		crm_buf_addch(&out, '\n');
	}
	err = cli_write(&out);
	free(prefix);
	crm_buf_release(&path);
	crm_buf_release(&out);
	return err;
}

static int pick_format(enum check_format *out, const char *name, bool json)
{
	*out = json ? FORMAT_JSON : FORMAT_TEXT;
	if (!name)
		return 0;
	if (!strcmp(name, "text"))
		*out = FORMAT_TEXT;
	else if (!strcmp(name, "json"))
		*out = FORMAT_JSON;
	else if (!strcmp(name, "github"))
		*out = FORMAT_GITHUB;
	else
		return crm_error_set(CRM_EUSAGE, "unknown format '%s' (text, json or github)", name);
	if (json && *out != FORMAT_JSON)
		return crm_error_set(CRM_EUSAGE, "--json and --format %s disagree", name);
	return 0;
}

static void keep_errors_only(struct crm_diags *diags)
{
	size_t keep = 0, i;

	for (i = 0; i < diags->list.len; i++) {
		if (diags->list.ptr[i].severity == CRM_SEV_ERROR)
			diags->list.ptr[keep++] = diags->list.ptr[i];
	}
	diags->list.len = keep;
}

int cmd_check(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false, no_source = false, quiet = false, staged = false;
	const char *rev = NULL, *format_name = NULL;
	const struct cli_option opts[] = {
		{ "staged", 0, CLI_OPT_FLAG, &staged, NULL,
		  "check the index, as `git commit` would commit it" },
		{ "rev", 0, CLI_OPT_STRING, &rev, "REV",
		  "check a commit's files, crm.ini and schemas (works in a bare repository)" },
		{ "format", 0, CLI_OPT_STRING, &format_name, "FORMAT",
		  "text (the default), json, or github (GitHub Actions annotations)" },
		{ "json", 0, CLI_OPT_FLAG, &json, NULL, "print the findings as one JSON document" },
		{ "no-source", 0, CLI_OPT_FLAG, &no_source, NULL,
		  "do not quote the offending line under each finding" },
		{ "quiet", 'q', CLI_OPT_FLAG, &quiet, NULL, "print errors only, no warnings or summary" },
		CLI_ARG(CLI_ARG_NONE, ""),
		CLI_OPT_END
	};
	enum check_format format;
	struct crm_diags diags;
	size_t errors, records = 0, i, n;
	char where[24];
	int rc, err = 0;

	rc = cli_parse(ctx, usage, opts, argc, argv, &argc);
	if (rc)
		return rc;
	if (pick_format(&format, format_name, json)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	rc = open_checked(ctx, staged, rev);
	if (rc)
		return rc;
	crm_diags_init(&diags);
	errors = crm_check_run(ctx->idx, &diags);
	for (i = 0; i < ctx->repo.schemas.len; i++) {
		crm_index_list(ctx->idx, ctx->repo.schemas.ptr[i].type, &n);
		records += n;
	}
	if (quiet)
		keep_errors_only(&diags);
	if (format == FORMAT_JSON)
		err = print_json(&diags, records, errors);
	else if (format == FORMAT_GITHUB)
		err = print_github(&ctx->repo, &diags);
	else
		err = print_text(ctx, &diags, no_source);
	if (!quiet && format != FORMAT_JSON)
		fprintf(stdout, "%zu error%s, %zu warning%s in %zu record%s%s%s\n", errors,
			errors == 1 ? "" : "s", diags.warnings, diags.warnings == 1 ? "" : "s",
			records, records == 1 ? "" : "s", crm_repo_from_git(&ctx->repo) ? " of " : "",
			crm_repo_from_git(&ctx->repo) ? crm_repo_source_name(&ctx->repo, where) : "");
	crm_diags_release(&diags);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_PROBLEMS;   /* the output could not be written */
	}
	return errors ? EXIT_PROBLEMS : EXIT_OK;
}
