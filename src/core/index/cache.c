/* The persistent index cache (see crm/cache.h): one file of entries, each a
 * path, its stat data, its content hash and its tree in a compact encoding
 * (varints, positions as deltas), protected by a checksum over the body. */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crm/buf.h"
#include "core/index/cache.h"
#include "crm/error.h"
#include "crm/map.h"

#define MAGIC "CRMCACHE"
#define VERSION 5u              /* 5: the length is hashed last, so the
				 * writer can hash as it writes */
#define HEADER_SIZE 32          /* magic, version, entry count, body checksum */
#define MAX_TREE_NODES 4096     /* bigger trees are parsed every time */

struct crm_cache_entry {
	const char *path;
	struct crm_file_stamp stamp;
	uint64_t hash;
	const unsigned char *tree;
	size_t tree_len;
};

struct crm_cache {
	const char *data;            /* the whole file, mapped */
	size_t len;
	int64_t written_ns;          /* the file's mtime: newer stamps are racy */
	struct crm_cache_entry *entries;
	size_t n;
	struct crm_map by_path;      /* built on the first out-of-order lookup */
	bool mapped;
	const struct crm_cache_keys *keys;
};

static uint64_t keys_id(const struct crm_cache_keys *k)
{
	return k ? k->id : 0;
}

void crm_file_stamp_from_stat(struct crm_file_stamp *out, const struct stat *st)
{
	out->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	out->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	out->size = (uint64_t)st->st_size;
	out->ino = (uint64_t)st->st_ino;
	out->dev = (uint64_t)st->st_dev;
}

static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

/* FNV-1a over 8-byte words in four independent lanes (the multiplies
 * overlap: the whole cache is hashed on every open), then the tail and
 * the length: any changed byte changes the result with overwhelming
 * likelihood.  In steps, so that the cache's check can let go of what it
 * has read, and its writer hash what it has written. */
static void hash_start(uint64_t lane[4])
{
	lane[0] = 0xcbf29ce484222325ULL;
	lane[1] = 0x84222325cbf29ce4ULL;
	lane[2] = 0x9e3779b97f4a7c15ULL;
	lane[3] = 0xc2b2ae3d27d4eb4fULL;
}

/* Hashes the 32-byte blocks of `len` bytes; returns how many bytes it took. */
static size_t hash_blocks(uint64_t lane[4], const unsigned char *p, size_t len)
{
	uint64_t w[4];
	size_t i = 0, k;

	for (; i + 32 <= len; i += 32) {
		memcpy(w, p + i, 32);
		for (k = 0; k < 4; k++)
			lane[k] = mix(lane[k], w[k]);
	}
	return i;
}

/* The tail of `len` bytes at `p`, after `total` bytes in all. */
static uint64_t hash_finish(const uint64_t lane[4], const unsigned char *p, size_t len,
			    uint64_t total)
{
	uint64_t h = mix(mix(mix(mix(lane[0], lane[1]), lane[2]), lane[3]), total), w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = mix(h, w);
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h ^ (h >> 32);
}

uint64_t crm_cache_hash(const void *data, size_t len)
{
	uint64_t lane[4];
	size_t done;

	hash_start(lane);
	done = hash_blocks(lane, data, len);
	return hash_finish(lane, (const unsigned char *)data + done, len - done, len);
}

/* ---- encoding ---- */

/* The longest varint: 64 bits, seven a byte. */
#define VARINT_MAX 10

/* Writes `v` at `p`, seven bits a byte, low first; returns the byte after. */
static unsigned char *varint_at(unsigned char *p, uint64_t v)
{
	do {
		*p = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			*p |= 0x80;
		p++;
	} while (v);
	return p;
}

static int put_varint(struct crm_buf *b, uint64_t v)
{
	unsigned char tmp[VARINT_MAX];

	return crm_buf_add(b, tmp, (size_t)(varint_at(tmp, v) - tmp));
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int put_u64(struct crm_buf *b, uint64_t v)
{
	return crm_buf_add(b, &v, sizeof(v));
}

struct cursor {
	const unsigned char *p, *end;
	int64_t line, start;         /* of the previous node */
	int bad;
	const struct crm_cache_keys *keys;
};

/* Bits of a node's first byte beside its kind (2 bits) and style (3). */
#define KEY_NAMED 0x20   /* a key written as its place in the key names */
#define END_AT_LEN 0x40  /* a scalar that ends where its text does */

static uint32_t key_bucket(const char *s, size_t len)
{
	uint32_t h = (uint32_t)len * 0x9e3779b1u;

	if (len)
		h ^= (unsigned char)s[0] * 31u + (unsigned char)s[len / 2] * 7u +
		     (unsigned char)s[len - 1];
	return (h ^ (h >> 9)) & (CRM_CACHE_KEY_BUCKETS - 1);
}

/* The number of the name s[0..len), or -1. */
static long key_find(const struct crm_cache_keys *k, const char *s, size_t len)
{
	uint32_t i;

	for (i = k->buckets[key_bucket(s, len)]; i; i = k->next[i - 1]) {
		if (k->lens[i - 1] == len && !memcmp(k->names[i - 1], s, len))
			return (long)(i - 1);
	}
	return -1;
}

int crm_cache_keys_init(struct crm_cache_keys *k, const char *const *names, size_t n)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	if (n >= UINT32_MAX)
		return crm_error_set(CRM_EOVERFLOW, "too many field names");
	k->names = calloc(n + 1, sizeof(*k->names));
	k->lens = calloc(n + 1, sizeof(*k->lens));
	k->next = calloc(n + 1, sizeof(*k->next));
	if (!k->names || !k->lens || !k->next) {
		crm_cache_keys_release(k);
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	k->id = crm_cache_hash("keys", 4);
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		uint32_t b = key_bucket(names[i], len);

		if (key_find(k, names[i], len) >= 0)
			continue;   /* the first place of a name is its number */
		k->names[k->n] = names[i];
		k->lens[k->n] = (uint32_t)len;
		k->next[k->n] = k->buckets[b];
		k->buckets[b] = (uint32_t)k->n + 1;
		k->id = (k->id ^ crm_cache_hash(names[i], len + 1)) * 0x100000001b3ULL;
		k->n++;
	}
	return 0;
}

void crm_cache_keys_release(struct crm_cache_keys *k)
{
	free(k->names);
	free(k->lens);
	free(k->next);
	memset(k, 0, sizeof(*k));
}

static size_t key_number(const struct crm_cache_keys *k, const struct crm_node *key)
{
	if (!k || key->style != CRM_STYLE_PLAIN || key->end - key->start != key->len)
		return 0;
	return (size_t)(key_find(k, key->text, key->len) + 1);
}

static uint64_t get_varint(struct cursor *c)
{
	uint64_t v = 0;
	int shift = 0;

	while (c->p < c->end && shift < 64) {
		unsigned char byte = *c->p++;
		v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80))
			return v;
		shift += 7;
	}
	c->bad = 1;
	return 0;
}

static uint64_t get_u64(struct cursor *c)
{
	uint64_t v = 0;
	if ((size_t)(c->end - c->p) < sizeof(v)) {
		c->bad = 1;
		return 0;
	}
	memcpy(&v, c->p, sizeof(v));
	c->p += sizeof(v);
	return v;
}

/* A node: kind and style, line and start as deltas from the previous
 * node, column, length in bytes (left out when a scalar ends where its
 * text does); then the text (a key: its number among the key names, when
 * it is one of them), or the children. */
static int encode_node(struct crm_buf *b, const struct crm_node *n, int64_t *line,
		       int64_t *start, size_t *budget, const struct crm_cache_keys *keys,
		       bool is_key)
{
	size_t i, named = is_key ? key_number(keys, n) : 0;
	bool end_at_len = n->kind == CRM_NODE_SCALAR && n->end - n->start == n->len;
	unsigned char *p;
	int err;

	if (!*budget)
		return CRM_EOVERFLOW;
	(*budget)--;
	/* the head written in place, after one check of room for its byte
	 * and five numbers: a cold load encodes every node it parses */
	if (crm_buf_grow(b, 1 + 5 * VARINT_MAX))
		return CRM_ENOMEM;
	p = (unsigned char *)b->ptr + b->len;
	*p++ = (unsigned char)(n->kind | (n->style << 2) | (named ? KEY_NAMED : 0) |
			       (end_at_len ? END_AT_LEN : 0));
	p = varint_at(p, zigzag((int64_t)n->line - *line));
	p = varint_at(p, (uint64_t)n->col);
	p = varint_at(p, zigzag((int64_t)n->start - *start));
	if (!end_at_len)
		p = varint_at(p, (uint64_t)(n->end - n->start));
	*line = n->line;
	*start = (int64_t)n->start;
	if (named)
		p = varint_at(p, named - 1);
	else
		p = varint_at(p, n->kind == CRM_NODE_SCALAR ? n->len : n->count);
	b->len = (size_t)(p - (unsigned char *)b->ptr);
	b->ptr[b->len] = '\0';
	if (named)
		return 0;
	/* a scalar's text with its NUL, so that a loaded tree points into the
	 * cache */
	if (n->kind == CRM_NODE_SCALAR)
		return crm_buf_add(b, n->text, n->len + 1) ? CRM_ENOMEM : 0;
	err = 0;
	for (i = 0; i < n->count && !err; i++) {
		if (n->kind == CRM_NODE_MAP) {
			err = encode_node(b, n->pairs[i].key, line, start, budget, keys, true);
			if (!err)
				err = encode_node(b, n->pairs[i].value, line, start, budget, keys,
						  false);
		} else {
			err = encode_node(b, n->items[i], line, start, budget, keys, false);
		}
	}
	return err;
}

/* Moves a position by a delta read from the cache, in unsigned arithmetic
 * (a corrupt delta must not overflow a signed sum), and marks the cursor
 * bad when the result leaves [0, max]. */
static int64_t step_position(struct cursor *c, int64_t from, int64_t max)
{
	uint64_t zz = get_varint(c);
	uint64_t magnitude = zz >> 1;
	uint64_t at = (uint64_t)from;

	if (zz & 1) {               /* negative: -(magnitude + 1) */
		if (magnitude >= at) {
			c->bad = 1;
			return 0;
		}
		return (int64_t)(at - magnitude - 1);
	}
	if (magnitude > (uint64_t)max - at) {
		c->bad = 1;
		return 0;
	}
	return (int64_t)(at + magnitude);
}

/* A varint that must fit in [0, max]; the cursor goes bad otherwise. */
static uint64_t get_bounded(struct cursor *c, uint64_t max)
{
	uint64_t v = get_varint(c);

	if (v > max)
		c->bad = 1;
	return v > max ? 0 : v;
}

static struct crm_node *decode_node(struct cursor *c, struct crm_arena *arena, int depth,
				    bool key)
{
	struct crm_node *n;
	unsigned kind_style;
	uint64_t count, i, len;

	if (c->p >= c->end || depth > CRM_YAML_MAX_DEPTH) {
		c->bad = 1;
		return NULL;
	}
	kind_style = *c->p++;
	/* every field is set below: the node is not zeroed first */
	n = crm_arena_alloc_raw(arena, sizeof(*n));
	if (!n || (kind_style & 3) > CRM_NODE_SEQ || ((kind_style >> 2) & 7) > CRM_STYLE_FOLDED ||
	    (kind_style & 0x80) ||
	    ((kind_style & KEY_NAMED) && (!key || (kind_style & 3) != CRM_NODE_SCALAR))) {
		c->bad = 1;
		return NULL;
	}
	n->kind = (enum crm_node_kind)(kind_style & 3);
	n->style = (enum crm_scalar_style)((kind_style >> 2) & 7);
	/* positions stay within what a record file can have: a corrupt
	 * entry is refused, never wrapped around */
	c->line = step_position(c, c->line, INT_MAX);
	n->line = (int)c->line;
	n->col = (int)get_bounded(c, INT_MAX);
	c->start = step_position(c, c->start, INT32_MAX);
	n->start = (size_t)c->start;
	n->end = (kind_style & END_AT_LEN) ? 0 : n->start + (size_t)get_bounded(c, INT32_MAX);
	if (c->bad)
		return NULL;
	n->weight = 1;
	n->text = NULL;
	n->len = 0;
	n->pairs = NULL;
	n->count = 0;
	if (kind_style & KEY_NAMED) {
		uint64_t number = get_varint(c);
		if (c->bad || !c->keys || number >= c->keys->n) {
			c->bad = 1;
			return NULL;
		}
		n->text = c->keys->names[number];
		n->len = c->keys->lens[number];
		n->end = n->start + n->len;
		return n;
	}
	if (n->kind == CRM_NODE_SCALAR) {
		len = get_varint(c);
		if (c->bad || len >= (uint64_t)(c->end - c->p) || c->p[len] ||
		    memchr(c->p, '\0', (size_t)len)) {
			c->bad = 1;
			return NULL;
		}
		n->text = (const char *)c->p;
		n->len = (size_t)len;
		if (kind_style & END_AT_LEN)
			n->end = n->start + n->len;
		c->p += len + 1;
		return n;
	}
	count = get_varint(c);
	/* every child takes at least five bytes */
	if (c->bad || (kind_style & END_AT_LEN) || count > (uint64_t)(c->end - c->p) / 5) {
		c->bad = 1;
		return NULL;
	}
	n->count = (size_t)count;
	/* not zeroed either: each slot is set below, and the one past the
	 * last (lists end in it) here */
	if (n->kind == CRM_NODE_MAP) {
		n->pairs = crm_arena_alloc_raw(arena, sizeof(*n->pairs) * (n->count + 1));
		if (n->pairs)
			n->pairs[count].key = n->pairs[count].value = NULL;
	} else {
		n->items = crm_arena_alloc_raw(arena, sizeof(*n->items) * (n->count + 1));
		if (n->items)
			n->items[count] = NULL;
	}
	if (!n->pairs) {
		c->bad = 1;
		return NULL;
	}
	for (i = 0; i < count && !c->bad; i++) {
		struct crm_node *kid;
		if (n->kind == CRM_NODE_MAP) {
			kid = decode_node(c, arena, depth + 1, true);
			if (!kid || kid->kind != CRM_NODE_SCALAR) {
				c->bad = 1;
				break;
			}
			n->pairs[i].key = kid;
			n->weight += kid->weight;
			kid = decode_node(c, arena, depth + 1, false);
			n->pairs[i].value = kid;
		} else {
			kid = decode_node(c, arena, depth + 1, false);
			n->items[i] = kid;
		}
		if (kid)
			n->weight += kid->weight;
	}
	return c->bad ? NULL : n;
}

struct crm_node *crm_cache_decode(const void *bytes, size_t len, struct crm_arena *arena,
				  const struct crm_cache_keys *keys)
{
	const unsigned char *p = bytes;
	struct cursor c = { p, p + len, 1, 0, 0, keys };
	struct crm_node *root = decode_node(&c, arena, 0, false);

	if (c.bad || c.p != c.end || !root || root->kind != CRM_NODE_MAP)
		return NULL;
	return root;
}

struct crm_node *crm_cache_tree(const struct crm_cache *c, const struct crm_cache_entry *e,
			       struct crm_arena *arena)
{
	return crm_cache_decode(e->tree, e->tree_len, arena, c->keys);
}

int crm_cache_encode(struct crm_buf *out, const struct crm_node *root,
		     const struct crm_cache_keys *keys)
{
	int64_t line = 1, start = 0;
	size_t budget = MAX_TREE_NODES;

	return encode_node(out, root, &line, &start, &budget, keys, false);
}

void crm_cache_shed(const struct crm_cache *c)
{
	if (c)
		madvise((void *)c->data, c->len, MADV_DONTNEED);
}

/* Gives back the whole pages of the mapped file before `upto`: a pass over
 * the file (its checksum, its entries) holds a few MiB of it at a time,
 * not the file, which at a million records is hundreds of MiB. */
static void shed_before(const struct crm_cache *c, const void *upto)
{
	size_t page = 4096, n = (size_t)((const char *)upto - c->data) / page * page;

	if (n)
		madvise((void *)c->data, n, MADV_DONTNEED);
}

void crm_cache_shed_before(const struct crm_cache *c, const void *upto)
{
	uintptr_t at = (uintptr_t)upto, first = c ? (uintptr_t)c->data : 0;

	/* bytes of the mapped file only: an encoding made since (in an
	 * arena) is no place in it */
	if (c && at > first && at <= first + c->len)
		shed_before(c, upto);
}

/* The checksum of the body, read in steps of CRM_CACHE_SHED_STEP (a
 * multiple of the 32-byte blocks) with what is behind let go. */
static uint64_t body_sum(const struct crm_cache *c)
{
	const unsigned char *p = (const unsigned char *)c->data + HEADER_SIZE;
	size_t len = c->len - HEADER_SIZE, done = 0;
	uint64_t lane[4];

	hash_start(lane);
	while (len - done >= CRM_CACHE_SHED_STEP) {
		done += hash_blocks(lane, p + done, CRM_CACHE_SHED_STEP);
		shed_before(c, p + done);
	}
	done += hash_blocks(lane, p + done, len - done);
	return hash_finish(lane, p + done, len - done, len);
}

/* ---- reading ---- */

static bool read_stamp(struct cursor *c, struct crm_file_stamp *s)
{
	s->mtime_ns = (int64_t)get_u64(c);
	s->ctime_ns = (int64_t)get_u64(c);
	s->size = get_u64(c);
	s->ino = get_u64(c);
	s->dev = get_u64(c);
	return !c->bad;
}

static bool parse_entries(struct crm_cache *c, const char *root, uint64_t count)
{
	struct cursor cur = { (const unsigned char *)c->data + HEADER_SIZE,
			      (const unsigned char *)c->data + c->len, 0, 0, 0, NULL };
	uint64_t len, i;

	len = get_varint(&cur);
	if (cur.bad || len > (uint64_t)(cur.end - cur.p) || strlen(root) != len ||
	    memcmp(cur.p, root, (size_t)len))
		return false;   /* another repository's cache (a moved folder) */
	cur.p += len;
	if (get_u64(&cur) != keys_id(c->keys))
		return false;   /* written with other key names (the schemas changed) */
	if (count > (uint64_t)(cur.end - cur.p) / 48)
		return false;
	c->entries = calloc((size_t)count + 1, sizeof(*c->entries));
	if (!c->entries)
		return false;
	for (i = 0; i < count; i++) {
		struct crm_cache_entry *e = &c->entries[i];
		len = get_varint(&cur);
		/* paths are stored with their NUL */
		if (cur.bad || !len || len > (uint64_t)(cur.end - cur.p) || cur.p[len - 1])
			return false;
		e->path = (const char *)cur.p;
		if (strlen(e->path) != len - 1)
			return false;
		cur.p += len;
		if (!read_stamp(&cur, &e->stamp))
			return false;
		e->hash = get_u64(&cur);
		len = get_varint(&cur);
		if (cur.bad || len > (uint64_t)(cur.end - cur.p))
			return false;
		e->tree = cur.p;
		e->tree_len = (size_t)len;
		cur.p += len;
		if (i % 8192 == 8191)
			shed_before(c, cur.p);
	}
	c->n = (size_t)count;
	return cur.p == cur.end;
}

int crm_cache_open(struct crm_cache **out, const char *path, const char *root,
		   const struct crm_cache_keys *keys)
{
	struct crm_cache *c;
	struct stat st;
	uint64_t version, count, sum;
	void *map;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < HEADER_SIZE ||
	    (uint64_t)st.st_size >= CRM_BUF_MAX) {
		close(fd);
		return 0;
	}
	/* mapped, not read: a command that decodes a few records touches a
	 * few pages, and nothing is copied.  Writers replace the file by
	 * rename, so the mapped one never changes under us. */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return 0;
	c = calloc(1, sizeof(*c));
	if (!c) {
		munmap(map, (size_t)st.st_size);
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	c->len = (size_t)st.st_size;
	c->data = map;
	c->keys = keys;
	c->written_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	if (memcmp(c->data, MAGIC, 8))
		goto unusable;
	memcpy(&version, c->data + 8, 8);
	memcpy(&count, c->data + 16, 8);
	memcpy(&sum, c->data + 24, 8);
	if (version != VERSION ||
	    sum != body_sum(c) ||
	    !parse_entries(c, root, count))
		goto unusable;
	crm_cache_shed(c);   /* the checksum read every page: keep none */
	*out = c;
	return 0;
unusable:
	crm_cache_free(c);
	return 0;
}

void crm_cache_free(struct crm_cache *c)
{
	if (!c)
		return;
	crm_map_release(&c->by_path);
	free(c->entries);
	munmap((void *)c->data, c->len);
	free(c);
}

size_t crm_cache_count(const struct crm_cache *c)
{
	return c ? c->n : 0;
}

const struct crm_cache_entry *crm_cache_entry_at(const struct crm_cache *c, size_t i)
{
	return &c->entries[i];
}

const char *crm_cache_entry_path(const struct crm_cache_entry *e)
{
	return e->path;
}

const struct crm_file_stamp *crm_cache_entry_stamp(const struct crm_cache_entry *e)
{
	return &e->stamp;
}

const struct crm_cache_entry *crm_cache_find(struct crm_cache *c, const char *path,
					     size_t hint)
{
	size_t i;

	if (!c)
		return NULL;
	if (hint < c->n && !strcmp(c->entries[hint].path, path))
		return &c->entries[hint];
	if (!c->mapped) {
		c->mapped = true;
		for (i = 0; i < c->n; i++) {
			if (crm_map_put(&c->by_path, c->entries[i].path, &c->entries[i], NULL)) {
				crm_map_release(&c->by_path);
				return NULL;
			}
		}
	}
	return crm_map_get(&c->by_path, path);
}

enum crm_cache_match crm_cache_match(const struct crm_cache *c,
				     const struct crm_cache_entry *e,
				     const struct crm_file_stamp *now)
{
	const struct crm_file_stamp *was = &e->stamp;

	if (was->size != now->size)
		return CRM_CACHE_MISS;
	if (was->mtime_ns == now->mtime_ns && was->ctime_ns == now->ctime_ns &&
	    was->ino == now->ino && was->dev == now->dev &&
	    now->mtime_ns < c->written_ns && now->ctime_ns < c->written_ns)
		return CRM_CACHE_HIT;
	return CRM_CACHE_VERIFY;
}

uint64_t crm_cache_entry_hash(const struct crm_cache_entry *e)
{
	return e->hash;
}

const void *crm_cache_entry_bytes(const struct crm_cache_entry *e, size_t *len)
{
	*len = e->tree_len;
	return e->tree;
}

/* ---- writing ---- */

/* The cache file as it is written: the body goes out in steps of
 * CRM_CACHE_SHED_STEP, hashed on the way, so a million records' cache is
 * never whole in memory; the header, which holds the body's sum, goes in
 * last. */
struct cache_out {
	int fd;
	const char *name;
	struct crm_buf pending;        /* body bytes not yet written */
	uint64_t lane[4];
	uint64_t written;              /* body bytes written and hashed */
	int err;
};

static void out_write(struct cache_out *o, const void *p, size_t len, off_t at)
{
	size_t done = 0;

	while (!o->err && done < len) {
		ssize_t w = pwrite(o->fd, (const char *)p + done, len - done, at + (off_t)done);
		if (w <= 0)
			o->err = crm_error_errno(CRM_EIO, "cannot write '%s'", o->name);
		else
			done += (size_t)w;
	}
}

/* Writes out the whole hash blocks pending (all of it when `last`: the
 * tail is hashed by hash_finish). */
static void out_flush(struct cache_out *o, bool last)
{
	size_t n = last ? o->pending.len : hash_blocks(o->lane, (const unsigned char *)
						       o->pending.ptr, o->pending.len);

	out_write(o, o->pending.ptr, n, (off_t)(HEADER_SIZE + o->written));
	if (last)
		return;
	o->written += n;
	memmove(o->pending.ptr, o->pending.ptr + n, o->pending.len - n);
	crm_buf_truncate(&o->pending, o->pending.len - n);
}

/* One file's entry, or nothing for a file left unparsed or too big to be
 * worth it (parsed every time). */
static int put_entry(struct cache_out *o, struct crm_buf *tree, const struct crm_cache_item *it,
		     const struct crm_cache_keys *keys, uint64_t *count)
{
	struct crm_buf *b = &o->pending;
	int err = 0;

	crm_buf_reset(tree);
	if (it->encoded)
		err |= crm_buf_add(tree, it->encoded, it->encoded_len);
	else if (!it->root || crm_cache_encode(tree, it->root, keys))
		return 0;
	err |= put_varint(b, strlen(it->path) + 1);
	err |= crm_buf_add(b, it->path, strlen(it->path) + 1);
	err |= put_u64(b, (uint64_t)it->stamp.mtime_ns);
	err |= put_u64(b, (uint64_t)it->stamp.ctime_ns);
	err |= put_u64(b, it->stamp.size);
	err |= put_u64(b, it->stamp.ino);
	err |= put_u64(b, it->stamp.dev);
	err |= put_u64(b, it->hash);
	err |= put_varint(b, tree->len);
	err |= crm_buf_add(b, tree->ptr, tree->len);
	(*count)++;
	if (!err && b->len >= CRM_CACHE_SHED_STEP)
		out_flush(o, false);
	return err ? crm_error_set(CRM_ENOMEM, "out of memory") : o->err;
}

int crm_cache_write(const char *path, const char *root, const struct crm_cache_keys *keys,
		    const struct crm_cache_item *items, size_t n)
{
	struct crm_buf tree = CRM_BUF_INIT, tmp = CRM_BUF_INIT;
	struct cache_out o;
	unsigned char header[HEADER_SIZE];
	uint64_t count = 0, version = VERSION, sum;
	size_t i;
	int err = 0;

	memset(&o, 0, sizeof(o));
	crm_buf_init(&o.pending);
	hash_start(o.lane);
	/* a temporary file of our own, renamed over the cache: readers see
	 * the old file or the new one, never a mix; the checksum catches a
	 * file a crash left unwritten */
	crm_buf_addf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	o.name = tmp.ptr;
	o.fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (o.fd < 0) {
		err = crm_error_errno(CRM_EIO, "cannot write '%s'", tmp.ptr);
		goto done;
	}
	err = put_varint(&o.pending, strlen(root)) | crm_buf_adds(&o.pending, root) |
	      put_u64(&o.pending, keys_id(keys));
	if (err)
		err = crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < n && !err; i++)
		err = put_entry(&o, &tree, &items[i], keys, &count);
	if (!err) {
		out_flush(&o, false);   /* what is left is less than a block */
		sum = hash_finish(o.lane, (const unsigned char *)o.pending.ptr, o.pending.len,
				  o.written + o.pending.len);
		out_flush(&o, true);
		memcpy(header, MAGIC, 8);
		memcpy(header + 8, &version, 8);
		memcpy(header + 16, &count, 8);
		memcpy(header + 24, &sum, 8);
		out_write(&o, header, sizeof(header), 0);
		err = o.err;
	}
	if (close(o.fd) && !err)
		err = crm_error_errno(CRM_EIO, "cannot write '%s'", tmp.ptr);
	if (!err && rename(tmp.ptr, path))
		err = crm_error_errno(CRM_EIO, "cannot rename '%s'", tmp.ptr);
	if (err)
		unlink(tmp.ptr);
done:
	crm_buf_release(&o.pending);
	crm_buf_release(&tree);
	crm_buf_release(&tmp);
	return err;
}
