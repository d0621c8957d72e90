/* Unit tests of Peppol addresses and party addresses
 * (src/core/invoice/peppol.c, crm_party_split_address): schemes from
 * peppol_id or a VAT id, refusals named, country codes, and postal
 * addresses split into street, post code and city. */
#include "crm/error.h"
#include "crm/invoice_render.h"
#include "crm/peppol.h"
#include "harness.h"

static void test_peppol__from_peppol_id(void)
{
	struct crm_peppol_address a;
	CHECK_INT(0, crm_peppol_address(&a, "0088:5790000435951", "DE123456789"));
	CHECK_STR("0088", a.scheme);
	CHECK_STR("5790000435951", a.id);
}

static void test_peppol__derived_from_vat_ids(void)
{
	struct crm_peppol_address a;
	CHECK_INT(0, crm_peppol_address(&a, NULL, "DE123456789"));
	CHECK_STR("9930", a.scheme);
	CHECK_STR("DE123456789", a.id);
	CHECK_INT(0, crm_peppol_address(&a, "", "PL7251234567"));
	CHECK_STR("9945", a.scheme);
	CHECK_INT(0, crm_peppol_address(&a, NULL, "EL123456789"));
	CHECK_STR("9933", a.scheme);
	/* Sweden and Denmark register organisation numbers, not VAT ids */
	CHECK_INT(CRM_ENOTFOUND, crm_peppol_address(&a, NULL, "SE556677889901"));
	CHECK_INT(CRM_ENOTFOUND, crm_peppol_address(&a, NULL, "DK16356706"));
	CHECK_INT(CRM_ENOTFOUND, crm_peppol_address(&a, NULL, NULL));
	CHECK_INT(CRM_ENOTFOUND, crm_peppol_address(&a, NULL, "DE 123"));
}

static void test_peppol__malformed_ids_are_refused(void)
{
	struct crm_peppol_address a;
	CHECK_INT(CRM_EINVALID, crm_peppol_address(&a, "EM:info@example.com", NULL));
	CHECK(strstr(crm_error_last(), "is not SCHEME:ID") != NULL);
	CHECK_INT(CRM_EINVALID, crm_peppol_address(&a, "1234:5678", NULL));
	CHECK(strstr(crm_error_last(), "scheme 1234 is not in Peppol") != NULL);
	CHECK_INT(CRM_EINVALID, crm_peppol_address(&a, "0088:", NULL));
	CHECK_INT(CRM_EINVALID, crm_peppol_address(&a, "0088:579 000", NULL));
	CHECK(crm_peppol_scheme_known("9957"));
	CHECK(!crm_peppol_scheme_known("EM"));
	CHECK(!crm_peppol_scheme_known("99301"));
}

static void test_peppol__countries(void)
{
	CHECK(crm_country_known("DE"));
	CHECK(crm_country_known("KH"));
	CHECK(!crm_country_known("EL"));     /* Greece's VAT prefix, not its code */
	CHECK(!crm_country_known("de"));
	CHECK(!crm_country_known("DEU"));
	CHECK(!crm_country_known(""));
}

static void split(const char *address, const char *city, const char *postcode,
		  const char *want_street, const char *want_postcode, const char *want_city)
{
	struct crm_party p;
	memset(&p, 0, sizeof(p));
	p.address = address;
	crm_party_split_address(&p, city, postcode);
	CHECK_STR(want_street, p.street);
	CHECK_STR(want_postcode, p.postcode);
	CHECK_STR(want_city, p.city);
}

static void test_peppol__addresses_split(void)
{
	split("Torstraße 101, 10119 Berlin, Germany", NULL, NULL,
	      "Torstraße 101", "10119", "Berlin");
	split("ul. Piotrkowska 104, 90-001 Łódź, Polska", NULL, NULL,
	      "ul. Piotrkowska 104", "90-001", "Łódź");
	split("Main street 2, Building 4, 54321 Big city", NULL, NULL,
	      "Main street 2, Building 4", "54321", "Big city");
	/* no "POSTCODE City" part: the street is the whole address */
	split("1 Harbour Road, Dublin, Ireland", NULL, NULL, "1 Harbour Road, Dublin, Ireland",
	      "", "");
	split("北京市海淀区中关村大街 27 号", NULL, NULL, "北京市海淀区中关村大街 27 号", "", "");
	/* a record's own city and post code win */
	split("Calle Mayor 3", "Madrid", "28013", "Calle Mayor 3", "28013", "Madrid");
	split(NULL, NULL, NULL, "", "", "");
}

TESTS(TEST(test_peppol__from_peppol_id), TEST(test_peppol__derived_from_vat_ids),
      TEST(test_peppol__malformed_ids_are_refused), TEST(test_peppol__countries),
      TEST(test_peppol__addresses_split))
