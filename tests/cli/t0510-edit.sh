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
	if grep -q "^# crm: line 3, column 8: .not-an-email. is not an email address" "$1"; then
		sed -i "s/^email: not-an-email$/email: new@acme.example/" "$1"
		echo second >>"$(dirname "$1")/../rounds"
	else
		sed -i "s/^email: .*/email: not-an-email/" "$1"
		echo first >>"$(dirname "$1")/../rounds"
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

test_done
