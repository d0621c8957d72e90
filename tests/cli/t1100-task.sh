#!/bin/sh
# crm task add|done|ls: one task per record in one commit, due dates as
# people type them, reminders as people write them, categories from crm.ini,
# repeating tasks made again when done, and refusals that leave the tree
# as it was.  Today is pinned to Friday 2025-03-14.
. "$(dirname "$0")/lib.sh"

export CRM_TODAY=2025-03-14
export GIT_AUTHOR_DATE='2025-03-14T10:00:00Z' GIT_COMMITTER_DATE='2025-03-14T10:00:00Z'

# commit ids depend on the schemas crm init copies: not compared
no_ids() {
	sed 's/^\[[0-9a-f]\{8\}\] /[ID] /'
}

snapshot() {
	(cd repo &&
	 find . -path ./.git -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum &&
	 git ls-files -s && git status --porcelain && git rev-parse HEAD)
}

# refused CODE CMD...: CMD exits with CODE, stderr in err, nothing changed
refused() {
	code=$1
	shift
	snapshot >before &&
	test_expect_code "$code" "$@" 2>err &&
	snapshot >after &&
	test_cmp before after
}

test_expect_success 'set up: three clients and task categories in crm.ini' '
	crm init repo >/dev/null &&
	printf "\n[task]\ncategories = call, email, follow-up\n" >>repo/crm.ini &&
	git -C repo commit -q -am "task categories" &&
	crm -C repo add client --set name=Acme --set tags=seo >/dev/null &&
	crm -C repo add client --set name=Globex --set tags=seo >/dev/null &&
	crm -C repo add client --set name=Initech >/dev/null
'

test_expect_success 'add: one task, its due typed as a weekday and a time' '
	crm -C repo task add "Call back" --about acme --due "fri 15:00" --remind 1d \
		--category call >out &&
	echo "[ID] crm: add task/call-back-acme" >expect &&
	no_ids <out >actual &&
	test_cmp expect actual &&
	cat >expect <<-\EOT &&
	title: Call back
	about: client/acme
	due: 2025-03-14T15:00
	remind: "1d"
	category: call
	status: open
	created: 2025-03-14
	EOT
	test_cmp expect repo/tasks/2025/call-back-acme.yaml
'

test_expect_success 'the reminder prints as written in show, ls, json and yaml' '
	crm -C repo show task/call-back-acme >out &&
	cat >expect <<-\EOT &&
	task/call-back-acme  (tasks/2025/call-back-acme.yaml)
	field     value
	title     Call back
	due       2025-03-14T15:00
	remind    1d
	category  call
	status    open
	about     client/acme
	created   2025-03-14
	EOT
	test_cmp expect out &&
	crm -C repo ls task --fields remind --json >out &&
	cat >expect <<-\EOT &&
	[
	  {"id": "call-back-acme", "remind": "1d"}
	]
	EOT
	test_cmp expect out &&
	crm -C repo show task/call-back-acme --json >out &&
	grep -o "\"remind\": [^,]*" out >actual &&
	echo "\"remind\": \"1d\"" >expect &&
	test_cmp expect actual &&
	crm -C repo ls task --fields remind --format yaml >out &&
	cat >expect <<-\EOT &&
	- id: call-back-acme
	  remind: "1d"
	EOT
	test_cmp expect out
'

test_expect_success 'several --about: a task for each record, one commit' '
	git -C repo rev-list --count HEAD >before &&
	crm -C repo task add "Send offer" --about globex --about initech --due +1w \
		--assignee bob --category email >out &&
	cat >expect <<-\EOT &&
	[ID] crm: add 2 tasks '"'"'Send offer'"'"'

	task/send-offer-globex about client/globex
	task/send-offer-initech about client/initech
	EOT
	no_ids <out >actual &&
	test_cmp expect actual &&
	git -C repo rev-list --count HEAD >after &&
	test "$(cat after)" = "$(($(cat before) + 1))" &&
	git -C repo show --name-only --format= HEAD >files &&
	cat >expect <<-\EOT &&
	tasks/2025/send-offer-globex.yaml
	tasks/2025/send-offer-initech.yaml
	EOT
	test_cmp expect files &&
	cat >expect <<-\EOT &&
	title: Send offer
	about: client/initech
	due: 2025-03-21
	assignee: bob
	category: email
	status: open
	created: 2025-03-14
	EOT
	test_cmp expect repo/tasks/2025/send-offer-initech.yaml
'

test_expect_success '--where: a task for each record the filter lets through' '
	crm -C repo task add "Audit" --where "client tags:seo" --due eom >out &&
	cat >expect <<-\EOT &&
	[ID] crm: add 2 tasks '"'"'Audit'"'"'

	task/audit-acme about client/acme
	task/audit-globex about client/globex
	EOT
	no_ids <out >actual &&
	test_cmp expect actual &&
	grep "^due: " repo/tasks/2025/audit-acme.yaml >actual &&
	echo "due: 2025-03-31" >expect &&
	test_cmp expect actual
'

test_expect_success 'the same title about the same record twice gets ids of its own' '
	crm -C repo task add "Ping" --about acme --about acme >out &&
	cat >expect <<-\EOT &&
	[ID] crm: add 2 tasks '"'"'Ping'"'"'

	task/ping-acme about client/acme
	task/ping-acme-2 about client/acme
	EOT
	no_ids <out >actual &&
	test_cmp expect actual
'

test_expect_success 'refused: a category crm.ini does not list' '
	refused 2 crm -C repo task add "Lunch" --category cal &&
	echo "crm task: category: '"'"'cal'"'"' is not an allowed value (did you mean '"'"'call'"'"'?)" >expect &&
	test_cmp expect err
'

test_expect_success 'refused: a due date mistyped, with the column' '
	refused 2 crm -C repo task add "Lunch" --due "next fryday" &&
	echo "crm task: due: invalid date '"'"'next fryday'"'"' at column 6: expected a weekday (mon .. sun)" >expect &&
	test_cmp expect err
'

test_expect_success 'refused: a reminder that is not a duration, and a bad repeat rule' '
	refused 2 crm -C repo task add "Lunch" --remind 86400 &&
	echo "crm task: remind: invalid duration '"'"'86400'"'"': missing unit (w, d, h, m or s)" >expect &&
	test_cmp expect err &&
	refused 2 crm -C repo task add "Lunch" --repeat fortnightly &&
	echo "crm task: invalid repeat '"'"'fortnightly'"'"': write it as daily, weekly, monthly, yearly or every N days, weeks, months or years (every 2w)" >expect &&
	test_cmp expect err
'

test_expect_success 'refused: an unknown record, or a filter that matches none' '
	refused 1 crm -C repo task add "Lunch" --about globex --about umbrella &&
	echo "crm task: no record '"'"'umbrella'"'"'" >expect &&
	test_cmp expect err &&
	refused 1 crm -C repo task add "Lunch" --where "client tags:nothing" &&
	echo "crm task: no client matches --where '"'"'client tags:nothing'"'"'; no task was made" >expect &&
	test_cmp expect err
'

test_expect_success 'refused: an assignee crm.ini does not know' '
	printf "[user \"bob\"]\nname = Bob\n" >>repo/crm.ini &&
	git -C repo commit -q -am "users" &&
	refused 2 crm -C repo task add "Lunch" --assignee carol &&
	echo "crm task: assignee: unknown user '"'"'carol'"'"' (one of: bob)" >expect &&
	test_cmp expect err
'

test_expect_success 'refused: a task crm check would report, with its diagnostics' '
	sed "s/^  assignee: {type: user}/  assignee: {type: user, required_if: \"category == '"'"'call'"'"'\"}/" \
		repo/schema/task.yaml >schema &&
	cp schema repo/schema/task.yaml &&
	git -C repo commit -q -am "calls need an assignee" &&
	refused 1 crm -C repo task add "Lunch" --about acme --about globex --category call &&
	cat >expect <<-\EOT &&
	tasks/2025/lunch-acme.yaml:1:1: error: field '"'"'assignee'"'"' is required when category == '"'"'call'"'"' [required-if]
	crm task: the change would bring 1 new error to task/lunch-acme (above); nothing was written (--force writes it anyway)
	EOT
	test_cmp expect err
'

test_expect_success 'ls: open tasks by due date, and the filters of crm ls' '
	crm -C repo task ls >out &&
	cat >expect <<-\EOT &&
	id                  title       due               assignee  status  about
	ping-acme-2         Ping                                    open    client/acme
	ping-acme           Ping                                    open    client/acme
	call-back-acme      Call back   2025-03-14T15:00            open    client/acme
	send-offer-globex   Send offer  2025-03-21T00:00  bob       open    client/globex
	send-offer-initech  Send offer  2025-03-21T00:00  bob       open    client/initech
	audit-acme          Audit       2025-03-31T00:00            open    client/acme
	audit-globex        Audit       2025-03-31T00:00            open    client/globex
	EOT
	test_cmp expect out &&
	crm -C repo task ls "due<next-week" about:acme >out &&
	cat >expect <<-\EOT &&
	id              title      due               assignee  status  about
	call-back-acme  Call back  2025-03-14T15:00            open    client/acme
	EOT
	test_cmp expect out &&
	crm -C repo task ls "due:next week" --fields title,due --csv >out &&
	cat >expect <<-\EOT &&
	id,title,due
	send-offer-globex,Send offer,2025-03-21T00:00
	send-offer-initech,Send offer,2025-03-21T00:00
	EOT
	test_cmp expect out
'

test_expect_success 'done: status and date written, one commit' '
	crm -C repo task done call-back-acme >out &&
	echo "[ID] crm: done task/call-back-acme" >expect &&
	no_ids <out >actual &&
	test_cmp expect actual &&
	grep "^status:\|^done:" repo/tasks/2025/call-back-acme.yaml >actual &&
	cat >expect <<-\EOT &&
	status: done
	done: 2025-03-14
	EOT
	test_cmp expect actual &&
	crm -C repo task done task/call-back-acme >out &&
	echo "task/call-back-acme is already done; nothing to do" >expect &&
	test_cmp expect out
'

test_expect_success 'ls hides done tasks unless asked' '
	crm -C repo task ls status=done --fields title,done >out &&
	cat >expect <<-\EOT &&
	id              title      done
	call-back-acme  Call back  2025-03-14
	EOT
	test_cmp expect out &&
	crm -C repo task ls --all --fields status >out &&
	test "$(grep -c " done$" out)" = 1 &&
	test "$(grep -c " open$" out)" = 6
'

test_expect_success 'done on a repeating task makes its next occurrence in the same commit' '
	crm -C repo task add "Weekly report" --due "mon 09:00" --repeat weekly >/dev/null &&
	crm -C repo task done weekly-report >out &&
	echo "[ID] crm: done task/weekly-report, next task/weekly-report-2 due 2025-03-24T09:00" >expect &&
	no_ids <out >actual &&
	test_cmp expect actual &&
	git -C repo show --name-status --format= HEAD >files &&
	cat >expect <<-\EOT &&
	A	tasks/2025/weekly-report-2.yaml
	M	tasks/2025/weekly-report.yaml
	EOT
	test_cmp expect files &&
	cat >expect <<-\EOT &&
	title: Weekly report
	due: 2025-03-24T09:00
	repeat: weekly
	status: open
	created: 2025-03-14
	EOT
	test_cmp expect repo/tasks/2025/weekly-report-2.yaml
'

test_expect_success 'monthly from January 31 clamps to February 28' '
	CRM_TODAY=2025-01-31 crm -C repo task add "Invoice run" --due today \
		--repeat monthly >/dev/null &&
	CRM_TODAY=2025-01-31 crm -C repo task done invoice-run >out &&
	echo "[ID] crm: done task/invoice-run, next task/invoice-run-2 due 2025-02-28" >expect &&
	no_ids <out >actual &&
	test_cmp expect actual
'

test_expect_success 'a repeating task done late is next due today or later' '
	crm -C repo task add "Stand-up" --due 2025-03-03 --repeat "every 2 days" >/dev/null &&
	crm -C repo task done stand-up >out &&
	echo "[ID] crm: done task/stand-up, next task/stand-up-2 due 2025-03-15" >expect &&
	no_ids <out >actual &&
	test_cmp expect actual
'

test_expect_success 'done refuses a repeat rule it cannot read, and writes nothing' '
	printf "title: Odd\nrepeat: fortnightly\nstatus: open\n" >repo/tasks/odd.yaml &&
	git -C repo add tasks/odd.yaml && git -C repo commit -q -m odd &&
	refused 2 crm -C repo task done odd &&
	echo "crm task: invalid repeat '"'"'fortnightly'"'"': write it as daily, weekly, monthly, yearly or every N days, weeks, months or years (every 2w)" >expect &&
	test_cmp expect err &&
	git -C repo rm -q tasks/odd.yaml && git -C repo commit -q -m "no odd"
'

test_expect_success 'crm check holds categories to crm.ini' '
	printf "title: Odd\ncategory: lunch\nstatus: open\n" >repo/tasks/odd.yaml &&
	test_expect_code 1 crm -C repo check >out 2>&1 &&
	grep "^tasks/odd.yaml:2:11: error: .*lunch.*\[bad-enum\]$" out &&
	rm repo/tasks/odd.yaml
'

test_expect_success 'crm check holds repeat to the forms --repeat takes, at the value' '
	printf "title: Odd\nrepeat: fortnightly\nstatus: open\n" >repo/tasks/odd.yaml &&
	printf "title: Even\nrepeat: every 2 weeks\nstatus: open\n" >repo/tasks/even.yaml &&
	test_expect_code 1 crm -C repo check --no-source >out 2>&1 &&
	grep "^tasks/[oe][dv]" out >actual &&
	echo "tasks/odd.yaml:2:9: error: invalid repeat '"'"'fortnightly'"'"': write it as daily, weekly, monthly, yearly or every N days, weeks, months or years (every 2w) [bad-repeat]" >expect &&
	test_cmp expect actual &&
	rm repo/tasks/odd.yaml repo/tasks/even.yaml
'

test_expect_success 'crm set refuses a repeat crm check would report, and writes nothing' '
	crm -C repo task add "Weekly sync" --due 2025-03-10 --repeat weekly >/dev/null &&
	f=$(find repo/tasks -name "weekly-sync.yaml") &&
	cp "$f" before &&
	test_expect_code 1 crm -C repo set weekly-sync repeat=biweekly 2>err &&
	cat >expect <<-\EOF &&
	tasks/2025/weekly-sync.yaml:3:9: error: invalid repeat '"'"'biweekly'"'"': write it as daily, weekly, monthly, yearly or every N days, weeks, months or years (every 2w) [bad-repeat]
	crm set: the change would bring 1 new error to task/weekly-sync (above); nothing was written (--force writes it anyway)
	EOF
	test_cmp expect err &&
	test_cmp before "$f" &&
	git -C repo diff --quiet HEAD
'

test_expect_success 'usage: subcommands listed, unknown ones refused' '
	crm -C repo task --help >out &&
	cat >expect <<-\EOT &&
	usage: crm task add|done|ls [OPTIONS] [ARGS]

	subcommands:
	   add        a task, or one for each record it is about, in one commit
	   done       mark a task done (a repeating one is made again)
	   ls         open tasks by due date, with the filters of crm ls

	'"'"'crm task SUBCOMMAND --help'"'"' describes its options.
	EOT
	test_cmp expect out &&
	test_expect_code 2 crm -C repo task finish x 2>err &&
	echo "crm task: '"'"'finish'"'"' is not a subcommand of crm task; see '"'"'crm task --help'"'"'" >expect &&
	test_cmp expect err
'

test_done
