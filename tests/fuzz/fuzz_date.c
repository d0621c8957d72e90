/* Fuzz target: the typed-value parsers for dates, datetimes and durations.
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
	free(s);
	return 0;
}
