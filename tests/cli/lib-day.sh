# A repository for the agenda tests (t1160-t1199), its dates arranged
# around CRM_TODAY=2025-06-04, a Wednesday: tasks overdue, today, tomorrow
# and later; next steps followed and not; invoices overdue, due soon and
# paid; deals past their close date and aging in their stage; a lead nobody
# answered; clients of follow-up classes A and B.  Users alice (the git
# identity of lib.sh) and bob.
export CRM_TODAY=2025-06-04

day_repo() {
	crm init "$1" >/dev/null &&
	(
	cd "$1" &&
	cat >>crm.ini <<-\EOF &&

	[tax "vat19"]
	rate = 19%

	[user "alice"]
	name = Alice Example
	email = alice@example.com
	[user "bob"]
	name = Bob Builder
	email = bob@example.com

	[followup]
	first_response = 24h
	field = category
	[followup "A"]
	every = 1d
	[followup "B"]
	every = 1w
	EOF
	mkdir -p tasks activities invoices opportunities clients &&
	printf "%s\n" "name: Acme" "category: A" "owner: alice" "created: 2025-01-10" \
		>clients/acme.yaml &&
	printf "%s\n" "name: Beta Logistics" "category: B" "owner: alice" "created: 2025-02-01" \
		>clients/beta.yaml &&
	printf "%s\n" "name: New Lead Ltd" "owner: alice" "created: 2025-06-03" \
		>clients/new-lead.yaml &&
	printf "%s\n" "name: Bob's Lead" "owner: bob" "created: 2025-06-02" \
		>clients/bob-lead.yaml &&
	printf "%s\n" "title: Call Acme back" "due: 2025-06-02T10:00" "assignee: alice" \
		"about: client/acme" >tasks/call-acme.yaml &&
	printf "%s\n" "title: Send the deck" "due: 2025-06-04T15:30" "remind: 2h" \
		"assignee: alice" >tasks/send-deck.yaml &&
	printf "%s\n" "title: Prepare the demo" "due: 2025-06-06T09:00" "remind: 1d" \
		"assignee: alice" "about: opportunity/acme-site" >tasks/prep-demo.yaml &&
	printf "%s\n" "title: Old and done" "due: 2025-05-01T09:00" "status: done" \
		"assignee: alice" >tasks/done-task.yaml &&
	printf "%s\n" "title: Bob calls Beta" "due: 2025-06-05T11:00" "assignee: bob" \
		>tasks/bob-task.yaml &&
	printf "%s\n" "title: Far away" "due: 2025-06-20T09:00" "assignee: alice" \
		>tasks/far-task.yaml &&
	printf "%s\n" "date: 2025-05-30T10:00" "kind: call" "about: client/acme" "by: alice" \
		"summary: Went through the quote" "next_step:" "  date: 2025-06-05" \
		"  action: Send the revised quote" >activities/call-acme.yaml &&
	printf "%s\n" "date: 2025-05-20T09:00" "kind: meeting" "about: client/beta" "by: alice" \
		"next_step:" "  date: 2025-05-25" "  action: Ask for references" \
		>activities/meet-beta.yaml &&
	printf "%s\n" "date: 2025-05-28T16:00" "kind: email" "about: client/beta" "by: alice" \
		"summary: Sent the references" >activities/mail-beta.yaml &&
	printf "%s\n" "number: INV-0000001" "status: sent" "date: 2025-05-01" "due: 2025-05-31" \
		"client: acme" "lines:" \
		"  - {description: Design, quantity: 1, unit_price: \"1000.00 EUR\", tax: vat19}" \
		>invoices/inv-0000001.yaml &&
	printf "%s\n" "number: INV-0000002" "status: sent" "date: 2025-05-09" "due: 2025-06-08" \
		"client: beta" "lines:" \
		"  - {description: Audit, quantity: 2, unit_price: \"500.00 EUR\", tax: vat19}" \
		"payments:" "  - {date: 2025-05-20, amount: \"190.00 EUR\"}" \
		>invoices/inv-0000002.yaml &&
	printf "%s\n" "number: INV-0000003" "status: paid" "date: 2025-05-01" "due: 2025-05-31" \
		"client: acme" "lines:" \
		"  - {description: Paid, quantity: 1, unit_price: \"100.00 EUR\", tax: vat19}" \
		"payments:" "  - {date: 2025-05-20, amount: \"119.00 EUR\"}" \
		>invoices/inv-0000003.yaml &&
	printf "%s\n" "title: Acme website" "client: acme" "stage: proposal-sent" \
		"amount: 12000.00 EUR" "expected_close: 2025-05-30" "owner: alice" \
		"created: 2025-05-01" "history:" "  - {date: 2025-05-20, stage: proposal-sent}" \
		>opportunities/acme-site.yaml &&
	printf "%s\n" "title: Beta CRM rollout" "client: beta" "stage: negotiation" \
		"amount: 30000.00 EUR" "expected_close: 2025-07-31" "owner: alice" \
		"created: 2025-03-01" "history:" "  - {date: 2025-04-01, stage: negotiation}" \
		>opportunities/beta-crm.yaml &&
	printf "%s\n" "title: Acme logo" "client: acme" "stage: won" "amount: 20000.00 EUR" \
		"owner: alice" "created: 2025-04-02" "closed: 2025-05-15" "history:" \
		"  - {date: 2025-05-15, stage: won}" >opportunities/acme-logo.yaml &&
	git add -A && git commit -q -m "day repository"
	)
}
