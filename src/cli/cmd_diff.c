/* crm diff [REV]: what changed in the work tree since REV (default HEAD),
 * as records and fields rather than lines of text. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/merge.h"

static const char usage[] = "[REV]";

struct diff_ctx {
	struct cli_ctx *cli;
	size_t prefix_len;
	size_t records;
};

/* "opportunity/acme-web" for a record file path, or NULL for other files. */
static bool record_name(struct crm_buf *out, struct cli_ctx *ctx, const char *rel)
{
	const char *slash = strchr(rel, '/'), *base = strrchr(rel, '/');
	const struct crm_schema *s;
	char folder[128];
	size_t n = strlen(rel);

	if (!slash || n < 6 || strcmp(rel + n - 5, ".yaml") ||
	    (size_t)(slash - rel) >= sizeof(folder))
		return false;
	snprintf(folder, sizeof(folder), "%.*s", (int)(slash - rel), rel);
	s = crm_repo_schema_by_folder(&ctx->repo, folder);
	if (!s)
		return false;
	crm_buf_addf(out, "%s/%.*s", s->type, (int)(strlen(base + 1) - 5), base + 1);
	return true;
}

static int print_change(const struct crm_git_change *c, void *payload)
{
	struct diff_ctx *d = payload;
	struct crm_buf name = CRM_BUF_INIT, lines = CRM_BUF_INIT;
	const char *path = (c->new_path ? c->new_path : c->old_path) + d->prefix_len;
	size_t n = 0;

	if (record_name(&name, d->cli, path) &&
	    !crm_record_diff(&lines, &n, "  ", c->old_text, c->old_len, c->new_text, c->new_len) &&
	    (n || !c->old_path || !c->new_path)) {
		printf("%s %s (%s)\n%s", !c->old_path ? "added" : !c->new_path ? "removed"
			: "changed", name.ptr, path, lines.ptr);
		d->records++;
	}
	crm_buf_release(&name);
	crm_buf_release(&lines);
	return 0;
}

int cmd_diff(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = { { NULL, 0, 0, NULL, NULL, NULL } };
	struct diff_ctx d = { ctx, 0, 0 };
	struct crm_git *git = NULL;
	char *prefix = NULL;
	int err, rc = cli_parse("diff", usage, opts, argc, argv, &argc);

	if (rc)
		return rc == CLI_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	if (argc > 1) {
		cli_usage(stderr, "diff", usage, opts);
		return EXIT_USAGE;
	}
	err = crm_git_open(&git, ctx->repo.root);
	if (!err) {
		prefix = crm_git_prefix(git, ctx->repo.root);
		d.prefix_len = prefix ? strlen(prefix) : 0;
		err = crm_git_diff_workdir(git, argc ? argv[0] : NULL, prefix, print_change, &d);
	}
	if (err)
		cli_error("diff", "%s", crm_error_last());
	free(prefix);
	crm_git_free(git);
	return err ? EXIT_USAGE : EXIT_OK;
}
