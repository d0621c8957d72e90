#!/bin/sh
# Aging alerts: crm alerts lists the open deals over their stage's
# max_days and those over [alerts] factor x the repository's own mean stay
# in the stage (with at least min_samples stays), as a table and as JSON,
# with ls filters; the dashboard shows them as a section of its own.
# Today is 2025-06-01.
. "$(dirname "$0")/lib.sh"

# Four past stays of 10 days in lead (mean 10), then open deals:
#   slow    lead since 2025-05-05      27 days > 2 x 10       over the mean
#   fresh   lead since 2025-05-25       7 days                 fine
#   stuck   proposal since 2025-04-01  61 days > 30 (limit)   over the limit
#   new     proposal, no history, created 2025-05-20: 12 days  fine
#   both    lead since 2025-03-01      92 days, over both (lead limit 60)
make_repo() {
	mkdir -p repo/clients repo/opportunities &&
	cat >repo/crm.ini <<-\EOF &&
	[crm]
	currency = EUR
	[stage "lead"]
	probability = 10
	max_days = 60
	[stage "proposal"]
	probability = 50
	max_days = 30
	[stage "won"]
	probability = 100
	outcome = won
	[stage "lost"]
	probability = 0
	outcome = lost
	[alerts]
	factor = 2
	min_samples = 4
	EOF
	printf "name: Acme\n" >repo/clients/acme.yaml &&
	for i in 1 2 3 4; do
		cat >repo/opportunities/past$i.yaml <<-EOF || return 1
		title: Past $i
		client: acme
		stage: won
		created: 2025-0$i-01
		history:
		  - {date: 2025-0$i-01, stage: lead}
		  - {date: 2025-0$i-11, stage: won}
		EOF
	done &&
	deal slow lead 2025-05-05 dana &&
	deal fresh lead 2025-05-25 dana &&
	deal stuck proposal 2025-04-01 chen &&
	deal both lead 2025-03-01 chen &&
	printf "title: New\nclient: acme\nstage: proposal\ncreated: 2025-05-20\n" \
		>repo/opportunities/new.yaml &&
	(cd repo && git init -q && git add -A && git commit -qm seed)
}

# deal ID STAGE SINCE OWNER
deal() {
	cat >repo/opportunities/$1.yaml <<-EOF
	title: Deal $1
	client: acme
	stage: $2
	owner: $4
	created: 2025-01-01
	history:
	  - {date: $3, stage: $2}
	EOF
}

test_expect_success 'a repository with deals aging around today' '
	make_repo &&
	crm -C repo check >/dev/null
'

test_expect_success 'crm alerts: the table, most days first' '
	crm -C repo alerts >out &&
	cat >expect <<-\EOF &&
	DEAL   STAGE     OWNER  SINCE       DAYS  WHY
	both   lead      chen   2025-03-01    92  over the 60-day limit; over 2x the mean of 10.0 days (4 stays)
	stuck  proposal  chen   2025-04-01    61  over the 30-day limit
	slow   lead      dana   2025-05-05    27  over 2x the mean of 10.0 days (4 stays)
	EOF
	test_cmp expect out
'

test_expect_success 'crm alerts --json and a filter' '
	crm -C repo alerts --json owner=dana >out &&
	cat >expect <<-\EOF &&
	{
	  "today": "2025-06-01",
	  "factor": 2,
	  "min_samples": 4,
	  "alerts": [
	    {
	      "id": "slow",
	      "title": "Deal slow",
	      "stage": "lead",
	      "owner": "dana",
	      "since": "2025-05-05",
	      "days": 27,
	      "limit": 60,
	      "mean": 10.0,
	      "samples": 4,
	      "over_limit": false,
	      "over_mean": true,
	      "why": "over 2x the mean of 10.0 days (4 stays)"
	    }
	  ]
	}
	EOF
	test_cmp expect out
'

test_expect_success 'too few samples: only the limits speak' '
	sed -i "s/^min_samples = 4/min_samples = 5/" repo/crm.ini &&
	crm -C repo alerts >out &&
	cat >expect <<-\EOF &&
	DEAL   STAGE     OWNER  SINCE       DAYS  WHY
	both   lead      chen   2025-03-01    92  over the 60-day limit
	stuck  proposal  chen   2025-04-01    61  over the 30-day limit
	EOF
	test_cmp expect out &&
	git -C repo checkout -q crm.ini
'

test_expect_success 'another today: the days count from it' '
	CRM_TODAY=2025-05-06 crm -C repo alerts >out &&
	cat >expect <<-\EOF &&
	DEAL   STAGE     OWNER  SINCE       DAYS  WHY
	both   lead      chen   2025-03-01    66  over the 60-day limit; over 2x the mean of 10.0 days (4 stays)
	stuck  proposal  chen   2025-04-01    35  over the 30-day limit
	EOF
	test_cmp expect out &&
	CRM_TODAY=2025-03-10 crm -C repo alerts >out &&
	echo "no deal is over its stage'"'"'s limit or average" >expect &&
	test_cmp expect out
'

test_expect_success 'the dashboard shows the alerts in a section of its own' '
	crm -C repo dashboard --json >out.json &&
	python3 - out.json <<-\EOF &&
	import json, sys
	d = json.load(open(sys.argv[1]))
	got = [(a["id"], a["stage"], a["since"], a["days"]) for a in d["alerts"]]
	assert got == [("both", "lead", "2025-03-01", 92), ("stuck", "proposal", "2025-04-01", 61),
	               ("slow", "lead", "2025-05-05", 27)], got
	EOF
	crm -C repo dashboard --csv --table alerts >out &&
	cat >expect <<-\EOF &&
	id,stage,since,days,why
	both,lead,2025-03-01,92,over the 60-day limit; over 2x the mean of 10.0 days (4 stays)
	stuck,proposal,2025-04-01,61,over the 30-day limit
	slow,lead,2025-05-05,27,over 2x the mean of 10.0 days (4 stays)
	EOF
	test_cmp expect out &&
	crm -C repo dashboard >page &&
	sed -n "/^Aging alerts/,/^$/p" page >actual &&
	test_cmp "$TEST_TOP/tests/cli/expected/t1230-dashboard-alerts.out" actual &&
	crm -C repo dashboard --owner dana --csv --table alerts >out &&
	printf "id,stage,since,days,why\nslow,lead,2025-05-05,27,over 2x the mean of 10.0 days (4 stays)\n" >expect &&
	test_cmp expect out
'

test_expect_success 'the dashboard of a period still alerts on every deal, by the same stays' '
	crm -C repo dashboard --since 2025-05-01 --csv --table alerts >out &&
	crm -C repo dashboard --csv --table alerts >expect &&
	test_cmp expect out
'

test_expect_success 'many alerts: the page shows the oldest 20 and says where the rest are' '
	rm -rf many && cp -R repo many &&
	for i in $(seq 10 34); do
		sed "s/^title: .*/title: Deal old$i/; s/2025-03-01/2025-02-$(printf %02d $((i - 6)))/" \
			many/opportunities/both.yaml >many/opportunities/old$i.yaml || return 1
	done &&
	crm -C many dashboard >page &&
	sed -n "/^Aging alerts/,/^$/p" page >section &&
	test "$(wc -l <section)" -eq 23 &&
	sed -n 3p section | grep "^old10 " &&
	grep "^old29 " section &&
	! grep "^old30 " section &&
	tail -n 1 section >last &&
	echo "… and 8 more (crm alerts)" >expect &&
	test_cmp expect last &&
	crm -C many dashboard --all >page &&
	sed -n "/^Aging alerts/,/^$/p" page >section &&
	test "$(wc -l <section)" -eq 30 &&
	crm -C many dashboard --json >out.json &&
	python3 -c "import json,sys; assert len(json.load(open(sys.argv[1]))[\"alerts\"]) == 28" out.json
'

test_expect_success 'no alerts: the dashboard has no such section' '
	CRM_TODAY=2025-03-10 crm -C repo dashboard --json >out.json &&
	python3 -c "import json,sys; assert \"alerts\" not in json.load(open(sys.argv[1]))" out.json
'

test_expect_success 'a max_days that is no number is refused' '
	sed -i "s/^max_days = 30/max_days = soon/" repo/crm.ini &&
	test_expect_code 2 crm -C repo alerts 2>err &&
	cat >expect <<-\EOF &&
	crm alerts: crm.ini: max_days '"'"'soon'"'"' of stage '"'"'proposal'"'"' must be a whole number of days above 0
	EOF
	test_cmp expect err &&
	git -C repo checkout -q crm.ini
'

test_done
