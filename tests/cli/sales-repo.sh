# A small sales repository whose figures are worked out by hand, for the
# dashboard and report tests: make_small creates and commits it in ./small.
# Four deals (today is 2025-06-01, USD is worth 0.5 EUR):
#   a  lead      1000.00 EUR  alice  seo       created 2025-01-10
#   b  proposal   200.00 USD  bob    web,seo   created 2025-02-05, a call on 2025-05-20
#   c  won       3000.00 EUR  alice  web       created 2025-01-15, closed 2025-03-01
#   d  lost       500.00 EUR  bob    seo       created 2025-02-10, lost 2025-02-24 (history)
# open 2, pipeline 1000 + 100 = 1100, weighted 1000 x 10% + 100 x 50% = 150,
# won 1 (3000), lost 1 (500), win rate 0.5; stalled (30 days): a only.
make_small() {
	mkdir -p small/clients small/opportunities small/activities small/tasks small/invoices &&
	cat >small/crm.ini <<-\EOF &&
	[crm]
	currency = EUR
	[stage "lead"]
	probability = 10
	[stage "proposal"]
	probability = 50
	[stage "won"]
	probability = 100
	outcome = won
	[stage "lost"]
	probability = 0
	outcome = lost
	[rate "USD"]
	value = 0.5
	[tax "vat20"]
	rate = 20%
	category = S
	EOF
	printf "name: Client One\n" >small/clients/c1.yaml &&
	printf "name: Client Two\n" >small/clients/c2.yaml &&
	cat >small/opportunities/a.yaml <<-\EOF &&
	title: Deal A
	client: c1
	stage: lead
	amount: "1000.00 EUR"
	owner: alice
	source: website
	tags: [seo]
	created: 2025-01-10
	history:
	  - {date: 2025-01-10, stage: lead}
	EOF
	cat >small/opportunities/b.yaml <<-\EOF &&
	title: Deal B
	client: c1
	stage: proposal
	amount: "200.00 USD"
	owner: bob
	source: referral
	tags: [web, seo]
	created: 2025-02-05
	history:
	  - {date: 2025-02-05, stage: lead}
	  - {date: 2025-02-20, stage: proposal}
	EOF
	cat >small/opportunities/c.yaml <<-\EOF &&
	title: Deal C
	client: c2
	stage: won
	amount: "3000.00 EUR"
	owner: alice
	source: website
	tags: [web]
	created: 2025-01-15
	closed: 2025-03-01
	history:
	  - {date: 2025-01-15, stage: lead}
	  - {date: 2025-02-01, stage: proposal}
	  - {date: 2025-03-01, stage: won}
	EOF
	cat >small/opportunities/d.yaml <<-\EOF &&
	title: Deal D
	client: c2
	stage: lost
	amount: "500.00 EUR"
	owner: bob
	source: referral
	lost_reason: price
	tags: [seo]
	created: 2025-02-10
	history:
	  - {date: 2025-02-10, stage: lead}
	  - {date: 2025-02-24, stage: lost}
	EOF
	cat >small/activities/call-b.yaml <<-\EOF &&
	date: 2025-05-20T10:00
	kind: call
	about: opportunity/b
	by: bob
	next_step: {date: 2025-06-10, action: send the contract}
	EOF
	cat >small/tasks/t1.yaml <<-\EOF &&
	title: Call back
	due: 2025-05-01T10:00
	assignee: alice
	status: open
	EOF
	cat >small/invoices/inv-1.yaml <<-\EOF &&
	number: INV-1
	status: sent
	date: 2025-03-10
	due: 2025-04-09
	client: c2
	currency: EUR
	lines:
	  - {description: Work, quantity: 2, unit_price: "100.00 EUR", tax: vat20}
	payments:
	  - {date: 2025-04-01, amount: "100.00 EUR"}
	EOF
	git -C small init -q && git -C small add -A && git -C small commit -q -m small
}

