/* Growable string buffers in the manner of git's strbuf: never NULL, always
 * NUL-terminated, with a size cap so hostile input cannot grow them without
 * bound (curl's dynbuf).  Initialise with CRM_BUF_INIT or crm_buf_init().
 *
 * A failed append (out of memory, over the cap) leaves the buffer as it was
 * and marks it with a sticky error: later appends do nothing and fail the
 * same way, so code may append many pieces and check once; it stays
 * until crm_buf_release.  Whatever emits
 * a buffer (to stdout, to a file, to git) calls crm_buf_check first, so a
 * document with a hole in it is never written out as a success. */
#ifndef CRM_BUF_H
#define CRM_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* No buffer grows beyond this; operations past it fail with CRM_EOVERFLOW. */
#define CRM_BUF_MAX ((size_t)1 << 30)

extern char crm_buf__empty[];

struct crm_buf {
	char *ptr;   /* points at crm_buf__empty until the first allocation */
	size_t len;
	size_t cap;
	size_t max;  /* this buffer's cap; 0 means CRM_BUF_MAX */
	int err;     /* sticky: the first failed append's CRM_E* code, or 0 */
};

#define CRM_BUF_INIT { crm_buf__empty, 0, 0, 0, 0 }

void crm_buf_init(struct crm_buf *b);
/* Caps `b` at `max` bytes (at most CRM_BUF_MAX), for input of bounded size. */
void crm_buf_set_max(struct crm_buf *b, size_t max);
/* 0 when every append to `b` since its init or last release succeeded;
 * otherwise the sticky error's code, with the message set again (the
 * original one may have been overwritten since). */
int crm_buf_check(const struct crm_buf *b);
/* Frees the contents and re-initialises the buffer (clearing the error). */
void crm_buf_release(struct crm_buf *b);
/* Returns the malloc'ed string (caller frees) and re-initialises `b`. */
char *crm_buf_detach(struct crm_buf *b, size_t *len_out);
/* Makes room for `extra` more bytes; 0, CRM_ENOMEM or CRM_EOVERFLOW (and
 * then the buffer's sticky error). */
int crm_buf_grow(struct crm_buf *b, size_t extra);
/* Empties the buffer.  The sticky error stays (a scratch buffer reused in a
 * loop still says a piece went missing); only release clears it. */
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
/* crm_buf_read_file for a file already open: reads `fd` to its end and
 * closes it, whatever the outcome; `name` is for messages.  `size` is the
 * file's size as stated (fstat), 0 when unknown: a file read whole in one
 * read is then not read again to hear its end. */
int crm_buf_read_fd(struct crm_buf *b, int fd, const char *name, size_t max, uint64_t size);

#endif
