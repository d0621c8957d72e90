/* The git layer: the only part of crm that talks to libgit2.  Opening and
 * creating work trees, committing named paths with the user's identity and
 * git's date variables honoured, reading files as they stood at a commit,
 * and the date each file was added.  No libgit2 type crosses this header. */
#ifndef CRM_GIT_H
#define CRM_GIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crm/buf.h"

struct crm_git;

/* Opens the repository whose work tree contains `path` (searching
 * upwards).  CRM_ENOTFOUND when there is none.  Free with crm_git_free. */
int crm_git_open(struct crm_git **out, const char *path);
/* Opens the work tree containing `dir`, or runs the equivalent of `git
 * init` there (initial branch from init.defaultBranch, else "main");
 * *created_out tells which. */
int crm_git_init(struct crm_git **out, const char *dir, bool *created_out);
void crm_git_free(struct crm_git *g);

/* The work tree's root, with a trailing '/'; owned by `g`. */
const char *crm_git_workdir(const struct crm_git *g);
/* The .git folder, with a trailing '/'; owned by `g`. */
const char *crm_git_gitdir(const struct crm_git *g);

/* The path of folder `dir` (absolute, no trailing '/') relative to the work
 * tree's root, with a trailing '/', or "" for the root itself; malloc'ed.
 * Paths of a data repository below the root get this prefix in git. */
char *crm_git_prefix(const struct crm_git *g, const char *dir);

/* The user's name and email: GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL when set,
 * else user.name/user.email from git's configuration.  Both malloc'ed. */
int crm_git_identity(struct crm_git *g, char **name_out, char **email_out);

/* Stages exactly `paths` (relative to the work tree root: added when the
 * file exists, removed from the index when it does not) and commits them on
 * HEAD with `message`.  Other changes in the index or the work tree stay as
 * they are.  Dates come from GIT_AUTHOR_DATE / GIT_COMMITTER_DATE when set.
 * CRM_ECONFLICT while the index has conflicts.  out_id gets the commit id. */
int crm_git_commit(struct crm_git *g, char out_id[41], const char *const *paths,
		   size_t npaths, const char *message);

/* For every file in HEAD's tree, calls cb with its path and the time of
 * the (first-parent) commit that added it last. */
int crm_git_added_dates(struct crm_git *g,
			int (*cb)(const char *path, int64_t when, int32_t offset_min,
				  void *payload),
			void *payload);

/* HEAD's commit id (40 hex) and its 8-character short form (either may be
 * NULL).  CRM_ENOTFOUND on an unborn branch. */
int crm_git_head(struct crm_git *g, char out_id[41], char short_out[9]);

/* Reads `path` as it stood in commit `commit_id` (malloc'ed; caller frees).
 * CRM_ENOTFOUND when the commit has no such file. */
int crm_git_read_file_at(struct crm_git *g, const char *commit_id, const char *path,
			 char **data_out, size_t *len_out);

/* The repository's local configuration. */
int crm_git_config_set(struct crm_git *g, const char *key, const char *value);
/* *out is malloc'ed; CRM_ENOTFOUND when the key is not set. */
int crm_git_config_get(struct crm_git *g, const char *key, char **out);

/* Parses a date as git's GIT_*_DATE variables give it: ISO 8601
 * ("2025-06-01T12:00:00Z", "...+02:00"), RFC 2822-like "2025-06-01
 * 12:00:00 +0200", or raw "@1717243200 +0000" / "1717243200 +0000". */
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
 * changed `path` (relative to the work tree), following renames. */
int crm_git_file_log(struct crm_git *g, const char *path,
		     int (*cb)(const struct crm_git_change *c, void *payload), void *payload);

/* Calls cb for every file below `prefix` whose content differs between
 * revision `rev` (NULL: HEAD) and the work tree; texts as in the change
 * (old from the revision, new from the work tree). */
int crm_git_diff_workdir(struct crm_git *g, const char *rev, const char *prefix,
			 int (*cb)(const struct crm_git_change *c, void *payload), void *payload);

/* What crm_git_sync did. */
struct crm_sync_result {
	bool fetched;
	bool fast_forward;
	bool merged;                  /* a merge commit was made */
	bool pushed;
	bool up_to_date;
	size_t field_conflicts;       /* fields the record merge left in conflict */
	char conflict_path[1024];     /* a file git could not merge, if any */
	char message[512];            /* the push's refusal, when there is one */
};

/* Registers crm's record merge (a function of the same signature as
 * crm_merge_record) as libgit2's merge driver "crm", which .gitattributes
 * names for *.yaml, for as long as `g` is open. */
int crm_git_register_merge(struct crm_git *g, int (*merge)(struct crm_buf *out, size_t *conflicts,
					const char *base, size_t base_len,
					const char *ours, size_t ours_len,
					const char *theirs, size_t theirs_len));

/* Lists files below `prefix` with uncommitted changes (modified, added,
 * deleted, untracked) through cb; returns how many. */
int crm_git_dirty(struct crm_git *g, const char *prefix,
		  int (*cb)(const char *path, void *payload), void *payload, size_t *count_out);

/* Fetches `remote`, merges its branch of the same name into HEAD (a fast
 * forward, or a merge commit with the record merge for *.yaml files), and
 * when `push` is set and nothing conflicts, pushes HEAD back.  Credentials:
 * the ssh agent, then $CRM_SSH_KEY or ~/.ssh/id_ed25519, id_ecdsa, id_rsa.
 * A conflict is not an error: see result->field_conflicts and
 * result->conflict_path. */
int crm_git_sync(struct crm_git *g, const char *remote, bool push,
		 struct crm_sync_result *result);

#endif
