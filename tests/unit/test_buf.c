/* Growable buffers (src/util/buf.c): the XML escaping and base64 encoding
 * the invoice writers use, and the sticky error a failed append leaves. */
#include <stdio.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/json.h"
#include "harness.h"

static void test_buf__base64_rfc4648_vectors(void)
{
	/* RFC 4648 section 10 */
	static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
					   "Zm9vYmFy" };
	struct crm_buf b = CRM_BUF_INIT;
	size_t i;
	for (i = 0; i < sizeof(in) / sizeof(*in); i++) {
		crm_buf_reset(&b);
		CHECK_INT(0, crm_buf_add_base64(&b, in[i], strlen(in[i])));
		CHECK_STR(out[i], b.ptr);
	}
	crm_buf_reset(&b);
	CHECK_INT(0, crm_buf_add_base64(&b, "\x89PNG\r\n\x1a\n\xff", 9));
	CHECK_STR("iVBORw0KGgr/", b.ptr);
	crm_buf_release(&b);
}

static void test_buf__xml_escapes_markup_and_drops_controls(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	CHECK_INT(0, crm_buf_add_xml(&b, "a<b>&\"c\" 'd'"));
	CHECK_STR("a&lt;b&gt;&amp;&quot;c&quot; &#39;d&#39;", b.ptr);
	crm_buf_reset(&b);
	/* XML 1.0 cannot carry U+0001..U+001F except tab, LF and CR */
	CHECK_INT(0, crm_buf_add_xml(&b, "x\x01y\tz\n\x1f" "Łódź 发票"));
	CHECK_STR("xy\tz\nŁódź 发票", b.ptr);
	crm_buf_release(&b);
}

/* The cap hit half-way through a document: the buffer keeps what fit, every
 * later append fails without adding a byte, and crm_buf_check says so. */
static void test_buf__cap_hit_midway_is_sticky(void)
{
	struct crm_buf b = CRM_BUF_INIT;

	crm_buf_set_max(&b, 16);
	CHECK_INT(0, crm_buf_check(&b));
	CHECK_INT(0, crm_buf_adds(&b, "{\"a\": 1, "));
	CHECK_INT(CRM_EOVERFLOW, crm_buf_adds(&b, "\"b\": 2, \"c\": 3}"));
	CHECK_INT(CRM_EOVERFLOW, crm_buf_check(&b));
	/* later, smaller pieces would fit, but the document already has a hole */
	CHECK_INT(CRM_EOVERFLOW, crm_buf_addch(&b, '}'));
	CHECK_INT(CRM_EOVERFLOW, crm_buf_addf(&b, "%d", 4));
	CHECK_INT(CRM_EOVERFLOW, crm_json_quote(&b, "x"));
	CHECK_INT(CRM_EOVERFLOW, crm_buf_addchars(&b, ' ', 1));
	CHECK_STR("{\"a\": 1, ", b.ptr);
	CHECK_INT(9, b.len);
	CHECK_INT(CRM_EOVERFLOW, crm_buf_check(&b));
	CHECK_STR("output incomplete: a text grew beyond its size limit", crm_error_last());
	/* truncating and resetting keep the mark (a scratch buffer reused in a
	 * loop); releasing starts over */
	crm_buf_truncate(&b, 2);
	CHECK_INT(CRM_EOVERFLOW, crm_buf_check(&b));
	crm_buf_reset(&b);
	CHECK_INT(CRM_EOVERFLOW, crm_buf_check(&b));
	CHECK_INT(CRM_EOVERFLOW, crm_buf_adds(&b, "x"));
	crm_buf_release(&b);
	CHECK_INT(0, b.err);
	CHECK_INT(0, b.max);
	CHECK_INT(0, crm_buf_check(&b));
	CHECK_INT(0, crm_buf_adds(&b, "fits again"));
	CHECK_STR("fits again", b.ptr);
	crm_buf_release(&b);
}

/* A formatted append over the cap fails even when the allocation has room
 * (the first 64 bytes), and leaves the text terminated where it was. */
static void test_buf__addf_respects_the_cap_and_the_terminator(void)
{
	struct crm_buf b = CRM_BUF_INIT;

	crm_buf_set_max(&b, 8);
	CHECK_INT(0, crm_buf_addf(&b, "%s", "abc"));
	CHECK_INT(CRM_EOVERFLOW, crm_buf_addf(&b, "%s-%d", "defghijkl", 42));
	CHECK_INT(3, b.len);
	CHECK_STR("abc", b.ptr);
	CHECK_INT(CRM_EOVERFLOW, crm_buf_check(&b));
	crm_buf_release(&b);
}

/* A file read that stops at its limit leaves a partial text: marked too. */
static void test_buf__read_over_the_limit_is_sticky(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	char path[] = "/tmp/crm-test-buf-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	CHECK(f != NULL);
	if (!f)
		return;
	fputs("0123456789", f);
	fclose(f);
	CHECK_INT(CRM_EOVERFLOW, crm_buf_read_file(&b, path, 4));
	CHECK_INT(CRM_EOVERFLOW, crm_buf_check(&b));
	crm_buf_release(&b);
	CHECK_INT(0, crm_buf_read_file(&b, path, 64));
	CHECK_STR("0123456789", b.ptr);
	remove(path);
	crm_buf_release(&b);
}

TESTS(TEST(test_buf__base64_rfc4648_vectors),
      TEST(test_buf__xml_escapes_markup_and_drops_controls),
      TEST(test_buf__cap_hit_midway_is_sticky),
      TEST(test_buf__addf_respects_the_cap_and_the_terminator),
      TEST(test_buf__read_over_the_limit_is_sticky))
