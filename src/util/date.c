/* Calendar dates, datetimes with offsets, durations, and UTC offsets read
 * straight from TZif files: the C library's time zone state (TZ, localtime)
 * is process-global and not thread-safe, so none of it is used here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "crm/date.h"
#include "crm/error.h"

#define SECS_PER_DAY 86400
#define MIN_YEAR 1
#define MAX_YEAR 9999

/* ---- the proleptic Gregorian calendar ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool crm_date_valid(int y, int m, int d)
{
	return y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 &&
	       d >= 1 && d <= days_in_month(y, m);
}

/* Counts in 400-year eras of 146097 days with years starting on March 1,
 * so that the leap day is the last day of its year and needs no case. */
crm_date crm_date_from_ymd(int y, int m, int d)
{
	int64_t year = y - (m <= 2);
	int64_t era = floor_div(year, 400);
	int64_t yoe = year - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	/* 719468 days from 0000-03-01 to 1970-01-01 */
	return (crm_date)(era * 146097 + doe - 719468);
}

void crm_date_to_ymd(crm_date d, int *y, int *m, int *day)
{
	int64_t z = (int64_t)d + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int month = (int)(mp < 10 ? mp + 3 : mp - 9);

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = month;
	*y = (int)(yoe + era * 400 + (month <= 2));
}

int crm_date_weekday(crm_date d)
{
	/* 1970-01-01 was a Thursday, 3 when Monday is 0 */
	int r = (int)(((int64_t)d + 3) % 7);
	return r < 0 ? r + 7 : r;
}

crm_date crm_date_add_months(crm_date d, int months)
{
	int y, m, day;
	int64_t index;

	crm_date_to_ymd(d, &y, &m, &day);
	index = (int64_t)y * 12 + (m - 1) + months;
	y = (int)floor_div(index, 12);
	m = (int)(index - (int64_t)y * 12) + 1;
	if (day > days_in_month(y, m))
		day = days_in_month(y, m);
	return crm_date_from_ymd(y, m, day);
}

/* ---- dates and datetimes as text ---- */

/* The n-digit number at s, or -1 when any of them is not a digit. */
static int read_digits(const char *s, int n)
{
	int v = 0, i;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Reads "YYYY-MM-DD" at the start of s (len >= 10); `what` and the whole
 * text go into the message so a datetime's error quotes the datetime. */
static int parse_ymd(crm_date *out, const char *what, const char *s, size_t len)
{
	int y = read_digits(s, 4), m = read_digits(s + 5, 2), d = read_digits(s + 8, 2);

	if (y < 0 || m < 0 || d < 0 || s[4] != '-' || s[7] != '-')
		return crm_error_set(CRM_EINVALID, "invalid %s '%.*s': expected YYYY-MM-DD",
				     what, (int)len, s);
	if (y < MIN_YEAR)
		return crm_error_set(CRM_EINVALID, "invalid %s '%.*s': year 0 out of range",
				     what, (int)len, s);
	if (m < 1 || m > 12)
		return crm_error_set(CRM_EINVALID, "invalid %s '%.*s': month %d out of range",
				     what, (int)len, s, m);
	if (d < 1 || d > 31)
		return crm_error_set(CRM_EINVALID, "invalid %s '%.*s': day %d out of range",
				     what, (int)len, s, d);
	if (d > days_in_month(y, m))
		return crm_error_set(CRM_EINVALID, "'%.10s' is not a date (%.7s has %d days)",
				     s, s, days_in_month(y, m));
	*out = crm_date_from_ymd(y, m, d);
	return 0;
}

int crm_date_parse(crm_date *out, const char *s, size_t len)
{
	if (len != 10)
		return crm_error_set(CRM_EINVALID, "invalid date '%.*s': expected YYYY-MM-DD",
				     (int)len, s);
	return parse_ymd(out, "date", s, len);
}

void crm_date_format(char *buf, size_t size, crm_date d)
{
	int y, m, day;
	crm_date_to_ymd(d, &y, &m, &day);
	snprintf(buf, size, "%04d-%02d-%02d", y, m, day);
}

static int datetime_error(const char *s, size_t len, const char *why)
{
	return crm_error_set(CRM_EINVALID, "invalid datetime '%.*s': %s", (int)len, s, why);
}

/* "Z", "+HH:MM" or "-HH:MM" making up all of s. */
static int parse_zone(int32_t *out_min, const char *s, size_t zlen,
		      const char *all, size_t len)
{
	int h, m;

	if (zlen == 1 && s[0] == 'Z') {
		*out_min = 0;
		return 0;
	}
	if (zlen != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':')
		return datetime_error(all, len, "the zone must be Z, +HH:MM or -HH:MM");
	h = read_digits(s + 1, 2);
	m = read_digits(s + 4, 2);
	if (h < 0 || m < 0 || h > 23 || m > 59)
		return datetime_error(all, len, "zone offset out of range");
	*out_min = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
	return 0;
}

/* "HH:MM[:SS]" at s; returns the characters used, or -1. */
static int parse_clock(int32_t *out_secs, const char *s, size_t avail,
		       const char *all, size_t len)
{
	int h = read_digits(s, 2), m = avail >= 5 ? read_digits(s + 3, 2) : -1;
	int sec = 0, used = 5;

	if (avail < 5 || h < 0 || m < 0 || s[2] != ':') {
		datetime_error(all, len, "expected YYYY-MM-DDTHH:MM[:SS]");
		return -1;
	}
	if (avail >= 8 && s[5] == ':') {
		sec = read_digits(s + 6, 2);
		used = 8;
	}
	if (sec < 0) {
		datetime_error(all, len, "expected seconds as :SS");
		return -1;
	}
	if (h > 23 || m > 59 || sec > 59) {
		crm_error_set(CRM_EINVALID, "invalid datetime '%.*s': time %02d:%02d:%02d out "
			      "of range", (int)len, all, h, m, sec);
		return -1;
	}
	*out_secs = h * 3600 + m * 60 + sec;
	return used;
}

int crm_datetime_parse(struct crm_datetime *out, const char *s, size_t len,
		       int32_t default_offset_min)
{
	struct crm_datetime dt = { 0, default_offset_min, false };
	crm_date day;
	int32_t secs = 0;
	int used = 0;

	if (len < 10 || (len > 10 && (len < 16 || s[10] != 'T')))
		return datetime_error(s, len, "expected YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
	if (parse_ymd(&day, "datetime", s, len))
		return CRM_EINVALID;
	if (len > 10) {
		used = parse_clock(&secs, s + 11, len - 11, s, len);
		if (used < 0)
			return CRM_EINVALID;
	}
	if (len > 10 + 1 + (size_t)used) {
		if (parse_zone(&dt.offset_min, s + 11 + used, len - 11 - (size_t)used, s, len))
			return CRM_EINVALID;
		dt.has_zone = true;
	}
	dt.epoch = (int64_t)day * SECS_PER_DAY + secs - (int64_t)dt.offset_min * 60;
	*out = dt;
	return 0;
}

static int64_t local_seconds(const struct crm_datetime *dt)
{
	return dt->epoch + (int64_t)dt->offset_min * 60;
}

crm_date crm_datetime_date(const struct crm_datetime *dt)
{
	return (crm_date)floor_div(local_seconds(dt), SECS_PER_DAY);
}

void crm_datetime_format(char *buf, size_t size, const struct crm_datetime *dt)
{
	crm_date day = crm_datetime_date(dt);
	int64_t secs = local_seconds(dt) - (int64_t)day * SECS_PER_DAY;
	int64_t off = dt->offset_min < 0 ? -(int64_t)dt->offset_min : dt->offset_min;
	char date[16], sec[16] = "", zone[32] = "";

	crm_date_format(date, sizeof(date), day);
	if (secs % 60)
		snprintf(sec, sizeof(sec), ":%02d", (int)(secs % 60));
	if (dt->has_zone && dt->offset_min == 0)
		snprintf(zone, sizeof(zone), "Z");
	else if (dt->has_zone)
		snprintf(zone, sizeof(zone), "%c%02d:%02d", dt->offset_min < 0 ? '-' : '+',
			 (int)(off / 60), (int)(off % 60));
	snprintf(buf, size, "%sT%02d:%02d%s%s", date, (int)(secs / 3600),
		 (int)(secs / 60 % 60), sec, zone);
}

/* ---- POSIX TZ rules: the footer of a TZif file, for instants after its
 * last transition (slim files stop listing transitions early) ---- */

struct tz_rule_date {
	char kind;          /* 'M' month.week.day, 'J' 1-based no leap day, 'n' 0-based */
	int month, week, wday, n;
	int32_t secs;       /* local time of day the change happens */
};

struct tz_posix {
	int32_t std_off, dst_off;   /* seconds east of UTC */
	bool has_dst;
	struct tz_rule_date start, end;
};

static bool parse_tz_name(const char **p, const char *end)
{
	const char *s = *p;

	if (s < end && *s == '<') {
		s = memchr(s, '>', (size_t)(end - s));
		if (!s)
			return false;
		*p = s + 1;
		return true;
	}
	while (s < end && ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		s++;
	if (s == *p)
		return false;
	*p = s;
	return true;
}

static bool parse_tz_number(const char **p, const char *end, int max_digits, int *out)
{
	const char *s = *p;
	int v = 0;

	while (s < end && *s >= '0' && *s <= '9' && s - *p < max_digits)
		v = v * 10 + (*s++ - '0');
	if (s == *p)
		return false;
	*p = s;
	*out = v;
	return true;
}

static bool skip_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	++*p;
	return true;
}

/* ":NN" when present; true when absent too. */
static bool parse_tz_part(const char **p, const char *end, int *out)
{
	return !skip_char(p, end, ':') || (parse_tz_number(p, end, 2, out) && *out < 60);
}

/* [+-]hh[:mm[:ss]], hours up to 167 as TZif version 3 allows. */
static bool parse_tz_time(const char **p, const char *end, int32_t *out)
{
	int sign = skip_char(p, end, '-') ? -1 : 1, h = 0, m = 0, s = 0;

	if (sign > 0)
		skip_char(p, end, '+');
	if (!parse_tz_number(p, end, 3, &h) || h > 167)
		return false;
	if (!parse_tz_part(p, end, &m) || (m && !parse_tz_part(p, end, &s)))
		return false;
	*out = sign * (h * 3600 + m * 60 + s);
	return true;
}

static bool parse_tz_month_rule(const char **p, const char *end, struct tz_rule_date *r)
{
	if (!parse_tz_number(p, end, 2, &r->month) || !skip_char(p, end, '.'))
		return false;
	if (!parse_tz_number(p, end, 1, &r->week) || !skip_char(p, end, '.'))
		return false;
	if (!parse_tz_number(p, end, 1, &r->wday))
		return false;
	return r->month >= 1 && r->month <= 12 && r->week >= 1 && r->week <= 5 &&
	       r->wday <= 6;
}

static bool parse_tz_rule(const char **p, const char *end, struct tz_rule_date *r)
{
	bool ok;

	r->kind = *p < end && (**p == 'M' || **p == 'J') ? *(*p)++ : 'n';
	r->secs = 2 * 3600;
	if (r->kind == 'M')
		ok = parse_tz_month_rule(p, end, r);
	else
		ok = parse_tz_number(p, end, 3, &r->n) &&
		     (r->kind == 'J' ? r->n >= 1 && r->n <= 365 : r->n <= 365);
	if (ok && skip_char(p, end, '/'))
		ok = parse_tz_time(p, end, &r->secs);
	return ok;
}

static bool parse_tz_string(struct tz_posix *z, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	int32_t off;

	memset(z, 0, sizeof(*z));
	if (!parse_tz_name(&p, end) || !parse_tz_time(&p, end, &off))
		return false;
	/* POSIX offsets count hours west of Greenwich: CET-1 is UTC+1 */
	z->std_off = z->dst_off = -off;
	if (p == end)
		return true;
	if (!parse_tz_name(&p, end))
		return false;
	z->dst_off = z->std_off + 3600;
	if (p < end && *p != ',') {
		if (!parse_tz_time(&p, end, &off))
			return false;
		z->dst_off = -off;
	}
	z->has_dst = true;
	if (!skip_char(&p, end, ',') || !parse_tz_rule(&p, end, &z->start))
		return false;
	if (!skip_char(&p, end, ',') || !parse_tz_rule(&p, end, &z->end))
		return false;
	return p == end;
}

/* The day the `week`th (5 = last) `wday` (0 = Sunday) of a month falls on. */
static crm_date nth_weekday(int y, int month, int week, int wday)
{
	crm_date first = crm_date_from_ymd(y, month, 1);
	int first_wday = (crm_date_weekday(first) + 1) % 7;
	int day = 1 + (wday - first_wday + 7) % 7 + (week - 1) * 7;

	while (day > days_in_month(y, month))
		day -= 7;
	return first + day - 1;
}

/* Seconds since the epoch of the rule's wall-clock moment in year y, as if
 * that wall clock were UTC; the caller subtracts the offset in force. */
static int64_t rule_wall_time(const struct tz_rule_date *r, int y)
{
	crm_date jan1 = crm_date_from_ymd(y, 1, 1), day;

	if (r->kind == 'M')
		day = nth_weekday(y, r->month, r->week, r->wday);
	else if (r->kind == 'J')
		day = jan1 + r->n - 1 + (is_leap(y) && r->n >= 60);
	else
		day = jan1 + r->n;
	return (int64_t)day * SECS_PER_DAY + r->secs;
}

static int32_t posix_offset(const struct tz_posix *z, int64_t t)
{
	int64_t days = floor_div(t + z->std_off, SECS_PER_DAY), start, end;
	int y, m, d;
	bool dst;

	/* the calendar code is only good for years 1..9999 */
	if (!z->has_dst || days < -719162 || days > 2932896)
		return z->std_off;
	crm_date_to_ymd((crm_date)days, &y, &m, &d);
	start = rule_wall_time(&z->start, y) - z->std_off;
	end = rule_wall_time(&z->end, y) - z->dst_off;
	/* southern hemisphere zones start DST late in the year and end it early */
	if (start < end)
		dst = t >= start && t < end;
	else
		dst = !(t >= end && t < start);
	return dst ? z->dst_off : z->std_off;
}

/* ---- TZif files (RFC 8536) ---- */

#define TZ_MAX_TRANSITIONS 1200  /* the largest zone in tzdata 2025 has 310 */
#define TZ_MAX_TYPES 256
#define TZ_MAX_FILE (256 * 1024)
#define TZ_HEADER_SIZE 44

struct tz_zone {
	char path[512];             /* "" when nothing is cached */
	uint32_t ntrans, ntypes;
	int64_t trans[TZ_MAX_TRANSITIONS];
	uint8_t type_of[TZ_MAX_TRANSITIONS];
	int32_t utoff[TZ_MAX_TYPES];
	bool has_rule;
	struct tz_posix rule;
};

/* One zone per thread: a repository uses one time zone, and reading the
 * file again for every datetime of every record would dominate a load. */
static _Thread_local struct tz_zone zone_cache;

struct tz_reader {
	const unsigned char *p;
	size_t len, pos;
	bool bad;
};

static const unsigned char *tz_take(struct tz_reader *r, size_t n)
{
	const unsigned char *at = r->p + r->pos;

	if (r->bad || n > r->len - r->pos) {
		r->bad = true;
		return NULL;
	}
	r->pos += n;
	return at;
}

static uint64_t tz_be(struct tz_reader *r, size_t n)
{
	const unsigned char *b = tz_take(r, n);
	uint64_t v = 0;
	size_t i;

	for (i = 0; b && i < n; i++)
		v = v << 8 | b[i];
	return v;
}

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
	char version;
};

static void tz_read_header(struct tz_reader *r, struct tzif_counts *c)
{
	const unsigned char *h = tz_take(r, 20);

	if (!h || memcmp(h, "TZif", 4)) {
		r->bad = true;
		return;
	}
	c->version = (char)h[4];
	c->isut = (uint32_t)tz_be(r, 4);
	c->isstd = (uint32_t)tz_be(r, 4);
	c->leap = (uint32_t)tz_be(r, 4);
	c->time = (uint32_t)tz_be(r, 4);
	c->type = (uint32_t)tz_be(r, 4);
	c->chars = (uint32_t)tz_be(r, 4);
}

static size_t tz_block_size(const struct tzif_counts *c, size_t tsize)
{
	return c->time * (tsize + 1) + c->type * (size_t)6 + c->chars +
	       c->leap * (tsize + 4) + c->isstd + c->isut;
}

/* Transitions and types of one data block with `tsize`-byte times. */
static void tz_read_block(struct tz_zone *z, struct tz_reader *r,
			  const struct tzif_counts *c, size_t tsize)
{
	uint32_t i;

	if (c->time > TZ_MAX_TRANSITIONS || c->type == 0 || c->type > TZ_MAX_TYPES) {
		r->bad = true;
		return;
	}
	z->ntrans = c->time;
	z->ntypes = c->type;
	for (i = 0; i < c->time; i++)
		z->trans[i] = tsize == 8 ? (int64_t)tz_be(r, 8) : (int32_t)tz_be(r, 4);
	for (i = 0; i < c->time; i++) {
		z->type_of[i] = (uint8_t)tz_be(r, 1);
		r->bad = r->bad || z->type_of[i] >= c->type;
	}
	for (i = 0; i < c->type; i++) {
		z->utoff[i] = (int32_t)tz_be(r, 4);
		tz_take(r, 2);  /* isdst and the abbreviation: not needed */
	}
	tz_take(r, c->chars + c->leap * (tsize + 4) + c->isstd + c->isut);
}

/* The footer "\n<TZ string>\n" after a version 2+ block; an empty or
 * unreadable one leaves the last transition in force. */
static void tz_read_footer(struct tz_zone *z, struct tz_reader *r)
{
	const unsigned char *nl;
	size_t start = r->pos + 1;

	z->has_rule = false;
	if (r->bad || r->pos >= r->len || r->p[r->pos] != '\n')
		return;
	nl = memchr(r->p + start, '\n', r->len - start);
	if (nl && nl > r->p + start)
		z->has_rule = parse_tz_string(&z->rule, (const char *)r->p + start,
					      (size_t)(nl - (r->p + start)));
}

static bool tz_parse(struct tz_zone *z, const unsigned char *data, size_t len)
{
	struct tz_reader r = { data, len, 0, false };
	struct tzif_counts c;

	tz_read_header(&r, &c);
	if (!r.bad && c.version == '\0') {
		tz_read_block(z, &r, &c, 4);
		z->has_rule = false;
		return !r.bad;
	}
	/* version 2 and later repeat everything with 64-bit times: skip the v1 block */
	tz_take(&r, r.bad ? 0 : tz_block_size(&c, 4));
	tz_read_header(&r, &c);
	if (!r.bad)
		tz_read_block(z, &r, &c, 8);
	if (!r.bad)
		tz_read_footer(z, &r);
	return !r.bad;
}

/* Reads a whole small file into a malloc'ed buffer; NULL when missing. */
static unsigned char *read_small_file(const char *path, size_t *len_out)
{
	unsigned char *buf = NULL;
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (!f)
		goto done;
	buf = malloc(TZ_MAX_FILE);
	if (buf)
		n = fread(buf, 1, TZ_MAX_FILE, f);
	/* a directory opens but does not read; an oversized file is no TZif */
	if (buf && (ferror(f) || n == 0 || n == TZ_MAX_FILE)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
done:
	*len_out = n;
	return buf;
}

/* Zone names are relative paths under the zoneinfo folder; refusing ".."
 * and odd characters keeps a crm.ini value from naming any other file. */
static bool tz_name_ok(const char *tz)
{
	size_t i, len = strlen(tz);

	if (!len || len > 200 || tz[0] == '/' || tz[0] == '.' || strstr(tz, ".."))
		return false;
	for (i = 0; i < len; i++) {
		char c = tz[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || strchr("/_+-.", c)))
			return false;
	}
	return true;
}

static int tz_load(const struct tz_zone **out, const char *tz)
{
	const char *dir = getenv("TZDIR");
	struct tz_zone *z = &zone_cache;
	unsigned char *data;
	char path[sizeof(z->path)];
	size_t len;
	bool ok;
	int n;

	if (!tz_name_ok(tz))
		return crm_error_set(CRM_ENOTFOUND, "unknown time zone '%s'", tz);
	n = snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
	if (n < 0 || (size_t)n >= sizeof(path))
		return crm_error_set(CRM_ENOTFOUND, "unknown time zone '%s' (path too long)", tz);
	if (strcmp(z->path, path)) {
		z->path[0] = '\0';
		data = read_small_file(path, &len);
		if (!data)
			return crm_error_set(CRM_ENOTFOUND, "unknown time zone '%s' (no "
					     "file %s)", tz, path);
		ok = tz_parse(z, data, len);
		free(data);
		if (!ok)
			return crm_error_set(CRM_EINVALID, "time zone file %s is not a "
					     "valid TZif file", path);
		memcpy(z->path, path, sizeof(path));
	}
	*out = z;
	return 0;
}

static int32_t zone_offset(const struct tz_zone *z, int64_t t)
{
	uint32_t lo = 0, hi = z->ntrans;

	/* RFC 8536: without transitions the footer rules every instant */
	if (z->ntrans == 0)
		return z->has_rule ? posix_offset(&z->rule, t) : z->utoff[0];
	if (t < z->trans[0])
		return z->utoff[0];
	if (t > z->trans[z->ntrans - 1] && z->has_rule)
		return posix_offset(&z->rule, t);
	/* the last transition at or before t */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->utoff[z->type_of[lo]];
}

int crm_tz_offset(int32_t *out_min, const char *tz, int64_t epoch)
{
	const struct tz_zone *z;
	int err;

	if (!tz || !*tz || !strcmp(tz, "UTC")) {
		*out_min = 0;
		return 0;
	}
	err = tz_load(&z, tz);
	if (!err)
		*out_min = zone_offset(z, epoch) / 60;
	return err;
}

/* ---- the clock ---- */

/* CRM_TODAY when it holds a valid date; a malformed value is ignored
 * without touching the last error, which belongs to the caller. */
static bool today_override(crm_date *out)
{
	const char *env = getenv("CRM_TODAY");
	int y, m, d;

	if (!env || strlen(env) != 10 || env[4] != '-' || env[7] != '-')
		return false;
	y = read_digits(env, 4);
	m = read_digits(env + 5, 2);
	d = read_digits(env + 8, 2);
	if (!crm_date_valid(y, m, d))
		return false;
	*out = crm_date_from_ymd(y, m, d);
	return true;
}

crm_date crm_today(const char *tz)
{
	int64_t now = (int64_t)time(NULL);
	int32_t off = 0;
	crm_date d;

	if (today_override(&d))
		return d;
	if (crm_tz_offset(&off, tz, now))
		off = 0;
	return (crm_date)floor_div(now + (int64_t)off * 60, SECS_PER_DAY);
}

int64_t crm_now(void)
{
	crm_date d;

	if (today_override(&d))
		return (int64_t)d * SECS_PER_DAY + 12 * 3600;
	return (int64_t)time(NULL);
}

/* ---- durations ---- */

static int64_t unit_seconds(char unit, int *rank)
{
	static const char units[] = "wdhms";
	static const int64_t secs[] = { 604800, 86400, 3600, 60, 1 };
	const char *at = unit ? strchr(units, unit) : NULL;

	if (!at)
		return 0;
	*rank = (int)(at - units);
	return secs[*rank];
}

static int duration_error(const char *s, size_t len, const char *why)
{
	return crm_error_set(CRM_EINVALID, "invalid duration '%.*s': %s", (int)len, s, why);
}

static int duration_too_long(const char *s, size_t len)
{
	return crm_error_set(CRM_EOVERFLOW, "duration '%.*s' is too long", (int)len, s);
}

/* The digits at s[*i], advancing *i; false on overflow. */
static bool read_count(int64_t *out, const char *s, size_t len, size_t *i)
{
	int64_t n = 0;

	for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; ++*i)
		if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, s[*i] - '0', &n))
			return false;
	*out = n;
	return true;
}

int crm_duration_parse(int64_t *out, const char *s, size_t len)
{
	int64_t total = 0, n, unit;
	int rank = 0, last_rank = -1;
	size_t i = 0, start;

	if (!len)
		return duration_error(s, len, "empty (write it as 1d, 2h, 30m, 1d12h)");
	while (i < len) {
		start = i;
		if (!read_count(&n, s, len, &i))
			return duration_too_long(s, len);
		if (i == start)
			return duration_error(s, len, "expected a number before each unit");
		if (i == len)
			return duration_error(s, len, "missing unit (w, d, h, m or s)");
		unit = unit_seconds(s[i++], &rank);
		if (!unit)
			return duration_error(s, len, "unknown unit (use w, d, h, m or s)");
		if (rank <= last_rank)
			return duration_error(s, len, "units must go from weeks to seconds, "
					      "each at most once");
		last_rank = rank;
		if (__builtin_mul_overflow(n, unit, &n) || __builtin_add_overflow(total, n, &total))
			return duration_too_long(s, len);
	}
	*out = total;
	return 0;
}

/* ---- dates as people type them ---- */

#define TYPED_MAX 64   /* longer text is no date anyone types */

/* The text split into words at spaces, '-' and '_' (a leading sign stays
 * with its word: "-2w"), lower-cased, each with the column it starts at. */
struct typed {
	const char *text;      /* as written, for messages */
	size_t len;
	char low[TYPED_MAX + 1];
	char *word[3];
	size_t col[3];
	size_t n;
};

static int typed_error(size_t *err_col, const struct typed *t, size_t col, const char *why)
{
	if (err_col)
		*err_col = col;
	return crm_error_set(CRM_EINVALID, "invalid date '%.*s' at column %zu: %s",
			     (int)t->len, t->text, col, why);
}

static bool is_sep(char c)
{
	return c == ' ' || c == '-' || c == '_' || c == '\t';
}

static int typed_split(struct typed *t, const char *s, size_t len, size_t *err_col)
{
	size_t i = 0;

	memset(t, 0, sizeof(*t));
	t->text = s;
	t->len = len;
	if (len > TYPED_MAX)
		return typed_error(err_col, t, TYPED_MAX + 1, "too long for a date");
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\0')
			return typed_error(err_col, t, i + 1, "a NUL byte");
		t->low[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	for (i = 0; i < len;) {
		size_t start;
		/* a sign at the text's start belongs to its word: "-2w" */
		while (i < len && is_sep(t->low[i]) && !(i == 0 && t->low[i] == '-'))
			i++;
		if (i == len)
			break;
		if (t->n == 3)
			return typed_error(err_col, t, i + 1, "too many words");
		start = i;
		if (t->low[i] == '+' || t->low[i] == '-')
			i++;
		while (i < len && !is_sep(t->low[i]))
			i++;
		t->word[t->n] = t->low + start;
		t->col[t->n] = start + 1;
		t->n++;
		if (i < len)
			t->low[i++] = '\0';
	}
	if (!t->n)
		return typed_error(err_col, t, 1, "empty");
	return 0;
}

/* 0 = Monday .. 6 = Sunday for "fri", "friday" (three letters at least),
 * -1 for anything else. */
static int weekday_of(const char *w)
{
	static const char *const names[] = { "monday", "tuesday", "wednesday", "thursday",
					     "friday", "saturday", "sunday" };
	size_t n = strlen(w), i;

	if (n < 3)
		return -1;
	for (i = 0; i < 7; i++) {
		if (n <= strlen(names[i]) && !strncmp(names[i], w, n))
			return (int)i;
	}
	return -1;
}

static crm_date end_of_quarter(crm_date d)
{
	int y, m, day;
	crm_date_to_ymd(d, &y, &m, &day);
	m = (m - 1) / 3 * 3 + 3;
	return crm_date_from_ymd(y, m, days_in_month(y, m));
}

/* A word that names one day by itself; 1 when it is none. */
static int day_word(crm_date *out, const char *w, crm_date today)
{
	int y, m, d, wd;

	crm_date_to_ymd(today, &y, &m, &d);
	if (!strcmp(w, "today") || !strcmp(w, "now"))
		*out = today;
	else if (!strcmp(w, "yesterday"))
		*out = today - 1;
	else if (!strcmp(w, "tomorrow"))
		*out = today + 1;
	else if (!strcmp(w, "eow"))
		*out = today + 6 - crm_date_weekday(today);
	else if (!strcmp(w, "eom"))
		*out = crm_date_from_ymd(y, m, days_in_month(y, m));
	else if (!strcmp(w, "eoq"))
		*out = end_of_quarter(today);
	else if (!strcmp(w, "eoy"))
		*out = crm_date_from_ymd(y, 12, 31);
	else if ((wd = weekday_of(w)) >= 0)
		*out = today + (wd - crm_date_weekday(today) + 7) % 7;
	else
		return 1;
	return 0;
}

/* "+3d", "-2w", "+1m", "+1y" from `today`. */
static int offset_word(crm_date *out, const struct typed *t, size_t k, crm_date today,
		       size_t *err_col)
{
	const char *w = t->word[k];
	int sign = w[0] == '-' ? -1 : 1;
	size_t i = 1, col = t->col[k];
	int64_t n = 0, days;
	crm_date r;

	if (w[i] < '0' || w[i] > '9')
		return typed_error(err_col, t, col + 1, "expected a number after the sign");
	for (; w[i] >= '0' && w[i] <= '9'; i++) {
		n = n * 10 + (w[i] - '0');
		if (n > 999999)
			return typed_error(err_col, t, col + i, "offset too large");
	}
	if (!w[i] || w[i + 1])
		return typed_error(err_col, t, col + i, w[i] ? "one unit after the number "
				   "(d, w, m or y)" : "missing unit (d, w, m or y)");
	if (w[i] == 'm' || w[i] == 'y') {
		int64_t months = n * (w[i] == 'y' ? 12 : 1) * sign;
		int y, m, d;
		crm_date_to_ymd(today, &y, &m, &d);
		if (y * 12LL + m + months < MIN_YEAR * 12LL + 1 ||
		    y * 12LL + m + months > MAX_YEAR * 12LL + 12)
			return typed_error(err_col, t, col, "outside the years 0001..9999");
		*out = crm_date_add_months(today, (int)months);
		return 0;
	}
	if (w[i] != 'd' && w[i] != 'w')
		return typed_error(err_col, t, col + i, "unknown unit (use d, w, m or y)");
	days = n * (w[i] == 'w' ? 7 : 1) * sign;
	r = (crm_date)(today + days);
	if (r < crm_date_from_ymd(MIN_YEAR, 1, 1) || r > crm_date_from_ymd(MAX_YEAR, 12, 31))
		return typed_error(err_col, t, col, "outside the years 0001..9999");
	*out = r;
	return 0;
}

static const char typed_forms[] = "write a date as 2025-03-31, today, tomorrow, +3d, "
				  "-2w, +1m, fri, next mon, last fri or eom";

/* "next fri", "last monday". */
static int relative_weekday(crm_date *out, const struct typed *t, crm_date today,
			    size_t *err_col)
{
	int wd = weekday_of(t->word[1]), now = crm_date_weekday(today);

	if (t->n > 2)
		return typed_error(err_col, t, t->col[2], "unexpected text after the weekday");
	if (wd < 0)
		return typed_error(err_col, t, t->col[1], "expected a weekday (mon .. sun)");
	if (t->word[0][0] == 'n')
		*out = today + ((wd - now + 6) % 7 + 1);
	else
		*out = today - ((now - wd + 6) % 7 + 1);
	return 0;
}

static int relative_parsed(crm_date *out, const struct typed *t, crm_date today,
			   size_t *err_col)
{
	const char *w = t->word[0];

	if (w[0] == '+' || w[0] == '-') {
		if (t->n > 1)
			return typed_error(err_col, t, t->col[1], "unexpected text after the offset");
		return offset_word(out, t, 0, today, err_col);
	}
	if (!strcmp(w, "next") || !strcmp(w, "last")) {
		if (t->n < 2)
			return typed_error(err_col, t, t->col[0] + strlen(w),
					   "expected a weekday after it");
		return relative_weekday(out, t, today, err_col);
	}
	if (day_word(out, w, today))
		return typed_error(err_col, t, t->col[0], typed_forms);
	if (t->n > 1)
		return typed_error(err_col, t, t->col[1], "unexpected text");
	return 0;
}

/* An ISO date written as one, its error located: 1 when the text does not
 * start like one ("dddd-") at all. */
static int iso_date(crm_date *out, const struct typed *t, size_t *err_col)
{
	const char *s = t->text;
	size_t len = t->len;
	int m, d;

	if (len < 5 || read_digits(s, 4) < 0 || s[4] != '-')
		return 1;
	m = len >= 7 ? read_digits(s + 5, 2) : -1;
	d = len >= 10 ? read_digits(s + 8, 2) : -1;
	if (read_digits(s, 4) < MIN_YEAR)
		return typed_error(err_col, t, 1, "year 0 out of range");
	if (m < 1 || m > 12)
		return typed_error(err_col, t, 6, m < 0 ? "expected YYYY-MM-DD"
				   : "month out of range (01..12)");
	if (len < 8 || s[7] != '-')
		return typed_error(err_col, t, 8, "expected YYYY-MM-DD");
	if (d < 1 || d > days_in_month(read_digits(s, 4), m))
		return typed_error(err_col, t, 9, d < 0 ? "expected YYYY-MM-DD"
				   : "no such day in that month");
	if (len > 10)
		return typed_error(err_col, t, 11, "unexpected text after the date");
	*out = crm_date_from_ymd(read_digits(s, 4), m, d);
	return 0;
}

int crm_date_parse_relative(crm_date *out, const char *s, size_t len, crm_date today,
			    size_t *err_col)
{
	struct typed t;
	int err = typed_split(&t, s, len, err_col);

	if (!err)
		err = iso_date(out, &t, err_col);
	if (err == 1)
		err = relative_parsed(out, &t, today, err_col);
	return err;
}

/* ---- periods ---- */

static crm_date iso_week1_monday(int y)
{
	crm_date jan4 = crm_date_from_ymd(y, 1, 4);
	return jan4 - crm_date_weekday(jan4);
}

void crm_date_iso_week(int *year, int *week, crm_date d)
{
	int y, m, day;
	crm_date start;

	crm_date_to_ymd(d, &y, &m, &day);
	/* the week's Thursday decides its year */
	crm_date_to_ymd(d - crm_date_weekday(d) + 3, &y, &m, &day);
	start = iso_week1_monday(y);
	*year = y;
	*week = (int)((d - start) / 7) + 1;
}

static void month_period(struct crm_period *out, int y, int m, int months)
{
	crm_date first = crm_date_from_ymd(y, m, 1);
	out->first = first;
	out->last = crm_date_add_months(first, months) - 1;
}

/* "2025", "2025-03", "2025-Q1", "2025-W07"; 1 when `s` is none of them
 * (a full date is crm_date_parse_relative's). */
static int iso_period(struct crm_period *out, const struct typed *t, size_t *err_col)
{
	const char *s = t->text;
	size_t len = t->len;
	int y = len >= 4 ? read_digits(s, 4) : -1, n;
	char kind = len > 5 ? (char)(s[5] | 0x20) : '\0';

	if (y < 0 || (len > 4 && s[4] != '-'))
		return 1;
	if (y < MIN_YEAR)
		return typed_error(err_col, t, 1, "year 0 out of range");
	if (len == 4) {
		month_period(out, y, 1, 12);
		return 0;
	}
	if (len == 7 && (n = read_digits(s + 5, 2)) >= 0) {
		if (n < 1 || n > 12)
			return typed_error(err_col, t, 6, "month out of range (01..12)");
		month_period(out, y, n, 1);
		return 0;
	}
	if (len == 7 && kind == 'q') {
		n = read_digits(s + 6, 1);
		if (n < 1 || n > 4)
			return typed_error(err_col, t, 7, "quarter out of range (Q1..Q4)");
		month_period(out, y, (n - 1) * 3 + 1, 3);
		return 0;
	}
	if (len == 8 && kind == 'w') {
		n = read_digits(s + 6, 2);
		if (n == 53 && iso_week1_monday(y + 1) - iso_week1_monday(y) != 371)
			return typed_error(err_col, t, 7, "that year has 52 ISO weeks");
		if (n < 1 || n > 53)
			return typed_error(err_col, t, 7, "week out of range (W01..W53)");
		out->first = iso_week1_monday(y) + (n - 1) * 7;
		out->last = out->first + 6;
		return 0;
	}
	if (kind == 'q' || kind == 'w')
		return typed_error(err_col, t, 6, kind == 'q' ? "expected a quarter as Q1..Q4"
				   : "expected an ISO week as W01..W53");
	return 1;
}

/* "this|last|next week|month|quarter|year"; 1 when not that form. */
static int named_period(struct crm_period *out, const struct typed *t, crm_date today,
			size_t *err_col)
{
	const char *w = t->word[0], *unit = t->n > 1 ? t->word[1] : "";
	int step = !strcmp(w, "last") ? -1 : !strcmp(w, "next") ? 1 : 0;
	int y, m, d;

	if (step == 0 && strcmp(w, "this"))
		return 1;
	if (step && weekday_of(unit) >= 0)
		return 1;   /* "next fri": a day */
	if (t->n > 2)
		return typed_error(err_col, t, t->col[2], "unexpected text");
	crm_date_to_ymd(today, &y, &m, &d);
	if (y + step < MIN_YEAR || y + step > MAX_YEAR)
		return typed_error(err_col, t, t->col[0], "outside the years 0001..9999");
	if (!strcmp(unit, "week")) {
		out->first = today - crm_date_weekday(today) + 7 * step;
		out->last = out->first + 6;
	} else if (!strcmp(unit, "month")) {
		month_period(out, y, m, 1);
		out->first = crm_date_add_months(out->first, step);
		out->last = crm_date_add_months(out->first, 1) - 1;
	} else if (!strcmp(unit, "quarter")) {
		out->first = crm_date_add_months(crm_date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1),
						 3 * step);
		out->last = crm_date_add_months(out->first, 3) - 1;
	} else if (!strcmp(unit, "year")) {
		month_period(out, y + step, 1, 12);
	} else {
		return typed_error(err_col, t, t->n > 1 ? t->col[1] : t->col[0] + strlen(w),
				   "expected week, month, quarter or year");
	}
	return 0;
}

int crm_period_parse(struct crm_period *out, const char *s, size_t len, crm_date today,
		     size_t *err_col)
{
	struct typed t;
	crm_date d;
	int err = typed_split(&t, s, len, err_col);

	if (err)
		return err;
	err = iso_period(out, &t, err_col);
	if (err == 1)
		err = named_period(out, &t, today, err_col);
	if (err <= 0)
		return err;
	err = crm_date_parse_relative(&d, s, len, today, err_col);
	if (!err)
		out->first = out->last = d;
	return err;
}

/* ---- typed values to stored text ---- */

/* "14:00", "9:30" into seconds of the day; false when not a clock. */
static bool clock_word(int32_t *secs, const char *w)
{
	size_t n = strlen(w);
	int h, m;

	if (n != 4 && n != 5)
		return false;
	h = read_digits(w, (int)n - 3);
	m = read_digits(w + n - 2, 2);
	if (w[n - 3] != ':' || h < 0 || h > 23 || m < 0 || m > 59)
		return false;
	*secs = h * 3600 + m * 60;
	return true;
}

static int copy_text(char *buf, size_t size, const char *s, size_t len)
{
	if (len >= size)
		return crm_error_set(CRM_EINVALID, "date '%.*s' is too long", (int)len, s);
	memcpy(buf, s, len);
	buf[len] = '\0';
	return 0;
}

/* A datetime typed as "<day> HH:MM" or a day alone. */
static int typed_datetime(char *buf, size_t size, const char *s, size_t len, crm_date today,
			  size_t *err_col)
{
	const char *sp = len ? memchr(s, ' ', len) : NULL;
	char clock[8];
	int32_t secs = 0;
	crm_date d;
	size_t day_len = len;
	int err;

	/* the clock is the last word */
	while (sp && memchr(sp + 1, ' ', len - (size_t)(sp + 1 - s)))
		sp = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - s));
	if (sp && (size_t)(s + len - sp - 1) < sizeof(clock)) {
		memcpy(clock, sp + 1, (size_t)(s + len - sp - 1));
		clock[s + len - sp - 1] = '\0';
		if (clock_word(&secs, clock))
			day_len = (size_t)(sp - s);
	}
	err = crm_date_parse_relative(&d, s, day_len, today, err_col);
	if (err)
		return err;
	crm_date_format(buf, size, d);
	if (day_len < len)
		snprintf(buf + 10, size - 10, "T%02d:%02d", (int)(secs / 3600),
			 (int)(secs / 60 % 60));
	return 0;
}

int crm_date_typed_text(char *buf, size_t size, const char *s, size_t len, bool datetime,
			crm_date today, int64_t now, int32_t offset_min, size_t *err_col)
{
	struct crm_datetime dt;
	crm_date d;
	int err;

	if (size < 32)
		return crm_error_set(CRM_EINVALID, "date buffer too small");
	if (!datetime && len == 10 && !crm_date_parse(&d, s, len))
		return copy_text(buf, size, s, len);
	if (datetime && !crm_datetime_parse(&dt, s, len, offset_min))
		return copy_text(buf, size, s, len);
	if (datetime && len == 3 && !strncasecmp(s, "now", 3)) {
		dt.epoch = floor_div(now, 60) * 60;
		dt.offset_min = offset_min;
		dt.has_zone = false;
		crm_datetime_format(buf, size, &dt);
		return 0;
	}
	if (datetime)
		return typed_datetime(buf, size, s, len, today, err_col);
	err = crm_date_parse_relative(&d, s, len, today, err_col);
	if (!err)
		crm_date_format(buf, size, d);
	return err;
}
