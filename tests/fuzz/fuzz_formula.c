/* Fuzz target: any text either parses as a formula and evaluates to a
 * value (errors are values), or is refused with a column. */
#include <stdint.h>
#include <string.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/formula.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int no_fields(struct crm_value *out, const char *name, void *payload)
{
	(void)payload;
	*out = CRM_VALUE_NULL;
	if (!strcmp(name, "n")) {
		out->kind = CRM_V_NUMBER;
		out->u.num = crm_dec_from_int(7);
		return 0;
	}
	return CRM_ENOTFOUND;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_buf text = CRM_BUF_INIT;
	struct crm_formula *f;
	struct crm_formula_env env;
	struct crm_value v;

	crm_buf_add(&text, data, size);
	memset(&env, 0, sizeof(env));
	env.field = no_fields;
	env.arena = &arena;
	if (!crm_formula_parse(&f, &arena, text.ptr, NULL))
		crm_formula_eval(&v, f, &env);
	crm_buf_release(&text);
	crm_arena_release(&arena);
	return 0;
}
