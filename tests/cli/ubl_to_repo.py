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
with open(out + "/crm.ini", "w") as f:
    f.write("[crm]\ncurrency = %s\n\n[org]\nname = %s\naddress = %s\nvat_id = %s\n" % (
        cur, name(seller), t(seller, "cac:PostalAddress/cbc:StreetName") or "-",
        t(seller, "cac:PartyTaxScheme/cbc:CompanyID") or "-"))
    for k, (cat, rate, ex) in taxes.items():
        f.write("\n[tax \"%s\"]\nrate = %s%%\ncategory = %s\n" % (k, rate, cat))
        if ex:
            f.write("exemption = %s\n" % ex)
with open(out + "/clients/buyer.yaml", "w") as f:
    f.write("name: %s\n" % q(name(buyer)))
    if t(buyer, "cac:PartyTaxScheme/cbc:CompanyID"):
        f.write("vat_id: %s\n" % q(t(buyer, "cac:PartyTaxScheme/cbc:CompanyID")))
with open(out + "/invoices/x.yaml", "w") as f:
    f.write("number: %s\nclient: buyer\ncurrency: %s\ndate: %s\n" % (q(t(root, "cbc:ID")), cur, t(root, "cbc:IssueDate")))
    if credit:
        f.write("type: credit-note\n")
    if t(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount"):
        f.write("payments:\n  - {date: %s, amount: \"%s %s\"}\n" % (t(root, "cbc:IssueDate"), t(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount"), cur))
    f.write("lines:\n" + "\n".join(lines) + "\n")
    for k in ("allowances", "charges"):
        if adjs[k]:
            f.write(k + ":\n" + "\n".join(adjs[k]) + "\n")
