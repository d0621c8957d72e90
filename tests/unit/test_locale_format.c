/* Unit tests for src/util/locale_format.c: amounts and dates as each
 * invoice language writes them, exactly (decimal strings in and out), and
 * the unchanged input where a value is not a number or a date. */
#include <stdlib.h>
#include <string.h>

#include "crm/locale_format.h"
#include "harness.h"

static const char *num(const char *locale, const char *decimal)
{
	static char buf[64];
	CHECK_INT(0, crm_locale_decimal(buf, sizeof(buf), locale, decimal));
	return buf;
}

static const char *date(const char *locale, const char *iso)
{
	static char buf[96];
	CHECK_INT(0, crm_locale_date(buf, sizeof(buf), locale, iso));
	return buf;
}

static void test_locale__numbers(void)
{
	CHECK_STR("7,200.00", num("en", "7200.00"));
	CHECK_STR("-1,234,567.89", num("en", "-1234567.89"));
	/* Polish groups from five digits on, with a no-break space */
	CHECK_STR("7200,00", num("pl", "7200.00"));
	CHECK_STR("12\u00a0345,60", num("pl", "12345.60"));
	CHECK_STR("7.200,00", num("de", "7200.00"));
	CHECK_STR("7\u202f200,00", num("fr", "7200.00"));
	CHECK_STR("7200,00", num("es", "7200.00"));
	CHECK_STR("11,600.00", num("zh", "11600.00"));
	/* the digits given are the digits written: JPY has none, KWD three */
	CHECK_STR("1,500", num("en", "1500"));
	CHECK_STR("0,125", num("de", "0.125"));
	/* beyond a double's 15 digits, still exact */
	CHECK_STR("12,345,678,901,234,567.89", num("en", "12345678901234567.89"));
}

/* "en" is written without ICU: held here to what ICU writes for the same
 * language asked as "EN" (ICU reads locale names case-blind; the fast
 * path takes only "en" and "en_US"), digit by digit, and left to ICU
 * where the input is not a canonical decimal. */
static void test_locale__english_as_icu(void)
{
	static const char *const values[] = {
		"0", "0.00", "7", "12.5", "999", "1000", "1000.000", "9999.99", "10000",
		"123456", "1234567", "-1", "-0.01", "-999.99", "-1000", "-1234567.89",
		"100000000000000000000000000.1", "1.0000000001",
		/* not canonical: ICU's to write, whatever it writes */
		"-0", "-0.00", "007.5", "+12", "1.", ".5", "1,000",
	};
	char fast[96], icu[96];
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(*values); i++) {
		int a = crm_locale_decimal(fast, sizeof(fast), "en", values[i]);
		int b = crm_locale_decimal(icu, sizeof(icu), "EN", values[i]);
		CHECK_INT(b, a);
		CHECK_STR(icu, fast);
		a = crm_locale_decimal(fast, sizeof(fast), "en_US", values[i]);
		CHECK_INT(b, a);
		CHECK_STR(icu, fast);
	}
	/* ICU was asked: the comparison is not of the fast path with itself */
	CHECK_STR("1,234,567.89", num("EN", "1234567.89"));
	/* cut to fit as ICU's path is: an error, the value unchanged */
	CHECK_INT(1, crm_locale_decimal(fast, 9, "en", "1234567.0") < 0);
	CHECK_STR("1234567.", fast);
}

static void test_locale__dates(void)
{
	CHECK_STR("December 1, 2026", date("en", "2026-12-01"));
	CHECK_STR("1 grudnia 2026", date("pl", "2026-12-01"));
	CHECK_STR("1. Dezember 2026", date("de", "2026-12-01"));
	CHECK_STR("1 décembre 2026", date("fr", "2026-12-01"));
	CHECK_STR("1 de diciembre de 2026", date("es", "2026-12-01"));
	CHECK_STR("2026年12月1日", date("zh", "2026-12-01"));
	/* no time zone moves a date to the day before */
	CHECK_STR("January 1, 1970", date("en", "1970-01-01"));
	CHECK_STR("February 29, 2028", date("en", "2028-02-29"));
}

static void test_locale__not_a_value(void)
{
	char buf[32];
	CHECK_INT(1, crm_locale_date(buf, sizeof(buf), "en", "next week") < 0);
	CHECK_STR("next week", buf);
	CHECK_INT(1, crm_locale_decimal(buf, sizeof(buf), "en", "12x") < 0);
	CHECK_STR("12x", buf);
	/* a buffer too small is an error, not a cut value */
	CHECK_INT(1, crm_locale_decimal(buf, 4, "en", "7200.00") < 0);
}

static void test_locale__display(void)
{
	char buf[64];

	crm_locale_display_set("de_DE");
	CHECK_STR("de_DE", crm_locale_display());
	crm_locale_group(buf, sizeof(buf), "330480.00");
	CHECK_STR("330.480,00", buf);
	/* one cached formatter follows the locale asked */
	crm_locale_decimal(buf, sizeof(buf), "en", "330480.00");
	CHECK_STR("330,480.00", buf);
	crm_locale_group(buf, sizeof(buf), "-1234567");
	CHECK_STR("-1.234.567", buf);

	setenv("LC_ALL", "", 1);
	setenv("LC_NUMERIC", "", 1);
	setenv("LANG", "pl_PL.UTF-8", 1);
	crm_locale_display_set(NULL);
	CHECK_STR("pl_PL", crm_locale_display());
	setenv("LC_NUMERIC", "fr_FR.UTF-8@euro", 1);
	crm_locale_display_set(NULL);
	CHECK_STR("fr_FR", crm_locale_display());
	setenv("LC_ALL", "C.UTF-8", 1);
	crm_locale_display_set(NULL);
	CHECK_STR("en", crm_locale_display());
	setenv("LC_ALL", "POSIX", 1);
	crm_locale_display_set(NULL);
	CHECK_STR("en", crm_locale_display());
	crm_locale_group(buf, sizeof(buf), "330480.00");
	CHECK_STR("330,480.00", buf);
}

/* A formatter is kept per number of fraction digits: values with different
 * digits, taking turns, and more digits than are kept, each come out with
 * their own, in the locale asked. */
static void test_locale__fraction_digits_take_turns(void)
{
	CHECK_STR("1,234", num("en", "1234"));
	CHECK_STR("1,234.50", num("en", "1234.50"));
	CHECK_STR("1,234", num("en", "1234"));
	CHECK_STR("0.123456789", num("en", "0.123456789"));
	CHECK_STR("12,345.1234567890", num("en", "12345.1234567890"));
	CHECK_STR("1,234.5", num("en", "1234.5"));
	CHECK_STR("0.123456789", num("en", "0.123456789"));
	CHECK_STR("12\u00a0345,60", num("pl", "12345.60"));
	CHECK_STR("12\u00a0345", num("pl", "12345"));
	CHECK_STR("7,200.00", num("en", "7200.00"));
	CHECK_STR("0,1234567891", num("de", "0.1234567891"));
	CHECK_STR("7.200", num("de", "7200"));
}

static void test_locale__romanize(void)
{
	char buf[64];

	CHECK_INT(0, crm_locale_romanize(buf, sizeof(buf), "Москва Трейд"));
	CHECK_STR("Moskva Trejd", buf);
	crm_locale_romanize(buf, sizeof(buf), "Αθήνα Design");
	CHECK_STR("Athina Design", buf);
	crm_locale_romanize(buf, sizeof(buf), "Łódź");
	CHECK_STR("Lodz", buf);
	/* Chinese and Khmer have no standard romanisation without the reading */
	crm_locale_romanize(buf, sizeof(buf), "北京 ភ្នំពេញ");
	CHECK_STR("北京 ភ្នំពេញ", buf);
	CHECK_INT(1, crm_locale_romanize(buf, 4, "Москва") < 0);
}

TESTS(TEST(test_locale__numbers), TEST(test_locale__english_as_icu), TEST(test_locale__dates),
      TEST(test_locale__not_a_value), TEST(test_locale__display),
      TEST(test_locale__fraction_digits_take_turns), TEST(test_locale__romanize))
