#!/bin/sh
# Fields inside a mapping (an activity's next_step.date, .owner, .action):
# set with crm set and crm add --set, removed with crm unset, and usable in
# ls filters, sorts and columns like any other field.
. "$(dirname "$0")/lib.sh"

export CRM_TODAY=2026-12-01

strip_hash() {
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" "$@"
}

test_expect_success 'set up' '
	crm init r >/dev/null &&
	mkdir -p r/clients r/activities &&
	printf "name: Acme\ncreated: 2026-01-01\n" >r/clients/acme.yaml &&
	cat >r/activities/block.yaml <<-\EOF &&
	date: 2026-11-20T10:00
	kind: call
	about: client/acme
	# what comes next
	next_step:
	  date: 2026-12-10   # a Thursday
	  action: send the proposal
	summary: first call
	EOF
	cat >r/activities/flow.yaml <<-\EOF &&
	date: 2026-11-21T10:00
	kind: email
	about: client/acme
	next_step: {date: 2026-12-05, action: call back}
	EOF
	cat >r/activities/none.yaml <<-\EOF &&
	date: 2026-11-22
	kind: note
	about: client/acme
	EOF
	git -C r add -A && git -C r commit -q -m data
'

test_expect_success 'set changes an entry in place and adds one after the last' '
	crm -C r set block next_step.date=2026-12-11 next_step.owner="Bob Example" >out &&
	strip_hash out >actual &&
	echo "[HASH] crm: set activity/block next_step.date=2026-12-11, next_step.owner=Bob Example" >expect &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	date: 2026-11-20T10:00
	kind: call
	about: client/acme
	# what comes next
	next_step:
	  date: 2026-12-11   # a Thursday
	  action: send the proposal
	  owner: Bob Example
	summary: first call
	EOF
	test_cmp expect r/activities/block.yaml
'

test_expect_success 'a flow mapping stays one; an absent one is made' '
	crm -C r set flow next_step.owner="Smith, Jo" next_step.date=2026-12-06 >/dev/null &&
	cat >expect <<-\EOF &&
	date: 2026-11-21T10:00
	kind: email
	about: client/acme
	next_step: {date: 2026-12-06, action: call back, owner: "Smith, Jo"}
	EOF
	test_cmp expect r/activities/flow.yaml &&
	crm -C r set none next_step.action="book a demo" >/dev/null &&
	cat >expect <<-\EOF &&
	date: 2026-11-22
	kind: note
	about: client/acme
	next_step:
	  action: book a demo
	EOF
	test_cmp expect r/activities/none.yaml
'

test_expect_success 'unset removes an entry, and the mapping with its last entry' '
	crm -C r unset flow next_step.owner >out &&
	strip_hash out >actual &&
	echo "[HASH] crm: unset activity/flow next_step.owner" >expect &&
	test_cmp expect actual &&
	grep "^next_step" r/activities/flow.yaml >actual &&
	echo "next_step: {date: 2026-12-06, action: call back}" >expect &&
	test_cmp expect actual &&
	crm -C r unset none next_step.action >/dev/null &&
	printf "date: 2026-11-22\nkind: note\nabout: client/acme\n" >expect &&
	test_cmp expect r/activities/none.yaml &&
	test -z "$(git -C r status --porcelain)"
'

test_expect_success 'add --set writes entries as one block mapping' '
	crm -C r add activity --id added --set date=2026-11-30 --set next_step.date=2026-12-02 \
		--set about=client/acme --set next_step.action="send slides" --set kind=call >/dev/null &&
	cat >expect <<-\EOF &&
	date: 2026-11-30
	about: client/acme
	kind: call
	next_step:
	  date: 2026-12-02
	  action: send slides
	created: 2026-12-01
	EOF
	test_cmp expect r/activities/2026/added.yaml
'

test_expect_success 'entries filter, sort and print as columns' '
	crm -C r ls activity "next_step.date<2026-12-07" --sort next_step.date \
		--fields next_step.date,next_step.action,next_step.owner >actual &&
	cat >expect <<-\EOF &&
	id     next_step.date  next_step.action  next_step.owner
	added  2026-12-02      send slides
	flow   2026-12-06      call back
	EOF
	test_cmp expect actual &&
	crm -C r ls activity next_step.owner:"bob example" --fields next_step.owner >actual &&
	printf "id     next_step.owner\nblock  Bob Example\n" >expect &&
	test_cmp expect actual &&
	crm -C r ls activity next_step.action~demo --fields next_step.action >actual &&
	echo "id  next_step.action" >expect &&
	test_cmp expect actual &&
	crm -C r ls activity --sort -next_step.date --fields next_step.date --format csv >actual &&
	cat >expect <<-\EOF &&
	id,next_step.date
	block,2026-12-11
	flow,2026-12-06
	added,2026-12-02
	none,
	EOF
	test_cmp expect actual &&
	crm -C r ls activity next_step.date=2026-12 --fields next_step.date --json >actual &&
	cat >expect <<-\EOF &&
	[
	  {"id": "added", "next_step.date": "2026-12-02"},
	  {"id": "block", "next_step.date": "2026-12-11"},
	  {"id": "flow", "next_step.date": "2026-12-06"}
	]
	EOF
	test_cmp expect actual
'

test_expect_success 'refusals: unknown entries, the whole mapping, bad values' '
	git -C r rev-parse HEAD >before &&
	test_expect_code 2 crm -C r set block next_step.dat=2026-12-01 2>err &&
	test_expect_code 2 crm -C r set block next_step=soon 2>>err &&
	test_expect_code 2 crm -C r set block next_step.date=2026-02-30 2>>err &&
	test_expect_code 2 crm -C r set block summary.date=2026-02-01 2>>err &&
	test_expect_code 2 crm -C r ls activity next_step.dat=2026 2>>err &&
	test_expect_code 2 crm -C r ls activity next_step.date=soon 2>>err &&
	test_expect_code 2 crm -C r ls activity --sort next_step.when 2>>err &&
	test_expect_code 2 crm -C r ls activity --fields next_step.when 2>>err &&
	cat >expect <<-\EOF &&
	crm set: activity has no field '\''next_step.dat'\'' (did you mean '\''next_step.date'\''?)
	crm set: field '\''next_step'\'' holds entries; set one of them ('\''next_step.date=...'\'') or edit the file ('\''crm edit'\'')
	crm set: next_step.date: invalid date '\''2026-02-30'\'' at column 9: no such day in that month
	crm set: activity has no field '\''summary.date'\''
	crm ls: unknown field '\''next_step.dat'\'' (did you mean '\''next_step.date'\''?)
	crm ls: filter '\''next_step.date=soon'\'': invalid date '\''soon'\'' at column 1: write a date as 2025-03-31, today, tomorrow, +3d, -2w, +1m, fri, next mon, last fri or eom
	crm ls: cannot sort by unknown field '\''next_step.when'\''
	crm ls: activity has no field '\''next_step.when'\''
	EOF
	test_cmp expect err &&
	git -C r rev-parse HEAD >after && test_cmp before after &&
	test -z "$(git -C r status --porcelain)"
'

test_done
