/* Lead scores from crm.ini: a section [score "TYPE"] of weighted terms
 * gives every record of TYPE a computed field `score` (sortable and
 * filterable like any number), the sum of the terms' points; a term whose
 * field the record lacks contributes nothing.  The terms:
 *   FIELD.VALUE = N          N when FIELD holds VALUE (a tag, for tags)
 *   FIELD.per = AMOUNT : N   N per whole AMOUNT of FIELD ("1000 EUR : 1";
 *                            money converted through the rates)
 *   activities = N           N per activity about the record (a client's
 *                            include those about its deals and contacts,
 *                            as for its last_activity)
 *   activities.max = M       at most M points from activities
 *   recency.DAYS = N         N when the record's last_activity is at most
 *                            DAYS days before today (the best such term
 *                            counts, not their sum)
 * N may be negative. */
#ifndef CRM_SCORE_H
#define CRM_SCORE_H

#include <stdint.h>

#include "crm/array.h"
#include "crm/buf.h"
#include "crm/money.h"

struct crm_config;
struct crm_index;
struct crm_record;
struct crm_repo;

enum crm_score_kind { CRM_SCORE_EQUALS, CRM_SCORE_PER, CRM_SCORE_ACTIVITIES, CRM_SCORE_RECENCY };

struct crm_score_term {
	enum crm_score_kind kind;
	const char *key;          /* as written in crm.ini: "source.referral" */
	const char *field, *value;
	struct crm_money per;     /* CRM_SCORE_PER: the amount a point takes */
	int64_t points;
	int64_t days;             /* CRM_SCORE_RECENCY */
};

struct crm_score {
	const char *type;
	CRM_ARRAY(struct crm_score_term) terms;
	int64_t activities_max;   /* -1: no cap */
};

/* One term's share of a record's score. */
struct crm_score_part {
	const char *key;
	int64_t points;
};

/* Parses one term `key = value` of a [score] section into `out` (strings
 * borrowed).  0, or CRM_EINVALID with a message that says what is wrong. */
int crm_score_parse_term(struct crm_score_term *out, const char *key, const char *value);

/* Reads every [score "TYPE"] section of the repository's crm.ini and adds
 * the computed field `score` to each TYPE's schema (a type crm.ini scores
 * that has no schema, or a term that does not parse, is left to crm check,
 * which reports crm.ini's problems).  0 or CRM_ENOMEM. */
int crm_score_attach(struct crm_repo *repo);

/* Frees what crm_score_attach allocated (crm_repo_release calls it). */
void crm_score_release(struct crm_repo *repo);

typedef CRM_ARRAY(struct crm_score_part) crm_score_parts;
/* The score of `rec` by `sc`: the sum of its terms' points (0 when none
 * applies); `parts` (when not NULL) receives each term that contributed
 * something, in crm.ini's order (the recency term last). */
int crm_score_compute(int64_t *out, struct crm_index *idx, struct crm_record *rec,
		      const struct crm_score *sc, crm_score_parts *parts);

#endif
