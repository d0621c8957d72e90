/* Finding records that are the same client twice: the keys records are
 * compared by (email, phone digits, a name with case, accents, full-width
 * forms, punctuation and company suffixes folded away), the matcher crm
 * import and crm add look rows up in, and the pairs crm dedupe lists. */
#ifndef CRM_DEDUPE_H
#define CRM_DEDUPE_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/buf.h"
#include "crm/index.h"
#include "crm/map.h"
#include "crm/schema.h"

/* The key names are compared by for duplicates: crm_utf8_match_key with
 * company suffixes (Ltd, GmbH, Inc., Sp. z o.o., S.A., 有限公司...) removed. */
int crm_match_name_key(struct crm_buf *out, const char *name);
/* Similarity of two name keys in [0, 1]: 1 - edit distance / longer length
 * (0 when their digits differ, and below about 0.8 where the bounded
 * distance gives up). */
double crm_match_similarity(const char *a, const char *b);
/* An email as it is compared: lower case, blanks around it dropped. */
void crm_match_email_key(struct crm_buf *out, const char *email);
/* A phone as it is compared: its last nine digits (nothing with fewer
 * than six), so "+48 601 234 567" and "0601-234-567" agree. */
void crm_match_phone_key(struct crm_buf *out, const char *phone);
/* The value of the first field of type `t` that `root` (a `s` record)
 * holds: the email or phone a record is matched by; NULL when none. */
const char *crm_match_first_of_type(const struct crm_schema *s, const struct crm_node *root,
				    enum crm_field_type t);

/* A known record (existing, or planned by an import) that rows can match. */
struct crm_match_known {
	const char *type, *id;
	const char *name_key;      /* crm_match_name_key of its name, or NULL */
	long item;                 /* the caller's index (an import's item), -1 if existing */
	size_t row;                /* its CSV row, when planned */
};

/* Every known record, hashed by id, normalised email, phone digits, name
 * key and blocks of names (the first word of the key): matching a row
 * costs the size of its blocks, never the number of records. */
struct crm_matcher {
	struct crm_arena arena;
	struct crm_map by_key;     /* "type\037kind\037key" -> crm_match_known / block */
	struct crm_map loaded;     /* types whose records are in */
	CRM_ARRAY(void *) blocks;  /* owned block arrays, freed at the end */
};

struct crm_match {
	struct crm_match_known *known;
	double score;
	const char *how;           /* "id", "email", "phone", "name" */
};

void crm_matcher_init(struct crm_matcher *m);
void crm_matcher_release(struct crm_matcher *m);
/* Adds the records of `s`'s type from the index (once per type). */
int crm_matcher_load(struct crm_matcher *m, struct crm_index *idx, const struct crm_schema *s);
/* Adds a planned record. */
int crm_matcher_add(struct crm_matcher *m, const char *type, const char *id, const char *name,
		    const char *email, const char *phone, long item, size_t row);
/* The known record of `type` with this id. */
struct crm_match_known *crm_matcher_by_id(struct crm_matcher *m, const char *type,
					  const char *id);
/* The best match >= 0.8 by email, phone or name (in that order); false
 * when none. */
bool crm_matcher_find(struct crm_match *out, struct crm_matcher *m, const char *type,
		      const char *name, const char *email, const char *phone);

/* Whether `s` records have anything to be compared by: a name, an email
 * or a phone field. */
bool crm_dedupe_comparable(const struct crm_schema *s);
/* The existing `s` record that a new one (its parsed tree `root`) most
 * likely duplicates, at 0.8 or more, as crm_matcher_find decides (`m`
 * loads the type's records): 1 with *out set, 0 when none, or a negative
 * error. */
int crm_dedupe_existing(struct crm_match *out, struct crm_matcher *m, struct crm_index *idx,
			const struct crm_schema *s, const struct crm_node *root);

/* What two records of a pair agree on. */
enum crm_dedupe_field {
	CRM_DEDUPE_EMAIL = 1 << 0,
	CRM_DEDUPE_PHONE = 1 << 1,
	CRM_DEDUPE_NAME = 1 << 2
};

/* One likely duplicate: `a`'s id sorts before `b`'s. */
struct crm_dedupe_pair {
	struct crm_record *a, *b;
	double score;              /* 1 for the same email or phone, else the
				      names' similarity */
	double name_score;         /* the names' similarity (0 when unlike) */
	unsigned fields;           /* crm_dedupe_field bits */
};

struct crm_dedupe {
	CRM_ARRAY(struct crm_dedupe_pair) pairs;   /* best first, then by ids */
	const char *name_field, *email_field, *phone_field;   /* what was compared */
	size_t compared;           /* pairs scored: the work blocking left */
};

/* How many neighbours (in name-key order) each record of a block, or of
 * a group sharing an email or phone, is compared with: large blocks (a
 * common first word, a switchboard number) stay linear. */
#define CRM_DEDUPE_WINDOW 64

/* Every pair of `s` records scoring `threshold` or more.  Records are
 * grouped by email key, phone key and the first and last words of their
 * name key and compared only within a group (each with the next
 * CRM_DEDUPE_WINDOW), never all pairs.  CRM_EINVALID when the type has
 * neither a name, an email nor a phone field. */
int crm_dedupe_find(struct crm_dedupe *out, struct crm_index *idx, const struct crm_schema *s,
		    double threshold);
void crm_dedupe_release(struct crm_dedupe *d);
/* "email, name" for the bits of `fields`, as the type names them. */
void crm_dedupe_fields_text(struct crm_buf *out, const struct crm_dedupe *d, unsigned fields);

/* Merging a duplicate DROP into the record KEEP (crm merge), field by
 * field on the files' texts, so KEEP's comments, order and quoting stay.
 * A field only DROP holds is added; tags are united; a field both hold
 * with different values is a conflict, settled by `take_drop`. */
struct crm_merge_fields {
	CRM_ARRAY(const char *) added;      /* from DROP, which KEEP lacked */
	CRM_ARRAY(const char *) differing;  /* both hold it, with different values */
	CRM_ARRAY(const char *) united;     /* tags from both */
};

/* The fields of DROP (`drop`, a parsed record) as KEEP (`keep`) would
 * take them; the names point into the trees. */
int crm_merge_fields_of(struct crm_merge_fields *out, const struct crm_node *keep,
			const struct crm_node *drop);
void crm_merge_fields_release(struct crm_merge_fields *f);

/* `out` receives KEEP's text (`keep`, `keep_len`) with DROP's fields in:
 * the fields KEEP lacks added as DROP wrote them, tags united, and each
 * differing field for which `take_drop(field, payload)` is true replaced
 * by DROP's.  CRM_EINVALID when a text does not parse. */
int crm_merge_texts(struct crm_buf *out, const char *keep, size_t keep_len, const char *drop,
		    size_t drop_len, bool (*take_drop)(const char *field, void *payload),
		    void *payload);

#endif
