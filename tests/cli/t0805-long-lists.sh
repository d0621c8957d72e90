#!/bin/sh
# Long lists in the terminal: the dashboard's stalled deals and the lists
# of `crm report` show their first 20 rows, the longest idle first, then
# how many more and where to see them; --all shows every row; JSON, CSV and
# xlsx always carry every row.
. "$(dirname "$0")/lib.sh"

# many N: N open deals, the i-th created i days after 2020-01-01, none
# touched since, so every one is stalled and o-1 is the longest idle
many() {
	mkdir -p many/opportunities many/clients &&
	printf '[crm]\ncurrency = EUR\n[stage "lead"]\nprobability = 10\n[stage "won"]\nprobability = 100\noutcome = won\n' \
		>many/crm.ini &&
	printf 'name: Client One\n' >many/clients/c1.yaml &&
	awk -v n="$1" '
	# the civil date of day z after 1970-01-01 (H. Hinnant), in POSIX awk
	function day(z,   era, doe, yoe, y, doy, mp, d, m) {
		z += 719468; era = int(z / 146097); doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9
		return sprintf("%04d-%02d-%02d", m <= 2 ? y + 1 : y, m, d)
	}
	BEGIN {
		for (i = 1; i <= n; i++) {
			f = sprintf("many/opportunities/o-%d.yaml", i)
			printf "title: Deal %d\nclient: c1\nstage: lead\namount: \"%d.00 EUR\"\nowner: alice\ncreated: %s\n", \
				i, i * 10, day(18262 + i) >f
			close(f)
		}
	}' &&
	git -C many init -q && git -C many add -A && git -C many commit -q -m many
}

test_expect_success 'set up 1021 stalled deals' '
	many 1021 &&
	test "$(ls many/opportunities | wc -l)" = 1021
'

# the stalled table of a terminal page, from its title to its end
stalled_section() {
	sed -n "/^Stalled deals (/,\$p" "$1"
}

test_expect_success 'the dashboard shows the 20 longest idle, then how many more' '
	crm -C many dashboard >out &&
	stalled_section out >actual &&
	cat >expect <<-\EOF &&
	Stalled deals (no history or activity for more than 30 days)
	Deal  Title    Owner  Stage      Amount  Last touch  Idle days  Next step
	o-1   Deal 1   alice  lead    10.00 EUR  2020-01-02      1,977
	o-2   Deal 2   alice  lead    20.00 EUR  2020-01-03      1,976
	o-3   Deal 3   alice  lead    30.00 EUR  2020-01-04      1,975
	o-4   Deal 4   alice  lead    40.00 EUR  2020-01-05      1,974
	o-5   Deal 5   alice  lead    50.00 EUR  2020-01-06      1,973
	o-6   Deal 6   alice  lead    60.00 EUR  2020-01-07      1,972
	o-7   Deal 7   alice  lead    70.00 EUR  2020-01-08      1,971
	o-8   Deal 8   alice  lead    80.00 EUR  2020-01-09      1,970
	o-9   Deal 9   alice  lead    90.00 EUR  2020-01-10      1,969
	o-10  Deal 10  alice  lead   100.00 EUR  2020-01-11      1,968
	o-11  Deal 11  alice  lead   110.00 EUR  2020-01-12      1,967
	o-12  Deal 12  alice  lead   120.00 EUR  2020-01-13      1,966
	o-13  Deal 13  alice  lead   130.00 EUR  2020-01-14      1,965
	o-14  Deal 14  alice  lead   140.00 EUR  2020-01-15      1,964
	o-15  Deal 15  alice  lead   150.00 EUR  2020-01-16      1,963
	o-16  Deal 16  alice  lead   160.00 EUR  2020-01-17      1,962
	o-17  Deal 17  alice  lead   170.00 EUR  2020-01-18      1,961
	o-18  Deal 18  alice  lead   180.00 EUR  2020-01-19      1,960
	o-19  Deal 19  alice  lead   190.00 EUR  2020-01-20      1,959
	o-20  Deal 20  alice  lead   200.00 EUR  2020-01-21      1,958
	… and 1 001 more (crm report stalled)
	EOF
	test_cmp expect actual
'

test_expect_success 'crm report stalled: the same list, and where to see all of it' '
	crm -C many report stalled >out &&
	stalled_section out >actual &&
	sed "\$d" expect >expect2 &&
	echo "… and 1 001 more (--all shows every row)" >>expect2 &&
	test_cmp expect2 actual
'

test_expect_success '--all shows every row, in the same order' '
	crm -C many report stalled --all >out &&
	stalled_section out >actual &&
	test "$(wc -l <actual)" = 1023 &&
	! grep -q "more (" actual &&
	sed -n 3,22p actual | cut -d" " -f1 >first &&
	sed -n 3,22p expect | cut -d" " -f1 >expect_first &&
	test_cmp expect_first first &&
	sed -n 1023p actual | grep -q "^o-1021 " &&
	crm -C many dashboard --all >out &&
	stalled_section out >actual2 &&
	test_cmp actual actual2
'

test_expect_success 'JSON, CSV and xlsx carry every row' '
	crm -C many dashboard --json >out.json &&
	crm -C many dashboard --csv --table stalled >out.csv &&
	crm -C many dashboard --xlsx "$TRASH/many.xlsx" &&
	python3 - out.json out.csv many.xlsx <<-\PY
	import csv, json, sys, zipfile
	import xml.etree.ElementTree as ET
	d = json.load(open(sys.argv[1]))
	ids = [r["id"] for r in d["stalled"]]
	assert ids == ["o-%d" % i for i in range(1, 1022)], ids[:3]
	assert d["stalled_count"] == 1021
	rows = list(csv.reader(open(sys.argv[2])))
	assert len(rows) == 1022 and rows[1][0] == "o-1" and rows[-1][0] == "o-1021", len(rows)
	ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
	z = zipfile.ZipFile(sys.argv[3])
	book = ET.fromstring(z.read("xl/workbook.xml"))
	names = [s.get("name") for s in book.iter(ns + "sheet")]
	sheet = ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % (names.index("stalled") + 1)))
	assert len(list(sheet.iter(ns + "row"))) == 1022
	PY
'

test_expect_success 'a short list is shown whole, with no note' '
	crm -C many dashboard --stalled-days 1975 >out &&
	stalled_section out >actual &&
	test "$(wc -l <actual)" = 4 &&
	! grep -q "more (" actual
'

test_expect_success 'receivables keep their total row in sight' '
	mkdir -p many/invoices &&
	printf "[tax \"vat20\"]\nrate = 20%%\ncategory = S\n" >>many/crm.ini &&
	for i in $(seq 1 25); do
		printf "name: Client %s\n" "$i" >many/clients/d$i.yaml &&
		printf "number: INV-%04d\nstatus: sent\ndate: 2025-01-01\nclient: d%s\ncurrency: EUR\nlines:\n  - {description: Work, quantity: 1, unit_price: \"100.00 EUR\", tax: vat20}\n" \
			"$i" "$i" >many/invoices/inv-$i.yaml || return 1
	done &&
	git -C many add -A && git -C many commit -q -m invoices &&
	crm -C many report receivables >out &&
	tail -n 2 out >actual &&
	grep -q "^(all) *25 " actual &&
	tail -n 1 actual >last &&
	echo "… and 5 more (--all shows every row)" >expect &&
	test_cmp expect last &&
	crm -C many report receivables --json >r.json &&
	python3 -c "import json,sys; d=json.load(open(\"r.json\")); assert len(d[\"receivables\"]) == 26" &&
	crm -C many report receivables --all >all &&
	! grep -q "more (" all
'

test_done
