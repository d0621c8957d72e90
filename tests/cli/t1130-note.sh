#!/bin/sh
# crm note REF and crm activity add REF: a follow-up as one activity record
# (summary, needs, concerns, next step with date and owner) from flags or
# from a template in the editor, checked like every write, one commit.
. "$(dirname "$0")/lib.sh"

export CRM_TODAY=2026-12-01

# the commit line with its hash masked
strip_hash() {
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" "$@"
}

test_expect_success 'set up' '
	crm init r >/dev/null &&
	mkdir -p r/clients r/contacts r/opportunities &&
	printf "name: Acme\ncreated: 2026-01-01\n" >r/clients/acme.yaml &&
	printf "name: Ann\nclient: acme\ncreated: 2026-01-01\n" >r/contacts/ann.yaml &&
	printf "title: Web\nclient: acme\nstage: qualifying\ncreated: 2026-01-01\n" \
		>r/opportunities/acme-web.yaml &&
	mkdir -p r/products && printf "name: Widget\n" >r/products/widget.yaml &&
	git -C r add -A && git -C r commit -q -m data &&
	git -C r rev-list --count HEAD >count
'

test_expect_success 'a note from flags: one activity, one commit' '
	crm -C r note acme --kind call --summary "Talked about the budget" \
		--needs "a new site by March" --concerns "price: too high?" \
		--next "send the proposal" --next-date 2026-12-04 --at 2026-11-30T15:30 >out &&
	strip_hash out >actual &&
	echo "[HASH] crm: note activity/2026-11-30-call-acme (call) about client/acme" >expect &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	date: 2026-11-30T15:30
	kind: call
	about: client/acme
	by: Alice Example
	summary: Talked about the budget
	needs: a new site by March
	concerns: "price: too high?"
	next_step:
	  action: send the proposal
	  date: 2026-12-04
	  owner: Alice Example
	EOF
	test_cmp expect r/activities/2026/2026-11-30-call-acme.yaml &&
	test "$(git -C r rev-list --count HEAD)" = $(($(cat count) + 1)) &&
	test -z "$(git -C r status --porcelain)" &&
	crm -C r check >/dev/null
'

test_expect_success 'dates as people type them are written as ISO' '
	crm -C r note acme-web --kind email --summary "Sent the deck" --next "call back" \
		--next-date fri --at "yesterday 16:00" >/dev/null &&
	grep -x "date: 2026-11-30T16:00" r/activities/2026/2026-11-30-email-acme-web.yaml &&
	grep -x "  date: 2026-12-04" r/activities/2026/2026-11-30-email-acme-web.yaml
'

test_expect_success 'crm activity add is the same command; the date defaults to now' '
	crm -C r activity add contact/ann --kind meeting --summary "Met Ann" \
		--next-date 2026-12-08 --next-owner "Bob Example" >out &&
	strip_hash out >actual &&
	echo "[HASH] crm: note activity/2026-12-01-meeting-ann (meeting) about contact/ann" >expect &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	date: 2026-12-01T12:00
	kind: meeting
	about: contact/ann
	by: Alice Example
	summary: Met Ann
	next_step:
	  date: 2026-12-08
	  owner: Bob Example
	EOF
	test_cmp expect r/activities/2026/2026-12-01-meeting-ann.yaml
'

test_expect_success 'a second note on the same day gets the next id' '
	crm -C r note acme-web --summary "Scope agreed" >out &&
	crm -C r note opportunity/acme-web --summary "Scope signed" >>out &&
	strip_hash out >actual &&
	cat >expect <<-\EOF &&
	[HASH] crm: note activity/2026-12-01-note-acme-web (note) about opportunity/acme-web
	[HASH] crm: note activity/2026-12-01-note-acme-web-2 (note) about opportunity/acme-web
	EOF
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	date: 2026-12-01T12:00
	kind: note
	about: opportunity/acme-web
	by: Alice Example
	summary: Scope signed
	EOF
	test_cmp expect r/activities/2026/2026-12-01-note-acme-web-2.yaml
'

test_expect_success 'refusals write nothing and say why' '
	git -C r rev-parse HEAD >before &&
	test_expect_code 2 crm -C r note acme --kind sing --summary x 2>err &&
	test_expect_code 2 crm -C r note acme --summary x --next-date 2026-13-01 2>>err &&
	test_expect_code 2 crm -C r note acme --summary x --at yesterday-ish 2>>err &&
	test_expect_code 2 crm -C r note acme --summary x --next-owner "" --next y --next-date "" \
		--kind "" 2>>err &&
	test_expect_code 1 crm -C r note acme-crop --summary x 2>>err &&
	test_expect_code 2 crm -C r note product/widget --summary x 2>>err &&
	test_expect_code 2 crm -C r activity 2>>err &&
	test_expect_code 2 crm -C r activity list 2>>err &&
	cat >expect <<-\EOF &&
	crm note: kind: '\''sing'\'' is not an allowed value (one of: call, meeting, email, note, visit, demo)
	crm note: next_step.date: invalid date '\''2026-13-01'\'' at column 6: month out of range (01..12)
	crm note: date: invalid date '\''yesterday-ish'\'' at column 11: unexpected text
	crm note: kind: '\'''\'' is not an allowed value (one of: call, meeting, email, note, visit, demo)
	crm note: no record '\''acme-crop'\''
	crm note: a note is about a client, a contact or an opportunity, not product/widget
	crm activity: missing SUBCOMMAND; see '\''crm activity --help'\''
	crm activity: '\''list'\'' is not a subcommand of crm activity; see '\''crm activity --help'\''
	EOF
	test_cmp expect err &&
	git -C r rev-parse HEAD >after && test_cmp before after &&
	test -z "$(git -C r status --porcelain)"
'

test_expect_success 'with no content flags the editor opens a commented template' '
	cat >ed-fill <<-\EOF &&
	#!/bin/sh
	cp "$1" "$(dirname "$1")/../../shown"
	sed -i -e "s/^summary:\$/summary: Demo went well/" \
		-e "s/^concerns:\$/concerns: support hours/" \
		-e "s/^  action:\$/  action: send a quote/" "$1"
	EOF
	chmod +x ed-fill &&
	EDITOR="$TRASH/ed-fill" crm -C r note acme --kind demo >out &&
	strip_hash out >actual &&
	echo "[HASH] crm: note activity/2026-12-01-demo-acme (demo) about client/acme" >expect &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	# A note about client/acme.  Fill in what happened (summary), what
	# the client needs now (needs), their concerns (concerns) and the
	# next step: its action, its date (YYYY-MM-DD) and who takes it.
	# Empty fields are left out; save it unchanged to abort.
	date: 2026-12-01T12:00
	kind: demo
	about: client/acme
	by: Alice Example
	summary:
	needs:
	concerns:
	next_step:
	  action:
	  date:
	  owner: Alice Example
	EOF
	test_cmp expect shown &&
	cat >expect <<-\EOF &&
	date: 2026-12-01T12:00
	kind: demo
	about: client/acme
	by: Alice Example
	summary: Demo went well
	concerns: support hours
	next_step:
	  action: send a quote
	  owner: Alice Example
	EOF
	test_cmp expect r/activities/2026/2026-12-01-demo-acme.yaml
'

test_expect_success 'a template saved unchanged aborts with nothing written' '
	git -C r rev-parse HEAD >before &&
	EDITOR=true crm -C r note acme >out 2>err &&
	test ! -s out &&
	echo "crm note: no change; nothing was written" >expect &&
	test_cmp expect err &&
	git -C r rev-parse HEAD >after && test_cmp before after &&
	test -z "$(git -C r status --porcelain)" &&
	ls r/.git >files && ! grep crm-editing files
'

test_expect_success 'an invalid template is reopened with the errors, then fixed' '
	cat >ed-fix <<-\EOF &&
	#!/bin/sh
	if grep -q "^# crm: " "$1"; then
		grep "^# crm: " "$1" >"$(dirname "$1")/../../messages"
		sed -i "s/^  date: .*/  date: 2026-12-09/" "$1"
	else
		sed -i -e "s/^summary:\$/summary: Quick call/" -e "s/^  date:\$/  date: 2026-12-32/" "$1"
	fi
	EOF
	chmod +x ed-fix &&
	EDITOR="$TRASH/ed-fix" crm -C r activity add acme --kind call >out &&
	strip_hash out >actual &&
	echo "[HASH] crm: note activity/2026-12-01-call-acme (call) about client/acme" >expect &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	# crm: line 16, column 9: invalid date '\''2026-12-32'\'': day 32 out of range [bad-date]
	# crm: fix the errors above and save; save it unchanged or empty to abort
	EOF
	test_cmp expect messages &&
	cat >expect <<-\EOF &&
	date: 2026-12-01T12:00
	kind: call
	about: client/acme
	by: Alice Example
	summary: Quick call
	next_step:
	  date: 2026-12-09
	  owner: Alice Example
	EOF
	test_cmp expect r/activities/2026/2026-12-01-call-acme.yaml
'

test_expect_success 'crm note --help lists every option' '
	crm note --help >out &&
	for o in kind summary needs concerns next next-date next-owner at force; do
		grep -q -- "--$o" out || { echo "no --$o"; exit 1; }
	done
'

test_done
