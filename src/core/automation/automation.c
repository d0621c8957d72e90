/* The automation sections of crm.ini read into one struct ([assign "NAME"],
 * [notify], [alerts]), and the rules that need no more than a record and
 * the settings: whether a record has an owner, and which fields a stage
 * requires before a deal may enter it ([stage "NAME"] requires). */
#include <stdlib.h>
#include <string.h>

#include "crm/automation.h"
#include "crm/config.h"
#include "crm/error.h"
#include "crm/node.h"

/* Splits `text` on commas and blanks into a NULL-terminated array in the
 * arena; *n_out receives the count. */
static const char **split_words(struct crm_arena *a, const char *text, size_t *n_out)
{
	size_t n = 0, cap = 1;
	const char *p;
	const char **words;

	for (p = text; *p; p++)
		cap += *p == ' ' || *p == ',' || *p == '\t';
	words = crm_arena_alloc(a, (cap + 1) * sizeof(*words));
	if (!words)
		return NULL;
	p = text;
	while (*p) {
		size_t len;
		p += strspn(p, " ,\t");
		len = strcspn(p, " ,\t");
		if (len)
			words[n++] = crm_arena_strndup(a, p, len);
		p += len;
	}
	words[n] = NULL;
	*n_out = n;
	return words;
}

static struct crm_assign_rule *rule_named(struct crm_automation *a, const char *name, int line)
{
	size_t i;
	struct crm_assign_rule *r;

	for (i = 0; i < a->rules.len; i++) {
		if (!strcmp(a->rules.ptr[i].name, name))
			return &a->rules.ptr[i];
	}
	r = CRM_ARRAY_PUSH(a->rules);
	if (!r)
		return NULL;
	r->name = name;
	r->type = "opportunity";
	r->line = line;
	return r;
}

static int set_assign(struct crm_automation *a, const struct crm_config *cfg,
		      const struct crm_setting *s)
{
	struct crm_assign_rule *r = rule_named(a, s->subsection, s->line);
	size_t i;

	if (!r)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (!strcmp(s->key, "type"))
		r->type = s->value;
	else if (!strcmp(s->key, "where"))
		r->where = s->value;
	else if (!strcmp(s->key, "team"))
		r->team = split_words(&a->arena, s->value, &r->nteam);
	for (i = 0; r->team && i < r->nteam; i++) {
		/* a name crm.ini's users do not list could never pass crm check */
		if (cfg->users.len && !crm_config_user(cfg, r->team[i]))
			return crm_error_set(CRM_EINVALID, "crm.ini:%d: '%s' in the team of rule "
					     "'%s' is not a [user] of crm.ini", s->line,
					     r->team[i], r->name);
	}
	return 0;
}

static int parse_count(long *out, const struct crm_setting *s, long min)
{
	char *end;
	long v = strtol(s->value, &end, 10);

	if (end == s->value || *end || v < min || v > 100000)
		return crm_error_set(CRM_EINVALID, "crm.ini:%d: %s '%s' in [%s] must be a whole "
				     "number from %ld", s->line, s->key, s->value, s->section, min);
	*out = v;
	return 0;
}

static int read_setting(struct crm_automation *a, const struct crm_config *cfg,
			const struct crm_setting *s)
{
	size_t n;

	if (!strcmp(s->section, "assign") && s->subsection)
		return set_assign(a, cfg, s);
	if (!strcmp(s->section, "notify") && !strcmp(s->key, "stage")) {
		a->notify_argv = split_words(&a->arena, s->value, &n);
		if (a->notify_argv && !n)
			a->notify_argv = NULL;
		return 0;
	}
	if (!strcmp(s->section, "alerts") && !strcmp(s->key, "factor"))
		return parse_count(&a->alert_factor, s, 1);
	if (!strcmp(s->section, "alerts") && !strcmp(s->key, "min_samples"))
		return parse_count(&a->alert_min_samples, s, 1);
	return 0;
}

int crm_automation_load(struct crm_automation *out, const struct crm_config *cfg)
{
	size_t i;
	int err = 0;

	memset(out, 0, sizeof(*out));
	crm_arena_init(&out->arena);
	out->alert_factor = 2;
	out->alert_min_samples = 5;
	for (i = 0; i < cfg->settings.len && !err; i++)
		err = read_setting(out, cfg, &cfg->settings.ptr[i]);
	for (i = 0; i < out->rules.len && !err; i++) {
		if (!out->rules.ptr[i].nteam)
			err = crm_error_set(CRM_EINVALID, "crm.ini:%d: rule [assign \"%s\"] has no "
					    "team = USER...", out->rules.ptr[i].line,
					    out->rules.ptr[i].name);
	}
	return err;
}

void crm_automation_release(struct crm_automation *a)
{
	CRM_ARRAY_RELEASE(a->rules);
	crm_arena_release(&a->arena);
}

bool crm_record_has_owner(const struct crm_record *rec)
{
	const char *owner = rec->root ? crm_node_text(rec->root, "owner") : NULL;
	return owner && *owner;
}

/* Whether `rec` has a value for field `name`: stored, looked up or
 * computed, neither empty nor an error. */
static bool has_value(struct crm_index *idx, struct crm_record *rec, const char *name)
{
	struct crm_value v;

	if (crm_index_value(&v, idx, rec, name))
		return rec->root && crm_node_get(rec->root, name);
	return v.kind != CRM_V_NULL && v.kind != CRM_V_ERROR &&
	       !(v.kind == CRM_V_TEXT && !*v.u.text);
}

size_t crm_stage_missing(struct crm_buf *missing, struct crm_index *idx,
			 const struct crm_config *cfg, struct crm_record *rec,
			 const char *stage)
{
	const char *requires = crm_config_get(cfg, "stage", stage, "requires");
	struct crm_arena a = CRM_ARENA_INIT;
	const char **fields;
	size_t i, n = 0, count = 0;

	if (!requires)
		return 0;
	fields = split_words(&a, requires, &n);
	for (i = 0; fields && i < n; i++) {
		if (has_value(idx, rec, fields[i]))
			continue;
		crm_buf_addf(missing, "%s%s", count ? ", " : "", fields[i]);
		count++;
	}
	crm_arena_release(&a);
	return count;
}
