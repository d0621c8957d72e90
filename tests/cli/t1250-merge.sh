#!/bin/sh
# crm merge KEEP DROP: fields only DROP has are added, tags united, fields
# both hold differently settled by --prefer or asked in a terminal (refused
# without either, naming them); every reference to DROP points at KEEP,
# DROP's file goes and its history stays in git; one commit.  While it
# asks it holds no lock: other commands write, and a change to either
# record meanwhile makes it refuse.
. "$(dirname "$0")/lib.sh"

snapshot() {
	(find clients contacts opportunities crm.ini -type f | sort | xargs sha1sum
	 sha1sum .git/index; git rev-parse HEAD) >"$1"
}

test_expect_success 'two records of one client, and what refers to them' '
	crm init repo >/dev/null &&
	cd repo && mkdir -p clients opportunities contacts &&
	cat >clients/acme.yaml <<-\EOF &&
	# the client since 2019
	name: Acme Corp
	email: info@acme.example
	owner: alice
	tags: [seo]
	EOF
	cat >clients/acme-2.yaml <<-\EOF &&
	name: "ACME, Inc."
	email: sales@acme.example
	phone: "+48 601 234 567"
	website: https://acme.example
	tags: [print, seo]
	EOF
	printf "title: Web\nclient: acme-2\nstage: qualifying\n" >opportunities/web.yaml &&
	printf "title: Print\nclient: client/acme-2\nstage: qualifying\n" >opportunities/print.yaml &&
	printf "name: Jo\nclient: acme-2\n" >contacts/jo.yaml &&
	printf "title: Other\nclient: acme\nstage: qualifying\n" >opportunities/other.yaml &&
	git add -A && git commit -qm start &&
	crm check >/dev/null
'

test_expect_success 'without a terminal or --prefer: refused, naming the fields, nothing changed' '
	cd repo &&
	snapshot ../before &&
	test_expect_code 2 crm merge acme acme-2 </dev/null 2>err &&
	echo "crm merge: client/acme and client/acme-2 differ in name, email; choose with --prefer keep|drop, or run crm merge in a terminal to choose field by field" >expect &&
	test_cmp expect err &&
	snapshot ../after && test_cmp ../before ../after
'

test_expect_success 'refusals of bad arguments' '
	cd repo &&
	test_expect_code 2 crm merge acme acme-2 --prefer both 2>err &&
	echo "crm merge: --prefer takes keep or drop, not '\''both'\''" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm merge acme acme 2>err &&
	echo "crm merge: client/acme and client/acme are not two records of one type" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm merge acme opportunity/web 2>/dev/null &&
	test_expect_code 1 crm merge acme nosuch 2>/dev/null
'

test_expect_success '--prefer keep: one commit, references rewritten, DROP gone' '
	cd repo &&
	crm merge acme acme-2 --prefer keep >out &&
	echo "crm: merge client/acme-2 into client/acme (took phone, website, tags from client/acme-2; 3 files referred to it)" >expect &&
	sed "s/^\[[0-9a-f]*\] //" out >got && test_cmp expect got &&
	cat >expect <<-\EOF &&
	# the client since 2019
	name: Acme Corp
	email: info@acme.example
	owner: alice
	tags: [seo, print]
	phone: "+48 601 234 567"
	website: https://acme.example
	EOF
	test_cmp expect clients/acme.yaml &&
	test ! -e clients/acme-2.yaml &&
	printf "title: Web\nclient: acme\nstage: qualifying\n" >expect && test_cmp expect opportunities/web.yaml &&
	printf "title: Print\nclient: client/acme\nstage: qualifying\n" >expect &&
	test_cmp expect opportunities/print.yaml &&
	printf "name: Jo\nclient: acme\n" >expect && test_cmp expect contacts/jo.yaml &&
	test "$(git log --oneline | wc -l)" = 3 &&
	git log -1 --format=%s | grep -q "client/acme-2" &&
	git show HEAD^:clients/acme-2.yaml | head -1 >got &&
	echo "name: \"ACME, Inc.\"" >expect && test_cmp expect got &&
	test -z "$(git status --porcelain --untracked-files=no)" &&
	crm check >/dev/null
'

test_expect_success '--prefer drop takes the differing values of DROP' '
	cd repo &&
	git reset -q --hard HEAD^ &&
	crm merge acme acme-2 --prefer drop >/dev/null &&
	cat >expect <<-\EOF &&
	# the client since 2019
	name: "ACME, Inc."
	email: sales@acme.example
	owner: alice
	tags: [seo, print]
	phone: "+48 601 234 567"
	website: https://acme.example
	EOF
	test_cmp expect clients/acme.yaml
'

# script(1) gives crm a terminal to ask on
command -v script >/dev/null 2>&1 && test_set_prereq SCRIPT

test_expect_success SCRIPT 'in a terminal it asks field by field' '
	cd repo &&
	git reset -q --hard HEAD^ &&
	printf "x\nk\nd\n" | script -qec "crm merge acme acme-2" /dev/null >out 2>&1 &&
	tr -d "\r" <out >got &&
	sed -n "s/^.*\] \(crm: merge .*\)/\1/p" got >msg &&
	echo "crm: merge client/acme-2 into client/acme (took phone, website, tags, email from client/acme-2; 3 files referred to it)" >expect &&
	test_cmp expect msg &&
	grep -o "[a-z]* differs:" got >asked &&
	printf "name differs:\nemail differs:\n" >expect && test_cmp expect asked &&
	test "$(grep -o "take which" got | wc -l)" = 3 &&
	grep "^name: Acme Corp$" clients/acme.yaml &&
	grep "^email: sales@acme.example$" clients/acme.yaml
'

# wait_for TEXT FILE: until FILE holds TEXT, thirty seconds at most.
wait_for() {
	n=0
	while ! grep -q "$1" "$2" 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 300 ] || { echo "no '$1' in $2" >&2; return 1; }
		sleep 0.1
	done
}

# merge_asking: crm merge acme acme-2 in a terminal in the background, its
# answers to come through the fifo ../answers (held open on fd 7), its
# terminal in ../asked and its exit status in ../status; returns once it
# asks its first question.  merge_answer ANSWERS then gives the answers
# and returns once it exited.
merge_asking() {
	rm -f ../answers ../asked ../status
	mkfifo ../answers || return 1
	(set +e; script -qec "crm merge acme acme-2" /dev/null <../answers >../asked 2>&1
	 echo $? >../status) &
	exec 7>../answers
	wait_for "take which" ../asked
}

merge_answer() {
	printf "$1" >&7
	exec 7>&-
	wait
}

test_expect_success SCRIPT 'while it asks, no lock: another command writes, and its reference is rewritten' '
	cd repo &&
	git reset -q --hard HEAD^ &&
	merge_asking &&
	crm add contact --set name=Kim --set client=acme-2 >out &&
	sed "s/^\[[0-9a-f]*\] //" out >got &&
	echo "crm: add contact/kim" >expect && test_cmp expect got &&
	merge_answer "k\nd\n" &&
	echo 0 >expect && test_cmp expect ../status &&
	git log -1 --format=%s >got &&
	echo "crm: merge client/acme-2 into client/acme (took phone, website, tags, email from client/acme-2; 4 files referred to it)" >expect &&
	test_cmp expect got &&
	printf "name: Kim\nclient: acme\ncreated: 2025-06-01\n" >expect &&
	test_cmp expect contacts/2025/kim.yaml &&
	test -z "$(git status --porcelain --untracked-files=no)" &&
	crm check >/dev/null
'

test_expect_success SCRIPT 'a record changed while it asks: refused, nothing written' '
	cd repo &&
	git reset -q --hard HEAD^ &&
	merge_asking &&
	crm set acme-2 "phone=+48 601 000 000" >/dev/null &&
	snapshot ../before &&
	merge_answer "k\nd\n" &&
	echo 1 >expect && test_cmp expect ../status &&
	tr -d "\r" <../asked | tail -n 1 >got &&
	echo "take which? [k]eep/[d]rop: crm merge: client/acme-2 was changed by another command while crm merge asked which values to keep; nothing was written (run crm merge again to see the values as they are now)" >expect &&
	test_cmp expect got &&
	snapshot ../after && test_cmp ../before ../after
'

test_expect_success 'a merge the write check refuses leaves everything as it was' '
	cd repo &&
	git reset -q --hard HEAD^ &&
	printf "name: Broken\nsize: enormous\n" >clients/bad.yaml &&
	git add -A && git commit -qm bad &&
	snapshot ../before &&
	test_expect_code 1 crm merge acme bad --prefer drop 2>err &&
	tail -n 1 err >got &&
	echo "crm merge: the change would bring 1 new error to client/acme (above); nothing was written (--force writes it anyway)" >expect &&
	test_cmp expect got &&
	snapshot ../after && test_cmp ../before ../after
'

test_done
