/* The persistent index cache: every record file's parsed tree, keyed on the
 * file's stat data and a hash of its bytes, kept in one file in the git
 * directory so that a warm command stats the files instead of parsing them.
 * A changed file (any tool: an editor, git checkout, git pull) misses; a
 * corrupt, truncated or foreign-version cache is ignored; writers replace
 * the file by rename, so a reader never sees half of one. */
#ifndef CRM_CACHE_H
#define CRM_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "crm/git.h"          /* struct crm_file_stamp */
#include "crm/map.h"
#include "crm/node.h"

struct crm_buf;
struct crm_cache;
struct crm_cache_entry;

#define CRM_CACHE_KEY_BUCKETS 512

/* Key names written as numbers: a repository's field names, so that
 * "amount:" costs a byte or two in the cache and in memory instead of its
 * text.  The names must outlive every tree decoded with them; a cache
 * written with other names (schemas changed) is not used. */
struct crm_cache_keys {
	const char **names;
	uint32_t *lens;           /* strlen of each name, for the decoder */
	size_t n;
	/* name -> number: chains of numbers + 1 by a hash of a few bytes
	 * (the encoder asks it for every key of every record parsed) */
	uint32_t buckets[CRM_CACHE_KEY_BUCKETS];
	uint32_t *next;
	uint64_t id;              /* the names, hashed in order */
};
/* The first of equal names keeps its place. */
int crm_cache_keys_init(struct crm_cache_keys *k, const char *const *names, size_t n);
void crm_cache_keys_release(struct crm_cache_keys *k);

/* One file for crm_cache_write: its path (relative to the data
 * repository), stamp, content hash and parsed tree. */
struct crm_cache_item {
	const char *path;
	struct crm_file_stamp stamp;
	uint64_t hash;
	const struct crm_node *root;
	const void *encoded;          /* instead of root: the tree as
					 crm_cache_encode gave it, copied as it is */
	size_t encoded_len;
};

void crm_file_stamp_from_stat(struct crm_file_stamp *out, const struct stat *st);
/* The content id of a file's bytes (64-bit, not cryptographic). */
uint64_t crm_cache_hash(const void *data, size_t len);

/* Reads the cache file `path` for the data repository `root`.  *out is
 * NULL (and 0 returned) when there is no usable cache: absent, corrupt,
 * another version or another repository.  Only memory fails. */
int crm_cache_open(struct crm_cache **out, const char *path, const char *root,
		   const struct crm_cache_keys *keys);
void crm_cache_free(struct crm_cache *c);
size_t crm_cache_count(const struct crm_cache *c);

/* The entry for `path`, or NULL.  `hint` is where it is expected (files
 * come in the order they were written), to skip the hash lookup. */
const struct crm_cache_entry *crm_cache_find(struct crm_cache *c, const char *path,
					     size_t hint);

/* The cache's entries in the order they were written (i < crm_cache_count). */
const struct crm_cache_entry *crm_cache_entry_at(const struct crm_cache *c, size_t i);
const char *crm_cache_entry_path(const struct crm_cache_entry *e);
const struct crm_file_stamp *crm_cache_entry_stamp(const struct crm_cache_entry *e);

enum crm_cache_match {
	CRM_CACHE_MISS,       /* changed: read and parse the file */
	CRM_CACHE_HIT,        /* same stat data: use the tree */
	CRM_CACHE_VERIFY      /* stat data differs, size does not: compare hashes */
};
/* Compares a file's current stamp with the entry's.  Entries whose times
 * are not older than the cache file itself are never trusted (git's racy
 * timestamps: a change within the same clock tick keeps the stamp). */
enum crm_cache_match crm_cache_match(const struct crm_cache *c,
				     const struct crm_cache_entry *e,
				     const struct crm_file_stamp *now);
uint64_t crm_cache_entry_hash(const struct crm_cache_entry *e);
/* Rebuilds the entry's tree in `arena`; NULL when the entry does not decode
 * (treat as a miss).  The tree's texts point into the cache, which must
 * outlive it.  Safe from several threads at once. */
struct crm_node *crm_cache_tree(const struct crm_cache *c, const struct crm_cache_entry *e,
			       struct crm_arena *arena);

/* Encodes a tree as the cache keeps it (varints, positions as deltas, texts
 * as they are, each with its NUL); CRM_EOVERFLOW for a tree larger than the
 * cache keeps, CRM_ENOMEM. */
int crm_cache_encode(struct crm_buf *out, const struct crm_node *root,
		     const struct crm_cache_keys *keys);
/* Rebuilds a tree from `len` bytes of crm_cache_encode in `arena`; NULL
 * when they do not decode.  The texts point into the bytes, which must
 * outlive the tree. */
struct crm_node *crm_cache_decode(const void *bytes, size_t len, struct crm_arena *arena,
				  const struct crm_cache_keys *keys);
/* Gives the mapped cache's pages back to the system.  Pointers into it stay
 * valid: a page touched again is read back from the page cache.  A command
 * that has walked the whole cache keeps only what it uses. */
void crm_cache_shed(const struct crm_cache *c);
/* The same for the pages before `upto`, when it points into the mapped
 * file (else nothing): a pass over the entries in file order that calls it
 * every CRM_CACHE_SHED_STEP bytes holds a few MiB of the file at a time. */
void crm_cache_shed_before(const struct crm_cache *c, const void *upto);
/* How far a pass over the cache (the checksum, the writing, a search of
 * every entry) reads before it lets what is behind go. */
#define CRM_CACHE_SHED_STEP ((size_t)4 << 20)

/* The entry's encoded tree.  Texts are stored in it byte for byte, so a
 * tree that does not contain a string anywhere in these bytes has no value
 * that contains it: searches pass such entries over without decoding. */
const void *crm_cache_entry_bytes(const struct crm_cache_entry *e, size_t *len);

/* Writes the cache file `path` for `root` with `items` (a temporary file
 * renamed over it).  Trees larger than a limit are left out. */
int crm_cache_write(const char *path, const char *root, const struct crm_cache_keys *keys,
		    const struct crm_cache_item *items, size_t n);

#endif
