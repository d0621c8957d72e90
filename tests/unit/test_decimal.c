/* Unit tests for src/util/decimal.c: parsing, formatting, exact arithmetic,
 * rounding half away from zero and overflow refusal. */
#include <stdint.h>

#include "crm/decimal.h"
#include "crm/error.h"
#include "harness.h"

/* Parses a literal the test knows to be valid; a failure shows as 0. */
static crm_dec dec(const char *s)
{
	crm_dec d = { 0, 0 };
	CHECK_INT(0, crm_dec_parse(&d, s, strlen(s)));
	return d;
}

static const char *fmt(crm_dec d)
{
	static char buf[64];
	if (crm_dec_format(buf, sizeof(buf), d))
		return "(format failed)";
	return buf;
}

static crm_dec mk(int64_t units, int scale)
{
	crm_dec d = { units, scale };
	return d;
}

static void test_decimal__parse(void)
{
	crm_dec d;

	CHECK_INT(0, crm_dec_parse(&d, "12", 2));
	CHECK_INT(12, d.units);
	CHECK_INT(0, d.scale);
	d = dec("-3.5");
	CHECK_INT(-35, d.units);
	CHECK_INT(1, d.scale);
	d = dec("+0.0125");
	CHECK_INT(125, d.units);
	CHECK_INT(4, d.scale);
	d = dec("1000000.00");
	CHECK_INT(100000000, d.units);
	CHECK_INT(2, d.scale);
	d = dec("0.000000000001");
	CHECK_INT(1, d.units);
	CHECK_INT(12, d.scale);
	d = dec("9223372036854775807");
	CHECK_INT(INT64_MAX, d.units);
	d = dec("-9223372036854775807");
	CHECK_INT(-INT64_MAX, d.units);
	/* only len bytes count: "15%" is parsed as "15" by the percent code */
	CHECK_INT(0, crm_dec_parse(&d, "15%", 2));
	CHECK_INT(15, d.units);
}

static void test_decimal__parse_errors(void)
{
	static const char *bad[] = { "", "-", "+", "1.", ".5", "1e3", "1,5", " 1", "1 ",
				     "--1", "1.2.3", "abc", "0x10", "1_000", "١" };
	crm_dec d = { 77, 1 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(CRM_EINVALID, crm_dec_parse(&d, bad[i], strlen(bad[i])));
		CHECK_INT(77, d.units);
	}
	crm_dec_parse(&d, "1,5", 3);
	CHECK_STR("invalid number '1,5'", crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_dec_parse(&d, "0.1234567890123", 15));
	CHECK_STR("invalid number '0.1234567890123': more than 12 decimals", crm_error_last());
	CHECK_INT(CRM_EOVERFLOW, crm_dec_parse(&d, "9223372036854775808", 19));
	CHECK_STR("number '9223372036854775808' is too large", crm_error_last());
	CHECK_INT(CRM_EOVERFLOW, crm_dec_parse(&d, "-92233720368547758.08", 21));
	CHECK_INT(CRM_EOVERFLOW, crm_dec_parse(&d, "123456789012345678901234567890", 30));
	CHECK_INT(77, d.units);
}

static void test_decimal__format(void)
{
	char small[4];

	CHECK_STR("3.50", fmt(mk(350, 2)));
	CHECK_STR("-0.05", fmt(mk(-5, 2)));
	CHECK_STR("0.00", fmt(mk(0, 2)));
	CHECK_STR("0.005", fmt(mk(5, 3)));
	CHECK_STR("12", fmt(mk(12, 0)));
	CHECK_STR("-9223372036854775807", fmt(mk(-INT64_MAX, 0)));
	CHECK_STR("9223372.036854775807", fmt(mk(INT64_MAX, 12)));
	CHECK_STR("0.000000000001", fmt(mk(1, 12)));
	CHECK_INT(CRM_EOVERFLOW, crm_dec_format(small, sizeof(small), mk(12345, 0)));
	CHECK_INT(0, crm_dec_format(small, sizeof(small), mk(123, 0)));
	CHECK_STR("123", small);
}

static void test_decimal__format_trim(void)
{
	char buf[32];

	CHECK_INT(0, crm_dec_format_trim(buf, sizeof(buf), mk(350, 2)));
	CHECK_STR("3.5", buf);
	CHECK_INT(0, crm_dec_format_trim(buf, sizeof(buf), mk(1200, 2)));
	CHECK_STR("12", buf);
	CHECK_INT(0, crm_dec_format_trim(buf, sizeof(buf), mk(0, 4)));
	CHECK_STR("0", buf);
	CHECK_INT(0, crm_dec_format_trim(buf, sizeof(buf), mk(-1050, 3)));
	CHECK_STR("-1.05", buf);
}

static void test_decimal__round_trip(void)
{
	static const char *texts[] = { "0", "12", "-3.5", "0.0125", "1000000.00", "-0.001",
				       "9223372036854775807", "0.000000000001", "12000.50" };
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		CHECK_STR(texts[i], fmt(dec(texts[i])));
	/* "-0" has no sign left to print */
	CHECK_STR("0.00", fmt(dec("-0.00")));
}

static void test_decimal__add_sub(void)
{
	crm_dec r;

	CHECK_INT(0, crm_dec_add(&r, dec("1.5"), dec("2.25")));
	CHECK_STR("3.75", fmt(r));
	CHECK_INT(0, crm_dec_add(&r, dec("1.50"), dec("1")));
	CHECK_STR("2.50", fmt(r));
	CHECK_INT(0, crm_dec_sub(&r, dec("1"), dec("2.005")));
	CHECK_STR("-1.005", fmt(r));
	CHECK_INT(0, crm_dec_add(&r, dec("-0.1"), dec("0.1")));
	CHECK_INT(1, crm_dec_is_zero(r));
	CHECK_INT(0, crm_dec_add(&r, mk(INT64_MAX - 1, 0), mk(1, 0)));
	CHECK_INT(INT64_MAX, r.units);
	/* exact, but only fits with one trailing zero fewer */
	CHECK_INT(0, crm_dec_add(&r, dec("100000000000000000.0"), dec("0.10")));
	CHECK_STR("100000000000000000.1", fmt(r));
}

static void test_decimal__add_overflow(void)
{
	crm_dec r = { 42, 0 };

	CHECK_INT(CRM_EOVERFLOW, crm_dec_add(&r, mk(INT64_MAX, 0), mk(1, 0)));
	CHECK_INT(42, r.units);
	CHECK(strstr(crm_error_last(), "too large") != NULL);
	/* INT64_MIN itself is refused: negation must stay safe */
	CHECK_INT(CRM_EOVERFLOW, crm_dec_sub(&r, mk(-INT64_MAX, 0), mk(1, 0)));
	CHECK_INT(CRM_EOVERFLOW, crm_dec_sub(&r, mk(INT64_MAX, 0), mk(-1, 0)));
	/* aligning scales can overflow too: 92233720368547758.07 + 1 */
	CHECK_INT(CRM_EOVERFLOW, crm_dec_add(&r, mk(INT64_MAX, 2), mk(1, 0)));
	CHECK_INT(CRM_EOVERFLOW, crm_dec_add(&r, mk(1, 0), mk(INT64_MAX - 5, 12)));
	CHECK_INT(42, r.units);
	CHECK_INT(CRM_EINVALID, crm_dec_add(&r, mk(1, 13), mk(1, 0)));
}

static void test_decimal__mul(void)
{
	crm_dec r;

	CHECK_INT(0, crm_dec_mul(&r, dec("1460.50"), dec("0.25")));
	CHECK_STR("365.1250", fmt(r));
	CHECK_INT(0, crm_dec_mul(&r, dec("-3"), dec("1.5")));
	CHECK_STR("-4.5", fmt(r));
	/* 10^9 x 10^9 at scale 12 only fits without its trailing zeros */
	CHECK_INT(0, crm_dec_mul(&r, dec("1000000000.000000"), dec("1000000000.000000")));
	CHECK_STR("1000000000000000000", fmt(r));
	/* beyond 12 decimals the product is rounded half away from zero */
	CHECK_INT(0, crm_dec_mul(&r, dec("0.0000005"), dec("0.000001")));
	CHECK_STR("0.000000000001", fmt(r));
	CHECK_INT(0, crm_dec_mul(&r, dec("-0.0000005"), dec("0.000001")));
	CHECK_STR("-0.000000000001", fmt(r));
	CHECK_INT(0, crm_dec_mul(&r, dec("0.0000001"), dec("0.0000001")));
	CHECK_STR("0.000000000000", fmt(r));
}

static void test_decimal__mul_overflow(void)
{
	crm_dec r = { 42, 0 };

	CHECK_INT(CRM_EOVERFLOW, crm_dec_mul(&r, mk(INT64_MAX, 0), mk(2, 0)));
	CHECK_INT(CRM_EOVERFLOW, crm_dec_mul(&r, dec("10000000000"), dec("10000000000")));
	CHECK_INT(CRM_EOVERFLOW, crm_dec_mul(&r, mk(INT64_MAX, 0), mk(INT64_MAX, 0)));
	CHECK_INT(CRM_EOVERFLOW, crm_dec_mul(&r, mk(-INT64_MAX, 0), mk(INT64_MAX, 0)));
	CHECK_INT(CRM_EOVERFLOW, crm_dec_mul_round(&r, dec("9223372036854775.807"),
						   dec("11"), 3));
	CHECK_INT(42, r.units);
	/* a huge product that rounds to a small scale may still fit */
	CHECK_INT(CRM_EOVERFLOW, crm_dec_mul(&r, mk(INT64_MAX, 12), mk(INT64_MAX, 12)));
	CHECK_INT(42, r.units);
	/* a product past int64 that rounds to 12 decimals may still fit */
	CHECK_INT(0, crm_dec_mul(&r, mk(INT64_MAX, 12), dec("0.000001")));
	CHECK_STR("9.223372036855", fmt(r));
}

static void test_decimal__mul_round(void)
{
	crm_dec r;

	/* the brief's invoice lines: 25% of a net, to cents */
	CHECK_INT(0, crm_dec_mul_round(&r, dec("1460.50"), dec("0.25"), 2));
	CHECK_STR("365.13", fmt(r));
	CHECK_INT(0, crm_dec_mul_round(&r, dec("625743.54"), dec("0.25"), 2));
	CHECK_STR("156435.89", fmt(r));
	CHECK_INT(0, crm_dec_mul_round(&r, dec("-1460.50"), dec("0.25"), 2));
	CHECK_STR("-365.13", fmt(r));
	CHECK_INT(0, crm_dec_mul_round(&r, dec("2"), dec("1.5"), 4));
	CHECK_STR("3.0000", fmt(r));
	/* one rounding: 0.004999999999995 is 0.00, although rounding it to
	 * 12 decimals first would give 0.005000000000 and then 0.01 */
	CHECK_INT(0, crm_dec_mul_round(&r, dec("4.999999999995"), dec("0.001"), 2));
	CHECK_STR("0.00", fmt(r));
	CHECK_INT(0, crm_dec_mul(&r, dec("4.999999999995"), dec("0.001")));
	CHECK_INT(0, crm_dec_round(&r, r, 2));
	CHECK_STR("0.01", fmt(r));
	CHECK_INT(CRM_EINVALID, crm_dec_mul_round(&r, dec("1"), dec("1"), -1));
}

static void test_decimal__round_half_away(void)
{
	static const struct { const char *in; int scale; const char *out; } cases[] = {
		{ "2.5", 0, "3" }, { "-2.5", 0, "-3" }, { "2.4", 0, "2" }, { "-2.4", 0, "-2" },
		{ "0.5", 0, "1" }, { "-0.5", 0, "-1" }, { "0.49999", 0, "0" },
		{ "365.125", 2, "365.13" }, { "-365.125", 2, "-365.13" },
		{ "156435.885", 2, "156435.89" }, { "0.005", 2, "0.01" }, { "-0.005", 2, "-0.01" },
		{ "0.0049", 2, "0.00" }, { "1.0005", 3, "1.001" }, { "-1.0005", 3, "-1.001" },
		{ "1.00049", 3, "1.000" }, { "2.9995", 3, "3.000" }, { "-9.9995", 3, "-10.000" },
		{ "3.5", 3, "3.500" }, { "7", 2, "7.00" },
	};
	crm_dec r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(0, crm_dec_round(&r, dec(cases[i].in), cases[i].scale));
		CHECK_STR(cases[i].out, fmt(r));
	}
}

static void test_decimal__round_errors(void)
{
	crm_dec r = { 42, 0 };

	CHECK_INT(CRM_EOVERFLOW, crm_dec_round(&r, mk(INT64_MAX, 0), 2));
	CHECK_INT(CRM_EINVALID, crm_dec_round(&r, mk(1, 0), 13));
	CHECK_INT(CRM_EINVALID, crm_dec_round(&r, mk(1, 0), -1));
	CHECK_INT(42, r.units);
	CHECK_INT(0, crm_dec_round(&r, mk(INT64_MAX, 12), 0));
	CHECK_STR("9223372", fmt(r));
}

static void test_decimal__div(void)
{
	crm_dec r;

	CHECK_INT(0, crm_dec_div(&r, dec("1"), dec("3"), 4));
	CHECK_STR("0.3333", fmt(r));
	CHECK_INT(0, crm_dec_div(&r, dec("2"), dec("3"), 2));
	CHECK_STR("0.67", fmt(r));
	CHECK_INT(0, crm_dec_div(&r, dec("-2"), dec("3"), 2));
	CHECK_STR("-0.67", fmt(r));
	CHECK_INT(0, crm_dec_div(&r, dec("2"), dec("-3"), 2));
	CHECK_STR("-0.67", fmt(r));
	CHECK_INT(0, crm_dec_div(&r, dec("10"), dec("4"), 0));
	CHECK_STR("3", fmt(r));
	CHECK_INT(0, crm_dec_div(&r, dec("-10"), dec("4"), 0));
	CHECK_STR("-3", fmt(r));
	CHECK_INT(0, crm_dec_div(&r, dec("1"), dec("0.92"), 12));
	CHECK_STR("1.086956521739", fmt(r));
	/* the dividend has more decimals than the result */
	CHECK_INT(0, crm_dec_div(&r, dec("1.23456"), dec("2"), 2));
	CHECK_STR("0.62", fmt(r));
	CHECK_INT(0, crm_dec_div(&r, dec("0.000000000001"), dec("1000000000000"), 12));
	CHECK_STR("0.000000000000", fmt(r));
	CHECK_INT(0, crm_dec_div(&r, mk(INT64_MAX, 0), mk(INT64_MAX, 0), 12));
	CHECK_STR("1.000000000000", fmt(r));
}

static void test_decimal__div_errors(void)
{
	crm_dec r = { 42, 0 };

	CHECK_INT(CRM_EINVALID, crm_dec_div(&r, dec("1"), dec("0.00"), 2));
	CHECK_STR("division by zero", crm_error_last());
	CHECK_INT(CRM_EOVERFLOW, crm_dec_div(&r, mk(INT64_MAX, 0), dec("0.001"), 0));
	CHECK_INT(CRM_EOVERFLOW, crm_dec_div(&r, dec("10000000"), dec("0.000000000001"), 12));
	CHECK_INT(CRM_EINVALID, crm_dec_div(&r, dec("1"), dec("3"), 13));
	CHECK_INT(42, r.units);
}

static void test_decimal__cmp(void)
{
	CHECK_INT(0, crm_dec_cmp(dec("1.5"), dec("1.50")));
	CHECK_INT(1, crm_dec_cmp(dec("1.5"), dec("1.49")));
	CHECK_INT(-1, crm_dec_cmp(dec("-1"), dec("0.5")));
	CHECK_INT(-1, crm_dec_cmp(dec("-1.000000000001"), dec("-1")));
	CHECK_INT(1, crm_dec_cmp(mk(INT64_MAX, 0), mk(INT64_MAX, 12)));
	CHECK_INT(-1, crm_dec_cmp(mk(-INT64_MAX, 0), mk(-INT64_MAX, 12)));
	CHECK_INT(0, crm_dec_cmp(dec("0"), dec("-0.000")));
}

static void test_decimal__small_helpers(void)
{
	crm_dec d = crm_dec_from_int(-42);

	CHECK_INT(-42, d.units);
	CHECK_INT(0, d.scale);
	d = crm_dec_neg(dec("3.50"));
	CHECK_STR("-3.50", fmt(d));
	CHECK_INT(INT64_MAX, crm_dec_neg(crm_dec_from_int(INT64_MIN)).units);
	CHECK_STR("-9223372036854775808", fmt(crm_dec_from_int(INT64_MIN)));
	CHECK_INT(0, crm_dec_is_zero(dec("0.01")));
	CHECK_INT(1, crm_dec_is_zero(dec("0.00")));
	d = crm_dec_normalize(dec("12.3400"));
	CHECK_INT(1234, d.units);
	CHECK_INT(2, d.scale);
	d = crm_dec_normalize(dec("100"));
	CHECK_INT(100, d.units);
	CHECK_INT(0, d.scale);
	d = crm_dec_normalize(dec("0.000"));
	CHECK_INT(0, d.scale);
}

TESTS(TEST(test_decimal__parse), TEST(test_decimal__parse_errors),
      TEST(test_decimal__format), TEST(test_decimal__format_trim),
      TEST(test_decimal__round_trip), TEST(test_decimal__add_sub),
      TEST(test_decimal__add_overflow), TEST(test_decimal__mul),
      TEST(test_decimal__mul_overflow), TEST(test_decimal__mul_round),
      TEST(test_decimal__round_half_away), TEST(test_decimal__round_errors),
      TEST(test_decimal__div), TEST(test_decimal__div_errors),
      TEST(test_decimal__cmp), TEST(test_decimal__small_helpers))
