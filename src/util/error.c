/* Per-thread last-error message storage.  Thread-local so that the parallel
 * loader's workers never overwrite each other's messages. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crm/error.h"

static _Thread_local char last_error[1024];

/* Formats into a scratch buffer first: callers may pass crm_error_last()
 * itself as an argument, to wrap a lower layer's message. */
static int set_message(int code, int with_errno, const char *fmt, va_list ap)
{
	char msg[sizeof(last_error)];
	int saved = errno;
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (with_errno && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(saved));
	memcpy(last_error, msg, sizeof(msg));
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
