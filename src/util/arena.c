/* Bump allocator in chunks; large requests get a chunk of their own. */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "crm/arena.h"

#define ALIGN_TO ((size_t)16)

struct crm_arena_chunk {
	struct crm_arena_chunk *next;
	size_t size;
	_Alignas(16) unsigned char data[];
};

/* A chunk for small requests is 64 KiB with its header, so that 32 fill a
 * slab (below) exactly. */
#define CHUNK_BYTES ((size_t)64 * 1024)
#define CHUNK_SIZE (CHUNK_BYTES - offsetof(struct crm_arena_chunk, data))

/* The chunks for small requests come from slabs of 2 MiB, aligned so that
 * the kernel can back each with one huge page (MADV_HUGEPAGE, where
 * transparent huge pages are on at all): a cold dashboard of 10 000
 * records took 4 700 page faults, most of them in fresh chunks of arenas,
 * and a fault costs more than clearing its 4 KiB.  A released chunk goes on
 * a list the next arena takes from, as malloc's free lists would keep it;
 * slabs stay until exit.  Under AddressSanitizer chunks stay malloc's,
 * whose red zones find a write past one. */
#define SLAB_SIZE ((size_t)2 * 1024 * 1024)
#if defined(__SANITIZE_ADDRESS__)
#define USE_SLABS 0
#else
#define USE_SLABS 1
#endif

/* valgrind sees a slab as memory it cannot check (mapped, zeroed): a chunk
 * handed out is marked unwritten and a chunk given back unreachable, as
 * malloc and free would have it, so a read of bytes never set and a use
 * after release are still found (no-ops outside valgrind). */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#endif
#endif
#ifndef VALGRIND_MAKE_MEM_UNDEFINED
#define VALGRIND_MAKE_MEM_UNDEFINED(p, n) ((void)(p), (void)(n))
#define VALGRIND_MAKE_MEM_NOACCESS(p, n) ((void)(p), (void)(n))
#endif

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct crm_arena_chunk *pool_free;
static unsigned char *slab_next, *slab_end;

/* A fresh slab at a multiple of its size: twice the room mapped, the
 * ends unmapped.  NULL when the system will not map it. */
static unsigned char *map_slab(void)
{
	unsigned char *p = mmap(NULL, 2 * SLAB_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t head;

	if (p == MAP_FAILED)
		return NULL;
	head = (SLAB_SIZE - (uintptr_t)p % SLAB_SIZE) % SLAB_SIZE;
	if (head)
		munmap(p, head);
	munmap(p + head + SLAB_SIZE, SLAB_SIZE - head);
	p += head;
	madvise(p, SLAB_SIZE, MADV_HUGEPAGE);   /* advice: refused is fine */
	return p;
}

static struct crm_arena_chunk *pool_take(void)
{
	struct crm_arena_chunk *c = NULL;

	pthread_mutex_lock(&pool_lock);
	if (pool_free) {
		c = pool_free;
		pool_free = c->next;
	} else {
		if (slab_next == slab_end && (slab_next = map_slab()))
			slab_end = slab_next + SLAB_SIZE;
		if (slab_next) {
			c = (struct crm_arena_chunk *)slab_next;
			slab_next += CHUNK_BYTES;
		}
	}
	pthread_mutex_unlock(&pool_lock);
	if (c)
		VALGRIND_MAKE_MEM_UNDEFINED(c->data, CHUNK_SIZE);
	return c;
}

/* A list of pooled chunks, linked by next, given back in one step. */
static void pool_give(struct crm_arena_chunk *first, struct crm_arena_chunk *last)
{
	pthread_mutex_lock(&pool_lock);
	last->next = pool_free;
	pool_free = first;
	pthread_mutex_unlock(&pool_lock);
}

static bool pooled(const struct crm_arena_chunk *c)
{
	return USE_SLABS && c->size == CHUNK_SIZE;
}

void crm_arena_init(struct crm_arena *a)
{
	a->chunks = NULL;
	a->used = 0;
	a->total = 0;
	a->debug_malloc = -1;
}

void crm_arena_release(struct crm_arena *a)
{
	struct crm_arena_chunk *c = a->chunks, *first = NULL, *last = NULL;

	while (c) {
		struct crm_arena_chunk *next = c->next;
		if (pooled(c)) {
			VALGRIND_MAKE_MEM_NOACCESS(c->data, CHUNK_SIZE);
			c->next = first;
			first = c;
			if (!last)
				last = c;
		} else {
			free(c);
		}
		c = next;
	}
	if (first)
		pool_give(first, last);
	a->chunks = NULL;
	a->used = 0;
	a->total = 0;
}

void crm_arena_reset(struct crm_arena *a)
{
	struct crm_arena_chunk *keep = a->chunks;

	if (a->debug_malloc > 0 || !keep || keep->size != CHUNK_SIZE) {
		crm_arena_release(a);
		return;
	}
	/* the newest chunk serves small requests; those behind it are full
	 * ones or dedicated to a large request */
	a->chunks = keep->next;
	crm_arena_release(a);
	keep->next = NULL;
	a->chunks = keep;
}

void crm_arena_adopt(struct crm_arena *into, struct crm_arena *from)
{
	struct crm_arena_chunk *last = from->chunks;

	if (!last)
		return;
	if (!into->chunks) {
		into->chunks = from->chunks;
		into->used = from->used;
	} else {
		/* behind the newest chunk, which keeps serving */
		while (last->next)
			last = last->next;
		last->next = into->chunks->next;
		into->chunks->next = from->chunks;
	}
	into->total += from->total;
	from->chunks = NULL;
	from->used = 0;
	from->total = 0;
}

/* A chunk of `size` bytes, zeroed only when asked: a scratch arena takes a
 * chunk for every file it parses, and zeroing 64 KiB for a record of a few
 * hundred bytes cost more than parsing it.  crm_arena_alloc zeroes what it
 * hands out instead. */
static struct crm_arena_chunk *new_chunk(size_t size, bool zero)
{
	struct crm_arena_chunk *c = USE_SLABS && size == CHUNK_SIZE ? pool_take() : NULL;

	if (c && zero)
		memset(c->data, 0, size);
	else if (!c)
		c = zero ? calloc(1, sizeof(*c) + size) : malloc(sizeof(*c) + size);
	if (c) {
		c->next = NULL;
		c->size = size;
	}
	return c;
}

/* `size` bytes at a multiple of `align` (a power of two, at most ALIGN_TO),
 * zeroed when `zero` is set. */
static void *arena_take(struct crm_arena *a, size_t size, size_t align, bool zero)
{
	struct crm_arena_chunk *c;
	size_t rounded;

	if (a->debug_malloc < 0) {
		const char *env = getenv("CRM_ARENA_MALLOC");
		a->debug_malloc = env && *env && *env != '0';
	}
	if (size > SIZE_MAX - ALIGN_TO - sizeof(*c))
		return NULL;
	rounded = (size + align - 1) & ~(align - 1);
	if (!rounded)
		rounded = align;
	a->total += rounded;

	if (a->debug_malloc || rounded > CHUNK_SIZE / 4) {
		/* A dedicated chunk, linked behind the current one so the
		 * current chunk keeps serving small requests. */
		c = new_chunk(rounded, zero);
		if (!c)
			return NULL;
		if (a->chunks) {
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else {
			a->chunks = c;
			a->used = rounded;
		}
		return c->data;
	}
	a->used = (a->used + align - 1) & ~(align - 1);
	if (!a->chunks || a->used + rounded > a->chunks->size) {
		c = new_chunk(CHUNK_SIZE, false);
		if (!c)
			return NULL;
		c->next = a->chunks;
		a->chunks = c;
		a->used = 0;
	}
	a->used += rounded;
	if (zero)
		memset(a->chunks->data + a->used - rounded, 0, rounded);
	return a->chunks->data + a->used - rounded;
}

void *crm_arena_alloc(struct crm_arena *a, size_t size)
{
	return arena_take(a, size, ALIGN_TO, true);
}

void *crm_arena_alloc_raw(struct crm_arena *a, size_t size)
{
	return arena_take(a, size, ALIGN_TO, false);
}

/* Text needs no alignment: a million short values would otherwise waste
 * eight bytes each on average. */
static char *arena_text(struct crm_arena *a, size_t size)
{
	return arena_take(a, size, 1, false);
}

char *crm_arena_strndup(struct crm_arena *a, const char *s, size_t n)
{
	char *p = n < SIZE_MAX ? arena_text(a, n + 1) : NULL;
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void *crm_arena_memdup(struct crm_arena *a, const void *p, size_t n)
{
	char *copy = arena_text(a, n ? n : 1);
	if (copy && n)
		memcpy(copy, p, n);
	else if (copy)
		copy[0] = '\0';   /* an empty copy reads as an empty text */
	return copy;
}

char *crm_arena_strdup(struct crm_arena *a, const char *s)
{
	return crm_arena_strndup(a, s, strlen(s));
}

char *crm_arena_printf(struct crm_arena *a, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_text(a, (size_t)n + 1);
	if (!p)
		return NULL;
	if ((size_t)n < sizeof(small)) {
		memcpy(p, small, (size_t)n + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return p;
}
