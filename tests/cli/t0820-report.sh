#!/bin/sh
# crm report: funnel, cycle, winloss, won, activity, summary, receivables,
# revenue and stalled (with next steps, filtered by computed fields) on
# the hand-made sales repository (tests/cli/sales-repo.sh),
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

# figures FILE: a report's JSON down to its figures, before its tables
# (the won table is left out: its tags are a text there, a list in
# crm ls --json), the commit named HEAD or FIRST.
figures() {
	sed -n "1,/^  \"avg_deal_size\"/p" "$1" |
	sed "s/$(git -C small rev-parse HEAD)/HEAD/; s/${first:-no first commit yet}/FIRST/"
}

test_expect_success 'won: the deals won in a period, by closing date' '
	crm -C small report won --csv --table won >out &&
	printf "%s\n" id,title,client,owner,closed,amount,source,tags \
		"c,Deal C,c2,alice,2025-03-01,3000.00,website,web" >expect &&
	test_cmp expect out &&
	crm -C small report won --since 2025-03-02 --csv --table won >none &&
	test "$(wc -l <none)" = 1 &&
	crm -C small report won --until 2025-03-01 --json >w.json &&
	figures w.json >actual &&
	cat >expect <<-\EOF &&
	{
	  "report": "won",
	  "commit": "HEAD",
	  "commit_date": "2025-06-01",
	  "dirty": false,
	  "unreadable_files": 0,
	  "currency": "EUR",
	  "won_count": 1,
	  "won_total": {"amount": "3000.00", "currency": "EUR"},
	  "avg_deal_size": {"amount": "3000.00", "currency": "EUR"},
	EOF
	test_cmp expect actual
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
	cat >expect <<-\EOF &&
	section,item,count,amount
	clients,all,2,
	clients,new,2,
	opportunities,new,4,4600.00
	opportunities,won,1,3000.00
	opportunities,lost,1,500.00
	opportunities,open now,2,1100.00
	tasks,due,1,
	tasks,done,0,
	tasks,overdue,1,
	activities,logged,1,
	invoices,issued,1,240.00
	invoices,payments,1,100.00
	EOF
	test_cmp expect out &&
	crm -C small report summary --since 2025-02-01 --until 2025-02-28 --csv >feb &&
	cat >expect <<-\EOF &&
	section,item,count,amount
	clients,all,2,
	clients,new,0,
	opportunities,new,2,600.00
	opportunities,won,0,0.00
	opportunities,lost,1,500.00
	opportunities,open now,2,1100.00
	tasks,due,0,
	tasks,done,0,
	tasks,overdue,0,
	activities,logged,0,
	invoices,issued,0,0.00
	invoices,payments,0,0.00
	EOF
	test_cmp expect feb
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
	sed "s/$(git -C small rev-parse HEAD)/HEAD/" early.json >actual &&
	cat >expect <<-\EOF &&
	{
	  "report": "receivables",
	  "commit": "HEAD",
	  "commit_date": "2025-06-01",
	  "dirty": false,
	  "unreadable_files": 0,
	  "currency": "EUR",
	  "open_total": {"amount": "140.00", "currency": "EUR"},
	  "overdue_total": {"amount": "0.00", "currency": "EUR"},
	  "receivables": [
	    {"client": "c2", "invoices": 1, "current": {"amount": "140.00", "currency": "EUR"}, "days_1_30": {"amount": "0.00", "currency": "EUR"}, "days_31_60": {"amount": "0.00", "currency": "EUR"}, "days_61_90": {"amount": "0.00", "currency": "EUR"}, "over_90": {"amount": "0.00", "currency": "EUR"}, "total": {"amount": "140.00", "currency": "EUR"}},
	    {"client": "(all)", "invoices": 1, "current": {"amount": "140.00", "currency": "EUR"}, "days_1_30": {"amount": "0.00", "currency": "EUR"}, "days_31_60": {"amount": "0.00", "currency": "EUR"}, "days_61_90": {"amount": "0.00", "currency": "EUR"}, "over_90": {"amount": "0.00", "currency": "EUR"}, "total": {"amount": "140.00", "currency": "EUR"}}
	  ]
	}
	EOF
	test_cmp expect actual &&
	CRM_TODAY=2025-09-01 crm -C small report receivables --csv --table receivables >late &&
	cat >expect.late <<-\EOF &&
	client,invoices,current,days_1_30,days_31_60,days_61_90,over_90,total
	c2,1,0.00,0.00,0.00,0.00,140.00,140.00
	(all),1,0.00,0.00,0.00,0.00,140.00,140.00
	EOF
	test_cmp expect.late late
'

# As of a past commit, the aging counts from that commit's day (2025-06-01
# here), not from the clock: the figure is the same whenever it is rerun.
test_expect_success 'receivables --at count the days from the commit day' '
	cat >expect <<-\EOF &&
	client,invoices,current,days_1_30,days_31_60,days_61_90,over_90,total
	c2,1,0.00,0.00,140.00,0.00,0.00,140.00
	(all),1,0.00,0.00,140.00,0.00,0.00,140.00
	EOF
	(unset CRM_TODAY && crm -C small report receivables --at HEAD --csv \
		--table receivables) >at &&
	test_cmp expect at &&
	(unset CRM_TODAY && crm -C small report receivables --at 2025-06-01 --csv \
		--table receivables) >at &&
	test_cmp expect at &&
	(CRM_TODAY=2025-09-01 crm -C small report receivables --at HEAD --csv \
		--table receivables) >at &&
	test_cmp expect.late at
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

test_expect_success 'stalled: each deal with its next step; computed fields filter reports' '
	crm -C small report stalled --csv >out &&
	cat >expect <<-\EOF &&
	id,title,owner,stage,amount,last_touch,idle_days,next_step
	a,Deal A,alice,lead,1000.00,2025-01-10,142,
	EOF
	test_cmp expect out &&
	cp -R small quiet && printf "[dashboard]\nstalled_days = 5\n" >>quiet/crm.ini &&
	crm -C quiet report stalled "next_step.date>=2025-06-01" --csv >out &&
	cat >expect <<-\EOF &&
	id,title,owner,stage,amount,last_touch,idle_days,next_step
	b,Deal B,bob,proposal,100.00,2025-05-20,12,2025-06-10 send the contract
	EOF
	test_cmp expect out
'

test_expect_success 'reports take --at and name the commit' '
	first=$(git -C small rev-parse HEAD) &&
	sed -i "s/^stage: proposal$/stage: won/" small/opportunities/b.yaml &&
	printf "closed: 2025-05-30\n" >>small/opportunities/b.yaml &&
	git -C small commit -q -am "b won" &&
	crm -C small report won --json >now.json &&
	crm -C small report won --json --at HEAD~1 >then.json &&
	{ figures now.json && figures then.json; } >actual &&
	cat >expect <<-\EOF &&
	{
	  "report": "won",
	  "commit": "HEAD",
	  "commit_date": "2025-06-01",
	  "dirty": false,
	  "unreadable_files": 0,
	  "currency": "EUR",
	  "won_count": 2,
	  "won_total": {"amount": "3100.00", "currency": "EUR"},
	  "avg_deal_size": {"amount": "1550.00", "currency": "EUR"},
	{
	  "report": "won",
	  "commit": "FIRST",
	  "commit_date": "2025-06-01",
	  "dirty": false,
	  "unreadable_files": 0,
	  "currency": "EUR",
	  "won_count": 1,
	  "won_total": {"amount": "3000.00", "currency": "EUR"},
	  "avg_deal_size": {"amount": "3000.00", "currency": "EUR"},
	EOF
	test_cmp expect actual &&
	crm -C small report funnel --at HEAD~1 >funnel &&
	sed "1s/ $(echo $first | cut -c1-8) / FIRST /" funnel >actual &&
	cat >expect <<-\EOF &&
	Funnel, as of commit FIRST (2025-06-01); amounts in EUR

	Deals that reached each stage
	 lead     ███████████████████████████████████████████████████████████████████ 4
	 proposal █████████████████████████████████▌                                  2
	 won      ████████████████▊                                                   1
	          └────────────────┴────────────────┴───────────────┴────────────────┴
	          0                1                2               3                4

	Funnel: deals that reached each stage
	Stage     Reached  From previous  From first
	lead            4         100.0%      100.0%
	proposal        2          50.0%       50.0%
	won             1          50.0%       25.0%
	EOF
	test_cmp expect actual
'

test_expect_success 'reports write xlsx and html too' '
	crm -C small report cycle --xlsx "$TRASH/c.xlsx" --html "$TRASH/c.html" &&
	python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); w=z.read(\"xl/workbook.xml\").decode(); assert \"name=\\\"stage_days\\\"\" in w, w" "$TRASH/c.xlsx" &&
	grep -q "Days spent in each stage" "$TRASH/c.html"
'

test_expect_success 'an unknown report is a usage error naming the reports' '
	test_expect_code 2 crm -C small report funnle 2>err &&
	echo "crm report: unknown report '\''funnle'\'' (reports: funnel, cycle, winloss, won, activity, summary, receivables, revenue, stalled)" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm -C small report 2>err &&
	cat >expect <<-\EOF &&
	usage: crm report funnel|cycle|winloss|won|activity|summary|receivables|revenue|stalled [FILTER...] [--owner U] [--tag T] [--stage S] [--client ID] [--since D] [--until D] [--at REV|DATE] [--json | --csv [--table NAME]] [--html FILE] [--xlsx FILE] [--all]

	        --owner USER             only deals of this owner
	        --tag TAG                only deals with this tag
	        --stage STAGE            only deals in this stage
	        --client ID              only deals and invoices of this client
	        --since DATE             the period starts on DATE (YYYY-MM-DD)
	        --until DATE             the period ends on DATE, inclusive
	        --at REV|DATE            figures as the repository stood at a commit or at the end of a day
	        --json                   one JSON document
	        --csv                    the tables as CSV
	        --table NAME             with --csv: only this table
	        --html FILE              write a self-contained HTML page
	        --xlsx FILE              write an xlsx workbook, a sheet a table
	        --all                    in the terminal, every row of long lists (else the first 20)
	EOF
	test_cmp expect err
'

test_done
