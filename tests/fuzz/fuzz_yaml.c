/* Fuzz target: the record loader must turn any bytes into a tree or into
 * located findings, never crash, hang or leak; and every tree its fast
 * path builds must be the one libyaml builds (yaml_fast.c), else abort. */
#include <stdint.h>
#include <stdlib.h>

#include "crm/diag.h"
#include "crm/node.h"
#include "../unit/yaml_same.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *root;
	char why[512];

	crm_diags_init(&diags);
	crm_yaml_parse(&root, &arena, (const char *)data, size, "fuzz.yaml", &diags);
	crm_diags_release(&diags);
	crm_arena_release(&arena);
	if (compare_paths((const char *)data, size, "fuzz.yaml", why, sizeof(why)) == WRONG) {
		fprintf(stderr, "the fast path differs from libyaml: %s\n", why);
		abort();
	}
	return 0;
}
