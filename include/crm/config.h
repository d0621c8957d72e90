/* crm.ini, the repository's settings (SPEC section 4): base currency and
 * time zone, pipeline stages in file order with probabilities and outcomes,
 * exchange rates, taxes, invoice numbering series, the organisation profile
 * and users.  Sections the tool does not know are kept for later features. */
#ifndef CRM_CONFIG_H
#define CRM_CONFIG_H

#include <stdbool.h>

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/decimal.h"

struct crm_diags;

enum crm_outcome { CRM_OUTCOME_OPEN, CRM_OUTCOME_WON, CRM_OUTCOME_LOST, CRM_OUTCOME_VOID };

struct crm_stage {
	const char *name;
	int probability;          /* percent, 0..100 */
	enum crm_outcome outcome;
	int line;                 /* in crm.ini */
};

struct crm_rate {
	const char *currency;     /* "USD" */
	crm_dec value;            /* worth of 1 unit in the base currency */
	int line;
};

struct crm_tax {
	const char *id;           /* "vat23" */
	crm_dec rate;             /* percent, e.g. 23 */
	const char *name;
	const char *category;     /* EN 16931 VAT category code */
	const char *exemption;    /* reason text for E/AE/O... */
	int line;
};

struct crm_series {
	const char *name;         /* "" for the default [invoice] section */
	const char *prefix;
	int digits;
	int due_days;
	const char *terms;
	const char *tax;          /* the [tax] id new draft lines get */
	int line;
};

struct crm_user {
	const char *id;
	const char *name;
	const char *email;
	int line;
};

/* Every key = value of the file, for sections the tool has no struct for. */
struct crm_setting {
	const char *section;      /* "automation \"x\"" as written, quotes removed */
	const char *subsection;
	const char *key;
	const char *value;
	int line;
	int col;                  /* the value's column on `line` (1 when unknown) */
};

struct crm_config {
	struct crm_arena arena;
	const char *currency;     /* base currency, default EUR */
	const char *timezone;     /* default UTC */
	const char *locale;       /* figures for people ("de_DE"); NULL: the environment's */
	CRM_ARRAY(struct crm_stage) stages;
	CRM_ARRAY(struct crm_rate) rates;
	CRM_ARRAY(struct crm_tax) taxes;
	CRM_ARRAY(struct crm_series) series;
	CRM_ARRAY(struct crm_user) users;
	CRM_ARRAY(struct crm_setting) settings;
	const char *org_name, *org_address, *org_vat_id, *org_logo, *org_email;
};

/* Reads `path` (shown in messages as `display_path`); problems go to
 * `diags` as crm.ini:LINE:COL diagnostics.  Returns 0, CRM_ENOTFOUND when
 * the file is missing, or CRM_EINVALID when it cannot be parsed at all. */
int crm_config_load(struct crm_config *cfg, const char *path,
		    const char *display_path, struct crm_diags *diags);
/* The same from text in memory (crm.ini as it stood at a commit); `data`
 * must outlive nothing: values are copied into cfg's arena. */
int crm_config_load_data(struct crm_config *cfg, const char *data, size_t len,
			 const char *display_path, struct crm_diags *diags);
void crm_config_release(struct crm_config *cfg);

const struct crm_stage *crm_config_stage(const struct crm_config *cfg, const char *name);
const struct crm_rate *crm_config_rate(const struct crm_config *cfg, const char *currency);
const struct crm_tax *crm_config_tax(const struct crm_config *cfg, const char *id);
const struct crm_user *crm_config_user(const struct crm_config *cfg, const char *id);
/* The named series, or the default one for NULL/""; NULL when none. */
const struct crm_series *crm_config_series(const struct crm_config *cfg, const char *name);
/* First value of `key` in section `section` (subsection may be NULL). */
const char *crm_config_get(const struct crm_config *cfg, const char *section,
			   const char *subsection, const char *key);
const char *crm_outcome_name(enum crm_outcome o);

#endif
