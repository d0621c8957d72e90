/* vCard reading and writing: round trips through 3.0 and 4.0, folding and
 * unfolding, escapes, TYPE parameters in their spellings, 2.1's
 * QUOTED-PRINTABLE soft breaks and Latin-1. */
#include <string.h>

#include "harness.h"
#include "crm/error.h"
#include "crm/vcard.h"

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

static int parse(struct crm_vcards *v, const char *text)
{
	crm_vcards_init(v);
	return crm_vcard_parse(v, text, strlen(text));
}

static void check_same(const struct crm_vcard *a, const struct crm_vcard *b)
{
	size_t i;

	CHECK_STR(str_or_empty(a->fn), str_or_empty(b->fn));
	for (i = 0; i < CRM_VCARD_N__COUNT; i++)
		CHECK_STR(str_or_empty(a->n[i]), str_or_empty(b->n[i]));
	CHECK_STR(str_or_empty(a->org), str_or_empty(b->org));
	CHECK_STR(str_or_empty(a->title), str_or_empty(b->title));
	CHECK_STR(str_or_empty(a->note), str_or_empty(b->note));
	CHECK_STR(str_or_empty(a->bday), str_or_empty(b->bday));
	CHECK_STR(str_or_empty(a->uid), str_or_empty(b->uid));
	CHECK_INT(a->tels.len, b->tels.len);
	CHECK_INT(a->emails.len, b->emails.len);
	CHECK_INT(a->adrs.len, b->adrs.len);
	for (i = 0; i < a->tels.len && i < b->tels.len; i++) {
		CHECK_STR(a->tels.ptr[i].type, b->tels.ptr[i].type);
		CHECK_STR(a->tels.ptr[i].value, b->tels.ptr[i].value);
	}
	for (i = 0; i < a->emails.len && i < b->emails.len; i++) {
		CHECK_STR(a->emails.ptr[i].type, b->emails.ptr[i].type);
		CHECK_STR(a->emails.ptr[i].value, b->emails.ptr[i].value);
	}
	for (i = 0; i < a->adrs.len && i < b->adrs.len; i++) {
		CHECK_STR(a->adrs.ptr[i].type, b->adrs.ptr[i].type);
		CHECK_STR(a->adrs.ptr[i].street, b->adrs.ptr[i].street);
		CHECK_STR(a->adrs.ptr[i].locality, b->adrs.ptr[i].locality);
		CHECK_STR(a->adrs.ptr[i].code, b->adrs.ptr[i].code);
		CHECK_STR(a->adrs.ptr[i].country, b->adrs.ptr[i].country);
	}
}

/* A card with everything the writer knows, awkward characters included */
static const char full_card[] =
	"BEGIN:VCARD\r\nVERSION:3.0\r\n"
	"FN:Zofia Łukasiewicz-Wójcik\\, PhD\r\n"
	"N:Łukasiewicz-Wójcik;Zofia;Maria;Dr.;PhD\r\n"
	"ORG:Łódź Studio Projektowe\\; Design\r\n"
	"TITLE:Head of \\\\ Design\r\n"
	"EMAIL;TYPE=work,pref:zofia@lodz.example\r\n"
	"EMAIL;TYPE=home:zofia@mail.example\r\n"
	"TEL;TYPE=work,voice:+48 42 123 45 67\r\n"
	"TEL;TYPE=cell:+48 601 000 000\r\n"
	"ADR;TYPE=work:;Suite 4;ul. Piotrkowska 100;Łódź;łódzkie;90-001;Poland\r\n"
	"BDAY:1981-07-09\r\n"
	"NOTE:First line\\nSecond line; with a semicolon\\, a comma and a very long tail "
	"that needs folding: 北京青云科技有限公司北京青云科技有限公司\r\n"
	"UID:urn:crm:contact:zofia\r\n"
	"END:VCARD\r\n";

static void round_trip(int version)
{
	struct crm_vcards a, b;
	struct crm_buf out = CRM_BUF_INIT;
	const char *p;

	CHECK_INT(0, parse(&a, full_card));
	CHECK_INT(1, a.cards.len);
	if (a.cards.len != 1)
		goto done;
	CHECK_INT(0, crm_vcard_write(&out, &a.cards.ptr[0], version));
	CHECK_INT(0, parse(&b, out.ptr));
	CHECK_INT(1, b.cards.len);
	if (b.cards.len == 1)
		check_same(&a.cards.ptr[0], &b.cards.ptr[0]);
	/* every physical line at most 75 octets */
	for (p = out.ptr; *p; ) {
		size_t n = strcspn(p, "\r");
		CHECK(n <= 75);
		p += n + (p[n] ? 2 : 0);
	}
	crm_vcards_release(&b);
done:
	crm_vcards_release(&a);
	crm_buf_release(&out);
}

static void test_vcard__round_trip_3(void)
{
	round_trip(3);
}

static void test_vcard__round_trip_4(void)
{
	round_trip(4);
}

static void test_vcard__fields(void)
{
	struct crm_vcards v;
	const struct crm_vcard *c;

	CHECK_INT(0, parse(&v, full_card));
	c = &v.cards.ptr[0];
	CHECK_STR("Zofia Łukasiewicz-Wójcik, PhD", c->fn);
	CHECK_STR("Łukasiewicz-Wójcik", c->n[CRM_VCARD_N_FAMILY]);
	CHECK_STR("PhD", c->n[CRM_VCARD_N_SUFFIX]);
	CHECK_STR("Łódź Studio Projektowe; Design", c->org);
	CHECK_STR("Head of \\ Design", c->title);
	CHECK_STR("work,pref", c->emails.ptr[0].type);
	CHECK_STR("Suite 4", c->adrs.ptr[0].ext);
	CHECK_STR("łódzkie", c->adrs.ptr[0].region);
	CHECK_STR("1981-07-09", c->bday);
	CHECK(strstr(c->note, "First line\nSecond line; with a semicolon, a comma") != NULL);
	crm_vcards_release(&v);
}

static void test_vcard__version4_pref_and_bday(void)
{
	struct crm_vcards v;
	struct crm_buf out = CRM_BUF_INIT;

	CHECK_INT(0, parse(&v, full_card));
	CHECK_INT(0, crm_vcard_write(&out, &v.cards.ptr[0], 4));
	CHECK(strstr(out.ptr, "VERSION:4.0\r\n") != NULL);
	CHECK(strstr(out.ptr, "EMAIL;TYPE=work;PREF=1:zofia@lodz.example\r\n") != NULL);
	CHECK(strstr(out.ptr, "BDAY:19810709\r\n") != NULL);
	crm_buf_release(&out);
	crm_vcards_release(&v);
}

static void test_vcard__unfolding(void)
{
	struct crm_vcards v;

	CHECK_INT(0, parse(&v, "BEGIN:VCARD\nVERSION:3.0\nFN:Anna\n  Nowak\nNOTE:a\n\tb\r\nEND:VCARD\n"));
	CHECK_STR("Anna Nowak", v.cards.ptr[0].fn);
	CHECK_STR("ab", v.cards.ptr[0].note);
	crm_vcards_release(&v);
}

static void test_vcard__quoted_printable_21(void)
{
	struct crm_vcards v;
	const struct crm_vcard *c;

	CHECK_INT(0, parse(&v, "BEGIN:VCARD\r\nVERSION:2.1\r\n"
			   "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Zieli=C5=84ski;Tomasz\r\n"
			   "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:one=0Atw=\r\no\r\n"
			   "TEL;CELL;PREF:+48601\r\nTEL;WORK;VOICE:+48222\r\n"
			   "FN;CHARSET=ISO-8859-1:J\xe4ger\r\n"
			   "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\r\n"
			   "END:VCARD\r\n"));
	c = &v.cards.ptr[0];
	CHECK_STR("Zieliński", c->n[CRM_VCARD_N_FAMILY]);
	CHECK_STR("Tomasz", c->n[CRM_VCARD_N_GIVEN]);
	CHECK_STR("", c->n[CRM_VCARD_N_SUFFIX]);
	CHECK_STR("one\ntwo", c->note);
	CHECK_STR("cell,pref", c->tels.ptr[0].type);
	CHECK_STR("work,voice", c->tels.ptr[1].type);
	CHECK_STR("Jäger", c->fn);
	crm_vcards_release(&v);
}

static void test_vcard__unclosed_card(void)
{
	struct crm_vcards v;

	CHECK_INT(CRM_EINVALID, parse(&v, "BEGIN:VCARD\nVERSION:3.0\nFN:x\n"));
	CHECK_STR("line 1: BEGIN:VCARD without END:VCARD", crm_error_last());
	crm_vcards_release(&v);
}

static void test_vcard__several_cards_and_junk(void)
{
	struct crm_vcards v;

	CHECK_INT(0, parse(&v, "\xEF\xBB\xBFjunk\nBEGIN:VCARD\nFN:a\nEND:VCARD\n\n"
			   "begin:vcard\nfn:b\nitem1.email;type=INTERNET:b@x\nend:vcard\n"));
	CHECK_INT(2, v.cards.len);
	CHECK_STR("b", v.cards.ptr[1].fn);
	CHECK_STR("internet", v.cards.ptr[1].emails.ptr[0].type);
	crm_vcards_release(&v);
}

TESTS(TEST(test_vcard__round_trip_3), TEST(test_vcard__round_trip_4), TEST(test_vcard__fields),
      TEST(test_vcard__version4_pref_and_bday), TEST(test_vcard__unfolding),
      TEST(test_vcard__quoted_printable_21), TEST(test_vcard__unclosed_card),
      TEST(test_vcard__several_cards_and_junk))
