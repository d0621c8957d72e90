/* One cell's text made into what a field stores: spreadsheets write dates
 * as 03/31/2024, 31.03.2024 or serial day numbers, amounts as "1 250,50"
 * or "$1,250.50"; records hold 2024-03-31 and "1250.50 EUR". */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/import/import_internal.h"
#include "crm/config.h"
#include "crm/date.h"
#include "crm/error.h"
#include "crm/utf8.h"

static int normalise_date(struct crm_buf *out, const char *in, const char *fmt)
{
	char iso[16];
	crm_date d;

	if (fmt && !strcmp(fmt, "excel") && in[0] && strspn(in, "0123456789") == strlen(in) &&
	    strlen(in) <= 6) {
		/* Excel's day 1 is 1900-01-01 and it counts a 1900-02-29 that
		 * never was, so serial n is n days after 1899-12-30 */
		long serial = strtol(in, NULL, 10);
		crm_date_format(iso, sizeof(iso), crm_date_from_ymd(1899, 12, 30) + (crm_date)serial);
		return crm_buf_adds(out, iso);
	}
	if (fmt && strcmp(fmt, "excel")) {
		struct tm tm;
		const char *end;
		memset(&tm, 0, sizeof(tm));
		end = strptime(in, fmt, &tm);
		if (!end || (*end && *end != ' ' && *end != 'T') ||
		    !crm_date_valid(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday))
			return crm_error_set(CRM_EINVALID, "'%s' is not a date in the form '%s'",
					     in, fmt);
		crm_date_format(iso, sizeof(iso),
				crm_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday));
		return crm_buf_adds(out, iso);
	}
	/* ISO dates, and the date of an ISO timestamp (2024-03-31T10:00:00Z) */
	if (strlen(in) >= 10 && !crm_date_parse(&d, in, 10) &&
	    (!in[10] || in[10] == 'T' || in[10] == ' ')) {
		crm_date_format(iso, sizeof(iso), d);
		return crm_buf_adds(out, iso);
	}
	return crm_error_set(CRM_EINVALID, "'%s' is not a date (YYYY-MM-DD); say how it is "
			     "written with date-format = %%m/%%d/%%Y (or excel)", in);
}

/* Skips the spaces spreadsheets group digits with: ASCII, no-break,
 * narrow no-break and thin spaces, and the Swiss apostrophe. */
static size_t group_space(const char *s)
{
	if (*s == ' ' || *s == '\'')
		return 1;
	if (!strncmp(s, "\xC2\xA0", 2))
		return 2;
	if (!strncmp(s, "\xE2\x80\xAF", 3) || !strncmp(s, "\xE2\x80\x89", 3))
		return 3;
	return 0;
}

static const char *symbol_currency(const char *s, size_t *len)
{
	static const struct { const char *sym, *code; } syms[] = {
		{ "\xE2\x82\xAC", "EUR" }, { "\xC2\xA3", "GBP" }, { "$", "USD" },
		{ "\xC2\xA5", "JPY" }, { "z\xC5\x82", "PLN" },
	};
	size_t i;
	for (i = 0; i < sizeof(syms) / sizeof(*syms); i++) {
		*len = strlen(syms[i].sym);
		if (!strncmp(s, syms[i].sym, *len))
			return syms[i].code;
	}
	return NULL;
}

/* "1 250,50", "$1,250.50", "(300)", "EUR 12.5" -> the plain number in
 * `num` and the currency code or symbol's code in `cur` (may stay ""). */
static int split_amount(struct crm_buf *num, char cur[4], const char *in, char mark)
{
	const char *p = in;
	char group = mark == ',' ? '.' : ',';
	bool negative = false, digits = false, point = false;
	size_t n;
	const char *code;

	cur[0] = '\0';
	while (*p) {
		if ((n = group_space(p)) || *p == group) {
			p += n ? n : 1;
		} else if (isdigit((unsigned char)*p)) {
			crm_buf_addch(num, *p++);
			digits = true;
		} else if (*p == mark && !point) {
			crm_buf_addch(num, '.');
			point = true;
			p++;
		} else if ((*p == '-' || *p == '(') && !digits) {
			negative = true;
			p++;
		} else if (*p == ')' && negative) {
			p++;
		} else if (isupper((unsigned char)p[0]) && isupper((unsigned char)p[1]) &&
			   isupper((unsigned char)p[2]) && !isalpha((unsigned char)p[3]) && !cur[0]) {
			memcpy(cur, p, 3);
			cur[3] = '\0';
			p += 3;
		} else if ((code = symbol_currency(p, &n)) && !cur[0]) {
			memcpy(cur, code, 4);
			p += n;
		} else {
			return crm_error_set(CRM_EINVALID, "'%s' is not an amount%s", in,
					     mark == '.' && *p == ',' ? " (decimal-mark = , ?)" : "");
		}
	}
	if (!digits)
		return crm_error_set(CRM_EINVALID, "'%s' is not an amount", in);
	if (negative) {
		struct crm_buf neg = CRM_BUF_INIT;
		crm_buf_addch(&neg, '-');
		crm_buf_add(&neg, num->ptr, num->len);
		crm_buf_release(num);
		*num = neg;
	}
	return 0;
}

static int normalise_number(struct crm_buf *out, const char *in, char mark, bool money)
{
	struct crm_buf num = CRM_BUF_INIT;
	char cur[4];
	int err;
	size_t len = strlen(in);

	/* a percent column may say "25 %" */
	if (!money && len && in[len - 1] == '%') {
		struct crm_buf cut = CRM_BUF_INIT;
		crm_buf_add(&cut, in, len - 1);
		err = split_amount(&num, cur, cut.ptr, mark);
		crm_buf_release(&cut);
	} else {
		err = split_amount(&num, cur, in, mark);
	}
	if (!err && cur[0] && !money)
		err = crm_error_set(CRM_EINVALID, "'%s' is a number with a currency", in);
	if (!err) {
		crm_buf_add(out, num.ptr, num.len);
		if (cur[0])
			crm_buf_addf(out, " %s", cur);
	}
	crm_buf_release(&num);
	return err;
}

/* An allowed name that `in` spells differently ("Closed Won" for
 * "closed-won", "Prospecting" for "prospecting"), else `in` itself. */
static const char *allowed_spelling(const char *in, const char *const *values, size_t n,
				    struct crm_buf *slug)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(values[i], in))
			return in;
	crm_utf8_slug(slug, in);
	for (i = 0; i < n; i++)
		if (!strcasecmp(values[i], in) || !strcmp(values[i], slug->ptr))
			return values[i];
	return in;
}

static int normalise_choice(struct crm_buf *out, struct crm_index *idx,
			    const struct crm_field *f, const char *in)
{
	struct crm_buf slug = CRM_BUF_INIT;
	const char **names = NULL;
	size_t n = 0, i;
	int err;

	if (f->type == CRM_F_ENUM) {
		err = crm_buf_adds(out, allowed_spelling(in, f->values, f->nvalues, &slug));
	} else {
		const struct crm_config *cfg = &crm_index_repo(idx)->config;
		names = calloc(cfg->stages.len + 1, sizeof(*names));
		for (i = 0; names && i < cfg->stages.len; i++)
			names[n++] = cfg->stages.ptr[i].name;
		err = crm_buf_adds(out, allowed_spelling(in, names, n, &slug));
	}
	free(names);
	crm_buf_release(&slug);
	return err;
}

int import_normalise(struct crm_buf *out, struct crm_index *idx, const struct crm_field *f,
		     const char *in, const char *date_format, char decimal_mark)
{
	switch (f->type) {
	case CRM_F_DATE:
		return normalise_date(out, in, date_format);
	case CRM_F_MONEY:
		return normalise_number(out, in, decimal_mark, true);
	case CRM_F_NUMBER: case CRM_F_INTEGER: case CRM_F_PERCENT: case CRM_F_RATING:
		return normalise_number(out, in, decimal_mark, false);
	case CRM_F_ENUM: case CRM_F_STAGE:
		return normalise_choice(out, idx, f, in);
	default:
		return crm_buf_adds(out, in);
	}
}
