/* Unit tests for src/util/date.c: the calendar, strict parsing, datetimes
 * with offsets, zone offsets from TZif files, CRM_TODAY and durations. */
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crm/date.h"
#include "crm/error.h"
#include "harness.h"

static crm_date date(const char *s)
{
	crm_date d = 0;
	CHECK_INT(0, crm_date_parse(&d, s, strlen(s)));
	return d;
}

static const char *date_text(crm_date d)
{
	static char buf[16];
	crm_date_format(buf, sizeof(buf), d);
	return buf;
}

/* The message crm_date_parse leaves for s, or "(accepted)". */
static const char *date_error(const char *s)
{
	crm_date d = 12345;
	if (!crm_date_parse(&d, s, strlen(s)))
		return "(accepted)";
	CHECK_INT(12345, d);
	return crm_error_last();
}

static struct crm_datetime datetime(const char *s, int32_t default_offset)
{
	struct crm_datetime dt = { 0, 0, false };
	CHECK_INT(0, crm_datetime_parse(&dt, s, strlen(s), default_offset));
	return dt;
}

static const char *datetime_error(const char *s)
{
	struct crm_datetime dt = { 99, 0, false };
	if (!crm_datetime_parse(&dt, s, strlen(s), 0))
		return "(accepted)";
	CHECK_INT(99, dt.epoch);
	return crm_error_last();
}

static int32_t offset(const char *tz, int64_t epoch)
{
	int32_t off = -9999;
	CHECK_INT(0, crm_tz_offset(&off, tz, epoch));
	return off;
}

static void test_date__epoch_days(void)
{
	CHECK_INT(0, crm_date_from_ymd(1970, 1, 1));
	CHECK_INT(-1, crm_date_from_ymd(1969, 12, 31));
	CHECK_INT(11017, crm_date_from_ymd(2000, 3, 1));
	CHECK_INT(20178, crm_date_from_ymd(2025, 3, 31));
	CHECK_INT(-719162, crm_date_from_ymd(1, 1, 1));
	CHECK_INT(2932896, crm_date_from_ymd(9999, 12, 31));
}

/* Every day from 1600 to 2400 converts back to itself and follows the one
 * before it: catches any off-by-one around leap days and century years. */
static void test_date__civil_round_trip(void)
{
	crm_date d, first = crm_date_from_ymd(1600, 1, 1), last = crm_date_from_ymd(2400, 12, 31);
	int y, m, day, py = 1599, pm = 12, pday = 31, bad = 0;

	for (d = first; d <= last; d++) {
		crm_date_to_ymd(d, &y, &m, &day);
		if (!crm_date_valid(y, m, day) || crm_date_from_ymd(y, m, day) != d)
			bad++;
		if (day == 1 ? (m == 1 ? y != py + 1 || pday != 31 : m != pm + 1)
			     : day != pday + 1)
			bad++;
		py = y;
		pm = m;
		pday = day;
	}
	CHECK_INT(0, bad);
	CHECK_INT(2400, py);
}

static void test_date__leap_years(void)
{
	CHECK(crm_date_valid(2024, 2, 29));
	CHECK(crm_date_valid(2000, 2, 29));
	CHECK(crm_date_valid(2400, 2, 29));
	CHECK(!crm_date_valid(2025, 2, 29));
	CHECK(!crm_date_valid(1900, 2, 29));
	CHECK(!crm_date_valid(2100, 2, 29));
	CHECK_INT(366, crm_date_from_ymd(2025, 1, 1) - crm_date_from_ymd(2024, 1, 1));
	CHECK_INT(365, crm_date_from_ymd(2026, 1, 1) - crm_date_from_ymd(2025, 1, 1));
	CHECK_INT(365, crm_date_from_ymd(1901, 1, 1) - crm_date_from_ymd(1900, 1, 1));
	CHECK_INT(366, crm_date_from_ymd(2001, 1, 1) - crm_date_from_ymd(2000, 1, 1));
	CHECK_STR("2024-03-01", date_text(date("2024-02-29") + 1));
	CHECK_STR("2025-03-01", date_text(date("2025-02-28") + 1));
}

static void test_date__valid(void)
{
	CHECK(crm_date_valid(2025, 12, 31));
	CHECK(!crm_date_valid(2025, 13, 1));
	CHECK(!crm_date_valid(2025, 0, 1));
	CHECK(!crm_date_valid(2025, 4, 31));
	CHECK(!crm_date_valid(2025, 1, 0));
	CHECK(!crm_date_valid(0, 1, 1));
	CHECK(!crm_date_valid(10000, 1, 1));
}

static void test_date__parse_format(void)
{
	static const char *texts[] = { "2025-03-31", "2024-02-29", "1970-01-01", "1969-12-31",
				       "0001-01-01", "9999-12-31", "2000-03-01" };
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		CHECK_STR(texts[i], date_text(date(texts[i])));
	CHECK_INT(20178, date("2025-03-31"));
	/* only len bytes are read */
	CHECK_INT(0, crm_date_parse(&(crm_date){ 0 }, "2025-03-31T10:00", 10));
}

static void test_date__parse_errors(void)
{
	CHECK_STR("'2025-02-29' is not a date (2025-02 has 28 days)", date_error("2025-02-29"));
	CHECK_STR("'2024-02-30' is not a date (2024-02 has 29 days)", date_error("2024-02-30"));
	CHECK_STR("'1900-02-29' is not a date (1900-02 has 28 days)", date_error("1900-02-29"));
	CHECK_STR("'2025-04-31' is not a date (2025-04 has 30 days)", date_error("2025-04-31"));
	CHECK_STR("invalid date '2025-13-01': month 13 out of range", date_error("2025-13-01"));
	CHECK_STR("invalid date '2025-00-10': month 0 out of range", date_error("2025-00-10"));
	CHECK_STR("invalid date '2025-01-32': day 32 out of range", date_error("2025-01-32"));
	CHECK_STR("invalid date '2025-01-00': day 0 out of range", date_error("2025-01-00"));
	CHECK_STR("invalid date '0000-01-01': year 0 out of range", date_error("0000-01-01"));
	CHECK_STR("invalid date '2025-3-31': expected YYYY-MM-DD", date_error("2025-3-31"));
	CHECK_STR("invalid date '2025/03/31': expected YYYY-MM-DD", date_error("2025/03/31"));
	CHECK_STR("invalid date '31.03.2025': expected YYYY-MM-DD", date_error("31.03.2025"));
	CHECK_STR("invalid date '2025-03-3x': expected YYYY-MM-DD", date_error("2025-03-3x"));
	CHECK_STR("invalid date '2025-03-31T10:00': expected YYYY-MM-DD",
		  date_error("2025-03-31T10:00"));
	CHECK_STR("invalid date ' 2025-03-31': expected YYYY-MM-DD", date_error(" 2025-03-31"));
	CHECK_STR("invalid date '': expected YYYY-MM-DD", date_error(""));
	CHECK_STR("invalid date '+025-03-31': expected YYYY-MM-DD", date_error("+025-03-31"));
}

static void test_date__weekday(void)
{
	CHECK_INT(0, crm_date_weekday(date("2025-03-31")));  /* Monday */
	CHECK_INT(3, crm_date_weekday(date("1970-01-01")));  /* Thursday */
	CHECK_INT(3, crm_date_weekday(date("2024-02-29")));
	CHECK_INT(6, crm_date_weekday(date("1969-12-28")));  /* Sunday, before the epoch */
	CHECK_INT(0, crm_date_weekday(date("0001-01-01")));
	CHECK_INT(4, crm_date_weekday(date("9999-12-31")));
}

static void test_date__add_months(void)
{
	CHECK_STR("2025-02-28", date_text(crm_date_add_months(date("2025-01-31"), 1)));
	CHECK_STR("2024-02-29", date_text(crm_date_add_months(date("2024-01-31"), 1)));
	CHECK_STR("2025-02-28", date_text(crm_date_add_months(date("2025-03-31"), -1)));
	CHECK_STR("2026-02-15", date_text(crm_date_add_months(date("2025-11-15"), 3)));
	CHECK_STR("2023-12-15", date_text(crm_date_add_months(date("2025-01-15"), -13)));
	CHECK_STR("2025-02-28", date_text(crm_date_add_months(date("2024-02-29"), 12)));
	CHECK_STR("2025-04-30", date_text(crm_date_add_months(date("2025-03-31"), 1)));
	CHECK_STR("2025-03-31", date_text(crm_date_add_months(date("2025-03-31"), 0)));
}

static void test_date__datetime_parse(void)
{
	struct crm_datetime dt = datetime("2025-03-31T14:30", 60);

	CHECK_INT(1743427800, dt.epoch);
	CHECK_INT(60, dt.offset_min);
	CHECK(!dt.has_zone);
	dt = datetime("2025-03-31T14:30:00Z", 60);
	CHECK_INT(1743431400, dt.epoch);
	CHECK_INT(0, dt.offset_min);
	CHECK(dt.has_zone);
	dt = datetime("2025-03-31T14:30:00+08:00", 60);
	CHECK_INT(1743431400 - 8 * 3600, dt.epoch);
	CHECK_INT(480, dt.offset_min);
	CHECK(dt.has_zone);
	dt = datetime("2025-03-31T14:30-05:30", 0);
	CHECK_INT(1743431400 + 5 * 3600 + 30 * 60, dt.epoch);
	CHECK_INT(-330, dt.offset_min);
	dt = datetime("2025-03-31T14:30:59Z", 0);
	CHECK_INT(1743431459, dt.epoch);
	/* a plain date is midnight in the default offset */
	dt = datetime("2025-03-31", 120);
	CHECK_INT(20178LL * 86400 - 7200, dt.epoch);
	CHECK(!dt.has_zone);
}

static void test_date__datetime_date(void)
{
	struct crm_datetime dt = datetime("2025-01-01T01:00+02:00", 0);

	/* the instant is still 2024 in UTC, but the date is as written */
	CHECK_INT(1735686000, dt.epoch);
	CHECK_STR("2025-01-01", date_text(crm_datetime_date(&dt)));
	dt = datetime("2024-12-31T23:30-01:00", 0);
	CHECK_STR("2024-12-31", date_text(crm_datetime_date(&dt)));
	dt = datetime("1969-12-31T23:59:59Z", 0);
	CHECK_INT(-1, dt.epoch);
	CHECK_STR("1969-12-31", date_text(crm_datetime_date(&dt)));
}

static void test_date__datetime_format(void)
{
	static const char *texts[] = { "2025-03-31T14:30", "2025-03-31T14:30:05Z",
				       "2025-03-31T14:30+08:00", "2025-03-31T23:30-05:30",
				       "1969-12-31T23:59:59Z", "2025-01-01T00:00+14:00" };
	struct crm_datetime dt;
	char buf[40];
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		dt = datetime(texts[i], 60);
		crm_datetime_format(buf, sizeof(buf), &dt);
		CHECK_STR(texts[i], buf);
	}
	dt = datetime("2025-03-31T14:30:00Z", 0);
	crm_datetime_format(buf, sizeof(buf), &dt);
	CHECK_STR("2025-03-31T14:30Z", buf);
	dt = datetime("2025-03-31", 60);
	crm_datetime_format(buf, sizeof(buf), &dt);
	CHECK_STR("2025-03-31T00:00", buf);
}

static void test_date__datetime_errors(void)
{
	CHECK_STR("invalid datetime '2025-03-31T24:00': time 24:00:00 out of range",
		  datetime_error("2025-03-31T24:00"));
	CHECK_STR("invalid datetime '2025-03-31T14:60': time 14:60:00 out of range",
		  datetime_error("2025-03-31T14:60"));
	CHECK_STR("invalid datetime '2025-03-31T14:30:60Z': time 14:30:60 out of range",
		  datetime_error("2025-03-31T14:30:60Z"));
	CHECK_STR("invalid datetime '2025-03-31 14:30': expected "
		  "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]", datetime_error("2025-03-31 14:30"));
	CHECK_STR("invalid datetime '2025-03-31T14': expected "
		  "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]", datetime_error("2025-03-31T14"));
	CHECK_STR("invalid datetime '2025-03-31T1430Z': expected YYYY-MM-DDTHH:MM[:SS]",
		  datetime_error("2025-03-31T1430Z"));
	CHECK_STR("invalid datetime '2025-03-31T14:30+0800': the zone must be Z, +HH:MM or "
		  "-HH:MM", datetime_error("2025-03-31T14:30+0800"));
	CHECK_STR("invalid datetime '2025-03-31T14:30z': the zone must be Z, +HH:MM or "
		  "-HH:MM", datetime_error("2025-03-31T14:30z"));
	CHECK_STR("invalid datetime '2025-03-31T14:30 CET': the zone must be Z, +HH:MM or "
		  "-HH:MM", datetime_error("2025-03-31T14:30 CET"));
	CHECK_STR("invalid datetime '2025-03-31T14:30+24:00': zone offset out of range",
		  datetime_error("2025-03-31T14:30+24:00"));
	CHECK_STR("invalid datetime '2025-03-31T14:30:5xZ': expected seconds as :SS",
		  datetime_error("2025-03-31T14:30:5xZ"));
	CHECK_STR("'2025-02-30' is not a date (2025-02 has 28 days)",
		  datetime_error("2025-02-30T10:00"));
	CHECK_STR("invalid datetime '2025-13-01T10:00Z': month 13 out of range",
		  datetime_error("2025-13-01T10:00Z"));
}

static void test_date__tz_berlin(void)
{
	/* winter CET, summer CEST, and the switches of 2025 to the second */
	CHECK_INT(60, offset("Europe/Berlin", 1736942400));    /* 2025-01-15T12:00Z */
	CHECK_INT(120, offset("Europe/Berlin", 1752580800));   /* 2025-07-15T12:00Z */
	CHECK_INT(60, offset("Europe/Berlin", 1743296400 - 1)); /* 2025-03-30T00:59:59Z */
	CHECK_INT(120, offset("Europe/Berlin", 1743296400));
	CHECK_INT(120, offset("Europe/Berlin", 1761440400 - 1)); /* 2025-10-26T00:59:59Z */
	CHECK_INT(60, offset("Europe/Berlin", 1761440400));
	/* 1900 is after the switch from local mean time, 1800 before it */
	CHECK_INT(60, offset("Europe/Berlin", -2195942400));
	CHECK_INT(53, offset("Europe/Berlin", -5351616000));
}

/* Past the last listed transition (2037 in fat files, earlier in slim ones)
 * the footer's POSIX rule decides: both hemispheres, both directions. */
static void test_date__tz_footer_rules(void)
{
	CHECK_INT(60, offset("Europe/Berlin", 2524608000));    /* 2050-01-01 */
	CHECK_INT(120, offset("Europe/Berlin", 2540246400));   /* 2050-07-01 */
	CHECK_INT(60, offset("Europe/Berlin", 2531955600 - 1)); /* 2050-03-27T00:59:59Z */
	CHECK_INT(120, offset("Europe/Berlin", 2531955600));
	CHECK_INT(120, offset("Europe/Berlin", 2550704400 - 1)); /* 2050-10-30T00:59:59Z */
	CHECK_INT(60, offset("Europe/Berlin", 2550704400));
	CHECK_INT(660, offset("Australia/Sydney", 2525817600)); /* 2050-01-15 */
	CHECK_INT(600, offset("Australia/Sydney", 2541456000)); /* 2050-07-15 */
	CHECK_INT(-300, offset("America/New_York", 2525817600));
	CHECK_INT(-240, offset("America/New_York", 2541456000));
}

static void test_date__tz_phnom_penh(void)
{
	CHECK_INT(420, offset("Asia/Phnom_Penh", 1743431400));  /* 2025 */
	CHECK_INT(420, offset("Asia/Phnom_Penh", 2541456000));  /* 2050 */
	CHECK_INT(419, offset("Asia/Phnom_Penh", -2208988800)); /* 1900: LMT +6:59:40 */
	/* switching zones back and forth must not mix up the per-thread cache */
	CHECK_INT(120, offset("Europe/Berlin", 1752580800));
	CHECK_INT(420, offset("Asia/Phnom_Penh", 1752580800));
	CHECK_INT(120, offset("Europe/Berlin", 1752580800));
}

static void test_date__tz_utc_and_unknown(void)
{
	int32_t off = 77;

	CHECK_INT(0, offset("UTC", 1752580800));
	CHECK_INT(0, offset(NULL, 1752580800));
	CHECK_INT(0, offset("", 1752580800));
	CHECK_INT(0, offset("Etc/UTC", 1752580800));
	CHECK_INT(-180, offset("America/Sao_Paulo", 1752580800));
	CHECK_INT(CRM_ENOTFOUND, crm_tz_offset(&off, "Mars/Olympus", 0));
	CHECK(strstr(crm_error_last(), "unknown time zone 'Mars/Olympus'") != NULL);
	CHECK_INT(CRM_ENOTFOUND, crm_tz_offset(&off, "../../../etc/passwd", 0));
	CHECK_INT(CRM_ENOTFOUND, crm_tz_offset(&off, "/etc/passwd", 0));
	CHECK_INT(CRM_ENOTFOUND, crm_tz_offset(&off, "Europe", 0));
	CHECK_INT(CRM_ENOTFOUND, crm_tz_offset(&off, "Europe/Berlin;rm", 0));
	CHECK_INT(77, off);
}

/* ---- hand-made TZif files under a temporary TZDIR ---- */

struct tzfile {
	unsigned char b[256];
	size_t n;
};

static void put(struct tzfile *t, uint64_t v, int bytes)
{
	while (bytes-- > 0)
		t->b[t->n++] = (unsigned char)(v >> (8 * bytes));
}

static void put_header(struct tzfile *t, char version, uint32_t ntimes, uint32_t ntypes)
{
	memcpy(t->b + t->n, "TZif", 4);
	t->n += 4;
	t->b[t->n++] = (unsigned char)version;
	memset(t->b + t->n, 0, 15);
	t->n += 15;
	put(t, 0, 4);          /* isutcnt */
	put(t, 0, 4);          /* isstdcnt */
	put(t, 0, 4);          /* leapcnt */
	put(t, ntimes, 4);
	put(t, ntypes, 4);
	put(t, 4 * ntypes, 4); /* charcnt: "AB" "\0" padded, per type */
}

/* A data block: `ntimes` transitions at `times` to type 1, types with
 * offsets `offs`, and an abbreviation area of four bytes per type. */
static void put_block(struct tzfile *t, int tsize, uint32_t ntimes, const int64_t *times,
		      uint32_t ntypes, const int32_t *offs)
{
	uint32_t i;

	for (i = 0; i < ntimes; i++)
		put(t, (uint64_t)times[i], tsize);
	for (i = 0; i < ntimes; i++)
		put(t, 1, 1);
	for (i = 0; i < ntypes; i++) {
		put(t, (uint32_t)offs[i], 4);
		put(t, 0, 1);
		put(t, 4 * i, 1);
	}
	for (i = 0; i < ntypes; i++)
		put(t, 0x41420000, 4);
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(len, fwrite(data, 1, len, f));
	fclose(f);
}

/* A version 2 file without transitions: `footer` ("\nTZ\n") rules every
 * instant, or type 0 (offset `utoff`) when the footer is empty. */
static void write_footer_zone(const char *dir, const char *name, int32_t utoff,
			      const char *footer)
{
	struct tzfile t = { { 0 }, 0 };

	put_header(&t, '2', 0, 1);
	put_block(&t, 4, 0, NULL, 1, &utoff);
	put_header(&t, '2', 0, 1);
	put_block(&t, 8, 0, NULL, 1, &utoff);
	memcpy(t.b + t.n, footer, strlen(footer));
	t.n += strlen(footer);
	write_file(dir, name, t.b, t.n);
}

static void write_zones(const char *dir)
{
	static const int64_t times[] = { 1000000000 };
	static const int32_t two[] = { 0, 7200 };
	struct tzfile t = { { 0 }, 0 };

	/* type 0 says +5:30: the footer must win where it applies */
	write_footer_zone(dir, "Test/Footer", 19800, "\n<+0545>-5:45\n");
	write_footer_zone(dir, "Test/NoRule", 3600, "\n\n");
	/* DST from day 60 (J: Feb 29 not counted; plain: counted from 0) */
	write_footer_zone(dir, "Test/Julian", 3600, "\nAAA-1BBB,J60/0,J300/0\n");
	write_footer_zone(dir, "Test/ZeroBased", 3600, "\nAAA-1BBB,59/0,300/0\n");
	/* version 1 only, 32-bit times, one transition */
	put_header(&t, '\0', 1, 2);
	put_block(&t, 4, 1, times, 2, two);
	write_file(dir, "Test/V1", t.b, t.n);
	write_file(dir, "Test/Truncated", t.b, 30);
	write_file(dir, "Test/Text", "not a zone\n", 11);
}

static void remove_zones(const char *dir)
{
	static const char *names[] = { "Footer", "NoRule", "Julian", "ZeroBased", "V1",
				       "Truncated", "Text" };
	char path[512];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/Test/%s", dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/Test", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_date__tz_handmade_files(void)
{
	char dir[] = "/tmp/crm-tz-XXXXXX", sub[64];
	int32_t off = 77;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(sub, sizeof(sub), "%s/Test", dir);
	CHECK_INT(0, mkdir(sub, 0700));
	write_zones(dir);
	setenv("TZDIR", dir, 1);
	CHECK_INT(345, offset("Test/Footer", 0));
	CHECK_INT(345, offset("Test/Footer", 4102444800LL));
	CHECK_INT(60, offset("Test/NoRule", 1752580800));
	CHECK_INT(60, offset("Test/Julian", 1835438400));      /* 2028-02-29T12:00Z */
	CHECK_INT(120, offset("Test/Julian", 1835524800));     /* 2028-03-01 */
	CHECK_INT(60, offset("Test/Julian", 1803816000));      /* 2027-02-28 */
	CHECK_INT(120, offset("Test/Julian", 1803902400));     /* 2027-03-01 */
	CHECK_INT(120, offset("Test/ZeroBased", 1835438400));  /* 2028-02-29 */
	CHECK_INT(60, offset("Test/ZeroBased", 1803816000));   /* 2027-02-28 */
	CHECK_INT(120, offset("Test/ZeroBased", 1803902400));  /* 2027-03-01 */
	CHECK_INT(0, offset("Test/V1", 999999999));
	CHECK_INT(120, offset("Test/V1", 1000000000));
	CHECK_INT(120, offset("Test/V1", 2000000000));
	CHECK_INT(CRM_EINVALID, crm_tz_offset(&off, "Test/Truncated", 0));
	CHECK(strstr(crm_error_last(), "is not a valid TZif file") != NULL);
	CHECK_INT(CRM_EINVALID, crm_tz_offset(&off, "Test/Text", 0));
	CHECK_INT(CRM_ENOTFOUND, crm_tz_offset(&off, "Europe/Berlin", 0));
	CHECK_INT(77, off);
	unsetenv("TZDIR");
	CHECK_INT(60, offset("Europe/Berlin", 0));
	remove_zones(dir);
}

static void test_date__today_override(void)
{
	setenv("CRM_TODAY", "2025-03-31", 1);
	CHECK_STR("2025-03-31", date_text(crm_today(NULL)));
	CHECK_STR("2025-03-31", date_text(crm_today("Asia/Phnom_Penh")));
	CHECK_INT(20178LL * 86400 + 12 * 3600, crm_now());
	setenv("CRM_TODAY", "2024-02-29", 1);
	CHECK_STR("2024-02-29", date_text(crm_today("Europe/Berlin")));
	unsetenv("CRM_TODAY");
}

/* Without CRM_TODAY (or with a malformed one) the clock decides. */
static void test_date__today_clock(void)
{
	static const char *values[] = { NULL, "2025-02-30", "31.03.2025", "" };
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int64_t before, after;
		crm_date utc, penh;

		if (values[i])
			setenv("CRM_TODAY", values[i], 1);
		else
			unsetenv("CRM_TODAY");
		before = (int64_t)time(NULL);
		utc = crm_today(NULL);
		penh = crm_today("Asia/Phnom_Penh");
		after = (int64_t)time(NULL);
		CHECK(utc == before / 86400 || utc == after / 86400);
		CHECK(penh == (before + 25200) / 86400 || penh == (after + 25200) / 86400);
		CHECK(crm_now() >= before && crm_now() <= after + 1);
	}
	unsetenv("CRM_TODAY");
}

static void test_date__durations(void)
{
	static const struct { const char *in; int64_t secs; } cases[] = {
		{ "1d", 86400 }, { "2h", 7200 }, { "30m", 1800 }, { "1w", 604800 },
		{ "45s", 45 }, { "1d12h", 129600 }, { "1w2d3h4m5s", 788645 },
		{ "0m", 0 }, { "90m", 5400 }, { "36h", 129600 },
	};
	int64_t secs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		secs = -1;
		CHECK_INT(0, crm_duration_parse(&secs, cases[i].in, strlen(cases[i].in)));
		CHECK_INT(cases[i].secs, secs);
	}
}

static void test_date__duration_errors(void)
{
	static const char *bad[] = { "", "d", "12", "1x", "1h1d", "1d1d", "1.5h", "-1d",
				     " 1d", "1d ", "1 d", "1D", "h1" };
	int64_t secs = 42;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(CRM_EINVALID, crm_duration_parse(&secs, bad[i], strlen(bad[i])));
	CHECK_INT(42, secs);
	crm_duration_parse(&secs, "12", 2);
	CHECK_STR("invalid duration '12': missing unit (w, d, h, m or s)", crm_error_last());
	crm_duration_parse(&secs, "1h1d", 4);
	CHECK_STR("invalid duration '1h1d': units must go from weeks to seconds, each at "
		  "most once", crm_error_last());
	CHECK_INT(CRM_EOVERFLOW, crm_duration_parse(&secs, "99999999999999999999d", 21));
	CHECK_INT(CRM_EOVERFLOW, crm_duration_parse(&secs, "99999999999999w", 15));
	CHECK_INT(CRM_EOVERFLOW, crm_duration_parse(&secs, "15250284452471w9999m", 20));
	CHECK_INT(42, secs);
}

/* ---- dates as people type them: golden tables ----
 * Each row: today, the text, and the day it gives, or "%FAIL" and the exact
 * message (its column included). */
struct typed_case {
	const char *today, *text, *expect;
};

static const struct typed_case relative_cases[] = {
	/* 2025-03-14 is a Friday */
	{ "2025-03-14", "2025-03-31", "2025-03-31" },
	{ "2025-03-14", "today", "2025-03-14" },
	{ "2025-03-14", "TODAY", "2025-03-14" },
	{ "2025-03-14", "now", "2025-03-14" },
	{ "2025-03-14", "yesterday", "2025-03-13" },
	{ "2025-03-14", "tomorrow", "2025-03-15" },
	{ "2025-03-14", "+3d", "2025-03-17" },
	{ "2025-03-14", "-2w", "2025-02-28" },
	{ "2025-03-14", "+1m", "2025-04-14" },
	{ "2025-03-14", "+1y", "2026-03-14" },
	{ "2025-03-14", "-14d", "2025-02-28" },
	{ "2025-03-14", "+0d", "2025-03-14" },
	/* month ends clamp, leap years count */
	{ "2025-01-31", "+1m", "2025-02-28" },
	{ "2024-01-31", "+1m", "2024-02-29" },
	{ "2024-03-31", "-1m", "2024-02-29" },
	{ "2024-02-29", "+1y", "2025-02-28" },
	{ "2024-02-29", "+4y", "2028-02-29" },
	{ "2025-12-31", "+1d", "2026-01-01" },
	{ "2024-02-28", "+1d", "2024-02-29" },
	{ "1900-02-28", "+1d", "1900-03-01" },
	{ "2000-02-28", "+1d", "2000-02-29" },
	/* weekdays: a bare name counts today, next/last never do */
	{ "2025-03-14", "fri", "2025-03-14" },
	{ "2025-03-14", "friday", "2025-03-14" },
	{ "2025-03-14", "Sat", "2025-03-15" },
	{ "2025-03-14", "mon", "2025-03-17" },
	{ "2025-03-14", "thu", "2025-03-20" },
	{ "2025-03-14", "thurs", "2025-03-20" },
	{ "2025-03-14", "next fri", "2025-03-21" },
	{ "2025-03-14", "next monday", "2025-03-17" },
	{ "2025-03-14", "next-mon", "2025-03-17" },
	{ "2025-03-14", "last fri", "2025-03-07" },
	{ "2025-03-14", "last thursday", "2025-03-13" },
	{ "2025-03-14", "last_sat", "2025-03-08" },
	/* ends of this week (Sunday), month, quarter, year */
	{ "2025-03-14", "eow", "2025-03-16" },
	{ "2025-03-16", "eow", "2025-03-16" },
	{ "2025-03-17", "eow", "2025-03-23" },
	{ "2025-03-14", "eom", "2025-03-31" },
	{ "2024-02-10", "eom", "2024-02-29" },
	{ "2025-02-10", "eom", "2025-02-28" },
	{ "2025-03-14", "eoq", "2025-03-31" },
	{ "2025-05-01", "eoq", "2025-06-30" },
	{ "2025-11-30", "eoq", "2025-12-31" },
	{ "2025-03-14", "eoy", "2025-12-31" },
	/* errors, located */
	{ "2025-03-14", "", "%FAIL invalid date '' at column 1: empty" },
	{ "2025-03-14", "tomorow", "%FAIL invalid date 'tomorow' at column 1: write a date as "
	  "2025-03-31, today, tomorrow, +3d, -2w, +1m, fri, next mon, last fri or eom" },
	{ "2025-03-14", "next mondy", "%FAIL invalid date 'next mondy' at column 6: expected "
	  "a weekday (mon .. sun)" },
	{ "2025-03-14", "next", "%FAIL invalid date 'next' at column 5: expected a weekday "
	  "after it" },
	{ "2025-03-14", "next fri x", "%FAIL invalid date 'next fri x' at column 10: "
	  "unexpected text after the weekday" },
	{ "2025-03-14", "+3x", "%FAIL invalid date '+3x' at column 3: unknown unit (use d, w, "
	  "m or y)" },
	{ "2025-03-14", "+3", "%FAIL invalid date '+3' at column 3: missing unit (d, w, m or "
	  "y)" },
	{ "2025-03-14", "+d", "%FAIL invalid date '+d' at column 2: expected a number after "
	  "the sign" },
	{ "2025-03-14", "+3dd", "%FAIL invalid date '+3dd' at column 3: one unit after the "
	  "number (d, w, m or y)" },
	{ "2025-03-14", "+9999999d", "%FAIL invalid date '+9999999d' at column 8: offset too "
	  "large" },
	{ "2025-03-14", "+8000y", "%FAIL invalid date '+8000y' at column 1: outside the years "
	  "0001..9999" },
	{ "2025-03-14", "today x", "%FAIL invalid date 'today x' at column 7: unexpected "
	  "text" },
	{ "2025-03-14", "2025-13-01", "%FAIL invalid date '2025-13-01' at column 6: month out "
	  "of range (01..12)" },
	{ "2025-03-14", "2025-02-29", "%FAIL invalid date '2025-02-29' at column 9: no such "
	  "day in that month" },
	{ "2025-03-14", "2024-02-30", "%FAIL invalid date '2024-02-30' at column 9: no such "
	  "day in that month" },
	{ "2025-03-14", "2025-03-1", "%FAIL invalid date '2025-03-1' at column 9: expected "
	  "YYYY-MM-DD" },
	{ "2025-03-14", "2025-03-14x", "%FAIL invalid date '2025-03-14x' at column 11: "
	  "unexpected text after the date" },
	{ "2025-03-14", "0000-01-01", "%FAIL invalid date '0000-01-01' at column 1: year 0 "
	  "out of range" },
	{ "2025-03-14", "fr", "%FAIL invalid date 'fr' at column 1: write a date as "
	  "2025-03-31, today, tomorrow, +3d, -2w, +1m, fri, next mon, last fri or eom" },
};

static const struct typed_case period_cases[] = {
	{ "2025-03-14", "2025", "2025-01-01..2025-12-31" },
	{ "2025-03-14", "2024-02", "2024-02-01..2024-02-29" },
	{ "2025-03-14", "2025-Q1", "2025-01-01..2025-03-31" },
	{ "2025-03-14", "2025-q4", "2025-10-01..2025-12-31" },
	{ "2025-03-14", "2025-W07", "2025-02-10..2025-02-16" },
	/* ISO weeks across year ends */
	{ "2025-03-14", "2025-W01", "2024-12-30..2025-01-05" },
	{ "2025-03-14", "2020-W53", "2020-12-28..2021-01-03" },
	{ "2025-03-14", "2026-W53", "2026-12-28..2027-01-03" },
	{ "2025-03-14", "2021-W01", "2021-01-04..2021-01-10" },
	{ "2025-03-14", "2025-03-14", "2025-03-14..2025-03-14" },
	{ "2025-03-14", "today", "2025-03-14..2025-03-14" },
	{ "2025-03-14", "next fri", "2025-03-21..2025-03-21" },
	{ "2025-03-14", "this week", "2025-03-10..2025-03-16" },
	{ "2025-03-14", "last week", "2025-03-03..2025-03-09" },
	{ "2025-03-14", "next week", "2025-03-17..2025-03-23" },
	{ "2025-03-14", "this month", "2025-03-01..2025-03-31" },
	{ "2025-03-14", "last-month", "2025-02-01..2025-02-28" },
	{ "2025-01-31", "next month", "2025-02-01..2025-02-28" },
	{ "2025-01-15", "last month", "2024-12-01..2024-12-31" },
	{ "2025-03-14", "this quarter", "2025-01-01..2025-03-31" },
	{ "2025-03-14", "last_quarter", "2024-10-01..2024-12-31" },
	{ "2025-11-14", "next quarter", "2026-01-01..2026-03-31" },
	{ "2025-03-14", "last year", "2024-01-01..2024-12-31" },
	{ "2025-03-14", "This Year", "2025-01-01..2025-12-31" },
	{ "2025-03-14", "2025-Q5", "%FAIL invalid date '2025-Q5' at column 7: quarter out of "
	  "range (Q1..Q4)" },
	{ "2025-03-14", "2025-W53", "%FAIL invalid date '2025-W53' at column 7: that year has "
	  "52 ISO weeks" },
	{ "2025-03-14", "2025-W00", "%FAIL invalid date '2025-W00' at column 7: week out of "
	  "range (W01..W53)" },
	{ "2025-03-14", "2025-Wx", "%FAIL invalid date '2025-Wx' at column 6: expected an ISO "
	  "week as W01..W53" },
	{ "2025-03-14", "2025-13", "%FAIL invalid date '2025-13' at column 6: month out of "
	  "range (01..12)" },
	{ "2025-03-14", "last quartr", "%FAIL invalid date 'last quartr' at column 6: expected "
	  "week, month, quarter or year" },
	{ "2025-03-14", "this", "%FAIL invalid date 'this' at column 5: expected week, month, "
	  "quarter or year" },
	{ "2025-03-14", "this month x", "%FAIL invalid date 'this month x' at column 12: "
	  "unexpected text" },
};

static void set_today(const char *today)
{
	setenv("CRM_TODAY", today, 1);
}

static void check_typed(const struct typed_case *c, const char *got, int err, size_t col)
{
	static char msg[512];
	if (err) {
		snprintf(msg, sizeof(msg), "%%FAIL %s", crm_error_last());
		got = msg;
		CHECK(col > 0);
	}
	if (strcmp(c->expect, got))
		fprintf(stderr, "  today %s, '%s':\n", c->today, c->text);
	CHECK_STR(c->expect, got);
}

static void test_date__relative_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(relative_cases) / sizeof(relative_cases[0]); i++) {
		const struct typed_case *c = &relative_cases[i];
		crm_date d = 0;
		size_t col = 0;
		int err = crm_date_parse_relative(&d, c->text, strlen(c->text), date(c->today),
						  &col);
		check_typed(c, err ? "" : date_text(d), err, col);
	}
}

static void test_date__period_table(void)
{
	char both[32];
	size_t i;

	for (i = 0; i < sizeof(period_cases) / sizeof(period_cases[0]); i++) {
		const struct typed_case *c = &period_cases[i];
		struct crm_period p = { 0, 0 };
		size_t col = 0;
		int err = crm_period_parse(&p, c->text, strlen(c->text), date(c->today), &col);
		snprintf(both, sizeof(both), "%s..", date_text(p.first));
		snprintf(both + 12, sizeof(both) - 12, "%s", date_text(p.last));
		check_typed(c, err ? "" : both, err, col);
	}
}

static void test_date__iso_week(void)
{
	int y = 0, w = 0;

	crm_date_iso_week(&y, &w, date("2024-12-30"));
	CHECK_INT(2025, y);
	CHECK_INT(1, w);
	crm_date_iso_week(&y, &w, date("2021-01-03"));
	CHECK_INT(2020, y);
	CHECK_INT(53, w);
	crm_date_iso_week(&y, &w, date("2025-02-16"));
	CHECK_INT(2025, y);
	CHECK_INT(7, w);
}

/* What crm set and crm add store for a typed date or datetime. */
static void test_date__typed_text(void)
{
	static const struct { bool dt; const char *text, *expect; } cases[] = {
		{ false, "2025-03-31", "2025-03-31" },
		{ false, "tomorrow", "2025-03-15" },
		{ false, "now", "2025-03-14" },
		{ false, "eom", "2025-03-31" },
		{ true, "2025-03-31T09:30+02:00", "2025-03-31T09:30+02:00" },
		{ true, "2025-03-31", "2025-03-31" },
		{ true, "tomorrow", "2025-03-15" },
		{ true, "fri 14:00", "2025-03-14T14:00" },
		{ true, "next mon 9:30", "2025-03-17T09:30" },
		{ true, "+1w 08:05", "2025-03-21T08:05" },
		{ true, "now", "2025-03-14T13:00" },
		{ false, "fri 14:00", "%FAIL invalid date 'fri 14:00' at column 5: unexpected text" },
		{ true, "fri 25:00", "%FAIL invalid date 'fri 25:00' at column 5: unexpected text" },
	};
	int64_t noon = (int64_t)date("2025-03-14") * 86400 + 12 * 3600 + 59;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct typed_case c = { "2025-03-14", cases[i].text, cases[i].expect };
		char buf[40] = "";
		size_t col = 0;
		/* a zone one hour ahead: "now" is 13:00 there */
		int err = crm_date_typed_text(buf, sizeof(buf), c.text, strlen(c.text),
					      cases[i].dt, date("2025-03-14"), noon, 60, &col);
		check_typed(&c, buf, err, col);
	}
	set_today("2025-03-14");
	CHECK_INT(date("2025-03-14"), crm_today(NULL));
	unsetenv("CRM_TODAY");
}

TESTS(TEST(test_date__epoch_days), TEST(test_date__civil_round_trip),
      TEST(test_date__leap_years), TEST(test_date__valid),
      TEST(test_date__parse_format), TEST(test_date__parse_errors),
      TEST(test_date__weekday), TEST(test_date__add_months),
      TEST(test_date__datetime_parse), TEST(test_date__datetime_date),
      TEST(test_date__datetime_format), TEST(test_date__datetime_errors),
      TEST(test_date__tz_berlin), TEST(test_date__tz_footer_rules),
      TEST(test_date__tz_phnom_penh), TEST(test_date__tz_utc_and_unknown),
      TEST(test_date__tz_handmade_files), TEST(test_date__today_override),
      TEST(test_date__today_clock), TEST(test_date__durations),
      TEST(test_date__duration_errors), TEST(test_date__relative_table),
      TEST(test_date__period_table), TEST(test_date__iso_week), TEST(test_date__typed_text))
