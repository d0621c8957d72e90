/* Unit tests of what an EU VAT invoice must carry before it is issued
 * (src/core/invoice/invoice_rules.c), on a small repository the test
 * writes itself with the tool's own schemas: every missing item named, in
 * order; reverse charge asking for the buyer's VAT id; nothing missing. */
#include <stdlib.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "fixture.h"
#include "harness.h"

static struct fixture fx;
static struct crm_buf missing = CRM_BUF_INIT;

static const struct fixture_file files[] = {
	{ "crm.ini",
	  "[crm]\ncurrency = EUR\ntimezone = UTC\n"
	  "[tax \"vat\"]\nrate = 23%\ncategory = S\n"
	  "[tax \"rc\"]\nrate = 0%\ncategory = AE\n"
	  "[org]\nname = Seller Ltd\ncountry = DE\npeppol_id = 0088:5790000435951\n" },
	{ "clients/bare.yaml", "name: Bare\ncountry: FR\npeppol_id: 0088:5790000436101\n" },
	{ "clients/full.yaml", "name: Full GmbH\naddress: 1 Main St, Berlin\ncountry: DE\n"
	  "peppol_id: 0088:5790000436057\n" },
	/* Peppol: a country that is no ISO code, an address with a scheme
	 * Peppol does not know, and a buyer with neither */
	{ "clients/nowhere.yaml", "name: Nowhere\naddress: 1 Road\ncountry: Germany\n"
	  "peppol_id: EM:info@nowhere.example\n" },
	{ "clients/vat-only.yaml", "name: Vat Only\naddress: 2 Road\nvat_id: PL7251234567\n" },
	{ "clients/sweden.yaml", "name: Svensk AB\naddress: 3 Road\nvat_id: SE556677889901\n" },
	{ "invoices/d.yaml",
	  "client: nowhere\nlines:\n  - {description: Work, quantity: 1, "
	  "unit_price: \"100.00 EUR\", tax: vat}\n" },
	{ "invoices/e.yaml",
	  "client: vat-only\nlines:\n  - {description: Work, quantity: 1, "
	  "unit_price: \"100.00 EUR\", tax: vat}\n" },
	{ "invoices/f.yaml",
	  "client: sweden\nlines:\n  - {description: Work, quantity: 1, "
	  "unit_price: \"100.00 EUR\", tax: vat}\n" },
	/* no lines, a buyer without address, a credit note of nothing */
	{ "invoices/a.yaml", "client: bare\ntype: credit-note\ncorrects: nope\n" },
	/* reverse charge: the buyer's VAT id is due */
	{ "invoices/b.yaml",
	  "client: full\nlines:\n  - {description: Work, quantity: 1, unit_price: \"100.00 EUR\", "
	  "tax: rc}\n" },
	{ "invoices/c.yaml",
	  "client: full\nlines:\n  - {description: Work, quantity: 1, unit_price: \"100.00 EUR\", "
	  "tax: vat}\n" },
};

static void test_invoice_rules__load(void)
{
	fixture_load(&fx, "invoice-rules", files, sizeof(files) / sizeof(*files), CRM_SRCDIR "/schema", false);
}

/* The requirements of invoice `id`, its totals computed when they can be. */
static const char *missing_of(const char *id, size_t *count)
{
	struct crm_record *r = crm_index_find(fx.idx, "invoice", id);
	struct crm_invoice_totals t;
	char cur[4];
	bool computed;

	crm_buf_reset(&missing);
	*count = 99;
	CHECK(r != NULL);
	if (!r)
		return "";
	computed = crm_invoice_of_record(&t, cur, fx.idx, r) == 0;
	*count = crm_invoice_vat_requirements(&missing, fx.idx, r, computed ? &t : NULL);
	return missing.ptr;
}

static void test_invoice_rules__every_missing_item_named(void)
{
	size_t n;
	const char *m = missing_of("a", &n);

	CHECK_STR("the seller's address ([org] address in crm.ini); "
		  "the seller's VAT id ([org] vat_id in crm.ini); "
		  "the buyer's address (client's 'address'); at least one line; "
		  "the issued invoice it corrects ('corrects')", m);
	CHECK_INT(5, n);
}

static void test_invoice_rules__reverse_charge_needs_buyer_vat_id(void)
{
	size_t n;

	CHECK_STR("the seller's address ([org] address in crm.ini); "
		  "the seller's VAT id ([org] vat_id in crm.ini); "
		  "the buyer's VAT id, for reverse charge (client's 'vat_id')",
		  missing_of("b", &n));
	CHECK_INT(3, n);
	CHECK_STR("the seller's address ([org] address in crm.ini); "
		  "the seller's VAT id ([org] vat_id in crm.ini)", missing_of("c", &n));
	CHECK_INT(2, n);
}

/* What a Peppol access point needs: both countries as ISO codes (or the
 * VAT id's prefix), both electronic addresses with a scheme from the EAS
 * list (peppol_id, or derived from the VAT id where the country has one). */
static void test_invoice_rules__peppol_needs(void)
{
	size_t n;
	const char *seller = "the seller's address ([org] address in crm.ini); "
			     "the seller's VAT id ([org] vat_id in crm.ini); ";
	struct crm_buf want = CRM_BUF_INIT;

	crm_buf_addf(&want, "%sthe buyer's country (client's 'country', an ISO code such as PL, "
		     "or the VAT id's prefix); the buyer's Peppol address (peppol_id "
		     "'EM:info@nowhere.example' is not SCHEME:ID (such as 0088:5790000435951 or "
		     "9930:DE123456789))", seller);
	CHECK_STR(want.ptr, missing_of("d", &n));
	CHECK_INT(4, n);
	/* a Polish VAT id gives both the country and the address (9945) */
	CHECK_STR("the seller's address ([org] address in crm.ini); "
		  "the seller's VAT id ([org] vat_id in crm.ini)", missing_of("e", &n));
	CHECK_INT(2, n);
	/* Sweden registers organisation numbers: the VAT id gives no address */
	crm_buf_reset(&want);
	crm_buf_addf(&want, "%sthe buyer's Peppol address (client's peppol_id, such as "
		     "0088:5790000435951, or a VAT id whose country has a Peppol scheme)", seller);
	CHECK_STR(want.ptr, missing_of("f", &n));
	CHECK_INT(3, n);
	crm_buf_release(&want);
}

static void test_invoice_rules__cleanup(void)
{
	crm_buf_release(&missing);
	CHECK_INT(0, fixture_cleanup(&fx));
}

TESTS(TEST(test_invoice_rules__load), TEST(test_invoice_rules__every_missing_item_named),
      TEST(test_invoice_rules__reverse_charge_needs_buyer_vat_id),
      TEST(test_invoice_rules__peppol_needs),
      TEST(test_invoice_rules__cleanup))
