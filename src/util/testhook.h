/* Points where the test suite can freeze a process to kill it (git's test
 * hooks do the same): with CRM_TEST_PAUSE=NAME in the environment, the
 * process stops for a minute at the point named NAME; with CRM_TEST_FAIL
 * it fails there.  Costs one getenv.  Private to util, and included by
 * core/index/store.c for its points. */
#ifndef CRM_TESTHOOK_H
#define CRM_TESTHOOK_H

void crm_test_pause(const char *point);
/* Whether CRM_TEST_FAIL=NAME asks the point NAME to fail as a full disk
 * would. */
int crm_test_fail(const char *point);

#endif
