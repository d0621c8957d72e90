#!/bin/sh
# README's "A day's routine", run as written: its sh blocks on the
# repository of lib-day.sh give its text blocks; its crontab line and the
# ExecStart of its systemd service fire the reminders once; its crm.ini
# block of follow-up rules, reminders and targets passes crm check.
. "$(dirname "$0")/lib.sh"
. "$TEST_TOP/tests/cli/lib-day.sh"

README="$TEST_TOP/README.md"

# block LANG: the contents of the ```LANG blocks of the section, in order
block() {
	awk -v lang="$1" '
		/^## A day'"'"'s routine$/ { in_section = 1; next }
		/^### Follow-up rules/ { in_section = 0 }
		in_section && $0 == "```" lang { in_block = 1; next }
		in_block && /^```$/ { in_block = 0; next }
		in_block { print }
	' "$README"
}

# the crm.ini block of the subsection that follows it
ini_block() {
	awk '
		/^### Follow-up rules/ { in_section = 1; next }
		in_section && /^##/ { in_section = 0 }
		in_section && /^```ini$/ { in_block = 1; next }
		in_block && /^```$/ { exit }
		in_block { print }
	' "$README"
}

test_expect_success 'the section has its commands and outputs' '
	block sh >commands.sh &&
	block text >expect &&
	test -s commands.sh && test -s expect &&
	grep "^crm agenda" commands.sh && grep "^crm remind$" commands.sh &&
	grep "^crm note " commands.sh && grep "^crm handover " commands.sh
'

test_expect_success 'its commands print what it shows' '
	day_repo r &&
	(cd r && sh -e ../commands.sh) >out &&
	# a commit id depends on more than the section shows
	sed "s/^\[[0-9a-f]\{8\}\] /[COMMIT] /" expect >expect.norm &&
	sed "s/^\[[0-9a-f]\{8\}\] /[COMMIT] /" out >actual &&
	test_cmp expect.norm actual
'

test_expect_success 'the crontab line fires the reminders once' '
	block crontab >crontab &&
	test "$(wc -l <crontab)" = 1 &&
	cut -d" " -f6- crontab >cron.cmd &&
	day_repo "$HOME/crm-data" &&
	sh -c "$(cat cron.cmd)" >first &&
	test "$(wc -l <first)" = 3 &&
	sh -c "$(cat cron.cmd)" >second &&
	test ! -s second
'

test_expect_success 'the service runs the same command; the timer every 15 minutes' '
	block ini >units &&
	sed -n "s/^ExecStart=//p" units >exec &&
	echo "/bin/sh -c '"'"'cd %h/crm-data && crm remind'"'"'" >expect &&
	test_cmp expect exec &&
	rm -rf "$HOME/crm-data" && day_repo "$HOME/crm-data" &&
	/bin/sh -c "cd $HOME/crm-data && crm remind" >first &&
	test "$(wc -l <first)" = 3 &&
	grep "^OnCalendar=\*:0/15$" units
'

test_expect_success 'the crm.ini of the subsection passes crm check' '
	crm init cfg >/dev/null &&
	ini_block >>cfg/crm.ini &&
	printf "\n[user \"alice\"]\nname = Alice Example\n" >>cfg/crm.ini &&
	crm -C cfg check >out 2>&1 &&
	tail -n 1 out >actual &&
	echo "0 errors, 0 warnings in 0 records" >expect &&
	test_cmp expect actual &&
	crm -C cfg agenda >actual &&
	cat >expect <<-\EOF &&
	Agenda of alice for Wednesday 2025-06-04, 7 days

	Nothing due.

	Targets
	  alice won: 0.00 EUR of 50000.00 EUR, 0 % of the quarter'"'"'s target with 71 % of the quarter gone
	  alice deals: 0 of 10, 0 % of the month'"'"'s target with 13 % of the month gone
	  alice activities: 0 of 40, 0 % of the week'"'"'s target with 42 % of the week gone
	EOF
	test_cmp expect actual
'

test_done
