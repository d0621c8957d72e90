/* What git remembers: when each record file was added and the version it
 * had then, a commit resolved from a name or a date (--at), files read and
 * listed as they stood in a commit, one file's log, a diff to the work tree.
 * About 800 lines: its two sections (history walks, the version each file
 * had when added) share the walk and tree-reading helpers of this file. */
#include <git2.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm/arena.h"
#include "crm/buf.h"
#include "crm/date.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/map.h"
#include "core/git/git_internal.h"

/* A history that cannot be read is an error, never a shorter history: the
 * failure names the commit and the path it was reading. */
static int history_fail(const git_oid *commit, const char *path)
{
	const git_error *e = git_error_last();
	const char *why = e && e->message ? e->message : "git error";

	if (path)
		return crm_error_set(CRM_EIO, "cannot read '%s' in commit %.8s: %s", path,
				     git_oid_tostr_s(commit), why);
	return crm_error_set(CRM_EIO, "cannot read commit %.8s: %s", git_oid_tostr_s(commit),
			     why);
}

struct locate_state {
	git_repository *repo;
	const char *base;         /* "" or "a/b/": where the walked tree stands */
	struct crm_buf path;      /* the folder that cannot be read, once found */
};

static int locate_entry(const char *root, const git_tree_entry *e, void *payload)
{
	struct locate_state *st = payload;
	git_tree *sub = NULL;

	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return 0;
	if (!git_tree_lookup(&sub, st->repo, git_tree_entry_id(e))) {
		git_tree_free(sub);
		return 0;
	}
	crm_buf_addf(&st->path, "%s%s%s/", st->base, root, git_tree_entry_name(e));
	return -1;
}

/* history_fail for an operation on the whole `tree` of `commit` (a diff, a
 * walk) that failed without saying where: the first folder below it whose
 * object cannot be read is named; `base` is where `tree` stands ("" for
 * the commit's root). */
static int tree_fail(git_repository *repo, git_tree *tree, const git_oid *commit,
		     const char *base)
{
	struct locate_state st;
	char *why = NULL;
	int err;

	/* the message of the failure the caller met, should nothing be found */
	if (git_error_last() && git_error_last()->message)
		why = strdup(git_error_last()->message);
	st.repo = repo;
	st.base = base;
	crm_buf_init(&st.path);
	git_tree_walk(tree, GIT_TREEWALK_PRE, locate_entry, &st);
	if (st.path.len)
		err = history_fail(commit, st.path.ptr);
	else if (*base)
		err = crm_error_set(CRM_EIO, "cannot read '%s' in commit %.8s: %s", base,
				    git_oid_tostr_s(commit), why ? why : "git error");
	else
		err = crm_error_set(CRM_EIO, "cannot read commit %.8s: %s",
				    git_oid_tostr_s(commit), why ? why : "git error");
	crm_buf_release(&st.path);
	free(why);
	return err;
}

/* Whether git_tree_entry_bypath's GIT_ENOTFOUND means the path is not in
 * the tree (a tree error) rather than a folder's object missing (an odb
 * error). */
static bool path_absent(int rc)
{
	const git_error *e = git_error_last();
	return rc == GIT_ENOTFOUND && e && e->klass == GIT_ERROR_TREE;
}

/* ---- history ---- */

struct added_state {
	struct crm_map paths;     /* path -> struct added (NULL once deleted) */
	struct crm_arena arena;
	struct added *now;        /* the date of the commit being read */
};

struct added {
	int64_t when;
	int32_t offset;
};

/* Records `date` for `path`; NULL marks it deleted. */
static int remember_path(struct added_state *st, const char *path, struct added *date)
{
	const char *key = path;

	if (date && !crm_map_get(&st->paths, path)) {
		/* a new key must outlive the diff it came from */
		key = crm_arena_strdup(&st->arena, path);
		if (!key)
			return -1;
	}
	if (!date && !crm_map_get(&st->paths, path))
		return 0;
	/* an existing key stays the map's key; only the value changes */
	return crm_map_put(&st->paths, key, date, NULL) ? -1 : 0;
}

static int on_delta(const git_diff_delta *d, float progress, void *payload)
{
	struct added_state *st = payload;
	struct added *was;

	(void)progress;
	switch (d->status) {
	case GIT_DELTA_DELETED:
		return remember_path(st, d->old_file.path, NULL);
	case GIT_DELTA_ADDED:
		return remember_path(st, d->new_file.path, st->now);
	case GIT_DELTA_RENAMED:
		was = crm_map_get(&st->paths, d->old_file.path);
		if (remember_path(st, d->old_file.path, NULL))
			return -1;
		return remember_path(st, d->new_file.path, was ? was : st->now);
	default:
		return 0;
	}
}

static int diff_commit(git_repository *repo, git_commit *c, struct added_state *st)
{
	const git_signature *author = git_commit_author(c);
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	git_diff_find_options fo;
	git_diff_options dopts;
	size_t i, n;
	bool deletions = false;
	int rc;

	st->now = crm_arena_alloc(&st->arena, sizeof(*st->now));
	if (!st->now)
		return -1;
	st->now->when = (int64_t)author->when.time;
	st->now->offset = author->when.offset;
	rc = git_commit_tree(&tree, c);
	if (!rc && git_commit_parentcount(c) > 0) {
		rc = git_commit_parent(&parent, c, 0);
		if (!rc)
			rc = git_commit_tree(&ptree, parent);
	}
	/* only names and statuses matter here */
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (!rc)
		rc = git_diff_tree_to_tree(&diff, repo, ptree, tree, &dopts);
	n = rc ? 0 : git_diff_num_deltas(diff);
	for (i = 0; i < n && !deletions; i++)
		deletions = git_diff_get_delta(diff, i)->status == GIT_DELTA_DELETED;
	if (!rc && deletions) {
		/* only a commit that deleted something can have renamed it */
		git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
		fo.flags = GIT_DIFF_FIND_RENAMES;
		rc = git_diff_find_similar(diff, &fo);
	}
	/* not git_diff_foreach: it loads a diff driver per file, through the
	 * attributes, which is a realpath() per path */
	n = rc ? 0 : git_diff_num_deltas(diff);
	for (i = 0; i < n && !rc; i++)
		rc = on_delta(git_diff_get_delta(diff, i), 0, st);
	git_diff_free(diff);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	return rc;
}

/* Calls step with every commit of HEAD's first-parent chain, oldest first
 * (nothing on an unborn branch). */
static int walk_first_parents(struct crm_git *g,
			      int (*step)(git_repository *repo, git_commit *c, void *state),
			      void *state)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int rc, err = 0;

	if (git_revwalk_new(&walk, g->repo) < 0)
		return git_fail(CRM_EIO, "cannot walk the history");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	git_revwalk_simplify_first_parent(walk);
	rc = git_repository_head_unborn(g->repo);
	if (rc == 1)
		goto done;   /* no commit yet */
	if (!rc)
		rc = git_revwalk_push_head(walk);
	if (rc < 0) {
		err = git_fail(CRM_EIO, "cannot walk the history");
		goto done;
	}
	while (!err && !(rc = git_revwalk_next(&id, walk))) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, g->repo, &id) < 0 || step(g->repo, c, state) < 0)
			err = git_fail(CRM_EIO, "cannot read the history");
		git_commit_free(c);
	}
	if (!err && rc != GIT_ITEROVER)
		err = git_fail(CRM_EIO, "cannot walk the history");
done:
	git_revwalk_free(walk);
	return err;
}

static int added_step(git_repository *repo, git_commit *c, void *state)
{
	return diff_commit(repo, c, state);
}

int crm_git_added_dates(struct crm_git *g,
			int (*cb)(const char *path, int64_t commit_time, int32_t offset_min,
				  void *payload),
			void *payload)
{
	struct added_state st;
	struct crm_map_slot *slot;
	size_t pos = 0;
	int err;

	memset(&st, 0, sizeof(st));
	crm_arena_init(&st.arena);
	err = walk_first_parents(g, added_step, &st);
	while (!err && (slot = crm_map_next(&st.paths, &pos))) {
		const struct added *a = slot->value;
		if (a)
			err = cb(slot->key, a->when, a->offset, payload);
	}
	crm_map_release(&st.paths);
	crm_arena_release(&st.arena);
	return err;
}

/* ---- the version each file had when it was added ---- */

struct first_state {
	struct crm_map paths;     /* path -> git_oid of its blob when added (NULL once deleted) */
	struct crm_arena arena;
	const char *prefix;       /* the folder compared */
};

static int on_first_delta(const git_diff_delta *d, float progress, void *payload)
{
	struct first_state *st = payload;
	const char *key = d->new_file.path;
	git_oid *blob;

	(void)progress;
	if (d->status == GIT_DELTA_DELETED)
		return crm_map_get(&st->paths, d->old_file.path)
			? (crm_map_put(&st->paths, d->old_file.path, NULL, NULL) ? -1 : 0) : 0;
	if (d->status != GIT_DELTA_ADDED || crm_map_get(&st->paths, key))
		return 0;
	blob = crm_arena_alloc(&st->arena, sizeof(*blob));
	if (!blob)
		return -1;
	git_oid_cpy(blob, &d->new_file.id);
	/* the key must outlive the diff it came from */
	key = crm_arena_strdup(&st->arena, key);
	if (!key)
		return -1;
	return crm_map_put(&st->paths, key, blob, NULL) ? -1 : 0;
}

static int first_versions_of(git_repository *repo, git_commit *c, void *state)
{
	struct first_state *st = state;
	const char *prefix = st->prefix;
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	char *spec[1] = { (char *)prefix };
	size_t i, n;
	int rc;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (prefix && *prefix) {
		/* a literal folder prefix: only its files are compared */
		opts.pathspec.strings = spec;
		opts.pathspec.count = 1;
		opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	rc = git_commit_tree(&tree, c);
	if (!rc && git_commit_parentcount(c) > 0) {
		rc = git_commit_parent(&parent, c, 0);
		if (!rc)
			rc = git_commit_tree(&ptree, parent);
	}
	if (!rc)
		rc = git_diff_tree_to_tree(&diff, repo, ptree, tree, &opts);
	/* deltas one by one, not git_diff_foreach: that reads the attributes
	 * for a diff driver per file, which loads git's whole index */
	n = rc ? 0 : git_diff_num_deltas(diff);
	for (i = 0; i < n && !rc; i++)
		rc = on_first_delta(git_diff_get_delta(diff, i), 0, st);
	git_diff_free(diff);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	return rc;
}

int crm_git_first_versions(struct crm_git *g, const char *prefix,
			   int (*cb)(const char *path, const char *data, size_t len, void *payload),
			   void *payload)
{
	struct first_state st;
	struct crm_map_slot *slot;
	size_t pos = 0;
	int err;

	memset(&st, 0, sizeof(st));
	crm_arena_init(&st.arena);
	st.prefix = prefix;
	err = walk_first_parents(g, first_versions_of, &st);
	while (!err && (slot = crm_map_next(&st.paths, &pos))) {
		git_blob *blob = NULL;
		if (!slot->value)
			continue;
		if (git_blob_lookup(&blob, g->repo, slot->value) < 0) {
			err = git_fail(CRM_EIO, "cannot read a file's first version");
			break;
		}
		err = cb(slot->key, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
			 payload);
		git_blob_free(blob);
	}
	crm_map_release(&st.paths);
	crm_arena_release(&st.arena);
	return err;
}

static int lookup_commit(git_commit **out, git_repository *repo, const char *rev);

int crm_git_merge_base(struct crm_git *g, char out_id[41], const char *a, const char *b)
{
	git_commit *ca = NULL, *cb = NULL;
	git_oid base;
	int rc, err = lookup_commit(&ca, g->repo, a);

	if (!err)
		err = lookup_commit(&cb, g->repo, b);
	if (!err) {
		rc = git_merge_base(&base, g->repo, git_commit_id(ca), git_commit_id(cb));
		if (rc == GIT_ENOTFOUND)
			err = crm_error_set(CRM_ENOTFOUND, "'%s' and '%s' have no common history", a, b);
		else if (rc < 0)
			err = git_fail(CRM_EIO, "cannot find the merge base");
		else
			git_oid_tostr(out_id, 41, &base);
	}
	git_commit_free(ca);
	git_commit_free(cb);
	return err;
}

int crm_git_head(struct crm_git *g, char out_id[41], char short_out[9])
{
	git_oid id;
	char full[41];
	int rc = git_reference_name_to_id(&id, g->repo, "HEAD");

	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		return crm_error_set(CRM_ENOTFOUND, "the repository has no commit yet");
	if (rc < 0)
		return git_fail(CRM_EIO, "cannot read HEAD");
	git_oid_tostr(full, sizeof(full), &id);
	if (out_id)
		memcpy(out_id, full, 41);
	if (short_out)
		snprintf(short_out, 9, "%.8s", full);
	return 0;
}

/* "YYYY-MM-DD" in form (validity is crm_date_parse's business). */
static bool looks_like_date(const char *s)
{
	size_t i;

	if (strlen(s) != 10)
		return false;
	for (i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	}
	return true;
}

/* The newest commit on HEAD's first-parent chain made before `end`. */
static int commit_before(git_oid *out, git_repository *repo, int64_t end, const char *day)
{
	git_commit *c = NULL, *parent = NULL;
	int err = crm_git_head_commit(&c, repo);

	while (!err && c && (int64_t)git_commit_time(c) >= end) {
		if (!git_commit_parentcount(c)) {
			git_commit_free(c);
			c = NULL;
			break;
		}
		if (git_commit_parent(&parent, c, 0) < 0)
			err = git_fail(CRM_EIO, "cannot read the history");
		git_commit_free(c);
		c = parent;
		parent = NULL;
	}
	if (!err && !c)
		err = crm_error_set(CRM_ENOTFOUND, "no commit on HEAD before the end of %s", day);
	if (!err)
		git_oid_cpy(out, git_commit_id(c));
	git_commit_free(c);
	return err;
}

/* `rev` (NULL: HEAD) peeled to a commit. */
static int lookup_commit(git_commit **out, git_repository *repo, const char *rev)
{
	git_object *obj = NULL;
	int rc;

	*out = NULL;
	if (!rev)
		rev = "HEAD";
	rc = git_revparse_single(&obj, repo, rev);
	if (!rc)
		rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC ||
	    rc == GIT_EPEEL || rc == GIT_EUNBORNBRANCH)
		return crm_error_set(CRM_ENOTFOUND, "unknown revision '%s': %s", rev,
				     git_error_last() ? git_error_last()->message : "not found");
	if (rc < 0)
		return git_fail(CRM_EIO, "cannot read a revision");
	return 0;
}

int crm_git_resolve_at(struct crm_git *g, char out_id[41], const char *rev_or_date)
{
	git_commit *c = NULL;
	crm_date day;
	git_oid id;
	int err;

	out_id[0] = '\0';
	if (looks_like_date(rev_or_date)) {
		err = crm_date_parse(&day, rev_or_date, 10);
		if (!err)
			err = commit_before(&id, g->repo, ((int64_t)day + 1) * 86400, rev_or_date);
		if (!err)
			git_oid_tostr(out_id, 41, &id);
		return err;
	}
	err = lookup_commit(&c, g->repo, rev_or_date);
	if (!err)
		git_oid_tostr(out_id, 41, git_commit_id(c));
	git_commit_free(c);
	return err;
}

int crm_git_commit_time(struct crm_git *g, const char *commit_id, int64_t *when,
			int32_t *offset_min)
{
	git_commit *c = NULL;
	int err = lookup_commit(&c, g->repo, commit_id);

	if (!err) {
		*when = (int64_t)git_commit_time(c);
		*offset_min = (int32_t)git_commit_time_offset(c);
	}
	git_commit_free(c);
	return err;
}

/* A commit's files are read through a snapshot of its tree
 * (crm_git_files_*, git_tree.c), the one reader of committed files. */
int crm_git_read_file_at(struct crm_git *g, const char *commit_id, const char *path,
			 char **data_out, size_t *len_out)
{
	struct crm_git_files *f = NULL;
	struct crm_buf text = CRM_BUF_INIT;
	int err = crm_git_files_open(&f, g, commit_id ? commit_id : "HEAD");

	*data_out = NULL;
	*len_out = 0;
	if (!err)
		err = crm_git_files_read(f, path, &text, SIZE_MAX);
	if (!err && !(*data_out = crm_buf_detach(&text, len_out)))
		err = oom();
	crm_buf_release(&text);
	crm_git_files_free(f);
	return err;
}

struct prefix_filter {
	const char *prefix;
	size_t prefix_len;
	int (*cb)(const char *path, void *payload);
	void *payload;
};

/* Passes on the files (and links, which git stores as blobs too) whose
 * path starts with the prefix: "clients" lists clients-old/ as well. */
static int pass_prefixed(const char *path, enum crm_git_entry kind, void *payload)
{
	struct prefix_filter *pf = payload;

	if ((kind != CRM_GIT_FILE && kind != CRM_GIT_LINK) ||
	    strncmp(path, pf->prefix, pf->prefix_len))
		return 0;
	return pf->cb(path, pf->payload);
}

int crm_git_list_files_at(struct crm_git *g, const char *commit_id, const char *prefix,
			  int (*cb)(const char *path, void *payload), void *payload)
{
	struct prefix_filter pf = { prefix ? prefix : "", 0, cb, payload };
	struct crm_git_files *f = NULL;
	const char *slash = strrchr(pf.prefix, '/');
	char *folder;
	int err;

	pf.prefix_len = strlen(pf.prefix);
	/* the walk starts in the deepest folder the prefix names */
	folder = strndup(pf.prefix, slash ? (size_t)(slash - pf.prefix) + 1 : 0);
	if (!folder)
		return oom();
	err = crm_git_files_open(&f, g, commit_id ? commit_id : "HEAD");
	if (!err)
		err = crm_git_files_list(f, folder, pass_prefixed, &pf);
	crm_git_files_free(f);
	free(folder);
	return err;
}

/* The blob at `path` in `tree` (of `commit`) into *out, NULL when the tree
 * has no such file (or there is no tree); an object that cannot be read is
 * an error. */
static int blob_at(git_repository *repo, git_tree *tree, const char *path, git_blob **out,
		   const git_oid *commit)
{
	git_tree_entry *e = NULL;
	int rc;

	*out = NULL;
	if (!tree)
		return 0;
	rc = git_tree_entry_bypath(&e, tree, path);
	if (rc < 0)
		return path_absent(rc) ? 0 : history_fail(commit, path);
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
	    git_blob_lookup(out, repo, git_tree_entry_id(e)) < 0)
		rc = history_fail(commit, path);
	git_tree_entry_free(e);
	return rc;
}

/* The path `path` had in the parent into *old (NULL: none), when this
 * commit renamed it. */
static int renamed_from(char **old, git_repository *repo, git_tree *ptree, git_tree *tree,
			const char *path, const git_oid *commit)
{
	git_diff *diff = NULL;
	git_diff_find_options fo;
	size_t i, n;
	int err = 0;

	*old = NULL;
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_tree_to_tree(&diff, repo, ptree, tree, NULL) < 0 ||
	    git_diff_find_similar(diff, &fo) < 0) {
		err = history_fail(commit, path);
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !*old && !err; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_RENAMED && !strcmp(d->new_file.path, path) &&
		    !(*old = strdup(d->old_file.path)))
			err = oom();
	}
done:
	git_diff_free(diff);
	return err;
}

static void fill_commit(struct crm_git_change *c, git_commit *commit)
{
	const git_signature *a = git_commit_author(commit);
	git_oid_tostr(c->id, sizeof(c->id), git_commit_id(commit));
	c->author = a->name;
	c->when = (int64_t)a->when.time;
	c->offset_min = a->when.offset;
	c->summary = git_commit_summary(commit);
}

/* Reports `commit` when it changed *path; moves *path back across a rename.
 * Sets *done once the file's creation is passed. */
static int log_step(git_repository *repo, git_commit *commit, char **path, bool *done,
		    int (*cb)(const struct crm_git_change *, void *), void *payload)
{
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_blob *nb = NULL, *ob = NULL;
	struct crm_git_change c;
	char *old = NULL;
	int err = 0;

	memset(&c, 0, sizeof(c));
	if (git_commit_tree(&tree, commit) < 0)
		err = history_fail(git_commit_id(commit), NULL);
	else if (git_commit_parentcount(commit) &&
		 (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(&ptree, parent) < 0))
		err = history_fail(git_commit_parent_id(commit, 0), NULL);
	if (!err)
		err = blob_at(repo, tree, *path, &nb, git_commit_id(commit));
	if (!err && parent)
		err = blob_at(repo, ptree, *path, &ob, git_commit_id(parent));
	if (!err && nb && !ob)
		err = renamed_from(&old, repo, ptree, tree, *path, git_commit_id(commit));
	if (!err && old)
		err = blob_at(repo, ptree, old, &ob, git_commit_id(parent));
	if (err)
		goto done;
	if ((nb || ob) && (old || !(nb && ob && !git_oid_cmp(git_blob_id(nb), git_blob_id(ob))))) {
		fill_commit(&c, commit);
		c.new_path = nb ? *path : NULL;
		c.old_path = ob ? (old ? old : *path) : NULL;
		c.new_text = nb ? git_blob_rawcontent(nb) : NULL;
		c.new_len = nb ? (size_t)git_blob_rawsize(nb) : 0;
		c.old_text = ob ? git_blob_rawcontent(ob) : NULL;
		c.old_len = ob ? (size_t)git_blob_rawsize(ob) : 0;
		err = cb(&c, payload);
	}
	if (nb && !ob)
		*done = true;   /* added here: nothing older to report */
	if (old) {
		free(*path);
		*path = old;
	}
done:
	git_blob_free(nb);
	git_blob_free(ob);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	return err;
}

int crm_git_file_log(struct crm_git *g, const char *path,
		     int (*cb)(const struct crm_git_change *c, void *payload), void *payload)
{
	git_revwalk *walk = NULL;
	git_oid id, last;
	char *cur = strdup(path);
	bool done = false, any = false;
	int rc = 0, err = 0;

	if (!cur || git_revwalk_new(&walk, g->repo) < 0) {
		free(cur);
		return git_fail(CRM_EIO, "cannot walk the history");
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	git_revwalk_simplify_first_parent(walk);
	if (git_revwalk_push_head(walk) < 0)
		done = true;   /* no commits yet */
	while (!done && !err && !(rc = git_revwalk_next(&id, walk))) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, g->repo, &id) < 0)
			err = history_fail(&id, NULL);
		else
			err = log_step(g->repo, c, &cur, &done, cb, payload);
		git_commit_free(c);
		git_oid_cpy(&last, &id);
		any = true;
	}
	/* a commit the walk cannot read ends it early: that is an error */
	if (!done && !err && rc != GIT_ITEROVER)
		err = any ? crm_error_set(CRM_EIO, "cannot read the parent of commit %.8s: %s",
					  git_oid_tostr_s(&last),
					  git_error_last() ? git_error_last()->message : "git error")
			  : git_fail(CRM_EIO, "cannot walk the history");
	git_revwalk_free(walk);
	free(cur);
	return err;
}

static int read_workdir_file(char **data, size_t *len, const char *workdir, const char *path)
{
	char full[4096];
	FILE *f;
	long n;

	*data = NULL;
	*len = 0;
	snprintf(full, sizeof(full), "%s%s", workdir, path);
	f = fopen(full, "rb");
	if (!f)
		return CRM_ENOTFOUND;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(*data = malloc((size_t)n + 1)) || fread(*data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(*data);
		*data = NULL;
		return crm_error_errno(CRM_EIO, "cannot read '%s'", full);
	}
	(*data)[n] = '\0';
	*len = (size_t)n;
	fclose(f);
	return 0;
}

int crm_git_diff_workdir(struct crm_git *g, const char *rev, const char *prefix,
			 int (*cb)(const struct crm_git_change *c, void *payload), void *payload)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	char *spec = NULL;
	size_t i, n;
	int err = 0;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
	if (prefix && *prefix) {
		spec = (char *)prefix;
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}
	if (git_revparse_single(&obj, g->repo, rev ? rev : "HEAD") < 0 ||
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		err = git_fail(CRM_ENOTFOUND, "cannot compare with that revision");
		goto done;
	}
	/* the revision is known: what cannot be read of it is a broken history */
	if (git_commit_tree(&tree, commit) < 0) {
		err = history_fail(git_commit_id(commit), NULL);
		goto done;
	}
	if (git_diff_tree_to_workdir_with_index(&diff, g->repo, tree, &opts) < 0) {
		err = tree_fail(g->repo, tree, git_commit_id(commit), "");
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !err; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		struct crm_git_change c;
		git_blob *ob = NULL;
		char *nt = NULL;
		size_t nl = 0;

		memset(&c, 0, sizeof(c));
		err = blob_at(g->repo, tree, d->old_file.path, &ob, git_commit_id(commit));
		if (err)
			break;
		read_workdir_file(&nt, &nl, git_repository_workdir(g->repo), d->new_file.path);
		c.old_path = ob ? d->old_file.path : NULL;
		c.new_path = nt ? d->new_file.path : NULL;
		c.old_text = ob ? git_blob_rawcontent(ob) : NULL;
		c.old_len = ob ? (size_t)git_blob_rawsize(ob) : 0;
		c.new_text = nt;
		c.new_len = nl;
		if (ob || nt)
			err = cb(&c, payload);
		free(nt);
		git_blob_free(ob);
	}
done:
	git_diff_free(diff);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	return err;
}

/* Commit `rev` and its tree, for a comparison of two commits. */
static int commit_tree(git_repository *repo, const char *rev, git_commit **commit,
		       git_tree **tree)
{
	git_object *obj = NULL;
	int err = 0;

	if (git_revparse_single(&obj, repo, rev) < 0 ||
	    git_object_peel((git_object **)commit, obj, GIT_OBJECT_COMMIT) < 0)
		err = git_fail(CRM_ENOTFOUND, "cannot compare with that revision");
	else if (git_commit_tree(tree, *commit) < 0)
		err = history_fail(git_commit_id(*commit), NULL);
	git_object_free(obj);
	return err;
}

int crm_git_diff_commits(struct crm_git *g, const char *from, const char *to, const char *prefix,
			 int (*cb)(const struct crm_git_change *c, void *payload), void *payload)
{
	git_commit *old_commit = NULL, *new_commit = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	char *spec = NULL;
	size_t i, n;
	int err;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (prefix && *prefix) {
		spec = (char *)prefix;
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}
	err = commit_tree(g->repo, from, &old_commit, &old_tree);
	if (!err)
		err = commit_tree(g->repo, to, &new_commit, &new_tree);
	if (!err && git_diff_tree_to_tree(&diff, g->repo, old_tree, new_tree, &opts) < 0)
		err = tree_fail(g->repo, new_tree, git_commit_id(new_commit), "");
	n = err ? 0 : git_diff_num_deltas(diff);
	for (i = 0; i < n && !err; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		git_blob *ob = NULL, *nb = NULL;
		struct crm_git_change c;

		memset(&c, 0, sizeof(c));
		err = blob_at(g->repo, old_tree, d->old_file.path, &ob, git_commit_id(old_commit));
		if (!err)
			err = blob_at(g->repo, new_tree, d->new_file.path, &nb,
				      git_commit_id(new_commit));
		c.old_path = ob ? d->old_file.path : NULL;
		c.new_path = nb ? d->new_file.path : NULL;
		c.old_text = ob ? git_blob_rawcontent(ob) : NULL;
		c.old_len = ob ? (size_t)git_blob_rawsize(ob) : 0;
		c.new_text = nb ? git_blob_rawcontent(nb) : NULL;
		c.new_len = nb ? (size_t)git_blob_rawsize(nb) : 0;
		if (!err && (ob || nb))
			err = cb(&c, payload);
		git_blob_free(ob);
		git_blob_free(nb);
	}
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(old_commit);
	git_commit_free(new_commit);
	return err;
}
