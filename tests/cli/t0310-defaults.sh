#!/bin/sh
# Schema defaults seen by every reader: a field a file leaves out reads as
# its schema's `default` in ls filters and sorts, show (marked), formulas,
# report activity, the dashboard and the forecast; nothing is written, and
# check reports what it always did.
. "$(dirname "$0")/lib.sh"

# The shipped schemas default a task's status (open) and a client's kind
# (company); this repository also defaults an opportunity's amount and an
# activity's kind, so the figures have something to count.
test_expect_success 'set up' '
	crm init r >/dev/null &&
	cd r &&
	sed -i "s/^  amount: .*/  amount:         {type: money, default: \"1000.00 EUR\"}/" \
		schema/opportunity.yaml &&
	sed -i "s/^  kind: .*/  kind:      {type: enum, values: [call, meeting, email], default: call}/" \
		schema/activity.yaml &&
	mkdir tasks clients opportunities activities &&
	printf "title: Call back\nassignee: alice\ndue: 2025-06-20T10:00\n" >tasks/call-back.yaml &&
	printf "title: Send deck\nassignee: alice\ndue: 2025-05-10T10:00\nstatus: done\n" \
		>tasks/send-deck.yaml &&
	printf "name: Acme\ncreated: 2025-05-01\n" >clients/acme.yaml &&
	printf "name: Jan\nkind: person\n" >clients/jan.yaml &&
	printf "title: Big\nclient: acme\nstage: proposal-sent\namount: 5000.00 EUR\ncost: 100.00 EUR\nexpected_close: 2025-07-15\ncreated: 2025-05-01\n" \
		>opportunities/big.yaml &&
	printf "title: Small\nclient: acme\nstage: proposal-sent\ncost: 100.00 EUR\nexpected_close: 2025-07-15\ncreated: 2025-05-01\n" \
		>opportunities/small.yaml &&
	printf "date: 2025-05-20T09:00\nby: alice\nabout: client/acme\n" >activities/first.yaml &&
	printf "date: 2025-05-21T09:00\nby: alice\nkind: email\nabout: client/acme\n" \
		>activities/second.yaml &&
	git add -A && git commit -q -m data &&
	crm check >check.out 2>&1 &&
	echo "0 errors, 0 warnings in 8 records" >expect &&
	test_cmp expect check.out
'

test_expect_success 'ls filters see the default: status=open, kind=company' '
	cd r &&
	crm ls task status=open >out &&
	cat >expect <<-\EOF &&
	id         title      due               assignee  status  about
	call-back  Call back  2025-06-20T10:00  alice     open
	EOF
	test_cmp expect out &&
	crm ls client kind=company --fields name,kind >out &&
	printf "%s\n" "id    name  kind" "acme  Acme  company" >expect &&
	test_cmp expect out &&
	crm ls client -kind=company --fields name >out &&
	printf "%s\n" "id   name" "jan  Jan" >expect &&
	test_cmp expect out
'

test_expect_success 'ls sorts by the default, and a formula computes with it' '
	cd r &&
	crm ls opportunity --sort amount --fields amount,profit --csv >out &&
	printf "%s\n" id,amount,profit "small,1000.00 EUR,900.00 EUR" \
		"big,5000.00 EUR,4900.00 EUR" >expect &&
	test_cmp expect out &&
	crm ls opportunity --sort -amount --fields amount --csv >out &&
	printf "%s\n" id,amount "big,5000.00 EUR" "small,1000.00 EUR" >expect &&
	test_cmp expect out &&
	crm ls opportunity "profit<1000" --fields title --csv >out &&
	printf "%s\n" id,title small,Small >expect &&
	test_cmp expect out
'

test_expect_success 'show marks a defaulted value' '
	cd r &&
	crm show task/call-back >out &&
	cat >expect <<-\EOF &&
	task/call-back  (tasks/call-back.yaml)
	field     value
	title     Call back
	due       2025-06-20T10:00
	assignee  alice
	status    open  (default)
	EOF
	test_cmp expect out &&
	crm show task/send-deck >out &&
	grep "^status" out >line &&
	echo "status    done" >expect &&
	test_cmp expect line
'

test_expect_success 'show --json carries the default and lists it in "defaulted"' '
	cd r &&
	crm show task/call-back --json >out &&
	cat >expect <<-\EOF &&
	{"type": "task", "id": "call-back", "path": "tasks/call-back.yaml", "fields": {"title": "Call back", "due": "2025-06-20T10:00", "assignee": "alice", "status": "open"}, "defaulted": ["status"], "referenced_by": []}
	EOF
	test_cmp expect out &&
	crm show task/send-deck --json >out &&
	grep -q "\"defaulted\": \[\], \"referenced_by\"" out &&
	crm ls task --json >out &&
	grep -c "\"defaulted\": \[\"status\"\]" out >count &&
	echo 1 >expect &&
	test_cmp expect count
'

# first.yaml has no kind: the schema says call.
test_expect_success 'report activity counts the default' '
	cd r &&
	crm report activity --csv >out &&
	cat >expect <<-\EOF &&
	owner,activities,calls,meetings,emails,other,follow_ups,tasks_open,tasks_overdue,tasks_done
	alice,2,1,0,1,0,0,1,0,1
	EOF
	test_cmp expect out
'

test_expect_success 'the dashboard counts the default amount' '
	cd r &&
	crm dashboard --json >out &&
	python3 - out <<-\PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["open_count"] == 2, d["open_count"]
	assert d["pipeline_total"] == {"amount": "6000.00", "currency": "EUR"}, d["pipeline_total"]
	assert d["pipeline_weighted"] == {"amount": "3000.00", "currency": "EUR"}
	PY
'

test_expect_success 'the forecast counts the default amount' '
	cd r &&
	crm forecast --months 2 --csv >out &&
	cat >expect <<-\EOF &&
	month,deals,pipeline,expected
	2025-06,0,0.00,0.00
	2025-07,2,6000.00,3000.00
	total,2,6000.00,3000.00
	EOF
	test_cmp expect out
'

test_expect_success 'readers write nothing, and check reports what it did' '
	cd r &&
	git status --porcelain -- crm.ini schema tasks clients opportunities activities >out &&
	test_cmp /dev/null out &&
	printf "assignee: alice\n" >tasks/untitled.yaml &&
	test_expect_code 1 crm check >out 2>&1 &&
	grep -q "tasks/untitled.yaml:.*required field .title. is missing \[missing-required\]" out &&
	crm ls task status=open --fields title --csv >out &&
	printf "%s\n" id,title call-back,Call\ back untitled, >expect &&
	test_cmp expect out &&
	rm tasks/untitled.yaml
'

test_expect_success 'a file that does not parse has no defaults' '
	cd r &&
	printf "title: [broken\n" >tasks/broken.yaml &&
	test_expect_code 1 crm ls task status=open --fields title --csv >out 2>/dev/null &&
	printf "%s\n" id,title call-back,Call\ back >expect &&
	test_cmp expect out &&
	rm tasks/broken.yaml
'

test_done
