/* Fuzz target: the typed-value parsers for dates, datetimes and durations,
 * and dates as people type them (relative days, periods, typed text).
 * A date that parses must format back to text that parses to the same day;
 * anything else is refused, never read past its length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void date_round_trip(const char *s, size_t len)
{
	crm_date d, again;
	char text[32];

	if (crm_date_parse(&d, s, len))
		return;
	crm_date_format(text, sizeof(text), d);
	if (crm_date_parse(&again, text, strlen(text)) || again != d)
		abort();
}

/* A relative day or period is a real day, the period in order, and the
 * text stored for a typed value parses as what the field holds. */
static void typed_forms(const char *s, size_t len)
{
	/* a Saturday at a year's end: weeks, months and years all turn */
	const crm_date today = crm_date_from_ymd(2022, 12, 31);
	struct crm_period p;
	struct crm_datetime dt;
	crm_date d;
	char text[64];
	size_t col = 0;

	if (!crm_date_parse_relative(&d, s, len, today, &col) &&
	    (d < crm_date_from_ymd(1, 1, 1) || d > crm_date_from_ymd(9999, 12, 31)))
		abort();
	if (!crm_period_parse(&p, s, len, today, &col) && p.first > p.last)
		abort();
	if (!crm_date_typed_text(text, sizeof(text), s, len, false, today, 0, 0, &col) &&
	    crm_date_parse(&d, text, strlen(text)))
		abort();
	if (!crm_date_typed_text(text, sizeof(text), s, len, true, today, 0, 0, &col) &&
	    crm_datetime_parse(&dt, text, strlen(text), 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly `size` bytes: a parser reading past the length
	 * is caught by the sanitizer, not hidden by a NUL */
	char *s = malloc(size ? size : 1);
	struct crm_datetime dt;
	int64_t seconds;
	char text[64];

	if (!s)
		return 0;
	memcpy(s, data, size);
	date_round_trip(s, size);
	if (crm_datetime_parse(&dt, s, size, 60) == 0)
		crm_datetime_format(text, sizeof(text), &dt);
	crm_duration_parse(&seconds, s, size);
	typed_forms(s, size);
	free(s);
	return 0;
}
