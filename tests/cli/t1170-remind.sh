#!/bin/sh
# crm remind: the reminders that came due fire once per clone, whatever
# syncs bring (the state under .git/crm is keyed by kind, record and
# instant, never by commit); a changed due time fires again; --dry-run
# delivers and remembers nothing.
. "$(dirname "$0")/lib.sh"
. "$TEST_TOP/tests/cli/lib-day.sh"

test_expect_success 'a shared repository and two clones' '
	day_repo seed && git clone -q --bare seed "$TRASH/remote.git" &&
	git clone -q "file://$TRASH/remote.git" one &&
	git clone -q "file://$TRASH/remote.git" two &&
	crm -C one init >/dev/null 2>&1 && crm -C two init >/dev/null 2>&1
'

test_expect_success '--dry-run lists what is due and keeps no state' '
	crm -C one remind --dry-run >actual &&
	cat >expect <<-\EOF &&
	2025-05-31 follow-up: follow up Acme (class A, last contact 2025-05-30) [client/acme]
	2025-06-04 first-response: lead New Lead Ltd waiting for a first response since 2025-06-03 [client/new-lead]
	2025-06-04 follow-up: follow up Beta Logistics (class B, last contact 2025-05-28) [client/beta]
	EOF
	test_cmp expect actual &&
	test ! -e one/.git/crm/remind-state
'

test_expect_success 'the first run fires what is due, the second nothing' '
	crm -C one remind >actual &&
	test_cmp expect actual &&
	crm -C one remind >again &&
	test ! -s again &&
	cat >expect.state <<-\EOF &&
	# crm remind: the reminders fired in this clone (kind record instant)
	fired follow-up client/acme 2025-05-31T00:00:00Z
	fired first-response client/new-lead 2025-06-04T00:00:00Z
	fired follow-up client/beta 2025-06-04T00:00:00Z
	EOF
	test_cmp expect.state one/.git/crm/remind-state &&
	git -C one status --porcelain >status && test ! -s status
'

test_expect_success 'another clone fires the same reminders once too' '
	crm -C two remind >actual &&
	test_cmp expect actual &&
	crm -C two remind >again && test ! -s again
'

test_expect_success 'a day later: the reminders of tasks and next steps that came due' '
	CRM_TODAY=2025-06-05 crm -C one remind >actual &&
	cat >expect <<-\EOF &&
	2025-06-04 13:30 reminder: Send the deck, due 2025-06-04 15:30 [task/send-deck]
	2025-06-05 09:00 reminder: Prepare the demo, due 2025-06-06 09:00 [task/prep-demo]
	2025-06-05 next-step: Send the revised quote (about client/acme) [activity/call-acme]
	EOF
	test_cmp expect actual
'

test_expect_success 'edits that arrive through sync fire nothing twice' '
	crm -C two set send-deck "title=Send the new deck" >/dev/null &&
	crm -C two set acme "phone=+49 30 1234" >/dev/null &&
	crm -C two sync >/dev/null &&
	crm -C one sync >/dev/null &&
	grep "Send the new deck" one/tasks/send-deck.yaml &&
	CRM_TODAY=2025-06-05 crm -C one remind >actual &&
	test ! -s actual &&
	CRM_TODAY=2025-06-05 crm -C two remind >actual &&
	cat >expect <<-\EOF &&
	2025-06-04 13:30 reminder: Send the new deck, due 2025-06-04 15:30 [task/send-deck]
	2025-06-05 09:00 reminder: Prepare the demo, due 2025-06-06 09:00 [task/prep-demo]
	2025-06-05 next-step: Send the revised quote (about client/acme) [activity/call-acme]
	EOF
	test_cmp expect actual &&
	CRM_TODAY=2025-06-05 crm -C two remind >again && test ! -s again
'

test_expect_success 'a due time moved by the other clone fires again, once' '
	crm -C two set prep-demo due=2025-06-07T09:00 >/dev/null &&
	crm -C two sync >/dev/null && crm -C one sync >/dev/null &&
	CRM_TODAY=2025-06-06 crm -C one remind >actual &&
	cat >expect <<-\EOF &&
	2025-06-06 09:00 reminder: Prepare the demo, due 2025-06-07 09:00 [task/prep-demo]
	EOF
	test_cmp expect actual &&
	CRM_TODAY=2025-06-06 crm -C one remind >again && test ! -s again
'

test_expect_success 'a reminder for a task done meanwhile never fires' '
	crm -C one set prep-demo status=done >/dev/null &&
	CRM_TODAY=2025-06-06 crm -C two remind --dry-run >actual &&
	cat >expect <<-\EOF &&
	2025-06-06 09:00 reminder: Prepare the demo, due 2025-06-07 09:00 [task/prep-demo]
	EOF
	test_cmp expect actual &&
	CRM_TODAY=2025-06-06 crm -C one remind --dry-run >actual &&
	test ! -s actual
'

test_expect_success '--user and --all choose whose reminders' '
	CRM_TODAY=2025-06-06 crm -C one remind --user bob --dry-run >actual &&
	cat >expect <<-\EOF &&
	2025-06-03 first-response: lead Bob'"'"'s Lead waiting for a first response since 2025-06-02 [client/bob-lead]
	EOF
	test_cmp expect actual &&
	CRM_TODAY=2025-06-06 crm -C one remind --all >actual &&
	test_cmp expect actual &&
	test_expect_code 2 crm -C one remind --all --user bob 2>err &&
	echo "crm remind: --all and --user exclude each other" >expect &&
	test_cmp expect err
'

test_expect_success 'a stale lock on the state stops the run and fires nothing' '
	: >one/.git/crm/remind-state.lock &&
	cp one/.git/crm/remind-state state.before &&
	test_expect_code 1 env CRM_TODAY=2025-06-30 crm -C one remind >out 2>err &&
	test ! -s out &&
	grep "remind-state.lock" err &&
	test_cmp state.before one/.git/crm/remind-state &&
	rm one/.git/crm/remind-state.lock
'

test_done
