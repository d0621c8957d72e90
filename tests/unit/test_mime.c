/* Mail messages (src/util/mime.c, src/util/mailsend.c): base64 in 76
 * character lines, RFC 2047 encoded-words that never split a character,
 * mailboxes, dates, addresses and SMTP dot-stuffing. */
#include <string.h>

#include "crm/buf.h"
#include "harness.h"
#include "crm/mailsend.h"
#include "crm/mime.h"

static void test_mime__base64_lines_of_76(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	char data[115];
	memset(data, 'x', sizeof(data));
	CHECK_INT(0, crm_mime_base64(&b, data, sizeof(data)));
	/* 57 bytes a line: 76, 76, then 1 byte as 4 characters */
	CHECK_INT(76 + 2 + 76 + 2 + 4 + 2, (long)b.len);
	CHECK(!strncmp(b.ptr + 76, "\r\n", 2));
	CHECK_STR("eA==\r\n", b.ptr + 156);
	crm_buf_release(&b);
}

static void test_mime__header_text_ascii_as_is_else_encoded_words(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *pl = "Faktura za usługi: zażółć gęślą jaźń, Łódź i Kraków 2026";
	const char *p, *q;

	CHECK_INT(0, crm_mime_header_text(&b, "Invoice INV-0000002"));
	CHECK_STR("Invoice INV-0000002", b.ptr);
	crm_buf_reset(&b);
	CHECK_INT(0, crm_mime_header_text(&b, "发票"));
	CHECK_STR("=?UTF-8?B?5Y+R56Wo?=", b.ptr);
	crm_buf_reset(&b);
	CHECK_INT(0, crm_mime_header_text(&b, pl));
	/* two words on two lines, each within 64 characters */
	p = strstr(b.ptr, "\r\n ");
	CHECK(p != NULL);
	CHECK(p && p - b.ptr <= 64);
	q = p ? strstr(p + 3, "\r\n") : NULL;
	CHECK(q == NULL);
	CHECK(!strncmp(b.ptr, "=?UTF-8?B?", 10));
	crm_buf_release(&b);
}

static void test_mime__mailbox_quotes_and_encodes_names(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	CHECK_INT(0, crm_mime_mailbox(&b, NULL, "a@b.example"));
	CHECK_STR("a@b.example", b.ptr);
	crm_buf_reset(&b);
	CHECK_INT(0, crm_mime_mailbox(&b, "Smith, J. \"Jr\"", "a@b.example"));
	CHECK_STR("\"Smith, J. \\\"Jr\\\"\" <a@b.example>", b.ptr);
	crm_buf_reset(&b);
	CHECK_INT(0, crm_mime_mailbox(&b, "Łódź", "a@b.example"));
	CHECK_STR("=?UTF-8?B?xYHDs2TFug==?=\r\n <a@b.example>", b.ptr);
	crm_buf_release(&b);
}

static void test_mime__date_is_rfc5322_utc(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	CHECK_INT(0, crm_mime_date(&b, 1796146500));
	CHECK_STR("Tue, 01 Dec 2026 17:35:00 +0000", b.ptr);
	crm_buf_release(&b);
}

static void test_mime__address_ok_refuses_header_injection(void)
{
	CHECK(crm_mime_address_ok("billing@nowak-chen.example"));
	CHECK(!crm_mime_address_ok("billing"));
	CHECK(!crm_mime_address_ok("@example.com"));
	CHECK(!crm_mime_address_ok("a@b.example\r\nBcc: x@y.example"));
	CHECK(!crm_mime_address_ok("a@b.example, c@d.example"));
	CHECK(!crm_mime_address_ok("<a@b.example>"));
}

static void test_mime__dot_stuffing(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	crm_mail_dot_stuff(&b, ".hidden\r\nx\r\n.\r\n", 15);
	CHECK_STR("..hidden\r\nx\r\n..\r\n.\r\n", b.ptr);
	crm_buf_reset(&b);
	crm_mail_dot_stuff(&b, "no end", 6);
	CHECK_STR("no end\r\n.\r\n", b.ptr);
	crm_buf_release(&b);
}

TESTS(TEST(test_mime__base64_lines_of_76),
      TEST(test_mime__header_text_ascii_as_is_else_encoded_words),
      TEST(test_mime__mailbox_quotes_and_encodes_names),
      TEST(test_mime__date_is_rfc5322_utc),
      TEST(test_mime__address_ok_refuses_header_injection),
      TEST(test_mime__dot_stuffing))
