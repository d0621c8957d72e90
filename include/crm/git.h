/* The git layer: the only part of crm that talks to libgit2.  Opening and
 * creating work trees, committing named paths with the user's identity and
 * git's date variables honoured, reading files as they stood at a commit,
 * and the date each file was added.  No libgit2 type crosses this header.
 *
 * Conventions: paths are relative to the work tree's root, '/'-separated,
 * as git writes them in trees ("clients/acme.yaml", "data/clients/x.yaml").
 * Every function that can fail returns 0 or a negative code of
 * crm/error.h and leaves a message in crm_error_last(); when libgit2
 * failed, the message ends with libgit2's own.  Callbacks return 0 to go
 * on; any other value stops the iteration and is returned as is. */
#ifndef CRM_GIT_H
#define CRM_GIT_H

#include <stdbool.h>
#include <sys/stat.h>
#include <stddef.h>
#include <stdint.h>

#include "crm/buf.h"

struct crm_git;

/* Opens the repository whose work tree contains `path` (a file or folder),
 * searching upwards from it as git does: GIT_CEILING_DIRECTORIES and
 * GIT_DISCOVERY_ACROSS_FILESYSTEM are honoured.  CRM_ENOTFOUND when there
 * is none, CRM_EINVALID for a bare repository (no work tree), CRM_EIO when
 * the repository cannot be read.  Free *out with crm_git_free. */
int crm_git_open(struct crm_git **out, const char *path);
/* Starts libgit2 (which parses every CA certificate of the system, 5 ms)
 * on another thread, for a command that will need git after work of its
 * own; crm_git_warm_up_end waits for it, before the process exits and
 * before the environment is changed (libgit2 reads it as it starts).
 * Only the main thread calls them. */
void crm_git_warm_up_begin(void);
void crm_git_warm_up_end(void);
/* For a command that will commit: opens the repository around `path` and
 * reads git's index on another thread, for crm_git_open_prepared to take
 * (at a million records that read is most of a one-record commit's git
 * work); crm_git_warm_up_end waits for it too.  crm_git_warm_up_release,
 * at the command's end, also frees what was prepared and not taken.  Only
 * the main thread calls them. */
void crm_git_prepare(const char *path);
void crm_git_warm_up_release(void);
/* crm_git_open(out, path), taking the repository crm_git_prepare opened
 * for the same `path` when there is one. */
int crm_git_open_prepared(struct crm_git **out, const char *path);

/* crm_git_open that also takes a bare repository (`path` inside its git
 * folder): for reading commits only, as `crm check --rev` on a server
 * does.  crm_git_workdir is NULL for it and crm_git_prefix "".  Inside
 * git's pre-receive hook the pushed objects (GIT_QUARANTINE_PATH) are
 * read too. */
int crm_git_open_any(struct crm_git **out, const char *path);
/* Whether `g` is a bare repository (no work tree, no index). */
bool crm_git_is_bare(const struct crm_git *g);
/* The folder git runs hooks from, with a trailing '/': core.hooksPath
 * when set, else the hooks folder of the git directory.  malloc'ed; NULL
 * when out of memory or unknown. */
char *crm_git_hooks_dir(const struct crm_git *g);

/* Opens the work tree containing `dir` like crm_git_open, or when there is
 * none does what `git init` does there (creating `dir` and its parents when
 * missing).  The new repository's branch comes from init.defaultBranch in
 * the user's configuration, else "main".  *created_out tells whether a
 * repository was created.  Nothing is committed. */
int crm_git_init(struct crm_git **out, const char *dir, bool *created_out);

/* Frees `g` (NULL is fine).  The last crm_git freed shuts libgit2 down. */
void crm_git_free(struct crm_git *g);

/* The work tree's root as an absolute path WITH a trailing '/' (as libgit2
 * gives it: "/home/a/crm/"); owned by `g`.  NULL for a bare repository. */
const char *crm_git_workdir(const struct crm_git *g);
/* The .git folder, with a trailing '/'; owned by `g`. */
const char *crm_git_gitdir(const struct crm_git *g);
/* The .git folder of the work tree containing `path`, with a trailing '/',
 * into `out`: what crm_git_gitdir of crm_git_open(path) gives, found
 * without starting libgit2 (whose start parses every CA certificate of the
 * system) when it is a plain .git folder.  Errors as crm_git_open's. */
int crm_git_dir_of(struct crm_buf *out, const char *path);

/* The path of folder `dir` (absolute, no trailing '/') relative to the work
 * tree's root, with a trailing '/', or "" for the root itself or a folder
 * outside the work tree; malloc'ed (NULL when out of memory).  Paths of a
 * data repository below the root get this prefix in git. */
char *crm_git_prefix(const struct crm_git *g, const char *dir);

/* The author identity git would use: the name from GIT_AUTHOR_NAME, else
 * author.name, else user.name; the email from GIT_AUTHOR_EMAIL, else
 * author.email, else user.email, else $EMAIL (configuration of every level
 * git reads: the repository's, ~/.gitconfig, the system's).  Both strings
 * are malloc'ed and the caller frees them; both are NULL on error.
 * CRM_ENOTFOUND with git's advice when the name or the email is unknown,
 * CRM_EIO when the configuration cannot be read. */
int crm_git_identity(struct crm_git *g, char **name_out, char **email_out);

/* Commits exactly `paths` on HEAD, as `git commit --only -- PATHS` would:
 * each path is staged (added from the work tree when the file exists,
 * removed from the index when it does not, a vanished folder with all it
 * held) and the commit's tree is HEAD's with only those paths changed.
 * Anything else the user staged stays staged and out of the commit, the
 * rest of the work tree is not looked at.  A first commit on an unborn
 * branch creates the branch.  The author comes from crm_git_identity, the
 * committer likewise from GIT_COMMITTER_NAME / GIT_COMMITTER_EMAIL,
 * committer.*, user.*; the dates from GIT_AUTHOR_DATE / GIT_COMMITTER_DATE
 * when set (see crm_git_parse_date), else now in the local zone.  A commit
 * is made even when the paths did not change.  out_id gets the new commit's
 * 40 hex digits.
 * Errors: CRM_ECONFLICT while the index has unmerged entries or a merge,
 * revert or cherry-pick is in progress, or when HEAD moved under us;
 * CRM_ELOCKED when another process holds the index or HEAD's lock;
 * CRM_EINVALID for a bad date variable or an absolute path;
 * CRM_ENOTFOUND when no identity is configured; CRM_EIO otherwise. */
int crm_git_commit(struct crm_git *g, char out_id[41], const char *const *paths,
		   size_t npaths, const char *message);

/* What a writer knows of a file it has just created: its bytes and the
 * stat data of the new file, so that staging it need not read it back.
 * data NULL: nothing known, the file is read as usual. */
struct crm_git_known_file {
	const char *data;
	size_t len;
	struct stat st;
};
/* crm_git_commit with known[i] (NULL: none known) for paths[i]. */
int crm_git_commit_known(struct crm_git *g, char out_id[41], const char *const *paths,
			 const struct crm_git_known_file *known, size_t npaths,
			 const char *message);

/* Stages the whole work tree like `git add -A` (new files that .gitignore
 * does not exclude, changes, deletions) and commits the index on HEAD, with
 * identity and dates as in crm_git_commit.  Meant for the first commit of
 * `crm init`.  Errors as for crm_git_commit. */
int crm_git_commit_all(struct crm_git *g, char out_id[41], const char *message);

/* For every file in HEAD's tree, calls cb with its path and the author date
 * (seconds since the epoch and the zone's offset in minutes) of the commit
 * that added it.  History is walked once, oldest first, along first
 * parents, each commit compared with its first parent: a file deleted and
 * added again counts from the later addition; a file renamed (git's rename
 * detection, as `git log --follow` finds it) keeps the date it had under
 * its old name.  Files that came in through a merge count from the merge.
 * Nothing is reported on an unborn branch.  Order of the calls: none in
 * particular. */
int crm_git_added_dates(struct crm_git *g,
			int (*cb)(const char *path, int64_t commit_time, int32_t offset_min,
				  void *payload),
			void *payload);

/* For every file below `prefix` (a literal folder such as "invoices/", NULL
 * or "" for all) that is in HEAD's tree, calls cb with the content it had
 * in the first-parent commit that added it (a file deleted and added again
 * counts from the later addition; renames are not followed: a renamed
 * file counts as added).  This is what `crm check` compares an issued
 * invoice with.  Order: none in particular. */
int crm_git_first_versions(struct crm_git *g, const char *prefix,
			   int (*cb)(const char *path, const char *data, size_t len, void *payload),
			   void *payload);

/* HEAD's commit id (40 hex digits and a NUL) and its 8-character short form
 * (8 and a NUL); either may be NULL.  CRM_ENOTFOUND on an unborn branch,
 * CRM_EIO when HEAD cannot be read. */
int crm_git_head(struct crm_git *g, char out_id[41], char short_out[9]);

/* Resolves `rev_or_date` to a commit id.  A string of the form YYYY-MM-DD
 * is a date: the newest commit on HEAD's first-parent chain whose committer
 * time is before the end of that day in UTC (CRM_EINVALID when it is not a
 * calendar date, CRM_ENOTFOUND when every commit is later or the branch is
 * unborn).  Anything else is a revision as git understands it ("HEAD~2",
 * "main", a tag, an abbreviated id), peeled to a commit (CRM_ENOTFOUND when
 * unknown or ambiguous). */
int crm_git_resolve_at(struct crm_git *g, char out_id[41], const char *rev_or_date);

/* The committer time of commit `commit_id` (NULL: HEAD), in seconds since
 * the epoch and the zone's offset in minutes.  CRM_ENOTFOUND when unknown. */
int crm_git_commit_time(struct crm_git *g, const char *commit_id, int64_t *when,
			int32_t *offset_min);

/* Reads `path` as it stood in commit `commit_id` (a commit id, or any
 * revision crm_git_resolve_at takes that is not a date; NULL means HEAD).
 * *data_out is malloc'ed, NUL-terminated beyond *len_out bytes, and the
 * caller frees it.  CRM_ENOTFOUND when the commit has no such file (or the
 * path is a folder) or the commit does not exist. */
int crm_git_read_file_at(struct crm_git *g, const char *commit_id, const char *path,
			 char **data_out, size_t *len_out);

/* Calls cb with the path of every file of commit `commit_id` (as for
 * crm_git_read_file_at) whose path starts with `prefix` (NULL or "" for
 * all; "clients/" for a folder), in git's tree order.  The path passed to
 * cb lives until cb returns.  A prefix that names nothing is not an error:
 * cb is just never called.  CRM_ENOTFOUND for an unknown commit. */
int crm_git_list_files_at(struct crm_git *g, const char *commit_id, const char *prefix,
			  int (*cb)(const char *path, void *payload), void *payload);

/* A snapshot of files as git holds them: the index (what `git commit`
 * would commit) or a commit's tree, read instead of the work tree (crm
 * check --staged, --rev; --at).  Paths as in git ("data/clients/x.yaml").
 * Every function may be called from several threads at once. */
struct crm_git_files;
enum crm_git_entry {
	CRM_GIT_ABSENT, CRM_GIT_FILE, CRM_GIT_LINK, CRM_GIT_FOLDER,
	CRM_GIT_SUBMODULE
};
/* Opens the index of `g` (commit_id NULL; CRM_EINVALID in a bare
 * repository) or the tree of `commit_id` (any revision git understands,
 * peeled to a commit; CRM_ENOTFOUND when unknown).  `g` must outlive *out;
 * free it with crm_git_files_free.  Only entries of stage 0 count: a path
 * a merge left unmerged is not in the index's snapshot. */
int crm_git_files_open(struct crm_git_files **out, struct crm_git *g, const char *commit_id);
void crm_git_files_free(struct crm_git_files *f);
/* The commit's 40 hex digits, NULL for the index. */
const char *crm_git_files_commit(const struct crm_git_files *f);
/* Appends the content of file `path` to `out`.  CRM_ENOTFOUND when it is
 * absent or not a regular file (a link, a folder), CRM_EOVERFLOW when it
 * has more than `max` bytes, CRM_EIO when its object cannot be read. */
int crm_git_files_read(struct crm_git_files *f, const char *path, struct crm_buf *out,
		       size_t max);
/* Appends where the symbolic link `path` points (CRM_ENOTFOUND when it is
 * not a link). */
int crm_git_files_read_link(struct crm_git_files *f, const char *path, struct crm_buf *out);
/* What `path` is (CRM_GIT_ABSENT when nothing). */
int crm_git_files_kind(struct crm_git_files *f, const char *path, enum crm_git_entry *out);
/* Calls cb for every entry below `folder` ("" for all, else ending in
 * '/'), folders descended into and not reported, in git's path order.  cb
 * must not call back into `f`; a value other than 0 stops the walk and is
 * returned. */
int crm_git_files_list(struct crm_git_files *f, const char *folder,
		       int (*cb)(const char *path, enum crm_git_entry kind, void *payload),
		       void *payload);

/* The repository's local configuration (.git/config), for settings such as
 * the merge driver (merge.crm.driver).  Keys as git spells them,
 * "section.name" or "section.sub.name".  Setting replaces one value;
 * CRM_EINVALID for a malformed key, CRM_ELOCKED when the file is locked,
 * CRM_EIO otherwise. */
int crm_git_config_set(struct crm_git *g, const char *key, const char *value);
/* *out is malloc'ed (caller frees), NULL on error.  Only the local file is
 * read: a value set in ~/.gitconfig does not count.  CRM_ENOTFOUND when the
 * key is not set there. */
int crm_git_config_get(struct crm_git *g, const char *key, char **out);

/* Parses a date as git takes it in GIT_AUTHOR_DATE / GIT_COMMITTER_DATE:
 * git's internal format "1717243200 +0000" (also with a leading '@', the
 * zone optional), ISO 8601 "2025-06-01T12:00:00Z", "...+02:00", "...+0200"
 * (a space instead of the 'T', seconds and their fraction optional), the
 * same with the zone after a space ("2025-06-01 12:00:00 +0200"), and RFC
 * 2822 "Sun, 01 Jun 2025 12:00:00 +0200".  A time without a zone is local
 * time, as for git.  *when gets seconds since the epoch, *offset_min the
 * zone's offset in minutes east of UTC.  CRM_EINVALID with the date quoted
 * when it is none of these. */
int crm_git_parse_date(int64_t *when, int32_t *offset_min, const char *s);

/* One change of one file, as crm_git_file_log reports it. */
struct crm_git_change {
	char id[41];
	const char *author;
	int64_t when;
	int32_t offset_min;
	const char *summary;          /* the commit message's first line */
	const char *old_path;         /* NULL when the commit added the file */
	const char *new_path;         /* NULL when the commit removed it */
	const char *old_text, *new_text;
	size_t old_len, new_len;
};

/* Calls cb for every first-parent commit from HEAD back (newest first) that
 * changed `path` (relative to the work tree), following renames.  The
 * change's strings live until cb returns. */
int crm_git_file_log(struct crm_git *g, const char *path,
		     int (*cb)(const struct crm_git_change *c, void *payload), void *payload);

/* Calls cb for every file below `prefix` whose content differs between
 * revision `rev` (NULL: HEAD) and the work tree; texts as in the change
 * (old from the revision, new from the work tree). */
int crm_git_diff_workdir(struct crm_git *g, const char *rev, const char *prefix,
			 int (*cb)(const struct crm_git_change *c, void *payload), void *payload);
/* The same between two commits (any revisions git understands): cb for
 * every file below `prefix` that differs between `from` and `to`, texts
 * from each (NULL on the side that does not have the file). */
int crm_git_diff_commits(struct crm_git *g, const char *from, const char *to, const char *prefix,
			 int (*cb)(const struct crm_git_change *c, void *payload), void *payload);

/* What crm_git_sync did. */
struct crm_sync_result {
	bool fetched;
	bool fast_forward;
	bool merged;                  /* a merge commit was made */
	bool pushed;
	bool up_to_date;
	bool refused;                 /* the merge hook stopped the merge */
	size_t field_conflicts;       /* fields the record merge left in conflict */
	char conflict_path[1024];     /* a file git could not merge, if any */
	char message[512];            /* the push's refusal, when there is one */
	int attempts;                 /* fetch-merge-push rounds it took */
	char note[512];               /* something to tell the user, or "" */
};

/* Registers crm's record merge (a function of the same signature as
 * crm_merge_record) as libgit2's merge driver "crm", which .gitattributes
 * names for *.yaml, for as long as `g` is open. */
int crm_git_register_merge(struct crm_git *g, int (*merge)(struct crm_buf *out, size_t *conflicts,
					const char *base, size_t base_len,
					const char *ours, size_t ours_len,
					const char *theirs, size_t theirs_len));

/* Calls cb with every file below `prefix` (NULL or "" for the whole work
 * tree; "clients/" for a folder, taken literally, no glob) that has
 * uncommitted changes: modified or deleted in the work tree or the index,
 * staged, or new and not ignored by .gitignore (each file of a new folder
 * on its own).  Each path once, in path order; a path staged for deletion
 * and present again in the work tree counts once. */
int crm_git_status_dirty(struct crm_git *g, const char *prefix,
			 int (*cb)(const char *path, void *payload), void *payload);

/* What identifies a file's version without reading it: git's stat data
 * (the index's walk takes it from stat(2), and the index cache keys on
 * it). */
struct crm_file_stamp {
	int64_t mtime_ns, ctime_ns;
	uint64_t size, ino, dev;
};

/* Whether the records of a data repository have uncommitted changes, the
 * way `git status` would judge it but without a second walk of the work
 * tree: `paths` (work-tree relative) are every record file the caller
 * found below `folders` (each "prefix/clients/"), with the stat data it
 * read.  *dirty_out is true when the index differs from HEAD below
 * `prefix` or has conflicts, a found file is not in the index or differs
 * from it (stat data first, the content when those differ or are racy),
 * the index tracks a record file that was not found (deleted), or another
 * tracked file below `prefix` (crm.ini, a schema) changed.  Untracked
 * files outside the record folders do not count. */
int crm_git_worktree_dirty(struct crm_git *g, const char *prefix, const char *const *folders,
			   size_t nfolders, const char *const *paths,
			   const struct crm_file_stamp *stamps, size_t n, bool *dirty_out);

/* Calls cb with every path below `prefix` (NULL or "" for all) that git's
 * index holds unmerged: a merge, rebase, cherry-pick or stash git could not
 * finish left its versions in the index's stages 1-3 instead of one entry
 * (`git status` lists it as "both modified" and the like).  Each path once,
 * in index order; the path lives until cb returns. */
int crm_git_unmerged(struct crm_git *g, const char *prefix,
		     int (*cb)(const char *path, void *payload), void *payload);

/* The versions git's index holds for an unmerged path: stage 1 (the common
 * ancestor), 2 (ours, HEAD's side) and 3 (theirs, the side merged in).  A
 * side that does not have the file (added on one side only, or deleted)
 * leaves its buffer empty and its flag false.  Initialise the buffers
 * (CRM_BUF_INIT) and release them after use. */
struct crm_git_stages {
	struct crm_buf base, ours, theirs;
	bool has_base, has_ours, has_theirs;
};
/* Reads the stages of `path` (work-tree relative) into *out; CRM_ENOTFOUND
 * when the path is not unmerged. */
int crm_git_unmerged_read(struct crm_git *g, const char *path, struct crm_git_stages *out);

/* Stages `path` from the work tree as `git add` does, which also marks an
 * unmerged path resolved (its stages are dropped); the index is written
 * back.  CRM_ELOCKED when another process holds the index's lock. */
int crm_git_add(struct crm_git *g, const char *path);

/* How git would merge record files: the merge driver that git's attributes
 * (.gitattributes, .git/info/attributes) name for `sample_path` (a
 * work-tree relative path such as "clients/x.yaml") into *name_out, NULL
 * when they name none, and the command git's configuration (every level:
 * the repository's, ~/.gitconfig, the system's) gives for it
 * (merge.NAME.driver) into *command_out, NULL when not configured.  Both
 * malloc'ed; the caller frees them. */
int crm_git_merge_driver(struct crm_git *g, const char *sample_path, char **name_out,
			 char **command_out);

/* crm_git_status_dirty that also counts the files into *count_out; cb may
 * be NULL to count only. */
int crm_git_dirty(struct crm_git *g, const char *prefix,
		  int (*cb)(const char *path, void *payload), void *payload, size_t *count_out);

/* Fetches `remote`, merges into the current branch its upstream on that
 * remote (branch.<name>.merge) or else the remote's branch of the same
 * name (a fast forward, or a merge commit with the record merge for *.yaml
 * files, made from the two commits so that nothing else the user staged
 * or edited is committed), and when `push` is set and nothing conflicts,
 * pushes the branch back, setting its upstream when it had none.  A push
 * refused because the remote moved meanwhile fetches, merges and pushes
 * again, with growing random waits, up to 10 times ($CRM_SYNC_TRIES).
 * Fetch and push run the system's git when it is on PATH (OpenSSH with
 * the user's ssh config), else libgit2 with credentials from the ssh
 * agent, then $CRM_SSH_KEY or ~/.ssh/id_ed25519, id_ecdsa, id_rsa (and for
 * a local remote, a compare-and-swap of its branch of our own);
 * $CRM_SYNC_TRANSPORT=git or =libgit2 forces one.  A conflict is not an
 * error: see result->field_conflicts and result->conflict_path. */
/* Called by crm_git_sync before it merges diverged histories, with the
 * two commits' ids; a value above 0 stops the sync before the merge
 * (nothing merged, nothing pushed, result->refused set), below 0 is an
 * error returned as is. */
typedef int (*crm_git_merge_hook)(struct crm_git *g, const char *ours, const char *theirs,
				  void *payload);
int crm_git_sync(struct crm_git *g, const char *remote, bool push,
		 crm_git_merge_hook hook, void *payload, struct crm_sync_result *result);
/* crm_git_sync in two halves: start looks the remote up and starts the
 * first fetch (the system git's runs in the background meanwhile), finish
 * does the rest.  What the caller does in between must not touch refs or
 * the object store; a sync started is freed, finished or not (an
 * unfinished fetch is waited for, and what it said dropped). */
struct crm_sync;
int crm_git_sync_start(struct crm_sync **out, struct crm_git *g, const char *remote,
		       struct crm_sync_result *result);
int crm_git_sync_finish(struct crm_sync *s, bool push, crm_git_merge_hook hook, void *payload);
void crm_git_sync_free(struct crm_sync *s);

/* Calls cb with every file below `prefix` (literal, as for
 * crm_git_status_dirty) that HEAD adds or changes compared with the remote
 * branch crm_git_sync would merge, as last fetched: what a push would
 * carry.  CRM_ENOTFOUND when there is no such remote-tracking branch. */
int crm_git_unpushed_files(struct crm_git *g, const char *remote, const char *prefix,
			   int (*cb)(const char *path, void *payload), void *payload);

/* The best common ancestor of revisions `a` and `b`: 40 hex digits.
 * CRM_ENOTFOUND when they share no history or a revision is unknown. */
int crm_git_merge_base(struct crm_git *g, char out_id[41], const char *a, const char *b);

#endif
