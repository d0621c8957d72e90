/* Fuzz target: the record loader must turn any bytes into a tree or into
 * located findings, never crash, hang or leak. */
#include <stdint.h>

#include "crm/diag.h"
#include "crm/node.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *root;

	crm_diags_init(&diags);
	crm_yaml_parse(&root, &arena, (const char *)data, size, "fuzz.yaml", &diags);
	crm_diags_release(&diags);
	crm_arena_release(&arena);
	return 0;
}
