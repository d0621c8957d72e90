#!/bin/sh
# crm remind's channels (crm.ini [remind] channels): a hook command that
# gets each reminder as JSON on stdin (hostile field content never reaches
# a shell or a command line), notify-send when present and a note when
# not, e-mail through the [mail] transport of crm invoice send (a real
# SMTP server on 127.0.0.1, python3-aiosmtpd, as t0740 uses), and
# deliveries that fail.
. "$(dirname "$0")/lib.sh"
. "$TEST_TOP/tests/cli/lib-day.sh"

for py in python3 /usr/bin/python3; do
	if "$py" -c "import aiosmtpd" 2>/dev/null; then
		PY=$py
		test_set_prereq AIOSMTPD
		break
	fi
done
command -v python3 >/dev/null && test_set_prereq PYTHON3

# an empty folder to stand for a PATH without notify-send, and one with a
# stand-in that records its arguments one a line
mkdir -p "$TRASH/nobin" "$TRASH/fakebin"
printf '#!/bin/sh\nfor a in "$@"; do printf "%%s\\n" "$a"; done >>"%s/notify.args"\n' "$TRASH" \
	>"$TRASH/fakebin/notify-send"
chmod +x "$TRASH/fakebin/notify-send"

# the SMTP server, started here (a case runs in a subshell, whose exit
# hooks would be lost), stopped and waited for before the trash folder goes
if test_have_prereq AIOSMTPD; then
	mkdir "$TRASH/smtp"
	"$PY" "$TEST_TOP/tests/cli/smtp-sink.py" "$TRASH/smtp" &
	smtp_pid=$!
	test_at_exit 'touch "$TRASH/smtp/stop"; i=0
		while kill -0 $smtp_pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done'
fi

# a task whose title tries every trick on a shell
hostile_task() {
	printf "%s\n" "title: |-" \
		"  Quote \"it\" 'now' \$(touch pwned) \`touch pwned2\` ; rm -rf / &" \
		"  second line \\\$HOME" \
		"due: 2025-06-04T14:00" "remind: 3h" "assignee: alice" >"$1/tasks/hostile.yaml"
}

test_expect_success 'set up: the repository, a hostile task' '
	day_repo r &&
	hostile_task r &&
	git -C r add -A && git -C r commit -q -m hostile &&
	crm -C r check >/dev/null 2>&1
'

test_expect_success PYTHON3 'hook: each reminder as one JSON line on stdin, nothing run' '
	printf "\n[remind]\nchannels = hook\nhook = cat >>\"%s/hook.out\"; echo ran >>\"%s/hook.runs\"\n" \
		"$TRASH" "$TRASH" >>r/crm.ini &&
	(cd r && crm remind >../out 2>../err) &&
	test ! -s out && test ! -s err &&
	test ! -e r/pwned && test ! -e r/pwned2 && test ! -e pwned && test ! -e pwned2 &&
	wc -l <hook.runs >count && echo 4 >expect && test_cmp expect count &&
	python3 -c "
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r[\"kind\"], r[\"ref\"], r[\"at\"], json.dumps(r[\"text\"]))
" hook.out >actual &&
	cat >expect <<-\EOF &&
	follow-up client/acme 2025-05-31T00:00:00Z "follow up Acme (class A, last contact 2025-05-30)"
	reminder task/hostile 2025-06-04T11:00:00Z "Quote \"it\" '"'"'now'"'"' $(touch pwned) `touch pwned2` ; rm -rf / &\nsecond line \\$HOME, due 2025-06-04 14:00"
	first-response client/new-lead 2025-06-04T00:00:00Z "lead New Lead Ltd waiting for a first response since 2025-06-03"
	follow-up client/beta 2025-06-04T00:00:00Z "follow up Beta Logistics (class B, last contact 2025-05-28)"
	EOF
	test_cmp expect actual &&
	sed -n 2p hook.out >line &&
	cat >expect <<-\EOF &&
	{"kind": "reminder", "ref": "task/hostile", "user": "alice", "date": "2025-06-04", "time": "11:00", "at": "2025-06-04T11:00:00Z", "text": "Quote \"it\" '"'"'now'"'"' $(touch pwned) `touch pwned2` ; rm -rf / &\nsecond line \\$HOME, due 2025-06-04 14:00"}
	EOF
	test_cmp expect line
'

test_expect_success 'a failing hook: exit 1, said on stderr, not recorded' '
	cp -R r fail &&
	rm -f fail/.git/crm/remind-state &&
	sed -i "s|^hook = .*|hook = cat >/dev/null; exit 3|" fail/crm.ini &&
	test_expect_code 1 crm -C fail remind >out 2>err &&
	test ! -s out &&
	head -n 1 err >actual &&
	echo "crm remind: client/acme: hook: '"'"'cat >/dev/null; exit 3'"'"' exited with status 3" >expect &&
	test_cmp expect actual &&
	wc -l <err >count && echo 4 >expect && test_cmp expect count &&
	test "$(grep -c ^fired fail/.git/crm/remind-state)" = 0
'

test_expect_success 'stdout and notify: notify-send absent is a note, not a failure' '
	cp -R r n1 && rm -f n1/.git/crm/remind-state &&
	sed -i "s|^channels = .*|channels = stdout, notify|" n1/crm.ini &&
	ln -s "$(command -v git)" "$TRASH/nobin/git" &&
	PATH="$TRASH/nobin:$CRM_TEST_BUILD" "$CRM_BIN" -C n1 remind >out 2>err &&
	wc -l <out >count && echo 4 >expect && test_cmp expect count &&
	echo "crm remind: notify-send is not installed; desktop notifications skipped" >expect &&
	test_cmp expect err
'

test_expect_success 'notify-send present: title and text as arguments after --, no shell' '
	cp -R r n2 && rm -f n2/.git/crm/remind-state &&
	sed -i "s|^channels = .*|channels = notify|" n2/crm.ini &&
	PATH="$TRASH/fakebin:$PATH" crm -C n2 remind >out 2>err &&
	test ! -s out && test ! -s err &&
	sed -n 1,5p notify.args >actual &&
	cat >expect <<-\EOF &&
	--app-name=crm
	--
	crm follow-up, 2025-05-31
	follow up Acme (class A, last contact 2025-05-30) [client/acme]
	--app-name=crm
	EOF
	test_cmp expect actual &&
	sed -n 7,8p notify.args >actual &&
	cat >expect <<-\EOF &&
	crm reminder, 2025-06-04 11:00
	Quote "it" '"'"'now'"'"' $(touch pwned) `touch pwned2` ; rm -rf / & second line \$HOME, due 2025-06-04 14:00 [task/hostile]
	EOF
	test_cmp expect actual &&
	test ! -e pwned && test ! -e n2/pwned
'

test_expect_success AIOSMTPD 'mail: one message a reminder through the [mail] SMTP relay' '
	i=0 && while [ ! -f smtp/port ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
	cp -R r m && rm -f m/.git/crm/remind-state &&
	sed -i "s|^channels = .*|channels = mail|" m/crm.ini &&
	printf "\n[mail]\nfrom = crm@example.com\nsmtp = 127.0.0.1:%s\n" "$(cat smtp/port)" \
		>>m/crm.ini &&
	crm -C m remind >out 2>err &&
	test ! -s out && test ! -s err &&
	ls smtp/msg*.eml | wc -l >count && echo 4 >expect && test_cmp expect count &&
	cat smtp/env2 >actual &&
	printf "%s\n" crm@example.com alice@example.com >expect &&
	test_cmp expect actual &&
	python3 "$TEST_TOP/tests/cli/mail-check.py" smtp/msg2.eml >actual &&
	python3 -c "
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], \"rb\").read(), policy=email.policy.default)
print(m.get_content().replace(\"\\r\\n\", \"\\n\"), end=\"\")
" smtp/msg2.eml >>actual &&
	cat >expect <<-\EOF &&
	From:  | crm@example.com
	To:  | alice@example.com
	Subject: crm reminder: Quote "it" '"'"'now'"'"' $(touch pwned) `touch pwned2` ; rm -rf / & second line \$HOME, due 2025-06-04 14:00
	Content-Type: text/plain
	2025-06-04 11:00 reminder: Quote "it" '"'"'now'"'"' $(touch pwned) `touch pwned2` ; rm -rf / & second line \$HOME, due 2025-06-04 14:00 [task/hostile]

	-- 
	crm remind
	EOF
	test_cmp expect actual
'

test_expect_success 'mail for a user without an address fails, the other channels deliver' '
	cp -R r nomail && rm -f nomail/.git/crm/remind-state &&
	sed -i "s|^channels = .*|channels = mail, stdout|" nomail/crm.ini &&
	printf "\n[mail]\nfrom = crm@example.com\nsendmail = cat\n" >>nomail/crm.ini &&
	sed -i "/^email = bob@example.com/d" nomail/crm.ini &&
	test_expect_code 1 crm -C nomail remind --user bob >out 2>err &&
	cat >expect <<-\EOF &&
	crm remind: client/bob-lead: mail: no address for client/bob-lead: set [remind] mail_to or the user'"'"'s email in [user "bob"]
	EOF
	test_cmp expect err &&
	echo "2025-06-03 first-response: lead Bob'"'"'s Lead waiting for a first response since 2025-06-02 [client/bob-lead]" >expect &&
	test_cmp expect out &&
	grep -c "^fired" nomail/.git/crm/remind-state >count &&
	echo 1 >expect && test_cmp expect count
'

test_expect_success 'an unknown channel is refused before anything fires' '
	cp -R r bad && rm -f bad/.git/crm/remind-state &&
	sed -i "s|^channels = .*|channels = stdout, pager|" bad/crm.ini &&
	test_expect_code 2 crm -C bad remind >out 2>err &&
	test ! -s out &&
	echo "crm remind: crm.ini: [remind] channels: unknown channel '"'"'pager'"'"' (stdout, notify, mail, hook)" >expect &&
	test_cmp expect err &&
	test ! -e bad/.git/crm/remind-state
'

test_done
