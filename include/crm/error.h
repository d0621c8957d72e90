/* Error codes and the per-thread "last error" message (libgit2's model).
 * A function that can fail returns 0 or one of the negative codes below and
 * leaves a human message in crm_error_last(). */
#ifndef CRM_ERROR_H
#define CRM_ERROR_H

enum crm_error_code {
	CRM_OK = 0,
	CRM_ERROR = -1,     /* generic failure */
	CRM_ENOMEM = -2,
	CRM_ENOTFOUND = -3,
	CRM_EINVALID = -4,  /* malformed input */
	CRM_EOVERFLOW = -5, /* arithmetic or size limit exceeded */
	CRM_EIO = -6,
	CRM_ECONFLICT = -7,
	CRM_ELOCKED = -8,
	CRM_EEXISTS = -9,
	CRM_EUSAGE = -10
};

/* Sets the message for the current thread and returns `code` so callers
 * can write `return crm_error_set(CRM_EINVALID, "bad '%s'", x);`. */
int crm_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Like crm_error_set, appending ": strerror(errno)". */
int crm_error_errno(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The last message set on this thread; never NULL ("" when none). */
const char *crm_error_last(void);
void crm_error_clear(void);

#endif
