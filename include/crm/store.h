/* Changing records: every command that writes holds the repository's lock
 * from before it reads what it changes until its commit (so two crm
 * processes never interleave), and its files change all or nothing: a
 * journal under .git lets the next crm roll back a write that was killed,
 * and a failed commit puts every file and git's index back.  Each command
 * ends in exactly one commit with the user's identity (SPEC section 6). */
#ifndef CRM_STORE_H
#define CRM_STORE_H

#include <stdbool.h>
#include <sys/stat.h>

#include "crm/beneath.h"
#include "crm/array.h"
#include "crm/buf.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/lockfile.h"
#include "crm/map.h"

/* One file the transaction changes: its content before (the pre-image the
 * journal keeps) and after. */
struct crm_txn_file {
	char *path;                    /* relative to the data repository */
	char *old_data;                /* NULL when the file did not exist */
	size_t old_len;
	char *new_data;                /* NULL removes the file */
	size_t new_len;
	struct stat created;           /* a file created in place: its stat */
	bool was_created;
};

struct crm_txn {
	struct crm_repo *repo;
	struct crm_git *git;
	struct crm_lockfile lock;
	bool joined;                   /* the command's lock (crm_store_lock) */
	char *prefix;                  /* data repository below the work tree */
	CRM_ARRAY(char *) paths;       /* work-tree-relative, for the commit */
	CRM_ARRAY(struct crm_txn_file) files;
	struct crm_map file_slot;      /* path -> 1 + its place in files */
	CRM_ARRAY(char *) made_dirs;   /* folders the write created */
	struct crm_beneath dirs;       /* the root and last folder, kept open */
};

/* Takes the repository's lock "<git dir>/crm.lock" for the rest of the
 * command, before it reads anything it will change; waits up to five
 * seconds for another crm (CRM_ELOCKED names the lock file), and takes
 * over a lock whose crm process died (*dead_pid_out names it, else 0).
 * crm_txn_begin in this process then joins this lock. */
int crm_store_lock(struct crm_repo *repo, long *dead_pid_out);
void crm_store_unlock(struct crm_repo *repo);

/* Finishes the write a killed crm left in the journal (.git/crm-journal):
 * rolled back when its commit was not made (every file it names and git's
 * index as they were), else only the journal removed.  Takes the lock for
 * that when the command does not hold it.  `report` receives a line (each
 * ending in a newline) for everything done, or stays empty. */
int crm_store_recover(struct crm_repo *repo, struct crm_buf *report);
/* Whether `text` (len bytes and a NUL after them) is a whole journal, as
 * crm_store_recover checks it before it puts back any file: 0, else
 * CRM_EINVALID with the message set. */
int crm_store_journal_check(const char *text, size_t len);

/* Opens git and takes the lock "<git dir>/crm.lock" (or joins the one
 * crm_store_lock took), waiting up to five seconds for another crm;
 * CRM_ELOCKED names the lock file otherwise. */
int crm_txn_begin(struct crm_txn *t, struct crm_repo *repo);
/* Replaces (or creates, with its folders) `path`, relative to the data
 * repository, when the transaction commits.  Nothing on disk changes
 * before crm_txn_commit. */
int crm_txn_write(struct crm_txn *t, const char *path, const char *data, size_t len);
/* The same for a file the caller knows is not there (an import's new
 * records, their ids checked against the index under the lock): its
 * pre-image is not looked for, which an import of 10 000 rows spent 14 %
 * of its time on.  Should the file appear before the commit, the write
 * fails with CRM_EEXISTS and the transaction is undone, that file left
 * as it is. */
int crm_txn_create(struct crm_txn *t, const char *path, const char *data, size_t len);
int crm_txn_remove(struct crm_txn *t, const char *path);
/* Writes the journal, changes every file, commits them with `message` and
 * removes the journal.  On failure every file and git's index are put back
 * as they were. */
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

/* 0 when the file `path` still holds `expected` (read before the lock was
 * taken, as `crm edit` reads it before the editor runs); CRM_ECONFLICT
 * with a message when another command changed it meanwhile. */
int crm_store_unchanged(struct crm_repo *repo, const char *path,
			const struct crm_buf *expected);

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
/* The text to store for `value` typed on the command line as field `field`
 * of `s` ("next_step.date" names a field of a mapping): a date or datetime
 * as people type it ("tomorrow", "fri 14:00", "+2w", "eom") becomes ISO
 * (crm_date_typed_text, with the index's today and the repository's
 * zone); ISO text and other fields' values stay as given.  *out points at
 * `value` or into `buf` (32 bytes at least).  0 or CRM_EINVALID with the
 * message naming the field and the column. */
int crm_store_typed_value(const char **out, char *buf, size_t size, struct crm_index *idx,
			  const struct crm_schema *s, const char *field, const char *value);
/* Writes `text` as the new content of `path` after checking that it still
 * parses as a record (so a write never leaves a broken file). */
int crm_store_write_record(struct crm_txn *t, const char *path, const char *text,
			   size_t len);

#endif
