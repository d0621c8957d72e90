#!/bin/sh
# Lead scores from crm.ini's [score "TYPE"] terms: a computed `score` that
# ls sorts and filters by and show explains term by term; a field the
# record lacks (or money without a rate) contributes nothing; bad terms
# are crm check errors; engagement counts a client's deals' and contacts'
# activities too.
. "$(dirname "$0")/lib.sh"

test_expect_success 'scored clients and deals, activities around a pinned today' '
	crm init repo >/dev/null &&
	cd repo && mkdir -p clients opportunities activities &&
	cat >>crm.ini <<-\EOF &&

	[score "client"]
	source.referral = 20
	size.large = 10
	tags.vip = 5
	activities = 3
	activities.max = 9
	recency.30 = 15
	recency.90 = 5

	[score "opportunity"]
	amount.per = 1000 EUR : 1
	source.referral = 10
	EOF
	printf "name: Acme\nsource: referral\nsize: large\ncreated: 2025-01-01\n" >clients/acme.yaml &&
	printf "name: Bolt\nsize: small\ntags: [vip]\ncreated: 2025-01-01\n" >clients/bolt.yaml &&
	printf "name: Cora\ncreated: 2025-01-01\n" >clients/cora.yaml &&
	printf "name: Dune\ncreated: 2025-01-01\n" >clients/dune.yaml &&
	printf "date: 2025-05-20\nkind: call\nabout: client/acme\n" >activities/a1.yaml &&
	printf "date: 2025-03-21\nkind: call\nabout: client/acme\n" >activities/a2.yaml &&
	printf "date: 2025-03-20T10:00\nkind: call\nabout: client/bolt\n" >activities/b1.yaml &&
	i=1 && while [ $i -le 4 ]; do
		printf "date: 2024-01-0%s\nkind: email\nabout: client/dune\n" $i >activities/d$i.yaml
		i=$((i + 1)); done &&
	printf "title: Web\nclient: acme\nstage: qualifying\namount: 12500 EUR\n" >opportunities/web.yaml &&
	printf "title: Ads\nclient: bolt\nstage: qualifying\namount: 1000 USD\nsource: referral\n" >opportunities/ads.yaml &&
	git add -A && git commit -qm start
'

test_expect_success 'ls sorts and filters by score' '
	cd repo &&
	crm ls client --sort -score --fields name,score >out &&
	cat >expect <<-\EOF &&
	id    name  score
	acme  Acme     51
	bolt  Bolt     13
	dune  Dune      9
	cora  Cora      0
	EOF
	test_cmp expect out &&
	crm ls client "score>10" "score<=51" --fields score >out &&
	printf "id    score\nacme     51\nbolt     13\n" >expect &&
	test_cmp expect out &&
	crm ls opportunity --fields amount,score >out &&
	cat >expect <<-\EOF &&
	id          amount  score
	ads   1,000.00 USD     10
	web  12,500.00 EUR     12
	EOF
	test_cmp expect out
'

test_expect_success 'show lists each term'"'"'s contribution' '
	cd repo &&
	crm show acme >out &&
	sed -n "/^score, /,/^$/p" out >got &&
	cat >expect <<-\EOF &&
	score, 51 from:
	term             points
	source.referral     +20
	size.large          +10
	activities           +6
	recency.30          +15

	EOF
	test_cmp expect got &&
	crm show dune >out &&
	sed -n "/^score, /,/^$/p" out >got &&
	printf "score, 9 from:\nterm        points\nactivities      +9\n\n" >expect &&
	test_cmp expect got &&
	crm show cora >out &&
	sed -n "/^score, /,\$p" out >got &&
	printf "score, 0 from:\nterm               points\n(no term applies)       0\n" >expect &&
	test_cmp expect got &&
	crm show --json acme >out &&
	grep -q "\"score\": 51" out
'

test_expect_success 'engagement counts the activities about a client'"'"'s deals and contacts' '
	cd repo && mkdir -p contacts &&
	printf "title: Cora deal\nclient: cora\nstage: qualifying\n" >opportunities/cora-deal.yaml &&
	printf "name: Ann Cora\nclient: cora\n" >contacts/ann.yaml &&
	printf "date: 2025-05-25T09:00\nkind: call\nabout: opportunity/cora-deal\n" \
		>activities/c1.yaml &&
	printf "date: 2024-12-01\nkind: email\nabout: contact/ann\n" >activities/c2.yaml &&
	git add -A && git commit -qm "cora engages" &&
	crm show cora >out &&
	sed -n "/^score, /,/^$/p" out >got &&
	cat >expect <<-\EOF &&
	score, 21 from:
	term        points
	activities      +6
	recency.30     +15

	EOF
	test_cmp expect got &&
	crm ls client --sort -score --fields score,last_activity >out &&
	cat >expect <<-\EOF &&
	id    score  last_activity
	acme     51  2025-05-20
	cora     21  2025-05-25
	bolt     13  2025-03-20
	dune      9  2024-01-04
	EOF
	test_cmp expect out
'

test_expect_success 'bad terms are crm check errors' '
	cd repo &&
	printf "[score \"client\"]\nfoo = x\nbar.per = 10\nsize.small = lots\n" >>crm.ini &&
	test_expect_code 1 crm check >out 2>&1 &&
	grep "^crm.ini:" out >got &&
	cat >expect <<-\EOF &&
	crm.ini:47:7: error: '\''foo'\'' is not FIELD.VALUE, FIELD.per, activities or recency.DAYS in [score] [bad-config]
	crm.ini:48:11: error: '\''10'\'' is not AMOUNT : POINTS (1000 EUR : 1) in [score] [bad-config]
	crm.ini:49:14: error: '\''lots'\'' is not a whole number of points in [score] [bad-config]
	EOF
	test_cmp expect got &&
	crm ls client --sort -score --fields score >out &&
	head -2 out >got && printf "id    score\nacme     51\n" >expect && test_cmp expect got
'

test_done
