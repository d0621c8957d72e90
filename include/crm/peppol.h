/* Peppol's electronic addresses (EN 16931 BT-34 for the seller, BT-49 for
 * the buyer): where an access point delivers an invoice, as a scheme from
 * the Electronic Address Scheme (EAS) code list and an identifier. */
#ifndef CRM_PEPPOL_H
#define CRM_PEPPOL_H

#include <stdbool.h>

struct crm_peppol_address {
	char scheme[5];        /* "0088", "9930" */
	char id[128];          /* "5790000435951", "DE123456789" */
};

/* The address from `peppol_id` ("SCHEME:ID", as Peppol participants are
 * registered: "0088:5790000435951", "9930:DE123456789") when given, else
 * derived from `vat_id` when its country has a VAT number scheme in the
 * EAS list (9930 for DE, 9945 for PL...; not every country has one).
 * 0 with *out filled; CRM_ENOTFOUND when neither gives an address;
 * CRM_EINVALID, with a message, for a malformed peppol_id or a scheme the
 * code list does not have. */
int crm_peppol_address(struct crm_peppol_address *out, const char *peppol_id,
		       const char *vat_id);

/* Whether `scheme` is in the EAS code list Peppol BIS Billing 3.0 accepts. */
bool crm_peppol_scheme_known(const char *scheme);

/* Whether `code` is an ISO 3166-1 alpha-2 country code (BT-40, BT-55). */
bool crm_country_known(const char *code);

#endif
