/* A data repository: the folder with crm.ini, its settings and the schemas
 * of every record type (the repository's own, else the tool's). */
#ifndef CRM_REPO_H
#define CRM_REPO_H

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/config.h"
#include "crm/diag.h"
#include "crm/schema.h"

struct crm_repo {
	char *root;                    /* absolute path, no trailing slash */
	struct crm_config config;
	CRM_ARRAY(struct crm_schema) schemas;
	struct crm_arena arena;        /* schema data */
	struct crm_diags diags;        /* problems in crm.ini and schemas */
};

/* Finds the data repository: $CRM_DIR when set, else the first folder
 * holding crm.ini from `start` upwards (as git finds .git).  *out is
 * malloc'ed.  CRM_ENOTFOUND with a message when there is none. */
int crm_repo_discover(char **out, const char *start);

/* Opens the repository at `root`: reads crm.ini and every schema.  Problems
 * in them are findings in repo->diags; only an unreadable crm.ini fails. */
int crm_repo_open(struct crm_repo *repo, const char *root);
/* Opens the repository at `root` as it stood at commit `commit` (an id
 * from crm_git_resolve_at): crm.ini and schema/ are read from git, not
 * from the work tree.  `git` is the work tree's repository. */
struct crm_git;
int crm_repo_open_at(struct crm_repo *repo, const char *root, struct crm_git *git,
		     const char *commit);
void crm_repo_release(struct crm_repo *repo);

const struct crm_schema *crm_repo_schema(const struct crm_repo *repo, const char *type);
/* The schema whose folder is `folder`, or NULL. */
const struct crm_schema *crm_repo_schema_by_folder(const struct crm_repo *repo,
						   const char *folder);

#endif
