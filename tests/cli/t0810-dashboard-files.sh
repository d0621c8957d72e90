#!/bin/sh
# crm dashboard --html and --xlsx: the page opened in headless Chromium (a
# screenshot that is not one colour, the figures in the DOM it renders) and
# the workbook read back from its XML with python3's zipfile.
. "$(dirname "$0")/lib.sh"
. "$TEST_TOP/tests/cli/sales-repo.sh"

test_expect_success 'set up' '
	make_small
'

test_expect_success '--html writes one self-contained page: no script, nothing fetched' '
	crm -C small dashboard --html "$TRASH/dash.html" >out &&
	test ! -s out &&
	grep -q "<svg" dash.html && grep -q "<style>" dash.html &&
	! grep -qi "<script" dash.html &&
	! grep -Eqi "(src|href)=\"(https?:)?//" dash.html &&
	grep -q "Deals by stage" dash.html && grep -q "Sales by tag" dash.html &&
	grep -q "Pipeline generated per month" dash.html && grep -q "Sales won per month" dash.html
'

command -v chromium >/dev/null 2>&1 && test_set_prereq CHROMIUM
CHROMIUM="chromium --headless --no-sandbox --disable-gpu --user-data-dir=$TRASH/chromium"
test_expect_success CHROMIUM 'Chromium renders the figures' '
	timeout 120 $CHROMIUM --dump-dom "file://$TRASH/dash.html" >dom.html 2>/dev/null &&
	python3 - dom.html <<-\PY
	import re, sys
	dom = open(sys.argv[1], encoding="utf-8").read()
	def card(key):
	    m = re.search(r"id=\"card-%s\".*?class=\"value\">([^<]*)<" % key, dom)
	    return m and m.group(1)
	assert card("open_count") == "2", card("open_count")
	assert card("pipeline_total") == "1,100.00 EUR"
	assert card("pipeline_weighted") == "150.00 EUR"
	assert card("won_total") == "3,000.00 EUR"
	assert card("win_rate") == "50.0%"
	assert dom.count("<path") + dom.count("<circle") >= 3, "no pie slices"
	assert dom.count("<rect") >= 8, "no bars"
	assert "as of commit" in dom
	PY
'
test_expect_success CHROMIUM 'the screenshot is not blank' '
	timeout 120 $CHROMIUM --screenshot="$TRASH/shot.png" --window-size=1200,1400 \
		"file://$TRASH/dash.html" >/dev/null 2>&1 &&
	python3 - shot.png <<-\PY
	import struct, sys, zlib
	data = open(sys.argv[1], "rb").read()
	assert data[:8] == b"\x89PNG\r\n\x1a\n"
	pos, idat, w = 8, b"", 0
	while pos < len(data):
	    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
	    body = data[pos + 8:pos + 8 + n]
	    if kind == b"IHDR":
	        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
	        bpp = {2: 3, 6: 4}[ctype]
	        assert depth == 8
	    elif kind == b"IDAT":
	        idat += body
	    pos += 12 + n
	raw, stride = zlib.decompress(idat), w * bpp
	prev, colours, i = bytearray(stride), set(), 0
	for y in range(h):
	    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
	    i += 1 + stride
	    for x in range(stride):
	        a = line[x - bpp] if x >= bpp else 0
	        b = prev[x]
	        c = prev[x - bpp] if x >= bpp else 0
	        if f == 1: line[x] = (line[x] + a) & 255
	        elif f == 2: line[x] = (line[x] + b) & 255
	        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
	        elif f == 4:
	            p = a + b - c
	            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
	            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
	    if y % 7 == 0:
	        for x in range(0, stride, bpp * 3):
	            colours.add(bytes(line[x:x + 3]))
	    prev = line
	assert len(colours) > 20, "only %d colours: blank page?" % len(colours)
	PY
'

test_expect_success '--xlsx: one sheet per table, the same figures' '
	crm -C small dashboard --xlsx "$TRASH/dash.xlsx" &&
	python3 - dash.xlsx <<-\PY
	import re, sys, zipfile
	import xml.etree.ElementTree as ET
	ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
	z = zipfile.ZipFile(sys.argv[1])
	book = ET.fromstring(z.read("xl/workbook.xml"))
	names = [s.get("name") for s in book.find("m:sheets", ns)]
	assert names == ["figures", "by_month", "by_stage", "by_tag", "by_source", "by_owner",
	                 "stalled"], names
	strings = []
	if "xl/sharedStrings.xml" in z.namelist():
	    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
	        strings.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
	def sheet(i):
	    rows = []
	    root = ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % i))
	    for row in root.iter("{%s}row" % ns["m"]):
	        cells = []
	        for c in row.findall("m:c", ns):
	            v = c.find("m:v", ns)
	            val = None if v is None else v.text
	            if c.get("t") == "s":
	                val = strings[int(val)]
	            cells.append(val)
	        rows.append(cells)
	    return rows
	fig = {r[0]: r[-1] for r in sheet(1)}
	assert fig["open_count"] == "2", fig
	assert float(fig["pipeline_total"]) == 1100.0
	assert float(fig["pipeline_weighted"]) == 150.0
	assert float(fig["won_total"]) == 3000.0
	assert float(fig["win_rate"]) == 0.5
	assert len(fig["commit"]) == 40
	stages = {r[0]: r[2] for r in sheet(3)[1:]}
	assert stages == {"lead": "1", "proposal": "1", "won": "1", "lost": "1"}, stages
	months = sheet(2)
	assert months[0][:3] == ["month", "new_count", "created_total"], months[0]
	assert months[1][0] == "2025-01" and float(months[1][2]) == 4000.0
	PY
'

test_expect_success 'the HTML page escapes text with the one HTML escape (apostrophes too)' '
	crm -C small dashboard --tag "O'"'"'Brien&<x>" --html "$TRASH/q.html" &&
	grep -o "O[^ ]*Brien[^ ]*" q.html | sort -u >out &&
	echo "O&#39;Brien&amp;&lt;x&gt;;" >expect &&
	test_cmp expect out &&
	! test -e q.html.lock
'

test_expect_success 'an unwritable file is an error, not a success' '
	test_expect_code 1 crm -C small dashboard --html no/such/dir/x.html 2>err &&
	test_expect_code 1 crm -C small dashboard --xlsx no/such/dir/x.xlsx 2>>err &&
	cat >expect <<-\EOF &&
	crm dashboard: cannot write '\''no/such/dir/x.html'\'': No such file or directory
	crm dashboard: cannot write '\''no/such/dir/x.xlsx'\'': No such file or directory
	EOF
	test_cmp expect err
'

test_done
