/* Internet mail messages (RFC 5322, MIME RFC 2045-2047): base64 in
 * 76-character lines, encoded-words for non-ASCII header text, dates,
 * mailboxes and multipart/mixed bodies, with CRLF line ends. */
#include <stdbool.h>
#include <string.h>

#include "crm/error.h"
#include "crm/mime.h"

int crm_mime_base64(struct crm_buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	/* 57 bytes make exactly one 76-character line */
	for (i = 0; i < len; i += 57) {
		crm_buf_add_base64(out, p + i, len - i < 57 ? len - i : 57);
		crm_buf_adds(out, "\r\n");
	}
	return crm_buf_check(out);
}

static bool plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* The length of the UTF-8 sequence that starts with byte `c` (1 for a
 * stray continuation byte, so that a malformed text still advances). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

int crm_mime_header_text(struct crm_buf *out, const char *text)
{
	/* "=?UTF-8?B?" + "?=" is 12 characters: 39 bytes make 52 of base64,
	 * 64 in all, so that even after "Subject: " a line stays within the
	 * 76 characters RFC 2047 allows lines with encoded-words */
	const size_t max_bytes = 39;
	size_t len = strlen(text), start = 0;

	if (plain_ascii(text))
		return crm_buf_adds(out, text);
	while (start < len) {
		size_t end = start;
		while (end < len) {
			size_t n = utf8_len((unsigned char)text[end]);
			if (end + n > len)
				n = len - end;
			if (end + n - start > max_bytes)
				break;
			end += n;
		}
		if (start)
			crm_buf_adds(out, "\r\n ");
		crm_buf_adds(out, "=?UTF-8?B?");
		crm_buf_add_base64(out, text + start, end - start);
		crm_buf_adds(out, "?=");
		start = end;
	}
	return crm_buf_check(out);
}

int crm_mime_mailbox(struct crm_buf *out, const char *name, const char *addr)
{
	const char *p;

	if (!name || !*name)
		return crm_buf_adds(out, addr);
	if (!plain_ascii(name)) {
		crm_mime_header_text(out, name);
		/* the address on a line of its own: the last word may be long */
		crm_buf_addf(out, "\r\n <%s>", addr);
		return crm_buf_check(out);
	} else if (strpbrk(name, "()<>[]:;@\\,.\"")) {
		crm_buf_addch(out, '"');
		for (p = name; *p; p++) {
			if (*p == '"' || *p == '\\')
				crm_buf_addch(out, '\\');
			crm_buf_addch(out, *p);
		}
		crm_buf_addch(out, '"');
	} else {
		crm_buf_adds(out, name);
	}
	crm_buf_addf(out, " <%s>", addr);
	return crm_buf_check(out);
}

int crm_mime_date(struct crm_buf *out, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return crm_error_set(CRM_EINVALID, "the time %lld cannot be written as a date",
				     (long long)t);
	return crm_buf_addf(out, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
			    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
			    tm.tm_min, tm.tm_sec);
}

int crm_mime_address_ok(const char *addr)
{
	const char *at = addr ? strchr(addr, '@') : NULL;
	const char *p;

	if (!at || at == addr || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (p = addr; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("<>,;\"()", *p))
			return 0;
	return 1;
}

static int add_part(struct crm_buf *out, const char *boundary, const struct crm_mime_part *p)
{
	crm_buf_addf(out, "--%s\r\nContent-Type: %s", boundary, p->content_type);
	if (p->filename) {
		crm_buf_adds(out, "; name=\"");
		crm_buf_adds(out, p->filename);
		crm_buf_adds(out, "\"\r\nContent-Disposition: attachment; filename=\"");
		crm_buf_adds(out, p->filename);
		crm_buf_adds(out, "\"");
	}
	crm_buf_adds(out, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	return crm_mime_base64(out, p->data, p->len);
}

int crm_mime_multipart(struct crm_buf *out, const char *boundary,
		       const struct crm_mime_part *parts, size_t nparts)
{
	size_t i;
	int err = 0;

	crm_buf_addf(out, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"%s\"\r\n"
		     "\r\nThis is a message in MIME format.\r\n", boundary);
	for (i = 0; i < nparts && !err; i++) {
		crm_buf_adds(out, "\r\n");
		err = add_part(out, boundary, &parts[i]);
	}
	crm_buf_addf(out, "\r\n--%s--\r\n", boundary);
	return err ? err : crm_buf_check(out);
}
