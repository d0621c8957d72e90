#!/bin/sh
# Dates as people type them, wherever a date is accepted: crm set and add
# store ISO whatever was typed, ls filters take relative days and periods
# (due<today, created:2025-Q1, closed=last-quarter), and the date options
# (--since, --until, --at, --date, --due) take the same forms.  Today is
# pinned to Friday 2025-03-14.
. "$(dirname "$0")/lib.sh"

export CRM_TODAY=2025-03-14
export GIT_AUTHOR_DATE='2025-03-14T10:00:00Z' GIT_COMMITTER_DATE='2025-03-14T10:00:00Z'

no_ids() {
	sed 's/^\[[0-9a-f]\{8\}\] /[ID] /'
}

test_expect_success 'set up: a client and deals created across two quarters' '
	export GIT_AUTHOR_DATE=2025-03-10T10:00:00Z GIT_COMMITTER_DATE=2025-03-10T10:00:00Z &&
	crm init repo >/dev/null &&
	crm -C repo add client --set name=Acme >/dev/null &&
	for d in 2024-11-20 2025-01-15 2025-02-10 2025-03-10; do
		crm -C repo add opportunity --id "deal-$d" --set title="Deal $d" \
			--set client=acme --set stage=qualifying --set amount=1000 \
			--set created=$d >/dev/null || return 1
	done
'
export GIT_AUTHOR_DATE='2025-03-14T10:00:00Z' GIT_COMMITTER_DATE='2025-03-14T10:00:00Z'

test_expect_success 'set and add store ISO dates, whatever form was typed' '
	crm -C repo set deal-2025-03-10 expected_close=eom >out &&
	echo "[ID] crm: set opportunity/deal-2025-03-10 expected_close=2025-03-31" >expect &&
	no_ids <out >actual &&
	test_cmp expect actual &&
	crm -C repo set deal-2025-02-10 expected_close=+1m >/dev/null &&
	crm -C repo set deal-2025-01-15 expected_close="last fri" >/dev/null &&
	crm -C repo add task --set title=Call --set due="tomorrow 9:30" >/dev/null &&
	crm -C repo add task --set title=Mail --set due=now >/dev/null &&
	grep -h "^expected_close:\|^due:" repo/opportunities/*/deal-2025-0*.yaml \
		repo/tasks/*/call.yaml repo/tasks/*/mail.yaml >actual &&
	cat >expect <<-\EOT &&
	expected_close: 2025-03-07
	expected_close: 2025-04-14
	expected_close: 2025-03-31
	due: 2025-03-15T09:30
	due: 2025-03-14T12:00
	EOT
	test_cmp expect actual
'

test_expect_success 'a mistyped date is refused with its column, nothing written' '
	git -C repo rev-parse HEAD >before &&
	test_expect_code 2 crm -C repo set deal-2025-03-10 expected_close=2025-02-30 2>err &&
	echo "crm set: expected_close: invalid date '"'"'2025-02-30'"'"' at column 9: no such day in that month" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm -C repo add task --set title=X --set due="tomorow 9:30" 2>err &&
	echo "crm add: due: invalid date '"'"'tomorow'"'"' at column 1: write a date as 2025-03-31, today, tomorrow, +3d, -2w, +1m, fri, next mon, last fri or eom" >expect &&
	test_cmp expect err &&
	git -C repo rev-parse HEAD >after &&
	test_cmp before after &&
	test -z "$(git -C repo status --porcelain)"
'

test_expect_success 'filters: relative days and periods' '
	crm -C repo ls opportunity created:2025-Q1 --fields created >out &&
	cat >expect <<-\EOT &&
	id               created
	deal-2025-01-15  2025-01-15
	deal-2025-02-10  2025-02-10
	deal-2025-03-10  2025-03-10
	EOT
	test_cmp expect out &&
	crm -C repo ls opportunity created=last-quarter --fields created >out &&
	cat >expect <<-\EOT &&
	id               created
	deal-2024-11-20  2024-11-20
	EOT
	test_cmp expect out &&
	crm -C repo ls opportunity "created<this quarter" --fields created >actual &&
	test_cmp out actual &&
	crm -C repo ls opportunity "created>2025-W07" --fields created >out &&
	cat >expect <<-\EOT &&
	id               created
	deal-2025-03-10  2025-03-10
	EOT
	test_cmp expect out &&
	crm -C repo ls opportunity created=-5w..today --fields created >out &&
	cat >expect <<-\EOT &&
	id               created
	deal-2025-02-10  2025-02-10
	deal-2025-03-10  2025-03-10
	EOT
	test_cmp expect out &&
	crm -C repo ls opportunity "expected_close<today" --fields expected_close >out &&
	cat >expect <<-\EOT &&
	id               expected_close
	deal-2025-01-15  2025-03-07
	EOT
	test_cmp expect out &&
	crm -C repo ls task "due<=tomorrow" "due>today" --fields due >out &&
	cat >expect <<-\EOT &&
	id    due
	call  2025-03-15T09:30
	EOT
	test_cmp expect out
'

test_expect_success 'a malformed period in a filter is located' '
	test_expect_code 2 crm -C repo ls opportunity created:2025-Q5 2>err &&
	echo "crm ls: filter '"'"'created:2025-Q5'"'"': invalid date '"'"'2025-Q5'"'"' at column 7: quarter out of range (Q1..Q4)" >expect &&
	test_cmp expect err
'

test_expect_success 'move --date, dashboard --since and --until take the same forms' '
	crm -C repo move deal-2025-03-10 won --date yesterday >/dev/null &&
	grep "^closed:" repo/opportunities/*/deal-2025-03-10.yaml >actual &&
	echo "closed: 2025-03-13" >expect &&
	test_cmp expect actual &&
	crm -C repo dashboard --since last-quarter --until last-quarter --json >out &&
	grep -o "\"open_count\": [0-9]*" out | head -n 1 >actual &&
	echo "\"open_count\": 1" >expect &&
	test_cmp expect actual &&
	crm -C repo dashboard --since 2025-Q1 --json >out &&
	grep -o "\"open_count\": [0-9]*\|\"won_count\": [0-9]*" out | head -n 2 >actual &&
	printf "\"open_count\": 2\n\"won_count\": 1\n" >expect &&
	test_cmp expect actual &&
	test_expect_code 2 crm -C repo dashboard --since "last quartr" 2>err &&
	echo "crm dashboard: --since: invalid date '"'"'last quartr'"'"' at column 6: expected week, month, quarter or year" >expect &&
	test_cmp expect err
'

test_expect_success '--at takes a day as people type it, or a revision' '
	crm -C repo dashboard --at yesterday --json >out &&
	grep -o "\"open_count\": [0-9]*" out | head -n 1 >actual &&
	echo "\"open_count\": 4" >expect &&
	test_cmp expect actual &&
	crm -C repo dashboard --at HEAD --json >out &&
	grep -o "\"won_count\": [0-9]*" out | head -n 1 >actual &&
	echo "\"won_count\": 1" >expect &&
	test_cmp expect actual
'

test_done
