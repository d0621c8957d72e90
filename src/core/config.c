/* crm.ini through inih.  inih's handler gets no line number from Debian's
 * build, so a reader callback counts lines as inih pulls them and keeps the
 * line's text: every diagnostic points at the line and column of the key or
 * value it is about.  crm.ini is checked like a record: unknown sections and
 * keys are warnings with a did-you-mean, wrong values are errors. */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/str.h"
#include "crm/config.h"
#include "crm/diag.h"
#include "crm/error.h"
#include "crm/date.h"
#include "crm/day.h"
#include "crm/money.h"
#include "crm/score.h"
#include "crm/utf8.h"

/* The longest line whose columns are reported exactly; a longer one is
 * reported at column 1. */
#define RAW_LINE_MAX 512

struct ini_state {
	struct crm_config *cfg;
	struct crm_diags *diags;
	const char *path;
	FILE *file;
	int line;
	const char *key;              /* the key being handled, for columns */
	const char *warned_section;   /* the last unknown section warned about */
	char raw[RAW_LINE_MAX];       /* the text of line `line` */
};

static char *reader(char *str, int num, void *stream)
{
	struct ini_state *st = stream;
	char *r = fgets(str, num, st->file);
	if (r) {
		st->line++;
		snprintf(st->raw, sizeof(st->raw), "%s", r);
	}
	return r;
}

/* The 1-based column of the current key's value on the current line (the
 * first character after '=' or ':' and the blanks that follow), or of the
 * key itself when `of_key`; 1 when the line does not show it. */
static int column_of(const struct ini_state *st, bool of_key)
{
	const char *p = st->raw, *sep;

	if (!st->raw[0] || !st->key)
		return 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!strncmp(p, "\xef\xbb\xbf", 3))   /* a byte-order mark on line 1 */
		p += 3;
	if (of_key || strncmp(p, st->key, strlen(st->key)))
		return (int)(p - st->raw) + 1;
	sep = p + strcspn(p, "=:");
	if (!*sep)
		return 1;
	sep++;
	while (*sep == ' ' || *sep == '\t')
		sep++;
	return (int)(sep - st->raw) + 1;
}

/* A wrong value: an error at the value's column. */
static void bad(struct ini_state *st, const char *fmt, const char *a, const char *b)
{
	crm_diags_add(st->diags, st->path, st->line, column_of(st, false), CRM_SEV_ERROR,
		      "bad-config", fmt, a, b);
}

/* The sections crm reads and their keys.  Anything else is kept (so
 * crm_config_get sees it) but warned about: a misspelt key would otherwise
 * be silently ignored. */
enum subsection_rule { SUB_NONE, SUB_REQUIRED, SUB_OPTIONAL };

static const struct known_section {
	const char *name;
	enum subsection_rule sub;
	const char *const keys[16];
} known_sections[] = {
	{ "crm", SUB_NONE, { "currency", "timezone", "locale" } },
	{ "stage", SUB_REQUIRED, { "probability", "outcome", "requires", "max_days" } },
	{ "rate", SUB_REQUIRED, { "value" } },
	{ "tax", SUB_REQUIRED, { "rate", "name", "category", "exemption", "reason" } },
	{ "invoice", SUB_OPTIONAL, { "prefix", "digits", "due_days", "terms", "tax" } },
	{ "user", SUB_REQUIRED, { "name", "email" } },
	{ "org", SUB_NONE, { "name", "address", "city", "postcode", "country", "vat_id",
			      "company_id", "party_id", "peppol_id", "email", "phone", "contact",
			      "iban", "logo" } },
	{ "dashboard", SUB_NONE, { "stalled_days" } },
	{ "task", SUB_NONE, { "categories" } },
	{ "mail", SUB_NONE, { "from", "sendmail", "smtp", "subject", "template" } },
	/* automations: src/core/automation/ reads and checks their values */
	{ "assign", SUB_REQUIRED, { "type", "where", "team" } },
	{ "notify", SUB_NONE, { "stage" } },
	{ "alerts", SUB_NONE, { "factor", "min_samples" } },
	/* the agenda and crm remind (src/core/day) */
	{ "followup", SUB_OPTIONAL, { "first_response", "field", "every" } },
	{ "remind", SUB_NONE, { "channels", "hook", "mail_to" } },
	{ "target", SUB_REQUIRED, { "won", "deals", "activities" } },
	/* lead scores: any key is a term (crm/score.h), checked in set_value */
	{ "score", SUB_REQUIRED, { "*" } },
};

static const struct known_section *known_section(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(known_sections) / sizeof(*known_sections); i++) {
		if (!strcmp(known_sections[i].name, name))
			return &known_sections[i];
	}
	return NULL;
}

/* The closest of `names` to `word` (at most two edits), or NULL. */
static const char *closest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t i, best_d = 3;

	for (i = 0; i < n && names[i]; i++) {
		size_t d = crm_edit_distance(word, names[i], 3);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	return best;
}

static void warn_unknown(struct ini_state *st, bool of_key, const char *what,
			 const char *suggestion)
{
	crm_diags_add(st->diags, st->path, st->line, column_of(st, of_key), CRM_SEV_WARNING,
		      "unknown-setting", "%s%s%s%s", what, suggestion ? " (did you mean '" : "",
		      suggestion ? suggestion : "", suggestion ? "'?)" : "");
}

/* Warns about a section or key crm does not read, once per section. */
static void check_known(struct ini_state *st, const char *section, const char *name,
			const char *sub, const char *key)
{
	const struct known_section *ks = known_section(name);
	const char *names[sizeof(known_sections) / sizeof(*known_sections)];
	char what[256];
	size_t i;

	if (!ks) {
		if (st->warned_section && !strcmp(st->warned_section, section))
			return;
		st->warned_section = crm_arena_strdup(&st->cfg->arena, section);
		for (i = 0; i < sizeof(known_sections) / sizeof(*known_sections); i++)
			names[i] = known_sections[i].name;
		snprintf(what, sizeof(what), "unknown section [%s]", section);
		warn_unknown(st, true, what, closest(name, names, i));
		return;
	}
	if (ks->sub == SUB_REQUIRED && !sub)
		crm_diags_add(st->diags, st->path, st->line, 1, CRM_SEV_ERROR, "bad-config",
			      "section [%s] needs a name, as in [%s \"name\"]", name, name);
	else if (ks->sub == SUB_NONE && sub)
		crm_diags_add(st->diags, st->path, st->line, 1, CRM_SEV_WARNING,
			      "unknown-setting", "section [%s] takes no name; [%s] is not read",
			      name, section);
	for (i = 0; i < 16 && ks->keys[i]; i++) {
		if (!strcmp(ks->keys[i], key) || !strcmp(ks->keys[i], "*"))
			return;
	}
	snprintf(what, sizeof(what), "unknown key '%s' in [%s]", key, section);
	warn_unknown(st, true, what, closest(key, ks->keys, 16));
}

/* Splits `stage "won"` into "stage" and "won". */
static void split_section(struct crm_arena *a, const char *section,
			  const char **name, const char **sub)
{
	const char *q = strchr(section, '"');
	const char *end;
	size_t n;

	*sub = NULL;
	if (!q) {
		*name = crm_arena_strdup(a, section);
		return;
	}
	n = (size_t)(q - section);
	while (n && section[n - 1] == ' ')
		n--;
	*name = crm_arena_strndup(a, section, n);
	end = strrchr(q + 1, '"');
	*sub = crm_arena_strndup(a, q + 1, end ? (size_t)(end - q - 1) : strlen(q + 1));
}

static int parse_percent(crm_dec *out, const char *v)
{
	size_t n = strlen(v);
	if (n && v[n - 1] == '%')
		n--;
	return crm_dec_parse(out, v, n);
}

static void set_stage(struct ini_state *st, const char *sub, const char *key, const char *value)
{
	struct crm_config *cfg = st->cfg;
	struct crm_stage *s = CRM_ARRAY_LAST(cfg->stages);
	crm_dec p;

	if (!s || strcmp(s->name, sub)) {
		if (crm_config_stage(cfg, sub)) {
			crm_diags_add(st->diags, st->path, st->line, column_of(st, true),
				      CRM_SEV_ERROR, "bad-config", "stage '%s' is defined twice", sub);
			return;
		}
		s = CRM_ARRAY_PUSH(cfg->stages);
		if (!s)
			return;
		s->name = crm_arena_strdup(&cfg->arena, sub);
		s->line = st->line;
	}
	if (!strcmp(key, "probability")) {
		if (parse_percent(&p, value) || p.scale || p.units < 0 || p.units > 100)
			bad(st, "probability '%s' of stage '%s' must be a whole number from 0 to 100",
			    value, sub);
		else
			s->probability = (int)p.units;
	} else if (!strcmp(key, "outcome")) {
		if (!strcmp(value, "open")) s->outcome = CRM_OUTCOME_OPEN;
		else if (!strcmp(value, "won")) s->outcome = CRM_OUTCOME_WON;
		else if (!strcmp(value, "lost")) s->outcome = CRM_OUTCOME_LOST;
		else if (!strcmp(value, "void")) s->outcome = CRM_OUTCOME_VOID;
		else bad(st, "outcome '%s' of stage '%s' must be open, won, lost or void", value, sub);
	}
}

static void set_rate(struct ini_state *st, const char *sub, const char *key, const char *value)
{
	struct crm_rate *r;
	if (strcmp(key, "value"))
		return;
	if (!crm_currency_is_known(sub)) {
		bad(st, "rate for unknown currency '%s'%s", sub, "");
		return;
	}
	r = CRM_ARRAY_PUSH(st->cfg->rates);
	if (!r)
		return;
	r->currency = crm_arena_strdup(&st->cfg->arena, sub);
	r->line = st->line;
	if (crm_dec_parse(&r->value, value, strlen(value)) || r->value.units <= 0) {
		bad(st, "rate '%s' of %s must be a positive decimal number", value, sub);
		st->cfg->rates.len--;
	}
}

static void set_tax(struct ini_state *st, const char *sub, const char *key, const char *value)
{
	struct crm_config *cfg = st->cfg;
	struct crm_tax *t = (struct crm_tax *)crm_config_tax(cfg, sub);
	static const char *const categories = " S Z E AE K G O L M B ";
	char cat[8];

	if (!t) {
		t = CRM_ARRAY_PUSH(cfg->taxes);
		if (!t)
			return;
		t->id = crm_arena_strdup(&cfg->arena, sub);
		t->category = "S";
		t->line = st->line;
	}
	if (!strcmp(key, "rate")) {
		if (parse_percent(&t->rate, value) || t->rate.units < 0)
			bad(st, "tax rate '%s' of '%s' must be a percentage such as 23%%", value, sub);
	} else if (!strcmp(key, "name")) {
		t->name = crm_arena_strdup(&cfg->arena, value);
	} else if (!strcmp(key, "category")) {
		snprintf(cat, sizeof(cat), " %s ", value);
		if (strlen(value) > 2 || !strstr(categories, cat))
			bad(st, "VAT category '%s' of '%s' is not an EN 16931 code "
			    "(S, Z, E, AE, K, G, O, L, M, B)", value, sub);
		t->category = crm_arena_strdup(&cfg->arena, value);
	} else if (!strcmp(key, "exemption") || !strcmp(key, "reason")) {
		t->exemption = crm_arena_strdup(&cfg->arena, value);
	}
}

static void set_series(struct ini_state *st, const char *sub, const char *key, const char *value)
{
	struct crm_config *cfg = st->cfg;
	struct crm_series *s = (struct crm_series *)crm_config_series(cfg, sub ? sub : "");
	long n;
	char *end;

	if (!s || strcmp(s->name, sub ? sub : "")) {
		s = CRM_ARRAY_PUSH(cfg->series);
		if (!s)
			return;
		s->name = crm_arena_strdup(&cfg->arena, sub ? sub : "");
		s->prefix = "INV-";
		s->digits = 7;
		s->due_days = 30;
		s->line = st->line;
	}
	if (!strcmp(key, "prefix")) {
		s->prefix = crm_arena_strdup(&cfg->arena, value);
	} else if (!strcmp(key, "digits") || !strcmp(key, "due_days")) {
		errno = 0;
		n = strtol(value, &end, 10);
		if (errno || *end || n < 0 || n > (!strcmp(key, "digits") ? 18 : 3650))
			bad(st, "'%s' is not a valid %s", value, key);
		else if (!strcmp(key, "digits"))
			s->digits = (int)n;
		else
			s->due_days = (int)n;
	} else if (!strcmp(key, "terms")) {
		s->terms = crm_arena_strdup(&cfg->arena, value);
	} else if (!strcmp(key, "tax")) {
		s->tax = crm_arena_strdup(&cfg->arena, value);
	}
}

static void set_user(struct ini_state *st, const char *sub, const char *key, const char *value)
{
	struct crm_config *cfg = st->cfg;
	struct crm_user *u = (struct crm_user *)crm_config_user(cfg, sub);
	if (!u) {
		u = CRM_ARRAY_PUSH(cfg->users);
		if (!u)
			return;
		u->id = crm_arena_strdup(&cfg->arena, sub);
		u->line = st->line;
	}
	if (!strcmp(key, "name"))
		u->name = crm_arena_strdup(&cfg->arena, value);
	else if (!strcmp(key, "email"))
		u->email = crm_arena_strdup(&cfg->arena, value);
}

static void set_plain(struct ini_state *st, const char *name, const char *key, const char *value)
{
	struct crm_config *cfg = st->cfg;
	const char *v = crm_arena_strdup(&cfg->arena, value);

	if (!strcmp(name, "crm") && !strcmp(key, "currency")) {
		if (!crm_currency_is_known(value))
			bad(st, "unknown currency '%s'%s", value, "");
		cfg->currency = v;
	} else if (!strcmp(name, "crm") && !strcmp(key, "locale")) {
		/* a language tag ICU reads: letters, digits, '_' and '-' */
		if (!*value || strlen(value) > 31 || value[strspn(value,
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")])
			bad(st, "invalid locale '%s' (a language and region such as de_DE or pl)%s",
			    value, "");
		else
			cfg->locale = v;
	} else if (!strcmp(name, "crm") && !strcmp(key, "timezone")) {
		int32_t offset;
		/* a zone the system does not know would silently be UTC */
		if (crm_tz_offset(&offset, value, 0))
			bad(st, "unknown time zone '%s' (a name from the tz database, "
			    "such as Europe/Warsaw)%s", value, "");
		else
			cfg->timezone = v;
	} else if (!strcmp(name, "score")) {
		struct crm_score_term t;
		if (crm_score_parse_term(&t, key, value))
			bad(st, "%s in [score]%s", crm_error_last(), "");
	} else if (!strcmp(name, "org")) {
		if (!strcmp(key, "name")) cfg->org_name = v;
		else if (!strcmp(key, "address")) cfg->org_address = v;
		else if (!strcmp(key, "vat_id")) cfg->org_vat_id = v;
		else if (!strcmp(key, "logo")) cfg->org_logo = v;
		else if (!strcmp(key, "email")) cfg->org_email = v;
	}
}

/* [target "u"] and [followup] values, checked here so that crm check
 * points at the line; src/core/day reads them. */
static void check_day_setting(struct ini_state *st, const char *name, const char *key,
			      const char *value)
{
	struct crm_target t;
	int64_t secs;

	if (!strcmp(name, "target")) {
		if ((!strcmp(key, "won") || !strcmp(key, "deals") || !strcmp(key, "activities")) &&
		    crm_target_parse(&t, key, value))
			bad(st, "%s%s", crm_error_last(), "");
	} else if (!strcmp(key, "first_response") || !strcmp(key, "every")) {
		if (crm_duration_parse(&secs, value, strlen(value)) || secs <= 0)
			bad(st, "'%s' is not a duration such as 24h or 3d (%s)", value, key);
	}
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct ini_state *st = user;
	struct crm_config *cfg = st->cfg;
	struct crm_setting *s = CRM_ARRAY_PUSH(cfg->settings);
	const char *name, *sub;

	if (!s)
		return 0;
	split_section(&cfg->arena, section, &name, &sub);
	s->section = name;
	s->subsection = sub;
	s->key = crm_arena_strdup(&cfg->arena, key);
	s->value = crm_arena_strdup(&cfg->arena, value);
	s->line = st->line;
	st->key = s->key;
	s->col = column_of(st, false);
	check_known(st, section, name, sub, key);

	if (!strcmp(name, "stage") && sub)
		set_stage(st, sub, key, value);
	else if (!strcmp(name, "rate") && sub)
		set_rate(st, sub, key, value);
	else if (!strcmp(name, "tax") && sub)
		set_tax(st, sub, key, value);
	else if (!strcmp(name, "invoice"))
		set_series(st, sub, key, value);
	else if (!strcmp(name, "user") && sub)
		set_user(st, sub, key, value);
	else if ((!strcmp(name, "target") && sub) || !strcmp(name, "followup"))
		check_day_setting(st, name, key, value);
	else
		set_plain(st, name, key, value);
	return 1;
}

/* Parses an open stream; `path` names it in I/O errors. */
static int load_stream(struct crm_config *cfg, FILE *file, const char *path,
		       const char *display_path, struct crm_diags *diags)
{
	struct ini_state st;
	int rc;

	memset(&st, 0, sizeof(st));
	st.cfg = cfg;
	st.diags = diags;
	st.path = display_path;
	st.file = file;
	rc = ini_parse_stream(reader, &st, handler, &st);
	if (rc > 0)
		crm_diags_add(diags, display_path, rc, 1, CRM_SEV_ERROR, "bad-config",
			      "cannot parse this line (expected [section] or key = value)");
	else if (rc < 0)
		return crm_error_set(CRM_EIO, "cannot read '%s'", path);
	return 0;
}

static void config_defaults(struct crm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	crm_arena_init(&cfg->arena);
	cfg->currency = "EUR";
	cfg->timezone = "UTC";
}

int crm_config_load(struct crm_config *cfg, const char *path,
		    const char *display_path, struct crm_diags *diags)
{
	FILE *file;
	int err;

	config_defaults(cfg);
	file = fopen(path, "r");
	if (!file)
		return crm_error_errno(errno == ENOENT ? CRM_ENOTFOUND : CRM_EIO,
				       "cannot read '%s'", path);
	err = load_stream(cfg, file, path, display_path, diags);
	fclose(file);
	return err;
}

int crm_config_load_data(struct crm_config *cfg, const char *data, size_t len,
			 const char *display_path, struct crm_diags *diags)
{
	FILE *file;
	int err;

	config_defaults(cfg);
	if (!len)
		return 0;
	/* inih reads streams; fmemopen gives one without copying the text */
	file = fmemopen((void *)data, len, "r");
	if (!file)
		return crm_error_errno(CRM_EIO, "cannot read '%s'", display_path);
	err = load_stream(cfg, file, display_path, display_path, diags);
	fclose(file);
	return err;
}

void crm_config_release(struct crm_config *cfg)
{
	CRM_ARRAY_RELEASE(cfg->stages);
	CRM_ARRAY_RELEASE(cfg->rates);
	CRM_ARRAY_RELEASE(cfg->taxes);
	CRM_ARRAY_RELEASE(cfg->series);
	CRM_ARRAY_RELEASE(cfg->users);
	CRM_ARRAY_RELEASE(cfg->settings);
	crm_arena_release(&cfg->arena);
}

const struct crm_stage *crm_config_stage(const struct crm_config *cfg, const char *name)
{
	size_t i;
	for (i = 0; i < cfg->stages.len; i++) {
		if (crm_str_eq(cfg->stages.ptr[i].name, name))
			return &cfg->stages.ptr[i];
	}
	return NULL;
}

const struct crm_rate *crm_config_rate(const struct crm_config *cfg, const char *currency)
{
	size_t i;
	for (i = 0; i < cfg->rates.len; i++) {
		if (!strcmp(cfg->rates.ptr[i].currency, currency))
			return &cfg->rates.ptr[i];
	}
	return NULL;
}

const struct crm_tax *crm_config_tax(const struct crm_config *cfg, const char *id)
{
	size_t i;
	for (i = 0; i < cfg->taxes.len; i++) {
		if (!strcmp(cfg->taxes.ptr[i].id, id))
			return &cfg->taxes.ptr[i];
	}
	return NULL;
}

const struct crm_user *crm_config_user(const struct crm_config *cfg, const char *id)
{
	size_t i;
	for (i = 0; i < cfg->users.len; i++) {
		if (crm_str_eq(cfg->users.ptr[i].id, id))
			return &cfg->users.ptr[i];
	}
	return NULL;
}

const struct crm_series *crm_config_series(const struct crm_config *cfg, const char *name)
{
	size_t i;
	for (i = 0; i < cfg->series.len; i++) {
		if (!strcmp(cfg->series.ptr[i].name, name ? name : ""))
			return &cfg->series.ptr[i];
	}
	return NULL;
}

const char *crm_config_get(const struct crm_config *cfg, const char *section,
			   const char *subsection, const char *key)
{
	size_t i;
	for (i = 0; i < cfg->settings.len; i++) {
		const struct crm_setting *s = &cfg->settings.ptr[i];
		if (strcmp(s->section, section) || strcmp(s->key, key))
			continue;
		if (subsection ? (s->subsection && !strcmp(s->subsection, subsection))
			       : !s->subsection)
			return s->value;
	}
	return NULL;
}

const char *crm_outcome_name(enum crm_outcome o)
{
	static const char *const names[] = { "open", "won", "lost", "void" };
	return names[o];
}
