/* What an EU VAT invoice must carry before it is issued (Directive
 * 2006/112/EC art. 226, as EN 16931 has it), and what a Peppol access
 * point needs to deliver it (both parties' countries and electronic
 * addresses), as one rule set that `crm invoice issue` applies and
 * `crm check` can apply too. */
#include <stdio.h>
#include <string.h>

#include "crm/buf.h"
#include "crm/config.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "crm/node.h"
#include "crm/peppol.h"

static void need(struct crm_buf *missing, size_t *count, bool present, const char *what)
{
	if (present)
		return;
	crm_buf_adds(missing, missing->len ? "; " : "");
	crm_buf_adds(missing, what);
	(*count)++;
}

static bool has_text(const struct crm_node *map, const char *key)
{
	const char *t = map ? crm_node_text(map, key) : NULL;
	return t && *t;
}

static bool has_value(const char *s)
{
	return s && *s;
}

/* A party's country: `country` as given, else its VAT id's prefix (EL is
 * Greece's VAT prefix, GR its country code). */
static bool country_known(const char *country, const char *vat_id)
{
	char prefix[3] = { 0 };

	if (has_value(country))
		return crm_country_known(country);
	if (!vat_id || strlen(vat_id) < 2)
		return false;
	memcpy(prefix, vat_id, 2);
	return !strcmp(prefix, "EL") || crm_country_known(prefix);
}

/* A party's Peppol address, from peppol_id or derived from the VAT id: a
 * malformed peppol_id is named with what is wrong with it. */
static void need_peppol(struct crm_buf *missing, size_t *count, const char *party,
			const char *where, const char *peppol_id, const char *vat_id)
{
	struct crm_peppol_address a;
	int err = crm_peppol_address(&a, peppol_id, vat_id);
	char what[512];

	if (!err)
		return;
	if (err == CRM_EINVALID)
		snprintf(what, sizeof(what), "%s Peppol address (%s)", party, crm_error_last());
	else
		snprintf(what, sizeof(what), "%s Peppol address (%s peppol_id, such as "
			 "0088:5790000435951, or a VAT id whose country has a Peppol scheme)",
			 party, where);
	need(missing, count, false, what);
}

/* The seller: crm.ini's [org] section. */
static void seller_requirements(struct crm_buf *missing, size_t *count,
				const struct crm_config *cfg)
{
	need(missing, count, has_value(cfg->org_name),
	     "the seller's name ([org] name in crm.ini)");
	need(missing, count, has_value(cfg->org_address),
	     "the seller's address ([org] address in crm.ini)");
	need(missing, count, has_value(cfg->org_vat_id),
	     "the seller's VAT id ([org] vat_id in crm.ini)");
	need(missing, count, country_known(crm_config_get(cfg, "org", NULL, "country"),
					   cfg->org_vat_id),
	     "the seller's country ([org] country, an ISO code such as DE, or the VAT id's prefix)");
	need_peppol(missing, count, "the seller's", "[org]",
		    crm_config_get(cfg, "org", NULL, "peppol_id"), cfg->org_vat_id);
}

size_t crm_invoice_vat_requirements(struct crm_buf *missing, struct crm_index *idx,
				    const struct crm_record *r,
				    const struct crm_invoice_totals *t)
{
	const char *client_id = crm_node_text(r->root, "client");
	const char *type = crm_node_text(r->root, "type");
	struct crm_record *client = client_id ? crm_index_resolve(idx, client_id, "client")
		: NULL;
	const struct crm_node *lines = crm_node_get(r->root, "lines");
	bool reverse_charge = false, buyer = client && client->root;
	size_t i, count = 0;

	seller_requirements(missing, &count, &crm_index_repo(idx)->config);
	need(missing, &count, buyer, "the buyer (an existing client in 'client')");
	if (buyer) {
		need(missing, &count, has_text(client->root, "name"),
		     "the buyer's name (client's 'name')");
		need(missing, &count, has_text(client->root, "address"),
		     "the buyer's address (client's 'address')");
		need(missing, &count, country_known(crm_node_text(client->root, "country"),
						    crm_node_text(client->root, "vat_id")),
		     "the buyer's country (client's 'country', an ISO code such as PL, or the "
		     "VAT id's prefix)");
		need_peppol(missing, &count, "the buyer's", "client's",
			    crm_node_text(client->root, "peppol_id"),
			    crm_node_text(client->root, "vat_id"));
	}
	need(missing, &count, lines && lines->kind == CRM_NODE_SEQ && lines->count,
	     "at least one line");
	/* reverse charge (category AE): the buyer accounts for the VAT, so the
	 * invoice must name the buyer's VAT id */
	for (i = 0; t && i < t->nrows; i++)
		reverse_charge |= !strcmp(t->rows[i].category, "AE");
	if (reverse_charge && buyer)
		need(missing, &count, has_text(client->root, "vat_id"),
		     "the buyer's VAT id, for reverse charge (client's 'vat_id')");
	if (type && !strcmp(type, "credit-note")) {
		const char *corrects = crm_node_text(r->root, "corrects");
		struct crm_record *orig = corrects ? crm_index_find(idx, "invoice", corrects)
			: NULL;
		need(missing, &count, orig && orig->root && has_text(orig->root, "number"),
		     "the issued invoice it corrects ('corrects')");
	}
	return count;
}
