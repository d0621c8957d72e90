/* Typed values as the index computes them: what a field, a lookup or a
 * formula evaluates to.  Errors are values too, so one bad formula never
 * stops a report.  Strings point into an arena owned by whoever made the
 * value (normally the index). */
#ifndef CRM_VALUE_H
#define CRM_VALUE_H

#include <stdbool.h>

#include "crm/date.h"
#include "crm/decimal.h"
#include "crm/money.h"

enum crm_value_kind {
	CRM_V_NULL = 0,   /* absent or empty */
	CRM_V_TEXT,       /* text, email, url, enum, stage, ref ids, user */
	CRM_V_NUMBER,     /* number, integer, rating; percent as a fraction */
	CRM_V_MONEY,
	CRM_V_DATE,
	CRM_V_DATETIME,
	CRM_V_BOOL,
	CRM_V_ERROR       /* u.text is the message, e.g. "division by zero" */
};

struct crm_value {
	enum crm_value_kind kind;
	bool percent;     /* NUMBER written as a percent: prints as "15%" */
	union {
		const char *text;
		crm_dec num;
		struct crm_money money;
		crm_date date;
		struct crm_datetime datetime;
		bool b;
	} u;
};

#define CRM_VALUE_NULL ((struct crm_value){ .kind = CRM_V_NULL })

const char *crm_value_kind_name(enum crm_value_kind k);

#endif
