/* crm init [DIR]: a new data repository (crm.ini with the agency pipeline,
 * the tool's schemas, .gitattributes, git init when needed, first commit),
 * or, in an existing one such as a fresh clone, registration of the merge
 * driver that git does not clone, changing no tracked file. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "crm/beneath.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/lockfile.h"

static const char usage[] = "[DIR]";

static const char default_ini[] =
	"; crm settings: see 'crm help' and the README's \"Data repository\" section.\n"
	"[crm]\n"
	"currency = EUR            ; the repository's base currency\n"
	"timezone = UTC\n"
	"\n"
	"; pipeline stages in order; probability in percent; outcome open, won, lost or void\n"
	"[stage \"unqualified\"]\nprobability = 5\n"
	"[stage \"qualifying\"]\nprobability = 10\n"
	"[stage \"writing-proposal\"]\nprobability = 25\n"
	"[stage \"proposal-sent\"]\nprobability = 50\n"
	"[stage \"negotiation\"]\nprobability = 70\n"
	"[stage \"contract-pending\"]\nprobability = 90\n"
	"[stage \"won\"]\nprobability = 100\noutcome = won\n"
	"[stage \"closed-lost\"]\nprobability = 0\noutcome = lost\n"
	"[stage \"not-applicable\"]\nprobability = 0\noutcome = void\n"
	"\n"
	"[invoice]\nprefix = INV-\ndigits = 7\ndue_days = 30\n";

static const char gitattributes[] = "*.yaml merge=crm\n";

/* Writes `rel` below `root` unless it is there: a work tree crm init
 * joins may be a clone, and its links are followed no more than any
 * other write's (crm/beneath.h). */
static int write_new_file(const char *root, const char *rel, const char *data, size_t len)
{
	struct crm_buf have = CRM_BUF_INIT;
	int err = crm_buf_read_file_beneath(&have, root, rel, CRM_BUF_MAX);

	crm_buf_release(&have);
	if (err != CRM_ENOTFOUND)
		return err;   /* 0: never overwrite what the user has */
	return crm_write_file_beneath(root, rel, data, len, true);
}

static int copy_schemas(const char *root, struct cli_list *written)
{
	const char *from = crm_schema_builtin_dir();
	struct crm_buf src = CRM_BUF_INIT, dst = CRM_BUF_INIT, data = CRM_BUF_INIT;
	struct dirent *e;
	DIR *d = opendir(from);
	bool made;
	int err = 0;

	if (!d)
		return crm_error_errno(CRM_ENOTFOUND, "cannot read the tool's schemas in '%s'", from);
	err = crm_mkdir_beneath(&made, root, "schema");
	while (!err && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n < 6 || strcmp(e->d_name + n - 5, ".yaml"))
			continue;
		crm_buf_reset(&src);
		crm_buf_reset(&dst);
		crm_buf_reset(&data);
		crm_buf_addf(&src, "%s/%s", from, e->d_name);
		crm_buf_addf(&dst, "schema/%s", e->d_name);
		err = crm_buf_read_file(&data, src.ptr, CRM_BUF_MAX);
		if (!err)
			err = write_new_file(root, dst.ptr, data.ptr, data.len);
		if (!err) {
			crm_array_grow((void **)&written->items, &written->cap, sizeof(char *),
				       written->len + 1);
			written->items[written->len++] = strdup(dst.ptr);
		}
	}
	closedir(d);
	crm_buf_release(&src);
	crm_buf_release(&dst);
	crm_buf_release(&data);
	return err;
}

/* git does not clone configuration, so every clone registers the driver:
 * a command git can run whatever its PATH (cli_driver_command).  One that
 * is registered and runs is left alone (it may be the user's own); one
 * that cannot run is replaced, since git would leave records unmerged. */
static int register_merge_driver(struct crm_git *git, bool *changed, bool *replaced)
{
	struct crm_buf command = CRM_BUF_INIT;
	char *have = NULL;
	int err = 0;

	*changed = false;
	*replaced = false;
	if (crm_git_config_get(git, "merge.crm.driver", &have) == CRM_ENOTFOUND || !have ||
	    !cli_driver_runs(have)) {
		*replaced = have != NULL;
		err = cli_driver_command(&command);
		if (!err)
			err = crm_git_config_set(git, "merge.crm.name",
						 "crm field-by-field record merge");
		if (!err)
			err = crm_git_config_set(git, "merge.crm.driver", command.ptr);
		*changed = true;
	}
	free(have);
	crm_buf_release(&command);
	return err;
}

static int init_existing(struct cli_ctx *ctx, const char *root)
{
	struct crm_git *git = NULL;
	bool changed = false, replaced = false;
	int err = crm_git_open(&git, root);

	if (!err)
		err = register_merge_driver(git, &changed, &replaced);
	crm_git_free(git);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		return cli_status(err);
	}
	printf(replaced ? "registered the crm merge driver in %s (the one registered could "
			  "not run)\n"
	       : changed ? "registered the crm merge driver in %s\n"
			 : "%s is already set up; nothing to do\n", root);
	return EXIT_OK;
}

/* Commits paths given relative to the data repository `root`. */
static int commit_in(struct crm_git *git, char id[41], const char *root,
		     struct cli_list *paths, const char *message)
{
	char *prefix = crm_git_prefix(git, root);
	struct crm_buf b = CRM_BUF_INIT;
	size_t i;
	int err;

	for (i = 0; prefix && *prefix && i < paths->len; i++) {
		crm_buf_reset(&b);
		crm_buf_addf(&b, "%s%s", prefix, paths->items[i]);
		free((char *)paths->items[i]);
		paths->items[i] = crm_buf_detach(&b, NULL);
	}
	err = crm_git_commit(git, id, paths->items, paths->len, message);
	free(prefix);
	crm_buf_release(&b);
	return err;
}

static int init_new(struct cli_ctx *ctx, const char *root)
{
	struct cli_list paths = { NULL, 0, 0 };
	struct crm_git *git = NULL;
	char id[41];
	bool created = false, changed, replaced;
	size_t i;
	int err;

	err = crm_git_init(&git, root, &created);
	if (!err)
		err = write_new_file(root, "crm.ini", default_ini, sizeof(default_ini) - 1);
	if (!err)
		err = write_new_file(root, ".gitattributes", gitattributes,
				     sizeof(gitattributes) - 1);
	if (!err)
		err = copy_schemas(root, &paths);
	if (!err)
		err = register_merge_driver(git, &changed, &replaced);
	if (!err) {
		const char *fixed[] = { "crm.ini", ".gitattributes" };
		for (i = 0; i < 2; i++) {
			crm_array_grow((void **)&paths.items, &paths.cap, sizeof(char *), paths.len + 1);
			paths.items[paths.len++] = strdup(fixed[i]);
		}
		err = commit_in(git, id, root, &paths, "crm: init data repository");
	}
	if (!err)
		printf("%s a crm repository in %s (commit %.8s)\n",
		       created ? "initialised" : "added", root, id);
	else
		cli_error(ctx->command, "%s", crm_error_last());
	for (i = 0; i < paths.len; i++)
		free((char *)paths.items[i]);
	cli_list_release(&paths);
	crm_git_free(git);
	return err ? cli_status(err) : EXIT_OK;
}

int cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = { CLI_ARG(CLI_ARG_OPTIONAL, "DIR"), CLI_OPT_END };
	const char *dir;
	char *root = NULL, *existing = NULL;
	int rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	dir = argc ? argv[0] : ".";
	if (mkdir(dir, 0777) && errno != EEXIST) {
		cli_error(ctx->command, "cannot create '%s': %s", dir, strerror(errno));
		return EXIT_PROBLEMS;
	}
	root = realpath(dir, NULL);
	if (!root) {
		cli_error(ctx->command, "cannot open '%s': %s", dir, strerror(errno));
		return EXIT_PROBLEMS;
	}
	unsetenv("CRM_DIR");
	if (!crm_repo_discover(&existing, root))
		rc = init_existing(ctx, existing);
	else
		rc = init_new(ctx, root);
	free(existing);
	free(root);
	return rc;
}
