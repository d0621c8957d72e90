/* An opportunity reduced to what every figure needs: its stage, outcome,
 * close date, amount in the base currency and history.  The one reading of
 * a deal that the dashboard, the named reports and the forecast share, so
 * that no two figures disagree on what "won" or "closed" means. */
#ifndef CRM_DEAL_H
#define CRM_DEAL_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/config.h"
#include "crm/date.h"
#include "crm/decimal.h"
#include "crm/index.h"

/*
 * The definition (SPEC sections 2 and 4):
 *  - stage: the record's `stage` field, looked up among crm.ini's
 *    `[stage "..."]` sections.  A stage crm.ini does not name leaves
 *    `stage` NULL and counts as open (crm check reports it).
 *  - outcome: the stage's `outcome` in crm.ini: open (the default), won,
 *    lost or void.  A deal is closed when its outcome is not open.
 *  - close date: for a closed deal only, the `closed` field (a date, or a
 *    datetime's day), else the latest valid date among its `history`
 *    entries, whatever their stage; none when it has neither.  An open deal has no close date, whatever
 *    its `closed` field says.
 *  - history: the `history` entries with a valid date and a stage crm.ini
 *    knows, oldest first; entries of one day keep their order.  Other
 *    entries are crm check's business and are left out of the figures.
 */
/* One `history` entry as written, in the file's order: whether it is a
 * map, its `stage` as crm.ini's stage number (-1: absent or unknown) and
 * its `date` when valid.  What the funnel and the cycle read. */
struct crm_deal_entry {
	bool is_map, has_date;
	int stage;
	crm_date date;
};

struct crm_deal {
	struct crm_record *rec;
	const char *title;
	const struct crm_stage *stage;    /* NULL when crm.ini has no such stage */
	const char *stage_name;
	size_t stage_pos;                 /* in crm.ini's order */
	enum crm_outcome outcome;         /* open for an unknown stage */
	bool has_amount;                  /* amount present and convertible */
	bool unconverted;                 /* amount present, no rate to the base */
	crm_dec amount;                   /* in the base currency */
	crm_date created;
	bool has_closed;                  /* won, lost or void with a date */
	crm_date closed;                  /* see above */
	crm_date last_touch;              /* latest of created and history; the
					   * dashboard adds activities */
	const char *owner, *source, *client, *lost_reason;   /* NULL when absent */
	const struct crm_node *tags;      /* a sequence, a scalar, or NULL */
	/* after crm_deal_keep: the texts above are copies, tags and history
	 * are in these, and the deal no longer needs rec->root */
	const char **tag_list;
	size_t ntags;
	const struct crm_deal_entry *entries;
	size_t nentries;
};

/* One entry of a deal's history: on `date` it moved to crm.ini's stage
 * number `stage`. */
struct crm_deal_step {
	crm_date date;
	size_t stage;
};

/* Reads `rec` (an opportunity) into *out by the definition above.  An
 * amount that cannot be converted to the base currency leaves has_amount
 * false, sets `unconverted`, and leaves the reason in crm_error_last().
 * Never fails: whatever is missing is left out. */
void crm_deal_read(struct crm_deal *out, struct crm_index *idx, struct crm_record *rec);

/* Makes `d` independent of its record's tree: copies its texts and tags
 * into `arena` and reads its history entries there, so that the index may
 * drop decoded trees (crm_index_trim) while figures are summed.  Reads
 * rec->root, which must still be decoded.  CRM_ENOMEM. */
int crm_deal_keep(struct crm_deal *d, const struct crm_config *cfg, struct crm_arena *arena);

/* The number of history entries `rec` may have (an upper bound for
 * crm_deal_history's `steps`). */
size_t crm_deal_history_size(const struct crm_record *rec);
/* Fills `steps` (room for crm_deal_history_size entries) with the deal's
 * history by the definition above and returns how many it wrote. */
size_t crm_deal_history(struct crm_deal_step *steps, const struct crm_config *cfg,
			const struct crm_record *rec);

/* The same from a deal made independent by crm_deal_keep (room for
 * d->nentries steps): its entries with a known stage and a valid date. */
size_t crm_deal_kept_history(struct crm_deal_step *steps, const struct crm_deal *d);

/* The i-th tag of a deal (NULL past the end). */
const char *crm_deal_tag(const struct crm_deal *d, size_t i);

#endif
