/* Bump allocator for loaded records: everything allocated from an arena is
 * freed by one crm_arena_release() (libgit2's git_pool).  Setting the
 * environment variable CRM_ARENA_MALLOC=1 makes every allocation a separate
 * malloc, so AddressSanitizer and valgrind see each object's bounds. */
#ifndef CRM_ARENA_H
#define CRM_ARENA_H

#include <stddef.h>

struct crm_arena_chunk;

struct crm_arena {
	struct crm_arena_chunk *chunks;
	size_t used;        /* bytes used in the newest chunk */
	size_t total;       /* bytes handed out, for statistics */
	int debug_malloc;   /* one malloc per allocation */
};

#define CRM_ARENA_INIT { NULL, 0, 0, -1 }

void crm_arena_init(struct crm_arena *a);
/* Frees every allocation made from `a`; `a` may be reused afterwards. */
void crm_arena_release(struct crm_arena *a);
/* Frees every allocation made from `a` but keeps one chunk for the next:
 * for an arena that serves one file at a time. */
void crm_arena_reset(struct crm_arena *a);
/* Zeroed, max-aligned memory; NULL only when out of memory. */
void *crm_arena_alloc(struct crm_arena *a, size_t size);
/* crm_arena_alloc without the zeroing, for a caller that sets every byte
 * it reads (the cache's decoder: zeroing each node was a tenth of it). */
void *crm_arena_alloc_raw(struct crm_arena *a, size_t size);
/* A copy of `n` bytes, packed like texts (bytes need no alignment; the
 * texts and copies are not zeroed beyond what they copy). */
void *crm_arena_memdup(struct crm_arena *a, const void *p, size_t n);
char *crm_arena_strdup(struct crm_arena *a, const char *s);
char *crm_arena_strndup(struct crm_arena *a, const char *s, size_t n);
char *crm_arena_printf(struct crm_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Moves every allocation of `from` into `into`, which releases them with
 * its own; `from` is left empty.  What `into` hands out next still comes
 * from its own newest chunk. */
void crm_arena_adopt(struct crm_arena *into, struct crm_arena *from);

#endif
