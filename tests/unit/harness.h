/* A tiny unit-test harness of our own: each tests/unit/test_<module>.c
 * defines cases `static void test_<module>__<case>(void)` and lists them in
 * a TESTS table; main() runs them and prints "N passed, N failed, N skipped".
 * A case that cannot run (its data absent) calls SKIP("why %s", ...): it is
 * counted as skipped with the reason printed, never as passed.
 *
 *   static void test_money__round(void) { CHECK_INT(1, 1); CHECK_STR("a", s); }
 *   TESTS(TEST(test_money__round), TEST(test_money__parse))
 */
#ifndef CRM_TEST_HARNESS_H
#define CRM_TEST_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_failed_checks;

#define CHECK(cond) do { if (!(cond)) { harness_failed_checks++; \
	fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_INT(expected, actual) do { long long e_ = (long long)(expected), a_ = (long long)(actual); \
	if (e_ != a_) { harness_failed_checks++; fprintf(stderr, "  %s:%d: %s: expected %lld, got %lld\n", \
	__FILE__, __LINE__, #actual, e_, a_); } } while (0)
#define CHECK_STR(expected, actual) do { const char *e_ = (expected), *a_ = (actual); \
	if (!a_ || strcmp(e_, a_)) { harness_failed_checks++; fprintf(stderr, \
	"  %s:%d: %s: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__, #actual, e_, a_ ? a_ : "(null)"); } } while (0)

static int harness_case_skipped;

/* Prints why the current case is skipped and marks it; SKIP returns. */
__attribute__((format(printf, 1, 2)))
static inline void harness_skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("skip: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	harness_case_skipped = 1;
}
#define SKIP(...) do { harness_skip(__VA_ARGS__); return; } while (0)

struct harness_case { const char *name; void (*fn)(void); };
#define TEST(fn) { #fn, fn }
#define TESTS(...) \
	static const struct harness_case harness_cases[] = { __VA_ARGS__ }; \
	int main(int argc, char **argv) { \
		size_t i, n = sizeof(harness_cases) / sizeof(harness_cases[0]); \
		int passed = 0, failed = 0, skipped = 0; \
		for (i = 0; i < n; i++) { \
			int before = harness_failed_checks; \
			if (argc > 1 && !strstr(harness_cases[i].name, argv[1])) continue; \
			harness_case_skipped = 0; \
			harness_cases[i].fn(); \
			if (harness_failed_checks != before) { \
				failed++; fprintf(stderr, "FAIL %s\n", harness_cases[i].name); \
			} else if (harness_case_skipped) { \
				skipped++; printf("skip %s\n", harness_cases[i].name); \
			} else { passed++; } \
		} \
		printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped); \
		return failed ? 1 : 0; \
	}

#endif
