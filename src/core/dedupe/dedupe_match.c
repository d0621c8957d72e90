/* Finding the record a row or a new record already is (crm import, crm
 * add, crm dedupe): the same id, email or phone, or a name that is the
 * same once case, accents, full-width forms, punctuation and company
 * suffixes are folded away (or nearly: similarity >= 0.8).  Records are
 * hashed by those keys and names blocked by their first word, so a row is
 * compared with a handful of records, not all of them. */
#include <ctype.h>
#include <string.h>

#include "crm/dedupe.h"
#include "crm/error.h"
#include "crm/utf8.h"

/* Legal-form words that say nothing about which company it is, as
 * crm_utf8_match_key spells them (punctuation become spaces). */
static const char *const suffixes[] = {
	"sp z o o", "sp k", "s a", "s a s", "s r l", "s p a", "s l", "s r o", "a s",
	"gmbh co kg", "gmbh", "ag", "kg", "ug", "e k", "ltd", "limited", "plc", "llc",
	"inc", "incorporated", "corp", "corporation", "co", "company", "b v", "bv", "n v",
	"nv", "oy", "ab", "as", "sarl", "sas", "pty", "pte", "k k", NULL
};
/* Written without spaces, so they end the key's last word. */
static const char *const cjk_suffixes[] = {
	"股份有限公司", "有限责任公司", "有限公司", "株式会社", "有限会社", NULL
};

static bool strip_suffix(struct crm_buf *key)
{
	size_t i, n;

	for (i = 0; suffixes[i]; i++) {
		n = strlen(suffixes[i]);
		if (key->len > n + 1 && key->ptr[key->len - n - 1] == ' ' &&
		    !strcmp(key->ptr + key->len - n, suffixes[i])) {
			crm_buf_truncate(key, key->len - n - 1);
			return true;
		}
	}
	for (i = 0; cjk_suffixes[i]; i++) {
		n = strlen(cjk_suffixes[i]);
		if (key->len > n && !strcmp(key->ptr + key->len - n, cjk_suffixes[i])) {
			crm_buf_truncate(key, key->len - n);
			while (key->len && key->ptr[key->len - 1] == ' ')
				crm_buf_truncate(key, key->len - 1);
			return true;
		}
		/* 株式会社 also comes first: 株式会社ソニー */
		if (key->len > n && !strncmp(key->ptr, cjk_suffixes[i], n)) {
			memmove(key->ptr, key->ptr + n, key->len - n + 1);
			key->len -= n;
			return true;
		}
	}
	return false;
}

int crm_match_name_key(struct crm_buf *out, const char *name)
{
	struct crm_buf key = CRM_BUF_INIT;
	int err = crm_utf8_match_key(&key, name);

	while (!err && strip_suffix(&key))
		;
	if (!err)
		err = crm_buf_add(out, key.ptr, key.len);
	crm_buf_release(&key);
	return err;
}

static size_t count_cps(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Whether the digits of two names agree: "Branch 12" and "Branch 13" are
 * two companies however close their spelling. */
static bool same_digits(const char *a, const char *b)
{
	for (;;) {
		while (*a && !isdigit((unsigned char)*a))
			a++;
		while (*b && !isdigit((unsigned char)*b))
			b++;
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

double crm_match_similarity(const char *a, const char *b)
{
	size_t la = count_cps(a), lb = count_cps(b), longer = la > lb ? la : lb, d;

	if (!longer || !same_digits(a, b))
		return 0;
	/* past a fifth of the longer name the score is below 0.8 anyway */
	d = crm_edit_distance(a, b, longer / 5 + 1);
	return d > longer ? 0 : 1.0 - (double)d / (double)longer;
}

void crm_matcher_init(struct crm_matcher *m)
{
	memset(m, 0, sizeof(*m));
	crm_arena_init(&m->arena);
}

void crm_matcher_release(struct crm_matcher *m)
{
	size_t i;
	for (i = 0; i < m->blocks.len; i++) {
		CRM_ARRAY(struct crm_match_known *) *b = m->blocks.ptr[i];
		CRM_ARRAY_RELEASE(*b);
		free(b);
	}
	CRM_ARRAY_RELEASE(m->blocks);
	crm_map_release(&m->by_key);
	crm_map_release(&m->loaded);
	crm_arena_release(&m->arena);
}

static const char *make_key(struct crm_matcher *m, const char *type, const char *kind,
			    const char *key)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *k;
	crm_buf_addf(&b, "%s\037%s\037%s", type, kind, key);
	k = crm_arena_strdup(&m->arena, b.ptr);
	crm_buf_release(&b);
	return k;
}

void crm_match_email_key(struct crm_buf *out, const char *email)
{
	const char *p = email;
	while (*p == ' ')
		p++;
	for (; *p && *p != ' '; p++)
		crm_buf_addch(out, tolower((unsigned char)*p));
}

void crm_match_phone_key(struct crm_buf *out, const char *phone)
{
	struct crm_buf d = CRM_BUF_INIT;
	for (; *phone; phone++)
		if (isdigit((unsigned char)*phone))
			crm_buf_addch(&d, *phone);
	if (d.len >= 6)
		crm_buf_adds(out, d.len > 9 ? d.ptr + d.len - 9 : d.ptr);
	crm_buf_release(&d);
}

static int put_unique(struct crm_matcher *m, const char *type, const char *kind,
		      const char *key, struct crm_match_known *k)
{
	const char *mk;
	if (!key || !*key)
		return 0;
	mk = make_key(m, type, kind, key);
	if (!mk)
		return CRM_ENOMEM;
	/* the first record with a key keeps it: later rows match the first */
	if (crm_map_get(&m->by_key, mk))
		return 0;
	return crm_map_put(&m->by_key, mk, k, NULL);
}

static int add_to_block(struct crm_matcher *m, const char *type, const char *name_key,
			struct crm_match_known *k)
{
	CRM_ARRAY(struct crm_match_known *) *b;
	struct crm_match_known **slot;
	struct crm_buf first = CRM_BUF_INIT;
	const char *mk, *sp = strchr(name_key, ' ');
	void **owned;

	crm_buf_add(&first, name_key, sp ? (size_t)(sp - name_key) : strlen(name_key));
	mk = make_key(m, type, "b", first.ptr);
	crm_buf_release(&first);
	if (!mk)
		return CRM_ENOMEM;
	b = crm_map_get(&m->by_key, mk);
	if (!b) {
		b = calloc(1, sizeof(*b));
		owned = CRM_ARRAY_PUSH(m->blocks);
		if (!b || !owned || crm_map_put(&m->by_key, mk, b, NULL)) {
			free(b);
			return crm_error_set(CRM_ENOMEM, "out of memory");
		}
		*owned = b;
	}
	slot = CRM_ARRAY_PUSH(*b);
	if (!slot)
		return CRM_ENOMEM;
	*slot = k;
	return 0;
}

int crm_matcher_add(struct crm_matcher *m, const char *type, const char *id,
		       const char *name, const char *email, const char *phone,
		       long item, size_t row)
{
	struct crm_match_known *k = crm_arena_alloc(&m->arena, sizeof(*k));
	struct crm_buf key = CRM_BUF_INIT;
	int err;

	if (!k)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	memset(k, 0, sizeof(*k));
	k->type = type;
	k->id = crm_arena_strdup(&m->arena, id);
	k->item = item;
	k->row = row;
	err = put_unique(m, type, "id", id, k);
	if (!err && email) {
		crm_match_email_key(&key, email);
		err = put_unique(m, type, "e", key.ptr, k);
		crm_buf_reset(&key);
	}
	if (!err && phone) {
		crm_match_phone_key(&key, phone);
		err = put_unique(m, type, "p", key.ptr, k);
		crm_buf_reset(&key);
	}
	if (!err && name) {
		crm_match_name_key(&key, name);
		k->name_key = crm_arena_strdup(&m->arena, key.ptr);
		err = put_unique(m, type, "n", key.ptr, k);
		if (!err && key.len)
			err = add_to_block(m, type, key.ptr, k);
	}
	crm_buf_release(&key);
	return err;
}

const char *crm_match_first_of_type(const struct crm_schema *s, const struct crm_node *root,
				    enum crm_field_type t)
{
	size_t i;
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].type == t && crm_node_text(root, s->fields[i].name))
			return crm_node_text(root, s->fields[i].name);
	return NULL;
}

int crm_matcher_load(struct crm_matcher *m, struct crm_index *idx,
			const struct crm_schema *s)
{
	struct crm_record **recs;
	size_t i, n;
	int err = 0;

	if (crm_map_get(&m->loaded, s->type))
		return 0;
	err = crm_map_put(&m->loaded, s->type, (void *)s, NULL);
	recs = crm_index_list(idx, s->type, &n);
	for (i = 0; i < n && !err; i++) {
		const struct crm_node *root;
		crm_index_materialize(idx, recs[i]);
		root = recs[i]->root;
		err = crm_matcher_add(m, s->type, recs[i]->id,
					 root ? crm_node_text(root, "name") : NULL,
					 root ? crm_match_first_of_type(s, root, CRM_F_EMAIL) : NULL,
					 root ? crm_match_first_of_type(s, root, CRM_F_PHONE) : NULL, -1, 0);
	}
	return err;
}

struct crm_match_known *crm_matcher_by_id(struct crm_matcher *m, const char *type,
					  const char *id)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_match_known *k;
	crm_buf_addf(&b, "%s\037id\037%s", type, id);
	k = crm_map_get(&m->by_key, b.ptr);
	crm_buf_release(&b);
	return k;
}

static struct crm_match_known *lookup(struct crm_matcher *m, const char *type,
				   const char *kind, const char *key)
{
	struct crm_buf b = CRM_BUF_INIT;
	void *v;
	crm_buf_addf(&b, "%s\037%s\037%s", type, kind, key);
	v = crm_map_get(&m->by_key, b.ptr);
	crm_buf_release(&b);
	return v;
}

/* The closest name of the block; blocks of common first words are
 * compared only up to a bound, which keeps a run linear. */
static bool match_block(struct crm_match *out, struct crm_matcher *m,
			const char *type, const char *name_key)
{
	CRM_ARRAY(struct crm_match_known *) *b;
	struct crm_buf first = CRM_BUF_INIT;
	const char *sp = strchr(name_key, ' ');
	size_t i;
	double best = 0;

	crm_buf_add(&first, name_key, sp ? (size_t)(sp - name_key) : strlen(name_key));
	b = (void *)lookup(m, type, "b", first.ptr);
	crm_buf_release(&first);
	for (i = 0; b && i < b->len && i < 256; i++) {
		double sc = crm_match_similarity(name_key, b->ptr[i]->name_key);
		if (sc >= 0.8 && sc > best) {
			best = sc;
			out->known = b->ptr[i];
			out->score = sc;
			out->how = "name";
		}
	}
	return best > 0;
}

bool crm_matcher_find(struct crm_match *out, struct crm_matcher *m,
			 const char *type, const char *name, const char *email,
			 const char *phone)
{
	struct crm_buf key = CRM_BUF_INIT;
	bool found = false;

	memset(out, 0, sizeof(*out));
	if (email && *email) {
		crm_match_email_key(&key, email);
		out->known = key.len ? lookup(m, type, "e", key.ptr) : NULL;
		out->how = "email";
		crm_buf_reset(&key);
	}
	if (!out->known && phone && *phone) {
		crm_match_phone_key(&key, phone);
		out->known = key.len ? lookup(m, type, "p", key.ptr) : NULL;
		out->how = "phone";
		crm_buf_reset(&key);
	}
	if (!out->known && name && *name) {
		crm_match_name_key(&key, name);
		out->known = key.len ? lookup(m, type, "n", key.ptr) : NULL;
		out->how = "name";
		if (!out->known && key.len)
			match_block(out, m, type, key.ptr);
	}
	if (out->known && !out->score)
		out->score = 1.0;
	found = out->known != NULL;
	crm_buf_release(&key);
	return found;
}
