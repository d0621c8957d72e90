/* Fuzz target: the journal a killed crm leaves (.git/crm-journal), as the
 * next crm reads it before putting any file back.  A crash or a full disk
 * can cut it anywhere: any bytes are a whole journal or refused, never a
 * crash; and a journal is whole only to its last byte ("end\n"), so the
 * same text cut by one byte, or with one byte after it, is refused. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The check of `len` bytes of `data` (plus `extra` when not NUL), given as
 * recovery gives it: read into a buffer with a NUL after it. */
static int check(const uint8_t *data, size_t len, char extra)
{
	struct crm_buf text = CRM_BUF_INIT;
	int err;

	if (crm_buf_add(&text, data, len) || (extra && crm_buf_addch(&text, extra))) {
		crm_buf_release(&text);
		return -1;
	}
	err = crm_store_journal_check(text.ptr, text.len);
	crm_buf_release(&text);
	crm_error_clear();
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (check(data, size, 0))
		return 0;
	if (!size || !check(data, size - 1, 0) || !check(data, size, 'x')) {
		fprintf(stderr, "fuzz_journal: a cut or extended journal was taken as whole\n");
		abort();
	}
	return 0;
}
