#!/bin/sh
# crm invoice render (txt, html, pdf) in English, Polish and Chinese, and
# crm invoice export --ubl: the PDF read back with pdftotext, the HTML
# opened in headless Chromium (screenshot and DOM), the UBL parsed with
# python3 and its totals compared with crm invoice show --json.
. "$(dirname "$0")/lib.sh"

# A PNG of w x h pixels in a gradient (python3 writes it: no image tools).
make_png() {
	python3 - "$1" <<-\EOF
	import struct, sys, zlib
	w, h = 120, 40
	raw = b"".join(b"\0" + b"".join(bytes([x * 2 % 256, 80, y * 6 % 256]) for x in range(w))
	               for y in range(h))
	def chunk(t, d):
	    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
	open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n"
	    + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
	    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
	EOF
}

test_expect_success 'set up the example with a logo, an IBAN and three languages' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	make_png agency/files/logo.png &&
	sed -i "s|^email = hello@nowak-chen.example|&\niban = DE89 3704 0044 0532 0130 00\nlogo = files/logo.png|" agency/crm.ini &&
	grep -q "^logo = files/logo.png" agency/crm.ini &&
	cat >agency/invoices/2025/inv-0000004.yaml <<-\EOF &&
	number: INV-0000004
	status: sent
	date: 2025-11-03
	due: 2025-12-03
	client: lodz-studio-projektowe
	currency: PLN
	language: pl
	po_number: ZAM/2025/17
	terms: Płatność przelewem w ciągu 14 dni.
	lines:
	  - {description: "Logo – Łódź, żółta gęś", quantity: 2, unit: szt, unit_price: "1500.00 PLN", tax: vat19}
	  - {description: "Konsultacje", quantity: 3.5, unit: hour, unit_price: "200.00 PLN", discount: 10%, tax: vat19}
	allowances:
	  - {reason: Rabat stałego klienta, amount: "100.00 PLN", tax: vat19}
	EOF
	cat >agency/invoices/2025/inv-0000005.yaml <<-\EOF &&
	number: INV-0000005
	status: sent
	date: 2025-11-04
	due: 2025-12-04
	client: c-7k2m9q
	currency: CNY
	language: zh
	lines:
	  - {description: 品牌设计服务, quantity: 1, unit: 件, unit_price: "8000.00 CNY", tax: rc}
	  - {description: 网站维护（每月）, quantity: 3, unit: month, unit_price: "1200.00 CNY", tax: rc}
	EOF
	cat >agency/invoices/2025/inv-0000006.yaml <<-\EOF &&
	number: INV-0000006
	type: credit-note
	corrects: inv-0000001
	status: sent
	date: 2025-07-01
	client: sofia-martinez
	currency: EUR
	language: en
	notes: Logo fee refunded <in full> & with thanks.
	lines:
	  - {product: logo-design, quantity: -1, unit_price: "2400.00 EUR", tax: vat19}
	EOF
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	crm -C agency check >out && grep -q "^0 errors" out
'

# pdf_has FILE TEXT...: every TEXT is in the PDF's text.
pdf_has() {
	f=$1; shift
	pdftotext -layout "$f" "$f.txt" &&
	for t in "$@"; do
		grep -qF -- "$t" "$f.txt" || { echo "not in $f: $t" >&2; cat "$f.txt" >&2; return 1; }
	done
}

test_expect_success 'pdf in English: number, line, totals, labels' '
	crm -C agency invoice render inv-0000002 --format pdf -o "$TRASH/en.pdf" 2>err &&
	grep -q "^wrote $TRASH/en.pdf$" err &&
	head -c 5 en.pdf | grep -q "%PDF-" &&
	pdf_has en.pdf "Invoice INV-0000002" "Website build, per page" "SEO monthly retainer" \
		"7,200.00 EUR" "1,368.00 EUR" "8,568.00 EUR" "6,568.00 EUR" "Amount due" "Due date" \
		"October 9, 2025" "Müller Maschinenbau AG" "Torstraße 101" "DE89 3704 0044 0532 0130 00" \
		"Page 1 / 1"
'

test_expect_success 'pdf in Polish: diacritics and Polish labels come through' '
	crm -C agency invoice show inv-0000004 --json >show.json &&
	grep -q "\"tax_inclusive_total\": {\"amount\": \"4200.70\", \"currency\": \"PLN\"}" show.json &&
	crm -C agency invoice render inv-0000004 --format pdf -o "$TRASH/pl.pdf" 2>/dev/null &&
	pdf_has pl.pdf "Faktura INV-0000004" "Logo – Łódź, żółta gęś" \
		"Łódź Studio Projektowe" "Termin płatności" "Do zapłaty" "Razem brutto" \
		"Rabat: Rabat stałego klienta" "-100,00" "3530,00 PLN" "4200,70 PLN" \
		"ZAM/2025/17" "Płatność przelewem w ciągu 14 dni."
'

test_expect_success 'pdf in Chinese: CJK text and labels come through' '
	crm -C agency invoice render inv-0000005 --format pdf -o "$TRASH/zh.pdf" 2>/dev/null &&
	pdf_has zh.pdf "发票 INV-0000005" "品牌设计服务" "北京青云科技有限公司" "价税合计" \
		"应付金额" "付款到期日" "11,600.00 CNY" \
		"Reverse charge: VAT to be accounted for by the recipient"
'

test_expect_success 'a credit note is titled as such and names the corrected invoice' '
	crm -C agency invoice render inv-0000006 --format pdf -o "$TRASH/cn.pdf" 2>/dev/null &&
	pdf_has cn.pdf "Credit note INV-0000006" "Corrects invoice" "INV-0000001" "-2,856.00 EUR" \
		"Logo fee refunded <in full> & with thanks." &&
	crm -C agency invoice render inv-0000006 --format pdf --language pl -o "$TRASH/cn-pl.pdf" 2>/dev/null &&
	pdf_has cn-pl.pdf "Faktura korygująca INV-0000006" "Korekta faktury"
'

test_expect_success 'without -o a pdf goes to ID.pdf, and says so' '
	(cd agency && crm invoice render inv-0000003 --format pdf 2>../err) &&
	grep -q "^wrote inv-0000003.pdf$" err && test -s agency/inv-0000003.pdf &&
	rm agency/inv-0000003.pdf
'

test_expect_success 'a long invoice is paginated with the totals on the last page' '
	{
		sed -n "1,/^lines:/p" agency/invoices/2025/inv-0000003.yaml | sed "s/INV-0000003/INV-0000099/"
		i=1
		while [ $i -le 90 ]; do
			echo "  - {description: \"Item $i with a longer description that wraps onto two lines in the table\", quantity: 1, unit_price: \"10.00 EUR\", tax: vat19}"
			i=$((i + 1))
		done
	} >agency/invoices/2025/inv-0000099.yaml &&
	crm -C agency invoice render inv-0000099 --format pdf -o "$TRASH/long.pdf" 2>/dev/null &&
	pages=$(pdfinfo long.pdf | sed -n "s/^Pages: *//p") && test "$pages" -ge 3 &&
	pdftotext -f "$pages" -l "$pages" -layout long.pdf last.txt &&
	grep -q "Item 90 with" last.txt && grep -q "1,071.00 EUR" last.txt &&
	grep -q "Page $pages / $pages" last.txt &&
	pdftotext -f 2 -l 2 -layout long.pdf p2.txt && grep -q "Description" p2.txt &&
	grep -q "Invoice INV-0000099" p2.txt &&
	rm agency/invoices/2025/inv-0000099.yaml
'

# Display width of each line, as a terminal shows it.
widths() {
	python3 -c "
import sys, unicodedata
for l in sys.stdin.read().splitlines():
    print(sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in l))"
}

test_expect_success 'txt: the line table lines up by display width in Chinese' '
	crm -C agency invoice render inv-0000005 >zh.txt &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0710-render-zh.txt" zh.txt &&
	sed -n "/^ *# /,/^$/p" zh.txt | sed "/^$/d" >table &&
	test $(wc -l <table) = 3 &&
	widths <table | sort -u >w && test $(wc -l <w) = 1 &&
	crm -C agency invoice render inv-0000004 --format txt -o "$TRASH/pl.txt" 2>/dev/null &&
	grep -q "^Faktura INV-0000004$" pl.txt &&
	sed -n "/^ *# /,/^$/p" pl.txt | sed "/^$/d" | widths | sort -u >w && test $(wc -l <w) = 1
'

test_expect_success 'html: one self-contained page with the logo inlined' '
	crm -C agency invoice render inv-0000004 --format html >pl.html &&
	grep -q "<html lang=\"pl\">" pl.html &&
	grep -q "src=\"data:image/png;base64,iVBORw0KGgo" pl.html &&
	! grep -Eq "(src|href)=\"(https?:)?//" pl.html &&
	grep -q "Logo – Łódź, żółta gęś" pl.html &&
	crm -C agency invoice render inv-0000006 --format html >cn.html &&
	grep -q "Logo fee refunded &lt;in full&gt; &amp; with thanks." cn.html
'

# chromium_check FILE TEXT...: headless Chromium takes a screenshot (not
# blank: many colours) and dumps the DOM, which holds every TEXT.
chromium_check() {
	f=$1; shift
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$TRASH/chromium" --screenshot="$TRASH/$f.png" \
		--window-size=900,1300 "file://$TRASH/$f" >/dev/null 2>&1 &&
	python3 - "$TRASH/$f.png" <<-\EOF &&
	import struct, sys, zlib
	data = open(sys.argv[1], "rb").read()
	assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
	pos, idat, w, h = 8, b"", 0, 0
	while pos < len(data):
	    n, t = struct.unpack(">I4s", data[pos:pos + 8])
	    if t == b"IHDR":
	        w, h, depth, ctype = struct.unpack(">IIBB", data[pos + 8:pos + 18])
	    if t == b"IDAT":
	        idat += data[pos + 8:pos + 8 + n]
	    pos += 12 + n
	raw = zlib.decompress(idat)
	assert w > 500 and h > 500, (w, h)
	distinct = set(raw[i:i + 3] for i in range(1, len(raw) - 3, 997))
	# a blank page has one colour; text, rules and the logo give many
	assert len(distinct) > 20, len(distinct)
	EOF
	chromium --headless --no-sandbox --disable-gpu --user-data-dir="$TRASH/chromium" \
		--dump-dom "file://$TRASH/$f" 2>/dev/null >"$f.dom" &&
	for t in "$@"; do
		grep -qF -- "$t" "$f.dom" || { echo "not in the DOM of $f: $t" >&2; return 1; }
	done
}

test_expect_success 'html renders in headless Chromium (en, pl, zh)' '
	crm -C agency invoice render inv-0000002 --format html -o "$TRASH/en.html" 2>/dev/null &&
	crm -C agency invoice render inv-0000005 --format html -o "$TRASH/zh.html" 2>/dev/null &&
	chromium_check en.html "Invoice INV-0000002" "8,568.00 EUR" "6,568.00 EUR" "Amount due" &&
	chromium_check pl.html "Faktura INV-0000004" "4200,70 PLN" "Do zapłaty" "Łódź" &&
	chromium_check zh.html "发票 INV-0000005" "11,600.00 CNY" "价税合计" "品牌设计服务"
'

# ubl_check FILE SHOW_JSON ROOT: the UBL document's namespaces, type code
# and every total and VAT subtotal equal crm invoice show --json's.
ubl_check() {
	python3 - "$@" <<-\EOF
	import json, sys, xml.etree.ElementTree as ET
	path, show, root_name = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
	ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
	      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
	root = ET.parse(path).getroot()
	assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:%s-2}%s" % (root_name, root_name), root.tag
	def one(xp):
	    r = root.findall(xp, ns)
	    assert len(r) == 1, (xp, len(r))
	    return r[0]
	assert one("cbc:CustomizationID").text == "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	assert one("cbc:ProfileID").text == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
	assert one("cbc:ID").text == show["number"]
	code = one("cbc:InvoiceTypeCode" if root_name == "Invoice" else "cbc:CreditNoteTypeCode").text
	assert code == ("380" if root_name == "Invoice" else "381"), code
	cur = show["currency"]
	assert one("cbc:DocumentCurrencyCode").text == cur
	sign = -1 if root_name == "CreditNote" and float(show["tax_inclusive_total"]["amount"]) < 0 else 1
	def amount(xp):
	    e = one(xp)
	    assert e.get("currencyID") == cur, (xp, e.get("currencyID"))
	    return e.text
	def want(key):
	    a = show[key]["amount"]
	    return a[1:] if sign < 0 and a.startswith("-") else ("-" + a if sign < 0 and a != "0.00" else a)
	m = "cac:LegalMonetaryTotal/cbc:"
	for xp, key in [(m + "LineExtensionAmount", "line_total"), (m + "TaxExclusiveAmount", "tax_exclusive_total"),
	                (m + "TaxInclusiveAmount", "tax_inclusive_total"), (m + "AllowanceTotalAmount", "allowance_total"),
	                (m + "ChargeTotalAmount", "charge_total"), (m + "PrepaidAmount", "paid_total"),
	                (m + "PayableAmount", "due_total")]:
	    assert amount(xp) == want(key), (xp, amount(xp), want(key))
	# one TaxTotal in the document currency; a second, without subtotals,
	# in the accounting currency when the invoice names one (BT-6, BT-111)
	tts = root.findall("cac:TaxTotal", ns)
	mine = [t for t in tts if t.find("cbc:TaxAmount", ns).get("currencyID") == cur]
	assert len(mine) == 1 and mine[0].find("cbc:TaxAmount", ns).text == want("tax_total"), len(mine)
	tax_cur = root.find("cbc:TaxCurrencyCode", ns)
	assert len(tts) == (2 if tax_cur is not None else 1), len(tts)
	for t in tts:
	    if t is not mine[0]:
	        assert t.find("cbc:TaxAmount", ns).get("currencyID") == tax_cur.text
	        assert t.find("cac:TaxSubtotal", ns) is None
	subs = root.findall("cac:TaxTotal/cac:TaxSubtotal", ns)
	assert len(subs) == len(show["vat_breakdown"]), len(subs)
	for s, v in zip(subs, show["vat_breakdown"]):
	    assert s.find("cac:TaxCategory/cbc:ID", ns).text == v["category"]
	    assert float(s.find("cac:TaxCategory/cbc:Percent", ns).text) == v["rate"]
	    assert s.find("cbc:TaxableAmount", ns).text == (v["taxable"]["amount"] if sign > 0 else v["taxable"]["amount"].lstrip("-"))
	    assert s.find("cbc:TaxAmount", ns).text == (v["tax"]["amount"] if sign > 0 else v["tax"]["amount"].lstrip("-"))
	    if v["category"] in ("E", "AE", "K", "G", "O"):
	        assert s.find("cac:TaxCategory/cbc:TaxExemptionReason", ns).text
	# the lines add up to the line total
	lines = root.findall("cac:InvoiceLine" if root_name == "Invoice" else "cac:CreditNoteLine", ns)
	assert lines, "no lines"
	total = sum(round(float(l.find("cbc:LineExtensionAmount", ns).text) * 100) for l in lines)
	assert total == round(float(amount(m + "LineExtensionAmount")) * 100)
	for l in lines:
	    q = l.find("cbc:InvoicedQuantity" if root_name == "Invoice" else "cbc:CreditedQuantity", ns)
	    assert q.get("unitCode"), "no unitCode"
	    assert l.find("cac:Item/cbc:Name", ns).text
	    assert l.find("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", ns).text
	    assert l.find("cac:Price/cbc:PriceAmount", ns).get("currencyID") == cur
	for p in ("cac:AccountingSupplierParty", "cac:AccountingCustomerParty"):
	    assert one(p + "/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName").text
	EOF
}

test_expect_success 'UBL invoice: namespaces, totals and VAT equal show --json' '
	crm -C agency invoice export inv-0000002 --ubl >inv2.xml &&
	crm -C agency invoice show inv-0000002 --json >inv2.json &&
	ubl_check inv2.xml inv2.json Invoice &&
	grep -q "<cbc:Name>Studio Nowak &amp; Chen GmbH</cbc:Name>" inv2.xml &&
	grep -q "<cbc:DueDate>2025-10-09</cbc:DueDate>" inv2.xml &&
	grep -q "<cbc:ID>DE89 3704 0044 0532 0130 00</cbc:ID>" inv2.xml
'

test_expect_success 'UBL: allowances, line discounts, PO number, other currencies' '
	crm -C agency invoice export inv-0000004 --ubl -o "$TRASH/inv10.xml" 2>/dev/null &&
	crm -C agency invoice show inv-0000004 --json >inv10.json &&
	ubl_check inv10.xml inv10.json Invoice &&
	grep -q "<cbc:BuyerReference>ZAM/2025/17</cbc:BuyerReference>" inv10.xml &&
	grep -q "<cbc:AllowanceChargeReason>Rabat stałego klienta</cbc:AllowanceChargeReason>" inv10.xml &&
	grep -q "<cbc:Amount currencyID=\"PLN\">70.00</cbc:Amount>" inv10.xml &&
	grep -q "<cbc:InvoicedQuantity unitCode=\"HUR\">3.5</cbc:InvoicedQuantity>" inv10.xml &&
	crm -C agency invoice export inv-0000005 --ubl >inv11.xml &&
	crm -C agency invoice show inv-0000005 --json >inv11.json &&
	ubl_check inv11.xml inv11.json Invoice &&
	grep -q "<cbc:TaxExemptionReason>Reverse charge: VAT to be accounted for by the recipient</cbc:TaxExemptionReason>" inv11.xml
'

test_expect_success 'UBL credit note: CreditNote, 381, the corrected invoice, positive credit' '
	crm -C agency invoice export inv-0000006 --ubl >cn.xml &&
	crm -C agency invoice show inv-0000006 --json >cn.json &&
	ubl_check cn.xml cn.json CreditNote &&
	grep -q "<cbc:PayableAmount currencyID=\"EUR\">2856.00</cbc:PayableAmount>" cn.xml &&
	grep -A2 "<cac:InvoiceDocumentReference>" cn.xml | grep -q "<cbc:ID>INV-0000001</cbc:ID>" &&
	grep -q "<cbc:Note>Logo fee refunded &lt;in full&gt; &amp; with thanks.</cbc:Note>" cn.xml
'

test_expect_success 'bad requests: unknown invoice, format, language; export without --ubl' '
	test_expect_code 1 crm -C agency invoice render inv-0000404 2>err &&
	test_expect_code 2 crm -C agency invoice render inv-0000002 --format docx 2>>err &&
	test_expect_code 2 crm -C agency invoice render inv-0000002 --language it 2>>err &&
	test_expect_code 2 crm -C agency invoice export inv-0000002 2>>err &&
	cat >expect <<-\EOF &&
	crm invoice: no invoice '\''inv-0000404'\'' (did you mean '\''inv-0000004'\''?)
	crm invoice: unknown format '\''docx'\'' (use pdf, html or txt)
	crm invoice: no labels for language '\''it'\'' (have en, pl, zh, de, fr, es)
	crm invoice: export needs a format: --ubl
	usage: crm invoice export ID --ubl [-o FILE]

	        --ubl                    UBL 2.1 Invoice or CreditNote per Peppol BIS Billing 3.0
	    -o, --output FILE            write FILE (default stdout)
	EOF
	test_cmp expect err
'

# An invoice in USD for a repository kept in EUR also states its VAT in EUR
# (BT-6, BT-111), at the invoice's own rate; a consignee is a deliver-to
# party (BG-13) in every format.
test_expect_success 'a foreign-currency invoice states its VAT in EUR; the consignee is shown' '
	cat >agency/invoices/2025/draft-usd.yaml <<-\EOF &&
	date: 2025-06-01
	client: acme-corp
	consignee: kaffee-und-kuchen
	currency: USD
	rate: 0.9
	lines:
	  - {description: "Campaign", quantity: 1, unit_price: "1000.00 USD", tax: vat19}
	EOF
	crm -C agency invoice render draft-usd >usd.txt &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0710-render-usd.txt" usd.txt &&
	crm -C agency invoice render draft-usd --format pdf -o "$TRASH/usd.pdf" 2>/dev/null &&
	pdf_has usd.pdf "Deliver to" "VAT in EUR (Exchange rate 0.9)" "171.00 EUR" &&
	crm -C agency invoice render draft-usd --format html >usd.html &&
	grep -q "VAT in EUR (Exchange rate 0.9)</td><td class=\"num\">171.00 EUR" usd.html &&
	crm -C agency invoice export draft-usd --ubl >usd.xml &&
	python3 - usd.xml <<-\EOF
	import sys, xml.etree.ElementTree as ET
	ns = {"u": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
	      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
	      "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
	r = ET.parse(sys.argv[1]).getroot()
	assert r.find("cbc:DocumentCurrencyCode", ns).text == "USD"
	assert r.find("cbc:TaxCurrencyCode", ns).text == "EUR"
	totals = r.findall("cac:TaxTotal", ns)
	assert len(totals) == 2, totals
	assert totals[0].find("cbc:TaxAmount", ns).text == "190.00"
	assert totals[0].find("cbc:TaxAmount", ns).get("currencyID") == "USD"
	eur = totals[1].find("cbc:TaxAmount", ns)
	assert (eur.text, eur.get("currencyID")) == ("171.00", "EUR"), eur.text
	assert totals[1].find("cac:TaxSubtotal", ns) is None
	d = r.find("cac:Delivery", ns)
	assert d.find("cac:DeliveryParty/cac:PartyName/cbc:Name", ns).text.startswith("Kaffee")
	EOF
'

test_expect_success 'a draft is marked as one; UBL wants a date and lines' '
	crm -C agency invoice render draft-kaffee-seo >draft.txt &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0710-render-draft.txt" draft.txt &&
	printf "client: acme-corp\nnotes: |\n  line one\n  line two\n" >agency/invoices/2025/bare.yaml &&
	test_expect_code 1 crm -C agency invoice export bare --ubl 2>err &&
	grep -q "bare has no issue date" err &&
	echo "date: 2025-06-01" >>agency/invoices/2025/bare.yaml &&
	test_expect_code 1 crm -C agency invoice export bare --ubl 2>err &&
	echo "crm invoice: bare has no lines: a UBL invoice needs one" >expect &&
	test_cmp expect err &&
	crm -C agency invoice render bare >bare.txt &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0710-render-bare.txt" bare.txt &&
	rm agency/invoices/2025/bare.yaml
'

test_expect_success 'a logo that is not a PNG is refused, named' '
	cp agency/crm.ini crm.ini.orig &&
	echo "not an image" >agency/files/logo.png &&
	test_expect_code 1 crm -C agency invoice render inv-0000002 --format html 2>err &&
	sed -i "s|^logo = .*|logo = ../../etc/passwd|" agency/crm.ini &&
	test_expect_code 1 crm -C agency invoice render inv-0000002 2>>err &&
	cat >expect <<-\EOF &&
	crm invoice: crm.ini [org] logo '\''files/logo.png'\'' is not a PNG image
	crm invoice: crm.ini [org] logo '\''../../etc/passwd'\'' must be a path inside the data repository
	EOF
	test_cmp expect err &&
	cp crm.ini.orig agency/crm.ini && make_png agency/files/logo.png
'

# The official examples whose lines are not quantity x price (see
# ../shared/data/README.md): their totals cannot come from their lines.
INCONSISTENT="guide-example1 guide-example2 guide-example3 ubl-tc434-example1
ubl-tc434-example2 ubl-tc434-example3 ubl-tc434-example10"

[ -d "$SHARED_DATA/en16931" ] && test_set_prereq EN16931

test_expect_success EN16931 'UBL of the official EN 16931 examples, made into records, matches them' '
	n=0
	for f in "$SHARED_DATA"/en16931/peppol/*.xml "$SHARED_DATA"/en16931/cen-ubl/*; do
		name=$(basename "$f"); name=${name%.*}
		case " $(echo $INCONSISTENT) " in *" $name "*) continue ;; esac
		python3 "$TEST_TOP/tests/cli/ubl_to_repo.py" "$f" "ex-$name" &&
		git -C "ex-$name" init -q && git -C "ex-$name" add -A &&
		git -C "ex-$name" commit -q -m "$name" &&
		crm -C "ex-$name" invoice export x --ubl >"ex-$name.xml" &&
		python3 "$TEST_TOP/tests/cli/ubl_compare.py" "$f" "ex-$name.xml" &&
		n=$((n + 1)) || { echo "failed on $name" >&2; exit 1; }
	done &&
	echo "$n examples" && test "$n" -ge 20
'

# not_blank PNG: a rendered page, not one colour (samples the pixel data)
not_blank() {
	python3 - "$1" <<-\EOF
	import struct, sys, zlib
	data = open(sys.argv[1], "rb").read()
	assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
	pos, idat = 8, b""
	while pos < len(data):
	    n, t = struct.unpack(">I4s", data[pos:pos + 8])
	    if t == b"IDAT":
	        idat += data[pos + 8:pos + 8 + n]
	    pos += 12 + n
	raw = zlib.decompress(idat)
	distinct = set(raw[i:i + 3] for i in range(1, len(raw) - 3, 101))
	assert len(distinct) > 8, len(distinct)
	EOF
}

test_expect_success 'documents in de, fr and es: labels, numbers and dates as each writes them' '
	for l in de fr es; do
		crm -C agency invoice render inv-0000002 --language $l --format pdf \
			-o "$TRASH/$l.pdf" 2>/dev/null || return 1
	done &&
	pdf_has de.pdf "Rechnung INV-0000002" "Rechnungsdatum" "9. September 2025" "Fällig am" \
		"9. Oktober 2025" "Gesamt brutto" "8.568,00 EUR" "Zu zahlen" "6.568,00 EUR" \
		"Einzelpreis" "1.200,00" "Seite 1 / 1" &&
	# French groups with a narrow no-break space, which pdftotext gives as
	# a space; the text rendering keeps it (below)
	pdf_has fr.pdf "Facture INV-0000002" "Date d’émission" "9 septembre 2025" \
		"Date d’échéance" "9 octobre 2025" "Total TTC" "8 568,00 EUR" "Net à payer" \
		"Prix unitaire HT" "1 200,00" "Page 1 / 1" &&
	pdf_has es.pdf "Factura INV-0000002" "Fecha de emisión" "9 de septiembre de 2025" \
		"Fecha de vencimiento" "Importe a pagar" "8568,00 EUR" "6568,00 EUR" "1200,00" \
		"Página 1 / 1" &&
	pdf_has pl.pdf "Data wystawienia" "3 listopada 2025" "3 grudnia 2025" &&
	pdf_has zh.pdf "开票日期" "2025年11月4日" "2025年12月4日" &&
	pdf_has en.pdf "September 9, 2025" &&
	crm -C agency invoice render inv-0000002 --language fr >fr.txt &&
	grep -F "Total TTC  8$(printf "\342\200\257")568,00 EUR" fr.txt
'

test_expect_success 'each language'"'"'s first page renders (pdftoppm), not blank' '
	for l in en pl zh de fr es; do
		pdftoppm -r 40 -f 1 -l 1 -png "$l.pdf" "page-$l" &&
		not_blank "page-$l-1.png" || { echo "blank or missing: $l" >&2; return 1; }
	done
'

test_expect_success 'tax-id labels follow the party'"'"'s country: NIP, USt-IdNr., else the language'"'"'s' '
	cat >agency/invoices/2025/inv-0000007.yaml <<-\EOF &&
	number: INV-0000007
	status: sent
	date: 2025-11-05
	due: 2025-12-05
	client: acme-corp
	currency: EUR
	language: pl
	lines:
	  - {description: Audyt, quantity: 1, unit_price: "12345.60 EUR", tax: vat19}
	EOF
	crm -C agency invoice render inv-0000007 >pl7.txt &&
	nbsp=$(printf "\302\240") &&
	grep -F "NIP: PL" pl7.txt >found; test ! -s found &&
	grep -F "Nr VAT: IE6388047V" pl7.txt &&
	grep -F "USt-IdNr.: DE123456789" pl7.txt &&
	grep -F "12${nbsp}345,60" pl7.txt &&
	grep -F "Data wystawienia  5 listopada 2025" pl7.txt &&
	crm -C agency invoice render inv-0000007 --language en >en7.txt &&
	grep -F "VAT ID: IE6388047V" en7.txt && grep -F "12,345.60" en7.txt &&
	crm -C agency invoice render inv-0000004 --format txt >pl4.txt &&
	grep -F "NIP: PL7251234567" pl4.txt &&
	crm -C agency invoice render inv-0000002 --language zh >zh2.txt &&
	grep -F "USt-IdNr.: DE811234567" zh2.txt &&
	crm -C agency invoice render inv-0000007 --language fr --format html >fr7.html &&
	grep -F "N° TVA: IE6388047V" fr7.html &&
	rm agency/invoices/2025/inv-0000007.yaml
'

test_done
