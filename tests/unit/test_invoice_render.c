/* Invoice documents (src/core/invoice/invoice_render.c): every label exists in
 * every language, and unknown languages are refused. */
#include "crm/invoice_render.h"
#include "harness.h"

static void test_invoice_render__every_label_in_every_language(void)
{
	static const char *const langs[] = { "en", "pl", "zh", "de", "fr", "es" };
	size_t i;
	int k;
	for (i = 0; i < sizeof(langs) / sizeof(*langs); i++) {
		for (k = 0; k < CRM_L_COUNT; k++) {
			const char *l = crm_invoice_label(langs[i], (enum crm_invoice_label)k);
			if (!l || !*l)
				fprintf(stderr, "  language %s has no label %d\n", langs[i], k);
			CHECK(l && *l);
		}
	}
	CHECK_STR("Faktura korygująca", crm_invoice_label("pl", CRM_L_CREDIT_NOTE));
	CHECK_STR("发票", crm_invoice_label("zh", CRM_L_INVOICE));
	CHECK_STR("Amount due", crm_invoice_label("en", CRM_L_AMOUNT_DUE));
	CHECK_STR("Zu zahlen", crm_invoice_label("de", CRM_L_AMOUNT_DUE));
	CHECK_STR("Net à payer", crm_invoice_label("fr", CRM_L_AMOUNT_DUE));
	CHECK_STR("Importe a pagar", crm_invoice_label("es", CRM_L_AMOUNT_DUE));
}

static void test_invoice_render__unknown_language(void)
{
	CHECK(crm_invoice_label("it", CRM_L_INVOICE) == NULL);
	CHECK(crm_invoice_label(NULL, CRM_L_INVOICE) == NULL);
	CHECK(crm_invoice_label("en", CRM_L_COUNT) == NULL);
}

TESTS(TEST(test_invoice_render__every_label_in_every_language),
      TEST(test_invoice_render__unknown_language))
