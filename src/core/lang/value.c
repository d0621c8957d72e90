/* Names of value kinds, for messages. */
#include "crm/value.h"

const char *crm_value_kind_name(enum crm_value_kind k)
{
	static const char *const names[] = { "null", "text", "number", "money", "date",
					     "datetime", "boolean", "error" };
	return (unsigned)k < sizeof(names) / sizeof(*names) ? names[k] : "?";
}
