/* crm hooks install: git hooks that hold commits and pushes to crm check.
 * In a clone, pre-commit runs `crm check --staged`; in a bare repository
 * (a server), pre-receive runs `crm check --rev` on each pushed tip and
 * refuses the push with the located errors, which git shows the pusher. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "crm/error.h"
#include "crm/git.h"

static const char usage[] = "install [--force]";

/* pre-commit: the data repository may be a folder below the work tree's
 * top, where git runs hooks; a relative GIT_INDEX_FILE (git commit -a)
 * is made absolute before crm changes folder. */
static void pre_commit_script(struct crm_buf *out, const char *crm, const char *prefix)
{
	crm_buf_adds(out, "#!/bin/sh\n"
		     "# Installed by 'crm hooks install': refuses a commit whose staged\n"
		     "# records fail 'crm check' (git commit --no-verify skips it).\n"
		     "case ${GIT_INDEX_FILE-} in\n"
		     "''|/*) ;;\n"
		     "*) GIT_INDEX_FILE=$PWD/$GIT_INDEX_FILE; export GIT_INDEX_FILE ;;\n"
		     "esac\n");
	crm_buf_addf(out, "exec %s ", crm);
	if (*prefix) {   /* "data/": -C data */
		char *folder = strndup(prefix, strlen(prefix) - 1);
		crm_buf_adds(out, "-C ");
		cli_add_shell_quoted(out, folder ? folder : ".");
		crm_buf_addch(out, ' ');
		free(folder);
	}
	crm_buf_adds(out, "check --staged --quiet\n");
}

/* pre-receive: reads "old new ref" lines; a deleted ref (new all zeros)
 * has nothing to check.  Everything crm prints goes to stderr, which git
 * relays to the pusher as "remote: ...". */
static void pre_receive_script(struct crm_buf *out, const char *crm)
{
	crm_buf_adds(out, "#!/bin/sh\n"
		     "# Installed by 'crm hooks install': refuses a push whose new tip\n"
		     "# fails 'crm check', with the errors shown to the pusher.\n"
		     "status=0\n"
		     "while read -r old new ref; do\n"
		     "\tcase $new in *[!0]*) ;; *) continue ;; esac\n");
	crm_buf_addf(out, "\tif ! %s check --rev \"$new\" --quiet >&2; then\n", crm);
	crm_buf_adds(out, "\t\techo \"crm: refusing $ref: commit $new fails crm check\" >&2\n"
		     "\t\tstatus=1\n"
		     "\tfi\n"
		     "done\n"
		     "exit $status\n");
}

/* Writes the hook `name` in `dir` unless a different one is there. */
static int install_hook(const char *dir, const char *name,
			const struct crm_buf *script, bool force)
{
	struct crm_buf path = CRM_BUF_INIT, old = CRM_BUF_INIT;
	int err;

	crm_buf_addf(&path, "%s%s", dir, name);
	err = crm_buf_read_file(&old, path.ptr, CRM_BUF_MAX);
	if (!err && old.len == script->len && !memcmp(old.ptr, script->ptr, old.len)) {
		printf("%s is installed already\n", path.ptr);
		goto done;
	}
	if (!err && !force) {
		err = crm_error_set(CRM_EEXISTS, "'%s' exists and is not crm's: add '%s' to it, "
				    "or replace it with --force", path.ptr,
				    strcmp(name, "pre-commit") ? "crm check --rev NEW" :
				    "crm check --staged");
		goto done;
	}
	if (err && err != CRM_ENOTFOUND)
		goto done;
	err = mkdir(dir, 0777) && errno != EEXIST
		? crm_error_errno(CRM_EIO, "cannot create '%s'", dir) : 0;
	if (!err)
		err = cli_write_file(path.ptr, script);
	if (!err && chmod(path.ptr, 0755))
		err = crm_error_errno(CRM_EIO, "cannot make '%s' executable", path.ptr);
	if (!err)
		printf("installed %s\n", path.ptr);
done:
	crm_buf_release(&path);
	crm_buf_release(&old);
	return err;
}

/* The data repository's folder in the clone's work tree ("" or "data/"). */
static int data_prefix(char **out, struct crm_git *git)
{
	char *root = NULL;
	int err = crm_repo_discover(&root, ".");

	*out = NULL;
	if (err)
		return err;
	*out = crm_git_prefix(git, root);
	free(root);
	return *out ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");
}

int cmd_hooks(struct cli_ctx *ctx, int argc, char **argv)
{
	bool force = false;
	const struct cli_option opts[] = {
		{ "force", 0, CLI_OPT_FLAG, &force, NULL,
		  "replace a hook of the same name that crm did not write" },
		CLI_ARG(CLI_ARG_ONE, "install"),
		CLI_OPT_END
	};
	struct crm_buf crm = CRM_BUF_INIT, script = CRM_BUF_INIT;
	struct crm_git *git = NULL;
	char *dir = NULL, *prefix = NULL;
	int rc, err;

	rc = cli_parse(ctx, usage, opts, argc, argv, &argc);
	if (rc)
		return rc;
	if (strcmp(argv[0], "install")) {
		cli_error(ctx->command, "unknown subcommand '%s'", argv[0]);
		cli_usage(stderr, ctx->command, usage, opts);
		return EXIT_USAGE;
	}
	err = crm_git_open_any(&git, ".");
	if (!err)
		err = cli_self_command(&crm);
	if (!err && !(dir = crm_git_hooks_dir(git)))
		err = crm_error_set(CRM_ENOMEM, "out of memory");
	if (!err && crm_git_is_bare(git)) {
		pre_receive_script(&script, crm.ptr);
		err = install_hook(dir, "pre-receive", &script, force);
	} else if (!err) {
		err = data_prefix(&prefix, git);
		if (!err)
			pre_commit_script(&script, crm.ptr, prefix);
		if (!err)
			err = install_hook(dir, "pre-commit", &script, force);
	}
	free(dir);
	free(prefix);
	crm_git_free(git);
	crm_buf_release(&crm);
	crm_buf_release(&script);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		/* no git repository, or no crm.ini in a clone: as for every
		 * command without a data repository */
		if (err == CRM_ENOTFOUND)
			return EXIT_USAGE;
		return err == CRM_EEXISTS ? EXIT_PROBLEMS : cli_status(err);
	}
	return EXIT_OK;
}
