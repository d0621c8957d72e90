/* Uncommitted changes: the files `git status` would name below a folder,
 * and whether a data repository's records have uncommitted edits, judged
 * from the stat data the index's walk already has (no second walk). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/array.h"
#include "crm/buf.h"
#include "crm/error.h"
#include "crm/git.h"
#include "core/git/git_index_file.h"
#include "core/git/git_internal.h"

static bool index_differs_from_head(git_repository *repo, git_index *index, const char *prefix);

/* ---- the common case, without libgit2's status ---- */

/* libgit2's status states every file by its absolute path (the kernel
 * walks each component again) and diffs HEAD's whole tree against the
 * index; most of what a sync of a few records costs.  When the index
 * stages nothing (its cache of tree ids equals HEAD's tree), the files are
 * stated relative to the open work tree against the index's stat data,
 * as git does, and the folders read for new files; anything unusual
 * (unmerged or flagged entries, links) leaves it to libgit2. */
struct quick_status {
	git_repository *repo;
	git_index *index;
	int rootfd;
	const char *prefix;
	size_t plen;
	int64_t index_mtime_s;
	bool filemode;              /* core.filemode: the executable bit counts */
	CRM_ARRAY(char *) found;
	bool give_up;               /* a case for libgit2's status */
	int err;
};

static void quick_found(struct quick_status *q, const char *path)
{
	char **slot = CRM_ARRAY_PUSH(q->found);

	if (!slot || !(*slot = strdup(path)))
		q->err = crm_error_set(CRM_ENOMEM, "out of memory");
}

/* What stating a tracked file says, decided without libgit2 (so that the
 * stats can run on two threads): the same as its index entry, changed
 * (deleted, another kind, another mode), to be hashed (its stat data
 * differ, or are racy), or a case for libgit2's status. */
enum verdict { V_SAME, V_CHANGED, V_HASH, V_GIVE_UP };

struct tracked {
	const git_index_entry *e;
	unsigned char verdict;
};

static unsigned char stat_verdict(const struct quick_status *q, const git_index_entry *e)
{
	struct stat st;

	if (fstatat(q->rootfd, e->path, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT || errno == ENOTDIR ? V_CHANGED : V_GIVE_UP;
	if (!S_ISREG(st.st_mode) ||
	    (q->filemode && !(st.st_mode & 0100) != (e->mode != GIT_FILEMODE_BLOB_EXECUTABLE)))
		return V_CHANGED;
	if ((uint64_t)e->file_size == ((uint64_t)st.st_size & 0xffffffffu) &&
	    e->mtime.seconds == (int32_t)st.st_mtim.tv_sec &&
	    e->mtime.nanoseconds == (uint32_t)st.st_mtim.tv_nsec &&
	    e->ino == (uint32_t)st.st_ino && (int64_t)e->mtime.seconds < q->index_mtime_s)
		return V_SAME;
	return V_HASH;
}

struct stat_share {
	const struct quick_status *q;
	struct tracked *t;
	size_t n;
};

static void *stat_share_main(void *arg)
{
	struct stat_share *sh = arg;
	size_t i;

	for (i = 0; i < sh->n; i++)
		sh->t[i].verdict = stat_verdict(sh->q, sh->t[i].e);
	return NULL;
}

/* The tracked files below the prefix, for stat_tracked; false when one is
 * a case for libgit2 (a link, a submodule is skipped, extended flags such
 * as skip-worktree or intent-to-add). */
static bool list_tracked(struct quick_status *q, struct tracked **out, size_t *n_out)
{
	size_t i, n = git_index_entrycount(q->index), k = 0;
	struct tracked *t = calloc(n + 1, sizeof(*t));

	*out = t;
	*n_out = 0;
	if (!t) {
		q->err = crm_error_set(CRM_ENOMEM, "out of memory");
		return false;
	}
	for (i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(q->index, i);
		if (strncmp(e->path, q->prefix, q->plen) || e->mode == GIT_FILEMODE_COMMIT)
			continue;   /* submodules are not looked at */
		if (e->mode == GIT_FILEMODE_LINK || (e->flags & GIT_INDEX_ENTRY_EXTENDED) ||
		    e->flags_extended)
			return false;
		t[k++].e = e;
	}
	*n_out = k;
	return true;
}

/* Whether each tracked file differs from its index entry: stat data on two
 * threads (the half on the other thread meanwhile), then, here, the content
 * (through git's filters) of those whose stat data differ or are racy. */
static void stat_tracked(struct quick_status *q, struct tracked *t, size_t n)
{
	struct stat_share mine = { q, t, n / 2 }, other = { q, t + n / 2, n - n / 2 };
	pthread_t thread;
	bool two = n >= 2048 && !pthread_create(&thread, NULL, stat_share_main, &other);
	size_t i;
	git_oid oid;

	stat_share_main(&mine);
	if (two)
		pthread_join(thread, NULL);
	else
		stat_share_main(&other);
	for (i = 0; i < n && !q->give_up && !q->err; i++) {
		const git_index_entry *e = t[i].e;
		if (t[i].verdict == V_GIVE_UP)
			q->give_up = true;
		else if (t[i].verdict == V_CHANGED)
			quick_found(q, e->path);
		else if (t[i].verdict != V_HASH)
			continue;
		else if (git_repository_hashfile(&oid, q->repo, e->path, GIT_OBJECT_BLOB, NULL) < 0)
			q->give_up = true;
		else if (!git_oid_equal(&oid, &e->id))
			quick_found(q, e->path);
	}
	git_error_clear();
}

static bool quick_ignored(struct quick_status *q, const char *path)
{
	int ignored = 0;

	if (git_ignore_path_is_ignored(&ignored, q->repo, path) < 0) {
		git_error_clear();
		q->give_up = true;
	}
	return ignored;
}

/* Reads the folder `dir` ("" for the root, else ending in '/') for files
 * the index does not have; `untracked`: nothing below it is tracked, so
 * every file that is not ignored is new. */
static void quick_walk(struct quick_status *q, const char *dir, bool untracked)
{
	struct crm_buf path = CRM_BUF_INIT;
	struct dirent *de;
	size_t pos, keep;
	DIR *d;
	int fd = *dir ? openat(q->rootfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
		      : dup(q->rootfd);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		q->give_up = true;
		return;
	}
	crm_buf_adds(&path, dir);
	keep = path.len;
	while (!q->give_up && !q->err && (de = readdir(d))) {
		bool is_dir;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".git"))
			continue;
		crm_buf_truncate(&path, keep);
		crm_buf_adds(&path, de->d_name);
		if (de->d_type == DT_UNKNOWN) {
			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW)) {
				q->give_up = true;
				break;
			}
			is_dir = S_ISDIR(st.st_mode);
		} else {
			is_dir = de->d_type == DT_DIR;
		}
		/* below a prefix only; and the folders on the way to it */
		if (strncmp(path.ptr, q->prefix, path.len < q->plen ? path.len : q->plen))
			continue;
		if (is_dir) {
			bool inside;
			crm_buf_addch(&path, '/');
			inside = !untracked && !git_index_find_prefix(&pos, q->index, path.ptr);
			if (inside || path.len <= q->plen || !quick_ignored(q, path.ptr))
				quick_walk(q, path.ptr, !inside && path.len > q->plen);
		} else if (path.len >= q->plen &&
			   (untracked || !git_index_get_bypath(q->index, path.ptr, 0)) &&
			   !quick_ignored(q, path.ptr)) {
			quick_found(q, path.ptr);
		}
	}
	git_error_clear();
	closedir(d);
	crm_buf_release(&path);
}

/* A boolean of git's configuration, `fallback` when unset or unreadable. */
static bool config_bool(git_repository *repo, const char *key, bool fallback)
{
	git_config *cfg = NULL;
	int value = fallback;

	if (git_repository_config_snapshot(&cfg, repo) < 0 ||
	    git_config_get_bool(&value, cfg, key) < 0)
		value = fallback;
	git_config_free(cfg);
	git_error_clear();
	return value;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The quick status: 0 with *done set when it could tell (cb called for
 * each path, in order), *done false when libgit2's status must. */
static int quick_status(struct crm_git *g, const char *prefix,
			int (*cb)(const char *path, void *payload), void *payload, bool *done)
{
	struct quick_status q;
	struct crm_buf index_path = CRM_BUF_INIT;
	struct tracked *tracked = NULL;
	struct stat ist;
	size_t i, n;
	int err = 0;

	*done = false;
	memset(&q, 0, sizeof(q));
	q.repo = g->repo;
	q.prefix = prefix ? prefix : "";
	q.plen = strlen(q.prefix);
	q.rootfd = open(git_repository_workdir(g->repo), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (q.rootfd < 0 || git_repository_index(&q.index, g->repo) < 0 ||
	    git_index_read(q.index, 0) < 0 || git_index_has_conflicts(q.index) ||
	    index_differs_from_head(g->repo, q.index, q.prefix))
		goto done;
	crm_buf_addf(&index_path, "%sindex", git_repository_path(g->repo));
	q.index_mtime_s = stat(index_path.ptr, &ist) ? INT64_MAX : (int64_t)ist.st_mtim.tv_sec;
	q.filemode = config_bool(g->repo, "core.filemode", true);
	if (!list_tracked(&q, &tracked, &n))
		q.give_up = true;
	else
		stat_tracked(&q, tracked, n);
	if (!q.give_up && !q.err)
		quick_walk(&q, "", false);
	err = q.err;
	if (q.give_up || err)
		goto done;
	*done = true;
	if (q.found.len)   /* qsort of NULL is undefined, even for none */
		qsort(q.found.ptr, q.found.len, sizeof(*q.found.ptr), compare_paths);
	for (i = 0; i < q.found.len && !err; i++) {
		if (!i || strcmp(q.found.ptr[i], q.found.ptr[i - 1]))
			err = cb(q.found.ptr[i], payload);
	}
done:
	git_error_clear();
	for (i = 0; i < q.found.len; i++)
		free(q.found.ptr[i]);
	CRM_ARRAY_RELEASE(q.found);
	free(tracked);
	crm_buf_release(&index_path);
	git_index_free(q.index);
	if (q.rootfd >= 0)
		close(q.rootfd);
	return err;
}

int crm_git_status_dirty(struct crm_git *g, const char *prefix,
			 int (*cb)(const char *path, void *payload), void *payload)
{
	git_status_options opts;
	git_status_list *list = NULL;
	char *spec = (char *)prefix;
	size_t i, n, plen = prefix ? strlen(prefix) : 0;
	int err = 0;

	bool done;

	err = quick_status(g, prefix, cb, payload, &done);
	if (err || done)
		return err;
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		     GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY;
	if (plen) {
		/* literal, so that a folder named "a*" means itself; the check
		 * below keeps "clients/" from matching a file "clients-x" */
		opts.flags |= GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}
	if (git_status_list_new(&list, g->repo, &opts) < 0)
		return git_fail(CRM_EIO, "cannot read the status of the work tree");
	n = git_status_list_entrycount(list);
	for (i = 0; i < n && !err; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir
							      : e->head_to_index;
		const char *path;

		if (e->status == GIT_STATUS_CURRENT || (e->status & GIT_STATUS_IGNORED) || !d)
			continue;
		path = d->new_file.path ? d->new_file.path : d->old_file.path;
		if (!path || strncmp(path, prefix ? prefix : "", plen))
			continue;
		err = cb(path, payload);
	}
	git_status_list_free(list);
	return err;
}

/* ---- uncommitted record edits, from the stat data a walk already has ---- */

/* What entry_matches compares of an index entry, from libgit2's index
 * or from the index file read as a stream. */
struct entry_stat {
	uint32_t size, mtime_ns, ino;
	int32_t mtime_s;
	git_oid id;
};

static void entry_stat_of(struct entry_stat *out, const git_index_entry *e)
{
	out->size = e->file_size;
	out->mtime_s = e->mtime.seconds;
	out->mtime_ns = e->mtime.nanoseconds;
	out->ino = e->ino;
	git_oid_cpy(&out->id, &e->id);
}

/* Does the work tree file agree with its index entry?  Stat data first, as
 * git does; the content when the stat data differs or is racy (written in
 * the same second as the index). */
static bool entry_matches(git_repository *repo, const struct entry_stat *e, const char *path,
			  const struct crm_file_stamp *st, int64_t index_mtime_s)
{
	struct crm_buf full = CRM_BUF_INIT;
	git_oid oid;
	bool same;

	if ((uint64_t)e->size == (st->size & 0xffffffffu) &&
	    (int64_t)e->mtime_s * 1000000000 + e->mtime_ns == st->mtime_ns &&
	    (uint64_t)e->ino == (st->ino & 0xffffffffu) && (int64_t)e->mtime_s < index_mtime_s)
		return true;
	crm_buf_addf(&full, "%s%s", git_repository_workdir(repo), path);
	same = !git_odb_hashfile(&oid, full.ptr, GIT_OBJECT_BLOB) && git_oid_equal(&oid, &e->id);
	crm_buf_release(&full);
	return same;
}

static bool under_any(const char *path, const char *const *folders, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strncmp(path, folders[i], strlen(folders[i])))
			return true;
	return false;
}

/* Tracked files below `prefix` outside the record folders (crm.ini,
 * schemas): few, so each asks git for its status. */
static bool other_file_changed(git_repository *repo, const char *path)
{
	unsigned int flags = 0;
	return git_status_file(&flags, repo, path) < 0 ||
	       (flags & (GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_DELETED | GIT_STATUS_WT_TYPECHANGE |
			 GIT_STATUS_WT_RENAMED));
}

/* The id of the tree (or blob) at `prefix` ("crm/", or "" for the root)
 * below tree `root`; zero when there is nothing there. */
static int tree_id_at(git_oid *out, git_repository *repo, const git_oid *root, const char *prefix)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	char *path;
	size_t len = strlen(prefix);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!len) {
		git_oid_cpy(out, root);
		return 0;
	}
	path = strndup(prefix, prefix[len - 1] == '/' ? len - 1 : len);
	if (!path || git_tree_lookup(&tree, repo, root) < 0) {
		free(path);
		return -1;
	}
	rc = git_tree_entry_bypath(&e, tree, path);
	if (!rc)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(tree);
	free(path);
	return rc == GIT_ENOTFOUND ? 0 : rc;
}

/* Whether the index stages anything HEAD does not have below `prefix`.
 * The quick way compares the tree the index would commit with HEAD's:
 * git's cache of tree ids in the index (its TREE extension, which git and
 * libgit2 keep) leaves only the folders of changed entries to hash, where
 * a diff reads HEAD's whole tree.  Building that tree may store tree
 * objects for staged changes, as git write-tree does.  The diff remains
 * for when it cannot (a read-only object store). */
static bool index_differs_from_head(git_repository *repo, git_index *index, const char *prefix)
{
	git_commit *head = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_diff_options o;
	git_oid staged, at_head, staged_root;
	char *spec[1] = { (char *)prefix };
	bool differs = true;

	if (crm_git_head_commit(&head, repo) || !head)
		return true;
	if (!git_index_write_tree(&staged_root, index) &&
	    !tree_id_at(&staged, repo, &staged_root, prefix ? prefix : "") &&
	    !tree_id_at(&at_head, repo, git_commit_tree_id(head), prefix ? prefix : "")) {
		git_commit_free(head);
		return !git_oid_equal(&staged, &at_head);
	}
	git_error_clear();
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	if (prefix && *prefix) {
		o.pathspec.strings = spec;
		o.pathspec.count = 1;
		o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	if (!git_commit_tree(&tree, head) && !git_diff_tree_to_index(&diff, repo, tree, index, &o))
		differs = git_diff_num_deltas(diff) > 0;
	git_diff_free(diff);
	git_tree_free(tree);
	git_commit_free(head);
	return differs;
}

int crm_git_worktree_dirty_libgit2(struct crm_git *g, const char *prefix,
				   const char *const *folders, size_t nfolders,
				   const char *const *paths, const struct crm_file_stamp *stamps,
				   size_t n, bool *dirty_out)
{
	git_index *index = NULL;
	struct crm_buf index_path = CRM_BUF_INIT;
	struct stat ist;
	size_t i, count, tracked = 0, plen = prefix ? strlen(prefix) : 0;
	int64_t index_mtime_s = 0;
	bool dirty = false;

	*dirty_out = true;
	if (git_repository_index(&index, g->repo) < 0 || git_index_read(index, 0) < 0) {
		git_index_free(index);
		return git_fail(CRM_EIO, "cannot read git's index");
	}
	crm_buf_addf(&index_path, "%sindex", git_repository_path(g->repo));
	if (!stat(index_path.ptr, &ist))
		index_mtime_s = (int64_t)ist.st_mtim.tv_sec;
	crm_buf_release(&index_path);
	dirty = git_index_has_conflicts(index) || index_differs_from_head(g->repo, index, prefix);
	for (i = 0; i < n && !dirty; i++) {
		const git_index_entry *e = git_index_get_bypath(index, paths[i], 0);
		struct entry_stat es;
		if (e)
			entry_stat_of(&es, e);
		dirty = !e || !entry_matches(g->repo, &es, paths[i], &stamps[i], index_mtime_s);
	}
	count = git_index_entrycount(index);
	for (i = 0; i < count && !dirty; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		size_t len = strlen(e->path);
		if (strncmp(e->path, prefix ? prefix : "", plen))
			continue;
		if (!under_any(e->path, folders, nfolders))
			dirty = other_file_changed(g->repo, e->path);
		else if (len > 5 && !strcmp(e->path + len - 5, ".yaml"))
			tracked++;
	}
	/* a tracked record the walk did not find was deleted */
	*dirty_out = dirty || tracked != n;
	git_index_free(index);
	return 0;
}

/* ---- the same question from the index file, read as a stream ---- */

/* libgit2's index of 100 000 records takes 24 MB, held while the figures
 * that wait for this answer are built: the index file is read twice
 * through a small window instead (git_index_file.c), once to check it and
 * find the cache tree, once to walk its entries beside the found files in
 * path order.  Anything unusual in the index is left to libgit2. */

/* The tree the index would commit below the prefix, when its cache of
 * tree ids does not know it (crm's commits write trees without it): built
 * as `git write-tree` builds it, one folder per level while the entries
 * pass in path order (which is the trees' order), hashed and never
 * stored. */
struct staged_tree {
	CRM_ARRAY(struct crm_buf) levels;   /* [0] the prefix's folder, then each open one */
	struct crm_buf dir;                 /* the open folders, "a/b/", below the prefix */
	size_t depth;                       /* open folders below the prefix */
	size_t entries;
	int err;
};

static void tree_entry_add(struct crm_buf *body, uint32_t mode, const char *name, size_t len,
			   const unsigned char *id)
{
	crm_buf_addf(body, "%o ", (unsigned)mode);
	crm_buf_add(body, name, len);
	crm_buf_addch(body, '\0');
	crm_buf_add(body, id, GIT_OID_RAWSZ);
}

/* Closes the innermost open folder: its tree hashed into its parent. */
static void staged_close(struct staged_tree *t)
{
	struct crm_buf *body = &t->levels.ptr[t->depth];
	const char *name;
	size_t len;
	git_oid id;

	crm_buf_truncate(&t->dir, t->dir.len - 1);        /* its '/' */
	name = strrchr(t->dir.ptr, '/');
	name = name ? name + 1 : t->dir.ptr;
	len = t->dir.len - (size_t)(name - t->dir.ptr);
	if (git_odb_hash(&id, body->ptr, body->len, GIT_OBJECT_TREE) < 0)
		t->err = -1;
	else
		tree_entry_add(&t->levels.ptr[t->depth - 1], 040000, name, len, id.id);
	crm_buf_reset(body);
	crm_buf_truncate(&t->dir, (size_t)(name - t->dir.ptr));
	t->depth--;
}

/* Adds the entry at `rel` (its path below the prefix). */
static void staged_add(struct staged_tree *t, const char *rel, uint32_t mode,
		       const unsigned char *id)
{
	const char *base = strrchr(rel, '/');
	size_t dir_len = base ? (size_t)(base - rel) + 1 : 0;

	/* leave the open folders that are not on its way */
	while (t->depth && (t->dir.len > dir_len || strncmp(t->dir.ptr, rel, t->dir.len)))
		staged_close(t);
	/* and open those it is in */
	while (t->dir.len < dir_len && !t->err) {
		const char *slash = strchr(rel + t->dir.len, '/');
		struct crm_buf *level = t->depth + 1 < t->levels.len ? NULL : CRM_ARRAY_PUSH(t->levels);

		if (t->depth + 1 >= t->levels.len && !level) {
			t->err = -1;
			return;
		}
		if (level)
			crm_buf_init(level);
		crm_buf_add(&t->dir, rel + t->dir.len, (size_t)(slash - rel) + 1 - t->dir.len);
		t->depth++;
	}
	tree_entry_add(&t->levels.ptr[t->depth], mode, rel + dir_len, strlen(rel + dir_len), id);
	t->entries++;
}

/* The id of the tree built: zero when nothing is below a prefix. */
static int staged_finish(struct staged_tree *t, git_oid *out, bool root)
{
	memset(out, 0, sizeof(*out));
	while (t->depth && !t->err)
		staged_close(t);
	if (t->err)
		return -1;
	if (!t->entries && !root)
		return 0;
	return git_odb_hash(out, t->levels.ptr[0].ptr, t->levels.ptr[0].len, GIT_OBJECT_TREE) < 0
		       ? -1 : 0;
}

static void staged_release(struct staged_tree *t)
{
	size_t i;

	for (i = 0; i < t->levels.len; i++)
		crm_buf_release(&t->levels.ptr[i]);
	CRM_ARRAY_RELEASE(t->levels);
	crm_buf_release(&t->dir);
}

struct found_file {
	const char *path;
	const struct crm_file_stamp *stamp;
};

static int compare_found(const void *a, const void *b)
{
	return strcmp(((const struct found_file *)a)->path, ((const struct found_file *)b)->path);
}

struct stream_dirty {
	git_repository *repo;
	int rootfd;
	const char *prefix;
	size_t plen;
	const char *const *folders;
	size_t nfolders;
	const struct found_file *found;   /* sorted by path */
	size_t n, next;                   /* the next found file the walk meets */
	size_t tracked;                   /* record files the index has */
	int64_t index_mtime_s;
	struct staged_tree *staged;       /* NULL when the cache tree knew it */
};

/* A tracked file outside the record folders (crm.ini, a schema): unchanged
 * when its stat data says so and is not racy; else libgit2's status of the
 * one file says, as before. */
static bool stream_other_changed(struct stream_dirty *s, const struct index_file_entry *e)
{
	struct stat st;
	bool executable = e->mode == 0100755;

	if ((e->mode != 0100644 && !executable) ||
	    fstatat(s->rootfd, e->path, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode) ||
	    !!(st.st_mode & 0100) != executable || (uint64_t)st.st_size > UINT32_MAX ||
	    e->size != (uint32_t)st.st_size || e->ino != (uint32_t)st.st_ino ||
	    e->mtime_s != (int32_t)st.st_mtim.tv_sec ||
	    e->mtime_ns != (uint32_t)st.st_mtim.tv_nsec || e->ctime_s != (int32_t)st.st_ctim.tv_sec ||
	    e->ctime_ns != (uint32_t)st.st_ctim.tv_nsec || (int64_t)e->mtime_s >= s->index_mtime_s)
		return other_file_changed(s->repo, e->path);
	return false;
}

static int stream_entry(const struct index_file_entry *e, void *payload)
{
	struct stream_dirty *s = payload;
	int cmp = s->next < s->n ? strcmp(s->found[s->next].path, e->path) : 1;

	if (cmp < 0)
		return INDEX_FILE_STOP;       /* a found file the index does not have */
	if (!cmp) {
		struct entry_stat es = { e->size, e->mtime_ns, e->ino, e->mtime_s, { { 0 } } };
		git_oid_fromraw(&es.id, e->id);
		if (!entry_matches(s->repo, &es, e->path, s->found[s->next].stamp, s->index_mtime_s))
			return INDEX_FILE_STOP;
		s->next++;
	}
	if (strncmp(e->path, s->prefix, s->plen))
		return 0;
	if (s->staged)
		staged_add(s->staged, e->path + s->plen, e->mode, e->id);
	if (!under_any(e->path, s->folders, s->nfolders))
		return stream_other_changed(s, e) ? INDEX_FILE_STOP : 0;
	if (e->path_len > 5 && !strcmp(e->path + e->path_len - 5, ".yaml"))
		s->tracked++;
	return 0;
}

/* Whether `staged`, the id at the prefix of the tree the index would
 * commit (zero: nothing there), differs from HEAD's: 0 with *differs set,
 * INDEX_FILE_UNUSUAL when libgit2 must tell. */
static int differs_from_head(struct crm_git *g, const char *prefix, const git_oid *staged,
			     bool *differs)
{
	git_commit *head = NULL;
	git_oid at_head;
	int rc = 0;

	/* an unborn branch, or a HEAD that cannot be read: dirty, as before */
	*differs = true;
	if (crm_git_head_commit(&head, g->repo) || !head)
		goto done;
	if (tree_id_at(&at_head, g->repo, git_commit_tree_id(head), prefix))
		rc = INDEX_FILE_UNUSUAL;
	else
		*differs = !git_oid_equal(staged, &at_head);
done:
	git_error_clear();
	git_commit_free(head);
	return rc;
}

int crm_git_worktree_dirty_stream(struct crm_git *g, const char *prefix,
				   const char *const *folders, size_t nfolders,
				   const char *const *paths, const struct crm_file_stamp *stamps,
				   size_t n, bool *dirty_out)
{
	struct index_file f;
	struct stream_dirty s;
	struct found_file *found = NULL;
	struct crm_buf index_path = CRM_BUF_INIT;
	const char *workdir = git_repository_workdir(g->repo);
	struct staged_tree staged;
	unsigned char cached[20];
	git_oid staged_id;
	bool known = false, differs = false;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&staged, 0, sizeof(staged));
	crm_buf_init(&staged.dir);
	s.rootfd = -1;
	crm_buf_addf(&index_path, "%sindex", git_repository_path(g->repo));
	rc = index_file_open(&f, index_path.ptr);
	if (!rc)
		rc = index_file_check(&f, prefix, cached, &known);
	if (!rc && known) {
		git_oid_fromraw(&staged_id, cached);
		rc = differs_from_head(g, prefix, &staged_id, &differs);
	}
	if (rc)
		goto done;
	if (differs) {
		*dirty_out = true;
		goto done;
	}
	/* the folders of the tree to build; "a/b" without its '/' is not one */
	if (!known && ((*prefix && prefix[strlen(prefix) - 1] != '/') ||
		       !CRM_ARRAY_PUSH(staged.levels))) {
		rc = INDEX_FILE_UNUSUAL;
		goto done;
	}
	if (!known) {
		crm_buf_init(&staged.levels.ptr[0]);
		s.staged = &staged;
	}
	found = calloc(n ? n : 1, sizeof(*found));
	if (workdir)
		s.rootfd = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!found || s.rootfd < 0) {
		rc = INDEX_FILE_UNUSUAL;
		goto done;
	}
	for (i = 0; i < n; i++) {
		found[i].path = paths[i];
		found[i].stamp = &stamps[i];
	}
	if (n)
		qsort(found, n, sizeof(*found), compare_found);
	s.repo = g->repo;
	s.prefix = prefix;
	s.plen = strlen(prefix);
	s.folders = folders;
	s.nfolders = nfolders;
	s.found = found;
	s.n = n;
	s.index_mtime_s = f.mtime_s;
	rc = index_file_each(&f, stream_entry, &s);
	if (rc == INDEX_FILE_STOP) {
		*dirty_out = true;
		rc = 0;
	} else if (!rc) {
		/* a tracked record the walk did not find was deleted */
		*dirty_out = s.next < n || s.tracked != n;
		if (!*dirty_out && !known) {
			if (staged_finish(&staged, &staged_id, !*prefix))
				rc = INDEX_FILE_UNUSUAL;
			else
				rc = differs_from_head(g, prefix, &staged_id, dirty_out);
		}
	}
done:
	staged_release(&staged);
	if (s.rootfd >= 0)
		close(s.rootfd);
	free(found);
	crm_buf_release(&index_path);
	index_file_close(&f);
	return rc;
}

int crm_git_worktree_dirty(struct crm_git *g, const char *prefix, const char *const *folders,
			   size_t nfolders, const char *const *paths,
			   const struct crm_file_stamp *stamps, size_t n, bool *dirty_out)
{
	if (!crm_git_worktree_dirty_stream(g, prefix ? prefix : "", folders, nfolders, paths, stamps,
					   n, dirty_out))
		return 0;
	return crm_git_worktree_dirty_libgit2(g, prefix, folders, nfolders, paths, stamps, n,
					      dirty_out);
}

struct dirty_count {
	int (*cb)(const char *path, void *payload);
	void *payload;
	size_t count;
};

static int count_dirty(const char *path, void *payload)
{
	struct dirty_count *dc = payload;

	dc->count++;
	return dc->cb ? dc->cb(path, dc->payload) : 0;
}

int crm_git_dirty(struct crm_git *g, const char *prefix,
		  int (*cb)(const char *path, void *payload), void *payload, size_t *count_out)
{
	struct dirty_count dc = { cb, payload, 0 };
	int err = crm_git_status_dirty(g, prefix, count_dirty, &dc);

	*count_out = dc.count;
	return err;
}

/* ---- unmerged paths: what a merge git could not finish left behind ---- */

/* The repository's index as it is on disk now (a `git merge` or `git add`
 * of another process since we opened it included). */
static int read_index(git_index **out, git_repository *repo)
{
	*out = NULL;
	if (git_repository_index(out, repo) < 0 || git_index_read(*out, 0) < 0) {
		git_index_free(*out);
		*out = NULL;
		return git_fail(CRM_EIO, "cannot read git's index");
	}
	return 0;
}

/* Whether git's index file holds only stage-0 entries, read as a stream:
 * every command's guard asks, and libgit2's index costs some 60 ms and
 * 24 MB at 100 000 records.  False also when the stream reader leaves the
 * file to libgit2 (conflicts among them), which then answers. */
static bool index_file_plain(git_repository *repo)
{
	struct crm_buf path = CRM_BUF_INIT;
	struct index_file f;
	unsigned char tree_id[20];
	bool known, plain;

	if (crm_buf_addf(&path, "%sindex", git_repository_path(repo)))
		return false;
	plain = !index_file_open(&f, path.ptr) && !index_file_check(&f, "", tree_id, &known);
	index_file_close(&f);
	crm_buf_release(&path);
	return plain;
}

int crm_git_unmerged(struct crm_git *g, const char *prefix,
		     int (*cb)(const char *path, void *payload), void *payload)
{
	git_index *index = NULL;
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *base, *ours, *theirs;
	size_t plen = prefix ? strlen(prefix) : 0;
	int rc, err;

	if (index_file_plain(g->repo))
		return 0;
	err = read_index(&index, g->repo);
	if (err || !git_index_has_conflicts(index))
		goto done;
	if (git_index_conflict_iterator_new(&it, index) < 0) {
		err = git_fail(CRM_EIO, "cannot read the unmerged entries of git's index");
		goto done;
	}
	/* one call per path, whichever of its three stages it has */
	while (!err && !(rc = git_index_conflict_next(&base, &ours, &theirs, it))) {
		const git_index_entry *any = ours ? ours : theirs ? theirs : base;
		if (!strncmp(any->path, prefix ? prefix : "", plen))
			err = cb(any->path, payload);
	}
	if (!err && rc != GIT_ITEROVER)
		err = git_fail(CRM_EIO, "cannot read the unmerged entries of git's index");
done:
	git_index_conflict_iterator_free(it);
	git_index_free(index);
	return err;
}

static int read_stage(struct crm_buf *out, bool *present, git_repository *repo,
		      const git_index_entry *e)
{
	git_blob *blob = NULL;
	int err = 0;

	crm_buf_reset(out);
	*present = e != NULL;
	if (!e)
		return 0;
	if (git_blob_lookup(&blob, repo, &e->id) < 0)
		return git_fail(CRM_EIO, "cannot read a version of an unmerged file");
	if (crm_buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob)))
		err = oom();
	git_blob_free(blob);
	return err;
}

int crm_git_unmerged_read(struct crm_git *g, const char *path, struct crm_git_stages *out)
{
	git_index *index = NULL;
	const git_index_entry *base = NULL, *ours = NULL, *theirs = NULL;
	int rc, err = read_index(&index, g->repo);

	if (err)
		return err;
	rc = git_index_conflict_get(&base, &ours, &theirs, index, path);
	if (rc == GIT_ENOTFOUND)
		err = crm_error_set(CRM_ENOTFOUND, "'%s' is not unmerged in git's index", path);
	else if (rc < 0)
		err = git_fail(CRM_EIO, "cannot read the unmerged entries of git's index");
	if (!err)
		err = read_stage(&out->base, &out->has_base, g->repo, base);
	if (!err)
		err = read_stage(&out->ours, &out->has_ours, g->repo, ours);
	if (!err)
		err = read_stage(&out->theirs, &out->has_theirs, g->repo, theirs);
	git_index_free(index);
	return err;
}

int crm_git_add(struct crm_git *g, const char *path)
{
	git_index *index = NULL;
	int rc, err = read_index(&index, g->repo);

	if (err)
		return err;
	/* adding a path drops its conflict stages, as `git add` does */
	rc = git_index_add_bypath(index, path);
	if (!rc)
		rc = git_index_write(index);
	if (rc < 0)
		err = git_fail_rc(rc, CRM_EIO, "cannot stage the file in git's index");
	git_index_free(index);
	return err;
}
