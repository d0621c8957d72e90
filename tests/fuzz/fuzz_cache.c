/* Fuzz target: the index cache's record encoding.  Any bytes either decode
 * to a tree or are refused (a corrupt cache is a miss, never a crash); a
 * tree that decodes encodes again and decodes to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm/arena.h"
#include "crm/buf.h"
#include "crm/node.h"
#include "core/index/cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "name", "client", "stage", "amount", "tags", "history" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_arena arena = CRM_ARENA_INIT, again_arena = CRM_ARENA_INIT;
	struct crm_buf once = CRM_BUF_INIT, twice = CRM_BUF_INIT;
	struct crm_cache_keys keys;
	struct crm_node *root, *again;
	/* an exact-size copy, so a read past the end is the sanitizer's */
	void *bytes = malloc(size ? size : 1);

	if (!bytes || crm_cache_keys_init(&keys, names, sizeof(names) / sizeof(*names))) {
		free(bytes);
		return 0;
	}
	memcpy(bytes, data, size);
	root = crm_cache_decode(bytes, size, &arena, &keys);
	if (root && crm_cache_encode(&once, root, &keys) == 0) {
		again = crm_cache_decode(once.ptr, once.len, &again_arena, &keys);
		if (!again || crm_cache_encode(&twice, again, &keys) ||
		    once.len != twice.len || memcmp(once.ptr, twice.ptr, once.len))
			abort();
	}
	crm_buf_release(&once);
	crm_buf_release(&twice);
	crm_arena_release(&arena);
	crm_arena_release(&again_arena);
	crm_cache_keys_release(&keys);
	free(bytes);
	return 0;
}
