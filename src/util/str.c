/* Small string helpers of the hot paths (crm/str.h); crm_str_eq is inline
 * there. */
#include <string.h>

#include "crm/str.h"

void crm_str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}
