/* Internet mail messages as RFC 5322 and MIME (RFC 2045-2047) write them:
 * base64 bodies in 76-character lines, encoded-words for header text that is
 * not ASCII, dates, addresses and a multipart/mixed body, all with CRLF line
 * ends. */
#ifndef CRM_MIME_H
#define CRM_MIME_H

#include <stddef.h>
#include <time.h>

#include "crm/buf.h"

/* Appends `len` bytes of `data` as base64 (RFC 2045) in lines of at most 76
 * characters, each ended by CRLF. */
int crm_mime_base64(struct crm_buf *out, const void *data, size_t len);

/* Appends header text `text` (UTF-8) as is when it is printable ASCII, else
 * as RFC 2047 encoded-words (=?UTF-8?B?...?=), each at most 75 characters,
 * never splitting a character, folded with CRLF and a space between them. */
int crm_mime_header_text(struct crm_buf *out, const char *text);

/* Appends a mailbox: `addr` alone, or "name <addr>" with the name quoted
 * when it has specials, encoded-words when it is not ASCII. */
int crm_mime_mailbox(struct crm_buf *out, const char *name, const char *addr);

/* Appends `t` as an RFC 5322 date in UTC: "Tue, 01 Dec 2026 17:45:00 +0000". */
int crm_mime_date(struct crm_buf *out, time_t t);

/* Whether `addr` looks like a deliverable address: local@domain with no
 * space, control character, angle bracket or comma (no header injection). */
int crm_mime_address_ok(const char *addr);

struct crm_mime_part {
	const char *content_type;   /* "application/pdf" */
	const char *filename;       /* NULL for an inline body */
	const void *data;
	size_t len;
};

/* Appends a multipart/mixed body: the MIME-Version and Content-Type
 * headers with `boundary` and the blank line, then each part base64 encoded
 * (text parts given as text/plain; charset=UTF-8 in content_type), then the
 * closing boundary.  The caller writes the other headers first. */
int crm_mime_multipart(struct crm_buf *out, const char *boundary,
		       const struct crm_mime_part *parts, size_t nparts);

#endif
