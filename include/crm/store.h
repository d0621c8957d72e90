/* Changing records: every command that writes does so inside one
 * transaction that holds the repository's lock (so two crm processes never
 * interleave), writes each file atomically, and ends in exactly one commit
 * with the user's identity (SPEC section 6). */
#ifndef CRM_STORE_H
#define CRM_STORE_H

#include "crm/array.h"
#include "crm/buf.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/lockfile.h"

struct crm_txn {
	struct crm_repo *repo;
	struct crm_git *git;
	struct crm_lockfile lock;
	char *prefix;                  /* data repository below the work tree */
	CRM_ARRAY(char *) paths;       /* work-tree-relative, for the commit */
};

/* Opens git and takes the lock "<git dir>/crm.lock", waiting up to five
 * seconds for another crm; CRM_ELOCKED names the lock file otherwise. */
int crm_txn_begin(struct crm_txn *t, struct crm_repo *repo);
/* Replaces (or creates, with its folders) `path`, relative to the data
 * repository, atomically. */
int crm_txn_write(struct crm_txn *t, const char *path, const char *data, size_t len);
int crm_txn_remove(struct crm_txn *t, const char *path);
/* Commits every path written or removed, with `message`. */
int crm_txn_commit(struct crm_txn *t, const char *message, char out_id[41]);
/* Releases the lock and everything else (after commit or on error). */
void crm_txn_release(struct crm_txn *t);

/* The current user's id: the crm.ini user whose email or name matches the
 * git identity, else the git name.  malloc'ed. */
char *crm_store_user(struct crm_repo *repo, struct crm_git *git);

/* Reads record `rec`'s file and parses it into `arena`; *text_out holds
 * the bytes (release it).  CRM_EINVALID when the file no longer parses. */
int crm_store_read(struct crm_buf *text_out, struct crm_node **root_out,
		   struct crm_arena *arena, struct crm_repo *repo, const char *path);

/* A new record's id from its name: the name's Latin letters ("Łódź
 * Studio" -> "lodz-studio"), else a short random id ("c-7k2m9q"); made
 * unique among `type`'s ids with "-2", "-3"... */
int crm_store_new_id(struct crm_buf *out, struct crm_index *idx, const char *type,
		     const char *name);
/* Where a new record goes: "<folder>/<year>/<id>.yaml", so that folders
 * stay small as the repository grows. */
int crm_store_new_path(struct crm_buf *out, const struct crm_schema *s, const char *id,
		       crm_date created);

/* Checks `value` as field `field` of a `s` record would hold it: the
 * field exists and is stored (not computed), the value parses by the
 * field's type, and a reference names an existing record (with a
 * did-you-mean).  0, CRM_EINVALID for a value the field does not accept,
 * or CRM_ENOTFOUND for a reference to a record that does not exist (the
 * message set). */
int crm_store_validate(struct crm_index *idx, const struct crm_schema *s,
		       const char *field, const char *value);
/* Writes `text` as the new content of `path` after checking that it still
 * parses as a record (so a write never leaves a broken file). */
int crm_store_write_record(struct crm_txn *t, const char *path, const char *text,
			   size_t len);

#endif
