/* Numbers and dates in a language's conventions, through ICU's number and
 * date formatting (unum, udat): CLDR's data is right where a hand-written
 * table would drift (Polish groups only from five digits, French groups
 * with a narrow no-break space, Chinese dates are 年月日).  Also ICU's
 * transliterators, for ids made from names: the one file that includes ICU. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/udat.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "crm/dlib.h"
#include "crm/error.h"
#include "crm/locale_format.h"

/* ICU is loaded the first time a number or a date is formatted or a name
 * romanized (crm/dlib.h): most commands never do.  Its headers rename
 * each function after the version (unum_open is unum_open_72), here and
 * in the names looked up alike. */
#define ICU_FUNCTIONS(X) \
	X(u_strFromUTF8) X(u_strToUTF8) X(u_uastrcpy) \
	X(udat_close) X(udat_format) X(udat_open) \
	X(unum_close) X(unum_formatDecimal) X(unum_open) X(unum_setAttribute) \
	X(utrans_openU) X(utrans_transUChars)

static struct {
#define ICU_POINTER(fn) __typeof__(fn) *fn;
	ICU_FUNCTIONS(ICU_POINTER)
#undef ICU_POINTER
} icu;

static void resolve_icu(struct crm_dlib *d, void *handle)
{
#define ICU_RESOLVE(fn) *(void **)&icu.fn = crm_dlib_sym(d, handle, CRM_DLIB_NAME(fn));
	ICU_FUNCTIONS(ICU_RESOLVE)
#undef ICU_RESOLVE
}

/* i18n depends on uc: a symbol looked up through its handle is found in
 * either */
static struct crm_dlib icu_dlib =
	CRM_DLIB_INIT("libicui18n.so." CRM_DLIB_NAME(U_ICU_VERSION_MAJOR_NUM),
		      "libicu" CRM_DLIB_NAME(U_ICU_VERSION_MAJOR_NUM), resolve_icu);

/* 0 once ICU is loaded; else the error is set, and callers write the
 * value unformatted */
static int icu_load(void)
{
	return crm_dlib_load(&icu_dlib, "format numbers and dates");
}

/* A formatted value longer than this is not a number or a date. */
#define MAX_UCHARS 128

static void copy_unchanged(char *buf, size_t size, const char *text)
{
	snprintf(buf, size, "%s", text);
}

/* `u` (UTF-16 from ICU) as UTF-8 into `buf`. */
static int to_utf8(char *buf, size_t size, const UChar *u, int32_t len)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t n = 0;

	if (size > INT32_MAX)
		size = INT32_MAX;
	icu.u_strToUTF8(buf, (int32_t)size, &n, u, len, &status);
	if (U_FAILURE(status) || (size_t)n >= size)
		return CRM_EINVALID;
	buf[n] = '\0';
	return 0;
}

/* Digits after the '.' of a decimal string. */
static int32_t fraction_digits(const char *decimal)
{
	const char *dot = strchr(decimal, '.');
	return dot ? (int32_t)strlen(dot + 1) : 0;
}

/* Opening a formatter loads CLDR data, and changing its number of
 * fraction digits rebuilds it (ten times the cost of a format): a table of
 * many cells formats through one formatter per number of fraction digits,
 * kept for the last locale asked. */
#define KEPT_FRACTIONS 8

static pthread_mutex_t decimal_lock = PTHREAD_MUTEX_INITIALIZER;
static UNumberFormat *decimal_fmt[KEPT_FRACTIONS + 1];   /* the last: any other */
static char decimal_locale[64];

static void close_decimal_formatters(void)
{
	size_t i;

	for (i = 0; i <= KEPT_FRACTIONS; i++) {
		if (decimal_fmt[i])
			icu.unum_close(decimal_fmt[i]);
		decimal_fmt[i] = NULL;
	}
}

static UNumberFormat *open_decimal_formatter(const char *locale, int32_t frac)
{
	UErrorCode status = U_ZERO_ERROR;
	UNumberFormat *fmt = icu.unum_open(UNUM_DECIMAL, NULL, 0, locale, NULL, &status);

	if (U_FAILURE(status)) {
		if (fmt)
			icu.unum_close(fmt);
		return NULL;
	}
	/* the locale's own rule (Polish and Spanish: 7200 but 12 345), which
	 * the old API leaves at "always" unless asked */
	icu.unum_setAttribute(fmt, UNUM_MINIMUM_GROUPING_DIGITS, UNUM_MINIMUM_GROUPING_DIGITS_AUTO);
	icu.unum_setAttribute(fmt, UNUM_MIN_FRACTION_DIGITS, frac);
	icu.unum_setAttribute(fmt, UNUM_MAX_FRACTION_DIGITS, frac);
	return fmt;
}

static UNumberFormat *decimal_formatter(const char *locale, int32_t frac)
{
	size_t slot = frac >= 0 && frac < KEPT_FRACTIONS ? (size_t)frac : KEPT_FRACTIONS;

	if (strcmp(decimal_locale, locale)) {
		close_decimal_formatters();
		snprintf(decimal_locale, sizeof(decimal_locale), "%s", locale);
	}
	if (!decimal_fmt[slot])
		decimal_fmt[slot] = open_decimal_formatter(locale, frac);
	else if (slot == KEPT_FRACTIONS) {
		icu.unum_setAttribute(decimal_fmt[slot], UNUM_MIN_FRACTION_DIGITS, frac);
		icu.unum_setAttribute(decimal_fmt[slot], UNUM_MAX_FRACTION_DIGITS, frac);
	}
	return decimal_fmt[slot];
}

/* English as CLDR writes it, for "en" and "en_US" (and so for the C
 * locale): a '-' before a negative, groups of three joined by ',' from
 * four digits on, '.' before the fraction.  Written here because loading
 * ICU and its data for the default locale was two milliseconds of every
 * dashboard, a tenth of a small one; the unit test holds it to ICU's own
 * output.  Only a canonical decimal ("-1234.50": no '+', no leading zero,
 * not a negative zero) is taken; anything else is ICU's.  1 when `buf`
 * holds the result, 0 when ICU should write it, CRM_EINVALID when `buf`
 * is too small. */
static int english_decimal(char *buf, size_t size, const char *locale, const char *decimal)
{
	const char *p = decimal + (*decimal == '-'), *dot;
	size_t ndigits, i, len;
	bool zero = true;
	char *o = buf;

	if (strcmp(locale, "en") && strcmp(locale, "en_US"))
		return 0;
	ndigits = strspn(p, "0123456789");
	dot = p + ndigits;
	if (!ndigits || (p[0] == '0' && ndigits > 1) ||
	    (*dot && (*dot != '.' || !dot[1] || dot[1 + strspn(dot + 1, "0123456789")])))
		return 0;
	for (i = 0; p[i]; i++)
		zero = zero && (p[i] == '0' || p[i] == '.');
	if (p != decimal && zero)
		return 0;
	len = strlen(decimal) + (ndigits - 1) / 3 * (ndigits > 3);
	if (len >= size)
		return CRM_EINVALID;
	if (p != decimal)
		*o++ = '-';
	for (i = 0; i < ndigits; i++) {
		if (i && ndigits > 3 && (ndigits - i) % 3 == 0)
			*o++ = ',';
		*o++ = p[i];
	}
	memcpy(o, dot, strlen(dot) + 1);
	return 1;
}

int crm_locale_decimal(char *buf, size_t size, const char *locale, const char *decimal)
{
	UErrorCode status = U_ZERO_ERROR;
	UNumberFormat *fmt;
	UChar out[MAX_UCHARS];
	int32_t n = 0, frac = fraction_digits(decimal);
	int err = english_decimal(buf, size, locale, decimal);

	if (err) {
		if (err < 0)
			copy_unchanged(buf, size, decimal);
		return err > 0 ? 0 : err;
	}
	err = CRM_EINVALID;
	if (icu_load()) {
		copy_unchanged(buf, size, decimal);
		return CRM_EINVALID;
	}
	pthread_mutex_lock(&decimal_lock);
	fmt = decimal_formatter(locale, frac);
	if (fmt) {
		n = icu.unum_formatDecimal(fmt, decimal, (int32_t)strlen(decimal), out, MAX_UCHARS,
				       NULL, &status);
		if (U_SUCCESS(status) && n < MAX_UCHARS)
			err = to_utf8(buf, size, out, n);
	}
	pthread_mutex_unlock(&decimal_lock);
	if (err)
		copy_unchanged(buf, size, decimal);
	return err;
}

/* The locale figures are shown in; "" until set or first asked. */
static char display_locale[64];

/* "de_DE.UTF-8@euro" -> "de_DE"; "C" and "POSIX" (no language) -> "en". */
static void locale_from_env_value(char *out, size_t size, const char *value)
{
	size_t n = strcspn(value, ".@");

	if (!n || (n == 1 && value[0] == 'C') || (n == 5 && !strncmp(value, "POSIX", 5)))
		snprintf(out, size, "en");
	else
		snprintf(out, size, "%.*s", (int)n, value);
}

void crm_locale_display_set(const char *locale)
{
	static const char *const vars[] = { "LC_ALL", "LC_NUMERIC", "LANG" };
	const char *v = NULL;
	size_t i;

	if (locale && *locale) {
		snprintf(display_locale, sizeof(display_locale), "%s", locale);
		return;
	}
	/* POSIX's order: LC_ALL overrides LC_NUMERIC, which overrides LANG */
	for (i = 0; i < sizeof(vars) / sizeof(*vars) && !(v && *v); i++)
		v = getenv(vars[i]);
	locale_from_env_value(display_locale, sizeof(display_locale), v && *v ? v : "C");
}

const char *crm_locale_display(void)
{
	if (!display_locale[0])
		crm_locale_display_set(NULL);
	return display_locale;
}

int crm_locale_group(char *buf, size_t size, const char *decimal)
{
	return crm_locale_decimal(buf, size, crm_locale_display(), decimal);
}

/* Noon UTC of the date, in ICU's milliseconds, so that no time zone moves
 * it to another day; -1 when `iso` is not YYYY-MM-DD. */
static int iso_to_udate(UDate *out, const char *iso)
{
	int y, m, d, used = 0;
	long long days;

	if (sscanf(iso, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return -1;
	/* days since 1970-01-01 (Howard Hinnant's days_from_civil) */
	y -= m <= 2;
	{
		long long era = (y >= 0 ? y : y - 399) / 400;
		long long yoe = y - era * 400;
		long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		days = era * 146097 + doe - 719468;
	}
	*out = (UDate)(days * 86400000LL + 12 * 3600000LL);
	return 0;
}

int crm_locale_date(char *buf, size_t size, const char *locale, const char *iso)
{
	static const UChar utc[] = { 'U', 'T', 'C', 0 };
	UErrorCode status = U_ZERO_ERROR;
	UDateFormat *fmt = NULL;
	UChar out[MAX_UCHARS];
	UDate when;
	int32_t n = 0;
	int err = CRM_EINVALID;

	if (!iso_to_udate(&when, iso) && !icu_load())
		fmt = icu.udat_open(UDAT_NONE, UDAT_LONG, locale, utc, -1, NULL, 0, &status);
	if (fmt && U_SUCCESS(status))
		n = icu.udat_format(fmt, when, out, MAX_UCHARS, NULL, &status);
	if (fmt && U_SUCCESS(status) && n < MAX_UCHARS)
		err = to_utf8(buf, size, out, n);
	if (err)
		copy_unchanged(buf, size, iso);
	if (fmt)
		icu.udat_close(fmt);
	return err;
}

/* The scripts whose romanisation is a standard people read back (ISO 9 for
 * Cyrillic, UN/ELOT for Greek, ...).  Chinese, Japanese, Korean and Khmer
 * are left alone: their romanisations are ambiguous without the reading,
 * and ids for them stay short and random.  The primes ICU writes for the
 * Cyrillic soft and hard signs would split a word in an id. */
static const char translit_id[] =
	"Cyrillic-Latin; Greek-Latin/UNGEGN; Armenian-Latin; Georgian-Latin; "
	"Devanagari-Latin; [\\u02B9\\u02BA] Remove; Latin-ASCII";

static pthread_once_t translit_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t translit_lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *translit;   /* NULL when ICU lacks the rules */

/* Opening compiles the rules, some milliseconds: once per process. */
static void open_translit(void)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar id[sizeof(translit_id)];

	if (icu_load())
		return;   /* translit stays NULL */
	icu.u_uastrcpy(id, translit_id);
	translit = icu.utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
	if (U_FAILURE(status))
		translit = NULL;
}

/* `s` as UTF-16 in a buffer with room for transliteration to grow it;
 * NULL when out of memory or not UTF-8. */
static UChar *to_utf16(int32_t *len, int32_t *cap, const char *s)
{
	UErrorCode status = U_ZERO_ERROR;
	size_t bytes = strlen(s);
	UChar *u;

	if (bytes > INT32_MAX / 8)
		return NULL;
	*cap = (int32_t)bytes * 4 + 16;   /* "Щ" becomes "Šč", "Ψ" "Ps" */
	u = malloc((size_t)*cap * sizeof(*u));
	if (!u)
		return NULL;
	icu.u_strFromUTF8(u, *cap, len, s, (int32_t)bytes, &status);
	if (U_FAILURE(status)) {
		free(u);
		return NULL;
	}
	return u;
}

int crm_locale_romanize(char *buf, size_t size, const char *s)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t len = 0, cap = 0, limit;
	UChar *u;
	int err = CRM_EINVALID;

	pthread_once(&translit_once, open_translit);
	u = translit ? to_utf16(&len, &cap, s) : NULL;
	if (u) {
		limit = len;
		pthread_mutex_lock(&translit_lock);
		icu.utrans_transUChars(translit, u, &len, cap, 0, &limit, &status);
		pthread_mutex_unlock(&translit_lock);
		if (U_SUCCESS(status))
			err = to_utf8(buf, size, u, len);
		free(u);
	}
	if (err)
		copy_unchanged(buf, size, s);
	return err;
}
