/* Lead scores (crm/score.h): crm.ini's [score "TYPE"] terms parsed, the
 * computed field `score` added to TYPE's schema, and a record's score
 * summed term by term, each term's share kept for crm show. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm/config.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/node.h"
#include "crm/repo.h"
#include "crm/score.h"
#include "crm/value.h"

static int parse_points(int64_t *out, const char *text)
{
	char *end = NULL;
	long long v;

	while (*text == ' ')
		text++;
	errno = 0;
	v = strtoll(text, &end, 10);
	while (end && *end == ' ')
		end++;
	if (!*text || errno || !end || *end || v > 1000000000 || v < -1000000000)
		return crm_error_set(CRM_EINVALID, "'%s' is not a whole number of points", text);
	*out = v;
	return 0;
}

/* "1000 EUR : 1" or "10 : 2" */
static int parse_per(struct crm_score_term *t, const char *value)
{
	const char *colon = strchr(value, ':');
	char amount[64];
	size_t n;
	int err;

	if (!colon)
		return crm_error_set(CRM_EINVALID, "'%s' is not AMOUNT : POINTS (1000 EUR : 1)",
				     value);
	n = (size_t)(colon - value);
	while (n && value[n - 1] == ' ')
		n--;
	if (n >= sizeof(amount))
		return crm_error_set(CRM_EINVALID, "'%s' is not AMOUNT : POINTS", value);
	memcpy(amount, value, n);
	amount[n] = '\0';
	err = crm_money_parse(&t->per, amount, "");
	if (!err && (t->per.amount.units <= 0))
		err = crm_error_set(CRM_EINVALID, "the amount a point takes must be more than 0");
	return err ? err : parse_points(&t->points, colon + 1);
}

int crm_score_parse_term(struct crm_score_term *out, const char *key, const char *value)
{
	const char *dot = strchr(key, '.');
	char *end = NULL;

	memset(out, 0, sizeof(*out));
	out->key = key;
	if (!strcmp(key, "activities")) {
		out->kind = CRM_SCORE_ACTIVITIES;
		return parse_points(&out->points, value);
	}
	if (!strcmp(key, "activities.max")) {
		out->kind = CRM_SCORE_ACTIVITIES;
		out->value = "max";
		return parse_points(&out->points, value);
	}
	if (!dot || dot == key || !dot[1])
		return crm_error_set(CRM_EINVALID, "'%s' is not FIELD.VALUE, FIELD.per, activities "
				     "or recency.DAYS", key);
	out->field = key;   /* up to the dot: compared with strncmp */
	out->value = dot + 1;
	if (!strncmp(key, "recency.", 8)) {
		out->kind = CRM_SCORE_RECENCY;
		out->days = strtoll(dot + 1, &end, 10);
		if (!end || *end || out->days < 0)
			return crm_error_set(CRM_EINVALID, "'%s' is not recency.DAYS", key);
		return parse_points(&out->points, value);
	}
	if (!strcmp(dot + 1, "per")) {
		out->kind = CRM_SCORE_PER;
		return parse_per(out, value);
	}
	out->kind = CRM_SCORE_EQUALS;
	return parse_points(&out->points, value);
}

/* The field name of a FIELD.x term, in `out`. */
static const char *term_field(char *out, size_t size, const struct crm_score_term *t)
{
	const char *dot = strchr(t->key, '.');
	snprintf(out, size, "%.*s", (int)(dot - t->key), t->key);
	return out;
}

static int load_rules(struct crm_score *sc, const struct crm_config *cfg, const char *type)
{
	struct crm_score_term t, *slot;
	size_t i;

	sc->type = type;
	sc->activities_max = -1;
	for (i = 0; i < cfg->settings.len; i++) {
		const struct crm_setting *st = &cfg->settings.ptr[i];
		if (strcmp(st->section, "score") || !st->subsection || strcmp(st->subsection, type))
			continue;
		if (crm_score_parse_term(&t, st->key, st->value))
			continue;   /* crm check reports it */
		if (t.kind == CRM_SCORE_ACTIVITIES && t.value) {
			sc->activities_max = t.points;
			continue;
		}
		slot = CRM_ARRAY_PUSH(sc->terms);
		if (!slot)
			return CRM_ENOMEM;
		*slot = t;
	}
	return 0;
}

/* The schema's fields with `score` appended, in the repository's arena. */
static int add_field(struct crm_repo *repo, struct crm_schema *s, struct crm_score *sc)
{
	struct crm_field *fields;

	if (crm_schema_field(s, "score"))
		return 0;   /* the schema's own field wins */
	fields = crm_arena_alloc(&repo->arena, sizeof(*fields) * (s->nfields + 1));
	if (!fields)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	memcpy(fields, s->fields, sizeof(*fields) * s->nfields);
	memset(&fields[s->nfields], 0, sizeof(*fields));
	fields[s->nfields].name = "score";
	fields[s->nfields].type = CRM_F_FORMULA;
	fields[s->nfields].expr = "crm.ini [score]";
	fields[s->nfields].score = sc;
	fields[s->nfields].line = 1;
	fields[s->nfields].col = 1;
	s->fields = fields;
	s->nfields++;
	return 0;
}

int crm_score_attach(struct crm_repo *repo)
{
	size_t i, j;
	int err = 0;

	for (i = 0; i < repo->config.settings.len && !err; i++) {
		const struct crm_setting *st = &repo->config.settings.ptr[i];
		struct crm_score *sc;

		if (strcmp(st->section, "score"))
			continue;
		for (j = 0; st->subsection && j < repo->schemas.len; j++) {
			struct crm_schema *s = &repo->schemas.ptr[j];
			const struct crm_field *f = crm_schema_field(s, "score");
			if (strcmp(s->type, st->subsection) || (f && f->score))
				continue;
			sc = crm_arena_alloc(&repo->arena, sizeof(*sc));
			if (!sc)
				return crm_error_set(CRM_ENOMEM, "out of memory");
			memset(sc, 0, sizeof(*sc));
			err = load_rules(sc, &repo->config, s->type);
			if (!err)
				err = add_field(repo, s, sc);
		}
	}
	return err;
}

void crm_score_release(struct crm_repo *repo)
{
	size_t i, j;

	for (i = 0; i < repo->schemas.len; i++) {
		struct crm_schema *s = &repo->schemas.ptr[i];
		for (j = 0; j < s->nfields; j++) {
			struct crm_score *sc = s->fields[j].score;
			if (sc)
				CRM_ARRAY_RELEASE(sc->terms);
		}
	}
}

/* Whether FIELD (a scalar, or a list such as tags) holds `value`. */
static bool holds(const struct crm_node *n, const char *value)
{
	uint32_t i;

	if (!n)
		return false;
	if (n->kind == CRM_NODE_SCALAR)
		return !strcasecmp(n->text, value);
	for (i = 0; n->kind == CRM_NODE_SEQ && i < n->count; i++)
		if (n->items[i]->kind == CRM_NODE_SCALAR && !strcasecmp(n->items[i]->text, value))
			return true;
	return false;
}

/* Points for each whole `per` of the field's number or money. */
static int64_t per_points(struct crm_index *idx, struct crm_record *rec,
			  const struct crm_score_term *t)
{
	struct crm_value v;
	struct crm_money m;
	crm_dec amount, per = t->per.amount, q;
	char field[128];
	int64_t pts;

	if (crm_index_value(&v, idx, rec, term_field(field, sizeof(field), t)))
		return 0;
	if (v.kind == CRM_V_NUMBER && !t->per.currency[0]) {
		amount = v.u.num;
	} else if (v.kind == CRM_V_MONEY && t->per.currency[0]) {
		if (crm_index_convert(&m, idx, &v.u.money, t->per.currency))
			return 0;   /* no rate: nothing, as for a missing field */
		amount = m.amount;
	} else {
		return 0;
	}
	if (crm_dec_div(&q, amount, per, 6))
		return 0;
	/* whole multiples only: 1999 EUR at 1000 EUR a point is 1 point */
	while (q.scale > 0) {
		q.units /= 10;
		q.scale--;
	}
	/* an amount beyond any sense scores nothing rather than wrap */
	if (__builtin_mul_overflow(q.units, t->points, &pts))
		return 0;
	return pts;
}

static int add_part(crm_score_parts *p, const char *key, int64_t points)
{
	struct crm_score_part *slot;

	if (!p || !points)
		return 0;
	slot = CRM_ARRAY_PUSH(*p);
	if (!slot)
		return CRM_ENOMEM;
	slot->key = key;
	slot->points = points;
	return 0;
}

int crm_score_compute(int64_t *out, struct crm_index *idx, struct crm_record *rec,
		      const struct crm_score *sc, crm_score_parts *parts)
{
	const struct crm_score_term *best_recency = NULL;
	crm_date newest = 0;
	size_t i, nact = 0;
	bool counted = false, has_newest = false;
	int64_t sum = 0, pts;
	char field[128];
	int err = 0;

	crm_index_materialize(idx, rec);
	for (i = 0; i < sc->terms.len && !err; i++) {
		const struct crm_score_term *t = &sc->terms.ptr[i];
		pts = 0;
		/* engagement as the follow-ups count it: a client's activities
		 * include those about its deals and contacts */
		if ((t->kind == CRM_SCORE_ACTIVITIES || t->kind == CRM_SCORE_RECENCY) && !counted) {
			nact = crm_index_activity_count(idx, rec);
			has_newest = crm_index_last_activity(&newest, idx, rec);
			counted = true;
		}
		switch (t->kind) {
		case CRM_SCORE_EQUALS:
			if (rec->root && holds(crm_node_get(rec->root, term_field(field, sizeof(field), t)),
					       t->value))
				pts = t->points;
			break;
		case CRM_SCORE_PER:
			pts = per_points(idx, rec, t);
			break;
		case CRM_SCORE_ACTIVITIES:
			pts = (int64_t)nact * t->points;
			if (sc->activities_max >= 0 && pts > sc->activities_max)
				pts = sc->activities_max;
			break;
		case CRM_SCORE_RECENCY:
			/* the best recency term that applies, added after the loop */
			if (has_newest && crm_index_today(idx) - newest <= t->days &&
			    (!best_recency || t->points > best_recency->points))
				best_recency = t;
			continue;
		}
		sum += pts;
		err = add_part(parts, t->key, pts);
	}
	if (!err && best_recency) {
		sum += best_recency->points;
		err = add_part(parts, best_recency->key, best_recency->points);
	}
	*out = sum;
	return err ? crm_error_set(CRM_ENOMEM, "out of memory") : 0;
}
