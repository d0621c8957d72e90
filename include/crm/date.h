/* Calendar dates and instants without the C library's time zone state:
 * dates are days since 1970-01-01 (proleptic Gregorian), datetimes are
 * seconds since the epoch in UTC plus the offset they were written with. */
#ifndef CRM_DATE_H
#define CRM_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t crm_date;

struct crm_datetime {
	int64_t epoch;        /* seconds since 1970-01-01T00:00:00Z */
	int32_t offset_min;   /* the zone offset it was written with, minutes */
	bool has_zone;        /* false: no zone was written (repo timezone) */
};

/* Days from civil date; y/m/d must be valid (see crm_date_valid). */
crm_date crm_date_from_ymd(int y, int m, int d);
void crm_date_to_ymd(crm_date d, int *y, int *m, int *day);
bool crm_date_valid(int y, int m, int d);
/* Strict "YYYY-MM-DD", years 0001..9999; 0 or CRM_EINVALID with a message
 * naming the problem ("month 13 out of range", "2025-02-30 is not a date"). */
int crm_date_parse(crm_date *out, const char *s, size_t len);
/* "YYYY-MM-DD" into buf (at least 11 bytes). */
void crm_date_format(char *buf, size_t size, crm_date d);
/* 0 = Monday .. 6 = Sunday. */
int crm_date_weekday(crm_date d);
/* Adds months, clamping the day to the month's length (Jan 31 + 1 = Feb 28/29). */
crm_date crm_date_add_months(crm_date d, int months);

/* "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]", also a plain date (midnight).
 * Without a zone, `default_offset_min` is applied and has_zone is false. */
int crm_datetime_parse(struct crm_datetime *out, const char *s, size_t len,
		       int32_t default_offset_min);
/* "YYYY-MM-DDTHH:MM" (":SS" when non-zero) and the zone as written. */
void crm_datetime_format(char *buf, size_t size, const struct crm_datetime *dt);
/* The calendar date of the instant in its own offset. */
crm_date crm_datetime_date(const struct crm_datetime *dt);

/* UTC offset in minutes of IANA zone `tz` (e.g. "Europe/Berlin") at `epoch`,
 * read from the system's zoneinfo files (TZif) without touching the process's
 * TZ; 0 or CRM_ENOTFOUND for an unknown zone. "UTC", "" and NULL always work
 * (offset 0).  Files come from $TZDIR when set, else /usr/share/zoneinfo;
 * after a file's last transition its POSIX TZ footer rule applies.  Each
 * thread keeps the last zone it read; CRM_EINVALID for a corrupt file. */
int crm_tz_offset(int32_t *out_min, const char *tz, int64_t epoch);

/* Today's date: CRM_TODAY (YYYY-MM-DD) when set, else the clock in zone
 * `tz` (NULL = UTC; an unknown zone counts as UTC).  A CRM_TODAY that is
 * not a valid date is ignored. */
crm_date crm_today(const char *tz);
/* Now: GIT_COMMITTER_DATE-style overrides are the git layer's business;
 * this is the clock, or CRM_TODAY at 12:00 UTC when that is set. */
int64_t crm_now(void);

/* Durations such as "1d", "2h", "30m", "1w", "1d12h" into seconds: numbers
 * each followed by a unit of w, d, h, m, s, from the largest unit to the
 * smallest, each unit at most once.  0, CRM_EINVALID or CRM_EOVERFLOW. */
int crm_duration_parse(int64_t *out, const char *s, size_t len);

/* ---- dates as people type them ----
 * Every form below is case-insensitive; words are separated by a space, '-'
 * or '_' ("last quarter", "last-quarter").  Errors are CRM_EINVALID with a
 * message that quotes the text and names the column (1-based) where it
 * goes wrong; *err_col receives that column when err_col is not NULL. */

/* A day relative to `today`, or an ISO date:
 *   2025-03-31                     as written
 *   today, yesterday, tomorrow     now is today (a date has no time)
 *   +3d, -2w, +1m, +1y             days, weeks, months, years; months and
 *                                  years clamp the day (Jan 31 +1m = Feb 28/29)
 *   fri, friday                    today when it is one, else the coming one
 *   next fri, last fri             the first one after / before today
 *   eow, eom, eoq, eoy             the last day of this week (Sunday),
 *                                  month, quarter, year */
int crm_date_parse_relative(crm_date *out, const char *s, size_t len, crm_date today,
			    size_t *err_col);

/* A span of days, both ends included. */
struct crm_period {
	crm_date first, last;
};

/* A period: 2025, 2025-03, 2025-Q1, 2025-W07 (ISO week), this|last|next
 * week|month|quarter|year, or any day of crm_date_parse_relative (a period
 * of one day). */
int crm_period_parse(struct crm_period *out, const char *s, size_t len, crm_date today,
		     size_t *err_col);

/* The ISO 8601 week of `d`: *year (may differ from d's year around New
 * Year) and *week (1..53). */
void crm_date_iso_week(int *year, int *week, crm_date d);

/* The text to store for a date (datetime false) or datetime field typed as
 * people type it: text that already parses as the field's ISO form is kept
 * as written; a relative day becomes "YYYY-MM-DD"; for a datetime, a day
 * may be followed by a time ("fri 14:00", "tomorrow 9:30") and gives
 * "YYYY-MM-DDTHH:MM", and "now" is the instant `now` in local time at
 * `offset_min` (no zone written: the repository's).  buf needs 32 bytes. */
int crm_date_typed_text(char *buf, size_t size, const char *s, size_t len, bool datetime,
			crm_date today, int64_t now, int32_t offset_min, size_t *err_col);

#endif
