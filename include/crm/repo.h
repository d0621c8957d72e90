/* A data repository: the folder with crm.ini, its settings and the schemas
 * of every record type (the repository's own, else the tool's). */
#ifndef CRM_REPO_H
#define CRM_REPO_H

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/buf.h"
#include "crm/config.h"
#include "crm/diag.h"
#include "crm/schema.h"

struct crm_git;
struct crm_git_files;

/* Where a repository's files are read from: the work tree, git's index
 * (what `git commit` would commit) or a commit's tree.  The loaders of
 * crm.ini, the schemas and the records all read through it. */
enum crm_source_kind { CRM_SOURCE_WORKTREE, CRM_SOURCE_INDEX, CRM_SOURCE_COMMIT };
struct crm_source {
	enum crm_source_kind kind;
	struct crm_git *git;           /* INDEX, COMMIT: owned */
	struct crm_git_files *files;   /* INDEX, COMMIT: owned */
	char *prefix;                  /* INDEX, COMMIT: the data repository's
					  folder in git, "" or "data/" */
	char commit[41];               /* COMMIT: its id */
};

struct crm_repo {
	char *root;                    /* absolute path, no trailing slash; for a
					  bare repository its git folder */
	struct crm_source source;
	struct crm_config config;
	CRM_ARRAY(struct crm_schema) schemas;
	struct crm_arena arena;        /* schema data */
	struct crm_diags diags;        /* problems in crm.ini and schemas */
};

/* Finds the data repository: $CRM_DIR when set, else the first folder
 * holding crm.ini from `start` upwards (as git finds .git).  *out is
 * malloc'ed.  CRM_ENOTFOUND with a message when there is none;
 * CRM_EINVALID when `start` is in a bare git repository, which has no
 * crm.ini to find (only crm_repo_open_git reads one). */
int crm_repo_discover(char **out, const char *start);

/* Opens the repository at `root`: reads crm.ini and every schema.  Problems
 * in them are findings in repo->diags; only an unreadable crm.ini fails. */
int crm_repo_open(struct crm_repo *repo, const char *root);
/* Opens the repository at `root` as git holds it: its index (kind
 * CRM_SOURCE_INDEX, `rev` NULL) or the commit `rev` names (any revision
 * git understands).  crm.ini, schema/ and the records are then read from
 * git, not from the work tree.  `root` is the data repository's folder in
 * a work tree, or for CRM_SOURCE_COMMIT any path inside a bare repository,
 * whose data repository is then the tree's root.  Errors as for
 * crm_repo_open; CRM_ENOTFOUND for an unknown revision or a snapshot
 * without crm.ini. */
int crm_repo_open_git(struct crm_repo *repo, const char *root, enum crm_source_kind kind,
		      const char *rev);
void crm_repo_release(struct crm_repo *repo);

/* Appends file `rel` (relative to the data repository) as the repository's
 * source holds it.  CRM_ENOTFOUND when it is not there (or not a regular
 * file), CRM_EOVERFLOW when it has more than `max` bytes.  Thread-safe. */
int crm_repo_read_file(const struct crm_repo *repo, const char *rel, struct crm_buf *out,
		       size_t max);
/* Whether `rel` exists in the source (a file or a folder).  CRM_EINVALID
 * naming the link when it or a folder on its way is a symbolic link (not
 * followed, as crm_path_check_beneath), CRM_EIO when it cannot be read. */
int crm_repo_exists(const struct crm_repo *repo, const char *rel, bool *out);
/* Whether the files come from git (the index or a commit), not the work
 * tree. */
bool crm_repo_from_git(const struct crm_repo *repo);
/* A source's name for messages: "the work tree", "the index", "commit
 * 1234abcd". */
const char *crm_repo_source_name(const struct crm_repo *repo, char buf[24]);

const struct crm_schema *crm_repo_schema(const struct crm_repo *repo, const char *type);
/* The schema whose folder is `folder`, or NULL. */
const struct crm_schema *crm_repo_schema_by_folder(const struct crm_repo *repo,
						   const char *folder);

#endif
