/* Fuzz target: an import rules file (INI through inih) either parses into
 * sections or becomes a located error; never a crash, hang or leak. */
#include <stdint.h>

#include "crm/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_import_rules rules;

	crm_import_rules_parse(&rules, (const char *)data, size, "fuzz.ini");
	crm_import_rules_release(&rules);
	return 0;
}
