/* Money: decimal amounts tagged with an ISO 4217 code, the table of minor
 * units those codes have, and the one rounding rule for totals and
 * conversions (half away from zero, to the currency's minor unit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "crm/locale_format.h"
#include "crm/money.h"
#include "crm/str.h"

struct currency {
	char code[4];
	int exponent;
};

/* Active ISO 4217 codes with a minor unit (list one, 2025), sorted for
 * bsearch.  Kept: ANG, CUC and SLL, still listed while their successors
 * XCG, CUP and SLE take over.  Left out: HRK and ZWL (withdrawn) and the
 * "N.A." codes (metals, XDR, bond units, XSU, XUA, XTS, XXX). */
static const struct currency currencies[] = {
	{ "AED", 2 }, { "AFN", 2 }, { "ALL", 2 }, { "AMD", 2 }, { "ANG", 2 }, { "AOA", 2 },
	{ "ARS", 2 }, { "AUD", 2 }, { "AWG", 2 }, { "AZN", 2 }, { "BAM", 2 }, { "BBD", 2 },
	{ "BDT", 2 }, { "BGN", 2 }, { "BHD", 3 }, { "BIF", 0 }, { "BMD", 2 }, { "BND", 2 },
	{ "BOB", 2 }, { "BOV", 2 }, { "BRL", 2 }, { "BSD", 2 }, { "BTN", 2 }, { "BWP", 2 },
	{ "BYN", 2 }, { "BZD", 2 }, { "CAD", 2 }, { "CDF", 2 }, { "CHE", 2 }, { "CHF", 2 },
	{ "CHW", 2 }, { "CLF", 4 }, { "CLP", 0 }, { "CNY", 2 }, { "COP", 2 }, { "COU", 2 },
	{ "CRC", 2 }, { "CUC", 2 }, { "CUP", 2 }, { "CVE", 2 }, { "CZK", 2 }, { "DJF", 0 },
	{ "DKK", 2 }, { "DOP", 2 }, { "DZD", 2 }, { "EGP", 2 }, { "ERN", 2 }, { "ETB", 2 },
	{ "EUR", 2 }, { "FJD", 2 }, { "FKP", 2 }, { "GBP", 2 }, { "GEL", 2 }, { "GHS", 2 },
	{ "GIP", 2 }, { "GMD", 2 }, { "GNF", 0 }, { "GTQ", 2 }, { "GYD", 2 }, { "HKD", 2 },
	{ "HNL", 2 }, { "HTG", 2 }, { "HUF", 2 }, { "IDR", 2 }, { "ILS", 2 }, { "INR", 2 },
	{ "IQD", 3 }, { "IRR", 2 }, { "ISK", 0 }, { "JMD", 2 }, { "JOD", 3 }, { "JPY", 0 },
	{ "KES", 2 }, { "KGS", 2 }, { "KHR", 2 }, { "KMF", 0 }, { "KPW", 2 }, { "KRW", 0 },
	{ "KWD", 3 }, { "KYD", 2 }, { "KZT", 2 }, { "LAK", 2 }, { "LBP", 2 }, { "LKR", 2 },
	{ "LRD", 2 }, { "LSL", 2 }, { "LYD", 3 }, { "MAD", 2 }, { "MDL", 2 }, { "MGA", 2 },
	{ "MKD", 2 }, { "MMK", 2 }, { "MNT", 2 }, { "MOP", 2 }, { "MRU", 2 }, { "MUR", 2 },
	{ "MVR", 2 }, { "MWK", 2 }, { "MXN", 2 }, { "MXV", 2 }, { "MYR", 2 }, { "MZN", 2 },
	{ "NAD", 2 }, { "NGN", 2 }, { "NIO", 2 }, { "NOK", 2 }, { "NPR", 2 }, { "NZD", 2 },
	{ "OMR", 3 }, { "PAB", 2 }, { "PEN", 2 }, { "PGK", 2 }, { "PHP", 2 }, { "PKR", 2 },
	{ "PLN", 2 }, { "PYG", 0 }, { "QAR", 2 }, { "RON", 2 }, { "RSD", 2 }, { "RUB", 2 },
	{ "RWF", 0 }, { "SAR", 2 }, { "SBD", 2 }, { "SCR", 2 }, { "SDG", 2 }, { "SEK", 2 },
	{ "SGD", 2 }, { "SHP", 2 }, { "SLE", 2 }, { "SLL", 2 }, { "SOS", 2 }, { "SRD", 2 },
	{ "SSP", 2 }, { "STN", 2 }, { "SVC", 2 }, { "SYP", 2 }, { "SZL", 2 }, { "THB", 2 },
	{ "TJS", 2 }, { "TMT", 2 }, { "TND", 3 }, { "TOP", 2 }, { "TRY", 2 }, { "TTD", 2 },
	{ "TWD", 2 }, { "TZS", 2 }, { "UAH", 2 }, { "UGX", 0 }, { "USD", 2 }, { "USN", 2 },
	{ "UYI", 0 }, { "UYU", 2 }, { "UYW", 4 }, { "UZS", 2 }, { "VED", 2 }, { "VES", 2 },
	{ "VND", 0 }, { "VUV", 0 }, { "WST", 2 }, { "XAF", 0 }, { "XCD", 2 }, { "XCG", 2 },
	{ "XOF", 0 }, { "XPF", 0 }, { "YER", 2 }, { "ZAR", 2 }, { "ZMW", 2 }, { "ZWG", 2 },
};

/* the minor digits assumed for a code outside the table */
#define UNKNOWN_EXPONENT 2

static int compare_code(const void *key, const void *elem)
{
	return strcmp(key, ((const struct currency *)elem)->code);
}

int crm_currency_exponent(const char *code)
{
	const struct currency *c;

	if (!code || strlen(code) != 3)
		return -1;
	c = bsearch(code, currencies, sizeof(currencies) / sizeof(currencies[0]),
		    sizeof(currencies[0]), compare_code);
	return c ? c->exponent : -1;
}

bool crm_currency_is_known(const char *code)
{
	return crm_currency_exponent(code) >= 0;
}

static int minor_digits(const char *code)
{
	int e = crm_currency_exponent(code);
	return e < 0 ? UNKNOWN_EXPONENT : e;
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_letter(char c)
{
	return is_upper(c) || (c >= 'a' && c <= 'z');
}

static bool all_letters(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (!is_letter(s[i]))
			return false;
	return len > 0;
}

static int invalid(const char *s, const char *why)
{
	return crm_error_set(CRM_EINVALID, "invalid money '%s': %s", s, why);
}

/* Characters that only turn up in an amount through a locale's digit
 * grouping or decimal comma: ',' '\'' '_' ' ' and non-ASCII spaces. */
static bool has_grouping(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ',' || c == '\'' || c == '_' || c == ' ' || c >= 0x80)
			return true;
	}
	return false;
}

static int parse_code(char out[4], const char *s, const char *code)
{
	char upper[4];
	size_t i;

	if (strlen(code) != 3 || !all_letters(code, 3))
		return crm_error_set(CRM_EINVALID, "invalid money '%s': '%s' is not a "
				     "three-letter currency code", s, code);
	if (!is_upper(code[0]) || !is_upper(code[1]) || !is_upper(code[2])) {
		for (i = 0; i < 3; i++)
			upper[i] = is_upper(code[i]) ? code[i] : (char)(code[i] - 'a' + 'A');
		upper[3] = '\0';
		return crm_error_set(CRM_EINVALID, "invalid money '%s': write the currency "
				     "code in capitals ('%s')", s, upper);
	}
	memcpy(out, code, 4);
	return 0;
}

static int parse_amount(crm_dec *out, const char *s, const char *amount, size_t len)
{
	const char *dot = memchr(amount, '.', len);
	int err;

	if (has_grouping(amount, len))
		return invalid(s, "use a dot as decimal separator and no digit grouping");
	err = crm_dec_parse(out, amount, len);
	if (!err)
		return 0;
	if (err == CRM_EOVERFLOW)
		return invalid(s, "the amount is too large");
	if (dot && len - (size_t)(dot - amount) - 1 > CRM_DEC_MAX_SCALE)
		return invalid(s, "more than 12 decimals");
	return crm_error_set(CRM_EINVALID, "invalid money '%s': '%.*s' is not a "
			     "number", s, (int)len, amount);
}

static int parse_bare(struct crm_money *out, const char *s, const char *default_currency)
{
	size_t len = strlen(s);
	crm_dec amount;
	int err;

	if (len > 3 && all_letters(s + len - 3, 3) && !is_letter(s[len - 4]))
		return invalid(s, "put one space between the amount and the currency code");
	if (!default_currency)
		return crm_error_set(CRM_EINVALID, "invalid money '%s': no currency "
				     "(write it as '%s EUR')", s, s);
	err = parse_amount(&amount, s, s, len);
	if (err)
		return err;
	if (strlen(default_currency) != 3)
		return crm_error_set(CRM_EINVALID, "invalid default currency '%s'",
				     default_currency);
	out->amount = amount;
	memcpy(out->currency, default_currency, 4);
	return 0;
}

/* Several spaces: a code written first, a doubled space or grouping. */
static int spaces_error(const char *s, const char *space)
{
	if (all_letters(s, (size_t)(space - s)))
		return invalid(s, "write the amount first, then the currency code");
	if (strstr(s, "  "))
		return invalid(s, "use exactly one space between the amount and the "
			       "currency code");
	return invalid(s, "use a dot as decimal separator and no digit grouping");
}

int crm_money_parse(struct crm_money *out, const char *s,
		    const char *default_currency)
{
	const char *space = strchr(s, ' ');
	size_t len = strlen(s);
	struct crm_money m;
	int err;

	if (!len)
		return crm_error_set(CRM_EINVALID, "invalid money '': empty amount");
	if (s[0] == ' ' || s[len - 1] == ' ')
		return invalid(s, "remove the space before or after the value");
	if (strchr(s, ','))
		return invalid(s, "use a dot as decimal separator and no digit grouping");
	if (!space)
		return parse_bare(out, s, default_currency);
	if (strchr(space + 1, ' ') || all_letters(s, (size_t)(space - s)))
		return spaces_error(s, space);
	err = parse_code(m.currency, s, space + 1);
	if (!err)
		err = parse_amount(&m.amount, s, s, (size_t)(space - s));
	if (!err)
		*out = m;
	return err;
}

static int too_small(size_t size)
{
	return crm_error_set(CRM_EOVERFLOW, "a buffer of %zu bytes is too small for "
			     "the amount", size);
}

/* Pads with zeros as text rather than rescaling the units, which could
 * overflow for amounts that are perfectly printable. */
int crm_money_format_dec(char *buf, size_t size, crm_dec amount, const char *currency)
{
	struct crm_money m;
	m.amount = amount;
	crm_str_copy(m.currency, sizeof(m.currency), currency);
	return crm_money_format_amount(buf, size, &m);
}

int crm_money_format_amount(char *buf, size_t size, const struct crm_money *m)
{
	crm_dec d = crm_dec_normalize(m->amount);
	int pad = minor_digits(m->currency) - d.scale;
	int err = crm_dec_format(buf, size, d);
	size_t used;

	if (err || pad <= 0)
		return err;
	used = strlen(buf);
	if (size - used <= (size_t)pad + (d.scale == 0))
		return too_small(size);
	if (d.scale == 0)
		buf[used++] = '.';
	memset(buf + used, '0', (size_t)pad);
	buf[used + (size_t)pad] = '\0';
	return 0;
}

void crm_money_number_format(char *buf, size_t size, const char *currency)
{
	int exp = minor_digits(currency);

	snprintf(buf, size, "#,##0%s%.*s \"%s\"", exp > 0 ? "." : "", exp > 0 ? exp : 0,
		 "0000", currency);
}

int crm_money_format_display(char *buf, size_t size, const struct crm_money *m)
{
	char amount[64];
	int err = crm_money_format_amount(amount, sizeof(amount), m);

	if (err)
		return err;
	crm_locale_group(buf, size, amount);   /* as it is when ICU cannot */
	if (!m->currency[0])
		return 0;
	if (size - strlen(buf) < 5)
		return too_small(size);
	return snprintf(buf + strlen(buf), size - strlen(buf), " %s", m->currency) < 0
	       ? CRM_EOVERFLOW : 0;
}

int crm_money_format(char *buf, size_t size, const struct crm_money *m)
{
	size_t used;
	int err = crm_money_format_amount(buf, size, m);

	if (err || !m->currency[0])
		return err;
	used = strlen(buf);
	if (size - used < 5)
		return too_small(size);
	buf[used] = ' ';
	memcpy(buf + used + 1, m->currency, 4);
	return 0;
}

int crm_money_check_minor_unit(const struct crm_money *m)
{
	crm_dec d = crm_dec_normalize(m->amount);   /* 1.500 is 1.5 */
	int digits = minor_digits(m->currency);
	char buf[64];

	if (d.scale <= digits)
		return 0;
	if (crm_money_format(buf, sizeof(buf), m))
		buf[0] = '\0';
	if (!digits)
		return crm_error_set(CRM_EINVALID, "'%s' has decimals; %s has none", buf,
				     m->currency);
	return crm_error_set(CRM_EINVALID, "'%s' has more decimals than %s's %d", buf,
			     m->currency, digits);
}

int crm_money_round(struct crm_money *out, const struct crm_money *m)
{
	struct crm_money r = *m;
	int err = crm_dec_round(&r.amount, m->amount, minor_digits(m->currency));

	if (!err)
		*out = r;
	return err;
}

static int same_currency(const struct crm_money *a, const struct crm_money *b,
			 const char *verb)
{
	if (!strcmp(a->currency, b->currency))
		return 0;
	return crm_error_set(CRM_EINVALID, "cannot %s %s and %s amounts without "
			     "converting", verb, a->currency, b->currency);
}

int crm_money_add(struct crm_money *out, const struct crm_money *a,
		  const struct crm_money *b)
{
	struct crm_money r = *a;
	int err = same_currency(a, b, "add");

	if (!err)
		err = crm_dec_add(&r.amount, a->amount, b->amount);
	if (!err)
		*out = r;
	return err;
}

int crm_money_sub(struct crm_money *out, const struct crm_money *a,
		  const struct crm_money *b)
{
	struct crm_money r = *a;
	int err = same_currency(a, b, "subtract");

	if (!err)
		err = crm_dec_sub(&r.amount, a->amount, b->amount);
	if (!err)
		*out = r;
	return err;
}

int crm_money_convert(struct crm_money *out, const struct crm_money *m,
		      crm_dec rate, const char *to)
{
	struct crm_money r;
	int err;

	if (!to || strlen(to) != 3)
		return crm_error_set(CRM_EINVALID, "invalid currency code '%s'",
				     to ? to : "");
	if (rate.units <= 0)
		return crm_error_set(CRM_EINVALID, "exchange rate for %s to %s must be "
				     "positive", m->currency, to);
	memcpy(r.currency, to, 4);
	/* one rounding, on the exact product: never round the rate first */
	err = crm_dec_mul_round(&r.amount, m->amount, rate, minor_digits(to));
	if (!err)
		*out = r;
	return err;
}
