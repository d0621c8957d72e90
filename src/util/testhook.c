/* The CRM_TEST_PAUSE hook: lets the kill -9 tests stop a write at a known
 * place. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/testhook.h"

void crm_test_pause(const char *point)
{
	const char *want = getenv("CRM_TEST_PAUSE");
	if (want && !strcmp(want, point))
		sleep(60);
}
