/* crm sync: fetch, merge with the upstream branch (record files merged
 * field by field through a merge driver), push, and again while other
 * writers win the race to the remote.  How it reaches the remote (the
 * system's git or libgit2's clients) is git_transport.c's. */
#include <errno.h>
#include <git2.h>
#include <git2/sys/merge.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/git.h"
#include "core/git/git_internal.h"
#include "core/git/git_transport.h"

/* ---- sync: fetch, merge, push ---- */

typedef int (*record_merge_fn)(struct crm_buf *out, size_t *conflicts, const char *base,
			       size_t base_len, const char *ours, size_t ours_len,
			       const char *theirs, size_t theirs_len);

static record_merge_fn record_merge;
static size_t merge_conflicts;

static int read_entry(git_repository *repo, const git_index_entry *e, git_blob **out)
{
	*out = NULL;
	return e ? git_blob_lookup(out, repo, &e->id) : 0;
}

static int driver_apply(git_merge_driver *self, const char **path_out, uint32_t *mode_out,
			git_buf *merged_out, const char *filter_name,
			const git_merge_driver_source *src)
{
	git_repository *repo = (git_repository *)git_merge_driver_source_repo(src);
	const git_index_entry *o = git_merge_driver_source_ours(src);
	const git_index_entry *t = git_merge_driver_source_theirs(src);
	const git_index_entry *b = git_merge_driver_source_ancestor(src);
	git_blob *ob = NULL, *tb = NULL, *bb = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	size_t conflicts = 0;
	int rc = GIT_PASSTHROUGH;

	(void)self;
	(void)filter_name;
	if (!o || !t || read_entry(repo, o, &ob) || read_entry(repo, t, &tb) ||
	    read_entry(repo, b, &bb))
		goto done;
	if (record_merge(&out, &conflicts, bb ? git_blob_rawcontent(bb) : "",
			 bb ? (size_t)git_blob_rawsize(bb) : 0, git_blob_rawcontent(ob),
			 (size_t)git_blob_rawsize(ob), git_blob_rawcontent(tb),
			 (size_t)git_blob_rawsize(tb)))
		goto done;   /* a version that does not parse: git's own conflict */
	merge_conflicts += conflicts;
	*path_out = o->path;
	*mode_out = o->mode;
	rc = git_buf_set(merged_out, out.ptr, out.len) < 0 ? -1 : 0;
done:
	crm_buf_release(&out);
	git_blob_free(ob);
	git_blob_free(tb);
	git_blob_free(bb);
	return rc;
}

static git_merge_driver crm_driver = { GIT_MERGE_DRIVER_VERSION, NULL, NULL, driver_apply };

int crm_git_register_merge(struct crm_git *g, record_merge_fn merge)
{
	int rc;
	/* registered drivers live until libgit2 shuts down, which happens when
	 * the last crm_git is freed: hence the open repository */
	(void)g;
	record_merge = merge;
	rc = git_merge_driver_register("crm", &crm_driver);
	return rc < 0 && rc != GIT_EEXISTS ? git_fail(CRM_ERROR, "cannot register the merge driver")
					  : 0;
}

static int current_branch(git_repository *repo, char *out, size_t size)
{
	git_reference *head = NULL;
	int rc = git_repository_head(&head, repo);
	if (rc == GIT_EUNBORNBRANCH || rc < 0) {
		git_reference_free(head);
		return crm_error_set(CRM_ENOTFOUND, "there is no commit to sync yet");
	}
	if (!git_reference_is_branch(head)) {
		git_reference_free(head);
		return crm_error_set(CRM_EINVALID, "HEAD is detached; check out a branch first");
	}
	snprintf(out, size, "%s", git_reference_shorthand(head));
	git_reference_free(head);
	return 0;
}

/* ---- the branch a sync follows ---- */


static void tracking_ref(git_remote *remote, const char *remote_name, struct sync_target *t)
{
	size_t i, n = git_remote_refspec_count(remote);

	for (i = 0; i < n; i++) {
		const git_refspec *spec = git_remote_get_refspec(remote, i);
		git_buf out = { 0 };
		if (git_refspec_direction(spec) != GIT_DIRECTION_FETCH ||
		    !git_refspec_src_matches(spec, t->remote_ref) ||
		    git_refspec_transform(&out, spec, t->remote_ref) < 0) {
			git_buf_dispose(&out);
			continue;
		}
		snprintf(t->tracking, sizeof(t->tracking), "%s", out.ptr);
		git_buf_dispose(&out);
		return;
	}
	snprintf(t->tracking, sizeof(t->tracking), "refs/remotes/%s/%s", remote_name,
		 t->remote_ref + strlen("refs/heads/"));
}

static int find_target(git_repository *repo, git_remote *remote, const char *remote_name,
		       struct sync_target *t)
{
	git_config *cfg = NULL;
	git_buf up_remote = { 0 }, up_merge = { 0 };
	char key[320];
	int err = current_branch(repo, t->branch, sizeof(t->branch));

	if (err)
		return err;
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return git_fail(CRM_EIO, "cannot read git's configuration");
	snprintf(key, sizeof(key), "branch.%s.remote", t->branch);
	t->has_upstream = !git_config_get_string_buf(&up_remote, cfg, key);
	snprintf(key, sizeof(key), "branch.%s.merge", t->branch);
	if (t->has_upstream && !strcmp(up_remote.ptr, remote_name) &&
	    !git_config_get_string_buf(&up_merge, cfg, key) &&
	    !strncmp(up_merge.ptr, "refs/heads/", 11))
		snprintf(t->remote_ref, sizeof(t->remote_ref), "%s", up_merge.ptr);
	else
		snprintf(t->remote_ref, sizeof(t->remote_ref), "refs/heads/%s", t->branch);
	git_error_clear();
	tracking_ref(remote, remote_name, t);
	snprintf(t->display, sizeof(t->display), "%s/%s", remote_name,
		 t->remote_ref + strlen("refs/heads/"));
	git_buf_dispose(&up_remote);
	git_buf_dispose(&up_merge);
	git_config_free(cfg);
	return 0;
}

/* After the first push, as `git push -u` does: a later plain `git pull`
 * or `git status` then knows the branch's upstream. */
static int set_upstream(git_repository *repo, const char *remote_name,
			const struct sync_target *t)
{
	git_config *cfg = NULL;
	char key[320];
	int err = 0;

	if (t->has_upstream)
		return 0;
	if (git_repository_config(&cfg, repo) < 0)
		return git_fail(CRM_EIO, "cannot open git's configuration");
	snprintf(key, sizeof(key), "branch.%s.remote", t->branch);
	if (git_config_set_string(cfg, key, remote_name) < 0)
		err = git_fail(CRM_EIO, "cannot set the branch's upstream");
	snprintf(key, sizeof(key), "branch.%s.merge", t->branch);
	if (!err && git_config_set_string(cfg, key, t->remote_ref) < 0)
		err = git_fail(CRM_EIO, "cannot set the branch's upstream");
	git_config_free(cfg);
	return err;
}

int crm_git_unpushed_files(struct crm_git *g, const char *remote_name, const char *prefix,
			   int (*cb)(const char *path, void *payload), void *payload)
{
	git_remote *remote = NULL;
	git_commit *ours = NULL, *theirs = NULL;
	git_tree *ours_tree = NULL, *theirs_tree = NULL;
	git_diff *diff = NULL;
	git_diff_options o;
	struct sync_target t;
	git_oid head, up;
	char *spec[1] = { (char *)prefix };
	size_t i, n;
	int err = 0;

	memset(&t, 0, sizeof(t));
	if (git_remote_lookup(&remote, g->repo, remote_name) < 0)
		return crm_error_set(CRM_ENOTFOUND, "no remote '%s'", remote_name);
	err = find_target(g->repo, remote, remote_name, &t);
	if (!err && git_reference_name_to_id(&up, g->repo, t.tracking) < 0)
		err = crm_error_set(CRM_ENOTFOUND, "no remote-tracking branch '%s'", t.tracking);
	if (!err && (git_reference_name_to_id(&head, g->repo, "HEAD") < 0 ||
		     git_commit_lookup(&ours, g->repo, &head) < 0 ||
		     git_commit_lookup(&theirs, g->repo, &up) < 0 ||
		     git_commit_tree(&ours_tree, ours) < 0 || git_commit_tree(&theirs_tree, theirs) < 0))
		err = git_fail(CRM_EIO, "cannot read the commits to compare");
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	if (prefix && *prefix) {
		o.pathspec.strings = spec;
		o.pathspec.count = 1;
		o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	if (!err && git_diff_tree_to_tree(&diff, g->repo, theirs_tree, ours_tree, &o) < 0)
		err = git_fail(CRM_EIO, "cannot compare with the remote");
	n = diff ? git_diff_num_deltas(diff) : 0;
	for (i = 0; i < n && !err; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status != GIT_DELTA_DELETED)
			err = cb(d->new_file.path, payload);
	}
	git_diff_free(diff);
	git_tree_free(ours_tree);
	git_tree_free(theirs_tree);
	git_commit_free(ours);
	git_commit_free(theirs);
	git_remote_free(remote);
	return err;
}

/* ---- merging what was fetched ---- */

/* Collects the first paths a checkout refused to overwrite. */
static int note_blocked(git_checkout_notify_t why, const char *path, const git_diff_file *baseline,
			const git_diff_file *target, const git_diff_file *workdir, void *payload)
{
	struct crm_buf *paths = payload;

	(void)why;
	(void)baseline;
	(void)target;
	(void)workdir;
	if (paths->len < 400)
		crm_buf_addf(paths, "%s'%s'", paths->len ? ", " : "", path);
	return 0;
}

static void paths_free(git_strarray *paths)
{
	size_t i;
	for (i = 0; i < paths->count; i++)
		free(paths->strings[i]);
	free(paths->strings);
	paths->strings = NULL;
	paths->count = 0;
}

/* The paths that differ between HEAD's tree and commit `target`'s (both
 * sides of a rename): all a checkout from one to the other may touch. */
static int changed_paths(git_strarray *out, git_repository *repo, git_commit *target)
{
	git_commit *head = NULL;
	git_tree *from = NULL, *to = NULL;
	git_diff *diff = NULL;
	git_oid head_id;
	size_t i, n = 0;
	int rc;

	out->strings = NULL;
	out->count = 0;
	rc = git_reference_name_to_id(&head_id, repo, "HEAD");
	if (!rc)
		rc = git_commit_lookup(&head, repo, &head_id);
	if (!rc)
		rc = git_commit_tree(&from, head);
	if (!rc)
		rc = git_commit_tree(&to, target);
	if (!rc)
		rc = git_diff_tree_to_tree(&diff, repo, from, to, NULL);
	if (!rc)
		n = git_diff_num_deltas(diff);
	if (!rc && n && !(out->strings = calloc(2 * n, sizeof(*out->strings))))
		rc = -1;
	for (i = 0; !rc && i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (!(out->strings[out->count++] = strdup(d->old_file.path)))
			rc = -1;
		else if (strcmp(d->old_file.path, d->new_file.path) &&
			 !(out->strings[out->count++] = strdup(d->new_file.path)))
			rc = -1;
	}
	if (rc)
		paths_free(out);
	git_diff_free(diff);
	git_tree_free(to);
	git_tree_free(from);
	git_commit_free(head);
	return rc;
}

/* Checks out commit `target` over HEAD's tree and moves the branch there.
 * Safe: a file with uncommitted edits (or an untracked file) that the move
 * would overwrite stops it before anything changes, and edits to other
 * files, staged or not, stay as they are.  Only the paths the two trees
 * differ in are looked at: libgit2 would otherwise stat every file of the
 * work tree, which is most of what a sync of a few records costs. */
static int move_head(git_repository *repo, const git_oid *target, const char *why)
{
	git_checkout_options co;
	git_object *obj = NULL;
	git_reference *head = NULL, *moved = NULL;
	struct crm_buf blocked = CRM_BUF_INIT;
	git_strarray paths = { NULL, 0 };
	int rc, err = 0;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	co.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
	co.notify_cb = note_blocked;
	co.notify_payload = &blocked;
	if (git_object_lookup(&obj, repo, target, GIT_OBJECT_COMMIT) < 0 ||
	    changed_paths(&paths, repo, (git_commit *)obj) < 0) {
		err = git_fail(CRM_EIO, why);
		goto done;
	}
	co.paths = paths;
	co.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	/* the same tree (a merge that took nothing): no file to touch */
	rc = paths.count ? git_checkout_tree(repo, obj, &co) : 0;
	if (rc == GIT_ECONFLICT && blocked.len) {
		err = crm_error_set(CRM_ECONFLICT, "the remote changed %s, which you changed too "
				    "and have not committed; commit that ('git add' and 'git "
				    "commit') or set it aside ('git stash -u'), then 'crm sync' "
				    "again (nothing was merged or pushed)", blocked.ptr);
		goto done;
	}
	if (rc < 0 || git_repository_head(&head, repo) < 0 ||
	    git_reference_set_target(&moved, head, target, why) < 0)
		err = git_fail(CRM_EIO, why);
done:
	paths_free(&paths);
	crm_buf_release(&blocked);
	git_reference_free(moved);
	git_reference_free(head);
	git_object_free(obj);
	return err;
}

static int first_conflict(git_index *index, struct crm_sync_result *r)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *a, *o, *t;
	if (git_index_conflict_iterator_new(&it, index) < 0)
		return 0;
	if (!git_index_conflict_next(&a, &o, &t, it)) {
		const git_index_entry *e = o ? o : t ? t : a;
		snprintf(r->conflict_path, sizeof(r->conflict_path), "%s", e->path);
	}
	git_index_conflict_iterator_free(it);
	return 0;
}

/* A merge git cannot finish (a file edited on one side and deleted on the
 * other, a record that does not parse): done in the work tree, leaving
 * git's merge state (MERGE_HEAD, the conflicted index) for the user. */
static int merge_in_worktree(struct crm_git *g, const git_annotated_commit *theirs,
			     struct crm_sync_result *r)
{
	git_merge_options mo;
	git_checkout_options co;
	git_index *index = NULL;

	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_ALLOW_CONFLICTS;
	merge_conflicts = 0;
	if (git_merge(g->repo, &theirs, 1, &mo, &co) < 0)
		return git_fail(CRM_ECONFLICT, "cannot merge");
	r->field_conflicts = merge_conflicts;
	if (git_repository_index(&index, g->repo) < 0)
		return git_fail(CRM_EIO, "cannot read the index");
	first_conflict(index, r);
	git_index_free(index);
	return 0;
}

/* Whether paths `a` and `b` are one file, or one is a folder of the other:
 * changes to them meet. */
static bool paths_meet(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;

	return !strncmp(a, b, n) && (la == lb || (la < lb ? b[la] : a[lb]) == '/');
}

/* Whether delta `d` is a plain change of a file a tree update can replay:
 * added, changed or removed, a file or link on both sides. */
static bool replayable(const git_diff_delta *d)
{
	git_filemode_t m = d->status == GIT_DELTA_DELETED ? d->old_file.mode : d->new_file.mode;

	return (d->status == GIT_DELTA_ADDED || d->status == GIT_DELTA_MODIFIED ||
		d->status == GIT_DELTA_DELETED) &&
	       (m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE ||
		m == GIT_FILEMODE_LINK);
}

/* What `to` changed since `from`, files only (a change of kind is one
 * delta, for replayable to refuse). */
static int tree_changes(git_diff **out, git_repository *repo, git_tree *from, git_tree *to)
{
	git_diff_options o;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags |= GIT_DIFF_INCLUDE_TYPECHANGE;
	return git_diff_tree_to_tree(out, repo, from, to, &o);
}

/* Replays the changes `mine` on `theirs`' tree; 1 when it could (no path
 * of one meets a path of the other), 0 when a full merge must decide. */
static int replay_changes(git_oid *out, git_repository *repo, git_tree *theirs,
			  git_diff *mine, git_diff *other)
{
	size_t i, j, n = git_diff_num_deltas(mine), m = git_diff_num_deltas(other);
	git_tree_update *up;
	int rc = 1;

	/* comparing every pair is cheap for the few files a sync brings */
	if ((uint64_t)n * m > 1000000)
		return 0;
	if (!(up = calloc(n ? n : 1, sizeof(*up))))
		return oom();
	for (i = 0; rc == 1 && i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(mine, i);
		if (!replayable(d))
			rc = 0;
		for (j = 0; rc == 1 && j < m; j++)
			if (paths_meet(d->new_file.path, git_diff_get_delta(other, j)->new_file.path))
				rc = 0;
		up[i].path = d->new_file.path;
		if (d->status == GIT_DELTA_DELETED) {
			up[i].action = GIT_TREE_UPDATE_REMOVE;
		} else {
			up[i].action = GIT_TREE_UPDATE_UPSERT;
			git_oid_cpy(&up[i].id, &d->new_file.id);
			up[i].filemode = d->new_file.mode;
		}
	}
	if (rc == 1 && git_tree_create_updated(out, repo, theirs, n, up) < 0)
		rc = git_fail(CRM_EIO, "cannot write the merge");
	free(up);
	return rc;
}

/* The tree of a merge of two histories that changed different files:
 * `theirs`' tree with what `ours` changed since their one merge base, as a
 * three-way merge makes it, reading only the folders that changed
 * (libgit2's merge reads every entry of all three trees and builds an
 * index of the whole tree).  1 when done, 0 when the two sides changed
 * the same file (or a file and a folder of one name, or a file's kind),
 * or the history has several merge bases: the full merge decides. */
static int disjoint_merge_tree(git_oid *out, git_repository *repo, git_commit *ours,
			       git_commit *theirs)
{
	git_oidarray bases = { NULL, 0 };
	git_commit *base = NULL;
	git_tree *bt = NULL, *ot = NULL, *tt = NULL;
	git_diff *mine = NULL, *other = NULL;
	int rc = 0;

	if (git_merge_bases(&bases, repo, git_commit_id(ours), git_commit_id(theirs)) < 0 ||
	    bases.count != 1) {
		git_error_clear();
		goto done;
	}
	if (git_commit_lookup(&base, repo, &bases.ids[0]) < 0 || git_commit_tree(&bt, base) < 0 ||
	    git_commit_tree(&ot, ours) < 0 || git_commit_tree(&tt, theirs) < 0 ||
	    tree_changes(&mine, repo, bt, ot) < 0 || tree_changes(&other, repo, bt, tt) < 0) {
		rc = git_fail(CRM_EIO, "cannot compare the commits to merge");
		goto done;
	}
	rc = replay_changes(out, repo, tt, mine, other);
done:
	git_diff_free(other);
	git_diff_free(mine);
	git_tree_free(tt);
	git_tree_free(ot);
	git_tree_free(bt);
	git_commit_free(base);
	git_oidarray_dispose(&bases);
	return rc;
}

/* Merges `theirs` into HEAD.  The merge is made from the two commits alone
 * (records field by field), committed, then checked out: what the user
 * has staged or edited outside the merged files is neither committed nor
 * touched.  Fields in conflict are committed as the record merge wrote
 * them (crm check reports them; nothing is pushed). */
static int merge_commit(struct crm_git *g, const git_annotated_commit *theirs, const char *name,
			struct crm_sync_result *r)
{
	git_merge_options mo;
	git_index *merged = NULL;
	git_commit *ours = NULL, *other = NULL;
	git_tree *tree = NULL;
	struct commit_meta meta = { 0 };
	git_oid tree_id, id, head_id;
	const git_commit *parents[2];
	char msg[700];
	int disjoint, err = 0;

	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	if (git_reference_name_to_id(&head_id, g->repo, "HEAD") < 0 ||
	    git_commit_lookup(&ours, g->repo, &head_id) < 0 ||
	    git_commit_lookup(&other, g->repo, git_annotated_commit_id(theirs)) < 0) {
		err = git_fail(CRM_EIO, "cannot read the commits to merge");
		goto done;
	}
	merge_conflicts = 0;
	disjoint = disjoint_merge_tree(&tree_id, g->repo, ours, other);
	if (disjoint < 0) {
		err = disjoint;
		goto done;
	}
	if (!disjoint && git_merge_commits(&merged, g->repo, ours, other, &mo) < 0) {
		err = git_fail(CRM_ECONFLICT, "cannot merge");
		goto done;
	}
	if (!disjoint && git_index_has_conflicts(merged)) {
		err = merge_in_worktree(g, theirs, r);
		goto done;
	}
	r->field_conflicts = merge_conflicts;
	snprintf(msg, sizeof(msg), "crm: sync: merge %s", name);
	err = crm_git_meta_init(&meta, g, msg);
	if (!err && !disjoint && git_index_write_tree_to(&tree_id, merged, g->repo) < 0)
		err = git_fail(CRM_EIO, "cannot write the merge");
	if (!err && git_tree_lookup(&tree, g->repo, &tree_id) < 0)
		err = git_fail(CRM_EIO, "cannot write the merge");
	parents[0] = ours;
	parents[1] = other;
	if (!err && git_commit_create(&id, g->repo, NULL, meta.author, meta.committer,
				      NULL, meta.message.ptr, tree, 2, parents) < 0)
		err = git_fail(CRM_EIO, "cannot commit the merge");
	if (!err)
		err = move_head(g->repo, &id, "crm sync: merge");
	r->merged = !err;
done:
	crm_git_meta_release(&meta);
	git_tree_free(tree);
	git_commit_free(ours);
	git_commit_free(other);
	git_index_free(merged);
	return err;
}

static int merge_upstream(struct crm_git *g, const struct sync_target *t,
			  crm_git_merge_hook hook, void *payload, struct crm_sync_result *r)
{
	git_reference *up = NULL;
	git_annotated_commit *ac = NULL;
	git_merge_analysis_t analysis;
	git_merge_preference_t pref;
	int err = 0;

	if (git_reference_lookup(&up, g->repo, t->tracking) < 0) {
		git_error_clear();
		r->up_to_date = true;   /* the remote has no such branch yet */
		return 0;
	}
	if (git_annotated_commit_from_ref(&ac, g->repo, up) < 0 ||
	    git_merge_analysis(&analysis, &pref, g->repo, (const git_annotated_commit **)&ac, 1) < 0)
		err = git_fail(CRM_EIO, "cannot compare with the remote");
	else if (analysis & GIT_MERGE_ANALYSIS_UP_TO_DATE)
		r->up_to_date = true;
	else if (analysis & GIT_MERGE_ANALYSIS_FASTFORWARD) {
		err = move_head(g->repo, git_annotated_commit_id(ac), "crm sync: fast-forward");
		r->fast_forward = !err;
	} else {
		char ours[41], theirs[41];
		git_oid head;
		git_oid_tostr(theirs, sizeof(theirs), git_annotated_commit_id(ac));
		if (git_reference_name_to_id(&head, g->repo, "HEAD") < 0) {
			err = git_fail(CRM_EIO, "cannot read HEAD");
			goto done;
		}
		git_oid_tostr(ours, sizeof(ours), &head);
		/* the caller may find what a merge of records cannot settle */
		if (hook && (err = hook(g, ours, theirs, payload)) > 0) {
			r->refused = true;
			err = 0;
		} else if (!err) {
			err = merge_commit(g, ac, t->display, r);
		}
	}
done:
	git_annotated_commit_free(ac);
	git_reference_free(up);
	return err;
}

/* ---- the sync ---- */

/* How many times a sync fetches, merges and pushes before it gives up on
 * a remote that other writers keep moving, and how long it waits between
 * tries: doubling from 50 ms up to 1.6 s, each wait scattered by ±50% so
 * that writers who collided once do not collide again in step. */
enum { SYNC_TRIES = 10 };

static int sync_tries(void)
{
	const char *env = getenv("CRM_SYNC_TRIES");
	long n = env ? strtol(env, NULL, 10) : SYNC_TRIES;
	return n >= 1 && n <= 100 ? (int)n : SYNC_TRIES;
}

static void back_off(int attempt, unsigned int *seed)
{
	long ms = 50L << (attempt <= 6 ? attempt - 1 : 5);
	struct timespec ts;

	ms = ms / 2 + (long)(rand_r(seed) % (unsigned int)ms);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

struct crm_sync {
	struct crm_git *g;
	git_remote *remote;
	const char *remote_name;
	bool system_git;
	struct sync_target target;
	struct cred_state cs;
	struct fetch_run first;        /* started by crm_git_sync_start */
	bool first_pending;
	struct crm_sync_result *r;
};

/* The first round's fetch was started with the sync; later rounds fetch
 * start to finish. */
static int fetch(struct crm_sync *s)
{
	struct fetch_run f;
	int err;

	if (s->first_pending) {
		s->first_pending = false;
		return crm_transport_fetch_finish(&s->first, s->remote, s->remote_name,
						  s->system_git, &s->cs);
	}
	err = crm_transport_fetch_start(&f, s->g->repo, s->remote_name, s->system_git);
	return err ? err : crm_transport_fetch_finish(&f, s->remote, s->remote_name, s->system_git,
						      &s->cs);
}

static int push(struct crm_sync *s, enum push_outcome *out)
{
	return crm_transport_push(out, s->g->repo, s->remote, s->remote_name, s->system_git,
				  &s->target, &s->cs);
}

int crm_git_sync_start(struct crm_sync **out, struct crm_git *g, const char *remote_name,
		       struct crm_sync_result *r)
{
	struct crm_sync *s;
	const char *url, *colon;
	int err;

	memset(r, 0, sizeof(*r));
	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return crm_error_set(CRM_ENOMEM, "out of memory");
	s->g = g;
	s->remote_name = remote_name;
	s->r = r;
	s->cs.result = r;
	if (git_remote_lookup(&s->remote, g->repo, remote_name) < 0) {
		free(s);
		return crm_error_set(CRM_ENOTFOUND, "no remote '%s'; add one with 'git remote add "
				     "%s URL'", remote_name, remote_name);
	}
	err = find_target(g->repo, s->remote, remote_name, &s->target);
	url = git_remote_url(s->remote) ? git_remote_url(s->remote) : "";
	if (!err)
		err = crm_transport_choose(&s->system_git, url, r);
	colon = !strncmp(url, "ssh://", 6) ? strchr(strchr(url + 6, '@') ?
		strchr(url + 6, '@') : url + 6, ':') : NULL;
	s->cs.port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
	if (!err)
		err = crm_transport_fetch_start(&s->first, g->repo, remote_name, s->system_git);
	s->first_pending = !err;
	if (err) {
		crm_git_sync_free(s);
		return err;
	}
	*out = s;
	return 0;
}

int crm_git_sync_finish(struct crm_sync *s, bool want_push, crm_git_merge_hook hook,
			void *payload)
{
	struct crm_sync_result *r = s->r;
	unsigned int seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);
	int err = 0, tries = sync_tries();

	for (r->attempts = 1; !err; r->attempts++) {
		enum push_outcome pushed;
		bool merged = r->merged, ff = r->fast_forward;

		r->up_to_date = false;
		err = fetch(s);
		if (err)
			break;
		r->fetched = true;
		err = merge_upstream(s->g, &s->target, hook, payload, r);
		r->merged |= merged;
		r->fast_forward |= ff;
		if (err || !want_push || r->refused || r->field_conflicts || r->conflict_path[0])
			break;
		err = push(s, &pushed);
		if (err || pushed == PUSHED) {
			r->pushed = !err;
			break;
		}
		if (r->attempts >= tries) {
			err = crm_error_set(CRM_ECONFLICT, "the remote refused the push (%s); gave up "
					    "after %d tries while others kept pushing: nothing of "
					    "yours is lost, run 'crm sync' again", r->message,
					    r->attempts);
			break;
		}
		back_off(r->attempts, &seed);
	}
	if (!err && r->pushed)
		err = set_upstream(s->g->repo, s->remote_name, &s->target);
	return err;
}

void crm_git_sync_free(struct crm_sync *s)
{
	if (!s)
		return;
	if (s->first_pending)
		crm_transport_fetch_abandon(&s->first, s->remote_name);
	git_remote_free(s->remote);
	free(s);
}

int crm_git_sync(struct crm_git *g, const char *remote_name, bool want_push,
		 crm_git_merge_hook hook, void *payload, struct crm_sync_result *r)
{
	struct crm_sync *s;
	int err = crm_git_sync_start(&s, g, remote_name, r);

	if (!err)
		err = crm_git_sync_finish(s, want_push, hook, payload);
	crm_git_sync_free(s);
	return err;
}
