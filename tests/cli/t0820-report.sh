#!/bin/sh
# crm report: funnel, cycle, winloss, won, activity, summary, receivables
# and revenue on the hand-made sales repository (tests/cli/sales-repo.sh),
# whose answers are worked out in the comments; --json, --csv, --xlsx, --at.
. "$(dirname "$0")/lib.sh"
. "$TEST_TOP/tests/cli/sales-repo.sh"

test_expect_success 'set up' '
	make_small
'

# a reached lead; b proposal; c lead, proposal, won; d lead then lost.
test_expect_success 'funnel: conversion between consecutive stages from history' '
	crm -C small report funnel --csv >out &&
	cat >expect <<-\EOF &&
	stage,reached,from_previous,from_start
	lead,4,1,1
	proposal,2,0.5,0.5
	won,1,0.5,0.25
	EOF
	test_cmp expect out
'

# c: 2025-01-15 -> 2025-03-01 = 45 days; d: 2025-02-10 -> 2025-02-24 = 14.
# lead: a 142 (still there on 2025-06-01), b 15, c 17, d 14: mean 47, median 16;
# proposal: b 101 (still there), c 28: mean and median 64.5.
test_expect_success 'cycle: days to close and days in each stage' '
	crm -C small report cycle --csv >out &&
	cat >expect <<-\EOF &&
	# cycle
	outcome,deals,avg_days,median_days,min_days,max_days
	won,1,45,45,45,45
	lost,1,14,14,14,14
	all closed,2,29.5,29.5,14,45

	# stage_days
	stage,deals,avg_days,median_days
	lead,4,47,16
	proposal,2,64.5,64.5
	EOF
	test_cmp expect out
'

test_expect_success 'winloss: by reason, source, tag and owner' '
	crm -C small report winloss --csv --table by_reason >out &&
	printf "%s\n" reason,won_count,won_total,lost_count,lost_total,win_rate \
		"(won),1,3000.00,0,0.00,1" "price,0,0.00,1,500.00,0" >expect &&
	test_cmp expect out &&
	crm -C small report winloss --json >w.json &&
	python3 - w.json <<-\PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["report"] == "winloss" and d["win_rate"] == 0.5
	assert {r["owner"]: r["won_count"] for r in d["by_owner"]} == {"alice": 1, "bob": 0}
	assert {r["tag"]: r["lost_count"] for r in d["by_tag"]} == {"web": 0, "seo": 1}
	PY
'

test_expect_success 'won: the deals won in a period, by closing date' '
	crm -C small report won --csv --table won >out &&
	printf "%s\n" id,title,client,owner,closed,amount,source,tags \
		"c,Deal C,c2,alice,2025-03-01,3000.00,website,web" >expect &&
	test_cmp expect out &&
	crm -C small report won --since 2025-03-02 --csv --table won >none &&
	test "$(wc -l <none)" = 1 &&
	crm -C small report won --until 2025-03-01 --json >w.json &&
	grep -q "\"won_count\": 1," w.json
'

test_expect_success 'activity: activities, follow-ups and tasks per person' '
	crm -C small report activity --csv >out &&
	cat >expect <<-\EOF &&
	owner,activities,calls,meetings,emails,other,follow_ups,tasks_open,tasks_overdue,tasks_done
	alice,0,0,0,0,0,0,1,1,0
	bob,1,1,0,0,0,1,0,0,0
	EOF
	test_cmp expect out
'

test_expect_success 'summary: clients, opportunities, tasks, activities, invoices' '
	crm -C small report summary --csv >out &&
	grep -q "^opportunities,open now,2,1100.00$" out &&
	grep -q "^opportunities,won,1,3000.00$" out &&
	grep -q "^invoices,issued,1,240.00$" out &&
	grep -q "^invoices,payments,1,100.00$" out &&
	grep -q "^tasks,overdue,1,$" out &&
	crm -C small report summary --since 2025-02-01 --until 2025-02-28 --csv >feb &&
	grep -q "^opportunities,new,2,600.00$" feb &&
	grep -q "^opportunities,lost,1,500.00$" feb &&
	grep -q "^opportunities,won,0,0.00$" feb &&
	grep -q "^invoices,issued,0,0.00$" feb
'

# 240.00 invoiced, 100.00 paid; due 2025-04-09, so 53 days late on 2025-06-01.
test_expect_success 'receivables: open amounts by client in aging buckets' '
	crm -C small report receivables --csv --table receivables >out &&
	cat >expect <<-\EOF &&
	client,invoices,current,days_1_30,days_31_60,days_61_90,over_90,total
	c2,1,0.00,0.00,140.00,0.00,0.00,140.00
	(all),1,0.00,0.00,140.00,0.00,0.00,140.00
	EOF
	test_cmp expect out &&
	CRM_TODAY=2025-04-09 crm -C small report receivables --json >early.json &&
	grep -q "\"overdue_total\": {\"amount\": \"0.00\"" early.json &&
	CRM_TODAY=2025-09-01 crm -C small report receivables --csv --table receivables >late &&
	grep -q "^c2,1,0.00,0.00,0.00,0.00,140.00,140.00$" late
'

# As of a past commit, the aging counts from that commit's day (2025-06-01
# here), not from the clock: the figure is the same whenever it is rerun.
test_expect_success 'receivables --at count the days from the commit day' '
	(unset CRM_TODAY && crm -C small report receivables --at HEAD --csv \
		--table receivables) >at &&
	grep -q "^c2,1,0.00,0.00,140.00,0.00,0.00,140.00$" at &&
	(unset CRM_TODAY && crm -C small report receivables --at 2025-06-01 --csv \
		--table receivables) >at &&
	grep -q "^c2,1,0.00,0.00,140.00,0.00,0.00,140.00$" at &&
	(CRM_TODAY=2025-09-01 crm -C small report receivables --at HEAD --csv \
		--table receivables) >at &&
	grep -q "^c2,1,0.00,0.00,0.00,0.00,140.00,140.00$" at
'

test_expect_success 'revenue: invoiced and paid by month' '
	crm -C small report revenue --csv --table revenue >out &&
	cat >expect <<-\EOF &&
	month,invoices,invoiced_net,invoiced_total,paid_total
	2025-03,1,200.00,240.00,0.00
	2025-04,0,0.00,0.00,100.00
	EOF
	test_cmp expect out
'

test_expect_success 'reports take --at and name the commit' '
	first=$(git -C small rev-parse HEAD) &&
	sed -i "s/^stage: proposal$/stage: won/" small/opportunities/b.yaml &&
	printf "closed: 2025-05-30\n" >>small/opportunities/b.yaml &&
	git -C small commit -q -am "b won" &&
	crm -C small report won --json >now.json && grep -q "\"won_count\": 2," now.json &&
	crm -C small report won --json --at HEAD~1 >then.json &&
	grep -q "\"won_count\": 1," then.json && grep -q "\"commit\": \"$first\"" then.json &&
	crm -C small report funnel --at HEAD~1 | head -n 1 |
		grep -q "^Funnel, as of commit $(echo $first | cut -c1-8) (2025-06-01)"
'

test_expect_success 'reports write xlsx and html too' '
	crm -C small report cycle --xlsx "$TRASH/c.xlsx" --html "$TRASH/c.html" &&
	python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); w=z.read(\"xl/workbook.xml\").decode(); assert \"name=\\\"stage_days\\\"\" in w, w" "$TRASH/c.xlsx" &&
	grep -q "Days spent in each stage" "$TRASH/c.html"
'

test_expect_success 'an unknown report is a usage error naming the reports' '
	test_expect_code 2 crm -C small report funnle 2>err &&
	grep -q "unknown report .funnle. (reports: funnel, cycle" err &&
	test_expect_code 2 crm -C small report 2>err &&
	grep -q "^usage: crm report" err
'

test_done
