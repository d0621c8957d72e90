/* Growable, always NUL-terminated string buffers with a size cap. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/error.h"

char crm_buf__empty[1];

void crm_buf_init(struct crm_buf *b)
{
	b->ptr = crm_buf__empty;
	b->len = 0;
	b->cap = 0;
	b->max = 0;
	b->err = 0;
}

void crm_buf_set_max(struct crm_buf *b, size_t max)
{
	b->max = max < CRM_BUF_MAX ? max : CRM_BUF_MAX;
}

int crm_buf_check(const struct crm_buf *b)
{
	if (!b->err)
		return 0;
	return crm_error_set(b->err, "output incomplete: %s",
			     b->err == CRM_ENOMEM ? "out of memory"
			     : "a text grew beyond its size limit");
}

/* Records the first failure; every later append fails the same way. */
static int poison(struct crm_buf *b, int err)
{
	if (!b->err)
		b->err = err;
	return err;
}

/* An append to a buffer already failed: refused without touching it. */
static int refused(const struct crm_buf *b)
{
	return crm_error_set(b->err, "a text is incomplete after an earlier failure");
}

void crm_buf_release(struct crm_buf *b)
{
	if (b->cap)
		free(b->ptr);
	crm_buf_init(b);
}

char *crm_buf_detach(struct crm_buf *b, size_t *len_out)
{
	char *s = b->cap ? b->ptr : calloc(1, 1);
	if (len_out)
		*len_out = b->len;
	crm_buf_init(b);
	return s;
}

int crm_buf_grow(struct crm_buf *b, size_t extra)
{
	size_t need, cap, max = b->max ? b->max : CRM_BUF_MAX;
	char *p;

	if (b->err)
		return refused(b);
	if (b->len >= max || extra > max - b->len - 1)
		return poison(b, crm_error_set(CRM_EOVERFLOW, "buffer would exceed %zu bytes",
					       max));
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > max / 2 ? max : cap * 2;
	p = b->cap ? realloc(b->ptr, cap) : malloc(cap);
	if (!p)
		return poison(b, crm_error_set(CRM_ENOMEM, "out of memory"));
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = cap;
	return 0;
}

void crm_buf_reset(struct crm_buf *b)
{
	crm_buf_truncate(b, 0);
}

void crm_buf_truncate(struct crm_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

int crm_buf_add(struct crm_buf *b, const void *data, size_t len)
{
	int err = crm_buf_grow(b, len);
	if (err)
		return err;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int crm_buf_adds(struct crm_buf *b, const char *s)
{
	return crm_buf_add(b, s, strlen(s));
}

int crm_buf_addch(struct crm_buf *b, int c)
{
	char ch = (char)c;
	return crm_buf_add(b, &ch, 1);
}

int crm_buf_addchars(struct crm_buf *b, int c, size_t n)
{
	int err = crm_buf_grow(b, n);
	if (err)
		return err;
	memset(b->ptr + b->len, c, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int crm_buf_vaddf(struct crm_buf *b, const char *fmt, va_list ap)
{
	size_t max = b->max ? b->max : CRM_BUF_MAX;
	size_t limit = b->cap < max ? b->cap : max;
	/* the first try may use only the room the cap allows */
	size_t room = limit > b->len ? limit - b->len : 0;
	va_list cp;
	int n;
	int err;

	if (b->err)
		return refused(b);
	va_copy(cp, ap);
	n = vsnprintf(room ? b->ptr + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n < 0)
		return poison(b, crm_error_set(CRM_ERROR, "bad format string"));
	if ((size_t)n < room) {
		b->len += (size_t)n;
		return 0;
	}
	err = crm_buf_grow(b, (size_t)n);
	if (err) {
		if (b->cap)
			b->ptr[b->len] = '\0';   /* the first try wrote past len */
		return err;
	}
	vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int crm_buf_addf(struct crm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int err;
	va_start(ap, fmt);
	err = crm_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return err;
}

int crm_buf_add_xml(struct crm_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int err = 0;

	for (; !err && *p; p++) {
		switch (*p) {
		case '&': err = crm_buf_adds(b, "&amp;"); break;
		case '<': err = crm_buf_adds(b, "&lt;"); break;
		case '>': err = crm_buf_adds(b, "&gt;"); break;
		case '"': err = crm_buf_adds(b, "&quot;"); break;
		case '\'': err = crm_buf_adds(b, "&#39;"); break;
		default:
			if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
				err = crm_buf_addch(b, *p);
		}
	}
	return err;
}

int crm_buf_add_base64(struct crm_buf *b, const void *data, size_t len)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	size_t i;
	int err = crm_buf_grow(b, (len + 2) / 3 * 4);

	for (i = 0; !err && i + 2 < len; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 | p[i + 2];
		char q[4] = { digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63],
			      digits[v & 63] };
		err = crm_buf_add(b, q, 4);
	}
	if (!err && i < len) {
		unsigned long v = (unsigned long)p[i] << 16 | (i + 1 < len ? (unsigned long)p[i + 1] << 8 : 0);
		char q[4] = { digits[v >> 18], digits[(v >> 12) & 63],
			      i + 1 < len ? digits[(v >> 6) & 63] : '=', '=' };
		err = crm_buf_add(b, q, 4);
	}
	return err;
}

/* Reads `fd` to its end straight into `b` (no stdio: a FILE's buffer and
 * a copy per record file cost more than the read for a file of a few
 * hundred bytes); more than `max` bytes is an error.  Closes `fd`.
 * `size` is what the file was stated to hold, 0 when unknown: room for all
 * of it is made at once, and a read that comes back short of the room with
 * at least `size` bytes in is the end (a regular file's read falls short
 * only there), so a record file takes one read, not a second to hear 0. */
static int read_fd_to_end(struct crm_buf *b, int fd, const char *name, size_t max,
			  uint64_t size)
{
	size_t start = b->len, got, room;
	ssize_t n;
	int err = 0;

	for (;;) {
		/* what is left of the file as stated, and one byte more, or
		 * 4 KiB; never past the buffer's cap */
		size_t cap = b->max ? b->max : CRM_BUF_MAX;
		size_t left = b->len + 1 < cap ? cap - b->len - 1 : 1;
		size_t want = 4096;

		got = b->len - start;
		if (size > got && size - got < max)
			want = (size_t)(size - got) + 1 > want ? (size_t)(size - got) + 1 : want;
		err = crm_buf_grow(b, left < want ? left : want);
		if (err)
			break;
		room = b->cap - b->len - 1;
		n = read(fd, b->ptr + b->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = poison(b, crm_error_errno(CRM_EIO, "cannot read '%s'", name));
			break;
		}
		if (!n)
			break;
		if (got + (size_t)n > max) {
			b->ptr[b->len] = '\0';
			err = poison(b, crm_error_set(CRM_EOVERFLOW,
						      "'%s' is larger than %zu bytes", name, max));
			break;
		}
		b->len += (size_t)n;
		b->ptr[b->len] = '\0';
		if (size && (size_t)n < room && got + (size_t)n >= size)
			break;
	}
	close(fd);
	return err;
}

int crm_buf_read_file(struct crm_buf *b, const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return crm_error_errno(errno == ENOENT ? CRM_ENOTFOUND : CRM_EIO,
				       "cannot open '%s'", path);
	return read_fd_to_end(b, fd, path, max, 0);
}

int crm_buf_read_fd(struct crm_buf *b, int fd, const char *name, size_t max, uint64_t size)
{
	return read_fd_to_end(b, fd, name, max, size);
}
