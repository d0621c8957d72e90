#!/bin/sh
# crm edit with scripted editors: a good edit commits; a bad one reopens
# with the messages on top; unchanged or emptied aborts.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small
'

test_expect_success 'a valid edit is checked and committed' '
	cat >ed-good <<-\EOF &&
	#!/bin/sh
	sed -i "s/^city: Dublin$/city: Cork/" "$1"
	EOF
	chmod +x ed-good &&
	EDITOR="$TRASH/ed-good" crm -C small edit acme-corp >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: edit client/acme-corp" >expect &&
	test_cmp expect actual &&
	printf "%s\n" "name: Acme Corp" "city: Cork" "email: office@acme.example" >expect &&
	test_cmp expect small/clients/acme-corp.yaml &&
	test -z "$(git -C small status --porcelain)"
'

test_expect_success 'an invalid edit reopens with the errors on top, then saves the fix' '
	cat >ed-fix <<-\EOF &&
	#!/bin/sh
	# first round: break the email; second round: the messages are there, fix it
	if grep -q "^# crm: line 5, column 8: .not-an-email. is not an email address" "$1"; then
		sed -i "s/^email: not-an-email$/email: new@acme.example/" "$1"
		echo second >>"$(dirname "$1")/../../rounds"
	else
		sed -i "s/^email: .*/email: not-an-email/" "$1"
		echo first >>"$(dirname "$1")/../../rounds"
	fi
	EOF
	chmod +x ed-fix &&
	EDITOR="$TRASH/ed-fix" crm -C small edit client/acme-corp >out &&
	printf "first\nsecond\n" >expect && test_cmp expect rounds &&
	printf "%s\n" "name: Acme Corp" "city: Cork" "email: new@acme.example" >expect &&
	test_cmp expect small/clients/acme-corp.yaml
'

test_expect_success 'saving unchanged or empty aborts without a commit' '
	before=$(git -C small rev-parse HEAD) &&
	EDITOR=true crm -C small edit acme-corp 2>err &&
	printf "#!/bin/sh\n: >\"\$1\"\n" >ed-empty && chmod +x ed-empty &&
	EDITOR="$TRASH/ed-empty" crm -C small edit acme-corp 2>>err &&
	cat >expect <<-\EOF &&
	crm edit: no change; nothing was written
	crm edit: no change; nothing was written
	EOF
	test_cmp expect err &&
	test "$(git -C small rev-parse HEAD)" = "$before" &&
	test -s small/clients/acme-corp.yaml &&
	test -z "$(ls -a small | grep crm-edit)"
'

test_expect_success 'a failing editor changes nothing' '
	test_expect_code 1 env EDITOR=false crm -C small edit acme-corp 2>err &&
	echo "crm edit: the editor '\''false'\'' failed; nothing was changed" >expect &&
	test_cmp expect err
'

test_expect_success 'add without values opens a template made from the schema' '
	cat >ed-add <<-\EOF &&
	#!/bin/sh
	grep -q "^name: *# text" "$1" || exit 1
	grep -q "^# email: *# email" "$1" || exit 1
	sed -i "s/^name:.*/name: Zakład Pogrzebowy/; s/^# email:.*/email: biuro@zp.example/" "$1"
	EOF
	chmod +x ed-add &&
	EDITOR="$TRASH/ed-add" crm -C small add client >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: add client/zaklad-pogrzebowy" >expect &&
	test_cmp expect actual &&
	f=$(find small/clients -name zaklad-pogrzebowy.yaml) &&
	grep -q "^email: biuro@zp.example$" "$f" &&
	head -n 1 "$f" | grep -q "^name: Zakład Pogrzebowy$"
'

test_expect_success 'add with the template saved unchanged makes nothing' '
	before=$(git -C small rev-parse HEAD) &&
	EDITOR=true crm -C small add client 2>err &&
	echo "crm add: nothing to add; no record was made" >expect &&
	test_cmp expect err &&
	test "$(git -C small rev-parse HEAD)" = "$before"
'

test_expect_success 'saved unchanged after an error: exit 1 after one reopening, no loop' '
	before=$(git -C small rev-parse HEAD) &&
	cat >ed-saves-unchanged <<-\EOF &&
	#!/bin/sh
	# breaks the email once, then saves whatever it is shown
	echo run >>"$(dirname "$1")/../../runs"
	# a crm that reopens forever is stopped here (the editor fails)
	test "$(wc -l <"$(dirname "$1")/../../runs")" -lt 5 || exit 1
	grep -q "^# crm:" "$1" || sed -i "s/^email: .*/email: not-an-email/" "$1"
	EOF
	chmod +x ed-saves-unchanged &&
	test_expect_code 1 env EDITOR="$TRASH/ed-saves-unchanged" crm -C small edit acme-corp 2>err &&
	echo "crm edit: saved unchanged with 1 error; nothing was written" >expect &&
	test_cmp expect err &&
	printf "run\nrun\n" >expect && test_cmp expect runs &&
	test "$(git -C small rev-parse HEAD)" = "$before" &&
	test -z "$(git -C small status --porcelain)" &&
	test -z "$(ls -a small small/.git | grep crm-edit)"
'

test_expect_success 'the line numbers of the messages are those of the file shown' '
	cat >ed-lines <<-\EOF &&
	#!/bin/sh
	# round one: two errors; round two: each message names its line
	if ! grep -q "^# crm:" "$1"; then
		sed -i "s/^email: .*/email: not-an-email/; s/^name: .*/name: \"\"/" "$1"
		exit 0
	fi
	grep "^# crm: line" "$1" | sed "s/^# crm: line \([0-9]*\), .*/\1/" |
	while read n; do sed -n "${n}p" "$1"; done >"$(dirname "$1")/../../named"
	: >"$1"
	EOF
	chmod +x ed-lines &&
	EDITOR="$TRASH/ed-lines" crm -C small edit acme-corp 2>err &&
	sort named >actual &&
	printf "email: not-an-email\nname: \"\"\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the copy the editor opens lives in .git and is removed' '
	cat >ed-where <<-\EOF &&
	#!/bin/sh
	echo "$1" >"$(dirname "$1")/../../where"
	sed -i "s/^city: .*/city: Galway/" "$1"
	EOF
	chmod +x ed-where &&
	EDITOR="$TRASH/ed-where" crm -C small edit acme-corp >/dev/null &&
	case "$(cat where)" in
	"$TRASH/small/.git/crm-editing-"*"-client-acme-corp.yaml") ;;
	*) echo "edited $(cat where)"; false ;;
	esac &&
	test ! -e "$(cat where)" &&
	test -z "$(git -C small status --porcelain)"
'

# An edit whose editor waits (crm's pid in $pid, the editor's in edpid).
start_waiting_edit() {
	rm -f where edpid &&
	cat >ed-wait <<-\EOF &&
	#!/bin/sh
	echo $$ >"$(dirname "$1")/../../edpid"
	echo "$1" >"$(dirname "$1")/../../where"
	exec sleep 60
	EOF
	chmod +x ed-wait &&
	{ EDITOR="$TRASH/ed-wait" "$CRM_BIN" -C small edit acme-corp 2>/dev/null & } &&
	pid=$! &&
	n=0 && while test ! -s edpid || test ! -s where; do
		sleep 0.1; n=$((n + 1)); test $n -lt 100 || return 1
	done &&
	test -e "$(cat where)"
}

# EDITOR waits until the test kills crm (SIGNAL), then itself.
killed_edit() {
	start_waiting_edit &&
	kill -"$1" $pid &&
	{ wait $pid || :; } &&
	kill "$(cat edpid)"
}

test_expect_success 'crm killed while the editor runs (TERM): the copy is removed' '
	killed_edit TERM &&
	test ! -e "$(cat where)" &&
	test -z "$(git -C small status --porcelain)"
'

test_expect_success 'crm killed with KILL: the next edit removes the copy it left' '
	killed_edit KILL &&
	test -e "$(cat where)" &&
	EDITOR=true crm -C small edit acme-corp 2>/dev/null &&
	test ! -e "$(cat where)" &&
	test -z "$(ls -a small small/.git | grep crm-edit)" &&
	test -z "$(git -C small status --porcelain)"
'

test_done
