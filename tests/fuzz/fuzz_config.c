/* Fuzz target: crm.ini text either loads or becomes located findings;
 * never a crash, hang or leak (inih is fed the bytes as they come). */
#include <stdint.h>

#include "crm/config.h"
#include "crm/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_config cfg;
	struct crm_diags diags;

	crm_diags_init(&diags);
	if (crm_config_load_data(&cfg, (const char *)data, size, "crm.ini", &diags) == 0)
		crm_config_release(&cfg);
	crm_diags_release(&diags);
	return 0;
}
