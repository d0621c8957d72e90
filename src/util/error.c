/* Per-thread last-error message storage.  Thread-local so that the parallel
 * loader's workers never overwrite each other's messages. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crm/error.h"

static _Thread_local char last_error[1024];

static int set_message(int code, int with_errno, const char *fmt, va_list ap)
{
	int saved = errno;
	int n = vsnprintf(last_error, sizeof(last_error), fmt, ap);
	if (with_errno && n >= 0 && (size_t)n < sizeof(last_error))
		snprintf(last_error + n, sizeof(last_error) - (size_t)n, ": %s",
			 strerror(saved));
	return code;
}

int crm_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(code, 0, fmt, ap);
	va_end(ap);
	return code;
}

int crm_error_errno(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(code, 1, fmt, ap);
	va_end(ap);
	return code;
}

const char *crm_error_last(void)
{
	return last_error;
}

void crm_error_clear(void)
{
	last_error[0] = '\0';
}
