/* What agenda.c, remind.c and targets.c share: days and instants in the
 * repository's time zone, and durations read from crm.ini [followup]. */
#ifndef CRM_DAY_INTERNAL_H
#define CRM_DAY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crm/date.h"
#include "crm/day.h"
#include "crm/index.h"

struct crm_config;

/* The calendar day instant `at` falls on in the repository's zone. */
crm_date day_date_of(const struct crm_config *cfg, int64_t at);
/* The instant day `d` starts at in the repository's zone. */
int64_t day_start_of(const struct crm_config *cfg, crm_date d);
/* "2025-06-04T13:30:00Z": instant `at` in UTC. */
void day_format_instant(char *buf, size_t size, int64_t at);
/* [followup "sub"] key as a duration in seconds, `fallback` when unset;
 * CRM_EINVALID naming the setting when it does not parse. */
int day_config_duration(int64_t *out, const struct crm_config *cfg, const char *sub,
			const char *key, int64_t fallback);

/* A record whose file parsed (one that did not is crm check's business). */
static inline bool rec_ok(const struct crm_record *rec)
{
	return rec->root != NULL;
}

#endif
