/* Money: an exact decimal amount in an ISO 4217 currency.  Amounts read from
 * files keep the precision they were written with (unit prices may carry
 * more decimals than the currency); totals are rounded to the currency's
 * minor unit with crm_money_round. */
#ifndef CRM_MONEY_H
#define CRM_MONEY_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/decimal.h"

struct crm_money {
	crm_dec amount;
	char currency[4];   /* "EUR", NUL-terminated; "" when unknown */
};

/* Minor-unit digits of an ISO 4217 code (EUR 2, JPY 0, KWD 3), or -1 when
 * the code is not an active ISO 4217 currency.  Codes whose minor unit ISO
 * gives as "N.A." (XAU, XDR, XXX...) are not money here and count as unknown.
 * Formatting, rounding and conversion treat an unknown code as having 2
 * minor digits, the common case; crm check reports the code itself. */
int crm_currency_exponent(const char *code);
bool crm_currency_is_known(const char *code);

/* Parses the SPEC form "12000.00 EUR": an amount, exactly one space, an
 * upper-case three-letter code.  A bare amount ("12000", "3.5") takes
 * `default_currency` (which may be NULL: then bare amounts are an error).
 * Refuses commas, grouping spaces, several spaces, lower-case codes, and
 * amounts with more than CRM_DEC_MAX_SCALE decimals.  Unknown codes are
 * accepted here (crm check reports them).  0 or CRM_EINVALID with a message
 * that says what is wrong ("use a dot as decimal separator"...). */
int crm_money_parse(struct crm_money *out, const char *s,
		    const char *default_currency);
/* "12000.00 EUR": the amount with at least the currency's minor digits
 * (more when the value has them: "0.125 EUR", "1.50 EUR" for 1.500), one
 * space, the code; only the amount when the currency is "".  0 or
 * CRM_EOVERFLOW when buf is too small. */
int crm_money_format(char *buf, size_t size, const struct crm_money *m);
/* Only the amount, as crm_money_format writes it ("12000.00"). */
int crm_money_format_amount(char *buf, size_t size, const struct crm_money *m);
/* crm_money_format for people: the amount grouped with the decimal mark of
 * the display locale (crm_locale_group: "330,480.00 EUR" in en,
 * "330.480,00 EUR" in de), from the exact decimal, never a double.  Not
 * for machine output (CSV, JSON), which keeps crm_money_format. */
int crm_money_format_display(char *buf, size_t size, const struct crm_money *m);
/* The spreadsheet number format of an amount in `currency`, its code shown
 * and the cell still a number: `#,##0.00 "EUR"`, `#,##0 "JPY"`.  The
 * grouping and decimal marks are the reader's: Excel and LibreOffice show
 * them in their own locale. */
void crm_money_number_format(char *buf, size_t size, const char *currency);
/* crm_money_format_amount of `amount` in currency `currency`. */
int crm_money_format_dec(char *buf, size_t size, crm_dec amount, const char *currency);
/* 0 when `m` has no more decimals than its currency's minor unit allows
 * ("1.50 EUR", "1.500 EUR", "100 JPY"), else CRM_EINVALID with a message
 * naming the unit ("1.005 EUR": EUR has 2 decimals).  For amounts that
 * stand for money moved, not prices, which may carry more. */
int crm_money_check_minor_unit(const struct crm_money *m);
/* Rounds half away from zero to the currency's minor unit. */
int crm_money_round(struct crm_money *out, const struct crm_money *m);
/* a + b; CRM_EINVALID when the currencies differ, CRM_EOVERFLOW. */
int crm_money_add(struct crm_money *out, const struct crm_money *a,
		  const struct crm_money *b);
int crm_money_sub(struct crm_money *out, const struct crm_money *a,
		  const struct crm_money *b);
/* Converts with `rate` = worth of 1 unit of m's currency in `to` (so
 * 100 USD at rate 0.92 gives 92.00 EUR), rounded half away from zero to
 * the target currency's minor unit: the single rounding rule for every
 * conversion in the tool. */
int crm_money_convert(struct crm_money *out, const struct crm_money *m,
		      crm_dec rate, const char *to);

#endif
