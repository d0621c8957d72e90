/* crm sync: fetch, merge (records field by field), push.  It commits
 * nothing of the user's by surprise: uncommitted record edits stop it with
 * what to do, and nothing is pushed while a conflict stands.  Stage changes
 * and new deals the merge brought in from others run crm.ini's stage hook
 * here too.  Owners it never assigns: see README, Automations. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/check.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "crm/merge.h"
#include "crm/node.h"

static const char usage[] = "[--remote NAME] [--no-push]";

/* Uncommitted changes to record files, the only ones that stop a sync:
 * a merge would commit over them.  Untracked files and edits elsewhere (a
 * rendered PDF, README.md, crm.ini) are the user's business. */
struct dirty_records {
	const struct crm_repo *repo;
	const char *git_prefix;       /* the data repository below the work tree */
	size_t count;
};

static bool in_record_folder(const struct dirty_records *d, const char *path)
{
	size_t i, plen = strlen(d->git_prefix);

	if (strncmp(path, d->git_prefix, plen))
		return false;
	path += plen;
	for (i = 0; i < d->repo->schemas.len; i++) {
		const char *folder = d->repo->schemas.ptr[i].folder;
		size_t n = folder ? strlen(folder) : 0;
		if (n && !strncmp(path, folder, n) && path[n] == '/')
			return true;
	}
	return false;
}

static int show_dirty(const char *path, void *payload)
{
	struct dirty_records *d = payload;

	if (!in_record_folder(d, path))
		return 0;
	if (d->count++ < 10)
		fprintf(stderr, "  %s\n", path);
	return 0;
}

/* A field a merge left as {conflict: {ours, theirs, base}}, at any depth
 * (list items too); each printed as check locates it. */
static size_t conflicts_in(const struct crm_node *n, const char *path, size_t shown)
{
	size_t i, found = 0;

	if (!n || n->kind == CRM_NODE_SCALAR)
		return 0;
	for (i = 0; i < n->count; i++) {
		const struct crm_node *v = n->kind == CRM_NODE_MAP ? n->pairs[i].value : n->items[i];
		if (n->kind == CRM_NODE_MAP && v && v->kind == CRM_NODE_MAP && v->count == 1 &&
		    !strcmp(v->pairs[0].key->text, "conflict") &&
		    crm_node_get(v->pairs[0].value, "ours") && crm_node_get(v->pairs[0].value, "theirs")) {
			if (shown + found < 10)
				fprintf(stderr, "  %s:%d:%d: field '%s' has two values from a merge\n",
					path, v->line, v->col, n->pairs[i].key->text);
			found++;
			continue;
		}
		found += conflicts_in(v, path, shown + found);
	}
	return found;
}

struct unpushed {
	struct dirty_records where;   /* which paths are records */
	const char *workdir;
	size_t conflicts;
};

static int scan_unpushed(const char *path, void *payload)
{
	struct unpushed *u = payload;
	struct crm_buf text = CRM_BUF_INIT, full = CRM_BUF_INIT;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *root = NULL;
	size_t plen = strlen(path);

	if (!in_record_folder(&u->where, path) || plen < 5 || strcmp(path + plen - 5, ".yaml"))
		return 0;
	crm_diags_init(&diags);
	crm_buf_addf(&full, "%s%s", u->workdir, path);
	/* a file that does not read or parse is check's to report */
	if (!crm_buf_read_file(&text, full.ptr, CRM_YAML_MAX_BYTES) &&
	    !crm_yaml_parse(&root, &arena, text.ptr, text.len, path, &diags))
		u->conflicts += conflicts_in(root, path, u->conflicts);
	crm_diags_release(&diags);
	crm_arena_release(&arena);
	crm_buf_release(&text);
	crm_buf_release(&full);
	return 0;
}

/* Fields in conflict anywhere, as crm check finds them. */
static size_t checked_conflicts(struct crm_repo *repo)
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

/* Fields left in conflict by an earlier sync or git pull.  The tree is
 * clean by now, and such a field can only be in a file this branch
 * changed since the last fetch (one already on the remote is crm check's
 * to report; no push of ours adds it): those few files are read, not all
 * of them.  Without a remote-tracking branch, check looks at everything. */
static size_t standing_conflicts(struct crm_repo *repo, struct crm_git *git, const char *remote,
				 const struct dirty_records *where)
{
	struct unpushed u = { *where, crm_git_workdir(git), 0 };
	int err = crm_git_unpushed_files(git, remote, where->git_prefix, scan_unpushed, &u);

	if (!err)
		return u.conflicts;
	crm_error_clear();
	return checked_conflicts(repo);
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

	cli_error(st->ctx->command, "invoice number %s was issued here (%s, not yet pushed) and on %s; "
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

static int report(struct cli_ctx *ctx, const struct crm_sync_result *r, const char *remote)
{
	if (r->refused)
		return EXIT_PROBLEMS;   /* the clashes are printed: nothing merged */
	if (r->conflict_path[0]) {
		cli_error(ctx->command, "git could not merge '%s'; fix it, 'git add' it and 'git commit', "
			  "then run 'crm sync' again (nothing was pushed)", r->conflict_path);
		return EXIT_PROBLEMS;
	}
	if (r->field_conflicts) {
		cli_error(ctx->command, "merged, with %zu field%s in conflict: see 'crm check', settle "
			  "with 'crm resolve', then 'crm sync' again (nothing was pushed)",
			  r->field_conflicts, r->field_conflicts == 1 ? "" : "s");
		return EXIT_PROBLEMS;
	}
	printf("%s from %s%s", r->up_to_date ? "up to date" : r->fast_forward ? "fast-forwarded"
		: "merged", remote, r->pushed ? "; pushed" : "");
	if (r->attempts > 1)
		printf(" (after %d tries: others pushed meanwhile)", r->attempts);
	putchar('\n');
	return EXIT_OK;
}

int cmd_sync(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *remote = "origin";
	bool no_push = false;
	const struct cli_option opts[] = {
		{ "remote", 0, CLI_OPT_STRING, &remote, "NAME", "the remote (default origin)" },
		{ "no-push", 0, CLI_OPT_FLAG, &no_push, NULL, "fetch and merge only" },
		CLI_ARG(CLI_ARG_NONE, ""),
		CLI_OPT_END
	};
	struct crm_sync_result r;
	struct crm_git *git = NULL;
	struct crm_sync *sync = NULL;
	struct dirty_records dirty = { &ctx->repo, "", 0 };
	char *prefix = NULL, before[41];
	int err, rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	err = crm_git_open(&git, ctx->repo.root);
	if (!err)
		err = crm_git_register_merge(git, crm_merge_record);
	if (!err && crm_git_head(git, before, NULL))
		before[0] = '\0';   /* an unborn branch: nothing arrives "changed" */
	/* the fetch runs while the work tree is looked at */
	if (!err)
		err = crm_git_sync_start(&sync, git, remote, &r);
	if (!err) {
		prefix = crm_git_prefix(git, ctx->repo.root);
		dirty.git_prefix = prefix ? prefix : "";
		err = crm_git_status_dirty(git, prefix, show_dirty, &dirty);
	}
	if (!err && dirty.count) {
		cli_error(ctx->command, "%zu uncommitted change%s to records above; commit them "
			  "('git add -A -- PATH...' then 'git commit') or set them aside ('git "
			  "stash -u', later 'git stash pop') first: crm sync commits nothing of "
			  "yours", dirty.count, dirty.count == 1 ? "" : "s");
		rc = EXIT_PROBLEMS;
		goto done;
	}
	if (!err && standing_conflicts(&ctx->repo, git, remote, &dirty)) {
		cli_error(ctx->command, "fields above are still in conflict; settle them with "
			  "'crm resolve' first");
		rc = EXIT_PROBLEMS;
		goto done;
	}
	if (!err) {
		struct clash_state st = { ctx, remote, prefix };
		err = crm_git_sync_finish(sync, !no_push, invoice_clashes, &st);
		if (r.note[0])
			fprintf(stderr, "crm sync: note: %s\n", r.note);
		if (!err)
			/* lead assignment is not applied to what arrives: two
			 * clones could pick different owners for one lead from
			 * their own views of the load and meet in a conflict, and
			 * a sync commits nothing nobody asked for */
			cli_notify_stage_changes(ctx, git, dirty.git_prefix, before, "sync");
	}
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = EXIT_PROBLEMS;
	} else {
		rc = report(ctx, &r, remote);
	}
done:
	crm_git_sync_free(sync);
	free(prefix);
	crm_git_free(git);
	return rc;
}
