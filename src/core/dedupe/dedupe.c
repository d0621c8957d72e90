/* crm dedupe's likely duplicate pairs of one type.  Records are grouped by
 * the keys crm import matches rows by (email, phone digits, the first word
 * of the folded name; and its last word) and compared only within a group, each with its
 * next few neighbours in name order: the work grows with the number of
 * records, never with its square. */
#include <stdlib.h>
#include <string.h>

#include "crm/dedupe.h"
#include "crm/error.h"
#include "crm/node.h"

/* One record and its keys ("" when it has none), in the finder's arena. */
struct entry {
	struct crm_record *rec;
	const char *email, *phone, *name;
};

typedef CRM_ARRAY(struct entry *) entry_list;

struct finder {
	struct crm_dedupe *out;
	struct crm_arena arena;
	struct entry *entries;
	size_t nentries;
	struct crm_map groups;          /* "e|p|b|l\037key" -> entry_list */
	CRM_ARRAY(entry_list *) owned;
	double threshold;
};

static const char *field_of_type(const struct crm_schema *s, enum crm_field_type t)
{
	size_t i;
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].type == t)
			return s->fields[i].name;
	return NULL;
}

static const char *keep_key(struct finder *f, struct crm_buf *key)
{
	const char *k = crm_arena_strdup(&f->arena, key->len ? key->ptr : "");
	crm_buf_reset(key);
	return k;
}

static int read_entry(struct finder *f, struct entry *e, struct crm_index *idx,
		      const struct crm_schema *s, struct crm_record *rec)
{
	const struct crm_dedupe *d = f->out;
	struct crm_buf key = CRM_BUF_INIT;
	const char *v;

	crm_index_materialize(idx, rec);
	e->rec = rec;
	v = rec->root && d->email_field ? crm_match_first_of_type(s, rec->root, CRM_F_EMAIL) : NULL;
	if (v)
		crm_match_email_key(&key, v);
	e->email = keep_key(f, &key);
	v = rec->root && d->phone_field ? crm_match_first_of_type(s, rec->root, CRM_F_PHONE) : NULL;
	if (v)
		crm_match_phone_key(&key, v);
	e->phone = keep_key(f, &key);
	v = rec->root && d->name_field ? crm_node_text(rec->root, d->name_field) : NULL;
	if (v)
		crm_match_name_key(&key, v);
	e->name = keep_key(f, &key);
	crm_buf_release(&key);
	return e->email && e->phone && e->name ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");
}

/* Puts `e` into the group `kind` + `key` (a name's block: its first word). */
static int join_group(struct finder *f, char kind, const char *key, size_t keylen,
		      struct entry *e)
{
	struct crm_buf name = CRM_BUF_INIT;
	entry_list *g, **own;
	struct entry **slot;
	int err = 0;

	if (!keylen)
		return 0;
	crm_buf_addch(&name, kind);
	crm_buf_addch(&name, '\037');
	crm_buf_add(&name, key, keylen);
	g = crm_map_get(&f->groups, name.ptr);
	if (!g) {
		const char *k = crm_arena_strdup(&f->arena, name.ptr);
		g = calloc(1, sizeof(*g));
		own = CRM_ARRAY_PUSH(f->owned);
		if (!k || !g || !own || crm_map_put(&f->groups, k, g, NULL)) {
			free(g);
			err = crm_error_set(CRM_ENOMEM, "out of memory");
			goto done;
		}
		*own = g;
	}
	slot = CRM_ARRAY_PUSH(*g);
	if (slot)
		*slot = e;
	else
		err = crm_error_set(CRM_ENOMEM, "out of memory");
done:
	crm_buf_release(&name);
	return err;
}

/* A record joins the groups of its email, its phone, the first word of
 * its name (import's block) and, for a name of several words, the last
 * word too: a typo in the first word ("Nortwind Traders") is then still
 * compared with "Northwind Traders". */
static int group_entry(struct finder *f, struct entry *e)
{
	const char *sp = strchr(e->name, ' '), *last = strrchr(e->name, ' ');
	int err = join_group(f, 'e', e->email, strlen(e->email), e);

	if (!err)
		err = join_group(f, 'p', e->phone, strlen(e->phone), e);
	if (!err)
		err = join_group(f, 'b', e->name, sp ? (size_t)(sp - e->name) : strlen(e->name), e);
	if (!err && last)
		err = join_group(f, 'l', last + 1, strlen(last + 1), e);
	return err;
}

static int compare_by_name(const void *x, const void *y)
{
	const struct entry *a = *(const struct entry *const *)x;
	const struct entry *b = *(const struct entry *const *)y;
	int c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->rec->id, b->rec->id);
}

/* Scores one pair and keeps it when it reaches the threshold. */
static int score_pair(struct finder *f, const struct entry *a, const struct entry *b)
{
	struct crm_dedupe_pair *p;
	unsigned fields = 0;
	double score = 0, name_score = 0;

	f->out->compared++;
	if (*a->email && !strcmp(a->email, b->email))
		fields |= CRM_DEDUPE_EMAIL;
	if (*a->phone && !strcmp(a->phone, b->phone))
		fields |= CRM_DEDUPE_PHONE;
	if (fields)
		score = 1.0;
	if (*a->name && *b->name)
		name_score = crm_match_similarity(a->name, b->name);
	if (name_score > 0 && name_score >= f->threshold) {
		fields |= CRM_DEDUPE_NAME;
		if (name_score > score)
			score = name_score;
	}
	if (!fields || score < f->threshold)
		return 0;
	p = CRM_ARRAY_PUSH(f->out->pairs);
	if (!p)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (strcmp(a->rec->id, b->rec->id) > 0) {
		const struct entry *t = a;
		a = b;
		b = t;
	}
	p->a = a->rec;
	p->b = b->rec;
	p->score = score;
	p->name_score = name_score;
	p->fields = fields;
	return 0;
}

static int compare_group(struct finder *f, entry_list *g)
{
	size_t i, j;
	int err = 0;

	if (g->len < 2)
		return 0;
	qsort(g->ptr, g->len, sizeof(*g->ptr), compare_by_name);
	for (i = 0; i < g->len && !err; i++)
		for (j = i + 1; j < g->len && j <= i + CRM_DEDUPE_WINDOW && !err; j++)
			err = score_pair(f, g->ptr[i], g->ptr[j]);
	return err;
}

static int compare_pairs(const void *x, const void *y)
{
	const struct crm_dedupe_pair *a = x, *b = y;
	int c;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	c = strcmp(a->a->id, b->a->id);
	return c ? c : strcmp(a->b->id, b->b->id);
}

/* Best first; a pair two groups found (same email and same block) once. */
static void sort_unique(struct crm_dedupe *d)
{
	size_t i, keep = 0;

	if (d->pairs.len)
		qsort(d->pairs.ptr, d->pairs.len, sizeof(*d->pairs.ptr), compare_pairs);
	for (i = 0; i < d->pairs.len; i++) {
		if (keep && d->pairs.ptr[keep - 1].a == d->pairs.ptr[i].a &&
		    d->pairs.ptr[keep - 1].b == d->pairs.ptr[i].b)
			continue;
		d->pairs.ptr[keep++] = d->pairs.ptr[i];
	}
	d->pairs.len = keep;
}

int crm_dedupe_find(struct crm_dedupe *out, struct crm_index *idx, const struct crm_schema *s,
		    double threshold)
{
	struct finder f;
	struct crm_record **recs;
	struct crm_map_slot *slot;
	size_t i, n, pos = 0;
	int err = 0;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	out->name_field = crm_schema_field(s, "name") ? "name" : NULL;
	out->email_field = field_of_type(s, CRM_F_EMAIL);
	out->phone_field = field_of_type(s, CRM_F_PHONE);
	if (!out->name_field && !out->email_field && !out->phone_field)
		return crm_error_set(CRM_EINVALID,
				     "%s has no name, email or phone field to compare", s->type);
	f.out = out;
	f.threshold = threshold;
	crm_arena_init(&f.arena);
	recs = crm_index_list(idx, s->type, &n);
	f.entries = n ? calloc(n, sizeof(*f.entries)) : NULL;
	if (n && !f.entries) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < n && !err; i++, f.nentries++)
		err = read_entry(&f, &f.entries[i], idx, s, recs[i]);
	for (i = 0; i < f.nentries && !err; i++)
		err = group_entry(&f, &f.entries[i]);
	while (!err && (slot = crm_map_next(&f.groups, &pos)))
		err = compare_group(&f, slot->value);
	if (!err)
		sort_unique(out);
done:
	for (i = 0; i < f.owned.len; i++) {
		CRM_ARRAY_RELEASE(*f.owned.ptr[i]);
		free(f.owned.ptr[i]);
	}
	CRM_ARRAY_RELEASE(f.owned);
	crm_map_release(&f.groups);
	crm_arena_release(&f.arena);
	free(f.entries);
	if (err)
		crm_dedupe_release(out);
	return err;
}

void crm_dedupe_release(struct crm_dedupe *d)
{
	CRM_ARRAY_RELEASE(d->pairs);
}

void crm_dedupe_fields_text(struct crm_buf *out, const struct crm_dedupe *d, unsigned fields)
{
	const char *sep = "";

	if (fields & CRM_DEDUPE_EMAIL) {
		crm_buf_addf(out, "%s%s", sep, d->email_field);
		sep = ", ";
	}
	if (fields & CRM_DEDUPE_PHONE) {
		crm_buf_addf(out, "%s%s", sep, d->phone_field);
		sep = ", ";
	}
	if (fields & CRM_DEDUPE_NAME)
		crm_buf_addf(out, "%s%s", sep, d->name_field);
}

bool crm_dedupe_comparable(const struct crm_schema *s)
{
	return crm_schema_field(s, "name") || field_of_type(s, CRM_F_EMAIL) ||
	       field_of_type(s, CRM_F_PHONE);
}

int crm_dedupe_existing(struct crm_match *out, struct crm_matcher *m, struct crm_index *idx,
			const struct crm_schema *s, const struct crm_node *root)
{
	int err;

	memset(out, 0, sizeof(*out));
	if (!crm_dedupe_comparable(s))
		return 0;   /* nothing to compare: not worth loading the type */
	err = crm_matcher_load(m, idx, s);

	if (err)
		return err;
	return crm_matcher_find(out, m, s->type, crm_node_text(root, "name"),
				crm_match_first_of_type(s, root, CRM_F_EMAIL),
				crm_match_first_of_type(s, root, CRM_F_PHONE));
}
