/* Commits of ours: named files staged and committed (crm's writes), or
 * everything (crm init), refused while a merge or the like is under way;
 * a commit's tree built from HEAD's so other staged changes stay staged. */
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crm/array.h"
#include "crm/buf.h"
#include "crm/error.h"
#include "crm/git.h"
#include "core/git/git_internal.h"

/* Refuses while the index or the repository is in the middle of something
 * a commit of ours would cut across. */
static int refuse_unfinished(git_repository *repo, git_index *index)
{
	const char *what = NULL;

	if (git_index_has_conflicts(index))
		return crm_error_set(CRM_ECONFLICT, "the git index has unmerged files; resolve "
				     "them ('git add' or 'git rm') and commit first");
	switch (git_repository_state(repo)) {
	case GIT_REPOSITORY_STATE_MERGE:
		what = "merge";
		break;
	case GIT_REPOSITORY_STATE_REVERT:
	case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
		what = "revert";
		break;
	case GIT_REPOSITORY_STATE_CHERRYPICK:
	case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
		what = "cherry-pick";
		break;
	default:
		return 0;
	}
	return crm_error_set(CRM_ECONFLICT, "a %s is in progress; finish it with 'git commit' "
			     "(or abort it) first", what);
}

/* The repository's index, brought up to date with the file on disk (an
 * earlier `git add` of the user's, or another crm process). */
static int load_index(git_index **out, git_repository *repo)
{
	int rc;

	*out = NULL;
	rc = git_repository_index(out, repo);
	if (!rc)
		rc = git_index_read(*out, 0);
	if (rc < 0) {
		rc = git_fail_rc(rc, CRM_EIO, "cannot read the git index");
		git_index_free(*out);
		*out = NULL;
	}
	return rc;
}

int crm_git_head_commit(git_commit **out, git_repository *repo)
{
	git_oid id;
	int rc;

	*out = NULL;
	rc = git_reference_name_to_id(&id, repo, "HEAD");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		return 0;
	if (rc < 0 || git_commit_lookup(out, repo, &id) < 0)
		return git_fail(CRM_EIO, "cannot read HEAD");
	return 0;
}

/* Records are small; a larger file is staged the general way, which
 * streams it. */
#define STAGE_PLAIN_MAX (16 * 1024 * 1024)

/* Whether git's checkin filters leave `text` as it is: libgit2 applies
 * only its built-in ones, crlf (which changes nothing without a CR) and
 * ident (nothing without "$Id").  Then a blob can be made from the bytes
 * without looking up the path's attributes, which is most of what staging
 * one file costs. */
static bool checkin_is_identity(const char *text, size_t len)
{
	return !memchr(text, '\r', len) && !memmem(text, len, "$Id", 3);
}

/* The blob of `text` added to the index as `e`.  With `mem` (a bulk
 * commit's in-memory object store) the blob goes straight into it: through
 * the object database, each write would first look for the object in
 * every pack and loose folder, re-reading the pack folder each time. */
static int add_blob(git_index *index, git_odb_backend *mem, git_index_entry *e,
		    const char *data, size_t len)
{
	if (!mem)
		return git_index_add_from_buffer(index, e, data, len);
	e->file_size = (uint32_t)len;
	if (git_odb_hash(&e->id, data, len, GIT_OBJECT_BLOB) < 0 ||
	    mem->write(mem, &e->id, data, len, GIT_OBJECT_BLOB) < 0)
		return -1;
	return git_index_add(index, e);
}

/* Stages `path` as the blob of `data` with the stat data `st` (the file
 * holds exactly those bytes, and git's filters leave them as they are):
 * 1, or the error. */
static int add_known(git_index *index, git_odb_backend *mem, const char *path,
		     const char *data, size_t len, const struct stat *st)
{
	git_index_entry e;

	memset(&e, 0, sizeof(e));
	e.ctime.seconds = (int32_t)st->st_ctim.tv_sec;
	e.ctime.nanoseconds = (uint32_t)st->st_ctim.tv_nsec;
	e.mtime.seconds = (int32_t)st->st_mtim.tv_sec;
	e.mtime.nanoseconds = (uint32_t)st->st_mtim.tv_nsec;
	e.dev = (uint32_t)st->st_dev;
	e.ino = (uint32_t)st->st_ino;
	e.uid = st->st_uid;
	e.gid = st->st_gid;
	e.mode = (st->st_mode & 0111) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
	e.path = path;
	if (add_blob(index, mem, &e, data, len) < 0)
		return git_fail(CRM_EIO, "cannot stage a file");
	return 1;
}

/* Stages the regular file `full` (`path` in the index) from its bytes:
 * 1 when staged, 0 when git's filters might change it (the caller stages
 * it the general way), or the error. */
static int stage_plain_file(git_index *index, git_odb_backend *mem, const char *full,
			    const char *path)
{
	struct crm_buf text = CRM_BUF_INIT;
	struct stat st;
	int fd, rc = 0;

	fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > STAGE_PLAIN_MAX) {
		close(fd);
		return 0;
	}
	/* read_fd closes fd; a file that changed size meanwhile goes the
	 * general way */
	if (crm_buf_read_fd(&text, fd, full, STAGE_PLAIN_MAX, (uint64_t)st.st_size) ||
	    (size_t)st.st_size != text.len || !checkin_is_identity(text.ptr, text.len)) {
		crm_error_clear();
		goto done;
	}
	rc = add_known(index, mem, path, text.ptr, text.len, &st);
done:
	crm_buf_release(&text);
	return rc;
}

/* Stages `path` in the repository's index from the work tree: added when
 * it exists, removed (a folder with everything below it) when not.  `mem`:
 * see add_blob. */
static int stage_path(git_index *index, git_odb_backend *mem, const char *workdir,
		      const char *path, const struct crm_git_known_file *known)
{
	struct crm_buf full = CRM_BUF_INIT;
	struct stat st;
	int rc, err = 0;

	if (!*path || path[0] == '/')
		return crm_error_set(CRM_EINVALID, "cannot commit '%s': not a path inside the "
				     "work tree", path);
	/* a file crm has just created, as it wrote it */
	if (known && known->data && S_ISREG(known->st.st_mode) &&
	    (uint64_t)known->st.st_size == known->len &&
	    checkin_is_identity(known->data, known->len)) {
		rc = add_known(index, mem, path, known->data, known->len, &known->st);
		return rc > 0 ? 0 : rc;
	}
	if (crm_buf_addf(&full, "%s%s", workdir, path))
		return oom();
	if (!lstat(full.ptr, &st)) {
		if (S_ISDIR(st.st_mode))
			err = crm_error_set(CRM_EINVALID, "cannot commit '%s': it is a folder; "
					    "name its files", path);
		else if (S_ISREG(st.st_mode) && (err = stage_plain_file(index, mem, full.ptr, path)))
			err = err > 0 ? 0 : err;
		else if (git_index_add_bypath(index, path) < 0)
			err = git_fail(CRM_EIO, "cannot stage a file");
	} else if (errno == ENOENT || errno == ENOTDIR) {
		rc = git_index_remove_bypath(index, path);
		if (!rc)
			rc = git_index_remove_directory(index, path, 0);
		if (rc < 0 && rc != GIT_ENOTFOUND)
			err = git_fail(CRM_EIO, "cannot unstage a file");
	} else {
		err = crm_error_errno(CRM_EIO, "cannot read '%s'", full.ptr);
	}
	crm_buf_release(&full);
	return err;
}

/* The tree of `parent` (none: empty) with `paths` as the index now has
 * them, written to the object database: what `git commit --only` commits. */
static int only_tree(git_oid *out, git_repository *repo, git_index *index,
		     git_commit *parent, const char *const *paths, size_t npaths)
{
	git_index *tmp = NULL;
	git_tree *base = NULL;
	const git_index_entry *e;
	size_t i;
	int rc;

	rc = git_index_new(&tmp);
	if (!rc && parent)
		rc = git_commit_tree(&base, parent);
	if (!rc && base)
		rc = git_index_read_tree(tmp, base);
	for (i = 0; !rc && i < npaths; i++) {
		e = git_index_get_bypath(index, paths[i], 0);
		if (e) {
			rc = git_index_add(tmp, e);
			continue;
		}
		rc = git_index_remove(tmp, paths[i], 0);
		if (rc == GIT_ENOTFOUND)
			rc = 0;
		if (!rc)
			rc = git_index_remove_directory(tmp, paths[i], 0);
		if (rc == GIT_ENOTFOUND)
			rc = 0;
	}
	if (!rc)
		rc = git_index_write_tree_to(out, tmp, repo);
	if (rc < 0)
		rc = git_fail(CRM_EIO, "cannot write the tree");
	git_tree_free(base);
	git_index_free(tmp);
	return rc;
}

/* `tree` (NULL: none) with the entry at `path` replaced by `e` (NULL:
 * removed, a folder with everything below it), written to the object
 * database as *out; *empty_out tells that nothing is left.  Only the trees
 * on the path are read and written, so the cost does not grow with the
 * repository (what `git commit` does with its cache-tree). */
static int replace_in_tree(git_oid *out, bool *empty_out, git_repository *repo,
			   const git_tree *tree, const char *path, const git_index_entry *e)
{
	const char *slash = strchr(path, '/');
	git_treebuilder *tb = NULL;
	git_tree *sub = NULL;
	char name[1024];
	size_t n = slash ? (size_t)(slash - path) : strlen(path);
	int rc;

	if (!n || n >= sizeof(name))
		return -1;
	memcpy(name, path, n);
	name[n] = '\0';
	rc = git_treebuilder_new(&tb, repo, tree);
	if (!rc && slash) {
		const git_tree_entry *te = tree ? git_tree_entry_byname(tree, name) : NULL;
		git_oid sub_id;
		bool empty = false;

		if (te && git_tree_entry_type(te) == GIT_OBJECT_TREE)
			rc = git_tree_lookup(&sub, repo, git_tree_entry_id(te));
		if (!rc)
			rc = replace_in_tree(&sub_id, &empty, repo, sub, slash + 1, e);
		if (!rc && empty) {
			rc = git_treebuilder_remove(tb, name);
			if (rc == GIT_ENOTFOUND)
				rc = 0;
		} else if (!rc)
			rc = git_treebuilder_insert(NULL, tb, name, &sub_id, GIT_FILEMODE_TREE);
	} else if (!rc && e) {
		rc = git_treebuilder_insert(NULL, tb, name, &e->id, (git_filemode_t)e->mode);
	} else if (!rc) {
		rc = git_treebuilder_remove(tb, name);
		if (rc == GIT_ENOTFOUND)
			rc = 0;
	}
	if (!rc) {
		*empty_out = git_treebuilder_entrycount(tb) == 0;
		rc = git_treebuilder_write(out, tb);
	}
	git_tree_free(sub);
	git_treebuilder_free(tb);
	return rc;
}

/* What only_tree makes, for a few paths: their trees rewritten one path
 * at a time from `parent`'s. */
static int path_tree(git_oid *out, git_repository *repo, git_index *index,
		     git_commit *parent, const char *const *paths, size_t npaths)
{
	git_tree *tree = NULL, *next = NULL;
	git_oid id;
	size_t i;
	bool empty;
	int rc = git_commit_tree(&tree, parent);

	for (i = 0; !rc && i < npaths; i++) {
		rc = replace_in_tree(&id, &empty, repo, tree, paths[i],
				     git_index_get_bypath(index, paths[i], 0));
		if (!rc)
			rc = git_tree_lookup(&next, repo, &id);
		git_tree_free(tree);
		tree = next;
		next = NULL;
	}
	if (!rc)
		git_oid_cpy(out, git_tree_id(tree));
	git_tree_free(tree);
	return rc < 0 ? git_fail(CRM_EIO, "cannot write the tree") : 0;
}

/* Commits tree `tree_id` on HEAD with `parent` (NULL: a root commit). */
static int make_commit(struct crm_git *g, char out_id[41], const struct commit_meta *m,
		       git_commit *parent, const git_oid *tree_id)
{
	git_tree *tree = NULL;
	git_oid id;
	int rc, err = 0;

	if (git_tree_lookup(&tree, g->repo, tree_id) < 0)
		return git_fail(CRM_EIO, "cannot read the new tree");
	rc = git_commit_create(&id, g->repo, "HEAD", m->author, m->committer, NULL,
			       m->message.ptr, tree, parent ? 1 : 0,
			       (const git_commit **)&parent);
	if (rc < 0)
		err = git_fail_rc(rc, CRM_EIO, "cannot commit");
	else
		git_oid_tostr(out_id, 41, &id);
	git_tree_free(tree);
	return err;
}

/* What every commit starts from: identity and dates, the index (refused
 * while a merge is unfinished) and HEAD's commit (NULL on an unborn
 * branch). */
static int commit_begin(struct commit_meta *meta, git_index **index, git_commit **parent,
			struct crm_git *g, const char *message)
{
	int err = crm_git_meta_init(meta, g, message);
	if (!err)
		err = load_index(index, g->repo);
	if (!err)
		err = refuse_unfinished(g->repo, *index);
	if (!err)
		err = crm_git_head_commit(parent, g->repo);
	return err;
}

/* Every commit's end: git's index written (so `git status` agrees), the
 * commit made on HEAD, and what commit_begin took released.  `err` is the
 * caller's so far: nothing is written after a failure. */
static int commit_end(struct crm_git *g, char out_id[41], struct commit_meta *meta,
		      git_index *index, git_commit *parent, const git_oid *tree_id, int err)
{
	int rc;

	if (!err && (rc = git_index_write(index)) < 0)
		err = git_fail_rc(rc, CRM_EIO, "cannot write the git index");
	if (!err)
		err = make_commit(g, out_id, meta, parent, tree_id);
	git_commit_free(parent);
	git_index_free(index);
	crm_git_meta_release(meta);
	return err;
}

/* From this many paths on, a commit's new blobs and trees go into one pack
 * instead of a loose object file each: an import of 10 000 records then
 * creates 10 000 files in the work tree rather than 20 000 (the creation of
 * files is what such a commit costs), as `git fast-import` does. */
#define BULK_PATHS 256

/* Object ids, for a pack. */
struct oid_list {
	CRM_ARRAY(git_oid) ids;
};

static int oid_list_add(struct oid_list *l, const git_oid *id)
{
	git_oid *slot = CRM_ARRAY_PUSH(l->ids);

	if (!slot)
		return oom();
	git_oid_cpy(slot, id);
	return 0;
}

/* Adds to `l` the trees of `tree` that `old` (NULL: none) does not have at
 * the same place: what a commit of `tree` on `old` adds, without reading
 * the unchanged parts. */
static int add_new_trees(struct oid_list *l, git_repository *repo, const git_tree *tree,
			 const git_tree *old)
{
	size_t i, n = git_tree_entrycount(tree);
	int err = oid_list_add(l, git_tree_id(tree));

	for (i = 0; !err && i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const git_tree_entry *was = old ? git_tree_entry_byname(old, git_tree_entry_name(e))
						: NULL;
		git_tree *sub = NULL, *old_sub = NULL;

		if (git_tree_entry_type(e) != GIT_OBJECT_TREE ||
		    (was && git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(was))))
			continue;
		if (git_tree_lookup(&sub, repo, git_tree_entry_id(e)) < 0 ||
		    (was && git_tree_entry_type(was) == GIT_OBJECT_TREE &&
		     git_tree_lookup(&old_sub, repo, git_tree_entry_id(was)) < 0))
			err = git_fail(CRM_EIO, "cannot read a tree");
		if (!err)
			err = add_new_trees(l, repo, sub, old_sub);
		git_tree_free(sub);
		git_tree_free(old_sub);
	}
	return err;
}

/* Writes the objects a commit of tree `tree_id` on `parent` adds (the
 * staged blobs of `paths` and the new trees) to the repository as one
 * pack, read from wherever `repo`'s object database holds them. */
static int write_new_objects(git_repository *repo, git_index *index, git_commit *parent,
			     const git_oid *tree_id, const char *const *paths, size_t npaths)
{
	struct oid_list l;
	git_tree *tree = NULL, *old = NULL;
	struct crm_buf dir = CRM_BUF_INIT;
	size_t i;
	int err = 0;

	memset(&l, 0, sizeof(l));
	for (i = 0; !err && i < npaths; i++) {
		const git_index_entry *e = git_index_get_bypath(index, paths[i], 0);
		if (e)
			err = oid_list_add(&l, &e->id);
	}
	if (!err && (git_tree_lookup(&tree, repo, tree_id) < 0 ||
		     (parent && git_commit_tree(&old, parent) < 0)))
		err = git_fail(CRM_EIO, "cannot read the commit's tree");
	if (!err)
		err = add_new_trees(&l, repo, tree, old);
	if (!err && crm_buf_addf(&dir, "%sobjects/pack", git_repository_path(repo)))
		err = oom();
	if (!err)
		err = crm_git_pack_write(repo, l.ids.ptr, l.ids.len, dir.ptr);
	crm_buf_release(&dir);
	git_tree_free(old);
	git_tree_free(tree);
	CRM_ARRAY_RELEASE(l.ids);
	return err;
}

/* Stages `paths` and writes their tree as crm_git_commit does, through a
 * second handle on the repository whose new objects are held in memory and
 * written as one pack; git's index file is written after the pack, so it
 * never names an object that is not there yet.  The caller re-reads the
 * index and commits the tree `out` on its own handle. */
static int bulk_tree(git_oid *out, struct crm_git *g, git_commit *parent,
		     const char *const *paths, const struct crm_git_known_file *known,
		     size_t npaths)
{
	const char *workdir = git_repository_workdir(g->repo);
	git_repository *bulk = NULL;
	git_odb *odb = NULL;
	git_odb_backend *mem = NULL;
	git_index *index = NULL;
	git_commit *bulk_parent = NULL;
	size_t i;
	int err = 0;

	/* opened by its work tree, as the caller's handle was (libgit2 1.5's
	 * git_repository_set_workdir leaks what it replaces) */
	if (git_repository_open(&bulk, workdir) < 0 ||
	    git_repository_odb(&odb, bulk) < 0 || git_mempack_new(&mem) < 0)
		err = git_fail(CRM_EIO, "cannot open the repository for a large commit");
	/* the odb owns the backend once added; the highest priority takes
	 * every write */
	if (!err && git_odb_add_backend(odb, mem, 1000) < 0) {
		mem->free(mem);
		err = git_fail(CRM_EIO, "cannot open the repository for a large commit");
	}
	if (!err)
		err = load_index(&index, bulk);
	for (i = 0; !err && i < npaths; i++)
		err = stage_path(index, mem, workdir, paths[i], known ? &known[i] : NULL);
	if (!err && parent && git_commit_lookup(&bulk_parent, bulk, git_commit_id(parent)) < 0)
		err = git_fail(CRM_EIO, "cannot read HEAD");
	if (!err)
		err = only_tree(out, bulk, index, bulk_parent, paths, npaths);
	if (!err)
		err = write_new_objects(bulk, index, bulk_parent, out, paths, npaths);
	if (!err && git_index_write(index) < 0)
		err = git_fail(CRM_EIO, "cannot write the git index");
	git_commit_free(bulk_parent);
	git_index_free(index);
	git_odb_free(odb);
	git_repository_free(bulk);
	return err;
}

int crm_git_commit(struct crm_git *g, char out_id[41], const char *const *paths,
		   size_t npaths, const char *message)
{
	return crm_git_commit_known(g, out_id, paths, NULL, npaths, message);
}

int crm_git_commit_known(struct crm_git *g, char out_id[41], const char *const *paths,
			 const struct crm_git_known_file *known, size_t npaths,
			 const char *message)
{
	struct commit_meta meta;
	git_index *index = NULL;
	git_commit *parent = NULL;
	git_oid tree_id;
	size_t i;
	int err;

	out_id[0] = '\0';
	err = commit_begin(&meta, &index, &parent, g, message);
	if (!err && npaths >= BULK_PATHS) {
		err = bulk_tree(&tree_id, g, parent, paths, known, npaths);
		if (!err && git_index_read(index, 1) < 0)
			err = git_fail(CRM_EIO, "cannot read the git index");
		return commit_end(g, out_id, &meta, index, parent, &tree_id, err);
	}
	for (i = 0; !err && i < npaths; i++)
		err = stage_path(index, NULL, git_repository_workdir(g->repo), paths[i],
				 known ? &known[i] : NULL);
	/* a few paths below an existing commit: rewrite only their trees */
	if (!err && parent && npaths <= 64)
		err = path_tree(&tree_id, g->repo, index, parent, paths, npaths);
	else if (!err)
		err = only_tree(&tree_id, g->repo, index, parent, paths, npaths);
	return commit_end(g, out_id, &meta, index, parent, &tree_id, err);
}

int crm_git_commit_all(struct crm_git *g, char out_id[41], const char *message)
{
	struct commit_meta meta;
	git_index *index = NULL;
	git_commit *parent = NULL;
	git_oid tree_id;
	int err;

	out_id[0] = '\0';
	err = commit_begin(&meta, &index, &parent, g, message);
	if (!err && (git_index_add_all(index, NULL, GIT_INDEX_ADD_DEFAULT, NULL, NULL) < 0 ||
		     git_index_update_all(index, NULL, NULL, NULL) < 0))
		err = git_fail(CRM_EIO, "cannot stage the work tree");
	if (!err && git_index_write_tree(&tree_id, index) < 0)
		err = git_fail(CRM_EIO, "cannot write the tree");
	return commit_end(g, out_id, &meta, index, parent, &tree_id, err);
}
