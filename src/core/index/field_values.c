/* Field values of loaded records: stored scalars parsed by their schema
 * type, lookups followed across references (lookups of lookups included),
 * formulas evaluated, each computed once and cached, with cycles caught. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/str.h"
#include "crm/error.h"
#include "crm/formula.h"
#include "crm/git.h"
#include "crm/json.h"
#include "crm/score.h"
#include "crm/utf8.h"
#include "core/index/index_internal.h"
#include "core/index/record_memo.h"

/* Where a computed field's value is kept in the record's memo: its place
 * among the schema's computed fields (stored fields are parsed when asked
 * for, so a million records do not each carry a value per field). */
static size_t computed_slot(const struct crm_schema *s, const struct crm_field *f,
			    size_t *count)
{
	size_t i, slot = 0;

	*count = 0;
	for (i = 0; i < s->nfields; i++) {
		if (&s->fields[i] == f)
			slot = *count;
		*count += crm_field_is_computed(&s->fields[i]);
	}
	return slot;
}

static struct crm_value error_value(struct crm_index *idx, const char *msg)
{
	struct crm_value v = { .kind = CRM_V_ERROR };
	v.u.text = crm_arena_strdup(&idx->arena, msg);
	return v;
}

/* crm.ini's lead score (crm/score.h): a whole number, 0 when no term
 * applies, never an error for a field the record lacks. */
static void eval_score(struct crm_value *out, struct crm_index *idx, struct crm_record *rec,
		       const struct crm_score *sc)
{
	int64_t points = 0;

	if (crm_score_compute(&points, idx, rec, sc, NULL)) {
		*out = error_value(idx, crm_error_last());
		return;
	}
	out->kind = CRM_V_NUMBER;
	out->percent = false;
	out->u.num = crm_dec_from_int(points);
}

static int check_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    at[1] == '.' || s[strlen(s) - 1] == '.' || strpbrk(s, " \t,;<>"))
		return crm_error_set(CRM_EINVALID, "'%s' is not an email address", s);
	return 0;
}

static int check_phone(const char *s)
{
	int digits = 0;
	const char *p;
	for (p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!strchr(" +-().", *p) || (*p == '+' && p != s))
			return crm_error_set(CRM_EINVALID, "'%s' is not a phone number "
					     "(digits, spaces, + - ( ) . only)", s);
	}
	if (digits < 5 || digits > 15)
		return crm_error_set(CRM_EINVALID, "'%s' is not a phone number "
				     "(5 to 15 digits expected)", s);
	return 0;
}

static int check_url(const char *s)
{
	const char *host;
	if (!strncmp(s, "https://", 8))
		host = s + 8;
	else if (!strncmp(s, "http://", 7))
		host = s + 7;
	else
		return crm_error_set(CRM_EINVALID, "'%s' is not a URL (http:// or https://)", s);
	if (!*host || *host == '/' || strpbrk(s, " \t<>\"") || !strchr(host, '.'))
		return crm_error_set(CRM_EINVALID, "'%s' is not a valid URL", s);
	return 0;
}

/* The refusal of `s` where one of `names` was expected: the closest name
 * when one is at most two edits away, else the names themselves (the first
 * twelve), so the message says what to write instead.  `what` starts it
 * ("unknown stage '%s'"). */
static int not_a_choice(const char *what, const char *s, const char *const *names, size_t n)
{
	struct crm_buf list = CRM_BUF_INIT;
	const char *best = NULL;
	size_t i, best_d = 3;
	char head[160];
	int err;

	snprintf(head, sizeof(head), what, s);
	for (i = 0; i < n; i++) {
		size_t d = crm_edit_distance(s, names[i], 3);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	if (best)
		return crm_error_set(CRM_EINVALID, "%s (did you mean '%s'?)", head, best);
	for (i = 0; i < n && i < 12; i++)
		crm_buf_addf(&list, "%s%s", i ? ", " : "", names[i]);
	if (n > 12)
		crm_buf_adds(&list, ", ...");
	err = crm_error_set(CRM_EINVALID, "%s (one of: %s)", head, list.len ? list.ptr : "none");
	crm_buf_release(&list);
	return err;
}

static int check_in_list(const char *s, const char *const *values, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (crm_str_eq(values[i], s))
			return 0;
	}
	return not_a_choice("'%s' is not an allowed value", s, values, n);
}

static int unknown_stage(const struct crm_config *cfg, const char *s)
{
	const char **names = malloc((cfg->stages.len + 1) * sizeof(*names));
	size_t i;
	int err;

	if (!names)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < cfg->stages.len; i++)
		names[i] = cfg->stages.ptr[i].name;
	err = not_a_choice("unknown stage '%s'", s, names, cfg->stages.len);
	free(names);
	return err;
}

static int unknown_user(const struct crm_config *cfg, const char *s)
{
	const char **names = malloc((cfg->users.len + 1) * sizeof(*names));
	size_t i;
	int err;

	if (!names)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < cfg->users.len; i++)
		names[i] = cfg->users.ptr[i].id;
	err = not_a_choice("unknown user '%s'", s, names, cfg->users.len);
	free(names);
	return err;
}

static int parse_percent(crm_dec *out, const char *s, size_t len)
{
	crm_dec d;
	if (!len || s[len - 1] != '%')
		return crm_error_set(CRM_EINVALID, "'%s' is not a percentage (write it as 15%%)", s);
	if (crm_dec_parse(&d, s, len - 1))
		return crm_error_set(CRM_EINVALID, "'%s' is not a percentage", s);
	if (d.scale + 2 > CRM_DEC_MAX_SCALE)
		return crm_error_set(CRM_EINVALID, "'%s' has too many decimals", s);
	d.scale += 2;
	*out = d;
	return 0;
}

static const char *record_currency(struct crm_index *idx, const struct crm_record *rec)
{
	const char *c = rec && rec->root ? crm_node_text(rec->root, "currency") : NULL;
	return c && crm_currency_is_known(c) ? c : idx->repo->config.currency;
}

static int parse_ref(const struct crm_field *f, const char *s)
{
	const char *slash = strchr(s, '/');
	const char *id = slash ? slash + 1 : s;
	if (f->to && !strcmp(f->to, "any") && !slash)
		return crm_error_set(CRM_EINVALID, "'%s' must name its type, as in "
				     "'opportunity/%s'", s, s);
	if (!crm_id_valid(id, strlen(id)))
		return crm_error_set(CRM_EINVALID, "'%s' is not a valid record id", id);
	return 0;
}

static int parse_rating(crm_dec *out, const struct crm_field *f, const char *s, size_t len)
{
	crm_dec lo = f->has_min ? f->min : crm_dec_from_int(0);
	if (crm_dec_parse(out, s, len) || out->scale)
		return crm_error_set(CRM_EINVALID, "rating '%s' must be a whole number", s);
	if (crm_dec_cmp(*out, lo) < 0 || (f->has_max && crm_dec_cmp(*out, f->max) > 0))
		return crm_error_set(CRM_EINVALID, "rating %s is out of range %lld..%lld", s,
				     (long long)lo.units, (long long)f->max.units);
	return 0;
}

static int parse_number(crm_dec *out, const struct crm_field *f, const char *s, size_t len)
{
	char lo[48], hi[48];
	if (crm_dec_parse(out, s, len))
		return crm_error_set(CRM_EINVALID, "'%s' is not a number", s);
	if (f->type == CRM_F_INTEGER && out->scale)
		return crm_error_set(CRM_EINVALID, "'%s' is not a whole number", s);
	if ((f->has_min && crm_dec_cmp(*out, f->min) < 0) ||
	    (f->has_max && crm_dec_cmp(*out, f->max) > 0)) {
		crm_dec_format_trim(lo, sizeof(lo), f->min);
		crm_dec_format_trim(hi, sizeof(hi), f->max);
		return crm_error_set(CRM_EINVALID, "%s is out of range %s..%s", s,
				     f->has_min ? lo : "", f->has_max ? hi : "");
	}
	return 0;
}

static int32_t repo_offset(struct crm_index *idx, const char *s, size_t len)
{
	struct crm_datetime utc;
	int32_t off = 0;
	/* the zone's offset at (about) that instant: DST applies per date */
	if (!crm_datetime_parse(&utc, s, len, 0))
		crm_tz_offset(&off, idx->repo->config.timezone, utc.epoch);
	return off;
}

int crm_index_parse_scalar(struct crm_value *out, struct crm_index *idx,
			   const struct crm_field *f, const struct crm_node *n,
			   const struct crm_record *rec)
{
	const char *s = n->text;
	int err = 0;

	*out = CRM_VALUE_NULL;
	if (n->kind != CRM_NODE_SCALAR)
		return crm_error_set(CRM_EINVALID, "field '%s' must be a single %s value",
				     f->name, crm_field_type_name(f->type));
	if (crm_node_is_null(n))
		return 0;
	out->kind = CRM_V_TEXT;
	out->u.text = s;
	switch (f->type) {
	case CRM_F_EMAIL: err = check_email(s); break;
	case CRM_F_PHONE: err = check_phone(s); break;
	case CRM_F_URL: err = check_url(s); break;
	case CRM_F_ENUM: err = check_in_list(s, f->values, f->nvalues); break;
	case CRM_F_REF: err = parse_ref(f, s); break;
	case CRM_F_STAGE:
		if (!crm_config_stage(&idx->repo->config, s))
			err = unknown_stage(&idx->repo->config, s);
		break;
	case CRM_F_USER:
		if (idx->repo->config.users.len && !crm_config_user(&idx->repo->config, s))
			err = unknown_user(&idx->repo->config, s);
		break;
	case CRM_F_DATE:
		out->kind = CRM_V_DATE;
		err = crm_date_parse(&out->u.date, s, n->len);
		break;
	case CRM_F_DATETIME:
		out->kind = CRM_V_DATETIME;
		err = crm_datetime_parse(&out->u.datetime, s, n->len, repo_offset(idx, s, n->len));
		break;
	case CRM_F_NUMBER:
	case CRM_F_INTEGER:
		out->kind = CRM_V_NUMBER;
		err = parse_number(&out->u.num, f, s, n->len);
		break;
	case CRM_F_RATING:
		out->kind = CRM_V_NUMBER;
		err = parse_rating(&out->u.num, f, s, n->len);
		break;
	case CRM_F_PERCENT:
		out->kind = CRM_V_NUMBER;
		out->percent = true;
		err = parse_percent(&out->u.num, s, n->len);
		break;
	case CRM_F_MONEY:
		out->kind = CRM_V_MONEY;
		err = crm_money_parse(&out->u.money, s, record_currency(idx, rec));
		break;
	case CRM_F_DURATION: {
		int64_t secs;
		out->kind = CRM_V_NUMBER;
		err = crm_duration_parse(&secs, s, n->len);
		out->u.num = crm_dec_from_int(secs);
		break;
	}
	default:
		break;
	}
	if (err)
		*out = CRM_VALUE_NULL;
	return err;
}

int crm_index_convert(struct crm_money *out, const struct crm_index *idx,
		      const struct crm_money *in, const char *to)
{
	const struct crm_config *cfg = &idx->repo->config;
	const struct crm_rate *from_rate = NULL, *to_rate = NULL;
	crm_dec base;
	int exp = crm_currency_exponent(to), err;

	if (!strcmp(in->currency, to))
		return crm_money_round(out, in);
	if (strcmp(in->currency, cfg->currency)) {
		from_rate = crm_config_rate(cfg, in->currency);
		if (!from_rate)
			return crm_error_set(CRM_ENOTFOUND, "no rate for %s in crm.ini", in->currency);
	}
	if (strcmp(to, cfg->currency)) {
		to_rate = crm_config_rate(cfg, to);
		if (!to_rate)
			return crm_error_set(CRM_ENOTFOUND, "no rate for %s in crm.ini", to);
	}
	/* the exact value in the base currency, then one rounding into the
	 * target currency's minor unit (half away from zero) */
	base = in->amount;
	if (from_rate) {
		err = crm_dec_mul(&base, in->amount, from_rate->value);
		if (err)
			return err;
	}
	if (to_rate)
		err = crm_dec_div(&out->amount, base, to_rate->value, exp < 0 ? 2 : exp);
	else
		err = crm_dec_round(&out->amount, base, exp < 0 ? 2 : exp);
	if (err)
		return err;
	crm_str_copy(out->currency, sizeof(out->currency), to);
	return 0;
}

const char *crm_index_target_type(const struct crm_index *idx,
				  const struct crm_schema *s, const struct crm_field *f)
{
	int depth;
	for (depth = 0; depth < 16 && f; depth++) {
		const struct crm_field *via;
		const char *via_type;

		if (f->type == CRM_F_REF || f->type == CRM_F_REFS)
			return f->to;
		if (f->type != CRM_F_LOOKUP || !f->via || !f->field)
			return NULL;
		via = crm_schema_field(s, f->via);
		if (!via)
			return NULL;
		via_type = crm_index_target_type(idx, s, via);
		if (!via_type || !strcmp(via_type, "any"))
			return NULL;
		s = crm_repo_schema(idx->repo, via_type);
		if (!s)
			return NULL;
		f = crm_schema_field(s, f->field);
	}
	return NULL;
}

struct formula_ctx {
	struct crm_index *idx;
	struct crm_record *rec;
};

static int formula_field(struct crm_value *out, const char *name, void *payload)
{
	struct formula_ctx *c = payload;
	const struct crm_field *f = crm_schema_field(c->rec->schema, name);
	int rc = crm_index_value(out, c->idx, c->rec, name);

	/* a stored value that does not parse is reported at its own place;
	 * formulas see it as absent instead of repeating the error */
	if (!rc && out->kind == CRM_V_ERROR && f && !crm_field_is_computed(f))
		*out = CRM_VALUE_NULL;
	return rc;
}

static int formula_convert(struct crm_money *out, const struct crm_money *in,
			   const char *to, void *payload)
{
	struct formula_ctx *c = payload;
	return crm_index_convert(out, c->idx, in, to);
}

static void eval_formula(struct crm_value *out, struct crm_index *idx,
			 struct crm_record *rec, const struct crm_formula *f)
{
	struct formula_ctx ctx = { idx, rec };
	struct crm_formula_env env;

	memset(&env, 0, sizeof(env));
	env.field = formula_field;
	env.convert = formula_convert;
	env.base_currency = idx->repo->config.currency;
	env.today = idx->today;
	env.arena = &idx->arena;
	env.payload = &ctx;
	crm_formula_eval(out, f, &env);
}

void crm_index_eval(struct crm_value *out, struct crm_index *idx,
		    struct crm_record *rec, const struct crm_formula *f)
{
	eval_formula(out, idx, rec, f);
}

static void eval_lookup(struct crm_value *out, struct crm_index *idx,
			struct crm_record *rec, const struct crm_field *f)
{
	const struct crm_field *via = crm_schema_field(rec->schema, f->via);
	struct crm_value key;
	struct crm_record *target;
	const char *type;

	if (!via) {
		*out = error_value(idx, "lookup through unknown field");
		return;
	}
	crm_index_value(&key, idx, rec, f->via);
	if (key.kind == CRM_V_ERROR || key.kind == CRM_V_NULL) {
		*out = key;
		return;
	}
	type = crm_index_target_type(idx, rec->schema, via);
	if (key.kind != CRM_V_TEXT || !type) {
		*out = error_value(idx, "lookup through a field that is no reference");
		return;
	}
	target = crm_index_resolve(idx, key.u.text, type);
	if (!target) {
		*out = CRM_VALUE_NULL;   /* the dangling reference is reported once, at its field */
		return;
	}
	if (crm_index_value(out, idx, target, f->field) == CRM_ENOTFOUND)
		*out = error_value(idx, crm_arena_printf(&idx->arena, "%s has no field '%s'",
							 target->schema->type, f->field));
}

static bool holds_list(enum crm_field_type t)
{
	return t == CRM_F_TAGS || t == CRM_F_REFS || t == CRM_F_LIST || t == CRM_F_FILES ||
	       t == CRM_F_MAP;
}

/* crm_record_default of field `f`, whose node in the record is `n`. */
static const char *default_of(const struct crm_record *rec, const struct crm_field *f,
			      const struct crm_node *n)
{
	/* a file that did not parse has no fields at all, defaulted or not:
	 * it is left out of every figure, not counted as all defaults */
	if (!f->default_value || !rec->root || crm_field_is_computed(f) || holds_list(f->type))
		return NULL;
	return !n || crm_node_is_null(n) ? f->default_value : NULL;
}

const char *crm_record_default(const struct crm_record *rec, const char *name)
{
	const struct crm_field *f = crm_schema_field(rec->schema, name);

	if (!f)
		return NULL;
	return default_of(rec, f, rec->root ? crm_node_get(rec->root, f->name) : NULL);
}

static void stored_value(struct crm_value *out, struct crm_index *idx,
			 struct crm_record *rec, const struct crm_field *f)
{
	const struct crm_node *n = rec->root ? crm_node_get(rec->root, f->name) : NULL;
	/* the field and its node found once: the figures read a handful of
	 * fields of every deal */
	const char *dflt = default_of(rec, f, n);
	struct crm_node fill;

	if (dflt) {
		/* the schema's default, read as if the file said it */
		memset(&fill, 0, sizeof(fill));
		fill.kind = CRM_NODE_SCALAR;
		fill.text = dflt;
		fill.len = (uint32_t)strlen(dflt);
		n = &fill;
	}
	if (!n || crm_node_is_null(n)) {
		*out = CRM_VALUE_NULL;
		return;
	}
	if (n->kind != CRM_NODE_SCALAR) {
		*out = CRM_VALUE_NULL;   /* lists are read through the node tree */
		return;
	}
	if (crm_index_parse_scalar(out, idx, f, n, rec))
		*out = error_value(idx, crm_error_last());
}

static void outcome_value(struct crm_value *out, struct crm_index *idx,
			  struct crm_record *rec)
{
	const char *stage = rec->root ? crm_node_text(rec->root, "stage") : NULL;
	const struct crm_stage *st = stage ? crm_config_stage(&idx->repo->config, stage) : NULL;
	*out = CRM_VALUE_NULL;
	if (st) {
		out->kind = CRM_V_TEXT;
		out->u.text = crm_outcome_name(st->outcome);
	}
}

/* A name crm_index_field knows beyond the schema's fields: a field inside
 * a mapping ("next_step.date"), read from the file by its entry field's
 * type, or a computed follow-up field. */
static int nested_value(struct crm_value *out, struct crm_index *idx,
			struct crm_record *rec, const char *name)
{
	bool computed;
	const struct crm_field *f = crm_index_field(rec->schema, name, &computed);
	const char *dot = strchr(name, '.');
	const struct crm_node *map, *n;
	char head[128];

	if (!f)
		return CRM_ENOTFOUND;
	if (computed)
		return crm_index_followup_value(out, idx, rec, name);
	if (!dot || (size_t)(dot - name) >= sizeof(head))
		return CRM_ENOTFOUND;
	memcpy(head, name, (size_t)(dot - name));
	head[dot - name] = '\0';
	map = rec->root ? crm_node_get(rec->root, head) : NULL;
	n = map && map->kind == CRM_NODE_MAP ? crm_node_get(map, dot + 1) : NULL;
	if (!n || crm_node_is_null(n) || n->kind != CRM_NODE_SCALAR)
		return 0;
	if (crm_index_parse_scalar(out, idx, f, n, rec))
		*out = error_value(idx, crm_error_last());
	return 0;
}

int crm_index_value(struct crm_value *out, struct crm_index *idx,
		    struct crm_record *rec, const char *name)
{
	const struct crm_field *f = crm_schema_field(rec->schema, name);
	struct crm_record_memo *m;
	size_t i, ncomputed;

	*out = CRM_VALUE_NULL;
	if (!f) {
		if (!strcmp(name, "outcome")) {
			outcome_value(out, idx, rec);
			return 0;
		}
		if (!strcmp(name, "id")) {
			out->kind = CRM_V_TEXT;
			out->u.text = rec->id;
			return 0;
		}
		return nested_value(out, idx, rec, name);
	}
	if (!crm_field_is_computed(f)) {
		stored_value(out, idx, rec, f);
		return 0;
	}
	i = computed_slot(rec->schema, f, &ncomputed);
	m = crm_record_memo(idx, rec);
	if (!m)
		return CRM_ENOMEM;
	if (!m->values) {
		/* beside the trees the values may point into: crm_index_trim
		 * drops both */
		crm_index_touch(idx, rec);
		m->values = crm_arena_alloc(&idx->trees, sizeof(*m->values) * ncomputed);
		m->state = crm_arena_alloc(&idx->trees, ncomputed);
		if (!m->values || !m->state)
			return crm_error_set(CRM_ENOMEM, "out of memory");
		memset(m->state, 0, ncomputed);
	}
	if (m->state[i] == 2) {
		*out = m->values[i];
		return 0;
	}
	if (m->state[i] == 1) {
		*out = error_value(idx, crm_arena_printf(&idx->arena,
			"cycle: field '%s' of %s/%s depends on itself", name,
			rec->schema->type, rec->id));
		return 0;
	}
	m->state[i] = 1;
	if (f->type == CRM_F_FORMULA && f->score)
		eval_score(out, idx, rec, f->score);
	else if (f->type == CRM_F_FORMULA && f->formula)
		eval_formula(out, idx, rec, f->formula);
	else if (f->type == CRM_F_LOOKUP && f->via && f->field)
		eval_lookup(out, idx, rec, f);
	m->values[i] = *out;
	m->state[i] = 2;
	return 0;
}

static int remember_added(const char *path, int64_t when, int32_t offset_min, void *payload)
{
	struct crm_index *idx = payload;
	const char *prefix = idx->git_prefix;
	size_t n = strlen(prefix);
	struct crm_record *rec;

	(void)offset_min;
	if (strncmp(path, prefix, n))
		return 0;
	rec = crm_map_get(&idx->by_path, path + n);
	if (rec)
		rec->memo->added = when;
	return 0;
}

/* Asks git once, for every file, when it was added. */
static void load_added_dates(struct crm_index *idx)
{
	struct crm_git *git = NULL;
	char *prefix;
	size_t i;

	idx->added_loaded = true;
	if (!idx->opts.git_dates || crm_index_map_all(idx) || crm_git_open(&git, idx->repo->root))
		return;
	prefix = crm_git_prefix(git, idx->repo->root);
	idx->git_prefix = crm_arena_strdup(&idx->arena, prefix ? prefix : "");
	free(prefix);
	for (i = 0; i < idx->files.len; i++)
		crm_map_put(&idx->by_path, idx->records[i].path, &idx->records[i], NULL);
	crm_git_added_dates(git, remember_added, idx);
	crm_map_release(&idx->by_path);
	crm_git_free(git);
}

crm_date crm_record_created(struct crm_index *idx, const struct crm_record *rec)
{
	struct crm_value v;
	int32_t off = 0;
	int64_t added;
	crm_date d;
	const char *text;

	if (crm_index_value(&v, idx, (struct crm_record *)rec, "created") == 0) {
		if (v.kind == CRM_V_DATE)
			return v.u.date;
	} else if (rec->root && (text = crm_node_text(rec->root, "created")) &&
		   crm_date_parse(&d, text, strlen(text)) == 0) {
		/* Every type understands `created` (SPEC section 2), declared or not. */
		return d;
	}
	if (!idx->added_loaded)
		load_added_dates(idx);
	added = rec->memo ? rec->memo->added : -1;
	if (added < 0)
		return idx->today;
	crm_tz_offset(&off, idx->repo->config.timezone, added);
	return (crm_date)((added + off * 60) / 86400 -
			  ((added + off * 60) % 86400 < 0 ? 1 : 0));
}

bool crm_record_closed(crm_date *out, const struct crm_record *rec)
{
	const struct crm_node *history, *last;
	const char *text;

	if (!rec->root)
		return false;
	text = crm_node_text(rec->root, "closed");
	if (text && crm_date_parse(out, text, strlen(text)) == 0)
		return true;
	/* SPEC section 2: without `closed`, the date of the last history entry. */
	history = crm_node_get(rec->root, "history");
	if (!history || history->kind != CRM_NODE_SEQ || !history->count)
		return false;
	last = history->items[history->count - 1];
	text = last->kind == CRM_NODE_MAP ? crm_node_text(last, "date") : NULL;
	return text && crm_date_parse(out, text, 10 < strlen(text) ? 10 : strlen(text)) == 0;
}

int crm_value_format(struct crm_buf *out, const struct crm_value *v)
{
	char tmp[96];

	switch (v->kind) {
	case CRM_V_NULL:
		return 0;
	case CRM_V_TEXT:
	case CRM_V_ERROR:
		return crm_buf_adds(out, v->u.text);
	case CRM_V_NUMBER:
		if (v->percent) {
			crm_dec pct = v->u.num;
			pct.scale -= 2;
			if (pct.scale < 0) {
				crm_dec_round(&pct, v->u.num, 2);
				pct.scale = 0;
			}
			crm_dec_format_trim(tmp, sizeof(tmp), pct);
			return crm_buf_addf(out, "%s%%", tmp);
		}
		crm_dec_format_trim(tmp, sizeof(tmp), v->u.num);
		return crm_buf_adds(out, tmp);
	case CRM_V_MONEY:
		crm_money_format(tmp, sizeof(tmp), &v->u.money);
		return crm_buf_adds(out, tmp);
	case CRM_V_DATE:
		crm_date_format(tmp, sizeof(tmp), v->u.date);
		return crm_buf_adds(out, tmp);
	case CRM_V_DATETIME:
		crm_datetime_format(tmp, sizeof(tmp), &v->u.datetime);
		return crm_buf_adds(out, tmp);
	case CRM_V_BOOL:
		return crm_buf_adds(out, v->u.b ? "true" : "false");
	}
	return 0;
}

int crm_value_json(struct crm_json *j, const struct crm_value *v)
{
	struct crm_buf text = CRM_BUF_INIT;

	switch (v->kind) {
	case CRM_V_NULL:
		return crm_json_null(j);
	case CRM_V_BOOL:
		return crm_json_bool(j, v->u.b);
	case CRM_V_NUMBER:
		if (v->percent)
			break;
		return crm_json_decimal(j, v->u.num, true);
	case CRM_V_MONEY:
		return crm_json_money(j, v->u.money.amount, v->u.money.currency);
	case CRM_V_ERROR:
		crm_json_object(j, CRM_JSON_INLINE);
		crm_json_key(j, "error");
		crm_json_string(j, v->u.text);
		return crm_json_end(j);
	default:
		break;
	}
	crm_value_format(&text, v);
	crm_json_string(j, text.ptr);
	crm_buf_release(&text);
	return j->err;
}
