/* Fuzz target: a schema file's text either describes a record type or is
 * refused with located findings (formulas in it are parsed too). */
#include <stdint.h>

#include "crm/arena.h"
#include "crm/diag.h"
#include "crm/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_schema schema;
	struct crm_diags diags;

	crm_diags_init(&diags);
	crm_schema_parse(&schema, &arena, (const char *)data, size, "schema/fuzz.yaml", &diags);
	crm_diags_release(&diags);
	crm_arena_release(&arena);
	return 0;
}
