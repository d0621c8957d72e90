/* What the files of the git layer share, and only they (src/core/git/):
 * the handle behind struct crm_git, libgit2's errors passed on as ours, and
 * what a commit is made with.  Only files in src/core/git include it. */
#ifndef CRM_GIT_INTERNAL_H
#define CRM_GIT_INTERNAL_H

#include <git2.h>

#include "crm/error.h"
#include "crm/git.h"

struct crm_git {
	git_repository *repo;
};

/* Passes libgit2's own message on, prefixed with what we were doing. */
static inline int git_fail(int code, const char *doing)
{
	const git_error *e = git_error_last();
	return crm_error_set(code, "%s: %s", doing, e && e->message ? e->message : "git error");
}

/* git_fail for a libgit2 return code that may say more than `code`. */
static inline int git_fail_rc(int rc, int code, const char *doing)
{
	if (rc == GIT_ELOCKED)
		code = CRM_ELOCKED;
	else if (rc == GIT_EMODIFIED || rc == GIT_EUNMERGED || rc == GIT_ECONFLICT)
		code = CRM_ECONFLICT;
	else if (rc == GIT_EINVALIDSPEC)
		code = CRM_EINVALID;
	return git_fail(code, doing);
}

/* Writes objects `ids` (sorted and made unique in place; read from the
 * repository's object database) as one pack into `dir`, with its index. */
int crm_git_pack_write(git_repository *repo, git_oid *ids, size_t n, const char *dir);

static inline int oom(void)
{
	return crm_error_set(CRM_ENOMEM, "out of memory");
}

/* Everything a commit needs besides its tree and parent, made before any
 * change: a missing identity or a bad date leaves the index untouched. */
struct commit_meta {
	git_signature *author, *committer;
	git_buf message;
};

/* Makes the signatures (the user's identity, dated by GIT_AUTHOR_DATE and
 * GIT_COMMITTER_DATE when set) and the cleaned message of a commit
 * (git_repo.c).  Release *m with crm_git_meta_release, after a failure too. */
int crm_git_meta_init(struct commit_meta *m, struct crm_git *g, const char *message);
void crm_git_meta_release(struct commit_meta *m);

/* A second handle on the repository of `g` (its git folder opened again,
 * the objects of a push in quarantine included), for another thread
 * (git_repo.c).  Free it with git_repository_free while `g` is open. */
int crm_git_reopen(git_repository **out, struct crm_git *g);

/* HEAD's commit into *out, NULL on an unborn branch (git_commit.c). */
int crm_git_head_commit(git_commit **out, git_repository *repo);

/* crm_git_worktree_dirty's two ways (git_status.c), apart for the unit
 * tests that compare them.  _stream reads the index file itself: 0 with
 * *dirty_out set, or INDEX_FILE_UNUSUAL (git_index_file.h) when it leaves
 * the index to _libgit2, which loads libgit2's index; `prefix` not NULL. */
int crm_git_worktree_dirty_stream(struct crm_git *g, const char *prefix,
				  const char *const *folders, size_t nfolders,
				  const char *const *paths, const struct crm_file_stamp *stamps,
				  size_t n, bool *dirty_out);
int crm_git_worktree_dirty_libgit2(struct crm_git *g, const char *prefix,
				   const char *const *folders, size_t nfolders,
				   const char *const *paths, const struct crm_file_stamp *stamps,
				   size_t n, bool *dirty_out);

#endif
