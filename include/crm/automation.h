/* Automations declared in crm.ini and applied by the commands that create
 * or change records: lead assignment by rules ([assign "NAME"]), the
 * stage-change hook ([notify] stage), and the fields a deal needs to enter
 * a stage ([stage "S"] requires).  README's AUTOMATIONS part is the
 * user's description of the syntax. */
#ifndef CRM_AUTOMATION_H
#define CRM_AUTOMATION_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/buf.h"
#include "crm/index.h"

struct crm_git;

/* One [assign "NAME"] section: records of `type` that match the ls filter
 * `where` (all of them when NULL) and have no owner get one of `team`. */
struct crm_assign_rule {
	const char *name;
	const char *type;            /* a record type; default "opportunity" */
	const char *where;           /* ls filter terms, split on blanks */
	const char **team;           /* user names, in crm.ini's order */
	size_t nteam;
	int line;                    /* of the section's first key in crm.ini */
};

/* What crm.ini asks for, read once per command. */
struct crm_automation {
	struct crm_arena arena;
	CRM_ARRAY(struct crm_assign_rule) rules;
	const char **notify_argv;    /* [notify] stage, split on blanks and
					NULL-terminated; NULL when not set */
	long alert_factor;           /* [alerts] factor, default 2 */
	long alert_min_samples;      /* [alerts] min_samples, default 5 */
};

/* Reads the automation sections of `cfg`.  0, or CRM_EINVALID with
 * "crm.ini:LINE: ..." set for a value that makes no sense (an empty team,
 * a team member crm.ini's [user] sections do not list, a factor below 1).
 * Release with crm_automation_release, also after a failure. */
int crm_automation_load(struct crm_automation *out, const struct crm_config *cfg);
void crm_automation_release(struct crm_automation *a);

/* Assignment.  A crm_assigner counts the open load of every member of
 * every rule's team in the index (see crm_assign_begin), then hands out
 * owners one record at a time, counting each it hands out, so that an
 * import of many records spreads them as evenly as one add at a time. */
struct crm_assigner;

/* Counts the open load: each member's open opportunities (a stage whose
 * outcome is open) plus, for a rule on another type, that type's records
 * the member owns.  The rules for `s` are parsed as filters here: a bad
 * filter is CRM_EUSAGE naming the rule.  *out is NULL when no rule is for
 * type `s` (nothing to do); free with crm_assign_free. */
int crm_assign_begin(struct crm_assigner **out, struct crm_index *idx,
		     const struct crm_automation *a, const struct crm_schema *s);
/* The owner for `rec` (a record of the assigner's type without an owner,
 * its tree parsed; it need not be in the index): the first rule, in
 * crm.ini's order, whose filter matches, and in its team the member with
 * the least open load, the earliest in the team on a tie, so that equal
 * loads go round the team in order.  *owner_out and *rule_out (borrowed)
 * are NULL when no rule matches.  The member's load counts the record. */
void crm_assign_pick(const char **owner_out, const char **rule_out,
		     struct crm_assigner *as, struct crm_record *rec);
/* crm_assign_pick for a record's whole text (of type `s`, to be written
 * as `path`): when it parses, its type has an owner field and it has no
 * owner, the owner picked is written into `text`.  *owner_out and
 * *rule_out as for crm_assign_pick.  Fails only when out of memory. */
int crm_assign_text(struct crm_buf *text, const char **owner_out, const char **rule_out,
		    struct crm_assigner *as, const struct crm_schema *s, const char *id,
		    const char *path);
void crm_assign_free(struct crm_assigner *as);

/* A record has no owner when its `owner` field is absent or empty. */
bool crm_record_has_owner(const struct crm_record *rec);

/* Stage entry criteria: appends to `missing` ("amount, expected_close")
 * every field that [stage "NAME"] requires = ... lists and `rec` has no
 * value for (absent, empty or not readable).  Returns how many; 0 when
 * the stage requires nothing or everything is there. */
size_t crm_stage_missing(struct crm_buf *missing, struct crm_index *idx,
			 const struct crm_config *cfg, struct crm_record *rec,
			 const char *stage);

/* A deal that changed stage, as the hook receives it. */
struct crm_stage_change {
	const char *type, *id, *title;
	const char *from, *to;       /* from is NULL for a new record */
	const char *by, *date;       /* who and when, from the history entry */
	const char *amount, *owner;  /* as the file writes them, or NULL */
	const char *origin;          /* "add", "move" or "sync" */
	const char *commit;          /* the commit that holds the change */
};

/* Fills type, id, to (its stage), title, amount and owner of `c` from
 * the deal's parsed file `root`, and by and date from its last history
 * entry; from, origin and commit are the caller's to set.  The strings
 * are borrowed from `root` and the arguments. */
void crm_stage_change_describe(struct crm_stage_change *c, const char *type, const char *id,
			       const struct crm_node *root);

/* The JSON document the hook gets on its stdin: one object with every
 * member of `c` ("record": "opportunity/ID", from, to, by, date, amount,
 * owner, title, origin, commit), absent strings as null. */
int crm_stage_change_json(struct crm_buf *out, const struct crm_stage_change *c);

/* Runs the [notify] stage command for change `c` (nothing when none is
 * set): the program and arguments exactly as crm.ini splits them, never a
 * shell, with the JSON on its stdin; its stdout is passed on to our
 * stderr, so a command's own output stays clean.  0 when it ran and
 * exited 0; otherwise CRM_ERROR with a message naming the program and
 * its status (the change is committed either way: callers warn). */
int crm_notify_stage_change(const struct crm_automation *a, const struct crm_stage_change *c);

/* Calls cb with every stage change of an opportunity between commits
 * `from` and `to` of `g`: a deal whose `stage` differs, in the
 * opportunities folder below `prefix` (the data repository's folder in
 * git, "" or "data/").  A deal that `from` does not have is a change from
 * no stage (from NULL); one that moved to another folder keeps its id and
 * is compared with its old file; one renamed by crm mv (the same bytes
 * under a new id) and one removed are no change.  by and date come from
 * the deal's last history entry in `to`; origin is "sync" and commit
 * `to`.  Deals changed in place come first, then the files `to` added
 * (new deals and moved ones), each in path order.
 * cb's strings live until it returns; a value other than 0 from cb stops
 * and is returned. */
int crm_stage_changes_between(struct crm_git *g, const struct crm_repo *repo,
			      const char *prefix, const char *from, const char *to,
			      int (*cb)(const struct crm_stage_change *c, void *payload),
			      void *payload);

#endif
