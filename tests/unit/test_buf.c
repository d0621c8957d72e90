/* Growable buffers (src/util/buf.c): the XML escaping and base64 encoding
 * the invoice writers use. */
#include "crm/buf.h"
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

TESTS(TEST(test_buf__base64_rfc4648_vectors),
      TEST(test_buf__xml_escapes_markup_and_drops_controls))
