/* Overflow-checked growth for CRM_ARRAY. */
#include <stdint.h>
#include <string.h>

#include "crm/array.h"
#include "crm/error.h"

int crm_array_grow(void **ptr, size_t *cap, size_t size, size_t need)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return crm_error_set(CRM_EOVERFLOW, "array too large");
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return crm_error_set(CRM_EOVERFLOW, "array too large");
	p = realloc(*ptr, ncap * size);
	if (!p)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	*ptr = p;
	*cap = ncap;
	return 0;
}
