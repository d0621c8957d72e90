/* Unit tests of the one JSON emitter (src/util/json.c): RFC 8259 string
 * escapes, inline and block layouts with their separators and indents,
 * exact decimals, money in its one form, and misuse reported, not
 * written. */
#include "crm/error.h"
#include "crm/json.h"
#include "harness.h"

static crm_dec dec(const char *s)
{
	crm_dec d = { 0, 0 };
	CHECK_INT(0, crm_dec_parse(&d, s, strlen(s)));
	return d;
}

static void test_json__strings_escaped_per_rfc8259(void)
{
	struct crm_buf b = CRM_BUF_INIT;

	crm_json_quote(&b, "a\"b\\c\n\r\t\x01\x1f/Łódź 北京\x7f");
	CHECK_STR("\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u001f/Łódź 北京\x7f\"", b.ptr);
	crm_buf_release(&b);
}

static void test_json__inline_and_block_layouts(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_json j;

	crm_json_init(&j, &b);
	crm_json_object(&j, CRM_JSON_BLOCK);
	crm_json_key(&j, "name");
	crm_json_string(&j, "x");
	crm_json_key(&j, "empty");
	crm_json_array(&j, CRM_JSON_BLOCK);
	crm_json_end(&j);
	crm_json_key(&j, "rows");
	crm_json_array(&j, CRM_JSON_BLOCK);
	crm_json_object(&j, CRM_JSON_INLINE);
	crm_json_key(&j, "n");
	crm_json_int(&j, -3);
	crm_json_key(&j, "deals");
	crm_json_array(&j, CRM_JSON_BLOCK);
	crm_json_bool(&j, true);
	crm_json_null(&j);
	crm_json_end(&j);
	crm_json_end(&j);
	crm_json_object(&j, CRM_JSON_INLINE);
	crm_json_end(&j);
	crm_json_end(&j);
	crm_json_key(&j, "list");
	crm_json_array(&j, CRM_JSON_INLINE);
	crm_json_string(&j, "a");
	crm_json_string(&j, NULL);
	crm_json_end(&j);
	CHECK_INT(0, crm_json_end(&j));
	CHECK_STR("{\n"
		  "  \"name\": \"x\",\n"
		  "  \"empty\": [],\n"
		  "  \"rows\": [\n"
		  "    {\"n\": -3, \"deals\": [\n"
		  "      true,\n"
		  "      null\n"
		  "    ]},\n"
		  "    {}\n"
		  "  ],\n"
		  "  \"list\": [\"a\", null]\n"
		  "}", b.ptr);
	crm_buf_release(&b);
}

static void test_json__exact_decimals_and_money(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_json j;

	crm_json_init(&j, &b);
	crm_json_array(&j, CRM_JSON_INLINE);
	crm_json_decimal(&j, dec("0.9300"), false);
	crm_json_decimal(&j, dec("0.9300"), true);
	crm_json_decimal(&j, dec("12345678901234.56789"), true);
	crm_json_decimal(&j, dec("2.000"), true);
	crm_json_money(&j, dec("1250.5"), "EUR");
	crm_json_money(&j, dec("1000"), "JPY");
	crm_json_money(&j, dec("0.125"), "EUR");
	CHECK_INT(0, crm_json_end(&j));
	CHECK_STR("[0.9300, 0.93, 12345678901234.56789, 2, "
		  "{\"amount\": \"1250.50\", \"currency\": \"EUR\"}, "
		  "{\"amount\": \"1000\", \"currency\": \"JPY\"}, "
		  "{\"amount\": \"0.125\", \"currency\": \"EUR\"}]", b.ptr);
	crm_buf_release(&b);
}

static void test_json__misuse_is_an_error_that_sticks(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_json j;

	crm_json_init(&j, &b);
	crm_json_object(&j, CRM_JSON_INLINE);
	CHECK_INT(CRM_EINVALID, crm_json_string(&j, "no key"));
	CHECK_INT(CRM_EINVALID, crm_json_key(&j, "late"));
	CHECK_STR("{", b.ptr);
	crm_buf_reset(&b);
	crm_json_init(&j, &b);
	CHECK_INT(CRM_EINVALID, crm_json_end(&j));
	crm_buf_release(&b);
}

TESTS(TEST(test_json__strings_escaped_per_rfc8259), TEST(test_json__inline_and_block_layouts),
      TEST(test_json__exact_decimals_and_money), TEST(test_json__misuse_is_an_error_that_sticks))
