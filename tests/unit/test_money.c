/* Unit tests for src/util/money.c: the ISO 4217 table, the "12000.00 EUR"
 * form and its error messages, formatting, rounding and conversion. */
#include <stdint.h>

#include "crm/error.h"
#include "crm/money.h"
#include "harness.h"

static struct crm_money money(const char *s)
{
	struct crm_money m = { { 0, 0 }, "" };
	CHECK_INT(0, crm_money_parse(&m, s, NULL));
	return m;
}

static const char *fmt(const struct crm_money *m)
{
	static char buf[64];
	if (crm_money_format(buf, sizeof(buf), m))
		return "(format failed)";
	return buf;
}

static crm_dec dec(const char *s)
{
	crm_dec d = { 0, 0 };
	CHECK_INT(0, crm_dec_parse(&d, s, strlen(s)));
	return d;
}

/* The message crm_money_parse leaves for s, or "(accepted)". */
static const char *parse_error(const char *s, const char *default_currency)
{
	struct crm_money m = { { 7, 0 }, "ABC" };
	if (!crm_money_parse(&m, s, default_currency))
		return "(accepted)";
	CHECK_INT(7, m.amount.units);
	CHECK_STR("ABC", m.currency);
	return crm_error_last();
}

static void test_money__exponents(void)
{
	static const struct { const char *code; int exp; } cases[] = {
		{ "JPY", 0 }, { "KRW", 0 }, { "ISK", 0 }, { "VND", 0 }, { "XOF", 0 },
		{ "XAF", 0 }, { "XPF", 0 }, { "UYI", 0 }, { "CLP", 0 }, { "PYG", 0 },
		{ "EUR", 2 }, { "USD", 2 }, { "PLN", 2 }, { "CNY", 2 }, { "KHR", 2 },
		{ "GBP", 2 }, { "CHF", 2 }, { "MGA", 2 }, { "MRU", 2 }, { "ZWG", 2 },
		{ "XCG", 2 }, { "SLE", 2 }, { "VED", 2 }, { "AED", 2 }, { "ZMW", 2 },
		{ "BHD", 3 }, { "KWD", 3 }, { "JOD", 3 }, { "OMR", 3 }, { "TND", 3 },
		{ "LYD", 3 }, { "IQD", 3 }, { "CLF", 4 }, { "UYW", 4 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(cases[i].exp, crm_currency_exponent(cases[i].code));
		CHECK(crm_currency_is_known(cases[i].code));
	}
}

static void test_money__unknown_codes(void)
{
	static const char *unknown[] = { "XAU", "XDR", "XXX", "XTS", "HRK", "ZWL", "DEM",
					 "eur", "Eur", "EURO", "EU", "", "AAA", "ZZZ" };
	size_t i;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		CHECK_INT(-1, crm_currency_exponent(unknown[i]));
		CHECK(!crm_currency_is_known(unknown[i]));
	}
	CHECK_INT(-1, crm_currency_exponent(NULL));
}

static void test_money__parse(void)
{
	struct crm_money m = money("12000.00 EUR");

	CHECK_INT(1200000, m.amount.units);
	CHECK_INT(2, m.amount.scale);
	CHECK_STR("EUR", m.currency);
	m = money("-3.5 USD");
	CHECK_INT(-35, m.amount.units);
	CHECK_STR("USD", m.currency);
	/* unit prices keep the precision they were written with */
	m = money("0.0125 EUR");
	CHECK_INT(125, m.amount.units);
	CHECK_INT(4, m.amount.scale);
	/* unknown codes pass here; crm check reports them */
	m = money("5 XYZ");
	CHECK_STR("XYZ", m.currency);
	CHECK_INT(0, crm_money_parse(&m, "12000", "PLN"));
	CHECK_INT(12000, m.amount.units);
	CHECK_STR("PLN", m.currency);
	CHECK_INT(0, crm_money_parse(&m, "7.25 USD", "PLN"));
	CHECK_STR("USD", m.currency);
}

static void test_money__parse_errors(void)
{
	CHECK_STR("invalid money '1 250,5 PLN': use a dot as decimal separator and no "
		  "digit grouping", parse_error("1 250,5 PLN", NULL));
	CHECK_STR("invalid money '1,250.50 EUR': use a dot as decimal separator and no "
		  "digit grouping", parse_error("1,250.50 EUR", NULL));
	CHECK_STR("invalid money '12,5': use a dot as decimal separator and no "
		  "digit grouping", parse_error("12,5", "EUR"));
	CHECK_STR("invalid money '1 250.50 PLN': use a dot as decimal separator and no "
		  "digit grouping", parse_error("1 250.50 PLN", NULL));
	CHECK_STR("invalid money '1\xc2\xa0" "250.50 PLN': use a dot as decimal separator "
		  "and no digit grouping", parse_error("1\xc2\xa0" "250.50 PLN", NULL));
	CHECK_STR("invalid money '12.00  EUR': use exactly one space between the amount "
		  "and the currency code", parse_error("12.00  EUR", NULL));
	CHECK_STR("invalid money '12.00 eur': write the currency code in capitals ('EUR')",
		  parse_error("12.00 eur", NULL));
	CHECK_STR("invalid money 'EUR 12.00': write the amount first, then the currency "
		  "code", parse_error("EUR 12.00", NULL));
	CHECK_STR("invalid money '12.00EUR': put one space between the amount and the "
		  "currency code", parse_error("12.00EUR", NULL));
	CHECK_STR("invalid money '12.00 EURO': 'EURO' is not a three-letter currency code",
		  parse_error("12.00 EURO", NULL));
	CHECK_STR("invalid money '12.00 \xe2\x82\xac': '\xe2\x82\xac' is not a three-letter "
		  "currency code", parse_error("12.00 \xe2\x82\xac", NULL));
	CHECK_STR("invalid money '12000': no currency (write it as '12000 EUR')",
		  parse_error("12000", NULL));
	CHECK_STR("invalid money '': empty amount", parse_error("", "EUR"));
	CHECK_STR("invalid money ' 12.00 EUR': remove the space before or after the value",
		  parse_error(" 12.00 EUR", NULL));
	CHECK_STR("invalid money '12.00 EUR ': remove the space before or after the value",
		  parse_error("12.00 EUR ", NULL));
	CHECK_STR("invalid money '1e3 EUR': '1e3' is not a number",
		  parse_error("1e3 EUR", NULL));
	CHECK_STR("invalid money '$12 USD': '$12' is not a number",
		  parse_error("$12 USD", NULL));
	CHECK_STR("invalid money '0.1234567890123 EUR': more than 12 decimals",
		  parse_error("0.1234567890123 EUR", NULL));
	CHECK_STR("invalid money '99999999999999999999 EUR': the amount is too large",
		  parse_error("99999999999999999999 EUR", NULL));
	CHECK_INT(CRM_EINVALID, crm_money_parse(&(struct crm_money){ { 0, 0 }, "" },
						"99999999999999999999 EUR", NULL));
}

static void test_money__format(void)
{
	static const struct { int64_t units; int scale; const char *cur, *out; } cases[] = {
		{ 12000, 0, "EUR", "12000.00 EUR" }, { 125, 1, "EUR", "12.50 EUR" },
		{ 125, 3, "EUR", "0.125 EUR" },      { 1500, 3, "EUR", "1.50 EUR" },
		{ -50, 2, "EUR", "-0.50 EUR" },      { 100, 0, "JPY", "100 JPY" },
		{ 10000, 2, "JPY", "100 JPY" },      { 1005, 1, "JPY", "100.5 JPY" },
		{ 15, 1, "BHD", "1.500 BHD" },       { 1, 0, "CLF", "1.0000 CLF" },
		{ 15, 1, "XYZ", "1.50 XYZ" },        { 12, 0, "", "12.00" },
		{ 0, 0, "KWD", "0.000 KWD" },        { 1, 12, "USD", "0.000000000001 USD" },
	};
	struct crm_money m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m.amount.units = cases[i].units;
		m.amount.scale = cases[i].scale;
		snprintf(m.currency, sizeof(m.currency), "%s", cases[i].cur);
		CHECK_STR(cases[i].out, fmt(&m));
	}
}

static void test_money__format_amount(void)
{
	struct crm_money m = money("12000 EUR");
	char buf[32], small[12];

	CHECK_INT(0, crm_money_format_amount(buf, sizeof(buf), &m));
	CHECK_STR("12000.00", buf);
	/* "12000.00" fits in 12 bytes, " EUR" after it does not */
	CHECK_INT(CRM_EOVERFLOW, crm_money_format(small, sizeof(small), &m));
	CHECK_INT(CRM_EOVERFLOW, crm_money_format_amount(small, 8, &m));
	/* printable even though INT64_MAX units cannot be rescaled to cents */
	m.amount.units = INT64_MAX;
	m.amount.scale = 0;
	CHECK_INT(0, crm_money_format(buf, sizeof(buf), &m));
	CHECK_STR("9223372036854775807.00 EUR", buf);
}

static void test_money__round_trip(void)
{
	static const char *texts[] = { "12000.00 EUR", "-3.50 USD", "100 JPY", "0.125 EUR",
				       "1.500 BHD", "0.0001 CLF", "1250.50 PLN", "-7 KRW",
				       "3.141 KWD", "12.00 XYZ" };
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct crm_money m = money(texts[i]);
		CHECK_STR(texts[i], fmt(&m));
	}
}

static void test_money__round(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "365.125 EUR", "365.13 EUR" },   { "-365.125 EUR", "-365.13 EUR" },
		{ "156435.885 EUR", "156435.89 EUR" }, { "365.124 EUR", "365.12 EUR" },
		{ "2.5 JPY", "3 JPY" },            { "-2.5 JPY", "-3 JPY" },
		{ "1.0005 KWD", "1.001 KWD" },     { "-1.0005 KWD", "-1.001 KWD" },
		{ "1.00049 TND", "1.000 TND" },    { "1.00005 CLF", "1.0001 CLF" },
		{ "12 EUR", "12.00 EUR" },         { "0.005 XYZ", "0.01 XYZ" },
	};
	struct crm_money m, r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m = money(cases[i].in);
		CHECK_INT(0, crm_money_round(&r, &m));
		CHECK_STR(cases[i].out, fmt(&r));
	}
	m = money("2.5 JPY");
	CHECK_INT(0, crm_money_round(&m, &m));
	CHECK_INT(3, m.amount.units);
	CHECK_INT(0, m.amount.scale);
}

static void test_money__line_percentages(void)
{
	struct crm_money net = money("1460.50 EUR"), vat;

	/* 25% of a net, rounded once to the minor unit */
	CHECK_INT(0, crm_dec_mul_round(&vat.amount, net.amount, dec("0.25"), 2));
	memcpy(vat.currency, "EUR", 4);
	CHECK_STR("365.13 EUR", fmt(&vat));
	net = money("625743.54 EUR");
	CHECK_INT(0, crm_dec_mul(&vat.amount, net.amount, dec("0.25")));
	CHECK_STR("156435.885 EUR", fmt(&vat));
	CHECK_INT(0, crm_money_round(&vat, &vat));
	CHECK_STR("156435.89 EUR", fmt(&vat));
}

static void test_money__add_sub(void)
{
	struct crm_money a = money("12000.00 EUR"), b = money("0.125 EUR"), r;

	CHECK_INT(0, crm_money_add(&r, &a, &b));
	CHECK_STR("12000.125 EUR", fmt(&r));
	CHECK_INT(0, crm_money_sub(&r, &b, &a));
	CHECK_STR("-11999.875 EUR", fmt(&r));
	CHECK_INT(0, crm_money_add(&a, &a, &a));
	CHECK_STR("24000.00 EUR", fmt(&a));
}

static void test_money__add_errors(void)
{
	struct crm_money a = money("12.00 EUR"), b = money("3.00 USD"), r = money("1 PLN");
	struct crm_money big = money("9223372036854775807 EUR"), one = money("1 EUR");

	CHECK_INT(CRM_EINVALID, crm_money_add(&r, &a, &b));
	CHECK_STR("cannot add EUR and USD amounts without converting", crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_money_sub(&r, &a, &b));
	CHECK_STR("cannot subtract EUR and USD amounts without converting", crm_error_last());
	CHECK_INT(CRM_EOVERFLOW, crm_money_add(&r, &big, &one));
	CHECK_STR("1.00 PLN", fmt(&r));
}

static void test_money__convert(void)
{
	static const struct { const char *in, *rate, *to, *out; } cases[] = {
		{ "100 USD", "0.92", "EUR", "92.00 EUR" },
		{ "1000 JPY", "0.0061", "EUR", "6.10 EUR" },
		{ "100 EUR", "161.235", "JPY", "16124 JPY" },
		{ "-100 EUR", "161.235", "JPY", "-16124 JPY" },
		{ "10.00 EUR", "0.3312345", "KWD", "3.312 KWD" },
		{ "0.50 EUR", "1", "JPY", "1 JPY" },
		{ "1 BHD", "2.436", "CLF", "2.4360 CLF" },
		/* one rounding: 0.004999999999995 USD is 0.00, not 0.01 */
		{ "0.001 EUR", "4.999999999995", "USD", "0.00 USD" },
	};
	struct crm_money m, r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m = money(cases[i].in);
		CHECK_INT(0, crm_money_convert(&r, &m, dec(cases[i].rate), cases[i].to));
		CHECK_STR(cases[i].out, fmt(&r));
	}
}

static void test_money__convert_errors(void)
{
	struct crm_money m = money("100 USD"), r = money("1 PLN");
	struct crm_money big = money("9223372036854775807 USD");

	CHECK_INT(CRM_EINVALID, crm_money_convert(&r, &m, dec("0"), "EUR"));
	CHECK_STR("exchange rate for USD to EUR must be positive", crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_money_convert(&r, &m, dec("-0.92"), "EUR"));
	CHECK_INT(CRM_EINVALID, crm_money_convert(&r, &m, dec("0.92"), "EURO"));
	CHECK_INT(CRM_EINVALID, crm_money_convert(&r, &m, dec("0.92"), NULL));
	CHECK_INT(CRM_EOVERFLOW, crm_money_convert(&r, &big, dec("2"), "EUR"));
	CHECK_STR("1.00 PLN", fmt(&r));
}

static void test_money__minor_unit(void)
{
	static const char *const fit[] = { "1.50 EUR", "1.500 EUR", "1 EUR", "100 JPY",
					   "100.00 JPY", "1.005 KWD", "0.01 EUR" };
	struct crm_money m;
	size_t i;

	for (i = 0; i < sizeof(fit) / sizeof(fit[0]); i++) {
		m = money(fit[i]);
		CHECK_INT(0, crm_money_check_minor_unit(&m));
	}
	m = money("1.005 EUR");
	CHECK_INT(CRM_EINVALID, crm_money_check_minor_unit(&m));
	CHECK_STR("'1.005 EUR' has more decimals than EUR's 2", crm_error_last());
	m = money("100.5 JPY");
	CHECK_INT(CRM_EINVALID, crm_money_check_minor_unit(&m));
	CHECK_STR("'100.5 JPY' has decimals; JPY has none", crm_error_last());
	m = money("1.0001 KWD");
	CHECK_INT(CRM_EINVALID, crm_money_check_minor_unit(&m));
}

TESTS(TEST(test_money__exponents), TEST(test_money__minor_unit), TEST(test_money__unknown_codes),
      TEST(test_money__parse), TEST(test_money__parse_errors),
      TEST(test_money__format), TEST(test_money__format_amount),
      TEST(test_money__round_trip), TEST(test_money__round),
      TEST(test_money__line_percentages), TEST(test_money__add_sub),
      TEST(test_money__add_errors), TEST(test_money__convert),
      TEST(test_money__convert_errors))
