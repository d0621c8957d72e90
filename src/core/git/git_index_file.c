/* git's index file read as a stream through a small window (the format of
 * git's Documentation/gitformat-index.txt, versions 2 and 3), so that a
 * question about 100 000 entries costs 64 KiB instead of libgit2's index. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/buf.h"
#include "core/git/git_index_file.h"

#define WINDOW      (64 * 1024)
#define HEADER_LEN  12
#define HASH_LEN    20   /* the trailing checksum (zeros with index.skipHash) */
#define EXT_HEAD    8    /* an extension's signature and size */
#define ENTRY_FIXED 62   /* stat data, id and flags before an entry's path */
#define ENTRY_MIN   64   /* the shortest entry: 62 bytes, a 1-byte path, NUL padding */

#define FLAG_ASSUME_VALID 0x8000
#define FLAG_EXTENDED     0x4000
#define FLAG_STAGE        0x3000
#define FLAG_NAME_LEN     0x0fff

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint64_t tell(const struct index_file *f)
{
	return f->at + f->pos;
}

static void seek(struct index_file *f, uint64_t offset)
{
	f->at = offset;
	f->pos = f->len = 0;
}

static void skip(struct index_file *f, uint64_t n)
{
	if (n <= f->len - f->pos)
		f->pos += (size_t)n;
	else
		seek(f, tell(f) + n);
}

/* The next `n` bytes, all before `end`; NULL when the file (or the part
 * that may hold them) ends first, or they do not fit the window. */
static const unsigned char *peek(struct index_file *f, size_t n, uint64_t end)
{
	uint64_t cur = tell(f);

	if (cur > end || n > end - cur || n > WINDOW)
		return NULL;
	if (f->pos + n <= f->len)
		return f->buf + f->pos;
	memmove(f->buf, f->buf + f->pos, f->len - f->pos);
	f->len -= f->pos;
	f->at = cur;
	f->pos = 0;
	while (f->len < n) {
		ssize_t got = pread(f->fd, f->buf + f->len, WINDOW - f->len, (off_t)(f->at + f->len));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return NULL;
		f->len += (size_t)got;
	}
	return f->buf;
}

int index_file_open(struct index_file *f, const char *path)
{
	const unsigned char *p;
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	f->buf = malloc(WINDOW);
	if (f->fd < 0 || !f->buf || fstat(f->fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < HEADER_LEN + HASH_LEN)
		return INDEX_FILE_UNUSUAL;
	f->size = (uint64_t)st.st_size;
	f->mtime_s = (int64_t)st.st_mtim.tv_sec;
	p = peek(f, HEADER_LEN, f->size);
	if (!p || memcmp(p, "DIRC", 4))
		return INDEX_FILE_UNUSUAL;
	f->version = be32(p + 4);
	f->count = be32(p + 8);
	/* version 4 compresses paths against the previous entry's */
	if ((f->version != 2 && f->version != 3) ||
	    (uint64_t)f->count * ENTRY_MIN > f->size - HEADER_LEN - HASH_LEN)
		return INDEX_FILE_UNUSUAL;
	return 0;
}

void index_file_close(struct index_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	free(f->buf);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

/* Reads the entry at the reading position into *e and moves past it. */
static int read_entry(struct index_file *f, struct index_file_entry *e)
{
	uint64_t end = f->size - HASH_LEN;
	const unsigned char *p = peek(f, ENTRY_FIXED, end);
	size_t fixed = ENTRY_FIXED, name_len, size;
	uint16_t flags;

	if (!p)
		return INDEX_FILE_UNUSUAL;
	flags = be16(p + 60);
	/* assumed unchanged, or a conflict's stages: libgit2 knows what they mean */
	if (flags & (FLAG_ASSUME_VALID | FLAG_STAGE))
		return INDEX_FILE_UNUSUAL;
	if (flags & FLAG_EXTENDED) {
		fixed += 2;
		p = f->version >= 3 ? peek(f, fixed, end) : NULL;
		/* skip-worktree, intent-to-add */
		if (!p || be16(p + ENTRY_FIXED))
			return INDEX_FILE_UNUSUAL;
	}
	name_len = flags & FLAG_NAME_LEN;
	if (name_len == FLAG_NAME_LEN) {
		/* 4095 bytes or more: the path ends at its NUL */
		uint64_t left = end - tell(f);
		size_t have = left < WINDOW ? (size_t)left : WINDOW;
		const unsigned char *nul;

		p = have > fixed + FLAG_NAME_LEN ? peek(f, have, end) : NULL;
		if (!p)
			return INDEX_FILE_UNUSUAL;
		nul = memchr(p + fixed + FLAG_NAME_LEN, 0, have - fixed - FLAG_NAME_LEN);
		if (!nul)
			return INDEX_FILE_UNUSUAL;
		name_len = (size_t)(nul - (p + fixed));
	}
	/* NUL padding to a multiple of 8, at least one NUL */
	size = (fixed + name_len + 8) & ~(size_t)7;
	p = name_len ? peek(f, size, end) : NULL;
	if (!p || memchr(p + fixed, 0, name_len) || p[fixed + name_len])
		return INDEX_FILE_UNUSUAL;
	e->ctime_s = (int32_t)be32(p);
	e->ctime_ns = be32(p + 4);
	e->mtime_s = (int32_t)be32(p + 8);
	e->mtime_ns = be32(p + 12);
	e->ino = be32(p + 20);
	e->mode = be32(p + 24);
	e->size = be32(p + 36);
	e->id = p + 40;
	e->path = (const char *)p + fixed;
	e->path_len = name_len;
	f->pos += size;
	return 0;
}

int index_file_each(struct index_file *f, int (*cb)(const struct index_file_entry *e, void *payload),
		    void *payload)
{
	struct index_file_entry e;
	uint32_t i;
	int rc = 0;

	seek(f, HEADER_LEN);
	for (i = 0; i < f->count && !rc; i++) {
		rc = read_entry(f, &e);
		if (!rc)
			rc = cb(&e, payload);
	}
	return rc;
}

/* ---- the cache tree (TREE extension) ---- */

/* One node of the cache tree as stored: its path component, the number of
 * index entries it covers (-1: invalidated, and then no id), the number of
 * subtrees that follow it, depth first. */
struct tree_node {
	const unsigned char *name;
	size_t name_len;
	long entries, subtrees;
	const unsigned char *id;
};

struct cursor {
	const unsigned char *p, *end;
};

/* A decimal number (a '-' allowed when `negative`) ended by `stop`. */
static bool read_number(struct cursor *c, long *out, char stop, bool negative)
{
	bool minus = negative && c->p < c->end && *c->p == '-';
	long value = 0;
	size_t digits = 0;

	if (minus)
		c->p++;
	for (; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++, digits++) {
		if (value > (INT32_MAX - 9) / 10)
			return false;
		value = value * 10 + (*c->p - '0');
	}
	if (!digits || c->p >= c->end || *c->p != stop)
		return false;
	c->p++;
	*out = minus ? -value : value;
	return true;
}

static bool read_node(struct cursor *c, struct tree_node *n)
{
	const unsigned char *nul = memchr(c->p, 0, (size_t)(c->end - c->p));

	if (!nul)
		return false;
	n->name = c->p;
	n->name_len = (size_t)(nul - c->p);
	c->p = nul + 1;
	if (!read_number(c, &n->entries, ' ', true) || !read_number(c, &n->subtrees, '\n', false) ||
	    n->entries < -1)
		return false;
	n->id = NULL;
	if (n->entries >= 0) {
		if (c->end - c->p < HASH_LEN)
			return false;
		n->id = c->p;
		c->p += HASH_LEN;
	}
	return true;
}

/* Moves past the `subtrees` nodes below a node (and theirs). */
static bool skip_nodes(struct cursor *c, long subtrees)
{
	uint64_t pending = (uint64_t)subtrees;
	struct tree_node n;

	while (pending) {
		if (!read_node(c, &n))
			return false;
		pending += (uint64_t)n.subtrees - 1;
	}
	return true;
}

/* The id of the cache-tree node at `prefix` in TREE data [p, end):
 * *known false when it is invalid or absent. */
static int tree_at(const unsigned char *p, size_t len, const char *prefix,
		   unsigned char tree_id[20], bool *known)
{
	struct cursor c = { p, p + len };
	struct tree_node node;
	const char *comp = prefix;

	*known = false;
	if (!read_node(&c, &node) || node.name_len)
		return INDEX_FILE_UNUSUAL;
	if (node.entries < 0)
		return 0;
	while (*comp) {
		const char *slash = strchr(comp, '/');
		size_t comp_len = slash ? (size_t)(slash - comp) : strlen(comp);
		long i, children = node.subtrees;
		bool found = false;

		for (i = 0; i < children && !found; i++) {
			if (!read_node(&c, &node))
				return INDEX_FILE_UNUSUAL;
			found = node.name_len == comp_len && !memcmp(node.name, comp, comp_len);
			if (!found && !skip_nodes(&c, node.subtrees))
				return INDEX_FILE_UNUSUAL;
		}
		if (!found || node.entries < 0)
			return 0;
		comp += comp_len + (slash != NULL);
	}
	memcpy(tree_id, node.id, HASH_LEN);
	*known = true;
	return 0;
}

/* Reads the TREE extension's `len` bytes at the reading position. */
static int read_tree_extension(struct index_file *f, uint64_t len, const char *prefix,
			       unsigned char tree_id[20], bool *known)
{
	unsigned char *data = malloc(len ? (size_t)len : 1);
	uint64_t done = 0;
	int rc = INDEX_FILE_UNUSUAL;

	if (!data)
		return INDEX_FILE_UNUSUAL;
	while (done < len) {
		size_t chunk = len - done < WINDOW ? (size_t)(len - done) : WINDOW;
		const unsigned char *p = peek(f, chunk, f->size - HASH_LEN);
		if (!p)
			goto done;
		memcpy(data + done, p, chunk);
		f->pos += chunk;
		done += chunk;
	}
	rc = tree_at(data, (size_t)len, prefix, tree_id, known);
done:
	free(data);
	return rc;
}

static int read_extensions(struct index_file *f, const char *prefix, unsigned char tree_id[20],
			   bool *known)
{
	uint64_t end = f->size - HASH_LEN;
	bool have_tree = false;

	*known = false;
	while (end - tell(f) >= EXT_HEAD) {
		const unsigned char *p = peek(f, EXT_HEAD, end);
		char sig[4];
		uint64_t len;

		if (!p)
			return INDEX_FILE_UNUSUAL;
		memcpy(sig, p, 4);
		len = be32(p + 4);
		f->pos += EXT_HEAD;
		if (len > end - tell(f))
			return INDEX_FILE_UNUSUAL;
		/* a split index keeps its entries in another file, a sparse one
		 * folders in place of files; lower case: required, unknown */
		if (!memcmp(sig, "link", 4) || !memcmp(sig, "sdir", 4) || sig[0] < 'A' || sig[0] > 'Z')
			return INDEX_FILE_UNUSUAL;
		if (!memcmp(sig, "TREE", 4) && !have_tree) {
			if (read_tree_extension(f, len, prefix, tree_id, known))
				return INDEX_FILE_UNUSUAL;
			have_tree = true;
		} else {
			skip(f, len);
		}
	}
	return tell(f) == end ? 0 : INDEX_FILE_UNUSUAL;
}

/* Each path after the one before it (`prev`, empty for the first: no
 * entry has an empty path), by bytes. */
static int after_previous(const struct index_file_entry *e, void *prev)
{
	struct crm_buf *b = prev;

	if (b->len && strcmp(b->ptr, e->path) >= 0)
		return INDEX_FILE_UNUSUAL;
	crm_buf_reset(b);
	return crm_buf_add(b, e->path, e->path_len) ? INDEX_FILE_UNUSUAL : 0;
}

int index_file_check(struct index_file *f, const char *prefix, unsigned char tree_id[20],
		     bool *tree_known)
{
	struct crm_buf prev = CRM_BUF_INIT;
	/* sorted by path bytes, each path once: what the walks of
	 * index_file_each rely on (libgit2 would sort) */
	int rc = index_file_each(f, after_previous, &prev);

	crm_buf_release(&prev);
	return rc ? rc : read_extensions(f, prefix, tree_id, tree_known);
}
