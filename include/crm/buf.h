/* Growable string buffers in the manner of git's strbuf: never NULL, always
 * NUL-terminated, with a size cap so hostile input cannot grow them without
 * bound (curl's dynbuf).  Initialise with CRM_BUF_INIT or crm_buf_init(). */
#ifndef CRM_BUF_H
#define CRM_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* No buffer grows beyond this; operations past it fail with CRM_EOVERFLOW. */
#define CRM_BUF_MAX ((size_t)1 << 30)

extern char crm_buf__empty[];

struct crm_buf {
	char *ptr;   /* points at crm_buf__empty until the first allocation */
	size_t len;
	size_t cap;
};

#define CRM_BUF_INIT { crm_buf__empty, 0, 0 }

void crm_buf_init(struct crm_buf *b);
/* Frees the contents and re-initialises the buffer. */
void crm_buf_release(struct crm_buf *b);
/* Returns the malloc'ed string (caller frees) and re-initialises `b`. */
char *crm_buf_detach(struct crm_buf *b, size_t *len_out);
/* Makes room for `extra` more bytes; 0, CRM_ENOMEM or CRM_EOVERFLOW. */
int crm_buf_grow(struct crm_buf *b, size_t extra);
void crm_buf_reset(struct crm_buf *b);
void crm_buf_truncate(struct crm_buf *b, size_t len);

int crm_buf_add(struct crm_buf *b, const void *data, size_t len);
int crm_buf_adds(struct crm_buf *b, const char *s);
int crm_buf_addch(struct crm_buf *b, int c);
int crm_buf_addf(struct crm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int crm_buf_vaddf(struct crm_buf *b, const char *fmt, va_list ap);
/* Appends `n` copies of `c`. */
int crm_buf_addchars(struct crm_buf *b, int c, size_t n);

/* Appends `s` escaped for XML and HTML text and attribute values (& < > "
 * '); control characters XML 1.0 cannot carry are dropped. */
int crm_buf_add_xml(struct crm_buf *b, const char *s);
/* Appends data[0..len) as standard base64 with padding, on one line. */
int crm_buf_add_base64(struct crm_buf *b, const void *data, size_t len);

/* Reads a whole file into `b` (appending); refuses files over `max` bytes. */
int crm_buf_read_file(struct crm_buf *b, const char *path, size_t max);

#endif
