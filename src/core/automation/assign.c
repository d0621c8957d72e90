/* Lead assignment ([assign "NAME"] in crm.ini): a new record without an
 * owner goes to the least loaded member of the first matching rule's team.
 * The open load of each member is counted once from the index and kept up
 * to date as owners are handed out, so a run that adds many records (an
 * import) spreads them as evenly as single adds would. */
#include <stdlib.h>
#include <string.h>

#include "crm/automation.h"
#include "crm/config.h"
#include "crm/error.h"
#include "crm/filter.h"
#include "crm/edit.h"
#include "crm/node.h"

struct member_load {
	const char *name;
	size_t load;
};

struct rule_filter {
	const struct crm_assign_rule *rule;
	struct crm_filter *filter;
};

struct crm_assigner {
	struct crm_index *idx;
	struct crm_arena arena;
	CRM_ARRAY(struct rule_filter) rules;
	CRM_ARRAY(struct member_load) members;
};

static struct member_load *member(struct crm_assigner *as, const char *name)
{
	size_t i;

	for (i = 0; i < as->members.len; i++) {
		if (!strcmp(as->members.ptr[i].name, name))
			return &as->members.ptr[i];
	}
	return NULL;
}

static int add_members(struct crm_assigner *as, const struct crm_assign_rule *r)
{
	size_t i;

	for (i = 0; i < r->nteam; i++) {
		struct member_load *m;
		if (member(as, r->team[i]))
			continue;
		m = CRM_ARRAY_PUSH(as->members);
		if (!m)
			return crm_error_set(CRM_ENOMEM, "out of memory");
		m->name = r->team[i];
	}
	return 0;
}

/* A rule's `where` as a filter on type `s`. */
static int parse_rule(struct crm_assigner *as, const struct crm_assign_rule *r,
		      const struct crm_schema *s)
{
	struct rule_filter *rf = CRM_ARRAY_PUSH(as->rules);
	const char **terms = NULL;
	size_t n = 0;
	int err;

	if (!rf)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	rf->rule = r;
	if (r->where) {
		char *copy = crm_arena_strdup(&as->arena, r->where);
		char *save = NULL, *tok;
		terms = crm_arena_alloc(&as->arena, (strlen(r->where) / 2 + 2) * sizeof(*terms));
		if (!copy || !terms)
			return crm_error_set(CRM_ENOMEM, "out of memory");
		for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
			terms[n++] = tok;
	}
	err = crm_filter_parse(&rf->filter, as->idx, s, terms, n);
	if (err)
		return crm_error_set(CRM_EUSAGE, "crm.ini:%d: the where of rule [assign \"%s\"]: %s",
				     r->line, r->name, crm_error_last());
	return add_members(as, r);
}

/* Adds one to the load of the record's owner when it is a member. */
static void count_owner(struct crm_assigner *as, struct crm_record *rec, bool only_open)
{
	const struct crm_config *cfg = &crm_index_repo(as->idx)->config;
	const char *owner, *stage;
	const struct crm_stage *st;
	struct member_load *m;

	crm_index_materialize(as->idx, rec);
	owner = rec->root ? crm_node_text(rec->root, "owner") : NULL;
	m = owner ? member(as, owner) : NULL;
	if (!m)
		return;
	if (only_open) {
		stage = crm_node_text(rec->root, "stage");
		st = stage ? crm_config_stage(cfg, stage) : NULL;
		if (st && st->outcome != CRM_OUTCOME_OPEN)
			return;
	}
	m->load++;
}

static void count_type(struct crm_assigner *as, const char *type)
{
	struct crm_record **recs;
	size_t i, n = 0;
	bool deals = !strcmp(type, "opportunity");

	recs = crm_index_list(as->idx, type, &n);
	for (i = 0; i < n; i++) {
		count_owner(as, recs[i], deals);
		crm_index_trim(as->idx);
	}
}

int crm_assign_begin(struct crm_assigner **out, struct crm_index *idx,
		     const struct crm_automation *a, const struct crm_schema *s)
{
	struct crm_assigner *as;
	size_t i;
	int err = 0;

	*out = NULL;
	for (i = 0; i < a->rules.len && strcmp(a->rules.ptr[i].type, s->type); i++)
		;
	if (i == a->rules.len)
		return 0;
	as = calloc(1, sizeof(*as));
	if (!as)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	as->idx = idx;
	crm_arena_init(&as->arena);
	for (i = 0; i < a->rules.len && !err; i++) {
		if (!strcmp(a->rules.ptr[i].type, s->type))
			err = parse_rule(as, &a->rules.ptr[i], s);
	}
	if (!err) {
		count_type(as, "opportunity");
		if (strcmp(s->type, "opportunity"))
			count_type(as, s->type);
	}
	if (err) {
		crm_assign_free(as);
		return err;
	}
	*out = as;
	return 0;
}

void crm_assign_pick(const char **owner_out, const char **rule_out,
		     struct crm_assigner *as, struct crm_record *rec)
{
	size_t i, j;

	*owner_out = NULL;
	*rule_out = NULL;
	for (i = 0; i < as->rules.len; i++) {
		const struct crm_assign_rule *r = as->rules.ptr[i].rule;
		struct member_load *best = NULL;
		if (!crm_filter_match(as->rules.ptr[i].filter, as->idx, rec))
			continue;
		for (j = 0; j < r->nteam; j++) {
			struct member_load *m = member(as, r->team[j]);
			if (!best || m->load < best->load)
				best = m;
		}
		best->load++;
		*owner_out = best->name;
		*rule_out = r->name;
		return;
	}
}

void crm_assign_free(struct crm_assigner *as)
{
	size_t i;

	if (!as)
		return;
	for (i = 0; i < as->rules.len; i++)
		crm_filter_free(as->rules.ptr[i].filter);
	CRM_ARRAY_RELEASE(as->rules);
	CRM_ARRAY_RELEASE(as->members);
	crm_arena_release(&as->arena);
	free(as);
}

int crm_assign_text(struct crm_buf *text, const char **owner_out, const char **rule_out,
		    struct crm_assigner *as, const struct crm_schema *s, const char *id,
		    const char *path)
{
	struct crm_buf next = CRM_BUF_INIT;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags d;
	struct crm_record rec;
	int err = 0;

	*owner_out = NULL;
	*rule_out = NULL;
	if (!crm_schema_field(s, "owner"))
		return 0;
	memset(&rec, 0, sizeof(rec));
	rec.schema = s;
	rec.id = id;
	rec.path = path;
	crm_diags_init(&d);
	/* a text that does not parse is the check's to refuse, not ours */
	if (!crm_yaml_parse(&rec.root, &arena, text->ptr, text->len, path, &d) &&
	    !crm_record_has_owner(&rec))
		crm_assign_pick(owner_out, rule_out, as, &rec);
	if (*owner_out)
		err = crm_edit_set(&next, text->ptr, text->len, rec.root, "owner", *owner_out);
	if (*owner_out && !err) {
		crm_buf_release(text);
		*text = next;
		crm_buf_init(&next);
	}
	crm_buf_release(&next);
	crm_diags_release(&d);
	crm_arena_release(&arena);
	return err;
}
