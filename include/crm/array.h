/* Typed growable arrays with overflow-checked growth (libgit2's git_array_t).
 *   CRM_ARRAY(struct thing) things = CRM_ARRAY_INIT;
 *   struct thing *t = CRM_ARRAY_PUSH(things);   -- NULL when out of memory
 *   CRM_ARRAY_RELEASE(things);                  -- frees the storage only */
#ifndef CRM_ARRAY_H
#define CRM_ARRAY_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define CRM_ARRAY(type) struct { type *ptr; size_t len, cap; }
#define CRM_ARRAY_INIT { NULL, 0, 0 }

/* Grows *ptr (of *cap elements of `size` bytes) to hold at least `need`;
 * returns 0, or CRM_ENOMEM / CRM_EOVERFLOW with the message set. */
int crm_array_grow(void **ptr, size_t *cap, size_t size, size_t need);

#define CRM_ARRAY_RESERVE(a, n) \
	crm_array_grow((void **)&(a).ptr, &(a).cap, sizeof(*(a).ptr), (n))
/* The new slot is zeroed, so half-filled entries never hold garbage. */
#define CRM_ARRAY_PUSH(a) \
	(CRM_ARRAY_RESERVE(a, (a).len + 1) ? NULL \
	 : memset(&(a).ptr[(a).len++], 0, sizeof(*(a).ptr)))
#define CRM_ARRAY_LAST(a) ((a).len ? &(a).ptr[(a).len - 1] : NULL)
#define CRM_ARRAY_RELEASE(a) \
	do { free((a).ptr); (a).ptr = NULL; (a).len = (a).cap = 0; } while (0)

#endif
