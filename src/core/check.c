/* Validation of a whole data repository, like a compiler checks code: every
 * field against its schema type, references (with did-you-mean), unique
 * values, attached files, formulas, and time that runs backwards.  Findings
 * are collected, never fatal.  Some 800 lines: the whole-repository run and
 * the point check of a write (crm_check_change) share every rule here, and
 * the rules belong together; a rule family that grows goes to a file of its
 * own (the invoice rules already live in invoice/). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/check.h"
#include "crm/invoice.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/map.h"
#include "crm/task.h"
#include "crm/utf8.h"
#include "core/index/index_internal.h"

const char *const crm_check_codes[] = {
	"bad-config", "unknown-setting", "bad-schema", "unmerged", "conflict-markers", "yaml-syntax", "yaml-limit", "invalid-utf8",
	"nul-byte", "duplicate-key", "not-a-mapping", "unreadable", "bad-id",
	"duplicate-id", "unknown-field", "computed-field", "missing-required",
	"required-if", "bad-type", "bad-email", "bad-phone", "bad-url", "bad-date",
	"bad-datetime", "bad-number", "bad-money", "bad-percent", "bad-rating",
	"bad-enum", "unknown-stage", "unknown-user", "bad-duration", "unknown-currency",
	"no-rate", "dangling-ref", "unique", "missing-file", "file-outside-repo",
	"formula-error", "formula-cycle", "closed-before-created", "history-order",
	"stage-history", "closed-while-open",
	"before-subject", "merge-conflict", "duplicate-number", "number-gap",
	"unknown-series", "overdue", "issued-changed", "control-character", "symlink",
	"bad-repeat", "unknown-requires", NULL
};

struct checker {
	struct crm_index *idx;
	struct crm_diags *out;
	struct crm_record *rec;
};

static void report(struct checker *c, const struct crm_node *at, enum crm_severity sev,
		   const char *code, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(struct checker *c, const struct crm_node *at, enum crm_severity sev,
		   const char *code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	crm_diags_add(c->out, c->rec->path, at ? at->line : 1, at ? at->col : 1, sev, code,
		      "%s", msg);
}

/* Fields every type understands, even when its schema leaves them out. */
static const struct crm_field common_fields[] = {
	{ .name = "created", .type = CRM_F_DATE },
	{ .name = "owner", .type = CRM_F_USER },
	{ .name = "tags", .type = CRM_F_TAGS },
	{ .name = "notes", .type = CRM_F_TEXT },
};

static const struct crm_field *find_field(const struct crm_field *fields, size_t n,
					  const char *name, bool top)
{
	const struct crm_field *f = crm_fields_find(fields, n, name);
	if (!f && top)
		f = crm_fields_find(common_fields, sizeof(common_fields) / sizeof(*common_fields),
				    name);
	return f;
}

static const char *code_for(enum crm_field_type t)
{
	switch (t) {
	case CRM_F_EMAIL: return "bad-email";
	case CRM_F_PHONE: return "bad-phone";
	case CRM_F_URL: return "bad-url";
	case CRM_F_DATE: return "bad-date";
	case CRM_F_DATETIME: return "bad-datetime";
	case CRM_F_NUMBER: case CRM_F_INTEGER: return "bad-number";
	case CRM_F_MONEY: return "bad-money";
	case CRM_F_PERCENT: return "bad-percent";
	case CRM_F_RATING: return "bad-rating";
	case CRM_F_ENUM: case CRM_F_TAGS: return "bad-enum";
	case CRM_F_STAGE: return "unknown-stage";
	case CRM_F_USER: return "unknown-user";
	case CRM_F_DURATION: return "bad-duration";
	case CRM_F_REF: case CRM_F_REFS: return "dangling-ref";
	default: return "bad-type";
	}
}

static void check_currency(struct checker *c, const struct crm_node *at, const char *code)
{
	const struct crm_config *cfg = &c->idx->repo->config;
	if (!crm_currency_is_known(code))
		report(c, at, CRM_SEV_ERROR, "unknown-currency",
		       "unknown currency '%s' (not an ISO 4217 code)", code);
	else if (strcmp(code, cfg->currency) && !crm_config_rate(cfg, code))
		report(c, at, CRM_SEV_ERROR, "no-rate",
		       "no exchange rate for %s: add [rate \"%s\"] to crm.ini", code, code);
}

static void check_reference(struct checker *c, const struct crm_field *f,
			    const struct crm_node *n)
{
	const char *type = f->to, *id = n->text, *slash = strchr(n->text, '/');
	char tname[64];
	const char *suggestion;

	if (slash) {
		snprintf(tname, sizeof(tname), "%.*s", (int)(slash - n->text), n->text);
		if (strcmp(f->to, "any") && strcmp(f->to, tname)) {
			report(c, n, CRM_SEV_ERROR, "dangling-ref", "field '%s' refers to a %s, "
			       "not a %s", f->name, f->to, tname);
			return;
		}
		type = tname;
		id = slash + 1;
		if (!crm_repo_schema(c->idx->repo, type)) {
			report(c, n, CRM_SEV_ERROR, "dangling-ref", "unknown record type '%s'", type);
			return;
		}
	}
	if (crm_index_find(c->idx, type, id))
		return;
	suggestion = crm_index_suggest(c->idx, type, id);
	if (suggestion)
		report(c, n, CRM_SEV_ERROR, "dangling-ref", "unknown %s '%s' (did you mean '%s'?)",
		       type, id, suggestion);
	else
		report(c, n, CRM_SEV_ERROR, "dangling-ref", "unknown %s '%s'", type, id);
}

static void check_scalar(struct checker *c, const struct crm_field *f,
			 const struct crm_node *n)
{
	struct crm_value v;

	if (crm_index_parse_scalar(&v, c->idx, f, n, c->rec)) {
		report(c, n, CRM_SEV_ERROR, n->kind == CRM_NODE_SCALAR ? code_for(f->type)
								       : "bad-type",
		       "%s", crm_error_last());
		return;
	}
	if (v.kind == CRM_V_MONEY)
		check_currency(c, n, v.u.money.currency);
	else if (f->type == CRM_F_REF && v.kind == CRM_V_TEXT)
		check_reference(c, f, n);
}

static void check_file_entry(struct checker *c, const struct crm_node *n)
{
	bool exists = false;
	int err;

	if (n->kind != CRM_NODE_SCALAR || crm_node_is_null(n)) {
		report(c, n, CRM_SEV_ERROR, "bad-type", "file entries must be paths");
		return;
	}
	if (n->text[0] == '/' || !strcmp(n->text, "..") || !strncmp(n->text, "../", 3) ||
	    strstr(n->text, "/../")) {
		report(c, n, CRM_SEV_ERROR, "file-outside-repo",
		       "'%s' points outside the repository", n->text);
		return;
	}
	/* in the work tree, the index or the commit checked; no link is
	 * followed, whether it leads out of the repository or not */
	err = crm_repo_exists(c->idx->repo, n->text, &exists);
	if (err == CRM_EINVALID)
		report(c, n, CRM_SEV_ERROR, "symlink", "%s", crm_error_last());
	else if (err)
		report(c, n, CRM_SEV_ERROR, "unreadable", "%s", crm_error_last());
	else if (!exists)
		report(c, n, CRM_SEV_ERROR, "missing-file", "file '%s' does not exist", n->text);
}

static void check_fields(struct checker *c, const struct crm_field *fields, size_t n,
			 const struct crm_node *map, bool top);

static void check_sequence(struct checker *c, const struct crm_field *f,
			   const struct crm_node *n)
{
	struct crm_field item = *f;
	size_t i;

	if (f->type == CRM_F_FILES && n->kind == CRM_NODE_SCALAR) {
		check_file_entry(c, n);
		return;
	}
	if (n->kind != CRM_NODE_SEQ) {
		report(c, n, CRM_SEV_ERROR, "bad-type", "field '%s' must be a list", f->name);
		return;
	}
	item.type = f->type == CRM_F_REFS ? CRM_F_REF : f->type == CRM_F_TAGS && f->nvalues
		? CRM_F_ENUM : CRM_F_TEXT;
	for (i = 0; i < n->count; i++) {
		const struct crm_node *it = n->items[i];
		if (f->type == CRM_F_FILES)
			check_file_entry(c, it);
		else if (f->type == CRM_F_LIST && it->kind != CRM_NODE_MAP)
			report(c, it, CRM_SEV_ERROR, "bad-type", "entries of '%s' must be mappings",
			       f->name);
		else if (f->type == CRM_F_LIST)
			check_fields(c, f->fields, f->nfields, it, false);
		else
			check_scalar(c, &item, it);
	}
}

static bool formula_true(struct checker *c, const struct crm_formula *f)
{
	struct crm_value v;
	crm_index_eval(&v, c->idx, c->rec, f);
	return v.kind == CRM_V_BOOL && v.u.b;
}

/* A scalar holding nothing but blanks: `name: ""` says nothing more than
 * a missing name, so `required` refuses it too. */
static bool blank_scalar(const struct crm_node *n)
{
	size_t i;

	if (n->kind != CRM_NODE_SCALAR)
		return false;
	for (i = 0; i < n->len; i++) {
		if (n->text[i] != ' ' && n->text[i] != '\t' && n->text[i] != '\n')
			return false;
	}
	return true;
}

static void check_missing(struct checker *c, const struct crm_field *f,
			  const struct crm_node *map, const struct crm_node *n)
{
	if (f->required) {
		report(c, n ? n : map, CRM_SEV_ERROR, "missing-required",
		       n ? "required field '%s' is empty" : "required field '%s' is missing",
		       f->name);
	} else if (f->required_if_f && formula_true(c, f->required_if_f)) {
		report(c, map, CRM_SEV_ERROR, "required-if",
		       "field '%s' is required when %s", f->name, f->required_if);
	}
}

/* A merge leaves `field: {conflict: {ours, theirs, base}}` behind. */
static bool is_conflict(const struct crm_node *n)
{
	return n && n->kind == CRM_NODE_MAP && n->count == 1 &&
	       !strcmp(n->pairs[0].key->text, "conflict") &&
	       crm_node_get(n->pairs[0].value, "ours") && crm_node_get(n->pairs[0].value, "theirs");
}

static void check_one_field(struct checker *c, const struct crm_field *f,
			    const struct crm_node *map)
{
	const struct crm_node *n = crm_node_get(map, f->name);

	if (is_conflict(n)) {
		report(c, n, CRM_SEV_ERROR, "merge-conflict", "field '%s' has two values from a "
		       "merge; settle it with 'crm resolve %s/%s %s --ours|--theirs|--value V'",
		       f->name, c->rec->schema->type, c->rec->id, f->name);
		return;
	}
	if (crm_field_is_computed(f)) {
		if (n)
			report(c, n, CRM_SEV_ERROR, "computed-field", "field '%s' is computed "
			       "(%s); remove it from the file", f->name, crm_field_type_name(f->type));
		return;
	}
	if (!n || crm_node_is_null(n) || (n->kind == CRM_NODE_SEQ && !n->count) ||
	    (f->required && blank_scalar(n))) {
		check_missing(c, f, map, n && !crm_node_is_null(n) ? n : NULL);
		return;
	}
	switch (f->type) {
	case CRM_F_TAGS: case CRM_F_REFS: case CRM_F_LIST: case CRM_F_FILES:
		check_sequence(c, f, n);
		break;
	case CRM_F_MAP:
		if (n->kind != CRM_NODE_MAP)
			report(c, n, CRM_SEV_ERROR, "bad-type", "field '%s' must be a mapping", f->name);
		else if (f->nfields)
			check_fields(c, f->fields, f->nfields, n, false);
		break;
	default:
		check_scalar(c, f, n);
		if (!strcmp(f->name, "currency") && n->kind == CRM_NODE_SCALAR &&
		    !crm_node_is_null(n))
			check_currency(c, n, n->text);
	}
}

static void check_unknown_keys(struct checker *c, const struct crm_field *fields, size_t n,
			       const struct crm_node *map, bool top)
{
	size_t i;
	for (i = 0; i < map->count; i++) {
		const struct crm_node *k = map->pairs[i].key;
		const char *best;

		if (find_field(fields, n, k->text, top))
			continue;
		best = crm_fields_suggest(fields, n, k->text);
		if (best)
			report(c, k, CRM_SEV_WARNING, "unknown-field",
			       "unknown field '%s' (did you mean '%s'?)", k->text, best);
		else
			report(c, k, CRM_SEV_WARNING, "unknown-field", "unknown field '%s'", k->text);
	}
}

static void check_fields(struct checker *c, const struct crm_field *fields, size_t n,
			 const struct crm_node *map, bool top)
{
	size_t i;
	check_unknown_keys(c, fields, n, map, top);
	for (i = 0; i < n; i++)
		check_one_field(c, &fields[i], map);
	if (!top)
		return;
	for (i = 0; i < sizeof(common_fields) / sizeof(*common_fields); i++) {
		if (!crm_fields_find(fields, n, common_fields[i].name))
			check_one_field(c, &common_fields[i], map);
	}
}

static void check_computed(struct checker *c)
{
	const struct crm_schema *s = c->rec->schema;
	size_t i;

	for (i = 0; i < s->nfields; i++) {
		const struct crm_field *f = &s->fields[i];
		struct crm_value v;

		if (!crm_field_is_computed(f))
			continue;
		crm_index_value(&v, c->idx, c->rec, f->name);
		if (v.kind != CRM_V_ERROR)
			continue;
		report(c, c->rec->root, CRM_SEV_ERROR,
		       !strncmp(v.u.text, "cycle", 5) ? "formula-cycle" : "formula-error",
		       "field '%s' (%s %s): %s", f->name, crm_field_type_name(f->type),
		       f->expr ? f->expr : f->via, v.u.text);
	}
}

static bool node_date(struct checker *c, const struct crm_node *n, crm_date *out)
{
	struct crm_datetime dt;
	(void)c;
	if (!n || n->kind != CRM_NODE_SCALAR)
		return false;
	if (!crm_date_parse(out, n->text, n->len))
		return true;
	if (crm_datetime_parse(&dt, n->text, n->len, 0))
		return false;
	*out = crm_datetime_date(&dt);
	return true;
}

static void check_history(struct checker *c, const struct crm_node *history, crm_date created)
{
	crm_date prev = INT32_MIN, d;
	char buf[16];
	size_t i;

	if (!history || history->kind != CRM_NODE_SEQ)
		return;
	for (i = 0; i < history->count; i++) {
		const struct crm_node *at = crm_node_get(history->items[i], "date");
		if (!node_date(c, at, &d))
			continue;
		if (d < prev) {
			report(c, at, CRM_SEV_ERROR, "history-order",
			       "history entry dated %s is earlier than the entry before it", at->text);
		} else if (d < created) {
			crm_date_format(buf, sizeof(buf), created);
			report(c, at, CRM_SEV_ERROR, "history-order",
			       "history entry dated %s is before the record was created (%s)",
			       at->text, buf);
		}
		prev = d > prev ? d : prev;
	}
}

/* The schema's stage field, or NULL for types that have none. */
static const struct crm_field *stage_field(const struct crm_schema *s)
{
	size_t i;
	for (i = 0; i < s->nfields; i++) {
		if (s->fields[i].type == CRM_F_STAGE)
			return &s->fields[i];
	}
	return NULL;
}

/* A deal's stage has one source of truth: its history.  A `stage` that
 * differs from the last history entry was set around `crm move` (the
 * figures would count it at one stage or the other), and an open deal
 * holding a `closed` date was reopened without clearing it. */
static void check_stage_consistency(struct checker *c)
{
	const struct crm_field *f = stage_field(c->rec->schema);
	const struct crm_node *stage, *history, *last = NULL, *closed;
	const struct crm_stage *st;
	size_t i;

	if (!f || !(stage = crm_node_get(c->rec->root, f->name)) ||
	    stage->kind != CRM_NODE_SCALAR || crm_node_is_null(stage) ||
	    !(st = crm_config_stage(&c->idx->repo->config, stage->text)))
		return;
	history = crm_node_get(c->rec->root, "history");
	for (i = 0; history && history->kind == CRM_NODE_SEQ && i < history->count; i++) {
		const struct crm_node *s = crm_node_get(history->items[i], "stage");
		if (s && s->kind == CRM_NODE_SCALAR && !crm_node_is_null(s))
			last = s;
	}
	if (last && strcmp(last->text, stage->text))
		report(c, stage, CRM_SEV_ERROR, "stage-history",
		       "stage '%s' differs from the last history entry ('%s'); "
		       "'crm move %s %s' records a change of stage", stage->text, last->text,
		       c->rec->id, stage->text);
	closed = crm_node_get(c->rec->root, "closed");
	if (st->outcome == CRM_OUTCOME_OPEN && closed && !crm_node_is_null(closed))
		report(c, closed, CRM_SEV_ERROR, "closed-while-open",
		       "the deal is open (stage '%s') but has a closed date; "
		       "remove 'closed' or move the deal to a closed stage", stage->text);
}

/* A task's `repeat` in the forms crm task add --repeat takes: a rule that
 * crm task done cannot read would make no next occurrence. */
static void check_repeat(struct checker *c)
{
	const struct crm_node *n;
	struct crm_repeat r;

	if (strcmp(c->rec->schema->type, "task") || !crm_schema_field(c->rec->schema, "repeat"))
		return;
	n = crm_node_get(c->rec->root, "repeat");
	if (!n || n->kind != CRM_NODE_SCALAR || crm_node_is_null(n) || !*n->text)
		return;
	if (crm_repeat_parse(&r, n->text))
		report(c, n, CRM_SEV_ERROR, "bad-repeat", "%s", crm_error_last());
	crm_error_clear();
}

/* One word of a [stage] requires list against every type that has stages:
 * a field none of them has would make crm move refuse every deal. */
static void check_required_word(struct crm_index *idx, struct crm_diags *out,
				const struct crm_setting *st, const char *word, int col)
{
	const struct crm_schema *s;
	const char *near;
	size_t i;

	for (i = 0; i < idx->repo->schemas.len; i++) {
		s = &idx->repo->schemas.ptr[i];
		if (!stage_field(s) || crm_index_field(s, word, NULL))
			continue;
		near = crm_schema_suggest_field(s, word);
		crm_diags_add(out, "crm.ini", st->line, col, CRM_SEV_ERROR, "unknown-requires",
			      "stage '%s' requires '%s', which is not a field of %s%s%s%s",
			      st->subsection, word, s->type, near ? " (did you mean '" : "",
			      near ? near : "", near ? "'?)" : "");
	}
}

/* crm.ini's entry criteria ([stage "NAME"] requires = a, b): each a field,
 * located at its own column. */
static void check_stage_requires(struct crm_index *idx, struct crm_diags *out)
{
	const struct crm_config *cfg = &idx->repo->config;
	char word[128];
	size_t i;

	for (i = 0; i < cfg->settings.len; i++) {
		const struct crm_setting *st = &cfg->settings.ptr[i];
		const char *p = st->value;
		if (strcmp(st->section, "stage") || !st->subsection || strcmp(st->key, "requires"))
			continue;
		while (*p) {
			size_t len;
			p += strspn(p, " ,\t");
			len = strcspn(p, " ,\t");
			if (!len)
				break;
			snprintf(word, sizeof(word), "%.*s", (int)len, p);
			check_required_word(idx, out, st, word,
					    st->col > 1 ? st->col + (int)(p - st->value) : 1);
			p += len;
		}
	}
}

/* Time that runs backwards: closed before created, history out of order, a
 * record dated before the record it is about was created. */
static void check_time(struct checker *c)
{
	const struct crm_node *root = c->rec->root;
	const struct crm_node *closed = crm_node_get(root, "closed");
	const struct crm_node *about = crm_node_get(root, "about");
	const struct crm_node *date = crm_node_get(root, "date");
	const struct crm_node *history = crm_node_get(root, "history");
	crm_date created, d;
	char buf[16];

	/* the creation date may cost a walk of git history: only records with
	 * a date to compare with it need one */
	if (!closed && !history && !about)
		return;
	created = crm_record_created(c->idx, c->rec);
	crm_date_format(buf, sizeof(buf), created);
	if (node_date(c, closed, &d) && d < created)
		report(c, closed, CRM_SEV_ERROR, "closed-before-created",
		       "closed %s is before the record was created (%s)", closed->text, buf);
	check_history(c, history, created);
	if (about && about->kind == CRM_NODE_SCALAR && node_date(c, date, &d)) {
		struct crm_record *subject = crm_index_resolve(c->idx, about->text, "any");
		crm_date born = subject ? crm_record_created(c->idx, subject) : INT32_MIN;
		if (subject && d < born) {
			crm_date_format(buf, sizeof(buf), born);
			report(c, date, CRM_SEV_ERROR, "before-subject",
			       "dated %s, before %s was created (%s)", date->text, about->text, buf);
		}
	}
}

static void check_unique(struct checker *c, const struct crm_schema *s)
{
	size_t i, j, n;
	struct crm_record **recs = crm_index_list(c->idx, s->type, &n);

	for (i = 0; i < s->nfields; i++) {
		struct crm_map seen = CRM_MAP_INIT;
		struct crm_arena texts = CRM_ARENA_INIT;   /* outlive the trees */
		if (!s->fields[i].unique)
			continue;
		for (j = 0; j < n; j++) {
			const struct crm_node *v;
			struct crm_record *first;
			const char *key;
			crm_index_trim(c->idx);
			crm_index_materialize(c->idx, recs[j]);
			v = recs[j]->root ? crm_node_get(recs[j]->root, s->fields[i].name) : NULL;
			if (!v || v->kind != CRM_NODE_SCALAR || crm_node_is_null(v))
				continue;
			first = crm_map_get(&seen, v->text);
			c->rec = recs[j];
			if (first)
				report(c, v, CRM_SEV_ERROR, "unique", "%s '%s' is already used by %s/%s",
				       s->fields[i].name, v->text, s->type, first->id);
			else if ((key = crm_arena_strdup(&texts, v->text)))
				crm_map_put(&seen, key, recs[j], NULL);
		}
		crm_map_release(&seen);
		crm_arena_release(&texts);
	}
}

/* Control characters in values: C0 but tab and newline (text may hold
 * those), DEL and C1.  Raw ones never reach here (the loader refuses the
 * file and names them); these came from double-quoted escapes. */
static bool is_control(unsigned long cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp < 0xA0);
}

/* The first control character of `text`, or 0. */
static unsigned long first_control(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	for (; *p; p++) {
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0)
			return p[1];
		if (*p < 0x80 && is_control(*p))
			return *p;
	}
	return 0;
}

/* The code point a double-quoted escape stands for (`s` just past the
 * backslash), and in *len the characters it takes after the backslash. */
static unsigned long escape_value(const char *s, size_t *len)
{
	static const char simple[] = "0\0a\ab\bt\tv\vf\fr\re\x1b";
	const char *hit;
	int digits = *s == 'x' ? 2 : *s == 'u' ? 4 : *s == 'U' ? 8 : 0;
	char hex[9];

	*len = 1;
	if (*s == 'N')
		return 0x85;
	for (hit = simple; *s && hit < simple + sizeof(simple) - 1; hit += 2) {
		if (*hit == *s)
			return (unsigned char)hit[1];
	}
	if (!digits || strspn(s + 1, "0123456789abcdefABCDEF") < (size_t)digits)
		return ' ';
	snprintf(hex, sizeof(hex), "%.*s", digits, s + 1);
	*len = 1 + (size_t)digits;
	return strtoul(hex, NULL, 16);
}

/* Where the escape of the first control character stands in the double-
 * quoted scalar `n` of file text `src`; false when `src` does not hold it
 * there (the file changed since it was read). */
static bool locate_escape(const char *src, size_t len, const struct crm_node *n, int *line,
			  int *col)
{
	size_t i = n->start, step;

	if (n->start >= len || src[i] != '"')
		return false;
	*line = n->line;
	*col = n->col + 1;
	for (i++; i < n->end && i < len && src[i] != '"'; i += step, (*col)++) {
		step = 1;
		if (src[i] == '\n') {
			(*line)++;
			*col = 0;
		} else if (src[i] == '\\' && i + 1 < len) {
			size_t elen;
			if (is_control(escape_value(src + i + 1, &elen)))
				return true;
			step = 1 + elen;
			*col += (int)elen;
		} else {
			while (i + step < len && ((unsigned char)src[i + step] & 0xC0) == 0x80)
				step++;
		}
	}
	return false;
}

static void report_control(struct checker *c, const struct crm_node *n, const char *field,
			   const struct crm_buf *src)
{
	struct crm_node at = *n;
	unsigned long cp = first_control(n->text);

	if (n->style == CRM_STYLE_DOUBLE && src->len)
		locate_escape(src->ptr, src->len, n, &at.line, &at.col);
	report(c, &at, CRM_SEV_ERROR, "control-character", "control character U+%04lX in '%s'",
	       cp, field);
}

static void find_controls(struct checker *c, const struct crm_node *n, const char *field,
			  struct crm_buf *src)
{
	size_t i;

	if (n->kind == CRM_NODE_SCALAR) {
		if (!first_control(n->text))
			return;
		if (!src->len && crm_repo_read_file(c->idx->repo, c->rec->path, src,
						    CRM_YAML_MAX_BYTES))
			crm_buf_reset(src);
		report_control(c, n, field, src);
		return;
	}
	for (i = 0; i < n->count; i++) {
		if (n->kind == CRM_NODE_SEQ) {
			find_controls(c, n->items[i], field, src);
			continue;
		}
		find_controls(c, n->pairs[i].key, field, src);
		find_controls(c, n->pairs[i].value, field, src);
	}
}

/* Every value of the record, named by its top-level field. */
static void check_controls(struct checker *c)
{
	const struct crm_node *root = c->rec->root;
	struct crm_buf src = CRM_BUF_INIT;   /* the file, read only when needed */
	size_t i;

	for (i = 0; i < root->count; i++) {
		const char *field = root->pairs[i].key->text;
		find_controls(c, root->pairs[i].key, field, &src);
		find_controls(c, root->pairs[i].value, field, &src);
	}
	crm_buf_release(&src);
}

size_t crm_check_record(struct crm_index *idx, struct crm_record *rec, struct crm_diags *out)
{
	struct checker c = { idx, out, rec };
	size_t before = out->errors;

	if (!rec->root)
		return 0;
	check_fields(&c, rec->schema->fields, rec->schema->nfields, rec->root, true);
	check_computed(&c);
	check_time(&c);
	check_stage_consistency(&c);
	check_repeat(&c);
	check_controls(&c);
	crm_diags_sort(out);
	return out->errors - before;
}

/* The `unique` fields of `rec` against every other record of its type:
 * a point check for a write (only types that declare a unique field pay
 * for the pass, and only for the values `rec` holds). */
static void check_unique_of(struct checker *c, struct crm_record *rec)
{
	const struct crm_schema *s = rec->schema;
	struct crm_record **recs;
	size_t i, j, n;

	for (i = 0; i < s->nfields; i++) {
		const struct crm_node *mine;
		if (!s->fields[i].unique)
			continue;
		mine = crm_node_get(rec->root, s->fields[i].name);
		if (!mine || mine->kind != CRM_NODE_SCALAR || crm_node_is_null(mine))
			continue;
		recs = crm_index_list(c->idx, s->type, &n);
		for (j = 0; j < n; j++) {
			const struct crm_node *v;
			if (!strcmp(recs[j]->id, rec->id))
				continue;
			crm_index_materialize(c->idx, recs[j]);
			v = recs[j]->root ? crm_node_get(recs[j]->root, s->fields[i].name) : NULL;
			if (v && v->kind == CRM_NODE_SCALAR && !strcmp(v->text, mine->text)) {
				c->rec = rec;
				report(c, mine, CRM_SEV_ERROR, "unique",
				       "%s '%s' is already used by %s/%s", s->fields[i].name,
				       mine->text, s->type, recs[j]->id);
				break;
			}
		}
	}
}

/* Every finding of one version of a record, the unique fields included. */
static void check_version(struct crm_index *idx, struct crm_record *rec,
			  struct crm_diags *out)
{
	struct checker c = { idx, out, rec };

	crm_check_record(idx, rec, out);
	check_unique_of(&c, rec);
}

/* Whether `old` has an error with the same code and message as `d` that
 * no earlier finding of the new version was matched with. */
static bool already_there(struct crm_diags *old, const struct crm_diag *d, bool *used)
{
	size_t i;

	for (i = 0; i < old->list.len; i++) {
		const struct crm_diag *o = &old->list.ptr[i];
		if (!used[i] && o->severity == CRM_SEV_ERROR && !strcmp(o->code, d->code) &&
		    !strcmp(o->message, d->message)) {
			used[i] = true;
			return true;
		}
	}
	return false;
}

size_t crm_check_change(struct crm_index *idx, const struct crm_record *rec,
			const char *text, size_t len, struct crm_diags *out)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags now, before;
	struct crm_record next;
	struct crm_record *current = crm_index_find(idx, rec->schema->type, rec->id);
	bool *used = NULL;
	size_t i, fresh = 0;

	crm_diags_init(&now);
	crm_diags_init(&before);
	/* the same file is as old in git as it was: its creation date, when
	 * it has no `created`, must not become today's because the index
	 * looks git dates up lazily (a copy made first would keep none) */
	if (current && !strcmp(rec->path, current->path))
		crm_record_created(idx, current);
	/* the new version's computed values are worked out afresh */
	crm_index_record_for_text(idx, &next, rec);
	if (crm_yaml_parse(&next.root, &arena, text, len, rec->path, &now) == 0 && next.root)
		check_version(idx, &next, &now);
	if (current) {
		crm_index_materialize(idx, current);
		if (current->root)
			check_version(idx, current, &before);
	}
	used = calloc(before.list.len + 1, sizeof(*used));
	for (i = 0; i < now.list.len; i++) {
		const struct crm_diag *d = &now.list.ptr[i];
		if (d->severity == CRM_SEV_ERROR && !(used && already_there(&before, d, used)))
			fresh++;
	}
	free(used);
	crm_diags_merge(out, &now);
	crm_diags_sort(out);
	crm_diags_release(&now);
	crm_diags_release(&before);
	crm_arena_release(&arena);
	return fresh;
}

struct unmerged_walk {
	struct crm_diags *out;
	size_t plen;
};

static int report_unmerged(const char *path, void *payload)
{
	struct unmerged_walk *w = payload;
	const char *shown = path + w->plen;

	crm_diags_add(w->out, shown, 1, 1, CRM_SEV_ERROR, "unmerged",
		      "git left this file unmerged (a merge it could not finish): run 'crm "
		      "resolve %s' to merge it field by field", shown);
	return 0;
}

/* The files below the data repository that git's index holds unmerged: a
 * merge that did not run its driver leaves one side's version in the work
 * tree, which would otherwise check clean.  Outside git nothing is. */
static void check_unmerged(struct crm_index *idx, struct crm_diags *out)
{
	struct crm_git *git = NULL;
	struct unmerged_walk w = { out, 0 };
	char *prefix = NULL;

	if (crm_git_open(&git, idx->repo->root))
		return;
	prefix = crm_git_prefix(git, idx->repo->root);
	if (prefix) {
		w.plen = strlen(prefix);
		if (crm_git_unmerged(git, prefix, report_unmerged, &w))
			crm_diags_add(out, "crm.ini", 1, 1, CRM_SEV_ERROR, "unmerged", "%s",
				      crm_error_last());
	}
	free(prefix);
	crm_git_free(git);
}

size_t crm_check_run(struct crm_index *idx, struct crm_diags *out)
{
	struct checker c = { idx, out, NULL };
	size_t t, i, n;

	crm_diags_merge(out, &idx->repo->diags);
	crm_diags_merge(out, &idx->diags);
	/* a commit has no unmerged paths; the work tree and git's index do */
	if (idx->repo->source.kind != CRM_SOURCE_COMMIT)
		check_unmerged(idx, out);
	/* record by record, in bounded memory: see crm_index_trim */
	for (t = 0; t < idx->ntypes; t++) {
		const struct crm_schema *s = idx->types[t].schema;
		struct crm_record **recs = crm_index_list(idx, s->type, &n);
		for (i = 0; i < n; i++) {
			crm_index_trim(idx);
			crm_index_materialize(idx, recs[i]);
			c.rec = recs[i];
			if (!recs[i]->root)
				continue;
			check_fields(&c, s->fields, s->nfields, recs[i]->root, true);
			check_computed(&c);
			check_time(&c);
			check_stage_consistency(&c);
			check_repeat(&c);
			check_controls(&c);
		}
		check_unique(&c, s);
	}
	check_stage_requires(idx, out);
	crm_invoice_check(idx, out);
	crm_diags_sort(out);
	return out->errors;
}
