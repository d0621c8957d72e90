/* The CRM_TEST_PAUSE and CRM_TEST_FAIL hooks: let the kill -9 tests stop
 * a write at a known place, and the failure tests make one fail there. */
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

int crm_test_fail(const char *point)
{
	const char *want = getenv("CRM_TEST_FAIL");
	return want && !strcmp(want, point);
}
