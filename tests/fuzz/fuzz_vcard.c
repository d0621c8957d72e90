/* Fuzz target: the vCard parser must turn any bytes into cards or an
 * error, and every card it returns must write back as 3.0 and 4.0 and
 * parse again, never crash, hang or leak. */
#include <stdint.h>

#include "crm/vcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_vcards cards, again;
	struct crm_buf out = CRM_BUF_INIT;
	size_t i;

	crm_vcards_init(&cards);
	crm_vcards_init(&again);
	crm_vcard_parse(&cards, (const char *)data, size);
	for (i = 0; i < cards.cards.len; i++) {
		crm_vcard_write(&out, &cards.cards.ptr[i], 3);
		crm_vcard_write(&out, &cards.cards.ptr[i], 4);
	}
	crm_vcard_parse(&again, out.ptr, out.len);
	crm_buf_release(&out);
	crm_vcards_release(&again);
	crm_vcards_release(&cards);
	return 0;
}
