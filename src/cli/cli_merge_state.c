/* What git's merges left that every command must notice before it reads or
 * writes records: files git holds unmerged (refused, or warned about), and
 * a merge driver for records that is not registered or cannot run. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crm/child.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/lockfile.h"

/* The marker that says the missing registration was reported in this
 * clone: git does not clone configuration, so every new clone starts
 * without it and hears about it once. */
#define NO_DRIVER_MARKER "crm-merge-driver-missing-reported"

/* The program of a driver command as the shell git runs it with would
 * read its first word: up to a blank, or between single quotes.  NULL for
 * anything fancier (a variable, a double quote): then it is not judged. */
static char *driver_program(const char *command)
{
	const char *p = command + strspn(command, " \t"), *end;

	if (*p == '\'') {
		end = strchr(p + 1, '\'');
		return end ? strndup(p + 1, (size_t)(end - p - 1)) : NULL;
	}
	end = p + strcspn(p, " \t");
	if (end == p || memchr(p, '"', (size_t)(end - p)) || memchr(p, '$', (size_t)(end - p)) ||
	    memchr(p, '\\', (size_t)(end - p)))
		return NULL;
	return strndup(p, (size_t)(end - p));
}

bool cli_driver_runs(const char *command)
{
	char *program = driver_program(command), *found;
	bool runs;

	if (!program)
		return true;   /* shell syntax we do not follow: trust the user */
	found = crm_child_which(program);
	runs = found != NULL;
	free(found);
	free(program);
	return runs;
}

/* Whether `path` can stand unquoted in a shell command. */
static bool shell_safe(const char *path)
{
	return path[strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			   "0123456789/._+-")] == '\0';
}

void cli_add_shell_quoted(struct crm_buf *out, const char *s)
{
	if (*s && shell_safe(s)) {
		crm_buf_adds(out, s);
		return;
	}
	crm_buf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			crm_buf_adds(out, "'\\''");
		else
			crm_buf_addch(out, *s);
	}
	crm_buf_addch(out, '\'');
}

int cli_self_command(struct crm_buf *out)
{
	char self[PATH_MAX], *onpath = crm_child_which("crm"), *resolved = NULL;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (onpath)
		resolved = realpath(onpath, NULL);
	free(onpath);
	if (n > 0)
		self[n] = '\0';
	/* a bare `crm` when it is this binary (short, and it follows an
	 * upgrade); else this binary by its absolute path, which runs
	 * whatever PATH git is started with */
	if (n <= 0 || (resolved && !strcmp(resolved, self)))
		crm_buf_adds(out, "crm");
	else
		cli_add_shell_quoted(out, self);
	free(resolved);
	return crm_buf_check(out);
}

int cli_driver_command(struct crm_buf *out)
{
	crm_buf_reset(out);
	cli_self_command(out);
	return crm_buf_adds(out, " merge-driver %O %A %B %P");
}

/* A path in the data repository that git's attributes decide the merge
 * of, as they would for a record file. */
static void sample_record_path(struct crm_buf *out, struct cli_ctx *ctx, const char *prefix)
{
	crm_buf_addf(out, "%s%s%srecord.yaml", prefix,
		     ctx->repo.schemas.len ? ctx->repo.schemas.ptr[0].folder : "",
		     ctx->repo.schemas.len ? "/" : "");
}

/* The registration is missing: said once per clone (a marker in the git
 * folder), since every command would otherwise repeat it. */
static void report_missing_driver(struct crm_git *git)
{
	struct crm_buf marker = CRM_BUF_INIT;

	crm_buf_addf(&marker, "%s" NO_DRIVER_MARKER, crm_git_gitdir(git));
	if (access(marker.ptr, F_OK)) {
		fprintf(stderr, "crm: this clone has not registered crm's merge driver, so git "
			"merges records line by line; run 'crm init' here once\n");
		crm_write_file_atomic(marker.ptr, "", 0);
	}
	crm_buf_release(&marker);
}

/* Warns when .gitattributes asks for crm's merge driver and git would not
 * find it: not registered in this clone (once), or a command that does not
 * run (every time: git would leave every record it merges unmerged). */
static void check_driver(struct cli_ctx *ctx, struct crm_git *git, const char *prefix)
{
	struct crm_buf sample = CRM_BUF_INIT;
	char *name = NULL, *command = NULL;

	sample_record_path(&sample, ctx, prefix);
	if (crm_git_merge_driver(git, sample.ptr, &name, &command) || !name ||
	    strcmp(name, "crm"))
		goto done;
	if (!command)
		report_missing_driver(git);
	else if (!cli_driver_runs(command))
		fprintf(stderr, "crm: warning: git's merge driver for records ('%s') cannot be "
			"run, so git would leave records unmerged; run 'crm init' here to register "
			"this crm\n", command);
done:
	free(name);
	free(command);
	crm_buf_release(&sample);
}

struct unmerged_list {
	struct cli_ctx *ctx;
	size_t plen, count;
	bool refuse;
};

static int print_unmerged(const char *path, void *payload)
{
	struct unmerged_list *u = payload;
	const char *shown = path + u->plen;

	u->count++;
	if (u->refuse)
		cli_error(u->ctx->command, "%s is unmerged (a git merge could not finish it): run "
			  "'crm resolve %s' first", shown, shown);
	else
		fprintf(stderr, "crm: warning: %s is unmerged (a git merge could not finish it), "
			"what it shows may be one side only: run 'crm resolve %s'\n", shown, shown);
	return 0;
}

/* Names every unmerged file below the data repository; with `refuse`,
 * as errors and a last line that says nothing was done. */
static int report_unmerged(struct cli_ctx *ctx, struct crm_git *git, const char *prefix,
			   bool refuse)
{
	struct unmerged_list u = { ctx, strlen(prefix), 0, refuse };
	int err = crm_git_unmerged(git, prefix, print_unmerged, &u);

	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_PROBLEMS;
	}
	if (!refuse || !u.count)
		return EXIT_OK;
	cli_error(ctx->command, "refusing to work on a half-merged repository (%zu unmerged "
		  "file%s)", u.count, u.count == 1 ? "" : "s");
	return EXIT_PROBLEMS;
}

int cli_merge_guard(struct cli_ctx *ctx, int flags)
{
	struct crm_git *git = NULL;
	char *prefix = NULL;
	int rc = EXIT_OK;

	if (crm_git_open(&git, ctx->repo.root))
		return EXIT_OK;   /* not in git (or unreadable): no merges to judge */
	prefix = crm_git_prefix(git, ctx->repo.root);
	if (!prefix) {
		cli_error(ctx->command, "out of memory");
		rc = EXIT_PROBLEMS;
		goto done;
	}
	check_driver(ctx, git, prefix);
	if (!(flags & CLI_UNMERGED_SELF))
		rc = report_unmerged(ctx, git, prefix, !(flags & CLI_UNMERGED_WARN));
done:
	free(prefix);
	crm_git_free(git);
	return rc;
}

struct cli_guard {
	pthread_t thread;
	struct cli_ctx *ctx;         /* read only while the thread runs */
	int flags, rc;
};

static void *guard_main(void *arg)
{
	struct cli_guard *g = arg;
	g->rc = cli_merge_guard(g->ctx, g->flags);
	return NULL;
}

int cli_merge_guard_begin(struct cli_ctx *ctx, int flags)
{
	struct cli_guard *g = calloc(1, sizeof(*g));

	if (g) {
		g->ctx = ctx;
		g->flags = flags;
	}
	if (!g || pthread_create(&g->thread, NULL, guard_main, g)) {
		free(g);
		ctx->guard_rc = cli_merge_guard(ctx, flags);
		return ctx->guard_rc;
	}
	ctx->guard = g;
	return EXIT_OK;
}

int cli_merge_guard_end(struct cli_ctx *ctx)
{
	struct cli_guard *g = ctx->guard;

	if (g) {
		pthread_join(g->thread, NULL);
		ctx->guard_rc = g->rc;
		free(g);
		ctx->guard = NULL;
	}
	return ctx->guard_rc;
}

int cli_refuse_unmerged(struct cli_ctx *ctx)
{
	struct crm_git *git = NULL;
	char *prefix = NULL;
	int rc = EXIT_OK;

	if (crm_git_open(&git, ctx->repo.root))
		return EXIT_OK;
	prefix = crm_git_prefix(git, ctx->repo.root);
	rc = prefix ? report_unmerged(ctx, git, prefix, true) : EXIT_PROBLEMS;
	free(prefix);
	crm_git_free(git);
	return rc;
}
