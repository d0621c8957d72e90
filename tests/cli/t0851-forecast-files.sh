#!/bin/sh
# crm forecast through the shared report writers: --csv (every table, each
# after a "# name" line, or one with --table) compared whole, --html as a
# self-contained page with the figures in its tables, and --xlsx read back
# from its sheet XML with python3's zipfile.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || test_skip_all 'python3 is not installed'

CRM_TODAY=2025-07-15
export CRM_TODAY

test_expect_success 'set up a small repository' '
	mkdir small && cd small &&
	printf "%s\n" "[crm]" "currency = EUR" "[stage \"lead\"]" "probability = 10" \
		"[stage \"proposal\"]" "probability = 50" "[stage \"won\"]" "probability = 100" \
		"outcome = won" "[stage \"lost\"]" "probability = 0" "outcome = lost" \
		"[rate \"USD\"]" "value = 0.92" >crm.ini &&
	mkdir clients opportunities && echo "name: Acme" >clients/acme.yaml &&
	printf "%s\n" "title: Web" "client: acme" "stage: proposal" "amount: \"1000.00 EUR\"" \
		"expected_close: 2025-07-20" "owner: ann" "confidence: 4" \
		"created: 2025-05-01" >opportunities/web.yaml &&
	printf "%s\n" "title: Seo" "client: acme" "stage: lead" "amount: \"333.33 EUR\"" \
		"expected_close: 2025-06-02" "owner: bob" "created: 2025-05-01" \
		>opportunities/seo.yaml &&
	printf "%s\n" "title: Ads" "client: acme" "stage: proposal" \
		"amount: \"100.00 USD\"" "expected_close: 2025-08-31" "owner: ann" \
		"confidence: 1" "created: 2025-05-01" >opportunities/ads.yaml &&
	printf "%s\n" "title: Old" "client: acme" "stage: won" "amount: \"500.00 EUR\"" \
		"owner: ann" "created: 2025-05-01" "closed: 2025-06-10" >opportunities/old.yaml &&
	git init -q && git add -A && git commit -q -m small
'

test_expect_success '--csv --explain: both tables, each after its name' '
	crm -C small forecast --months 3 --method confidence --explain --csv >out &&
	cat >expect <<-\EOF &&
	# by_month
	month,deals,pipeline,expected
	2025-07,2,1333.33,833.33
	2025-08,1,92.00,18.40
	2025-09,0,0.00,0.00
	total,3,1425.33,851.73

	# deals
	month,deal,owner,stage,amount,weight,expected,why
	2025-07,seo,bob,lead,333.33,0.1,33.33,no rating; lead 10%; overdue
	2025-07,web,ann,proposal,1000.00,0.8,800.00,rating 0.8
	2025-08,ads,ann,proposal,92.00,0.2,18.40,rating 0.2
	EOF
	test_cmp expect out
'

test_expect_success '--csv --table picks one table; an unknown one is named' '
	crm -C small forecast --months 2 --by owner --explain --csv --table by_owner >out &&
	printf "%s\n" "owner,2025-07,2025-08,total" "ann,500.00,46.00,546.00" \
		"bob,33.33,0.00,33.33" "total,533.33,46.00,579.33" >expect &&
	test_cmp expect out &&
	test_expect_code 2 crm -C small forecast --csv --table nope 2>err &&
	echo "crm forecast: no table '"'"'nope'"'"' in this report (tables: by_month)" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm -C small forecast --table by_month 2>err &&
	echo "crm forecast: --table goes with --csv" >expect &&
	test_cmp expect err
'

test_expect_success '--backtest --csv is one table with the errors last' '
	crm -C small forecast --backtest --months 2 --csv >out &&
	printf "%s\n" "month,actual,stage,confidence,historical" \
		"2025-06,500.00,33.33,33.33,33.33" "MAPE,,93.3%,93.3%,93.3%" \
		"bias,,-93.3%,-93.3%,-93.3%" >expect &&
	test_cmp expect out
'

test_expect_success '--html writes one self-contained page with the forecast tables' '
	crm -C small forecast --months 2 --by stage --explain --html "$TRASH/f.html" >out &&
	test ! -s out &&
	! grep -qi "<script" f.html &&
	! grep -Eqi "(src|href)=\"(https?:)?//" f.html &&
	python3 - f.html <<-\PY
	import re, sys
	page = open(sys.argv[1], encoding="utf-8").read()
	assert "<h1>Forecast</h1>" in page, page
	assert "method stage, as of 2025-07-15; amounts in EUR" in page
	def rows(name):
	    sec = re.search(r"<section id=\"table-%s\">(.*?)</section>" % name, page, re.S)
	    assert sec, name
	    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr)
	            for tr in re.findall(r"<tr>(.*?)</tr>", sec.group(1), re.S)]
	assert rows("by_stage") == [
	    ["Stage", "2025-07", "2025-08", "Total"],
	    ["lead", "33.33 EUR", "0.00 EUR", "33.33 EUR"],
	    ["proposal", "500.00 EUR", "46.00 EUR", "546.00 EUR"],
	    ["total", "533.33 EUR", "46.00 EUR", "579.33 EUR"]], rows("by_stage")
	deals = rows("deals")
	assert deals[0] == ["Month", "Deal", "Owner", "Stage", "Amount", "Weight", "Expected",
	                    "Why"], deals[0]
	assert [r[1] for r in deals[1:]] == ["seo", "web", "ads"], deals
	PY
'

test_expect_success '--xlsx: a sheet a table, figures as numbers' '
	crm -C small forecast --months 2 --explain --xlsx "$TRASH/f.xlsx" >out &&
	test ! -s out &&
	python3 - f.xlsx <<-\PY
	import sys, zipfile
	import xml.etree.ElementTree as ET
	ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
	z = zipfile.ZipFile(sys.argv[1])
	book = ET.fromstring(z.read("xl/workbook.xml"))
	names = [s.get("name") for s in book.find("m:sheets", ns)]
	assert names == ["figures", "by_month", "deals"], names
	strings = [
	    "".join(t.text or "" for t in si.iter("{%s}t" % ns["m"]))
	    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
	def sheet(i):
	    rows = []
	    root = ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % i))
	    for row in root.iter("{%s}row" % ns["m"]):
	        cells = []
	        for c in row.findall("m:c", ns):
	            v = c.find("m:v", ns)
	            val = None if v is None else v.text
	            cells.append(strings[int(val)] if c.get("t") == "s" else float(val))
	        rows.append(cells)
	    return rows
	assert sheet(2) == [["month", "deals", "pipeline", "expected"],
	                    ["2025-07", 2.0, 1333.33, 533.33],
	                    ["2025-08", 1.0, 92.0, 46.0],
	                    ["total", 3.0, 1425.33, 579.33]], sheet(2)
	deals = sheet(3)
	assert deals[0][:3] == ["month", "deal", "owner"], deals[0]
	assert [r[1] for r in deals[1:]] == ["seo", "web", "ads"], deals
	assert deals[1][5] == 0.1 and deals[1][6] == 33.33, deals[1]
	PY
'

test_expect_success '--json with --html writes both; the JSON is unchanged' '
	crm -C small forecast --months 2 --json >plain.json &&
	crm -C small forecast --months 2 --json --html "$TRASH/j.html" >both.json &&
	test_cmp plain.json both.json &&
	grep -q "<h1>Forecast</h1>" j.html
'

test_expect_success 'the learnt model is valid JSON when crm.ini lists a closed stage first' '
	cp -R small first &&
	printf "%s\n" "[crm]" "currency = EUR" "[stage \"lost\"]" "probability = 0" \
		"outcome = lost" "[stage \"lead\"]" "probability = 10" "[stage \"proposal\"]" \
		"probability = 50" "[stage \"won\"]" "probability = 100" "outcome = won" \
		"[rate \"USD\"]" "value = 0.92" >first/crm.ini &&
	crm -C first forecast --method historical --months 1 --json >out.json &&
	python3 -c "import json, sys; d = json.load(open(sys.argv[1])); \
		print(*[s[\"stage\"] for s in d[\"model\"][\"stages\"]])" out.json >got &&
	echo "lead proposal" >expect &&
	test_cmp expect got
'

test_expect_success 'an unwritable file is an error, not a success' '
	test_expect_code 1 crm -C small forecast --html no/such/dir/x.html 2>err &&
	test_expect_code 1 crm -C small forecast --xlsx no/such/dir/x.xlsx 2>>err &&
	cat >expect <<-\EOF &&
	crm forecast: cannot write '\''no/such/dir/x.html'\'': No such file or directory
	crm forecast: cannot write '\''no/such/dir/x.xlsx'\'': No such file or directory
	EOF
	test_cmp expect err
'

test_done
