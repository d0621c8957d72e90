#!/bin/sh
# Numbers people can read: terminal tables, dashboard cards and HTML group
# thousands in the locale of crm.ini's [crm] locale, else the environment's
# (C and POSIX read as en); machine output (--csv, --json) stays plain, and
# xlsx cells stay numbers with a number format.  Bar charts carry an axis.
. "$(dirname "$0")/lib.sh"
. "$TEST_TOP/tests/cli/sales-repo.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small &&
	mkdir sales && (cd sales && make_small)
'

test_expect_success 'ls and show group thousands in en under LANG=C' '
	crm -C small ls opportunity "amount>10000" >out &&
	cat >expect <<-\EOF &&
	id            title                   client_name             stage               amount         profit
	lodz-brand    Identyfikacja wizualna  Łódź Studio Projektowe  proposal     45,000.00 PLN  33,000.00 PLN
	qingyun-site  青云 website            北京青云科技            negotiation  20,000.00 USD  15,000.00 USD
	EOF
	test_cmp expect out &&
	crm -C small show lodz-brand >out &&
	grep "^amount " out >got &&
	echo "amount      45,000.00 PLN" >expect &&
	test_cmp expect got
'

test_expect_success 'csv, json and yaml stay plain' '
	crm -C small ls opportunity "amount>10000" --format csv >out &&
	printf "%s\n" id,title,client_name,stage,amount,profit \
		"lodz-brand,Identyfikacja wizualna,Łódź Studio Projektowe,proposal,45000.00 PLN,33000.00 PLN" \
		"qingyun-site,青云 website,北京青云科技,negotiation,20000.00 USD,15000.00 USD" >expect &&
	test_cmp expect out &&
	crm -C small ls opportunity lodz-brand --json >out &&
	grep -q "\"amount\": {\"amount\": \"45000.00\", \"currency\": \"PLN\"}" out &&
	crm -C small ls opportunity lodz-brand --format yaml >out &&
	grep -q "^  amount: 45000.00 PLN$" out
'

test_expect_success 'crm.ini [crm] locale = de_DE: dots group, a comma marks decimals' '
	sed -i "s/^currency = EUR$/currency = EUR\nlocale = de_DE/" small/crm.ini &&
	crm -C small ls opportunity "amount>10000" --fields amount >out &&
	printf "%s\n" "id                   amount" "lodz-brand    45.000,00 PLN" \
		"qingyun-site  20.000,00 USD" >expect &&
	test_cmp expect out &&
	crm -C small ls opportunity "amount>10000" --fields amount --format csv >out &&
	printf "%s\n" "id,amount" "lodz-brand,45000.00 PLN" "qingyun-site,20000.00 USD" >expect &&
	test_cmp expect out
'

test_expect_success 'crm.ini locale = pl: Polish groups with a no-break space' '
	sed -i "s/^locale = de_DE$/locale = pl/" small/crm.ini &&
	crm -C small ls opportunity lodz-brand --fields amount >out &&
	# CLDR: a no-break space (U+00A0) between the groups
	printf "id                 amount\nlodz-brand  45\302\240000,00 PLN\n" >expect &&
	test_cmp expect out
'

test_expect_success 'without a locale in crm.ini, LC_ALL, then LC_NUMERIC, then LANG' '
	sed -i "/^locale = /d" small/crm.ini &&
	LC_ALL= LC_NUMERIC= LANG=de_DE.UTF-8 crm -C small ls opportunity lodz-brand \
		--fields amount >out &&
	tail -n 1 out >got && echo "lodz-brand  45.000,00 PLN" >expect && test_cmp expect got &&
	LC_ALL= LC_NUMERIC=de_CH.UTF-8 LANG=pl_PL.UTF-8 crm -C small ls opportunity lodz-brand \
		--fields amount >out &&
	tail -n 1 out >got && echo "lodz-brand  45’000.00 PLN" >expect && test_cmp expect got &&
	LC_ALL=POSIX LANG=de_DE.UTF-8 crm -C small ls opportunity lodz-brand --fields amount >out &&
	tail -n 1 out >got && echo "lodz-brand  45,000.00 PLN" >expect && test_cmp expect got
'

test_expect_success 'a locale that is not a language tag is a crm.ini error' '
	printf "[crm]\ncurrency = EUR\nlocale = de DE\n" >bad.ini &&
	cp small/crm.ini saved.ini && cp bad.ini small/crm.ini &&
	test_expect_code 1 crm -C small check --no-source >out 2>&1 &&
	grep "^crm.ini" out >got &&
	echo "crm.ini:3:10: error: invalid locale '"'"'de DE'"'"' (a language and region such as de_DE or pl) [bad-config]" >expect &&
	test_cmp expect got &&
	cp saved.ini small/crm.ini
'

test_expect_success 'dashboard cards and bar charts group, and the bars have an axis' '
	printf "title: Big\nclient: acme\nstage: lead\namount: 123456.78 EUR\ncreated: 2025-03-03\n" \
		>sales/small/opportunities/big.yaml &&
	git -C sales/small add -A && git -C sales/small commit -q -m big &&
	COLUMNS=80 crm -C sales/small dashboard >out &&
	grep -o "[0-9][0-9,.]* EUR" out | head -n 3 >got &&
	printf "%s\n" "124,556.78 EUR" "12,495.68 EUR" "3,000.00 EUR" >expect &&
	test_cmp expect got &&
	sed -n "/^Pipeline generated per month/,/^$/p" out >chart &&
	test_cmp "$TEST_TOP/tests/cli/expected/t1343-chart.out" chart
'

test_expect_success 'the HTML dashboard groups its figures and labels its value axis' '
	crm -C sales/small dashboard --html "$TRASH/dash.html" &&
	grep -q ">124,556.78 EUR<" dash.html &&
	grep -o "<text x=\"46\"[^>]*>[^<]*</text>" dash.html | sed "s/.*>\([^<]*\)<.*/\1/" |
		sort -u >labels &&
	grep -qx "0" labels && grep -qx "50,000" labels && grep -qx "100,000" labels
'

test_expect_success 'xlsx: money cells stay numbers, formatted with their currency' '
	crm -C sales/small dashboard --xlsx "$TRASH/dash.xlsx" &&
	python3 - dash.xlsx >formats <<-\PY &&
	import sys, zipfile, re
	z = zipfile.ZipFile(sys.argv[1])
	styles = z.read("xl/styles.xml").decode()
	for code in sorted(set(re.findall(r"formatCode=\"([^\"]*)\"", styles))):
	    print(code.replace("&quot;", "\""))
	PY
	grep -qx "#,##0.00 \"EUR\"" formats
'

test_done
