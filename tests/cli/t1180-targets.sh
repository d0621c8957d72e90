#!/bin/sh
# Targets: crm.ini [target "USER"] quotas (won money per period, deals
# created, activities), measured over the period that holds CRM_TODAY, in
# crm agenda (text and JSON) and in the dashboard's targets table; money
# exact through [rate]; the dashboard's --owner keeps one user's targets and
# --since/--until give a row per period they overlap; a malformed target is
# a crm check error.
. "$(dirname "$0")/lib.sh"
. "$TEST_TOP/tests/cli/lib-day.sh"

test_expect_success 'set up: targets, a USD deal won this quarter, one last quarter' '
	day_repo r &&
	cat >>r/crm.ini <<-\EOF &&

	[rate "USD"]
	value = 0.92

	[target "alice"]
	won = 50000 EUR per quarter
	deals = 4 per month
	activities = 3 per week
	[target "bob"]
	won = 10000 per year
	EOF
	printf "%s\n" "title: US deal" "client: acme" "stage: won" "amount: 10000.00 USD" \
		"owner: alice" "created: 2025-06-02" "closed: 2025-06-03" \
		>r/opportunities/us-deal.yaml &&
	printf "%s\n" "title: Old win" "client: acme" "stage: won" "amount: 99999.00 EUR" \
		"owner: alice" "created: 2025-01-02" "closed: 2025-03-31" \
		>r/opportunities/old-win.yaml &&
	printf "%s\n" "title: Bob deal" "client: beta" "stage: qualifying" "owner: bob" \
		"created: 2025-06-03" >r/opportunities/bob-deal.yaml &&
	printf "%s\n" "date: 2025-06-02T10:00" "kind: call" "about: client/acme" "by: alice" \
		>r/activities/mon.yaml &&
	printf "%s\n" "date: 2025-06-01T10:00" "kind: call" "about: client/acme" "by: alice" \
		>r/activities/last-week.yaml &&
	printf "%s\n" "date: 2025-06-03T10:00" "kind: call" "about: client/beta" "by: bob" \
		"owner: alice" >r/activities/bobs.yaml &&
	git -C r add -A && git -C r commit -q -m targets &&
	crm -C r check >out 2>err
'

# won: 20000.00 EUR (acme-logo, May) + 10000 USD at 0.92; deals created in
# June: us-deal; activities this week (Mon 2 June on): mon
test_expect_success 'crm agenda ends with the user'"'"'s targets' '
	crm -C r agenda --days 1 >out &&
	sed -n "/^Targets/,\$p" out >actual &&
	cat >expect <<-\EOF &&
	Targets
	  alice won: 29200.00 EUR of 50000.00 EUR, 58 % of the quarter'"'"'s target with 71 % of the quarter gone
	  alice deals: 1 of 4, 25 % of the month'"'"'s target with 13 % of the month gone
	  alice activities: 1 of 3, 33 % of the week'"'"'s target with 42 % of the week gone
	EOF
	test_cmp expect actual
'

test_expect_success '--json carries each target with its period, goal and actual' '
	crm -C r agenda --user bob --days 1 --json >out &&
	sed -n "/\"targets\"/,\$p" out >actual &&
	cat >expect <<-\EOF &&
	  "targets": [
	    {"user": "bob", "metric": "won", "period": "year", "start": "2025-01-01", "end": "2025-12-31", "goal": {"amount": "10000.00", "currency": "EUR"}, "actual": {"amount": "0.00", "currency": "EUR"}, "percent": 0, "elapsed_percent": 42}
	  ]
	}
	EOF
	test_cmp expect actual
'

test_expect_success 'the dashboard shows a targets table, terminal and JSON' '
	crm -C r dashboard >out &&
	sed -n "/^Targets/,\$p" out >actual &&
	cat >expect <<-\EOF &&
	Targets
	User   Target      Period   From        To                   Goal         Actual  % of goal  % of period gone
	alice  won         quarter  2025-04-01  2025-06-30  50,000.00 EUR  29,200.00 EUR         58                71
	alice  deals       month    2025-06-01  2025-06-30              4              1         25                13
	alice  activities  week     2025-06-02  2025-06-08              3              1         33                42
	bob    won         year     2025-01-01  2025-12-31  10,000.00 EUR       0.00 EUR          0                42
	EOF
	test_cmp expect actual &&
	crm -C r dashboard --json >out.json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
for t in d[\"targets\"]:
    print(t[\"user\"], t[\"metric\"], t[\"goal\"], t[\"actual\"], t[\"percent\"], t[\"elapsed_percent\"])
" out.json >actual &&
	cat >expect <<-\EOF &&
	alice won {'"'"'amount'"'"': '"'"'50000.00'"'"', '"'"'currency'"'"': '"'"'EUR'"'"'} {'"'"'amount'"'"': '"'"'29200.00'"'"', '"'"'currency'"'"': '"'"'EUR'"'"'} 58 71
	alice deals 4 1 25 13
	alice activities 3 1 33 42
	bob won {'"'"'amount'"'"': '"'"'10000.00'"'"', '"'"'currency'"'"': '"'"'EUR'"'"'} {'"'"'amount'"'"': '"'"'0.00'"'"', '"'"'currency'"'"': '"'"'EUR'"'"'} 0 42
	EOF
	test_cmp expect actual
'

test_expect_success 'the dashboard'"'"'s --owner keeps that user'"'"'s targets' '
	crm -C r dashboard --owner bob >out &&
	sed -n "/^Targets/,\$p" out >actual &&
	cat >expect <<-\EOF &&
	Targets
	User  Target  Period  From        To                   Goal    Actual  % of goal  % of period gone
	bob   won     year    2025-01-01  2025-12-31  10,000.00 EUR  0.00 EUR          0                42
	EOF
	test_cmp expect actual
'

test_expect_success 'the dashboard'"'"'s --since and --until: every period of a target they overlap' '
	crm -C r dashboard --owner alice --since 2025-05-26 --until 2025-06-04 --csv \
		--table targets >actual &&
	cat >expect <<-\EOF &&
	user,metric,period,start,end,goal,actual,percent,elapsed_percent
	alice,won,quarter,2025-04-01,2025-06-30,50000.00,29200.00,58,71
	alice,deals,month,2025-05-01,2025-05-31,4,1,25,100
	alice,deals,month,2025-06-01,2025-06-30,4,1,25,13
	alice,activities,week,2025-05-26,2025-06-01,3,3,100,100
	alice,activities,week,2025-06-02,2025-06-08,3,1,33,42
	EOF
	test_cmp expect actual &&
	crm -C r dashboard --until 2025-03-31 --csv --table targets >actual &&
	cat >expect <<-\EOF &&
	user,metric,period,start,end,goal,actual,percent,elapsed_percent
	alice,won,quarter,2025-01-01,2025-03-31,50000.00,99999.00,199,100
	alice,deals,month,2025-03-01,2025-03-31,4,1,25,100
	alice,activities,week,2025-03-31,2025-04-06,3,0,0,100
	bob,won,year,2025-01-01,2025-12-31,10000.00,0.00,0,42
	EOF
	test_cmp expect actual
'

test_expect_success 'without targets the dashboard has no targets table' '
	crm init plain >/dev/null &&
	crm -C plain dashboard --json >out.json &&
	if grep "\"targets\"" out.json; then exit 1; fi
'

test_expect_success 'periods follow today: a week from Monday, a quarter from its month' '
	CRM_TODAY=2025-06-30 crm -C r agenda --days 1 >out &&
	sed -n "/^Targets/,\$p" out >actual &&
	cat >expect <<-\EOF &&
	Targets
	  alice won: 29200.00 EUR of 50000.00 EUR, 58 % of the quarter'"'"'s target with 100 % of the quarter gone
	  alice deals: 1 of 4, 25 % of the month'"'"'s target with 100 % of the month gone
	  alice activities: 0 of 3, 0 % of the week'"'"'s target with 14 % of the week gone
	EOF
	test_cmp expect actual &&
	CRM_TODAY=2025-07-01 crm -C r agenda --days 1 >out &&
	sed -n "/^Targets/,\$p" out >actual &&
	cat >expect <<-\EOF &&
	Targets
	  alice won: 0.00 EUR of 50000.00 EUR, 0 % of the quarter'"'"'s target with 1 % of the quarter gone
	  alice deals: 0 of 4, 0 % of the month'"'"'s target with 3 % of the month gone
	  alice activities: 0 of 3, 0 % of the week'"'"'s target with 28 % of the week gone
	EOF
	test_cmp expect actual
'

test_expect_success 'a malformed target is a crm check error at its line' '
	cp -R r bad &&
	printf "%s\n" "[target \"chen\"]" "won = lots per quarter" "deals = 10 a month" \
		"activities = 40 per fortnight" "calls = 3 per week" >>bad/crm.ini &&
	test_expect_code 1 crm -C bad check >out 2>&1 &&
	grep "crm.ini" out | grep -v "^ " >actual &&
	n=$(grep -c "" bad/crm.ini) &&
	cat >expect <<-EOF &&
	crm.ini:$((n - 3)):7: error: invalid money '"'"'lots'"'"': '"'"'lots'"'"' is not a number [bad-config]
	crm.ini:$((n - 2)):9: error: target deals = '"'"'10 a month'"'"' is not of the form '"'"'AMOUNT per PERIOD'"'"' (e.g. '"'"'10 per month'"'"') [bad-config]
	crm.ini:$((n - 1)):14: error: unknown period '"'"'fortnight'"'"' (week, month, quarter or year) [bad-config]
	crm.ini:$n:1: warning: unknown key '"'"'calls'"'"' in [target "chen"] [unknown-setting]
	EOF
	test_cmp expect actual
'

test_done
