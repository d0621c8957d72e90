#!/bin/sh
# crm agenda: overdue and upcoming items grouped by day for one user (the
# git identity's, --user) or everyone, --days, --json and --ical, on a
# repository whose dates are arranged around CRM_TODAY=2025-06-04; only a
# lead (at the pipeline's start) waits for a first response.
. "$(dirname "$0")/lib.sh"
. "$TEST_TOP/tests/cli/lib-day.sh"

test_expect_success 'set up' '
	day_repo r &&
	crm -C r check >out 2>err &&
	cat out err | grep -v "^ " | sort >actual &&
	cat >expect <<-\EOF &&
	0 errors, 1 warning in 19 records
	invoices/inv-0000001.yaml:4:6: warning: invoice INV-0000001 is overdue: due 2025-05-31 (4 days ago), 1190.00 EUR still open [overdue]
	EOF
	test_cmp expect actual
'

test_expect_success 'the git identity is alice: her week, by day' '
	crm -C r agenda >actual &&
	cat >expect <<-\EOF &&
	Agenda of alice for Wednesday 2025-06-04, 7 days

	Overdue
	  2025-05-02        aging           Beta CRM rollout: 64 days in negotiation since 2025-04-01 (limit 30)  [opportunity/beta-crm]
	  2025-05-30        close           Acme website: expected to close 2025-05-30, still proposal-sent  [opportunity/acme-site]
	  2025-05-31        invoice         invoice INV-0000001 to acme: 1190.00 EUR open  [invoice/inv-0000001]
	  2025-05-31        follow-up       follow up Acme (class A, last contact 2025-05-30)  [client/acme]
	  2025-06-02 10:00  task            Call Acme back (about client/acme)  [task/call-acme]

	Today
	  13:30  reminder        Send the deck, due 2025-06-04 15:30  [task/send-deck]
	  15:30  task            Send the deck  [task/send-deck]
	         first-response  lead New Lead Ltd waiting for a first response since 2025-06-03  [client/new-lead]
	         follow-up       follow up Beta Logistics (class B, last contact 2025-05-28)  [client/beta]

	Tomorrow
	  09:00  reminder        Prepare the demo, due 2025-06-06 09:00  [task/prep-demo]
	         next-step       Send the revised quote (about client/acme)  [activity/call-acme]

	Friday 2025-06-06
	  09:00  task            Prepare the demo (about opportunity/acme-site)  [task/prep-demo]

	Sunday 2025-06-08
	         invoice         invoice INV-0000002 to beta: 1000.00 EUR open  [invoice/inv-0000002]
	EOF
	test_cmp expect actual
'

test_expect_success '--user bob, --days 2: his items only, two days' '
	crm -C r agenda --user bob --days 2 >actual &&
	cat >expect <<-\EOF &&
	Agenda of bob for Wednesday 2025-06-04, 2 days

	Overdue
	  2025-06-03        first-response  lead Bob'"'"'s Lead waiting for a first response since 2025-06-02  [client/bob-lead]

	Tomorrow
	  11:00  task            Bob calls Beta  [task/bob-task]
	EOF
	test_cmp expect actual
'

test_expect_success 'a user with nothing due is told so' '
	crm -C r agenda --user carol >actual &&
	printf "%s\n" "Agenda of carol for Wednesday 2025-06-04, 7 days" "" "Nothing due." >expect &&
	test_cmp expect actual
'

test_expect_success '--all names whose each item is' '
	crm -C r agenda --all --days 1 >actual &&
	cat >expect <<-\EOF &&
	Agenda of everyone for Wednesday 2025-06-04, 1 day

	Overdue
	  2025-05-02        aging           Beta CRM rollout: 64 days in negotiation since 2025-04-01 (limit 30)  [opportunity/beta-crm] alice
	  2025-05-30        close           Acme website: expected to close 2025-05-30, still proposal-sent  [opportunity/acme-site] alice
	  2025-05-31        invoice         invoice INV-0000001 to acme: 1190.00 EUR open  [invoice/inv-0000001] alice
	  2025-05-31        follow-up       follow up Acme (class A, last contact 2025-05-30)  [client/acme] alice
	  2025-06-02 10:00  task            Call Acme back (about client/acme)  [task/call-acme] alice
	  2025-06-03        first-response  lead Bob'"'"'s Lead waiting for a first response since 2025-06-02  [client/bob-lead] bob

	Today
	  13:30  reminder        Send the deck, due 2025-06-04 15:30  [task/send-deck] alice
	  15:30  task            Send the deck  [task/send-deck] alice
	         first-response  lead New Lead Ltd waiting for a first response since 2025-06-03  [client/new-lead] alice
	         follow-up       follow up Beta Logistics (class B, last contact 2025-05-28)  [client/beta] alice
	EOF
	test_cmp expect actual
'

test_expect_success 'a task done, a next step followed, a paid invoice are not due' '
	crm -C r agenda --all --days 30 --json >all.json &&
	for ref in task/done-task activity/meet-beta invoice/inv-0000003 opportunity/acme-logo; do
		if grep "\"$ref\"" all.json; then exit 1; fi
	done &&
	grep -c "\"ref\": \"task/far-task\"" all.json >count &&
	echo 1 >expect && test_cmp expect count
'

test_expect_success 'a task that is done leaves the agenda; the next step, once followed' '
	cp -R r r2 &&
	printf "status: done\n" >>r2/tasks/call-acme.yaml &&
	printf "%s\n" "date: 2025-06-03T09:00" "kind: email" "about: client/acme" "by: alice" \
		>r2/activities/quote-sent.yaml &&
	crm -C r2 agenda --days 2 >actual &&
	cat >expect <<-\EOF &&
	Agenda of alice for Wednesday 2025-06-04, 2 days

	Overdue
	  2025-05-02        aging           Beta CRM rollout: 64 days in negotiation since 2025-04-01 (limit 30)  [opportunity/beta-crm]
	  2025-05-30        close           Acme website: expected to close 2025-05-30, still proposal-sent  [opportunity/acme-site]
	  2025-05-31        invoice         invoice INV-0000001 to acme: 1190.00 EUR open  [invoice/inv-0000001]

	Today
	  13:30  reminder        Send the deck, due 2025-06-04 15:30  [task/send-deck]
	  15:30  task            Send the deck  [task/send-deck]
	         first-response  lead New Lead Ltd waiting for a first response since 2025-06-03  [client/new-lead]
	         follow-up       follow up Acme (class A, last contact 2025-06-03)  [client/acme]
	         follow-up       follow up Beta Logistics (class B, last contact 2025-05-28)  [client/beta]

	Tomorrow
	  09:00  reminder        Prepare the demo, due 2025-06-06 09:00  [task/prep-demo]
	EOF
	test_cmp expect actual
'

test_expect_success 'a client without activity is a lead only at the start of the pipeline' '
	cp -R r leads &&
	printf "%s\n" "name: Old Customer" "owner: alice" "created: 2023-03-01" \
		>leads/clients/old-customer.yaml &&
	printf "%s\n" "number: INV-0000009" "status: paid" "date: 2023-04-01" "due: 2023-05-01" \
		"client: old-customer" "lines:" \
		"  - {description: Audit, quantity: 1, unit_price: \"100.00 EUR\", tax: vat19}" \
		"payments:" "  - {date: 2023-04-20, amount: \"119.00 EUR\"}" \
		>leads/invoices/inv-0000009.yaml &&
	printf "%s\n" "name: Lost Cause" "owner: alice" "created: 2024-01-10" \
		>leads/clients/lost-cause.yaml &&
	printf "%s\n" "title: Lost deal" "client: lost-cause" "stage: closed-lost" \
		"owner: alice" "created: 2024-01-10" "closed: 2024-02-01" "history:" \
		"  - {date: 2024-02-01, stage: closed-lost}" >leads/opportunities/lost-deal.yaml &&
	printf "%s\n" "name: Fresh Prospect" "owner: alice" "created: 2025-05-20" \
		>leads/clients/fresh.yaml &&
	printf "%s\n" "title: First talk" "client: fresh" "stage: unqualified" \
		"owner: alice" "created: 2025-05-20" >leads/opportunities/fresh-talk.yaml &&
	crm -C leads agenda --all --days 30 >out &&
	grep first-response out >actual &&
	cat >expect <<-\EOF &&
	  2025-05-21        first-response  lead Fresh Prospect waiting for a first response since 2025-05-20  [client/fresh] alice
	  2025-06-03        first-response  lead Bob'"'"'s Lead waiting for a first response since 2025-06-02  [client/bob-lead] bob
	         first-response  lead New Lead Ltd waiting for a first response since 2025-06-03  [client/new-lead] alice
	EOF
	test_cmp expect actual
'

test_expect_success 'a client schema with a stage of its own: a lead in the first open stage' '
	cp -R r own-stage &&
	printf "  stage:       {type: stage}\n" >>own-stage/schema/client.yaml &&
	printf "stage: unqualified\n" >>own-stage/clients/new-lead.yaml &&
	printf "stage: qualifying\n" >>own-stage/clients/bob-lead.yaml &&
	crm -C own-stage agenda --all --days 30 >out &&
	grep first-response out >actual &&
	cat >expect <<-\EOF &&
	         first-response  lead New Lead Ltd waiting for a first response since 2025-06-03  [client/new-lead] alice
	EOF
	test_cmp expect actual
'

test_expect_success 'the aging limit is the dashboard'"'"'s stalled_days' '
	cp -R r r3 &&
	printf "\n[dashboard]\nstalled_days = 90\n" >>r3/crm.ini &&
	crm -C r3 agenda --days 1 --json >out.json &&
	if grep "\"aging\"" out.json; then exit 1; fi &&
	sed -i "s/stalled_days = 90/stalled_days = 10/" r3/crm.ini &&
	crm -C r3 agenda --days 1 | grep " aging " >actual &&
	cat >expect <<-\EOF &&
	  2025-04-12        aging           Beta CRM rollout: 64 days in negotiation since 2025-04-01 (limit 10)  [opportunity/beta-crm]
	  2025-05-31        aging           Acme website: 15 days in proposal-sent since 2025-05-20 (limit 10)  [opportunity/acme-site]
	EOF
	test_cmp expect actual
'

test_expect_success 'a stage'"'"'s own max_days (crm alerts'"'"' limit) comes before stalled_days' '
	cp -R r r4 &&
	printf "\n[dashboard]\nstalled_days = 90\n[stage \"proposal-sent\"]\nmax_days = 7\n" >>r4/crm.ini &&
	crm -C r4 agenda --days 1 | grep " aging " >actual &&
	cat >expect <<-\EOF &&
	  2025-05-28        aging           Acme website: 15 days in proposal-sent since 2025-05-20 (limit 7)  [opportunity/acme-site]
	EOF
	test_cmp expect actual
'

test_expect_success '--json: every item with its group, time and reminder flag' '
	crm -C r agenda --days 2 --json >actual &&
	cat >expect <<-\EOF &&
	{
	  "user": "alice",
	  "today": "2025-06-04",
	  "days": 2,
	  "items": [
	    {"kind": "aging", "ref": "opportunity/beta-crm", "user": "alice", "date": "2025-05-02", "time": null, "at": "2025-05-02T00:00:00Z", "text": "Beta CRM rollout: 64 days in negotiation since 2025-04-01 (limit 30)", "group": "overdue", "reminder": false},
	    {"kind": "close", "ref": "opportunity/acme-site", "user": "alice", "date": "2025-05-30", "time": null, "at": "2025-05-30T00:00:00Z", "text": "Acme website: expected to close 2025-05-30, still proposal-sent", "group": "overdue", "reminder": false},
	    {"kind": "invoice", "ref": "invoice/inv-0000001", "user": "alice", "date": "2025-05-31", "time": null, "at": "2025-05-31T00:00:00Z", "text": "invoice INV-0000001 to acme: 1190.00 EUR open", "group": "overdue", "reminder": false},
	    {"kind": "follow-up", "ref": "client/acme", "user": "alice", "date": "2025-05-31", "time": null, "at": "2025-05-31T00:00:00Z", "text": "follow up Acme (class A, last contact 2025-05-30)", "group": "overdue", "reminder": true},
	    {"kind": "task", "ref": "task/call-acme", "user": "alice", "date": "2025-06-02", "time": "10:00", "at": "2025-06-02T10:00:00Z", "text": "Call Acme back (about client/acme)", "group": "overdue", "reminder": false},
	    {"kind": "reminder", "ref": "task/send-deck", "user": "alice", "date": "2025-06-04", "time": "13:30", "at": "2025-06-04T13:30:00Z", "text": "Send the deck, due 2025-06-04 15:30", "group": "today", "reminder": true},
	    {"kind": "task", "ref": "task/send-deck", "user": "alice", "date": "2025-06-04", "time": "15:30", "at": "2025-06-04T15:30:00Z", "text": "Send the deck", "group": "today", "reminder": false},
	    {"kind": "first-response", "ref": "client/new-lead", "user": "alice", "date": "2025-06-04", "time": null, "at": "2025-06-04T00:00:00Z", "text": "lead New Lead Ltd waiting for a first response since 2025-06-03", "group": "today", "reminder": true},
	    {"kind": "follow-up", "ref": "client/beta", "user": "alice", "date": "2025-06-04", "time": null, "at": "2025-06-04T00:00:00Z", "text": "follow up Beta Logistics (class B, last contact 2025-05-28)", "group": "today", "reminder": true},
	    {"kind": "reminder", "ref": "task/prep-demo", "user": "alice", "date": "2025-06-05", "time": "09:00", "at": "2025-06-05T09:00:00Z", "text": "Prepare the demo, due 2025-06-06 09:00", "group": "tomorrow", "reminder": true},
	    {"kind": "next-step", "ref": "activity/call-acme", "user": "alice", "date": "2025-06-05", "time": null, "at": "2025-06-05T00:00:00Z", "text": "Send the revised quote (about client/acme)", "group": "tomorrow", "reminder": true}
	  ],
	  "targets": []
	}
	EOF
	test_cmp expect actual &&
	python3 -c "import json,sys; json.load(open(\"actual\"))"
'

# 15:30 in Shanghai is 07:30Z, before the pinned now (12:00Z): the task is
# today's, its reminder is past and no longer shown
test_expect_success 'times are the repository time zone'"'"'s' '
	cp -R r tz &&
	sed -i "s|^timezone = .*|timezone = Asia/Shanghai|" tz/crm.ini &&
	crm -C tz agenda --days 1 | grep "Send the deck" >actual &&
	cat >expect <<-\EOF &&
	  15:30  task            Send the deck  [task/send-deck]
	EOF
	test_cmp expect actual &&
	crm -C tz agenda --days 1 --json | grep -o "\"at\": \"2025-06-04T07:30:00Z\"" >actual &&
	echo "\"at\": \"2025-06-04T07:30:00Z\"" >expect && test_cmp expect actual
'

test_expect_success '--ical: one VEVENT an item, read back through libical' '
	crm -C r agenda --days 2 --ical >agenda.ics &&
	grep -c "^BEGIN:VEVENT" agenda.ics >count &&
	echo 11 >expect && test_cmp expect count &&
	tr -d "\r" <agenda.ics | sed -n "/UID:task\/send-deck\/reminder/,/END:VEVENT/p" >actual &&
	cat >expect <<-\EOF &&
	UID:task/send-deck/reminder@r
	DTSTAMP:20250604T120000Z
	SUMMARY:Send the deck\, due 2025-06-04 15:30
	DTSTART:20250604T133000Z
	DURATION:PT15M
	CATEGORIES:reminder
	DESCRIPTION:task/send-deck
	END:VEVENT
	EOF
	test_cmp expect actual &&
	tr -d "\r" <agenda.ics | sed -n "/UID:client\/beta\/follow-up/,/END:VEVENT/p" >actual &&
	cat >expect <<-\EOF &&
	UID:client/beta/follow-up@r
	DTSTAMP:20250604T120000Z
	SUMMARY:follow up Beta Logistics (class B\, last contact 2025-05-28)
	DTSTART;VALUE=DATE:20250604
	DTEND;VALUE=DATE:20250605
	CATEGORIES:follow-up
	DESCRIPTION:client/beta
	END:VEVENT
	EOF
	test_cmp expect actual
'

test_expect_success 'bad usage is refused with status 2' '
	test_expect_code 2 crm -C r agenda --json --ical 2>err &&
	echo "crm agenda: --json and --ical exclude each other" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm -C r agenda --all --user bob 2>err &&
	echo "crm agenda: --all and --user exclude each other" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm -C r agenda --days 0 2>err &&
	echo "crm agenda: --days takes a number from 1 to 3660" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm -C r agenda extra 2>/dev/null
'

test_done
