/* Unit tests of src/util/utf8.c: validation, display width of Chinese,
 * Polish and Khmer text, padding, slugs and edit distance. */
#include "crm/buf.h"
#include "crm/utf8.h"
#include "harness.h"

static void test_utf8__valid(void)
{
	size_t bad = 0;
	CHECK(crm_utf8_valid("Łódź 北京 សួស្តី", strlen("Łódź 北京 សួស្តី"), NULL));
	CHECK(!crm_utf8_valid("ab\xff", 3, &bad));
	CHECK_INT(2, bad);
	CHECK(!crm_utf8_valid("a\xc0\xaf", 3, &bad));   /* overlong '/' */
	CHECK_INT(1, bad);
	CHECK(!crm_utf8_valid("\xed\xa0\x80", 3, &bad)); /* a surrogate */
	CHECK(!crm_utf8_valid("a\0b", 3, &bad));
	CHECK_INT(1, bad);
}

static void test_utf8__width(void)
{
	CHECK_INT(4, crm_utf8_width("Łódź"));
	CHECK_INT(8, crm_utf8_width("北京设计"));
	/* ស ួ ស ្ ត ី: vowel signs and COENG take no column (as in wcwidth);
	 * the subscript consonant after COENG takes one, as terminals give it */
	CHECK_INT(3, crm_utf8_width("សួស្តី"));
	CHECK_INT(0, crm_utf8_width("\xe1\x9e\xb6"));  /* U+17B6, a spacing vowel sign */
	CHECK_INT(0, crm_utf8_width(""));
	CHECK_INT(1, crm_utf8_width("e\xcc\x81"));  /* e + combining acute */
}

static void test_utf8__pad_lines_up_scripts(void)
{
	const char *names[] = { "Acme", "北京青云", "Łódź Studio", "សួស្តី" };
	size_t i;
	for (i = 0; i < 4; i++) {
		struct crm_buf b = CRM_BUF_INIT;
		crm_utf8_pad(&b, names[i], 12, false);
		crm_buf_adds(&b, "|");
		CHECK_INT(13, crm_utf8_width(b.ptr));
		crm_buf_release(&b);
	}
}

static void test_utf8__truncate(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	CHECK_INT(5, crm_utf8_truncate(&b, "北京青云科技", 6));
	CHECK_STR("北京…", b.ptr);
	crm_buf_reset(&b);
	CHECK_INT(4, crm_utf8_truncate(&b, "Łódź", 4));
	CHECK_STR("Łódź", b.ptr);
	crm_buf_reset(&b);
	crm_utf8_pad(&b, "12.00", 8, true);
	CHECK_STR("   12.00", b.ptr);
	crm_buf_release(&b);
}

static void test_utf8__slug(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	CHECK_INT(18, crm_utf8_slug(&b, "Łódź Design Studio"));
	CHECK_STR("lodz-design-studio", b.ptr);
	crm_buf_reset(&b);
	crm_utf8_slug(&b, "Müller & Söhne GmbH");
	CHECK_STR("muller-sohne-gmbh", b.ptr);
	crm_buf_reset(&b);
	crm_utf8_slug(&b, "Straße  --  Øresund!");
	CHECK_STR("strasse-oresund", b.ptr);
	crm_buf_reset(&b);
	CHECK_INT(0, crm_utf8_slug(&b, "北京青云"));
	CHECK_STR("", b.ptr);
	CHECK_INT(0, crm_utf8_slug(&b, "ភ្នំពេញ"));
	CHECK_INT(0, crm_utf8_slug(&b, "アイ商事"));
	crm_utf8_slug(&b, "Москва Трейд");
	CHECK_STR("moskva-trejd", b.ptr);
	crm_buf_reset(&b);
	crm_utf8_slug(&b, "Αθήνα Design");
	CHECK_STR("athina-design", b.ptr);
	crm_buf_reset(&b);
	crm_utf8_slug(&b, "Тверь и Подъезд");   /* soft and hard signs split no word */
	CHECK_STR("tver-i-podezd", b.ptr);
	crm_buf_reset(&b);
	crm_utf8_slug(&b, "Հայաստան");
	CHECK_STR("hayastan", b.ptr);
	crm_buf_release(&b);
}

static void test_utf8__fold(void)
{
	CHECK(crm_utf8_contains_fold("Łódź Studio", "ŁÓDŹ"));
	CHECK(crm_utf8_contains_fold("Straße", "STRASSE"));
	CHECK(crm_utf8_contains_fold("Łódź Studio", "lodz"));
	CHECK(crm_utf8_contains_fold("Lodz", "łódź"));
	CHECK(crm_utf8_contains_fold("アイ商事", "ｱｲ"));
	CHECK(crm_utf8_contains_fold("ＡＣＭＥ Corp", "acme"));
	CHECK(crm_utf8_contains_fold("Αθήνα", "αθηνα"));
	CHECK(crm_utf8_contains_fold("Йошкар-Ола", "ЙОШКАР"));
	CHECK(crm_utf8_contains_fold("北京青云科技", "青云"));
	CHECK(crm_utf8_contains_fold("anything", ""));
	/* kana voicing marks and Indic vowel signs are letters, not accents */
	CHECK(!crm_utf8_contains_fold("カード", "ガ"));
	CHECK(!crm_utf8_contains_fold("क", "कि"));
	CHECK(!crm_utf8_contains_fold("Lodz", "lódźx"));
	CHECK(crm_utf8_contains_fold("plain ascii", "ł"));   /* "l" */
	CHECK(!crm_utf8_contains_fold("plain ascii", "北"));
}

static void test_utf8__distance(void)
{
	/* A swap of neighbours is one edit, the typo people make most. */
	CHECK_INT(1, crm_edit_distance("acme-crop", "acme-corp", 3));
	CHECK_INT(1, crm_edit_distance("emial", "email", 3));
	CHECK_INT(2, crm_edit_distance("stage", "tags", 3));
	CHECK_INT(2, crm_edit_distance("ab", "ba-x", 1) > 1 ? 2 : 0);
	CHECK_INT(3, crm_edit_distance("ca", "abc", 3));
	CHECK_INT(1, crm_edit_distance("łódź", "lódź", 3));
	CHECK_INT(4, crm_edit_distance("abcdefgh", "zzzzzzzz", 3));
	CHECK_INT(0, crm_edit_distance("北京", "北京", 3));
}

TESTS(TEST(test_utf8__valid), TEST(test_utf8__width), TEST(test_utf8__pad_lines_up_scripts),
      TEST(test_utf8__truncate), TEST(test_utf8__slug), TEST(test_utf8__fold),
      TEST(test_utf8__distance))
