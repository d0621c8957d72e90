/* Numbers and dates written as a language writes them ("pl": 7 200,00 and
 * 1 grudnia 2026), through ICU.  Exact: numbers go in and out as decimal
 * strings, never through a binary float. */
#ifndef CRM_LOCALE_FORMAT_H
#define CRM_LOCALE_FORMAT_H

#include <stddef.h>

/* `decimal` ("-1234.50", digits with an optional sign and '.') with the
 * grouping and decimal mark of `locale` ("pl", "de", "zh"...), keeping
 * exactly the digits after the mark that `decimal` has.  0, or a negative
 * code when ICU cannot (then `buf` holds `decimal` unchanged). */
int crm_locale_decimal(char *buf, size_t size, const char *locale, const char *decimal);

/* The locale that figures for people are shown in (terminal tables, the
 * dashboard, HTML): `locale` ("de_DE", "pl"), which is crm.ini's
 * `[crm] locale`, or when NULL or empty the environment's LC_ALL, else
 * LC_NUMERIC, else LANG, without its ".UTF-8"; C and POSIX mean "en". */
void crm_locale_display_set(const char *locale);
/* That locale; from the environment when never set. */
const char *crm_locale_display(void);
/* crm_locale_decimal in that locale: "330480.00" -> "330,480.00" in en,
 * "330.480,00" in de, "330 480,00" in pl. */
int crm_locale_group(char *buf, size_t size, const char *decimal);

/* `iso` ("2026-12-01") as `locale` writes a date in full ("1 December
 * 2026", "1. Dezember 2026", "2026年12月1日"); like crm_locale_decimal
 * when it cannot. */
int crm_locale_date(char *buf, size_t size, const char *locale, const char *iso);

/* `s` with its Cyrillic, Greek, Armenian, Georgian and Devanagari letters
 * written in Latin ones as their standard romanisation does, then in ASCII
 * ("Москва Трейд" -> "Moskva Trejd", "Αθήνα" -> "Athina"); other scripts
 * (Chinese, Japanese, Korean, Khmer...) stay as they are.  For ids made
 * from names.  0, or a negative code when ICU cannot or `buf` is too small
 * (then `buf` holds `s` unchanged, cut to fit). */
int crm_locale_romanize(char *buf, size_t size, const char *s);

#endif
