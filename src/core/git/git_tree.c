/* Files as git holds them rather than as the work tree has them: the index
 * (what `git commit` would commit, for `crm check --staged`) or a commit's
 * tree (for --at and `crm check --rev`, in a bare repository too).  One
 * lock makes a snapshot safe to read from the loader's worker threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/git.h"
#include "core/git/git_internal.h"

struct crm_git_files {
	struct crm_git *git;
	git_index *index;             /* the index's snapshot, or NULL */
	git_tree *tree;               /* the commit's tree, or NULL */
	char commit[41];              /* for messages */
	pthread_mutex_t lock;         /* libgit2 objects are for one thread at a time */
};

/* The index a commit would be made from: the repository's, or while
 * git runs a pre-commit hook for `git commit -a` or `git commit PATHS`,
 * the temporary one GIT_INDEX_FILE names. */
static int open_index(git_index **out, struct crm_git *g)
{
	const char *file = getenv("GIT_INDEX_FILE");
	int rc;

	if (file && *file)
		rc = git_index_open(out, file);
	else
		rc = git_repository_index(out, g->repo);
	return rc < 0 ? git_fail(CRM_EIO, "cannot read the index") : 0;
}

int crm_git_files_open(struct crm_git_files **out, struct crm_git *g, const char *commit_id)
{
	struct crm_git_files *f = calloc(1, sizeof(*f));
	git_object *obj = NULL;
	git_commit *c = NULL;
	int rc, err = 0;

	*out = NULL;
	if (!f)
		return oom();
	f->git = g;
	if (!commit_id) {
		if (git_repository_is_bare(g->repo))
			err = crm_error_set(CRM_EINVALID, "a bare repository has no index");
		else
			err = open_index(&f->index, g);
		goto done;
	}
	rc = git_revparse_single(&obj, g->repo, commit_id);
	if (!rc)
		rc = git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT);
	if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC ||
	    rc == GIT_EPEEL || rc == GIT_EUNBORNBRANCH)
		err = crm_error_set(CRM_ENOTFOUND, "unknown revision '%s'", commit_id);
	else if (rc < 0 || git_commit_tree(&f->tree, c) < 0)
		err = git_fail(CRM_EIO, "cannot read the commit");
	else
		git_oid_tostr(f->commit, sizeof(f->commit), git_commit_id(c));
done:
	git_commit_free(c);
	git_object_free(obj);
	if (err) {
		git_index_free(f->index);
		git_tree_free(f->tree);
		free(f);
		return err;
	}
	pthread_mutex_init(&f->lock, NULL);
	*out = f;
	return 0;
}

void crm_git_files_free(struct crm_git_files *f)
{
	if (!f)
		return;
	git_index_free(f->index);
	git_tree_free(f->tree);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

static enum crm_git_entry kind_of_mode(uint32_t mode)
{
	switch (mode & 0170000) {
	case 0100000:
		return CRM_GIT_FILE;
	case 0120000:
		return CRM_GIT_LINK;
	case 0040000:
		return CRM_GIT_FOLDER;
	default:
		return CRM_GIT_SUBMODULE;
	}
}

/* Where `path` stands: its kind and blob id, under the lock.  A path the
 * index holds only below it (a folder) is CRM_GIT_FOLDER. */
static int find_entry(struct crm_git_files *f, const char *path, enum crm_git_entry *kind,
		      git_oid *id)
{
	git_tree_entry *e = NULL;
	const git_index_entry *ie;
	size_t pos, n = strlen(path);
	int rc;

	*kind = CRM_GIT_ABSENT;
	if (f->index) {
		ie = git_index_get_bypath(f->index, path, 0);
		if (ie) {
			*kind = kind_of_mode(ie->mode);
			git_oid_cpy(id, &ie->id);
		} else if (!git_index_find_prefix(&pos, f->index, path) &&
			   (ie = git_index_get_byindex(f->index, pos)) &&
			   !strncmp(ie->path, path, n) && ie->path[n] == '/') {
			*kind = CRM_GIT_FOLDER;
		}
		return 0;
	}
	rc = git_tree_entry_bypath(&e, f->tree, path);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return crm_error_set(CRM_EIO, "cannot read '%s' in commit %.8s: %s", path,
				     f->commit, git_error_last() ? git_error_last()->message : "");
	*kind = kind_of_mode(git_tree_entry_filemode(e));
	git_oid_cpy(id, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return 0;
}

/* Names the snapshot in messages: "the index" or "commit 1234abcd". */
static void where(char out[24], const struct crm_git_files *f)
{
	if (f->index)
		snprintf(out, 24, "the index");
	else
		snprintf(out, 24, "commit %.8s", f->commit);
}

int crm_git_files_kind(struct crm_git_files *f, const char *path, enum crm_git_entry *out)
{
	git_oid id;
	int err;

	pthread_mutex_lock(&f->lock);
	err = find_entry(f, path, out, &id);
	pthread_mutex_unlock(&f->lock);
	return err;
}

/* The blob at `path` when it is of kind `want`, appended to `out`. */
static int read_blob(struct crm_git_files *f, const char *path, struct crm_buf *out,
		     size_t max, enum crm_git_entry want)
{
	enum crm_git_entry kind;
	git_blob *blob = NULL;
	char shown[24];
	git_oid id;
	size_t len;
	int err;

	pthread_mutex_lock(&f->lock);
	where(shown, f);
	err = find_entry(f, path, &kind, &id);
	if (!err && kind != want)
		err = crm_error_set(CRM_ENOTFOUND, "'%s' is not a %s in %s", path,
				    want == CRM_GIT_LINK ? "symbolic link" : "file", shown);
	if (!err && git_blob_lookup(&blob, f->git->repo, &id) < 0)
		err = crm_error_set(CRM_EIO, "cannot read '%s' in %s: %s", path, shown,
				    git_error_last() ? git_error_last()->message : "");
	if (err)
		goto done;
	len = (size_t)git_blob_rawsize(blob);
	if (len > max)
		err = crm_error_set(CRM_EOVERFLOW, "'%s' is larger than %zu bytes", path, max);
	else if (crm_buf_add(out, git_blob_rawcontent(blob), len))
		err = oom();
done:
	git_blob_free(blob);
	pthread_mutex_unlock(&f->lock);
	return err;
}

int crm_git_files_read(struct crm_git_files *f, const char *path, struct crm_buf *out,
		       size_t max)
{
	return read_blob(f, path, out, max, CRM_GIT_FILE);
}

int crm_git_files_read_link(struct crm_git_files *f, const char *path, struct crm_buf *out)
{
	return read_blob(f, path, out, 4096, CRM_GIT_LINK);
}

struct walk {
	int (*cb)(const char *path, enum crm_git_entry kind, void *payload);
	void *payload;
	struct crm_buf path;
	int err;
};

/* Calls back for every entry of `tree` and below, in git's order; `path`
 * holds the folder's path with its '/'. */
static int walk_tree(struct crm_git_files *f, git_tree *tree, struct walk *w)
{
	size_t i, n = git_tree_entrycount(tree), keep = w->path.len;

	for (i = 0; i < n && !w->err; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		enum crm_git_entry kind = kind_of_mode(git_tree_entry_filemode(e));
		git_tree *sub = NULL;

		crm_buf_truncate(&w->path, keep);
		if (crm_buf_adds(&w->path, git_tree_entry_name(e)))
			return w->err = oom();
		if (kind != CRM_GIT_FOLDER) {
			w->err = w->cb(w->path.ptr, kind, w->payload);
			continue;
		}
		if (git_tree_lookup(&sub, f->git->repo, git_tree_entry_id(e)) < 0)
			return w->err = crm_error_set(CRM_EIO, "cannot read '%s' in commit %.8s: %s",
						      w->path.ptr, f->commit,
						      git_error_last() ? git_error_last()->message : "");
		if (crm_buf_addch(&w->path, '/'))
			w->err = oom();
		else
			walk_tree(f, sub, w);
		git_tree_free(sub);
	}
	crm_buf_truncate(&w->path, keep);
	return w->err;
}

static int walk_index(struct crm_git_files *f, const char *folder, struct walk *w)
{
	size_t pos, n = strlen(folder);
	const git_index_entry *ie;

	if (git_index_find_prefix(&pos, f->index, folder))
		return 0;   /* nothing below it */
	for (; !w->err && (ie = git_index_get_byindex(f->index, pos)); pos++) {
		if (strncmp(ie->path, folder, n))
			break;
		if (git_index_entry_stage(ie) == 0)
			w->err = w->cb(ie->path, kind_of_mode(ie->mode), w->payload);
	}
	return w->err;
}

int crm_git_files_list(struct crm_git_files *f, const char *folder,
		       int (*cb)(const char *path, enum crm_git_entry kind, void *payload),
		       void *payload)
{
	struct walk w = { cb, payload, CRM_BUF_INIT, 0 };
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	size_t n = strlen(folder);
	int rc;

	pthread_mutex_lock(&f->lock);
	if (f->index) {
		walk_index(f, folder, &w);
		goto done;
	}
	if (!n) {
		walk_tree(f, f->tree, &w);
		goto done;
	}
	crm_buf_add(&w.path, folder, n);
	crm_buf_truncate(&w.path, n - 1);   /* without its '/' */
	rc = git_tree_entry_bypath(&e, f->tree, w.path.ptr);
	if (rc == GIT_ENOTFOUND || (!rc && git_tree_entry_type(e) != GIT_OBJECT_TREE))
		goto done;   /* no such folder: nothing to list */
	if (rc < 0 || git_tree_lookup(&sub, f->git->repo, git_tree_entry_id(e)) < 0) {
		w.err = crm_error_set(CRM_EIO, "cannot read '%s' in commit %.8s: %s", folder,
				      f->commit, git_error_last() ? git_error_last()->message : "");
		goto done;
	}
	crm_buf_addch(&w.path, '/');
	walk_tree(f, sub, &w);
done:
	pthread_mutex_unlock(&f->lock);
	git_tree_free(sub);
	git_tree_entry_free(e);
	crm_buf_release(&w.path);
	return w.err;
}

const char *crm_git_files_commit(const struct crm_git_files *f)
{
	return f->index ? NULL : f->commit;
}
