/* crm sync: fetch, merge (records field by field), push.  It commits
 * nothing of the user's by surprise: uncommitted record edits stop it with
 * what to do, and nothing is pushed while a conflict stands. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/check.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "crm/merge.h"

static const char usage[] = "[--remote NAME] [--no-push]";

static int show_dirty(const char *path, void *payload)
{
	size_t *shown = payload;
	if ((*shown)++ < 10)
		fprintf(stderr, "  %s\n", path);
	return 0;
}

/* Fields left in conflict by this or an earlier sync, counted by check. */
static size_t standing_conflicts(struct crm_repo *repo)
{
	struct crm_index_options o = CRM_INDEX_OPTIONS_INIT;
	struct crm_index *idx = NULL;
	struct crm_diags diags;
	size_t i, n = 0;

	o.git_dates = false;
	if (crm_index_load(&idx, repo, &o))
		return 0;
	crm_diags_init(&diags);
	crm_check_run(idx, &diags);
	for (i = 0; i < diags.list.len; i++) {
		if (!strcmp(diags.list.ptr[i].code, "merge-conflict")) {
			if (n++ < 10)
				fprintf(stderr, "  %s:%d:%d: %s\n", diags.list.ptr[i].path,
					diags.list.ptr[i].line, diags.list.ptr[i].col,
					diags.list.ptr[i].message);
		}
	}
	crm_diags_release(&diags);
	crm_index_free(idx);
	return n;
}

struct clash_state {
	struct cli_ctx *ctx;
	const char *remote;
	const char *git_prefix;       /* the data repository below the work tree */
};

static int show_clash(const char *number, const char *our_path, void *payload)
{
	const struct clash_state *st = payload;
	const char *rel = our_path + strlen(st->git_prefix);
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	int idlen = (int)(strlen(base) > 5 ? strlen(base) - 5 : strlen(base));

	cli_error("sync", "invoice number %s was issued here (%s, not yet pushed) and on %s; "
		  "give yours the next free number with 'crm invoice renumber %.*s', then "
		  "'crm sync' again", number, rel, st->remote, idlen, base);
	return 0;
}

/* Two people who issued invoices offline may have taken the same numbers:
 * a field merge cannot settle that, so the sync stops before merging. */
static int invoice_clashes(struct crm_git *git, const char *ours, const char *theirs,
			   void *payload)
{
	struct clash_state *st = payload;
	const struct crm_schema *s = crm_repo_schema(&st->ctx->repo, "invoice");
	struct crm_buf folder = CRM_BUF_INIT;
	int n;

	if (!s)
		return 0;
	crm_buf_addf(&folder, "%s%s/", st->git_prefix, s->folder);
	n = crm_invoice_clashes(git, folder.ptr, ours, theirs, show_clash, st);
	crm_buf_release(&folder);
	return n;
}

static int report(const struct crm_sync_result *r, const char *remote)
{
	if (r->refused)
		return EXIT_PROBLEMS;   /* the clashes are printed: nothing merged */
	if (r->conflict_path[0]) {
		cli_error("sync", "git could not merge '%s'; fix it, 'git add' it and 'git commit', "
			  "then run 'crm sync' again (nothing was pushed)", r->conflict_path);
		return EXIT_PROBLEMS;
	}
	if (r->field_conflicts) {
		cli_error("sync", "merged, with %zu field%s in conflict: see 'crm check', settle "
			  "with 'crm resolve', then 'crm sync' again (nothing was pushed)",
			  r->field_conflicts, r->field_conflicts == 1 ? "" : "s");
		return EXIT_PROBLEMS;
	}
	printf("%s from %s%s\n", r->up_to_date ? "up to date" : r->fast_forward ? "fast-forwarded"
		: "merged", remote, r->pushed ? "; pushed" : "");
	return EXIT_OK;
}

int cmd_sync(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *remote = "origin";
	bool no_push = false;
	const struct cli_option opts[] = {
		{ "remote", 0, CLI_OPT_STRING, &remote, "NAME", "the remote (default origin)" },
		{ "no-push", 0, CLI_OPT_FLAG, &no_push, NULL, "fetch and merge only" },
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	struct crm_sync_result r;
	struct crm_git *git = NULL;
	char *prefix = NULL;
	size_t dirty = 0, shown = 0;
	int err, rc = cli_parse("sync", usage, opts, argc, argv, &argc);

	if (rc)
		return rc == CLI_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	if (argc) {
		cli_usage(stderr, "sync", usage, opts);
		return EXIT_USAGE;
	}
	err = crm_git_open(&git, ctx->repo.root);
	if (!err)
		err = crm_git_register_merge(git, crm_merge_record);
	if (!err)
		prefix = crm_git_prefix(git, ctx->repo.root);
	if (!err)
		err = crm_git_dirty(git, prefix, show_dirty, &shown, &dirty);
	if (!err && dirty) {
		cli_error("sync", "%zu uncommitted change%s above; commit them ('git commit -a') "
			  "or set them aside ('git stash') first: crm sync commits nothing of "
			  "yours", dirty, dirty == 1 ? "" : "s");
		rc = EXIT_PROBLEMS;
		goto done;
	}
	if (!err && standing_conflicts(&ctx->repo)) {
		cli_error("sync", "fields above are still in conflict; settle them with "
			  "'crm resolve' first");
		rc = EXIT_PROBLEMS;
		goto done;
	}
	if (!err) {
		struct clash_state st = { ctx, remote, prefix };
		err = crm_git_sync(git, remote, !no_push, invoice_clashes, &st, &r);
	}
	if (err) {
		cli_error("sync", "%s", crm_error_last());
		rc = EXIT_PROBLEMS;
	} else {
		rc = report(&r, remote);
	}
done:
	free(prefix);
	crm_git_free(git);
	return rc;
}
