/* The index's private state.  Included only by the files that need its
 * insides:
 *   index_walk.c, index_load.c, index_query.c   list the files, load them,
 *                                                answer questions;
 *   field_values.c    computes fields into the records' memo (idx->trees,
 *                     idx->by_path for git dates) and defines crm_index_eval;
 *   ../check.c        crm_index_eval for required_if, a record for a
 *                     changed text (crm_index_record_for_text), and the
 *                     walk over idx->types that checks each type in
 *                     bounded memory.
 * The records' memo itself is in record_memo.h, for the index's files only.
 * Everyone else uses include/crm/index.h (crm_index_repo, crm_index_today,
 * crm_index_options, ...). */
#ifndef CRM_INDEX_INTERNAL_H
#define CRM_INDEX_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "crm/file_batch.h"
#include "crm/git.h"
#include "core/index/cache.h"
#include "crm/index.h"
#include "crm/map.h"

#define MAX_WORKERS 16

struct pending_file {
	const struct crm_schema *schema;
	const char *path;
	struct crm_file_stamp stamp;              /* when the folders were walked */
	const struct crm_cache_entry *cached;     /* its entry in the cache, if any */
	uint64_t hash;                            /* content id, once known */
	const unsigned char *enc;                 /* its tree encoded: the cache's
						     entry, or encoded at the load */
	size_t enc_len;
	bool cacheable;                           /* parsed without findings */
	bool lazy;                                /* its tree is only encoded (enc):
						     decoded on first use */
	bool unverified;                          /* the cache's stamp, the file
						     not stated yet (trust_cache) */
	bool gone;                                /* stated: no longer there */
	bool touched;                             /* in the index's touched list */
	bool unstated;                            /* walked, not stated yet: the
						     worker that loads it does,
						     on the open file */
};

struct pending_files {            /* a CRM_ARRAY */
	struct pending_file *ptr;
	size_t len, cap;
};

struct worker {
	struct crm_index *idx;
	pthread_t thread;
	struct crm_arena arena;          /* ids and encoded trees, kept */
	struct crm_arena scratch;        /* one file's tree while it is encoded */
	struct crm_buf encoding;
	struct crm_buf data;             /* the file being read, its room kept */
	struct crm_buf run;              /* the files of a run read together */
	struct crm_file_batch *batch;    /* how a run is opened and read */
	bool batch_tried;
	bool ring;                       /* through io_uring (CRM_TRACE) */
	struct crm_buf dir;              /* the folder of the last file stated */
	int dir_fd;                      /* open on it, or -1 */
	struct crm_diags diags;
	size_t cache_misses;             /* files parsed or re-stamped */
};

struct type_entry {
	const struct crm_schema *schema;
	CRM_ARRAY(struct crm_record *) records;
	struct crm_map by_id;
	size_t first, count;             /* its files: idx->files.ptr[first...] */
	bool mapped;                     /* records and by_id filled in */
	bool materialized;               /* every record's tree decoded */
};

struct crm_index {
	struct crm_repo *repo;
	struct crm_index_options opts;
	struct crm_arena arena;
	struct crm_arena trees;          /* decoded trees and computed values:
					    dropped by crm_index_trim */
	size_t tree_budget;              /* bytes of trees crm_index_trim allows */
	size_t trims;                    /* times it dropped them (CRM_TRACE) */
	/* The records that may point into `trees` (a decoded root, computed
	 * values, back-references), by their place in `records`: what
	 * crm_index_trim looks at, not all of them (at 100 000 records a
	 * dashboard trims 40 times, and the invoices' pass touches products
	 * at the other end of the list).  crm_index_touch adds to it;
	 * touched_all (the load's trees, or a list that could not grow)
	 * makes the next trim look at every record. */
	CRM_ARRAY(size_t) touched;
	bool touched_all;
	struct crm_index_pass *pass;     /* the innermost pass under way */
	struct crm_index_ahead *ahead;   /* decoding ahead of a pass, if any */
	size_t decoded_ahead;            /* trees it gave (CRM_TRACE) */
	unsigned trees_epoch;            /* changes whenever `trees` is let go
					    or set aside (decode_ahead.c) */
	struct crm_diags diags;
	crm_date today;
	struct pending_files files;
	struct crm_arena walk_arenas[MAX_WORKERS];   /* the walk's paths, by thread */
	struct crm_record *records;      /* one per file, in file order */
	struct crm_record_memo *memos;   /* records[i].memo is &memos[i]; in
					    the records' allocation */
	atomic_size_t next_file;
	struct worker workers[MAX_WORKERS];
	int nworkers;
	struct type_entry *types;
	size_t ntypes;
	bool added_loaded;               /* git dates looked up */
	bool followups_known;            /* last_activity, next_step computed
					    (followup.c) */
	bool clients_followed;           /* and their deals' and contacts'
					    added to their clients' */
	const char *git_prefix;          /* data repository below the work tree */
	struct crm_map by_path;          /* while looking up git dates */
	struct crm_cache *cache;         /* the persistent cache, when usable */
	struct crm_cache_keys keys;      /* the schemas' field names, for encoding */
	bool trusting;                   /* files listed from the cache, no walk */
	int root_fd;                     /* the data repository's folder, or -1 */
	bool walk_stats;                 /* the walk states files (a cache to match) */
	struct {                         /* crm_index_uncommitted's answer */
		enum { DIRTY_NOT_ASKED, DIRTY_RUNNING, DIRTY_KNOWN } state;
		pthread_t thread;
		bool answer;
		int err;
		char *message;
	} dirty;
	char *cache_file;                /* where it lives; NULL: no cache */
};

/* A pass that decodes records for a moment inside a caller that may hold
 * decoded trees and values (the follow-ups, computed on first use while a
 * field is being printed): what the pass decodes and computes goes into an
 * arena of its own, let go between records by crm_index_pass_trim once it
 * passes the budget, and by crm_index_pass_end; what was decoded or
 * computed before the pass stays as it was, so the caller's pointers hold.
 * A pass that cannot note the records' state (no memory) keeps everything,
 * as the index did without it. */
struct crm_index_pass {
	struct crm_arena outer;          /* idx->trees before the pass */
	unsigned char *before;           /* per record: PASS_HAD_* bits */
	bool *materialized;              /* per type, before the pass */
	bool on;
	size_t lo, hi;                   /* records touched since the last drop */
	struct crm_index_pass *prev;     /* the pass this one runs inside */
};
/* How many threads (this one included) share `jobs` pieces of work:
 * opts.threads, else one per core, at most MAX_WORKERS and `jobs`. */
int crm_index_threads(const struct crm_index *idx, size_t jobs);

/* A tree decoded ahead of the pass (decode_ahead.c) for `rec`, whose file
 * is `f`, lazy: taken into the index, or false when there is none. */
bool crm_index_ahead_take(struct crm_index *idx, struct crm_record *rec, struct pending_file *f);

void crm_index_pass_begin(struct crm_index *idx, struct crm_index_pass *p);
void crm_index_pass_trim(struct crm_index *idx, struct crm_index_pass *p);
void crm_index_pass_end(struct crm_index *idx, struct crm_index_pass *p);

static inline void crm_index_widen(size_t *lo, size_t *hi, size_t i)
{
	if (i < *lo)
		*lo = i;
	if (i + 1 > *hi)
		*hi = i + 1;
}

/* Notes that `rec` now points into idx->trees: a root decoded, values
 * computed, back-references found.  Records made outside the index's
 * array are none of the index's business (crm_index_trim never cleared
 * them). */
static inline void crm_index_touch(struct crm_index *idx, const struct crm_record *rec)
{
	uintptr_t at = (uintptr_t)rec, first = (uintptr_t)idx->records;
	struct crm_index_pass *p;
	size_t i;

	if (!idx->records || at < first ||
	    at >= first + idx->files.len * sizeof(struct crm_record))
		return;
	i = (size_t)(rec - idx->records);
	if (!idx->files.ptr[i].touched) {
		size_t *slot = idx->touched_all ? NULL : CRM_ARRAY_PUSH(idx->touched);
		if (slot)
			*slot = i;
		else
			idx->touched_all = true;
		idx->files.ptr[i].touched = true;
	}
	for (p = idx->pass; p; p = p->prev)
		crm_index_widen(&p->lo, &p->hi, i);
}

/* The file a record was loaded from. */
static inline struct pending_file *crm_index_file_of(const struct crm_index *idx,
						     const struct crm_record *rec)
{
	return &idx->files.ptr[rec - idx->records];
}

/* A record listed from a trusted cache stated now: gone, changed (then
 * read) or as the cache has it; nothing for any other record.  Its tree is
 * not decoded (crm_index_materialize does both). */
void crm_index_verify(const struct crm_index *idx, struct crm_record *rec);

/* crm_index_resolve without decoding the record's tree: for what is kept
 * beside it (follow-up counts), not for its fields. */
struct crm_record *crm_index_resolve_undecoded(const struct crm_index *idx, const char *ref,
					       const char *default_type);

/* Lists the record files of every type folder into idx->files and fills in
 * idx->types (index_walk.c): by a walk of the work tree, from git's index
 * or a commit when the repository is read from git (_git), or from the cache (_cached, which also allocates
 * idx->records).  Negative on failure, the message set or CRM_ENOMEM. */
int crm_index_collect_files(struct crm_index *idx);
/* States `f` by `name` in the folder open as `dfd`, not following a link
 * (the walk saw a file, a link now would lead elsewhere): its stamp, and
 * unstated cleared; left unstated when it cannot be stated or is no plain
 * file now (its open then says why).  The walk's, and the load's for the
 * files the walk left to it. */
void crm_index_state_file(struct pending_file *f, int dfd, const char *name);
int crm_index_collect_files_git(struct crm_index *idx);
int crm_index_collect_cached_files(struct crm_index *idx);

/* Allocates idx->records and their memos, one per file of idx->files
 * (index_load.c).  Negative on failure, the error set. */
int crm_index_alloc_records(struct crm_index *idx);

/* Makes `out` a record for a new version of `rec`'s text, which the caller
 * parses into out->root: the same schema, id, path, referrers and date
 * added as `rec`, none of its computed values (for crm_check_change).
 * Should memory run out, `out` has no memo: no referrers, no date. */
void crm_index_record_for_text(struct crm_index *idx, struct crm_record *out,
			       const struct crm_record *rec);

/* Names a type's records and maps their ids (at the load, or when an index
 * listed from the cache is first asked for the type). */
int crm_index_map_type(struct crm_index *idx, struct type_entry *t);

/* Names every record and maps every type's ids (an index listed from the
 * cache does it per type on first use): before a walk over idx->records. */
int crm_index_map_all(struct crm_index *idx);

/* The value of follow-up field `name` of `rec` (followup.c; see
 * crm_index_field): last_activity, next_step and its parts. */
int crm_index_followup_value(struct crm_value *out, struct crm_index *idx,
			     struct crm_record *rec, const char *name);

/* Evaluates formula `f` in the context of `rec` (for required_if). */
void crm_index_eval(struct crm_value *out, struct crm_index *idx,
		    struct crm_record *rec, const struct crm_formula *f);

#endif
