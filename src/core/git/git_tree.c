/* Files as git holds them rather than as the work tree has them: the index
 * (what `git commit` would commit, for `crm check --staged`) or a commit's
 * tree (for --at and `crm check --rev`, in a bare repository too), safe
 * to read from the loader's worker threads, each through its own handle. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/git.h"
#include "core/git/git_internal.h"

/* One reader's own view of the snapshot: libgit2's objects are for one
 * thread at a time, so each thread that reads at once gets a repository
 * handle of its own (zlib's inflating, most of the work, then runs on
 * every core). */
struct lane {
	git_repository *repo;
	git_index *index;             /* the index, or NULL */
	git_tree *tree;               /* the commit's tree, or NULL */
	bool own_repo;                /* repo opened for this lane */
	pthread_mutex_t lock;
};

#define MAX_LANES 16

struct crm_git_files {
	struct crm_git *git;
	bool of_index;
	char commit[41];              /* the commit's id */
	git_oid tree_id;
	int max_lanes;                /* one a core */
	atomic_int nlanes;            /* lanes[0..nlanes) are ready */
	pthread_mutex_t grow;         /* held while a lane is added */
	struct lane lanes[MAX_LANES];
};

/* The index a commit would be made from: the repository's, or while
 * git runs a pre-commit hook for `git commit -a` or `git commit PATHS`,
 * the temporary one GIT_INDEX_FILE names. */
static int open_index(git_index **out, git_repository *repo)
{
	const char *file = getenv("GIT_INDEX_FILE");
	int rc;

	if (file && *file)
		rc = git_index_open(out, file);
	else
		rc = git_repository_index(out, repo);
	return rc < 0 ? git_fail(CRM_EIO, "cannot read the index") : 0;
}

/* Fills `l` with the snapshot of `f` read through `repo`. */
static int open_lane(struct crm_git_files *f, struct lane *l, git_repository *repo)
{
	int err = 0;

	l->repo = repo;
	if (f->of_index)
		err = open_index(&l->index, repo);
	else if (git_tree_lookup(&l->tree, repo, &f->tree_id) < 0)
		err = git_fail(CRM_EIO, "cannot read the commit's tree");
	if (!err)
		pthread_mutex_init(&l->lock, NULL);
	return err;
}

static void close_lane(struct lane *l)
{
	git_index_free(l->index);
	git_tree_free(l->tree);
	if (l->own_repo)
		git_repository_free(l->repo);
	pthread_mutex_destroy(&l->lock);
}

/* A lane no other thread is reading through, locked: a free one, else a
 * new one while there are fewer than cores, else the first (waited for). */
static struct lane *take_lane(struct crm_git_files *f)
{
	int i, n = atomic_load(&f->nlanes);
	git_repository *repo = NULL;
	struct lane *l;

	for (i = 0; i < n; i++) {
		if (!pthread_mutex_trylock(&f->lanes[i].lock))
			return &f->lanes[i];
	}
	pthread_mutex_lock(&f->grow);
	n = atomic_load(&f->nlanes);
	l = &f->lanes[n];
	if (n < f->max_lanes && !crm_git_reopen(&repo, f->git)) {
		l->own_repo = true;
		if (!open_lane(f, l, repo)) {
			pthread_mutex_lock(&l->lock);
			atomic_store(&f->nlanes, n + 1);
			pthread_mutex_unlock(&f->grow);
			return l;
		}
		git_repository_free(repo);
		memset(l, 0, sizeof(*l));
	}
	pthread_mutex_unlock(&f->grow);
	pthread_mutex_lock(&f->lanes[0].lock);   /* no new lane: share the first */
	return &f->lanes[0];
}

static void give_lane(struct lane *l)
{
	pthread_mutex_unlock(&l->lock);
}

int crm_git_files_open(struct crm_git_files **out, struct crm_git *g, const char *commit_id)
{
	struct crm_git_files *f = calloc(1, sizeof(*f));
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	git_object *obj = NULL;
	git_commit *c = NULL;
	int rc, err = 0;

	*out = NULL;
	if (!f)
		return oom();
	/* Git does not hash an object again each time it reads one, and
	 * libgit2 doing so (with its collision-detecting SHA-1) costs as much
	 * as parsing the record: a snapshot of 100 000 files is read without.
	 * Objects are verified where git verifies them, when they arrive. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* Each file is found by its path from the root tree down: libgit2
	 * caches no tree over 4 KiB, which a folder of a hundred records
	 * is, and would inflate it again for every file in it. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)16 << 20);
	f->git = g;
	f->of_index = !commit_id;
	f->max_lanes = cores < 1 ? 1 : cores > MAX_LANES ? MAX_LANES : (int)cores;
	if (!commit_id) {
		if (git_repository_is_bare(g->repo))
			err = crm_error_set(CRM_EINVALID, "a bare repository has no index");
		goto done;
	}
	rc = git_revparse_single(&obj, g->repo, commit_id);
	if (!rc)
		rc = git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT);
	if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC ||
	    rc == GIT_EPEEL || rc == GIT_EUNBORNBRANCH) {
		err = crm_error_set(CRM_ENOTFOUND, "unknown revision '%s'", commit_id);
	} else if (rc < 0) {
		err = git_fail(CRM_EIO, "cannot read the commit");
	} else {
		git_oid_tostr(f->commit, sizeof(f->commit), git_commit_id(c));
		git_oid_cpy(&f->tree_id, git_commit_tree_id(c));
	}
done:
	git_commit_free(c);
	git_object_free(obj);
	if (!err)
		err = open_lane(f, &f->lanes[0], g->repo);
	if (err) {
		free(f);
		return err;
	}
	pthread_mutex_init(&f->grow, NULL);
	atomic_store(&f->nlanes, 1);
	*out = f;
	return 0;
}

void crm_git_files_free(struct crm_git_files *f)
{
	int i;

	if (!f)
		return;
	for (i = 0; i < atomic_load(&f->nlanes); i++)
		close_lane(&f->lanes[i]);
	pthread_mutex_destroy(&f->grow);
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

/* Where `path` stands in lane `l` (locked): its kind and blob id.  A path
 * the index holds only below it (a folder) is CRM_GIT_FOLDER. */
static int find_entry(const struct crm_git_files *f, struct lane *l, const char *path,
		      enum crm_git_entry *kind, git_oid *id)
{
	git_tree_entry *e = NULL;
	const git_index_entry *ie;
	size_t pos, n = strlen(path);
	int rc;

	*kind = CRM_GIT_ABSENT;
	if (l->index) {
		ie = git_index_get_bypath(l->index, path, 0);
		if (ie) {
			*kind = kind_of_mode(ie->mode);
			git_oid_cpy(id, &ie->id);
		} else if (!git_index_find_prefix(&pos, l->index, path) &&
			   (ie = git_index_get_byindex(l->index, pos)) &&
			   !strncmp(ie->path, path, n) && ie->path[n] == '/') {
			*kind = CRM_GIT_FOLDER;
		}
		return 0;
	}
	rc = git_tree_entry_bypath(&e, l->tree, path);
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
	if (f->of_index)
		snprintf(out, 24, "the index");
	else
		snprintf(out, 24, "commit %.8s", f->commit);
}

int crm_git_files_kind(struct crm_git_files *f, const char *path, enum crm_git_entry *out)
{
	struct lane *l = take_lane(f);
	git_oid id;
	int err = find_entry(f, l, path, out, &id);

	give_lane(l);
	return err;
}

/* The blob at `path` when it is of kind `want`, appended to `out`. */
static int read_blob(struct crm_git_files *f, const char *path, struct crm_buf *out,
		     size_t max, enum crm_git_entry want)
{
	struct lane *l = take_lane(f);
	enum crm_git_entry kind;
	git_blob *blob = NULL;
	char shown[24];
	git_oid id;
	size_t len;
	int err;

	where(shown, f);
	err = find_entry(f, l, path, &kind, &id);
	if (!err && kind != want)
		err = crm_error_set(CRM_ENOTFOUND, "'%s' is not a %s in %s", path,
				    want == CRM_GIT_LINK ? "symbolic link" : "file", shown);
	if (!err && git_blob_lookup(&blob, l->repo, &id) < 0)
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
	give_lane(l);
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
static int walk_tree(const struct crm_git_files *f, struct lane *l, git_tree *tree,
		     struct walk *w)
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
		if (git_tree_lookup(&sub, l->repo, git_tree_entry_id(e)) < 0)
			return w->err = crm_error_set(CRM_EIO, "cannot read '%s' in commit %.8s: %s",
						      w->path.ptr, f->commit,
						      git_error_last() ? git_error_last()->message : "");
		if (crm_buf_addch(&w->path, '/'))
			w->err = oom();
		else
			walk_tree(f, l, sub, w);
		git_tree_free(sub);
	}
	crm_buf_truncate(&w->path, keep);
	return w->err;
}

static int walk_index(struct lane *l, const char *folder, struct walk *w)
{
	size_t pos, n = strlen(folder);
	const git_index_entry *ie;

	if (git_index_find_prefix(&pos, l->index, folder))
		return 0;   /* nothing below it */
	for (; !w->err && (ie = git_index_get_byindex(l->index, pos)); pos++) {
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
	struct lane *l = take_lane(f);
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	size_t n = strlen(folder);
	int rc;

	if (l->index) {
		walk_index(l, folder, &w);
		goto done;
	}
	if (!n) {
		walk_tree(f, l, l->tree, &w);
		goto done;
	}
	crm_buf_add(&w.path, folder, n);
	crm_buf_truncate(&w.path, n - 1);   /* without its '/' */
	rc = git_tree_entry_bypath(&e, l->tree, w.path.ptr);
	if (rc == GIT_ENOTFOUND || (!rc && git_tree_entry_type(e) != GIT_OBJECT_TREE))
		goto done;   /* no such folder: nothing to list */
	if (rc < 0 || git_tree_lookup(&sub, l->repo, git_tree_entry_id(e)) < 0) {
		w.err = crm_error_set(CRM_EIO, "cannot read '%s' in commit %.8s: %s", folder,
				      f->commit, git_error_last() ? git_error_last()->message : "");
		goto done;
	}
	crm_buf_addch(&w.path, '/');
	walk_tree(f, l, sub, &w);
done:
	git_tree_free(sub);
	git_tree_entry_free(e);
	give_lane(l);
	crm_buf_release(&w.path);
	return w.err;
}

const char *crm_git_files_commit(const struct crm_git_files *f)
{
	return f->of_index ? NULL : f->commit;
}
