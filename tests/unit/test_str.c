/* The string helpers of the hot paths (include/crm/str.h): equality, and
 * the bounded copy that stands for snprintf's "%s" where the figures copy
 * currency codes. */
#include "crm/str.h"
#include "harness.h"

static void test_str__eq_compares_every_byte(void)
{
	CHECK(crm_str_eq("amount", "amount"));
	CHECK(crm_str_eq("", ""));
	CHECK(!crm_str_eq("closed", "close"));
	CHECK(!crm_str_eq("close", "closed"));
	CHECK(!crm_str_eq("stage", "state"));
	CHECK(!crm_str_eq("", "a"));
}

static void test_str__copy_cuts_to_fit_like_snprintf(void)
{
	char code[4], want[4];
	static const char *const in[] = { "EUR", "", "PL", "EURO", "złoty" };
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(*in); i++) {
		memset(code, 'x', sizeof(code));
		crm_str_copy(code, sizeof(code), in[i]);
		snprintf(want, sizeof(want), "%s", in[i]);
		CHECK_STR(want, code);
	}
	/* a room of one byte holds the terminator alone */
	crm_str_copy(code, 1, "USD");
	CHECK_STR("", code);
}

TESTS(TEST(test_str__eq_compares_every_byte),
      TEST(test_str__copy_cuts_to_fit_like_snprintf))
