/* The in-memory index of every record of a data repository: records by type
 * and id, references resolved both ways, and the computed fields (lookups,
 * lookups of lookups, formulas) evaluated on demand with cycle detection.
 * Everything the index hands out lives until crm_index_free. */
#ifndef CRM_INDEX_H
#define CRM_INDEX_H

#include <stdbool.h>

#include "crm/diag.h"
#include "crm/node.h"
#include "crm/repo.h"
#include "crm/value.h"

struct crm_index;
struct crm_record;

/* One place that refers to a record. */
struct crm_backref {
	struct crm_record *from;
	const char *field;            /* "client", or "lines.product" */
	const struct crm_node *at;    /* the referring value, for its place */
	struct crm_backref *next;
};

/* The index's memo of a record: its computed values, the places that
 * refer to it and when its file was added.  Private to src/core/index;
 * read it through crm_index_value, crm_index_backrefs and
 * crm_record_created. */
struct crm_record_memo;

/* A record.  A record of the index's own has a memo from the load; a
 * record made elsewhere (a text not in the index yet: crm add, an import,
 * the editor) starts zeroed, its memo NULL, and the index gives it one
 * when it first computes a value of it. */
struct crm_record {
	const struct crm_schema *schema;
	const char *id;
	const char *path;             /* relative to the data repository */
	struct crm_node *root;        /* NULL when the file could not be parsed */
	struct crm_record_memo *memo; /* the index's, see above */
};

struct crm_index_options {
	int threads;                  /* 0: one per core */
	bool git_dates;               /* look up when each file was added */
	bool no_cache;                /* parse every file; neither read nor write the
					 persistent cache (also CRM_NO_CACHE=1) */
	bool trust_cache;             /* for commands that address records by id:
				       * the files are the ones the cache names, not
				       * walked; each is stated when first asked for.
				       * A record added since the cache was written
				       * is not found (see crm_index_trusting) */
};
#define CRM_INDEX_OPTIONS_INIT { 0, true, false, false }

/* Loads every record file of `repo` (which must outlive the index).  Files
 * that cannot be parsed or are misplaced become findings in the index's
 * diagnostics, not failures; only I/O errors and memory fail the load.
 * The files come from the repository's source (crm_repo_open_git): the
 * work tree, git's index or a commit. */
int crm_index_load(struct crm_index **out, struct crm_repo *repo,
		   const struct crm_index_options *opts);
void crm_index_free(struct crm_index *idx);
/* Whether the index was built from the cache's list of files without a
 * walk (trust_cache with a usable cache): a record it does not find may
 * still exist; a load without trust_cache decides. */
bool crm_index_trusting(const struct crm_index *idx);

struct crm_repo *crm_index_repo(const struct crm_index *idx);
struct crm_diags *crm_index_diags(struct crm_index *idx);
struct crm_arena *crm_index_arena(struct crm_index *idx);
crm_date crm_index_today(const struct crm_index *idx);
/* The options the index was loaded with. */
const struct crm_index_options *crm_index_options(const struct crm_index *idx);
/* Whether the loaded records, crm.ini or the schemas have changes not
 * committed yet (see crm_git_worktree_dirty), judged from the stat data
 * the load already read.  false for an index read from a commit. */
int crm_index_uncommitted(struct crm_index *idx, bool *out);
/* Starts that work on another thread, so that a report computes its
 * figures meanwhile; crm_index_uncommitted then waits for the answer.
 * Nothing of the index may change until then but decoding records. */
int crm_index_uncommitted_begin(struct crm_index *idx);
/* Sets the day that today() and every "days ago" figure count from: a
 * report computed as of a past commit counts from that day, so its figures
 * come out the same whenever it is run again.  Call before any value is
 * computed. */
void crm_index_set_today(struct crm_index *idx, crm_date today);

/* The places that refer to `rec`, newest file first.  The first call for
 * a record scans every record's reference fields (the list is empty when
 * memory ran out, with the error set). */
struct crm_backref *crm_index_backrefs(struct crm_index *idx, const struct crm_record *rec);

/* Records of one type in path order, each with its tree; *n_out receives
 * the count. */
struct crm_record **crm_index_records(const struct crm_index *idx, const char *type,
				      size_t *n_out);

/* Passes over every record in bounded memory.  Trees are kept encoded and
 * decoded on first use; crm_index_list gives a type's records without
 * decoding them, crm_index_materialize decodes one (rec->root stays NULL
 * for a file that could not be parsed), and crm_index_trim, between
 * records, drops every decoded tree, computed value and referrer list once
 * they pass the index's budget: every root, node, value and backref pointer
 * taken before it is invalid afterwards (records themselves stay, and are
 * decoded again when asked for). */
struct crm_record **crm_index_list(const struct crm_index *idx, const char *type,
				   size_t *n_out);
void crm_index_materialize(const struct crm_index *idx, struct crm_record *rec);
void crm_index_trim(struct crm_index *idx);
/* A pass about to materialize every record of `type` in list order may
 * have them decoded on another core a few hundred records ahead of it
 * (NULL when it is not worth a thread, or one runs already); what it
 * reads is the same.  crm_index_decode_ahead_end (NULL is fine) stops
 * it, before the index is freed or a second one begins. */
struct crm_index_ahead;
struct crm_index_ahead *crm_index_decode_ahead(struct crm_index *idx, const char *type);
void crm_index_decode_ahead_end(struct crm_index *idx, struct crm_index_ahead *a);
struct crm_record *crm_index_find(const struct crm_index *idx, const char *type,
				  const char *id);
/* Resolves "type/id", or a bare id of `default_type` (which may be NULL or
 * "any", then the type is required).  NULL when there is no such record. */
struct crm_record *crm_index_resolve(const struct crm_index *idx, const char *ref,
				     const char *default_type);
/* How many record files of `type` (NULL: of every type) could not be read
 * or parsed: they have no fields, so every figure leaves them out, and
 * `crm check` says why. */
size_t crm_index_unreadable(struct crm_index *idx, const char *type);
/* The closest id of `type` to `id` by edit distance, for did-you-mean; NULL
 * when nothing is close. */
const char *crm_index_suggest(const struct crm_index *idx, const char *type,
			      const char *id);

/* The value of field `name` of `rec`: stored fields parsed by their schema
 * type, lookups followed, formulas evaluated.  `outcome` is the outcome of
 * an opportunity's stage.  Always fills *out; problems are CRM_V_ERROR.
 * Returns CRM_ENOTFOUND when the type has no such field. */
int crm_index_value(struct crm_value *out, struct crm_index *idx,
		    struct crm_record *rec, const char *name);
/* The schema's `default` for field `name` when rec's file leaves the field
 * out or empty: the text crm_index_value reads in its place (SPEC section
 * 3, `default`).  NULL when the file has a value, the field has no default
 * (or holds a list), or the file could not be parsed.  Borrowed from the
 * schema. */
const char *crm_record_default(const struct crm_record *rec, const char *name);
/* Parses one stored scalar by field type, with the record's currency as
 * the default for bare money amounts.  0, or CRM_EINVALID with the message
 * set (what `crm check` reports). */
int crm_index_parse_scalar(struct crm_value *out, struct crm_index *idx,
			   const struct crm_field *f, const struct crm_node *n,
			   const struct crm_record *rec);
/* Prints a value as text into `out` (money "12000.00 EUR", dates ISO). */
int crm_value_format(struct crm_buf *out, const struct crm_value *v);
/* Emits a value as JSON (money as {"amount": "..", "currency": ".."}). */
struct crm_json;
int crm_value_json(struct crm_json *j, const struct crm_value *v);

/* The type a ref, refs or lookup field points at ("any" possible); NULL for
 * other fields or a lookup chain that leads nowhere. */
const char *crm_index_target_type(const struct crm_index *idx,
				  const struct crm_schema *s, const struct crm_field *f);
/* The record's creation date: its `created` field, else the date of the
 * commit that added it, else today. */
crm_date crm_record_created(struct crm_index *idx, const struct crm_record *rec);
/* The date an opportunity closed: its `closed` field, else the date of its
 * last `history` entry (SPEC section 2).  false when it has neither; the
 * caller decides from the stage's outcome whether the deal is closed. */
bool crm_record_closed(crm_date *out, const struct crm_record *rec);
/* Is `id` (len bytes) a valid record id: [a-z0-9][a-z0-9-]{0,63}? */
bool crm_id_valid(const char *id, size_t len);

/* The field `name` stands for in records of schema `s`: a field of the
 * schema (crm_schema_field); "map.key", field `key` of a mapping field
 * (an activity's "next_step.date"); or one of the follow-up fields every
 * client, contact and opportunity has, computed from the activities about
 * it: "last_activity" (a date), "next_step" (its open next step as one
 * text), "next_step.date", "next_step.owner", "next_step.action".  A field
 * of the schema's own with that name wins.  NULL when `name` names none of
 * these.  *computed_out (may be NULL) says whether the value is computed,
 * so that it cannot be set.  Borrowed from the schema or static. */
const struct crm_field *crm_index_field(const struct crm_schema *s, const char *name,
					bool *computed_out);
/* Whether records of `s` have the follow-up fields (client, contact,
 * opportunity) and the schema does not define them itself. */
bool crm_index_has_followups(const struct crm_schema *s);

/* An open next step: the `next_step` of an activity, the latest one that
 * has a next step about the record and not marked done (next_step.done).
 * A client's is the earliest (by date, undated last) of its own and its
 * deals' and contacts'. */
struct crm_next_step {
	struct crm_record *activity;  /* the activity that set it */
	bool has_date;
	crm_date date;
	const char *owner, *action;   /* NULL when the activity leaves them out */
};
/* The date of the latest activity about `rec` (for a client also about
 * its deals and contacts); false when there is none.  Every record's is
 * computed in one pass over the activities when first asked for. */
bool crm_index_last_activity(crm_date *out, struct crm_index *idx, struct crm_record *rec);
/* How many activities are about `rec` (for a client also about its deals
 * and contacts): the ones its last_activity comes from, those without a
 * date that parses included.  Computed in the same pass. */
size_t crm_index_activity_count(struct crm_index *idx, struct crm_record *rec);
/* The record's open next step (see struct crm_next_step); false when it
 * has none.  The strings point into the activity's tree (see
 * crm_index_trim). */
bool crm_index_next_step(struct crm_next_step *out, struct crm_index *idx,
			 struct crm_record *rec);

/* The follow-ups computed in a pass over the activities that the caller
 * makes anyway (the figures' pass for the deals' last touch): each
 * activity, decoded, given to crm_index_followups_feed in the order of
 * crm_index_list(idx, "activity"), then crm_index_followups_fed.  The
 * result is what the first crm_index_last_activity would compute, without
 * a second decoding of every activity.  Only while
 * crm_index_followups_known is false. */
bool crm_index_followups_known(const struct crm_index *idx);
void crm_index_followups_feed(struct crm_index *idx, struct crm_record *activity);
void crm_index_followups_fed(struct crm_index *idx);

/* Converts money into currency `to` through crm.ini's rates. */
int crm_index_convert(struct crm_money *out, const struct crm_index *idx,
		      const struct crm_money *in, const char *to);

#endif
