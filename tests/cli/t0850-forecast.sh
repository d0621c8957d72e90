#!/bin/sh
# crm forecast: the three methods and the backtest on a generated history,
# each figure compared exactly with an independent reference in Python
# (forecast-ref.py); tables, CSV, grouping, filters and usage errors on a
# repository small enough to check by hand.
. "$(dirname "$0")/lib.sh"
REF="$TEST_TOP/tests/cli/forecast-ref.py"
command -v python3 >/dev/null || test_skip_all 'python3 is not installed'

test_expect_success 'set up a generated history of 60 deals' '
	python3 "$REF" gen gen &&
	git -C gen init -q && git -C gen add -A && git -C gen commit -q -m history &&
	CRM_TODAY=2025-07-15 crm -C gen check
'

for method in stage confidence historical; do
	test_expect_success "the $method forecast matches the reference to the cent" "
		python3 \"\$REF\" forecast $method 2025-07-15 6 >expect &&
		CRM_TODAY=2025-07-15 crm -C gen forecast --method $method --json --explain >out.json &&
		python3 \"\$REF\" compare expect out.json
	"
done

test_expect_success 'the historical forecast used owner and seasonal corrections' '
	CRM_TODAY=2025-07-15 crm -C gen forecast --method historical --json >out.json &&
	grep -q "\"seasonal\": true" out.json &&
	grep -q "\"applied\": true" out.json &&
	grep -q "\"learnt\": true" out.json
'

test_expect_success 'the backtest matches the reference month by month' '
	python3 "$REF" backtest 2025-07-15 18 >expect &&
	CRM_TODAY=2025-07-15 crm -C gen forecast --backtest --months 18 --json >out.json &&
	python3 "$REF" compare expect out.json &&
	grep -q "\"month\": \"2024-02\"" out.json
'

test_expect_success 'the backtest replays a month in the past with only what was known' '
	python3 "$REF" backtest 2024-12-01 4 >expect &&
	CRM_TODAY=2024-12-01 crm -C gen forecast --backtest --months 4 --json >out.json &&
	python3 "$REF" compare expect out.json
'

test_expect_success 'set up a small repository' '
	mkdir small && cd small &&
	printf "%s\n" "[crm]" "currency = EUR" "[stage \"lead\"]" "probability = 10" \
		"[stage \"proposal\"]" "probability = 50" "[stage \"won\"]" "probability = 100" \
		"outcome = won" "[stage \"lost\"]" "probability = 0" "outcome = lost" \
		"[rate \"USD\"]" "value = 0.92" >crm.ini &&
	mkdir clients opportunities && echo "name: Acme" >clients/acme.yaml &&
	printf "%s\n" "title: Web" "client: acme" "stage: proposal" "amount: \"1000.00 EUR\"" \
		"expected_close: 2025-07-20" "owner: ann" "confidence: 4" "tags: [web]" \
		"created: 2025-05-01" >opportunities/web.yaml &&
	printf "%s\n" "title: Seo" "client: acme" "stage: lead" "amount: \"333.33 EUR\"" \
		"expected_close: 2025-06-02" "owner: bob" "created: 2025-05-01" \
		>opportunities/seo.yaml &&
	printf "%s\n" "title: Ads" "client: acme" "stage: proposal" "amount: \"100.00 USD\"" \
		"expected_close: 2025-08-31" "owner: ann" "confidence: 1" "tags: [web]" \
		"created: 2025-05-01" >opportunities/ads.yaml &&
	printf "%s\n" "title: Old" "client: acme" "stage: won" "amount: \"500.00 EUR\"" \
		"expected_close: 2025-07-10" "owner: ann" "created: 2025-05-01" \
		"closed: 2025-06-10" >opportunities/old.yaml &&
	git init -q && git add -A && git commit -q -m small
'

test_expect_success 'a table by month: overdue deals fall in the first month' '
	CRM_TODAY=2025-07-15 crm -C small forecast --months 3 >out &&
	cat >expect <<-\EOF &&
	expected revenue in EUR by month of expected close, method stage, as of 2025-07-15

	month    deals  pipeline  expected  0                    533
	2025-07      2  1,333.33    533.33  ████████████████████████
	2025-08      1     92.00     46.00  ██▏
	2025-09      0      0.00      0.00
	total        3  1,425.33    579.33
	EOF
	test_cmp expect out
'

test_expect_success '--explain lists the deals behind each figure' '
	CRM_TODAY=2025-07-15 crm -C small forecast --months 3 --method confidence --explain >out &&
	cat >expect <<-\EOF &&
	month    deal  owner  stage       amount  weight  expected  why
	2025-07  seo   bob    lead        333.33     0.1     33.33  no rating; lead 10%; overdue
	2025-07  web   ann    proposal  1,000.00     0.8    800.00  rating 0.8
	2025-08  ads   ann    proposal     92.00     0.2     18.40  rating 0.2
	EOF
	tail -n 4 out >got && test_cmp expect got
'

test_expect_success '--by owner as CSV, and the filters' '
	CRM_TODAY=2025-07-15 crm -C small forecast --months 2 --by owner --csv >out &&
	printf "%s\n" "owner,2025-07,2025-08,total" "ann,500.00,46.00,546.00" \
		"bob,33.33,0.00,33.33" "total,533.33,46.00,579.33" >expect &&
	test_cmp expect out &&
	CRM_TODAY=2025-07-15 crm -C small forecast --months 2 --by stage --csv --owner bob >out &&
	printf "%s\n" "stage,2025-07,2025-08,total" "lead,33.33,0.00,33.33" \
		"total,33.33,0.00,33.33" >expect &&
	test_cmp expect out &&
	CRM_TODAY=2025-07-15 crm -C small forecast --months 2 --tag web --json >out &&
	grep "^  \"total\": " out >actual &&
	cat >expect <<-\EOF &&
	  "total": {"count": 2, "pipeline": {"amount": "1092.00", "currency": "EUR"}, "expected": {"amount": "546.00", "currency": "EUR"}}
	EOF
	test_cmp expect actual &&
	CRM_TODAY=2025-07-15 crm -C small forecast --months 2 "amount>500" --csv >out &&
	printf "%s\n" "month,deals,pipeline,expected" "2025-07,1,1000.00,500.00" \
		"2025-08,0,0.00,0.00" "total,1,1000.00,500.00" >expect &&
	test_cmp expect out
'

test_expect_success 'the backtest table: June was won, predicted at the end of May' '
	CRM_TODAY=2025-07-15 crm -C small forecast --backtest --csv >out &&
	printf "%s\n" "month,actual,stage,confidence,historical" \
		"2025-06,500.00,33.33,33.33,33.33" "MAPE,,93.3%,93.3%,93.3%" \
		"bias,,-93.3%,-93.3%,-93.3%" >expect &&
	test_cmp expect out
'

test_expect_success '--at forecasts from a past commit and names it' '
	crm -C small forecast --json >before.json &&
	first=$(git -C small rev-parse HEAD) &&
	sed -i "s/^amount: \"1000.00 EUR\"$/amount: \"3000.00 EUR\"/" small/opportunities/web.yaml &&
	git -C small commit -q -am "web grows" &&
	crm -C small forecast --json >now.json && ! cmp -s before.json now.json &&
	crm -C small forecast --json --at HEAD~1 >then.json &&
	grep -q "\"commit\": \"$first\"" then.json &&
	grep -v "\"commit\"" then.json >then-body.json && test_cmp before.json then-body.json &&
	crm -C small forecast --at HEAD~1 >then.txt &&
	head -n 1 then.txt >actual &&
	echo "expected revenue in EUR by month of expected close, method stage, as of 2025-06-01 (commit $(echo $first | cut -c1-8))" >expect &&
	test_cmp expect actual &&
	git -C small revert --no-edit HEAD >/dev/null
'

test_expect_success 'bad usage is exit 2 with a reason' '
	test_expect_code 2 crm -C small forecast --method magic 2>err &&
	test_expect_code 2 crm -C small forecast --by colour 2>>err &&
	test_expect_code 2 crm -C small forecast --backtest --by owner 2>>err &&
	test_expect_code 2 crm -C small forecast --months 0 2>>err &&
	test_expect_code 2 crm -C small forecast "amout>5" 2>>err &&
	cat >expect <<-\EOF &&
	crm forecast: unknown method '\''magic'\'' (stage, confidence or historical)
	crm forecast: cannot group by '\''colour'\'' (month, owner or stage)
	crm forecast: --backtest compares every method by month; it takes no --method, --by or --explain
	crm forecast: --months must be between 1 and 120, not 0
	crm forecast: unknown field '\''amout'\'' (did you mean '\''amount'\''?)
	EOF
	test_cmp expect err &&
	crm -C small forecast --help >out &&
	cat >expect <<-\EOF &&
	usage: crm forecast [--months N] [--method stage|confidence|historical] [--by month|owner|stage] [--explain] [--backtest] [--owner NAME] [--tag T] [--at REV|DATE] [FILTER...] [--json | --csv [--table NAME]] [--html FILE] [--xlsx FILE]

	    -n, --months N               months ahead (default 6), or back for --backtest (default 12)
	    -m, --method M               stage (default), confidence or historical
	        --by G                   month (default), owner or stage
	    -e, --explain                list the deals behind each figure
	        --backtest               replay past months with each method and print its error
	        --owner NAME             only this owner'\''s deals
	    -t, --tag T                  only deals with this tag (repeatable)
	        --json                   one JSON document
	        --csv                    the tables as CSV
	        --table NAME             with --csv: only this table
	        --html FILE              write a self-contained HTML page
	        --xlsx FILE              write an xlsx workbook, a sheet a table
	        --at REV|DATE            as the repository stood at that commit or day (read from git)
	EOF
	test_cmp expect out
'

test_expect_success 'the README example on examples/agency is what crm prints' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	for cmd in "forecast --method historical --months 4" "forecast --backtest --months 6"; do
		awk -v c="\$ crm $cmd" "\$0 == c { on = 1; next } on && /^(\\\$ |\`\`\`)/ { exit }
			on { l[n++] = \$0 }
			END { while (n && l[n - 1] == \"\") n--; for (i = 0; i < n; i++) print l[i] }" \
			"$TEST_TOP/README.md" >expect &&
		test -s expect &&
		CRM_TODAY=2025-10-01 crm -C agency $cmd >out &&
		test_cmp expect out || return 1
	done
'

test_done
