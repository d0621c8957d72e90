# Converts an EN 16931 UBL example (argv[1]) into a crm data repository
# (argv[2]): crm.ini with the seller and one [tax] per VAT category and
# rate, the buyer as clients/buyer.yaml, the document as invoices/x.yaml.
# Used by tests/cli/t0710-invoice-render.sh.
import os, sys, xml.etree.ElementTree as ET
from decimal import Decimal
ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
root = ET.parse(sys.argv[1]).getroot()
out = sys.argv[2]
credit = root.tag.endswith("}CreditNote")
def t(e, xp):
    x = e.find(xp, ns)
    return x.text.strip() if x is not None and x.text else None
def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
cur = t(root, "cbc:DocumentCurrencyCode")
taxes = {}
def tax_id(cat_el):
    cat = t(cat_el, "cbc:ID")
    rate = t(cat_el, "cbc:Percent") or "0"
    key = "t-%s-%s" % (cat.lower(), rate.replace(".", "-"))
    taxes.setdefault(key, [cat, rate, None])
    return key
for st in root.findall("cac:TaxTotal/cac:TaxSubtotal", ns):
    if st.find("cbc:TaxAmount", ns).get("currencyID") != cur:
        continue
    k = tax_id(st.find("cac:TaxCategory", ns))
    taxes[k][2] = t(st, "cac:TaxCategory/cbc:TaxExemptionReason")
seller = root.find("cac:AccountingSupplierParty/cac:Party", ns)
buyer = root.find("cac:AccountingCustomerParty/cac:Party", ns)
def name(p):
    return t(p, "cac:PartyLegalEntity/cbc:RegistrationName") or t(p, "cac:PartyName/cbc:Name")
lines = []
for l in root.findall("cac:CreditNoteLine" if credit else "cac:InvoiceLine", ns):
    qty = t(l, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity")
    price = t(l, "cac:Price/cbc:PriceAmount")
    per = t(l, "cac:Price/cbc:BaseQuantity")
    disc = sum(Decimal(t(a, "cbc:Amount")) for a in l.findall("cac:AllowanceCharge", ns) if t(a, "cbc:ChargeIndicator") == "false")
    chg = sum(Decimal(t(a, "cbc:Amount")) for a in l.findall("cac:AllowanceCharge", ns) if t(a, "cbc:ChargeIndicator") == "true")
    e = ["description: %s" % q(t(l, "cac:Item/cbc:Name")), "quantity: %s" % qty,
         "unit_price: \"%s %s\"" % (price, cur), "tax: %s" % tax_id(l.find("cac:Item/cac:ClassifiedTaxCategory", ns))]
    if per and Decimal(per) != 1:
        e.append("per: %s" % per)
    if disc:
        e.append("discount: \"%s %s\"" % (disc, cur))
    if chg:
        e.append("charge: \"%s %s\"" % (chg, cur))
    lines.append("  - {" + ", ".join(e) + "}")
adjs = {"allowances": [], "charges": []}
for a in root.findall("cac:AllowanceCharge", ns):
    kind = "charges" if t(a, "cbc:ChargeIndicator") == "true" else "allowances"
    adjs[kind].append("  - {reason: %s, amount: \"%s %s\", tax: %s}" % (
        q(t(a, "cbc:AllowanceChargeReason") or kind), t(a, "cbc:Amount"), cur, tax_id(a.find("cac:TaxCategory", ns))))
os.makedirs(out + "/clients"); os.makedirs(out + "/invoices")
def schemed(e):
    """An identifier as crm keeps it: "SCHEME:ID" when it has a scheme."""
    if e is None or not e.text:
        return None
    return "%s:%s" % (e.get("schemeID"), e.text.strip()) if e.get("schemeID") else e.text.strip()
def endpoint(p):
    # an e-mail (scheme EM) is no Peppol address: crm derives one instead
    e = p.find("cbc:EndpointID", ns)
    return None if e is None or e.get("schemeID") == "EM" else schemed(e)
def party_fields(p):
    """The party's address parts, ids and contact, as crm keeps them."""
    return [("address", t(p, "cac:PostalAddress/cbc:StreetName")),
            ("city", t(p, "cac:PostalAddress/cbc:CityName")),
            ("postcode", t(p, "cac:PostalAddress/cbc:PostalZone")),
            ("country", t(p, "cac:PostalAddress/cac:Country/cbc:IdentificationCode")),
            ("vat_id", t(p, "cac:PartyTaxScheme/cbc:CompanyID")),
            ("company_id", schemed(p.find("cac:PartyLegalEntity/cbc:CompanyID", ns))),
            ("party_id", schemed(p.find("cac:PartyIdentification/cbc:ID", ns))),
            ("peppol_id", endpoint(p)),
            ("email", t(p, "cac:Contact/cbc:ElectronicMail"))]
with open(out + "/crm.ini", "w") as f:
    f.write("[crm]\ncurrency = %s\n\n[org]\nname = %s\n" % (cur, name(seller)))
    for k, v in party_fields(seller) + [("contact", t(seller, "cac:Contact/cbc:Name")),
                                        ("phone", t(seller, "cac:Contact/cbc:Telephone")),
                                        ("iban", t(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"))]:
        if v:
            f.write("%s = %s\n" % (k, v))
    for k, (cat, rate, ex) in taxes.items():
        f.write("\n[tax \"%s\"]\nrate = %s%%\ncategory = %s\n" % (k, rate, cat))
        if ex:
            f.write("exemption = %s\n" % ex)
with open(out + "/clients/buyer.yaml", "w") as f:
    f.write("name: %s\n" % q(name(buyer)))
    for k, v in party_fields(buyer):
        if v:
            f.write("%s: %s\n" % (k, q(v)))
with open(out + "/invoices/x.yaml", "w") as f:
    f.write("number: %s\nclient: buyer\ncurrency: %s\ndate: %s\n" % (q(t(root, "cbc:ID")), cur, t(root, "cbc:IssueDate")))
    if credit:
        f.write("type: credit-note\n")
    due = t(root, "cbc:DueDate") or t(root, "cac:PaymentMeans/cbc:PaymentDueDate")
    if due:
        f.write("due: %s\n" % due)
    if t(root, "cac:PaymentTerms/cbc:Note"):
        f.write("terms: %s\n" % q(t(root, "cac:PaymentTerms/cbc:Note")))
    if t(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount"):
        f.write("payments:\n  - {date: %s, amount: \"%s %s\"}\n" % (t(root, "cbc:IssueDate"), t(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount"), cur))
    f.write("lines:\n" + "\n".join(lines) + "\n")
    for k in ("allowances", "charges"):
        if adjs[k]:
            f.write(k + ":\n" + "\n".join(adjs[k]) + "\n")
