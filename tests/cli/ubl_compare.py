# Compares two UBL documents: the document totals, the VAT subtotals in
# the document currency, and the line nets, as exact decimals.
# Used by tests/cli/t0710-invoice-render.sh.
import sys, xml.etree.ElementTree as ET
from decimal import Decimal
ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
a, b = (ET.parse(p).getroot() for p in sys.argv[1:3])
cur = a.find("cbc:DocumentCurrencyCode", ns).text
def D(e, xp):
    x = e.find(xp, ns)
    return Decimal(x.text) if x is not None else Decimal(0)
for f in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount",
          "ChargeTotalAmount", "PrepaidAmount", "PayableAmount"):
    x, y = D(a, "cac:LegalMonetaryTotal/cbc:" + f), D(b, "cac:LegalMonetaryTotal/cbc:" + f)
    assert x == y, (sys.argv[1], f, x, y)
def subs(r):
    s = []
    for tt in r.findall("cac:TaxTotal", ns):
        if tt.find("cbc:TaxAmount", ns).get("currencyID") != cur:
            continue
        for st in tt.findall("cac:TaxSubtotal", ns):
            s.append((st.find("cac:TaxCategory/cbc:ID", ns).text, D(st, "cac:TaxCategory/cbc:Percent"),
                      D(st, "cbc:TaxableAmount"), D(st, "cbc:TaxAmount")))
    return sorted(s)
assert subs(a) == subs(b), (sys.argv[1], subs(a), subs(b))
tag = "cac:CreditNoteLine" if a.tag.endswith("}CreditNote") else "cac:InvoiceLine"
na = [D(l, "cbc:LineExtensionAmount") for l in a.findall(tag, ns)]
nb = [D(l, "cbc:LineExtensionAmount") for l in b.findall(tag, ns)]
assert na == nb, (sys.argv[1], na, nb)
assert a.tag == b.tag, (a.tag, b.tag)
